// Import paths every esbuild bundle (CLI, Action, App) rewrites. jsonc-parser's "main" is a UMD
// build whose factory requires its own files by relative path at run time, which a bundle cannot
// resolve (`Cannot find module './impl/format'`); its ES build bundles. tsx and Node load the UMD
// build unbundled, where those requires resolve.
export const BUNDLE_ALIAS = { "jsonc-parser": "jsonc-parser/lib/esm/main.js" };

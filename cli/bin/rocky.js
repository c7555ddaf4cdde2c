#!/usr/bin/env node
// The `rocky` command. The CLI is bundled by `npm run build` into cli/dist/ (fast start-up);
// without a build it explains what to run instead of failing with a module error.
import { existsSync } from "node:fs";
const entry = new URL("../dist/main.js", import.meta.url);
if (!existsSync(entry)) {
  console.error("rocky: the CLI is not built yet. Run `npm run build` (or `npm install`, which builds it).");
  process.exit(2);
}
await import(entry.href);

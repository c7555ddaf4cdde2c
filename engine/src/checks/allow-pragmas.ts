import type { Comment } from "../syntax/ast.js";
import { normalizeLabel } from "./portability-catalog.js";

const PRAGMA = /^\s*--\s*rocky-allow\s*:(.*)$/i;

/**
 * The construct labels a model opts out of with `-- rocky-allow: NVL, QUALIFY` (Rocky
 * `rocky-sql/src/pragma.rs`): line comments only, case-insensitive, comma-separated, several
 * pragmas accumulate, unknown labels are kept and simply never match. Returns upper-case labels.
 *
 * Reads the parser's comments when given (a pragma inside a string literal is not a comment);
 * otherwise scans lines that begin with `--`, as Rocky does.
 */
export function parseAllowPragmas(source: { readonly comments?: readonly Comment[]; readonly sql?: string }): Set<string> {
  const out = new Set<string>();
  const texts = source.comments !== undefined ? source.comments.map((c) => (c.text.trimStart().startsWith("--") ? c.text : `--${c.text}`)) : (source.sql ?? "").split("\n");
  for (const text of texts) {
    const m = PRAGMA.exec(text.replace(/\r$/, ""));
    if (m === null) continue;
    for (const token of m[1].split(",")) {
      const label = token.trim().toUpperCase();
      if (label !== "") out.add(label);
    }
  }
  return out;
}

/** What a model opts out of: `[portability] allow` and its own `-- rocky-allow:` pragmas, as normalizeLabel writes labels. */
export function allowedLabels(allow: readonly string[], source: { readonly comments?: readonly Comment[]; readonly sql?: string }): Set<string> {
  return new Set([...allow, ...parseAllowPragmas(source)].map(normalizeLabel));
}

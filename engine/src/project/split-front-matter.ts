export interface FrontMatter {
  /** The TOML between `---toml` and `---`. */
  readonly toml: string;
  /** Lines of the file before the first TOML line (so TOML line 1 is file line `lineOffset + 1`). */
  readonly lineOffset: number;
  /** The SQL with the whole block replaced by blank lines, so SQL line numbers are file line numbers. */
  readonly sql: string;
  /** False when the closing `---` is missing (the block then runs to the end of the file). */
  readonly closed: boolean;
}

const FRONT_MATTER_START = /^\s*---toml[ \t]*\r?(\n|$)/;

/**
 * Legacy inline config: a `---toml ... ---` block at the top of a `.sql` file (after optional
 * blank lines). Returns undefined when the file has none.
 */
export function splitFrontMatter(text: string): FrontMatter | undefined {
  if (!FRONT_MATTER_START.test(text)) return undefined;
  const lines = text.split("\n");
  let first = 0;
  while (first < lines.length && lines[first].trim() === "") first++;
  if (first >= lines.length || lines[first].trim() !== "---toml") return undefined;
  let close = first + 1;
  while (close < lines.length && lines[close].trim() !== "---") close++;
  const closed = close < lines.length;
  // Lines split at "\n" keep a CRLF file's "\r": the block's last one would end the TOML on a lone
  // carriage return, which TOML rejects ("must be followed by an end-of-line").
  const toml = lines.slice(first + 1, close).join("\n").replace(/\r$/, "");
  const blanked = lines.map((l, i) => (i <= Math.min(close, lines.length - 1) ? (l.endsWith("\r") ? "\r" : "") : l));
  return { toml, lineOffset: first + 1, sql: blanked.join("\n"), closed };
}

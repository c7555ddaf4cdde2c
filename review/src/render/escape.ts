/**
 * Escaping for user-controlled strings (model, column and file names, SQL, messages that quote
 * them) on their way into Markdown, table cells, Mermaid labels and HTML attributes. The view
 * model runs every user string through one of these; templates insert values as given.
 */

const ZWJ = "\u200D";

/** Neutralize `@mention`s (`@org/team` would notify a team) by putting a zero-width joiner after the `@`. */
export function neutralizeMentions(s: string): string {
  return s.replace(/@(?=[A-Za-z0-9_-])/g, `@${ZWJ}`);
}

/** One line: newlines, tabs and other control characters become spaces. */
export function oneLine(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, " ").trim();
}

/**
 * A code span that shows `s` literally whatever it contains: fenced with one more backtick than
 * the longest run inside, padded when it starts or ends with a backtick; one line. Mentions,
 * HTML and emphasis are inert inside a code span. For table cells use `cellCode`.
 */
export function codeSpan(s: string): string {
  const text = oneLine(s);
  if (text === "") return "` `";
  if (!text.includes("`")) return text.startsWith(" ") && text.endsWith(" ") ? `\` ${text} \`` : `\`${text}\``;
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  const pad = text.startsWith("`") || text.endsWith("`") || (text.startsWith(" ") && text.endsWith(" ")) ? " " : "";
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** A code span inside a GFM table cell: `|` must be escaped even inside code (GFM splits cells first). */
export function cellCode(s: string): string {
  return codeSpan(s).replace(/\|/g, "\\|");
}

/** Inline Markdown that could change meaning mid-line: emphasis, code, links (`[`), tables (`|`), strikethrough, escapes. */
const MARKDOWN_ACTIVE = /[\\`*_[\]|~]/g;

/** Plain text in Markdown: HTML escaped, Markdown punctuation backslash-escaped, mentions neutralized, one line. */
export function text(s: string): string {
  return inlineText(oneLine(s));
}

/** `text` of a piece of a line, spaces at its ends kept. */
function inlineText(s: string): string {
  const html = s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  return neutralizeMentions(html.replace(MARKDOWN_ACTIVE, (c) => `\\${c}`));
}

/**
 * A message of ours that quotes names in backticks ("unknown model `stg_order`"), in Markdown: each
 * backtick-quoted part becomes a code span (`codeSpan`, safe whatever the name holds), the rest
 * plain `text`. Safe by construction, since every piece goes through one of the two; a name with a
 * backtick of its own only misplaces the code formatting. An unpaired backtick stays literal.
 */
export function richText(s: string): string {
  return quotedParts(s, codeSpan);
}

/** `richText` inside a table cell (`|` escaped in code spans too). */
export function richCell(s: string): string {
  return quotedParts(s, cellCode);
}

function quotedParts(s: string, code: (part: string) => string): string {
  const parts = oneLine(s).split("`");
  // An even count of parts means an unpaired backtick: its part joins the text before it.
  if (parts.length % 2 === 0) parts.splice(parts.length - 2, 2, `${parts[parts.length - 2]}\`${parts[parts.length - 1]}`);
  let out = "";
  for (let i = 0; i < parts.length; i++) {
    if (i % 2 === 1) out += code(parts[i]);
    else out += inlineText(parts[i]);
  }
  return out;
}

/** Plain text inside a table cell (same as `text`, which already escapes `|`). */
export function cell(s: string): string {
  return text(s);
}

/** Text inside an HTML element (`<summary>`): entities only, no Markdown escapes (Markdown is not parsed there). */
export function htmlText(s: string): string {
  return neutralizeMentions(oneLine(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;"));
}

/**
 * A Mermaid node label, quoted: `"…"` with Mermaid's entity codes for the characters that would
 * end the label or be read as markup (`"` `#` `<` `>` `&` and backticks).
 */
export function mermaidLabel(s: string): string {
  const escaped = oneLine(s)
    .replace(/#/g, "#35;")
    .replace(/"/g, "#quot;")
    .replace(/</g, "#lt;")
    .replace(/>/g, "#gt;")
    .replace(/&/g, "#amp;")
    .replace(/`/g, "#96;");
  return `"${escaped}"`;
}

/** Plain text for check-run annotations (not Markdown): one line, mentions neutralized. */
export function plain(s: string): string {
  return neutralizeMentions(oneLine(s));
}

/** `s.slice(a, b)` by UTF-16 units, never splitting a surrogate pair. */
function safeSlice(s: string, from: number, to: number): string {
  let a = from;
  let b = to;
  if (a > 0 && isLowSurrogate(s.charCodeAt(a))) a += 1;
  if (b < s.length && isLowSurrogate(s.charCodeAt(b))) b -= 1;
  return s.slice(a, b);
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** Shorten in the middle to at most `max` UTF-16 units (Infracost shortens names to 64). */
export function truncateMiddle(s: string, max: number): string {
  if (s.length <= max) return s;
  const keep = max - 1;
  const head = Math.ceil(keep / 2);
  return `${safeSlice(s, 0, head)}…${safeSlice(s, s.length - (keep - head), s.length)}`;
}

/** Cut to at most `max` UTF-16 units, ending with `…`. */
export function truncateEnd(s: string, max: number): string {
  if (s.length <= max) return s;
  return `${safeSlice(s, 0, Math.max(0, max - 1))}…`;
}

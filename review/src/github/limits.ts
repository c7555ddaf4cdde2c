/** GitHub's hard limits the publisher enforces defensively (the renderer already aims inside them). */
export const GITHUB_LIMITS = {
  /** Issue, PR and review comment bodies, in characters. */
  commentChars: 65_536,
  /** Check-run output.summary and output.text, in bytes. */
  checkOutputBytes: 65_535,
  /** Annotations per create/update request. */
  annotationsPerRequest: 50,
  /** Annotation title, in characters. */
  annotationTitleChars: 255,
  /** Annotation message / raw_details, in bytes. */
  annotationMessageBytes: 65_535,
  /** Check-run title (not in the schema; kept to one short line). */
  checkTitleChars: 255,
} as const;

const NOTE = "\n\n…(truncated to fit GitHub's limit)";

/** Cuts a string to at most `max` UTF-8 bytes without splitting a character, adding a note when cut. */
export function clampBytes(text: string, max: number): string {
  if (Buffer.byteLength(text, "utf8") <= max) return text;
  const budget = max - Buffer.byteLength(NOTE, "utf8");
  let used = 0;
  let out = "";
  for (const ch of text) {
    const size = Buffer.byteLength(ch, "utf8");
    if (used + size > budget) break;
    used += size;
    out += ch;
  }
  return out + NOTE;
}

/** Cuts a string to at most `max` characters (code points), adding a note when cut. */
export function clampChars(text: string, max: number): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  return chars.slice(0, max - [...NOTE].length).join("") + NOTE;
}

/** One line of at most `max` characters. */
export function clampLine(text: string, max: number): string {
  const line = text.replace(/\s+/g, " ").trim();
  const chars = [...line];
  return chars.length <= max ? line : `${chars.slice(0, max - 1).join("")}…`;
}

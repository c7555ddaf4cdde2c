/** Number and text formatting for the view model (all formatting lives here, none in templates). */
import { formatUsd } from "../cost/format-usd.js";

export { formatUsd };

/** `5,000` (en-US grouping, without the cost of toLocaleString in hot loops). */
export function formatCount(n: number): string {
  if (!Number.isInteger(n)) return n.toLocaleString("en-US");
  const sign = n < 0 ? "-" : "";
  const digits = String(Math.abs(n));
  if (digits.length <= 3) return sign + digits;
  return sign + digits.replace(/\B(?=(\d{3})+$)/g, ",");
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** `+$1.20`, `-$0.40`, `$0`; `—` when unknown. */
export function formatDeltaUsd(n: number | null | undefined): string {
  if (n === null || n === undefined) return "—";
  if (n === 0) return "$0";
  return n > 0 ? `+${formatUsd(n)}` : formatUsd(n);
}

export function formatUsdOrDash(n: number | null | undefined): string {
  return n === null || n === undefined ? "—" : formatUsd(n);
}

/** UTF-8 size of a string. */
export function byteLength(s: string): number {
  return Buffer.byteLength(s, "utf8");
}

/** Collapse runs of blank lines to one and end with exactly one newline. */
export function tidyMarkdown(s: string): string {
  return `${s.replace(/[ \t]+\n/g, "\n").replace(/\n{3,}/g, "\n\n").trim()}\n`;
}

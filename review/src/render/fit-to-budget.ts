/**
 * Fit a rendering into a size limit by dropping the least important detail first, and say what
 * was dropped. `steps` go from richest to leanest; each may name what it leaves out (a later
 * step with the same `key` replaces the earlier label: "table rows beyond 20" supersedes "beyond
 * 50"); a step that does not change the output is not reported. The render function receives
 * the labels so far, to print them in the output itself.
 * When even the leanest step is too big, the text is cut at a line boundary, open code fences
 * and `<details>` are closed, and a notice is appended — never a broken limit.
 */
export interface BudgetStep<L> {
  readonly level: L;
  readonly drops?: { readonly key: string; readonly label: string };
}

export interface FitResult {
  readonly text: string;
  readonly dropped: readonly string[];
  /** Index of the step used. */
  readonly step: number;
  /** True when the leanest step still did not fit and the text was cut. */
  readonly cut: boolean;
}

export type Measure = (s: string) => number;

export const measureChars: Measure = (s) => s.length;
export const measureBytes: Measure = (s) => Buffer.byteLength(s, "utf8");

/**
 * A cheap test that a step's bare rendering is over the limit, without rendering it (a table whose
 * shown rows alone are over it, say): a key that two steps share exactly when their renderings
 * would be equal, or undefined when it cannot tell (then the step is rendered). When it answers for
 * a step, it must answer for the next step too if that one would render the same text (a step it
 * answers for followed by one it renders counts as a change).
 */
export type OverLimit<L> = (level: L) => string | undefined;

export function fitToBudget<L>(
  steps: readonly BudgetStep<L>[],
  render: (level: L, dropped: readonly string[]) => string,
  limit: number,
  measure: Measure = measureChars,
  overLimit?: OverLimit<L>,
): FitResult {
  if (steps.length === 0) throw new Error("fitToBudget needs at least one step");
  const labels = new Map<string, string>();
  let last = "";
  let lastDropped: string[] = [];
  // The previous step's bare rendering, or the overLimit key of a step that was not rendered.
  let previousBare: string | undefined;
  let previousKey: string | undefined;
  for (let i = 0; i < steps.length; i++) {
    // The leanest step is always rendered: it is the one that gets cut.
    const key = i < steps.length - 1 ? overLimit?.(steps[i].level) : undefined;
    const bare = key === undefined ? render(steps[i].level, []) : undefined;
    const drop = steps[i].drops;
    // A step that changes nothing (no Mermaid graph to drop...) is not reported as a drop.
    const changed = bare !== undefined ? previousKey !== undefined || bare !== previousBare : previousKey !== key;
    if (drop && changed) {
      labels.delete(drop.key);
      labels.set(drop.key, drop.label);
    }
    previousBare = bare;
    previousKey = key;
    lastDropped = [...labels.values()];
    if (bare === undefined) continue;
    // The notice only adds text: when the bare rendering is over the limit, so is the labelled one.
    const bareFits = measure(bare) <= limit;
    if (!bareFits && i < steps.length - 1) continue;
    last = lastDropped.length === 0 ? bare : render(steps[i].level, lastDropped);
    if (measure(last) <= limit) return { text: last, dropped: lastDropped, step: i, cut: false };
  }
  const notice = "\n\n> ⚠️ Cut to fit GitHub's size limit; the rest is in the full report.\n";
  return { text: cutToLimit(last, limit, measure, notice), dropped: [...lastDropped, "the end of the text"], step: steps.length - 1, cut: true };
}

/** Cut `s` so that it plus closers plus `notice` fit in `limit`, at a line boundary, closing open fences and details. */
export function cutToLimit(s: string, limit: number, measure: Measure, notice: string): string {
  if (measure(s) <= limit) return s;
  const lines = s.split("\n");
  let lo = 0;
  let hi = lines.length;
  // Binary search the number of lines that fit.
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    const candidate = withClosers(lines.slice(0, mid)) + notice;
    if (measure(candidate) <= limit) lo = mid;
    else hi = mid - 1;
  }
  const out = withClosers(lines.slice(0, lo)) + notice;
  if (measure(out) <= limit) return out;
  // A single enormous first line: cut by code points.
  const chars = [...notice];
  const room = Math.max(0, limit - measure(notice));
  let acc = "";
  for (const ch of s) {
    if (measure(acc + ch) > room) break;
    acc += ch;
  }
  return measure(acc + notice) <= limit ? acc + notice : chars.join("").slice(0, limit);
}

function withClosers(lines: readonly string[]): string {
  let fenceOpen = false;
  let details = 0;
  for (const line of lines) {
    if (/^\s*```/.test(line)) fenceOpen = !fenceOpen;
    if (fenceOpen) continue;
    details += (line.match(/<details>/g) ?? []).length;
    details -= (line.match(/<\/details>/g) ?? []).length;
  }
  const closers: string[] = [];
  if (fenceOpen) closers.push("```");
  for (let i = 0; i < details; i++) closers.push("</details>");
  return [...lines, ...closers].join("\n");
}

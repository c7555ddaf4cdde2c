/**
 * Edit distance where a swap of two adjacent characters counts as one edit (optimal string
 * alignment), since `bsae` for `base` is the commonest typo of all. Three rows, no matrix.
 */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let before = new Array<number>(b.length + 1).fill(0);
  let prev = new Array<number>(b.length + 1);
  let cur = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const cb = b.charCodeAt(j - 1);
      const cost = ca === cb ? 0 : 1;
      let d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb) d = Math.min(d, before[j - 2] + 1);
      cur[j] = d;
    }
    [before, prev, cur] = [prev, cur, before];
  }
  return prev[b.length];
}

/**
 * The closest candidate to `input` (case-insensitive), if it is close enough to be a plausible
 * typo: distance ≤ max(1, ⌊len/3⌋). Ties go to the first candidate in order.
 */
export function didYouMean(input: string, candidates: Iterable<string>): string | undefined {
  const needle = input.toLowerCase();
  const limit = Math.max(1, Math.floor(needle.length / 3));
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    // The distance is at least the difference in length: a candidate that far off can never be
    // the answer, and measuring it costs length × length (a 100,000-character name took seconds).
    const lower = c.toLowerCase();
    if (Math.abs(lower.length - needle.length) > limit) continue;
    const d = editDistance(needle, lower);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return bestDistance <= limit ? best : undefined;
}

/** " (did you mean `x`?)" or "". */
export function didYouMeanSuffix(input: string, candidates: Iterable<string>): string {
  const m = didYouMean(input, candidates);
  return m === undefined ? "" : ` (did you mean \`${m}\`?)`;
}

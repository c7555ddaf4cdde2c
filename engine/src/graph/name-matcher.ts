/**
 * `didYouMean(input, names)` (engine/src/util/did-you-mean.ts) for many inputs against one large
 * list of names: the graph asks it for every bare table name that is not a model, and a project of
 * 10,000 models that reads a few external tables by bare name from every model asked 10,000 times
 * over 10,000 names (quadratic: seconds at 1,000 models, minutes at 10,000).
 *
 * Same answer, by construction: the names are lower-cased once; a name whose length differs from
 * the input's by more than the current cutoff cannot be within it; the distance (optimal string
 * alignment, as editDistance) is computed against a cutoff that starts at the typo limit and drops
 * below the best distance found so far, so only a strictly closer later name replaces an earlier one
 * (didYouMean's "ties go to the first"); a row whose minimum exceeds the cutoff ends the
 * computation (row minima never decrease). Answers are memoised per input.
 */
export type NameMatcher = (input: string) => string | undefined;

export function createNameMatcher(names: Iterable<string>): NameMatcher {
  const originals = [...names];
  const lowered = originals.map((n) => n.toLowerCase());
  const memo = new Map<string, string | undefined>();
  let rows: Int32Array[] = [];
  return (input) => {
    if (memo.has(input)) return memo.get(input);
    const needle = input.toLowerCase();
    let best: string | undefined;
    let cutoff = Math.max(1, Math.floor(needle.length / 3));
    for (let i = 0; i < lowered.length; i++) {
      const candidate = lowered[i];
      if (Math.abs(candidate.length - needle.length) > cutoff) continue;
      if (rows.length === 0 || rows[0].length < candidate.length + 1) rows = [0, 1, 2].map(() => new Int32Array(Math.max(64, candidate.length + 1)));
      const d = boundedDistance(needle, candidate, cutoff, rows);
      if (d > cutoff) continue;
      best = originals[i];
      cutoff = d - 1;
      if (cutoff < 0) break;
    }
    memo.set(input, best);
    return best;
  };
}

/**
 * The optimal-string-alignment distance of `a` and `b` when it is at most `k`, else some value
 * greater than `k`. `rows` are three scratch rows of at least `b.length + 1` cells.
 */
function boundedDistance(a: string, b: string, k: number, rows: Int32Array[]): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let before = rows[0];
  let prev = rows[1];
  let cur = rows[2];
  const m = b.length;
  for (let j = 0; j <= m; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= m; j++) {
      const cb = b.charCodeAt(j - 1);
      let d = prev[j - 1] + (ca === cb ? 0 : 1);
      if (prev[j] + 1 < d) d = prev[j] + 1;
      if (cur[j - 1] + 1 < d) d = cur[j - 1] + 1;
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb && before[j - 2] + 1 < d) d = before[j - 2] + 1;
      cur[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > k) return k + 1;
    const t = before;
    before = prev;
    prev = cur;
    cur = t;
  }
  return prev[m];
}

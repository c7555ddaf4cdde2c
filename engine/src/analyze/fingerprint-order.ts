/**
 * The order rules of fingerprints: one spelling for operands that commute, so that `b = a` and
 * `a = b`, or `y AND x` and `x AND y`, read as the same logic. The analyzer builds fingerprints by
 * them; the review applies them again after it rewrites a fingerprint (review/src/diff/inline-moved.ts).
 */

/** Logical operators: a chain of one of them is one node, its terms sorted. */
export const LOGICAL: ReadonlySet<string> = new Set(["AND", "OR", "XOR"]);
/** Operator spellings folded in fingerprints: the same comparison written another way is not a change. */
export const FP_OPERATOR: Readonly<Record<string, string>> = { "!=": "<>", "==": "=", "<=>": "IS NOT DISTINCT FROM" };
/** Operators whose operands commute: the symmetric comparisons, and `+` and `*` (numbers, or a date and days or an interval, in either order). */
export const SYMMETRIC: ReadonlySet<string> = new Set(["=", "<>", "IS DISTINCT FROM", "IS NOT DISTINCT FROM", "+", "*"]);
/** Arithmetic operators whose chains (`a + b + c`, however grouped) are one node with sorted terms, as the logical chains are. */
export const ARITHMETIC_CHAINS: ReadonlySet<string> = new Set(["+", "*"]);
/** Comparisons that read the same with the operands swapped and the operator mirrored. */
export const MIRRORED: Readonly<Record<string, string>> = { "<": ">", ">": "<", "<=": ">=", ">=": "<=" };

/** Each comparison's exact negation (after FP_OPERATOR): `NOT a < b` is `a >= b`, NULLs included. */
export const NEGATED: Readonly<Record<string, string>> = {
  "=": "<>",
  "<>": "=",
  "<": ">=",
  ">=": "<",
  ">": "<=",
  "<=": ">",
  "IS DISTINCT FROM": "IS NOT DISTINCT FROM",
  "IS NOT DISTINCT FROM": "IS DISTINCT FROM",
};

/** A logical chain's fingerprint from its terms, sorted: `(a AND b)`. */
export function chainFp(op: string, terms: string[]): { fp: string; chain: { op: string; terms: string[] } } {
  terms.sort();
  return { fp: `(${terms.join(` ${op} `)})`, chain: { op, terms } };
}

/** A binary expression's fingerprint, operands in a fixed order where the operator allows: `b = a` is `a = b`, `b > a` is `a < b`. */
export function binaryFp(op: string, l: string, r: string): string {
  const o = FP_OPERATOR[op] ?? op;
  if (r < l) {
    if (SYMMETRIC.has(o)) return `(${r} ${o} ${l})`;
    const m = MIRRORED[o];
    if (m !== undefined) return `(${r} ${m} ${l})`;
  }
  return `(${l} ${o} ${r})`;
}

/** The fingerprints of a set of expressions (an IN list, a chain of ANDs, GROUP BY keys), in a fixed order. */
export function sortedFps(xs: readonly { readonly fp: string }[]): string[] {
  return xs.map((x) => x.fp).sort();
}

/** A CTE's or derived table's identity: the one table it reads, or the set of them. */
export function relationsIdentity(models: ReadonlySet<string>): string {
  return models.size === 1 ? [...models][0] : `(${[...models].sort().join(", ")})`;
}

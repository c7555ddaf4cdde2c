/** Rocky's branch-name rule: `[A-Za-z0-9_.-]`, at most 64 characters. */
export const BRANCH_NAME_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;

/**
 * A branch name made valid: characters outside `[A-Za-z0-9_.-]` become `_`, runs of `_` collapse,
 * the result is cut to 64 characters; an empty result is `branch`. `feature/new orders` →
 * `feature_new_orders`.
 */
export function sanitizeBranchName(name: string): string {
  const s = name
    .replace(/[^A-Za-z0-9_.-]+/g, "_")
    .replace(/_+/g, "_")
    .replace(/^[_.-]+|[_.-]+$/g, "")
    .slice(0, 64);
  return s === "" ? "branch" : s;
}

/** The branch of a pull request: `pr_<number>`. */
export function prBranchName(pr: number): string {
  if (!Number.isInteger(pr) || pr <= 0) throw new RangeError(`not a pull request number: ${pr}`);
  return `pr_${pr}`;
}

/**
 * The schema a branch writes into: `branch__<name>`, replacing the model's schema (Rocky's
 * `schema_override`, rocky-compat.md §3.4). `.` and `-` are valid in branch names but not in
 * unquoted schema names, so they become `_` here; the name is lower-cased so that warehouses
 * that fold case (Snowflake upper, Databricks lower) agree on it.
 */
export function branchSchemaName(name: string): string {
  return `branch__${sanitizeBranchName(name).replace(/[.-]/g, "_").toLowerCase()}`;
}

/** `branch__pr_12` → 12; anything else → undefined. */
export function prNumberOfSchema(schema: string): number | undefined {
  const m = /^branch__pr_(\d+)$/i.exec(schema);
  return m ? Number(m[1]) : undefined;
}

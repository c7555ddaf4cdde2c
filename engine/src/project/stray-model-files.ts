/**
 * The SQL files under the models dir that Rocky's flat layout does not load (a `.SQL` file; one in
 * a sub-directory, as dbt projects nest models): which ones the readers (the disk walker,
 * read-project-dir.ts, and the review's git reader, project-file-role.ts) pick up, so the loader
 * can name each instead of skipping it. One description for all three.
 */

/** How many directories down the models dir a stray SQL file is still looked for. */
export const MAX_STRAY_DEPTH = 4;

/** A name ending in `.sql` in any case. */
export function isSqlName(name: string): boolean {
  return name.length > 4 && name.slice(-4).toLowerCase() === ".sql";
}

/** A directory name that may hold models: no dot (so no hidden directory, and no stat for a file with an extension), not `node_modules`. */
export function mayHoldModels(name: string): boolean {
  return !name.includes(".") && name !== "node_modules";
}

/** Whether a path below the models dir (`staging/x.sql`) in a sub-directory is a stray SQL file the readers pick up. */
export function isNestedStraySql(rest: string): boolean {
  if (!isSqlName(rest)) return false;
  const dirs = rest.split("/").slice(0, -1);
  return dirs.length >= 1 && dirs.length <= MAX_STRAY_DEPTH && dirs.every(mayHoldModels);
}

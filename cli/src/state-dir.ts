import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The project's local state directory, `.rocky-state/` beside `rocky.toml` (compile cache, run
 * history, branches). On first use it gets a `.gitignore` of `*`, as ruff and pytest do with their
 * caches, so a `git add -A` in the user's repository never commits lmdb files. Best effort: a
 * read-only checkout leaves it alone, and opening the stores then reports its own error.
 */
export function stateDir(root: string): string {
  const dir = join(root, ".rocky-state");
  const ignore = join(dir, ".gitignore");
  if (!existsSync(ignore)) {
    try {
      mkdirSync(dir, { recursive: true });
      writeFileSync(ignore, "# Rocky's local state and compile cache: never committed.\n*\n", { flag: "wx" });
    } catch {
      // Read-only, or another process wrote it first: nothing to do.
    }
  }
  return dir;
}

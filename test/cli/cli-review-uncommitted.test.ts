import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { createGitFixture } from "../support/git-fixture.js";
import { readTree, rocky, SHOP } from "./support/cli-harness.js";

/**
 * The commands that compare two refs read HEAD when no `--head` is given: a model edited but not
 * committed is not compared, and a work tree whose only changes are uncommitted reviews as
 * "touches no model". They say so on stderr, naming the file, and how to include it.
 */
describe("rocky review with changes not committed", { timeout: 120_000 }, () => {
  const shop = readTree(SHOP);
  const repo = createGitFixture({ base: shop, head: shop });
  after(() => repo.cleanup());

  it("warns when a project file has uncommitted changes and --head is not given; the output is HEAD's, as before", async () => {
    const clean = await rocky(["review", "--base", "main", "--no-cache", "-o", "text"], { cwd: repo.dir });
    assert.equal(clean.stderr, "", "nothing to say on a clean work tree");
    const file = join(repo.dir, "models/fct_orders.sql");
    writeFileSync(file, readTree(SHOP)["models/fct_orders.sql"].toString().replace("    status,", "    status AS order_status,"));
    const r = await rocky(["review", "--base", "main", "--no-cache", "-o", "text"], { cwd: repo.dir });
    assert.equal(r.code, 0);
    assert.match(r.stdout, /touches no model/);
    assert.equal(
      r.stderr,
      "rocky review: warning: models/fct_orders.sql has changes not committed: HEAD is compared, without them; commit them, or pass --head WORKTREE to compare the files on disk\n",
    );
    // An untracked model counts too; the cache's own directory and other files do not.
    mkdirSync(join(repo.dir, ".rocky-state"), { recursive: true });
    writeFileSync(join(repo.dir, ".rocky-state/x.json"), "{}");
    writeFileSync(join(repo.dir, "shop.duckdb"), "");
    writeFileSync(join(repo.dir, "models/new_model.sql"), "SELECT 1 AS x\n");
    const two = await rocky(["ci-diff", "main", "--no-cache"], { cwd: repo.dir });
    assert.match(two.stderr, /^rocky ci-diff: warning: 2 project files have changes \(models\/fct_orders\.sql, \.\.\.\) not committed/);
    // With --head, the caller chose: nothing to say.
    const worktree = await rocky(["review", "--base", "main", "--head", "WORKTREE", "--no-cache", "-o", "text"], { cwd: repo.dir });
    assert.equal(worktree.stderr, "");
    assert.match(worktree.stdout, /status → order_status/);
  });
});

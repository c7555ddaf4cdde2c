import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { appWarehouse, runStateDir } from "../../app/src/app-warehouse.js";
import { openStateStore } from "../../engine/src/state/state-store.js";
import { editLine, SHOP_BASE, shopTomlOnFile } from "../review/e2e/shop-fixture.js";
import { createGitFixture } from "../support/git-fixture.js";

describe("the App's warehouse jobs keep one state store per repository", () => {
  const cacheDir = mkdtempSync(join(tmpdir(), "rocky-app-runs-"));
  const repo = createGitFixture({ base: { ...SHOP_BASE, "rocky.toml": shopTomlOnFile() }, head: editLine("models/int_orders.sql", 5, "    UPPER(status) AS status"), headIsPatch: true });
  after(() => {
    repo.cleanup();
    rmSync(cacheDir, { recursive: true, force: true });
  });

  test("PR #12 of one repository and PR #12 of another have their own branch records: closing one leaves the other's", async () => {
    const warehouseFor = appWarehouse({ cacheDir, secrets: {} });
    const acme = warehouseFor({ repoDir: repo.dir, repository: "acme/shop" });
    const other = warehouseFor({ repoDir: repo.dir, repository: "other/shop" });
    await acme.createBranch(12, repo.headSha, repo.baseSha);
    await other.createBranch(12, repo.headSha, repo.baseSha);

    await acme.dropBranch(12, repo.baseSha);

    const [acmeDir, otherDir] = [runStateDir(cacheDir, "acme/shop"), runStateDir(cacheDir, "other/shop")];
    assert.notEqual(acmeDir, otherDir);
    for (const [dir, expected] of [
      [acmeDir, undefined],
      [otherDir, "branch__pr_12"],
    ] as const) {
      const state = await openStateStore(dir);
      try {
        assert.equal(state.getBranch("pr_12")?.schema, expected, dir);
      } finally {
        await state.close();
      }
    }
  });

  test("a project in a sub-directory has its own store too", () => {
    assert.notEqual(runStateDir(cacheDir, "acme/shop", "finance"), runStateDir(cacheDir, "acme/shop", "marketing"));
    assert.equal(runStateDir(cacheDir, "acme/shop", "."), runStateDir(cacheDir, "acme/shop"));
  });
});

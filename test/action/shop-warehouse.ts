import { join } from "node:path";
import { SHOP_BASE, shopTomlOnFile } from "../review/e2e/shop-fixture.js";
import { seedShopRaw } from "../support/duckdb-file.js";
import { type FakeGitHub, startFakeGitHub } from "../support/fake-github.js";
import { createGitFixture, type GitFixture, type GitFixtureOptions } from "../support/git-fixture.js";

/**
 * What the Action's warehouse tests start from: a fake GitHub that knows the workflow's `token`
 * (with `permissions`, or all of them), and a git repository of the shop project whose DuckDB
 * warehouse is `warehouse.duckdb` in it, with the raw tables seeded. `fixture` is the git fixture
 * without its base, which is the shop on that warehouse.
 */
export async function shopOnWarehouse(token: string, fixture: Omit<GitFixtureOptions, "base">, permissions?: Record<string, "read" | "write">): Promise<{ gh: FakeGitHub; repo: GitFixture; db: string }> {
  const gh = await startFakeGitHub({ staticTokens: { [token]: { user: { login: "github-actions[bot]", type: "Bot" }, ...(permissions ? { permissions } : {}) } } });
  const repo = createGitFixture({ base: { ...SHOP_BASE, "rocky.toml": shopTomlOnFile() }, ...fixture });
  const db = join(repo.dir, "warehouse.duckdb");
  await seedShopRaw(db);
  return { gh, repo, db };
}

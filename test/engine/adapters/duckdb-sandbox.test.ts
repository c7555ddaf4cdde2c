/**
 * The sandbox the App and the Action put an embedded DuckDB in before a pull request's SQL runs
 * in their process: files only under the root, no extension installed or loaded, the settings
 * locked; and database files (rocky.toml `path`, `attach`) outside the root refused at their line.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { AdapterError } from "../../../engine/src/adapters/adapter-error.js";
import { createDuckDbAdapter } from "../../../engine/src/adapters/duckdb-adapter.js";
import { createAdapter } from "../../../engine/src/adapters/registry.js";
import type { Diagnostic } from "../../../engine/src/diagnostics/diagnostic.js";
import { loadRockyConfig } from "../../../engine/src/project/load-rocky-config.js";
import type { AdapterConfig } from "../../../engine/src/project/types.js";

const SECRET = "sentinel-outside-the-root-4711";

describe("a sandboxed DuckDB (the App's and the Action's runs of a PR's SQL)", () => {
  const top = realpathSync(mkdtempSync(join(tmpdir(), "rocky-sandbox-")));
  const root = join(top, "checkout");
  mkdirSync(join(root, "data"), { recursive: true });
  writeFileSync(join(root, "data", "orders.csv"), "id,amount\n1,12.5\n2,3\n");
  writeFileSync(join(top, "secret.txt"), `${SECRET}\n`);
  symlinkSync(join(top, "secret.txt"), join(root, "data", "leak.txt"));
  after(() => rmSync(top, { recursive: true, force: true }));

  const sandboxed = () => createDuckDbAdapter({ path: join(root, "warehouse.duckdb"), sandbox: { root } });

  /** The statement's failure, which must be one: its message as a PR would be shown it. */
  const refusal = async (run: () => Promise<unknown>): Promise<string> => {
    try {
      await run();
    } catch (e) {
      assert.ok(e instanceof AdapterError, String(e));
      return e.message;
    }
    assert.fail("the statement ran");
  };

  test("files under the root are read and written; the database file works as before", async () => {
    const db = await sandboxed();
    try {
      assert.deepEqual(await db.query(`SELECT count(*)::INT AS n, sum(amount)::DOUBLE AS total FROM '${join(root, "data", "*.csv")}'`), [{ n: 2, total: 15.5 }]);
      await db.execute("CREATE SCHEMA analytics");
      await db.execute(`CREATE TABLE analytics.orders AS SELECT * FROM read_csv('${join(root, "data", "orders.csv")}')`);
      await db.execute(`COPY analytics.orders TO '${join(root, "out.csv")}'`);
      assert.deepEqual(await db.query("SELECT count(*)::INT AS n FROM analytics.orders"), [{ n: 2 }]);
    } finally {
      await db.close();
    }
  });

  test("a file outside the root, /proc/self/environ, a symlink leading out, `..` and a URL are refused without their contents", async () => {
    const db = await sandboxed();
    try {
      for (const sql of [
        "SELECT CAST(content AS INT) AS x FROM read_text('/proc/self/environ')",
        `SELECT CAST(content AS INT) AS x FROM read_text('${join(top, "secret.txt")}')`,
        `SELECT CAST(content AS INT) AS x FROM read_text('${join(root, "data", "leak.txt")}')`,
        `SELECT CAST(content AS INT) AS x FROM read_text('${join(root, "..", "secret.txt")}')`,
        `SELECT * FROM read_csv('${join(top, "secret.txt")}')`,
        "SELECT * FROM read_csv('https://example.com/data.csv')",
      ]) {
        const message = await refusal(() => db.query(sql));
        assert.match(message, /Permission Error: .*disabled by configuration/, sql);
        assert.ok(!message.includes(SECRET), sql);
      }
    } finally {
      await db.close();
    }
  });

  test("writing, attaching or globbing outside the root is refused", async () => {
    const db = await sandboxed();
    try {
      for (const sql of [`COPY (SELECT 1 AS x) TO '${join(top, "written.csv")}'`, `ATTACH '${join(top, "other.duckdb")}' AS other`, `SELECT * FROM glob('${top}/*')`]) {
        assert.match(await refusal(() => db.execute(sql)), /Permission Error/, sql);
      }
    } finally {
      await db.close();
    }
  });

  test("no extension is installed or loaded beyond DuckDB's built-in ones, and the settings cannot be changed back", async () => {
    const db = await sandboxed();
    try {
      assert.match(await refusal(() => db.execute("INSTALL httpfs")), /Permission Error/);
      assert.match(await refusal(() => db.execute("LOAD httpfs")), /Permission Error/);
      assert.match(await refusal(() => db.execute("FORCE INSTALL spatial FROM core")), /Permission Error/);
      // Built in: still there (parquet files in the repository are read with it).
      await db.execute("LOAD parquet");
      for (const sql of ["SET enable_external_access = true", "RESET allowed_directories", "SET allowed_directories = ['/']", "SET autoinstall_known_extensions = true", "SET lock_configuration = false", `SET temp_directory = '${top}'`]) {
        assert.match(await refusal(() => db.execute(sql)), /configuration has been locked/, sql);
      }
      assert.deepEqual(await db.query("SELECT current_setting('autoload_known_extensions') AS autoload, current_setting('temp_directory') AS temp"), [{ autoload: false, temp: join(root, ".rocky-duckdb-tmp") }]);
    } finally {
      await db.close();
    }
  });

  test("without a sandbox (the CLI), DuckDB keeps its defaults", async () => {
    const db = await createDuckDbAdapter({});
    try {
      assert.deepEqual(await db.query(`SELECT content AS c FROM read_text('${join(top, "secret.txt")}')`), [{ c: `${SECRET}\n` }]);
    } finally {
      await db.close();
    }
  });

  const duckdbConfig = (toml: string): AdapterConfig => {
    const diagnostics: Diagnostic[] = [];
    const adapter = loadRockyConfig(toml, {}, diagnostics).config.adapters[0];
    assert.deepEqual(diagnostics, []);
    assert.ok(adapter);
    return adapter;
  };

  test("a rocky.toml `path` or `attach` outside the root is refused naming the key, rocky.toml and its line", async () => {
    mkdirSync(join(root, "project"), { recursive: true });
    symlinkSync(top, join(root, "project", "out"));
    const cases: [string, RegExp][] = [
      [`[adapter]\ntype = "duckdb"\npath = "${join(top, "stolen.duckdb")}"\n`, /`path` in \[adapter\] of rocky\.toml line 3 names .*stolen\.duckdb, outside the repository checkout/],
      ['[adapter]\ntype = "duckdb"\n\npath = "../../elsewhere.duckdb"\n', /`path` in \[adapter\] of rocky\.toml line 4 names "\.\.\/\.\.\/elsewhere\.duckdb" \(.*\/elsewhere\.duckdb\), outside the repository checkout/],
      ['[adapter.local]\ntype = "duckdb"\npath = "out/via-symlink.duckdb"\n', /`path` in \[adapter\.local\] of rocky\.toml line 3 .*outside the repository checkout/],
    ];
    const configs: [AdapterConfig, RegExp][] = cases.map(([toml, expected]) => [duckdbConfig(toml), expected]);
    // An `attach` is held to the same rule.
    const attach: AdapterConfig = { name: "default", type: "duckdb", settings: { attach: { other: join(top, "other.duckdb") } }, location: { file: "rocky.toml", line: 1, col: 1 }, settingLocations: { "attach.other": { file: "rocky.toml", line: 4, col: 1 } } };
    configs.push([attach, /`attach\.other` in \[adapter\] of rocky\.toml line 4 names .*other\.duckdb, outside the repository checkout/]);
    for (const [config, expected] of configs) {
      const toml = JSON.stringify(config.settings);
      const error = await createAdapter(config, { baseDir: join(root, "project"), sandbox: { root, name: "the repository checkout" } }).then(
        () => assert.fail(`opened: ${toml}`),
        (e: unknown) => e,
      );
      assert.ok(error instanceof AdapterError && error.kind === "config", String(error));
      assert.match(error.message, expected, toml);
    }
  });

  test("a rocky.toml `path` inside the root opens, locked down", async () => {
    const db = await createAdapter(duckdbConfig('[adapter]\ntype = "duckdb"\npath = "inside.duckdb"\n'), { baseDir: root, sandbox: { root, name: "the repository checkout" } });
    try {
      assert.match(await refusal(() => db.query("SELECT content FROM read_text('/proc/self/environ')")), /Permission Error/);
    } finally {
      await db.close();
    }
  });
});

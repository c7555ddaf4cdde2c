import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { COMMANDS, main } from "../../cli/src/main.js";
import { createDuckDbAdapter } from "../../engine/src/adapters/duckdb-adapter.js";
import { VERSION } from "../../engine/src/version.js";
import { type FakeDatabricks, startFakeDatabricks } from "../support/fake-databricks.js";
import { type FakeSnowflake, startFakeSnowflake } from "../support/fake-snowflake.js";
import { makeTestCert, type TestCert } from "../support/tls.js";
import { type CliRun, parseJson, rocky, SHOP, scratchCopy } from "./support/cli-harness.js";

/**
 * `rocky run` and `rocky branch` against warehouses that are not as expected: each is a one-line
 * user error naming the adapter, the path or statement and what to do (exit 2 for a warehouse that
 * cannot be used, 1 for errors in the project), with a JSON error object under `--output json`;
 * never the "internal error" of an escaped exception (the harness fails the test on one).
 */
const SUITE = { timeout: 180_000 };

interface ErrorJson {
  version: string;
  command: string;
  error: { code: string; message: string; remediation_hint?: string; adapter?: string; statement?: string; file?: string; line?: number };
}

function errorOf(r: CliRun, code: number, command: string): ErrorJson["error"] {
  assert.equal(r.code, code, `exit code; stderr: ${r.stderr}`);
  assert.equal(r.stderr.trimEnd().split("\n").length, 1, `one line on stderr: ${r.stderr}`);
  const out = JSON.parse(r.stdout) as ErrorJson;
  assert.equal(out.version, VERSION);
  assert.equal(out.command, command);
  return out.error;
}

/** A scratch copy of the example project for one test, removed when the file's tests end. */
const copies: { cleanup(): void }[] = [];
const fresh = (): string => {
  const c = scratchCopy(SHOP);
  copies.push(c);
  return c.dir;
};
after(() => {
  for (const c of copies) c.cleanup();
});

describe("rocky run and branch on the example project (DuckDB)", SUITE, () => {

  it("a DuckDB adapter's `attach` (another database file by catalog name) is a known key, and models read its tables by three-part name", async () => {
    const dir = fresh();
    const raw = await createDuckDbAdapter({ path: join(dir, "lake.duckdb") });
    try {
      await raw.execute("CREATE SCHEMA sales");
      await raw.execute("CREATE TABLE sales.orders AS SELECT 1::BIGINT AS id, 9.5::DECIMAL(10,2) AS amount");
    } finally {
      await raw.close();
    }
    const toml = readFileSync(join(dir, "rocky.toml"), "utf8").replace(/\[adapter\]\n/, '[adapter]\nattach = { lake = "lake.duckdb" }\n');
    writeFileSync(join(dir, "rocky.toml"), toml);
    writeFileSync(join(dir, "models", "lake_orders.sql"), "SELECT id, amount FROM lake.sales.orders\n");

    const validate = await rocky(["validate", "-o", "json"], { cwd: dir });
    assert.doesNotMatch(validate.stdout, /attach/, "no unknown-key finding for attach");
    const r = await rocky(["run", "--with-seed", "--select", "lake_orders", "-o", "json"], { cwd: dir });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const db = await createDuckDbAdapter({ path: join(dir, "shop.duckdb") });
    try {
      const [row] = await db.query("SELECT count(*)::INT AS n FROM information_schema.tables WHERE table_name = 'lake_orders'");
      assert.equal(row.n, 1);
    } finally {
      await db.close();
    }
  });

  it("run --with-seed twice: the seed re-loads (its tables re-created, their rows there once), exit 0 both times", async () => {
    const dir = fresh();
    for (const pass of [1, 2]) {
      const r = await rocky(["run", "--with-seed", "-o", "json"], { cwd: dir });
      assert.equal(r.code, 0, `pass ${pass}: ${r.stderr}`);
      assert.equal(parseJson(r).status, "success");
    }
    const db = await createDuckDbAdapter({ path: join(dir, "shop.duckdb") });
    try {
      assert.deepEqual(await db.query("SELECT count(*)::INT AS n FROM raw.customers"), [{ n: 3 }]);
    } finally {
      await db.close();
    }
  });

  it("a seed statement the warehouse rejects stops the run before any model: exit 1, naming data/seed.sql, its line and the statement", async () => {
    const dir = fresh();
    // In memory (the compile's --with-seed) the seed is fine; this warehouse has a view where it creates a table.
    const db = await createDuckDbAdapter({ path: join(dir, "shop.duckdb") });
    await db.execute("CREATE SCHEMA raw");
    await db.execute("CREATE VIEW raw.orders AS SELECT 1 AS id");
    await db.close();
    const text = await rocky(["run", "--with-seed"], { cwd: dir });
    assert.equal(text.code, 1, text.stderr);
    // The INSERT into it fails too, and is counted.
    assert.match(text.stderr, /^rocky run: data\/seed\.sql:14: statement failed on the duckdb adapter "default": `CREATE TABLE raw\.orders \(`: .*type View.* \(and 1 more failed statement\(s\), at line\(s\) 35\) — fix the seed's statement; no model was run\n$/);
    assert.equal(text.stdout, "");
    const error = errorOf(await rocky(["run", "--with-seed", "-o", "json"], { cwd: dir }), 1, "run");
    assert.deepEqual([error.code, error.file, error.line], ["project_error", "data/seed.sql", 14]);
  });

  const unusable: readonly { name: string; setup: (dir: string) => Record<string, string>; detail: RegExp }[] = [
    { name: "a shop.duckdb that is not a database", setup: (dir) => (writeFileSync(join(dir, "shop.duckdb"), "x\n"), {}), detail: /not a valid DuckDB database file/ },
    { name: "a shop.duckdb that is a directory", setup: (dir) => (mkdirSync(join(dir, "shop.duckdb")), {}), detail: /Is a directory/ },
    { name: "ROCKY_DUCKDB_PATH in a directory that does not exist", setup: () => ({ ROCKY_DUCKDB_PATH: "/nonexistent/x.duckdb" }), detail: /cannot open \/nonexistent\/x\.duckdb/ },
  ];
  for (const u of unusable) {
    it(`${u.name}: run and branch create are exit 2, one line naming the adapter and the path, JSON error object`, async () => {
      const dir = fresh();
      const env = u.setup(dir);
      for (const argv of [["run"], ["run", "--with-seed"], ["branch", "create", "x"], ["branch", "delete", "x"]]) {
        const text = await rocky(argv, { cwd: dir, env });
        assert.equal(text.code, 2, `${argv.join(" ")}: ${text.stderr}`);
        assert.match(text.stderr, new RegExp(`^rocky ${argv[0]}: duckdb adapter "default": connection failed: cannot open `));
        assert.match(text.stderr, u.detail);
        assert.match(text.stderr, / — `path` in \[adapter\] of rocky\.toml line 7 must name a DuckDB database file/, "names the setting's line");
        assert.doesNotMatch(text.stderr, /internal error|\n {4}at /);
        const error = errorOf(await rocky([...argv, "-o", "json"], { cwd: dir, env }), 2, argv[0]);
        assert.equal(error.code, "warehouse_error");
        assert.equal(error.adapter, 'duckdb adapter "default"');
        assert.match(error.remediation_hint ?? "", /`path` in \[adapter\]/);
      }
    });
  }

  it("plain run on a fresh copy: the models reading the seed's tables fail with a hint to load it (--with-seed)", async () => {
    const dir = fresh();
    const text = await rocky(["run"], { cwd: dir });
    assert.equal(text.code, 1, text.stderr);
    assert.match(text.stdout, /^✗ stg_orders .*does not exist.*\n {4}hint: raw\.orders is created by data\/seed\.sql, which was not loaded into this warehouse: run `rocky run --with-seed`$/m);
    const out = parseJson(await rocky(["run", "-o", "json"], { cwd: dir })) as unknown as { per_model: { model_name: string; status: string; error?: { hint?: string } }[] };
    const failed = out.per_model.filter((m) => m.status === "failure");
    assert.deepEqual(
      failed.map((m) => [m.model_name, m.error?.hint?.split(" ")[0]]),
      [
        ["stg_customers", "raw.customers"],
        ["stg_orders", "raw.orders"],
        ["stg_payments", "raw.payments"],
      ],
    );
    const seeded = await rocky(["run", "--with-seed"], { cwd: dir });
    assert.equal(seeded.code, 0, seeded.stderr);
    assert.doesNotMatch(seeded.stdout, /hint:/);
  });

  it("compile errors stop run and branch with exit 1 (errors in the project), naming the first", async () => {
    const cases: readonly { name: string; files: Record<string, string>; code: RegExp }[] = [
      { name: "a cycle", files: { "models/cyc_a.sql": "SELECT x FROM cyc_b", "models/cyc_b.sql": "SELECT x FROM cyc_a" }, code: /R003/ },
      { name: "a run variable without a value", files: { "models/var_model.sql": "SELECT order_id FROM stg_orders WHERE ordered_at >= @var(since)" }, code: /E028/ },
    ];
    for (const c of cases) {
      const dir = fresh();
      for (const [file, text] of Object.entries(c.files)) writeFileSync(join(dir, file), text);
      for (const argv of [["run"], ["branch", "create", "x"]]) {
        const r = await rocky(argv, { cwd: dir });
        assert.equal(r.code, 1, `${c.name}, ${argv.join(" ")}: ${r.stderr}`);
        assert.match(r.stderr, /the project has \d+ compile error\(s\)/);
        assert.match(r.stderr, c.code);
        const error = errorOf(await rocky([...argv, "-o", "json"], { cwd: dir }), 1, argv[0]);
        assert.equal(error.code, "project_error");
      }
    }
  });

  it("an empty target schema stops run, run --branch and branch create before the warehouse is touched, naming _defaults.toml and its line", async () => {
    const dir = fresh();
    // As `schema = "${SCHEMA:-}"` with SCHEMA unset reads: the warehouse would be asked for `CREATE SCHEMA ""`.
    writeFileSync(join(dir, "models/_defaults.toml"), '[target]\ncatalog = "analytics"\nschema = "${SCHEMA:-}"\n');
    for (const argv of [["run"], ["run", "--branch", "x"], ["branch", "create", "x"]]) {
      const r = await rocky(argv, { cwd: dir });
      assert.equal(r.code, 1, `${argv.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, /R002 `target\.schema` = "" is not valid: expected a schema name, not an empty string at models\/_defaults\.toml:3/);
      const error = errorOf(await rocky([...argv, "-o", "json"], { cwd: dir }), 1, argv[0]);
      assert.deepEqual([error.code, error.file, error.line], ["project_error", "models/_defaults.toml", 3]);
    }
    // Nothing reached DuckDB: the warehouse file was never made.
    assert.equal(existsSync(join(dir, "shop.duckdb")), false);
    // With the schema given, the same project runs.
    const ok = await rocky(["run", "--with-seed"], { cwd: dir, env: { SCHEMA: "marts" } });
    assert.equal(ok.code, 0, ok.stderr + ok.stdout);
  });

  it("a model whose sidecar names another adapter stops run and run --branch before the warehouse is opened, naming the sidecar's line and both adapters", async () => {
    const dir = fresh();
    const toml = readFileSync(join(dir, "rocky.toml"), "utf8").replace("[adapter]\n", "[adapter.default]\n");
    writeFileSync(join(dir, "rocky.toml"), `${toml}\n[adapter.other]\ntype = "duckdb"\npath = "other.duckdb"\n`);
    writeFileSync(join(dir, "models/stg_orders.toml"), `adapter = "other"\n${readFileSync(join(dir, "models/stg_orders.toml"), "utf8")}`);
    for (const argv of [["run", "--with-seed"], ["run", "--branch", "x"], ["run", "--select", "fct_orders"]]) {
      const r = await rocky(argv, { cwd: dir });
      assert.equal(r.code, 1, `${argv.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, /models\/stg_orders\.toml:1: model `stg_orders` names adapter "other" \(duckdb\), but this run is on adapter "default" \(duckdb\); nothing was run/);
      const error = errorOf(await rocky([...argv, "-o", "json"], { cwd: dir }), 1, argv[0]);
      assert.deepEqual([error.code, error.file, error.line], ["project_error", "models/stg_orders.toml", 1]);
    }
    assert.equal(existsSync(join(dir, "shop.duckdb")), false, "nothing reached the run's warehouse: its file was never made");
    assert.equal(existsSync(join(dir, "other.duckdb")), false);
    // A selection that neither writes nor reads stg_orders runs.
    const ok = await rocky(["run", "--with-seed", "--select", "stg_customers"], { cwd: dir });
    assert.equal(ok.code, 0, ok.stderr + ok.stdout);
  });

  it("run --var gives the run variable its value (and --help lists it)", async () => {
    const dir = fresh();
    writeFileSync(join(dir, "models/var_model.sql"), "SELECT order_id FROM stg_orders ORDER BY order_id LIMIT @var(n)");
    const r = await rocky(["run", "--with-seed", "--var", "n=2", "-o", "json"], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.match((await rocky(["run", "--help"], { cwd: dir })).stdout, /--var k=v/);
  });

  it("run --help and branch --help list every option they take", () => {
    for (const name of ["run", "branch"]) {
      const spec = COMMANDS.find((c) => c.name === name);
      assert.ok(spec);
      const unlisted = Object.keys(spec.options).filter((k) => k !== "help" && !spec.usage.includes(k === "project" ? "-C DIR" : `--${k}`));
      assert.deepEqual(unlisted, [], `${name}: ${spec.usage}`);
    }
  });

  it("branch delete: the second time says there was nothing to drop", async () => {
    const dir = fresh();
    assert.equal((await rocky(["branch", "create", "feat"], { cwd: dir })).code, 0);
    const first = await rocky(["branch", "delete", "feat"], { cwd: dir });
    assert.equal(first.stdout, "Dropped schema branch__feat and its tables; removed the branch record.\n");
    const second = await rocky(["branch", "delete", "feat"], { cwd: dir });
    assert.equal(second.code, 0);
    assert.equal(second.stdout, "Nothing to drop: schema branch__feat does not exist (no branch record).\n");
    const json = parseJson(await rocky(["branch", "delete", "feat", "-o", "json"], { cwd: dir }));
    assert.deepEqual([json.removed, json.dropped], [false, false]);
  });

  it("DuckDB in memory (no `path`): run and branch create say on stderr that what they write is gone when they end; with a path, nothing", async () => {
    const dir = fresh();
    writeFileSync(join(dir, "rocky.toml"), readFileSync(join(dir, "rocky.toml"), "utf8").replace(/^path = .*\n/m, ""));
    const note = /^rocky (run|branch): note: the warehouse is DuckDB in memory \(no `path` in \[adapter\] of rocky\.toml\), so what this command writes is gone when it ends; set `path` to keep it\n$/;
    const run = await rocky(["run", "--with-seed"], { cwd: dir });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, note);
    const branch = await rocky(["branch", "create", "feat"], { cwd: dir });
    assert.equal(branch.code, 0, branch.stderr);
    assert.match(branch.stderr, note);
    const kept = await rocky(["run", "--with-seed"], { cwd: fresh() });
    assert.equal(kept.stderr, "");
  });

  it("branch create, delete and list: each JSON names its own command (create said only \"branch\")", async () => {
    const dir = fresh();
    const commands = [];
    for (const argv of [["branch", "create", "feat"], ["branch", "list"], ["branch", "delete", "feat"]]) commands.push(parseJson(await rocky([...argv, "-o", "json"], { cwd: dir })).command);
    assert.deepEqual(commands, ["branch create", "branch list", "branch delete"]);
  });
});

describe("rocky run and branch called wrongly: a usage error naming the mistake, nothing written", SUITE, () => {
  const schemas = async (dir: string) => {
    const db = await createDuckDbAdapter({ path: join(dir, "shop.duckdb") });
    try {
      return await db.listSchemas("branch__");
    } finally {
      await db.close();
    }
  };

  it("--select naming no model (an unset shell variable) is exit 2, not a green run of nothing; a near miss is suggested", async () => {
    const dir = fresh();
    for (const list of [",", ""]) {
      const error = errorOf(await rocky(["run", "--select", list, "-o", "json"], { cwd: dir }), 2, "run");
      assert.equal(error.code, "usage_error");
      assert.match(error.message, /^--select ".*" names no model$/);
    }
    const near = await rocky(["run", "--select", "Stg_Orders,nope"], { cwd: dir });
    assert.equal(near.code, 2);
    assert.match(near.stderr, /^rocky run: --select names unknown model\(s\): Stg_Orders \(did you mean `stg_orders`\?\), nope — /);
  });

  it("a branch name outside Rocky's rule is refused, not rewritten (`../` used to become `branch`)", async () => {
    const dir = fresh();
    const dots = await rocky(["branch", "create", "../"], { cwd: dir });
    assert.equal(dots.code, 2, dots.stdout);
    assert.match(dots.stderr, /^rocky branch: branch "\.\.\/" is not a valid branch name: letters, digits, `_`, `\.` and `-`, at most 64 characters/);
    const slash = errorOf(await rocky(["run", "--branch", "feature/x y", "-o", "json"], { cwd: dir }), 2, "run");
    assert.equal(slash.remediation_hint, "e.g. feature_x_y");
    assert.deepEqual(await schemas(dir), [], "no schema created");
  });

  it("two names for one schema (a.b and a_b): the second is refused on create and on delete, and the first keeps its tables", async () => {
    const dir = fresh();
    assert.equal((await rocky(["run", "--with-seed", "--branch", "a_b", "--select", "stg_orders"], { cwd: dir })).code, 0);
    const create = await rocky(["branch", "create", "a.b"], { cwd: dir });
    assert.equal(create.code, 2);
    assert.match(create.stderr, /branch a\.b would use the schema branch__a_b, which branch a_b already uses/);
    const drop = await rocky(["branch", "delete", "a.b"], { cwd: dir });
    assert.equal(drop.code, 2, drop.stdout);
    assert.equal((await rocky(["run", "--branch", "A_B"], { cwd: dir })).code, 2);
    assert.deepEqual(await schemas(dir), ["branch__a_b"]);
    const list = await rocky(["branch", "list"], { cwd: dir });
    assert.match(list.stdout, /^a_b\tbranch__a_b\t/);
  });

  it("Ctrl-C before the models start: exit 130, every model skipped as interrupted, the run recorded", async () => {
    const dir = fresh();
    let stdout = "";
    let stderr = "";
    const code = await main(["run", "--with-seed", "-o", "json"], {
      stdout: (t) => {
        stdout += t;
      },
      stderr: (t) => {
        stderr += t;
      },
      // The signal arrives at once: while the seed loads and the schemas are created.
      interrupted: () => Promise.resolve(),
      cwd: dir,
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
      isTty: false,
    });
    assert.equal(code, 130, stderr);
    assert.match(stderr, /^rocky run: interrupted: finishing the model in flight, then recording the run/);
    const out = JSON.parse(stdout) as { interrupted?: boolean; run_id: string; per_model: { status: string; skipped_reason?: string }[] };
    assert.equal(out.interrupted, true);
    assert.ok(out.per_model.length > 0 && out.per_model.every((m) => m.status === "skipped" && /interrupted/.test(m.skipped_reason ?? "")), stdout);
    const { openStateStore } = await import("../../engine/src/state/state-store.js");
    const state = await openStateStore(join(dir, ".rocky-state/state"));
    try {
      assert.equal(state.getRun(out.run_id)?.status, "failure", "recorded");
    } finally {
      await state.close();
    }
  });

  it("a corrupt state store: run and branch list are exit 2 naming it and what to do, never an internal error", async () => {
    const dir = fresh();
    assert.equal((await rocky(["branch", "create", "feat"], { cwd: dir })).code, 0);
    writeFileSync(join(dir, ".rocky-state/state/data.mdb"), Buffer.alloc(65536, 7));
    for (const argv of [["branch", "list"], ["run"]]) {
      const error = errorOf(await rocky([...argv, "-o", "json"], { cwd: dir }), 2, argv[0]);
      assert.match(error.message, /^cannot open the state store in .*\.rocky-state: .*data\.mdb is not an lmdb file/);
      assert.match(error.remediation_hint ?? "", /^move that directory away/);
    }
  });
});

describe("rocky run on Snowflake and Databricks that refuse the login or cannot be reached", SUITE, () => {
  let snowflake: FakeSnowflake;
  let databricks: FakeDatabricks;
  let cert: TestCert;
  let project: { readonly dir: string; cleanup(): void };
  before(async () => {
    cert = makeTestCert();
    [snowflake, databricks] = await Promise.all([startFakeSnowflake(), startFakeDatabricks({ cert })]);
    project = scratchCopy(SHOP);
    writeFileSync(join(project.dir, "ca.pem"), cert.cert);
  });
  after(async () => {
    await Promise.all([snowflake.close(), databricks.close()]);
    project.cleanup();
  });

  /** A one-model project on the given adapter (its own rocky.toml; the shop's models are DuckDB's). */
  const onAdapter = (adapter: string): string => {
    const dir = join(project.dir, `p${Math.random().toString(36).slice(2)}`);
    mkdirSync(join(dir, "models"), { recursive: true });
    writeFileSync(join(dir, "rocky.toml"), `${adapter}\nretry = { max_retries = 0 }\n`);
    writeFileSync(join(dir, "models/one.sql"), "SELECT 1 AS x");
    writeFileSync(join(dir, "models/_defaults.toml"), '[target]\ncatalog = "workspace"\nschema = "marts"\n');
    return dir;
  };

  const cases: readonly { name: string; toml: () => string; env?: Record<string, string>; message: RegExp; hint: RegExp; line?: number }[] = [
    {
      name: "Snowflake, wrong password",
      toml: () => `[adapter]\ntype = "snowflake"\naccount = "acct"\nuser = "tester"\npassword = "WRONG"\ndatabase = "DB"\naccess_url = "${snowflake.url}"`,
      message: /^rocky (run|branch): snowflake adapter "default": authentication failed 390100.*Incorrect username or password/,
      hint: /`user` and `password` \(or `private_key_path`\) in \[adapter\]/,
    },
    {
      name: "Snowflake, no password anywhere",
      toml: () => `[adapter]\ntype = "snowflake"\naccount = "acct"\nuser = "tester"\naccess_url = "${snowflake.url}"`,
      message: /^rocky (run|branch): rocky\.toml:1: snowflake adapter "default": configuration error: `password` is required in \[adapter\] \(or SNOWFLAKE_PASSWORD/,
      hint: /fix the adapter's settings in rocky\.toml/,
    },
    {
      name: "Databricks, no token anywhere, in a named adapter",
      toml: () => `# production\n\n[adapter.prod]\ntype = "databricks"\nhost = "${databricks.host}"\nhttp_path = "${databricks.path}"`,
      message: /^rocky (run|branch): rocky\.toml:3: databricks adapter "prod": configuration error: `token` is required in \[adapter\.prod\] \(or DATABRICKS_TOKEN\)/,
      hint: /fix the adapter's settings in rocky\.toml/,
      line: 3,
    },
    {
      name: "Databricks, wrong token",
      toml: () => `[adapter]\ntype = "databricks"\nhost = "${databricks.host}"\nport = ${databricks.port}\nhttp_path = "${databricks.path}"\ntoken = "dapi-wrong"\ncatalog = "workspace"\nca_cert_path = "../ca.pem"`,
      message: /^rocky (run|branch): databricks adapter "default": authentication failed.*401/,
      hint: /`token` in \[adapter\] of rocky\.toml \(or DATABRICKS_TOKEN\)/,
    },
    {
      name: "Databricks, nothing listening",
      toml: () => `[adapter]\ntype = "databricks"\nhost = "127.0.0.1"\nport = 9\nhttp_path = "/sql/x"\ntoken = "t"\ncatalog = "workspace"\nca_cert_path = "../ca.pem"`,
      message: /^rocky (run|branch): databricks adapter "default": connection failed/,
      hint: /`host` and `http_path` in \[adapter\]/,
    },
  ];
  for (const c of cases) {
    it(`${c.name}: exit 2, one line naming the adapter and what to do; JSON error object`, async () => {
      const dir = onAdapter(c.toml());
      for (const argv of [["run"], ["branch", "create", "x"]]) {
        const r = await rocky(argv, { cwd: dir, env: c.env });
        assert.equal(r.code, 2, `${argv.join(" ")}: ${r.stderr}`);
        assert.match(r.stderr, c.message);
        assert.match(r.stderr, c.hint);
        assert.equal(r.stderr.trimEnd().split("\n").length, 1, r.stderr);
        const error = errorOf(await rocky([...argv, "-o", "json"], { cwd: dir, env: c.env }), 2, argv[0]);
        assert.equal(error.code, "warehouse_error");
        if (/configuration error/.test(r.stderr)) assert.deepEqual([error.file, error.line], ["rocky.toml", c.line ?? 1], "the [adapter] table the setting goes in");
        assert.match(error.remediation_hint ?? "", c.hint);
      }
    });
  }
});

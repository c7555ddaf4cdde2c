import assert from "node:assert/strict";
import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { VERSION } from "../../engine/src/version.js";
import { MALFORMED_PROJECT } from "../engine/pipeline/support/malformed-project.js";
import { createGitFixture } from "../support/git-fixture.js";
import { type CliRun, parseJson, readTree, rocky, SHOP, scratchCopy, shopRepo } from "./support/cli-harness.js";

/**
 * Every verb end to end, in-process through `main()`, on the example shop project: its PR
 * (examples/shop-pr) checked out on `pr` in a scratch git repository with `main` as the base, and a
 * clean copy of the base project outside git. The PR is built to fail review: E011 two hops below
 * stg_orders, P001 NVL on DuckDB, a pii email reaching an unmasked export through a CAST.
 */
const SUITE = { timeout: 180_000 };

type Json = Record<string, unknown> & { version: string; command: string };
interface Diag {
  severity: string;
  code: string;
  span?: { file: string; line: number; col: number };
}

/** A JSON output: exit code as expected, nothing on stderr, and the two fields every JSON output carries. */
function jsonOf(run: CliRun, command: string, code = 0): Json {
  assert.equal(run.code, code, `exit code; stderr: ${run.stderr}`);
  assert.equal(run.stderr, "");
  const out = parseJson(run);
  assert.equal(out.version, VERSION);
  assert.equal(out.command, command);
  return out;
}

const at = (d: Diag) => `${d.severity} ${d.code} ${d.span?.file}:${d.span?.line}:${d.span?.col}`;

describe("rocky verbs on the example PR", SUITE, () => {
  let repo: ReturnType<typeof shopRepo>;
  let base: ReturnType<typeof scratchCopy>;
  const run = (argv: readonly string[]) => rocky(argv, { cwd: repo.project });
  before(() => {
    repo = shopRepo();
    base = scratchCopy(SHOP);
  });
  after(() => {
    repo.cleanup();
    base.cleanup();
  });

  describe("compile", () => {
    it("text: rustc-style errors at the exact lines, exit 1", async () => {
      const r = await run(["compile"]);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stdout, /^error\[E011\]: column 'amount' type mismatch: contract expects Decimal\(18,2\), got Float64\n --> models\/fct_orders\.sql:7:5\n/m);
      assert.match(r.stdout, /^error\[P001\]: NVL is not portable to DuckDB.*\n\s+--> models\/int_order_payments\.sql:16:5\n/m);
      assert.match(r.stdout, /^16 \|     NVL\(p\.paid_amount, 0\) AS paid_amount,\n\s+\|     \^\^\^$/m);
      assert.match(r.stdout, /= help: use COALESCE\(\.\.\.\) instead of NVL\(\.\.\.\)/);
      assert.match(r.stdout, /^✓ customer_contacts \(3 columns\)$/m);
      assert.match(r.stdout, /^✗ fct_orders$/m);
      assert.match(r.stdout, /^Compiled: 8 models, 2 errors, 0 warnings/m);
    });

    it("json: Rocky's shape with models_detail and timings; errors exactly E011 and P001", async () => {
      const out = jsonOf(await run(["compile", "--output", "json"]), "compile", 1);
      assert.equal(out.models, 8);
      assert.equal(out.has_errors, true);
      assert.equal(out.execution_layers, 4);
      assert.deepEqual((out.diagnostics as Diag[]).filter((d) => d.severity === "Error").map(at), ["Error E011 models/fct_orders.sql:7:5", "Error P001 models/int_order_payments.sql:16:5"]);
      const detail = out.models_detail as { name: string; depends_on: string[]; columns: { name: string; type: string; nullable: boolean }[] }[];
      assert.equal(detail.length, 8);
      const fct = detail.find((m) => m.name === "fct_orders");
      assert.deepEqual(fct?.depends_on, ["int_order_payments"]);
      assert.deepEqual(fct?.columns.find((c) => c.name === "amount"), { name: "amount", type: "Float64", nullable: true });
      const timings = out.compile_timings as Record<string, number>;
      for (const k of ["project_load_ms", "parse_ms", "semantic_graph_ms", "typecheck_ms", "total_ms"]) assert.equal(typeof timings[k], "number", k);
    });

    it("--model narrows the output to one model", async () => {
      const out = jsonOf(await run(["compile", "--model", "int_order_payments", "-o", "json"]), "compile", 1);
      assert.deepEqual((out.diagnostics as Diag[]).map((d) => d.code), ["P001"]);
      assert.deepEqual((out.models_detail as { name: string }[]).map((m) => m.name), ["int_order_payments"]);
      const text = await run(["compile", "--model", "int_order_payments"]);
      assert.deepEqual(text.stdout.split("\n").filter((l) => /^[✓✗-] /.test(l)), ["✗ int_order_payments"], "the text lists that model only");
      assert.match(text.stdout, /^Compiled: 8 models, 1 error, 0 warnings/m, "one error, not `1 errors`");
    });

    it("a project without rocky.toml compiles with the defaults, and says so on stderr", async () => {
      const copy = scratchCopy(SHOP);
      try {
        rmSync(join(copy.dir, "rocky.toml"));
        for (const argv of [["compile"], ["compile", "-o", "json"], ["lineage", "fct_orders"]]) {
          const r = await rocky(argv, { cwd: copy.dir });
          assert.equal(r.code, 0, argv.join(" "));
          assert.equal(r.stderr, `rocky: warning: no rocky.toml in ${copy.dir}: compiling with the defaults (no adapter, so DuckDB SQL; no [freshness], [mask], [portability] or [budget]); add rocky.toml, or pass -C the directory that holds it\n`);
        }
        const validate = await rocky(["validate"], { cwd: copy.dir });
        assert.equal(validate.code, 1);
        assert.match(validate.stdout, /^✗ V001 rocky\.toml not found/m);
        assert.equal(validate.stderr, "", "validate says it as V001");
      } finally {
        copy.cleanup();
      }
    });

    it("the base project compiles clean (exit 0), and a second run is served from the cache", async () => {
      const first = jsonOf(await rocky(["compile", "-o", "json"], { cwd: base.dir }), "compile", 0);
      assert.equal(first.has_errors, false);
      const second = jsonOf(await rocky(["compile", "-o", "json"], { cwd: base.dir }), "compile", 0);
      assert.deepEqual(second.models_detail, first.models_detail);
      assert.equal((second.compile_timings as { cache_hits: number }).cache_hits, 7);
      assert.equal((second.compile_timings as { analysed: number }).analysed, 0);
      const fresh = jsonOf(await rocky(["compile", "-o", "json", "--no-cache"], { cwd: base.dir }), "compile", 0);
      assert.equal((fresh.compile_timings as { analysed: number }).analysed, 7);
    });

    it("--target-dialect changes the P001 target: NVL is fine on Snowflake", async () => {
      const out = jsonOf(await run(["compile", "--target-dialect", "sf", "-o", "json"]), "compile", 1);
      assert.deepEqual((out.diagnostics as Diag[]).filter((d) => d.code === "P001"), []);
      assert.ok((out.diagnostics as Diag[]).some((d) => d.code === "E011"));
    });

    it("--with-seed (the seed run in DuckDB) types the sources exactly as reading the seed's DDL does", async () => {
      const statically = jsonOf(await rocky(["compile", "-o", "json", "--no-cache"], { cwd: base.dir }), "compile", 0);
      const seeded = jsonOf(await rocky(["compile", "-o", "json", "--no-cache", "--with-seed"], { cwd: base.dir }), "compile", 0);
      assert.deepEqual(seeded.models_detail, statically.models_detail);
      const stg = (seeded.models_detail as { name: string; columns: { name: string; type: string }[] }[]).find((m) => m.name === "stg_orders");
      assert.ok(stg && stg.columns.length > 0 && stg.columns.every((c) => c.type !== "Unknown"), JSON.stringify(stg));
    });

    it("--models DIR reads models from another folder; without it the project has none (R006)", async () => {
      const moved = scratchCopy(SHOP);
      try {
        renameSync(join(moved.dir, "models"), join(moved.dir, "sql"));
        const out = jsonOf(await rocky(["compile", "--models", "sql", "-o", "json"], { cwd: moved.dir }), "compile", 0);
        assert.equal(out.models, 7);
        const none = jsonOf(await rocky(["compile", "-o", "json"], { cwd: moved.dir }), "compile", 1);
        assert.deepEqual((none.diagnostics as Diag[]).map(at), ["Error R006 models/:1:1"]);
      } finally {
        moved.cleanup();
      }
    });

    it("--var binds @var: E028 without it, a typed model with it", async () => {
      const copy = scratchCopy(MALFORMED_PROJECT);
      try {
        const without = jsonOf(await rocky(["compile", "--model", "uses_var", "-o", "json"], { cwd: copy.dir }), "compile", 1);
        assert.ok((without.diagnostics as Diag[]).some((d) => at(d) === "Error E028 models/uses_var.sql:3:16"));
        const bound = jsonOf(await rocky(["compile", "--model", "uses_var", "--var", "order_status='paid'", "-o", "json"], { cwd: copy.dir }), "compile", 0);
        assert.deepEqual(bound.diagnostics, []);
        assert.deepEqual((bound.models_detail as { columns: unknown[] }[])[0].columns, [{ name: "id", type: "Int64", nullable: false }]);
      } finally {
        copy.cleanup();
      }
    });

    it("a malformed project: exit 1, every mistake reported, no crash", async () => {
      const copy = scratchCopy(MALFORMED_PROJECT);
      try {
        writeFileSync(join(copy.dir, "models", "latin1.sql"), Buffer.from("SELECT 'caf\xe9' AS x\n", "latin1"));
        const r = await rocky(["compile", "-o", "json"], { cwd: copy.dir });
        const out = jsonOf(r, "compile", 1);
        const codes = new Set((out.diagnostics as Diag[]).map((d) => d.code));
        for (const code of ["R001", "R002", "R003", "R005", "R008", "E028", "W011"]) assert.ok(codes.has(code), code);
        const text = await rocky(["compile"], { cwd: copy.dir });
        assert.equal(text.code, 1);
        assert.match(text.stdout, /error\[R003\]: dependency cycle: `cycle_a` → `cycle_b` → `cycle_a`\n\s+--> models\/cycle_a\.sql:2:6/);
        // A model file that could not be read is listed with the others, and counted apart.
        assert.match(text.stdout, /^✗ latin1 \(models\/latin1\.sql could not be read: R007 below\)$/m);
        assert.match(text.stdout, /^Compiled: \d+ models \(1 more could not be read\), /m);
        // A model behind the cycle is not typed, and the listing says why instead of "✓ (0 columns)".
        writeFileSync(join(copy.dir, "models", "behind_cycle.sql"), "SELECT id\nFROM cycle_a\n");
        const behind = await rocky(["compile"], { cwd: copy.dir });
        assert.match(behind.stdout, /^- behind_cycle \(not typed: a model it depends on is in a dependency cycle\)$/m);
        assert.match(behind.stdout, /^✗ cycle_a$/m);
      } finally {
        copy.cleanup();
      }
    });
  });

  describe("lineage", () => {
    it("a model: upstream, downstream and each column's sources", async () => {
      const r = await run(["lineage", "fct_orders"]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^ {2}upstream: int_order_payments$/m);
      assert.match(r.stdout, /^ {2}downstream: dim_customers, fct_revenue_daily$/m);
      assert.match(r.stdout, /^ {2}amount: Float64 <- int_order_payments\.amount \[direct\]$/m);
      assert.match(r.stdout, /^ {2}outstanding_amount: Float64 <- int_order_payments\.amount \[expression\], int_order_payments\.paid_amount \[expression\]$/m);
    });

    it("model.column --upstream walks to the raw source", async () => {
      const r = await run(["lineage", "fct_orders.amount", "--upstream"]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /<- int_order_payments\.amount \[direct\]\n\s+<- stg_orders\.amount \[direct\]\n\s+<- raw\.orders\.amount_cents \[expression\]/);
    });

    it("a source's column is traced downstream to the model columns that read it", async () => {
      const r = await run(["lineage", "raw.orders.amount_cents"]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^raw\.orders\.amount_cents \(downstream\)\n {2}-> stg_orders\.amount \[expression\]\n {4}-> int_order_payments\.amount \[direct\]/);
      const json = jsonOf(await run(["lineage", "RAW.ORDERS.AMOUNT_CENTS", "-o", "json"]), "lineage");
      assert.deepEqual([json.model, json.column], ["raw.orders", "amount_cents"]);
      const up = await run(["lineage", "raw.orders.amount_cents", "--upstream"]);
      assert.equal(up.code, 2);
      assert.match(up.stderr, /`raw\.orders` is a source: its columns have no upstream/);
      const typo = await run(["lineage", "raw.orders.amount_cent"]);
      assert.equal(typo.code, 2);
      assert.match(typo.stderr, /no model reads a column `amount_cent` of source `raw\.orders` \(did you mean `amount_cents`\?\)/);
      const whole = await run(["lineage", "raw.orders"]);
      assert.equal(whole.code, 2);
      assert.match(whole.stderr, /`raw\.orders` is a source, not a model/);
    });

    it("json for a model and for a column", async () => {
      const model = jsonOf(await run(["lineage", "fct_orders", "-o", "json"]), "lineage");
      assert.equal(model.model, "fct_orders");
      assert.deepEqual((model.columns as { name: string; data_type: string }[]).find((c) => c.name === "amount"), { name: "amount", data_type: "Float64" });
      const column = jsonOf(await run(["lineage", "stg_customers.email", "--downstream", "-o", "json"]), "lineage");
      assert.match(JSON.stringify(column), /customer_contacts/);
    });

    it("--all json: every column edge, with its transform", async () => {
      const out = jsonOf(await run(["lineage", "--all", "--output", "json"]), "lineage");
      const edges = out.edges as { source: { model: string; column: string }; target: { model: string; column: string }; transform: string }[];
      const email = edges.find((e) => e.target.model === "customer_contacts" && e.target.column === "contact_email");
      assert.deepEqual(email?.source, { model: "stg_customers", column: "email" });
      assert.match(email?.transform ?? "", /^cast/);
      assert.ok(edges.some((e) => e.source.model === "raw.orders" && e.target.model === "stg_orders"));
      // The text lists every edge too (it printed only the count), then the count.
      const text = await run(["lineage", "--all"]);
      assert.equal(text.code, 0);
      const lines = text.stdout.split("\n");
      assert.equal(lines.filter((l) => / -> /.test(l)).length, edges.length);
      assert.ok(lines.includes("stg_customers.email -> customer_contacts.contact_email [cast]"), text.stdout);
      assert.ok(text.stdout.endsWith(`\n\n${edges.length} column edges across 8 models\n`), text.stdout);
    });

    it("--all as a graph: dot and mermaid draw every column edge (they printed the text count)", async () => {
      const edges = (jsonOf(await run(["lineage", "--all", "--output", "json"]), "lineage").edges as unknown[]).length;
      const dot = await run(["lineage", "--all", "--output", "dot"]);
      assert.equal(dot.code, 0);
      assert.match(dot.stdout, /^digraph lineage \{\n/);
      assert.match(dot.stdout, /"stg_customers\.email" -> "customer_contacts\.contact_email" \[label="cast"\];/);
      assert.equal(dot.stdout.split("\n").filter((l) => / -> /.test(l)).length, edges);
      const mermaid = await run(["lineage", "--all", "-o", "mermaid"]);
      assert.equal(mermaid.code, 0);
      assert.match(mermaid.stdout, /^flowchart LR\n/);
      assert.equal(mermaid.stdout.split("\n").filter((l) => / -->\|/.test(l)).length, edges);
    });

    it("dot and mermaid graphs", async () => {
      const dot = await run(["lineage", "fct_orders.amount", "--output", "dot"]);
      assert.equal(dot.code, 0);
      assert.match(dot.stdout, /^digraph lineage \{\n/);
      assert.match(dot.stdout, /"fct_orders\.amount" -> "fct_revenue_daily\.revenue" \[label="aggregation: sum"\];/);
      assert.match(dot.stdout, /\}\n+$/);
      const mermaid = await run(["lineage", "stg_orders.amount", "--output", "mermaid"]);
      assert.equal(mermaid.code, 0);
      assert.match(mermaid.stdout, /^flowchart LR\n/);
      assert.match(mermaid.stdout, /n\d+\["stg_orders\.amount"\]/);
      assert.match(mermaid.stdout, /-->\|"aggregation: sum"\|/);
    });

    it("a model that does not parse: its error is shown, as compile renders it, and the answer exits 1", async () => {
      const copy = scratchCopy(SHOP);
      try {
        const file = join(copy.dir, "models/stg_customers.sql");
        writeFileSync(file, readFileSync(file, "utf8").replace("SELECT", "SELECT ("));
        const inCopy = (argv: readonly string[]) => rocky(argv, { cwd: copy.dir });
        const error = /^error\[R001\]: syntax error: expected '\)', found keyword AS\n --> models\/stg_customers\.sql:3:8\n {2}\|\n3 \| {5}id AS customer_id,\n {2}\| {8}\^$/m;

        const model = await inCopy(["lineage", "stg_customers"]);
        assert.equal(model.code, 1, model.stderr);
        assert.match(model.stdout, /^Lineage is incomplete: 1 model could not be typed \(stg_customers\)\.$/m);
        assert.match(model.stdout, error);

        const column = await inCopy(["lineage", "stg_customers.email"]);
        assert.equal(column.code, 1, "not a usage error: the column is unknown because the model is broken");
        assert.match(column.stderr, /^rocky lineage: model `stg_customers` could not be typed, so its columns are unknown\n/);
        assert.match(column.stderr, error);
        assert.doesNotMatch(column.stderr, /has no column/);

        // A reader of the broken model: its lineage leads into it.
        const reader = await inCopy(["lineage", "dim_customers.email", "--upstream"]);
        assert.equal(reader.code, 1);
        assert.match(reader.stdout, error);
        const json = JSON.parse((await inCopy(["lineage", "dim_customers", "-o", "json"])).stdout) as { untyped_models: string[]; diagnostics: Diag[] };
        assert.deepEqual(json.untyped_models, ["stg_customers"]);
        assert.deepEqual(json.diagnostics.map(at), ["Error R001 models/stg_customers.sql:3:8"]);
        const dot = await inCopy(["lineage", "dim_customers", "-o", "dot"]);
        assert.equal(dot.code, 1);
        assert.match(dot.stdout, /^digraph lineage \{/);
        assert.match(dot.stderr, error, "beside the graph, not in it");
        const all = await inCopy(["lineage", "--all"]);
        assert.equal(all.code, 1);
        assert.match(all.stdout, error);

        // Lineage that does not touch it is whole.
        const clean = await inCopy(["lineage", "fct_revenue_daily"]);
        assert.equal(clean.code, 0);
        assert.doesNotMatch(clean.stdout, /incomplete/);
      } finally {
        copy.cleanup();
      }
    });

    it("a model in a dependency cycle, and one behind it, are named as not typed", async () => {
      const copy = scratchCopy(SHOP);
      try {
        const file = join(copy.dir, "models/stg_payments.sql");
        writeFileSync(file, readFileSync(file, "utf8").replace("FROM raw.payments", "FROM raw.payments JOIN fct_orders ON 1 = 1"));
        const r = await rocky(["lineage", "dim_customers"], { cwd: copy.dir });
        assert.equal(r.code, 1);
        assert.match(r.stdout, /^Lineage is incomplete: 2 models could not be typed \(dim_customers, fct_orders\)\.$/m);
        assert.match(r.stdout, /^error\[R003\]: dependency cycle: `fct_orders` → `int_order_payments` → `stg_payments` → `fct_orders`$/m);
        assert.match(r.stdout, /^dim_customers: not typed, since a model it depends on is in a dependency cycle/m);
      } finally {
        copy.cleanup();
      }
    });
  });

  describe("validate", () => {
    it("the example project is valid (text and json)", async () => {
      const r = await run(["validate"]);
      assert.equal(r.code, 0, r.stdout);
      assert.match(r.stdout, /Configuration is valid\.\n$/);
      const out = jsonOf(await run(["validate", "-o", "json"]), "validate");
      assert.equal(out.valid, true);
    });

    it("the malformed project is invalid, naming the broken files", async () => {
      const copy = scratchCopy(MALFORMED_PROJECT);
      try {
        const out = jsonOf(await rocky(["validate", "-o", "json"], { cwd: copy.dir }), "validate", 1);
        assert.equal(out.valid, false);
        const errorFiles = new Set((out.messages as { severity: string; file?: string }[]).filter((m) => m.severity === "error").map((m) => m.file));
        for (const f of ["models/broken_sidecar.toml", "models/bad_contract.contract.toml"]) assert.ok(errorFiles.has(f), `${f} in ${[...errorFiles].join(", ")}`);
      } finally {
        copy.cleanup();
      }
    });

    it("a table in FROM that no model or known source has: validate reports it where compile does (R004), without a warehouse", async () => {
      const copy = scratchCopy(SHOP);
      try {
        const file = join(copy.dir, "models/stg_payments.sql");
        writeFileSync(file, readFileSync(file, "utf8").replace("FROM raw.payments", "FROM payments_staged"));
        const r = await rocky(["validate"], { cwd: copy.dir });
        assert.equal(r.code, 1, r.stdout);
        assert.match(r.stdout, /^✗ V031 model stg_payments: unknown model `payments_staged`: no model or known source has that name; .* \(models\/stg_payments\.sql:8\)$/m);
        assert.match(r.stdout, /Configuration is invalid\.\n$/);
        const compiled = jsonOf(await rocky(["compile", "-o", "json", "--no-cache"], { cwd: copy.dir }), "compile", 1);
        assert.deepEqual((compiled.diagnostics as Diag[]).filter((d) => d.code === "R004").map(at), ["Error R004 models/stg_payments.sql:8:6"]);
        // The seed declares the table: known to both.
        writeFileSync(join(copy.dir, "data/seed.sql"), `${readFileSync(join(copy.dir, "data/seed.sql"), "utf8")}\nCREATE TABLE payments_staged (id INTEGER, order_id INTEGER, method VARCHAR, amount_cents BIGINT, paid_at TIMESTAMP);\n`);
        const seeded = await rocky(["validate"], { cwd: copy.dir });
        assert.equal(seeded.code, 0, seeded.stdout);
      } finally {
        copy.cleanup();
      }
    });
  });

  describe("lineage-diff and ci-diff", () => {
    it("lineage-diff json: the type change with its consumers, the added model", async () => {
      const out = jsonOf(await run(["lineage-diff", "main", "-o", "json"]), "lineage-diff");
      assert.deepEqual(out.summary, { total_models: 8, unchanged: 2, modified: 5, added: 1, removed: 0 });
      const results = out.results as { model_name: string; status: string; column_changes: { column_name: string; change_type: string; old_type?: string; new_type?: string; downstream_consumers: { model: string; column: string }[] }[] }[];
      const amount = results.find((m) => m.model_name === "stg_orders")?.column_changes.find((c) => c.column_name === "amount");
      assert.equal(amount?.change_type, "type_changed");
      assert.equal(`${amount?.old_type} -> ${amount?.new_type}`, "Decimal(18,2) -> Float64");
      const consumers = amount?.downstream_consumers.map((c) => `${c.model}.${c.column}`) ?? [];
      for (const c of ["int_order_payments.amount", "fct_orders.amount", "fct_revenue_daily.revenue", "dim_customers.lifetime_value"]) assert.ok(consumers.includes(c), `${c} in ${consumers.join(", ")}`);
      assert.equal(results.find((m) => m.model_name === "customer_contacts")?.status, "added");
    });

    it("lineage-diff markdown and text; base defaults to main", async () => {
      const md = await run(["lineage-diff", "-o", "markdown"]);
      assert.equal(md.code, 0, md.stderr);
      assert.match(md.stdout, /^### Rocky Lineage Diff/);
      assert.match(md.stdout, /\| `amount` \| type_changed \| Decimal\(18,2\) \| Float64 \|/);
      const text = await run(["lineage-diff", "main"]);
      assert.equal(text.code, 0);
      assert.match(text.stdout, /^Lineage diff against main\n/);
    });

    it("ci-diff json: per-model changes with the resolved target; informational exit 0", async () => {
      const out = jsonOf(await run(["ci-diff", "main", "-o", "json"]), "ci-diff");
      assert.deepEqual(out.summary, { total_models: 8, unchanged: 2, modified: 5, added: 1, removed: 0 });
      const models = out.models as { model_name: string; resolved_target?: string }[];
      assert.equal(models.find((m) => m.model_name === "stg_orders")?.resolved_target, "analytics.staging.stg_orders");
      const text = await run(["ci-diff"]);
      assert.equal(text.code, 0);
      assert.match(text.stdout, /^CI diff: HEAD against main\n/);
      assert.match(text.stdout, /^ {2}stg_orders +analytics\.staging\.stg_orders +modified$/m);
      assert.match(text.stdout, /^stg_orders: 1 column change\n {2}column +change +old type +new type\n {2}-+ +-+ +-+ +-+\n {2}amount +type_changed +Decimal\(18,2\) +Float64$/m);
      assert.doesNotMatch(text.stdout, /\||###|<details>/, "no Markdown in text");
      const md = await run(["ci-diff", "-o", "markdown"]);
      assert.match(md.stdout, /^### Rocky CI Diff\n/);
      assert.doesNotMatch(text.stdout, /Semantic findings/);
    });

    it("ci-diff --semantic lists the breaking-change findings in text too (it changed only the JSON)", async () => {
      const out = jsonOf(await run(["ci-diff", "main", "--semantic", "-o", "json"]), "ci-diff");
      const findings = out.breaking_findings as { severity: string }[];
      const text = await run(["ci-diff", "main", "--semantic"]);
      assert.equal(text.code, 0);
      const breaking = findings.filter((f) => f.severity === "breaking").length;
      assert.ok(breaking > 0);
      assert.match(text.stdout, new RegExp(`^Semantic findings: ${breaking} breaking, \\d+ warning, \\d+ info$`, "m"));
      assert.match(text.stdout, /^ {2}breaking column_type_changed: fct_orders\.amount \(models\/fct_orders\.sql:7:5\)\n {4}amount: Decimal\(18,2\) → Float64 \(narrowing\), from stg_orders\.amount$/m);
      assert.equal(text.stdout.split("\n").filter((l) => /^ {2}(breaking|warning|info) /.test(l)).length, findings.length);
    });

    it("a PR that breaks a model: lineage-diff and ci-diff report its error and exit 1, not `0 column changes`", async () => {
      const files = readTree(SHOP);
      const broken = Buffer.from(readFileSync(join(SHOP, "models/stg_customers.sql"), "utf8").replace("SELECT", "SELECT ("));
      const pr = createGitFixture({ base: { ...files, ".gitignore": ".rocky-state/\n" }, head: { "models/stg_customers.sql": broken }, headIsPatch: true });
      try {
        const inPr = (argv: readonly string[]) => rocky(argv, { cwd: pr.dir });
        const diff = await inPr(["lineage-diff", "main", "-o", "markdown"]);
        assert.equal(diff.code, 1);
        assert.match(diff.stdout, /<code>stg_customers<\/code><\/b> — modified \(columns not compared: it does not compile\)/);
        assert.match(diff.stdout, /^#### Not compared\n\nThis model does not compile on HEAD, so its columns could not be compared:\n\n- `stg_customers`: R001 syntax error: expected '\)', found keyword AS \(`models\/stg_customers\.sql:3:8`\)$/m);
        const ci = await inPr(["ci-diff", "main"]);
        assert.equal(ci.code, 1);
        assert.match(ci.stdout, /^Not compared: 1 model does not compile on HEAD \(stg_customers\)\.\n\nerror\[R001\]: syntax error: expected '\)', found keyword AS\n --> models\/stg_customers\.sql:3:8\n {2}\|\n3 \| {5}id AS customer_id,$/m);
        const json = JSON.parse((await inPr(["ci-diff", "main", "-o", "json"])).stdout) as { diagnostics: Diag[] };
        assert.deepEqual(json.diagnostics.map(at), ["Error R001 models/stg_customers.sql:3:8"]);
        const lineageJson = JSON.parse((await inPr(["lineage-diff", "main", "-o", "json"])).stdout) as { diagnostics: Diag[] };
        assert.deepEqual(lineageJson.diagnostics.map(at), ["Error R001 models/stg_customers.sql:3:8"]);
      } finally {
        pr.cleanup();
      }
    });
  });

  describe("compliance", () => {
    it("the PR's email export is an exception through lineage; --fail-on exception exits 1", async () => {
      const plain = await run(["compliance"]);
      assert.equal(plain.code, 0, plain.stderr);
      assert.match(plain.stdout, /customer_contacts\.contact_email \[default\]: not classified, but carries 'pii' values unmasked: stg_customers\.email → customer_contacts\.contact_email \(cast\)/);
      const failing = await run(["compliance", "--fail-on", "exception"]);
      assert.equal(failing.code, 1);
      assert.equal(failing.stdout, plain.stdout);
    });

    it("json for one environment", async () => {
      const out = jsonOf(await run(["compliance", "--env", "prod", "-o", "json", "--fail-on", "exception"]), "compliance", 1);
      const summary = out.summary as { total_exceptions: number; total_lineage_exceptions: number };
      assert.equal(summary.total_exceptions, 1);
      assert.equal(summary.total_lineage_exceptions, 1);
      const envs = new Set((out.per_column as { envs: { env: string }[] }[]).flatMap((c) => c.envs.map((e) => e.env)));
      assert.deepEqual([...envs], ["prod"]);
    });

    it("--env naming no [mask.<env>] of the project: usage error (exit 2) listing the environments, with did-you-mean", async () => {
      for (const argv of [["compliance", "--env", "prd"], ["review", "--base", "main", "--env", "prd"]]) {
        const r = await run(argv);
        assert.equal(r.code, 2, `${argv.join(" ")}: ${r.stdout}${r.stderr}`);
        assert.equal(r.stdout, "");
        assert.match(r.stderr, /^rocky (compliance|review): --env: unknown compliance environment "prd" \(did you mean "prod"\?\): the project defines "prod" \(\[mask\.<env>\] in rocky\.toml\)\. — Name one of them/);
      }
    });

    it("the base project has no exception: --fail-on exception exits 0", async () => {
      const r = await rocky(["compliance", "--fail-on", "exception"], { cwd: base.dir });
      assert.equal(r.code, 0, r.stdout);
      assert.match(r.stdout, /exceptions=0/);
    });
  });

  describe("preview cost", () => {
    it("json: the PR's models with basis and confidence; a warn-only budget exits 0", async () => {
      const out = jsonOf(await run(["preview", "cost", "--base", "main", "-o", "json"]), "preview-cost");
      const per = out.per_model as { model_name: string; basis: string; confidence: string; base_cost_usd: number | null }[];
      assert.deepEqual(per.map((m) => m.model_name).sort(), ["customer_contacts", "dim_customers", "fct_orders", "fct_revenue_daily", "int_order_payments", "stg_orders"]);
      for (const m of per) {
        assert.equal(m.basis, "static");
        assert.ok(["low", "medium", "high"].includes(m.confidence), m.confidence);
      }
      const md = await run(["preview", "cost", "-o", "markdown"]);
      assert.equal(md.code, 0);
      assert.match(md.stdout, /^\*\*Preview cost\*\* — branch `HEAD` vs `main`/);
    });

    it("a PR that breaks a model: it is named as not priced, with its error, the totals leave it out, exit 1", async () => {
      const files = readTree(SHOP);
      const broken = Buffer.from(readFileSync(join(SHOP, "models/stg_customers.sql"), "utf8").replace("SELECT", "SELECT ("));
      const pr = createGitFixture({ base: { ...files, ".gitignore": ".rocky-state/\n" }, head: { "models/stg_customers.sql": broken }, headIsPatch: true });
      try {
        const inPr = (argv: readonly string[]) => rocky(argv, { cwd: pr.dir });
        const out = jsonOf(await inPr(["preview", "cost", "-o", "json"]), "preview-cost", 1);
        assert.deepEqual(out.not_priced, ["stg_customers"]);
        assert.equal((out.summary as { models_not_priced: number }).models_not_priced, 1);
        assert.deepEqual((out.diagnostics as Diag[]).map(at), ["Error R001 models/stg_customers.sql:3:8"]);
        assert.ok(!(out.per_model as { model_name: string }[]).some((m) => m.model_name === "stg_customers"), "no made-up figure for it");
        const text = await inPr(["preview", "cost", "--no-cache"]);
        assert.equal(text.code, 1);
        assert.match(text.stdout, /^Δ .* per run; .*; leaves out 1 model that does not compile on HEAD \(stg_customers\)$/m);
        assert.match(text.stdout, /^Not priced: 1 model does not compile on HEAD \(stg_customers\)\.\n\nerror\[R001\]: syntax error: expected '\)', found keyword AS\n --> models\/stg_customers\.sql:3:8$/m);
        const md = await inPr(["preview", "cost", "-o", "markdown"]);
        assert.equal(md.code, 1);
        assert.match(md.stdout, /^#### Not priced\n\nThis model does not compile on `HEAD`, so it has no cost to project and the totals above leave it out:\n\n- `stg_customers`: R001 /m);
      } finally {
        pr.cleanup();
      }
    });

    it("text (the default) is for a terminal: aligned columns, no Markdown", async () => {
      const text = await run(["preview", "cost"]);
      assert.equal(text.code, 0);
      assert.match(text.stdout, /^Preview cost: branch HEAD vs main\n/);
      // No model was copied: no empty "copied" column, and the table fits an 80-column terminal.
      assert.match(text.stdout, /^ {2}model +branch \$ +base \$ +Δ \$ +branch dur +base dur +basis$/m);
      assert.match(text.stdout, /^ {2}stg_orders +\$/m);
      assert.deepEqual(text.stdout.split("\n").filter((l) => [...l].length > 80), []);
      assert.doesNotMatch(text.stdout, /\||\*\*|`/);
    });
  });

  describe("review", () => {
    it("markdown (the default) is the sticky comment; the default policy fails, exit 1", async () => {
      const r = await run(["review", "--base", "main"]);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stdout, /^<!-- rocky-review:v1 -->\n## ❌ Rocky review: /);
      for (const code of ["E011", "unmasked_column", "P001"]) assert.match(r.stdout, new RegExp(`\`${code}\``));
      assert.match(r.stdout, /`models\/int_order_payments\.sql:16:5`/);
      assert.ok(r.stdout.length <= 65_536);
    });

    it("json: the versioned report, the verdict and one check per concern", async () => {
      const out = jsonOf(await run(["review", "--base", "main", "-o", "json"]), "review", 1);
      assert.equal(out.verdict, "fail");
      const report = out.report as { version: number; kind: string; base: { ref: string }; summary: { models: Record<string, number> } };
      assert.equal(report.kind, "rocky-review");
      assert.equal(report.version, 1);
      assert.equal(report.base.ref, "main");
      assert.deepEqual(report.summary.models, { total: 8, added: 1, removed: 0, modified: 5, unchanged: 2 });
      assert.deepEqual(
        (out.checks as { name: string; conclusion: string }[]).map((c) => `${c.name}=${c.conclusion}`),
        ["rocky/compile=success", "rocky/contracts=failure", "rocky/masking=failure", "rocky/portability=failure", "rocky/cost=success"],
      );
    });

    const policies: readonly { failOn: string; code: number; conclusions: string }[] = [
      { failOn: "error", code: 1, conclusions: "success failure failure failure success" },
      { failOn: "warning", code: 1, conclusions: "success failure failure failure success" },
      { failOn: "never", code: 0, conclusions: "success neutral neutral neutral success" },
      { failOn: "contracts=never", code: 1, conclusions: "success neutral failure failure success" },
      { failOn: "contracts=never,masking=never,portability=never", code: 0, conclusions: "success neutral neutral neutral success" },
      { failOn: "rocky/portability=never", code: 1, conclusions: "success failure failure neutral success" },
    ];
    for (const p of policies) {
      it(`--fail-on ${p.failOn}: exit ${p.code}`, async () => {
        const out = jsonOf(await run(["review", "--base", "main", "--fail-on", p.failOn, "-o", "json"]), "review", p.code);
        assert.equal((out.checks as { conclusion: string }[]).map((c) => c.conclusion).join(" "), p.conclusions);
        assert.equal(out.verdict, p.code === 0 ? "advisory" : "fail");
      });
    }

    it("text output for a terminal", async () => {
      const r = await run(["review", "--base", "main", "--output", "text"]);
      assert.equal(r.code, 1);
      // The one warning: Decimal(18,2) → Float64 on stg_orders.amount, with the columns that narrow with it and how far it reaches.
      assert.match(r.stdout, /^Rocky review: FAIL \(3 errors, 1 warning, \d+ notices\)/);
      assert.match(r.stdout, /warning\[column_type_changed\]: amount: Decimal\(18,2\) → Float64 \(narrowing\); 6 downstream columns narrow with it; read by 6 columns in 4 downstream models, 1 of them contracted\n\s+--> models\/stg_orders\.sql:8:5/);
      assert.match(r.stdout, /error\[P001\]: NVL is not portable to DuckDB.*\n\s+--> models\/int_order_payments\.sql:16:5/);
    });

    it("a PR that touches no model: nothing to review, exit 0", async () => {
      const r = await run(["review", "--base", "main", "--head", "main"]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /Rocky review: nothing to review/);
    });

    it("a project in a sub-folder of the repository (-C) reviews the same", async () => {
      const mono = shopRepo({ subdir: "analytics" });
      try {
        const out = jsonOf(await rocky(["review", "--base", "main", "-C", "analytics", "-o", "json"], { cwd: mono.dir }), "review", 1);
        assert.equal((out.report as { projectDir: string }).projectDir, "analytics");
        assert.deepEqual((out.counts as Record<string, number>).error, 3);
      } finally {
        mono.cleanup();
      }
    });
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ADAPTER_TOML, assertHealthy, assertNoInternalErrors, compileFiles, describeAll, findings, projectFiles, seededRandom, where } from "./support/pipeline-project.js";

/**
 * Malformed and hostile input through the whole compile pipeline (`compileProject`): every case
 * yields diagnostics naming the file and the line, never an exception; the healthy model beside
 * it still compiles with typed columns. The `timeout` on each suite turns a hang into a failure.
 */
const SUITE = { timeout: 60_000 };

/** A realistic model: comments, strings, quoted names, CTE, join, CASE, window, :: cast, @var with a default. */
const REALISTIC = `-- orders with their running revenue
WITH paid AS (
  SELECT o.id,
    o.customer_id,
    o.amount::DECIMAL(12, 2) AS amount,
    o.status AS "Order Status",
    o.ordered_at
  FROM raw.orders AS o
  WHERE o.status IN ('paid', 'shipped') /* not 'fraud' */
    AND o.amount > @var(min_amount, 0)
)
SELECT p.id,
  CASE WHEN p.amount >= 100 THEN 'big' ELSE 'small' END AS size,
  SUM(p.amount) OVER (PARTITION BY p.customer_id ORDER BY p.ordered_at) AS running,
  COALESCE(h.doubled, 0) AS doubled
FROM paid AS p
LEFT JOIN healthy AS h ON h.id = p.id
WHERE p."Order Status" <> 'it''s cancelled'
`;

describe("truncated and mutated SQL", SUITE, () => {
  it("compiles the untruncated model (the fuzz's baseline) with typed columns", async () => {
    const files = projectFiles({ "models/realistic.sql": REALISTIC });
    const compiled = await compileFiles(files);
    assertHealthy(compiled, "realistic");
    assert.deepEqual(
      compiled.models.get("realistic")?.columns.map((c) => c.name),
      ["id", "size", "running", "doubled"],
    );
  });

  it("every cut point (seeded) parses or is R001 in that model's file, on a real line; the rest compiles", async () => {
    const random = seededRandom(20260101);
    const cuts = new Set<number>();
    while (cuts.size < 240) cuts.add(1 + Math.floor(random() * (REALISTIC.length - 1)));
    const overrides: Record<string, string> = {};
    const byFile = new Map<string, string>();
    for (const cut of [...cuts].sort((a, b) => a - b)) {
      const file = `models/cut_${String(cut).padStart(4, "0")}.sql`;
      overrides[file] = REALISTIC.slice(0, cut);
      byFile.set(file, overrides[file]);
    }
    const files = projectFiles(overrides);
    const compiled = await compileFiles(files);
    assertNoInternalErrors(compiled, files);
    assertHealthy(compiled);
    let failed = 0;
    for (const [file, text] of byFile) {
      const name = file.slice("models/".length, -".sql".length);
      const m = compiled.models.get(name);
      assert.ok(m, `${name} is in the compiled project`);
      const r001 = compiled.diagnostics.filter((d) => d.code === "R001" && d.model === name);
      if (m.parsed) {
        assert.deepEqual(r001, [], name);
        continue;
      }
      failed++;
      assert.equal(r001.length, 1, `${name}: one R001 for a model that does not parse`);
      assert.equal(r001[0].span?.file, file);
      assert.ok((r001[0].span?.line ?? 0) <= text.split("\n").length, `${where(r001[0])} past the end of ${JSON.stringify(text.slice(-30))}`);
      assert.match(r001[0].message, /^syntax error: /);
    }
    // Most cuts leave an unterminated construct; a few end on a complete query.
    assert.ok(failed > cuts.size / 2, `${failed} of ${cuts.size} cuts failed to parse`);
  });

  for (const [dialect, rockyToml] of Object.entries(ADAPTER_TOML)) {
    it(`cut points in ${dialect}: parsed or R001 on a real line, never an exception`, async () => {
      const random = seededRandom(dialect.length * 7919);
      const overrides: Record<string, string> = { "rocky.toml": rockyToml };
      for (let i = 0; i < 80; i++) overrides[`models/cut_${i}.sql`] = REALISTIC.slice(0, 1 + Math.floor(random() * (REALISTIC.length - 1)));
      const files = projectFiles(overrides);
      const compiled = await compileFiles(files);
      assertNoInternalErrors(compiled, files);
      assert.equal(compiled.models.get("healthy")?.dialect, dialect);
      assertHealthy(compiled);
      for (const d of compiled.diagnostics.filter((x) => x.code === "R001")) assert.equal(d.span?.file, compiled.models.get(d.model ?? "")?.file);
    });
  }

  it("random token deletions and duplications never throw", async () => {
    const random = seededRandom(7);
    const tokens = REALISTIC.split(/(\s+)/);
    const overrides: Record<string, string> = {};
    for (let i = 0; i < 120; i++) {
      const copy = [...tokens];
      for (let k = 0; k < 3; k++) {
        const at = Math.floor(random() * copy.length);
        if (random() < 0.5) copy.splice(at, 1);
        else copy.splice(at, 0, copy[Math.floor(random() * copy.length)]);
      }
      overrides[`models/mut_${i}.sql`] = copy.join("");
    }
    const files = projectFiles(overrides);
    const compiled = await compileFiles(files);
    assertNoInternalErrors(compiled, files);
    assertHealthy(compiled);
    for (const d of compiled.diagnostics.filter((x) => x.code === "R001")) assert.match(d.span?.file ?? "", /^models\/mut_\d+\.sql$/);
  });
});

describe("unreadable, huge and deeply nested models", SUITE, () => {
  it("a binary (or non-UTF-8, or too large) model is R007 at line 1 of that file", async () => {
    // readProjectDir hands the loader `null` for such files (read-project-dir.ts); the disk path is in malformed-project.test.ts.
    const files = projectFiles({ "models/binary.sql": null }, { keepNull: true });
    const compiled = await compileFiles(files);
    assert.deepEqual(findings(compiled, "R007"), ["models/binary.sql:1:1"]);
    assertNoInternalErrors(compiled, files);
    assertHealthy(compiled);
  });

  it("an unreadable sidecar or contract is R007 on that file, and its model still compiles", async () => {
    const files = projectFiles({ "models/a.sql": "SELECT id\nFROM raw.orders", "models/a.toml": null, "models/a.contract.toml": null }, { keepNull: true });
    const compiled = await compileFiles(files);
    assert.deepEqual(findings(compiled, "R007"), ["models/a.contract.toml:1:1", "models/a.toml:1:1"]);
    assertNoInternalErrors(compiled, files);
    assertHealthy(compiled, "a", { allowErrors: ["R007"] });
  });

  it("a 5 MB model compiles; with a syntax error on its last line, R001 names that line", async () => {
    const lines = ["SELECT id,", "  status", "FROM raw.orders", "WHERE status IN ("];
    let size = lines.join("\n").length;
    for (let i = 0; size < 5_000_000; i++) {
      const line = `  'status_${i}',`;
      lines.push(line);
      size += line.length + 1;
    }
    lines.push("  'last'", ")");
    const big = lines.join("\n");
    assert.ok(big.length >= 5_000_000);
    const broken = `${big}\nAND (`;
    const files = projectFiles({ "models/big.sql": big, "models/big_broken.sql": broken });
    const compiled = await compileFiles(files);
    assertNoInternalErrors(compiled, files);
    assertHealthy(compiled);
    assertHealthy(compiled, "big");
    assert.deepEqual(findings(compiled, "R001"), [`models/big_broken.sql:${lines.length + 1}:6`]);
  });

  it("10,000 nested parentheses are R001 'nested too deeply' on line 1, not a stack overflow", async () => {
    const deep = `SELECT ${"(".repeat(10_000)}1${")".repeat(10_000)} AS x\nFROM raw.orders`;
    const subqueries = `SELECT x\nFROM ${"(SELECT 1 AS x FROM ".repeat(3_000)}raw.orders${")".repeat(3_000)}`;
    const files = projectFiles({ "models/parens.sql": deep, "models/subqueries.sql": subqueries });
    const compiled = await compileFiles(files);
    assertNoInternalErrors(compiled, files);
    assertHealthy(compiled);
    const r001 = compiled.diagnostics.filter((d) => d.code === "R001");
    assert.deepEqual(r001.map((d) => `${d.span?.file}:${d.span?.line}`).sort(), ["models/parens.sql:1", "models/subqueries.sql:2"]);
    for (const d of r001) assert.match(d.message, /nested too deeply/);
  });

  it("a 300-deep CTE chain types its columns through every link", async () => {
    const sql = cteChain(300);
    const files = projectFiles({ "models/chain.sql": sql });
    const compiled = await compileFiles(files);
    assertNoInternalErrors(compiled, files);
    assertHealthy(compiled, "chain");
    assert.deepEqual(compiled.models.get("chain")?.columns.map((c) => `${c.name}:${c.type.kind}`), ["id:Int64", "amount:Decimal"]);
  });

  it("a 2,000-deep CTE chain types its columns without an internal error (CTEs resolve in a loop, not by recursion)", async () => {
    const files = projectFiles({ "models/chain.sql": cteChain(2_000) });
    const compiled = await compileFiles(files);
    assertNoInternalErrors(compiled, files);
    assertHealthy(compiled);
    const chain = compiled.models.get("chain");
    assert.deepEqual(chain?.columns.map((c) => `${c.name}:${c.type.kind}`), ["id:Int64", "amount:Decimal"], describeAll(compiled.diagnostics));
    assert.deepEqual(chain?.columns.map((c) => c.sources.map((s) => `${s.model}.${s.column}`)), [["raw.orders.id"], ["raw.orders.amount"]]);
  });
});

describe("bad TOML anywhere", SUITE, () => {
  const cases: readonly { name: string; files: Record<string, string>; at: string }[] = [
    { name: "rocky.toml", files: { "rocky.toml": '[adapter]\ntype = "duckdb"\npath = ":memory:"\n[portability\ntarget_dialect = "snowflake"\n' }, at: "rocky.toml:4" },
    { name: "a sidecar", files: { "models/a.sql": "SELECT id\nFROM raw.orders", "models/a.toml": 'name = "a"\n[strategy\ntype = "full_refresh"\n' }, at: "models/a.toml:2" },
    { name: "a contract", files: { "models/a.sql": "SELECT id\nFROM raw.orders", "models/a.contract.toml": '[[columns]]\nname = "id"\ntype = Int64\n' }, at: "models/a.contract.toml:3" },
    { name: "_defaults.toml", files: { "models/_defaults.toml": '[target]\ncatalog = "wh"\nschema = "main"\nschema = "again"\n' }, at: "models/_defaults.toml:4" },
    { name: "a schema file", files: { "schemas/more.json": '{"tables": {"raw.x": [\n  {"name": "a", "type": "INT"\n]}}' }, at: "schemas/more.json:3" },
  ];
  for (const c of cases) {
    it(`in ${c.name}: R002 on the broken line, and the healthy model still types`, async () => {
      const files = projectFiles(c.files);
      const compiled = await compileFiles(files);
      assertNoInternalErrors(compiled, files);
      const r002 = compiled.diagnostics.filter((d) => d.code === "R002");
      assert.ok(
        r002.some((d) => `${d.span?.file}:${d.span?.line}` === c.at),
        `expected R002 at ${c.at}, got:\n${describeAll(compiled.diagnostics)}`,
      );
      // A broken _defaults.toml is reported once, on its own line: the models add no R002 of their own.
      assertHealthy(compiled);
    });
  }

  it(
    "one broken line in _defaults.toml is one diagnostic, not two per model",
    {},
    async () => {
      const files = projectFiles({ "models/_defaults.toml": '[target]\ncatalog = "wh"\nschema = "main"\nschema = "again"\n', "models/b.sql": "SELECT id\nFROM raw.orders" });
      const compiled = await compileFiles(files);
      assert.deepEqual(findings(compiled, "R002"), ["models/_defaults.toml:4:1"], describeAll(compiled.diagnostics));
    },
  );

  it("a broken section of rocky.toml costs that section only: [freshness] after it still holds, so no model reports W005", async () => {
    const text = '[adapter\ntype = "duckdb"\npath = ":memory:"\n[freshness]\nexpected_lag_seconds = 3600\n';
    const files = projectFiles({ "rocky.toml": text, "models/b.sql": "SELECT id, CAST(ts AS DATE) AS day\nFROM raw.orders" });
    const compiled = await compileFiles(files);
    assertNoInternalErrors(compiled, files);
    assert.deepEqual(findings(compiled, "R002"), ["rocky.toml:1:1"], describeAll(compiled.diagnostics));
    assert.deepEqual(findings(compiled, "W005"), [], describeAll(compiled.diagnostics));
    const without = await compileFiles(projectFiles({ "rocky.toml": '[adapter]\ntype = "duckdb"\npath = ":memory:"\n', "models/b.sql": "SELECT id, CAST(ts AS DATE) AS day\nFROM raw.orders" }));
    assert.equal(findings(without, "W005").length, 1, "the same model without [freshness] reports W005: the check would have fired");
  });

  it("bad TOML in every file at once still compiles the models", async () => {
    const all = Object.assign({}, ...cases.map((c) => c.files)) as Record<string, string>;
    all["models/_defaults.toml"] = '[target]\ncatalog = "wh"\nschema = "main"\n';
    const files = projectFiles(all);
    const compiled = await compileFiles(files);
    assertNoInternalErrors(compiled, files);
    assertHealthy(compiled);
    assert.deepEqual(
      new Set(compiled.diagnostics.filter((d) => d.code === "R002").map((d) => d.span?.file)),
      new Set(["rocky.toml", "models/a.toml", "models/a.contract.toml", "schemas/more.json"]),
    );
  });
});

describe("graph and naming mistakes", SUITE, () => {
  it("a cycle is R003 on each member with the path; models outside it compile", async () => {
    const files = projectFiles({ "models/a.sql": "SELECT id\nFROM b", "models/b.sql": "SELECT id\nFROM a", "models/c.sql": "SELECT id\nFROM a" });
    const compiled = await compileFiles(files);
    assertNoInternalErrors(compiled, files);
    assert.deepEqual(findings(compiled, "R003"), ["models/a.sql:2:6", "models/b.sql:2:6"]);
    assert.match(compiled.diagnostics.find((d) => d.code === "R003")?.message ?? "", /`a` → `b` → `a`/);
    assertHealthy(compiled);
  });

  it(
    "a model that reads itself is reported on its FROM line",
    {},
    async () => {
      const files = projectFiles({ "models/a.sql": "SELECT id\nFROM a" });
      const compiled = await compileFiles(files);
      assertNoInternalErrors(compiled, files);
      assertHealthy(compiled);
      assert.ok(
        compiled.diagnostics.some((d) => d.model === "a" && d.span?.file === "models/a.sql" && d.severity !== "Info"),
        describeAll(compiled.diagnostics),
      );
    },
  );

  it("a sidecar whose model file is missing is one R002 warning on the sidecar's line 1, naming the nearest model", async () => {
    // A renamed model whose sidecar kept the old name: the config silently applied to nothing.
    const files = projectFiles({ "models/helthy.toml": '[strategy]\ntype = "incremental"\ntimestamp_column = "ordered_at"\n', "models/ghost.toml": 'name = "ghost"\ndepends_on = ["healthy"]\n' });
    const compiled = await compileFiles(files);
    assertNoInternalErrors(compiled, files);
    assertHealthy(compiled);
    const onSidecars = compiled.diagnostics.filter((d) => d.span?.file === "models/helthy.toml" || d.span?.file === "models/ghost.toml");
    assert.deepEqual(
      onSidecars.map((d) => `${d.code} ${d.severity} ${where(d)}`),
      ["R002 Warning models/ghost.toml:1:1", "R002 Warning models/helthy.toml:1:1"],
      describeAll(compiled.diagnostics),
    );
    assert.match(onSidecars[1].message, /has no models\/helthy\.sql.*did you mean models\/healthy\.sql\?/);
    assert.match(onSidecars[1].suggestion ?? "", /models\/healthy\.toml/);
    // Nothing is near "ghost": no guess is offered.
    assert.doesNotMatch(onSidecars[0].message, /did you mean/);
    assert.equal(compiled.models.has("ghost"), false);
  });

  it("duplicate model names are R005 on the second definition; the first compiles", async () => {
    const files = projectFiles({ "models/dup.sql": "SELECT id\nFROM raw.orders", "models/dup2.sql": "SELECT status\nFROM raw.orders", "models/dup2.toml": 'name = "dup"\n' });
    const compiled = await compileFiles(files);
    assertNoInternalErrors(compiled, files);
    assert.deepEqual(findings(compiled, "R005"), ["models/dup2.toml:1:1"]);
    assertHealthy(compiled, "dup", { allowErrors: ["R005"] });
    assertHealthy(compiled);
  });

  it("an unknown depends_on entry is R004 on its own line, where a PR adding it to a multi-line list changed the file", async () => {
    const files = projectFiles({
      "models/reader.sql": "SELECT id\nFROM healthy",
      "models/reader.toml": 'depends_on = [\n  "healthy",\n  "helthy",\n]\n',
    });
    const compiled = await compileFiles(files);
    assertNoInternalErrors(compiled, files);
    assert.deepEqual(findings(compiled, "R004"), ["models/reader.toml:3:3"]);
    // An entry the loader dropped (not a string) would shift the others: then the key's line, not a wrong entry's.
    const shifted = projectFiles({ "models/reader.sql": "SELECT id\nFROM healthy", "models/reader.toml": 'depends_on = [\n  1,\n  "helthy",\n]\n' });
    const again = await compileFiles(shifted);
    assert.deepEqual(findings(again, "R004"), ["models/reader.toml:1:1"]);
  });

  it("a model whose file name has capitals is one model to lineage, however its readers spell it (a FROM in any case, or quoted as written)", async () => {
    const files = projectFiles({
      "models/Stg_Orders.sql": "SELECT id, amount\nFROM raw.orders",
      "models/reader.sql": "SELECT id\nFROM stg_orders",
      "models/quoted.sql": 'SELECT amount\nFROM "Stg_Orders"',
    });
    const compiled = await compileFiles(files);
    assertNoInternalErrors(compiled, files);
    assert.deepEqual(compiled.diagnostics.filter((d) => d.severity === "Error").map((d) => `${d.code} ${where(d)} ${d.message}`), []);
    // Before: the sources said `stg_orders`, a name no model has, so tracing Stg_Orders downstream found no reader.
    assert.deepEqual(compiled.models.get("reader")?.columns[0].sources.map((s) => `${s.model}.${s.column}`), ["Stg_Orders.id"]);
    assert.deepEqual(compiled.models.get("quoted")?.columns[0].sources.map((s) => `${s.model}.${s.column}`), ["Stg_Orders.amount"]);
    assert.deepEqual(compiled.models.get("quoted")?.dependsOn, ["Stg_Orders"]);
    assertHealthy(compiled, "reader");
    assertHealthy(compiled, "quoted");
  });

  it("model names that differ only in case are R005 on the second: a reference, case-insensitive, reads the first, never the other by accident", async () => {
    // `DUP` sorts before `dup`: the second file is models/dup.sql. Without the R005, `FROM dup` and
    // `FROM DUP` both read whichever model came last, whatever their own spelling.
    const files = projectFiles({
      "models/DUP.sql": "SELECT id\nFROM raw.orders",
      "models/dup.sql": "SELECT status\nFROM raw.orders",
      "models/reader.sql": "SELECT id\nFROM DUP",
    });
    const compiled = await compileFiles(files);
    assertNoInternalErrors(compiled, files);
    assert.deepEqual(findings(compiled, "R005"), ["models/dup.sql:1:1"]);
    const r005 = compiled.diagnostics.find((d) => d.code === "R005");
    assert.match(r005?.message ?? "", /`DUP` \(models\/DUP\.sql\) and `dup` \(models\/dup\.sql\) differ only in case/);
    assert.equal(compiled.models.has("dup"), false);
    assertHealthy(compiled, "DUP");
    assertHealthy(compiled, "reader");
    assertHealthy(compiled);
  });

  it("an empty project is R006 and nothing else throws; no files at all likewise", async () => {
    for (const files of [new Map<string, string | null>([["rocky.toml", '[adapter]\ntype = "duckdb"\n']]), new Map<string, string | null>()]) {
      const compiled = await compileFiles(files);
      assert.deepEqual(findings(compiled, "R006"), ["models/:1:1"]);
      assert.equal(compiled.models.size, 0);
      assertNoInternalErrors(compiled, files);
    }
  });

  it("models named like SQL keywords compile; a bare keyword reference is R001 at the keyword, a quoted one is an edge", async () => {
    const files = projectFiles({
      "models/order.sql": "SELECT id\nFROM raw.orders",
      "models/select.sql": 'SELECT id\nFROM "order"',
      "models/group.sql": "SELECT id\nFROM order",
    });
    const compiled = await compileFiles(files);
    assertNoInternalErrors(compiled, files);
    assertHealthy(compiled, "order");
    assertHealthy(compiled, "select");
    assert.deepEqual(compiled.models.get("select")?.dependsOn, ["order"]);
    assert.deepEqual(findings(compiled, "R001"), ["models/group.sql:2:6"]);
    assertHealthy(compiled);
  });

  it("unicode model and column names type and trace; a syntax error after emoji points at the right column", async () => {
    const files = projectFiles({
      "models/café_ventes.sql": 'SELECT id AS "número",\n  amount AS montant_é\nFROM raw.orders',
      "models/down.sql": 'SELECT "número",\n  montant_é * 2 AS double_é\nFROM café_ventes',
      "models/err.sql": "SELECT 'déjà vu' AS d, naïve\nFROM raw.orders WHERE (",
      "models/emoji.sql": "SELECT '😀😀' AS e,, x\nFROM raw.orders",
    });
    const compiled = await compileFiles(files);
    assertNoInternalErrors(compiled, files);
    const down = compiled.models.get("down");
    assert.deepEqual(down?.dependsOn, ["café_ventes"]);
    assert.deepEqual(down?.columns.map((c) => `${c.name}:${c.type.kind}`), ["número:Int64", "double_é:Decimal"]);
    assert.deepEqual(
      down?.columns[1].sources.map((s) => `${s.model}.${s.column}`),
      ["café_ventes.montant_é"],
    );
    // Columns count UTF-16 code units (JS string offsets, as editors and GitHub's web UI do): the
    // second comma is character 18 but column 20 after two astral-plane emoji. Rocky (Rust) counts chars.
    assert.deepEqual(findings(compiled, "R001"), ["models/emoji.sql:1:20", "models/err.sql:2:24"]);
    assertHealthy(compiled);
  });
});

function cteChain(n: number): string {
  const parts = ["WITH c0 AS (SELECT id, amount FROM raw.orders)"];
  for (let i = 1; i < n; i++) parts.push(`c${i} AS (SELECT id, amount FROM c${i - 1})`);
  return `${parts.join(",\n")}\nSELECT id, amount\nFROM c${n - 1}`;
}

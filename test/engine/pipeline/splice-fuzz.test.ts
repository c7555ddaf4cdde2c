import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { modelDetail } from "../../../engine/src/compile/model-detail.js";
import { renderDiagnosticsText } from "../../../engine/src/diagnostics/render-text.js";
import type { DialectId } from "../../../engine/src/syntax/ast.js";
import { goldenFixtureDir, readGoldenFixture } from "../analyze/support/golden-fixture.js";
import { fixtureDir, readCases } from "../syntax/fixture-cases.js";
import { ADAPTER_TOML, assertHealthy, assertNoInternalErrors, compileFiles, projectFiles, seededRandom } from "./support/pipeline-project.js";

/**
 * Token-splice fuzzing of whole projects: models made by cutting, inserting and swapping tokens
 * between the repository's own SQL (every dialect's type and parse fixtures, the example project),
 * with keywords and punctuation from a pool, each followed by a model that reads it, compiled under
 * every adapter and P001 target. Never an exception, never R009, every span on a real line of its
 * file, every model's JSON and the text rendering produced; the healthy model still types.
 * malformed.test.ts cuts and mutates one query; this mixes constructs of every dialect into every
 * other and types across the mutated edge. A 600,000-case run of the generator (before its
 * same-class swaps were added) found nothing; the fixed seeds here keep 1,200 models in every run.
 */
const root = new URL("../../../", import.meta.url).pathname;

/** The repository's valid SQL: every golden type fixture case and parse fixture case of every dialect, and the example project's models. */
function corpus(): string[] {
  const out: string[] = [];
  for (const f of readdirSync(goldenFixtureDir).sort()) for (const c of readGoldenFixture(f).cases) out.push(c.sql);
  for (const f of readdirSync(fixtureDir).sort()) for (const c of readCases(f)) if (c.error === undefined) out.push(c.sql);
  for (const f of readdirSync(`${root}examples/shop/models`).sort()) if (f.endsWith(".sql")) out.push(readFileSync(`${root}examples/shop/models/${f}`, "utf8"));
  return out.filter((sql) => /select/i.test(sql));
}

const TOKEN = /\s+|'(?:[^']|'')*'|"[^"]*"|`[^`]*`|--[^\n]*|\/\*[\s\S]*?\*\/|\d+(?:\.\d+)?|[A-Za-z_][A-Za-z0-9_$]*|::|<=|>=|<>|!=|\|\||=>|->>|->|\S/g;
const POOL = [
  ...["SELECT", "FROM", "WHERE", "JOIN", "LEFT", "ON", "USING", "GROUP", "BY", "ORDER", "HAVING", "QUALIFY", "WINDOW", "OVER", "PARTITION", "UNION", "ALL", "EXCEPT", "INTERSECT", "WITH", "RECURSIVE"],
  ...["AS", "CASE", "WHEN", "THEN", "ELSE", "END", "CAST", "TRY_CAST", "LATERAL", "UNNEST", "EXCLUDE", "REPLACE", "PIVOT", "UNPIVOT", "VALUES", "INTERVAL", "DISTINCT", "FILTER", "WITHIN"],
  ...["ROWS", "BETWEEN", "PRECEDING", "FOLLOWING", "CURRENT", "ROW", "LIMIT", "OFFSET", "ARRAY", "STRUCT", "MAP", "IN", "NOT", "EXISTS", "IS", "LIKE", "ILIKE", "GROUPING", "SETS", "ROLLUP"],
  ...["SUM", "COUNT", "ROW_NUMBER", "NVL", "IFF", "DATE_TRUNC", "ASOF", "NATURAL", "FULL", "CROSS", "SEMI", "ANTI", "TABLESAMPLE", "AT", "TIME", "ZONE", "NULL", "TRUE"],
  ...["::", "(", ")", ",", ".", "*", "+", "-", "/", "||", "=", "<", ">", "[", "]", "{", "}", ":", "?", "$1", "'", '"', "/*", "*/", "-- c\n", "\n"],
  ...["1", "0.5", "'x'", '"q"', "`b`", "id", "amount", "raw.orders", "healthy", "@var(a)", "@var("],
];

function mutate(sql: string, donors: readonly string[], random: () => number): string {
  const pick = <T>(a: readonly T[]): T => a[Math.floor(random() * a.length)];
  let t: string[] = [...(sql.match(TOKEN) ?? [])];
  // Half the models get one same-class swap (a name for a name, a literal for a literal): they mostly
  // still parse, and exercise typing with wrong names; the rest get 1-4 structural edits.
  if (random() < 0.5) {
    const donor = pick(donors).match(TOKEN) ?? [];
    const classOf = (x: string) => (/^[A-Za-z_]/.test(x) ? "name" : /^['\d]/.test(x) ? "literal" : "other");
    const at = Math.floor(random() * t.length);
    const same = donor.filter((x) => classOf(x) === classOf(t[at] ?? "") && classOf(x) !== "other");
    if (same.length > 0) t[at] = pick(same);
    return t.join("");
  }
  const edits = 1 + Math.floor(random() * 4);
  for (let k = 0; k < edits; k++) {
    const at = Math.floor(random() * (t.length + 1));
    const r = random();
    if (r < 0.25) t.splice(at, 1 + Math.floor(random() * 3));
    else if (r < 0.5) t.splice(at, 0, " ", pick(POOL), " ");
    else if (r < 0.65) {
      const from = Math.floor(random() * t.length);
      t.splice(at, 0, ...t.slice(from, from + 1 + Math.floor(random() * 8)));
    } else if (r < 0.8) {
      const donor = pick(donors).match(TOKEN) ?? [];
      const from = Math.floor(random() * donor.length);
      t.splice(at, Math.floor(random() * 5), ...donor.slice(from, from + 1 + Math.floor(random() * 12)));
    } else if (r < 0.9) {
      const other = Math.floor(random() * t.length);
      [t[at], t[other]] = [t[other], t[at]];
    } else t = t.slice(0, at);
  }
  return t.filter((x) => x !== undefined).join("");
}

const ADAPTERS: readonly (readonly [string, string | undefined])[] = [["duckdb", undefined], ...Object.entries(ADAPTER_TOML)];
const TARGETS: readonly (DialectId | undefined)[] = [undefined, "snowflake", "databricks", "bigquery", "duckdb"];

describe("token-spliced models across dialects", { timeout: 120_000 }, () => {
  const sqls = corpus();

  it("the corpus is the repository's SQL of every dialect", () => {
    assert.ok(sqls.length >= 100, `${sqls.length} statements`);
  });

  let parsed = 0;
  let failed = 0;
  for (let round = 0; round < 20; round++) {
    const [dialect, rockyToml] = ADAPTERS[round % ADAPTERS.length];
    const target = TARGETS[round % TARGETS.length];
    it(`round ${round}: 30 mutated models and 30 readers on ${dialect}${target ? `, P001 target ${target}` : ""}: diagnostics, never an exception`, async () => {
      const random = seededRandom(0x5b1ce + round);
      const overrides: Record<string, string> = rockyToml === undefined ? {} : { "rocky.toml": rockyToml };
      for (let i = 0; i < 30; i++) {
        overrides[`models/mut_${i}.sql`] = mutate(sqls[Math.floor(random() * sqls.length)], sqls, random);
        // A reader of the mutated model, itself mutated: types and lineage cross the broken edge.
        const reader = mutate(sqls[Math.floor(random() * sqls.length)], sqls, random);
        overrides[`models/read_${i}.sql`] = /\bFROM\s+[A-Za-z_][\w.]*/i.test(reader) ? reader.replace(/\bFROM\s+[A-Za-z_][\w.]*/i, `FROM mut_${i}`) : `SELECT * FROM mut_${i}`;
      }
      const files = projectFiles(overrides);
      const compiled = await compileFiles(files);
      assertNoInternalErrors(compiled, files);
      assertHealthy(compiled);
      for (const m of compiled.models.values()) {
        assert.doesNotThrow(() => JSON.stringify(modelDetail(m)), m.name);
        if (m.name.startsWith("mut_")) {
          if (m.parsed) parsed++;
          else failed++;
        }
      }
      const text = renderDiagnosticsText(compiled.diagnostics, { sources: files });
      for (const d of compiled.diagnostics.filter((x) => x.code === "R001")) assert.ok(text.includes(`--> ${d.span?.file}:${d.span?.line}:${d.span?.col}`), `${d.span?.file} rendered at its line`);
    });
  }

  it("the mutations are neither all valid nor all broken (the generator has not degenerated)", () => {
    assert.equal(parsed + failed, 600);
    assert.ok(parsed >= 120 && failed >= 120, `${parsed} mutated models parsed, ${failed} did not`);
  });
});

import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { checkPortability, collectSyntaxFacts, PORTABILITY_CATALOG, type PortabilityConstruct } from "../../../engine/src/checks/index.js";
import { DUCKDB_MISSING_FUNCTIONS } from "../../../engine/src/checks/duckdb-missing-functions.js";
import type { DialectId } from "../../../engine/src/syntax/ast.js";
import { parseSql } from "../../../engine/src/syntax/parse-sql.js";

/**
 * The parser's per-dialect corpus (test/fixtures/sql/parse/<dialect>.sql, sections split on
 * `-- ====`): for every section and every target, P001 never throws, every finding's span covers
 * exactly the construct's text, and every replacement re-parses in the target dialect.
 */
const DIR = new URL("../../fixtures/sql/parse/", import.meta.url).pathname;
const TARGETS: readonly DialectId[] = ["snowflake", "databricks", "bigquery", "duckdb"];
/** The rows by name (a function that means another thing in another dialect has a row per meaning, `writtenIn`). */
const BY_NAME = new Map<string, PortabilityConstruct[]>();
for (const c of PORTABILITY_CATALOG) BY_NAME.set((c.display ?? c.label).toUpperCase(), [...(BY_NAME.get((c.display ?? c.label).toUpperCase()) ?? []), c]);
const rowFor = (name: string, dialect: DialectId) => BY_NAME.get(name.toUpperCase())?.find((c) => c.writtenIn === undefined || c.writtenIn.includes(dialect));
/** A function the target runs in another form (`DATEDIFF with an unquoted date part`): its row and that form, by the form's name. */
const BY_FORM = new Map(PORTABILITY_CATALOG.flatMap((c) => (c.forms ?? []).map((f) => [f.display.toUpperCase(), { row: c, form: f }] as const)));
/** A sample clause's finding names the clause as written: its row is TABLESAMPLE's, whatever the form. */
const SAMPLE_ROW = PORTABILITY_CATALOG.find((c) => c.kind === "table_sample");

/** What a finding's span covers, for the kinds that point at a sign or keyword rather than at the construct's name. */
const SPAN_TEXT: Partial<Record<string, string>> = { colon_cast: "::", variant_path: ":", struct_literal: "{", array_literal: "[", map_literal: "MAP", slice: "[", distinct_on: "DISTINCT ON", from_first: "FROM", list_comprehension: "[", using_sample: "USING SAMPLE", stream_read: "STREAM", try_cast: "TRY_CAST", safe_cast: "SAFE_CAST", set_op_minus: "MINUS", top: "TOP" };

function sections(file: string): { title: string; sql: string }[] {
  const text = readFileSync(join(DIR, file), "utf8");
  return text
    .split(/^-- ====/m)
    .filter((s) => s.trim() !== "")
    .map((s) => ({ title: s.split("\n")[0].trim(), sql: `-- ====${s}` }));
}

function textAt(sql: string, span: { line: number; col: number; endLine?: number; endCol?: number }): string {
  const lines = sql.split("\n");
  if (span.endLine === undefined || span.endCol === undefined) return "";
  if (span.line === span.endLine) return lines[span.line - 1].slice(span.col - 1, span.endCol - 1);
  return [lines[span.line - 1].slice(span.col - 1), ...lines.slice(span.line, span.endLine - 1), lines[span.endLine - 1].slice(0, span.endCol - 1)].join("\n");
}

const files = readdirSync(DIR).filter((f) => f.endsWith(".sql") && !f.includes("__invalid"));
for (const file of files) {
  const dialect = file.replace(/\.sql$/, "") as DialectId;
  describe(`P001 over the ${dialect} parse corpus`, () => {
    for (const { title, sql } of sections(file)) {
      it(title, () => {
        const parsed = parseSql(sql, dialect);
        assert.doesNotThrow(() => parsed.query && collectSyntaxFacts(parsed.query, sql));
        for (const target of TARGETS) {
          const ds = checkPortability({ model: "m", file: "m.sql", dialect, query: parsed.query, comments: parsed.comments, sql }, { target });
          if (parsed.query === undefined) assert.deepEqual(ds, [], "no P001 without a parse");
          for (const d of ds) {
            const name = d.message.slice(0, d.message.search(/ is not portable | means something else on /));
            const formHit = BY_FORM.get(name.toUpperCase());
            const form = formHit?.row;
            const sample = name.startsWith("the sample clause ") ? SAMPLE_ROW : undefined;
            // A built-in DuckDB lacks, for a DuckDB target: a row of its own, native where the model is written.
            const missing: PortabilityConstruct | undefined = target === "duckdb" && DUCKDB_MISSING_FUNCTIONS.has(name) ? { label: name, kind: "function", native: [dialect], origin: "ours", suggestions: {} } : undefined;
            const c = form ?? sample ?? rowFor(name, dialect) ?? missing;
            assert.ok(c, `known construct: ${d.message}`);
            if (formHit) assert.ok(formHit.form.accepts[target] !== undefined, `${name}: ${target} runs ${formHit.row.label} in some forms only`);
            else if (sample === undefined) assert.ok(!c.native.includes(target), `${name} is native on ${target}`);
            const at = textAt(sql, d.span as NonNullable<typeof d.span>);
            const expected = form ? form.label : (SPAN_TEXT[c.kind] ?? (c.kind === "operator" || c.kind === "function" ? c.label : c.kind === "star_modifier" ? c.label.slice("STAR_".length) : (c.display ?? c.label)));
            const written = at.replace(/\s+/g, " ").toUpperCase();
            const ok =
              written === expected.toUpperCase() ||
              (c.kind === "table_sample" && (written === "SAMPLE" || written === "TABLESAMPLE")) ||
              (c.kind === "set_op_bare" && /^(UNION|INTERSECT|EXCEPT)$/.test(written)) || (c.kind === "ilike" && written === "NOT ILIKE") || (c.kind === "file_scan" && /^'.+'$/.test(written)) || (c.kind === "stage_scan" && written.startsWith("@")) || (c.kind === "positional_column" && /^#\d+$/.test(written)) || (c.kind === "typed_literal" && /^[A-Z][A-Z0-9_]*$/.test(written)) || (c.kind === "star_filter" && /^(NOT )?(I?LIKE|SIMILAR TO)$/.test(written));
            assert.ok(ok, `${d.message} at ${d.span?.line}:${d.span?.col} covers '${at}'`);
            if (d.replacement === undefined) continue;
            const lines = sql.split("\n");
            const r = d.replacement;
            const before = lines.slice(0, r.span.line - 1).join("\n") + (r.span.line > 1 ? "\n" : "") + lines[r.span.line - 1].slice(0, r.span.col - 1);
            const after = lines[(r.span.endLine as number) - 1].slice((r.span.endCol as number) - 1) + (lines.length > (r.span.endLine as number) ? `\n${lines.slice(r.span.endLine as number).join("\n")}` : "");
            const rewritten = before + r.text + after;
            const again = parseSql(rewritten, dialect);
            assert.equal(again.error, undefined, `the rewrite keeps the model parseable: ${again.error?.message}\n${rewritten}`);
            // Taking the advice brings in nothing the target lacks: what is flagged inside the replacement
            // was flagged inside the text it replaced (a construct with no rewrite of its own, kept as written).
            const offsetIn = (text: string, span: { line: number; col: number }) => text.split("\n").slice(0, span.line - 1).reduce((n, l) => n + l.length + 1, 0) + span.col - 1;
            const labelOf = (x: { message: string }) => x.message.slice(0, x.message.search(/ is not portable | means something else on /));
            const was = offsetIn(sql, r.span);
            const wasEnd = offsetIn(sql, { line: r.span.endLine as number, col: r.span.endCol as number });
            const inside = new Set(ds.filter((x) => x !== d && x.span && offsetIn(sql, x.span) >= was && offsetIn(sql, x.span) < wasEnd).map(labelOf));
            const from = before.length;
            const to = from + r.text.length;
            const brought = checkPortability({ model: "m", file: "m.sql", dialect, query: again.query, comments: again.comments, sql: rewritten }, { target })
              .filter((x) => x.span && offsetIn(rewritten, x.span) >= from && offsetIn(rewritten, x.span) < to && !inside.has(labelOf(x)));
            assert.deepEqual(brought.map((x) => x.message), [], `${target}: ${r.text}`);
          }
        }
      });
    }
  });
}

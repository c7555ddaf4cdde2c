import { nullsFirstByDefault } from "../../analyze/null-order.js";
import type { WindowNullOrder } from "../../compile/types.js";
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { createDiagnostic } from "../../diagnostics/registry.js";
import type { DialectId } from "../../syntax/ast.js";
import { allowedLabels } from "../allow-pragmas.js";
import { DIALECT_DISPLAY } from "../dialect-names.js";
import { type ModelSqlInput, SourceLocator } from "../source-locator.js";

export type WindowNullOrderInput = ModelSqlInput;

/**
 * P001 for a row-picking window (`ROW_NUMBER() OVER (PARTITION BY id ORDER BY updated_at DESC) = 1`,
 * RANK, LAG, FIRST_VALUE, ...), a running aggregate (`SUM(x) OVER (ORDER BY k)`: each row's total
 * counts the rows sorted before it), or an ordered aggregate (`ARRAY_AGG(x ORDER BY k)`, LISTAGG
 * WITHIN GROUP, DuckDB's `first(x ORDER BY k)`), whose ORDER BY key may be NULL (inference says so:
 * ModelAnalysis.windowNullOrders) and leaves where NULLs go to the warehouse, where the model's
 * warehouse and the target put them at other ends (analyze/null-order.ts): Snowflake's descending
 * `updated_at` puts the NULL first and keeps that row, Databricks' puts it last and keeps the latest
 * date. The rewrite writes the model's own default (`updated_at DESC NULLS FIRST`), which both run
 * the same way and the analyzer reads as the unwritten order, so taking it is no logic change.
 *
 * A query's ORDER BY with LIMIT, TOP or OFFSET picks rows as a window does (`fn` "LIMIT", the
 * label too): `ORDER BY extraction_date DESC LIMIT 1` keeps the NULL on Snowflake. Without one it
 * is not flagged: a model is a table, whose rows keep no order.
 */
export function checkWindowNullOrder(windows: readonly WindowNullOrder[] | undefined, input: WindowNullOrderInput, options: { readonly target: DialectId | undefined; readonly allow: readonly string[] }): Diagnostic[] {
  const target = options.target;
  if (windows === undefined || windows.length === 0 || target === undefined || target === input.dialect) return [];
  let allowed: Set<string> | undefined;
  const out: Diagnostic[] = [];
  const loc = new SourceLocator(input.file, input.sql, input.columnMap);
  for (const w of windows) {
    const keys = w.keys.filter((k) => nullsFirstByDefault(input.dialect, k.desc) !== nullsFirstByDefault(target, k.desc));
    if (keys.length === 0) continue;
    allowed ??= allowedLabels(options.allow, { sql: input.sql });
    if (allowed.has(w.fn)) continue;
    const model = DIALECT_DISPLAY[input.dialect];
    const there = DIALECT_DISPLAY[target];
    const end = (first: boolean) => (first ? "first" : "last");
    const names = keys.slice(0, 3).map((k) => `\`${shorten(loc.text(k.key) ?? "?")}\``);
    const more = keys.length - names.length;
    const desc = keys[0].desc;
    const here = nullsFirstByDefault(input.dialect, desc);
    const where = keys.every((k) => k.desc === desc) ? `NULLs sort ${end(!here)} there in ${desc ? "a descending" : "an ascending"} order, ${end(here)} on ${model}` : `NULLs sort at the other end there, in ${of(input.dialect)} order`;
    const what = w.fn === "LIMIT" ? "ORDER BY with LIMIT keeps other rows" : w.kind === "running" ? `a running ${w.fn} gives other values` : w.kind === "ordered" ? `${w.fn} puts its values in another order` : `${w.fn} picks another row`;
    const keeps = w.kind === "running" || w.kind === "ordered" ? "computes the same values" : "picks the same rows";
    const message = `${what} on ${there}: ${where} (${names.join(", ")}${more > 0 ? ` and ${more} more` : ""} may be NULL)`;
    // The items from the first such key to the last, each with the model's default written out.
    const from = keys[0].item.start;
    const to = keys[keys.length - 1].item.end;
    let text = loc.text({ start: from, end: to });
    const lower = text !== undefined && lowerCase(input.sql, from, loc.text(keys[0].item) ?? "");
    const nullsOf = (d: boolean) => (lower ? nullsText(input.dialect, d).toLowerCase() : nullsText(input.dialect, d));
    for (let i = keys.length - 1; i >= 0 && text !== undefined; i--) {
      const at = keys[i].item.end - from;
      text = `${text.slice(0, at)} ${nullsOf(keys[i].desc)}${text.slice(at)}`;
    }
    const shown = keys.map((k) => `${loc.text(k.item) ?? "?"} ${nullsOf(k.desc)}`).join(", ");
    const written = [...new Set(keys.map((k) => nullsText(input.dialect, k.desc)))].join(" / ");
    out.push(
      createDiagnostic("P001", message, {
        model: input.model,
        span: loc.spanOf(from, to),
        suggestion: `write ${written} to keep ${of(input.dialect)} order on ${there}; it is ${of(input.dialect)} default, so the model ${keeps} there: ${shown}`,
        ...(text !== undefined && loc.verbatim({ start: from, end: to }) ? { replacement: { span: loc.spanOf(from, to), text } } : {}),
      }),
    );
  }
  return out;
}

/** "Snowflake's", "Databricks'". */
const of = (d: DialectId) => (DIALECT_DISPLAY[d].endsWith("s") ? `${DIALECT_DISPLAY[d]}'` : `${DIALECT_DISPLAY[d]}'s`);

/** The model's own default for a key, written out. */
const nullsText = (dialect: DialectId, desc: boolean) => (nullsFirstByDefault(dialect, desc) ? "NULLS FIRST" : "NULLS LAST");

function shorten(text: string): string {
  const one = text.replace(/\s+/g, " ");
  return one.length > 40 ? `${one.slice(0, 39)}…` : one;
}

/** Whether the user writes keywords in lower case here: the item's ASC/DESC, else the ORDER BY before it. */
function lowerCase(sql: string, start: number, item: string): boolean {
  const dir = /\b(asc|desc)\s*$/i.exec(item);
  if (dir !== null) return dir[1] === dir[1].toLowerCase();
  const before = sql.slice(Math.max(0, start - 400), start);
  const all = [...before.matchAll(/\border\s+by\b/gi)];
  const last = all.at(-1);
  return last !== undefined && last[0] === last[0].toLowerCase();
}

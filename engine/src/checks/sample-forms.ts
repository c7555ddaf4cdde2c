import type { DialectId } from "../syntax/ast.js";
import type { PortabilityConstruct } from "./portability-catalog.js";

/**
 * Table sampling (`TABLESAMPLE ...` / Snowflake's `SAMPLE ...` after a table, a table function or a
 * subquery): every target samples, each with its own grammar, and a bare number means a percentage
 * in Snowflake but a row count in DuckDB. From the vendors' grammars, DuckDB's checked against DuckDB
 * (test/engine/checks/portability-duckdb.test.ts):
 * - Snowflake: `{SAMPLE | TABLESAMPLE} [BERNOULLI | ROW | SYSTEM | BLOCK] (p | n ROWS) [{REPEATABLE | SEED} (s)]`,
 *   p a percentage; no PERCENT word, no `%`, the parentheses required, SYSTEM / BLOCK by percentage only.
 * - Databricks: `TABLESAMPLE (p PERCENT | n ROWS | BUCKET x OUT OF y) [REPEATABLE (s)]`.
 * - BigQuery: `TABLESAMPLE SYSTEM (p PERCENT)`.
 * - DuckDB: `TABLESAMPLE [BERNOULLI | SYSTEM | RESERVOIR] [(] n [% | PERCENT | ROWS] [)] [REPEATABLE (s)]`,
 *   a bare n a row count; BERNOULLI / SYSTEM by percentage only; no SAMPLE keyword, no ROW / BLOCK, no BUCKET.
 * DuckDB's own `USING SAMPLE` is the catalog's USING_SAMPLE row.
 */
export interface SampleForm {
  /** As written, upper-case: SAMPLE or TABLESAMPLE. */
  readonly keyword: string;
  readonly method?: string;
  readonly parens: boolean;
  /** The amount's text (a number, a parameter). */
  readonly amount: string;
  /** How the amount is counted, as written: none (a bare number), `%` / PERCENT, ROWS, or BUCKET. */
  readonly unit: "none" | "percent_sign" | "percent" | "rows" | "bucket";
  readonly seed?: "REPEATABLE" | "SEED";
  /** DuckDB's `10% (bernoulli, 42)`: a method and seed in parentheses after the amount. */
  readonly trailing: boolean;
}

/** Reads the normalized sample text the parser keeps (`TABLESAMPLE(10 PERCENT) REPEATABLE(1)`); undefined when it is not one. */
export function parseSampleForm(text: string): SampleForm | undefined {
  const tokens = text.match(/\d+(?:\.\d+)?|[A-Za-z_][\w$]*|[@:$?][\w.$]*|%|\(|\)|,|\S/g);
  if (tokens === null) return undefined;
  let i = 0;
  const up = (k: number) => tokens[k]?.toUpperCase();
  const keyword = up(i++);
  if (keyword !== "SAMPLE" && keyword !== "TABLESAMPLE") return undefined;
  let method: string | undefined;
  if (/^[A-Z_]+$/.test(up(i) ?? "") && !["PERCENT", "ROWS"].includes(up(i) as string) && tokens[i + 1] === "(") method = up(i++);
  const parens = tokens[i] === "(";
  if (parens) i++;
  let unit: SampleForm["unit"] = "none";
  let amount = "";
  if (up(i) === "BUCKET") {
    unit = "bucket";
    amount = tokens.slice(i, tokens.indexOf(")", i) < 0 ? tokens.length : tokens.indexOf(")", i)).join(" ");
    i = tokens.indexOf(")", i) < 0 ? tokens.length : tokens.indexOf(")", i);
  } else {
    const parts: string[] = [];
    while (i < tokens.length && tokens[i] !== ")" && tokens[i] !== "%" && up(i) !== "PERCENT" && up(i) !== "ROWS" && tokens[i] !== "(" && up(i) !== "REPEATABLE" && up(i) !== "SEED") parts.push(tokens[i++]);
    amount = parts.join(" ");
    if (tokens[i] === "%") unit = "percent_sign";
    else if (up(i) === "PERCENT") unit = "percent";
    else if (up(i) === "ROWS") unit = "rows";
    if (unit !== "none") i++;
  }
  if (parens && tokens[i] === ")") i++;
  let trailing = false;
  if (tokens[i] === "(") {
    trailing = true;
    while (i < tokens.length && tokens[i] !== ")") i++;
    i++;
  }
  const seedWord = up(i);
  const seed = seedWord === "REPEATABLE" || seedWord === "SEED" ? seedWord : undefined;
  if (amount === "") return undefined;
  return { keyword, ...(method !== undefined ? { method } : {}), parens, amount, unit, ...(seed !== undefined ? { seed } : {}), trailing };
}

/** Whether `target`'s grammar takes the clause as written (whatever it then counts). */
export function sampleAccepted(f: SampleForm, target: DialectId): boolean {
  const percent = f.unit === "percent" || f.unit === "percent_sign";
  switch (target) {
    case "snowflake":
      if (!f.parens || f.trailing || percent || f.unit === "bucket") return false;
      if (f.method !== undefined && !["BERNOULLI", "ROW", "SYSTEM", "BLOCK"].includes(f.method)) return false;
      return !(f.unit === "rows" && (f.method === "SYSTEM" || f.method === "BLOCK"));
    case "databricks":
      return f.keyword === "TABLESAMPLE" && f.method === undefined && f.parens && !f.trailing && (f.unit === "percent" || f.unit === "rows" || f.unit === "bucket") && f.seed !== "SEED";
    case "bigquery":
      return f.keyword === "TABLESAMPLE" && f.method === "SYSTEM" && f.parens && !f.trailing && f.unit === "percent" && f.seed === undefined;
    case "duckdb":
      if (f.keyword !== "TABLESAMPLE" || f.unit === "bucket" || f.seed === "SEED") return false;
      if (f.method !== undefined && !["BERNOULLI", "SYSTEM", "RESERVOIR"].includes(f.method)) return false;
      return !((f.method === "BERNOULLI" || f.method === "SYSTEM") && !percent);
  }
}

/** What a clause counts where it is written: a bare number is a row count in DuckDB, a percentage in Snowflake. */
function countsRows(f: SampleForm, writtenIn: DialectId | undefined): boolean | undefined {
  if (f.unit === "rows") return true;
  if (f.unit === "percent" || f.unit === "percent_sign") return false;
  if (f.unit === "bucket") return undefined;
  return writtenIn === "duckdb";
}

/** The clause in the target's grammar, counting what the written one counts. */
function spelling(f: SampleForm, rows: boolean | undefined, target: DialectId): string {
  const n = f.amount;
  if (rows === undefined) {
    const share = "sample a percentage instead (BUCKET x OUT OF y is about x/y of the rows)";
    return { snowflake: `${share}: SAMPLE (p)`, databricks: `${share}: TABLESAMPLE (p PERCENT)`, bigquery: `${share}: TABLESAMPLE SYSTEM (p PERCENT)`, duckdb: `${share}: TABLESAMPLE (p PERCENT)` }[target];
  }
  if (rows) {
    return {
      snowflake: `write SAMPLE (${n} ROWS)`,
      databricks: `write TABLESAMPLE (${n} ROWS)`,
      bigquery: "BigQuery samples by percentage only: TABLESAMPLE SYSTEM (p PERCENT), or ORDER BY RAND() LIMIT n for a row count",
      duckdb: `write TABLESAMPLE (${n} ROWS)`,
    }[target];
  }
  return { snowflake: `write SAMPLE (${n})`, databricks: `write TABLESAMPLE (${n} PERCENT)`, bigquery: `write TABLESAMPLE SYSTEM (${n} PERCENT)`, duckdb: `write TABLESAMPLE (${n} PERCENT)` }[target];
}

const TARGETS: readonly DialectId[] = ["snowflake", "databricks", "bigquery", "duckdb"];
const built = new Map<string, PortabilityConstruct>();

/**
 * The finding's row for a sample clause on `target`, or undefined when the target takes it and counts
 * what the model's dialect counts. Its label is TABLESAMPLE (`-- rocky-allow: TABLESAMPLE`).
 */
export function sampleConstruct(text: string, writtenIn: DialectId | undefined, target: DialectId): PortabilityConstruct | undefined {
  const f = parseSampleForm(text);
  if (f === undefined) return undefined;
  const rows = countsRows(f, writtenIn);
  const accepted = sampleAccepted(f, target);
  // A bare number read by the other of Snowflake and DuckDB: the same text samples another amount.
  const bare = f.unit === "none" && accepted && rows !== undefined && (target === "duckdb") !== rows;
  if (accepted && !bare) return undefined;
  const display = `the sample clause \`${text.replace(/(\w)\(/g, "$1 (")}\``;
  const key = `${display}\u0000${writtenIn ?? ""}\u0000${target}`;
  let out = built.get(key);
  if (out === undefined) {
    const native = TARGETS.filter((d) => d !== target && sampleAccepted(f, d) && (f.unit !== "none" || (d === "duckdb") === rows));
    const counted = rows ? `${f.amount} rows` : `${f.amount} percent of the rows`;
    const other = rows ? `${f.amount} percent of the rows` : `${f.amount} rows`;
    out = {
      label: "TABLESAMPLE",
      display,
      kind: "table_sample",
      native,
      ...(bare ? { meaning: { [target]: `a bare number there counts ${target === "duckdb" ? "rows" : "a percentage"}: it samples ${other}, where the model's dialect samples ${counted}` } } : {}),
      origin: "ours",
      suggestions: { [target]: spelling(f, rows, target) },
    };
    built.set(key, out);
  }
  return out;
}

/** The sample clause in a table's modifiers text (after any time travel), or undefined; DuckDB's `USING SAMPLE` is not one. */
export function sampleOfModifiers(modifiers: string | undefined): string | undefined {
  if (modifiers === undefined) return undefined;
  const m = /(?:^|\s)((?:TABLESAMPLE|SAMPLE)\b.*)$/i.exec(modifiers);
  if (m === null) return undefined;
  const before = modifiers.slice(0, m.index + (m[0].length - m[1].length));
  return /\bUSING\s*$/i.test(before) ? undefined : m[1];
}

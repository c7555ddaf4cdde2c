import type { Diagnostic, DiagnosticSpan } from "../../diagnostics/diagnostic.js";
import { createDiagnostic } from "../../diagnostics/registry.js";
import type { ModelConfig } from "../../project/types.js";
import type { Span } from "../../syntax/ast.js";
import { formatType } from "../../types/sql-type.js";
import { didYouMeanSuffix } from "../../util/did-you-mean.js";
import { type CheckedColumn, findColumn } from "../contract-columns.js";
import { configSpan } from "../config-span.js";
import { SourceLocator } from "../source-locator.js";

export interface TimeIntervalInput {
  readonly model: string;
  readonly file: string;
  readonly sidecarFile?: string;
  readonly config: Pick<ModelConfig, "strategy" | "locations">;
  readonly columns: readonly CheckedColumn[];
  /** Whether the output column list is complete (E020 only runs on a complete list). Default true. */
  readonly schemaComplete?: boolean;
  /**
   * Where the SQL uses `@start_date` / `@end_date` (the AST's parameters, so comments do not count),
   * and `window*`, where one bounds every row the model emits (window-bound.ts); undefined when the
   * SQL did not parse (E024/W003 are then skipped).
   */
  readonly bounds?: { readonly startDate?: Span | true; readonly endDate?: Span | true; readonly windowStart?: Span | true; readonly windowEnd?: Span | true };
  readonly sql?: string;
}

const TEMPORAL = new Set(["Date", "Timestamp", "TimestampNtz"]);
const IDENT = /^[A-Za-z0-9_]+$/;

/** Canonical first_partition keys per grain (Rocky's partition keys). */
export const CANONICAL_PARTITION_FORMAT = { hour: "YYYY-MM-DDTHH", day: "YYYY-MM-DD", month: "YYYY-MM", year: "YYYY" } as const;

/** Whether `key` is a canonical, real partition key for the grain (`2024-02-30` is not). */
export function isCanonicalPartitionKey(key: string, grain: keyof typeof CANONICAL_PARTITION_FORMAT): boolean {
  const patterns = { hour: /^(\d{4})-(\d{2})-(\d{2})T(\d{2})$/, day: /^(\d{4})-(\d{2})-(\d{2})$/, month: /^(\d{4})-(\d{2})$/, year: /^(\d{4})$/ } as const;
  const m = patterns[grain].exec(key);
  if (m === null) return false;
  const [, y, mo = "01", d = "01", h = "00"] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || Number(h) > 23 || day < 1) return false;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= daysInMonth;
}

/** E020-E026 and W003 for `strategy.type = "time_interval"` (rocky-compat.md §1.2). */
export function checkTimeInterval(input: TimeIntervalInput): Diagnostic[] {
  const s = input.config.strategy;
  if (s.type !== "time_interval") return [];
  const out: Diagnostic[] = [];
  const files = [input.sidecarFile, input.file];
  const at = (...keys: string[]) => configSpan(input.config, keys.flatMap((k) => [`strategy.${k}`]).concat("strategy"), files);
  const model = input.model;
  const tc = s.time_column;

  if (!IDENT.test(tc)) {
    out.push(createDiagnostic("E023", `time_column '${tc}' is not a valid identifier`, { model, span: at("time_column"), suggestion: "use a plain column name ([A-Za-z0-9_]+)" }));
  } else {
    const col = findColumn(input.columns, tc);
    if (col === undefined) {
      if (input.schemaComplete !== false && input.columns.length > 0) {
        const available = input.columns.map((c) => c.name);
        out.push(
          createDiagnostic("E020", `time_column '${tc}' is not in the output schema of model '${model}'`, {
            model,
            span: at("time_column"),
            suggestion: `available columns: ${available.join(", ")}${didYouMeanSuffix(tc, available)}`,
          }),
        );
      }
    } else if (col.type.kind !== "Unknown") {
      if (!TEMPORAL.has(col.type.kind)) {
        out.push(
          createDiagnostic("E021", `time_column '${tc}' has type ${formatType(col.type)}, but time_interval needs a DATE or TIMESTAMP column`, {
            model,
            span: at("time_column"),
            suggestion: `CAST '${tc}' to DATE or TIMESTAMP in the SELECT, or use another column`,
          }),
        );
      } else {
        // Not when the column is nullable only by assumption (a CAST of a column of a source with no
        // schema): Rocky does not refuse a model on that guess either.
        if (col.nullable && col.nullableAssumed !== true) {
          out.push(createDiagnostic("E022", `time_column '${tc}' is nullable; rows with a NULL time fall in no partition`, { model, span: at("time_column") }));
        }
        if (s.granularity === "hour" && col.type.kind === "Date") {
          out.push(
            createDiagnostic("E025", `granularity "hour" needs a TIMESTAMP time_column, but '${tc}' is a DATE`, {
              model,
              span: at("granularity", "time_column"),
            }),
          );
        }
      }
    }
  }

  if (s.first_partition !== undefined && !isCanonicalPartitionKey(s.first_partition, s.granularity)) {
    const fmt = CANONICAL_PARTITION_FORMAT[s.granularity];
    out.push(
      createDiagnostic("E026", `first_partition '${s.first_partition}' is not a canonical ${s.granularity} partition key`, {
        model,
        span: at("first_partition"),
        suggestion: `write first_partition as ${fmt} for granularity "${s.granularity}"`,
      }),
    );
  }

  if (input.bounds !== undefined) out.push(...checkBounds(input, input.bounds));
  return out;
}

function checkBounds(input: TimeIntervalInput, bounds: NonNullable<TimeIntervalInput["bounds"]>): Diagnostic[] {
  const loc = new SourceLocator(input.file, input.sql);
  const model = input.model;
  const fileStart: DiagnosticSpan = { file: input.file, line: 1, col: 1 };
  const at = (s: Span | true | undefined): DiagnosticSpan => (s === true || s === undefined ? fileStart : loc.span(s));
  const { windowStart, windowEnd } = bounds;
  if (windowStart === undefined && windowEnd === undefined) {
    const first = earliest(bounds.startDate, bounds.endDate);
    if (first === undefined) {
      return [createDiagnostic("E024", `time_interval model '${model}' references neither @start_date nor @end_date`, { model, span: fileStart })];
    }
    // Named, but no row filter uses them: the SELECT list, a CTE the output never reads, a scalar
    // subquery, one UNION branch of two, a comparison the wrong way round. Every run copies every row.
    return [
      createDiagnostic(
        "E024",
        `time_interval model '${model}' does not filter the rows it emits on @start_date and @end_date: where they are used they bound no row (a WHERE, HAVING, QUALIFY or inner JOIN ON of each UNION branch, or of a CTE or subquery the output reads, must compare a column with them)`,
        { model, span: at(first), suggestion: "filter the rows: WHERE ts >= @start_date AND ts < @end_date" },
      ),
    ];
  }
  if (windowStart !== undefined && windowEnd !== undefined) return [];
  const has = windowStart ?? windowEnd;
  const [present, missing, side] = windowStart !== undefined ? ["@start_date", "@end_date", "above"] : ["@end_date", "@start_date", "below"];
  return [
    createDiagnostic("W003", `time_interval model '${model}' filters on ${present} but not ${missing}: the window is unbounded ${side}`, {
      model,
      span: at(has),
      suggestion: windowStart !== undefined ? `add AND ts < @end_date to the filter` : `add ts >= @start_date AND to the filter`,
    }),
  ];
}

/** The earlier of two placeholder positions (`true`: used, position unknown). */
function earliest(a: Span | true | undefined, b: Span | true | undefined): Span | true | undefined {
  if (a === undefined) return b;
  if (b === undefined || a === true) return a;
  if (b === true) return b;
  return a.start <= b.start ? a : b;
}

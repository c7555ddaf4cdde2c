import { type AnalyzeModelInput, type ColumnRef, type DateDiffCall, type MethodCall, type ModelAnalysis, type NullableConcat, OPEN_SCHEMA_MARKER, type OutputColumn, type RowLevel, type WindowNullOrder } from "../compile/types.js";
import type { Diagnostic, DiagnosticSpan } from "../diagnostics/diagnostic.js";
import { createDiagnostic } from "../diagnostics/registry.js";
import type {
  ColumnExpr,
  Cte,
  DialectId,
  Expr,
  FunctionExpr,
  FunctionTableRef,
  Ident,
  IntervalExpr,
  LambdaExpr,
  JoinRef,
  OrderItem,
  MatchRecognizeRef,
  PivotTableRef,
  Query,
  Select,
  SelectItem,
  SetExpr,
  TypeName,
  Span,
  StarExpr,
  TableAlias,
  TableRef,
  ValuesBody,
  WindowFrame,
  WindowSpec,
} from "../syntax/ast.js";
import { WORD_PREFIX_OPS } from "../syntax/precedence.js";
import { printExpr, printIdent, printOrderItems } from "../syntax/print-sql.js";
import { collectTableRefs, exprChildren, mayHaveColumnsCalls } from "../syntax/walk.js";
import { commonSupertype } from "../types/common-supertype.js";
import { elementType } from "../types/functions/base.js";
import { type BoundArg, clashingBranch, DUCKDB_ARGUMENT_CHECKS, DUCKDB_UNIFYING_FUNCTIONS, rejectedArgument, rejectedOperand, TEMPORAL_ARGUMENT } from "../types/functions/duckdb-binder.js";
import type { CallContext, DialectFunctions, FunctionRow } from "../types/functions/function-row.js";
import { functionsForDialect } from "../types/functions/functions-for-dialect.js";
import { DOUBLE_DATE_PARTS } from "../types/functions/duckdb.js";
import { formatType, type SqlType } from "../types/sql-type.js";
import { T, arrayOf, decimal, isNumeric } from "../types/type-constants.js";
import { typeFromName } from "../types/type-from-name.js";
import { didYouMean, didYouMeanSuffix } from "../util/did-you-mean.js";
import { DUCKDB_TYPE_NAMES } from "../types/duckdb-type-names.js";
import { DUCKDB_ARITIES, MAX_PROBED_ARITY } from "../types/functions/duckdb-arities.js";
import type { ExprInfo, Logic } from "./expr-info.js";
import { ARITHMETIC_CHAINS, binaryFp, chainFp, FP_OPERATOR, LOGICAL, NEGATED, relationsIdentity, sortedFps } from "./fingerprint-order.js";
import { FUNCTION_SYNONYMS } from "./function-synonyms.js";
import { toStrftime } from "../dialects/time-formats.js";
import { DIRECT, EXPRESSION, type LineagePath, makePath, type PathSource, toLineageSources, wrapSources } from "./lineage-path.js";
import { CASE_RESULT, CONCAT_OPERAND, isKeptArg, type KeptArgs, keptArgs, LIST_ELEMENT, MAP_ENTRY, STRUCT_FIELD, SUBQUERY_VALUE } from "./value-keeping.js";
import { arithmeticType, isArithmetic, literalBesideDecimal, numberLiteralType, unifyPair, unifyTypes } from "./numeric-rules.js";
import { findAlias, type MergedColumn, newScope, type Relation, type RelColumn, type Scope, type ScopeItem } from "./scope.js";
import { ungroupedColumns } from "./ungrouped-columns.js";
import { dateDiffCall, dateDiffFp, truncation } from "./date-diff-calls.js";
import { nullsFirstByDefault, ROW_PICKING_WINDOWS } from "./null-order.js";
import { escapeRegExp } from "../util/escape-regexp.js";

/**
 * The type checker and column-lineage tracer for one model, given its upstream schemas.
 * Pure: AST in, ModelAnalysis out; user mistakes become diagnostics, never exceptions.
 */
export function analyzeModel(input: AnalyzeModelInput): ModelAnalysis {
  return new ModelAnalyzer(input).run();
}

const COMPARISON = new Set(["=", "<>", "<", ">", "<=", ">=", "IS DISTINCT FROM", "IS NOT DISTINCT FROM", "<=>", "==", "!="]);
/**
 * Ordered-set aggregates by the function whose first argument is the WITHIN GROUP expression (as
 * DuckDB binds them). PERCENTILE_DISC returns that expression's type in every dialect; the others
 * are typed this way on DuckDB only.
 */
const WITHIN_GROUP_AS: Readonly<Record<string, string>> = { PERCENTILE_DISC: "QUANTILE_DISC", PERCENTILE_CONT: "QUANTILE_CONT", MODE: "MODE" };
/** Aggregates whose WITHIN GROUP (ORDER BY ..) orders what they collect, as an ORDER BY inside the call does. */
const ORDER_INSIDE_AGGS: ReadonlySet<string> = new Set(["LISTAGG", "STRING_AGG", "ARRAY_AGG", "GROUP_CONCAT"]);
/** Aggregates whose value is their group in the order they read it (P001's NULL order, `ordered`). */
const ORDERED_VALUE_AGGS: ReadonlySet<string> = new Set([...ORDER_INSIDE_AGGS, "LIST", "ARRAY_CONCAT_AGG"]);
/** Aggregates that take one row of the group by their ORDER BY (DuckDB's `first(x ORDER BY k)`): they pick a row, as ROW_NUMBER does. */
const ROW_PICKING_AGGS: ReadonlySet<string> = new Set(["FIRST", "LAST"]);

/** DuckDB's Postgres-style Boolean operators: regex full match, LIKE / ILIKE / GLOB spellings, starts-with, list containment and overlap. */
const PATTERN_OPS = new Set(["~", "!~", "~~", "!~~", "~~*", "!~~*", "~~~", "^@", "@>", "<@", "&&"]);
/** A NULL literal argument's type in a CallContext: Unknown, and skipped when the row unifies its arguments. */
const NULL_LITERAL_TYPE: SqlType = { kind: "Unknown" };

const NULL_SAFE = new Set(["IS DISTINCT FROM", "IS NOT DISTINCT FROM", "<=>"]);
/** Argument forms `||` takes as operands as written (anything else is parenthesised in a rewrite). */
const PLAIN_OPERAND = new Set(["column", "literal", "typed_literal", "function", "case", "subquery", "array", "struct", "param"]);
/** The calls that pass a value through unless it is NULL: `COALESCE(x, '')` inside DuckDB's CONCAT is x. */
const COALESCING = new Set(["COALESCE", "IFNULL", "NVL"]);
const NILADIC: Record<string, SqlType> = {
  CURRENT_DATE: T.Date,
  CURRENT_TIMESTAMP: T.Timestamp,
  CURRENT_TIME: T.Time,
  LOCALTIMESTAMP: T.TimestampNtz,
  LOCALTIME: T.Time,
  SYSDATE: T.TimestampNtz,
  CURRENT_USER: T.String,
  CURRENT_ROLE: T.String,
  SESSION_USER: T.String,
  CURRENT_SCHEMA: T.String,
  CURRENT_DATABASE: T.String,
  CURRENT_CATALOG: T.String,
};
/**
 * Date-part keywords written as bare words: `DATEADD(day, 1, x)`, `DATE_PART(epoch_second, ts)`,
 * BigQuery `DATE_TRUNC(d, MONTH)`. Every spelling Snowflake, Databricks, BigQuery and DuckDB accept.
 */
const DATE_PARTS = new Set(
  [
    "year years y yy yyy yyyy yr yrs month months mm mon mons day days d dd dayofmonth week weeks w wk weekofyear woy wy",
    "weekiso week_iso weekofyeariso weekofyear_iso isoweek isoyear isodow quarter quarters q qtr qtrs yearofweek yearofweekiso",
    "dayofweek weekday dow dw dayofweekiso dayofweek_iso weekday_iso dow_iso dw_iso dayofyear yearday doy dy",
    "hour hours h hh hr hrs minute minutes m mi min mins second seconds s ss sec secs",
    "millisecond milliseconds ms msec msecs mseconds microsecond microseconds us usec usecs useconds",
    "nanosecond nanoseconds ns nsec nanosec nsecond nanosecs nseconds",
    "epoch epoch_second epoch_seconds epoch_millisecond epoch_milliseconds epoch_microsecond epoch_microseconds",
    "epoch_nanosecond epoch_nanoseconds timezone_hour timezone_minute tzh tzm decade century millennium julian era",
    "date time datetime",
  ]
    .join(" ")
    .split(" "),
);
/** BigQuery's week-start argument, `WEEK(MONDAY)`: a bare word, no column. */
const WEEKDAYS = new Set(["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]);
/** Pseudo-columns no schema lists. */
const PSEUDO_COLUMN = /^(rowid|_partitiontime|_partitiondate|_file_name|_metadata|metadata\$.*|_table_suffix)$/i;

interface CteEntry {
  readonly cte: Cte;
  /** Position in its WITH list. */
  readonly index: number;
  readonly recursive: boolean;
  /** The WITH list it belongs to (what the query body sees). */
  readonly list: CteScope;
  /** What its own body sees: earlier CTEs of its WITH, itself when RECURSIVE, and the enclosing scopes. */
  readonly view: CteScope;
  state: "pending" | "analyzing" | "done";
  rel?: Relation;
  anchor?: Relation;
  /** Earlier CTEs of the same WITH its body names (computed once). */
  deps?: readonly CteEntry[];
  /** Its row-level clauses (with those of the CTEs it reads), recorded once, added to each reader's (cteRelation). */
  own?: Collected;
}

interface CteScope {
  readonly map: Map<string, CteEntry>;
  readonly parent?: CteScope;
  /** Only entries whose index is below this are visible (undefined: all of them). */
  readonly before?: number;
}

interface Ctx {
  readonly scope: Scope;
  readonly ctes: CteScope | undefined;
  /** Row-level clauses in this subtree decide the model's rows (false inside projection subqueries). */
  readonly rowLevel: boolean;
  /** The enclosing SELECT has a GROUP BY (aggregates run over non-empty groups). */
  readonly grouped: boolean;
}

/** Every Ctx has this one shape (object spreads would make several). */
function ctxOf(scope: Scope, ctes: CteScope | undefined, rowLevel: boolean, grouped: boolean): Ctx {
  return { scope, ctes, rowLevel, grouped };
}

type ClauseKey = keyof RowLevel["fingerprints"];

interface ClauseTexts {
  readonly key: ClauseKey;
  readonly nodes: object[];
  readonly fps: string[];
  seen: Set<object> | undefined;
}

/** How a value subquery's fingerprint spells its clauses, in SQL's order (DISTINCT and LIMIT fingerprints carry their own word). */
const CLAUSE_WORD: Readonly<Record<ClauseKey, string>> = { from: "FROM ", joins: "JOIN ", where: "WHERE ", groupBy: "GROUP BY ", having: "HAVING ", qualify: "QUALIFY ", distinct: "", limit: "", connectBy: "", matchRecognize: "" };
const CLAUSE_ORDER: Readonly<Record<ClauseKey, number>> = { distinct: 0, from: 1, joins: 2, matchRecognize: 3, where: 4, connectBy: 5, groupBy: 6, having: 7, qualify: 8, limit: 9 };

/** One clause kind's fingerprints, in a fixed order: which CTE or subquery a clause sits in is not an order the rows depend on. */
function clauseText(c: ClauseTexts): string {
  // The relations read FROM are a set: a CTE over the table the query read before reads the same rows.
  const fps = c.key === "from" ? [...new Set(c.fps)] : c.fps.slice();
  return flat(fps.sort().join(" ; "));
}

/** The row-level clauses and the columns they read, as recorded for the model or for one value subquery. */
interface Collected {
  readonly filters: PathSource[];
  readonly joins: PathSource[];
  readonly groups: PathSource[];
  readonly clauses: ClauseTexts[];
}

/** Expression plus query nesting the analyzer follows before it gives up with R009 (the parser stops at 256 levels). */
const MAX_DEPTH = 1000;

class ModelAnalyzer {
  private readonly dialect: DialectId;
  private readonly fns: DialectFunctions;
  private readonly diagnostics: Diagnostic[] = [];
  /** Diagnostics already reported (code, position, message); created with the first one. */
  private diagKeys: Set<string> | undefined = undefined;
  private readonly reads = new Map<string, Set<string>>();
  /**
   * Where row-level clauses are recorded: the model's, or while a value subquery (a scalar one, `IN
   * (SELECT ...)`) is analysed, its own, which its fingerprint spells out. A CTE's go to every query that reads it.
   */
  private filters: PathSource[] = [];
  private joins: PathSource[] = [];
  private groups: PathSource[] = [];
  /** Row-level clause fingerprints, per clause kind in first-seen order, one per clause node. */
  private clauses: ClauseTexts[] = [];
  private hasStar = false;
  /** Files and stages read as tables (DuckDB `FROM 'x.csv'`, Snowflake `FROM @stage`): only the files know their columns. */
  private fileSources: Set<string> | undefined = undefined;
  /** While a select item is analysed: the items of this model's relations its value reads (RelColumn.via). */
  private via: Span[] | undefined = undefined;
  /** How many hierarchical (CONNECT BY) queries enclose what is being analysed: LEVEL resolves inside one. */
  private hierarchical = 0;
  /** DuckDB, and the parser did not rule out a `COLUMNS(...)` call: select items are searched for one. */
  private readonly columnsCalls: boolean;
  /** While a DuckDB `COLUMNS(...)` item is expanded: the call, and the column it stands for this time. */
  private columnsBinding: { readonly call: FunctionExpr; readonly item: ScopeItem; readonly col: RelColumn } | undefined;
  private depth = 0;
  /** CONCAT / CONCAT_WS calls with an argument that may be NULL (ModelAnalysis.nullableConcats). */
  private concats: NullableConcat[] | undefined = undefined;
  /** Date differences with a unit (ModelAnalysis.dateDiffs). */
  private dateDiffs: DateDiffCall[] | undefined = undefined;
  /** Row-picking windows' ORDER BY with nullable keys and no NULLS FIRST/LAST (ModelAnalysis.windowNullOrders), by their first item's start. */
  private windowNullOrders: Map<number, WindowNullOrder> | undefined = undefined;
  /** DuckDB method calls (ModelAnalysis.methodCalls), by the call's range (a chain's calls start together). */
  private methods: Map<string, MethodCall> | undefined = undefined;

  constructor(private readonly input: AnalyzeModelInput) {
    this.dialect = input.dialect;
    this.fns = functionsForDialect(input.dialect);
    this.columnsCalls = input.dialect === "duckdb" && mayHaveColumnsCalls(input.query);
  }

  run(): ModelAnalysis {
    const rootScope = newScope(undefined, false);
    let rel: Relation;
    try {
      rel = this.analyzeQuery(this.input.query, ctxOf(rootScope, undefined, true, false), true);
    } catch (err) {
      if (!(err instanceof DepthError)) throw err;
      this.report("R009", "the query nests too deeply to analyse", this.input.query.span);
      rel = { columns: [] };
    }
    const columns: OutputColumn[] = rel.columns.map((c) => {
      const out: { -readonly [K in keyof OutputColumn]: OutputColumn[K] } = {
        name: c.name,
        // DuckDB types a column that is only ever NULL as INTEGER.
        type: c.isNull && this.dialect === "duckdb" ? T.Int32 : c.type,
        nullable: c.nullable,
        sources: toLineageSources(c.sources),
        fingerprint: flat(c.fp),
      };
      if (c.span) out.span = c.span;
      if (c.via !== undefined) out.via = distinctSpans(c.via, c.span);
      if (c.nullAssumed === true && c.nullable && out.type.kind !== "Unknown") out.nullableAssumed = true;
      return out;
    });
    const unknown = columns.filter((c) => c.type.kind === "Unknown");
    if (unknown.length > 0 && unknown.length < columns.length) {
      this.report("I002", `${unknown.length} column(s) have unknown types; provide source schemas`, this.input.query.span, this.unknownHelp(unknown));
    }
    const analysis: ModelAnalysis = {
      columns,
      rowLevel: this.rowLevel(),
      hasStar: this.hasStar,
      reads: this.reads,
      diagnostics: this.diagnostics,
      ...(this.concats !== undefined ? { nullableConcats: this.concats.sort((a, b) => a.call.start - b.call.start) } : {}),
      ...(this.dateDiffs !== undefined ? { dateDiffs: this.dateDiffs.sort((a, b) => a.call.start - b.call.start) } : {}),
      ...(this.windowNullOrders !== undefined ? { windowNullOrders: [...this.windowNullOrders.values()].sort((a, b) => a.keys[0].item.start - b.keys[0].item.start) } : {}),
      ...(this.methods !== undefined ? { methodCalls: [...this.methods.values()].sort((a, b) => a.call.start - b.call.start || a.call.end - b.call.end) } : {}),
    };
    return rel.open !== undefined && rel.open.length > 0 ? { ...analysis, open: true } : analysis;
  }

  /**
   * I002's help: which columns are Unknown and why, so the fix is findable. Rocky's message always
   * says "provide source schemas", which is the fix only when a source has no known schema; an
   * Unknown inherited from upstream, or left by an error in this model, is fixed elsewhere.
   */
  private unknownHelp(unknown: readonly OutputColumn[]): string {
    const { schemas, model } = this.input;
    const noSchema: string[] = [];
    const schemaless = new Set<string>();
    const fromFiles: string[] = [];
    const files = new Set<string>();
    const inherited: [string, string][] = [];
    const unresolved: string[] = [];
    const expression: string[] = [];
    for (const c of unknown) {
      let bare: string | undefined;
      let upstream: string | undefined;
      let missing = false;
      for (const s of c.sources) {
        if (s.model === model) continue;
        const cols = schemas.columnsOf(s.model);
        if (cols === undefined) {
          if (schemas.isModel(s.model)) upstream ??= s.model;
          else if (!s.model.includes(".")) missing = true; // a single name that is no model: R004
          else bare ??= s.model;
          continue;
        }
        const t = findColumn(cols, s.column)?.type;
        if (t === undefined && isOpenSchema(cols)) upstream ??= `${s.model}.${s.column}`;
        else if (t === undefined) missing = true;
        else if (t.kind === "Unknown") upstream ??= `${s.model}.${s.column}`;
      }
      if (bare !== undefined && this.fileSources?.has(bare)) {
        fromFiles.push(c.name);
        files.add(bare);
      } else if (bare !== undefined) {
        noSchema.push(c.name);
        schemaless.add(bare);
      } else if (missing || (c.sources.length === 0 && this.diagnostics.some((d) => d.severity === "Error"))) unresolved.push(c.name);
      else if (upstream !== undefined) inherited.push([c.name, upstream]);
      else expression.push(c.name);
    }
    const parts: string[] = [];
    if (noSchema.length > 0) parts.push(`${listed(noSchema)} ${verb(noSchema, "reads", "read")} ${listed([...schemaless])}, whose schema is not known: add it to schemas/*.json or data/seed.sql`);
    if (fromFiles.length > 0) parts.push(`${listed(fromFiles)} ${verb(fromFiles, "reads", "read")} ${listed([...files])}, whose columns only the files know: CAST ${verb(fromFiles, "it", "them")} to the type you mean`);
    if (unresolved.length > 0) parts.push(`${listed(unresolved)} ${verb(unresolved, "does", "do")} ${UNRESOLVED_COLUMNS_HELP}`);
    for (const [column, from] of inherited.slice(0, 3)) parts.push(`${column} reads ${from}, which is Unknown: fix it there`);
    if (inherited.length > 3) parts.push(`+${inherited.length - 3} more read Unknown upstream columns`);
    if (expression.length > 0) parts.push(`${listed(expression)}: the expression's type is not known; CAST it to the type you mean`);
    return parts.join("; ");
  }

  // -------------------------------------------------------------------------------------------
  // Diagnostics and bookkeeping
  // -------------------------------------------------------------------------------------------

  private span(s: Span): DiagnosticSpan {
    return { file: this.input.file, line: s.line, col: s.col };
  }

  private report(code: string, message: string, at: Span, suggestion?: string): void {
    const key = `${code}\u0000${at.start}\u0000${message}`;
    if (this.diagKeys === undefined) this.diagKeys = new Set();
    else if (this.diagKeys.has(key)) return;
    this.diagKeys.add(key);
    this.diagnostics.push(createDiagnostic(code, message, { model: this.input.model, span: this.span(at), suggestion }));
  }

  private read(upstream: string, column: string): void {
    let set = this.reads.get(upstream);
    if (!set) {
      set = new Set();
      this.reads.set(upstream, set);
    }
    set.add(column);
  }

  private addClause(key: ClauseKey, node: object, fp: string): void {
    let c: ClauseTexts | undefined;
    for (const x of this.clauses) {
      if (x.key === key) {
        c = x;
        break;
      }
    }
    if (c === undefined) {
      c = { key, nodes: [], fps: [], seen: undefined };
      this.clauses.push(c);
    }
    // A handful of nodes per clause kind: a scan; a Set past that (long join chains).
    if (c.seen === undefined && c.nodes.length >= 16) c.seen = new Set(c.nodes);
    if (c.seen !== undefined ? c.seen.has(node) : c.nodes.includes(node)) return;
    c.nodes.push(node);
    c.fps.push(fp);
    c.seen?.add(node);
  }

  /** Record row-level clauses into `to` from now on; returns where they went until now. */
  private collect(to: Collected): Collected {
    const was: Collected = { filters: this.filters, joins: this.joins, groups: this.groups, clauses: this.clauses };
    this.filters = to.filters;
    this.joins = to.joins;
    this.groups = to.groups;
    this.clauses = to.clauses;
    return was;
  }

  private rowLevel(): RowLevel {
    // Distinct (model, case-insensitive column), first spelling kept; lists are short, so a scan.
    const refs = (xs: readonly PathSource[]): ColumnRef[] => {
      if (xs.length > 32) return refsIndexed(xs);
      const out: ColumnRef[] = [];
      for (const s of xs) {
        let dup = false;
        for (const o of out) {
          if (o.model === s.model && (o.column === s.column || o.column.toLowerCase() === s.column.toLowerCase())) {
            dup = true;
            break;
          }
        }
        if (!dup) out.push({ model: s.model, column: s.column });
      }
      return out.length === 0 ? out : out.slice();
    };
    const fingerprints: { -readonly [K in ClauseKey]?: string } = {};
    for (const c of this.clauses) fingerprints[c.key] = clauseText(c);
    return { filters: refs(this.filters), joins: refs(this.joins), groups: refs(this.groups), fingerprints };
  }

  // -------------------------------------------------------------------------------------------
  // Queries
  // -------------------------------------------------------------------------------------------

  private analyzeQuery(q: Query, ctx: Ctx, outermost = false): Relation {
    if (++this.depth > MAX_DEPTH) throw new DepthError();
    try {
      let ctes = ctx.ctes;
      if (q.with) {
        const map = new Map<string, CteEntry>();
        const list: CteScope = { map, parent: ctx.ctes };
        const recursive = q.with.recursive;
        q.with.ctes.forEach((cte, index) => {
          const view: CteScope = { map, parent: ctx.ctes, before: recursive ? index + 1 : index };
          const key = cte.name.name.toLowerCase();
          // R019: a second CTE of the name in one WITH (the warehouses refuse it; the first one is read here).
          if (map.has(key)) {
            this.report("R019", `a CTE named '${cte.name.name}' is already defined in this WITH`, cte.name.span, "give the second one another name");
            return;
          }
          map.set(key, { cte, index, recursive, list, view, state: "pending" });
        });
        ctes = list;
      }
      const rel = this.analyzeSetExpr(q.body, ctes === ctx.ctes ? ctx : ctxOf(ctx.scope, ctes, ctx.rowLevel, ctx.grouped), outermost, q.orderBy);
      if (q.orderBy !== undefined && rel.open === undefined) {
        for (const o of q.orderBy) {
          const e = o.expr;
          if (e.kind === "literal" && e.type === "number" && /^\d+$/.test(e.value)) this.checkOrdinal(e, Number(e.value), rel.columns, "ORDER BY");
        }
      }
      // LIMIT (with the ORDER BY that picks the rows it keeps) decides which rows exist.
      // Snowflake's `SELECT TOP n` is the query's LIMIT n.
      const limit = q.limit ?? (q.body.kind === "select" ? q.body.top : undefined);
      if ((limit || q.offset) && q.orderBy?.length) this.noteLimitNullOrder(q.orderBy, rel);
      if (ctx.rowLevel && (limit || q.offset)) {
        const all = q.orderByAll;
        // An explicit NULLS FIRST/LAST that is the dialect's default reads as unwritten (P001's rewrite writes it).
        const order = q.orderBy?.length
          ? `ORDER BY ${printOrderItems(q.orderBy.map((o) => (o.nullsFirst !== undefined && o.nullsFirst === nullsFirstByDefault(this.dialect, o.desc) ? { expr: o.expr, desc: o.desc, span: o.span } : o)))} `
          : all
            ? `ORDER BY ALL${all.desc ? " DESC" : ""}${all.nullsFirst === undefined ? "" : all.nullsFirst ? " NULLS FIRST" : " NULLS LAST"} `
            : "";
        const text = `${order}${limit ? `LIMIT ${printExpr(limit)}${q.limitPercent ? "%" : ""}` : ""}${q.offset ? ` OFFSET ${printExpr(q.offset)}` : ""}`;
        this.addClause("limit", q, text.trim());
        // The sort keys pick which rows the LIMIT keeps: a filter on the columns they read.
        if (all) for (const c of rel.columns) this.filters.push(...c.sources);
        for (const o of q.orderBy ?? []) this.filters.push(...this.sortKeySources(o.expr, rel));
      }
      return rel;
    } finally {
      this.depth--;
    }
  }

  /** `orderBy`: the query's own ORDER BY, when `body` is its SELECT (checked against that SELECT's inputs). */
  private analyzeSetExpr(body: SetExpr, ctx: Ctx, outermost: boolean, orderBy?: readonly OrderItem[]): Relation {
    switch (body.kind) {
      case "select":
        return this.analyzeSelect(body, ctx, outermost, orderBy);
      case "query":
        return this.analyzeQuery(body, ctx, outermost);
      case "values":
        return this.analyzeValues(body, ctx);
      case "set_op": {
        const left = this.analyzeSetExpr(body.left, ctx, outermost);
        const right = this.analyzeSetExpr(body.right, ctx, outermost);
        if (!body.byName && left.open === undefined && right.open === undefined && left.columns.length !== right.columns.length) this.reportSetOpWidth(body, left, right);
        // EXCEPT's and INTERSECT's right side decides which of the left's rows stay: a filter.
        if (ctx.rowLevel && body.op !== "UNION") for (const c of right.columns) this.filters.push(...c.sources);
        return this.combineSetOp(body.op, body.all, body.byName, left, right);
      }
    }
  }

  /**
   * R017: an aggregate or a window function in WHERE, a join's ON or GROUP BY, which run before
   * rows are grouped (subqueries are their own queries, and are not looked into). Every warehouse
   * rejects it when the model runs. At the first call.
   */
  private checkNoAggregate(e: Expr, clause: "WHERE" | "JOIN ... ON" | "GROUP BY"): void {
    const x = this.aggregateIn(e, true);
    if (x === undefined) return;
    const name = x.name[0].name.toUpperCase();
    if (x.over !== undefined) {
      this.report("R017", `${clause} cannot hold a window function (${name} ... OVER): it runs before the window is computed`, x.nameSpan, clause === "WHERE" ? "filter on the window function's result with QUALIFY, or in an outer query" : "compute it in a CTE and use the result");
      return;
    }
    const help = clause === "WHERE" ? "filter groups with HAVING, or compare with a subquery's aggregate" : clause === "GROUP BY" ? "group by the columns, and aggregate in the select list" : "aggregate in a CTE or subquery, and join on its result";
    this.report("R017", `${clause} cannot hold an aggregate (${name}): it runs before rows are grouped`, x.nameSpan, help);
  }

  /**
   * R020: a cast to a type DuckDB does not have (`INTERGER`, `VARCAHR`: its list is checked against
   * the DuckDB the engine runs models on), or, on any warehouse, a DECIMAL whose precision is
   * outside 1..38 or whose scale exceeds it. Element, key and field types too.
   */
  private checkTypeName(t: TypeName): void {
    const lower = t.name.toLowerCase();
    if (this.dialect === "duckdb" && !DUCKDB_TYPE_NAMES.has(lower) && !MULTI_WORD_DUCKDB_TYPES.has(lower) && !lower.includes(".")) {
      const near = didYouMean(lower, DUCKDB_TYPE_NAMES);
      this.report("R020", `type \`${t.name}\` does not exist in DuckDB`, t.span, near === undefined ? "use one of DuckDB's types (VARCHAR, INTEGER, BIGINT, DOUBLE, DECIMAL(p, s), DATE, TIMESTAMP, ...)" : `did you mean ${near.toUpperCase()}?`);
    } else if (DECIMAL_NAMES.has(lower) && t.params.length > 0 && (this.dialect === "duckdb" || this.dialect === "snowflake" || this.dialect === "databricks")) {
      const [p, scale = 0] = t.params;
      if (p < 1 || p > 38) this.report("R020", `${t.name}(${t.params.join(", ")}): the precision must be from 1 to 38`, t.span, `${t.name}(38${t.params.length > 1 ? `, ${scale}` : ""}) holds the most digits`);
      else if (scale > p) this.report("R020", `${t.name}(${t.params.join(", ")}): the scale (${scale}) cannot exceed the precision (${p})`, t.span, `${t.name}(${Math.max(p, scale)}, ${scale}), or a smaller scale`);
    }
    for (const a of t.args ?? []) this.checkTypeName(a);
    for (const f of t.fields ?? []) this.checkTypeName(f.type);
  }

  /**
   * R011: a DuckDB function called with a number of arguments it has no overload for (`date_trunc('day')`),
   * by the numbers probed in the DuckDB the engine runs models on (duckdb-arities.ts). False when
   * it reported one (the argument types are then not judged).
   */
  private checkArgumentCount(name: string, fn: FunctionExpr): boolean {
    if (fn.star || fn.within !== undefined || (fn.namedArgs?.length ?? 0) > 0 || fn.name[0].quoted) return true;
    const mask = DUCKDB_ARITIES[name.toLowerCase()];
    if (mask === undefined) return true;
    const n = fn.args.length;
    const k = Math.min(n, MAX_PROBED_ARITY);
    if ((mask & (1 << k)) !== 0) return true;
    this.report("R011", `DuckDB's ${name.toLowerCase()} takes ${arityText(mask)}; this call has ${n}`, fn.nameSpan, `call ${name.toLowerCase()} with ${arityText(mask)}`);
    return false;
  }

  /** Whether `e` calls a window function (by its syntax: OVER), outside subqueries. */
  private windowIn(e: Expr): boolean {
    return firstCall(e, (fn) => (fn.over !== undefined ? "found" : "look inside")) !== undefined;
  }

  /**
   * The first aggregate call written in `e` (with `windows`, a window call too), by its syntax: not
   * inside a subquery (its own query) nor a window call's arguments. A column that names an aggregate
   * select alias is no call: an input column of that name comes first where the warehouses resolve it.
   */
  private aggregateIn(e: Expr, windows = false): FunctionExpr | undefined {
    return firstCall(e, (fn) => {
      if (fn.name.length !== 1) return "look inside";
      if (fn.over !== undefined) return windows ? "found" : "skip";
      return functionInfo(this.fns, fn.name[0].name).row?.kind === "aggregate" ? "found" : "look inside";
    });
  }

  /**
   * R016: `GROUP BY 3` or `ORDER BY 3` names the select list's column by position; one past the
   * last (or 0) names none, and every warehouse rejects the query when the model runs.
   */
  private checkOrdinal(e: Expr, ordinal: number, columns: readonly RelColumn[], clause: "GROUP BY" | "ORDER BY"): boolean {
    if (ordinal >= 1 && ordinal <= columns.length) return true;
    const n = columns.length;
    this.report("R016", `${clause} ${ordinal} names no column: the select list has ${n} column${n === 1 ? "" : "s"} (${columns.map((c) => c.name).join(", ")})`, e.span, `name the column, or a position from 1 to ${n}`);
    return false;
  }

  /**
   * R015: the branches of a set operation (UNION, INTERSECT, EXCEPT) have different numbers of
   * columns; every warehouse rejects the query when the model runs. At the branch that differs from
   * the first: the combined relation keeps the first branch's columns, so a third branch is
   * compared with the first too.
   */
  private reportSetOpWidth(body: SetExpr & { kind: "set_op" }, left: Relation, right: Relation): void {
    const label = `${body.op}${body.all ? " ALL" : ""}`;
    const names = (r: Relation) => r.columns.map((c) => c.name).join(", ");
    const count = (n: number) => `${n} column${n === 1 ? "" : "s"}`;
    const byName = this.dialect === "duckdb" || this.dialect === "databricks" ? `, or ${label} BY NAME to match columns by name` : "";
    this.report(
      "R015",
      `this branch of ${label} has ${count(right.columns.length)} (${names(right)}) where the first has ${count(left.columns.length)} (${names(left)}): every branch needs as many`,
      body.right.span,
      `add the missing columns to the shorter branch (NULL AS name) or remove the extra ones${byName}`,
    );
  }

  private combineSetOp(op: string, all: boolean, byName: boolean, left: Relation, right: Relation): Relation {
    // Snowflake's and Databricks' MINUS is EXCEPT under another name: the same logic, the same fingerprint.
    const label = `${op === "MINUS" ? "EXCEPT" : op}${all ? " ALL" : ""}${byName ? " BY NAME" : ""}`;
    const except = op === "EXCEPT" || op === "MINUS";
    const combine = (l: RelColumn | undefined, r: RelColumn | undefined, name: string): RelColumn => {
      const lt = l?.isNull ? undefined : l?.type;
      const rt = r?.isNull ? undefined : r?.type;
      const type = lt && rt ? (this.dialect === "duckdb" ? duckdbSetOpType(lt, rt) : (unifyPair(lt, rt) ?? T.Unknown)) : (lt ?? rt ?? T.Unknown);
      const nullable = op === "UNION" ? (l?.nullable ?? true) || (r?.nullable ?? true) : (l?.nullable ?? true);
      return {
        name,
        type,
        nullable,
        // EXCEPT's values are the left side's only (its right side is a filter).
        sources: except ? (l?.sources ?? []) : [...(l?.sources ?? []), ...(r?.sources ?? [])],
        fp: `${label}(${l?.fp ?? "NULL"}, ${r?.fp ?? "NULL"})`,
        span: l?.span,
        isNull: (l === undefined || l.isNull === true) && (r === undefined || r.isNull === true),
        via: setOpVia(l, r),
      };
    };
    const open = mergeOpen(left.open, right.open);
    const through = left.starPassesThrough === true || right.starPassesThrough === true ? { starPassesThrough: true as const } : {};
    if (byName) {
      const cols: RelColumn[] = left.columns.map((l) => combine(l, findColumn(right.columns, l.name), l.name));
      for (const r of right.columns) if (!findColumn(left.columns, r.name)) cols.push(combine(undefined, r, r.name));
      return { columns: cols, open, ...through };
    }
    const n = Math.min(left.columns.length, right.columns.length);
    const cols: RelColumn[] = [];
    for (let i = 0; i < n; i++) cols.push(combine(left.columns[i], right.columns[i], left.columns[i].name));
    // When one side is open (unknown width), keep the known side's extra columns; when the right
    // side is short (R015), the first branch's too: it names the columns, and later branches are compared with it.
    if (left.columns.length > n && (right.open || left.open === undefined)) for (const l of left.columns.slice(n)) cols.push(combine(l, undefined, l.name));
    return { columns: cols, open, ...through };
  }

  private analyzeValues(v: ValuesBody, ctx: Ctx, names?: readonly Ident[]): Relation {
    const rows = v.rows.map((row) => row.map((e) => this.infer(e, ctx)));
    // R015: every row of VALUES has as many values as the first.
    const odd = v.rows.findIndex((row) => row.length !== v.rows[0].length && row.length > 0);
    if (odd > 0) {
      const n = v.rows[0].length;
      this.report("R015", `row ${odd + 1} of VALUES has ${v.rows[odd].length} value${v.rows[odd].length === 1 ? "" : "s"} where the first has ${n}: every row needs as many`, v.rows[odd][0].span, `give every row ${n} value${n === 1 ? "" : "s"}`);
    }
    const width = rows.reduce((m, r) => Math.max(m, r.length), 0);
    const columns: RelColumn[] = [];
    for (let i = 0; i < width; i++) {
      const cells = rows.map((r) => r[i]).filter((c): c is ExprInfo => c !== undefined);
      columns.push({
        name: names?.[i]?.name ?? this.valuesColumnName(i),
        type: unifyTypes(cells.map((c) => (c.isNull ? undefined : c.type)), this.dialect),
        nullable: cells.some((c) => c.nullable),
        sources: cells.flatMap((c) => c.sources),
        fp: `VALUES(${cells.map((c) => c.fp).join(", ")})`,
      });
    }
    return { columns };
  }

  private valuesColumnName(i: number): string {
    if (this.dialect === "snowflake") return `COLUMN${i + 1}`;
    if (this.dialect === "databricks") return `col${i + 1}`;
    return `col${i}`;
  }

  private analyzeSelect(sel: Select, outer: Ctx, outermost: boolean, orderBy?: readonly OrderItem[]): Relation {
    if (sel.connectBy === undefined) return this.analyzeSelectIn(sel, outer, outermost, orderBy);
    // A hierarchical query: its LEVEL pseudo-column resolves while it is analysed.
    this.hierarchical++;
    try {
      return this.analyzeSelectIn(sel, outer, outermost, orderBy);
    } finally {
      this.hierarchical--;
    }
  }

  private analyzeSelectIn(sel: Select, outer: Ctx, outermost: boolean, orderBy?: readonly OrderItem[]): Relation {
    const scope = newScope(outer.scope, true);
    const grouped = sel.groupBy !== undefined;
    const ctx = ctxOf(scope, outer.ctes, outer.rowLevel, grouped);
    if (sel.windows?.length) scope.windows = new Map(sel.windows.map((w) => [w.name.name.toLowerCase(), w.spec]));
    // What each FROM entry reads first (a join's joined side is in its JOIN fingerprint): `COUNT(*)
    // FROM a` for `FROM b` counts other rows, though no column it names changed.
    let from: string[] | undefined;
    for (const ref of sel.from) {
      const items = this.addFromItem(ref, ctx, outer);
      if (outer.rowLevel && items.length > 0) (from ??= []).push(joinedIdentity(items[0]));
    }
    // A select-level sample (DuckDB's `USING SAMPLE` after WHERE) samples the FROM's rows: part of its identity, as a table's own sampling is.
    if (from !== undefined) this.addClause("from", sel, `${from.sort().join(", ")}${sel.sample !== undefined ? ` ${sel.sample}` : ""}`);
    if (sel.where) {
      this.collectNonNull(sel.where, ctx);
      this.checkNoAggregate(sel.where, "WHERE");
    }

    // Projection
    const columns: RelColumn[] = [];
    let passesThrough = false;
    let open: string[] | undefined;
    let openSources: PathSource[] | undefined;
    const itemInfos: (ExprInfo | undefined)[] = [];
    // Subqueries in the projection compute values; they do not decide which rows the model has.
    const projCtx = ctx.rowLevel ? ctxOf(scope, ctx.ctes, false, grouped) : ctx;
    const aliasNames = scope.aliasNames as string[];
    const aliasInfos = scope.aliasInfos as ExprInfo[];
    const projection = sel.projection;
    for (let i = 0; i < projection.length; i++) {
      const item = projection[i];
      if (item.kind === "star") {
        const expanded = this.expandStar(item.star, projCtx);
        if (expanded.starPassesThrough) {
          passesThrough = true;
          // P002's "a SELECT * model": its columns follow an upstream's schema.
          if (outermost) this.hasStar = true;
        }
        for (const c of expanded.columns) columns.push(c);
        if (expanded.open) open = [...(open ?? []), ...expanded.open];
        itemInfos.push(undefined);
        continue;
      }
      const columnsCall = this.columnsCalls ? findColumnsCall(item.expr) : undefined;
      if (columnsCall !== undefined) {
        const expanded = this.expandColumnsItem(item.expr, item.alias?.name, columnsCall, projCtx);
        for (const c of expanded.columns) columns.push(c);
        if (expanded.open) open = [...(open ?? []), ...expanded.open];
        itemInfos.push(undefined);
        continue;
      }
      const generated = this.generatorColumns(item, projCtx) ?? this.structUnnest(item, projCtx);
      if (generated !== undefined) {
        for (const c of generated.columns) columns.push(c);
        if (generated.open) open = [...(open ?? []), ...generated.open];
        if (generated.openSources) openSources = [...(openSources ?? []), ...generated.openSources];
        itemInfos.push(undefined);
        continue;
      }
      const { value: info, via } = this.itemVia(() => this.infer(item.expr, projCtx));
      itemInfos.push(info);
      const name = item.alias?.name ?? outputName(item.expr, i);
      columns.push({ name, type: info.type, nullable: info.nullable, sources: info.sources, fp: info.fp, span: item.span, isNull: info.isNull, via, nullAssumed: info.nullAssumed });
      // Only a written alias is one later items and clauses can name: `CAST(ts AS STRING)` is called
      // `ts` here, and a later `ts` is still the table's (which an unknown source may have).
      if (item.alias !== undefined) {
        aliasNames.push(name);
        aliasInfos.push(info);
      }
    }

    // Row-level clauses: they see FROM columns first, select aliases as a fallback.
    const clauseCtx = ctx;
    if (sel.where) {
      const w = this.infer(sel.where, clauseCtx);
      if (outer.rowLevel) {
        this.filters.push(...w.sources);
        this.addClause("where", sel, w.fp);
      }
    }
    // A GROUP BY position past the select list (R016) groups by nothing R014 could tell apart.
    let badOrdinal = false;
    if (sel.groupBy) {
      const parts: string[] = [];
      const srcs: PathSource[] = [];
      if (sel.groupBy.all) {
        // GROUP BY ALL groups by every select item without an aggregate: the same keys as listing them.
        itemInfos.forEach((info) => {
          if (info && !info.hasAgg) {
            srcs.push(...info.sources);
            parts.push(info.fp);
          }
        });
      }
      for (const g of sel.groupBy.items) {
        const ordinal = g.kind === "literal" && g.type === "number" && /^\d+$/.test(g.value) ? Number(g.value) : undefined;
        if (ordinal !== undefined && open === undefined && !this.checkOrdinal(g, ordinal, columns, "GROUP BY")) badOrdinal = true;
        this.checkNoAggregate(g, "GROUP BY");
        const byOrdinal = ordinal !== undefined ? itemInfos[ordinal - 1] : undefined;
        const info = byOrdinal ?? this.infer(g, clauseCtx);
        srcs.push(...info.sources);
        parts.push(info.fp);
      }
      if (outer.rowLevel) {
        this.groups.push(...srcs);
        // The keys are a set (each ROLLUP / CUBE / GROUPING SETS keeps its own order inside it).
        this.addClause("groupBy", sel, [...new Set(parts)].sort().join(", "));
      }
    }
    if (sel.having) {
      const h = this.infer(sel.having, clauseCtx);
      if (outer.rowLevel) {
        this.filters.push(...h.sources);
        this.addClause("having", sel, h.fp);
      }
    }
    // The query's ORDER BY items that surely read the inputs (R014 and R008 read the same ones).
    const sortKeys = open === undefined ? sortKeysOnInputs(orderBy, columns) : [];
    if ((grouped || itemInfos.some((info) => info?.hasAgg)) && !badOrdinal) this.checkGrouped(sel, scope, itemInfos, sortKeys);
    if (sel.qualify) {
      // R017: QUALIFY filters on window functions: one in the select list or in QUALIFY itself.
      if (!sel.projection.some((item) => item.kind !== "star" && this.windowIn(item.expr)) && !this.windowIn(sel.qualify)) {
        this.report("R017", "QUALIFY filters on window functions, and this query has none (in its select list or in QUALIFY)", sel.qualify.span, sel.groupBy ? "filter groups with HAVING" : "filter rows with WHERE");
      }
      const q = this.infer(sel.qualify, clauseCtx);
      if (outer.rowLevel) {
        this.filters.push(...q.sources);
        this.addClause("qualify", sel, q.fp);
      }
    }
    if (sel.connectBy) {
      const start = sel.connectBy.startWith === undefined ? undefined : this.infer(sel.connectBy.startWith, clauseCtx);
      const links = this.infer(sel.connectBy.condition, clauseCtx);
      if (outer.rowLevel) {
        this.filters.push(...(start?.sources ?? []), ...links.sources);
        this.addClause("connectBy", sel, `${start === undefined ? "" : `START WITH ${start.fp} `}CONNECT BY ${sel.connectBy.nocycle ? "NOCYCLE " : ""}${links.fp}`);
      }
    }
    if (sel.distinct && outer.rowLevel) {
      const on = sel.distinct.on?.map((e) => this.infer(e, clauseCtx));
      // DISTINCT groups by every select item (DISTINCT ON by its keys): their columns decide which rows stay.
      this.groups.push(...(on ?? columns).flatMap((c) => c.sources));
      this.addClause("distinct", sel, on ? `DISTINCT ON (${sortedFps(on).join(", ")})` : "DISTINCT");
    }
    if (sortKeys.length > 0) this.checkOrderBy(sortKeys, columns, clauseCtx);
    // DISTINCT ON keeps each key's first row in the ORDER BY's order: the sort keys pick the rows.
    if (sel.distinct?.on && outer.rowLevel && orderBy) for (const o of orderBy) this.filters.push(...this.sortKeySources(o.expr, { columns }));
    return { columns, open, ...(openSources === undefined ? {} : { openSources }), ...(passesThrough ? { starPassesThrough: true as const } : {}) };
  }

  /**
   * The query's ORDER BY over one SELECT: its column references resolve against the SELECT's
   * inputs, so a misspelt name is R008 (and a name two inputs have, R013) as it is in WHERE; the
   * warehouses refuse it when the model runs. An ORDER BY name binds to an output column first, so
   * an item naming one anywhere, or holding a subquery or a lambda, is left alone: only what surely
   * names an input is read.
   */
  private checkOrderBy(sortKeys: readonly Expr[], columns: readonly RelColumn[], ctx: Ctx): void {
    // A misspelt output name is as likely as a misspelt input: both are offered as the fix.
    this.orderByOutputs = columns.map((c) => c.name);
    try {
      for (const e of sortKeys) this.sortKeyInfos.set(e, this.infer(e, ctx));
    } finally {
      this.orderByOutputs = undefined;
    }
  }

  /** What the query's ORDER BY keys that read its inputs were inferred as (checkOrderBy), for the rows a LIMIT keeps. */
  private readonly sortKeyInfos = new Map<Expr, ExprInfo>();

  /**
   * A query's ORDER BY that picks rows (with LIMIT, TOP or OFFSET): its keys that may be NULL and
   * say no NULLS FIRST/LAST, as a window's are (ModelAnalysis.windowNullOrders, as `LIMIT`). A key
   * names an output column (by name or position) or reads the inputs (inferred by checkOrderBy).
   */
  private noteLimitNullOrder(orderBy: readonly OrderItem[], rel: Relation): void {
    if (this.windowNullOrders?.has(orderBy[0].span.start)) return;
    const nullable = (e: Expr): boolean => {
      if (e.kind === "literal" && e.type === "number") {
        const c = rel.columns[Number(e.value) - 1];
        return c !== undefined && c.nullable && c.type.kind !== "Unknown" && this.knownFromSchemas(c.sources);
      }
      if (e.kind === "column" && e.parts.length === 1) {
        const c = rel.columns.find((c) => c.name.toLowerCase() === e.parts[0].name.toLowerCase());
        if (c !== undefined) return c.nullable && c.type.kind !== "Unknown" && this.knownFromSchemas(c.sources);
      }
      // As a window's keys: a bare column of the inputs only.
      const info = e.kind === "column" ? this.sortKeyInfos.get(e) : undefined;
      return info !== undefined && mayBeNull(info) && this.knownFromSchemas(info.sources);
    };
    const keys = orderBy.filter((o) => o.nullsFirst === undefined && nullable(o.expr)).map((o) => ({ item: { start: o.span.start, end: o.span.end }, key: { start: o.expr.span.start, end: o.expr.span.end }, desc: o.desc }));
    if (keys.length > 0) (this.windowNullOrders ??= new Map()).set(orderBy[0].span.start, { fn: "LIMIT", keys });
  }

  /**
   * The columns a query's ORDER BY key reads: an output column's (by position or one-part name),
   * else what checkOrderBy inferred it as. None for a key that mixes output names into an
   * expression (what it reads is not recorded): nothing rather than a guess.
   */
  private sortKeySources(e: Expr, rel: Relation): readonly PathSource[] {
    if (e.kind === "literal" && e.type === "number") return rel.columns[Number(e.value) - 1]?.sources ?? NO_SOURCES;
    if (e.kind === "column" && e.parts.length === 1) {
      const c = findColumn(rel.columns, e.parts[0].name);
      if (c !== undefined) return c.sources;
    }
    return this.sortKeyInfos.get(e)?.sources ?? NO_SOURCES;
  }

  /** While an ORDER BY is checked: the names of the query's output columns, which it may name too. */
  private orderByOutputs: readonly string[] | undefined;

  // -------------------------------------------------------------------------------------------
  // FROM items
  // -------------------------------------------------------------------------------------------

  private addFromItem(ref: TableRef, ctx: Ctx, outer: Ctx): ScopeItem[] {
    const items = this.buildItems(ref, ctx, outer);
    return items;
  }

  /** Builds the items of one FROM entry into `ctx.scope` (so LATERAL items see earlier ones) and returns them. */
  private buildItems(ref: TableRef, ctx: Ctx, outer: Ctx): ScopeItem[] {
    switch (ref.kind) {
      case "table": {
        const fileLike = ref.file || ref.stage;
        if (fileLike) (this.fileSources ??= new Set()).add(ref.name[0].name);
        const item = this.pushItem(ctx, fileLike ? fileItem(ref.name[0].name, ref.alias) : this.namedTableItem(ref.name, ref.alias, ctx));
        // Time travel and sampling decide which rows the table gives (`AT(OFFSET => -60)`, `TABLESAMPLE (10 PERCENT)`): its identity in FROM and JOIN.
        item.modifiers = ref.modifiers;
        return [item];
      }
      case "derived": {
        const parentCtx: Ctx = ref.lateral ? ctx : outer;
        const rel = this.relationBody(() => this.analyzeQuery(ref.query, ctxOf(parentCtx.scope, ctx.ctes, ctx.rowLevel, false)));
        const name = ref.alias?.name.name ?? "";
        const item = this.pushItem(ctx, makeItem([name.toLowerCase()], name || "(subquery)", renameColumns(rel, ref.alias)));
        // Its sample decides which of its rows are read: part of its identity in FROM and JOIN.
        item.modifiers = ref.sample;
        return [item];
      }
      case "values_table": {
        const rel = this.analyzeValues(ref.values, ctx, ref.alias?.columns);
        const name = ref.alias?.name.name ?? "values";
        return [this.pushItem(ctx, makeItem([name.toLowerCase()], name, rel))];
      }
      case "function_table": {
        const item = this.pushItem(ctx, this.functionTableItem(ref.fn, ref.alias, ref.withOffset, ctx));
        // A stream reads only the new rows, a sample some of them: both are part of its identity in FROM and JOIN.
        item.modifiers = ref.stream ? (ref.sample === undefined ? "STREAM" : `STREAM ${ref.sample}`) : ref.sample;
        return [item];
      }
      case "lateral_view": {
        const left = this.buildItems(ref.source, ctx, outer);
        const item = this.functionTableItem(ref.fn, ref.alias, undefined, ctx);
        if (ref.outer) item.nullable = true;
        // A generator yields a row per element (OUTER: and one for an empty or NULL input).
        if (ctx.rowLevel) this.addClause("from", ref, `LATERAL VIEW ${ref.outer ? "OUTER " : ""}${item.rel.columns.map((c) => c.fp).join(", ")}`);
        return [...left, this.pushItem(ctx, item)];
      }
      case "pivot":
        return [this.pushItem(ctx, this.pivotItem(ref, ctx, outer))];
      case "match_recognize":
        return [this.pushItem(ctx, this.matchRecognizeItem(ref, ctx, outer))];
      case "join":
        return this.buildJoin(ref, ctx, outer);
    }
  }

  private pushItem(ctx: Ctx, item: ScopeItem): ScopeItem {
    ctx.scope.items.push(item);
    return item;
  }

  private namedTableItem(parts: readonly Ident[], alias: TableAlias | undefined, ctx: Ctx): ScopeItem {
    const full = parts.length === 1 ? parts[0].name.toLowerCase() : parts.map((p) => p.name.toLowerCase()).join(".");
    const last = parts[parts.length - 1]?.name ?? full;
    const names = alias ? [alias.name.name.toLowerCase()] : parts.length === 1 ? [full] : [last.toLowerCase(), full];
    const display = alias?.name.name ?? full;
    if (parts.length === 1) {
      const cte = this.findCte(full, ctx.ctes);
      if (cte) return makeItem(names, display, renameColumns(this.cteRelation(cte), alias));
    }
    const cols = this.input.schemas.columnsOf(full);
    // A model by the name the project gives it (`Stg_Payments.sql`, read as `FROM stg_payments`): lineage joins the graph's model.
    const source = (parts.length === 1 ? this.input.schemas.modelName?.(full) : undefined) ?? full;
    const shown = alias?.name.name ?? source;
    // An empty schema (an upstream that failed to parse) knows nothing: treat it as unknown, never as "no columns".
    if (cols === undefined || cols.length === 0) return makeItem(names, shown, { columns: [], open: [source] }, source);
    return makeItem(names, shown, renameColumns(upstreamRelation(source, cols), alias), source);
  }

  private findCte(name: string, ctes: CteScope | undefined): CteEntry | undefined {
    for (let s = ctes; s; s = s.parent) {
      const e = s.map.get(name);
      if (e && (s.before === undefined || e.index < s.before)) return e;
    }
    return undefined;
  }

  /** Run `work` with `via` collecting what fromItem reads (undefined: nothing), then the enclosing collector again. */
  private withVia<T>(via: Span[] | undefined, work: () => T): T {
    const outer = this.via;
    this.via = via;
    try {
      return work();
    } finally {
      this.via = outer;
    }
  }

  /**
   * One output column's value (a select item, a column of `*`) and the items of this model's
   * relations it reads. Inside a value subquery's item these are the enclosing item's too.
   */
  private itemVia<T>(work: () => T): { value: T; via: Span[] | undefined } {
    const outer = this.via;
    const via: Span[] = [];
    const value = this.withVia(via, work);
    if (outer !== undefined) for (let k = 0; k < via.length && outer.length < VIA_MAX; k++) outer.push(via[k]);
    return { value, via: via.length > 0 ? via : undefined };
  }

  /**
   * A relation's body (a CTE, a derived table), analysed wherever it is first needed: the items it
   * reads are its own columns' `via`, never those of the select item that happened to need it.
   */
  private relationBody(analyse: () => Relation): Relation {
    return this.withVia(undefined, analyse);
  }

  private cteRelation(e: CteEntry): Relation {
    if (e.state === "pending") this.resolveDependencies(e);
    const rel = e.state === "done" && e.rel ? e.rel : this.analyzeCte(e);
    // Its clauses decide what its reader sees: the model's rows when the model reads it, a value
    // subquery's value when that subquery does (not while it is being analysed: a recursive reference).
    if (e.state === "done" && e.own !== undefined) this.addCollected(e.own);
    return rel;
  }

  /** Add clauses recorded elsewhere (a CTE's, a value subquery's) to where clauses go now, all but the `except` kind. */
  private addCollected(from: Collected, except?: ClauseKey): void {
    if (from.filters.length > 0) this.filters.push(...from.filters);
    if (from.joins.length > 0) this.joins.push(...from.joins);
    if (from.groups.length > 0) this.groups.push(...from.groups);
    for (const c of from.clauses) if (c.key !== except) for (let i = 0; i < c.nodes.length; i++) this.addClause(c.key, c.nodes[i], c.fps[i]);
  }

  /**
   * Analyses, in declaration order, the not-yet-analysed CTEs of e's WITH that e needs (directly or
   * through each other). Each one then finds the CTEs it reads already done, so a chain of a thousand
   * CTEs is a loop here instead of a thousand nested analyses.
   */
  private resolveDependencies(e: CteEntry): void {
    const needed = new Set<CteEntry>();
    const work: CteEntry[] = [e];
    for (let x = work.pop(); x; x = work.pop()) {
      for (const dep of this.cteDeps(x)) {
        if (dep === e || dep.state !== "pending" || needed.has(dep)) continue;
        needed.add(dep);
        work.push(dep);
      }
    }
    for (const dep of [...needed].sort((a, b) => a.index - b.index)) {
      if (dep.state === "pending") this.analyzeCte(dep);
    }
  }

  /** The earlier CTEs of the same WITH that e's body names (syntactically, nested WITHs respected). */
  private cteDeps(e: CteEntry): readonly CteEntry[] {
    if (e.deps) return e.deps;
    const deps = new Set<CteEntry>();
    for (const ref of collectTableRefs(e.cte.query)) {
      if (ref.name.length !== 1) continue;
      const dep = this.findCte(ref.name[0].name.toLowerCase(), e.view);
      if (dep && dep !== e && dep.list === e.list) deps.add(dep);
    }
    e.deps = [...deps];
    return e.deps;
  }

  private analyzeCte(e: CteEntry): Relation {
    if (e.state === "done" && e.rel) return e.rel;
    const ctx = ctxOf(newScope(undefined, false), e.view, true, false);
    if (e.state === "analyzing") {
      // A recursive reference: the anchor member's columns stand in for the CTE.
      if (e.anchor) return e.anchor;
      const body = e.cte.query.body;
      if (e.recursive && body.kind === "set_op" && !e.anchor) {
        e.anchor = { columns: [], open: [] };
        e.anchor = renameCte(this.relationBody(() => this.analyzeSetExpr(body.left, ctx, false)), e.cte);
        return e.anchor;
      }
      return { columns: [], open: [] };
    }
    e.state = "analyzing";
    // Its clauses are its own: each query that reads it takes them (cteRelation).
    e.own = { filters: [], joins: [], groups: [], clauses: [] };
    const outerCollected = this.collect(e.own);
    let rel: Relation;
    try {
      rel = renameCte(this.relationBody(() => this.analyzeQuery(e.cte.query, ctx)), e.cte);
    } finally {
      this.collect(outerCollected);
    }
    // DuckDB casts a recursive CTE's recursive member to its anchor's types.
    const anchor = e.anchor;
    if (this.dialect === "duckdb" && e.recursive && anchor !== undefined && anchor.columns.length === rel.columns.length) {
      rel = { ...rel, columns: rel.columns.map((c, i) => (anchor.columns[i].isNull || anchor.columns[i].type.kind === "Unknown" ? c : { ...c, type: anchor.columns[i].type })) };
    }
    e.rel = rel;
    e.state = "done";
    return rel;
  }

  private functionTableItem(fn: FunctionExpr, alias: TableAlias | undefined, withOffset: Ident | true | undefined, ctx: Ctx): ScopeItem {
    const name = fnName(fn);
    const args = fn.args.map((a) => this.infer(a, ctx));
    const named = (fn.namedArgs ?? []).map((n) => ({ name: n.name.name, info: this.infer(n.value, ctx) }));
    const row = this.fns.table[name];
    const display = alias?.name.name ?? name.toLowerCase();
    const itemNames = [display.toLowerCase()];
    const allSources = [...args.flatMap((a) => a.sources), ...named.flatMap((n) => n.info.sources)];
    // A table function the catalog does not know: its columns are unknown, but each is made from its arguments.
    if (!row) return makeItem(itemNames, display, allSources.length === 0 ? { columns: [], open: [] } : { columns: [], open: [], openSources: wrapSources(allSources, EXPRESSION) });
    // Snowflake FLATTEN(input => x): the input is the first argument.
    const inputArgs = args.length > 0 ? args : named.map((n) => n.info);
    const call = this.callContext(inputArgs, [], fn);
    const yielded = row.columns(call);
    // `stack(n, v1, .., vk)`: column i reads only its own values (every width-th from v1 on).
    const stacked = name === "STACK" && args.length > 1;
    const valueColumns = VALUE_COLUMNS[name];
    const kept = valueColumns === undefined || inputArgs[0] === undefined ? undefined : makePath(undefined, undefined, true, undefined, name.toLowerCase());
    // A value column keeps its input's values; the other arguments (a path, OUTER => TRUE) only shape it.
    const keptSources = kept === undefined ? undefined : concatSources(wrapSources(inputArgs[0].sources, kept), wrapSources(allSources.filter((s) => !inputArgs[0].sources.includes(s)), EXPRESSION));
    let cols = yielded.map((c, i): RelColumn => {
      const own = stacked ? args.slice(1).filter((_, j) => j % yielded.length === i) : undefined;
      return {
        name: c.name,
        type: c.type,
        nullable: true,
        sources: keptSources !== undefined && valueColumns?.has(c.name.toLowerCase()) ? keptSources : wrapSources(own === undefined ? allSources : own.flatMap((a) => a.sources), EXPRESSION),
        fp: own === undefined ? `${name}(${inputArgs.map((a) => a.fp).join(", ")}).${c.name.toLowerCase()}` : `STACK(${args[0].fp}; ${own.map((a) => a.fp).join(", ")}).${i}`,
      };
    });
    // BigQuery `UNNEST(arr) AS x`: the alias names the value column.
    if (this.dialect === "bigquery" && name === "UNNEST" && alias && !alias.columns && cols.length === 1) {
      cols = [{ ...cols[0], name: alias.name.name }];
    }
    if (withOffset) {
      const offName = withOffset === true ? "offset" : withOffset.name;
      cols.push({ name: offName, type: T.Int64, nullable: false, sources: [], fp: `${name}(${inputArgs.map((a) => a.fp).join(", ")}).offset` });
    }
    // explode(x) of an unknown x: a map's key and value, or an array's col. Named by the alias's
    // columns when it has them; otherwise the names are open (an outer `key` is no R008).
    if (SHAPE_BY_INPUT.has(name) && (inputArgs[0] === undefined || inputArgs[0].type.kind === "Unknown" || inputArgs[0].type.kind === "Variant")) {
      const unknown = (n: string): RelColumn => ({ name: n, type: T.Unknown, nullable: true, sources: wrapSources(allSources, EXPRESSION), fp: `${name}(${inputArgs.map((a) => a.fp).join(", ")}).${n.toLowerCase()}` });
      if (alias?.columns !== undefined) return makeItem(itemNames, display, { columns: alias.columns.map((c) => unknown(c.name)) });
      return makeItem(itemNames, display, { columns: cols, open: [display], openSources: wrapSources(allSources, EXPRESSION) });
    }
    return makeItem(itemNames, display, renameColumns({ columns: cols }, alias));
  }

  /**
   * Databricks' generator functions in a select list (`explode(m)`, `posexplode(xs) AS (i, x)`,
   * `inline(structs)`, `stack(2, a, b, c, d) AS (k, v)`): the item is the columns the function
   * yields as a table (`key`/`value`, `pos`/`col`, the structs' fields, `col0`..), named by the
   * item's aliases. Undefined for any other item.
   */
  private generatorColumns(item: Extract<SelectItem, { kind: "expr" }>, ctx: Ctx): Relation | undefined {
    const fn = item.expr;
    if (this.dialect !== "databricks" || fn.kind !== "function" || fn.over !== undefined || !GENERATORS.has(fnName(fn))) return undefined;
    const { value: rel, via } = this.itemVia(() => this.functionTableItem(fn, undefined, undefined, ctx).rel);
    if (rel.columns.length === 0) return undefined;
    const names = item.aliases ?? (item.alias !== undefined ? [item.alias] : []);
    // The input's shape is unknown (open): the aliases say how many columns there are, or the names stay open.
    if (rel.open !== undefined) {
      if (names.length === 0) return { columns: rel.columns.map((c) => ({ ...c, span: item.span, via })), open: rel.open, ...(rel.openSources ? { openSources: rel.openSources } : {}) };
      return { columns: names.map((n) => ({ ...rel.columns[0], name: n.name, fp: `${rel.columns[0].fp}#${n.name.toLowerCase()}`, span: item.span, via })) };
    }
    if (names.length > 0 && names.length !== rel.columns.length) {
      this.report("R008", `${fnName(fn).toLowerCase()}(...) yields ${rel.columns.length} column(s) (${rel.columns.map((c) => c.name).join(", ")}), but ${names.length} alias(es) name them`, item.span);
    }
    return { columns: rel.columns.map((c, i) => ({ ...c, name: names[i]?.name ?? c.name, span: item.span, via })) };
  }

  /**
   * DuckDB's `UNNEST(attrs)` of a STRUCT column in a select list: one column per field (an alias
   * does not name them), each read from the struct as `attrs.channel` is. Undefined for any other item.
   */
  private structUnnest(item: Extract<SelectItem, { kind: "expr" }>, ctx: Ctx): Relation | undefined {
    const fn = item.expr;
    if (this.dialect !== "duckdb" || fn.kind !== "function" || fn.over !== undefined || fn.namedArgs !== undefined || fn.args.length !== 1 || fnName(fn) !== "UNNEST") return undefined;
    const arg = fn.args[0];
    if (arg.kind !== "column") return undefined;
    const { value: base, via } = this.itemVia(() => this.resolveColumn(arg, ctx));
    if (base.type.kind !== "Struct") return undefined;
    return {
      columns: base.type.fields.map((f) => {
        const info = this.fieldOf(base, f.name);
        return { name: f.name, type: info.type, nullable: info.nullable, sources: info.sources, fp: `UNNEST(${base.fp}).${f.name.toLowerCase()}`, span: item.span, via };
      }),
    };
  }

  /**
   * MATCH_RECOGNIZE: MEASURES and DEFINE read the input's columns, bare or through a row symbol
   * (`down.price`); the output is the partition columns and the measures, or every input column
   * and the measures with ALL ROWS PER MATCH. The pattern and its conditions decide which rows
   * there are: a row-level clause (recorded with WHERE's).
   */
  private matchRecognizeItem(ref: MatchRecognizeRef, ctx: Ctx, outer: Ctx): ScopeItem {
    const { inner, srcCols, open } = this.operatorInput(ref.source, ctx, outer);
    const rows: Relation = open === undefined ? { columns: srcCols } : { columns: srcCols, open };
    for (const sym of ref.symbols) {
      const item = makeItem([sym.name.toLowerCase()], sym.name, rows);
      item.hiddenFromStar = true;
      inner.scope.items.push(item);
    }
    const rowCtx = ctxOf(inner.scope, inner.ctes, false, false);
    const partition = ref.partitionBy.map((e) => ({ e, info: this.infer(e, rowCtx) }));
    const order = ref.orderBy.map((o) => this.infer(o.expr, rowCtx));
    const defined = ref.define.map((d) => ({ symbol: d.symbol.name.toLowerCase(), info: this.infer(d.expr, rowCtx) }));
    const measureCtx = ctxOf(inner.scope, inner.ctes, false, true);
    const measures: RelColumn[] = ref.measures.map((m) => {
      const info = this.infer(m.expr, measureCtx);
      return { name: m.alias.name, type: info.type, nullable: info.nullable, sources: info.sources, fp: m.semantics === undefined ? info.fp : `${m.semantics} ${info.fp}` };
    });
    if (ctx.rowLevel) {
      for (const d of defined) this.filters.push(...d.info.sources);
      const parts = partition.map((p) => p.info.fp).join(", ");
      const conditions = defined.map((d) => `${d.symbol} AS ${d.info.fp}`).join(", ");
      // Everything that decides which rows match and which come out: the order the pattern walks, the
      // rows per match and their option, where the next match starts, the pattern and its symbols.
      const texts = [
        `PARTITION BY ${parts}`,
        ...(order.length > 0 ? [`ORDER BY ${orderText(ref.orderBy, order, this.dialect)}`] : []),
        ref.allRows ? `ALL ROWS${ref.rowsOption === undefined ? "" : ` ${ref.rowsOption}`}` : "ONE ROW",
        ...(ref.afterMatchSkip === undefined ? [] : [`AFTER MATCH SKIP ${ref.afterMatchSkip.to}${ref.afterMatchSkip.symbol ? ` ${symbolFp(ref.afterMatchSkip.symbol)}` : ""}`]),
        `PATTERN (${ref.pattern.toLowerCase()})`,
        ...(ref.subsets === undefined ? [] : [`SUBSET ${ref.subsets.map((u) => `${symbolFp(u.name)} = (${u.members.map(symbolFp).join(", ")})`).join(", ")}`]),
        `DEFINE ${conditions}`,
      ];
      this.addClause("matchRecognize", ref, `MATCH_RECOGNIZE(${texts.join(" ")})`);
    }
    const kept: RelColumn[] = ref.allRows
      ? srcCols
      : partition.map(({ e, info }, i) => ({
          name: e.kind === "column" ? e.parts[e.parts.length - 1].name : `partition_${i + 1}`,
          type: info.type,
          nullable: info.nullable,
          sources: info.sources,
          fp: info.fp,
        }));
    const display = ref.alias?.name.name ?? "match_recognize";
    const columns = [...kept, ...measures];
    return makeItem([display.toLowerCase()], display, renameColumns(open === undefined ? { columns } : { columns, open }, ref.alias));
  }

  /** The FROM item a table operator (PIVOT, MATCH_RECOGNIZE) applies to, in a scope of its own: its columns, and whether they are all known. */
  private operatorInput(source: TableRef, ctx: Ctx, outer: Ctx): { inner: Ctx; srcItems: ScopeItem[]; srcCols: RelColumn[]; open: string[] | undefined } {
    const inner = ctxOf(newScope(ctx.scope.parent, false), ctx.ctes, ctx.rowLevel, ctx.grouped);
    const srcItems = this.buildItems(source, inner, outer);
    return { inner, srcItems, srcCols: srcItems.flatMap((it) => it.rel.columns), open: mergeOpen(...srcItems.map((it) => it.rel.open)) };
  }

  /** A table operator reads these input columns without naming them (PIVOT's kept and FOR columns, UNPIVOT's): `reads` lists them. */
  private readImplicit(items: readonly ScopeItem[], cols: readonly RelColumn[]): void {
    for (const it of items) {
      if (it.upstream === undefined) continue;
      for (const c of cols) if (it.rel.columns.includes(c)) this.read(it.upstream, c.name);
    }
  }

  private pivotItem(ref: PivotTableRef, ctx: Ctx, outer: Ctx): ScopeItem {
    const { inner, srcItems, srcCols, open } = this.operatorInput(ref.source, ctx, outer);
    const display = ref.alias?.name.name ?? "pivot";
    const forName = ref.forColumn.name.toLowerCase();
    if (ref.op === "PIVOT") {
      const aggCtx = ctxOf(inner.scope, inner.ctes, inner.rowLevel, true);
      const aggs = ref.aggregates.map((a) => this.infer(a, aggCtx));
      const fors = [{ column: ref.forColumn, inList: ref.inList }, ...(ref.moreFor ?? [])];
      const used = new Set<string>(fors.map((f) => f.column.name.toLowerCase()));
      for (const a of ref.aggregates) for (const c of columnNames(a)) used.add(c);
      // DuckDB's GROUP BY inside PIVOT: only those columns are kept beside the pivoted ones.
      if (ref.groupBy) for (const g of ref.groupBy) this.infer(g, ctxOf(inner.scope, inner.ctes, inner.rowLevel, false));
      const groupNames = ref.groupBy ? new Set(ref.groupBy.flatMap((g) => columnNames(g))) : undefined;
      const kept = srcCols.filter((c) => (groupNames ? groupNames.has(c.name.toLowerCase()) : !used.has(c.name.toLowerCase())));
      // PIVOT groups the rows by the columns it keeps; the FOR columns' values pick each pivoted
      // column's rows, as a CASE inside the aggregate would (`SUM(CASE WHEN month = 'jan' THEN amount END)`).
      const forCols = fors.map((f) => findColumn(srcCols, f.column.name)).filter((c): c is RelColumn => c !== undefined);
      this.readImplicit(srcItems, [...kept, ...forCols]);
      if (inner.rowLevel) for (const c of kept) this.groups.push(...c.sources);
      const picked = (i: number): readonly PathSource[] => {
        const a = ref.aggregates[i];
        const path = a.kind === "function" ? makePath(fnName(a).toLowerCase(), undefined, true) : EXPRESSION;
        return wrapSources(forCols.flatMap((c) => c.sources), path);
      };
      const fallback = ref.defaultOnNull ? this.infer(ref.defaultOnNull, aggCtx) : undefined;
      // A value's name as the dialect spells it: Snowflake keeps a string's quotes ('JAN').
      const label = (v: { readonly expr: Expr; readonly alias?: Ident }): string => {
        if (v.alias) return v.alias.name;
        // A boolean names its column as DuckDB and Spark print it: `true`.
        if (v.expr.kind === "literal" && v.expr.type === "boolean" && this.dialect !== "snowflake") return v.expr.value.toLowerCase();
        const text = literalText(v.expr);
        if (text === undefined) return printExpr(v.expr);
        return this.dialect === "snowflake" && v.expr.kind === "literal" && v.expr.type === "string" ? `'${text}'` : text;
      };
      // Every combination of the pivot columns' values, in order (DuckDB joins them with `_`).
      let combos: { names: string[]; fp: string[] }[] = [{ names: [], fp: [] }];
      for (const f of fors) {
        const next: { names: string[]; fp: string[] }[] = [];
        const column = f.column.name.toLowerCase();
        const labels = f.inList.map(label);
        for (const c of combos) for (const l of labels) next.push({ names: [...c.names, l], fp: [...c.fp, `${column} = ${l}`] });
        combos = next;
      }
      const pivoted: RelColumn[] = [];
      const nullable = fallback === undefined ? true : fallback.nullable;
      if (!ref.dynamic) {
        for (const combo of combos) {
          const value = combo.names.join("_");
          aggs.forEach((a, i) => {
            const name = pivotColumnName(this.dialect, value, aggs.length, ref.aggregateAliases?.[i]?.name, ref.aggregates[i]);
            pivoted.push({ name, type: a.type, nullable, sources: concatSources(a.sources, picked(i)), fp: `PIVOT(${a.fp} FOR ${combo.fp.join(" AND ")}${fallback === undefined ? "" : ` DEFAULT ON NULL ${fallback.fp}`})` });
          });
        }
      }
      // Values known only when it runs (IN (ANY), IN (subquery), DuckDB's PIVOT without IN): its pivoted columns are not known.
      const pivotOpen = ref.dynamic ? mergeOpen(open, []) : open;
      return makeItem([display.toLowerCase()], display, renameColumns({ columns: [...kept, ...pivoted], open: pivotOpen }, ref.alias));
    }
    // DuckDB's `UNPIVOT t ON COLUMNS(* EXCLUDE (id))`: the columns it selects from the input.
    let unknownSelector = false;
    const inNames = new Set<string>();
    for (const v of ref.inList) {
      if (v.expr.kind === "column") inNames.add(v.expr.parts[v.expr.parts.length - 1].name.toLowerCase());
      else if (v.expr.kind === "function" && fnName(v.expr) === "COLUMNS") {
        const match = columnsSelector(v.expr);
        if (match === undefined) unknownSelector = true;
        else for (const c of srcCols) if (match(c.name)) inNames.add(c.name.toLowerCase());
      }
    }
    const unpivoted = srcCols.filter((c) => inNames.has(c.name.toLowerCase()));
    const kept = srcCols.filter((c) => !inNames.has(c.name.toLowerCase()));
    this.readImplicit(srcItems, srcCols);
    const firstAgg = ref.aggregates[0];
    const valueName = ref.valueColumn?.name ?? (firstAgg?.kind === "column" ? firstAgg.parts[firstAgg.parts.length - 1].name : "value");
    const cols: RelColumn[] = [
      ...kept,
      { name: ref.forColumn.name, type: T.String, nullable: false, sources: [], fp: `UNPIVOT.${forName}` },
      {
        name: valueName,
        type: unifyTypes(unpivoted.map((c) => c.type)),
        // EXCLUDE NULLS, the default, drops the rows whose value is NULL.
        nullable: ref.includeNulls === true && unpivoted.some((c) => c.nullable),
        sources: unpivoted.flatMap((c) => c.sources),
        fp: `UNPIVOT(${unpivoted.map((c) => c.fp).join(", ")})${ref.includeNulls ? " INCLUDE NULLS" : ""}`,
      },
    ];
    if (ref.includeNulls && inner.rowLevel) this.addClause("from", ref, "UNPIVOT INCLUDE NULLS");
    // A selector nothing can read (a lambda beyond a name test): which columns stay beside the pair is not known.
    const unpivotOpen = unknownSelector ? mergeOpen(open, []) : open;
    return makeItem([display.toLowerCase()], display, renameColumns({ columns: unknownSelector ? cols.slice(-2) : cols, open: unpivotOpen }, ref.alias));
  }

  private buildJoin(j: JoinRef, ctx: Ctx, outer: Ctx): ScopeItem[] {
    const left = this.buildItems(j.left, ctx, outer);
    const right = this.buildItems(j.right, ctx, outer);
    // Which sides keep their unmatched rows: an outer join's, DuckDB's ASOF LEFT / RIGHT / FULL, and
    // Snowflake's ASOF JOIN, which null-pads the right side where nothing matches.
    const outerSide = j.joinType === "asof" ? (j.asofOuter ?? (this.dialect === "snowflake" ? "left" : undefined)) : j.joinType;
    if (outerSide === "left" || outerSide === "full") for (const it of right) it.nullable = true;
    if (outerSide === "right" || outerSide === "full") for (const it of left) it.nullable = true;
    if (j.joinType === "semi" || j.joinType === "anti") for (const it of right) it.hiddenFromStar = true;
    // NATURAL and USING are fingerprinted as the ON they stand for: the same keys are the same rows.
    const parts: string[] = [j.asofOuter !== undefined ? `ASOF ${j.asofOuter.toUpperCase()}` : j.joinType.toUpperCase()];
    const keys: string[] = [];
    parts.push(right.map(joinedIdentity).join(","));
    let using: string[] = j.using?.map((u) => u.name) ?? [];
    if (j.natural) {
      const leftNames = new Set(left.flatMap((it) => it.rel.columns.map((c) => c.name.toLowerCase())));
      using = right.flatMap((it) => it.rel.columns.map((c) => c.name)).filter((n) => leftNames.has(n.toLowerCase()));
    }
    for (const [i, name] of using.entries()) {
      const key = name.toLowerCase();
      const l = this.lookupInItems(left, key);
      const r = this.lookupInItems(right, key);
      if (!l || !r) {
        const ident = j.using?.[i];
        if (ident && !l && left.every((it) => !it.rel.open)) this.unknownColumn(name, ident.span, left);
        else if (ident && !r && right.every((it) => !it.rel.open)) this.unknownColumn(name, ident.span, right);
        continue;
      }
      for (const it of right) if (findColumn(it.rel.columns, key)) (it.mergedAway ??= new Set()).add(key);
      (ctx.scope.merged ??= new Map()).set(key, { items: [l.item, r.item], full: outerSide === "full", right: outerSide === "right" });
      if (ctx.rowLevel) this.joins.push(...l.col.sources, ...r.col.sources);
      keys.push(binaryFp("=", l.col.fp, r.col.fp));
      const ident = j.using?.[i];
      if (ident && l.item.upstream && r.item.upstream && l.item.upstream !== r.item.upstream) {
        this.checkJoinKey(
          { upstream: l.item.upstream, column: l.col.name, type: l.col.type },
          { upstream: r.item.upstream, column: r.col.name, type: r.col.type },
          ident.span,
        );
      }
    }
    if (keys.length > 0) parts.push(`ON ${keys.length === 1 ? keys[0] : `(${keys.sort().join(" AND ")})`}`);
    if (j.on) {
      if (j.joinType === "inner") this.collectNonNull(j.on, ctx);
      const on = this.infer(j.on, ctx);
      this.checkNoAggregate(j.on, "JOIN ... ON");
      if (ctx.rowLevel) this.joins.push(...on.sources);
      parts.push(`ON ${on.fp}`);
      this.checkJoinCondition(j.on, ctx);
    }
    if (ctx.rowLevel) this.addClause("joins", j, parts.join(" "));
    return [...left, ...right];
  }

  /**
   * Null-rejecting conjuncts (`x IS NOT NULL`, comparisons, IN, BETWEEN, LIKE) of a WHERE or an
   * inner join condition: the plain columns they test cannot be NULL in this SELECT's output,
   * which is what "filter out NULLs" (E012's help) relies on.
   */
  private collectNonNull(cond: Expr, ctx: Ctx): void {
    const add = (x: Expr): void => {
      if (x.kind !== "column") return;
      // A one-part name no input has is a select alias (`WHERE a2 > 5`), resolved once the select list
      // is; or an outer query's column, or a mistake, which the WHERE itself reports.
      if (x.parts.length === 1 && !ctx.scope.merged?.has(x.parts[0].name.toLowerCase()) && this.lookupInItems(ctx.scope.items, this.spelled(x.parts[0])) === undefined) return;
      const info = this.resolveColumn(x, ctx);
      if (!info.nullable) return;
      if (!ctx.scope.nonNull) ctx.scope.nonNull = new Set();
      ctx.scope.nonNull.add(info.fp);
    };
    switch (cond.kind) {
      case "binary":
        if (cond.op === "AND") {
          this.collectNonNull(cond.left, ctx);
          this.collectNonNull(cond.right, ctx);
        } else if (COMPARISON.has(cond.op) && !NULL_SAFE.has(cond.op)) {
          add(cond.left);
          add(cond.right);
        }
        return;
      case "is":
        if (cond.not && cond.what === "null") add(cond.expr);
        return;
      case "in_list":
      case "between":
      case "like":
      case "in_subquery":
        add(cond.expr);
        return;
      default:
        return;
    }
  }

  /** E001 / W001: equality join keys that are columns of two different upstreams, compared by type. */
  private checkJoinCondition(on: Expr, ctx: Ctx): void {
    if (on.kind === "binary" && on.op === "AND") {
      this.checkJoinCondition(on.left, ctx);
      this.checkJoinCondition(on.right, ctx);
      return;
    }
    if (on.kind !== "binary" || on.op !== "=") return;
    if (on.left.kind !== "column" || on.right.kind !== "column") return;
    const l = this.infer(on.left, ctx);
    const r = this.infer(on.right, ctx);
    if (!l.upstreamColumn || !r.upstreamColumn || l.upstreamColumn.upstream === r.upstreamColumn.upstream) return;
    // The same type object is the same type: nothing to report (the common case, without formatting either).
    if (l.type === r.type) return;
    this.checkJoinKey({ upstream: l.upstreamColumn.upstream, column: l.upstreamColumn.column, type: l.type }, { upstream: r.upstreamColumn.upstream, column: r.upstreamColumn.column, type: r.type }, on.opSpan);
  }

  private checkJoinKey(
    l: { upstream: string; column: string; type: SqlType },
    r: { upstream: string; column: string; type: SqlType },
    at: Span,
  ): void {
    if (l.type.kind === "Unknown" || r.type.kind === "Unknown" || l.type === r.type) return;
    if (formatType(l.type) === formatType(r.type)) return;
    const column = l.column.toLowerCase() === r.column.toLowerCase() ? l.column : `${l.column} = ${r.column}`;
    const detail = `${l.upstream} has ${formatType(l.type)}, ${r.upstream} has ${formatType(r.type)}`;
    if (commonSupertype(l.type, r.type) === undefined) {
      this.report("E001", `join key type mismatch on column '${column}': ${detail}`, at);
      return;
    }
    this.report("W001", `implicit type coercion on column '${column}': ${detail}`, at);
  }

  // -------------------------------------------------------------------------------------------
  // Column resolution
  // -------------------------------------------------------------------------------------------

  /**
   * An unqualified name two inputs of one FROM both have (USING / NATURAL columns aside, which
   * resolve first): every warehouse refuses it. R013 at the reference, naming the qualified forms.
   * Only inputs whose columns are known count: one of unknown columns may or may not have it.
   */
  private checkAmbiguous(items: readonly ScopeItem[], first: ScopeItem, key: string, name: Ident, at: Span): void {
    let others: string[] | undefined;
    for (let i = items.indexOf(first) + 1; i < items.length; i++) {
      const item = items[i];
      if (item.hiddenFromStar || item.rel.open || findColumn(item.rel.columns, key) === undefined) continue;
      (others ??= []).push(item.display);
    }
    if (others === undefined) return;
    const forms = [first.display, ...others].map((d) => `${d}.${name.name}`);
    this.report("R013", `ambiguous column reference '${name.name}': ${[first.display, ...others].join(" and ")} both have it`, at, `qualify it: ${forms.join(" or ")}`);
  }

  /**
   * R019: a qualifier that names two inputs of one FROM (`FROM orders AS o JOIN customers AS o`, or a
   * self-join without aliases, `FROM t JOIN t`): every warehouse rejects the reference as ambiguous.
   * Once per qualifier and FROM, at its first use.
   */
  private checkQualifierUnique(scope: Scope, first: ScopeItem, qualifier: string, at: Span): void {
    const others = scope.items.filter((it) => it !== first && it.names.includes(qualifier));
    if (others.length === 0) return;
    const seen = (this.ambiguousQualifiers ??= new WeakMap()).get(scope) ?? new Set<string>();
    this.ambiguousQualifiers.set(scope, seen);
    if (seen.has(qualifier)) return;
    seen.add(qualifier);
    const named = [first, ...others].map((it) => it.upstream ?? it.display);
    this.report("R019", `'${qualifier}' names ${others.length + 1} inputs of this FROM (${named.join(", ")}): a reference through it is ambiguous`, at, "give each input its own alias (FROM t AS a JOIN t AS b), and qualify with the one meant");
  }

  /** The qualifiers R019 reported, per FROM scope. */
  private ambiguousQualifiers: WeakMap<Scope, Set<string>> | undefined;

  /**
   * R014: a column an aggregating SELECT (a GROUP BY, or an aggregate in its select list) reads
   * outside any aggregate without grouping by it (ungrouped-columns.ts says what is left alone). At
   * the reference; a reference R008 or R013 reports is not one of its columns here.
   */
  private checkGrouped(sel: Select, scope: Scope, itemInfos: readonly (ExprInfo | undefined)[], orderBy: readonly Expr[]): void {
    const found = ungroupedColumns(
      sel,
      itemInfos.map((info) => info !== undefined),
      { column: (e, inCall) => this.groupingColumn(scope, e, inCall), scalar: (fn) => this.isScalarCall(fn) },
      orderBy,
    );
    for (const e of found) {
      const text = e.parts.map((p) => printIdent(p)).join(".");
      const message = sel.groupBy
        ? `column '${text}' is neither in GROUP BY nor inside an aggregate: add it to GROUP BY or wrap it in an aggregate (ANY_VALUE, MIN, MAX)`
        : `column '${text}' is not inside an aggregate, and the query aggregates without GROUP BY: add GROUP BY ${text} or wrap it in an aggregate (ANY_VALUE, MIN, MAX)`;
      const group = sel.groupBy ? `add ${text} to GROUP BY` : `add GROUP BY ${text}`;
      this.report("R014", message, e.span, `${group}, or write ANY_VALUE(${text}) (or MIN / MAX) in its place`);
    }
  }

  /**
   * The identities (`item index:column`) of the column `e` names in a SELECT's own FROM, as
   * resolveIn finds it, or undefined unless that is sure: a name R008 or R013 reports, a select
   * alias, an outer query's column, a date-part word in a call (`DATEADD(day, ..)`), a positional or
   * pseudo-column, or an unqualified name that an input of unknown columns may also have (or, in a
   * subquery, the enclosing query). A USING / NATURAL column is each input's.
   */
  private groupingColumn(scope: Scope, e: ColumnExpr, inCall: boolean): readonly string[] | undefined {
    const parts = e.parts;
    for (const p of parts) {
      const c = p.name.charCodeAt(0);
      if (c === 35 || c === 36) return undefined;
    }
    if (PSEUDO_COLUMN.test(parts[parts.length - 1].name)) return undefined;
    const key0 = parts[0].name.toLowerCase();
    if (parts.length === 1 && inCall && !parts[0].quoted && (DATE_PARTS.has(key0) || WEEKDAYS.has(key0))) return undefined;
    const items = scope.items;
    for (let k = Math.min(parts.length - 1, 3); k >= 1; k--) {
      const qualifier = k === 1 ? key0 : parts.slice(0, k).map((p) => p.name.toLowerCase()).join(".");
      const at = items.findIndex((it) => it.names.includes(qualifier));
      if (at < 0) continue;
      const item = items[at];
      const key = parts[k].name.toLowerCase();
      if (item.hiddenFromStar || (findColumn(item.rel.columns, key) === undefined && !item.rel.open)) return undefined;
      return [`${at}:${key}`];
    }
    const merged = scope.merged?.get(key0);
    if (merged) return merged.items.map((it) => `${items.indexOf(it)}:${key0}`);
    let at = -1;
    for (let i = 0; i < items.length; i++) {
      if (findColumn(items[i].rel.columns, key0) === undefined) continue;
      if (at >= 0) return undefined;
      at = i;
    }
    if (at >= 0) {
      if (items[at].hiddenFromStar) return undefined;
      for (let i = 0; i < items.length; i++) if (i !== at && items[i].rel.open) return undefined;
      return [`${at}:${key0}`];
    }
    if (parts.length > 1 || findAlias(scope, key0) !== undefined || NILADIC[key0.toUpperCase()] !== undefined || key0 === "level") return undefined;
    let open = -1;
    for (let i = 0; i < items.length; i++) {
      if (!items[i].rel.open) continue;
      if (open >= 0) return undefined;
      open = i;
    }
    if (open < 0) return undefined;
    for (let s = scope.parent; s !== undefined; s = s.parent) if (s.items.length > 0) return undefined;
    return [`${open}:${key0}`];
  }

  /** A call without OVER to a function the dialect's catalog lists as scalar, with nothing only an aggregate takes. */
  private isScalarCall(fn: FunctionExpr): boolean {
    if (fn.name.length !== 1 || fn.distinct || fn.star || fn.filter || fn.within || fn.orderBy || fn.ignoreNulls) return false;
    const info = functionInfo(this.fns, fn.name[0].name);
    const kind = info.row?.kind;
    return info.row !== undefined && (kind === undefined || kind === "scalar") && info.name !== "GROUPING" && info.name !== "GROUPING_ID";
  }

  /**
   * The spelling of a column name to look for first (findColumn then ignores case): Snowflake folds an
   * unquoted name to upper case and keeps a quoted one as written, so of a table's `"amount"` and
   * `AMOUNT`, `amount` is AMOUNT and `"amount"` the other. Elsewhere names never differ only in case.
   */
  private spelled(id: Ident): string {
    if (this.dialect !== "snowflake") return id.name.toLowerCase();
    return id.quoted ? id.name : id.name.toUpperCase();
  }

  private lookupInItems(items: readonly ScopeItem[], key: string): { item: ScopeItem; col: RelColumn } | undefined {
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      const col = findColumn(item.rel.columns, key);
      if (col) return { item, col };
    }
    return undefined;
  }

  /** A column of an item as an expression: nullability from outer joins, reads recorded, join-key identity kept. */
  private fromItem(item: ScopeItem, col: RelColumn, scope?: Scope): ExprInfo {
    if (item.upstream) this.read(item.upstream, col.name);
    else if (this.via !== undefined) addVia(this.via, col);
    const info: { -readonly [K in keyof ExprInfo]: ExprInfo[K] } = {
      type: col.type,
      nullable: (col.nullable || item.nullable) && !scope?.nonNull?.has(col.fp),
      sources: col.sources,
      fp: col.fp,
    };
    if (col.isNull) info.isNull = true;
    // An outer join's NULLs are certain; a column of no known type may be NULL only by assumption.
    else if (info.nullable && !item.nullable && (col.nullAssumed === true || col.type.kind === "Unknown")) info.nullAssumed = true;
    if (item.upstream) info.upstreamColumn = { upstream: item.upstream, column: col.name };
    else if (col.sources.length === 1 && col.sources[0].path === DIRECT) info.upstreamColumn = { upstream: col.sources[0].model, column: col.sources[0].column };
    return info;
  }

  /** A name not listed by an open item: Unknown, attributed to the upstream(s) that may hold it. */
  private fromOpenItem(item: ScopeItem, name: string): ExprInfo {
    // A generator's columns over an input of unknown type: from that input, not from an upstream.
    const generated = item.rel.openSources;
    if (generated !== undefined) return { type: T.Unknown, nullable: true, sources: generated, fp: `${item.display.toLowerCase()}.${name.toLowerCase()}` };
    const open = item.rel.open ?? [];
    for (const u of open) this.read(u, name);
    const info: { -readonly [K in keyof ExprInfo]: ExprInfo[K] } = {
      type: T.Unknown,
      nullable: true,
      ...(item.nullable ? {} : { nullAssumed: true as const }),
      sources: open.map((u) => ({ model: u, column: name, path: DIRECT })),
      fp: open.length === 1 ? `${open[0]}.${name.toLowerCase()}` : `${item.display.toLowerCase()}.${name.toLowerCase()}`,
    };
    if (item.upstream) info.upstreamColumn = { upstream: item.upstream, column: name };
    return info;
  }

  private mergedInfo(m: MergedColumn, key: string, scope?: Scope): ExprInfo {
    const parts = m.items.map((it) => this.fromItem(it, findColumn(it.rel.columns, key) as RelColumn, scope));
    // A RIGHT join's key is the right side's (the left's is NULL where nothing matched it).
    if (m.right) return parts[1];
    if (!m.full) return parts[0];
    return {
      type: unifyTypes(parts.map((p) => p.type)),
      nullable: parts.every((p) => p.nullable),
      sources: parts.flatMap((p) => p.sources),
      fp: `COALESCE(${parts.map((p) => p.fp).join(", ")})`,
    };
  }

  private resolveColumn(e: ColumnExpr, ctx: Ctx): ExprInfo {
    const parts = e.parts;
    let lower: string[];
    if (parts.length === 1) lower = [parts[0].name.toLowerCase()];
    else {
      lower = [];
      for (let i = 0; i < parts.length; i++) lower.push(parts[i].name.toLowerCase());
    }
    for (let scope: Scope | undefined = ctx.scope; scope; scope = scope.parent) {
      const found = this.resolveIn(scope, parts, lower, e);
      if (found) return found;
    }
    return this.unresolved(e, ctx);
  }

  private resolveIn(scope: Scope, parts: readonly Ident[], lower: readonly string[], e: ColumnExpr): ExprInfo | undefined {
    // Lambda parameters shadow everything.
    if (scope.lambda !== undefined) {
      const lam = scope.lambda.get(lower[0]);
      if (lam) return this.fieldPath(lam, parts, 1);
    }
    // Qualified: the longest qualifier that names an item.
    for (let k = Math.min(parts.length - 1, 3); k >= 1; k--) {
      const qualifier = k === 1 ? lower[0] : lower.slice(0, k).join(".");
      const item = findItem(scope.items, qualifier);
      if (!item) continue;
      if (scope.items.length > 1) this.checkQualifierUnique(scope, item, qualifier, e.span);
      const key = lower[k];
      const col = findColumn(item.rel.columns, this.spelled(parts[k])) ?? positionalColumn(item.rel.columns, key);
      if (col) return this.fieldPath(this.fromItem(item, col, scope), parts, k + 1);
      if (item.rel.open) return this.fieldPath(this.fromOpenItem(item, parts[k].name), parts, k + 1);
      this.unknownColumn(parts[k].name, e.span, [item]);
      return unknownInfo(`${qualifier}.${key}`);
    }
    // Unqualified (or a struct column followed by field names).
    const key = lower[0];
    const merged = scope.merged?.get(key);
    if (merged) return this.fieldPath(this.mergedInfo(merged, key, scope), parts, 1);
    const hit = this.lookupInItems(scope.items, this.spelled(parts[0])) ?? this.positionalIn(scope, key);
    if (hit) {
      if (scope.items.length > 1 && !key.startsWith("#") && !key.startsWith("$")) this.checkAmbiguous(scope.items, hit.item, key, parts[0], e.span);
      return this.fieldPath(this.fromItem(hit.item, hit.col, scope), parts, 1);
    }
    const alias = findAlias(scope, key);
    if (alias) return this.fieldPath(alias, parts, 1);
    // DuckDB and BigQuery: a table's name or alias alone is its row, as a struct (`to_json(c)`).
    if (this.dialect === "duckdb" || this.dialect === "bigquery") {
      const whole = findItem(scope.items, key);
      if (whole !== undefined && !whole.rel.open) return this.fieldPath(this.rowStruct(whole, scope), parts, 1);
    }
    const openItems = scope.items.filter((it) => it.rel.open);
    if (openItems.length === 1) return this.fieldPath(this.fromOpenItem(openItems[0], parts[0].name), parts, 1);
    if (openItems.length > 1) return unknownInfo(key);
    return undefined;
  }

  /** A FROM item's row as one STRUCT value: each column is a field, its values kept. */
  private rowStruct(item: ScopeItem, scope: Scope): ExprInfo {
    const cols = item.rel.columns.map((c) => ({ col: c, info: this.fromItem(item, c, scope) }));
    return {
      type: { kind: "Struct", fields: cols.map((c) => ({ name: c.col.name, type: c.info.type })) },
      nullable: item.nullable,
      sources: wrapSources(cols.flatMap((c) => c.info.sources), STRUCT_FIELD),
      fp: `{${cols.map((c) => `'${c.col.name.toLowerCase()}': ${c.info.fp}`).join(", ")}}`,
    };
  }

  /**
   * Snowflake's `$n` when the query reads one known relation: its n-th column. DuckDB's `#n` counts
   * the columns of everything FROM reads, in order (unknown past an item of unknown columns).
   */
  private positionalIn(scope: Scope, key: string): { item: ScopeItem; col: RelColumn } | undefined {
    if (key.startsWith("#") && scope.items.length > 1) {
      let n = Number(key.slice(1));
      for (const item of scope.items) {
        if (item.rel.open) return undefined;
        if (n <= item.rel.columns.length) return n >= 1 ? { item, col: item.rel.columns[n - 1] } : undefined;
        n -= item.rel.columns.length;
      }
      return undefined;
    }
    if (scope.items.length !== 1) return undefined;
    const item = scope.items[0];
    const col = item.rel.open ? undefined : positionalColumn(item.rel.columns, key);
    return col === undefined ? undefined : { item, col };
  }

  /** `base` followed by the struct/variant fields `parts[from..]`. */
  private fieldPath(base: ExprInfo, parts: readonly Ident[], from: number): ExprInfo {
    let cur = base;
    for (let i = from; i < parts.length; i++) cur = this.fieldOf(cur, parts[i].name);
    return cur;
  }

  private fieldOf(base: ExprInfo, field: string): ExprInfo {
    const t = base.type;
    let type: SqlType = T.Unknown;
    if (t.kind === "Struct") type = t.fields.find((f) => f.name.toLowerCase() === field.toLowerCase())?.type ?? T.Unknown;
    else if (t.kind === "Variant") type = T.Variant;
    else if (t.kind === "Map") type = t.value;
    return { type, nullable: true, sources: wrapSources(base.sources, EXPRESSION), fp: `${base.fp}.${field.toLowerCase()}` };
  }

  private unresolved(e: ColumnExpr, ctx: Ctx): ExprInfo {
    const name = e.parts.map((p) => p.name).join(".");
    const upper = name.toUpperCase();
    if (e.parts.length === 1 && NILADIC[upper]) return { type: NILADIC[upper], nullable: false, sources: [], fp: upper };
    // A hierarchical query's depth, 1 at its roots (when no input has a column of that name).
    if (this.hierarchical > 0 && e.parts.length === 1 && upper === "LEVEL") return { type: T.Int64, nullable: false, sources: [], fp: "LEVEL" };
    if (PSEUDO_COLUMN.test(e.parts[e.parts.length - 1].name)) return unknownInfo(name.toLowerCase());
    if (e.parts.length === 1 && !e.parts[0].quoted && DATE_PARTS.has(name.toLowerCase())) {
      return { type: T.String, nullable: false, sources: [], fp: upper, literal: name.toLowerCase() };
    }
    // Only when every input's schema is known: never guess.
    const items: ScopeItem[] = [];
    for (let s: Scope | undefined = ctx.scope; s; s = s.parent) items.push(...s.items);
    if (items.some((it) => it.rel.open)) return unknownInfo(name.toLowerCase());
    if (e.parts.length > 1) {
      const qualifier = e.parts.slice(0, -1).map((p) => p.name).join(".");
      const known = items.map((it) => it.display);
      this.report("R008", `unknown table or alias '${qualifier}' in column reference '${name}'${didYouMeanSuffix(qualifier, known)}`, e.span);
      return unknownInfo(name.toLowerCase());
    }
    this.unknownColumn(name, e.span, ctx.scope.items.length > 0 ? ctx.scope.items : items);
    return unknownInfo(name.toLowerCase());
  }

  private unknownColumn(name: string, at: Span, items: readonly ScopeItem[]): void {
    const inputs = items.flatMap((it) => it.rel.columns.map((c) => c.name));
    const outputs = this.orderByOutputs;
    const candidates = outputs === undefined ? inputs : [...new Set([...outputs, ...inputs])];
    const of = items.length === 0 ? "the query has no FROM" : `columns of ${items.map((it) => it.display).join(", ")}`;
    const where = outputs === undefined ? of : `the query's output columns or ${items.length === 0 ? "its inputs (it has no FROM)" : of}`;
    const suffix = didYouMeanSuffix(name, candidates);
    this.report("R008", `column '${name}' not found in ${where}${suffix}`, at, suffix ? undefined : candidates.length ? `available: ${candidates.slice(0, 12).join(", ")}` : undefined);
  }

  // -------------------------------------------------------------------------------------------
  // SELECT * expansion
  // -------------------------------------------------------------------------------------------

  private expandStar(star: StarExpr, ctx: Ctx): Relation {
    let items: ScopeItem[];
    if (star.qualifier && star.qualifier.length > 0) {
      const q = star.qualifier.map((p) => p.name.toLowerCase()).join(".");
      const item = findItem(ctx.scope.items, q);
      if (!item) {
        const fields = this.structStar(star, ctx);
        if (fields !== undefined) return fields;
        if (ctx.scope.items.every((it) => !it.rel.open)) {
          this.report("R008", `unknown table or alias '${q}' in '${q}.*'${didYouMeanSuffix(q, ctx.scope.items.map((it) => it.display))}`, star.span);
        }
        return { columns: [], open: [] };
      }
      items = [item];
    } else {
      items = ctx.scope.items.filter((it) => !it.hiddenFromStar);
    }
    const keeps = starKeeps(star);
    const rename = new Map((star.rename ?? []).map((r) => [r.from.name.toLowerCase(), r.to.name]));
    const replace = new Map((star.replace ?? []).map((r) => [r.alias.name.toLowerCase(), r]));
    const columns: RelColumn[] = [];
    const open: string[] = [];
    const unknownUpstreams: string[] = [];
    const typedUpstreams: string[] = [];
    const qualified = star.qualifier !== undefined && star.qualifier.length > 0;
    for (const item of items) {
      if (item.rel.open) {
        open.push(...item.rel.open);
        unknownUpstreams.push(...(item.rel.open.length > 0 ? item.rel.open : [item.display]));
      } else {
        typedUpstreams.push(item.upstream ?? item.display);
      }
      for (const col of item.rel.columns) {
        const key = col.name.toLowerCase();
        if (!qualified && item.mergedAway?.has(key)) continue;
        if (!keeps(col.name)) continue;
        const merged = !qualified ? ctx.scope.merged?.get(key) : undefined;
        const column = () => (merged && merged.items[0] === item ? this.mergedInfo(merged, key, ctx.scope) : this.fromItem(item, col, ctx.scope));
        const rep = replace.get(key);
        // A REPLACE expression is the column's value: the column it stands in for is still read, not its items.
        if (rep) this.withVia(undefined, column);
        const { value: info, via } = this.itemVia(rep ? () => this.infer(rep.expr, ctx) : column);
        let name = col.name;
        const renamed = rename.get(key);
        if (renamed) name = renamed;
        // The `*` writes the column: last among its places (an item it reads through says more), and its only one for `SELECT * FROM stg`.
        const placed = star.implicit === true || (via !== undefined && via.length >= VIA_MAX) ? via : [...(via ?? []), star.span];
        columns.push({ name, type: info.type, nullable: info.nullable, sources: info.sources, fp: info.fp, span: undefined, isNull: undefined, via: placed, nullAssumed: info.nullAssumed });
      }
      if (item.upstream && !item.rel.open) for (const col of item.rel.columns) if (keeps(col.name)) this.read(item.upstream, col.name);
    }
    for (const u of unknownUpstreams) {
      this.report("W002", `SELECT * prevents full type checking, because the schema of '${u}' is unknown`, star.span);
    }
    const passes = items.some((it) => it.upstream !== undefined || it.rel.starPassesThrough === true);
    if (unknownUpstreams.length === 0 && items.length > 0 && star.implicit !== true) {
      this.report("I001", `SELECT * over fully typed input (${typedUpstreams.join(", ")}); prefer an explicit column list`, star.span, columnListHint(columns, qualified ? star.qualifier?.map((p) => p.name).join(".") : undefined));
    }
    return { columns, ...(unknownUpstreams.length > 0 ? { open } : {}), ...(passes ? { starPassesThrough: true as const } : {}) };
  }

  /**
   * The sources of the columns a `*` inside a call stands for (`HASH(*)`, `OBJECT_CONSTRUCT(o.* EXCLUDE (a))`):
   * the FROM items' columns, or the qualified item's, as a select-list `*` would list them, read
   * quietly (no I001/W002: this is no select list). An unknown qualifier or schema gives none.
   */
  private starArgSources(star: StarExpr | undefined, ctx: Ctx): PathSource[] {
    const qualifier = star?.qualifier;
    const items =
      qualifier !== undefined && qualifier.length > 0
        ? [findItem(ctx.scope.items, qualifier.map((p) => p.name.toLowerCase()).join("."))].filter((it): it is ScopeItem => it !== undefined)
        : ctx.scope.items.filter((it) => !it.hiddenFromStar);
    const keeps = star === undefined ? () => true : starKeeps(star);
    const out: PathSource[] = [];
    for (const item of items) {
      for (const col of item.rel.columns) {
        if ((qualifier === undefined || qualifier.length === 0) && item.mergedAway?.has(col.name.toLowerCase())) continue;
        if (keeps(col.name)) out.push(...this.fromItem(item, col, ctx.scope).sources);
      }
    }
    return out;
  }

  /**
   * `attrs.*` / `o.attrs.*` over a STRUCT column (DuckDB, Databricks, BigQuery): one column per
   * field, each read from the struct as `attrs.channel` is. Undefined when the qualifier names no
   * struct column of this SELECT's FROM.
   */
  private structStar(star: StarExpr, ctx: Ctx): Relation | undefined {
    const parts = star.qualifier ?? [];
    // DuckDB expands a bare `attrs.*` only (`o.attrs.*` is its syntax error); Spark takes both.
    if (parts.length === 0 || parts.length > (this.dialect === "duckdb" ? 1 : 2) || star.exclude?.length || star.replace?.length || star.rename?.length || star.pattern) return undefined;
    const items = ctx.scope.items;
    const hit =
      parts.length === 1
        ? this.lookupInItems(items, this.spelled(parts[0]))
        : (() => {
            const item = findItem(items, parts[0].name.toLowerCase());
            const col = item === undefined ? undefined : findColumn(item.rel.columns, this.spelled(parts[1]));
            return item === undefined || col === undefined ? undefined : { item, col };
          })();
    if (hit === undefined || hit.col.type.kind !== "Struct") return undefined;
    const { value: base, via } = this.itemVia(() => this.fromItem(hit.item, hit.col, ctx.scope));
    const placed = [...(via ?? []), star.span];
    const columns: RelColumn[] = hit.col.type.fields.map((f) => {
      const info = this.fieldOf(base, f.name);
      return { name: f.name, type: info.type, nullable: info.nullable, sources: info.sources, fp: info.fp, via: placed };
    });
    return { columns };
  }

  /**
   * DuckDB `COLUMNS(*)`, `COLUMNS('regex')`, `COLUMNS(['a', 'b'])`, alone or inside an expression
   * (`MIN(COLUMNS('amount|price'))`): one output column per matching FROM column, named after it,
   * typed by the expression over that column. A lambda selector, or an input of unknown schema,
   * leaves the item's columns unknown.
   */
  private expandColumnsItem(expr: Expr, alias: string | undefined, call: FunctionExpr, ctx: Ctx): Relation {
    const items = ctx.scope.items.filter((it) => !it.hiddenFromStar);
    const match = columnsSelector(call);
    if (match === undefined || items.some((it) => it.rel.open)) {
      this.infer(expr, ctx);
      // The columns are those of the FROM items it selects from: what cannot be known is which.
      return { columns: [], open: items.flatMap((it) => (it.rel.open ? it.rel.open : it.upstream ? [it.upstream] : [])) };
    }
    const columns: RelColumn[] = [];
    for (const item of items) {
      for (const col of item.rel.columns) {
        const key = col.name.toLowerCase();
        if (item.mergedAway?.has(key) || !match(col.name)) continue;
        this.columnsBinding = { call, item, col };
        const info = this.infer(expr, ctx);
        this.columnsBinding = undefined;
        columns.push({ name: col.name, type: info.type, nullable: info.nullable, sources: info.sources, fp: info.fp, isNull: info.isNull });
      }
    }
    if (columns.length === 0) {
      const where = items.length === 0 ? "the query has no FROM" : items.map((it) => it.display).join(", ");
      this.report("R008", `${printExpr(call)} matches no column of ${where}`, call.span);
    }
    if (alias !== undefined && columns.length === 1) columns[0] = { ...columns[0], name: alias };
    return { columns };
  }

  // -------------------------------------------------------------------------------------------
  // Expressions
  // -------------------------------------------------------------------------------------------

  private infer(e: Expr, ctx: Ctx): ExprInfo {
    // No try/finally: a DepthError abandons the whole analysis, so the counter need not unwind.
    if (++this.depth > MAX_DEPTH) throw new DepthError();
    const info = this.inferInner(e, ctx);
    this.depth--;
    return info;
  }

  private inferInner(e: Expr, ctx: Ctx): ExprInfo {
    switch (e.kind) {
      case "literal":
        return this.literal(e.type, e.value);
      case "typed_literal": {
        // `DATE '2024-01-01'` is `CAST('2024-01-01' AS DATE)` and DuckDB's `VARCHAR 'x'` is 'x': either spelling is the same column.
        const type = typeFromName(e.dataType, this.dialect);
        const text = this.literal("string", e.value);
        return type.kind === "String" ? text : { type, nullable: false, sources: [], fp: `CAST(${text.fp} AS ${formatType(type)})` };
      }
      case "column":
        return this.resolveColumn(e, ctx);
      case "star":
        // `HASH(o.*)`, `OBJECT_CONSTRUCT(* EXCLUDE (a))`: an argument that stands for those columns.
        return { type: T.Unknown, nullable: true, sources: this.starArgSources(e, ctx), fp: "*" };
      case "param":
        return { type: T.Unknown, nullable: false, sources: [], fp: `@${e.name}` };
      case "function":
        if (this.columnsBinding?.call === e) return this.fromItem(this.columnsBinding.item, this.columnsBinding.col, ctx.scope);
        return this.inferFunction(e, ctx);
      case "binary":
        return this.inferBinary(e.op, e.left, e.right, ctx);
      case "unary": {
        const o = this.infer(e.operand, ctx);
        if (this.dialect === "duckdb" && e.op === "-" && rejectedOperand(bound(o))) {
          this.report("R011", `DuckDB has no unary '-' for ${formatType(o.type)} ('${printExpr(e.operand)}')`, e.operand.span);
        }
        if (e.op === "NOT") {
          // `NOT a = b` reads as `a <> b`, `NOT x IS NULL` as `x IS NOT NULL`, `NOT NOT x` as `x`: the same logic written another way.
          const negated = o.negate?.();
          const back = (): Logic => (o.chain === undefined ? { fp: o.fp } : { fp: o.fp, chain: o.chain });
          const info: ExprInfo = { type: T.Boolean, nullable: o.nullable, sources: wrapSources(o.sources, EXPRESSION), fp: negated?.fp ?? `(NOT ${o.fp})`, hasAgg: o.hasAgg, negate: back };
          return negated?.chain === undefined ? info : { ...info, chain: negated.chain };
        }
        const fp = WORD_PREFIX_OPS.has(e.op) ? `(${e.op} ${o.fp})` : `(${e.op}${o.fp})`;
        return { type: o.type, nullable: o.nullable, sources: wrapSources(o.sources, EXPRESSION), fp, hasAgg: o.hasAgg, literal: e.op === "-" && o.literal ? `-${o.literal}` : undefined };
      }
      case "cast": {
        const inner = this.infer(e.expr, ctx);
        this.checkTypeName(e.to);
        const type = typeFromName(e.to, this.dialect);
        const tryish = e.style === "try_cast" || e.style === "safe_cast";
        const path = makePath(undefined, undefined, false, { style: tryish ? "try_cast" : "cast", to: formatType(type) });
        return {
          type,
          nullable: inner.nullable || tryish,
          sources: wrapSources(inner.sources, path),
          fp: `${tryish ? "TRY_CAST" : "CAST"}(${inner.fp} AS ${formatType(type)})`,
          hasAgg: inner.hasAgg,
          // A typed NULL (`NULL::VARCHAR`) has its type: it is not the bare NULL other branches type.
          ...(inner.isNull && type.kind === "Unknown" ? { isNull: true } : {}),
          ...(inner.nullAssumed === true && !tryish ? { nullAssumed: true as const } : {}),
        };
      }
      case "case":
        return this.inferCase(e, ctx);
      case "between": {
        const xs = [e.expr, e.low, e.high].map((x) => this.infer(x, ctx));
        const [x, lo, hi] = [xs[0].fp, xs[1].fp, xs[2].fp];
        if (e.symmetric) return negatable(xs, e.not, (not) => `(${x} ${not ? "NOT " : ""}BETWEEN SYMMETRIC ${lo} AND ${hi})`);
        // `x BETWEEN a AND b` is `x >= a AND x <= b`, and NOT BETWEEN `x < a OR x > b`: the same filter written out.
        const within = (): Logic => chainFp("AND", [binaryFp(">=", x, lo), binaryFp("<=", x, hi)]);
        const outside = (): Logic => chainFp("OR", [binaryFp("<", x, lo), binaryFp(">", x, hi)]);
        const logic = e.not ? outside() : within();
        return { ...boolOf(xs, logic.fp, e.not ? within : outside), chain: logic.chain };
      }
      case "in_list": {
        const xs = [e.expr, ...e.list].map((x) => this.infer(x, ctx));
        // The list is a set: `IN ('b', 'a')` is the same filter as `IN ('a', 'b')`.
        const list = sortedFps(xs.slice(1)).join(", ");
        return negatable(xs, e.not, (not) => `(${xs[0].fp} ${not ? "NOT " : ""}IN (${list}))`);
      }
      case "in_subquery": {
        const x = this.infer(e.expr, ctx);
        // `(a, b) IN (SELECT x, y ...)` compares rows: the subquery has as many columns as the row.
        const row = e.expr.kind === "function" && e.expr.name.length === 1 && e.expr.name[0].name === "ROW" && !e.expr.name[0].quoted ? e.expr.args.length : 1;
        const sub = this.subquery(e.query, ctx, false, { width: row, what: "IN" });
        return negatable([x, sub], e.not, (not) => `(${x.fp} ${not ? "NOT " : ""}IN ${sub.fp})`);
      }
      case "is": {
        const x = this.infer(e.expr, ctx);
        const what = e.what.toUpperCase();
        const spelled = (not: boolean): Logic => ({ fp: `(${x.fp} IS ${not ? "NOT " : ""}${what})` });
        return { type: T.Boolean, nullable: false, sources: wrapSources(x.sources, EXPRESSION), fp: spelled(e.not).fp, hasAgg: x.hasAgg, negate: () => spelled(!e.not) };
      }
      case "like": {
        const xs = [e.expr, e.pattern, ...(e.escape ? [e.escape] : [])].map((x) => this.infer(x, ctx));
        // `a ILIKE p` is `LOWER(a) LIKE LOWER(p)`, which P001 writes for it where ILIKE is missing.
        if (e.op.toUpperCase() === "ILIKE" && !e.quantifier && !e.escape) return negatable(xs, e.not, (not) => `(LOWER(${xs[0].fp}) ${not ? "NOT " : ""}LIKE LOWER(${xs[1].fp}))`);
        const rest = `${e.op}${e.quantifier ? ` ${e.quantifier}` : ""} ${xs[1].fp}${e.escape ? ` ESCAPE ${xs[2].fp}` : ""}`;
        return negatable(xs, e.not, (not) => `(${xs[0].fp} ${not ? "NOT " : ""}${rest})`);
      }
      case "exists": {
        // Only the subquery's clauses decide it (its select list is never read): those are its sources.
        const sub = this.subquery(e.query, ctx, true);
        return { type: T.Boolean, nullable: false, sources: sub.sources, fp: `${e.not ? "NOT " : ""}EXISTS${sub.fp}`, negate: () => ({ fp: `${e.not ? "" : "NOT "}EXISTS${sub.fp}` }) };
      }
      case "subquery": {
        const sub = this.subquery(e.query, ctx, false, { width: 1, what: e.array ? "ARRAY" : "scalar" });
        if (e.array) return { ...sub, type: arrayOf(sub.type), fp: `ARRAY${sub.fp}` };
        return { ...sub, nullable: true };
      }
      case "interval": {
        const v = this.infer(e.value, ctx);
        return { type: T.Interval, nullable: v.nullable, sources: wrapSources(v.sources, EXPRESSION), fp: intervalFp(e, v) };
      }
      case "array": {
        if (e.elements.length === 0) return { type: arrayOf(T.Int32), nullable: false, sources: [], fp: "[]", emptyArray: true };
        const xs = e.elements.map((x) => this.infer(x, ctx));
        return {
          type: arrayOf(xs.length === 0 ? T.Int32 : unifyTypes(xs.map((x) => (x.isNull ? undefined : x.type)))),
          nullable: false,
          sources: wrapSources(xs.flatMap((x) => x.sources), LIST_ELEMENT),
          fp: `[${xs.map((x) => x.fp).join(", ")}]`,
          hasAgg: xs.some((x) => x.hasAgg),
        };
      }
      case "struct": {
        const xs = e.fields.map((f) => ({ name: f.name.name, info: this.infer(f.value, ctx) }));
        return {
          type: { kind: "Struct", fields: xs.map((x) => ({ name: x.name, type: x.info.type })) },
          nullable: false,
          sources: wrapSources(xs.flatMap((x) => x.info.sources), STRUCT_FIELD),
          fp: `{${xs.map((x) => `${x.name.toLowerCase()}: ${x.info.fp}`).join(", ")}}`,
          hasAgg: xs.some((x) => x.info.hasAgg),
        };
      }
      case "map": {
        const ks = e.entries.map((en) => this.infer(en.key, ctx));
        const vs = e.entries.map((en) => this.infer(en.value, ctx));
        return {
          type: { kind: "Map", key: unifyTypes(ks.map((k) => k.type)), value: unifyTypes(vs.map((v) => (v.isNull ? undefined : v.type))) },
          nullable: false,
          sources: wrapSources([...ks, ...vs].flatMap((x) => x.sources), MAP_ENTRY),
          fp: `MAP{${ks.map((k, i) => `${k.fp}: ${vs[i].fp}`).join(", ")}}`,
        };
      }
      case "subscript": {
        const base = this.infer(e.expr, ctx);
        const idx = this.infer(e.index, ctx);
        const to = e.to ? this.infer(e.to, ctx) : undefined;
        const step = e.step ? this.infer(e.step, ctx) : undefined;
        let type: SqlType;
        if (to) type = base.type;
        else if (base.type.kind === "String") type = T.String;
        else if (base.type.kind === "Struct" && idx.literal !== undefined) type = base.type.fields.find((f) => f.name.toLowerCase() === idx.literal?.toLowerCase())?.type ?? T.Unknown;
        else type = elementType(base.type);
        return {
          type,
          nullable: true,
          sources: wrapSources([...base.sources, ...idx.sources, ...(to?.sources ?? []), ...(step?.sources ?? [])], EXPRESSION),
          fp: `${base.fp}[${idx.fp}${to ? `:${to.fp}` : ""}${step ? `:${step.fp}` : ""}]`,
          hasAgg: base.hasAgg,
        };
      }
      case "field": {
        const base = this.infer(e.expr, ctx);
        const f = this.fieldOf(base, e.field.name);
        // A step after a Databricks `:` path over a STRING (`raw:a.b`) is still JSON text.
        if (e.style === "dot" && this.dialect === "databricks" && base.type.kind === "String" && continuesJsonPath(e.expr)) return { ...f, type: T.String };
        if (e.style !== "colon") return f;
        // Databricks' `:` path keeps its operand's type: a STRING of JSON gives a STRING, a VARIANT a VARIANT
        // (https://docs.databricks.com/sql/language-manual/functions/colonsign.html). Snowflake's is always a VARIANT.
        const pathType = base.type.kind === "Unknown" ? T.Unknown : this.dialect === "databricks" && base.type.kind === "String" ? T.String : T.Variant;
        return { ...f, type: pathType, fp: `${base.fp}:${e.field.name.toLowerCase()}` };
      }
      case "lambda":
        // A lambda outside a higher-order function call: its body, with parameters Unknown.
        return this.inferLambda(e.params, e.body, [], ctx);
      case "extract": {
        const x = this.infer(e.expr, ctx);
        const field = e.field.toUpperCase();
        if (this.dialect === "duckdb") this.checkExtract(e.expr, x);
        // Databricks: SECOND is a DECIMAL(8, 6), every other field an INTEGER (https://docs.databricks.com/sql/language-manual/functions/extract.html).
        const dbxSecond = this.dialect === "databricks" && /^(S|SEC|SECS|SECOND|SECONDS)$/.test(field);
        const type = this.dialect === "duckdb" && DOUBLE_DATE_PARTS.has(field.toLowerCase()) ? T.Float64 : dbxSecond ? decimal(8, 6) : this.dialect === "databricks" ? T.Int32 : T.Int64;
        return { type, nullable: x.nullable, sources: wrapSources(x.sources, EXPRESSION), fp: `EXTRACT(${field} FROM ${x.fp})`, hasAgg: x.hasAgg };
      }
      case "collate": {
        const x = this.infer(e.expr, ctx);
        return { ...x, fp: `${x.fp} COLLATE ${e.collation}` };
      }
    }
  }

  private literal(type: "number" | "string" | "boolean" | "null", value: string): ExprInfo {
    switch (type) {
      case "number": {
        // `1_000` is 1000 (DuckDB's digit separators): the same type and the same fingerprint.
        const n = value.includes("_") ? value.replaceAll("_", "") : value;
        return { type: numberLiteralType(n, this.dialect), nullable: false, sources: [], fp: n, literal: n };
      }
      case "string":
        return { type: T.String, nullable: false, sources: [], fp: quote(value), literal: value };
      case "boolean":
        return { type: T.Boolean, nullable: false, sources: [], fp: value.toUpperCase() };
      case "null":
        return { type: T.Unknown, nullable: true, sources: [], fp: "NULL", isNull: true };
    }
  }

  /** `clausesOnly`: an EXISTS, whose value its select list does not make (its sources are its clauses' columns only). */
  /**
   * `expect`: how many columns the subquery must have where it stands (a scalar subquery one, an IN
   * subquery its row's width); R018 when it has another number, which every warehouse rejects.
   */
  private subquery(q: Query, ctx: Ctx, clausesOnly = false, expect?: { readonly width: number; readonly what: "scalar" | "IN" | "ARRAY" }): ExprInfo {
    // Its WHERE, JOINs, GROUP BY and LIMIT decide the value it computes: they are part of its
    // fingerprint, so `(SELECT MAX(v) FROM u WHERE k = 1)` for `k = 2` is a change. In a row-level
    // clause (`WHERE x IN (SELECT ...)`) they also stay the model's row-level clauses.
    const own: Collected = { filters: [], joins: [], groups: [], clauses: [] };
    const outer = this.collect(own);
    let rel: Relation;
    try {
      rel = this.analyzeQuery(q, { scope: ctx.scope, ctes: ctx.ctes, rowLevel: true, grouped: false });
    } finally {
      this.collect(outer);
    }
    if (expect !== undefined && rel.open === undefined && rel.columns.length !== expect.width && rel.columns.length > 0) {
      const n = rel.columns.length;
      const where = expect.what === "IN" ? `an IN subquery compared with ${expect.width === 1 ? "one value" : `a row of ${expect.width}`}` : expect.what === "ARRAY" ? "an ARRAY subquery" : "a scalar subquery";
      this.report("R018", `${where} must return ${expect.width} column${expect.width === 1 ? "" : "s"}; this one returns ${n} (${rel.columns.map((c) => c.name).join(", ")})`, q.body.span, expect.width === 1 ? "select one column in the subquery" : `select ${expect.width} columns in the subquery`);
    }
    // What it reads FROM is already in the enclosing clause's fingerprint (this one's spells it): not a second finding.
    if (ctx.rowLevel) this.addCollected(own, "from");
    const first = rel.columns[0];
    const clauses = own.clauses.length === 0 ? "" : [...own.clauses].sort((a, b) => CLAUSE_ORDER[a.key] - CLAUSE_ORDER[b.key]).map((c) => ` ${CLAUSE_WORD[c.key]}${clauseText(c)}`).join("");
    const fp = `(SELECT ${rel.columns.map((c) => c.fp).join(", ")}${clauses})`;
    // Outside a row-level clause, the columns its WHERE, JOINs and GROUP BY read (the correlated
    // outer column too) decide the value it computes, not which rows the model has: they are the
    // value's sources, as a CASE condition's columns are (`EXISTS (... WHERE p.id = o.id)`).
    const decided = ctx.rowLevel ? NO_SOURCES : wrapSources([...own.filters, ...own.joins, ...own.groups], EXPRESSION);
    if (!first || clausesOnly) return { type: first?.type ?? T.Unknown, nullable: true, sources: decided, fp };
    return { type: first.type, nullable: true, sources: concatSources(wrapSources(first.sources, SUBQUERY_VALUE), decided), fp };
  }

  private inferBinary(op: string, le: Expr, re: Expr, ctx: Ctx): ExprInfo {
    if (LOGICAL.has(op)) return this.inferLogical(op, le, re, ctx);
    const l = this.infer(le, ctx);
    const r = this.infer(re, ctx);
    const sources = wrapSources(concatSources(l.sources, r.sources), op === "||" ? CONCAT_OPERAND : EXPRESSION);
    // DuckDB's `x // 0` and `x % 0` are NULL (its `x / 0` is infinity).
    const byZero = this.dialect === "duckdb" && (op === "//" || op === "%") && mayBeZero(r);
    // A JSON path that matches nothing is NULL.
    const nullable = NULL_SAFE.has(op) ? false : l.nullable || r.nullable || byZero || op === "->" || op === "->>";
    const hasAgg = l.hasAgg || r.hasAgg;
    // DuckDB's `^` and `**` are POWER(a, b), which P001 writes for them; its `~` a whole-string
    // match, REGEXP_FULL_MATCH (Snowflake's REGEXP_LIKE, P001's spelling for Snowflake).
    const fp =
      op === "**" || (op === "^" && this.dialect === "duckdb")
        ? `POWER(${l.fp}, ${r.fp})`
        : (op === "~" || op === "!~") && this.dialect === "duckdb"
          ? op === "!~"
            ? `(NOT REGEXP_FULL_MATCH(${l.fp}, ${r.fp}))`
            : `REGEXP_FULL_MATCH(${l.fp}, ${r.fp})`
          : undefined;
    // `a + b + c` however grouped or ordered: one chain of sorted terms (`m + f + r` rewritten `r + f + m` is no change).
    const chain = fp === undefined && ARITHMETIC_CHAINS.has(op) ? chainFp(op, mergedTerms(op, [l, r])) : undefined;
    const negated = COMPARISON.has(op) ? NEGATED[FP_OPERATOR[op] ?? op] : undefined;
    if (this.dialect === "duckdb" && isArithmetic(op)) this.checkOperands(op, { expr: le, info: l }, { expr: re, info: r });
    let type: SqlType;
    if (COMPARISON.has(op)) type = T.Boolean;
    else if (op === "||") type = l.type.kind === "Array" && r.type.kind === "Array" ? (unifyPair(l.type, r.type) ?? T.Unknown) : T.String;
    else if (isArithmetic(op)) {
      const lt = this.besideDecimal(l, r.type);
      const rt = this.besideDecimal(r, l.type);
      type = arithmeticType(op, l.isNull ? rt : lt, r.isNull ? lt : rt, this.dialect);
    }
    else if (PATTERN_OPS.has(op)) type = T.Boolean;
    else if (op === "**" || (op === "^" && this.dialect === "duckdb")) type = T.Float64;
    else if (op === "AT TIME ZONE") type = l.type.kind === "Timestamp" ? T.TimestampNtz : l.type.kind === "TimestampNtz" || l.type.kind === "Date" ? T.Timestamp : T.Unknown;
    else if (op === "->") type = l.type.kind === "Unknown" ? T.Unknown : T.Variant;
    else if (op === "->>") type = T.String;
    else if (op === "&" || op === "|" || op === "^" || op === "<<" || op === ">>") type = unifyTypes([l.type, r.type]);
    else type = T.Unknown;
    const info: { -readonly [K in keyof ExprInfo]: ExprInfo[K] } = { type, nullable, sources, fp: fp ?? chain?.fp ?? binaryFp(op, l.fp, r.fp), hasAgg };
    if (chain !== undefined) info.chain = chain.chain;
    if (negated !== undefined) info.negate = () => ({ fp: binaryFp(negated, l.fp, r.fp) });
    // NULL in, NULL out: nullable by assumption when each nullable operand is.
    if (nullable && !byZero && op !== "->" && op !== "->>" && (!l.nullable || l.nullAssumed === true) && (!r.nullable || r.nullAssumed === true)) info.nullAssumed = true;
    return info;
  }

  /**
   * A chain of one logical operator (`a AND b AND c`, however nested) as one node: its terms are
   * typed in order, and its fingerprint lists them sorted, so reordering the conditions of a WHERE
   * or an ON is not a change of logic.
   */
  private inferLogical(op: string, le: Expr, re: Expr, ctx: Ctx): ExprInfo {
    const terms: Expr[] = [];
    // Iterative, leftmost term first: a chain of thousands of ANDs must not exhaust the stack.
    const stack: Expr[] = [re, le];
    while (stack.length > 0) {
      const x = stack.pop() as Expr;
      if (x.kind === "binary" && x.op === op) stack.push(x.right, x.left);
      else terms.push(x);
    }
    const infos = terms.map((t) => this.infer(t, ctx));
    const sources: PathSource[] = [];
    let nullable = false;
    let hasAgg = false;
    for (const i of infos) {
      for (const x of i.sources) sources.push(x);
      nullable ||= i.nullable;
      hasAgg ||= i.hasAgg === true;
    }
    // A term that is itself a chain of this operator (a BETWEEN in an AND, a parenthesised group) is spelled as its terms.
    const { fp, chain } = chainFp(op, mergedTerms(op, infos));
    const info: ExprInfo = { type: T.Boolean, nullable, sources: wrapSources(sources, EXPRESSION), fp, hasAgg, chain };
    // De Morgan, exact in SQL's three-valued logic: NOT (a AND b) is (NOT a) OR (NOT b), when every term has a negation of its own.
    const dual = op === "AND" ? "OR" : op === "OR" ? "AND" : undefined;
    if (dual === undefined || !infos.every((i) => i.negate !== undefined)) return info;
    return { ...info, negate: () => chainFp(dual, mergedTerms(dual, infos.map((i) => (i.negate as () => Logic)()))) };
  }

  // -------------------------------------------------------------------------------------------
  // R011: argument types DuckDB's binder rejects (engine/src/types/functions/duckdb-binder.ts)
  // -------------------------------------------------------------------------------------------

  private checkOperands(op: string, left: Operand, right: Operand): void {
    const bad = rejectedOperand(bound(left.info)) ? left : rejectedOperand(bound(right.info)) ? right : undefined;
    if (bad === undefined) return;
    this.report("R011", `DuckDB has no '${op}' for ${formatType(left.info.type)} and ${formatType(right.info.type)} ('${printExpr(bad.expr)}' is ${formatType(bad.info.type)})`, bad.expr.span);
  }

  private checkArguments(name: string, fn: FunctionExpr, args: readonly ExprInfo[]): void {
    if (!this.checkArgumentCount(name, fn)) return;
    if (DUCKDB_UNIFYING_FUNCTIONS.has(name)) {
      this.checkUnified(name, fn.args.map((expr, i) => ({ expr, info: args[i] })));
      return;
    }
    const checks = DUCKDB_ARGUMENT_CHECKS[name];
    if (checks === undefined) return;
    const bad = rejectedArgument(checks, args.map(bound));
    if (bad === undefined) return;
    const arg = fn.args[bad.index];
    this.report("R011", `DuckDB has no ${name} for a ${formatType(args[bad.index].type)} argument ('${printExpr(arg)}'): it takes ${bad.takes} there`, arg.span);
  }

  /** `EXTRACT(part FROM x)` binds as DATE_PART(part, x): the same check on x. */
  private checkExtract(expr: Expr, info: ExprInfo): void {
    if (rejectedArgument([TEMPORAL_ARGUMENT(0)], [bound(info)]) === undefined) return;
    this.report("R011", `DuckDB has no EXTRACT for a ${formatType(info.type)} argument ('${printExpr(expr)}'): it takes a date, timestamp or interval there`, expr.span);
  }

  private checkUnified(what: string, branches: readonly Operand[]): void {
    const clash = clashingBranch(branches.map((b) => bound(b.info)));
    if (clash === undefined) return;
    const a = branches[clash.with];
    const b = branches[clash.index];
    this.report("R011", `${what} mixes ${formatType(a.info.type)} ('${printExpr(a.expr)}') and ${formatType(b.info.type)} ('${printExpr(b.expr)}'): DuckDB will not unify them without a cast`, b.expr.span);
  }

  /** The types to unify, an integer literal beside a decimal typed by its digits where the dialect does so (literalBesideDecimal). */
  private besideDecimals(infos: readonly ExprInfo[]): SqlType[] {
    const types = infos.map((i) => i.type);
    if (!types.some((t) => t.kind === "Decimal")) return types;
    return infos.map((i) => literalBesideDecimal(i.type, i.literal, this.dialect));
  }

  /** An arithmetic operand's type, `other` being the other operand's (no array per operation: this is on every `+`). */
  private besideDecimal(x: ExprInfo, other: SqlType): SqlType {
    return other.kind === "Decimal" ? literalBesideDecimal(x.type, x.literal, this.dialect) : x.type;
  }

  private inferCase(e: Extract<Expr, { kind: "case" }>, ctx: Ctx): ExprInfo {
    // Operand, then each WHEN and THEN, then ELSE: the order sources and the fingerprint follow.
    const all: ExprInfo[] = [];
    let fp = "CASE";
    // A result (THEN, ELSE) is the CASE's value and keeps its sources' values; the operand and the
    // conditions only choose.
    let sources: readonly PathSource[] = NO_SOURCES;
    const read = (x: ExprInfo, path: LineagePath): void => {
      if (x.sources.length > 0) sources = concatSources(sources, wrapSources(x.sources, path));
    };
    // `CASE x WHEN v` is `CASE WHEN x = v`: the two spellings share a fingerprint.
    let operand: ExprInfo | undefined;
    if (e.operand) {
      operand = this.infer(e.operand, ctx);
      all.push(operand);
      read(operand, EXPRESSION);
    }
    const typed: ExprInfo[] = [];
    let anyEmptyArray = false;
    let anyNullable = false;
    const result = (r: ExprInfo): void => {
      if (!r.isNull && !r.emptyArray) typed.push(r);
      if (r.emptyArray) anyEmptyArray = true;
      if (r.nullable) anyNullable = true;
    };
    // The THEN and ELSE results, for R011 on DuckDB models.
    const branches: Operand[] | undefined = this.dialect === "duckdb" ? [] : undefined;
    for (const w of e.whens) {
      const when = this.infer(w.when, ctx);
      const then = this.infer(w.then, ctx);
      all.push(when, then);
      read(when, EXPRESSION);
      read(then, CASE_RESULT);
      result(then);
      branches?.push({ expr: w.then, info: then });
      fp += ` WHEN ${operand === undefined ? when.fp : binaryFp("=", operand.fp, when.fp)} THEN ${then.fp}`;
    }
    if (e.else) {
      const els = this.infer(e.else, ctx);
      all.push(els);
      read(els, CASE_RESULT);
      result(els);
      branches?.push({ expr: e.else, info: els });
      // `ELSE NULL` is what a CASE without ELSE does.
      if (els.isNull !== true) fp += ` ELSE ${els.fp}`;
    }
    if (branches !== undefined) this.checkUnified("CASE", branches);
    let hasAgg = false;
    for (const x of all) if (x.hasAgg) hasAgg = true;
    const type = typed.length > 0 ? unifyTypes(this.besideDecimals(typed), this.dialect) : anyEmptyArray ? arrayOf(T.Int32) : T.Int32;
    return {
      type,
      nullable: !e.else || anyNullable,
      sources,
      fp: `${fp} END`,
      hasAgg,
    };
  }

  private inferLambda(params: readonly Ident[], body: Expr, paramTypes: readonly SqlType[], ctx: Ctx): ExprInfo {
    const lambda = new Map<string, ExprInfo>(ctx.scope.lambda ?? []);
    params.forEach((p, i) => lambda.set(p.name.toLowerCase(), { type: paramTypes[i] ?? T.Unknown, nullable: true, sources: [], fp: p.name.toLowerCase() }));
    const scope = newScope(ctx.scope, false, lambda);
    const b = this.infer(body, ctxOf(scope, ctx.ctes, ctx.rowLevel, ctx.grouped));
    return { ...b, fp: `(${params.map((p) => p.name.toLowerCase()).join(", ")}) -> ${b.fp}` };
  }

  private callContext(args: readonly ExprInfo[], named: readonly { name: string; info: ExprInfo }[], fn: FunctionExpr): CallContext {
    return {
      dialect: this.dialect,
      args: args.map((a) => (a.isNull ? NULL_LITERAL_TYPE : a.type)),
      literal: (i) => args[i]?.literal,
      literalList: (i) => {
        const a = fn.args[i];
        if (a?.kind !== "array") return undefined;
        const texts: string[] = [];
        for (const x of a.elements) {
          if (x.kind !== "literal" || (x.type !== "string" && x.type !== "number")) return undefined;
          texts.push(x.value);
        }
        return texts;
      },
      argName: (i) => {
        const a = fn.args[i];
        return a?.kind === "column" ? a.parts[a.parts.length - 1].name : undefined;
      },
      named: named.map((n) => ({ name: n.name, type: n.info.type })),
      // A NULL argument takes its type from the others (`list_value(s, NULL)` is a VARCHAR[]).
      unify: (types) => unifyTypes(types.map((t) => (t === NULL_LITERAL_TYPE ? undefined : t)), this.dialect),
      unifyArgs: (indices) => {
        const picked = indices.map((i) => args[i]).filter((a): a is ExprInfo => a !== undefined && !a.isNull);
        return picked.length === 0 ? T.Unknown : unifyTypes(this.besideDecimals(picked), this.dialect);
      },
      arithmetic: (op, left, right) => {
        const l = args[left];
        const r = args[right];
        if (l === undefined || r === undefined) return T.Unknown;
        const lt = this.besideDecimal(l, r.type);
        const rt = this.besideDecimal(r, l.type);
        return arithmeticType(op, l.isNull ? rt : lt, r.isNull ? lt : rt, this.dialect);
      },
    };
  }

  private inferFunction(fn: FunctionExpr, ctx: Ctx): ExprInfo {
    if (this.dialect === "duckdb") {
      // DuckDB's `email.lower()` is `lower(email)` when what precedes the name is a column here.
      const method = fn.method ? fn : fn.name.length >= 2 ? this.asMethodCall(fn, ctx.scope) : undefined;
      if (method !== undefined) {
        this.noteMethodCall(method);
        if (method !== fn) return this.inferFunction(method, ctx);
      }
    }
    const single = fn.name.length === 1 ? functionInfo(this.fns, fn.name[0].name) : undefined;
    const name = single ? single.name : fnName(fn);
    const row: FunctionRow | undefined = single?.row;
    const isWindow = fn.over !== undefined;
    const isAgg = !isWindow && row?.kind === "aggregate";
    const argCtx = ctx;

    // Arguments; lambdas see the element type of the first array argument.
    const args: ExprInfo[] = [];
    for (const a of fn.args) {
      if (a.kind === "lambda" && this.dialect === "duckdb" && isJsonArrow(a, name)) {
        // `json_array_length(j->'$.items')`: DuckDB reads `->` as a lambda only in a function that takes one.
        args.push(this.inferBinary("->", { kind: "column", parts: a.params, span: a.params[0].span }, a.body, argCtx));
        continue;
      }
      if (a.kind === "lambda") {
        const el = elementType(args[0]?.type);
        args.push(this.inferLambda(a.params, a.body, a.params.length === 2 && /REDUCE|AGGREGATE/.test(name) ? [el, el] : [el, T.Int64], argCtx));
        continue;
      }
      args.push(this.infer(a, argCtx));
    }
    const named = fn.namedArgs ? fn.namedArgs.map((n) => ({ name: n.name.name, info: this.infer(n.value, argCtx) })) : NO_NAMED;
    let extras: ExprInfo[] = NO_INFOS;
    let within: ExprInfo | undefined;
    if (fn.filter || fn.orderBy || fn.within) {
      extras = [];
      if (fn.filter) extras.push(this.infer(fn.filter, argCtx));
      if (fn.orderBy) for (const o of fn.orderBy) extras.push(this.infer(o.expr, argCtx));
      if (fn.within)
        for (const o of fn.within) {
          const info = this.infer(o.expr, argCtx);
          within ??= info;
          extras.push(info);
        }
    }
    const over = fn.over ? this.resolveWindow(fn.over, ctx.scope) : undefined;
    const windowParts = over ? this.inferWindow(over, ctx) : NO_INFOS;

    if (this.dialect === "duckdb" && single !== undefined) this.checkArguments(name, fn, args);
    // R017: an aggregate of an aggregate (not a window over one: SUM(COUNT(*)) OVER ()), and a
    // window-only function (ROW_NUMBER, LAG) without OVER.
    if (isAgg && fn.args.some((a) => this.aggregateIn(a) !== undefined)) this.report("R017", `aggregate calls cannot be nested: ${name} of an aggregate`, fn.nameSpan, `aggregate in a CTE or subquery first, or make the outer call a window (${name}(...) OVER (...))`);
    else if (!isWindow && row?.kind === "window" && fn.within === undefined) this.report("R017", `${name} is a window function: it needs OVER (...)`, fn.nameSpan, `write ${name}(...) OVER (PARTITION BY ... ORDER BY ...)`);
    if (single !== undefined && (name === "CONCAT" || name === "CONCAT_WS") && named.length === 0 && !isWindow && !isAgg) this.noteConcat(name, fn, args);
    if (fn.args.length === 3 && named.length === 0) this.noteDateDiff(fn, args);
    if (over !== undefined && ROW_PICKING_WINDOWS.has(name)) this.noteNullOrder(name, over.orderBy, windowParts.slice(over.partitionBy.length), undefined);
    else if (over !== undefined && row?.kind === "aggregate" && runsAlongOrder(over)) this.noteNullOrder(name, over.orderBy, windowParts.slice(over.partitionBy.length), "running");
    else if (over === undefined && row?.kind === "aggregate" && (ORDERED_VALUE_AGGS.has(name) || ROW_PICKING_AGGS.has(name))) {
      // The group's order: inside the call (`ARRAY_AGG(x ORDER BY k)`) or WITHIN GROUP (Snowflake's LISTAGG).
      const skip = fn.filter ? 1 : 0;
      const inside = fn.orderBy?.length ? { items: fn.orderBy, infos: extras.slice(skip, skip + fn.orderBy.length) } : fn.within?.length ? { items: fn.within, infos: extras.slice(skip + (fn.orderBy?.length ?? 0)) } : undefined;
      if (inside !== undefined) this.noteNullOrder(name, inside.items, inside.infos, ORDERED_VALUE_AGGS.has(name) ? "ordered" : undefined);
    }

    // Return type
    let type: SqlType = T.Unknown;
    if (fn.star && (name === "COUNT" || name === "COUNT_STAR")) type = T.Int64;
    else if (within !== undefined && WITHIN_GROUP_AS[name] !== undefined && (name === "PERCENTILE_DISC" || this.dialect === "duckdb")) {
      // f(fraction) WITHIN GROUP (ORDER BY x) is typed as its x-first form, f'(x, fraction).
      const asRow = this.fns.scalar[WITHIN_GROUP_AS[name]];
      type = asRow === undefined ? within.type : this.returnType(asRow, [within, ...args], named, fn);
    } else if (row) type = this.returnType(row, args, named, fn);

    // Nullability
    const rule = row?.nulls ?? "any";
    const argInfos = named.length === 0 ? args : [...args, ...named.map((n) => n.info)];
    let anyNullable = false;
    let allNullable = argInfos.length > 0;
    let anyAgg = false;
    /** Every nullable argument is nullable by assumption. */
    let assumedOnly = true;
    for (const a of argInfos) {
      if (a.nullable) {
        anyNullable = true;
        if (a.nullAssumed !== true) assumedOnly = false;
      } else allNullable = false;
      if (a.hasAgg) anyAgg = true;
    }
    let nullable: boolean;
    switch (rule) {
      case "never":
        nullable = false;
        break;
      case "always":
        nullable = true;
        break;
      case "all":
        nullable = argInfos.length === 0 || allNullable;
        break;
      case "first":
        nullable = args[0]?.nullable ?? true;
        break;
      case "aggregate":
        nullable = anyNullable || (!isWindow && !ctx.grouped);
        break;
      case "rest":
        nullable = args.length < 2 || args.slice(1).some((a) => a.nullable);
        break;
      case "decode":
        // DECODE(expr, s1, r1, ..., [default]): an odd count has no default.
        nullable = args.length % 2 === 1 || args.some((a, i) => a.nullable && i >= 2 && (i % 2 === 0 || i === args.length - 1));
        break;
      case "divisor":
        nullable = anyNullable || mayBeZero(args[1]);
        break;
      case "path":
        nullable = anyNullable || args.length > 1;
        break;
      default:
        nullable = anyNullable;
    }
    if (fn.star && name === "COUNT") nullable = false;
    if (row === undefined) nullable = true;
    // A frame that need not hold the current row (`ROWS BETWEEN 3 PRECEDING AND 1 PRECEDING`) may be empty: SUM, MIN, FIRST_VALUE over it are NULL.
    if (over !== undefined && !nullable && rule !== "never" && !(fn.star && name === "COUNT") && frameMayBeEmpty(over.frame)) nullable = true;

    // Lineage
    const path: LineagePath = isWindow ? (single?.win ?? windowPath(name)) : isAgg ? (single?.agg ?? aggPath(name)) : EXPRESSION;
    const keeps = single?.keeps;
    const keptPath = keeps === undefined ? undefined : isWindow ? keeps.win : isAgg ? keeps.agg : keeps.scalar;
    let sources: PathSource[] = [];
    for (let i = 0; i < argInfos.length; i++) {
      const x = argInfos[i];
      if (x.sources.length === 0) continue;
      const wrapped = wrapSources(x.sources, keptPath !== undefined && isKeptArg((keeps as KeptArgs).kept, i, args.length) ? keptPath : path);
      sources = sources.length === 0 ? wrapped : sources.concat(wrapped);
    }
    // `HASH(*)`, `OBJECT_CONSTRUCT(*)`, Spark's `struct(*)`: every column of the FROM is an argument (COUNT(*) reads none).
    if (fn.star && name !== "COUNT" && name !== "COUNT_STAR" && name !== "COLUMNS") {
      const all = this.starArgSources(undefined, ctx);
      if (all.length > 0) sources = sources.concat(wrapSources(all, keptPath !== undefined && (keeps as KeptArgs).kept === "all" ? keptPath : path));
    }
    for (const x of extras) if (x.sources.length > 0) sources = sources.concat(wrapSources(x.sources, path));
    for (const x of windowParts) if (x.sources.length > 0) sources = sources.concat(wrapSources(x.sources, path));
    let argText = fn.star || countsRows(name, fn, args) ? "*" : "";
    if (argText === "") for (let i = 0; i < args.length; i++) argText = i === 0 ? firstArgFp(name, args[0]) : `${argText}, ${args[i].fp}`;
    for (const n of named) argText = `${argText === "" ? "" : `${argText}, `}${n.name.toLowerCase()} => ${n.info.fp}`;
    const fnText = single ? single.text : fn.name.map((p) => p.name.toUpperCase()).join(".");
    // A string or array aggregate ordered WITHIN GROUP (Snowflake) or inside the call (DuckDB, BigQuery) is one call.
    const withinInside = fn.within?.length && !fn.orderBy?.length && ORDER_INSIDE_AGGS.has(name) ? fn.within : undefined;
    const inside = fn.orderBy?.length ? fn.orderBy : withinInside;
    let fp = `${fnText}(${fn.distinct ? "DISTINCT " : ""}${argText}${inside !== undefined ? ` ORDER BY ${orderText(inside, extras.slice(fn.filter ? 1 : 0), this.dialect)}` : ""})`;
    if (named.length === 0 && !over) fp = equivalentCallFp(fnText, name, args, this.dialect) ?? concatFp(name, fn, args, this.dialect) ?? dateDiffFp(fn, fnText, args, this.dialect) ?? fp;
    // The order an ordered-set aggregate reads its group in decides its value (LISTAGG's string, a percentile's side).
    if (fn.within?.length && withinInside === undefined) fp += ` WITHIN GROUP (ORDER BY ${orderText(fn.within, extras.slice((fn.filter ? 1 : 0) + (fn.orderBy?.length ?? 0)), this.dialect)})`;
    if (fn.ignoreNulls) fp += " IGNORE NULLS";
    if (fn.filter) fp += ` FILTER (WHERE ${extras[0].fp})`;
    if (over) fp += ` OVER (${windowText(over, windowParts, this.dialect)})`;
    const trunc = named.length === 0 && !over ? truncation(fn, this.dialect) : undefined;
    const info: { -readonly [K in keyof ExprInfo]: ExprInfo[K] } = { type, nullable, sources, fp, hasAgg: isAgg || (!isWindow && anyAgg) };
    if (trunc !== undefined) info.truncated = { unit: trunc.unit, fp: args[trunc.value].fp };
    // NULL in, NULL out (the "any" rule): nullable by assumption when each nullable argument is. An
    // aggregate or window (NULL over no rows), or a function that makes NULLs, is left as certain.
    if (nullable && anyNullable && assumedOnly && rule === "any" && row !== undefined && !isAgg && !isWindow && !(fn.star && name === "COUNT")) info.nullAssumed = true;
    return info;
  }

  /**
   * A qualified call `a.f(..)` / `t.a.f(..)` whose qualifier names a column in scope (or a lambda
   * parameter): DuckDB's method syntax, as the call `f(a, ..)` with `method` set. Undefined when the
   * qualifier names no column (a schema's function or macro).
   */
  private asMethodCall(fn: FunctionExpr, scope: Scope): FunctionExpr | undefined {
    const prefix = fn.name.slice(0, -1);
    if (prefix.length > 2 || !namesColumn(scope, prefix.map((p) => (p.quoted ? p.name : p.name.toLowerCase())))) return undefined;
    const first = prefix[0].span;
    const last = prefix[prefix.length - 1].span;
    const receiver: ColumnExpr = { kind: "column", parts: prefix, span: { start: first.start, end: last.end, line: first.line, col: first.col } };
    const name = fn.name[fn.name.length - 1];
    return { ...fn, name: [name], nameSpan: name.span, args: [receiver, ...fn.args], method: true };
  }

  private noteMethodCall(fn: FunctionExpr): void {
    const key = `${fn.span.start}:${fn.span.end}`;
    if (this.methods?.has(key) || fn.args.length === 0) return;
    const [receiver, ...rest] = fn.args;
    (this.methods ??= new Map()).set(key, {
      name: fn.nameSpan,
      call: fn.span,
      receiver: { start: receiver.span.start, end: receiver.span.end },
      args: rest.map((a) => ({ start: a.span.start, end: a.span.end })),
    });
  }

  /**
   * Records a CONCAT / CONCAT_WS call whose result depends on how the warehouse treats a NULL
   * argument (P001 decides, with the target). An argument of Unknown type says nothing either way.
   */
  private noteConcat(name: string, fn: FunctionExpr, args: readonly ExprInfo[]): void {
    const first = name === "CONCAT_WS" ? 1 : 0;
    let any = false;
    for (let i = first; i < args.length && !any; i++) any = mayBeNull(args[i]);
    if (!any || this.concats?.some((c) => c.call.start === fn.span.start)) return;
    (this.concats ??= []).push({
      fn: name,
      name: fn.nameSpan,
      call: fn.span,
      args: fn.args.map((a, i) => ({ start: a.span.start, end: a.span.end, nullable: mayBeNull(args[i]), string: args[i].type.kind === "String", plain: PLAIN_OPERAND.has(a.kind) })),
    });
  }

  /** Records a date difference with a unit (P001 compares what the target counts, with the target). */
  private noteDateDiff(fn: FunctionExpr, args: readonly ExprInfo[]): void {
    const call = dateDiffCall(fn, args.map((a) => a.type), this.dialect);
    if (call === undefined || this.dateDiffs?.some((c) => c.call.start === call.call.start && c.call.end === call.call.end)) return;
    (this.dateDiffs ??= []).push(call);
  }

  /**
   * Records the ORDER BY keys (`orderBy`, inferred as `infos`) that may be NULL and leave where
   * NULLs go to the warehouse, of a row-picking window or aggregate, a running aggregate
   * (`running`), or an aggregate whose value is its group in order (`ordered`: ARRAY_AGG, LISTAGG).
   */
  private noteNullOrder(name: string, orderBy: readonly OrderItem[], infos: readonly ExprInfo[], kind: "running" | "ordered" | undefined): void {
    if (orderBy.length === 0 || this.windowNullOrders?.has(orderBy[0].span.start)) return;
    // An earlier key that tests the key for NULL (`CASE WHEN x IS NOT NULL THEN 1 ELSE 0 END DESC, x`) already parts the NULLs from the values.
    const parted = (i: number) => infos.slice(0, i).some((e) => e.fp.includes(`(${infos[i].fp} IS NULL)`) || e.fp.includes(`(${infos[i].fp} IS NOT NULL)`));
    const keys = orderBy
      // A bare column only: an expression's nullability is often assumed (a CAST of a column with no known type comes out nullable), and a finding must not be a guess.
      .filter((o, i) => o.nullsFirst === undefined && o.expr.kind === "column" && mayBeNull(infos[i]) && this.knownFromSchemas(infos[i].sources) && !parted(i))
      .map((o) => ({ item: { start: o.span.start, end: o.span.end }, key: { start: o.expr.span.start, end: o.expr.span.end }, desc: o.desc }));
    if (keys.length > 0) (this.windowNullOrders ??= new Map()).set(orderBy[0].span.start, kind !== undefined ? { fn: name, keys, kind } : { fn: name, keys });
  }

  /**
   * Whether a value's nullability rests on known schemas: every upstream column it reads has a known
   * type. A column of a source with no schema (or of unknown type) may be NOT NULL for all we know,
   * and a CAST of it comes out typed and nullable by assumption: P001's NULL-order finding must not
   * rest on that guess. An upstream model's column whose own nullability is assumed
   * (`nullableAssumed`: a CAST of a schemaless column, two models up) is a guess too.
   */
  private knownFromSchemas(sources: readonly PathSource[]): boolean {
    for (const s of sources) {
      const cols = this.input.schemas.columnsOf(s.model.toLowerCase());
      const col = cols?.find((c) => c.name.toLowerCase() === s.column.toLowerCase());
      if (col === undefined || col.type.kind === "Unknown" || col.nullableAssumed === true) return false;
    }
    return true;
  }

  /** `OVER w` / `OVER (w ORDER BY ...)`: the named window's partitioning and ordering, refined by the call's own. */
  private resolveWindow(w: WindowSpec, scope: Scope): WindowSpec {
    if (!w.baseName) return w;
    let base: WindowSpec | undefined;
    for (let s: Scope | undefined = scope; s && !base; s = s.parent) base = s.windows?.get(w.baseName.name.toLowerCase());
    if (!base) return w;
    const resolved = this.resolveWindow(base, scope);
    return {
      partitionBy: w.partitionBy.length > 0 ? w.partitionBy : resolved.partitionBy,
      orderBy: w.orderBy.length > 0 ? w.orderBy : resolved.orderBy,
      frame: w.frame ?? resolved.frame,
      span: w.span,
    };
  }

  private inferWindow(w: WindowSpec, ctx: Ctx): ExprInfo[] {
    const out: ExprInfo[] = [];
    for (const p of w.partitionBy) out.push(this.infer(p, ctx));
    for (const o of w.orderBy) out.push(this.infer(o.expr, ctx));
    return out;
  }

  private returnType(row: FunctionRow, args: readonly ExprInfo[], named: readonly { name: string; info: ExprInfo }[], fn: FunctionExpr): SqlType {
    const r = row.returns;
    switch (r.kind) {
      case "infer":
        return r.infer(this.callContext(args, named, fn));
      case "fixed":
        return r.type;
      case "arg":
        return args[r.index]?.type ?? T.Unknown;
      case "supertype": {
        // NULL and [] take their type from the other arguments.
        const picked: ExprInfo[] = [];
        for (let i = r.from; i < args.length; i += r.step) picked.push(args[i]);
        const typed = picked.filter((a) => !a.isNull && !a.emptyArray);
        if (typed.length === 0) return picked.some((a) => a.emptyArray) ? arrayOf(T.Int32) : T.Int32;
        return unifyTypes(this.besideDecimals(typed), this.dialect);
      }
      case "element":
        return elementType(args[r.index]?.type);
      case "array_of":
        return arrayOf(args[r.index]?.type ?? T.Unknown);
    }
  }
}

class DepthError extends Error {}

/** The expression is a `:` JSON path or a step after one (`raw:a`, `raw:a.b`, `raw:a[0]`). */
function continuesJsonPath(e: Expr): boolean {
  return (e.kind === "field" && (e.style === "colon" || continuesJsonPath(e.expr))) || (e.kind === "subscript" && continuesJsonPath(e.expr));
}

const NO_NAMED: readonly { name: string; info: ExprInfo }[] = [];
/** Shared empty list (never written to). */
const NO_INFOS: ExprInfo[] = [];
const aggPaths = new Map<string, LineagePath>();
const windowPaths = new Map<string, LineagePath>();

/** What inference needs of a single-part function name, per spelling: looked up once per dialect. */
interface FunctionInfo {
  /** Upper case. */
  readonly name: string;
  readonly row: FunctionRow | undefined;
  /** Its spelling in fingerprints (synonyms folded). */
  readonly text: string;
  readonly agg: LineagePath;
  readonly win: LineagePath;
  /** The arguments whose values the call keeps in its result (value-keeping.ts), when any. */
  readonly keeps: KeptArgs | undefined;
}

/** Type names the parser writes that duckdb_types() does not list, yet DuckDB takes (multi-word ones, and CHARACTER; duckdb-type-names.test.ts). */
const MULTI_WORD_DUCKDB_TYPES: ReadonlySet<string> = new Set(["double precision", "character varying", "char varying", "character", "timestamp with time zone", "time with time zone", "timestamp without time zone", "time without time zone"]);
const DECIMAL_NAMES: ReadonlySet<string> = new Set(["decimal", "numeric", "dec", "number"]);

/**
 * The first call in `e`, in source order, that `judge` finds; a call it skips is not looked inside.
 * Subqueries are their own queries and are not looked into (exprChildren).
 */
function firstCall(e: Expr, judge: (fn: FunctionExpr) => "found" | "skip" | "look inside"): FunctionExpr | undefined {
  const stack: Expr[] = [e];
  while (stack.length > 0) {
    const x = stack.pop()!;
    if (x.kind === "function") {
      const verdict = judge(x);
      if (verdict === "found") return x;
      if (verdict === "skip") continue;
    }
    const children = exprChildren(x);
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
  return undefined;
}

/** The numbers of arguments an arity mask takes, in words: "2 arguments", "2 or 3 arguments", "1 or more arguments". */
function arityText(mask: number): string {
  const takes: number[] = [];
  for (let k = 0; k <= MAX_PROBED_ARITY; k++) if ((mask & (1 << k)) !== 0) takes.push(k);
  let from = MAX_PROBED_ARITY + 1;
  while (from > 0 && (mask & (1 << (from - 1))) !== 0) from--;
  const open = (mask & (1 << MAX_PROBED_ARITY)) !== 0;
  const listed = open ? takes.filter((k) => k < from) : takes;
  const parts = listed.map(String);
  if (open) parts.push(`${from} or more`);
  const words = parts.length <= 1 ? (parts[0] ?? "no") : `${parts.slice(0, -1).join(", ")} or ${parts[parts.length - 1]}`;
  return `${words} argument${takes.length === 1 && takes[0] === 1 && !open ? "" : "s"}`;
}

const functionInfos = new Map<DialectFunctions, Map<string, FunctionInfo>>();
const FUNCTION_INFOS_LIMIT = 4096;

function functionInfo(fns: DialectFunctions, spelling: string): FunctionInfo {
  let memo = functionInfos.get(fns);
  if (memo === undefined) functionInfos.set(fns, (memo = new Map()));
  const hit = memo.get(spelling);
  if (hit !== undefined) return hit;
  const name = spelling.toUpperCase();
  const info: FunctionInfo = { name, row: fns.scalar[name], text: FUNCTION_SYNONYMS[name] ?? name, agg: aggPath(name), win: windowPath(name), keeps: keptArgs(name) };
  if (memo.size < FUNCTION_INFOS_LIMIT) memo.set(spelling, info);
  return info;
}

/** The aggregate path of upper-case function name `fn` (one shared object per name). */
function aggPath(fn: string): LineagePath {
  let p = aggPaths.get(fn);
  if (!p) {
    p = makePath(fn.toLowerCase(), undefined, false);
    aggPaths.set(fn, p);
  }
  return p;
}

/** The window path of upper-case function name `fn` (one shared object per name). */
function windowPath(fn: string): LineagePath {
  let p = windowPaths.get(fn);
  if (!p) {
    p = makePath(undefined, fn.toLowerCase(), false);
    windowPaths.set(fn, p);
  }
  return p;
}

type UpstreamColumns = NonNullable<ReturnType<AnalyzeModelInput["schemas"]["columnsOf"]>>;
/** Upstream relations are immutable: build each once per schema array (a compile reuses them across models). */
/** The relation of the first name a schema array was read under, and of any other name (rare: a source found by its last two parts). */
interface UpstreamEntry {
  readonly full: string;
  readonly rel: Relation;
  others: Map<string, Relation> | undefined;
}
const upstreamCache = new WeakMap<UpstreamColumns, UpstreamEntry>();

function upstreamRelation(full: string, cols: UpstreamColumns): Relation {
  const entry = upstreamCache.get(cols);
  if (entry !== undefined) {
    if (entry.full === full) return entry.rel;
    const other = entry.others?.get(full);
    if (other !== undefined) return other;
    const rel = buildUpstreamRelation(full, cols);
    (entry.others ??= new Map()).set(full, rel);
    return rel;
  }
  const rel = buildUpstreamRelation(full, cols);
  upstreamCache.set(cols, { full, rel, others: undefined });
  return rel;
}

function buildUpstreamRelation(full: string, cols: UpstreamColumns): Relation {
  const open = isOpenSchema(cols);
  const listed = open ? cols.slice(0, -1) : cols;
  // map: an exact-size packed array, like every other column list findColumn reads.
  const columns = listed.map((c): RelColumn => ({ name: c.name, type: c.type, nullable: c.nullable, sources: [{ model: full, column: c.name, path: DIRECT }], fp: flat(`${full}.${c.name.toLowerCase()}`), nullAssumed: c.nullableAssumed }));
  return open ? { columns, open: [full] } : { columns };
}

/** Whether an upstream's column list is partial (ends with the open-schema marker). */
function isOpenSchema(cols: UpstreamColumns): boolean {
  return cols.length > 0 && cols[cols.length - 1].name === OPEN_SCHEMA_MARKER;
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/** `rowLevel`'s distinct refs for long lists: keyed by model and lower-case column. */
function refsIndexed(xs: readonly PathSource[]): ColumnRef[] {
  const seen = new Set<string>();
  const out: ColumnRef[] = [];
  for (const s of xs) {
    const key = `${s.model}\u0000${s.column.toLowerCase()}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ model: s.model, column: s.column });
  }
  return out.slice();
}

/** The first item that `name` (lower-case) qualifies. */
function findItem(items: readonly ScopeItem[], name: string): ScopeItem | undefined {
  for (let i = 0; i < items.length; i++) if (items[i].names.includes(name)) return items[i];
  return undefined;
}

/**
 * What a join joins, for its fingerprint: the model or source it names, or for a CTE, subquery or
 * table function the models its columns come from. Never the alias: renaming `p` to `payments`, or
 * the CTE it stands for, does not change which rows the join sees.
 */
function joinedIdentity(item: ScopeItem): string {
  if (item.modifiers !== undefined) return `${joinedIdentityOf(item)} ${item.modifiers}`;
  return joinedIdentityOf(item);
}

function joinedIdentityOf(item: ScopeItem): string {
  if (item.upstream !== undefined) return item.upstream;
  const models = new Set<string>(item.rel.open);
  for (const c of item.rel.columns) for (const s of c.sources) models.add(s.model);
  // A CTE or derived table over one table is that table (its own clauses are recorded as they are).
  if (models.size > 0) return relationsIdentity(models);
  return `(${item.rel.columns.map((c) => c.fp).join(", ")})`;
}

/** A MATCH_RECOGNIZE symbol in a fingerprint: compared without case, as the pattern is. */
function symbolFp(id: Ident): string {
  return printIdent(id).toLowerCase();
}

/** Generators whose columns depend on the input's type: a map's key and value, an array's col (and pos). */
const SHAPE_BY_INPUT: ReadonlySet<string> = new Set(["EXPLODE", "EXPLODE_OUTER", "POSEXPLODE", "POSEXPLODE_OUTER"]);
/** Databricks' generator functions: in a select list, the item is the columns each yields as a table. */
/**
 * The columns of a table function that hold its input's own values (an array's elements, a map's
 * keys and values, FLATTEN's VALUE and THIS): they keep them, as UNNEST in a select list does
 * (value-keeping.ts). Positions, paths, sequence numbers and generated series are new values.
 */
const VALUE_COLUMNS: Readonly<Record<string, ReadonlySet<string>>> = {
  UNNEST: new Set(["unnest"]),
  EXPLODE: new Set(["col", "key", "value"]),
  EXPLODE_OUTER: new Set(["col", "key", "value"]),
  POSEXPLODE: new Set(["col"]),
  POSEXPLODE_OUTER: new Set(["col"]),
  FLATTEN: new Set(["value", "this"]),
};

const GENERATORS: ReadonlySet<string> = new Set(["EXPLODE", "EXPLODE_OUTER", "POSEXPLODE", "POSEXPLODE_OUTER", "INLINE", "INLINE_OUTER", "STACK"]);

/**
 * A file DuckDB reads (`FROM 'data/orders.csv'`): named by its alias, else by the file's name
 * without directory and extensions, as DuckDB names it; its columns are known only to the file.
 */
/** `$n` (Snowflake) or `#n` (DuckDB), a column by its 1-based position. */
function positionalColumn<C>(cols: readonly C[], key: string): C | undefined {
  const c = key.charCodeAt(0);
  if ((c !== 36 && c !== 35) || !/^[$#]\d+$/.test(key)) return undefined;
  return cols[Number(key.slice(1)) - 1];
}

function fileItem(path: string, alias: TableAlias | undefined): ScopeItem {
  // A stage (`@db.sch.landing/orders/`) is named by its own name, a file by its stem.
  const stem = path.startsWith("@") ? (path.slice(1).split("/")[0].split(".").pop() ?? path) : path.slice(path.lastIndexOf("/") + 1).replace(/\..*$/, "");
  const display = alias?.name.name ?? stem;
  return makeItem([display.toLowerCase()], display, { columns: [], open: [path] });
}

function makeItem(names: readonly string[], display: string, rel: Relation, upstream?: string): ScopeItem {
  return { names: names.includes("") ? names.filter((n) => n !== "") : names, display, rel, upstream, nullable: false, hiddenFromStar: false, mergedAway: undefined, modifiers: undefined };
}

/** The column named `name`: the exact spelling first, else case-insensitively. */
function findColumn<C extends { readonly name: string }>(cols: readonly C[], name: string): C | undefined {
  for (let i = 0; i < cols.length; i++) if (cols[i].name === name) return cols[i];
  const key = name.toLowerCase();
  for (let i = 0; i < cols.length; i++) if (cols[i].name.toLowerCase() === key) return cols[i];
  return undefined;
}

/**
 * How many items a column's `via` keeps, nearest first: a chain of a thousand CTEs each rewriting
 * the column would otherwise keep a thousand spans in each of its links.
 */
const VIA_MAX = 16;

/** A column of one of this model's relations, read by the item being analysed: its own item, then what that one reads. */
function addVia(via: Span[], col: RelColumn): void {
  if (col.span !== undefined && via.length < VIA_MAX) via.push(col.span);
  if (col.via !== undefined) for (let i = 0; i < col.via.length && via.length < VIA_MAX; i++) via.push(col.via[i]);
}

/** A set operation's column: the right branch's item is as much where it is made as the left's (which is its span). */
function setOpVia(l: RelColumn | undefined, r: RelColumn | undefined): readonly Span[] | undefined {
  if (r?.span === undefined && r?.via === undefined && l?.via === undefined) return undefined;
  const via: Span[] = [];
  if (l?.via !== undefined) for (const v of l.via) via.push(v);
  if (r !== undefined) addVia(via, r);
  return via;
}

/** Each span once, in the order first met, without the column's own. */
function distinctSpans(via: readonly Span[], own: Span | undefined): readonly Span[] | undefined {
  const seen = new Set<number>();
  if (own !== undefined) seen.add(own.start);
  const out: Span[] = [];
  for (const v of via) {
    if (out.length === VIA_MAX) break;
    if (seen.has(v.start)) continue;
    seen.add(v.start);
    out.push(v);
  }
  return out.length > 0 ? out : undefined;
}

function renameColumns(rel: Relation, alias: TableAlias | undefined): Relation {
  if (!alias?.columns || alias.columns.length === 0) return rel;
  const names = alias.columns;
  return { ...rel, columns: rel.columns.map((c, i) => (names[i] ? { ...c, name: names[i].name } : c)) };
}

function renameCte(rel: Relation, cte: Cte): Relation {
  if (!cte.columns || cte.columns.length === 0) return rel;
  const names = cte.columns;
  return { ...rel, columns: rel.columns.map((c, i) => (names[i] ? { ...c, name: names[i].name } : c)) };
}

function mergeOpen(...opens: (readonly string[] | undefined)[]): string[] | undefined {
  if (opens.every((o) => o === undefined)) return undefined;
  return [...new Set(opens.flatMap((o) => o ?? []))];
}

function unknownInfo(fp: string): ExprInfo {
  return { type: T.Unknown, nullable: true, sources: [], fp };
}

function boolOf(xs: readonly ExprInfo[], fp: string, negate?: () => Logic): ExprInfo {
  let nullable = false;
  let hasAgg = false;
  for (const x of xs) {
    if (x.nullable) nullable = true;
    if (x.hasAgg) hasAgg = true;
  }
  const sources = wrapSources(allSources(xs), EXPRESSION);
  return negate === undefined ? { type: T.Boolean, nullable, sources, fp, hasAgg } : { type: T.Boolean, nullable, sources, fp, hasAgg, negate };
}

/** A predicate with a NOT form of its own (`x [NOT] IN (...)`, `[NOT] LIKE`): spelled with `not`, its negation the other spelling. */
function negatable(xs: readonly ExprInfo[], not: boolean, spelled: (not: boolean) => string): ExprInfo {
  return boolOf(xs, spelled(not), () => ({ fp: spelled(!not) }));
}

/** The terms of a chain of `op` over these operands: an operand that is a chain of `op` itself gives its terms. */
function mergedTerms(op: string, xs: readonly Logic[]): string[] {
  const out: string[] = [];
  for (const x of xs) {
    if (x.chain !== undefined && x.chain.op === op) for (const t of x.chain.terms) out.push(t);
    else out.push(x.fp);
  }
  return out;
}

/** Every source of `xs`, reusing the array when only one has any. */
function allSources(xs: readonly ExprInfo[]): readonly PathSource[] {
  let out: readonly PathSource[] = NO_SOURCES;
  let owned = false;
  for (const x of xs) {
    if (x.sources.length === 0) continue;
    if (out.length === 0) {
      out = x.sources;
      continue;
    }
    if (!owned) {
      out = [...out];
      owned = true;
    }
    for (const src of x.sources) (out as PathSource[]).push(src);
  }
  return out;
}

const NO_SOURCES: readonly PathSource[] = [];

/** `a` then `b`, sharing either array when the other is empty. */
function concatSources(a: readonly PathSource[], b: readonly PathSource[]): readonly PathSource[] {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  const out = a.slice();
  for (const s of b) out.push(s);
  return out;
}

/**
 * `s` as one flat string. Fingerprints are built by concatenation, which makes a tree of string
 * pieces; those that outlive the model (output columns, upstream relations, row-level
 * fingerprints) would keep every piece alive, about twice the text's size, and the GC would copy
 * them all. Reading a character makes V8 flatten the tree while it is still young.
 */
function flat(s: string): string {
  s.charCodeAt(0);
  return s;
}

/** `COUNT(1)`, `COUNT('x')`: a constant that is never NULL counts every row, as `COUNT(*)` does. */
function countsRows(name: string, fn: FunctionExpr, args: readonly ExprInfo[]): boolean {
  return name === "COUNT" && !fn.distinct && args.length === 1 && args[0].literal !== undefined && args[0].isNull !== true && args[0].sources.length === 0;
}

/** Functions whose first argument names a date part: `'MONTH'` and `'month'` are the same part. */
const DATE_PART_FIRST = new Set(["DATE_TRUNC", "DATETRUNC", "DATE_PART", "DATEPART", "DATEDIFF", "DATE_DIFF", "DATEADD", "TIMESTAMPDIFF", "TIMESTAMPADD"]);

/** Calls that build an array from their arguments: the `[a, b]` literal written as a function. */
const ARRAY_BUILDERS = new Set(["ARRAY", "LIST_VALUE", "LIST_PACK", "ARRAY_CONSTRUCT"]);

/**
 * The fingerprint of a call that is another construct written differently, as that construct's:
 * P001's rewrites (and hand-made clean-ups) are then not changes of logic.
 */
function equivalentCallFp(fnText: string, name: string, args: readonly ExprInfo[], dialect: DialectId): string | undefined {
  const n = args.length;
  // Logarithms as LOG(base, x) or LN(x): LOG(x) is base 10 in DuckDB and the natural logarithm in
  // Databricks and BigQuery; BigQuery's LOG(x, base) takes the value first.
  if (fnText === "LOG" && n === 1 && dialect === "duckdb") return `LOG(10, ${args[0].fp})`;
  if (fnText === "LOG" && n === 1 && (dialect === "databricks" || dialect === "bigquery")) return `LN(${args[0].fp})`;
  if (fnText === "LOG" && n === 2 && dialect === "bigquery") return `LOG(${args[1].fp}, ${args[0].fp})`;
  if ((fnText === "LOG10" || fnText === "LOG2") && n === 1) return `LOG(${fnText.slice(3)}, ${args[0].fp})`;
  // IF / IFF / IIF is a CASE with one branch.
  if ((fnText === "IF" || name === "IIF") && (n === 2 || n === 3)) {
    return `CASE WHEN ${args[0].fp} THEN ${args[1].fp}${n === 3 && args[2].isNull !== true ? ` ELSE ${args[2].fp}` : ""} END`;
  }
  // The position of a substring: CHARINDEX(needle, haystack), INSTR(haystack, needle), STRPOS(haystack, needle).
  if (n === 2 && fnText === "CHARINDEX") return `STRPOS(${args[1].fp}, ${args[0].fp})`;
  if (n === 2 && fnText === "INSTR") return `STRPOS(${args[0].fp}, ${args[1].fp})`;
  if (n === 2 && fnText === "POSITION") return `STRPOS(${args[1].fp}, ${args[0].fp})`;
  // BigQuery's DATE(y, m, d).
  if (n === 3 && fnText === "DATE") return `MAKE_DATE(${args[0].fp}, ${args[1].fp}, ${args[2].fp})`;
  // Snowflake's ZEROIFNULL(x) is COALESCE(x, 0) (NVL(x, 0)), and NULLIFZERO(x) NULLIF(x, 0).
  if (n === 1 && fnText === "ZEROIFNULL") return `COALESCE(${args[0].fp}, 0)`;
  if (n === 1 && fnText === "NULLIFZERO") return `NULLIF(${args[0].fp}, 0)`;
  // REGEXP_LIKE matches the whole string in Snowflake (DuckDB's REGEXP_FULL_MATCH), anywhere in Databricks (RLIKE, REGEXP_MATCHES).
  // (DuckDB has no REGEXP_LIKE: in a DuckDB model it is Snowflake's, where P001 sends `~`.)
  if (n === 2 && fnText === "REGEXP_LIKE" && (dialect === "snowflake" || dialect === "duckdb")) return `REGEXP_FULL_MATCH(${args[0].fp}, ${args[1].fp})`;
  if (n === 2 && fnText === "REGEXP_LIKE" && dialect === "databricks") return `REGEXP_MATCHES(${args[0].fp}, ${args[1].fp})`;
  // Snowflake's TO_NUMBER(x) (TO_DECIMAL, TO_NUMERIC) is NUMBER(38, 0): a DECIMAL cast, TRY_ for the TRY_ one.
  if (n === 1 && (fnText === "TO_NUMBER" || fnText === "TO_DECIMAL" || fnText === "TO_NUMERIC")) return `CAST(${args[0].fp} AS ${number38(dialect)})`;
  if (n === 1 && (fnText === "TRY_TO_NUMBER" || fnText === "TRY_TO_DECIMAL" || fnText === "TRY_TO_NUMERIC")) return `TRY_CAST(${args[0].fp} AS ${number38(dialect)})`;
  // TO_DATE(x) with no format is CAST(x AS DATE).
  if (n === 1 && fnText === "TO_DATE") return `CAST(${args[0].fp} AS ${formatType(T.Date)})`;
  // TO_VARCHAR(x) with no format is CAST(x AS VARCHAR).
  if (n === 1 && fnText === "TO_VARCHAR") return `CAST(${args[0].fp} AS ${formatType(T.String)})`;
  // A date formatted or parsed with a literal format: DuckDB's STRFTIME / STRPTIME, Snowflake's
  // TO_VARCHAR and Databricks' DATE_FORMAT, TO_TIMESTAMP, with the format read as strftime codes.
  const timeFormat = formattedTimeFp(fnText, args, dialect);
  if (timeFormat !== undefined) return timeFormat;
  // An array from its elements is the `[a, b]` literal, and NAMED_STRUCT('k', v) the `{'k': v}` one.
  if (ARRAY_BUILDERS.has(fnText)) return `[${args.map((a) => a.fp).join(", ")}]`;
  if (fnText === "NAMED_STRUCT" && n % 2 === 0 && n > 0) {
    const fields: string[] = [];
    for (let i = 0; i < n; i += 2) {
      const key = args[i].literal;
      if (key === undefined || !args[i].fp.startsWith("'")) return undefined;
      fields.push(`${key.toLowerCase()}: ${args[i + 1].fp}`);
    }
    return `{${fields.join(", ")}}`;
  }
  return undefined;
}

/** A string literal's text, else undefined. */
function stringLiteralOf(a: ExprInfo): string | undefined {
  return a.literal !== undefined && a.fp.startsWith("'") ? a.literal : undefined;
}

/** A format as `dialect` spells it, as strftime codes (outside Snowflake and Databricks, whichever of the two reads it, Java's first). */
function formatCodes(format: string | undefined, dialect: DialectId): string | undefined {
  if (format === undefined) return undefined;
  if (dialect === "snowflake" || dialect === "databricks") return toStrftime(format, dialect);
  return toStrftime(format, "databricks") ?? toStrftime(format, "snowflake");
}

/** NUMBER(38, 0) as `dialect` types it: Snowflake's integer, a DECIMAL elsewhere. */
function number38(dialect: DialectId): string {
  return formatType(dialect === "snowflake" ? T.Int64 : decimal(38, 0));
}

/**
 * `FORMAT_TIME(value, '%Y-%m-%d')` / `PARSE_TIME(text, '%Y-%m-%d')` for a format (or parse) call
 * whose format literal time-formats.ts reads, whatever the dialect spells it: taking P001's
 * STRFTIME → TO_VARCHAR / DATE_FORMAT advice is no change of logic. Snowflake's format elements in
 * a Snowflake model, Java patterns in a Databricks one; elsewhere (a DuckDB model that took the
 * advice) whichever reads the whole format, Java's case-sensitive patterns first.
 */
function formattedTimeFp(fnText: string, args: readonly ExprInfo[], dialect: DialectId): string | undefined {
  if (args.length !== 2) return undefined;
  const [a, b] = args;
  switch (fnText) {
    case "STRFTIME": {
      const second = stringLiteralOf(b);
      if (second !== undefined && second.includes("%")) return `FORMAT_TIME(${a.fp}, ${quote(second)})`;
      const first = stringLiteralOf(a);
      return first !== undefined && first.includes("%") ? `FORMAT_TIME(${b.fp}, ${quote(first)})` : undefined;
    }
    case "STRPTIME": {
      const format = stringLiteralOf(b);
      return format !== undefined ? `PARSE_TIME(${a.fp}, ${quote(format)})` : undefined;
    }
    case "TO_VARCHAR":
    case "DATE_FORMAT": {
      const format = formatCodes(stringLiteralOf(b), dialect);
      return format !== undefined ? `FORMAT_TIME(${a.fp}, ${quote(format)})` : undefined;
    }
    case "TO_TIMESTAMP": {
      const format = formatCodes(stringLiteralOf(b), dialect);
      return format !== undefined ? `PARSE_TIME(${a.fp}, ${quote(format)})` : undefined;
    }
    case "TO_DATE": {
      // The date of the text parsed: what CAST(STRPTIME(s, format) AS DATE) computes.
      const format = formatCodes(stringLiteralOf(b), dialect);
      return format !== undefined ? `CAST(PARSE_TIME(${a.fp}, ${quote(format)}) AS ${formatType(T.Date)})` : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * A UNION / INTERSECT / EXCEPT column's type in DuckDB: VARCHAR beside any other type is VARCHAR
 * (`SELECT 0 UNION ALL SELECT '0'` is VARCHAR), also inside lists and structs, except beside a
 * LIST, STRUCT or MAP, which the VARCHAR is cast to; a BOOLEAN beside a number is the number
 * (CASE and COALESCE refuse that mix); else as unifyPair.
 */
const isNested = (t: SqlType): boolean => t.kind === "Array" || t.kind === "Struct" || t.kind === "Map";

function duckdbSetOpType(a: SqlType, b: SqlType): SqlType {
  if (a.kind === "Unknown" || b.kind === "Unknown") return T.Unknown;
  if (a.kind === "String" && isNested(b)) return b;
  if (b.kind === "String" && isNested(a)) return a;
  if (a.kind === "String" || b.kind === "String") return T.String;
  if (a.kind === "Boolean" && isNumeric(b)) return b;
  if (b.kind === "Boolean" && isNumeric(a)) return a;
  if (a.kind === "Array" && b.kind === "Array") return arrayOf(duckdbSetOpType(a.element, b.element));
  if (a.kind === "Struct" && b.kind === "Struct" && a.fields.length === b.fields.length) {
    return { kind: "Struct", fields: a.fields.map((f, i) => ({ name: f.name, type: duckdbSetOpType(f.type, b.fields[i].type) })) };
  }
  return unifyPair(a, b, "duckdb") ?? T.Unknown;
}

/** Whether `parts` (lower-case, or as quoted) names a column in this scope or an enclosing one: `a` or `t.a`. */
function namesColumn(scope: Scope, parts: readonly string[]): boolean {
  for (let s: Scope | undefined = scope; s !== undefined; s = s.parent) {
    if (parts.length === 1) {
      if (s.lambda?.has(parts[0])) return true;
      if (s.items.some((it) => findColumn(it.rel.columns, parts[0]) !== undefined)) return true;
    } else {
      const item = findItem(s.items, parts[0]);
      if (item !== undefined && findColumn(item.rel.columns, parts[1]) !== undefined) return true;
    }
  }
  return false;
}

/**
 * An aggregate over an ordered window whose frame is not the whole partition (`SUM(x) OVER (ORDER BY
 * k)`, whose default frame ends at the current row's peers; a sliding ROWS frame): each row's value
 * depends on which rows come before it, so on where the NULL keys sort.
 */
function runsAlongOrder(over: WindowSpec): boolean {
  if (over.orderBy.length === 0) return false;
  return over.frame === undefined || !over.frame.text.endsWith("BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING");
}

/** Whether inference knows an expression may be NULL: a NULL literal, or a nullable value of a known type. */
function mayBeNull(a: ExprInfo): boolean {
  return a.isNull === true || (a.nullable && a.type.kind !== "Unknown");
}

/**
 * CONCAT read as what it computes in the model's dialect, so that P001's rewrites are not logic
 * changes: DuckDB's skips NULL arguments, so an argument `COALESCE(x, '')` (or
 * `COALESCE(CAST(x AS VARCHAR), '')`) is x; elsewhere any NULL argument makes it NULL, as `a || b` does.
 */
function concatFp(name: string, fn: FunctionExpr, args: readonly ExprInfo[], dialect: DialectId): string | undefined {
  if (name !== "CONCAT" || args.length < 2) return undefined;
  if (dialect !== "duckdb") {
    let fp = args[0].fp;
    for (let i = 1; i < args.length; i++) fp = binaryFp("||", fp, args[i].fp);
    return fp;
  }
  let changed = false;
  const parts = args.map((a, i) => {
    const inner = uncoalescedFp(fn.args[i], a.fp);
    if (inner !== a.fp) changed = true;
    return inner;
  });
  return changed ? `CONCAT(${parts.join(", ")})` : undefined;
}

/** The fingerprint of x in `COALESCE(x, '')` / `COALESCE(CAST(x AS VARCHAR), '')` (DuckDB's CONCAT casts and skips NULLs itself). */
function uncoalescedFp(e: Expr, fp: string): string {
  if (e.kind !== "function" || e.name.length !== 1 || !COALESCING.has(e.name[0].name.toUpperCase()) || e.args.length !== 2) return fp;
  const empty = e.args[1];
  if (empty.kind !== "literal" || empty.type !== "string" || empty.value !== "") return fp;
  const head = /^[A-Z]+\(/.exec(fp)?.[0];
  if (head === undefined || !fp.endsWith(", '')")) return fp;
  const inner = fp.slice(head.length, -", '')".length);
  const x = e.args[0];
  if (x.kind === "cast" && x.style !== "try_cast" && x.style !== "safe_cast") {
    const suffix = ` AS ${formatType(T.String)})`;
    if (inner.startsWith("CAST(") && inner.endsWith(suffix)) return inner.slice("CAST(".length, -suffix.length);
  }
  return inner;
}

/** A call's first argument's fingerprint, with a date-part string folded to lower case. */
/**
 * A date part is the same part however it is written: `day`, `'DAY'`, `'days'`, `dd` are one
 * (`'day'`). Each spelling is mapped as every dialect that accepts it reads it.
 */
function firstArgFp(name: string, a: ExprInfo): string {
  if (a.literal === undefined || !DATE_PART_FIRST.has(name)) return a.fp;
  if (!a.fp.startsWith("'") && !DATE_PARTS.has(a.fp.toLowerCase())) return a.fp;
  const part = a.literal.toLowerCase();
  return quote(DATE_PART_SYNONYMS.get(part) ?? part);
}

/**
 * An interval of one unit is the same however it is written: `INTERVAL '1 day'`, `INTERVAL 1 DAY`,
 * `INTERVAL '1' DAYS` are `INTERVAL 1 DAY`. Anything else keeps its text.
 */
function intervalFp(e: IntervalExpr, v: ExprInfo): string {
  const written = `INTERVAL ${v.fp}${e.unit ? ` ${e.unit.toUpperCase()}` : ""}`;
  const value = e.value.kind === "literal" && (e.value.type === "string" || e.value.type === "number") ? e.value.value : undefined;
  if (value === undefined) return written;
  const m = /^\s*([+-]?\d+(?:\.\d+)?)\s*([a-z_]+)?\s*$/i.exec(value);
  const unit = m?.[2] ?? e.unit;
  if (m === null || unit === undefined || (m[2] !== undefined && e.unit !== undefined)) return written;
  const part = unit.toLowerCase();
  return `INTERVAL ${Number(m[1])} ${(DATE_PART_SYNONYMS.get(part) ?? part).toUpperCase()}`;
}

/** Date-part spellings that name the same part in every dialect that accepts them. */
const DATE_PART_SYNONYMS: ReadonlyMap<string, string> = new Map(
  Object.entries({
    year: "years y yy yyy yyyy yr yrs",
    quarter: "quarters q qtr qtrs",
    month: "months mm mon mons",
    week: "weeks w wk",
    day: "days d dd dayofmonth",
    hour: "hours h hh hr hrs",
    minute: "minutes m mi min mins",
    second: "seconds s sec secs",
    millisecond: "milliseconds ms msec msecs",
    microsecond: "microseconds us usec usecs",
    nanosecond: "nanoseconds ns nsec nsecs",
  }).flatMap(([part, spellings]) => spellings.split(" ").map((s) => [s, part] as const)),
);

function quote(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

function fnName(fn: FunctionExpr): string {
  return (fn.name[fn.name.length - 1]?.name ?? "").toUpperCase();
}

/**
 * A pivoted column's name, as each warehouse makes it from the value (`JAN`, or `JAN_east` for two
 * pivot columns) and the aggregate: DuckDB adds the aggregate's alias, or its text when there are
 * several (`JAN_total`, `JAN_sum(amount)`); Databricks only when there are several; BigQuery puts
 * the alias first (`total_JAN`); Snowflake has a single aggregate and names by value alone.
 */
function pivotColumnName(dialect: DialectId, value: string, aggCount: number, alias: string | undefined, agg: Expr): string {
  switch (dialect) {
    case "duckdb":
      if (alias !== undefined) return `${value}_${alias}`;
      return aggCount > 1 ? `${value}_${aggregateText(agg, true)}` : value;
    case "databricks":
      return aggCount > 1 ? `${value}_${alias ?? aggregateText(agg, false)}` : value;
    case "bigquery":
      return alias !== undefined ? `${alias}_${value}` : value;
    default:
      return value;
  }
}

/** An aggregate as DuckDB and Spark print it in a pivoted column's name: `sum(amount)`, DuckDB's `count_star()`. */
function aggregateText(agg: Expr, duckdb: boolean): string {
  if (agg.kind !== "function") return printExpr(agg);
  const name = agg.name[agg.name.length - 1].name.toLowerCase();
  if (agg.star) return duckdb && name === "count" ? "count_star()" : `${name}(*)`;
  return `${name}(${agg.distinct ? "DISTINCT " : ""}${agg.args.map((a) => printExpr(a)).join(", ")})`;
}

function literalText(e: Expr): string | undefined {
  if (e.kind === "literal" && e.type !== "null") return e.value;
  return undefined;
}

function columnNames(e: Expr): string[] {
  const out: string[] = [];
  const visit = (x: Expr): void => {
    if (x.kind === "column") out.push(x.parts[x.parts.length - 1].name.toLowerCase());
    if (x.kind === "function") x.args.forEach(visit);
    if (x.kind === "binary") {
      visit(x.left);
      visit(x.right);
    }
    if (x.kind === "cast") visit(x.expr);
  };
  visit(e);
  return out;
}

/** ORDER BY items as a fingerprint: NULLS FIRST/LAST written where it is the dialect's default reads as unwritten (P001's rewrite writes it). */
function orderText(items: readonly OrderItem[], infos: readonly ExprInfo[], dialect: DialectId): string {
  const nulls = (o: OrderItem) => (o.nullsFirst === undefined || o.nullsFirst === nullsFirstByDefault(dialect, o.desc) ? "" : o.nullsFirst ? " NULLS FIRST" : " NULLS LAST");
  return items.map((o, i) => `${infos[i]?.fp ?? "?"}${o.desc ? " DESC" : ""}${nulls(o)}`).join(", ");
}

function windowText(w: WindowSpec, parts: readonly ExprInfo[], dialect: DialectId): string {
  // The partition keys are a set; the ORDER BY keys are not.
  const pb = sortedFps(parts.slice(0, w.partitionBy.length));
  const ob = orderText(w.orderBy, parts.slice(w.partitionBy.length), dialect);
  const out: string[] = [];
  if (w.baseName) out.push(w.baseName.name.toLowerCase());
  if (pb.length) out.push(`PARTITION BY ${pb.join(", ")}`);
  if (w.orderBy.length) out.push(`ORDER BY ${ob}`);
  if (w.frame) out.push(w.frame.text.toUpperCase());
  return out.join(" ");
}

/** The output name of an unaliased select item: a column's own name, a field's name, a function's name. */
function outputName(e: Expr, i: number): string {
  switch (e.kind) {
    case "column":
      return e.parts[e.parts.length - 1].name;
    case "field":
      return e.field.name;
    case "cast":
      return e.expr.kind === "column" ? e.expr.parts[e.expr.parts.length - 1].name : `_col${i}`;
    case "function":
      return (e.name[e.name.length - 1]?.name ?? `_col${i}`).toLowerCase();
    default:
      return `_col${i}`;
  }
}

/** The names a DuckDB `COLUMNS(...)` call selects, as a test; undefined when its selector cannot be read as one. */
function columnsSelector(call: FunctionExpr): ((name: string) => boolean) | undefined {
  const selector = call.args[0];
  if (call.star) return () => true;
  if (selector?.kind === "star" && selector.qualifier === undefined && selector.replace === undefined && selector.rename === undefined) return starKeeps(selector);
  if (selector?.kind === "literal" && selector.type === "string") {
    const re = safeRegExp(selector.value);
    return re === undefined ? undefined : (name) => re.test(name);
  }
  if (selector?.kind === "array" && selector.elements.every((x) => x.kind === "literal" && x.type === "string")) {
    const wanted = new Set(selector.elements.map((x) => (x as { value: string }).value.toLowerCase()));
    return (name) => wanted.has(name.toLowerCase());
  }
  if (selector?.kind === "lambda" && selector.params.length === 1) return nameTest(selector.body, selector.params[0].name.toLowerCase());
  return undefined;
}

/**
 * The query's ORDER BY items over one SELECT that surely read its inputs: those that name no output
 * column by a one-part name (ORDER BY binds those first) and hold no subquery, EXISTS or lambda.
 */
function sortKeysOnInputs(orderBy: readonly OrderItem[] | undefined, columns: readonly RelColumn[]): Expr[] {
  if (orderBy === undefined || orderBy.length === 0) return [];
  const outputs = new Set(columns.map((c) => c.name.toLowerCase()));
  const out: Expr[] = [];
  for (const o of orderBy) if (!namesOutputOrNests(o.expr, outputs)) out.push(o.expr);
  return out;
}

/** `e` names one of `outputs` by a one-part name, or holds a subquery, EXISTS or a lambda (sortKeysOnInputs leaves it out). */
function namesOutputOrNests(e: Expr, outputs: ReadonlySet<string>): boolean {
  if (e.kind === "column") return e.parts.length === 1 && outputs.has(e.parts[0].name.toLowerCase());
  if (e.kind === "subquery" || e.kind === "exists" || e.kind === "in_subquery" || e.kind === "lambda") return true;
  for (const c of exprChildren(e)) if (namesOutputOrNests(c, outputs)) return true;
  return false;
}

/** The DuckDB `COLUMNS(...)` call in a select item, if it has one (not inside a subquery, which expands its own). */
function findColumnsCall(e: Expr): FunctionExpr | undefined {
  if (e.kind === "column" || e.kind === "literal") return undefined;
  if (e.kind === "function" && e.name.length === 1 && (e.args.length === 1 || e.star) && e.over === undefined && e.name[0].name.toUpperCase() === "COLUMNS") return e;
  for (const c of exprChildren(e)) {
    const found = findColumnsCall(c);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * A `COLUMNS(c -> ...)` lambda body as a test on the column name, for the forms a name filter
 * takes: [NOT] LIKE / ILIKE / SIMILAR TO, = and <>, [NOT] IN (...), starts_with / ends_with /
 * contains / regexp_matches, combined with AND, OR and NOT. Anything else: undefined (unknown).
 */
function nameTest(body: Expr, param: string): ((name: string) => boolean) | undefined {
  const isParam = (x: Expr) => x.kind === "column" && x.parts.length === 1 && x.parts[0].name.toLowerCase() === param;
  const str = (x: Expr) => (x.kind === "literal" && x.type === "string" ? x.value : undefined);
  switch (body.kind) {
    case "like": {
      const pattern = str(body.pattern);
      if (!isParam(body.expr) || pattern === undefined || body.quantifier !== undefined || body.escape !== undefined) return undefined;
      const re = body.op === "LIKE" || body.op === "ILIKE" || body.op === "SIMILAR TO" ? patternRegExp(body.op, pattern) : undefined;
      if (re === undefined) return undefined;
      return body.not ? (n) => !re.test(n) : (n) => re.test(n);
    }
    case "binary": {
      if (body.op === "AND" || body.op === "OR") {
        const a = nameTest(body.left, param);
        const b = nameTest(body.right, param);
        if (a === undefined || b === undefined) return undefined;
        return body.op === "AND" ? (n) => a(n) && b(n) : (n) => a(n) || b(n);
      }
      if (body.op !== "=" && body.op !== "<>" && body.op !== "!=") return undefined;
      const value = isParam(body.left) ? str(body.right) : isParam(body.right) ? str(body.left) : undefined;
      if (value === undefined) return undefined;
      return body.op === "=" ? (n) => n === value : (n) => n !== value;
    }
    case "unary": {
      if (body.op !== "NOT") return undefined;
      const a = nameTest(body.operand, param);
      return a === undefined ? undefined : (n) => !a(n);
    }
    case "in_list": {
      const values = body.list.map(str);
      if (!isParam(body.expr) || values.some((v) => v === undefined)) return undefined;
      const set = new Set(values as string[]);
      return body.not ? (n) => !set.has(n) : (n) => set.has(n);
    }
    case "function": {
      const fn = body.name.length === 1 ? body.name[0].name.toLowerCase() : "";
      const arg = body.args.length === 2 && isParam(body.args[0]) ? str(body.args[1]) : undefined;
      if (arg === undefined) return undefined;
      if (fn === "starts_with" || fn === "prefix") return (n) => n.startsWith(arg);
      if (fn === "ends_with" || fn === "suffix") return (n) => n.endsWith(arg);
      if (fn === "contains") return (n) => n.includes(arg);
      if (fn === "regexp_matches") {
        const re = safeRegExp(arg);
        return re === undefined ? undefined : (n) => re.test(n);
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

/** Which column names a star keeps: not EXCLUDEd, and matching its `* [NOT] LIKE / ILIKE / SIMILAR TO` filter if it has one. */
function starKeeps(star: StarExpr): (name: string) => boolean {
  const exclude = new Set((star.exclude ?? []).map((x) => x.name.toLowerCase()));
  const p = star.pattern;
  if (p === undefined) return (n) => !exclude.has(n.toLowerCase());
  // A SIMILAR TO pattern JavaScript cannot read matches nothing.
  const re = patternRegExp(p.op, p.value) ?? /(?!)/;
  return (n) => !exclude.has(n.toLowerCase()) && re.test(n) !== p.not;
}

/** A name pattern as an anchored RegExp: LIKE / ILIKE (`%`, `_`, no escape) or SIMILAR TO; undefined when JavaScript cannot read it. */
function patternRegExp(op: "LIKE" | "ILIKE" | "SIMILAR TO", pattern: string): RegExp | undefined {
  if (op === "SIMILAR TO") return safeRegExp(`^(?:${pattern})$`);
  const body = escapeRegExp(pattern).replace(/%/g, ".*").replace(/_/g, ".");
  return new RegExp(`^${body}$`, op === "ILIKE" ? "is" : "s");
}

/** A DuckDB (RE2) pattern as a JavaScript RegExp, searched anywhere in the name; undefined when JavaScript cannot read it. */
function safeRegExp(pattern: string): RegExp | undefined {
  try {
    return new RegExp(pattern);
  } catch {
    return undefined;
  }
}

/** An argument, operand or branch with what inference made of it. */
interface Operand {
  readonly expr: Expr;
  readonly info: ExprInfo;
}

/** An inferred expression as DuckDB's binder sees it: a string literal converts freely, a string column does not. */
function bound(info: ExprInfo): BoundArg {
  return { type: info.type, stringLiteral: info.literal !== undefined && info.type.kind === "String" };
}

/** The singular or plural verb for a list of names. */
function verb(names: readonly string[], one: string, many: string): string {
  return names.length === 1 ? one : many;
}

/**
 * How I002's help ends when its Unknown columns are left by an error of the model itself (an
 * unknown table or column): the review folds such an I002 into that error (review/src/report/fold-consequences.ts).
 */
export const UNRESOLVED_COLUMNS_HELP = "not resolve: see the error in this model";

/** At most three names, then "+N more". */
function listed(names: readonly string[]): string {
  const shown = names.slice(0, 3).join(", ");
  return names.length > 3 ? `${shown} +${names.length - 3} more` : shown;
}

/** I001's help: the columns the star selects (the first 12, then a count). */
function columnListHint(columns: readonly { readonly name: string }[], qualifier: string | undefined): string | undefined {
  if (columns.length === 0) return undefined;
  const shown = columns.slice(0, 12).map((c) => (qualifier ? `${qualifier}.${c.name}` : c.name));
  const rest = columns.length - shown.length;
  return `list the ${columns.length === 1 ? "column" : `${columns.length} columns`} it selects: ${shown.join(", ")}${rest > 0 ? `, and ${rest} more` : ""}`;
}

/** Whether a divisor may be zero: anything but a non-zero number literal. */
function mayBeZero(divisor: ExprInfo | undefined): boolean {
  const text = divisor?.literal;
  if (divisor === undefined || text === undefined || divisor.type.kind === "String") return true;
  const n = Number(text.replace(/_/g, ""));
  return Number.isNaN(n) || n === 0;
}

/** DuckDB's functions that take a lambda (list_transform and its aliases); in any other, `x -> 'path'` is JSON's `->`. */
const DUCKDB_LAMBDA_FUNCTIONS: ReadonlySet<string> = new Set(
  "LIST_TRANSFORM ARRAY_TRANSFORM APPLY LIST_APPLY ARRAY_APPLY LIST_FILTER ARRAY_FILTER FILTER LIST_REDUCE ARRAY_REDUCE REDUCE COLUMNS".split(" "),
);

/** A one-parameter "lambda" whose body is a string or number literal, in a function that takes no lambda: `j->'$.a'`. */
function isJsonArrow(a: LambdaExpr, fnName: string): boolean {
  return a.params.length === 1 && a.body.kind === "literal" && (a.body.type === "string" || a.body.type === "number") && !DUCKDB_LAMBDA_FUNCTIONS.has(fnName);
}

/** Whether a window frame may hold no row: one that starts after the current row, ends before it, or excludes it. */
function frameMayBeEmpty(frame: WindowFrame | undefined): boolean {
  if (frame === undefined) return false;
  if (/ EXCLUDE (CURRENT ROW|GROUP)$/.test(frame.text)) return true;
  const m = /^\w+ BETWEEN (.+) AND (.+?)(?: EXCLUDE [A-Z ]+)?$/.exec(frame.text);
  if (m === null) return false;
  const [, start, end] = m;
  return (start.endsWith(" FOLLOWING") && start !== "UNBOUNDED FOLLOWING") || (end.endsWith(" PRECEDING") && end !== "UNBOUNDED PRECEDING");
}

/**
 * Recursive-descent parser for queries with a precedence-climbing (Pratt) expression parser.
 * Produces exactly the tree in ast.ts. Errors are thrown as `ParseFailure` internally and turned
 * into a `ParseError` by parse-sql.ts; nothing here is exported to other stages but `Parser`.
 */
import type { Dialect } from "../dialects/dialect.js";
import type {
  ConnectBy,
  Cte,
  Expr,
  FunctionExpr,
  GroupBy,
  Ident,
  OrderItem,
  ParseError,
  MatchRecognizeRef,
  PivotTableRef,
  Query,
  Select,
  SelectItem,
  SetExpr,
  Span,
  StarExpr,
  TableAlias,
  TableRef,
  TypedLiteralExpr,
  TypeName,
  ValuesBody,
  WindowFrame,
  WindowSpec,
} from "./ast.js";
import { PREC_ADD, PREC_AND, PREC_AT, PREC_BIT, PREC_CMP, PREC_CONCAT, PREC_MUL, PREC_OR, PREC_POW, WORD_PREFIX_OPS } from "./precedence.js";
import { didYouMean } from "../util/did-you-mean.js";
import { printExpr, quoteString } from "./print-sql.js";
import { markWithoutColumnsCalls, markWithoutSubqueryExprs } from "./walk.js";
import { T_EOF, T_ERROR, T_NUMBER, T_OP, T_PARAM, T_QIDENT, T_STRING, T_WORD, type Tokens } from "./tokenize.js";

/** Deepest recursion (parentheses, subqueries, prefix operators) before "expression nested too deeply". */
export const MAX_NESTING = 256;
/**
 * Deepest tree the parser returns, counted in nodes that have a `kind` (expressions, queries, FROM items).
 * Later stages walk trees recursively (the analyzer gives up at 1000 levels), so a long left-deep
 * operator chain (`a OR b OR ...` thousands of times) is an error here rather than a crash there.
 */
export const MAX_TREE_DEPTH = 900;

export class ParseFailure {
  constructor(readonly error: ParseError) {}
}



const NILADIC = new Set(["CURRENT_DATE", "CURRENT_TIMESTAMP", "CURRENT_TIME", "LOCALTIME", "LOCALTIMESTAMP", "CURRENT_USER", "SESSION_USER"]);
/** The type names a typed literal `TYPE 'text'` may have in any dialect (DuckDB takes more: Dialect.typedLiteralTypes). */
export const TYPED_LITERALS: ReadonlySet<string> = new Set([
  "DATE",
  "TIME",
  "TIMESTAMP",
  "TIMESTAMPTZ",
  "TIMESTAMP_NTZ",
  "TIMESTAMP_LTZ",
  "TIMESTAMP_TZ",
  "DATETIME",
  "NUMERIC",
  "BIGNUMERIC",
  "DECIMAL",
  "JSON",
  "UUID",
]);
const INTERVAL_UNITS = new Set([
  "YEAR", "YEARS", "MONTH", "MONTHS", "DAY", "DAYS", "HOUR", "HOURS", "MINUTE", "MINUTES", "SECOND", "SECONDS", "WEEK", "WEEKS",
  "QUARTER", "QUARTERS", "MILLISECOND", "MILLISECONDS", "MICROSECOND", "MICROSECONDS", "NANOSECOND", "NANOSECONDS",
  "DECADE", "DECADES", "CENTURY", "CENTURIES", "MILLENNIUM", "MILLENNIA", "DAYOFWEEK", "DAYOFYEAR", "ISOWEEK", "ISOYEAR", "EPOCH",
]);
/** Reserved words here that Spark takes as a column's name where an expression starts (Parser.keywordAsColumn). */
const SPARK_NAMES = new Set(["VALUES", "ORDER", "GROUP", "WINDOW", "LIMIT", "OFFSET", "FETCH", "QUALIFY", "SORT", "CLUSTER", "DISTRIBUTE", "PIVOT", "UNPIVOT", "LEFT", "RIGHT"]);
/** Words that never start a function call even when followed by `(`. */
const NOT_FUNCTIONS = new Set([
  "SELECT", "FROM", "WHERE", "GROUP", "HAVING", "ORDER", "LIMIT", "UNION", "INTERSECT", "EXCEPT", "MINUS", "WITH", "ON",
  "AND", "OR", "NOT", "AS", "JOIN", "WHEN", "THEN", "ELSE", "END", "QUALIFY", "BY", "IN", "IS", "BETWEEN", "LIKE",
  "ILIKE", "USING", "OVER", "DISTINCT", "INNER", "CROSS", "NATURAL", "FULL", "OUTER", "INTO", "FOR", "VALUES", "LATERAL",
]);
const CLAUSE_END = new Set([
  "FROM", "WHERE", "GROUP", "HAVING", "WINDOW", "QUALIFY", "ORDER", "LIMIT", "OFFSET", "FETCH", "UNION", "INTERSECT", "EXCEPT", "MINUS",
]);
const WINDOW_WORDS = new Set(["PARTITION", "ORDER", "ROWS", "RANGE", "GROUPS"]);
/** Keywords a misspelt word after a complete clause most likely meant. */
/** Reserved words that start an expression (a select item after a missing comma). */
const EXPRESSION_KEYWORDS: ReadonlySet<string> = new Set(["CASE", "CAST", "TRY_CAST", "NOT", "EXISTS", "NULL", "TRUE", "FALSE", "INTERVAL", "DATE", "TIMESTAMP", "CURRENT_DATE", "CURRENT_TIMESTAMP", "EXTRACT"]);
/** Keywords whose running together (`GROUPBY`, `LEFTJOIN`) a left-over token is blamed on. */
const RUN_TOGETHER: ReadonlySet<string> = new Set(["GROUP", "ORDER", "PARTITION", "BY", "LEFT", "RIGHT", "INNER", "OUTER", "FULL", "CROSS", "JOIN", "UNION", "ALL", "DISTINCT"]);
/** Where a left-over value's condition started: these start one, the rest end its search. */
const CONDITION_STARTS: ReadonlySet<string> = new Set(["WHERE", "HAVING", "QUALIFY", "ON", "AND", "OR"]);
const CLAUSE_OR_CONDITION: ReadonlySet<string> = new Set([...CONDITION_STARTS, "SELECT", "FROM", "JOIN", "GROUP", "ORDER", "BY", "LIMIT", "WINDOW", "UNION", "INTERSECT", "EXCEPT", "CASE", "WHEN", "THEN", "ELSE", "END", "AS", "USING"]);

const TYPO_KEYWORDS = [
  "FROM", "WHERE", "GROUP", "HAVING", "WINDOW", "QUALIFY", "ORDER", "LIMIT", "OFFSET", "UNION", "INTERSECT", "EXCEPT", "JOIN", "INNER",
  "LEFT", "RIGHT", "FULL", "CROSS", "SELECT",
];
const LIKE_OPS = new Set(["LIKE", "ILIKE", "RLIKE", "REGEXP", "SIMILAR", "GLOB"]);

export class Parser {
  private pos = 0;
  private depth = 0;
  /** Subquery expressions (scalar, EXISTS, IN, ARRAY) built so far: a query whose parse adds none has none inside. */
  private exprQueries = 0;
  /** DuckDB `COLUMNS(...)` calls parsed so far (queries without one are marked for the analyzer). */
  private columnsCalls = 0;
  private readonly kinds: Uint8Array;
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;
  private readonly lines: Int32Array;
  private readonly cols: Int32Array;
  private readonly texts: string[];
  private readonly uppers: string[];
  private readonly reserved: ReadonlySet<string>;

  constructor(
    private readonly t: Tokens,
    private readonly d: Dialect,
  ) {
    this.kinds = t.kinds;
    this.starts = t.starts;
    this.ends = t.ends;
    this.lines = t.lines;
    this.cols = t.cols;
    this.texts = t.texts;
    this.uppers = t.uppers;
    this.reserved = d.reserved;
  }

  // ---------------------------------------------------------------------------------------------
  // Token helpers
  // ---------------------------------------------------------------------------------------------

  private isOp(text: string, at = this.pos): boolean {
    return this.kinds[at] === T_OP && this.texts[at] === text;
  }

  private isKw(upper: string, at = this.pos): boolean {
    return this.kinds[at] === T_WORD && this.uppers[at] === upper;
  }

  private eatOp(text: string): boolean {
    if (this.kinds[this.pos] === T_OP && this.texts[this.pos] === text) {
      this.pos++;
      return true;
    }
    return false;
  }

  private eatKw(upper: string): boolean {
    if (this.kinds[this.pos] === T_WORD && this.uppers[this.pos] === upper) {
      this.pos++;
      return true;
    }
    return false;
  }

  private expectOp(text: string): void {
    if (!this.eatOp(text)) this.fail([text]);
  }

  private expectKw(upper: string): void {
    if (!this.eatKw(upper)) this.fail([upper]);
  }

  /** The upper-case spelling of any word token (keywords come precomputed; others are upper-cased here). */
  private upperAt(i: number): string {
    return this.uppers[i] || this.texts[i].toUpperCase();
  }

  private tokSpan(i: number): Span {
    return { start: this.starts[i], end: this.ends[i], line: this.lines[i], col: this.cols[i] };
  }

  /** Span from token `from` to the last consumed token. */
  private span(from: number): Span {
    const last = this.pos > from ? this.pos - 1 : from;
    return { start: this.starts[from], end: this.ends[last], line: this.lines[from], col: this.cols[from] };
  }

  describe(i: number): string {
    const k = this.kinds[i];
    const text = this.texts[i];
    switch (k) {
      case T_EOF:
        return "end of input";
      case T_WORD:
        return this.reserved.has(this.uppers[i]) ? `keyword ${this.uppers[i]}` : `identifier "${text}"`;
      case T_QIDENT:
        return `quoted identifier ${String.fromCharCode(this.d.identQuote)}${clip(text)}${String.fromCharCode(this.d.identQuote)}`;
      case T_STRING:
        return `string '${clip(text)}'`;
      case T_NUMBER:
        return `number ${clip(text)}`;
      case T_PARAM:
        return `parameter ${text}`;
      default:
        return `'${text}'`;
    }
  }

  /**
   * Throw "expected <what>, found <what>" at the current token. When the token is a plain word close to
   * a keyword that would fit here (`FORM`, `GRUOP`, `SELCT`), say which: analysts' commonest syntax error.
   */
  fail(expected: readonly string[], hint?: string, alsoKeywords?: Iterable<string>): never {
    const i = this.pos;
    if (this.kinds[i] === T_ERROR && this.t.lexError) throw new ParseFailure(this.t.lexError);
    let why = hint;
    if (why === undefined && this.isOp("{", i) && this.isOp("{", i + 1)) why = "Jinja templates are not Rocky SQL: write the model or table name itself";
    if (why === undefined && !this.d.regexpOperators) why = this.regexpOperatorHint(i);
    // `SELECT a FORM t`: the misspelt keyword was taken as an alias; the error is one token later.
    const prev = i - 1;
    if (why === undefined && alsoKeywords && prev > 0 && this.kinds[prev] === T_WORD && !this.reserved.has(this.uppers[prev]) && !this.isKw("AS", prev - 1)) {
      const guess = keywordTypo(this.texts[prev], alsoKeywords);
      if (guess !== undefined) why = `is "${this.texts[prev]}" a misspelt ${guess}?`;
    }
    if (why === undefined && this.kinds[i] === T_WORD && !this.reserved.has(this.uppers[i])) {
      const candidates = expected.filter((e) => /^[A-Z][A-Z_]*$/.test(e));
      if (alsoKeywords) for (const k of alsoKeywords) candidates.push(k);
      const guess = keywordTypo(this.texts[i], candidates);
      if (guess !== undefined) why = `did you mean ${guess}?`;
    }
    const message = `expected ${joinExpected(expected)}, found ${this.describe(i)}${why ? ` (${why})` : ""}`;
    throw new ParseFailure({ message, span: this.tokSpan(i), expected });
  }

  /** Near token `i`, a `RLIKE` / `REGEXP` operator this dialect does not have: what to write instead. */
  private regexpOperatorHint(i: number): string | undefined {
    for (const k of [i - 1, i, i + 1]) {
      if (k < 0 || this.kinds[k] !== T_WORD || (this.uppers[k] !== "RLIKE" && this.uppers[k] !== "REGEXP")) continue;
      const instead = this.d.id === "bigquery" ? "REGEXP_CONTAINS(value, pattern)" : "regexp_matches(value, pattern)";
      return `${this.d.id === "bigquery" ? "BigQuery" : "DuckDB"} has no ${this.uppers[k]} operator: use ${instead}, which matches anywhere in the value`;
    }
    return undefined;
  }

  private failNested(): never {
    throw new ParseFailure({ message: "expression nested too deeply", span: this.tokSpan(this.pos), expected: [] });
  }

  private enter(): void {
    if (++this.depth > MAX_NESTING) this.failNested();
  }

  // ---------------------------------------------------------------------------------------------
  // Statement and query
  // ---------------------------------------------------------------------------------------------

  parseStatement(): Query {
    if (this.kinds[this.pos] === T_EOF) this.fail(["a query"], "the model has no SQL, only comments or nothing: a model is one query");
    const q = this.parseQuery();
    // A tree deeper than MAX_TREE_DEPTH needs at least that many tokens: only big inputs are measured.
    if (this.t.count > MAX_TREE_DEPTH) {
      const deep = findTooDeep(q, MAX_TREE_DEPTH);
      if (deep) throw new ParseFailure({ message: "expression nested too deeply", span: deep, expected: [] });
    }
    while (this.eatOp(";")) {
      // trailing semicolons (`;;` is an empty statement, not a second query)
    }
    if (this.kinds[this.pos] !== T_EOF) {
      if (this.kinds[this.pos] === T_ERROR) this.fail(["end of input"]);
      this.fail(this.pos > 0 && this.isOp(";", this.pos - 1) ? ["end of input (a model is one query)"] : ["end of input"], this.leftoverHint(this.pos), TYPO_KEYWORDS);
    }
    return q;
  }

  /**
   * After a select item, a token that starts another (`sum(x) AS total` then `trunc(d) AS day` on the
   * next line): the comma between them is missing. Not when either word is a misspelt keyword
   * (`SELECT a FORM t`), which fail() says.
   */
  private missingCommaHint(i: number): string | undefined {
    const k = this.kinds[i];
    const starts = k === T_NUMBER || k === T_STRING || k === T_QIDENT || k === T_PARAM || (k === T_WORD && (!this.reserved.has(this.uppers[i]) || EXPRESSION_KEYWORDS.has(this.uppers[i])));
    if (!starts) return undefined;
    for (const at of [i - 1, i]) if (this.kinds[at] === T_WORD && keywordTypo(this.texts[at], TYPO_KEYWORDS) !== undefined) return undefined;
    return "is a comma missing before it?";
  }

  /**
   * What most likely went wrong where a whole query was read and token `i` is left over (an error
   * path only): a condition followed by another with no AND or OR between, a space missing before
   * IS (`t.xis not null`), or two keywords run together (`GROUPBY a`, taken as an alias).
   */
  private leftoverHint(i: number): string | undefined {
    const prev = i - 1;
    if (prev < 0) return undefined;
    const word = this.kinds[prev] === T_WORD ? this.texts[prev] : "";
    const upper = word.toUpperCase();
    if (this.isKw("NOT", i) && this.isKw("NULL", i + 1)) {
      return upper.length > 2 && upper.endsWith("IS") ? `is a space missing in "${word}" (${word.slice(0, -2)} ${word.slice(-2)} not null)?` : "write IS NOT NULL";
    }
    for (let k = 2; k <= upper.length - 2; k++) {
      const left = upper.slice(0, k);
      const right = upper.slice(k);
      if (RUN_TOGETHER.has(left) && RUN_TOGETHER.has(right) && !this.reserved.has(upper)) return `is "${word}" meant as ${left} ${right}?`;
    }
    // A value, then a value at the same depth of the same condition: the AND (or OR) between them is missing.
    const startsOperand = this.kinds[i] === T_NUMBER || this.kinds[i] === T_STRING || this.kinds[i] === T_QIDENT || (this.kinds[i] === T_WORD && !this.reserved.has(this.uppers[i])) || this.isOp("(", i);
    const endsOperand = this.kinds[prev] === T_NUMBER || this.kinds[prev] === T_STRING || this.kinds[prev] === T_QIDENT || this.kinds[prev] === T_WORD || this.isOp(")", prev);
    if (!startsOperand || !endsOperand) return undefined;
    // A misspelt keyword (`GRUOP BY`) is said as that by fail().
    if (this.kinds[i] === T_WORD && keywordTypo(this.texts[i], TYPO_KEYWORDS) !== undefined) return undefined;
    let depth = 0;
    for (let k = prev; k >= 0; k--) {
      if (this.isOp(")", k)) depth++;
      else if (this.isOp("(", k)) {
        if (depth === 0) return undefined;
        depth--;
      } else if (depth === 0 && this.kinds[k] === T_WORD && CLAUSE_OR_CONDITION.has(this.uppers[k])) {
        return CONDITION_STARTS.has(this.uppers[k]) ? "is an AND or OR missing before it?" : undefined;
      }
    }
    return undefined;
  }

  parseQuery(): Query {
    this.enter();
    const start = this.pos;
    const exprQueriesBefore = this.exprQueries;
    const columnsCallsBefore = this.columnsCalls;
    let withClause: Query["with"];
    if (this.eatKw("WITH")) {
      const recursive = this.eatKw("RECURSIVE");
      const ctes: Cte[] = [];
      do ctes.push(this.parseCte());
      while (this.eatOp(","));
      withClause = { recursive, ctes: fit(ctes) };
    }
    const body = this.parseSetExpr(0);
    let orderBy: OrderItem[] | undefined;
    let limit: Expr | undefined;
    let limitPercent = false;
    let offset: Expr | undefined;
    let orderByAll: Query["orderByAll"];
    if (this.isKw("ORDER")) {
      const os = this.pos++;
      this.expectKw("BY");
      if (this.isKw("ALL") && !this.isOp("(", this.pos + 1)) {
        this.pos++;
        const desc = this.eatKw("DESC");
        if (!desc) this.eatKw("ASC");
        let nullsFirst: boolean | undefined;
        if (this.eatKw("NULLS")) {
          nullsFirst = this.eatKw("FIRST");
          if (!nullsFirst) this.expectKw("LAST");
        }
        orderByAll = nullsFirst === undefined ? { desc, span: this.span(os) } : { desc, nullsFirst, span: this.span(os) };
      } else orderBy = this.parseOrderItems(true);
    }
    // Spark's CLUSTER BY / DISTRIBUTE BY / SORT BY only place rows across and within partitions: parsed, not kept.
    while (this.d.id === "databricks" && (this.isKw("CLUSTER") || this.isKw("DISTRIBUTE") || this.isKw("SORT")) && this.isKw("BY", this.pos + 1)) {
      const sort = this.isKw("SORT");
      this.pos += 2;
      if (sort) this.parseOrderItems();
      else this.parseExprList();
    }
    for (;;) {
      if (this.eatKw("LIMIT")) {
        if (this.eatKw("ALL")) continue;
        const read = this.parseLimit();
        limit = read.expr;
        if (read.percent) {
          limitPercent = true;
          continue;
        }
        if (this.eatOp(",")) {
          offset = limit;
          limit = this.parseExpr();
        }
        continue;
      }
      if (this.eatKw("OFFSET")) {
        offset = this.parseExpr();
        if (!this.eatKw("ROWS")) this.eatKw("ROW");
        continue;
      }
      if (this.isKw("FETCH")) {
        this.pos++;
        if (!this.eatKw("FIRST")) this.expectKw("NEXT");
        limit = this.isKw("ROW") || this.isKw("ROWS") ? { kind: "literal", type: "number", value: "1", span: this.tokSpan(this.pos) } : this.parseExpr();
        if (!this.eatKw("ROWS")) this.expectKw("ROW");
        this.expectKw("ONLY");
        continue;
      }
      break;
    }
    this.depth--;
    // Optional fields set directly, in withOptional's order (the hot nodes skip its key loop).
    const q: Writable<Query> = { kind: "query", body, span: this.span(start) };
    if (withClause !== undefined) q.with = withClause;
    if (orderBy !== undefined) q.orderBy = orderBy;
    if (orderByAll !== undefined) q.orderByAll = orderByAll;
    if (limit !== undefined) q.limit = limit;
    if (limitPercent) q.limitPercent = true;
    if (offset !== undefined) q.offset = offset;
    if (this.exprQueries === exprQueriesBefore) markWithoutSubqueryExprs(q);
    if (this.columnsCalls === columnsCallsBefore) markWithoutColumnsCalls(q);
    return q;
  }

  private parseCte(): Cte {
    const start = this.pos;
    const name = this.parseIdent("a CTE name");
    let columns: Ident[] | undefined;
    if (this.eatOp("(")) {
      columns = this.parseIdentList();
      this.expectOp(")");
    }
    this.expectKw("AS");
    let materialized: boolean | undefined;
    if (this.eatKw("MATERIALIZED")) materialized = true;
    else if (this.isKw("NOT") && this.isKw("MATERIALIZED", this.pos + 1)) {
      this.pos += 2;
      materialized = false;
    }
    this.expectOp("(");
    const query = this.parseQuery();
    this.expectOp(")");
    const cte: Cte = { name, query, span: this.span(start) };
    return withOptional(cte, { columns, materialized });
  }

  private setOpPrec(): number {
    if (this.kinds[this.pos] !== T_WORD) return -1;
    const u = this.uppers[this.pos];
    if (u === "UNION" || u === "EXCEPT") return 1;
    if (u === "MINUS") return this.d.minus ? 1 : -1;
    if (u === "INTERSECT") return 2;
    return -1;
  }

  private parseSetExpr(minPrec: number): SetExpr {
    const start = this.pos;
    let left = this.parseSetPrimary();
    for (;;) {
      const p = this.setOpPrec();
      if (p < 0 || p < minPrec) break;
      const op = this.uppers[this.pos] as "UNION" | "INTERSECT" | "EXCEPT" | "MINUS";
      this.pos++;
      let all = false;
      if (this.eatKw("ALL")) all = true;
      else this.eatKw("DISTINCT");
      let byName = false;
      if (this.isKw("BY") && this.isKw("NAME", this.pos + 1)) {
        this.pos += 2;
        byName = true;
      }
      const right = this.parseSetExpr(p + 1);
      left = { kind: "set_op", op, all, byName, left, right, span: this.span(start) };
    }
    return left;
  }

  private parseSetPrimary(): SetExpr {
    if (this.isKw("SELECT")) return this.parseSelect();
    if (this.d.fromFirst && this.isKw("FROM")) return this.parseSelect();
    if (this.startsPivotStatement(this.pos)) return this.parsePivotStatement();
    if (this.isKw("VALUES")) return this.parseValues();
    if (this.isOp("(")) {
      this.pos++;
      const q = this.parseQuery();
      this.expectOp(")");
      return q;
    }
    return this.fail(["SELECT", "VALUES", "("]);
  }

  private parseValues(): ValuesBody {
    const start = this.pos;
    this.expectKw("VALUES");
    const rows: Expr[][] = [];
    do {
      this.expectOp("(");
      rows.push(this.parseParenList());
      this.expectOp(")");
    } while (this.eatOp(","));
    return { kind: "values", rows: fit(rows), span: this.span(start) };
  }

  // ---------------------------------------------------------------------------------------------
  // SELECT
  // ---------------------------------------------------------------------------------------------

  private parseSelect(): Select {
    const start = this.pos;
    // DuckDB FROM-first: `FROM t [SELECT ...]`; a bare `FROM t` selects *.
    let fromFirst: TableRef[] | undefined;
    if (this.isKw("FROM")) {
      this.pos++;
      fromFirst = [this.parseFromItem()];
      while (this.eatOp(",") && !this.trailingCommaBeforeClause()) fromFirst.push(this.parseFromItem());
      fromFirst = fitGrown(fromFirst);
      if (!this.isKw("SELECT")) {
        const star: StarExpr = { kind: "star", span: this.span(start) };
        return this.parseSelectTail(start, [{ kind: "star", star, span: star.span }], fromFirst, undefined, undefined);
      }
    }
    this.pos++; // SELECT
    let as: Select["as"];
    if (this.d.id === "bigquery" && this.isKw("AS") && (this.isKw("STRUCT", this.pos + 1) || this.isKw("VALUE", this.pos + 1))) {
      as = this.uppers[this.pos + 1] === "STRUCT" ? "STRUCT" : "VALUE";
      this.pos += 2;
    }
    let distinct: Select["distinct"];
    let top: Expr | undefined;
    if (this.isKw("DISTINCT")) {
      const ds = this.pos++;
      let on: Expr[] | undefined;
      if (this.eatKw("ON")) {
        this.expectOp("(");
        on = this.parseParenList();
        this.expectOp(")");
      }
      distinct = on ? { on, span: this.span(ds) } : { span: this.span(ds) };
    } else this.eatKw("ALL");
    if (this.d.top && this.isKw("TOP") && (this.kinds[this.pos + 1] === T_NUMBER || this.kinds[this.pos + 1] === T_PARAM || this.isOp("(", this.pos + 1))) {
      this.pos++;
      top = this.parsePrimary();
    }
    const projection: SelectItem[] = [];
    do {
      if (projection.length > 0 && this.d.trailingCommas && (this.isKw("FROM") || (this.d.id === "duckdb" && this.endsProjection()))) break; // trailing comma
      projection.push(this.parseSelectItem());
    } while (this.eatOp(","));
    this.checkAfterProjection();
    let from: TableRef[] = fromFirst ?? [];
    if (!fromFirst && this.eatKw("FROM")) {
      from = [this.parseFromItem()];
      while (this.eatOp(",") && !this.trailingCommaBeforeClause()) from.push(this.parseFromItem());
      from = fitGrown(from);
    }
    const sel = this.parseSelectTail(start, fit(projection), from, distinct, top);
    return as ? withOptional(sel, { as }) : sel;
  }

  /** WHERE, GROUP BY, HAVING, WINDOW and QUALIFY after the FROM clause. */
  private parseSelectTail(start: number, projection: SelectItem[], from: TableRef[], distinct: Select["distinct"], top: Expr | undefined): Select {
    let where: Expr | undefined;
    let groupBy: GroupBy | undefined;
    let having: Expr | undefined;
    let windows: { name: Ident; spec: WindowSpec }[] | undefined;
    let qualify: Expr | undefined;
    let qualifySpan: Span | undefined;
    let connectBy = this.parseConnectBy();
    if (this.eatKw("WHERE")) where = this.parseExpr();
    connectBy ??= this.parseConnectBy();
    if (this.isKw("GROUP")) {
      const gs = this.pos++;
      this.expectKw("BY");
      if (this.isKw("ALL") && !this.isOp("(", this.pos + 1)) {
        this.pos++;
        groupBy = { all: true, items: [], span: this.span(gs) };
      } else {
        const itemsStart = this.pos;
        let items: Expr[] = [this.parseExpr()];
        while (this.eatOp(",") && !this.trailingCommaBeforeClause()) items.push(this.parseExpr());
        items = fitGrown(items);
        if (this.isKw("WITH") && (this.isKw("ROLLUP", this.pos + 1) || this.isKw("CUBE", this.pos + 1))) {
          // Spark/MySQL `GROUP BY a, b WITH ROLLUP` is `GROUP BY ROLLUP(a, b)`.
          const fnTok = this.pos + 1;
          this.pos += 2;
          const nameSpan = this.tokSpan(fnTok);
          const fn: FunctionExpr = { kind: "function", name: [this.identAt(fnTok)], args: items, nameSpan, span: this.span(itemsStart) };
          items = [fn];
        }
        groupBy = { all: false, items, span: this.span(gs) };
      }
    }
    if (this.eatKw("HAVING")) having = this.parseExpr();
    for (let round = 0; round < 2; round++) {
      if (this.isKw("WINDOW") && windows === undefined) {
        this.pos++;
        windows = [];
        do {
          const name = this.parseIdent("a window name");
          this.expectKw("AS");
          this.expectOp("(");
          const spec = this.parseWindowBody(this.pos - 1);
          windows.push({ name, spec });
        } while (this.eatOp(","));
      }
      if (this.isKw("QUALIFY") && qualify === undefined) {
        qualifySpan = this.tokSpan(this.pos);
        this.pos++;
        qualify = this.parseExpr();
      }
    }
    // DuckDB's select-level sample: after the clauses above, before ORDER BY / LIMIT.
    let sample: string | undefined;
    if (this.d.id === "duckdb" && from.length > 0 && this.isKw("USING") && this.isKw("SAMPLE", this.pos + 1)) {
      const parts: string[] = [];
      this.parseTableModifiers(parts);
      sample = parts.join(" ");
    }
    const sel: Writable<Select> = { kind: "select", projection, from, span: this.span(start) };
    if (sample !== undefined) sel.sample = sample;
    if (distinct !== undefined) sel.distinct = distinct;
    if (top !== undefined) sel.top = top;
    if (where !== undefined) sel.where = where;
    if (groupBy !== undefined) sel.groupBy = groupBy;
    if (having !== undefined) sel.having = having;
    if (windows !== undefined) sel.windows = fit(windows);
    if (qualify !== undefined) sel.qualify = qualify;
    if (qualifySpan !== undefined) sel.qualifySpan = qualifySpan;
    if (connectBy !== undefined) sel.connectBy = connectBy;
    return sel;
  }

  /**
   * Snowflake's `START WITH cond CONNECT BY cond` (or CONNECT BY first); CONNECT BY's conditions may
   * be listed with commas, which mean AND. Undefined when the next words are neither.
   */
  private parseConnectBy(): ConnectBy | undefined {
    if (!this.d.connectBy) return undefined;
    const startsWith = () => this.isKw("START") && this.isKw("WITH", this.pos + 1);
    const connects = () => this.isKw("CONNECT") && this.isKw("BY", this.pos + 1);
    if (!startsWith() && !connects()) return undefined;
    let startWith: Expr | undefined;
    let condition: Expr | undefined;
    let span: Span | undefined;
    let nocycle: true | undefined;
    for (let round = 0; round < 2; round++) {
      if (startWith === undefined && startsWith()) {
        this.pos += 2;
        startWith = this.parseExpr();
      } else if (condition === undefined && connects()) {
        const at = this.pos;
        this.pos += 2;
        span = this.span(at);
        if (this.eatKw("NOCYCLE")) nocycle = true;
        const first = this.pos;
        let all = this.parseExpr();
        while (this.isOp(",")) {
          const opSpan = this.tokSpan(this.pos++);
          const right = this.parseExpr();
          all = { kind: "binary", op: "AND", left: all, right, opSpan, span: this.span(first) };
        }
        condition = all;
      }
    }
    if (condition === undefined || span === undefined) return this.fail(["CONNECT BY"]);
    return withOptional({ condition, span }, { startWith, nocycle });
  }

  /**
   * After a comma in a FROM or GROUP BY list: DuckDB takes a trailing comma there before the next
   * clause or the end of the query (`GROUP BY a, b,`), as it does in the select list.
   */
  private trailingCommaBeforeClause(): boolean {
    return this.d.trailingCommaLists && this.endsProjection();
  }

  /**
   * A comma-separated expression list inside parentheses (the caller eats the `)`): DuckDB takes a
   * trailing comma there (`IN (1, 2,)`, `VALUES (1, 2,)`, `DISTINCT ON (a,)`, `COALESCE(a, b,)`).
   */
  private parseParenList(): Expr[] {
    return this.d.trailingCommaLists ? this.parseExprListTrailing(")") : this.parseExprList();
  }

  /**
   * The token at `at` ends a list of the query: the end of the query, a `)` or `;`, or a later
   * clause's keyword (DuckDB also takes a trailing comma before any of them).
   */
  private endsProjection(at = this.pos): boolean {
    const k = this.kinds[at];
    if (k === T_EOF) return true;
    if (k === T_OP) return this.texts[at] === ")" || this.texts[at] === ";";
    return k === T_WORD && CLAUSE_END.has(this.uppers[at]);
  }

  private checkAfterProjection(): void {
    if (this.kinds[this.pos] === T_ERROR || this.endsProjection()) return;
    this.fail([",", "FROM", "end of the query"], this.leftoverHint(this.pos) ?? this.missingCommaHint(this.pos), TYPO_KEYWORDS);
  }

  /** After a comma in a parenthesised list: DuckDB's trailing comma, right before the `)`. */
  private trailingCommaBeforeParen(): boolean {
    return this.d.trailingCommaLists && this.isOp(")");
  }

  private parseSelectItem(): SelectItem {
    const start = this.pos;
    if (this.isOp("*")) {
      this.pos++;
      const star = this.parseStarModifiers(start, undefined);
      return { kind: "star", star, span: star.span };
    }
    if (this.d.id === "duckdb" && (this.kinds[this.pos] === T_WORD || this.kinds[this.pos] === T_QIDENT) && this.isOp(":", this.pos + 1)) {
      // DuckDB prefix alias: `SELECT total: a + b`.
      const alias = this.identAt(this.pos);
      this.pos += 2;
      const expr = this.parseExpr();
      return { kind: "expr", expr, alias, span: this.span(start) };
    }
    const expr = this.parseExpr();
    if (expr.kind === "star") return { kind: "star", star: expr, span: expr.span };
    if (this.d.lateralView && this.isKw("AS") && this.isOp("(", this.pos + 1)) {
      // Databricks: a generator's columns named at once, `posexplode(xs) AS (pos, x)`.
      this.pos += 2;
      const aliases = this.parseIdentList(false);
      this.expectOp(")");
      return { kind: "expr", expr, aliases, span: this.span(start) };
    }
    this.refuseBareSelectAlias();
    const alias = this.parseAlias(false);
    if (alias) return { kind: "expr", expr, alias, span: this.span(start) };
    // Spans are immutable: an item that is exactly its expression shares the expression's span object.
    const span = this.span(start);
    return { kind: "expr", expr, span: span.start === expr.span.start && span.end === expr.span.end ? expr.span : span };
  }

  /** After `*` or `t.*`: EXCLUDE / EXCEPT / REPLACE / RENAME. */
  private parseStarModifiers(start: number, qualifier: Ident[] | undefined): StarExpr {
    let exclude: Ident[] | undefined;
    let replace: { expr: Expr; alias: Ident }[] | undefined;
    let rename: { from: Ident; to: Ident }[] | undefined;
    const pattern = this.parseStarPattern();
    for (;;) {
      if ((this.isKw("EXCLUDE") || (this.isKw("EXCEPT") && this.isOp("(", this.pos + 1) && !this.startsQuery(this.pos + 2))) && !exclude) {
        this.pos++;
        if (this.eatOp("(")) {
          exclude = this.parseIdentList(true);
          this.expectOp(")");
        } else exclude = [this.parseQualifiedLast()];
        continue;
      }
      if (this.isKw("REPLACE") && this.isOp("(", this.pos + 1) && !replace) {
        this.pos += 2;
        replace = [];
        do {
          const expr = this.parseExpr();
          this.expectKw("AS");
          replace.push({ expr, alias: this.parseIdent("a column name") });
        } while (this.eatOp(",") && !this.trailingCommaBeforeParen());
        this.expectOp(")");
        continue;
      }
      if (this.isKw("RENAME") && !rename) {
        this.pos++;
        rename = [];
        const paren = this.eatOp("(");
        do {
          const from = this.parseQualifiedLast();
          this.expectKw("AS");
          rename.push({ from, to: this.parseIdent("a column name") });
        } while (paren && this.eatOp(","));
        if (paren) this.expectOp(")");
        continue;
      }
      break;
    }
    const star: StarExpr = { kind: "star", span: this.span(start) };
    return withOptional(star, { qualifier, exclude, replace, rename, pattern });
  }

  /** `* ILIKE 'pat'` (Snowflake), `* [NOT] LIKE / ILIKE / SIMILAR TO 'pat'` (DuckDB): a name filter on the star. */
  private parseStarPattern(): StarExpr["pattern"] {
    if (this.d.id !== "snowflake" && this.d.id !== "duckdb") return undefined;
    const not = this.isKw("NOT");
    const at = not ? this.pos + 1 : this.pos;
    const u = this.kinds[at] === T_WORD ? this.uppers[at] : "";
    const op = u === "LIKE" || u === "ILIKE" ? u : u === "SIMILAR" && this.isKw("TO", at + 1) ? "SIMILAR TO" : undefined;
    if (op === undefined || (this.d.id === "snowflake" && (op !== "ILIKE" || not))) return undefined;
    const valueAt = op === "SIMILAR TO" ? at + 2 : at + 1;
    if (this.kinds[valueAt] !== T_STRING && !this.isOp("(", valueAt)) return undefined;
    const opStart = this.pos;
    this.pos = valueAt;
    const opSpan = this.span(opStart);
    // `* LIKE 'a%'` or `* LIKE ('a%')`: DuckDB wants a constant string.
    const value = this.parseBinary(PREC_CMP + 1);
    if (value.kind !== "literal" || value.type !== "string") {
      throw new ParseFailure({ message: "a star's name pattern must be a constant string, as in * LIKE 'a%'", span: this.span(valueAt), expected: ["a string constant"] });
    }
    return { op, not, value: value.value, opSpan };
  }

  /** `a` or `t.a` (keeps the last part): star EXCLUDE lists may qualify. */
  private parseQualifiedLast(): Ident {
    let id = this.parseIdent("a column name");
    while (this.isOp(".") && (this.kinds[this.pos + 1] === T_WORD || this.kinds[this.pos + 1] === T_QIDENT)) {
      this.pos++;
      id = this.parseIdent("a column name");
    }
    return id;
  }

  private startsQuery(at: number): boolean {
    // DuckDB's PIVOT / UNPIVOT statements are queries too: `FROM (PIVOT t ON ...)`.
    return this.isKw("SELECT", at) || this.isKw("WITH", at) || this.isKw("VALUES", at) || this.startsPivotStatement(at);
  }

  /** DuckDB's `PIVOT` / `UNPIVOT` / `PIVOT_WIDER` / `PIVOT_LONGER` statement starts at `at`. */
  private startsPivotStatement(at: number): boolean {
    return this.d.fromFirst && (this.isKw("PIVOT", at) || this.isKw("UNPIVOT", at) || this.isKw("PIVOT_WIDER", at) || this.isKw("PIVOT_LONGER", at));
  }

  /** A keyword where the dialect takes only a plain name as a select-list alias without AS (DuckDB). */
  private refuseBareSelectAlias(): void {
    const refused = this.d.bareSelectAliasRefused;
    if (refused === undefined || this.kinds[this.pos] !== T_WORD) return;
    const upper = this.uppers[this.pos];
    if (this.reserved.has(upper) || !refused.has(upper)) return;
    this.fail(["an alias"], `${upper} is a keyword: without AS an alias must be a plain name; write AS ${this.texts[this.pos]}`);
  }

  /** `[AS] alias`. Tables also refuse modifier keywords as aliases. */
  private parseAlias(forTable: boolean): Ident | undefined {
    if (this.eatKw("AS")) {
      if (this.kinds[this.pos] === T_STRING) return this.stringIdent();
      if (forTable && this.kinds[this.pos] === T_WORD && this.d.tableAliasRefused?.has(this.uppers[this.pos]) === true) {
        const q = String.fromCharCode(this.d.identQuote);
        return this.fail(["an alias"], `${this.uppers[this.pos]} is a keyword here: quote it (${q}${this.texts[this.pos]}${q}) or choose another alias`);
      }
      if (this.kinds[this.pos] === T_WORD || this.kinds[this.pos] === T_QIDENT) return this.identAt(this.pos++);
      return this.fail(["an alias"]);
    }
    const k = this.kinds[this.pos];
    if (k === T_QIDENT) return this.identAt(this.pos++);
    if (k !== T_WORD) return undefined;
    const u = this.uppers[this.pos];
    if (u === "") return this.identAt(this.pos++);
    if (this.reserved.has(u)) return undefined;
    if (forTable && this.isTableModifierStart()) return undefined;
    if (forTable && this.d.lateralView && u === "LATERAL") return undefined;
    return this.identAt(this.pos++);
  }

  private stringIdent(): Ident {
    const i = this.pos++;
    return { name: this.texts[i], quoted: true, span: this.tokSpan(i) };
  }

  private parseTableAlias(): TableAlias | undefined {
    const name = this.parseAlias(true);
    if (!name) return undefined;
    if (this.isOp("(") && (this.kinds[this.pos + 1] === T_WORD || this.kinds[this.pos + 1] === T_QIDENT)) {
      this.pos++;
      const columns = this.parseIdentList();
      this.expectOp(")");
      return { name, columns };
    }
    return { name };
  }

  // ---------------------------------------------------------------------------------------------
  // FROM
  // ---------------------------------------------------------------------------------------------

  private parseFromItem(): TableRef {
    const start = this.pos;
    return this.parseJoins(this.parseTableFactor(), start);
  }

  /** The joins that follow `left` (which starts at token `start`), left to right. */
  private parseJoins(first: TableRef, start: number): TableRef {
    let left = first;
    for (;;) {
      if (this.d.lateralView && this.isKw("LATERAL") && this.isKw("VIEW", this.pos + 1)) {
        left = this.parseLateralView(left, start);
        continue;
      }
      const save = this.pos;
      let natural = false;
      if (this.eatKw("NATURAL")) natural = true;
      const asofOuter = this.isKw("ASOF") ? this.asofSide(this.pos + 1) : undefined;
      const joinType = this.parseJoinType();
      if (joinType === undefined) {
        this.pos = save;
        break;
      }
      const rightStart = this.pos;
      let right = this.parseTableFactor();
      let on: Expr | undefined;
      let using: Ident[] | undefined;
      let matchCondition: Expr | undefined;
      if (joinType === "asof" && this.isKw("MATCH_CONDITION") && this.isOp("(", this.pos + 1)) {
        this.pos += 2;
        matchCondition = this.parseExpr();
        this.expectOp(")");
      }
      // DuckDB joins every kind but CROSS, POSITIONAL and NATURAL on a condition; it may follow a
      // join nested on the right (`a JOIN b JOIN c ON x ON y` joins a to (b JOIN c ON x) on y).
      // Snowflake and Databricks take a join without one as a cross join.
      const needsCondition = this.d.id === "duckdb" && !natural && joinType !== "cross" && joinType !== "positional";
      // With no condition after the nested joins either, the one missing is this join's: said where it ends.
      const unconditioned = needsCondition && !this.isKw("ON") && !this.isKw("USING") ? this.pos : -1;
      if (unconditioned >= 0 && this.startsJoin()) right = this.parseJoins(right, rightStart);
      if (this.eatKw("ON")) on = this.parseExpr();
      else if (this.eatKw("USING")) {
        this.expectOp("(");
        using = this.parseIdentList();
        this.expectOp(")");
      } else if (needsCondition) {
        this.pos = unconditioned;
        this.fail(["ON", "USING"], "DuckDB joins on a condition: ON ... or USING (...), or CROSS JOIN for every pair of rows");
      }
      left = withOptional(
        { kind: "join" as const, joinType, natural, left, right, span: this.span(start) },
        { on, using, matchCondition, asofOuter },
      );
    }
    return left;
  }

  /**
   * DuckDB's prefix alias in FROM: `FROM r : range(3)`, `FROM v : (VALUES (1))` name the table that
   * follows, as `range(3) AS r` does. Undefined (nothing read) when the next tokens are not one.
   */
  private prefixAliased(): TableRef | undefined {
    const k = this.kinds[this.pos];
    if (this.d.id !== "duckdb" || !(k === T_WORD || k === T_QIDENT || k === T_STRING) || !this.isOp(":", this.pos + 1)) return undefined;
    const name = k === T_STRING ? this.stringIdent() : this.identAt(this.pos++);
    this.pos++; // :
    const ref = this.parseTableFactorInner();
    switch (ref.kind) {
      case "table":
      case "derived":
      case "function_table":
      case "values_table":
        return ref.alias === undefined ? { ...ref, alias: { name } } : this.fail(["a table without an alias after its prefix alias"]);
      default:
        return this.fail(["a table, a table function, a subquery or VALUES after the prefix alias"]);
    }
  }

  /** Whether a join starts at the current token (its kind's keywords, then JOIN), reading nothing. */
  private startsJoin(): boolean {
    const save = this.pos;
    try {
      this.eatKw("NATURAL");
      return this.parseJoinType() !== undefined;
    } catch (e) {
      if (e instanceof ParseFailure) return false;
      throw e;
    } finally {
      this.pos = save;
    }
  }

  /** The outer side of `ASOF LEFT|RIGHT|FULL [OUTER] JOIN` whose side keyword is at `at`. */
  private asofSide(at: number): "left" | "right" | "full" | undefined {
    const u = this.kinds[at] === T_WORD ? this.uppers[at] : "";
    return u === "LEFT" ? "left" : u === "RIGHT" ? "right" : u === "FULL" ? "full" : undefined;
  }

  private parseJoinType(): "inner" | "left" | "right" | "full" | "cross" | "semi" | "anti" | "positional" | "asof" | undefined {
    if (this.kinds[this.pos] !== T_WORD) return undefined;
    const u = this.uppers[this.pos];
    switch (u) {
      case "JOIN":
        this.pos++;
        return "inner";
      case "INNER":
        this.pos++;
        this.expectKw("JOIN");
        return "inner";
      case "LEFT":
      case "RIGHT":
      case "FULL": {
        this.pos++;
        if (u === "LEFT" && (this.isKw("SEMI") || this.isKw("ANTI"))) {
          const t = this.uppers[this.pos] === "SEMI" ? "semi" : "anti";
          this.pos++;
          this.expectKw("JOIN");
          return t;
        }
        this.eatKw("OUTER");
        this.expectKw("JOIN");
        return u === "LEFT" ? "left" : u === "RIGHT" ? "right" : "full";
      }
      case "CROSS":
        this.pos++;
        this.expectKw("JOIN");
        return "cross";
      case "SEMI":
      case "ANTI":
        this.pos++;
        this.expectKw("JOIN");
        return u === "SEMI" ? "semi" : "anti";
      case "POSITIONAL":
        this.pos++;
        this.expectKw("JOIN");
        return "positional";
      case "ASOF":
        this.pos++;
        if (this.asofSide(this.pos) !== undefined) {
          this.pos++;
          this.eatKw("OUTER");
        } else this.eatKw("INNER");
        this.expectKw("JOIN");
        return "asof";
      default:
        return undefined;
    }
  }

  private parseTableFactor(): TableRef {
    this.enter();
    const ref = this.prefixAliased() ?? this.parseTableFactorInner();
    this.depth--;
    const pivoted = this.parsePivots(ref);
    return this.d.matchRecognize && this.isKw("MATCH_RECOGNIZE") ? this.parseMatchRecognize(pivoted) : pivoted;
  }

  /**
   * `MATCH_RECOGNIZE ( [PARTITION BY ..] [ORDER BY ..] [MEASURES [RUNNING|FINAL] expr [AS] name, ..]
   * [ONE ROW PER MATCH | ALL ROWS PER MATCH [SHOW EMPTY MATCHES | OMIT EMPTY MATCHES | WITH UNMATCHED ROWS]]
   * [AFTER MATCH SKIP ..] PATTERN ( .. ) [SUBSET s = (a, b), ..] DEFINE sym AS cond, .. ) [alias]`.
   */
  private parseMatchRecognize(source: TableRef): MatchRecognizeRef {
    const start = this.pos;
    this.pos++; // MATCH_RECOGNIZE
    this.expectOp("(");
    let partitionBy: Expr[] = [];
    let orderBy: OrderItem[] = [];
    const measures: { expr: Expr; alias: Ident; semantics?: "RUNNING" | "FINAL" }[] = [];
    let allRows = false;
    let rowsOption: string | undefined;
    let afterMatchSkip: MatchRecognizeRef["afterMatchSkip"];
    let subsets: { name: Ident; members: Ident[] }[] | undefined;
    const symbols = new Map<string, Ident>();
    const addSymbol = (id: Ident) => {
      if (!symbols.has(id.name.toLowerCase())) symbols.set(id.name.toLowerCase(), id);
    };
    if (this.isKw("PARTITION") && this.isKw("BY", this.pos + 1)) {
      this.pos += 2;
      partitionBy = this.parseExprList();
    }
    if (this.isKw("ORDER") && this.isKw("BY", this.pos + 1)) {
      this.pos += 2;
      orderBy = this.parseOrderItems();
    }
    if (this.isKw("MEASURES")) {
      this.pos++;
      do {
        let semantics: "RUNNING" | "FINAL" | undefined;
        if ((this.isKw("RUNNING") || this.isKw("FINAL")) && this.kinds[this.pos + 1] === T_WORD) semantics = this.uppers[this.pos++] as "RUNNING" | "FINAL";
        const expr = this.parseExpr();
        const alias = this.parseAlias(false);
        if (alias === undefined) this.fail(["an alias for the measure"]);
        measures.push(withOptional({ expr, alias }, { semantics }));
      } while (this.eatOp(","));
    }
    if (this.isKw("ONE") && this.isKw("ROW", this.pos + 1)) {
      this.pos += 2;
      this.expectKw("PER");
      this.expectKw("MATCH");
    } else if (this.isKw("ALL") && this.isKw("ROWS", this.pos + 1)) {
      this.pos += 2;
      this.expectKw("PER");
      this.expectKw("MATCH");
      allRows = true;
      const optionStart = this.pos;
      if ((this.isKw("SHOW") || this.isKw("OMIT")) && this.isKw("EMPTY", this.pos + 1)) {
        this.pos += 2;
        this.expectKw("MATCHES");
      } else if (this.isKw("WITH") && this.isKw("UNMATCHED", this.pos + 1)) {
        this.pos += 2;
        this.expectKw("ROWS");
      }
      if (this.pos > optionStart) rowsOption = this.tokenText(optionStart, this.pos);
    }
    if (this.isKw("AFTER") && this.isKw("MATCH", this.pos + 1)) {
      this.pos += 2;
      this.expectKw("SKIP");
      if (this.isKw("PAST")) {
        this.pos++;
        this.expectKw("LAST");
        this.expectKw("ROW");
        afterMatchSkip = { to: "PAST LAST ROW" };
      } else if (this.eatKw("TO")) {
        if (this.isKw("NEXT")) {
          this.pos++;
          this.expectKw("ROW");
          afterMatchSkip = { to: "TO NEXT ROW" };
        } else {
          const to = this.isKw("FIRST") ? "TO FIRST" : this.isKw("LAST") ? "TO LAST" : "TO";
          if (to !== "TO") this.pos++;
          const symbol = this.parseIdent("a pattern symbol");
          addSymbol(symbol);
          afterMatchSkip = { to, symbol };
        }
      } else this.fail(["PAST LAST ROW", "TO NEXT ROW", "TO FIRST / LAST symbol"]);
    }
    this.expectKw("PATTERN");
    this.expectOp("(");
    const parts: string[] = [];
    for (let depth = 1; ; ) {
      const k = this.kinds[this.pos];
      if (k === T_EOF || k === T_ERROR) this.fail(["')' closing the pattern"]);
      if (this.isOp("(")) depth++;
      else if (this.isOp(")") && --depth === 0) break;
      if ((k === T_WORD || k === T_QIDENT) && this.uppers[this.pos] !== "PERMUTE") addSymbol(this.identAt(this.pos));
      parts.push(this.texts[this.pos]);
      this.pos++;
    }
    this.pos++; // )
    if (this.isKw("SUBSET")) {
      this.pos++;
      subsets = [];
      do {
        const name = this.parseIdent("a subset name");
        addSymbol(name);
        this.expectOp("=");
        this.expectOp("(");
        const members: Ident[] = [];
        do {
          const member = this.parseIdent("a pattern symbol");
          addSymbol(member);
          members.push(member);
        } while (this.eatOp(","));
        this.expectOp(")");
        subsets.push({ name, members });
      } while (this.eatOp(","));
    }
    const define: { symbol: Ident; expr: Expr }[] = [];
    if (this.isKw("DEFINE")) {
      this.pos++;
      do {
        const symbol = this.parseIdent("a pattern symbol");
        addSymbol(symbol);
        this.expectKw("AS");
        define.push({ symbol, expr: this.parseExpr() });
      } while (this.eatOp(","));
    }
    this.expectOp(")");
    const alias = this.parseTableAlias();
    const ref: MatchRecognizeRef = { kind: "match_recognize", source, partitionBy, orderBy, measures, allRows, pattern: parts.join(" "), symbols: [...symbols.values()], define, span: this.span(start) };
    return withOptional(ref, { alias, rowsOption, afterMatchSkip, subsets });
  }

  private parseTableFactorInner(): TableRef {
    const start = this.pos;
    const k = this.kinds[this.pos];
    if (k === T_WORD) {
      const u = this.uppers[this.pos];
      if (u === "LATERAL") {
        this.pos++;
        if (this.isOp("(")) {
          this.pos++;
          const query = this.parseQuery();
          this.expectOp(")");
          return withOptional({ kind: "derived" as const, query, lateral: true, span: this.span(start) }, { alias: this.parseTableAlias() });
        }
        return this.parseFunctionTable(start, true);
      }
      if (u === "VALUES") {
        const values = this.parseValues();
        return withOptional({ kind: "values_table" as const, values, span: this.span(start) }, { alias: this.parseTableAlias() });
      }
      if (u === "TABLE" && this.isOp("(", this.pos + 1)) {
        this.pos += 2;
        const fnStart = this.pos;
        const name = this.parseNameParts();
        if (!this.isOp("(")) this.fail(["("]);
        const fn = this.parseFunctionCall(name, fnStart);
        this.expectOp(")");
        return this.finishFunctionTable(start, fn, false, true);
      }
      if (u === "STREAM" && this.d.streamTables) {
        const next = this.kinds[this.pos + 1];
        // `STREAM(t)`: the table read as a stream (its new rows only), a modifier of the table.
        if (this.isOp("(", this.pos + 1) && (this.kinds[this.pos + 2] === T_WORD || this.kinds[this.pos + 2] === T_QIDENT) && !this.isOp("(", this.pos + 3)) {
          this.pos += 2;
          const name = this.parseTableName();
          this.expectOp(")");
          return withOptional({ kind: "table" as const, name, span: this.span(start) }, { alias: this.parseTableAlias(), modifiers: "STREAM" });
        }
        if (next === T_WORD || next === T_QIDENT) {
          this.pos++;
          const ref = this.parseFunctionTable(start, false);
          if (ref.kind === "table") return { ...ref, modifiers: ref.modifiers === undefined ? "STREAM" : `STREAM ${ref.modifiers}` };
          return ref.kind === "function_table" ? { ...ref, stream: true } : ref;
        }
      }
      if (this.reserved.has(u)) this.fail(["a table name"]);
    } else if (k === T_OP && this.texts[this.pos] === "(") {
      return this.parseParenFactor(start);
    } else if (k === T_STRING && this.d.fromFirst) {
      // DuckDB reads a file named as a string: `FROM 'data/*.parquet'`.
      const name = [this.stringIdent()];
      return withOptional({ kind: "table" as const, name, file: true as const, span: this.span(start) }, { alias: this.parseTableAlias() });
    } else if (k === T_PARAM && this.d.stages && this.texts[this.pos].startsWith("@")) {
      // Snowflake reads staged files as a table: `FROM @stage/path (FILE_FORMAT => 'csv', PATTERN => '.*')`.
      const name = [this.identAt(this.pos++)];
      const options = this.pos;
      if (this.isOp("(")) this.skipBalanced();
      const modifiers = this.pos > options ? this.tokenText(options, this.pos) : undefined;
      return withOptional({ kind: "table" as const, name, stage: true as const, span: this.span(start) }, { modifiers, alias: this.parseTableAlias() });
    } else if (k !== T_QIDENT) {
      this.fail(["a table name"]);
    }
    return this.parseFunctionTable(start, false);
  }

  /** A name: a named table, or `name(...)` a table function. */
  private parseFunctionTable(start: number, lateral: boolean): TableRef {
    const nameStart = this.pos;
    const name = this.parseTableName();
    if (this.isOp("(")) {
      const fn = this.parseFunctionCall(name, nameStart);
      return this.finishFunctionTable(start, fn, lateral, false);
    }
    if (lateral) this.fail(["("]);
    const parts: string[] = [];
    this.parseTableModifiers(parts);
    const alias = this.parseTableAlias();
    this.parseTableModifiers(parts);
    // Canonical order: time travel, then sampling (the printer puts sampling after the alias).
    const modifiers = parts.length === 0 ? undefined : [...parts.filter((p) => !isSampleClause(p)), ...parts.filter(isSampleClause)].join(" ");
    return withOptional({ kind: "table" as const, name, span: this.span(start) }, { alias, modifiers });
  }

  private finishFunctionTable(start: number, fn: FunctionExpr, lateral: boolean, table: boolean): TableRef {
    let withOffset: Ident | true | undefined;
    if (this.isKw("WITH") && (this.isKw("OFFSET", this.pos + 1) || this.isKw("ORDINALITY", this.pos + 1))) {
      this.pos += 2;
      withOffset = true;
    }
    let sample = this.parseSample();
    const alias = this.parseTableAlias();
    if (this.isKw("WITH") && this.isKw("OFFSET", this.pos + 1)) {
      this.pos += 2;
      withOffset = this.parseAlias(true) ?? true;
    }
    sample ??= this.parseSample();
    return withOptional({ kind: "function_table" as const, fn, lateral, span: this.span(start) }, {
      alias,
      withOffset,
      table: table || undefined,
      sample,
    });
  }

  /**
   * `TABLESAMPLE ..` (or the dialect's `SAMPLE ..`) after a table function or a subquery, as
   * normalized text. DuckDB's `USING SAMPLE` there belongs to the select (parseSelectTail).
   */
  private parseSample(): string | undefined {
    if (this.kinds[this.pos] !== T_WORD || !(this.uppers[this.pos] === "TABLESAMPLE" || (this.uppers[this.pos] === "SAMPLE" && this.d.sampleKeyword))) return undefined;
    const parts: string[] = [];
    this.parseTableModifiers(parts);
    return parts.join(" ");
  }

  /** `(` subquery `)` or `(` joined tables `)`. */
  private parseParenFactor(start: number): TableRef {
    const save = this.pos;
    let firstError: ParseFailure | undefined;
    if (this.startsQuery(this.pos + 1) || this.isOp("(", this.pos + 1)) {
      try {
        this.pos++;
        const query = this.parseQuery();
        this.expectOp(")");
        const before = this.parseSample();
        const alias = this.parseTableAlias();
        return withOptional({ kind: "derived" as const, query, lateral: false, span: this.span(start) }, { alias, sample: before ?? this.parseSample() });
      } catch (e) {
        if (!(e instanceof ParseFailure)) throw e;
        firstError = e;
        this.pos = save;
      }
    }
    try {
      this.pos++;
      const inner = this.parseFromItem();
      this.expectOp(")");
      // An alias on a parenthesized join is accepted and dropped (no AST slot; rare).
      this.parseTableAlias();
      return inner;
    } catch (e) {
      if (!(e instanceof ParseFailure) || firstError === undefined) throw e;
      throw e.error.span.start > firstError.error.span.start ? e : firstError;
    }
  }

  private parseTableName(): Ident[] {
    const parts = this.parseNameParts();
    if (!this.d.splitQuotedPaths) return parts;
    const out: Ident[] = [];
    for (const p of parts) {
      if (!p.quoted || !p.name.includes(".")) {
        out.push(p);
        continue;
      }
      let offset = p.span.start + 1;
      for (const piece of p.name.split(".")) {
        out.push({ name: piece, quoted: true, span: { start: offset, end: offset + piece.length, line: p.span.line, col: p.span.col + (offset - p.span.start) } });
        offset += piece.length + 1;
      }
    }
    return out;
  }

  private parseNameParts(): Ident[] {
    const parts = [this.parseIdent("a name")];
    while (this.isOp(".") && (this.kinds[this.pos + 1] === T_WORD || this.kinds[this.pos + 1] === T_QIDENT)) {
      this.pos++;
      parts.push(this.identAt(this.pos++));
    }
    return fitGrown(parts);
  }

  private isTableModifierStart(): boolean {
    if (this.kinds[this.pos] !== T_WORD) return false;
    const u = this.uppers[this.pos];
    if (u === "TABLESAMPLE") return true;
    if (u === "SAMPLE" && this.d.sampleKeyword) return true;
    if ((u === "AT" || u === "BEFORE" || u === "CHANGES") && this.d.atBeforeChanges && this.isOp("(", this.pos + 1)) return true;
    if ((u === "VERSION" || u === "TIMESTAMP") && this.isKw("AS", this.pos + 1) && this.isKw("OF", this.pos + 2)) return true;
    if (u === "FOR" && (this.isKw("SYSTEM_TIME", this.pos + 1) || this.isKw("SYSTEM_VERSION", this.pos + 1) || this.isKw("TIMESTAMP", this.pos + 1)))
      return true;
    if (u === "USING" && this.isKw("SAMPLE", this.pos + 1)) return true;
    return false;
  }

  /** Time travel and sampling clauses, each pushed onto `parts` as normalized text. */
  private parseTableModifiers(parts: string[]): void {
    while (this.isTableModifierStart()) {
      const start = this.pos;
      const u = this.uppers[this.pos];
      if (u === "AT" || u === "BEFORE" || u === "CHANGES") {
        this.pos++;
        this.skipBalanced();
      } else if (u === "VERSION" || u === "TIMESTAMP") {
        this.pos += 3;
        this.parseBinary(PREC_ADD);
      } else if (u === "FOR") {
        this.pos += 2;
        this.expectKw("AS");
        this.expectKw("OF");
        this.parseBinary(PREC_ADD);
      } else {
        // TABLESAMPLE / SAMPLE / USING SAMPLE
        if (u === "USING") this.pos++;
        this.pos++;
        if (this.kinds[this.pos] === T_WORD && !this.isOp("(") && this.isOp("(", this.pos + 1)) this.pos++; // method
        if (this.isOp("(")) this.skipBalanced();
        else {
          this.parsePrimary();
          if (!this.eatOp("%")) {
            if (!this.eatKw("PERCENT")) this.eatKw("ROWS");
          }
          if (this.isOp("(")) this.skipBalanced();
        }
        if ((this.isKw("REPEATABLE") || this.isKw("SEED")) && this.isOp("(", this.pos + 1)) {
          this.pos++;
          this.skipBalanced();
        }
      }
      parts.push(this.tokenText(start, this.pos));
    }
  }

  private skipBalanced(): void {
    this.expectOp("(");
    let depth = 1;
    while (depth > 0) {
      const k = this.kinds[this.pos];
      if (k === T_EOF || k === T_ERROR) this.fail([")"]);
      if (k === T_OP) {
        if (this.texts[this.pos] === "(") depth++;
        else if (this.texts[this.pos] === ")") depth--;
      }
      this.pos++;
    }
  }

  /** Tokens [from, to) as normalized text: words upper-cased, single spaces, none inside parentheses. */
  private tokenText(from: number, to: number): string {
    let out = "";
    for (let i = from; i < to; i++) {
      const k = this.kinds[i];
      let piece: string;
      if (k === T_WORD) piece = this.upperAt(i);
      else if (k === T_STRING) piece = quoteString(this.texts[i]);
      else if (k === T_QIDENT) piece = `"${this.texts[i].replaceAll('"', '""')}"`;
      else piece = this.texts[i];
      const prev = i > from && this.kinds[i - 1] === T_OP ? this.texts[i - 1] : "";
      const glue =
        i === from ||
        piece === ")" ||
        piece === "," ||
        piece === "%" ||
        (k === T_OP && (piece === "::" || piece === ".")) ||
        prev === "(" ||
        prev === "::" ||
        prev === "." ||
        (piece === "(" && this.kinds[i - 1] === T_WORD);
      out += glue ? piece : ` ${piece}`;
    }
    return out;
  }

  private parsePivots(source: TableRef): TableRef {
    let ref = source;
    while (this.isKw("PIVOT") || this.isKw("UNPIVOT")) {
      const start = this.pos;
      const op = this.uppers[this.pos] as "PIVOT" | "UNPIVOT";
      this.pos++;
      let includeNulls: boolean | undefined;
      if (op === "UNPIVOT" && (this.isKw("INCLUDE") || this.isKw("EXCLUDE"))) {
        includeNulls = this.uppers[this.pos] === "INCLUDE";
        this.pos++;
        this.expectKw("NULLS");
      }
      this.expectOp("(");
      const aggregates: Expr[] = [];
      let valueColumn: Ident | undefined;
      const aggregateAliases: (Ident | undefined)[] = [];
      if (op === "PIVOT") {
        this.parsePivotAggregates(aggregates, aggregateAliases);
      } else {
        const vs = this.pos;
        valueColumn = this.parseIdent("a value column name");
        aggregates.push({ kind: "column", parts: [valueColumn], span: this.span(vs) });
      }
      this.expectKw("FOR");
      const forColumn = this.parseIdent("a column name");
      const values = this.parsePivotValues(op === "PIVOT");
      // DuckDB: more pivot columns, each with its own IN list.
      const moreFor: { column: Ident; inList: { expr: Expr; alias?: Ident }[] }[] = [];
      while (op === "PIVOT" && !values.dynamic && this.d.fromFirst && (this.kinds[this.pos] === T_WORD || this.kinds[this.pos] === T_QIDENT) && this.isKw("IN", this.pos + 1)) {
        const column = this.parseIdent("a column name");
        const more = this.parsePivotValues(true);
        if (more.dynamic) this.fail(["a list of values"]);
        moreFor.push({ column, inList: more.inList });
      }
      let groupBy: Expr[] | undefined;
      if (op === "PIVOT" && this.d.fromFirst && this.isKw("GROUP") && this.isKw("BY", this.pos + 1)) {
        this.pos += 2;
        groupBy = this.parseExprList();
      }
      let defaultOnNull: Expr | undefined;
      if (op === "PIVOT" && this.isKw("DEFAULT") && this.isKw("ON", this.pos + 1) && this.isKw("NULL", this.pos + 2)) {
        this.pos += 3;
        this.expectOp("(");
        defaultOnNull = this.parseExpr();
        this.expectOp(")");
      }
      this.expectOp(")");
      const alias = this.parseTableAlias();
      const piv: PivotTableRef = { kind: "pivot", op, source: ref, aggregates, forColumn, inList: values.inList, span: this.span(start) };
      const anyAlias = aggregateAliases.some((a) => a !== undefined);
      ref = withOptional(piv, {
        valueColumn,
        alias,
        includeNulls: includeNulls || undefined,
        aggregateAliases: anyAlias ? aggregateAliases : undefined,
        dynamic: values.dynamic || undefined,
        inQuery: values.inQuery,
        moreFor: moreFor.length > 0 ? moreFor : undefined,
        groupBy,
        defaultOnNull,
      });
    }
    return ref;
  }

  /** A PIVOT's `agg [AS alias], ...` (the clause's head, the statement's USING), each alias beside its aggregate. */
  private parsePivotAggregates(aggregates: Expr[], aliases: (Ident | undefined)[]): void {
    do {
      aggregates.push(this.parseExpr());
      aliases.push(this.parseAlias(false));
    } while (this.eatOp(","));
  }

  /**
   * `IN (v [AS a], ...)`; with `runTime` (a PIVOT clause's) also Snowflake's `IN (ANY [ORDER BY ...])`
   * and `IN (subquery)`, whose values (and so the output columns) are known only when the query runs.
   */
  private parsePivotValues(runTime: boolean): { inList: { expr: Expr; alias?: Ident }[]; dynamic: boolean; inQuery?: Query } {
    this.expectKw("IN");
    this.expectOp("(");
    if (runTime && this.isKw("ANY")) {
      this.pos++;
      if (this.isKw("ORDER") && this.isKw("BY", this.pos + 1)) {
        this.pos += 2;
        do {
          this.parseExpr();
          if (this.isKw("ASC") || this.isKw("DESC")) this.pos++;
          if (this.isKw("NULLS") && (this.isKw("FIRST", this.pos + 1) || this.isKw("LAST", this.pos + 1))) this.pos += 2;
        } while (this.eatOp(","));
      }
      this.expectOp(")");
      return { inList: [], dynamic: true };
    }
    if (runTime && (this.isKw("SELECT") || this.isKw("WITH"))) {
      const inQuery = this.parseQuery();
      this.expectOp(")");
      return { inList: [], dynamic: true, inQuery };
    }
    const inList: { expr: Expr; alias?: Ident }[] = [];
    do {
      const expr = this.parseExpr();
      const alias = this.parseAlias(false);
      inList.push(alias ? { expr, alias } : { expr });
    } while (this.eatOp(","));
    this.expectOp(")");
    return { inList, dynamic: false };
  }

  /**
   * DuckDB's PIVOT and UNPIVOT statements, read as the standard PIVOT they stand for (DuckDB's own
   * rewrite): `PIVOT t ON c [IN (..)][, d ..] [USING agg [AS a], ..] [GROUP BY g, ..]` is
   * `SELECT * FROM t PIVOT (agg FOR c IN (..) .. GROUP BY g)`, with `count(*)` when there is no USING
   * and run-time columns when there is no IN; `UNPIVOT t ON a, b [INTO NAME n VALUE v]` is
   * `SELECT * FROM t UNPIVOT (v FOR n IN (a, b))` (`name` and `value` by default).
   */
  private parsePivotStatement(): Select {
    const start = this.pos;
    const op = this.uppers[this.pos] === "UNPIVOT" || this.uppers[this.pos] === "PIVOT_LONGER" ? "UNPIVOT" : "PIVOT";
    this.pos++;
    const source = this.parseTableFactorInner();
    this.expectKw("ON");
    let piv: PivotTableRef;
    if (op === "PIVOT") {
      const fors: { column: Ident; inList: { expr: Expr; alias?: Ident }[]; dynamic: boolean }[] = [];
      do {
        const column = this.parseIdent("a column name");
        const values = this.isKw("IN") ? this.parsePivotValues(false) : { inList: [], dynamic: true };
        fors.push({ column, ...values });
      } while (this.eatOp(","));
      const aggregates: Expr[] = [];
      const aggregateAliases: (Ident | undefined)[] = [];
      if (this.eatKw("USING")) {
        this.parsePivotAggregates(aggregates, aggregateAliases);
      } else {
        const at = this.span(this.pos);
        const count: FunctionExpr = { kind: "function", name: [{ name: "count", quoted: false, span: at }], args: [], star: true, nameSpan: at, span: at };
        aggregates.push(count);
        aggregateAliases.push(undefined);
      }
      let groupBy: Expr[] | undefined;
      if (this.isKw("GROUP") && this.isKw("BY", this.pos + 1)) {
        this.pos += 2;
        groupBy = this.parseExprList();
      }
      const dynamic = fors.some((f) => f.dynamic);
      const [first, ...rest] = fors;
      const anyAlias = aggregateAliases.some((a) => a !== undefined);
      piv = withOptional({ kind: "pivot" as const, op, source, aggregates, forColumn: first.column, inList: dynamic ? [] : first.inList, span: this.span(start) }, {
        aggregateAliases: anyAlias ? aggregateAliases : undefined,
        dynamic: dynamic || undefined,
        moreFor: !dynamic && rest.length > 0 ? rest.map((f) => ({ column: f.column, inList: f.inList })) : undefined,
        groupBy,
      });
    } else {
      const inList: { expr: Expr }[] = [];
      do {
        const cs = this.pos;
        // `ON COLUMNS(* EXCLUDE (id))`, `ON COLUMNS('^m_')`: the columns a COLUMNS selector picks.
        if (this.isKw("COLUMNS") && this.isOp("(", this.pos + 1)) {
          inList.push({ expr: this.parsePrimary() });
          continue;
        }
        const column = this.parseIdent("a column name");
        inList.push({ expr: { kind: "column", parts: [column], span: this.span(cs) } });
      } while (this.eatOp(","));
      let name: Ident = { name: "name", quoted: false, span: this.span(this.pos) };
      let value: Ident = { name: "value", quoted: false, span: this.span(this.pos) };
      if (this.eatKw("INTO")) {
        this.expectKw("NAME");
        name = this.parseIdent("a column name");
        this.expectKw("VALUE");
        value = this.parseIdent("a column name");
      }
      piv = withOptional({ kind: "pivot" as const, op, source, aggregates: [{ kind: "column", parts: [value], span: value.span }], forColumn: name, inList, span: this.span(start) }, { valueColumn: value });
    }
    const star: StarExpr = { kind: "star", implicit: true, span: this.span(start) };
    return { kind: "select", projection: [{ kind: "star", star, span: star.span }], from: [piv], span: this.span(start) };
  }

  private parseLateralView(source: TableRef, start: number): TableRef {
    this.pos += 2; // LATERAL VIEW
    const outer = this.eatKw("OUTER");
    const fnStart = this.pos;
    const name = this.parseNameParts();
    if (!this.isOp("(")) this.fail(["("]);
    const fn = this.parseFunctionCall(name, fnStart);
    let alias: TableAlias | undefined;
    let tableName: Ident | undefined;
    if (!this.isKw("AS") && (this.kinds[this.pos] === T_QIDENT || (this.kinds[this.pos] === T_WORD && !this.reserved.has(this.uppers[this.pos])))) {
      tableName = this.identAt(this.pos++);
    }
    const hadAs = this.eatKw("AS");
    const columns: Ident[] = [];
    if (hadAs || this.kinds[this.pos] === T_QIDENT || (this.kinds[this.pos] === T_WORD && !this.reserved.has(this.uppers[this.pos]))) {
      if (hadAs || tableName) {
        do columns.push(this.parseIdent("a column alias"));
        while (this.eatOp(","));
      }
    }
    if (tableName) alias = columns.length > 0 ? { name: tableName, columns } : { name: tableName };
    else if (columns.length > 0) alias = { name: { name: "", quoted: false, span: columns[0].span }, columns };
    return withOptional({ kind: "lateral_view" as const, source, fn, outer, span: this.span(start) }, { alias });
  }

  // ---------------------------------------------------------------------------------------------
  // Identifiers and lists
  // ---------------------------------------------------------------------------------------------

  private identAt(i: number): Ident {
    return { name: this.texts[i], quoted: this.kinds[i] === T_QIDENT, span: this.tokSpan(i) };
  }

  /** Any identifier; unquoted reserved words are refused. */
  private parseIdent(what: string): Ident {
    const k = this.kinds[this.pos];
    if (k === T_QIDENT || (k === T_WORD && !this.reserved.has(this.uppers[this.pos]))) return this.identAt(this.pos++);
    return this.fail([what]);
  }

  /** Names in parentheses (the caller eats the `)`; DuckDB takes a trailing comma before it). */
  private parseIdentList(allowQualified = false): Ident[] {
    const out: Ident[] = [];
    do out.push(allowQualified ? this.parseQualifiedLast() : this.parseIdent("a column name"));
    while (this.eatOp(",") && !this.trailingCommaBeforeParen());
    return fit(out);
  }

  private parseExprList(): Expr[] {
    const out: Expr[] = [this.parseExpr()];
    while (this.eatOp(",")) out.push(this.parseExpr());
    return fitGrown(out);
  }

  /** ORDER BY items; `ordinals`: a query's own ORDER BY, where DuckDB's `#2` is the select list's 2, as `2` is. */
  private parseOrderItems(ordinals = false): OrderItem[] {
    const out: OrderItem[] = [];
    do {
      const start = this.pos;
      const positional = ordinals && this.kinds[this.pos] === T_PARAM && this.texts[this.pos].startsWith("#") ? this.pos : -1;
      let expr = this.parseExpr();
      if (positional >= 0 && this.pos === positional + 1) expr = { kind: "literal", type: "number", value: this.texts[positional].slice(1), span: this.tokSpan(positional) };
      let desc = false;
      if (this.eatKw("DESC")) desc = true;
      else this.eatKw("ASC");
      let nullsFirst: boolean | undefined;
      if (this.isKw("NULLS")) {
        this.pos++;
        if (this.eatKw("FIRST")) nullsFirst = true;
        else {
          this.expectKw("LAST");
          nullsFirst = false;
        }
      }
      const item: OrderItem = { expr, desc, span: this.span(start) };
      out.push(nullsFirst === undefined ? item : { ...item, nullsFirst });
    } while (this.eatOp(","));
    return fit(out);
  }

  // ---------------------------------------------------------------------------------------------
  // Expressions
  // ---------------------------------------------------------------------------------------------

  parseExpr(): Expr {
    return this.parseBinary(0);
  }

  /**
   * The expression after LIMIT. DuckDB also takes a percentage of the rows, `LIMIT 10%` or
   * `LIMIT 10 PERCENT`; `LIMIT 10 % 3` is still the modulo (a `%` that ends the clause is the sign).
   */
  private parseLimit(): { readonly expr: Expr; readonly percent: boolean } {
    if (this.d.id !== "duckdb") return { expr: this.parseExpr(), percent: false };
    const start = this.pos;
    let left = this.parseBinary(PREC_MUL + 1);
    if ((this.isOp("%") && (this.endsProjection(this.pos + 1) || this.isKw("OFFSET", this.pos + 1))) || this.isKw("PERCENT")) {
      this.pos++;
      return { expr: left, percent: true };
    }
    for (;;) {
      const p = this.infixPrec();
      if (p < 0) break;
      left = this.parseInfix(left, start, p);
    }
    return { expr: left, percent: false };
  }

  /** The binding power of the infix operator at `pos`, or -1. */
  private infixPrec(): number {
    const i = this.pos;
    const k = this.kinds[i];
    if (k === T_OP) {
      switch (this.texts[i]) {
        case "=":
        case "<>":
        case "<":
        case ">":
        case "<=":
        case ">=":
        case "<=>":
          return PREC_CMP;
        case "+":
        case "-":
          return PREC_ADD;
        case "*":
        case "/":
        case "%":
        case "//":
          return PREC_MUL;
        case "||":
          return PREC_CONCAT;
        case "^":
          return this.d.caretIsPower ? PREC_POW : PREC_BIT;
        case "**":
          return PREC_POW;
        case "~":
          return this.d.postgresOperators ? PREC_BIT : -1;
        case "!~":
        case "~~":
        case "!~~":
        case "~~*":
        case "!~~*":
        case "~~~":
        case "^@":
        case "@>":
        case "<@":
        case "&&":
          return PREC_BIT;
        case "|":
        case "&":
        case "<<":
        case ">>":
          return PREC_BIT;
        case "->":
        case "->>":
          return this.d.jsonArrows ? PREC_BIT : -1;
        default:
          return -1;
      }
    }
    if (k !== T_WORD) return -1;
    switch (this.uppers[i]) {
      case "OR":
        return PREC_OR;
      case "DIV":
        return this.d.divOperator ? PREC_MUL : -1;
      case "AND":
        return PREC_AND;
      case "IS":
      case "IN":
      case "LIKE":
      case "ILIKE":
      case "GLOB":
      case "BETWEEN":
        return PREC_CMP;
      case "RLIKE":
      case "REGEXP":
        return this.d.regexpOperators ? PREC_CMP : -1;
      case "SIMILAR":
        return this.isKw("TO", i + 1) ? PREC_CMP : -1;
      case "ISNULL":
      case "NOTNULL":
        // DuckDB's (and Postgres's) postfix `a ISNULL`, `a NOTNULL`; `isnull(a)` elsewhere is a call.
        return this.d.id === "duckdb" && !this.isOp("(", i + 1) ? PREC_CMP : -1;
      case "NOT": {
        const u = this.kinds[i + 1] === T_WORD ? this.uppers[i + 1] : "";
        if (u === "NULL") return this.d.id === "duckdb" ? PREC_CMP : -1; // DuckDB's (and Postgres's) postfix `a NOT NULL`
        return u === "IN" || u === "BETWEEN" || (LIKE_OPS.has(u) && (this.d.regexpOperators || (u !== "RLIKE" && u !== "REGEXP"))) ? PREC_CMP : -1;
      }
      case "AT":
        return this.isKw("TIME", i + 1) && this.isKw("ZONE", i + 2) ? PREC_AT : -1;
      default:
        return -1;
    }
  }

  parseBinary(minPrec: number): Expr {
    this.enter();
    const start = this.pos;
    let left: Expr;
    if (this.isKw("NOT") && !this.isKw("EXISTS", this.pos + 1)) {
      this.pos++;
      const operand = this.parseBinary(PREC_CMP);
      left = { kind: "unary", op: "NOT", operand, span: this.span(start) };
    } else {
      left = this.parseUnary();
    }
    for (;;) {
      const p = this.infixPrec();
      if (p < 0 || p < minPrec) break;
      left = this.parseInfix(left, start, p);
    }
    this.depth--;
    return left;
  }

  private parseInfix(left: Expr, start: number, p: number): Expr {
    const opTok = this.pos;
    if (this.kinds[opTok] === T_OP) {
      const op = this.texts[opTok];
      this.pos++;
      const right = this.parseBinary(p + 1);
      return { kind: "binary", op, left, right, opSpan: this.tokSpan(opTok), span: this.span(start) };
    }
    const u = this.uppers[opTok];
    if (u === "AND" || u === "OR" || u === "DIV") {
      this.pos++;
      const right = this.parseBinary(p + 1);
      return { kind: "binary", op: u, left, right, opSpan: this.tokSpan(opTok), span: this.span(start) };
    }
    if (u === "AT") {
      this.pos += 3;
      const right = this.parseBinary(p + 1);
      return { kind: "binary", op: "AT TIME ZONE", left, right, opSpan: this.span(opTok), span: this.span(start) };
    }
    if (u === "IS") {
      this.pos++;
      const not = this.eatKw("NOT");
      if (this.isKw("DISTINCT")) {
        this.pos++;
        this.expectKw("FROM");
        const opSpan = this.span(opTok);
        const right = this.parseBinary(PREC_CMP + 1);
        return { kind: "binary", op: not ? "IS NOT DISTINCT FROM" : "IS DISTINCT FROM", left, right, opSpan, span: this.span(start) };
      }
      const w = this.kinds[this.pos] === T_WORD ? this.uppers[this.pos] : "";
      if (w !== "NULL" && w !== "TRUE" && w !== "FALSE" && w !== "UNKNOWN") this.fail(["NULL", "TRUE", "FALSE", "DISTINCT FROM"]);
      this.pos++;
      return { kind: "is", not, expr: left, what: w.toLowerCase() as "null" | "true" | "false" | "unknown", span: this.span(start) };
    }
    if (u === "ISNULL" || u === "NOTNULL") {
      this.pos++;
      return { kind: "is", not: u === "NOTNULL", expr: left, what: "null", span: this.span(start) };
    }
    const not = u === "NOT";
    if (not) this.pos++;
    const w = this.uppers[this.pos];
    if (not && w === "NULL") {
      this.pos++;
      return { kind: "is", not: true, expr: left, what: "null", span: this.span(start) };
    }
    if (w === "IN") {
      this.pos++;
      if (this.kinds[this.pos] === T_WORD && this.uppers[this.pos] === "UNNEST" && this.isOp("(", this.pos + 1)) {
        const list = [this.parseUnary()];
        return { kind: "in_list", not, expr: left, list, span: this.span(start) };
      }
      this.expectOp("(");
      if (this.startsQuery(this.pos) || (this.isOp("(") && this.looksLikeQueryParen(this.pos))) {
        const query = this.parseQuery();
        this.expectOp(")");
        this.exprQueries++;
        return { kind: "in_subquery", not, expr: left, query, span: this.span(start) };
      }
      const list = this.isOp(")") ? [] : this.parseParenList();
      this.expectOp(")");
      return { kind: "in_list", not, expr: left, list, span: this.span(start) };
    }
    if (w === "BETWEEN") {
      this.pos++;
      const symmetric = this.eatKw("SYMMETRIC");
      if (!symmetric) this.eatKw("ASYMMETRIC");
      const low = this.parseBinary(PREC_CMP + 1);
      this.expectKw("AND");
      const high = this.parseBinary(PREC_CMP + 1);
      if (symmetric) return { kind: "between", not, symmetric, expr: left, low, high, span: this.span(start) };
      return { kind: "between", not, expr: left, low, high, span: this.span(start) };
    }
    // LIKE family
    const opStart = this.pos;
    let op: "LIKE" | "ILIKE" | "RLIKE" | "SIMILAR TO" | "GLOB";
    if (w === "SIMILAR") {
      this.pos++;
      this.expectKw("TO");
      op = "SIMILAR TO";
    } else if (w === "REGEXP" || w === "RLIKE") {
      this.pos++;
      op = "RLIKE";
    } else if (w === "LIKE" || w === "ILIKE" || w === "GLOB") {
      this.pos++;
      op = w;
    } else {
      return this.fail(["IN", "BETWEEN", "LIKE"]);
    }
    const opSpan = this.span(not ? opTok : opStart);
    let quantifier: "ANY" | "ALL" | undefined;
    let pattern: Expr;
    if ((this.isKw("ANY") || this.isKw("ALL") || this.isKw("SOME")) && this.isOp("(", this.pos + 1)) {
      quantifier = this.uppers[this.pos] === "ALL" ? "ALL" : "ANY";
      this.pos++;
      const ls = this.pos;
      this.pos++;
      const elements = this.parseExprList();
      this.expectOp(")");
      pattern = { kind: "array", elements, span: this.span(ls) };
    } else {
      pattern = this.parseBinary(PREC_CMP + 1);
    }
    let escape: Expr | undefined;
    if (this.eatKw("ESCAPE")) escape = this.parsePrimary();
    return withOptional({ kind: "like" as const, op, not, expr: left, pattern, opSpan, span: this.span(start) }, { escape, quantifier });
  }

  /** A word, a quoted name or `(` at `at`: what a prefix operator written as a word (PRIOR) applies to. */
  private startsOperand(at: number): boolean {
    const k = this.kinds[at];
    return (k === T_WORD && !this.reserved.has(this.uppers[at])) || k === T_QIDENT || this.isOp("(", at);
  }

  private looksLikeQueryParen(at: number): boolean {
    let i = at;
    while (this.isOp("(", i)) i++;
    return this.startsQuery(i);
  }

  private parseUnary(): Expr {
    const k = this.kinds[this.pos];
    if (k === T_WORD && this.d.connectBy && WORD_PREFIX_OPS.has(this.uppers[this.pos]) && this.startsOperand(this.pos + 1)) {
      const op = this.uppers[this.pos] as "PRIOR" | "CONNECT_BY_ROOT";
      const start = this.pos++;
      this.enter();
      const operand = this.parseUnary();
      this.depth--;
      return { kind: "unary", op, operand, span: this.span(start) };
    }
    if (k === T_OP) {
      const t = this.texts[this.pos];
      if (t === "-" || t === "+" || t === "~") {
        const start = this.pos++;
        this.enter();
        const operand = this.parseUnary();
        this.depth--;
        return { kind: "unary", op: t, operand, span: this.span(start) };
      }
    }
    const start = this.pos;
    return this.parsePostfix(this.parsePrimary(), start);
  }

  private parsePostfix(e: Expr, start: number): Expr {
    let expr = e;
    for (;;) {
      const k = this.kinds[this.pos];
      if (k === T_OP) {
        const t = this.texts[this.pos];
        if (t === "::") {
          if (!this.d.colonCast) this.fail(["an operator", "the end of the expression"], `${this.d.id} has no :: cast; use CAST(x AS type)`);
          this.pos++;
          const to = this.parseType();
          expr = { kind: "cast", style: "colon_colon", expr, to, span: this.span(start) };
          continue;
        }
        if (t === "[") {
          this.pos++;
          let index: Expr;
          let to: Expr | undefined;
          // An omitted slice bound (`x[:2]`, `x[1:]`) is a null literal with empty text, printed as nothing.
          if (this.d.slices && this.isOp(":")) index = { kind: "literal", type: "null", value: "", span: this.tokSpan(this.pos) };
          else index = this.parseExpr();
          let step: Expr | undefined;
          if (this.d.slices && this.eatOp(":")) {
            to = this.isOp("]") || this.isOp(":") ? { kind: "literal", type: "null", value: "", span: this.tokSpan(this.pos) } : this.parseExpr();
            if (this.eatOp(":")) step = this.parseExpr();
          }
          this.expectOp("]");
          expr = withOptional({ kind: "subscript" as const, expr, index, span: this.span(start) }, { to, step });
          continue;
        }
        if (t === "." && (this.kinds[this.pos + 1] === T_WORD || this.kinds[this.pos + 1] === T_QIDENT)) {
          this.pos++;
          const fieldAt = this.pos;
          const field = this.identAt(this.pos++);
          if (this.isOp("(")) {
            if (this.d.id !== "duckdb") this.fail(["an operator"], "method calls are DuckDB's: write f(x, ..) instead of x.f(..)");
            // DuckDB's `x.f(a)` is `f(x, a)`: `(v).lower()`, `v.split(' ').len()`.
            const call = this.parseFunctionCall([field], fieldAt);
            expr = { ...call, args: [expr, ...call.args], method: true, span: this.span(start) };
            continue;
          }
          expr = { kind: "field", expr, field, style: "dot", span: this.span(start) };
          continue;
        }
        if (t === ":" && this.d.colonPath) {
          this.pos++;
          const fk = this.kinds[this.pos];
          if (fk === T_WORD || fk === T_QIDENT) {
            const field = this.identAt(this.pos++);
            expr = { kind: "field", expr, field, style: "colon", span: this.span(start) };
            continue;
          }
          if (this.isOp("[") && this.kinds[this.pos + 1] === T_STRING && this.isOp("]", this.pos + 2)) {
            // Databricks v:['key'] names the path element 'key'.
            const field: Ident = { name: this.texts[this.pos + 1], quoted: true, span: this.tokSpan(this.pos + 1) };
            this.pos += 3;
            expr = { kind: "field", expr, field, style: "colon", span: this.span(start) };
            continue;
          }
          this.fail(["a path element"]);
        }
        return expr;
      }
      if (k === T_WORD && this.uppers[this.pos] === "COLLATE") {
        this.pos++;
        const ck = this.kinds[this.pos];
        if (ck !== T_STRING && ck !== T_WORD && ck !== T_QIDENT) this.fail(["a collation"]);
        const collation = this.texts[this.pos++];
        expr = { kind: "collate", expr, collation, span: this.span(start) };
        continue;
      }
      return expr;
    }
  }

  private parsePrimary(): Expr {
    const start = this.pos;
    const k = this.kinds[start];
    switch (k) {
      case T_NUMBER:
        this.pos++;
        return { kind: "literal", type: "number", value: this.texts[start], span: this.tokSpan(start) };
      case T_STRING:
        this.pos++;
        return { kind: "literal", type: "string", value: this.texts[start], span: this.tokSpan(start) };
      case T_PARAM:
        // Snowflake's `$1` and DuckDB's `#1`: the first column of what the query reads.
        if ((this.d.stages && this.texts[start].startsWith("$")) || this.texts[start].startsWith("#")) return this.parseNameExpr(start);
        this.pos++;
        return { kind: "param", name: this.texts[start], span: this.tokSpan(start) };
      case T_QIDENT:
        return this.parseNameExpr(start);
      case T_WORD:
        return this.parseWordPrimary(start);
      case T_OP:
        return this.parseOpPrimary(start);
      default:
        return this.fail(["an expression"]);
    }
  }

  private parseOpPrimary(start: number): Expr {
    const t = this.texts[start];
    if (t === "(") return this.parseParenExpr(start);
    if (t === "[" && this.d.bracketArrays) {
      this.pos++;
      const elements = this.isOp("]") ? [] : this.parseExprListTrailing("]");
      if (elements.length === 1 && this.d.id === "duckdb" && this.isKw("FOR")) return this.parseListComprehension(start, elements[0]);
      this.expectOp("]");
      return { kind: "array", elements, span: this.span(start) };
    }
    if (t === "{" && this.d.braceLiterals) return this.parseBraceStruct(start);
    if (t === ":" && (this.kinds[start + 1] === T_WORD || this.kinds[start + 1] === T_NUMBER)) {
      this.pos += 2;
      return { kind: "param", name: `:${this.texts[start + 1]}`, span: this.span(start) };
    }
    return this.fail(["an expression"]);
  }

  private parseExprListTrailing(close: string): Expr[] {
    const out: Expr[] = [this.parseExpr()];
    while (this.eatOp(",")) {
      if (this.isOp(close)) break;
      out.push(this.parseExpr());
    }
    return fitGrown(out);
  }

  private parseParenExpr(start: number): Expr {
    // Scalar subquery, parenthesized expression, or a row/tuple `(a, b)`.
    if (this.startsQuery(start + 1) || (this.isOp("(", start + 1) && this.looksLikeQueryParen(start + 1))) {
      const save = this.pos;
      try {
        this.pos++;
        const query = this.parseQuery();
        this.expectOp(")");
        this.exprQueries++;
        return { kind: "subquery", query, span: this.span(start) };
      } catch (e) {
        if (!(e instanceof ParseFailure) || !this.isOp("(", start + 1)) throw e;
        this.pos = save;
      }
    }
    this.pos++;
    if (this.isOp(")")) {
      const nameSpan = this.tokSpan(start);
      this.pos++;
      return { kind: "function", name: [{ name: "ROW", quoted: false, span: nameSpan }], args: [], nameSpan, span: this.span(start) };
    }
    const first = this.parseExpr();
    if (this.eatOp(")")) return first;
    if (!this.isOp(",")) this.fail([")"]);
    const args = [first];
    while (this.eatOp(",")) args.push(this.parseExpr());
    this.expectOp(")");
    const nameSpan = this.tokSpan(start);
    return { kind: "function", name: [{ name: "ROW", quoted: false, span: nameSpan }], args: fitGrown(args), nameSpan, span: this.span(start) };
  }

  private parseBraceStruct(start: number): Expr {
    this.pos++;
    const fields: { name: Ident; value: Expr }[] = [];
    if (!this.isOp("}")) {
      do {
        if (this.isOp("}")) break;
        const kk = this.kinds[this.pos];
        if (kk !== T_STRING && kk !== T_WORD && kk !== T_QIDENT) this.fail(["a field name"]);
        const name: Ident = { name: this.texts[this.pos], quoted: kk !== T_WORD, span: this.tokSpan(this.pos) };
        this.pos++;
        this.expectOp(":");
        fields.push({ name, value: this.parseExpr() });
      } while (this.eatOp(","));
    }
    this.expectOp("}");
    return { kind: "struct", fields: fit(fields), span: this.span(start) };
  }

  private parseWordPrimary(start: number): Expr {
    const u = this.uppers[start];
    // Not a keyword (the common case: a column or function name): no keyword table to consult.
    if (u === "") return (this.kinds[start + 1] === T_STRING && this.dialectTypedLiteral(start)) || this.parseNameExpr(start);
    const nextIsParen = this.isOp("(", start + 1);
    switch (u) {
      case "NULL":
        this.pos++;
        return { kind: "literal", type: "null", value: "NULL", span: this.tokSpan(start) };
      case "TRUE":
      case "FALSE":
        this.pos++;
        return { kind: "literal", type: "boolean", value: u, span: this.tokSpan(start) };
      case "CASE":
        return this.parseCase(start);
      case "CAST":
      case "TRY_CAST":
      case "SAFE_CAST":
        if (nextIsParen) return this.parseCast(start, u === "CAST" ? "cast" : u === "TRY_CAST" ? "try_cast" : "safe_cast");
        break;
      case "EXISTS":
        // `EXISTS (query)`; otherwise a function, e.g. Databricks `exists(array, x -> x > 1)`.
        if (nextIsParen && (this.startsQuery(start + 2) || (this.isOp("(", start + 2) && this.looksLikeQueryParen(start + 2)))) {
          this.pos += 2;
          const query = this.parseQuery();
          this.expectOp(")");
          this.exprQueries++;
          return { kind: "exists", not: false, query, span: this.span(start) };
        }
        break;
      case "NOT":
        if (this.isKw("EXISTS", start + 1) && this.isOp("(", start + 2)) {
          this.pos += 3;
          const query = this.parseQuery();
          this.expectOp(")");
          this.exprQueries++;
          return { kind: "exists", not: true, query, span: this.span(start) };
        }
        break;
      case "INTERVAL": {
        const nk = this.kinds[start + 1];
        if (nk === T_STRING || nk === T_NUMBER || nk === T_PARAM || this.isOp("(", start + 1) || this.isOp("-", start + 1)) return this.parseInterval(start);
        break;
      }
      case "EXTRACT":
        if (nextIsParen) return this.parseExtract(start);
        break;
      case "ARRAY":
        if (this.isOp("[", start + 1)) {
          this.pos += 2;
          const elements = this.isOp("]") ? [] : this.parseExprListTrailing("]");
          this.expectOp("]");
          return { kind: "array", elements, span: this.span(start) };
        }
        if (nextIsParen && this.looksLikeQueryParen(start + 2)) {
          this.pos += 2;
          const query = this.parseQuery();
          this.expectOp(")");
          this.exprQueries++;
          return { kind: "subquery", query, array: true, span: this.span(start) };
        }
        if (this.isOp("<", start + 1)) {
          this.pos++;
          this.skipAngleType();
          this.expectOp("[");
          const elements = this.isOp("]") ? [] : this.parseExprListTrailing("]");
          this.expectOp("]");
          return { kind: "array", elements, span: this.span(start) };
        }
        break;
      case "STRUCT":
        if (nextIsParen || this.isOp("<", start + 1)) return this.parseStruct(start);
        break;
      case "MAP":
        if (this.d.mapLiteral && this.isOp("{", start + 1)) return this.parseMap(start);
        break;
      case "TRIM":
      case "SUBSTRING":
      case "POSITION":
        if (nextIsParen) {
          const special = this.parseKeywordArgFunction(start, u);
          if (special) return special;
        }
        break;
      case "GROUPING":
        if (this.isKw("SETS", start + 1) && this.isOp("(", start + 2)) {
          this.pos += 3;
          const nameSpan = this.span(start);
          const args = this.isOp(")") ? [] : this.parseExprList();
          this.expectOp(")");
          const name: Ident = { name: "GROUPING SETS", quoted: false, span: nameSpan };
          return { kind: "function", name: [name], args, nameSpan, span: this.span(start) };
        }
        break;
      case "LAMBDA":
        if (this.d.id === "duckdb" && (this.kinds[start + 1] === T_WORD || this.kinds[start + 1] === T_QIDENT)) return this.parseDuckLambda(start);
        break;
      default:
        if (NILADIC.has(u) && !nextIsParen) {
          this.pos++;
          const nameSpan = this.tokSpan(start);
          return { kind: "function", name: [this.identAt(start)], args: [], nameSpan, span: nameSpan };
        }
        if (TYPED_LITERALS.has(u) && this.kinds[start + 1] === T_STRING) {
          this.pos += 2;
          const dataType: TypeName = { name: u, params: [], span: this.tokSpan(start) };
          return { kind: "typed_literal", dataType, value: this.texts[start + 1], span: this.span(start) };
        }
        if (this.kinds[start + 1] === T_STRING) {
          const typed = this.dialectTypedLiteral(start);
          if (typed !== undefined) return typed;
        }
    }
    if (nextIsParen && !NOT_FUNCTIONS.has(u)) return this.parseNameExpr(start);
    if (this.reserved.has(u)) {
      if (this.keywordAsColumn(start)) return this.parseNameExpr(start);
      return this.fail(["an expression"]);
    }
    return this.parseNameExpr(start);
  }

  /**
   * Spark (outside ANSI mode) reserves few words: a table or column may be called `order` or
   * `values` (`order.id`, `explode(values)`). Where an expression must start, a keyword of
   * SPARK_NAMES is one such name, unless a clause follows (`ORDER BY`); any keyword is one before
   * `.name` (a qualified column: no clause starts with `KEYWORD.`).
   */
  private keywordAsColumn(start: number): boolean {
    if (!this.d.keywordColumns) return false;
    const k = this.kinds[start + 2];
    if (this.isOp(".", start + 1) && (k === T_WORD || k === T_QIDENT)) return true;
    return SPARK_NAMES.has(this.uppers[start]) && !this.isKw("BY", start + 1) && !this.isOp("(", start + 1);
  }

  /** The dialect's own `<type name> 'text'` at `start` (a string follows: DuckDB's `VARCHAR 'x'`), or undefined. */
  private dialectTypedLiteral(start: number): TypedLiteralExpr | undefined {
    if (this.d.typedLiteralTypes.size === 0) return undefined;
    const name = this.texts[start].toUpperCase();
    if (!this.d.typedLiteralTypes.has(name)) return undefined;
    this.pos += 2;
    return { kind: "typed_literal", dataType: { name, params: [], span: this.tokSpan(start) }, value: this.texts[start + 1], span: this.span(start) };
  }

  /** `a`, `t.a`, `s.t.a`, `t.*`, or a (qualified) function call. */
  private parseNameExpr(start: number): Expr {
    const parts: Ident[] = [this.identAt(this.pos++)];
    while (this.isOp(".")) {
      const nk = this.kinds[this.pos + 1];
      if (nk === T_WORD || nk === T_QIDENT || (nk === T_PARAM && this.d.stages && this.texts[this.pos + 1].startsWith("$"))) {
        this.pos++;
        parts.push(this.identAt(this.pos++));
        continue;
      }
      if (nk === T_OP && this.texts[this.pos + 1] === "*") {
        this.pos += 2;
        return this.parseStarModifiers(start, fitGrown(parts));
      }
      break;
    }
    if (this.isOp("(")) return this.parseFunctionCall(fitGrown(parts), start);
    return { kind: "column", parts: fitGrown(parts), span: parts.length === 1 ? parts[0].span : this.span(start) };
  }

  private parseFunctionCall(name: Ident[], start: number): FunctionExpr {
    const nameSpan = name.length === 1 && this.pos === start + 1 ? name[0].span : this.span(start);
    if (name.length === 1 && this.uppers[start] === "COLUMNS") this.columnsCalls++;
    this.enter();
    this.pos++; // (
    let distinct: boolean | undefined;
    let star: boolean | undefined;
    const args: Expr[] = [];
    let namedArgs: { name: Ident; value: Expr }[] | undefined;
    let orderBy: OrderItem[] | undefined;
    let ignoreNulls: boolean | undefined;
    if (this.eatKw("DISTINCT")) distinct = true;
    else if (this.isKw("ALL") && !this.isOp("(", this.pos + 1)) this.pos++;
    if (this.isOp("*") && this.isOp(")", this.pos + 1)) {
      this.pos++;
      star = true;
    } else if (this.isOp("*") && (this.isKw("EXCLUDE", this.pos + 1) || this.isKw("REPLACE", this.pos + 1) || this.isKw("RENAME", this.pos + 1))) {
      // DuckDB `COLUMNS(* EXCLUDE (a))`.
      const s = this.pos++;
      args.push(this.parseStarModifiers(s, undefined));
    } else if (!this.isOp(")")) {
      do {
        const kk = this.kinds[this.pos];
        if ((kk === T_WORD || kk === T_QIDENT) && (this.isOp("=>", this.pos + 1) || this.isOp(":=", this.pos + 1))) {
          const argName = this.identAt(this.pos);
          this.pos += 2;
          namedArgs ??= [];
          namedArgs.push({ name: argName, value: this.parseExpr() });
          continue;
        }
        args.push(this.parseArg());
      } while (this.eatOp(",") && !(this.trailingCommaBeforeParen() && name.length === 1 && this.d.trailingCommaCalls.has(name[0].name.toUpperCase())));
    }
    if ((this.isKw("IGNORE") || this.isKw("RESPECT")) && this.isKw("NULLS", this.pos + 1)) {
      ignoreNulls = this.uppers[this.pos] === "IGNORE";
      this.pos += 2;
    }
    if (this.isKw("ORDER") && this.isKw("BY", this.pos + 1)) {
      this.pos += 2;
      orderBy = this.parseOrderItems();
    }
    if ((this.isKw("IGNORE") || this.isKw("RESPECT")) && this.isKw("NULLS", this.pos + 1)) {
      ignoreNulls = this.uppers[this.pos] === "IGNORE";
      this.pos += 2;
    }
    if (this.isKw("LIMIT")) {
      // BigQuery ARRAY_AGG(x LIMIT n): kept out of the tree (no slot), still parsed.
      this.pos++;
      this.parseExpr();
    }
    this.expectOp(")");
    let within: OrderItem[] | undefined;
    let filter: Expr | undefined;
    let over: WindowSpec | undefined;
    if (this.isKw("WITHIN") && this.isKw("GROUP", this.pos + 1)) {
      this.pos += 2;
      this.expectOp("(");
      this.expectKw("ORDER");
      this.expectKw("BY");
      within = this.parseOrderItems();
      this.expectOp(")");
    }
    if (this.isKw("FILTER") && this.isOp("(", this.pos + 1)) {
      this.pos += 2;
      this.expectKw("WHERE");
      filter = this.parseExpr();
      this.expectOp(")");
    }
    if ((this.isKw("IGNORE") || this.isKw("RESPECT")) && this.isKw("NULLS", this.pos + 1)) {
      ignoreNulls = this.uppers[this.pos] === "IGNORE";
      this.pos += 2;
    }
    if (this.eatKw("OVER")) over = this.parseOver();
    this.depth--;
    const fn: Writable<FunctionExpr> = { kind: "function", name, args: fit(args), nameSpan, span: this.span(start) };
    if (namedArgs !== undefined) fn.namedArgs = fit(namedArgs);
    if (distinct !== undefined) fn.distinct = distinct;
    if (star !== undefined) fn.star = star;
    if (filter !== undefined) fn.filter = filter;
    if (within !== undefined) fn.within = within;
    if (orderBy !== undefined) fn.orderBy = orderBy;
    if (ignoreNulls !== undefined) fn.ignoreNulls = ignoreNulls;
    if (over !== undefined) fn.over = over;
    return fn;
  }

  /** A function argument: a lambda (`x -> ...`, `(a, b) -> ...`) or an expression. */
  private parseArg(): Expr {
    if (this.d.lambdas) {
      const k = this.kinds[this.pos];
      if ((k === T_WORD || k === T_QIDENT) && this.isOp("->", this.pos + 1)) {
        const start = this.pos;
        const params = [this.identAt(this.pos)];
        this.pos += 2;
        const body = this.parseExpr();
        return { kind: "lambda", params, body, span: this.span(start) };
      }
      if (this.isOp("(")) {
        let i = this.pos + 1;
        let ok = true;
        for (;;) {
          if (this.kinds[i] !== T_WORD && this.kinds[i] !== T_QIDENT) {
            ok = false;
            break;
          }
          i++;
          if (this.isOp(",", i)) {
            i++;
            continue;
          }
          break;
        }
        if (ok && this.isOp(")", i) && this.isOp("->", i + 1)) {
          const start = this.pos;
          // The shape is known: names, commas, `) ->`. A name may be a keyword (Spark's own example is `(left, right) -> ...`).
          const params: Ident[] = [];
          for (let at = this.pos + 1; at < i; at += 2) params.push(this.identAt(at));
          this.pos = i + 2;
          const body = this.parseExpr();
          return { kind: "lambda", params, body, span: this.span(start) };
        }
      }
    }
    if (this.d.id === "duckdb" && this.isKw("LAMBDA") && (this.kinds[this.pos + 1] === T_WORD || this.kinds[this.pos + 1] === T_QIDENT)) {
      return this.parseDuckLambda(this.pos);
    }
    if (this.isKw("SELECT") || (this.isKw("WITH") && !this.isOp("(", this.pos + 1))) {
      // A bare subquery argument: `x = ANY(SELECT ...)`, `ARRAY_CONTAINS(SELECT ...)`.
      const start = this.pos;
      const query = this.parseQuery();
      this.exprQueries++;
      return { kind: "subquery", query, span: this.span(start) };
    }
    return this.parseExpr();
  }

  /**
   * DuckDB's list comprehension `[body FOR x IN list IF cond]` (after `body`, at FOR), read as the
   * calls it means: `list_transform(list_filter(list, x -> cond), x -> body)`, so typing and
   * lineage are the lambdas'.
   */
  private parseListComprehension(start: number, body: Expr): Expr {
    this.pos++; // FOR
    const param = this.parseIdent("a variable name");
    this.expectKw("IN");
    const list = this.parseExpr();
    let cond: Expr | undefined;
    if (this.eatKw("IF")) cond = this.parseExpr();
    this.expectOp("]");
    const nameSpan = this.tokSpan(start);
    const span = this.span(start);
    const call = (name: string, source: Expr, fnBody: Expr): FunctionExpr => ({
      kind: "function",
      name: [{ name, quoted: false, span: nameSpan }],
      args: [source, { kind: "lambda", params: [param], body: fnBody, span: fnBody.span }],
      nameSpan,
      span,
    });
    return call("list_transform", cond === undefined ? list : call("list_filter", list, cond), body);
  }

  private parseDuckLambda(start: number): Expr {
    this.pos = start + 1;
    const params = this.parseIdentList();
    this.expectOp(":");
    const body = this.parseExpr();
    return { kind: "lambda", params, body, span: this.span(start) };
  }

  private parseOver(): WindowSpec {
    const start = this.pos;
    if (!this.isOp("(")) {
      const baseName = this.parseIdent("a window name or '('");
      return { baseName, partitionBy: [], orderBy: [], span: this.span(start) };
    }
    this.pos++;
    return this.parseWindowBody(start);
  }

  /** After the `(` of a window specification, through its `)`. */
  private parseWindowBody(start: number): WindowSpec {
    let baseName: Ident | undefined;
    const k = this.kinds[this.pos];
    if (
      (k === T_WORD && !WINDOW_WORDS.has(this.uppers[this.pos]) && !this.reserved.has(this.uppers[this.pos])) ||
      k === T_QIDENT
    ) {
      baseName = this.identAt(this.pos++);
    }
    let partitionBy: Expr[] = [];
    let orderBy: OrderItem[] = [];
    let frame: WindowFrame | undefined;
    if (this.isKw("PARTITION")) {
      this.pos++;
      this.expectKw("BY");
      partitionBy = this.parseExprList();
    }
    if (this.isKw("ORDER")) {
      this.pos++;
      this.expectKw("BY");
      orderBy = this.parseOrderItems();
    }
    if (this.isKw("ROWS") || this.isKw("RANGE") || this.isKw("GROUPS")) frame = this.parseFrame();
    this.expectOp(")");
    const spec: WindowSpec = { partitionBy, orderBy, span: this.span(start) };
    return withOptional(spec, { baseName, frame });
  }

  private parseFrame(): WindowFrame {
    const units = this.uppers[this.pos].toLowerCase() as "rows" | "range" | "groups";
    this.pos++;
    let text = units.toUpperCase();
    if (this.eatKw("BETWEEN")) {
      text += ` BETWEEN ${this.parseFrameBound()}`;
      this.expectKw("AND");
      text += ` AND ${this.parseFrameBound()}`;
    } else {
      text += ` ${this.parseFrameBound()}`;
    }
    if (this.isKw("EXCLUDE")) {
      this.pos++;
      if (this.eatKw("CURRENT")) {
        this.expectKw("ROW");
        text += " EXCLUDE CURRENT ROW";
      } else if (this.eatKw("GROUP")) text += " EXCLUDE GROUP";
      else if (this.eatKw("TIES")) text += " EXCLUDE TIES";
      else {
        this.expectKw("NO");
        this.expectKw("OTHERS");
        text += " EXCLUDE NO OTHERS";
      }
    }
    return { units, text };
  }

  private parseFrameBound(): string {
    if (this.eatKw("UNBOUNDED")) {
      if (this.eatKw("PRECEDING")) return "UNBOUNDED PRECEDING";
      this.expectKw("FOLLOWING");
      return "UNBOUNDED FOLLOWING";
    }
    if (this.eatKw("CURRENT")) {
      this.expectKw("ROW");
      return "CURRENT ROW";
    }
    const e = this.parseBinary(PREC_CMP + 1);
    // Offsets are literals, parameters or intervals; anything else is parenthesized so that a column
    // named like a keyword (`(unbounded) PRECEDING`) still reads as an expression when re-parsed.
    const simple = e.kind === "literal" || e.kind === "param" || e.kind === "interval" || e.kind === "typed_literal";
    const text = simple ? printExpr(e) : `(${printExpr(e)})`;
    if (this.eatKw("PRECEDING")) return `${text} PRECEDING`;
    this.expectKw("FOLLOWING");
    return `${text} FOLLOWING`;
  }

  private parseCase(start: number): Expr {
    this.enter();
    this.pos++;
    let operand: Expr | undefined;
    if (!this.isKw("WHEN")) operand = this.parseExpr();
    const whens: { when: Expr; then: Expr }[] = [];
    while (this.eatKw("WHEN")) {
      const when = this.parseExpr();
      this.expectKw("THEN");
      whens.push({ when, then: this.parseExpr() });
    }
    if (whens.length === 0) this.fail(["WHEN"]);
    let elseExpr: Expr | undefined;
    if (this.eatKw("ELSE")) elseExpr = this.parseExpr();
    if (!this.eatKw("END")) this.fail(whens.length > 0 && !elseExpr ? ["WHEN", "ELSE", "END"] : ["END"]);
    this.depth--;
    return withOptional({ kind: "case" as const, whens: fit(whens), span: this.span(start) }, { operand, else: elseExpr });
  }

  private parseCast(start: number, style: "cast" | "try_cast" | "safe_cast"): Expr {
    this.enter();
    this.pos += 2;
    const expr = this.parseExpr();
    this.expectKw("AS");
    const to = this.parseType();
    if (this.isKw("FORMAT")) {
      this.pos++;
      this.parsePrimary();
    }
    this.expectOp(")");
    this.depth--;
    return { kind: "cast", style, expr, to, span: this.span(start) };
  }

  private parseInterval(start: number): Expr {
    this.pos++;
    const value = this.parseIntervalValue();
    let unit: string | undefined;
    if (this.kinds[this.pos] === T_WORD && INTERVAL_UNITS.has(this.uppers[this.pos])) {
      unit = this.uppers[this.pos++];
      if (this.isKw("TO") && INTERVAL_UNITS.has(this.uppers[this.pos + 1] ?? "")) {
        unit += ` TO ${this.uppers[this.pos + 1]}`;
        this.pos += 2;
      }
    }
    let interval: Expr = withOptional({ kind: "interval" as const, value, span: this.span(start) }, { unit });
    // Spark: `INTERVAL 1 WEEK 12 HOURS` is the sum of its parts.
    while (this.d.multiUnitIntervals && unit !== undefined && !unit.includes(" ") && this.nextIsIntervalPart()) {
      const at = this.pos;
      const more = this.parseIntervalValue();
      const partUnit = this.uppers[this.pos++];
      const part: Expr = { kind: "interval", value: more, unit: partUnit, span: this.span(at) };
      interval = { kind: "binary", op: "+", left: interval, right: part, opSpan: this.tokSpan(at), span: this.span(start) };
    }
    return interval;
  }

  /** A number (or `-` and a number) and then an interval unit: one more part of a Spark interval. */
  private nextIsIntervalPart(): boolean {
    const at = this.isOp("-") ? this.pos + 1 : this.pos;
    return (this.kinds[at] === T_NUMBER || this.kinds[at] === T_STRING) && this.kinds[at + 1] === T_WORD && INTERVAL_UNITS.has(this.uppers[at + 1]);
  }

  /** The value of an INTERVAL: a literal, parameter, parenthesized expression, or a negated one. */
  private parseIntervalValue(): Expr {
    const start = this.pos;
    if (this.isOp("-")) {
      this.pos++;
      const operand = this.parsePrimary();
      return { kind: "unary", op: "-", operand, span: this.span(start) };
    }
    return this.parsePrimary();
  }

  private parseExtract(start: number): Expr {
    this.pos += 2;
    const k = this.kinds[this.pos];
    if (k !== T_WORD && k !== T_STRING && k !== T_QIDENT) this.fail(["a date part"]);
    let field = this.upperAt(this.pos);
    this.pos++;
    if (this.isOp("(") && (this.kinds[this.pos + 1] === T_WORD) && this.isOp(")", this.pos + 2)) {
      // BigQuery EXTRACT(WEEK(MONDAY) FROM d)
      field += `(${this.upperAt(this.pos + 1)})`;
      this.pos += 3;
    }
    if (!this.eatKw("FROM")) this.expectOp(",");
    const expr = this.parseExpr();
    this.expectOp(")");
    return { kind: "extract", field, expr, span: this.span(start) };
  }

  private parseStruct(start: number): Expr {
    this.pos++;
    if (this.isOp("<")) this.skipAngleType();
    const nameSpan = this.tokSpan(start);
    this.expectOp("(");
    // Spark's `struct(*)`: a struct of every column.
    if (this.d.id === "databricks" && this.isOp("*") && this.isOp(")", this.pos + 1)) {
      this.pos += 2;
      return { kind: "function", name: [this.identAt(start)], args: [], star: true, nameSpan, span: this.span(start) };
    }
    const items: { expr: Expr; alias?: Ident }[] = [];
    if (!this.isOp(")")) {
      do {
        const expr = this.parseExpr();
        const alias = this.eatKw("AS") ? this.parseFieldName() : undefined;
        items.push(alias ? { expr, alias } : { expr });
      } while (this.eatOp(","));
    }
    this.expectOp(")");
    const named = items.filter((i) => i.alias).length;
    if (named === 0) {
      return { kind: "function", name: [this.identAt(start)], args: items.map((i) => i.expr), nameSpan, span: this.span(start) };
    }
    const fields = items.map((i) => {
      if (i.alias) return { name: i.alias, value: i.expr };
      if (i.expr.kind === "column") return { name: i.expr.parts[i.expr.parts.length - 1], value: i.expr };
      throw new ParseFailure({ message: "expected AS <field name>, found ','", span: i.expr.span, expected: ["AS"] });
    });
    return { kind: "struct", fields, span: this.span(start) };
  }

  private parseFieldName(): Ident {
    const k = this.kinds[this.pos];
    if (k === T_WORD || k === T_QIDENT) return this.identAt(this.pos++);
    return this.fail(["a field name"]);
  }

  private parseMap(start: number): Expr {
    this.pos += 2;
    const entries: { key: Expr; value: Expr }[] = [];
    if (!this.isOp("}")) {
      do {
        if (this.isOp("}")) break;
        const key = this.parseBinary(PREC_CMP);
        this.expectOp(":");
        entries.push({ key, value: this.parseExpr() });
      } while (this.eatOp(","));
    }
    this.expectOp("}");
    return { kind: "map", entries, span: this.span(start) };
  }

  /** TRIM(BOTH x FROM y), SUBSTRING(x FROM a FOR b), POSITION(a IN b) as ordinary calls. */
  private parseKeywordArgFunction(start: number, u: string): Expr | undefined {
    const nameSpan = this.tokSpan(start);
    const save = this.pos;
    this.pos += 2;
    if (u === "TRIM") {
      let fn = "TRIM";
      if (this.eatKw("BOTH")) fn = "TRIM";
      else if (this.eatKw("LEADING")) fn = "LTRIM";
      else if (this.eatKw("TRAILING")) fn = "RTRIM";
      if (this.eatKw("FROM")) {
        const e = this.parseExpr();
        this.expectOp(")");
        return { kind: "function", name: [{ name: fn, quoted: false, span: nameSpan }], args: [e], nameSpan, span: this.span(start) };
      }
      const first = this.parseExpr();
      if (this.eatKw("FROM")) {
        const e = this.parseExpr();
        this.expectOp(")");
        return { kind: "function", name: [{ name: fn, quoted: false, span: nameSpan }], args: [e, first], nameSpan, span: this.span(start) };
      }
      if (fn !== "TRIM") this.fail(["FROM"]);
      this.pos = save;
      return undefined;
    }
    const first = u === "POSITION" ? this.parseBinary(PREC_CMP + 1) : this.parseExpr();
    if (u === "POSITION" && this.eatKw("IN")) {
      const e = this.parseExpr();
      this.expectOp(")");
      return { kind: "function", name: [this.identAt(start)], args: [first, e], nameSpan, span: this.span(start) };
    }
    if (u === "SUBSTRING" && (this.isKw("FROM") || this.isKw("FOR"))) {
      const args = [first];
      if (this.eatKw("FROM")) args.push(this.parseExpr());
      else args.push({ kind: "literal", type: "number", value: "1", span: nameSpan });
      if (this.eatKw("FOR")) args.push(this.parseExpr());
      this.expectOp(")");
      return { kind: "function", name: [this.identAt(start)], args, nameSpan, span: this.span(start) };
    }
    this.pos = save;
    return undefined;
  }

  // ---------------------------------------------------------------------------------------------
  // Types
  // ---------------------------------------------------------------------------------------------

  parseType(): TypeName {
    this.enter();
    const start = this.pos;
    const k = this.kinds[this.pos];
    if (k !== T_WORD && k !== T_QIDENT) this.fail(["a type name"]);
    let name = k === T_WORD ? this.upperAt(this.pos) : this.texts[this.pos];
    this.pos++;
    if (name === "DOUBLE" && this.eatKw("PRECISION")) name = "DOUBLE PRECISION";
    else if ((name === "CHARACTER" || name === "CHAR") && this.eatKw("VARYING")) name = `${name} VARYING`;
    const params: number[] = [];
    let args: TypeName[] | undefined;
    let fields: { name: string; type: TypeName }[] | undefined;
    if (this.isOp("(")) {
      this.pos++;
      if (name === "STRUCT" || name === "ROW" || name === "UNION") {
        // DuckDB's UNION(a INT, b VARCHAR) names its members as a STRUCT names its fields.
        fields = [];
        do {
          const fname = this.parseFieldName();
          fields.push({ name: fname.name, type: this.parseType() });
        } while (this.eatOp(","));
      } else if (name === "MAP") {
        args = [this.parseType()];
        while (this.eatOp(",")) args.push(this.parseType());
      } else {
        do {
          if (this.kinds[this.pos] === T_NUMBER) params.push(Number(this.texts[this.pos++]));
          else if (this.isKw("MAX")) this.pos++;
          else this.fail(["a number"]);
        } while (this.eatOp(","));
      }
      this.expectOp(")");
    } else if (this.isOp("<") && ANGLE_TYPES.has(name)) {
      // Only a type that takes `<...>` parameters: `ts::DATE < x` is a comparison, not `DATE<x>`.
      this.pos++;
      if (name === "STRUCT") {
        fields = [];
        do {
          const fname = this.parseFieldName();
          this.eatOp(":");
          fields.push({ name: fname.name, type: this.parseType() });
        } while (this.eatOp(","));
      } else {
        args = [this.parseType()];
        while (this.eatOp(",")) args.push(this.parseType());
      }
      this.closeAngle();
    }
    if ((name === "TIMESTAMP" || name === "TIME") && (this.isKw("WITH") || this.isKw("WITHOUT")) && this.isKw("TIME", this.pos + 1)) {
      name += this.uppers[this.pos] === "WITH" ? " WITH TIME ZONE" : " WITHOUT TIME ZONE";
      this.pos += 2;
      this.expectKw("ZONE");
    }
    let t: TypeName = withOptional({ name, params, span: this.span(start) }, { args, fields });
    while (this.isOp("[") && (this.isOp("]", this.pos + 1) || (this.kinds[this.pos + 1] === T_NUMBER && this.isOp("]", this.pos + 2)))) {
      this.pos += this.isOp("]", this.pos + 1) ? 2 : 3;
      t = { name: "ARRAY", params: [], args: [t], span: this.span(start) };
    }
    this.depth--;
    return t;
  }

  private closeAngle(): void {
    if (this.isOp(">")) {
      this.pos++;
      return;
    }
    if (this.isOp(">>")) {
      // Split `>>` into two `>` (ARRAY<STRUCT<a INT64>>): the token store is ours to edit.
      this.t.texts[this.pos] = ">";
      this.t.starts[this.pos]++;
      this.t.cols[this.pos]++;
      return;
    }
    this.fail([">"]);
  }

  private skipAngleType(): void {
    this.expectOp("<");
    if (this.isKw("STRUCT") || this.isKw("ARRAY") || this.kinds[this.pos] === T_WORD) {
      // `ARRAY<INT64>` / `STRUCT<a INT64>`: parse element types, then close.
      do {
        if ((this.kinds[this.pos] === T_WORD || this.kinds[this.pos] === T_QIDENT) && (this.kinds[this.pos + 1] === T_WORD || this.isOp(":", this.pos + 1))) {
          this.pos++;
          this.eatOp(":");
        }
        this.parseType();
      } while (this.eatOp(","));
    }
    this.closeAngle();
  }
}

/** The types written with `<...>` parameters (ARRAY<INT64>, MAP<STRING, INT>, STRUCT<a INT64>, BigQuery's RANGE<DATE>). */
const ANGLE_TYPES: ReadonlySet<string> = new Set(["ARRAY", "MAP", "STRUCT", "RANGE"]);

/** The span of the first node found deeper than `limit` kind-nodes, iteratively (no recursion). */
function findTooDeep(root: object, limit: number): Span | undefined {
  const nodes: unknown[] = [root];
  const depths: number[] = [1];
  while (nodes.length > 0) {
    const node = nodes.pop() as Record<string, unknown>;
    const depth = depths.pop() as number;
    if (Array.isArray(node)) {
      for (let k = 0; k < node.length; k++) {
        const v = node[k];
        if (v === null || typeof v !== "object") continue;
        const d = typeof (v as { kind?: unknown }).kind === "string" ? depth + 1 : depth;
        if (d > limit) return (v as { span: Span }).span;
        nodes.push(v);
        depths.push(d);
      }
      continue;
    }
    for (const key in node) {
      if (key === "span" || key === "nameSpan" || key === "opSpan" || key === "qualifySpan") continue;
      const v = node[key];
      if (v === null || typeof v !== "object") continue;
      const d = typeof (v as { kind?: unknown }).kind === "string" ? depth + 1 : depth;
      if (d > limit) return (v as { span: Span }).span;
      nodes.push(v);
      depths.push(d);
    }
  }
  return undefined;
}

/** The keyword `word` is a plausible typo of (edit distance, or one swap of adjacent letters), if any. */
function keywordTypo(word: string, keywords: Iterable<string>): string | undefined {
  if (word.length < 3) return undefined;
  const upper = word.toUpperCase();
  // A keyword plus a suffix (`orders`, `groups`, `limits`) is a name, not a typo.
  const list = [...keywords].filter((k) => !upper.startsWith(k));
  if (list.length === 0) return undefined;
  const close = didYouMean(word, list);
  if (close !== undefined) return close;
  for (const k of list) {
    if (k.length !== upper.length) continue;
    let first = -1;
    let diffs = 0;
    for (let j = 0; j < k.length && diffs <= 2; j++) {
      if (k[j] === upper[j]) continue;
      if (first < 0) first = j;
      diffs++;
    }
    if (diffs === 2 && upper[first] === k[first + 1] && upper[first + 1] === k[first]) return k;
  }
  return undefined;
}

function isSampleClause(text: string): boolean {
  return /^(SAMPLE|TABLESAMPLE|USING SAMPLE)\b/.test(text);
}

function clip(text: string): string {
  const oneLine = text.replace(/[\r\n\t]+/g, " ");
  return oneLine.length > 40 ? `${oneLine.slice(0, 37)}...` : oneLine;
}

/** `expected` entries are bare (`)`, `FROM`, `an expression`); punctuation is quoted in the message. */
function joinExpected(expected: readonly string[]): string {
  const shown = expected.map((e) => (/^[^A-Za-z0-9 ]+$/.test(e) ? `'${e}'` : e));
  if (shown.length <= 1) return shown[0] ?? "something else";
  return `${shown.slice(0, -1).join(", ")} or ${shown[shown.length - 1]}`;
}


/**
 * An array built by `push` from `[]`, copied to its exact length: a pushed-to array keeps 16+ spare
 * slots, and trees live for the whole compile (about a sixth of an AST's memory was spare slots).
 */
function fit<T>(items: T[]): T[] {
  return items.length === 0 ? items : items.slice();
}

/** An array that started as a one-element literal (exact already) and grew when more were pushed. */
function fitGrown<T>(items: T[]): T[] {
  return items.length > 1 ? items.slice() : items;
}

/** A node type with its fields writable, while the parser fills it in. */
type Writable<T> = { -readonly [K in keyof T]: T[K] };

/** Copy `base` and set the optional fields that are defined (keeps nodes free of `undefined` keys). */
function withOptional<T extends object>(base: T, extra: { readonly [K in keyof T]?: T[K] | undefined } & Record<string, unknown>): T {
  const out = base as Record<string, unknown>;
  for (const key in extra) {
    const v = extra[key];
    if (v !== undefined) out[key] = v;
  }
  return base;
}

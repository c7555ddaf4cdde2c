/**
 * The canonical SQL printer: upper-case keywords and function names, lower-case unquoted
 * identifiers, quoted ones kept quoted, single spaces, no comments, and only the parentheses the
 * parser needs (precedence.ts). Two queries that differ only in whitespace, comments or the case
 * of keywords and unquoted identifiers print identically, and printed SQL re-parses to the same
 * tree. Used for "logic changed" fingerprints and P001 rewrites. Deterministic.
 */
import type {
  DialectId,
  Expr,
  FunctionExpr,
  Ident,
  OrderItem,
  Query,
  Select,
  SelectItem,
  SetExpr,
  StarExpr,
  TableAlias,
  TableRef,
  TypeName,
  WindowSpec,
} from "./ast.js";
import { readsStream } from "./walk.js";
import {
  binaryInnerPrec,
  binaryOuterPrec,
  PREC_CMP,
  PREC_LAMBDA,
  PREC_NOT,
  PREC_POSTFIX,
  PREC_PRIMARY,
  PREC_UNARY,
  WORD_PREFIX_OPS,
} from "./precedence.js";

export interface PrintOptions {
  /** Print for this dialect (identifier quotes, string escapes, type spellings). Default: dialect-neutral, `"` quotes. */
  readonly dialect?: DialectId;
}

const NILADIC = new Set(["CURRENT_DATE", "CURRENT_TIMESTAMP", "CURRENT_TIME", "LOCALTIME", "LOCALTIMESTAMP", "CURRENT_USER", "SESSION_USER"]);
const JOIN_WORDS: Readonly<Record<string, string>> = {
  inner: "JOIN",
  left: "LEFT JOIN",
  right: "RIGHT JOIN",
  full: "FULL JOIN",
  cross: "CROSS JOIN",
  semi: "SEMI JOIN",
  anti: "ANTI JOIN",
  positional: "POSITIONAL JOIN",
  asof: "ASOF JOIN",
};

/** A single-quoted SQL string literal with `''` escaping (dialect-neutral). */
export function quoteString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

export function printIdent(id: Ident, options?: PrintOptions): string {
  return new Printer(options?.dialect).ident(id);
}

/** `a DESC NULLS FIRST, b`: ORDER BY's items. */
export function printOrderItems(items: readonly OrderItem[], options?: PrintOptions): string {
  return new Printer(options?.dialect).orderItems(items);
}

export function printExpr(expr: Expr, options?: PrintOptions): string {
  return new Printer(options?.dialect).expr(expr);
}

export function printQuery(query: Query, options?: PrintOptions): string {
  return new Printer(options?.dialect).query(query);
}

export function printType(type: TypeName, options?: PrintOptions): string {
  return new Printer(options?.dialect).type(type);
}

/** How tightly an expression binds as seen from its parent. */
export function exprPrec(e: Expr): number {
  switch (e.kind) {
    case "binary":
      return binaryOuterPrec(e.op);
    case "unary":
      return e.op === "NOT" ? PREC_NOT : PREC_UNARY;
    case "is":
    case "in_list":
    case "in_subquery":
    case "between":
    case "like":
      return PREC_CMP;
    case "cast":
      return e.style === "colon_colon" ? PREC_POSTFIX : PREC_PRIMARY;
    case "subscript":
    case "field":
    case "collate":
      return PREC_POSTFIX;
    case "lambda":
      return PREC_LAMBDA;
    default:
      return PREC_PRIMARY;
  }
}

class Printer {
  private readonly quote: string;
  private readonly backslash: boolean;

  constructor(private readonly dialect: DialectId | undefined) {
    this.quote = dialect === "databricks" || dialect === "bigquery" ? "`" : '"';
    this.backslash = dialect === "databricks" || dialect === "bigquery" || dialect === "snowflake";
  }

  str(value: string): string {
    let v = value.replaceAll("'", "''");
    if (this.backslash) {
      v = v.replaceAll("\\", "\\\\");
      if (this.dialect === "bigquery") v = v.replaceAll("\n", "\\n").replaceAll("\r", "\\r");
    }
    return `'${v}'`;
  }

  ident(id: Ident): string {
    if (id.quoted) return this.quote + id.name.replaceAll(this.quote, this.quote + this.quote) + this.quote;
    return id.name.toLowerCase();
  }

  private idents(ids: readonly Ident[]): string {
    return ids.map((i) => this.ident(i)).join(", ");
  }

  private wrap(e: Expr, needParens: boolean): string {
    const s = this.expr(e);
    return needParens ? `(${s})` : s;
  }

  expr(e: Expr): string {
    switch (e.kind) {
      case "literal":
        if (e.type === "string") return this.str(e.value);
        if (e.type === "number") return e.value;
        if (e.type === "null" && e.value === "") return ""; // an omitted slice bound
        return e.value.toUpperCase();
      case "typed_literal":
        return `${e.dataType.name} ${this.str(e.value)}`;
      case "column":
        return e.parts.map((p) => this.ident(p)).join(".");
      case "star":
        return this.star(e);
      case "param":
        return e.name;
      case "function":
        return this.fn(e);
      case "binary": {
        // Iterate down the left spine so long AND/OR/|| chains do not recurse once per operand.
        const rights: string[] = [];
        let node: Expr = e;
        while (node.kind === "binary") {
          const inner = binaryInnerPrec(node.op);
          rights.push(`${node.op} ${this.wrap(node.right, exprPrec(node.right) <= inner)}`);
          const left: Expr = node.left;
          if (left.kind === "binary" && binaryOuterPrec(left.op) >= inner) {
            node = left;
            continue;
          }
          rights.push(this.wrap(left, exprPrec(left) < inner));
          break;
        }
        let out = rights[rights.length - 1];
        for (let i = rights.length - 2; i >= 0; i--) out += ` ${rights[i]}`;
        return out;
      }
      case "unary": {
        if (e.op === "NOT") return `NOT ${this.wrap(e.operand, exprPrec(e.operand) < PREC_CMP)}`;
        if (WORD_PREFIX_OPS.has(e.op)) return `${e.op} ${this.wrap(e.operand, exprPrec(e.operand) < PREC_UNARY)}`;
        const needs = exprPrec(e.operand) < PREC_UNARY || e.operand.kind === "unary";
        return `${e.op}${this.wrap(e.operand, needs)}`;
      }
      case "cast":
        if (e.style === "colon_colon") return `${this.wrap(e.expr, exprPrec(e.expr) < PREC_POSTFIX)}::${this.type(e.to)}`;
        return `${e.style === "cast" ? "CAST" : e.style === "try_cast" ? "TRY_CAST" : "SAFE_CAST"}(${this.expr(e.expr)} AS ${this.type(e.to)})`;
      case "case": {
        let out = "CASE";
        if (e.operand) out += ` ${this.expr(e.operand)}`;
        for (const w of e.whens) out += ` WHEN ${this.expr(w.when)} THEN ${this.expr(w.then)}`;
        if (e.else) out += ` ELSE ${this.expr(e.else)}`;
        return `${out} END`;
      }
      case "between":
        return `${this.wrap(e.expr, exprPrec(e.expr) < PREC_CMP)}${e.not ? " NOT" : ""} BETWEEN ${this.wrap(e.low, exprPrec(e.low) <= PREC_CMP)} AND ${this.wrap(e.high, exprPrec(e.high) <= PREC_CMP)}`;
      case "in_list": {
        const left = `${this.wrap(e.expr, exprPrec(e.expr) < PREC_CMP)}${e.not ? " NOT" : ""} IN `;
        const only = e.list.length === 1 ? e.list[0] : undefined;
        if (only && only.kind === "function" && only.name.length === 1 && !only.name[0].quoted && only.name[0].name.toUpperCase() === "UNNEST")
          return left + this.expr(only);
        return `${left}(${e.list.map((x) => this.expr(x)).join(", ")})`;
      }
      case "in_subquery":
        return `${this.wrap(e.expr, exprPrec(e.expr) < PREC_CMP)}${e.not ? " NOT" : ""} IN (${this.query(e.query)})`;
      case "is":
        return `${this.wrap(e.expr, exprPrec(e.expr) < PREC_CMP)} IS ${e.not ? "NOT " : ""}${e.what.toUpperCase()}`;
      case "like": {
        // `(t.*) LIKE p` is an operation on a star; `t.* LIKE p` would read as the star's name filter.
        let out = `${this.wrap(e.expr, exprPrec(e.expr) < PREC_CMP || e.expr.kind === "star")}${e.not ? " NOT" : ""} ${e.op}`;
        if (e.quantifier && e.pattern.kind === "array") out += ` ${e.quantifier} (${e.pattern.elements.map((x) => this.expr(x)).join(", ")})`;
        else out += ` ${this.wrap(e.pattern, exprPrec(e.pattern) <= PREC_CMP)}`;
        if (e.escape) out += ` ESCAPE ${this.wrap(e.escape, exprPrec(e.escape) < PREC_PRIMARY)}`;
        return out;
      }
      case "exists":
        return `${e.not ? "NOT " : ""}EXISTS (${this.query(e.query)})`;
      case "subquery":
        return `${e.array ? "ARRAY" : ""}(${this.query(e.query)})`;
      case "interval": {
        const v = e.value;
        const simple = v.kind === "literal" || v.kind === "param" || (v.kind === "unary" && v.op === "-" && (v.operand.kind === "literal" || v.operand.kind === "param"));
        return `INTERVAL ${simple ? this.expr(v) : `(${this.expr(v)})`}${e.unit ? ` ${e.unit}` : ""}`;
      }
      case "array": {
        const items = e.elements.map((x) => this.expr(x)).join(", ");
        return this.dialect === "databricks" ? `ARRAY(${items})` : `[${items}]`;
      }
      case "struct":
        if (this.dialect === "bigquery" || this.dialect === "databricks")
          return `STRUCT(${e.fields.map((f) => `${this.expr(f.value)} AS ${this.ident(f.name)}`).join(", ")})`;
        return `{${e.fields.map((f) => `${f.name.quoted ? this.str(f.name.name) : f.name.name.toLowerCase()}: ${this.expr(f.value)}`).join(", ")}}`;
      case "map":
        return `MAP {${e.entries.map((x) => `${this.expr(x.key)}: ${this.expr(x.value)}`).join(", ")}}`;
      case "subscript": {
        const base = this.wrap(e.expr, exprPrec(e.expr) < PREC_POSTFIX);
        return e.to ? `${base}[${this.expr(e.index)}:${this.expr(e.to)}${e.step ? `:${this.expr(e.step)}` : ""}]` : `${base}[${this.expr(e.index)}]`;
      }
      case "field": {
        const needs = exprPrec(e.expr) < PREC_POSTFIX || (e.style === "dot" && (e.expr.kind === "column" || e.expr.kind === "star"));
        return `${this.wrap(e.expr, needs)}${e.style === "dot" ? "." : ":"}${this.ident(e.field)}`;
      }
      case "lambda": {
        const params = e.params.length === 1 ? this.ident(e.params[0]) : `(${this.idents(e.params)})`;
        return `${params} -> ${this.expr(e.body)}`;
      }
      case "extract":
        return `EXTRACT(${e.field} FROM ${this.expr(e.expr)})`;
      case "collate": {
        const bare = /^[A-Za-z_][A-Za-z0-9_.]*$/.test(e.collation) && this.dialect !== "snowflake";
        return `${this.wrap(e.expr, exprPrec(e.expr) < PREC_POSTFIX)} COLLATE ${bare ? e.collation : this.str(e.collation)}`;
      }
    }
  }

  private star(s: StarExpr): string {
    let out = s.qualifier ? `${s.qualifier.map((q) => this.ident(q)).join(".")}.*` : "*";
    if (s.pattern) out += ` ${s.pattern.not ? "NOT " : ""}${s.pattern.op} ${quoteString(s.pattern.value)}`;
    if (s.exclude) out += ` ${this.dialect === "bigquery" || this.dialect === "databricks" ? "EXCEPT" : "EXCLUDE"} (${this.idents(s.exclude)})`;
    if (s.replace) out += ` REPLACE (${s.replace.map((r) => `${this.expr(r.expr)} AS ${this.ident(r.alias)}`).join(", ")})`;
    if (s.rename) out += ` RENAME (${s.rename.map((r) => `${this.ident(r.from)} AS ${this.ident(r.to)}`).join(", ")})`;
    return out;
  }

  private fnName(name: readonly Ident[]): string {
    let out = "";
    for (let i = 0; i < name.length; i++) {
      const p = name[i];
      if (i > 0) out += ".";
      out += i === name.length - 1 && !p.quoted ? p.name.toUpperCase() : this.ident(p);
    }
    return out;
  }

  private fn(f: FunctionExpr): string {
    const name = this.fnName(f.name);
    const plain = !f.distinct && !f.star && !f.namedArgs && !f.orderBy && f.ignoreNulls === undefined && !f.filter && !f.within && !f.over;
    if (plain && f.name.length === 1 && !f.name[0].quoted) {
      if (name === "ROW" && f.args.length !== 1) return `(${f.args.map((a) => this.expr(a)).join(", ")})`;
      if (NILADIC.has(name) && f.args.length === 0) return name;
      if (name === "POSITION" && f.args.length === 2) return `POSITION(${this.wrap(f.args[0], exprPrec(f.args[0]) <= PREC_CMP)} IN ${this.wrap(f.args[1], exprPrec(f.args[1]) <= PREC_CMP)})`;
      if (name === "GROUPING SETS") return `GROUPING SETS (${f.args.map((a) => this.expr(a)).join(", ")})`;
    }
    const parts: string[] = [];
    if (f.star) parts.push("*");
    const only = f.args.length === 1 && !f.namedArgs ? f.args[0] : undefined;
    // `x = ANY(SELECT ...)`: the quantified comparison takes its subquery bare (elsewhere it is a parenthesized scalar subquery).
    if (only && only.kind === "subquery" && !only.array && (name === "ANY" || name === "ALL" || name === "SOME")) parts.push(this.query(only.query));
    // A JSON arrow argument is parenthesized: `fn(j -> 'a')` would read back as a lambda.
    else for (const a of f.method ? f.args.slice(1) : f.args) parts.push(a.kind === "binary" && a.op === "->" ? `(${this.expr(a)})` : this.expr(a));
    if (f.namedArgs) for (const n of f.namedArgs) parts.push(`${this.ident(n.name)} => ${this.expr(n.value)}`);
    let inner = parts.join(", ");
    if (f.distinct) inner = `DISTINCT ${inner}`;
    if (f.orderBy) inner += ` ORDER BY ${this.orderItems(f.orderBy)}`;
    const nullsOutside = this.dialect === "snowflake" || this.dialect === "databricks";
    const nulls = f.ignoreNulls === undefined ? "" : f.ignoreNulls ? "IGNORE NULLS" : "RESPECT NULLS";
    if (nulls && !nullsOutside) inner += ` ${nulls}`;
    let out = f.method ? `(${this.expr(f.args[0])}).${name}(${inner})` : `${name}(${inner})`;
    if (f.within) out += ` WITHIN GROUP (ORDER BY ${this.orderItems(f.within)})`;
    if (f.filter) out += ` FILTER (WHERE ${this.expr(f.filter)})`;
    if (nulls && nullsOutside) out += ` ${nulls}`;
    if (f.over) out += ` OVER ${this.overSpec(f.over)}`;
    return out;
  }

  private overSpec(w: WindowSpec): string {
    if (w.baseName && w.partitionBy.length === 0 && w.orderBy.length === 0 && !w.frame) return this.ident(w.baseName);
    return `(${this.windowBody(w)})`;
  }

  private windowBody(w: WindowSpec): string {
    const parts: string[] = [];
    if (w.baseName) parts.push(this.ident(w.baseName));
    if (w.partitionBy.length > 0) parts.push(`PARTITION BY ${w.partitionBy.map((x) => this.expr(x)).join(", ")}`);
    if (w.orderBy.length > 0) parts.push(`ORDER BY ${this.orderItems(w.orderBy)}`);
    if (w.frame) parts.push(w.frame.text);
    return parts.join(" ");
  }

  orderItems(items: readonly OrderItem[]): string {
    return items
      .map((o) => {
        let s = this.expr(o.expr);
        if (o.desc) s += " DESC";
        if (o.nullsFirst !== undefined) s += o.nullsFirst ? " NULLS FIRST" : " NULLS LAST";
        return s;
      })
      .join(", ");
  }

  type(t: TypeName): string {
    const duck = this.dialect === "duckdb";
    if (t.name === "ARRAY" && t.args && t.args.length === 1 && t.params.length === 0) {
      return duck ? `${this.type(t.args[0])}[]` : `ARRAY<${this.type(t.args[0])}>`;
    }
    if (t.fields) {
      const fields = t.fields.map((f) => `${/^[A-Za-z_][A-Za-z0-9_]*$/.test(f.name) ? f.name : this.quote + f.name + this.quote} ${this.type(f.type)}`).join(", ");
      return duck || t.name === "ROW" ? `${t.name}(${fields})` : `${t.name}<${fields}>`;
    }
    if (t.args) {
      const args = t.args.map((a) => this.type(a)).join(", ");
      return duck ? `${t.name}(${args})` : `${t.name}<${args}>`;
    }
    if (t.params.length > 0) {
      const m = /^(TIMESTAMP|TIME)( WITH(?:OUT)? TIME ZONE)$/.exec(t.name);
      if (m) return `${m[1]}(${t.params.join(", ")})${m[2]}`;
      return `${t.name}(${t.params.join(", ")})`;
    }
    return t.name;
  }

  // -------------------------------------------------------------------------------------------
  // Queries
  // -------------------------------------------------------------------------------------------

  query(q: Query): string {
    let out = "";
    if (q.with) {
      out += q.with.recursive ? "WITH RECURSIVE " : "WITH ";
      out += q.with.ctes
        .map((c) => {
          let s = this.ident(c.name);
          if (c.columns) s += ` (${this.idents(c.columns)})`;
          s += " AS ";
          if (c.materialized === true) s += "MATERIALIZED ";
          else if (c.materialized === false) s += "NOT MATERIALIZED ";
          return `${s}(${this.query(c.query)})`;
        })
        .join(", ");
      out += " ";
    }
    out += this.setExpr(q.body);
    if (q.orderBy) out += ` ORDER BY ${this.orderItems(q.orderBy)}`;
    if (q.orderByAll) {
      out += ` ORDER BY ALL${q.orderByAll.desc ? " DESC" : ""}`;
      if (q.orderByAll.nullsFirst !== undefined) out += q.orderByAll.nullsFirst ? " NULLS FIRST" : " NULLS LAST";
    }
    if (q.limit) out += ` LIMIT ${this.expr(q.limit)}${q.limitPercent ? "%" : ""}`;
    if (q.offset) out += ` OFFSET ${this.expr(q.offset)}`;
    return out;
  }

  private setExpr(s: SetExpr): string {
    switch (s.kind) {
      case "select":
        return this.select(s);
      case "values":
        return `VALUES ${s.rows.map((r) => `(${r.map((x) => this.expr(x)).join(", ")})`).join(", ")}`;
      case "query":
        return `(${this.query(s)})`;
      case "set_op": {
        const prec = setPrec(s.op);
        const left = s.left.kind === "set_op" && setPrec(s.left.op) < prec ? `(${this.setExpr(s.left)})` : this.setExpr(s.left);
        const right = s.right.kind === "set_op" && setPrec(s.right.op) <= prec ? `(${this.setExpr(s.right)})` : this.setExpr(s.right);
        // BigQuery requires an explicit ALL or DISTINCT on every set operation.
        const quant = s.all ? " ALL" : this.dialect === "bigquery" ? " DISTINCT" : "";
        return `${left} ${s.op}${quant}${s.byName ? " BY NAME" : ""} ${right}`;
      }
    }
  }

  private select(s: Select): string {
    let out = "SELECT";
    if (s.as) out += ` AS ${s.as}`;
    if (s.distinct) out += s.distinct.on ? ` DISTINCT ON (${s.distinct.on.map((x) => this.expr(x)).join(", ")})` : " DISTINCT";
    if (s.top) out += ` TOP ${this.wrap(s.top, s.top.kind !== "literal" && s.top.kind !== "param" && s.top.kind !== "subquery")}`;
    out += ` ${s.projection.map((p) => this.selectItem(p)).join(", ")}`;
    if (s.from.length > 0) out += ` FROM ${s.from.map((f) => this.tableRef(f)).join(", ")}`;
    if (s.connectBy?.startWith) out += ` START WITH ${this.expr(s.connectBy.startWith)}`;
    if (s.connectBy) out += ` CONNECT BY ${s.connectBy.nocycle ? "NOCYCLE " : ""}${this.expr(s.connectBy.condition)}`;
    if (s.where) out += ` WHERE ${this.expr(s.where)}`;
    if (s.groupBy) out += s.groupBy.all ? " GROUP BY ALL" : ` GROUP BY ${s.groupBy.items.map((x) => this.expr(x)).join(", ")}`;
    if (s.having) out += ` HAVING ${this.expr(s.having)}`;
    if (s.windows) out += ` WINDOW ${s.windows.map((w) => `${this.ident(w.name)} AS (${this.windowBody(w.spec)})`).join(", ")}`;
    if (s.qualify) out += ` QUALIFY ${this.expr(s.qualify)}`;
    if (s.sample) out += ` ${s.sample}`;
    return out;
  }

  private selectItem(p: SelectItem): string {
    if (p.kind === "star") return this.star(p.star);
    if (p.aliases) return `${this.expr(p.expr)} AS (${p.aliases.map((a) => this.ident(a)).join(", ")})`;
    return p.alias ? `${this.expr(p.expr)} AS ${this.ident(p.alias)}` : this.expr(p.expr);
  }

  private alias(a: TableAlias | undefined): string {
    if (!a) return "";
    const name = a.name.name === "" ? "" : ` AS ${this.ident(a.name)}`;
    return a.columns ? `${name} (${this.idents(a.columns)})` : name;
  }

  /** A subquery's alias and its sample: after the alias, except in Databricks (Spark's grammar puts it before). */
  private sampled(alias: string, sample: string | undefined): string {
    if (!sample) return alias;
    return this.dialect === "databricks" ? ` ${sample}${alias}` : `${alias} ${sample}`;
  }

  tableRef(t: TableRef): string {
    switch (t.kind) {
      case "table": {
        if (t.file) return `'${t.name[0].name.replace(/'/g, "''")}'${this.alias(t.alias)}`;
        if (t.stage) return `${t.name[0].name}${t.modifiers ? ` ${t.modifiers}` : ""}${this.alias(t.alias)}`;
        const name = t.name.map((p) => this.ident(p)).join(".");
        if (!t.modifiers) return name + this.alias(t.alias);
        // Databricks' streaming read comes before the name.
        if (readsStream(t.modifiers)) {
          const rest = t.modifiers.slice(6).trimStart();
          return `STREAM ${this.tableRef(rest === "" ? { ...t, modifiers: undefined } : { ...t, modifiers: rest })}`;
        }
        // Time travel goes before the alias; sampling after it, except in Databricks (Spark's grammar puts it before).
        const cut = this.dialect === "databricks" ? -1 : sampleStart(t.modifiers);
        if (cut < 0) return `${name} ${t.modifiers}${this.alias(t.alias)}`;
        const before = t.modifiers.slice(0, cut);
        const after = t.modifiers.slice(cut).trimStart();
        return `${name}${before ? ` ${before}` : ""}${this.alias(t.alias)} ${after}`;
      }
      case "derived":
        return `${t.lateral ? "LATERAL " : ""}(${this.query(t.query)})${this.sampled(this.alias(t.alias), t.sample)}`;
      case "join": {
        const right = t.right.kind === "join" ? `(${this.tableRef(t.right)})` : this.tableRef(t.right);
        const words = t.asofOuter !== undefined ? `ASOF ${t.asofOuter.toUpperCase()} JOIN` : JOIN_WORDS[t.joinType];
        let out = `${this.tableRef(t.left)} ${t.natural ? "NATURAL " : ""}${words} ${right}`;
        if (t.matchCondition) out += ` MATCH_CONDITION (${this.expr(t.matchCondition)})`;
        if (t.on) out += ` ON ${this.expr(t.on)}`;
        if (t.using) out += ` USING (${this.idents(t.using)})`;
        return out;
      }
      case "function_table": {
        const fn = t.table ? `TABLE(${this.fn(t.fn)})` : this.fn(t.fn);
        let out = `${t.lateral ? "LATERAL " : ""}${t.stream ? "STREAM " : ""}${fn}${this.alias(t.alias)}`;
        if (t.withOffset === true) out += " WITH OFFSET";
        else if (t.withOffset) out += ` WITH OFFSET AS ${this.ident(t.withOffset)}`;
        return t.sample ? `${out} ${t.sample}` : out;
      }
      case "values_table":
        return `${this.setExpr(t.values)}${this.alias(t.alias)}`;
      case "pivot": {
        const source = t.source.kind === "join" ? `(${this.tableRef(t.source)})` : this.tableRef(t.source);
        const items = t.inList.map((i) => (i.alias ? `${this.expr(i.expr)} AS ${this.ident(i.alias)}` : this.expr(i.expr))).join(", ");
        const aliasOf = (k: number): string => {
          const a = t.aggregateAliases?.[k];
          return a ? ` AS ${this.ident(a)}` : "";
        };
        const head = t.op === "PIVOT" ? t.aggregates.map((a, k) => this.expr(a) + aliasOf(k)).join(", ") : this.ident(t.valueColumn ?? t.forColumn);
        const nulls = t.includeNulls ? " INCLUDE NULLS" : "";
        const values = t.inQuery ? this.query(t.inQuery) : t.dynamic ? "ANY" : items;
        const more = (t.moreFor ?? []).map((f) => ` ${this.ident(f.column)} IN (${f.inList.map((i) => (i.alias ? `${this.expr(i.expr)} AS ${this.ident(i.alias)}` : this.expr(i.expr))).join(", ")})`).join("");
        const group = t.groupBy ? ` GROUP BY ${t.groupBy.map((g) => this.expr(g)).join(", ")}` : "";
        const dflt = t.defaultOnNull ? ` DEFAULT ON NULL (${this.expr(t.defaultOnNull)})` : "";
        return `${source} ${t.op}${nulls} (${head} FOR ${this.ident(t.forColumn)} IN (${values})${more}${group}${dflt})${this.alias(t.alias)}`;
      }
      case "match_recognize": {
        const parts: string[] = [];
        if (t.partitionBy.length > 0) parts.push(`PARTITION BY ${t.partitionBy.map((e) => this.expr(e)).join(", ")}`);
        if (t.orderBy.length > 0) parts.push(`ORDER BY ${this.orderItems(t.orderBy)}`);
        if (t.measures.length > 0) parts.push(`MEASURES ${t.measures.map((m) => `${m.semantics === undefined ? "" : `${m.semantics} `}${this.expr(m.expr)} AS ${this.ident(m.alias)}`).join(", ")}`);
        parts.push(t.allRows ? `ALL ROWS PER MATCH${t.rowsOption === undefined ? "" : ` ${t.rowsOption}`}` : "ONE ROW PER MATCH");
        if (t.afterMatchSkip !== undefined) parts.push(`AFTER MATCH SKIP ${t.afterMatchSkip.to}${t.afterMatchSkip.symbol ? ` ${this.ident(t.afterMatchSkip.symbol)}` : ""}`);
        parts.push(`PATTERN (${t.pattern})`);
        if (t.subsets !== undefined) parts.push(`SUBSET ${t.subsets.map((u) => `${this.ident(u.name)} = (${this.idents(u.members)})`).join(", ")}`);
        if (t.define.length > 0) parts.push(`DEFINE ${t.define.map((d) => `${this.ident(d.symbol)} AS ${this.expr(d.expr)}`).join(", ")}`);
        return `${this.tableRef(t.source)} MATCH_RECOGNIZE (${parts.join(" ")})${this.alias(t.alias)}`;
      }
      case "lateral_view": {
        let out = `${this.tableRef(t.source)} LATERAL VIEW ${t.outer ? "OUTER " : ""}${this.fn(t.fn)}`;
        if (t.alias) {
          if (t.alias.name.name !== "") out += ` ${this.ident(t.alias.name)}`;
          if (t.alias.columns) out += ` AS ${this.idents(t.alias.columns)}`;
        }
        return out;
      }
    }
  }
}

/** Where the first top-level sampling clause starts in normalized modifier text (outside parentheses and strings), or -1. */
function sampleStart(text: string): number {
  let depth = 0;
  for (let k = 0; k < text.length; k++) {
    const c = text[k];
    if (c === "'") {
      k++;
      while (k < text.length && !(text[k] === "'" && text[k + 1] !== "'")) k += text[k] === "'" ? 2 : 1;
      continue;
    }
    if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (depth === 0 && (k === 0 || text[k - 1] === " ") && /^(SAMPLE|TABLESAMPLE|USING SAMPLE)\b/.test(text.slice(k))) return k;
  }
  return -1;
}

function setPrec(op: string): number {
  return op === "INTERSECT" ? 2 : 1;
}

import { analyzeModel } from "../../../../engine/src/analyze/analyze-model.js";
import type { ModelAnalysis, SchemaProvider } from "../../../../engine/src/compile/types.js";
import type { DialectId } from "../../../../engine/src/syntax/ast.js";
import { parseSql } from "../../../../engine/src/syntax/parse-sql.js";
import { formatType, type SqlType } from "../../../../engine/src/types/sql-type.js";
import { typeFromWarehouseName } from "../../../../engine/src/types/type-from-name.js";

/** `name → "col TYPE [NOT NULL], ..."` in the dialect's type syntax; 1-part names are models. */
export type SchemaSpec = Record<string, string>;

export function schemaProvider(spec: SchemaSpec, dialect: DialectId): SchemaProvider {
  const parsed = new Map<string, { name: string; type: SqlType; nullable: boolean }[]>();
  for (const [name, text] of Object.entries(spec)) {
    parsed.set(
      name.toLowerCase(),
      splitTop(text).map((part) => {
        const m = /^\s*("?[^"\s]+"?)\s+(.*?)(\s+NOT\s+NULL)?\s*$/i.exec(part);
        if (!m) throw new Error(`bad schema column ${part}`);
        return { name: m[1].replace(/"/g, ""), type: typeFromWarehouseName(m[2], dialect), nullable: !m[3] };
      }),
    );
  }
  return {
    columnsOf: (name) => parsed.get(name),
    isModel: (name) => !name.includes(".") && parsed.has(name),
  };
}

function splitTop(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = "";
  for (const ch of text) {
    if (ch === "(" || ch === "<") depth++;
    if (ch === ")" || ch === ">") depth--;
    if (ch === "," && depth === 0) {
      out.push(cur);
      cur = "";
      continue;
    }
    cur += ch;
  }
  if (cur.trim()) out.push(cur);
  return out;
}

export function analyzeSql(sql: string, spec: SchemaSpec, dialect: DialectId = "duckdb", model = "m"): ModelAnalysis {
  const parsed = parseSql(sql, dialect);
  if (!parsed.query) throw new Error(`parse error: ${parsed.error?.message} at ${parsed.error?.span.line}:${parsed.error?.span.col}\n${sql}`);
  return analyzeModel({ model, file: `models/${model}.sql`, dialect, query: parsed.query, schemas: schemaProvider(spec, dialect) });
}

/** `name: Type [NOT NULL] <- src.col (transform), ...` — the golden line format. */
export function describeColumns(a: ModelAnalysis): string[] {
  return a.columns.map((c) => {
    const srcs = c.sources.map((s) => `${s.model}.${s.column} (${transformLabel(s.transform)})`).join(", ");
    return `${c.name}: ${formatType(c.type)}${c.nullable ? "" : " NOT NULL"}${srcs ? ` <- ${srcs}` : ""}`;
  });
}

function transformLabel(t: ModelAnalysis["columns"][number]["sources"][number]["transform"]): string {
  switch (t.kind) {
    case "cast":
    case "try_cast":
      return `${t.kind} ${t.to}`;
    case "aggregation":
    case "window":
      return `${t.kind} ${t.fn}`;
    default:
      return t.kind;
  }
}

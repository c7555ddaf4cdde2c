import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { createDiagnostic } from "../diagnostics/registry.js";

export interface VarSubstitution {
  readonly sql: string;
  /** Per 1-based line: (sqlCol → rawCol) anchor pairs, 1-based; absent when nothing was substituted. */
  readonly columnMap?: Map<number, [number, number][]>;
  /** Names of the variables used (for cache keys and `rocky compile --var` help). */
  readonly used: readonly string[];
}

/**
 * Substitute `@var(name)` / `@var(name, 'default')` in SQL from `vars` (values and defaults are SQL
 * text, inserted as written), everywhere but in comments: inside string literals and quoted
 * identifiers too, as Rocky does (`WHERE region = '@var(region)'`). Line structure is kept
 * (newlines in values become spaces), so parser lines are file lines; shifted columns are recorded
 * in `columnMap`. A variable with no value and no default is E028 at its first `@var` call, and
 * each call is replaced by `NULL` so that the model still parses and keeps its other columns typed
 * (E028 is the one finding, not a syntax error too).
 */
const HAS_VAR = /@var\s*\(/i;
const MISSING_VAR_PLACEHOLDER = "NULL";

export function substituteVars(sql: string, vars: Readonly<Record<string, string>>, file: string, model: string, diagnostics: Diagnostic[]): VarSubstitution {
  if (!HAS_VAR.test(sql)) return { sql, used: [] };
  let out = "";
  let i = 0;
  let line = 1;
  let lineStart = 0;
  /** out length at the start of the current line. */
  let outLineStart = 0;
  const used: string[] = [];
  const missing = new Set<string>();
  const columnMap = new Map<number, [number, number][]>();
  const n = sql.length;
  // The next newline at or after `i` (n when none), found once: a long line with many @var calls is
  // not rescanned to its end per call.
  let nextNl = -1;
  const copyTo = (end: number) => {
    if (nextNl < i) {
      nextNl = sql.indexOf("\n", i);
      if (nextNl < 0) nextNl = n;
    }
    while (nextNl < end) {
      line++;
      lineStart = nextNl + 1;
      outLineStart = out.length + (nextNl + 1 - i);
      nextNl = sql.indexOf("\n", nextNl + 1);
      if (nextNl < 0) nextNl = n;
    }
    out += sql.slice(i, end);
    i = end;
  };
  /** Replace the call at `i` by its value (E028 and NULL when it has none). */
  const substituteCall = (call: { readonly name: string; readonly fallback?: string; readonly end: number }): void => {
    const rawCol = i - lineStart + 1;
    const sqlCol = out.length - outLineStart + 1;
    const given = vars[call.name] ?? call.fallback;
    used.push(call.name);
    // One E028 per variable, at its first call (as Rocky reports each missing name once).
    if (given === undefined && !missing.has(call.name)) {
      missing.add(call.name);
      const endLine = line + (sql.slice(i, call.end).match(/\n/g)?.length ?? 0);
      const lastNl = sql.lastIndexOf("\n", call.end - 1);
      const endCol = endLine === line ? rawCol + (call.end - i) : call.end - lastNl;
      diagnostics.push(
        createDiagnostic("E028", `@var(${call.name}) has no --var value and no default`, {
          model,
          span: { file, line, col: rawCol, endLine, endCol },
          suggestion: `pass --var ${call.name}=value, or write @var(${call.name}, 'default')`,
        }),
      );
    }
    // Reported above: NULL stands in so the model still parses and types (no R001 at the same place).
    const value = given ?? MISSING_VAR_PLACEHOLDER;
    // Keep newlines inside the call (rare) so lines stay aligned; the value itself is one line.
    const newlines = (sql.slice(i, call.end).match(/\n/g) ?? []).length;
    const text = value.replace(/\r?\n/g, " ");
    if (newlines === 0) {
      const rawEndCol = rawCol + (call.end - i);
      out += text;
      i = call.end;
      const pairs = columnMap.get(line) ?? [];
      pairs.push([sqlCol, rawCol], [sqlCol + text.length, rawEndCol]);
      columnMap.set(line, pairs);
      return;
    }
    out += text + "\n".repeat(newlines);
    i = call.end;
    line += newlines;
    lineStart = sql.lastIndexOf("\n", i - 1) + 1;
    outLineStart = out.length;
  };
  const interesting = /['"`\-\/@]/g;
  while (i < n) {
    interesting.lastIndex = i;
    const next = interesting.exec(sql);
    if (!next) {
      copyTo(n);
      break;
    }
    copyTo(next.index);
    const c = sql[i];
    if (c === "'" || c === '"' || c === "`") {
      // Inside quotes too, as Rocky does: `WHERE region = '@var(region)'` is its own example.
      const end = skipQuoted(sql, i, c);
      copyTo(i + 1);
      while (i < end) {
        const at = sql.indexOf("@", i);
        if (at < 0 || at >= end) {
          copyTo(end);
          break;
        }
        copyTo(at);
        const call = startsVarCall(sql, i) ? parseVarCall(sql, i) : undefined;
        if (call === undefined || call.end > end) copyTo(i + 1);
        else substituteCall(call);
      }
      continue;
    }
    if (c === "-" && sql[i + 1] === "-") {
      const eol = sql.indexOf("\n", i);
      copyTo(eol < 0 ? n : eol);
      continue;
    }
    if (c === "/" && sql[i + 1] === "*") {
      const end = sql.indexOf("*/", i + 2);
      copyTo(end < 0 ? n : end + 2);
      continue;
    }
    if (c === "@" && startsVarCall(sql, i)) {
      const call = parseVarCall(sql, i);
      if (call === undefined) copyTo(i + 1);
      else substituteCall(call);
      continue;
    }
    copyTo(i + 1);
  }
  return columnMap.size === 0 ? { sql: out, used } : { sql: out, columnMap, used };
}

function skipQuoted(sql: string, start: number, q: string): number {
  let i = start + 1;
  while (i < sql.length) {
    if (sql[i] === "\\" && q === "'") {
      i += 2;
      continue;
    }
    if (sql[i] === q) {
      if (sql[i + 1] === q) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i++;
  }
  return sql.length;
}

/**
 * `@var(name)` / `@var(name, 'default')` / `@var(name, 42)` starting at `at`. The default is SQL
 * text and is inserted as written (`'eu'` stays a string literal); `--var` values likewise.
 */
const VAR_CALL_SOURCE = String.raw`@var\s*\(\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:,\s*('(?:[^'\\]|\\.|'')*'|"(?:[^"\\]|\\.)*"|[^\s)]+)\s*)?\)`;
/** Matched in place (sticky), not on a 4 KB copy of the text after every `@var`. */
const VAR_CALL_AT = new RegExp(VAR_CALL_SOURCE, "iy");
/** The call's definition: a match within 4,096 characters of the `@`. */
const VAR_CALL_WITHIN = new RegExp(`^${VAR_CALL_SOURCE}`, "i");
const VAR_OPEN_AT = /@var\s*\(/iy;

/** `@var(` starts at `at`, within 12 characters (as `/^@var\s*\(/i` on the next 12 characters). */
function startsVarCall(sql: string, at: number): boolean {
  VAR_OPEN_AT.lastIndex = at;
  const m = VAR_OPEN_AT.exec(sql);
  return m !== null && m[0].length <= 12;
}

function parseVarCall(sql: string, at: number): { name: string; fallback?: string; end: number } | undefined {
  VAR_CALL_AT.lastIndex = at;
  let m = VAR_CALL_AT.exec(sql);
  // A call longer than 4,096 characters: match it exactly as defined, on the 4 KB after the `@`
  // (a quoted default can then end earlier, or not match at all).
  if (m !== null && m[0].length > 4096) m = VAR_CALL_WITHIN.exec(sql.slice(at, at + 4096));
  if (!m) return undefined;
  return { name: m[1], fallback: m[2], end: at + m[0].length };
}

/** Map a 1-based column of the substituted SQL back to the raw file column on that line. */
export function rawColumn(columnMap: ReadonlyMap<number, readonly (readonly [number, number])[]> | undefined, line: number, col: number): number {
  const pairs = columnMap?.get(line);
  if (!pairs) return col;
  let best: readonly [number, number] | undefined;
  for (const p of pairs) if (p[0] <= col) best = p;
  return best ? best[1] + (col - best[0]) : col;
}

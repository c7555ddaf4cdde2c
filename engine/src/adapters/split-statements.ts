/** One statement of a SQL script, with where it starts in the file (1-based line and column). */
export interface ScriptStatement {
  readonly sql: string;
  /** Offset of the statement's first token in the script. */
  readonly start: number;
  readonly line: number;
  readonly col: number;
}

/**
 * Split a SQL script on `;` outside strings, quoted identifiers, comments and dollar quotes.
 * Statements that hold only comments or whitespace are dropped. Never throws: an unterminated
 * string or comment runs to the end of the script (the warehouse then reports it).
 * `backslashEscapes`: `\'` does not end a string (Snowflake, Databricks); off for DuckDB.
 */
export function splitStatements(script: string, options: { readonly backslashEscapes?: boolean } = {}): ScriptStatement[] {
  const out: ScriptStatement[] = [];
  let stmtStart = -1;
  let i = 0;
  const flush = (end: number) => {
    if (stmtStart >= 0) {
      const sql = script.slice(stmtStart, end).trimEnd();
      out.push({ sql, start: stmtStart, ...lineCol(script, stmtStart) });
    }
    stmtStart = -1;
  };
  while (i < script.length) {
    const ch = script[i];
    const next = script[i + 1];
    if (ch === "-" && next === "-") {
      i = skipTo(script, i + 2, "\n");
      continue;
    }
    if (ch === "/" && next === "*") {
      i = skipTo(script, i + 2, "*/");
      continue;
    }
    if (ch === ";") {
      flush(i);
      i++;
      continue;
    }
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (stmtStart < 0) stmtStart = i;
    if (ch === "'" || ch === '"' || ch === "`") {
      i = skipQuoted(script, i, ch, options.backslashEscapes === true);
      continue;
    }
    if (ch === "$") {
      const tag = /^\$[A-Za-z_]*\$/.exec(script.slice(i, i + 64));
      if (tag) {
        i = skipTo(script, i + tag[0].length, tag[0]);
        continue;
      }
    }
    i++;
  }
  flush(script.length);
  return out;
}

function skipTo(s: string, from: number, end: string): number {
  const at = s.indexOf(end, from);
  return at < 0 ? s.length : at + end.length;
}

/** Past a quoted run; a doubled quote is an escaped quote. */
function skipQuoted(s: string, from: number, q: string, backslashEscapes: boolean): number {
  let i = from + 1;
  while (i < s.length) {
    if (s[i] === q) {
      if (s[i + 1] === q) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    // Snowflake and Databricks strings take backslash escapes; DuckDB's do not.
    if (backslashEscapes && s[i] === "\\" && q === "'") i++;
    i++;
  }
  return s.length;
}

/** 1-based line and column of an offset. */
export function lineCol(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let lastNl = -1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lastNl = i;
    }
  }
  return { line, col: offset - lastNl };
}

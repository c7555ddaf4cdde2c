import { lineStartsOf } from "../util/line-index.js";
import { TomlError, parse } from "smol-toml";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { createDiagnostic } from "../diagnostics/registry.js";
import { type ExplainedTomlError, explainTomlError } from "./toml-errors.js";
import { parseSimpleToml } from "./toml-fast-path.js";
import { type TomlLocator, type TomlPath, locateTomlKeys } from "./toml-locator.js";
import { type Spec, type SpecIssue, checkSpec, formatPath, isTable } from "./toml-spec.js";
import type { TomlLocation } from "./types.js";

/** A parsed TOML file: its data (after `${VAR}` substitution) and where each key sits. */
export interface TomlDoc {
  readonly file: string;
  /** The TOML text as parsed (the front-matter block only, for inline configs). */
  readonly text: string;
  readonly data: Record<string, unknown>;
  readonly locator: TomlLocator;
  /** Lines before the TOML text in its file (inline front-matter), added to every reported line. */
  readonly lineOffset: number;
  /** The file has a syntax error (reported): `data` is what the rest of it says, the broken section left out. */
  readonly salvaged?: true;
}

export type Env = Readonly<Record<string, string | undefined>>;

const ENV_REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * Parse TOML text; a syntax error is one R002 at the parser's line and column, and the result is
 * what the rest of the file says (`salvaged`), or undefined when nothing could be read.
 * `${VAR}` / `${VAR:-default}` are resolved from `env` (never process.env): inside string values
 * after parsing (so positions stay exact), and outside strings in the text before parsing
 * (`port = ${PORT:-5432}`, which Rocky allows because it substitutes the raw text). An unset
 * variable without default is R002 naming it.
 */
export function parseTomlDoc(file: string, written: string, env: Env, diagnostics: Diagnostic[], lineOffset = 0): TomlDoc | undefined {
  const unset: UnsetPlaceholders = new Map();
  const text = written.includes("${") ? substituteBareEnv(written, env, file, lineOffset, diagnostics, unset) : written;
  // Most config files are plain: one scan gives smol-toml's data and the locator's positions.
  const fast = parseSimpleToml(text);
  if (fast !== undefined) {
    const doc: TomlDoc = { file, text, data: fast.data, locator: fast.locator, lineOffset };
    if (text.includes("${")) substituteEnv(doc, fast.data, [], env, diagnostics, unset);
    return doc;
  }
  let data: Record<string, unknown>;
  try {
    data = parse(text) as Record<string, unknown>;
  } catch (e) {
    const line = e instanceof TomlError && e.line > 0 ? e.line : 1;
    const col = e instanceof TomlError && e.column > 0 ? e.column : 1;
    const first = (e instanceof Error ? e.message : String(e)).split("\n")[0].replace(/^Invalid TOML document: /, "");
    const x = explainTomlError(text, line, col, first);
    // The rest of the file still counts: a broken [adapter] header must not take [freshness] and
    // [mask] with it (every model would then be checked against defaults, a finding each).
    const salvaged = salvageToml(text, x.line);
    // Each error's R002 names the section it cost as its `key` (what a check that depends on that
    // section, masking, reads); a later error, which would otherwise cost its section silently, is
    // reported the same way. Unsalvaged, the one R002 has no key: the whole file is lost.
    syntaxDiagnostic(file, lineOffset, x, salvaged?.cuts[0], diagnostics);
    if (salvaged === undefined) return undefined;
    for (let i = 1; i < salvaged.cuts.length; i++) {
      const cut = salvaged.cuts[i];
      if (cut.error !== undefined) syntaxDiagnostic(file, lineOffset, explainTomlError(cut.before, cut.error.line, cut.error.col, cut.error.message), cut, diagnostics);
    }
    const doc: TomlDoc = { ...lazyLocatorDoc(file, salvaged.text, salvaged.data, lineOffset), salvaged: true };
    if (salvaged.text.includes("${")) substituteEnv(doc, salvaged.data, [], env, diagnostics, unset);
    return doc;
  }
  const doc = lazyLocatorDoc(file, text, data, lineOffset);
  if (text.includes("${")) substituteEnv(doc, data, [], env, diagnostics, unset);
  return doc;
}

/** A table header (`[a.b]`, `[[a]]`, closed or not): where a section starts. A line of a multi-line array starts with a value instead. */
const HEADER_LINE = /^\s*\[\[?\s*[A-Za-z_]/;
/** A header's name, up to its closing bracket (or the end of the line when it is not closed). */
const HEADER_NAME = /^\s*\[\[?([^\]#]*)/;
/** The key (dotted, quoted parts allowed) a `key = value` line sets. */
const LINE_KEY = /^\s*((?:[A-Za-z0-9_-]+|"[^"\n]*"|'[^'\n]*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"\n]*"|'[^'\n]*'))*)\s*=/;

/** What one cut of a salvage left out: the section's header path or the root line's key (when readable). */
interface SalvageCut {
  readonly key?: string;
  /** For every cut after the first: the parse error that asked for it, in `before` (the text as it was then). */
  readonly error?: { readonly line: number; readonly col: number; readonly message: string };
  readonly before: string;
}

/** `a . "b.c"` → `a.b.c` (quotes dropped: the path as the loader's keys spell it). */
function dottedKey(raw: string): string | undefined {
  const parts = raw.match(/"[^"]*"|'[^']*'|[^.]+/g)?.map((p) => p.trim().replace(/^["']|["']$/g, "")) ?? [];
  const key = parts.filter((p) => p !== "").join(".");
  return key === "" ? undefined : key;
}

/**
 * What a TOML file with a syntax error still says: the section holding the error (from its header,
 * or the line alone before the first header) is blanked out, and again for each later error, a few
 * times at most. Lines are kept, so every key still sits where it was written. Undefined when no
 * such cut parses. `cuts` says what each cut left out, in order.
 */
function salvageToml(text: string, errorLine: number): { text: string; data: Record<string, unknown>; cuts: SalvageCut[] } | undefined {
  const lines = text.split("\n");
  const cuts: SalvageCut[] = [];
  let line = errorLine;
  let error: SalvageCut["error"];
  for (let attempt = 0; attempt < 8; attempt++) {
    const at = Math.min(Math.max(line, 1), lines.length) - 1;
    let start = at;
    while (start >= 0 && !HEADER_LINE.test(lines[start])) start--;
    let end = at + 1;
    while (end < lines.length && !HEADER_LINE.test(lines[end])) end++;
    // Before the first header only the line itself goes: the root keys around it stay.
    const from = start < 0 ? at : start;
    const to = start < 0 ? at + 1 : end;
    const named = start < 0 ? LINE_KEY.exec(lines[at])?.[1] : HEADER_NAME.exec(lines[start])?.[1];
    const key = named === undefined ? undefined : dottedKey(named);
    const before = lines.join("\n");
    cuts.push({ ...(key !== undefined ? { key } : {}), ...(error !== undefined ? { error } : {}), before });
    for (let i = from; i < to; i++) lines[i] = "";
    const cut = lines.join("\n");
    try {
      return { text: cut, data: parse(cut) as Record<string, unknown>, cuts };
    } catch (e) {
      if (!(e instanceof TomlError) || e.line <= 0) return undefined;
      line = e.line;
      error = { line: e.line, col: e.column > 0 ? e.column : 1, message: e.message.split("\n")[0].replace(/^Invalid TOML document: /, "") };
    }
  }
  return undefined;
}

/** One syntax error's R002, at the construct, with the section it cost as its key. */
function syntaxDiagnostic(file: string, lineOffset: number, x: ExplainedTomlError, cut: SalvageCut | undefined, diagnostics: Diagnostic[]): void {
  const at = { file, line: x.line + lineOffset, col: x.col };
  diagnostics.push(
    createDiagnostic("R002", `invalid TOML: ${x.message}`, {
      span: x.replacement ? { ...at, endLine: at.line, endCol: x.replacement.endCol } : at,
      ...(x.suggestion ? { suggestion: x.suggestion } : {}),
      ...(x.replacement ? { replacement: { span: { ...at, endLine: at.line, endCol: x.replacement.endCol }, text: x.replacement.text } } : {}),
      ...(cut?.key !== undefined ? { key: cut.key } : {}),
    }),
  );
}

/**
 * Bare placeholders left unset, written as the string `"${VAR}"` for the post-parse pass to report
 * with the key they were the value of (and to drop, so the key takes its default): `${line}:${col}`
 * of the string in the substituted text → the placeholder's columns in the file.
 */
type UnsetPlaceholders = Map<string, { readonly col: number; readonly endCol: number }>;

/**
 * Replace `${VAR}` placeholders that are not inside a string or a comment (the only ones the TOML
 * parser would choke on). Placeholders inside strings are left for the post-parse pass. Lines are
 * kept; columns after a placeholder on its line shift by the length difference. An unset one
 * written as a value (`max_usd = ${BUDGET}`, an array element) becomes the string `"${BUDGET}"`,
 * recorded in `unset`: the post-parse pass reports it once, naming its key, rather than here and
 * again as the wrong type of whatever stood in for it.
 */
function substituteBareEnv(text: string, env: Env, file: string, lineOffset: number, diagnostics: Diagnostic[], unset: UnsetPlaceholders): string {
  let out = "";
  let last = 0;
  let line = 1;
  let lineStart = 0;
  /** How far the substituted text's columns are ahead of the file's on the current line. */
  let shift = 0;
  const n = text.length;
  const ref = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}\n]*))?\}/y;
  for (let i = 0; i < n; ) {
    const c = text[i];
    if (c === "\n") {
      line++;
      lineStart = ++i;
      shift = 0;
      continue;
    }
    if (c === "#") {
      const eol = text.indexOf("\n", i);
      i = eol < 0 ? n : eol;
      continue;
    }
    if (c === '"' || c === "'") {
      const triple = text.startsWith(c.repeat(3), i);
      const close = triple ? c.repeat(3) : c;
      let j = i + close.length;
      for (; j < n; j++) {
        if (text[j] === "\\" && c === '"') {
          j++;
          continue;
        }
        if (!triple && text[j] === "\n") break;
        if (text.startsWith(close, j)) break;
      }
      const end = Math.min(n, j + close.length);
      for (let k = i; k < end; k++) {
        if (text[k] === "\n") {
          line++;
          lineStart = k + 1;
          shift = 0;
        }
      }
      i = end;
      continue;
    }
    if (c === "$" && text[i + 1] === "{") {
      ref.lastIndex = i;
      const m = ref.exec(text);
      if (m) {
        const [whole, name, fallback] = m;
        const set = env[name];
        let value = set !== undefined && (set !== "" || fallback === undefined) ? set : fallback;
        const col = i - lineStart + 1;
        if (value === undefined && /=(?:.*[[,])?[ \t]*$/.test(text.slice(lineStart, i))) {
          unset.set(`${line}:${col + shift}`, { col, endCol: col + whole.length });
          value = `"${whole}"`;
        } else if (value === undefined) {
          diagnostics.push(
            createDiagnostic("R002", `environment variable \`${name}\` is not set and has no default`, {
              span: { file, line: line + lineOffset, col: i - lineStart + 1, endLine: line + lineOffset, endCol: i - lineStart + 1 + whole.length },
              suggestion: `set ${name}, or write \${${name}:-default}`,
            }),
          );
          value = '""';
        }
        const written = value.replace(/\r?\n/g, " ");
        out += text.slice(last, i) + written;
        shift += written.length - whole.length;
        i += whole.length;
        last = i;
        continue;
      }
    }
    i++;
  }
  return last === 0 ? text : out + text.slice(last);
}

/** The locator is built on first use: most files have no errors and ask for few locations. */
function lazyLocatorDoc(file: string, text: string, data: Record<string, unknown>, lineOffset: number): TomlDoc {
  let locator: TomlLocator | undefined;
  const get = () => {
    locator ??= locateTomlKeys(text);
    return locator;
  };
  return {
    file,
    text,
    data,
    lineOffset,
    locator: {
      find: (path) => get().find(path),
      keyAt: (path) => get().keyAt(path),
      valueAt: (path) => get().valueAt(path),
      shallowKeys: () => get().shallowKeys(),
      forEachShallowKey: (visit) => get().forEachShallowKey(visit),
    },
  };
}

function substituteEnv(doc: TomlDoc, node: unknown, path: (string | number)[], env: Env, diagnostics: Diagnostic[], unset: UnsetPlaceholders): void {
  const visit = (value: unknown, at: (string | number)[], set: (v: string | undefined) => void): void => {
    if (typeof value === "string") {
      if (value.includes("${")) set(resolveEnv(doc, value, at, env, diagnostics, unset));
      return;
    }
    substituteEnv(doc, value, at, env, diagnostics, unset);
  };
  if (Array.isArray(node)) {
    node.forEach((v, i) => {
      visit(v, [...path, i], (s) => {
        // Unset (reported): a hole, which checks and normalizers skip, not an element of no type.
        if (s === undefined) delete node[i];
        else node[i] = s;
      });
    });
    return;
  }
  if (!isTable(node)) return;
  for (const [k, v] of Object.entries(node)) {
    visit(v, [...path, k], (s) => {
      if (s === undefined) delete node[k];
      else node[k] = s;
    });
  }
}

/** The R002s this file made for an unset `${VAR}` of a parsed value, with the value's key path. */
const UNSET_ENV = new WeakMap<Diagnostic, readonly (string | number)[]>();

/** The key path of the value whose unset `${VAR}` this diagnostic reports, or undefined when it reports something else. */
export function unsetEnvPath(d: Diagnostic): readonly (string | number)[] | undefined {
  return UNSET_ENV.get(d);
}

/** The value with every `${VAR}` resolved, or undefined when a variable is unset with no default (reported). */
function resolveEnv(doc: TomlDoc, value: string, path: TomlPath, env: Env, diagnostics: Diagnostic[], unset: UnsetPlaceholders): string | undefined {
  let missing = false;
  const out = value.replace(ENV_REF, (whole: string, name: string, fallback: string | undefined) => {
    const set = env[name];
    if (set !== undefined && (set !== "" || fallback === undefined)) return set;
    if (fallback !== undefined) return fallback;
    missing = true;
    const d = createDiagnostic("R002", `environment variable \`${name}\` is not set (used by \`${formatPath(path)}\`) and has no default`, {
      span: placeholderSpan(doc, path, whole, unset),
      key: formatPath(path),
      suggestion: `set ${name}, or write \${${name}:-default}`,
    });
    UNSET_ENV.set(d, path.slice());
    diagnostics.push(d);
    return "";
  });
  return missing ? undefined : out;
}

/**
 * Where an unset `${VAR}` of the value at `path` was written: the placeholder itself (`${DB}` in
 * `path = "data/${DB}.duckdb"`, a bare `${BUDGET}`), else the value's start.
 */
function placeholderSpan(doc: TomlDoc, path: TomlPath, placeholder: string, unset: UnsetPlaceholders): Diagnostic["span"] {
  const at = spanAt(doc, path, "value");
  const line = at.line - doc.lineOffset;
  const bare = unset.get(`${line}:${at.col}`);
  if (bare !== undefined) return { ...at, col: bare.col, endLine: at.line, endCol: bare.endCol };
  // Inside a string on the value's line: find the placeholder there (a multi-line string's later lines keep the value's start).
  const start = lineStart(doc, line);
  if (start === undefined) return at;
  const eol = doc.text.indexOf("\n", start);
  const found = doc.text.slice(start, eol < 0 ? doc.text.length : eol).indexOf(placeholder, at.col - 1);
  return found < 0 ? at : { ...at, col: found + 1, endLine: at.line, endCol: found + 1 + placeholder.length };
}

/** The file/line/col of a key path. */
export function spanAt(doc: TomlDoc, path: TomlPath, at: SpecIssue["at"] = "key"): { file: string; line: number; col: number } {
  const pos = at === "value" ? doc.locator.valueAt(path) : at === "parent" ? doc.locator.keyAt(path.slice(0, -1)) : doc.locator.keyAt(path);
  return { file: doc.file, line: pos.line + doc.lineOffset, col: pos.col };
}

export function locationOf(doc: TomlDoc, path: TomlPath): TomlLocation {
  return spanAt(doc, path, "key");
}

/**
 * Check `doc` (or the sub-tree at `base`) against a spec: each issue becomes R002 with file,
 * line, column and key, and the offending value is removed from the data so normalization falls
 * back to the default for it. Returns the number of issues.
 */
export function checkDoc(doc: TomlDoc, spec: Spec, diagnostics: Diagnostic[], options: { base?: TomlPath; model?: string } = {}): number {
  const base = options.base ?? [];
  const issues: SpecIssue[] = [];
  checkSpec(base.length === 0 ? doc.data : getPath(doc.data, base), spec, base, issues);
  for (const issue of issues) reportIssue(doc, issue, diagnostics, options.model);
  for (const issue of issues) if (issue.at !== "parent") prunePath(doc.data, issue.path);
  return issues.length;
}

export function reportIssue(doc: TomlDoc, issue: SpecIssue, diagnostics: Diagnostic[], model?: string): void {
  const span = spanAt(doc, issue.path, issue.at);
  const end = issue.at === "parent" ? undefined : tokenEnd(doc, span.line - doc.lineOffset, span.col, issue.at === "key");
  const fullSpan = end === undefined ? span : { ...span, endLine: span.line, endCol: end.endCol };
  let replacement: Diagnostic["replacement"];
  if (issue.replacement !== undefined && end !== undefined) {
    replacement = { span: fullSpan, text: end.quote ? `${end.quote}${issue.replacement}${end.quote}` : issue.replacement };
  }
  diagnostics.push(
    createDiagnostic("R002", issue.message, {
      span: fullSpan,
      key: formatPath(issue.path),
      model,
      suggestion: issue.suggestion,
      replacement,
    }),
  );
}

/** Offsets where each line of a document's text starts, indexed on its first finding. */
const docLineStarts = new WeakMap<TomlDoc, number[]>();

/** Where 1-based `line` of the document's text starts; undefined past its last line. */
function lineStart(doc: TomlDoc, line: number): number | undefined {
  if (line <= 1) return 0;
  let starts = docLineStarts.get(doc);
  if (starts === undefined) docLineStarts.set(doc, (starts = lineStartsOf(doc.text)));
  return starts[line - 1];
}

/**
 * The exclusive end column of the token at (line, col) of the document's text: a bare key (one dotted part) or
 * scalar, or a single-line quoted string (then `quote` is its quote character). Undefined when unclear. A file
 * with thousands of findings looks its lines up in an index, not by counting them again per finding.
 */
function tokenEnd(doc: TomlDoc, line: number, col: number, isKey: boolean): { endCol: number; quote?: string } | undefined {
  const text = doc.text;
  const start = lineStart(doc, line);
  if (start === undefined) return undefined;
  const eol = text.indexOf("\n", start);
  const lineText = text.slice(start, eol < 0 ? text.length : eol).replace(/\r$/, "");
  const i = col - 1;
  const c = lineText[i];
  if (c === undefined) return undefined;
  if (c === '"' || c === "'") {
    if (lineText.startsWith(c.repeat(3), i)) return undefined;
    const close = lineText.indexOf(c, i + 1);
    return close < 0 || (c === '"' && lineText.slice(i + 1, close).includes("\\")) ? undefined : { endCol: close + 2, quote: c };
  }
  const m = (isKey ? /^[A-Za-z0-9_-]+/ : /^[A-Za-z0-9_+\-.:]+/).exec(lineText.slice(i));
  return m ? { endCol: col + m[0].length } : undefined;
}

export function getPath(data: unknown, path: TomlPath): unknown {
  let node = data;
  for (const p of path) {
    if (Array.isArray(node) && typeof p === "number") node = node[p];
    else if (isTable(node) && typeof p === "string") node = node[p];
    else return undefined;
  }
  return node;
}

/** Remove the value at `path` (an array element becomes a hole that normalizers skip). */
export function prunePath(data: unknown, path: TomlPath): void {
  if (path.length === 0) return;
  const parent = getPath(data, path.slice(0, -1));
  const last = path[path.length - 1];
  if (Array.isArray(parent) && typeof last === "number") parent[last] = undefined;
  else if (isTable(parent) && typeof last === "string") delete parent[last];
}

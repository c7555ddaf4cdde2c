import { didYouMean } from "../util/did-you-mean.js";
import type { TomlPath } from "./toml-locator.js";

/**
 * A small declarative schema for TOML documents: the config formats are data (config-specs.ts),
 * and one checker walks a parsed document against them, producing issues with key paths that
 * toml-file.ts turns into R002 diagnostics with file, line, column and key.
 */
export type Spec =
  | StringSpec
  | { readonly kind: "integer" | "number"; readonly min?: number }
  | { readonly kind: "boolean" }
  | { readonly kind: "array"; readonly of: Spec }
  | TableSpec
  | { readonly kind: "any" }
  | { readonly kind: "either"; readonly options: readonly Spec[]; readonly expected: string }
  | TaggedSpec;

export interface StringSpec {
  readonly kind: "string";
  /** Allowed values (an enum); did-you-mean on a miss. */
  readonly oneOf?: readonly string[];
  /** How `oneOf` compares (a spelling-tolerant enum: `X-Small`, `xsmall`); exact when absent. */
  readonly normalize?: (value: string) => string;
  /** A value that must match; `patternHelp` says what is expected. */
  readonly pattern?: RegExp;
  readonly patternHelp?: string;
}

export interface TableSpec {
  readonly kind: "table";
  readonly fields: Readonly<Record<string, Spec>>;
  readonly required?: readonly string[];
  /** Spec for keys not in `fields` (a map: `[mask]`, `[classification]`); absent → unknown keys are errors. */
  readonly rest?: Spec;
  /** Keys users bring from other tools (dbt's `materialized`) → the key to use instead. */
  readonly aliases?: Readonly<Record<string, string>>;
}

/** A table whose `tag` key selects the variant (`[strategy] type = ...`, `[pipeline.x] type = ...`). */
export interface TaggedSpec {
  readonly kind: "tagged";
  readonly tag: string;
  readonly defaultTag?: string;
  readonly variants: Readonly<Record<string, TableSpec>>;
}

export interface SpecIssue {
  readonly path: TomlPath;
  readonly message: string;
  readonly suggestion?: string;
  /** Point at the key (unknown key), the value (bad value) or the enclosing table (missing key). */
  readonly at: "key" | "value" | "parent";
  /** A clean rewrite of the token at `at` (the did-you-mean key, or the enum value unquoted). */
  readonly replacement?: string;
}

export const str = (extra: Omit<StringSpec, "kind"> = {}): StringSpec => ({ kind: "string", ...extra });
export const int = (min?: number): Spec => ({ kind: "integer", min });
export const num = (min?: number): Spec => ({ kind: "number", min });
export const bool: Spec = { kind: "boolean" };
export const any: Spec = { kind: "any" };
export const arr = (of: Spec): Spec => ({ kind: "array", of });
export const table = (fields: Record<string, Spec>, extra: Omit<TableSpec, "kind" | "fields"> = {}): TableSpec => ({ kind: "table", fields, ...extra });
export const map = (rest: Spec): TableSpec => ({ kind: "table", fields: {}, rest });
export const openTable: TableSpec = map(any);

export function formatPath(path: TomlPath): string {
  let out = "";
  for (const p of path) out += typeof p === "number" ? `[${p}]` : out === "" ? p : `.${p}`;
  return out;
}

export function typeName(v: unknown): string {
  if (typeof v === "string") return "a string";
  if (typeof v === "boolean") return "a boolean";
  if (typeof v === "number") return Number.isInteger(v) ? "an integer" : "a float";
  if (typeof v === "bigint") return "an integer";
  if (Array.isArray(v)) return "an array";
  if (v instanceof Date) return "a date";
  if (v !== null && typeof v === "object") return "a table";
  return "nothing";
}

export function isTable(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof Date);
}

const quoteList = (xs: readonly string[]): string => xs.map((x) => `"${x}"`).join(", ");

/** Check `value` against `spec`; issues carry paths relative to `path`. */
export function checkSpec(value: unknown, spec: Spec, path: TomlPath, issues: SpecIssue[]): void {
  checkAt(value, spec, path, undefined, issues);
}

/** `parent` + `key` (no key: `parent` itself). Built only when an issue or a nested value needs it. */
function pathOf(parent: TomlPath, key: string | number | undefined): TomlPath {
  if (key === undefined) return parent;
  const out = parent.slice();
  out.push(key);
  return out;
}

/**
 * checkSpec for the value at `parent` + `key`. Valid scalars, the bulk of every config file, are
 * checked without building their key path.
 */
function checkAt(value: unknown, spec: Spec, parent: TomlPath, key: string | number | undefined, issues: SpecIssue[]): void {
  switch (spec.kind) {
    case "any":
      return;
    case "string": {
      if (typeof value === "string" && spec.oneOf === undefined && spec.pattern === undefined) return;
      const path = pathOf(parent, key);
      if (typeof value !== "string") {
        const hint = value instanceof Date || typeof value === "number" || typeof value === "boolean" ? `quote it: "${value instanceof Date ? value.toISOString() : String(value)}"` : undefined;
        issues.push({ path, at: "value", message: `\`${formatPath(path)}\` must be a string, found ${typeName(value)}`, suggestion: hint });
        return;
      }
      const norm = spec.normalize;
      if (spec.oneOf && (norm === undefined ? !spec.oneOf.includes(value) : !spec.oneOf.some((o) => norm(o) === norm(value)))) {
        const dym = didYouMean(value, spec.oneOf);
        issues.push({
          path,
          at: "value",
          // The allowed values once: in the message beside a did-you-mean, else in the help (validate joins the two).
          message: dym ? `\`${formatPath(path)}\` = "${value}" is not one of ${quoteList(spec.oneOf)} (did you mean "${dym}"?)` : `\`${formatPath(path)}\` = "${value}" is not an allowed value`,
          suggestion: dym ? `use "${dym}"` : `use one of ${quoteList(spec.oneOf)}`,
          replacement: dym,
        });
        return;
      }
      if (spec.pattern && !spec.pattern.test(value)) {
        issues.push({ path, at: "value", message: `\`${formatPath(path)}\` = "${value}" is not valid: expected ${spec.patternHelp ?? spec.pattern.source}` });
      }
      return;
    }
    case "integer":
    case "number": {
      const isNum = typeof value === "number" || typeof value === "bigint";
      if (!isNum || (spec.kind === "integer" && typeof value === "number" && !Number.isInteger(value))) {
        const path = pathOf(parent, key);
        issues.push({ path, at: "value", message: `\`${formatPath(path)}\` must be ${spec.kind === "integer" ? "an integer" : "a number"}, found ${typeName(value)}` });
        return;
      }
      if (spec.min !== undefined && Number(value) < spec.min) {
        const path = pathOf(parent, key);
        issues.push({ path, at: "value", message: `\`${formatPath(path)}\` must be at least ${spec.min}, found ${String(value)}` });
      }
      return;
    }
    case "boolean":
      if (typeof value !== "boolean") {
        const path = pathOf(parent, key);
        issues.push({ path, at: "value", message: `\`${formatPath(path)}\` must be true or false, found ${typeName(value)}` });
      }
      return;
    case "array": {
      const path = pathOf(parent, key);
      if (!Array.isArray(value)) {
        issues.push({ path, at: "value", message: `\`${formatPath(path)}\` must be an array, found ${typeName(value)}` });
        return;
      }
      // (forEach's semantics: holes are skipped.)
      for (let i = 0; i < value.length; i++) if (i in value) checkAt(value[i], spec.of, path, i, issues);
      return;
    }
    case "either": {
      const path = pathOf(parent, key);
      for (const option of spec.options) {
        const trial: SpecIssue[] = [];
        checkAt(value, option, path, undefined, trial);
        if (trial.length === 0) return;
      }
      // Report the option whose shape matches the value (a string enum miss is more useful than "must be a table").
      const sameShape = spec.options.find((o) => shapeMatches(value, o));
      if (sameShape) {
        checkAt(value, sameShape, path, undefined, issues);
        return;
      }
      issues.push({ path, at: "value", message: `\`${formatPath(path)}\` must be ${spec.expected}, found ${typeName(value)}` });
      return;
    }
    case "table":
      checkTable(value, spec, pathOf(parent, key), issues);
      return;
    case "tagged":
      checkTagged(value, spec, pathOf(parent, key), issues);
      return;
  }
}

function shapeMatches(value: unknown, spec: Spec): boolean {
  switch (spec.kind) {
    case "string":
      return typeof value === "string";
    case "integer":
    case "number":
      return typeof value === "number";
    case "boolean":
      return typeof value === "boolean";
    case "array":
      return Array.isArray(value);
    case "table":
    case "tagged":
      return isTable(value);
    default:
      return false;
  }
}

function checkTable(value: unknown, spec: TableSpec, path: TomlPath, issues: SpecIssue[]): void {
  if (!isTable(value)) {
    issues.push({ path, at: "value", message: `\`${formatPath(path)}\` must be a table, found ${typeName(value)}` });
    return;
  }
  // Required keys an unknown key looks like a misspelling of: the typo's "did you mean" says it all.
  let misspelt: Set<string> | undefined;
  for (const k in value) {
    const v = value[k];
    const field = Object.hasOwn(spec.fields, k) ? spec.fields[k] : spec.rest;
    if (field === undefined) {
      const names = Object.keys(spec.fields);
      const aliases = spec.aliases ?? {};
      const near = didYouMean(k, [...names, ...Object.keys(aliases)]);
      const dym = near !== undefined && Object.hasOwn(aliases, near) ? aliases[near] : near;
      const why = near !== undefined && Object.hasOwn(aliases, near) ? ` (Rocky's name for \`${near}\`)` : "";
      const inTable = path.length === 0 ? "" : ` in \`[${formatPath(path)}]\``;
      issues.push({
        path: [...path, k],
        at: "key",
        message: `unknown key \`${k}\`${inTable}${dym ? ` (did you mean \`${dym}\`?${why})` : ""}`,
        suggestion: dym ? `rename it to \`${dym}\`` : `known keys: ${names.join(", ")}`,
        replacement: dym !== undefined && why === "" ? dym : undefined,
      });
      if (dym !== undefined) (misspelt ??= new Set()).add(dym);
      continue;
    }
    checkAt(v, field, path, k, issues);
  }
  for (const r of spec.required ?? []) {
    if (value[r] === undefined && !misspelt?.has(r)) issues.push({ path: [...path, r], at: "parent", message: `\`${formatPath([...path, r])}\` is required` });
  }
}

/** Per tagged spec: the tag's enum spec, the tag names, and each variant's table with the tag key added (built once). */
const taggedCache = new WeakMap<TaggedSpec, { tagSpec: StringSpec; tags: string[]; variants: Map<string, TableSpec> }>();
function taggedTables(spec: TaggedSpec): { tagSpec: StringSpec; tags: string[]; variants: Map<string, TableSpec> } {
  const hit = taggedCache.get(spec);
  if (hit) return hit;
  const tags = Object.keys(spec.variants);
  const tagSpec: StringSpec = { kind: "string", oneOf: tags };
  const variants = new Map<string, TableSpec>();
  for (const [name, variant] of Object.entries(spec.variants)) variants.set(name, { ...variant, fields: { [spec.tag]: tagSpec, ...variant.fields } });
  const built = { tagSpec, tags, variants };
  taggedCache.set(spec, built);
  return built;
}

function checkTagged(value: unknown, spec: TaggedSpec, path: TomlPath, issues: SpecIssue[]): void {
  if (!isTable(value)) {
    const name = formatPath(path);
    const asTag = typeof value === "string" && Object.hasOwn(spec.variants, value);
    issues.push({
      path,
      at: "value",
      message: `\`${name}\` must be a table, found ${typeName(value)}`,
      suggestion: asTag ? `write [${name}] with ${spec.tag} = "${value}"` : undefined,
    });
    return;
  }
  const { tagSpec, tags, variants } = taggedTables(spec);
  const tag = value[spec.tag] ?? spec.defaultTag;
  if (tag === undefined) {
    issues.push({ path: [...path, spec.tag], at: "parent", message: `\`${formatPath([...path, spec.tag])}\` is required (one of ${quoteList(tags)})` });
    return;
  }
  const before = issues.length;
  checkAt(tag, tagSpec, path, spec.tag, issues);
  if (issues.length > before) return;
  const withTag = variants.get(tag as string) as TableSpec;
  checkTable(value, withTag, path, issues);
  // Reword the variant's issues in place (same order as reported).
  for (let i = before; i < issues.length; i++) {
    const issue = issues[i];
    if (issue.at === "key") {
      // A key that belongs to another variant: say so, rather than "unknown".
      const key = String(issue.path[issue.path.length - 1]);
      const owner = tags.find((t) => Object.hasOwn(spec.variants[t].fields, key));
      if (owner) {
        issues[i] = { ...issue, message: `key \`${key}\` does not apply to ${spec.tag} = "${String(tag)}" (it belongs to "${owner}")`, suggestion: undefined };
        continue;
      }
    }
    if (issue.at === "parent" && issue.path.length === path.length + 1) {
      issues[i] = { ...issue, message: `${issue.message} for ${spec.tag} = "${String(tag)}"` };
    }
  }
}

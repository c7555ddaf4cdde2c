import { type Document, isAlias, isMap, isScalar, LineCounter, parseDocument } from "yaml";
import { parseTargetDialect, TARGET_DIALECT_NAMES } from "../../engine/src/checks/dialect-names.js";
import { COMMENT_MODES, type CommentMode, parseFailOn, projectNameProblem } from "../../review/src/github/index.js";
import { CHECK_NAMES, DEFAULT_FAIL_ON, type FailOnPolicy } from "../../review/src/report/rendered.js";

/**
 * Review settings from the repository's `.github/rocky.yml`, read from the tip of the PR's base
 * branch (create-app.ts, readSettings): never from the PR's head, so a PR cannot loosen its own
 * policy, and not from the PR's possibly stale base SHA, so a fix merged to the base branch applies
 * to open PRs on their next run. Every mistake is reported with its line, in the rocky/compile
 * check run.
 */

export const SETTINGS_PATH = ".github/rocky.yml";

export interface RepoSettings {
  readonly failOn: FailOnPolicy;
  readonly comment: CommentMode;
  readonly env?: string;
  readonly targetDialect?: string;
  readonly workingDirectory?: string;
  readonly productionRun: boolean;
  readonly branchSchema: boolean;
  readonly inlineComments: boolean;
  readonly maxInlineComments: number;
  /** Resolve the threads of fixed findings (and reopen them when they come back). */
  readonly resolveThreads: boolean;
  /** One of several Rocky projects in the repository (the Action's `project-name`): its own check names and comment. */
  readonly projectName?: string;
}

export const DEFAULT_SETTINGS: RepoSettings = { failOn: DEFAULT_FAIL_ON, comment: "update", productionRun: false, branchSchema: false, inlineComments: true, maxInlineComments: 30, resolveThreads: true };

export interface SettingsProblem {
  readonly line: number;
  readonly message: string;
}

/** An invalid file still names its project when `project-name` itself is valid, so the failed checks carry the names the ruleset requires. */
export type SettingsResult = { readonly ok: true; readonly value: RepoSettings } | { readonly ok: false; readonly problems: readonly SettingsProblem[]; readonly projectName?: string };

type FieldParser = (value: unknown, set: (patch: Partial<Mutable<RepoSettings>>) => void) => string | undefined;
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const FIELDS: Readonly<Record<string, FieldParser>> = {
  "fail-on": (value, set) => {
    // A map of check: level is parsed entry by entry (failOnMap) before it reaches here.
    if (typeof value === "object" && value !== null) return `fail-on: expected one level (error, warning, never) or a map of check: level, found ${shown(value)}`;
    const parsed = parseFailOn(String(value ?? ""));
    if (!parsed.ok) return parsed.error;
    set({ failOn: parsed.value });
  },
  comment: (value, set) => {
    if (!COMMENT_MODES.includes(value as CommentMode)) return `comment: ${shown(value)} is not one of ${COMMENT_MODES.join(", ")}`;
    set({ comment: value as CommentMode });
  },
  env: (value, set) => (typeof value === "string" && value !== "" ? void set({ env: value }) : "env: expected an environment name"),
  // The same names as the Action's input and the CLI's flag (short dbx, sf, bq too), from one parser.
  "target-dialect": (value, set) => {
    const dialect = typeof value === "string" ? parseTargetDialect(value) : undefined;
    if (!dialect) return `target-dialect: ${shown(value)} is not one of ${TARGET_DIALECT_NAMES.join(", ")}`;
    set({ targetDialect: dialect });
  },
  "project-name": (value, set) => {
    if (typeof value === "object" && value !== null) return `project-name: expected a name, found ${shown(value)}`;
    const name = typeof value === "string" ? value.trim() : String(value);
    const problem = projectNameProblem(name);
    if (problem !== undefined) return problem;
    set({ projectName: name });
  },
  "working-directory": (value, set) => {
    if (typeof value !== "string" || value.split(/[\\/]/).includes("..") || value.startsWith("/")) return "working-directory: expected a relative path inside the repository";
    set({ workingDirectory: value === "." ? undefined : value });
  },
  "production-run": (value, set) => onOff("production-run", value, (v) => set({ productionRun: v })),
  "branch-schema": (value, set) => onOff("branch-schema", value, (v) => set({ branchSchema: v })),
  "inline-comments": (value, set) => onOff("inline-comments", value, (v) => set({ inlineComments: v })),
  "resolve-threads": (value, set) => onOff("resolve-threads", value, (v) => set({ resolveThreads: v })),
  "max-inline-comments": (value, set) => (Number.isInteger(value) && (value as number) >= 0 ? void set({ maxInlineComments: value as number }) : "max-inline-comments: expected a whole number"),
};

function onOff(name: string, value: unknown, set: (v: boolean) => void): string | undefined {
  if (value === true || value === "on") return void set(true);
  if (value === false || value === "off") return void set(false);
  return `${name}: expected on or off`;
}

type YamlNode = { value?: unknown; range?: [number, number, number]; toJSON?: () => unknown };
type YamlMap = { items?: { key: YamlNode; value: YamlNode | null }[] };

/** A value as a message quotes it: a string in quotes, a list or a mapping by what it is (never "[object Object]"). */
function shown(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return "a list";
  if (value instanceof Uint8Array) return "binary data";
  if (typeof value === "object" && value !== null) return "a mapping";
  return String(value);
}

/**
 * A setting's node with an alias (`*name`) replaced by the node its anchor names, or a problem
 * when no anchor has that name (the YAML parser accepts the text and fails only when converting it).
 */
function resolveAlias(node: unknown, doc: Document): { node: YamlNode | null } | { problem: string } {
  if (!isAlias(node)) return { node: node as YamlNode | null };
  const target = node.resolve(doc);
  return target === undefined ? { problem: `the alias *${node.source} names no anchor (&${node.source}) before it` } : { node: target as YamlNode };
}

/** A node's plain value: a scalar's own (a `!!binary` Buffer stays one), a list or mapping as JSON. */
const plain = (node: YamlNode | null): unknown => (isScalar(node) ? node.value : node && typeof node.toJSON === "function" ? node.toJSON() : node);

/** `fail-on:` as a map (`contracts: error`): the policy, or undefined after adding each wrong entry to `problems` at its line. */
function failOnMap(map: YamlMap, doc: Document, lineOf: (offset: number | undefined) => number, problems: SettingsProblem[]): FailOnPolicy | undefined {
  const checks = CHECK_NAMES.map((n) => n.slice("rocky/".length));
  const entries: string[] = [];
  let ok = true;
  for (const entry of map.items ?? []) {
    const check = String(entry.key?.value ?? "");
    const line = lineOf(entry.key?.range?.[0]);
    const resolved = resolveAlias(entry.value, doc);
    if ("problem" in resolved) {
      problems.push({ line, message: `fail-on: ${check}: ${resolved.problem}` });
      ok = false;
      continue;
    }
    const level = plain(resolved.node);
    if (!parseFailOn(`${check}=error`).ok) {
      problems.push({ line, message: `fail-on: unknown check "${check}"; expected one of ${checks.join(", ")}` });
      ok = false;
    } else if (typeof level !== "string" || !parseFailOn(`${check}=${level}`).ok) {
      problems.push({ line, message: `fail-on: ${check}: ${shown(level ?? null)} is not a level; expected error, warning or never` });
      ok = false;
    } else entries.push(`${check}=${level}`);
  }
  if (!ok) return undefined;
  const parsed = parseFailOn(entries.join(","));
  return parsed.ok ? parsed.value : undefined;
}

export function parseRepoSettings(text: string | undefined): SettingsResult {
  if (text === undefined || text.trim() === "") return { ok: true, value: DEFAULT_SETTINGS };
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const lineOf = (offset: number | undefined) => (offset === undefined ? 1 : lineCounter.linePos(offset).line);
  if (doc.errors.length > 0) return { ok: false, problems: doc.errors.map((e) => ({ line: lineOf(e.pos[0]), message: `invalid YAML: ${e.message.split("\n")[0]}` })) };
  const root = doc.contents as YamlMap | null;
  if (!root || !Array.isArray(root.items)) return { ok: false, problems: [{ line: 1, message: "expected a mapping of settings (key: value)" }] };
  const settings: Mutable<RepoSettings> = { ...DEFAULT_SETTINGS };
  const problems: SettingsProblem[] = [];
  for (const item of root.items) {
    const key = String(item.key?.value ?? "");
    const line = lineOf(item.key?.range?.[0]);
    const parse = FIELDS[key];
    if (!parse) {
      problems.push({ line, message: `unknown setting "${key}"; known: ${Object.keys(FIELDS).join(", ")}` });
      continue;
    }
    const resolved = resolveAlias(item.value, doc);
    if ("problem" in resolved) {
      problems.push({ line, message: `${key}: ${resolved.problem}` });
      continue;
    }
    // A per-check fail-on map: each entry is checked on its own line, in its own words.
    if (key === "fail-on" && isMap(resolved.node)) {
      const policy = failOnMap(resolved.node as YamlMap, doc, lineOf, problems);
      if (policy) settings.failOn = policy;
      continue;
    }
    const value = plain(resolved.node);
    const error = parse(value, (patch) => Object.assign(settings, patch));
    if (error) problems.push({ line, message: error });
  }
  return problems.length > 0 ? { ok: false, problems, ...(settings.projectName ? { projectName: settings.projectName } : {}) } : { ok: true, value: settings };
}

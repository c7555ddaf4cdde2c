import { parseTargetDialect, TARGET_DIALECT_NAMES } from "../../engine/src/checks/dialect-names.js";
import type { DialectId } from "../../engine/src/syntax/ast.js";
import type { FailOnPolicy } from "../../review/src/report/rendered.js";
import { COMMENT_MODES, type CommentMode, parseFailOn, projectNameProblem } from "../../review/src/github/index.js";

/**
 * The Action's inputs, parsed once inside run() into one typed object. The table below is the
 * schema; action.yml documents the same names (a test keeps the two in step).
 */

export type Dialect = DialectId;

export interface ActionInputs {
  readonly githubToken: string;
  /** Base ref or SHA; default: the PR's base SHA (merge group: its base SHA). */
  readonly base?: string;
  /** The Rocky project inside the repository (where rocky.toml is). */
  readonly workingDirectory: string;
  readonly targetDialect?: Dialect;
  readonly failOn: FailOnPolicy;
  readonly comment: CommentMode;
  /** Compliance environment (`[mask.<env>]`). */
  readonly env?: string;
  /** `KEY=value` lines for `${KEY}` in rocky.toml (warehouse connections; pass secrets here). */
  readonly warehouseEnv: Readonly<Record<string, string>>;
  readonly branchSchema: boolean;
  readonly productionRun: boolean;
  readonly inlineComments: boolean;
  readonly maxInlineComments: number;
  /** Resolve the threads of Rocky's fixed findings (and reopen them when they come back). */
  readonly resolveThreads: boolean;
  /** Post a review saved by an earlier run (workflow_run pattern) instead of computing one. */
  readonly reviewFile?: string;
  /** One of several Rocky projects in the repository: its own check names, comment and inline comments. */
  readonly projectName?: string;
}

export type InputGetter = (name: string) => string;

export interface InputSpec {
  readonly name: string;
  readonly default: string;
}

/** Every input with its default (the runner fills defaults from action.yml; a local run relies on these). */
export const INPUT_SPECS: readonly InputSpec[] = [
  { name: "github-token", default: "" },
  { name: "base", default: "" },
  { name: "working-directory", default: "." },
  { name: "target-dialect", default: "" },
  { name: "fail-on", default: "" },
  { name: "comment", default: "update" },
  { name: "env", default: "" },
  { name: "warehouse-env", default: "" },
  { name: "branch-schema", default: "off" },
  { name: "production-run", default: "off" },
  { name: "inline-comments", default: "on" },
  { name: "max-inline-comments", default: "30" },
  { name: "resolve-threads", default: "on" },
  { name: "review-file", default: "" },
  { name: "project-name", default: "" },
];

export type InputsResult = { readonly ok: true; readonly value: ActionInputs } | { readonly ok: false; readonly errors: readonly string[] };

export function parseInputs(get: InputGetter): InputsResult {
  const errors: string[] = [];
  const read = (name: string) => {
    const value = get(name).trim();
    return value === "" ? (INPUT_SPECS.find((s) => s.name === name)?.default ?? "") : value;
  };
  const onOff = (name: string): boolean => {
    const value = read(name).toLowerCase();
    if (["on", "true", "yes"].includes(value)) return true;
    if (["off", "false", "no"].includes(value)) return false;
    errors.push(`${name}: "${value}" must be on or off`);
    return false;
  };

  const githubToken = read("github-token");
  if (githubToken === "" && read("review-file") === "") errors.push("github-token: empty; keep the default `${{ github.token }}` or pass a token");
  const dialectText = read("target-dialect").toLowerCase();
  // The same names as .github/rocky.yml and the CLI's flag (short dbx, sf, bq too), from one parser.
  const targetDialect = dialectText === "" ? undefined : parseTargetDialect(dialectText);
  if (dialectText !== "" && !targetDialect) errors.push(`target-dialect: "${dialectText}" is not one of ${TARGET_DIALECT_NAMES.join(", ")}`);
  const failOn = parseFailOn(read("fail-on"));
  if (!failOn.ok) errors.push(failOn.error);
  const comment = read("comment") as CommentMode;
  if (!COMMENT_MODES.includes(comment)) errors.push(`comment: "${comment}" is not one of ${COMMENT_MODES.join(", ")}`);
  // Decimal digits only: Number() would also take 0x10, 1e2 and 0b1.
  const maxInlineText = read("max-inline-comments");
  const maxInline = /^\d+$/.test(maxInlineText) ? Number(maxInlineText) : Number.NaN;
  if (Number.isNaN(maxInline)) errors.push(`max-inline-comments: "${maxInlineText}" is not a whole number of comments (decimal digits, e.g. 30; 0 posts none)`);
  const warehouseEnv = parseWarehouseEnv(read("warehouse-env"), errors);
  const projectName = get("project-name").trim();
  const nameProblem = projectName === "" ? undefined : projectNameProblem(projectName);
  if (nameProblem !== undefined) errors.push(nameProblem);
  const workingDirectory = read("working-directory");
  if (/^([\\/]|[A-Za-z]:)/.test(workingDirectory)) errors.push(`working-directory: "${workingDirectory}" is an absolute path; give the project's directory relative to the repository root (e.g. "analytics", or "." for the root)`);
  else if (workingDirectory.split(/[\\/]/).includes("..")) errors.push(`working-directory: "${workingDirectory}" must stay inside the repository`);

  const value: ActionInputs = {
    githubToken,
    base: read("base") || undefined,
    workingDirectory,
    targetDialect,
    failOn: failOn.ok ? failOn.value : ({} as FailOnPolicy),
    comment,
    env: read("env") || undefined,
    warehouseEnv,
    branchSchema: onOff("branch-schema"),
    productionRun: onOff("production-run"),
    inlineComments: onOff("inline-comments"),
    maxInlineComments: maxInline,
    resolveThreads: onOff("resolve-threads"),
    reviewFile: read("review-file") || undefined,
    projectName: projectName || undefined,
  };
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value };
}

/**
 * `warehouse-env`: `KEY=value` lines, and multi-line values in GitHub's own `$GITHUB_ENV` form,
 * `KEY<<DELIMITER`, the value's lines, then a line holding only `DELIMITER` (a PEM private key).
 * Blank lines and `#` comments between entries are skipped; a multi-line value is kept as given
 * (its lines joined with \n, without a final newline). Errors name the line, never a value.
 */
export function parseWarehouseEnv(text: string, errors: string[]): Record<string, string> {
  const env: Record<string, string> = {};
  const lines = text.split("\n").map((line) => line.replace(/\r$/, ""));
  for (let index = 0; index < lines.length; index += 1) {
    const entry = lines[index].trim();
    if (entry === "" || entry.startsWith("#")) continue;
    const heredoc = /^([A-Za-z_][A-Za-z0-9_]*)<<(\S+)$/.exec(entry);
    if (heredoc) {
      const [, key, delimiter] = heredoc;
      const end = lines.findIndex((line, i) => i > index && line.trim() === delimiter);
      if (end < 0) {
        errors.push(`warehouse-env line ${index + 1}: ${key}<<${delimiter} is never closed: end the value with a line holding only ${delimiter}`);
        break;
      }
      env[key] = lines.slice(index + 1, end).join("\n");
      index = end;
      continue;
    }
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(entry);
    if (!match) {
      errors.push(`warehouse-env line ${index + 1}: expected KEY=value, or KEY<<DELIMITER, the value's lines and a line holding only DELIMITER`);
      continue;
    }
    env[match[1]] = match[2];
  }
  return env;
}

/** The lines of multi-line `warehouse-env` values, to mask in the log: the runner masks a multi-line secret only where it appears whole. */
export function multiLineSecrets(warehouseEnv: Readonly<Record<string, string>>): string[] {
  const lines = new Set<string>();
  for (const value of Object.values(warehouseEnv)) {
    if (!value.includes("\n")) continue;
    for (const line of value.split("\n")) if (line.trim().length >= 4) lines.add(line.trim());
  }
  return [...lines];
}

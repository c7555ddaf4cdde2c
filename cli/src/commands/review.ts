import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import type { CompileCache } from "../../../engine/src/compile/compile-cache.js";
import type { Diagnostic } from "../../../engine/src/diagnostics/diagnostic.js";
import { renderDiagnosticsText } from "../../../engine/src/diagnostics/render-text.js";
import { VERSION } from "../../../engine/src/version.js";
import { analyzeCompliance } from "../../../review/src/compliance/analyze-compliance.js";
import { failOnException } from "../../../review/src/compliance/fail-on-exception.js";
import { checkMaskEnv } from "../../../review/src/compliance/mask-env.js";
import { isReviewInputError } from "../../../review/src/git/review-input-error.js";
import { renderComplianceText } from "../../../review/src/compliance/render-compliance-text.js";
import { projectCost } from "../../../review/src/cost/project-cost.js";
import { renderPreviewCostText, toPreviewCostOutput } from "../../../review/src/cost/preview-cost.js";
import { ciDiff, ciDiffText, lineageDiff } from "../../../review/src/diff/lineage-diff.js";
import { createGitSourceReader, withEarlyCompare } from "../../../review/src/git/git-source-reader.js";
import { parseFailOn } from "../../../review/src/report/parse-fail-on.js";
import type { FailOnPolicy } from "../../../review/src/report/rendered.js";
import { renderMarkdownForCli } from "../../../review/src/render/render-review.js";
import { renderText } from "../../../review/src/render/render-text.js";
import { withoutStandingNotices } from "../../../review/src/report/standing-notices.js";
import { type CompareOptions, compareRefs, reviewPullRequest, uncomparedModels } from "../../../review/src/review-pull-request.js";
import { bool, type CliIo, json, outputFormat, type ParsedCommand, projectDir, str, UsageError, vars } from "../io.js";
import { cacheDir, compileDir, compileExtras, parseDialect, warnCacheOff } from "./compile-dir.js";
import type { ProjectFiles } from "../../../engine/src/project/types.js";
import type { StateReader } from "../../../engine/src/state/state-types.js";

/** The git repository that holds the project, and the project's path inside it. */
function locate(cmd: ParsedCommand, io: CliIo): { repoDir: string; projectSubdir: string; root: string } {
  const root = projectDir(cmd, io);
  let repoDir: string;
  try {
    // A project the checked-out branch deletes (`-C analytics` on a PR that removes analytics/) is
    // still reviewed: git is asked from the nearest directory that is there.
    repoDir = execFileSync("git", ["rev-parse", "--show-toplevel"], { cwd: nearestExisting(root), encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
  } catch {
    throw new UsageError(`${root} is not inside a git repository: lineage-diff, ci-diff, preview cost and review compare two git refs`);
  }
  const projectSubdir = relative(repoDir, root).split("\\").join("/");
  warnUncommitted(cmd, io, repoDir, projectSubdir);
  return { repoDir, projectSubdir, root };
}

/** A project file, as the readers of a tree take them: SQL, TOML and JSON, outside hidden directories (`.rocky-state/`). */
const PROJECT_FILE = /^(?!(?:.*\/)?\.)[^\0]*\.(?:sql|toml|json)$/;

/**
 * Without `--head`, the head is HEAD: files edited, added or deleted since the last commit are not
 * compared, and a review of a work tree whose only changes are uncommitted says "touches no model".
 * Say so on stderr, naming one of them, with the way to include them (`--head WORKTREE`).
 */
function warnUncommitted(cmd: ParsedCommand, io: CliIo, repoDir: string, projectSubdir: string): void {
  if (str(cmd, "head") !== undefined) return;
  let status: string;
  try {
    status = execFileSync("git", ["status", "--porcelain=v1", "-z", "--untracked-files=all", "--", projectSubdir === "" ? "." : projectSubdir], { cwd: repoDir, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  } catch {
    return;
  }
  // `XY path\0`, and a rename's original path as its own entry after it.
  const entries = status.split("\0");
  const changed: string[] = [];
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    if (entry.length < 4) continue;
    if (entry[0] === "R" || entry[0] === "C") i++;
    const path = entry.slice(3);
    if (PROJECT_FILE.test(path)) changed.push(path);
  }
  if (changed.length === 0) return;
  const name = cmd.name === "preview" ? "preview cost" : cmd.name;
  const files = changed.length === 1 ? `${changed[0]} has changes` : `${changed.length} project files have changes (${changed[0]}, ...)`;
  io.stderr(`rocky ${name}: warning: ${files} not committed: HEAD is compared, without them; commit them, or pass --head WORKTREE to compare the files on disk\n`);
}

function nearestExisting(dir: string): string {
  let d = dir;
  while (!existsSync(d) && dirname(d) !== d) d = dirname(d);
  return d;
}

/** The compile cache lives in the project's `.rocky-state/`: none for a project directory the work tree no longer has (it is not made again). */
function cacheWanted(cmd: ParsedCommand, io: CliIo): boolean {
  return !(bool(cmd, "no-cache") || io.env.ROCKY_NO_CACHE === "1") && existsSync(projectDir(cmd, io));
}

/**
 * The run history `rocky run` records beside the project (`.rocky-state/state`), opened read-only
 * for observed cost; undefined when nothing has run there yet. A store that cannot be read (locked,
 * another version) costs the observed figures, never the review: the reason goes to stderr.
 */
async function openRunHistory(root: string, io: CliIo): Promise<(StateReader & { close(): Promise<void> }) | undefined> {
  const path = join(root, ".rocky-state", "state");
  if (!existsSync(join(path, "data.mdb"))) return undefined;
  const { openStateReader } = await import("../../../engine/src/state/state-store.js");
  return openStateReader(path).catch((error: unknown) => {
    io.stderr(`warning: pricing without run history: ${path} could not be read (${error instanceof Error ? error.message : String(error)})\n`);
    return undefined;
  });
}

/** The project layout flags, as compareRefs passes them to its git reader. */
function layoutOf(cmd: ParsedCommand): { modelsDir?: string; contractsDir?: string } {
  const models = str(cmd, "models");
  const contracts = str(cmd, "contracts");
  return { ...(models ? { modelsDir: models } : {}), ...(contracts ? { contractsDir: contracts } : {}) };
}

async function openCache(cmd: ParsedCommand, io: CliIo, root: string): Promise<CompileCache | undefined> {
  if (!cacheWanted(cmd, io)) return undefined;
  const { openLmdbCompileCache } = await import("../../../engine/src/compile/lmdb-compile-cache.js");
  return openLmdbCompileCache(cacheDir(root)).catch((error: unknown) => {
    warnCacheOff(io, root, error);
    return undefined;
  });
}

async function compareOptions(cmd: ParsedCommand, io: CliIo, base: string, cache: CompileCache | undefined, repoDir: string, projectSubdir: string): Promise<CompareOptions> {
  const head = str(cmd, "head");
  const models = str(cmd, "models");
  const contracts = str(cmd, "contracts");
  const target = parseDialect(str(cmd, "target-dialect"));
  return {
    repoDir,
    base,
    ...(head ? { head } : {}),
    projectDir: projectSubdir,
    env: io.env,
    vars: vars(cmd),
    ...(models ? { modelsDir: models } : {}),
    ...(contracts ? { contractsDir: contracts } : {}),
    ...(target ? { targetDialect: target } : {}),
    ...(bool(cmd, "with-seed") ? { withSeed: true } : {}),
    ...(cache ? { cache } : {}),
    compileExtras: await compileExtras(cmd, io),
  };
}

async function withCompare<T>(cmd: ParsedCommand, io: CliIo, base: string, fn: (cmp: Awaited<ReturnType<typeof compareRefs>>) => T): Promise<T> {
  const { repoDir, projectSubdir, root } = locate(cmd, io);
  const cache = await openCache(cmd, io, root);
  try {
    return fn(await compareRefs(await compareOptions(cmd, io, base, cache, repoDir, projectSubdir)));
  } finally {
    await cache?.close();
  }
}

/** `rocky lineage-diff [base=main]`: Rocky's shape, but removed columns' consumers are traced on base. Exit 1 when a changed model could not be compared. */
export async function lineageDiffCommand(cmd: ParsedCommand, io: CliIo): Promise<number> {
  const format = outputFormat(cmd, ["text", "json", "markdown"], "text");
  const base = cmd.positionals[0] ?? "main";
  const out = await withCompare(cmd, io, base, (cmp) => lineageDiff(cmp.diff, { version: VERSION, baseRef: base, headRef: str(cmd, "head") ?? "HEAD", totalModels: cmp.head.models.size, uncompared: uncomparedModels(cmp) }));
  if (format === "json") io.stdout(json(out));
  else if (format === "markdown") io.stdout(`${out.markdown}\n`);
  // Rocky's text mode: a header line, then the Markdown (which lists the models not compared).
  else io.stdout(`Lineage diff against ${base}\n\n${out.markdown}\n`);
  return out.diagnostics === undefined ? 0 : 1;
}

/** `rocky ci-diff [base=main] [--semantic]`: informational, as Rocky (exit 0), unless a changed model could not be compared (exit 1). */
export async function ciDiffCommand(cmd: ParsedCommand, io: CliIo): Promise<number> {
  const format = outputFormat(cmd, ["text", "json", "markdown"], "text");
  const base = cmd.positionals[0] ?? "main";
  const { out, files } = await withCompare(cmd, io, base, (cmp) => ({
    out: ciDiff(cmp.diff, { version: VERSION, baseRef: base, headRef: str(cmd, "head") ?? "HEAD", totalModels: cmp.head.models.size, semantic: bool(cmd, "semantic"), uncompared: uncomparedModels(cmp) }),
    files: cmp.headFiles,
  }));
  if (format === "json") io.stdout(json(out));
  else if (format === "markdown") io.stdout(`${out.markdown}\n`);
  else io.stdout(`${ciDiffText(out)}${notComparedText(out.diagnostics, files, io.isTty)}`);
  return out.diagnostics === undefined ? 0 : 1;
}

/**
 * The errors of the models a diff could not compare (or a cost preview could not price), rendered as
 * `rocky compile` renders them (from the head's files).
 */
function notComparedText(errors: readonly Diagnostic[] | undefined, files: ProjectFiles, color: boolean, what = "Not compared", head = "HEAD"): string {
  if (errors === undefined) return "";
  const models = [...new Set(errors.map((d) => d.model))];
  return `\n${what}: ${models.length === 1 ? "1 model does" : `${models.length} models do`} not compile on ${head} (${models.join(", ")}).\n\n${renderDiagnosticsText(errors, { sources: files, color })}\n`;
}

/** `rocky compliance [--env E] [--exceptions-only] [--fail-on exception]`: Rocky's semantics, plus exceptions through lineage. */
export async function complianceCommand(cmd: ParsedCommand, io: CliIo): Promise<number> {
  const format = outputFormat(cmd, ["text", "json"], "text");
  const failOn = str(cmd, "fail-on");
  if (failOn !== undefined && failOn !== "exception") throw new UsageError(`--fail-on takes \`exception\` (got \`${failOn}\`)`);
  const { compiled } = await compileDir(cmd, io);
  const env = str(cmd, "env");
  if (env) {
    try {
      checkMaskEnv(env, [compiled]);
    } catch (error) {
      throw envUsage(error);
    }
  }
  const report = analyzeCompliance(compiled, { ...(env ? { env } : {}), exceptionsOnly: bool(cmd, "exceptions-only"), version: VERSION });
  if (format === "json") io.stdout(json(report));
  else io.stdout(`${renderComplianceText(report)}\n`);
  return failOnException(report, failOn === "exception" ? "exception" : undefined);
}

/**
 * `--env` names an environment the project does not define: a usage error naming the flag (exit 2),
 * the same rule as the Action's `env` input (review/src/compliance/mask-env.ts). Any other error is
 * returned as it is, to be thrown.
 */
function envUsage(error: unknown): unknown {
  return isReviewInputError(error) && error.code === "unknown-env" ? new UsageError(`--env: ${error.problem}`, { hint: error.advice }) : error;
}

/** `rocky preview cost [--base B]`: the projected cost delta of HEAD against a base ref (no warehouse run needed). */
export async function previewCommand(cmd: ParsedCommand, io: CliIo): Promise<number> {
  const sub = cmd.positionals[0];
  if (sub !== "cost") throw new UsageError(`${sub === undefined ? "say what to preview" : `unknown preview \`${sub}\``}: \`rocky preview\` supports \`cost\` (rocky preview cost [--base REF])`);
  const format = outputFormat(cmd, ["text", "json", "markdown"], "text");
  const base = str(cmd, "base") ?? "main";
  const { repoDir, projectSubdir, root } = locate(cmd, io);
  const cache = await openCache(cmd, io, root);
  try {
    const cmp = await compareRefs(await compareOptions(cmd, io, base, cache, repoDir, projectSubdir));
    // A model that does not compile on the branch has no cost to project: it is named, with its errors, and left out of the totals.
    const uncompared = uncomparedModels(cmp);
    const notPriced = new Set(uncompared.map((d) => d.model ?? ""));
    const history = await openRunHistory(root, io);
    const report = await projectCost({ diff: cmp.diff, head: cmp.head, base: cmp.base, ...(history ? { history } : {}), ...(notPriced.size > 0 ? { notPriced } : {}) }).finally(() => history?.close());
    const head = str(cmd, "head") ?? "HEAD";
    const out = toPreviewCostOutput(report, { branchName: head, baseRef: base, version: VERSION, uncompared });
    if (format === "json") io.stdout(json(out));
    else if (format === "markdown") io.stdout(`${out.markdown}\n`);
    else io.stdout(`${renderPreviewCostText(out, base, report)}${notComparedText(out.diagnostics, cmp.headFiles, io.isTty, "Not priced", head)}`);
    return report.budgetBreaches.some((b) => b.on_breach === "error") || out.not_priced !== undefined ? 1 : 0;
  } finally {
    await cache?.close();
  }
}

/** `--fail-on error` (every check) or `--fail-on contracts=error,cost=never`: the same parser as the Action input and `.github/rocky.yml`. */
export function parseFailOnFlag(text: string | undefined): FailOnPolicy {
  const parsed = parseFailOn(text);
  if (!parsed.ok) throw new UsageError(parsed.error.replace(/^fail-on:/, "--fail-on:"));
  return parsed.value;
}

/** `rocky review --base B`: prints exactly the comment the bot posts; exit 1 when any check fails under the fail-on policy. */
export async function reviewCommand(cmd: ParsedCommand, io: CliIo): Promise<number> {
  const format = outputFormat(cmd, ["markdown", "json", "text"], "markdown");
  const base = str(cmd, "base");
  if (base === undefined) throw new UsageError("--base REF is required (the branch the PR merges into, e.g. main)");
  const failOn = parseFailOnFlag(str(cmd, "fail-on"));
  const { repoDir, projectSubdir, root } = locate(cmd, io);
  // A cached review's git round (rev-parse, diff) runs on the other core while lmdb is imported and opened.
  const source = cacheWanted(cmd, io) ? withEarlyCompare(createGitSourceReader(repoDir, layoutOf(cmd)), base, str(cmd, "head") ?? "HEAD", projectSubdir) : undefined;
  const cache = await openCache(cmd, io, root);
  const history = await openRunHistory(root, io);
  try {
    const env = str(cmd, "env");
    const options = await compareOptions(cmd, io, base, cache, repoDir, projectSubdir);
    const result = await reviewPullRequest({ ...options, ...(source ? { source } : {}), failOn, ...(env ? { maskEnv: env } : {}), ...(history ? { state: history } : {}) }).catch((error: unknown) => {
      throw envUsage(error);
    });
    // The JSON carries the PR's findings; the project's standing warnings are counted, not listed (standing-notices.ts).
    if (format === "json") io.stdout(json({ version: VERSION, command: "review", report: withoutStandingNotices(result.report), verdict: result.rendered.verdict, counts: result.rendered.counts, checks: result.rendered.checks.map((c) => ({ name: c.name, conclusion: c.conclusion, title: c.title })) }));
    else if (format === "text") io.stdout(`${renderText(result.report, { failOn })}\n`);
    else io.stdout(`${renderMarkdownForCli(result.report, { failOn })}\n`);
    return result.rendered.checks.some((c) => c.conclusion === "failure") ? 1 : 0;
  } finally {
    await history?.close();
    await cache?.close();
  }
}

import { type CompileOptions, compileOptionsIdentity, compileProject } from "../../engine/src/compile/compile-project.js";
import { createHash } from "node:crypto";
import { type CompileCache, createMemoryCompileCache } from "../../engine/src/compile/compile-cache.js";
import { filesToRead, recompileChanged } from "../../engine/src/compile/compile-incremental.js";
import { type CompileSnapshot, snapshotMatchesEnv, unchangedProject } from "../../engine/src/compile/snapshot.js";
import type { CompiledProject } from "../../engine/src/compile/types.js";
import type { Diagnostic } from "../../engine/src/diagnostics/diagnostic.js";
import { fileContentKey, type ProjectFiles, type ProjectFileText } from "../../engine/src/project/types.js";
import type { DialectId } from "../../engine/src/syntax/ast.js";
import { parseTargetDialect, TARGET_DIALECT_NAMES } from "../../engine/src/checks/dialect-names.js";
import { didYouMean } from "../../engine/src/util/did-you-mean.js";
import { analyzeCompliance } from "./compliance/analyze-compliance.js";
import { exceptionKey, fixedExceptions } from "./compliance/fixed-exceptions.js";
import { checkMaskEnv } from "./compliance/mask-env.js";
import { declassifications, maskWeakenings } from "./compliance/mask-weakening.js";
import { projectCost } from "./cost/project-cost.js";
import type { TableStatsReader } from "./cost/cost-types.js";
import { diffProjects } from "./diff/diff-projects.js";
import { explainMissingColumns, explainTypeBreaks } from "./diff/missing-column-reads.js";
import { SourceDeclarations } from "./diff/source-declarations.js";
import { SideTomlKeys } from "./diff/shared-config.js";
import { markNew, type RenamedModel } from "./diff/finding-identity.js";
import { lineInDiff } from "./git/changed-files.js";
import { createGitSourceReader } from "./git/git-source-reader.js";
import type { QuickComparison } from "./git/quick-compare.js";
import { listingFromRecord, listingOf, overlayListing, type TreeListing } from "./git/tree-listing.js";
import { normalizeProjectDir } from "./git/project-file-role.js";
import { WORKTREE } from "./git/resolve-refs.js";
import { ReviewInputError } from "./git/review-input-error.js";
import { type Clock, type ProjectEntry, type ResolvedRefs, type SourceReader, type StateReader, SYSTEM_CLOCK } from "./ports.js";
import type { FailOnPolicy, RenderedReview } from "./report/rendered.js";
import {
  type ChangedFile,
  type ComplianceReport,
  type CostReport,
  type ProjectDiff,
  REPORT_VERSION,
  type ReportSpan,
  type ReviewDiagnostic,
  type ReviewReport,
  type ReviewSummary,
  toRepoPath,
  type UncheckedClassification,
} from "./report/types.js";
import { renderReview } from "./render/render-review.js";
import { foldConsequences } from "./report/fold-consequences.js";
import { projectConfig } from "./report/project-access.js";

export interface ReviewOptions {
  readonly repoDir: string;
  /** The branch the PR targets (`main`, `origin/main`, a SHA). */
  readonly base: string;
  /** Default "HEAD"; "WORKTREE" = the work tree with uncommitted changes. */
  readonly head?: string;
  /** The project inside the repository ("" or absent = the root). */
  readonly projectDir?: string;
  /** `${VAR}` values for TOML (the shells pass process.env; the core never reads it). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** `--var name=value` for `@var()`. */
  readonly vars?: Readonly<Record<string, string>>;
  /** P001 target, overriding `[portability] target_dialect`: `dbx|sf|bq|duckdb` or the long names. */
  readonly targetDialect?: DialectId | string;
  /** Compliance: evaluate only this `[mask.<env>]` (default: every env). */
  readonly maskEnv?: string;
  readonly failOn?: FailOnPolicy;
  /** Run history for observed cost. */
  readonly state?: StateReader;
  /** Warehouse table statistics for cost. */
  readonly stats?: TableStatsReader;
  readonly clock?: Clock;
  /** Where files come from; default: git in `repoDir`. */
  readonly source?: SourceReader;
  /** Compile cache (e.g. lmdb, kept between runs). Default: a fresh in-memory cache, shared by the base and head compiles. */
  readonly cache?: CompileCache;
  readonly withSeed?: boolean;
  /** Compiler options the shell supplies: the seed runner for withSeed, the cache salt, worker threads. */
  readonly compileExtras?: Pick<CompileOptions, "seedRunner" | "cacheSalt" | "workerUrl" | "workers">;
  readonly modelsDir?: string;
  readonly contractsDir?: string;
  /** Link to the full report, shown in the comment footer. */
  readonly reportUrl?: string;
  /** Character budget for the comment (renderer default otherwise). */
  readonly maxCommentChars?: number;
}

export interface ReviewResult {
  readonly report: ReviewReport;
  readonly rendered: RenderedReview;
}

/** Both sides of a PR, read and compiled, with their diff: what `rocky lineage-diff` / `ci-diff` and the review share. */
export interface ComparedRefs {
  readonly refs: ResolvedRefs;
  readonly projectDir: string;
  readonly baseFiles: ProjectFiles;
  readonly headFiles: ProjectFiles;
  readonly base: CompiledProject;
  readonly head: CompiledProject;
  readonly changedFiles: readonly ChangedFile[];
  readonly diff: ProjectDiff;
  readonly timings: { readonly git_ms: number; readonly read_ms: number; readonly compile_base_ms: number; readonly compile_head_ms: number; readonly diff_ms: number };
}

export type CompareOptions = Omit<ReviewOptions, "failOn" | "state" | "stats" | "maskEnv" | "reportUrl" | "maxCommentChars">;

/**
 * Resolve refs (merge-base of base and head), read both trees, compile both, and diff them.
 * User mistakes (a ref not in the clone, no project on head) are `ReviewInputError`s.
 */
export async function compareRefs(options: CompareOptions): Promise<ComparedRefs> {
  const clock = options.clock ?? SYSTEM_CLOCK;
  const layout = { ...(options.modelsDir ? { modelsDir: options.modelsDir } : {}), ...(options.contractsDir ? { contractsDir: options.contractsDir } : {}) };
  const source = options.source ?? createGitSourceReader(options.repoDir, layout);
  const projectDir = normalizeProjectDir(options.projectDir);
  const headRef = options.head ?? "HEAD";
  const targetDialect = targetDialectOf(options.targetDialect);
  const compileOptions: CompileOptions = {
    ...options.compileExtras,
    env: options.env ?? {},
    vars: options.vars ?? {},
    ...(options.modelsDir ? { modelsDir: options.modelsDir } : {}),
    ...(options.contractsDir ? { contractsDir: options.contractsDir } : {}),
    ...(targetDialect ? { targetDialect } : {}),
    ...(options.withSeed ? { withSeed: true } : {}),
    // Base first, then head through the same cache: head re-analyses only what the PR changed (and what reads it).
    cache: options.cache ?? createMemoryCompileCache(),
  };

  const gitStart = clock.elapsed();
  // A cached review of two commits: refs, merge-base and the PR's changes in one round of git processes.
  const cachedRoad = headRef !== WORKTREE && source.listProject !== undefined && source.readEntries !== undefined && source.lazyFiles !== undefined && compileOptions.cache?.getSnapshot !== undefined;
  const quick = cachedRoad && source.quickCompare ? await source.quickCompare(options.base, headRef, projectDir) : undefined;
  const refs = quick?.refs ?? (await source.resolveRefs(options.base, headRef));
  const headCommit = refs.worktree ? WORKTREE : refs.head.sha;
  await checkLayoutDirs(source, options, refs, projectDir, headRef);
  if (headCommit !== WORKTREE && cachedRoad) {
    return compareFromSnapshot(options, { clock, source, projectDir, headRef, refs, headCommit, compileOptions, gitStart, ...(quick ? { quick } : {}) });
  }
  let gitMs = 0;
  let readMs = 0;
  // The diff runs alongside the reads; the reads run in sequence so the head read fetches only the blobs the PR changed.
  const [changedFiles, [baseFiles, headFiles]] = await Promise.all([
    source.changedFiles(refs.mergeBase, headCommit, projectDir).then((files) => {
      gitMs = clock.elapsed() - gitStart;
      return files;
    }),
    (async () => {
      const r = clock.elapsed();
      const b = await source.readProject(refs.mergeBase, projectDir);
      const h = await source.readProject(headCommit, projectDir);
      readMs = clock.elapsed() - r;
      return [b, h] as const;
    })(),
  ]);
  // A PR that deletes the project (or adds one) is reviewed as every model removed (or added): only a
  // directory with no project on either side is a mistake.
  if (headFiles.size === 0 && baseFiles.size === 0) throw noProjectError(projectDir, options.base, headRef, refs);

  let t = clock.elapsed();
  const base = await compileProject(baseFiles, compileOptions);
  const compileBaseMs = clock.elapsed() - t;
  t = clock.elapsed();
  // A PR that changes no file the project reads (docs, CI config) compiles once.
  const head = sameFiles(baseFiles, headFiles) ? base : await compileProject(headFiles, compileOptions);
  const compileHeadMs = clock.elapsed() - t;

  t = clock.elapsed();
  const diff = diffProjects(base, head, changedFiles, { base: baseFiles, head: headFiles });
  const diffMs = clock.elapsed() - t;
  return {
    refs,
    projectDir,
    baseFiles,
    headFiles,
    base,
    head,
    changedFiles,
    diff,
    timings: { git_ms: gitMs, read_ms: readMs, compile_base_ms: compileBaseMs, compile_head_ms: compileHeadMs, diff_ms: diffMs },
  };
}

/**
 * A `modelsDir` or `contractsDir` that neither side of the comparison has is a mistake (a misspelt
 * `--models`), not a project without models or contracts: without this check both sides would read
 * none, and the review would find nothing to say. A directory one side has is a PR that adds or
 * removes it. Checked only when the options name one; a project directory missing on both sides is
 * left to noProjectError.
 */
async function checkLayoutDirs(source: SourceReader, options: CompareOptions, refs: ResolvedRefs, projectDir: string, headRef: string): Promise<void> {
  const asked = (
    [
      ["models", options.modelsDir],
      ["contracts", options.contractsDir],
    ] as const
  ).flatMap(([what, dir]) => (dir === undefined || normalizeProjectDir(dir) === "" ? [] : [{ what, dir, path: normalizeProjectDir(dir) }]));
  if (asked.length === 0 || source.directories === undefined) return;
  const headCommit = refs.worktree ? WORKTREE : refs.head.sha;
  const [atBase, atHead] = await Promise.all([source.directories(refs.mergeBase, projectDir), source.directories(headCommit, projectDir)]);
  if (atBase === undefined && atHead === undefined) return;
  for (const { what, dir, path } of asked) {
    if (atBase?.includes(path) || atHead?.includes(path)) continue;
    const where = projectDir === "" ? "the repository root" : `"${projectDir}"`;
    const head = refs.worktree ? "the work tree" : `${headRef} (${refs.head.sha.slice(0, 7)})`;
    const near = didYouMean(path, new Set([...(atBase ?? []), ...(atHead ?? [])]));
    throw new ReviewInputError(
      "missing-layout-dir",
      `No ${what} directory "${dir}" in ${where} on either side: neither ${options.base} (merge-base ${refs.mergeBase.slice(0, 7)}) nor ${head} has it${near === undefined ? "" : ` (did you mean "${near}"?)`}.`,
      `Name the directory that holds the ${what}, relative to the project: \`--${what} DIR\` for the rocky CLI.`,
    );
  }
}

/** No project on either side of the comparison: the review points at the wrong directory (a PR that adds or deletes the project has one side). */
function noProjectError(projectDir: string, baseRef: string, headRef: string, refs: ResolvedRefs): ReviewInputError {
  const where = projectDir === "" ? "the repository root" : `"${projectDir}"`;
  const head = refs.worktree ? "the work tree" : headRef;
  return new ReviewInputError("missing-project-dir", `No Rocky project files (rocky.toml, models/) at ${where} on ${head}, nor on ${baseRef} (merge-base ${refs.mergeBase.slice(0, 7)}).`, "Point the review at the directory that holds rocky.toml: `-C DIR` for the rocky CLI, `working-directory` for the Action and in .github/rocky.yml.");
}

/**
 * How many base snapshots a cache keeps (each review of a new base commit adds one; the oldest go).
 * The App keeps one cache for all its repositories, so this is per installation, not per repository;
 * the cache's own sweep bounds the records they refer to.
 */
export const KEPT_BASE_SNAPSHOTS = 16;

/**
 * Both sides from a cached base: the base project is identified by its files' blob ids (the
 * merge-base's listing, kept in the cache by commit id), compiled once and kept as a snapshot; the
 * head is the base listing plus the PR's changes (`git diff --raw`), recompiled where the PR changed
 * model files (compile-incremental.ts), reading only those blobs. Files are read lazily after that
 * (a finding's line, an inline comment's context). Whatever the incremental compile cannot take
 * (a new model, a changed rocky.toml) compiles the head in full.
 */
async function compareFromSnapshot(
  options: CompareOptions,
  ctx: {
    clock: Clock;
    source: SourceReader;
    projectDir: string;
    headRef: string;
    refs: ResolvedRefs;
    headCommit: string;
    compileOptions: CompileOptions;
    gitStart: number;
    quick?: QuickComparison;
  },
): Promise<ComparedRefs> {
  const { clock, source, projectDir, refs, headCommit, compileOptions, quick } = ctx;
  const cache = compileOptions.cache!;
  const layout = { modelsDir: options.modelsDir ?? "", contractsDir: options.contractsDir ?? "" };
  let readMs = 0;
  const [changedFiles, baseListing, headListed] = await Promise.all([
    quick?.changedFiles ?? source.changedFiles(refs.mergeBase, headCommit, projectDir),
    baseListingOf(cache, source, refs.mergeBase, projectDir, layout),
    quick ? undefined : source.listProject!(headCommit, projectDir).then(listingOf),
  ]);
  const headListing = headListed ?? overlayListing(baseListing, quick!.changes);
  const gitMs = clock.elapsed() - ctx.gitStart;
  if (headListing.size === 0 && baseListing.size === 0) throw noProjectError(projectDir, options.base, ctx.headRef, refs);

  // ---- base: from its snapshot, or compiled once and kept
  let t = clock.elapsed();
  const baseKey = treeKey(baseListing, projectDir, compileOptions);
  let snapshot = readSnapshot(cache, baseKey);
  if (snapshot !== undefined && !snapshotMatchesEnv(snapshot, compileOptions.env)) snapshot = undefined;
  let base: CompiledProject;
  let baseKnown: ProjectFiles = new Map();
  const scope = snapshotScope(projectDir, compileOptions, layout);
  const nearby = snapshot === undefined ? await nearbyBase(cache, source, clock, scope, refs.mergeBase, baseListing, compileOptions, projectDir) : undefined;
  if (snapshot !== undefined) {
    base = unchangedProject(snapshot, cache);
  } else if (nearby !== undefined) {
    base = nearby.compiled;
    baseKnown = nearby.known;
    readMs += nearby.readMs;
    snapshot = base.snapshot;
    if (snapshot !== undefined) keepBaseSnapshot(cache, baseKey, snapshot, refs.mergeBase, scope);
  } else {
    const r = clock.elapsed();
    baseKnown = await source.readEntries!(baseListing.entries());
    readMs += clock.elapsed() - r;
    base = await compileProject(baseKnown, { ...compileOptions, snapshot: true, snapshotDetails: false });
    snapshot = base.snapshot;
    if (snapshot !== undefined) keepBaseSnapshot(cache, baseKey, snapshot, refs.mergeBase, scope);
  }
  const compileBaseMs = clock.elapsed() - t;

  // ---- head: the base where the PR changed it
  t = clock.elapsed();
  const changed = changedPaths(baseListing, headListing, quick ? quick.changes.keys() : undefined);
  let head: CompiledProject | undefined = changed.length === 0 ? base : undefined;
  let headKnown: ProjectFiles = changed.length === 0 ? baseKnown : new Map();
  const recompiled = snapshot === undefined || head !== undefined ? undefined : await recompileFromListing(snapshot, changed, headListing, source, clock, { ...compileOptions, cache });
  if (recompiled !== undefined) {
    readMs += recompiled.readMs;
    if (recompiled.compiled !== undefined) {
      head = recompiled.compiled;
      headKnown = recompiled.known;
    }
  }
  if (head === undefined) {
    const r = clock.elapsed();
    headKnown = await source.readEntries!(headListing.entries());
    readMs += clock.elapsed() - r;
    head = await compileProject(headKnown, compileOptions);
  }
  const compileHeadMs = clock.elapsed() - t;

  // The files of the models the PR re-compiled are what findings are told apart by (their lines):
  // fetched from git on both sides while the diff runs; any other file is read if ever asked for.
  const prefetch = prefetchRecompiled(source, snapshot, head, baseListing, headListing, baseKnown, headKnown);
  t = clock.elapsed();
  // The diff reads a file itself only to locate a key in a changed _defaults.toml or config group.
  const diff = diffProjects(base, head, changedFiles, { base: source.lazyFiles!(baseListing, baseKnown), head: source.lazyFiles!(headListing, headKnown, baseListing) });
  const diffMs = clock.elapsed() - t;
  const [baseMore, headMore] = await prefetch;
  // What this review added to the cache (the head's new analyses, a new listing) is written once, here.
  await cache.flush();
  const baseFiles = source.lazyFiles!(baseListing, baseMore);
  const headFiles = changed.length === 0 ? baseFiles : source.lazyFiles!(headListing, headMore, baseListing);
  return {
    refs,
    projectDir,
    baseFiles,
    headFiles,
    base,
    head,
    changedFiles,
    diff,
    timings: { git_ms: gitMs, read_ms: readMs, compile_base_ms: compileBaseMs, compile_head_ms: compileHeadMs, diff_ms: diffMs },
  };
}

/** How many merge-base listings a cache keeps (records of two strings each; the oldest are emptied). */
export const KEPT_TREE_LISTINGS = 4;

/** The cache record of a commit's project listing: a commit names its tree, so the record never goes stale. */
export function treeListingKey(commit: string, projectDir: string, layout: { modelsDir: string; contractsDir: string }): string {
  return `tree-listing:${commit}:${projectDir}:${layout.modelsDir}:${layout.contractsDir}`;
}

/** The merge-base's listing: from the cache, or one `git ls-tree -r` kept for the next review of the same base. */
async function baseListingOf(cache: CompileCache, source: SourceReader, commit: string, projectDir: string, layout: { modelsDir: string; contractsDir: string }): Promise<TreeListing> {
  const key = treeListingKey(commit, projectDir, layout);
  let kept: TreeListing | undefined;
  try {
    kept = listingFromRecord(cache.getRecord?.(key));
  } catch {
    kept = undefined;
  }
  if (kept !== undefined) return kept;
  const listing = listingOf(await source.listProject!(commit, projectDir));
  if (cache.putRecord === undefined) return listing;
  cache.putRecord(key, listing.toRecord());
  const keys = ((cache.getRecord?.("tree-listings") as string[] | undefined) ?? []).filter((k) => k !== key);
  keys.push(key);
  // No record can be deleted through the cache: an evicted listing is emptied (null), which reads as "not kept".
  while (keys.length > KEPT_TREE_LISTINGS) cache.putRecord(keys.shift()!, null);
  cache.putRecord("tree-listings", keys);
  return listing;
}

/**
 * The project paths whose blob differs between the two listings, as head's sorted paths then the
 * removed ones: `candidates` (the paths the PR's diff names) when known, else every path of both.
 */
function changedPaths(base: TreeListing, head: TreeListing, candidates: Iterable<string> | undefined): string[] {
  const pool = candidates === undefined ? new Set([...head.paths(), ...base.paths()]) : new Set(candidates);
  const sorted = [...pool].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const present = sorted.filter((p) => head.object(p) !== undefined && head.object(p) !== base.object(p));
  const removed = sorted.filter((p) => head.object(p) === undefined && base.object(p) !== undefined);
  return [...present, ...removed];
}

/** The entries of `paths` the listing has (sorted). */
function entriesOf(listing: TreeListing, paths: Iterable<string>): ProjectEntry[] {
  const out: ProjectEntry[] = [];
  for (const path of [...new Set(paths)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    const object = listing.object(path);
    if (object !== undefined) out.push({ path, object });
  }
  return out;
}

/** A kept snapshot, or undefined when there is none or the cache cannot answer (then the base compiles in full). */
function readSnapshot(cache: CompileCache, key: string): CompileSnapshot | undefined {
  try {
    return cache.getSnapshot?.(key);
  } catch {
    return undefined;
  }
}

/** The incremental head, or the reason it cannot be: a cache that fails mid-way costs a full compile, never a wrong one. */
function recompileOrNot(...args: Parameters<typeof recompileChanged>): ReturnType<typeof recompileChanged> {
  try {
    return recompileChanged(...args);
  } catch (error) {
    return { reason: `the cache could not answer: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** The texts of the re-compiled models' files on both sides (added to what is already known). */
async function prefetchRecompiled(
  source: SourceReader,
  snapshot: CompileSnapshot | undefined,
  head: CompiledProject,
  baseListing: TreeListing,
  headListing: TreeListing,
  baseKnown: ProjectFiles,
  headKnown: ProjectFiles,
): Promise<[ProjectFiles, ProjectFiles]> {
  const after = head.snapshot;
  if (snapshot === undefined || after === undefined || after === snapshot) return [baseKnown, headKnown];
  const wanted = new Set<string>();
  after.models.forEach((m, i) => {
    if (m !== snapshot.models[i]) for (const f of m.ownFiles) wanted.add(f);
  });
  const read = async (listing: TreeListing, known: ProjectFiles) => {
    const missing = entriesOf(listing, [...wanted].filter((p) => !known.has(p)));
    if (missing.length === 0) return known;
    const texts = await source.readEntries!(missing);
    return new Map([...known, ...texts]);
  };
  // One side after the other: the head's files that the PR left alone are then the base's blobs, already read (one git process, not two).
  const baseMore = await read(baseListing, baseKnown);
  return [baseMore, await read(headListing, headKnown)];
}

/** A base project's identity: its files' blob ids (the listing's content hash) and the options it is compiled with. */
function treeKey(listing: TreeListing, projectDir: string, o: CompileOptions): string {
  const h = createHash("sha1");
  h.update(`${projectDir}\0${compileOptionsIdentity(o)}\0${listing.contentHash}`);
  return `tree:${h.digest("hex")}`;
}

/** Keep a base snapshot, dropping the least recently made beyond KEPT_BASE_SNAPSHOTS, and note which commit it compiled. */
function keepBaseSnapshot(cache: CompileCache, key: string, snapshot: CompileSnapshot, commit: string, scope: string): void {
  cache.putSnapshot?.(key, snapshot);
  const kept = ((cache.getRecord?.("base-snapshots") as string[] | undefined) ?? []).filter((k) => k !== key);
  kept.push(key);
  while (kept.length > KEPT_BASE_SNAPSHOTS) cache.dropSnapshot?.(kept.shift()!);
  cache.putRecord?.("base-snapshots", kept);
  // A tree can be the base of several commits (the same files in two repositories the App reviews): one entry each.
  const live = new Set(kept);
  const origins = readOrigins(cache).filter((o) => live.has(o.key) && !(o.key === key && o.commit === commit));
  origins.push({ key, commit, scope });
  cache.putRecord?.(ORIGINS, origins.slice(-KEPT_ORIGINS).map((o) => [o.key, o.commit, o.scope]));
}

/** How many (snapshot, commit) pairs the cache remembers for a moved base to start from. */
const KEPT_ORIGINS = 4 * KEPT_BASE_SNAPSHOTS;

/** The cache record of which commit each kept base snapshot compiled, and in which scope: [key, commit, scope][]. */
const ORIGINS = "base-snapshot-origins";

interface SnapshotOrigin {
  readonly key: string;
  readonly commit: string;
  readonly scope: string;
}

function readOrigins(cache: CompileCache): SnapshotOrigin[] {
  let record: unknown;
  try {
    record = cache.getRecord?.(ORIGINS);
  } catch {
    return [];
  }
  if (!Array.isArray(record)) return [];
  return record.filter((r): r is [string, string, string] => Array.isArray(r) && r.length === 3 && r.every((x) => typeof x === "string")).map(([key, commit, scope]) => ({ key, commit, scope }));
}

/** What a snapshot of one commit can be reused for: the same project directory, layout and compile options (a commit names its files). */
function snapshotScope(projectDir: string, o: CompileOptions, layout: { modelsDir: string; contractsDir: string }): string {
  return `${projectDir}\0${layout.modelsDir}\0${layout.contractsDir}\0${compileOptionsIdentity(o)}`;
}

/**
 * A new base (main moved on since the last review) from the snapshot kept for an earlier one: the
 * project files git says changed between the two commits, recompiled as a PR's head is
 * (compile-incremental.ts), instead of the whole project. Undefined, and the base compiles in full,
 * when no snapshot of this scope is kept, git cannot compare the commits (a shallow clone), a file
 * was renamed, or the change is one the incremental compile does not take (a model added, rocky.toml).
 */
async function nearbyBase(
  cache: CompileCache,
  source: SourceReader,
  clock: Clock,
  scope: string,
  commit: string,
  listing: TreeListing,
  options: CompileOptions,
  projectDir: string,
): Promise<{ compiled: CompiledProject; known: Map<string, ProjectFileText>; readMs: number } | undefined> {
  if (source.readEntries === undefined) return undefined;
  // The most recent first. One cache serves every repository the App reviews: a snapshot of
  // another repository's commit is one git cannot compare here (a fork's shared history it can).
  let found: { old: CompileSnapshot; files: readonly ChangedFile[] } | undefined;
  for (const origin of readOrigins(cache).reverse()) {
    if (origin.scope !== scope || origin.commit === commit) continue;
    let files: readonly ChangedFile[];
    try {
      files = await source.changedFiles(origin.commit, commit, projectDir);
    } catch {
      continue; // not a commit of this repository
    }
    const old = readSnapshot(cache, origin.key);
    if (old === undefined || !snapshotMatchesEnv(old, options.env)) continue;
    found = { old, files };
    break;
  }
  if (found === undefined) return undefined;
  const { old, files } = found;
  if (files.some((f) => f.status === "renamed" || f.status === "copied")) return undefined;
  // Files outside the project's listing on either side (a README beside it) are no input of the compile.
  const known = new Set<string>(old.globalFiles);
  for (const m of old.models) for (const f of m.ownFiles) known.add(f);
  const changed = files.flatMap((f) => (f.projectPath !== null && (listing.object(f.projectPath) !== undefined || known.has(f.projectPath)) ? [f.projectPath] : [])).sort();
  if (changed.length === 0) return { compiled: unchangedProject(old, cache), known: new Map(), readMs: 0 };
  const recompiled = await recompileFromListing(old, changed, listing, source, clock, { ...options, cache });
  return recompiled?.compiled === undefined ? undefined : { compiled: recompiled.compiled, known: recompiled.known, readMs: recompiled.readMs };
}

/**
 * `changed` recompiled from `s` (compile-incremental.ts), reading from git only the files of
 * `listing` that needs: undefined when a changed path is no model's file (nothing read); else
 * what was read and how long that took, with the project, or none when it must compile in full.
 */
async function recompileFromListing(
  s: CompileSnapshot,
  changed: readonly string[],
  listing: TreeListing,
  source: SourceReader,
  clock: Clock,
  options: CompileOptions & { readonly cache: CompileCache },
): Promise<{ compiled?: CompiledProject; known: Map<string, ProjectFileText>; readMs: number } | undefined> {
  const needed = filesToRead(s, changed);
  if (needed === undefined) return undefined;
  const t = clock.elapsed();
  const known = await source.readEntries!(entriesOf(listing, needed));
  for (const p of needed) if (!known.has(p)) known.set(p, null);
  const readMs = clock.elapsed() - t;
  return { compiled: recompileOrNot(s, changed, known, options).compiled, known, readMs };
}

/** A target dialect given by a user (Action input, CLI flag), validated. */
export function targetDialectOf(name: string | undefined): DialectId | undefined {
  if (name === undefined || name.trim() === "") return undefined;
  const d = parseTargetDialect(name.trim());
  if (d) return d;
  throw new ReviewInputError("invalid-option", `Unknown target dialect "${name}".`, `Use one of: ${TARGET_DIALECT_NAMES.join(", ")}.`);
}

function sameFiles(a: ProjectFiles, b: ProjectFiles): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (!b.has(k) || fileContentKey(b.get(k)) !== fileContentKey(v)) return false;
  return true;
}

const CONTRACT_CODES = new Set(["E010", "E011", "E012", "E013", "W010"]);

/**
 * The compile's E014 on one column (its model's contract has [[columns]]): the review's contract
 * evaluation says it (rocky/contracts, undeclaredNullable); the one on a contract with no
 * [[columns]] stays the compile's.
 */
function isColumnE014(d: Diagnostic, head: CompiledProject): boolean {
  return d.code === "E014" && d.model !== undefined && (head.models.get(d.model)?.contract?.columns.length ?? 0) > 0;
}
const PORTABILITY_CODES = new Set(["P001", "P002"]);

/**
 * The whole review of a pull request (issue 3): compare the refs, check compliance and projected
 * cost, assemble the versioned ReviewReport and render it (comment, checks, inline comments).
 */
export async function reviewPullRequest(options: ReviewOptions): Promise<ReviewResult> {
  const clock = options.clock ?? SYSTEM_CLOCK;
  const start = clock.elapsed();
  const cmp = await compareRefs(options);

  // A misspelt environment is a mistake to report, never a check against the base [mask] alone.
  if (options.maskEnv !== undefined) checkMaskEnv(options.maskEnv, [cmp.base, cmp.head]);
  let t = clock.elapsed();
  const compliance = complianceWithNew(cmp, options.maskEnv);
  const complianceMs = clock.elapsed() - t;

  t = clock.elapsed();
  // A head model that does not compile has no inputs the estimate can see: priced, it reads as a stub scan
  // (a PR breaking a model showed "decreased by 95%"). It is left out on both sides and named, as `rocky preview cost` does.
  // The comparison's findings, marked new or not: read here and by assembleReport (made once: it walks every diagnostic).
  const marked = markedDiagnostics(cmp);
  const notPriced = new Set(uncomparedModels(cmp, marked).map((d) => d.model ?? ""));
  const cost: CostReport = await projectCost({
    diff: cmp.diff,
    head: cmp.head,
    base: cmp.base,
    ...(options.state ? { history: options.state } : {}),
    ...(options.stats ? { stats: options.stats } : {}),
    ...(notPriced.size > 0 ? { notPriced } : {}),
  });
  const costMs = clock.elapsed() - t;

  const targetDialect = targetDialectOf(options.targetDialect);
  const report = assembleReport(cmp, { compliance, cost, generatedAt: new Date(clock.now()).toISOString(), marked, ...(targetDialect ? { targetDialect } : {}) });
  t = clock.elapsed();
  const rendered = renderReview(report, {
    // The head's files let P001 inline comments carry a GitHub suggestion block (the whole line, rewritten).
    headFiles: cmp.headFiles,
    // The base's, for the identity of an inline comment on a line the PR deletes.
    baseFiles: cmp.baseFiles,
    ...(options.failOn ? { failOn: options.failOn } : {}),
    ...(options.reportUrl ? { reportUrl: options.reportUrl } : {}),
    ...(options.maxCommentChars ? { maxCommentChars: options.maxCommentChars } : {}),
  });
  const renderMs = clock.elapsed() - t;
  const timings = {
    ...report.timings,
    compliance_ms: round(complianceMs),
    cost_ms: round(costMs),
    render_ms: round(renderMs),
    total_ms: round(clock.elapsed() - start),
  };
  return { report: { ...report, timings }, rendered };
}

function complianceWithNew(cmp: ComparedRefs, env: string | undefined): ComplianceReport {
  const opts = env === undefined ? {} : { env };
  const { unchecked: headUnchecked, ...head } = analyzeCompliance(cmp.head, opts);
  const base = analyzeCompliance(cmp.base, opts);
  const seen = new Set(base.exceptions.map(exceptionKey));
  // Head's exceptions as base names them: a renamed model or column is the same exposure, neither new nor fixed.
  const asOnBase = baseNames(cmp);
  const onBase = head.exceptions.map((e) => exceptionKey({ ...asOnBase(e.model, e.column), env: e.env }));
  // Only rocky.toml holds [mask] and [classifications]: a PR that leaves it alone weakens nothing.
  const weakened = !cmp.changedFiles.some((f) => f.role === "project_config") ? [] : maskWeakenings(cmp.base, cmp.head, { ...opts, files: { base: cmp.baseFiles, head: cmp.headFiles } });
  const unchecked = withBaseColumns(headUnchecked, cmp.base);
  const declassified = declassifications(cmp.base, cmp.head, { ...opts, exceptions: new Set(head.exceptions.map((e) => `${e.model}|${e.column.toLowerCase()}`)) });
  const fixed = fixedExceptions(base.exceptions, new Set(onBase), head.envs, cmp.head);
  const changedAt = changedItems(cmp);
  return {
    ...head,
    exceptions: head.exceptions.map((e, i) => {
      const isNew = !seen.has(onBase[i]);
      // A new copy goes where the PR changed the column (a UNION branch it added), not on the item that names it first.
      const span = isNew && e.via_lineage ? (changedAt.get(`${e.model}|${e.column.toLowerCase()}`) ?? e.span) : e.span;
      return { ...e, ...(span ? { span } : {}), new: isNew };
    }),
    ...(weakened.length > 0 ? { weakened } : {}),
    ...(declassified.length > 0 ? { declassified } : {}),
    ...(unchecked.length > 0 ? { unchecked } : {}),
    ...(fixed.length > 0 ? { fixed } : {}),
  };
}

/** A head model column's name on base: through a model rename (`baseModel`) and a column rename the diff found. */
function baseNames(cmp: ComparedRefs): (model: string, column: string) => { model: string; column: string } {
  const models = new Map<string, string>();
  for (const m of cmp.diff.models) if (m.baseModel !== undefined && m.baseModel !== m.model) models.set(m.model, m.baseModel);
  const columns = new Map<string, string>();
  for (const c of cmp.diff.columnChanges) if (c.change.kind === "renamed") columns.set(`${c.model}|${c.column.toLowerCase()}`, c.change.from);
  return (model, column) => ({ model: models.get(model) ?? model, column: columns.get(`${model}|${column.toLowerCase()}`) ?? column });
}

/** Where the diff placed each head column it changed in a model file (diff-projects.ts: the item the PR wrote), by `model|column`. */
function changedItems(cmp: ComparedRefs): Map<string, ReportSpan> {
  const out = new Map<string, ReportSpan>();
  for (const c of cmp.diff.columnChanges) {
    if (c.span?.side !== "head" || cmp.head.models.get(c.model)?.file !== c.span.file) continue;
    const key = `${c.model}|${c.column.toLowerCase()}`;
    if (!out.has(key)) out.set(key, c.span);
  }
  return out;
}

/**
 * Head's unchecked models and columns (compliance-config.ts), a model whose whole [classification]
 * did not load on head naming the columns base classified: head cannot say, base is what the PR
 * most likely still means. The PR fails on the R002 anyway; the masking section says its count is
 * short, instead of reading all clear.
 */
function withBaseColumns(unchecked: readonly UncheckedClassification[], base: CompiledProject): UncheckedClassification[] {
  return unchecked.map((u) => {
    if (!u.whole_model || u.columns.length > 0) return u;
    const columns = Object.keys(base.models.get(u.model)?.config.classification ?? {}).map((c) => c.toLowerCase()).sort();
    return columns.length > 0 ? { ...u, columns } : u;
  });
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

export interface AssembleExtras {
  readonly compliance: ComplianceReport | null;
  readonly cost: CostReport | null;
  readonly generatedAt: string;
  readonly targetDialect?: DialectId;
  /** `markedDiagnostics(cmp)`, when the caller has made it already. */
  readonly marked?: readonly ReviewDiagnostic[];
}

/** Build the ReviewReport from a comparison and the compliance/cost results (pure). */
/**
 * The PR's change of `[portability] target_dialect`, with the key's line: a one-line edit that
 * checks every model against another warehouse. None under a caller's override (the target is
 * the caller's then), and none when the PR adds or removes the whole project.
 */
function withTargetDialectChange(cmp: ComparedRefs, override: DialectId | undefined): { targetDialectChange?: NonNullable<ReviewReport["targetDialectChange"]> } {
  if (override !== undefined || cmp.base.models.size === 0 || cmp.head.models.size === 0) return {};
  if (!cmp.changedFiles.some((f) => f.role === "project_config")) return {};
  const from = projectConfig(cmp.base).portability.target_dialect;
  const to = projectConfig(cmp.head).portability.target_dialect;
  if (from === to) return {};
  const keys = new SideTomlKeys({ base: cmp.baseFiles, head: cmp.headFiles });
  const key = ["portability", "target_dialect"];
  const span = to !== undefined ? keys.span("head", "rocky.toml", key) : (keys.span("base", "rocky.toml", key) ?? keys.span("head", "rocky.toml", ["portability"]));
  return { targetDialectChange: { ...(from ? { from } : {}), ...(to ? { to } : {}), ...(span ? { span } : {}) } };
}

export function assembleReport(cmp: ComparedRefs, extras: AssembleExtras): ReviewReport {
  const { diff, head, base, changedFiles, projectDir } = cmp;
  const dropCodes = new Set<string>([...CONTRACT_CODES, ...(extras.compliance ? ["W004"] : []), ...(extras.cost ? ["E027"] : [])]);
  const marked = extras.marked ?? markedDiagnostics(cmp);
  const portability = marked.filter((d) => PORTABILITY_CODES.has(d.code));
  const diagnostics = marked.filter((d) => !PORTABILITY_CODES.has(d.code) && !dropCodes.has(d.code) && !isColumnE014(d, head));
  const touchesNoModels = !changedFiles.some((f) => f.role !== "other");
  const targetDialect = extras.targetDialect ?? projectConfig(head).portability.target_dialect;
  const summary = summarize(cmp, diagnostics, portability, extras);
  return {
    version: REPORT_VERSION,
    kind: "rocky-review",
    generatedAt: extras.generatedAt,
    base: cmp.refs.base,
    head: cmp.refs.head,
    mergeBase: cmp.refs.mergeBase,
    projectDir,
    // A PR that removes every model keeps the base's dialect (an empty head has none of its own).
    dialect: projectDialect(head.models.size === 0 && base.models.size > 0 ? base : head),
    ...(targetDialect ? { targetDialect } : {}),
    ...withTargetDialectChange(cmp, extras.targetDialect),
    touchesNoModels,
    summary,
    models: diff.models,
    columnChanges: diff.columnChanges,
    rowLevelChanges: diff.rowLevelChanges,
    blastRadius: diff.blastRadius,
    breakingChanges: diff.breakingChanges,
    contracts: diff.contracts,
    portability,
    compliance: extras.compliance,
    cost: extras.cost,
    diagnostics,
    changedFiles,
    timings: {
      git_ms: round(cmp.timings.git_ms),
      read_ms: round(cmp.timings.read_ms),
      compile_base_ms: round(cmp.timings.compile_base_ms),
      compile_head_ms: round(cmp.timings.compile_head_ms),
      diff_ms: round(cmp.timings.diff_ms),
      compliance_ms: 0,
      cost_ms: 0,
      render_ms: 0,
      total_ms: 0,
      cache_hits: { base: base.timings.cache_hits, head: head.timings.cache_hits },
    },
  };
}

/** The models the PR renamed, paired by the diff, with their files on each side. */
function renamedModels(cmp: ComparedRefs): RenamedModel[] {
  const out: RenamedModel[] = [];
  for (const m of cmp.diff.models) {
    if (m.baseModel === undefined || m.baseModel === m.model) continue;
    const baseFile = cmp.base.models.get(m.baseModel)?.file;
    const file = cmp.head.models.get(m.model)?.file;
    if (baseFile !== undefined && file !== undefined) out.push({ baseModel: m.baseModel, baseFile, model: m.model, file });
  }
  return out;
}

/**
 * Head's diagnostics as the review reports them: each marked new (not on base, finding-identity.ts)
 * and whether it sits on a line the PR changed; with the readers of a removed model, which only the
 * comparison sees.
 */
export function markedDiagnostics(cmp: ComparedRefs): ReviewDiagnostic[] {
  const inDiff = (d: Diagnostic) => (d.span ? lineInDiff(cmp.changedFiles, toRepoPath(cmp.projectDir, d.span.file), d.span.line) : false);
  // Object.assign, not a spread: the same keys in the same order, and on the diagnostics a snapshot decodes
  // (10,000 of them on the benchmark) several times faster (17-25 ms -> 2-3 ms).
  const marked = markNew(cmp.head.diagnostics, cmp.base.diagnostics, cmp.headFiles, cmp.baseFiles, renamedModels(cmp)).map(({ diagnostic, new: isNew, madeByReader }): ReviewDiagnostic => Object.assign({}, diagnostic, { new: isNew, inDiff: inDiff(diagnostic) }, madeByReader ? { madeByReader } : {}));
  // A PR that removes every model (or the whole project) is reviewed as that: each removed model is
  // its finding, and head's "no models found" (R006) would only fail rocky/compile for what the PR means to do.
  if (cmp.base.models.size > 0) for (let i = marked.length - 1; i >= 0; i--) if (marked[i].code === "R006") marked.splice(i, 1);
  // Readers of a removed model: head diagnostics only the comparison can see, so new by construction.
  // Each says more than the compile's R004 on the same reference (an unknown name), which it replaces.
  if (cmp.diff.readsOfRemoved.length > 0) {
    const at = (d: Diagnostic) => (d.span ? `${d.span.file}:${d.span.line}:${d.span.col}` : "");
    const replaced = new Set(cmp.diff.readsOfRemoved.map(at));
    for (let i = marked.length - 1; i >= 0; i--) if (marked[i].code === "R004" && replaced.has(at(marked[i]))) marked.splice(i, 1);
    for (const d of cmp.diff.readsOfRemoved) marked.push(Object.assign({}, d, { new: true, inDiff: inDiff(d) }));
  }
  // A read of a column this PR renamed or dropped upstream: say so, where the compile guesses by spelling.
  // Then a W002 or I002 that only follows from a new error, of its model or (through head's lineage) upstream, is said with that error.
  // Source declarations are read only when a new R008 may be one of a source column the PR removed.
  const sourceFiles = marked.some((d) => d.code === "R008" && d.new) ? cmp.changedFiles.filter((f) => f.role === "seed" || f.role === "schema") : [];
  const sources = sourceFiles.length > 0 ? new SourceDeclarations(sourceFiles, { base: cmp.baseFiles, head: cmp.headFiles }) : undefined;
  const removedFromSource = sources && ((table: string, column: string) => sources.removedAt(table, column));
  return foldConsequences(explainTypeBreaks(explainMissingColumns(marked, cmp.diff.columnChanges, cmp.head, removedFromSource), cmp.diff.columnChanges, cmp.head), cmp.head);
}

/**
 * What a column-level comparison could not compare: the errors of head models that could not be
 * typed (their SQL does not parse, or they are in or behind a cycle: their columns are unknown, so
 * the diff lists no column change for them), for the models the PR changed and for errors the PR
 * introduced (a cycle it closes elsewhere). The review reports them among its findings; `rocky
 * lineage-diff` and `ci-diff`, which report column changes only, report these beside them.
 */
export function uncomparedModels(cmp: ComparedRefs, marked: readonly ReviewDiagnostic[] = markedDiagnostics(cmp)): ReviewDiagnostic[] {
  const changed = new Set<string>();
  for (const m of cmp.diff.models) if (m.status !== "unchanged") changed.add(m.model);
  return marked.filter((d) => d.severity === "Error" && d.model !== undefined && cmp.head.models.get(d.model)?.parsed === false && (d.new || changed.has(d.model)));
}

/** The dialect most models use (the project's default adapter's), duckdb when there are none. */
function projectDialect(p: CompiledProject): DialectId {
  // From a snapshot, each model's dialect is at hand without making its CompiledModel; a tie is broken
  // by which dialect comes first in the models' order, so only then are the models walked.
  const fromSnapshot = p.snapshot !== undefined && p.snapshot.models.length === p.models.size ? mostCommon(p.snapshot.models) : undefined;
  if (fromSnapshot !== undefined && !fromSnapshot.tie) return fromSnapshot.best;
  return mostCommon(p.models.values()).best;
}

/** The most common dialect (the first seen of the most common ones), and whether another one is as common. */
function mostCommon(models: Iterable<{ readonly dialect: DialectId }>): { best: DialectId; tie: boolean } {
  const counts = new Map<DialectId, number>();
  for (const m of models) counts.set(m.dialect, (counts.get(m.dialect) ?? 0) + 1);
  let best: DialectId = "duckdb";
  let n = 0;
  for (const [d, c] of counts) if (c > n) [best, n] = [d, c];
  let tie = false;
  for (const [d, c] of counts) if (c === n && d !== best) tie = true;
  return { best, tie };
}

function countBy<T>(items: readonly T[], pred: (t: T) => boolean): number {
  let n = 0;
  for (const i of items) if (pred(i)) n++;
  return n;
}

function summarize(cmp: ComparedRefs, diagnostics: readonly ReviewDiagnostic[], portability: readonly ReviewDiagnostic[], extras: AssembleExtras): ReviewSummary {
  const { diff } = cmp;
  const models = diff.models;
  const cc = diff.columnChanges;
  const kind = (k: string) => countBy(cc, (c) => c.change.kind === k);
  const newDiags = diagnostics.filter((d) => d.new);
  const newPort = portability.filter((d) => d.new);
  const newContracts = diff.contracts.filter((c) => c.new);
  const exceptions = extras.compliance?.exceptions.filter((e) => e.new !== false) ?? [];
  const breaches = extras.cost?.budgetBreaches ?? [];
  const added = countBy(models, (m) => m.status === "added");
  const modified = countBy(models, (m) => m.status === "modified");
  const breaking = countBy(diff.breakingChanges, (b) => b.severity === "breaking");
  const sev = (list: readonly { severity: string }[], s: string) => countBy(list, (d) => d.severity === s);
  return {
    models: {
      total: cmp.head.models.size,
      added,
      removed: countBy(models, (m) => m.status === "removed"),
      modified,
      unchanged: Math.max(0, cmp.head.models.size - added - modified),
      ...((diff.layoutOnlyModels?.length ?? 0) > 0 ? { layoutOnly: diff.layoutOnlyModels?.length } : {}),
    },
    columnChanges: {
      total: cc.length,
      added: kind("added"),
      removed: kind("removed"),
      renamed: kind("renamed"),
      type_changed: kind("type_changed"),
      nullability_changed: kind("nullability_changed"),
      logic_changed: kind("logic_changed"),
    },
    rowLevelChanges: diff.rowLevelChanges.length,
    breaking: { breaking, warning: sev(diff.breakingChanges, "warning"), info: sev(diff.breakingChanges, "info") },
    blastRadius: { columns: diff.blastRadius.totalConsumers, models: diff.blastRadius.totalModels },
    contracts: { error: sev(diff.contracts, "Error"), warning: sev(diff.contracts, "Warning"), new: newContracts.length },
    portability: { error: sev(newPort, "Error"), warning: sev(newPort, "Warning") },
    diagnostics: { error: sev(newDiags, "Error"), warning: sev(newDiags, "Warning"), info: sev(newDiags, "Info"), preExisting: diagnostics.length - newDiags.length },
    complianceExceptions: exceptions.length,
    budgetBreaches: { error: countBy(breaches, (b) => b.on_breach === "error"), warning: countBy(breaches, (b) => b.on_breach === "warn") },
    filesChanged: cmp.changedFiles.length,
    findings: {
      error: sev(newDiags, "Error") + sev(newPort, "Error") + sev(newContracts, "Error") + exceptions.length + countBy(breaches, (b) => b.on_breach === "error"),
      warning: sev(newDiags, "Warning") + sev(newPort, "Warning") + sev(newContracts, "Warning") + countBy(breaches, (b) => b.on_breach === "warn") + breaking,
      info: sev(newDiags, "Info"),
    },
  };
}

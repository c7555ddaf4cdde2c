import { execFileSync, spawn } from "node:child_process";
import { closeSync, type Dirent, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { decodeProjectFile, MAX_PROJECT_FILE_BYTES, readProjectDir } from "../../../engine/src/project/read-project-dir.js";
import { projectFilesView } from "../../../engine/src/project/lazy-project-files.js";
import type { ProjectFiles, ProjectFileText, UnreadableFile } from "../../../engine/src/project/types.js";
import { isProjectFile, normalizeProjectDir, type ProjectLayout } from "./project-file-role.js";
import { WORKTREE } from "./resolve-refs.js";
import { runGit } from "./run-git.js";
import type { TreeListing } from "./tree-listing.js";

/** A blob git did not give: why, as R007 reports it. */
function gitReadError(object: string, error?: unknown): UnreadableFile {
  if (error === undefined) return { unreadable: "read-error", code: "ENOENT", message: `git has no object ${object}` };
  const e = error as { code?: unknown; status?: unknown; stderr?: unknown; message?: unknown };
  const stderr = (Buffer.isBuffer(e.stderr) ? e.stderr.toString("utf8") : typeof e.stderr === "string" ? e.stderr : "").trim().split("\n")[0];
  const code = typeof e.code === "string" ? e.code : typeof e.status === "number" ? `git exit ${e.status}` : "EIO";
  return { unreadable: "read-error", code, message: stderr || (typeof e.message === "string" ? e.message.split("\n")[0] : `git cat-file blob ${object} failed`) };
}

export interface TreeEntry {
  readonly object: string;
  /** Project-relative path. */
  readonly path: string;
}

function relativeTo(projectDir: string, repoPath: string): string | null {
  if (projectDir === "") return repoPath;
  return repoPath.startsWith(`${projectDir}/`) ? repoPath.slice(projectDir.length + 1) : null;
}

/**
 * The project's files at `commit`, read from git objects without touching the work tree:
 * one `git ls-tree -r -z` and one `git cat-file --batch` process for every blob.
 * `commit` = `WORKTREE` reads the files on disk instead, exactly as `rocky compile` does (readProjectDir).
 * Keys are project-relative; only files a Rocky project reads are included (see projectFileRole).
 */
export async function readTree(repoDir: string, commit: string, projectDir = "", layout: ProjectLayout = {}, blobCache?: Map<string, ProjectFileText>): Promise<ProjectFiles> {
  const dir = normalizeProjectDir(projectDir);
  if (commit === WORKTREE) return readWorktree(repoDir, dir, layout);
  return readEntries(repoDir, await listTree(repoDir, commit, dir, layout), blobCache);
}

/**
 * The project files at `commit` with their blob ids (one `git ls-tree -r -z`), sorted by path,
 * without reading them: what identifies a project's content (a cached compile's key) and what a
 * review reads lazily from.
 */
export async function listTree(repoDir: string, commit: string, projectDir = "", layout: ProjectLayout = {}): Promise<TreeEntry[]> {
  const dir = normalizeProjectDir(projectDir);
  // runGit resolves when git's output is closed, not when it exits: a listing is never read cut short.
  const args = ["ls-tree", "-r", "-z", "--full-tree", commit];
  if (dir !== "") args.push("--", dir);
  const listing = await runGit(repoDir, args);
  const entries: TreeEntry[] = [];
  for (const record of listing.split("\0")) {
    if (record === "") continue;
    const tab = record.indexOf("\t");
    const [mode, type, object] = record.slice(0, tab).split(" ");
    if (type !== "blob" || mode === "120000") continue;
    const path = relativeTo(dir, record.slice(tab + 1));
    if (path === null || !isProjectFile(path, layout)) continue;
    entries.push({ object, path });
  }
  entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return entries;
}

/** How deep below the project a work tree's directories are listed for listDirectories (a git tree's are all listed). */
const WORKTREE_DIR_DEPTH = 6;

/**
 * Every directory below the project at `commit` (project-relative, forward slashes; the project's own
 * directory is not listed), or undefined when the project directory itself is not there. What a
 * `--models` / `--contracts` directory is checked against: one `git ls-tree -r -d`, which lists
 * trees only. `commit` = `WORKTREE` walks the disk instead (hidden and `node_modules` directories
 * aside, a few levels deep).
 */
export async function listDirectories(repoDir: string, commit: string, projectDir = ""): Promise<string[] | undefined> {
  const dir = normalizeProjectDir(projectDir);
  if (commit === WORKTREE) return worktreeDirectories(dir === "" ? repoDir : join(repoDir, dir));
  const args = ["ls-tree", "-r", "-d", "-z", "--name-only", "--full-tree", commit];
  if (dir !== "") args.push("--", dir);
  const out: string[] = [];
  let found = dir === "";
  for (const record of (await runGit(repoDir, args)).split("\0")) {
    if (record === "") continue;
    if (record === dir) found = true;
    const path = relativeTo(dir, record);
    if (path !== null) out.push(path);
  }
  return found ? out : undefined;
}

function worktreeDirectories(root: string): string[] | undefined {
  if (statSync(root, { throwIfNoEntry: false })?.isDirectory() !== true) return undefined;
  const out: string[] = [];
  const walk = (abs: string, rel: string, depth: number) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(abs, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (!e.isDirectory() || e.name.startsWith(".") || e.name === "node_modules") continue;
      const path = rel === "" ? e.name : `${rel}/${e.name}`;
      out.push(path);
      if (depth < WORKTREE_DIR_DEPTH) walk(join(abs, e.name), path, depth + 1);
    }
  };
  walk(root, "", 1);
  return out;
}

/** The text of each entry, through one `git cat-file --batch` (blobs already in `blobCache` are not read again). */
export async function readEntries(repoDir: string, entries: readonly TreeEntry[], blobCache?: Map<string, ProjectFileText>): Promise<Map<string, ProjectFileText>> {
  const missing = entries.filter((e) => !blobCache?.has(e.object)).map((e) => e.object);
  const blobs = await catFileBatch(repoDir, missing);
  const files = new Map<string, ProjectFileText>();
  for (const e of entries) {
    const cached = blobCache?.get(e.object);
    if (cached !== undefined) {
      files.set(e.path, cached);
      continue;
    }
    const bytes = blobs.get(e.object);
    const text = bytes ? decodeProjectFile(bytes) : gitReadError(e.object);
    blobCache?.set(e.object, text);
    files.set(e.path, text);
  }
  return files;
}

const LAZY_READS_ONE_BY_ONE = 16;

/** Every entry not yet in `read`, through one synchronous `git cat-file --batch`. */
function readAllSync(repoDir: string, entries: readonly TreeEntry[], read: Map<string, ProjectFileText>): void {
  const missing = entries.filter((e) => !read.has(e.path));
  if (missing.length === 0) return;
  const buf = execFileSync("git", ["cat-file", "--batch"], { cwd: repoDir, input: `${[...new Set(missing.map((e) => e.object))].join("\n")}\n`, maxBuffer: 2 ** 30 });
  const blobs = parseCatFileBatch(buf, new Map());
  for (const e of missing) {
    const bytes = blobs.get(e.object);
    read.set(e.path, bytes === undefined ? gitReadError(e.object) : decodeProjectFile(bytes));
  }
}

/**
 * A project's files at a commit, read only when asked for: `known` texts first, then one blob at a
 * time from git (`git cat-file blob`, synchronous: callers read a handful of files, e.g. the lines a
 * finding points at). `unchanged(path)` says, without reading, whether `path` reads the same on
 * `other` (the base side of a review): the same blob, or absent from both. Nothing is built per file of the listing: a lookup is the
 * listing's.
 */
export function lazyTreeFiles(repoDir: string, listing: TreeListing, known: ProjectFiles, other?: TreeListing): ProjectFiles & { unchanged(path: string): boolean } {
  const read = new Map<string, ProjectFileText>(known);
  let misses = 0;
  const get = (path: string): ProjectFileText | undefined => {
    // Only the listing's paths: `known` may hold texts of files the listing does not have.
    if (!listing.has(path)) return undefined;
    const cached = read.get(path);
    if (cached !== undefined || read.has(path)) return cached;
    const object = listing.object(path)!;
    // A few files one git process each; past that, whoever reads is reading widely: all of them at once.
    if (++misses > LAZY_READS_ONE_BY_ONE) {
      readAllSync(repoDir, listing.entries(), read);
      return read.get(path) ?? null;
    }
    let text: ProjectFileText;
    try {
      text = decodeProjectFile(execFileSync("git", ["cat-file", "blob", object], { cwd: repoDir, maxBuffer: MAX_PROJECT_FILE_BYTES * 2, stdio: ["ignore", "pipe", "pipe"] }));
    } catch (error) {
      // Past maxBuffer the blob is too large to be a project file: say how large.
      const size = (error as { code?: unknown }).code === "ENOBUFS" ? blobSize(repoDir, object) : undefined;
      text = size !== undefined ? { unreadable: "too-large", bytes: size, limit: MAX_PROJECT_FILE_BYTES } : gitReadError(object, error);
    }
    read.set(path, text);
    return text;
  };
  // The same text on both sides, or no such file on either: what comparing the two files maps would say.
  return Object.assign(projectFilesView(listing, get), { unchanged: (path: string) => other !== undefined && listing.sameIn(other, path) });
}

/** A blob's size in bytes (`git cat-file -s`), or undefined when git cannot say. */
function blobSize(repoDir: string, object: string): number | undefined {
  try {
    const n = Number(execFileSync("git", ["cat-file", "-s", object], { cwd: repoDir, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim());
    return Number.isFinite(n) ? n : undefined;
  } catch {
    return undefined;
  }
}

/** The objects in `git cat-file --batch` output (`<sha> <type> <size>\n<bytes>\n` each; missing ones skipped), added to `into`. */
function parseCatFileBatch(buf: Buffer, into: Map<string, Uint8Array>): Map<string, Uint8Array> {
  let pos = 0;
  while (pos < buf.length) {
    const nl = buf.indexOf(10, pos);
    if (nl === -1) break;
    const [sha, type, size] = buf.toString("utf8", pos, nl).split(" ");
    pos = nl + 1;
    if (type === "missing" || size === undefined) continue;
    const n = Number(size);
    into.set(sha, buf.subarray(pos, pos + n));
    pos += n + 1;
  }
  return into;
}

/** Objects per `git cat-file` process past which a read is shared between processes (one per core, at most 4). */
const OBJECTS_PER_PROCESS = 2000;

/**
 * Read many blobs through `git cat-file --batch`: one process, or one per core for a large read
 * (a cold review reads every file of both sides: 20,000 blobs at 10k models). Each process reads
 * its object list from a file and writes to a file, not a pipe: 8 MB through a 64 kB pipe cost
 * 260-330 ms at 10k models, against 100-140 ms for git writing to a file (which the kernel keeps
 * in memory) and ~3 ms to read that back.
 */
export async function catFileBatch(repoDir: string, objects: readonly string[]): Promise<Map<string, Uint8Array>> {
  const unique = [...new Set(objects)];
  const out = new Map<string, Uint8Array>();
  if (unique.length === 0) return out;
  const parts = Math.min(4, availableParallelism(), Math.ceil(unique.length / OBJECTS_PER_PROCESS));
  const size = Math.ceil(unique.length / parts);
  const scratch = mkdtempSync(join(tmpdir(), "rocky-cat-file-"));
  try {
    const outputs = await Promise.all(Array.from({ length: parts }, (_, i) => catFileInto(repoDir, unique.slice(i * size, (i + 1) * size), join(scratch, `${i}`))));
    for (const buf of outputs) parseCatFileBatch(buf, out);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  // Every object asked for, or an error: a review never compiles a tree with files silently missing.
  const lost = unique.filter((o) => !out.has(o));
  if (lost.length > 0) throw new Error(`git cat-file --batch returned ${unique.length - lost.length} of ${unique.length} objects (first missing: ${lost[0]}): the repository may be changing under the review`);
  return out;
}

/** One `git cat-file --batch` over `objects`, its list in `${base}.in` and its output in `${base}.out`, read back whole. */
function catFileInto(repoDir: string, objects: readonly string[], base: string): Promise<Buffer> {
  writeFileSync(`${base}.in`, `${objects.join("\n")}\n`);
  const input = openSync(`${base}.in`, "r");
  const output = openSync(`${base}.out`, "w");
  return new Promise<Buffer>((resolve, reject) => {
    let stderr = "";
    const child = spawn("git", ["cat-file", "--batch", "--buffer"], { cwd: repoDir, stdio: [input, output, "pipe"] });
    child.stderr?.on("data", (c: Buffer) => {
      stderr += c.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) reject(new Error(`git cat-file --batch exited with ${code}: ${stderr.trim()}`));
      else resolve(readFileSync(`${base}.out`));
    });
  }).finally(() => {
    closeSync(input);
    closeSync(output);
  });
}

/** The work tree as `rocky compile` reads it (engine/src/project/read-project-dir.ts), so a local review and a compile agree. */
function readWorktree(repoDir: string, dir: string, layout: ProjectLayout): ProjectFiles {
  const root = dir === "" ? repoDir : join(repoDir, dir);
  if (!existsSync(root)) return new Map();
  return readProjectDir(root, { ...(layout.modelsDir ? { modelsDir: layout.modelsDir } : {}), ...(layout.contractsDir ? { contractsDir: layout.contractsDir } : {}) });
}

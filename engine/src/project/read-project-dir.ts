import { closeSync, fstatSync, openSync, readSync, readdirSync, statSync } from "node:fs";
import { isUtf8 } from "node:buffer";
import { normalizeDir } from "./load-project.js";
import { isSqlName, MAX_STRAY_DEPTH, mayHoldModels } from "./stray-model-files.js";
import type { ProjectFiles, ProjectFileText, UnreadableFile } from "./types.js";

/** Files larger than this have no text (R007 says how large), as binary and non-UTF-8 files have none. */
export const MAX_PROJECT_FILE_BYTES = 10 * 1024 * 1024;

/**
 * A file's text, or why it has none: larger than MAX_PROJECT_FILE_BYTES, binary (a NUL byte) or not
 * UTF-8, each with where. A UTF-8 BOM is dropped. The one decoder of both readers (this one, and the
 * review's git reader), so a file reads the same from disk and from git.
 */
export function decodeProjectFile(buf: Uint8Array): string | UnreadableFile {
  if (buf.byteLength > MAX_PROJECT_FILE_BYTES) return { unreadable: "too-large", bytes: buf.byteLength, limit: MAX_PROJECT_FILE_BYTES };
  const bom = buf.byteLength >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
  const body = buf.subarray(bom);
  const nul = body.indexOf(0);
  if (nul >= 0) return { unreadable: "binary", ...lineColAt(body, nul) };
  if (!isUtf8(body)) return { unreadable: "not-utf8", ...lineColAt(body, firstInvalidUtf8(body)) };
  return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString("utf8");
}

/** The byte offset where `bytes` stop being UTF-8 (the start of the first ill-formed sequence), or its length when they never do. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    // Lead bytes and the range of the byte after them (RFC 3629): no overlong forms, no surrogates, nothing past U+10FFFF.
    const more = b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : 0;
    if (more === 0 || i + more >= bytes.length) return i;
    const lo = b === 0xe0 ? 0xa0 : b === 0xf0 ? 0x90 : 0x80;
    const hi = b === 0xed ? 0x9f : b === 0xf4 ? 0x8f : 0xbf;
    if (bytes[i + 1] < lo || bytes[i + 1] > hi) return i;
    for (let k = 2; k <= more; k++) if ((bytes[i + k] & 0xc0) !== 0x80) return i;
    i += more + 1;
  }
  return bytes.length;
}

/** The 1-based line and column of a byte offset, the column counted in characters as the engine counts them (UTF-16 units). */
function lineColAt(bytes: Uint8Array, offset: number): { line: number; col: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      start = i + 1;
    }
  }
  return { line, col: Buffer.from(bytes.buffer, bytes.byteOffset + start, offset - start).toString("utf8").length + 1 };
}

/** A file the OS would not let us read: its error code and message (`EACCES`, `permission denied`). */
export function readErrorOf(error: unknown): UnreadableFile {
  const e = error as NodeJS.ErrnoException;
  const code = typeof e?.code === "string" ? e.code : "EIO";
  // Node words it "EACCES: permission denied, open '/path'": the part between the code and the syscall.
  const message = (/^[A-Z0-9_]+: ([^,]+)/.exec(e?.message ?? "")?.[1] ?? e?.message ?? String(error)).trim();
  return { unreadable: "read-error", code, message };
}

/** One reusable read buffer: open/read/close without fstat or a fresh allocation per file. */
let scratch = Buffer.allocUnsafe(256 * 1024);

/** The file's text, or why it has none (its size when too large, the OS's error when it could not be read: a directory named like a file is one). */
function readText(path: string): string | UnreadableFile {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (e) {
    return readErrorOf(e);
  }
  try {
    let len = 0;
    for (;;) {
      if (len === scratch.length) {
        if (len > MAX_PROJECT_FILE_BYTES) return { unreadable: "too-large", bytes: fstatSync(fd).size, limit: MAX_PROJECT_FILE_BYTES };
        const bigger = Buffer.allocUnsafe(Math.min(scratch.length * 4, MAX_PROJECT_FILE_BYTES + 2));
        scratch.copy(bigger, 0, 0, len);
        scratch = bigger;
      }
      const n = readSync(fd, scratch, len, scratch.length - len, null);
      if (n === 0) break;
      len += n;
    }
    return decodeProjectFile(scratch.subarray(0, len));
  } catch (e) {
    return readErrorOf(e);
  } finally {
    closeSync(fd);
  }
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/**
 * Read a Rocky project from disk (the one Node-fs file of the loader): `rocky.toml`, the models
 * dir **flat** (`*.sql`, `*.toml`, `*.rocky`, incl. `_defaults.toml`, `test_definitions.toml`,
 * `*.contract.toml`), `models/groups/*.toml`, `contracts/*.contract.toml` (and `contractsDir`),
 * `data/seed.sql`, `schemas/*.json` and `rocky.schema.json`. Keys are project-relative with forward
 * slashes (the models dir keyed as given in `modelsDir`). Sync reads: this is on the cold path of
 * every compile.
 */
export function readProjectDir(root: string, options: { modelsDir?: string; contractsDir?: string } = {}): ProjectFiles {
  const files = new Map<string, ProjectFileText>();
  walkProjectDir(root, options, (key, abs) => void files.set(key, readText(abs)));
  return files;
}

/**
 * Every file readProjectDir would read, as [project-relative key, absolute path], without reading
 * them (a warm compile stats them against its last run instead). May name a directory (named like a
 * project file), which readProjectDir reads as unreadable (R007); the caller's stat tells.
 */
export function listProjectDir(root: string, options: { modelsDir?: string; contractsDir?: string } = {}): [string, string][] {
  const out: [string, string][] = [];
  walkProjectDir(root, options, (key, abs) => void out.push([key, abs]));
  return out;
}

/** Read a file of a project as readProjectDir does: its text, or why it has none (R007). */
export function readProjectFile(abs: string): string | UnreadableFile {
  return readText(abs);
}

/**
 * The directories a project's files live in, as [project-relative dir key, which names in it are
 * project files]. The one description of the layout: the reader walks it, and `rocky compile
 * --watch` watches these directories (non-recursively: the layout is flat).
 */
export function projectDirSpecs(options: { modelsDir?: string; contractsDir?: string } = {}): [string, (name: string) => boolean][] {
  const modelsDir = normalizeDir(options.modelsDir ?? "models");
  const specs: [string, (name: string) => boolean][] = [];
  specs.push([modelsDir, (n) => n.endsWith(".sql") || n.endsWith(".toml") || n.endsWith(".rocky")]);
  specs.push([modelsDir === "." ? "groups" : `${modelsDir}/groups`, (n) => n.endsWith(".toml")]);
  if (modelsDir !== ".") specs.push([".", (n) => n === "rocky.toml" || n === "rocky.schema.json"]);
  for (const dir of new Set(["contracts", ...(options.contractsDir ? [normalizeDir(options.contractsDir)] : [])])) specs.push([dir, (n) => n.endsWith(".contract.toml")]);
  specs.push(["data", (n) => n === "seed.sql"]);
  specs.push(["schemas", (n) => n.endsWith(".json")]);
  return specs;
}

function walkProjectDir(root: string, options: { modelsDir?: string; contractsDir?: string }, visit: (key: string, abs: string) => void): void {
  const base = root.endsWith("/") ? root.slice(0, -1) : root;
  const specs = projectDirSpecs(options);
  for (let i = 0; i < specs.length; i++) {
    const [dirKey, accept] = specs[i];
    const abs = dirKey === "." ? base : `${base}/${dirKey}`;
    const prefix = dirKey === "." ? "" : `${dirKey}/`;
    for (const name of listDir(abs)) {
      if (accept(name)) visit(`${prefix}${name}`, `${abs}/${name}`);
      // The models dir (the first spec): SQL files it does not load are read too, so the loader can
      // say so (a `.SQL` file, one in a sub-directory). A name with no dot may be a directory.
      else if (i === 0 && dirKey !== ".") {
        if (isSqlName(name)) visit(`${prefix}${name}`, `${abs}/${name}`);
        else if (mayHoldModels(name) && isDirectory(`${abs}/${name}`)) walkStraySql(`${abs}/${name}`, `${prefix}${name}`, 1, visit);
      }
    }
  }
}

/** `.sql` files (any case) under a sub-directory of the models dir, a few levels deep, hidden and `node_modules` directories aside. */
function walkStraySql(abs: string, key: string, depth: number, visit: (key: string, abs: string) => void): void {
  for (const name of listDir(abs)) {
    if (isSqlName(name)) visit(`${key}/${name}`, `${abs}/${name}`);
    else if (depth < MAX_STRAY_DEPTH && mayHoldModels(name) && isDirectory(`${abs}/${name}`)) walkStraySql(`${abs}/${name}`, `${key}/${name}`, depth + 1, visit);
  }
}

function isDirectory(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() === true;
}

import { closeSync, openSync, readSync, readdirSync, statSync } from "node:fs";
import { isUtf8 } from "node:buffer";
import { normalizeDir } from "./load-project.js";
import { isSqlName, MAX_STRAY_DEPTH, mayHoldModels } from "./stray-model-files.js";
import type { ProjectFiles } from "./types.js";

/** Files larger than this are passed as `null` (R007), as are binary and non-UTF-8 files. */
export const MAX_PROJECT_FILE_BYTES = 10 * 1024 * 1024;

/** A file's text, or null when it is binary (NUL byte), not UTF-8 or too large. A UTF-8 BOM is dropped. */
export function decodeProjectFile(buf: Uint8Array): string | null {
  if (buf.byteLength > MAX_PROJECT_FILE_BYTES || buf.indexOf(0) >= 0 || !isUtf8(buf)) return null;
  const bom = buf.byteLength >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
  return Buffer.from(buf.buffer, buf.byteOffset + bom, buf.byteLength - bom).toString("utf8");
}

/** One reusable read buffer: open/read/close without fstat or a fresh allocation per file. */
let scratch = Buffer.allocUnsafe(256 * 1024);

/**
 * The file's text; null when unreadable as text; undefined when it is not a regular file (a
 * directory named like a model), so the caller skips it.
 */
function readText(path: string): string | null | undefined {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch {
    return null;
  }
  try {
    let len = 0;
    for (;;) {
      if (len === scratch.length) {
        if (len > MAX_PROJECT_FILE_BYTES) return null;
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
    return (e as NodeJS.ErrnoException).code === "EISDIR" ? undefined : null;
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
  const files = new Map<string, string | null>();
  walkProjectDir(root, options, (key, abs) => {
    const text = readText(abs);
    if (text !== undefined) files.set(key, text);
  });
  return files;
}

/**
 * Every file readProjectDir would read, as [project-relative key, absolute path], without reading
 * them (a warm compile stats them against its last run instead). May name a directory that
 * readProjectDir would skip; the caller's stat tells.
 */
export function listProjectDir(root: string, options: { modelsDir?: string; contractsDir?: string } = {}): [string, string][] {
  const out: [string, string][] = [];
  walkProjectDir(root, options, (key, abs) => void out.push([key, abs]));
  return out;
}

/** Read a file of a project as readProjectDir does (null: binary, not UTF-8, too large or unreadable; undefined: not a file). */
export function readProjectFile(abs: string): string | null | undefined {
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

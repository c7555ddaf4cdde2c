import { type Dirent, readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { normalizeDir } from "./load-project.js";
import type { ProjectFiles } from "./types.js";

/** Files larger than this are passed as `null` (R007), as are binary and non-UTF-8 files. */
export const MAX_PROJECT_FILE_BYTES = 10 * 1024 * 1024;

const decoder = new TextDecoder("utf-8", { fatal: true });

/** A file's text, or null when it is binary (NUL byte), not UTF-8, too large or unreadable. */
export function decodeProjectFile(buf: Uint8Array): string | null {
  if (buf.byteLength > MAX_PROJECT_FILE_BYTES || buf.indexOf(0) >= 0) return null;
  try {
    return decoder.decode(buf);
  } catch {
    return null;
  }
}

function readText(path: string): string | null {
  try {
    return decodeProjectFile(readFileSync(path));
  } catch {
    return null;
  }
}

function listDir(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
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
  const add = (key: string, abs: string) => files.set(key, readText(abs));
  const addDir = (dirKey: string, accept: (name: string) => boolean) => {
    const abs = join(root, dirKey);
    for (const e of listDir(abs)) {
      if (!accept(e.name)) continue;
      if (!e.isFile() && !(e.isSymbolicLink() && isFileLink(join(abs, e.name)))) continue;
      add(dirKey === "." ? e.name : `${dirKey}/${e.name}`, join(abs, e.name));
    }
  };
  const modelsDir = normalizeDir(options.modelsDir ?? "models");
  const modelFile = (n: string) => n.endsWith(".sql") || n.endsWith(".toml") || n.endsWith(".rocky");
  addDir(modelsDir, modelFile);
  addDir(modelsDir === "." ? "groups" : `${modelsDir}/groups`, (n) => n.endsWith(".toml"));
  if (modelsDir !== ".") addDir(".", (n) => n === "rocky.toml" || n === "rocky.schema.json");
  for (const dir of new Set(["contracts", ...(options.contractsDir ? [normalizeDir(options.contractsDir)] : [])])) addDir(dir, (n) => n.endsWith(".contract.toml"));
  addDir("data", (n) => n === "seed.sql");
  addDir("schemas", (n) => n.endsWith(".json"));
  return files;
}

function isFileLink(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

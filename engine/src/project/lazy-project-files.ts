import type { ProjectFiles } from "./types.js";

/**
 * A project's files whose texts are read on first use and kept: `read(path)` for one of `paths`
 * (other paths are absent). What a cached compile or review hands on as its files, when only the
 * few files its findings point into are ever read.
 */
export function lazyProjectFiles(paths: Iterable<string>, read: (path: string) => string | null): ProjectFiles {
  const known = new Set(paths);
  const texts = new Map<string, string | null>();
  const get = (path: string): string | null | undefined => {
    if (!known.has(path)) return undefined;
    let text = texts.get(path);
    if (text === undefined && !texts.has(path)) texts.set(path, (text = read(path)));
    return text;
  };
  function* entries(): Generator<[string, string | null]> {
    for (const p of known) yield [p, get(p) ?? null];
  }
  const files = {
    get,
    has: (path: string) => known.has(path),
    get size() {
      return known.size;
    },
    keys: () => known.values(),
    *values() {
      for (const p of known) yield get(p) ?? null;
    },
    entries,
    [Symbol.iterator]: entries,
    forEach(fn: (text: string | null, path: string, map: ProjectFiles) => void) {
      for (const [p, t] of entries()) fn(t, p, files as unknown as ProjectFiles);
    },
  };
  return files as unknown as ProjectFiles;
}

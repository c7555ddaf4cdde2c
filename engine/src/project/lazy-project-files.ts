import type { ProjectFiles, ProjectFileText } from "./types.js";

/** A set of project paths, as a view needs it (a Set, or a git tree listing that builds nothing per path). */
export interface PathSet {
  has(path: string): boolean;
  readonly size: number;
  paths(): IterableIterator<string>;
}

/**
 * The ProjectFiles (read-only map) face of `paths`, each path's text given by `get` (undefined for a
 * path not in the set). The lazily read files of a cached compile and of a git tree share it.
 */
export function projectFilesView(paths: PathSet, get: (path: string) => ProjectFileText | undefined): ProjectFiles {
  function* entries(): Generator<[string, ProjectFileText]> {
    for (const p of paths.paths()) yield [p, get(p) ?? null];
  }
  const files = {
    get,
    has: (path: string) => paths.has(path),
    get size() {
      return paths.size;
    },
    keys: () => paths.paths(),
    *values() {
      for (const p of paths.paths()) yield get(p) ?? null;
    },
    entries,
    [Symbol.iterator]: entries,
    forEach(fn: (text: ProjectFileText, path: string, map: ProjectFiles) => void) {
      for (const [p, t] of entries()) fn(t, p, files as unknown as ProjectFiles);
    },
  };
  return files as unknown as ProjectFiles;
}

/**
 * A project's files whose texts are read on first use and kept: `read(path)` for one of `paths`
 * (other paths are absent). What a cached compile or review hands on as its files, when only the
 * few files its findings point into are ever read.
 */
export function lazyProjectFiles(paths: Iterable<string>, read: (path: string) => ProjectFileText): ProjectFiles {
  const known = new Set(paths);
  const texts = new Map<string, ProjectFileText>();
  return projectFilesView(
    { has: (path) => known.has(path), size: known.size, paths: () => known.values() },
    (path) => {
      if (!known.has(path)) return undefined;
      let text = texts.get(path);
      if (text === undefined && !texts.has(path)) texts.set(path, (text = read(path)));
      return text;
    },
  );
}

import { statSync } from "node:fs";

/**
 * Names a build of a shell (its module's size and mtime) for CompileOptions.cacheSalt, so a
 * rebuilt compiler never reads another build's cache entries. `label` keeps shells apart.
 */
export function buildSalt(moduleUrl: string | URL, label = ""): string {
  const prefix = label === "" ? "" : `${label}:`;
  try {
    const s = statSync(new URL(moduleUrl));
    return `${prefix}${s.size}:${s.mtimeMs}`;
  } catch {
    return label;
  }
}

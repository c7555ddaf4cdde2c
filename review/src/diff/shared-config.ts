import type { CompiledModel } from "../../../engine/src/compile/types.js";
import { locateTomlKeys, type TomlLocator } from "../../../engine/src/project/toml-locator.js";
import type { ProjectFiles } from "../../../engine/src/project/types.js";
import type { ChangedFile, ReportSpan } from "../report/types.js";

/** Both sides' files, read on demand (the review's lazy git views, or the files it already read). */
export interface DiffFiles {
  readonly base: ProjectFiles;
  readonly head: ProjectFiles;
}

/**
 * Where the shared config files a PR changed set a key: `_defaults.toml` and the config groups
 * (`models/groups/<g>.toml`). A model whose own sidecar does not set a key inherits it from one
 * of them, so a change made there once is found there for every model it reaches. Files are
 * read and scanned only when a change asks, once per side.
 */
export class SharedConfigKeys {
  private readonly defaults: readonly string[];
  private readonly groups: ReadonlyMap<string, string>;
  private readonly locators = new Map<string, TomlLocator | null>();

  constructor(
    changed: readonly ChangedFile[],
    private readonly files: DiffFiles | undefined,
  ) {
    const defaults: string[] = [];
    const groups = new Map<string, string>();
    for (const f of changed) {
      const path = f.projectPath;
      if (f.role !== "defaults" || path === null) continue;
      const slash = path.lastIndexOf("/");
      const name = path.slice(slash + 1);
      if (name === "_defaults.toml") defaults.push(path);
      else if (path.slice(0, slash).endsWith("groups")) groups.set(name.slice(0, -".toml".length), path);
    }
    this.defaults = defaults;
    this.groups = groups;
  }

  /** Whether the PR changed any shared config file (else nothing is ever found). */
  get any(): boolean {
    return this.files !== undefined && (this.defaults.length > 0 || this.groups.size > 0);
  }

  /**
   * Where a changed shared file that `m` inherits from sets `key` (`target.schema`), on `side`:
   * the model's group when its sidecar names one the PR changed, then `_defaults.toml`.
   */
  keySpan(m: CompiledModel, key: string, side: "head" | "base"): ReportSpan | undefined {
    if (!this.any) return undefined;
    const path = key.split(".");
    const candidates: string[] = [];
    const group = this.groups.size > 0 ? this.groupOf(m, side) : undefined;
    if (group !== undefined) {
      const file = this.groups.get(group);
      if (file !== undefined) candidates.push(file);
    }
    candidates.push(...this.defaults);
    for (const file of candidates) {
      const found = this.locator(file, side)?.find(path);
      if (found) return { file, line: found.key.line, col: found.key.col, side };
    }
    return undefined;
  }

  /** The group a model's sidecar names (`group = "finance"`), read from its text. */
  private groupOf(m: CompiledModel, side: "head" | "base"): string | undefined {
    if (m.sidecarFile === undefined || m.config.locations.group === undefined) return undefined;
    const text = this.files?.[side].get(m.sidecarFile);
    if (typeof text !== "string") return undefined;
    return /^[ \t]*group[ \t]*=[ \t]*(?:"([^"\\]*)"|'([^']*)')/m.exec(text)?.slice(1).find((g) => g !== undefined);
  }

  private locator(file: string, side: "head" | "base"): TomlLocator | null {
    const id = `${side}\u0000${file}`;
    let found = this.locators.get(id);
    if (found === undefined) {
      const text = this.files?.[side].get(file);
      found = typeof text === "string" ? locateTomlKeys(text) : null;
      this.locators.set(id, found);
    }
    return found;
  }
}

import type { CompiledModel } from "../../../engine/src/compile/types.js";
import { locateTomlKeys, type TomlLocator } from "../../../engine/src/project/toml-locator.js";
import type { ProjectFiles } from "../../../engine/src/project/types.js";
import type { ChangedFile, ReportSpan } from "../report/types.js";

/** Where a model's sidecar sets `key` (`classification.email`, `strategy.type`; matched case-insensitively, as keys are written). */
export function sidecarKeySpan(m: CompiledModel, key: string, side: "head" | "base"): ReportSpan | undefined {
  const locations = m.config.locations ?? {};
  const exact = locations[key];
  if (exact) return { file: exact.file, line: exact.line, col: exact.col, side };
  const wanted = key.toLowerCase();
  for (const [k, loc] of Object.entries(locations)) if (k.toLowerCase() === wanted) return { file: loc.file, line: loc.line, col: loc.col, side };
  return undefined;
}

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
  private readonly keys: SideTomlKeys;

  constructor(
    changed: readonly ChangedFile[],
    private readonly files: DiffFiles | undefined,
  ) {
    this.keys = new SideTomlKeys(files);
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
      const span = this.keys.span(side, file, path);
      if (span) return span;
    }
    return undefined;
  }

  /** The group a model's sidecar names (`group = "finance"`), read from its text. */
  private groupOf(m: CompiledModel, side: "head" | "base"): string | undefined {
    if (m.sidecarFile === undefined || m.config.locations.group === undefined) return undefined;
    const text = this.keys.text(side, m.sidecarFile);
    if (text === null) return undefined;
    return /^[ \t]*group[ \t]*=[ \t]*(?:"([^"\\]*)"|'([^']*)')/m.exec(text)?.slice(1).find((g) => g !== undefined);
  }
}

/** Where TOML files set keys, on either side of a PR: each file read and scanned once per side, when first asked. */
export class SideTomlKeys {
  private readonly texts = new Map<string, string | null>();
  private readonly locators = new Map<string, TomlLocator | null>();

  constructor(private readonly files: DiffFiles | undefined) {}

  /** The file's text on `side` (null when it has none). */
  text(side: "head" | "base", file: string): string | null {
    const id = `${side}\u0000${file}`;
    let text = this.texts.get(id);
    if (text === undefined) {
      const read = this.files?.[side].get(file);
      text = typeof read === "string" ? read : null;
      this.texts.set(id, text);
    }
    return text;
  }

  /** Where the file sets the key `path` on `side`. */
  span(side: "head" | "base", file: string, path: readonly string[]): ReportSpan | undefined {
    const id = `${side}\u0000${file}`;
    let locator = this.locators.get(id);
    if (locator === undefined) {
      const text = this.text(side, file);
      locator = text === null ? null : locateTomlKeys(text);
      this.locators.set(id, locator);
    }
    const found = locator?.find(path);
    return found ? { file, line: found.key.line, col: found.key.col, side } : undefined;
  }
}

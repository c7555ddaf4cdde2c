import type { CompiledProject } from "../../../engine/src/compile/types.js";
import { locateTomlKeys } from "../../../engine/src/project/toml-locator.js";
import type { MaskStrategy, ProjectFiles } from "../../../engine/src/project/types.js";
import { projectConfig } from "../report/project-access.js";
import type { ColumnPointer, MaskWeakening, ReportSpan } from "../report/types.js";
import { envsToEvaluate, resolveStrategy } from "./analyze-compliance.js";

const MASKING: ReadonlySet<MaskStrategy> = new Set(["hash", "redact", "partial"]);
const ROCKY_TOML = "rocky.toml";

/**
 * Where a PR stops masking a tag that classified columns carry: a strategy that masked on base
 * (`hash`, `redact`, `partial`) resolves to `none` on head, or the tag joined
 * `[classifications] allow_unmasked`. Rocky counts `none` and allow-listed tags as compliant, so
 * `rocky compliance` passes such a PR; the review says which columns it leaves in clear, per
 * environment, at the rocky.toml key that did it. A tag with no strategy at all on head is
 * not here: it is an unmasked-column exception already.
 */
export function maskWeakenings(base: CompiledProject, head: CompiledProject, options: { env?: string; files?: { base: ProjectFiles; head: ProjectFiles } } = {}): MaskWeakening[] {
  const b = projectConfig(base);
  const h = projectConfig(head);
  const columnsByTag = classifiedColumns(head);
  if (columnsByTag.size === 0) return [];
  const labels = new Map<string, string | undefined>();
  for (const e of [...envsToEvaluate(h.mask, options.env), ...envsToEvaluate(b.mask, options.env)]) labels.set(e.label, e.resolver);
  const allowBase = new Set(b.classifications.allow_unmasked.map((t) => t.toLowerCase()));
  const allowHead = new Set(h.classifications.allow_unmasked.map((t) => t.toLowerCase()));
  const locate = spanFinder(options.files);
  const out: MaskWeakening[] = [];
  for (const [label, resolver] of labels) {
    for (const [tag, columns] of columnsByTag) {
      const before = resolveStrategy(b.mask, resolver, tag);
      if (before === undefined || !MASKING.has(before) || allowBase.has(tag)) continue;
      const after = resolveStrategy(h.mask, resolver, tag);
      const allowed = after === undefined && allowHead.has(tag);
      if (after !== "none" && !allowed) continue;
      const span = allowed
        ? locate("head", ["classifications", "allow_unmasked"])
        : ((resolver !== undefined ? locate("head", ["mask", resolver, tag]) : undefined) ?? locate("head", ["mask", tag]) ?? (resolver !== undefined ? locate("base", ["mask", resolver, tag]) : undefined) ?? locate("base", ["mask", tag]));
      out.push({ env: label, tag, from: before, to: allowed ? "allow_unmasked" : "none", columns, ...(span ? { span } : {}) });
    }
  }
  return out;
}

/** Head's classified columns by lower-cased tag, in model then column order. */
function classifiedColumns(project: CompiledProject): Map<string, ColumnPointer[]> {
  const byTag = new Map<string, ColumnPointer[]>();
  const names = project.snapshot?.classified ?? [...project.models.keys()];
  for (const name of [...names].sort()) {
    const model = project.models.get(name);
    if (model === undefined) continue;
    for (const [column, tag] of Object.entries(model.config.classification).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) {
      const key = tag.toLowerCase();
      byTag.set(key, [...(byTag.get(key) ?? []), { model: model.name, column }]);
    }
  }
  return byTag;
}

/** A rocky.toml key's line on one side (keys as written: `[mask]` tags are matched case-insensitively). */
function spanFinder(files: { base: ProjectFiles; head: ProjectFiles } | undefined): (side: "head" | "base", path: readonly string[]) => ReportSpan | undefined {
  const texts = new Map<string, string | null>();
  return (side, path) => {
    if (files === undefined) return undefined;
    if (!texts.has(side)) {
      const text = files[side].get(ROCKY_TOML);
      texts.set(side, typeof text === "string" ? text : null);
    }
    const text = texts.get(side);
    if (!text) return undefined;
    const locator = locateTomlKeys(text);
    let found = locator.find(path);
    if (found === undefined) {
      // `[mask] PII = ...`: the loader lower-cases tags; try the spelling in the file.
      const tag = path[path.length - 1];
      const spelled = new RegExp(`^\\s*(${tag.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")})\\s*=`, "im").exec(text)?.[1];
      if (spelled !== undefined && spelled !== tag) found = locator.find([...path.slice(0, -1), spelled]);
    }
    return found ? { file: ROCKY_TOML, line: found.key.line, col: found.key.col, side } : undefined;
  };
}

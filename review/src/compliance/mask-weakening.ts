import type { CompiledProject } from "../../../engine/src/compile/types.js";
import type { MaskStrategy } from "../../../engine/src/project/types.js";
import { escapeRegExp } from "../../../engine/src/util/escape-regexp.js";
import { type DiffFiles, SideTomlKeys, sidecarKeySpan } from "../diff/shared-config.js";
import { projectConfig } from "../report/project-access.js";
import type { ColumnPointer, Declassification, MaskWeakening, ReportSpan } from "../report/types.js";
import { envsToEvaluate, resolveStrategy } from "./analyze-compliance.js";

const MASKING: ReadonlySet<MaskStrategy> = new Set(["hash", "redact", "partial"]);
const ROCKY_TOML = "rocky.toml";

/** Strategies that keep none of a value's characters in clear: moving from one to `partial` shows some. */
const WHOLE: ReadonlySet<MaskStrategy> = new Set(["hash", "redact"]);

/**
 * Where a PR stops masking a tag that classified columns carry: a strategy that masked on base
 * (`hash`, `redact`, `partial`) resolves to `none` on head, or the tag joined
 * `[classifications] allow_unmasked`; or a whole mask (`hash`, `redact`) becomes `partial`, which
 * shows the first and last 2 characters of every value (an email's first letters and its `.com`). Rocky counts `none` and allow-listed tags as compliant, so
 * `rocky compliance` passes such a PR; the review says which columns it leaves in clear, per
 * environment, at the rocky.toml key that did it. A tag with no strategy at all on head is
 * not here: it is an unmasked-column exception already.
 */
export function maskWeakenings(base: CompiledProject, head: CompiledProject, options: { env?: string; files?: DiffFiles } = {}): MaskWeakening[] {
  const b = projectConfig(base);
  const h = projectConfig(head);
  const columnsByTag = classifiedColumns(head);
  if (columnsByTag.size === 0) return [];
  const labels = new Map<string, string | undefined>();
  for (const e of [...envsToEvaluate(h.mask, options.env), ...envsToEvaluate(b.mask, options.env)]) labels.set(e.label, e.resolver);
  const allowHead = new Set(h.classifications.allow_unmasked.map((t) => t.toLowerCase()));
  const locate = spanFinder(options.files);
  const out: MaskWeakening[] = [];
  for (const [label, resolver] of labels) {
    for (const [tag, columns] of columnsByTag) {
      const before = resolveStrategy(b.mask, resolver, tag);
      // A tag allow-listed on base but with a strategy was masked: allow_unmasked speaks only where none resolves.
      if (before === undefined || !MASKING.has(before)) continue;
      const after = resolveStrategy(h.mask, resolver, tag);
      const allowed = after === undefined && allowHead.has(tag);
      const partly = after === "partial" && WHOLE.has(before);
      if (after !== "none" && !allowed && !partly) continue;
      const span = allowed
        ? locate("head", ["classifications", "allow_unmasked"])
        : ((resolver !== undefined ? locate("head", ["mask", resolver, tag]) : undefined) ?? locate("head", ["mask", tag]) ?? (resolver !== undefined ? locate("base", ["mask", resolver, tag]) : undefined) ?? locate("base", ["mask", tag]));
      out.push({ env: label, tag, from: before, to: allowed ? "allow_unmasked" : partly ? "partial" : "none", columns, ...(span ? { span } : {}) });
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
function spanFinder(files: DiffFiles | undefined): (side: "head" | "base", path: readonly string[]) => ReportSpan | undefined {
  const keys = new SideTomlKeys(files);
  return (side, path) => {
    const found = keys.span(side, ROCKY_TOML, path);
    if (found !== undefined) return found;
    // `[mask] PII = ...`: the loader lower-cases tags; try the spelling in the file.
    const tag = path[path.length - 1];
    const spelled = new RegExp(`^\\s*(${escapeRegExp(tag)})\\s*=`, "im").exec(keys.text(side, ROCKY_TOML) ?? "")?.[1];
    return spelled !== undefined && spelled !== tag ? keys.span(side, ROCKY_TOML, [...path.slice(0, -1), spelled]) : undefined;
  };
}

/**
 * Where a PR removes a column's classification while the column stays: a column of a model on both
 * sides, classified on base with a tag some environment masked (`hash`, `redact`, `partial`; an
 * allow-listed tag with a strategy is masked too), and not classified on head. Nothing else catches it: the masking check traces
 * classified columns, and a column with no tag has nothing to trace, so its values go out in clear
 * with `rocky/masking` green (Rocky's breaking-change kind `column_mask_changed` is a contracts
 * warning). A column the head still finds unmasked through lineage is an exception already
 * (`exceptions`), and a dropped or renamed column is a change of its own: neither is here.
 */
export function declassifications(base: CompiledProject, head: CompiledProject, options: { env?: string; exceptions?: ReadonlySet<string> } = {}): Declassification[] {
  const b = projectConfig(base);
  const labels = envsToEvaluate(b.mask, options.env);
  const out: Declassification[] = [];
  for (const name of [...base.models.keys()].sort()) {
    const bm = base.models.get(name);
    const hm = head.models.get(name);
    if (bm === undefined || hm === undefined) continue;
    // Classifications are written in the model's own files only (its sidecar or front-matter; not
    // _defaults.toml or a group), which its content hash covers: an unchanged model declassified
    // nothing, and its config (decoded on first use from a kept snapshot) is not read.
    if (bm.contentHash === hm.contentHash) continue;
    const headTags = new Set(Object.keys(hm.config.classification).map((c) => c.toLowerCase()));
    for (const [column, tag] of Object.entries(bm.config.classification).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) {
      const lower = column.toLowerCase();
      if (headTags.has(lower) || !hm.columns.some((c) => c.name.toLowerCase() === lower)) continue;
      if (options.exceptions?.has(`${name}|${lower}`)) continue;
      const masked = labels.map((l) => ({ env: l.label, strategy: resolveStrategy(b.mask, l.resolver, tag) })).filter((x) => x.strategy !== undefined && MASKING.has(x.strategy));
      if (masked.length === 0) continue;
      const span = sidecarKeySpan(bm, `classification.${column}`, "base");
      out.push({ model: name, column, tag: tag.toLowerCase(), envs: masked.map((m) => m.env), from: String(masked[0].strategy), ...(span ? { span } : {}) });
    }
  }
  return out;
}

import type { CompiledModel, CompiledProject } from "../../../engine/src/compile/types.js";
import { sameTarget, targetOf } from "./keys.js";

export interface ModelPair {
  readonly base?: CompiledModel;
  readonly head?: CompiledModel;
  /** How the pair was made: same target (Rocky), same name (target renamed), or same SQL shape under a new name. */
  readonly by: "target" | "name" | "shape" | "none";
}

/** The model's logic without its name: output column fingerprints and row-level fingerprints. */
export function shapeOf(m: CompiledModel): string {
  if (!m.parsed || m.columns.length === 0) return "";
  const cols = m.columns.map((c) => `${c.name.toLowerCase()}=${c.fingerprint}`).join("\n");
  const rows = Object.entries(m.rowLevel.fingerprints)
    .map(([k, v]) => `${k}:${v}`)
    .sort()
    .join("\n");
  return `${cols}\n--\n${rows}`;
}

/**
 * Pair base and head models: first by target (catalog.schema.table, as Rocky does), then the
 * left-overs by name (same model writing a new target = target renamed), then by identical shape
 * (the same SQL moved to a new name). What is left is added or removed.
 */
export function pairModels(base: CompiledProject, head: CompiledProject, knownSameTarget?: (base: CompiledModel, head: CompiledModel) => boolean): ModelPair[] {
  return pairModelsInOrder(base, head, knownSameTarget).pairs;
}

/**
 * `pairModels`, saying whether every model paired with its namesake on the same target: then the
 * pairs are in head order (execution order) and none is renamed, and a caller need not sort them.
 */
export function pairModelsInOrder(
  base: CompiledProject,
  head: CompiledProject,
  knownSameTarget?: (base: CompiledModel, head: CompiledModel) => boolean,
): { readonly pairs: ModelPair[]; readonly sameNamesInHeadOrder: boolean } {
  // A caller that knows two same-name models write the same target (nothing their config is made of changed) spares reading their configs.
  const same = (b: CompiledModel, h: CompiledModel) => knownSameTarget?.(b, h) === true || sameTarget(b, h);
  const pairs: ModelPair[] = [];
  const baseLeft = new Map<string, CompiledModel>();
  const headLeft = new Map<string, CompiledModel>();
  // Fast path, nearly every model: same name, same target on both sides.
  for (const h of head.models.values()) {
    const b = base.models.get(h.name);
    if (b && same(b, h)) pairs.push({ base: b, head: h, by: "target" });
    else headLeft.set(h.name, h);
  }
  // Fast pairs are one-to-one by name: when they cover every base model, none is left over.
  if (pairs.length < base.models.size) {
    for (const b of base.models.values()) {
      const h = head.models.get(b.name);
      if (!h || !same(b, h)) baseLeft.set(b.name, b);
    }
  }
  if (headLeft.size === 0 && baseLeft.size === 0) return { pairs, sameNamesInHeadOrder: true };

  const baseByTarget = new Map<string, CompiledModel[]>();
  for (const m of baseLeft.values()) {
    const t = targetOf(m);
    const list = baseByTarget.get(t);
    if (list) list.push(m);
    else baseByTarget.set(t, [m]);
  }
  for (const h of [...headLeft.values()]) {
    const candidates = baseByTarget.get(targetOf(h));
    if (!candidates) continue;
    // E036 collisions can put several models on one target: prefer the same name.
    const b = candidates.find((c) => c.name === h.name && baseLeft.has(c.name)) ?? candidates.find((c) => baseLeft.has(c.name));
    if (!b) continue;
    pairs.push({ base: b, head: h, by: "target" });
    baseLeft.delete(b.name);
    headLeft.delete(h.name);
  }
  for (const h of [...headLeft.values()]) {
    const b = baseLeft.get(h.name);
    if (!b) continue;
    pairs.push({ base: b, head: h, by: "name" });
    baseLeft.delete(b.name);
    headLeft.delete(h.name);
  }
  const baseByShape = new Map<string, CompiledModel[]>();
  for (const b of baseLeft.values()) {
    const s = shapeOf(b);
    if (s === "") continue;
    baseByShape.set(s, [...(baseByShape.get(s) ?? []), b]);
  }
  for (const h of [...headLeft.values()]) {
    const s = shapeOf(h);
    const candidates = s === "" ? undefined : baseByShape.get(s);
    if (!candidates || candidates.length !== 1 || !baseLeft.has(candidates[0].name)) continue;
    const b = candidates[0];
    pairs.push({ base: b, head: h, by: "shape" });
    baseLeft.delete(b.name);
    headLeft.delete(h.name);
  }
  for (const b of baseLeft.values()) pairs.push({ base: b, by: "none" });
  for (const h of headLeft.values()) pairs.push({ head: h, by: "none" });
  return { pairs, sameNamesInHeadOrder: false };
}

import type { CompiledProject } from "../../../engine/src/compile/types.js";
import { classificationOf } from "../diff/blast-radius.js";
import type { ComplianceException, FixedException } from "../report/types.js";
import { projectConfig } from "../report/project-access.js";
import { resolveStrategy } from "./analyze-compliance.js";
import { DEFAULT_ENV_LABEL } from "./compliance-report.js";

/**
 * The base branch's unmasked columns this PR fixes, one entry per column with its environments: an
 * exception on base that head no longer has, because the PR masked it (a hash, a classification
 * of the copy, a strategy for the tag) or stopped writing it (the column or model removed). Not
 * one that is gone only because the classified data is no longer masked on head: its source
 * declassified, its tag made `none` or allow-listed (the warnings of that PR say so), or an
 * environment dropped; nor one head cannot see, in a model whose SQL (or an upstream's) no longer
 * parses. A reviewer sees a fix as a fix, never as silence.
 */
export function fixedExceptions(base: readonly ComplianceException[], still: ReadonlySet<string>, headEnvs: readonly string[], project: CompiledProject): FixedException[] {
  const envs = new Set(headEnvs);
  const config = projectConfig(project);
  const masks = (tag: string, env: string): boolean => {
    const strategy = resolveStrategy(config.mask, env === DEFAULT_ENV_LABEL ? undefined : env, tag);
    return strategy !== undefined && strategy !== "none";
  };
  const byColumn = new Map<string, { model: string; column: string; envs: string[]; tag?: string; via_lineage?: true }>();
  const blind = unanalysed(project);
  for (const e of base) {
    if (still.has(exceptionKey(e)) || !envs.has(e.env)) continue;
    // Gone because head cannot see it (its SQL, or an upstream's, does not parse): an error, not a fix.
    if (blind(e.model)) continue;
    if (!fixedOnHead(e, project, masks)) continue;
    const key = `${e.model}\u0000${e.column.toLowerCase()}`;
    const entry = byColumn.get(key) ?? { model: e.model, column: e.column, envs: [], ...(e.tag ? { tag: e.tag } : {}), ...(e.via_lineage ? { via_lineage: true as const } : {}) };
    entry.envs.push(e.env);
    byColumn.set(key, entry);
  }
  return [...byColumn.values()];
}

/**
 * Whether a head model, or a model it reads however far up, was never analysed (its SQL does not
 * parse, or it is in a cycle): its columns are missing or Unknown and their lineage cut, so an
 * exception that disappears there was not fixed.
 */
function unanalysed(project: CompiledProject): (name: string) => boolean {
  const memo = new Map<string, boolean>();
  const visit = (name: string): boolean => {
    const known = memo.get(name);
    if (known !== undefined) return known;
    memo.set(name, false);
    const m = project.models.get(name);
    const blind = m !== undefined && (!m.parsed || m.dependsOn.some(visit));
    memo.set(name, blind);
    return blind;
  };
  return visit;
}

function fixedOnHead(e: ComplianceException, head: CompiledProject, masks: (tag: string, env: string) => boolean): boolean {
  if (e.tag === undefined) return false;
  if (e.via_lineage) {
    // The classified column it copied is still classified with the same tag, masked here.
    const root = e.path?.[0];
    if (root === undefined) return false;
    const rootModel = head.models.get(root.model);
    return rootModel !== undefined && classificationOf(rootModel, root.column)?.toLowerCase() === e.tag.toLowerCase() && masks(e.tag, e.env);
  }
  // A classified column with no strategy: now masked under its tag, or no longer written.
  const model = head.models.get(e.model);
  const lower = e.column.toLowerCase();
  if (model === undefined || !model.columns.some((c) => c.name.toLowerCase() === lower)) return true;
  const tag = classificationOf(model, e.column);
  return tag !== null && masks(tag, e.env);
}

/** An exception's identity: `model|column|env`. `still` holds head's, named as on base (a renamed model or column). */
export function exceptionKey(e: Pick<ComplianceException, "model" | "column" | "env">): string {
  return `${e.model}|${e.column.toLowerCase()}|${e.env}`;
}

import type { CompiledProject } from "../../../engine/src/compile/types.js";
import { didYouMean } from "../../../engine/src/util/did-you-mean.js";
import { ReviewInputError } from "../git/review-input-error.js";
import { projectConfig } from "../report/project-access.js";

/**
 * The compliance environment a user names (`rocky compliance --env`, `rocky review --env`, the
 * Action's `env` input) must be one the project defines: a misspelt `prd` would otherwise be checked
 * against the base `[mask]` alone and read as all clear. One rule for every shell: the name is a
 * `[mask.<env>]` table of any of the given projects (a review's base or head), loaded or not (a
 * table that failed to load, R002, still names its environment; its error is reported elsewhere).
 */
export function definedMaskEnvs(projects: readonly CompiledProject[]): string[] {
  const names = new Set<string>();
  for (const project of projects) {
    for (const name of Object.keys(projectConfig(project).mask.envs)) names.add(name);
    for (const d of project.diagnostics) {
      const match = d.code === "R002" ? /^mask\.([^.\s]+)$/.exec(d.key ?? "") : null;
      if (match) names.add(match[1]);
    }
  }
  return [...names].sort();
}

/** Throws a ReviewInputError (code `unknown-env`) unless `env` is an environment one of the projects defines. */
export function checkMaskEnv(env: string, projects: readonly CompiledProject[]): void {
  const known = definedMaskEnvs(projects);
  if (known.includes(env)) return;
  if (known.length === 0) {
    throw new ReviewInputError("unknown-env", `unknown compliance environment "${env}": the project defines no [mask.<env>] table, only the base [mask].`, "Leave the environment out: masking is then checked against the base [mask].");
  }
  const near = didYouMean(env, known);
  throw new ReviewInputError(
    "unknown-env",
    `unknown compliance environment "${env}"${near ? ` (did you mean "${near}"?)` : ""}: the project defines ${known.map((k) => `"${k}"`).join(", ")} ([mask.<env>] in rocky.toml).`,
    "Name one of them, or leave the environment out to check the base [mask] and every environment.",
  );
}

import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { createDiagnostic } from "../../diagnostics/registry.js";
import type { ModelConfig } from "../../project/types.js";
import { configSpan } from "../config-span.js";

export interface TargetModel {
  readonly name: string;
  readonly file: string;
  readonly sidecarFile?: string;
  readonly config: Pick<ModelConfig, "target" | "locations"> & { readonly strategy?: Pick<ModelConfig["strategy"], "type"> };
}

/**
 * E036: two or more models write the same physical target; one error on every participating model.
 * An ephemeral model writes no table (it is inlined into its readers), so its target collides with
 * nothing, as in Rocky.
 */
export function checkTargetCollisions(models: readonly TargetModel[]): Diagnostic[] {
  const groups = new Map<string, TargetModel[]>();
  for (const m of models) {
    if (m.config.strategy?.type === "ephemeral") continue;
    const t = m.config.target;
    const key = `${t.catalog}.${t.schema}.${t.table}`.toLowerCase();
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [m]);
    else group.push(m);
  }
  const out: Diagnostic[] = [];
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    const names = group.map((m) => m.name).sort();
    const t = group[0].config.target;
    const target = `${t.catalog}.${t.schema}.${t.table}`;
    for (const m of group) {
      out.push(
        createDiagnostic("E036", `models [${names.join(", ")}] all target '${target}'`, {
          model: m.name,
          span: configSpan(m.config, ["target.table", "target"], [m.sidecarFile, m.file]),
        }),
      );
    }
  }
  return out;
}

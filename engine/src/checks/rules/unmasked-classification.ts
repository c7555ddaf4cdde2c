import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { createDiagnostic } from "../../diagnostics/registry.js";
import type { MaskConfig, ModelConfig } from "../../project/types.js";
import { configSpan } from "../config-span.js";

export interface ClassificationInput {
  readonly model: string;
  readonly file: string;
  readonly sidecarFile?: string;
  readonly config: Pick<ModelConfig, "classification" | "locations">;
}

export interface MaskingPolicy {
  /** rocky.toml `[mask]` / `[mask.<env>]`. */
  readonly mask: MaskConfig;
  /** `[classifications] allow_unmasked`. */
  readonly allowUnmasked: readonly string[];
}

/** Whether a tag resolves to a strategy in `[mask]` or in any `[mask.<env>]` (case-insensitive; `none` counts as masked). */
export function tagHasMaskStrategy(mask: MaskConfig, tag: string): boolean {
  const t = tag.toLowerCase();
  const has = (table: Readonly<Record<string, unknown>>) => Object.keys(table).some((k) => k.toLowerCase() === t);
  return has(mask.defaults) || Object.values(mask.envs).some(has);
}

/**
 * W004: a `[classification]` tag that resolves to no `[mask]` / `[mask.<env>]` strategy and is not
 * in `[classifications] allow_unmasked`; one per (model, column, tag), at the sidecar line.
 * Needs rocky.toml: the caller skips it when there is none (Rocky does).
 */
export function checkUnmaskedClassification(input: ClassificationInput, policy: MaskingPolicy): Diagnostic[] {
  const allowed = new Set(policy.allowUnmasked.map((t) => t.toLowerCase()));
  const out: Diagnostic[] = [];
  for (const [column, tag] of Object.entries(input.config.classification)) {
    if (allowed.has(tag.toLowerCase()) || tagHasMaskStrategy(policy.mask, tag)) continue;
    out.push(
      createDiagnostic("W004", `classification tag '${tag}' on column '${column}' has no matching [mask] strategy`, {
        model: input.model,
        span: configSpan(input.config, [`classification.${column}`, "classification"], [input.sidecarFile, input.file]),
        suggestion: `add \`${tag.toLowerCase()} = "hash"\` (or redact / partial / none) under [mask] in rocky.toml, or list '${tag}' in [classifications] allow_unmasked`,
      }),
    );
  }
  return out;
}

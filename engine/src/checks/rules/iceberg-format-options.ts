import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { createDiagnostic } from "../../diagnostics/registry.js";
import type { ModelConfig } from "../../project/types.js";
import { configSpan } from "../config-span.js";

export interface FormatOptionsInput {
  readonly model: string;
  readonly file: string;
  readonly sidecarFile?: string;
  readonly config: Pick<ModelConfig, "format" | "format_options" | "locations">;
}

const isSet = (v: unknown): boolean => v !== undefined && v !== null && v !== "" && !(Array.isArray(v) && v.length === 0);

/**
 * E035: `format = "iceberg_table"` with `format_options` managed Iceberg refuses: `partition_by`
 * together with `cluster_by`, or an engine-managed `write.format.*` table property.
 */
export function checkIcebergFormatOptions(input: FormatOptionsInput): Diagnostic[] {
  const c = input.config;
  if (c.format?.toLowerCase() !== "iceberg_table" || c.format_options === undefined) return [];
  const opts = c.format_options;
  const files = [input.sidecarFile, input.file];
  const out: Diagnostic[] = [];
  if (isSet(opts.partition_by) && isSet(opts.cluster_by)) {
    out.push(
      createDiagnostic("E035", "iceberg_table format_options sets both partition_by and cluster_by, which managed Iceberg tables do not allow together", {
        model: input.model,
        span: configSpan(c, ["format_options.cluster_by", "format_options.partition_by", "format_options"], files),
        suggestion: "keep either partition_by or cluster_by",
      }),
    );
  }
  const props = opts.properties;
  if (props !== null && typeof props === "object" && !Array.isArray(props)) {
    for (const key of Object.keys(props as Record<string, unknown>)) {
      if (!key.toLowerCase().startsWith("write.format.")) continue;
      out.push(
        createDiagnostic("E035", `iceberg_table format_options.properties sets '${key}', which the engine manages for managed Iceberg tables`, {
          model: input.model,
          span: configSpan(c, [`format_options.properties.${key}`, "format_options.properties", "format_options"], files),
          suggestion: `remove '${key}' from format_options.properties`,
        }),
      );
    }
  }
  return out;
}

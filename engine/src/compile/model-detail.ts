import { formatType } from "../types/sql-type.js";
import type { CompiledModel } from "./types.js";

/** One entry of `rocky compile --output json`'s `models_detail`, shaped like Rocky's. */
export function modelDetail(m: CompiledModel) {
  return {
    name: m.name,
    file: m.file,
    strategy: m.config.strategy,
    target: m.config.target,
    depends_on: m.dependsOn,
    external_sources: m.externalSources,
    ...(m.config.freshness ? { freshness: m.config.freshness } : {}),
    ...(m.contract ? { contract_source: m.contract.source } : {}),
    tags: m.config.tags,
    layer: m.layer,
    columns: m.columns.map((c) => ({ name: c.name, type: formatType(c.type), nullable: c.nullable })),
  };
}

/** Indentation of a `models_detail` item in the compile JSON (two-space JSON, the array one level down). */
export const DETAIL_INDENT = "    ";

/**
 * A model's `models_detail` item as UTF-8 JSON, indented to sit inside the compile output's array, so
 * a warm compile writes unchanged models' entries without rebuilding or re-serialising them.
 */
export function modelDetailJson(m: CompiledModel): Uint8Array {
  const text = JSON.stringify(modelDetail(m), null, 2).replace(/\n/g, `\n${DETAIL_INDENT}`);
  return Buffer.from(DETAIL_INDENT + text, "utf8");
}

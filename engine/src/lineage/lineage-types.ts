import type { ColumnRef, OutputColumn, RowLevel, Transform } from "../compile/types.js";

/** What lineage needs of a compiled model (a `CompiledModel` fits). */
export interface LineageModel {
  readonly columns: readonly OutputColumn[];
  readonly rowLevel?: RowLevel;
  readonly dependsOn?: readonly string[];
}

export type LineageModels = ReadonlyMap<string, LineageModel>;

/** One column-to-column edge: `source` feeds `target` through `transform`, `depth` hops from the traced column. */
export interface LineageEdge {
  readonly source: ColumnRef;
  readonly target: ColumnRef;
  readonly transform: Transform;
  readonly depth: number;
}

export interface ColumnConsumer extends ColumnRef {
  readonly transform: Transform;
}

/** source column key (`columnKey`) → the output columns that read it. */
export type ColumnConsumerIndex = ReadonlyMap<string, readonly ColumnConsumer[]>;

export type LineageDirection = "upstream" | "downstream";

/** `rocky lineage <model>.<column>`: the trace in one direction, plus every direct consumer of the column. */
export interface ColumnLineage {
  readonly model: string;
  readonly column: string;
  readonly direction: LineageDirection;
  readonly trace: readonly LineageEdge[];
  readonly downstreamConsumers: readonly ColumnRef[];
}

/** `rocky lineage <model>`: the model's columns, its neighbours, and the edges into its columns. */
export interface ModelLineage {
  readonly model: string;
  readonly columns: readonly { readonly name: string; readonly dataType?: string }[];
  readonly upstream: readonly string[];
  readonly downstream: readonly string[];
  readonly edges: readonly LineageEdge[];
}

/** The key of a column in indexes: model as given, column case-insensitive. */
export function columnKey(model: string, column: string): string {
  return `${model}\u0000${column.toLowerCase()}`;
}

/** Rocky's transform text: `direct`, `cast`, `try_cast`, `aggregation: sum`, `window: rank`, `expression`. */
export function transformText(t: Transform): string {
  switch (t.kind) {
    case "aggregation":
    case "window":
      return `${t.kind}: ${t.fn}`;
    default:
      return t.kind;
  }
}

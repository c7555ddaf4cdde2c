export { buildColumnConsumerIndex } from "./build-column-consumer-index.js";
export { lineageToDot } from "./lineage-to-dot.js";
export { lineageToJson } from "./lineage-to-json.js";
export { lineageToMermaid, mermaidLabel } from "./lineage-to-mermaid.js";
export { lineageToText } from "./lineage-to-text.js";
export type { ColumnConsumer, ColumnConsumerIndex, ColumnLineage, LineageDirection, LineageEdge, LineageModel, LineageModels, ModelLineage } from "./lineage-types.js";
export { columnKey, transformText } from "./lineage-types.js";
export { columnLineage, modelLineage } from "./lineage-views.js";
export { traceColumn } from "./trace-column.js";

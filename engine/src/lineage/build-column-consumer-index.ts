import type { ColumnConsumer, ColumnConsumerIndex, LineageModels } from "./lineage-types.js";
import { columnKey } from "./lineage-types.js";

/** Invert every model's column sources: source column → the columns (of any model) that read it. */
export function buildColumnConsumerIndex(models: LineageModels): ColumnConsumerIndex {
  const index = new Map<string, ColumnConsumer[]>();
  for (const [name, m] of models) {
    for (const col of m.columns) {
      for (const s of col.sources) {
        const key = columnKey(s.model, s.column);
        let list = index.get(key);
        if (!list) {
          list = [];
          index.set(key, list);
        }
        list.push({ model: name, column: col.name, transform: s.transform });
      }
    }
  }
  return index;
}

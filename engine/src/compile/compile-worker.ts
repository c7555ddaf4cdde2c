import { parentPort } from "node:worker_threads";
import type { SourceColumn } from "../project/types.js";
import type { DialectId, Query } from "../syntax/ast.js";
import type { AnalysisEntry, SyntaxEntry } from "./compile-cache.js";
import { analyzeEntry, type Columns, createSchemaProvider, parseModel, readerColumns, type StageModel } from "./model-stages.js";

/**
 * The compile worker: parses the models it is given and keeps their syntax trees, then types the
 * ones it parsed when the main thread reaches their layer, receiving only the upstream schemas it
 * has not seen yet. Messages are plain data (structured clone); see compile-pool.ts.
 */
export type WorkerRequest =
  | { readonly type: "init"; readonly target?: DialectId; readonly allow: readonly string[]; readonly modelByLower: readonly (readonly [string, string])[]; readonly rawSources: readonly (readonly [string, readonly SourceColumn[]])[] }
  | { readonly type: "parse"; readonly id: number; readonly models: readonly StageModel[] }
  | { readonly type: "analyze"; readonly id: number; readonly schemas: readonly (readonly [string, Columns])[]; readonly models: readonly { readonly name: string; readonly file: string; readonly dialect: DialectId }[] };

export type WorkerReply =
  | { readonly id: number; readonly syntax: readonly (readonly [string, SyntaxEntry])[] }
  | { readonly id: number; readonly analysis: readonly (readonly [string, AnalysisEntry])[] }
  | { readonly id: number; readonly error: string };

const port = parentPort;
if (port !== null) {
  let target: DialectId | undefined;
  let allow: readonly string[] = [];
  let modelByLower = new Map<string, string>();
  let rawSources = new Map<string, readonly SourceColumn[]>();
  const typedSources = new Map<string, Columns | null>();
  const columns = new Map<string, Columns>();
  const asts = new Map<string, Query>();

  port.on("message", (msg: WorkerRequest) => {
    if (msg.type === "init") {
      target = msg.target;
      allow = msg.allow;
      modelByLower = new Map(msg.modelByLower);
      rawSources = new Map(msg.rawSources);
      return;
    }
    try {
      if (msg.type === "parse") {
        const out: (readonly [string, SyntaxEntry])[] = [];
        for (const m of msg.models) {
          const { entry, query } = parseModel(m, target, allow);
          if (query !== undefined) asts.set(m.name, query);
          out.push([m.name, entry]);
        }
        port.postMessage({ id: msg.id, syntax: out } satisfies WorkerReply);
        return;
      }
      for (const [name, cols] of msg.schemas) columns.set(name, cols);
      const out: (readonly [string, AnalysisEntry])[] = [];
      for (const m of msg.models) {
        const query = asts.get(m.name);
        asts.delete(m.name);
        if (query === undefined) throw new Error(`no syntax tree for ${m.name}`);
        const entry = analyzeEntry({ model: m.name, file: m.file, dialect: m.dialect, query, schemas: createSchemaProvider(m.dialect, modelByLower, columns, rawSources, typedSources) });
        columns.set(m.name, readerColumns(entry));
        out.push([m.name, entry]);
      }
      port.postMessage({ id: msg.id, analysis: out } satisfies WorkerReply);
    } catch (error) {
      port.postMessage({ id: msg.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies WorkerReply);
    }
  });
}

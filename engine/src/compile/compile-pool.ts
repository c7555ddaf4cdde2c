import { Worker } from "node:worker_threads";
import type { SourceColumn } from "../project/types.js";
import type { DialectId } from "../syntax/ast.js";
import type { AnalysisEntry, SyntaxEntry } from "./compile-cache.js";
import type { WorkerReply, WorkerRequest } from "./compile-worker.js";
import type { Columns, StageModel } from "./model-stages.js";

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** One compile worker thread, with request/reply by id. Closing it terminates the thread. */
export class CompileWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (r: WorkerReply) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  /** Model names whose columns this worker already holds (sent to it, or computed by it). */
  readonly known = new Set<string>();

  constructor(url: URL | string) {
    this.worker = new Worker(url);
    this.worker.unref();
    this.worker.on("message", (reply: WorkerReply) => {
      const p = this.pending.get(reply.id);
      if (p === undefined) return;
      this.pending.delete(reply.id);
      if ("error" in reply) p.reject(new Error(`compile worker: ${reply.error}`));
      else p.resolve(reply);
    });
    this.worker.on("error", (error) => this.failAll(error));
    this.worker.on("exit", (code) => this.failAll(new Error(`compile worker exited with code ${code}`)));
  }

  private failAll(error: Error): void {
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
  }

  private request(msg: DistributiveOmit<Extract<WorkerRequest, { id: number }>, "id">): Promise<WorkerReply> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...msg, id });
    });
  }

  init(target: DialectId | undefined, allow: readonly string[], modelByLower: ReadonlyMap<string, string>, rawSources: ReadonlyMap<string, readonly SourceColumn[]>): void {
    this.worker.postMessage({ type: "init", target, allow, modelByLower: [...modelByLower], rawSources: [...rawSources] } satisfies WorkerRequest);
  }

  async parse(models: readonly StageModel[]): Promise<readonly (readonly [string, SyntaxEntry])[]> {
    const reply = await this.request({ type: "parse", models });
    return "syntax" in reply ? reply.syntax : [];
  }

  async analyze(schemas: readonly (readonly [string, Columns])[], models: readonly { name: string; file: string; dialect: DialectId }[]): Promise<readonly (readonly [string, AnalysisEntry])[]> {
    for (const [name] of schemas) this.known.add(name);
    const reply = await this.request({ type: "analyze", schemas, models });
    const out = "analysis" in reply ? reply.analysis : [];
    for (const [name] of out) this.known.add(name);
    return out;
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

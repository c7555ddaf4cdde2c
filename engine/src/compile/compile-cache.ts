import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { DateDiffCall, MethodCall, NullableConcat, OutputColumn, RowLevel, WindowNullOrder } from "../compile/types.js";
import type { Span } from "../syntax/ast.js";
import type { CompileSnapshot } from "./snapshot.js";

/**
 * What the compiler remembers per content hash so that a PR touching one file re-parses one file.
 *
 * - A syntax entry is keyed by the model's dialect + SQL (+ the P001 target and allow-list): the
 *   references the SQL makes, its parse error if any, and the findings that depend only on the
 *   text (P001, pragmas).
 * - An analysis entry is keyed by the syntax key + the signatures of every upstream schema the
 *   model reads: the typed output columns with lineage, row-level inputs and inference diagnostics.
 *
 * Entries are plain data (no Maps) so any store can hold them: in memory, or lmdb on disk
 * (engine/src/compile/lmdb-compile-cache.ts).
 */
export interface SyntaxEntry {
  readonly parseError?: { readonly message: string; readonly span: Span };
  readonly bare: readonly { readonly name: string; readonly line: number; readonly col: number }[];
  readonly qualified: readonly string[];
  /** Findings that depend only on the SQL text (P001 with the target and allow-list in the key). */
  readonly textDiagnostics: readonly Diagnostic[];
  /** Span of the first `*` select item of the output projection, for P002. */
  readonly starSpan?: Span;
  /** First `@start_date` / `@end_date` parameter (time_interval checks). */
  readonly startDate?: Span;
  readonly endDate?: Span;
  /** A `@start_date` / `@end_date` that bounds every row the model emits (E024, W003). */
  readonly windowStart?: Span;
  readonly windowEnd?: Span;
  /** windowStart / windowEnd were computed (absent in an entry cached by an older engine). */
  readonly windowChecked?: true;
  /** Every output item is named (W006's completeness guard). */
  readonly projectionNamed: boolean;
}

export interface AnalysisEntry {
  readonly columns: readonly OutputColumn[];
  readonly rowLevel: RowLevel;
  readonly hasStar: boolean;
  /** ModelAnalysis.open. */
  readonly open?: true;
  readonly reads: readonly (readonly [string, readonly string[]])[];
  readonly diagnostics: readonly Diagnostic[];
  /** ModelAnalysis.nullableConcats: P001 reads them with the target (modelStageDiagnostics). */
  readonly nullableConcats?: readonly NullableConcat[];
  /** ModelAnalysis.dateDiffs: P001 reads them with the target (modelStageDiagnostics). */
  readonly dateDiffs?: readonly DateDiffCall[];
  /** ModelAnalysis.methodCalls: P001 reads them with the target (modelStageDiagnostics). */
  readonly methodCalls?: readonly MethodCall[];
  /** ModelAnalysis.windowNullOrders: P001 reads them with the target (modelStageDiagnostics). */
  readonly windowNullOrders?: readonly WindowNullOrder[];
}

export interface CompileCache {
  getSyntax(key: string): SyntaxEntry | undefined;
  putSyntax(key: string, entry: SyntaxEntry): void;
  getAnalysis(key: string): AnalysisEntry | undefined;
  putAnalysis(key: string, entry: AnalysisEntry): void;
  /** The snapshot of a whole compile (snapshot.ts), by a key the caller chooses (project dir, git tree). */
  getSnapshot?(key: string): CompileSnapshot | undefined;
  putSnapshot?(key: string, snapshot: CompileSnapshot): void;
  /**
   * Drop a snapshot: nobody finds it any more. What only it used goes with the store's sweep (lmdb:
   * a grace period later), so a compile still reading it, here or in another process, is not cut short.
   */
  dropSnapshot?(key: string): void;
  /**
   * Small records a shell keeps beside a snapshot (the CLI's file manifest). The lmdb store keeps the
   * most recently used ones within a count and a size (lmdb-compile-cache.ts), and always those
   * named `<anything>:<key of a kept snapshot>` (the CLI's `manifest:<key>` lives as long as its snapshot).
   */
  getRecord?(key: string): unknown;
  putRecord?(key: string, value: unknown): void;
  /** Persist pending writes (no-op in memory). */
  flush(): Promise<void>;
  close(): Promise<void>;
}

export function createMemoryCompileCache(): CompileCache {
  const syntax = new Map<string, SyntaxEntry>();
  const analysis = new Map<string, AnalysisEntry>();
  const snapshots = new Map<string, CompileSnapshot>();
  const records = new Map<string, unknown>();
  return {
    getSnapshot: (k) => snapshots.get(k),
    putSnapshot: (k, v) => void snapshots.set(k, v),
    dropSnapshot: (k) => void snapshots.delete(k),
    getRecord: (k) => records.get(k),
    putRecord: (k, v) => void records.set(k, v),
    getSyntax: (k) => syntax.get(k),
    putSyntax: (k, v) => void syntax.set(k, v),
    getAnalysis: (k) => analysis.get(k),
    putAnalysis: (k, v) => void analysis.set(k, v),
    flush: async () => {},
    close: async () => {},
  };
}

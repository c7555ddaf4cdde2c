import assert from "node:assert/strict";
import { test } from "node:test";
// @ts-expect-error -- plain JS (no types) so `npm run bench` needs no build step
import { generateProject } from "../../../bench/generate-project.mjs";
import { type CompileCache, createMemoryCompileCache } from "../../../engine/src/compile/compile-cache.js";
import { filesToRead, recompileChanged } from "../../../engine/src/compile/compile-incremental.js";
import { type CompileOptions, compileProject } from "../../../engine/src/compile/compile-project.js";
import { modelDetailJson } from "../../../engine/src/compile/model-detail.js";
import type { CompileSnapshot } from "../../../engine/src/compile/snapshot.js";
import { dropSnapshot, getSnapshot, type KeyValue, putSnapshot } from "../../../engine/src/compile/snapshot-store.js";
import type { CompiledProject } from "../../../engine/src/compile/types.js";
import { sortDiagnostics } from "../../../engine/src/diagnostics/registry.js";
import { readProjectDir } from "../../../engine/src/project/read-project-dir.js";

/**
 * The incremental compile must give what a full compile of the changed files gives: every model's
 * config, columns with lineage, row-level inputs, reads, layer and findings, the project's findings,
 * and each model's serialised detail. Each case edits files, recompiles from the last snapshot
 * (also round-tripped through the key-value layout the lmdb cache uses) and compares.
 */

/** The example project's texts (every file of it is text). */
const shop = new Map([...readProjectDir(new URL("../../../examples/shop", import.meta.url).pathname)].map(([path, text]) => [path, typeof text === "string" ? text : assert.fail(`${path} is not text`)]));

function options(cache: CompileCache): CompileOptions & { cache: CompileCache } {
  return { env: {}, vars: {}, cache, snapshot: true };
}

/** A plain, comparable picture of a compiled project (Maps and Sets as arrays; prototypes as JSON sees them). */
function picture(c: CompiledProject) {
  return plain({
    models: [...c.models.values()].map((m) => ({
      name: m.name,
      file: m.file,
      sidecarFile: m.sidecarFile,
      dialect: m.dialect,
      config: m.config,
      contract: m.contract,
      dependsOn: m.dependsOn,
      externalSources: m.externalSources,
      columns: m.columns,
      rowLevel: m.rowLevel,
      hasStar: m.hasStar,
      reads: [...m.reads].map(([k, v]) => [k, [...v].sort()]).sort(),
      contentHash: m.contentHash,
      parsed: m.parsed,
      layer: m.layer,
    })),
    layers: c.layers,
    downstream: [...c.downstream],
    diagnostics: sortDiagnostics(c.diagnostics),
    sources: c.project.models.map((m) => ({ ...m, columnMap: m.columnMap ? [...m.columnMap] : undefined })),
    config: c.project.config,
  });
}

function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_k, v) => (v instanceof Map ? [...v] : v instanceof Set ? [...v] : v)));
}

function memoryStore(): KeyValue & { size(): number } {
  const m = new Map<string, unknown>();
  return {
    get: (k) => structuredClone(m.get(k)),
    put: (k, v) => void m.set(k, structuredClone(v)),
    remove: (k) => void m.delete(k),
    keys: (prefix) => [...m.keys()].filter((k) => k.startsWith(prefix)),
    size: () => m.size,
  };
}

async function assertIncrementalMatches(before: ReadonlyMap<string, string | null>, edits: Record<string, string>, viaStore = false) {
  const cache = createMemoryCompileCache();
  const first = await compileProject(before, options(cache));
  let snapshot = first.snapshot as CompileSnapshot;
  assert.ok(snapshot !== undefined);
  const store = memoryStore();
  if (viaStore) {
    putSnapshot(store, "k", snapshot);
    snapshot = getSnapshot(store, "k", snapshot.version)!;
  }
  const after = new Map(before);
  for (const [path, text] of Object.entries(edits)) after.set(path, text);
  const needed = filesToRead(snapshot, Object.keys(edits));
  assert.ok(needed !== undefined, "the edits touch only model files");
  const result = recompileChanged(snapshot, Object.keys(edits), new Map(needed.map((f) => [f, after.get(f) ?? null])), options(cache));
  assert.equal(result.reason, undefined, result.reason);
  const full = await compileProject(after, options(createMemoryCompileCache()));
  assert.deepEqual(picture(result.compiled!), picture(full));
  assert.deepEqual(result.compiled!.snapshot!.classified, full.snapshot!.classified, "the models that classify a column");
  for (const m of full.models.values()) {
    const inc: { detail: Uint8Array } = result.compiled!.snapshot!.models.find((x) => x.name === m.name)!;
    assert.deepEqual(Buffer.from(inc.detail).toString(), Buffer.from(modelDetailJson(m)).toString(), `detail of ${m.name}`);
  }
  if (viaStore) {
    // Written back and read again, the next snapshot still describes the same project.
    putSnapshot(store, "k", result.compiled!.snapshot!);
    const again = getSnapshot(store, "k", snapshot.version)!;
    const { projectFromSnapshot } = await import("../../../engine/src/compile/snapshot.js");
    const timings = full.timings;
    assert.deepEqual(picture(projectFromSnapshot(again, (k) => cache.getAnalysis(k), timings)), picture(full));
  }
  return result.compiled!;
}

test("an expression change with the same type re-types the model alone", async () => {
  const sql = shop.get("models/stg_orders.sql")!.replace("    status,\n", "    LOWER(status) AS status,\n");
  const c = await assertIncrementalMatches(shop, { "models/stg_orders.sql": sql });
  assert.equal(c.timings.analysed, 1);
});

test("a type change re-types every reader while the output schema keeps changing", async () => {
  const sql = shop.get("models/stg_orders.sql")!.replace("CAST(amount_cents / 100.0 AS DECIMAL(18, 2)) AS amount", "amount_cents / 100.0 AS amount");
  const c = await assertIncrementalMatches(shop, { "models/stg_orders.sql": sql }, true);
  assert.ok(c.timings.analysed >= 3, `analysed ${c.timings.analysed}`);
  assert.ok(c.diagnostics.some((d) => d.code === "E011" || d.code === "E012" || d.code === "E013"), "the contract on fct_orders sees the type change two hops down");
});

test("a contracted column removed upstream, a sidecar edit and a P001 construct at once", async () => {
  const fct = shop.get("models/fct_orders.sql")!.replace("    paid_amount,\n", "");
  const stg = shop.get("models/stg_customers.sql")!;
  const sidecar = `${shop.get("models/stg_orders.toml")!}\n[tags]\nowner = "finance"\n`;
  await assertIncrementalMatches(shop, { "models/fct_orders.sql": fct, "models/stg_customers.sql": stg.replace(/^SELECT/m, "SELECT\n    IFF(TRUE, 1, 0) AS flag,"), "models/stg_orders.toml": sidecar }, true);
});

test("a sidecar that drops its classification leaves the classified models", async () => {
  const sidecar = shop.get("models/stg_orders.toml")!.replace(/\[classification\][^[]*/, "");
  assert.notEqual(sidecar, shop.get("models/stg_orders.toml"));
  const c = await assertIncrementalMatches(shop, { "models/stg_orders.toml": sidecar }, true);
  assert.ok(!c.snapshot!.classified.includes("stg_orders"));
});

test("a change to the DAG, a file no model owns, or a syntax error asks for a full compile", async () => {
  const cache = createMemoryCompileCache();
  const first = await compileProject(shop, options(cache));
  const s = first.snapshot!;
  assert.equal(filesToRead(s, ["rocky.toml"]), undefined);
  const reason = (path: string, text: string) => {
    const after = new Map(shop);
    after.set(path, text);
    const needed = filesToRead(s, [path])!;
    return recompileChanged(s, [path], new Map(needed.map((f) => [f, after.get(f) ?? null])), options(cache)).reason;
  };
  assert.match(reason("models/fct_orders.sql", `${shop.get("models/fct_orders.sql")!}\nJOIN stg_customers USING (customer_id)`) ?? "", /references/);
  assert.match(reason("models/stg_orders.sql", "SELECT FROM WHERE") ?? "", /references/);
});

test("a model's SQL before and after @var substitution survives the store, which keeps it once when they are the same", async () => {
  // stg_orders reads @var(min_status, 'placed'): its raw SQL and its substituted SQL differ; the other models' do not.
  const files = new Map(shop).set("models/stg_orders.sql", shop.get("models/stg_orders.sql")!.replace(/^SELECT/m, "SELECT\n    @var(min_status, 'placed') AS min_status,"));
  const first = await compileProject(files, options(createMemoryCompileCache()));
  const store = memoryStore();
  putSnapshot(store, "k", first.snapshot!);
  const back = getSnapshot(store, "k", first.snapshot!.version)!;
  const sources = new Map(first.project.models.map((m) => [m.name, m]));
  const substituted = [...sources.values()].filter((m) => m.rawSql !== m.sql).map((m) => m.name);
  assert.deepEqual(substituted, ["stg_orders"]);
  assert.match(sources.get("stg_orders")!.sql, /'placed' AS min_status/);
  for (const m of back.models) {
    assert.equal(m.source.rawSql, sources.get(m.name)!.rawSql, `${m.name}: raw SQL`);
    assert.equal(m.source.sql, sources.get(m.name)!.sql, `${m.name}: SQL`);
  }
  // An edit elsewhere, recompiled from the stored snapshot, still equals a full compile (sources included).
  await assertIncrementalMatches(files, { "models/stg_customers.sql": `${files.get("models/stg_customers.sql")!}\n` }, true);
});

test("the generated benchmark project: a staging type change, round-tripped through the store", async () => {
  const files = generateProject(300, 7) as Map<string, string>;
  const name = [...files.keys()].find((f) => /models\/stg_\d+\.sql$/.test(f))!;
  const sql = files.get(name)!.replace(/^\s+amount,$/m, "    CAST(amount AS DOUBLE) AS amount,");
  assert.notEqual(sql, files.get(name));
  await assertIncrementalMatches(files, { [name]: sql }, true);
});

test("the store rewrites only the chunks whose models changed, and drops replaced ones a generation late", async () => {
  const files = generateProject(1200, 3) as Map<string, string>;
  const cache = createMemoryCompileCache();
  const first = await compileProject(files, options(cache));
  const store = memoryStore();
  putSnapshot(store, "k", first.snapshot!);
  const chunks = () => (store.get("chunks:k") as { current: { chunks: { chunk: string }[] } }).current.chunks.map((c) => c.chunk);
  const before = chunks();
  assert.ok(before.length >= 3);
  const name = [...files.keys()].find((f) => /models\/stg_\d+\.sql$/.test(f))!;
  const edit = (text: string, to: string) => text.replace(/COALESCE\(category, '[^']*'\)/, `COALESCE(category, '${to}')`);
  let after = new Map(files);
  const step = (to: string) => {
    const s = getSnapshot(store, "k", first.snapshot!.version)!;
    after = new Map(after).set(name, edit(after.get(name)!, to));
    const needed = filesToRead(s, [name])!;
    const result = recompileChanged(s, [name], new Map(needed.map((f) => [f, after.get(f) ?? null])), options(cache));
    putSnapshot(store, "k", result.compiled!.snapshot!);
  };
  const size0 = store.size();
  step("none");
  assert.equal(chunks().filter((c) => !before.includes(c)).length, 1, "one chunk re-encoded");
  assert.equal(store.size(), size0 + 3, "the new chunk, its cold part and the new source record in; the replaced chunk kept one generation");
  step("other");
  assert.equal(store.size(), size0 + 4, "the next change drops the chunk two generations back (and its cold part)");
  // Another key shares nothing it could drop: dropping "k" leaves "other" whole.
  putSnapshot(store, "other", getSnapshot(store, "k", first.snapshot!.version)!);
  const withOther = store.size();
  dropSnapshot(store, "k");
  assert.ok(store.size() < withOther);
  assert.ok(getSnapshot(store, "other", first.snapshot!.version)!.models.every((m) => m.source.name === m.name));
});

test("a model whose output is open (a * over a source of unknown schema) lets readers name what it cannot list, cold and incrementally", async () => {
  const project = new Map(shop);
  project.set("models/wide.sql", "SELECT o.order_id AS id, f.* FROM stg_orders o JOIN raw.unknown_feed f ON o.order_id = f.order_id\n");
  project.set("models/wide_reader.sql", "SELECT id, feed_score FROM wide\n");
  const full = await compileProject(project, options(createMemoryCompileCache()));
  const reader = full.models.get("wide_reader")!;
  assert.deepEqual(
    full.diagnostics.filter((d) => d.model === "wide_reader" && d.severity === "Error"),
    [],
    "feed_score may be one of the feed's columns: not an error",
  );
  assert.deepEqual(reader.columns.map((c) => [c.name, c.type.kind]), [["id", "Int32"], ["feed_score", "Unknown"]]);
  // Closing the model's output re-types the reader, which now names a column that does not exist.
  const closed = await assertIncrementalMatches(project, { "models/wide.sql": "SELECT o.order_id AS id, f.order_id AS feed_id FROM stg_orders o JOIN raw.unknown_feed f ON o.order_id = f.order_id\n" }, true);
  assert.ok(closed.diagnostics.some((d) => d.model === "wide_reader" && d.code === "R008" && d.message.includes("feed_score")));
  // And opening it again takes the error away.
  const closedProject = new Map(project).set("models/wide.sql", "SELECT o.order_id AS id, f.order_id AS feed_id FROM stg_orders o JOIN raw.unknown_feed f ON o.order_id = f.order_id\n");
  const reopened = await assertIncrementalMatches(closedProject, { "models/wide.sql": project.get("models/wide.sql")! }, true);
  assert.ok(!reopened.diagnostics.some((d) => d.model === "wide_reader" && d.code === "R008"));
});

test("E028 points at the whole `@var(...)` call as written, in a full and an incremental compile", async () => {
  const withVar = (sql: string) => sql.replace("FROM raw.orders", "FROM raw.orders\nWHERE status <> @var(excluded_status) AND id > 0");
  const before = new Map(shop);
  before.set("models/stg_orders.sql", withVar(shop.get("models/stg_orders.sql")!));
  const full = await compileProject(before, { env: {}, vars: {} });
  const e028 = full.diagnostics.filter((d) => d.code === "E028");
  // The loader reports it in the file's columns: mapping them again through the substitution (NULL for
  // the 21-character call) stretched the caret to 38 characters.
  assert.deepEqual(
    e028.map((d) => d.span),
    [{ file: "models/stg_orders.sql", line: 10, col: 17, endLine: 10, endCol: 17 + "@var(excluded_status)".length }],
  );
  const edited = await assertIncrementalMatches(before, { "models/stg_orders.sql": `${withVar(shop.get("models/stg_orders.sql")!)}\n` });
  assert.deepEqual(
    edited.diagnostics.filter((d) => d.code === "E028").map((d) => d.span),
    e028.map((d) => d.span),
  );
});

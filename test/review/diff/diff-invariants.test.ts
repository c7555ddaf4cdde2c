import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { CompiledModel } from "../../../engine/src/compile/types.js";
import { diffProjects } from "../../../review/src/diff/diff-projects.js";
import { lineageDiff } from "../../../review/src/diff/lineage-diff.js";
import type { ChangedFile } from "../../../review/src/report/types.js";
import { col, model, project } from "./build-compiled.js";
import { seededRandom as rng } from "../../support/seeded-random.js";


const TYPES = ["Int32", "Int64", "Float64", "Decimal(18,2)", "Decimal(10,2)", "String", "Date", "Timestamp", "Unknown"];

/** A random layered DAG (with the odd cycle and dangling reference) and a randomly mutated copy. */
function randomPair(seed: number): { base: CompiledModel[]; head: CompiledModel[]; changed: ChangedFile[] } {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const n = 3 + Math.floor(r() * 12);
  const build = (mutate: boolean) => {
    const rr = rng(seed * 7919);
    const models: CompiledModel[] = [];
    for (let i = 0; i < n; i++) {
      const name = `m${i}`;
      const ncols = 1 + Math.floor(rr() * 5);
      const cols = [];
      for (let c = 0; c < ncols; c++) {
        const up = i === 0 || rr() < 0.2 ? `raw.t${i}` : `m${Math.floor(rr() * i)}`;
        const upCol = `c${Math.floor(rr() * 5)}`;
        const src = rr() < 0.1 ? `m${n + 3}.${upCol}` : `${up}.${upCol}`; // dangling ref sometimes
        let type = TYPES[Math.floor(rr() * TYPES.length)];
        let fp = `${upCol}+${c}`;
        let cname = `c${c}`;
        if (mutate && r() < 0.15) type = pick(TYPES);
        if (mutate && r() < 0.15) fp = `${fp}*2`;
        if (mutate && r() < 0.05) cname = `${cname}_renamed`;
        if (mutate && r() < 0.05) continue;
        cols.push(col(cname, type, { src: [src], fp, nullable: rr() < 0.5, line: c + 2 }));
      }
      if (mutate && r() < 0.05) continue; // model removed
      const where = mutate && r() < 0.1 ? "x > 1" : "x > 0";
      models.push(model(name, { columns: cols, rowLevel: { where }, ...(rr() < 0.3 ? { contract: { columns: [{ name: "c0", type: pick(TYPES), nullable: false }], required: ["c0"], protected: ["c1"] } } : {}) }));
    }
    if (mutate && r() < 0.2) models.push(model(`new${seed}`, { columns: [col("z", "Int64", { src: ["m0.c0"] })] }));
    return models;
  };
  const base = build(false);
  const head = build(true);
  const changed: ChangedFile[] = head.filter(() => r() < 0.5).map((m) => ({ path: m.file, projectPath: m.file, status: "modified", headRanges: [{ start: 1, end: 3 }], binary: false, role: "model_sql" }));
  return { base, head, changed };
}

describe("diffProjects invariants over random projects", () => {
  it("never throws, and every entry, path and count is consistent", () => {
    for (let seed = 1; seed <= 300; seed++) {
      const { base, head, changed } = randomPair(seed);
      const d = diffProjects(project(base), project(head), changed);
      const ids = new Set([...d.columnChanges.map((c) => c.id), ...d.rowLevelChanges.map((c) => c.id)]);
      assert.equal(ids.size, d.columnChanges.length + d.rowLevelChanges.length, `seed ${seed}: change ids are unique`);
      for (const e of d.blastRadius.entries) {
        assert.ok(ids.has(e.changeId), `seed ${seed}: entry ${e.changeId} has a change`);
        const keys = e.consumers.map((c) => `${c.model}.${c.column}`);
        assert.equal(new Set(keys).size, keys.length, `seed ${seed}: consumers unique`);
        for (const c of e.consumers) assert.ok(c.depth >= 1 && c.depth <= e.maxDepth);
      }
      for (const c of d.columnChanges) {
        const e = d.blastRadius.entries.find((x) => x.changeId === c.id);
        assert.equal(c.consumers, e?.consumers.length ?? 0, `seed ${seed}: ${c.id} count`);
      }
      for (const f of d.contracts) {
        assert.ok(["Error", "Warning"].includes(f.severity));
        if (f.path) assert.equal(`${f.path.at(-1)?.model}.${f.path.at(-1)?.column}`.toLowerCase(), `${f.model}.${f.column}`.toLowerCase(), `seed ${seed}: path ends at the contracted column`);
      }
      assert.doesNotThrow(() => lineageDiff(d, { version: "0", baseRef: "main", totalModels: head.length }));
      assert.deepEqual(JSON.parse(JSON.stringify(d.columnChanges)), d.columnChanges);
    }
  });
});

describe("diffProjects at scale", () => {
  it("a row-level change under 5,000 downstream models reaches every column of each, once", () => {
    const mk = (where: string) => {
      const models = [model("root", { columns: [col("id", "Int64", { src: ["raw.t.id"] }), col("v", "Int64", { src: ["raw.t.v"] })], rowLevel: { where } })];
      for (let i = 0; i < 5000; i++) {
        const up = i < 100 ? "root" : `d${i % 100}`;
        models.push(model(`d${i}`, { columns: [col("id", "Int64", { src: [`${up}.id`] }), col("v", "Int64", { src: [`${up}.v`] })] }));
      }
      return project(models);
    };
    const d = diffProjects(mk("v > 0"), mk("v > 1"), [{ path: "models/root.sql", projectPath: "models/root.sql", status: "modified", headRanges: [], binary: false, role: "model_sql" }]);
    assert.equal(d.rowLevelChanges[0].consumers, 10_000);
    assert.equal(d.blastRadius.totalModels, 5000);
    assert.equal(d.blastRadius.entries[0].maxDepth, 2);
    assert.equal(d.downstreamModels.length, 5000);
    assert.equal(d.models.length, 5001);
  });
});

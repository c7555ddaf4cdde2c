import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { createMemoryCompileCache } from "../../../engine/src/compile/compile-cache.js";
import { recompileChanged } from "../../../engine/src/compile/compile-incremental.js";
import { type CompileOptions, compileProject } from "../../../engine/src/compile/compile-project.js";
import type { CompiledModel, CompiledProject } from "../../../engine/src/compile/types.js";
import { readProjectDir } from "../../../engine/src/project/read-project-dir.js";
import type { ProjectFiles, ProjectFileText } from "../../../engine/src/project/types.js";
import { diffProjects } from "../../../review/src/diff/diff-projects.js";
import { projectFileRole } from "../../../review/src/git/project-file-role.js";
import type { ChangedFile } from "../../../review/src/report/types.js";

/**
 * A cached review diffs a base read from its snapshot against a head recompiled from it: the diff
 * then visits only the models the snapshots tell apart and their readers. It must say exactly what
 * the diff of two full compiles says, for every kind of edit the incremental compile takes.
 */

const SHOP = join(import.meta.dirname, "../../../examples/shop");
const OPTIONS: CompileOptions = { env: {}, vars: {} };

const replace = (text: ProjectFileText | undefined, from: string | RegExp, to: string) => {
  assert.equal(typeof text, "string");
  const out = (text as string).replace(from, to);
  assert.notEqual(out, text, `edit ${String(from)} applies`);
  return out;
};

const EDITS: Record<string, (files: ProjectFiles) => Record<string, string>> = {
  "a type change that reaches readers": (f) => ({ "models/stg_orders.sql": replace(f.get("models/stg_orders.sql")!, "AS DECIMAL(18, 2)", "AS DOUBLE") }),
  "a WHERE change (row level)": (f) => ({ "models/stg_orders.sql": replace(f.get("models/stg_orders.sql")!, "<> 'test'", "NOT IN ('test', 'fraud')") }),
  "a sidecar change": (f) => ({ "models/fct_orders.toml": `${f.get("models/fct_orders.toml")}\n[[exposures]]\nname = "Ops"\ntype = "dashboard"\nurl = "https://bi.example.com/ops"\n` }),
  "a contract change": (f) => ({ "models/fct_orders.contract.toml": replace(f.get("models/fct_orders.contract.toml")!, 'type = "Decimal(18,2)"', 'type = "Decimal(38,2)"') }),
  "a comment only": (f) => ({ "models/int_order_payments.sql": `-- reviewed\n${f.get("models/int_order_payments.sql")}` }),
  "a column dropped upstream": (f) => ({ "models/stg_orders.sql": replace(f.get("models/stg_orders.sql")!, "    status,\n", "") }),
};

function changedFile(path: string): ChangedFile {
  return { path, projectPath: path, status: "modified", headRanges: [{ start: 1, end: 200 }], binary: false, role: projectFileRole(path) };
}

/** The project with every model the diff takes out of `models` recorded. */
function counting(project: CompiledProject): { project: CompiledProject; got: Set<string> } {
  const got = new Set<string>();
  const models = project.models;
  const counted = {
    get: (name: string) => {
      got.add(name);
      return models.get(name);
    },
    has: (name: string) => models.has(name),
    keys: () => models.keys(),
    get size() {
      return models.size;
    },
    values: () => {
      for (const name of models.keys()) got.add(name);
      return models.values();
    },
    entries: () => models.entries(),
    [Symbol.iterator]: () => models.entries(),
    forEach: (fn: (m: CompiledModel, k: string, map: ReadonlyMap<string, CompiledModel>) => void) => models.forEach(fn),
  } as unknown as ReadonlyMap<string, CompiledModel>;
  const copy = Object.create(Object.getPrototypeOf(project), Object.getOwnPropertyDescriptors(project)) as Record<string, unknown>;
  Object.defineProperty(copy, "models", { value: counted, enumerable: true });
  return { project: copy as unknown as CompiledProject, got };
}

describe("diffProjects over snapshots", () => {
  for (const [what, edit] of Object.entries(EDITS)) {
    it(`${what}: the same diff as two full compiles, reading only the models it reaches`, async () => {
      const files = new Map(readProjectDir(SHOP));
      const cache = createMemoryCompileCache();
      const base = await compileProject(files, { ...OPTIONS, cache, snapshot: true, snapshotDetails: false });
      assert.ok(base.snapshot);
      const changes = edit(files);
      const headFiles = new Map([...files, ...Object.entries(changes)]);
      const incremental = recompileChanged(base.snapshot, Object.keys(changes), headFiles, { ...OPTIONS, cache });
      assert.ok(incremental.compiled, `the incremental compile takes it (${incremental.reason})`);
      const changed = Object.keys(changes).map(changedFile);

      const fullBase = await compileProject(files, { ...OPTIONS, cache: createMemoryCompileCache() });
      const fullHead = await compileProject(headFiles, { ...OPTIONS, cache: createMemoryCompileCache() });
      const expected = diffProjects(fullBase, fullHead, changed);
      const b = counting(base);
      const h = counting(incremental.compiled);
      assert.deepEqual(diffProjects(b.project, h.project, changed), expected);
      const reached = new Set([...expected.touchedModels, ...expected.downstreamModels, ...expected.models.map((m) => m.model)]);
      // A model with a column change has its readers compared: those are read too.
      const changedModels = new Set([...expected.columnChanges.map((c) => c.model), ...expected.rowLevelChanges.map((c) => c.model)]);
      const readers = new Set([...changedModels].flatMap((m) => [...(incremental.compiled!.downstream.get(m) ?? [])]));
      // And the models the incremental compile re-made (re-typed readers): the snapshots tell only that they differ.
      const remade = new Set(incremental.compiled.snapshot!.models.filter((m, i) => m !== base.snapshot!.models[i]).map((m) => m.name));
      for (const name of h.got) assert.ok(reached.has(name) || readers.has(name) || remade.has(name), `head model ${name} was read but the change does not reach it`);
      assert.ok(h.got.size < incremental.compiled.models.size, `not every model is read (${h.got.size} of ${incremental.compiled.models.size})`);
    });
  }
});

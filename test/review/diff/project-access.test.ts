import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { CompiledProject } from "../../../engine/src/compile/types.js";
import type { ModelSource } from "../../../engine/src/project/types.js";
import { modelSources, projectConfig } from "../../../review/src/report/project-access.js";
import { project as eagerProject, model } from "./build-compiled.js";

/** A project as a snapshot gives it: `project` would decode every model's source (here it throws); each snapshot model's source counts its reads. */
function snapshotProject(names: readonly string[]): { compiled: CompiledProject; decoded: string[] } {
  const eager = eagerProject(names.map((n) => model(n, { columns: [] })));
  const decoded: string[] = [];
  const models = eager.project.models.map((source) => ({
    name: source.name,
    get source(): ModelSource {
      decoded.push(source.name);
      return source;
    },
  }));
  const compiled = Object.defineProperties(
    { ...eager, snapshot: { project: { config: eager.project.config }, models } },
    {
      project: {
        get: () => {
          throw new Error("every model's source decoded");
        },
      },
    },
  ) as unknown as CompiledProject;
  return { compiled, decoded };
}

describe("project access without materialising a snapshot's sources", () => {
  it("reads the config and the wanted models' sources only", () => {
    const { compiled, decoded } = snapshotProject(["a", "b", "c", "d"]);

    assert.equal(projectConfig(compiled).cost.min_history_runs, 5);
    const sources = modelSources(compiled, new Set(["c", "a"]));
    assert.deepEqual([...sources.keys()].sort(), ["a", "c"]);
    assert.deepEqual(decoded.sort(), ["a", "c"]);
  });

  it("reads a plain project's list when there is no snapshot", () => {
    const p = eagerProject([model("a", { columns: [] }), model("b", { columns: [] })]);
    assert.deepEqual([...modelSources(p, new Set(["b"])).keys()], ["b"]);
    assert.equal(projectConfig(p), p.project.config);
  });
});

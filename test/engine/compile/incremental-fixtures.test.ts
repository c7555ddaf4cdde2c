import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { createMemoryCompileCache } from "../../../engine/src/compile/compile-cache.js";
import { filesToRead, recompileChanged } from "../../../engine/src/compile/compile-incremental.js";
import { compileProject } from "../../../engine/src/compile/compile-project.js";
import type { CompiledProject } from "../../../engine/src/compile/types.js";
import { parseTargetDialect } from "../../../engine/src/checks/dialect-names.js";
import { sortDiagnostics } from "../../../engine/src/diagnostics/registry.js";
import { type FixtureFile, projectFiles } from "../checks/support/fixture-project.js";

/**
 * Every diagnostic fixture (one small project per case that fires and per case that must not, for
 * every code) edited in each of its model files three ways: a comment appended, a line inserted at
 * the top (every position below moves), a comment appended to the sidecar. Wherever the
 * incremental compile takes the edit, it must agree with a full compile of the edited files, finding
 * for finding; where it declines, it says why.
 */

const dir = new URL("../../fixtures/diagnostics/", import.meta.url);

interface Case {
  readonly name: string;
  readonly files: Record<string, FixtureFile>;
  readonly target?: string;
}

function cases(): { code: string; c: Case }[] {
  const out: { code: string; c: Case }[] = [];
  for (const f of readdirSync(dir).filter((n) => n.endsWith(".json")).sort()) {
    const spec = JSON.parse(readFileSync(new URL(f, dir), "utf8")) as { code: string; fail?: Case[]; pass?: Case[] };
    for (const c of [...(spec.fail ?? []), ...(spec.pass ?? [])]) if (c.files && typeof c.files === "object") out.push({ code: spec.code, c });
  }
  return out;
}

function picture(c: CompiledProject) {
  return JSON.parse(
    JSON.stringify(
      {
        models: [...c.models.values()].map((m) => ({ name: m.name, config: m.config, columns: m.columns, rowLevel: m.rowLevel, reads: [...m.reads].map(([k, v]) => [k, [...v].sort()]), layer: m.layer, parsed: m.parsed, contentHash: m.contentHash, dependsOn: m.dependsOn })),
        diagnostics: sortDiagnostics(c.diagnostics),
        layers: c.layers,
      },
      (_k, v) => (v instanceof Map ? [...v] : v instanceof Set ? [...v] : v),
    ),
  );
}

const EDITS: readonly { readonly name: string; readonly applies: (path: string) => boolean; readonly edit: (text: string) => string }[] = [
  { name: "comment appended", applies: (p) => p.endsWith(".sql"), edit: (t) => `${t}\n-- edited\n` },
  { name: "line inserted at the top", applies: (p) => p.endsWith(".sql"), edit: (t) => `-- a new first line\n${t}` },
  { name: "sidecar comment", applies: (p) => p.endsWith(".toml") && !p.endsWith("rocky.toml") && !p.includes("_defaults") && !p.includes(".contract."), edit: (t) => `${t}\n# edited\n` },
];

test("incremental == full on every diagnostic fixture, for three kinds of edit to each model file", async () => {
  let compared = 0;
  let declined = 0;
  for (const { code, c } of cases()) {
    const files = projectFiles(c);
    const targetDialect = c.target === undefined ? undefined : parseTargetDialect(c.target);
    const options = { env: {}, vars: {}, snapshot: true, ...(targetDialect ? { targetDialect } : {}) } as const;
    for (const path of [...files.keys()]) {
      if (files.get(path) === null) continue;
      for (const e of EDITS) {
        if (!e.applies(path)) continue;
        const cache = createMemoryCompileCache();
        const first = await compileProject(files, { ...options, cache });
        const snapshot = first.snapshot!;
        const needed = filesToRead(snapshot, [path]);
        if (needed === undefined) {
          declined++;
          continue;
        }
        const after = new Map(files).set(path, e.edit(files.get(path) as string));
        const result = recompileChanged(snapshot, [path], new Map(needed.map((f) => [f, after.get(f) ?? null])), { ...options, cache });
        if (result.compiled === undefined) {
          assert.ok(result.reason.length > 0);
          declined++;
          continue;
        }
        const full = await compileProject(after, { ...options, cache: createMemoryCompileCache() });
        assert.deepEqual(picture(result.compiled), picture(full), `${code} "${c.name}": ${e.name} in ${path}`);
        compared++;
      }
    }
  }
  assert.ok(compared > 100, `compared ${compared} edits (declined ${declined})`);
});

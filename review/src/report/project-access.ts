import type { CompiledProject } from "../../../engine/src/compile/types.js";
import { ownFilesOf } from "../../../engine/src/compile/compile-project.js";
import { ownersOf } from "../../../engine/src/compile/compile-incremental.js";
import type { ModelSource, RockyConfig } from "../../../engine/src/project/types.js";

/**
 * Reading a compiled project without materialising what the review does not need. A project
 * compiled from a snapshot (engine/src/compile/snapshot.ts) reads each model's loaded source
 * (config, SQL) lazily from the compile cache; its `project` lists every model's source, so the
 * first read of `project` decodes all of them. The review core reads the project's config and
 * the sources of the models a PR touched through here instead.
 */

/** The project's `rocky.toml` config (from the snapshot when there is one: no model source is decoded). */
export function projectConfig(project: CompiledProject): RockyConfig {
  return project.snapshot?.project.config ?? project.project.config;
}

/** The loaded sources of the named models (the last of a duplicated name wins, as a Map built from the list does). */
export function modelSources(project: CompiledProject, names: ReadonlySet<string>): Map<string, ModelSource> {
  const out = new Map<string, ModelSource>();
  if (names.size === 0) return out;
  const snapshot = project.snapshot;
  if (snapshot) {
    // A snapshot model's name is plain data; its source is decoded only for the wanted ones.
    for (const m of snapshot.models) if (names.has(m.name)) out.set(m.name, m.source);
    return out;
  }
  for (const m of project.project.models) if (names.has(m.name)) out.set(m.name, m);
  return out;
}

/** Names of the models made of any of the given project files (SQL, sidecar, contract), without decoding any source. */
export function modelsOwning(project: CompiledProject, files: ReadonlySet<string>): Set<string> {
  const out = new Set<string>();
  if (files.size === 0) return out;
  const snapshot = project.snapshot;
  if (snapshot) {
    for (const i of ownersOf(snapshot, [...files]).values()) out.add(snapshot.models[i].name);
    return out;
  }
  for (const m of project.project.models) if (ownFilesOf(m).some((f) => files.has(f))) out.add(m.name);
  return out;
}

import type { CompiledProject } from "../../../engine/src/compile/types.js";
import type { Diagnostic } from "../../../engine/src/diagnostics/diagnostic.js";
import { DEFAULTS_SPEC, GROUP_SPEC, ROCKY_TOML_SPEC, SIDECAR_SPEC } from "../../../engine/src/project/config-specs.js";
import type { TableSpec } from "../../../engine/src/project/toml-spec.js";
import { didYouMean } from "../../../engine/src/util/did-you-mean.js";
import { modelsOwning } from "../report/project-access.js";
import type { UncheckedClassification } from "../report/types.js";

/**
 * What a compliance verdict cannot be sure of: the configuration diagnostics that bear on masking,
 * and the models and columns they leave unchecked. A diagnostic bears on compliance when it is
 *
 * - on `rocky.toml`: the file is unreadable (R007), a syntax error cost `[mask]`, `[mask.<env>]` or
 *   `[classifications]` (its R002's key names the section it cost) or could not be salvaged at all
 *   (no key), or a key under those tables is wrong (an unknown strategy, an unset `${VAR}`, a bad
 *   type), or an unknown top-level key is a near miss of one of them (`[mak]`);
 * - on a model's sidecar or front-matter: the file is unreadable (R007), a syntax error cost its
 *   `[classification]` table or could not be salvaged, a `classification.<column>` value did not
 *   load, or an unknown key is a near miss of `classification`; so is an unreadable model file
 *   (the model, and whatever its sidecar classified, is gone);
 * - on `_defaults.toml` or a group file: a `[classification]`, `[mask]` or `[classifications]` key
 *   there (or a near miss), which classifies or masks nothing;
 * - R012: a `[classification]` key that names no column the model outputs. That key is not counted
 *   as masked: the real column is not classified.
 *
 * Anything else (a bad `[budget]`, a syntax error that cost `[freshness]`, a broken `_defaults.toml`
 * that only sets targets) leaves masking as it is, and is left to `rocky compile`.
 */
export interface ComplianceConfig {
  /** The diagnostics above, in the compile's order. */
  readonly diagnostics: readonly Diagnostic[];
  /** What they leave unchecked, by model then line. */
  readonly unchecked: readonly UncheckedClassification[];
  /** `model\u0000column` (lower-cased) of R012's keys: classified in the sidecar, but no column. */
  readonly phantom: ReadonlySet<string>;
}

const ROCKY_TOML = "rocky.toml";
const ROCKY_KEYS = ["mask", "classifications"] as const;
const MODEL_KEYS = ["classification"] as const;
const MISPLACED_KEYS = ["classification", "classifications", "mask"] as const;

export function complianceConfig(project: CompiledProject): ComplianceConfig {
  const diagnostics: Diagnostic[] = [];
  const unchecked: UncheckedClassification[] = [];
  const phantom = new Set<string>();
  const candidates: Diagnostic[] = [];
  for (const d of project.diagnostics) {
    if (d.span === undefined) continue;
    if (d.code === "R012" || (d.severity === "Error" && (d.code === "R002" || d.code === "R007"))) candidates.push(d);
  }
  if (candidates.length === 0) return { diagnostics, unchecked, phantom };
  // Which model each file belongs to, read once for all the files (a snapshot decodes no model source).
  const owners = ownerIndex(project, new Set(candidates.map((d) => (d.span as { file: string }).file)));

  for (const d of candidates) {
    const file = (d.span as { file: string; line: number }).file;
    const line = (d.span as { line: number }).line;
    if (d.code === "R012") {
      const column = columnOf(d.key);
      if (d.model === undefined || column === undefined) continue;
      diagnostics.push(d);
      phantom.add(pairKey(d.model, column));
      unchecked.push({ model: d.model, file, line, code: d.code, columns: [column.toLowerCase()], reason: `${d.model} outputs no column '${column}': not counted as masked, and the column meant is not classified` });
      continue;
    }
    if (file === ROCKY_TOML) {
      if (d.code === "R007" || bearsOn(d, ROCKY_KEYS, ROCKY_TOML_SPEC)) diagnostics.push(d);
      continue;
    }
    const owner = d.model ?? owners.get(file);
    const isDefaults = /(^|\/)_defaults\.toml$/.test(file) || /(^|\/)groups\/[^/]+\.toml$/.test(file);
    if (owner === undefined || isDefaults) {
      // `_defaults.toml` and groups cannot classify or mask: a key meant to is said, nothing is unchecked.
      if (isDefaults && d.key !== undefined && bearsOn(d, MISPLACED_KEYS, /_defaults\.toml$/.test(file) ? DEFAULTS_SPEC : GROUP_SPEC)) diagnostics.push(d);
      continue;
    }
    if (file.endsWith(".contract.toml")) continue;
    if (d.code === "R007") {
      diagnostics.push(d);
      unchecked.push({ model: owner, file, line, code: d.code, columns: [], whole_model: true, reason: "the file could not be read: what the model classifies is unknown" });
      continue;
    }
    if (!bearsOn(d, MODEL_KEYS, SIDECAR_SPEC)) continue;
    diagnostics.push(d);
    const column = d.key?.toLowerCase().startsWith("classification.") ? columnOf(d.key) : undefined;
    if (column !== undefined) {
      unchecked.push({ model: owner, file, line, code: d.code, columns: [column.toLowerCase()], reason: "its classification did not load: the column is not checked" });
    } else {
      unchecked.push({ model: owner, file, line, code: d.code, columns: [], whole_model: true, reason: "its [classification] did not load: what the model classifies is unknown" });
    }
  }
  unchecked.sort((a, b) => (a.model === b.model ? (a.line ?? 0) - (b.line ?? 0) : a.model < b.model ? -1 : 1));
  return { diagnostics, unchecked, phantom };
}

/**
 * Whether an R002 concerns one of `keys` (top-level tables): its key is under one of them, or is an
 * unknown top-level key (not in `spec`) that is a near miss of one; a syntax error with no key lost
 * the whole file (or a line whose key could not be read), so it may have cost them too.
 */
function bearsOn(d: Diagnostic, keys: readonly string[], spec: TableSpec): boolean {
  if (d.key === undefined) return d.code === "R002" && d.message.startsWith("invalid TOML");
  const first = d.key.split(".")[0].toLowerCase();
  if (keys.includes(first)) return true;
  return !(first in spec.fields) && didYouMean(first, keys) !== undefined;
}

/** `classification.email` → `email` (a column name may itself hold dots when quoted). */
function columnOf(key: string | undefined): string | undefined {
  if (key === undefined || !key.toLowerCase().startsWith("classification.")) return undefined;
  const column = key.slice("classification.".length);
  return column === "" ? undefined : column;
}

function ownerIndex(project: CompiledProject, files: ReadonlySet<string>): Map<string, string> {
  const out = new Map<string, string>();
  const names = modelsOwning(project, files);
  if (names.size === 0) return out;
  const snapshot = project.snapshot;
  if (snapshot) {
    for (const m of snapshot.models) if (names.has(m.name)) for (const f of m.ownFiles) if (files.has(f)) out.set(f, m.name);
    return out;
  }
  for (const m of project.models.values()) {
    if (!names.has(m.name)) continue;
    for (const f of [m.file, m.sidecarFile]) if (f !== undefined && files.has(f)) out.set(f, m.name);
  }
  return out;
}

/** What an unchecked entry leaves out, as its readers name it: `model (a, b)` for a whole model, else `model.a, model.b`. */
export function uncheckedSubject(u: UncheckedClassification): string {
  return u.whole_model ? `${u.model}${u.columns.length > 0 ? ` (${u.columns.join(", ")})` : ""}` : u.columns.map((c) => `${u.model}.${c}`).join(", ");
}

/** Where the diagnostic behind an unchecked entry is: `file:line`, or the file alone. */
export function uncheckedWhere(u: UncheckedClassification): string {
  return `${u.file}${u.line !== undefined ? `:${u.line}` : ""}`;
}

export function pairKey(model: string, column: string): string {
  return `${model}\u0000${column.toLowerCase()}`;
}

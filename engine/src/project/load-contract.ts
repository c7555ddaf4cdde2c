import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { parseRockyTypeName } from "../types/rocky-type-name.js";
import { didYouMean } from "../util/did-you-mean.js";
import { CONTRACT_SPEC } from "./config-specs.js";
import { type Env, type TomlDoc, checkDoc, locationOf, parseTomlDoc, reportIssue } from "./toml-file.js";
import { asBool, asString, asTable, asTables, compact } from "./toml-values.js";
import type { Contract, ContractColumn, TomlLocation } from "./types.js";

/**
 * The RockyType names a contract may use (rocky-compat.md §6.1, plus `Time` and `Interval`, which
 * the type checker accepts as extensions); matching is exact and case-sensitive.
 */
export const ROCKY_TYPE_NAMES = [
  "Boolean",
  "Int32",
  "Int64",
  "Float32",
  "Float64",
  "Decimal",
  "String",
  "Binary",
  "Date",
  "Timestamp",
  "TimestampNtz",
  "Time",
  "Interval",
  "Array",
  "Map",
  "Struct",
  "Variant",
] as const;

const SCALARS = new Set<string>(ROCKY_TYPE_NAMES);

/**
 * Undefined when `t` is a valid RockyType name (the type checker's own parser decides, so the
 * loader and E011 agree); otherwise what is wrong with it, with a did-you-mean.
 */
export function checkRockyTypeName(t: string): { problem: string; suggestion?: string } | undefined {
  if ((t.match(/</g)?.length ?? 0) > 32) return { problem: "the contract type is nested too deeply (more than 32 levels)" };
  if (parseRockyTypeName(t) !== undefined) return undefined;
  return explainTypeName(t, 0) ?? { problem: `\`${t}\` is not a RockyType name`, suggestion: `use one of ${ROCKY_TYPE_NAMES.join(", ")}` };
}

function explainTypeName(t: string, depth: number): { problem: string; suggestion?: string } | undefined {
  if (depth > 32) return { problem: "the contract type is nested too deeply (more than 32 levels)" };
  const s = t.trim();
  const m = /^([A-Za-z0-9_]+)\s*(.*)$/s.exec(s);
  if (!m) return { problem: `\`${t}\` is not a type name` };
  const [, name, rest] = m;
  if (!SCALARS.has(name)) {
    const dym = didYouMean(name, ROCKY_TYPE_NAMES);
    return { problem: `unknown contract type \`${name}\``, suggestion: dym ? `use \`${dym}${rest}\`` : `use one of ${ROCKY_TYPE_NAMES.join(", ")}` };
  }
  if (rest === "") return undefined;
  if (name === "Decimal") return /^\(\s*\d+\s*(,\s*\d+\s*)?\)$/.test(rest) ? undefined : { problem: `\`${t}\`: Decimal takes (precision) or (precision, scale)` };
  if (name === "Array" || name === "Map" || name === "Struct") {
    if (!rest.startsWith("<") || !rest.endsWith(">")) return { problem: `\`${t}\`: expected ${name}<...>` };
    const inner = splitTopLevel(rest.slice(1, -1));
    if (inner === undefined) return { problem: `\`${t}\`: unbalanced brackets` };
    if (name === "Array" && inner.length !== 1) return { problem: `\`${t}\`: Array takes one element type` };
    if (name === "Map" && inner.length !== 2) return { problem: `\`${t}\`: Map takes a key and a value type` };
    const parts = name === "Struct" ? inner.map((f) => f.replace(/^\s*[A-Za-z_][A-Za-z0-9_]*\s*:\s*/, "")) : inner;
    for (const part of parts) {
      const bad = explainTypeName(part, depth + 1);
      if (bad) return bad;
    }
    return undefined;
  }
  return { problem: `\`${t}\`: ${name} takes no parameters` };
}

function splitTopLevel(s: string): string[] | undefined {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === "<" || c === "(") depth++;
    else if (c === ">" || c === ")") depth--;
    else if (c === "," && depth === 0) {
      parts.push(s.slice(start, i));
      start = i + 1;
    }
    if (depth < 0) return undefined;
  }
  if (depth !== 0) return undefined;
  parts.push(s.slice(start));
  return parts.map((p) => p.trim());
}

/** Parse and check one `<model>.contract.toml`; undefined when it does not parse. */
export function loadContract(file: string, text: string, model: string, source: Contract["source"], env: Env, diagnostics: Diagnostic[]): Contract | undefined {
  const doc = parseTomlDoc(file, text, env, diagnostics);
  // Half a contract would check half its promises and report the rest as missing: none until it parses.
  if (!doc || doc.salvaged) return undefined;
  checkDoc(doc, CONTRACT_SPEC, diagnostics, { model });
  const columns: ContractColumn[] = [];
  asTables(doc.data.columns).forEach((c) => {
    const name = asString(c.name);
    if (name === undefined) return;
    const index = (doc.data.columns as unknown[]).indexOf(c);
    let type = asString(c.type);
    if (type !== undefined) {
      const bad = checkRockyTypeName(type);
      if (bad) {
        reportIssue(doc, { path: ["columns", index, "type"], at: "value", message: bad.problem, suggestion: bad.suggestion }, diagnostics, model);
        type = undefined;
      }
    }
    columns.push(
      compact({
        name,
        type,
        nullable: asBool(c.nullable),
        description: asString(c.description),
        location: locationOf(doc, ["columns", index, "name"]),
        typeLocation: type !== undefined ? locationOf(doc, ["columns", index, "type"]) : undefined,
        nullableLocation: asBool(c.nullable) !== undefined ? locationOf(doc, ["columns", index, "nullable"]) : undefined,
      }),
    );
  });
  const rules = asTable(doc.data.rules) ?? {};
  const required = namesWithLocations(doc, rules, "required");
  const protectedNames = namesWithLocations(doc, rules, "protected");
  return compact({
    model,
    file,
    source,
    columns,
    required: required.names,
    protected: protectedNames.names,
    requiredLocations: required.locations,
    protectedLocations: protectedNames.locations,
    noNewNullable: asBool(rules.no_new_nullable),
    noNewNullableLocation: asBool(rules.no_new_nullable) === true ? locationOf(doc, ["rules", "no_new_nullable"]) : undefined,
  });
}

/** A `[rules]` list of column names, and where each name is written (undefined for an empty list). */
function namesWithLocations(doc: TomlDoc, rules: Record<string, unknown>, key: "required" | "protected"): { names: string[]; locations?: TomlLocation[] } {
  const raw = rules[key];
  if (!Array.isArray(raw)) return { names: [] };
  const names: string[] = [];
  const locations: TomlLocation[] = [];
  raw.forEach((v, i) => {
    if (typeof v !== "string") return;
    names.push(v);
    locations.push(locationOf(doc, ["rules", key, i]));
  });
  return names.length === 0 ? { names } : { names, locations };
}

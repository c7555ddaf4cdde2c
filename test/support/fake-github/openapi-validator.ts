/**
 * Validates REST requests against GitHub's own OpenAPI description (@octokit/openapi,
 * generated/api.github.com.json only: the package's index loads every variant). The spec is
 * loaded and its components registered once per test process; each operation's body schema is
 * compiled on first use.
 */
import { createRequire } from "node:module";
import type { ValidateFunction } from "ajv";
import AjvModule from "ajv";
import addFormatsModule from "ajv-formats";

const require = createRequire(import.meta.url);

interface Operation {
  readonly operationId: string;
  readonly requestBody?: { readonly required?: boolean; readonly content?: Record<string, { readonly schema?: unknown }> };
}

interface Route {
  readonly method: string;
  readonly template: string;
  readonly pattern: RegExp;
  readonly params: readonly string[];
  readonly operation: Operation;
  readonly specificity: number;
}

export interface Validation {
  readonly ok: boolean;
  readonly operationId?: string;
  readonly template?: string;
  readonly params: Readonly<Record<string, string>>;
  readonly error?: string;
}

interface Spec {
  readonly paths: Record<string, Record<string, Operation>>;
  readonly components: Record<string, unknown> & { readonly examples: Record<string, { readonly value: unknown }> };
}

type AjvInstance = InstanceType<typeof AjvModule.default>;

let loaded: { spec: Spec; routes: Route[]; ajv: AjvInstance; compiled: Map<string, ValidateFunction> } | undefined;

function rewriteRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rewriteRefs);
  if (!node || typeof node !== "object") return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    out[key] = key === "$ref" && typeof value === "string" && value.startsWith("#/") ? `gh#${value.slice(1)}` : rewriteRefs(value);
  }
  return out;
}

function load() {
  if (loaded) return loaded;
  const spec = require("@octokit/openapi/generated/api.github.com.json") as Spec;
  const Ajv = AjvModule.default;
  const addFormats = addFormatsModule.default;
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  ajv.addSchema({ $id: "gh", components: rewriteRefs(spec.components) });
  const routes: Route[] = [];
  for (const [template, item] of Object.entries(spec.paths)) {
    const params = [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    const pattern = new RegExp(`^${template.replace(/[.]/g, "\\.").replace(/\{[^}]+\}/g, "([^/]+)")}$`);
    for (const method of ["get", "post", "put", "patch", "delete"]) {
      const operation = item[method];
      if (operation) routes.push({ method: method.toUpperCase(), template, pattern, params, operation, specificity: params.length });
    }
  }
  // Literal segments win over parameters (e.g. /issues/comments/{id} before /issues/{number}/...).
  routes.sort((a, b) => a.specificity - b.specificity);
  loaded = { spec, routes, ajv, compiled: new Map() };
  return loaded;
}

/** The spec's example for a component (e.g. "pull-request"), deep-copied. */
export function specExample<T = Record<string, unknown>>(name: string): T {
  const example = load().spec.components.examples[name];
  if (!example) throw new Error(`no example ${name} in the OpenAPI description`);
  return structuredClone(example.value) as T;
}

export function validateRequest(method: string, path: string, body: unknown): Validation {
  const { routes, ajv, compiled } = load();
  const route = routes.find((r) => r.method === method && r.pattern.test(path));
  if (!route) return { ok: false, params: {}, error: `no such operation: ${method} ${path}` };
  const match = route.pattern.exec(path) ?? [];
  const params = Object.fromEntries(route.params.map((name, i) => [name, decodeURIComponent(match[i + 1] ?? "")]));
  const base = { operationId: route.operation.operationId, template: route.template, params };
  const requestBody = route.operation.requestBody;
  if (!requestBody) return { ok: true, ...base };
  if (body === undefined && !requestBody.required) return { ok: true, ...base };
  const schema = requestBody.content?.["application/json"]?.schema;
  if (!schema) return { ok: true, ...base };
  let validate = compiled.get(route.operation.operationId);
  if (!validate) {
    validate = ajv.compile(rewriteRefs(schema) as object);
    compiled.set(route.operation.operationId, validate);
  }
  if (validate(body)) return { ok: true, ...base };
  return { ok: false, ...base, error: ajv.errorsText(validate.errors) };
}

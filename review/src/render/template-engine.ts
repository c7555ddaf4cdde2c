/**
 * A tiny logic-less template engine for the comment templates (comment-templates/*.md):
 *
 *   {{name}} {{a.b}} {{.}}          insert a value as given (the view model escapes; see README)
 *   {{#if name}} … {{else}} … {{/if}}   truthy: non-empty string/array, non-zero number, true, object
 *   {{#unless name}} … {{/unless}}
 *   {{#with obj}} … {{/with}}        names resolve on obj first (skipped when obj is falsy)
 *   {{#each list}} … {{/each}}       inside, names resolve on the item first, then outward;
 *                                   {{.}} is the item, {{@index}} its 0-based index
 *   {{> partial}}                    another template, rendered with the current scope
 *   {{! comment }}
 *
 * No expressions, no helpers, no code: all branching, sorting and formatting happen in the view
 * model. A block, comment or partial tag alone on its line takes its line with it (Mustache's standalone rule), so
 * templates can be laid out readably without leaving blank lines in the output. Unknown names
 * render as "", or throw in strict mode, which the tests use on every template and view model.
 */

type Node =
  | { readonly type: "text"; readonly value: string }
  | { readonly type: "var"; readonly name: string }
  | { readonly type: "partial"; readonly name: string }
  | { readonly type: "if" | "unless"; readonly name: string; readonly then: Node[]; readonly otherwise: Node[] }
  | { readonly type: "each" | "with"; readonly name: string; readonly body: Node[] };

export type Partials = Readonly<Record<string, string>>;

export class TemplateError extends Error {}

const TAG = /\{\{\s*([#/!>]?)\s*([^}]*?)\s*\}\}/g;

interface Token {
  readonly kind: "text" | "tag";
  readonly sigil?: string;
  readonly body?: string;
  readonly value?: string;
}

function tokenize(template: string): Token[] {
  const tokens: Token[] = [];
  let last = 0;
  for (const m of template.matchAll(TAG)) {
    const start = m.index ?? 0;
    let end = start + m[0].length;
    let textBefore = template.slice(last, start);
    const sigil = m[1];
    const body = m[2];
    const isBlock = sigil === "#" || sigil === "/" || sigil === "!" || sigil === ">" || body === "else";
    if (isBlock) {
      // Standalone: only whitespace between the previous newline (or start) and the tag, and between the tag and the next newline (or end).
      const lineStart = textBefore.lastIndexOf("\n") + 1;
      const before = textBefore.slice(lineStart);
      const nl = template.indexOf("\n", end);
      const after = template.slice(end, nl === -1 ? template.length : nl);
      const atStart = lineStart > 0 || last === 0 || template[last - 1] === "\n";
      if (/^[ \t]*$/.test(before) && /^[ \t]*\r?$/.test(after) && atStart) {
        textBefore = textBefore.slice(0, lineStart);
        end = nl === -1 ? template.length : nl + 1;
      }
    }
    if (textBefore) tokens.push({ kind: "text", value: textBefore });
    tokens.push({ kind: "tag", sigil, body });
    last = end;
  }
  if (last < template.length) tokens.push({ kind: "text", value: template.slice(last) });
  return tokens;
}

function parse(tokens: readonly Token[], name: string): Node[] {
  let i = 0;
  const block = (closing: string | undefined): { nodes: Node[]; otherwise: Node[] } => {
    const nodes: Node[] = [];
    let otherwise: Node[] | undefined;
    let target = nodes;
    while (i < tokens.length) {
      const t = tokens[i++];
      if (t.kind === "text") {
        target.push({ type: "text", value: t.value ?? "" });
        continue;
      }
      const body = t.body ?? "";
      if (t.sigil === "!") continue;
      if (t.sigil === "/") {
        if (body !== closing) throw new TemplateError(`${name}: {{/${body}}} closes ${closing ? `{{#${closing}}}` : "nothing"}`);
        return { nodes, otherwise: otherwise ?? [] };
      }
      if (t.sigil === ">") {
        target.push({ type: "partial", name: body });
        continue;
      }
      if (t.sigil === "#") {
        const [kind, arg] = body.split(/\s+/, 2);
        if (kind !== "if" && kind !== "unless" && kind !== "each" && kind !== "with") throw new TemplateError(`${name}: unknown block {{#${kind}}}`);
        if (!arg) throw new TemplateError(`${name}: {{#${kind}}} needs a name`);
        const inner = block(kind);
        if (kind === "each" || kind === "with") target.push({ type: kind, name: arg, body: inner.nodes });
        else target.push({ type: kind, name: arg, then: inner.nodes, otherwise: inner.otherwise });
        continue;
      }
      if (body === "else") {
        if (closing !== "if" && closing !== "unless") throw new TemplateError(`${name}: {{else}} outside {{#if}}`);
        otherwise = [];
        target = otherwise;
        continue;
      }
      target.push({ type: "var", name: body });
    }
    if (closing) throw new TemplateError(`${name}: {{#${closing}}} is never closed`);
    return { nodes, otherwise: otherwise ?? [] };
  };
  return block(undefined).nodes;
}

const compiled = new Map<string, Node[]>();

/** Parse once per distinct template text. Throws TemplateError on a malformed template (a bug in the template, caught by tests). */
export function compileTemplate(template: string, name = "template"): Node[] {
  const hit = compiled.get(template);
  if (hit) return hit;
  const nodes = parse(tokenize(template), name);
  compiled.set(template, nodes);
  return nodes;
}

type Scope = readonly unknown[];

function lookup(scopes: Scope, name: string): unknown {
  if (name === ".") return scopes[scopes.length - 1];
  const [head, ...rest] = name.split(".");
  for (let i = scopes.length - 1; i >= 0; i--) {
    const scope = scopes[i];
    if (scope !== null && typeof scope === "object" && head in (scope as object)) {
      let value: unknown = (scope as Record<string, unknown>)[head];
      for (const key of rest) value = value !== null && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined;
      return value;
    }
  }
  return undefined;
}

function truthy(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0;
  return Boolean(v);
}

function toText(v: unknown): string {
  if (v === undefined || v === null || v === false) return "";
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return "";
}

interface RenderState {
  readonly partials: Partials;
  /** Throw on a name that resolves to nothing (tests use it to catch template/view-model drift). */
  readonly strict: boolean;
}

function resolve(scopes: Scope, name: string, state: RenderState): unknown {
  const value = lookup(scopes, name);
  if (value === undefined && state.strict) throw new TemplateError(`{{${name}}} resolves to nothing`);
  return value;
}

function renderNodes(nodes: readonly Node[], scopes: Scope, state: RenderState, out: string[], depth: number): void {
  if (depth > 20) throw new TemplateError("partials nest more than 20 deep");
  for (const node of nodes) {
    switch (node.type) {
      case "text":
        out.push(node.value);
        break;
      case "var":
        out.push(toText(resolve(scopes, node.name, state)));
        break;
      case "partial": {
        const template = state.partials[node.name];
        if (template === undefined) throw new TemplateError(`unknown partial {{> ${node.name}}}`);
        renderNodes(compileTemplate(template, node.name), scopes, state, out, depth + 1);
        break;
      }
      case "if":
      case "unless": {
        const ok = truthy(resolve(scopes, node.name, state)) === (node.type === "if");
        renderNodes(ok ? node.then : node.otherwise, scopes, state, out, depth);
        break;
      }
      case "with": {
        const value = resolve(scopes, node.name, state);
        if (truthy(value)) renderNodes(node.body, [...scopes, value], state, out, depth);
        break;
      }
      case "each": {
        const list = resolve(scopes, node.name, state);
        if (!Array.isArray(list)) break;
        list.forEach((item, index) => renderNodes(node.body, [...scopes, { "@index": index }, item], state, out, depth));
        break;
      }
    }
  }
}

/** Render `template` with `view` (and `partials` for `{{> name}}`). `strict`: a name that resolves to nothing is a TemplateError. */
export function renderTemplate(template: string, view: unknown, partials: Partials = {}, name = "template", strict = false): string {
  const out: string[] = [];
  renderNodes(compileTemplate(template, name), [view], { partials, strict }, out, 0);
  return out.join("");
}

/**
 * Calls `visit` for every AST node (every object with a string `kind`) under `root`, parents before
 * children, in property order. Generic on purpose: the checks see every node the parser produces,
 * including kinds added later, without a walker to keep in sync. Spans are skipped. Iterative
 * (two parallel stacks, no per-node allocation), so a 4,000-term expression cannot overflow.
 */
export interface AstNode {
  readonly kind: string;
  readonly [key: string]: unknown;
}

export function visitNodes(root: unknown, visit: (node: AstNode, parent: AstNode | undefined) => void): void {
  const values: unknown[] = [root];
  const parents: (AstNode | undefined)[] = [undefined];
  while (values.length > 0) {
    const value = values.pop();
    const parent = parents.pop();
    if (value === null || typeof value !== "object") continue;
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) {
        const item = value[i];
        if (item !== null && typeof item === "object") {
          values.push(item);
          parents.push(parent);
        }
      }
      continue;
    }
    const obj = value as Record<string, unknown>;
    const node = typeof obj.kind === "string" ? (obj as AstNode) : undefined;
    if (node !== undefined) visit(node, parent);
    const owner = node ?? parent;
    const start = values.length;
    for (const k in obj) {
      const child = obj[k];
      if (child === null || typeof child !== "object" || k === "span" || k.endsWith("Span")) continue;
      values.push(child);
      parents.push(owner);
    }
    // Visit children in property order: reverse what was just pushed.
    for (let i = start, j = values.length - 1; i < j; i++, j--) {
      [values[i], values[j]] = [values[j], values[i]];
      [parents[i], parents[j]] = [parents[j], parents[i]];
    }
  }
}

/**
 * Calls `visit` for every AST node (every object with a string `kind`) under `root`, parents before
 * children, in property order. Generic on purpose: the checks see every node the parser produces,
 * including kinds added later, without a walker to keep in sync. Spans are skipped.
 */
export interface AstNode {
  readonly kind: string;
  readonly [key: string]: unknown;
}

export function visitNodes(root: unknown, visit: (node: AstNode, parent: AstNode | undefined) => void): void {
  const stack: { value: unknown; parent: AstNode | undefined }[] = [{ value: root, parent: undefined }];
  while (stack.length > 0) {
    const { value, parent } = stack.pop() as { value: unknown; parent: AstNode | undefined };
    if (value === null || typeof value !== "object") continue;
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], parent });
      continue;
    }
    const obj = value as Record<string, unknown>;
    const isNode = typeof obj.kind === "string";
    const node = isNode ? (obj as AstNode) : undefined;
    if (node) visit(node, parent);
    const keys = Object.keys(obj);
    for (let i = keys.length - 1; i >= 0; i--) {
      const k = keys[i];
      if (k === "span" || k.endsWith("Span")) continue;
      const child = obj[k];
      if (child !== null && typeof child === "object") stack.push({ value: child, parent: node ?? parent });
    }
  }
}

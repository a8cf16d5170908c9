import type { Node } from "@babel/types";

const SKIP = new Set([
  "loc",
  "start",
  "end",
  "extra",
  "leadingComments",
  "trailingComments",
  "innerComments",
  "comments",
  "tokens",
]);

/**
 * Calls `visit` on every node under `root`, parents first, with the chain of ancestors
 * (nearest last). Returning `false` skips the node's children.
 *
 * @example
 * walk(ast.program, (node, ancestors) => {
 *   if (node.type === "Identifier") names.add(node.name);
 * });
 */
export function walk(
  root: Node,
  visit: (node: Node, ancestors: readonly Node[]) => boolean | void,
): void {
  const ancestors: Node[] = [];
  const step = (node: Node): void => {
    if (visit(node, ancestors) === false) return;
    ancestors.push(node);
    for (const key of Object.keys(node)) {
      if (SKIP.has(key)) continue;
      const value = (node as unknown as Record<string, unknown>)[key];
      if (Array.isArray(value)) {
        for (const child of value) if (isNode(child)) step(child);
      } else if (isNode(value)) {
        step(value);
      }
    }
    ancestors.pop();
  };
  step(root);
}

function isNode(value: unknown): value is Node {
  return typeof value === "object" && value !== null && typeof (value as Node).type === "string";
}

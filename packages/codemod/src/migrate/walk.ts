import type { Node } from "@babel/types";
import { FUNCTION_TYPES } from "../detect/ast.js";

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

/**
 * Whether a node is a function of any kind: its body runs when called, not where it stands.
 *
 * @example
 * ancestors.some(isFunctionNode); // inside a function
 */
export function isFunctionNode(node: Node): boolean {
  return FUNCTION_TYPES.has(node.type);
}

/**
 * The name a call calls: `f` in `f(...)`, `f` in `x.f(...)`; "" for anything else.
 *
 * @example
 * calledName(call); // "readFileSync" for fs.readFileSync(path)
 */
export function calledName(call: Node): string {
  if (call.type !== "CallExpression" && call.type !== "NewExpression") return "";
  const callee = call.callee;
  if (callee.type === "Identifier") return callee.name;
  if (
    callee.type === "MemberExpression" &&
    !callee.computed &&
    callee.property.type === "Identifier"
  )
    return callee.property.name;
  return "";
}

/**
 * Whether an identifier reads a variable: not a property name, an object key, or a name a
 * declaration or destructuring pattern binds.
 *
 * @example
 * if (node.type === "Identifier" && isReference(node, ancestors)) uses.add(node.name);
 */
export function isReference(node: Node, ancestors: readonly Node[]): boolean {
  const parent = ancestors.at(-1);
  if (!parent) return false;
  if (parent.type === "MemberExpression" && parent.property === node && !parent.computed)
    return false;
  if (parent.type === "ObjectProperty" && parent.key === node && !parent.computed) return false;
  if (
    parent.type === "ObjectProperty" &&
    parent.value === node &&
    ancestors.at(-2)?.type === "ObjectPattern"
  )
    return false;
  return !(parent.type === "VariableDeclarator" && parent.id === node);
}

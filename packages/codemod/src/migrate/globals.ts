import type { Identifier, MemberExpression, Node } from "@babel/types";
import { review, type MigrateContext } from "./context.js";
import { freeName } from "./names.js";

const GLOBALS = new Set(["global", "globalThis"]);

/** One `global.x` / `globalThis.x` in the source. */
export interface GlobalUse {
  object: Identifier;
  member: MemberExpression;
  ancestors: readonly Node[];
  written: boolean;
}

/**
 * `global.x` or `globalThis.x` (the object not declared by the script), or `undefined`.
 *
 * @example
 * const use = globalUse(node, ancestors, declared);
 */
export function globalUse(
  node: MemberExpression,
  ancestors: readonly Node[],
  declared: Set<string>,
): GlobalUse | undefined {
  const object = node.object;
  if (object.type !== "Identifier" || !GLOBALS.has(object.name) || declared.has(object.name)) {
    return undefined;
  }
  const parent = ancestors.at(-1);
  const written =
    (parent?.type === "AssignmentExpression" && parent.left === node) ||
    (parent?.type === "UpdateExpression" && parent.argument === node) ||
    (parent?.type === "UnaryExpression" && parent.operator === "delete");
  return { object, member: node, ancestors: [...ancestors], written };
}

/**
 * State a script kept on the global object was fresh in every CGI process; in the server
 * it would outlive the request. When the script writes there, `global` and `globalThis`
 * become one per-request object whose prototype is the real global, so reads of built-ins
 * still work and writes stay in the request. Bare names of those properties are flagged.
 *
 * @example
 * rewriteGlobals(ctx, uses, identifiers);
 */
export function rewriteGlobals(
  ctx: MigrateContext,
  uses: GlobalUse[],
  bareNames: Map<string, { node: Node; ancestors: readonly Node[] }>,
  taken: Set<string>,
): void {
  if (!uses.some((use) => use.written)) return;
  const name = freeName(["scriptGlobal", "requestGlobal"], taken);
  ctx.globalName = name;
  const written = new Set<string>();
  for (const use of uses) {
    ctx.editor.replace(use.object.start!, use.object.end!, name);
    const property = use.member.property;
    if (use.written && !use.member.computed && property.type === "Identifier") {
      written.add(property.name);
    }
  }
  for (const property of written) {
    const bare = bareNames.get(property);
    if (!bare) continue;
    review(
      ctx,
      bare.node,
      bare.ancestors,
      "global-state",
      `${property} is read here as a global, but the script's writes to global.${property} now stay in the request's own global object (${name}): write ${name}.${property} here too.`,
    );
  }
}

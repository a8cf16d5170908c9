import type { Node } from "@babel/types";
import { review, type MigrateContext } from "./context.js";
import type { EnvUse } from "./env.js";
import { walk } from "./walk.js";

// Calls that list every variable of the object they are given.
const LISTING_METHODS = new Set(["keys", "values", "entries", "getOwnPropertyNames", "stringify"]);
const PRINTING = new Set([
  "log",
  "info",
  "debug",
  "dir",
  "table",
  "inspect",
  "format",
  "error",
  "warn",
]);

export const ENV_DUMP_MESSAGE =
  "this lists the whole environment: under CGI the process environment held what the CGI server put there besides the request's meta-variables (PATH and other variables of that server), now it holds the request's meta-variables only. Check that the page does not need the others, or print the variables it needs by name.";

/**
 * Flags scripts that print or enumerate the whole `process.env` (`console.log(process.env)`,
 * `for (k in process.env)`, `Object.keys(env)` of an alias or a copy of it): the page lists
 * what the CGI server put in the environment, which the gateway cannot know.
 *
 * @example
 * flagEnvDumps(ctx, envUses);
 */
export function flagEnvDumps(ctx: MigrateContext, uses: EnvUse[]): void {
  const aliases = new Set<string>();
  for (const use of uses) {
    if (use.keys || use.written) continue;
    if (lists(use.node, use.ancestors) && !onlyHeaders(ctx, use.ancestors)) {
      review(ctx, use.node, use.ancestors, "env-dump", ENV_DUMP_MESSAGE);
      continue;
    }
    const alias = aliasOf(use.node, use.ancestors);
    if (alias) aliases.add(alias);
  }
  if (aliases.size === 0) return;
  walk(ctx.ast.program, (node, ancestors) => {
    if (
      node.type === "Identifier" &&
      aliases.has(node.name) &&
      lists(node, ancestors) &&
      !onlyHeaders(ctx, ancestors)
    ) {
      review(ctx, node, ancestors, "env-dump", ENV_DUMP_MESSAGE);
    }
  });
}

/**
 * `Object.keys(env).filter((k) => k.startsWith("HTTP_"))` and the like: the listing keeps
 * the request's header variables only, which the gateway passes exactly as a CGI server did.
 */
function onlyHeaders(ctx: MigrateContext, ancestors: readonly Node[]): boolean {
  const member = ancestors.at(-2);
  const call = ancestors.at(-3);
  if (member?.type !== "MemberExpression" || call?.type !== "CallExpression") return false;
  if (member.property.type !== "Identifier" || member.property.name !== "filter") return false;
  const test = call.arguments[0];
  return test !== undefined && /["'/^]\^?HTTP_/.test(ctx.source.slice(test.start!, test.end!));
}

/**
 * Whether `node` is handed to something that enumerates or prints all of it.
 *
 * @example
 * lists(envNode, ancestors); // true in console.log(process.env)
 */
export function lists(node: Node, ancestors: readonly Node[]): boolean {
  const parent = ancestors.at(-1);
  if (!parent) return false;
  if (parent.type === "ForInStatement" && parent.right === node) return true;
  if (parent.type !== "CallExpression" || !parent.arguments.includes(node as never)) return false;
  const callee = parent.callee;
  if (callee.type === "MemberExpression" && callee.property.type === "Identifier") {
    const method = callee.property.name;
    if (LISTING_METHODS.has(method) || PRINTING.has(method)) return true;
  }
  return callee.type === "Identifier" && (callee.name === "inspect" || callee.name === "format");
}

/**
 * The variable that holds `process.env` or a copy of all of it: `var env = process.env`,
 * `const all = { ...process.env }`, `var ctx = Object.assign({}, process.env, more)`.
 */
function aliasOf(node: Node, ancestors: readonly Node[]): string | undefined {
  let value: Node = node;
  let at = ancestors.length - 1;
  const parent = ancestors[at];
  if (parent?.type === "SpreadElement" && ancestors[at - 1]?.type === "ObjectExpression") {
    value = ancestors[at - 1]!;
    at -= 2;
  } else if (parent?.type === "CallExpression" && isAssign(parent.callee)) {
    value = parent;
    at -= 1;
  }
  const holder = ancestors[at];
  if (
    holder?.type === "VariableDeclarator" &&
    holder.init === value &&
    holder.id.type === "Identifier"
  )
    return holder.id.name;
  if (
    holder?.type === "AssignmentExpression" &&
    holder.right === value &&
    holder.left.type === "Identifier"
  )
    return holder.left.name;
  return undefined;
}

function isAssign(callee: Node): boolean {
  return (
    callee.type === "MemberExpression" &&
    callee.property.type === "Identifier" &&
    callee.property.name === "assign"
  );
}

import type { Node } from "@babel/types";
import { checkModule, rewriteCall } from "./calls.js";
import { review, type MigrateContext } from "./context.js";
import { classifyEnv, rewriteEnv, type EnvUse } from "./env.js";
import { flagEnvDumps } from "./env-dump.js";
import { globalUse, rewriteGlobals, type GlobalUse } from "./globals.js";
import { rewriteProcessPattern } from "./process-pattern.js";
import { processMember, rewriteProcessMember } from "./process-refs.js";
import { isFunctionNode, isReference, walk } from "./walk.js";

const CGI_MEMBERS = new Set(["env", "stdout", "stderr", "stdin", "exit", "exitCode"]);

/**
 * Rewrites the request and response side of a CGI script in place (edits on
 * `ctx.editor`): `process.env`, stdin, stdout, exit, console. Returns whether the script
 * uses CGI at all.
 *
 * @example
 * const usesCgi = rewriteScript(ctx);
 */
export function rewriteScript(ctx: MigrateContext, declared: Set<string>): boolean {
  const envUses: EnvUse[] = [];
  const globalUses: GlobalUse[] = [];
  const bareNames = new Map<string, { node: Node; ancestors: readonly Node[] }>();
  let usesCgi = false;
  walk(ctx.ast.program, (node, ancestors) => {
    switch (node.type) {
      case "MemberExpression": {
        const global = globalUse(node, ancestors, declared);
        if (global) {
          globalUses.push(global);
          if (global.written) usesCgi = true;
          return;
        }
        const name = processMember(node);
        if (name === undefined) return;
        if (CGI_MEMBERS.has(name)) usesCgi = true;
        if (name === "env") {
          envUses.push(classifyEnv(node, ancestors));
          return false;
        }
        rewriteProcessMember(ctx, node, name, ancestors);
        return false;
      }
      case "Identifier":
        if (node.name === "console" && isMemberObject(node, ancestors)) {
          ctx.usedIo.add("console");
          usesCgi = true;
        } else if (node.name === "process" && bareProcess(ctx, node, ancestors)) {
          usesCgi = true;
        } else if (!bareNames.has(node.name) && isReference(node, ancestors)) {
          bareNames.set(node.name, { node, ancestors: [...ancestors] });
        }
        return;
      case "CallExpression":
        if (rewriteCall(ctx, node, ancestors)) return;
        usesCgi = true;
        return false;
      case "ImportDeclaration":
        checkModule(ctx, node.source.value, node, ancestors);
        return;
      case "AwaitExpression":
      case "ForOfStatement":
        if ((node.type === "AwaitExpression" || node.await) && !ancestors.some(isFunctionNode)) {
          ctx.topLevelAwait = true;
        }
        return;
    }
  });
  flagEnvDumps(ctx, envUses);
  rewriteEnv(ctx, envUses);
  rewriteGlobals(ctx, globalUses, bareNames, declared);
  return usesCgi;
}

/**
 * For a module that exports things (a helper, not a script): nothing is rewritten, but
 * each use of the request's process-wide state is flagged, since the module now runs in
 * the server process. Returns whether there was any.
 *
 * @example
 * if (flagLibrary(ctx)) status = "needs-review";
 */
export function flagLibrary(ctx: MigrateContext): boolean {
  let found = false;
  walk(ctx.ast.program, (node, ancestors) => {
    const name = processMember(node);
    if (name === undefined || !CGI_MEMBERS.has(name)) return;
    found = true;
    const what = name === "env" ? "reads process.env" : `uses process.${name}`;
    review(
      ctx,
      node,
      ancestors,
      "helper-module-process",
      `this module ${what} when called: under the gateway that is the server's process, not the request. Take environ (or cgiEnv(environ)) as a parameter from the application instead.`,
    );
    return false;
  });
  return found;
}

function isMemberObject(node: Node, ancestors: readonly Node[]): boolean {
  const parent = ancestors.at(-1);
  return parent?.type === "MemberExpression" && parent.object === node;
}

/** A `process` that is not `process.x`: destructured, or passed on (the request's facade). */
function bareProcess(ctx: MigrateContext, node: Node, ancestors: readonly Node[]): boolean {
  const parent = ancestors.at(-1);
  if (!parent || isMemberObject(node, ancestors)) return false;
  if (parent.type === "ImportDefaultSpecifier" || parent.type === "ImportSpecifier") return false;
  if (parent.type === "VariableDeclarator" && parent.id === node) return false;
  if (parent.type === "UnaryExpression" && parent.operator === "typeof") return false;
  if (
    parent.type === "VariableDeclarator" &&
    parent.init === node &&
    parent.id.type === "ObjectPattern" &&
    rewriteProcessPattern(ctx, parent, ancestors.slice(0, -1))
  ) {
    return true;
  }
  // Passed on whole (`cgi.init(process)`): the runtime's facade is this request's process
  // wherever it goes (env, stdio, exit), as the real one was under CGI.
  ctx.editor.replace(node.start!, node.end!, "requestProcess");
  ctx.runtimeImports.add("requestProcess");
  return true;
}

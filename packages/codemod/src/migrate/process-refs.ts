import type { CallExpression, MemberExpression, Node } from "@babel/types";
import { io, review, text, type MigrateContext } from "./context.js";

/**
 * `process.<name>` as a static member, or `undefined`.
 *
 * @example
 * processMember(memberOf("process.stdout")); // "stdout"
 */
export function processMember(node: Node): string | undefined {
  if (node.type !== "MemberExpression") return undefined;
  if (node.object.type !== "Identifier" || node.object.name !== "process") return undefined;
  if (!node.computed && node.property.type === "Identifier") return node.property.name;
  if (node.computed && node.property.type === "StringLiteral") return node.property.value;
  return undefined;
}

const LISTEN = new Set(["on", "once", "addListener", "prependListener"]);

/**
 * Rewrites `process.stdout`, `process.stderr`, `process.stdin`, `process.exit`,
 * `process.exitCode = ...`, `process.on("exit", ...)` and `process.cwd()` in a script to the
 * per-request objects of `cgiProcess`; flags the process-wide rest.
 *
 * @example
 * rewriteProcessMember(ctx, node, "stdout", ancestors);
 */
export function rewriteProcessMember(
  ctx: MigrateContext,
  node: MemberExpression,
  name: string,
  ancestors: readonly Node[],
): void {
  const parent = ancestors.at(-1);
  const call = parent?.type === "CallExpression" && parent.callee === node ? parent : undefined;
  switch (name) {
    case "stdout":
    case "stderr":
    case "stdin":
      if (name === "stdin" && parent?.type === "MemberExpression" && isFd(parent)) {
        review(
          ctx,
          node,
          ancestors,
          "stdin-fd",
          'process.stdin.fd is the server\'s descriptor, not the request body: read environ["wsgi.input"] instead.',
        );
        return;
      }
      ctx.editor.replace(node.start!, node.end!, io(ctx, name));
      return;
    case "exit":
      ctx.editor.replace(node.start!, node.end!, io(ctx, "exit"));
      return;
    case "exitCode":
      return exitCode(ctx, node, ancestors);
    case "cwd":
      if (!call) break;
      // A CGI server runs a script in its own folder: that is what cwd() returned.
      ctx.editor.replace(call.start!, call.end!, dirnameExpression(ctx));
      return;
    case "chdir":
      review(
        ctx,
        node,
        ancestors,
        "chdir",
        "process.chdir() changes the working directory of the whole server, for every request: build absolute paths instead.",
      );
      return;
    default:
      if (LISTEN.has(name) && call) return listener(ctx, node, call, ancestors);
  }
}

function isFd(member: MemberExpression): boolean {
  return !member.computed && member.property.type === "Identifier" && member.property.name === "fd";
}

function exitCode(ctx: MigrateContext, node: MemberExpression, ancestors: readonly Node[]): void {
  const parent = ancestors.at(-1);
  if (
    parent?.type === "AssignmentExpression" &&
    parent.operator === "=" &&
    parent.left === node &&
    ancestors.at(-2)?.type === "ExpressionStatement"
  ) {
    ctx.editor.replace(parent.start!, parent.right.start!, `${io(ctx, "setExitCode")}(`);
    ctx.editor.insert(parent.end!, ")");
    return;
  }
  review(
    ctx,
    node,
    ancestors,
    "exit-code",
    "process.exitCode is the server's exit code now: use setExitCode() from cgiProcess to fail this request.",
  );
}

function listener(
  ctx: MigrateContext,
  node: MemberExpression,
  call: CallExpression,
  ancestors: readonly Node[],
): void {
  const event = call.arguments[0];
  const handler = call.arguments[1];
  if (event?.type === "StringLiteral" && event.value === "exit" && handler) {
    ctx.editor.replace(call.start!, handler.start!, `${io(ctx, "onExit")}(`);
    review(
      ctx,
      node,
      ancestors,
      "exit-handler",
      "this 'exit' handler now runs when each request's script is done (after exit() or when its work is over), not when the server stops: check it relies on nothing process-wide.",
    );
    return;
  }
  if (event?.type === "StringLiteral" && event.value === "uncaughtException" && handler) {
    ctx.editor.replace(call.start!, handler.start!, `${io(ctx, "onUncaughtException")}(`);
    return;
  }
  const what = event?.type === "StringLiteral" ? `'${event.value}'` : text(ctx, event ?? node);
  review(
    ctx,
    node,
    ancestors,
    "process-handler",
    `process.${text(ctx, node.property)}(${what}, ...) installs a handler on the whole server, once per request: move it out of the application or drop it.`,
  );
}

/**
 * How the script names its own folder: `__dirname`, or `import.meta.dirname` in a module.
 *
 * @example
 * `${dirnameExpression(ctx)} + "/motd.txt"`;
 */
export function dirnameExpression(ctx: MigrateContext): string {
  return ctx.esm ? "import.meta.dirname" : "__dirname";
}

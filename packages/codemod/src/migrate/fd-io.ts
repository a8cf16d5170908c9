import type { CallExpression, Node } from "@babel/types";
import { io, review, type MigrateContext } from "./context.js";
import { fsFunction } from "./paths.js";
import { processMember } from "./process-refs.js";

/** The descriptor a call's first argument names: 0, 1, 2 or `process.stdout.fd` and the like. */
function descriptor(node: Node | undefined): number | undefined {
  if (!node) return undefined;
  if (node.type === "NumericLiteral")
    return [0, 1, 2].includes(node.value) ? node.value : undefined;
  if (node.type !== "MemberExpression" || node.computed || node.property.type !== "Identifier")
    return undefined;
  if (node.property.name !== "fd") return undefined;
  const stream = processMember(node.object);
  return stream === "stdin" ? 0 : stream === "stdout" ? 1 : stream === "stderr" ? 2 : undefined;
}

const FUNCTION = new Set(["FunctionExpression", "ArrowFunctionExpression"]);

/**
 * Descriptor-level I/O on the CGI streams, which under the gateway are the server's own:
 * `fs.writeSync(1, data)` becomes `stdout.write(data)` (and 2 `stderr`), `fs.write(1, data,
 * callback)` `stdout.write(data, callback)`, and `fs.read(0, buffer, offset, length,
 * position, callback)` the runtime's `cgiRead(environ, ...)`, the same read from the body. Other shapes are flagged. Returns whether it handled the call
 * (its arguments are still visited, so what they read is rewritten too).
 *
 * @example
 * rewriteFdCall(ctx, call, ancestors); // fs.writeSync(1, png) -> stdout.write(png)
 */
export function rewriteFdCall(
  ctx: MigrateContext,
  call: CallExpression,
  ancestors: readonly Node[],
): boolean {
  const name = fsFunction(ctx.ast.program, call);
  if (name !== "writeSync" && name !== "write" && name !== "read") return false;
  const fd = descriptor(call.arguments[0]);
  if (fd === undefined) return false;
  const [, data, third] = call.arguments;
  const statement = ancestors.at(-1)?.type === "ExpressionStatement";
  if (fd !== 0 && name !== "read" && data && data.type !== "SpreadElement") {
    const stream = io(ctx, fd === 1 ? "stdout" : "stderr");
    const plainSync = name === "writeSync" && call.arguments.length === 2 && statement;
    const callback =
      name === "write" &&
      call.arguments.length === 3 &&
      third !== undefined &&
      FUNCTION.has(third.type) &&
      (third as { params: Node[] }).params.length <= 1;
    if (plainSync || callback) {
      ctx.editor.replace(call.start!, data.start!, `${stream}.write(`);
      return true;
    }
  }
  if (fd === 0 && name === "read" && call.arguments.length === 6) {
    const [, buffer, offset, length, , done] = call.arguments;
    if ([buffer, offset, length, done].every((a) => a && a.type !== "SpreadElement")) {
      ctx.runtimeImports.add("cgiRead");
      ctx.editor.replace(call.start!, buffer!.start!, "cgiRead(environ, ");
      return true;
    }
  }
  review(
    ctx,
    call,
    ancestors,
    "fd-io",
    `fs.${name}() on descriptor ${fd} is the server's own ${["stdin", "stdout", "stderr"][fd]} under the gateway, not this request's: use ${fd === 0 ? 'environ["wsgi.input"].read()' : fd === 1 ? "stdout.write()" : "stderr.write()"} instead.`,
  );
  return true;
}

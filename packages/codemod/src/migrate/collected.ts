import type { Expression, Node, Statement } from "@babel/types";
import type { Headers } from "@cgi2wsgi/runtime";
import type { MigrateContext } from "./context.js";
import { freeName } from "./names.js";
import { chunkOf, findHead, outputOf, provablySynchronous } from "./static.js";
import { knownBytes, knownEncoding, topScope } from "./throw-free.js";
import { walk } from "./walk.js";

/**
 * A synchronous script whose header block is known before it runs but whose body is printed
 * anywhere (in loops, branches, callbacks of array methods): it becomes a plain application
 * that collects the body in an array.
 */
export interface CollectedPlan {
  status: string;
  headers: Headers;
  /** The top-level statements that print the header block. */
  head: Statement[];
  /** Body text printed by the last head statement after the blank line, if any. */
  firstChunk: string;
  /** Every statement that prints the body, with its chunk expression. */
  outputs: Array<{ statement: Statement; chunk: string }>;
}

const FUNCTION_DECLARATIONS = new Set(["FunctionDeclaration", "ObjectMethod", "ClassMethod"]);

/**
 * Decides whether a script can become a plain application that collects its body: it is
 * provably synchronous, uses no process I/O but stdout and console, prints a header block
 * from literals before anything else and its body only from statements after that block
 * (never from a function declaration, which could run earlier).
 *
 * @example
 * const plan = planCollected(ctx);
 * if (plan) applyCollected(ctx, plan, taken);
 */
export function planCollected(ctx: MigrateContext): CollectedPlan | undefined {
  if (ctx.topLevelAwait || [...ctx.usedIo].some((n) => n !== "stdout" && n !== "console")) {
    return undefined;
  }
  const statements = ctx.ast.program.body;
  const found = findHead(statements);
  if (!found) return undefined;
  const head = new Set<Node>(found.head);
  const after = new Set<Node>(statements.slice(found.end + 1));
  const scope = topScope(ctx.ast.program);
  const callees = new Set<Node>();
  const outputs: CollectedPlan["outputs"] = [];
  let ok = true;
  walk(ctx.ast.program, (node, ancestors) => {
    if (!ok) return false;
    const out = node.type === "ExpressionStatement" ? outputOf(node) : undefined;
    if (!out) return undefined;
    callees.add(out.call.callee);
    if (head.has(node)) return false;
    // Printed after the header block, from code that cannot run before it.
    const top = ancestors[1] ?? node;
    if (!after.has(top) || ancestors.some((a) => FUNCTION_DECLARATIONS.has(a.type))) ok = false;
    // process.stdout.write throws for anything but text or bytes; a chunk would not.
    const [first, encoding] = out.call.arguments as Expression[];
    if (out.kind === "write") {
      if (!first || !knownBytes(first, scope, node.start!)) ok = false;
      if (encoding && !knownEncoding(encoding)) ok = false;
    }
    const chunk = ok ? chunkOf(ctx, out) : undefined;
    if (chunk === undefined) ok = false;
    else outputs.push({ statement: node as Statement, chunk });
    return false;
  });
  if (!ok || !provablySynchronous(ctx, callees)) return undefined;
  return {
    status: found.parsed.status,
    headers: found.parsed.headers,
    head: found.head,
    firstChunk: found.parsed.body.toString("utf8"),
    outputs,
  };
}

/**
 * Rewrites a {@link planCollected} script: the header block becomes `start_response(...)`,
 * each body output a push onto an array that the application returns. A throw after the
 * header block keeps what was printed before it, with the error on `wsgi.errors`, as the
 * CGI server sent the page up to the crash; before it, the error answers 500.
 *
 * @example
 * const { before, after } = applyCollected(ctx, plan, taken);
 */
export function applyCollected(
  ctx: MigrateContext,
  plan: CollectedPlan,
  taken: Set<string>,
): { before: string; after: string } {
  const { editor } = ctx;
  const chunks = freeName(["chunks", "bodyChunks", "output"], taken);
  const started = freeName(["started", "headersStarted"], taken);
  const error = freeName(["error", "failure"], taken);
  const headers = plan.headers.map(([n, v]) => `[${JSON.stringify(n)}, ${JSON.stringify(v)}]`);
  const first = plan.firstChunk ? `\n${chunks}.push(${JSON.stringify(plan.firstChunk)});` : "";
  const start = `start_response(${JSON.stringify(plan.status)}, [${headers.join(", ")}]);\n${started} = true;${first}`;
  plan.head.forEach((statement, index) => {
    const last = index === plan.head.length - 1;
    editor.replaceWhole(statement.start!, statement.end!, last ? start : "");
  });
  for (const { statement, chunk } of plan.outputs) {
    editor.replaceWhole(statement.start!, statement.end!, `${chunks}.push(${chunk});`);
  }
  const type = ctx.typescript ? ": Array<string | Uint8Array>" : "";
  return {
    before: `const ${chunks}${type} = [];\nlet ${started} = false;\ntry {\n`,
    after:
      `} catch (${error}) {\nif (!${started}) throw ${error};\n` +
      `environ["wsgi.errors"].write(format(${error}) + "\\n");\n}\nreturn ${chunks};`,
  };
}

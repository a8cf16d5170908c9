import type {
  CallExpression,
  Expression,
  ExpressionStatement,
  Node,
  Statement,
} from "@babel/types";
import type { Headers } from "@cgi2wsgi/runtime";
import { text, type MigrateContext } from "./context.js";
import { freeName } from "./names.js";
import { chunkOf, findHead, outputOf, provablySynchronous } from "./static.js";
import { stdinEvents, type StdinEvents } from "./stdin-events.js";
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
  /** How it reads the request body, if it does. */
  events: StdinEvents | undefined;
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
  const statements = ctx.ast.program.body;
  const events = ctx.usedIo.has("stdin") ? stdinEvents(statements, ctx.ast.program) : undefined;
  const allowed = new Set(events ? ["stdout", "console", "stdin"] : ["stdout", "console"]);
  if (ctx.topLevelAwait || [...ctx.usedIo].some((n) => !allowed.has(n))) return undefined;
  // With stdin events the page is printed by the 'end' listener, after all the rest.
  const body = events ? events.end.body : undefined;
  const main = events ? (body?.type === "BlockStatement" ? body.body : undefined) : statements;
  if (!main) return undefined;
  const found = findHead(main);
  if (!found) return undefined;
  const head = new Set<Node>(found.head);
  const after = new Set<Node>(main.slice(found.end + 1));
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
    const top = [...ancestors, node].find((a) => main.includes(a as Statement));
    if (!top || !after.has(top) || ancestors.some((a) => FUNCTION_DECLARATIONS.has(a.type))) {
      ok = false;
    }
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
  if (!ok || !provablySynchronous(ctx, callees, events?.exempt)) return undefined;
  return {
    events,
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
      (plan.events ? deliver(ctx, plan.events, taken) : "") +
      `} catch (${error}) {\nif (!${started}) throw ${error};\n` +
      `environ["wsgi.errors"].write(format(${error}) + "\\n");\n}\nreturn ${chunks};`,
  };
}

// The listeners become named functions where they were registered; after the top-level
// code they get what the stream would have emitted: the body, then its end.
function deliver(ctx: MigrateContext, events: StdinEvents, taken: Set<string>): string {
  const { editor } = ctx;
  const data: string[] = [];
  let end = "";
  for (const statement of events.statements) {
    const call = (statement as ExpressionStatement).expression as CallExpression;
    const listener = call.arguments[1];
    if (!listener) {
      editor.replaceWhole(statement.start!, statement.end!, "");
      continue;
    }
    const name = freeName([listener === events.end ? "onEnd" : "onData"], taken);
    taken.add(name);
    if (listener === events.end) end = name;
    else data.push(name);
    editor.replaceWhole(statement.start!, listener.start!, `const ${name} = `);
    editor.replaceWhole(listener.end!, statement.end!, ";");
  }
  const input = freeName(["input", "requestBody"], taken);
  const decode = events.encoding ? `.toString(${text(ctx, events.encoding)})` : "";
  const calls = data.map((name) => `${name}(${input});`).join("\n");
  return (
    `const ${input} = environ["wsgi.input"].read()${decode};\n` +
    `if (${input}.length > 0) {\n${calls}\n}\n${end}();\n`
  );
}

import type { CallExpression, Expression, Node, Statement } from "@babel/types";
import { CgiOutputError, parseCgiResponse, type Headers } from "@cgi2wsgi/runtime";
import type { MigrateContext } from "./context.js";
import { processMember } from "./process-refs.js";
import { knownBytes, knownEncoding, throwFree, topScope } from "./throw-free.js";
import { walk } from "./walk.js";

/** A script whose response head is known before it runs: it becomes a plain application. */
export interface StaticPlan {
  status: string;
  headers: Headers;
  /** The top-level statements that print the header block. */
  head: Statement[];
  /** Body text printed by the last head statement after the blank line, if any. */
  firstChunk: string;
  /** The top-level statements that print the body, in order, with their chunk expressions. */
  body: Array<{ statement: Statement; chunk: string }>;
  /** Some chunk needs `util.format`. */
  usesFormat: boolean;
}

// Callbacks given to these run before the call returns, so output order stays provable.
const SYNC_METHODS = new Set([
  "map",
  "filter",
  "forEach",
  "reduce",
  "reduceRight",
  "some",
  "every",
  "find",
  "findIndex",
  "findLast",
  "findLastIndex",
  "flatMap",
  "sort",
  "toSorted",
  "replace",
  "replaceAll",
  "from",
  "keys",
  "values",
  "entries",
  "stringify",
  "parse",
]);
const ASYNC_NAMES = new Set([
  "setTimeout",
  "setInterval",
  "setImmediate",
  "queueMicrotask",
  "Promise",
  "nextTick",
  "then",
  "on",
  "once",
  "pipe",
  "addListener",
  "readFile",
]);
const FUNCTIONS = new Set(["FunctionExpression", "ArrowFunctionExpression"]);

/** An output call: `console.log(...)` or `process.stdout.write(...)`. */
export type Output = { kind: "log" | "write"; call: CallExpression };

/** `console.log(...)` or `process.stdout.write(...)` as a whole statement. */
export function outputOf(statement: Node): Output | undefined {
  if (statement.type !== "ExpressionStatement") return undefined;
  const call = statement.expression;
  if (call.type !== "CallExpression" || call.callee.type !== "MemberExpression") return undefined;
  const callee = call.callee;
  if (callee.computed || callee.property.type !== "Identifier") return undefined;
  const method = callee.property.name;
  const object = callee.object;
  if (object.type === "Identifier" && object.name === "console" && method === "log") {
    return { kind: "log", call };
  }
  if (processMember(object) === "stdout" && method === "write") return { kind: "write", call };
  return undefined;
}

/**
 * Decides whether a script can become a plain `start_response(...)` plus returned chunks:
 * all its output is printed by top-level statements, synchronously, the header block first
 * and from literals only; nothing exits, reads stdin as a stream or schedules work.
 *
 * @example
 * const plan = planStatic(ctx);
 * if (plan) applyStatic(ctx, plan);
 */
export function planStatic(ctx: MigrateContext): StaticPlan | undefined {
  if (ctx.topLevelAwait || [...ctx.usedIo].some((n) => n !== "stdout" && n !== "console")) {
    return undefined;
  }
  const statements = ctx.ast.program.body;
  const outputs = new Set<Node>();
  for (const s of statements) {
    const out = outputOf(s);
    if (out) outputs.add(out.call.callee);
  }
  if (!provablySynchronous(ctx, outputs)) return undefined;
  const found = findHead(statements);
  if (!found) return undefined;
  const { head, end: i, parsed } = found;
  const body: StaticPlan["body"] = [];
  let usesFormat = false;
  const scope = topScope(ctx.ast.program);
  // Only output follows the header block, and none of it can throw: a CGI client would get
  // the page up to a throw where a plain application, which computes its chunks after
  // start_response, answers 500. What cannot be shown so runs under cgiProcess instead.
  for (const statement of statements.slice(i + 1)) {
    const out = outputOf(statement);
    if (!out) {
      if (statement.type !== "FunctionDeclaration") return undefined;
      continue;
    }
    const at = statement.start!;
    if (!out.call.arguments.every((arg) => throwFree(arg, scope, at))) return undefined;
    // process.stdout.write throws for anything but a string or bytes, or a bad encoding
    // (spread arguments were refused just above).
    const [first, encoding] = out.call.arguments as Expression[];
    if (out.kind === "write") {
      if (!first || !knownBytes(first, scope, at)) return undefined;
      if (encoding && !knownEncoding(encoding)) return undefined;
    }
    const chunk = chunkOf(ctx, out);
    if (chunk === undefined) return undefined;
    usesFormat ||= needsFormat(out);
    body.push({ statement, chunk });
  }
  return {
    status: parsed.status,
    headers: parsed.headers,
    head,
    firstChunk: parsed.body.toString("utf8"),
    body,
    usesFormat,
  };
}

/** The header block a script prints first, from literals, and where it ends. */
export interface Head {
  /** The top-level statements that print it. */
  head: Statement[];
  /** Index of the last of them in the program body. */
  end: number;
  parsed: { status: string; headers: Headers; body: Buffer };
}

/**
 * Finds the top-level output statements, literals only, that print a complete header block
 * one after another (function declarations may come between them), and parses it.
 *
 * @example
 * const found = findHead(ctx.ast.program.body);
 */
export function findHead(statements: Statement[]): Head | undefined {
  let text = "";
  const head: Statement[] = [];
  let i = 0;
  for (; i < statements.length; i++) {
    const out = outputOf(statements[i]!);
    if (!out) {
      // Code between two lines of the header block could throw: CGI would then answer 502
      // for the cut-off block where the application, not yet started, answers 500.
      if (head.length > 0 && statements[i]!.type !== "FunctionDeclaration") return undefined;
      continue;
    }
    const literal = literalOutput(out);
    if (literal === undefined) return undefined;
    head.push(statements[i]!);
    text += literal;
    if (/\r?\n\r?\n/.test(text)) break;
  }
  if (i === statements.length) return undefined;
  try {
    return { head, end: i, parsed: parseCgiResponse(Buffer.from(text, "utf8")) };
  } catch (error) {
    if (error instanceof CgiOutputError) return undefined;
    throw error;
  }
}

/**
 * No code of the script can run after it returns; `outputs` are the output callees allowed,
 * `exempt` nodes that another check has shown to run in order (their children are checked).
 */
export function provablySynchronous(
  ctx: MigrateContext,
  outputs: Set<Node>,
  exempt: Set<Node> = new Set(),
): boolean {
  let ok = true;
  walk(ctx.ast.program, (node, ancestors) => {
    if (!ok) return false;
    if (exempt.has(node)) return undefined;
    const parent = ancestors.at(-1);
    if (node.type === "MemberExpression") {
      const member = processMember(node);
      if (member === "stdout" && !(parent && outputs.has(parent))) ok = false;
      if (
        node.object.type === "Identifier" &&
        node.object.name === "console" &&
        !outputs.has(node)
      ) {
        ok = false;
      }
    } else if (node.type === "Identifier" && ASYNC_NAMES.has(node.name)) {
      ok = false;
    } else if (node.type === "AwaitExpression" || node.type === "YieldExpression") {
      ok = false;
    } else if ("async" in node && node.async === true) {
      ok = false;
    } else if (
      node.type === "ReturnStatement" &&
      !ancestors.some((a) => a.type.includes("Function") || a.type.endsWith("Method"))
    ) {
      ok = false;
    } else if (
      FUNCTIONS.has(node.type) &&
      parent?.type === "CallExpression" &&
      parent.callee !== node
    ) {
      const callee = parent.callee;
      const name =
        callee.type === "MemberExpression" && callee.property.type === "Identifier"
          ? callee.property.name
          : undefined;
      if (!name || !SYNC_METHODS.has(name)) ok = false;
    }
    return ok ? undefined : false;
  });
  return ok;
}

function literalString(node: Node | undefined): string | undefined {
  if (node?.type === "StringLiteral") return node.value;
  if (node?.type === "TemplateLiteral" && node.expressions.length === 0) {
    return node.quasis[0]!.value.cooked ?? undefined;
  }
  return undefined;
}

/** The text an output call prints, when its arguments are literals. */
export function literalOutput(out: Output): string | undefined {
  const args = out.call.arguments;
  if (out.kind === "log") {
    if (args.length === 0) return "\n";
    const value = args.length === 1 ? literalString(args[0]) : undefined;
    return value === undefined ? undefined : `${value}\n`;
  }
  return args.length === 1 ? literalString(args[0]) : undefined;
}

/** Whether an expression is surely a string, so `console.log` prints it as it is. */
function isString(node: Expression): boolean {
  if (node.type === "StringLiteral" || node.type === "TemplateLiteral") return true;
  if (node.type === "BinaryExpression" && node.operator === "+") {
    return isString(node.left as Expression) || isString(node.right);
  }
  return false;
}

/** `expr` followed by a newline, merged into its last string literal when it ends with one. */
function withNewline(ctx: MigrateContext, node: Expression): string {
  const last = node.type === "BinaryExpression" ? node.right : node;
  if (last.type === "StringLiteral" && !ctx.editor.covered(last.start!, last.end!)) {
    return ctx.editor.slice(node.start!, last.start!) + JSON.stringify(`${last.value}\n`);
  }
  return `${ctx.editor.slice(node.start!, node.end!)} + "\\n"`;
}

/** Whether {@link chunkOf} prints this call through `util.format`. */
export function needsFormat(out: Output): boolean {
  const args = out.call.arguments;
  return (
    out.kind === "log" && args.length > 0 && !(args.length === 1 && isString(args[0] as Expression))
  );
}

/** The expression of the chunk an output call prints, as source text. */
export function chunkOf(ctx: MigrateContext, out: Output): string | undefined {
  const args = out.call.arguments;
  if (args.some((a) => a.type === "SpreadElement" || a.type === "ArgumentPlaceholder")) {
    return undefined;
  }
  const src = (node: Node): string => ctx.editor.slice(node.start!, node.end!);
  if (out.kind === "write") {
    if (args.length === 1) return src(args[0]!);
    const encoding = args[1];
    if (args.length === 2 && encoding && literalString(encoding) !== undefined) {
      return `Buffer.from(${src(args[0]!)}, ${src(encoding)})`;
    }
    return undefined;
  }
  if (args.length === 0) return '"\\n"';
  if (args.length === 1 && isString(args[0] as Expression))
    return withNewline(ctx, args[0] as Expression);
  return `format(${args.map(src).join(", ")}) + "\\n"`;
}

/**
 * Rewrites the output statements of a {@link planStatic} script: the header block becomes
 * one `start_response(...)` call, the body becomes returned chunks.
 *
 * @example
 * const returnStatement = applyStatic(ctx, plan);
 */
export function applyStatic(ctx: MigrateContext, plan: StaticPlan): string {
  const { editor } = ctx;
  const headers = plan.headers.map(([n, v]) => `[${JSON.stringify(n)}, ${JSON.stringify(v)}]`);
  const start = `start_response(${JSON.stringify(plan.status)}, [${headers.join(", ")}]);`;
  plan.head.forEach((statement, index) => {
    const last = index === plan.head.length - 1;
    editor.replaceWhole(statement.start!, statement.end!, last ? start : "");
  });
  const chunks = plan.firstChunk ? [JSON.stringify(plan.firstChunk)] : [];
  for (const { statement, chunk } of plan.body) {
    chunks.push(chunk);
    editor.replaceWhole(statement.start!, statement.end!, "");
  }
  return `return [${chunks.join(", ")}];`;
}

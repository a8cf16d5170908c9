import type {
  ArrowFunctionExpression,
  Expression,
  FunctionExpression,
  Node,
  Statement,
} from "@babel/types";
import { processMember } from "./process-refs.js";
import { knownEncoding } from "./throw-free.js";
import { walk } from "./walk.js";

type Listener = ArrowFunctionExpression | FunctionExpression;

/**
 * A script that reads its body the usual way, `process.stdin.on("data")` and `on("end")`
 * registered at the top level. A CGI server gives the whole body at once, so those events
 * come, in order, right after the top-level code: the 'data' listeners with the body (when
 * it is not empty), then the 'end' listeners.
 */
export interface StdinEvents {
  /** The literal of `process.stdin.setEncoding(...)`, if called. */
  encoding: Expression | undefined;
  /** The statements registering the listeners and setting the encoding. */
  statements: Statement[];
  data: Listener[];
  /** The one 'end' listener, where the response is printed. */
  end: Listener;
  /** Nodes that would look asynchronous to a walk but are the events above. */
  exempt: Set<Node>;
}

const LISTEN = new Set(["on", "once", "addListener"]);

/**
 * Recognises {@link StdinEvents}: every use of `process.stdin` is one of those top-level
 * statements, the listeners are function expressions (not using `this`), and there is at
 * least one 'data' listener (without one the stream never flows and 'end' never comes).
 *
 * @example
 * const events = stdinEvents(ctx.ast.program.body, ctx.ast.program);
 */
export function stdinEvents(statements: Statement[], program: Node): StdinEvents | undefined {
  const found: StdinEvents = {
    encoding: undefined,
    statements: [],
    data: [],
    end: undefined as unknown as Listener,
    exempt: new Set(),
  };
  const ends: Listener[] = [];
  const members = new Set<Node>();
  for (const statement of statements) {
    if (statement.type !== "ExpressionStatement") continue;
    const call = statement.expression;
    if (call.type !== "CallExpression" || call.callee.type !== "MemberExpression") continue;
    const { object, property } = call.callee;
    if (processMember(object) !== "stdin" || property.type !== "Identifier") continue;
    const [first, second] = call.arguments;
    if (property.name === "setEncoding" && call.arguments.length === 1 && knownEncoding(first)) {
      found.encoding = first as Expression;
    } else if (LISTEN.has(property.name) && call.arguments.length === 2 && isListener(second)) {
      const event = first?.type === "StringLiteral" ? first.value : undefined;
      if (event === "data") found.data.push(second);
      else if (event === "end") ends.push(second);
      else return undefined;
      found.exempt.add(property).add(second);
    } else {
      return undefined;
    }
    members.add(object);
    found.statements.push(statement);
  }
  if (found.data.length === 0 || ends.length !== 1) return undefined;
  found.end = ends[0]!;
  // Any other mention of stdin (destructured, passed on, read in a listener) is not this.
  let other = false;
  walk(program, (node) => {
    if (other) return false;
    if (node.type === "MemberExpression" && members.has(node)) return false;
    if (node.type === "Identifier" && node.name === "stdin") other = true;
    if (node.type === "StringLiteral" && node.value === "stdin") other = true;
    return undefined;
  });
  return other ? undefined : found;
}

function isListener(node: Node | undefined): node is Listener {
  if (node?.type === "ArrowFunctionExpression") return !node.async;
  if (node?.type !== "FunctionExpression" || node.async || node.generator) return false;
  let usesThis = false;
  walk(node.body, (child) => {
    if (child.type === "FunctionExpression" || child.type === "FunctionDeclaration") return false;
    if (child.type === "ThisExpression") usesThis = true;
    return undefined;
  });
  return !usesThis;
}

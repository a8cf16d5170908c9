import type { Node, Program } from "@babel/types";
import { review, type MigrateContext } from "./context.js";
import { calledName, isFunctionNode, walk } from "./walk.js";

const LOOPS = new Set([
  "WhileStatement",
  "DoWhileStatement",
  "ForStatement",
  "ForInStatement",
  "ForOfStatement",
]);

/** `true`, `1`, `!0`, or no test at all (`for (;;)`). */
function alwaysTrue(test: Node | null | undefined): boolean {
  if (!test) return true;
  if (test.type === "BooleanLiteral") return test.value;
  if (test.type === "NumericLiteral") return test.value !== 0;
  return (
    test.type === "UnaryExpression" &&
    test.operator === "!" &&
    test.argument.type === "NumericLiteral" &&
    test.argument.value === 0
  );
}

/** A way out of `loop`: a break that leaves it, a return, a throw, an exit call, an await. */
function hasWayOut(loop: Node, label: string | undefined): { out: boolean; waits: boolean } {
  let out = false;
  let waits = false;
  const body = (loop as { body: Node }).body;
  walk(body, (node, ancestors) => {
    if (out) return false;
    if (isFunctionNode(node)) return false;
    switch (node.type) {
      case "ReturnStatement":
      case "ThrowStatement":
        out = true;
        return false;
      case "BreakStatement": {
        if (node.label) out ||= node.label.name === label;
        // An unlabelled break leaves the innermost loop or switch: this one if none between.
        else out ||= !ancestors.some((a) => LOOPS.has(a.type) || a.type === "SwitchStatement");
        return false;
      }
      case "AwaitExpression":
      case "YieldExpression":
        waits = true;
        return undefined;
      case "CallExpression":
        if (/exit/i.test(calledName(node))) out = true;
        return undefined;
      default:
        return undefined;
    }
  });
  return { out, waits };
}

/**
 * The loops of a program that cannot end: an always-true test (`while (true)`, `for (;;)`)
 * and no break out of them, return, throw, or exit call in their body; `waits` when the
 * body awaits (it then holds its request, not the whole process).
 *
 * @example
 * endlessLoops(program); // [{ node: <for (;;) {...}>, ancestors, waits: false }]
 */
export function endlessLoops(
  program: Program,
): Array<{ node: Node; ancestors: readonly Node[]; waits: boolean }> {
  const found: Array<{ node: Node; ancestors: readonly Node[]; waits: boolean }> = [];
  walk(program, (node, ancestors) => {
    if (
      node.type !== "WhileStatement" &&
      node.type !== "DoWhileStatement" &&
      node.type !== "ForStatement"
    )
      return;
    if (!alwaysTrue(node.test)) return;
    const parent = ancestors.at(-1);
    const label = parent?.type === "LabeledStatement" ? parent.label.name : undefined;
    const { out, waits } = hasWayOut(node, label);
    if (!out) found.push({ node, ancestors: [...ancestors], waits });
  });
  return found;
}

/**
 * The message for a loop that cannot end: under CGI the server killed such a script at its
 * timeout; in the gateway a loop that never waits holds the whole process, and one that
 * awaits holds its request until the runtime's timeout.
 *
 * @example
 * review(ctx, loop.node, loop.ancestors, "endless-loop", endlessMessage(loop.waits));
 */
export function endlessMessage(waits: boolean): string {
  return waits
    ? "this loop has no break, return, throw or exit: under CGI the server killed the script at its timeout; in the gateway the request stays open until the runtime's timeout (cgiProcess timeoutMs). Check it ends, or give it a way out."
    : "this loop has no break, return, throw or exit and never waits: under CGI the server killed the script at its timeout; in the gateway it holds the whole process, every request it serves, until the worker is killed. Check it ends, or give it a way out.";
}

/**
 * Flags each loop of the script that cannot end (see {@link endlessLoops}).
 *
 * @example
 * flagEndlessLoops(ctx, ctx.ast.program);
 */
export function flagEndlessLoops(ctx: MigrateContext, program: Program): void {
  for (const loop of endlessLoops(program)) {
    review(ctx, loop.node, loop.ancestors, "endless-loop", endlessMessage(loop.waits));
  }
}

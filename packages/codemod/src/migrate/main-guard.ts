import type { Expression, IfStatement, Statement } from "@babel/types";
import { review, type MigrateContext } from "./context.js";

function isRequireMain(node: Expression): boolean {
  return (
    node.type === "MemberExpression" &&
    !node.computed &&
    node.object.type === "Identifier" &&
    node.object.name === "require" &&
    node.property.type === "Identifier" &&
    node.property.name === "main"
  );
}

function isModule(node: Expression): boolean {
  return node.type === "Identifier" && node.name === "module";
}

/**
 * The top-level `if (require.main === module) { ... }` of a "runnable module": a script
 * that also exports its parts for other modules. Only a guard without `else` counts.
 *
 * @example
 * const guard = mainGuard(ast.program.body);
 */
export function mainGuard(body: Statement[]): IfStatement | undefined {
  for (const statement of body) {
    if (statement.type !== "IfStatement" || statement.alternate) continue;
    const test = statement.test;
    if (test.type !== "BinaryExpression" || !["===", "=="].includes(test.operator)) continue;
    const left = test.left as Expression;
    if (
      (isRequireMain(left) && isModule(test.right)) ||
      (isModule(left) && isRequireMain(test.right))
    ) {
      return statement;
    }
  }
  return undefined;
}

/**
 * Under the gateway every request is the script "started directly": the guard's body runs
 * unconditionally. The module's exports are now set when a request runs, which is flagged.
 *
 * @example
 * unwrapMainGuard(ctx, guard, exportStatements);
 */
export function unwrapMainGuard(
  ctx: MigrateContext,
  guard: IfStatement,
  exported: Statement[],
): void {
  const consequent = guard.consequent;
  if (consequent.type === "BlockStatement" && consequent.body.length > 0) {
    ctx.editor.replace(guard.start!, consequent.body[0]!.start!, "");
    ctx.editor.replace(consequent.body.at(-1)!.end!, guard.end!, "");
  } else if (consequent.type !== "BlockStatement") {
    ctx.editor.replace(guard.start!, consequent.start!, "");
  }
  for (const statement of exported) {
    review(
      ctx,
      statement,
      [ctx.ast.program],
      "script-exports",
      "this script also exports for other modules; those exports are now set only when a request runs: move what they need into a module of its own.",
    );
  }
}

import type { Node, Program } from "@babel/types";
import { walk } from "./walk.js";

const MODULE_NAMES = new Set(["module", "exports", "require", "__dirname", "__filename"]);

/**
 * The names a sloppy-mode script assigns without declaring them anywhere (`values =
 * qs.parse(body)`): implicit globals, one per process under CGI, one for the whole server
 * once the script runs in it. Strict code (ES modules, "use strict") has none: there such
 * an assignment throws, in both.
 *
 * @example
 * implicitGlobals(ast.program, declaredNames(ast.program)); // ["values"]
 */
export function implicitGlobals(
  program: Program,
  declared: Set<string>,
): Array<{ name: string; node: Node }> {
  if (
    program.sourceType === "module" ||
    program.directives.some((d) => d.value.value === "use strict")
  )
    return [];
  const found = new Map<string, Node>();
  const take = (node: Node | null | undefined) => {
    if (node?.type !== "Identifier") return;
    const name = node.name;
    if (declared.has(name) || MODULE_NAMES.has(name) || name in globalThis || found.has(name))
      return;
    found.set(name, node);
  };
  walk(program, (node) => {
    if (node.type === "AssignmentExpression") take(node.left);
    else if (node.type === "UpdateExpression") take(node.argument);
    else if (node.type === "ForInStatement" || node.type === "ForOfStatement") take(node.left);
    return undefined;
  });
  return [...found].map(([name, node]) => ({ name, node }));
}

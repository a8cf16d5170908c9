import type { Node, Program } from "@babel/types";
import { walk } from "./walk.js";

/**
 * Every name the source declares anywhere (variables, functions, classes, parameters,
 * imports, catch clauses), so the names migrate adds never capture or shadow one.
 *
 * @example
 * declaredNames(ast.program).has("stdout");
 */
export function declaredNames(program: Program): Set<string> {
  const names = new Set<string>();
  const pattern = (node: Node | null | undefined): void => {
    if (!node) return;
    switch (node.type) {
      case "Identifier":
        names.add(node.name);
        break;
      case "ObjectPattern":
        for (const prop of node.properties) {
          pattern(prop.type === "RestElement" ? prop.argument : (prop.value as Node));
        }
        break;
      case "ArrayPattern":
        for (const element of node.elements) pattern(element);
        break;
      case "AssignmentPattern":
        pattern(node.left);
        break;
      case "RestElement":
        pattern(node.argument);
        break;
      case "TSParameterProperty":
        pattern(node.parameter);
        break;
    }
  };
  walk(program, (node) => {
    switch (node.type) {
      case "VariableDeclarator":
        pattern(node.id);
        break;
      case "FunctionDeclaration":
      case "FunctionExpression":
      case "ArrowFunctionExpression":
      case "ObjectMethod":
      case "ClassMethod":
        if ("id" in node && node.id) pattern(node.id);
        for (const param of node.params) pattern(param);
        break;
      case "ClassDeclaration":
      case "ClassExpression":
        pattern(node.id);
        break;
      case "ImportSpecifier":
      case "ImportDefaultSpecifier":
      case "ImportNamespaceSpecifier":
        names.add(node.local.name);
        break;
      case "CatchClause":
        pattern(node.param);
        break;
    }
  });
  return names;
}

/**
 * The first of `candidates` the source does not declare, else the last with a number.
 *
 * @example
 * freeName(["stdout", "cgiStdout"], new Set(["stdout"])); // "cgiStdout"
 */
export function freeName(candidates: readonly string[], taken: Set<string>): string {
  const free = candidates.find((name) => !taken.has(name));
  if (free) return free;
  const last = candidates.at(-1)!;
  let name = `${last}2`;
  for (let n = 3; taken.has(name); n++) name = `${last}${n}`;
  return name;
}

/**
 * Names to try for a per-request object: its own, then `cgi`-prefixed.
 *
 * @example
 * candidates("stdout"); // ["stdout", "cgiStdout"]
 */
export function candidates(base: string): string[] {
  return [base, `cgi${base[0]!.toUpperCase()}${base.slice(1)}`];
}

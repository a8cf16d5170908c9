import type { Node, ObjectPattern, VariableDeclarator } from "@babel/types";
import { io, type IoName, type MigrateContext } from "./context.js";

const IO_KEYS = new Set<string>(["stdout", "stderr", "stdin", "exit"]);

/**
 * Rewrites `const { env, stdout, argv } = process` (simple keys, optional renames): `env`
 * becomes a per-request `cgiEnv(environ)`, stdout/stderr/stdin/exit the per-request objects,
 * other keys stay read from `process`. Returns `false` when the pattern is not that simple.
 *
 * @example
 * if (!rewriteProcessPattern(ctx, declarator, ancestors)) review(...);
 */
export function rewriteProcessPattern(
  ctx: MigrateContext,
  declarator: VariableDeclarator,
  ancestors: readonly Node[],
): boolean {
  const pattern = declarator.id as ObjectPattern;
  const declaration = ancestors.at(-1);
  if (ctx.typescript || declaration?.type !== "VariableDeclaration") return false;
  const parts: string[] = [];
  const rest: string[] = [];
  for (const prop of pattern.properties) {
    if (prop.type !== "ObjectProperty" || prop.computed || prop.key.type !== "Identifier") {
      return false;
    }
    if (prop.value.type !== "Identifier") return false;
    const key = prop.key.name;
    const local = prop.value.name;
    if (key === "env") {
      ctx.runtimeImports.add("cgiEnv");
      parts.push(`${local} = cgiEnv(environ)`);
    } else if (IO_KEYS.has(key)) {
      const name = io(ctx, key as IoName);
      if (local !== name) parts.push(`${local} = ${name}`);
    } else {
      rest.push(local === key ? key : `${key}: ${local}`);
    }
  }
  if (rest.length > 0) parts.push(`{ ${rest.join(", ")} } = process`);
  if (parts.length === 0) {
    if (declaration.declarations.length !== 1) return false;
    ctx.editor.replace(declaration.start!, declaration.end!, "");
    return true;
  }
  ctx.editor.replace(declarator.start!, declarator.end!, parts.join(", "));
  return true;
}

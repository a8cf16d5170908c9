import type { MemberExpression, Node } from "@babel/types";
import { TYPED_CGI_KEYS } from "@cgi2wsgi/runtime";
import { metaStrength } from "../detect/meta-variables.js";
import { review, type MigrateContext } from "./context.js";
import { isFunctionNode } from "./walk.js";

/** RFC 3875 meta-variables and the ones front servers add: the detector's own list. */
const isMeta = (key: string): boolean => metaStrength(key) !== "none";

/** Keys the runtime's `Environ` type declares as strings, so TypeScript output type-checks. */
const TYPED = new Set<string>(TYPED_CGI_KEYS);

/** One `process.env` in the source and how it is used. */
export interface EnvUse {
  node: MemberExpression;
  ancestors: readonly Node[];
  /** Keys read statically (`process.env.X`, `['X']`, destructuring), or `undefined` when the object itself is used. */
  keys: string[] | undefined;
  /** Written to: `process.env.X = ...`, `delete`, `++`. */
  written: boolean;
  /** The static key of a member access, read or written. */
  key: string | undefined;
}

/**
 * Classifies one `process.env` member expression (`node`) by its parent.
 *
 * @example
 * uses.push(classifyEnv(node, ancestors));
 */
export function classifyEnv(node: MemberExpression, ancestors: readonly Node[]): EnvUse {
  const parent = ancestors.at(-1);
  const grand = ancestors.at(-2);
  const base = { node, ancestors: [...ancestors], written: false, key: undefined };
  if (parent?.type === "MemberExpression" && parent.object === node) {
    const key = staticKey(parent);
    const written =
      (grand?.type === "AssignmentExpression" && grand.left === parent) ||
      grand?.type === "UpdateExpression" ||
      (grand?.type === "UnaryExpression" && grand.operator === "delete");
    return { ...base, keys: key !== undefined && !written ? [key] : undefined, written, key };
  }
  if (parent?.type === "VariableDeclarator" && parent.init === node) {
    if (parent.id.type === "ObjectPattern") {
      const keys: string[] = [];
      for (const prop of parent.id.properties) {
        if (prop.type !== "ObjectProperty" || prop.computed) return { ...base, keys: undefined };
        if (prop.key.type === "Identifier") keys.push(prop.key.name);
        else if (prop.key.type === "StringLiteral") keys.push(prop.key.value);
        else return { ...base, keys: undefined };
      }
      return { ...base, keys };
    }
  }
  return { ...base, keys: undefined };
}

const LOOPS = new Set([
  "ForStatement",
  "ForInStatement",
  "ForOfStatement",
  "WhileStatement",
  "DoWhileStatement",
]);

function repeats(node: Node): boolean {
  return isFunctionNode(node) || LOOPS.has(node.type);
}

function staticKey(member: MemberExpression): string | undefined {
  if (!member.computed && member.property.type === "Identifier") return member.property.name;
  if (member.computed && member.property.type === "StringLiteral") return member.property.value;
  return undefined;
}

/**
 * Rewrites every `process.env` of a script. Reads of request meta-variables become
 * `environ.X`; anything else (writes, computed keys, aliases, `Object.keys`) goes through
 * one per-request copy, `cgiEnv(environ)`, so the script can still write to it without
 * touching the server's environment. Names that are not meta-variables were server
 * configuration under CGI: they are flagged.
 *
 * @example
 * rewriteEnv(ctx, uses);
 */
export function rewriteEnv(ctx: MigrateContext, uses: EnvUse[]): void {
  if (uses.length === 0) return;
  const known = ctx.typescript ? (key: string) => TYPED.has(key) : isMeta;
  const direct = (key: string): boolean => known(key) || /^HTTP_[A-Z0-9_]+$/.test(key);
  const needsView = uses.some((use) => !use.keys || !use.keys.every(direct));
  flagConfiguration(ctx, uses);
  if (!needsView) {
    for (const use of uses) ctx.editor.replace(use.node.start!, use.node.end!, "environ");
    return;
  }
  ctx.runtimeImports.add("cgiEnv");
  const only = uses[0]!;
  // One use of the whole object, run once (an alias, an argument): the copy can go there.
  if (uses.length === 1 && !only.keys && !only.written && !only.ancestors.some(repeats)) {
    ctx.editor.replace(only.node.start!, only.node.end!, "cgiEnv(environ)");
    return;
  }
  ctx.envDeclared = true;
  for (const use of uses) ctx.editor.replace(use.node.start!, use.node.end!, ctx.envName);
}

/**
 * Flags each variable that is not a request meta-variable once, where the script first
 * reads it; one the script sets itself before any read is its own, not configuration.
 */
function flagConfiguration(ctx: MigrateContext, uses: EnvUse[]): void {
  const seen = new Set<string>();
  for (const use of uses) {
    for (const key of use.keys ?? (use.key ? [use.key] : [])) {
      if (seen.has(key)) continue;
      seen.add(key);
      if (use.written || isMeta(key) || /^(HTTP|SSL)_/.test(key)) continue;
      review(
        ctx,
        use.node,
        use.ancestors,
        "config-env",
        `${key} is not a CGI meta-variable: under CGI it came from the web server's configuration; it is now read from the request environ, so make sure the front server passes it (or read it once from the server's process.env).`,
      );
    }
  }
}

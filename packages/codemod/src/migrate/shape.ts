import type { Expression, File, Node, Statement } from "@babel/types";
import { walk } from "./walk.js";

/** What kind of file a source is, before anything is rewritten. */
export interface ModuleShape {
  /** It already exports an `application` (migrate's own output, or hand-written). */
  migrated: boolean;
  /** It exports something: a helper module, not a script. */
  exports: boolean;
  /** It uses `import`/`export` syntax. */
  esmSyntax: boolean;
  /** It calls `require(...)`. */
  requires: boolean;
}

function isExportsTarget(node: Node): boolean {
  if (node.type === "Identifier") return node.name === "exports";
  if (node.type !== "MemberExpression") return false;
  if (node.object.type === "Identifier" && node.object.name === "module") {
    return (
      !node.computed && node.property.type === "Identifier" && node.property.name === "exports"
    );
  }
  return isExportsTarget(node.object);
}

function namesApplication(target: Node): boolean {
  return (
    target.type === "MemberExpression" &&
    !target.computed &&
    target.property.type === "Identifier" &&
    target.property.name === "application" &&
    isExportsTarget(target.object)
  );
}

/**
 * Reads the module kind and whether a file is a script, a helper module or already an
 * application.
 *
 * @example
 * const shape = moduleShape(ast);
 * if (shape.migrated) return { status: "unchanged" };
 */
export function moduleShape(ast: File): ModuleShape {
  const shape: ModuleShape = { migrated: false, exports: false, esmSyntax: false, requires: false };
  for (const statement of ast.program.body) {
    if (statement.type.startsWith("Export") || statement.type === "ImportDeclaration") {
      shape.esmSyntax = true;
    }
    if (statement.type.startsWith("Export") && !isTypeOnlyExport(statement)) shape.exports = true;
    if (exportsApplication(statement)) shape.migrated = true;
  }
  walk(ast.program, (node) => {
    if (node.type === "AssignmentExpression" && isExportsTarget(node.left)) {
      shape.exports = true;
      if (namesApplication(node.left)) shape.migrated = true;
    }
    if (
      node.type === "CallExpression" &&
      node.callee.type === "Identifier" &&
      node.callee.name === "require"
    ) {
      shape.requires = true;
    }
  });
  return shape;
}

function isTypeOnlyExport(statement: Statement): boolean {
  return (
    isEmptyExport(statement) ||
    (statement.type === "ExportNamedDeclaration" && statement.exportKind === "type") ||
    (statement.type === "ExportNamedDeclaration" &&
      (statement.declaration?.type === "TSInterfaceDeclaration" ||
        statement.declaration?.type === "TSTypeAliasDeclaration"))
  );
}

function exportsApplication(statement: Statement): boolean {
  if (statement.type === "ExportDefaultDeclaration") return true;
  if (statement.type !== "ExportNamedDeclaration") return false;
  const declaration = statement.declaration;
  if (declaration?.type === "FunctionDeclaration") return declaration.id?.name === "application";
  if (declaration?.type === "VariableDeclaration") {
    return declaration.declarations.some(
      (d) => d.id.type === "Identifier" && d.id.name === "application",
    );
  }
  return statement.specifiers.some(
    (s) => s.exported.type === "Identifier" && s.exported.name === "application",
  );
}

/**
 * Whether an expression is `require("x")`, possibly with member accesses after it.
 *
 * @example
 * isRequire(declarator.init); // true for require("child_process").execSync
 */
export function isRequire(node: Expression | null | undefined): boolean {
  if (!node) return false;
  if (node.type === "MemberExpression") return isRequire(node.object as Expression);
  return (
    node.type === "CallExpression" &&
    node.callee.type === "Identifier" &&
    node.callee.name === "require" &&
    node.arguments.length === 1 &&
    node.arguments[0]!.type === "StringLiteral"
  );
}

/**
 * `export {};`: TypeScript scripts write it to be modules; it exports nothing.
 *
 * @example
 * isEmptyExport(ast.program.body.at(-1)!);
 */
export function isEmptyExport(statement: Statement): boolean {
  return (
    statement.type === "ExportNamedDeclaration" &&
    !statement.declaration &&
    !statement.source &&
    statement.specifiers.length === 0
  );
}

/**
 * Whether a top-level statement assigns `module.exports` or `exports.x`.
 *
 * @example
 * ast.program.body.filter(assignsExports);
 */
export function assignsExports(statement: Statement): boolean {
  return (
    statement.type === "ExpressionStatement" &&
    statement.expression.type === "AssignmentExpression" &&
    isExportsTarget(statement.expression.left)
  );
}

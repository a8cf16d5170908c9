import type { ParserOptions, ParserPlugin } from "@babel/parser";
import { parse } from "../babel-parser.js";

/** A position as Babel reports it: 1-based line, 0-based column. */
export interface Position {
  line: number;
  column: number;
}

/**
 * The part of a Babel AST node the detector relies on. The detector reads a handful of node
 * shapes, so it narrows by `type` and reads fields through the helpers below instead of
 * depending on the whole @babel/types union.
 */
export interface AstNode {
  type: string;
  loc?: { start: Position; end: Position } | null;
  [field: string]: unknown;
}

/** A comment of the parsed file. */
export interface AstComment {
  type: "CommentLine" | "CommentBlock";
  value: string;
  loc?: { start: Position; end: Position } | null;
}

/** The parse result: the program and every comment. */
export interface ParsedFile {
  program: AstNode;
  comments: AstComment[];
}

/**
 * Parses JavaScript or TypeScript with the plugins its extension calls for. CommonJS and ES
 * modules both parse: the source type is inferred, and a top-level `return` (valid in
 * CommonJS) is allowed. Throws Babel's SyntaxError (with `loc`) on invalid code.
 *
 * @example
 * const { program } = parseSource("const a = 1;", "a.js");
 */
export function parseSource(code: string, filename: string): ParsedFile {
  const ts = /\.[cm]?tsx?$/.test(filename);
  const jsxByName = /x$/.test(filename);
  const options = (plugins: ParserPlugin[]): ParserOptions => ({
    sourceType: /\.c[jt]s$/.test(filename)
      ? "script"
      : /\.m[jt]s$/.test(filename)
        ? "module"
        : "unambiguous",
    allowReturnOutsideFunction: true,
    allowAwaitOutsideFunction: true,
    allowImportExportEverywhere: true,
    allowUndeclaredExports: true,
    attachComment: false,
    plugins,
  });
  let file;
  if (ts) {
    file = parse(code, options(jsxByName ? ["typescript", "jsx"] : ["typescript"]));
  } else if (jsxByName) {
    file = parse(code, options(["jsx"]));
  } else {
    // The JSX plugin slows the tokenizer down by about half, and CGI scripts hold no JSX:
    // plain JavaScript first, JSX only when that fails (React code in a .js file).
    try {
      file = parse(code, options([]));
    } catch (error) {
      try {
        file = parse(code, options(["jsx"]));
      } catch {
        throw error;
      }
    }
  }
  return {
    program: file.program as unknown as AstNode,
    comments: (file.comments ?? []) as unknown as AstComment[],
  };
}

// Child fields of the most frequent node types (as @babel/types' VISITOR_KEYS lists them),
// so the walk reads a few fields instead of enumerating every property; other types are
// enumerated generically.
const FUNCTION_KEYS = ["id", "typeParameters", "params", "predicate", "returnType", "body"];
const CALL_KEYS = ["callee", "typeParameters", "typeArguments", "arguments"];
const CHILD_KEYS: Record<string, readonly string[]> = {
  Identifier: ["typeAnnotation", "decorators"],
  StringLiteral: [],
  NumericLiteral: [],
  BooleanLiteral: [],
  NullLiteral: [],
  RegExpLiteral: [],
  ThisExpression: [],
  TemplateElement: [],
  MemberExpression: ["object", "property"],
  OptionalMemberExpression: ["object", "property"],
  CallExpression: CALL_KEYS,
  OptionalCallExpression: CALL_KEYS,
  NewExpression: CALL_KEYS,
  ExpressionStatement: ["expression"],
  BinaryExpression: ["left", "right"],
  LogicalExpression: ["left", "right"],
  AssignmentExpression: ["left", "right"],
  VariableDeclaration: ["declarations"],
  VariableDeclarator: ["id", "init"],
  BlockStatement: ["directives", "body"],
  ReturnStatement: ["argument"],
  IfStatement: ["test", "consequent", "alternate"],
  ConditionalExpression: ["test", "consequent", "alternate"],
  ObjectExpression: ["properties"],
  ObjectProperty: ["key", "value", "decorators"],
  ArrayExpression: ["elements"],
  TemplateLiteral: ["quasis", "expressions"],
  UnaryExpression: ["argument"],
  UpdateExpression: ["argument"],
  SpreadElement: ["argument"],
  AwaitExpression: ["argument"],
  ArrowFunctionExpression: ["typeParameters", "params", "predicate", "returnType", "body"],
  FunctionExpression: FUNCTION_KEYS,
  FunctionDeclaration: FUNCTION_KEYS,
};

/**
 * Visits every node depth-first in source order, with its parent and the parent's field
 * that holds it. Children of unlisted node types are found generically (any field holding
 * a node or an array of nodes), so new syntax never hides a subtree.
 *
 * @example
 * walk(program, (node) => { if (node.type === "CallExpression") calls++; });
 */
export function walk(
  root: AstNode,
  enter: (node: AstNode, parent: AstNode | null, key: string) => void,
): void {
  const visitField = (node: AstNode, field: string): void => {
    const value = node[field];
    if (typeof value !== "object" || value === null) return;
    if (Array.isArray(value)) {
      for (const item of value) {
        if (typeof item === "object" && item !== null && typeof item.type === "string") {
          visit(item as AstNode, node, field);
        }
      }
    } else if (typeof (value as AstNode).type === "string") {
      visit(value as AstNode, node, field);
    }
  };
  const visit = (node: AstNode, parent: AstNode | null, key: string): void => {
    enter(node, parent, key);
    const keys = CHILD_KEYS[node.type];
    if (keys) {
      for (const field of keys) visitField(node, field);
    } else {
      for (const field in node) if (field !== "loc") visitField(node, field);
    }
  };
  visit(root, null, "");
}

/**
 * Tells a node from any other value of a node's fields.
 *
 * @example
 * isNode({ type: "Identifier", name: "x" }); // true
 */
export function isNode(value: unknown): value is AstNode {
  return typeof value === "object" && value !== null && typeof (value as AstNode).type === "string";
}

/**
 * The child node in `field`, if there is one.
 *
 * @example
 * child(call, "callee")?.type; // "MemberExpression"
 */
export function child(node: AstNode, field: string): AstNode | undefined {
  const value = node[field];
  return isNode(value) ? value : undefined;
}

/**
 * The child nodes in a list `field` (arguments, params, body), holes left out.
 *
 * @example
 * children(call, "arguments").length;
 */
export function children(node: AstNode, field: string): AstNode[] {
  const value = node[field];
  return Array.isArray(value) ? value.filter(isNode) : [];
}

/**
 * The name of an Identifier node, or undefined for anything else.
 *
 * @example
 * identifierName(call.callee); // "require"
 */
export function identifierName(node: AstNode | undefined): string | undefined {
  return node?.type === "Identifier" ? (node.name as string) : undefined;
}

/**
 * The static value of a string literal (or a template literal without placeholders).
 *
 * @example
 * stringValue(node); // "QUERY_STRING" for 'QUERY_STRING'
 */
export function stringValue(node: AstNode | undefined): string | undefined {
  if (node?.type === "StringLiteral") return node.value as string;
  if (node?.type === "TemplateLiteral" && children(node, "expressions").length === 0) {
    return (children(node, "quasis")[0]?.value as { cooked?: string } | undefined)?.cooked;
  }
  return undefined;
}

/**
 * The statically known property name of a member expression (`a.b`, `a["b"]`), if any.
 *
 * @example
 * propertyName(node); // "env" for process.env
 */
export function propertyName(member: AstNode): string | undefined {
  const property = child(member, "property");
  return member.computed ? stringValue(property) : identifierName(property);
}

/**
 * True for `a.b`, `a?.b` and `a["b"]` forms.
 *
 * @example
 * isMember(node) && propertyName(node) === "env";
 */
export function isMember(node: AstNode | null | undefined): node is AstNode {
  return node?.type === "MemberExpression" || node?.type === "OptionalMemberExpression";
}

/**
 * True for `process.<name>` (also `process["name"]`, `globalThis.process.name`).
 *
 * @example
 * isProcessMember(node, "env"); // true for process.env
 */
export function isProcessMember(node: AstNode | undefined, name: string): boolean {
  if (!isMember(node) || propertyName(node) !== name) return false;
  const object = child(node, "object");
  if (identifierName(object) === "process") return true;
  return (
    isMember(object) &&
    propertyName(object) === "process" &&
    identifierName(child(object, "object")) === "globalThis"
  );
}

/**
 * The node types of functions of every kind, whose bodies run when called rather than where
 * they stand; the detector and migrate's walker both stop or skip at them.
 */
export const FUNCTION_TYPES: ReadonlySet<string> = new Set([
  "FunctionDeclaration",
  "FunctionExpression",
  "ArrowFunctionExpression",
  "ObjectMethod",
  "ClassMethod",
  "ClassPrivateMethod",
]);

import type { Expression, Node, Program, Statement } from "@babel/types";
import { ENV_DUMP_MESSAGE, lists } from "./env-dump.js";
import { pathArguments } from "./paths.js";
import { metaStrength } from "../detect/meta-variables.js";
import { implicitGlobals } from "./implicit-globals.js";
import { endlessLoops, endlessMessage } from "./loops.js";
import { declaredNames } from "./names.js";
import { isRequire } from "./shape.js";
import { processMember } from "./process-refs.js";
import { calledName, isFunctionNode, isReference, walk } from "./walk.js";

/** Something about a helper module that can make a migrated site answer differently. */
export interface HelperProblem {
  /** Where it is: a statement of the module's top level. */
  node: Node;
  rule:
    | "helper-load-time"
    | "helper-module-state"
    | "helper-implicit-global"
    | "helper-stdin-file"
    | "env-dump"
    | "config-env"
    | "endless-loop";
  message: string;
}

/** What migrate needs to know about a helper module (a file the script loads). */
export interface HelperFacts {
  /** It names `process` (env, stdio, exit...): it gets the per-request facade. */
  process: boolean;
  /** It names `console`: it gets the per-request facade. */
  console: boolean;
  /** It already has the facades (migrate's own output). */
  migrated: boolean;
  problems: HelperProblem[];
  /** The local modules it loads in turn (`./x`, `../lib/y.js`). */
  locals: string[];
  /** It hands fs paths that depend on the working directory (see pathArguments). */
  relativePaths: boolean;
}

type TopLevel = Map<string, { statement: Statement; container: boolean; reassignable: boolean }>;

const MUTATORS = new Set([
  ...["push", "pop", "shift", "unshift", "splice", "sort", "reverse", "fill", "copyWithin"],
  ...["set", "add", "delete", "clear", "assign", "defineProperty"],
]);
// Calls that only read the value they are given.
const READERS = new Set(["stringify", "keys", "values", "entries", "isArray", "String", "Number"]);

/**
 * Reads a helper module for what can differ once it is loaded once by a long-lived server
 * instead of once per CGI process: code that runs when it is loaded (it ran per request
 * under CGI, now once per server, and outside any request), module-level bindings its
 * functions change (they now last across requests), and reads of the stdin file. What
 * only runs when called, and reads `process`/`console`, is made per request by the
 * runtime's facades instead, so it raises nothing; nor does a top level of requires,
 * constants, and function and class declarations.
 *
 * @example
 * const facts = helperFacts(parseSource(code, "lib/cgi.js").program);
 * facts.problems; // [] for a cgi.js class that parses process.env when constructed
 */
export function helperFacts(program: Program): HelperFacts {
  const facts: HelperFacts = {
    process: false,
    console: false,
    migrated: false,
    problems: [],
    locals: [],
    relativePaths: false,
  };
  const topLevel: TopLevel = new Map();
  functions.clear();
  for (const statement of program.body) {
    if (importsFacade(statement)) facts.migrated = true;
    const loadTime = loadTimeCode(statement, topLevel);
    if (loadTime) {
      facts.problems.push({
        node: statement,
        rule: "helper-load-time",
        message: `this module runs code when it is first loaded (line ${loadTime.loc?.start.line}): under CGI that ran in every request's process, under the gateway it runs once for the whole server and outside any request, so it sees the server's process.env and stdout, unless the script loads this module with freshRequire (migrate does so for CommonJS scripts). Check it reads nothing of the request and prints nothing, or move it into a function the script calls.`,
      });
    }
  }
  const mutated = new Set<string>();
  walk(program, (node, ancestors) => {
    if (node.type === "Identifier") {
      if (node.name === "process" && isReference(node, ancestors)) facts.process = true;
      if (node.name === "console" && isReference(node, ancestors)) facts.console = true;
      const binding = topLevel.get(node.name);
      if (binding && ancestors.some(isFunctionNode) && !shadowed(node.name, ancestors)) {
        if (changes(node, ancestors, binding)) mutated.add(node.name);
      }
    }
    const config = configRead(node, ancestors);
    if (config) {
      facts.problems.push({
        node: ancestors[1] ?? node,
        rule: "config-env",
        message: `${config} is not a CGI meta-variable: under CGI it came from the web server's configuration, and this module now reads it from the request (through requestProcess), so make sure the front server passes it, or read it once from the server's process.env at load.`,
      });
    }
    if (processMember(node) === "env" && lists(node, ancestors)) {
      facts.problems.push({
        node: ancestors[1] ?? node,
        rule: "env-dump",
        message: ENV_DUMP_MESSAGE,
      });
    }
    if (node.type === "CallExpression" && pathArguments(program, node).length > 0)
      facts.relativePaths = true;
    if (node.type === "CallExpression" && isStdinFileRead(node)) {
      facts.problems.push({
        node: ancestors[1] ?? node,
        rule: "helper-stdin-file",
        message:
          "this reads the stdin file, which under the gateway is the server's own stdin, not the request body: read the body with process.stdin (the request's) or take environ[\"wsgi.input\"] from the application.",
      });
    }
    const local = localSpecifier(node);
    if (local) facts.locals.push(local);
  });
  for (const global of implicitGlobals(program, declaredNames(program))) {
    facts.problems.push({
      node:
        program.body.find((st) => st.start! <= global.node.start! && global.node.end! <= st.end!) ??
        global.node,
      rule: "helper-implicit-global",
      message: `${global.name} is assigned without being declared: a global of the whole server under the gateway, kept across requests and shared by every script, where under CGI each request's process had its own. Declare it where it is used.`,
    });
  }
  for (const loop of endlessLoops(program)) {
    facts.problems.push({
      node: loop.ancestors[1] ?? loop.node,
      rule: "endless-loop",
      message: endlessMessage(loop.waits),
    });
  }
  for (const name of mutated) {
    facts.problems.push({
      node: topLevel.get(name)!.statement,
      rule: "helper-module-state",
      message: `${name} is module-level state that this module's functions change: under CGI it started fresh in every request's process, under the gateway it is kept across requests, unless the script loads this module with freshRequire (migrate does so for CommonJS scripts). Reset it per request (create it inside the function the script calls) or check that keeping it is harmless.`,
    });
  }
  return facts;
}

// `const { requestProcess: process } = require("@cgi2wsgi/runtime")` or its import.
function importsFacade(statement: Statement): boolean {
  if (statement.type === "ImportDeclaration") return statement.source.value === "@cgi2wsgi/runtime";
  return (
    statement.type === "VariableDeclaration" &&
    statement.declarations.some(
      (d) =>
        d.init?.type === "CallExpression" &&
        isRequire(d.init) &&
        d.init.arguments[0]?.type === "StringLiteral" &&
        d.init.arguments[0].value === "@cgi2wsgi/runtime",
    )
  );
}

/** The first node of a top-level statement that runs code on load, recording its bindings. */
function loadTimeCode(
  statement: Statement,
  topLevel: TopLevel,
  top: Statement = statement,
): Node | undefined {
  switch (statement.type) {
    case "FunctionDeclaration":
      if (statement.id) functions.add(statement.id.name);
      return undefined;
    case "ImportDeclaration":
    case "EmptyStatement":
    case "TSInterfaceDeclaration":
    case "TSTypeAliasDeclaration":
    case "TSDeclareFunction":
    case "ExportAllDeclaration":
      return undefined;
    case "ClassDeclaration":
      if (statement.id) functions.add(statement.id.name);
      return statement.body.body.find((m) => "static" in m && m.static && !inertMember(m));
    case "VariableDeclaration":
      for (const d of statement.declarations) {
        if (d.init && !inert(d.init)) return d.init;
        for (const name of boundNames(d.id)) {
          topLevel.set(name, {
            statement: top,
            container: !d.init || isContainer(d.init),
            reassignable: statement.kind !== "const",
          });
        }
      }
      return undefined;
    case "ExportNamedDeclaration":
      return statement.declaration
        ? loadTimeCode(statement.declaration, topLevel, statement)
        : undefined;
    case "ExportDefaultDeclaration": {
      const d = statement.declaration;
      return d.type.endsWith("Declaration") || inert(d as Expression) ? undefined : d;
    }
    case "ExpressionStatement": {
      const e = statement.expression;
      if (e.type === "StringLiteral") return undefined; // a directive Babel left in the body
      if (e.type === "AssignmentExpression" && isExportsTarget(e.left) && inert(e.right))
        return undefined;
      // `Cgi.prototype.header = function () {...}`, `util.inherits(Cgi, Base)`: definitions,
      // the same on every load.
      if (e.type === "AssignmentExpression" && e.operator === "=" && inert(e.right)) {
        const root = rootName(e.left);
        if (root && functions.has(root)) return undefined;
      }
      if (isInherits(e)) return undefined;
      return e;
    }
    default:
      return statement;
  }
}

// Top-level functions and classes, whose properties (prototype methods) a module defines.
// Reset per file by helperFacts.
const functions = new Set<string>();

function rootName(node: Node): string | undefined {
  if (node.type !== "MemberExpression") return undefined;
  let object: Node = node.object;
  while (object.type === "MemberExpression") object = object.object;
  return object.type === "Identifier" ? object.name : undefined;
}

function isInherits(e: Node): boolean {
  if (e.type !== "CallExpression") return false;
  const name = calledName(e);
  return (
    (name === "inherits" || name === "setPrototypeOf") &&
    e.arguments.every((a) => a.type === "Identifier" || a.type === "MemberExpression")
  );
}

function inertMember(member: Node): boolean {
  if (member.type === "ClassMethod" || member.type === "ClassPrivateMethod") return true;
  if (member.type === "ClassProperty" || member.type === "ClassPrivateProperty")
    return !member.value || inert(member.value);
  return false;
}

/** An expression whose evaluation can do nothing observable (and reads no request). */
function inert(node: Node): boolean {
  switch (node.type) {
    case "StringLiteral":
    case "NumericLiteral":
    case "BooleanLiteral":
    case "NullLiteral":
    case "RegExpLiteral":
    case "BigIntLiteral":
    case "Identifier":
    case "FunctionExpression":
    case "ArrowFunctionExpression":
    case "ClassExpression":
      return node.type !== "Identifier" || node.name !== "process";
    case "TemplateLiteral":
      return node.expressions.every(inert);
    case "ArrayExpression":
      return node.elements.every((e) => e === null || inert(e));
    case "ObjectExpression":
      return node.properties.every(
        (p) =>
          p.type === "ObjectMethod" ||
          (p.type === "ObjectProperty" && (!p.computed || inert(p.key)) && inert(p.value)),
      );
    case "UnaryExpression":
      return node.operator !== "delete" && inert(node.argument);
    case "BinaryExpression":
    case "LogicalExpression":
      return inert(node.left) && inert(node.right);
    case "ConditionalExpression":
      return inert(node.test) && inert(node.consequent) && inert(node.alternate);
    case "MemberExpression":
      return processMember(node) === undefined && inert(node.object);
    case "NewExpression":
      return (
        node.callee.type === "Identifier" &&
        ["Map", "Set", "WeakMap", "Array", "Object", "RegExp"].includes(node.callee.name) &&
        node.arguments.every(inert)
      );
    case "CallExpression":
      return (
        (isRequire(node) || pureCall(node)) &&
        node.arguments.every((a) => a.type !== "SpreadElement" && inert(a))
      );
    case "TSAsExpression":
    case "TSSatisfiesExpression":
    case "TSNonNullExpression":
    case "ParenthesizedExpression":
      return inert(node.expression);
    default:
      return false;
  }
}

// path.join/resolve/dirname of constants, Object.freeze, Symbol: computed the same each time.
function pureCall(call: Node): boolean {
  if (call.type !== "CallExpression") return false;
  const callee = call.callee;
  if (callee.type === "Identifier") return callee.name === "Symbol" || callee.name === "String";
  if (callee.type !== "MemberExpression" || callee.computed) return false;
  if (callee.object.type !== "Identifier" || callee.property.type !== "Identifier") return false;
  const [object, method] = [callee.object.name, callee.property.name];
  if (object === "path")
    return ["join", "dirname", "basename", "extname", "normalize"].includes(method);
  if (object === "Object") return method === "freeze";
  return false;
}

function isContainer(init: Expression): boolean {
  return ["ArrayExpression", "ObjectExpression", "NewExpression"].includes(init.type);
}

/** Whether this reference to a top-level binding changes it (or what it holds). */
function changes(
  node: Node,
  ancestors: readonly Node[],
  binding: { container: boolean; reassignable: boolean },
): boolean {
  const parent = ancestors.at(-1);
  if (!parent) return false;
  if (parent.type === "AssignmentExpression" && parent.left === node) return binding.reassignable;
  if (parent.type === "UpdateExpression") return binding.reassignable;
  if (!binding.container) return false;
  // x.a = 1, x.a.b++, delete x[k], x.push(1), Object.assign(x, ...), f(x)
  let at = ancestors.length - 1;
  let child: Node = node;
  while (
    ancestors[at]?.type === "MemberExpression" &&
    (ancestors[at] as { object: Node }).object === child
  ) {
    child = ancestors[at]!;
    at--;
  }
  const outer = ancestors[at];
  if (!outer) return false;
  if (child !== node) {
    if (outer.type === "AssignmentExpression" && outer.left === child) return true;
    if (outer.type === "UpdateExpression") return true;
    if (outer.type === "UnaryExpression" && outer.operator === "delete") return true;
    if (outer.type === "CallExpression" && outer.callee === child) {
      const property = (child as { property: Node }).property;
      return property.type !== "Identifier" || MUTATORS.has(property.name);
    }
    return false;
  }
  if (outer.type === "CallExpression" || outer.type === "NewExpression") {
    if (outer.callee === node) return false;
    const name = calledName(outer);
    return !READERS.has(name) || name === "assign";
  }
  return false;
}

/** A function between the reference and the top level declares the same name. */
function shadowed(name: string, ancestors: readonly Node[]): boolean {
  for (const node of ancestors) {
    if (!isFunctionNode(node)) continue;
    const fn = node as { params: Node[]; body: Node };
    if (fn.params.some((p) => boundNames(p).includes(name))) return true;
    let declares = false;
    walk(fn.body, (inner) => {
      if (declares || (inner !== fn.body && isFunctionNode(inner))) return false;
      if (inner.type === "VariableDeclarator" && boundNames(inner.id).includes(name))
        declares = true;
      if (inner.type === "FunctionDeclaration" && inner.id?.name === name) declares = true;
      return undefined;
    });
    if (declares) return true;
  }
  return false;
}

function boundNames(pattern: Node): string[] {
  switch (pattern.type) {
    case "Identifier":
      return [pattern.name];
    case "ObjectPattern":
      return pattern.properties.flatMap((p) =>
        p.type === "RestElement" ? boundNames(p.argument) : boundNames(p.value),
      );
    case "ArrayPattern":
      return pattern.elements.flatMap((e) => (e ? boundNames(e) : []));
    case "AssignmentPattern":
      return boundNames(pattern.left);
    case "RestElement":
      return boundNames(pattern.argument);
    default:
      return [];
  }
}

function isExportsTarget(node: Node): boolean {
  if (node.type === "Identifier") return node.name === "exports";
  if (node.type !== "MemberExpression") return false;
  if (node.object.type === "Identifier" && node.object.name === "module") return true;
  return isExportsTarget(node.object);
}

function isStdinFileRead(call: Node): boolean {
  if (call.type !== "CallExpression") return false;
  const name = calledName(call);
  if (!/^(?:readFileSync|readSync|read|readFile|createReadStream|openSync|open)$/.test(name))
    return false;
  const first = call.arguments[0];
  if (first?.type === "NumericLiteral") return first.value === 0;
  return first?.type === "StringLiteral" && first.value === "/dev/stdin";
}

function localSpecifier(node: Node): string | undefined {
  let source: Node | undefined | null;
  if (node.type === "ImportDeclaration") source = node.source;
  else if (node.type === "CallExpression" && isRequire(node)) source = node.arguments[0];
  else if (node.type === "ImportExpression") source = node.source;
  if (source?.type !== "StringLiteral") return undefined;
  return source.value.startsWith(".") ? source.value : undefined;
}

/** `process.env.X` read inside a function, X not a request meta-variable: server configuration. */
function configRead(node: Node, ancestors: readonly Node[]): string | undefined {
  if (node.type !== "MemberExpression" || processMember(node.object) !== "env") return undefined;
  if (!ancestors.some(isFunctionNode)) return undefined;
  const key =
    !node.computed && node.property.type === "Identifier"
      ? node.property.name
      : node.property.type === "StringLiteral"
        ? node.property.value
        : undefined;
  if (key === undefined || metaStrength(key) !== "none" || /^(HTTP|SSL)_/.test(key))
    return undefined;
  const parent = ancestors.at(-1);
  const written = parent?.type === "AssignmentExpression" && parent.left === node;
  return written ? undefined : key;
}

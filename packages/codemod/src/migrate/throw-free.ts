import type {
  Expression,
  FunctionDeclaration,
  MemberExpression,
  Node,
  Program,
} from "@babel/types";
import { processMember } from "./process-refs.js";
import { walk } from "./walk.js";

/** A top-level binding: how it is declared and, for `const`, what it holds. */
interface Binding {
  kind: "var" | "let" | "const" | "function" | "class" | "import";
  /** Where the declaration ends: a `let`/`const`/`class` is usable only after it. */
  end: number;
  init?: Expression | null;
  fn?: FunctionDeclaration;
  /** Assigned elsewhere only with `+=`: from a string initial value, a string throughout. */
  appended?: boolean;
}

/** What the script declares at its top level, for {@link throwFree}. */
export type TopScope = Map<string, Binding>;

/**
 * The top-level bindings of a program.
 *
 * @example
 * const scope = topScope(ast.program);
 */
export function topScope(program: Program): TopScope {
  const scope: TopScope = new Map();
  for (const statement of program.body) {
    if (statement.type === "VariableDeclaration") {
      const kind = statement.kind === "var" || statement.kind === "let" ? statement.kind : "const";
      for (const d of statement.declarations) {
        if (d.id.type === "Identifier") {
          scope.set(d.id.name, { kind, end: statement.end!, init: d.init });
        } else {
          // Destructured: declared, of unknown value.
          for (const name of patternNames(d.id)) scope.set(name, { kind, end: statement.end! });
        }
      }
    } else if (statement.type === "FunctionDeclaration" && statement.id) {
      scope.set(statement.id.name, { kind: "function", end: 0, fn: statement });
    } else if (statement.type === "ClassDeclaration" && statement.id) {
      scope.set(statement.id.name, { kind: "class", end: statement.end! });
    } else if (statement.type === "ImportDeclaration") {
      for (const s of statement.specifiers) scope.set(s.local.name, { kind: "import", end: 0 });
    }
  }
  // A `var` or `let` assigned nowhere else holds its initial value as a `const` would.
  const reassigned = new Set<string>();
  const appended = new Set<string>();
  walk(program, (node) => {
    if (node.type === "AssignmentExpression") {
      if (node.operator === "+=" && node.left.type === "Identifier") appended.add(node.left.name);
      else for (const name of patternNames(node.left)) reassigned.add(name);
    } else if (node.type === "UpdateExpression" && node.argument.type === "Identifier") {
      reassigned.add(node.argument.name);
    } else if (
      (node.type === "ForInStatement" || node.type === "ForOfStatement") &&
      node.left.type !== "VariableDeclaration"
    ) {
      for (const name of patternNames(node.left)) reassigned.add(name);
    }
  });
  for (const [name, binding] of scope) {
    if ((binding.kind === "var" || binding.kind === "let") && !reassigned.has(name)) {
      if (appended.has(name)) binding.appended = true;
      else binding.kind = "const";
    } else if (binding.kind !== "const") {
      binding.init = undefined;
    }
  }
  return scope;
}

function patternNames(node: Node): string[] {
  const names: string[] = [];
  walk(node, (n) => {
    if (n.type === "Identifier") names.push(n.name);
    // A default value or computed key is an expression, not a name being bound.
    if (n.type === "AssignmentPattern") {
      names.push(...patternNames(n.left));
      return false;
    }
    if (n.type === "ObjectProperty") {
      names.push(...patternNames(n.value));
      return false;
    }
    if (n.type === "MemberExpression") return false;
    return undefined;
  });
  return names;
}

// Methods of a string that return without throwing for the arguments accepted below.
const STRING_METHODS = new Set([
  "toUpperCase",
  "toLowerCase",
  "trim",
  "trimStart",
  "trimEnd",
  "slice",
  "substring",
  "charAt",
  "at",
  "padStart",
  "padEnd",
  "indexOf",
  "lastIndexOf",
  "concat",
  "split",
  "replace",
  "replaceAll",
  "toString",
]);
// Methods returning a string, so a chain of them stays on a string.
const STRING_RESULTS = new Set([...STRING_METHODS].filter((m) => !/indexOf|split/i.test(m)));
const URL_PARAMS_METHODS = new Set(["get", "getAll", "has", "toString"]);
const CONVERSIONS = new Set(["String", "Number", "Boolean", "parseInt", "parseFloat", "isNaN"]);

/**
 * Whether evaluating `node` (at source position `at`) can be shown never to throw, so a chunk
 * built from it may be computed after `start_response` without changing what a client gets:
 * under CGI a throw there sent the page up to that point, in a plain application it would
 * be a 500. Conservative: literals, declared names, operators, `process.env` reads, string
 * conversions and string methods on values known to be strings, `join` on known arrays, and
 * calls to the script's own one-line functions built the same way. Conversions to strings
 * are assumed not to throw (a Symbol or an object with a throwing `toString` would).
 *
 * @example
 * throwFree(chunkExpression, topScope(ast.program), statement.start);
 */
export function throwFree(
  node: Node,
  scope: TopScope,
  at: number,
  params = new Set<string>(),
): boolean {
  const free = (n: Node | null | undefined): boolean => !!n && throwFree(n, scope, at, params);
  switch (node.type) {
    case "StringLiteral":
    case "NumericLiteral":
    case "BooleanLiteral":
    case "NullLiteral":
    case "RegExpLiteral":
      return true;
    case "TemplateLiteral":
      return node.expressions.every(free);
    case "Identifier":
      return declared(node.name, scope, at, params);
    case "UnaryExpression":
      return node.operator !== "delete" && (node.operator === "typeof" || free(node.argument));
    case "BinaryExpression":
      return (
        node.operator !== "in" &&
        node.operator !== "instanceof" &&
        free(node.left) &&
        free(node.right)
      );
    case "LogicalExpression":
      return free(node.left) && free(node.right);
    case "ConditionalExpression":
      return free(node.test) && free(node.consequent) && free(node.alternate);
    case "ParenthesizedExpression":
    case "TSAsExpression":
    case "TSSatisfiesExpression":
    case "TSNonNullExpression":
    case "TypeCastExpression":
      return free(node.expression);
    case "ArrayExpression":
      return node.elements.every((e) => e !== null && e.type !== "SpreadElement" && free(e));
    case "ObjectExpression":
      return node.properties.every(
        (p) => p.type === "ObjectProperty" && (!p.computed || free(p.key)) && free(p.value),
      );
    case "MemberExpression":
    case "OptionalMemberExpression": {
      if (node.computed && !free(node.property)) return false;
      if (isProcessEnv(node.object)) return true;
      if (node.type === "OptionalMemberExpression" && node.optional) return free(node.object);
      return free(node.object) && nonNullish(node.object as Expression, scope, at);
    }
    case "CallExpression":
      return callFree(node, scope, at, params);
    default:
      return false;
  }
}

function callFree(
  node: Extract<Node, { type: "CallExpression" }>,
  scope: TopScope,
  at: number,
  params: Set<string>,
): boolean {
  const args = node.arguments;
  if (args.some((a) => a.type === "SpreadElement" || a.type === "ArgumentPlaceholder"))
    return false;
  const free = (n: Node) => throwFree(n, scope, at, params);
  const callee = node.callee;
  if (callee.type === "Identifier") {
    if (CONVERSIONS.has(callee.name) && !scope.has(callee.name) && !params.has(callee.name)) {
      return args.every(free);
    }
    const fn = scope.get(callee.name)?.fn;
    return (
      fn !== undefined && args.every(free) && simpleFunction(fn, args as Expression[], scope, at)
    );
  }
  if (isGlobalMember(callee, "Buffer", "from", scope)) {
    return knownBytes(node, scope, at) && args.every(free);
  }
  if (isGlobalMember(callee, "JSON", "stringify", scope)) {
    // Throws only for a BigInt or a cycle: a literal of strings and numbers has neither.
    return args.length === 1 && plainData(args[0] as Expression, scope, at) && free(args[0]!);
  }
  const method = methodName(node);
  if (method === undefined) return false;
  const object = receiver(node);
  if (URL_PARAMS_METHODS.has(method) && searchParams(object, scope, at)) return args.every(free);
  if (method === "toString" && knownBytes(object, scope, at) && !knownString(object, scope, at)) {
    return free(object) && (args.length === 0 || (args.length === 1 && knownEncoding(args[0])));
  }
  if (method === "join" && knownArray(object, scope, at)) {
    return free(object) && args.every(free);
  }
  if (!STRING_METHODS.has(method) || !knownString(object, scope, at) || !free(object)) return false;
  if (method === "replace" || method === "replaceAll") {
    // A function as the replacement could throw; replaceAll throws on a non-global RegExp.
    const [pattern, replacement] = args;
    if (args.length !== 2 || !replacement || !isStringish(replacement)) return false;
    if (pattern?.type === "RegExpLiteral")
      return method === "replace" || pattern.flags.includes("g");
    return pattern !== undefined && isStringish(pattern);
  }
  // split takes a RegExp; for the others a RegExp argument would throw (includes-like).
  if (method === "split") return args.every((a) => a.type === "RegExpLiteral" || free(a));
  return args.every((a) => a.type !== "RegExpLiteral" && free(a));
}

/**
 * A script function whose body is `return <throw-free expression over its parameters>`;
 * a parameter given a string at this call counts as a string inside.
 */
function simpleFunction(
  fn: FunctionDeclaration,
  args: Expression[],
  scope: TopScope,
  at: number,
): boolean {
  if (fn.async || fn.generator || fn.body.body.length !== 1) return false;
  const [only] = fn.body.body;
  if (only?.type !== "ReturnStatement" || !only.argument) return false;
  if (!fn.params.every((p) => p.type === "Identifier")) return false;
  const names = fn.params.map((p) => (p as { name: string }).name);
  const params = new Set(names);
  // Recursion would need a fixed point; a function calling itself is simply not counted.
  if (mentions(only.argument, fn.id?.name)) return false;
  // Inside, a parameter shadows a top-level name: a scope of its own, strings where known.
  const inner: TopScope = new Map(scope);
  names.forEach((name, i) => {
    const arg = args[i];
    if (arg && knownString(arg, scope, at)) {
      inner.set(name, {
        kind: "const",
        end: 0,
        init: { type: "StringLiteral", value: "" } as Expression,
      });
    } else if (arg && isProcessEnv(arg)) {
      inner.set(name, { kind: "const", end: 0, init: arg });
    } else inner.delete(name);
  });
  return throwFree(only.argument, inner, at, params);
}

/** The property of a static member expression (`a.name`), or undefined. */
function memberName(node: Node): string | undefined {
  return node.type === "MemberExpression" && !node.computed && node.property.type === "Identifier"
    ? node.property.name
    : undefined;
}

/** The name of the method a call invokes (`x.name(...)`), or undefined. */
function methodName(node: Extract<Node, { type: "CallExpression" }>): string | undefined {
  return memberName(node.callee);
}

function isGlobalMember(node: Node, object: string, property: string, scope: TopScope): boolean {
  if (memberName(node) !== property) return false;
  const target = (node as MemberExpression).object;
  return target.type === "Identifier" && target.name === object && !scope.has(object);
}

/** The object a static member call is made on (`object.method(...)`). */
function receiver(node: Extract<Node, { type: "CallExpression" }>): Expression {
  return (node.callee as MemberExpression).object as Expression;
}

/** Strings and numbers, or an object or array literal of them: what JSON.stringify prints. */
function plainData(node: Expression, scope: TopScope, at: number): boolean {
  if (knownString(node, scope, at) || knownNumber(node, scope, at)) return true;
  if (node.type === "ArrayExpression") {
    return node.elements.every(
      (e) => e !== null && e.type !== "SpreadElement" && plainData(e, scope, at),
    );
  }
  if (node.type !== "ObjectExpression") return false;
  return node.properties.every(
    (p) =>
      p.type === "ObjectProperty" && !p.computed && plainData(p.value as Expression, scope, at),
  );
}

function knownNumber(node: Expression, scope: TopScope, at: number): boolean {
  if (node.type === "NumericLiteral") return true;
  if (memberName(node) === "length") {
    const object = (node as MemberExpression).object as Expression;
    return knownString(object, scope, at) || knownArray(object, scope, at);
  }
  if (node.type === "CallExpression" && node.callee.type === "Identifier") {
    return node.callee.name === "Number" && !scope.has("Number");
  }
  const init = constInit(node, scope, at);
  return init !== undefined && knownNumber(init, scope, at);
}

function mentions(node: Node, name: string | undefined): boolean {
  if (!name) return false;
  let found = false;
  walk(node, (n) => {
    if (n.type === "Identifier" && n.name === name) found = true;
    return !found;
  });
  return found;
}

// Globals that are objects, never nullish.
const GLOBAL_OBJECTS = new Set([
  "process",
  "globalThis",
  "global",
  "Buffer",
  "JSON",
  "Math",
  "Object",
]);
// Globals a Node script can always read (reading an undeclared name throws).
const GLOBALS = new Set([
  ...GLOBAL_OBJECTS,
  "undefined",
  "NaN",
  "Infinity",
  "String",
  "Number",
  "Boolean",
  "URLSearchParams",
]);

function declared(name: string, scope: TopScope, at: number, params: Set<string>): boolean {
  if (params.has(name)) return true;
  const binding = scope.get(name);
  if (!binding) return GLOBALS.has(name);
  return (
    binding.kind === "var" ||
    binding.kind === "function" ||
    binding.kind === "import" ||
    binding.end <= at
  );
}

function isProcessEnv(node: Node): boolean {
  return processMember(node) === "env";
}

function isStringish(node: Node): boolean {
  return (
    node.type === "StringLiteral" ||
    (node.type === "TemplateLiteral" && node.expressions.length === 0)
  );
}

function constInit(node: Expression, scope: TopScope, at: number): Expression | undefined {
  if (node.type !== "Identifier") return undefined;
  const binding = scope.get(node.name);
  if (binding?.kind !== "const" || binding.end > at || !binding.init) return undefined;
  return binding.init;
}

function nonNullish(node: Expression, scope: TopScope, at: number): boolean {
  if (knownString(node, scope, at) || knownArray(node, scope, at) || isProcessEnv(node))
    return true;
  if (node.type === "Identifier" && GLOBAL_OBJECTS.has(node.name) && !scope.has(node.name)) {
    return true;
  }
  const init = constInit(node, scope, at);
  if (init === undefined) return false;
  if (isProcessEnv(init) || init.type === "ObjectExpression" || init.type === "NewExpression") {
    return true;
  }
  // Object.assign gives back its first argument.
  return (
    init.type === "CallExpression" &&
    isGlobalMember(init.callee, "Object", "assign", scope) &&
    init.arguments[0]?.type === "ObjectExpression"
  );
}

/** A `const` holding `new URLSearchParams(...)`, whose methods never throw. */
function searchParams(node: Node, scope: TopScope, at: number): boolean {
  const init = node.type === "Identifier" ? constInit(node, scope, at) : undefined;
  return (
    init?.type === "NewExpression" &&
    init.callee.type === "Identifier" &&
    init.callee.name === "URLSearchParams" &&
    !scope.has("URLSearchParams")
  );
}

/** `params.get(...)` of a URLSearchParams, or an environment variable: a string or nullish. */
function stringOrNullish(node: Expression, scope: TopScope, at: number): boolean {
  if (node.type === "MemberExpression" && isProcessEnv(node.object)) return true;
  return (
    node.type === "CallExpression" &&
    methodName(node) === "get" &&
    searchParams(receiver(node), scope, at)
  );
}

const ENCODINGS = new Set([
  "utf8",
  "utf-8",
  "latin1",
  "binary",
  "ascii",
  "base64",
  "base64url",
  "hex",
  "ucs2",
  "utf16le",
]);

/**
 * Whether `node` names an encoding Buffer knows, as a literal.
 *
 * @example
 * knownEncoding(parseExpression('"hex"')); // true
 */
export function knownEncoding(node: Node | undefined): boolean {
  return node?.type === "StringLiteral" && ENCODINGS.has(node.value);
}

/**
 * Whether `node` is surely a string or a Buffer made from one (`Buffer.from(s)` or with a
 * known encoding): what `process.stdout.write` takes without throwing.
 *
 * @example
 * knownBytes(parseExpression('Buffer.from(text, "latin1")'), scope, at);
 */
export function knownBytes(node: Expression, scope: TopScope, at: number): boolean {
  if (knownString(node, scope, at)) return true;
  if (node.type !== "CallExpression" || !isGlobalMember(node.callee, "Buffer", "from", scope)) {
    return false;
  }
  const [text, encoding, ...rest] = node.arguments;
  if (text?.type === "ArrayExpression" && !encoding) {
    return text.elements.every((e) => e?.type === "NumericLiteral");
  }
  return (
    rest.length === 0 &&
    text !== undefined &&
    text.type !== "SpreadElement" &&
    text.type !== "ArgumentPlaceholder" &&
    knownString(text, scope, at) &&
    (encoding === undefined || knownEncoding(encoding))
  );
}

/**
 * Whether `node` is surely a string: literals, `+` with a string, `String(...)`, string
 * methods on strings, `join`, a default after `||`/`??`, a `const` holding one.
 *
 * @example
 * knownString(parseExpression('"a" + x'), scope, at); // true
 */
export function knownString(node: Expression, scope: TopScope, at: number): boolean {
  switch (node.type) {
    case "StringLiteral":
    case "TemplateLiteral":
      return true;
    case "BinaryExpression":
      return (
        node.operator === "+" &&
        (knownString(node.left as Expression, scope, at) || knownString(node.right, scope, at))
      );
    case "LogicalExpression":
      // `x || "default"` is a string when x is a string or falsy; `??` likewise for nullish.
      // An environment variable is a string or undefined.
      return (
        node.operator !== "&&" &&
        knownString(node.right, scope, at) &&
        (knownString(node.left, scope, at) || stringOrNullish(node.left, scope, at))
      );
    case "ConditionalExpression":
      return knownString(node.consequent, scope, at) && knownString(node.alternate, scope, at);
    case "ParenthesizedExpression":
    case "TSAsExpression":
    case "TSSatisfiesExpression":
    case "TSNonNullExpression":
      return knownString(node.expression, scope, at);
    case "CallExpression": {
      const callee = node.callee;
      // readFileSync with an encoding gives a string (or throws, before any output).
      if (readsText(node)) return true;
      if (callee.type === "Identifier") return callee.name === "String" && !scope.has("String");
      const method = methodName(node);
      // Any value's toString(), a Buffer's with an encoding included, gives a string.
      if (method === "toString") return true;
      if (method === undefined) return false;
      const object = receiver(node);
      return (
        (STRING_RESULTS.has(method) && knownString(object, scope, at)) ||
        (method === "join" && knownArray(object, scope, at))
      );
    }
    case "Identifier": {
      const binding = scope.get(node.name);
      if (binding?.appended && binding.init && binding.end <= at) {
        return knownString(binding.init, scope, at);
      }
      const init = constInit(node, scope, at);
      return init !== undefined && knownString(init, scope, at);
    }
    default:
      return false;
  }
}

function knownArray(node: Expression, scope: TopScope, at: number): boolean {
  if (node.type === "ArrayExpression") return true;
  if (node.type === "CallExpression" && node.callee.type === "MemberExpression") {
    const object = receiver(node);
    const method = methodName(node);
    if (method === "getAll") return searchParams(object, scope, at);
    return method === "split" && knownString(object, scope, at);
  }
  const init = constInit(node, scope, at);
  return init !== undefined && knownArray(init, scope, at);
}

function readsText(node: Extract<Node, { type: "CallExpression" }>): boolean {
  const name = node.callee.type === "Identifier" ? node.callee.name : methodName(node);
  return name === "readFileSync" && knownEncoding(node.arguments[1]);
}

import type { CallExpression, Expression, Node } from "@babel/types";
import { review, text, type MigrateContext } from "./context.js";
import { checkHelper } from "./helper.js";
import { rewriteFdCall } from "./fd-io.js";
import { anchorPaths } from "./paths.js";
import { calledName } from "./walk.js";
import { dirnameExpression, processMember } from "./process-refs.js";

const FS_PATH_CALLS = new Set([
  "readFileSync",
  "readFile",
  "existsSync",
  "statSync",
  "stat",
  "createReadStream",
  "readdirSync",
  "readdir",
  "openSync",
  "open",
  "writeFileSync",
  "writeFile",
  "appendFileSync",
  "appendFile",
  "createWriteStream",
  "accessSync",
  "access",
]);

const CHILD_CALLS = new Set(["execSync", "execFileSync", "spawnSync", "spawn", "execFile", "fork"]);
const COMMAND_FIRST = new Set(["execSync"]);
const REQUEST_ENV = "env: { ...process.env, ...cgiEnv(environ) }";

/**
 * Gives a child process the request's meta-variables, which it inherited under CGI: an `env`
 * option on the call (added to an options object literal, or as a new last argument).
 */
function passRequestEnv(ctx: MigrateContext, call: CallExpression, name: string): void {
  const args = call.arguments;
  const last = args.at(-1);
  if (last?.type === "ObjectExpression") {
    const hasEnv = last.properties.some(
      (p) =>
        p.type !== "SpreadElement" &&
        !p.computed &&
        p.key.type === "Identifier" &&
        p.key.name === "env",
    );
    if (!hasEnv) {
      ctx.editor.insert(last.start! + 1, ` ${REQUEST_ENV},`);
      ctx.runtimeImports.add("cgiEnv");
    }
    return;
  }
  const plain = args.every((a) => a.type !== "SpreadElement" && !FUNCTION_ARGS.has(a.type));
  if (!plain || args.length === 0) return;
  let suffix: string | undefined;
  if (COMMAND_FIRST.has(name)) suffix = args.length === 1 ? `, { ${REQUEST_ENV} }` : undefined;
  else if (args.length === 1) suffix = `, [], { ${REQUEST_ENV} }`;
  else if (args.length === 2 && args[1]!.type === "ArrayExpression")
    suffix = `, { ${REQUEST_ENV} }`;
  if (suffix === undefined) return;
  // A trailing comma after the last argument already separates the new one.
  if (ctx.source.slice(args.at(-1)!.end!, call.end! - 1).includes(",")) suffix = suffix.slice(2);
  ctx.editor.insert(call.end! - 1, suffix);
  ctx.runtimeImports.add("cgiEnv");
}

const FUNCTION_ARGS = new Set(["FunctionExpression", "ArrowFunctionExpression", "Identifier"]);

/**
 * `var store = require("../lib/store.js")` at the top of a CommonJS script becomes
 * `freshRequire(require, "../lib/store.js")` in the application body: the helper is loaded
 * afresh for each request, as each CGI process loaded it. Returns whether it could.
 */
function loadFresh(ctx: MigrateContext, node: Node, ancestors: readonly Node[]): boolean {
  if (ctx.esm || ctx.typescript || node.type !== "CallExpression") return false;
  const statement = ancestors[1];
  if (ancestors.length < 3 || statement?.type !== "VariableDeclaration") return false;
  if (!ancestors.slice(3).every((a) => a.type === "MemberExpression")) return false;
  const arg = node.arguments[0]!;
  ctx.editor.replace(node.start!, arg.start!, "freshRequire(require, ");
  ctx.runtimeImports.add("freshRequire");
  ctx.perRequest.add(statement.start!);
  return true;
}

const FD_CALLS = new Set(["readSync", "read", "fstatSync", "fstat"]);

/**
 * `fs.readSync(0, buffer, offset, length[, position])` as a copy out of `wsgi.input`: both
 * give the number of bytes read, at most `length`, and 0 at the end of the body.
 */
function readSyncReplacement(ctx: MigrateContext, call: CallExpression): string | undefined {
  const [, buffer, offset, length, ...rest] = call.arguments;
  const plain = (node: Node | undefined): boolean =>
    node === undefined || (node.type !== "SpreadElement" && node.type !== "ObjectExpression");
  if (!buffer || ![buffer, offset, length, ...rest].every(plain) || rest.length > 1)
    return undefined;
  if (offset && !length) return undefined;
  const src = (node: Node): string => ctx.editor.slice(node.start!, node.end!);
  const size = length ? src(length) : `${src(buffer)}.length`;
  const at = offset ? `, ${src(offset)}` : "";
  return `environ["wsgi.input"].read(${size}).copy(${src(buffer)}${at})`;
}

function isStdinPath(node: Node | undefined): boolean {
  if (!node) return false;
  if (node.type === "NumericLiteral") return node.value === 0;
  if (node.type === "StringLiteral") return node.value === "/dev/stdin";
  return (
    node.type === "MemberExpression" &&
    processMember(node.object) === "stdin" &&
    !node.computed &&
    node.property.type === "Identifier" &&
    node.property.name === "fd"
  );
}

/**
 * Rewrites calls that read the request body from the stdin file or touch files by a
 * relative path, and flags child processes and helper modules. Returns `false` when the
 * call was replaced whole (its parts need no visit).
 *
 * @example
 * if (rewriteCall(ctx, node, ancestors) === false) return false;
 */
export function rewriteCall(
  ctx: MigrateContext,
  call: CallExpression,
  ancestors: readonly Node[],
): boolean {
  const name = calledName(call);
  const first = call.arguments[0];
  if (name === "readFileSync" && isStdinPath(first)) {
    const encoding = encodingOf(ctx, call.arguments[1]);
    const read = `environ["wsgi.input"].read()${encoding ? `.toString(${encoding})` : ""}`;
    ctx.editor.replace(call.start!, call.end!, read);
    return false;
  }
  if (name === "readSync" && isStdinPath(first) && call.arguments.length >= 2) {
    const read = readSyncReplacement(ctx, call);
    if (read) {
      ctx.editor.replace(call.start!, call.end!, read);
      return false;
    }
  }
  if (rewriteFdCall(ctx, call, ancestors)) return true;
  if (name && (FS_PATH_CALLS.has(name) || FD_CALLS.has(name)) && isStdinPath(first)) {
    review(
      ctx,
      call,
      ancestors,
      "stdin-file",
      `${name}() of the stdin file reads the server's own stdin: read the body with environ["wsgi.input"].read() instead.`,
    );
    return true;
  }
  // Paths resolved against the script's folder, as the CGI server's working directory was.
  anchorPaths(ctx, call);
  if (name && CHILD_CALLS.has(name) && ctx.childProcess) passRequestEnv(ctx, call, name);
  if (name === "require" && call.callee.type === "Identifier" && first?.type === "StringLiteral") {
    checkModule(ctx, first.value, call, ancestors);
  }
  return true;
}

function encodingOf(ctx: MigrateContext, arg: Node | undefined): string | undefined {
  if (!arg) return undefined;
  if (arg.type === "ObjectExpression") {
    for (const prop of arg.properties) {
      if (
        prop.type === "ObjectProperty" &&
        !prop.computed &&
        prop.key.type === "Identifier" &&
        prop.key.name === "encoding"
      ) {
        return text(ctx, prop.value as Expression);
      }
    }
    return undefined;
  }
  return text(ctx, arg);
}

function isRelative(path: string): boolean {
  return path !== "" && !path.startsWith("/") && !/^[a-z]+:/i.test(path);
}

/**
 * Flags a module the script loads when it cannot be proven to behave per request: child
 * processes (they inherit the server's environment) and local helper modules (and theirs)
 * that run code when loaded, keep module-level state, or cannot be read. A helper's reads
 * of `process` and `console` when called are not flagged: migrate binds them to the
 * request (see migrateHelper).
 *
 * @example
 * checkModule(ctx, "../lib/info.cjs", node, ancestors);
 */
export function checkModule(
  ctx: MigrateContext,
  specifier: string,
  node: Node,
  ancestors: readonly Node[],
): void {
  if (specifier === "child_process" || specifier === "node:child_process") {
    ctx.childProcess = true;
    review(
      ctx,
      node,
      ancestors,
      "child-process",
      "child processes now get the request's meta-variables on top of the server's environment (under CGI they saw the CGI environment only): check the spawn/exec calls below pass env, and that the server's variables do no harm.",
    );
    return;
  }
  if (!specifier.startsWith(".") && !specifier.startsWith("/")) return;
  const helper = checkHelper(ctx.filename, specifier);
  // Its relative paths resolve against the request's process.cwd(): tell cgiProcess the folder.
  if (helper.relativePaths) ctx.scriptDir = true;
  // Its facades find the request only inside cgiProcess: no plain start_response form then.
  if (helper.request || helper.unreadable) ctx.callsHelpers = true;
  if (helper.unreadable) {
    review(
      ctx,
      node,
      ancestors,
      "helper-module",
      `${specifier} could not be read to check it: if it reads process.env or writes to process.stdout, it now sees the server's process, not this request.`,
    );
  }
  if (
    helper.problems.length > 0 &&
    helper.problems.every((p) => p.fresh) &&
    loadFresh(ctx, node, ancestors)
  )
    return;
  for (const problem of helper.problems) {
    review(ctx, node, ancestors, problem.rule, problem.message);
  }
}

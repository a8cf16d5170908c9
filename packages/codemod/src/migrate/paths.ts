import type { CallExpression, Node, Program } from "@babel/types";
import type { MigrateContext } from "./context.js";
import { dirnameExpression } from "./process-refs.js";
import { walk } from "./walk.js";

// fs functions whose leading arguments are paths (two for those that name a second file).
const ONE_PATH = [
  ...["readFile", "writeFile", "appendFile", "exists", "stat", "lstat", "access", "open"],
  ...["readdir", "opendir", "unlink", "mkdir", "rmdir", "rm", "realpath", "truncate"],
  ...["chmod", "chown", "utimes", "mkdtemp", "readlink", "watch", "watchFile", "unwatchFile"],
];
const TWO_PATHS = ["rename", "copyFile", "link", "cp"];
const PATH_ARGS = new Map<string, number>([
  ...ONE_PATH.flatMap((n) => [n, `${n}Sync`]).map((n): [string, number] => [n, 1]),
  ...TWO_PATHS.flatMap((n) => [n, `${n}Sync`]).map((n): [string, number] => [n, 2]),
  ["createReadStream", 1],
  ["createWriteStream", 1],
  ["symlink", 2], // the link's own path; its target is relative to the link, not the cwd
  ["symlinkSync", 2],
]);
const FS_MODULES = new Set([
  "fs",
  "node:fs",
  "fs/promises",
  "node:fs/promises",
  "fs-extra",
  "graceful-fs",
]);
const PATH_MODULES = new Set(["path", "node:path"]);

/** The names a program binds to the fs and path modules. */
interface Bindings {
  /** `fs`, `fsp` (fs.promises): objects whose methods take paths. */
  fs: Set<string>;
  /** `readFileSync` destructured or imported from fs. */
  functions: Set<string>;
  path: Set<string>;
}

const cache = new WeakMap<Program, Bindings>();

function bindings(program: Program): Bindings {
  const known = cache.get(program);
  if (known) return known;
  const found: Bindings = { fs: new Set(), functions: new Set(), path: new Set() };
  walk(program, (node) => {
    if (node.type === "ImportDeclaration") {
      const source = node.source.value;
      for (const s of node.specifiers) {
        if (FS_MODULES.has(source)) {
          if (s.type === "ImportSpecifier") {
            const imported = s.imported.type === "Identifier" ? s.imported.name : s.imported.value;
            (imported === "promises" ? found.fs : found.functions).add(s.local.name);
          } else found.fs.add(s.local.name);
        } else if (PATH_MODULES.has(source) && s.type !== "ImportSpecifier")
          found.path.add(s.local.name);
      }
      return false;
    }
    if (node.type !== "VariableDeclarator" || !node.init) return undefined;
    const module = requiredModule(node.init);
    if (!module) return undefined;
    if (FS_MODULES.has(module.name)) {
      if (node.id.type === "Identifier") found.fs.add(node.id.name);
      if (node.id.type === "ObjectPattern") {
        for (const p of node.id.properties) {
          if (p.type !== "ObjectProperty" || p.value.type !== "Identifier") continue;
          const key = p.key.type === "Identifier" ? p.key.name : "";
          (key === "promises" || module.member === "promises" ? found.fs : found.functions).add(
            p.value.name,
          );
        }
      }
    } else if (PATH_MODULES.has(module.name) && node.id.type === "Identifier" && !module.member) {
      found.path.add(node.id.name);
    }
    return undefined;
  });
  cache.set(program, found);
  return found;
}

/** `require("fs")`, `require("fs").promises`: the module and the member taken. */
function requiredModule(init: Node): { name: string; member?: string } | undefined {
  let member: string | undefined;
  let node = init;
  if (node.type === "MemberExpression" && !node.computed && node.property.type === "Identifier") {
    member = node.property.name;
    node = node.object;
  }
  if (
    node.type === "CallExpression" &&
    node.callee.type === "Identifier" &&
    node.callee.name === "require" &&
    node.arguments[0]?.type === "StringLiteral"
  ) {
    return { name: node.arguments[0].value, member };
  }
  return undefined;
}

/**
 * The fs function a call makes (`fs.readFile`, `fs.promises.readFile`, `readFile`), if any.
 *
 * @example
 * fsFunction(program, call); // "writeSync" for fs.writeSync(1, data)
 */
export function fsFunction(program: Program, call: CallExpression): string | undefined {
  const { fs, functions } = bindings(program);
  const callee = call.callee;
  if (callee.type === "Identifier") return functions.has(callee.name) ? callee.name : undefined;
  if (
    callee.type !== "MemberExpression" ||
    callee.computed ||
    callee.property.type !== "Identifier"
  )
    return undefined;
  let object = callee.object;
  // fs.promises.readFile
  if (
    object.type === "MemberExpression" &&
    !object.computed &&
    object.property.type === "Identifier" &&
    object.property.name === "promises"
  )
    object = object.object;
  return object.type === "Identifier" && fs.has(object.name) ? callee.property.name : undefined;
}

/**
 * The arguments of an fs call (or `path.resolve`) that depend on the working directory:
 * relative literals and any expression not built from `__dirname`, an absolute literal, a
 * descriptor or a URL. For `path.resolve`, the call itself when its first argument is such.
 *
 * @example
 * pathArguments(program, call); // [CONFIG] in fs.readFileSync(CONFIG)
 */
export function pathArguments(program: Program, call: CallExpression): Node[] {
  if (isPathResolve(program, call)) {
    const first = call.arguments[0];
    return !first || !anchored(first) ? [call] : [];
  }
  const name = fsFunction(program, call);
  const count = name && PATH_ARGS.get(name);
  if (!count) return [];
  return call.arguments.slice(0, count).filter((arg, index) => {
    if (name!.startsWith("symlink") && index === 0) return false;
    if (arg.type === "StringLiteral" && arg.value === "") return false;
    return arg.type !== "SpreadElement" && !anchored(arg);
  });
}

/**
 * Makes the paths a script hands to fs resolve as they did under CGI, where the working
 * directory was the script's folder: a relative literal becomes `__dirname + "/x"`, any
 * other path expression `cgiPath(__dirname, expr)` (relative strings resolved against the
 * script's folder; absolute ones, descriptors, URLs and Buffers left alone), and
 * `path.resolve(...)` starts from the script's folder. In a helper module, `dir` is the
 * request's `process.cwd()` (the facade's: the calling script's folder) and every such path
 * goes through cgiPath. Returns whether anything changed.
 *
 * @example
 * anchorPaths(ctx, call); // fs.readFileSync(CONFIG) -> fs.readFileSync(cgiPath(__dirname, CONFIG))
 */
export function anchorPaths(
  ctx: MigrateContext,
  call: CallExpression,
  dir = dirnameExpression(ctx),
): boolean {
  const spell = !dir.includes("(");
  const args = pathArguments(ctx.ast.program, call);
  for (const arg of args) {
    if (arg === call) {
      const first = call.arguments[0];
      ctx.editor.insert(first ? first.start! : call.end! - 1, first ? `${dir}, ` : dir);
    } else if (arg.type === "StringLiteral" && spell) {
      const rest = arg.value.replace(/^\.\//, "");
      const spelled = rest === "." ? dir : `${dir} + ${JSON.stringify(`/${rest}`)}`;
      ctx.editor.replace(arg.start!, arg.end!, spelled);
    } else {
      ctx.runtimeImports.add("cgiPath");
      ctx.editor.insert(arg.start!, `cgiPath(${dir}, `);
      ctx.editor.insert(arg.end!, ")");
    }
  }
  return args.length > 0;
}

function isPathResolve(program: Program, call: CallExpression): boolean {
  const callee = call.callee;
  return (
    callee.type === "MemberExpression" &&
    !callee.computed &&
    callee.property.type === "Identifier" &&
    callee.property.name === "resolve" &&
    callee.object.type === "Identifier" &&
    bindings(program).path.has(callee.object.name)
  );
}

/** A path expression that does not depend on the working directory. */
function anchored(node: Node): boolean {
  switch (node.type) {
    case "StringLiteral":
      return (
        node.value.startsWith("/") || /^[a-z]+:/i.test(node.value) || node.value === "/dev/stdin"
      );
    case "NumericLiteral":
      return true;
    case "TemplateLiteral": {
      const head = node.quasis[0]!.value.cooked ?? "";
      return (
        head.startsWith("/") ||
        (head === "" && node.expressions[0] !== undefined && anchored(node.expressions[0]))
      );
    }
    case "Identifier":
      return node.name === "__dirname" || node.name === "__filename";
    case "MemberExpression":
      // import.meta.dirname, process.stdin.fd
      return (
        (node.object.type === "MetaProperty" && !node.computed) ||
        (!node.computed && node.property.type === "Identifier" && node.property.name === "fd")
      );
    case "BinaryExpression":
      return node.operator === "+" && anchored(node.left);
    case "CallExpression": {
      const callee = node.callee;
      if (callee.type === "Identifier" && callee.name === "cgiPath") return true;
      if (callee.type !== "MemberExpression" || callee.property.type !== "Identifier") return false;
      const method = callee.property.name;
      if (method === "resolve") return true; // path.resolve is anchored itself, see above
      const first = node.arguments[0];
      return method === "join" && first !== undefined && anchored(first);
    }
    case "NewExpression":
      return node.callee.type === "Identifier" && node.callee.name === "URL";
    default:
      return false;
  }
}

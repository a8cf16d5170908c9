import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { review, type MigrateContext } from "./context.js";
import { helperFacts, type HelperFacts } from "./helper-facts.js";
import { parseSource } from "./parse.js";
import { anchorPaths } from "./paths.js";
import { processMember } from "./process-refs.js";
import { walk } from "./walk.js";

// process members that are the request's under CGI, which the facade makes per request.
const REQUEST_MEMBERS = new Set([
  ...["env", "stdout", "stderr", "stdin", "exit", "exitCode"],
  ...["on", "once", "addListener", "prependListener"],
]);

/**
 * Migrates a helper module (a file that exports things and the scripts load): its
 * `process` and `console` become the runtime's per-request facades (`requestProcess`,
 * `requestConsole`), so what it reads and prints when a script calls it is that request's,
 * as under CGI. What can still differ (code run when loaded, module-level state its
 * functions change, stdin-file reads) is marked. Returns whether the file changed (a
 * helper that uses no request state stays byte-identical), or undefined when the module
 * declares its own `process` or `console`, so the facades cannot be bound.
 *
 * @example
 * if (migrateHelper(ctx, declared)) status = ctx.diagnostics.length ? "needs-review" : "migrated";
 */
export function migrateHelper(ctx: MigrateContext, declared: Set<string>): boolean | undefined {
  const facts = helperFacts(ctx.ast.program);
  if (facts.migrated) return false;
  const process = usesRequestProcess(ctx) || facts.relativePaths;
  const console = facts.console;
  if (!process && !console) return false;
  // The module declares a `process` or `console` of its own: no facade fits; the caller flags.
  if ((process && declared.has("process")) || (console && declared.has("console")))
    return undefined;
  // Relative paths resolve against the request's process.cwd(): the calling script's folder.
  let anchored = false;
  if (facts.relativePaths) {
    walk(ctx.ast.program, (node) => {
      if (node.type === "CallExpression")
        anchored = anchorPaths(ctx, node, "process.cwd()") || anchored;
    });
  }
  const names: Array<[string, string]> = [];
  if (anchored) names.push(["cgiPath", "cgiPath"]);
  if (console) names.push(["requestConsole", "console"]);
  if (process) names.push(["requestProcess", "process"]);
  const line = ctx.esm
    ? `import { ${names.map(([n, l]) => (n === l ? n : `${n} as ${l}`)).join(", ")} } from "@cgi2wsgi/runtime";\n`
    : `const { ${names.map(([n, l]) => (n === l ? n : `${n}: ${l}`)).join(", ")} } = require("@cgi2wsgi/runtime");\n`;
  const first = ctx.ast.program.body[0];
  ctx.editor.insert(first ? first.start! : ctx.source.length, `${line}\n`);
  for (const problem of facts.problems) {
    review(ctx, problem.node, [ctx.ast.program], problem.rule, problem.message);
  }
  return true;
}

function usesRequestProcess(ctx: MigrateContext): boolean {
  let found = false;
  walk(ctx.ast.program, (node, ancestors) => {
    if (found) return false;
    const name = processMember(node);
    if (name !== undefined && REQUEST_MEMBERS.has(name)) found = true;
    // `const { env } = process`, `cgi.run(process)`: the object itself goes somewhere.
    const parent = ancestors.at(-1);
    if (
      node.type === "Identifier" &&
      node.name === "process" &&
      parent?.type !== "MemberExpression"
    )
      found ||= parent?.type !== "UnaryExpression";
    return undefined;
  });
  return found;
}

/** A local module the script loads: its file and what can differ in it and its own locals. */
export interface HelperCheck {
  /** The helper could not be found or parsed. */
  unreadable: boolean;
  /** It (or a module it loads) resolves fs paths against the request's working directory. */
  relativePaths: boolean;
  /** It (or a module it loads) reads the request through process or console when called. */
  request: boolean;
  /**
   * One per problem, the message naming the file and line: `../lib/cart.js line 3: ...`;
   * `fresh` when loading a fresh copy per request (freshRequire) makes it as under CGI.
   */
  problems: Array<{ rule: string; message: string; fresh: boolean }>;
}

/**
 * Checks a local module a script loads, and the local modules that one loads in turn, for
 * what migrate cannot make per request (see {@link migrateHelper}). Uses of `process` and
 * `console` called from the script are not problems: the helper gets the facades when
 * migrate runs over it (it does, for the modules a script loads).
 *
 * @example
 * checkHelper("cgi-bin/cart.cjs", "../lib/cart.js").problems;
 */
export function checkHelper(
  from: string,
  specifier: string,
  seen = new Set<string>(),
): HelperCheck {
  const file = resolveLocal(from, specifier);
  if (!file) return { unreadable: true, relativePaths: false, request: false, problems: [] };
  // JSON data is parsed once and holds no code; a module seen before is checked already.
  if (seen.has(file) || file.endsWith(".json"))
    return { unreadable: false, relativePaths: false, request: false, problems: [] };
  seen.add(file);
  let facts: HelperFacts;
  try {
    facts = helperFacts(parseSource(readFileSync(file, "utf8"), file).program);
  } catch {
    return { unreadable: true, relativePaths: false, request: false, problems: [] };
  }
  const problems: HelperCheck["problems"] = facts.problems.map((p) => ({
    rule: p.rule,
    fresh: FRESH_CURES.has(p.rule),
    message: `${specifier} line ${p.node.loc?.start.line ?? 1}: ${p.message}`,
  }));
  let relativePaths = facts.relativePaths;
  let request = facts.process || facts.console || facts.relativePaths;
  for (const local of facts.locals) {
    const inner = checkHelper(file, local, seen);
    relativePaths ||= inner.relativePaths;
    request ||= inner.request;
    if (inner.unreadable)
      problems.push({
        rule: "helper-module",
        fresh: false,
        message: `${specifier} loads ${local}, which could not be read to check it: if it reads process.env or prints, check it sees this request.`,
      });
    problems.push(
      ...inner.problems.map((p) => ({ ...p, message: `${specifier} -> ${p.message}` })),
    );
  }
  return { unreadable: false, relativePaths, request, problems };
}

// What a fresh copy of the module per request undoes: its state and its load-time code are
// then the request's, as in a CGI process. Globals, stdin files, environment dumps stay.
const FRESH_CURES = new Set(["helper-load-time", "helper-module-state"]);

const EXTENSIONS = [
  "",
  ".js",
  ".cjs",
  ".mjs",
  ".ts",
  ".cts",
  ".mts",
  ".json",
  "/index.js",
  "/index.ts",
];

/**
 * The file a relative `require`/`import` of `from` loads, as Node finds it, or undefined.
 *
 * @example
 * resolveLocal("/site/cgi-bin/a.cgi", "../lib/cgi"); // "/site/lib/cgi.js"
 */
export function resolveLocal(from: string, specifier: string): string | undefined {
  const base = resolve(dirname(from), specifier);
  for (const extension of EXTENSIONS) {
    const candidate = base + extension;
    try {
      if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
    } catch {
      // Unreadable: try the next candidate.
    }
  }
  return undefined;
}

/**
 * The local modules `files` load, directly or through each other, that are not among
 * `files` themselves: migrate takes them along, since a helper a script calls must get the
 * per-request facades for the script to answer as it did.
 *
 * @example
 * localModuleGraph(["/site/cgi-bin/wishlist.cgi"]); // ["/site/lib/cgi.js"]
 */
export function localModuleGraph(files: string[]): string[] {
  const known = new Set(files);
  const found: string[] = [];
  const queue = [...files];
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    let locals: string[];
    try {
      locals = helperFacts(parseSource(readFileSync(file, "utf8"), file).program).locals;
    } catch {
      continue;
    }
    for (const specifier of locals) {
      const target = resolveLocal(file, specifier);
      if (!target || known.has(target) || target.endsWith(".json")) continue;
      known.add(target);
      found.push(target);
      queue.push(target);
    }
  }
  return found.sort();
}

import { basename } from "node:path";
import type { Options } from "prettier";
import { isNodeShebang } from "../detect/discover.js";
import { assemble } from "./assemble.js";
import type { Diagnostic, IoName, MigrateContext } from "./context.js";
import { SourceEditor } from "./editor.js";
import { formatOutput } from "./format.js";
import { isEsm, loadedByRequire } from "./module-kind.js";
import { candidates, declaredNames, freeName } from "./names.js";
import { isTypeScript, parseSource, SourceSyntaxError } from "./parse.js";
import { migrateHelper } from "./helper.js";
import { implicitGlobals } from "./implicit-globals.js";
import { flagEndlessLoops } from "./loops.js";
import { flagLibrary, rewriteScript } from "./rewrite.js";
import { mainGuard, unwrapMainGuard } from "./main-guard.js";
import { assignsExports, moduleShape } from "./shape.js";
import { applyCollected, planCollected } from "./collected.js";
import { applyStatic, planStatic } from "./static.js";

export type { Diagnostic } from "./context.js";

/** How {@link migrateSource} treats one file. */
export interface MigrateOptions {
  /** The file's path: picks the parser, the module kind and `nph-` handling, and finds helpers. */
  filename: string;
  /** The project's prettier options, if it has any. */
  prettierConfig?: Options;
}

/** What became of one file. */
export interface MigrateResult {
  /** The new source; the input itself when `unchanged` or `failed`. */
  code: string;
  /**
   * `migrated`: rewritten, provably equivalent; `needs-review`: rewritten, with
   * `TODO(cgi2wsgi)` marks where it could not be proven; `unchanged`: no CGI usage (or
   * already an application); `failed`: not rewritten, see the diagnostic.
   */
  status: "migrated" | "unchanged" | "needs-review" | "failed";
  diagnostics: Diagnostic[];
}

const IO_NAMES: IoName[] = [
  "stdout",
  "stderr",
  "stdin",
  "console",
  "exit",
  "setExitCode",
  "onExit",
  "onUncaughtException",
];
const RESERVED = [
  "environ",
  "start_response",
  "application",
  "cgiProcess",
  "cgiEnv",
  "cgiPath",
  "cgiRead",
];

/**
 * Rewrites a legacy CGI script into a module that exports `application(environ,
 * start_response)`, answering each request as the script answered it under a CGI server.
 * Files without CGI usage come back byte-identical, and so does migrate's own output.
 *
 * @example
 * const result = await migrateSource(readFileSync("cgi-bin/hello.cjs", "utf8"), {
 *   filename: "cgi-bin/hello.cjs",
 * });
 * if (result.status !== "failed") writeFileSync("cgi-bin/hello.cjs", result.code);
 */
export async function migrateSource(code: string, options: MigrateOptions): Promise<MigrateResult> {
  const { filename } = options;
  let ast;
  try {
    ast = parseSource(code, filename);
  } catch (error) {
    if (!(error instanceof SourceSyntaxError)) throw error;
    // A .jsx file with real JSX, or a .cgi file without a node shebang that is no JavaScript,
    // is not a script node could run as CGI: nothing to migrate there.
    if (!mustParse(code, filename)) return { code, status: "unchanged", diagnostics: [] };
    return failed(code, "syntax-error", error.message, error.line, error.column);
  }
  try {
    return await migrateParsed(code, ast, options);
  } catch (error) {
    // A bug of migrate must not stop a run over a whole tree: this file fails, the rest goes on.
    const reason = error instanceof Error ? error.message : String(error);
    return failed(
      code,
      "internal-error",
      `migrate failed on this file (${reason}); please report it`,
      1,
      1,
    );
  }
}

async function migrateParsed(
  code: string,
  ast: ReturnType<typeof parseSource>,
  options: MigrateOptions,
): Promise<MigrateResult> {
  const { filename } = options;
  const shape = moduleShape(ast);
  if (shape.migrated) return { code, status: "unchanged", diagnostics: [] };
  const declared = declaredNames(ast.program);
  const taken = new Set([...declared, ...RESERVED]);
  const ctx: MigrateContext = {
    source: code,
    filename,
    ast,
    editor: new SourceEditor(code),
    esm: false,
    typescript: isTypeScript(filename),
    diagnostics: [],
    ioNames: Object.fromEntries(IO_NAMES.map((n) => [n, freeName(candidates(n), taken)])) as Record<
      IoName,
      string
    >,
    usedIo: new Set(),
    envName: freeName(["env", "requestEnv", "cgiEnvironment"], taken),
    envDeclared: false,
    globalName: undefined,
    childProcess: false,
    runtimeImports: new Set(["cgiProcess"]),
    topLevelAwait: false,
    scriptDir: false,
    callsHelpers: false,
    perRequest: new Set(),
    implicitGlobals: [],
    todos: new Map(),
  };
  // TypeScript narrows after a call to a `never` function only through explicitly typed
  // names: `io.exit()` on a parameter typed CgiIo does, a destructured `exit()` does not.
  if (ctx.typescript) ctx.ioNames.exit = `${freeName(["io", "cgiIo"], taken)}.exit`;
  const guard = mainGuard(ast.program.body);
  if (shape.exports && !guard) {
    ctx.esm = isEsm(filename, shape, false);
    const changed = migrateHelper(ctx, declared) ?? flagLibrary(ctx);
    if (!changed) return { code, status: "unchanged", diagnostics: [] };
    const status = ctx.diagnostics.length > 0 ? "needs-review" : "migrated";
    return { code: ctx.editor.slice(0, code.length), status, diagnostics: ctx.diagnostics };
  }
  const clash = RESERVED.find((name) => declared.has(name));
  // Known before the rewrite, which spells the script's folder (__dirname or import.meta.dirname).
  ctx.esm = isEsm(filename, shape, false);
  if (!rewriteScript(ctx, declared)) return { code, status: "unchanged", diagnostics: [] };
  if (guard) unwrapMainGuard(ctx, guard, ast.program.body.filter(assignsExports));
  flagEndlessLoops(ctx, ast.program);
  // Declared in the body, they are the request's own, as they were the process's under CGI.
  if (!ctx.typescript)
    ctx.implicitGlobals = implicitGlobals(ast.program, declared).map((g) => g.name);
  if (clash) {
    return failed(
      code,
      "name-clash",
      `${filename} declares "${clash}", a name the migrated module needs: rename it and run migrate again`,
      1,
      1,
    );
  }
  ctx.esm = isEsm(filename, shape, ctx.topLevelAwait);
  if (loadedByRequire(filename) && (shape.esmSyntax || ctx.topLevelAwait)) {
    return failed(
      code,
      "module-syntax",
      `${basename(filename)} uses import/export or top-level await, but node loads a file of this name only as CommonJS (require), so neither it nor its migrated module can be loaded: rename it to .mjs, or use require(), and run migrate again`,
      1,
      1,
    );
  }
  const nph = basename(filename).startsWith("nph-");
  // Helpers reading the request through the runtime's facades find it only inside cgiProcess.
  const facades =
    ctx.callsHelpers ||
    ctx.runtimeImports.has("requestProcess") ||
    ctx.runtimeImports.has("freshRequire");
  const plan = nph || facades ? undefined : planStatic(ctx);
  // Synchronous scripts that print their body from anywhere collect it instead (they need
  // `format` for the error they may log).
  const collected =
    nph || facades || plan || declared.has("format") ? undefined : planCollected(ctx);
  let assembled;
  if (plan && !(plan.usesFormat && declared.has("format"))) {
    ctx.runtimeImports.delete("cgiProcess");
    const plainReturn = applyStatic(ctx, plan);
    assembled = assemble(ctx, { nph, plainReturn, format: plan.usesFormat });
  } else if (collected) {
    ctx.runtimeImports.delete("cgiProcess");
    const { before, after } = applyCollected(ctx, collected, taken);
    assembled = assemble(ctx, { nph, plainBefore: before, plainReturn: after, format: true });
  } else {
    assembled = assemble(ctx, { nph });
  }
  let formatted;
  try {
    formatted = await formatOutput(assembled, {
      typescript: ctx.typescript,
      prettierConfig: options.prettierConfig,
    });
  } catch (error) {
    return failed(
      code,
      "internal-error",
      `migrate produced code it cannot format (${(error as Error).message.split("\n")[0]}); please report this file`,
      1,
      1,
    );
  }
  return {
    code: formatted,
    status: ctx.diagnostics.length > 0 ? "needs-review" : "migrated",
    diagnostics: ctx.diagnostics,
  };
}

function mustParse(code: string, filename: string): boolean {
  if (/\.jsx$/.test(filename)) return false;
  return !filename.endsWith(".cgi") || isNodeShebang(code.split(/\r?\n/, 1)[0]!);
}

function failed(
  code: string,
  rule: string,
  message: string,
  line: number,
  column: number,
): MigrateResult {
  return { code, status: "failed", diagnostics: [{ rule, message, line, column }] };
}

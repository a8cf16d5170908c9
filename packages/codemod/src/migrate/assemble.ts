import type { Statement } from "@babel/types";
import type { MigrateContext } from "./context.js";
import { isEmptyExport, isRequire } from "./shape.js";

const TYPE_ONLY = new Set([
  "TSInterfaceDeclaration",
  "TSTypeAliasDeclaration",
  "TSDeclareFunction",
  "TSModuleDeclaration",
  "TSEnumDeclaration",
  "DeclareVariable",
]);

/**
 * Imports and `require`s stay at module level (modules are cached, so they loaded once per
 * process under CGI too), and so do types. Everything else is the script's per-request work.
 */
function isImport(statement: Statement): boolean {
  if (statement.type === "ImportDeclaration") return true;
  return (
    statement.type === "VariableDeclaration" &&
    statement.declarations.every((d) => isRequire(d.init))
  );
}

/**
 * Types stay at module level, and so do enums and namespaces: constant definitions that
 * TypeScript allows only there (a namespace may not sit in a function).
 */
function isTypeOnly(statement: Statement): boolean {
  return TYPE_ONLY.has(statement.type);
}

/** Where a statement's text ends: its end, or the end of a comment on the same line. */
function segmentEnd(statement: Statement): number {
  let end = statement.end!;
  for (const comment of statement.trailingComments ?? []) {
    if (comment.loc?.start.line === statement.loc?.end.line) end = Math.max(end, comment.end!);
  }
  return end;
}

/** How the script body is wrapped. */
export interface WrapOptions {
  nph: boolean;
  /** The body is a plain application ending with this statement, not run through `cgiProcess`. */
  plainReturn?: string;
  /** Code of the plain application before the script's statements. */
  plainBefore?: string;
  /** Import `format` from node:util. */
  format?: boolean;
}

/**
 * Builds the migrated module: shebang, header comments and directives; imports and
 * requires; then `application(environ, start_response)` whose body runs the rest of the
 * script through `cgiProcess` on every request, so module-level state starts fresh each time.
 *
 * @example
 * const code = assemble(ctx, { nph: false });
 */
export function assemble(ctx: MigrateContext, options: WrapOptions): string {
  const { editor } = ctx;
  const body = ctx.ast.program.body;
  const first = body[0];
  const headerEnd = first ? first.start! : ctx.source.length;
  const imports: string[] = [];
  const types: string[] = [];
  let moved = "";
  let at = headerEnd;
  for (const statement of body) {
    const end = Math.max(at, segmentEnd(statement));
    const segment = editor.slice(at, end);
    // `export {}` only made a TypeScript script a module; the application export does that now.
    if (isEmptyExport(statement)) imports.push(editor.slice(at, statement.start!));
    else if (isImport(statement) && !ctx.perRequest.has(statement.start!)) imports.push(segment);
    else if (isTypeOnly(statement)) types.push(segment);
    else moved += segment;
    at = end;
  }
  moved += editor.slice(at, ctx.source.length);
  if (options.format)
    imports.push(
      ctx.esm
        ? `\nimport { format } from "node:util";`
        : `\nconst { format } = require("node:util");`,
    );
  const top = [...imports, `\n${runtimeImport(ctx)}\n`, ...types].join("");
  return `${editor.slice(0, headerEnd)}${top}\n\n${wrapper(ctx, options, moved)}\n`;
}

function runtimeImport(ctx: MigrateContext): string {
  const names: string[] = [...ctx.runtimeImports].sort();
  if (names.length === 0 && !ctx.typescript) return "";
  if (ctx.typescript && names.length === 0) {
    return `import type { Environ, StartResponse } from "@cgi2wsgi/runtime";`;
  }
  if (ctx.typescript && ctx.usedIo.has("exit")) names.push("type CgiIo");
  if (ctx.typescript) names.push("type Environ", "type StartResponse");
  if (ctx.esm || ctx.typescript) return `import { ${names.join(", ")} } from "@cgi2wsgi/runtime";`;
  return `const { ${names.join(", ")} } = require("@cgi2wsgi/runtime");`;
}

function wrapper(ctx: MigrateContext, options: WrapOptions, body: string): string {
  const params = ctx.typescript
    ? "environ: Environ, start_response: StartResponse"
    : "environ, start_response";
  const typedExit = ctx.typescript && ctx.usedIo.has("exit");
  const io = [...ctx.usedIo]
    .filter((name) => !(typedExit && name === "exit"))
    .map((name) => (ctx.ioNames[name] === name ? name : `${name}: ${ctx.ioNames[name]}`));
  const pattern = io.length ? `{ ${io.join(", ")} }` : "";
  const ioVar = ctx.ioNames.exit.replace(/\.exit$/, "");
  const param = typedExit ? `${ioVar}: CgiIo` : pattern;
  const callback = `${ctx.topLevelAwait ? "async " : ""}(${param}) =>`;
  const ioLine = typedExit && pattern ? `const ${pattern} = ${ioVar};\n` : "";
  const globalLine = ctx.globalName ? `const ${ctx.globalName} = Object.create(globalThis);\n` : "";
  const implicit = ctx.implicitGlobals.length ? `var ${ctx.implicitGlobals.join(", ")};\n` : "";
  const envLine = `${implicit}${ioLine}${ctx.envDeclared ? `const ${ctx.envName} = cgiEnv(environ);\n` : ""}${globalLine}`;
  if (options.plainReturn !== undefined) {
    const plain = `${envLine}${options.plainBefore ?? ""}${body}\n${options.plainReturn}`;
    if (ctx.esm || ctx.typescript) return `export function application(${params}) {\n${plain}\n}`;
    return `exports.application = function application(${params}) {\n${plain}\n};`;
  }
  const settings = [
    options.nph && "nph: true",
    ctx.scriptDir && `dir: ${ctx.esm ? "import.meta.dirname" : "__dirname"}`,
  ].filter(Boolean);
  const nph = settings.length ? `{ ${settings.join(", ")} }, ` : "";
  const call = `return cgiProcess(environ, start_response, ${nph}${callback} {\n${envLine}${body}\n});`;
  if (ctx.esm || ctx.typescript) return `export function application(${params}) {\n${call}\n}`;
  return `exports.application = function application(${params}) {\n${call}\n};`;
}

import type { File, Node } from "@babel/types";
import type { SourceEditor } from "./editor.js";

/** One thing migrate reports about a file, at its position in the original source. */
export interface Diagnostic {
  /** Stable rule id, e.g. `helper-module`. */
  rule: string;
  message: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

/** The per-request objects a migrated script body receives from `cgiProcess`. */
export type IoName =
  | "stdout"
  | "stderr"
  | "stdin"
  | "console"
  | "exit"
  | "setExitCode"
  | "onExit"
  | "onUncaughtException";

/** What the rewrite of one file knows and decides. */
export interface MigrateContext {
  readonly source: string;
  readonly filename: string;
  readonly ast: File;
  readonly editor: SourceEditor;
  /** The file runs as an ES module (decided once its syntax is known). */
  esm: boolean;
  readonly typescript: boolean;
  readonly diagnostics: Diagnostic[];
  /** Local name chosen for each io object (differs from the io name on a clash). */
  readonly ioNames: Record<IoName, string>;
  /** Io objects the body uses, in first-use order. */
  readonly usedIo: Set<IoName>;
  /** The name of the per-request `process.env` view, when one is declared. */
  readonly envName: string;
  /** The body declares `const <envName> = cgiEnv(environ)` first. */
  envDeclared: boolean;
  /** Set when the script writes to `global`/`globalThis`: the per-request stand-in's name. */
  globalName: string | undefined;
  /** The script loads child_process: its spawn/exec calls get the request's environment. */
  childProcess: boolean;
  /** Runtime exports the output imports. */
  readonly runtimeImports: Set<
    "cgiProcess" | "cgiEnv" | "cgiPath" | "cgiRead" | "requestProcess" | "freshRequire"
  >;
  /** Top-level require statements (by start) that load per request: they stay in the body. */
  readonly perRequest: Set<number>;
  /** A local helper reads the request through the facades: the body runs in cgiProcess. */
  callsHelpers: boolean;
  /** A helper resolves paths against process.cwd(): cgiProcess gets `dir: <script folder>`. */
  scriptDir: boolean;
  /** Names the sloppy script assigns undeclared: the body declares them, one per request. */
  implicitGlobals: string[];
  /** The script body awaits at its top level. */
  topLevelAwait: boolean;
  /** TODO lines already inserted, by statement start, to avoid repeating one. */
  readonly todos: Map<number, Set<string>>;
}

/**
 * The marker every construct migrate could not prove equivalent carries in the output.
 *
 * @example
 * code.includes(TODO); // the file needs a person's review
 */
export const TODO = "TODO(cgi2wsgi):";

/**
 * Records a construct to review: a diagnostic, and a `// TODO(cgi2wsgi): ...` line above
 * the statement that holds it.
 *
 * @example
 * review(ctx, node, ancestors, "cwd", "process.cwd() was the script's folder under CGI");
 */
export function review(
  ctx: MigrateContext,
  node: Node,
  ancestors: readonly Node[],
  rule: string,
  message: string,
): void {
  const loc = node.loc?.start ?? { line: 1, column: 0 };
  ctx.diagnostics.push({ rule, message, line: loc.line, column: loc.column + 1 });
  const start = enclosingStatement(node, ancestors).start ?? 0;
  const seen = ctx.todos.get(start) ?? new Set<string>();
  if (seen.has(message)) return;
  seen.add(message);
  ctx.todos.set(start, seen);
  const lineStart = ctx.source.lastIndexOf("\n", start - 1) + 1;
  // Already marked (a helper module flagged by an earlier run): keep the file as it is.
  if (commentsAbove(ctx.source, lineStart).includes(`${TODO} ${message}`)) return;
  const indent = /^[ \t]*/.exec(ctx.source.slice(lineStart, start))![0];
  ctx.editor.insert(start, `// ${TODO} ${message}\n${indent}`);
}

const LISTS = new Set(["Program", "BlockStatement", "StaticBlock", "SwitchCase"]);

/**
 * The statement around `node` that sits directly in a statement list (where a comment fits).
 *
 * @example
 * editor.insert(enclosingStatement(node, ancestors).start!, "// note\n");
 */
export function enclosingStatement(node: Node, ancestors: readonly Node[]): Node {
  const chain = [...ancestors, node];
  for (let i = chain.length - 1; i > 0; i--) {
    const parent = chain[i - 1]!;
    if (LISTS.has(parent.type) && chain[i]!.type !== "SwitchCase") return chain[i]!;
  }
  return node;
}

/**
 * The original source text of a node.
 *
 * @example
 * text(ctx, call.arguments[0]); // '"utf8"'
 */
export function text(ctx: MigrateContext, node: Node): string {
  return ctx.source.slice(node.start ?? 0, node.end ?? 0);
}

/**
 * Marks an io object as used and returns its local name.
 *
 * @example
 * editor.replace(node.start!, node.end!, io(ctx, "stdout"));
 */
export function io(ctx: MigrateContext, name: IoName): string {
  ctx.usedIo.add(name);
  return ctx.ioNames[name];
}

/** The run of `//` comment lines right above `lineStart`. */
function commentsAbove(source: string, lineStart: number): string {
  let start = lineStart;
  for (;;) {
    const previous = source.lastIndexOf("\n", start - 2) + 1;
    if (start === 0 || !source.slice(previous, start).trimStart().startsWith("//")) break;
    start = previous;
  }
  return source.slice(start, lineStart);
}

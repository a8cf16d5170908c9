import type { ParserPlugin } from "@babel/parser";
import { parse } from "../babel-parser.js";
import type { File } from "@babel/types";

/** The source could not be parsed: migrate writes nothing for it. */
export class SourceSyntaxError extends Error {
  readonly code = "ERR_MIGRATE_SYNTAX";

  constructor(
    filename: string,
    readonly line: number,
    readonly column: number,
    reason: string,
  ) {
    super(`${filename}:${line}:${column}: ${reason}; fix the syntax error and run migrate again`);
    this.name = "SourceSyntaxError";
  }
}

/**
 * Whether a file name is TypeScript.
 *
 * @example
 * isTypeScript("orders.ts"); // true
 */
export function isTypeScript(filename: string): boolean {
  return /\.[cm]?tsx?$/.test(filename);
}

/**
 * Parses a legacy script with Babel: TypeScript for `.ts` files, JSX never, `return` at
 * the top level allowed (CommonJS scripts used it to stop early), top-level `await` in
 * modules. Throws {@link SourceSyntaxError}.
 *
 * @example
 * const ast = parseSource("process.stdout.write('hi')", "hello.cjs");
 */
export function parseSource(code: string, filename: string): File {
  const plugins: ParserPlugin[] = isTypeScript(filename) ? ["typescript"] : [];
  try {
    return parse(code, {
      sourceType: /\.c[jt]s$/.test(filename) ? "script" : "unambiguous",
      allowReturnOutsideFunction: true,
      allowAwaitOutsideFunction: !/\.c[jt]s$/.test(filename),
      plugins,
      ranges: false,
    });
  } catch (error) {
    const err = error as Error & { loc?: { line: number; column: number }; reasonCode?: string };
    const reason = err.message.replace(/\s*\(\d+:\d+\)$/, "");
    throw new SourceSyntaxError(filename, err.loc?.line ?? 1, (err.loc?.column ?? 0) + 1, reason);
  }
}

/**
 * A mistake in how the command was called (unknown option, missing path, bad value). The
 * CLI prints the message, which says what to type instead, and exits with code 2.
 *
 * @example
 * throw new UsageError('unknown format "xml"; use stylish, json, sarif or github');
 */
export class UsageError extends Error {
  readonly code = "ERR_USAGE";
  override readonly name = "UsageError";
}

/**
 * True for errors that are the caller's mistake rather than a bug: our UsageError, the
 * serve command's, and node:util parseArgs' ERR_PARSE_ARGS_* errors.
 *
 * @example
 * if (isUsageError(error)) return 2;
 */
export function isUsageError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && (code === "ERR_USAGE" || code.startsWith("ERR_PARSE_ARGS"));
}

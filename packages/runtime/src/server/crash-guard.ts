/**
 * Keeps the process serving when application code throws outside any request: an error
 * from a timer, an event handler or a promise nobody awaits would otherwise end every
 * request of the process (node's default for an uncaught exception). The error is logged
 * with its stack, as gunicorn logs a worker's exception, and serving goes on; `onError`
 * lets the caller count or react (a prefork worker could retire itself).
 *
 * @example
 * guardProcess((text) => process.stderr.write(text));
 */
export function guardProcess(
  log: (text: string) => void,
  onError?: (error: unknown) => void,
): void {
  const report = (kind: string) => (error: unknown) => {
    const text = error instanceof Error ? (error.stack ?? String(error)) : String(error);
    log(`cgi2wsgi: ${kind} in application code (kept serving): ${text}\n`);
    onError?.(error);
  };
  process.on("uncaughtException", report("uncaught exception"));
  process.on("unhandledRejection", report("unhandled rejection"));
}

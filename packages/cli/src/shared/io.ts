/**
 * Where a command writes, and what it knows of the terminal. The binary passes the process's
 * streams; tests may pass their own.
 */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Whether stdout / stderr are terminals (colour, progress lines). */
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  /** Terminal width for progress lines. */
  columns: number;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/**
 * The io of the running process.
 *
 * @example
 * const code = await lintCommand(process.argv.slice(3), processIo());
 */
export function processIo(): CliIo {
  // `cgi2wsgi lint . | head` closes the pipe early; that is not an error worth a stack.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EPIPE") throw error;
    });
  }
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    stderrIsTTY: Boolean(process.stderr.isTTY),
    columns: process.stderr.columns || 80,
    env: process.env,
    cwd: process.cwd(),
  };
}

import { spawn } from "node:child_process";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const tsx = pathToFileURL(`${root}node_modules/tsx/dist/loader.mjs`).href;
const bin = `${root}packages/cli/bin/cgi2wsgi.js`;

/** The node flags that run the workspace packages from their TypeScript sources. */
export const SOURCE_FLAGS = ["--conditions=cgi2wsgi-source", "--import", tsx];

/** Node's arguments that run the CLI from sources in any directory; append the command's own. */
export const CLI_ARGV = [...SOURCE_FLAGS, bin];

/** What one run of the real binary did. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The command line that runs `args` (program first) with file modes binding it. Root keeps
 * its uid (so it still reaches the checkout, node and node_modules, wherever they are, a
 * mode-700 home included) and only loses, through util-linux's setpriv, the two capabilities
 * that let it read any file: a mode-000 file then fails with EACCES as for everyone else.
 */
function unprivileged(args: string[]): string[] {
  if (process.getuid?.() !== 0) return args;
  return ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--", ...args];
}

/**
 * Runs the real `cgi2wsgi` binary (TypeScript sources through tsx, as `pnpm cgi2wsgi` does)
 * in `cwd`, with colour variables cleared unless given. `unprivileged` runs it without root's
 * power to read any file, for tests of files it must not read.
 *
 * @example
 * const { code, stdout } = await runCli(["lint", "."], { cwd: dir });
 */
export function runCli(
  args: string[],
  options: { cwd: string; env?: Record<string, string>; unprivileged?: boolean },
): Promise<CliRun> {
  return runCommand(process.execPath, [...CLI_ARGV, ...args], options);
}

/**
 * Runs any command as {@link runCli} runs the binary: in `cwd`, output collected, colour
 * variables cleared unless given, standard input closed unless `input` is given, without
 * root's power to read any file when `unprivileged`.
 *
 * @example
 * const { code } = await runCommand("npx", ["cgi2wsgi", "--help"], { cwd: app });
 */
export function runCommand(
  command: string,
  args: string[],
  options: { cwd: string; env?: Record<string, string>; unprivileged?: boolean; input?: string },
): Promise<CliRun> {
  const env: Record<string, string | undefined> = { ...process.env, ...options.env };
  for (const name of ["NO_COLOR", "FORCE_COLOR"]) {
    if (!options.env || !(name in options.env)) delete env[name];
  }
  const [program, ...rest] = options.unprivileged
    ? unprivileged([command, ...args])
    : [command, ...args];
  const child = spawn(program!, rest, {
    cwd: options.cwd,
    env,
    stdio: [options.input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
  });
  if (options.input !== undefined) child.stdin!.end(options.input);
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk));
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

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
 * Runs the real `cgi2wsgi` binary (TypeScript sources through tsx, as `pnpm cgi2wsgi` does)
 * in `cwd`, with colour variables cleared unless given.
 *
 * @example
 * const { code, stdout } = await runCli(["lint", "."], { cwd: dir });
 */
export function runCli(
  args: string[],
  options: { cwd: string; env?: Record<string, string>; uid?: number },
): Promise<CliRun> {
  return runCommand(process.execPath, [...CLI_ARGV, ...args], options);
}

/**
 * Runs any command as {@link runCli} runs the binary: in `cwd`, output collected, colour
 * variables cleared unless given, standard input closed unless `input` is given.
 *
 * @example
 * const { code } = await runCommand("npx", ["cgi2wsgi", "--help"], { cwd: app });
 */
export function runCommand(
  command: string,
  args: string[],
  options: { cwd: string; env?: Record<string, string>; uid?: number; input?: string },
): Promise<CliRun> {
  const env: Record<string, string | undefined> = { ...process.env, ...options.env };
  for (const name of ["NO_COLOR", "FORCE_COLOR"]) {
    if (!options.env || !(name in options.env)) delete env[name];
  }
  const child = spawn(command, args, {
    cwd: options.cwd,
    env,
    ...(options.uid !== undefined ? { uid: options.uid, gid: options.uid } : {}),
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

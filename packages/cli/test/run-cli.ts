import { spawn } from "node:child_process";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const tsx = pathToFileURL(`${root}node_modules/tsx/dist/loader.mjs`).href;
const bin = `${root}packages/cli/bin/cgi2wsgi.js`;

/** The node flags that run the workspace packages from their TypeScript sources. */
export const SOURCE_FLAGS = ["--conditions=cgi2wsgi-source", "--import", tsx];

/** The workspace's `cgi2wsgi` binary (bin/cgi2wsgi.js), to link where a test needs it. */
export const CLI_BIN = bin;

/** What one run of the real binary did. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Where and as whom a command runs. */
export interface RunOptions {
  cwd: string;
  env?: Record<string, string>;
  uid?: number;
}

/**
 * Runs the real `cgi2wsgi` binary (TypeScript sources through tsx, as `pnpm cgi2wsgi` does)
 * in `cwd`, with colour variables cleared unless given.
 *
 * @example
 * const { code, stdout } = await runCli(["lint", "."], { cwd: dir });
 */
export function runCli(args: string[], options: RunOptions): Promise<CliRun> {
  return runCommand(process.execPath, [...SOURCE_FLAGS, bin, ...args], options);
}

/**
 * Runs any command with {@link runCli}'s environment (colour variables cleared unless given)
 * and collects its output, for tests that run a shell script or another tool.
 *
 * @example
 * const { code } = await runCommand("bash", ["-c", script], { cwd: dir, env });
 */
export function runCommand(command: string, args: string[], options: RunOptions): Promise<CliRun> {
  const env: Record<string, string | undefined> = { ...process.env, ...options.env };
  for (const name of ["NO_COLOR", "FORCE_COLOR"]) {
    if (!options.env || !(name in options.env)) delete env[name];
  }
  const child = spawn(command, args, {
    cwd: options.cwd,
    env,
    ...(options.uid !== undefined ? { uid: options.uid, gid: options.uid } : {}),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

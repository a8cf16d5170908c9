import { spawn } from "node:child_process";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const tsx = pathToFileURL(`${root}node_modules/tsx/dist/loader.mjs`).href;
const bin = `${root}packages/cli/bin/cgi2wsgi.js`;

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
  const env: Record<string, string | undefined> = { ...process.env, ...options.env };
  for (const name of ["NO_COLOR", "FORCE_COLOR"]) {
    if (!options.env || !(name in options.env)) delete env[name];
  }
  const child = spawn(
    process.execPath,
    ["--conditions=cgi2wsgi-source", "--import", tsx, bin, ...args],
    {
      cwd: options.cwd,
      env,
      ...(options.uid !== undefined ? { uid: options.uid, gid: options.uid } : {}),
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

import { execFile } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import {
  makeTempDir,
  NotListeningError,
  removeTempDir,
  sharedNode,
  startProcess,
  waitForListening,
  type Address,
  type ManagedProcess,
} from "../support/index.js";

const ROOT = fileURLToPath(new URL("../../../../", import.meta.url));
const TSX = pathToFileURL(join(ROOT, "node_modules/tsx/dist/loader.mjs")).href;
const BIN = join(ROOT, "packages/cli/bin/cgi2wsgi.js");
const CONFORMANCE_APP = fileURLToPath(new URL("../conformance/app.ts", import.meta.url));

/**
 * How to run the real `cgi2wsgi` binary from its sources (as `pnpm cgi2wsgi` does), in place
 * of the `cgi2wsgi` a documented command line starts with. Its Node is one every user may run,
 * since the launchers it writes name it and Apache runs them as www-data.
 *
 * @example
 * const [command, args] = cliCommand(["serve", "app.ts"]);
 */
export function cliCommand(args: string[]): [string, string[]] {
  return [sharedNode(), ["--conditions=cgi2wsgi-source", "--import", TSX, BIN, ...args]];
}

/** A documented command line that does not start with `cgi2wsgi` (or its /usr/bin path). */
export class NotACgi2wsgiCommandError extends Error {
  readonly code = "ERR_NOT_CGI2WSGI_COMMAND";
  constructor(line: string) {
    super(`expected a cgi2wsgi command line in the docs, got ${JSON.stringify(line)}`);
  }
}

/** The arguments of the first `cgi2wsgi ...` line of a snippet (no quoting in the docs). */
export function commandArgs(text: string): string[] {
  const line = text.split("\n").find((l) => l.trim() !== "" && !l.startsWith("#")) ?? "";
  const [program, ...args] = line.trim().split(/\s+/);
  if (!program || !/(^|\/)cgi2wsgi$/.test(program)) throw new NotACgi2wsgiCommandError(line);
  return args;
}

/**
 * A temp dir standing in for `/srv/app`: `app.ts` re-exports the conformance application,
 * or the given module source.
 *
 * @example
 * const appDir = await makeAppDir();
 * snippet("fastcgi-serve", { "/srv/app": appDir });
 */
export async function makeAppDir(source?: string): Promise<string> {
  const dir = await makeTempDir("docs-app");
  const text = source ?? `export { application } from ${JSON.stringify(CONFORMANCE_APP)};\n`;
  await writeFile(join(dir, "app.ts"), text);
  return dir;
}

/**
 * Runs a documented one-shot command (`cgi2wsgi launcher ...`) to completion.
 *
 * @example
 * await runDocumentedCommand(snippet("cgi-launcher", { "/srv/app": appDir }));
 */
export async function runDocumentedCommand(text: string): Promise<string> {
  const [command, args] = cliCommand(commandArgs(text));
  const { stdout } = await promisify(execFile)(command, args, { cwd: ROOT });
  return stdout;
}

/**
 * Starts a documented long-running command (`cgi2wsgi serve ...`) in its own process group
 * and waits until it accepts connections at `address`.
 *
 * @example
 * const runtime = await startDocumentedServer(text, { host: "127.0.0.1", port });
 * await runtime.stop();
 */
export async function startDocumentedServer(
  text: string,
  address: Address,
  env: Record<string, string> = {},
): Promise<ManagedProcess> {
  const [command, args] = cliCommand(commandArgs(text));
  const proc = startProcess(command, args, { cwd: ROOT, env: { ...process.env, ...env } });
  if (!(await waitForListening(address, () => proc.running(), 20_000))) {
    await proc.stop();
    throw new NotListeningError("cgi2wsgi serve", proc.output() || "(no output)");
  }
  return proc;
}

/**
 * Stops what a test started, last first, and removes temp dirs; tolerates missing pieces so
 * a half-started stack cleans up too.
 *
 * @example
 * await stopAll([front, runtime], [appDir]);
 */
export async function stopAll(
  closers: Array<{ close(): Promise<void> } | { stop(): Promise<void> } | undefined>,
  dirs: string[] = [],
): Promise<void> {
  for (const item of closers) {
    if (!item) continue;
    await ("close" in item ? item.close() : item.stop());
  }
  for (const dir of dirs) await removeTempDir(dir);
}

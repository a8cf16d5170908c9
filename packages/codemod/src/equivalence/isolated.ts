import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { CaseRequest, CaseResponse, MountOptions } from "./types.js";

/** What the child process is asked to do. */
export interface IsolatedJob {
  module: string;
  requests: CaseRequest[];
  options: MountOptions & { scriptPath?: string };
}

/** What it answers: the responses (bodies in base64), or why it could not. */
export type IsolatedOutcome =
  { responses: Array<Omit<CaseResponse, "body"> & { body: string }> } | { error: string };

/** The migrated module could not be run at all: it failed to load, or killed its process. */
export class MigratedModuleError extends Error {
  readonly code = "ERR_MIGRATED_MODULE";

  constructor(modulePath: string, detail: string) {
    super(`${modulePath} could not serve the requests: ${detail}`);
    this.name = "MigratedModuleError";
  }
}

/** How {@link runMigratedIsolated} runs the module. */
export interface IsolatedOptions extends MountOptions {
  /** The legacy script, for its default SCRIPT_NAME. */
  scriptPath?: string;
  /** Kill the process after this many milliseconds (default 60 000). */
  timeoutMs?: number;
}

const here = fileURLToPath(import.meta.url);
const runner = join(dirname(here), `isolated-runner${here.endsWith(".ts") ? ".ts" : ".js"}`);

/**
 * Runs a migrated module in a fresh Node process, loaded as `cgi2wsgi serve` loads it (Node's
 * own loader with tsx, so CommonJS, ES modules and TypeScript all work, and the runtime
 * resolves from its sources in this repository), and answers every request in order through
 * the runtime's test client. One process per call: the module is loaded once and serves all
 * the requests, so state leaking from one request into the next shows. Its working
 * directory is a fresh temporary one, not the script's folder a CGI server would give.
 *
 * @example
 * const [get, post] = await runMigratedIsolated("out/cgi-bin/form.cjs", [{}, { method: "POST", body: "a=1" }]);
 */
export async function runMigratedIsolated(
  modulePath: string,
  requests: readonly CaseRequest[],
  options: IsolatedOptions = {},
): Promise<CaseResponse[]> {
  const module = resolve(modulePath);
  const dir = mkdtempSync(join(tmpdir(), "cgi2wsgi-isolated-"));
  try {
    const { timeoutMs, ...mount } = options;
    const job: IsolatedJob = { module, requests: [...requests], options: mount };
    writeFileSync(join(dir, "job.json"), JSON.stringify(job));
    const outFile = join(dir, "out.json");
    // The working directory is not the module's: a gateway serves many scripts from wherever
    // it was started, so a script that opens files relative to its folder must show it.
    const exit = await runChild(dir, [join(dir, "job.json"), outFile], timeoutMs ?? 60_000);
    if (!existsSync(outFile)) throw new MigratedModuleError(modulePath, exit);
    const outcome = JSON.parse(readFileSync(outFile, "utf8")) as IsolatedOutcome;
    if ("error" in outcome) throw new MigratedModuleError(modulePath, outcome.error);
    return outcome.responses.map((r) => ({ ...r, body: Buffer.from(r.body, "base64") }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function runChild(cwd: string, args: string[], timeoutMs: number): Promise<string> {
  // From this repository's sources the runner is TypeScript and needs tsx; built, plain node.
  const flags = runner.endsWith(".ts")
    ? [
        "--conditions=cgi2wsgi-source",
        "--import",
        pathToFileURL(createRequire(here).resolve("tsx")).href,
      ]
    : [];
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [...flags, runner, ...args], {
      cwd,
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", fail);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      // Node exits 13 when the main module's top-level await can never settle: here, an
      // application whose answer waits on something that will never happen.
      const hint = code === 13 ? ": the application never finished its answer" : "";
      done(
        `the process ended (${signal ?? `exit ${code}`}) before answering all requests${hint}\n${stderr}`,
      );
    });
  });
}

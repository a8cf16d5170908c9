import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { CgiOutputError, parseCgiResponse } from "@cgi2wsgi/runtime";
import { resolveRequest } from "./case-request.js";
import { isNodeShebang } from "../detect/discover.js";
import { cgiEnvironment } from "./cgi-environment.js";
import { deliver } from "./deliver.js";
import type { CaseRequest, CaseResponse, MountOptions } from "./types.js";

/** How {@link runLegacyCgi} runs a script. */
export interface LegacyOptions extends MountOptions {
  /** Kill the script after this many milliseconds and answer 504 (default 10 000). */
  timeoutMs?: number;
}

interface Exit {
  stdout: Buffer;
  stderr: string;
  code: number | null;
  timedOut: boolean;
}

/**
 * Runs a legacy script as a CGI server does: a new process per request, started from its
 * shebang in its own directory, with the RFC 3875 meta-variables as its whole environment
 * (plus PATH), the body on stdin, and stdout parsed as CGI output (`nph-` scripts send
 * their own status line). Crashes and bad output get the answer a server gives: 500 for a
 * script that exits non-zero without output, 502 for output no server can parse.
 *
 * @example
 * const res = await runLegacyCgi("test-fixtures/hello-var/cgi-bin/hello.cjs", { query: "name=Ada" });
 * res.status; // "200 OK"
 */
export async function runLegacyCgi(
  scriptPath: string,
  request: CaseRequest,
  options: LegacyOptions = {},
): Promise<CaseResponse> {
  const file = resolve(scriptPath);
  const req = resolveRequest(request, file, options);
  const env = { ...cgiEnvironment(req, file), PATH: process.env.PATH ?? "/usr/bin:/bin" };
  const exit = await spawnScript(file, env, req.body, options.timeoutMs ?? 10_000);
  if (exit.timedOut) return gatewayAnswer("504 Gateway Timeout", "the script timed out", exit);
  if (exit.stdout.length === 0 && exit.code !== 0) {
    return gatewayAnswer("500 Internal Server Error", `the script exited with ${exit.code}`, exit);
  }
  try {
    const parsed = parseCgiResponse(exit.stdout, { nph: basename(file).startsWith("nph-") });
    return deliver(req.method, { ...parsed, origin: "script", errors: exit.stderr });
  } catch (error) {
    if (!(error instanceof CgiOutputError)) throw error;
    return gatewayAnswer("502 Bad Gateway", error.message, exit);
  }
}

function gatewayAnswer(status: string, reason: string, exit: Exit): CaseResponse {
  return {
    status,
    headers: [],
    body: Buffer.alloc(0),
    origin: "gateway",
    errors: exit.stderr,
    reason,
  };
}

// CGI servers hand the script its body through a pipe(2). Node's "pipe" stdio is a socket
// pair instead (fs.readFileSync("/dev/stdin") fails on it with ENXIO) and a file never emits
// 'close' on process.stdin, so a shell feeds the body through a real pipe, then execs the
// script (via env, to drop the PWD the shell would add to a CGI environment).
// The rest of the arguments are the command: the script itself, or Node and the script when
// its shebang names a Node this machine does not have (`#!C:/Program Files/nodejs/node.exe`),
// as a CGI server's interpreter mapping (Apache's ScriptInterpreterSource, IIS) would run it.
const FEED = 'body=$1; shift; cat -- "$body" | exec env -u PWD "$@"';

async function spawnScript(
  file: string,
  env: Record<string, string>,
  body: Buffer,
  timeoutMs: number,
): Promise<Exit> {
  const dir = mkdtempSync(join(tmpdir(), "cgi2wsgi-stdin-"));
  const bodyFile = join(dir, "body");
  writeFileSync(bodyFile, body);
  try {
    return await runProcess(file, env, bodyFile, timeoutMs);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A script whose shebang runs Node from a path that does not exist here. */
function foreignNode(file: string): boolean {
  let head: string;
  try {
    head = readFileSync(file, "latin1").slice(0, 256).split(/\r?\n/, 1)[0]!;
  } catch {
    return false;
  }
  if (!isNodeShebang(head)) return false;
  const interpreter = head
    .slice(2)
    .trim()
    .replace(/\s+-.*$/, "");
  return !interpreter.startsWith("/") || !existsSync(interpreter.split(/\s+/)[0]!);
}

function runProcess(
  file: string,
  env: Record<string, string>,
  bodyFile: string,
  timeoutMs: number,
): Promise<Exit> {
  return new Promise((done, fail) => {
    const command = foreignNode(file) ? [process.execPath, file] : [file];
    const child = spawn("/bin/sh", ["-c", FEED, "cgi2wsgi-legacy", bodyFile, ...command], {
      cwd: dirname(file),
      env,
      stdio: ["ignore", "pipe", "pipe"],
      // Its own process group, so a timeout kills the script and its children, not just sh.
      detached: true,
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // Already gone.
      }
    }, timeoutMs);
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    child.on("error", (error) => {
      clearTimeout(timer);
      fail(error);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      done({
        stdout: Buffer.concat(stdout),
        stderr: Buffer.concat(stderr).toString("utf8"),
        code,
        timedOut,
      });
    });
  });
}

import { spawn } from "node:child_process";
import type { Address } from "./net-wait.js";

/** One request sent with libfcgi's `cgi-fcgi` client. */
export interface CgiFcgiRequest {
  backend: Address;
  /** The FastCGI params: cgi-fcgi sends its whole environment, so this is all it sends. */
  params: Record<string, string>;
  body?: Buffer | string;
  timeoutMs?: number;
}

/** What cgi-fcgi printed and how it ended. */
export interface CgiFcgiResult {
  stdout: Buffer;
  stderr: string;
  exitCode: number | null;
}

/**
 * Sends one request to a FastCGI server with `cgi-fcgi -bind -connect`, the libfcgi
 * reference client, and returns the raw CGI output (parse it with the runtime's `parseCgiResponse`).
 *
 * @example
 * const out = await runCgiFcgi({ backend: { host: "127.0.0.1", port }, params: { REQUEST_METHOD: "GET", SCRIPT_NAME: "", PATH_INFO: "/" } });
 */
export function runCgiFcgi(request: CgiFcgiRequest): Promise<CgiFcgiResult> {
  const address = request.backend;
  const target = "socket" in address ? address.socket : `${address.host}:${address.port}`;
  const body = request.body === undefined ? Buffer.alloc(0) : Buffer.from(request.body);
  const params = { CONTENT_LENGTH: String(body.length), ...request.params };
  return new Promise((resolve, reject) => {
    const child = spawn("cgi-fcgi", ["-bind", "-connect", target], {
      env: params,
      stdio: ["pipe", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    let err = "";
    const timer = setTimeout(() => child.kill("SIGKILL"), request.timeoutMs ?? 10_000);
    child.stdout.on("data", (d: Buffer) => out.push(d));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.once("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ stdout: Buffer.concat(out), stderr: err, exitCode: code });
    });
    child.stdin.on("error", () => {});
    child.stdin.end(body);
  });
}

import { availableParallelism } from "node:os";
import { basename } from "node:path";
import { errorPage } from "../core/error-page.js";
import { CgiOutputError } from "../cgi-output/errors.js";
import { CgiHeaderParser, type CgiResponse } from "../cgi-output/header-parser.js";
import type { Body, Environ, Headers, StartResponse } from "../types.js";
import { scriptEnvironment, type ScriptEnvironmentOptions } from "./environment.js";
import { CgiHostError, ScriptFailedError, ScriptTimeoutError } from "./errors.js";
import type { ResolveOptions, ResolvedScript } from "./resolve.js";
import { ScriptBody } from "./script-body.js";
import { ScriptProcess } from "./script-process.js";
import { ProcessSlots } from "./slots.js";

/** Options of the CGI host: how scripts are found, what they see, and their limits. */
export interface CgiHostOptions extends ResolveOptions, ScriptEnvironmentOptions {
  /** Milliseconds a script may run before it is killed: 504 before its headers. Default 30 s; 0 for no limit. */
  timeout?: number;
  /** Scripts running at once; more requests queue. Default: 4 per CPU. */
  maxProcesses?: number;
  /** Requests waiting for a slot before new ones get 503. Default: 16 per process slot. */
  maxQueue?: number;
  /** Largest CGI header block accepted (502 beyond). Default 8192 bytes. */
  maxHeaderBytes?: number;
}

/** Runs one resolved script for one request, answering through `start_response`. */
export type ScriptRunner = (
  script: Promise<ResolvedScript>,
  environ: Environ,
  start_response: StartResponse,
) => Promise<Body>;

const DEFAULT_TIMEOUT = 30_000;
// The server frames the response itself; a script's own framing headers would contradict it.
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "transfer-encoding",
  "te",
  "trailer",
  "upgrade",
  "proxy-connection",
]);

/**
 * The part of the CGI host that runs scripts, with one pool of process slots shared by
 * every application built on it: waits for a slot, starts the script with its RFC 3875
 * environment, reads its header block, and returns the rest as a streamed body. A failure
 * of resolution or of the script becomes the matching error page (403, 404, 502, 503, 504)
 * with the reason on `wsgi.errors`.
 *
 * @example
 * const run = scriptRunner({ timeout: 5000 });
 * const app: Application = (environ, start_response) =>
 *   run(resolveScript(root, environ.PATH_INFO, {}), environ, start_response);
 */
export function scriptRunner(options: CgiHostOptions = {}): ScriptRunner {
  const timeout = options.timeout ?? DEFAULT_TIMEOUT;
  const slots = new ProcessSlots(
    options.maxProcesses ?? availableParallelism() * 4,
    options.maxQueue,
  );
  return async (resolving, environ, start_response) => {
    let script: ResolvedScript;
    let release: () => void;
    try {
      script = await resolving;
      release = await slots.acquire();
    } catch (error) {
      return refuse(error, environ, start_response);
    }
    const scriptName = environ.SCRIPT_NAME + script.scriptPath;
    const { env, dropped } = scriptEnvironment(
      environ,
      { file: script.file, scriptName, pathInfo: script.pathInfo },
      options,
    );
    if (dropped.length > 0) {
      environ["wsgi.errors"].write(
        `cgi2wsgi: ${scriptName}: dropped ${dropped.join(", ")} (control characters in the value)\n`,
      );
    }
    let proc: ScriptProcess;
    try {
      proc = await ScriptProcess.start({
        command: script.command,
        file: script.file,
        env,
        input: environ["wsgi.input"],
        errors: environ["wsgi.errors"],
        timeout,
      });
    } catch (error) {
      release();
      throw error;
    }
    const about = { file: script.file, timeout, release };
    let head: CgiResponse;
    try {
      head = await readHead(proc, script.file, timeout, {
        nph: basename(script.file).startsWith("nph-"),
        maxHeaderBytes: options.maxHeaderBytes,
      });
    } catch (error) {
      void new ScriptBody(proc, Buffer.alloc(0), about).close();
      return refuse(error, environ, start_response);
    }
    const body = new ScriptBody(proc, head.body, about);
    try {
      start_response(head.status, withoutFraming(head.headers));
    } catch (error) {
      void body.close();
      throw error;
    }
    return body;
  };
}

/** Reads stdout until the header block is complete; throws a {@link CgiHostError} otherwise. */
async function readHead(
  proc: ScriptProcess,
  file: string,
  timeout: number,
  parse: { nph: boolean; maxHeaderBytes?: number },
): Promise<CgiResponse> {
  const parser = new CgiHeaderParser(parse);
  try {
    for (;;) {
      const step = await proc.stdout.next();
      if (step.done) break;
      const head = parser.execute(step.value);
      if (head) return head;
    }
  } catch (error) {
    if (error instanceof CgiOutputError) throw new ScriptFailedError(file, error.message);
    throw error;
  }
  const exit = await proc.exited;
  if (exit.timedOut) throw new ScriptTimeoutError(file, timeout);
  if (exit.spawnError) {
    throw new ScriptFailedError(file, `could not be started (${exit.spawnError.message})`);
  }
  const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
  throw new ScriptFailedError(file, `${how}: ${parser.endError()!.message}`);
}

function withoutFraming(headers: Headers): Headers {
  return headers.filter(([name]) => !HOP_BY_HOP.has(name.toLowerCase()));
}

function refuse(error: unknown, environ: Environ, start_response: StartResponse): Body {
  if (!(error instanceof CgiHostError)) throw error;
  environ["wsgi.errors"].write(`cgi2wsgi: ${error.message}\n`);
  const page = errorPage(error.status);
  start_response(page.status, page.headers);
  return [page.body];
}

import {
  buildEnviron,
  createErrorStream,
  httpRequestMeta,
  inputFromBuffer,
} from "@cgi2wsgi/runtime";
import type { ResolvedRequest } from "./case-request.js";

/**
 * The RFC 3875 meta-variables for a request, built exactly as the runtime's test client
 * builds its environ (same server name, port and addresses, same hygiene), so a legacy
 * script and its migrated application see the same request.
 *
 * @example
 * const env = cgiEnvironment(resolveRequest({ query: "a=1" }, "cgi-bin/x.cjs"), "/srv/cgi-bin/x.cjs");
 * env.QUERY_STRING; // "a=1"
 */
export function cgiEnvironment(
  request: ResolvedRequest,
  scriptFile: string,
): Record<string, string> {
  const target = request.scriptName + request.pathInfo + (request.query ? `?${request.query}` : "");
  const meta = httpRequestMeta({
    method: request.method,
    target,
    rawHeaders: request.headers.flat(),
    mount: request.scriptName,
    httpVersion: "1.1",
    localAddress: "127.0.0.1",
    localPort: 80,
    remoteAddress: "127.0.0.1",
    remotePort: 49152,
    contentLength: request.body.length > 0 ? request.body.length : undefined,
  });
  const environ = buildEnviron(meta, {
    input: inputFromBuffer(Buffer.alloc(0)),
    errors: createErrorStream(() => {}),
    multithread: false,
    multiprocess: false,
    runOnce: true,
  });
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(environ)) {
    // wsgi.url_scheme is a string too, but no CGI server sets it (nor could a shell pass it).
    if (typeof value === "string" && !key.startsWith("wsgi.")) env[key] = value;
  }
  env.SCRIPT_FILENAME = scriptFile;
  return env;
}

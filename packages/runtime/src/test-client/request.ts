import { buildEnviron } from "../core/environ.js";
import { createErrorStream } from "../core/errors-stream.js";
import { inputFromBuffer } from "../core/input.js";
import { runApplication } from "../core/respond.js";
import { httpRequestMeta } from "../http/meta.js";
import type { Application, Headers, ResponseSink } from "../types.js";

/** A request for {@link request}. Everything is optional: the default is `GET /`. */
export interface TestRequest {
  method?: string;
  /** Path, optionally with `?query`. Percent-encoding is decoded into PATH_INFO. */
  path?: string;
  /** Query string (without `?`) or parameters; appended to `path`'s own query. */
  query?: string | Record<string, string>;
  headers?: Record<string, string> | Headers;
  body?: string | Uint8Array;
  /** SCRIPT_NAME the application is mounted at. */
  mount?: string;
  /** Extra environ keys, e.g. `REMOTE_USER`. */
  environ?: Record<string, string>;
  /** Show tracebacks in 500 pages. */
  debug?: boolean;
}

/** What {@link request} answers. */
export interface TestResponse {
  status: number;
  statusText: string;
  headers: Headers;
  body: Buffer;
  /** Everything written to `wsgi.errors`. */
  errors: string;
  /** Whether the response was aborted after its headers were sent. */
  aborted: boolean;
  /** The first value of a header, by case-insensitive name. */
  header(name: string): string | undefined;
  /** The body decoded as UTF-8. */
  text(): string;
}

/**
 * Calls an application in-process, exactly as a gateway would, and collects its answer:
 * for unit tests of applications, migrated ones included.
 *
 * @example
 * const res = await request(application, { method: "POST", path: "/form",
 *   headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "name=Ada" });
 * expect(res.status).toBe(200);
 * expect(res.text()).toContain("Ada");
 */
export async function request(app: Application, req: TestRequest = {}): Promise<TestResponse> {
  const body =
    typeof req.body === "string" ? Buffer.from(req.body) : (req.body ?? new Uint8Array());
  const rawHeaders: string[] = [];
  const pairs = Array.isArray(req.headers) ? req.headers : Object.entries(req.headers ?? {});
  for (const [name, value] of pairs) rawHeaders.push(name, value);
  if (!pairs.some(([name]) => name.toLowerCase() === "host")) rawHeaders.push("Host", "localhost");
  const mount = req.mount ?? "";
  const meta = httpRequestMeta({
    method: req.method ?? "GET",
    target: targetOf(mount, req),
    rawHeaders,
    mount,
    httpVersion: "1.1",
    localAddress: "127.0.0.1",
    localPort: 80,
    remoteAddress: "127.0.0.1",
    remotePort: 49152,
    contentLength: body.length > 0 ? body.length : undefined,
  });
  let errors = "";
  const environ = buildEnviron(
    { ...meta, ...req.environ },
    {
      input: inputFromBuffer(body),
      errors: createErrorStream((text) => void (errors += text)),
      multithread: false,
      multiprocess: false,
      runOnce: false,
    },
  );
  let status = "";
  let headers: Headers = [];
  let aborted = false;
  const chunks: Uint8Array[] = [];
  const sink: ResponseSink = {
    sendHeaders(s, h) {
      status = s;
      headers = h;
    },
    write: (chunk) => void chunks.push(chunk),
    end() {},
    abort() {
      aborted = true;
    },
  };
  await runApplication(app, environ, sink, { debug: req.debug });
  const bytes = Buffer.concat(chunks);
  return {
    status: Number(status.slice(0, 3)),
    statusText: status.slice(4),
    headers,
    body: bytes,
    errors,
    aborted,
    header: (name) => headers.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1],
    text: () => bytes.toString("utf8"),
  };
}

function targetOf(mount: string, req: TestRequest): string {
  let target = req.path ?? (mount === "" ? "/" : mount);
  if (!target.startsWith("/")) target = "/" + target;
  const query =
    typeof req.query === "string" ? req.query : new URLSearchParams(req.query ?? {}).toString();
  if (query) target += (target.includes("?") ? "&" : "?") + query;
  return target;
}

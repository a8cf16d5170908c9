/** One request as an access log recorded it. */
export interface LoggedRequest {
  method: string;
  /** The URL path as sent, still percent-encoded, starting with `/`. */
  path: string;
  /** The query string without `?` (`""` when there was none). */
  query: string;
  /** The status the server answered, when the log holds it. */
  status?: number;
}

/** Why a line holds no request that can be replayed. */
export class LogLineError extends Error {
  readonly code = "ERR_LOG_LINE";
}

// `[time] "request line" status`: the part of the common and combined formats (and of
// Apache's vhost_combined, which puts `host:port ` first) that every variant shares, so the
// line is searched for it rather than anchored at its start.
const TEXT_LINE = /\[[^\]]*\] "((?:[^"\\]|\\.)*)" (\d{3}|-)(?: |$)/;
const REQUEST_LINE = /^([A-Za-z]+) (\S+)(?: HTTP\/\d(?:\.\d)?)?$/;
const TOKEN = /^[A-Za-z]+$/;

// Field names of JSON access logs as people write them: nginx's variables ($request_method,
// $request_uri, $uri, $args), Apache's and Caddy's, Elastic Common Schema's dotted names.
const METHOD_FIELDS = ["method", "request_method", "verb", "http.request.method", "request.method"];
const TARGET_FIELDS = ["request_uri", "url.original", "request.uri", "uri", "url", "path"];
const QUERY_FIELDS = ["args", "query_string", "query", "querystring", "url.query"];
const STATUS_FIELDS = ["status", "response_status", "http.response.status_code", "status_code"];

/**
 * Reads one line of an nginx or Apache access log: the common and combined formats (with
 * `\"` and `\xHH` escapes as both servers write them) or a JSON object with the usual field
 * names (`request` as a whole request line, or `method` / `request_method` with `uri` /
 * `request_uri` / `path` and `args` / `query_string`; nested objects are read by dotted
 * names, as `http.request.method`). Throws {@link LogLineError} naming what is missing.
 *
 * @example
 * parseLogLine('127.0.0.1 - - [03/Dec/2026:14:02:19 +0000] "GET /cgi-bin/a.cjs?x=1 HTTP/1.1" 200 12 "-" "curl/8"');
 * // { method: "GET", path: "/cgi-bin/a.cjs", query: "x=1", status: 200 }
 */
export function parseLogLine(line: string): LoggedRequest {
  const text = line.trim();
  if (text.startsWith("{")) return parseJsonLine(text);
  const match = TEXT_LINE.exec(text);
  if (!match) {
    throw new LogLineError(
      'not an access log line: expected `[time] "METHOD /path HTTP/1.1" status` (common or combined format) or a JSON object',
    );
  }
  const status = match[2] === "-" ? undefined : Number(match[2]);
  return fromRequestLine(unescapeLogText(match[1]!), status);
}

function parseJsonLine(text: string): LoggedRequest {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new LogLineError(`not valid JSON (${(error as Error).message})`);
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new LogLineError("a JSON line must be an object");
  }
  const fields = flatten(data as Record<string, unknown>);
  const status = statusOf(pick(fields, STATUS_FIELDS));
  const method = pick(fields, METHOD_FIELDS);
  const target = pick(fields, TARGET_FIELDS);
  if (method !== undefined && target !== undefined) {
    return withQuery(request(method, target, status), pick(fields, QUERY_FIELDS));
  }
  const requestLine = pick(fields, ["request", "request_line", "http.request.line"]);
  if (requestLine !== undefined) return fromRequestLine(requestLine, status);
  if ([...METHOD_FIELDS, ...TARGET_FIELDS].some((name) => fields.has(name))) {
    throw new LogLineError(
      `the method or path is empty: the server could not read a request line${status ? ` (it answered ${status})` : ""}`,
    );
  }
  throw new LogLineError(
    `no request in this JSON line: give "request" ("GET /path HTTP/1.1"), or "method" and "uri" (fields found: ${[...fields.keys()].join(", ") || "none"})`,
  );
}

function fromRequestLine(line: string, status: number | undefined): LoggedRequest {
  const match = REQUEST_LINE.exec(line);
  if (!match) {
    throw new LogLineError(
      `the request line ${JSON.stringify(line.slice(0, 80))} is not "METHOD /path HTTP/x.y" (a scanner or a broken client)`,
    );
  }
  return request(match[1]!, match[2]!, status);
}

function request(method: string, target: string, status: number | undefined): LoggedRequest {
  if (!TOKEN.test(method))
    throw new LogLineError(`${JSON.stringify(method)} is not an HTTP method`);
  let pathAndQuery = target;
  // An absolute-form target (a proxy request) still names a path on this server.
  const absolute = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(target);
  if (absolute) pathAndQuery = target.slice(absolute[0].length) || "/";
  if (!pathAndQuery.startsWith("/")) {
    throw new LogLineError(`the target ${JSON.stringify(target.slice(0, 80))} is not a path`);
  }
  const cut = pathAndQuery.indexOf("?");
  return {
    method: method.toUpperCase(),
    path: cut < 0 ? pathAndQuery : pathAndQuery.slice(0, cut),
    query: cut < 0 ? "" : pathAndQuery.slice(cut + 1),
    ...(status !== undefined ? { status } : {}),
  };
}

// nginx's $uri has no query and $args holds it; $request_uri already carries one.
function withQuery(entry: LoggedRequest, query: string | undefined): LoggedRequest {
  if (entry.query !== "" || query === undefined || query === "-") return entry;
  return { ...entry, query: query.replace(/^\?/, "") };
}

function flatten(data: Record<string, unknown>, prefix = ""): Map<string, unknown> {
  const fields = new Map<string, unknown>();
  for (const [key, value] of Object.entries(data)) {
    const name = prefix + key.toLowerCase();
    if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      for (const [inner, v] of flatten(value as Record<string, unknown>, `${name}.`)) {
        fields.set(inner, v);
      }
    } else {
      fields.set(name, value);
    }
  }
  return fields;
}

function pick(fields: Map<string, unknown>, names: readonly string[]): string | undefined {
  for (const name of names) {
    const value = fields.get(name);
    if (typeof value === "string" && value !== "" && value !== "-") return value;
    if (typeof value === "number") return String(value);
  }
  return undefined;
}

function statusOf(value: string | undefined): number | undefined {
  return value !== undefined && /^\d{3}$/.test(value) ? Number(value) : undefined;
}

/**
 * Undoes the escapes nginx (`\xHH` for `"`, `\` and bytes outside printable ASCII) and
 * Apache (`\"`, `\\`, `\xhh`, `\n`, `\t`) write into the quoted fields of a text log.
 *
 * @example
 * unescapeLogText('GET /a\\x22b HTTP/1.1'); // 'GET /a"b HTTP/1.1'
 */
export function unescapeLogText(text: string): string {
  if (!text.includes("\\")) return text;
  const bytes: number[] = [];
  const named: Record<string, number> = { n: 10, t: 9, r: 13, v: 11, b: 8, f: 12 };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "\\" && i + 1 < text.length) {
      const next = text[i + 1]!;
      const hex = /^x([0-9a-fA-F]{2})/.exec(text.slice(i + 1, i + 4));
      if (hex) {
        bytes.push(parseInt(hex[1]!, 16));
        i += 3;
        continue;
      }
      bytes.push(named[next] ?? next.charCodeAt(0));
      i++;
      continue;
    }
    const point = text.codePointAt(i)!;
    if (point > 0xffff) i++;
    bytes.push(...Buffer.from(String.fromCodePoint(point), "utf8"));
  }
  return Buffer.from(bytes).toString("utf8");
}

import { headersToMeta, type CgiMeta } from "../core/environ.js";

/** What an HTTP request line and connection say, before they become meta-variables. */
export interface HttpRequestFacts {
  method: string;
  /** The request target as sent: path and query, still percent-encoded. */
  target: string;
  /** Node's `rawHeaders` layout: name, value, name, value, ... */
  rawHeaders: readonly string[];
  /** The mount prefix, without a trailing slash (`""` for the root). */
  mount: string;
  httpVersion: string;
  localAddress: string;
  localPort: number;
  remoteAddress?: string;
  remotePort?: number;
  /** The Content-Length sent, or a chunked body's length once read; undefined when neither. */
  contentLength?: number;
  https?: boolean;
}

/** The request path is outside the mount prefix, or cannot be decoded. */
export class PathOutsideMountError extends Error {
  readonly code = "ERR_PATH_OUTSIDE_MOUNT";
}

/**
 * Builds RFC 3875 meta-variables from an HTTP request, as a CGI server would: SCRIPT_NAME is
 * the mount prefix, PATH_INFO the percent-decoded rest of the path, SERVER_NAME and
 * SERVER_PORT from the Host header (else the local address), REQUEST_URI as sent.
 *
 * @example
 * httpRequestMeta({ method: "GET", target: "/app/a%20b?x=1", rawHeaders: ["Host", "h:8080"],
 *   mount: "/app", httpVersion: "1.1", localAddress: "127.0.0.1", localPort: 8080 });
 * // { SCRIPT_NAME: "/app", PATH_INFO: "/a b", QUERY_STRING: "x=1", SERVER_NAME: "h", ... }
 */
export function httpRequestMeta(facts: HttpRequestFacts): CgiMeta {
  const q = facts.target.indexOf("?");
  const rawPath = q < 0 ? facts.target : facts.target.slice(0, q);
  const path = decodePath(rawPath);
  const { mount } = facts;
  if (path !== mount && !path.startsWith(mount + "/") && !(mount === "" && path === "")) {
    throw new PathOutsideMountError(`${rawPath} is not under the mount prefix ${mount || "/"}`);
  }
  const meta: CgiMeta = headersToMeta(facts.rawHeaders);
  const [serverName, serverPort] = splitHost(meta.HTTP_HOST, facts);
  meta.GATEWAY_INTERFACE = "CGI/1.1";
  meta.SERVER_SOFTWARE = "cgi2wsgi";
  meta.SERVER_PROTOCOL = `HTTP/${facts.httpVersion}`;
  meta.REQUEST_METHOD = facts.method;
  meta.REQUEST_URI = facts.target;
  meta.SCRIPT_NAME = mount;
  meta.PATH_INFO = path.slice(mount.length);
  meta.QUERY_STRING = q < 0 ? "" : facts.target.slice(q + 1);
  meta.SERVER_NAME = serverName;
  meta.SERVER_PORT = serverPort;
  meta.SERVER_ADDR = facts.localAddress;
  meta.REMOTE_ADDR = facts.remoteAddress;
  meta.REMOTE_PORT = facts.remotePort === undefined ? undefined : String(facts.remotePort);
  if (facts.https) meta.HTTPS = "on";
  const type = headerValue(facts.rawHeaders, "content-type");
  if (type !== undefined) meta.CONTENT_TYPE = type;
  if (facts.contentLength !== undefined) {
    meta.CONTENT_LENGTH = String(facts.contentLength);
  }
  return meta;
}

function decodePath(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new PathOutsideMountError(`${raw} holds an invalid percent-encoding`);
  }
}

function splitHost(host: string | undefined, facts: HttpRequestFacts): [string, string] {
  const fallback: [string, string] = [facts.localAddress, String(facts.localPort)];
  if (!host) return fallback;
  const bracket = host.startsWith("[") ? host.indexOf("]") : -1;
  const colon = host.indexOf(":", bracket + 1);
  if (colon < 0) return [host, facts.https ? "443" : "80"];
  return [host.slice(0, colon), host.slice(colon + 1)];
}

function headerValue(raw: readonly string[], lower: string): string | undefined {
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if (raw[i]!.toLowerCase() === lower) return raw[i + 1];
  }
  return undefined;
}

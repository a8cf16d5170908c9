import { headersToMeta, type CgiMeta } from "../core/environ.js";
import { decodePath } from "../core/script-path.js";
import type { AjpForwardRequest } from "./forward-request.js";

/** `req_attribute` names mod_proxy_ajp sends that have a CGI meta-variable of their own. */
const RENAMED: Record<string, string> = {
  AJP_REMOTE_PORT: "REMOTE_PORT",
  AJP_LOCAL_ADDR: "SERVER_ADDR",
  AJP_SSL_PROTOCOL: "SSL_PROTOCOL",
};

/**
 * Builds CGI meta-variables from a FORWARD_REQUEST. AJP carries only the URI, so the split
 * into SCRIPT_NAME and PATH_INFO comes from `mount`: a URI under the mount is split there;
 * any other URI is taken as already stripped of it by the web server (`ProxyPass /app/
 * ajp://host/`), so the mount becomes SCRIPT_NAME and the whole URI PATH_INFO. Paths are
 * percent-decoded byte for byte (latin1), as CGI servers pass them.
 *
 * @example
 * ajpRequestMeta(decodeForwardRequest(payload), "/app");
 * // { REQUEST_METHOD: "GET", SCRIPT_NAME: "/app", PATH_INFO: "/x", QUERY_STRING: "a=1", ... }
 */
export function ajpRequestMeta(request: AjpForwardRequest, mount = ""): CgiMeta {
  const flat: string[] = [];
  for (const [name, value] of request.headers) flat.push(name, value);
  const meta: CgiMeta = headersToMeta(flat);
  const prefix = mount === "/" ? "" : mount.replace(/\/+$/, "");
  const path = decodePath(request.uri);
  const under = path === prefix || path.startsWith(prefix + "/");
  const query = request.attributes.queryString;
  const a = request.attributes;
  Object.assign(meta, {
    GATEWAY_INTERFACE: "CGI/1.1",
    SERVER_SOFTWARE: "cgi2wsgi",
    SERVER_PROTOCOL: request.protocol,
    REQUEST_METHOD: request.method,
    REQUEST_URI: (under ? "" : prefix) + request.uri + (query ? `?${query}` : ""),
    SCRIPT_NAME: prefix,
    PATH_INFO: under ? path.slice(prefix.length) : path,
    QUERY_STRING: query ?? "",
    SERVER_NAME: request.serverName,
    SERVER_PORT: String(request.serverPort),
    REMOTE_ADDR: request.remoteAddr,
    REMOTE_HOST: request.remoteHost,
    HTTPS: request.isSsl ? "on" : undefined,
    REMOTE_USER: a.remoteUser,
    AUTH_TYPE: a.authType,
    SSL_CLIENT_CERT: a.sslCert,
    SSL_CIPHER: a.sslCipher,
    SSL_SESSION_ID: a.sslSession,
    SSL_CIPHER_USEKEYSIZE: a.sslKeySize === undefined ? undefined : String(a.sslKeySize),
    AJP_ROUTE: a.route,
  });
  for (const [name, value] of request.headers) {
    const lower = name.toLowerCase();
    if (lower === "content-type") meta.CONTENT_TYPE = value;
    else if (lower === "content-length") meta.CONTENT_LENGTH = value;
  }
  for (const [name, value] of a.requestAttributes) meta[RENAMED[name] ?? name] = value;
  return meta;
}

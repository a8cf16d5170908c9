// RFC 3875 section 4.1 meta-variables, plus what nginx, Apache and lighttpd add for CGI.
const META_VARIABLES = new Set([
  "AUTH_TYPE",
  "CONTENT_LENGTH",
  "CONTENT_TYPE",
  "GATEWAY_INTERFACE",
  "PATH_INFO",
  "PATH_TRANSLATED",
  "QUERY_STRING",
  "REMOTE_ADDR",
  "REMOTE_HOST",
  "REMOTE_IDENT",
  "REMOTE_USER",
  "REQUEST_METHOD",
  "SCRIPT_NAME",
  "SERVER_NAME",
  "SERVER_PORT",
  "SERVER_PROTOCOL",
  "SERVER_SOFTWARE",
  "REQUEST_URI",
  "DOCUMENT_ROOT",
  "DOCUMENT_URI",
  "SCRIPT_FILENAME",
  "REMOTE_PORT",
  "SERVER_ADDR",
  "REDIRECT_STATUS",
  "REQUEST_SCHEME",
  "CONTEXT_PREFIX",
  "CONTEXT_DOCUMENT_ROOT",
]);

// HTTP_PROXY is the proxy setting of HTTP clients (curl, npm, undici), never a request
// header under a safe gateway (httpoxy), so reading it is not CGI usage.
const NOT_REQUEST_HEADERS = new Set(["HTTP_PROXY"]);

// Names that some ordinary tools also use (HTTPS=true starts dev servers over TLS): they
// count only in a file that already shows CGI usage.
const WEAK_META_VARIABLES = new Set(["HTTPS"]);

/** How strongly reading `process.env[name]` signals CGI usage. */
export type MetaStrength = "strong" | "weak" | "none";

/**
 * Classifies an environment variable name: RFC 3875 meta-variables and HTTP_* request
 * headers are strong CGI signals, HTTPS is weak, everything else (NODE_ENV, PORT) is none.
 *
 * @example
 * metaStrength("QUERY_STRING"); // "strong"
 * metaStrength("NODE_ENV"); // "none"
 */
export function metaStrength(name: string): MetaStrength {
  if (META_VARIABLES.has(name)) return "strong";
  if (name.startsWith("HTTP_") && name.length > 5 && !NOT_REQUEST_HEADERS.has(name)) {
    return "strong";
  }
  return WEAK_META_VARIABLES.has(name) ? "weak" : "none";
}

/**
 * The names of the meta-variables that count without an HTTP_ prefix, for text pre-checks.
 *
 * @example
 * metaVariableNames().includes("QUERY_STRING"); // true
 */
export function metaVariableNames(): string[] {
  return [...META_VARIABLES];
}

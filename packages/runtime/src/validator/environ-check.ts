import { FORBIDDEN_KEYS, REQUIRED_CGI_KEYS, WSGI_KEYS } from "../core/environ-keys.js";
import { describe, type Report } from "./errors.js";

const FLAGS = ["wsgi.multithread", "wsgi.multiprocess", "wsgi.run_once"] as const;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * Checks the environ a server passes to an application against the contract (SPEC section
 * 1, PEP 3333 and RFC 3875), reporting every broken rule.
 *
 * @example
 * checkEnviron({ REQUEST_METHOD: "GET" }, (rule, detail) => console.log(rule, detail));
 * // environ-missing-key SCRIPT_NAME is missing ...
 */
export function checkEnviron(environ: unknown, report: Report): void {
  if (typeof environ !== "object" || environ === null || Array.isArray(environ)) {
    report(
      "environ-not-object",
      `environ is ${describe(environ)}; pass an object of CGI and wsgi.* keys`,
    );
    return;
  }
  const env = environ as Record<string, unknown>;
  for (const key of [...REQUIRED_CGI_KEYS, ...WSGI_KEYS]) {
    if (!(key in env))
      report("environ-missing-key", `${key} is missing; always set it (to "" when unknown)`);
  }
  for (const key of Object.keys(env)) {
    if (key.includes(".") || typeof env[key] === "string") continue;
    report(
      "environ-value-type",
      `${key} is ${describe(env[key])}; CGI values must be strings (leave the key out when there is no value)`,
    );
  }
  for (const key of FORBIDDEN_KEYS) {
    if (key in env) {
      report(
        "environ-forbidden-key",
        `${key} is set; drop it (it comes from a request header a client controls)`,
      );
    }
  }
  checkPaths(env, report);
  checkContent(env, report);
  checkWsgi(env, report);
}

function checkPaths(env: Record<string, unknown>, report: Report): void {
  const method = env.REQUEST_METHOD;
  if (typeof method === "string" && !TOKEN.test(method)) {
    report(
      "environ-request-method",
      `REQUEST_METHOD ${JSON.stringify(method)} is not an HTTP method token`,
    );
  }
  const script = env.SCRIPT_NAME;
  if (
    typeof script === "string" &&
    (script === "/" || (script !== "" && !script.startsWith("/")))
  ) {
    report(
      "environ-script-name",
      `SCRIPT_NAME ${JSON.stringify(script)} must be "" or start with "/" (and "/" alone becomes "")`,
    );
  }
  const path = env.PATH_INFO;
  // As wsgiref.validate insists: an HTTP request path is never empty, so a request that
  // reaches an application mounted at the root has at least PATH_INFO "/".
  if (script === "" && path === "") {
    report(
      "environ-empty-path",
      'SCRIPT_NAME and PATH_INFO are both ""; set PATH_INFO to "/" for a request to the root of an application mounted at the root',
    );
  }
  if (typeof path === "string" && path !== "" && !path.startsWith("/")) {
    report("environ-path-info", `PATH_INFO ${JSON.stringify(path)} must be "" or start with "/"`);
  }
}

function checkContent(env: Record<string, unknown>, report: Report): void {
  const length = env.CONTENT_LENGTH;
  if (typeof length === "string" && !/^\d+$/.test(length)) {
    report(
      "environ-content-length",
      `CONTENT_LENGTH ${JSON.stringify(length)} must be decimal digits; remove the key when there is no body length`,
    );
  }
  if (env.CONTENT_TYPE === "") {
    report(
      "environ-content-type",
      'CONTENT_TYPE is ""; remove the key when the request has no type',
    );
  }
}

function checkWsgi(env: Record<string, unknown>, report: Report): void {
  const version = env["wsgi.version"];
  if (
    "wsgi.version" in env &&
    !(Array.isArray(version) && version.length === 2 && version[0] === 1 && version[1] === 0)
  ) {
    report("wsgi-version", `wsgi.version is ${JSON.stringify(version)}; set it to [1, 0]`);
  }
  const scheme = env["wsgi.url_scheme"];
  if ("wsgi.url_scheme" in env && scheme !== "http" && scheme !== "https") {
    report(
      "wsgi-url-scheme",
      `wsgi.url_scheme is ${describe(scheme)}; set it to "http" or "https"`,
    );
  }
  if ("wsgi.input" in env) checkInput(env, report);
  if ("wsgi.errors" in env) {
    const missing = missingMembers(env["wsgi.errors"], ["write", "writelines", "flush"]);
    if (missing.length > 0) {
      report(
        "wsgi-errors",
        `wsgi.errors lacks ${missing.join(", ")}; use the runtime's createErrorStream`,
      );
    }
  }
  for (const key of FLAGS) {
    if (key in env && typeof env[key] !== "boolean") {
      report("wsgi-flags", `${key} is ${describe(env[key])}; set it to true or false`);
    }
  }
}

function checkInput(env: Record<string, unknown>, report: Report): void {
  const missing = missingMembers(env["wsgi.input"], [
    "read",
    "readline",
    "readlines",
    Symbol.iterator,
    Symbol.asyncIterator,
  ]);
  const input = env["wsgi.input"] as { length?: unknown } | null | undefined;
  if (typeof input?.length !== "number") missing.push("length");
  if (missing.length > 0) {
    report(
      "wsgi-input",
      `wsgi.input lacks ${missing.join(", ")}; use the runtime's BodyCollector or inputFromBuffer`,
    );
  }
  const declared = env.CONTENT_LENGTH;
  if (missing.length === 0 && typeof declared === "string" && /^\d+$/.test(declared)) {
    if (input!.length !== Number(declared)) {
      report(
        "wsgi-input-length",
        `wsgi.input holds ${input!.length} bytes but CONTENT_LENGTH is ${declared}; end the input at CONTENT_LENGTH, and answer 400 to a request whose body came short`,
      );
    }
  }
}

/** Names of the methods `value` lacks. */
function missingMembers(value: unknown, names: Array<string | symbol>): string[] {
  const object =
    (typeof value === "object" || typeof value === "function") && value !== null ? value : {};
  return names
    .filter((name) => typeof (object as Record<string | symbol, unknown>)[name] !== "function")
    .map((name) => (typeof name === "symbol" ? `[${name.description}]` : `${name}()`));
}

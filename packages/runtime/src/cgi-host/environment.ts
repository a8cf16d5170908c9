import type { Environ } from "../types.js";

/** What reaches a script's environment besides the request. */
export interface ScriptEnvironmentOptions {
  /** Variables copied from the host's own environment. Default: {@link DEFAULT_PASS_ENV}. */
  passEnv?: readonly string[];
  /** Fixed variables for every script (e.g. `REDIRECT_STATUS` for php-cgi); they win. */
  env?: Readonly<Record<string, string>>;
}

/** The host variables a script sees by default: enough to find programs and format text. */
export const DEFAULT_PASS_ENV: readonly string[] = ["PATH", "TZ", "LANG", "LC_ALL", "LC_CTYPE"];

// A meta-variable name as front servers send them. Anything else in the environ (wsgi.*,
// middleware keys) is not for the script.
const META_NAME = /^[A-Z][A-Z0-9_]*$/;
// HTAB is allowed in header values; every other control character is not, and NUL would
// even make spawn() throw.
const CONTROL = /[\x00-\x08\x0a-\x1f\x7f]/;
// httpoxy, body shadowing, and variables that make an interpreter load foreign code. A
// front server may forward some of them (Apache puts its PATH into FastCGI params); the
// host's own allow-list decides those instead.
const DENY = new Set([
  "HTTP_PROXY",
  "HTTP_CONTENT_TYPE",
  "HTTP_CONTENT_LENGTH",
  "PATH",
  "IFS",
  "ENV",
  "BASH_ENV",
  "SHELLOPTS",
  "NODE_OPTIONS",
  "NODE_PATH",
  "PERL5OPT",
  "PERL5LIB",
  "PERLLIB",
  "PYTHONPATH",
  "PYTHONSTARTUP",
  "RUBYOPT",
]);
const DENY_PREFIX = /^(?:LD_|DYLD_|BASH_FUNC_)/;

/** Where the script is and how the path was split. */
export interface ScriptLocation {
  file: string;
  scriptName: string;
  pathInfo: string;
}

/**
 * Builds the environment of one CGI script run (RFC 3875 section 4.1) from the request's
 * environ: its meta-variables and `HTTP_*` headers, minus `HTTP_PROXY` and any variable
 * that could hijack an interpreter, minus every value holding a control character; with
 * SCRIPT_NAME, PATH_INFO and SCRIPT_FILENAME for the resolved script, CONTENT_LENGTH equal
 * to the body the script will read, and nothing of the host's environment beyond
 * `passEnv`. Returns the names it dropped for a control character, for the log.
 *
 * @example
 * const { env } = scriptEnvironment(environ, { file: "/srv/cgi/env.sh", scriptName: "/env.sh", pathInfo: "" });
 * spawn("/srv/cgi/env.sh", [], { env });
 */
export function scriptEnvironment(
  environ: Environ,
  where: ScriptLocation,
  options: ScriptEnvironmentOptions = {},
): { env: Record<string, string>; dropped: string[] } {
  const env: Record<string, string> = {};
  const dropped: string[] = [];
  for (const key in environ) {
    const value = environ[key];
    if (typeof value !== "string" || !META_NAME.test(key)) continue;
    if (DENY.has(key) || DENY_PREFIX.test(key)) continue;
    if (CONTROL.test(value)) {
      dropped.push(key);
      continue;
    }
    env[key] = value;
  }
  env.GATEWAY_INTERFACE ??= "CGI/1.1";
  env.SERVER_SOFTWARE ??= "cgi2wsgi";
  env.SCRIPT_NAME = where.scriptName;
  env.PATH_INFO = where.pathInfo;
  env.SCRIPT_FILENAME = where.file;
  if (where.pathInfo && env.DOCUMENT_ROOT) {
    env.PATH_TRANSLATED = env.DOCUMENT_ROOT.replace(/\/+$/, "") + where.pathInfo;
  } else {
    delete env.PATH_TRANSLATED;
  }
  const length = environ["wsgi.input"].length;
  if (length > 0 || env.CONTENT_LENGTH !== undefined) env.CONTENT_LENGTH = String(length);
  if (environ["wsgi.url_scheme"] === "https") env.HTTPS ??= "on";
  for (const name of options.passEnv ?? DEFAULT_PASS_ENV) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  Object.assign(env, options.env);
  return { env, dropped };
}

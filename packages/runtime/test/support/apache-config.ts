import type { Address } from "./net-wait.js";

/** What Apache serves: CGI scripts with mod_cgi, or a backend through mod_proxy. */
export type ApacheMode =
  { kind: "cgi"; scriptsDir: string } | { kind: "fcgi" | "scgi" | "ajp"; backend: Address };

/** Options for one Apache test server. */
export interface ApacheOptions {
  mode: ApacheMode;
  /** URL prefix: `/cgi-bin` by default for CGI, `""` (site root) for proxies. */
  mount?: string;
  /** `LimitRequestBody` in bytes (Apache answers 413 beyond it); 0 lifts the limit. */
  maxBody?: number;
  /** Raw directives appended at the end of the config. */
  extraConfig?: string;
}

/** Debian's module directory; a test config loads only the modules it needs from there. */
export const APACHE_MODULES_DIR = "/usr/lib/apache2/modules";

const SCHEMES = { fcgi: "fcgi", scgi: "scgi", ajp: "ajp" } as const;

/**
 * The URL mod_proxy takes for a backend, with the `unix:...|scheme://` form for sockets.
 *
 * @example
 * apacheBackendUrl("fcgi", { socket: "/tmp/app.sock" }); // "unix:/tmp/app.sock|fcgi://localhost/"
 * apacheBackendUrl("ajp", { host: "127.0.0.1", port: 8009 }, "/app/"); // "ajp://127.0.0.1:8009/app/"
 */
export function apacheBackendUrl(
  scheme: "fcgi" | "scgi" | "ajp",
  address: Address,
  path = "/",
): string {
  return "socket" in address
    ? `unix:${address.socket}|${scheme}://localhost${path}`
    : `${scheme}://${address.host}:${address.port}${path}`;
}

function modules(mode: ApacheMode): string[] {
  const base = ["mpm_prefork", "authz_core", "alias", "env", "setenvif"];
  if (mode.kind === "cgi") return [...base, "cgi"];
  return [...base, "proxy", `proxy_${mode.kind === "ajp" ? "ajp" : mode.kind}`];
}

function site(options: ApacheOptions): string {
  const mode = options.mode;
  if (mode.kind === "cgi") {
    const mount = (options.mount ?? "/cgi-bin").replace(/\/+$/, "");
    return `ScriptAlias "${mount}/" "${mode.scriptsDir}/"
<Directory "${mode.scriptsDir}">
  Options +ExecCGI
  Require all granted
</Directory>`;
  }
  const mount = (options.mount ?? "").replace(/\/+$/, "");
  // The backend URL repeats the mount so the full path reaches the backend (AJP's URI,
  // SCRIPT_FILENAME); mapping "/app/" to "/" would strip the prefix from AJP requests.
  const url = apacheBackendUrl(SCHEMES[mode.kind], mode.backend, `${mount}/`);
  return `ProxyPass "${mount}/" "${url}"
<Location "${mount}/">
  Require all granted
</Location>`;
}

/** What {@link apachePreamble} needs to know about one test server. */
export interface ApachePreambleOptions {
  port: number;
  dir: string;
  /** Module names as in `mod_<name>.so`, loaded from {@link APACHE_MODULES_DIR}. */
  modules: readonly string[];
  maxRequestWorkers: number;
}

/**
 * The server-wide part every test httpd.conf shares: prefork, the given modules only, every
 * path in `dir`, children as www-data (Apache refuses to serve as root), and the filesystem
 * root denied so only what the site grants is served. The site's directives follow it.
 *
 * @example
 * const conf = `${apachePreamble({ port: 8080, dir: "/tmp/x", modules: ["mpm_prefork", "authz_core"], maxRequestWorkers: 16 })}\n<VirtualHost ...>`;
 */
export function apachePreamble(options: ApachePreambleOptions): string {
  const { dir } = options;
  const loads = options.modules
    .map((m) => `LoadModule ${m}_module ${APACHE_MODULES_DIR}/mod_${m}.so`)
    .join("\n");
  return `ServerRoot "${dir}"
DefaultRuntimeDir "${dir}"
PidFile "${dir}/httpd.pid"
Mutex file:${dir} default
Listen 127.0.0.1:${options.port}
ServerName localhost
${loads}
User www-data
Group www-data
StartServers 2
MinSpareServers 1
MaxSpareServers 3
MaxRequestWorkers ${options.maxRequestWorkers}
ErrorLog "${dir}/error.log"
LogLevel info
DocumentRoot "${dir}/www"
<Directory />
  AllowOverride None
  Require all denied
</Directory>`;
}

/**
 * A self-contained httpd.conf: {@link apachePreamble} with the modules the mode needs, an
 * access log, and the site. Apache's children run as www-data: scripts and sockets must be
 * readable (and executable) by that user.
 *
 * @example
 * const conf = apacheConfig(8080, "/tmp/x", { mode: { kind: "cgi", scriptsDir: "/tmp/s" } });
 */
export function apacheConfig(port: number, dir: string, options: ApacheOptions): string {
  const preamble = apachePreamble({
    port,
    dir,
    modules: modules(options.mode),
    maxRequestWorkers: 16,
  });
  return `${preamble}
LogFormat "%h %l %u %t \\"%r\\" %>s %b" common
CustomLog "${dir}/access.log" common
LimitRequestBody ${options.maxBody ?? 0}
<Directory "${dir}/www">
  Require all granted
</Directory>
${site(options)}
${options.extraConfig ?? ""}
`;
}

import type { Address } from "./net-wait.js";

/** What lighttpd serves: CGI scripts with mod_cgi, or a backend with mod_fastcgi / mod_scgi. */
export type LighttpdMode =
  | { kind: "cgi"; scriptsDir: string }
  | { kind: "fastcgi"; backend: Address }
  | {
      kind: "fastcgi";
      /** A program lighttpd spawns itself, with the listening socket on fd 0. */
      binPath: string;
      binArgs?: string[];
      binEnvironment?: Record<string, string>;
      /** Processes to spawn (lighttpd's `max-procs`), default 1. */
      procs?: number;
    }
  | { kind: "scgi"; backend: Address };

/** Options for one lighttpd test server. */
export interface LighttpdOptions {
  mode: LighttpdMode;
  /** URL prefix: `/cgi-bin` by default for CGI, `""` (site root) for backends. */
  mount?: string;
  /**
   * Request body limit in bytes; lighttpd counts in KiB (`server.max-request-size`), so
   * this is rounded up to a whole KiB. 0 (default) lifts the limit.
   */
  maxBody?: number;
  /** `server.document-root`; lighttpd builds SCRIPT_FILENAME from it. Default: an empty dir. */
  documentRoot?: string;
  /**
   * Send backend and CGI output as it comes (`server.stream-response-body = 2`). By default
   * lighttpd holds the whole response and then sends it with a Content-Length.
   */
  streamResponse?: boolean;
  /** Raw lines appended at the end of the config. */
  extraConfig?: string;
}

/** What `bin-path` gets for a spawned program, and the sh script to write first if any. */
export interface LighttpdBinPath {
  binPath: string;
  script?: { path: string; text: string };
}

/**
 * lighttpd splits `bin-path` on whitespace and knows no quoting, so a command with a space in
 * a word (a checkout under "/tmp/with space") goes into a one-line sh script in `dir` that
 * execs it, keeping the listening socket on fd 0, and `bin-path` names the script.
 *
 * @example
 * lighttpdBinPath(["/usr/bin/node", "/srv/app.js"], "/tmp/x"); // { binPath: "/usr/bin/node /srv/app.js" }
 * lighttpdBinPath(["/usr/bin/node", "/a b/app.js"], "/tmp/x").script?.path; // "/tmp/x/bin-path.sh"
 */
export function lighttpdBinPath(argv: readonly string[], dir: string): LighttpdBinPath {
  if (!argv.some((word) => /\s/.test(word))) return { binPath: argv.join(" ") };
  const words = argv.map((word) => `'${word.replaceAll("'", `'\\''`)}'`);
  const path = `${dir}/bin-path.sh`;
  return { binPath: path, script: { path, text: `#!/bin/sh\nexec ${words.join(" ")}\n` } };
}

function quote(text: string): string {
  return JSON.stringify(text);
}

function addressLines(address: Address): string {
  return "socket" in address
    ? `"socket" => ${quote(address.socket)}`
    : `"host" => ${quote(address.host)}, "port" => ${address.port}`;
}

function backendBlock(mode: LighttpdMode, mount: string, dir: string): string {
  if (mode.kind === "cgi") {
    return `server.modules += ("mod_alias", "mod_cgi")
alias.url = (${quote(`${mount}/`)} => ${quote(`${mode.scriptsDir}/`)})
$HTTP["url"] =~ ${quote(`^${mount}/`)} {
  cgi.assign = ("" => "")
}`;
  }
  // The prefix "/" makes lighttpd a catch-all; "/app" makes it match /app and /app/... .
  const prefix = mount === "" ? "/" : mount;
  const module = mode.kind === "scgi" ? "mod_scgi" : "mod_fastcgi";
  let where: string;
  if ("binPath" in mode) {
    const cmd = lighttpdBinPath([mode.binPath, ...(mode.binArgs ?? [])], dir).binPath;
    const env = Object.entries(mode.binEnvironment ?? {})
      .map(([k, v]) => `${quote(k)} => ${quote(v)}`)
      .join(", ");
    where = `"socket" => ${quote(`${dir}/spawned.sock`)}, "bin-path" => ${quote(cmd)},
      "bin-environment" => (${env}), "max-procs" => ${mode.procs ?? 1}`;
  } else {
    where = addressLines(mode.backend);
  }
  const fixRoot = mount === "" ? `, "fix-root-scriptname" => "enable"` : "";
  return `server.modules += (${quote(module)})
${mode.kind === "scgi" ? "scgi" : "fastcgi"}.server = (${quote(prefix)} => ((
      ${where}, "check-local" => "disable"${fixRoot}
)))`;
}

/**
 * The whole lighttpd.conf for one test server: every path inside `dir`, running as root
 * (the test user) so spawned programs and scripts need no extra permissions.
 *
 * @example
 * const conf = lighttpdConfig(8080, "/tmp/x", { mode: { kind: "scgi", backend: { host: "127.0.0.1", port: 4000 } } });
 */
export function lighttpdConfig(port: number, dir: string, options: LighttpdOptions): string {
  const mount = (options.mount ?? (options.mode.kind === "cgi" ? "/cgi-bin" : "")).replace(
    /\/+$/,
    "",
  );
  const maxKib = Math.ceil((options.maxBody ?? 0) / 1024);
  return `server.bind = "127.0.0.1"
server.port = ${port}
server.document-root = ${quote(options.documentRoot ?? `${dir}/www`)}
server.pid-file = ${quote(`${dir}/lighttpd.pid`)}
server.errorlog = ${quote(`${dir}/error.log`)}
server.breakagelog = ${quote(`${dir}/error.log`)}
server.upload-dirs = (${quote(dir)})
server.max-request-size = ${maxKib}
server.stream-response-body = ${options.streamResponse ? 2 : 0}
server.modules = ("mod_access", "mod_accesslog")
accesslog.filename = ${quote(`${dir}/access.log`)}
${backendBlock(options.mode, mount, dir)}
${options.extraConfig ?? ""}
`;
}

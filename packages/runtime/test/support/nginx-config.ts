import type { Address } from "./net-wait.js";

/** What nginx passes requests to. */
export type NginxUpstream =
  | { kind: "fastcgi"; backend: Address; keepConn?: boolean }
  | { kind: "scgi"; backend: Address }
  | { kind: "http"; backend: Address }
  | { kind: "cgi"; fcgiwrapSocket: string; scriptsDir: string };

/** Options shared by every nginx mode. */
export interface NginxOptions {
  upstream: NginxUpstream;
  /**
   * The location the application is mounted at: `""` for the site root, or a prefix such as
   * `/app`. For CGI it is the script directory's URL (default `/cgi-bin`).
   */
  mount?: string;
  /**
   * `"mount"` (default): SCRIPT_NAME is the mount, PATH_INFO the rest of the path, as a
   * careful deployment sets it. `"debian"`: include Debian's stock /etc/nginx/fastcgi_params
   * or scgi_params unchanged, as most real sites do (FastCGI then gets SCRIPT_NAME = the whole
   * path and no PATH_INFO; SCGI gets neither; both get HTTP_HOST as `$host`, without the port).
   */
  params?: "mount" | "debian";
  /** `client_max_body_size` in bytes (nginx answers 413 beyond it); 0 lifts the limit. */
  maxBody?: number;
  /** Raw directives appended inside the `location` block. */
  extraLocation?: string;
  /** Raw directives appended inside the `http` block (`log_format` and a second `access_log`). */
  extraHttp?: string;
}

/**
 * An address as nginx writes it in `*_pass` and `server` lines.
 *
 * @example
 * nginxAddress({ socket: "/tmp/app.sock" }); // "unix:/tmp/app.sock"
 */
export function nginxAddress(address: Address): string {
  return "socket" in address ? `unix:${address.socket}` : `${address.host}:${address.port}`;
}

// Debian's fastcgi_params without SCRIPT_NAME and its HTTP_HOST line (which replaces the
// client's Host header with $host and so drops the port).
const CGI_PARAMS = [
  "QUERY_STRING $query_string",
  "REQUEST_METHOD $request_method",
  "CONTENT_TYPE $content_type",
  "CONTENT_LENGTH $content_length",
  "REQUEST_URI $request_uri",
  "DOCUMENT_URI $document_uri",
  "DOCUMENT_ROOT $document_root",
  "SERVER_PROTOCOL $server_protocol",
  "REQUEST_SCHEME $scheme",
  "HTTPS $https if_not_empty",
  "GATEWAY_INTERFACE CGI/1.1",
  "SERVER_SOFTWARE nginx/$nginx_version",
  "REMOTE_ADDR $remote_addr",
  "REMOTE_PORT $remote_port",
  "SERVER_ADDR $server_addr",
  "SERVER_PORT $server_port",
  "SERVER_NAME $server_name",
];

function params(directive: string, extra: string[]): string {
  // nginx's SCGI module puts CONTENT_LENGTH first by itself (the SCGI spec requires it);
  // a second one from a param line makes strict SCGI parsers drop the request.
  const base =
    directive === "scgi_param"
      ? [...CGI_PARAMS.filter((p) => !p.startsWith("CONTENT_LENGTH ")), "SCGI 1"]
      : CGI_PARAMS;
  return [...base, ...extra].map((p) => `      ${directive} ${p};`).join("\n");
}

/** A mount as nginx locations need it: "" or "/prefix" without a trailing slash. */
function cleanMount(mount: string): string {
  return mount.replace(/\/+$/, "");
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function locationBlock(options: NginxOptions): string {
  const up = options.upstream;
  const extra = options.extraLocation ?? "";
  if (up.kind === "cgi") {
    const mount = escapeRegex(cleanMount(options.mount ?? "/cgi-bin"));
    return `    location ~ ^(?<cgi_script_name>${mount}/(?<cgi_script_file>[^/]+))(?<cgi_path_info>/.*)?$ {
      gzip off;
      fastcgi_pass unix:${up.fcgiwrapSocket};
${params("fastcgi_param", [
  `SCRIPT_FILENAME ${up.scriptsDir}/$cgi_script_file`,
  "SCRIPT_NAME $cgi_script_name",
  "PATH_INFO $cgi_path_info",
])}
      ${extra}
    }`;
  }
  const mount = cleanMount(options.mount ?? "");
  const where = mount === "" ? "/" : `${mount}/`;
  const split = `^(${escapeRegex(mount)})(/.*)$`;
  const debian = options.params === "debian";
  if (up.kind === "fastcgi") {
    const lines = debian
      ? "      include /etc/nginx/fastcgi_params;"
      : params("fastcgi_param", [
          "SCRIPT_NAME $fastcgi_script_name",
          "PATH_INFO $fastcgi_path_info",
        ]);
    return `    location ${where} {
      fastcgi_pass backend;
      fastcgi_keep_conn ${up.keepConn ? "on" : "off"};
      ${debian ? "" : `fastcgi_split_path_info ${split};`}
${lines}
      ${extra}
    }`;
  }
  if (up.kind === "scgi") {
    const lines = debian
      ? "      include /etc/nginx/scgi_params;"
      : params("scgi_param", ["SCRIPT_NAME $scgi_script_name", "PATH_INFO $scgi_path_info"]);
    // scgi has no split_path_info directive, so a regex location with named captures does
    // the split (numeric captures copied with `set` come out percent-encoded again).
    const named = `^(?<scgi_script_name>${escapeRegex(mount)})(?<scgi_path_info>/.*)?$`;
    const loc = debian ? `location ${where}` : `location ~ ${named}`;
    return `    ${loc} {
      scgi_pass backend;
${lines}
      ${extra}
    }`;
  }
  return `    location ${where} {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Prefix "${mount}";
      proxy_buffering off;
      ${extra}
    }`;
}

function upstreamBlock(up: NginxUpstream): string {
  if (up.kind === "cgi") return "";
  // keepalive lets fastcgi_keep_conn and HTTP/1.1 reuse connections to the backend.
  const keepalive = up.kind === "scgi" ? "" : "keepalive 8;";
  return `  upstream backend {
    server ${nginxAddress(up.backend)};
    ${keepalive}
  }`;
}

/**
 * The main context every test nginx shares: foreground, root workers (the test runs as root
 * and scripts must be runnable as is), pid, logs and temp files inside `dir`, and an `http {}`
 * block that holds `http` after the temp paths.
 *
 * @example
 * const conf = nginxMainConfig("/tmp/x", "  server { listen 127.0.0.1:8080; }");
 */
export function nginxMainConfig(dir: string, http: string): string {
  return `daemon off;
master_process on;
worker_processes 1;
user root;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log info;
events { worker_connections 512; }
http {
  access_log ${dir}/access.log;
  client_body_temp_path ${dir}/body;
  fastcgi_temp_path ${dir}/fastcgi;
  proxy_temp_path ${dir}/proxy;
  scgi_temp_path ${dir}/scgi;
  uwsgi_temp_path ${dir}/uwsgi;
${http}
}
`;
}

/**
 * The whole nginx.conf for one test server: {@link nginxMainConfig} around one upstream and
 * one server on `port`.
 *
 * @example
 * const conf = nginxConfig(8080, "/tmp/x", { upstream: { kind: "http", backend: { host: "127.0.0.1", port: 9000 } } });
 */
export function nginxConfig(port: number, dir: string, options: NginxOptions): string {
  const maxBody = options.maxBody ?? 0;
  return nginxMainConfig(
    dir,
    `  client_max_body_size ${maxBody};
${upstreamBlock(options.upstream)}
  server {
    listen 127.0.0.1:${port};
    server_name localhost;
    root ${dir}/www;
${locationBlock(options)}
  }
${options.extraHttp ?? ""}`,
  );
}

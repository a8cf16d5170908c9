import { mkdir, writeFile } from "node:fs/promises";
import { startFcgiwrap } from "./fcgiwrap.js";
import { launchFrontServer, type FrontServer } from "./front-server.js";

export type { FrontServer } from "./front-server.js";
import { nginxConfig, type NginxOptions } from "./nginx-config.js";
import type { Address } from "./net-wait.js";

export type { NginxOptions, NginxUpstream } from "./nginx-config.js";

/**
 * Starts nginx in front of a backend (FastCGI, SCGI, HTTP) from a generated config.
 *
 * @example
 * const nginx = await startNginx({ upstream: { kind: "fastcgi", backend: { socket }, keepConn: true }, mount: "/app" });
 * const res = await fetch(`${nginx.baseUrl}/app/hello`);
 * await nginx.close();
 */
export function startNginx(options: NginxOptions): Promise<FrontServer> {
  const label = options.upstream.kind === "fastcgi" && options.upstream.keepConn ? "-keepconn" : "";
  return launchFrontServer({
    name: `nginx-${options.upstream.kind}${label}`,
    logFiles: ["error.log"],
    async prepare(port, dir) {
      await mkdir(`${dir}/www`, { recursive: true });
      await writeFile(`${dir}/nginx.conf`, nginxConfig(port, dir, options));
      return {
        command: "nginx",
        args: ["-p", dir, "-c", `${dir}/nginx.conf`, "-e", `${dir}/error.log`],
      };
    },
  });
}

/** Options for serving a directory of CGI scripts through nginx and fcgiwrap. */
export interface NginxCgiOptions {
  /** Directory of executable scripts, served as `<mount>/<name>[/path/info]`. */
  scriptsDir: string;
  /** URL prefix of the scripts (default `/cgi-bin`). */
  mount?: string;
  maxBody?: number;
  /** Raw directives appended inside the `http` block, as {@link NginxOptions}' `extraHttp`. */
  extraHttp?: string;
}

/**
 * Starts fcgiwrap on a temp unix socket and nginx in front of it, the usual way to run CGI
 * scripts behind nginx.
 *
 * @example
 * const server = await startNginxCgi({ scriptsDir });
 * const res = await fetch(`${server.baseUrl}/cgi-bin/env.sh/extra?x=1`);
 */
export function startNginxCgi(options: NginxCgiOptions): Promise<FrontServer> {
  return launchFrontServer({
    name: "nginx-fcgiwrap",
    logFiles: ["error.log"],
    companions: async (dir) => [await startFcgiwrap(`${dir}/fcgiwrap.sock`)],
    async prepare(port, dir) {
      await mkdir(`${dir}/www`, { recursive: true });
      const upstream = {
        kind: "cgi",
        fcgiwrapSocket: `${dir}/fcgiwrap.sock`,
        scriptsDir: options.scriptsDir,
      } as const;
      const conf = nginxConfig(port, dir, {
        upstream,
        mount: options.mount,
        maxBody: options.maxBody,
        extraHttp: options.extraHttp,
      });
      await writeFile(`${dir}/nginx.conf`, conf);
      return {
        command: "nginx",
        args: ["-p", dir, "-c", `${dir}/nginx.conf`, "-e", `${dir}/error.log`],
      };
    },
  });
}

export type { Address };

import { writeFile } from "node:fs/promises";
import { launchFrontServer, type FrontServer } from "../support/index.js";

/**
 * Starts Caddy with a docs snippet (a `:80 { ... }` site) behind a global block that keeps a
 * test instance to itself: no admin endpoint (each would claim localhost:2019), no automatic
 * HTTPS, and its storage in the temp dir.
 *
 * @example
 * const caddy = await startCaddySnippet(snippet("fastcgi-caddy", { "9000": String(port) }));
 */
export function startCaddySnippet(site: string): Promise<FrontServer> {
  return launchFrontServer({
    name: "docs-caddy",
    logFiles: [],
    async prepare(port, dir) {
      const conf = `{
\tadmin off
\tauto_https off
\tstorage file_system ${dir}/storage
}
${site.replace(/^:80 \{/m, `http://127.0.0.1:${port} {`)}`;
      await writeFile(`${dir}/Caddyfile`, conf);
      // Caddy autosaves its config under $HOME (SERVER_ENV has none): the shell sets it.
      const run = `HOME=${dir} exec caddy run --config ${dir}/Caddyfile --adapter caddyfile`;
      return { command: "sh", args: ["-c", run] };
    },
  });
}

/**
 * Starts h2o with a docs snippet (its `hosts:` and settings) under the lines a test instance
 * needs: the error log in the temp dir and `user: www-data` (h2o refuses to keep running as
 * root). The snippet's `port: 80` becomes the test port on the loopback address.
 *
 * @example
 * const h2o = await startH2oSnippet(snippet("fastcgi-h2o", { "9000": String(port) }));
 */
export function startH2oSnippet(config: string): Promise<FrontServer> {
  return launchFrontServer({
    name: "docs-h2o",
    logFiles: ["error.log"],
    async prepare(port, dir) {
      const listen = config.replace(
        /^(\s*)port: 80$/m,
        (_m, indent: string) => `${indent}host: 127.0.0.1\n${indent}port: ${port}`,
      );
      await writeFile(`${dir}/h2o.conf`, `error-log: ${dir}/error.log\nuser: www-data\n${listen}`);
      return { command: "h2o", args: ["-c", `${dir}/h2o.conf`] };
    },
  });
}

/**
 * Starts HAProxy in the foreground with a docs snippet (backends, an `fcgi-app`) behind the
 * smallest frontend that runs in a temp dir: `frontend` sends everything to `backend`, and
 * the global log goes to HAProxy's stderr (in place of Debian's `/dev/log`).
 *
 * @example
 * const haproxy = await startHaproxySnippet(snippet("scale-haproxy", hosts), "cgi2wsgi_pool");
 */
export function startHaproxySnippet(sections: string, backend: string): Promise<FrontServer> {
  return launchFrontServer({
    name: "docs-haproxy",
    logFiles: [],
    async prepare(port, dir) {
      const conf = `global
    pidfile ${dir}/haproxy.pid
    log stderr format raw local0
defaults
    mode http
    timeout connect 2s
    timeout client 30s
    timeout server 30s
frontend web
    bind 127.0.0.1:${port}
    default_backend ${backend}
${sections}`;
      await writeFile(`${dir}/haproxy.cfg`, conf);
      return { command: "haproxy", args: ["-db", "-f", `${dir}/haproxy.cfg`] };
    },
  });
}

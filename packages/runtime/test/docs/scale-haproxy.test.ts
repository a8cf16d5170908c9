import { writeFile } from "node:fs/promises";
import { launchFrontServer, type FrontServer } from "../support/index.js";
import { describeScaleOut } from "./scale.js";
import { snippet } from "./snippets.js";

/**
 * Starts HAProxy in the foreground with the documented backend behind the smallest frontend
 * that runs in a temp dir (no syslog, no stats socket).
 */
function startHaproxySnippet(backend: string): Promise<FrontServer> {
  return launchFrontServer({
    name: "docs-haproxy",
    logFiles: [],
    async prepare(port, dir) {
      const conf = `global
    pidfile ${dir}/haproxy.pid
defaults
    mode http
    timeout connect 2s
    timeout client 30s
    timeout server 30s
frontend web
    bind 127.0.0.1:${port}
    default_backend cgi2wsgi_pool
${backend}`;
      await writeFile(`${dir}/haproxy.cfg`, conf);
      return { command: "haproxy", args: ["-db", "-f", `${dir}/haproxy.cfg`] };
    },
  });
}

// Two failed checks 2 s apart take a stopped host out.
describeScaleOut(
  "HAProxy with active health checks",
  (hosts) => startHaproxySnippet(snippet("scale-haproxy", hosts)),
  5000,
);

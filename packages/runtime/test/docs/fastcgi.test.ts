import { join } from "node:path";
import { freePort, makeTempDir } from "../support/index.js";
import { startApacheSnippet, startLighttpdSnippet, startNginxSnippet } from "./frames.js";
import { makeAppDir, runDocumentedCommand, startDocumentedServer } from "./runtime.js";
import { snippet } from "./snippets.js";
import { describeDocumented } from "./stack.js";

/** The documented TCP service (`fastcgi-serve`) on a free port, and the values to substitute. */
async function tcpRuntime(started: { dirs: string[] }) {
  const appDir = await makeAppDir();
  started.dirs.push(appDir);
  const port = await freePort();
  const values = { "/srv/app": appDir, "9000": String(port) };
  const runtime = await startDocumentedServer(snippet("fastcgi-serve", values), {
    host: "127.0.0.1",
    port,
  });
  return { runtime, values };
}

describeDocumented("FastCGI: nginx upstream keepalive, unix socket", async (started) => {
  const appDir = await makeAppDir();
  const runDir = await makeTempDir("docs-run");
  started.dirs.push(appDir, runDir);
  const values = { "/srv/app": appDir, "/run/cgi2wsgi": runDir };
  started.runtime = await startDocumentedServer(snippet("fastcgi-serve-unix", values), {
    socket: join(runDir, "app.sock"),
  });
  started.front = await startNginxSnippet(snippet("fastcgi-nginx", values));
});

describeDocumented("FastCGI: Apache mod_proxy_fcgi", async (started) => {
  const { runtime, values } = await tcpRuntime(started);
  started.runtime = runtime;
  started.front = await startApacheSnippet(snippet("fastcgi-apache", values));
});

describeDocumented("FastCGI: lighttpd mod_fastcgi to the service", async (started) => {
  const { runtime, values } = await tcpRuntime(started);
  started.runtime = runtime;
  started.front = await startLighttpdSnippet(snippet("fastcgi-lighttpd", values));
});

describeDocumented("FastCGI: lighttpd spawning the launcher (bin-path)", async (started) => {
  const appDir = await makeAppDir();
  const runDir = await makeTempDir("docs-run");
  started.dirs.push(appDir, runDir);
  const values = { "/srv/app": appDir, "/run/cgi2wsgi": runDir };
  await runDocumentedCommand(snippet("cgi-launcher", values));
  started.front = await startLighttpdSnippet(snippet("fastcgi-lighttpd-spawn", values));
});

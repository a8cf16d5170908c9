import { join } from "node:path";
import { startFcgiwrap } from "../support/index.js";
import { startApacheSnippet, startLighttpdSnippet, startNginxSnippet } from "./frames.js";
import { makeAppDir, runDocumentedCommand } from "./runtime.js";
import { snippet } from "./snippets.js";
import { describeDocumented, type Started } from "./stack.js";

/** A temp `/srv/app` with the launcher the docs' `cgi2wsgi launcher` line writes. */
async function launcherValues(started: Started): Promise<Record<string, string>> {
  const appDir = await makeAppDir();
  started.dirs.push(appDir);
  const values = { "/srv/app": appDir };
  await runDocumentedCommand(snippet("cgi-launcher", values));
  return values;
}

// fcgiwrap holds a script's output in libfcgi's buffer, so small streamed chunks arrive
// together whatever nginx does (docs/deploy.md): no streaming-timing check here.
describeDocumented(
  "CGI: nginx + fcgiwrap running the launcher",
  async (started) => {
    const values = await launcherValues(started);
    const socket = (dir: string) => join(dir, "fcgiwrap.socket");
    // fcgiwrap's socket lives in the server's temp dir, known only once the harness made it.
    started.front = await startNginxSnippet(
      (dir) => snippet("cgi-nginx", { ...values, "/run/fcgiwrap.socket": socket(dir) }),
      async (dir) => [await startFcgiwrap(socket(dir))],
    );
  },
  { timing: false },
);

describeDocumented("CGI: Apache mod_cgi running the launcher", async (started) => {
  const values = await launcherValues(started);
  started.front = await startApacheSnippet(snippet("cgi-apache", values));
});

describeDocumented("CGI: lighttpd mod_cgi running the launcher", async (started) => {
  const values = await launcherValues(started);
  started.front = await startLighttpdSnippet(snippet("cgi-lighttpd", values));
});

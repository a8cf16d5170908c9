import { join } from "node:path";
import {
  makeTempDir,
  NotListeningError,
  startProcess,
  waitForListening,
  type ManagedProcess,
} from "../support/index.js";
import { startApacheSnippet, startNginxSnippet } from "./frames.js";
import { startH2oSnippet } from "./fronts.js";
import { makeAppDir, runDocumentedCommand } from "./runtime.js";
import { snippet } from "./snippets.js";
import { describeDocumented, type Started } from "./stack.js";

/** A temp `/srv/app` holding the launcher (`cgi-launcher`) and a temp `/run/cgi2wsgi`. */
async function launcherDirs(started: Started): Promise<Record<string, string>> {
  const appDir = await makeAppDir();
  const runDir = await makeTempDir("docs-run");
  started.dirs.push(appDir, runDir);
  const values = { "/srv/app": appDir, "/run/cgi2wsgi": runDir };
  await runDocumentedCommand(snippet("cgi-launcher", values));
  return values;
}

/** Runs a documented spawner command line (no quoting in the docs) until `socket` accepts. */
async function startSpawner(text: string, socket: string): Promise<ManagedProcess> {
  const [command, ...args] = text.trim().split(/\s+/);
  const proc = startProcess(command!, args);
  if (!(await waitForListening({ socket }, () => proc.running(), 20_000))) {
    await proc.stop();
    throw new NotListeningError(command!, proc.output() || "(no output)");
  }
  return proc;
}

describeDocumented("FastCGI: Apache mod_fcgid spawning the launcher", async (started) => {
  const values = await launcherDirs(started);
  // mod_fcgid's sockets and process table go to the server's temp dir.
  started.front = await startApacheSnippet((dir) =>
    snippet("fastcgi-fcgid", { ...values, "/var/lib/apache2/fcgid": dir }),
  );
});

describeDocumented("FastCGI: spawn-fcgi running the launcher, behind nginx", async (started) => {
  const values = await launcherDirs(started);
  const socket = join(values["/run/cgi2wsgi"]!, "app.sock");
  started.runtime = await startSpawner(snippet("fastcgi-spawn-fcgi", values), socket);
  started.front = await startNginxSnippet(snippet("fastcgi-nginx", values));
});

describeDocumented("FastCGI: h2o fastcgi.spawn running the launcher", async (started) => {
  const values = await launcherDirs(started);
  started.front = await startH2oSnippet(snippet("fastcgi-h2o-spawn", values));
});

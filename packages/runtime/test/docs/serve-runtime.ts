import { freePort, type ManagedProcess } from "../support/index.js";
import { makeAppDir, startDocumentedServer } from "./runtime.js";
import { snippet } from "./snippets.js";

/**
 * Starts the documented `cgi2wsgi serve` command named `name` on a free loopback port in
 * place of its documented `port`, serving the conformance application from a temp `/srv/app`.
 * Returns the values that point the front server's snippet at it.
 *
 * @example
 * const { runtime, values } = await serveDocumented("scgi-serve", "4000", started);
 * started.front = await startNginxSnippet(snippet("scgi-nginx", values));
 */
export async function serveDocumented(
  name: string,
  port: string,
  started: { dirs: string[]; runtime?: ManagedProcess },
): Promise<Record<string, string>> {
  const appDir = await makeAppDir();
  started.dirs.push(appDir);
  const actual = await freePort();
  const values = { "/srv/app": appDir, [port]: String(actual) };
  started.runtime = await startDocumentedServer(snippet(name, values), {
    host: "127.0.0.1",
    port: actual,
  });
  return values;
}

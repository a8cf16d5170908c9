// Serves a directory with mixedDirectory over HTTP on a free loopback port, as `cgi2wsgi
// serve DIR` will: run under `node --conditions=cgi2wsgi-source --import tsx`, so migrated CommonJS
// modules can require the runtime (vitest's own loader cannot). Prints "listening PORT".
// Arguments: the directory, and optionally the PIDFILE_DIR the test scripts write to.
import type { AddressInfo } from "node:net";
import { mixedDirectory } from "../../src/cgi-host/mixed.js";
import { createHttpServer } from "../../src/http/server.js";

const dir = process.argv[2]!;
const app = await mixedDirectory(dir, {
  timeout: 10_000,
  env: process.argv[3] ? { PIDFILE_DIR: process.argv[3] } : undefined,
  onError: (file, error) => process.stderr.write(`cannot load ${file}: ${String(error)}\n`),
});
const server = createHttpServer(app);
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`);
});
// Exits at once, scripts still running: the host must take them down with it.
process.on("SIGTERM", () => process.exit(0));

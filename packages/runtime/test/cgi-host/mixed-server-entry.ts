// Serves a directory with mixedDirectory over HTTP on a free loopback port, as `cgi2wsgi
// serve DIR` will: run under `node --conditions=source --import tsx`, so migrated CommonJS
// modules can require the runtime (vitest's own loader cannot). Prints "listening PORT".
import type { AddressInfo } from "node:net";
import { mixedDirectory } from "../../src/cgi-host/mixed.js";
import { createHttpServer } from "../../src/http/server.js";

const dir = process.argv[2]!;
const app = await mixedDirectory(dir, {
  timeout: 10_000,
  onError: (file, error) => process.stderr.write(`cannot load ${file}: ${String(error)}\n`),
});
const server = createHttpServer(app);
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));

import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { scgi } from "../../src/scgi/protocol.js";
import { startServer } from "../../src/server/start.js";
import { application } from "../conformance/app.js";
import { behindFront } from "../conformance/behind-front.js";
import { describeConformance } from "../conformance/suite.js";
import { startApache } from "../support/apache.js";
import type { FrontServer } from "../support/front-server.js";
import type { Address } from "../support/net-wait.js";
import { startNginx } from "../support/nginx.js";

const MOUNT = "/app";

// The whole serving stack as `cgi2wsgi serve --protocol scgi --listen unix:...` runs it:
// the shared server (limits, draining) with the SCGI protocol, on a unix socket.
const PEERS: Array<[string, (backend: Address) => Promise<FrontServer>]> = [
  ["nginx", (backend) => startNginx({ upstream: { kind: "scgi", backend }, mount: MOUNT })],
  ["Apache", (backend) => startApache({ mode: { kind: "scgi", backend }, mount: MOUNT })],
];

for (const [name, start] of PEERS) {
  describeConformance(`SCGI server on a unix socket behind ${name}`, async () => {
    const dir = await mkdtemp(join(tmpdir(), "cgi2wsgi-scgi-"));
    // Apache's children run as www-data and must reach the socket inside.
    await chmod(dir, 0o755);
    const socket = join(dir, "app.sock");
    const running = await startServer(application, {
      protocol: scgi({ mount: MOUNT }),
      listen: `unix:${socket}`,
      maxConcurrency: 4,
      log: () => {},
    });
    return behindFront(
      () => start({ socket }),
      MOUNT,
      async () => {
        await running.close(2000);
        await rm(dir, { recursive: true, force: true });
      },
    );
  });
}

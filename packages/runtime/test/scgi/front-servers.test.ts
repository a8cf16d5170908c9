import { handleScgiConnection, type ScgiOptions } from "../../src/scgi/handler.js";
import { application } from "../conformance/app.js";
import { behindFront } from "../conformance/behind-front.js";
import { describeConformance } from "../conformance/suite.js";
import { startApache } from "../support/apache.js";
import type { FrontServer } from "../support/front-server.js";
import { startLighttpd } from "../support/lighttpd.js";
import type { Address } from "../support/net-wait.js";
import { startNginx } from "../support/nginx.js";
import { listen, testContext } from "./context.js";

const MOUNT = "/app";

/**
 * Each front server with the gateway options it needs. What they send differs: nginx sends
 * what its config says (Debian's stock scgi_params: no SCRIPT_NAME or PATH_INFO at all),
 * lighttpd splits at its prefix, Apache mod_proxy_scgi puts the whole path in SCRIPT_NAME.
 * The `mount` option gives the same environ in every case.
 */
const PEERS: Array<[string, (backend: Address) => Promise<FrontServer>, ScgiOptions]> = [
  [
    "nginx scgi_pass, SCRIPT_NAME and PATH_INFO from its config",
    (backend) => startNginx({ upstream: { kind: "scgi", backend }, mount: MOUNT }),
    {},
  ],
  [
    "nginx scgi_pass with Debian's scgi_params, --mount",
    (backend) =>
      startNginx({ upstream: { kind: "scgi", backend }, mount: MOUNT, params: "debian" }),
    { mount: MOUNT },
  ],
  [
    "lighttpd mod_scgi",
    (backend) => startLighttpd({ mode: { kind: "scgi", backend }, mount: MOUNT }),
    {},
  ],
  [
    "Apache mod_proxy_scgi, --mount",
    (backend) => startApache({ mode: { kind: "scgi", backend }, mount: MOUNT }),
    { mount: MOUNT },
  ],
];

for (const [name, start, options] of PEERS) {
  describeConformance(`SCGI behind ${name}`, async () => {
    const context = testContext(application);
    const gateway = await listen((socket) => handleScgiConnection(socket, context, options));
    const backend = { host: "127.0.0.1", port: gateway.port };
    return behindFront(
      () => start(backend),
      MOUNT,
      () => gateway.close(),
    );
  });
}

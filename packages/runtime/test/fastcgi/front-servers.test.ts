import { join } from "node:path";
import { fastcgi, type FastCgiOptions } from "../../src/fastcgi/protocol.js";
import { startServer } from "../../src/server/start.js";
import { application } from "../conformance/app.js";
import { behindFront } from "../conformance/behind-front.js";
import { describeConformance } from "../conformance/suite.js";
import { startApache } from "../support/apache.js";
import type { FrontServer } from "../support/front-server.js";
import { startLighttpd } from "../support/lighttpd.js";
import { listenPort, type Address } from "../support/net-wait.js";
import { startNginx } from "../support/nginx.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";

const MOUNT = "/app";

/**
 * Each front server with the transport and gateway options it needs. nginx with a careful
 * config sends SCRIPT_NAME and PATH_INFO split at the mount; Debian's stock fastcgi_params
 * and Apache mod_proxy_fcgi send the whole path as SCRIPT_NAME, which `mount` splits.
 */
const PEERS: Array<{
  name: string;
  unix: boolean;
  options: FastCgiOptions;
  start: (backend: Address) => Promise<FrontServer>;
}> = [
  {
    name: "nginx fastcgi_pass, keep-conn on, unix socket",
    unix: true,
    options: {},
    start: (backend) =>
      startNginx({ upstream: { kind: "fastcgi", backend, keepConn: true }, mount: MOUNT }),
  },
  {
    name: "nginx fastcgi_pass, keep-conn off, TCP",
    unix: false,
    options: {},
    start: (backend) =>
      startNginx({ upstream: { kind: "fastcgi", backend, keepConn: false }, mount: MOUNT }),
  },
  {
    name: "nginx fastcgi_pass with Debian's fastcgi_params, keep-conn on, TCP, mount option",
    unix: false,
    options: { mount: MOUNT },
    start: (backend) =>
      startNginx({
        upstream: { kind: "fastcgi", backend, keepConn: true },
        mount: MOUNT,
        params: "debian",
      }),
  },
  {
    name: "Apache mod_proxy_fcgi, unix socket, mount option",
    unix: true,
    options: { mount: MOUNT },
    start: (backend) => startApache({ mode: { kind: "fcgi", backend }, mount: MOUNT }),
  },
  {
    name: "lighttpd mod_fastcgi, TCP",
    unix: false,
    options: {},
    start: (backend) => startLighttpd({ mode: { kind: "fastcgi", backend }, mount: MOUNT }),
  },
];

for (const peer of PEERS) {
  describeConformance(`FastCGI behind ${peer.name}`, async () => {
    const dir = await makeTempDir("fcgi-front");
    const socket = join(dir, "app.sock");
    const gateway = await startServer(application, {
      protocol: fastcgi(peer.options),
      listen: peer.unix ? `unix:${socket}` : "127.0.0.1:0",
      socketMode: 0o666,
      log: () => {},
    });
    const port = listenPort(gateway.address);
    const backend: Address = peer.unix ? { socket } : { host: "127.0.0.1", port };
    return behindFront(
      () => peer.start(backend),
      MOUNT,
      async () => {
        await gateway.close(1000);
        await removeTempDir(dir);
      },
    );
  });
}

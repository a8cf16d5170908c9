import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { createHttpServer } from "../../src/index.js";
import { application } from "../conformance/app.js";
import { describeConformance } from "../conformance/suite.js";

for (const mount of ["", "/mounted/app"]) {
  describeConformance(`built-in HTTP server, mount ${JSON.stringify(mount)}`, async () => {
    const server = createHttpServer(application, { mount, log: () => {} });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const { port } = server.address() as AddressInfo;
    return {
      baseUrl: `http://127.0.0.1:${port}${mount}`,
      scriptName: mount,
      close: async () => {
        server.closeAllConnections();
        server.close();
        await once(server, "close");
      },
    };
  });
}

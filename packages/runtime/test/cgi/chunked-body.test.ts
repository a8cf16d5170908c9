import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeConformanceCgi } from "../conformance/cgi-launcher.js";
import {
  makeTempDir,
  rawRequest,
  removeTempDir,
  startApache,
  startLighttpd,
  startNginxCgi,
  type FrontServer,
} from "../support/index.js";

// A chunked request body reaches a CGI program differently per server: nginx and lighttpd
// buffer it and set CONTENT_LENGTH; Apache mod_cgi sets none and streams it to EOF.
const PEERS: Array<[string, (dir: string) => Promise<FrontServer>]> = [
  ["nginx + fcgiwrap", (scriptsDir) => startNginxCgi({ scriptsDir })],
  ["Apache mod_cgi", (scriptsDir) => startApache({ mode: { kind: "cgi", scriptsDir } })],
  ["lighttpd mod_cgi", (scriptsDir) => startLighttpd({ mode: { kind: "cgi", scriptsDir } })],
];

for (const [name, start] of PEERS) {
  describe(`CGI gateway under ${name}`, () => {
    let dir: string;
    let server: FrontServer;
    beforeAll(async () => {
      dir = await makeTempDir("chunked-cgi");
      await writeConformanceCgi(dir);
      server = await start(dir);
    });
    afterAll(async () => {
      await server?.close();
      await removeTempDir(dir);
    });

    it("gives a chunked request body to wsgi.input whole", async () => {
      const res = await rawRequest(server.baseUrl, "/cgi-bin/app.cgi/echo", {
        method: "POST",
        headers: { "Content-Type": "text/plain" },
        bodyParts: ["first part, ", "second part"],
      });
      expect(res.status).toBe(200);
      expect(res.body.toString()).toBe("first part, second part");
    });
  });
}

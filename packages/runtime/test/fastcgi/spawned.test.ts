import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { describeConformance } from "../conformance/suite.js";
import { runCgiFcgi } from "../support/cgi-fcgi.js";
import { startLighttpd } from "../support/lighttpd.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";
import { fastcgi } from "../../src/fastcgi/protocol.js";
import { startServer } from "../../src/server/start.js";
import { application } from "../conformance/app.js";
import { join } from "node:path";

const entry = fileURLToPath(new URL("./fixtures/conformance-entry.ts", import.meta.url));
const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
const MOUNT = "/app";

for (const workers of [0, 2]) {
  // lighttpd mod_fastcgi starts the program itself ("bin-path") with the listening socket on
  // fd 0, as mod_fcgid and spawn-fcgi do; serve() must find it without --listen.
  describeConformance(
    `FastCGI spawned by lighttpd bin-path (socket on fd 0${workers ? `, ${workers} prefork workers` : ""})`,
    async () => {
      const front = await startLighttpd({
        mode: {
          kind: "fastcgi",
          binPath: process.execPath,
          binArgs: ["--conditions=cgi2wsgi-source", "--import", tsx, entry],
          binEnvironment: { TEST_WORKERS: String(workers) },
        },
        mount: MOUNT,
      });
      return { baseUrl: front.baseUrl + MOUNT, scriptName: MOUNT, close: () => front.close() };
    },
  );
}

describe("FastCGI with libfcgi's cgi-fcgi client", () => {
  it("answers the reference client, body and params intact", async () => {
    const dir = await makeTempDir("fcgi-cgifcgi");
    const socket = join(dir, "app.sock");
    const gateway = await startServer(application, {
      protocol: fastcgi(),
      listen: `unix:${socket}`,
      log: () => {},
    });
    try {
      const hello = await runCgiFcgi({
        backend: { socket },
        params: { REQUEST_METHOD: "GET", SCRIPT_NAME: "/app", PATH_INFO: "/hello" },
      });
      expect(hello.exitCode).toBe(0);
      expect(hello.stdout.toString()).toMatch(/^Content-Type: text\/plain; charset=utf-8\r\n/);
      expect(hello.stdout.toString()).toContain("\r\n\r\nHello, world!\n");
      const body = Buffer.from("a=1&b=two\n");
      const echo = await runCgiFcgi({
        backend: { socket },
        params: { REQUEST_METHOD: "POST", SCRIPT_NAME: "/app", PATH_INFO: "/echo" },
        body,
      });
      expect(echo.stdout.subarray(echo.stdout.indexOf("\r\n\r\n") + 4)).toEqual(body);
    } finally {
      await gateway.close(1000);
      await removeTempDir(dir);
    }
  });
});

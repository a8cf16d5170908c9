import { once } from "node:events";
import { connect } from "node:net";
import { describe, expect, it } from "vitest";
import { httpProtocol } from "../../src/http/protocol.js";
import type { Application } from "../../src/types.js";
import { listenPort } from "../support/net-wait.js";
import { withServer } from "./serve.js";
import { trickle, WIRES } from "./wire.js";

let written = 0;
let stoppedBy: string | undefined;
const app: Application = (environ, start) => {
  const path = environ.PATH_INFO || environ.REQUEST_URI;
  if (path === "/euro") {
    start("200 OK", [["Content-Disposition", "attachment; filename=€.txt"]]);
    return ["never sent"];
  }
  const write = start("200 OK", [["Content-Type", "application/octet-stream"]]);
  if (path === "/flood") {
    // The legacy write() path in a loop: 200 MB for a client that reads nothing.
    written = 0;
    stoppedBy = undefined;
    try {
      for (; written < 3200; written++) write(Buffer.alloc(64 * 1024, 0x61));
    } catch (error) {
      stoppedBy = (error as { code?: string }).code;
    }
    return [];
  }
  return ["ok"];
};

describe.each(WIRES)("responses over $name", (wire) => {
  it("answers 500 to a header value above U+00FF and keeps serving", async () => {
    await withServer(app, { protocol: wire.protocol() }, async (server, logs) => {
      const { head, body } = wire.request("/euro", "");
      const result = await trickle(wire, server.address, Buffer.concat([head, body]));
      expect(wire.status(result.reply)).toBe(500);
      expect(result.reply.toString("latin1")).not.toContain("never sent");
      // Logged to wsgi.errors: the server log, or FCGI_STDERR to the front server.
      expect(logs.join("") + result.reply.toString("latin1")).toContain("characters above U+00FF");
      const { head: okHead, body: okBody } = wire.request("/ok", "");
      const ok = await trickle(wire, server.address, Buffer.concat([okHead, okBody]));
      expect(wire.status(ok.reply)).toBe(200);
    });
  });
});

describe("HTTP responses", () => {
  it("gives up a write() loop for a client that does not read, instead of buffering it", async () => {
    await withServer(app, { protocol: httpProtocol() }, async (server, logs) => {
      const socket = connect(listenPort(server.address), "127.0.0.1");
      await once(socket, "connect");
      socket.pause();
      socket.write("GET /flood HTTP/1.1\r\nHost: x\r\n\r\n");
      const end = Date.now() + 5000;
      while (stoppedBy === undefined && Date.now() < end) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(stoppedBy).toBe("ERR_CLIENT_GONE");
      // 8 MB past what the sockets took, not 200 MB.
      expect(written * 64 * 1024).toBeLessThan(32 * 1024 * 1024);
      expect(logs.join("")).toContain("for a client that does not read");
      socket.destroy();
      expect(server.limiter.inFlight).toBe(0);
    });
  });

  it("answers 400 to a request with two Host headers (RFC 9112)", async () => {
    await withServer(app, { protocol: httpProtocol() }, async (server) => {
      const wire = WIRES[0]!;
      const request = Buffer.from("GET / HTTP/1.1\r\nHost: a.example\r\nHost: b.example\r\n\r\n");
      const result = await trickle(wire, server.address, request);
      expect(wire.status(result.reply)).toBe(400);
    });
  });
});

import { once } from "node:events";
import { connect } from "node:net";
import { describe, expect, it } from "vitest";
import { RecordType } from "../../src/fastcgi/constants.js";
import { encodeParams } from "../../src/fastcgi/name-value.js";
import { fastcgi } from "../../src/fastcgi/protocol.js";
import { encodeRecord } from "../../src/fastcgi/record-encoder.js";
import type { Application } from "../../src/types.js";
import { FcgiClient } from "../fastcgi/client.js";
import { listenPort } from "../support/net-wait.js";
import { withServer } from "./serve.js";

const app: Application = (_environ, start) => {
  start("200 OK", [["Content-Type", "text/plain"]]);
  return ["ok"];
};

describe("FastCGI floods", () => {
  it("stops reading records whose replies the peer does not read, then answers them all", async () => {
    await withServer(app, { protocol: fastcgi() }, async (server) => {
      const socket = connect(listenPort(server.address), "127.0.0.1");
      await once(socket, "connect");
      // 10 MB of 8-byte records of an unknown type, each asking for a 16-byte UNKNOWN_TYPE.
      const count = 10 * 1024 * 128;
      const flood = Buffer.concat(Array.from({ length: count }, () => encodeRecord(42, 1)));
      socket.pause();
      socket.write(flood);
      await new Promise((resolve) => setTimeout(resolve, 500));
      // The gateway stopped reading: most of the flood still waits on this side, instead of
      // turning into 20 MB of replies buffered in the server.
      expect(socket.writableLength).toBeGreaterThan(flood.length / 2);
      let received = 0;
      socket.on("data", (chunk: Buffer) => (received += chunk.length));
      socket.resume();
      const end = Date.now() + 20_000;
      while (received < count * 16 && Date.now() < end) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(received).toBe(count * 16);
      socket.destroy();
    });
  });

  it("bounds PARAMS left unfinished across many request ids on one connection", async () => {
    await withServer(app, { protocol: fastcgi() }, async (server, logs) => {
      const client = await FcgiClient.connect(server.address);
      const begin = Buffer.from([0, 1, 0, 0, 0, 0, 0, 0]);
      const pairs = encodeParams([["HTTP_X", "x".repeat(60_000)]]);
      // 100 ids, 60 kB each and never the empty PARAMS record: 6 MB if nothing bounded it.
      for (let id = 1; id <= 100 && !client.socket.destroyed; id++) {
        client.write(encodeRecord(RecordType.BeginRequest, id, begin));
        client.write(encodeRecord(RecordType.Params, id, pairs));
      }
      await client.closed.catch(() => {}); // closed with a reset: the rest went unread
      expect(logs.join("")).toMatch(/ERR_FCGI_PARAMS_TOO_LARGE.*all requests on the connection/);
      const next = await FcgiClient.connect(server.address);
      next.write(FcgiClient.requestBytes(1, { PATH_INFO: "/" }));
      expect((await next.result(1)).body.toString()).toBe("ok");
      next.close();
    });
  });
});

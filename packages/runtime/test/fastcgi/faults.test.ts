import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { connect } from "node:net";
import { describe, expect, it } from "vitest";
import { RecordType } from "../../src/fastcgi/constants.js";
import { fastcgi } from "../../src/fastcgi/protocol.js";
import { encodeRecord } from "../../src/fastcgi/record-encoder.js";
import { startServer, type StartOptions } from "../../src/server/start.js";
import type { Application } from "../../src/types.js";
import { listenPort } from "../support/net-wait.js";
import { FcgiClient, fcgiRequest } from "./client.js";

let closes = 0;
const app: Application = (environ, start_response) => {
  if (environ.PATH_INFO === "/hang") return new Promise(() => {});
  start_response("200 OK", [["Content-Type", "text/plain"]]);
  if (environ.PATH_INFO === "/stall") {
    return (async function* () {
      yield "started ";
      await new Promise((resolve) => setTimeout(resolve, 400));
      yield "too late";
    })();
  }
  if (environ.PATH_INFO === "/echo") return [environ["wsgi.input"].read()];
  if (environ.PATH_INFO !== "/endless") return ["ok"];
  return {
    *[Symbol.iterator]() {
      for (;;) yield Buffer.alloc(32 * 1024, 0x61);
    },
    close() {
      closes++;
    },
  } as Iterable<Uint8Array>;
};

async function withServer(
  options: Partial<StartOptions>,
  test: (
    address: string,
    logs: string[],
    server: Awaited<ReturnType<typeof startServer>>,
  ) => Promise<void>,
): Promise<void> {
  const logs: string[] = [];
  const server = await startServer(app, {
    protocol: fastcgi(),
    listen: "127.0.0.1:0",
    log: (text) => logs.push(text),
    ...options,
  });
  try {
    await test(server.address, logs, server);
  } finally {
    await server.close(1000);
  }
}

async function until(test: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!test()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe("FastCGI faults", () => {
  it("survives 1000 garbage connections and keeps serving, leaking nothing", async () => {
    await withServer({}, async (address, logs, server) => {
      const garbage = (i: number): Buffer =>
        i % 3 === 0
          ? randomBytes(1 + (i % 200))
          : i % 3 === 1
            ? Buffer.from("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            : encodeRecord(RecordType.BeginRequest, 1, Buffer.alloc(8)).subarray(0, 8 + (i % 8));
      for (let batch = 0; batch < 20; batch++) {
        await Promise.all(
          Array.from({ length: 50 }, async (_, j) => {
            const socket = connect(listenPort(address), "127.0.0.1");
            socket.on("error", () => {});
            await once(socket, "connect");
            socket.end(garbage(batch * 50 + j));
            await once(socket, "close");
          }),
        );
      }
      expect((await fcgiRequest(address, {})).body.toString()).toBe("ok");
      await until(() => server.connections === 0);
      expect(server.limiter.inFlight).toBe(0);
      expect(logs.some((l) => l.includes("ERR_FCGI_VERSION"))).toBe(true);
    });
  });

  it("calls close() and frees the request when the peer disconnects mid-response", async () => {
    await withServer({}, async (address, _logs, server) => {
      const before = closes;
      for (let i = 0; i < 20; i++) {
        const client = await FcgiClient.connect(address);
        client.write(FcgiClient.requestBytes(1, { PATH_INFO: "/endless" }));
        await client.until((rs) => rs.length > 2);
        client.close();
      }
      await until(() => closes === before + 20);
      await until(() => server.connections === 0 && server.limiter.inFlight === 0);
    });
  });

  it("closes a connection that stays idle, or stalls mid-request, past idleTimeout", async () => {
    await withServer({ idleTimeout: 150 }, async (address) => {
      const idle = await FcgiClient.connect(address);
      const started = Date.now();
      await idle.closed;
      expect(Date.now() - started).toBeGreaterThanOrEqual(100);
      const stalled = await FcgiClient.connect(address);
      const request = FcgiClient.requestBytes(1, { PATH_INFO: "/" });
      stalled.write(request.subarray(0, request.length - 20));
      await stalled.closed;
    });
  });

  it("spills a large request body to a temporary file and hands it over intact", async () => {
    await withServer({ memoryThreshold: 1024, maxBody: 4 * 1024 * 1024 }, async (address) => {
      const body = Buffer.alloc(3 * 1024 * 1024);
      for (let i = 0; i < body.length; i++) body[i] = (i * 31) & 0xff;
      const result = await fcgiRequest(address, { PATH_INFO: "/echo" }, body);
      expect(result.status).toBe(200);
      expect(result.body.equals(body)).toBe(true);
    });
  });

  it("answers 504 when a request runs past requestTimeout, and frees its slot", async () => {
    await withServer(
      { requestTimeout: 150, maxConcurrency: 1, maxQueue: 0 },
      async (address, logs) => {
        const hung = await fcgiRequest(address, { PATH_INFO: "/hang" });
        expect(hung.status).toBe(504);
        expect(logs.join("")).toContain("ran past 150 ms");
        // The hung application still runs, but the one slot is free again.
        expect((await fcgiRequest(address, {})).body.toString()).toBe("ok");
        const stalled = await fcgiRequest(address, { PATH_INFO: "/stall" });
        expect(stalled.status).toBe(200);
        expect(stalled.body.toString()).toBe("started ");
        expect(stalled.appStatus).not.toBe(0);
      },
    );
  });

  it("at maxConnections closes the oldest idle connection for a new one, else the new one", async () => {
    await withServer({ maxConnections: 2 }, async (address, logs) => {
      const idle = await FcgiClient.connect(address);
      const running = await FcgiClient.connect(address);
      running.write(FcgiClient.requestBytes(1, { PATH_INFO: "/hang" }));
      await new Promise((resolve) => setTimeout(resolve, 50));
      // The idle one gives way: stalled or idle peers cannot lock a new one out.
      const fresh = await FcgiClient.connect(address);
      await idle.closed;
      fresh.write(FcgiClient.requestBytes(1, { PATH_INFO: "/hang" }));
      await new Promise((resolve) => setTimeout(resolve, 50));
      // Both run requests now: a third connection is closed at once.
      const extra = await FcgiClient.connect(address);
      await extra.closed;
      expect(running.socket.destroyed).toBe(false);
      expect(logs.join("")).toContain("2 connections, all running requests");
      running.close();
      fresh.close();
    });
  });

  it("refuses peers outside FCGI_WEB_SERVER_ADDRS", async () => {
    const logs: string[] = [];
    const server = await startServer(app, {
      protocol: fastcgi({ allowedPeers: ["10.9.9.9"] }),
      listen: "127.0.0.1:0",
      log: (text) => logs.push(text),
    });
    const client = await FcgiClient.connect(server.address);
    await client.closed;
    expect(logs.join("")).toContain("not in FCGI_WEB_SERVER_ADDRS");
    await server.close(1000);
  });
});

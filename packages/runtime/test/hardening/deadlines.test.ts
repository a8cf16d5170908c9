import { describe, expect, it } from "vitest";
import type { Application, Chunk } from "../../src/types.js";
import { FcgiClient } from "../fastcgi/client.js";
import { withServer } from "./serve.js";
import { trickle, WIRES, type Wire } from "./wire.js";

let closes = 0;
const app: Application = (environ, start) => {
  const path = environ.PATH_INFO || environ.REQUEST_URI;
  // Never answers and returns no body: only the gateway's deadline ends it.
  if (path === "/hang") return new Promise(() => {});
  start("200 OK", [["Content-Type", "text/plain"]]);
  if (path === "/hang-body") {
    // A body whose first chunk never comes; its close() must still be called.
    return {
      [Symbol.asyncIterator]: () => ({ next: () => new Promise<IteratorResult<Chunk>>(() => {}) }),
      close: () => void closes++,
    } as AsyncIterable<Chunk>;
  }
  return [`ok ${environ["wsgi.input"].read().length}`];
};

const ok = (wire: Wire, address: string) => {
  const { head, body } = wire.request("/ok", "hello");
  return trickle(wire, address, Buffer.concat([head, body]));
};

describe.each(WIRES)("deadlines over $name", (wire) => {
  it("ends a header trickled one byte at a time at the header deadline, not later", async () => {
    await withServer(
      app,
      { protocol: wire.protocol(), headerTimeout: 300 },
      async (server, logs) => {
        const { head } = wire.request("/ok", "hello");
        // FastCGI: BEGIN_REQUEST whole, then its PARAMS a byte at a time.
        const whole = wire.name === "fastcgi" ? head.subarray(0, 16) : Buffer.alloc(0);
        const trickled = head.subarray(whole.length);
        // Sent whole, the trickle would take far longer than the deadline.
        expect(trickled.length * 40).toBeGreaterThan(2000);
        const result = await trickle(wire, server.address, whole, trickled);
        expect(result.answeredAt).toBeGreaterThanOrEqual(250);
        expect(result.answeredAt).toBeLessThan(1500);
        if (wire.answersLateHeader) expect(wire.status(result.reply)).toBe(408);
        else expect(result.reply.length).toBe(0);
        expect(logs.join("")).toMatch(/header did not arrive within 300 ms/);
        expect(wire.status((await ok(wire, server.address)).reply)).toBe(200);
      },
    );
  });

  it("serves a new client at once while trickling clients hold every connection", async () => {
    await withServer(app, { protocol: wire.protocol(), maxConnections: 5 }, async (server) => {
      const { head } = wire.request("/ok", "hello");
      let stop!: () => void;
      const hold = new Promise<void>((resolve) => (stop = resolve));
      const slow = Array.from({ length: 5 }, () =>
        trickle(wire, server.address, Buffer.alloc(0), head, { gapMs: 100, hold }),
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(server.connections).toBe(5);
      const started = Date.now();
      expect(wire.status((await ok(wire, server.address)).reply)).toBe(200);
      // Long before any header deadline: the oldest stalled connection gave way.
      expect(Date.now() - started).toBeLessThan(1000);
      stop();
      await Promise.all(slow);
    });
  });

  it("answers 408 to a body trickled one byte at a time at the body deadline", async () => {
    await withServer(
      app,
      { protocol: wire.protocol(), bodyTimeout: 300, maxConcurrency: 1 },
      async (server) => {
        const { head, body } = wire.request("/ok", "b".repeat(60));
        const result = await trickle(wire, server.address, head, body);
        expect(wire.status(result.reply)).toBe(408);
        expect(result.answeredAt).toBeGreaterThanOrEqual(250);
        expect(result.answeredAt).toBeLessThan(1500);
        expect(server.limiter.inFlight).toBe(0);
      },
    );
  });

  it("serves others while a slow upload is still arriving: the body comes before the slot", async () => {
    await withServer(
      app,
      { protocol: wire.protocol(), maxConcurrency: 1, maxQueue: 0 },
      async (server) => {
        const { head, body } = wire.request("/ok", "b".repeat(60));
        let stop!: () => void;
        const slow = trickle(wire, server.address, head, body, {
          gapMs: 100,
          hold: new Promise<void>((resolve) => (stop = resolve)),
        });
        await new Promise((resolve) => setTimeout(resolve, 150));
        const other = await ok(wire, server.address);
        expect(wire.status(other.reply)).toBe(200);
        stop();
        await slow;
      },
    );
  });

  it("answers 504 past --timeout, frees the slot and calls close()", async () => {
    await withServer(
      app,
      { protocol: wire.protocol(), requestTimeout: 300, maxConcurrency: 1, maxQueue: 0 },
      async (server, logs) => {
        for (const path of ["/hang", "/hang-body"]) {
          const before = closes;
          const { head, body } = wire.request(path, "");
          const result = await trickle(wire, server.address, Buffer.concat([head, body]));
          expect(wire.status(result.reply)).toBe(504);
          expect(result.answeredAt).toBeGreaterThanOrEqual(250);
          expect(result.answeredAt).toBeLessThan(1500);
          if (path === "/hang-body") expect(closes).toBe(before + 1);
          expect(wire.status((await ok(wire, server.address)).reply)).toBe(200);
        }
        expect(logs.join("")).toContain("ran past 300 ms");
      },
    );
  });

  it("frees the slot as soon as the client gives up on a hung application", async () => {
    const timeout = 1500;
    await withServer(
      app,
      { protocol: wire.protocol(), maxConcurrency: 1, maxQueue: 0, requestTimeout: timeout },
      async (server) => {
        const { head, body } = wire.request("/hang", "");
        await trickle(wire, server.address, Buffer.concat([head, body]), undefined, {
          hold: new Promise((resolve) => setTimeout(resolve, 200)),
        });
        const gaveUp = Date.now();
        while (server.limiter.inFlight > 0 && Date.now() - gaveUp < 5000) {
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        expect(server.limiter.inFlight).toBe(0);
        const freedAfter = Date.now() - gaveUp;
        if (wire.seesGiveUp) expect(freedAfter).toBeLessThan(timeout / 2);
        else expect(freedAfter).toBeGreaterThan(timeout / 2);
        expect(wire.status((await ok(wire, server.address)).reply)).toBe(200);
      },
    );
  });
});

describe("FastCGI deadlines", () => {
  const wire = WIRES.find((w) => w.name === "fastcgi")!;

  it("closes a connection whose first record trickles in past the header deadline", async () => {
    await withServer(
      app,
      { protocol: wire.protocol(), headerTimeout: 300 },
      async (server, logs) => {
        const { head } = wire.request("/ok", "");
        const result = await trickle(wire, server.address, Buffer.alloc(0), head);
        expect(result.reply.length).toBe(0);
        expect(result.closedAt).toBeGreaterThanOrEqual(250);
        expect(result.closedAt).toBeLessThan(1500);
        expect(logs.join("")).toContain("a record did not arrive within 300 ms");
      },
    );
  });

  it("frees the slot of a hung application on FCGI_ABORT_REQUEST, keeping the connection", async () => {
    await withServer(
      app,
      { protocol: wire.protocol(), maxConcurrency: 1, maxQueue: 0 },
      async (server) => {
        const client = await FcgiClient.connect(server.address);
        client.write(
          FcgiClient.requestBytes(1, { PATH_INFO: "/hang" }, undefined, { keepConn: true }),
        );
        await new Promise((resolve) => setTimeout(resolve, 100));
        expect(server.limiter.inFlight).toBe(1);
        client.write(Buffer.from([1, 2, 0, 1, 0, 0, 0, 0])); // FCGI_ABORT_REQUEST, id 1
        const aborted = await client.result(1);
        expect(aborted.appStatus).not.toBe(0);
        expect(server.limiter.inFlight).toBe(0);
        client.write(FcgiClient.requestBytes(2, { PATH_INFO: "/ok" }));
        expect((await client.result(2)).body.toString()).toBe("ok 0");
        client.close();
      },
    );
  });
});

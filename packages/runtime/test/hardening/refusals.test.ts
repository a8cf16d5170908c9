import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { errorPage } from "../../src/core/error-page.js";
import { httpProtocol } from "../../src/http/protocol.js";
import type { RunningServer, StartOptions } from "../../src/server/start.js";
import type { Application } from "../../src/types.js";
import { listenPort } from "../support/net-wait.js";
import { get } from "./process.js";
import { until, withServer } from "./serve.js";
import { trickle, WIRES, type Wire } from "./wire.js";

// The answers the gateway gives itself (408, 413, 503, 400) reach the access log and the
// status totals as the application's do.

let release: (() => void) | undefined;
const app: Application = async (environ, start) => {
  const path = environ.PATH_INFO || environ.REQUEST_URI;
  if (path === "/gate") await new Promise<void>((resolve) => (release = resolve));
  start("200 OK", [["Content-Type", "text/plain"]]);
  return ["ok"];
};

let dir: string;
let log: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "cgi2wsgi-refusals-"));
  log = join(dir, "access.jsonl");
});
afterEach(() => {
  release?.();
  release = undefined;
  rmSync(dir, { recursive: true, force: true });
});

/** The access log's entries so far. */
const entries = (file = log): Array<Record<string, unknown>> =>
  existsSync(file)
    ? readFileSync(file, "utf8")
        .split("\n")
        .filter(Boolean)
        .map((line) => JSON.parse(line))
    : [];

/** Serves `app` over `wire` with a JSON access log and a status path. */
function serving(
  wire: Wire,
  options: Partial<StartOptions>,
  test: (server: RunningServer, logs: string[]) => Promise<void>,
): Promise<void> {
  return withServer(
    app,
    {
      protocol: wire.protocol(),
      accessLog: log,
      accessLogFormat: "json",
      statusPath: "/status",
      ...options,
    },
    test,
  );
}

const fourXX = (server: RunningServer) => server.stats!.snapshot().byClass[3];
const pageBytes = (status: string) => errorPage(status).body.length;

// AJP13 cannot answer a FORWARD_REQUEST still arriving: it closes the connection, unlogged.
describe.each(WIRES.filter((wire) => wire.answersLateHeader))("late headers over $name", (wire) => {
  it("a header trickled past the deadline: 408 in the access log and the status totals", async () => {
    await serving(wire, { headerTimeout: 300 }, async (server) => {
      const { head } = wire.request("/ok", "hello");
      // FastCGI: BEGIN_REQUEST whole, then its PARAMS a byte at a time.
      const whole = wire.name === "fastcgi" ? head.subarray(0, 16) : Buffer.alloc(0);
      const result = await trickle(wire, server.address, whole, head.subarray(whole.length));
      expect(wire.status(result.reply)).toBe(408);
      await until(() => entries().length === 1);
      const [entry] = entries();
      expect(entry).toMatchObject({ status: 408, bytes: pageBytes("408 Request Timeout") });
      expect(entry!.duration_ms).toBeGreaterThanOrEqual(250);
      expect(entry!.duration_ms).toBeLessThan(5000);
      expect(fourXX(server)).toBe(1);
      expect(server.stats!.snapshot().latency.reduce((a, b) => a + b)).toBe(1);
    });
  });
});

describe.each(WIRES)("the gateway's own answers over $name", (wire) => {
  it("a body trickled past the deadline: 408 with the request's method and path", async () => {
    await serving(wire, { bodyTimeout: 300 }, async (server) => {
      const { head, body } = wire.request("/ok", "b".repeat(60));
      const result = await trickle(wire, server.address, head, body);
      expect(wire.status(result.reply)).toBe(408);
      await until(() => entries().length === 1);
      const [entry] = entries();
      expect(entry).toMatchObject({ status: 408, method: "POST", uri: "/ok" });
      expect(entry!.duration_ms).toBeGreaterThanOrEqual(250);
      expect(fourXX(server)).toBe(1);
    });
  });

  it("a body over --max-body: 413, the application not called", async () => {
    await serving(wire, { maxBody: 10 }, async (server) => {
      const { head, body } = wire.request("/ok", "b".repeat(60));
      const result = await trickle(wire, server.address, Buffer.concat([head, body]));
      expect(wire.status(result.reply)).toBe(413);
      await until(() => entries().length === 1);
      expect(entries()[0]).toMatchObject({
        status: 413,
        method: "POST",
        bytes: pageBytes("413 Content Too Large"),
      });
      expect(fourXX(server)).toBe(1);
    });
  });

  it("a request that finds the slot and the queue full: 503, beside the one served", async () => {
    await serving(wire, { maxConcurrency: 1, maxQueue: 0 }, async (server) => {
      const { head, body } = wire.request("/gate", "");
      const held = trickle(wire, server.address, Buffer.concat([head, body]));
      await until(() => release !== undefined);
      const other = wire.request("/ok", "");
      const refused = await trickle(wire, server.address, Buffer.concat([other.head, other.body]));
      expect(wire.status(refused.reply)).toBe(503);
      release!();
      expect(wire.status((await held).reply)).toBe(200);
      await until(() => entries().length === 2);
      expect(entries().map((entry) => entry.status)).toEqual([503, 200]);
      expect(entries()[0]).toMatchObject({
        method: "POST",
        bytes: pageBytes("503 Service Unavailable"),
      });
      expect(server.stats!.snapshot().byClass).toEqual([0, 1, 0, 0, 1]);
    });
  });
});

describe("the HTTP gateway's own answers", () => {
  it("shows a slow client's 408 in the combined log and on the status page", async () => {
    const combined = join(dir, "access.log");
    const wire = WIRES.find((w) => w.name === "http")!;
    await withServer(
      app,
      { protocol: httpProtocol(), headerTimeout: 300, accessLog: combined, statusPath: "/status" },
      async (server) => {
        const { head } = wire.request("/ok", "");
        const result = await trickle(wire, server.address, Buffer.alloc(0), head);
        expect(wire.status(result.reply)).toBe(408);
        await until(() => existsSync(combined) && readFileSync(combined, "utf8").includes("\n"));
        // No request line arrived whole: logged as nginx logs it.
        expect(readFileSync(combined, "utf8")).toMatch(
          /^127\.0\.0\.1 - - \[[^\]]+\] "-" 408 16 "-" "-"\n$/,
        );
        const status = JSON.parse((await get(listenPort(server.address), "/status")).body);
        expect(status.requests).toMatchObject({ "2xx": 0, "4xx": 1 });
      },
    );
  });

  it("logs a malformed request's 400 and a header too large's 431, and keeps serving", async () => {
    await serving(WIRES[0]!, {}, async (server) => {
      const wire = WIRES[0]!;
      const bad = await trickle(wire, server.address, Buffer.from("NOT-A-METHOD\r\n\r\n"));
      expect(wire.status(bad.reply)).toBe(400);
      const huge = `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`;
      const big = await trickle(wire, server.address, Buffer.from(huge));
      expect(wire.status(big.reply)).toBe(431);
      expect((await get(listenPort(server.address), "/ok")).status).toBe(200);
      await until(() => entries().length === 3);
      expect(entries().map((entry) => entry.status)).toEqual([400, 431, 200]);
      expect(entries()[0]).toMatchObject({
        remote_addr: "127.0.0.1",
        bytes: pageBytes("400 Bad Request"),
      });
      expect(entries()[0]).not.toHaveProperty("method");
      expect(fourXX(server)).toBe(2);
    });
  });

  it("logs a duplicate Host's 400 and a path outside the mount's 404 with their request lines", async () => {
    await serving(
      { ...WIRES[0]!, protocol: () => httpProtocol({ mount: "/app" }) },
      {},
      async (server) => {
        const wire = WIRES[0]!;
        const twice = "GET /app/x HTTP/1.1\r\nHost: a\r\nHost: b\r\nConnection: close\r\n\r\n";
        expect(wire.status((await trickle(wire, server.address, Buffer.from(twice))).reply)).toBe(
          400,
        );
        const outside = await get(listenPort(server.address), "/elsewhere?q=1");
        expect(outside.status).toBe(404);
        await until(() => entries().length === 2);
        expect(entries()).toEqual([
          expect.objectContaining({ status: 400, method: "GET", uri: "/app/x" }),
          expect.objectContaining({ status: 404, method: "GET", uri: "/elsewhere?q=1" }),
        ]);
        expect(fourXX(server)).toBe(2);
      },
    );
  });
});

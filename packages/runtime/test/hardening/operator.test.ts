import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { fastcgi } from "../../src/fastcgi/protocol.js";
import { httpProtocol } from "../../src/http/protocol.js";
import type { Application } from "../../src/types.js";
import { fcgiRequest } from "../fastcgi/client.js";
import { listenPort } from "../support/net-wait.js";
import { get, pidOf, startServed, type ServedProcess } from "./process.js";
import { until, withServer } from "./serve.js";

let release: (() => void) | undefined;
const app: Application = async (environ, start) => {
  if (environ.PATH_INFO === "/gate") await new Promise<void>((resolve) => (release = resolve));
  if (environ.PATH_INFO === "/slow") await new Promise((resolve) => setTimeout(resolve, 120));
  if (environ.PATH_INFO === "/missing") {
    start("404 Not Found", [["Content-Type", "text/plain"]]);
    return ["no"];
  }
  start("200 OK", [["Content-Type", "text/plain"]]);
  return ["hello"];
};

/** The access log so far; the file appears once its stream has opened it. */
const lines = (file: string): string => (existsSync(file) ? readFileSync(file, "utf8") : "");

let dir: string | undefined;
let served: ServedProcess | undefined;
afterEach(async () => {
  await served?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = served = undefined;
});

describe("access log", () => {
  it("writes the combined format and JSON lines, one per finished request", async () => {
    dir = mkdtempSync(join(tmpdir(), "cgi2wsgi-access-"));
    const combined = join(dir, "access.log");
    const json = join(dir, "access.jsonl");
    await withServer(app, { protocol: httpProtocol(), accessLog: combined }, async (server) => {
      const port = listenPort(server.address);
      expect((await get(port, "/missing?q=1")).status).toBe(404);
      await until(() => lines(combined).includes("\n"));
      expect(readFileSync(combined, "utf8")).toMatch(
        /^127\.0\.0\.1 - - \[\d\d\/\w{3}\/\d{4}:\d\d:\d\d:\d\d [+-]\d{4}\] "GET \/missing\?q=1 HTTP\/1\.1" 404 2 "-" "-"\n$/,
      );
    });
    await withServer(
      app,
      { protocol: httpProtocol(), accessLog: json, accessLogFormat: "json" },
      async (server) => {
        await get(listenPort(server.address), "/");
        await until(() => lines(json).includes("\n"));
        const entry = JSON.parse(readFileSync(json, "utf8"));
        expect(entry).toMatchObject({
          method: "GET",
          uri: "/",
          status: 200,
          bytes: 5,
          protocol: "HTTP/1.1",
        });
        expect(entry.duration_ms).toBeGreaterThanOrEqual(0);
      },
    );
  });

  it("logs requests slower than --slow-request, and only those", async () => {
    await withServer(
      app,
      { protocol: httpProtocol(), slowRequestTime: 100 },
      async (server, logs) => {
        const port = listenPort(server.address);
        await get(port, "/");
        await get(port, "/slow");
        const slow = logs.filter((line) => line.includes("slow request"));
        expect(slow).toHaveLength(1);
        expect(slow[0]).toMatch(/GET \/slow took \d+ ms \(status 200/);
      },
    );
  });
});

describe("status and ping", () => {
  it("shows in-flight requests, totals by class and latency, as JSON and Prometheus text", async () => {
    await withServer(
      app,
      { protocol: httpProtocol(), statusPath: "/status", pingPath: "/ping", requestTimeout: 200 },
      async (server) => {
        const port = listenPort(server.address);
        expect(await get(port, "/ping")).toEqual({ status: 200, body: "pong\n" });
        await get(port, "/");
        await get(port, "/missing");
        const gated = get(port, "/gate");
        await until(() => release !== undefined);
        const status = JSON.parse((await get(port, "/status")).body);
        expect(status).toMatchObject({
          workers: 1,
          in_flight: 2, // the gated request and the status request itself
          requests: { "2xx": 2, "4xx": 1, "5xx": 0 },
        });
        expect(status.latency_ms.p50).toBeGreaterThan(0);
        // Shadow counters appear only when shadowing.
        expect(status).not.toHaveProperty("shadow");
        release!();
        await gated;
        const text = (await get(port, "/status?prometheus")).body;
        expect(text).toContain("# TYPE cgi2wsgi_requests_total counter");
        expect(text).toMatch(/^cgi2wsgi_requests_total\{class="2xx"\} 4$/m);
        expect(text).toMatch(/^cgi2wsgi_request_duration_seconds_bucket\{le="\+Inf"\} 5$/m);
        expect(text).toMatch(/^cgi2wsgi_requests_in_flight 1$/m);
        expect(text).not.toContain("shadow");
      },
    );
  });

  it("answers on FastCGI from REQUEST_URI, as nginx sends it", async () => {
    await withServer(app, { protocol: fastcgi(), statusPath: "/fpm-status" }, async (server) => {
      const reply = await fcgiRequest(server.address, { REQUEST_URI: "/fpm-status?json" });
      expect(JSON.parse(reply.body.toString())).toMatchObject({ workers: 1 });
    });
  });

  it("sums every prefork worker's figures, whichever worker answers", async () => {
    served = await startServed({ TEST_WORKERS: "2", TEST_STATUS: "/status" });
    const pids = new Set<number>();
    for (let i = 0; i < 40 || pids.size < 2; i++)
      pids.add(pidOf((await get(served.port, "/")).body));
    // The others' figures come with their heartbeats, once a second.
    await new Promise((resolve) => setTimeout(resolve, 1200));
    const status = JSON.parse((await get(served.port, "/status")).body);
    expect(status.workers).toBe(2);
    expect(status.processes.map((p: { pid: number }) => p.pid).sort()).toEqual([...pids].sort());
    // Every request so far, the start-up probes included, whichever worker served it.
    expect(status.requests["2xx"]).toBeGreaterThanOrEqual(40);
  });
});

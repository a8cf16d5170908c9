import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { fastcgi } from "../../src/fastcgi/protocol.js";
import { httpProtocol } from "../../src/http/protocol.js";
import { startServer } from "../../src/server/start.js";
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

  it("lets go of SIGUSR1 as each server closes, while SIGUSR1 still reopens a live one's log", async () => {
    dir = mkdtempSync(join(tmpdir(), "cgi2wsgi-access-"));
    const warnings: string[] = [];
    const onWarning = (warning: Error): void => void warnings.push(warning.name);
    process.on("warning", onWarning);
    const before = process.listenerCount("SIGUSR1");
    const live = join(dir, "live.log");
    try {
      await withServer(app, { protocol: httpProtocol(), accessLog: live }, async (server) => {
        const port = listenPort(server.address);
        // More servers than node's default of 10 listeners, one after another and 12 at once.
        for (let i = 0; i < 15; i++) {
          await withServer(
            app,
            { protocol: httpProtocol(), accessLog: join(dir!, `one-${i}.log`) },
            async (other) => void (await get(listenPort(other.address), "/")),
          );
        }
        const many = await Promise.all(
          Array.from({ length: 12 }, (_, i) =>
            startServer(app, {
              protocol: httpProtocol(),
              listen: "127.0.0.1:0",
              accessLog: join(dir!, `many-${i}.log`),
            }),
          ),
        );
        expect(process.listenerCount("SIGUSR1")).toBe(before + 1);
        await Promise.all(many.map((other) => other.close(500)));
        expect(process.listenerCount("SIGUSR1")).toBe(before + 1);
        expect(readFileSync(join(dir!, "one-14.log"), "utf8")).toContain('"GET / HTTP/1.1" 200');

        // logrotate: move the live log away, SIGUSR1, and the next line goes to a new file.
        await get(port, "/before");
        await until(() => lines(live).includes("/before"));
        renameSync(live, `${live}.1`);
        process.kill(process.pid, "SIGUSR1");
        await until(() => existsSync(live));
        await get(port, "/after");
        await until(() => lines(live).includes("/after"));
        expect(readFileSync(`${live}.1`, "utf8")).toContain("/before");
        expect(readFileSync(`${live}.1`, "utf8")).not.toContain("/after");
        expect(readFileSync(live, "utf8")).not.toContain("/before");
      });
      expect(process.listenerCount("SIGUSR1")).toBe(before);
      expect(warnings).not.toContain("MaxListenersExceededWarning");
    } finally {
      process.off("warning", onWarning);
    }
  });

  it("reopens every prefork worker's log when the primary gets SIGUSR1", async () => {
    dir = mkdtempSync(join(tmpdir(), "cgi2wsgi-access-"));
    const file = join(dir, "access.log");
    served = await startServed({ TEST_WORKERS: "2", TEST_ACCESS_LOG: file });
    const seen = async (path: string): Promise<Set<number>> => {
      const pids = new Set<number>();
      for (let i = 0; i < 200 && pids.size < 2; i++)
        pids.add(pidOf((await get(served!.port, path)).body));
      return pids;
    };
    expect((await seen("/before")).size).toBe(2);
    renameSync(file, `${file}.1`);
    process.kill(served.child.pid!, "SIGUSR1");
    await until(() => existsSync(file), 10_000);
    // Both workers answer again; each line must land in the new file, none in the old one.
    const old = readFileSync(`${file}.1`, "utf8");
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await seen("/after")).size).toBe(2);
    await until(
      () =>
        lines(file)
          .split("\n")
          .filter((l) => l.includes("/after")).length >= 2,
    );
    expect(readFileSync(`${file}.1`, "utf8")).toBe(old);
    expect(old).not.toContain("/after");
    expect(served.log()).not.toContain("Debugger listening");
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

import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startApache } from "../support/apache.js";
import type { FrontServer } from "../support/front-server.js";
import { freePort } from "../support/net-wait.js";
import { startNginx } from "../support/nginx.js";
import { get, pidOf } from "./process.js";
import { until } from "./serve.js";

// A prefork worker whose event loop sticks (issue #13): its watchdog thread answers 504 to
// every request in flight whose response has not begun, then the worker dies and another
// takes its place. One worker (the --reload primary), so every request meets the stuck one.

const entry = join(import.meta.dirname, "fixtures", "serve-entry.ts");
const PAGE = "Gateway Timeout\n";

interface Pool {
  child: ChildProcess;
  port: number;
  log(): string;
}

let pool: Pool | undefined;
let front: FrontServer | undefined;
let dir: string | undefined;
afterEach(async () => {
  await front?.close();
  if (pool && pool.child.exitCode === null && pool.child.signalCode === null) {
    pool.child.kill("SIGKILL");
    await once(pool.child, "exit");
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
  pool = front = dir = undefined;
});

/** The fixture under a prefork primary with one worker and a 1 s watchdog. */
async function startPool(protocol: string): Promise<Pool> {
  dir = mkdtempSync(join(tmpdir(), "cgi2wsgi-stuck-"));
  const port = await freePort();
  let stderr = "";
  const child = spawn(process.execPath, ["--conditions=source", "--import", "tsx", entry], {
    env: {
      ...process.env,
      TEST_LISTEN: `127.0.0.1:${port}`,
      TEST_PROTOCOL: protocol,
      TEST_WORKERS: "1",
      TEST_RELOAD: dir,
      TEST_WATCHDOG: "1000",
      TEST_STATUS: "/status",
    },
    stdio: ["ignore", "inherit", "pipe"],
  });
  child.stderr!.on("data", (chunk) => (stderr += chunk));
  const started = { child, port, log: () => stderr };
  await until(
    () => / on 127\.0\.0\.1:\d+, 1 workers/.test(stderr),
    20_000,
    () => stderr,
  );
  return started;
}

/** Waits until the worker runs `n` requests (the /status request itself included). */
async function inFlight(base: string, n: number): Promise<void> {
  await until(async () => {
    const status = await fetch(`${base}/status`, { signal: AbortSignal.timeout(5000) });
    return ((await status.json()) as { in_flight: number }).in_flight >= n;
  }, 15_000);
}

/**
 * Everything a raw HTTP/1.1 exchange brings back until the server closes. The request is
 * written, not ended: a client that half-closes counts as gone, its request abandoned.
 */
async function exchange(port: number, method: string, path: string): Promise<string> {
  const socket = connect(port, "127.0.0.1");
  socket.write(`${method} ${path} HTTP/1.1\r\nHost: x\r\n\r\n`);
  let text = "";
  socket.on("data", (chunk: Buffer) => (text += chunk.toString("latin1")));
  socket.on("error", () => {});
  await once(socket, "close");
  return text;
}

/** A GET through a front server: the status and body, or the error if none came. */
async function fetchText(url: string): Promise<{ status: number; body: string }> {
  const reply = await fetch(url, { signal: AbortSignal.timeout(20_000) });
  return { status: reply.status, body: await reply.text() };
}

describe("a prefork worker stuck in a synchronous loop", () => {
  it("answers 504 to each of its requests in flight (HEAD without a body), then is replaced", async () => {
    pool = await startPool("http");
    const before = pidOf((await get(pool.port, "/")).body);
    const held = [
      exchange(pool.port, "GET", "/hold"),
      exchange(pool.port, "GET", "/hold"),
      exchange(pool.port, "HEAD", "/hold"),
    ];
    await inFlight(`http://127.0.0.1:${pool.port}`, 4);
    const stuck = exchange(pool.port, "GET", "/spin");
    const answers = await Promise.all([...held, stuck]);
    const full = `HTTP/1.1 504 Gateway Timeout\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${PAGE.length}\r\nConnection: close\r\n\r\n`;
    expect(answers[0]).toBe(full + PAGE);
    expect(answers[1]).toBe(full + PAGE);
    expect(answers[2]).toBe(full);
    expect(answers[3]).toBe(full + PAGE);
    const told = new RegExp(
      `pid ${before}: the event loop did not answer for \\d+ ms .*answered 4 request\\(s\\) in flight 504`,
    );
    await until(() => told.test(pool!.log()), 5000);
    await until(() => /exited \(signal SIGKILL\); starting another/.test(pool!.log()), 15_000);
    let after = 0;
    await until(
      async () =>
        (after = pidOf((await get(pool!.port, "/").catch(() => ({ body: "" }))).body)) > 0,
      15_000,
    );
    expect(after).not.toBe(before);
  });

  it("cuts a response whose head is already out, and still answers the others 504", async () => {
    pool = await startPool("http");
    await get(pool.port, "/");
    const held = exchange(pool.port, "GET", "/hold");
    await inFlight(`http://127.0.0.1:${pool.port}`, 2);
    const streamed = await exchange(pool.port, "GET", "/stream-spin");
    // 200 and the first chunk, then the connection ends without the last chunk: cut, as a
    // front server shows a response cut short, never a 504 inside a 200.
    expect(streamed).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(streamed).toContain("partial\n");
    expect(streamed).not.toContain("504");
    expect(streamed).not.toMatch(/\r\n0\r\n\r\n$/);
    expect(await held).toMatch(
      /^HTTP\/1\.1 504 Gateway Timeout\r\n[\s\S]*\r\n\r\nGateway Timeout\n$/,
    );
    await until(() => pool!.log().includes("answered 1 request(s) in flight 504"), 5000);
  });

  it("reaches the client as the worker's 504 through nginx over FastCGI (keep-conn), not a 502", async () => {
    pool = await startPool("fastcgi");
    front = await startNginx({
      upstream: {
        kind: "fastcgi",
        backend: { host: "127.0.0.1", port: pool.port },
        keepConn: true,
      },
    });
    // A first request leaves nginx a kept connection, which the stuck request then reuses.
    expect((await fetchText(`${front.baseUrl}/`)).status).toBe(200);
    const held = fetchText(`${front.baseUrl}/hold`);
    await inFlight(front.baseUrl, 2);
    expect(await fetchText(`${front.baseUrl}/spin`)).toEqual({ status: 504, body: PAGE });
    expect(await held).toEqual({ status: 504, body: PAGE });
    await until(() => pool!.log().includes("answered 2 request(s) in flight 504"), 5000);
    expect(await front.logs()).not.toMatch(/upstream prematurely closed/);
  });

  it("reaches the client as the worker's 504 through nginx over SCGI", async () => {
    pool = await startPool("scgi");
    front = await startNginx({
      upstream: { kind: "scgi", backend: { host: "127.0.0.1", port: pool.port } },
    });
    expect((await fetchText(`${front.baseUrl}/`)).status).toBe(200);
    expect(await fetchText(`${front.baseUrl}/spin`)).toEqual({ status: 504, body: PAGE });
    await until(() => pool!.log().includes("answered 1 request(s) in flight 504"), 5000);
  });

  it("reaches the client as the worker's 504 through Apache over AJP13", async () => {
    pool = await startPool("ajp13");
    front = await startApache({
      mode: { kind: "ajp", backend: { host: "127.0.0.1", port: pool.port } },
    });
    expect((await fetchText(`${front.baseUrl}/`)).status).toBe(200);
    expect(await fetchText(`${front.baseUrl}/spin`)).toEqual({ status: 504, body: PAGE });
    await until(() => pool!.log().includes("answered 1 request(s) in flight 504"), 5000);
  });
});

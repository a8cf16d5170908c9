import { readFile } from "node:fs/promises";
import { request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cgiHost } from "../../src/cgi-host/host.js";
import { createHttpServer } from "../../src/http/server.js";
import { removeTempDir, startNginx, type FrontServer } from "../support/index.js";
import { makeHostFixture, type HostFixture } from "./scripts.js";

// nginx (proxy_pass, unbuffered) in front of our HTTP server hosting the legacy scripts at
// /cgi-bin, the way a site moves off fcgiwrap without touching its front server.
let fixture: HostFixture;
let server: Server;
let nginx: FrontServer;
let log = "";

beforeAll(async () => {
  fixture = await makeHostFixture();
  const app = cgiHost(fixture.dir, { timeout: 800, env: { PIDFILE_DIR: fixture.pids } });
  server = createHttpServer(app, { mount: "/cgi-bin", log: (text) => void (log += text) });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  nginx = await startNginx({
    upstream: { kind: "http", backend: { host: "127.0.0.1", port } },
    mount: "/cgi-bin",
  });
});
afterAll(async () => {
  await nginx?.close();
  await new Promise((resolve) => server?.close(resolve));
  if (fixture) await removeTempDir(dirname(fixture.dir));
});

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A request with the path sent exactly as written (fetch would resolve `..` itself). */
function send(path: string, init: { method?: string; body?: Buffer } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${nginx.baseUrl}${path}`, { method: init.method ?? "GET" }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () =>
        resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(init.body);
  });
}

async function waitUntilGone(pid: number): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return true;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return false;
}

describe("cgiHost behind nginx", () => {
  it("serves shell, Perl and Node scripts with the path split below the mount", async () => {
    const env = await send("/cgi-bin/env.sh/a%20b?x=1");
    expect(env.status).toBe(200);
    expect(env.body.toString()).toContain("SCRIPT_NAME=/cgi-bin/env.sh\n");
    expect(env.body.toString()).toContain("PATH_INFO=/a b\n");
    expect(env.body.toString()).toContain("QUERY_STRING=x=1\n");
    const status = await send("/cgi-bin/status.sh");
    expect([status.status, status.headers["set-cookie"]]).toEqual([404, ["a=1", "b=2"]]);
    const form = await send("/cgi-bin/form.cjs", { method: "POST", body: Buffer.from("name=Lin") });
    expect(form.body.toString()).toBe("hello Lin via POST\n");
  });

  it("passes an upload to the script and binary output back byte for byte", async () => {
    const upload = Buffer.alloc(1024 * 1024 + 3);
    for (let i = 0; i < upload.length; i++) upload[i] = (i * 7) & 0xff;
    const echo = await send("/cgi-bin/echo.pl", { method: "POST", body: upload });
    expect([echo.status, echo.headers["x-length"]]).toEqual([201, String(upload.length)]);
    expect(echo.body.equals(upload)).toBe(true);
    const bin = await send("/cgi-bin/binary.js");
    expect(bin.body.every((b, i) => b === i % 256) && bin.body.length === 256 * 64).toBe(true);
  });

  it("streams output as the script writes it", async () => {
    const first = await new Promise<string>((resolve, reject) => {
      const req = httpRequest(`${nginx.baseUrl}/cgi-bin/slow.sh`, (res) => {
        res.once("data", (chunk: Buffer) => {
          resolve(chunk.toString());
          res.resume();
        });
      });
      req.on("error", reject);
      req.end();
    });
    expect(first).toBe("first\n");
  });

  it("answers 502 for a crash and 504 for a hung script, which is reaped", async () => {
    const crash = await send("/cgi-bin/crash.js");
    expect(crash.status).toBe(502);
    expect(crash.body.toString()).not.toContain("crash-marker");
    expect(log).toContain("crash-marker: database is down");
    const hang = await send("/cgi-bin/hang.sh");
    expect(hang.status).toBe(504);
    const pid = Number(await readFile(`${fixture.pids}/hang.pid`, "utf8"));
    expect(await waitUntilGone(pid)).toBe(true);
  });

  it("kills the script when the client goes away", async () => {
    await new Promise<void>((resolve, reject) => {
      const req = httpRequest(`${nginx.baseUrl}/cgi-bin/forever.sh`, (res) => {
        res.once("data", () => {
          req.destroy();
          resolve();
        });
      });
      req.on("error", () => {});
      req.on("close", resolve);
      setTimeout(() => reject(new Error("no output from forever.sh")), 3000);
      req.end();
    });
    const pid = Number(await readFile(`${fixture.pids}/forever.pid`, "utf8"));
    expect(await waitUntilGone(pid)).toBe(true);
  });

  it("never runs anything outside the directory, however the path is spelled", async () => {
    for (const path of [
      "/cgi-bin/../outside/secret.sh",
      "/cgi-bin/%2e%2e/outside/secret.sh",
      "/cgi-bin/sub/%2e%2e/%2e%2e/outside/secret.sh",
      "/cgi-bin/sub/..%2f..%2foutside/secret.sh",
      "/cgi-bin/escape.sh",
      "/cgi-bin/escape-dir/secret.sh",
      "/cgi-bin/.hidden.sh",
    ]) {
      const res = await send(path);
      expect([path, res.status >= 400]).toEqual([path, true]);
      expect(res.body.toString()).not.toContain("secret-outside");
    }
    // nginx merges dot segments before proxying, so what arrives names a script inside.
    const merged = await send("/cgi-bin/sub/%2E%2E/env.sh");
    expect(merged.body.toString()).toContain("SCRIPT_NAME=/cgi-bin/env.sh\n");
    expect(merged.body.toString()).toContain("REQUEST_URI=/cgi-bin/env.sh\n");
  });
});

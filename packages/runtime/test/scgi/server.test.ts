import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { mkdtemp, rm } from "node:fs/promises";
import { afterEach, describe, expect, it } from "vitest";
import { parseCgiResponse } from "../../src/cgi-output/parse.js";
import { encodeScgiRequest } from "../../src/scgi/encode.js";
import { scgi } from "../../src/scgi/protocol.js";
import { startServer, type RunningServer } from "../../src/server/start.js";
import type { Application } from "../../src/types.js";
import { listenPort } from "../support/net-wait.js";
import { gatedApp } from "../support/test-apps.js";

let running: RunningServer | undefined;
let dir: string | undefined;
afterEach(async () => {
  await running?.close(1000);
  running = undefined;
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

function exchange(to: { port: number } | { path: string }, bytes: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = "path" in to ? connect(to.path) : connect(to.port, "127.0.0.1");
    const chunks: Buffer[] = [];
    socket.on("data", (chunk) => chunks.push(chunk));
    socket.on("error", reject);
    socket.on("close", () => resolve(Buffer.concat(chunks)));
    socket.write(bytes);
  });
}

const hello: Application = (environ, start) => {
  start("200 OK", [["Content-Type", "text/plain"]]);
  return [`hello ${environ.PATH_INFO}`];
};

describe("SCGI on the shared server", () => {
  it("serves over TCP with the server's body limit", async () => {
    running = await startServer(hello, {
      protocol: scgi({ mount: "/app" }),
      listen: "127.0.0.1:0",
      maxBody: 100,
      log: () => {},
    });
    const to = { port: listenPort(running.address) };
    const ok = parseCgiResponse(await exchange(to, encodeScgiRequest({ REQUEST_URI: "/app/x" })));
    expect(ok.body.toString()).toBe("hello /x");
    const big = await exchange(to, encodeScgiRequest({}, "x".repeat(101)));
    expect(parseCgiResponse(big).status).toBe("413 Content Too Large");
  });

  it("serves over a unix socket", async () => {
    dir = await mkdtemp(join(tmpdir(), "cgi2wsgi-scgi-"));
    const path = join(dir, "app.sock");
    running = await startServer(hello, { protocol: scgi(), listen: `unix:${path}`, log: () => {} });
    const reply = await exchange({ path }, encodeScgiRequest({ PATH_INFO: "/u" }));
    expect(parseCgiResponse(reply).body.toString()).toBe("hello /u");
  });

  it("lets the request in flight finish when the server closes, and accepts no more", async () => {
    const { app, release } = gatedApp("finished");
    running = await startServer(app, { protocol: scgi(), listen: "127.0.0.1:0", log: () => {} });
    const where = listenPort(running.address);
    const pending = exchange({ port: where }, encodeScgiRequest({}));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const closed = running.close(5000);
    release();
    expect(parseCgiResponse(await pending).body.toString()).toBe("finished");
    await closed;
    running = undefined;
    await expect(exchange({ port: where }, encodeScgiRequest({}))).rejects.toThrow(/ECONNREFUSED/);
  });
});

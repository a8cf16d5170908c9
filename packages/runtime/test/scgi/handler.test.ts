import { connect } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { parseCgiResponse } from "../../src/cgi-output/parse.js";
import { encodeScgiRequest } from "../../src/scgi/encode.js";
import { handleScgiConnection, type ScgiOptions } from "../../src/scgi/handler.js";
import type { Application } from "../../src/types.js";
import * as apps from "../support/test-apps.js";
import { listen, testContext, type Listening } from "./context.js";

let server: Listening | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(
  app: Application,
  limits: Parameters<typeof testContext>[1] = {},
  options: ScgiOptions = {},
) {
  const context = testContext(app, limits);
  server = await listen((socket) => handleScgiConnection(socket, context, options));
  return context;
}

/** Sends raw bytes, half-closes, and returns everything the gateway wrote. */
function exchange(bytes: Buffer, { halfClose = true } = {}): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = connect(server!.port, "127.0.0.1");
    const chunks: Buffer[] = [];
    socket.on("data", (chunk) => chunks.push(chunk));
    socket.on("error", reject);
    socket.on("close", () => resolve(Buffer.concat(chunks)));
    if (halfClose) socket.end(bytes);
    else socket.write(bytes);
  });
}

describe("SCGI connection handler", () => {
  it("builds the environ from the headers and reads exactly CONTENT_LENGTH bytes", async () => {
    await serve(apps.environApp);
    const request = encodeScgiRequest(
      {
        REQUEST_METHOD: "POST",
        REQUEST_URI: "/app/x?q=1",
        SCRIPT_NAME: "/app",
        PATH_INFO: "/x",
        QUERY_STRING: "q=1",
        CONTENT_TYPE: "text/plain",
        HTTP_HOST: "example.org",
        HTTP_PROXY: "http://evil",
        SERVER_NAME: "example.org",
        SERVER_PORT: "80",
      },
      "hello",
    );
    const reply = parseCgiResponse(await exchange(Buffer.concat([request, Buffer.from("junk")])));
    expect(reply.status).toBe("200 OK");
    const environ = JSON.parse(reply.body.toString()) as Record<string, string>;
    expect(environ).toMatchObject({
      body: "hello",
      REQUEST_METHOD: "POST",
      SCRIPT_NAME: "/app",
      PATH_INFO: "/x",
      QUERY_STRING: "q=1",
      CONTENT_LENGTH: "5",
      CONTENT_TYPE: "text/plain",
      HTTP_HOST: "example.org",
      "wsgi.url_scheme": "http",
    });
    expect(environ).not.toHaveProperty("HTTP_PROXY");
  });

  it("splits the path at the mount prefix when the front server sends no SCRIPT_NAME", async () => {
    await serve(apps.environApp, {}, { mount: "/app/" });
    const request = encodeScgiRequest({ REQUEST_URI: "/app/a%20b?x=1", QUERY_STRING: "x=1" });
    const environ = JSON.parse(parseCgiResponse(await exchange(request)).body.toString());
    expect(environ.SCRIPT_NAME).toBe("/app");
    expect(environ.PATH_INFO).toBe("/a b");
  });

  it("answers without waiting for the client to half-close", async () => {
    await serve(apps.environApp);
    const reply = await exchange(encodeScgiRequest({ REQUEST_METHOD: "GET" }), {
      halfClose: false,
    });
    expect(parseCgiResponse(reply).status).toBe("200 OK");
  });

  it("answers 413 without calling the application when the body is over the limit", async () => {
    let called = false;
    await serve(
      () => {
        called = true;
        return [];
      },
      { maxBody: 10 },
    );
    const reply = parseCgiResponse(await exchange(encodeScgiRequest({}, "x".repeat(11))));
    expect(reply.status).toBe("413 Content Too Large");
    expect(called).toBe(false);
  });

  it("answers 400 to a malformed request and logs the offending bytes", async () => {
    const context = await serve(apps.environApp);
    const reply = parseCgiResponse(await exchange(Buffer.from("GET / HTTP/1.1\r\n\r\n")));
    expect(reply.status).toBe("400 Bad Request");
    expect(context.logs.join("")).toContain('"GET / HTTP/1.1\\x0d\\x0a');
  });

  it("answers 408 when the request stalls", async () => {
    let called = false;
    const context = await serve(
      () => {
        called = true;
        return [];
      },
      { bodyTimeout: 100 },
    );
    const whole = encodeScgiRequest({}, "a body that never fully arrives");
    const reply = await exchange(whole.subarray(0, whole.length - 5), { halfClose: false });
    expect(parseCgiResponse(reply).status).toBe("408 Request Timeout");
    expect(called).toBe(false);
    expect(context.logs.join("")).toContain("408");
  });

  it("answers 431 to a header block over the bound", async () => {
    await serve(apps.environApp, {}, { maxHeaderSize: 1024 });
    const reply = await exchange(encodeScgiRequest({ HTTP_COOKIE: "c".repeat(2000) }));
    expect(parseCgiResponse(reply).status).toBe("431 Request Header Fields Too Large");
  });

  it("answers 503 when the concurrency limit and its queue are full", async () => {
    const { app, release } = apps.gatedApp("done");
    await serve(app, { maxConcurrency: 1, maxQueue: 0 });
    const first = exchange(encodeScgiRequest({}));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const second = parseCgiResponse(await exchange(encodeScgiRequest({})));
    expect(second.status).toBe("503 Service Unavailable");
    release();
    expect(parseCgiResponse(await first).body.toString()).toBe("done");
  });

  it("streams a large body with backpressure and calls close() once", async () => {
    let closes = 0;
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    await serve((_environ, start) => {
      start("200 OK", [["Content-Type", "application/octet-stream"]]);
      return {
        *[Symbol.iterator]() {
          for (let i = 0; i < 64; i++) yield chunk;
        },
        close: () => void closes++,
      };
    });
    const reply = parseCgiResponse(await exchange(encodeScgiRequest({})));
    expect(reply.body.length).toBe(64 * chunk.length);
    expect(closes).toBe(1);
  });

  it("sends each chunk as the application yields it, with no hidden buffering", async () => {
    const { app, received } = apps.twoChunkApp();
    await serve(app);
    const socket = connect(server!.port, "127.0.0.1");
    const chunks: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      if (Buffer.concat(chunks).includes("first\n")) received();
    });
    socket.write(encodeScgiRequest({}));
    await new Promise((resolve) => socket.on("close", resolve));
    expect(parseCgiResponse(Buffer.concat(chunks)).body.toString()).toBe("first\nsecond\n");
  });

  it("stops pulling body chunks while the front server does not read", async () => {
    const { app, produced, total } = apps.producerApp();
    await serve(app);
    const socket = connect(server!.port, "127.0.0.1");
    socket.pause();
    socket.write(encodeScgiRequest({}));
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Only what fits in the socket buffers has been produced, not the whole 64 MiB.
    expect(produced()).toBeLessThan(24);
    let received = 0;
    socket.on("data", (data: Buffer) => (received += data.length));
    socket.resume();
    await new Promise((resolve) => socket.on("close", resolve));
    expect(produced()).toBe(64);
    expect(received).toBeGreaterThan(total);
  });

  it("stops the application and calls close() when the front server goes away", async () => {
    const { app, closed } = apps.endlessApp();
    const context = await serve(app);
    const socket = connect(server!.port, "127.0.0.1");
    socket.write(encodeScgiRequest({}));
    socket.once("data", () => socket.destroy());
    await closed;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(context.finished).toBe(1);
  });
});

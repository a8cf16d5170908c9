import { afterEach, describe, expect, it } from "vitest";
import { handleAjpConnection, type AjpOptions } from "../../src/ajp13/handler.js";
import type { ConnectionControl } from "../../src/server/types.js";
import type { Application } from "../../src/types.js";
import { listen, testContext, type Listening } from "../scgi/context.js";
import * as apps from "../support/test-apps.js";
import { AjpTestClient } from "./client.js";

let server: Listening | undefined;
const clients: AjpTestClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await server?.close();
  server = undefined;
});

const controls: ConnectionControl[] = [];

async function serve(
  app: Application,
  options: AjpOptions = {},
  limits: Parameters<typeof testContext>[1] = {},
) {
  const context = testContext(app, limits);
  server = await listen((socket) => controls.push(handleAjpConnection(socket, context, options)));
  const client = await AjpTestClient.connect(server.port);
  clients.push(client);
  return { context, client };
}

const echoApp: Application = (environ, start) => {
  const body = environ["wsgi.input"].read();
  start("200 OK", [
    ["Content-Type", "application/octet-stream"],
    ["X-Length", environ.CONTENT_LENGTH ?? "none"],
  ]);
  return [body];
};

describe("AJP13 connection handler", () => {
  it("builds the environ, answers with coded headers and reuses the connection", async () => {
    const { client } = await serve(apps.environApp, { mount: "/app" });
    const reply = await client.request({
      uri: "/app/a%20b",
      headers: [
        ["Host", "example.org"],
        ["X-Custom", "yes"],
        ["Proxy", "http://evil"],
      ],
      attributes: {
        queryString: "q=1",
        remoteUser: "alice",
        requestAttributes: [["AJP_REMOTE_PORT", "50123"]],
      },
    });
    expect(reply.status).toBe(200);
    expect(reply.reuse).toBe(true);
    expect(reply.headers).toEqual([["Content-Type", "application/json"]]);
    const environ = JSON.parse(reply.body.toString());
    expect(environ).toMatchObject({
      REQUEST_METHOD: "GET",
      SCRIPT_NAME: "/app",
      PATH_INFO: "/a b",
      QUERY_STRING: "q=1",
      REQUEST_URI: "/app/a%20b?q=1",
      REMOTE_USER: "alice",
      REMOTE_PORT: "50123",
      HTTP_HOST: "example.org",
      HTTP_X_CUSTOM: "yes",
      SERVER_PROTOCOL: "HTTP/1.1",
    });
    expect(environ).not.toHaveProperty("HTTP_PROXY");
    const again = await client.request({ uri: "/app/second" });
    expect(JSON.parse(again.body.toString()).PATH_INFO).toBe("/second");
  });

  it("reads a body of known length through GET_BODY_CHUNK", async () => {
    const { client } = await serve(echoApp);
    const body = Buffer.alloc(100_000, 7);
    for (let i = 0; i < body.length; i++) body[i] = i % 251;
    const reply = await client.request({ body });
    expect(reply.body.equals(body)).toBe(true);
    expect(reply.headers).toContainEqual(["X-Length", "100000"]);
    expect(reply.sent[0]).toBe(8186);
    expect(reply.sent.reduce((a, b) => a + b, 0)).toBe(body.length);
  });

  it("reads a chunked body until the empty packet and sets CONTENT_LENGTH", async () => {
    const { client } = await serve(echoApp);
    const body = Buffer.alloc(20_000, 0x62);
    const reply = await client.request({ body, chunked: true });
    expect(reply.body.equals(body)).toBe(true);
    expect(reply.headers).toContainEqual(["X-Length", "20000"]);
    expect(reply.sent.at(-1)).toBe(0);
  });

  it("bounds SEND_BODY_CHUNK packets to the configured packet size", async () => {
    const big = Buffer.alloc(200_000, 0x63);
    for (const packetSize of [8192, 65536]) {
      const { client } = await serve(
        (_e, start) => {
          start("200 OK", [["Content-Type", "application/octet-stream"]]);
          return [big];
        },
        { packetSize },
      );
      const reply = await client.request({}, packetSize);
      expect(reply.body.equals(big)).toBe(true);
      const sizes = reply.packets.flatMap((p) => (p.type === "body" ? [p.data.length] : []));
      expect(Math.max(...sizes)).toBe(packetSize - 8);
      await server!.close();
      server = undefined;
    }
  });

  it("answers 500 and closes when the response headers do not fit in one packet", async () => {
    const { client, context } = await serve((_e, start) => {
      start("200 OK", [["X-Huge", "x".repeat(10_000)]]);
      return ["never sent"];
    });
    const reply = await client.request({});
    expect(reply.status).toBe(500);
    expect(reply.body.toString()).not.toContain("never sent");
    expect(reply.reuse).toBe(false);
    expect(context.logs.join("")).toContain("packet size");
  });

  it("answers CPING with CPONG and ignores SHUTDOWN", async () => {
    const { client } = await serve(apps.environApp);
    client.send(10);
    expect(await client.next()).toEqual({ type: "cpong" });
    client.send(7);
    expect((await client.request({ uri: "/still-up" })).status).toBe(200);
  });

  it("answers 413 and closes without calling the application when the body is too large", async () => {
    let called = false;
    const { client } = await serve(
      () => {
        called = true;
        return [];
      },
      {},
      { maxBody: 1000 },
    );
    const reply = await client.request({ body: Buffer.alloc(5000) });
    expect(reply.status).toBe(413);
    expect(reply.reuse).toBe(false);
    expect(called).toBe(false);
  });

  it("answers 408 and closes when the body stalls", async () => {
    const { client } = await serve(echoApp, {}, { bodyTimeout: 100 });
    client.sendForwardRequest({
      method: "POST",
      headers: [["Content-Length", "10"]],
      attributes: { requestAttributes: [] },
    });
    expect(await client.next()).toMatchObject({ type: "headers", status: 408 });
    await client.next();
    expect(await client.next()).toEqual({ type: "end", reuse: false });
    expect(await client.next()).toBeUndefined();
  });

  it("answers 400 to a malformed FORWARD_REQUEST", async () => {
    const { client, context } = await serve(apps.environApp);
    client.socket.write(Buffer.from([0x12, 0x34, 0x00, 0x03, 0x02, 0x63, 0x00]));
    const headers = await client.next();
    expect(headers).toMatchObject({ type: "headers", status: 400 });
    expect(context.logs.join("")).toContain("ERR_AJP_");
  });

  it("closes the connection on a stream that is not AJP13", async () => {
    const { client, context } = await serve(apps.environApp);
    client.socket.write("GET / HTTP/1.1\r\n\r\n");
    expect(await client.next()).toBeUndefined();
    expect(context.logs.join("")).toContain("ERR_AJP_BAD_MAGIC");
  });

  it("refuses requests without the configured secret", async () => {
    const { client } = await serve(apps.environApp, { secret: "s3cret" });
    expect((await client.request({})).status).toBe(403);
    const ok = await client.request({ attributes: { secret: "s3cret", requestAttributes: [] } });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body.toString())).not.toHaveProperty("secret");
  });

  it("ends the connection after the response in flight when drained", async () => {
    const { app, release } = apps.gatedApp("late");
    controls.length = 0;
    const { client } = await serve(app);
    const pending = client.request({});
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(controls[0]!.busy).toBe(true);
    controls[0]!.drain();
    release();
    const reply = await pending;
    expect(reply.body.toString()).toBe("late");
    expect(reply.reuse).toBe(false);
    expect(await client.next()).toBeUndefined();
  });

  /**
   * A request to {@link apps.twoChunkApp}, whose second chunk waits until the first has reached
   * the client: it completes only if nothing held the first one back.
   */
  async function twoChunks(request: Parameters<AjpTestClient["request"]>[0] = {}) {
    const { app, received } = apps.twoChunkApp();
    const { client } = await serve(app);
    const pending = client.request(request);
    client.socket.on("data", (chunk: Buffer) => {
      if (chunk.includes("first\n")) received();
    });
    return { client, reply: await pending };
  }

  it("sends each chunk as the application yields it, with no hidden buffering", async () => {
    const { reply } = await twoChunks();
    expect(reply.body.toString()).toBe("first\nsecond\n");
  });

  it("follows each chunk with the empty flush packet, as AJP containers flush", async () => {
    const { reply } = await twoChunks();
    const bodies = reply.packets.flatMap((p) => (p.type === "body" ? [p.data.toString()] : []));
    expect(bodies).toEqual(["first\n", "", "second\n", ""]);
  });

  it("drops an empty body packet that arrives while it answers", async () => {
    const { client, reply } = await twoChunks({ emptyBodyPacket: true });
    expect(reply.body.toString()).toBe("first\nsecond\n");
    expect((await client.request({ emptyBodyPacket: true })).reuse).toBe(true);
  });

  it("drops an empty body packet that arrives after a quick answer, while idle", async () => {
    const { client: quick } = await serve(apps.environApp, { mount: "/app" });
    for (const uri of ["/app/one", "/app/two"]) {
      const reply = await quick.request({ uri, method: "HEAD", emptyBodyPacket: true });
      expect(reply.status).toBe(200);
      expect(reply.reuse).toBe(true);
    }
    expect(quick.closed).toBe(false);
  });

  it("stops pulling body chunks while the web server does not read", async () => {
    const { app, produced, total } = apps.producerApp();
    const { client } = await serve(app);
    client.socket.pause();
    const pending = client.request({});
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Only what fits in the socket buffers has been produced, not the whole 64 MiB.
    expect(produced()).toBeLessThan(24);
    client.socket.resume();
    const reply = await pending;
    expect(produced()).toBe(64);
    expect(reply.body.length).toBe(total);
  });

  it("stops the application and calls close() when the web server goes away", async () => {
    const { app, closed } = apps.endlessApp();
    const { client, context } = await serve(app);
    void client.request({});
    await client.next();
    client.close();
    await closed;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(context.finished).toBe(1);
  });
});

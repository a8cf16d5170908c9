import { once } from "node:events";
import { Agent, request as httpRequest, type Server } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createHttpServer, type Application } from "../../src/index.js";

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  server?.close();
  server = undefined;
});

async function start(app: Application, options = {}): Promise<number> {
  server = createHttpServer(app, { log: () => {}, ...options });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return (server.address() as AddressInfo).port;
}

const environApp: Application = (environ, start_response) => {
  start_response("200 OK", [["Content-Type", "application/json"]]);
  const { SERVER_NAME, SERVER_PORT, CONTENT_LENGTH, REMOTE_ADDR } = environ;
  const body = environ["wsgi.input"].read().toString();
  return [JSON.stringify({ SERVER_NAME, SERVER_PORT, CONTENT_LENGTH, REMOTE_ADDR, body })];
};

describe("built-in HTTP server", () => {
  it("takes SERVER_NAME and SERVER_PORT from the Host header", async () => {
    const port = await start(environApp);
    // fetch() will not send a Host of our choosing; node:http will.
    const req = httpRequest({ port, host: "127.0.0.1", headers: { Host: "example.org:8443" } });
    req.end();
    const [res] = await once(req, "response");
    let text = "";
    for await (const chunk of res) text += chunk;
    expect(JSON.parse(text)).toMatchObject({
      SERVER_NAME: "example.org",
      SERVER_PORT: "8443",
      REMOTE_ADDR: "127.0.0.1",
    });
  });

  it("reads a chunked body and reports its length as CONTENT_LENGTH", async () => {
    const port = await start(environApp);
    const req = httpRequest({ port, host: "127.0.0.1", method: "POST", path: "/" });
    req.write("chunk one,");
    req.end("chunk two");
    const [res] = await once(req, "response");
    let text = "";
    for await (const chunk of res) text += chunk;
    expect(JSON.parse(text)).toMatchObject({ CONTENT_LENGTH: "19", body: "chunk one,chunk two" });
  });

  it("keeps connections alive across requests", async () => {
    const port = await start(environApp);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const sockets = new Set<unknown>();
    for (let i = 0; i < 3; i++) {
      const req = httpRequest({ port, host: "127.0.0.1", agent, path: "/" });
      req.on("socket", (socket) => sockets.add(socket));
      req.end();
      const [res] = await once(req, "response");
      res.resume();
      await once(res, "end");
    }
    agent.destroy();
    expect(sockets.size).toBe(1);
  });

  it("answers 413 without calling the app when the body is over --max-body", async () => {
    let called = 0;
    const port = await start(
      (_e, start_response) => {
        called++;
        start_response("200 OK", []);
        return [];
      },
      { maxBody: 10 },
    );
    const declared = await fetch(`http://127.0.0.1:${port}/`, {
      method: "POST",
      body: "x".repeat(11),
    });
    expect(declared.status).toBe(413);
    const req = httpRequest({ port, host: "127.0.0.1", method: "POST", path: "/" });
    req.write("x".repeat(8));
    req.end("x".repeat(8));
    const [chunked] = await once(req, "response");
    chunked.resume();
    expect(chunked.statusCode).toBe(413);
    expect(called).toBe(0);
    expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(200);
  });

  it("calls close() once when the client goes away mid-response", async () => {
    let closes = 0;
    let produced = 0;
    const closed = new Promise<void>((resolve) => {
      const app: Application = (_e, start_response) => {
        start_response("200 OK", [["Content-Type", "application/octet-stream"]]);
        return {
          async *[Symbol.asyncIterator]() {
            for (;;) {
              produced++;
              yield Buffer.alloc(64 * 1024);
              await new Promise((r) => setTimeout(r, 1));
            }
          },
          close() {
            closes++;
            resolve();
          },
        };
      };
      void start(app).then((port) => {
        const socket = connect(port, "127.0.0.1", () => {
          socket.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
          socket.once("data", () => socket.destroy());
        });
      });
    });
    await closed;
    expect(closes).toBe(1);
    expect(produced).toBeGreaterThan(0);
  });

  it("answers 404 outside the mount prefix", async () => {
    const port = await start(environApp, { mount: "/app" });
    expect((await fetch(`http://127.0.0.1:${port}/other`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${port}/app/x`)).status).toBe(200);
  });
});

import { request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createHttpServer } from "../http/server.js";
import type { Application, Chunk } from "../types.js";
import type { ContractViolation } from "./errors.js";
import { validator } from "./validator.js";

// The built-in HTTP server, over a real socket, is the server under the validator here:
// whatever it passes the application and however it iterates and closes must conform.

let server: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

async function listen(app: Application, mount?: string) {
  const seen: ContractViolation[] = [];
  let closed = 0;
  const tracked: Application = async (environ, start) => {
    const body = await app(environ, start);
    return Object.assign(body, { close: () => void closed++ });
  };
  server = createHttpServer(
    validator(tracked, { onViolation: (v) => seen.push(v), closeTimeout: 50 }),
    { mount, log: () => {} },
  );
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { seen, closes: () => closed, base: `http://127.0.0.1:${port}` };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const echo: Application = (environ, start) => {
  const body = environ["wsgi.input"].read();
  start("200 OK", [["Content-Type", "text/plain"]]);
  const facts = [
    environ.REQUEST_METHOD,
    environ.SCRIPT_NAME,
    environ.PATH_INFO,
    environ.QUERY_STRING,
  ];
  return [`${facts.join(" ")} ${body.length}\n`];
};

describe("the HTTP server under the validator", () => {
  it("passes GET, POST and HEAD requests without a violation and closes every body", async () => {
    const { seen, closes, base } = await listen(echo, "/app");
    const get = await fetch(`${base}/app/items/1?a=1`, { headers: { Proxy: "http://evil" } });
    expect(await get.text()).toBe("GET /app /items/1 a=1 0\n");
    const post = await fetch(`${base}/app`, { method: "POST", body: "x=1&y=2" });
    expect(await post.text()).toBe("POST /app   7\n");
    const head = await fetch(`${base}/app/`, { method: "HEAD" });
    expect(head.status).toBe(200);
    await sleep(80);
    expect(seen).toEqual([]);
    expect(closes()).toBe(3);
  });

  it("closes a streaming body when the client goes away half-way", async () => {
    let sent = 0;
    const stream: Application = (_e, start) => {
      start("200 OK", [["Content-Type", "text/plain"]]);
      return (async function* (): AsyncGenerator<Chunk> {
        for (;;) {
          sent++;
          yield "tick\n";
          await sleep(5);
        }
      })();
    };
    const { seen, closes, base } = await listen(stream);
    await new Promise<void>((resolve, reject) => {
      const req = httpRequest(`${base}/`, (res) => {
        res.once("data", () => {
          req.destroy();
          resolve();
        });
      });
      req.on("error", () => {});
      req.on("close", resolve);
      req.once("timeout", () => reject(new Error("no response")));
      req.end();
    });
    for (let i = 0; i < 50 && closes() === 0; i++) await sleep(10);
    expect(closes()).toBe(1);
    const stopped = sent;
    await sleep(30);
    expect(sent).toBe(stopped);
    expect(seen).toEqual([]);
  });
});

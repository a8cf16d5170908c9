import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startNginxSnippet } from "./frames.js";
import { stopAll } from "./runtime.js";
import { serveDocumented } from "./serve-runtime.js";
import { snippet } from "./snippets.js";
import type { Started } from "./stack.js";

// Both documented limits are 10 MiB: nginx's client_max_body_size 10m and --max-body 10485760.
const LIMIT = 10 * 1024 * 1024;

describe("docs/deploy.md: body limits in the front server and the runtime", () => {
  const started: Started = { dirs: [] };
  let direct = "";
  beforeAll(async () => {
    const values = await serveDocumented("http-serve", "8000", started);
    started.front = await startNginxSnippet(snippet("http-nginx", values));
    direct = `http://127.0.0.1:${values["8000"]}/app`;
  });
  afterAll(() => stopAll([started.front, started.runtime], started.dirs));

  // Sends only the header block of a POST of `length` bytes: a server that refuses the body
  // answers and closes without reading it, which a client still writing it sees as EPIPE.
  const statusLine = async (target: string, length: number) => {
    const url = new URL(target);
    const socket = connect(Number(url.port), url.hostname);
    socket.end(
      `POST ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\nContent-Length: ${length}\r\n\r\n`,
    );
    let reply = "";
    for await (const chunk of socket) reply += String(chunk);
    return reply.split("\r\n")[0];
  };

  const post = async (url: string, size: number) => {
    const res = await fetch(url, { method: "POST", body: new Uint8Array(size) });
    return { status: res.status, length: (await res.arrayBuffer()).byteLength };
  };

  it("nginx takes a body at the limit and answers 413 beyond it", async () => {
    expect(await post(`${started.front!.baseUrl}/app/echo`, LIMIT)).toEqual({
      status: 200,
      length: LIMIT,
    });
    expect(await statusLine(`${started.front!.baseUrl}/app/echo`, LIMIT + 1)).toMatch(
      /^HTTP\/1\.1 413 /,
    );
  });

  it("the runtime answers 413 itself to a body over --max-body, from its Content-Length", async () => {
    expect(await statusLine(`${direct}/echo`, LIMIT + 1)).toMatch(/^HTTP\/1\.1 413 /);
  });
});

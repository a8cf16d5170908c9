import { once } from "node:events";
import type { Server } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mixedDirectory } from "../../src/cgi-host/mixed.js";
import { createHttpServer } from "../../src/http/server.js";
import { mountDirectory } from "../../src/mount/directory.js";
import type { Application } from "../../src/types.js";
import { makeTempDir, putFile as put, removeTempDir } from "../support/index.js";

const APP = `exports.application = (environ, start_response) => {
  start_response("200 OK", [["Content-Type", "text/plain"]]);
  return ["app at " + environ.SCRIPT_NAME];
};
`;
const SCRIPT = `#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\nlegacy\\n'\n`;

let dir: string;
const servers: Server[] = [];

/** Serves `app` on 127.0.0.1 port 0 and resolves with its base URL. */
async function listen(app: Application, mount?: string): Promise<string> {
  const server = createHttpServer(app, { mount });
  servers.push(server);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  dir = await makeTempDir("index-page");
  await put(join(dir, "cgi-bin/form.cjs"), APP);
  await put(join(dir, "cgi-bin/old.sh"), SCRIPT, 0o755);
  await put(join(dir, "cgi-bin/notes.txt"), "neither a module nor executable\n");
  await put(join(dir, ".hidden/secret.sh"), SCRIPT, 0o755);
  await put(join(dir, "node_modules/dep/run.sh"), SCRIPT, 0o755);
  await put(join(dir, "broken.mjs"), "export function application( {\n");
});
afterAll(async () => {
  await Promise.all(servers.map((server) => new Promise((done) => server.close(done))));
  await removeTempDir(dir);
});

describe("the index of a served directory", () => {
  it("lists applications, CGI scripts and failed modules at /, as HTML with links", async () => {
    const url = await listen(await mixedDirectory(dir, { index: true, onError: () => {} }));
    const response = await fetch(`${url}/`, { headers: { accept: "text/html" } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const html = await response.text();
    const links = [...html.matchAll(/<a href="([^"]+)">[^<]+<\/a> ([^<]+)/g)].map((m) => [
      m[1],
      m[2],
    ]);
    expect(links).toEqual([
      ["/broken.mjs", "failed to load (see the server log)"],
      ["/cgi-bin/form.cjs", "application"],
      ["/cgi-bin/old.sh", "CGI script"],
    ]);
    // What it links to answers.
    expect(await (await fetch(`${url}/cgi-bin/form.cjs`)).text()).toBe("app at /cgi-bin/form.cjs");
    expect(await (await fetch(`${url}/cgi-bin/old.sh`)).text()).toBe("legacy\n");
  });

  it("answers plain text when asked, and shows scripts added after start-up", async () => {
    const url = await listen(await mixedDirectory(dir, { index: true, onError: () => {} }));
    await put(join(dir, "added.sh"), SCRIPT, 0o755);
    const response = await fetch(url, { headers: { accept: "text/plain" } });
    expect(response.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(await response.text()).toBe(
      "cgi         /added.sh\nfailed      /broken.mjs\napplication /cgi-bin/form.cjs\ncgi         /cgi-bin/old.sh\n",
    );
  });

  it("links below the mount prefix, sends no body to HEAD and refuses POST", async () => {
    const app = await mountDirectory(dir, { index: true, base: "/app", onError: () => {} });
    const url = await listen(app.application, "/app");
    const html = await (await fetch(`${url}/app/`)).text();
    expect(html).toContain('<a href="/app/cgi-bin/form.cjs">/cgi-bin/form.cjs</a> application');
    expect(html).not.toContain("old.sh");
    // Read off the socket: a client library would drop a body sent after HEAD unseen.
    const socket = connect(Number(new URL(url).port), "127.0.0.1");
    socket.end("HEAD /app HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    const head = Buffer.concat(await socket.toArray()).toString("latin1");
    expect(head).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(head).toMatch(/\r\nContent-Length: [1-9]\d*\r\n/i);
    expect(head.endsWith("\r\n\r\n")).toBe(true);
    const post = await fetch(`${url}/app/`, { method: "POST", body: "x" });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET, HEAD");
  });

  it("is off unless asked for, and gives way to an application mapped at /", async () => {
    const off = await listen(await mixedDirectory(dir, { onError: () => {} }));
    expect((await fetch(`${off}/`)).status).toBe(404);
    const root: Application = (_environ, start_response) => {
      start_response("200 OK", [["Content-Type", "text/plain"]]);
      return ["root app"];
    };
    const mapped = await listen(
      await mixedDirectory(dir, { index: true, map: { "/": root }, onError: () => {} }),
    );
    expect(await (await fetch(`${mapped}/`)).text()).toBe("root app");
  });
});

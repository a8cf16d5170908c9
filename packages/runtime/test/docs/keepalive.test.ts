import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startNginxSnippet } from "./frames.js";
import { stopAll } from "./runtime.js";
import { serveDocumented } from "./serve-runtime.js";
import { snippet } from "./snippets.js";
import type { Started } from "./stack.js";

/** Established IPv4 TCP connections whose remote end is loopback port `port`. */
function connectionsTo(port: number): number {
  const hex = port.toString(16).toUpperCase().padStart(4, "0");
  return readFileSync("/proc/net/tcp", "latin1")
    .split("\n")
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((f) => f[2] === `0100007F:${hex}` && f[3] === "01").length;
}

// The documented nginx FastCGI config over TCP (the runtime's `fastcgi-serve` address in place
// of the unix socket), so its connections to the runtime can be counted.
describe("docs/deploy.md: nginx fastcgi_keep_conn with upstream keepalive", () => {
  const started: Started = { dirs: [] };
  let port = 0;
  beforeAll(async () => {
    const values = await serveDocumented("fastcgi-serve", "9000", started);
    port = Number(values["9000"]);
    const tcp = { "unix:/run/cgi2wsgi/app.sock": `127.0.0.1:${port}` };
    started.front = await startNginxSnippet(snippet("fastcgi-nginx", tcp));
  });
  afterAll(() => stopAll([started.front, started.runtime], started.dirs));

  it("sends ten requests over one kept connection", async () => {
    for (let i = 0; i < 10; i++) {
      const res = await fetch(`${started.front!.baseUrl}/app/hello`);
      expect(await res.text()).toBe("Hello, world!\n");
      expect(connectionsTo(port)).toBe(1);
    }
  });
});

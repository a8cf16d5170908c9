import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { patternBytes } from "../conformance/app.js";
import { expectDripStreamed } from "../conformance/timing.js";
import { startApacheSnippet, startLighttpdSnippet, startNginxSnippet } from "./frames.js";
import { serveDocumented } from "./serve-runtime.js";
import { snippet } from "./snippets.js";
import { describeDocumented, type Started } from "./stack.js";
import { stopAll } from "./runtime.js";

describeDocumented("HTTP: nginx proxy_pass with upstream keepalive", async (started) => {
  const values = await serveDocumented("http-serve", "8000", started);
  started.front = await startNginxSnippet(snippet("http-nginx", values));
});

describeDocumented("HTTP: Apache mod_proxy_http", async (started) => {
  const values = await serveDocumented("http-serve", "8000", started);
  started.front = await startApacheSnippet(snippet("http-apache", values));
});

// lighttpd answers 500, not 502, when the backend closes without a response (the suite's
// broken-response case), so this stack gets the suite's core requests one by one.
describe("docs/deploy.md: HTTP: lighttpd mod_proxy", () => {
  const started: Started = { dirs: [] };
  let base = "";
  beforeAll(async () => {
    const values = await serveDocumented("http-serve", "8000", started);
    started.front = await startLighttpdSnippet(snippet("http-lighttpd", values));
    base = `${started.front.baseUrl}/app`;
  });
  afterAll(() => stopAll([started.front, started.runtime], started.dirs));

  it("splits the path at the mount and passes the query raw", async () => {
    const res = await fetch(`${base}/environ/x%20y?a=1&b=%20c`);
    const environ = (await res.json()) as Record<string, unknown>;
    expect(environ.SCRIPT_NAME).toBe("/app");
    expect(environ.PATH_INFO).toBe("/environ/x y");
    expect(environ.QUERY_STRING).toBe("a=1&b=%20c");
  });

  it("passes a request body byte for byte", async () => {
    const body = patternBytes(100_000);
    const echo = await fetch(`${base}/echo`, { method: "POST", body });
    expect(Buffer.from(await echo.arrayBuffer()).equals(body)).toBe(true);
    const hello = await fetch(`${base}/hello`);
    expect(await hello.text()).toBe("Hello, world!\n");
  });

  it("passes each streamed chunk on as the application yields it", () => expectDripStreamed(base));

  it("answers its own 500 for a response broken off, and keeps serving", async () => {
    expect((await fetch(`${base}/error-after`)).status).toBe(500);
    expect((await fetch(`${base}/hello`)).status).toBe(200);
  });
});

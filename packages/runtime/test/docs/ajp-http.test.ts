import { describe, expect, it } from "vitest";
import { patternBytes } from "../conformance/app.js";
import { expectDripStreamed } from "../conformance/timing.js";
import { startApacheSnippet, startLighttpdSnippet, startNginxSnippet } from "./frames.js";
import { serveDocumented } from "./serve-runtime.js";
import { snippet } from "./snippets.js";
import { describeDocumented, expectMountSplit, useDocumented } from "./stack.js";

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
  const stack = useDocumented(async (started) => {
    const values = await serveDocumented("http-serve", "8000", started);
    started.front = await startLighttpdSnippet(snippet("http-lighttpd", values));
    return values;
  });

  it("splits the path at the mount and passes the query raw", () => expectMountSplit(stack.base));

  it("passes a request body byte for byte", async () => {
    const body = patternBytes(100_000);
    const echo = await fetch(`${stack.base}/echo`, { method: "POST", body });
    expect(Buffer.from(await echo.arrayBuffer()).equals(body)).toBe(true);
    const hello = await fetch(`${stack.base}/hello`);
    expect(await hello.text()).toBe("Hello, world!\n");
  });

  it("passes each streamed chunk on as the application yields it", () =>
    expectDripStreamed(stack.base));

  it("answers its own 500 for a response broken off, and keeps serving", async () => {
    expect((await fetch(`${stack.base}/error-after`)).status).toBe(500);
    expect((await fetch(`${stack.base}/hello`)).status).toBe(200);
  });
});

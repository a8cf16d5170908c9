import { describe, expect, it } from "vitest";
import { expectDripStreamed } from "../conformance/timing.js";
import { startApacheSnippet, startLighttpdSnippet } from "./frames.js";
import { serveDocumented } from "./serve-runtime.js";
import { snippet } from "./snippets.js";
import { describeDocumented, expectMountSplit, useDocumented } from "./stack.js";

describeDocumented("AJP13: Apache mod_proxy_ajp", async (started) => {
  const values = await serveDocumented("ajp-serve", "8009", started);
  started.front = await startApacheSnippet(snippet("ajp-apache", values));
});

describeDocumented("AJP13: Apache mod_jk", async (started) => {
  const values = await serveDocumented("ajp-serve", "8009", started);
  // mod_jk's shared memory and log go to the server's temp dir.
  started.front = await startApacheSnippet((dir) =>
    snippet("ajp-jk", { ...values, "/run/apache2": dir, "/var/log/apache2": dir }),
  );
});

// lighttpd's request body packets lack AJP13's chunk length (see docs/deploy.md), so this
// stack gets the suite's requests without a body, and the 400 for one with a body.
describe("docs/deploy.md: AJP13: lighttpd mod_ajp13", () => {
  const stack = useDocumented(async (started) => {
    const values = await serveDocumented("ajp-serve", "8009", started);
    started.front = await startLighttpdSnippet(snippet("ajp-lighttpd", values));
    return values;
  });

  it("splits the path at the mount and passes the query raw", () => expectMountSplit(stack.base));

  it("answers HEAD, statuses and GETs one after another on its empty body packets", async () => {
    const head = await fetch(`${stack.base}/hello`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    for (const code of [404, 503]) {
      expect((await fetch(`${stack.base}/status/${code}`)).status).toBe(code);
    }
    const large = await (await fetch(`${stack.base}/large`)).arrayBuffer();
    expect(large.byteLength).toBe(1 << 20);
    expect(await (await fetch(`${stack.base}/hello`)).text()).toBe("Hello, world!\n");
  });

  it("passes each streamed chunk on as the application yields it", () =>
    expectDripStreamed(stack.base));

  it("answers 400 to a request body it cannot frame, and keeps serving", async () => {
    const res = await fetch(`${stack.base}/echo`, { method: "POST", body: "abc" });
    expect(res.status).toBe(400);
    expect(stack.started.runtime!.output()).toContain("lighttpd's mod_ajp13");
    expect((await fetch(`${stack.base}/hello`)).status).toBe(200);
  });
});

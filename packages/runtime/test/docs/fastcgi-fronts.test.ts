import { describe, expect, it } from "vitest";
import { connectionsTo } from "../support/index.js";
import { startCaddySnippet, startH2oSnippet, startHaproxySnippet } from "./fronts.js";
import { serveDocumented } from "./serve-runtime.js";
import { snippet } from "./snippets.js";
import { describeDocumented, useDocumented } from "./stack.js";

describeDocumented("FastCGI: Caddy", async (started) => {
  const values = await serveDocumented("fastcgi-serve-mount", "9000", started);
  started.front = await startCaddySnippet(snippet("fastcgi-caddy", values));
});

describeDocumented("FastCGI: h2o fastcgi.connect", async (started) => {
  const values = await serveDocumented("fastcgi-serve-mount", "9000", started);
  started.front = await startH2oSnippet(snippet("fastcgi-h2o", values));
});

describeDocumented("FastCGI: HAProxy fcgi-app, multiplexed", async (started) => {
  const values = await serveDocumented("fastcgi-serve-haproxy", "9000", started);
  started.front = await startHaproxySnippet(snippet("fastcgi-haproxy", values), "cgi2wsgi_fcgi");
});

// What the documented HAProxy setup is for: multiplexing (http-reuse always), and errors that
// stay local (--errors local), since HAProxy 2.6 aborts on FCGI_STDERR records.
describe("docs/deploy.md: FastCGI: HAProxy fcgi-app under concurrent load", () => {
  const stack = useDocumented(async (started) => {
    const values = await serveDocumented("fastcgi-serve-haproxy", "9000", started);
    started.front = await startHaproxySnippet(snippet("fastcgi-haproxy", values), "cgi2wsgi_fcgi");
    return values;
  });
  const base = () => stack.base;

  it("multiplexes concurrent requests over fewer connections than requests", async () => {
    const clients = 8;
    const responses = await Promise.all(
      Array.from({ length: clients }, () => fetch(`${base()}/drip`)),
    );
    const readers = responses.map((res) => res.body!.getReader());
    // Every response has begun (its first chunk arrived) while all are still in flight.
    await Promise.all(readers.map((reader) => reader.read()));
    expect(connectionsTo(Number(stack.values["9000"]))).toBeLessThan(clients);
    for (const reader of readers) while (!(await reader.read()).done);
  });

  it("survives a burst of requests that write to wsgi.errors or fail", async () => {
    const paths = ["/errors-stream", "/error-before", "/error-after"];
    // /error-after is cut off mid-body by design: its read may fail, the proxy must not.
    const burst = Array.from({ length: 12 }, (_, i) =>
      fetch(`${base()}${paths[i % paths.length]}`)
        .then((res) => res.arrayBuffer())
        .catch(() => undefined),
    );
    await Promise.all(burst);
    expect(await (await fetch(`${base()}/hello`)).text()).toBe("Hello, world!\n");
  });
});

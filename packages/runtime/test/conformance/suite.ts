/**
 * The shared conformance suite: the same requests against the conformance application
 * (app.ts), whatever gateway and front server stand in between. Each protocol's integration
 * test calls {@link describeConformance} with a setup that starts the real servers.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { patternBytes } from "./app.js";
import { expectDripStreamed } from "./timing.js";

/** A running stack in front of the conformance application. */
export interface ConformanceTarget {
  /** URL that maps to the application's SCRIPT_NAME, without a trailing slash. */
  baseUrl: string;
  /** SCRIPT_NAME the application sees. */
  scriptName: string;
  close(): Promise<void>;
}

/** What else to check through one stack. */
export interface ConformanceOptions {
  /**
   * Also check WHEN a streamed response's chunks arrive: the first well before the application
   * has produced the last. Off for stacks configured to hold responses back (lighttpd's
   * default `server.stream-response-body = 0`).
   */
  timing?: boolean;
}

/**
 * Declares the conformance suite against one stack.
 *
 * @example
 * describeConformance("http server", async () => {
 *   const server = createHttpServer(application, { mount: "/app" }).listen(0);
 *   await once(server, "listening");
 *   return { baseUrl: `http://127.0.0.1:${port(server)}/app`, scriptName: "/app",
 *            close: () => closeServer(server) };
 * });
 */
export function describeConformance(
  name: string,
  setup: () => Promise<ConformanceTarget>,
  options: ConformanceOptions = {},
): void {
  describe(`conformance: ${name}`, () => {
    let target: ConformanceTarget;
    const get = (path: string, init: RequestInit = {}) =>
      fetch(target.baseUrl + path, {
        redirect: "manual",
        signal: AbortSignal.timeout(15_000),
        ...init,
      });

    beforeAll(async () => {
      target = await setup();
    });
    afterAll(async () => {
      await target?.close();
    });

    it("answers a hello world", async () => {
      const res = await get("/hello");
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("text/plain; charset=utf-8");
      // The CGI header block's Status line is for the front server, never a client header.
      expect(res.headers.has("status")).toBe(false);
      expect(await res.text()).toBe("Hello, world!\n");
    });

    it("passes SCRIPT_NAME, PATH_INFO, QUERY_STRING and headers, without HTTP_PROXY", async () => {
      const res = await get("/environ/x%20y?a=1&b=%20c", {
        headers: { "X-Conformance": "yes", Proxy: "http://attacker.invalid:3128" },
      });
      expect(res.status).toBe(200);
      const environ = (await res.json()) as Record<string, unknown>;
      expect(environ.REQUEST_METHOD).toBe("GET");
      expect(environ.SCRIPT_NAME).toBe(target.scriptName);
      expect(environ.PATH_INFO).toBe("/environ/x y");
      expect(environ.QUERY_STRING).toBe("a=1&b=%20c");
      expect(environ.HTTP_X_CONFORMANCE).toBe("yes");
      expect(environ).not.toHaveProperty("HTTP_PROXY");
      expect(environ).not.toHaveProperty("HTTP_CONTENT_TYPE");
      expect(environ.CONTENT_TYPE).not.toBe("");
      expect(environ.CONTENT_LENGTH).not.toBe("");
      expect(environ.SERVER_PROTOCOL).toMatch(/^HTTP\/1\.[01]$/);
      expect(typeof environ.SERVER_NAME).toBe("string");
      expect(environ.SERVER_PORT).toMatch(/^\d+$/);
      expect(environ["wsgi.version"]).toEqual([1, 0]);
      expect(environ["wsgi.url_scheme"]).toBe("http");
      for (const key of ["wsgi.multithread", "wsgi.multiprocess", "wsgi.run_once"]) {
        expect(typeof environ[key]).toBe("boolean");
      }
    });

    it("decodes a non-ASCII path as UTF-8, as Node decodes process.env under CGI", async () => {
      const res = await get("/environ/caf%C3%A9");
      expect(((await res.json()) as { PATH_INFO: string }).PATH_INFO).toBe("/environ/café");
    });

    it("gives the request body to wsgi.input, byte for byte", async () => {
      const body = patternBytes(100_000);
      const res = await get("/echo", {
        method: "POST",
        headers: { "Content-Type": "application/x-test" },
        body,
      });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("application/x-test");
      expect(res.headers.get("x-content-length")).toBe(String(body.length));
      expect(Buffer.from(await res.arrayBuffer()).equals(body)).toBe(true);
    });

    it("reads a form post line by line", async () => {
      const res = await get("/lines", { method: "POST", body: "one\ntwo\nthree" });
      expect(await res.text()).toBe('first="one\\n" rest=2\n');
    });

    it.each([404, 418, 503])("sends status %i", async (code) => {
      const res = await get(`/status/${code}`);
      expect(res.status).toBe(code);
      expect(res.headers.has("status")).toBe(false);
      await res.arrayBuffer();
    });

    it("keeps repeated headers", async () => {
      const res = await get("/cookies");
      expect(res.headers.getSetCookie()).toEqual(["a=1; Path=/", "b=2; Path=/"]);
      expect(res.headers.get("x-multi")).toBe("one");
      await res.arrayBuffer();
    });

    it("sends a redirect with its Location", async () => {
      const res = await get("/redirect");
      expect(res.status).toBe(302);
      expect(res.headers.get("location")).toBe("http://example.org/elsewhere");
      await res.arrayBuffer();
    });

    it("sends binary bodies unchanged", async () => {
      const res = await get("/binary");
      const bytes = Buffer.from(await res.arrayBuffer());
      expect(bytes.length).toBe(512);
      for (let i = 0; i < 512; i++) expect(bytes[i]).toBe(i % 256);
    });

    it("sends a 1 MiB body intact", async () => {
      const res = await get("/large");
      expect(Buffer.from(await res.arrayBuffer()).equals(patternBytes(1024 * 1024))).toBe(true);
    });

    it("streams an async body", async () => {
      const res = await get("/stream");
      expect(await res.text()).toBe([0, 1, 2, 3, 4].map((i) => `chunk ${i}\n`).join(""));
    });

    if (options.timing) {
      it("passes each streamed chunk on as the application yields it", () =>
        expectDripStreamed(target.baseUrl));
    }

    it("supports the legacy write() path", async () => {
      expect(await (await get("/write")).text()).toBe("written,returned\n");
    });

    it("never sends more than Content-Length", async () => {
      expect(await (await get("/content-length")).text()).toBe("12345");
    });

    it("sends an empty 204", async () => {
      const res = await get("/empty-204");
      expect(res.status).toBe(204);
      expect((await res.arrayBuffer()).byteLength).toBe(0);
    });

    it("sends UTF-8 text", async () => {
      expect(await (await get("/unicode")).text()).toBe("héllo wörld ✓ 日本\n");
    });

    it("answers HEAD with headers and no body", async () => {
      const res = await get("/hello", { method: "HEAD" });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("text/plain; charset=utf-8");
      expect((await res.arrayBuffer()).byteLength).toBe(0);
    });

    it("answers a request that writes to wsgi.errors, and keeps serving", async () => {
      expect(await (await get("/errors-stream")).text()).toBe("logged\n");
      expect((await get("/hello")).status).toBe(200);
    });

    it("answers 500 for a bad header and never sends it", async () => {
      const res = await get("/bad-header");
      expect(res.status).toBe(500);
      expect(res.headers.getSetCookie()).toEqual([]);
      expect(await res.text()).not.toContain("never sent");
    });

    it("answers 500 without a traceback for an error before headers", async () => {
      const res = await get("/error-before");
      expect(res.status).toBe(500);
      expect(await res.text()).not.toContain("conformance: failure");
    });

    it("breaks off a response that fails after its headers, and keeps serving", async () => {
      const outcome = await get("/error-after").then(
        async (res) => ({ status: res.status, text: await res.text().catch(() => "(cut)") }),
        () => ({ status: 0, text: "(cut)" }),
      );
      expect([0, 200, 502]).toContain(outcome.status);
      if (outcome.status === 200) expect(outcome.text).not.toMatch(/failure after headers/);
      expect((await get("/hello")).status).toBe(200);
    });

    it("serves 20 concurrent requests", async () => {
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) => get(`/environ/${i}`).then((r) => r.json())),
      );
      answers.forEach((environ, i) =>
        expect((environ as { PATH_INFO: string }).PATH_INFO).toBe(`/environ/${i}`),
      );
    });
  });
}

/**
 * The conformance application: one route per rule of the contract, so the shared suite can
 * check each gateway and front server end to end. Routes dispatch on the last PATH_INFO
 * segment set, so any mount prefix works.
 */
import type { Application, Chunk, Environ, StartResponse } from "../../src/index.js";

const text = (start: StartResponse, status = "200 OK") =>
  start(status, [["Content-Type", "text/plain; charset=utf-8"]]);

/** 64 KiB of a repeating byte pattern, so truncation or reordering shows. */
export function patternBytes(size: number): Buffer {
  const out = Buffer.allocUnsafe(size);
  for (let i = 0; i < size; i++) out[i] = (i * 7 + (i >> 8)) & 0xff;
  return out;
}

/**
 * `/drip`: small chunks (progress lines are) yielded `gapMs` apart. A front server that holds
 * output until a buffer fills (Caddy's default, mod_fcgid's 64 KiB, an AJP client that never
 * sees a flush packet) delivers them all at the end.
 */
export const DRIP = { chunks: 4, gapMs: 300, size: 64 } as const;

/** Chunk `i` of `/drip`: its number, padded with dots to {@link DRIP}`.size`. */
export function dripChunk(i: number): string {
  return `drip ${i}\n`.padEnd(DRIP.size - 1, ".") + "\n";
}

const routes: Record<string, Application> = {
  hello: (_e, start) => {
    text(start);
    return ["Hello, world!\n"];
  },
  environ: (environ, start) => {
    start("200 OK", [["Content-Type", "application/json"]]);
    const picked: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(environ)) {
      if (key === "wsgi.input" || key === "wsgi.errors") continue;
      picked[key] = value;
    }
    return [JSON.stringify(picked)];
  },
  echo: (environ, start) => {
    const body = environ["wsgi.input"].read();
    start("200 OK", [
      ["Content-Type", environ.CONTENT_TYPE ?? "application/octet-stream"],
      ["X-Content-Length", environ.CONTENT_LENGTH ?? "none"],
      ["Content-Length", String(body.length)],
    ]);
    return [body];
  },
  lines: (environ, start) => {
    const input = environ["wsgi.input"];
    const first = input.readline().toString();
    const rest = input.readlines();
    text(start);
    return [`first=${JSON.stringify(first)} rest=${rest.length}\n`];
  },
  status: (environ, start) => {
    const code = environ.PATH_INFO.split("/").pop() ?? "200";
    text(start, `${code} Custom Reason`);
    return [`status ${code}\n`];
  },
  cookies: (_e, start) => {
    start("200 OK", [
      ["Content-Type", "text/plain"],
      ["Set-Cookie", "a=1; Path=/"],
      ["Set-Cookie", "b=2; Path=/"],
      ["X-Multi", "one"],
    ]);
    return ["cookies\n"];
  },
  redirect: (_e, start) => {
    start("302 Found", [
      ["Location", "http://example.org/elsewhere"],
      ["Content-Type", "text/plain"],
    ]);
    return ["moved\n"];
  },
  binary: (_e, start) => {
    const all = Buffer.alloc(256);
    for (let i = 0; i < 256; i++) all[i] = i;
    start("200 OK", [["Content-Type", "application/octet-stream"]]);
    return [all, all];
  },
  large: (_e, start) => {
    const size = 1024 * 1024;
    start("200 OK", [
      ["Content-Type", "application/octet-stream"],
      ["Content-Length", String(size)],
    ]);
    return (function* () {
      const block = patternBytes(size);
      for (let at = 0; at < size; at += 65536) yield block.subarray(at, at + 65536);
    })();
  },
  stream: (_e, start) => {
    text(start);
    return (async function* (): AsyncGenerator<Chunk> {
      for (let i = 0; i < 5; i++) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        yield `chunk ${i}\n`;
      }
    })();
  },
  drip: (_e, start) => {
    text(start);
    return (async function* (): AsyncGenerator<Chunk> {
      for (let i = 0; i < DRIP.chunks; i++) {
        if (i > 0) await new Promise((resolve) => setTimeout(resolve, DRIP.gapMs));
        yield dripChunk(i);
      }
    })();
  },
  write: (_e, start) => {
    const write = text(start);
    write("written,");
    return ["returned\n"];
  },
  "content-length": (_e, start) => {
    start("200 OK", [
      ["Content-Type", "text/plain"],
      ["Content-Length", "5"],
    ]);
    return ["12345", "67890"];
  },
  "empty-204": (_e, start) => {
    start("204 No Content", []);
    return [];
  },
  unicode: (_e, start) => {
    text(start);
    return ["héllo wörld ✓ 日本\n"];
  },
  "errors-stream": (environ, start) => {
    environ["wsgi.errors"].write("conformance: a line for the error log\n");
    text(start);
    return ["logged\n"];
  },
  "bad-header": (_e, start) => {
    start("200 OK", [["X-Evil", "a\r\nSet-Cookie: injected=1"]]);
    return ["never sent\n"];
  },
  "error-before": () => {
    throw new Error("conformance: failure before start_response");
  },
  "error-after": (_e, start) => {
    text(start);
    return (function* () {
      yield "partial\n";
      throw new Error("conformance: failure after headers");
    })();
  },
};

/** Dispatches on the first PATH_INFO segment (`/echo`, `/status/404`, ...). */
export const application: Application = (environ: Environ, start) => {
  const name = environ.PATH_INFO.split("/")[1] ?? "";
  const route = routes[name];
  if (!route) {
    text(start, "404 Not Found");
    return [`no route ${JSON.stringify(environ.PATH_INFO)}\n`];
  }
  return route(environ, start);
};

import { request } from "node:http";

/** Status, headers and body of a response read by {@link rawRequest}. */
export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** Method, headers and an optional body sent in pieces (chunked unless a length is set). */
export interface RawRequestOptions {
  method?: string;
  headers?: Record<string, string>;
  /** Written one piece at a time, `gapMs` apart, so the server sees a streamed body. */
  bodyParts?: Array<string | Buffer>;
  /** Pause between body pieces (default 50 ms). */
  gapMs?: number;
}

/**
 * Sends a request with the path exactly as given. `fetch` resolves `..` and some escapes
 * on the client side, which hides what the server does with them, and cannot send a chunked
 * body from a plain buffer.
 *
 * @example
 * const res = await rawRequest(server.baseUrl, "/cgi-bin/env.sh/a/../b");
 */
export function rawRequest(
  baseUrl: string,
  path: string,
  options: RawRequestOptions = {},
): Promise<RawResponse> {
  const url = new URL(baseUrl);
  const parts = options.bodyParts ?? [];
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path,
        method: options.method,
        headers: options.headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
          }),
        );
        res.on("error", reject);
      },
    );
    req.setTimeout(10_000, () => req.destroy(new Error(`no answer for ${path} within 10 s`)));
    req.on("error", reject);
    const next = (i: number): void => {
      if (i >= parts.length) return void req.end();
      req.write(parts[i]!);
      setTimeout(() => next(i + 1), options.gapMs ?? 50);
    };
    next(0);
  });
}

/**
 * A POST with a chunked body ("hello world" in two pieces) and an httpoxy `Proxy:` header:
 * what each front server then passes on differs (see README.md).
 *
 * @example
 * const res = await rawRequest(server.baseUrl, "/app/x", CHUNKED_WITH_PROXY);
 */
export const CHUNKED_WITH_PROXY: RawRequestOptions = {
  method: "POST",
  headers: { "Transfer-Encoding": "chunked", Proxy: "http://attacker.invalid:3128" },
  bodyParts: ["hello ", "world"],
};

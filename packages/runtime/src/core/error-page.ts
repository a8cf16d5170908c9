import type { Headers } from "../types.js";

/** A response the gateway makes itself (errors, limits, overload). */
export interface GatewayResponse {
  status: string;
  headers: Headers;
  body: Buffer;
}

/**
 * A plain-text response for a gateway-made status such as 413, 500 or 503. The detail (a
 * stack, say) is included only when given, which callers do in debug mode only.
 *
 * @example
 * const page = errorPage("413 Content Too Large");
 * sink.sendHeaders(page.status, page.headers);
 */
export function errorPage(status: string, detail?: string): GatewayResponse {
  const reason = status.slice(4);
  const body = Buffer.from(detail ? `${reason}\n\n${detail}\n` : `${reason}\n`);
  return {
    status,
    headers: [
      ["Content-Type", "text/plain; charset=utf-8"],
      ["Content-Length", String(body.length)],
    ],
    body,
  };
}

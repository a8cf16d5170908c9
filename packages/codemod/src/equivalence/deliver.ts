import type { CaseResponse } from "./types.js";

/**
 * What the client of a front server receives from a script's parsed output: no body for
 * HEAD, and never more than a declared Content-Length, the two rules the runtime applies
 * to an application's answer too.
 *
 * @example
 * deliver("HEAD", response).body.length; // 0
 */
export function deliver(method: string, response: CaseResponse): CaseResponse {
  if (method === "HEAD") return { ...response, body: Buffer.alloc(0) };
  const declared = response.headers.find(([name]) => name.toLowerCase() === "content-length");
  const limit = declared ? Number(declared[1]) : NaN;
  if (Number.isInteger(limit) && limit >= 0 && response.body.length > limit) {
    return { ...response, body: response.body.subarray(0, limit) };
  }
  return response;
}

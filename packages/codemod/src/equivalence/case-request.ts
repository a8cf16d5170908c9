import { basename } from "node:path";
import type { CaseRequest, MountOptions } from "./types.js";

/** A {@link CaseRequest} with every default applied and the body as bytes. */
export interface ResolvedRequest {
  name: string;
  method: string;
  scriptName: string;
  pathInfo: string;
  query: string;
  headers: Array<[string, string]>;
  body: Buffer;
}

/**
 * Applies the defaults of a fixture request: GET, no PATH_INFO, no query, a `Host:
 * localhost` header (as the runtime's test client adds), the body decoded to bytes.
 *
 * @example
 * resolveRequest({ method: "POST", body: { base64: "AAE=" } }, "cgi-bin/upload.cjs").body; // <00 01>
 */
export function resolveRequest(
  request: CaseRequest,
  scriptPath: string,
  options: MountOptions = {},
): ResolvedRequest {
  const method = request.method ?? "GET";
  const pathInfo = request.path ?? "";
  const query = request.query ?? "";
  const headers = Object.entries(request.headers ?? {});
  if (!headers.some(([name]) => name.toLowerCase() === "host")) headers.push(["Host", "localhost"]);
  const body =
    typeof request.body === "object"
      ? Buffer.from(request.body.base64, "base64")
      : Buffer.from(request.body ?? "", "utf8");
  return {
    name: request.name ?? `${method} ${pathInfo || "/"}${query ? `?${query}` : ""}`,
    method,
    scriptName: options.scriptName ?? `/cgi-bin/${basename(scriptPath)}`,
    pathInfo,
    query,
    headers,
    body,
  };
}

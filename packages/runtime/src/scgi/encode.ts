/**
 * Encodes an SCGI request as a front server sends it: a netstring of NUL-separated header
 * pairs with CONTENT_LENGTH first and SCGI=1, then the body. Useful to talk to an SCGI
 * gateway directly, from tests or tools.
 *
 * @example
 * const bytes = encodeScgiRequest({ REQUEST_METHOD: "POST", PATH_INFO: "/form" }, "a=1");
 * socket.end(bytes);
 */
export function encodeScgiRequest(
  meta: Record<string, string>,
  body: Uint8Array | string = new Uint8Array(0),
): Buffer {
  const payload = typeof body === "string" ? Buffer.from(body) : Buffer.from(body);
  const pairs: string[] = ["CONTENT_LENGTH", String(payload.length), "SCGI", "1"];
  for (const [name, value] of Object.entries(meta)) {
    if (name === "CONTENT_LENGTH" || name === "SCGI") continue;
    pairs.push(name, value);
  }
  const header = Buffer.from(pairs.join("\0") + "\0", "latin1");
  return Buffer.concat([Buffer.from(`${header.length}:`), header, Buffer.from(","), payload]);
}

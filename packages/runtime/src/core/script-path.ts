import type { CgiMeta } from "./environ.js";

/**
 * Decodes the percent-escapes of a URL path into bytes, returned as a latin1 string: the
 * byte-for-byte form front servers use for PATH_INFO and that PEP 3333 carries in native
 * strings. Malformed escapes stay as they are, as nginx and Apache leave them.
 *
 * @example
 * decodePath("/a%20b/%C3%A9"); // "/a b/\u00c3\u00a9" (the two UTF-8 bytes of "é")
 */
export function decodePath(raw: string): string {
  if (!raw.includes("%")) return raw;
  const bytes = Buffer.from(raw, "latin1");
  const out = Buffer.allocUnsafe(bytes.length);
  let n = 0;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    if (byte === 0x25 && i + 2 < bytes.length && isHex(bytes[i + 1]!) && isHex(bytes[i + 2]!)) {
      out[n++] = Number.parseInt(raw.slice(i + 1, i + 3), 16);
      i += 2;
    } else {
      out[n++] = byte;
    }
  }
  return out.toString("latin1", 0, n);
}

function isHex(byte: number): boolean {
  return (byte >= 0x30 && byte <= 0x39) || ((byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x66);
}

/**
 * Sets SCRIPT_NAME and PATH_INFO from what a front server sent. Front servers differ: nginx
 * sends what its config says (Debian's stock scgi_params sends neither), lighttpd and Apache
 * put the whole path in one of them. With a `mount` prefix the path is split there; without
 * one, a request that carries neither variable gets its decoded path as PATH_INFO. A path
 * outside the mount is left as sent.
 *
 * @example
 * applyMount({ REQUEST_URI: "/app/x?q=1" }, "/app"); // SCRIPT_NAME "/app", PATH_INFO "/x"
 */
export function applyMount(meta: CgiMeta, mount: string | undefined): CgiMeta {
  const sent = meta.SCRIPT_NAME !== undefined || meta.PATH_INFO !== undefined;
  if (sent && mount === undefined) return meta;
  const path = sent ? (meta.SCRIPT_NAME ?? "") + (meta.PATH_INFO ?? "") : requestPath(meta);
  const prefix = mount === undefined || mount === "/" ? "" : mount.replace(/\/+$/, "");
  if (path !== prefix && !path.startsWith(prefix + "/")) return meta;
  meta.SCRIPT_NAME = prefix;
  meta.PATH_INFO = path.slice(prefix.length);
  return meta;
}

function requestPath(meta: CgiMeta): string {
  if (meta.DOCUMENT_URI !== undefined) return meta.DOCUMENT_URI;
  const uri = meta.REQUEST_URI ?? "";
  const q = uri.indexOf("?");
  return decodePath(q < 0 ? uri : uri.slice(0, q));
}

// Enough to recognise a protocol mismatch without flooding the log.
const SHOWN = 32;

/**
 * Shows raw bytes readably in an error message: printable ASCII as is, the rest escaped.
 *
 * @example
 * showBytes(Buffer.from("12:CONTENT\0")); // '"12:CONTENT\\x00"'
 */
export function showBytes(bytes: Uint8Array): string {
  let text = "";
  for (const byte of bytes.subarray(0, SHOWN)) {
    if (byte >= 0x20 && byte < 0x7f && byte !== 0x22 && byte !== 0x5c) {
      text += String.fromCharCode(byte);
    } else {
      text += "\\x" + byte.toString(16).padStart(2, "0");
    }
  }
  return `"${text}"${bytes.length > SHOWN ? "..." : ""}`;
}

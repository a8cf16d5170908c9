import type { WsgiErrors } from "../types.js";

/**
 * Builds `wsgi.errors` over a gateway's error sink (stderr, FCGI_STDERR, the server log).
 *
 * @example
 * const errors = createErrorStream((text) => process.stderr.write(text));
 * errors.write("something odd\n");
 */
export function createErrorStream(write: (text: string) => void): WsgiErrors {
  const decoder = new TextDecoder();
  const put = (text: string | Uint8Array): void => {
    write(typeof text === "string" ? text : decoder.decode(text));
  };
  return {
    write: put,
    writelines(lines) {
      for (const line of lines) put(line);
    },
    flush() {},
  };
}

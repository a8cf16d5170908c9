import type { WsgiErrors } from "../types.js";

/**
 * Builds `wsgi.errors` over a gateway's error sink (stderr, FCGI_STDERR, the server log).
 *
 * @example
 * const errors = createErrorStream((text) => process.stderr.write(text));
 * errors.write("something odd\n");
 */
export function createErrorStream(write: (text: string) => void): WsgiErrors {
  // Made on the first bytes written: a TextDecoder costs more than the rest of this stream,
  // and most requests write nothing or only strings.
  let decoder: InstanceType<typeof TextDecoder> | undefined;
  const put = (text: string | Uint8Array): void => {
    write(typeof text === "string" ? text : (decoder ??= new TextDecoder()).decode(text));
  };
  return {
    write: put,
    writelines(lines) {
      for (const line of lines) put(line);
    },
    flush() {},
  };
}

import type { Environ } from "../types.js";

/**
 * `fs.read(0, buffer, offset, length, position, callback)` of a CGI script, reading the
 * request body instead of the server's own stdin: copies up to `length` bytes of
 * `wsgi.input` into `buffer` at `offset` and calls back on a later turn, as the read did,
 * with `(null, bytesRead, buffer)`; 0 bytes at the end of the body. `position` is ignored,
 * as it is on a pipe.
 *
 * @example
 * cgiRead(environ, chunk, 0, chunk.length, null, (error, n) => handle(chunk.subarray(0, n)));
 */
export function cgiRead(
  environ: Environ,
  buffer: Uint8Array,
  offset: number,
  length: number,
  _position: unknown,
  callback: (error: Error | null, bytesRead: number, buffer: Uint8Array) => void,
): void {
  let read = 0;
  let failure: Error | null = null;
  try {
    read = environ["wsgi.input"].read(length).copy(buffer, offset);
  } catch (error) {
    failure = error as Error;
  }
  setImmediate(() => callback(failure, read, buffer));
}

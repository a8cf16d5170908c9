import { Readable, Writable } from "node:stream";
import type { WsgiErrors, WsgiInput } from "../types.js";

/**
 * A `process.stdout` stand-in: every byte written goes to `sink` in order (strings in the
 * given encoding, as the real stdout encodes them). The sink calls `done` when it wants
 * more: at once, or later to hold the writer back. Until then further writes wait in the
 * stream, `write()` returns false past 64 KiB and `pipe()` pauses its source, as a CGI
 * process blocks on a full pipe instead of buffering a whole response.
 *
 * @example
 * const stdout = outputStream((bytes, done) => { chunks.push(bytes); done(); });
 * stdout.write("48656c6c6f", "hex");
 */
export function outputStream(sink: (bytes: Buffer, done: () => void) => void): Writable {
  return new Writable({
    highWaterMark: 64 * 1024,
    write(chunk: Buffer, _encoding, callback) {
      sink(chunk, () => callback());
    },
  });
}

/**
 * A `process.stderr` stand-in that writes to `wsgi.errors`.
 *
 * @example
 * const stderr = errorStream(environ["wsgi.errors"]);
 * stderr.write("warning\n");
 */
export function errorStream(errors: WsgiErrors): Writable {
  return outputStream((bytes, done) => {
    errors.write(bytes);
    done();
  });
}

/**
 * A `process.stdin` stand-in over `wsgi.input`: it supports what scripts did with the real
 * one (`data`/`end`/`readable` events with `read()`, `setEncoding`, `for await`, readline,
 * `pipe`) and ends where the request body ends.
 *
 * @example
 * const stdin = inputStream(environ["wsgi.input"]);
 * for await (const chunk of stdin) chunks.push(chunk);
 */
export function inputStream(input: WsgiInput): Readable {
  return new Readable({
    read(size) {
      const want = Math.max(size, 65536);
      const bytes = input.read(want);
      if (bytes.length > 0) this.push(bytes);
      // wsgi.input gives fewer bytes than asked only at its end: the end goes with the last
      // bytes, which spares the stream a read and its ticks.
      if (bytes.length < want) this.push(null);
    },
  });
}

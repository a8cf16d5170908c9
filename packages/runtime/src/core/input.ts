import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { WsgiInput } from "../types.js";
import { RequestTooLargeError } from "./errors.js";

const NEWLINE = 0x0a;
const SCAN = 8192;

/** The shared read logic of `wsgi.input` over any random-access byte store. */
abstract class BodyInput implements WsgiInput {
  protected position = 0;
  constructor(readonly length: number) {}

  /** Bytes `[start, end)` of the body; `end` never passes `length`. */
  protected abstract slice(start: number, end: number): Buffer;

  read(size?: number): Buffer {
    const left = this.length - this.position;
    const n = size === undefined || size < 0 ? left : Math.min(size, left);
    const out = this.slice(this.position, this.position + n);
    this.position += n;
    return out;
  }

  readline(size?: number): Buffer {
    const limit =
      size === undefined || size < 0 ? this.length : Math.min(this.length, this.position + size);
    let end = this.position;
    while (end < limit) {
      const block = this.slice(end, Math.min(end + SCAN, limit));
      const at = block.indexOf(NEWLINE);
      if (at >= 0) {
        end += at + 1;
        return this.read(end - this.position);
      }
      end += block.length;
    }
    return this.read(end - this.position);
  }

  readlines(hint?: number): Buffer[] {
    const lines: Buffer[] = [];
    let total = 0;
    for (let line = this.readline(); line.length > 0; line = this.readline()) {
      lines.push(line);
      total += line.length;
      if (hint !== undefined && hint > 0 && total >= hint) break;
    }
    return lines;
  }

  *[Symbol.iterator](): Iterator<Buffer> {
    for (let line = this.readline(); line.length > 0; line = this.readline()) yield line;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Buffer> {
    for (const line of this) yield line;
  }
}

class MemoryInput extends BodyInput {
  constructor(private readonly bytes: Buffer) {
    super(bytes.length);
  }
  protected slice(start: number, end: number): Buffer {
    return this.bytes.subarray(start, end);
  }
}

class FileInput extends BodyInput {
  constructor(
    private readonly fd: number,
    length: number,
  ) {
    super(length);
  }
  protected slice(start: number, end: number): Buffer {
    const out = Buffer.allocUnsafe(end - start);
    let done = 0;
    while (done < out.length) {
      const n = readSync(this.fd, out, done, out.length - done, start + done);
      if (n === 0) break;
      done += n;
    }
    return done === out.length ? out : out.subarray(0, done);
  }
}

/**
 * `wsgi.input` over a body already in memory.
 *
 * @example
 * const input = inputFromBuffer(Buffer.from("a=1&b=2"));
 * input.read(3); // <Buffer 61 3d 31>
 */
export function inputFromBuffer(bytes: Uint8Array): WsgiInput {
  return new MemoryInput(Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes));
}

/** Limits for collecting a request body. */
export interface BodyLimits {
  /** Larger bodies are refused with {@link RequestTooLargeError} (413). Default: 64 MiB. */
  maxBody?: number;
  /** Larger bodies are spilled to a temporary file. Default: 1 MiB. */
  memoryThreshold?: number;
}

/** Default request body limit: 64 MiB. */
export const DEFAULT_MAX_BODY = 64 * 1024 * 1024;
const DEFAULT_MEMORY_THRESHOLD = 1024 * 1024;

/**
 * Gathers a request body as it arrives, in memory up to a threshold and in an unlinked
 * temporary file beyond it, so the application's reads never wait on the network.
 *
 * @example
 * const collector = new BodyCollector({ maxBody: 1e6 });
 * socket.on("data", (chunk) => collector.push(chunk));
 * socket.on("end", () => { const input = collector.finish(); ...; collector.dispose(); });
 */
export class BodyCollector {
  /** The largest body accepted, in bytes. */
  readonly maxBody: number;
  private readonly threshold: number;
  private chunks: Buffer[] = [];
  private size = 0;
  private fd = -1;

  constructor(limits: BodyLimits = {}) {
    this.maxBody = limits.maxBody ?? DEFAULT_MAX_BODY;
    this.threshold = limits.memoryThreshold ?? DEFAULT_MEMORY_THRESHOLD;
  }

  /** Bytes received so far. */
  get received(): number {
    return this.size;
  }

  /** Throws {@link RequestTooLargeError} as soon as the body passes the limit. */
  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    if (this.size + chunk.length > this.maxBody) throw new RequestTooLargeError(this.maxBody);
    this.size += chunk.length;
    if (this.fd >= 0) {
      writeAll(this.fd, chunk);
      return;
    }
    this.chunks.push(Buffer.from(chunk));
    if (this.size > this.threshold) this.spill();
  }

  /** The body as `wsgi.input`. */
  finish(): WsgiInput {
    if (this.fd >= 0) return new FileInput(this.fd, this.size);
    const bytes = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    this.chunks = [];
    return new MemoryInput(bytes);
  }

  /** Releases the temporary file, if any. Call once the response is done. */
  dispose(): void {
    this.chunks = [];
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }

  private spill(): void {
    // The file is unlinked at once: it lives exactly as long as the descriptor, so a
    // crash or a forgotten dispose() never leaves request bodies on disk.
    const dir = mkdtempSync(join(tmpdir(), "cgi2wsgi-body-"));
    const path = join(dir, "body");
    this.fd = openSync(path, "w+", 0o600);
    rmSync(dir, { recursive: true });
    for (const chunk of this.chunks) writeAll(this.fd, chunk);
    this.chunks = [];
  }
}

function writeAll(fd: number, chunk: Uint8Array): void {
  let done = 0;
  while (done < chunk.length) done += writeSync(fd, chunk, done);
}

import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { buildEnviron } from "../core/environ.js";
import { createErrorStream } from "../core/errors-stream.js";
import { inputFromBuffer } from "../core/input.js";
import { request } from "../test-client/request.js";
import type { Application, Environ } from "../types.js";
import { cgiProcess, type CgiProcessBody } from "./cgi-process.js";

const MiB = 1024 * 1024;
const app =
  (body: CgiProcessBody): Application =>
  (environ, start_response) =>
    cgiProcess(environ, start_response, body);

/**
 * A source of `total` bytes in 64 KiB chunks, chunk n filled with n mod 251, that counts
 * what was read from it.
 */
function counted(total: number): { stream: Readable; read: () => number } {
  let produced = 0;
  const stream = new Readable({
    read() {
      if (produced >= total) return void this.push(null);
      const size = Math.min(64 * 1024, total - produced);
      const chunk = Buffer.alloc(size, (produced / (64 * 1024)) % 251);
      produced += size;
      this.push(chunk);
    },
  });
  return { stream, read: () => produced };
}

function environ(): Environ {
  return buildEnviron(
    { REQUEST_METHOD: "GET" },
    {
      input: inputFromBuffer(Buffer.alloc(0)),
      errors: createErrorStream(() => {}),
      multithread: true,
      multiprocess: false,
      runOnce: false,
    },
  );
}

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("cgiProcess output backpressure", () => {
  it("reads a piped source only as fast as the client takes the response", async () => {
    const source = counted(32 * MiB);
    const body = (await app(({ stdout }) => {
      stdout.write("Content-Type: application/octet-stream\n\n");
      source.stream.pipe(stdout);
    })(environ(), () => () => {})) as AsyncIterable<Buffer>;
    const chunks = body[Symbol.asyncIterator]();
    let taken = (await chunks.next()).value!.length;
    // A client that stops reading after the first chunk: the script must not run ahead of
    // it by more than a pipe's worth or so (it used to read and hold all 32 MiB).
    await tick(100);
    expect(source.read()).toBeLessThan(MiB);
    let largest = 0;
    for (let step = await chunks.next(); !step.done; step = await chunks.next()) {
      taken += step.value.length;
      largest = Math.max(largest, step.value.length);
    }
    expect(largest).toBeLessThan(MiB);
    expect(taken).toBe(32 * MiB);
  });

  it("still sends everything, in order, through the test client", async () => {
    const source = counted(4 * MiB + 17);
    const res = await request(
      app(({ stdout }) => {
        stdout.write("Content-Type: application/octet-stream\n\n");
        source.stream.pipe(stdout);
      }),
    );
    expect(res.body.length).toBe(4 * MiB + 17);
    expect(res.body.every((byte, i) => byte === Math.floor(i / (64 * 1024)) % 251)).toBe(true);
  });

  it("sends every byte written before exit(), however much waited", async () => {
    const res = await request(
      app(({ stdout, exit }) => {
        stdout.write("Content-Type: text/plain\n\n");
        for (let i = 0; i < 40; i++) stdout.write(Buffer.alloc(64 * 1024, 97 + (i % 26)));
        stdout.write("end\n");
        exit(0);
      }),
    );
    expect(res.body.length).toBe(40 * 64 * 1024 + 4);
    expect(res.body.subarray(-4).toString()).toBe("end\n");
    expect(res.body[39 * 64 * 1024]).toBe(97 + (39 % 26));
  });

  it("sends a large write made from a timer, then ends when the script is done", async () => {
    const res = await request(
      app(({ stdout }) => {
        stdout.write("Content-Type: text/plain\n\n");
        setTimeout(() => {
          for (let i = 0; i < 20; i++) stdout.write(Buffer.alloc(100_000, 120));
          setTimeout(() => stdout.write("late\n"), 5);
        }, 1);
      }),
    );
    expect(res.body.length).toBe(2_000_000 + 5);
    expect(res.body.subarray(-5).toString()).toBe("late\n");
  });
});

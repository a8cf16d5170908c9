import { once } from "node:events";
import { createServer, connect, type Server, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { plainAnswer, StuckWatch } from "./stuck-watch.js";

const answer = plainAnswer(Buffer.from("head\r\n\r\n"), Buffer.from("body"));

let server: Server | undefined;
let watch: StuckWatch | undefined;
const sockets: Socket[] = [];
afterEach(() => {
  watch?.stop();
  for (const socket of sockets.splice(0)) socket.destroy();
  server?.close();
  server = watch = undefined;
});

/** A connected pair on loopback: the accepted side and the client. */
async function pair(): Promise<{ accepted: Socket; client: Socket }> {
  server ??= createServer().listen(0, "127.0.0.1");
  if (!server.listening) await once(server, "listening");
  const { port } = server.address() as { port: number };
  const accepted = once(server, "connection") as Promise<[Socket]>;
  const client = connect(port, "127.0.0.1");
  const [socket] = await accepted;
  sockets.push(socket, client);
  return { accepted: socket, client };
}

describe("StuckWatch (the loop beats, so its thread never acts here)", () => {
  it("arms a clean connection and disarms it once; a stale token disarms nothing", async () => {
    watch = StuckWatch.start(60_000, answer, 1);
    const { accepted } = await pair();
    const first = watch.arm(accepted, 0, false);
    expect(first).toBeGreaterThanOrEqual(0);
    // Capacity 1: a second request is simply not armed.
    expect(watch.arm(accepted, 1, false)).toBe(-1);
    expect(watch.disarm(first)).toBe(-1);
    const second = watch.arm(accepted, 0, true);
    expect(second).toBeGreaterThanOrEqual(0);
    expect(second).not.toBe(first);
    // The first request's late disarm must leave the second armed: the slot is still taken.
    watch.disarm(first);
    expect(watch.arm(accepted, 2, false)).toBe(-1);
    watch.disarm(second);
    expect(watch.arm(accepted, 2, false)).toBeGreaterThanOrEqual(0);
  });

  it("does not arm a connection with bytes still waiting in this process to be written", async () => {
    watch = StuckWatch.start(60_000, answer, 4);
    const { accepted, client } = await pair();
    client.pause();
    // More than the kernel's buffers take from a peer that does not read.
    while (accepted.write(Buffer.alloc(1024 * 1024)));
    expect(accepted.writableLength).toBeGreaterThan(0);
    expect(watch.arm(accepted, 0, false)).toBe(-1);
    expect(watch.arm(null, 0, false)).toBe(-1);
  });

  it("builds a HEAD answer without the body", () => {
    expect(Buffer.from(answer.full.bytes).toString()).toBe("head\r\n\r\nbody");
    expect(Buffer.from(answer.head.bytes).toString()).toBe("head\r\n\r\n");
  });
});

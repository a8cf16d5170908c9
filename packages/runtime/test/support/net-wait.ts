import { connect, createServer } from "node:net";

/**
 * A loopback TCP port that was free a moment ago: bound on port 0, read, closed. Another
 * process may still take it first, so starters retry on "address in use".
 *
 * @example
 * const port = await freePort();
 */
export function freePort(host = "127.0.0.1"): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * The port of a `HOST:PORT` listen address as the shared server reports it
 * (`RunningServer.address`); the last colon, so an IPv6 host works too.
 *
 * @example
 * listenPort("127.0.0.1:8080"); // 8080
 */
export function listenPort(address: string): number {
  return Number(address.slice(address.lastIndexOf(":") + 1));
}

/** Where something listens: a TCP address or a unix socket path. */
export type Address = { host: string; port: number } | { socket: string };

/**
 * Whether a connection to `address` succeeds now.
 *
 * @example
 * if (await accepts({ host: "127.0.0.1", port })) console.log("up");
 */
export function accepts(address: Address): Promise<boolean> {
  return new Promise((resolve) => {
    const socket =
      "socket" in address ? connect(address.socket) : connect(address.port, address.host);
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** Thrown when a server did not accept connections in time. */
export class NotListeningError extends Error {
  readonly code = "ERR_NOT_LISTENING";
  constructor(what: string, detail: string) {
    super(`${what} did not start listening; its log says:\n${detail}`);
  }
}

/**
 * Polls until `address` accepts a connection, giving up early when `alive()` turns false.
 *
 * @example
 * await waitForListening({ host: "127.0.0.1", port }, () => proc.running(), 10_000);
 */
export async function waitForListening(
  address: Address,
  alive: () => boolean,
  timeoutMs = 10_000,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await accepts(address)) return true;
    if (!alive()) return false;
    await new Promise((r) => setTimeout(r, 25));
  }
  return false;
}

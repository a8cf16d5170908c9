import { once } from "node:events";
import { createServer, type AddressInfo, type Server, type Socket } from "node:net";
import { ConcurrencyLimiter } from "../../src/server/limiter.js";
import type { ServerContext } from "../../src/server/types.js";
import type { Application } from "../../src/types.js";

/** A server context as the shared server would give it, with the log kept for assertions. */
export interface TestContext extends ServerContext {
  readonly logs: string[];
  readonly finished: number;
}

/**
 * Builds a {@link ServerContext} for handler tests.
 *
 * @example
 * const context = testContext(application, { maxBody: 1000 });
 */
export function testContext(
  app: Application,
  options: {
    maxBody?: number;
    maxConcurrency?: number;
    maxQueue?: number;
    headerTimeout?: number;
    bodyTimeout?: number;
  } = {},
): TestContext {
  const logs: string[] = [];
  let finished = 0;
  return {
    app,
    maxBody: options.maxBody,
    memoryThreshold: undefined,
    debug: false,
    headerTimeout: options.headerTimeout ?? 60_000,
    bodyTimeout: options.bodyTimeout ?? 60_000,
    idleTimeout: 60_000,
    multiprocess: false,
    limiter: new ConcurrencyLimiter(options),
    log: (text) => void logs.push(text),
    requestFinished: () => void finished++,
    logs,
    get finished() {
      return finished;
    },
  };
}

/** A listening TCP server on a free loopback port. */
export interface Listening {
  port: number;
  close(): Promise<void>;
}

/**
 * Listens on a free loopback port with a per-connection handler, half-open sockets allowed.
 *
 * @example
 * const server = await listen((socket) => handleScgiConnection(socket, context));
 */
export async function listen(onConnection: (socket: Socket) => void): Promise<Listening> {
  const sockets = new Set<Socket>();
  const server: Server = createServer({ allowHalfOpen: true }, (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    onConnection(socket);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    port: (server.address() as AddressInfo).port,
    async close() {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, "close");
    },
  };
}

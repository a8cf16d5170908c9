import { once } from "node:events";
import { createServer, type Server, type Socket } from "node:net";
import type { Address } from "./net-wait.js";

/** A running echo peer; `close()` stops it and drops its connections. */
export interface EchoPeer {
  address: Address;
  close(): Promise<void>;
}

/**
 * Listens on a loopback port (or `socketPath`) and hands each connection to `handle`.
 *
 * @example
 * const peer = await listenPeer((socket) => socket.end("bye"));
 */
export async function listenPeer(
  handle: (socket: Socket) => void,
  socketPath?: string,
): Promise<EchoPeer> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    handle(socket);
  });
  if (socketPath) server.listen(socketPath);
  else server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const info = server.address();
  const address: Address =
    typeof info === "object" && info
      ? { host: "127.0.0.1", port: info.port }
      : { socket: socketPath ?? String(info) };
  return {
    address,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, "close");
    },
  };
}

import { ScgiParser } from "../../src/scgi/parser.js";
import { listenPeer, type EchoPeer } from "./echo-peer.js";

/** What the SCGI echo peer answers: the headers it received and the body length. */
export interface ScgiEcho {
  headers: Array<[string, string]>;
  bodyLength: number;
}

/**
 * A minimal SCGI responder for proving front-server configs: it answers every request with
 * a JSON {@link ScgiEcho} of exactly what the front server sent.
 *
 * @example
 * const peer = await startScgiEcho();
 * const nginx = await startNginx({ upstream: { kind: "scgi", backend: peer.address } });
 */
export function startScgiEcho(socketPath?: string): Promise<EchoPeer> {
  return listenPeer((socket) => {
    const echo: ScgiEcho = { headers: [], bodyLength: 0 };
    const parser = new ScgiParser({
      onHead: (headers) => (echo.headers = headers),
      onBody: (chunk) => (echo.bodyLength += chunk.length),
      onComplete: () => {
        const head = "Status: 200 OK\r\nContent-Type: application/json\r\n\r\n";
        socket.end(head + JSON.stringify(echo));
      },
    });
    socket.on("data", (chunk: Buffer) => {
      try {
        parser.execute(chunk);
      } catch {
        socket.destroy();
      }
    });
  }, socketPath);
}

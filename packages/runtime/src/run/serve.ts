import { ajp13 } from "../ajp13/protocol.js";
import { fastcgi } from "../fastcgi/protocol.js";
import { httpProtocol } from "../http/protocol.js";
import { scgi } from "../scgi/protocol.js";
import { startServer, type RunningServer, type StartOptions } from "../server/start.js";
import type { Protocol } from "../server/types.js";
import type { Application } from "../types.js";

/** The socket protocols by name, each given the mount prefix where it has one. */
export const SOCKET_PROTOCOLS: Record<string, (mount: string | undefined) => Protocol> = {
  http: (mount) => httpProtocol({ mount }),
  fastcgi: () => fastcgi(),
  scgi: (mount) => scgi({ mount }),
  ajp13: (mount) => ajp13({ mount }),
};

/** Options of {@link serveUntilSignal}. */
export interface ServeOptions extends Omit<StartOptions, "protocol"> {
  /** A name of {@link SOCKET_PROTOCOLS}. */
  protocol: string;
  mount?: string;
  /** Called once listening, e.g. to print where. */
  onListening?: (running: RunningServer) => void;
}

/** A protocol name that {@link SOCKET_PROTOCOLS} does not know. */
export class UnknownProtocolError extends Error {
  readonly code = "ERR_UNKNOWN_PROTOCOL";
  constructor(name: string) {
    super(`unknown protocol ${JSON.stringify(name)}; use http, fastcgi, scgi, ajp13 or cgi`);
    this.name = "UnknownProtocolError";
  }
}

/**
 * Serves until SIGTERM or SIGINT, then drains: in-flight requests finish and the promise
 * resolves; a second signal exits at once.
 *
 * @example
 * await serveUntilSignal(application, { protocol: "fastcgi", listen: "unix:/run/app.sock" });
 */
export async function serveUntilSignal(app: Application, options: ServeOptions): Promise<void> {
  const make = SOCKET_PROTOCOLS[options.protocol];
  if (!make) throw new UnknownProtocolError(options.protocol);
  const running = await startServer(app, { ...options, protocol: make(options.mount) });
  options.onListening?.(running);
  const log = options.log ?? ((text: string) => void process.stderr.write(text));
  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (): void => {
      if (stopping) process.exit(1);
      stopping = true;
      log("cgi2wsgi: draining in-flight requests (signal again to stop now)\n");
      void running.close().then(resolve);
    };
    process.on("SIGTERM", stop);
    process.on("SIGINT", stop);
  });
}

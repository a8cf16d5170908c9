import { chmodSync, lstatSync, unlinkSync } from "node:fs";
import { connect, createServer, type Server } from "node:net";
import type { ListenAddress } from "./address.js";

/**
 * The unix socket path is in use by a live server.
 *
 * @example
 * await listen({ kind: "unix", path }).catch((e) => { if (e instanceof AddressInUseError) exit(1); });
 */
export class AddressInUseError extends Error {
  readonly code = "ERR_ADDRESS_IN_USE";
  constructor(path: string) {
    super(`${path} is in use by a running server; stop it or choose another --listen path`);
    this.name = "AddressInUseError";
  }
}

/**
 * Options of {@link listen}.
 *
 * @example
 * const options: ListenOptions = { socketMode: 0o660, maxConnections: 500 };
 */
export interface ListenOptions {
  /** Permission bits of a unix socket file, e.g. `0o660` so only the web server's group connects. */
  socketMode?: number;
  /** Connections beyond this many are closed at once. */
  maxConnections?: number;
  /** Accept backlog. Default: 511. */
  backlog?: number;
  /**
   * Replace a stale unix socket file. Default: true. Prefork workers pass false: the
   * primary cleaned up before forking, and the file they find is their siblings' live one.
   */
  removeStale?: boolean;
}

/**
 * Creates a server listening on `address`: TCP, a unix socket (a stale socket file left by
 * a crashed server is replaced, a live one is not) or an inherited descriptor. Half-open
 * connections are allowed, since protocol handlers decide when to close. Resolves once
 * listening.
 *
 * @example
 * const server = await listen(parseListenAddress("unix:/run/app.sock"), { socketMode: 0o660 });
 * server.on("connection", (socket) => handle(socket));
 */
export async function listen(address: ListenAddress, options: ListenOptions = {}): Promise<Server> {
  const server = createServer({ allowHalfOpen: true, noDelay: true });
  if (options.maxConnections !== undefined) server.maxConnections = options.maxConnections;
  if (address.kind === "unix" && options.removeStale !== false) {
    await removeStaleSocket(address.path);
  }
  const backlog = options.backlog ?? 511;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    const done = (): void => {
      server.off("error", reject);
      resolve();
    };
    if (address.kind === "tcp")
      server.listen({ port: address.port, host: address.host, backlog }, done);
    else if (address.kind === "unix") server.listen({ path: address.path, backlog }, done);
    else server.listen({ fd: address.fd, backlog }, done);
  });
  if (address.kind === "unix" && options.socketMode !== undefined) {
    chmodSync(address.path, options.socketMode);
  }
  return server;
}

/**
 * Removes a unix socket file that nothing listens on any more. Exported for prefork
 * primaries, which clean up before their workers bind.
 *
 * @example
 * await removeStaleSocket("/run/app.sock");
 */
export async function removeStaleSocket(path: string): Promise<void> {
  try {
    if (!lstatSync(path).isSocket()) return;
  } catch {
    return;
  }
  const live = await new Promise<boolean>((resolve) => {
    const probe = connect(path);
    probe.once("connect", () => {
      probe.destroy();
      resolve(true);
    });
    probe.once("error", () => resolve(false));
  });
  if (live) throw new AddressInUseError(path);
  unlinkSync(path);
}

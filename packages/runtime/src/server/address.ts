import { readFileSync, fstatSync } from "node:fs";

/**
 * Where a server listens.
 *
 * @example
 * const address: ListenAddress = { kind: "unix", path: "/run/app.sock" };
 */
export type ListenAddress =
  | { kind: "tcp"; host: string | undefined; port: number }
  | { kind: "unix"; path: string }
  | { kind: "fd"; fd: number };

/**
 * A `--listen` value that is none of the accepted forms.
 *
 * @example
 * try { parseListenAddress("9000"); } catch (e) { if (e instanceof ListenAddressError) usage(e.message); }
 */
export class ListenAddressError extends Error {
  readonly code = "ERR_LISTEN_ADDRESS";
  constructor(value: string) {
    super(
      `cannot listen on ${JSON.stringify(value)}; use HOST:PORT, :PORT, unix:/path or fd:N (for example 127.0.0.1:9000)`,
    );
    this.name = "ListenAddressError";
  }
}

/**
 * Parses `HOST:PORT`, `:PORT`, `[IPv6]:PORT`, `unix:/path` or `fd:N`.
 *
 * @example
 * parseListenAddress(":9000"); // { kind: "tcp", host: undefined, port: 9000 }
 * parseListenAddress("unix:/run/app.sock"); // { kind: "unix", path: "/run/app.sock" }
 */
export function parseListenAddress(value: string): ListenAddress {
  if (value.startsWith("unix:")) {
    const path = value.slice(5);
    if (!path) throw new ListenAddressError(value);
    return { kind: "unix", path };
  }
  if (value.startsWith("fd:")) {
    const fd = Number(value.slice(3));
    if (!Number.isInteger(fd) || fd < 0) throw new ListenAddressError(value);
    return { kind: "fd", fd };
  }
  const colon = value.lastIndexOf(":");
  if (colon < 0) throw new ListenAddressError(value);
  let host: string | undefined = value.slice(0, colon);
  const port = Number(value.slice(colon + 1));
  if (!/^\d+$/.test(value.slice(colon + 1)) || port > 65535) throw new ListenAddressError(value);
  if (host.startsWith("[") && host.endsWith("]")) host = host.slice(1, -1);
  return { kind: "tcp", host: host || undefined, port };
}

/**
 * Formats an address the way {@link parseListenAddress} reads it.
 *
 * @example
 * formatListenAddress({ kind: "fd", fd: 0 }); // "fd:0"
 */
export function formatListenAddress(address: ListenAddress): string {
  if (address.kind === "unix") return `unix:${address.path}`;
  if (address.kind === "fd") return `fd:${address.fd}`;
  const host = address.host?.includes(":") ? `[${address.host}]` : (address.host ?? "");
  return `${host}:${address.port}`;
}

/**
 * The socket this process was handed, if any: systemd socket activation (`LISTEN_FDS` for
 * this pid, first descriptor 3), else a listening socket on fd 0 (how lighttpd `bin-path`,
 * mod_fcgid and spawn-fcgi start a FastCGI program).
 *
 * @example
 * const address = listen ? parseListenAddress(listen) : inheritedAddress();
 */
export function inheritedAddress(env: NodeJS.ProcessEnv = process.env): ListenAddress | undefined {
  if (env.LISTEN_FDS && Number(env.LISTEN_FDS) >= 1 && Number(env.LISTEN_PID) === process.pid) {
    return { kind: "fd", fd: 3 };
  }
  return isListeningSocket(0) ? { kind: "fd", fd: 0 } : undefined;
}

/**
 * True when `fd` is a listening socket. The classic test is `getpeername(fd)` failing with
 * ENOTCONN, which Node cannot call on a bare descriptor; on Linux the kernel's socket tables
 * (`/proc/net/unix`, `/proc/net/tcp*`) say it directly: the socket's inode is listed as
 * listening (flag __SO_ACCEPTCON, state 0A). Elsewhere any socket on the descriptor counts,
 * since CGI servers hand a script pipes or files, never sockets.
 *
 * @example
 * if (isListeningSocket(0)) serveFastCgi(); else runAsCgi();
 */
export function isListeningSocket(fd: number): boolean {
  let inode: number;
  try {
    const stat = fstatSync(fd);
    if (!stat.isSocket()) return false;
    inode = stat.ino;
  } catch {
    return false;
  }
  const tables = readTables();
  if (tables === undefined) return true;
  return tables.has(inode);
}

/** Inodes of listening sockets, or undefined where /proc is not there. */
function readTables(): Set<number> | undefined {
  const listening = new Set<number>();
  let found = false;
  for (const name of ["unix", "tcp", "tcp6"]) {
    let text: string;
    try {
      text = readFileSync(`/proc/net/${name}`, "latin1");
    } catch {
      continue;
    }
    found = true;
    for (const line of text.split("\n").slice(1)) {
      const f = line.trim().split(/\s+/);
      if (name === "unix") {
        // Num RefCount Protocol Flags Type St Inode Path
        if (f.length >= 7 && (parseInt(f[3]!, 16) & 0x10000) !== 0) listening.add(Number(f[6]));
      } else if (f.length >= 10 && f[3] === "0A") {
        listening.add(Number(f[9]));
      }
    }
  }
  return found ? listening : undefined;
}

import { readdirSync, readFileSync, readlinkSync } from "node:fs";

/** The kernel's TCP sockets: local and remote port, state (0A LISTEN, 01 ESTABLISHED), inode. */
function tcpSockets(): Array<{ local: number; remote: number; state: string; inode: string }> {
  const sockets = [];
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text: string;
    try {
      text = readFileSync(table, "latin1");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const fields = line.trim().split(/\s+/);
      // local_address and rem_address are HEXIP:HEXPORT; field 9 is the socket inode.
      if (fields.length < 10) continue;
      sockets.push({
        local: parseInt(fields[1]!.split(":")[1]!, 16),
        remote: parseInt(fields[2]!.split(":")[1]!, 16),
        state: fields[3]!,
        inode: fields[9]!,
      });
    }
  }
  return sockets;
}

function listeningInodes(port: number): Set<string> {
  const listening = tcpSockets().filter((s) => s.local === port && s.state === "0A");
  return new Set(listening.map((s) => s.inode));
}

/**
 * How many established TCP connections on this machine lead to `port`: how many connections
 * a front server holds open to a backend listening there.
 *
 * @example
 * connectionsTo(9000); // 2: HAProxy multiplexes eight requests over two connections
 */
export function connectionsTo(port: number): number {
  return tcpSockets().filter((s) => s.remote === port && s.state === "01").length;
}

function groupPids(pgid: number): string[] {
  const pids: string[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "latin1");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[2]) === pgid) pids.push(entry);
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

/**
 * Whether the TCP port's listening socket is held by a process of the group `pgid`: a
 * connection that succeeds may reach a stranger who took the port first, and then the
 * server we started is about to fail with "address in use".
 *
 * @example
 * if (listenerInGroup(port, proc.pid)) console.log("nginx owns the port");
 */
export function listenerInGroup(port: number, pgid: number): boolean {
  const inodes = listeningInodes(port);
  if (inodes.size === 0) return false;
  for (const pid of groupPids(pgid)) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
        if (inodes.has(target.slice(8, -1)) && target.startsWith("socket:[")) return true;
      } catch {
        // The descriptor closed while we looked.
      }
    }
  }
  return false;
}

/**
 * Waits until a process of `proc`'s group holds the TCP port's listening socket; false
 * when the process exits first or the time runs out.
 *
 * @example
 * if (!(await waitForOwnership(port, proc))) throw new Error("someone else has the port");
 */
export async function waitForOwnership(
  port: number,
  proc: { pid: number; running(): boolean },
  timeoutMs = 10_000,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (proc.running() && Date.now() < deadline) {
    if (listenerInGroup(port, proc.pid)) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return false;
}

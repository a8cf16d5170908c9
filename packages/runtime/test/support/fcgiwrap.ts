import { startProcess, type ManagedProcess } from "./child.js";
import { NotListeningError, waitForListening, type Address } from "./net-wait.js";
import { waitForOwnership } from "./proc-net.js";
import { serverPath } from "./shared-node.js";

/**
 * Starts fcgiwrap listening on a unix socket or TCP address, with script stderr forwarded
 * over FastCGI (`-f`) so it lands in the front server's error log, and waits until it
 * accepts. Throws {@link NotListeningError} with fcgiwrap's output when it cannot listen.
 *
 * @example
 * const wrap = await startFcgiwrap(`${dir}/fcgiwrap.sock`);
 * await wrap.stop();
 */
export async function startFcgiwrap(
  address: string | Address,
  workers = 2,
): Promise<ManagedProcess> {
  const where: Address = typeof address === "string" ? { socket: address } : address;
  const url = "socket" in where ? `unix:${where.socket}` : `tcp:${where.host}:${where.port}`;
  // A clean environment, as a service manager gives it: fcgiwrap hands its own environment
  // to every script, so the test runner's variables would otherwise leak into CGI requests.
  const env = { PATH: serverPath(), LANG: "C.UTF-8" };
  const args = ["-f", "-c", String(workers), "-s", url];
  const proc = startProcess("fcgiwrap", args, { env });
  const up = await waitForListening(where, () => proc.running());
  // On TCP a stranger may hold the port (it was free a moment ago): make sure it is ours.
  const ours = "socket" in where || (up && (await waitForOwnership(where.port, proc)));
  if (!up || !ours) {
    await proc.stop();
    throw new NotListeningError("fcgiwrap", proc.output() || "(no output)");
  }
  return proc;
}

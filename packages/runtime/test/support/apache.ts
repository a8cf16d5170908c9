import { chmod, mkdir, stat, writeFile } from "node:fs/promises";
import { apacheConfig, type ApacheOptions } from "./apache-config.js";
import { launchFrontServer, type FrontServer } from "./front-server.js";

export type { FrontServer } from "./front-server.js";

export type { ApacheMode, ApacheOptions } from "./apache-config.js";

/**
 * Starts Apache httpd in the foreground from a generated config (never /etc/apache2): mod_cgi
 * for a script directory, or mod_proxy_fcgi / mod_proxy_scgi / mod_proxy_ajp to a backend.
 *
 * @example
 * const apache = await startApache({ mode: { kind: "ajp", backend: { host: "127.0.0.1", port } }, mount: "/app" });
 * const res = await fetch(`${apache.baseUrl}/app/`);
 * await apache.close();
 */
export async function startApache(options: ApacheOptions): Promise<FrontServer> {
  const mode = options.mode;
  if (mode.kind !== "cgi" && "socket" in mode.backend) await openToWwwData(mode.backend.socket);
  return launchFrontServer({
    name: `apache-${options.mode.kind}`,
    logFiles: ["error.log"],
    async prepare(port, dir) {
      await mkdir(`${dir}/www`, { recursive: true });
      await writeFile(`${dir}/httpd.conf`, apacheConfig(port, dir, options));
      return { command: "apache2", args: ["-d", dir, "-f", `${dir}/httpd.conf`, "-DFOREGROUND"] };
    },
  });
}

/**
 * Apache's children run as www-data and need write permission on a unix socket to connect
 * (EACCES otherwise, answered as 503). A backend that listens as root with the default umask
 * creates it 0755, so the test grants access here; production sets the socket mode instead.
 */
async function openToWwwData(socket: string): Promise<void> {
  const info = await stat(socket);
  if ((info.mode & 0o006) !== 0o006) await chmod(socket, (info.mode & 0o777) | 0o666);
}

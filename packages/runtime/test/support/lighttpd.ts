import { chmod, mkdir, writeFile } from "node:fs/promises";
import { launchFrontServer, type FrontServer } from "./front-server.js";

export type { FrontServer } from "./front-server.js";
import { lighttpdBinPath, lighttpdConfig, type LighttpdOptions } from "./lighttpd-config.js";

export type { LighttpdMode, LighttpdOptions } from "./lighttpd-config.js";

/**
 * Starts lighttpd in the foreground from a generated config: mod_cgi for a script directory,
 * mod_fastcgi to an address or spawning a program itself (`binPath`, socket on fd 0), or
 * mod_scgi.
 *
 * @example
 * const server = await startLighttpd({ mode: { kind: "fastcgi", binPath: "/srv/app.fcgi" } });
 * const res = await fetch(`${server.baseUrl}/hello`);
 * await server.close();
 */
export function startLighttpd(options: LighttpdOptions): Promise<FrontServer> {
  const spawned = "binPath" in options.mode ? "-spawn" : "";
  return launchFrontServer({
    name: `lighttpd-${options.mode.kind}${spawned}`,
    logFiles: ["error.log"],
    async prepare(port, dir) {
      await mkdir(`${dir}/www`, { recursive: true });
      const mode = options.mode;
      if ("binPath" in mode) await writeBinPath([mode.binPath, ...(mode.binArgs ?? [])], dir);
      await writeFile(`${dir}/lighttpd.conf`, lighttpdConfig(port, dir, options));
      return { command: "lighttpd", args: ["-D", "-f", `${dir}/lighttpd.conf`] };
    },
  });
}

/**
 * The `bin-path` value that runs `argv`, writing into `dir` the script that
 * {@link lighttpdBinPath} asks for when lighttpd cannot carry the command itself.
 *
 * @example
 * const binPath = await writeBinPath([process.execPath, entry], dir);
 */
export async function writeBinPath(argv: readonly string[], dir: string): Promise<string> {
  const { binPath, script } = lighttpdBinPath(argv, dir);
  if (script) {
    await writeFile(script.path, script.text);
    await chmod(script.path, 0o755);
  }
  return binPath;
}

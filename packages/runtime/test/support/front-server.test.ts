import { once } from "node:events";
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { describe, expect, it } from "vitest";
import { groupExists } from "./child.js";
import { FrontServerStartError, launchFrontServer } from "./front-server.js";
import { nginxConfig } from "./nginx-config.js";
import { startNginx, startNginxCgi } from "./nginx.js";
import { freePort } from "./net-wait.js";
import { makeScriptDir } from "./script-dir.js";
import { CGI_SCRIPTS } from "./cgi-scripts.js";
import { removeTempDir } from "./temp-dir.js";

describe("launchFrontServer", () => {
  it("close() ends every process group it started and removes the temp dir", async () => {
    const scriptsDir = await makeScriptDir(CGI_SCRIPTS);
    const server = await startNginxCgi({ scriptsDir });
    try {
      expect((await fetch(`${server.baseUrl}/cgi-bin/env.sh`)).status).toBe(200);
      expect(server.pids).toHaveLength(2);
      expect(server.pids.every(groupExists)).toBe(true);
    } finally {
      await server.close();
      await removeTempDir(scriptsDir);
    }
    expect(server.pids.some(groupExists)).toBe(false);
    expect(existsSync(server.dir)).toBe(false);
  });

  it("retries on another port when the chosen one is taken before the server binds it", async () => {
    const squatters: Server[] = [];
    const backend = { host: "127.0.0.1", port: await freePort() };
    const ports: number[] = [];
    const server = await launchFrontServer({
      name: "nginx-retry",
      logFiles: ["error.log"],
      async prepare(port, dir) {
        ports.push(port);
        if (ports.length === 1) {
          // Someone else grabs the port between freePort() and nginx's bind().
          const squatter = createServer().listen(port, "127.0.0.1");
          await once(squatter, "listening");
          squatters.push(squatter);
        }
        await mkdir(`${dir}/www`);
        await writeFile(
          `${dir}/nginx.conf`,
          nginxConfig(port, dir, { upstream: { kind: "http", backend } }),
        );
        return {
          command: "nginx",
          args: ["-p", dir, "-c", `${dir}/nginx.conf`, "-e", `${dir}/error.log`],
        };
      },
    });
    try {
      expect(ports).toHaveLength(2);
      expect(server.port).toBe(ports[1]);
      expect((await fetch(`${server.baseUrl}/`)).status).toBe(502);
    } finally {
      await server.close();
      for (const s of squatters) s.close();
    }
  });

  it("throws with the server's own error log when the config is wrong", async () => {
    const backend = { host: "127.0.0.1", port: await freePort() };
    const start = startNginx({
      upstream: { kind: "http", backend },
      extraLocation: "no_such_directive on;",
    });
    await expect(start).rejects.toThrow(FrontServerStartError);
    await expect(start).rejects.toThrow(/unknown directive "no_such_directive"/);
  });
});

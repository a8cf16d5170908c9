import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { groupExists } from "./child.js";
import { FrontServerStartError } from "./front-server.js";
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

import { spawnSync } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { describeConformance } from "../../runtime/test/conformance/suite.js";
import {
  makeTempDir,
  removeTempDir,
  startLighttpd,
  startNginxCgi,
  type FrontServer,
} from "../../runtime/test/support/index.js";
import { writeLauncher } from "../src/launcher/write-launcher.js";

const conformanceApp = fileURLToPath(
  new URL("../../runtime/test/conformance/app.ts", import.meta.url),
);

/** A temp dir holding `app.ts` (the conformance application) and its launcher `app.fcgi`. */
async function launcherDir(): Promise<{ dir: string; launcher: string }> {
  const dir = await makeTempDir("launcher");
  const module = join(dir, "app.ts");
  await writeFile(module, `export { application } from ${JSON.stringify(conformanceApp)};\n`);
  return { dir, launcher: await writeLauncher(module) };
}

async function withCleanup(dir: string, start: () => Promise<FrontServer>): Promise<FrontServer> {
  return start().catch(async (error: unknown) => {
    await removeTempDir(dir);
    throw error;
  });
}

// The same launcher file: spawned by lighttpd as a FastCGI program (listening socket on fd 0)
// and run per request as a CGI program by nginx + fcgiwrap.
describeConformance("launcher .fcgi spawned by lighttpd mod_fastcgi (bin-path)", async () => {
  const { dir, launcher } = await launcherDir();
  const server = await withCleanup(dir, () =>
    startLighttpd({ mount: "/app", mode: { kind: "fastcgi", binPath: launcher } }),
  );
  return {
    baseUrl: `${server.baseUrl}/app`,
    scriptName: "/app",
    close: async () => {
      await server.close();
      await removeTempDir(dir);
    },
  };
});

describeConformance("launcher .fcgi run as CGI by nginx + fcgiwrap", async () => {
  const { dir } = await launcherDir();
  const server = await withCleanup(dir, () => startNginxCgi({ scriptsDir: dir }));
  return {
    baseUrl: `${server.baseUrl}/cgi-bin/app.fcgi`,
    scriptName: "/cgi-bin/app.fcgi",
    close: async () => {
      await server.close();
      await removeTempDir(dir);
    },
  };
});

describe("writeLauncher", () => {
  it("writes an executable that answers a CGI request with no PATH in its environment", async () => {
    const { dir, launcher } = await launcherDir();
    try {
      const result = spawnSync(launcher, [], {
        env: { GATEWAY_INTERFACE: "CGI/1.1", REQUEST_METHOD: "GET", PATH_INFO: "/hello" },
        input: "",
      });
      expect(result.status).toBe(0);
      expect(result.stdout.toString()).toBe(
        "Content-Type: text/plain; charset=utf-8\r\n\r\nHello, world!\n",
      );
    } finally {
      await removeTempDir(dir);
    }
  });
});

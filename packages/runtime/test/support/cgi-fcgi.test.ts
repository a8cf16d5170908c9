import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCgiResponse } from "../../src/index.js";
import { runCgiFcgi } from "./cgi-fcgi.js";
import { CGI_SCRIPTS, parseEnvDump } from "./cgi-scripts.js";
import type { ManagedProcess } from "./child.js";
import { startFcgiwrap } from "./fcgiwrap.js";
import { freePort, type Address } from "./net-wait.js";
import { makeScriptDir } from "./script-dir.js";
import { makeTempDir, removeTempDir } from "./temp-dir.js";

describe("cgi-fcgi as a FastCGI client (fcgiwrap as the server)", () => {
  let scriptsDir: string;
  let sockDir: string;
  const wraps: ManagedProcess[] = [];
  const backends: Record<string, Address> = {};

  beforeAll(async () => {
    scriptsDir = await makeScriptDir(CGI_SCRIPTS);
    sockDir = await makeTempDir("cgi-fcgi");
    backends.unix = { socket: `${sockDir}/fcgi.sock` };
    backends.tcp = { host: "127.0.0.1", port: await freePort() };
    for (const address of Object.values(backends)) wraps.push(await startFcgiwrap(address));
  });
  afterAll(async () => {
    for (const w of wraps) await w.stop();
    await removeTempDir(sockDir);
    await removeTempDir(scriptsDir);
  });

  it.each(["unix", "tcp"])("sends exactly the given params over %s", async (kind) => {
    const result = await runCgiFcgi({
      backend: backends[kind]!,
      params: {
        REQUEST_METHOD: "GET",
        SCRIPT_FILENAME: `${scriptsDir}/env.sh`,
        SCRIPT_NAME: "/env",
        PATH_INFO: "/p",
        QUERY_STRING: "a=1",
      },
    });
    expect(result.exitCode).toBe(0);
    const response = parseCgiResponse(result.stdout);
    expect(response.status).toBe("200 OK");
    const env = parseEnvDump(response.body.toString());
    expect(env).toMatchObject({ SCRIPT_NAME: "/env", PATH_INFO: "/p", QUERY_STRING: "a=1" });
    expect(env.CONTENT_LENGTH).toBe("0");
  });

  it("sends a body on FCGI_STDIN and returns the script's status", async () => {
    const body = Buffer.from(Array.from({ length: 3000 }, (_, i) => i % 256));
    const result = await runCgiFcgi({
      backend: backends.tcp!,
      params: { REQUEST_METHOD: "PUT", SCRIPT_FILENAME: `${scriptsDir}/echo.pl` },
      body,
    });
    const response = parseCgiResponse(result.stdout);
    expect(response.status).toBe("201 Created");
    expect(response.headers).toContainEqual(["X-Method", "PUT"]);
    expect(Buffer.from(response.body).equals(body)).toBe(true);
  });
});

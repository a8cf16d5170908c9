import { copyFile, mkdir, symlink } from "node:fs/promises";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CGI_SCRIPTS, parseEnvDump } from "./cgi-scripts.js";
import type { EchoPeer } from "./echo-peer.js";
import { startFcgiwrap } from "./fcgiwrap.js";
import { startLighttpd } from "./lighttpd.js";
import type { LighttpdMode } from "./lighttpd.js";
import { lighttpdBinPath } from "./lighttpd-config.js";
import { freePort } from "./net-wait.js";
import { startScgiEcho, type ScgiEcho } from "./scgi-echo.js";
import { CHUNKED_WITH_PROXY, rawRequest } from "./raw-request.js";
import { makeScriptDir } from "./script-dir.js";
import { makeTempDir, removeTempDir } from "./temp-dir.js";

// lighttpd builds SCRIPT_FILENAME as document root + SCRIPT_NAME, so a document root holding
// an executable named "app" lets fcgiwrap run it for the mount /app.
describe("lighttpd mod_fastcgi (fcgiwrap as the FastCGI backend)", () => {
  let docRoot: string;
  beforeAll(async () => {
    docRoot = await makeScriptDir(CGI_SCRIPTS);
    await copyFile(`${docRoot}/env.sh`, `${docRoot}/app`);
  });
  afterAll(() => removeTempDir(docRoot));

  async function check(mode: LighttpdMode, extra: Record<string, string> = {}): Promise<void> {
    const server = await startLighttpd({ mode, mount: "/app", documentRoot: docRoot });
    try {
      for (let i = 0; i < 3; i++) {
        const res = await fetch(`${server.baseUrl}/app/x%20y/z?q=${i}`);
        expect(res.status).toBe(200);
        const env = parseEnvDump(await res.text());
        expect(env).toMatchObject({
          SCRIPT_NAME: "/app",
          PATH_INFO: "/x y/z",
          QUERY_STRING: `q=${i}`,
          REQUEST_URI: `/app/x%20y/z?q=${i}`,
          SCRIPT_FILENAME: `${docRoot}/app`,
          ...extra,
        });
      }
    } finally {
      await server.close();
    }
  }

  it("spawns the program itself with bin-path (listening socket on fd 0)", async () => {
    // fcgiwrap hands its environment to scripts, so bin-environment shows up in the dump.
    const binEnvironment = { SPAWNED_BY: "lighttpd" };
    await check(
      { kind: "fastcgi", binPath: "/usr/sbin/fcgiwrap", binEnvironment, procs: 2 },
      binEnvironment,
    );
  });

  it("spawns a program whose path holds a space and a quote, through a bin-path script", async () => {
    const dir = await makeTempDir("lighttpd-space");
    try {
      const program = join(dir, "it's here", "fcgiwrap");
      await mkdir(dirname(program));
      await symlink("/usr/sbin/fcgiwrap", program);
      expect(lighttpdBinPath([program, "-c", "1"], dir).script?.text).toBe(
        `#!/bin/sh\nexec '${dir}/it'\\''s here/fcgiwrap' '-c' '1'\n`,
      );
      await check({ kind: "fastcgi", binPath: program, binArgs: ["-c", "1"] });
    } finally {
      await removeTempDir(dir);
    }
  });

  it("connects to a FastCGI server at a TCP address", async () => {
    const backend = { host: "127.0.0.1", port: await freePort() };
    const wrap = await startFcgiwrap(backend);
    try {
      await check({ kind: "fastcgi", backend });
    } finally {
      await wrap.stop();
    }
  });
});

describe("lighttpd mod_scgi", () => {
  let peer: EchoPeer;
  beforeAll(async () => {
    peer = await startScgiEcho();
  });
  afterAll(() => peer.close());

  it.each([
    ["/app", { SCRIPT_NAME: "/app", PATH_INFO: "/x y/z" }],
    ["", { SCRIPT_NAME: "", PATH_INFO: "/app/x y/z" }],
  ])("splits SCRIPT_NAME and PATH_INFO at the mount %j", async (mount, expected) => {
    const server = await startLighttpd({ mode: { kind: "scgi", backend: peer.address }, mount });
    try {
      const res = await fetch(`${server.baseUrl}/app/x%20y/z?q=1`, {
        method: "POST",
        body: "hello",
      });
      expect(res.status).toBe(200);
      const echo = (await res.json()) as ScgiEcho;
      const env = Object.fromEntries(echo.headers);
      expect(echo.headers[0]).toEqual(["CONTENT_LENGTH", "5"]);
      expect(env).toMatchObject({ ...expected, SCGI: "1", QUERY_STRING: "q=1" });
      // lighttpd also forwards the Content-Length request header: gateways must drop it.
      expect(env.HTTP_CONTENT_LENGTH).toBe("5");
      expect(echo.bodyLength).toBe(5);
    } finally {
      await server.close();
    }
  });
});

describe("lighttpd with a chunked request body and a Proxy header", () => {
  it("buffers the body, sets CONTENT_LENGTH and drops Proxy and Transfer-Encoding", async () => {
    const peer = await startScgiEcho();
    const server = await startLighttpd({ mode: { kind: "scgi", backend: peer.address } });
    try {
      const res = await rawRequest(server.baseUrl, "/x", CHUNKED_WITH_PROXY);
      const echo = JSON.parse(res.body.toString()) as ScgiEcho;
      const env = Object.fromEntries(echo.headers);
      expect(env.CONTENT_LENGTH).toBe("11");
      expect(env.HTTP_PROXY).toBeUndefined();
      expect(env.HTTP_TRANSFER_ENCODING).toBeUndefined();
      expect(echo.bodyLength).toBe(11);
    } finally {
      await server.close();
      await peer.close();
    }
  });
});

describe("lighttpd limits and missing backends", () => {
  it("answers 503 when nothing listens at the backend address", async () => {
    const backend = { host: "127.0.0.1", port: await freePort() };
    const server = await startLighttpd({ mode: { kind: "scgi", backend } });
    try {
      expect((await fetch(`${server.baseUrl}/`)).status).toBe(503);
    } finally {
      await server.close();
    }
  });

  it("answers 413 over server.max-request-size", async () => {
    const backend = { host: "127.0.0.1", port: await freePort() };
    const server = await startLighttpd({ mode: { kind: "fastcgi", backend }, maxBody: 1024 });
    try {
      const res = await fetch(`${server.baseUrl}/`, { method: "POST", body: Buffer.alloc(4096) });
      expect(res.status).toBe(413);
    } finally {
      await server.close();
    }
  });
});

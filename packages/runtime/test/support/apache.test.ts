import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAjpEcho, type AjpEcho } from "./ajp-echo.js";
import { startApache } from "./apache.js";
import { CGI_SCRIPTS, parseEnvDump } from "./cgi-scripts.js";
import type { ManagedProcess } from "./child.js";
import type { EchoPeer } from "./echo-peer.js";
import { startFcgiwrap } from "./fcgiwrap.js";
import type { FrontServer } from "./front-server.js";
import { freePort } from "./net-wait.js";
import { startScgiEcho, type ScgiEcho } from "./scgi-echo.js";
import { CHUNKED_WITH_PROXY, rawRequest } from "./raw-request.js";
import { makeScriptDir } from "./script-dir.js";
import { makeTempDir, removeTempDir } from "./temp-dir.js";

// Runs body.sh for /…/body and env.sh for everything else.
const DISPATCH = `#!/bin/sh
case "$REQUEST_URI" in
  */body*) exec "$(dirname "$0")/body.sh" ;;
  *) exec "$(dirname "$0")/env.sh" ;;
esac
`;

describe("Apache mod_proxy_fcgi (fcgiwrap as the FastCGI backend)", () => {
  let scriptsDir: string;
  let wrap: ManagedProcess;
  let apache: FrontServer;

  beforeAll(async () => {
    scriptsDir = await makeScriptDir({ ...CGI_SCRIPTS, "dispatch.sh": DISPATCH });
    const backend = { host: "127.0.0.1", port: await freePort() };
    wrap = await startFcgiwrap(backend);
    // mod_proxy_fcgi sends SCRIPT_FILENAME "proxy:fcgi://..."; fcgiwrap needs a real file.
    const extraConfig = `ProxyFCGISetEnvIf "true" SCRIPT_FILENAME "${scriptsDir}/dispatch.sh"`;
    apache = await startApache({ mode: { kind: "fcgi", backend }, mount: "/app", extraConfig });
  });
  afterAll(async () => {
    await apache?.close();
    await wrap?.stop();
    await removeTempDir(scriptsDir);
  });

  it("sends the whole decoded path as SCRIPT_NAME and no PATH_INFO", async () => {
    const res = await fetch(`${apache.baseUrl}/app/x%20y/z?q=1`);
    expect(res.status).toBe(200);
    const env = parseEnvDump(await res.text());
    expect(env).toMatchObject({
      SCRIPT_NAME: "/app/x y/z",
      REQUEST_URI: "/app/x%20y/z?q=1",
      QUERY_STRING: "q=1",
      SERVER_NAME: "127.0.0.1",
    });
    expect(env.PATH_INFO).toBeUndefined();
  });

  it("answers 404 outside the mount", async () => {
    expect((await fetch(`${apache.baseUrl}/other`)).status).toBe(404);
  });

  it("passes a chunked body either streamed without CONTENT_LENGTH or spooled with one", async () => {
    // Both happen: a fresh child streamed it (no CONTENT_LENGTH, Transfer-Encoding kept);
    // after some earlier requests Apache spooled it and sent CONTENT_LENGTH instead.
    const res = await rawRequest(apache.baseUrl, "/app/body", CHUNKED_WITH_PROXY);
    const lines = res.body.toString().split("\n");
    expect([
      ["CONTENT_LENGTH=(unset)", "HTTP_TRANSFER_ENCODING=chunked"],
      ["CONTENT_LENGTH=11", "HTTP_TRANSFER_ENCODING=(unset)"],
    ]).toContainEqual(lines.slice(0, 2));
    expect(lines.slice(2)).toEqual(["HTTP_PROXY=(unset)", "BODY=hello world"]);
  });
});

describe("Apache mod_proxy_scgi over a unix socket", () => {
  let sockDir: string;
  let peer: EchoPeer;
  let apache: FrontServer;
  beforeAll(async () => {
    sockDir = await makeTempDir("scgi-sock");
    peer = await startScgiEcho(`${sockDir}/scgi.sock`);
    apache = await startApache({ mode: { kind: "scgi", backend: peer.address }, mount: "/app" });
  });
  afterAll(async () => {
    await apache?.close();
    await peer?.close();
    await removeTempDir(sockDir);
  });

  it("forwards headers and body with SCRIPT_NAME = the whole path", async () => {
    const res = await fetch(`${apache.baseUrl}/app/x%20y/z?q=1`, { method: "POST", body: "hello" });
    expect(res.status).toBe(200);
    const echo = (await res.json()) as ScgiEcho;
    const env = Object.fromEntries(echo.headers);
    expect(echo.headers[0]).toEqual(["CONTENT_LENGTH", "5"]);
    expect(env).toMatchObject({ SCGI: "1", SCRIPT_NAME: "/app/x y/z", REQUEST_METHOD: "POST" });
    expect(env.PATH_INFO).toBeUndefined();
    expect(echo.bodyLength).toBe(5);
  });

  it("refuses a chunked body with 411: SCGI needs CONTENT_LENGTH up front", async () => {
    const res = await rawRequest(apache.baseUrl, "/app/x", CHUNKED_WITH_PROXY);
    expect(res.status).toBe(411);
  });
});

describe("Apache mod_proxy_ajp", () => {
  let peer: EchoPeer;
  let apache: FrontServer;
  beforeAll(async () => {
    peer = await startAjpEcho();
    apache = await startApache({ mode: { kind: "ajp", backend: peer.address }, mount: "/app" });
  });
  afterAll(async () => {
    await apache?.close();
    await peer?.close();
  });

  it("forwards the still-encoded URI, the query as an attribute and the peer", async () => {
    const res = await fetch(`${apache.baseUrl}/app/x%20y/z?q=1`, { headers: { "X-Test": "t" } });
    expect(res.status).toBe(200);
    const { request } = (await res.json()) as AjpEcho;
    expect(request).toMatchObject({
      method: "GET",
      protocol: "HTTP/1.1",
      uri: "/app/x%20y/z",
      remoteAddr: "127.0.0.1",
      serverPort: apache.port,
      isSsl: false,
    });
    expect(request.attributes.queryString).toBe("q=1");
    expect(request.headers).toContainEqual(["X-Test", "t"]);
  });

  it("forwards a chunked body on GET_BODY_CHUNK and the Proxy header as it came", async () => {
    const res = await rawRequest(apache.baseUrl, "/app/x", CHUNKED_WITH_PROXY);
    const echo = JSON.parse(res.body.toString()) as AjpEcho;
    expect(echo.bodyLength).toBe(11);
    expect(echo.request.headers).toContainEqual(["Transfer-Encoding", "chunked"]);
    expect(echo.request.headers).toContainEqual(["Proxy", "http://attacker.invalid:3128"]);
    expect(echo.request.headers.some(([n]) => n === "Content-Length")).toBe(false);
  });

  it("sends a request body across several AJP body packets", async () => {
    const res = await fetch(`${apache.baseUrl}/app/upload`, {
      method: "POST",
      body: Buffer.alloc(20_000, 0x41),
    });
    expect(((await res.json()) as AjpEcho).bodyLength).toBe(20_000);
  });
});

describe("Apache without a backend", () => {
  it.each(["fcgi", "scgi", "ajp"] as const)(
    "answers 503 when %s has nobody listening",
    async (kind) => {
      const backend = { host: "127.0.0.1", port: await freePort() };
      const apache = await startApache({ mode: { kind, backend } });
      try {
        expect((await fetch(`${apache.baseUrl}/`)).status).toBe(503);
      } finally {
        await apache.close();
      }
    },
  );
});

describe("Apache LimitRequestBody in front of a backend", () => {
  it("answers 413 for a body over the limit", async () => {
    const peer = await startScgiEcho();
    const apache = await startApache({
      mode: { kind: "scgi", backend: peer.address },
      maxBody: 1024,
    });
    try {
      const res = await fetch(`${apache.baseUrl}/`, { method: "POST", body: Buffer.alloc(4096) });
      expect(res.status).toBe(413);
      const ok = await fetch(`${apache.baseUrl}/`, { method: "POST", body: Buffer.alloc(1000) });
      expect(((await ok.json()) as ScgiEcho).bodyLength).toBe(1000);
    } finally {
      await apache.close();
      await peer.close();
    }
  });
});

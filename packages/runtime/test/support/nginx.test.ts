import { once } from "node:events";
import { createServer } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CGI_SCRIPTS, parseEnvDump } from "./cgi-scripts.js";
import type { ManagedProcess } from "./child.js";
import { startFcgiwrap } from "./fcgiwrap.js";
import type { FrontServer } from "./front-server.js";
import { freePort, type Address } from "./net-wait.js";
import { startNginx, type NginxOptions } from "./nginx.js";
import { startScgiEcho, type ScgiEcho } from "./scgi-echo.js";
import { listenPeer, type EchoPeer } from "./echo-peer.js";
import { CHUNKED_WITH_PROXY, rawRequest } from "./raw-request.js";
import { makeScriptDir } from "./script-dir.js";
import { makeTempDir, removeTempDir } from "./temp-dir.js";

// fcgiwrap is a real FastCGI responder: behind fastcgi_pass it runs env.sh, whose output
// shows exactly which params nginx sent.
describe("nginx fastcgi_pass (fcgiwrap as the FastCGI backend)", () => {
  let scriptsDir: string;
  let sockDir: string;
  let wraps: ManagedProcess[] = [];
  let unix: Address;
  let tcp: Address;

  beforeAll(async () => {
    scriptsDir = await makeScriptDir(CGI_SCRIPTS);
    sockDir = await makeTempDir("fcgi-backend");
    unix = { socket: `${sockDir}/fcgi.sock` };
    tcp = { host: "127.0.0.1", port: await freePort() };
    wraps = [await startFcgiwrap(unix), await startFcgiwrap(tcp)];
  });
  afterAll(async () => {
    for (const w of wraps) await w.stop();
    await removeTempDir(sockDir);
    await removeTempDir(scriptsDir);
  });

  const cases: Array<
    [string, () => Omit<NginxOptions, "extraLocation">, Record<string, string | undefined>]
  > = [
    [
      "unix socket, keep-conn off, mount /app",
      () => ({ upstream: { kind: "fastcgi", backend: unix, keepConn: false }, mount: "/app" }),
      { SCRIPT_NAME: "/app", PATH_INFO: "/x y/z" },
    ],
    [
      "TCP, keep-conn on, site root",
      () => ({ upstream: { kind: "fastcgi", backend: tcp, keepConn: true }, mount: "" }),
      { SCRIPT_NAME: "", PATH_INFO: "/app/x y/z" },
    ],
    [
      "Debian's stock fastcgi_params",
      () => ({ upstream: { kind: "fastcgi", backend: unix }, params: "debian" }),
      { SCRIPT_NAME: "/app/x y/z", PATH_INFO: undefined },
    ],
  ];

  it.each(cases)("passes SCRIPT_NAME and PATH_INFO: %s", async (_name, options, expected) => {
    const nginx = await startNginx({
      ...options(),
      extraLocation: `fastcgi_param SCRIPT_FILENAME ${scriptsDir}/env.sh;`,
    });
    try {
      for (let i = 0; i < 3; i++) {
        const res = await fetch(`${nginx.baseUrl}/app/x%20y/z?q=${i}`);
        expect(res.status).toBe(200);
        const env = parseEnvDump(await res.text());
        expect(env.QUERY_STRING).toBe(`q=${i}`);
        expect(env.REQUEST_URI).toBe(`/app/x%20y/z?q=${i}`);
        expect({ SCRIPT_NAME: env.SCRIPT_NAME, PATH_INFO: env.PATH_INFO }).toEqual(expected);
      }
    } finally {
      await nginx.close();
    }
  });
});

describe("nginx fastcgi_keep_conn", () => {
  let scriptsDir: string;
  let wrap: ManagedProcess;
  let relay: EchoPeer;
  let connections = 0;

  // A TCP relay in front of fcgiwrap counts the connections nginx opens.
  beforeAll(async () => {
    scriptsDir = await makeScriptDir(CGI_SCRIPTS);
    const backend = { host: "127.0.0.1", port: await freePort() };
    wrap = await startFcgiwrap(backend);
    relay = await listenPeer((socket) => {
      connections++;
      const upstream = connect(backend.port, backend.host);
      upstream.on("error", () => socket.destroy());
      socket.pipe(upstream).pipe(socket);
    });
  });
  afterAll(async () => {
    await relay?.close();
    await wrap?.stop();
    await removeTempDir(scriptsDir);
  });

  it.each([
    [true, 1],
    [false, 3],
  ])("keep-conn %s: three requests use %i backend connection(s)", async (keepConn, expected) => {
    const nginx = await startNginx({
      upstream: { kind: "fastcgi", backend: relay.address, keepConn },
      extraLocation: `fastcgi_param SCRIPT_FILENAME ${scriptsDir}/env.sh;`,
    });
    connections = 0;
    try {
      for (let i = 0; i < 3; i++) expect((await fetch(`${nginx.baseUrl}/x`)).status).toBe(200);
      expect(connections).toBe(expected);
    } finally {
      await nginx.close();
    }
  });
});

describe("nginx scgi_pass", () => {
  let peer: EchoPeer;
  beforeAll(async () => {
    peer = await startScgiEcho();
  });
  afterAll(() => peer.close());

  it.each([
    ["mount /app", { mount: "/app" }, { SCRIPT_NAME: "/app", PATH_INFO: "/x y" }],
    ["Debian's stock scgi_params", { params: "debian" as const }, {}],
  ])("forwards the request and a body: %s", async (_name, extra, expected) => {
    const nginx = await startNginx({ upstream: { kind: "scgi", backend: peer.address }, ...extra });
    try {
      const res = await fetch(`${nginx.baseUrl}/app/x%20y?a=1`, { method: "POST", body: "hello" });
      expect(res.status).toBe(200);
      const echo = (await res.json()) as ScgiEcho;
      const env = Object.fromEntries(echo.headers);
      // SCGI requires CONTENT_LENGTH first; nginx adds it itself.
      expect(echo.headers[0]).toEqual(["CONTENT_LENGTH", "5"]);
      expect(env.SCGI).toBe("1");
      expect(env.REQUEST_URI).toBe("/app/x%20y?a=1");
      expect(echo.bodyLength).toBe(5);
      // Debian's params replace the Host header with $host: the port is lost.
      const host = "params" in extra ? "127.0.0.1" : `127.0.0.1:${nginx.port}`;
      expect(echo.headers.filter(([name]) => name === "HTTP_HOST")).toEqual([["HTTP_HOST", host]]);
      expect({ SCRIPT_NAME: env.SCRIPT_NAME, PATH_INFO: env.PATH_INFO }).toEqual({
        SCRIPT_NAME: undefined,
        PATH_INFO: undefined,
        ...expected,
      });
    } finally {
      await nginx.close();
    }
  });
});

describe("nginx with a chunked request body and a Proxy header", () => {
  it("buffers the body, sets CONTENT_LENGTH and still passes HTTP_PROXY and TRANSFER_ENCODING", async () => {
    const peer = await startScgiEcho();
    const nginx = await startNginx({ upstream: { kind: "scgi", backend: peer.address } });
    try {
      const res = await rawRequest(nginx.baseUrl, "/x", CHUNKED_WITH_PROXY);
      const echo = JSON.parse(res.body.toString()) as ScgiEcho;
      const env = Object.fromEntries(echo.headers);
      expect(env).toMatchObject({
        CONTENT_LENGTH: "11",
        HTTP_TRANSFER_ENCODING: "chunked",
        HTTP_PROXY: "http://attacker.invalid:3128",
      });
      expect(echo.bodyLength).toBe(11);
    } finally {
      await nginx.close();
      await peer.close();
    }
  });
});

describe("nginx proxy_pass with HTTP/1.1 keep-alive upstream", () => {
  const seen: Array<{ url: string; connection: string | undefined; port: number }> = [];
  const backend = createServer((req, res) => {
    seen.push({
      url: req.url ?? "",
      connection: req.headers.connection,
      port: req.socket.remotePort ?? 0,
    });
    res.setHeader("Content-Type", "text/plain");
    res.end(`${req.method} ${req.url} prefix=${String(req.headers["x-forwarded-prefix"])}`);
  });
  let nginx: FrontServer;
  beforeAll(async () => {
    backend.listen(0, "127.0.0.1");
    await once(backend, "listening");
    const port = (backend.address() as AddressInfo).port;
    nginx = await startNginx({
      upstream: { kind: "http", backend: { host: "127.0.0.1", port } },
      mount: "/app",
    });
  });
  afterAll(async () => {
    await nginx?.close();
    backend.closeAllConnections();
    backend.close();
  });

  it("forwards the full path and reuses one upstream connection", async () => {
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${nginx.baseUrl}/app/p${i}?x=1`);
      expect(await res.text()).toBe(`GET /app/p${i}?x=1 prefix=/app`);
    }
    expect(seen.map((s) => s.connection)).toEqual([undefined, undefined, undefined]);
    expect(new Set(seen.map((s) => s.port)).size).toBe(1);
  });

  it("answers 404 outside the mount", async () => {
    expect((await fetch(`${nginx.baseUrl}/other`)).status).toBe(404);
  });
});

describe("nginx without a backend", () => {
  it("answers 502 when nothing listens at the FastCGI address", async () => {
    const nginx = await startNginx({
      upstream: { kind: "fastcgi", backend: { host: "127.0.0.1", port: await freePort() } },
    });
    try {
      expect((await fetch(`${nginx.baseUrl}/`)).status).toBe(502);
    } finally {
      await nginx.close();
    }
  });

  it("answers 413 over client_max_body_size without contacting the backend", async () => {
    const nginx = await startNginx({
      upstream: { kind: "scgi", backend: { host: "127.0.0.1", port: await freePort() } },
      maxBody: 1024,
    });
    try {
      const res = await fetch(`${nginx.baseUrl}/`, { method: "POST", body: Buffer.alloc(4096) });
      expect(res.status).toBe(413);
    } finally {
      await nginx.close();
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApache } from "../support/apache.js";
import { CGI_SCRIPTS, parseEnvDump } from "../support/cgi-scripts.js";
import type { FrontServer } from "../support/front-server.js";
import { startLighttpd } from "../support/lighttpd.js";
import { startNginxCgi } from "../support/nginx.js";
import { rawRequest } from "../support/raw-request.js";
import { makeScriptDir } from "../support/script-dir.js";
import { removeTempDir } from "../support/temp-dir.js";

/** What each server is observed to pass that differs between them (see support/README.md). */
interface PeerFacts {
  /** CONTENT_LENGTH on a GET without a body: absent (undefined), "" or "0". */
  getContentLength: string | undefined;
  /** SERVER_NAME: the configured name or the Host header's host. */
  serverName: "localhost" | "127.0.0.1";
  /** Whether the response to a CGI script is streamed (chunked) or buffered (Content-Length). */
  chunked: boolean;
  /** Status for an encoded slash (%2F) in the path: Apache refuses it by default. */
  encodedSlash: 200 | 404;
  /** CONTENT_LENGTH for a chunked request body: "(unset)" when the server streams it. */
  chunkedLength: string;
  /** HTTP_TRANSFER_ENCODING as the script sees it. */
  transferEncoding: string;
  /** HTTP_PROXY for a request with a `Proxy:` header (httpoxy). */
  proxy: string;
}

const PEERS: Array<[string, (scriptsDir: string) => Promise<FrontServer>, PeerFacts]> = [
  [
    "nginx + fcgiwrap",
    (scriptsDir) => startNginxCgi({ scriptsDir, maxBody: 64 * 1024 }),
    {
      getContentLength: "",
      serverName: "localhost",
      chunked: true,
      encodedSlash: 200,
      chunkedLength: "11",
      transferEncoding: "chunked",
      proxy: "http://attacker.invalid:3128",
    },
  ],
  [
    "Apache mod_cgi",
    (scriptsDir) => startApache({ mode: { kind: "cgi", scriptsDir }, maxBody: 64 * 1024 }),
    {
      getContentLength: undefined,
      serverName: "127.0.0.1",
      chunked: true,
      encodedSlash: 404,
      chunkedLength: "(unset)",
      transferEncoding: "chunked",
      proxy: "(unset)",
    },
  ],
  [
    "lighttpd mod_cgi",
    (scriptsDir) => startLighttpd({ mode: { kind: "cgi", scriptsDir }, maxBody: 64 * 1024 }),
    {
      getContentLength: "0",
      serverName: "127.0.0.1",
      chunked: false,
      encodedSlash: 200,
      chunkedLength: "11",
      transferEncoding: "(unset)",
      proxy: "(unset)",
    },
  ],
];

describe.each(PEERS)("%s runs CGI scripts", (_name, start, facts) => {
  let scriptsDir: string;
  let server: FrontServer;

  beforeAll(async () => {
    scriptsDir = await makeScriptDir(CGI_SCRIPTS);
    server = await start(scriptsDir);
  });
  afterAll(async () => {
    await server?.close();
    await removeTempDir(scriptsDir);
  });

  it("passes the RFC 3875 meta-variables with SCRIPT_NAME and a decoded PATH_INFO", async () => {
    const res = await fetch(`${server.baseUrl}/cgi-bin/env.sh/a%20b/c?x=1&y=%2F`);
    expect(res.status).toBe(200);
    expect(res.headers.get("x-script")).toBe("env");
    const env = parseEnvDump(await res.text());
    expect(env).toMatchObject({
      GATEWAY_INTERFACE: "CGI/1.1",
      REQUEST_METHOD: "GET",
      SCRIPT_NAME: "/cgi-bin/env.sh",
      PATH_INFO: "/a b/c",
      QUERY_STRING: "x=1&y=%2F",
      REQUEST_URI: "/cgi-bin/env.sh/a%20b/c?x=1&y=%2F",
      SCRIPT_FILENAME: `${scriptsDir}/env.sh`,
      SERVER_PROTOCOL: "HTTP/1.1",
      SERVER_PORT: String(server.port),
      SERVER_NAME: facts.serverName,
      REMOTE_ADDR: "127.0.0.1",
      HTTP_HOST: `127.0.0.1:${server.port}`,
    });
    expect(env.CONTENT_LENGTH).toBe(facts.getContentLength);
    expect(env.HTTP_PROXY).toBeUndefined();
  });

  it("omits PATH_INFO (or leaves it empty) when the URL ends at the script", async () => {
    const env = parseEnvDump(await (await fetch(`${server.baseUrl}/cgi-bin/env.sh`)).text());
    expect(env.SCRIPT_NAME).toBe("/cgi-bin/env.sh");
    expect(env.PATH_INFO ?? "").toBe("");
    expect(env.QUERY_STRING).toBe("");
  });

  it.each([
    ["//a//b/", "/cgi-bin/env.sh", "/a/b/"],
    ["/a/../b", "/cgi-bin/env.sh", "/b"],
    ["/%C3%A9", "/cgi-bin/env.sh", "/é"],
    ["/a%3Fb?x=%20y+z", "/cgi-bin/env.sh", "/a?b"],
    ["/", "/cgi-bin/env.sh", "/"],
  ])("normalises the path %j before splitting it", async (rest, scriptName, pathInfo) => {
    const res = await rawRequest(server.baseUrl, `/cgi-bin/env.sh${rest}`);
    expect(res.status).toBe(200);
    const env = parseEnvDump(res.body.toString("utf8"));
    expect([env.SCRIPT_NAME, env.PATH_INFO]).toEqual([scriptName, pathInfo]);
  });

  it("treats an encoded slash as this server does", async () => {
    const res = await rawRequest(server.baseUrl, "/cgi-bin/env.sh/a%2Fb");
    expect(res.status).toBe(facts.encodedSlash);
    if (res.status === 200) expect(parseEnvDump(res.body.toString()).PATH_INFO).toBe("/a/b");
  });

  it("hands a chunked request body to the script as this server does", async () => {
    const res = await rawRequest(server.baseUrl, "/cgi-bin/body.sh", {
      method: "POST",
      headers: { "Transfer-Encoding": "chunked", Proxy: "http://attacker.invalid:3128" },
      bodyParts: ["hello ", "world"],
    });
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe(
      [
        `CONTENT_LENGTH=${facts.chunkedLength}`,
        `HTTP_TRANSFER_ENCODING=${facts.transferEncoding}`,
        `HTTP_PROXY=${facts.proxy}`,
        "BODY=hello world",
      ].join("\n"),
    );
  });

  it("passes request headers as HTTP_* variables", async () => {
    const res = await fetch(`${server.baseUrl}/cgi-bin/env.sh`, {
      headers: { "X-Custom-Thing": "v1", Cookie: "k=v" },
    });
    const env = parseEnvDump(await res.text());
    expect(env.HTTP_X_CUSTOM_THING).toBe("v1");
    expect(env.HTTP_COOKIE).toBe("k=v");
  });

  it("streams a POST body to a Perl script's stdin and returns its status", async () => {
    const body = Buffer.from(Array.from({ length: 5000 }, (_, i) => i % 256));
    const res = await fetch(`${server.baseUrl}/cgi-bin/echo.pl`, {
      method: "POST",
      headers: { "Content-Type": "application/x-test" },
      body,
    });
    expect(res.status).toBe(201);
    expect(res.headers.get("x-method")).toBe("POST");
    expect(res.headers.get("x-request-content-type")).toBe("application/x-test");
    expect(res.headers.get("x-length")).toBe("5000");
    expect(Buffer.from(await res.arrayBuffer()).equals(body)).toBe(true);
  });

  it("sends Status, LF-only headers and repeated Set-Cookie as the script wrote them", async () => {
    const res = await fetch(`${server.baseUrl}/cgi-bin/status.sh`);
    expect(res.status).toBe(404);
    expect(res.headers.getSetCookie()).toEqual(["a=1", "b=2"]);
    expect(res.headers.get("status")).toBeNull();
    expect(await res.text()).toBe("nothing here\n");
  });

  it("answers 302 for a Location header without Status", async () => {
    const res = await fetch(`${server.baseUrl}/cgi-bin/redirect.sh`, { redirect: "manual" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("http://example.invalid/elsewhere");
  });

  it("logs the script's stderr and keeps it out of the response", async () => {
    const res = await fetch(`${server.baseUrl}/cgi-bin/stderr.sh`);
    expect(await res.text()).toBe("ok\n");
    await expect
      .poll(() => server.logs(), { timeout: 5000 })
      .toContain("stderr-marker-from-script");
  });

  it("streams or buffers the response as this server does", async () => {
    const res = await fetch(`${server.baseUrl}/cgi-bin/slow.sh`);
    expect(await res.text()).toBe("first\nsecond\n");
    expect(res.headers.get("transfer-encoding") === "chunked").toBe(facts.chunked);
  });

  it("refuses a body over the configured limit with 413", async () => {
    const res = await fetch(`${server.baseUrl}/cgi-bin/echo.pl`, {
      method: "POST",
      body: Buffer.alloc(200 * 1024, 1),
    });
    expect(res.status).toBe(413);
  });
});

describe("lighttpd mod_cgi with streamResponse", () => {
  it("streams output that pauses instead of buffering it", async () => {
    const scriptsDir = await makeScriptDir(CGI_SCRIPTS);
    const server = await startLighttpd({ mode: { kind: "cgi", scriptsDir }, streamResponse: true });
    try {
      const res = await fetch(`${server.baseUrl}/cgi-bin/slow.sh`);
      expect(res.headers.get("transfer-encoding")).toBe("chunked");
      expect(await res.text()).toBe("first\nsecond\n");
    } finally {
      await server.close();
      await removeTempDir(scriptsDir);
    }
  });
});

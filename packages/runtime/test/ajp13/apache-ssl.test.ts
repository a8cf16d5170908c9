import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handleAjpConnection } from "../../src/ajp13/handler.js";
import { application } from "../conformance/app.js";
import { startApache } from "../support/apache.js";
import type { FrontServer } from "../support/front-server.js";
import { freePort } from "../support/net-wait.js";
import { listen, testContext, type Listening } from "../scgi/context.js";

const run = promisify(execFile);

/** GET over TLS, trusting the test's self-signed certificate. */
function getJson(url: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    request(url, { rejectUnauthorized: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve(JSON.parse(Buffer.concat(chunks).toString())));
    })
      .on("error", reject)
      .end();
  });
}

describe("AJP13 behind Apache mod_ssl", () => {
  let dir: string;
  let gateway: Listening;
  let front: FrontServer;
  let httpsPort: number;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "cgi2wsgi-ajp-tls-"));
    await run("openssl", [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-days",
      "1",
      "-subj",
      "/CN=localhost",
      "-keyout",
      join(dir, "key.pem"),
      "-out",
      join(dir, "cert.pem"),
    ]);
    gateway = await listen((socket) =>
      handleAjpConnection(socket, testContext(application), { mount: "/tls" }),
    );
    httpsPort = await freePort();
    const modules = ["socache_shmcb", "ssl"]
      .map((m) => `LoadModule ${m}_module /usr/lib/apache2/modules/mod_${m}.so`)
      .join("\n");
    front = await startApache({
      mode: { kind: "ajp", backend: { host: "127.0.0.1", port: gateway.port } },
      mount: "/app",
      extraConfig: `${modules}
Listen 127.0.0.1:${httpsPort}
<VirtualHost 127.0.0.1:${httpsPort}>
  SSLEngine on
  SSLCertificateFile "${join(dir, "cert.pem")}"
  SSLCertificateKeyFile "${join(dir, "key.pem")}"
  ProxyPass "/tls/" "ajp://127.0.0.1:${gateway.port}/"
  <Location "/tls/">
    Require all granted
  </Location>
</VirtualHost>`,
    });
  });
  afterAll(async () => {
    await front?.close();
    await gateway?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("marks the request as HTTPS and passes the TLS cipher and key size", async () => {
    const environ = await getJson(`https://127.0.0.1:${httpsPort}/tls/environ/x`);
    expect(environ).toMatchObject({
      HTTPS: "on",
      "wsgi.url_scheme": "https",
      SCRIPT_NAME: "/tls",
      PATH_INFO: "/environ/x",
      SERVER_PORT: String(httpsPort),
    });
    expect(environ.SSL_CIPHER).toMatch(/^[A-Z0-9_-]+$/);
    expect(Number(environ.SSL_CIPHER_USEKEYSIZE)).toBeGreaterThanOrEqual(128);
  });
});

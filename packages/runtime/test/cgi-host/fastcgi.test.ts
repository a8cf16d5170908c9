import { writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mixedDirectory } from "../../src/cgi-host/mixed.js";
import { fastcgi } from "../../src/fastcgi/protocol.js";
import { startServer, type RunningServer } from "../../src/server/start.js";
import { listenPort, removeTempDir, startNginx, type FrontServer } from "../support/index.js";
import { makeHostFixture, type HostFixture } from "./scripts.js";

// The same directory behind nginx fastcgi_pass with Debian's stock fastcgi_params, as most
// sites configure it: SCRIPT_NAME is the whole path and there is no PATH_INFO, so the
// directory has to split the path itself.
let fixture: HostFixture;
let gateway: RunningServer;
let nginx: FrontServer;
let log = "";

beforeAll(async () => {
  fixture = await makeHostFixture();
  await writeFile(
    join(fixture.dir, "app.mjs"),
    `export function application(environ, start_response) {
  start_response("200 OK", [["Content-Type", "text/plain"]]);
  return ["in-process " + environ.SCRIPT_NAME + " " + environ.PATH_INFO + " " + process.pid];
}\n`,
  );
  const app = await mixedDirectory(fixture.dir, {
    timeout: 800,
    env: { PIDFILE_DIR: fixture.pids },
  });
  gateway = await startServer(app, {
    protocol: fastcgi(),
    listen: "127.0.0.1:0",
    log: (text) => void (log += text),
  });
  const port = listenPort(gateway.address);
  nginx = await startNginx({
    upstream: { kind: "fastcgi", backend: { host: "127.0.0.1", port }, keepConn: true },
    params: "debian",
  });
});
afterAll(async () => {
  await nginx?.close();
  await gateway?.close(1000);
  if (fixture) await removeTempDir(dirname(fixture.dir));
});

describe("mixedDirectory behind nginx FastCGI (Debian params)", () => {
  it("splits the path itself: legacy scripts get SCRIPT_NAME and PATH_INFO as under CGI", async () => {
    const text = await (await fetch(`${nginx.baseUrl}/sub/inner.sh/a/b?x=1`)).text();
    expect(text).toBe("inner /sub/inner.sh /a/b\n");
  });

  it("runs the migrated module in the server process, the legacy script as a child", async () => {
    const app = await (await fetch(`${nginx.baseUrl}/app.mjs/x`)).text();
    expect(app).toBe(`in-process /app.mjs /x ${process.pid}`);
    const env = await (await fetch(`${nginx.baseUrl}/env.sh`)).text();
    expect(env).toContain("GATEWAY_INTERFACE=CGI/1.1\n");
    expect(env).not.toContain(`PPID=${process.pid}\n`);
  });

  it("passes an upload through FCGI_STDIN to the script's stdin", async () => {
    const upload = Buffer.alloc(300 * 1024);
    for (let i = 0; i < upload.length; i++) upload[i] = (i * 13) & 0xff;
    const res = await fetch(`${nginx.baseUrl}/echo.pl`, { method: "POST", body: upload });
    expect(res.status).toBe(201);
    expect(Buffer.from(await res.arrayBuffer()).equals(upload)).toBe(true);
  });

  it("answers 502 for a crash and 504 for a hung script; stderr reaches nginx's log", async () => {
    expect((await fetch(`${nginx.baseUrl}/crash.js`)).status).toBe(502);
    expect((await fetch(`${nginx.baseUrl}/hang.sh`)).status).toBe(504);
    // wsgi.errors travels as FCGI_STDERR, which nginx writes to its error log.
    const logs = await nginx.logs();
    expect(logs).toContain("crash-marker: database is down");
    expect(logs).toContain("ran longer than 800 ms");
    expect(log).not.toContain("crash-marker");
  });
});

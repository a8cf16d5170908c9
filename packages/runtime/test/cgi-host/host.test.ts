import { readFile } from "node:fs/promises";
import { dirname } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cgiHost } from "../../src/cgi-host/host.js";
import { request } from "../../src/test-client/request.js";
import type { Application } from "../../src/types.js";
import { groupExists, parseEnvDump, removeTempDir } from "../support/index.js";
import { makeHostFixture, type HostFixture } from "./scripts.js";

let fixture: HostFixture;
let app: Application;

beforeAll(async () => {
  fixture = await makeHostFixture();
  app = cgiHost(fixture.dir, { timeout: 800, env: { PIDFILE_DIR: fixture.pids } });
});
afterAll(() => removeTempDir(dirname(fixture.dir)));

describe("cgiHost: mapping paths to scripts", () => {
  it("splits SCRIPT_NAME and PATH_INFO at the first file, below the mount", async () => {
    const res = await request(app, { path: "/cgi/sub/inner.sh/a/b%20c", mount: "/cgi" });
    expect(res.text()).toBe("inner /cgi/sub/inner.sh /a/b c\n");
    const bare = await request(app, { path: "/sub/inner.sh" });
    expect(bare.text()).toBe("inner /sub/inner.sh \n");
  });

  it("gives the RFC 3875 variables and nothing of the host's own environment", async () => {
    process.env.CGI_HOST_SERVER_SECRET = "must-not-leak";
    try {
      const res = await request(app, {
        path: "/env.sh/extra",
        query: "x=1",
        headers: { "X-Custom": "v", Proxy: "http://evil.invalid" },
      });
      const env = parseEnvDump(res.text());
      expect(env).toMatchObject({
        GATEWAY_INTERFACE: "CGI/1.1",
        REQUEST_METHOD: "GET",
        SCRIPT_NAME: "/env.sh",
        PATH_INFO: "/extra",
        QUERY_STRING: "x=1",
        SCRIPT_FILENAME: `${fixture.dir}/env.sh`,
        SERVER_PROTOCOL: "HTTP/1.1",
        HTTP_X_CUSTOM: "v",
        PATH: process.env.PATH,
      });
      expect(env.CGI_HOST_SERVER_SECRET).toBeUndefined();
      expect(env.HTTP_PROXY).toBeUndefined();
      expect(env.PWD).toBe(fixture.dir);
    } finally {
      delete process.env.CGI_HOST_SERVER_SECRET;
    }
  });

  it("keeps header values with control characters out of the environment", async () => {
    const res = await request(app, {
      path: "/env.sh",
      headers: { "X-Bad": "a\x01b", "X-Tab": "a\tb" },
      environ: { HTTP_X_NUL: "a\0b", NODE_OPTIONS: "--require /tmp/evil.js", LD_PRELOAD: "x" },
    });
    const env = parseEnvDump(res.text());
    expect(res.status).toBe(200);
    expect(env.HTTP_X_TAB).toBe("a\tb");
    expect(env.HTTP_X_BAD).toBeUndefined();
    expect(env.HTTP_X_NUL).toBeUndefined();
    expect(env.NODE_OPTIONS).toBeUndefined();
    expect(env.LD_PRELOAD).toBeUndefined();
    expect(res.errors).toContain("dropped HTTP_X_BAD, HTTP_X_NUL");
  });

  it("refuses traversal, symlinks out, hidden and missing names", async () => {
    const cases: Array<[string, number]> = [
      ["/../outside/secret.sh", 403],
      ["/%2e%2e/outside/secret.sh", 403],
      ["/sub/..%2fenv.sh", 403],
      ["/env.sh/../../etc/passwd", 403],
      ["/escape.sh", 403],
      ["/escape-dir/secret.sh", 403],
      ["/.hidden.sh", 404],
      ["/missing.sh", 404],
      ["/sub", 404],
      ["/sub/", 404],
    ];
    for (const [path, status] of cases) {
      const res = await request(app, { path });
      expect([path, res.status]).toEqual([path, status]);
      expect(res.text()).not.toContain("secret-outside");
    }
    expect((await request(app, { path: "/inside-link.sh" })).status).toBe(200);
  });

  it("runs only executable files, or files with a configured interpreter", async () => {
    expect((await request(app, { path: "/plain.js" })).status).toBe(403);
    const node = cgiHost(fixture.dir, { interpreters: { ".js": [process.execPath] } });
    const res = await request(node, { path: "/plain.js" });
    expect(res.text()).toBe("interpreted /plain.js\n");
  });
});

describe("cgiHost: the script's answer", () => {
  it("passes the body to stdin and binary output back untouched", async () => {
    const upload = Buffer.alloc(3 * 1024 * 1024 + 7);
    for (let i = 0; i < upload.length; i++) upload[i] = (i * 31) & 0xff;
    const res = await request(app, { method: "PUT", path: "/echo.pl", body: upload });
    expect(res.status).toBe(201);
    expect(res.header("X-Length")).toBe(String(upload.length));
    expect(res.body.equals(upload)).toBe(true);
    const bin = await request(app, { path: "/binary.js" });
    expect(bin.body.length).toBe(256 * 64);
    expect(bin.body.every((b, i) => b === i % 256)).toBe(true);
  });

  it("reads a form POST in a Node script", async () => {
    const res = await request(app, {
      method: "POST",
      path: "/form.cjs",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "name=Ada",
    });
    expect(res.text()).toBe("hello Ada via POST\n");
  });

  it("gives stdin as a pipe, as CGI servers do: Node emits 'close' on it, with or without a body", async () => {
    const post = await request(app, { method: "POST", path: "/stdin-close.js", body: "abc" });
    expect([post.status, post.text()]).toEqual([200, "read 3\n"]);
    const get = await request(app, { path: "/stdin-close.js" });
    expect([get.status, get.text()]).toEqual([200, "read 0\n"]);
  });

  it("gives stdin scripts can open as /dev/stdin, empty without a body", async () => {
    const post = await request(app, { method: "POST", path: "/dev-stdin.js", body: "a=1&b=2" });
    expect(post.text()).toBe("[a=1&b=2]\n");
    expect((await request(app, { path: "/dev-stdin.js" })).text()).toBe("[]\n");
    expect((await request(app, { method: "POST", path: "/cat.sh", body: "piped" })).text()).toBe(
      "piped",
    );
  });

  it("applies Status, Location and nph- status lines, and drops framing headers", async () => {
    const status = await request(app, { path: "/status.sh" });
    expect([status.status, status.text()]).toEqual([404, "nothing here\n"]);
    expect(status.headers.filter(([n]) => n === "Set-Cookie")).toEqual([
      ["Set-Cookie", "a=1"],
      ["Set-Cookie", "b=2"],
    ]);
    const redirect = await request(app, { path: "/redirect.sh" });
    expect([redirect.status, redirect.header("Location")]).toEqual([
      302,
      "http://example.invalid/elsewhere",
    ]);
    const nph = await request(app, { path: "/nph-accepted.sh" });
    expect([nph.status, nph.statusText, nph.text()]).toEqual([202, "Accepted", "queued\n"]);
    expect(nph.header("Connection")).toBeUndefined();
  });

  it("answers a script that never reads its body, and ends at end of output", async () => {
    const big = Buffer.alloc(2 * 1024 * 1024, 0x61);
    const res = await request(app, { method: "POST", path: "/status.sh", body: big });
    expect([res.status, res.text()]).toEqual([404, "nothing here\n"]);
    const started = Date.now();
    const linger = await request(app, { path: "/linger.sh" });
    expect([linger.status, linger.text(), linger.aborted]).toEqual([200, "done\n", false]);
    expect(Date.now() - started).toBeLessThan(500);
  });

  it("copies stderr to wsgi.errors and never to the client", async () => {
    const res = await request(app, { path: "/stderr.pl" });
    expect(res.text()).toBe("ok\n");
    expect(res.errors).toContain("stderr-marker-from-perl");
  });

  it("answers 502 for a crash or output that is not CGI, with the reason in the log", async () => {
    const crash = await request(app, { path: "/crash.js" });
    expect(crash.status).toBe(502);
    expect(crash.text()).not.toContain("crash-marker");
    expect(crash.errors).toContain("crash-marker: database is down");
    expect(crash.errors).toMatch(/exited with code 1/);
    const huge = await request(app, { path: "/huge-head.sh" });
    expect(huge.status).toBe(502);
    expect(huge.errors).toContain("header block passed 8192 bytes");
    const garbage = await request(app, { path: "/garbage.sh" });
    expect(garbage.status).toBe(502);
    expect(garbage.errors).toContain('not a "Name: value" header');
  });

  it("aborts a response whose script is killed mid-body", async () => {
    const res = await request(app, { path: "/crash-mid.sh" });
    expect([res.status, res.text(), res.aborted]).toEqual([200, "begin\n", true]);
    expect(res.errors).toMatch(/killed by SIGKILL mid-response/);
  });

  it("answers 504 for a hung script and reaps it with its children", async () => {
    const res = await request(app, { path: "/hang.sh" });
    expect(res.status).toBe(504);
    const group = Number(await readFile(`${fixture.pids}/hang.pgid`, "utf8"));
    expect(group).toBeGreaterThan(1);
    // It and its `sleep 30` child went down: nothing live is left in its process group
    // (orphans of the killed group are reaped by init in its own time).
    for (let i = 0; i < 50 && groupExists(group); i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(groupExists(group)).toBe(false);
    const late = await request(app, { path: "/hang-after-headers.sh" });
    expect([late.status, late.text(), late.aborted]).toEqual([200, "partial\n", true]);
    const unbounded = cgiHost(fixture.dir, { timeout: 0 });
    expect((await request(unbounded, { path: "/slow.sh" })).text()).toBe("first\nsecond\n");
  });
});

describe("cgiHost: process slots", () => {
  it("queues beyond maxProcesses, so runs never overlap", async () => {
    const one = cgiHost(fixture.dir, { maxProcesses: 1, env: { PIDFILE_DIR: fixture.pids } });
    const answers = await Promise.all([1, 2, 3].map(() => request(one, { path: "/busy.sh" })));
    expect(answers.map((r) => r.text())).toEqual(Array(3).fill("overlap=no\n"));
  });

  it("answers 503 when the queue is full", async () => {
    const one = cgiHost(fixture.dir, {
      maxProcesses: 1,
      maxQueue: 0,
      env: { PIDFILE_DIR: fixture.pids },
    });
    const answers = await Promise.all([
      request(one, { path: "/busy.sh" }),
      request(one, { path: "/busy.sh" }),
    ]);
    expect(answers.map((r) => r.status).sort()).toEqual([200, 503]);
    expect(answers.find((r) => r.status === 503)!.errors).toContain("process slots are busy");
  });
});

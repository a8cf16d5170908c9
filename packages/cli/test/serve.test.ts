import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const bin = [
  "--conditions=cgi2wsgi-source",
  "--import",
  "tsx",
  join(root, "packages/cli/bin/cgi2wsgi.js"),
];

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "cli-serve-"));
  mkdirSync(join(dir, "cgi-bin"));
  writeFileSync(
    join(dir, "cgi-bin", "hello.mjs"),
    `export function application(environ, start_response) {
  start_response("200 OK", [["Content-Type", "text/plain"]]);
  return ["hello " + environ.SCRIPT_NAME + " " + environ.PATH_INFO + " " + environ["wsgi.input"].read()];
}\n`,
  );
  writeFileSync(
    join(dir, "cgi-bin", "typed.ts"),
    `import type { Application } from "@cgi2wsgi/runtime";
export const application: Application = (_environ, start_response) => {
  start_response("200 OK", [["Content-Type", "text/plain"]]);
  return ["typed"];
};\n`,
  );
  writeFileSync(join(dir, "notes.txt"), "not a module\n");
  writeFileSync(
    join(dir, "cgi-bin", "legacy.cgi"),
    '#!/bin/sh\nprintf "Content-Type: text/plain\\n\\nlegacy %s\\n" "$PATH_INFO"\n',
    { mode: 0o755 },
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Starts `serve` and resolves with the URL from its start-up line, and its log so far. */
function startServe(
  args: string[],
): Promise<{ child: ChildProcess; url: string; log: () => string }> {
  const child = spawn(process.execPath, [...bin, "serve", ...args], { cwd: root });
  return new Promise((resolve, reject) => {
    let err = "";
    child.stderr!.on("data", (chunk: Buffer) => {
      err += chunk;
      const match = /over \S+ on (\S+) \((?:pid|\d+ workers)/.exec(err);
      if (match) resolve({ child, url: match[1]!, log: () => err });
    });
    child.once("exit", (code) => reject(new Error(`serve exited ${code}: ${err}`)));
  });
}

/** Whether a process with this pid still exists. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Waits until `test` holds, checking every 20 ms; throws after `ms`. */
async function until(test: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!test()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("cgi2wsgi serve", () => {
  it("serves a directory over HTTP: application modules in-process, .ts included, legacy scripts as CGI", async () => {
    const { child, url } = await startServe([dir, "--listen", "127.0.0.1:0"]);
    try {
      const hello = await fetch(`${url}/cgi-bin/hello.mjs/extra?q=1`, {
        method: "POST",
        body: "body",
      });
      expect(hello.status).toBe(200);
      expect(await hello.text()).toBe("hello /cgi-bin/hello.mjs /extra body");
      expect(await (await fetch(`${url}/cgi-bin/typed.ts`)).text()).toBe("typed");
      // Neither an application nor executable: the CGI host refuses to run it.
      expect((await fetch(`${url}/notes.txt`)).status).toBe(403);
      const legacy = await fetch(`${url}/cgi-bin/legacy.cgi/p`);
      expect(await legacy.text()).toBe("legacy /p\n");
    } finally {
      child.kill("SIGTERM");
    }
    const code = child.exitCode ?? (await once(child, "exit"))[0];
    expect(code).toBe(0);
  });

  it("answers / with an index of what the directory serves under --index", async () => {
    const { child, url } = await startServe([dir, "--index", "--listen", "127.0.0.1:0"]);
    try {
      const text = await (await fetch(`${url}/`, { headers: { accept: "text/plain" } })).text();
      expect(text).toBe(
        "application /cgi-bin/hello.mjs\ncgi         /cgi-bin/legacy.cgi\napplication /cgi-bin/typed.ts\n",
      );
      const html = await (await fetch(url)).text();
      expect(html).toContain('<a href="/cgi-bin/legacy.cgi">/cgi-bin/legacy.cgi</a> CGI script');
    } finally {
      child.kill("SIGTERM");
    }
    expect(child.exitCode ?? (await once(child, "exit"))[0]).toBe(0);
  });

  it("serves FastCGI to a real client (cgi-fcgi) and drains on SIGTERM", async () => {
    const { child, url } = await startServe([
      dir,
      "--protocol",
      "fastcgi",
      "--listen",
      "127.0.0.1:0",
    ]);
    try {
      const result = spawnSync("cgi-fcgi", ["-bind", "-connect", url], {
        input: "",
        env: {
          REQUEST_METHOD: "GET",
          SCRIPT_NAME: "/cgi-bin/hello.mjs",
          PATH_INFO: "/fcgi",
          QUERY_STRING: "",
          SERVER_NAME: "localhost",
          SERVER_PORT: "80",
          SERVER_PROTOCOL: "HTTP/1.1",
        },
      });
      expect(result.stdout.toString()).toMatch(/^Content-Type: text\/plain\r\n\r\nhello /);
    } finally {
      child.kill("SIGTERM");
    }
    expect(child.exitCode ?? (await once(child, "exit"))[0]).toBe(0);
  });

  it("serves with prefork workers sharing the socket", async () => {
    const { child, url } = await startServe([dir, "--workers", "2", "--listen", "127.0.0.1:0"]);
    try {
      const answers = await Promise.all(
        Array.from({ length: 6 }, () => fetch(`${url}/cgi-bin/typed.ts`).then((r) => r.text())),
      );
      expect(answers).toEqual(Array(6).fill("typed"));
    } finally {
      child.kill("SIGTERM");
    }
    expect(child.exitCode ?? (await once(child, "exit"))[0]).toBe(0);
  });

  it("serves one request as a CGI program with --protocol cgi", () => {
    const result = spawnSync(
      process.execPath,
      [...bin, "serve", join(dir, "cgi-bin", "hello.mjs"), "--protocol", "cgi"],
      {
        cwd: root,
        input: "posted",
        env: { ...process.env, REQUEST_METHOD: "POST", PATH_INFO: "/p", CONTENT_LENGTH: "6" },
      },
    );
    expect(result.status).toBe(0);
    expect(result.stdout.toString()).toBe("Content-Type: text/plain\r\n\r\nhello  /p posted");
  });

  it("exits 2 with advice for a directory without applications and for bad options", () => {
    const empty = mkdtempSync(join(tmpdir(), "cli-empty-"));
    const none = spawnSync(process.execPath, [...bin, "serve", empty, "--modules-only"], {
      cwd: root,
    });
    expect(none.status).toBe(2);
    expect(none.stderr.toString()).toMatch(/exports an application; run `cgi2wsgi migrate/);
    const bad = spawnSync(process.execPath, [...bin, "serve", dir, "--max-body", "lots"], {
      cwd: root,
    });
    expect(bad.status).toBe(2);
    expect(bad.stderr.toString()).toContain("--max-body must be a whole number");
    const errors = spawnSync(process.execPath, [...bin, "serve", dir, "--errors", "syslog"], {
      cwd: root,
    });
    expect(errors.status).toBe(2);
    expect(errors.stderr.toString()).toContain(
      '--errors does not accept "syslog"; use front or local',
    );
    rmSync(empty, { recursive: true });
  });

  it("takes the operation options: --timeout, --access-log -, --status-path, --ping-path", async () => {
    writeFileSync(
      join(dir, "cgi-bin", "hang.mjs"),
      "export const application = () => new Promise(() => {});\n",
    );
    const { child, url } = await startServe([
      dir,
      "--listen",
      "127.0.0.1:0",
      "--timeout",
      "300ms",
      "--access-log",
      "-",
      "--access-log-format",
      "json",
      "--status-path",
      "/status",
      "--ping-path",
      "/ping",
    ]);
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => (out += chunk));
    try {
      const started = Date.now();
      expect((await fetch(`${url}/cgi-bin/hang.mjs`)).status).toBe(504);
      expect(Date.now() - started).toBeLessThan(3000);
      expect(await (await fetch(`${url}/ping`)).text()).toBe("pong\n");
      const status = (await (await fetch(`${url}/status`)).json()) as {
        requests: Record<string, number>;
      };
      expect(status.requests["5xx"]).toBe(1);
      const scraped = await (await fetch(`${url}/status?prometheus`)).text();
      expect(scraped).toMatch(/^cgi2wsgi_requests_total\{class="5xx"\} 1$/m);
      expect(JSON.parse(out.split("\n")[0]!)).toMatchObject({
        uri: "/cgi-bin/hang.mjs",
        status: 504,
      });
    } finally {
      child.kill("SIGKILL");
      rmSync(join(dir, "cgi-bin", "hang.mjs"));
    }
    const bad = spawnSync(process.execPath, [...bin, "serve", dir, "--timeout", "soon"], {
      cwd: root,
    });
    expect(bad.status).toBe(2);
    expect(bad.stderr.toString()).toContain("--timeout must be a duration such as 30s");
  });

  it("kills a legacy CGI script at --timeout, not at the CGI host's own 30 s: 504, logged why", async () => {
    const pidFile = join(dir, "slow.pid");
    writeFileSync(
      join(dir, "cgi-bin", "slow.cgi"),
      `#!/bin/sh\necho $$ > '${pidFile}'\nsleep 40\nprintf "Content-Type: text/plain\\n\\nlate\\n"\n`,
      { mode: 0o755 },
    );
    const { child, url, log } = await startServe([
      dir,
      "--listen",
      "127.0.0.1:0",
      "--timeout",
      "1s",
      "--access-log",
      "-",
    ]);
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => (out += chunk));
    try {
      const started = Date.now();
      const reply = await fetch(`${url}/cgi-bin/slow.cgi`);
      const waited = Date.now() - started;
      expect(reply.status).toBe(504);
      expect(await reply.text()).not.toContain("late");
      expect(waited).toBeGreaterThanOrEqual(900);
      expect(waited).toBeLessThan(10_000);
      // The script itself is gone (its process group killed), not left running for 30 s.
      const pid = Number(readFileSync(pidFile, "utf8"));
      await until(() => !alive(pid), 5000);
      await until(() => log().includes("slow.cgi ran longer than 1000 ms and was killed"), 5000);
      await until(() => / "GET \/cgi-bin\/slow\.cgi HTTP\/1\.1" 504 /.test(out), 5000);
      // The slot is free again: a quick script still answers.
      expect(await (await fetch(`${url}/cgi-bin/legacy.cgi/p`)).text()).toBe("legacy /p\n");
    } finally {
      child.kill("SIGKILL");
      rmSync(join(dir, "cgi-bin", "slow.cgi"));
      rmSync(pidFile, { force: true });
    }
  });
});

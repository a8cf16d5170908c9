import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { FcgiClient, fcgiRequest, resultOf } from "./client.js";

const entry = join(import.meta.dirname, "fixtures", "serve-entry.ts");
let child: ChildProcess | undefined;
let dir: string | undefined;
let stderr = "";

afterEach(async () => {
  if (child && child.exitCode === null && child.signalCode === null) {
    child.kill("SIGKILL");
    await once(child, "exit");
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
  child = dir = undefined;
});

/** Starts the entry as a real process and waits until it answers. */
async function start(env: Record<string, string>): Promise<string> {
  dir = mkdtempSync(join(tmpdir(), "cgi2wsgi-fcgi-life-"));
  const address = `unix:${join(dir, "app.sock")}`;
  stderr = "";
  child = spawn(process.execPath, ["--conditions=cgi2wsgi-source", "--import", "tsx", entry], {
    env: { ...process.env, TEST_LISTEN: address, ...env },
    stdio: ["ignore", "inherit", "pipe"],
  });
  child.stderr!.on("data", (chunk) => (stderr += chunk));
  for (let i = 0; i < 200; i++) {
    try {
      await fcgiRequest(address, {});
      return address;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`the server did not come up: ${stderr}`);
}

const pidOf = (body: Buffer): number => {
  const match = /pid=(\d+)/.exec(body.toString());
  if (!match)
    throw new Error(`no pid in ${JSON.stringify(body.toString())}; server log: ${stderr}`);
  return Number(match[1]);
};

/** Pids that answered `n` concurrent requests; with `lenient`, failed requests are skipped. */
async function pids(address: string, n: number, lenient = false): Promise<Set<number>> {
  const results = await Promise.all(
    Array.from({ length: n }, () =>
      fcgiRequest(address, { QUERY_STRING: "sleep=20" }).catch((error: unknown) => {
        if (lenient) return undefined;
        throw error;
      }),
    ),
  );
  const answered = results.filter((r) => r !== undefined && (!lenient || r.status === 200));
  return new Set(answered.map((r) => pidOf(r!.body)));
}

/** Waits until `n` prefork workers accept (a loaded host can take seconds to boot one). */
async function workersUp(address: string, n: number): Promise<Set<number>> {
  let seen = new Set<number>();
  for (let i = 0; i < 100 && seen.size < n; i++) {
    seen = new Set([...seen, ...(await pids(address, 10))]);
  }
  return seen;
}

describe("serve() on an inherited socket", () => {
  it("serves systemd's socket (LISTEN_FDS, fd 3) without --listen", async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const fd = (server as unknown as { _handle: { fd: number } })._handle.fd;
    stderr = "";
    // `exec` keeps the shell's pid, so LISTEN_PID names the node process as systemd does.
    child = spawn(
      "sh",
      [
        "-c",
        `LISTEN_PID=$$ exec "${process.execPath}" --conditions=cgi2wsgi-source --import tsx "${entry}"`,
      ],
      {
        env: { ...process.env, LISTEN_FDS: "1", TEST_LISTEN: "" },
        stdio: ["ignore", "inherit", "pipe", fd],
      },
    );
    child.stderr!.on("data", (chunk) => (stderr += chunk));
    // The child holds its own copy of the socket; this process must not accept on it.
    server.close();
    const address = `127.0.0.1:${port}`;
    let result;
    for (let i = 0; i < 200 && !result; i++) {
      result = await fcgiRequest(address, {}).catch(() => undefined);
      if (!result) await new Promise((r) => setTimeout(r, 50));
    }
    expect(result?.status).toBe(200);
    // No --listen was given: the port it reports is the inherited socket's.
    expect(stderr).toContain(`on 127.0.0.1:${port}`);
  });
});

describe("serve() lifecycle", () => {
  it("drains in-flight requests on SIGTERM, then exits 0", async () => {
    const address = await start({});
    const inFlight = Array.from({ length: 5 }, () =>
      fcgiRequest(address, { QUERY_STRING: "sleep=300" }),
    );
    await new Promise((r) => setTimeout(r, 100));
    child!.kill("SIGTERM");
    const results = await Promise.all(inFlight);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    const [code] = await once(child!, "exit");
    expect(code).toBe(0);
    expect(stderr).toContain("SIGTERM: finishing in-flight requests");
  });

  it("exits at once on a second signal", async () => {
    const address = await start({});
    const slow = fcgiRequest(address, { QUERY_STRING: "sleep=5000" }).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 100));
    child!.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 50));
    child!.kill("SIGTERM");
    const started = Date.now();
    await once(child!, "exit");
    expect(Date.now() - started).toBeLessThan(2000);
    await slow;
  });

  it("prefork: workers share the socket, a killed worker is replaced, SIGTERM drains all", async () => {
    const address = await start({ TEST_WORKERS: "2" });
    const seen = await workersUp(address, 2);
    expect(seen.size).toBe(2);
    // Only the killed worker's in-flight requests fail; the other worker's complete.
    const clients = await Promise.all(
      Array.from({ length: 10 }, async () => {
        const client = await FcgiClient.connect(address);
        client.write(FcgiClient.requestBytes(1, { QUERY_STRING: "stream=1&sleep=300" }));
        return client;
      }),
    );
    const workerOf = async (client: FcgiClient): Promise<number> => {
      await client.until((rs) => /pid=\d+/.test(resultOf(rs, 1).body.toString()));
      return pidOf(resultOf(client.records, 1).body);
    };
    const owners = await Promise.all(clients.map(workerOf));
    const victim = owners[0]!;
    process.kill(victim, "SIGKILL");
    const results = await Promise.all(clients.map((c) => c.result(1)));
    results.forEach((result, i) => {
      const completed = result.appStatus === 0 && result.body.toString().endsWith(" done");
      expect(completed).toBe(owners[i] !== victim);
    });
    clients.forEach((c) => c.close());
    let replaced = false;
    for (let i = 0; i < 50 && !replaced; i++) {
      // Connections the victim accepted just before it died may fail; others must not.
      const now = await pids(address, 10, true);
      replaced = [...now].some((pid) => !seen.has(pid));
    }
    expect(replaced).toBe(true);
    expect(stderr).toMatch(/worker \d+ exited \(signal SIGKILL\); starting another/);
    const inFlight = Array.from({ length: 6 }, () =>
      fcgiRequest(address, { QUERY_STRING: "sleep=300" }),
    );
    await new Promise((r) => setTimeout(r, 100));
    child!.kill("SIGTERM");
    expect((await Promise.all(inFlight)).map((r) => r.status)).toEqual([
      200, 200, 200, 200, 200, 200,
    ]);
    const [code] = await once(child!, "exit");
    expect(code).toBe(0);
  });

  it("prefork: recycles a worker after its request quota", async () => {
    const address = await start({ TEST_WORKERS: "2", TEST_RECYCLE: "5" });
    // Every request must succeed while workers come and go (a successor takes a moment to
    // boot; the retiring worker serves until it is up).
    const all = new Set<number>();
    for (let i = 0; i < 200 && all.size < 4; i++) {
      for (const pid of await pids(address, 4)) all.add(pid);
    }
    expect(all.size).toBeGreaterThanOrEqual(4);
    expect(stderr).not.toMatch(/exited \(/);
  });
});

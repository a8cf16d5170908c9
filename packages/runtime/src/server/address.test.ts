import { spawnSync } from "node:child_process";
import { once } from "node:events";
import { closeSync, mkdtempSync, openSync, rmSync } from "node:fs";
import { connect, createServer, type AddressInfo, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  formatListenAddress,
  inheritedAddress,
  isListeningSocket,
  ListenAddressError,
  parseListenAddress,
} from "./address.js";

describe("parseListenAddress", () => {
  it("reads every accepted form", () => {
    expect(parseListenAddress("127.0.0.1:9000")).toEqual({
      kind: "tcp",
      host: "127.0.0.1",
      port: 9000,
    });
    expect(parseListenAddress(":9000")).toEqual({ kind: "tcp", host: undefined, port: 9000 });
    expect(parseListenAddress("[::1]:80")).toEqual({ kind: "tcp", host: "::1", port: 80 });
    expect(parseListenAddress("unix:/run/a.sock")).toEqual({ kind: "unix", path: "/run/a.sock" });
    expect(parseListenAddress("fd:0")).toEqual({ kind: "fd", fd: 0 });
  });

  it("round-trips through formatListenAddress", () => {
    for (const v of ["127.0.0.1:9000", ":1", "[::1]:80", "unix:/x", "fd:3"]) {
      expect(formatListenAddress(parseListenAddress(v))).toBe(v);
    }
  });

  it("refuses what it cannot read, saying what would work", () => {
    for (const v of ["9000", "host:", "host:99999", "fd:x", "unix:", "h:12a"]) {
      expect(() => parseListenAddress(v)).toThrow(ListenAddressError);
    }
    expect(() => parseListenAddress("9000")).toThrow(/HOST:PORT/);
  });
});

describe("inheritedAddress", () => {
  it("takes systemd's first socket (fd 3) when LISTEN_PID names this process", () => {
    const env = { LISTEN_FDS: "1", LISTEN_PID: String(process.pid) };
    expect(inheritedAddress(env)).toEqual({ kind: "fd", fd: 3 });
  });

  it("ignores LISTEN_FDS meant for another process (a parent that forgot to unset it)", () => {
    const env = { LISTEN_FDS: "1", LISTEN_PID: String(process.pid + 1) };
    expect(inheritedAddress(env)).not.toEqual({ kind: "fd", fd: 3 });
  });
});

describe("isListeningSocket", () => {
  let server: Server | undefined;
  let dir: string | undefined;
  afterEach(() => {
    server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    server = dir = undefined;
  });

  it("is false for files, closed descriptors and connected sockets", async () => {
    dir = mkdtempSync(join(tmpdir(), "cgi2wsgi-addr-"));
    const fd = openSync(join(dir, "f"), "w");
    expect(isListeningSocket(fd)).toBe(false);
    closeSync(fd);
    expect(isListeningSocket(9999)).toBe(false);
    server = createServer();
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    const client = connect((server.address() as AddressInfo).port, "127.0.0.1");
    await once(client, "connect");
    expect(isListeningSocket(fdOf(client))).toBe(false);
    expect(isListeningSocket(fdOf(server))).toBe(true);
    client.destroy();
  });

  it("tells a listening unix socket from a connected one, in a child process", async () => {
    dir = mkdtempSync(join(tmpdir(), "cgi2wsgi-addr-"));
    const path = join(dir, "s");
    server = createServer();
    await new Promise<void>((resolve) => server!.listen(path, resolve));
    const probe = `import("${join(import.meta.dirname, "address.ts")}").then(m => process.stdout.write(String(m.isListeningSocket(0))))`;
    // A listening socket as stdin, the way lighttpd bin-path starts a FastCGI program.
    const listening = spawnSync(process.execPath, ["--import", "tsx", "-e", probe], {
      stdio: [fdOf(server), "pipe", "inherit"],
    });
    expect(listening.stdout.toString()).toBe("true");
    const piped = spawnSync(process.execPath, ["--import", "tsx", "-e", probe], { input: "x" });
    expect(piped.stdout.toString()).toBe("false");
  });
});

/** The descriptor under a Node socket or server (an internal, stable for years). */
function fdOf(handle: Server | Socket): number {
  return (handle as unknown as { _handle: { fd: number } })._handle.fd;
}

import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Application } from "../types.js";
import { runCgi, type CgiOptions } from "./gateway.js";

let dir: string;
beforeEach(() => void (dir = mkdtempSync(join(tmpdir(), "cgi-gateway-"))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Runs one CGI request through real descriptors (files standing in for the pipes). */
async function cgi(
  app: Application,
  env: Record<string, string>,
  body = "",
  extra: CgiOptions = {},
) {
  writeFileSync(join(dir, "in"), body);
  const fds = {
    stdin: openSync(join(dir, "in"), "r"),
    stdout: openSync(join(dir, "out"), "w"),
    stderr: openSync(join(dir, "err"), "w"),
  };
  try {
    await runCgi(app, { env, ...fds, ...extra });
  } finally {
    Object.values(fds).forEach((fd) => closeSync(fd));
  }
  return {
    out: readFileSync(join(dir, "out"), "latin1"),
    err: readFileSync(join(dir, "err"), "utf8"),
  };
}

const echo: Application = (environ, start) => {
  start("201 Created", [
    ["Content-Type", "text/plain"],
    ["Set-Cookie", "a=1"],
    ["Set-Cookie", "b=2"],
  ]);
  environ["wsgi.errors"].write("to stderr\n");
  return [`${environ.REQUEST_METHOD} ${environ.PATH_INFO} [`, environ["wsgi.input"].read(), "]"];
};

describe("runCgi", () => {
  it("reads exactly CONTENT_LENGTH bytes and writes a Status header block", async () => {
    const { out, err } = await cgi(
      echo,
      {
        REQUEST_METHOD: "POST",
        PATH_INFO: "/p",
        CONTENT_LENGTH: "5",
        GATEWAY_INTERFACE: "CGI/1.1",
      },
      "hello and trailing garbage",
    );
    expect(out).toBe(
      "Status: 201 Created\r\nContent-Type: text/plain\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\n\r\nPOST /p [hello]",
    );
    expect(err).toBe("to stderr\n");
  });

  it("marks the environ as a run-once, multiprocess gateway and drops HTTP_PROXY", async () => {
    let seen: Record<string, unknown> = {};
    const app: Application = (environ, start) => {
      seen = { ...environ };
      start("200 OK", []);
      return [];
    };
    await cgi(app, { REQUEST_METHOD: "GET", HTTP_PROXY: "http://evil", SCRIPT_NAME: "/" });
    expect(seen["wsgi.run_once"]).toBe(true);
    expect(seen["wsgi.multiprocess"]).toBe(true);
    expect(seen["wsgi.multithread"]).toBe(false);
    expect(seen).not.toHaveProperty("HTTP_PROXY");
    expect(seen.SCRIPT_NAME).toBe("");
  });

  it("answers 413 without calling the app when the body is over the limit", async () => {
    let called = false;
    const app: Application = (_e, start) => {
      called = true;
      start("200 OK", []);
      return [];
    };
    const { out } = await cgi(
      app,
      { REQUEST_METHOD: "POST", CONTENT_LENGTH: "100" },
      "x".repeat(100),
      {
        maxBody: 10,
      },
    );
    expect(called).toBe(false);
    expect(out).toMatch(/^Status: 413 Content Too Large\r\n/);
  });

  it("answers 400 without calling the app when stdin ends before CONTENT_LENGTH", async () => {
    let called = false;
    const app: Application = (_e, start) => {
      called = true;
      start("200 OK", []);
      return [];
    };
    const { out } = await cgi(app, { REQUEST_METHOD: "POST", CONTENT_LENGTH: "7" }, "abc");
    expect(called).toBe(false);
    expect(out).toMatch(/^Status: 400 Bad Request\r\n/);
  });

  it("reads a chunked body to EOF when the server sends no CONTENT_LENGTH, as Apache does", async () => {
    const { out } = await cgi(
      echo,
      { REQUEST_METHOD: "POST", PATH_INFO: "/c", HTTP_TRANSFER_ENCODING: "chunked" },
      "streamed body",
    );
    expect(out).toMatch(/POST \/c \[streamed body\]$/);
  });

  it("gives a 500 page and the stack on stderr when the app throws", async () => {
    const { out, err } = await cgi(
      () => {
        throw new Error("kaput");
      },
      { REQUEST_METHOD: "GET" },
    );
    expect(out).toMatch(/^Status: 500 Internal Server Error\r\n/);
    expect(out).not.toContain("kaput");
    expect(err).toContain("kaput");
  });
});

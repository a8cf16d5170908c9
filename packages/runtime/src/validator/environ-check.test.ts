import { describe, expect, it } from "vitest";
import { buildEnviron } from "../core/environ.js";
import { createErrorStream } from "../core/errors-stream.js";
import { inputFromBuffer } from "../core/input.js";
import { checkEnviron } from "./environ-check.js";
import type { ContractRule } from "./rules.js";

function goodEnviron(): Record<string, unknown> {
  return buildEnviron(
    {
      REQUEST_METHOD: "POST",
      SCRIPT_NAME: "/app",
      PATH_INFO: "/items/1",
      QUERY_STRING: "a=1",
      CONTENT_TYPE: "text/plain",
      CONTENT_LENGTH: "2",
      SERVER_NAME: "example.org",
      SERVER_PORT: "443",
      SERVER_PROTOCOL: "HTTP/1.1",
      HTTP_HOST: "example.org",
      HTTPS: "on",
    },
    {
      input: inputFromBuffer(Buffer.from("hi")),
      errors: createErrorStream(() => {}),
      multithread: true,
      multiprocess: false,
      runOnce: false,
    },
  );
}

function rulesOf(environ: unknown): ContractRule[] {
  const rules: ContractRule[] = [];
  checkEnviron(environ, (rule) => rules.push(rule));
  return rules;
}

function changed(edit: (env: Record<string, unknown>) => void): ContractRule[] {
  const env = goodEnviron();
  edit(env);
  return rulesOf(env);
}

describe("checkEnviron", () => {
  it("accepts the environ the core builds", () => {
    expect(rulesOf(goodEnviron())).toEqual([]);
    expect(changed((env) => void (env.SCRIPT_NAME = ""))).toEqual([]);
    expect(changed((env) => void (env.PATH_INFO = ""))).toEqual([]);
    expect(changed((env) => void ((env.SCRIPT_NAME = ""), (env.PATH_INFO = "/")))).toEqual([]);
    expect(changed((env) => void delete env.CONTENT_LENGTH)).toEqual([]);
  });

  it.each([null, undefined, "REQUEST_METHOD=GET", [["REQUEST_METHOD", "GET"]]])(
    "environ-not-object: %j",
    (environ) => {
      expect(rulesOf(environ)).toEqual(["environ-not-object"]);
    },
  );

  it.each([
    "REQUEST_METHOD",
    "SCRIPT_NAME",
    "PATH_INFO",
    "QUERY_STRING",
    "SERVER_NAME",
    "SERVER_PORT",
    "SERVER_PROTOCOL",
    "wsgi.version",
    "wsgi.url_scheme",
    "wsgi.input",
    "wsgi.errors",
    "wsgi.multithread",
    "wsgi.multiprocess",
    "wsgi.run_once",
  ])("environ-missing-key: %s", (key) => {
    expect(changed((env) => void delete env[key])).toEqual(["environ-missing-key"]);
  });

  it.each([
    ["SERVER_PORT", 443],
    ["QUERY_STRING", undefined],
    ["HTTP_COOKIE", ["a=1", "b=2"]],
    ["CONTENT_LENGTH", 2],
    ["REMOTE_ADDR", null],
  ])("environ-value-type: %s = %j", (key, value) => {
    expect(changed((env) => void (env[key] = value))).toContain("environ-value-type");
  });

  it.each(["HTTP_PROXY", "HTTP_CONTENT_TYPE", "HTTP_CONTENT_LENGTH"])(
    "environ-forbidden-key: %s",
    (key) => {
      expect(changed((env) => void (env[key] = "x"))).toEqual(["environ-forbidden-key"]);
    },
  );

  it("environ-empty-path: both SCRIPT_NAME and PATH_INFO empty", () => {
    expect(changed((env) => void (env.PATH_INFO = env.SCRIPT_NAME = ""))).toEqual([
      "environ-empty-path",
    ]);
  });

  it.each<[ContractRule, string, string]>([
    ["environ-request-method", "REQUEST_METHOD", ""],
    ["environ-request-method", "REQUEST_METHOD", "GET /"],
    ["environ-script-name", "SCRIPT_NAME", "/"],
    ["environ-script-name", "SCRIPT_NAME", "app"],
    ["environ-path-info", "PATH_INFO", "items/1"],
    ["environ-content-length", "CONTENT_LENGTH", ""],
    ["environ-content-length", "CONTENT_LENGTH", "-1"],
    ["environ-content-length", "CONTENT_LENGTH", "12 bytes"],
    ["environ-content-type", "CONTENT_TYPE", ""],
  ])("%s: %s = %j", (rule, key, value) => {
    expect(changed((env) => void (env[key] = value))).toEqual([rule]);
  });

  it.each<[ContractRule, string, unknown]>([
    ["wsgi-version", "wsgi.version", [1, 1]],
    ["wsgi-version", "wsgi.version", "1.0"],
    ["wsgi-url-scheme", "wsgi.url_scheme", "HTTPS"],
    ["wsgi-url-scheme", "wsgi.url_scheme", "ftp"],
    ["wsgi-input", "wsgi.input", Buffer.from("body")],
    ["wsgi-input", "wsgi.input", { read: () => Buffer.alloc(0) }],
    ["wsgi-input", "wsgi.input", null],
    ["wsgi-errors", "wsgi.errors", process.stderr],
    ["wsgi-errors", "wsgi.errors", { write() {}, flush() {} }],
    ["wsgi-flags", "wsgi.multithread", "true"],
    ["wsgi-flags", "wsgi.multiprocess", 0],
    ["wsgi-flags", "wsgi.run_once", undefined],
  ])("%s: %s = %o", (rule, key, value) => {
    expect(changed((env) => void (env[key] = value))).toEqual([rule]);
  });

  it("wsgi-input-length: an input longer or shorter than CONTENT_LENGTH", () => {
    expect(changed((env) => void (env.CONTENT_LENGTH = "3"))).toEqual(["wsgi-input-length"]);
    expect(changed((env) => void (env.CONTENT_LENGTH = "1"))).toEqual(["wsgi-input-length"]);
    expect(changed((env) => void delete env.CONTENT_LENGTH)).toEqual([]);
  });

  it("names the missing members of wsgi.input", () => {
    const details: string[] = [];
    checkEnviron({ ...goodEnviron(), "wsgi.input": { read() {}, length: 0 } }, (_r, d) =>
      details.push(d),
    );
    expect(details).toEqual([
      expect.stringContaining("readline(), readlines(), [Symbol.iterator]"),
    ]);
  });

  it("reports every broken rule, not just the first", () => {
    const rules = changed((env) => {
      env.SCRIPT_NAME = "/";
      env.HTTP_PROXY = "http://evil";
      env["wsgi.run_once"] = "no";
    });
    expect(rules.sort()).toEqual(["environ-forbidden-key", "environ-script-name", "wsgi-flags"]);
  });
});

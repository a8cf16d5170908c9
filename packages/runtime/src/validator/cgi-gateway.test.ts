import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runCgi } from "../cgi/gateway.js";
import type { Application } from "../types.js";
import type { ContractViolation } from "./errors.js";
import { validator } from "./validator.js";

// The CGI gateway, on real descriptors (files standing in for the pipes a web server
// gives a CGI program), is the server under the validator here.

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

async function runAsCgi(app: Application, env: Record<string, string>, body: string) {
  dir = mkdtempSync(join(tmpdir(), "cgi2wsgi-validator-"));
  writeFileSync(join(dir, "stdin"), body);
  const fds = {
    stdin: openSync(join(dir, "stdin"), "r"),
    stdout: openSync(join(dir, "stdout"), "w"),
    stderr: openSync(join(dir, "stderr"), "w"),
  };
  const seen: ContractViolation[] = [];
  let closed = 0;
  const tracked: Application = async (environ, start) =>
    Object.assign(await app(environ, start), { close: () => void closed++ });
  try {
    await runCgi(validator(tracked, { onViolation: (v) => seen.push(v) }), { env, ...fds });
  } finally {
    for (const fd of Object.values(fds)) closeSync(fd);
  }
  return { seen, closed, stdout: readFileSync(join(dir, "stdout"), "latin1") };
}

const form: Application = (environ, start) => {
  const body = environ["wsgi.input"].read(Number(environ.CONTENT_LENGTH ?? 0));
  start("200 OK", [["Content-Type", "text/plain"]]);
  return [`${environ.REQUEST_METHOD} ${environ.SCRIPT_NAME}|${environ.PATH_INFO} ${body}`];
};

describe("the CGI gateway under the validator", () => {
  it("hands a conforming environ to the application and closes its body", async () => {
    const env = {
      GATEWAY_INTERFACE: "CGI/1.1",
      REQUEST_METHOD: "POST",
      SCRIPT_NAME: "/cgi-bin/form.cgi",
      PATH_INFO: "/x",
      QUERY_STRING: "",
      CONTENT_TYPE: "application/x-www-form-urlencoded",
      CONTENT_LENGTH: "7",
      SERVER_NAME: "localhost",
      SERVER_PORT: "80",
      SERVER_PROTOCOL: "HTTP/1.1",
      HTTP_PROXY: "http://evil",
      PATH: "/usr/bin:/bin",
    };
    const { seen, closed, stdout } = await runAsCgi(form, env, "a=1&b=2 and what follows");
    expect(seen).toEqual([]);
    expect(closed).toBe(1);
    expect(stdout).toBe("Content-Type: text/plain\r\n\r\nPOST /cgi-bin/form.cgi|/x a=1&b=2");
  });

  it("cleans up what a careless front server sends", async () => {
    const env = {
      REQUEST_METHOD: "GET",
      SCRIPT_NAME: "/cgi-bin/form.cgi",
      CONTENT_LENGTH: "",
      CONTENT_TYPE: "",
      HTTP_CONTENT_LENGTH: "5",
    };
    const { seen, stdout } = await runAsCgi(form, env, "");
    expect(seen).toEqual([]);
    expect(stdout).toMatch(/\r\n\r\nGET \/cgi-bin\/form.cgi\| $/);
  });
});

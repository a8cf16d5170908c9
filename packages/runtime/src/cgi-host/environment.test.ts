import { describe, expect, it } from "vitest";
import { buildEnviron } from "../core/environ.js";
import { createErrorStream } from "../core/errors-stream.js";
import { inputFromBuffer } from "../core/input.js";
import { scriptEnvironment } from "./environment.js";

const where = { file: "/srv/cgi/form.sh", scriptName: "/cgi/form.sh", pathInfo: "/x" };

function environOf(meta: Record<string, string>, body = "", urlScheme?: string) {
  return buildEnviron(meta, {
    input: inputFromBuffer(Buffer.from(body)),
    errors: createErrorStream(() => {}),
    multithread: true,
    multiprocess: false,
    runOnce: false,
    urlScheme,
  });
}

describe("scriptEnvironment", () => {
  it("keeps meta-variables and headers, sets the script's location, drops wsgi keys", () => {
    const { env } = scriptEnvironment(
      environOf({ REQUEST_METHOD: "GET", HTTP_ACCEPT: "*/*", DOCUMENT_ROOT: "/srv/www/" }),
      where,
      { passEnv: [] },
    );
    expect(env).toEqual({
      REQUEST_METHOD: "GET",
      HTTP_ACCEPT: "*/*",
      DOCUMENT_ROOT: "/srv/www/",
      GATEWAY_INTERFACE: "CGI/1.1",
      SERVER_SOFTWARE: "cgi2wsgi",
      SCRIPT_NAME: "/cgi/form.sh",
      PATH_INFO: "/x",
      PATH_TRANSLATED: "/srv/www/x",
      SCRIPT_FILENAME: "/srv/cgi/form.sh",
      QUERY_STRING: "",
      SERVER_NAME: "localhost",
      SERVER_PORT: "80",
      SERVER_PROTOCOL: "HTTP/1.0",
    });
  });

  it("sets CONTENT_LENGTH to the body the script will read", () => {
    const chunked = scriptEnvironment(environOf({ REQUEST_METHOD: "POST" }, "abc"), where);
    expect(chunked.env.CONTENT_LENGTH).toBe("3");
    const none = scriptEnvironment(environOf({ REQUEST_METHOD: "GET" }), where);
    expect(none.env.CONTENT_LENGTH).toBeUndefined();
  });

  it("drops control characters, httpoxy and interpreter hijacks; host variables come from the allow-list", () => {
    const environ = environOf({
      HTTP_X_A: "ok\tfine",
      HTTP_X_B: "bad\r\nInjected: 1",
      HTTP_X_C: "del\x7f",
      PATH: "/front/server/bin",
      NODE_OPTIONS: "--require /tmp/x.js",
      LD_PRELOAD: "/tmp/x.so",
      PERL5OPT: "-Mevil",
      lowercase: "x",
    });
    environ.HTTP_PROXY = "http://evil.invalid";
    const { env, dropped } = scriptEnvironment(environ, where, {
      passEnv: ["PATH", "NOT_SET_ANYWHERE"],
      env: { REDIRECT_STATUS: "200" },
    });
    expect(dropped).toEqual(["HTTP_X_B", "HTTP_X_C"]);
    expect(env.HTTP_X_A).toBe("ok\tfine");
    expect(env.PATH).toBe(process.env.PATH);
    expect(env.REDIRECT_STATUS).toBe("200");
    for (const name of [
      "HTTP_X_B",
      "HTTP_X_C",
      "HTTP_PROXY",
      "NODE_OPTIONS",
      "LD_PRELOAD",
      "PERL5OPT",
      "lowercase",
      "NOT_SET_ANYWHERE",
    ]) {
      expect(env[name]).toBeUndefined();
    }
  });

  it("marks https requests with HTTPS=on", () => {
    const { env } = scriptEnvironment(environOf({}, "", "https"), where);
    expect(env.HTTPS).toBe("on");
  });
});

import { describe, expect, it } from "vitest";
import { buildEnviron, headersToMeta } from "./environ.js";
import { createErrorStream } from "./errors-stream.js";
import { inputFromBuffer } from "./input.js";

const options = {
  input: inputFromBuffer(Buffer.alloc(0)),
  errors: createErrorStream(() => {}),
  multithread: true,
  multiprocess: false,
  runOnce: false,
};

describe("buildEnviron", () => {
  it("applies the hygiene rules", () => {
    const environ = buildEnviron(
      {
        HTTP_PROXY: "http://evil",
        HTTP_CONTENT_TYPE: "x",
        HTTP_CONTENT_LENGTH: "9",
        CONTENT_TYPE: "",
        CONTENT_LENGTH: "",
        SCRIPT_NAME: "/",
        HTTP_ACCEPT: "*/*",
      },
      options,
    );
    expect(environ).not.toHaveProperty("HTTP_PROXY");
    expect(environ).not.toHaveProperty("HTTP_CONTENT_TYPE");
    expect(environ).not.toHaveProperty("HTTP_CONTENT_LENGTH");
    expect(environ).not.toHaveProperty("CONTENT_TYPE");
    expect(environ).not.toHaveProperty("CONTENT_LENGTH");
    expect(environ.SCRIPT_NAME).toBe("");
    expect(environ.PATH_INFO).toBe("/");
    expect(environ.HTTP_ACCEPT).toBe("*/*");
  });

  it("fills required keys and the wsgi.* keys", () => {
    const environ = buildEnviron({ HTTPS: "on" }, options);
    expect(environ.REQUEST_METHOD).toBe("GET");
    expect(environ.PATH_INFO).toBe("");
    expect(environ.QUERY_STRING).toBe("");
    expect(environ["wsgi.version"]).toEqual([1, 0]);
    expect(environ["wsgi.url_scheme"]).toBe("https");
    expect(environ["wsgi.multithread"]).toBe(true);
    expect(environ["wsgi.run_once"]).toBe(false);
  });
});

describe("latin1 wire strings", () => {
  it("decodes them as UTF-8, as process.env is under CGI", () => {
    const wire = Buffer.from("/café", "utf8").toString("latin1");
    expect(buildEnviron({ PATH_INFO: wire }, { ...options, latin1: true }).PATH_INFO).toBe("/café");
    expect(buildEnviron({ PATH_INFO: "/café" }, options).PATH_INFO).toBe("/café");
  });
});

describe("headersToMeta", () => {
  it("maps names, joins repeats, drops Proxy, Content-* and names with underscores", () => {
    expect(
      headersToMeta([
        "X-Forwarded-For",
        "1.2.3.4",
        "Cookie",
        "a=1",
        "cookie",
        "b=2",
        "Accept",
        "text/html",
        "accept",
        "*/*",
        "Proxy",
        "http://evil",
        "Content-Type",
        "text/plain",
        "X_Forwarded_For",
        "spoof",
      ]),
    ).toEqual({
      HTTP_X_FORWARDED_FOR: "1.2.3.4",
      HTTP_COOKIE: "a=1; b=2",
      HTTP_ACCEPT: "text/html, */*",
    });
  });
});

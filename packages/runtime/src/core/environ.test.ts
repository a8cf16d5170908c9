import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { adoptEnviron, buildEnviron, headersToMeta } from "./environ.js";
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

describe("adoptEnviron", () => {
  const names = fc.constantFrom(
    "HTTP_PROXY",
    "HTTP_CONTENT_TYPE",
    "HTTP_CONTENT_LENGTH",
    "CONTENT_TYPE",
    "CONTENT_LENGTH",
    "SCRIPT_NAME",
    "PATH_INFO",
    "REQUEST_METHOD",
    "HTTPS",
    "REQUEST_SCHEME",
    "HTTP_X_NAME",
  );
  const values = fc.oneof(
    fc.constantFrom("", "/", "on", "https", "x"),
    fc.string({ unit: fc.integer({ min: 0, max: 0xff }).map((c) => String.fromCharCode(c)) }),
  );

  it("gives what buildEnviron gives, on the meta object itself", () => {
    fc.assert(
      fc.property(fc.dictionary(names, values), (meta) => {
        const latin1 = Object.values(meta).some((value) => /[\x80-\xff]/.test(value));
        const expected = buildEnviron(meta, { ...options, latin1: true });
        const own = { ...meta };
        const environ = adoptEnviron(own, { ...options, latin1 });
        expect(environ).toBe(own);
        expect(environ).toEqual(expected);
      }),
    );
  });

  it("decodes latin1-held UTF-8 values", () => {
    const environ = adoptEnviron({ PATH_INFO: "/caf\xc3\xa9" }, { ...options, latin1: true });
    expect(environ.PATH_INFO).toBe("/café");
  });
});

import { describe, expect, it } from "vitest";
import { detect, errorsTarget, ErrorsTargetError } from "./run.js";

describe("detect", () => {
  it("takes a forced protocol or address first", async () => {
    expect(await detect({ env: { CGI2WSGI_PROTOCOL: "cgi", LISTEN_FDS: "1" } })).toMatchObject({
      protocol: "cgi",
    });
    expect(await detect({ env: { CGI2WSGI_LISTEN: "unix:/tmp/x.sock" } })).toMatchObject({
      protocol: "fastcgi",
      listen: "unix:/tmp/x.sock",
    });
    expect(await detect({ protocol: "scgi", listen: ":4000", env: {} })).toMatchObject({
      protocol: "scgi",
      listen: ":4000",
    });
  });

  it("sees a CGI request in the environment without looking at fd 0", async () => {
    const env = { GATEWAY_INTERFACE: "CGI/1.1", REQUEST_METHOD: "GET" };
    expect(await detect({ env })).toMatchObject({ protocol: "cgi" });
  });

  it("ignores LISTEN_FDS meant for another process and falls back to HTTP on $PORT", async () => {
    const env = { LISTEN_FDS: "1", LISTEN_PID: "1", PORT: "8123" };
    // Under vitest fd 0 is no listening socket, so nothing is inherited.
    expect(await detect({ env })).toEqual({
      protocol: "http",
      listen: ":8123",
      reason: "no gateway detected",
    });
  });
});

describe("errorsTarget", () => {
  it("reads CGI2WSGI_ERRORS and refuses what it does not know", () => {
    expect(errorsTarget(undefined)).toBeUndefined();
    expect(errorsTarget("")).toBeUndefined();
    expect(errorsTarget("local")).toBe("local");
    expect(errorsTarget("front")).toBe("front");
    expect(() => errorsTarget("Local")).toThrow(ErrorsTargetError);
    expect(() => errorsTarget("syslog")).toThrow(/must be front or local, got "syslog"/);
  });
});

import { describe, expect, it } from "vitest";
import { request, type TestRequest } from "../test-client/request.js";
import type { Application, Headers, StartResponse } from "../types.js";
import type { ContractViolation } from "./errors.js";
import type { ContractRule } from "./rules.js";
import { validator } from "./validator.js";

const TEXT: Headers = [["Content-Type", "text/plain"]];

/** Runs `app` through the validator in collecting mode and returns the rules it reported. */
async function rulesBroken(app: Application, req: TestRequest = {}): Promise<ContractRule[]> {
  const seen: ContractViolation[] = [];
  await request(validator(app, { onViolation: (v) => seen.push(v) }), req);
  return seen.map((v) => v.rule);
}

/** Log text without stack frames, which name the validator's wrappers when it is there. */
const withoutStack = (text: string) => text.replace(/^\s+at .*\n?/gm, "");

const wellBehaved: Record<string, Application> = {
  "an array body": (_e, start) => {
    start("200 OK", [...TEXT, ["Set-Cookie", "a=1"], ["Set-Cookie", "b=2"]]);
    return ["héllo ", Buffer.from([0, 1, 2, 255])];
  },
  "a generator that starts the response lazily": (environ, start) =>
    (function* () {
      start("201 Created", [["Content-Length", "6"]]);
      yield "";
      yield "abc";
      yield new Uint8Array([100, 101, 102]);
    })(),
  "an async generator from a promise": async (environ, start) => {
    const form = environ["wsgi.input"].read(Number(environ.CONTENT_LENGTH ?? 0)).toString();
    start("200 OK", TEXT);
    return (async function* () {
      yield `got ${form}\n`;
      for await (const line of environ["wsgi.input"]) yield line;
    })();
  },
  "the legacy write() path": (environ, start) => {
    const write = start("200 OK", TEXT);
    write("first,");
    environ["wsgi.errors"].write("a log line\n");
    environ["wsgi.errors"].writelines(["two ", "lines\n"]);
    environ["wsgi.errors"].flush();
    write(Buffer.from("second,"));
    return ["third"];
  },
  "an error replaced with excInfo before the body": (environ, start) => {
    start("200 OK", TEXT);
    try {
      throw new Error("database down");
    } catch (error) {
      start("503 Service Unavailable", TEXT, error);
    }
    const lines = environ["wsgi.input"].readlines(10);
    return [`sorry, ${lines.length} lines\n`, environ["wsgi.input"].readline(3)];
  },
  "an error after the body started, passed on with excInfo": (_e, start) =>
    (function* () {
      start("200 OK", TEXT);
      yield "partial";
      try {
        throw new Error("lost the database half-way");
      } catch (error) {
        start("500 Internal Server Error", TEXT, error);
      }
    })(),
  "a HEAD response with a body the server drops": (_e, start) => {
    start("200 OK", [["Content-Length", "4"]]);
    return ["four"];
  },
};

describe("validator with a well-behaved application", () => {
  for (const [what, app] of Object.entries(wellBehaved)) {
    it(`passes ${what} through untouched`, async () => {
      const req: TestRequest = {
        method: what.startsWith("a HEAD") ? "HEAD" : "POST",
        path: "/x",
        headers: { "Content-Type": "text/plain" },
        body: "a=1\nline two\nline three\n",
      };
      const seen: ContractViolation[] = [];
      const direct = await request(app, req);
      const checked = await request(validator(app, { onViolation: (v) => seen.push(v) }), req);
      expect(seen).toEqual([]);
      expect(checked.status).toBe(direct.status);
      expect(checked.headers).toEqual(direct.headers);
      expect(checked.body.equals(direct.body)).toBe(true);
      expect(withoutStack(checked.errors)).toBe(withoutStack(direct.errors));
      expect(checked.aborted).toBe(direct.aborted);
      expect(direct.status).not.toBe(500);
    });
  }

  it("runs the close() of the application's body exactly once", async () => {
    let closed = 0;
    const app: Application = (_e, start) => {
      start("200 OK", TEXT);
      return {
        *[Symbol.iterator]() {
          yield "x";
        },
        close: () => void closed++,
      };
    };
    const res = await request(validator(app));
    expect(res.text()).toBe("x");
    expect(closed).toBe(1);
  });

  it("runs a generator's finally block (return()) exactly once when the body fails", async () => {
    let finalized = 0;
    const app: Application = (_e, start) => {
      start("200 OK", TEXT);
      return (async function* () {
        try {
          yield "partial";
          throw new Error("boom");
        } finally {
          finalized++;
        }
      })();
    };
    const res = await request(validator(app));
    expect(res.aborted).toBe(true);
    expect(finalized).toBe(1);
  });
});

describe("validator reports the application's violations", () => {
  const starting =
    (status: string, headers: unknown): Application =>
    (_e, start) => {
      start(status, headers as Headers);
      return ["body"];
    };

  it.each([
    ["status-format", starting("200", TEXT)],
    ["status-format", starting("200 ", TEXT)],
    ["status-format", starting("OK 200", TEXT)],
    ["status-format", starting("99 Low", TEXT)],
    ["status-format", starting("200 OK\r\nX: y", TEXT)],
    ["headers-type", starting("200 OK", { "Content-Type": "text/plain" })],
    ["headers-type", starting("200 OK", [["Content-Type"]])],
    ["headers-type", starting("200 OK", [["X-Count", 3]])],
    ["header-name", starting("200 OK", [["Bad Name", "v"]])],
    ["header-name", starting("200 OK", [["", "v"]])],
    ["header-value", starting("200 OK", [["X-A", "a\r\nSet-Cookie: evil=1"]])],
    ["header-value", starting("200 OK", [["X-A", "a\0"]])],
    ["header-hop-by-hop", starting("200 OK", [["Connection", "close"]])],
    ["header-hop-by-hop", starting("200 OK", [["transfer-encoding", "chunked"]])],
    ["header-hop-by-hop", starting("200 OK", [["Keep-Alive", "timeout=5"]])],
    ["header-status", starting("200 OK", [["Status", "404 Not Found"]])],
    ["header-content-length", starting("200 OK", [["Content-Length", "4 bytes"]])],
    [
      "header-content-length",
      starting("200 OK", [
        ["Content-Length", "4"],
        ["Content-Length", "5"],
      ]),
    ],
    ["content-length-mismatch", starting("200 OK", [["Content-Length", "3"]])],
    ["content-length-mismatch", starting("200 OK", [["Content-Length", "40"]])],
  ] as const)("%s: %#", async (rule, app) => {
    expect(await rulesBroken(app)).toContain(rule);
  });

  it("start-response-twice: a second call without excInfo", async () => {
    const app: Application = (_e, start) => {
      start("200 OK", TEXT);
      start("404 Not Found", TEXT);
      return [];
    };
    expect(await rulesBroken(app)).toEqual(["start-response-twice"]);
  });

  it("chunk-before-start-response: a chunk before start_response", async () => {
    expect(await rulesBroken(() => ["too early"])).toEqual(["chunk-before-start-response"]);
  });

  it("no-start-response: a body that ends without start_response", async () => {
    expect(await rulesBroken(() => [])).toEqual(["no-start-response"]);
  });

  it.each([
    ["a number", 42],
    ["null", null],
    ["an array of bytes", [104, 105]],
  ])("chunk-type: a yielded chunk that is %s", async (_what, chunk) => {
    const app: Application = (_e, start) => {
      start("200 OK", TEXT);
      return [chunk as unknown as string];
    };
    expect(await rulesBroken(app)).toContain("chunk-type");
  });

  it("chunk-type: a write() of an object", async () => {
    const app: Application = (_e, start) => {
      start("200 OK", TEXT)({ text: "hi" } as unknown as string);
      return [];
    };
    expect(await rulesBroken(app)).toContain("chunk-type");
  });

  it.each([
    ["a string", "hello"],
    ["a Buffer", Buffer.from("hello")],
    ["undefined", undefined],
    ["a number", 7],
  ])("body-not-iterable: returning %s", async (_what, body) => {
    const app: Application = (_e, start) => {
      start("200 OK", TEXT);
      return body as unknown as string[];
    };
    expect(await rulesBroken(app)).toContain("body-not-iterable");
  });

  it("write-after-finish: write() from a timer after the body ended", async () => {
    let late: Promise<void> = Promise.resolve();
    const seen: ContractRule[] = [];
    const app: Application = (_e, start) => {
      const write = start("200 OK", TEXT);
      late = new Promise((resolve) => setTimeout(() => resolve(write("late")), 5));
      return ["on time"];
    };
    const res = await request(validator(app, { onViolation: (v) => seen.push(v.rule) }));
    await late;
    expect(res.text()).toBe("on time");
    expect(seen).toEqual(["write-after-finish"]);
  });

  it("app-not-callable: wrapping something that is not a function", () => {
    expect(() => validator({} as Application)).toThrow(
      expect.objectContaining({ rule: "app-not-callable", party: "application" }),
    );
  });
});

describe("validator in its default, throwing mode", () => {
  it("fails the request loudly, naming the rule, and never sends the bad header", async () => {
    const app: Application = (_e, start) => {
      start("200 OK", [["Transfer-Encoding", "chunked"]]);
      return ["body"];
    };
    const res = await request(validator(app));
    expect(res.status).toBe(500);
    expect(res.header("transfer-encoding")).toBeUndefined();
    expect(res.errors).toMatch(
      /ContractViolationError: the application broke the contract \(rule header-hop-by-hop\)/,
    );
  });

  it("throws a violation the application swallowed again when its body ends", async () => {
    const swallowing: Application = (environ, start) => {
      try {
        environ["wsgi.input"].read("all" as unknown as number);
      } catch {
        // An application that hides its own mistake.
      }
      start("200 OK", TEXT);
      return [];
    };
    const res = await request(validator(swallowing));
    expect(res.status).toBe(500);
    expect(res.errors).toMatch(/rule input-argument/);
    const streaming: Application = (environ, start) => {
      start("200 OK", TEXT);
      return (function* () {
        yield "sent";
        try {
          environ["wsgi.errors"].write(42 as unknown as string);
        } catch {
          // Swallowed again, after the headers went out.
        }
      })();
    };
    const aborted = await request(validator(streaming));
    expect(aborted.aborted).toBe(true);
    expect(aborted.errors).toMatch(/rule errors-argument/);
  });

  it("throws a ContractViolationError with a stable code and rule", () => {
    const start: StartResponse = () => () => {};
    const checked = validator((_e, s) => {
      s("200", []);
      return [];
    });
    const environ = { REQUEST_METHOD: "GET" } as unknown as Parameters<Application>[0];
    expect(() => checked(environ, start)).toThrow(
      expect.objectContaining({
        code: "ERR_CONTRACT_VIOLATION",
        rule: "environ-missing-key",
        party: "server",
      }),
    );
  });
});

import { describe, expect, it } from "vitest";
import { request } from "../test-client/request.js";
import { buildEnviron } from "./environ.js";
import { errorPage } from "./error-page.js";
import { createErrorStream } from "./errors-stream.js";
import { inputFromBuffer } from "./input.js";
import { runApplication } from "./respond.js";
import type { Application, Chunk } from "../types.js";

const ok = (start: Parameters<Application>[1]) => start("200 OK", [["Content-Type", "text/plain"]]);

describe("runApplication", () => {
  it("sends a list body with its headers", async () => {
    const res = await request((_e, start) => {
      ok(start);
      return ["a", Buffer.from("b")];
    });
    expect(res.status).toBe(200);
    expect(res.header("content-type")).toBe("text/plain");
    expect(res.text()).toBe("ab");
  });

  it("sends a list of strings as each encoded alone, a split surrogate pair included", async () => {
    const res = await request((_e, start) => {
      ok(start);
      return ["line 1\n", "line 2\n", "\ud83d", "\ude00", "\u00e9"];
    });
    expect(res.body.toString("hex")).toBe(
      Buffer.from("line 1\nline 2\n\ufffd\ufffd\u00e9").toString("hex"),
    );
  });

  it("accepts async bodies and promised bodies", async () => {
    const res = await request(async (_e, start) => {
      ok(start);
      return (async function* () {
        yield "x";
        yield "y";
      })();
    });
    expect(res.text()).toBe("xy");
  });

  it("supports the legacy write() path before the returned body", async () => {
    const res = await request((_e, start) => {
      const write = ok(start);
      write("first,");
      return ["second"];
    });
    expect(res.text()).toBe("first,second");
  });

  it.each([
    ["bad status", "200", [] as [string, string][]],
    ["status without reason separator", "OK 200", []],
    ["CR in a header value", "200 OK", [["X-A", "a\r\nSet-Cookie: evil=1"]]],
    ["NUL in a header value", "200 OK", [["X-A", "a\0"]]],
    ["a non-token header name", "200 OK", [["Bad Name", "v"]]],
  ] as const)("turns %s into a 500 that never sends it", async (_what, status, headers) => {
    const res = await request((_e, start) => {
      start(status, headers as [string, string][]);
      return ["body"];
    });
    expect(res.status).toBe(500);
    expect(res.text()).not.toContain("body");
    expect(res.text()).not.toContain("evil");
    expect(res.errors).toMatch(/ResponseContractError/);
  });

  it("refuses a second start_response without excInfo", async () => {
    const res = await request((_e, start) => {
      ok(start);
      start("404 Not Found", []);
      return [];
    });
    expect(res.status).toBe(500);
    expect(res.errors).toContain("start_response was called a second time");
  });

  it("lets excInfo replace headers before they are sent", async () => {
    const res = await request((_e, start) => {
      ok(start);
      try {
        throw new Error("boom");
      } catch (e) {
        start("503 Service Unavailable", [["Content-Type", "text/plain"]], e);
      }
      return ["later"];
    });
    expect(res.status).toBe(503);
    expect(res.text()).toBe("later");
  });

  it("rethrows excInfo once headers are sent, and aborts the response", async () => {
    const res = await request((_e, start) => {
      ok(start);
      return (function* () {
        yield "partial";
        start("500 Internal Server Error", [], new Error("late failure"));
      })();
    });
    expect(res.status).toBe(200);
    expect(res.aborted).toBe(true);
    expect(res.errors).toContain("late failure");
  });

  it("sends headers with the first non-empty chunk, not before", async () => {
    const order: string[] = [];
    const app: Application = (_e, start) => {
      ok(start);
      return (function* () {
        order.push("empty");
        yield "";
        order.push("data");
        yield "d";
      })();
    };
    const res = await request(app);
    expect(res.text()).toBe("d");
    expect(order).toEqual(["empty", "data"]);
  });

  it("sends headers at the end of an empty body", async () => {
    const res = await request((_e, start) => {
      start("204 No Content", []);
      return [];
    });
    expect(res.status).toBe(204);
    expect(res.body.length).toBe(0);
  });

  it("never sends more than Content-Length bytes", async () => {
    const res = await request((_e, start) => {
      start("200 OK", [["Content-Length", "3"]]);
      return ["abcdef", "ghi"];
    });
    expect(res.text()).toBe("abc");
  });

  it("aborts a response shorter than its Content-Length", async () => {
    const res = await request((_e, start) => {
      start("200 OK", [["Content-Length", "10"]]);
      return ["abc"];
    });
    expect(res.aborted).toBe(true);
  });

  it("sends no body for HEAD but keeps the headers", async () => {
    const res = await request(
      (_e, start) => {
        start("200 OK", [["Content-Length", "5"]]);
        return ["hello"];
      },
      { method: "HEAD" },
    );
    expect(res.header("content-length")).toBe("5");
    expect(res.body.length).toBe(0);
    expect(res.aborted).toBe(false);
  });

  it("calls close() exactly once after a normal end and after an error", async () => {
    for (const fail of [false, true]) {
      let closes = 0;
      const body = {
        *[Symbol.iterator](): Iterator<Chunk> {
          yield "a";
          if (fail) throw new Error("mid-body");
        },
        close() {
          closes++;
        },
      };
      await request((_e, start) => {
        ok(start);
        return body;
      });
      expect(closes).toBe(1);
    }
  });

  it("calls a generator's return() when the body is an iterator without close()", async () => {
    let finalized = 0;
    await request((_e, start) => {
      ok(start);
      return (function* () {
        try {
          yield "a";
        } finally {
          finalized++;
        }
      })();
    });
    expect(finalized).toBe(1);
  });

  it("calls close() on a body the application returns only after the timeout", async () => {
    let closes = 0;
    let returned!: () => void;
    const late = new Promise<void>((resolve) => (returned = resolve));
    const app: Application = async (_e, start) => {
      await new Promise((resolve) => setTimeout(resolve, 150));
      ok(start);
      returned();
      return Object.assign(["too late"], { close: () => void closes++ });
    };
    let status = "";
    let written = 0;
    const environ = buildEnviron(
      { REQUEST_METHOD: "GET" },
      {
        input: inputFromBuffer(Buffer.alloc(0)),
        errors: createErrorStream(() => {}),
        multithread: true,
        multiprocess: false,
        runOnce: false,
      },
    );
    await runApplication(
      app,
      environ,
      {
        sendHeaders: (s) => void (status = s),
        write: (chunk) => void (written += chunk.length),
        end() {},
        abort() {},
      },
      { timeout: 50, log: () => {} },
    );
    expect(status).toBe("504 Gateway Timeout");
    await late;
    await new Promise((resolve) => setImmediate(resolve));
    expect(closes).toBe(1);
    expect(written).toBe(errorPage("504 Gateway Timeout").body.length);
  });

  it("answers 500 without the stack unless debug is on", async () => {
    const app: Application = () => {
      throw new Error("secret detail");
    };
    const quiet = await request(app);
    expect(quiet.status).toBe(500);
    expect(quiet.text()).not.toContain("secret detail");
    expect(quiet.errors).toContain("secret detail");
    const loud = await request(app, { debug: true });
    expect(loud.text()).toContain("secret detail");
  });

  it("gives 500 when the app returns without start_response or returns a non-iterable", async () => {
    expect((await request(() => [])).status).toBe(500);
    const res = await request(((_e: unknown, start: Parameters<Application>[1]) => {
      ok(start);
      return 42;
    }) as unknown as Application);
    expect(res.status).toBe(500);
    expect(res.errors).toContain("returned number");
  });

  it("rejects chunks that are neither strings nor bytes", async () => {
    const res = await request(((_e: unknown, start: Parameters<Application>[1]) => {
      ok(start);
      return [{ not: "bytes" }];
    }) as unknown as Application);
    expect(res.status).toBe(500);
    expect(res.errors).toContain("must be strings or Uint8Arrays");
  });
});

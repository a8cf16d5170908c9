import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it, vi } from "vitest";
import { buildEnviron } from "../core/environ.js";
import { createErrorStream } from "../core/errors-stream.js";
import { inputFromBuffer } from "../core/input.js";
import type { Application, Body, Chunk, Environ, StartResponse, WsgiInput } from "../types.js";
import type { ContractRule } from "./rules.js";
import { validator } from "./validator.js";

// These tests play a faulty server: they call the validated application the way a gateway
// would, and break one rule of the server's side each time.

function environ(extra: Partial<Environ> = {}): Environ {
  const env = buildEnviron(
    { REQUEST_METHOD: "GET", PATH_INFO: "/", SERVER_NAME: "localhost", SERVER_PORT: "80" },
    {
      input: inputFromBuffer(Buffer.from("line 1\nline 2\n")),
      errors: createErrorStream(() => {}),
      multithread: false,
      multiprocess: false,
      runOnce: true,
    },
  );
  return Object.assign(env, extra);
}

const okStart: StartResponse = () => () => {};

function checked(app: Application, closeTimeout = 1000) {
  const rules: ContractRule[] = [];
  return { rules, app: validator(app, { onViolation: (v) => rules.push(v.rule), closeTimeout }) };
}

const syncApp: Application = (_e, start) => {
  start("200 OK", []);
  return ["a", "b"];
};

const asyncApp: Application = (_e, start) => {
  start("200 OK", []);
  return (async function* () {
    yield "a";
    await new Promise((resolve) => setTimeout(resolve, 5));
    yield "b";
  })();
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type ClosableBody = Body & { close(): unknown };

describe("validator reports the server's violations", () => {
  it("start-response-not-callable", () => {
    const { rules, app } = checked(syncApp);
    expect(() => app(environ(), undefined as unknown as StartResponse)).toThrow(TypeError);
    expect(rules).toEqual(["start-response-not-callable"]);
  });

  it("write-not-callable", () => {
    const { rules, app } = checked(syncApp);
    app(environ(), (() => undefined) as unknown as StartResponse);
    expect(rules).toEqual(["write-not-callable"]);
  });

  it("exc-info-not-reraised: start_response with excInfo after body bytes returned normally", () => {
    const { rules, app } = checked((_e, start) =>
      (function* () {
        start("200 OK", []);
        yield "partial";
        start("500 Internal Server Error", [], new Error("failed half-way"));
        yield "never";
      })(),
    );
    const body = app(environ(), okStart) as Iterable<Chunk>;
    const it = body[Symbol.iterator]();
    it.next();
    it.next();
    expect(rules).toEqual(["exc-info-not-reraised"]);
  });

  it("a server that rethrows excInfo passes", () => {
    const failure = new Error("failed half-way");
    const { rules, app } = checked((_e, start) =>
      (function* () {
        start("200 OK", []);
        yield "partial";
        start("500 Internal Server Error", [], failure);
      })(),
    );
    let started = false;
    const start: StartResponse = (_s, _h, excInfo) => {
      if (excInfo && started) throw excInfo;
      started = true;
      return () => {};
    };
    const it = (app(environ(), start) as Iterable<Chunk>)[Symbol.iterator]();
    it.next();
    expect(() => it.next()).toThrow(failure);
    expect(rules).toEqual([]);
  });

  it("body-iterated-twice", () => {
    const { rules, app } = checked(syncApp);
    const body = app(environ(), okStart) as ClosableBody & Iterable<Chunk>;
    expect([...body]).toEqual(["a", "b"]);
    [...body];
    body.close();
    expect(rules).toEqual(["body-iterated-twice"]);
  });

  it("next-while-pending", async () => {
    const { rules, app } = checked(asyncApp);
    const body = app(environ(), okStart) as ClosableBody & AsyncIterable<Chunk>;
    const it = body[Symbol.asyncIterator]();
    await it.next();
    await Promise.all([it.next(), it.next()]);
    await body.close();
    expect(rules).toEqual(["next-while-pending"]);
  });

  it("iterate-after-close", async () => {
    const { rules, app } = checked(asyncApp);
    const body = app(environ(), okStart) as ClosableBody & AsyncIterable<Chunk>;
    const it = body[Symbol.asyncIterator]();
    await it.next();
    await body.close();
    await it.next();
    expect(rules).toEqual(["iterate-after-close"]);
  });

  it("close-called-twice: for...of with break, then close()", () => {
    let finalized = 0;
    const { rules, app } = checked((_e, start) => {
      start("200 OK", []);
      return (function* () {
        try {
          yield "a";
          yield "b";
        } finally {
          finalized++;
        }
      })();
    });
    const body = app(environ(), okStart) as ClosableBody & Iterable<Chunk>;
    for (const chunk of body) if (chunk === "a") break;
    body.close();
    expect(finalized).toBe(1);
    expect(rules).toEqual(["close-called-twice"]);
  });

  it("close-not-called: the body ended and close() never came", async () => {
    const { rules, app } = checked(syncApp, 10);
    const body = app(environ(), okStart) as Iterable<Chunk>;
    expect([...body]).toEqual(["a", "b"]);
    await sleep(30);
    expect(rules).toEqual(["close-not-called"]);
  });

  it("close-not-called: the body failed and close() never came", async () => {
    const { rules, app } = checked((_e, start) => {
      start("200 OK", []);
      return (async function* () {
        yield "a";
        throw new Error("boom");
      })();
    }, 10);
    const it = (app(environ(), okStart) as AsyncIterable<Chunk>)[Symbol.asyncIterator]();
    await it.next();
    await expect(it.next()).rejects.toThrow("boom");
    await sleep(30);
    expect(rules).toEqual(["close-not-called"]);
  });

  it("close-not-called, in throwing mode: raised from the timer, where nothing can swallow it", () => {
    vi.useFakeTimers();
    try {
      const app = validator(syncApp, { closeTimeout: 10 });
      expect([...(app(environ(), okStart) as Iterable<Chunk>)]).toEqual(["a", "b"]);
      expect(() => vi.advanceTimersByTime(20)).toThrow(
        expect.objectContaining({ code: "ERR_CONTRACT_VIOLATION", rule: "close-not-called" }),
      );
    } finally {
      vi.useRealTimers();
    }
  });

  it("close-not-called: a body dropped half-way is caught when it is garbage-collected", async () => {
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    const { rules, app } = checked(syncApp);
    (() => {
      const it = (app(environ(), okStart) as Iterable<Chunk>)[Symbol.iterator]();
      it.next();
    })();
    for (let i = 0; i < 20 && rules.length === 0; i++) {
      gc();
      await sleep(10);
    }
    expect(rules).toEqual(["close-not-called"]);
  });

  it("a server that keeps only the iterator is not taken for one that dropped the body", async () => {
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    const { rules, app } = checked(syncApp);
    const it = (app(environ(), okStart) as Iterable<Chunk>)[Symbol.iterator]();
    for (let i = 0; i < 5; i++) {
      gc();
      await sleep(10);
    }
    expect(rules).toEqual([]);
    expect([it.next(), it.next(), it.next()].map((step) => step.value)).toEqual([
      "a",
      "b",
      undefined,
    ]);
    it.return!();
    expect(rules).toEqual([]);
  });

  it("a server that closes in time passes, and close() reaches the application once", async () => {
    let closed = 0;
    const { rules, app } = checked((_e, start) => {
      start("200 OK", []);
      return Object.assign(["a"], { close: () => void closed++ });
    }, 10);
    const body = app(environ(), okStart) as ClosableBody & Iterable<Chunk>;
    expect([...body]).toEqual(["a"]);
    body.close();
    await sleep(30);
    expect(closed).toBe(1);
    expect(rules).toEqual([]);
  });

  it("input-return-type: a wsgi.input that hands out strings", () => {
    const strings = {
      read: () => "text",
      readline: () => "line\n",
      readlines: () => ["line\n"],
      length: 4,
      *[Symbol.iterator]() {
        yield "line\n";
      },
      async *[Symbol.asyncIterator]() {
        yield "line\n";
      },
    } as unknown as WsgiInput;
    const { rules, app } = checked((env, start) => {
      env["wsgi.input"].read();
      env["wsgi.input"].readline();
      env["wsgi.input"].readlines();
      [...env["wsgi.input"]];
      start("200 OK", []);
      return [];
    });
    (app(environ({ "wsgi.input": strings }), okStart) as ClosableBody).close();
    expect(rules).toEqual(Array(4).fill("input-return-type"));
  });
});

import { createGunzip } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { request } from "../test-client/request.js";
import type { Application } from "../types.js";
import { cgiProcess, type CgiProcessBody } from "./cgi-process.js";
import { hooksOn, useTimerInternals } from "./tracker.js";
import { readFile } from "node:fs";
import { cgiEnv } from "./env.js";
import { buildEnviron } from "../core/environ.js";
import { inputFromBuffer } from "../core/input.js";
import { createErrorStream } from "../core/errors-stream.js";

const app =
  (body: CgiProcessBody, nph = false): Application =>
  (environ, start_response) =>
    cgiProcess(environ, start_response, { nph }, body);

// Every case twice: as this Node runs it (timers wrapped), and as a Node whose timer objects
// the tracker does not know would (the hooks alone).
describe.each([
  ["timers wrapped", undefined],
  ["hooks alone", false],
] as const)("cgiProcess (%s)", (_, internals) => {
  beforeAll(() => useTimerInternals(internals));
  afterAll(() => useTimerInternals(undefined));

  it("parses a header block written in pieces, with CRLF, Status and repeated headers", async () => {
    const res = await request(
      app(({ stdout }) => {
        stdout.write("Status: 404 Not Found\r\nSet-Cookie: a=1\r");
        stdout.write("\nSet-Cookie: b=2\r\n");
        stdout.write("\r\nno ");
        stdout.write(Buffer.from("such page"));
      }),
    );
    expect(res.status).toBe(404);
    expect(res.headers.filter(([n]) => n === "Set-Cookie").map(([, v]) => v)).toEqual([
      "a=1",
      "b=2",
    ]);
    expect(res.text()).toBe("no such page");
  });

  it("answers 302 for a Location alone", async () => {
    const res = await request(app(({ console }) => console.log("Location: /next\n")));
    expect(res.status).toBe(302);
    expect(res.header("location")).toBe("/next");
  });

  it("gives console.log util.format semantics and sends console.error to wsgi.errors", async () => {
    const res = await request(
      app(({ console }) => {
        console.log("Content-Type: text/plain\n");
        console.log("%s has %d items %j", "cart", 3, { a: 1 });
        console.error("logged %s", "here");
      }),
    );
    expect(res.text()).toBe('cart has 3 items {"a":1}\n');
    expect(res.errors).toContain("logged here\n");
  });

  it("waits for timers, immediates and ticks, as the process would", async () => {
    const res = await request(
      app(({ stdout }) => {
        stdout.write("Content-Type: text/plain\n\n");
        setTimeout(() => {
          stdout.write("timer\n");
          setTimeout(() => stdout.write("nested\n"), 5);
        }, 5);
        setImmediate(() => stdout.write("immediate\n"));
        process.nextTick(() => stdout.write("tick\n"));
        stdout.write("top\n");
      }),
    );
    expect(res.text()).toBe("top\ntick\nimmediate\ntimer\nnested\n");
  });

  it("ends the request at exit(), from a callback, and runs no later output", async () => {
    const res = await request(
      app(({ stdout, exit }) => {
        stdout.write("Content-Type: text/plain\n\n");
        setTimeout(() => {
          stdout.write("done\n");
          exit(0);
        }, 5);
        setTimeout(() => stdout.write("never\n"), 30);
      }),
    );
    expect(res.text()).toBe("done\n");
  });

  it("answers 500 for an error before any output, with the error on wsgi.errors", async () => {
    const res = await request(
      app(() => {
        throw new TypeError("config is undefined");
      }),
    );
    expect(res.status).toBe(500);
    expect(res.errors).toContain("config is undefined");
  });

  it("keeps what was sent when a callback throws after the headers", async () => {
    const res = await request(
      app(({ stdout }) => {
        stdout.write("Content-Type: text/plain\n\nrow 1\n");
        setTimeout(() => {
          throw new Error("row 2 is null");
        }, 2);
      }),
    );
    expect(res.status).toBe(200);
    expect(res.text()).toBe("row 1\n");
    expect(res.errors).toContain("row 2 is null");
  });

  it("answers 500 for a rejection nobody handled", async () => {
    const res = await request(
      app(() => {
        void (async () => {
          await new Promise((resolve) => setTimeout(resolve, 2));
          throw new Error("user 2 not found");
        })();
      }),
    );
    expect(res.status).toBe(500);
    expect(res.errors).toContain("user 2 not found");
  });

  it("answers 502 for output without a blank line", async () => {
    const res = await request(app(({ stdout }) => stdout.write("hello\n")));
    expect(res.status).toBe(502);
  });

  it("reads the body as stdin with events, setEncoding and for await", async () => {
    const viaEvents = await request(
      app(({ stdin, stdout }) => {
        stdin.setEncoding("utf8");
        let text = "";
        stdin.on("data", (chunk: string) => (text += chunk));
        stdin.on("end", () => stdout.write(`Content-Type: text/plain\n\n${text.length}`));
      }),
      { method: "POST", body: "héllo" },
    );
    expect(viaEvents.text()).toBe("5");
    const viaAwait = await request(
      app(async ({ stdin, stdout }) => {
        const chunks: Buffer[] = [];
        for await (const chunk of stdin) chunks.push(chunk as Buffer);
        stdout.write(`Content-Type: text/plain\n\n${Buffer.concat(chunks).toString()}`);
      }),
      { method: "POST", body: "a=1" },
    );
    expect(viaAwait.text()).toBe("a=1");
  });

  it("reads an nph status line and runs exit listeners last", async () => {
    const res = await request(
      app(({ stdout, onExit }) => {
        onExit((code) => stdout.write(`<!-- exit ${code} -->`));
        stdout.write("HTTP/1.1 201 Created\r\nContent-Type: text/html\r\n\r\n<p>");
      }, true),
    );
    expect(res.status).toBe(201);
    expect(res.text()).toBe("<p><!-- exit 0 -->");
  });

  it("lets the script's own uncaughtException handler answer", async () => {
    const res = await request(
      app(({ stdout, exit, onUncaughtException }) => {
        onUncaughtException((error) => {
          stdout.write(`Status: 500 Internal Server Error\n\nsorry: ${(error as Error).message}\n`);
          exit(1);
        });
        setTimeout(() => {
          throw new Error("late");
        }, 1);
      }),
    );
    expect(res.status).toBe(500);
    expect(res.text()).toBe("sorry: late\n");
  });

  it("ends when a zlib stream over the body fails, as the process would exit", async () => {
    const res = await request(
      app(({ stdin, stdout }) => {
        stdin.pipe(createGunzip()).on("error", (error: NodeJS.ErrnoException) => {
          stdout.write(`Status: 400 Bad Request\n\n${error.code}\n`);
        });
      }),
      { method: "POST", body: "not gzip" },
    );
    expect(res.status).toBe(400);
    expect(res.text()).toBe("Z_DATA_ERROR\n");
  });

  it("answers 504 for a script that runs over its time, and drops its pending work", async () => {
    let ticks = 0;
    const slow: Application = (environ, start_response) =>
      cgiProcess(environ, start_response, { timeoutMs: 30 }, () => {
        setInterval(() => ticks++, 5);
      });
    const res = await request(slow);
    expect(res.status).toBe(504);
    const seen = ticks;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(ticks).toBe(seen);
  });

  it("ends the request once when an exit listener calls exit()", async () => {
    const res = await request(
      app(({ stdout, exit, onExit }) => {
        onExit(() => {
          stdout.write("late");
          exit(3);
        });
        stdout.write("Content-Type: text/plain\n\nbody ");
      }),
    );
    expect(res.status).toBe(200);
    expect(res.text()).toBe("body late");
  });

  it("answers 500 when the script sets a failing exit code and prints nothing", async () => {
    const res = await request(app(({ setExitCode }) => setExitCode(3)));
    expect(res.status).toBe(500);
  });
});

describe("cgiEnv", () => {
  it("keeps the string meta-variables only", async () => {
    let seen: Record<string, string | undefined> = {};
    await request(
      (environ, start_response) => {
        seen = cgiEnv(environ);
        start_response("204 No Content", []);
        return [];
      },
      { query: "a=1" },
    );
    expect(seen.QUERY_STRING).toBe("a=1");
    expect(Object.keys(seen).some((key) => key.startsWith("wsgi."))).toBe(false);
  });

  it("answers a script done in its synchronous part or in stdin's events with one chunk", async () => {
    // What the server sends in one write: a body that is one array element, not a stream.
    const run = async (script: CgiProcessBody, body: string) => {
      const errors: string[] = [];
      const environ = buildEnviron(
        { REQUEST_METHOD: "POST", CONTENT_LENGTH: String(Buffer.byteLength(body)) },
        {
          input: inputFromBuffer(Buffer.from(body)),
          errors: createErrorStream((text) => void errors.push(text)),
          multithread: false,
          multiprocess: false,
          runOnce: false,
        },
      );
      let status = "";
      const answer = await cgiProcess(environ, (s) => ((status = s), () => {}), script);
      return { status, answer, errors };
    };
    const sync = await run(({ console }) => {
      console.log("Content-Type: text/plain");
      console.log("");
      for (let i = 0; i < 3; i++) console.log("line %d", i);
    }, "");
    expect(sync.status).toBe("200 OK");
    expect(sync.answer).toEqual(["line 0\nline 1\nline 2\n"]);
    const events = await run(({ stdin, console }) => {
      let text = "";
      stdin.setEncoding("utf8");
      stdin.on("data", (chunk: string) => (text += chunk));
      stdin.on("end", () => {
        console.log("Content-Type: text/plain\n");
        console.log(text.toUpperCase());
        console.log("done");
      });
    }, "a=1&b=2");
    expect(events.status).toBe("200 OK");
    expect(events.answer).toEqual(["A=1&B=2\ndone\n"]);
    expect(events.errors).toEqual([]);
  });

  it("leaves no hook on once a script is done, however it waited", async () => {
    const scripts: Array<[CgiProcessBody, string?]> = [
      [({ console }) => console.log("Content-Type: text/plain\n\nsync")],
      [
        ({ stdin, console }) => {
          let text = "";
          stdin.setEncoding("utf8");
          stdin.on("data", (chunk: string) => (text += chunk));
          stdin.on("end", () => console.log(`Content-Type: text/plain\n\n${text}`));
        },
        "a=1",
      ],
      [({ console }) => void setTimeout(() => console.log("Content-Type: text/plain\n\nlater"), 5)],
      [
        async ({ console }) => {
          await Promise.resolve();
          console.log("Content-Type: text/plain\n\nawaited");
        },
      ],
      [
        ({ console }) =>
          readFile(import.meta.filename, () => console.log("Content-Type: text/plain\n\nread")),
      ],
    ];
    for (const [script, body] of scripts) {
      const res = await request(app(script), body ? { method: "POST", body } : {});
      expect(res.status).toBe(200);
      await new Promise((resolve) => setImmediate(resolve));
      expect(hooksOn()).toEqual({ init: false, context: false, destroy: false });
    }
  });
});

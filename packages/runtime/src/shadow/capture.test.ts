import { describe, expect, it } from "vitest";
import { buildEnviron } from "../core/environ.js";
import { createErrorStream } from "../core/errors-stream.js";
import { inputFromBuffer } from "../core/input.js";
import { runApplication } from "../core/respond.js";
import { httpRequestMeta } from "../http/meta.js";
import type { Application, Environ } from "../types.js";
import { ResponseCapture, teeResponse } from "./capture.js";

function environFor(method = "GET"): Environ {
  const meta = httpRequestMeta({
    method,
    target: "/x",
    rawHeaders: ["Host", "localhost"],
    mount: "",
    httpVersion: "1.1",
    localAddress: "127.0.0.1",
    localPort: 80,
    remoteAddress: "127.0.0.1",
    remotePort: 5000,
  });
  return buildEnviron(meta, {
    input: inputFromBuffer(Buffer.alloc(0)),
    errors: createErrorStream(() => {}),
    multithread: false,
    multiprocess: false,
    runOnce: false,
  });
}

/** Runs `app` through teeResponse as a server would, returning what the client got. */
async function serveTeed(app: Application, method = "GET", signal?: AbortSignal) {
  const client = new ResponseCapture(1 << 20);
  const seen = new ResponseCapture(1 << 20);
  const finished: boolean[] = [];
  const environ = environFor(method);
  await runApplication(
    (env, start_response) =>
      teeResponse(app, env, start_response, seen, (complete) => void finished.push(complete)),
    environ,
    { ...client.sink(), signal },
  );
  return { client: client.answer(method), seen: seen.answer(method), finished };
}

describe("teeResponse", () => {
  it("passes chunks and write() calls through, sees them all, closes the body once", async () => {
    let closes = 0;
    const app: Application = (_environ, start_response) => {
      const write = start_response("200 OK", [["Content-Type", "text/plain"]]);
      write("legacy ");
      const body = ["a", new Uint8Array([98])] as string[] & { close?: () => void };
      body.close = () => void closes++;
      return body;
    };
    const { client, seen, finished } = await serveTeed(app);
    expect(client.body.toString()).toBe("legacy ab");
    expect(seen).toEqual(client);
    expect(closes).toBe(1);
    expect(finished).toEqual([true]);
  });

  it("an async generator body is returned once; a failure half-way reports an incomplete answer", async () => {
    let returned = 0;
    const app: Application = async function (_environ, start_response) {
      start_response("200 OK", []);
      return (async function* () {
        try {
          yield "one";
          throw new Error("broken");
        } finally {
          returned++;
        }
      })();
    };
    const { finished } = await serveTeed(app);
    expect(returned).toBe(1);
    expect(finished).toEqual([false]);
  });

  it("an application that throws at once is reported incomplete and answered 500", async () => {
    const { client, finished } = await serveTeed(() => {
      throw new Error("no");
    });
    expect(client.status).toBe("500 Internal Server Error");
    expect(client.origin).toBe("gateway");
    expect(finished).toEqual([false]);
  });

  it("the captured answer is what a client gets: no body for HEAD, none past Content-Length", async () => {
    const app: Application = (_environ, start_response) => {
      start_response("200 OK", [["Content-Length", "3"]]);
      return ["abcdef"];
    };
    expect((await serveTeed(app)).seen.body.toString()).toBe("abc");
    expect((await serveTeed(app, "HEAD")).seen.body.length).toBe(0);
  });
});

describe("ResponseCapture", () => {
  it("stops keeping bytes past its bound and says so", () => {
    const capture = new ResponseCapture(4);
    capture.start("200 OK", []);
    capture.add("abc");
    expect(capture.tooLarge).toBe(false);
    capture.add("de");
    expect(capture.tooLarge).toBe(true);
    expect(capture.answer("GET").body.length).toBe(0);
  });
});

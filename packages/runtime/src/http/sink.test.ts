import { createServer, request, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { httpResponseSink } from "./sink.js";

// A real server whose handler hands its response to `handle`; the client is a real socket.
async function withServer(
  handle: (res: ServerResponse) => void,
  client: (port: number) => Promise<void>,
): Promise<void> {
  const server = createServer((_req, res) => handle(res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    await client((server.address() as AddressInfo).port);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

describe("httpResponseSink", () => {
  it("tells onGone and the signal (made after the fact) when the client leaves mid-response", async () => {
    let gone = 0;
    let sink: ReturnType<typeof httpResponseSink> | undefined;
    const left = new Promise<void>((resolve) => {
      void withServer(
        (res) => {
          sink = httpResponseSink(res);
          sink.onGone!(() => gone++);
          sink.onGone!(() => {
            gone++;
            resolve();
          });
          sink.sendHeaders("200 OK", [["Content-Type", "text/plain"]]);
          sink.write(Buffer.from("partial"));
        },
        (port) =>
          new Promise<void>((done) => {
            const req = request({ port, host: "127.0.0.1" }, (res) => {
              res.once("data", () => {
                req.destroy();
                void left.then(done);
              });
            });
            req.on("error", () => {});
            req.end();
          }),
      );
    });
    await left;
    expect(gone).toBe(2);
    expect(sink!.signal!.aborted).toBe(true);
    let late = 0;
    sink!.onGone!(() => late++);
    expect(late).toBe(1);
  });

  it("says nothing of a client that got the whole response", async () => {
    let gone = 0;
    let sink: ReturnType<typeof httpResponseSink> | undefined;
    await withServer(
      (res) => {
        sink = httpResponseSink(res);
        sink.onGone!(() => gone++);
        sink.sendHeaders("201 Created", [
          ["X-A", "1"],
          ["X-A", "2"],
        ]);
        sink.write(Buffer.from("done"));
        sink.end();
      },
      (port) =>
        new Promise<void>((done, fail) => {
          const req = request({ port, host: "127.0.0.1" }, (res) => {
            expect(res.statusCode).toBe(201);
            expect(res.headers["x-a"]).toBe("1, 2");
            let text = "";
            res.on("data", (chunk) => (text += chunk));
            res.on("end", () => {
              expect(text).toBe("done");
              done();
            });
          });
          req.on("error", fail);
          req.end();
        }),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(gone).toBe(0);
    expect(sink!.signal!.aborted).toBe(false);
  });
});

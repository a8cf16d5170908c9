import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { request } from "../test-client/request.js";
import type { Application } from "../types.js";
import { cgiProcess } from "./cgi-process.js";
import { requestConsole, requestProcess } from "./request-process.js";

// A helper module as migrate leaves it: it names `process` and `console`, bound to the facades.
const helper = {
  header(type: string) {
    requestConsole.log(`Content-Type: ${type}\n`);
  },
  query: () => requestProcess.env.QUERY_STRING,
  async later(ms: number) {
    await sleep(ms);
    requestProcess.stdout.write(`after ${ms} ms: ${requestProcess.env.QUERY_STRING}\n`);
  },
  fail() {
    requestProcess.exitCode = 3;
    requestProcess.exit();
  },
};

const site: Application = (environ, start_response) =>
  cgiProcess(environ, start_response, async ({ stdout }) => {
    helper.header("text/plain");
    stdout.write(`query ${helper.query()}\n`);
    await helper.later(Number(helper.query()));
  });

describe("requestProcess and requestConsole", () => {
  it("give each request its own env and output, across awaits, when requests overlap", async () => {
    const [slow, fast] = await Promise.all([
      request(site, { query: "40" }),
      request(site, { query: "5" }),
    ]);
    expect(slow.text()).toBe("query 40\nafter 40 ms: 40\n");
    expect(fast.text()).toBe("query 5\nafter 5 ms: 5\n");
    expect(slow.header("content-type")).toBe("text/plain");
  });

  it("end the request on exit() with the exit code set through process.exitCode", async () => {
    const res = await request((environ, start_response) =>
      cgiProcess(environ, start_response, () => {
        helper.fail();
        requestConsole.log("never printed");
      }),
    );
    expect(res.status).toBe(500);
  });

  it("route process.on('exit') to the request and leave the server's process alone outside one", async () => {
    const before = process.listenerCount("exit");
    const res = await request((environ, start_response) =>
      cgiProcess(environ, start_response, () => {
        requestProcess.on("exit", () => requestConsole.log("footer"));
        requestConsole.log("Content-Type: text/plain\n");
      }),
    );
    expect(res.text()).toBe("footer\n");
    expect(process.listenerCount("exit")).toBe(before);
    expect(requestProcess.env).toBe(process.env);
    expect(requestProcess.pid).toBe(process.pid);
    expect(requestConsole.log).toBeTypeOf("function");
  });
});

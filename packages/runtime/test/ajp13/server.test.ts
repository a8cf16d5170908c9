import { afterEach, describe, expect, it } from "vitest";
import { ajp13 } from "../../src/ajp13/protocol.js";
import { startServer, type RunningServer } from "../../src/server/start.js";
import type { Application } from "../../src/types.js";
import { AjpTestClient } from "./client.js";
import { listenPort } from "../support/net-wait.js";
import { gatedApp } from "../support/test-apps.js";

let running: RunningServer | undefined;
const clients: AjpTestClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await running?.close(1000);
  running = undefined;
});

async function client(): Promise<AjpTestClient> {
  const c = await AjpTestClient.connect(listenPort(running!.address));
  clients.push(c);
  return c;
}

describe("AJP13 on the shared server", () => {
  it("queues requests beyond --max-concurrency and serves them in turn", async () => {
    let active = 0;
    let peak = 0;
    const app: Application = async (_e, start) => {
      peak = Math.max(peak, ++active);
      await new Promise((resolve) => setTimeout(resolve, 30));
      active--;
      start("200 OK", [["Content-Type", "text/plain"]]);
      return ["ok"];
    };
    running = await startServer(app, {
      protocol: ajp13(),
      listen: "127.0.0.1:0",
      maxConcurrency: 2,
      log: () => {},
    });
    const replies = await Promise.all(
      Array.from({ length: 6 }, async () => (await client()).request({})),
    );
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(peak).toBe(2);
  });

  it("ends persistent connections with reuse=false when the server closes", async () => {
    const { app, release } = gatedApp("finished");
    running = await startServer(app, { protocol: ajp13(), listen: "127.0.0.1:0", log: () => {} });
    const busy = await client();
    const idle = await client();
    const pending = busy.request({});
    await new Promise((resolve) => setTimeout(resolve, 50));
    const closed = running.close(5000);
    expect(await idle.next()).toBeUndefined();
    release();
    const reply = await pending;
    expect(reply.body.toString()).toBe("finished");
    expect(reply.reuse).toBe(false);
    await closed;
    running = undefined;
  });
});

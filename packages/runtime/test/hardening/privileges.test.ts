import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { get, pidOf, startServed, type ServedProcess } from "./process.js";

let served: ServedProcess | undefined;
afterEach(async () => {
  await served?.stop();
  served = undefined;
});

/** The real uid of a process, from /proc. */
function uidOf(pid: number): number {
  return Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, "latin1"))?.[1]);
}

const root = process.getuid?.() === 0;

describe("--user / --group", () => {
  it(
    root
      ? "binds as root, then serves as the user (prefork: workers switch, the primary stays)"
      : "refuses when not started as root, saying so",
    async () => {
      if (!root) {
        await expect(startServed({ TEST_USER: "nobody" })).rejects.toThrow(/started as root/);
        return;
      }
      served = await startServed({ TEST_USER: "nobody", TEST_GROUP: "nogroup" });
      const single = (await get(served.port, "/")).body;
      expect(single).toMatch(/uid=65534 gid=65534/);
      await served.stop();
      served = await startServed({ TEST_WORKERS: "2", TEST_USER: "nobody", TEST_GROUP: "nogroup" });
      const worker = pidOf((await get(served.port, "/")).body);
      expect(uidOf(worker)).toBe(65534);
      expect(uidOf(served.child.pid!)).toBe(0);
    },
  );

  it("stops with a clear error for a user that does not exist", async () => {
    await expect(startServed({ TEST_USER: "no-such-user-here" })).rejects.toThrow(
      root ? /cannot switch to user no-such-user-here.*getent passwd/ : /started as root/,
    );
  });
});

import { chmod, mkdir, writeFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { cgiHost, createHttpServer } from "@cgi2wsgi/runtime";
import { LEGACY_SHELL } from "./scripts.js";
await mkdir("/tmp/cgih/bs", { recursive: true });
await writeFile("/tmp/cgih/bs/hello.sh", LEGACY_SHELL);
await chmod("/tmp/cgih/bs/hello.sh", 0o755);
const s = createHttpServer(cgiHost("/tmp/cgih/bs", { maxProcesses: 2 }));
await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
const port = (s.address() as AddressInfo).port;
for (const c of [1, 8]) {
  const { stdout } = await promisify(execFile)("wrk", [
    "-t1",
    `-c${c}`,
    "-d2s",
    `http://127.0.0.1:${port}/hello.sh`,
  ]);
  console.log(c, /Requests\/sec:\s+([\d.]+)/.exec(stdout)![1], /Latency\s+(\S+)/.exec(stdout)![1]);
}
s.close();

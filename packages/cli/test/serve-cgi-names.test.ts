import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI_ARGV } from "./run-cli.js";

// Scripts named as real cgi-bins name them (index.cgi, an extensionless guestbook) are
// migrated under their own names and keep answering at their URLs under `serve DIR`, beside
// a Perl .cgi that migrate must leave alone and serve runs as CGI.

const root = fileURLToPath(new URL("../../..", import.meta.url));
const bin = CLI_ARGV;
const fixtures = join(root, "test-fixtures");

let work: string;
beforeAll(() => {
  // Inside the repository, so the migrated modules resolve @cgi2wsgi/runtime.
  work = mkdtempSync(join(import.meta.dirname, ".tmp-names-"));
  for (const name of ["name-index-cgi", "name-extensionless", "name-perl-neighbour"]) {
    cpSync(join(fixtures, name), join(work, "site", name), { recursive: true });
  }
  const migrate = spawnSync(
    process.execPath,
    [...bin, "migrate", join(work, "site"), "--out-dir", join(work, "out")],
    { cwd: root },
  );
  expect(migrate.status, migrate.stderr.toString()).toBe(0);
  expect(migrate.stdout.toString()).toMatch(/migrated +\S*index\.cgi/);
  expect(migrate.stdout.toString()).not.toContain("legacy.cgi");
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("serve over migrated scripts with CGI names", () => {
  it("answers a migrated index.cgi and extensionless script, and a Perl .cgi, at their URLs", async () => {
    const child = spawn(
      process.execPath,
      [...bin, "serve", join(work, "out"), "--listen", "127.0.0.1:0"],
      {
        cwd: root,
      },
    );
    const url = await new Promise<string>((resolve, reject) => {
      let err = "";
      child.stderr.on("data", (chunk: Buffer) => {
        err += chunk;
        const match = /over \S+ on (\S+) \(pid/.exec(err);
        if (match) resolve(match[1]!);
      });
      child.once("exit", (code) => reject(new Error(`serve exited ${code}: ${err}`)));
    });
    try {
      const index = await fetch(`${url}/name-index-cgi/cgi-bin/index.cgi?name=Ada`);
      expect(index.status).toBe(200);
      expect(await index.text()).toContain("<tr><td>name</td><td>Ada</td></tr>");
      const book = await fetch(`${url}/name-extensionless/cgi-bin/guestbook`, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: "name=Grace&text=hi",
      });
      expect(await book.text()).toBe("Thanks Grace, you wrote 2 characters.\n");
      const perl = await fetch(`${url}/name-perl-neighbour/cgi-bin/legacy.cgi`);
      expect(await perl.text()).toBe("perl, not node\n");
    } finally {
      child.kill("SIGTERM");
    }
    const code = child.exitCode ?? (await once(child, "exit"))[0];
    expect(code).toBe(0);
  });

  it("loads a migrated index.cgi with node's require()", () => {
    const script = join(work, "out", "name-index-cgi", "cgi-bin", "index.cgi");
    const result = spawnSync(process.execPath, [
      "-e",
      `console.log(typeof require(${JSON.stringify(script)}).application)`,
    ]);
    expect(result.stdout.toString()).toBe("function\n");
  });
});

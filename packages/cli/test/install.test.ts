import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import {
  copyFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCommand, type CliRun } from "./run-cli.js";

// The user's path, as the issue puts it: pack the three packages as a release would (prepack
// builds them), install the tarballs with npm (and with pnpm) into a project outside this
// checkout, and use plain node and npx there, as someone who never saw this repository would.

const root = fileURLToPath(new URL("../../..", import.meta.url));
const PACKAGES = ["runtime", "codemod", "cli", "eslint-plugin"] as const;
const version = (
  JSON.parse(readFileSync(join(root, "packages/cli/package.json"), "utf8")) as { version: string }
).version;

const SCRIPTS: Record<string, string> = {
  // Headers from literals, a body that cannot throw: the plain start_response form.
  "cgi-bin/hello.js": `#!/usr/bin/env node
const name = new URLSearchParams(process.env.QUERY_STRING || "").get("name") || "world";
console.log("Content-Type: text/plain\\n");
console.log("Hello, " + name + "!");
`,
  // The body read from stdin events and a computed header: cgiProcess, from the runtime.
  "cgi-bin/echo.js": `#!/usr/bin/env node
let body = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => (body += chunk));
process.stdin.on("end", () => {
  process.stdout.write("Content-Type: text/plain\\r\\nX-Length: " + body.length + "\\r\\n\\r\\n");
  process.stdout.write(process.env.REQUEST_METHOD + " " + body.toUpperCase() + "\\n");
});
`,
  // TypeScript, run through tsx under CGI, served as it is once migrated.
  "cgi-bin/greet.ts": `#!/usr/bin/env -S node --import tsx
const who: string = process.env.QUERY_STRING || "nobody";
process.stdout.write("Content-Type: text/plain\\n\\n");
process.stdout.write(\`greetings, \${who}\\n\`);
`,
};

let work: string;
let tarballs: string[];
let app: string;

function sh(command: string, args: string[], cwd: string, input?: string): Promise<CliRun> {
  return runCommand(command, args, { cwd, input });
}

async function ok(command: string, args: string[], cwd: string): Promise<CliRun> {
  const run = await sh(command, args, cwd);
  if (run.code !== 0) {
    throw new Error(`${command} ${args.join(" ")} exited ${run.code}\n${run.stdout}${run.stderr}`);
  }
  return run;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "cgi2wsgi-install-"));
  const packs = join(work, "packs");
  mkdirSync(packs);
  tarballs = [];
  for (const name of PACKAGES) {
    const packed = await ok(
      "pnpm",
      ["pack", "--pack-destination", packs],
      join(root, "packages", name),
    );
    tarballs.push(packed.stdout.trim().split("\n").pop()!.trim());
  }
  app = join(work, "npm-app");
  mkdirSync(app);
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "user-app", private: true }));
  await ok("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", ...tarballs], app);
  for (const [path, text] of Object.entries(SCRIPTS)) {
    mkdirSync(join(app, path, ".."), { recursive: true });
    writeFileSync(join(app, path), text, { mode: 0o755 });
  }
}, 600_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Starts the installed `cgi2wsgi serve` and resolves with the URL from its start-up line. */
function startServe(args: string[], cwd: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn("npx", ["cgi2wsgi", "serve", ...args, "--listen", "127.0.0.1:0"], {
    cwd,
    detached: true,
  });
  return new Promise((resolve, reject) => {
    let err = "";
    child.stderr!.on("data", (chunk: Buffer) => {
      err += chunk;
      const match = /over http on (\S+) \(/.exec(err);
      if (match) resolve({ child, url: match[1]! });
    });
    child.once("exit", (code) => reject(new Error(`serve exited ${code}: ${err}`)));
  });
}

async function stop(child: ChildProcess): Promise<void> {
  // npx runs node under a shell: signal the whole group.
  process.kill(-child.pid!, "SIGTERM");
  if (child.exitCode === null) await once(child, "exit");
}

/** Serves `target` with the installed CLI, and what it answers to the three scripts. */
async function servedAnswers(target: string, cwd: string): Promise<string[]> {
  const { child, url } = await startServe([target], cwd);
  try {
    return await answers(url);
  } finally {
    await stop(child);
  }
}

async function answers(url: string): Promise<string[]> {
  const hello = await fetch(`${url}/hello.js?name=Ada`);
  const echo = await fetch(`${url}/echo.js`, { method: "POST", body: "abc" });
  const greet = await fetch(`${url}/greet.ts?you`);
  return [
    `${hello.status} ${await hello.text()}`,
    `${echo.status} ${echo.headers.get("x-length")} ${await echo.text()}`,
    `${greet.status} ${await greet.text()}`,
  ];
}

const EXPECTED = ["200 Hello, Ada!\n", "200 3 POST ABC\n", "200 greetings, you\n"];

describe("installed from the packed tarballs with npm", () => {
  it("ships built JavaScript, declarations, README, LICENSE and CHANGELOG, and no tests or sources", async () => {
    for (const tarball of tarballs) {
      const listing = (await ok("tar", ["tzf", tarball], work)).stdout.split("\n").filter(Boolean);
      expect(listing, tarball).toContain("package/dist/index.js");
      expect(listing, tarball).toContain("package/dist/index.d.ts");
      for (const file of ["README.md", "LICENSE", "CHANGELOG.md", "package.json"]) {
        expect(listing, tarball).toContain(`package/${file}`);
      }
      const stray = listing.filter((f) =>
        /\.test\.|__testfixtures__|^package\/(src|test)\//.test(f),
      );
      expect(stray, tarball).toEqual([]);
      console.log(`${tarball.split("/").pop()}: ${statSync(tarball).size} bytes`);
    }
    const manifest = JSON.parse(
      readFileSync(join(app, "node_modules/@cgi2wsgi/runtime/package.json"), "utf8"),
    ) as { exports: Record<string, Record<string, string>>; dependencies?: object };
    expect(Object.keys(manifest.exports["."]!)[0]).toBe("types");
    expect(manifest.dependencies).toBeUndefined();
    const du = await ok("du", ["-sk", join(app, "node_modules")], work);
    console.log(`npm install size: ${du.stdout.split("\t")[0]} KiB`);
  });

  it("npx cgi2wsgi --version and --help", async () => {
    expect((await ok("npx", ["cgi2wsgi", "--version"], app)).stdout).toBe(`${version}\n`);
    expect((await ok("npx", ["cgi2wsgi", "--help"], app)).stdout).toMatch(/^Usage: cgi2wsgi/);
  });

  it("lint writes SARIF 2.1.0 and exits 1 on findings", async () => {
    const run = await sh(
      "npx",
      ["cgi2wsgi", "lint", "cgi-bin", "--format", "sarif", "--output", "lint.sarif"],
      app,
    );
    expect(run.code, run.stderr).toBe(1);
    const sarif = JSON.parse(readFileSync(join(app, "lint.sarif"), "utf8")) as {
      version: string;
      runs: Array<{ results: Array<{ ruleId: string }> }>;
    };
    expect(sarif.version).toBe("2.1.0");
    expect(sarif.runs[0]!.results.map((r) => r.ruleId)).toContain("cgi-env-read");
  });

  it("migrate writes the modules, a package.json that lists the runtime, and the report", async () => {
    const run = await ok(
      "npx",
      ["cgi2wsgi", "migrate", "cgi-bin", "--out-dir", "migrated", "--report", "report.json"],
      app,
    );
    expect(run.stdout).toMatch(/3 migrated, 0 unchanged, 0 needs review, 0 failed/);
    expect(run.stdout).toMatch(
      /^dependency +@cgi2wsgi\/runtime@\^[\d.]+ created migrated\/package\.json/m,
    );
    const report = JSON.parse(readFileSync(join(app, "report.json"), "utf8")) as {
      dependencies: Array<{ path: string; action: string }>;
    };
    expect(report.dependencies).toEqual([
      {
        path: "migrated/package.json",
        action: "created",
        name: "@cgi2wsgi/runtime",
        range: `^${version}`,
      },
    ]);
    expect(readFileSync(join(app, "migrated/echo.js"), "utf8")).toContain(
      'require("@cgi2wsgi/runtime")',
    );
  });

  it("serve answers for every migrated script, .ts included", async () => {
    expect(await servedAnswers("migrated", app)).toEqual(EXPECTED);
  });

  it("serve runs what migrate wrote outside any project, where no node_modules has the runtime", async () => {
    const outside = join(work, "outside");
    await ok("npx", ["cgi2wsgi", "migrate", "cgi-bin", "--out-dir", outside], app);
    expect(await servedAnswers(outside, app)).toEqual(EXPECTED);
  });

  it("serve refuses to start on a module that exports an application but cannot load, naming it", async () => {
    const broken = join(work, "broken");
    mkdirSync(broken);
    writeFileSync(join(broken, "app.cjs"), `exports.application = require("./missing-helper");\n`);
    const run = await sh("npx", ["cgi2wsgi", "serve", broken, "--listen", "127.0.0.1:0"], app);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      `cannot load ${join(broken, "app.cjs")}: Cannot find module './missing-helper'`,
    );
  });

  it("verify finds every migrated script equivalent to its legacy one", async () => {
    const run = await sh("npx", ["cgi2wsgi", "verify", "cgi-bin", "migrated"], app);
    expect(run.code, run.stdout + run.stderr).toBe(0);
  });

  it("launcher writes a self-contained .fcgi that answers as a CGI program, copied anywhere", async () => {
    await ok("npx", ["cgi2wsgi", "launcher", "migrated/echo.js"], app);
    const alone = join(work, "alone");
    mkdirSync(alone);
    copyFileSync(join(app, "migrated/echo.fcgi"), join(alone, "echo.fcgi"));
    const cgi = await runCommand(join(alone, "echo.fcgi"), [], {
      cwd: alone,
      input: "xyz",
      env: {
        GATEWAY_INTERFACE: "CGI/1.1",
        REQUEST_METHOD: "PUT",
        CONTENT_LENGTH: "3",
        SERVER_PROTOCOL: "HTTP/1.1",
        SCRIPT_NAME: "/echo.fcgi",
      },
    });
    expect(cgi.code, cgi.stderr).toBe(0);
    expect(cgi.stdout).toMatch(/^X-Length: 3\r?$/m);
    expect(cgi.stdout).toMatch(/\r?\n\r?\nPUT XYZ\n$/);
  });

  it("the runtime imports from ES modules and from CommonJS", async () => {
    const use = `const app = (environ, start_response) => {
  start_response("200 OK", [["Content-Type", "text/plain"]]);
  return ["via " + environ.REQUEST_METHOD];
};
request(app, { method: "PATCH" }).then((res) => console.log(res.status, res.text()));`;
    const esm = await ok(
      "node",
      ["--input-type=module", "-e", `import { request } from "@cgi2wsgi/runtime";\n${use}`],
      app,
    );
    expect(esm.stdout).toBe("200 via PATCH\n");
    const cjs = await ok(
      "node",
      ["-e", `const { request } = require("@cgi2wsgi/runtime");\n${use}`],
      app,
    );
    expect(cjs.stdout).toBe("200 via PATCH\n");
    expect(cjs.stderr).toBe("");
  });

  // tsc checks @types/node and all our declarations with skipLibCheck off: slow when loaded.
  it("a user's tsc type-checks against the declarations under strict flags", async () => {
    writeFileSync(
      join(app, "user.mts"),
      `import { request, validator, type Application } from "@cgi2wsgi/runtime";
import { migrateSource } from "@cgi2wsgi/codemod";
import { detectCgiUsage } from "@cgi2wsgi/codemod/detect";

export const application: Application = (environ, start_response) => {
  start_response("200 OK", [["Content-Type", "text/plain"]]);
  return [environ.QUERY_STRING];
};
export const checked = request(validator(application), { path: "/" });
export const found: number = detectCgiUsage("process.env.QUERY_STRING", { filename: "a.js" }).length;
export const result = migrateSource("", { filename: "a.js" });
`,
    );
    writeFileSync(
      join(app, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2022",
          module: "NodeNext",
          moduleResolution: "NodeNext",
          strict: true,
          exactOptionalPropertyTypes: true,
          noUncheckedIndexedAccess: true,
          erasableSyntaxOnly: true,
          verbatimModuleSyntax: true,
          skipLibCheck: false,
          noEmit: true,
          types: ["node"],
          typeRoots: [join(root, "node_modules/@types")],
        },
        files: ["user.mts"],
      }),
    );
    const tsc = await sh(
      "node",
      [join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.json"],
      app,
    );
    expect(tsc.stdout + tsc.stderr).toBe("");
    expect(tsc.code).toBe(0);
  }, 180_000);
});

describe("the ESLint plugin, installed from its tarball with npm", () => {
  it("reports with the user's ESLint what cgi2wsgi lint reports", async () => {
    const project = join(work, "eslint-app");
    mkdirSync(project);
    writeFileSync(
      join(project, "package.json"),
      JSON.stringify({ name: "eslint-user", private: true, type: "module" }),
    );
    // eslint comes from the registry as the plugin's peer; the rest from the tarballs.
    await ok(
      "npm",
      ["install", "--no-audit", "--no-fund", "--loglevel=error", ...tarballs, "eslint@10"],
      project,
    );
    writeFileSync(
      join(project, "eslint.config.js"),
      `import cgi2wsgi from "eslint-plugin-cgi2wsgi";\nexport default [cgi2wsgi.configs.recommended];\n`,
    );
    cpSync(join(app, "cgi-bin/hello.js"), join(project, "hello.js"));
    const eslint = await sh("npx", ["eslint", "--format", "json", "hello.js"], project);
    expect(eslint.code, eslint.stderr).toBe(1);
    const [file] = JSON.parse(eslint.stdout) as Array<{
      messages: Array<{ ruleId: string; line: number; column: number }>;
    }>;
    const lint = await sh("npx", ["cgi2wsgi", "lint", "--format", "json", "hello.js"], project);
    const [ours] = (
      JSON.parse(lint.stdout) as {
        files: Array<{ messages: Array<{ rule: string; line: number; column: number }> }>;
      }
    ).files;
    expect(file!.messages.map((m) => [m.ruleId, m.line, m.column])).toEqual(
      ours!.messages.map((f) => [`cgi2wsgi/${f.rule}`, f.line, f.column]),
    );
  });
});

describe("installed from the packed tarballs with pnpm", () => {
  it("migrates and serves with pnpm's strict node_modules", async () => {
    const project = join(work, "pnpm-app");
    mkdirSync(project);
    // The CLI's tarball depends on the other two by version, which no registry has yet.
    const [runtime, codemod] = tarballs;
    writeFileSync(
      join(project, "package.json"),
      JSON.stringify({
        name: "pnpm-user",
        private: true,
        pnpm: {
          overrides: {
            "@cgi2wsgi/runtime": `file:${runtime}`,
            "@cgi2wsgi/codemod": `file:${codemod}`,
          },
        },
      }),
    );
    await ok("pnpm", ["add", "--config.confirmModulesPurge=false", ...tarballs], project);
    cpSync(join(app, "cgi-bin"), join(project, "cgi-bin"), { recursive: true });
    await ok("pnpm", ["exec", "cgi2wsgi", "migrate", "cgi-bin", "--out-dir", "migrated"], project);
    expect(await servedAnswers("migrated", project)).toEqual(EXPECTED);
  });
});

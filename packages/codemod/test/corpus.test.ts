import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatReport, migrateSource, verifyPair } from "../src/index.js";
import { CORPUS_ROOT, loadCorpus, type Fixture } from "./support/corpus.js";

// The codemod's proof over the whole corpus: every fixture is migrated into a copy, then
// every request of the fixture goes to the legacy script as a real CGI process and to the
// migrated module served from its own process, and the answers must match byte for byte.

const corpus = loadCorpus();
const TODO = "TODO(cgi2wsgi)";

/** Fixtures built around what migrate cannot prove (SPEC section 4): it must say so. */
const MUST_REVIEW = new Set([
  "child-process-env",
  "endless-follow",
  "env-dump-console",
  "env-dump-loop",
  "esm-helper-env-at-import",
  "process-on-exit",
]);

/**
 * What migrate does not get right yet, by fixture and check, with the reason. Each entry is
 * asserted to still fail, so the list cannot go stale: when one is fixed, delete its line.
 */
const KNOWN_GAPS: Record<string, { check: "idempotence" | "equivalence"; why: string }> = {};

let work: string;

beforeAll(() => {
  // Inside the package, so migrated modules resolve @cgi2wsgi/runtime as in a real project.
  work = mkdtempSync(join(import.meta.dirname, ".tmp-corpus-"));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Migrated {
  status: string;
  code: string;
  original: string;
  /** Whether migrating `code` again gives `code`. */
  idempotent: boolean;
}

/** Migrates every source of a fixture into a copy of it, as `cgi2wsgi migrate --out-dir` would. */
async function migrateFixture(
  fixture: Fixture,
): Promise<{ dir: string; files: Map<string, Migrated> }> {
  const dir = join(work, fixture.name);
  cpSync(fixture.dir, dir, { recursive: true });
  const files = new Map<string, Migrated>();
  for (const source of fixture.sources) {
    const filename = join(dir, source);
    const original = readFileSync(join(fixture.dir, source), "utf8");
    const result = await migrateSource(original, { filename });
    if (result.status === "migrated" || result.status === "needs-review") {
      writeFileSync(filename, result.code);
    }
    const again = await migrateSource(result.code, { filename });
    const idempotent = again.code === result.code;
    files.set(source, { status: result.status, code: result.code, original, idempotent });
  }
  return { dir, files };
}

/** Asserts a check, or, for a listed gap, that it still fails. */
function expectCheck(
  fixture: string,
  check: "idempotence" | "equivalence",
  holds: boolean,
  detail: string,
): void {
  const gap = KNOWN_GAPS[fixture];
  if (gap?.check === check) {
    expect(
      holds,
      `${fixture} is listed in KNOWN_GAPS (${gap.why}) but now passes: delete its line`,
    ).toBe(false);
  } else {
    expect(holds, detail).toBe(true);
  }
}

describe("the corpus migrates into equivalent applications", () => {
  for (const fixture of corpus) {
    it(fixture.name, async () => {
      const { dir, files } = await migrateFixture(fixture);
      for (const [source, file] of files) {
        expect(file.status, source).not.toBe("failed");
        if (file.status === "unchanged")
          expect(file.code, `${source} is unchanged`).toBe(file.original);
        if (file.status === "needs-review")
          expect(file.code, `${source} needs review`).toContain(TODO);
      }
      if (MUST_REVIEW.has(fixture.name)) {
        expect(fixture.scripts.map((script) => files.get(script)!.status)).toContain(
          "needs-review",
        );
      }
      const notIdempotent = [...files].filter(([, f]) => !f.idempotent).map(([source]) => source);
      expectCheck(
        fixture.name,
        "idempotence",
        notIdempotent.length === 0,
        `migrating the output again changes ${notIdempotent.join(", ")}`,
      );
      for (const script of fixture.scripts) {
        const file = files.get(script)!;
        expect(file.status, `${script} uses CGI`).not.toBe("unchanged");
        const report = await verifyPair(
          join(fixture.dir, script),
          join(dir, script),
          fixture.requests,
        );
        // A divergence is acceptable only where migrate said so, with a TODO in the code.
        const explained = file.status === "needs-review";
        expectCheck(
          fixture.name,
          "equivalence",
          report.equivalent || explained,
          formatReport(report),
        );
        const expected = fixture.expected.get(script);
        if (expected) expect(file.code).toBe(readFileSync(join(fixture.dir, expected), "utf8"));
      }
    });
  }
});

describe("files without CGI usage come back byte-identical", () => {
  const plain: Array<[string, string]> = [
    [
      "util.cjs",
      "// keeps its odd   spacing\nfunction add(a,b){return a+b}\nmodule.exports = { add };\n",
    ],
    ["util.mjs", "export const greet = (name) => `hi ${name}`   ;\n"],
    ["util.ts", "export function twice(n: number): number { return n*2 }\n"],
    [
      "server.mjs",
      'import http from "node:http";\nhttp.createServer((q, s) => s.end("x")).listen(8080);\n',
    ],
  ];
  for (const [filename, code] of plain) {
    it(filename, async () => {
      const result = await migrateSource(code, { filename });
      expect(result).toMatchObject({ status: "unchanged", code });
    });
  }

  it("the corpus's own helper without CGI usage", async () => {
    const file = join(CORPUS_ROOT, "helper-module-env", "lib", "format.cjs");
    const code = readFileSync(file, "utf8");
    expect(await migrateSource(code, { filename: file })).toMatchObject({
      status: "unchanged",
      code,
    });
  });
});

describe("migrate refuses what it cannot parse", () => {
  const broken: Array<[string, string]> = [
    ["broken.cjs", 'console.log("Content-Type: text/plain\\n");\nif (process.env.QUERY_STRING {\n'],
    ["broken.mjs", "const x = ;\nprocess.stdout.write(x);\n"],
    ["broken.ts", "const n: number = process.env.X as ;\n"],
  ];
  for (const [filename, code] of broken) {
    it(filename, async () => {
      const result = await migrateSource(code, { filename });
      expect(result.status).toBe("failed");
      expect(result.diagnostics.length).toBeGreaterThan(0);
    });
  }
});

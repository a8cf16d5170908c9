import { readFileSync, writeFileSync } from "node:fs";
import { loadTypeScript, provideRuntime, TYPESCRIPT_FILE } from "../load/register.js";
import { loadApplication, runMigrated } from "./migrated.js";
import type { IsolatedJob, IsolatedOutcome } from "./isolated.js";

// The child side of runMigratedIsolated: loads the application once, as a server would,
// answers every request through the runtime's test client, and leaves the answers in a file
// (stdout belongs to the application, which may still print). It exits by itself, since a
// migrated script may leave timers behind.
const [jobFile, outFile] = process.argv.slice(2) as [string, string];
const job = JSON.parse(readFileSync(jobFile, "utf8")) as IsolatedJob;
let outcome: IsolatedOutcome;
try {
  // Loaded as `cgi2wsgi serve` loads it: the runtime found even where the project lacks it.
  provideRuntime();
  if (TYPESCRIPT_FILE.test(job.module)) await loadTypeScript();
  const app = await loadApplication(job.module);
  const responses = [];
  for (const request of job.requests) {
    const res = await runMigrated(app, request, job.options);
    responses.push({ ...res, body: res.body.toString("base64") });
  }
  outcome = { responses };
} catch (error) {
  outcome = { error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
}
writeFileSync(outFile, JSON.stringify(outcome));
process.exit(0);

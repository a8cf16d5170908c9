import type { Application } from "@cgi2wsgi/runtime";
import { compareResponses, type Difference } from "./compare.js";
import { resolveRequest } from "./case-request.js";
import { MigratedModuleError, runMigratedIsolated } from "./isolated.js";
import { runLegacyCgi, type LegacyOptions } from "./legacy.js";
import { runMigrated } from "./migrated.js";
import type { CaseRequest, CaseResponse } from "./types.js";

/** The outcome of one request under both. */
export interface CaseResult {
  name: string;
  request: CaseRequest;
  legacy: CaseResponse;
  migrated: CaseResponse;
  differences: Difference[];
}

/** What {@link verifyPair} found. */
export interface VerifyReport {
  legacy: string;
  migrated: string;
  equivalent: boolean;
  cases: CaseResult[];
}

/**
 * Proves a migration: sends every request to the legacy script, run as a real CGI
 * process, and to the migrated application through the runtime's test client, and compares
 * the answers. A migrated module path is served from one fresh Node process (loaded once,
 * as a server would, so state leaking between requests shows); an application function is
 * called in this process.
 *
 * @example
 * const report = await verifyPair("cgi-bin/form.cjs", "out/cgi-bin/form.cjs", [
 *   { method: "GET" },
 *   { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "name=Ada" },
 * ]);
 * if (!report.equivalent) console.log(formatReport(report));
 */
export async function verifyPair(
  legacy: string,
  migrated: string | Application,
  requests: readonly CaseRequest[],
  options: LegacyOptions = {},
): Promise<VerifyReport> {
  // The two sides are independent processes: run them side by side.
  const migratedAnswers = answerAll(legacy, migrated, requests, options);
  // Its failure is rethrown below, once the legacy side is done; until then it is not unhandled.
  migratedAnswers.catch(() => {});
  const legacyResponses: CaseResponse[] = [];
  for (const request of requests)
    legacyResponses.push(await runLegacyCgi(legacy, request, options));
  const migratedResponses = await migratedAnswers;
  const cases: CaseResult[] = [];
  for (const [i, request] of requests.entries()) {
    const legacyResponse = legacyResponses[i]!;
    const migratedResponse = migratedResponses[i]!;
    cases.push({
      name: resolveRequest(request, legacy, options).name,
      request,
      legacy: legacyResponse,
      migrated: migratedResponse,
      differences: compareResponses(legacyResponse, migratedResponse),
    });
  }
  return {
    legacy,
    migrated: typeof migrated === "string" ? migrated : "(application)",
    equivalent: cases.every((c) => c.differences.length === 0),
    cases,
  };
}

async function answerAll(
  legacy: string,
  migrated: string | Application,
  requests: readonly CaseRequest[],
  options: LegacyOptions,
): Promise<CaseResponse[]> {
  const mount = { scriptName: options.scriptName, scriptPath: legacy };
  if (typeof migrated === "function") {
    const responses: CaseResponse[] = [];
    for (const request of requests) responses.push(await runMigrated(migrated, request, mount));
    return responses;
  }
  try {
    return await runMigratedIsolated(migrated, requests, mount);
  } catch (error) {
    if (!(error instanceof MigratedModuleError)) throw error;
    // Every request then fails as a server would answer it: a 500 of its own.
    return requests.map(() => ({
      status: "500 Internal Server Error",
      headers: [],
      body: Buffer.alloc(0),
      origin: "gateway",
      errors: error.message,
      reason: error.message,
    }));
  }
}

/**
 * A human-readable summary of a report: one line per request, and each difference below it.
 *
 * @example
 * console.log(formatReport(await verifyPair(legacy, migrated, requests)));
 * // ✓ GET /
 * // ✗ POST /  status: legacy "200 OK", migrated "500 Internal Server Error"
 */
export function formatReport(report: VerifyReport): string {
  const lines = [`${report.legacy} vs ${report.migrated}`];
  for (const c of report.cases) {
    lines.push(`${c.differences.length === 0 ? "✓" : "✗"} ${c.name}`);
    for (const d of c.differences) {
      const label = d.what === "header" ? `header ${d.name}` : d.what;
      lines.push(
        `    ${label}: legacy ${JSON.stringify(d.legacy)}, migrated ${JSON.stringify(d.migrated)}`,
      );
    }
    if (c.differences.length > 0 && c.migrated.origin === "gateway" && c.migrated.reason) {
      lines.push(`    migrated error: ${c.migrated.reason}`);
    }
  }
  return lines.join("\n");
}

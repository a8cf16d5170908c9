import { readFileSync } from "node:fs";
import type { CaseRequest } from "./types.js";

/** A `--cases` file (or a fixture's requests.json) that is not a list of requests. */
export class CaseFileError extends Error {
  readonly code = "ERR_CASE_FILE";

  constructor(file: string, problem: string) {
    super(`${file}: ${problem}; see test-fixtures/README.md for the request format`);
    this.name = "CaseFileError";
  }
}

const STRING_FIELDS = ["name", "method", "path", "query"] as const;

/**
 * Reads and checks a list of requests in the fixture format: a JSON array of objects with
 * optional `name`, `method`, `path` (PATH_INFO, starting with `/`), `query`, `headers` (an
 * object of strings) and `body` (text, or `{ "base64": "..." }`).
 *
 * @example
 * const requests = readCases("test-fixtures/hello-var/requests.json");
 * const report = await verifyPair(legacy, migrated, requests);
 */
export function readCases(file: string): CaseRequest[] {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new CaseFileError(file, `cannot read it as JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(data)) throw new CaseFileError(file, "expected a JSON array of requests");
  data.forEach((entry: unknown, i) => checkCase(file, entry, i));
  return data as CaseRequest[];
}

function checkCase(file: string, entry: unknown, i: number): void {
  const at = `request ${i + 1}`;
  if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
    throw new CaseFileError(file, `${at} is not an object`);
  }
  const record = entry as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (![...STRING_FIELDS, "headers", "body"].includes(key)) {
      throw new CaseFileError(file, `${at} has an unknown field "${key}"`);
    }
  }
  for (const key of STRING_FIELDS) {
    if (record[key] !== undefined && typeof record[key] !== "string") {
      throw new CaseFileError(file, `${at}: "${key}" must be a string`);
    }
  }
  if (typeof record.path === "string" && record.path !== "" && !record.path.startsWith("/")) {
    throw new CaseFileError(file, `${at}: "path" is PATH_INFO and must start with "/"`);
  }
  const headers = record.headers;
  if (
    headers !== undefined &&
    (typeof headers !== "object" ||
      headers === null ||
      Object.values(headers).some((v) => typeof v !== "string"))
  ) {
    throw new CaseFileError(file, `${at}: "headers" must be an object of strings`);
  }
  const body = record.body;
  const base64 =
    typeof body === "object" &&
    body !== null &&
    typeof (body as { base64?: unknown }).base64 === "string";
  if (body !== undefined && typeof body !== "string" && !base64) {
    throw new CaseFileError(file, `${at}: "body" must be text or { "base64": "..." }`);
  }
}

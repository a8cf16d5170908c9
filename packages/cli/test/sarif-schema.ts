import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
let validate: (((value: unknown) => boolean) & { errors?: unknown }) | undefined;

/**
 * Checks a parsed SARIF log against the official SARIF 2.1.0 schema (draft-04, through
 * ajv); resolves to the schema errors as JSON, or `""` when the log is valid.
 *
 * @example
 * expect(sarifSchemaErrors(JSON.parse(stdout))).toBe("");
 */
export function sarifSchemaErrors(sarif: unknown): string {
  if (!validate) {
    const Ajv = require("ajv-draft-04") as typeof import("ajv-draft-04").default;
    const addFormats = require("ajv-formats") as typeof import("ajv-formats").default;
    const schema = JSON.parse(
      readFileSync(
        require.resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"),
        "utf8",
      ),
    );
    // The official schema has a pattern that is only valid without the regex u flag.
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    validate = ajv.compile(schema);
  }
  return validate(sarif) ? "" : JSON.stringify(validate.errors);
}

import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ContractViolationError } from "./errors.js";
import { CONTRACT_RULES, type ContractRule } from "./rules.js";

const rules = Object.keys(CONTRACT_RULES) as ContractRule[];
const here = new URL(".", import.meta.url);
const tests = readdirSync(here)
  .filter((name) => name.endsWith(".test.ts") && name !== "rules.test.ts")
  .map((name) => readFileSync(new URL(name, here), "utf8"))
  .join("\n");

describe("CONTRACT_RULES", () => {
  it.each(rules)("%s has a test that breaks it", (rule) => {
    expect(tests).toContain(`"${rule}"`);
  });

  it.each(rules)("%s makes an error with a stable code, the rule id and its party", (rule) => {
    const error = new ContractViolationError(rule, "what to change");
    expect(error).toMatchObject({
      code: "ERR_CONTRACT_VIOLATION",
      rule,
      party: CONTRACT_RULES[rule].party,
    });
    expect(error.message).toBe(
      `the ${error.party} broke the contract (rule ${rule}): what to change`,
    );
  });

  it("uses kebab-case ids", () => {
    for (const rule of rules) expect(rule).toMatch(/^[a-z]+(-[a-z]+)*$/);
  });
});

import { CONTRACT_RULES, type ContractRule, type Party } from "./rules.js";

/**
 * One broken rule of the application contract, as reported to `onViolation`.
 *
 * @example
 * const seen: ContractViolation[] = [];
 * const checked = validator(app, { onViolation: (v) => seen.push(v) });
 */
export interface ContractViolation {
  /** Stable id of the rule, a key of {@link CONTRACT_RULES}. */
  readonly rule: ContractRule;
  /** Who must change: the server (gateway) or the application. */
  readonly party: Party;
  /** What happened and what to change. */
  readonly message: string;
}

/**
 * Thrown by the validator when a rule of the contract is broken (unless an `onViolation`
 * handler takes the report instead). `code` is always `ERR_CONTRACT_VIOLATION`; `rule` names
 * the rule.
 *
 * @example
 * const checked = validator((_environ, start_response) => {
 *   start_response("200 OK", [["Connection", "close"]]);
 *   return [];
 * });
 * try {
 *   checked(environ, start_response);
 * } catch (error) {
 *   if (error instanceof ContractViolationError) console.log(error.rule); // "header-hop-by-hop"
 * }
 */
export class ContractViolationError extends Error implements ContractViolation {
  readonly code = "ERR_CONTRACT_VIOLATION";
  readonly party: Party;

  constructor(
    readonly rule: ContractRule,
    detail: string,
  ) {
    const party = CONTRACT_RULES[rule].party;
    super(`the ${party} broke the contract (rule ${rule}): ${detail}`);
    this.name = "ContractViolationError";
    this.party = party;
  }
}

/** Receives one violation; the validator throws, or calls the user's `onViolation`. */
export type Report = (rule: ContractRule, detail: string) => void;

/** Short description of a value for messages: its type, or its class for objects. */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return `a ${value.constructor?.name ?? "null-prototype object"}`;
  if (typeof value === "string") return `the string ${JSON.stringify(value)}`;
  return typeof value === "undefined" ? "undefined" : `the ${typeof value} ${String(value)}`;
}

/** A value as JSON when it has a JSON form, else as {@link describe} says it. */
export function show(value: unknown): string {
  try {
    return JSON.stringify(value) ?? describe(value);
  } catch {
    return describe(value);
  }
}

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { runCommand } from "../run-cli.js";

interface ActionStep {
  id?: string;
  name?: string;
  if?: string;
  shell?: string;
  run?: string;
  uses?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}

interface Action {
  inputs: Record<string, { default?: string }>;
  runs: { using: string; steps: ActionStep[] };
}

/** What one step did: ran (with its exit code), used another action, or was skipped. */
export type StepOutcome =
  | { step: string; kind: "run"; code: number | null; stdout: string; stderr: string }
  | { step: string; kind: "uses"; uses: string; with: Record<string, string> }
  | { step: string; kind: "skipped" };

/**
 * Runs a composite action's steps the way the runner does: inputs defaulted, `${{ }}`
 * expressions substituted, `if:` conditions evaluated (a failed step skips the rest unless
 * they say `always()`), bash steps run as `bash --noprofile --norc -eo pipefail` with
 * GITHUB_OUTPUT collected. `uses:` steps are recorded, not run: they are other projects'
 * actions, and their inputs are what this action decides.
 *
 * @example
 * const { outcomes, failed } = await runAction("action.yml", { paths: "." }, { cwd, env });
 */
export async function runAction(
  file: string,
  given: Record<string, string>,
  options: { cwd: string; env: Record<string, string> },
): Promise<{
  outcomes: StepOutcome[];
  failed: boolean;
  outputs: Record<string, Record<string, string>>;
}> {
  const action = parse(readFileSync(file, "utf8")) as Action;
  if (action.runs.using !== "composite") throw new Error(`${file} is not a composite action`);
  const inputs: Record<string, string> = {};
  for (const [name, input] of Object.entries(action.inputs)) {
    inputs[name] = given[name] ?? input.default ?? "";
  }
  for (const name of Object.keys(given)) {
    if (!(name in inputs)) throw new Error(`${file} has no input ${name}`);
  }
  const outputs: Record<string, Record<string, string>> = {};
  const context = (path: string): string => {
    const [scope, ...rest] = path.split(".");
    if (scope === "inputs" && rest.length === 1) return inputs[rest[0]!] ?? "";
    if (scope === "steps" && rest.length === 3 && rest[1] === "outputs") {
      return outputs[rest[0]!]?.[rest[2]!] ?? "";
    }
    throw new Error(`unsupported expression context ${path}`);
  };
  const substitute = (text: string) =>
    text.replace(/\$\{\{\s*([\w.-]+)\s*\}\}/g, (_, path: string) => context(path));

  const outcomes: StepOutcome[] = [];
  let failed = false;
  for (const step of action.runs.steps) {
    const name = step.name ?? step.id ?? step.uses ?? "step";
    const condition = step.if ?? "";
    if ((failed && !/\balways\(\)/.test(condition)) || !evaluate(condition, context)) {
      outcomes.push({ step: name, kind: "skipped" });
      continue;
    }
    if (step.uses) {
      const inputsOfStep = Object.fromEntries(
        Object.entries(step.with ?? {}).map(([key, value]) => [key, substitute(String(value))]),
      );
      outcomes.push({ step: name, kind: "uses", uses: step.uses, with: inputsOfStep });
      continue;
    }
    if (step.shell !== "bash") throw new Error(`step ${name}: only bash steps are run here`);
    if (/\$\{\{/.test(step.run ?? "")) throw new Error(`step ${name}: expressions in run: text`);
    const scratch = mkdtempSync(join(tmpdir(), "action-step-"));
    try {
      const script = join(scratch, "step.sh");
      const outputFile = join(scratch, "output");
      writeFileSync(script, step.run ?? "");
      writeFileSync(outputFile, "");
      const env = {
        ...options.env,
        ...Object.fromEntries(
          Object.entries(step.env ?? {}).map(([key, value]) => [key, substitute(String(value))]),
        ),
        GITHUB_OUTPUT: outputFile,
        GITHUB_WORKSPACE: options.cwd,
      };
      const run = await runCommand("bash", ["--noprofile", "--norc", "-eo", "pipefail", script], {
        cwd: options.cwd,
        env,
      });
      if (step.id) outputs[step.id] = parseOutputs(readFileSync(outputFile, "utf8"));
      outcomes.push({ step: name, kind: "run", ...run });
      if (run.code !== 0) failed = true;
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }
  return { outcomes, failed, outputs };
}

// The `name=value` lines a step appends to GITHUB_OUTPUT (multi-line values are not used).
function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const at = line.indexOf("=");
    if (at > 0) outputs[line.slice(0, at)] = line.slice(at + 1);
  }
  return outputs;
}

// The part of the expression language action.yml uses: terms joined by &&, each
// `always()`, or a context compared with == or != to a quoted string. Anything else throws,
// so a condition this reader does not understand fails the test instead of passing it.
function evaluate(condition: string, context: (path: string) => string): boolean {
  if (condition.trim() === "") return true;
  return condition.split("&&").every((raw) => {
    const term = raw.trim();
    if (term === "always()") return true;
    const match = /^([\w.-]+)\s*(==|!=)\s*'([^']*)'$/.exec(term);
    if (!match) throw new Error(`unsupported condition ${JSON.stringify(term)}`);
    const equal = context(match[1]!) === match[3];
    return match[2] === "==" ? equal : !equal;
  });
}

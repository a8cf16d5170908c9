import { parseArgs } from "node:util";
import type { Colors } from "./color.js";
import { UsageError } from "./errors.js";

/** One option of a command: the single source of its parsing and its `--help` line. */
export interface OptionSpec {
  type: "string" | "boolean";
  description: string;
  short?: string;
  /** Placeholder shown in help, e.g. `FILE`. */
  argument?: string;
  /** The values a string option accepts. */
  choices?: readonly string[];
  default?: string | boolean;
  /** May be given several times (values collect into an array). */
  multiple?: boolean;
}

/** A command: its usage line, summary and option table. */
export interface CommandSpec<Options extends Record<string, OptionSpec>> {
  name: string;
  /** Positional arguments as shown in the usage line, e.g. `<path...>`. */
  positionals: string;
  /** Minimum number of positionals. */
  minPositionals: number;
  summary: string;
  options: Options;
  examples: string[];
}

/**
 * The options every command that prints findings or progress takes: colour on or off, and
 * `--help`. Spread into a command's table, after its own options.
 *
 * @example
 * options: { format: { type: "string", description: "output format" }, ...OUTPUT_OPTIONS }
 */
export const OUTPUT_OPTIONS = {
  color: { type: "boolean", description: "force colour (also FORCE_COLOR=1)" },
  "no-color": { type: "boolean", description: "no colour (also NO_COLOR=1)" },
  help: { type: "boolean", short: "h", description: "show this help" },
} as const satisfies Record<string, OptionSpec>;

/**
 * What `--color` / `--no-color` ask for: true, false, or undefined to decide from the
 * terminal and the environment.
 *
 * @example
 * shouldColor({ isTTY, env, flag: colorFlag(values) });
 */
export function colorFlag(values: { color?: boolean; "no-color"?: boolean }): boolean | undefined {
  return values.color ? true : values["no-color"] ? false : undefined;
}

// A string option with `choices` is typed as one of them: the parser has refused the rest.
type ValueOf<Spec extends OptionSpec> = Spec["type"] extends "boolean"
  ? boolean
  : Spec["multiple"] extends true
    ? string[]
    : Spec extends { choices: readonly (infer Choice extends string)[] }
      ? Choice
      : string;

type WithDefault = { default: string | boolean };

/** Parsed option values, typed from the table: an option with a default is always set. */
export type OptionValues<Options extends Record<string, OptionSpec>> = {
  [Name in keyof Options as Options[Name] extends WithDefault ? Name : never]: ValueOf<
    Options[Name]
  >;
} & {
  [Name in keyof Options as Options[Name] extends WithDefault ? never : Name]?: ValueOf<
    Options[Name]
  >;
};

/**
 * Parses argv against a command's table. Unknown options, missing values, values outside
 * `choices` and too few positionals become a {@link UsageError} that names the fix.
 *
 * @example
 * const { values, positionals } = parseCommandArgs(lintSpec, ["src", "--format", "json"]);
 */
export function parseCommandArgs<Options extends Record<string, OptionSpec>>(
  spec: CommandSpec<Options>,
  argv: string[],
): { values: OptionValues<Options>; positionals: string[] } {
  const config: Record<string, { type: "string" | "boolean"; short?: string; multiple?: boolean }> =
    {};
  for (const [name, option] of Object.entries(spec.options)) {
    config[name] = {
      type: option.type,
      ...(option.short ? { short: option.short } : {}),
      ...(option.multiple ? { multiple: true } : {}),
    };
  }
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: config, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(explainParseError(spec, error as Error & { code?: string }));
  }
  const values = parsed.values as Record<string, unknown>;
  for (const [name, option] of Object.entries(spec.options)) {
    if (values[name] === undefined && option.default !== undefined) values[name] = option.default;
    const value = values[name];
    if (option.choices && typeof value === "string" && !option.choices.includes(value)) {
      throw new UsageError(
        `--${name} does not accept ${JSON.stringify(value)}; use ${listWords(option.choices)}`,
      );
    }
  }
  if (!values.help && parsed.positionals.length < spec.minPositionals) {
    throw new UsageError(
      `${spec.name} needs ${spec.positionals}; usage: cgi2wsgi ${spec.name} ${spec.positionals} [options]`,
    );
  }
  return { values: values as OptionValues<Options>, positionals: parsed.positionals };
}

function explainParseError(
  spec: CommandSpec<Record<string, OptionSpec>>,
  error: Error & { code?: string },
): string {
  const help = `run \`cgi2wsgi ${spec.name} --help\` for its options`;
  const unknown = /Unknown option '(-{1,2}[^']+)'/.exec(error.message);
  if (unknown) {
    const guess = closestOption(unknown[1]!.replace(/^-+/, ""), Object.keys(spec.options));
    return `unknown option ${unknown[1]}${guess ? ` (did you mean --${guess}?)` : ""}; ${help}`;
  }
  const missing = /Option '(?:-\w, )?(--[\w-]+) <value>' argument missing/.exec(error.message);
  if (missing) return `${missing[1]} needs a value; ${help}`;
  return `${error.message.split("\n")[0]}; ${help}`;
}

// Levenshtein distance at most 2, so `--fromat` suggests `--format`.
function closestOption(word: string, names: string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of names) {
    const distance = editDistance(word, name);
    if (distance <= 2 && (!best || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * "a, b or c", for messages.
 *
 * @example
 * listWords(["json", "sarif"]); // "json or sarif"
 */
export function listWords(words: readonly string[]): string {
  return words.length < 2
    ? words.join("")
    : `${words.slice(0, -1).join(", ")} or ${words[words.length - 1]}`;
}

/**
 * The `--help` text of a command, generated from its option table.
 *
 * @example
 * io.stdout(formatHelp(lintSpec, createColors(false)));
 */
export function formatHelp<Options extends Record<string, OptionSpec>>(
  spec: CommandSpec<Options>,
  colors: Colors,
): string {
  const rows = Object.entries(spec.options).map(
    ([name, option]) => [optionFlag(name, option), optionText(option)] as const,
  );
  const width = Math.max(...rows.map(([flag]) => flag.length)) + 2;
  return [
    `${colors.bold("Usage:")} cgi2wsgi ${spec.name} ${spec.positionals} [options]`,
    "",
    spec.summary,
    "",
    colors.bold("Options:"),
    ...rows.map(([flag, text]) => `  ${flag.padEnd(width)}${text}`),
    "",
    colors.bold("Examples:"),
    ...spec.examples.map((example) => `  ${colors.dim("$")} ${example}`),
    "",
  ].join("\n");
}

/**
 * How an option is written, e.g. `-o, --out-dir DIR` (short options' column kept aligned).
 *
 * @example
 * optionFlag("out-dir", migrateSpec.options["out-dir"]); // "-o, --out-dir DIR"
 */
export function optionFlag(name: string, option: OptionSpec): string {
  const argument = option.type === "string" ? ` ${option.argument ?? "VALUE"}` : "";
  return `${option.short ? `-${option.short}, ` : "    "}--${name}${argument}`;
}

/**
 * An option's description with its choices, default and repetition, as help and docs show it.
 *
 * @example
 * optionText(lintSpec.options.format); // "output format (one of: stylish, json, sarif, github; default: stylish)"
 */
export function optionText(option: OptionSpec): string {
  const notes = [
    option.choices ? `one of: ${option.choices.join(", ")}` : "",
    option.default !== undefined && option.default !== false ? `default: ${option.default}` : "",
    option.multiple ? "repeatable" : "",
  ].filter(Boolean);
  return option.description + (notes.length ? ` (${notes.join("; ")})` : "");
}

/**
 * The options of `serve --shadow`, spread into serve's table: which legacy scripts shadow
 * the migrated modules, how many requests are compared, and which answer clients get.
 *
 * @example
 * export const serveOptions = { protocol: { ... }, ...SHADOW_OPTIONS, help: { ... } };
 */
export const SHADOW_OPTIONS = {
  shadow: {
    type: "boolean",
    description:
      "also run each migrated module's legacy script (from --legacy) on a share of requests and log every difference",
  },
  legacy: {
    type: "string",
    argument: "DIR",
    description:
      "where the legacy scripts are: DIR/<path> shadows the module served at /<path> (a file when serving one module)",
  },
  "shadow-rate": {
    type: "string",
    argument: "RATE",
    default: "1",
    description: "share of requests compared, 0 to 1",
  },
  "shadow-serve": {
    type: "string",
    argument: "SIDE",
    choices: ["legacy", "migrated"],
    default: "legacy",
    description: "which answer clients get while shadowing",
  },
  "shadow-unsafe": {
    type: "boolean",
    description: "also run POST, PUT, DELETE and PATCH twice (only if the scripts change nothing)",
  },
  "shadow-concurrency": {
    type: "string",
    argument: "N",
    description: "comparisons at once; requests beyond are not compared (default: one per CPU)",
  },
  "shadow-log": {
    type: "string",
    argument: "FILE",
    description: "append each difference, one JSON line, to FILE (default: stderr)",
  },
} as const satisfies Record<string, OptionSpec>;

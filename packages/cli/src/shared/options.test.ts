import { describe, expect, it } from "vitest";
import { createColors, shouldColor } from "./color.js";
import {
  formatHelp,
  listWords,
  parseCommandArgs,
  type CommandSpec,
  type OptionSpec,
} from "./options.js";
import { createProgress } from "./progress.js";

const spec = {
  name: "demo",
  positionals: "<path...>",
  minPositionals: 1,
  summary: "A demo command.",
  options: {
    format: {
      type: "string",
      short: "f",
      argument: "NAME",
      description: "format",
      choices: ["a", "b"],
      default: "a",
    },
    tag: { type: "string", description: "a tag", multiple: true },
    quiet: { type: "boolean", description: "say less" },
    help: { type: "boolean", short: "h", description: "help" },
  },
  examples: ["cgi2wsgi demo x"],
} as const satisfies CommandSpec<Record<string, OptionSpec>>;

describe("parseCommandArgs", () => {
  it("parses values and positionals, with defaults and repeatable options", () => {
    const { values, positionals } = parseCommandArgs(spec, [
      "x",
      "--tag",
      "1",
      "--tag",
      "2",
      "-f",
      "b",
    ]);
    expect(positionals).toEqual(["x"]);
    expect(values).toMatchObject({ format: "b", tag: ["1", "2"] });
    expect(parseCommandArgs(spec, ["x"]).values.format).toBe("a");
  });

  it("turns mistakes into usage errors that say what to do", () => {
    const attempt = (argv: string[]) => {
      try {
        parseCommandArgs(spec, argv);
        return "parsed";
      } catch (error) {
        return `${(error as { code: string }).code}: ${(error as Error).message}`;
      }
    };
    expect(attempt(["x", "--fromat", "a"])).toBe(
      "ERR_USAGE: unknown option --fromat (did you mean --format?); run `cgi2wsgi demo --help` for its options",
    );
    expect(attempt(["x", "--format"])).toMatch(/^ERR_USAGE: --format needs a value/);
    expect(attempt(["x", "-f", "c"])).toBe('ERR_USAGE: --format does not accept "c"; use a or b');
    expect(attempt([])).toMatch(/^ERR_USAGE: demo needs <path...>/);
    expect(attempt(["--help"])).toBe("parsed");
  });

  it("generates help from the table", () => {
    const help = formatHelp(spec, createColors(false));
    expect(help).toContain("Usage: cgi2wsgi demo <path...> [options]");
    expect(help).toMatch(/-f, --format NAME +format \(one of: a, b; default: a\)/);
    expect(help).toMatch(/ {4}--tag VALUE +a tag \(repeatable\)/);
    expect(listWords(["x", "y", "z"])).toBe("x, y or z");
  });
});

describe("colour and progress", () => {
  it("follows the flag, then FORCE_COLOR, then NO_COLOR, then the TTY", () => {
    expect(shouldColor({ isTTY: false, env: {}, flag: true })).toBe(true);
    expect(shouldColor({ isTTY: true, env: { FORCE_COLOR: "0" } })).toBe(false);
    expect(shouldColor({ isTTY: false, env: { FORCE_COLOR: "1", NO_COLOR: "1" } })).toBe(true);
    expect(shouldColor({ isTTY: true, env: { NO_COLOR: "1" } })).toBe(false);
    expect(shouldColor({ isTTY: true, env: { NO_COLOR: "" } })).toBe(true);
    expect(shouldColor({ isTTY: true, env: { TERM: "dumb" } })).toBe(false);
    expect(shouldColor({ isTTY: false, env: {} })).toBe(false);
    expect(createColors(true).red("x")).toBe("\u001b[31mx\u001b[39m");
  });

  it("draws a progress line only on a TTY, after the delay, and erases it", () => {
    let clock = 0;
    let out = "";
    const progress = createProgress({
      write: (text) => (out += text),
      isTTY: true,
      total: 10,
      label: "lint",
      now: () => clock,
    });
    progress.tick(1);
    expect(out).toBe("");
    clock = 500;
    progress.tick(5);
    expect(out).toContain("5/10");
    progress.done();
    expect(out.endsWith("\r\u001b[2K")).toBe(true);
    let piped = "";
    const quiet = createProgress({
      write: (t) => (piped += t),
      isTTY: false,
      total: 10,
      label: "x",
    });
    quiet.tick(10);
    quiet.done();
    expect(piped).toBe("");
  });
});

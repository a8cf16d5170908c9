import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { createColors, shouldColor } from "../shared/color.js";
import { UsageError } from "../shared/errors.js";
import { collectFiles } from "../shared/files.js";
import type { CliIo } from "../shared/io.js";
import {
  colorFlag,
  formatHelp,
  OUTPUT_OPTIONS,
  parseCommandArgs,
  type CommandSpec,
  type OptionSpec,
} from "../shared/options.js";
import { createProgress } from "../shared/progress.js";
import { loadLintConfig } from "./config.js";
import { formatGithub } from "./formatters/github.js";
import { formatGitlab } from "./formatters/gitlab.js";
import { formatJson } from "./formatters/json.js";
import { formatSarif } from "./formatters/sarif.js";
import { formatStylish } from "./formatters/stylish.js";
import { fixFiles } from "./fix.js";
import { lintFiles, lintFilesParallel } from "./run-lint.js";
import { countMessages } from "./types.js";

/** The `lint` command's option table: parsing and `--help` both come from it. */
export const lintSpec = {
  name: "lint",
  positionals: "<path...>",
  minPositionals: 1,
  summary:
    "Reports CGI usage (request data read from process.env and stdin, printed header blocks,\nprocess.exit) so CI can keep migrated code from sliding back. Exit 0: clean, 1: findings,\n2: usage or internal error.",
  options: {
    format: {
      type: "string",
      short: "f",
      argument: "NAME",
      description: "output format",
      choices: ["stylish", "json", "sarif", "github", "gitlab"],
      default: "stylish",
    },
    output: {
      type: "string",
      short: "o",
      argument: "FILE",
      description: "write the report to FILE instead of stdout",
    },
    config: {
      type: "string",
      short: "c",
      argument: "FILE",
      description:
        'config file (default: nearest cgi2wsgi.config.json or package.json "cgi2wsgi" key)',
    },
    "ignore-pattern": {
      type: "string",
      argument: "GLOB",
      description: "skip files matching GLOB, relative to the working directory",
      multiple: true,
    },
    jobs: {
      type: "string",
      short: "j",
      argument: "N",
      description: "threads to check files with; helps large trees on an idle machine",
      default: "1",
    },
    fix: {
      type: "boolean",
      description: "rewrite the files with findings through `cgi2wsgi migrate`",
    },
    ...OUTPUT_OPTIONS,
  },
  examples: [
    "cgi2wsgi lint cgi-bin lib",
    "cgi2wsgi lint 'src/**/*.js' --format github",
    "cgi2wsgi lint . --format sarif --output cgi2wsgi.sarif",
    "cgi2wsgi lint . --format gitlab --output gl-code-quality-report.json",
  ],
} as const satisfies CommandSpec<Record<string, OptionSpec>>;

/**
 * `cgi2wsgi lint <path...>`: resolves to the exit code (0 clean, 1 findings at error
 * severity, 2 usage error or unreadable files).
 *
 * @example
 * process.exitCode = await lintCommand(["cgi-bin", "--format", "json"], processIo());
 */
export async function lintCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(lintSpec, argv);
  const flag = colorFlag(values);
  if (values.help) {
    io.stdout(
      formatHelp(lintSpec, createColors(shouldColor({ isTTY: io.stdoutIsTTY, env: io.env, flag }))),
    );
    return 0;
  }
  const threads = Number(values.jobs);
  if (!Number.isInteger(threads) || threads < 1 || threads > 64) {
    throw new UsageError(
      `--jobs takes a whole number from 1 to 64, not ${JSON.stringify(values.jobs)}`,
    );
  }
  const config = loadLintConfig(io.cwd, values.config);
  const { files, unmatched } = collectFiles(positionals, {
    cwd: io.cwd,
    ignore: [
      ...config.ignore.map((glob) => ({ glob, base: config.base })),
      ...(values["ignore-pattern"] ?? []).map((glob) => ({ glob, base: io.cwd })),
    ],
  });
  if (unmatched.length > 0) {
    throw new UsageError(
      `no files match ${unmatched.map((arg) => JSON.stringify(arg)).join(", ")}; check the path, or quote a glob so the shell does not expand it`,
    );
  }
  const progress = createProgress({
    write: io.stderr,
    isTTY: io.stderrIsTTY && values.output === undefined,
    total: files.length,
    label: "cgi2wsgi lint",
    columns: io.columns,
  });
  let report = await lintFilesParallel(files, {
    cwd: io.cwd,
    config,
    threads,
    onProgress: progress.tick,
  });
  progress.done();
  if (values.fix) {
    const outcome = await fixFiles(report.results, io.cwd);
    // Report what is left after the rewrite, as ESLint does with --fix.
    const rechecked = lintFiles(outcome.written, { cwd: io.cwd, config });
    const after = new Map(rechecked.results.map((result) => [result.path, result]));
    report = {
      ...report,
      results: report.results.map((result) => after.get(result.path) ?? result),
    };
    io.stderr(
      `cgi2wsgi: --fix migrated ${outcome.written.length} file(s)` +
        (outcome.needsReview.length > 0
          ? `; ${outcome.needsReview.length} need review (search for TODO(cgi2wsgi)): ${outcome.needsReview.join(", ")}`
          : "") +
        "\n",
    );
    for (const failure of outcome.failed) {
      io.stderr(`cgi2wsgi: --fix could not migrate ${failure.path}: ${failure.reason}\n`);
    }
  }
  const toFile = values.output !== undefined;
  const colors = createColors(!toFile && shouldColor({ isTTY: io.stdoutIsTTY, env: io.env, flag }));
  const text =
    values.format === "json"
      ? formatJson(report)
      : values.format === "sarif"
        ? formatSarif(report, { rules: config.rules })
        : values.format === "github"
          ? formatGithub(report)
          : values.format === "gitlab"
            ? formatGitlab(report)
            : formatStylish(report, colors);
  if (toFile) {
    const target = resolve(io.cwd, values.output!);
    try {
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, text);
    } catch (error) {
      throw new UsageError(
        `cannot write ${values.output} (${(error as NodeJS.ErrnoException).code}); choose a writable --output path`,
      );
    }
  } else {
    io.stdout(text);
  }
  for (const failure of report.failures) io.stderr(`cgi2wsgi: ${failure.reason}\n`);
  if (report.failures.length > 0) return 2;
  return countMessages(report.results).errors > 0 ? 1 : 0;
}

import {
  CaseFileError,
  defaultCases,
  formatReport,
  readCases,
  verifyPair,
} from "@cgi2wsgi/codemod";
import { resolve } from "node:path";
import { createColors, shouldColor, type Colors } from "../shared/color.js";
import { UsageError } from "../shared/errors.js";
import { displayPath } from "../shared/files.js";
import type { CliIo } from "../shared/io.js";
import {
  colorFlag,
  formatHelp,
  OUTPUT_OPTIONS,
  parseCommandArgs,
  type CommandSpec,
  type OptionSpec,
} from "../shared/options.js";
import { verifyFromLog } from "./from-log.js";
import { findPairs } from "./pairs.js";

/** The `verify` command's option table: parsing and `--help` both come from it. */
export const verifySpec = {
  name: "verify",
  positionals: "<legacy-path> <migrated-path>",
  minPositionals: 2,
  summary:
    "Runs each legacy script as a real CGI process and its migrated application for the same\nrequests, and reports every difference in status, headers and body. Directories are paired\nby relative path. Exit 0: equivalent, 1: a difference, 2: usage error.",
  options: {
    cases: {
      type: "string",
      argument: "FILE",
      description:
        "JSON list of requests (default: GET, GET with a query, form POST, JSON POST, HEAD); with --from-log, the bodies for logged POSTs",
    },
    "from-log": {
      type: "string",
      argument: "FILE",
      multiple: true,
      description:
        "replay the requests of an nginx or Apache access log (common, combined or JSON lines; gzip too) for each script, at <mount>/<path relative to legacy-path>",
    },
    "max-cases": {
      type: "string",
      argument: "N",
      default: "200",
      description:
        "with --from-log, at most N distinct requests per script, sampled the same way every run",
    },
    mount: {
      type: "string",
      argument: "PREFIX",
      description:
        "with --from-log, the URL prefix legacy-path was served under, e.g. /cgi-bin (as serve --mount)",
    },
    ...OUTPUT_OPTIONS,
  },
  examples: [
    "cgi2wsgi verify cgi-bin/form.cjs migrated/cgi-bin/form.cjs",
    "cgi2wsgi verify cgi-bin migrated/cgi-bin --cases requests.json",
    "cgi2wsgi verify cgi-bin migrated/cgi-bin --from-log /var/log/nginx/access.log --mount /cgi-bin",
  ],
} as const satisfies CommandSpec<Record<string, OptionSpec>>;

/**
 * `cgi2wsgi verify <legacy-path> <migrated-path>`: resolves to the exit code (0 every
 * request answered the same, 1 a difference or a missing module, 2 usage error).
 *
 * @example
 * process.exitCode = await verifyCommand(["cgi-bin", "out/cgi-bin"], processIo());
 */
export async function verifyCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(verifySpec, argv);
  const flag = colorFlag(values);
  const colors = createColors(shouldColor({ isTTY: io.stdoutIsTTY, env: io.env, flag }));
  if (values.help) {
    io.stdout(formatHelp(verifySpec, colors));
    return 0;
  }
  if (positionals.length > 2) {
    throw new UsageError(
      `verify takes two paths, the legacy one and the migrated one, not ${positionals.length}`,
    );
  }
  let requests;
  try {
    requests =
      values.cases === undefined ? defaultCases() : readCases(resolve(io.cwd, values.cases));
  } catch (error) {
    if (error instanceof CaseFileError) throw new UsageError(error.message);
    throw error;
  }
  const found = findPairs(positionals[0]!, positionals[1]!, io.cwd);
  const { pairs, missing } = found;
  if (values["from-log"]) {
    const maxCases = values["max-cases"]!;
    if (!/^[1-9]\d*$/.test(maxCases)) {
      throw new UsageError(`--max-cases must be a whole number above 0, got ${maxCases}`);
    }
    const differing = await verifyFromLog(
      found,
      {
        logs: values["from-log"],
        mount: values.mount ?? "",
        maxCases: Number(maxCases),
        bodies: values.cases === undefined ? [] : requests,
        legacyArg: positionals[0]!,
      },
      io,
      colors,
    );
    return reportMissing(missing, pairs.length, differing, "distinct logged requests", io, colors);
  }
  let differing = 0;
  for (const pair of pairs) {
    const report = await verifyPair(pair.legacy, pair.migrated, requests);
    report.legacy = displayPath(pair.legacy, io.cwd);
    report.migrated = displayPath(pair.migrated, io.cwd);
    if (!report.equivalent) differing++;
    const text = formatReport(report)
      .replace(/^✓/gm, colors.green("✓"))
      .replace(/^✗/gm, colors.red("✗"));
    io.stdout(`${text}\n\n`);
  }
  return reportMissing(
    missing,
    pairs.length,
    differing,
    `${requests.length} request(s) each`,
    io,
    colors,
  );
}

function reportMissing(
  missing: string[],
  paired: number,
  differing: number,
  requests: string,
  io: CliIo,
  colors: Colors,
): number {
  for (const path of missing) {
    io.stdout(`${colors.red("✗")} ${path}: no migrated module at the same path\n`);
  }
  const total = paired + missing.length;
  const bad = differing + missing.length;
  const summary = `${total} script(s), ${requests}: ${total - bad} equivalent, ${bad} differ`;
  io.stdout(`${bad ? colors.red(summary) : colors.green(summary)}\n`);
  return bad ? 1 : 0;
}

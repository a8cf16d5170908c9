import {
  AccessLogError,
  casesFromLog,
  formatReport,
  readAccessLog,
  verifyPair,
  type AccessLog,
  type CaseRequest,
  type LoggedRequest,
} from "@cgi2wsgi/codemod";
import { statSync } from "node:fs";
import { basename, relative, resolve, sep } from "node:path";
import type { Colors } from "../shared/color.js";
import { UsageError } from "../shared/errors.js";
import { displayPath } from "../shared/files.js";
import type { CliIo } from "../shared/io.js";
import type { Pairs } from "./pairs.js";

/** What `verify --from-log` was asked for. */
export interface FromLogOptions {
  logs: string[];
  /** URL prefix the legacy path was served under (`--mount`). */
  mount: string;
  maxCases: number;
  /** Requests from `--cases`, lending their bodies to logged POSTs. */
  bodies: CaseRequest[];
  /** The legacy path as given: a directory maps scripts by relative path. */
  legacyArg: string;
}

/**
 * Verifies each pair on the requests an access log holds for it: the script's URL is
 * `<mount>/<path relative to the legacy directory>` (a single legacy file: its name), as
 * `serve` mounts it. Prints, per script, how many distinct logged requests agreed, and each
 * difference; resolves to the number of scripts that differ.
 *
 * @example
 * const differing = await verifyFromLog(pairs, { logs: ["access.log"], mount: "/cgi-bin", maxCases: 200, bodies: [], legacyArg: "cgi-bin" }, io, colors);
 */
export async function verifyFromLog(
  { pairs }: Pairs,
  options: FromLogOptions,
  io: CliIo,
  colors: Colors,
): Promise<number> {
  const requests: LoggedRequest[] = [];
  for (const file of options.logs) {
    const log = readLog(resolve(io.cwd, file));
    requests.push(...log.requests);
    io.stdout(`${describeLog(log, file)}\n`);
  }
  const root = resolve(io.cwd, options.legacyArg);
  const isDir = statSync(root).isDirectory();
  const mount = options.mount.replace(/\/+$/, "");
  const scripts = pairs.map((pair) => ({
    id: pair.legacy,
    url: `${mount}/${(isDir ? relative(root, pair.legacy) : basename(pair.legacy)).split(sep).join("/")}`,
  }));
  const found = casesFromLog(requests, scripts, {
    maxCases: options.maxCases,
    bodies: options.bodies,
  });
  io.stdout(`${found.otherPaths} logged request(s) for other paths\n\n`);
  let differing = 0;
  for (const [i, pair] of pairs.entries()) {
    const { url } = scripts[i]!;
    const log = found.scripts.get(pair.legacy)!;
    const shown = `${displayPath(pair.legacy, io.cwd)} vs ${displayPath(pair.migrated, io.cwd)} (${url})`;
    if (log.cases.length === 0) {
      io.stdout(`${colors.dim("-")} ${shown}: no replayable request for ${url} in the log\n`);
    } else {
      const report = await verifyPair(pair.legacy, pair.migrated, log.cases, { scriptName: url });
      const agreed = report.cases.filter((c) => c.differences.length === 0).length;
      if (!report.equivalent) differing++;
      const mark = report.equivalent ? colors.green("✓") : colors.red("✗");
      io.stdout(`${mark} ${shown}: ${agreed} of ${log.cases.length} distinct request(s) agreed\n`);
      const failed = { ...report, cases: report.cases.filter((c) => c.differences.length > 0) };
      if (failed.cases.length > 0) {
        const text = formatReport(failed).split("\n").slice(1).join("\n");
        io.stdout(`${text.replace(/^✗/gm, colors.red("✗"))}\n`);
      }
    }
    if (log.sampledOut > 0) {
      io.stdout(`    ${log.sampledOut} more left out by --max-cases ${options.maxCases}\n`);
    }
    if (log.notReplayable.length > 0) {
      const listed = log.notReplayable.slice(0, 5).join(", ");
      const more = log.notReplayable.length > 5 ? ` and ${log.notReplayable.length - 5} more` : "";
      io.stdout(
        `    not replayable (the log holds no body; give one with --cases): ${listed}${more}\n`,
      );
    }
  }
  return differing;
}

function readLog(file: string): AccessLog {
  try {
    return readAccessLog(file);
  } catch (error) {
    if (error instanceof AccessLogError) throw new UsageError(error.message);
    throw error;
  }
}

function describeLog(log: AccessLog, file: string): string {
  const head = `${file}: ${log.lines} line(s), ${log.requests.length} request(s)`;
  if (log.unparsable.length === 0) return head;
  const first = log.unparsable[0]!;
  return `${head}, ${log.unparsable.length} unparsable line(s) skipped (first: line ${first.line}: ${first.reason})`;
}

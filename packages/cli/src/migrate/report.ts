import type { Colors } from "../shared/color.js";
import type { FileOutcome } from "./migrate-file.js";
import type { DependencyChange } from "./runtime-dependency.js";

/** One file of the `--report` JSON (SPEC section 3). */
export interface ReportEntry {
  /** Relative to the working directory, with `/` separators. */
  path: string;
  status: FileOutcome["status"];
  diagnostics: FileOutcome["diagnostics"];
}

/**
 * The `--report` file's text: `{ "files": [{ path, status, diagnostics }], "dependencies":
 * [{ path, action, name, range }] }`, the second listing the package.json files migrate
 * added `@cgi2wsgi/runtime` to (or created, or would in a dry run).
 *
 * @example
 * await writeFileAtomic("report.json", reportJson(entries, []));
 */
export function reportJson(entries: ReportEntry[], dependencies: DependencyChange[]): string {
  return JSON.stringify({ files: entries, dependencies }, null, 2) + "\n";
}

/**
 * Counts per status and the closing summary line, e.g.
 * `2 migrated, 1 unchanged, 1 needs review, 0 failed (4 files, 0.8 s, 2 threads)`.
 *
 * @example
 * io.stdout(summaryLine(outcomes, { ms: 812, threads: 2, colors }) + "\n");
 */
export function summaryLine(
  entries: Array<{ status: FileOutcome["status"] }>,
  options: { ms: number; threads: number; colors: Colors; verb?: string },
): string {
  const count = (status: FileOutcome["status"]) =>
    entries.filter((entry) => entry.status === status).length;
  const { colors } = options;
  const failed = count("failed");
  const review = count("needs-review");
  const parts = [
    colors.green(`${count("migrated")} ${options.verb ?? "migrated"}`),
    `${count("unchanged")} unchanged`,
    review ? colors.yellow(`${review} needs review`) : `${review} needs review`,
    failed ? colors.red(`${failed} failed`) : `${failed} failed`,
  ];
  const seconds = (options.ms / 1000).toFixed(1);
  const threads = options.threads === 1 ? "1 thread" : `${options.threads} threads`;
  return `${parts.join(", ")} (${entries.length} files, ${seconds} s, ${threads})`;
}

/**
 * The line shown for one file that is not plain `unchanged`: what happened and, for a review
 * or a failure, each diagnostic with its position.
 *
 * @example
 * io.stdout(fileLines("cgi-bin/a.cjs", outcome, colors));
 */
export function fileLines(path: string, outcome: FileOutcome, colors: Colors): string {
  const label =
    outcome.status === "failed"
      ? colors.red("failed      ")
      : outcome.status === "needs-review"
        ? colors.yellow("needs review")
        : colors.green("migrated    ");
  const lines = [`${label} ${path}`];
  if (outcome.status === "failed" || outcome.status === "needs-review") {
    for (const d of outcome.diagnostics) {
      lines.push(
        `  ${colors.dim(`${path}:${d.line}:${d.column}`)}  ${d.message}  ${colors.dim(d.rule)}`,
      );
    }
  }
  return lines.join("\n") + "\n";
}

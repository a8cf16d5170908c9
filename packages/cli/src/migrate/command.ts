import { availableParallelism } from "node:os";
import { resolve } from "node:path";
import { writeFileAtomic } from "../shared/atomic-write.js";
import { createColors, shouldColor } from "../shared/color.js";
import { UsageError } from "../shared/errors.js";
import { collectFiles, displayPath, isSourceFile } from "../shared/files.js";
import type { CliIo } from "../shared/io.js";
import { colorFlag, formatHelp, parseCommandArgs } from "../shared/options.js";
import { createProgress } from "../shared/progress.js";
import { applyOutcomes, changes } from "./apply.js";
import { refuseDirty } from "./git-state.js";
import { inputBase, isOutside } from "./input-tree.js";
import { migrateFiles } from "./run-migrate.js";
import { fileLines, reportJson, summaryLine } from "./report.js";
import { unifiedDiff } from "./unified-diff.js";
import { migrateSpec } from "./spec.js";
import { addRuntimeDependency, needsRuntime, type DependencyChange } from "./runtime-dependency.js";

// A worker pays about 1.5 s of CPU to load and warm up the parser and prettier, where one
// file costs about 3 ms warm: on 2 cores a second thread was slower than one at 1,000 files.
const FILES_PER_WORKER = 2000;

/**
 * `cgi2wsgi migrate <path...>`: resolves to the exit code (0 done, 1 `--check` found
 * changes or a file failed, 2 usage error).
 *
 * @example
 * process.exitCode = await migrateCommand(["cgi-bin", "--out-dir", "out"], processIo());
 */
export async function migrateCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(migrateSpec, argv);
  const flag = colorFlag(values);
  const colors = createColors(shouldColor({ isTTY: io.stdoutIsTTY, env: io.env, flag }));
  if (values.help) {
    io.stdout(formatHelp(migrateSpec, colors));
    return 0;
  }
  const threads = values.jobs === undefined ? availableParallelism() : Number(values.jobs);
  if (!Number.isInteger(threads) || threads < 1 || threads > 256) {
    throw new UsageError(
      `--jobs takes a whole number from 1 to 256, not ${JSON.stringify(values.jobs)}`,
    );
  }
  const dryRun = Boolean(values["dry-run"] || values.check);
  const outDir = values["out-dir"] === undefined ? undefined : resolve(io.cwd, values["out-dir"]);
  const base = inputBase(positionals, io.cwd);
  if (outDir && !isOutside(outDir, base)) {
    throw new UsageError(
      `--out-dir ${values["out-dir"]} holds the input; choose a directory outside it, or drop --out-dir to migrate in place`,
    );
  }
  const collected = collectFiles(positionals, { cwd: io.cwd, allFiles: true });
  if (collected.unmatched.length > 0) {
    throw new UsageError(
      `no files match ${collected.unmatched.map((arg) => JSON.stringify(arg)).join(", ")}; check the path, or quote a glob so the shell does not expand it`,
    );
  }
  // A previous run's out dir inside the input is output, not input.
  const allFiles = collected.files.filter((file) => !outDir || isOutside(outDir, file));
  const files = allFiles.filter(isSourceFile);
  // The local modules the scripts load come along: a helper's process and console must
  // become the request's for the scripts that call it to answer as they did.
  const { localModuleGraph } = await import("@cgi2wsgi/codemod");
  for (const helper of localModuleGraph(files)) {
    if (!outDir || !isOutside(base, helper)) files.push(helper);
    else
      io.stderr(
        `cgi2wsgi: ${displayPath(helper, io.cwd)} is loaded by the scripts but lies outside the input, so --out-dir cannot hold it: migrate its folder too (give the common parent), or the scripts see the server's process through it\n`,
      );
  }
  files.sort();
  const inPlace = !dryRun && !outDir;
  const originalsInGit = inPlace && !values["allow-dirty"] && (await refuseDirty(io.cwd, files));

  const started = performance.now();
  const progress = createProgress({
    write: io.stderr,
    isTTY: io.stderrIsTTY,
    total: files.length,
    label: "cgi2wsgi migrate",
    columns: io.columns,
  });
  // A worker costs a fresh isolate that loads the parser and prettier; by default, one per
  // FILES_PER_WORKER files, so small trees stay on one thread.
  const wanted = values.jobs === undefined ? Math.ceil(files.length / FILES_PER_WORKER) : threads;
  const used = Math.max(1, Math.min(wanted, threads, files.length));
  const outcomes = await migrateFiles(files, { threads: used, onProgress: progress.tick });
  progress.done();

  const log = dryRun ? io.stderr : io.stdout;
  const errColors = createColors(shouldColor({ isTTY: io.stderrIsTTY, env: io.env, flag }));
  const logColors = dryRun ? errColors : colors;
  const path = (file: string) => displayPath(file, io.cwd);
  for (const outcome of outcomes) {
    if (values["dry-run"] && changes(outcome)) {
      io.stdout(unifiedDiff(outcome.original, outcome.code, { path: path(outcome.file), colors }));
    }
    // Failures go to stderr whatever the mode, so a CI log or a redirected run shows them.
    if (outcome.status === "failed") io.stderr(fileLines(path(outcome.file), outcome, errColors));
    else if (outcome.status !== "unchanged") log(fileLines(path(outcome.file), outcome, logColors));
  }
  let writeFailures = 0;
  if (!dryRun) {
    const applied = await applyOutcomes(outcomes, {
      base,
      outDir,
      allFiles,
      launchers: Boolean(values.launchers),
      originalsInGit,
    });
    // A file that could not be written, or whose launcher could not be, is failed: the
    // summary, the report and the exit code say so.
    for (const failure of applied.failures) {
      const outcome = outcomes.find((o) => o.file === failure.file);
      if (outcome) {
        outcome.status = "failed";
        outcome.diagnostics = [
          ...outcome.diagnostics,
          { rule: failure.rule, message: failure.reason, line: 1, column: 1 },
        ];
      }
      io.stderr(`cgi2wsgi: ${path(failure.file)}: ${failure.reason}\n`);
    }
    writeFailures = applied.failures.length;
    for (const launcher of applied.launchers) log(`launcher     ${path(launcher)}\n`);
    if (outDir)
      log(
        `wrote ${applied.written.length} and copied ${applied.copied} file(s) into ${path(outDir)}\n`,
      );
  }
  // Code that loads the runtime needs it installed where it runs: the governing package.json
  // gets the dependency (in a dry run, says it would).
  const needing = outcomes.filter(
    (o) => changes(o) && o.status !== "failed" && needsRuntime(o.code),
  );
  const dependencies = addRuntimeDependency(
    needing.map((o) => o.file),
    { base, outDir, dryRun },
  );
  for (const change of dependencies) log(dependencyLine(change, path, dryRun));
  if (values.report !== undefined) {
    const entries = outcomes.map((o) => ({
      path: path(o.file),
      status: o.status,
      diagnostics: o.diagnostics,
    }));
    const report = dependencies.map((d) => ({ ...d, path: path(d.path) }));
    try {
      await writeFileAtomic(resolve(io.cwd, values.report), reportJson(entries, report));
    } catch (error) {
      throw new UsageError(
        `cannot write ${values.report} (${(error as NodeJS.ErrnoException).code}); choose a writable --report path`,
      );
    }
  }
  const ms = performance.now() - started;
  const verb = dryRun ? "to migrate" : "migrated";
  log(summaryLine(outcomes, { ms, threads: used, colors: logColors, verb }) + "\n");
  const failed = outcomes.some((o) => o.status === "failed") || writeFailures > 0;
  if (values.check && outcomes.some(changes)) return 1;
  return failed ? 1 : 0;
}

function dependencyLine(
  change: DependencyChange,
  path: (file: string) => string,
  dryRun: boolean,
): string {
  const what = `${change.name}@${change.range}`;
  const where = path(change.path);
  if (change.action === "failed") {
    return `cgi2wsgi: ${where} is not valid JSON: add "${change.name}": "${change.range}" to its dependencies yourself\n`;
  }
  if (dryRun) {
    const how = change.action === "created" ? "create" : "add it to";
    return `dependency   would ${how} ${where} with ${what} (the migrated code imports it)\n`;
  }
  const how = change.action === "created" ? "created" : "added to";
  return `dependency   ${what} ${how} ${where}; run \`npm install\` there\n`;
}

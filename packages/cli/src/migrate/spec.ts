import { OUTPUT_OPTIONS, type CommandSpec, type OptionSpec } from "../shared/options.js";

/** The `migrate` command's option table: parsing and `--help` both come from it. */
export const migrateSpec = {
  name: "migrate",
  positionals: "<path...>",
  minPositionals: 1,
  summary:
    "Rewrites every CGI script under the paths (files, directories, quoted globs) into a module\nexporting application(environ, start_response), in place or into --out-dir. Exit 0: done,\n1: --check found changes or a file failed, 2: usage error.",
  options: {
    "out-dir": {
      type: "string",
      short: "o",
      argument: "DIR",
      description: "write into DIR, mirroring the input tree and copying every file",
    },
    "dry-run": { type: "boolean", short: "n", description: "print a unified diff, write nothing" },
    check: { type: "boolean", description: "write nothing; exit 1 when a file would change" },
    report: { type: "string", argument: "FILE", description: "write a JSON report to FILE" },
    jobs: {
      type: "string",
      short: "j",
      argument: "N",
      description: "worker threads (default: one per 2,000 files, up to the available parallelism)",
    },
    launchers: { type: "boolean", description: "also write an executable name.fcgi per module" },
    "allow-dirty": {
      type: "boolean",
      description: "rewrite in place even when git has uncommitted changes there",
    },
    ...OUTPUT_OPTIONS,
  },
  examples: [
    "cgi2wsgi migrate cgi-bin --dry-run",
    "cgi2wsgi migrate cgi-bin --out-dir migrated --report migrate.json",
    "cgi2wsgi migrate 'cgi-bin/**/*.cjs' --check",
  ],
} as const satisfies CommandSpec<Record<string, OptionSpec>>;

import cluster from "node:cluster";
import {
  inheritedAddress,
  ModuleLoadError,
  NoApplicationError,
  protocolByName,
  runCgi,
  serve,
} from "@cgi2wsgi/runtime";
import { createColors } from "../shared/color.js";
import {
  formatHelp,
  SHADOW_OPTIONS,
  parseCommandArgs,
  type CommandSpec,
  type OptionSpec,
} from "../shared/options.js";
import { loadServeTarget, ServeTargetError } from "./load-target.js";
import { operationOptions, operationSettings } from "./operation-options.js";
import { shadowFromOptions } from "./shadow.js";

/** Streams the command writes to, so tests and the CLI share one code path. */
export interface CommandIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** The options of `cgi2wsgi serve`, the one table its parser and help text come from. */
export const serveOptions = {
  protocol: {
    type: "string",
    argument: "NAME",
    choices: ["http", "fastcgi", "scgi", "ajp13", "cgi"],
    default: "http",
    description: "the protocol the front server (or client) speaks",
  },
  listen: {
    type: "string",
    argument: "ADDR",
    description:
      "HOST:PORT, :PORT, unix:/path or fd:N (default: an inherited socket, else 127.0.0.1:$PORT or 8000/9000/8009)",
  },
  workers: { type: "string", argument: "N", description: "prefork worker processes (default 1)" },
  "max-concurrency": {
    type: "string",
    argument: "N",
    description: "requests in flight per process; more wait in a queue",
  },
  "max-body": {
    type: "string",
    argument: "BYTES",
    description: "largest request body in bytes (413 beyond)",
  },
  mount: {
    type: "string",
    argument: "PREFIX",
    description: "SCRIPT_NAME prefix the applications live under",
  },
  errors: {
    type: "string",
    argument: "WHERE",
    choices: ["front", "local"],
    default: "front",
    description: "wsgi.errors to the web server (FastCGI's FCGI_STDERR) or to serve's own stderr",
  },
  "modules-only": {
    type: "boolean",
    description: "serve only application modules, not the directory's legacy CGI scripts",
  },
  debug: { type: "boolean", description: "show tracebacks in 500 pages (never in production)" },
  index: {
    type: "boolean",
    description:
      "answer a directory's / with an index of what it serves (HTML; plain text for Accept: text/plain)",
  },
  ...operationOptions,
  ...SHADOW_OPTIONS,
  help: { type: "boolean", short: "h", description: "show this help" },
} as const satisfies Record<string, OptionSpec>;

/** The `serve` command: usage, summary and {@link serveOptions}, for parsing and `--help`. */
export const serveSpec = {
  name: "serve",
  positionals: "<module|dir>",
  minPositionals: 1,
  summary:
    "Serves a module that exports application, or every such module under a directory at\n/<relative path> (other executable scripts there run as CGI), over one protocol. Runs\nuntil stopped; exit 2: usage error or a module that fails to load.",
  options: serveOptions,
  examples: [
    "cgi2wsgi serve migrated --listen 127.0.0.1:8000",
    "cgi2wsgi serve migrated --protocol fastcgi --listen unix:/run/app.sock --workers 4",
    "cgi2wsgi serve migrated/cgi-bin/form.cjs --protocol cgi",
  ],
} as const satisfies CommandSpec<Record<string, OptionSpec>>;

/** Usage errors: exit code 2, with what to type instead. */
export class UsageError extends Error {
  readonly code = "ERR_USAGE";
}

/**
 * `cgi2wsgi serve <module|dir>`: serves an application module, or every application under a
 * directory, over the chosen protocol. Resolves with the exit code once the server stops.
 *
 * @example
 * process.exitCode = await serveCommand(["migrated/", "--listen", ":8080"], io);
 */
export async function serveCommand(argv: string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(serveSpec, argv);
  if (values.help) {
    io.stdout(formatHelp(serveSpec, createColors(false)));
    return 0;
  }
  if (positionals.length !== 1) {
    throw new UsageError("serve takes one module or directory: cgi2wsgi serve <module|dir>");
  }
  const operation = operationSettings(values, positionals[0]!);
  const shadowing = shadowFromOptions(values, io.stderr, { timeout: operation.requestTimeout });
  const maxBody = numberOption(values["max-body"], "--max-body");
  const errors = values.errors;
  let target;
  try {
    target = await loadServeTarget(positionals[0]!, {
      base: values.mount,
      modulesOnly: values["modules-only"],
      index: values.index,
      wrap: shadowing?.wrap,
      // One knob bounds both: a legacy script is killed when the request's deadline passes.
      scriptTimeout: operation.requestTimeout,
    });
  } catch (error) {
    if (error instanceof ServeTargetError) throw new UsageError(error.message);
    // Serving the rest without it would answer its URLs wrongly: refuse to start instead.
    if (error instanceof ModuleLoadError || error instanceof NoApplicationError) {
      throw new UsageError(
        `${error.message}\n  fix that file (run it with node to see the whole error), or move it out of what is served`,
      );
    }
    throw error;
  }
  if (shadowing && shadowing.pairs.length === 0) {
    throw new UsageError(
      `--shadow: no module under ${positionals[0]} has a legacy script at the same path under ${values.legacy}`,
    );
  }
  const workers = numberOption(values.workers, "--workers");
  // Each process that serves counts its own comparisons and reports them as it exits (after
  // SIGTERM's drain); a supervising primary serves none.
  const summaryAtExit = () =>
    process.once("exit", () => {
      const who = cluster.isWorker ? ` (worker pid ${process.pid})` : "";
      io.stderr(`cgi2wsgi: shadow${who}: ${shadowing!.shadow.summary()}\n`);
    });
  if (shadowing && cluster.isWorker) summaryAtExit();
  const protocol = values.protocol;
  if (protocol === "cgi") {
    await runCgi(target.application, { maxBody, debug: values.debug });
    return 0;
  }
  const listen =
    values.listen ??
    (protocol === "http" || !inheritedAddress()
      ? `127.0.0.1:${process.env.PORT || defaultPort(protocol)}`
      : undefined);
  try {
    await serve(target.application, {
      protocol: protocolByName(protocol, values.mount, errors),
      listen,
      workers,
      maxBody,
      maxConcurrency: numberOption(values["max-concurrency"], "--max-concurrency"),
      debug: values.debug,
      ...operation,
      shadow: shadowing?.shadow,
      log: io.stderr,
      onListening(address, workers) {
        const shown =
          protocol === "http" && !/^(unix|fd):/.test(address) ? `http://${address}` : address;
        const processes = workers > 1 ? `${workers} workers` : `pid ${process.pid}`;
        io.stderr(
          `cgi2wsgi: serving ${target.mounts.length} application(s) over ${protocol} on ${shown} (${processes})\n`,
        );
        for (const mount of target.mounts) {
          io.stderr(`  ${(values.mount ?? "") + mount.path}  ${mount.file}\n`);
        }
        if (shadowing) {
          io.stderr(shadowing.describe());
          if (workers <= 1) summaryAtExit();
        }
        if (values.index && target.mounts.every((mount) => mount.path !== "/")) {
          io.stderr(`  ${values.mount ?? ""}/  an index of these\n`);
        }
        if (target.legacyDir) {
          io.stderr(
            `  ${values.mount ?? ""}/*  other scripts in ${target.legacyDir}, run as CGI\n`,
          );
        }
      },
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ERR_UNKNOWN_PROTOCOL" || code === "ERR_PRIVILEGES") {
      throw new UsageError((error as Error).message);
    }
    if (code === "EADDRINUSE" || code === "EACCES" || code === "ERR_LISTEN_ADDRESS") {
      throw new UsageError(
        `cannot listen on ${listen ?? "the inherited socket"}: ${(error as Error).message}; choose another with --listen HOST:PORT or $PORT`,
      );
    }
    throw error;
  }
  return 0;
}

function defaultPort(protocol: string): number {
  return protocol === "http" ? 8000 : protocol === "ajp13" ? 8009 : 9000;
}

function numberOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`${name} must be a whole number, got ${value}`);
  return Number(value);
}

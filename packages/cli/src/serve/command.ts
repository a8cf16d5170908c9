import { parseArgs } from "node:util";
import cluster from "node:cluster";
import {
  inheritedAddress,
  ModuleLoadError,
  NoApplicationError,
  protocolByName,
  runCgi,
  serve,
} from "@cgi2wsgi/runtime";
import { SHADOW_OPTIONS } from "../shared/options.js";
import { loadServeTarget, ServeTargetError } from "./load-target.js";
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
    default: "http",
    description: "http | fastcgi | scgi | ajp13 | cgi",
  },
  listen: {
    type: "string",
    description:
      "HOST:PORT, :PORT, unix:/path or fd:N (default: an inherited socket, else 127.0.0.1:$PORT or 8000/9000/8009)",
  },
  workers: { type: "string", description: "prefork worker processes (default 1)" },
  "max-concurrency": {
    type: "string",
    description: "requests in flight per process; more wait in a queue",
  },
  "max-body": { type: "string", description: "largest request body in bytes (413 beyond)" },
  mount: { type: "string", description: "SCRIPT_NAME prefix the applications live under" },
  "modules-only": {
    type: "boolean",
    description: "serve only application modules, not the directory's legacy CGI scripts",
  },
  debug: { type: "boolean", description: "show tracebacks in 500 pages (never in production)" },
  ...SHADOW_OPTIONS,
  help: { type: "boolean", short: "h", description: "show this help" },
} as const;

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
  const { values, positionals } = parseArgs({
    args: argv,
    options: serveOptions,
    allowPositionals: true,
  });
  if (values.help) {
    io.stdout(serveHelp());
    return 0;
  }
  if (positionals.length !== 1) {
    throw new UsageError("serve takes one module or directory: cgi2wsgi serve <module|dir>");
  }
  const shadowing = shadowFromOptions(values, io.stderr);
  const maxBody = numberOption(values["max-body"], "--max-body");
  let target;
  try {
    target = await loadServeTarget(positionals[0]!, {
      base: values.mount,
      modulesOnly: values["modules-only"],
      wrap: shadowing?.wrap,
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
      protocol: protocolByName(protocol, values.mount),
      listen,
      workers,
      maxBody,
      maxConcurrency: numberOption(values["max-concurrency"], "--max-concurrency"),
      debug: values.debug,
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
        if (target.legacyDir) {
          io.stderr(
            `  ${values.mount ?? ""}/*  other scripts in ${target.legacyDir}, run as CGI\n`,
          );
        }
      },
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ERR_UNKNOWN_PROTOCOL") throw new UsageError((error as Error).message);
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

function serveHelp(): string {
  const lines = Object.entries(serveOptions).map(([name, o]) => {
    const flag = `  --${name}${o.type === "string" ? ` ${"argument" in o ? o.argument : "VALUE"}` : ""}`;
    const notes = [
      "choices" in o ? `one of: ${o.choices.join(", ")}` : "",
      "default" in o ? `default: ${o.default}` : "",
    ].filter(Boolean);
    return flag.padEnd(26) + o.description + (notes.length ? ` (${notes.join("; ")})` : "");
  });
  return `Usage: cgi2wsgi serve <module|dir> [options]\n\n${lines.join("\n")}\n`;
}

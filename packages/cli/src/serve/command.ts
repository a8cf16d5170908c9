import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";
import { createHttpServer, runCgi } from "@cgi2wsgi/runtime";
import { loadServeTarget, ServeTargetError } from "./load-target.js";

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
    description: "HOST:PORT, :PORT, unix:/path or fd:N (default: 127.0.0.1:$PORT or 8000)",
  },
  workers: { type: "string", description: "prefork worker processes (default 1)" },
  "max-concurrency": {
    type: "string",
    description: "requests in flight per process; more wait in a queue",
  },
  "max-body": { type: "string", description: "largest request body in bytes (413 beyond)" },
  mount: { type: "string", description: "SCRIPT_NAME prefix the applications live under" },
  debug: { type: "boolean", description: "show tracebacks in 500 pages (never in production)" },
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
  const maxBody = numberOption(values["max-body"], "--max-body");
  let target;
  try {
    target = await loadServeTarget(positionals[0]!, io.stderr);
  } catch (error) {
    if (error instanceof ServeTargetError) throw new UsageError(error.message);
    throw error;
  }
  switch (values.protocol) {
    case "cgi":
      await runCgi(target.application, { maxBody, debug: values.debug });
      return 0;
    case "http":
      return serveHttp(
        target.application,
        values.listen,
        { maxBody, debug: values.debug, mount: values.mount },
        target.mounts,
        io,
      );
    default:
      throw new UsageError(
        `unknown protocol ${JSON.stringify(values.protocol)}; use http, fastcgi, scgi, ajp13 or cgi`,
      );
  }
}

async function serveHttp(
  app: Parameters<typeof createHttpServer>[0],
  listen: string | undefined,
  options: { maxBody?: number; debug?: boolean; mount?: string },
  mounts: Array<{ path: string; file: string }>,
  io: CommandIo,
): Promise<number> {
  const server = createHttpServer(app, { ...options, log: io.stderr });
  const address = parseListen(listen ?? `127.0.0.1:${process.env.PORT || 8000}`);
  server.listen(address);
  try {
    await once(server, "listening");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE" || code === "EACCES") {
      throw new UsageError(
        `cannot listen on ${listen ?? "the default address"} (${code}); choose another with --listen HOST:PORT or $PORT`,
      );
    }
    throw error;
  }
  const where = server.address();
  const url =
    typeof where === "string"
      ? `unix:${where}`
      : `http://${hostForUrl((where as AddressInfo).address)}:${(where as AddressInfo).port}`;
  io.stderr(
    `cgi2wsgi: serving ${mounts.length} application(s) over http on ${url} (pid ${process.pid})\n`,
  );
  for (const mount of mounts) io.stderr(`  ${(options.mount ?? "") + mount.path}  ${mount.file}\n`);
  const stop = () => {
    server.close();
    server.closeIdleConnections();
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  await once(server, "close");
  return 0;
}

function hostForUrl(host: string): string {
  return host.includes(":") ? `[${host}]` : host;
}

/**
 * Parses a listen address: `HOST:PORT`, `:PORT`, `unix:/path` or `fd:N`.
 *
 * @example
 * parseListen(":8080"); // { port: 8080, host: "0.0.0.0" }
 */
export function parseListen(
  value: string,
): { port: number; host: string } | { path: string } | { fd: number } {
  if (value.startsWith("unix:")) return { path: value.slice(5) };
  if (value.startsWith("fd:")) return { fd: Number(numberOption(value.slice(3), "fd:N")) };
  const colon = value.lastIndexOf(":");
  const port = numberOption(value.slice(colon + 1), "the port");
  if (colon < 0 || port === undefined) {
    throw new UsageError(`--listen ${value}: use HOST:PORT, :PORT, unix:/path or fd:N`);
  }
  const host = value.slice(0, colon).replace(/^\[|\]$/g, "") || "0.0.0.0";
  return { port, host };
}

function numberOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`${name} must be a whole number, got ${value}`);
  return Number(value);
}

function serveHelp(): string {
  const lines = Object.entries(serveOptions).map(
    ([name, o]) => `  --${name}${o.type === "string" ? " VALUE" : ""}`.padEnd(26) + o.description,
  );
  return `Usage: cgi2wsgi serve <module|dir> [options]\n\n${lines.join("\n")}\n`;
}

import { parseArgs } from "node:util";
import type { CommandIo } from "../serve/command.js";
import { UsageError } from "../serve/command.js";
import { writeLauncher } from "./write-launcher.js";

/** The options of `cgi2wsgi launcher`. */
export const launcherOptions = {
  node: { type: "string", description: "Node binary the launcher runs (default: this one)" },
  help: { type: "boolean", short: "h", description: "show this help" },
} as const;

/**
 * `cgi2wsgi launcher <module...>`: writes an executable `name.fcgi` beside each application
 * module, serving it under FastCGI when spawned with a listening socket and as CGI otherwise.
 *
 * @example
 * process.exitCode = await launcherCommand(["cgi-bin/form.mjs"], io);
 */
export async function launcherCommand(argv: string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: launcherOptions,
    allowPositionals: true,
  });
  if (values.help) {
    io.stdout(
      "Usage: cgi2wsgi launcher <module...> [--node PATH]\n\n" +
        "Writes name.fcgi beside each module: FastCGI when a web server spawns it with a\n" +
        "listening socket, CGI when run per request, HTTP on $PORT otherwise.\n",
    );
    return 0;
  }
  if (positionals.length === 0) {
    throw new UsageError("launcher takes the application modules: cgi2wsgi launcher <module...>");
  }
  let failed = 0;
  for (const module of positionals) {
    try {
      const out = await writeLauncher(module, { node: values.node });
      io.stdout(`wrote ${out}\n`);
    } catch (error) {
      failed++;
      io.stderr(
        `cgi2wsgi: cannot write a launcher for ${module}: ${(error as Error).message.split("\n")[0]}\n`,
      );
    }
  }
  return failed ? 1 : 0;
}

import type { CommandIo } from "../serve/command.js";
import { createColors } from "../shared/color.js";
import {
  formatHelp,
  parseCommandArgs,
  type CommandSpec,
  type OptionSpec,
} from "../shared/options.js";
import { writeLauncher } from "./write-launcher.js";

/** The `launcher` command's option table: parsing and `--help` both come from it. */
export const launcherSpec = {
  name: "launcher",
  positionals: "<module...>",
  minPositionals: 1,
  summary:
    "Writes an executable name.fcgi beside each application module: FastCGI when a web server\nspawns it with a listening socket on fd 0, CGI when run per request, HTTP on $PORT\notherwise. Exit 0: written, 1: a launcher could not be written, 2: usage error.",
  options: {
    node: {
      type: "string",
      argument: "PATH",
      description: "Node binary the launcher runs (default: this one)",
    },
    help: { type: "boolean", short: "h", description: "show this help" },
  },
  examples: [
    "cgi2wsgi launcher migrated/cgi-bin/form.mjs",
    "cgi2wsgi launcher out/*.cjs --node /usr/bin/node",
  ],
} as const satisfies CommandSpec<Record<string, OptionSpec>>;

/**
 * `cgi2wsgi launcher <module...>`: writes an executable `name.fcgi` beside each application
 * module, serving it under FastCGI when spawned with a listening socket and as CGI otherwise.
 *
 * @example
 * process.exitCode = await launcherCommand(["cgi-bin/form.mjs"], io);
 */
export async function launcherCommand(argv: string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(launcherSpec, argv);
  if (values.help) {
    io.stdout(formatHelp(launcherSpec, createColors(false)));
    return 0;
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

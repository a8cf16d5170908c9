import type { CommandIo } from "./serve/command.js";
import { isUsageError, UsageError } from "./shared/errors.js";
import { processIo } from "./shared/io.js";

const io: CommandIo = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
};

const USAGE = `Usage: cgi2wsgi <command> [options]

Commands:
  migrate <path...>    rewrite CGI scripts into application(environ, start_response) modules
  lint <path...>       report CGI usage (exit 1 on findings), for CI
  serve <module|dir>   serve applications over http, fastcgi, scgi, ajp13 or cgi
  verify <legacy> <migrated>
                       compare legacy CGI scripts with their migrated applications
  launcher <module>    write name.fcgi, serving the module as FastCGI or CGI as started

Run \`cgi2wsgi <command> --help\` for a command's options.
`;

// Each command is imported when it runs: migrate loads prettier and ts-morph, serve the
// runtime, and `lint` in CI should not pay for either at start-up.
/**
 * Runs the `cgi2wsgi` command line and resolves to its exit code.
 *
 * @example
 * process.exitCode = await main(["serve", "app.mjs", "--listen", ":8000"]);
 */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "--version":
      case "-v":
        io.stdout("0.1.0\n");
        return 0;
      case undefined:
      case "--help":
      case "-h":
      case "help":
        io.stdout(USAGE);
        return command === undefined ? 2 : 0;
      case "migrate":
        return await (await import("./migrate/command.js")).migrateCommand(rest, processIo());
      case "verify":
        return await (await import("./verify/command.js")).verifyCommand(rest, processIo());
      case "lint":
        return await (await import("./lint/command.js")).lintCommand(rest, processIo());
      case "serve":
        return await (await import("./serve/command.js")).serveCommand(rest, io);
      case "launcher":
        return await (await import("./launcher/command.js")).launcherCommand(rest, io);
      default:
        throw new UsageError(`unknown command ${JSON.stringify(command)}; run \`cgi2wsgi --help\``);
    }
  } catch (error) {
    if (isUsageError(error)) {
      io.stderr(`cgi2wsgi: ${(error as Error).message}\n`);
      return 2;
    }
    io.stderr(`cgi2wsgi: internal error: ${(error as Error)?.stack ?? error}\n`);
    return 2;
  }
}

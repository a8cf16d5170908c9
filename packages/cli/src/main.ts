/**
 * Runs the `cgi2wsgi` command line and resolves to its exit code.
 *
 * @example
 * process.exitCode = await main(["--version"]);
 */
export async function main(argv: string[]): Promise<number> {
  if (argv[0] === "--version") {
    process.stdout.write("0.1.0\n");
    return 0;
  }
  process.stderr.write("usage: cgi2wsgi <migrate|lint|serve|verify> ...\n");
  return 2;
}

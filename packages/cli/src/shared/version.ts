import { readFileSync } from "node:fs";

/**
 * The CLI's version, from its package.json, for `--version` and report metadata.
 *
 * @example
 * io.stdout(`${cliVersion()}\n`);
 */
export function cliVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
  return (pkg as { version: string }).version;
}

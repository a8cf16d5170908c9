import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { format, resolveConfig } from "prettier";
import { launcherSpec } from "../src/launcher/command.js";
import { lintSpec } from "../src/lint/command.js";
import { migrateSpec } from "../src/migrate/spec.js";
import { serveSpec } from "../src/serve/command.js";
import {
  optionFlag,
  optionText,
  type CommandSpec,
  type OptionSpec,
} from "../src/shared/options.js";
import { verifySpec } from "../src/verify/command.js";

/** docs/cli.md, whose option sections this script writes. */
export const CLI_DOCS = fileURLToPath(new URL("../../../docs/cli.md", import.meta.url));

type AnySpec = CommandSpec<Record<string, OptionSpec>>;

/** Every command, in the order the docs present them. */
export const COMMANDS: readonly AnySpec[] = [
  migrateSpec,
  lintSpec,
  serveSpec,
  verifySpec,
  launcherSpec,
];

const SECTION =
  /<!-- BEGIN generated: cgi2wsgi ([\w-]+) --help[^>]*-->[\s\S]*?<!-- END generated: \1 -->/g;

/**
 * The markdown for one command, from the same table its parser and `--help` use: usage,
 * summary, every option with its choices and default, and the examples.
 *
 * @example
 * commandSection(lintSpec); // "`cgi2wsgi lint <path...> [options]`\n\nReports CGI usage ..."
 */
export function commandSection(spec: AnySpec): string {
  const rows = Object.entries(spec.options).map(
    ([name, option]) =>
      `| ${cell(`\`${optionFlag(name, option).trim()}\``)} | ${cell(optionText(option))} |`,
  );
  return [
    `\`cgi2wsgi ${spec.name} ${spec.positionals} [options]\``,
    "",
    spec.summary.replace(/\n/g, " "),
    "",
    "| option | what it does |",
    "| --- | --- |",
    ...rows,
    "",
    "```sh",
    ...spec.examples,
    "```",
  ].join("\n");
}

// Table cells (GFM): a `|` ends the cell even inside a code span (the table splits a row
// before it reads code spans, and turns `\|` back into `|`), so it is escaped everywhere; a
// line break ends the row; outside code spans `<word>` reads as HTML, `*` as emphasis, `\` as
// an escape, and a backtick left without its pair would open a code span across the cell.
function cell(text: string): string {
  return text
    .replace(/\s*\n\s*/g, " ")
    .split(/(`[^`]*`)/)
    .map((part, index) =>
      index % 2 ? part.replace(/\|/g, "\\|") : part.replace(/([|<*\\`])/g, "\\$1"),
    )
    .join("");
}

/**
 * docs/cli.md's text with every generated section rewritten from the option tables, formatted
 * as prettier formats the rest of the repository. A command without its section is an error,
 * so a new command cannot go undocumented.
 *
 * @example
 * writeFileSync(CLI_DOCS, await renderCliDocs(readFileSync(CLI_DOCS, "utf8")));
 */
export async function renderCliDocs(text: string): Promise<string> {
  const byName = new Map(COMMANDS.map((spec) => [spec.name, spec]));
  const seen = new Set<string>();
  const rendered = text.replace(SECTION, (whole, name: string) => {
    const spec = byName.get(name);
    if (!spec) throw new Error(`docs/cli.md has a generated section for unknown command ${name}`);
    seen.add(name);
    const begin = whole.slice(0, whole.indexOf("-->") + 3);
    return `${begin}\n\n${commandSection(spec)}\n\n<!-- END generated: ${name} -->`;
  });
  const missing = COMMANDS.filter((spec) => !seen.has(spec.name)).map((spec) => spec.name);
  if (missing.length > 0) {
    throw new Error(
      `docs/cli.md lacks a section for ${missing.join(", ")}: add\n<!-- BEGIN generated: cgi2wsgi NAME --help (pnpm docs:cli) -->\n<!-- END generated: NAME -->\nwhere it belongs and run pnpm docs:cli`,
    );
  }
  const config = await resolveConfig(CLI_DOCS);
  return format(rendered, { ...config, filepath: CLI_DOCS });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const before = readFileSync(CLI_DOCS, "utf8");
  const after = await renderCliDocs(before);
  writeFileSync(CLI_DOCS, after);
  process.stdout.write(`${after === before ? "unchanged" : "updated"} ${CLI_DOCS}\n`);
}

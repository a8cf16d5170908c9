import type { Options, Plugin, Printer } from "prettier";

type Format = (code: string, options: Options) => Promise<string>;

/** Thrown inside prettier when a file needs a plugin for an embedded language. */
class EmbeddedLanguage extends Error {
  readonly code = "ERR_MIGRATE_EMBEDDED_LANGUAGE";

  constructor() {
    super("this file embeds another language: format it with prettier's main entry");
  }
}

/** Imports a module on first use and keeps it. */
function once<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | undefined;
  return () => (loaded ??= load());
}

// The estree printer with one change: where prettier would format a template literal as
// CSS, GraphQL, HTML or Markdown, it stops, since the standalone build here lacks those
// plugins and would leave the template as it is. Which templates qualify is the printer's
// own decision (its `embed` says so before any plugin is looked up).
function guardEmbeds(estree: Plugin): Plugin {
  const printer = estree.printers!["estree"]!;
  const embed = printer.embed!;
  const guarded: NonNullable<Printer["embed"]> = (path, options) => {
    if (embed(path, options)) throw new EmbeddedLanguage();
    return null;
  };
  // Properties of `embed` (getVisitorKeys, when a printer has it) steer prettier's walk.
  Object.assign(guarded, embed);
  return { ...estree, printers: { estree: { ...printer, embed: guarded } } };
}

const loadStandalone = once(() => import("prettier/standalone").then((m) => m.format as Format));
const loadEstree = once(() =>
  import("prettier/plugins/estree").then((m) => guardEmbeds(m as Plugin)),
);
const loadParser: Record<string, () => Promise<Plugin>> = {
  meriyah: once(() => import("prettier/plugins/meriyah") as Promise<Plugin>),
  babel: once(() => import("prettier/plugins/babel") as Promise<Plugin>),
  typescript: once(() => import("prettier/plugins/typescript") as Promise<Plugin>),
};
const loadFull = once(() => import("prettier").then((m) => m.format));

/**
 * Formats migrate's output with prettier over the project's options; the result is what
 * prettier's main entry gives with its `babel` parser for JavaScript and `typescript` for
 * TypeScript, as migrate formatted before.
 *
 * Most files take prettier's standalone build with only the estree printer and one parser,
 * loaded once: the main entry is that build plus every built-in plugin, and each call there
 * validates the options of all of them. JavaScript is parsed with meriyah, which takes
 * about half the time of prettier's babel on a cold process: the estree printer prints
 * the same code from either tree (prettier holds its parsers to identical output), and what
 * meriyah refuses goes to babel. A file that embeds another language in a template
 * literal, and a project config that names plugins, need other plugins and go to the main
 * entry. A file without a backtick has no template literal, so it is formatted with
 * `embeddedLanguageFormatting: "off"` (which in JavaScript switches nothing else), sparing
 * prettier a walk over the whole tree looking for embeds.
 *
 * @example
 * await formatOutput("const a=1", { typescript: false }); // "const a = 1;\n"
 */
export async function formatOutput(
  code: string,
  options: { typescript: boolean; prettierConfig?: Options },
): Promise<string> {
  const config = options.prettierConfig;
  if ((config?.plugins?.length ?? 0) === 0) {
    const embeds = code.includes("`") ? {} : { embeddedLanguageFormatting: "off" as const };
    const parsers = options.typescript ? ["typescript"] : ["meriyah", "babel"];
    for (const [i, parser] of parsers.entries()) {
      const [format, estree, plugin] = await Promise.all([
        loadStandalone(),
        loadEstree(),
        loadParser[parser]!(),
      ]);
      try {
        return await format(code, { ...config, ...embeds, parser, plugins: [estree, plugin] });
      } catch (error) {
        if (error instanceof EmbeddedLanguage) break;
        if (i === parsers.length - 1) throw error;
      }
    }
  }
  return (await loadFull())(code, {
    ...config,
    parser: options.typescript ? "typescript" : "babel",
  });
}

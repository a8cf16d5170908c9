import type { Options, Plugin, Printer } from "prettier";

type Format = (code: string, options: Options) => Promise<string>;

/** Thrown inside prettier when a file needs a plugin for an embedded language. */
class EmbeddedLanguage extends Error {
  readonly code = "ERR_MIGRATE_EMBEDDED_LANGUAGE";

  constructor() {
    super("this file embeds another language: format it with prettier's main entry");
  }
}

interface Standalone {
  format: Format;
  javascript: Plugin[];
}

let standalone: Promise<Standalone> | undefined;
let typescript: Promise<Plugin> | undefined;
let full: Promise<Format> | undefined;

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

const loadStandalone = () =>
  (standalone ??= Promise.all([
    import("prettier/standalone"),
    import("prettier/plugins/estree"),
    import("prettier/plugins/babel"),
  ]).then(([{ format }, estree, babel]) => ({
    format,
    javascript: [guardEmbeds(estree as Plugin), babel as Plugin],
  })));
const loadTypeScript = () =>
  (typescript ??= import("prettier/plugins/typescript").then((m) => m as Plugin));
const loadFull = () => (full ??= import("prettier").then((m) => m.format));

/**
 * Formats migrate's output with prettier: `babel` for JavaScript, `typescript` for
 * TypeScript, over the project's options; the result is what prettier's main entry gives.
 *
 * Most files take prettier's standalone build with only the estree printer and the parser
 * they need, loaded once: the main entry is that build plus every built-in plugin, and
 * each call there validates the options of all of them. A file that embeds another
 * language in a template literal, and a project config that names plugins, need those
 * plugins and go to the main entry. A file without a backtick has no template literal, so
 * it is formatted with `embeddedLanguageFormatting: "off"` (which in JavaScript switches
 * nothing else), sparing prettier a walk over the whole tree looking for embeds.
 *
 * @example
 * await formatOutput("const a=1", { typescript: false }); // "const a = 1;\n"
 */
export async function formatOutput(
  code: string,
  options: { typescript: boolean; prettierConfig?: Options },
): Promise<string> {
  const config = options.prettierConfig;
  const parser = options.typescript ? "typescript" : "babel";
  if ((config?.plugins?.length ?? 0) === 0) {
    const { format, javascript } = await loadStandalone();
    const plugins = options.typescript ? [javascript[0]!, await loadTypeScript()] : javascript;
    const embeds = code.includes("`") ? {} : { embeddedLanguageFormatting: "off" as const };
    try {
      return await format(code, { ...config, ...embeds, parser, plugins });
    } catch (error) {
      if (!(error instanceof EmbeddedLanguage)) throw error;
    }
  }
  return (await loadFull())(code, { ...config, parser });
}

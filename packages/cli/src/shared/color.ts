/** ANSI styles, or identity functions when colour is off. */
export interface Colors {
  enabled: boolean;
  bold: (text: string) => string;
  dim: (text: string) => string;
  red: (text: string) => string;
  yellow: (text: string) => string;
  green: (text: string) => string;
  cyan: (text: string) => string;
  underline: (text: string) => string;
}

/**
 * Decides whether to colour a stream, in the order users expect: `--color` / `--no-color`
 * first, then FORCE_COLOR (`0` or `false` turns it off, anything else on), then NO_COLOR
 * (any non-empty value turns it off, per no-color.org), then whether the stream is a TTY
 * (and TERM is not `dumb`).
 *
 * @example
 * const c = createColors(shouldColor({ isTTY: true, env: process.env }));
 * console.log(c.red("error"));
 */
export function shouldColor(options: {
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
  flag?: boolean;
}): boolean {
  if (options.flag !== undefined) return options.flag;
  const force = options.env.FORCE_COLOR;
  if (force !== undefined) return force !== "0" && force !== "false";
  if (options.env.NO_COLOR) return false;
  return options.isTTY && options.env.TERM !== "dumb";
}

/**
 * ANSI colour functions; all of them return their input unchanged when `enabled` is false.
 *
 * @example
 * createColors(false).bold("x"); // "x"
 */
export function createColors(enabled: boolean): Colors {
  const style = (open: number, close: number) => (text: string) =>
    enabled ? `\u001b[${open}m${text}\u001b[${close}m` : text;
  return {
    enabled,
    bold: style(1, 22),
    dim: style(2, 22),
    red: style(31, 39),
    yellow: style(33, 39),
    green: style(32, 39),
    cyan: style(36, 39),
    underline: style(4, 24),
  };
}

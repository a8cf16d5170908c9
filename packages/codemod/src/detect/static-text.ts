import { type AstNode, child, children, identifierName } from "./ast.js";
import { DYNAMIC } from "./header-block.js";

/**
 * Finds the initializer of a variable by name, so `var out = "Status: " + s; write(out)`
 * reads as the text it holds. Resolution goes one level deep.
 */
export type Resolve = (name: string) => AstNode | undefined;
const none: Resolve = () => undefined;

/**
 * Approximates the text an expression evaluates to: literals as they are, template
 * placeholders and anything computed as {@link DYNAMIC}, `+` concatenations joined.
 *
 * @example
 * approximateText(parseExpr('"Status: " + code')); // "Status: \u0000"
 */
export function approximateText(node: AstNode | undefined, resolve: Resolve = none): string {
  if (!node) return DYNAMIC;
  switch (node.type) {
    case "Identifier": {
      const init = resolve(node.name as string);
      return init ? approximateText(init, none) : DYNAMIC;
    }
    case "StringLiteral":
      return node.value as string;
    case "NumericLiteral":
      return String(node.value);
    case "TemplateLiteral": {
      const quasis = children(node, "quasis").map(
        (quasi) => (quasi.value as { cooked?: string }).cooked ?? DYNAMIC,
      );
      return quasis.join(DYNAMIC);
    }
    case "BinaryExpression":
      if (node.operator !== "+") return DYNAMIC;
      return (
        approximateText(child(node, "left"), resolve) +
        approximateText(child(node, "right"), resolve)
      );
    case "ParenthesizedExpression":
    case "TSAsExpression":
      return approximateText(child(node, "expression"), resolve);
    default:
      return DYNAMIC;
  }
}

/**
 * Approximates what `console.log(...args)` prints, with util.format's placeholders and the
 * trailing newline.
 *
 * @example
 * consoleLogText([parseExpr('"X-Count: %d"'), parseExpr("n")]); // "X-Count: \u0000\n"
 */
export function consoleLogText(args: AstNode[], resolve: Resolve = none): string {
  if (args.length === 0) return "\n";
  const [first, ...rest] = args;
  if (first!.type === "SpreadElement") return DYNAMIC + "\n";
  let text = approximateText(first, resolve);
  let used = 0;
  if (first!.type === "StringLiteral" || first!.type === "TemplateLiteral") {
    text = text.replace(/%[sdifjoOc%]/g, (spec) => {
      if (spec === "%%") return "%";
      used++;
      return spec === "%c" ? "" : DYNAMIC;
    });
  }
  for (const extra of rest.slice(used)) text += " " + approximateText(extra, resolve);
  return text + "\n";
}

/**
 * Approximates what `stream.write(chunk)` writes: the chunk's text, or {@link DYNAMIC} for a
 * Buffer or anything computed.
 *
 * @example
 * writeText([parseExpr('"Status: 404\\r\\n"')]); // "Status: 404\r\n"
 */
export function writeText(args: AstNode[], resolve: Resolve = none): string {
  const first = args[0];
  if (!first || identifierName(first) === "undefined") return "";
  return approximateText(first, resolve);
}

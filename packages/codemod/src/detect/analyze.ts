import {
  type AstNode,
  child,
  children,
  FUNCTION_TYPES,
  identifierName,
  isMember,
  isProcessMember,
  propertyName,
  stringValue,
  walk,
} from "./ast.js";
import { headerBlockVerdict, opensHeaderBlock } from "./header-block.js";
import { metaStrength } from "./meta-variables.js";
import type { RuleId } from "./rules.js";
import { consoleLogText, writeText } from "./static-text.js";

/** A finding before positions, suppressions and the CGI-usage gate are applied. */
export interface RawFinding {
  rule: RuleId;
  node: AstNode;
  message: string;
  /** `strong` findings prove CGI usage; `gated` ones count only in a file that has one. */
  weight: "strong" | "gated" | "always";
}

const STATEMENT_LISTS: Record<string, string> = {
  Program: "body",
  BlockStatement: "body",
  StaticBlock: "body",
  SwitchCase: "consequent",
};
const PROCESS_MODULES = new Set(["process", "node:process"]);
const STDIN_PATHS = new Set(["/dev/stdin", "/dev/fd/0"]);
const START_RESPONSE = /^start_?response$/i;
const ENVIRON = /^(environ|env)$/;

/**
 * Walks a program once and collects every sign of CGI usage. Aliases (`const env =
 * process.env`, `const { stdout } = process`, `import { env } from "node:process"`) are
 * learnt as the walk meets them, so they apply to the code after their declaration, which is
 * where legacy scripts use them.
 *
 * @example
 * const raw = analyzeProgram(parseSource(code, "form.cgi.js").program);
 */
export function analyzeProgram(program: AstNode): RawFinding[] {
  const findings: RawFinding[] = [];
  const envAliases = new Set<string>();
  const stdoutAliases = new Set<string>();
  const exitAliases = new Set<string>();
  const bindings = new WeakSet<AstNode>();
  const initializers = new Map<string, AstNode>();
  const statementLists: AstNode[][] = [];
  const resolve = (name: string) => initializers.get(name);
  // Migrated code runs the old body in a callback that receives its own `console` (the
  // runtime's cgiProcess helper): where the name is rebound, console output is not stdout.
  let consoleRebound = false;
  const add = (rule: RuleId, node: AstNode, message: string, weight: RawFinding["weight"]) =>
    findings.push({ rule, node, message, weight });

  const isEnv = (node: AstNode | undefined): boolean =>
    isProcessMember(node, "env") || envAliases.has(identifierName(node) ?? "\0");

  const envName = (name: string, node: AstNode) => {
    const strength = metaStrength(name);
    if (strength === "none") return;
    add(
      "cgi-env-read",
      node,
      `reads the CGI meta-variable ${name} from process.env`,
      strength === "strong" ? "strong" : "gated",
    );
  };

  const destructureEnv = (pattern: AstNode) => {
    for (const property of children(pattern, "properties")) {
      if (property.type === "RestElement") {
        add("cgi-env-read", property, "copies process.env with a rest pattern", "gated");
        continue;
      }
      const key = child(property, "key");
      const name = property.computed ? stringValue(key) : (identifierName(key) ?? stringValue(key));
      if (name !== undefined) envName(name, property);
      markBindings(child(property, "value"));
    }
  };

  const markBindings = (node: AstNode | undefined) => {
    if (!node) return;
    walk(node, (inner) => {
      if (inner.type === "Identifier") bindings.add(inner);
    });
  };

  const learnFromProcess = (pattern: AstNode) => {
    for (const property of children(pattern, "properties")) {
      const key = identifierName(child(property, "key")) ?? stringValue(child(property, "key"));
      let value = child(property, "value");
      if (value?.type === "AssignmentPattern") value = child(value, "left");
      const local = identifierName(value);
      if (key === "env" && value?.type === "ObjectPattern") destructureEnv(value);
      else if (key === "env" && local) envAliases.add(local);
      else if (key === "stdout" && local) stdoutAliases.add(local);
      else if (key === "exit" && local) exitAliases.add(local);
      else if (key === "stdin") add("cgi-stdin-body", property, "takes process.stdin", "gated");
      markBindings(value);
    }
  };

  const outputText = (statement: AstNode): string | undefined => {
    if (statement.type !== "ExpressionStatement") return undefined;
    const call = child(statement, "expression");
    if (call?.type !== "CallExpression") return undefined;
    const callee = child(call, "callee");
    if (!isMember(callee)) return undefined;
    const object = child(callee, "object");
    const method = propertyName(callee);
    const args = children(call, "arguments");
    if (
      !consoleRebound &&
      identifierName(object) === "console" &&
      /^(log|info|debug)$/.test(method ?? "")
    ) {
      return consoleLogText(args, resolve);
    }
    const isStdout =
      isProcessMember(object, "stdout") || stdoutAliases.has(identifierName(object) ?? "\0");
    return isStdout && method === "write" ? writeText(args, resolve) : undefined;
  };

  const scanHeaderBlocks = (statements: AstNode[]) => {
    const outputs: Array<{ node: AstNode; text: string }> = [];
    for (const statement of statements) {
      const text = outputText(statement);
      if (text !== undefined) outputs.push({ node: statement, text });
    }
    for (let start = 0; start < outputs.length; start++) {
      if (!opensHeaderBlock(outputs[start]!.text)) continue;
      let text = "";
      // Header blocks are short; the bound keeps a long run of log lines linear.
      for (let end = start; end < outputs.length && end < start + 40; end++) {
        text += outputs[end]!.text;
        const verdict = headerBlockVerdict(text);
        if (verdict.kind === "none") break;
        if (verdict.kind === "block") {
          const names = [...new Set(verdict.headers)].join(", ");
          add(
            "cgi-header-block",
            outputs[start]!.node,
            `prints a CGI header block (${names}) to stdout`,
            "strong",
          );
          start = end;
          break;
        }
      }
    }
  };

  walk(program, (node, parent, key) => {
    const list = STATEMENT_LISTS[node.type];
    // Scanned after the walk, once every alias and initializer is known.
    if (list) statementLists.push(children(node, list));
    if (FUNCTION_TYPES.has(node.type)) {
      checkSignature(node, add);
      consoleRebound ||= children(node, "params").some(declaresConsole);
    }
    if (node.type === "VariableDeclarator") consoleRebound ||= declaresConsole(child(node, "id")!);
    switch (node.type) {
      case "ImportDeclaration": {
        if (!PROCESS_MODULES.has(stringValue(child(node, "source")) ?? "")) break;
        for (const specifier of children(node, "specifiers")) {
          const imported = child(specifier, "imported");
          const name = identifierName(imported) ?? stringValue(imported);
          const local = identifierName(child(specifier, "local"));
          bindings.add(child(specifier, "local")!);
          if (name === "env" && local) envAliases.add(local);
          if (name === "stdout" && local) stdoutAliases.add(local);
          if (name === "exit" && local) exitAliases.add(local);
          if (name === "stdin") add("cgi-stdin-body", specifier, "imports process.stdin", "gated");
        }
        break;
      }
      case "VariableDeclarator": {
        const id = child(node, "id");
        const init = child(node, "init");
        if (id?.type === "Identifier") {
          bindings.add(id);
          if (init) initializers.set(id.name as string, init);
          if (isEnv(init)) envAliases.add(id.name as string);
          if (isProcessMember(init, "stdout")) stdoutAliases.add(id.name as string);
        } else if (id?.type === "ObjectPattern") {
          if (identifierName(init) === "process") learnFromProcess(id);
          else if (isEnv(init)) destructureEnv(id);
        }
        break;
      }
      case "AssignmentExpression": {
        const left = child(node, "left");
        if (left?.type === "ObjectPattern" && isEnv(child(node, "right"))) destructureEnv(left);
        break;
      }
      case "BinaryExpression": {
        const name = stringValue(child(node, "left"));
        if (node.operator === "in" && name !== undefined && isEnv(child(node, "right"))) {
          envName(name, node);
        }
        break;
      }
      case "MemberExpression":
      case "OptionalMemberExpression": {
        if (isEnv(child(node, "object"))) {
          const name = propertyName(node);
          const written = parent?.type === "AssignmentExpression" && key === "left";
          if (name === undefined) {
            add("cgi-env-read", node, "reads process.env with a computed name", "gated");
          } else if (!written) {
            envName(name, node);
          }
        }
        if (isProcessMember(node, "stdin")) {
          const readsTty = isMember(parent) && key === "object" && propertyName(parent) === "isTTY";
          if (!readsTty)
            add("cgi-stdin-body", node, "reads the request body from process.stdin", "gated");
        }
        break;
      }
      case "CallExpression":
      case "OptionalCallExpression":
        checkCall(node, add, exitAliases);
        break;
    }
    if (isWholeEnvUse(node, parent, key, isEnv) && !bindings.has(node)) {
      add("cgi-env-read", node, "uses the whole process.env (keys, copies or spreads)", "gated");
    }
  });
  for (const statements of statementLists) scanHeaderBlocks(statements);
  return findings;
}

function declaresConsole(pattern: AstNode): boolean {
  let found = false;
  walk(pattern, (inner, parent, key) => {
    const isKey = parent?.type === "ObjectProperty" && key === "key" && !parent.shorthand;
    if (identifierName(inner) === "console" && !isKey) found = true;
  });
  return found;
}

type Add = (rule: RuleId, node: AstNode, message: string, weight: RawFinding["weight"]) => void;

function checkCall(node: AstNode, add: Add, exitAliases: Set<string>): void {
  const callee = child(node, "callee");
  if (isProcessMember(callee, "exit") || exitAliases.has(identifierName(callee) ?? "\0")) {
    add(
      "cgi-process-exit",
      node,
      "calls process.exit, which would stop a long-lived gateway",
      "gated",
    );
    return;
  }
  const name = identifierName(callee) ?? (isMember(callee) ? propertyName(callee!) : undefined);
  if (name !== "readFileSync" && name !== "readSync") return;
  const source = children(node, "arguments")[0];
  const fromStdin =
    (source?.type === "NumericLiteral" && source.value === 0) ||
    STDIN_PATHS.has(stringValue(source) ?? "") ||
    (isMember(source) &&
      propertyName(source!) === "fd" &&
      isProcessMember(child(source!, "object"), "stdin"));
  if (fromStdin)
    add("cgi-stdin-body", node, `reads the request body with ${name} on standard input`, "gated");
}

function checkSignature(node: AstNode, add: Add): void {
  const [first, second] = children(node, "params").map((param) =>
    identifierName(param.type === "AssignmentPattern" ? child(param, "left") : param),
  );
  if (first && second && START_RESPONSE.test(first) && ENVIRON.test(second)) {
    add(
      "swapped-application-signature",
      node,
      `declares (${first}, ${second}): an application takes (environ, start_response)`,
      "always",
    );
  }
}

// process.env (or an alias) used as a whole value: Object.keys(env), { ...process.env },
// spawn(cmd, { env: process.env }). Member reads, alias declarations and `in` tests are
// handled where they occur.
function isWholeEnvUse(
  node: AstNode,
  parent: AstNode | null,
  key: string,
  isEnv: (node: AstNode | undefined) => boolean,
): boolean {
  if (node.type !== "Identifier" && !isMember(node)) return false;
  if (!isEnv(node) || !parent) return false;
  if (isMember(parent) && key === "object") return false;
  if (isMember(parent) && key === "property") return Boolean(parent.computed);
  if (parent.type === "VariableDeclarator") return false;
  if (parent.type === "AssignmentExpression" && key === "right") {
    return child(parent, "left")?.type !== "ObjectPattern";
  }
  if (parent.type === "BinaryExpression" && parent.operator === "in" && key === "right")
    return false;
  if ((parent.type === "ObjectProperty" || parent.type === "ClassProperty") && key === "key") {
    return Boolean(parent.computed);
  }
  return !/^(Import|Export)\w*Specifier$/.test(parent.type);
}

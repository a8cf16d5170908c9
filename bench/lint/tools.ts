/**
 * The reference tools, installed with npm into bench/.work/lint-tools at bench time (never
 * project dependencies), and their configurations flagging the usage cgi2wsgi lint flags.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const PACKAGES = { eslint: "^10.0.0", "eslint-plugin-n": "^18.0.0", "@ast-grep/cli": "^0.51.0" };

// n/no-process-env for env reads; no-restricted-properties for stdin and exit;
// no-restricted-syntax for printed header lines and the swapped signature.
const ESLINT_CONFIG = `import n from "eslint-plugin-n";
const header = "/^(Content-Type|Status|Location|HTTP\\\\/1\\\\.[01]) ?:?/i";
export default [
  {
    files: ["**/*.js", "**/*.cjs", "**/*.mjs"],
    plugins: { n },
    languageOptions: { ecmaVersion: "latest" },
    rules: {
      "n/no-process-env": "error",
      "no-restricted-properties": [
        "error",
        { object: "process", property: "stdin", message: "CGI request body" },
        { object: "process", property: "exit", message: "process.exit in a CGI script" },
      ],
      "no-restricted-syntax": [
        "error",
        { selector: \`CallExpression[callee.property.name=/^(log|write)$/] > Literal[value=\${header}]\`, message: "CGI header block" },
        { selector: \`CallExpression[callee.property.name=/^(log|write)$/] > TemplateLiteral > TemplateElement[value.raw=\${header}]\`, message: "CGI header block" },
        { selector: "FunctionDeclaration[params.0.name=/^start_?response$/i][params.1.name='environ']", message: "swapped signature" },
      ],
    },
  },
  { files: ["**/*.js", "**/*.cjs"], languageOptions: { sourceType: "commonjs" } },
];
`;

const AST_GREP_RULES: Record<string, string> = {
  "cgi-env-read.yml": `id: cgi-env-read
language: JavaScript
severity: error
message: reads a CGI meta-variable from process.env
rule:
  any:
    - pattern: process.env.$NAME
    - pattern: const { $$$ } = process.env
constraints:
  NAME:
    regex: "^(QUERY_STRING|REQUEST_METHOD|CONTENT_TYPE|CONTENT_LENGTH|PATH_INFO|SCRIPT_NAME|SERVER_NAME|SERVER_PORT|SERVER_PROTOCOL|REMOTE_ADDR|REMOTE_HOST|HTTP_[A-Z0-9_]+)$"
`,
  "cgi-stdin-body.yml": `id: cgi-stdin-body
language: JavaScript
severity: error
message: reads the request body from stdin
rule:
  any:
    - pattern: process.stdin
    - pattern: $FS.readFileSync(0, $$$)
`,
  "cgi-header-block.yml": `id: cgi-header-block
language: JavaScript
severity: error
message: prints a CGI header block
rule:
  any:
    - pattern: console.log($S)
    - pattern: process.stdout.write($S)
constraints:
  S:
    regex: "^[\\"'\`](Content-Type|Status|Location):"
`,
  "cgi-process-exit.yml": `id: cgi-process-exit
language: JavaScript
severity: error
message: process.exit in a CGI script
rule:
  pattern: process.exit($$$)
`,
};

/** Paths of the installed tools. */
export interface Tools {
  dir: string;
  eslint: string;
  eslintConfig: string;
  astGrep: string;
  astGrepConfig: string;
}

/**
 * Installs the tools once (npm), writes their configurations, and returns their paths.
 *
 * @example
 * const tools = installTools("bench/.work/lint-tools");
 */
export function installTools(dir: string): Tools {
  mkdirSync(join(dir, "rules"), { recursive: true });
  if (!existsSync(join(dir, "node_modules", "eslint"))) {
    writeFileSync(
      join(dir, "package.json"),
      JSON.stringify({ name: "lint-bench-tools", private: true, dependencies: PACKAGES }, null, 2),
    );
    execFileSync("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], {
      cwd: dir,
      stdio: "inherit",
    });
  }
  writeFileSync(join(dir, "eslint.config.mjs"), ESLINT_CONFIG);
  for (const [name, text] of Object.entries(AST_GREP_RULES)) {
    writeFileSync(join(dir, "rules", name), text);
  }
  writeFileSync(join(dir, "sgconfig.yml"), "ruleDirs:\n  - rules\n");
  return {
    dir,
    eslint: join(dir, "node_modules", "eslint", "bin", "eslint.js"),
    eslintConfig: join(dir, "eslint.config.mjs"),
    astGrep: join(dir, "node_modules", ".bin", "ast-grep"),
    astGrepConfig: join(dir, "sgconfig.yml"),
  };
}

import { createRequire, register } from "node:module";
import { fileURLToPath } from "node:url";

/** The package migrated code imports its helpers from. */
const RUNTIME = "@cgi2wsgi/runtime";

let runtimeRegistered = false;
let typescriptRegistered = false;

/**
 * Lets migrated modules load `@cgi2wsgi/runtime` even where their project does not have it
 * installed: an import or `require()` of it that Node cannot resolve from the module's own
 * folder gets this package's copy instead. `migrate` adds the runtime to the project's
 * `package.json`, but until `npm install` has run (or in an `--out-dir` with no
 * `node_modules`), `serve` and `verify` must still run what `migrate` wrote. A copy the
 * project does have always wins. Safe to call more than once.
 *
 * @example
 * provideRuntime();
 * const app = await loadApplication("migrated/form.cjs"); // require("@cgi2wsgi/runtime") works
 */
export function provideRuntime(): void {
  if (runtimeRegistered) return;
  runtimeRegistered = true;
  const target = import.meta.resolve(RUNTIME);
  // ES modules: a resolve hook, which runs on Node's loader thread and so is given as source.
  register(`data:text/javascript,${encodeURIComponent(RESOLVE_HOOK)}`, import.meta.url, {
    data: { specifier: RUNTIME, target },
  });
  // CommonJS require() does not go through those hooks on Node 20: the resolver itself is
  // wrapped, falling back only where Node found nothing.
  const Module = createRequire(import.meta.url)("node:module") as {
    _resolveFilename: (request: string, ...rest: unknown[]) => string;
  };
  const resolveFilename = Module._resolveFilename;
  const file = fileURLToPath(target);
  Module._resolveFilename = function (request: string, ...rest: unknown[]): string {
    try {
      return resolveFilename.call(this, request, ...rest);
    } catch (error) {
      if (request === RUNTIME && (error as NodeJS.ErrnoException).code === "MODULE_NOT_FOUND") {
        return file;
      }
      throw error;
    }
  };
}

const RESOLVE_HOOK = `
let specifier, target;
export function initialize(data) { ({ specifier, target } = data); }
export async function resolve(request, context, next) {
  try {
    return await next(request, context);
  } catch (error) {
    if (request === specifier && error?.code === "ERR_MODULE_NOT_FOUND") {
      return { url: target, shortCircuit: true };
    }
    throw error;
  }
}
`;

/**
 * Registers a TypeScript loader (tsx) for the rest of the process, for both `import` and
 * `require()`, so `.ts` applications run with plain `node` and no build step of the user's.
 * Safe to call more than once; the first call costs about the start-up of esbuild's service.
 *
 * @example
 * if (file.endsWith(".ts")) await loadTypeScript();
 */
export async function loadTypeScript(): Promise<void> {
  // Running from this repository's sources, the process already has tsx.
  if (typescriptRegistered || import.meta.url.endsWith(".ts")) return;
  typescriptRegistered = true;
  const [esm, cjs] = await Promise.all([import("tsx/esm/api"), import("tsx/cjs/api")]);
  esm.register();
  cjs.register();
}

/** File names that need {@link loadTypeScript} before Node can load them. */
export const TYPESCRIPT_FILE = /\.(?:c|m)?tsx?$/;

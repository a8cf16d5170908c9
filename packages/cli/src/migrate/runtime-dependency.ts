import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, parse, relative } from "node:path";

/** The package migrated code imports its helpers (and TypeScript types) from. */
export const RUNTIME_PACKAGE = "@cgi2wsgi/runtime";

const IMPORTS_RUNTIME =
  /(?:\bfrom\s*|\brequire\s*\(\s*|\bimport\s*\(\s*)["']@cgi2wsgi\/runtime["']/;

/** One package.json that migrate changed, or would change. */
export interface DependencyChange {
  /** Absolute path of the package.json. */
  path: string;
  /**
   * `created`: there was none, so migrate wrote a minimal one; `failed`: it is not valid
   * JSON, so the user adds the dependency by hand.
   */
  action: "added" | "created" | "failed";
  name: string;
  range: string;
}

/**
 * Whether code that migrate wrote loads the runtime (a helper, or its types).
 *
 * @example
 * needsRuntime(`const { cgiProcess } = require("@cgi2wsgi/runtime");`); // true
 */
export function needsRuntime(code: string): boolean {
  return IMPORTS_RUNTIME.test(code);
}

/**
 * Adds `@cgi2wsgi/runtime` to the `dependencies` of each package.json that governs a file
 * migrate writes with an import of it: the nearest one above the input file, as it lands in
 * `outDir` when writing there (the out dir mirrors the tree under `base`), and in place no
 * further up than the root of the git repository the input is in. Where there is
 * none, a minimal one is created at the root of `outDir` (in place: of the repository, or at
 * `base` outside one); it keeps
 * the `"type"` of a package.json above the input tree, so `.js` files stay the kind of
 * module they were. A package.json that already lists the runtime is left as it is, and its
 * formatting is kept otherwise. With `dryRun`, nothing is written. Call it after the files
 * are written, so an out dir already holds its copies.
 *
 * @example
 * addRuntimeDependency(["/app/cgi-bin/form.cjs"], { base: "/app/cgi-bin", outDir: "/app/out" });
 * // [{ path: "/app/out/package.json", action: "created", name: "@cgi2wsgi/runtime", range: "^0.1.0" }]
 */
export function addRuntimeDependency(
  inputs: string[],
  options: { base: string; outDir?: string; dryRun?: boolean },
): DependencyChange[] {
  const { base, outDir } = options;
  const range = `^${runtimeVersion()}`;
  // Where each governing package.json is written, and the file its text comes from.
  const governing = new Map<string, string | undefined>();
  // In place, the search stops at the repository the input is in: a tree checked out inside
  // another project (or a home directory with a package.json) is its own project.
  const git = outDir ? undefined : findUp(base, ".git");
  const stop = outDir ? base : git && dirname(git);
  for (const file of inputs) {
    const found = findUp(dirname(file), "package.json", stop);
    const target = outDir
      ? join(outDir, found ? relative(base, found) : "package.json")
      : (found ?? join(stop ?? base, "package.json"));
    governing.set(target, found);
  }
  const changes: DependencyChange[] = [];
  for (const [path, source] of [...governing].sort(([a], [b]) => a.localeCompare(b))) {
    if (source) {
      const text = readFileSync(source, "utf8");
      let manifest: { dependencies?: Record<string, string> };
      try {
        manifest = JSON.parse(text) as typeof manifest;
      } catch {
        changes.push({ path, action: "failed", name: RUNTIME_PACKAGE, range });
        continue;
      }
      if (manifest.dependencies?.[RUNTIME_PACKAGE]) continue;
      manifest.dependencies = sortKeys({ ...manifest.dependencies, [RUNTIME_PACKAGE]: range });
      if (!options.dryRun) writeFileSync(path, stringify(manifest, text));
      changes.push({ path, action: "added", name: RUNTIME_PACKAGE, range });
    } else {
      const type = outDir ? moduleType(findUp(base, "package.json")) : undefined;
      const manifest = {
        private: true,
        ...(type ? { type } : {}),
        dependencies: { [RUNTIME_PACKAGE]: range },
      };
      if (!options.dryRun) writeFileSync(path, JSON.stringify(manifest, null, 2) + "\n");
      changes.push({ path, action: "created", name: RUNTIME_PACKAGE, range });
    }
  }
  return changes;
}

function runtimeVersion(): string {
  const require = createRequire(import.meta.url);
  return (require(`${RUNTIME_PACKAGE}/package.json`) as { version: string }).version;
}

/** The path of the nearest `entry` (a file or folder name) at or above `dir`, not above `stop`. */
function findUp(dir: string, entry: string, stop?: string): string | undefined {
  for (let at = dir; ; at = dirname(at)) {
    const candidate = join(at, entry);
    if (existsSync(candidate)) return candidate;
    if (at === stop || at === parse(at).root) return undefined;
  }
}

/** The `"type"` a package.json gives its `.js` files, if it says. */
function moduleType(manifest: string | undefined): string | undefined {
  if (!manifest) return undefined;
  try {
    const { type } = JSON.parse(readFileSync(manifest, "utf8")) as { type?: unknown };
    return typeof type === "string" ? type : undefined;
  } catch {
    return undefined;
  }
}

function sortKeys(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}

/** JSON in the indentation and final newline the file already had. */
function stringify(value: unknown, original: string): string {
  const indent = /^[ \t]+(?=")/m.exec(original)?.[0] ?? "  ";
  const newline = original.endsWith("\n") ? "\n" : "";
  return JSON.stringify(value, null, indent) + newline;
}

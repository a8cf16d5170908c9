/**
 * Bundling for the benchmarks: each measures our code as a deployment runs it, built
 * JavaScript, not TypeScript compiled by tsx at every start.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build, type BuildOptions, type Plugin } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));

/**
 * Leaves every npm package to node_modules (by absolute path, since bundles live in
 * bench/.work), as a peer's packages load from theirs; workspace packages go into the bundle.
 */
export const installedPackages: Plugin = {
  name: "installed-packages",
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData || args.path.startsWith("@cgi2wsgi/") || args.path.startsWith("node:")) {
        return undefined;
      }
      const { resolveDir, kind, importer } = args;
      const found = await b.resolve(args.path, { resolveDir, kind, importer, pluginData: 1 });
      return found.errors.length > 0
        ? { errors: found.errors }
        : { path: found.path, external: true };
    });
  },
};

/**
 * esbuild for Node 20 from the workspace's TypeScript sources (`source` condition), ES module
 * output unless `options` says otherwise.
 */
export async function bundleForNode(options: BuildOptions): Promise<void> {
  await build({
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    conditions: ["cgi2wsgi-source"],
    logLevel: "error",
    ...options,
  });
}

/**
 * The `cgi2wsgi` command as a package would ship it, into a fresh `dir`: `cgi2wsgi.js`, the
 * commands and `workers` (entry name to source, beside the chunks) as chunks loaded on
 * demand. Returns the path of `cgi2wsgi.js`.
 */
export async function bundleCli(
  dir: string,
  workers: Record<string, string>,
  options: BuildOptions = {},
): Promise<string> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "package.json"), '{ "type": "module" }\n');
  const entryPoints: Record<string, string> = {
    cgi2wsgi: join(root, "packages/cli/bin/cgi2wsgi.js"),
  };
  for (const [name, source] of Object.entries(workers)) {
    entryPoints[`chunks/${name}`] = join(root, source);
  }
  await bundleForNode({
    entryPoints,
    outdir: dir,
    splitting: true,
    chunkNames: "chunks/[name]-[hash]",
    ...options,
  });
  return join(dir, "cgi2wsgi.js");
}

/**
 * Bundling for the benchmarks: each measures our code as a deployment runs it, built
 * JavaScript, not TypeScript compiled by tsx at every start.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build, type BuildOptions } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));

/**
 * esbuild for Node 20 from the workspace's TypeScript sources (`cgi2wsgi-source` condition), ES module
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

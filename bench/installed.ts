/**
 * The packages as a user gets them, for the benchmarks: the three tarballs packed as a release
 * packs them (each package's prepack builds its dist/), installed with npm into a fresh
 * project under bench/.work. Our side of a benchmark runs that project's `cgi2wsgi` with plain
 * node: no bundle of our own, no tsx.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

/** Where {@link installPackages} put things. */
export interface Installed {
  /** The project the tarballs were installed into. */
  dir: string;
  /** Its `node_modules/cgi2wsgi/bin/cgi2wsgi.js`, to run with `node`. */
  bin: string;
}

/**
 * Packs `@cgi2wsgi/runtime`, `@cgi2wsgi/codemod` and `cgi2wsgi` and installs the tarballs
 * with npm into `dir` (emptied first).
 *
 * @example
 * const { bin } = installPackages(join(work, "installed"));
 * spawnSync(process.execPath, [bin, "lint", "."]);
 */
export function installPackages(dir: string): Installed {
  rmSync(dir, { recursive: true, force: true });
  const packs = join(dir, "packs");
  mkdirSync(packs, { recursive: true });
  for (const name of ["runtime", "codemod", "cli"]) {
    execFileSync("pnpm", ["pack", "--pack-destination", packs], {
      cwd: join(root, "packages", name),
      stdio: "ignore",
    });
  }
  writeFileSync(join(dir, "package.json"), '{ "private": true }\n');
  const tarballs = readdirSync(packs).map((file) => join(packs, file));
  // pnpm, which runs the benches, hands its own settings to children as npm_config_*; the
  // user's npm would not have them (and warns about each).
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith("npm_config_")),
  );
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", ...tarballs], {
    cwd: dir,
    env,
    stdio: "inherit",
  });
  return { dir, bin: join(dir, "node_modules", "cgi2wsgi", "bin", "cgi2wsgi.js") };
}

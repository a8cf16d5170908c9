import { chmod } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { sharedNode } from "../support/shared-node.js";

/**
 * Writes the conformance application as an executable CGI program `app.cgi` in `dir`: one
 * bundled CommonJS file (quicker for Node to start than an ES module) with a shebang naming
 * this Node build where every user may run it (Apache's children are www-data), so front
 * servers that pass no PATH (fcgiwrap, mod_cgi) can run it and a CGI start loads no
 * TypeScript tooling.
 *
 * @example
 * const script = await writeConformanceCgi(tmpDir); // ".../app.cgi"
 */
export async function writeConformanceCgi(dir: string, name = "app.cgi"): Promise<string> {
  const outfile = join(dir, name);
  await build({
    entryPoints: [fileURLToPath(new URL("./cgi-entry.ts", import.meta.url))],
    outfile,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    banner: { js: `#!${sharedNode()}` },
    logLevel: "silent",
  });
  await chmod(outfile, 0o755);
  return outfile;
}

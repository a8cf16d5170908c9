// Run by each package's `prepack` (from the package's folder): builds it, then copies the
// repository's LICENSE and CHANGELOG.md in, so every tarball carries them and the repository
// keeps one copy of each.
import { execFileSync } from "node:child_process";
import { copyFileSync } from "node:fs";

execFileSync("pnpm", ["run", "build"], { stdio: "inherit" });
for (const file of ["LICENSE", "CHANGELOG.md"])
  copyFileSync(new URL(`../${file}`, import.meta.url), file);

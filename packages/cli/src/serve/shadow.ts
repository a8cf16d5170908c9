import { existsSync, openSync, statSync, writeSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { createShadow, legacyScript, type Application, type Shadow } from "@cgi2wsgi/runtime";
import { UsageError } from "../shared/errors.js";
import type { OptionValues, SHADOW_OPTIONS } from "../shared/options.js";

/** Shadowing as `serve` set it up: the wrap for each mount and the pairs it made. */
export interface ServeShadow {
  shadow: Shadow;
  /** Wraps a module mounted at `path` when a legacy script sits at the same path. */
  wrap: (application: Application, path: string, file: string) => Application;
  /** URL paths shadowed, with their legacy scripts. */
  pairs: Array<{ path: string; legacy: string }>;
  describe(): string;
}

/** What else shadowing takes from `serve`'s command line. */
export interface ShadowSettings {
  /** `--timeout` in milliseconds; it bounds the side run after the response too. */
  timeout?: number;
  cwd?: string;
}

// With --timeout 0 clients may wait as long as the application takes; nobody waits for a
// shadow, so it keeps a bound, lest hung runs take every comparison slot.
const SHADOW_TIMEOUT = 60_000;

/**
 * Reads the `--shadow*` options. A module served at `/<path>` is paired with the file
 * `<--legacy>/<path>` (when serving one module, `--legacy` may name its script); modules
 * with no such file are served alone. Legacy Node scripts run with this Node binary. The
 * side run after the response is given up, and its legacy script killed, at `--timeout` (60 s
 * when that is 0 or unset).
 *
 * @example
 * const shadowing = shadowFromOptions(values, io.stderr, { timeout: 30_000 });
 * await loadServeTarget("out", { wrap: shadowing?.wrap });
 */
export function shadowFromOptions(
  values: OptionValues<typeof SHADOW_OPTIONS>,
  logTo: (text: string) => void,
  settings: ShadowSettings = {},
): ServeShadow | undefined {
  const cwd = settings.cwd ?? process.cwd();
  if (!values.shadow) return undefined;
  if (values.legacy === undefined) {
    throw new UsageError(
      "--shadow needs --legacy DIR, the legacy scripts the modules were migrated from (as `cgi2wsgi migrate DIR --out-dir OUT` left them)",
    );
  }
  const legacy = resolve(cwd, values.legacy);
  if (!existsSync(legacy)) throw new UsageError(`--legacy ${values.legacy} does not exist`);
  const legacyIsDir = statSync(legacy).isDirectory();
  const rate = Number(values["shadow-rate"]);
  if (!/^(0|1|0?\.\d+|1\.0*)$/.test(values["shadow-rate"] ?? "") || !(rate >= 0 && rate <= 1)) {
    throw new UsageError(`--shadow-rate is a share from 0 to 1, got ${values["shadow-rate"]}`);
  }
  const serve = values["shadow-serve"];
  const concurrency = values["shadow-concurrency"];
  if (concurrency !== undefined && !/^[1-9]\d*$/.test(concurrency)) {
    throw new UsageError(`--shadow-concurrency must be a whole number above 0, got ${concurrency}`);
  }
  const fd = values["shadow-log"] ? openSync(resolve(cwd, values["shadow-log"]), "a") : undefined;
  const bound = settings.timeout || SHADOW_TIMEOUT;
  const shadow = createShadow({
    rate,
    serve,
    unsafe: values["shadow-unsafe"],
    maxConcurrent: concurrency === undefined ? undefined : Number(concurrency),
    timeout: bound,
    log: fd === undefined ? logTo : (line) => void writeSync(fd, line),
  });
  const pairs: ServeShadow["pairs"] = [];
  const interpreters = {
    ".js": [process.execPath],
    ".cjs": [process.execPath],
    ".mjs": [process.execPath],
  };
  return {
    shadow,
    pairs,
    wrap(application, path, file) {
      const script = legacyIsDir ? join(legacy, path === "/" ? basename(file) : path) : legacy;
      if (!existsSync(script) || !statSync(script).isFile()) return application;
      pairs.push({ path, legacy: script });
      // The legacy script is killed at the same bound, not left to the CGI host's 30 s.
      return shadow.pair(legacyScript(script, { interpreters, timeout: bound }), application);
    },
    describe() {
      const share = rate === 1 ? "every request" : `${rate * 100}% of requests`;
      return `  shadowing ${pairs.length} module(s) with their legacy scripts in ${values.legacy} (${share}, clients get the ${serve} answer)\n`;
    },
  };
}

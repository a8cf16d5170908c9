/** A one-line progress display. */
export interface Progress {
  tick: (done: number) => void;
  done: () => void;
}

const NOOP: Progress = { tick: () => {}, done: () => {} };

/**
 * A progress line on stderr for long runs: only on a TTY, only once the run has taken
 * `delayMs` (so quick runs print nothing), redrawn at most every 80 ms, and erased when done
 * so it never mixes with the report.
 *
 * @example
 * const progress = createProgress({ write: io.stderr, isTTY: io.stderrIsTTY, total: files.length, label: "linting" });
 * files.forEach((f, i) => { check(f); progress.tick(i + 1); });
 * progress.done();
 */
export function createProgress(options: {
  write: (text: string) => void;
  isTTY: boolean;
  total: number;
  label: string;
  columns?: number;
  delayMs?: number;
  now?: () => number;
}): Progress {
  if (!options.isTTY || options.total === 0) return NOOP;
  const now = options.now ?? Date.now;
  const started = now();
  const delay = options.delayMs ?? 300;
  let last = 0;
  let shown = false;
  return {
    tick(done) {
      const time = now();
      if (time - started < delay || time - last < 80) return;
      last = time;
      shown = true;
      const width = Math.max(10, Math.min(30, (options.columns ?? 80) - 40));
      const filled = Math.round((done / options.total) * width);
      const bar = "█".repeat(filled) + "░".repeat(width - filled);
      options.write(`\r\u001b[2K${options.label} ${bar} ${done}/${options.total}`);
    },
    done() {
      if (shown) options.write("\r\u001b[2K");
    },
  };
}

import { setTimeout as delay } from "node:timers/promises";
import { ScriptFailedError, ScriptTimeoutError } from "./errors.js";
import type { ScriptProcess } from "./script-process.js";

// How long after the end of its output a script's exit status can still fail the response
// (a script killed by a signal closes stdout and exits at the same moment).
const EXIT_GRACE = 100;

/**
 * The rest of a script's output after its header block, streamed as it arrives (the script
 * blocks when the client reads slowly). `close()`, which the server calls exactly once,
 * kills the script if it still runs (the client went away), waits until it is reaped, and
 * frees its process slot. A script killed by a signal or by the timeout mid-response makes
 * the iteration throw, so the server aborts the response instead of ending it cleanly.
 *
 * @example
 * start_response(head.status, head.headers);
 * return new ScriptBody(proc, head.body, { file, timeout, release });
 */
export class ScriptBody implements AsyncIterable<Uint8Array> {
  private closing: Promise<void> | undefined;

  constructor(
    private readonly proc: ScriptProcess,
    private readonly first: Buffer,
    private readonly about: { file: string; timeout: number; release: () => void },
  ) {}

  async *[Symbol.asyncIterator](): AsyncGenerator<Uint8Array> {
    if (this.first.length > 0) yield this.first;
    for (;;) {
      const step = await this.proc.stdout.next();
      if (step.done) break;
      yield step.value;
    }
    // The response is complete at end of output. A script that closed stdout and works on
    // (logging, cleanup) is not waited for; it keeps its slot until it exits or times out.
    const exit = await Promise.race([this.proc.exited, delay(EXIT_GRACE)]);
    if (exit === undefined) return;
    if (exit.timedOut) throw new ScriptTimeoutError(this.about.file, this.about.timeout);
    if (exit.signal !== null && !exit.killedByHost) {
      throw new ScriptFailedError(this.about.file, `was killed by ${exit.signal} mid-response`);
    }
  }

  /** Stops the script if needed and resolves once it is reaped and its slot is free. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.proc.kill();
      await this.proc.exited;
      this.about.release();
    })();
    return this.closing;
  }
}

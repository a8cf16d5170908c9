import { deadlines, type Timed } from "../core/deadlines.js";

/** Which part of a request was late. */
export type ReadPhase = "header" | "body";

/**
 * The header and body deadlines of the request arriving on one connection: total deadlines
 * counted from the first byte and from the end of the header, which a trickle of bytes
 * cannot extend (an inactivity timer would be reset by every byte, the slowloris attack).
 *
 * @example
 * const clock = new ReadClock(context, () => answer("408 Request Timeout"));
 * socket.on("data", () => clock.header());
 * parser.onHead = () => clock.body();
 * parser.onComplete = () => clock.stop();
 */
export class ReadClock implements Timed {
  deadline = 0;
  prevTimed: Timed | undefined = undefined;
  nextTimed: Timed | undefined = undefined;
  private phase: ReadPhase | undefined;

  constructor(
    private readonly limits: { readonly headerTimeout: number; readonly bodyTimeout: number },
    private readonly onExpire: (phase: ReadPhase) => void,
  ) {}

  /** True from a request's first byte until it has arrived whole (or was answered). */
  get running(): boolean {
    return this.phase !== undefined;
  }

  /** A request's first byte: starts the header deadline, unless a deadline already runs. */
  header(): void {
    if (this.phase !== undefined) return;
    this.phase = "header";
    if (this.limits.headerTimeout > 0) deadlines.add(this, this.limits.headerTimeout);
  }

  /** The header is complete: the body deadline starts. */
  body(): void {
    this.phase = "body";
    if (this.limits.bodyTimeout > 0) deadlines.add(this, this.limits.bodyTimeout);
    else deadlines.delete(this);
  }

  /** The request has arrived whole (or was answered): no deadline runs. */
  stop(): void {
    this.phase = undefined;
    deadlines.delete(this);
  }

  expire(): void {
    const phase = this.phase;
    this.phase = undefined;
    if (phase) this.onExpire(phase);
  }
}

/**
 * The log line for a request that missed a deadline.
 *
 * @example
 * context.log(`cgi2wsgi scgi: ${lateMessage("header", context)}\n`);
 */
export function lateMessage(
  phase: ReadPhase,
  limits: { readonly headerTimeout: number; readonly bodyTimeout: number },
): string {
  const ms = phase === "header" ? limits.headerTimeout : limits.bodyTimeout;
  return `the request ${phase} did not arrive within ${ms} ms (a slow or stalled client)`;
}

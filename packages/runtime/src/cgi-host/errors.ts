/**
 * Why the CGI host answered in place of a script, one class per failure, each with a stable
 * `code` and the HTTP status the client gets.
 */

/** The shared shape: a status for the client, a message for the log. */
export abstract class CgiHostError extends Error {
  abstract readonly code: string;
  /** The status line the host answers with, e.g. `"404 Not Found"`. */
  abstract readonly status: string;
}

/**
 * No script answers the path: nothing there, a directory, or a hidden name.
 *
 * @example
 * throw new ScriptNotFoundError("/cgi-bin/nope.sh");
 */
export class ScriptNotFoundError extends CgiHostError {
  readonly code = "ERR_CGI_SCRIPT_NOT_FOUND";
  readonly status = "404 Not Found";
  constructor(path: string) {
    super(`no CGI script at ${JSON.stringify(path)}; check the URL and the script directory`);
    this.name = "ScriptNotFoundError";
  }
}

/**
 * The path tries to leave the script directory (`..`, a symlink pointing out) or names a file
 * the host may not run (not executable and no interpreter configured for its extension).
 *
 * @example
 * throw new ScriptForbiddenError("/cgi-bin/../etc/passwd", "it holds a .. segment");
 */
export class ScriptForbiddenError extends CgiHostError {
  readonly code = "ERR_CGI_SCRIPT_FORBIDDEN";
  readonly status = "403 Forbidden";
  constructor(path: string, why: string) {
    super(`refused to run ${JSON.stringify(path)}: ${why}`);
    this.name = "ScriptForbiddenError";
  }
}

/**
 * The script ran longer than the host's timeout; it was killed (with its process group).
 *
 * @example
 * throw new ScriptTimeoutError("/srv/cgi-bin/slow.sh", 30000);
 */
export class ScriptTimeoutError extends CgiHostError {
  readonly code = "ERR_CGI_SCRIPT_TIMEOUT";
  readonly status = "504 Gateway Timeout";
  constructor(file: string, timeout: number) {
    super(
      `${file} ran longer than ${timeout} ms and was killed; raise the timeout option or make it faster`,
    );
    this.name = "ScriptTimeoutError";
  }
}

/**
 * The script could not be started, or died, before it produced a complete header block.
 *
 * @example
 * throw new ScriptFailedError("/srv/cgi-bin/crash.sh", "exited with code 1 before any output");
 */
export class ScriptFailedError extends CgiHostError {
  readonly code = "ERR_CGI_SCRIPT_FAILED";
  readonly status = "502 Bad Gateway";
  constructor(file: string, why: string) {
    super(`${file} ${why}`);
    this.name = "ScriptFailedError";
  }
}

/**
 * Every process slot is busy and the wait queue is full.
 *
 * @example
 * throw new HostOverloadedError(8);
 */
export class HostOverloadedError extends CgiHostError {
  readonly code = "ERR_CGI_HOST_OVERLOADED";
  readonly status = "503 Service Unavailable";
  constructor(max: number) {
    super(
      `all ${max} CGI process slots are busy and the queue is full; raise maxProcesses or maxQueue`,
    );
    this.name = "HostOverloadedError";
  }
}

import { createWriteStream, type WriteStream } from "node:fs";
import type { CgiMeta } from "../core/environ.js";
import type { Environ } from "../types.js";

/** `combined` is nginx's and Apache's default format; `json` one object a line. */
export type AccessLogFormat = "combined" | "json";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/**
 * One access log line (with its newline) for a finished request, from its `environ` or, for
 * an answer the gateway gave itself, the meta-variables it knew: a request whose request
 * line never arrived shows as `"-"`, as nginx logs it.
 *
 * @example
 * accessLogLine("combined", environ, 200, 512, 3.2);
 * // '127.0.0.1 - - [03/Dec/2026:14:02:19 +0000] "GET /x?y=1 HTTP/1.1" 200 512 "-" "curl/8.0"\n'
 */
export function accessLogLine(
  format: AccessLogFormat,
  environ: Environ | CgiMeta,
  status: number,
  bytes: number,
  ms: number,
  now: Date = new Date(),
): string {
  const known = environ.REQUEST_METHOD !== undefined;
  const uri = environ.REQUEST_URI ?? (known ? requestUri(environ) : undefined);
  const referer = environ.HTTP_REFERER as string | undefined;
  const agent = environ.HTTP_USER_AGENT as string | undefined;
  if (format === "json") {
    return (
      JSON.stringify({
        time: now.toISOString(),
        remote_addr: environ.REMOTE_ADDR,
        remote_user: environ.REMOTE_USER,
        method: environ.REQUEST_METHOD,
        uri,
        protocol: environ.SERVER_PROTOCOL,
        status,
        bytes,
        duration_ms: Math.round(ms * 1000) / 1000,
        host: environ.HTTP_HOST,
        referer,
        user_agent: agent,
      }) + "\n"
    );
  }
  const user = (environ.REMOTE_USER as string | undefined) || "-";
  const request = known ? `${environ.REQUEST_METHOD} ${uri} ${environ.SERVER_PROTOCOL}` : "-";
  return `${environ.REMOTE_ADDR ?? "-"} - ${user} [${clfTime(now)}] "${quote(request)}" ${status} ${bytes} "${quote(referer ?? "-")}" "${quote(agent ?? "-")}"\n`;
}

/**
 * An open access log: {@link openAccessLog}'s answer.
 *
 * @example
 * const log = openAccessLog("/var/log/app/access.log", serverLog);
 * log.write(line);
 * log.close();
 */
export interface AccessLog {
  /** Appends one line; after {@link AccessLog.close} it is dropped. */
  write(line: string): void;
  /** Flushes and closes the file, and stops reopening it on SIGUSR1. */
  close(): void;
}

/** The files SIGUSR1 reopens: one process listener for them all, there while any is open. */
const reopening = new Set<() => void>();
const reopenAll = (): void => {
  for (const reopen of reopening) reopen();
};

/**
 * Where access log lines go: `-` is stdout, anything else a file opened for appending
 * (safe for several prefork workers: each line is one append). SIGUSR1 reopens the file,
 * as nginx does, so logrotate can move it away; the SIGUSR1 listener is shared by every
 * open log of the process and removed when the last one closes.
 *
 * @example
 * const accessLog = openAccessLog("/var/log/app/access.log", log);
 * accessLog.write(accessLogLine("json", environ, 200, 5, 1.2));
 * accessLog.close();
 */
export function openAccessLog(target: string, log: (text: string) => void): AccessLog {
  if (target === "-") return { write: (line) => void process.stdout.write(line), close() {} };
  let stream: WriteStream | undefined;
  const open = (): void => {
    const opened = createWriteStream(target, { flags: "a" });
    opened.on("error", (error) => log(`cgi2wsgi: access log ${target}: ${String(error)}\n`));
    stream = opened;
  };
  const reopen = (): void => {
    stream?.end();
    open();
  };
  open();
  if (reopening.size === 0) process.on("SIGUSR1", reopenAll);
  reopening.add(reopen);
  return {
    write: (line) => void stream?.write(line),
    close() {
      if (!reopening.delete(reopen)) return;
      if (reopening.size === 0) process.off("SIGUSR1", reopenAll);
      stream?.end();
      stream = undefined;
    },
  };
}

function requestUri(environ: Environ | CgiMeta): string {
  const path = (environ.SCRIPT_NAME ?? "") + (environ.PATH_INFO ?? "");
  return environ.QUERY_STRING ? `${path}?${environ.QUERY_STRING}` : path;
}

/** `10/Oct/2000:13:55:36 -0700`, local time as nginx writes `$time_local`. */
function clfTime(date: Date): string {
  const pad = (n: number): string => String(n).padStart(2, "0");
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? "+" : "-";
  const zone = `${sign}${pad(Math.floor(Math.abs(offset) / 60))}${pad(Math.abs(offset) % 60)}`;
  return `${pad(date.getDate())}/${MONTHS[date.getMonth()]}/${date.getFullYear()}:${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())} ${zone}`;
}

/** As nginx escapes `"` and control bytes in log variables. */
function quote(text: string): string {
  return text.replace(
    /["\\\x00-\x1f\x7f]/g,
    (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`,
  );
}

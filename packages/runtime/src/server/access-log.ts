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
 * Where access log lines go: `-` is stdout, anything else a file opened for appending
 * (safe for several prefork workers: each line is one append). SIGUSR1 reopens the file,
 * as nginx does, so logrotate can move it away.
 *
 * @example
 * const write = openAccessLog("/var/log/app/access.log", log);
 * write(accessLogLine("json", environ, 200, 5, 1.2));
 */
export function openAccessLog(target: string, log: (text: string) => void): (line: string) => void {
  if (target === "-") return (line) => void process.stdout.write(line);
  let stream: WriteStream;
  const open = (): void => {
    stream = createWriteStream(target, { flags: "a" });
    stream.on("error", (error) => log(`cgi2wsgi: access log ${target}: ${String(error)}\n`));
  };
  open();
  process.on("SIGUSR1", () => {
    stream.end();
    open();
  });
  return (line) => void stream.write(line);
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

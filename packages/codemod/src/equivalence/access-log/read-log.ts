import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { LogLineError, parseLogLine, type LoggedRequest } from "./parse-line.js";

/** A line that holds no replayable request, kept for the report. */
export interface UnparsableLine {
  line: number;
  reason: string;
  text: string;
}

/** What one access log held. */
export interface AccessLog {
  file: string;
  lines: number;
  requests: LoggedRequest[];
  unparsable: UnparsableLine[];
}

/** The log file itself cannot be read (missing, unreadable, a broken gzip stream). */
export class AccessLogError extends Error {
  readonly code = "ERR_ACCESS_LOG";
}

/**
 * Parses the text of an access log line by line ({@link parseLogLine}); blank lines are
 * skipped and lines that hold no request are counted with the reason, never fatal, since a
 * real log carries scanners, TLS bytes sent to a plain port and truncated last lines.
 *
 * @example
 * const { requests, unparsable } = parseAccessLog("access.log", text);
 */
export function parseAccessLog(file: string, text: string): AccessLog {
  const log: AccessLog = { file, lines: 0, requests: [], unparsable: [] };
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === "") lines.pop();
  for (const [i, text] of lines.entries()) {
    log.lines++;
    if (text.trim() === "") continue;
    try {
      log.requests.push(parseLogLine(text));
    } catch (error) {
      if (!(error instanceof LogLineError)) throw error;
      log.unparsable.push({ line: i + 1, reason: error.message, text: text.slice(0, 200) });
    }
  }
  return log;
}

/**
 * Reads an access log from disk, gunzipping it when it starts with the gzip magic bytes
 * (as logrotate's `access.log.2.gz` does), whatever its name.
 *
 * @example
 * const log = readAccessLog("/var/log/nginx/access.log.2.gz");
 */
export function readAccessLog(file: string): AccessLog {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new AccessLogError(`cannot read the access log ${file}: ${(error as Error).message}`);
  }
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (error) {
      throw new AccessLogError(
        `${file} starts as gzip but does not decompress (${(error as Error).message}); is it still being written?`,
      );
    }
  }
  return parseAccessLog(file, bytes.toString("utf8"));
}

export { casesFromLog } from "./log-cases.js";
export type { LogCaseOptions, ScriptLogCases, ScriptUrl } from "./log-cases.js";
export { LogLineError, parseLogLine, unescapeLogText } from "./parse-line.js";
export type { LoggedRequest } from "./parse-line.js";
export { AccessLogError, parseAccessLog, readAccessLog } from "./read-log.js";
export type { AccessLog, UnparsableLine } from "./read-log.js";

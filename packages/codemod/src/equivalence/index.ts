export {
  AccessLogError,
  casesFromLog,
  LogLineError,
  parseAccessLog,
  parseLogLine,
  readAccessLog,
} from "./access-log/index.js";
export type {
  AccessLog,
  LogCaseOptions,
  LoggedRequest,
  ScriptLogCases,
  ScriptUrl,
  UnparsableLine,
} from "./access-log/index.js";
export { resolveRequest } from "./case-request.js";
export type { ResolvedRequest } from "./case-request.js";
export { CaseFileError, readCases } from "./case-file.js";
export { cgiEnvironment } from "./cgi-environment.js";
export { compareResponses, IGNORED_HEADERS } from "./compare.js";
export type { Difference } from "./compare.js";
export { defaultCases } from "./default-cases.js";
export { deliver } from "./deliver.js";
export { MigratedModuleError, runMigratedIsolated } from "./isolated.js";
export type { IsolatedOptions } from "./isolated.js";
export { runLegacyCgi } from "./legacy.js";
export type { LegacyOptions } from "./legacy.js";
export { loadApplication, NoApplicationError, runMigrated } from "./migrated.js";
export type { CaseRequest, CaseResponse, MountOptions } from "./types.js";
export { formatReport, verifyPair } from "./verify.js";
export type { CaseResult, VerifyReport } from "./verify.js";

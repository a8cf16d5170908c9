export {
  AccessLogError,
  casesFromLog,
  LogLineError,
  parseAccessLog,
  parseLogLine,
  readAccessLog,
  CaseFileError,
  cgiEnvironment,
  compareResponses,
  defaultCases,
  deliver,
  formatReport,
  IGNORED_HEADERS,
  loadApplication,
  MigratedModuleError,
  NoApplicationError,
  readCases,
  resolveRequest,
  runLegacyCgi,
  runMigrated,
  runMigratedIsolated,
  verifyPair,
} from "./equivalence/index.js";
export type {
  AccessLog,
  LogCaseOptions,
  LoggedRequest,
  ScriptLogCases,
  ScriptUrl,
  UnparsableLine,
  CaseRequest,
  CaseResponse,
  CaseResult,
  Difference,
  IsolatedOptions,
  LegacyOptions,
  MountOptions,
  ResolvedRequest,
  VerifyReport,
} from "./equivalence/index.js";
export {
  detectCgiUsage,
  isNodeScriptFile,
  isNodeShebang,
  mayContainCgiUsage,
  RULES,
  ruleInfo,
} from "./detect/index.js";
export type { DetectOptions, Finding, RuleId, RuleInfo } from "./detect/index.js";
export { localModuleGraph } from "./migrate/helper.js";
export { migrateSource } from "./migrate/migrate-source.js";
export type { Diagnostic, MigrateOptions, MigrateResult } from "./migrate/migrate-source.js";
export { SourceSyntaxError } from "./migrate/parse.js";

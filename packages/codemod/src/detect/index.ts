export { detectCgiUsage, mayContainCgiUsage } from "./detect.js";
export type { DetectOptions, Finding } from "./detect.js";
export { RULES, ruleInfo } from "./rules.js";
export type { RuleId, RuleInfo } from "./rules.js";
export { isNodeScriptFile, isNodeShebang } from "./discover.js";

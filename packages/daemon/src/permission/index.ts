export { assessCommand, assessFileWrite, isSensitiveEnvFile, maxLevel, normalizeCommand, sensitiveWriteReason } from './detector/index.js';
export type { CommandAssessment, DetectorOptions, RiskLevel } from './detector/index.js';
export { decide, grantedRule, ruleMatches } from './policy.js';
export type { PolicyAsk, PolicyDecision, PolicyInput } from './policy.js';

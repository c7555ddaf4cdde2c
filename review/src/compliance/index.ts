export { analyzeCompliance, envsToEvaluate, formatPath, resolveStrategy, type ComplianceOptions } from "./analyze-compliance.js";
export { complianceConfig, type ComplianceConfig } from "./compliance-config.js";
export { configDiagnostics, failOnException, type ComplianceFailOn } from "./fail-on-exception.js";
export * from "./compliance-report.js";
export { renderComplianceText } from "./render-compliance-text.js";
export { checkMaskEnv, definedMaskEnvs } from "./mask-env.js";

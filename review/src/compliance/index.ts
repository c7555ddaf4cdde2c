export { analyzeCompliance, envsToEvaluate, formatPath, resolveStrategy, type ComplianceOptions } from "./analyze-compliance.js";
export { failOnException, type ComplianceFailOn } from "./fail-on-exception.js";
export * from "./compliance-report.js";
export { renderComplianceText } from "./render-compliance-text.js";

export { parseAllowPragmas } from "./allow-pragmas.js";
export { configSpan } from "./config-span.js";
export { type CheckedColumn, type ContractCheckInput, findColumn } from "./contract-columns.js";
export { contractTypeMatches } from "../types/contract-type-matches.js";
export { DIALECT_DISPLAY, parseTargetDialect, TARGET_DIALECT_NAMES } from "./dialect-names.js";
export { type ConstructKind, normalizeLabel, PORTABILITY_CATALOG, PORTABILITY_LABELS, type PortabilityConstruct } from "./portability-catalog.js";
export { bigQueryTypeName, type Rewrite } from "./portability-rewrites.js";
export { checkContractColumnAbsent } from "./rules/contract-column-absent.js";
export { checkContractNewNullable } from "./rules/contract-new-nullable.js";
export { checkContractNullability } from "./rules/contract-nullability.js";
export { checkContractProtectedRemoved } from "./rules/contract-protected-removed.js";
export { checkContractRequiredMissing } from "./rules/contract-required-missing.js";
export { checkContractTypeMismatch } from "./rules/contract-type-mismatch.js";
export { checkDependsOnIncomplete, type DependsOnInput } from "./rules/depends-on-incomplete.js";
export { checkPortability, detectPortability, type PortabilityInput, type PortabilityOptions } from "./rules/dialect-portability.js";
export { checkConcatNulls, type ConcatNullsInput } from "./rules/concat-nulls.js";
export { checkMethodCalls, METHOD_CALL_LABEL, type MethodCallsInput } from "./rules/method-calls.js";
export { checkIcebergFormatOptions, type FormatOptionsInput } from "./rules/iceberg-format-options.js";
export { checkMergeKeyMissing, type MergeKeyInput } from "./rules/merge-key-missing.js";
export { checkMissingFreshness, type FreshnessInput } from "./rules/missing-freshness.js";
export { checkSelectStarConsumers, type StarConsumersInput } from "./rules/select-star-consumers.js";
export { checkTargetCollisions, type TargetModel } from "./rules/target-collision.js";
export { CANONICAL_PARTITION_FORMAT, checkTimeInterval, isCanonicalPartitionKey, type TimeIntervalInput } from "./rules/time-interval.js";
export { type ClassificationInput, checkUnmaskedClassification, type MaskingPolicy, tagHasMaskStrategy } from "./rules/unmasked-classification.js";
export {
  type ModelCheckInput,
  type ModelSyntax,
  type ProjectCheckContext,
  type ProjectCheckOptions,
  runModelChecks,
  runProjectChecks,
  runTextChecks,
  type TextCheckInput,
} from "./run-checks.js";
export { type ColumnMap, SourceLocator } from "./source-locator.js";
export { collectParams, collectSyntaxFacts, findOutputStar, type SyntaxFacts } from "./syntax-facts.js";

export { AdapterError, type AdapterErrorKind, firstLine } from "./adapter-error.js";
export { type CreateAdapterContext, createAdapter } from "./registry.js";
export { SEED_FILE, seedSchemas, seedStatementDiagnostic } from "./seed-schemas.js";
export { type ScriptStatement, splitStatements } from "./split-statements.js";
export type { AdapterCapabilities, AdapterType, ExecuteResult, Row, SchemaRef, TableRef, TableStats, WarehouseAdapter } from "./warehouse-adapter.js";
export { type SourceSchemaResult, warehouseSourceSchemas } from "./warehouse-source-schemas.js";
export { DEFAULT_RETRY, type RetryPolicy, retryPolicyFrom, withRetry } from "./with-retry.js";

export { LATEST_SCHEMA_VERSION, MIGRATIONS, type Migration, type MigrationContext } from "./migrations.js";
export { checkLmdbDir, openStateReader, openStateStore, type StateStoreOptions } from "./state-store.js";
export { StateStoreError, type StateStoreErrorCode } from "./state-store-error.js";
export type * from "./state-types.js";

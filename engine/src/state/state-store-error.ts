export type StateStoreErrorCode =
  /** The path holds something that is not an lmdb state store, or its pages are damaged. */
  | "corrupt"
  /** Written by a newer rocky-review (its schema version is higher than this one knows). */
  | "newer_version"
  /** Opened read-only but older than this version: open it read-write once to migrate. */
  | "needs_migration"
  /** Opened read-only and there is no store at the path. */
  | "missing"
  /** lmdb could not open it (permissions, a file in the way, disk full). */
  | "unavailable";

/** A state store that cannot be used, with a message a user can act on. Never a crash. */
export class StateStoreError extends Error {
  readonly code: StateStoreErrorCode;
  readonly path: string;

  constructor(code: StateStoreErrorCode, path: string, message: string, options?: { cause?: unknown }) {
    super(`state store ${path}: ${message}`, options);
    this.name = "StateStoreError";
    this.code = code;
    this.path = path;
  }
}

/** The engine version carried by every JSON output (`version`); kept equal to package.json by a test. */
export const VERSION = "0.1.0";

/** The version of the JSON output shapes; bumped only on a breaking change (fields are only ever added within a version). */
export const OUTPUT_SCHEMA_VERSION = 1;

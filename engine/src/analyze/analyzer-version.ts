/**
 * Bumped whenever analyzeModel's output can change for the same input (the parse, types, nullability,
 * lineage, fingerprints, diagnostics), or the syntax checks' (the P001 catalog). Caches of analysis
 * results must include it in their key, or an upgraded engine keeps serving the previous engine's answers.
 */
export const ANALYZER_VERSION = 87;

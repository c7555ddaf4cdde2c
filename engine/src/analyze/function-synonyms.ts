/**
 * Function names that mean exactly the same call (same arguments, same result), folded to one
 * spelling in fingerprints: rewriting `COALESCE(a, b)` as `NVL(a, b)` (P001's business) is not a
 * logic change. Only true synonyms belong here; functions whose arguments differ by dialect
 * (DATEADD vs DATE_ADD) do not.
 */
export const FUNCTION_SYNONYMS: Readonly<Record<string, string>> = {
  NVL: "COALESCE",
  IFNULL: "COALESCE",
  IFF: "IF",
  CEILING: "CEIL",
  SUBSTRING: "SUBSTR",
  POW: "POWER",
  LCASE: "LOWER",
  UCASE: "UPPER",
  MEAN: "AVG",
  LIST: "ARRAY_AGG",
  STDDEV_SAMP: "STDDEV",
  VAR_SAMP: "VARIANCE",
  CHAR_LENGTH: "LENGTH",
  CHARACTER_LENGTH: "LENGTH",
  DATETRUNC: "DATE_TRUNC",
  DATEDIFF: "DATE_DIFF",
  NOW: "CURRENT_TIMESTAMP",
  GETDATE: "CURRENT_TIMESTAMP",
  TODAY: "CURRENT_DATE",
  ARBITRARY: "ANY_VALUE",
  BOOLAND_AGG: "BOOL_AND",
  LOGICAL_AND: "BOOL_AND",
  EVERY: "BOOL_AND",
  BOOLOR_AGG: "BOOL_OR",
  LOGICAL_OR: "BOOL_OR",
  LISTAGG: "STRING_AGG",
  GROUP_CONCAT: "STRING_AGG",
  APPROX_DISTINCT: "APPROX_COUNT_DISTINCT",
  STARTSWITH: "STARTS_WITH",
  ENDSWITH: "ENDS_WITH",
  COUNTIF: "COUNT_IF",
  LEN: "LENGTH",
  TO_CHAR: "TO_VARCHAR",
  ARRAY_SIZE: "ARRAY_LENGTH",
};

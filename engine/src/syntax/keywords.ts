/**
 * Every word the parser (and the dialect tables) compare against, upper-case. The tokenizer
 * recognises them with a case-folding hash computed while it scans a word, so a keyword costs no
 * string allocation and its upper-case spelling is one shared constant. Words not listed here get
 * an empty upper spelling; the parser upper-cases those on demand (type names, date parts).
 * A test checks that every upper-case word literal in parser.ts and the dialects is listed.
 */
export const KEYWORDS: readonly string[] = [
  "AFTER", "ALL", "ANALYSE", "ANALYZE", "AND", "ANTI", "ANY", "ARRAY", "AS", "ASC", "ASOF", "ASYMMETRIC", "AT", "AUTHORIZATION", "BEFORE",
  "BETWEEN", "BIGNUMERIC", "BINARY", "BOTH", "BY", "CASE", "CAST", "CENTURIES", "CENTURY", "CHANGES", "CHAR", "CHARACTER", "CHECK",
  "CLUSTER", "COLLATE", "COLLATION", "COLUMN", "COLUMNS", "CONCURRENTLY", "CONNECT", "CONNECT_BY_ROOT", "CONSTRAINT", "CREATE", "CROSS",
  "CUBE", "CURRENT", "CURRENT_DATE", "CURRENT_TIME", "CURRENT_TIMESTAMP", "CURRENT_USER", "DATE", "DATETIME", "DAY", "DAYOFWEEK",
  "DAYOFYEAR", "DAYS", "DECADE", "DECADES", "DECIMAL", "DEFAULT", "DEFERRABLE", "DEFINE", "DESC", "DESCRIBE", "DISTINCT", "DISTRIBUTE",
  "DIV", "DO", "DOUBLE", "ELSE", "EMPTY", "END", "EPOCH", "ESCAPE", "EXCEPT", "EXCLUDE", "EXISTS", "EXTRACT", "FALSE", "FETCH", "FILTER",
  "FINAL", "FIRST", "FOLLOWING", "FOR", "FOREIGN", "FORMAT", "FREEZE", "FROM", "FULL", "GLOB", "GROUP", "GROUPING", "GROUPS", "HAVING",
  "HOUR", "HOURS", "IF", "IGNORE", "ILIKE", "IN", "INCLUDE", "INITIALLY", "INNER", "INTERSECT", "INTERVAL", "INTO", "IS", "ISNULL",
  "ISOWEEK", "ISOYEAR", "JOIN", "JSON", "LAMBDA", "LAST", "LATERAL", "LEADING", "LEFT", "LIKE", "LIMIT", "LOCALTIME", "LOCALTIMESTAMP",
  "LTRIM", "MAP", "MATCH", "MATCHES", "MATCH_CONDITION", "MATCH_RECOGNIZE", "MATERIALIZED", "MAX", "MEASURES", "MICROSECOND",
  "MICROSECONDS", "MILLENNIA", "MILLENNIUM", "MILLISECOND", "MILLISECONDS", "MINUS", "MINUTE", "MINUTES", "MONTH", "MONTHS", "NAME",
  "NANOSECOND", "NANOSECONDS", "NATURAL", "NEXT", "NO", "NOCYCLE", "NOT", "NOTNULL", "NULL", "NULLS", "NUMERIC", "OF", "OFFSET", "OMIT",
  "ON", "ONE", "ONLY", "OR", "ORDER", "ORDINALITY", "OTHERS", "OUTER", "OVER", "OVERLAPS", "PARTITION", "PAST", "PATTERN", "PER",
  "PERCENT", "PERMUTE", "PIVOT", "PIVOT_LONGER", "PIVOT_WIDER", "PLACING", "POSITION", "POSITIONAL", "PRECEDING", "PRECISION", "PRIMARY",
  "PRIOR", "QUALIFY", "QUARTER", "QUARTERS", "RANGE", "RECURSIVE", "REFERENCES", "REGEXP", "RENAME", "REPEATABLE", "REPLACE", "RESPECT",
  "RETURNING", "RIGHT", "RLIKE", "ROLLUP", "ROW", "ROWS", "RTRIM", "RUNNING", "SAFE_CAST", "SAMPLE", "SECOND", "SECONDS", "SEED", "SELECT",
  "SEMI", "SESSION_USER", "SETS", "SHOW", "SIMILAR", "SKIP", "SOME", "SORT", "START", "STREAM", "STRUCT", "SUBSET", "SUBSTRING",
  "SUMMARIZE", "SYMMETRIC", "SYSTEM_TIME", "SYSTEM_VERSION", "TABLE", "TABLESAMPLE", "THEN", "TIES", "TIME", "TIMESTAMP", "TIMESTAMPTZ",
  "TIMESTAMP_LTZ", "TIMESTAMP_NTZ", "TIMESTAMP_TZ", "TO", "TOP", "TRAILING", "TRIM", "TRUE", "TRY_CAST", "UNBOUNDED", "UNION", "UNIQUE",
  "UNKNOWN", "UNMATCHED", "UNNEST", "UNPACK", "UNPIVOT", "USING", "UUID", "VALUE", "VALUES", "VARIADIC", "VARYING", "VERBOSE", "VERSION",
  "VIEW", "WEEK", "WEEKS", "WHEN", "WHERE", "WINDOW", "WITH", "WITHIN", "WITHOUT", "XOR", "YEAR", "YEARS", "ZONE",
];

const SIZE = 2048;
const MASK = SIZE - 1;
const table = new Int16Array(SIZE).fill(-1);
/** The full hash of the keyword in each slot: most non-keywords are rejected without touching their text. */
const hashes = new Int32Array(SIZE);
export const MAX_KEYWORD_LENGTH = KEYWORDS.reduce((m, k) => Math.max(m, k.length), 0);

/** The hash step the tokenizer applies per character (ASCII letters folded to upper case). */
export function foldStep(h: number, c: number): number {
  return (Math.imul(h, 31) + (c >= 97 && c <= 122 ? c - 32 : c)) | 0;
}

function slot(h: number): number {
  return (h ^ (h >>> 11) ^ (h >>> 19)) & MASK;
}

for (let k = 0; k < KEYWORDS.length; k++) {
  const w = KEYWORDS[k];
  let h = 0;
  for (let j = 0; j < w.length; j++) h = foldStep(h, w.charCodeAt(j));
  let s = slot(h);
  while (table[s] !== -1) s = (s + 1) & MASK;
  table[s] = k;
  hashes[s] = h;
}

/** The keyword spelled by `src[start, end)` case-insensitively (hash `h` from `foldStep`), or "" when it is not one. */
export function lookupKeyword(src: string, start: number, end: number, h: number): string {
  const len = end - start;
  let s = slot(h);
  for (;;) {
    const k = table[s];
    if (k === -1) return "";
    if (hashes[s] === h) {
      const w = KEYWORDS[k];
      if (w.length === len) {
        let j = 0;
        for (; j < len; j++) {
          const c = src.charCodeAt(start + j);
          if ((c >= 97 && c <= 122 ? c - 32 : c) !== w.charCodeAt(j)) break;
        }
        if (j === len) return w;
      }
    }
    s = (s + 1) & MASK;
  }
}

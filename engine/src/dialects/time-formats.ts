/**
 * Date and time format strings between DuckDB's strftime codes (`%Y-%m-%d`), Snowflake's format
 * elements (`YYYY-MM-DD`) and Databricks' Java patterns (`yyyy-MM-dd`), for the numeric fields
 * only: year, month, day, 24-hour hour, minute, second and microseconds, with `-/:., _` between
 * them. Names (`%b`, `MON`), 12-hour clocks, literal letters and anything else are not translated
 * (undefined): the finding then stays advice, never a rewrite that formats otherwise.
 */
export type FormatDialect = "snowflake" | "databricks";

/** strftime code → the same field in each dialect. */
const FIELDS: Readonly<Record<string, Readonly<Record<FormatDialect, string>>>> = {
  Y: { snowflake: "YYYY", databricks: "yyyy" },
  y: { snowflake: "YY", databricks: "yy" },
  m: { snowflake: "MM", databricks: "MM" },
  d: { snowflake: "DD", databricks: "dd" },
  H: { snowflake: "HH24", databricks: "HH" },
  M: { snowflake: "MI", databricks: "mm" },
  S: { snowflake: "SS", databricks: "ss" },
  f: { snowflake: "FF6", databricks: "SSSSSS" },
};

const SEPARATOR = /[-/:., _]/;

/** A strftime format in `target`'s syntax, or undefined when it has a part this module does not translate. */
export function fromStrftime(format: string, target: FormatDialect): string | undefined {
  let out = "";
  for (let i = 0; i < format.length; i++) {
    const c = format[i];
    if (c === "%") {
      const field = FIELDS[format[i + 1] ?? ""];
      if (field === undefined) return undefined;
      out += field[target];
      i++;
    } else if (SEPARATOR.test(c)) out += c;
    else return undefined;
  }
  return out === "" ? undefined : out;
}

/** Each dialect's fields, longest first (HH24 before HH, SSSSSS before SS), with the strftime code they mean. */
const TOKENS: Readonly<Record<FormatDialect, readonly (readonly [string, string])[]>> = {
  snowflake: Object.entries(FIELDS)
    .map(([code, f]) => [f.snowflake, code] as const)
    .sort((a, b) => b[0].length - a[0].length),
  databricks: Object.entries(FIELDS)
    .map(([code, f]) => [f.databricks, code] as const)
    .sort((a, b) => b[0].length - a[0].length),
};

/**
 * A `from`-syntax format as strftime codes, or undefined. Snowflake's elements are read in any case
 * (`yyyy-mm-dd` is a date there); Databricks' are case-sensitive (`mm` is minutes).
 */
export function toStrftime(format: string, from: FormatDialect): string | undefined {
  const text = from === "snowflake" ? format.toUpperCase() : format;
  let out = "";
  let i = 0;
  while (i < text.length) {
    const token = TOKENS[from].find(([t]) => text.startsWith(t, i));
    if (token !== undefined) {
      out += `%${token[1]}`;
      i += token[0].length;
    } else if (SEPARATOR.test(text[i])) out += text[i++];
    else return undefined;
  }
  return out === "" ? undefined : out;
}

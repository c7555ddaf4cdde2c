/**
 * Binding powers of SQL operators (higher binds tighter), shared by the parser and the printer so
 * that printed parentheses are exactly the ones the parser needs:
 * OR < AND < NOT < comparison/LIKE/IN/BETWEEN/IS < bitwise, JSON arrows, DuckDB's `~`-family, `@>`,
 * `<@`, `&&`, `^@` < `||` < `+ -` < `* / % //` < `^` `**` (DuckDB power) < AT TIME ZONE < unary < `::`, subscript, field access.
 */
export const PREC_LAMBDA = 1;
export const PREC_OR = 10;
export const PREC_AND = 20;
export const PREC_NOT = 30;
export const PREC_CMP = 40;
export const PREC_BIT = 50;
export const PREC_CONCAT = 55;
export const PREC_ADD = 60;
export const PREC_MUL = 70;
export const PREC_POW = 72;
export const PREC_AT = 75;
export const PREC_UNARY = 80;
/** Prefix operators spelt as words that bind as unary ones (Snowflake's hierarchical `PRIOR x`, `CONNECT_BY_ROOT x`); NOT binds looser. */
export const WORD_PREFIX_OPS: ReadonlySet<string> = new Set(["PRIOR", "CONNECT_BY_ROOT"]);
export const PREC_POSTFIX = 90;
export const PREC_PRIMARY = 100;

const binaryPrec: Readonly<Record<string, number>> = {
  OR: PREC_OR,
  XOR: PREC_OR,
  AND: PREC_AND,
  "=": PREC_CMP,
  "<>": PREC_CMP,
  "<": PREC_CMP,
  ">": PREC_CMP,
  "<=": PREC_CMP,
  ">=": PREC_CMP,
  "<=>": PREC_CMP,
  "IS DISTINCT FROM": PREC_CMP,
  "IS NOT DISTINCT FROM": PREC_CMP,
  "|": PREC_BIT,
  "&": PREC_BIT,
  "<<": PREC_BIT,
  ">>": PREC_BIT,
  "->": PREC_BIT,
  "->>": PREC_BIT,
  "~": PREC_BIT,
  "!~": PREC_BIT,
  "~~": PREC_BIT,
  "!~~": PREC_BIT,
  "~~*": PREC_BIT,
  "!~~*": PREC_BIT,
  "~~~": PREC_BIT,
  "^@": PREC_BIT,
  "@>": PREC_BIT,
  "<@": PREC_BIT,
  "&&": PREC_BIT,
  "**": PREC_POW,
  "||": PREC_CONCAT,
  "+": PREC_ADD,
  "-": PREC_ADD,
  "*": PREC_MUL,
  "/": PREC_MUL,
  "%": PREC_MUL,
  "//": PREC_MUL,
  DIV: PREC_MUL,
  "AT TIME ZONE": PREC_AT,
};

/** How tightly a binary operator binds as seen from its parent. `^` is XOR (50) or power (72) by dialect: take the loosest. */
export function binaryOuterPrec(op: string): number {
  if (op === "^") return PREC_BIT;
  return binaryPrec[op] ?? PREC_CMP;
}

/** The threshold a binary operator's operands are compared against. `^`: the tightest reading. */
export function binaryInnerPrec(op: string): number {
  if (op === "^") return PREC_POW;
  return binaryPrec[op] ?? PREC_CMP;
}

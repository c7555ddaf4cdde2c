import type { DialectId } from "../../syntax/ast.js";
import type { SqlType } from "../sql-type.js";
import { arrayOf, T } from "../type-constants.js";

/**
 * One row of a per-dialect function table (sqlglot's `typing/<dialect>` as TypeScript data).
 * Adding a function is one row: how its return type follows from its arguments, how NULL flows
 * through it, and what kind of function it is.
 */
export type FunctionKind = "scalar" | "aggregate" | "window";

/** What the inference callbacks may ask about the call. */
export interface CallContext {
  readonly dialect: DialectId;
  /** Argument types, in order (a lambda argument's type is its body's type). */
  readonly args: readonly SqlType[];
  /** The literal text of argument `i` when it is a string or number literal (units of DATE_TRUNC, ROUND's digits). */
  literal(i: number): string | undefined;
  /** The texts of argument `i` when it is a list of string or number literals (`date_part(['year', 'month'], x)`). */
  literalList(i: number): readonly string[] | undefined;
  /** The name a bare column argument `i` carries (`struct(a, t.b)` → a, b), else undefined. */
  argName(i: number): string | undefined;
  /** Named arguments (`struct_pack(a := 1)`), in order. */
  readonly named: readonly { readonly name: string; readonly type: SqlType }[];
  /** The dialect's implicit unification (CASE/COALESCE/UNION): digit-preserving for decimals. */
  unify(types: readonly SqlType[]): SqlType;
  /**
   * The arguments at `indices` unified as CASE unifies its branches: NULL literals skipped, an
   * integer literal beside a decimal counted by its digits where the dialect does so. Absent where
   * no call is at hand (then `unify` of the argument types).
   */
  unifyArgs?(indices: readonly number[]): SqlType;
  /** The type of `args[left] op args[right]` as the operator would give it (DIV0, TRY_DIVIDE). Absent where no call is at hand. */
  arithmetic?(op: "+" | "-" | "*" | "/", left: number, right: number): SqlType;
}

export type ReturnRule =
  | { readonly kind: "fixed"; readonly type: SqlType }
  /** The type of argument `index` (Unknown when absent). */
  | { readonly kind: "arg"; readonly index: number }
  /** The unified type of the arguments from `from`, every `step`-th. */
  | { readonly kind: "supertype"; readonly from: number; readonly step: number }
  /** The element type of the array in argument `index` (a map's value type). */
  | { readonly kind: "element"; readonly index: number }
  /** `Array<type of argument index>`. */
  | { readonly kind: "array_of"; readonly index: number }
  /** The rare rule that needs logic. */
  | { readonly kind: "infer"; readonly infer: (c: CallContext) => SqlType };

/**
 * `any`: nullable if any argument is (the default); `never`: never NULL; `always`: may be NULL
 * whatever its input; `all`: NULL only when every argument is (COALESCE); `first`: as argument 0;
 * `aggregate`: as the argument, and also when the aggregate runs over possibly-empty input
 * (no GROUP BY); `window`: as the argument (the default frame holds the current row); `rest`:
 * nullable if any argument after the first is (IFF's condition, NVL2's tested value only choose);
 * `decode`: DECODE(expr, search, result, ..., [default]) is NULL when no search matches and there is
 * no default, else when a result or the default is; `divisor`: as `any`, and also when argument 1
 * may be zero (DuckDB's MOD(x, 0) is NULL): only a non-zero number literal may not; `path`: as
 * `any`, and always when given a second argument (a JSON path, which may match nothing).
 */
export type NullRule = "any" | "never" | "always" | "all" | "first" | "aggregate" | "rest" | "decode" | "divisor" | "path";

export interface FunctionRow {
  readonly returns: ReturnRule;
  readonly nulls?: NullRule;
  readonly kind?: FunctionKind;
}

export interface TableFunctionRow {
  /** The output columns of `FROM fn(args)` given the call. */
  readonly columns: (c: CallContext) => readonly { readonly name: string; readonly type: SqlType }[];
}

export interface DialectFunctions {
  readonly scalar: Readonly<Record<string, FunctionRow>>;
  readonly table: Readonly<Record<string, TableFunctionRow>>;
}

// ---- row builders: keep the tables one line per function

export const fixed = (type: SqlType, nulls?: NullRule): FunctionRow => ({ returns: { kind: "fixed", type }, nulls });
export const argType = (index: number, nulls?: NullRule): FunctionRow => ({ returns: { kind: "arg", index }, nulls });
export const supertype = (from = 0, step = 1, nulls?: NullRule): FunctionRow => ({ returns: { kind: "supertype", from, step }, nulls });
export const elementOf = (index: number, nulls?: NullRule): FunctionRow => ({ returns: { kind: "element", index }, nulls });
export const arrayOfArg = (index: number, nulls?: NullRule): FunctionRow => ({ returns: { kind: "array_of", index }, nulls });
export const infer = (fn: (c: CallContext) => SqlType, nulls?: NullRule): FunctionRow => ({ returns: { kind: "infer", infer: fn }, nulls });
export const agg = (row: FunctionRow, nulls: NullRule = "aggregate"): FunctionRow => ({ ...row, kind: "aggregate", nulls: row.nulls ?? nulls });
export const win = (row: FunctionRow, nulls?: NullRule): FunctionRow => ({ ...row, kind: "window", nulls: nulls ?? row.nulls });

/**
 * A row's return type from argument types alone (no literals, no names): for rules applied to
 * something other than a call's own arguments, e.g. DuckDB `list_aggregate(list, 'sum')` applying
 * SUM's rule to the list's element type.
 */
export function returnTypeFor(row: FunctionRow, c: CallContext): SqlType {
  const r = row.returns;
  switch (r.kind) {
    case "fixed":
      return r.type;
    case "arg":
      return c.args[r.index] ?? T.Unknown;
    case "infer":
      return r.infer(c);
    case "supertype": {
      const picked: SqlType[] = [];
      for (let i = r.from; i < c.args.length; i += r.step) picked.push(c.args[i]);
      return c.unify(picked);
    }
    case "element": {
      const a = c.args[r.index];
      return a?.kind === "Array" ? a.element : a?.kind === "Map" ? a.value : T.Unknown;
    }
    case "array_of":
      return arrayOf(c.args[r.index] ?? T.Unknown);
  }
}

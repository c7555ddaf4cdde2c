import { didYouMean } from "../../../engine/src/util/did-you-mean.js";
import { CHECK_NAMES, type CheckName, DEFAULT_FAIL_ON, type FailOnLevel, type FailOnPolicy, type RenderedCheck } from "./rendered.js";

/**
 * The `fail-on` setting shared by the Action input and the App's `.github/rocky.yml`: either one
 * level for every check (`warning`) or per check (`contracts=error,cost=never`; names with or
 * without the `rocky/` prefix). Unnamed checks keep their defaults.
 */

const LEVELS: readonly FailOnLevel[] = ["error", "warning", "never"];

export type ParseResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

export function parseFailOn(text: string | undefined): ParseResult<FailOnPolicy> {
  const source = (text ?? "").trim();
  if (source === "") return { ok: true, value: DEFAULT_FAIL_ON };
  if (isLevel(source)) return { ok: true, value: Object.fromEntries(CHECK_NAMES.map((n) => [n, source])) as FailOnPolicy };
  const policy: Record<CheckName, FailOnLevel> = { ...DEFAULT_FAIL_ON };
  for (const part of source.split(/[,\n]/)) {
    const item = part.trim();
    if (item === "") continue;
    const [rawKey, rawLevel, ...rest] = item.split("=").map((s) => s.trim());
    // A lone word is meant as a level (`errors`, `Error`): say which levels there are, and the per-check form.
    if (rawLevel === undefined && !checkName(rawKey)) {
      const near = didYouMean(rawKey, LEVELS);
      return {
        ok: false,
        error: `fail-on: "${item}" is not a level${near ? ` (did you mean "${near}"?)` : ""}: give one level for every check (${LEVELS.join(", ")}) or a level per check, e.g. "contracts=error,cost=never" (checks: ${CHECK_NAMES.map((n) => n.slice(6)).join(", ")})`,
      };
    }
    const name = checkName(rawKey);
    if (!name) return { ok: false, error: `fail-on: unknown check "${rawKey}" in "${item}"; expected one of ${CHECK_NAMES.map((n) => n.slice(6)).join(", ")}` };
    if (rawLevel === undefined || rest.length > 0 || !isLevel(rawLevel)) {
      return { ok: false, error: `fail-on: "${item}" must be <check>=<level> with level one of ${LEVELS.join(", ")}` };
    }
    policy[name] = rawLevel;
  }
  return { ok: true, value: policy };
}

/** Checks whose conclusion is `failure`: the Action fails the step when there is any. */
export function failingChecks(checks: readonly RenderedCheck[]): RenderedCheck[] {
  return checks.filter((c) => c.conclusion === "failure");
}

function isLevel(value: string): value is FailOnLevel {
  return (LEVELS as readonly string[]).includes(value);
}

function checkName(key: string): CheckName | undefined {
  const name = key.startsWith("rocky/") ? key : `rocky/${key}`;
  return (CHECK_NAMES as readonly string[]).includes(name) ? (name as CheckName) : undefined;
}

/**
 * How many times a model runs per month, for cost per month. Named schedules use fixed factors
 * (hourly ×730, daily ×30, weekly ×4.35, monthly ×1); a 5-field cron expression is counted over
 * a whole (non-leap) year and scaled to 30 days, so `0 9 * * 1-5` gives 21.4 rather than a number
 * that depends on which weekday a month starts on.
 */
export interface ScheduleRuns {
  /** The schedule as it will be shown (`daily`, `hourly`, or the cron expression). */
  readonly schedule: string;
  readonly runsPerMonth: number;
  /** Set when the schedule was not understood and the default was assumed. */
  readonly note?: string;
}

const NAMED: Readonly<Record<string, number>> = {
  hourly: 730,
  "@hourly": 730,
  daily: 30,
  "@daily": 30,
  "@midnight": 30,
  weekly: 4.35,
  "@weekly": 4.35,
  monthly: 1,
  "@monthly": 1,
  yearly: 1 / 12,
  "@yearly": 1 / 12,
  annually: 1 / 12,
  "@annually": 1 / 12,
};

export const DEFAULT_SCHEDULE = "daily";

export function runsPerMonth(schedule: string | undefined): ScheduleRuns {
  const raw = (schedule ?? DEFAULT_SCHEDULE).trim();
  const named = NAMED[raw.toLowerCase()];
  if (named !== undefined) return { schedule: raw.toLowerCase(), runsPerMonth: named };
  const cron = cronRunsPer30Days(raw);
  if (cron !== undefined) return { schedule: raw, runsPerMonth: cron };
  return { schedule: DEFAULT_SCHEDULE, runsPerMonth: NAMED.daily, note: `schedule '${raw}' not understood; assumed daily` };
}

const cache = new Map<string, number | undefined>();

/** Runs per 30 days of a 5-field cron expression (minute hour day-of-month month day-of-week), or undefined when invalid. */
export function cronRunsPer30Days(expr: string): number | undefined {
  if (cache.has(expr)) return cache.get(expr);
  const result = countCron(expr);
  cache.set(expr, result);
  return result;
}

const FIELD_RANGES: readonly (readonly [number, number])[] = [
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12],
  [0, 7],
];

const MONTH_NAMES = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const DAY_NAMES = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

function countCron(expr: string): number | undefined {
  const fields = expr.trim().split(/\s+/);
  if (fields.length !== 5) return undefined;
  const sets: Set<number>[] = [];
  for (let i = 0; i < 5; i++) {
    const set = parseField(fields[i].toLowerCase(), FIELD_RANGES[i], i === 3 ? MONTH_NAMES : i === 4 ? DAY_NAMES : undefined, i === 3 ? 1 : 0);
    if (!set) return undefined;
    sets.push(set);
  }
  const [minutes, hours, dom, months, dowRaw] = sets;
  const dow = new Set([...dowRaw].map((d) => d % 7));
  const domRestricted = fields[2] !== "*";
  const dowRestricted = fields[4] !== "*";
  const perDay = minutes.size * hours.size;
  let days = 0;
  // A fixed non-leap year (2026 starts on a Thursday).
  const start = Date.UTC(2026, 0, 1);
  for (let d = 0; d < 365; d++) {
    const date = new Date(start + d * 86_400_000);
    if (!months.has(date.getUTCMonth() + 1)) continue;
    const domMatch = dom.has(date.getUTCDate());
    const dowMatch = dow.has(date.getUTCDay());
    // Vixie cron: when both day fields are restricted, either may match.
    const match = domRestricted && dowRestricted ? domMatch || dowMatch : domMatch && dowMatch;
    if (match) days += 1;
  }
  return (perDay * days * 30) / 365;
}

function parseField(field: string, [min, max]: readonly [number, number], names: readonly string[] | undefined, nameBase: number): Set<number> | undefined {
  const out = new Set<number>();
  for (const part of field.split(",")) {
    const [rangePart, stepPart] = part.split("/");
    const step = stepPart === undefined ? 1 : Number(stepPart);
    if (!Number.isInteger(step) || step < 1) return undefined;
    let lo: number;
    let hi: number;
    if (rangePart === "*") {
      lo = min;
      hi = max;
    } else {
      const [a, b] = rangePart.split("-");
      const av = value(a, names, nameBase);
      const bv = b === undefined ? (stepPart === undefined ? av : max) : value(b, names, nameBase);
      if (av === undefined || bv === undefined) return undefined;
      lo = av;
      hi = bv;
    }
    if (lo < min || hi > max || lo > hi) return undefined;
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return out;
}

function value(text: string, names: readonly string[] | undefined, nameBase: number): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  const index = names?.indexOf(text) ?? -1;
  return index >= 0 ? index + nameBase : undefined;
}

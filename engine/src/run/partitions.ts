export type Granularity = "hour" | "day" | "month" | "year";

/** One time_interval partition (or a batch of consecutive ones): `[start, end)`, UTC. */
export interface Partition {
  /** Canonical key of the first partition: `2026-01-02T05` (hour), `2026-01-02` (day), `2026-01` (month), `2026` (year). */
  readonly key: string;
  /** Key of the last partition of the batch. */
  readonly lastKey: string;
  readonly start: Date;
  readonly end: Date;
}

const KEY_PATTERNS: Record<Granularity, RegExp> = {
  hour: /^(\d{4})-(\d{2})-(\d{2})T(\d{2})$/,
  day: /^(\d{4})-(\d{2})-(\d{2})$/,
  month: /^(\d{4})-(\d{2})$/,
  year: /^(\d{4})$/,
};

/** The partition start a canonical key names, or undefined when it is not canonical for the grain (E026). */
export function parsePartitionKey(key: string, grain: Granularity): Date | undefined {
  const m = KEY_PATTERNS[grain].exec(key);
  if (!m) return undefined;
  const [y, mo, d, h] = [Number(m[1]), Number(m[2] ?? 1), Number(m[3] ?? 1), Number(m[4] ?? 0)];
  const date = new Date(Date.UTC(y, mo - 1, d, h));
  return partitionKey(date, grain) === key ? date : undefined;
}

export function partitionKey(date: Date, grain: Granularity): string {
  const iso = date.toISOString();
  switch (grain) {
    case "hour":
      return iso.slice(0, 13);
    case "day":
      return iso.slice(0, 10);
    case "month":
      return iso.slice(0, 7);
    case "year":
      return iso.slice(0, 4);
  }
}

export function floorToPartition(date: Date, grain: Granularity): Date {
  const y = date.getUTCFullYear();
  const mo = date.getUTCMonth();
  switch (grain) {
    case "hour":
      return new Date(Date.UTC(y, mo, date.getUTCDate(), date.getUTCHours()));
    case "day":
      return new Date(Date.UTC(y, mo, date.getUTCDate()));
    case "month":
      return new Date(Date.UTC(y, mo, 1));
    case "year":
      return new Date(Date.UTC(y, 0, 1));
  }
}

export function addPartitions(date: Date, grain: Granularity, n: number): Date {
  const d = new Date(date.getTime());
  if (grain === "hour") d.setUTCHours(d.getUTCHours() + n);
  if (grain === "day") d.setUTCDate(d.getUTCDate() + n);
  if (grain === "month") d.setUTCMonth(d.getUTCMonth() + n);
  if (grain === "year") d.setUTCFullYear(d.getUTCFullYear() + n);
  return d;
}

export interface PlanPartitionsInput {
  readonly granularity: Granularity;
  /** First partition ever (`first_partition`). */
  readonly firstPartition?: string;
  /** Last completed partition (the watermark). */
  readonly lastCompleted?: string;
  /** Re-run this many partitions before the watermark (`lookback`). */
  readonly lookback?: number;
  /** Partitions per statement batch (`batch_size`). */
  readonly batchSize?: number;
  /** An explicit range (`--from` / `--to` keys, inclusive). */
  readonly from?: string;
  readonly to?: string;
  readonly now: Date;
  /** Refuse to plan more than this many partitions (default 10,000). */
  readonly maxPartitions?: number;
}

/**
 * The partitions a time_interval run writes: from `from`, else the watermark minus `lookback`,
 * else `first_partition`, else the current partition; up to `to`, else the current partition
 * (the one containing `now`). Grouped by `batch_size`. Throws RangeError on a bad key or too many.
 */
export function planPartitions(input: PlanPartitionsInput): Partition[] {
  const g = input.granularity;
  const key = (k: string, what: string) => {
    const d = parsePartitionKey(k, g);
    if (d === undefined) throw new RangeError(`${what} "${k}" is not a canonical ${g} partition key (e.g. ${partitionKey(new Date(Date.UTC(2026, 0, 2, 5)), g)})`);
    return d;
  };
  const current = floorToPartition(input.now, g);
  let start: Date;
  if (input.from !== undefined) start = key(input.from, "from");
  else if (input.lastCompleted !== undefined) start = addPartitions(key(input.lastCompleted, "watermark"), g, 1 - (input.lookback ?? 0));
  else if (input.firstPartition !== undefined) start = key(input.firstPartition, "first_partition");
  else start = current;
  const last = input.to !== undefined ? key(input.to, "to") : current;
  const batch = Math.max(1, Math.floor(input.batchSize ?? 1));
  const max = input.maxPartitions ?? 10_000;
  const out: Partition[] = [];
  let count = 0;
  for (let s = start; s.getTime() <= last.getTime(); ) {
    const batchStart = s;
    let lastInBatch = s;
    for (let i = 0; i < batch && s.getTime() <= last.getTime(); i++) {
      lastInBatch = s;
      s = addPartitions(s, g, 1);
      if (++count > max) throw new RangeError(`more than ${max} ${g} partitions to run from ${partitionKey(start, g)}; pass an explicit range`);
    }
    out.push({ key: partitionKey(batchStart, g), lastKey: partitionKey(lastInBatch, g), start: batchStart, end: s });
  }
  return out;
}

/** A partition bound as a SQL literal: `TIMESTAMP '2026-01-02 05:00:00'` for hours, `DATE '2026-01-02'` otherwise. */
export function boundLiteral(date: Date, grain: Granularity): string {
  const iso = date.toISOString();
  return grain === "hour" ? `TIMESTAMP '${iso.slice(0, 10)} ${iso.slice(11, 19)}'` : `DATE '${iso.slice(0, 10)}'`;
}

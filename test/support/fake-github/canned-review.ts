/**
 * Canned RenderedReview fixtures for the publisher and shell tests (the real review core is
 * exercised separately on a fixture git repository).
 */
import type { CheckAnnotation, CheckConclusion, CheckName, InlineComment, RenderedCheck, RenderedReview, Verdict } from "../../../review/src/report/rendered.js";
import { CHECK_NAMES } from "../../../review/src/report/rendered.js";

/** A patch for models/orders.sql: head lines 1-6, lines 3-4 added. */
export const ORDERS_PATCH = "@@ -1,4 +1,6 @@\n select\n   id,\n+  amount::double as amount,\n+  date_trunc('month', ordered_at) as month,\n   customer_id\n from raw.orders";

export interface CannedOptions {
  readonly verdict?: Verdict;
  readonly comment?: string;
  readonly conclusions?: Partial<Record<CheckName, CheckConclusion>>;
  readonly inline?: readonly InlineComment[];
  readonly annotations?: number;
  readonly touchesNoModels?: boolean;
  readonly errors?: number;
}

export function p001Inline(line = 3): InlineComment {
  return {
    path: "models/orders.sql",
    line,
    side: "RIGHT",
    body: "**P001** `::double` is not portable to Databricks.\n```suggestion\n  cast(amount as double) as amount,\n```",
    fingerprint: `P001:orders:amount:${line}`,
  };
}

export function annotation(i: number): CheckAnnotation {
  return { path: "models/orders.sql", start_line: 3, end_line: 3, start_column: 3, end_column: 9, annotation_level: "warning", title: `P001 finding ${i}`, message: `finding number ${i}` };
}

export function cannedReview(options: CannedOptions = {}): RenderedReview {
  const verdict = options.verdict ?? "fail";
  const checks: RenderedCheck[] = CHECK_NAMES.map((name) => {
    const conclusion = options.conclusions?.[name] ?? (options.touchesNoModels ? "skipped" : name === "rocky/portability" && verdict === "fail" ? "failure" : "success");
    const annotations = name === "rocky/portability" ? Array.from({ length: options.annotations ?? 1 }, (_, i) => annotation(i)) : [];
    return { name, conclusion, title: `${name}: ${conclusion}`, summary: `## ${name}\n\nconclusion ${conclusion}`, text: "", annotations };
  });
  return {
    reportVersion: 1,
    verdict,
    counts: { error: options.errors ?? (verdict === "fail" ? 1 : 0), warning: 2, info: 0 },
    comment: options.comment ?? `## Rocky review: ${verdict}\n\n1 error, 2 warnings.\n\n| model | change |\n| --- | --- |\n| orders | amount type changed |`,
    headline: `Rocky review: ${verdict} (1 error)`,
    checks,
    inlineComments: options.inline ?? [p001Inline()],
    touchesNoModels: options.touchesNoModels ?? false,
    outputs: { changedColumns: 2, blastRadius: 7, costDeltaUsdPerMonth: 12.5 },
  };
}

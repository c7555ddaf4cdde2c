import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { annotationBatchesOf, formatExternalId, parseExternalId } from "../../review/src/github/check-runs.js";
import { commentFitsDiff, parsePatchLines } from "../../review/src/github/diff-lines.js";
import { clampBytes, clampChars } from "../../review/src/github/limits.js";
import { isProjectFingerprint, parseFingerprints, parseStamp, stampComment, verdictWorse, withFingerprint } from "../../review/src/github/markers.js";
import { mentionable } from "../../review/src/github/sticky-comment.js";
import { parseFailOn } from "../../review/src/report/parse-fail-on.js";
import { createResiliencePlugin, retryDecision, WritePacer } from "../../review/src/github/resilience.js";
import { parseSavedReview } from "../../review/src/github/saved-review.js";
import { annotation, cannedReview } from "../support/fake-github/canned-review.js";

describe("diff lines", () => {
  const patch = "@@ -1,3 +1,4 @@\n a\n-b\n+B\n+C\n c\n@@ -20,2 +21,3 @@ def\n x\n+y\n z\n\\ No newline at end of file";

  test("head-side lines are added and context lines of every hunk", () => {
    const file = parsePatchLines(patch);

    assert.deepEqual([...file.lines], [1, 2, 3, 4, 21, 22, 23]);
    assert.deepEqual(file.hunks, [
      { start: 1, end: 4 },
      { start: 21, end: 23 },
    ]);
  });

  test("multi-line comments must stay in one hunk", () => {
    const file = parsePatchLines(patch);

    assert.equal(commentFitsDiff(file, 4, 2), true);
    assert.equal(commentFitsDiff(file, 22, 4), false);
    assert.equal(commentFitsDiff(file, 5), false);
    assert.equal(commentFitsDiff(parsePatchLines(undefined), 1), false);
  });

  test("a LEFT comment fits only a base line the patch deletes, single-line", () => {
    const file = parsePatchLines(patch);

    assert.deepEqual([...file.deleted], [2]);
    assert.equal(commentFitsDiff(file, 2, undefined, "LEFT"), true);
    assert.equal(commentFitsDiff(file, 1, undefined, "LEFT"), false, "a context line is the head's (RIGHT)");
    assert.equal(commentFitsDiff(file, 20, undefined, "LEFT"), false);
    assert.equal(commentFitsDiff(file, 2, 1, "LEFT"), false);
    assert.equal(commentFitsDiff(parsePatchLines("@@ -1,2 +0,0 @@\n-a\n-b"), 2, undefined, "LEFT"), true, "a deleted file's lines");
  });
});

describe("fail-on", () => {
  test("one level for all checks, or per check with or without the rocky/ prefix", () => {
    const all = parseFailOn("warning");
    const per = parseFailOn("contracts=warning, rocky/cost=never");

    assert.ok(all.ok && Object.values(all.value).every((l) => l === "warning"));
    assert.ok(per.ok && per.value["rocky/contracts"] === "warning" && per.value["rocky/cost"] === "never" && per.value["rocky/compile"] === "error");
  });

  test("mistakes name the bad part", () => {
    const unknown = parseFailOn("contract=error");
    const level = parseFailOn("cost=sometimes");

    assert.ok(!unknown.ok && /unknown check "contract"/.test(unknown.error));
    assert.ok(!level.ok && /cost=sometimes/.test(level.error));
  });
});

describe("markers", () => {
  test("a fingerprint read back belongs to the project that wrote it, and an unnamed project's to none of the named ones", () => {
    assert.equal(isProjectFingerprint("finance:0123456789abcdef", "finance"), true);
    assert.equal(isProjectFingerprint("finance/eu:0123456789abcdef", "finance"), false);
    assert.equal(isProjectFingerprint("finance:0123456789abcdef"), false);
    assert.equal(isProjectFingerprint("0123456789abcdef"), true);
    assert.equal(isProjectFingerprint("0123456789abcdef", "finance"), false);
    // Hand-made fingerprints with colons (older tests, saved reviews) stay the unnamed project's.
    assert.equal(isProjectFingerprint("P001:orders:amount:3"), true);
  });

  test("the stamp round-trips and survives hostile bodies", () => {
    const body = stampComment("hi --> <!-- rocky-review:meta {} -->", { head_sha: "abc1234def", generated_at: "2026-01-01T00:00:00.000Z", body_hash: "h", verdict: "advisory" });

    assert.deepEqual(parseStamp(body), { head_sha: "abc1234def", generated_at: "2026-01-01T00:00:00.000Z", body_hash: "h", verdict: "advisory" });
  });

  test("one footer: the stamp joins the rendered footer's line and says what the comment mode does next", () => {
    const meta = { head_sha: "abc1234def", generated_at: "2026-01-01T00:00:00.000Z", body_hash: "h", verdict: "pass" as const };
    const rendered = "## ✅ Rocky review: pass\n\n---\n<sub>Rocky Review · report v1 · `abc1234` vs `main` at merge-base 0123456</sub>\n";

    const updated = stampComment(rendered, meta, "update");
    const hidden = stampComment(rendered, meta, "hide-and-new");

    for (const body of [updated, hidden]) assert.equal(body.match(/<sub>/g)?.length, 1, body);
    assert.match(updated, /<sub>Rocky Review · report v1 · `abc1234` vs `main` at merge-base 0123456 · reviewed at 2026-01-01 00:00 UTC · this comment is edited in place by the next review<\/sub>$/);
    assert.match(hidden, /· a new review is posted as a new comment and this one hidden<\/sub>$/);
    assert.doesNotMatch(hidden, /edited in place/);
  });

  test("only a user's login is mentioned: bots and malformed logins are not", () => {
    assert.equal(mentionable("analyst"), true);
    assert.equal(mentionable("data-eng-1"), true);
    for (const login of ["renovate[bot]", "dependabot[bot]", "github-actions[bot]", "-x", "a--b", "", undefined]) assert.equal(mentionable(login), false, String(login));
  });

  test("fingerprints cannot close the HTML comment early", () => {
    const body = withFingerprint("x", "P001:a-->b c");

    assert.deepEqual(parseFingerprints(body), ["P001:a--_b_c"]);
  });

  test("verdict order", () => {
    assert.equal(verdictWorse("pass", "advisory"), true);
    assert.equal(verdictWorse("fail", "advisory"), false);
  });

  test("external ids carry PR, run and hash", () => {
    assert.deepEqual(parseExternalId(formatExternalId({ pr: 12, run: "abc;1", hash: "ff" })), { pr: 12, run: "abc_1", hash: "ff" });
    assert.equal(parseExternalId("someone-else"), undefined);
  });
});

describe("limits", () => {
  test("bytes are clamped without splitting a character", () => {
    const clamped = clampBytes("é".repeat(40_000), 65_535);

    assert.ok(Buffer.byteLength(clamped) <= 65_535);
    assert.ok(!clamped.includes("\uFFFD"));
    assert.ok([...clampChars("😀".repeat(70_000), 65_536)].length <= 65_536);
  });

  test("annotations: batches of 50, columns only on one line", () => {
    const batches = annotationBatchesOf([...Array.from({ length: 120 }, (_, i) => annotation(i)), { ...annotation(999), end_line: 5 }], 121);

    assert.deepEqual(
      batches.map((b) => b.length),
      [50, 50, 21],
    );
    assert.equal(batches[2][20].start_column, undefined);
    assert.equal(batches[0][0].start_column, 3);
  });
});

describe("retry decisions", () => {
  const err = (status: number, headers: Record<string, string> = {}, message = "") => ({ status, response: { headers, data: { message } } });

  test("5xx and 429 back off; secondary limits honour retry-after; other 4xx do not retry", () => {
    assert.deepEqual(retryDecision(err(502), 0, { baseDelayMs: 10 }), { retry: true, delayMs: 10, reason: "HTTP 502" });
    assert.equal((retryDecision(err(502), 2, { baseDelayMs: 10 }) as { delayMs: number }).delayMs, 40);
    assert.equal((retryDecision(err(403, { "retry-after": "3" }, "secondary rate limit"), 0) as { delayMs: number }).delayMs, 3000);
    assert.equal((retryDecision(err(403, {}, "You have exceeded a secondary rate limit"), 0, { secondaryFallbackMs: 60_000 }) as { delayMs: number }).delayMs, 60_000);
    assert.equal(retryDecision(err(403, {}, "Resource not accessible by integration"), 0).retry, false);
    assert.equal(retryDecision(err(422), 0).retry, false);
    assert.equal(retryDecision(err(502), 4, { retries: 4 }).retry, false);
  });

  test("primary rate limit waits until the reset", () => {
    const decision = retryDecision(err(403, { "x-ratelimit-remaining": "0", "x-ratelimit-reset": "100" }), 0, { now: () => 95_000 });

    assert.deepEqual(decision, { retry: true, delayMs: 6000, reason: "primary rate limit" });
  });

  test("writes are serialized and spaced", async () => {
    let clock = 0;
    const sleeps: number[] = [];
    const pacer = new WritePacer({
      writeSpacingMs: 250,
      writesPerMinute: 3,
      now: () => clock,
      sleep: async (ms) => {
        sleeps.push(ms);
        clock += ms;
      },
    });
    const order: number[] = [];

    await Promise.all([1, 2, 3, 4].map((n) => pacer.run(async () => order.push(n))));

    assert.deepEqual(order, [1, 2, 3, 4]);
    assert.deepEqual(sleeps, [250, 250, 250, 59_250]);
  });
});

describe("resilience plugin", () => {
  type Wrapper = (request: (o: unknown) => Promise<unknown>, options: { method: string; url: string; request?: { signal?: AbortSignal } }) => Promise<unknown>;
  function instance(plugin: ReturnType<typeof createResiliencePlugin>, installationId?: number): Wrapper {
    let wrapper: Wrapper | undefined;
    plugin({ hook: { wrap: (_name: "request", w: Wrapper) => void (wrapper = w) } }, installationId === undefined ? {} : { auth: { installationId } });
    return wrapper as Wrapper;
  }

  test("the per-minute write cap is per installation; reads are never paced", async () => {
    const sleeps: number[] = [];
    const plugin = createResiliencePlugin({ writeSpacingMs: 0, writesPerMinute: 1, now: () => 0, sleep: async (ms) => void sleeps.push(ms) });
    const write = { method: "POST", url: "/repos/o/r/issues/1/comments" };
    const ok = async () => ({ status: 201 });

    await instance(plugin, 1)(ok, write);
    await instance(plugin, 2)(ok, write);
    await instance(plugin, 1)(ok, { method: "GET", url: "/repos/o/r/pulls/1" });
    assert.deepEqual(sleeps, []);
    await instance(plugin, 1)(ok, write);
    assert.deepEqual(sleeps, [60_000]);
  });

  test("a 502 is retried, a 422 is not", async () => {
    const plugin = createResiliencePlugin({ baseDelayMs: 1, writeSpacingMs: 0 });
    let calls = 0;
    const flaky = async () => {
      calls += 1;
      if (calls < 3) throw Object.assign(new Error("bad gateway"), { status: 502 });
      return { status: 200 };
    };

    assert.deepEqual(await instance(plugin)(flaky, { method: "GET", url: "/repos/o/r" }), { status: 200 });
    assert.equal(calls, 3);
    await assert.rejects(instance(plugin)(async () => Promise.reject(Object.assign(new Error("invalid"), { status: 422 })), { method: "POST", url: "/repos/o/r/check-runs" }), /invalid/);
  });
});

describe("saved reviews", () => {
  test("round-trip and rejection of foreign files", () => {
    const saved = { kind: "rocky-review", version: 1, generatedAt: "x", rendered: cannedReview(), report: {} };

    assert.equal(parseSavedReview(JSON.stringify(saved)).ok, true);
    assert.equal(parseSavedReview("{}").ok, false);
    const badFingerprints = parseSavedReview(JSON.stringify({ ...saved, rendered: { ...saved.rendered, findingFingerprints: "P001" } }));
    assert.ok(!badFingerprints.ok && /rendered\.findingFingerprints/.test(badFingerprints.error));
    assert.equal(parseSavedReview(JSON.stringify({ ...saved, rendered: { ...saved.rendered, findingFingerprints: ["a1b2"] } })).ok, true);
    assert.equal(parseSavedReview("nope").ok, false);
  });
});

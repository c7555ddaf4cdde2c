/**
 * Measurement (not a test): webhook to posted comment for the App on the generated 1k-model
 * project, with the real review core, real git fetch over file://, real Probot against the fake
 * GitHub; and GitHub requests per review.
 *
 *   node --import tsx test/app/measure-webhook.ts [models=1000] [writeSpacingMs (default: the production default)]
 */
import { performance } from "node:perf_hooks";
import { gitFetcher } from "../../app/src/fetch-repo.js";
import { startAppServer } from "../../app/src/start-server.js";
import { defaultReviewRunner, memoryDeliveryLog } from "../../review/src/github/shell-ports.js";
import { type FakeGitHub, startFakeGitHub } from "../support/fake-github.js";
import { createGitFixture, pullFile } from "../support/git-fixture.js";
import { deliver, pullRequestEvent } from "../support/webhooks.js";
import { APP_ID, appKeys, cacheDir, SECRET } from "./app-fixtures.js";
import { Probot } from "probot";
import { rockyProbotOctokit } from "../../app/src/probot-octokit.js";

const models = Number(process.argv[2] ?? 1000);
const writeSpacingMs = process.argv[3] === undefined ? undefined : Number(process.argv[3]);
// @ts-expect-error: plain .mjs generator without types
const { generateProject } = (await import("../../bench/generate-project.mjs")) as { generateProject(n: number): Map<string, string> | Record<string, string> };

const generated = generateProject(models);
const base = generated instanceof Map ? Object.fromEntries(generated) : generated;
const stg = Object.keys(base).find((k) => /models\/stg_\d+\.sql$/.test(k)) ?? "";
const head = { [stg]: base[stg].replace("    amount,", "    CAST(amount AS DOUBLE) AS amount,").replace("LOWER(status) AS status", "UPPER(status) AS status") };
const repo = createGitFixture({ base, head, headIsPatch: true });
repo.git("update-ref", "refs/pull/2/head", repo.headSha);

const gh: FakeGitHub = await startFakeGitHub({ appId: APP_ID, appPublicKey: appKeys().publicKey });
gh.addPull({ number: 2, headSha: repo.headSha, baseSha: repo.baseSha, files: [pullFile(repo, stg)] });
const probot = new Probot({ appId: APP_ID, privateKey: appKeys().privateKey, secret: SECRET, baseUrl: gh.url, logLevel: "fatal", Octokit: rockyProbotOctokit({ writeSpacingMs }) });
const phases: Record<string, number> = {};
const fetchRepo = gitFetcher({ cacheDir: cacheDir(), urlTemplate: `file://${repo.dir}` });
const timed = <A extends unknown[], R>(name: string, fn: (...args: A) => Promise<R>) => async (...args: A): Promise<R> => {
  const t = performance.now();
  try {
    return await fn(...args);
  } finally {
    phases[name] = Math.round(performance.now() - t);
  }
};
const app = await startAppServer(probot, { review: timed("reviewMs", defaultReviewRunner), fetchRepo: timed("gitFetchMs", fetchRepo), deliveries: memoryDeliveryLog() });

async function once(label: string, delivery: string, action: "opened" | "reopened"): Promise<void> {
  gh.comments.length = 0;
  gh.clearRequests();
  const t0 = performance.now();
  const response = await deliver(app.url, { event: "pull_request", payload: pullRequestEvent({ action, headSha: repo.headSha, baseSha: repo.baseSha }), delivery, secret: SECRET });
  const ack = performance.now() - t0;
  while (gh.comments.length === 0) await new Promise((r) => setTimeout(r, 5));
  const posted = performance.now() - t0;
  await app.idle();
  const writes = gh.writes().length;
  const reads = gh.requests.filter((r) => r.method === "GET").length;
  console.log(JSON.stringify({ label, models, writeSpacingMs, status: response.status, ackMs: Math.round(ack), webhookToPostedMs: Math.round(posted), writes, reads, invalid: gh.invalid().length, comment: gh.comments.length, ...phases }));
}

await once("cold (first clone, cold compile)", "m-1", "opened");
gh.comments.length = 0;
await once("warm (fetch, same PR again)", "m-2", "reopened");
await app.close();
await gh.close();
repo.cleanup();

/**
 * `npm start` / `node app/dist/server.js`: the App from the environment.
 *   APP_ID, PRIVATE_KEY (or PRIVATE_KEY_PATH), WEBHOOK_SECRET   required (Probot's names; also read from ./.env)
 *   GHE_HOST (+ GHE_PROTOCOL)                                     GitHub Enterprise Server
 *   PORT (3000), HOST (0.0.0.0), LOG_LEVEL (info)                 server
 *   ROCKY_CLONE_URL_TEMPLATE   default https://{host}/{owner}/{repo}.git
 *   ROCKY_CACHE_DIR            clones and the lmdb state store (default ./.rocky-app)
 *   ROCKY_BOT_LOGIN            e.g. rocky-review[bot]
 *   ROCKY_GITHUB_*             retry/pacing knobs (review/src/github/resilience.ts)
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseEnv } from "node:util";
import { createProbot, run } from "probot";
import { buildSalt } from "../../engine/src/compile/build-salt.js";
import { cachedReviewRunner, resilienceFromEnv } from "../../review/src/github/index.js";
import { appWarehouse } from "./app-warehouse.js";
import { lmdbDeliveryLog } from "./delivery-log.js";
import { gitFetcher } from "./fetch-repo.js";
import { rockyProbotOctokit } from "./probot-octokit.js";
import { type ServerConfig, serverConfig } from "./server-config.js";
import { startAppServer } from "./start-server.js";

// The manifest flow writes APP_ID, PRIVATE_KEY and WEBHOOK_SECRET into ./.env: read it before
// looking for credentials (the environment wins over the file).
loadDotEnv(join(process.cwd(), ".env"));
const env = process.env;
const missing = ["APP_ID", "WEBHOOK_SECRET"].filter((name) => !env[name]);
if (!env.PRIVATE_KEY && !env.PRIVATE_KEY_PATH) missing.push("PRIVATE_KEY");
const unregistered = !env.APP_ID && !env.PRIVATE_KEY && !env.PRIVATE_KEY_PATH;
if (unregistered && env.ROCKY_APP_SETUP === "1") {
  // GitHub's manifest flow: Probot's setup page registers the App from ./app.yml and writes .env.
  // Probot's no-op app runs only here, never beside credentials. No smee.io channel: this server
  // does not read one, so the manifest's webhook URL is the address the set-up page is opened at.
  env.NO_SMEE_SETUP ??= "true";
  console.log(
    `rocky-review app: no credentials; open the set-up page at the address GitHub will send webhooks to (http://localhost:${env.PORT ?? 3000} only reaches a local GitHub Enterprise), click "Register GitHub App" (uses app.yml; the webhook URL is that address), then run npm start again.`,
  );
  await run(() => undefined);
} else if (missing.length > 0) {
  console.error(`rocky-review app: missing ${missing.join(", ")}. Create the App from app.yml (ROCKY_APP_SETUP=1 npm start runs GitHub's manifest flow), then set them; see docs/github.md.`);
  process.exit(1);
} else {
  // Each mistake in the settings is one line naming the variable, never a stack trace.
  const config = serverConfig(env, process.cwd());
  if (!config.ok) {
    console.error(`rocky-review app: ${config.problem}`);
    process.exit(1);
  }
  await serve(config.value).catch((error: unknown) => {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === "EADDRINUSE" ? `port ${config.value.port} is already in use: set PORT to a free port` : code === "EACCES" ? `port ${config.value.port} needs privileges: set PORT above 1023` : error instanceof Error ? error.message : String(error);
    console.error(`rocky-review app: could not start: ${why}.`);
    process.exit(1);
  });
}

/** KEY=value lines of a dotenv file (Probot's format) into the environment, never over a set variable. */
function loadDotEnv(path: string): void {
  if (!existsSync(path)) return;
  for (const [key, value] of Object.entries(parseEnv(readFileSync(path, "utf8")))) if (process.env[key] === undefined) process.env[key] = value;
}

async function serve(config: ServerConfig): Promise<void> {
  // LOG_LEVEL defaults to info (Probot's is warn): "listening on", one line per review, warnings.
  const probot = createProbot({ overrides: { Octokit: rockyProbotOctokit(resilienceFromEnv(env)), appId: config.appId, privateKey: config.privateKey, logLevel: config.logLevel as "info" } });
  const cacheDir = env.ROCKY_CACHE_DIR ?? join(process.cwd(), ".rocky-app");
  const deliveries = await lmdbDeliveryLog(join(cacheDir, "state"));
  const reviewRunner = cachedReviewRunner(join(cacheDir, "compile-cache"), buildSalt(import.meta.url, "app"), (message) => probot.log.warn(message));
  const running = await startAppServer(
    probot,
    {
      // One compile cache for every repository the App reviews (entries are keyed by content).
      review: reviewRunner,
      fetchRepo: gitFetcher({ cacheDir: join(cacheDir, "repos"), urlTemplate: env.ROCKY_CLONE_URL_TEMPLATE, host: env.GHE_HOST ?? "github.com" }),
      deliveries,
      botLogin: env.ROCKY_BOT_LOGIN,
      progressChecks: env.ROCKY_PROGRESS_CHECKS === "on" || env.ROCKY_PROGRESS_CHECKS === "true",
      // Warehouse credentials come from the App's environment (SNOWFLAKE_*, DATABRICKS_*), never
      // from the PR: the adapter is read from the base commit's rocky.toml, `${VAR}` stays empty.
      // One state store per repository and project: branch records and watermarks are theirs.
      warehouseFor: appWarehouse({ cacheDir, secrets: env, log: (message) => probot.log.info(message) }),
    },
    { port: config.port, host: config.host },
  );
  probot.log.info(`rocky-review app listening on ${running.url} (webhooks at /api/github/webhooks)`);

  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      void running
        .close()
        .then(() => deliveries.close())
        .then(() => reviewRunner.close())
        .then(() => process.exit(0));
    });
  }
}

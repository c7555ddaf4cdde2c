/**
 * Runs the bundled Action the way a GitHub runner does: `node action/dist/index.js` in a child
 * process (async spawn: the fake GitHub lives in this process) with INPUT_* (hyphens kept),
 * GITHUB_EVENT_PATH, GITHUB_API_URL, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY and friends.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const ACTION_BUNDLE = fileURLToPath(new URL("../../action/dist/index.js", import.meta.url));

export interface ActionRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly outputs: Record<string, string>;
  readonly summary: string;
  readonly dir: string;
}

export interface ActionRunOptions {
  readonly apiUrl: string;
  readonly event: string;
  readonly payload: unknown;
  readonly inputs: Readonly<Record<string, string>>;
  readonly workspace?: string;
  readonly env?: Readonly<Record<string, string>>;
  /** Another copy of the bundle (e.g. in a folder with no node_modules, as on a runner). */
  readonly bundle?: string;
}

/** Defaults the runner would fill in from action.yml. */
const ACTION_DEFAULTS: Readonly<Record<string, string>> = { "working-directory": ".", comment: "update", "branch-schema": "off", "production-run": "off", "inline-comments": "on", "max-inline-comments": "30", "resolve-threads": "on" };

export async function runAction(options: ActionRunOptions): Promise<ActionRun> {
  const dir = mkdtempSync(join(tmpdir(), "rocky-action-"));
  const files = { GITHUB_EVENT_PATH: join(dir, "event.json"), GITHUB_OUTPUT: join(dir, "output"), GITHUB_STEP_SUMMARY: join(dir, "summary.md"), GITHUB_ENV: join(dir, "env"), GITHUB_PATH: join(dir, "path"), GITHUB_STATE: join(dir, "state") };
  writeFileSync(files.GITHUB_EVENT_PATH, JSON.stringify(options.payload));
  for (const [key, path] of Object.entries(files)) if (key !== "GITHUB_EVENT_PATH") writeFileSync(path, "");
  const inputs = { ...ACTION_DEFAULTS, ...options.inputs };
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? dir,
    CI: "true",
    GITHUB_ACTIONS: "true",
    GITHUB_EVENT_NAME: options.event,
    GITHUB_REPOSITORY: "Codertocat/Hello-World",
    GITHUB_REPOSITORY_OWNER: "Codertocat",
    GITHUB_SHA: "0".repeat(39) + "1",
    GITHUB_REF: "refs/pull/2/merge",
    GITHUB_API_URL: options.apiUrl,
    GITHUB_GRAPHQL_URL: `${options.apiUrl}/graphql`,
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_WORKSPACE: options.workspace ?? dir,
    RUNNER_TEMP: dir,
    RUNNER_OS: "Linux",
    GITHUB_RUN_ID: "4242",
    GITHUB_RUN_ATTEMPT: "1",
    GITHUB_RUN_NUMBER: "7",
    GITHUB_ACTOR: "analyst",
    GITHUB_WORKFLOW: "rocky",
    GITHUB_JOB: "review",
    GITHUB_ACTION: "__self",
    // Fast retries against the fake.
    ROCKY_GITHUB_RETRY_BASE_MS: "5",
    ROCKY_GITHUB_RETRY_AFTER_UNIT_MS: "5",
    ROCKY_GITHUB_WRITE_SPACING_MS: "0",
    ...files,
    ...Object.fromEntries(Object.entries(inputs).map(([name, value]) => [`INPUT_${name.replace(/ /g, "_").toUpperCase()}`, value])),
    ...(options.env ?? {}),
  };
  const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [options.bundle ?? ACTION_BUNDLE], { env, cwd: options.workspace ?? dir });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
  return { ...result, outputs: parseOutputs(readFileSync(files.GITHUB_OUTPUT, "utf8")), summary: readFileSync(files.GITHUB_STEP_SUMMARY, "utf8"), dir };
}

/** Parses `name<<delimiter\nvalue\ndelimiter` blocks written by @actions/core. */
export function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i += 1) {
    const match = /^([^<]+)<<(.+)$/.exec(lines[i]);
    if (!match) continue;
    const value: string[] = [];
    for (i += 1; i < lines.length && lines[i] !== match[2]; i += 1) value.push(lines[i]);
    outputs[match[1]] = value.join("\n");
  }
  return outputs;
}

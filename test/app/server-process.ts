/**
 * Runs app/src/server.ts as `npm start` would (a child process, its own cwd and environment),
 * for the set-up and start-up tests.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { copyFileSync, mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const SERVER = join(ROOT, "app", "src", "server.ts");
const TSX = import.meta.resolve("tsx");

export interface ServerProcess {
  readonly url: string;
  readonly port: number;
  readonly child: ChildProcess;
  output(): string;
  /** Resolves with the exit code (stops the process first unless it already exited). */
  stop(): Promise<number | null>;
  exited(): Promise<number | null>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A directory to run the App from, with the repository's app.yml and package.json (the manifest flow reads both from the cwd). */
export function appWorkDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "rocky-app-cwd-"));
  copyFileSync(join(ROOT, "app.yml"), join(dir, "app.yml"));
  copyFileSync(join(ROOT, "package.json"), join(dir, "package.json"));
  return dir;
}

/** Starts the server; `env` replaces the inherited environment (PATH and HOME kept). */
export async function startServerProcess(options: { readonly cwd: string; readonly env: Readonly<Record<string, string>> }): Promise<ServerProcess> {
  const port = await freePort();
  const chunks: string[] = [];
  const child = spawn(process.execPath, ["--import", TSX, SERVER], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? "", HOME: options.cwd, HOST: "127.0.0.1", PORT: String(port), ROCKY_CACHE_DIR: join(options.cwd, ".rocky-app"), ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (d) => chunks.push(String(d)));
  child.stderr?.on("data", (d) => chunks.push(String(d)));
  const exit = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  let done = false;
  void exit.then(() => {
    done = true;
  });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    child,
    output: () => chunks.join(""),
    exited: () => exit,
    async stop() {
      if (!done) child.kill("SIGTERM");
      return exit;
    },
  };
}

/** Waits until `path` answers (any status) or the process exits; true when it answered. */
export async function waitForHttp(server: ServerProcess, path = "/healthz", timeoutMs = 30_000): Promise<boolean> {
  let exited = false;
  void server.exited().then(() => {
    exited = true;
  });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !exited) {
    try {
      await fetch(`${server.url}${path}`);
      return true;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return false;
}

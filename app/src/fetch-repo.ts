import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { gitClient } from "../../review/src/github/git-client.js";

/**
 * Gets the commits a review needs into a local repository with simple-git over HTTPS, with the
 * installation token sent as an HTTP header (never written to the git config). One repository per
 * owner/repo under `cacheDir`, fetched incrementally; git work per repository is serialized.
 * `urlTemplate` ({host}, {owner}, {repo}, {token}) lets tests use a local bare repository.
 */

export interface FetchRepoInput {
  readonly owner: string;
  readonly repo: string;
  readonly token: string;
  /** Refs to fetch, e.g. `refs/heads/main`, `refs/pull/2/head`; each is then the local ref `fetchedRef(ref)`, at the remote's current tip. */
  readonly refs: readonly string[];
  /** Commits that must be present afterwards. */
  readonly shas: readonly string[];
}

export type FetchRepo = (input: FetchRepoInput) => Promise<string>;

export interface GitFetcherOptions {
  readonly cacheDir: string;
  /** Default `https://{host}/{owner}/{repo}.git`. */
  readonly urlTemplate?: string;
  /** Host for the default template (github.com, or the GHES host). */
  readonly host?: string;
}

export function gitFetcher(options: GitFetcherOptions): FetchRepo {
  const locks = new Map<string, Promise<unknown>>();
  return async (input) => {
    const dir = join(options.cacheDir, `${safe(input.owner)}__${safe(input.repo)}`);
    const previous = locks.get(dir) ?? Promise.resolve();
    const work = previous.then(
      () => fetchInto(dir, input, options),
      () => fetchInto(dir, input, options),
    );
    locks.set(dir, work);
    await work;
    return dir;
  };
}

async function fetchInto(dir: string, input: FetchRepoInput, options: GitFetcherOptions): Promise<void> {
  if (!existsSync(join(dir, ".git"))) {
    mkdirSync(dir, { recursive: true });
    await gitClient(dir).init();
  }
  const url = (options.urlTemplate ?? "https://{host}/{owner}/{repo}.git")
    .replaceAll("{host}", options.host ?? "github.com")
    .replaceAll("{owner}", encodeURIComponent(input.owner))
    .replaceAll("{repo}", encodeURIComponent(input.repo))
    .replaceAll("{token}", encodeURIComponent(input.token));
  const basic = Buffer.from(`x-access-token:${input.token}`).toString("base64");
  const header = `AUTHORIZATION: basic ${basic}`;
  const git = gitClient(dir, url.startsWith("https://") ? [`http.extraheader=${header}`] : []);
  const refspecs = input.refs.map((ref) => `+${ref}:${fetchedRef(ref)}`);
  try {
    await fetchCommits(git, url, refspecs, input.shas);
  } catch (error) {
    // simple-git's error carries the command line (the clone URL, with the token when the
    // template has {token}); it is logged and shown on the check run: keep only a scrubbed message.
    throw new Error(`git fetch of ${input.owner}/${input.repo} failed: ${scrub(error instanceof Error ? error.message : String(error), [input.token, encodeURIComponent(input.token), basic]).trim()}`);
  }
}

async function fetchCommits(git: ReturnType<typeof gitClient>, url: string, refspecs: readonly string[], shas: readonly string[]): Promise<void> {
  await git.raw(["fetch", "--no-tags", "--quiet", url, ...refspecs]);
  const missing: string[] = [];
  for (const sha of shas) {
    try {
      await git.raw(["cat-file", "-e", `${sha}^{commit}`]);
    } catch {
      missing.push(sha);
    }
  }
  // GitHub serves reachable commits by SHA; try them directly when no ref brought them.
  if (missing.length > 0) await git.raw(["fetch", "--no-tags", "--quiet", url, ...missing]);
}

/** The local ref a fetched remote ref is kept under (`refs/heads/main` → `refs/rocky/heads/main`), forced to the remote's tip on every fetch. */
export function fetchedRef(ref: string): string {
  return `refs/rocky/${ref.replace(/^refs\//, "")}`;
}

/** `text` with every secret replaced by `***`. */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret) out = out.replaceAll(secret, "***");
  return out;
}

function safe(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, "_");
}

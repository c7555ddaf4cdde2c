/**
 * The slice of Octokit the publisher uses. Both shells pass their own Octokit (Probot's
 * `context.octokit`, `@actions/github`'s `getOctokit()`): their TypeScript types differ although
 * they share one @octokit/core at run time, so the shells hand it over through `asGitHubClient`.
 */

export interface GitHubResponse {
  readonly status: number;
  /** JSON of many shapes; each caller reads the fields it needs. */
  readonly data: any;
  readonly headers: Readonly<Record<string, string | number | undefined>>;
}

export interface GitHubClient {
  request(route: string, params?: Record<string, unknown>): Promise<GitHubResponse>;
  graphql(query: string, params?: Record<string, unknown>): Promise<unknown>;
}

/** Any Octokit instance (Probot's, @actions/github's, @octokit/rest's) as the publisher's client. */
export function asGitHubClient(octokit: object): GitHubClient {
  const candidate = octokit as Partial<GitHubClient>;
  if (typeof candidate.request !== "function" || typeof candidate.graphql !== "function") {
    throw new TypeError("asGitHubClient: expected an Octokit instance with request() and graphql()");
  }
  return candidate as GitHubClient;
}

/** An Octokit RequestError's status, or undefined for other errors. */
export function errorStatus(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === "number" ? status : undefined;
}

/** GitHub's message for a failed request (from the response body when there is one). */
export function errorMessage(error: unknown): string {
  const e = error as { message?: unknown; response?: { data?: { message?: unknown } } } | null;
  const fromBody = e?.response?.data?.message;
  if (typeof fromBody === "string" && fromBody.length > 0) return fromBody;
  return typeof e?.message === "string" ? e.message : String(error);
}

/** 403 "Resource not accessible by integration": the token may not write here (fork PR, read-only GITHUB_TOKEN). */
export function isReadOnlyTokenError(error: unknown): boolean {
  return errorStatus(error) === 403 && /not accessible by integration|must have (admin|push|write) access/i.test(errorMessage(error));
}

/** Pages through a list endpoint (per_page 100) and returns every item, up to `maxPages`. */
export async function paginate<T>(
  client: GitHubClient,
  route: string,
  params: Record<string, unknown>,
  options: { readonly maxPages?: number; readonly itemsKey?: string } = {},
): Promise<T[]> {
  const items: T[] = [];
  const maxPages = options.maxPages ?? 30;
  for (let page = 1; page <= maxPages; page += 1) {
    const response = await client.request(route, { ...params, per_page: 100, page });
    const data = options.itemsKey ? response.data?.[options.itemsKey] : response.data;
    const batch: T[] = Array.isArray(data) ? data : [];
    items.push(...batch);
    if (batch.length < 100) break;
  }
  return items;
}

/** "POST /repos/o/r/check-runs" for a failed Octokit request (method and path, no host or query). */
export function failedRequest(error: unknown): string | undefined {
  const request = (error as { request?: { method?: unknown; url?: unknown } } | null)?.request;
  if (typeof request?.method !== "string" || typeof request.url !== "string") return undefined;
  try {
    return `${request.method} ${new URL(request.url).pathname}`;
  } catch {
    return `${request.method} ${request.url}`;
  }
}

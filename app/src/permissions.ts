/**
 * The permissions the App needs (app.yml's default_permissions), and a warning when an
 * installation's token lacks one: GitHub answers the requests it does not cover with a bare 403
 * "Resource not accessible by integration", which names no permission. Every installation token
 * GitHub creates lists its permissions; each new token (hourly) is compared with these.
 */

type Level = "read" | "write";

export const REQUIRED_PERMISSIONS: Readonly<Record<string, { readonly level: Level; readonly label: string; readonly why: string }>> = {
  checks: { level: "write", label: "Checks", why: "the rocky/* check runs cannot be posted" },
  pull_requests: { level: "write", label: "Pull requests", why: "the PR cannot be read and the comment and inline review cannot be posted" },
  issues: { level: "read", label: "Issues", why: "GitHub does not deliver /rocky commands (issue_comment)" },
  contents: { level: "read", label: "Contents", why: "the repository cannot be cloned" },
  metadata: { level: "read", label: "Metadata", why: "every API call needs it" },
};

/** "checks: write (…)" for each required permission `granted` lacks or grants below the level needed. */
export function missingPermissions(granted: Readonly<Record<string, string | undefined>>): string[] {
  return Object.entries(REQUIRED_PERMISSIONS)
    .filter(([name, need]) => !(granted[name] === "write" || (need.level === "read" && granted[name] === "read")))
    .map(([name, need]) => `${name}: ${need.level} (${need.label}: ${need.level === "write" ? "Read and write" : "Read-only"}; without it ${need.why})`);
}

interface PluginOctokit {
  readonly hook: { after(name: "request", hook: (response: { data?: unknown }, options: { url?: string; method?: string; installation_id?: unknown }) => void): void };
  readonly log: { warn(message: string): void };
}

/** Octokit plugin: warns, naming the permissions to grant, when a new installation token lacks one. */
export function permissionWarnings(octokit: PluginOctokit): Record<string, never> {
  octokit.hook.after("request", (response, options) => {
    if (options.method !== "POST" || !/\/app\/installations\/[^/]+\/access_tokens$/.test(options.url ?? "")) return;
    const installation = String(options.installation_id ?? "");
    const granted = (response.data as { permissions?: Record<string, string> } | undefined)?.permissions;
    if (!granted) return;
    const missing = missingPermissions(granted);
    if (missing.length === 0) return;
    octokit.log.warn(
      `installation ${installation} lacks permission${missing.length === 1 ? "" : "s"} the App needs: ${missing.join("; ")}. Grant ${missing.length === 1 ? "it" : "them"} in the App's settings (Permissions & events → Repository permissions), then accept the new permissions on the installation (its Configure page).`,
    );
  });
  return {};
}

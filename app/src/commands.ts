/** `/rocky <command>` in a PR comment. */

export type RockyCommand = "review" | "help" | "run";

const COMMANDS: readonly RockyCommand[] = ["review", "help", "run"];

/** The command on the first line that starts with /rocky; "help" for an unknown one; undefined when there is none. */
export function parseCommand(body: string): RockyCommand | undefined {
  for (const line of body.split("\n")) {
    const match = /^\s*\/rocky(?:\s+(\S+))?\s*$/i.exec(line);
    if (!match) continue;
    const word = (match[1] ?? "help").toLowerCase() as RockyCommand;
    return COMMANDS.includes(word) ? word : "help";
  }
  return undefined;
}

export const HELP_TEXT = [
  "<!-- rocky-review:help -->",
  "**Rocky review commands** (comment on the pull request):",
  "",
  "| command | what it does |",
  "| --- | --- |",
  "| `/rocky review` | owners, members and collaborators: re-runs the review on the PR's current head |",
  "| `/rocky run` | maintainers only: allows this head to run on the warehouse (branch schema), for a fork PR or an outside contributor |",
  "| `/rocky help` | this message |",
  "",
  "Settings live in `.github/rocky.yml` on the default branch (fail-on, comment, env, target-dialect, working-directory, project-name, production-run, branch-schema, inline-comments, max-inline-comments).",
].join("\n");

/** Who may approve warehouse execution and whose PRs run on the warehouse without approval. */
export const TRUSTED_ASSOCIATIONS: ReadonlySet<string> = new Set(["OWNER", "MEMBER", "COLLABORATOR"]);

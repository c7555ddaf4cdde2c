import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { COMMANDS } from "../../cli/src/main.js";
import { VERSION } from "../../engine/src/version.js";
import { createGitFixture } from "../support/git-fixture.js";
import { readTree, ROOT, rocky, SHOP, scratchCopy, shopRepo } from "./support/cli-harness.js";

/**
 * How the CLI is called: exit 2 for every usage or input mistake (with a message on stderr and
 * nothing on stdout), did-you-mean where there is something to suggest, help and version.
 */
describe("rocky usage errors exit 2 with a message on stderr", { timeout: 120_000 }, () => {
  let repo: ReturnType<typeof shopRepo>;
  let plain: ReturnType<typeof scratchCopy>;
  before(() => {
    repo = shopRepo();
    plain = scratchCopy(SHOP);
  });
  after(() => {
    repo.cleanup();
    plain.cleanup();
  });

  const cases: readonly { name: string; argv: readonly string[]; stderr: RegExp; where?: "repo" | "plain" }[] = [
    { name: "unknown command, with did-you-mean", argv: ["compil"], stderr: /unknown command `compil` \(did you mean `compile`\?\)/ },
    { name: "unknown command far from any", argv: ["frobnicate"], stderr: /unknown command `frobnicate`/ },
    { name: "unknown flag, with did-you-mean", argv: ["compile", "--outptu", "json"], stderr: /unknown option `--outptu` \(did you mean `--output`\?\)\nusage: rocky compile /s },
    { name: "unknown flag on review", argv: ["review", "--bse", "main"], stderr: /unknown option `--bse` \(did you mean `--base`\?\)/s },
    { name: "a flag without its value", argv: ["compile", "--output"], stderr: /^rocky compile: `--output` needs a value\nusage: /s },
    { name: "a short flag without its value is named as typed (it said `--project`)", argv: ["compile", "-C"], stderr: /^rocky compile: `-C` needs a value\nusage: /s },
    { name: "a value given to a switch", argv: ["compile", "--watch=1"], stderr: /^rocky compile: `--watch` is a switch and takes no value\nusage: /s },
    { name: "a negative --depth is judged as a depth, not read as a flag", argv: ["lineage", "fct_orders", "--depth", "-1"], stderr: /^rocky lineage: --depth must be a positive whole number \(got `-1`\)\n$/ },
    { name: "a stray argument to compile", argv: ["compile", "x"], stderr: /^rocky compile: unexpected argument `x`\nusage: rocky compile /s },
    { name: "a stray argument to validate", argv: ["validate", "x"], stderr: /^rocky validate: unexpected argument `x`\nusage: rocky validate /s },
    { name: "a second ref to ci-diff", argv: ["ci-diff", "main", "extra"], stderr: /^rocky ci-diff: unexpected argument `extra`\n/ },
    { name: "lineage --all with a model", argv: ["lineage", "--all", "fct_orders"], stderr: /--all lists every column edge of the project: name `fct_orders` or pass --all, not both/ },
    { name: "a --contracts directory that does not exist", argv: ["compile", "--contracts", "mycontract"], stderr: /--contracts mycontract: no such directory in / },
    { name: "a --models directory that does not exist, with did-you-mean", argv: ["compile", "--models", "model"], stderr: /--models model: no such directory in .* \(did you mean `models`\?\)/ },
    { name: "review with a --models directory on neither side, with did-you-mean", argv: ["review", "--base", "main", "--models", "modles"], stderr: /^rocky review: No models directory "modles" in the repository root on either side: neither main \(merge-base [0-9a-f]{7}\) nor HEAD \([0-9a-f]{7}\) has it \(did you mean "models"\?\)\. .*`--models DIR`/ },
    { name: "ci-diff with a --models directory on neither side", argv: ["ci-diff", "main", "--models", "modles", "--no-cache"], stderr: /^rocky ci-diff: No models directory "modles" in the repository root on either side: neither main \(merge-base [0-9a-f]{7}\) nor HEAD/ },
    { name: "lineage-diff with a --models directory on neither side", argv: ["lineage-diff", "--models", "modles"], stderr: /^rocky lineage-diff: No models directory "modles" .* \(did you mean "models"\?\)/ },
    { name: "preview cost with a --contracts directory on neither side", argv: ["preview", "cost", "--contracts", "contracs"], stderr: /^rocky preview: No contracts directory "contracs" in the repository root on either side: neither main .* nor HEAD .* has it\. / },
    { name: "review of the work tree with a --models directory on neither side", argv: ["review", "--base", "main", "--head", "WORKTREE", "--models", "modles"], stderr: /^rocky review: No models directory "modles" .* nor the work tree has it \(did you mean "models"\?\)/ },
    { name: "compile --model of an unknown model, with did-you-mean", argv: ["compile", "--model", "fct_order"], stderr: /--model: unknown model `fct_order` \(did you mean `fct_orders`\?\)/ },
    { name: "validate of a directory that does not exist", argv: ["validate", "-C", "/nonexistent/rocky-project"], stderr: /^rocky validate: no Rocky project at \/nonexistent\/rocky-project/ },
    { name: "validate of a file", argv: ["validate", "-C", "rocky.toml"], stderr: /^rocky validate: no Rocky project at .*rocky\.toml/ },
    { name: "bad --output for compile", argv: ["compile", "--output", "yaml"], stderr: /--output must be one of text, json \(got `yaml`\)/ },
    { name: "bad --output for lineage", argv: ["lineage", "fct_orders", "-o", "svg"], stderr: /--output must be one of text, json, dot, mermaid/ },
    { name: "bad --output for review", argv: ["review", "--base", "main", "-o", "html"], stderr: /--output must be one of markdown, json, text/ },
    { name: "missing --base for review", argv: ["review"], stderr: /--base REF is required/ },
    { name: "bad --target-dialect", argv: ["compile", "--target-dialect", "oracle"], stderr: /--target-dialect must be one of dbx, sf, bq, duckdb \(got `oracle`\)/ },
    { name: "--var without =", argv: ["compile", "--var", "start"], stderr: /--var expects name=value/ },
    { name: "lineage of an unknown model, with did-you-mean", argv: ["lineage", "fct_order"], stderr: /unknown model `fct_order` \(did you mean `fct_orders`\?\)/ },
    { name: "lineage of an unknown column, with did-you-mean", argv: ["lineage", "fct_orders.amout"], stderr: /model `fct_orders` has no column `amout` \(did you mean `amount`\?\)/ },
    { name: "lineage with neither target nor --all", argv: ["lineage"], stderr: /name a model or model\.column/ },
    { name: "lineage --upstream with --downstream", argv: ["lineage", "fct_orders.amount", "--upstream", "--downstream"], stderr: /exclusive/ },
    { name: "lineage --depth 0", argv: ["lineage", "fct_orders.amount", "--depth", "0"], stderr: /--depth must be a positive whole number/ },
    { name: "preview without cost", argv: ["preview", "costs"], stderr: /^rocky preview: unknown preview `costs`: `rocky preview` supports `cost`/ },
    { name: "preview with nothing to preview (it read \"got ``\")", argv: ["preview"], stderr: /^rocky preview: say what to preview: `rocky preview` supports `cost` \(rocky preview cost \[--base REF\]\)\n$/ },
    { name: "a base ref lineage-diff cannot resolve: the advice names no flag it lacks (it said \"pass --base\")", argv: ["lineage-diff", "release-9"], stderr: /then give origin\/release-9 as the base ref/ },
    { name: "compliance --fail-on other than exception", argv: ["compliance", "--fail-on", "warning"], stderr: /--fail-on takes `exception`/ },
    { name: "review --fail-on with an unknown level", argv: ["review", "--base", "main", "--fail-on", "sometimes"], stderr: /--fail-on: "sometimes" is not a level: give one level for every check \(error, warning, never\) or a level per check, e\.g\. "contracts=error,cost=never"/ },
    { name: "review --fail-on with a misspelt level", argv: ["review", "--base", "main", "--fail-on", "errors"], stderr: /--fail-on: "errors" is not a level \(did you mean "error"\?\): give one level for every check \(error, warning, never\)/ },
    { name: "review --fail-on with an unknown check", argv: ["review", "--base", "main", "--fail-on", "speed=error"], stderr: /--fail-on: unknown check "speed" in "speed=error"; expected one of compile, contracts, masking, portability, cost/ },
    { name: "review --fail-on with a bad level for a check", argv: ["review", "--base", "main", "--fail-on", "cost=sometimes"], stderr: /"cost=sometimes" must be <check>=<level> with level one of error, warning, never/ },
    { name: "a base ref the repository does not have, with what to fetch", argv: ["review", "--base", "release-9"], stderr: /release-9.*cannot be resolved.*git fetch .*fetch-depth: 0/s },
    { name: "review outside a git repository", argv: ["review", "--base", "main"], stderr: /is not inside a git repository/, where: "plain" },
    { name: "lineage-diff outside a git repository", argv: ["lineage-diff"], stderr: /is not inside a git repository/, where: "plain" },
    { name: "ci-diff outside a git repository", argv: ["ci-diff", "main"], stderr: /is not inside a git repository/, where: "plain" },
    { name: "preview cost outside a git repository", argv: ["preview", "cost"], stderr: /is not inside a git repository/, where: "plain" },
    { name: "branch with no action", argv: ["branch"], stderr: /^rocky branch: say what to do: create, delete or list\n$/ },
    { name: "branch with an unknown action, with did-you-mean", argv: ["branch", "creat", "x"], stderr: /^rocky branch: unknown branch command `creat` \(did you mean `create`\?\)\n$/ },
    { name: "branch with an unknown action far from any", argv: ["branch", "frobnicate"], stderr: /^rocky branch: unknown branch command `frobnicate` \(create, delete or list\)\n$/ },
    { name: "branch list with a name (it was ignored)", argv: ["branch", "list", "feat"], stderr: /^rocky branch: unexpected argument `feat`: `rocky branch list` takes no NAME\n$/ },
    { name: "the daemon takes no --var (it compiles with each command's own): refused, not ignored", argv: ["daemon", "status", "--var", "a=b"], stderr: /^rocky daemon: unknown option `--var`/ },
    { name: "a project directory that does not exist", argv: ["compile", "-C", "/nonexistent/rocky-project"], stderr: /no Rocky project at \/nonexistent\/rocky-project/ },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const cwd = c.where === "plain" ? plain.dir : repo.project;
      if (c.where === "plain") assert.throws(() => execFileSync("git", ["rev-parse", "--show-toplevel"], { cwd, stdio: "pipe" }), "the scratch copy must sit outside any git repository");
      const r = await rocky(c.argv, { cwd });
      assert.equal(r.code, 2, `exit code; stderr: ${r.stderr}`);
      assert.match(r.stderr, c.stderr);
      assert.equal(r.stdout, "", "nothing on stdout, so a pipe never receives half an answer");
    });
  }

  it("under --output json, an unknown flag or a stray argument is a JSON error object on stdout too", async () => {
    for (const argv of [
      ["compile", "--output", "json", "--bogus"],
      ["compile", "--bogus", "-o", "json"],
      ["validate", "--output=json", "--no-cache"],
      ["lineage", "a", "b", "-ojson"],
      ["branch", "--output", "json", "--watch"],
    ]) {
      const r = await rocky(argv, { cwd: repo.project });
      assert.equal(r.code, 2, argv.join(" "));
      assert.match(r.stderr, /^rocky \S+: (unknown option|unexpected argument) /);
      assert.deepEqual(r.stderr.split("\n").filter((l) => [...l].length > 80), [], "the usage that follows fits 80 columns");
      const out = JSON.parse(r.stdout) as { version: string; command: string; error: { code: string; message: string } };
      assert.equal(out.version, VERSION);
      assert.equal(out.command, argv[0]);
      assert.equal(out.error.code, "usage_error");
      assert.equal(r.stderr.split("\n")[0], `rocky ${argv[0]}: ${out.error.message}`, "the same message on both");
    }
  });

  it(
    "a transposed short flag gets a did-you-mean too",
    {},
    async () => {
      const r = await rocky(["review", "--bsae", "main"], { cwd: repo.project });
      assert.match(r.stderr, /did you mean `--base`\?/);
    },
  );

  it("validate of an empty directory is no project (exit 2), as for every other verb", async () => {
    const empty = mkdtempSync(join(tmpdir(), "rocky-cli-empty-"));
    try {
      for (const verb of ["validate", "compile"]) {
        const r = await rocky([verb, "-C", empty], { cwd: repo.project });
        assert.equal(r.code, 2, verb);
        assert.equal(r.stderr, `rocky ${verb}: no Rocky project at ${empty}: expected rocky.toml or a models/ directory (use -C DIR)\n`);
        assert.equal(r.stdout, "");
      }
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it("a --models directory one side has is a PR that adds or removes it, not a mistake; in a sub-folder project the error names the folder", async () => {
    const files = readTree(SHOP);
    const moved: Record<string, Uint8Array | null> = {};
    for (const [path, bytes] of Object.entries(files)) {
      if (!path.startsWith("models/")) continue;
      moved[path] = null;
      moved[`sql/${path.slice("models/".length)}`] = bytes;
    }
    // The PR moves models/ to sql/: sql/ is absent on main, present on the PR.
    const pr = createGitFixture({ base: { ...files, ".gitignore": ".rocky-state/\n" }, head: moved, headIsPatch: true });
    const movedBack = Object.fromEntries(Object.entries(moved).map(([path, bytes]) => [path, bytes === null ? files[path] : null]));
    const undo = createGitFixture({ base: { ...files, ...moved, ".gitignore": ".rocky-state/\n" }, head: movedBack, headIsPatch: true });
    const mono = shopRepo({ subdir: "analytics" });
    try {
      for (const cache of [[], ["--no-cache"]]) {
        const r = await rocky(["ci-diff", "main", "--models", "sql", "-o", "json", ...cache], { cwd: pr.dir });
        assert.equal(r.code, 0, r.stderr);
        assert.equal((JSON.parse(r.stdout) as { summary: { added: number } }).summary.added, 7, "every model is new under sql/");
        // The other way round: sql/ on main only, the PR moves the models back to models/.
        const back = await rocky(["ci-diff", "main", "--models", "sql", "-o", "json", ...cache], { cwd: undo.dir });
        assert.equal(back.code, 0, back.stderr);
        assert.equal((JSON.parse(back.stdout) as { summary: { removed: number } }).summary.removed, 7, "every model is gone from sql/");
        const bad = await rocky(["ci-diff", "main", "--models", "sqll", ...cache], { cwd: pr.dir });
        assert.equal(bad.code, 2);
        assert.match(bad.stderr, /No models directory "sqll" in the repository root on either side: .* \(did you mean "sql"\?\)/);
      }
      const sub = await rocky(["review", "--base", "main", "-C", "analytics", "--models", "modles"], { cwd: mono.dir });
      assert.equal(sub.code, 2);
      assert.match(sub.stderr, /^rocky review: No models directory "modles" in "analytics" on either side: .* \(did you mean "models"\?\)/);
      assert.equal(sub.stdout, "");
      const json = await rocky(["review", "--base", "main", "-C", "analytics", "--models", "modles", "-o", "json"], { cwd: mono.dir });
      assert.equal(json.code, 2);
      assert.equal((JSON.parse(json.stdout) as { error: { code: string } }).error.code, "usage_error");
      const ok = await rocky(["review", "--base", "main", "-C", "analytics", "--models", "./models/", "-o", "json"], { cwd: mono.dir });
      assert.equal(ok.code, 1, ok.stderr);
    } finally {
      pr.cleanup();
      undo.cleanup();
      mono.cleanup();
    }
  });

  it("review run from inside the project (models/) points at -C, a flag the CLI has", async () => {
    const r = await rocky(["review", "--base", "main"], { cwd: join(repo.project, "models") });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /No Rocky project files \(rocky\.toml, models\/\) at "models" on HEAD, nor on main \(merge-base [0-9a-f]{7}\)\.\s.*`-C DIR` for the rocky CLI/);
    assert.doesNotMatch(r.stderr, /--project-dir/);
  });

  it("`rocky help <command>` is that command's help", async () => {
    for (const c of COMMANDS) {
      const r = await rocky(["help", c.name], { cwd: repo.project });
      assert.deepEqual(r, await rocky([c.name, "--help"], { cwd: repo.project }), c.name);
    }
    const unknown = await rocky(["help", "compil"], { cwd: repo.project });
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown command `compil` \(did you mean `compile`\?\)/);
  });

  it("no command prints the help and exits 2; --help and help exit 0", async () => {
    const none = await rocky([], { cwd: repo.project });
    assert.equal(none.code, 2);
    for (const c of COMMANDS) assert.match(none.stdout, new RegExp(`^  ${c.name}\\s`, "m"));
    for (const argv of [["--help"], ["help"], ["-h"]]) {
      const r = await rocky(argv, { cwd: repo.project });
      assert.equal(r.code, 0);
      assert.equal(r.stdout, none.stdout);
    }
  });

  it("every command answers --help with its usage and exits 0", async () => {
    for (const c of COMMANDS) {
      const r = await rocky([c.name, "--help"], { cwd: repo.project });
      assert.equal(r.code, 0, c.name);
      // The usage is wrapped for the terminal: the same words.
      assert.ok(r.stdout.replace(/\s+/g, " ").includes(`usage: ${c.usage}`), `${c.name}: ${r.stdout}`);
      assert.equal(r.stderr, "");
    }
  });
});

/**
 * Help is what a user reads first and the README what they read before: each flag a command takes
 * is in its --help with what it does, and in the README's CLI table (none missing, none extra), and
 * every line fits an 80-column terminal.
 */
describe("help and the README agree with the flags each command takes", () => {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  /** The flags of each verb's rows in the README's CLI table (first cell only: the descriptions name other verbs' flags). */
  const readmeFlags = new Map<string, Set<string>>();
  for (const line of readme.split("\n")) {
    const m = /^\| `rocky ([a-z-]+)((?:[^`]|\\\|)*)` \|/.exec(line);
    if (m === null) continue;
    const flags = readmeFlags.get(m[1]) ?? new Set<string>();
    for (const f of m[2].matchAll(/(?<![\w-])--([a-z][a-z-]*)/g)) flags.add(f[1]);
    readmeFlags.set(m[1], flags);
  }
  /** What the README's paragraph above the table says every command takes. */
  const everyCommand = ["project", "models", "contracts", "output", "help"];

  it("the README's table has a row for every command, and no other", () => {
    assert.deepEqual([...readmeFlags.keys()].sort(), COMMANDS.map((c) => c.name).sort());
    assert.match(readme, /Every command\s+takes `-C DIR` \(the project, default `\.`\), `--models DIR` \(the models directory, default\s+`models`\), `--contracts DIR` \(another directory of `\*\.contract\.toml` files\) and `--output json`/);
  });

  for (const c of COMMANDS) {
    it(`${c.name}: the README lists the flags it takes, and no other`, () => {
      const taken = Object.keys(c.options).filter((k) => !everyCommand.includes(k) || k === "output");
      const listed = readmeFlags.get(c.name) ?? new Set<string>();
      assert.deepEqual([...listed].filter((f) => !(f in c.options)), [], "in the README, not taken");
      assert.deepEqual(taken.filter((f) => f !== "output" && !listed.has(f)), [], "taken, not in the README");
      for (const k of everyCommand) assert.ok(k in c.options, `every command takes --${k}`);
    });

    it(`${c.name} --help: says what each flag does, within 80 columns`, async () => {
      const r = await rocky([c.name, "--help"], { cwd: ROOT });
      for (const key of Object.keys(c.options)) {
        const short = c.options[key].short;
        assert.match(r.stdout, new RegExp(`^  ${short === undefined ? "" : `-${short}, `}--${key}\\b.*\\S`, "m"), `--${key} in ${c.name} --help`);
      }
      assert.deepEqual(Object.keys(c.flags).sort(), Object.keys(c.options).sort(), "a help text per flag, and no other");
      assert.deepEqual(r.stdout.split("\n").filter((l) => [...l].length > 80), []);
    });
  }

  it("rocky --help fits 80 columns", async () => {
    const r = await rocky(["--help"], { cwd: ROOT });
    assert.deepEqual(r.stdout.split("\n").filter((l) => [...l].length > 80), []);
  });
});

describe("version", () => {
  it("engine/src/version.ts VERSION equals package.json's version", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
    assert.equal(VERSION, pkg.version);
  });

  it("--version, -V and version print it", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "rocky-cli-version-"));
    try {
      for (const argv of [["--version"], ["-V"], ["version"]]) {
        const r = await rocky(argv, { cwd });
        assert.deepEqual(r, { code: 0, stdout: `rocky ${VERSION}\n`, stderr: "" });
      }
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});

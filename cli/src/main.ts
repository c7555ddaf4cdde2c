import { parseArgs, type ParseArgsConfig } from "node:util";
import { didYouMean, didYouMeanSuffix } from "../../engine/src/util/did-you-mean.js";
import { VERSION } from "../../engine/src/version.js";
import type { CliIo, ParsedCommand } from "./io.js";
import { CommandError, endCommand, errorJson, UsageError } from "./io.js";

type Options = NonNullable<ParseArgsConfig["options"]>;

interface CommandSpec {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  readonly options: Options;
  /** How many positional arguments it takes at most: any more is a usage error naming the first one too many. */
  readonly maxPositionals: number;
  readonly run: (cmd: ParsedCommand, io: CliIo) => Promise<number>;
}

const common: Options = {
  project: { type: "string", short: "C" },
  output: { type: "string", short: "o" },
  var: { type: "string", multiple: true },
  models: { type: "string" },
  contracts: { type: "string" },
  help: { type: "boolean", short: "h" },
};

/**
 * Every verb of the `rocky` CLI. Each `run` lazily imports its implementation so that start-up
 * only pays for argument parsing. Exit codes: 0 success, 1 findings at the failing level (or
 * errors in the project: compile errors, a failed model), 2 a usage or input error (bad flag,
 * missing project, unreadable git ref) or a warehouse that cannot be used.
 */
export const COMMANDS: readonly CommandSpec[] = [
  {
    name: "compile",
    summary: "Type-check every model: DAG, column types, lineage, diagnostics.",
    usage: "rocky compile [-C DIR] [--models DIR] [--contracts DIR] [--target-dialect dbx|sf|bq|duckdb] [--with-seed] [--var k=v]... [--model NAME] [--no-cache] [--watch] [--output text|json]",
    options: { ...common, "target-dialect": { type: "string" }, "with-seed": { type: "boolean" }, model: { type: "string" }, "no-cache": { type: "boolean" }, watch: { type: "boolean" } },
    maxPositionals: 0,
    run: async (c, io) => (await import("./commands/compile.js")).compileCommand(c, io),
  },
  {
    name: "lineage",
    summary: "Column-level lineage of a model or one of its columns.",
    usage: "rocky lineage <model>[.<column>] [--downstream|--upstream] [--depth N] [--output text|json|dot|mermaid] | rocky lineage --all",
    options: { ...common, downstream: { type: "boolean" }, upstream: { type: "boolean" }, all: { type: "boolean" }, depth: { type: "string" }, "with-seed": { type: "boolean" }, "no-cache": { type: "boolean" } },
    maxPositionals: 1,
    run: async (c, io) => (await import("./commands/lineage.js")).lineageCommand(c, io),
  },
  {
    name: "validate",
    summary: "Check rocky.toml, sidecars and contracts without compiling SQL.",
    usage: "rocky validate [-C DIR] [--output text|json]",
    options: common,
    maxPositionals: 0,
    run: async (c, io) => (await import("./commands/validate.js")).validateCommand(c, io),
  },
  {
    name: "lineage-diff",
    summary: "Column changes between a base ref and HEAD, with downstream consumers (removed columns traced on base).",
    usage: "rocky lineage-diff [base=main] [--head REF] [--no-cache] [--output text|json|markdown]",
    options: { ...common, head: { type: "string" }, "no-cache": { type: "boolean" } },
    maxPositionals: 1,
    run: async (c, io) => (await import("./commands/review.js")).lineageDiffCommand(c, io),
  },
  {
    name: "ci-diff",
    summary: "Rocky's ci-diff: per-model column changes between a base ref and HEAD.",
    usage: "rocky ci-diff [base=main] [--head REF] [--semantic] [--no-cache] [--output text|json|markdown]",
    options: { ...common, head: { type: "string" }, semantic: { type: "boolean" }, "no-cache": { type: "boolean" } },
    maxPositionals: 1,
    run: async (c, io) => (await import("./commands/review.js")).ciDiffCommand(c, io),
  },
  {
    name: "compliance",
    summary: "Classified columns against [mask] per environment, following lineage.",
    usage: "rocky compliance [--env E] [--exceptions-only] [--fail-on exception] [--no-cache] [--output text|json]",
    options: { ...common, env: { type: "string" }, "exceptions-only": { type: "boolean" }, "fail-on": { type: "string" }, "with-seed": { type: "boolean" }, "no-cache": { type: "boolean" } },
    maxPositionals: 0,
    run: async (c, io) => (await import("./commands/review.js")).complianceCommand(c, io),
  },
  {
    name: "preview",
    summary: "`rocky preview cost`: projected cost of the changes against a base ref.",
    usage: "rocky preview cost [--base REF] [--head REF] [--no-cache] [--output text|json|markdown]",
    options: { ...common, base: { type: "string" }, head: { type: "string" }, "no-cache": { type: "boolean" } },
    maxPositionals: 1,
    run: async (c, io) => (await import("./commands/review.js")).previewCommand(c, io),
  },
  {
    name: "review",
    summary: "The full PR review; prints exactly the comment the bot would post.",
    usage: "rocky review --base REF [--head REF|WORKTREE] [--target-dialect D] [--env E] [--fail-on LEVEL|check=LEVEL,...] [--no-cache] [--output markdown|json|text]",
    options: { ...common, base: { type: "string" }, head: { type: "string" }, "target-dialect": { type: "string" }, env: { type: "string" }, "fail-on": { type: "string" }, "no-cache": { type: "boolean" } },
    maxPositionals: 0,
    run: async (c, io) => (await import("./commands/review.js")).reviewCommand(c, io),
  },
  {
    name: "run",
    summary: "Materialize the models on the project's warehouse (DuckDB by default), optionally into a branch schema.",
    usage: "rocky run [-C DIR] [--models DIR] [--contracts DIR] [--branch NAME] [--select m1,m2] [--downstream] [--with-seed] [--var k=v]... [--no-cache] [--output text|json]",
    options: { ...common, branch: { type: "string" }, select: { type: "string" }, downstream: { type: "boolean" }, "with-seed": { type: "boolean" }, "no-cache": { type: "boolean" } },
    maxPositionals: 0,
    run: async (c, io) => (await import("./commands/run.js")).runCommand(c, io),
  },
  {
    name: "branch",
    summary: "Branch schemas: `rocky branch create|delete|list [NAME]` (delete drops the schema's tables, unlike Rocky).",
    usage: "rocky branch create|delete|list [NAME] [-C DIR] [--models DIR] [--contracts DIR] [--var k=v]... [--output text|json]",
    options: common,
    maxPositionals: 2,
    run: async (c, io) => (await import("./commands/run.js")).branchCommand(c, io),
  },
  {
    name: "daemon",
    summary: "Keep a project compiled in memory: `rocky compile` and `rocky lineage` then answer in milliseconds.",
    usage: "rocky daemon start|stop|status|run [-C DIR] [--idle-minutes N (default 60; 0: never)] [--output text|json]",
    options: { ...common, "idle-minutes": { type: "string" } },
    maxPositionals: 1,
    run: async (c, io) => (await import("./commands/daemon.js")).daemonCommand(c, io),
  },
];

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    `rocky ${VERSION} — a typed compiler and pull-request reviewer for Rocky SQL projects`,
    "",
    "Usage: rocky <command> [options]",
    "",
    "Commands:",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Every command takes -C DIR (the project directory, default .) and --output json (versioned JSON with `version` and `command`).",
    "Run `rocky <command> --help` for its options.",
  ].join("\n");
}

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [verb, ...rest] = argv;
  if (verb === "help" && rest.length > 0) return main([rest[0], "--help"], io);
  if (verb === undefined || verb === "help" || verb === "--help" || verb === "-h") {
    io.stdout(`${help()}\n`);
    return verb === undefined ? 2 : 0;
  }
  if (verb === "--version" || verb === "-V" || verb === "version") {
    io.stdout(`rocky ${VERSION}\n`);
    return 0;
  }
  const spec = COMMANDS.find((c) => c.name === verb);
  if (spec === undefined) {
    io.stderr(`rocky: unknown command \`${verb}\`${didYouMeanSuffix(verb, COMMANDS.map((c) => c.name))}\n\n${help()}\n`);
    return 2;
  }
  const usageError = (message: string): number => {
    io.stderr(`rocky ${spec.name}: ${message}\nusage: ${spec.usage}\n`);
    // The flags did not parse, so `--output json` is looked for as written: a script reading JSON
    // gets an error object for an unknown flag too, as for every other usage error.
    if (wantsJson(rest)) io.stdout(errorJson(spec.name, VERSION, new UsageError(message)));
    return 2;
  };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: negativeValues(rest, spec.options), options: spec.options, allowPositionals: true, strict: true });
  } catch (error) {
    return usageError(parseErrorMessage(error, spec.options, rest));
  }
  if (parsed.values.help === true) {
    io.stdout(`${spec.summary}\n\nusage: ${spec.usage}\n`);
    return 0;
  }
  if (parsed.positionals.length > spec.maxPositionals) return usageError(`unexpected argument \`${parsed.positionals[spec.maxPositionals]}\``);
  try {
    return await spec.run({ name: spec.name, values: parsed.values as ParsedCommand["values"], positionals: parsed.positionals }, io);
  } catch (error) {
    const failure = error instanceof CommandError ? error : error instanceof Error && error.name === "ReviewInputError" ? new UsageError(error.message) : undefined;
    if (failure === undefined) throw error;
    io.stderr(`rocky ${spec.name}: ${failure.message}${failure.details.hint === undefined ? "" : ` — ${failure.details.hint}`}\n`);
    // A script reading JSON gets an answer it can parse, not an empty stdout.
    if (parsed.values.output === "json") io.stdout(errorJson(spec.name, VERSION, failure));
    return failure.exitCode;
  } finally {
    await endCommand();
  }
}

/** Whether the raw arguments ask for `--output json` (`--output json`, `--output=json`, `-o json`, `-ojson`), before `--`. */
function wantsJson(args: readonly string[]): boolean {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--") return false;
    if (arg === "--output=json" || arg === "-ojson") return true;
    if ((arg === "--output" || arg === "-o") && args[i + 1] === "json") return true;
  }
  return false;
}

/**
 * `--depth -1`: node reads a value that starts with "-" as a flag; a number never is one, so it is
 * passed as `--depth=-1` and the command says what it thinks of the value.
 */
function negativeValues(args: readonly string[], options: Options): string[] {
  const takesValue = (arg: string) => {
    const long = arg.startsWith("--") ? options[arg.slice(2)] : Object.values(options).find((o) => arg.length === 2 && o.short === arg.slice(1));
    return long?.type === "string";
  };
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--") return [...out, ...args.slice(i)];
    const next = args[i + 1];
    if (next !== undefined && /^-\d/.test(next) && takesValue(arg)) {
      // `-o` takes its value joined (`-o-1`), `--depth` after `=`.
      out.push(arg.startsWith("--") ? `${arg}=${next}` : `${arg}${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

/**
 * node's parseArgs errors in our words: an unknown flag with a did-you-mean, a flag without its
 * value, a value that starts with "-" (node reads it as a flag), a value given to a switch.
 */
function parseErrorMessage(error: unknown, options: Options, args: readonly string[]): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown }).code;
  // node names the flag as '--depth', or '-o, --output <value>' when it has a short form.
  const long = /--([\w-]+)/.exec(message)?.[1];
  const short = /'(-\w)'/.exec(message)?.[1];
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" || /^Unknown option/.test(message)) {
    const flag = /'(--?[^']+)'/.exec(message)?.[1] ?? "";
    const guess = didYouMean(flag.replace(/^-+/, "").replace(/=.*$/, ""), Object.keys(options));
    return `unknown option \`${flag}\`${guess === undefined ? "" : ` (did you mean \`--${guess}\`?)`}`;
  }
  if (long === undefined) return message;
  if (/argument is ambiguous/.test(message)) {
    // `--depth -1`: the value starts with "-", which node takes for a flag.
    const at = args.findIndex((a) => a === `--${long}` || (short !== undefined && a === short));
    const value = at >= 0 ? args[at + 1] : undefined;
    return value === undefined ? `\`--${long}\` needs a value` : `\`--${long} ${value}\`: a value that starts with "-" reads as an option; write \`--${long}=${value}\``;
  }
  if (/argument missing/.test(message)) return `\`--${long}\` needs a value`;
  if (/does not take an argument/.test(message)) return `\`--${long}\` is a switch and takes no value`;
  return message;
}

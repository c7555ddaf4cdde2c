import { parseArgs, type ParseArgsConfig } from "node:util";
import { didYouMean, didYouMeanSuffix } from "../../engine/src/util/did-you-mean.js";
import { VERSION } from "../../engine/src/version.js";
import type { CliIo, ParsedCommand } from "./io.js";
import { CommandError, endCommand, errorJson, UsageError } from "./io.js";

type Options = NonNullable<ParseArgsConfig["options"]>;

/** What `rocky <command> --help` says of one flag: its value's placeholder (none for a switch) and what it does. */
interface FlagHelp {
  readonly value?: string;
  readonly text: string;
}

interface CommandSpec {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  readonly options: Options;
  /** What each option does, for `--help`: one entry per key of `options` (a test holds them to it, and to the README). */
  readonly flags: Readonly<Record<string, FlagHelp>>;
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

/** The help of the flags every command takes (`output` is each command's own: its formats differ). */
const commonFlags: Readonly<Record<string, FlagHelp>> = {
  project: { value: "DIR", text: "the project directory, holding rocky.toml or models/ (default .)" },
  models: { value: "DIR", text: "the models directory, relative to the project (default models)" },
  contracts: { value: "DIR", text: "another directory of *.contract.toml files, besides contracts/ and the models directory" },
  var: { value: "k=v", text: "the value of @var(k) in the models' SQL (repeatable)" },
  help: { text: "this help" },
};
const output = (formats: string, fallback: string): FlagHelp => ({ value: formats, text: `output format (default ${fallback}); json is versioned, with \`version\` and \`command\`` });
const noCache = { text: "compile without the cache in .rocky-state/ (or ROCKY_NO_CACHE=1)" };
const withSeed = { text: "type the sources data/seed.sql creates by running it in an in-memory DuckDB" };
const targetDialect = { value: "dbx|sf|bq|duckdb", text: "the dialect P001 portability checks against (default, the project's)" };
const head = { value: "REF|WORKTREE", text: "the side compared with the base: a git ref, or WORKTREE for the files as they are (default HEAD)" };

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
    flags: {
      ...commonFlags,
      "target-dialect": targetDialect,
      "with-seed": withSeed,
      model: { value: "NAME", text: "show only this model's result and diagnostics (the whole project is compiled)" },
      "no-cache": noCache,
      watch: { text: "compile, then again on every save until Ctrl-C, printing what each save introduced and fixed" },
      output: output("text|json", "text"),
    },
    maxPositionals: 0,
    run: async (c, io) => (await import("./commands/compile.js")).compileCommand(c, io),
  },
  {
    name: "lineage",
    summary: "Column-level lineage of a model, one of its columns, or a source's column.",
    usage: "rocky lineage <model>[.<column>] [--downstream|--upstream] [--depth N] [--with-seed] [--no-cache] [--output text|json|dot|mermaid] | rocky lineage --all",
    options: { ...common, downstream: { type: "boolean" }, upstream: { type: "boolean" }, all: { type: "boolean" }, depth: { type: "string" }, "with-seed": { type: "boolean" }, "no-cache": { type: "boolean" } },
    flags: {
      ...commonFlags,
      downstream: { text: "trace the column to the columns that read it (the default)" },
      upstream: { text: "trace the column back to its sources" },
      depth: { value: "N", text: "trace at most N hops" },
      all: { text: "every column edge of the project" },
      "with-seed": withSeed,
      "no-cache": noCache,
      output: output("text|json|dot|mermaid", "text"),
    },
    maxPositionals: 1,
    run: async (c, io) => (await import("./commands/lineage.js")).lineageCommand(c, io),
  },
  {
    name: "validate",
    summary: "Check rocky.toml, sidecars and contracts without typing SQL.",
    usage: "rocky validate [-C DIR] [--models DIR] [--contracts DIR] [--var k=v]... [--output text|json]",
    options: common,
    flags: { ...commonFlags, output: output("text|json", "text") },
    maxPositionals: 0,
    run: async (c, io) => (await import("./commands/validate.js")).validateCommand(c, io),
  },
  {
    name: "lineage-diff",
    summary: "Column changes between a base ref and HEAD, with downstream consumers (removed columns traced on base).",
    usage: "rocky lineage-diff [BASE (default main)] [--head REF|WORKTREE] [--no-cache] [--output text|json|markdown]",
    options: { ...common, head: { type: "string" }, "no-cache": { type: "boolean" } },
    flags: { ...commonFlags, head, "no-cache": noCache, output: output("text|json|markdown", "text") },
    maxPositionals: 1,
    run: async (c, io) => (await import("./commands/review.js")).lineageDiffCommand(c, io),
  },
  {
    name: "ci-diff",
    summary: "Rocky's ci-diff: per-model column changes between a base ref and HEAD.",
    usage: "rocky ci-diff [BASE (default main)] [--head REF|WORKTREE] [--semantic] [--no-cache] [--output text|json|markdown]",
    options: { ...common, head: { type: "string" }, semantic: { type: "boolean" }, "no-cache": { type: "boolean" } },
    flags: { ...commonFlags, head, semantic: { text: "also list the breaking-change findings (JSON: `breaking_findings`)" }, "no-cache": noCache, output: output("text|json|markdown", "text") },
    maxPositionals: 1,
    run: async (c, io) => (await import("./commands/review.js")).ciDiffCommand(c, io),
  },
  {
    name: "compliance",
    summary: "Classified columns against [mask] per environment, following lineage.",
    usage: "rocky compliance [--env E] [--exceptions-only] [--fail-on exception] [--with-seed] [--no-cache] [--output text|json]",
    options: { ...common, env: { type: "string" }, "exceptions-only": { type: "boolean" }, "fail-on": { type: "string" }, "with-seed": { type: "boolean" }, "no-cache": { type: "boolean" } },
    flags: {
      ...commonFlags,
      env: { value: "E", text: "only the environment E, a [mask.<env>] of rocky.toml (default, [mask] and every environment)" },
      "exceptions-only": { text: "list only the classified columns with an exception" },
      "fail-on": { value: "exception", text: "exit 1 on any exception or configuration problem (default, exit 0)" },
      "with-seed": withSeed,
      "no-cache": noCache,
      output: output("text|json", "text"),
    },
    maxPositionals: 0,
    run: async (c, io) => (await import("./commands/review.js")).complianceCommand(c, io),
  },
  {
    name: "preview",
    summary: "`rocky preview cost`: projected cost of the changes against a base ref.",
    usage: "rocky preview cost [--base REF] [--head REF|WORKTREE] [--no-cache] [--output text|json|markdown]",
    options: { ...common, base: { type: "string" }, head: { type: "string" }, "no-cache": { type: "boolean" } },
    flags: { ...commonFlags, base: { value: "REF", text: "the branch the changes merge into (default main)" }, head, "no-cache": noCache, output: output("text|json|markdown", "text") },
    maxPositionals: 1,
    run: async (c, io) => (await import("./commands/review.js")).previewCommand(c, io),
  },
  {
    name: "review",
    summary: "The full PR review; prints exactly the comment the bot would post.",
    usage: "rocky review --base REF [--head REF|WORKTREE] [--target-dialect D] [--env E] [--fail-on LEVEL|check=LEVEL,...] [--no-cache] [--output markdown|json|text]",
    options: { ...common, base: { type: "string" }, head: { type: "string" }, "target-dialect": { type: "string" }, env: { type: "string" }, "fail-on": { type: "string" }, "no-cache": { type: "boolean" } },
    flags: {
      ...commonFlags,
      base: { value: "REF", text: "the branch the PR merges into (required); the PR is compared with its merge-base" },
      head,
      "target-dialect": targetDialect,
      env: { value: "E", text: "check masking only against [mask.E] (default, [mask] and every environment)" },
      "fail-on": { value: "LEVEL|check=LEVEL,...", text: "when a check fails: error, warning or never, for every check or per check (compile, contracts, masking, portability, cost); default error" },
      "no-cache": noCache,
      output: output("markdown|json|text", "markdown"),
    },
    maxPositionals: 0,
    run: async (c, io) => (await import("./commands/review.js")).reviewCommand(c, io),
  },
  {
    name: "run",
    summary: "Materialize the models on the project's warehouse (DuckDB by default), optionally into a branch schema.",
    usage: "rocky run [-C DIR] [--models DIR] [--contracts DIR] [--branch NAME] [--select m1,m2] [--downstream] [--with-seed] [--var k=v]... [--no-cache] [--output text|json]",
    options: { ...common, branch: { type: "string" }, select: { type: "string" }, downstream: { type: "boolean" }, "with-seed": { type: "boolean" }, "no-cache": { type: "boolean" } },
    flags: {
      ...commonFlags,
      branch: { value: "NAME", text: "write into the branch schema branch__NAME instead of the models' targets" },
      select: { value: "m1,m2", text: "run only these models (default, every model)" },
      downstream: { text: "with --select, also the models downstream of them" },
      "with-seed": { text: "first load data/seed.sql into the warehouse (each table it creates, created anew)" },
      "no-cache": noCache,
      output: output("text|json", "text"),
    },
    maxPositionals: 0,
    run: async (c, io) => (await import("./commands/run.js")).runCommand(c, io),
  },
  {
    name: "branch",
    summary: "Branch schemas: `rocky branch create|delete|list [NAME]` (delete drops the schema's tables, unlike Rocky).",
    usage: "rocky branch create|delete|list [NAME] [-C DIR] [--models DIR] [--contracts DIR] [--var k=v]... [--output text|json]",
    options: common,
    flags: { ...commonFlags, output: output("text|json", "text") },
    maxPositionals: 2,
    run: async (c, io) => (await import("./commands/run.js")).branchCommand(c, io),
  },
  {
    name: "daemon",
    summary: "Keep a project compiled in memory: `rocky compile` and `rocky lineage` then answer in milliseconds.",
    usage: "rocky daemon start|stop|status|run [-C DIR] [--models DIR] [--contracts DIR] [--idle-minutes N] [--output text|json]",
    options: { ...withoutVar(common), "idle-minutes": { type: "string" } },
    flags: { ...withoutVar(commonFlags), "idle-minutes": { value: "N", text: "stop after N minutes without a command (default 60; 0: never)" }, output: output("text|json", "text") },
    maxPositionals: 1,
    run: async (c, io) => (await import("./commands/daemon.js")).daemonCommand(c, io),
  },
];

/** The daemon compiles with each command's own `--var`: it takes none itself. */
function withoutVar<T>(flags: Readonly<Record<string, T>>): Record<string, T> {
  const { var: _, ...rest } = flags;
  return rest;
}

/** Help is read in an 80-column terminal. */
const WIDTH = 80;

/**
 * `text` in lines of at most `width` columns (when its words allow) after `indent`, the first line
 * after `first`, broken at spaces; a usage line (`brackets`) is not broken inside `[...]`.
 */
function wrap(text: string, width: number, indent: string, first = indent, brackets = false): string {
  const words: string[] = [];
  let depth = 0;
  let word = "";
  for (const ch of text) {
    if (brackets && ch === "[") depth++;
    if (brackets && ch === "]") depth = Math.max(0, depth - 1);
    if (ch === " " && depth === 0) {
      if (word !== "") words.push(word);
      word = "";
    } else word += ch;
  }
  if (word !== "") words.push(word);
  const lines: string[] = [];
  let line = first;
  let fresh = true;
  for (const w of words) {
    if (!fresh && line.length + 1 + w.length > width) {
      lines.push(line);
      line = indent + w;
    } else line += (fresh ? "" : " ") + w;
    fresh = false;
  }
  lines.push(line);
  return lines.join("\n");
}

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    `rocky ${VERSION}: a typed compiler and pull-request reviewer for Rocky SQL projects`,
    "",
    "Usage: rocky <command> [options]",
    "",
    "Commands:",
    ...COMMANDS.map((c) => wrap(c.summary, WIDTH, " ".repeat(width + 4), `  ${c.name.padEnd(width)}  `)),
    "",
    wrap("Every command takes -C DIR (the project directory, default .) and --output json (versioned JSON with `version` and `command`).", WIDTH, ""),
    "Exit codes: 0 success, 1 findings or errors in the project, 2 a usage error.",
    "Run `rocky <command> --help` (or `rocky help <command>`) for its options.",
  ].join("\n");
}

/** `rocky <command> --help`: what it does, its usage, and each flag. */
function commandHelp(spec: CommandSpec): string {
  const label = (key: string): string => {
    const short = spec.options[key]?.short;
    const value = spec.flags[key]?.value;
    return `${short === undefined ? "" : `-${short}, `}--${key}${value === undefined ? "" : ` ${value}`}`;
  };
  // The command's own flags first, then those every command takes, help last.
  const shared = ["project", "models", "contracts", "var", "output", "help"];
  const keys = [...Object.keys(spec.options).filter((k) => !shared.includes(k)), ...shared.filter((k) => k in spec.options)];
  const column = Math.min(26, Math.max(...keys.map((k) => label(k).length)) + 2);
  const rows = keys.map((key) => {
    const name = `  ${label(key)}`;
    const text = spec.flags[key]?.text ?? "";
    return name.length + 2 > column + 2 ? `${name}\n${wrap(text, WIDTH, " ".repeat(column + 2))}` : wrap(text, WIDTH, " ".repeat(column + 2), `${name.padEnd(column + 2)}`);
  });
  return [wrap(spec.summary, WIDTH, ""), "", wrap(`usage: ${spec.usage}`, WIDTH, "         ", "", true), "", "Options:", ...rows].join("\n");
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
    io.stderr(`rocky ${spec.name}: ${message}\n${wrap(`usage: ${spec.usage}`, WIDTH, "         ", "", true)}\n`);
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
    io.stdout(`${commandHelp(spec)}\n`);
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
  if (/argument missing/.test(message)) {
    // Named as typed: `-C` needs a value, not `--project`.
    const shortForm = options[long]?.short === undefined ? undefined : `-${options[long].short}`;
    const typed = shortForm !== undefined && args.lastIndexOf(shortForm) > args.lastIndexOf(`--${long}`) ? shortForm : `--${long}`;
    return `\`${typed}\` needs a value`;
  }
  if (/does not take an argument/.test(message)) return `\`--${long}\` is a switch and takes no value`;
  return message;
}

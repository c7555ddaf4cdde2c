import assert from "node:assert/strict";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { isDeepStrictEqual } from "node:util";
import { parse } from "smol-toml";
import { parseSimpleToml } from "../../../engine/src/project/toml-fast-path.js";
import { type TomlLocator, type TomlPath, locateTomlKeys } from "../../../engine/src/project/toml-locator.js";
import { seededRandom } from "../../support/seeded-random.js";
// @ts-expect-error plain ESM module without types
import { generateProject } from "../../../bench/generate-project.mjs";

/** Every key path of parsed TOML data (tables and arrays, depth first). */
function pathsOf(value: unknown, at: (string | number)[] = [], out: TomlPath[] = []): TomlPath[] {
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      out.push([...at, i]);
      pathsOf(v, [...at, i], out);
    });
  } else if (value !== null && typeof value === "object" && !(value instanceof Date)) {
    for (const k of Object.keys(value)) {
      out.push([...at, k]);
      pathsOf((value as Record<string, unknown>)[k], [...at, k], out);
    }
  }
  return out;
}

/** Key order, which deepStrictEqual does not compare. */
function keyOrder(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(keyOrder);
  if (value !== null && typeof value === "object") return Object.entries(value).map(([k, v]) => [k, keyOrder(v)]);
  return null;
}

function sameLocations(fast: TomlLocator, scan: TomlLocator, paths: readonly TomlPath[], text: string): void {
  assert.deepEqual(fast.shallowKeys(), scan.shallowKeys(), text);
  const probes: TomlPath[] = [...paths, ["nope"], ...paths.map((p) => [...p, "nope"]), ...paths.map((p) => [...p, 7]), ...paths.map((p) => p.map(String))];
  // Messages are built only on a mismatch (the texts can be long).
  const same = (what: string, p: TomlPath, a: unknown, b: unknown) => {
    if (!isDeepStrictEqual(a, b)) assert.deepEqual(a, b, `${what} ${JSON.stringify(p)} in ${JSON.stringify(text)}`);
  };
  for (const p of probes) {
    same("find", p, fast.find(p), scan.find(p));
    same("keyAt", p, fast.keyAt(p), scan.keyAt(p));
    same("valueAt", p, fast.valueAt(p), scan.valueAt(p));
  }
}

/**
 * The fast path either declines, or gives exactly smol-toml's data (null-prototype tables, key
 * order, numbers) and exactly locateTomlKeys' positions. Returns whether it accepted the text.
 */
function agrees(text: string): boolean {
  let expected: Record<string, unknown> | undefined;
  try {
    expected = parse(text) as Record<string, unknown>;
  } catch {
    expected = undefined;
  }
  const fast = parseSimpleToml(text);
  if (fast === undefined) return false;
  assert.ok(expected !== undefined, `accepted what smol-toml rejects: ${JSON.stringify(text)}`);
  assert.deepStrictEqual(fast.data, expected, JSON.stringify(text));
  assert.deepEqual(keyOrder(fast.data), keyOrder(expected), JSON.stringify(text));
  sameLocations(fast.locator, locateTomlKeys(text), pathsOf(expected), text);
  return true;
}

const pick = <T>(rand: () => number, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];

const KEYS = ["name", "type", "a", "b", "depends_on", "x-1", "_k", "9", "true", "__proto__", "constructor", "é", "a.b", '"q"', "'lit'", ""];
const SCALARS = [
  '"s"',
  '""',
  '"a b # c"',
  '"tab\there"',
  '"esc\\n"',
  '"esc\\""',
  "'lit\\x'",
  "''",
  '"""multi"""',
  "'''multi'''",
  '"bad\u0001"',
  '"del\u007f"',
  '"é ✓ 😀"',
  '"unclosed',
  "0",
  "7",
  "42",
  "007",
  "-1",
  "+1",
  "-0",
  "1_000",
  "1.5",
  "1e3",
  "0x1f",
  "123456789012345",
  "1234567890123456",
  "99999999999999999999",
  "1979-05-27",
  "07:32:00",
  "1979-05-27T07:32:00Z",
  "true",
  "false",
  "truex",
  "tru",
  "inf",
  "nan",
  "{ a = 1 }",
  "{}",
  "x",
];

/** Values in the subset (a "plain" document draws only these). */
const PLAIN_SCALARS = ['"s"', '""', '"a b # c"', '"tab\there"', "'lit\\x'", "''", '"é ✓ 😀"', "0", "7", "42", "123456789012345", "true", "false"];

function value(rand: () => number, plain: boolean, depth = 0): string {
  const r = rand();
  if (r < 0.25 && depth < 2) {
    const n = Math.floor(rand() * 4);
    const sep = () => pick(rand, plain ? [", ", ",", " , ", ",\n  ", ",\n"] : [", ", ",", " , ", ",\n  ", ",\n", ", # c\n"]);
    const items = Array.from({ length: n }, () => value(rand, plain, depth + 1));
    const trailing = n > 0 && rand() < 0.3 ? "," : "";
    const open = pick(rand, ["[", "[ ", "[\n  ", "[\t"]);
    const close = pick(rand, ["]", " ]", "\n]", "\n  ]"]);
    return `${open}${items.join(sep())}${trailing}${close}`;
  }
  return pick(rand, plain ? PLAIN_SCALARS : SCALARS);
}

function line(rand: () => number, plain: boolean): string {
  const r = rand();
  if (r < 0.08) return "";
  if (r < 0.14) return pick(rand, plain ? ["# comment", "  # indented - with -- dashes: and : colons", "# é", "#"] : ["# comment", "#\u0001 control", "#"]);
  if (r < 0.3) {
    const name = pick(rand, plain ? ["strategy", "target", "tags", "columns", "a", "name", "depends_on"] : ["strategy", "a.b", '"q"', "depends_on"]);
    const arr = rand() < 0.35;
    const inner = pick(rand, [name, ` ${name} `, `\t${name}`]);
    const tail = pick(rand, plain ? ["", " ", " # c", "\t"] : ["", " x"]);
    return `${pick(rand, ["", " ", "\t"])}${arr ? `[[${inner}]]` : `[${inner}]`}${tail}`;
  }
  const key = pick(rand, plain ? KEYS.slice(0, 9) : KEYS);
  const eq = pick(rand, plain ? [" = ", "=", " =", "= ", "\t=\t"] : [" = ", " == ", " "]);
  const tail = pick(rand, plain ? ["", "", " ", " # trailing", "# t"] : ["", " junk", ","]);
  return `${pick(rand, ["", "", "  ", "\t"])}${key}${eq}${value(rand, plain)}${tail}`;
}

/** Mostly-plain documents (each line plain with high probability) so that both sides of the fast path are exercised. */
function documentText(rand: () => number): string {
  const n = 1 + Math.floor(rand() * 9);
  const plainness = rand() < 0.6 ? 0.97 : 0.6;
  const lines = Array.from({ length: n }, () => line(rand, rand() < plainness));
  const nl = rand() < 0.05 ? "\r\n" : "\n";
  const bom = rand() < 0.02 ? "\ufeff" : "";
  const end = rand() < 0.7 ? nl : "";
  return bom + lines.join(nl) + end;
}

/** Delete, duplicate or replace a few characters. */
function corrupt(text: string, rand: () => number): string {
  const alphabet = ['"', "'", "[", "]", "{", "}", "=", ".", ",", "\n", "#", ":", "-", "\\", "a", "1", " ", "\t", "\r", "\u0000", "é"];
  let out = text;
  const edits = 1 + Math.floor(rand() * 3);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(rand() * (out.length + 1));
    const op = rand();
    if (op < 0.33) out = out.slice(0, at) + out.slice(at + 1);
    else if (op < 0.66) out = out.slice(0, at) + out.slice(at, at + 1 + Math.floor(rand() * 6)).repeat(2) + out.slice(at + 1);
    else out = out.slice(0, at) + pick(rand, alphabet) + out.slice(at + 1);
  }
  return out;
}

test("fast TOML path: same data and positions as smol-toml + locateTomlKeys on 8,000 random documents and their corruptions, or declines", () => {
  const rand = seededRandom(0x70a1);
  let accepted = 0;
  let total = 0;
  for (let i = 0; i < 8_000; i++) {
    const text = documentText(rand);
    for (const t of [text, corrupt(text, rand)]) {
      total++;
      if (agrees(t)) accepted++;
    }
  }
  // The generator must exercise the accepting side too, or the test proves nothing.
  assert.ok(accepted > total * 0.2, `accepted ${accepted} of ${total}`);
});

test("fast TOML path: the shapes sidecars are written in are accepted, and agree", () => {
  const docs = [
    'name = "fct_00000"\ndepends_on = ["int_00147", "stg_00002"]\n\n[strategy]\ntype = "full_refresh"\n\n[target]\ncatalog = "warehouse"\nschema = "marts"\ntable = "fct_00000"\n',
    '[strategy]\ntype = "merge"\nunique_key = ["order_id"]\n\n[[exposures]]\nname = "Finance"\ntype = "dashboard"\nurl = "https://bi.example.com/x"\n[[exposures]]\nname = "Exec"\n',
    "[[columns]]\nname = \"order_id\"\ntype = \"Int32\"\nnullable = false\n\n[rules]\nrequired = [\"order_id\", \"amount\"]\nprotected = [\n  \"order_id\",\n  \"amount\",\n]\n",
    "# comment\n[freshness]\nmax_lag_seconds = 86400 # a day\ntime_column = 'signed_up_at'\n[classification]\nemail = \"pii\"\n",
    "",
    "\n\n# only comments\n",
    "[budget]\nmax_usd = 10\n[[tests]]\ntype = \"unique\"\ncolumns = [1, 2, true]\n",
    "[[x]]\n0 = 1\n1 = [0, 1]\n[[x]]\n0 = 2\n[ y ]\n\t k\t=\t'v' \t# c\n[z]\n",
    "a = []\nb = [\n]\nc = [ \"x\" , \"y\" , ]\n",
  ];
  for (const d of docs) assert.ok(agrees(d), `declined ${JSON.stringify(d)}`);
});

test("fast TOML path: a long document (a 300-column contract: looked up through an index) agrees at every key", () => {
  const columns = Array.from({ length: 300 }, (_, i) => `[[columns]]\nname = "c_${i}"\ntype = "Int64"\nnullable = ${i % 2 === 0}\n`).join("\n");
  const text = `${columns}\n[rules]\nrequired = [${Array.from({ length: 50 }, (_, i) => `"c_${i}"`).join(", ")}]\nprotected = ["c_0"]\n`;
  assert.ok(agrees(text));
});

test("fast TOML path: every TOML file of the examples and fixtures agrees, and the benchmark's sidecars take the fast path", () => {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith(".toml")) files.push(p);
    }
  };
  for (const root of ["examples", "test/fixtures"]) walk(root);
  assert.ok(files.length > 10);
  let accepted = 0;
  for (const f of files) if (agrees(readFileSync(f, "utf8"))) accepted++;
  assert.ok(accepted > 0);
  const bench = generateProject(300) as Map<string, string>;
  for (const [path, text] of bench) {
    if (path.startsWith("models/") && path.endsWith(".toml")) assert.ok(agrees(text), `declined ${path}`);
  }
});

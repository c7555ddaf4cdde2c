import { createHash } from "node:crypto";
import type { ProjectEntry } from "../ports.js";

/**
 * A project's files at a commit with their blob ids, without a per-file object: the paths sorted
 * (UTF-16 order, as listTree sorts them) and the blob ids side by side in one string. A cached
 * review looks a handful of paths up (binary search) and never builds a map of 20,000 files.
 */
export interface TreeListing {
  readonly size: number;
  /** The blob id of `path`, undefined when the listing has no such file. */
  object(path: string): string | undefined;
  has(path: string): boolean;
  /** Whether `path` reads the same in `other`: the same blob, or absent from both (as two files maps would say). */
  sameIn(other: TreeListing, path: string): boolean;
  /** Every path, sorted. */
  paths(): IterableIterator<string>;
  /** Every entry, sorted by path (what a full read or compile needs). */
  entries(): ProjectEntry[];
  /** The listing's content: sha1 of its paths and blob ids (what keys a compile of it). */
  readonly contentHash: string;
}

/** What a listing is kept as in a cache record: two strings, decoded without a per-file object. */
export interface TreeListingRecord {
  readonly v: 1;
  /** Paths joined by NUL (a git path never holds one). */
  readonly paths: string;
  /** Blob ids concatenated, `width` hex digits each (40 for sha1, 64 for sha256 repositories). */
  readonly objects: string;
  readonly width: number;
  readonly contentHash: string;
}

/** A few lookups search the sorted paths; past this many (a finding per model), one map answers the rest. */
const INDEX_AFTER_LOOKUPS = 256;

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

class SortedListing implements TreeListing {
  readonly #paths: readonly string[];
  readonly #objects: string;
  readonly #width: number;
  /** Path → index, built once lookups are many (a string's hash is kept, comparisons are not). */
  #index: Map<string, number> | undefined;
  #lookups = 0;
  readonly contentHash: string;
  constructor(paths: readonly string[], objects: string, width: number, contentHash: string) {
    this.#paths = paths;
    this.#objects = objects;
    this.#width = width;
    this.contentHash = contentHash;
  }
  get size(): number {
    return this.#paths.length;
  }
  object(path: string): string | undefined {
    const i = this.#indexOf(path);
    return i < 0 ? undefined : this.#objects.slice(i * this.#width, (i + 1) * this.#width);
  }
  has(path: string): boolean {
    return this.#indexOf(path) >= 0;
  }
  sameIn(other: TreeListing, path: string): boolean {
    return other === this || this.object(path) === other.object(path);
  }
  #indexOf(path: string): number {
    if (this.#index === undefined && ++this.#lookups > INDEX_AFTER_LOOKUPS) {
      const index = new Map<string, number>();
      this.#paths.forEach((p, i) => index.set(p, i));
      this.#index = index;
    }
    if (this.#index !== undefined) return this.#index.get(path) ?? -1;
    let lo = 0;
    let hi = this.#paths.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const c = compare(this.#paths[mid], path);
      if (c === 0) return mid;
      if (c < 0) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }
  paths(): IterableIterator<string> {
    return this.#paths.values();
  }
  entries(): ProjectEntry[] {
    const w = this.#width;
    return this.#paths.map((path, i) => ({ path, object: this.#objects.slice(i * w, (i + 1) * w) }));
  }
  toRecord(): TreeListingRecord {
    return { v: 1, paths: this.#paths.join("\0"), objects: this.#objects, width: this.#width, contentHash: this.contentHash };
  }
}

/** sha1 over the sorted entries: the same content, the same hash, whatever commit it was listed from. */
function hashEntries(entries: readonly ProjectEntry[]): string {
  const h = createHash("sha1");
  for (const e of entries) h.update(`\n${e.path}\0${e.object}`);
  return h.digest("hex");
}

/** A listing of `entries` (sorted here if they are not). */
export function listingOf(entries: readonly ProjectEntry[]): TreeListing & { toRecord(): TreeListingRecord } {
  const sorted = isSorted(entries) ? entries : [...entries].sort((a, b) => compare(a.path, b.path));
  const width = sorted[0]?.object.length ?? 40;
  if (sorted.some((e) => e.object.length !== width)) throw new Error("a tree listing mixes blob id lengths");
  return new SortedListing(
    sorted.map((e) => e.path),
    sorted.map((e) => e.object).join(""),
    width,
    hashEntries(sorted),
  );
}

function isSorted(entries: readonly ProjectEntry[]): boolean {
  for (let i = 1; i < entries.length; i++) if (compare(entries[i - 1].path, entries[i].path) >= 0) return false;
  return true;
}

/** The listing a cache record holds, or undefined when the record is not one (missing, damaged, another version). */
export function listingFromRecord(record: unknown): TreeListing | undefined {
  if (typeof record !== "object" || record === null) return undefined;
  const r = record as Partial<TreeListingRecord>;
  if (r.v !== 1 || typeof r.paths !== "string" || typeof r.objects !== "string" || typeof r.width !== "number" || typeof r.contentHash !== "string") return undefined;
  const paths = r.paths === "" ? [] : r.paths.split("\0");
  if (r.objects.length !== paths.length * r.width) return undefined;
  return new SortedListing(paths, r.objects, r.width, r.contentHash);
}

/**
 * `base` with `changes` applied (path → its new blob id, or null when the file is gone): the head
 * side of a review from the base listing and `git diff --raw`, touching only the changed paths.
 */
export function overlayListing(base: TreeListing, changes: ReadonlyMap<string, string | null>): TreeListing {
  let size = base.size;
  for (const [path, object] of changes) {
    const had = base.object(path) !== undefined;
    if (had && object === null) size--;
    else if (!had && object !== null) size++;
  }
  const added = [...changes].filter(([p, o]) => o !== null && base.object(p) === undefined).map(([p]) => p).sort(compare);
  const object = (path: string): string | undefined => {
    const c = changes.get(path);
    if (c !== undefined) return c ?? undefined;
    return changes.has(path) ? undefined : base.object(path);
  };
  function* paths(): Generator<string> {
    // Both sorted: merge the added paths into the base's, dropping what the changes removed.
    let i = 0;
    for (const p of base.paths()) {
      while (i < added.length && added[i] < p) yield added[i++];
      if (changes.get(p) !== null) yield p;
    }
    while (i < added.length) yield added[i++];
  }
  let hash: string | undefined;
  const listing: TreeListing = {
    size,
    object,
    has: (path) => (changes.has(path) ? changes.get(path) !== null : base.has(path)),
    // Against its own base, a path the PR did not change reads the same: nothing is looked up (a finding per
    // model asks this of 10,000 files; a path index alone cost 8-18 ms to build).
    sameIn: (other, path) => (other === base ? !changes.has(path) : object(path) === other.object(path)),
    paths,
    entries: () => [...paths()].map((path) => ({ path, object: object(path)! })),
    get contentHash() {
      hash ??= hashEntries(listing.entries());
      return hash;
    },
  };
  return listing;
}

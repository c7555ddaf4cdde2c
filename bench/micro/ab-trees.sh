#!/bin/bash
# Two CLI builds from ONE snapshot of the working tree, differing only in PATHS (space-separated,
# default: the engine folders of charter 18) taken at commit BASE in the "base" build: an A/B of your
# change alone, whatever else is uncommitted in the shared checkout. Builds land in OUT/base/out and
# OUT/new/out (main.js), with node_modules linked. Then compare, e.g.:
#   node --import tsx bench/micro/core-ab.ts OUT/base OUT/new 8
#   node bench/compare-builds.mjs OUT/base/out/main.js OUT/new/out/main.js 5
# Usage: bench/micro/ab-trees.sh BASE [OUT=/tmp/rocky-ab]
set -e
BASE=${1:?usage: ab-trees.sh BASE_COMMIT [OUT]}
OUT=${2:-/tmp/rocky-ab}
PATHS=${PATHS:-"engine/src/syntax engine/src/dialects engine/src/analyze engine/src/types engine/src/lineage engine/src/project engine/src/checks engine/src/graph"}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
rm -rf "$OUT/new" "$OUT/base"
mkdir -p "$OUT/new"
cd "$ROOT"
tar --exclude=./node_modules --exclude=./.git --exclude=./.team --exclude=./cli/dist --exclude=./action/dist --exclude=./app/dist -cf - . | tar -xf - -C "$OUT/new"
ln -s "$ROOT/node_modules" "$OUT/new/node_modules"
cp -a "$OUT/new" "$OUT/base"
for p in $PATHS; do rm -rf "${OUT:?}/base/$p"; done
git archive "$BASE" $PATHS | tar -xf - -C "$OUT/base"
(cd "$OUT/base" && node scripts/build.mjs --outdir "$OUT/base/out" >/dev/null)
(cd "$OUT/new" && node scripts/build.mjs --outdir "$OUT/new/out" >/dev/null)
echo "$OUT/base/out/main.js $OUT/new/out/main.js"

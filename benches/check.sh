#!/usr/bin/env bash
# Measures `memo check --all` over the Rust RFC corpus against markdownlint-cli with
# its required-headings rule (MD043) over the same files, in the same run.
#
# Usage: benches/check.sh [RFC_TEXT_DIR] [RUNS]
#   RFC_TEXT_DIR defaults to $MEMO_TEST_CORPUS, RUNS to 15.
# Needs a release build (`cargo build --release`) and npm. markdownlint-cli is
# installed under target/bench-node/ (ignored by git) on the first run.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
corpus=${1:-${MEMO_TEST_CORPUS:-}}
runs=${2:-15}
if [ -z "$corpus" ] || [ ! -d "$corpus" ]; then
    echo "usage: benches/check.sh RFC_TEXT_DIR [RUNS] (or set MEMO_TEST_CORPUS)" >&2
    exit 2
fi
memo="$root/target/release/memo"
[ -x "$memo" ] || { echo "build first: cargo build --release" >&2; exit 2; }

node_dir="$root/target/bench-node"
markdownlint="$node_dir/node_modules/.bin/markdownlint"
if [ ! -x "$markdownlint" ]; then
    npm install --silent --no-audit --no-fund --prefix "$node_dir" markdownlint-cli@0.50.0 >&2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
git init -q -b main
git config user.name "Bench"
git config user.email "bench@example.com"
"$memo" init >/dev/null
"$memo" import rfc "$corpus" >/dev/null
count=$(ls memos/*.md | wc -l)

# The rfc template's required sections, as MD043 headings; `*` allows any headings
# in between.
cat > .markdownlint.json <<'JSON'
{
  "default": false,
  "MD043": {
    "headings": ["*", "## Summary", "*", "## Motivation", "*", "## Drawbacks", "*",
                 "## Rationale and alternatives", "*", "## Unresolved questions", "*"],
    "match_case": false
  }
}
JSON

# Prints the median wall time of a command in milliseconds.
median_ms() {
    local times=()
    for _ in $(seq "$runs"); do
        local start end
        start=$(date +%s%N)
        "$@" >/dev/null 2>&1 || true
        end=$(date +%s%N)
        times+=($(( (end - start) / 1000000 )))
    done
    printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : int((a[NR / 2] + a[NR / 2 + 1]) / 2) }'
}

"$memo" check --all >/dev/null 2>&1 || true   # warm the page cache
memo_ms=$(median_ms "$memo" check --all)
lint_ms=$(median_ms "$markdownlint" --config .markdownlint.json memos)
findings=$("$memo" check --all --json | grep -c '"rule"' || true)

echo "files:                  $count"
echo "runs:                   $runs"
echo "memo check --all:       ${memo_ms} ms median ($findings findings)"
echo "markdownlint MD043:     ${lint_ms} ms median"
awk -v m="$memo_ms" -v l="$lint_ms" 'BEGIN { printf "ratio markdownlint/memo: %.1fx\n", l / m }'

#!/usr/bin/env bash
# Benchmarks of the terminal UI on a generated 10,000-memo repository and the largest
# RFC of the corpus. Usage: benches/tui.sh [RFC_TEXT_DIR]
# The repository is generated once into target/bench/tui-10k and reused.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus="${1:-${MEMO_TEST_CORPUS:-../shared/corpus/rust-rfcs/text}}"
repo=target/bench/tui-10k

if [ ! -d "$repo/.git" ]; then
    cargo build --release --example generate_memos
    rm -rf "$repo"
    target/release/examples/generate_memos "$corpus" 10000 "$repo"
    git -C "$repo" init -q -b main
    git -C "$repo" add -A
    git -C "$repo" -c user.name=bench -c user.email=bench@example.invalid commit -qm "generated memos"
fi
cargo build --release
target/release/memo -C "$repo" index >/dev/null

largest=$(ls -S "$corpus"/*.md | sed -n 1p)
cargo bench --bench tui -- "$(pwd)/$repo" "$largest"

#!/usr/bin/env bash
# Benchmark of meetings: `memo meet status`, the minutes and `memo meetings` as whole
# processes, next to git reading the same event blobs, and the meeting screen's frames
# in process (benches/meeting.rs). The repository has 1,000 memos with 100,000 comment
# events; the first memo has 1,009 comments and a meeting with 10 readers who wrote 60
# progress events each.
#
# Usage: benches/meetings.sh [RFC_TEXT_DIR] [RUNS]
#   RFC_TEXT_DIR defaults to $MEMO_TEST_CORPUS; RUNS (default 15) is how many times
#   each command runs. Prints medians in milliseconds.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-${MEMO_TEST_CORPUS:?set MEMO_TEST_CORPUS or pass the RFC text folder}}
runs=${2:-15}

cargo build --release --quiet --bin memo --example generate_memos --example generate_events --example generate_meeting
# The screen benchmark is built now and run as a program later, because cargo needs
# the real HOME that the timed commands run without.
screen_bench=$(cargo bench --quiet --no-run --bench meeting --message-format=json |
    jq -r 'select(.target.name == "meeting" and .executable != null) | .executable')
memo=$(pwd)/target/release/memo
examples=$(pwd)/target/release/examples
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

export HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" GIT_CONFIG_NOSYSTEM=1 NO_COLOR=1 TZ=UTC
mkdir -p "$HOME"
git config --global user.name "Bench Author"
git config --global user.email bench@example.com
git config --global init.defaultBranch main
git config --global gc.auto 0

# Prints the median wall time of a command in milliseconds.
median() {
    local times=()
    for _ in $(seq "$runs"); do
        local start end
        start=$(date +%s%N)
        "$@" >/dev/null 2>&1
        end=$(date +%s%N)
        times+=($(((end - start) / 1000)))
    done
    printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.1f", m/1000}'
}

echo "== setup: 1,000 memos, 100,000 events, a meeting" >&2
repo="$work/repo"
"$examples/generate_memos" "$corpus" 1000 "$repo" >/dev/null 2>&1
git -C "$repo" init -q
git -C "$repo" add -A
git -C "$repo" commit -q -m "Add 1,000 memos"
"$examples/generate_events" "$repo" 100000 1000 >&2
big=$(cd "$repo" && "$memo" list --json | jq -r '.[0].path')
big_uid=$(cd "$repo" && "$memo" list --json | jq -r '.[0].uid')
meeting=$("$examples/generate_meeting" "$repo" "$big_uid" 10 60)
events=$(git -C "$repo" ls-tree -r --name-only "refs/memo/events/$big_uid" | wc -l)
echo "   the meeting's memo holds $events events" >&2
logs=$(git -C "$repo" for-each-ref --format='%(objectname)' refs/memo/events/)

cd "$repo"
echo "== one memo's meeting" >&2
status=$(median "$memo" meet status "$big" --json)
minutes=$(median "$memo" meetings "$big" --minutes)
git_read=$(median sh -c "git ls-tree -r --object-only refs/memo/events/$big_uid | git cat-file --batch")
echo "== every memo's meetings" >&2
all=$(median "$memo" meetings --json)
# shellcheck disable=SC2086
git_grep=$(median git grep -c meeting.started $logs)

echo "== the meeting screen" >&2
screen=$("$screen_bench" "$repo" "$big_uid" "$meeting")

cat <<TABLE
| operation | memo (ms) | peer | peer (ms) |
|---|---|---|---|
| \`memo meet status MEMO --json\`, $events events | $status | \`git ls-tree -r\` + \`git cat-file --batch\` of its events | $git_read |
| \`memo meetings MEMO --minutes\`, same memo | $minutes | same | $git_read |
| \`memo meetings --json\`, 1,000 logs | $all | \`git grep -c meeting.started\` over every log | $git_grep |

$screen
TABLE

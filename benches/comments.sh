#!/usr/bin/env bash
# Benchmark of comment threads and sync: adding a comment, listing the threads of a
# memo with 1,000 comments, and a sync that merges 10,000 remote events, in a
# repository of 1,000 memos with 100,000 events. Each memo command is timed as a whole
# process next to a git command line doing the same kind of work, in the same run.
#
# Usage: benches/comments.sh [RFC_TEXT_DIR] [RUNS]
#   RFC_TEXT_DIR defaults to $MEMO_TEST_CORPUS; RUNS (default 15) is how many times
#   each command runs. Prints medians in milliseconds.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-${MEMO_TEST_CORPUS:?set MEMO_TEST_CORPUS or pass the RFC text folder}}
runs=${2:-15}

cargo build --release --quiet --bin memo --example generate_memos --example generate_events
memo=$(pwd)/target/release/memo
examples=$(pwd)/target/release/examples
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

export HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" GIT_CONFIG_NOSYSTEM=1 NO_COLOR=1
mkdir -p "$HOME"
git config --global user.name "Bench Author"
git config --global user.email bench@example.com
git config --global init.defaultBranch main
git config --global gc.auto 0

# Prints the median wall time of a command in milliseconds; SETUP (run untimed before
# each run) may reset state.
median() {
    local setup=$1
    shift
    local times=()
    for _ in $(seq "$runs"); do
        eval "$setup"
        local start end
        start=$(date +%s%N)
        "$@" >/dev/null 2>&1
        end=$(date +%s%N)
        times+=($(((end - start) / 1000)))
    done
    printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.1f", m/1000}'
}

echo "== setup: 1,000 memos, 100,000 events" >&2
repo="$work/repo"
"$examples/generate_memos" "$corpus" 1000 "$repo" >/dev/null 2>&1
git -C "$repo" init -q
git -C "$repo" add -A
git -C "$repo" commit -q -m "Add 1,000 memos"
start=$(date +%s)
"$examples/generate_events" "$repo" 100000 1000 >&2
echo "   (events written in $(($(date +%s) - start)) s)" >&2
big=$(cd "$repo" && "$memo" list --json | jq -r '.[0].path')
big_uid=$(cd "$repo" && "$memo" list --json | jq -r '.[0].uid')
quote=$(cd "$repo" && awk 'NR>12 && length($0)>40 && /^[A-Za-z]/ {print; exit}' "$big")
echo "   $(git -C "$repo" for-each-ref refs/memo/events | wc -l) event logs," \
    "$(git -C "$repo" count-objects -v | awk '/^count/ {print $2}') loose objects" >&2

echo "== add a comment" >&2
cd "$repo"
add=$(median : "$memo" comment add 2 --quote "$quote" -m "How long does the rollout take?")
add_section=$(median : "$memo" comment add 3 -m "Who owns this?")
git_notes=$(median : git notes --ref=bench append -m "How long does the rollout take?" HEAD)
thread=$("$memo" comment add 4 -m "Reply to this")
reply=$(median : "$memo" comment reply "${thread:0:8}" -m "A reply found by its id prefix")

echo "== list the threads of a memo with 1,000 comments" >&2
list=$(median : "$memo" comment list "$big" --json)
git_read=$(median : sh -c "git ls-tree -r --object-only refs/memo/events/$big_uid | git cat-file --batch")
# The same after an edit above every quote, so every anchor is searched for again.
cp "$big" "$work/big.md"
awk 'BEGIN{fm=0} {print} /^---$/ {fm++; if (fm==2) print "\nA paragraph added after the comments were written, which moves every quote.\n"}' \
    "$work/big.md" >"$big"
list_edited=$(median : "$memo" comment list "$big" --json)
cp "$work/big.md" "$big"
states=$("$memo" comment list "$big" --json | jq -r '[.[].anchor.state] | group_by(.) | map("\(.[0]) \(length)") | join(", ")')

echo "== sync merging 10,000 remote events" >&2
remote="$work/remote.git"
git clone -q --bare --no-local "$repo" "$remote"
git -C "$repo" push -q "$remote" 'refs/memo/events/*:refs/memo/events/*'
# Another clone of the remote, which takes the 100,000 events in a first sync.
git clone -q "$remote" "$work/pristine"
(cd "$work/pristine" && "$memo" sync >/dev/null)
# 10,000 new events reach the remote from the first repository's writers.
git -C "$repo" remote add origin "$remote"
"$examples/generate_events" "$repo" 10000 0 7 >&2
(cd "$repo" && "$memo" sync >/dev/null)
# The other clone wrote events of its own meanwhile, so its logs must merge.
"$examples/generate_events" "$work/pristine" 2000 0 11 >&2
# Each run starts from the same clone and remote, since a sync pushes its merges.
cp -a "$remote" "$work/remote-pristine"
reset='rm -rf "$work/clone" "$remote"; cp -a "$work/pristine" "$work/clone"; cp -a "$work/remote-pristine" "$remote"; cd "$work/clone"'
sync=$(median "$reset" "$memo" sync)
git_fetch=$(median "$reset" git fetch -q origin 'refs/memo/events/*:refs/memo/remotes/origin/*')
eval "$reset"
"$memo" -v sync >&2

cat <<EOF
| operation | memo (ms) | peer | peer (ms) |
|---|---|---|---|
| add a comment on a quote | $add | \`git notes append\` | $git_notes |
| add a comment on the whole memo | $add_section | \`git notes append\` | $git_notes |
| reply to a thread given by an 8-character id prefix | $reply | \`git notes append\` | $git_notes |
| list threads, memo with 1,000 comments, unchanged | $list | \`git ls-tree -r\` + \`git cat-file --batch\` of its events | $git_read |
| list threads, memo with 1,000 comments, edited above every quote | $list_edited | same | $git_read |
| sync merging 10,000 remote events | $sync | \`git fetch\` of the same event refs | $git_fetch |

anchor states after the edit: $states
EOF

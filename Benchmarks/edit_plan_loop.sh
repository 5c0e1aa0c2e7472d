#!/usr/bin/env bash
# The edit -> plan loop of a package of one's own (Examples/MyStacks), debug build: after one
# line of its stack changes, how long `swift run my-stacks plan` takes, build included.
# Builds the package once, then changes the landing page's text RUNS times (default 3), timing
# each `swift run`; the file is restored on exit. Usage: bash Benchmarks/edit_plan_loop.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/../Examples/MyStacks"
stack=Sources/my-stacks/main.swift
original=$(mktemp)
state=$(mktemp -d)
cp "$stack" "$original"
trap 'cp "$original" "$stack"; rm -rf "$original" "$state"' EXIT
swift build >/dev/null
for run in $(seq 1 "${1:-3}"); do
    sed -i "s|<h1>Hello from .*</h1>|<h1>Hello from \\\\(environment), edit $run</h1>|" "$stack"
    start=$(date +%s.%N)
    swift run my-stacks plan --refresh=false --state-dir "$state" --region us-east-1 >"$state/plan.txt" 2>"$state/errors.txt" \
        || { cat "$state/errors.txt" >&2; exit 1; }
    end=$(date +%s.%N)
    grep -q "edit $run" "$state/plan.txt" || { echo "run $run: the plan does not show the edit" >&2; exit 1; }
    echo "edit -> plan, run $run: $(python3 -c "print(round($end - $start, 2))") s"
done

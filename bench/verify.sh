#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# verify_queries_per_sec_1000_rules: batch-mode `nsgnic verify` throughput (reference engine),
# one process, on a subnet NSG + NIC NSG of 1,000 rules each (bench/gen_config.py), 100,000 queries
# including JSON parsing and printing. Best of 3 runs.
set -euo pipefail
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 "$NSGNIC_ROOT/bench/gen_config.py" "$work" 1000 100000
n=$(wc -l < "$work/queries.jsonl")
best=0
for _ in 1 2 3; do
  t0=$(date +%s.%N)
  "$BUILD_DIR/bin/nsgnic" verify --config "$work/config.json" --batch "$work/queries.jsonl" > "$work/out.jsonl"
  t1=$(date +%s.%N)
  qps=$(python3 -c "print(int($n / ($t1 - $t0)))")
  [ "$qps" -gt "$best" ] && best=$qps
done
[ "$(wc -l < "$work/out.jsonl")" -eq "$n" ] || { echo "verify: wrong number of answers" >&2; exit 1; }
if grep -q '"error"' "$work/out.jsonl"; then echo "verify: a query failed" >&2; exit 1; fi
allow=$(grep -c '"Allow"' "$work/out.jsonl" || true)
echo "verify_queries_per_sec_1000_rules: $best queries/s"
echo "verify_allow_fraction_1000_rules: $(python3 -c "print(round($allow / $n, 3))") ratio"

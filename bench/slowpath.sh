#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Slow-path figures (bench/README.md): the classifier against DPDK's rte_acl on the ClassBench
# sets (same rules, same trace, one core, side by side in this run), memory per rule, build
# time; connection tracking at 1M flows against DPDK's rte_hash (same keys, same lookup order).
# rte_acl and rte_hash are only built here, from Debian's dpdk-dev
# (pkg-config libdpdk); without it their figures print "n/a".
# The machine is shared: each engine runs NSGNIC_BENCH_ROUNDS times (default 3), alternating with
# the other, and its best rate counts (each run is itself the best of 5 passes over the trace).
# Env: NSGNIC_BENCH_PKTS (trace length, default 1000000), NSGNIC_BENCH_ROUNDS, NSGNIC_BENCH_SETS
# (ClassBench sets, default all six; empty: conntrack only), NSGNIC_BENCH_FLOWS (flows of the
# conntrack run, default 1000000), NSGNIC_BENCH_CT_ROUNDS (its alternating rounds, default 5).
set -euo pipefail
: "${BUILD_DIR:?run through bench/run}" "${NSGNIC_ROOT:?}"
bench="$BUILD_DIR/bin/nsgnic-slowpath-bench"
[ -x "$bench" ] || { echo "slowpath: $bench not built" >&2; exit 1; }
data="$NSGNIC_ROOT/bench/data/classbench"
pkts="${NSGNIC_BENCH_PKTS:-1000000}"
rounds="${NSGNIC_BENCH_ROUNDS:-3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

rte=""
if pkg-config --exists libdpdk 2>/dev/null; then
  rte="$BUILD_DIR/bench/rte-acl-bench"
  mkdir -p "$BUILD_DIR/bench"
  if [ ! -x "$rte" ] || [ "$NSGNIC_ROOT/bench/rte_acl_bench.c" -nt "$rte" ]; then
    # shellcheck disable=SC2046
    cc -O3 -march=native -o "$rte" "$NSGNIC_ROOT/bench/rte_acl_bench.c" $(pkg-config --cflags --libs libdpdk) \
      || { echo "slowpath: building the rte_acl baseline failed" >&2; rte=""; }
  fi
else
  echo "# rte_acl baseline: n/a (install Debian dpdk-dev for pkg-config libdpdk)"
fi

fig() { sed -n "s/^$1: \([^ ]*\).*/\1/p" "$2" | head -1; }
max() { awk -v a="$1" -v b="$2" 'BEGIN{ if (a == "" || b + 0 > a + 0) print b; else print a }'; }

for set in ${NSGNIC_BENCH_SETS-acl1k acl10k fw1k fw10k ipc1k ipc10k}; do
  base="${set%%[0-9]*}"; size="${set#"$base"}"
  file="$data/${base}1_${size}"
  "$bench" classify "$file" "$work/trace" "$pkts" > "$work/ours"
  ours="$(fig classify_mpps "$work/ours")"
  sc=""; best=""; av=""; rte_ok=""
  for r in $(seq "$rounds"); do
    if [ -n "$rte" ] && "$rte" "$file" "$work/trace" > "$work/rte" 2>&1; then
      rte_ok=1
      sc="$(max "$sc" "$(fig rte_acl_scalar_mpps "$work/rte")")"
      best="$(max "$best" "$(fig rte_acl_best_mpps "$work/rte")")"
      av="$(max "$av" "$(fig rte_acl_avx2_mpps "$work/rte")")"
    fi
    [ "$r" -gt 1 ] || continue
    "$bench" classify "$file" "$work/trace2" "$pkts" > "$work/ours2"
    ours="$(max "$ours" "$(fig classify_mpps "$work/ours2")")"
  done
  echo "classify_mpps_$set: $ours Mpps"
  echo "classify_build_ms_$set: $(fig build_ms "$work/ours") ms"
  echo "classify_bytes_per_rule_$set: $(fig memory_per_rule "$work/ours") bytes"
  if [ -n "$rte_ok" ]; then
    echo "rte_acl_scalar_mpps_$set: $sc Mpps"
    echo "rte_acl_avx2_mpps_$set: $av Mpps"
    echo "rte_acl_best_mpps_$set: $best Mpps"
    echo "ratio_vs_rte_acl_scalar_$set: $(awk -v a="$ours" -v b="$sc" 'BEGIN{printf "%.2f", a/b}') x"
    echo "ratio_vs_rte_acl_best_$set: $(awk -v a="$ours" -v b="$best" 'BEGIN{printf "%.2f", a/b}') x"
    echo "rte_acl_build_ms_$set: $(fig rte_acl_build_ms "$work/rte") ms"
    total="$(sed -n 's/^total: \([0-9]*\) bytes.*/\1/p' "$work/rte" | head -1)"
    rules="$(fig rules "$work/ours")"
    [ -n "$total" ] && echo "rte_acl_bytes_per_rule_$set: $(awk -v a="$total" -v b="$rules" 'BEGIN{printf "%.1f", a/b}') bytes"
    # same rules, same trace: both must find the same first matching rule for every packet
    if [ "$(fig result_checksum "$work/ours")" != "$(fig rte_acl_scalar_checksum "$work/rte")" ]; then
      echo "slowpath: results differ from rte_acl on $set" >&2; exit 1
    fi
  else
    for f in rte_acl_scalar_mpps rte_acl_best_mpps ratio_vs_rte_acl_best; do echo "${f}_$set: n/a"; done
  fi
done

# Connection tracking against DPDK rte_hash: the same keys and lookup order (written by the
# tracker's run), alternating rounds, best rate of each (lowest aging cost).
flows="${NSGNIC_BENCH_FLOWS:-1000000}"
rteh=""
if [ -n "$rte" ]; then
  rteh="$BUILD_DIR/bench/rte-hash-bench"
  if [ ! -x "$rteh" ] || [ "$NSGNIC_ROOT/bench/rte_hash_bench.c" -nt "$rteh" ]; then
    # shellcheck disable=SC2046
    cc -O3 -march=native -o "$rteh" "$NSGNIC_ROOT/bench/rte_hash_bench.c" $(pkg-config --cflags --libs libdpdk) \
      || { echo "slowpath: building the rte_hash baseline failed" >&2; rteh=""; }
  fi
fi
min() { awk -v a="$1" -v b="$2" 'BEGIN{ if (a == "" || b + 0 < a + 0) print b; else print a }'; }
declare -A ct=() rh=()
for r in $(seq "${NSGNIC_BENCH_CT_ROUNDS:-5}"); do
  "$bench" conntrack "$flows" "$work/keys" > "$work/ct" || { echo "slowpath: conntrack bench failed" >&2; exit 1; }
  for f in conntrack_mops_1m_flows conntrack_insert_mops conntrack_lookup_mops ct_table_lookup_mops \
           ct_table_lookup_bulk_mops ct_table_insert_mops; do
    ct[$f]="$(max "${ct[$f]:-}" "$(fig $f "$work/ct")")"
  done
  ct[aging]="$(min "${ct[aging]:-}" "$(fig aging_ns_per_flow "$work/ct")")"
  if [ -n "$rteh" ]; then
    "$rteh" "$work/keys" > "$work/rh" 2>/dev/null || { echo "slowpath: rte_hash bench failed" >&2; exit 1; }
    for f in rte_hash_insert_mops rte_hash_lookup_mops rte_hash_lookup_bulk_mops; do
      rh[$f]="$(max "${rh[$f]:-}" "$(fig $f "$work/rh")")"
    done
  fi
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", a/b}'; }
echo "conntrack_mops_1m_flows: ${ct[conntrack_mops_1m_flows]} Mops"
echo "conntrack_insert_mops_1m_flows: ${ct[conntrack_insert_mops]} Mops"
echo "conntrack_lookup_mops_1m_flows: ${ct[conntrack_lookup_mops]} Mops"
echo "conntrack_table_insert_mops: ${ct[ct_table_insert_mops]} Mops"
echo "conntrack_table_lookup_mops: ${ct[ct_table_lookup_mops]} Mops"
echo "conntrack_table_lookup_bulk_mops: ${ct[ct_table_lookup_bulk_mops]} Mops"
if [ -n "$rteh" ]; then
  echo "rte_hash_insert_mops: ${rh[rte_hash_insert_mops]} Mops"
  echo "rte_hash_lookup_mops: ${rh[rte_hash_lookup_mops]} Mops"
  echo "rte_hash_lookup_bulk_mops: ${rh[rte_hash_lookup_bulk_mops]} Mops"
  echo "conntrack_ratio_vs_rte_hash_lookup: $(ratio "${ct[ct_table_lookup_mops]}" "${rh[rte_hash_lookup_mops]}") x"
  echo "conntrack_ratio_vs_rte_hash_lookup_bulk: $(ratio "${ct[ct_table_lookup_bulk_mops]}" "${rh[rte_hash_lookup_bulk_mops]}") x"
  echo "conntrack_ratio_vs_rte_hash_insert: $(ratio "${ct[ct_table_insert_mops]}" "${rh[rte_hash_insert_mops]}") x"
else
  for f in conntrack_ratio_vs_rte_hash_lookup conntrack_ratio_vs_rte_hash_lookup_bulk conntrack_ratio_vs_rte_hash_insert; do
    echo "$f: n/a"
  done
fi
echo "aging_ns_per_flow: ${ct[aging]} ns"

#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Prover figures (docs/prove.md): `nsgnic prove` wall time (the proof itself: both sides' BDDs,
# the comparison and the concrete self-checks; loading and compiling excluded), best of 3, and
# the peak of live BDD nodes:
#  prove_ms_example              the three-tier example (examples/three-tier: 5 NICs, 10 cases)
#  prove_ms_1000_rules           bench/gen_compile.py with 500 rules per NSG (subnet + NIC NSG:
#                                1,000 rules, a 2,800-prefix rule in each)
#  prove_ms_azure_limits         the Azure-limit deployment of bench/compile.sh (1,000 rules per
#                                NSG, the compiler's compile_ms_1000_rules input); target < 10 s
#  prove_bdd_nodes_azure_limits  peak live BDD nodes of that proof
set -euo pipefail
bin="$BUILD_DIR/bin/nsgnic"
ex="$NSGNIC_ROOT/examples/three-tier"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

python3 "$NSGNIC_ROOT/bench/gen_compile.py" "$work/azure.json" 1000
python3 "$NSGNIC_ROOT/bench/gen_compile.py" "$work/half.json" 500
printf '{"values":[{"name":"Storage","properties":{"addressPrefixes":["20.38.0.0/16","52.239.0.0/17","2603:1000::/40"]}}]}' > "$work/tags.json"

best() { # best of 3: prints "ms nodes"
  local b="" n=""
  for _ in 1 2 3; do
    out=$("$bin" prove "$@" --json)
    [ "$(echo "$out" | json 'd["equivalent"]')" = True ] || { echo "bench/prove: not equivalent: $out" >&2; exit 1; }
    ms=$(echo "$out" | json 'd["ms"]')
    n=$(echo "$out" | json 'd["bddNodes"]')
    b=$(python3 -c "b='$b'; print(min(float(b), $ms) if b else $ms)")
  done
  echo "$b $n"
}
read -r ms _ < <(best --config "$ex/vnets.json" --config "$ex/asgs.json" --config "$ex/nsgs.json" --config "$ex/nics.json" --service-tags "$ex/servicetags.json")
echo "prove_ms_example: $(python3 -c "print(round($ms, 1))") ms"
read -r ms _ < <(best --config "$work/half.json" --service-tags "$work/tags.json" --no-table-limits)
echo "prove_ms_1000_rules: $(python3 -c "print(round($ms, 1))") ms"
read -r ms nodes < <(best --config "$work/azure.json" --service-tags "$work/tags.json" --no-table-limits)
echo "prove_ms_azure_limits: $(python3 -c "print(round($ms, 1))") ms"
echo "prove_bdd_nodes_azure_limits: $nodes nodes"

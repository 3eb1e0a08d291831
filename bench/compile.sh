#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Compiler figures (docs/compiler.md), each with the named baseline in the same run:
#  compile_ms_1000_rules         nsg_compile() time, best of 5, for the Azure-limit deployment
#                                (bench/gen_compile.py: subnet NSG + NIC NSG of 1,000 rules each, a
#                                2,800-prefix rule in each, realistic ports), both NSGs together
#  tcam_entries_per_rule_{acl,fw,ipc}  rule-TCAM entries per rule (defaults included) for ClassBench
#                                acl1_1k, fw1_1k + fw4_1k, ipc1_1k converted to NSG rules; baseline:
#                                plain range-to-prefix expansion (`nsgnic compile --baseline`)
#  azure_limits_fits            1 when the Azure-limit deployment compiles for the realistic device
#                                (ABI table sizes, label stage = the block-RAM trees: --label-lpm;
#                                test soc_verify_azure_limits_* loads it there);
#                                azure_limits_fits_label_tcam: the same with a 2,048-entry label TCAM;
#                                azure_limits_fits_ctx: with per-vport label contexts (--label-ctx)
#  label_nsgs_fit_global, label_nsgs_fit_ctx  the most NSGs (of 30 rules, each naming its own ~20
#                                of 100 ASGs and ~15 of 40 service tags: tests/compiler/many_nsgs.py)
#                                one device holds (ABI sizes, the trees) with the global label bits
#                                and with per-vport label contexts (--label-ctx), up to 64
#  label_sets_per_nsg_max_fit    the most label sets ONE NSG can name on the realistic device
#                                (--label-ctx; 100 ASGs, S14's limit, + 40..800 service tags, a rule
#                                naming each; 60 NICs in 1-3 ASGs each), up to 900: past its 57 free
#                                label bits the compiler class-encodes sets (docs/compiler.md
#                                "Label classes")
#  label_class_entries_per_rule_140_sets  that NSG's rule-TCAM entries per rule with 100 ASGs and
#                                40 tags (class-encoded); baseline label_onehot_entries_per_rule_57_sets:
#                                the same NSG shape naming 17 ASGs and 40 tags (one bit each)
#  incremental_writes_one_rule   table writes (bank protocol, moves included) to change one
#                                rule's destination port in the middle of a 1,000-rule NSG
set -euo pipefail
bin="$BUILD_DIR/bin/nsgnic"
cb="$NSGNIC_ROOT/bench/data/classbench"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

python3 "$NSGNIC_ROOT/bench/gen_compile.py" "$work/azure.json" 1000 "$work/azure2.json"
printf '{"values":[{"name":"Storage","properties":{"addressPrefixes":["20.38.0.0/16","52.239.0.0/17","2603:1000::/40"]}}]}' > "$work/tags.json"
best=""
for _ in 1 2 3 4 5; do
  ms=$("$bin" compile --config "$work/azure.json" --service-tags "$work/tags.json" --no-table-limits --stats --json | json 'd["compileMs"]')
  best=$(python3 -c "b='$best'; print(min(float(b), $ms) if b else $ms)")
done
"$bin" compile --config "$work/azure.json" --service-tags "$work/tags.json" --no-table-limits --stats --json > "$work/azure.stats"
echo "compile_ms_1000_rules: $(python3 -c "print(round($best, 2))") ms"
echo "tcam_entries_per_rule_azure_limits: $(json 'round(d["ruleEntries"]/d["rules"], 2)' < "$work/azure.stats") ratio"
echo "plain_tcam_entries_per_rule_azure_limits: $(json 'round(d["plainEntries"]/d["rules"], 2)' < "$work/azure.stats") ratio"
echo "label_entries_azure_limits: $(json 'd["labelEntries"]' < "$work/azure.stats") entries"
echo "label_lpm_prefixes_azure_limits: $(json 'd["labelLpmPrefixesV4"] + d["labelLpmPrefixesV6"]' < "$work/azure.stats") prefixes (block-RAM label stage, IPv4 + IPv6, contexts replicated; capacity $(json 'd["labelLpmCapacityV4"]' < "$work/azure.stats") + $(json 'd["labelLpmCapacityV6"]' < "$work/azure.stats"))"
# azure_limits_fits: the deployment compiles at the realistic device's sizes: the ABI's table sizes
# with the block-RAM label stage's trees as the label limit (--label-lpm, what the device layer
# sets for a device reporting CAP_LABEL_LPM); _label_tcam: with the 2,048-entry label TCAM the
# device had before (docs/datapath.md Integration B, C)
fits() { if "$bin" compile --config "$work/azure.json" --service-tags "$work/tags.json" "$@" >/dev/null 2>&1; then echo 1; else echo 0; fi; }
echo "azure_limits_fits: $(fits --label-lpm) (realistic device: label stage = the lpm.sv trees)"
echo "azure_limits_fits_label_tcam: $(fits) (a 2,048-entry label TCAM instead)"
echo "azure_limits_fits_ctx: $(fits --label-ctx) (the realistic device with per-vport label contexts)"
nsgs_fit() {
  local best=0 n
  for n in 1 2 3 4 6 8 12 16 24 32 48 64; do
    python3 "$NSGNIC_ROOT/tests/compiler/many_nsgs.py" "$work/m$n" "$n" 30 100 40 1 7
    if "$bin" compile --label-lpm "$@" --config "$work/m$n/config.json" --service-tags "$work/m$n/tags.json" >/dev/null 2>&1; then
      best=$n
    else
      break
    fi
  done
  echo $best
}
echo "label_nsgs_fit_global: $(nsgs_fit) NSGs (30 rules, ~20 of 100 ASGs and ~15 of 40 tags each; global label bits)"
echo "label_nsgs_fit_ctx: $(nsgs_fit --label-ctx) NSGs (the same with per-vport label contexts)"
big_nsg() { # ASGS TAGS -> NSG 'big' (ASGS + TAGS label sets, rules naming each); $work/b<sets>.stats
  local n=$(($1 + $2)) r=$(($1 + $2 + 10))
  python3 "$NSGNIC_ROOT/tests/compiler/many_nsgs.py" "$work/b$n" 1 $((r > 150 ? r : 150)) "$1" "$2" 1 7 "$n" 60
  "$bin" compile --label-ctx --config "$work/b$n/config.json" --service-tags "$work/b$n/tags.json" \
    --stats --json > "$work/b$n.stats" 2>/dev/null
}
best=0
for t in 40 100 200 400 800; do # 100 ASGs (S14's limit per NSG) and t service tags
  if big_nsg 100 $t; then best=$((100 + t)); else break; fi
done
echo "label_sets_per_nsg_max_fit: $best sets (one NSG naming 100 ASGs + service tags; realistic device, label classes)"
per_rule() { json '[round(n["entries"] / n["rules"], 2) for n in d["nsgs"] if n["name"] == "big"][0]' < "$work/b$1.stats"; }
big_nsg 100 40 && echo "label_class_entries_per_rule_140_sets: $(per_rule 140) ratio (100 ASGs + 40 tags, class-encoded)"
big_nsg 17 40 && echo "label_onehot_entries_per_rule_57_sets: $(per_rule 57) ratio (baseline: 17 ASGs + 40 tags, one bit each)"

for set in acl:acl1_1k fw:fw1_1k,fw4_1k ipc:ipc1_1k; do
  name=${set%%:*}
  e=0; p=0; r=0
  for f in $(echo "${set#*:}" | tr ',' ' '); do
    python3 "$NSGNIC_ROOT/bench/classbench_to_nsg.py" "$cb/$f" "$work/$f.json"
    s=$("$bin" compile --config "$work/$f.json" --no-table-limits --stats --json)
    b=$("$bin" compile --config "$work/$f.json" --no-table-limits --baseline --stats --json)
    e=$((e + $(echo "$s" | json 'd["ruleEntries"]')))
    p=$((p + $(echo "$b" | json 'd["ruleEntries"]')))
    r=$((r + $(echo "$s" | json 'd["rules"]')))
  done
  echo "tcam_entries_per_rule_$name: $(python3 -c "print(round($e / $r, 2))") ratio"
  echo "plain_tcam_entries_per_rule_$name: $(python3 -c "print(round($p / $r, 2))") ratio"
done

"$bin" compile --config "$work/azure.json" --service-tags "$work/tags.json" --no-table-limits -o "$work/old.img"
u=$("$bin" compile --config "$work/azure2.json" --service-tags "$work/tags.json" --no-table-limits --update-from "$work/old.img" --json)
echo "incremental_writes_one_rule: $(echo "$u" | json 'd["writes"]') writes"
echo "incremental_moves_one_rule: $(echo "$u" | json 'd["moves"]') writes"

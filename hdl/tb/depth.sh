#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Logic depth per HDL module: yosys `synth_xilinx -family xcup` (UltraScale+) of each module at
# the parameters of the table below, then hdl/tb/lut_depth.py over the JSON netlist: the longest
# path of LUT levels between flip-flops / block RAM / DSP / SRL and the module's ports (CARRY8
# chain = 1 level, MUXF7/8/9 = 0, LUTRAM read = 1; docs/datapath.md, Timing). Prints
#   <name>: N LUT levels (start -> end) [budget B]
# per module and `worst: N LUT levels (<name>)`, and fails (exit 1) when a module is over its
# budget (the table: 6 = one 322 MHz stage on UltraScale+, higher = documented in
# docs/datapath.md with its fix). Usage:
#   depth.sh <nsgnic_abi_pkg.sv> <repo root> [fast|all|NAME...]
# fast (default): the small configurations (seconds each); all: also the `slow` ones (realistic
# sizes, minutes each). Netlists are cached by content in $DEPTH_CACHE (default
# <dir of the package>/../depth-cache): a rerun without RTL changes only re-reads them.
# DEPTH_TOP=N lists the N next-deepest end points of each module too.
set -euo pipefail
pkg="$1"; root="$2"; shift 2
sel="${*:-fast}"
rtl="$root/hdl/rtl"
here="$(cd "$(dirname "$0")" && pwd)"
cache="${DEPTH_CACHE:-$(dirname "$pkg")/../depth-cache}"
mkdir -p "$cache"

dp=""
for m in prio_enc tcam_lutram wide_and tcam_blk tcam lpm parser binding_table verdict flow_cache lookup sync_fifo flow_dram flow_tier \
         exc_queue counters csr_slave axil_bridge datapath; do dp="$dp $rtl/$m.sv"; done
cpu="$rtl/rv32_pkg.sv"
for m in alu regfile muldiv csr core iram dram timer sys; do cpu="$cpu $rtl/rv32_$m.sv"; done

# name | top | budget | tier | sources | parameters (NAME VALUE ...)
# Budgets: 6 LUT levels = one pipeline stage at 322 MHz on UltraScale+ (docs/datapath.md).
# Over it, measured and documented there with the fix (Timing, "Over budget"): the flow cache's
# write-back bypass into the stash (wb_t_q -> stash_q) 19, in flow_cache and in the lookup; the
# soft-core's next-fetch address decode (rs1 -> instr_err_q) 19.
# Combinational modules (parser, verdict, prio_enc) are measured port to port: a part of the
# stage that instantiates them.
table() {
cat <<'EOF'
prio_enc_64      prio_enc      6 fast dp Width 64
prio_enc_4096    prio_enc      6 slow dp Width 4096
parser           parser        6 fast dp HdrBytes 128
verdict          verdict       6 fast dp
binding_table    binding_table 6 fast dp Vports 256
sync_fifo        sync_fifo     6 fast dp Width 577 Depth 256
counters         counters      6 fast dp Count 39 AddW 16
exc_queue        exc_queue     6 fast dp Depth 8 HdrBytes 128 DataW 512 MaxBeats 144
axil_bridge      axil_bridge   6 fast dp
csr_slave        csr_slave     6 fast dp RuleEntries 4096 LabelEntries 2048 PlatformEntries 16 Vports 256 FlowBuckets 1024 FlowWays 8 FlowStash 32 ExqDepth 8 HdrBytes 128
tcam_lutram      tcam_lutram   6 fast dp
wide_and         wide_and      6 fast dp Width 53
tcam_64          tcam          6 fast dp Entries 64 KeyW 256 Ports 1 ResW 32
tcam_nb64        tcam          6 fast dp Entries 128 KeyW 256 Ports 1 ResW 32 BlkEntries 2
tcam_512         tcam          6 slow dp Entries 512 KeyW 256 Ports 1 ResW 32
flow_cache_small flow_cache   19 slow dp Buckets 16 Ways 8 Stash 32
flow_cache       flow_cache    6 slow dp Buckets 1024 Ways 8 Stash 32
lpm              lpm           6 slow dp KeyW 139 Fanout 8 Levels 2 LeafNodes 8 Results 8 ResW 32
lookup_small     lookup       19 slow dp RuleEntries 64 LabelEntries 32 PlatformEntries 8 Vports 16 FlowBuckets 16 FlowWays 8 FlowStash 32
lookup_ctx_small lookup       19 slow dp RuleEntries 64 LabelEntries 32 PlatformEntries 8 Vports 16 FlowBuckets 16 FlowWays 8 FlowStash 32 LabelLpm 1 LabelCtx 1 LpmFanout 8 LpmLevels 2 LpmCtxBits 11 Lpm4Leaves 8 Lpm6Leaves 8 Lpm4Results 16 Lpm6Results 16
rv32             rv32_sys     19 slow cpu IramBytes 4096 DramBytes 4096
EOF
}

yv="$(yosys -V)"
worst=0; worst_name=""; rc=0; ran=0
while read -r name top budget tier srcs params; do
  case " $sel " in
    *" all "*) ;;
    *" fast "*) [ "$tier" = fast ] || continue ;;
    *" $name "*) ;;
    *) continue ;;
  esac
  ran=$((ran + 1))
  files="$pkg"
  [ "$srcs" = dp ] && files="$files $dp" || files="$files $cpu"
  ch=""
  # shellcheck disable=SC2086
  set -- $params
  while [ $# -gt 1 ]; do ch="$ch -chparam $1 $2"; shift 2; done
  # shellcheck disable=SC2086
  ys="read_verilog -sv -DNSGNIC_XILINX $files; hierarchy -top $top $ch; synth_xilinx -family xcup -top $top -flatten -noiopad"
  # shellcheck disable=SC2086
  key="$( (echo "$yv xcup flatten noiopad NSGNIC_XILINX $top $ch"; cat $files) | sha256sum | cut -c1-16)"
  json="$cache/$name-$key.json"
  if [ ! -s "$json" ]; then
    log="$cache/$name.log"
    if ! nice yosys -q -l "$log" -p "$ys; write_json $json.tmp" >/dev/null 2>&1; then
      echo "$name: yosys FAILED (log: $log)"; grep -i error "$log" | head -5; rc=1; continue
    fi
    rm -f "$cache/$name"-*.json   # netlists of older sources
    mv "$json.tmp" "$json"
  fi
  if ! out="$(python3 "$here/lut_depth.py" "$json" --top "${DEPTH_TOP:-0}")"; then
    echo "$name: depth analysis FAILED"; rc=1; continue
  fi
  n="${out%% *}"
  echo "$name: ${out%%$'\n'*} [budget $budget]"
  [ "${DEPTH_TOP:-0}" -gt 0 ] && sed -n '2,$p' <<<"$out"
  if [ "$n" -gt "$budget" ]; then
    echo "$name: OVER BUDGET: $n LUT levels > $budget (docs/datapath.md, Timing)"; rc=1
  fi
  if [ "$n" -gt "$worst" ]; then worst=$n; worst_name=$name; fi
done < <(table)
[ "$ran" -gt 0 ] || { echo "depth.sh: no module matches '$sel'" >&2; exit 2; }
echo "worst: $worst LUT levels ($worst_name)"
exit $rc

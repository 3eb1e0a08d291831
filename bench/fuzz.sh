#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Fuzzing figures (tests/fuzz, tests/differential):
#  fuzz_execs_per_sec_<harness>   libFuzzer's average executions per second of each harness
#                                 (config, batch, packet, image, mailbox) over a fixed-time run
#                                 (NSGNIC_FUZZ_SECONDS, default 10 s; seed 1; from the committed
#                                 corpus; ASan+UBSan clang build in $BUILD_DIR/fuzz)
#  differential_packets_checked   packets (queries) the last slow differential run checked, all
#                                 engines together, from $BUILD_DIR/differential/slow.json (written
#                                 by `ctest -L slow -R differential_volume_long`); n/a before one ran
#  differential_mismatches        its mismatches (must be 0)
set -euo pipefail
fz="$BUILD_DIR/fuzz/tests/fuzz"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for h in config batch packet image mailbox; do
  if [ -x "$fz/fuzz_$h" ]; then
    NSGNIC_FUZZ_SECONDS="${NSGNIC_FUZZ_SECONDS:-10}" "$NSGNIC_ROOT/tests/fuzz/run.sh" stats "$fz/fuzz_$h" \
      "$NSGNIC_ROOT/tests/fuzz" "$h" "$work" | grep '^fuzz_execs_per_sec_'
  else
    echo "fuzz_execs_per_sec_$h: n/a execs/s (no clang fuzz build: configure with NSGNIC_FUZZ=ON, build nsgnic_fuzz)"
  fi
done
res="$BUILD_DIR/differential/slow.json"
if [ -f "$res" ]; then
  python3 - "$res" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
per = ", ".join(f"{k} {v['packets']}" for k, v in d["engines"].items())
print(f"differential_packets_checked: {d['packets']} packets")
print(f"differential_mismatches: {d['mismatches']} mismatches")
print(f"# {sys.argv[1]}: target {d['target']} per engine, seed {d['seed']}, {d['time']}: {per}")
PY
else
  echo "differential_packets_checked: n/a packets (no slow run yet: ctest -L slow -R differential_volume_long)"
fi

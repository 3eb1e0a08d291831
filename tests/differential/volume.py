#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The differential at volume (issue 15): NSGNIC_DIFF_PACKETS queries (packets) through each engine
against the reference evaluator, with the existing generators of random configurations and
queries (tests/compiler/gen.c):
  tables     the compiled tables (tests/compiler test_tables: nsg_tables_verify)
  slowpath   the slow path's classifier (tests/slowpath test_classify: nsg_bv + conntrack-free lookup)
  effective  the effective-rules view and the prover's equivalence of the compiled tables
             (tests/hostlib test_differential, 300 queries per configuration)
  sim        the co-simulated NIC (tests/soc test_sim_verify), on a sample: NSGNIC_DIFF_SIM_PACKETS
             (default: 0 unless given; the Verilated SoC runs ~10^2 queries/s)
Each engine's run stops at its first mismatch (printed with the configuration); mismatches must be
zero. The result goes to OUT as JSON: the target, the seed, per engine the packets checked, the
mismatches and the seconds, and the totals; bench/fuzz.sh reads the slow run's file.
Usage: volume.py OUT TEST_TABLES TEST_CLASSIFY TEST_HOSTLIB_DIFF [TEST_SIM_VERIFY]
Environment: NSGNIC_DIFF_PACKETS (default 20000), NSGNIC_DIFF_SEED (default 1),
NSGNIC_DIFF_SIM_PACKETS (default 0), NSGNIC_DIFF_ENGINES (default tables,slowpath,effective,sim:
the engines to run)."""
import json, os, re, subprocess, sys, time

out, t_tables, t_cls, t_hostlib = sys.argv[1:5]
t_sim = sys.argv[5] if len(sys.argv) > 5 and sys.argv[5] else None
N = int(os.environ.get("NSGNIC_DIFF_PACKETS", "20000"))
seed = int(os.environ.get("NSGNIC_DIFF_SEED", "1"))
nsim = int(os.environ.get("NSGNIC_DIFF_SIM_PACKETS", "0"))
Q = min(2000, N)  # queries per configuration
configs = max(1, -(-N // Q))
want = set(os.environ.get("NSGNIC_DIFF_ENGINES", "tables,slowpath,effective,sim").split(","))


def run(name, argv, env, pattern):
    t0 = time.time()
    r = subprocess.run(argv, env={**os.environ, **env}, capture_output=True, text=True)
    secs = time.time() - t0
    text = r.stdout + r.stderr
    m = re.search(pattern, text)
    n = int(m.group(1)) if m else 0
    mism = 0 if r.returncode == 0 else 1  # the generators stop at the first mismatch
    if r.returncode != 0:
        sys.stderr.write(f"{name}: exit {r.returncode}\n{text[-4000:]}\n")
    print(f"{name}: {n} packets checked, {mism} mismatch(es), {secs:.1f} s", flush=True)
    return {"packets": n, "mismatches": mism, "seconds": round(secs, 1), "exit": r.returncode}


res = {"target": N, "seed": seed, "queriesPerConfiguration": Q, "engines": {}}
e = res["engines"]
if "tables" in want:
    e["tables"] = run("tables", [t_tables], {"NSGNIC_COMPILER_CONFIGS": str(configs),
                                             "NSGNIC_COMPILER_QUERIES": str(Q), "NSGNIC_COMPILER_SEED": str(seed)},
                      r"tables vs reference: \d+ configurations, (\d+) queries agreed")
if "slowpath" in want:
    e["slowpath"] = run("slowpath", [t_cls], {"NSGNIC_CLS_CONFIGS": str(configs), "NSGNIC_CLS_QUERIES": str(Q),
                                              "NSGNIC_CLS_SEED": str(seed)},
                        r"classifier vs reference: \d+ configurations, (\d+) packets agreed")
if "effective" in want:
    e["effective"] = run("effective", [t_hostlib], {"NSGNIC_DIFF_CONFIGS": str(max(1, N // 300))},
                         r"differential: (\d+) queries agreed")
if t_sim and nsim > 0 and "sim" in want:
    sq = min(200, nsim)
    e["sim"] = run("sim", [t_sim], {"NSGNIC_SOC_CONFIGS": str(max(1, -(-nsim // sq))), "NSGNIC_SOC_QUERIES": str(sq),
                                    "NSGNIC_SOC_SEED": str(seed)},
                   r"sim vs reference: \d+ configurations \(\d+ skipped[^)]*\), (\d+) queries agreed")
res["packets"] = sum(v["packets"] for v in e.values())
res["mismatches"] = sum(v["mismatches"] for v in e.values())
res["time"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
with open(out + ".tmp", "w") as f:
    json.dump(res, f, indent=1)
os.replace(out + ".tmp", out)
print(f"differential: {res['packets']} packets checked across {len(e)} engines, {res['mismatches']} mismatch(es); {out}")
# every engine must have checked at least its share (a generator that silently skips is a failure)
# (the effective view's generator rounds to 300 per configuration; the sim sample may skip a
# configuration the small device cannot hold, never half of them)
want_min = {"tables": N, "slowpath": N, "effective": N - 300, "sim": nsim // 2}
short = [k for k, v in e.items() if v["packets"] < want_min.get(k, 1)]
if short:
    print(f"FAIL: fewer than {N} packets checked by {short}")
sys.exit(1 if res["mismatches"] or short or any(v["exit"] for v in e.values()) else 0)

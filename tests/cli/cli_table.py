#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The command-line convention of every nsgnic program (hostlib/cli/opts.h), checked as a table:
every command with --help (exit 0, its usage line; the same text as `nsgnic help CMD`; a man
page), --opt=value and --opt value alike, unknown options, a flag given a value, a missing value
and missing required options (exit 64 with the usage line), unknown commands (`help bogus` too),
an unknown NIC listing the NICs there are, an output file naming an input refused.
Usage: cli_table.py NSGNIC MKPCAP EXAMPLE_DIR WORKDIR [NSGNIC_SIM]"""
import os, re, subprocess, sys

nsgnic, mkpcap, ex, work = sys.argv[1:5]
nsim = sys.argv[5] if len(sys.argv) > 5 and sys.argv[5] else None
os.makedirs(work, exist_ok=True)
CFG = [f"--config={ex}/{f}.json" for f in ("vnets", "asgs", "nsgs", "nics")] + ["--service-tags", f"{ex}/servicetags.json"]
CFG_SPACE = [x for f in ("vnets", "asgs", "nsgs", "nics") for x in ("--config", f"{ex}/{f}.json")]
pcap = os.path.join(work, "t.pcap")
subprocess.run([mkpcap, pcap], check=True)
fails = 0


def run(args, rc, out_re=None, err_re=None, name=None):
    global fails
    r = subprocess.run(args, capture_output=True, text=True)
    ok = r.returncode == rc
    if ok and out_re and not re.search(out_re, r.stdout, re.S):
        ok = False
    if ok and err_re and not re.search(err_re, r.stderr, re.S):
        ok = False
    print(f"{'ok  ' if ok else 'FAIL'} {name or ' '.join(args[1:])[:110]} -> {r.returncode}")
    if not ok:
        print(f"  expected exit {rc}, stdout~{out_re!r}, stderr~{err_re!r}\n  stdout: {r.stdout[:400]!r}\n  stderr: {r.stderr[:400]!r}")
        fails += 1
    return r


# the commands nsgnic lists
listing = subprocess.run([nsgnic, "help"], capture_output=True, text=True).stdout
cmds = re.findall(r"^  ([a-z]+) ", listing.split("commands:")[1].split("common options")[0], re.M)
assert len(cmds) >= 10, cmds
USAGE = r"usage: nsgnic"
for c in cmds:
    h = run([nsgnic, c, "--help"], 0, out_re=rf"^usage: nsgnic {c}\b.*options:.*--help", name=f"{c} --help")
    run([nsgnic, c, "-h"], 0, out_re=rf"^usage: nsgnic {c}\b", name=f"{c} -h")
    hh = run([nsgnic, "help", c], 0, name=f"help {c}")
    if h.stdout != hh.stdout:
        print(f"FAIL help {c} differs from {c} --help")
        fails += 1
    run([nsgnic, "help", "--man", c], 0, out_re=rf'^\.TH "nsgnic-{c}" 1 .*\.SH SYNOPSIS.*\.SH OPTIONS', name=f"help --man {c}")
    run([nsgnic, c, "--no-such-option"], 64, err_re=rf"unknown option '--no-such-option'.*{USAGE} {c}", name=f"{c} --no-such-option")
    run([nsgnic, c, "--help=yes"], 64, err_re=rf"--help takes no value.*{USAGE} {c}", name=f"{c} --help=yes")
# missing required options: exit 64 with the usage line
for c in ("check", "verify", "effective", "compile", "run", "flows"):
    run([nsgnic, c], 64, err_re=rf"--config FILE is required.*{USAGE} {c}", name=f"{c} without --config")
run([nsgnic, "check", "--config"], 64, err_re=r"option --config needs a value", name="check --config (no value)")
run([nsgnic, "run", *CFG], 64, err_re=r"--pcap IN is required", name="run without --pcap")
run([nsgnic, "load", *CFG], 64, err_re=r"--device D is required", name="load without --device")
run([nsgnic, "effective", *CFG], 64, err_re=r"--nic NAME is required", name="effective without --nic")
run([nsgnic, "check", *CFG, "stray"], 64, err_re=r"unexpected argument 'stray'", name="check with an operand")
run([nsgnic, "check", *CFG, "--json=1"], 64, err_re=r"--json takes no value", name="check --json=1")
run([nsgnic, "check", *CFG, "--limit=rules-per-nsg=x"], 64, err_re=r"--limit: ", name="check --limit=bad")
run([nsgnic, "check", *CFG, "--subscription-type=Nope"], 64, err_re=r"unknown subscription type 'Nope'", name="check --subscription-type=Nope")
# --opt=value and --opt value are the same
a = run([nsgnic, "check", *CFG], 0, out_re=r"^valid:", name="check --config=FILE")
b = run([nsgnic, "check", *CFG_SPACE, "--service-tags", f"{ex}/servicetags.json"], 0, out_re=r"^valid:", name="check --config FILE")
if a.stdout != b.stdout:
    print("FAIL --config=FILE and --config FILE differ"); fails += 1
run([nsgnic, "verify", *CFG, "--nic=nic-web-vm1", "--direction=inbound", "--protocol=tcp", "--local=10.10.1.4:443",
     "--remote=203.0.114.7:50000", "--json"], 0, out_re=r'"access":"Allow"', name="verify --opt=value")
run([nsgnic, "compile", *CFG, f"--output={work}/a.img"], 0, name="compile --output=IMAGE")
run([nsgnic, "compile", *CFG, "-o", f"{work}/b.img", "--json"], 0, out_re=r'"ruleEntries"', name="compile -o IMAGE --json prints the statistics")
run([nsgnic, "run", *CFG, f"--pcap={pcap}", "--flow-limit=10", "--json"], 0, out_re=r'"packets":', name="run --pcap=IN --flow-limit=10")
run([nsgnic, "run", *CFG, f"--pcap={pcap}", "--flow-limit=0"], 64, err_re=r"--flow-limit needs a decimal number from 1", name="run --flow-limit=0")
run([nsgnic, "run", *CFG, f"--pcap={pcap}", "--trace=x.fst"], 64, err_re=r"--firmware and --trace are for --sim", name="run --trace without --sim")
# unknown commands
run([nsgnic, "bogus"], 64, err_re=r"command 'bogus' is unknown", name="nsgnic bogus")
run([nsgnic, "help", "bogus"], 64, err_re=r"command 'bogus' is unknown", name="help bogus")
run([nsgnic], 64, err_re=r"usage: nsgnic <command>", name="nsgnic (no command)")
run([nsgnic, "--version"], 0, out_re=r"^nsgnic \d+\.\d+\.\d+ \(", name="--version")
run([nsgnic, "help", "--man"], 0, out_re=r'^\.TH "nsgnic" 1', name="help --man")
# an unknown NIC lists the NICs there are
run([nsgnic, "verify", *CFG, "--nic=nope", "--direction=inbound", "--protocol=udp", "--local=10.10.1.4:1",
     "--remote=1.1.1.1:1"], 1, err_re=r"no network interface named 'nope'.*NICs: nic-web-vm1, nic-web-vm2, nic-app-vm1, nic-db-vm1",
    name="verify --nic=nope lists the NICs")
run([nsgnic, "effective", *CFG, "--nic=nope"], 1, err_re=r"NICs: nic-web-vm1", name="effective --nic=nope lists the NICs")
# an output naming an input is refused (same file, also through another path)
run([nsgnic, "run", *CFG, "--pcap", pcap, f"--out-pcap={pcap}"], 64, err_re=r"refusing to overwrite an input", name="run --out-pcap=IN")
run([nsgnic, "run", *CFG, "--pcap", pcap, f"--flow-log={ex}/../three-tier/nsgs.json"], 64, err_re=r"refusing to overwrite an input", name="run --flow-log=CONFIG")
run([nsgnic, "compile", *CFG, f"-o{ex}/nics.json"], 64, err_re=r"refusing to overwrite an input", name="compile -o CONFIG")
run([nsgnic, "compile", *CFG, f"--update-from={work}/a.img", f"-o{work}/a.img"], 64, err_re=r"refusing to overwrite", name="compile --update-from X -o X")
# the other programs
run([mkpcap, "--help"], 0, out_re=r"^usage: nsgnic-mkpcap", name="nsgnic-mkpcap --help")
run([mkpcap, "--bogus"], 64, err_re=r"unknown option '--bogus'.*usage: nsgnic-mkpcap", name="nsgnic-mkpcap --bogus")
run([mkpcap], 64, err_re=r"OUT.pcap is required", name="nsgnic-mkpcap (no OUT)")
run([mkpcap, "--scenario=aging", os.path.join(work, "ag.pcap")], 0, name="nsgnic-mkpcap --scenario=aging OUT")
if os.path.exists("--help"):
    print("FAIL nsgnic-mkpcap wrote a file named --help"); fails += 1
if nsim:
    run([nsim, "--help"], 0, out_re=r"^usage: nsgnic-sim", name="nsgnic-sim --help")
    run([nsim, "--bogus"], 64, err_re=r"unknown option '--bogus'.*usage: nsgnic-sim", name="nsgnic-sim --bogus")
    run([nsim], 64, err_re=r"nothing to do", name="nsgnic-sim (nothing to do)")
    run([nsim, "--run-elf=x", "--max-cycles=0"], 64, err_re=r"--max-cycles needs a decimal number from 1", name="nsgnic-sim --max-cycles=0")
print(f"{fails} failure(s)")
sys.exit(1 if fails else 0)

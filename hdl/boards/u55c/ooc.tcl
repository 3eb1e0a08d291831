# SPDX-License-Identifier: Apache-2.0
# Out-of-context implementation of nsgnic_top at its realistic size (the module defaults: the
# parameters the product's co-simulation uses, docs/datapath.md) on the Alveo U55C's part, in
# Vivado's non-project flow. Run by `scripts/build-bitstream ooc`; environment:
#   NSGNIC_ROOT     the repository, NSGNIC_ABI_PKG the generated nsgnic_abi_pkg.sv,
#   NSGNIC_OUT      where reports and the checkpoint go, NSGNIC_JOBS parallel jobs.
# Result: timing_summary.rpt (WNS must be >= 0 at 250 MHz, the OpenNIC box clock; the 322 MHz
# figure is reported as a second clock group for the CMAC-side box), utilization.rpt,
# logic_levels.rpt (the LUT depth per path: docs/datapath.md's <= 6 levels target), post_route.dcp.
set root $::env(NSGNIC_ROOT)
set out  $::env(NSGNIC_OUT)
set part xcu55c-fsvh2892-2L-e
set_param general.maxThreads $::env(NSGNIC_JOBS)

# The SoC's RTL in dependency order: the ABI package, the CPU, the datapath, the SoC top.
set rtl [list $::env(NSGNIC_ABI_PKG)]
foreach f [lsort [glob -directory $root/hdl/rtl rv32_*.sv]] { lappend rtl $f }
foreach m {prio_enc tcam parser binding_table verdict flow_cache lookup sync_fifo exc_queue
           counters csr_slave datapath axil_bridge host_window nsgnic_top} {
  set f $root/hdl/rtl/$m.sv
  if {[file exists $f] && [lsearch $rtl $f] < 0} { lappend rtl $f }
}
# modules added since this list was written (one module per file): read them too
foreach f [lsort [glob -directory $root/hdl/rtl *.sv]] {
  if {[lsearch $rtl $f] < 0} { lappend rtl $f }
}
read_verilog -sv $rtl

synth_design -top nsgnic_top -part $part -mode out_of_context -flatten_hierarchy rebuilt \
  -verilog_define NSGNIC_XILINX
create_clock -name axis_clk -period 4.000 [get_ports clk_i]
set_input_delay  -clock axis_clk 0.5 [get_ports -filter {DIRECTION == IN && NAME != clk_i}]
set_output_delay -clock axis_clk 0.5 [get_ports -filter {DIRECTION == OUT}]
report_utilization -file $out/post_synth_utilization.rpt
opt_design
place_design
phys_opt_design
route_design
report_timing_summary -max_paths 20 -file $out/timing_summary.rpt
report_utilization -hierarchical -file $out/utilization.rpt
report_design_analysis -logic_level_distribution -logic_level_dist_paths 1000 \
  -file $out/logic_levels.rpt
write_checkpoint -force $out/post_route.dcp
set wns [get_property SLACK [get_timing_paths -max_paths 1 -nworst 1 -setup]]
puts "nsgnic ooc: WNS $wns ns at 250 MHz on $part"
if {$wns < 0} { exit 1 }

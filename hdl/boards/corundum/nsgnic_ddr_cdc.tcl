# SPDX-License-Identifier: Apache-2.0
# Timing constraints of axi_flow_cdc (the DRAM flow tier's way to DDR channel 0, mqnic_app_block
# clk <-> ddr_clk[0]), for Vivado: in each async_fifo the Gray pointers (one bit changes per step)
# and the memory (read two synchronizer stages after its write) bounded to one period of the
# destination clock, datapath only; the reset bridges' asynchronous clears are false paths (their
# release is synchronised by the bridges themselves). Add this file to the design's XDC_FILES
# (Corundum's Makefile flow reads Tcl constraint files like its own lib/*/syn/vivado/*.tcl).
# Not run here (no Vivado): written against the names in async_fifo.sv and axi_flow_cdc.sv.
foreach f [get_cells -quiet -hier -filter {ORIG_REF_NAME == async_fifo || REF_NAME == async_fifo}] {
  set wclk [get_clocks -of_objects [get_pins "$f/wgray_q_reg[0]/C"]]
  set rclk [get_clocks -of_objects [get_pins "$f/rgray_q_reg[0]/C"]]
  set wper [get_property -min PERIOD $wclk]
  set rper [get_property -min PERIOD $rclk]
  set_max_delay -datapath_only -from [get_cells "$f/wgray_q_reg[*]"] \
    -to [get_cells "$f/wgray_r1_q_reg[*]"] $rper
  set_max_delay -datapath_only -from [get_cells "$f/rgray_q_reg[*]"] \
    -to [get_cells "$f/rgray_w1_q_reg[*]"] $wper
  set_max_delay -datapath_only -from [get_cells -quiet "$f/mem_reg*"] \
    -to [get_cells "$f/out_q_reg[*]"] $rper
}
foreach b [get_cells -quiet -hier -filter {ORIG_REF_NAME == axi_flow_cdc || REF_NAME == axi_flow_cdc}] {
  set_false_path -to [get_pins -quiet -filter {REF_PIN_NAME == CLR} -of_objects \
    [get_cells [list "$b/s_frst_q_reg[*]" "$b/s_fup_q_reg" "$b/m_frst_q_reg[*]" "$b/m_fup_q_reg"]]]
}

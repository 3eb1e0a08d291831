# SPDX-License-Identifier: Apache-2.0
# Clock-domain crossings inside nsgnic_onic_250mhz (axil_aclk 125 MHz <-> axis_aclk 250 MHz):
# the held AXI4-Lite words of axil_cdc are stable for two synchroniser stages before they are
# read, so a datapath-only bound of one destination period is enough.
set_max_delay -datapath_only -from [get_cells -hier -filter {NAME =~ *u_cdc/*_q_reg*}] \
  -to [get_cells -hier -filter {NAME =~ *u_cdc/*_q_reg*}] 4.000

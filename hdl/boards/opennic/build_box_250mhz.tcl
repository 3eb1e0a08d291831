# SPDX-License-Identifier: Apache-2.0
# OpenNIC shell user-plugin hook: sourced by the shell's script/build.tcl (current directory: this
# folder) when it is given `-user_plugin <this folder>`. Reads nsgnic's RTL; the generated ABI
# package comes from the CMake build (scripts/build-bitstream exports NSGNIC_ABI_PKG).
set nsgnic_root [file normalize [file join [pwd] .. .. ..]]
if {[info exists ::env(NSGNIC_ABI_PKG)]} {
  set nsgnic_pkg $::env(NSGNIC_ABI_PKG)
} else {
  set nsgnic_pkg [file join $nsgnic_root build hdl gen nsgnic_abi_pkg.sv]
}
if {![file exists $nsgnic_pkg]} {
  error "nsgnic: $nsgnic_pkg is missing: run `cmake -S $nsgnic_root -B $nsgnic_root/build && cmake --build $nsgnic_root/build --target abi_sv` first (scripts/build-bitstream does)"
}
set nsgnic_rtl [list $nsgnic_pkg [file join $nsgnic_root hdl rtl rv32_pkg.sv]]
foreach f [lsort [glob -directory [file join $nsgnic_root hdl rtl] *.sv]] {
  if {[lsearch $nsgnic_rtl $f] < 0} { lappend nsgnic_rtl $f }
}
lappend nsgnic_rtl [file join [pwd] nsgnic_onic_250mhz.sv]
read_verilog -sv $nsgnic_rtl
# the two-flop synchronisers of axil_cdc and the reset synchronisers carry ASYNC_REG; the held
# request/response words cross with one destination period of delay at most
read_xdc -unmanaged [file join [pwd] nsgnic_cdc.xdc]

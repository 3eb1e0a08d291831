// SPDX-License-Identifier: Apache-2.0
// Included by OpenNIC's box_250mhz.sv. nsgnic takes the box's whole AXI4-Lite window itself
// (user_plugin_250mhz_inst.vh): no address map, no crossbar.

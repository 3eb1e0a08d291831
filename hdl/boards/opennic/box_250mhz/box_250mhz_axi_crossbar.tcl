# SPDX-License-Identifier: Apache-2.0
# Sourced by OpenNIC's build.tcl for every 250 MHz box plugin: nsgnic needs no AXI crossbar IP.

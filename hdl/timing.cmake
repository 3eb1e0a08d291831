# SPDX-License-Identifier: Apache-2.0
# Logic depth per HDL module (hdl/tb/depth.sh, docs/datapath.md "Timing"): yosys synth_xilinx
# -family xcup of each module, then the longest LUT path between registers (hdl/tb/lut_depth.py)
# checked against the module's budget in depth.sh's table (6 LUT levels = one 322 MHz stage, or
# the documented depth of a stage still to re-pipeline). dp_depth: the small configurations
# (default tier); dp_depth_all: also the realistic sizes (minutes each, `slow`). Netlists are
# cached by content in build/hdl/depth-cache (shared with bench/run datapath).
find_program(YOSYS_DEPTH_BIN yosys)
find_program(PYTHON3_DEPTH_BIN python3)
if(YOSYS_DEPTH_BIN AND PYTHON3_DEPTH_BIN)
  add_test(NAME dp_depth COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/tb/depth.sh ${NSGNIC_ABI_SV} ${CMAKE_SOURCE_DIR} fast)
  add_test(NAME dp_depth_all COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/tb/depth.sh ${NSGNIC_ABI_SV} ${CMAKE_SOURCE_DIR} all)
  set_tests_properties(dp_depth PROPERTIES LABELS "hdl;datapath;synth" TIMEOUT 1800)
  set_tests_properties(dp_depth_all PROPERTIES LABELS "hdl;datapath;synth;slow" TIMEOUT 14400)
  # wide_and's explicit LUT6 + CARRY8 form (NSGNIC_XILINX) proved equal to the AND (SAT, seconds)
  add_test(NAME dp_wide_and_equiv COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/tb/wide_and_equiv.sh
           ${CMAKE_CURRENT_SOURCE_DIR}/rtl)
  set_tests_properties(dp_wide_and_equiv PROPERTIES LABELS "hdl;datapath;synth" TIMEOUT 300)
endif()

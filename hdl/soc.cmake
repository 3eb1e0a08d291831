# SPDX-License-Identifier: Apache-2.0
# hdl/soc.cmake: the SoC top (nsgnic_top = rv32_sys + datapath + host_window). Builds the
# Verilated SoC model once (imported target nsgnic_top_vmodel, used by sim/), and adds lint and
# yosys checks. Included by hdl/CMakeLists.txt when NSGNIC_HDL is ON, after cpu.cmake and
# datapath.cmake (alphabetical), whose source lists it reuses.

set(soc_dp_rtl ${NSGNIC_DP_RTL})
list(REMOVE_ITEM soc_dp_rtl ${NSGNIC_ABI_SV})
set(NSGNIC_SOC_RTL ${NSGNIC_CPU_RTL})
list(APPEND NSGNIC_SOC_RTL ${soc_dp_rtl} ${CMAKE_CURRENT_SOURCE_DIR}/rtl/host_window.sv
  ${CMAKE_CURRENT_SOURCE_DIR}/rtl/nsgnic_top.sv)
set(NSGNIC_SOC_VLT ${CMAKE_CURRENT_SOURCE_DIR}/rtl/rv32_waivers.vlt
  ${CMAKE_CURRENT_SOURCE_DIR}/tb/lint_waivers.vlt)

# The simulated device: small tables so Verilator builds and runs it quickly, big enough for
# the example deployment (examples/three-tier: 55 rule, 221 label, 3 platform entries, 4 vports).
# The TCAM search dominates the simulation speed (rows x entries per clock): keep them small.
# The same numbers reach the C shim as NSGNIC_SOC_<NAME> definitions (sim/soc_model.cpp).
set(NSGNIC_SOC_SIM_PARAMS RuleEntries=128 LabelEntries=256 PlatformEntries=16 Vports=16
  FlowBuckets=16 FlowWays=4 MaxBeats=24 DataDepth=32 VqDepth=16 ExqDepth=8 ChunkW=5
  DataW=512 HdrBytes=128 TickCycles=1000 IramBytes=65536 DramBytes=65536)
set(NSGNIC_SOC_SIM_PARAMS ${NSGNIC_SOC_SIM_PARAMS} PARENT_SCOPE)
set(soc_gargs)
foreach(p ${NSGNIC_SOC_SIM_PARAMS})
  list(APPEND soc_gargs -G${p})
endforeach()

if(VERILATOR_BIN)
  set(vdir ${CMAKE_CURRENT_BINARY_DIR}/nsgnic_top_vmodel)
  set(vlibs ${vdir}/Vnsgnic_top__ALL.a)
  set(vmake_args -MAKEFLAGS "OPT_FAST=-O2")
  if(CCACHE_PROGRAM)
    list(APPEND vmake_args -MAKEFLAGS "OBJCACHE=${CCACHE_PROGRAM}")
  endif()
  add_custom_command(OUTPUT ${vlibs}
    COMMAND ${VERILATOR_BIN} --cc --build -j 2 --prefix Vnsgnic_top --top-module nsgnic_top
            --Mdir ${vdir} -O3 --x-assign fast --x-initial fast --trace-fst ${soc_gargs}
            ${vmake_args} ${NSGNIC_SOC_VLT} ${NSGNIC_ABI_SV} ${NSGNIC_SOC_RTL} > ${vdir}.log
    DEPENDS ${NSGNIC_ABI_SV} ${NSGNIC_SOC_RTL} ${NSGNIC_SOC_VLT}
    COMMENT "Verilating nsgnic_top (log: ${vdir}.log)"
    VERBATIM)
  add_custom_target(nsgnic_top_vmodel_build DEPENDS ${vlibs})
  add_library(nsgnic_top_vmodel STATIC IMPORTED GLOBAL)
  set_target_properties(nsgnic_top_vmodel PROPERTIES
    IMPORTED_LOCATION ${vlibs}
    INTERFACE_LINK_LIBRARIES verilated_rt)
  file(MAKE_DIRECTORY ${vdir})
  target_include_directories(nsgnic_top_vmodel SYSTEM INTERFACE ${vdir})

  # Lint: the two SoC modules, the simulated configuration and the default (realistic) one.
  foreach(t host_window nsgnic_top)
    add_test(NAME soc_lint_${t}
      COMMAND ${VERILATOR_BIN} --lint-only -Wall --top-module ${t} ${NSGNIC_SOC_VLT}
              ${NSGNIC_ABI_SV} ${NSGNIC_SOC_RTL})
  endforeach()
  add_test(NAME soc_lint_nsgnic_top_sim
    COMMAND ${VERILATOR_BIN} --lint-only -Wall --top-module nsgnic_top ${soc_gargs}
            ${NSGNIC_SOC_VLT} ${NSGNIC_ABI_SV} ${NSGNIC_SOC_RTL})
  add_test(NAME soc_param_check_window
    COMMAND ${VERILATOR_BIN} --lint-only --top-module host_window -GWinBytes=4096
            ${NSGNIC_SOC_VLT} ${NSGNIC_ABI_SV} ${NSGNIC_SOC_RTL})
  set_tests_properties(soc_param_check_window PROPERTIES PASS_REGULAR_EXPRESSION "USERERROR.*must be")
  set_tests_properties(soc_lint_host_window soc_lint_nsgnic_top soc_lint_nsgnic_top_sim
    soc_param_check_window PROPERTIES LABELS "hdl;soc")
endif()

# yosys 0.23: elaboration of the whole SoC (tiny tables, 256-byte RAMs) must pass `check -assert`.
if(YOSYS_BIN)
  string(REPLACE ";" " " soc_srcs "${NSGNIC_ABI_SV};${NSGNIC_SOC_RTL}")
  add_test(NAME soc_yosys_elab
    COMMAND ${YOSYS_BIN} -q -p "read_verilog -sv ${soc_srcs}; chparam -set RuleEntries 16 -set LabelEntries 16 -set PlatformEntries 4 -set Vports 4 -set FlowBuckets 4 -set FlowWays 2 -set MaxBeats 4 -set DataDepth 8 -set VqDepth 16 -set ExqDepth 2 -set IramBytes 256 -set DramBytes 256 nsgnic_top; hierarchy -check -top nsgnic_top; proc; check -assert")
  set_tests_properties(soc_yosys_elab PROPERTIES LABELS "hdl;soc" TIMEOUT 600)
endif()

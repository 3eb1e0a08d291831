# SPDX-License-Identifier: Apache-2.0
# hdl/soc.cmake: the SoC top (nsgnic_top = rv32_sys + datapath + host_window). Builds the
# Verilated SoC models of the three simulated devices (imported targets nsgnic_top_real_vmodel,
# nsgnic_top_vmodel and nsgnic_top_sdram_vmodel, used by sim/) and the OpenNIC plugin's, and adds lint and yosys checks.
# Included by hdl/CMakeLists.txt when NSGNIC_HDL is ON, after cpu.cmake and datapath.cmake (alphabetical), whose source lists it reuses.

set(soc_dp_rtl ${NSGNIC_DP_RTL})
list(REMOVE_ITEM soc_dp_rtl ${NSGNIC_ABI_SV})
set(NSGNIC_SOC_RTL ${NSGNIC_CPU_RTL})
list(APPEND NSGNIC_SOC_RTL ${soc_dp_rtl} ${CMAKE_CURRENT_SOURCE_DIR}/rtl/axil_bridge.sv
  ${CMAKE_CURRENT_SOURCE_DIR}/rtl/host_window.sv
  ${CMAKE_CURRENT_SOURCE_DIR}/rtl/nsgnic_top.sv)
set(NSGNIC_SOC_VLT ${CMAKE_CURRENT_SOURCE_DIR}/rtl/rv32_waivers.vlt
  ${CMAKE_CURRENT_SOURCE_DIR}/tb/lint_waivers.vlt)

# Three simulated devices (docs/soc.md "Simulated devices"), all nsgnic_top with other parameters:
# - the REALISTIC device, run by the product (nsgnic run --sim, verify --engine sim, load --device
#   sim, scripts/demo): nsgnic_top's defaults but for the flow cache's shape, the sizes of a board
#   (4,096 rule entries; block-RAM label trees with per-vport label contexts, LabelCtx, and a
#   2,048-entry local-address table; 256 vports; 16,384 flows (4 tables x 1,024 buckets x 4 ways)
#   + 32 stash; 9,216-byte frames; 4 ways, not nsgnic_top's default 8 x 512: half the flow-cache
#   work per simulated clock for the same flows) and the DRAM flow tier at Azure scale (FlowDram=1,
#   4 x 8,192 buckets x 32 ways = 1,048,576 slots, 64 MiB in the shim's axi_dram at 100-400 clocks
#   latency; issue 13) with the cache in front of it (FlowFront=1: new flows learn in the cache
#   while it has room, else in DRAM, decided at one point), aged by the hardware engines, under
#   the S5 per-NIC limit over both. The frames in flight must cover the DRAM latency (in-order answers, up to
#   400 clocks each): VqDepth 512, DataDepth 1,024 beats (64 KiB), DramDepth 2 x VqDepth, DramDbt
#   2 x DramDepth; measured at 695 frames per 1,000 clocks in 1,000-frame batches (docs/soc.md).
# - the SMALL device for the tests: small tables so Verilator builds and runs it quickly, big enough
#   for the example deployment (examples/three-tier: 45 rule, 339 label - one label context per
#   VNet and route table, S7 - 8 platform entries, 4 vports). Chosen at run time
#   (nsgnic_soc_opts.device, or NSGNIC_SIM_DEVICE=small for the programs).
# - the SMALL-DRAM device ("small-dram"): the small one with the DRAM flow tier (FlowDram=1,
#   4 x 2,048 x 16 = 131,072 slots behind the cache, 8 MiB in the shim's axi_dram; the directory's
#   size costs the simulation nothing per clock): the tests of flows learned in DRAM (host view,
#   S5 limit, hardware aging, 100,000 concurrent flows in the slow tier).
#   It takes DramDepth 2 x VqDepth and DramDbt 2 x DramDepth, the least the tier allows: the
#   packets in flight are bounded by VqDepth anyway, and the recent-write table is a CAM compared
#   every clock (simulation speed). The cache is in front of the tier (FlowFront=1, as on the
#   realistic device): its 264 entries fill first, DRAM takes the rest (docs/datapath.md); it keeps
#   the small tables (fast to build and run).
# The same numbers reach the C side through the shim (sim/soc_model.cpp: soc_hw_device).
set(NSGNIC_SOC_SIM_PARAMS RuleEntries=128 LabelEntries=512 PlatformEntries=16 Vports=16
  FlowBuckets=16 FlowWays=4 FlowStash=8 MaxBeats=24 DataDepth=32 VqDepth=16 ExqDepth=8 ChunkW=5
  DataW=512 HdrBytes=128 TickCycles=1000 IramBytes=65536 DramBytes=65536)
set(NSGNIC_SOC_SIM_PARAMS ${NSGNIC_SOC_SIM_PARAMS} PARENT_SCOPE)
set(NSGNIC_SOC_REAL_PARAMS RuleEntries=4096 LabelEntries=2048 LabelLpm=1 LabelCtx=1
  PlatformEntries=16 Vports=256 FlowBuckets=1024 FlowWays=4 FlowStash=32 MaxBeats=144
  DataDepth=1024 VqDepth=512 ExqDepth=8 ChunkW=5 DataW=512 HdrBytes=128 TickCycles=1000
  IramBytes=65536 DramBytes=65536 FlowDram=1 DramBuckets=8192 DramWays=32 DramDepth=1024
  DramDbt=2048 FlowFront=1)
set(NSGNIC_SOC_REAL_PARAMS ${NSGNIC_SOC_REAL_PARAMS} PARENT_SCOPE)
set(NSGNIC_SOC_SDRAM_PARAMS ${NSGNIC_SOC_SIM_PARAMS} FlowDram=1 DramBuckets=2048 DramWays=16
  DramDepth=32 DramDbt=64 FlowFront=1)
set(NSGNIC_SOC_SDRAM_PARAMS ${NSGNIC_SOC_SDRAM_PARAMS} PARENT_SCOPE)
set(soc_gargs)
foreach(p ${NSGNIC_SOC_SIM_PARAMS})
  list(APPEND soc_gargs -G${p})
endforeach()

if(VERILATOR_BIN)
  # Verilator options of both models (docs/soc.md "Simulation speed"): -O3, X values resolved once
  # (--x-assign/--x-initial fast), the C++ at -O2 (OPT_FAST); -fno-localize: the temporaries of
  # the clocked blocks (the values of ~170 memory writes, up to 2,048 bits each) stay members
  # instead of locals that Verilator 5.006 zeroes at every evaluation (15 % of the realistic
  # model's time); -fPIC: the models are part of the shared libnsgnic (cmake/install.cmake).
  set(vmake_args -MAKEFLAGS "OPT_FAST=-O2" -CFLAGS -fPIC)
  if(CCACHE_PROGRAM)
    list(APPEND vmake_args -MAKEFLAGS "OBJCACHE=${CCACHE_PROGRAM}")
  endif()
  # nsgnic_soc_vmodel(<target> <prefix> <params...>): the Verilated nsgnic_top with these
  # parameters as the imported static library <target> (built by <target>_build).
  function(nsgnic_soc_vmodel tgt prefix)
    set(gargs)
    foreach(p ${ARGN})
      list(APPEND gargs -G${p})
    endforeach()
    set(vdir ${CMAKE_CURRENT_BINARY_DIR}/${tgt})
    set(vlibs ${vdir}/${prefix}__ALL.a)
    add_custom_command(OUTPUT ${vlibs}
      COMMAND ${VERILATOR_BIN} --cc --build -j 2 --prefix ${prefix} --top-module nsgnic_top
              --Mdir ${vdir} -O3 -fno-localize --x-assign fast --x-initial fast --trace-fst ${gargs}
              ${vmake_args} ${NSGNIC_SOC_VLT} ${NSGNIC_ABI_SV} ${NSGNIC_SOC_RTL} > ${vdir}.log
      DEPENDS ${NSGNIC_ABI_SV} ${NSGNIC_SOC_RTL} ${NSGNIC_SOC_VLT}
      COMMENT "Verilating nsgnic_top as ${prefix} (log: ${vdir}.log)"
      VERBATIM)
    add_custom_target(${tgt}_build DEPENDS ${vlibs})
    add_library(${tgt} STATIC IMPORTED GLOBAL)
    set_target_properties(${tgt} PROPERTIES
      IMPORTED_LOCATION ${vlibs}
      INTERFACE_LINK_LIBRARIES verilated_rt)
    file(MAKE_DIRECTORY ${vdir})
    target_include_directories(${tgt} SYSTEM INTERFACE ${vdir})
  endfunction()
  nsgnic_soc_vmodel(nsgnic_top_vmodel Vnsgnic_top ${NSGNIC_SOC_SIM_PARAMS})
  nsgnic_soc_vmodel(nsgnic_top_real_vmodel Vnsgnic_top_real ${NSGNIC_SOC_REAL_PARAMS})
  nsgnic_soc_vmodel(nsgnic_top_sdram_vmodel Vnsgnic_top_sdram ${NSGNIC_SOC_SDRAM_PARAMS})

  # The SoC inside the OpenNIC shell plugin (hdl/boards/opennic), same simulated sizes: the
  # co-simulation through the shell's interfaces (sim/soc_model_onic.cpp, test soc_system_onic).
  set(NSGNIC_BOARD_RTL ${CMAKE_CURRENT_SOURCE_DIR}/rtl/axil_cdc.sv
    ${CMAKE_CURRENT_SOURCE_DIR}/rtl/axis_frame_arb.sv ${CMAKE_CURRENT_SOURCE_DIR}/rtl/axis_frame_sizer.sv)
  set(NSGNIC_ONIC_SV ${CMAKE_CURRENT_SOURCE_DIR}/boards/opennic/nsgnic_onic_250mhz.sv)
  set(onic_max_pkt 1536)
  foreach(p ${NSGNIC_SOC_SIM_PARAMS})
    if(p MATCHES "^MaxBeats=([0-9]+)$")
      math(EXPR onic_max_pkt "${CMAKE_MATCH_1} * 64")
    endif()
  endforeach()
  set(odir ${CMAKE_CURRENT_BINARY_DIR}/nsgnic_onic_vmodel)
  set(olibs ${odir}/Vnsgnic_onic_250mhz__ALL.a)
  set(omake_args -MAKEFLAGS "OPT_FAST=-O2")
  if(CCACHE_PROGRAM)
    list(APPEND omake_args -MAKEFLAGS "OBJCACHE=${CCACHE_PROGRAM}")
  endif()
  add_custom_command(OUTPUT ${olibs}
    COMMAND ${VERILATOR_BIN} --cc --build -j 2 --prefix Vnsgnic_onic_250mhz
            --top-module nsgnic_onic_250mhz --Mdir ${odir} -O3 -fno-localize --x-assign fast --x-initial fast
            --trace-fst ${soc_gargs} -GMaxPktLen=${onic_max_pkt} ${omake_args} ${NSGNIC_SOC_VLT}
            ${NSGNIC_ABI_SV} ${NSGNIC_SOC_RTL} ${NSGNIC_BOARD_RTL} ${NSGNIC_ONIC_SV} > ${odir}.log
    DEPENDS ${NSGNIC_ABI_SV} ${NSGNIC_SOC_RTL} ${NSGNIC_SOC_VLT} ${NSGNIC_BOARD_RTL} ${NSGNIC_ONIC_SV}
    COMMENT "Verilating nsgnic_onic_250mhz (log: ${odir}.log)"
    VERBATIM)
  add_custom_target(nsgnic_onic_vmodel_build DEPENDS ${olibs})
  add_library(nsgnic_onic_vmodel STATIC IMPORTED GLOBAL)
  set_target_properties(nsgnic_onic_vmodel PROPERTIES
    IMPORTED_LOCATION ${olibs}
    INTERFACE_LINK_LIBRARIES verilated_rt)
  file(MAKE_DIRECTORY ${odir})
  target_include_directories(nsgnic_onic_vmodel SYSTEM INTERFACE ${odir})

  # The SoC as Corundum's application block (hdl/boards/corundum, module mqnic_app_block), same
  # simulated sizes: the co-simulation through its interface-level streams and app AXI4-Lite
  # port (sim/soc_model_mqnic.cpp, test soc_system_mqnic). TX queues per vport 4 (TxQueueShift
  # 2), an 8-bit RX tid (the wire's label context) so the tests' VNets reach it, and the 24-bit
  # app BAR of Corundum's Alveo designs.
  set(NSGNIC_MQNIC_SV ${CMAKE_CURRENT_SOURCE_DIR}/boards/corundum/nsgnic_mqnic_app_block.sv)
  set(NSGNIC_MQNIC_VLT ${CMAKE_CURRENT_SOURCE_DIR}/boards/corundum/lint_waivers.vlt)
  set(mqnic_gargs)
  foreach(p ${NSGNIC_SOC_SIM_PARAMS})
    if(NOT p MATCHES "^DataW=")   # the block's width is AXIS_IF_DATA_WIDTH
      list(APPEND mqnic_gargs -G${p})
    endif()
  endforeach()
  list(APPEND mqnic_gargs -GMAX_TX_SIZE=${onic_max_pkt} -GMAX_RX_SIZE=${onic_max_pkt}
    -GAXIS_IF_RX_ID_WIDTH=8 -GTxQueueShift=2 -GAXIL_APP_CTRL_ADDR_WIDTH=24)
  set(mdir ${CMAKE_CURRENT_BINARY_DIR}/nsgnic_mqnic_vmodel)
  set(mlibs ${mdir}/Vmqnic_app_block__ALL.a)
  add_custom_command(OUTPUT ${mlibs}
    COMMAND ${VERILATOR_BIN} --cc --build -j 2 --prefix Vmqnic_app_block
            --top-module mqnic_app_block --Mdir ${mdir} -O3 -fno-localize --x-assign fast --x-initial fast
            --trace-fst ${mqnic_gargs} ${omake_args} ${NSGNIC_SOC_VLT} ${NSGNIC_MQNIC_VLT}
            ${NSGNIC_ABI_SV} ${NSGNIC_SOC_RTL} ${NSGNIC_BOARD_RTL} ${NSGNIC_MQNIC_SV} > ${mdir}.log
    DEPENDS ${NSGNIC_ABI_SV} ${NSGNIC_SOC_RTL} ${NSGNIC_SOC_VLT} ${NSGNIC_BOARD_RTL}
            ${NSGNIC_MQNIC_SV} ${NSGNIC_MQNIC_VLT}
    COMMENT "Verilating mqnic_app_block (nsgnic; log: ${mdir}.log)"
    VERBATIM)
  add_custom_target(nsgnic_mqnic_vmodel_build DEPENDS ${mlibs})
  add_library(nsgnic_mqnic_vmodel STATIC IMPORTED GLOBAL)
  set_target_properties(nsgnic_mqnic_vmodel PROPERTIES
    IMPORTED_LOCATION ${mlibs}
    INTERFACE_LINK_LIBRARIES verilated_rt)
  file(MAKE_DIRECTORY ${mdir})
  target_include_directories(nsgnic_mqnic_vmodel SYSTEM INTERFACE ${mdir})

  # Lint: the two SoC modules, the simulated configuration and the default (realistic) one.
  foreach(t axil_bridge host_window nsgnic_top)
    add_test(NAME soc_lint_${t}
      COMMAND ${VERILATOR_BIN} --lint-only -Wall --top-module ${t} ${NSGNIC_SOC_VLT}
              ${NSGNIC_ABI_SV} ${NSGNIC_SOC_RTL})
  endforeach()
  add_test(NAME soc_lint_nsgnic_top_sim
    COMMAND ${VERILATOR_BIN} --lint-only -Wall --top-module nsgnic_top ${soc_gargs}
            ${NSGNIC_SOC_VLT} ${NSGNIC_ABI_SV} ${NSGNIC_SOC_RTL})
  # the devices with the DRAM flow tier: the realistic one and the small one with a tier
  foreach(dev REAL SDRAM)
    string(TOLOWER ${dev} d)
    set(dargs)
    foreach(p ${NSGNIC_SOC_${dev}_PARAMS})
      list(APPEND dargs -G${p})
    endforeach()
    add_test(NAME soc_lint_nsgnic_top_${d}
      COMMAND ${VERILATOR_BIN} --lint-only -Wall --top-module nsgnic_top ${dargs}
              ${NSGNIC_SOC_VLT} ${NSGNIC_ABI_SV} ${NSGNIC_SOC_RTL})
    set_tests_properties(soc_lint_nsgnic_top_${d} PROPERTIES LABELS "hdl;soc")
  endforeach()
  add_test(NAME soc_param_check_window
    COMMAND ${VERILATOR_BIN} --lint-only --top-module host_window -GWinBytes=4096
            ${NSGNIC_SOC_VLT} ${NSGNIC_ABI_SV} ${NSGNIC_SOC_RTL})
  set_tests_properties(soc_param_check_window PROPERTIES PASS_REGULAR_EXPRESSION "USERERROR.*must be")
  add_test(NAME soc_param_check_axil
    COMMAND ${VERILATOR_BIN} --lint-only --top-module axil_bridge -GAddrW=12 -GMappedBytes=8192
            ${NSGNIC_SOC_VLT} ${NSGNIC_ABI_SV} ${NSGNIC_SOC_RTL})
  set_tests_properties(soc_param_check_axil PROPERTIES PASS_REGULAR_EXPRESSION "USERERROR.*must be")
  set_tests_properties(soc_lint_axil_bridge soc_lint_host_window soc_lint_nsgnic_top
    soc_lint_nsgnic_top_sim soc_param_check_window soc_param_check_axil PROPERTIES LABELS "hdl;soc")

  # The board wrappers (hdl/boards/, docs/board.md): their building blocks and the OpenNIC plugin
  # linted with -Wall against the port list of nsgnic_onic_250mhz.sv (realistic parameters).
  foreach(t axil_cdc axis_frame_arb axis_frame_sizer)
    add_test(NAME hdl_lint_board_${t}
      COMMAND ${VERILATOR_BIN} --lint-only -Wall --top-module ${t} ${NSGNIC_SOC_VLT}
              ${NSGNIC_ABI_SV} ${NSGNIC_SOC_RTL} ${NSGNIC_BOARD_RTL})
    set_tests_properties(hdl_lint_board_${t} PROPERTIES LABELS "hdl;soc")
  endforeach()
  add_test(NAME hdl_lint_board_onic
    COMMAND ${VERILATOR_BIN} --lint-only -Wall --top-module nsgnic_onic_250mhz ${NSGNIC_SOC_VLT}
            ${NSGNIC_ABI_SV} ${NSGNIC_SOC_RTL} ${NSGNIC_BOARD_RTL}
            ${NSGNIC_ONIC_SV})
  set_tests_properties(hdl_lint_board_onic PROPERTIES LABELS "hdl;soc")

  # The Corundum application block: -Wall lint in Corundum's 100G Alveo configuration (13-bit
  # TX queue index, 9-bit RX queue destination, 24-bit app BAR) and in the simulated one, its
  # header against the maintained port list (and the checker against a drifted copy).
  set(mqnic_lint ${VERILATOR_BIN} --lint-only -Wall --top-module mqnic_app_block ${NSGNIC_SOC_VLT}
      ${NSGNIC_MQNIC_VLT} ${NSGNIC_ABI_SV} ${NSGNIC_SOC_RTL} ${NSGNIC_BOARD_RTL} ${NSGNIC_MQNIC_SV})
  add_test(NAME hdl_lint_board_mqnic
    COMMAND ${mqnic_lint} -GAXIS_IF_TX_ID_WIDTH=13 -GAXIS_IF_RX_DEST_WIDTH=9 -GAXIL_APP_CTRL_ADDR_WIDTH=24)
  add_test(NAME hdl_lint_board_mqnic_sim COMMAND ${mqnic_lint} ${mqnic_gargs})
  add_test(NAME hdl_param_check_mqnic COMMAND ${mqnic_lint} -GAPP_ID=32\'h12340001)
  set_tests_properties(hdl_param_check_mqnic PROPERTIES PASS_REGULAR_EXPRESSION "USERERROR.*APP_ID")
  set(mqnic_ports ${CMAKE_CURRENT_SOURCE_DIR}/boards/corundum/mqnic_app_block.ports)
  add_test(NAME hdl_ports_board_mqnic
    COMMAND ${CMAKE_SOURCE_DIR}/scripts/check-ports ${mqnic_ports} ${NSGNIC_MQNIC_SV} mqnic_app_block)
  add_test(NAME hdl_ports_board_mqnic_drift
    COMMAND sh -c "sed 's/ s_axis_if_rx_tuser,/ s_axis_if_rx_tusr,/' \"$1\" > \"$2\" && \"$3\" \"$4\" \"$2\" mqnic_app_block; [ $? = 1 ]"
            sh ${NSGNIC_MQNIC_SV} ${CMAKE_CURRENT_BINARY_DIR}/mqnic_drift.sv
            ${CMAKE_SOURCE_DIR}/scripts/check-ports ${mqnic_ports})
  set_tests_properties(hdl_lint_board_mqnic hdl_lint_board_mqnic_sim hdl_param_check_mqnic
    hdl_ports_board_mqnic hdl_ports_board_mqnic_drift PROPERTIES LABELS "hdl;soc;board")

  # AXI4-Lite protocol testbench of the register port (hdl/tb/axil_bridge): a 16-bit aperture
  # with DECERR above 1 KiB, a fully decoded 4 KiB one, and the SoC's own 32-bit one.
  foreach(cfg a:16:1024 b:12:4096 c:32:65536)
    string(REPLACE ":" ";" kv ${cfg})
    list(GET kv 0 n)
    list(GET kv 1 aw)
    list(GET kv 2 mb)
    add_executable(tb_axil_bridge_${n} ${CMAKE_CURRENT_SOURCE_DIR}/tb/axil_bridge/tb_axil_bridge.cpp)
    target_compile_definitions(tb_axil_bridge_${n} PRIVATE TB_ADDRW=${aw} TB_MAPPEDBYTES=${mb})
    add_dependencies(tb_axil_bridge_${n} abi_sv)
    verilate(tb_axil_bridge_${n} SOURCES ${NSGNIC_ABI_SV} ${CMAKE_CURRENT_SOURCE_DIR}/rtl/axil_bridge.sv
             TOP_MODULE axil_bridge PREFIX Vaxil_bridge
             VERILATOR_ARGS -O2 -Wno-fatal --x-assign fast --x-initial fast -GAddrW=${aw} -GMappedBytes=${mb})
    add_test(NAME soc_axil_bridge_${n} COMMAND tb_axil_bridge_${n} 200000 ${aw})
    set_tests_properties(soc_axil_bridge_${n} PROPERTIES LABELS "hdl;soc")
  endforeach()
endif()

# yosys 0.23: elaboration of the whole SoC (tiny tables, 256-byte RAMs) must pass `check -assert`.
if(YOSYS_BIN)
  string(REPLACE ";" " " soc_srcs "${NSGNIC_ABI_SV};${NSGNIC_SOC_RTL}")
  add_test(NAME soc_yosys_elab
    COMMAND ${YOSYS_BIN} -q -p "read_verilog -sv ${soc_srcs}; chparam -set RuleEntries 16 -set LabelEntries 16 -set PlatformEntries 4 -set Vports 4 -set FlowBuckets 4 -set FlowWays 2 -set MaxBeats 4 -set DataDepth 8 -set VqDepth 16 -set ExqDepth 2 -set IramBytes 256 -set DramBytes 256 nsgnic_top; hierarchy -check -top nsgnic_top; proc; check -assert")
  set_tests_properties(soc_yosys_elab PROPERTIES LABELS "hdl;soc" TIMEOUT 600)
  # the Corundum application block around it, the same tiny tables
  string(REPLACE ";" " " mqnic_srcs "${NSGNIC_ABI_SV};${NSGNIC_SOC_RTL};${CMAKE_CURRENT_SOURCE_DIR}/rtl/axis_frame_arb.sv;${CMAKE_CURRENT_SOURCE_DIR}/boards/corundum/nsgnic_mqnic_app_block.sv")
  add_test(NAME hdl_yosys_board_mqnic
    COMMAND ${YOSYS_BIN} -q -p "read_verilog -sv -defer ${mqnic_srcs}; chparam -set RuleEntries 16 -set LabelEntries 16 -set PlatformEntries 4 -set Vports 4 -set FlowBuckets 4 -set FlowWays 2 -set MaxBeats 4 -set DataDepth 8 -set VqDepth 16 -set ExqDepth 2 -set IramBytes 256 -set DramBytes 256 -set MAX_TX_SIZE 256 -set MAX_RX_SIZE 256 mqnic_app_block; hierarchy -check -top mqnic_app_block; proc; check -assert")
  set_tests_properties(hdl_yosys_board_mqnic PROPERTIES LABELS "hdl;soc;board" TIMEOUT 600)
endif()

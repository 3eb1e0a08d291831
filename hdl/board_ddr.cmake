# SPDX-License-Identifier: Apache-2.0
# hdl/board_ddr.cmake: the DRAM flow tier's way to a board's DDR memory (rtl/axi_flow_cdc.sv and
# its rtl/async_fifo.sv, docs/board.md "The flow tier in DDR"): the testbench of the bridge
# (hdl/tb/axi_flow_cdc) at each DDR width, its lint and yosys checks, and the Corundum application
# block with the tier in DDR channel 0 (lint, yosys, the refusal without DDR). Labels hdl + board.
# Included by hdl/CMakeLists.txt (its *.cmake glob), before datapath.cmake and soc.cmake: the
# checks of the application block need soc.cmake's source lists and are deferred to the end of
# the directory.

find_package(verilator HINTS $ENV{VERILATOR_ROOT} /usr/share/verilator REQUIRED)
find_program(VERILATOR_BIN verilator)
find_program(YOSYS_BIN yosys)
set(NSGNIC_DDR_RTL ${CMAKE_CURRENT_SOURCE_DIR}/rtl/async_fifo.sv
  ${CMAKE_CURRENT_SOURCE_DIR}/rtl/axi_flow_cdc.sv)
set(ddr_tb ${CMAKE_CURRENT_SOURCE_DIR}/tb/axi_flow_cdc)

# the checking side (C) with the DRAM model
add_library(nsgnic_tb_afc STATIC ${ddr_tb}/afc_tb.c ${CMAKE_CURRENT_SOURCE_DIR}/tb/common/axi_dram.c)
target_include_directories(nsgnic_tb_afc PUBLIC ${ddr_tb} ${CMAKE_CURRENT_SOURCE_DIR}/tb/common)
target_compile_options(nsgnic_tb_afc PRIVATE ${NSGNIC_C_WARNINGS})

# One Verilated bridge per configuration: a 20-bit slave window (16,384 entries) at 0x1000 of a
# 24-bit master space, 4-bit master IDs; <dw> master data bits, <depth> FIFO entries, <maxout>
# requests in flight. Random initial values (--x-initial unique): the resets must set everything.
function(nsgnic_afc_model cfg dw depth maxout)
  set(t tb_axi_flow_cdc_${cfg})
  add_executable(${t} ${ddr_tb}/tb_axi_flow_cdc.cpp)
  target_compile_definitions(${t} PRIVATE TB_MDATAW=${dw} TB_SADDRW=20 TB_MADDRW=24 TB_MIDW=4
    TB_BASEADDR=4096 TB_DEPTH=${depth} TB_MAXOUT=${maxout})
  target_link_libraries(${t} PRIVATE nsgnic_tb_afc)
  verilate(${t} SOURCES ${NSGNIC_DDR_RTL} TOP_MODULE axi_flow_cdc PREFIX Vaxi_flow_cdc
           VERILATOR_ARGS -O2 -Wno-fatal --x-assign unique --x-initial unique -GMDataW=${dw}
           -GSAddrW=20 -GMAddrW=24 -GMIdW=4 -GBaseAddr=64'h1000 -GDepth=${depth} -GMaxOut=${maxout})
endfunction()

# nsgnic_afc_test(<name> <cfg> <mode> <slave clocks> <seed> <slave ps> <master ps>)
function(nsgnic_afc_test name cfg)
  add_test(NAME hdl_board_ddr_${name} COMMAND tb_axi_flow_cdc_${cfg} ${ARGN})
  set_tests_properties(hdl_board_ddr_${name} PROPERTIES LABELS "hdl;board" TIMEOUT 120)
endfunction()

# ---- the bridge's testbench: the DDR widths of Corundum's designs (512: Alveo DDR4 controllers,
#      256: HBM / smaller controllers), 128 (four beats), and a 256-bit bridge with 4-entry FIFOs
#      and 3 requests in flight (every FIFO full, every limit hit). Datapath clock 4 ns (250 MHz);
#      the DDR clock 3.333 ns (300 MHz, a DDR4-2400 controller's), 5.9 ns (slower than the
#      datapath) and 7.1 ns; resets of either side in the middle; full-rate floors ----------------
nsgnic_afc_model(512 512 16 64)
nsgnic_afc_model(256 256 16 64)
nsgnic_afc_model(128 128 8 32)
nsgnic_afc_model(256s 256 4 3)
foreach(cfg 512 256 128 256s)
  nsgnic_afc_test(${cfg}_fast ${cfg} random 2000000 1 4000 3333)
  nsgnic_afc_test(${cfg}_slow ${cfg} random 2000000 2 4000 5900)
  nsgnic_afc_test(${cfg}_resets ${cfg} resets 2000000 3 4000 3333)
  nsgnic_afc_test(${cfg}_resets_slow ${cfg} resets 2000000 4 4000 7100)
endforeach()
# full rate: 512 bits at either clock ratio (the slower side's rate), 256 bits with a DDR clock
# more than twice the datapath's (one entry per datapath clock) and at 300 MHz (0.6 per clock)
nsgnic_afc_test(512_rate 512 rate 200000 5 4000 3333)
nsgnic_afc_test(512_rate_slow 512 rate 200000 6 4000 5900)
nsgnic_afc_test(256_rate 256 rate 200000 7 4000 1900)
nsgnic_afc_test(256_rate_300 256 rate 200000 8 4000 3333)

# ---- lint (-Wall) at the tested widths and Corundum's defaults, yosys elaboration, and the
#      refusal of a window that does not fit the master's address space ---------------------------
set(ddr_lint ${VERILATOR_BIN} --lint-only -Wall ${CMAKE_CURRENT_SOURCE_DIR}/tb/lint_waivers.vlt
  ${NSGNIC_DDR_RTL})
foreach(dw 512 256 128 64)
  add_test(NAME hdl_lint_board_axi_flow_cdc_${dw}
    COMMAND ${ddr_lint} --top-module axi_flow_cdc -GMDataW=${dw})
  set_tests_properties(hdl_lint_board_axi_flow_cdc_${dw} PROPERTIES LABELS "hdl;board")
endforeach()
add_test(NAME hdl_lint_board_axi_flow_cdc_small
  COMMAND ${ddr_lint} --top-module axi_flow_cdc -GMDataW=256 -GSAddrW=20 -GMAddrW=24 -GMIdW=1
          -GBaseAddr=64'h1000 -GDepth=4 -GMaxOut=1)
add_test(NAME hdl_lint_board_async_fifo COMMAND ${ddr_lint} --top-module async_fifo -GWidth=1 -GDepth=4)
add_test(NAME hdl_param_check_board_axi_flow_cdc
  COMMAND ${ddr_lint} --top-module axi_flow_cdc -GSAddrW=34 -GMAddrW=34 -GBaseAddr=64'h40)
set_tests_properties(hdl_param_check_board_axi_flow_cdc PROPERTIES
  PASS_REGULAR_EXPRESSION "USERERROR.*BaseAddr \\+ 2\\*\\*SAddrW must fit")
set_tests_properties(hdl_lint_board_axi_flow_cdc_small hdl_lint_board_async_fifo
  hdl_param_check_board_axi_flow_cdc PROPERTIES LABELS "hdl;board")
if(YOSYS_BIN)
  string(REPLACE ";" " " ddr_srcs "${NSGNIC_DDR_RTL}")
  foreach(dw 512 256)
    add_test(NAME hdl_yosys_board_axi_flow_cdc_${dw}
      COMMAND ${YOSYS_BIN} -q -p "read_verilog -sv ${ddr_srcs}; chparam -set MDataW ${dw} axi_flow_cdc; hierarchy -check -top axi_flow_cdc; proc; check -assert")
    set_tests_properties(hdl_yosys_board_axi_flow_cdc_${dw} PROPERTIES LABELS "hdl;board" TIMEOUT 300)
  endforeach()
endif()

# ---- the Corundum application block with the tier in DDR channel 0 (deferred: soc.cmake's lists)
function(nsgnic_board_ddr_mqnic_checks)
  set(mqnic_sv ${CMAKE_CURRENT_SOURCE_DIR}/boards/corundum/nsgnic_mqnic_app_block.sv)
  set(mqnic_vlt ${CMAKE_CURRENT_SOURCE_DIR}/boards/corundum/lint_waivers.vlt)
  set(lint ${VERILATOR_BIN} --lint-only -Wall --top-module mqnic_app_block ${NSGNIC_SOC_VLT}
      ${mqnic_vlt} ${NSGNIC_ABI_SV} ${NSGNIC_SOC_RTL} ${NSGNIC_BOARD_RTL} ${NSGNIC_DDR_RTL} ${mqnic_sv})
  # Corundum's 100G Alveo configuration with DDR (U250: four 512-bit 16 GiB channels), and a
  # 256-bit channel with the table at 1 GiB in a 4 GiB space
  add_test(NAME hdl_lint_board_mqnic_ddr
    COMMAND ${lint} -GAXIS_IF_TX_ID_WIDTH=13 -GAXIS_IF_RX_DEST_WIDTH=9 -GAXIL_APP_CTRL_ADDR_WIDTH=24
            -GDDR_ENABLE=1 -GDDR_CH=4 -GAXI_DDR_DATA_WIDTH=512 -GAXI_DDR_ADDR_WIDTH=34)
  add_test(NAME hdl_lint_board_mqnic_ddr256
    COMMAND ${lint} -GAXIS_IF_TX_ID_WIDTH=13 -GAXIS_IF_RX_DEST_WIDTH=9 -GAXIL_APP_CTRL_ADDR_WIDTH=24
            -GDDR_ENABLE=1 -GDDR_CH=1 -GAXI_DDR_DATA_WIDTH=256 -GAXI_DDR_ADDR_WIDTH=32
            -GDdrBaseAddr=64'h40000000 -GDramAddrW=30)
  # the tier without DDR is refused
  add_test(NAME hdl_param_check_board_mqnic_ddr COMMAND ${lint} -GFlowDram=1)
  set_tests_properties(hdl_param_check_board_mqnic_ddr PROPERTIES
    PASS_REGULAR_EXPRESSION "USERERROR.*FlowDram needs DDR_ENABLE")
  set_tests_properties(hdl_lint_board_mqnic_ddr hdl_lint_board_mqnic_ddr256
    hdl_param_check_board_mqnic_ddr PROPERTIES LABELS "hdl;board")
  if(YOSYS_BIN)
    # yosys elaborates it with the tier and the bridge (hdl_yosys_board_mqnic's tiny tables, a
    # 4 x 4 x 4-slot tier, two 256-bit DDR channels) and the bridge must be in it
    string(REPLACE ";" " " srcs "${NSGNIC_ABI_SV};${NSGNIC_SOC_RTL};${CMAKE_CURRENT_SOURCE_DIR}/rtl/axis_frame_arb.sv;${NSGNIC_DDR_RTL};${mqnic_sv}")
    add_test(NAME hdl_yosys_board_mqnic_ddr
      COMMAND ${YOSYS_BIN} -q -p "read_verilog -sv -defer ${srcs}; chparam -set RuleEntries 16 -set LabelEntries 16 -set PlatformEntries 4 -set Vports 4 -set FlowBuckets 4 -set FlowWays 2 -set MaxBeats 4 -set DataDepth 8 -set VqDepth 16 -set ExqDepth 2 -set IramBytes 256 -set DramBytes 256 -set MAX_TX_SIZE 256 -set MAX_RX_SIZE 256 -set DDR_ENABLE 1 -set DDR_CH 2 -set AXI_DDR_ADDR_WIDTH 34 -set DramBuckets 4 -set DramWays 4 -set DramDepth 32 -set DramDbt 64 -set DdrFifoDepth 4 mqnic_app_block; hierarchy -check -top mqnic_app_block; select -assert-count 1 mqnic_app_block/t:*axi_flow_cdc*; proc; check -assert")
    set_tests_properties(hdl_yosys_board_mqnic_ddr PROPERTIES LABELS "hdl;board" TIMEOUT 600)
  endif()
endfunction()
cmake_language(DEFER CALL nsgnic_board_ddr_mqnic_checks)

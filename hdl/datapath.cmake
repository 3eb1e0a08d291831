# SPDX-License-Identifier: Apache-2.0
# The NSG datapath (hdl/rtl, owner: datapath): Verilated testbench models, lint and synthesis
# checks. Included by hdl/CMakeLists.txt when NSGNIC_HDL is ON. Every model is built once; its
# parameters are fixed by -G here and passed to the harness as TB_* definitions.

find_package(verilator HINTS $ENV{VERILATOR_ROOT} /usr/share/verilator REQUIRED)

set(NSGNIC_DP_RTL_DIR ${CMAKE_CURRENT_SOURCE_DIR}/rtl)
set(NSGNIC_DP_TB_DIR ${CMAKE_CURRENT_SOURCE_DIR}/tb)
# Datapath modules (order: dependencies first), all reading the generated ABI package.
set(NSGNIC_DP_MODULES prio_enc tcam_lutram wide_and tcam_blk tcam lpm parser binding_table verdict flow_cache lookup sync_fifo
  flow_dram flow_tier
  exc_queue counters csr_slave datapath)
set(NSGNIC_DP_RTL ${NSGNIC_ABI_SV})
foreach(m ${NSGNIC_DP_MODULES})
  list(APPEND NSGNIC_DP_RTL ${NSGNIC_DP_RTL_DIR}/${m}.sv)
endforeach()

add_library(nsgnic_tb_common STATIC ${NSGNIC_DP_TB_DIR}/common/ref_tcam.c
  ${NSGNIC_DP_TB_DIR}/common/ref_parse.c ${NSGNIC_DP_TB_DIR}/datapath/dp_model.c
  ${NSGNIC_DP_TB_DIR}/common/axi_dram.c)
target_include_directories(nsgnic_tb_common PUBLIC ${NSGNIC_DP_TB_DIR}/common
  ${NSGNIC_DP_TB_DIR}/datapath ${CMAKE_SOURCE_DIR}/include)
target_compile_options(nsgnic_tb_common PRIVATE ${NSGNIC_C_WARNINGS})

# nsgnic_dp_model(<target> TOP <module> TB <sources...> PARAMS <Name=Value...> [LIBS <libs...>]
#                 [VARGS <verilator args...>])
# builds one Verilated model + harness; each PARAMS entry becomes -G<Name>=<Value> and
# -DTB_<NAME>=<Value> (upper-cased).
function(nsgnic_dp_model target)
  cmake_parse_arguments(A "" "TOP" "TB;PARAMS;LIBS;VARGS" ${ARGN})
  add_executable(${target} ${A_TB})
  set(gargs)
  set(defs)
  foreach(p ${A_PARAMS})
    string(REPLACE "=" ";" kv ${p})
    list(GET kv 0 k)
    list(GET kv 1 v)
    list(APPEND gargs -G${k}=${v})
    string(TOUPPER ${k} ku)
    list(APPEND defs TB_${ku}=${v})
  endforeach()
  target_compile_definitions(${target} PRIVATE ${defs})
  target_link_libraries(${target} PRIVATE nsgnic_tb_common ${A_LIBS})
  target_include_directories(${target} PRIVATE ${CMAKE_SOURCE_DIR}/hostlib/src)
  add_dependencies(${target} abi_sv)
  verilate(${target} SOURCES ${NSGNIC_DP_RTL} TOP_MODULE ${A_TOP} PREFIX V${A_TOP}
           VERILATOR_ARGS -O2 -Wno-fatal --x-assign fast --x-initial fast ${gargs} ${A_VARGS})
endfunction()

# ---- tcam: the simulation form in four configurations (narrow/1 port, label-like/2 ports,
#      rule-like/2 ports, several 64-entry words) and the hardware form (tcam_lutram slices of
#      entry pairs, NSGNIC_TCAM_STRUCT) in three ----------------------------------------------
nsgnic_dp_model(tb_tcam_a TOP tcam TB ${NSGNIC_DP_TB_DIR}/tcam/tb_tcam.cpp
  PARAMS Entries=16 KeyW=20 ResW=12 Ports=1 ChunkW=6)
nsgnic_dp_model(tb_tcam_b TOP tcam TB ${NSGNIC_DP_TB_DIR}/tcam/tb_tcam.cpp
  PARAMS Entries=64 KeyW=144 ResW=32 Ports=2 ChunkW=5)
nsgnic_dp_model(tb_tcam_c TOP tcam TB ${NSGNIC_DP_TB_DIR}/tcam/tb_tcam.cpp
  PARAMS Entries=32 KeyW=256 ResW=32 Ports=2 ChunkW=4)
nsgnic_dp_model(tb_tcam_d TOP tcam TB ${NSGNIC_DP_TB_DIR}/tcam/tb_tcam.cpp
  PARAMS Entries=256 KeyW=256 ResW=32 Ports=2 ChunkW=5)
nsgnic_dp_model(tb_tcam_hw_a TOP tcam TB ${NSGNIC_DP_TB_DIR}/tcam/tb_tcam.cpp
  PARAMS Entries=32 KeyW=256 ResW=32 Ports=2 ChunkW=5 VARGS +define+NSGNIC_TCAM_STRUCT)
nsgnic_dp_model(tb_tcam_hw_b TOP tcam TB ${NSGNIC_DP_TB_DIR}/tcam/tb_tcam.cpp
  PARAMS Entries=16 KeyW=20 ResW=12 Ports=1 ChunkW=6 VARGS +define+NSGNIC_TCAM_STRUCT)
# several blocks (tcam_blk: 32 blocks of 8 entries, the encoder over the blocks)
nsgnic_dp_model(tb_tcam_hw_c TOP tcam TB ${NSGNIC_DP_TB_DIR}/tcam/tb_tcam.cpp
  PARAMS Entries=256 KeyW=40 ResW=16 Ports=2 ChunkW=5 BlkEntries=8 VARGS +define+NSGNIC_TCAM_STRUCT)
add_test(NAME dp_tcam_a COMMAND tb_tcam_a 100000 1)
add_test(NAME dp_tcam_b COMMAND tb_tcam_b 100000 2)
add_test(NAME dp_tcam_c COMMAND tb_tcam_c 100000 3)
add_test(NAME dp_tcam_d COMMAND tb_tcam_d 30000 4)
add_test(NAME dp_tcam_hw_a COMMAND tb_tcam_hw_a 100000 5)
add_test(NAME dp_tcam_hw_b COMMAND tb_tcam_hw_b 100000 6)
add_test(NAME dp_tcam_hw_c COMMAND tb_tcam_hw_c 100000 7)

# ---- parser: full header window (2 beats) and a 64-byte window; fuzz included; pipelined, the
#      frame number rides side_i (SideW 32) ----------------------------------------------------------
nsgnic_dp_model(tb_parser_128 TOP parser TB ${NSGNIC_DP_TB_DIR}/parser/tb_parser.cpp
  PARAMS HdrBytes=128 SideW=32)
nsgnic_dp_model(tb_parser_64 TOP parser TB ${NSGNIC_DP_TB_DIR}/parser/tb_parser.cpp
  PARAMS HdrBytes=64 SideW=32)
add_test(NAME dp_parser_128 COMMAND tb_parser_128 200000 1)
add_test(NAME dp_parser_64 COMMAND tb_parser_64 200000 2)

# ---- datapath: small tables, 4-beat frames; the model is dp_model.c ---------------------------
# DataDepth holds every beat of the packets in flight (the pipeline's latency at one single-beat
# frame per clock; docs/datapath.md Pipeline): 64 covers the parser + lookup latency with room
set(NSGNIC_DP_SMALL RuleEntries=128 LabelEntries=64 PlatformEntries=8 Vports=16 FlowBuckets=32
  FlowWays=4 FlowStash=4 MaxBeats=4 DataDepth=64 ExqDepth=4)
nsgnic_dp_model(tb_datapath TOP datapath TB ${NSGNIC_DP_TB_DIR}/datapath/tb_datapath.cpp
  PARAMS ${NSGNIC_DP_SMALL} LIBS nsgnic)
add_test(NAME dp_datapath COMMAND tb_datapath 20000 1)
add_test(NAME dp_datapath_nobp COMMAND tb_datapath 10000 2 --bp 0 --idle 0)
add_test(NAME dp_datapath_slow COMMAND tb_datapath 1000000 3)
set_tests_properties(dp_datapath_slow PROPERTIES LABELS slow TIMEOUT 3600)
# the DRAM flow tier behind the cache (FlowDram): a 4 x 16 x 4-slot DRAM table with 8-bit signatures
# (table full, collisions), the AXI DRAM model at random latency 100..400 with ready / bank /
# refresh stalls; verdicts against dp_model + ref_flow_dram
nsgnic_dp_model(tb_datapath_dram TOP datapath TB ${NSGNIC_DP_TB_DIR}/datapath/tb_datapath.cpp
  PARAMS ${NSGNIC_DP_SMALL} FlowDram=1 DramBuckets=16 DramWays=4 DramSigW=8 DramDepth=64 DramDbt=128
  LIBS nsgnic nsgnic_tb_flow_dram)
add_test(NAME dp_datapath_dram COMMAND tb_datapath_dram 10000 1 --dram 100 400)
add_test(NAME dp_datapath_dram_nobp COMMAND tb_datapath_dram 5000 2 --bp 0 --idle 0 --dram 100 400)
# S5 per-NIC limit (CSR_FLOW_LIMIT = 10 flows per NIC and direction): a NIC's flow past it is
# punted and counted as a learn failure while the other NICs keep learning; against ref_flow_dram
add_test(NAME dp_datapath_dram_limit COMMAND tb_datapath_dram 8000 3 --dram 100 400 --limit 10)
# the cache in front of the tier (FlowFront): new flows learn in the cache while it has room, else
# in DRAM, decided at one point (P11) with the tier's directory and S5 counters; the same checks.
# A 34-entry cache (4 x 4 buckets x 2 ways + 2 stash), so that both levels fill and empty often
nsgnic_dp_model(tb_datapath_front TOP datapath TB ${NSGNIC_DP_TB_DIR}/datapath/tb_datapath.cpp
  PARAMS RuleEntries=128 LabelEntries=64 PlatformEntries=8 Vports=16 FlowBuckets=4 FlowWays=2
  FlowStash=2 MaxBeats=4 DataDepth=64 ExqDepth=4 FlowDram=1 FlowFront=1 DramBuckets=16
  DramWays=4 DramSigW=8 DramDepth=64 DramDbt=128 LIBS nsgnic nsgnic_tb_flow_dram)
add_test(NAME dp_datapath_front COMMAND tb_datapath_front 10000 1 --dram 100 400)
add_test(NAME dp_datapath_front_nobp COMMAND tb_datapath_front 5000 2 --bp 0 --idle 0 --dram 100 400)
add_test(NAME dp_datapath_front_limit COMMAND tb_datapath_front 8000 3 --dram 100 400 --limit 10)
# bench model of the tier in the datapath (bench/datapath.sh: pkts_per_clock_cache_miss,
# pkts_per_clock_mixed_dram, latency_cycles_cache_miss): 4 x 256 x 32 DRAM slots, 31-bit
# signatures, 256 packets in flight (DRAM latency 200 + the pipeline), single-beat frames
nsgnic_dp_model(tb_datapath_dram_bench TOP datapath TB ${NSGNIC_DP_TB_DIR}/datapath/tb_datapath.cpp
  PARAMS RuleEntries=128 LabelEntries=64 PlatformEntries=8 Vports=16 FlowBuckets=256 FlowWays=8
  FlowStash=32 MaxBeats=4 DataDepth=512 VqDepth=256 ExqDepth=4 FlowDram=1 DramBuckets=256
  DramWays=32 DramSigW=31 DramDepth=512 DramDbt=1024 LIBS nsgnic nsgnic_tb_flow_dram)
# the same with the cache in front of the tier (FlowFront): learned flows hit on chip
# (bench/datapath.sh: latency_cycles_cache_hit_front, pkts_per_clock_mixed_front)
nsgnic_dp_model(tb_datapath_front_bench TOP datapath TB ${NSGNIC_DP_TB_DIR}/datapath/tb_datapath.cpp
  PARAMS RuleEntries=128 LabelEntries=64 PlatformEntries=8 Vports=16 FlowBuckets=256 FlowWays=8
  FlowStash=32 MaxBeats=4 DataDepth=512 VqDepth=256 ExqDepth=4 FlowDram=1 FlowFront=1
  DramBuckets=256 DramWays=32 DramSigW=31 DramDepth=512 DramDbt=1024 LIBS nsgnic nsgnic_tb_flow_dram)
# bench model (bench/datapath.sh): flow cache of 4 x 256 buckets x 8 ways + a 32-slot stash
nsgnic_dp_model(tb_datapath_bench TOP datapath TB ${NSGNIC_DP_TB_DIR}/datapath/tb_datapath.cpp
  PARAMS RuleEntries=128 LabelEntries=64 PlatformEntries=8 Vports=16 FlowBuckets=256 FlowWays=8
  FlowStash=32 MaxBeats=4 DataDepth=64 ExqDepth=4 LIBS nsgnic)
# compiled tables: the three-tier example compiled by `nsgnic compile`, loaded through the CSR bus,
# verdicts against dp_model and the compiler's bit-exact tables model (nsg_tables_verify)
nsgnic_dp_model(tb_datapath_image TOP datapath TB ${NSGNIC_DP_TB_DIR}/datapath/tb_datapath.cpp
  PARAMS RuleEntries=128 LabelEntries=512 PlatformEntries=16 Vports=16 FlowBuckets=32 FlowWays=4
  FlowStash=4 MaxBeats=4 DataDepth=64 ExqDepth=4 LIBS nsgnic)
set(NSGNIC_DP_EX ${CMAKE_SOURCE_DIR}/examples/three-tier)
add_test(NAME dp_datapath_image COMMAND sh -c
  "$<TARGET_FILE:nsgnic_cli> compile --config ${NSGNIC_DP_EX}/vnets.json --config ${NSGNIC_DP_EX}/nsgs.json --config ${NSGNIC_DP_EX}/nics.json --config ${NSGNIC_DP_EX}/asgs.json --service-tags ${NSGNIC_DP_EX}/servicetags.json -o dp_three_tier.img && $<TARGET_FILE:tb_datapath_image> 20000 5 --image dp_three_tier.img")
# the same with the block-RAM label stage (LabelLpm): the trees built from the image at this
# model's geometry (4 levels, fanout 8, 9 context bits, 256 / 128 leaves), written through
# CSR_LPM_SEL / CSR_LPM_DATA; verdicts against dp_model's label TCAM and nsg_tables_verify
nsgnic_dp_model(tb_datapath_image_lpm TOP datapath TB ${NSGNIC_DP_TB_DIR}/datapath/tb_datapath.cpp
  PARAMS RuleEntries=128 LabelEntries=512 PlatformEntries=16 Vports=16 FlowBuckets=32 FlowWays=4
  FlowStash=4 MaxBeats=4 DataDepth=16 ExqDepth=4 LabelLpm=1 LpmFanout=8 LpmLevels=4 LpmCtxBits=9
  Lpm4Leaves=256 Lpm6Leaves=128 Lpm4Results=512 Lpm6Results=512 LIBS nsgnic)
add_test(NAME dp_datapath_image_lpm COMMAND sh -c
  "$<TARGET_FILE:nsgnic_cli> compile --config ${NSGNIC_DP_EX}/vnets.json --config ${NSGNIC_DP_EX}/nsgs.json --config ${NSGNIC_DP_EX}/nics.json --config ${NSGNIC_DP_EX}/asgs.json --service-tags ${NSGNIC_DP_EX}/servicetags.json -o dp_three_tier_lpm.img && $<TARGET_FILE:tb_datapath_image_lpm> 20000 6 --image dp_three_tier_lpm.img")
# per-vport label contexts (LabelCtx): the image_lpm geometry; random contexts and prefix sets
# per bank (trees by hostlib lpm.c), the local-address table, bindings naming contexts, three banks'
# worth of writes under traffic; against dp_model's linear longest-prefix reference. The fault runs
# program the hardware wrongly (rows' vectors swapped, bindings naming the next context) and pass
# only when the comparison sees it.
nsgnic_dp_model(tb_datapath_ctx TOP datapath TB ${NSGNIC_DP_TB_DIR}/datapath/tb_datapath.cpp
  PARAMS ${NSGNIC_DP_SMALL} LabelLpm=1 LabelCtx=1 LpmFanout=8 LpmLevels=4 LpmCtxBits=9
  Lpm4Leaves=256 Lpm6Leaves=128 Lpm4Results=512 Lpm6Results=512 LIBS nsgnic)
add_test(NAME dp_datapath_ctx COMMAND tb_datapath_ctx 20000 7)
add_test(NAME dp_datapath_ctx_fault_swap COMMAND tb_datapath_ctx 3000 8 --fault swap)
add_test(NAME dp_datapath_ctx_fault_ctx COMMAND tb_datapath_ctx 3000 9 --fault ctx)

# ---- lint: every module, verilator -Wall, small and realistic configurations -------------
add_test(NAME dp_synth COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/tb/synth.sh ${NSGNIC_ABI_SV} ${NSGNIC_DP_RTL_DIR})
set_tests_properties(dp_synth PROPERTIES LABELS "slow;synth" TIMEOUT 3600)
add_test(NAME dp_lint COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/tb/lint.sh ${NSGNIC_ABI_SV} ${NSGNIC_DP_RTL_DIR})

# SPDX-License-Identifier: Apache-2.0
# Per-module testbenches of the datapath units (flow_cache, csr_slave, verdict, binding_table,
# exc_queue, sync_fifo, counters): one Verilated model per configuration, small parameters,
# C reference models, labels hdl + datapath. Every configuration is also linted (verilator
# --lint-only -Wall, dp_lint_<config>) so the simulated parameters are lint-clean too; dp_lint
# (datapath.cmake) covers each datapath module at its own named configurations. Included by
# hdl/CMakeLists.txt after datapath.cmake (nsgnic_dp_model, nsgnic_tb_common).

add_library(nsgnic_tb_units STATIC ${NSGNIC_DP_TB_DIR}/flow_cache/ref_flow.c
  ${NSGNIC_DP_TB_DIR}/verdict/ref_verdict.c ${NSGNIC_DP_TB_DIR}/csr_slave/ref_csr.c
  ${NSGNIC_DP_TB_DIR}/sync_fifo/ref_fifo.c)
target_include_directories(nsgnic_tb_units PUBLIC ${NSGNIC_DP_TB_DIR}/flow_cache
  ${NSGNIC_DP_TB_DIR}/verdict ${NSGNIC_DP_TB_DIR}/csr_slave
  ${NSGNIC_DP_TB_DIR}/sync_fifo)
target_link_libraries(nsgnic_tb_units PUBLIC nsgnic_tb_common)
target_compile_options(nsgnic_tb_units PRIVATE ${NSGNIC_C_WARNINGS})

set(NSGNIC_DP_UNIT_TESTS)
# nsgnic_dp_unit_test(<name> <command...>)
macro(nsgnic_dp_unit_test name)
  add_test(NAME ${name} COMMAND ${ARGN})
  list(APPEND NSGNIC_DP_UNIT_TESTS ${name})
endmacro()

find_program(VERILATOR_BIN verilator)
# nsgnic_dp_unit_model(tb_<cfg> TOP <module> TB <src> [PARAMS ...] [LIBS ...]): nsgnic_dp_model
# plus the lint test dp_lint_<cfg> of the same parameters.
macro(nsgnic_dp_unit_model target)
  nsgnic_dp_model(${ARGV})
  cmake_parse_arguments(U "" "TOP" "TB;PARAMS;LIBS" ${ARGN})
  set(u_gargs)
  foreach(p ${U_PARAMS})
    list(APPEND u_gargs -G${p})
  endforeach()
  string(REGEX REPLACE "^tb_" "" u_cfg ${target})
  nsgnic_dp_unit_test(dp_lint_${u_cfg} ${VERILATOR_BIN} --lint-only -Wall
    ${NSGNIC_DP_TB_DIR}/lint_waivers.vlt ${NSGNIC_DP_RTL} --top-module ${U_TOP} ${u_gargs})
endmacro()

# ---- flow_cache: tiny (4 x 4 buckets x 2 ways + 2 stash: overflow and bypass collisions every
#      few packets), 16 x 4 + 4, and 2 x 16 without a stash ------------------------------------------------------
nsgnic_dp_unit_model(tb_flow_cache_a TOP flow_cache TB ${NSGNIC_DP_TB_DIR}/flow_cache/tb_flow_cache.cpp
  PARAMS Buckets=4 Ways=2 Stash=2 LIBS nsgnic_tb_units)
nsgnic_dp_unit_model(tb_flow_cache_b TOP flow_cache TB ${NSGNIC_DP_TB_DIR}/flow_cache/tb_flow_cache.cpp
  PARAMS Buckets=16 Ways=4 Stash=4 LIBS nsgnic_tb_units)
nsgnic_dp_unit_model(tb_flow_cache_c TOP flow_cache TB ${NSGNIC_DP_TB_DIR}/flow_cache/tb_flow_cache.cpp
  PARAMS Buckets=2 Ways=16 Stash=0 LIBS nsgnic_tb_units)
# the bench geometry (bench/datapath.sh: aging-engine figures)
nsgnic_dp_unit_model(tb_flow_cache_d TOP flow_cache TB ${NSGNIC_DP_TB_DIR}/flow_cache/tb_flow_cache.cpp
  PARAMS Buckets=256 Ways=8 Stash=32 LIBS nsgnic_tb_units)
nsgnic_dp_unit_test(dp_flow_cache_a tb_flow_cache_a 500000 1)
nsgnic_dp_unit_test(dp_flow_cache_d tb_flow_cache_d 50000 4)
nsgnic_dp_unit_test(dp_flow_cache_b tb_flow_cache_b 500000 2)
nsgnic_dp_unit_test(dp_flow_cache_c tb_flow_cache_c 200000 3)
# Ways=1 is refused at elaboration (the ABI entry index would have no way bits)
nsgnic_dp_unit_test(dp_flow_cache_ways1_refused ${VERILATOR_BIN} --lint-only
  ${NSGNIC_DP_RTL} --top-module flow_cache -GWays=1)
set_tests_properties(dp_flow_cache_ways1_refused PROPERTIES
  PASS_REGULAR_EXPRESSION "Ways must be a power of two, 2..32")

# ---- axi_dram: the DRAM model of the testbenches and the co-simulation (tb/common/axi_dram.c) --
add_executable(test_axi_dram ${NSGNIC_DP_TB_DIR}/common/test_axi_dram.c)
target_link_libraries(test_axi_dram PRIVATE nsgnic_tb_common)
target_compile_options(test_axi_dram PRIVATE ${NSGNIC_C_WARNINGS})
nsgnic_dp_unit_test(dp_axi_dram_model test_axi_dram 200000 1)

# ---- flow_dram (DRAM flow tier) on the DRAM model: tiny (4 x 4 buckets x 4 ways, 6-bit
#      signatures: collisions every few requests, an 8-deep buffer and a 4-entry recent-write
#      table: stalls), and 4 x 16 x 8 with 8-bit signatures, 64 deep -----------------------------
add_library(nsgnic_tb_flow_dram STATIC ${NSGNIC_DP_TB_DIR}/flow_dram/ref_flow_dram.c)
target_include_directories(nsgnic_tb_flow_dram PUBLIC ${NSGNIC_DP_TB_DIR}/flow_dram)
target_link_libraries(nsgnic_tb_flow_dram PUBLIC nsgnic_tb_common)
target_compile_options(nsgnic_tb_flow_dram PRIVATE ${NSGNIC_C_WARNINGS})
nsgnic_dp_unit_model(tb_flow_dram_a TOP flow_dram TB ${NSGNIC_DP_TB_DIR}/flow_dram/tb_flow_dram.cpp
  PARAMS Buckets=4 Ways=4 SigW=6 Depth=8 Dbt=16 Vports=3 ScanMax=4 LIBS nsgnic_tb_flow_dram)
nsgnic_dp_unit_model(tb_flow_dram_b TOP flow_dram TB ${NSGNIC_DP_TB_DIR}/flow_dram/tb_flow_dram.cpp
  PARAMS Buckets=16 Ways=8 SigW=8 Depth=64 Dbt=128 Vports=4 ScanMax=16 LIBS nsgnic_tb_flow_dram)
# the bench geometry (bench/datapath.sh): 4 x 256 x 32 slots, realistic depth and signatures
nsgnic_dp_model(tb_flow_dram_bench TOP flow_dram TB ${NSGNIC_DP_TB_DIR}/flow_dram/tb_flow_dram.cpp
  PARAMS Buckets=256 Ways=32 SigW=31 Depth=512 Dbt=1024 Vports=256 ScanMax=256 LIBS nsgnic_tb_flow_dram)
# the realistic table (4 x 8,192 x 32 = 1,048,576 slots): issue 13's 1M-flow soak (slow)
nsgnic_dp_model(tb_flow_dram_1m TOP flow_dram TB ${NSGNIC_DP_TB_DIR}/flow_dram/tb_flow_dram.cpp
  PARAMS Buckets=8192 Ways=32 SigW=31 Depth=512 Dbt=1024 Vports=256 ScanMax=256 LIBS nsgnic_tb_flow_dram)
add_test(NAME dp_flow_dram_soak_1m COMMAND tb_flow_dram_1m --soak 1000000 5)
set_tests_properties(dp_flow_dram_soak_1m PROPERTIES LABELS "hdl;datapath;slow" TIMEOUT 3600)
nsgnic_dp_unit_test(dp_flow_dram_a tb_flow_dram_a 30000 1)
nsgnic_dp_unit_test(dp_flow_dram_a2 tb_flow_dram_a 30000 3)
nsgnic_dp_unit_test(dp_flow_dram_b tb_flow_dram_b 30000 2)
nsgnic_dp_unit_test(dp_flow_dram_b2 tb_flow_dram_b 30000 6)
# fail closed on DRAM errors: the upper half of the table (slots >= 256 of 512) answers SLVERR
nsgnic_dp_unit_test(dp_flow_dram_b_bad tb_flow_dram_b 20000 7 --bad-from 256)

# ---- csr_slave: the datapath's small tables (128-byte window) and the compiled-image sizes with
#      a 64-byte exception window and 256 vports ------------------------------------------------
nsgnic_dp_unit_model(tb_csr_slave_a TOP csr_slave TB ${NSGNIC_DP_TB_DIR}/csr_slave/tb_csr_slave.cpp
  PARAMS RuleEntries=64 LabelEntries=32 PlatformEntries=8 Vports=16 FlowBuckets=16 FlowWays=4
  FlowStash=4 ExqDepth=8 HdrBytes=128 LIBS nsgnic_tb_units)
nsgnic_dp_unit_model(tb_csr_slave_b TOP csr_slave TB ${NSGNIC_DP_TB_DIR}/csr_slave/tb_csr_slave.cpp
  PARAMS RuleEntries=128 LabelEntries=512 PlatformEntries=16 Vports=256 FlowBuckets=64 FlowWays=16
  FlowStash=32 ExqDepth=4 HdrBytes=64 LIBS nsgnic_tb_units)
nsgnic_dp_unit_test(dp_csr_slave_a tb_csr_slave_a 1000000 1)
nsgnic_dp_unit_test(dp_csr_slave_b tb_csr_slave_b 1000000 2)

# ---- verdict: no parameters; exhaustive over the control inputs, rule ids from an edge set ----
nsgnic_dp_unit_model(tb_verdict TOP verdict TB ${NSGNIC_DP_TB_DIR}/verdict/tb_verdict.cpp
  LIBS nsgnic_tb_units)
nsgnic_dp_unit_test(dp_verdict tb_verdict 1)

# ---- binding_table: one vport (1-bit index), a non-power-of-two count, all 256 ----------------
foreach(cfg a:1 b:5 c:256)
  string(REPLACE ":" ";" kv ${cfg})
  list(GET kv 0 n)
  list(GET kv 1 v)
  nsgnic_dp_unit_model(tb_binding_table_${n} TOP binding_table
    TB ${NSGNIC_DP_TB_DIR}/binding_table/tb_binding_table.cpp PARAMS Vports=${v})
  nsgnic_dp_unit_test(dp_binding_table_${n} tb_binding_table_${n} 200000 ${v})
endforeach()

# ---- sync_fifo: narrowest/shallowest (1 x 2) and a 40-bit x 16 FIFO ---------------------------
nsgnic_dp_unit_model(tb_sync_fifo_a TOP sync_fifo TB ${NSGNIC_DP_TB_DIR}/sync_fifo/tb_sync_fifo.cpp
  PARAMS Width=1 Depth=2 LIBS nsgnic_tb_units)
nsgnic_dp_unit_model(tb_sync_fifo_b TOP sync_fifo TB ${NSGNIC_DP_TB_DIR}/sync_fifo/tb_sync_fifo.cpp
  PARAMS Width=40 Depth=16 LIBS nsgnic_tb_units)
nsgnic_dp_unit_test(dp_sync_fifo_a tb_sync_fifo_a 200000 1)
nsgnic_dp_unit_test(dp_sync_fifo_b tb_sync_fifo_b 200000 2)

# ---- exc_queue (park slots): 2 slots x 3 beats of 64 bits with an 8-byte head, and the
#      datapath's 8 slots x 4 beats of 512 bits with the 128-byte head ---------------------------
nsgnic_dp_unit_model(tb_exc_queue_a TOP exc_queue TB ${NSGNIC_DP_TB_DIR}/exc_queue/tb_exc_queue.cpp
  PARAMS Depth=2 HdrBytes=8 DataW=64 MaxBeats=3 LIBS nsgnic_tb_units)
nsgnic_dp_unit_model(tb_exc_queue_b TOP exc_queue TB ${NSGNIC_DP_TB_DIR}/exc_queue/tb_exc_queue.cpp
  PARAMS Depth=8 HdrBytes=128 DataW=512 MaxBeats=4 LIBS nsgnic_tb_units)
nsgnic_dp_unit_test(dp_exc_queue_a tb_exc_queue_a 200000 1)
nsgnic_dp_unit_test(dp_exc_queue_b tb_exc_queue_b 100000 2)

# ---- counters: one 32-bit-addend counter (fast wrap, 1-bit index) and the datapath's 39 x 16 ---
nsgnic_dp_unit_model(tb_counters_a TOP counters TB ${NSGNIC_DP_TB_DIR}/counters/tb_counters.cpp
  PARAMS Count=1 AddW=32)
nsgnic_dp_unit_model(tb_counters_b TOP counters TB ${NSGNIC_DP_TB_DIR}/counters/tb_counters.cpp
  PARAMS Count=39 AddW=16)
nsgnic_dp_unit_test(dp_counters_a tb_counters_a 200000 1)
nsgnic_dp_unit_test(dp_counters_b tb_counters_b 200000 2)

# ---- lpm (label stage, block-RAM longest-prefix match): {2-bit ctx, IPv4} with fanout 4 (deep,
#      many leaf refills) and {3-bit ctx, IPv6} with fanout 8; the realistic geometries are
#      linted (dp_lint_lpm_v4 / _v6: the label stage of datapath.sv's defaults) ---------------
nsgnic_dp_unit_model(tb_lpm_a TOP lpm TB ${NSGNIC_DP_TB_DIR}/lpm/tb_lpm.cpp
  PARAMS KeyW=34 Fanout=4 Levels=5 LeafNodes=64 Results=16 ResW=12 CmpReg=1 LIBS nsgnic)
nsgnic_dp_unit_model(tb_lpm_b TOP lpm TB ${NSGNIC_DP_TB_DIR}/lpm/tb_lpm.cpp
  PARAMS KeyW=131 Fanout=8 Levels=3 LeafNodes=40 Results=64 ResW=32 LIBS nsgnic)
nsgnic_dp_unit_test(dp_lpm_a tb_lpm_a 200000 1)
nsgnic_dp_unit_test(dp_lpm_b tb_lpm_b 100000 2)
add_test(NAME dp_lpm_slow COMMAND tb_lpm_b 3000000 5)
set_tests_properties(dp_lpm_slow PROPERTIES LABELS "hdl;datapath;slow" TIMEOUT 3600)
nsgnic_dp_unit_test(dp_lint_lpm_v4 ${VERILATOR_BIN} --lint-only -Wall
  ${NSGNIC_DP_TB_DIR}/lint_waivers.vlt ${NSGNIC_DP_RTL} --top-module lpm
  -GKeyW=43 -GFanout=8 -GLevels=6 -GLeafNodes=20480 -GResults=65536 -GResW=80)
nsgnic_dp_unit_test(dp_lint_lpm_v6 ${VERILATOR_BIN} --lint-only -Wall
  ${NSGNIC_DP_TB_DIR}/lint_waivers.vlt ${NSGNIC_DP_RTL} --top-module lpm
  -GKeyW=139 -GFanout=8 -GLevels=6 -GLeafNodes=5120 -GResults=16384 -GResW=80)
nsgnic_dp_unit_test(dp_lpm_fanout2_refused ${VERILATOR_BIN} --lint-only
  ${NSGNIC_DP_RTL} --top-module lpm -GFanout=2)
set_tests_properties(dp_lpm_fanout2_refused PROPERTIES
  PASS_REGULAR_EXPRESSION "Fanout must be a power of two, 4..16")

set_tests_properties(${NSGNIC_DP_UNIT_TESTS} PROPERTIES LABELS "hdl;datapath" TIMEOUT 300)

# SPDX-License-Identifier: Apache-2.0
# Per-module testbenches of the datapath units (flow_cache, csr_slave, verdict, binding_table,
# exc_queue, sync_fifo, counters): one Verilated model per configuration, small parameters,
# C reference models, labels hdl + datapath. Included by hdl/CMakeLists.txt after
# datapath.cmake (nsgnic_dp_model, nsgnic_tb_common).

add_library(nsgnic_tb_units STATIC ${NSGNIC_DP_TB_DIR}/flow_cache/ref_flow.c
  ${NSGNIC_DP_TB_DIR}/verdict/ref_verdict.c ${NSGNIC_DP_TB_DIR}/csr_slave/ref_csr.c)
target_include_directories(nsgnic_tb_units PUBLIC ${NSGNIC_DP_TB_DIR}/flow_cache
  ${NSGNIC_DP_TB_DIR}/verdict ${NSGNIC_DP_TB_DIR}/csr_slave)
target_link_libraries(nsgnic_tb_units PUBLIC nsgnic_tb_common)
target_compile_options(nsgnic_tb_units PRIVATE ${NSGNIC_C_WARNINGS})

set(NSGNIC_DP_UNIT_TESTS)
# nsgnic_dp_unit_test(<name> <command...>)
macro(nsgnic_dp_unit_test name)
  add_test(NAME ${name} COMMAND ${ARGN})
  list(APPEND NSGNIC_DP_UNIT_TESTS ${name})
endmacro()

# ---- flow_cache: tiny (4 x 2 ways: overflow and bypass collisions every few packets) and the
#      datapath's small geometry (16 x 4) ------------------------------------------------------
nsgnic_dp_model(tb_flow_cache_a TOP flow_cache TB ${NSGNIC_DP_TB_DIR}/flow_cache/tb_flow_cache.cpp
  PARAMS Buckets=4 Ways=2 LIBS nsgnic_tb_units)
nsgnic_dp_model(tb_flow_cache_b TOP flow_cache TB ${NSGNIC_DP_TB_DIR}/flow_cache/tb_flow_cache.cpp
  PARAMS Buckets=16 Ways=4 LIBS nsgnic_tb_units)
nsgnic_dp_model(tb_flow_cache_c TOP flow_cache TB ${NSGNIC_DP_TB_DIR}/flow_cache/tb_flow_cache.cpp
  PARAMS Buckets=2 Ways=16 LIBS nsgnic_tb_units)
nsgnic_dp_unit_test(dp_flow_cache_a tb_flow_cache_a 500000 1)
nsgnic_dp_unit_test(dp_flow_cache_b tb_flow_cache_b 500000 2)
nsgnic_dp_unit_test(dp_flow_cache_c tb_flow_cache_c 200000 3)

# ---- csr_slave: the datapath's small tables (128-byte window) and the compiled-image sizes with
#      a 64-byte exception window and 256 vports ------------------------------------------------
nsgnic_dp_model(tb_csr_slave_a TOP csr_slave TB ${NSGNIC_DP_TB_DIR}/csr_slave/tb_csr_slave.cpp
  PARAMS RuleEntries=64 LabelEntries=32 PlatformEntries=8 Vports=16 FlowBuckets=16 FlowWays=4
  ExqDepth=8 HdrBytes=128 LIBS nsgnic_tb_units)
nsgnic_dp_model(tb_csr_slave_b TOP csr_slave TB ${NSGNIC_DP_TB_DIR}/csr_slave/tb_csr_slave.cpp
  PARAMS RuleEntries=128 LabelEntries=512 PlatformEntries=16 Vports=256 FlowBuckets=64 FlowWays=16
  ExqDepth=4 HdrBytes=64 LIBS nsgnic_tb_units)
nsgnic_dp_unit_test(dp_csr_slave_a tb_csr_slave_a 1000000 1)
nsgnic_dp_unit_test(dp_csr_slave_b tb_csr_slave_b 1000000 2)

# ---- verdict: no parameters; exhaustive over the control inputs, rule ids from an edge set ----
nsgnic_dp_model(tb_verdict TOP verdict TB ${NSGNIC_DP_TB_DIR}/verdict/tb_verdict.cpp
  LIBS nsgnic_tb_units)
nsgnic_dp_unit_test(dp_verdict tb_verdict 1)

set_tests_properties(${NSGNIC_DP_UNIT_TESTS} PROPERTIES LABELS "hdl;datapath" TIMEOUT 300)

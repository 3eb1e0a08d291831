// SPDX-License-Identifier: Apache-2.0
// riscv-tests convention, failing on purpose at test 3: nsgnic-sim must print "FAIL test 3"
// and exit 1 (CTest isa_rvtest_fail_detected checks both).
#include "rvtest_env.h"
RVT_BEGIN
  li TESTNUM, 2
  li x14, 1
  bnez x14, 1f
  j fail
1:
  li TESTNUM, 3
  li x14, 1
  beqz x14, pass
  j fail
RVT_END

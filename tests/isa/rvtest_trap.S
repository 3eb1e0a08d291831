// SPDX-License-Identifier: Apache-2.0
// riscv-tests convention, an unexpected trap (illegal instruction) at test 3: the env's handler
// writes TESTNUM | 1337 to tohost; nsgnic-sim must report the trap (mcause 2) with that raw
// value, not "FAIL test 669" (CTest isa_unexpected_trap_reported checks).
#include "rvtest_env.h"
RVT_BEGIN
  li TESTNUM, 2
  li x14, 1
  li TESTNUM, 3
  .word 0x00000000               // illegal instruction
  j pass
RVT_END

// SPDX-License-Identifier: Apache-2.0
// Conditional branches (taken / not taken, signed and unsigned boundaries, forward and
// backward), JAL and JALR (link value, bit 0 of the JALR target cleared, rd == rs1), and
// branches to a misaligned target that are not taken (no trap).
#include "isa_test.h"

// The branch must be taken: falling through fails.
#define TEST_BR_T(n, inst, v1, v2) \
  li TESTNUM, n; li x1, v1; li x2, v2; inst x1, x2, 1f; j fail; 1:
// The branch must not be taken.
#define TEST_BR_N(n, inst, v1, v2) \
  li TESTNUM, n; li x1, v1; li x2, v2; inst x1, x2, fail

TEST_BEGIN
  TEST_BR_T(2,  beq, 0, 0)
  TEST_BR_T(3,  beq, 0x80000000, 0x80000000)
  TEST_BR_N(4,  beq, 0, 1)
  TEST_BR_N(5,  beq, 0x80000000, 0)
  TEST_BR_T(6,  bne, 0, 1)
  TEST_BR_N(7,  bne, 0xffffffff, 0xffffffff)
  TEST_BR_T(8,  blt, 0x80000000, 0x7fffffff)
  TEST_BR_T(9,  blt, 0xffffffff, 0)
  TEST_BR_N(10, blt, 0, 0xffffffff)
  TEST_BR_N(11, blt, 7, 7)
  TEST_BR_T(12, bge, 7, 7)
  TEST_BR_T(13, bge, 0x7fffffff, 0x80000000)
  TEST_BR_N(14, bge, 0xffffffff, 0)
  TEST_BR_T(15, bltu, 0, 0xffffffff)
  TEST_BR_T(16, bltu, 0x7fffffff, 0x80000000)
  TEST_BR_N(17, bltu, 0xffffffff, 0)
  TEST_BR_N(18, bltu, 7, 7)
  TEST_BR_T(19, bgeu, 0xffffffff, 0)
  TEST_BR_T(20, bgeu, 7, 7)
  TEST_BR_N(21, bgeu, 0x7fffffff, 0x80000000)

  // backward branch: a counted loop
  li TESTNUM, 22
  li x1, 10
  li x14, 0
1: addi x14, x14, 3
  addi x1, x1, -1
  bnez x1, 1b
  li x7, 30
  bne x14, x7, fail

  // JAL links pc + 4
  li TESTNUM, 23
  jal x5, 2f
3: j fail
2: la x7, 3b
  bne x5, x7, fail

  // JALR: target = (rs1 + imm) & ~1, link pc + 4
  li TESTNUM, 24
  la x6, 4f
  addi x6, x6, -3          // 4f - 3 + 4 = 4f + 1 -> bit 0 cleared -> 4f
  jalr x5, 4(x6)
5: j fail
4: la x7, 5b
  bne x5, x7, fail

  // JALR with rd == rs1: the target uses the old value
  li TESTNUM, 25
  la x6, 6f
  jalr x6, 0(x6)
7: j fail
6: la x7, 7b
  bne x6, x7, fail

  // JALR as a return through ra
  li TESTNUM, 26
  li x14, 0
  call subr
  li x7, 42
  bne x14, x7, fail

  // A not-taken branch whose target would be misaligned must not trap (IALIGN = 32).
  li TESTNUM, 27
  li x1, 1
  beq x1, x0, . + 2       // not taken (x1 != 0)
  bne x1, x1, . + 6       // not taken
  blt x1, x0, . - 2       // not taken (1 < 0 is false)
  j 8f
8:
TEST_END

subr:
  li x14, 42
  ret

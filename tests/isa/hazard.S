// SPDX-License-Identifier: Apache-2.0
// Pipeline hazards: forwarding chains (each result used by the next instruction, as rs1 and as
// rs2), load-use (ALU, branch, store data, store address, JALR target, divider operands right
// after a load), a branch after a load, a write to x0 that must not be forwarded, and a CSR
// value used right after the CSR write.
#include "isa_test.h"
TEST_BEGIN
  // ALU chain: every instruction uses the previous result
  li TESTNUM, 2
  li x1, 1
  add x2, x1, x1           // 2
  add x9, x2, x1           // 3  (rs1 forwarded)
  add x4, x1, x9           // 4  (rs2 forwarded)
  sub x5, x4, x9           // 1
  slli x6, x5, 4           // 16
  xor x7, x6, x6           // 0
  or x14, x7, x6           // 16
  addi x14, x14, 1         // 17
  TEST_EQ(3, x14, 17)

  // the same register rewritten repeatedly: the youngest value wins
  li TESTNUM, 4
  li x14, 1
  addi x14, x14, 1
  addi x14, x14, 1
  addi x14, x14, 1
  TEST_EQ(5, x14, 4)

  // load-use into ALU (rs1 and rs2)
  li TESTNUM, 6
  la x1, data
  lw x2, 0(x1)             // 100
  addi x14, x2, 1          // uses the load at once
  TEST_EQ(7, x14, 101)
  li TESTNUM, 8
  lw x2, 4(x1)             // 200
  sub x14, x0, x2
  TEST_EQ(9, x14, -200)

  // load -> branch
  li TESTNUM, 10
  lw x2, 0(x1)
  li x9, 100
  lw x4, 0(x1)
  bne x4, x9, fail
  lw x4, 4(x1)
  beq x4, x9, fail

  // load -> load address (pointer chase)
  li TESTNUM, 11
  lw x2, 8(x1)             // &data + 4
  lw x14, 0(x2)            // 200
  TEST_EQ(12, x14, 200)

  // load -> store data and store address
  li TESTNUM, 13
  lw x2, 0(x1)
  sw x2, 12(x1)
  lw x9, 8(x1)
  sw x2, 8(x9)             // x9 = &data + 4 -> data + 12 again
  lw x14, 12(x1)
  TEST_EQ(14, x14, 100)

  // load -> JALR target
  li TESTNUM, 15
  la x2, target
  sw x2, 16(x1)
  lw x9, 16(x1)
  jalr x5, 0(x9)
  j fail
target:
  // load -> divider and multiplier operands
  li TESTNUM, 16
  lw x2, 4(x1)             // 200
  div x14, x2, x2
  TEST_EQ(17, x14, 1)
  li TESTNUM, 18
  lw x2, 0(x1)
  mul x14, x2, x2
  TEST_EQ(19, x14, 10000)

  // back-to-back loads and stores of the same word
  li TESTNUM, 20
  li x2, 7
  sw x2, 20(x1)
  lw x9, 20(x1)
  addi x9, x9, 1
  sw x9, 20(x1)
  lw x14, 20(x1)
  TEST_EQ(21, x14, 8)

  // x0 as a destination is never forwarded
  li TESTNUM, 22
  li x1, 5
  addi x0, x1, 1
  add x14, x0, x0
  TEST_EQ(23, x14, 0)
  la x1, data
  lw x0, 0(x1)
  add x14, x0, x0
  TEST_EQ(24, x14, 0)

  // CSR write then read-back, and a CSR read result used at once
  li TESTNUM, 25
  li x2, 0x1234
  csrw mscratch, x2
  csrr x9, mscratch
  addi x14, x9, 1
  TEST_EQ(26, x14, 0x1235)
  li TESTNUM, 27
  csrrw x9, mscratch, x14  // x9 = 0x1234, mscratch = 0x1235
  csrrw x14, mscratch, x9  // x14 = 0x1235
  TEST_EQ(28, x14, 0x1235)

  // long dependency through a loop: sum of 1..20 with the counter loaded each round
  li TESTNUM, 29
  la x1, data
  li x2, 20
  sw x2, 24(x1)
  li x14, 0
1: lw x9, 24(x1)
  add x14, x14, x9
  addi x9, x9, -1
  sw x9, 24(x1)
  bnez x9, 1b
  TEST_EQ(30, x14, 210)
TEST_END

  .data
  .align 2
data: .word 100, 200, data + 4, 0, 0, 0, 0

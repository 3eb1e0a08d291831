// SPDX-License-Identifier: Apache-2.0
// RV32I register-register and register-immediate arithmetic, logic, shifts, compares, LUI,
// AUIPC: wrap-around, sign extension of immediates, shift amounts from the low 5 bits, signed
// vs unsigned compares at the boundaries, writes to x0.
#include "isa_test.h"
TEST_BEGIN
  TEST_RR(2,  add, 0x00000003, 1, 2)
  TEST_RR(3,  add, 0x80000000, 0x7fffffff, 1)          // signed overflow wraps
  TEST_RR(4,  add, 0x00000000, 0xffffffff, 1)          // carry out dropped
  TEST_RR(5,  add, 0xfffffffe, 0xffffffff, 0xffffffff)
  TEST_RI(6,  addi, 0x00000000, 1, -1)
  TEST_RI(7,  addi, 0x800007ff, 0x80000000, 2047)
  TEST_RI(8,  addi, 0x7ffff800, 0x80000000, -2048)     // 12-bit immediate sign extended
  TEST_RR(9,  sub, 0xffffffff, 0, 1)
  TEST_RR(10, sub, 0x7fffffff, 0x80000000, 1)          // signed overflow wraps
  TEST_RR(11, sub, 0x00000000, 0x12345678, 0x12345678)
  TEST_RR(12, and, 0x0f000f00, 0xff00ff00, 0x0f0f0f0f)
  TEST_RI(13, andi, 0xff00ff00, 0xff00ff00, -256)      // 0xf00 -> 0xffffff00
  TEST_RI(14, andi, 0x00000700, 0xff00ff00, 0x70f)
  TEST_RR(15, or,  0xff0fff0f, 0xff00ff00, 0x0f0f0f0f)
  TEST_RI(16, ori, 0xfffffff0, 0x00ff00f0, -16)
  TEST_RR(17, xor, 0xf00ff00f, 0xff00ff00, 0x0f0f0f0f)
  TEST_RI(18, xori, 0xff00f00f, 0x00ff0ff0, -1)        // NOT
  TEST_RR(19, sll, 0x80000000, 1, 31)
  TEST_RR(20, sll, 0x00000002, 1, 0xffffffe1)          // only rs2[4:0] = 1 counts
  TEST_RR(21, sll, 0x12345678, 0x12345678, 32)         // 32 & 31 = 0
  TEST_RI(22, slli, 0x23456780, 0x12345678, 4)
  TEST_RR(23, srl, 0x00000001, 0x80000000, 31)
  TEST_RR(24, srl, 0x7fffffff, 0xffffffff, 0xffffffc1)
  TEST_RI(25, srli, 0x0fffffff, 0xffffffff, 4)
  TEST_RR(26, sra, 0xffffffff, 0x80000000, 31)
  TEST_RR(27, sra, 0xc0000000, 0x80000000, 1)
  TEST_RR(28, sra, 0x3fffffff, 0x7fffffff, 1)          // positive: zero fill
  TEST_RI(29, srai, 0xfff80000, 0x80000000, 12)
  TEST_RI(30, srai, 0x80000000, 0x80000000, 0)
  TEST_RR(31, slt, 1, 0x80000000, 0x7fffffff)          // INT_MIN < INT_MAX
  TEST_RR(32, slt, 0, 0x7fffffff, 0x80000000)
  TEST_RR(33, slt, 1, 0xffffffff, 0)                   // -1 < 0
  TEST_RR(34, slt, 0, 5, 5)
  TEST_RR(35, sltu, 0, 0xffffffff, 0)
  TEST_RR(36, sltu, 1, 0, 0xffffffff)
  TEST_RR(37, sltu, 1, 0x7fffffff, 0x80000000)
  TEST_RI(38, slti, 1, 0xffffffff, 0)
  TEST_RI(39, slti, 0, 0, -1)
  TEST_RI(40, sltiu, 1, 0, -1)                         // imm sign-extends, then compares unsigned
  TEST_RI(41, sltiu, 0, 0xffffffff, -1)
  TEST_RI(42, sltiu, 1, 0xfffffffe, -1)

  // LUI / AUIPC
  li TESTNUM, 43
  lui x14, 0xfffff
  li x7, 0xfffff000
  bne x14, x7, fail
  li TESTNUM, 44
  lui x14, 0x80000
  srai x14, x14, 12
  li x7, 0xfff80000
  bne x14, x7, fail
  li TESTNUM, 45
1: auipc x14, 0
  la x7, 1b
  bne x14, x7, fail
  li TESTNUM, 46
2: auipc x14, 0x1
  la x7, 2b
  li x8, 0x1000
  add x7, x7, x8
  bne x14, x7, fail

  // x0 is hard-wired to zero, also as the destination of every kind of instruction
  li TESTNUM, 47
  li x1, 0x55
  add x0, x1, x1
  bnez x0, fail
  addi x0, x0, 5
  bnez x0, fail
  lui x0, 0x12345
  bnez x0, fail
  auipc x0, 0x12345
  bnez x0, fail
  add x14, x0, x0          // reading x0 right after writing it
  bnez x14, fail
  li TESTNUM, 48
  la x2, scratch
  lw x0, 0(x2)             // a load into x0 is discarded
  mv x14, x0
  bnez x14, fail
  jal x0, 3f               // so is a link into x0
3:
  bnez x0, fail
TEST_END

  .data
scratch: .word 0xdeadbeef

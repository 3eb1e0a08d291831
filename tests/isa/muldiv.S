// SPDX-License-Identifier: Apache-2.0
// The M extension: MUL, MULH, MULHSU, MULHU, DIV, DIVU, REM, REMU with signed/unsigned
// boundaries, division by zero (quotient all ones, remainder = dividend), signed overflow
// (INT_MIN / -1 = INT_MIN, remainder 0), and results used right away (divider stall).
#include "isa_test.h"
TEST_BEGIN
  TEST_RR(2,  mul, 0x00000006, 2, 3)
  TEST_RR(3,  mul, 0xfffffffa, 0xfffffffe, 3)
  TEST_RR(4,  mul, 0x00000001, 0xffffffff, 0xffffffff)
  TEST_RR(5,  mul, 0x00000000, 0x80000000, 2)
  TEST_RR(6,  mul, 0x366176f8, 0x12345678, 0x9abcdef1)
  TEST_RR(7,  mulh, 0x00000000, 0xffffffff, 0xffffffff)   // (-1)(-1) = 1
  TEST_RR(8,  mulh, 0x40000000, 0x80000000, 0x80000000)   // INT_MIN^2 = 2^62
  TEST_RR(9,  mulh, 0xc0000000, 0x80000000, 0x7fffffff)    // INT_MIN * INT_MAX
  TEST_RR(10, mulh, 0xffffffff, 0xffffffff, 1)            // -1 * 1 -> high word all ones
  TEST_RR(11, mulhu, 0xfffffffe, 0xffffffff, 0xffffffff)
  TEST_RR(12, mulhu, 0x00000000, 0xffffffff, 1)
  TEST_RR(13, mulhu, 0x0b00ea4e, 0x12345678, 0x9abcdef1)
  TEST_RR(14, mulhsu, 0xffffffff, 0xffffffff, 0xffffffff) // -1 * (2^32-1)
  TEST_RR(15, mulhsu, 0x80000000, 0x80000000, 0xffffffff) // INT_MIN * (2^32-1)
  TEST_RR(16, mulhsu, 0x00000000, 1, 0xffffffff)
  TEST_RR(17, div, 0x00000003, 20, 6)
  TEST_RR(18, div, 0xfffffffd, 0xffffffec, 6)              // -20 / 6 = -3 (toward zero)
  TEST_RR(19, div, 0xfffffffd, 20, 0xfffffffa)
  TEST_RR(20, div, 0x00000003, 0xffffffec, 0xfffffffa)
  TEST_RR(21, div, 0x80000000, 0x80000000, 0xffffffff)    // overflow
  TEST_RR(22, div, 0xffffffff, 0x80000000, 0)             // by zero
  TEST_RR(23, div, 0xffffffff, 5, 0)
  TEST_RR(24, div, 0x00000000, 0, 5)
  TEST_RR(25, divu, 0x00000003, 20, 6)
  TEST_RR(26, divu, 0x2aaaaaa7, 0xffffffec, 6)
  TEST_RR(27, divu, 0xffffffff, 0x80000000, 0)            // by zero
  TEST_RR(28, divu, 0x00000001, 0xffffffff, 0xffffffff)
  TEST_RR(29, divu, 0x00000000, 0x7fffffff, 0x80000000)
  TEST_RR(30, rem, 0x00000002, 20, 6)
  TEST_RR(31, rem, 0xfffffffe, 0xffffffec, 6)              // sign of the dividend
  TEST_RR(32, rem, 0x00000002, 20, 0xfffffffa)
  TEST_RR(33, rem, 0xfffffffe, 0xffffffec, 0xfffffffa)
  TEST_RR(34, rem, 0x00000000, 0x80000000, 0xffffffff)    // overflow
  TEST_RR(35, rem, 0x80000000, 0x80000000, 0)             // by zero: the dividend
  TEST_RR(36, rem, 0xfffffffb, 0xfffffffb, 0)
  TEST_RR(37, remu, 0x00000002, 20, 6)
  TEST_RR(38, remu, 0x00000002, 0xffffffec, 6)
  TEST_RR(39, remu, 0xffffffec, 0xffffffec, 0)            // by zero
  TEST_RR(40, remu, 0x7fffffff, 0x7fffffff, 0x80000000)
  TEST_RR(41, divu, 0x00000001, 0x9abcdef1, 0x9abcdef0)
  TEST_RR(42, remu, 0x00000001, 0x9abcdef1, 0x9abcdef0)

  // back-to-back: a divide result feeds a multiply, which feeds a divide
  li TESTNUM, 43
  li x1, 1000
  li x2, 7
  div x9, x1, x2           // 142
  mul x4, x9, x2           // 994
  rem x5, x1, x2           // 6
  add x6, x4, x5           // 1000
  bne x6, x1, fail
  divu x9, x6, x9          // 1000 / 142 = 7
  bne x9, x2, fail
  // x0 as destination
  li TESTNUM, 44
  div x0, x1, x2
  mul x0, x1, x2
  bnez x0, fail
TEST_END

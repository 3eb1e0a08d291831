// SPDX-License-Identifier: Apache-2.0
// Loads and stores: every width and byte lane, sign and zero extension, negative and positive
// offsets, store-then-load, in the data RAM and in the instruction RAM (code-space data).
#include "isa_test.h"

// x14 = inst off(base) must equal expect.
#define TEST_LD(n, inst, expect, off, base) \
  li TESTNUM, n; la x1, base; inst x14, off(x1); li x7, expect; bne x14, x7, fail

TEST_BEGIN
  // code-space (IRAM, .rodata) reads
  TEST_LD(2,  lw,  0x80ff7f01, 0, ro_words)
  TEST_LD(3,  lb,  0x00000001, 0, ro_words)
  TEST_LD(4,  lb,  0x0000007f, 1, ro_words)
  TEST_LD(5,  lb,  0xffffffff, 2, ro_words)
  TEST_LD(6,  lb,  0xffffff80, 3, ro_words)
  TEST_LD(7,  lbu, 0x000000ff, 2, ro_words)
  TEST_LD(8,  lbu, 0x00000080, 3, ro_words)
  TEST_LD(9,  lh,  0x00007f01, 0, ro_words)
  TEST_LD(10, lh,  0xffff80ff, 2, ro_words)
  TEST_LD(11, lhu, 0x000080ff, 2, ro_words)
  TEST_LD(12, lw,  0x12345678, 4, ro_words)
  TEST_LD(13, lw,  0x80ff7f01, -4, ro_words + 4)   // negative offset
  TEST_LD(14, lhu, 0x00001234, 6, ro_words)

  // DRAM: stores of every width and lane, read back as words and as parts
  li TESTNUM, 15
  la x1, rw_words
  sw zero, 0(x1)
  li x2, 0xaabbccdd
  sb x2, 0(x1)
  li x2, 0x11
  sb x2, 1(x1)
  li x2, 0x22
  sb x2, 2(x1)
  li x2, 0xffffff33        // only the low byte is stored
  sb x2, 3(x1)
  lw x14, 0(x1)
  li x7, 0x332211dd
  bne x14, x7, fail
  li TESTNUM, 16
  li x2, 0x8765beef
  sh x2, 2(x1)
  lw x14, 0(x1)
  li x7, 0xbeef11dd
  bne x14, x7, fail
  li TESTNUM, 17
  sh x2, 0(x1)
  lw x14, 0(x1)
  li x7, 0xbeefbeef
  bne x14, x7, fail
  TEST_LD(18, lh, 0xffffbeef, 2, rw_words)
  TEST_LD(19, lbu, 0x000000be, 3, rw_words)
  li TESTNUM, 20
  li x2, 0xcafef00d
  sw x2, 8(x1)
  sw x0, 4(x1)             // neighbours untouched
  lw x14, 8(x1)
  bne x14, x2, fail
  lw x14, 0(x1)
  li x7, 0xbeefbeef
  bne x14, x7, fail
  li TESTNUM, 21
  addi x9, x1, 12
  sw x2, -4(x9)            // negative store offset
  lw x14, 8(x1)
  bne x14, x2, fail

  // IRAM is writable from the data side too
  li TESTNUM, 22
  la x1, code_space_buf
  li x2, 0x5a5aa5a5
  sw x2, 0(x1)
  lw x14, 0(x1)
  bne x14, x2, fail
  sb x0, 1(x1)
  lw x14, 0(x1)
  li x7, 0x5a5a00a5
  bne x14, x7, fail

  // a store followed immediately by loads of the same and other words
  li TESTNUM, 23
  la x1, rw_words
  li x2, 0x01020304
  sw x2, 12(x1)
  lw x14, 12(x1)
  lb x15, 13(x1)
  bne x14, x2, fail
  li x7, 3
  bne x15, x7, fail
TEST_END

  .section .rodata
  .align 2
ro_words: .word 0x80ff7f01, 0x12345678
  .text
  .align 2
code_space_buf: .word 0

  .data
  .align 2
rw_words: .word 0, 0, 0, 0

// SPDX-License-Identifier: Apache-2.0
// The external MMIO port (0x4000_0000) with nsgnic-sim's stand-in device (16 scratch words,
// one wait state, response two cycles after acceptance, error elsewhere): word and byte/half
// writes (strobes), read-back, a load used at once, back-to-back accesses, and error responses
// as load/store access faults. Replace when the SoC attaches the datapath to this port.
#include "isa_test.h"
#define EXT 0x40000000
TEST_BEGIN
  li x10, EXT
  li TESTNUM, 2
  li x1, 0x11223344
  sw x1, 0(x10)
  lw x14, 0(x10)
  bne x14, x1, fail
  li TESTNUM, 3
  li x2, 0xaa
  sb x2, 1(x10)
  lw x14, 0(x10)
  TEST_EQ(4, x14, 0x1122aa44)
  li x2, 0xbeef
  sh x2, 2(x10)
  lw x14, 0(x10)
  TEST_EQ(5, x14, 0xbeefaa44)
  lhu x14, 2(x10)
  TEST_EQ(6, x14, 0xbeef)
  lb x14, 1(x10)
  TEST_EQ(7, x14, 0xffffffaa)

  // back-to-back stores and loads to different words, result used at once
  li TESTNUM, 8
  li x1, 1
  li x2, 2
  li x9, 3
  sw x1, 4(x10)
  sw x2, 8(x10)
  sw x9, 60(x10)
  lw x4, 4(x10)
  lw x5, 8(x10)
  add x6, x4, x5
  lw x7, 60(x10)
  add x14, x6, x7
  TEST_EQ(9, x14, 6)
  // an MMIO load between RAM accesses
  li TESTNUM, 10
  la x11, buf
  sw x9, 0(x11)
  lw x12, 8(x10)
  lw x13, 0(x11)
  add x14, x12, x13
  TEST_EQ(11, x14, 5)

  // error responses: access faults with the address in mtval
  la t0, trap_rec
  csrw mtvec, t0
  li TESTNUM, 12
  la x31, 1f
  li x28, -1
  lw x14, 64(x10)
  j fail
1: TEST_EQ(13, x28, 5)
  li x7, EXT + 64
  bne x30, x7, fail
  li TESTNUM, 14
  la x31, 2f
  li x28, -1
  sw x14, 128(x10)
  j fail
2: TEST_EQ(15, x28, 7)
TEST_END

  .align 2
trap_rec:
  csrr x28, mcause
  csrr x29, mepc
  csrr x30, mtval
  jr x31

  .data
  .align 2
buf: .word 0

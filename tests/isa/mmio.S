// SPDX-License-Identifier: Apache-2.0
// The external MMIO port (0x4000_0000) with nsgnic-sim's stand-in device (16 scratch words,
// one wait state, response two cycles after acceptance, error elsewhere): word and byte/half
// writes (strobes), read-back, a load used at once, back-to-back accesses, and error responses
// as load/store access faults; the external interrupt (the device's last word drives
// irq_external_i): mcause 0x8000_000b, priority over the timer; timer interrupts landing on MMIO
// accesses that wait for their grant (the device aborts on a withdrawn request). Replace when
// the SoC attaches the datapath to this port.
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
  sw x9, 56(x10)
  lw x4, 4(x10)
  lw x5, 8(x10)
  add x6, x4, x5
  lw x7, 56(x10)
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

  // external interrupt: raise the line through the device, the handler lowers it
  la t0, irq_rec
  csrw mtvec, t0
  la x25, causes
  li x26, 0                        // interrupts taken
  li x1, 0x800
  csrw mie, x1                     // MEIE
  csrsi mstatus, 0x8
  li TESTNUM, 16
  li x1, 1
  sw x1, 60(x10)
  nop
  nop
  nop
  TEST_EQ(17, x26, 1)
  lw x14, 0(x25)
  TEST_EQ(18, x14, 0x8000000b)
  // both pending while disabled: the external one is taken first, then the timer
  li TESTNUM, 19
  csrci mstatus, 0x8
  li x1, 0x880
  csrw mie, x1                     // MEIE | MTIE
  li x11, 0x10000000
  sw zero, 12(x11)
  sw zero, 8(x11)                  // mtimecmp = 0: timer pending
  li x1, 1
  sw x1, 60(x10)                   // external pending
  li x26, 0
  csrsi mstatus, 0x8
  nop
  nop
  nop
  TEST_EQ(20, x26, 2)
  lw x14, 0(x25)
  TEST_EQ(21, x14, 0x8000000b)
  lw x14, 4(x25)
  TEST_EQ(22, x14, 0x80000007)

  // timer interrupts every 23..54 cycles while a loop hammers the slow port
  li TESTNUM, 23
  csrci mstatus, 0x8
  la t0, irq_rearm
  csrw mtvec, t0
  li x1, 0x80
  csrw mie, x1
  li x26, 0
  sw zero, 12(x11)
  sw zero, 8(x11)                  // mtimecmp = 0 (the handler re-arms the low word)
  csrsi mstatus, 0x8
  li x12, 0
1: andi x13, x12, 7
  slli x13, x13, 2
  add x13, x13, x10
  sw x12, 0(x13)
  lw x14, 0(x13)
  bne x14, x12, fail
  addi x12, x12, 1
  li x15, 400
  bltu x12, x15, 1b
  csrci mstatus, 0x8
  li x7, 10
  bltu x26, x7, fail               // the interrupts did land in the loop
TEST_END

  .align 2
irq_rec:                           // log mcause, silence its source, return
  csrr t5, mcause
  slli t6, x26, 2
  add t6, t6, x25
  sw t5, 0(t6)
  addi x26, x26, 1
  li t6, 0x8000000b
  bne t5, t6, 1f
  li t6, EXT
  sw zero, 60(t6)                  // lower the external line
  mret
1: li t6, 0x10000008
  li t5, -1
  sw t5, 0(t6)
  sw t5, 4(t6)                     // disarm the timer
  mret

  .align 2
irq_rearm:                         // count, re-arm the timer 23..54 cycles ahead
  addi x26, x26, 1
  li t6, 0x10000000
  lw t5, 0(t6)
  addi t5, t5, 23
  andi t6, x26, 31
  add t5, t5, t6
  li t6, 0x10000000
  sw t5, 8(t6)
  mret

  .align 2
trap_rec:
  csrr x28, mcause
  csrr x29, mepc
  csrr x30, mtval
  jr x31

  .data
  .align 2
buf: .word 0
causes: .word 0, 0, 0, 0

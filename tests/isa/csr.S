// SPDX-License-Identifier: Apache-2.0
// Zicsr and the machine-mode CSRs: CSRRW/S/C and the immediate forms (old value returned,
// x0 / zero-immediate forms do not write), misa, mhartid, mvendorid, the counters (mcycle,
// minstret and their high halves, writable; cycle/instret user aliases), mstatus fields (MPP
// fixed to M), mtvec alignment, mepc low bits.
#include "isa_test.h"
TEST_BEGIN
  li TESTNUM, 2
  li x1, 0xf0f0f0f0
  csrw mscratch, x1
  csrrs x14, mscratch, zero      // pure read
  bne x14, x1, fail
  li TESTNUM, 3
  li x2, 0x0000ffff
  csrrs x14, mscratch, x2        // returns old, sets bits
  bne x14, x1, fail
  csrr x14, mscratch
  TEST_EQ(4, x14, 0xf0f0ffff)
  li TESTNUM, 5
  csrrc x14, mscratch, x1        // clear
  li x7, 0xf0f0ffff
  bne x14, x7, fail
  csrr x14, mscratch
  TEST_EQ(6, x14, 0x00000f0f)
  li TESTNUM, 7
  csrrwi x14, mscratch, 0x15
  li x7, 0x00000f0f
  bne x14, x7, fail
  csrrsi x14, mscratch, 0x0a
  TEST_EQ(8, x14, 0x15)
  csrrci x14, mscratch, 0x01
  TEST_EQ(9, x14, 0x1f)
  csrr x14, mscratch
  TEST_EQ(10, x14, 0x1e)
  csrrwi x0, mscratch, 0         // rd = x0: still writes
  csrr x14, mscratch
  TEST_EQ(11, x14, 0)

  // identification
  csrr x14, misa
  TEST_EQ(12, x14, 0x40001100)   // RV32, I, M
  csrr x14, mhartid
  TEST_EQ(13, x14, 0)
  csrr x14, mvendorid
  TEST_EQ(14, x14, 0)
  csrr x14, marchid
  TEST_EQ(15, x14, 0)
  csrr x14, mimpid
  TEST_EQ(16, x14, 0)
  // reads of read-only CSRs with CSRRS/CSRRC x0 are legal (no write)
  csrrc x14, mhartid, x0
  TEST_EQ(17, x14, 0)
  csrrsi x14, misa, 0
  TEST_EQ(18, x14, 0x40001100)
  // misa is WARL: writes are ignored
  csrw misa, zero
  csrr x14, misa
  TEST_EQ(19, x14, 0x40001100)

  // counters advance
  li TESTNUM, 20
  csrr x1, mcycle
  csrr x2, mcycle
  bgeu x1, x2, fail
  li TESTNUM, 21
  csrr x1, minstret
  nop
  nop
  csrr x2, minstret
  sub x9, x2, x1
  li x4, 2
  bltu x9, x4, fail              // at least the two NOPs retired in between
  li TESTNUM, 22
  csrr x1, cycle                 // user alias of mcycle
  csrr x2, mcycle
  bgeu x1, x2, fail
  csrr x1, instret
  csrr x2, minstret
  bgeu x1, x2, fail
  // writable counters, and carry into the high half
  li TESTNUM, 23
  csrw mcycleh, zero
  li x1, 0xfffffff0
  csrw mcycle, x1
  nop
  nop
  nop
  nop
  nop
  nop
  nop
  nop
  nop
  nop
  nop
  nop
  nop
  nop
  nop
  nop
  csrr x14, mcycleh
  TEST_EQ(24, x14, 1)
  csrr x14, cycleh
  TEST_EQ(25, x14, 1)
  li TESTNUM, 26
  li x1, 5
  csrw minstreth, x1
  csrr x14, minstreth
  TEST_EQ(27, x14, 5)
  csrr x14, instreth
  TEST_EQ(28, x14, 5)
  csrw minstret, zero
  csrr x14, minstret
  li x7, 4
  bgeu x14, x7, fail             // a handful since the write, not the old count
  TEST_EQ(29, x0, 0)

  // mstatus: MIE (3) and MPIE (7) writable, MPP (12:11) reads as M
  li TESTNUM, 30
  csrw mstatus, zero
  csrr x14, mstatus
  TEST_EQ(31, x14, 0x1800)
  li x1, 0x88
  csrs mstatus, x1
  csrr x14, mstatus
  TEST_EQ(32, x14, 0x1888)
  csrc mstatus, x1
  csrr x14, mstatus
  TEST_EQ(33, x14, 0x1800)
  csrr x14, mstatush
  TEST_EQ(34, x14, 0)

  // mtvec: bit 1 reads as zero; mepc: bits 1:0 read as zero
  csrr x5, mtvec
  li x1, 0x80000103
  csrw mtvec, x1
  csrr x14, mtvec
  csrw mtvec, x5
  TEST_EQ(35, x14, 0x80000101)
  li x1, 0x80000007
  csrw mepc, x1
  csrr x14, mepc
  TEST_EQ(36, x14, 0x80000004)
  // mie: MSIE, MTIE, MEIE writable; other bits zero
  li x1, 0xffffffff
  csrw mie, x1
  csrr x14, mie
  csrw mie, zero
  TEST_EQ(37, x14, 0x888)
  // mcause and mtval are plain read/write
  li x1, 0x8000000b
  csrw mcause, x1
  csrr x14, mcause
  TEST_EQ(38, x14, 0x8000000b)
  li x1, 0x12345678
  csrw mtval, x1
  csrr x14, mtval
  TEST_EQ(39, x14, 0x12345678)
  // mip: no interrupt pending at this point, writes ignored
  csrw mip, x1
  csrr x14, mip
  TEST_EQ(40, x14, 0)
TEST_END

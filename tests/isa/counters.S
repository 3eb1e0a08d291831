// SPDX-License-Identifier: Apache-2.0
// The counter CSRs as the privileged spec and Zicsr say: a CSR write to a counter is done
// instead of the increment (the value one instruction writes to minstret or minstreth is the
// value the next instruction reads, and the writing instruction is not counted; a write to
// mcycle(h) replaces that cycle's increment, so no carry is lost or invented), mcountinhibit
// (CY, IR) stops them, mhpmcounter3..31(h), hpmcounter3..31(h) and mhpmevent3..31 exist and read
// as zero. A read of minstret counts every instruction before it. The exact values below rely on the core retiring one instruction per clock in
// straight-line CSR code (no stalls there: docs/soc.md).
#include "isa_test.h"
TEST_BEGIN
  // minstret: the written value is read by the next instruction
  li TESTNUM, 2
  csrw minstreth, zero
  li x1, 1000
  csrw minstret, x1
  csrr x14, minstret
  TEST_EQ(3, x14, 1000)
  // minstreth: a write to the high half is a write to minstret too (its own increment is not
  // counted, and the previous instruction's carry is kept)
  li x1, 0xfffffffe
  li x2, 5
  csrw minstret, x1
  csrw minstreth, x2
  csrr x14, minstret             // the two writes retired uncounted
  csrr x15, minstreth
  csrr x16, minstret             // the two csrr before it counted: the carry went up
  csrr x17, minstreth
  TEST_EQ(4, x14, 0xfffffffe)
  TEST_EQ(5, x15, 5)
  TEST_EQ(6, x16, 0)
  TEST_EQ(7, x17, 6)
  // the instret alias sees the same
  li TESTNUM, 8
  csrw minstreth, zero
  csrw minstret, zero
  csrr x14, instret
  TEST_EQ(9, x14, 0)

  // mcycle(h): the write replaces that cycle's increment
  li x1, 0xffffffff
  li x2, 5
  csrw mcycle, x1
  csrw mcycleh, x2
  csrr x14, mcycle               // one cycle after the mcycleh write: no increment then
  csrr x15, mcycleh              // the next cycle carried
  TEST_EQ(10, x14, 0xffffffff)
  TEST_EQ(11, x15, 6)
  csrr x14, cycleh
  TEST_EQ(12, x14, 6)

  // mcountinhibit: CY (0) and IR (2) writable, TM (1) and the hpm bits read as zero
  li x1, 0xffffffff
  csrw mcountinhibit, x1
  csrr x14, mcountinhibit
  TEST_EQ(13, x14, 5)
  csrw mcycleh, zero
  csrw mcycle, zero
  csrw minstreth, zero
  csrw minstret, zero
  nop
  nop
  nop
  csrr x14, mcycle
  csrr x15, minstret
  TEST_EQ(14, x14, 0)
  TEST_EQ(15, x15, 0)
  csrwi mcountinhibit, 4         // cycles count again, instructions not
  nop
  csrr x14, mcycle
  csrr x15, minstret
  li TESTNUM, 16
  beqz x14, fail
  TEST_EQ(17, x15, 0)
  csrwi mcountinhibit, 0
  csrr x14, mcountinhibit
  TEST_EQ(18, x14, 0)
  csrw minstret, zero
  nop
  csrr x14, minstret
  TEST_EQ(19, x14, 1)            // the nop

  // hpm counters and events: present, read as zero, writes ignored
  li x1, 0x12345678
  csrw mhpmcounter3, x1
  csrr x14, mhpmcounter3
  TEST_EQ(20, x14, 0)
  csrw mhpmcounter31, x1
  csrr x14, mhpmcounter31
  TEST_EQ(21, x14, 0)
  csrw mhpmcounter3h, x1
  csrr x14, mhpmcounter3h
  TEST_EQ(22, x14, 0)
  csrw mhpmcounter31h, x1
  csrr x14, mhpmcounter31h
  TEST_EQ(23, x14, 0)
  csrw mhpmevent3, x1
  csrr x14, mhpmevent3
  TEST_EQ(24, x14, 0)
  csrw mhpmevent31, x1
  csrr x14, mhpmevent31
  TEST_EQ(25, x14, 0)
  csrr x14, hpmcounter3
  TEST_EQ(26, x14, 0)
  csrr x14, hpmcounter31h
  TEST_EQ(27, x14, 0)
TEST_END

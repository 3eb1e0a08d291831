// SPDX-License-Identifier: Apache-2.0
// Machine timer interrupt: mtime counts, mip.MTIP follows mtime >= mtimecmp, the interrupt is
// taken only with mie.MTIE and mstatus.MIE, mcause = 0x8000_0007, mepc = the interrupted
// instruction, MRET resumes it; vectored mtvec goes to BASE + 4*7; WFI is a no-op; and a
// workload of loads, stores, branches and divides interrupted 20 times still computes exactly.
#include "isa_test.h"

#define MTIME     0x10000000
#define MTIMECMP  0x10000008

TEST_BEGIN
  li x10, MTIME
  // mtime advances
  li TESTNUM, 2
  lw x1, 0(x10)
  lw x2, 0(x10)
  bgeu x1, x2, fail
  // mtime is writable
  li TESTNUM, 3
  sw zero, 4(x10)
  li x1, 1000
  sw x1, 0(x10)
  lw x2, 0(x10)
  bltu x2, x1, fail
  li x4, 1100
  bgeu x2, x4, fail

  // pending without enables: no trap, mip.MTIP visible
  li TESTNUM, 4
  la t0, irq_handler
  csrw mtvec, t0
  li x20, 0
  sw zero, 12(x10)                 // mtimecmp = 0: pending at once
  sw zero, 8(x10)
  csrr x14, mip
  TEST_EQ(5, x14, 0x80)
  li x1, 0x80
  csrw mie, x1                     // MTIE, but mstatus.MIE = 0
  nop
  nop
  TEST_EQ(6, x20, 0)
  // enabling mstatus.MIE takes it right away; the handler disarms the timer
  li TESTNUM, 7
  csrsi mstatus, 0x8
  addi x21, x20, 0                 // runs after the handler returns
  TEST_EQ(8, x21, 1)
  TEST_EQ(9, x22, 0x80000007)      // mcause seen by the handler
  csrr x14, mstatus
  TEST_EQ(10, x14, 0x1888)         // MRET restored MIE

  // an interrupt at a chosen time interrupts a spin loop; mepc points into the loop
  li TESTNUM, 11
  li x20, 0
  sw zero, 12(x10)                 // mtimecmp hi = 0 (lo is still all ones: not pending)
  lw x1, 0(x10)
  addi x1, x1, 200
  sw x1, 8(x10)
  li x5, 0
spin:
  addi x5, x5, 1
  li x6, 100000
  bgeu x5, x6, fail                 // timeout: no interrupt
  beqz x20, spin
  TEST_EQ(12, x20, 1)
  la x7, spin
  bltu x23, x7, fail               // x23 = mepc seen by the handler
  addi x7, x7, 16
  bgeu x23, x7, fail

  // WFI is a no-op
  li TESTNUM, 13
  wfi
  TEST_EQ(14, x20, 1)

  // vectored mode: the timer interrupt goes to BASE + 28
  li TESTNUM, 15
  la t0, vec_table
  ori t0, t0, 1
  csrw mtvec, t0
  li x20, 0
  sw zero, 12(x10)
  sw zero, 8(x10)
  nop
  TEST_EQ(16, x20, 1)
  TEST_EQ(17, x24, 7)              // the vectored entry ran

  // precise interrupts: a loop of loads, stores, divides and branches, interrupted 20 times
  li TESTNUM, 18
  la t0, rearm_handler
  csrw mtvec, t0
  li x20, 0
  lw x1, 0(x10)
  addi x1, x1, 37
  sw zero, 12(x10)
  sw x1, 8(x10)
  la x11, arr
  li x12, 0                        // i
  li x13, 0                        // sum
  li x14, 0
work:
  andi x15, x12, 15
  slli x15, x15, 2
  add x15, x15, x11
  lw x16, 0(x15)                   // arr[i & 15]
  addi x16, x16, 3
  sw x16, 0(x15)
  li x17, 7
  divu x18, x16, x17
  remu x19, x16, x17
  mul x18, x18, x17
  add x18, x18, x19                // = x16 again
  bne x18, x16, fail
  add x13, x13, x16
  addi x12, x12, 1
  li x17, 20
  bltu x20, x17, work              // until 20 interrupts were taken
  csrw mie, zero
  // replay the same computation without interrupts and compare
  li TESTNUM, 19
  la x11, arr
  li x17, 0
  li x5, 0                         // j
  li x6, 0                         // sum
  la x8, arr2
replay:
  andi x15, x5, 15
  slli x15, x15, 2
  add x9, x15, x8
  lw x16, 0(x9)
  addi x16, x16, 3
  sw x16, 0(x9)
  add x6, x6, x16
  addi x5, x5, 1
  bltu x5, x12, replay
  bne x6, x13, fail
TEST_END

  .align 2
irq_handler:                        // record, disarm (mtimecmp = all ones), return
  csrr x22, mcause
  csrr x23, mepc
  li t5, -1
  li t6, MTIMECMP
  sw t5, 0(t6)
  sw t5, 4(t6)
  addi x20, x20, 1
  mret

  .align 2
rearm_handler:                      // count, divide, re-arm 37..100 cycles ahead, return
  csrr t5, mcause
  li t6, 0x80000007
  bne t5, t6, fail
  li t5, 1000                       // a divide of its own: must not see the interrupted one's
  li t6, 8
  divu t5, t5, t6
  li t6, 125
  bne t5, t6, fail
  addi x20, x20, 1
  li t6, MTIME
  lw t5, 0(t6)
  addi t5, t5, 37
  andi x31, x20, 63
  add t5, t5, x31
  li t6, MTIMECMP
  sw t5, 0(t6)
  mret

  .align 6
vec_table:                          // BASE + 4 * cause
  j fail                            // 0: exceptions
  j fail
  j fail
  j fail
  j fail
  j fail
  j fail
  j vec_timer                       // 7: machine timer
  j fail
vec_timer:
  li x24, 7
  li t5, -1
  li t6, MTIMECMP
  sw t5, 0(t6)
  sw t5, 4(t6)
  addi x20, x20, 1
  mret

  .data
  .align 2
arr:  .word 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16
arr2: .word 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16

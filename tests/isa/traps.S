// SPDX-License-Identifier: Apache-2.0
// Synchronous traps: illegal instructions (all-zero, all-ones, bad funct7/funct3, compressed
// encoding, unknown and read-only CSRs), ECALL, EBREAK, misaligned loads/stores/jump and branch
// targets, load/store/fetch access faults; mcause, mepc and mtval for each; the trapping
// instruction has no effect and the one after it does not run; MRET returns to mepc with
// mstatus.MIE restored from MPIE; vectored mtvec sends exceptions to BASE.
#include "isa_test.h"

// The trap handler `trap_rec` stores mcause/mepc/mtval in x28/x29/x30 and jumps to x31.
// TRAP_AT(n, insn): run insn (label 8) expecting a trap; continue at label 9 afterwards.
#define TRAP_AT(n, insn...) \
  li TESTNUM, n; la x31, 9f; li x28, -1; 8: insn; j fail; 9:
#define CHECK_CAUSE(c)   li x7, c; bne x28, x7, fail
#define CHECK_EPC_HERE   la x7, 8b; bne x29, x7, fail
#define CHECK_TVAL(v)    li x7, v; bne x30, x7, fail

TEST_BEGIN
  la t0, trap_rec
  csrw mtvec, t0
  la x1, buf

  TRAP_AT(2, .word 0x00000000)
  CHECK_CAUSE(2); CHECK_EPC_HERE; CHECK_TVAL(0)
  TRAP_AT(3, .word 0xffffffff)
  CHECK_CAUSE(2); CHECK_EPC_HERE; CHECK_TVAL(0xffffffff)
  TRAP_AT(4, .word 0x401090b3)               // SLL with funct7 0100000
  CHECK_CAUSE(2); CHECK_EPC_HERE; CHECK_TVAL(0x401090b3)
  TRAP_AT(5, .word 0x0000200f)               // MISC-MEM funct3 010
  CHECK_CAUSE(2); CHECK_EPC_HERE
  TRAP_AT(6, .word 0x00000001)               // a compressed encoding (no C extension)
  CHECK_CAUSE(2); CHECK_EPC_HERE
  TRAP_AT(7, .word 0x0000306b)               // reserved opcode
  CHECK_CAUSE(2); CHECK_EPC_HERE
  TRAP_AT(8, .word 0x02001073)               // ECALL-like SYSTEM with funct3 0 and imm 0x020
  CHECK_CAUSE(2); CHECK_EPC_HERE
  TRAP_AT(9, csrr x14, 0x7c0)                // no such CSR
  CHECK_CAUSE(2); CHECK_EPC_HERE; CHECK_TVAL(0x7c002773)
  li x14, 77
  TRAP_AT(10, csrw mhartid, x1)              // read-only CSR
  CHECK_CAUSE(2); CHECK_EPC_HERE
  TRAP_AT(11, csrrw x14, mvendorid, x0)      // CSRRW writes even with rs1 = x0
  CHECK_CAUSE(2)
  TEST_EQ(12, x14, 77)                       // rd untouched by the trapping CSR instruction
  TRAP_AT(13, .word 0x7c002773)              // csrr x14, 0x7c0 again, raw
  CHECK_CAUSE(2)

  TRAP_AT(14, ecall)
  CHECK_CAUSE(11); CHECK_EPC_HERE; CHECK_TVAL(0)
  TRAP_AT(15, ebreak)
  CHECK_CAUSE(3); CHECK_EPC_HERE

  // misaligned loads: rd keeps its value
  li x14, 55
  TRAP_AT(16, lw x14, 1(x1))
  CHECK_CAUSE(4); CHECK_EPC_HERE
  la x7, buf + 1
  bne x30, x7, fail
  TEST_EQ(17, x14, 55)
  TRAP_AT(18, lw x14, 2(x1))
  CHECK_CAUSE(4)
  TRAP_AT(19, lh x14, 3(x1))
  CHECK_CAUSE(4)
  la x7, buf + 3
  bne x30, x7, fail
  TRAP_AT(20, lhu x14, 1(x1))
  CHECK_CAUSE(4)
  // aligned halves and any byte do not trap
  li TESTNUM, 21
  lh x14, 2(x1)
  lb x14, 3(x1)
  lbu x14, 1(x1)
  // misaligned stores: memory unchanged
  li x2, 0x11223344
  sw x2, 0(x1)
  sw x2, 4(x1)
  li x9, -1
  TRAP_AT(22, sw x9, 2(x1))
  CHECK_CAUSE(6); CHECK_EPC_HERE
  la x7, buf + 2
  bne x30, x7, fail
  TRAP_AT(23, sh x9, 1(x1))
  CHECK_CAUSE(6)
  TRAP_AT(24, sw x9, 3(x1))
  CHECK_CAUSE(6)
  lw x14, 0(x1)
  TEST_EQ(25, x14, 0x11223344)
  lw x14, 4(x1)
  TEST_EQ(26, x14, 0x11223344)

  // misaligned jump and branch targets: cause 0 on the jump, link register untouched
  li x5, 99
  la x6, tgt
  TRAP_AT(27, jalr x5, 2(x6))
  CHECK_CAUSE(0); CHECK_EPC_HERE
  la x7, tgt + 2
  bne x30, x7, fail
  TEST_EQ(28, x5, 99)
  TRAP_AT(29, jal x5, . + 6)
  CHECK_CAUSE(0); CHECK_EPC_HERE
  TEST_EQ(30, x5, 99)
  TRAP_AT(31, beq x0, x0, . + 10)
  CHECK_CAUSE(0); CHECK_EPC_HERE
  la x7, 8b + 10
  bne x30, x7, fail

  // access faults: nothing mapped at 0x2000_0000
  li x2, 0x20000000
  li x14, 66
  li x15, 0
  TRAP_AT(32, lw x14, 4(x2))
  CHECK_CAUSE(5); CHECK_EPC_HERE; CHECK_TVAL(0x20000004)
  TEST_EQ(33, x14, 66)
  TRAP_AT(34, sw x14, 0(x2); sw x14, 0(x1))  // the store after the faulting one must not run
  CHECK_CAUSE(7); CHECK_EPC_HERE; CHECK_TVAL(0x20000000)
  lw x14, 0(x1)
  TEST_EQ(35, x14, 0x11223344)
  TRAP_AT(36, lb x14, 0(x2); addi x15, x15, 1)
  CHECK_CAUSE(5)
  TEST_EQ(37, x15, 0)
  // local register window: offsets beyond the last register fault
  li x2, 0x10000040
  TRAP_AT(38, lw x14, 0(x2))
  CHECK_CAUSE(5)

  // instruction access faults: mepc = mtval = the unmapped target
  li x2, 0x20000000
  TRAP_AT(39, jalr x0, 0(x2))
  CHECK_CAUSE(1); CHECK_TVAL(0x20000000)
  li x7, 0x20000000
  bne x29, x7, fail
  li x2, 0x80100000                          // DRAM holds data, not code
  TRAP_AT(40, jr x2)
  CHECK_CAUSE(1); CHECK_TVAL(0x80100000)

  // MRET: a handler that skips the trapping instruction; mstatus MIE <-> MPIE
  la t0, trap_skip
  csrw mtvec, t0
  csrw mie, zero                             // MIE set but no source enabled
  li x1, 0x8
  csrw mstatus, x1
  li TESTNUM, 41
  li x27, 0
  li x14, 0
  ecall
  addi x14, x14, 1                           // runs once, after MRET
  TEST_EQ(42, x14, 1)
  TEST_EQ(43, x27, 0x1880)                   // in the handler: MIE 0, MPIE 1, MPP M
  csrr x14, mstatus
  TEST_EQ(44, x14, 0x1888)                   // after MRET: MIE 1, MPIE 1
  csrw mstatus, zero
  // MRET to an address written into mepc
  la t0, 1f
  csrw mepc, t0
  li TESTNUM, 45
  mret
  j fail
1:
  // vectored mtvec: exceptions still go to BASE
  la t0, trap_rec
  ori t0, t0, 1
  csrw mtvec, t0
  TRAP_AT(46, ecall)
  CHECK_CAUSE(11); CHECK_EPC_HERE
TEST_END

  .align 2
trap_rec:
  csrr x28, mcause
  csrr x29, mepc
  csrr x30, mtval
  jr x31

  .align 2
trap_skip:
  csrr x27, mstatus
  csrr t5, mepc
  addi t5, t5, 4
  csrw mepc, t5
  mret

  .align 2
tgt:
  j fail
  j fail

  .data
  .align 2
buf: .word 0, 0

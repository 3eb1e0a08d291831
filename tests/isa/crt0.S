// SPDX-License-Identifier: Apache-2.0
// Start-up of the CPU benchmark programs: stack at the end of DRAM, zeroed .bss, call main,
// then tohost = 1 when main returns 0, else (main's value << 1) | 1 (riscv-tests convention).
  .section .text.init, "ax"
  .globl _start
_start:
  la sp, _stack_top
  la t0, trap
  csrw mtvec, t0
  la t0, _bss_start
  la t1, _end
1: bgeu t0, t1, 2f
  sw zero, 0(t0)
  addi t0, t0, 4
  j 1b
2: call main
  li t0, 1
  beqz a0, 3f
  slli t0, a0, 1
  ori t0, t0, 1
3: la t1, tohost
  sw t0, 0(t1)
  j .
trap:                      // any trap: fail with test number 999
  li t0, (999 << 1) | 1
  j 3b

  .section .tohost, "aw", @progbits
  .align 6
  .globl tohost
tohost: .word 0, 0

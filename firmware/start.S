/* SPDX-License-Identifier: Apache-2.0 */
/* Reset entry of the firmware: global and stack pointers, trap vector, .bss cleared, main().
 * .data needs no copy: the loader (nsgnic-sim --run-elf, the driver's FW_LOAD window) writes
 * every segment at its run address, DRAM included. A trap or a return from main reports
 * failure through tohost ((n << 1) | 1: n = 126 trap, 127 main returned) and parks the core. */
  .option arch, +zicsr
  .section .text.start, "ax"
  .globl _start
_start:
  .option push
  .option norelax
  la    gp, __global_pointer$
  .option pop
  la    sp, __stack_top
  la    t0, fw_trap
  csrw  mtvec, t0
  la    a0, __bss_start
  la    a1, __bss_end
1:
  bgeu  a0, a1, 2f
  sw    zero, 0(a0)
  addi  a0, a0, 4
  j     1b
2:
  call  main
  li    a0, (127 << 1) | 1
  j     fw_park

  .balign 4
fw_trap:
  li    a0, (126 << 1) | 1
fw_park:
  la    t0, __tohost_addr
  sw    a0, 0(t0)
3:
  j     3b

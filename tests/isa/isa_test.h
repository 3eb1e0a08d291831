/* SPDX-License-Identifier: Apache-2.0 */
/* Macros of the nsgnic ISA tests (assembly, run with the C preprocessor). Our own, in the
 * spirit of riscv-tests: TESTNUM (gp) holds the number of the running case; the program ends by
 * writing tohost: 1 = pass (through ECALL and the default trap handler, like RVTEST_PASS), or
 * (TESTNUM << 1) | 1 = fail (a direct store, so it works whatever mtvec holds).
 * An unexpected trap fails with tohost ((TESTNUM + 1000) << 1) | 1, which nsgnic-sim reports as
 * that trap (mcause, mepc, raw tohost) since it is written inside the trap's handler.
 * Registers: x3 (gp) is TESTNUM; x1, x2 operands, x14 result, x7 expected value; t5/t6 and x31
 * reserved for the handlers. */
#ifndef NSGNIC_ISA_TEST_H
#define NSGNIC_ISA_TEST_H

#define TESTNUM gp

#define TEST_BEGIN                                                          \
        .section .text.init, "ax";                                          \
        .globl _start;                                                      \
_start:                                                                     \
        la t0, isa_trap_default;                                            \
        csrw mtvec, t0;                                                     \
        li TESTNUM, 0;                                                      \
        la sp, _stack_top;                                                  \
        j isa_body;                                                         \
        .align 2;                                                           \
isa_trap_default:                                                           \
        csrr t5, mcause;                                                    \
        li t6, 11;                                                          \
        beq t5, t6, isa_write_tohost;                                       \
        addi TESTNUM, TESTNUM, 1000;                                        \
        j fail;                                                             \
isa_write_tohost:                                                           \
        la t5, tohost;                                                      \
        sw TESTNUM, 0(t5);                                                  \
        j isa_write_tohost;                                                 \
isa_body:

/* Ends the program: pass (ECALL -> default handler -> tohost = 1) and the fail label. */
#define TEST_END                                                            \
        fence;                                                              \
        la t0, isa_trap_default;                                            \
        csrw mtvec, t0;                                                     \
        li TESTNUM, 1;                                                      \
        ecall;                                                              \
        j .;                                                                \
fail:                                                                       \
        bnez TESTNUM, 1f;                                                   \
        li TESTNUM, 2047;                                                   \
1:      slli TESTNUM, TESTNUM, 1;                                           \
        ori TESTNUM, TESTNUM, 1;                                            \
        la t5, tohost;                                                      \
        sw TESTNUM, 0(t5);                                                  \
        j .;                                                                \
        .section .tohost, "aw", @progbits;                                  \
        .align 6;                                                           \
        .globl tohost;                                                      \
tohost: .word 0, 0;                                                         \
        .globl fromhost;                                                    \
fromhost: .word 0, 0;                                                       \
        .text

/* x14 = inst(v1, v2) must equal expect. */
#define TEST_RR(n, inst, expect, v1, v2)                                    \
        li TESTNUM, n; li x1, v1; li x2, v2; inst x14, x1, x2;              \
        li x7, expect; bne x14, x7, fail
/* x14 = inst(v1, imm) must equal expect. */
#define TEST_RI(n, inst, expect, v1, imm)                                   \
        li TESTNUM, n; li x1, v1; inst x14, x1, imm;                        \
        li x7, expect; bne x14, x7, fail
/* reg must equal expect (uses x7). */
#define TEST_EQ(n, reg, expect)                                             \
        li TESTNUM, n; li x7, expect; bne reg, x7, fail

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/* A stand-in for the riscv-tests `p` environment, written for nsgnic from its documented
 * behaviour, so CTest covers what the external riscv-tests run relies on: a reset sequence that
 * touches CSRs this core lacks (satp, pmp*, medeleg: each traps to the next label), `csrwi
 * mstatus, 0` + MRET into the test body, a trap vector that turns any ECALL into a write of
 * TESTNUM to the `tohost` symbol (placed in code space), and pass = 1 / fail = (n<<1)|1 with a
 * follow-up store to tohost + 4. */
#ifndef NSGNIC_RVTEST_ENV_H
#define NSGNIC_RVTEST_ENV_H

#define TESTNUM gp

/* Point mtvec at the next label, run one instruction that may trap, continue there. */
#define RVT_TRY(insn...) la t0, 1f; csrw mtvec, t0; insn; .align 2; 1:

#define RVT_BEGIN                                                           \
        .section .text.init;                                                \
        .align 6;                                                           \
        .globl _start;                                                      \
_start: j rvt_reset;                                                        \
        .align 2;                                                           \
rvt_trap:                                                                   \
        csrr t5, mcause;                                                    \
        li t6, 8; beq t5, t6, rvt_tohost;    /* ECALL from U */             \
        li t6, 9; beq t5, t6, rvt_tohost;    /* ECALL from S */             \
        li t6, 11; beq t5, t6, rvt_tohost;   /* ECALL from M */             \
        ori TESTNUM, TESTNUM, 1337;          /* anything else: fail */      \
rvt_tohost:                                                                 \
        la t5, tohost;                                                      \
        sw TESTNUM, 0(t5);                                                  \
        sw zero, 4(t5);                                                     \
        j rvt_tohost;                                                       \
rvt_reset:                                                                  \
        li x1, 0; li x2, 0; li x5, 0; li x6, 0;                             \
        csrr a0, mhartid; 2: bnez a0, 2b;                                   \
        RVT_TRY(csrwi satp, 0)                                              \
        RVT_TRY(csrw pmpaddr0, x5)                                          \
        RVT_TRY(csrwi pmpcfg0, 0x1f)                                        \
        csrwi mie, 0;                                                       \
        RVT_TRY(csrwi medeleg, 0)                                           \
        RVT_TRY(csrwi mideleg, 0)                                           \
        li TESTNUM, 0;                                                      \
        la t0, rvt_trap;                                                    \
        csrw mtvec, t0;                                                     \
        li a0, 1; slli a0, a0, 31; bltz a0, 3f; j fail; 3:  /* XLEN 32 */   \
        csrwi mstatus, 0;                                                   \
        la t0, 4f;                                                          \
        csrw mepc, t0;                                                      \
        csrr a0, mhartid;                                                   \
        mret;                                                               \
4:

#define RVT_END                                                             \
pass:   fence; li TESTNUM, 1; li a7, 93; li a0, 0; ecall;                   \
fail:   fence;                                                              \
5:      beqz TESTNUM, 5b;                                                   \
        sll TESTNUM, TESTNUM, 1; or TESTNUM, TESTNUM, 1;                    \
        li a7, 93; addi a0, TESTNUM, 0; ecall;                              \
        unimp;                                                              \
        .pushsection .tohost, "aw", @progbits;                              \
        .align 6; .globl tohost; tohost: .dword 0;                          \
        .align 6; .globl fromhost; fromhost: .dword 0;                      \
        .popsection

#endif

// SPDX-License-Identifier: Apache-2.0
// riscv-tests convention, passing: the env reset sequence, a few checks including
// self-modifying code made visible by FENCE.I (stores into the code page), then pass.
#include "rvtest_env.h"
RVT_BEGIN
  li TESTNUM, 2
  li x14, 5
  addi x14, x14, 7
  li x7, 12
  bne x14, x7, fail

  // self-modifying code: copy the instruction at `patch_src` over `patch_dst`
  li TESTNUM, 3
  li a3, 111
  la a0, patch_src
  la a1, patch_dst
  lw a0, 0(a0)
  sw a0, 0(a1)
  fence.i
patch_dst:
  addi a3, a3, 1            // replaced by: addi a3, a3, 333
  li x7, 444
  bne a3, x7, fail
  j pass
patch_src:
  addi a3, a3, 333
RVT_END

  .data
  .word 1, 2, 3

/* SPDX-License-Identifier: Apache-2.0 */
/* Division on random operands: for DIV/DIVU/REM/REMU, q * b + r == a, |r| < |b|, r has the
 * sign of a (or is zero), plus the fixed answers for b == 0 and INT_MIN / -1. Operands are
 * drawn with random magnitudes (so every dividend length hits the divider's leading-zero skip).
 * Returns the number of the failed check (riscv-tests convention through crt0.S). */
#include <stdint.h>

static uint32_t state = 0x12345678u;

static uint32_t xorshift(void)
{
  state ^= state << 13;
  state ^= state >> 17;
  state ^= state << 5;
  return state;
}

/* A value with a random number (0..32) of significant bits. */
static uint32_t operand(void)
{
  uint32_t bits = xorshift() % 33u;
  uint32_t v = xorshift();
  return bits == 32u ? v : v & ((1u << bits) - 1u);
}

static uint32_t mag(int32_t v) { return v < 0 ? 0u - (uint32_t)v : (uint32_t)v; }

/* The divides go through asm so the compiler cannot fold or strength-reduce them. */
#define OP(name, insn) \
  static uint32_t name(uint32_t a, uint32_t b) { uint32_t r; \
    __asm__ volatile(insn " %0, %1, %2" : "=r"(r) : "r"(a), "r"(b)); return r; }
OP(op_div, "div")
OP(op_divu, "divu")
OP(op_rem, "rem")
OP(op_remu, "remu")

int main(void)
{
  for (unsigned i = 0; i < 3000; i++) {
    uint32_t a = operand(), b = operand();
    if (xorshift() & 1u)
      a = 0u - a;
    if (xorshift() & 1u)
      b = 0u - b;
    if (b == 0) {
      if (op_divu(a, b) != 0xffffffffu || op_remu(a, b) != a)
        return 2;
      if (op_div(a, b) != 0xffffffffu || op_rem(a, b) != a)
        return 3;
      continue;
    }
    uint32_t q = op_divu(a, b), r = op_remu(a, b);
    if (q * b + r != a || r >= b)
      return 4;
    int32_t sa = (int32_t)a, sb = (int32_t)b;
    if (sa == INT32_MIN && sb == -1) {
      if (op_div(a, b) != a || op_rem(a, b) != 0)
        return 5;
      continue;
    }
    int32_t sq = (int32_t)op_div(a, b), sr = (int32_t)op_rem(a, b);
    if ((uint32_t)sq * b + (uint32_t)sr != a)
      return 6;
    if (mag(sr) >= mag(sb))
      return 7;
    if (sr != 0 && (sr < 0) != (sa < 0))
      return 8;
  }
  return 0;
}

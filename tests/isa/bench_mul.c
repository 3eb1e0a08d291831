/* SPDX-License-Identifier: Apache-2.0 */
/* CPU benchmark: multiply-heavy hashing (FNV-1a style: XOR, MUL, loop); multiplies never
 * stall. Checked against the known value. */
#include <stdint.h>

static uint32_t hash(uint32_t n)
{
  uint32_t h = 2166136261u;
  for (uint32_t i = 0; i < n; i++)
    h = (h ^ i) * 16777619u;
  return h;
}

int main(void)
{
  volatile uint32_t n = 20000;  /* volatile: keep the compiler from folding the loop */
  return hash(n) == 0xc275e765u ? 0 : 2;
}

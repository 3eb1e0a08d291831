/* SPDX-License-Identifier: Apache-2.0 */
/* CPU benchmark: decimal conversion by division (DIVU/REMU by 10 on 23-bit values: the
 * iterative divider skips the dividend's leading zeros). Checked against the known value. */
#include <stdint.h>

static uint32_t digit_sum(uint32_t n)
{
  uint32_t total = 0;
  for (uint32_t v = 1; v <= n; v++)
    for (uint32_t x = v * 7919u; x != 0; x /= 10)
      total += x % 10;
  return total;
}

int main(void)
{
  volatile uint32_t n = 1000;  /* volatile: keep the compiler from folding the loop */
  return digit_sum(n) == 30410u ? 0 : 2;
}

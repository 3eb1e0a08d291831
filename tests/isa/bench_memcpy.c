/* SPDX-License-Identifier: Apache-2.0 */
/* CPU benchmark: word copy loop (memcpy-like: load, store, pointer bumps, branch), 64 KiB moved
 * DRAM -> DRAM, checked at the end. */
#include <stdint.h>

#define WORDS 1024
#define ROUNDS 16

static uint32_t src[WORDS], dst[WORDS];

static void copy(uint32_t *d, const uint32_t *s, unsigned n)
{
  for (unsigned i = 0; i < n; i++)
    d[i] = s[i];
}

int main(void)
{
  for (unsigned i = 0; i < WORDS; i++)
    src[i] = i * 2654435761u;
  for (unsigned r = 0; r < ROUNDS; r++)
    copy(dst, src, WORDS);
  for (unsigned i = 0; i < WORDS; i++)
    if (dst[i] != i * 2654435761u)
      return 2;
  return 0;
}

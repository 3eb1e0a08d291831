/* SPDX-License-Identifier: Apache-2.0 */
/* The flow cache's keyed hash, in C: the twin of flow_hash in hdl/rtl/flow_cache.sv, used by the
 * firmware (placing a host-inserted flow where the hardware looks), the datapath model and the
 * testbenches. Freestanding-safe (stdint only).
 *
 * Toeplitz hash: output bit j (0..FLOW_HASH_BITS-1) is the parity of (key AND the secret key's
 * FLOW_KEY_BITS-bit window starting at bit j). For two different flow keys and a uniformly random
 * secret key, the two hashes are equal with probability 2^-64 (Toeplitz matrices are a universal
 * family), so an attacker who does not know the secret key cannot aim flows at one bucket. In
 * hardware every output bit is a 312-input AND-XOR tree (4 LUT6 levels), one pipeline stage. */
#ifndef NSGNIC_FLOW_HASH_H
#define NSGNIC_FLOW_HASH_H

#include <stdint.h>

#include "nsgnic/abi.h"

/* 64 bits of the secret key starting at bit `at` (at + 64 <= 32 * FLOW_HKEY_WORDS). */
static inline uint64_t nsgnic_hkey_window(const uint32_t *hkey, unsigned at)
{
  unsigned w = at / 32u, s = at % 32u;
  uint64_t lo = (uint64_t)hkey[w] | (uint64_t)hkey[w + 1] << 32;
  if (s == 0)
    return lo;
  uint64_t hi = w + 2 < (unsigned)NSGNIC_FLOW_HKEY_WORDS ? hkey[w + 2] : 0;
  return lo >> s | hi << (64u - s);
}

/* Hash of a flow key (FLOW key bits 0..FLOW_KEY_BITS-1 of `key`; bits above are ignored) under
 * the secret key `hkey` (FLOW_HKEY_WORDS words). Choice t of the flow cache looks in bucket
 * (hash >> 16t) mod buckets. */
static inline uint64_t nsgnic_flow_hash(const uint32_t *key, const uint32_t *hkey)
{
  uint64_t h = 0;
  for (unsigned i = 0; i < ((unsigned)NSGNIC_FLOW_KEY_BITS + 31u) / 32u; i++) {
    uint32_t w = key[i];
    unsigned lo = 32u * i;
    if ((unsigned)NSGNIC_FLOW_KEY_BITS - lo < 32u)
      w &= (1u << ((unsigned)NSGNIC_FLOW_KEY_BITS - lo)) - 1u;
    for (unsigned b = 0; w; b++, w >>= 1)
      if (w & 1u)
        h ^= nsgnic_hkey_window(hkey, lo + b);
  }
  return h;
}

/* The key the datapath holds after reset (CSR_FLOW_HKEY): word i = (i + 1) * 0x9E3779B9. Public:
 * the host replaces it at boot. */
static inline void nsgnic_flow_hkey_reset(uint32_t *hkey)
{
  for (unsigned i = 0; i < (unsigned)NSGNIC_FLOW_HKEY_WORDS; i++)
    hkey[i] = (i + 1u) * 0x9E3779B9u;
}

#endif

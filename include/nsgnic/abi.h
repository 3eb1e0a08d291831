/* SPDX-License-Identifier: Apache-2.0 */
/* The hardware/firmware/host ABI as C: enums expanded from the lists in the nsgnic/abi lists
 * (the one source of truth) plus helpers to pack and unpack bit fields of multi-word keys.
 * Freestanding-safe: used by firmware, driver and host library alike. */
#ifndef NSGNIC_ABI_H
#define NSGNIC_ABI_H

#include <stdint.h>

#include "abi/lookup.def.h"
#include "abi/csr.def.h"
#include "abi/host.def.h"
#include "abi/soc.def.h"
#include "abi/pci.def.h"

#define NSGNIC_ABI_ALL_CONSTS(X) \
  NSGNIC_ABI_LOOKUP_CONSTS(X) NSGNIC_ABI_CSR_CONSTS(X) NSGNIC_ABI_HOST_CONSTS(X) \
  NSGNIC_ABI_SOC_CONSTS(X) NSGNIC_ABI_PCI_CONSTS(X)
#define NSGNIC_ABI_ALL_ENUMS(X) \
  NSGNIC_ABI_LOOKUP_ENUMS(X) NSGNIC_ABI_CSR_ENUMS(X) NSGNIC_ABI_HOST_ENUMS(X) \
  NSGNIC_ABI_SOC_ENUMS(X) NSGNIC_ABI_PCI_ENUMS(X)
#define NSGNIC_ABI_ALL_FIELDS(X) \
  NSGNIC_ABI_LOOKUP_FIELDS(X) NSGNIC_ABI_CSR_FIELDS(X) NSGNIC_ABI_HOST_FIELDS(X) \
  NSGNIC_ABI_SOC_FIELDS(X) NSGNIC_ABI_PCI_FIELDS(X)

/* Constants: NSGNIC_<NAME>. Values must fit in a signed int (enum). */
#define NSGNIC_ABI_X_CONST_(name, value, doc) NSGNIC_##name = (value),
enum nsgnic_abi_const { NSGNIC_ABI_ALL_CONSTS(NSGNIC_ABI_X_CONST_) NSGNIC_ABI_CONST_END_ };
#undef NSGNIC_ABI_X_CONST_

/* Codes: NSGNIC_<GROUP>_<NAME>. */
#define NSGNIC_ABI_X_ENUM_(group, name, value, doc) NSGNIC_##group##_##name = (value),
enum nsgnic_abi_enum { NSGNIC_ABI_ALL_ENUMS(NSGNIC_ABI_X_ENUM_) NSGNIC_ABI_ENUM_END_ };
#undef NSGNIC_ABI_X_ENUM_

/* Fields: NSGNIC_<GROUP>_<NAME>_LSB and NSGNIC_<GROUP>_<NAME>_W. */
#define NSGNIC_ABI_X_FIELD_(group, name, lsb, width, doc) \
  NSGNIC_##group##_##name##_LSB = (lsb), NSGNIC_##group##_##name##_W = (width),
enum nsgnic_abi_field { NSGNIC_ABI_ALL_FIELDS(NSGNIC_ABI_X_FIELD_) NSGNIC_ABI_FIELD_END_ };
#undef NSGNIC_ABI_X_FIELD_

/* Word counts of the packed structures (32-bit words, word 0 holds bits 31:0). */
#define NSGNIC_WORDS(bits) (((bits) + 31u) / 32u)
enum {
  NSGNIC_RULE_KEY_WORDS = NSGNIC_WORDS(NSGNIC_RULE_KEY_BITS),
  NSGNIC_LABEL_KEY_WORDS = NSGNIC_WORDS(NSGNIC_LABEL_KEY_BITS),
  NSGNIC_LABEL_RESULT_WORDS = NSGNIC_WORDS(NSGNIC_LABEL_RESULT_BITS),
  NSGNIC_PLATFORM_KEY_WORDS = NSGNIC_WORDS(NSGNIC_PLATFORM_KEY_BITS),
  NSGNIC_BINDING_WORDS = NSGNIC_WORDS(NSGNIC_BINDING_BITS),
  NSGNIC_LPM_ROW_WORDS = NSGNIC_WORDS(NSGNIC_LPM_ROW_BITS),
};

/* Write the low `width` (1..64) bits of `value` at bit `lsb` of the little-endian word array. */
static inline void nsgnic_bits_put(uint32_t *words, unsigned lsb, unsigned width, uint64_t value)
{
  for (unsigned i = 0; i < width; i++) {
    unsigned b = lsb + i;
    uint32_t m = (uint32_t)1u << (b & 31u);
    if ((value >> i) & 1u)
      words[b >> 5] |= m;
    else
      words[b >> 5] &= ~m;
  }
}

/* Read `width` (1..64) bits at bit `lsb` of the little-endian word array. */
static inline uint64_t nsgnic_bits_get(const uint32_t *words, unsigned lsb, unsigned width)
{
  uint64_t v = 0;
  for (unsigned i = 0; i < width; i++) {
    unsigned b = lsb + i;
    v |= (uint64_t)((words[b >> 5] >> (b & 31u)) & 1u) << i;
  }
  return v;
}

#define NSGNIC_PUT(words, field, value) \
  nsgnic_bits_put((words), NSGNIC_##field##_LSB, NSGNIC_##field##_W, (uint64_t)(value))
#define NSGNIC_GET(words, field) nsgnic_bits_get((words), NSGNIC_##field##_LSB, NSGNIC_##field##_W)

#endif /* NSGNIC_ABI_H */

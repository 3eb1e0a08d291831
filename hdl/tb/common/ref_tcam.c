/* SPDX-License-Identifier: Apache-2.0 */
/* Reference ternary CAM (see ref_tcam.h). */
#include "ref_tcam.h"

#include <stdlib.h>
#include <string.h>

int ref_tcam_init(struct ref_tcam *t, unsigned entries, unsigned key_bits)
{
  t->entries = entries;
  t->key_bits = key_bits;
  t->e = calloc(entries, sizeof *t->e);
  return t->e ? 0 : -1;
}

void ref_tcam_free(struct ref_tcam *t)
{
  free(t->e);
  t->e = NULL;
}

static unsigned words(const struct ref_tcam *t) { return (t->key_bits + 31u) / 32u; }

void ref_tcam_write(struct ref_tcam *t, unsigned idx, const uint32_t *value, const uint32_t *mask,
                    const uint32_t *res, int valid)
{
  struct ref_tcam_entry *e = &t->e[idx];
  memset(e, 0, sizeof *e);
  for (unsigned i = 0; i < words(t); i++) {
    uint32_t top = (i == words(t) - 1 && t->key_bits % 32u) ? (1u << (t->key_bits % 32u)) - 1u
                                                            : 0xffffffffu;
    e->mask[i] = mask[i] & top;
    e->value[i] = value[i] & e->mask[i];
  }
  memcpy(e->res, res, sizeof e->res);
  e->valid = valid;
}

int ref_tcam_search(const struct ref_tcam *t, const uint32_t *key, const uint32_t **res)
{
  static const uint32_t zero[REF_TCAM_RES_WORDS];
  for (unsigned n = 0; n < t->entries; n++) {
    const struct ref_tcam_entry *e = &t->e[n];
    if (!e->valid)
      continue;
    unsigned i;
    for (i = 0; i < words(t); i++)
      if ((key[i] & e->mask[i]) != e->value[i])
        break;
    if (i == words(t)) {
      *res = e->res;
      return (int)n;
    }
  }
  *res = zero;
  return -1;
}

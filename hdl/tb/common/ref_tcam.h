/* SPDX-License-Identifier: Apache-2.0 */
/* Reference ternary CAM for the testbenches: first (lowest-index) valid entry whose cared-for
 * bits equal the key wins. Trivial on purpose: the hardware is compared with it. */
#ifndef NSGNIC_TB_REF_TCAM_H
#define NSGNIC_TB_REF_TCAM_H

#include <stdint.h>

#define REF_TCAM_MAX_WORDS 10 /* up to 320-bit keys */
#define REF_TCAM_RES_WORDS 4  /* up to 128-bit results */

#ifdef __cplusplus
extern "C" {
#endif

struct ref_tcam_entry {
  uint32_t value[REF_TCAM_MAX_WORDS]; /* already masked */
  uint32_t mask[REF_TCAM_MAX_WORDS];  /* 1 = care */
  uint32_t res[REF_TCAM_RES_WORDS];
  int valid;
};

struct ref_tcam {
  unsigned entries, key_bits;
  struct ref_tcam_entry *e;
};

/* Returns 0, or -1 when out of memory. All entries start invalid. */
int ref_tcam_init(struct ref_tcam *t, unsigned entries, unsigned key_bits);
void ref_tcam_free(struct ref_tcam *t);
/* res: REF_TCAM_RES_WORDS words */
void ref_tcam_write(struct ref_tcam *t, unsigned idx, const uint32_t *value, const uint32_t *mask,
                    const uint32_t *res, int valid);
/* Index of the winning entry, or -1 when none matches; *res points at its result words (at
 * zeros on a miss). */
int ref_tcam_search(const struct ref_tcam *t, const uint32_t *key, const uint32_t **res);

#ifdef __cplusplus
}
#endif
#endif

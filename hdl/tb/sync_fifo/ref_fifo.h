/* SPDX-License-Identifier: Apache-2.0 */
/* Reference FIFO for the sync_fifo and exc_queue testbenches: entries of up to REF_FIFO_WORDS
 * words, first-word fall-through, push and pop in one clock (a pop frees the slot of a full
 * FIFO for the same clock's push), a push into a full FIFO without a pop is refused. */
#ifndef NSGNIC_TB_REF_FIFO_H
#define NSGNIC_TB_REF_FIFO_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define REF_FIFO_WORDS 33
#define REF_FIFO_MAX 64

struct ref_fifo {
  unsigned depth, head, count;
  uint32_t e[REF_FIFO_MAX][REF_FIFO_WORDS];
  long pushed, refused, popped; /* accounting */
};

void ref_fifo_init(struct ref_fifo *f, unsigned depth);
/* One clock. Returns 1 when the push was taken, 0 when refused or none. */
int ref_fifo_clock(struct ref_fifo *f, int push, const uint32_t *w, int pop);
/* Head entry, or NULL when empty. */
const uint32_t *ref_fifo_head(const struct ref_fifo *f);

#ifdef __cplusplus
}
#endif
#endif

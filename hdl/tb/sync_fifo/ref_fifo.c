/* SPDX-License-Identifier: Apache-2.0 */
/* Reference FIFO (see ref_fifo.h). */
#include "ref_fifo.h"

#include <string.h>

void ref_fifo_init(struct ref_fifo *f, unsigned depth)
{
  memset(f, 0, sizeof *f);
  f->depth = depth;
}

int ref_fifo_clock(struct ref_fifo *f, int push, const uint32_t *w, int pop)
{
  int do_pop = pop && f->count > 0;
  int do_push = push && (f->count < f->depth || do_pop);
  if (do_pop) {
    f->head = (f->head + 1) % f->depth;
    f->count--;
    f->popped++;
  }
  if (do_push) {
    memcpy(f->e[(f->head + f->count) % f->depth], w, sizeof f->e[0]);
    f->count++;
    f->pushed++;
  } else if (push) {
    f->refused++;
  }
  return do_push;
}

const uint32_t *ref_fifo_head(const struct ref_fifo *f)
{
  return f->count ? f->e[f->head] : NULL;
}

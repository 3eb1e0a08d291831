/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers shared by the driver tests: a log callback that keeps the messages. */
#ifndef NSGNIC_TEST_DRIVER_UTIL_H
#define NSGNIC_TEST_DRIVER_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <time.h>

#include "nsgnic/driver.h"

static inline uint64_t test_now_ms(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

struct logbuf {
  char all[8192];
  char last_err[512];
};

static inline void log_keep(void *ctx, enum nsgnic_log_level lvl, const char *msg)
{
  struct logbuf *b = ctx;
  size_t n = strlen(b->all);
  snprintf(b->all + n, sizeof b->all - n, "%d %s\n", (int)lvl, msg);
  if (lvl == NSGNIC_LOG_ERR)
    snprintf(b->last_err, sizeof b->last_err, "%s", msg);
  if (getenv("NSGNIC_TEST_VERBOSE"))
    fprintf(stderr, "log %d: %s\n", (int)lvl, msg);
}

static inline void opts_with_log(struct nsgnic_dev_opts *o, struct logbuf *b)
{
  nsgnic_dev_opts_default(o);
  memset(b, 0, sizeof *b);
  o->log = log_keep;
  o->log_ctx = b;
}

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/* Label-stage figures of the block-RAM longest-prefix match at its realistic geometry
 * (hostlib/src/lpm.h LPM_GEOM_V4 / _V6, hdl/rtl/lpm.sv): guaranteed prefix capacity (worst case
 * 2 intervals per prefix), and node writes per changed prefix of single-prefix updates on a
 * full-size table (both banks: the inactive one before the flip, the other after it).
 * Usage: label_bench [updates]  (bench/label.sh) */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lpm.h"

static unsigned long long rs = 0x853c49e6748fea9bull;
static unsigned rnd(void)
{
  rs ^= rs << 13;
  rs ^= rs >> 7;
  rs ^= rs << 17;
  return (unsigned)(rs >> 11);
}

/* Random prefix in one of 1,024 contexts; IPv4 lengths 8..32, IPv6 16..128 (service-tag-like:
 * mostly /16../24 resp. /32../64, some hosts). */
static void rand_prefix(struct lpm_prefix *p, unsigned aw, unsigned results)
{
  memset(p, 0, sizeof *p);
  for (unsigned w = 0; w < aw / 32; w++) p->key[w] = rnd() ^ rnd() << 16;
  unsigned ctx = rnd() % 1024;
  for (unsigned b = 0; b < LPM_CTX_BITS; b++)
    if ((ctx >> b) & 1) p->key[(aw + b) / 32] |= 1u << ((aw + b) % 32);
  unsigned r = rnd() % 10, len;
  if (aw == 32) len = r < 1 ? 8 + rnd() % 8 : r < 8 ? 16 + rnd() % 9 : 25 + rnd() % 8;
  else len = r < 1 ? 16 + rnd() % 16 : r < 8 ? 32 + rnd() % 33 : 65 + rnd() % 64;
  p->len = LPM_CTX_BITS + len;
  p->result = 1 + rnd() % (results - 1);
}

static int run(const char *fam, struct lpm_geom g, unsigned aw, unsigned n, unsigned updates)
{
  char err[256];
  unsigned long cap = lpm_interval_capacity(&g);
  printf("label_prefixes_%s_capacity: %lu prefixes (any set: %lu intervals, 2 per prefix + 1; "
         "%u leaves x %u, node %u bits)\n", fam, (cap - 1) / 2, cap, g.leaf_nodes, g.fanout - 1,
         lpm_node_bits(&g));
  double bits = 0;  /* every level, both banks */
  for (unsigned l = 0; l < g.levels; l++) bits += 2.0 * lpm_level_depth(&g, l) * lpm_node_bits(&g);
  printf("label_bram36%s_per_1k_prefixes: %.2f BRAM36 (%.0f BRAM36 for the tree of %lu prefixes, "
         "both banks, 36,864 bits each; result rows extra)\n", strcmp(fam, "v4") ? "_v6" : "",
         bits / 36864 / ((cap - 1) / 2 / 1000.0), bits / 36864, (cap - 1) / 2);
  struct lpm_prefix *p = calloc(n + updates, sizeof *p);
  size_t np = 0;
  for (unsigned i = 0; i < n; i++) rand_prefix(&p[np++], aw, g.results);
  struct lpm_image cur;
  int rc = lpm_build(&g, p, np, &cur, err, sizeof err);
  while (rc == -EINVAL) {  /* a duplicate prefix: draw again */
    rand_prefix(&p[rnd() % np], aw, g.results);
    rc = lpm_build(&g, p, np, &cur, err, sizeof err);
  }
  if (rc) {
    fprintf(stderr, "label_bench: %s\n", err);
    return 1;
  }
  unsigned long writes = 0, rebuilds = 0;
  for (unsigned u = 0; u < updates; u++) {
    if (u % 2 == 0) rand_prefix(&p[np++], aw, g.results);
    else {
      size_t i = rnd() % np;
      np--;
      p[i] = p[np];
    }
    struct lpm_image next;
    rc = lpm_build_from(&cur, p, np, &next, err, sizeof err);
    if (rc == -EAGAIN) {
      rebuilds++;
      rc = lpm_build(&g, p, np, &next, err, sizeof err);
    }
    if (rc == -EINVAL) {  /* drew a duplicate: undo */
      np--;
      continue;
    }
    if (rc) {
      fprintf(stderr, "label_bench: %s\n", err);
      return 1;
    }
    writes += 2 * lpm_diff(&cur, &next, NULL, 0);  /* inactive bank, then the other */
    lpm_image_free(&cur);
    cur = next;
  }
  printf("label_update_writes_per_prefix%s: %.2f node writes (both banks; %u single-prefix "
         "adds/removes on %u prefixes, %lu full rebuilds)\n", strcmp(fam, "v4") ? "_v6" : "",
         (double)writes / updates,
         updates, n, rebuilds);
  lpm_image_free(&cur);
  free(p);
  return 0;
}

int main(int argc, char **argv)
{
  unsigned updates = argc > 1 ? (unsigned)atoi(argv[1]) : 400;
  struct lpm_geom v4 = LPM_GEOM_V4, v6 = LPM_GEOM_V6;
  return run("v4", v4, 32, 60000, updates) || run("v6", v6, 128, 15000, updates);
}

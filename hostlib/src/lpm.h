/* SPDX-License-Identifier: Apache-2.0 */
/* Longest-prefix match as the label stage's block RAM holds it (hdl/rtl/lpm.sv): a B+tree over
 * the interval boundaries of a prefix set, one tree per address family, keys {context, address}.
 *
 * A set of nested prefixes cuts the key space into at most 2N + 1 intervals; each is answered by
 * its longest covering prefix (result row 0: none). lpm_build() turns the prefixes into those
 * intervals and packs them into fixed-height tree levels exactly as the hardware reads them (node
 * word layout: lpm.sv header); lpm_lookup() is the bit-exact model of a search;
 * lpm_build_from() refills only the leaves of an existing tree when the new intervals fit its
 * leaf ranges (an update then rewrites the changed leaves, not the tree); lpm_diff() lists the
 * node writes that turn one image into another (the banked update of one bank).
 * Lifecycle: lpm_build/lpm_build_from -> lpm_lookup/lpm_diff -> lpm_image_free (NULL-safe). */
#ifndef NSGNIC_LPM_H
#define NSGNIC_LPM_H

#include <stddef.h>
#include <stdint.h>

#include "nsgnic/abi.h"

#ifdef __cplusplus
extern "C" {
#endif

#define LPM_KEY_WORDS 5   /* keys up to 160 bits: {context, IPv6 address} */
#define LPM_MAX_LEVELS 12

/* The parameters of one lpm.sv instance (same names, same ranges). */
struct lpm_geom {
  unsigned key_bits;    /* KeyW */
  unsigned fanout;      /* Fanout: power of two, 4..16 */
  unsigned levels;      /* Levels: 1..12 */
  unsigned leaf_nodes;  /* LeafNodes */
  unsigned results;     /* Results (rows of the result table) */
};

/* The realistic label stage (docs/datapath.md, Label stage): 11 context bits (2,048 label
 * contexts), fanout 8, 6 levels; IPv4 20,480 leaves (143,360 intervals: any 65,536 prefixes),
 * IPv6 5,120 leaves (35,840 intervals: any 16,384 prefixes). */
#define LPM_CTX_BITS NSGNIC_LPM_CTX_BITS
#define LPM_GEOM_V4 {LPM_CTX_BITS + 32, NSGNIC_LPM_FANOUT, NSGNIC_LPM_LEVELS, NSGNIC_LPM4_LEAF_NODES, NSGNIC_LPM4_RESULTS}
#define LPM_GEOM_V6 {LPM_CTX_BITS + 128, NSGNIC_LPM_FANOUT, NSGNIC_LPM_LEVELS, NSGNIC_LPM6_LEAF_NODES, NSGNIC_LPM6_RESULTS}

unsigned lpm_ptr_bits(const struct lpm_geom *g);
unsigned lpm_cnt_bits(const struct lpm_geom *g);
unsigned lpm_node_bits(const struct lpm_geom *g);
unsigned lpm_node_words(const struct lpm_geom *g);
/* Nodes of level l (0 = root, levels-1 = leaves), as lpm.sv's level_depth. */
unsigned lpm_level_depth(const struct lpm_geom *g, unsigned l);
/* Intervals the leaves hold at the builder's fill (fanout - 1 per leaf): the capacity. */
unsigned long lpm_interval_capacity(const struct lpm_geom *g);
/* Returns 0, or -EINVAL with a message when the geometry is outside lpm.sv's ranges. */
int lpm_geom_check(const struct lpm_geom *g, char *err, size_t errlen);

/* One prefix: the top `len` bits of key (key_bits wide, little-endian words) -> result row. */
struct lpm_prefix {
  uint32_t key[LPM_KEY_WORDS];
  unsigned len;
  unsigned result;  /* 1..results-1 (0 is "no match") */
};

struct lpm_image {
  struct lpm_geom g;
  uint32_t *node[LPM_MAX_LEVELS];  /* level l: alloc[l] x lpm_node_words words */
  unsigned used[LPM_MAX_LEVELS];   /* nodes in use per level */
  unsigned alloc[LPM_MAX_LEVELS];  /* nodes held per level (>= used; the rest of the level's
                                    * lpm_level_depth nodes read as zero words, as after reset) */
  uint32_t *leaf_lo;               /* host only: first key of each leaf's range (used leaves) */
  size_t intervals;                /* intervals after merging equal neighbours */
};

/* Builds a fresh tree. Duplicate (key, len) or a result out of range: -EINVAL; a tree that does
 * not fit the geometry: -ENOSPC; the message names the table and what to grow. */
int lpm_build(const struct lpm_geom *g, const struct lpm_prefix *p, size_t n, struct lpm_image *out,
              char *err, size_t errlen);
/* Like lpm_build but keeps old's inner levels and leaf ranges, refilling the leaves; returns
 * -EAGAIN (out untouched) when a leaf range would need more than `fanout` intervals. */
int lpm_build_from(const struct lpm_image *old, const struct lpm_prefix *p, size_t n,
                   struct lpm_image *out, char *err, size_t errlen);
void lpm_image_free(struct lpm_image *im);
/* A deep copy; -ENOMEM. */
int lpm_image_copy(const struct lpm_image *src, struct lpm_image *dst);

/* The result row a search of key answers (bit-exact with the hardware). */
unsigned lpm_lookup(const struct lpm_image *im, const uint32_t key[LPM_KEY_WORDS]);

/* One node write: level, node index, and its word. */
struct lpm_write {
  unsigned level, addr;
  const uint32_t *data;  /* points into the `to` image */
};
/* Writes turning `from` into `to` (same geometry) in level order; returns their number, fills at
 * most max of them (w may be NULL to count). Nodes either image does not hold compare as zero
 * words (a node `to` no longer uses is written to zero, data pointing to a static zero word). */
size_t lpm_diff(const struct lpm_image *from, const struct lpm_image *to, struct lpm_write *w,
                size_t max);
/* Applies one node write (as the device would): grows the level's held nodes as needed;
 * -EINVAL (addr outside the level) or -ENOMEM. */
int lpm_image_write(struct lpm_image *im, unsigned level, unsigned addr, const uint32_t *data);

#ifdef __cplusplus
}
#endif
#endif

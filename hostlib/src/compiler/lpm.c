/* SPDX-License-Identifier: Apache-2.0 */
/* Builder and bit-exact model of the block-RAM longest-prefix match (lpm.h, hdl/rtl/lpm.sv). */
#include "lpm.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned clog2(unsigned long v)
{
  unsigned b = 0;
  while ((1ul << b) < v) b++;
  return b;
}

unsigned lpm_cnt_bits(const struct lpm_geom *g) { return clog2(g->fanout); }

unsigned lpm_ptr_bits(const struct lpm_geom *g)
{
  unsigned d = g->leaf_nodes > g->results ? g->leaf_nodes : g->results;
  return d > 1 ? clog2(d) : 1;
}

unsigned lpm_node_bits(const struct lpm_geom *g)
{
  return lpm_cnt_bits(g) + (g->fanout - 1) * g->key_bits + g->fanout * lpm_ptr_bits(g);
}

unsigned lpm_node_words(const struct lpm_geom *g) { return (lpm_node_bits(g) + 31) / 32; }

unsigned lpm_level_depth(const struct lpm_geom *g, unsigned l)
{
  unsigned long d = g->leaf_nodes, cap = 1;
  for (unsigned k = g->levels - 1; k > l; k--) d = (d + g->fanout - 1) / g->fanout;
  for (unsigned k = 0; k < l; k++)
    if (cap < d) cap *= g->fanout;
  return (unsigned)(d < cap ? d : cap);
}

unsigned long lpm_interval_capacity(const struct lpm_geom *g)
{
  /* the leaves at the builder's fill, and what the inner levels can address */
  unsigned long leaves = g->leaf_nodes, reach = 1;
  for (unsigned l = 0; l + 1 < g->levels; l++) reach *= g->fanout;
  if (reach < leaves) leaves = reach;
  return leaves * (g->fanout - 1);
}

int lpm_geom_check(const struct lpm_geom *g, char *err, size_t errlen)
{
  if (g->fanout < 4 || g->fanout > 16 || (g->fanout & (g->fanout - 1)) || g->levels < 1 ||
      g->levels > LPM_MAX_LEVELS || g->leaf_nodes < 1 || g->results < 2 || g->key_bits < 1 ||
      g->key_bits > 32 * LPM_KEY_WORDS) {
    snprintf(err, errlen, "label LPM: geometry out of range (key %u bits, fanout %u, %u levels)",
             g->key_bits, g->fanout, g->levels);
    return -EINVAL;
  }
  return 0;
}

/* ---- multiword keys (little-endian 32-bit words, key_bits wide) ---------------------------- */
typedef struct {
  uint32_t w[LPM_KEY_WORDS];
} lkey_t;

static int key_cmp(const lkey_t *a, const lkey_t *b)
{
  for (int i = LPM_KEY_WORDS - 1; i >= 0; i--)
    if (a->w[i] != b->w[i]) return a->w[i] < b->w[i] ? -1 : 1;
  return 0;
}

static void key_mask_low(lkey_t *k, unsigned nbits, bool set)  /* bits nbits-1..0 */
{
  for (unsigned i = 0; i < LPM_KEY_WORDS; i++) {
    uint32_t m = nbits >= 32 * (i + 1) ? 0xffffffffu : nbits <= 32 * i ? 0 : (1u << (nbits - 32 * i)) - 1;
    k->w[i] = set ? k->w[i] | m : k->w[i] & ~m;
  }
}

static void key_trim(lkey_t *k, unsigned bits) /* clear bits >= bits */
{
  lkey_t all;
  memset(&all, 0, sizeof all);
  key_mask_low(&all, bits, true);
  for (unsigned i = 0; i < LPM_KEY_WORDS; i++) k->w[i] &= all.w[i];
}

static bool key_inc(lkey_t *k, unsigned bits) /* k + 1; false on overflow of `bits` */
{
  for (unsigned i = 0; i < LPM_KEY_WORDS; i++)
    if (++k->w[i] != 0) break;
  lkey_t t = *k;
  key_trim(&t, bits);
  if (key_cmp(&t, k) != 0) return false;
  for (unsigned i = 0; i < LPM_KEY_WORDS; i++)
    if (k->w[i]) return true;
  return false;
}

/* ---- bit fields of a node word -------------------------------------------------------------- */
static void put_bits(uint32_t *w, unsigned lsb, unsigned width, const uint32_t *v)
{
  for (unsigned b = 0; b < width; b++) {
    unsigned d = lsb + b;
    uint32_t bit = (v[b / 32] >> (b % 32)) & 1u;
    w[d / 32] = (w[d / 32] & ~(1u << (d % 32))) | bit << (d % 32);
  }
}

static void get_bits(const uint32_t *w, unsigned lsb, unsigned width, uint32_t *v, unsigned vwords)
{
  memset(v, 0, vwords * sizeof *v);
  for (unsigned b = 0; b < width; b++) {
    unsigned s = lsb + b;
    v[b / 32] |= ((w[s / 32] >> (s % 32)) & 1u) << (b % 32);
  }
}

static unsigned get_uint(const uint32_t *w, unsigned lsb, unsigned width)
{
  uint32_t v;
  get_bits(w, lsb, width, &v, 1);
  return v;
}

static uint32_t *node_at(const struct lpm_image *im, unsigned l, unsigned idx)
{
  return im->node[l] + (size_t)idx * lpm_node_words(&im->g);
}

/* the largest node word: fanout 16, 160-bit keys, 32-bit pointers */
#define LPM_MAX_NODE_WORDS ((4 + 15 * 32 * LPM_KEY_WORDS + 16 * 32 + 31) / 32)
static const uint32_t zero_node[LPM_MAX_NODE_WORDS];

/* node idx of level l for reading: a node the image does not hold reads as zeros */
static const uint32_t *node_ro(const struct lpm_image *im, unsigned l, unsigned idx)
{
  return idx < im->alloc[l] ? node_at(im, l, idx) : zero_node;
}

/* Writes node idx of level l: n entries, keys[1..n-1] as the keys, ptrs[0..n-1]. */
static void pack_node(struct lpm_image *im, unsigned l, unsigned idx, const lkey_t *keys,
                      const unsigned *ptrs, unsigned n)
{
  const struct lpm_geom *g = &im->g;
  unsigned cw = lpm_cnt_bits(g), pw = lpm_ptr_bits(g);
  uint32_t *w = node_at(im, l, idx);
  memset(w, 0, lpm_node_words(g) * sizeof *w);
  uint32_t cnt = n - 1;
  put_bits(w, 0, cw, &cnt);
  for (unsigned i = 1; i < n; i++) put_bits(w, cw + (i - 1) * g->key_bits, g->key_bits, keys[i].w);
  for (unsigned j = 0; j < n; j++) {
    uint32_t p = ptrs[j];
    put_bits(w, cw + (g->fanout - 1) * g->key_bits + j * pw, pw, &p);
  }
}

unsigned lpm_lookup(const struct lpm_image *im, const uint32_t key[LPM_KEY_WORDS])
{
  const struct lpm_geom *g = &im->g;
  unsigned cw = lpm_cnt_bits(g), pw = lpm_ptr_bits(g), ptr = 0;
  lkey_t k;
  memcpy(k.w, key, sizeof k.w);
  key_trim(&k, g->key_bits);
  for (unsigned l = 0; l < g->levels; l++) {
    if (ptr >= lpm_level_depth(g, l)) return 0;  /* never built; the RAM would read garbage */
    const uint32_t *w = node_ro(im, l, ptr);
    unsigned cnt = get_uint(w, 0, cw), j = 0;
    for (unsigned i = 0; i < g->fanout - 1; i++) {
      lkey_t ki;
      get_bits(w, cw + i * g->key_bits, g->key_bits, ki.w, LPM_KEY_WORDS);
      if (i < cnt && key_cmp(&ki, &k) <= 0) j++;
    }
    ptr = get_uint(w, cw + (g->fanout - 1) * g->key_bits + j * pw, pw);
  }
  return ptr;
}

/* ---- prefixes -> merged intervals ----------------------------------------------------------- */
struct ivl {
  lkey_t lo;
  unsigned res;
};

struct pfx {
  lkey_t lo, hi;
  unsigned len, res;
};

static int pfx_order(const void *a, const void *b)
{
  const struct pfx *x = a, *y = b;
  int c = key_cmp(&x->lo, &y->lo);
  if (c) return c;
  return x->len < y->len ? -1 : x->len > y->len;
}

static void emit(struct ivl *v, size_t *n, const lkey_t *lo, unsigned res)
{
  if (*n && key_cmp(&v[*n - 1].lo, lo) == 0) v[*n - 1].res = res;
  else {
    v[*n].lo = *lo;
    v[*n].res = res;
    (*n)++;
  }
}

/* Intervals (ascending starts, first at 0, neighbours with different results); NULL on error. */
static struct ivl *intervals(const struct lpm_geom *g, const struct lpm_prefix *p, size_t n,
                             size_t *out_n, char *err, size_t errlen, int *rc)
{
  struct pfx *s = calloc(n ? n : 1, sizeof *s);
  size_t *stack = calloc(n ? n : 1, sizeof *stack);
  struct ivl *v = calloc(2 * n + 1, sizeof *v);
  if (!s || !stack || !v) {
    snprintf(err, errlen, "label LPM: out of memory");
    *rc = -ENOMEM;
    goto fail;
  }
  for (size_t i = 0; i < n; i++) {
    if (p[i].len > g->key_bits || p[i].result == 0 || p[i].result >= g->results) {
      snprintf(err, errlen, "label LPM: prefix %zu: length %u or result row %u out of range", i,
               p[i].len, p[i].result);
      *rc = -EINVAL;
      goto fail;
    }
    memcpy(s[i].lo.w, p[i].key, sizeof s[i].lo.w);
    key_trim(&s[i].lo, g->key_bits);
    key_mask_low(&s[i].lo, g->key_bits - p[i].len, false);
    s[i].hi = s[i].lo;
    key_mask_low(&s[i].hi, g->key_bits - p[i].len, true);
    s[i].len = p[i].len;
    s[i].res = p[i].result;
  }
  qsort(s, n, sizeof *s, pfx_order);
  for (size_t i = 1; i < n; i++)
    if (!key_cmp(&s[i].lo, &s[i - 1].lo) && s[i].len == s[i - 1].len) {
      snprintf(err, errlen, "label LPM: duplicate prefix (length %u)", s[i].len);
      *rc = -EINVAL;
      goto fail;
    }
  size_t nv = 0, sp = 0;
  lkey_t zero;
  memset(&zero, 0, sizeof zero);
  emit(v, &nv, &zero, 0);
  for (size_t i = 0; i <= n; i++) {
    while (sp && (i == n || key_cmp(&s[stack[sp - 1]].hi, &s[i].lo) < 0)) {
      lkey_t end = s[stack[--sp]].hi;
      if (key_inc(&end, g->key_bits)) emit(v, &nv, &end, sp ? s[stack[sp - 1]].res : 0);
    }
    if (i == n) break;
    stack[sp++] = i;
    emit(v, &nv, &s[i].lo, s[i].res);
  }
  size_t m = 0;  /* merge neighbours with equal results */
  for (size_t i = 0; i < nv; i++)
    if (m == 0 || v[m - 1].res != v[i].res) v[m++] = v[i];
  free(s);
  free(stack);
  *out_n = m;
  return v;
fail:
  free(s);
  free(stack);
  free(v);
  return NULL;
}

/* Holds the nodes in use (im->used[], at least one per level) and the used leaves' first keys:
 * a build touches only what the table needs, not the geometry's full depth (~2 MB for the
 * realistic trees). */
static int image_alloc(const struct lpm_geom *g, const unsigned *used, struct lpm_image *im)
{
  memset(im, 0, sizeof *im);
  im->g = *g;
  for (unsigned l = 0; l < g->levels; l++) {
    unsigned n = used[l] ? used[l] : 1;
    im->node[l] = calloc((size_t)n * lpm_node_words(g), sizeof(uint32_t));
    if (!im->node[l]) return -ENOMEM;
    im->alloc[l] = n;
    im->used[l] = used[l];
  }
  unsigned nl = used[g->levels - 1];
  im->leaf_lo = calloc(nl ? nl : 1, sizeof(lkey_t));
  return im->leaf_lo ? 0 : -ENOMEM;
}

void lpm_image_free(struct lpm_image *im)
{
  if (!im) return;
  for (unsigned l = 0; l < LPM_MAX_LEVELS; l++) free(im->node[l]);
  free(im->leaf_lo);
  memset(im, 0, sizeof *im);
}

/* Inner levels from the leaves' first keys: node k of level l has the children k*F .. k*F+F-1
 * of level l+1 (full groups, in key order), each keyed by the first key of its first leaf. */
static void pack_inner(struct lpm_image *im, lkey_t *keys, unsigned *ptrs)
{
  const struct lpm_geom *g = &im->g;
  const lkey_t *lo = (const lkey_t *)im->leaf_lo;
  unsigned leaf = g->levels - 1;
  for (unsigned l = leaf; l-- > 0;) {
    size_t span = 1;  /* leaves under one node of level l+1 */
    for (unsigned k = l + 1; k < leaf; k++) span *= g->fanout;
    for (unsigned k = 0; k < im->used[l]; k++) {
      unsigned n = 0;
      for (unsigned j = 0; j < g->fanout; j++) {
        size_t c = (size_t)k * g->fanout + j;
        if (c >= im->used[l + 1]) break;
        keys[n] = lo[c * span];
        ptrs[n++] = (unsigned)c;
      }
      pack_node(im, l, k, keys, ptrs, n);
    }
  }
}

/* Leaf i with first keys lo: its intervals are first_ivl(lo[i]) .. first_ivl(lo[i+1]) - 1 (the
 * first one keyed lo[i]); first_ivl(k) = the interval containing k. */
static size_t first_ivl(const struct ivl *v, size_t m, const lkey_t *k)
{
  size_t a = 0, b = m;  /* last j with v[j].lo <= k (v[0].lo = 0) */
  while (b - a > 1) {
    size_t c = (a + b) / 2;
    if (key_cmp(&v[c].lo, k) <= 0) a = c; else b = c;
  }
  return a;
}

static void pack_leaves(struct lpm_image *im, const struct ivl *v, size_t m, lkey_t *keys,
                        unsigned *ptrs)
{
  const lkey_t *lo = (const lkey_t *)im->leaf_lo;
  unsigned leaf = im->g.levels - 1, nl = im->used[leaf];
  for (unsigned i = 0; i < nl; i++) {
    size_t j0 = first_ivl(v, m, &lo[i]), j1 = i + 1 < nl ? first_ivl(v, m, &lo[i + 1]) + 1 : m;
    if (i + 1 < nl && key_cmp(&v[j1 - 1].lo, &lo[i + 1]) == 0) j1--;
    unsigned n = 0;
    for (size_t t = j0; t < j1; t++, n++) {
      keys[n] = t == j0 ? lo[i] : v[t].lo;
      ptrs[n] = v[t].res;
    }
    pack_node(im, leaf, i, keys, ptrs, n);
  }
}

int lpm_build(const struct lpm_geom *g, const struct lpm_prefix *p, size_t n, struct lpm_image *out,
              char *err, size_t errlen)
{
  int rc = lpm_geom_check(g, err, errlen);
  if (rc) return rc;
  size_t m;
  struct ivl *v = intervals(g, p, n, &m, err, errlen, &rc);
  if (!v) return rc;
  unsigned f = g->fanout - 1;  /* leaf fill: one free slot per leaf for updates */
  size_t leaves = (m + f - 1) / f;
  if (leaves > g->leaf_nodes || m > lpm_interval_capacity(g)) {
    snprintf(err, errlen, "label LPM: %zu prefixes make %zu intervals but the table holds %lu "
             "(%u leaf nodes, %u levels of fanout %u): grow LeafNodes/Levels of the label stage",
             n, m, lpm_interval_capacity(g), g->leaf_nodes, g->levels, g->fanout);
    free(v);
    return -ENOSPC;
  }
  struct lpm_image im;
  memset(&im, 0, sizeof im);
  lkey_t *keys = calloc(g->fanout, sizeof *keys);
  unsigned *ptrs = calloc(g->fanout, sizeof *ptrs);
  unsigned leaf = g->levels - 1, used[LPM_MAX_LEVELS] = {0};
  used[leaf] = (unsigned)leaves;
  for (unsigned l = leaf; l-- > 0;) {
    used[l] = (used[l + 1] + g->fanout - 1) / g->fanout;
    if (used[l] > lpm_level_depth(g, l)) break;
  }
  for (unsigned l = 0; l < leaf; l++)
    if (used[l] > lpm_level_depth(g, l) || (l == 0 && used[0] != 1)) {
      snprintf(err, errlen, "label LPM: %zu intervals need more than %u levels of fanout %u: "
               "grow Levels of the label stage", m, g->levels, g->fanout);
      rc = -ENOSPC;
      goto out;
    }
  rc = image_alloc(g, used, &im);
  if (rc || !keys || !ptrs) {
    snprintf(err, errlen, "label LPM: out of memory");
    rc = -ENOMEM;
    goto out;
  }
  lkey_t *lo = (lkey_t *)im.leaf_lo;
  for (size_t i = 0; i < leaves; i++) lo[i] = v[i * f].lo;
  pack_leaves(&im, v, m, keys, ptrs);
  pack_inner(&im, keys, ptrs);
  im.intervals = m;
  *out = im;
  memset(&im, 0, sizeof im);
out:
  lpm_image_free(&im);
  free(keys);
  free(ptrs);
  free(v);
  return rc;
}

int lpm_build_from(const struct lpm_image *old, const struct lpm_prefix *p, size_t n,
                   struct lpm_image *out, char *err, size_t errlen)
{
  const struct lpm_geom *g = &old->g;
  const unsigned F = g->fanout;
  int rc;
  size_t m;
  struct ivl *v = intervals(g, p, n, &m, err, errlen, &rc);
  if (!v) return rc;
  struct lpm_image im;
  lkey_t *keys = calloc(F, sizeof *keys);
  unsigned *ptrs = calloc(F, sizeof *ptrs);
  rc = image_alloc(g, old->used, &im);
  if (rc || !keys || !ptrs) {
    snprintf(err, errlen, "label LPM: out of memory");
    rc = -ENOMEM;
    goto out;
  }
  unsigned leaf = g->levels - 1, nl = old->used[leaf];
  memcpy(im.leaf_lo, old->leaf_lo, (size_t)nl * sizeof(lkey_t));
  lkey_t *lo = (lkey_t *)im.leaf_lo;
  /* a leaf with more than F intervals hands its first ones to the previous leaf when that one
   * has room, else its last ones to the next leaf (which passes its own excess on, and so on):
   * each move shifts one leaf boundary, i.e. rewrites two leaves and the inner nodes holding
   * that boundary. Only the last leaf overflowing means a fresh build. */
  for (unsigned i = 0; i < nl; i++) {
    size_t j0 = first_ivl(v, m, &lo[i]);
    size_t j1 = i + 1 < nl ? first_ivl(v, m, &lo[i + 1]) + 1 : m;
    if (i + 1 < nl && key_cmp(&v[j1 - 1].lo, &lo[i + 1]) == 0) j1--;
    if (j1 - j0 <= F) continue;
    if (i > 0) {
      size_t h0 = first_ivl(v, m, &lo[i - 1]);
      if (j1 - F - h0 <= F) {
        lo[i] = v[j1 - F].lo;
        continue;
      }
    }
    if (i + 1 < nl) {
      lo[i + 1] = v[j0 + F].lo;
      continue;
    }
    rc = -EAGAIN;
    goto out;
  }
  pack_leaves(&im, v, m, keys, ptrs);
  pack_inner(&im, keys, ptrs);
  im.intervals = m;
  *out = im;
  memset(&im, 0, sizeof im);
out:
  lpm_image_free(&im);
  free(keys);
  free(ptrs);
  free(v);
  return rc;
}

size_t lpm_diff(const struct lpm_image *from, const struct lpm_image *to, struct lpm_write *w,
                size_t max)
{
  const struct lpm_geom *g = &to->g;
  unsigned nw = lpm_node_words(g);
  size_t n = 0;
  for (unsigned l = 0; l < g->levels; l++) {
    unsigned held = from->alloc[l] > to->alloc[l] ? from->alloc[l] : to->alloc[l];
    for (unsigned i = 0; i < held; i++) {
      const uint32_t *a = node_ro(from, l, i), *b = node_ro(to, l, i);
      if (!memcmp(a, b, nw * sizeof *a)) continue;
      if (w && n < max) w[n] = (struct lpm_write){l, i, b};
      n++;
    }
  }
  return n;
}

int lpm_image_write(struct lpm_image *im, unsigned level, unsigned addr, const uint32_t *data)
{
  const struct lpm_geom *g = &im->g;
  size_t nw = lpm_node_words(g);
  if (level >= g->levels || addr >= lpm_level_depth(g, level)) return -EINVAL;
  if (addr >= im->alloc[level]) {
    uint32_t *p = realloc(im->node[level], (size_t)(addr + 1) * nw * sizeof *p);
    if (!p) return -ENOMEM;
    memset(p + (size_t)im->alloc[level] * nw, 0, (size_t)(addr + 1 - im->alloc[level]) * nw * sizeof *p);
    im->node[level] = p;
    im->alloc[level] = addr + 1;
  }
  memcpy(node_at(im, level, addr), data, nw * sizeof *data);
  return 0;
}

int lpm_image_copy(const struct lpm_image *src, struct lpm_image *dst)
{
  struct lpm_image im;
  int rc = image_alloc(&src->g, src->alloc, &im);
  if (rc) {
    lpm_image_free(&im);
    return rc;
  }
  for (unsigned l = 0; l < src->g.levels; l++)
    memcpy(im.node[l], src->node[l],
           (size_t)src->alloc[l] * lpm_node_words(&src->g) * sizeof(uint32_t));
  memcpy(im.used, src->used, sizeof im.used);
  memcpy(im.leaf_lo, src->leaf_lo, (size_t)src->used[src->g.levels - 1] * sizeof(lkey_t));
  im.intervals = src->intervals;
  *dst = im;
  return 0;
}

/* SPDX-License-Identifier: Apache-2.0 */
/* Equivalence-class bit-vector classifier (see the design essay in classify.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "classify.h"

enum { F_SRC, F_DST, F_SPORT, F_DPORT, F_PROTO, NF };

/* One field: interval starts (sorted, first = 0) and their classes; class bit vectors. */
struct field {
  size_t nb;          /* intervals */
  uint32_t *b32;      /* starts (32-bit fields) */
  nsg_u128 *b128;     /* starts (128-bit address fields) */
  uint32_t *cls;      /* class of each interval */
  uint32_t nclass;
  uint64_t *bv;       /* nclass x nwords */
  uint64_t *agg;      /* nclass x nagg */
  uint32_t proto_cls[256];
  /* 32-bit address fields: l1[h] = last interval starting <= h << L1_SHIFT (h 0..2^L1_BITS) */
  uint16_t *l1_16;    /* when the interval count fits 16 bits (cache footprint halved) */
  uint32_t *l1_32;
  /* port fields with more than SMALL_FIELD intervals: the class of every port 0..NSG_BV_NOPORT */
  uint16_t *d16;
  uint32_t *d32;
};

#define L1_BITS 12
#define L1_SHIFT (32 - L1_BITS)
#define SMALL_FIELD 64 /* intervals searched directly (one cache line) */

struct nsg_bv {
  unsigned addr_bits;
  size_t nrules, nwords, nagg;
  struct field f[NF];
};

/* ---- build ---------------------------------------------------------------------------------- */
struct event {
  nsg_u128 pos;
  uint32_t rule;
  int32_t delta;
};

static int ev_cmp(const void *a, const void *b)
{
  const struct event *x = a, *y = b;
  if (x->pos != y->pos)
    return x->pos < y->pos ? -1 : 1;
  return 0;
}

/* Deduplicating store of class bit vectors. */
struct classes {
  size_t nwords, n, cap;
  uint64_t *bv;
  uint32_t *slot; /* open addressing: class id + 1, 0 empty */
  size_t nslot;
};

static uint64_t bv_hash(const uint64_t *w, size_t n)
{
  uint64_t h = 0x9e3779b97f4a7c15ull;
  for (size_t i = 0; i < n; i++) {
    h ^= w[i];
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 29;
  }
  return h;
}

static long class_of(struct classes *c, const uint64_t *w)
{
  if (2 * (c->n + 1) > c->nslot) {
    size_t ns = c->nslot ? c->nslot * 2 : 64;
    uint32_t *s = calloc(ns, sizeof *s);
    if (!s)
      return -ENOMEM;
    for (size_t i = 0; i < c->n; i++) {
      size_t h = bv_hash(c->bv + i * c->nwords, c->nwords) & (ns - 1);
      while (s[h])
        h = (h + 1) & (ns - 1);
      s[h] = (uint32_t)i + 1;
    }
    free(c->slot);
    c->slot = s;
    c->nslot = ns;
  }
  size_t h = bv_hash(w, c->nwords) & (c->nslot - 1);
  while (c->slot[h]) {
    uint32_t id = c->slot[h] - 1;
    if (memcmp(c->bv + (size_t)id * c->nwords, w, c->nwords * 8) == 0)
      return id;
    h = (h + 1) & (c->nslot - 1);
  }
  if (c->n == c->cap) {
    size_t nc = c->cap ? c->cap * 2 : 16;
    uint64_t *bv = realloc(c->bv, nc * c->nwords * 8);
    if (!bv)
      return -ENOMEM;
    c->bv = bv;
    c->cap = nc;
  }
  memcpy(c->bv + c->n * c->nwords, w, c->nwords * 8);
  c->slot[h] = (uint32_t)c->n + 1;
  return (long)c->n++;
}

static int finish_classes(struct nsg_bv *e, struct field *f, struct classes *c)
{
  f->nclass = (uint32_t)c->n;
  f->bv = c->bv;
  c->bv = NULL;
  free(c->slot);
  c->slot = NULL;
  f->agg = calloc((size_t)f->nclass * e->nagg, 8);
  if (!f->agg)
    return -ENOMEM;
  for (size_t k = 0; k < f->nclass; k++)
    for (size_t w = 0; w < e->nwords; w++)
      if (f->bv[k * e->nwords + w])
        f->agg[k * e->nagg + w / 64] |= 1ull << (w % 64);
  return 0;
}

/* Builds one range field (addresses or ports) by a sweep over the range end points. */
static int build_range_field(struct nsg_bv *e, struct field *f, const struct nsg_bv_rule *rules, int which,
                             nsg_u128 max)
{
  size_t nev = 0;
  for (size_t r = 0; r < e->nrules; r++) {
    const struct nsg_bv_rule *ru = &rules[r];
    nev += 2 * (which == F_SRC ? ru->nsrc : which == F_DST ? ru->ndst : which == F_SPORT ? ru->nsport : ru->ndport);
  }
  struct event *ev = malloc((nev ? nev : 1) * sizeof *ev);
  uint32_t *cnt = calloc(e->nrules ? e->nrules : 1, sizeof *cnt);
  uint64_t *cur = calloc(e->nwords, 8);
  struct classes cl = {.nwords = e->nwords};
  int rc = -ENOMEM;
  if (!ev || !cnt || !cur)
    goto out;
  nev = 0;
  for (size_t r = 0; r < e->nrules; r++) {
    const struct nsg_bv_rule *ru = &rules[r];
    const struct nsg_bv_range *rg = which == F_SRC ? ru->src : which == F_DST ? ru->dst : which == F_SPORT ? ru->sport : ru->dport;
    size_t n = which == F_SRC ? ru->nsrc : which == F_DST ? ru->ndst : which == F_SPORT ? ru->nsport : ru->ndport;
    for (size_t i = 0; i < n; i++) {
      nsg_u128 lo = rg[i].lo, hi = rg[i].hi > max ? max : rg[i].hi;
      if (lo > hi)
        continue;
      ev[nev++] = (struct event){lo, (uint32_t)r, 1};
      if (hi != max)
        ev[nev++] = (struct event){hi + 1, (uint32_t)r, -1};
    }
  }
  qsort(ev, nev, sizeof *ev, ev_cmp);
  /* intervals: at most nev + 1 */
  size_t cap = nev + 1;
  f->cls = malloc(cap * sizeof *f->cls);
  if (e->addr_bits == 128 && (which == F_SRC || which == F_DST))
    f->b128 = malloc(cap * sizeof *f->b128);
  else
    f->b32 = malloc(cap * sizeof *f->b32);
  if (!f->cls || (!f->b128 && !f->b32))
    goto out;
  size_t i = 0;
  long prev = -1;
  nsg_u128 pos = 0;
  for (;;) {
    while (i < nev && ev[i].pos == pos) {
      uint32_t r = ev[i].rule;
      if (ev[i].delta > 0) {
        if (cnt[r]++ == 0)
          cur[r / 64] |= 1ull << (r % 64);
      } else if (--cnt[r] == 0) {
        cur[r / 64] &= ~(1ull << (r % 64));
      }
      i++;
    }
    long k = class_of(&cl, cur);
    if (k < 0)
      goto out;
    if (k != prev) {
      if (f->b128)
        f->b128[f->nb] = pos;
      else
        f->b32[f->nb] = (uint32_t)pos;
      f->cls[f->nb++] = (uint32_t)k;
      prev = k;
    }
    if (i == nev)
      break;
    pos = ev[i].pos;
  }
  rc = finish_classes(e, f, &cl);
  if (!rc && f->b32 && which >= F_SPORT && f->nb > SMALL_FIELD) {
    /* ports: a direct table (one access instead of a search) */
    if (f->nclass <= 65536)
      f->d16 = malloc((NSG_BV_NOPORT + 1) * sizeof *f->d16);
    else
      f->d32 = malloc((NSG_BV_NOPORT + 1) * sizeof *f->d32);
    if (!f->d16 && !f->d32)
      rc = -ENOMEM;
    for (size_t p = 0, j = 0; !rc && p <= NSG_BV_NOPORT; p++) {
      while (j + 1 < f->nb && f->b32[j + 1] <= p)
        j++;
      if (f->d16)
        f->d16[p] = (uint16_t)f->cls[j];
      else
        f->d32[p] = f->cls[j];
    }
  } else if (!rc && f->b32 && which < F_SPORT && f->nb > SMALL_FIELD) {
    /* addresses: a first level on the top L1_BITS bits narrows the search to a few starts */
    size_t n1 = ((size_t)1 << L1_BITS) + 1;
    if (f->nb <= 65536)
      f->l1_16 = malloc(n1 * sizeof *f->l1_16);
    else
      f->l1_32 = malloc(n1 * sizeof *f->l1_32);
    if (!f->l1_16 && !f->l1_32)
      rc = -ENOMEM;
    for (size_t h = 0, j = 0; !rc && h < n1; h++) {
      uint64_t a = (uint64_t)h << L1_SHIFT;
      while (j + 1 < f->nb && f->b32[j + 1] <= a)
        j++;
      if (f->l1_16)
        f->l1_16[h] = (uint16_t)j;
      else
        f->l1_32[h] = (uint32_t)j;
    }
  }
out:
  free(cl.bv);
  free(cl.slot);
  free(ev);
  free(cnt);
  free(cur);
  return rc;
}

static int build_proto_field(struct nsg_bv *e, struct field *f, const struct nsg_bv_rule *rules)
{
  uint64_t *cur = malloc(e->nwords * 8);
  struct classes cl = {.nwords = e->nwords};
  int rc = -ENOMEM;
  if (!cur)
    goto out;
  for (unsigned v = 0; v < 256; v++) {
    memset(cur, 0, e->nwords * 8);
    for (size_t r = 0; r < e->nrules; r++)
      if (((v ^ rules[r].proto) & rules[r].proto_mask) == 0)
        cur[r / 64] |= 1ull << (r % 64);
    long k = class_of(&cl, cur);
    if (k < 0)
      goto out;
    f->proto_cls[v] = (uint32_t)k;
  }
  rc = finish_classes(e, f, &cl);
out:
  free(cl.bv);
  free(cl.slot);
  free(cur);
  return rc;
}

void nsg_bv_free(struct nsg_bv *c)
{
  if (!c)
    return;
  for (int i = 0; i < NF; i++) {
    free(c->f[i].b32);
    free(c->f[i].b128);
    free(c->f[i].cls);
    free(c->f[i].bv);
    free(c->f[i].agg);
    free(c->f[i].l1_16);
    free(c->f[i].l1_32);
    free(c->f[i].d16);
    free(c->f[i].d32);
  }
  free(c);
}

struct nsg_bv *nsg_bv_build(unsigned addr_bits, const struct nsg_bv_rule *rules, size_t n)
{
  if ((addr_bits != 32 && addr_bits != 128) || n >= UINT32_MAX / 2) {
    errno = EINVAL;
    return NULL;
  }
  struct nsg_bv *e = calloc(1, sizeof *e);
  if (!e) {
    errno = ENOMEM;
    return NULL;
  }
  e->addr_bits = addr_bits;
  e->nrules = n;
  e->nwords = n ? (n + 63) / 64 : 1;
  e->nagg = (e->nwords + 63) / 64;
  nsg_u128 amax = addr_bits == 32 ? (nsg_u128)UINT32_MAX : ~(nsg_u128)0;
  int rc = build_range_field(e, &e->f[F_SRC], rules, F_SRC, amax);
  if (!rc)
    rc = build_range_field(e, &e->f[F_DST], rules, F_DST, amax);
  if (!rc)
    rc = build_range_field(e, &e->f[F_SPORT], rules, F_SPORT, NSG_BV_NOPORT);
  if (!rc)
    rc = build_range_field(e, &e->f[F_DPORT], rules, F_DPORT, NSG_BV_NOPORT);
  if (!rc)
    rc = build_proto_field(e, &e->f[F_PROTO], rules);
  if (rc) {
    nsg_bv_free(e);
    errno = -rc;
    return NULL;
  }
  return e;
}

size_t nsg_bv_rules(const struct nsg_bv *c)
{
  return c->nrules;
}

size_t nsg_bv_memory(const struct nsg_bv *c)
{
  size_t m = sizeof *c;
  for (int i = 0; i < NF; i++) {
    const struct field *f = &c->f[i];
    m += f->nb * (sizeof *f->cls + (f->b128 ? sizeof *f->b128 : sizeof *f->b32));
    m += (size_t)f->nclass * (c->nwords + c->nagg) * 8;
    size_t n1 = ((size_t)1 << L1_BITS) + 1;
    m += (f->l1_16 ? n1 * 2 : 0) + (f->l1_32 ? n1 * 4 : 0);
    m += (f->d16 ? (NSG_BV_NOPORT + 1) * 2 : 0) + (f->d32 ? (NSG_BV_NOPORT + 1) * 4 : 0);
  }
  return m;
}

/* ---- classify ------------------------------------------------------------------------------- */
/* Index of the last start <= key (starts[0] == 0). Branch-free. */
static inline size_t find32(const uint32_t *b, size_t n, uint32_t key)
{
  const uint32_t *base = b;
  while (n > 1) {
    size_t half = n / 2;
    base = base[half] <= key ? base + half : base;
    n -= half;
  }
  return (size_t)(base - b);
}

/* Class of a 32-bit address through the first level. */
static inline uint32_t addr32_class(const struct field *f, uint32_t key)
{
  uint32_t h = key >> L1_SHIFT, lo, hi;
  if (f->l1_16)
    lo = f->l1_16[h], hi = f->l1_16[h + 1];
  else if (f->l1_32)
    lo = f->l1_32[h], hi = f->l1_32[h + 1];
  else
    lo = 0, hi = (uint32_t)f->nb - 1;
  return f->cls[lo + find32(f->b32 + lo, hi - lo + 1, key)];
}

/* Class of a port value (0..NSG_BV_NOPORT). */
static inline uint32_t port_class(const struct field *f, uint32_t p)
{
  if (f->d16)
    return f->d16[p];
  if (f->d32)
    return f->d32[p];
  return f->cls[find32(f->b32, f->nb, p)];
}

static inline size_t find128(const nsg_u128 *b, size_t n, nsg_u128 key)
{
  const nsg_u128 *base = b;
  while (n > 1) {
    size_t half = n / 2;
    base = base[half] <= key ? base + half : base;
    n -= half;
  }
  return (size_t)(base - b);
}

static inline long intersect(const struct nsg_bv *c, const uint32_t k[NF])
{
  const size_t nw = c->nwords, na = c->nagg;
  const uint64_t *a0 = c->f[0].agg + k[0] * na, *a1 = c->f[1].agg + k[1] * na, *a2 = c->f[2].agg + k[2] * na,
                 *a3 = c->f[3].agg + k[3] * na, *a4 = c->f[4].agg + k[4] * na;
  const uint64_t *b0 = c->f[0].bv + k[0] * nw, *b1 = c->f[1].bv + k[1] * nw, *b2 = c->f[2].bv + k[2] * nw,
                 *b3 = c->f[3].bv + k[3] * nw, *b4 = c->f[4].bv + k[4] * nw;
  for (size_t a = 0; a < na; a++) {
    uint64_t x = a0[a] & a1[a] & a2[a] & a3[a] & a4[a];
    while (x) {
      size_t w = a * 64 + (size_t)__builtin_ctzll(x);
      uint64_t y = b0[w] & b1[w] & b2[w] & b3[w] & b4[w];
      if (y)
        return (long)(w * 64 + (size_t)__builtin_ctzll(y));
      x &= x - 1;
    }
  }
  return -1;
}

long nsg_bv_classify(const struct nsg_bv *c, const struct nsg_bv_key *key)
{
  uint32_t k[NF];
  if (c->addr_bits == 128) {
    k[F_SRC] = c->f[F_SRC].cls[find128(c->f[F_SRC].b128, c->f[F_SRC].nb, key->src)];
    k[F_DST] = c->f[F_DST].cls[find128(c->f[F_DST].b128, c->f[F_DST].nb, key->dst)];
  } else {
    if ((key->src >> 32) || (key->dst >> 32))
      return -1;
    k[F_SRC] = addr32_class(&c->f[F_SRC], (uint32_t)key->src);
    k[F_DST] = addr32_class(&c->f[F_DST], (uint32_t)key->dst);
  }
  uint32_t sp = key->sport > NSG_BV_NOPORT ? NSG_BV_NOPORT : key->sport;
  uint32_t dp = key->dport > NSG_BV_NOPORT ? NSG_BV_NOPORT : key->dport;
  k[F_SPORT] = port_class(&c->f[F_SPORT], sp);
  k[F_DPORT] = port_class(&c->f[F_DPORT], dp);
  k[F_PROTO] = c->f[F_PROTO].proto_cls[key->proto];
  return intersect(c, k);
}

/* Interval starts [lo, hi] of a 32-bit address's search through the first level. */
static inline void addr32_range(const struct field *f, uint32_t key, uint32_t *lo, uint32_t *hi)
{
  uint32_t h = key >> L1_SHIFT;
  if (f->l1_16)
    *lo = f->l1_16[h], *hi = f->l1_16[h + 1];
  else if (f->l1_32)
    *lo = f->l1_32[h], *hi = f->l1_32[h + 1];
  else
    *lo = 0, *hi = (uint32_t)f->nb - 1;
}

/* Binary searches of G keys in lock step: every step issues G independent loads, so the CPU
 * overlaps them instead of waiting on one dependent chain at a time. */
static inline void addr32_classes(const struct field *f, const struct nsg_bv_key4 *q, size_t g, bool dst,
                                  uint32_t *out, size_t stride)
{
  enum { G = 8 };
  const uint32_t *base[G];
  uint32_t len[G], key[G], maxlen = 1;
  for (size_t j = 0; j < g; j++) {
    uint32_t lo, hi;
    key[j] = dst ? q[j].dst : q[j].src;
    addr32_range(f, key[j], &lo, &hi);
    base[j] = f->b32 + lo;
    len[j] = hi - lo + 1;
    maxlen = len[j] > maxlen ? len[j] : maxlen;
  }
  while (maxlen > 1) {
    for (size_t j = 0; j < g; j++) {
      uint32_t half = len[j] / 2;
      base[j] = base[j][half] <= key[j] ? base[j] + half : base[j];
      len[j] -= half;
    }
    maxlen -= maxlen / 2;
  }
  for (size_t j = 0; j < g; j++)
    out[j * stride] = f->cls[base[j] - f->b32];
}

void nsg_bv_classify4_burst(const struct nsg_bv *c, const struct nsg_bv_key4 *key, long *out, size_t n)
{
  enum { G = 8 };
  const struct field *fs = &c->f[F_SRC], *fd = &c->f[F_DST], *fsp = &c->f[F_SPORT], *fdp = &c->f[F_DPORT];
  for (size_t i = 0; i < n; i += G) {
    size_t g = n - i < G ? n - i : G;
    uint32_t k[G][NF];
    addr32_classes(fs, key + i, g, false, &k[0][F_SRC], NF);
    addr32_classes(fd, key + i, g, true, &k[0][F_DST], NF);
    for (size_t j = 0; j < g; j++) {
      const struct nsg_bv_key4 *q = &key[i + j];
      k[j][F_SPORT] = port_class(fsp, q->sport > NSG_BV_NOPORT ? NSG_BV_NOPORT : q->sport);
      k[j][F_DPORT] = port_class(fdp, q->dport > NSG_BV_NOPORT ? NSG_BV_NOPORT : q->dport);
      k[j][F_PROTO] = c->f[F_PROTO].proto_cls[q->proto];
      for (int f = 0; f < NF; f++)
        __builtin_prefetch(c->f[f].agg + k[j][f] * c->nagg);
    }
    for (size_t j = 0; j < g; j++)
      out[i + j] = intersect(c, k[j]);
  }
}

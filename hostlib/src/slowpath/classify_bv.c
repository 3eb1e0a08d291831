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
  uint64_t *bv;       /* nclass x nwords (build time only) */
  uint64_t *agg;      /* nclass x nagg (build time only) */
  uint64_t *rec;      /* per class: its nagg aggregate words then its nwords vector words, so a
                         lookup's aggregate and first vector words share a cache line */
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

/* Phase-1 cross products (RFC style), built when small enough: A = (src class, dst class),
 * B = (sport class, dport class, proto class); each cell holds the class of the AND of its
 * fields' vectors, so a lookup intersects 2 (or 3) vectors instead of 5. */
struct cross {
  bool built;
  uint32_t *tab;   /* class per cell, or */
  uint16_t *tab16; /* the same when the classes fit 16 bits (half the cache footprint) */
  struct field v; /* v.bv / v.agg / v.nclass: the combined classes */
};

struct nsg_bv {
  unsigned addr_bits;
  size_t nrules, nwords, nagg, stride; /* stride = nagg + nwords: words per class record */
  struct field f[NF];
  struct cross a, b;
  /* phase 2, when both crosses exist and their product is small: the first matching rule of
   * (a class, b class), -1 none; 16-bit entries when the rules fit */
  int32_t *final;
  int16_t *final16;
};

#define CROSS_BUDGET ((size_t)1 << 26) /* word ANDs a cross product may cost to build */
#define FINAL_BUDGET ((size_t)1 << 28) /* word ANDs the phase-2 table may cost to build */
#define FINAL_CELLS16 ((size_t)1 << 21) /* phase-2 cells: 4 MiB of 16-bit entries at most */
#define FINAL_CELLS32 ((size_t)1 << 20)

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
  f->rec = malloc(((size_t)f->nclass * e->stride + 1) * 8);
  if (!f->rec)
    return -ENOMEM;
  for (size_t k = 0; k < f->nclass; k++) {
    memcpy(f->rec + k * e->stride, f->agg + k * e->nagg, e->nagg * 8);
    memcpy(f->rec + k * e->stride + e->nagg, f->bv + k * e->nwords, e->nwords * 8);
  }
  return 0;
}

/* Cross product of two or three fields' classes (c may be NULL). 1: not built (over budget). */
static int build_cross(struct nsg_bv *e, struct cross *x, const struct field *a, const struct field *b,
                       const struct field *c)
{
  size_t na = a->nclass, nb = b->nclass, nc = c ? c->nclass : 1, cells = na * nb * nc;
  if (cells > ((size_t)1 << 24) || cells * e->nwords > CROSS_BUDGET)
    return 1;
  uint64_t *ab = malloc(e->nwords * 8), *abc = malloc(e->nwords * 8);
  struct classes cl = {.nwords = e->nwords};
  int rc = -ENOMEM;
  x->tab = malloc(cells * sizeof *x->tab);
  if (!ab || !abc || !x->tab)
    goto out;
  for (size_t i = 0; i < na; i++)
    for (size_t j = 0; j < nb; j++) {
      for (size_t w = 0; w < e->nwords; w++)
        ab[w] = a->bv[i * e->nwords + w] & b->bv[j * e->nwords + w];
      for (size_t k = 0; k < nc; k++) {
        const uint64_t *v = ab;
        if (c) {
          for (size_t w = 0; w < e->nwords; w++)
            abc[w] = ab[w] & c->bv[k * e->nwords + w];
          v = abc;
        }
        long id = class_of(&cl, v);
        if (id < 0)
          goto out;
        x->tab[(i * nb + j) * nc + k] = (uint32_t)id;
      }
    }
  rc = finish_classes(e, &x->v, &cl);
  if (!rc && x->v.nclass <= 65536 && (x->tab16 = malloc(cells * sizeof *x->tab16))) {
    for (size_t i = 0; i < cells; i++)
      x->tab16[i] = (uint16_t)x->tab[i];
    free(x->tab);
    x->tab = NULL;
  }
  x->built = !rc;
out:
  free(cl.bv);
  free(cl.slot);
  free(ab);
  free(abc);
  if (rc) {
    free(x->tab);
    x->tab = NULL;
  }
  return rc;
}

static long first_of_two(const struct nsg_bv *e, const uint64_t *x, const uint64_t *y)
{
  for (size_t w = 0; w < e->nwords; w++)
    if (x[w] & y[w])
      return (long)(w * 64 + (size_t)__builtin_ctzll(x[w] & y[w]));
  return -1;
}

/* Phase 2: the rule of every (address class, port/protocol class) pair, within the budget. */
static int build_final(struct nsg_bv *e)
{
  size_t na = e->a.v.nclass, nb = e->b.v.nclass;
  bool narrow = e->nrules < INT16_MAX;
  if (na * nb > (narrow ? FINAL_CELLS16 : FINAL_CELLS32) || na * nb * e->nwords > FINAL_BUDGET)
    return 0;
  if (narrow)
    e->final16 = malloc(na * nb * sizeof *e->final16);
  else
    e->final = malloc(na * nb * sizeof *e->final);
  if (!e->final && !e->final16)
    return -ENOMEM;
  for (size_t i = 0; i < na; i++)
    for (size_t j = 0; j < nb; j++) {
      long r = first_of_two(e, e->a.v.bv + i * e->nwords, e->b.v.bv + j * e->nwords);
      if (narrow)
        e->final16[i * nb + j] = (int16_t)r;
      else
        e->final[i * nb + j] = (int32_t)r;
    }
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
    free(c->f[i].rec);
    free(c->f[i].l1_16);
    free(c->f[i].l1_32);
    free(c->f[i].d16);
    free(c->f[i].d32);
  }
  struct cross *xs[2] = {&c->a, &c->b};
  for (int i = 0; i < 2; i++) {
    free(xs[i]->tab);
    free(xs[i]->tab16);
    free(xs[i]->v.bv);
    free(xs[i]->v.agg);
    free(xs[i]->v.rec);
  }
  free(c->final);
  free(c->final16);
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
  e->stride = e->nagg + e->nwords;
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
  if (!rc)
    rc = build_cross(e, &e->b, &e->f[F_SPORT], &e->f[F_DPORT], &e->f[F_PROTO]);
  if (rc >= 0)
    rc = build_cross(e, &e->a, &e->f[F_SRC], &e->f[F_DST], NULL);
  if (rc > 0)
    rc = 0; /* over budget: that lookup intersects the fields themselves */
  if (!rc && e->a.built && e->b.built)
    rc = build_final(e);
  if (rc) {
    nsg_bv_free(e);
    errno = -rc;
    return NULL;
  }
  /* lookups read only the class records */
  struct field *fs[NF + 2] = {&e->f[0], &e->f[1], &e->f[2], &e->f[3], &e->f[4], &e->a.v, &e->b.v};
  for (int i = 0; i < NF + 2; i++) {
    free(fs[i]->bv);
    free(fs[i]->agg);
    fs[i]->bv = fs[i]->agg = NULL;
  }
  return e;
}

size_t nsg_bv_rules(const struct nsg_bv *c)
{
  return c->nrules;
}

void nsg_bv_shape(const struct nsg_bv *c, size_t intervals[5], size_t classes[5], size_t cross[3])
{
  for (int i = 0; i < NF; i++) {
    intervals[i] = i == F_PROTO ? 256 : c->f[i].nb;
    classes[i] = c->f[i].nclass;
  }
  cross[0] = c->a.built ? c->a.v.nclass : 0;
  cross[1] = c->b.built ? c->b.v.nclass : 0;
  cross[2] = c->final || c->final16 ? 1 : 0;
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
  if (c->a.built)
    m += (size_t)c->f[F_SRC].nclass * c->f[F_DST].nclass * (c->a.tab16 ? 2 : 4) + (size_t)c->a.v.nclass * (c->nwords + c->nagg) * 8;
  if (c->final || c->final16)
    m += (size_t)c->a.v.nclass * c->b.v.nclass * (c->final16 ? 2 : 4);
  if (c->b.built)
    m += (size_t)c->f[F_SPORT].nclass * c->f[F_DPORT].nclass * c->f[F_PROTO].nclass * (c->b.tab16 ? 2 : 4) +
         (size_t)c->b.v.nclass * (c->nwords + c->nagg) * 8;
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

/* First rule set in the AND of m class vectors (aggregates first). */
static inline long intersect_m(const struct nsg_bv *c, const uint64_t *const *bv, const uint64_t *const *agg, int m)
{
  for (size_t a = 0; a < c->nagg; a++) {
    uint64_t x = agg[0][a];
    for (int i = 1; i < m; i++)
      x &= agg[i][a];
    while (x) {
      size_t w = a * 64 + (size_t)__builtin_ctzll(x);
      uint64_t y = bv[0][w];
      for (int i = 1; i < m; i++)
        y &= bv[i][w];
      if (y)
        return (long)(w * 64 + (size_t)__builtin_ctzll(y));
      x &= x - 1;
    }
  }
  return -1;
}

static inline uint32_t cross_get(const struct cross *x, size_t i)
{
  return x->tab16 ? x->tab16[i] : x->tab[i];
}

/* The first matching rule from the five field classes k[]: through the cross products when built. */
static inline long intersect(const struct nsg_bv *c, const uint32_t k[NF])
{
  const uint64_t *bv[NF], *agg[NF];
  int m = 0;
  const size_t st = c->stride, na = c->nagg;
#define REC(fld, x) (agg[m] = (fld)->rec + (size_t)(x) * st, bv[m] = agg[m] + na, m++)
  uint32_t xa = 0;
  if (c->a.built) {
    xa = cross_get(&c->a, (size_t)k[F_SRC] * c->f[F_DST].nclass + k[F_DST]);
    REC(&c->a.v, xa);
  } else {
    REC(&c->f[F_SRC], k[F_SRC]);
    REC(&c->f[F_DST], k[F_DST]);
  }
  if (c->b.built) {
    uint32_t x = cross_get(&c->b, ((size_t)k[F_SPORT] * c->f[F_DPORT].nclass + k[F_DPORT]) * c->f[F_PROTO].nclass + k[F_PROTO]);
    if (c->final16)
      return c->final16[(size_t)xa * c->b.v.nclass + x];
    if (c->final)
      return c->final[(size_t)xa * c->b.v.nclass + x];
    REC(&c->b.v, x);
  } else {
    for (int f = F_SPORT; f <= F_PROTO; f++)
      REC(&c->f[f], k[f]);
  }
#undef REC
  if (m == 2 && c->nagg == 1) { /* the common case (up to 4,096 rules, both crosses built) */
    uint64_t x = agg[0][0] & agg[1][0];
    while (x) {
      size_t w = (size_t)__builtin_ctzll(x);
      uint64_t y = bv[0][w] & bv[1][w];
      if (y)
        return (long)(w * 64 + (size_t)__builtin_ctzll(y));
      x &= x - 1;
    }
    return -1;
  }
  return intersect_m(c, bv, agg, m);
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

/* The rule of an (address cross class, port/protocol cross class) pair. */
static inline long finish2(const struct nsg_bv *c, uint32_t xa, uint32_t xb)
{
  if (c->final16)
    return c->final16[(size_t)xa * c->b.v.nclass + xb];
  if (c->final)
    return c->final[(size_t)xa * c->b.v.nclass + xb];
  const uint64_t *ra = c->a.v.rec + (size_t)xa * c->stride, *rb = c->b.v.rec + (size_t)xb * c->stride;
  if (c->nagg == 1) {
    for (uint64_t x = ra[0] & rb[0]; x; x &= x - 1) {
      size_t w = (size_t)__builtin_ctzll(x);
      uint64_t y = ra[1 + w] & rb[1 + w];
      if (y)
        return (long)(w * 64 + (size_t)__builtin_ctzll(y));
    }
    return -1;
  }
  const uint64_t *bv[2] = {ra + c->nagg, rb + c->nagg}, *agg[2] = {ra, rb};
  return intersect_m(c, bv, agg, 2);
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
  enum { G = 16 };
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
  enum { G = 16 };
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
    }
    if (c->a.built && c->b.built) {
      /* both crosses: resolve and prefetch every packet's class records, then finish */
      uint32_t xa[G], xb[G];
      for (size_t j = 0; j < g; j++) {
        xa[j] = cross_get(&c->a, (size_t)k[j][F_SRC] * c->f[F_DST].nclass + k[j][F_DST]);
        xb[j] = cross_get(&c->b, ((size_t)k[j][F_SPORT] * c->f[F_DPORT].nclass + k[j][F_DPORT]) *
                                     c->f[F_PROTO].nclass + k[j][F_PROTO]);
        if (c->final16)
          __builtin_prefetch(c->final16 + (size_t)xa[j] * c->b.v.nclass + xb[j]);
        else if (!c->final) {
          __builtin_prefetch(c->a.v.rec + (size_t)xa[j] * c->stride);
          __builtin_prefetch(c->b.v.rec + (size_t)xb[j] * c->stride);
        }
      }
      for (size_t j = 0; j < g; j++)
        out[i + j] = finish2(c, xa[j], xb[j]);
      continue;
    }
    for (size_t j = 0; j < g; j++)
      out[i + j] = intersect(c, k[j]);
  }
}

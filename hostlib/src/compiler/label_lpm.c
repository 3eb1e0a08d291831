/* SPDX-License-Identifier: Apache-2.0 */
/* The compiled label table as longest-prefix-match trees (label_lpm.h). */
#include "label_lpm.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct seq_prefix {
  struct lpm_prefix p;
  size_t seq;  /* TCAM slot order: the first of equal prefixes wins */
};

static int sp_order(const void *a, const void *b)
{
  const struct seq_prefix *x = a, *y = b;
  for (int i = LPM_KEY_WORDS - 1; i >= 0; i--)
    if (x->p.key[i] != y->p.key[i]) return x->p.key[i] < y->p.key[i] ? -1 : 1;
  if (x->p.len != y->p.len) return x->p.len < y->p.len ? -1 : 1;
  return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The length of the prefix the entry's address care bits form (fam: address bits), or -1. */
static int care_prefix(const struct nsg_tentry *e, unsigned abits)
{
  int len = 0;
  for (unsigned i = 0; i < 128; i++) {
    unsigned b = 127 - i;  /* from the top of the 128-bit field */
    unsigned c = (e->care[(NSGNIC_LABEL_KEY_ADDR_LSB + b) / 32] >> ((NSGNIC_LABEL_KEY_ADDR_LSB + b) % 32)) & 1u;
    if (b >= abits) {
      if (c && abits == 32) {  /* IPv4 keys have zero upper bits: an entry may care (value 0) */
        unsigned v = (e->val[(NSGNIC_LABEL_KEY_ADDR_LSB + b) / 32] >> ((NSGNIC_LABEL_KEY_ADDR_LSB + b) % 32)) & 1u;
        if (v) return -2;  /* never matches an IPv4 key */
      }
      continue;
    }
    if (c) {
      if (len != (int)(abits - 1 - b)) return -1;
      len++;
    }
  }
  return len;
}

static long intern_row(struct nsg_label_lpm *l, const uint32_t *res, size_t cap)
{
  for (size_t r = 1; r < l->nrows; r++)  /* row 0 is "no match"; a zero result gets its own */
    if (!memcmp(l->rows[r], res, NSG_TRES_WORDS * sizeof *res)) return (long)r;
  if (l->nrows == cap) return -1;
  memcpy(l->rows[l->nrows], res, NSG_TRES_WORDS * sizeof *res);
  return (long)l->nrows++;
}

void nsg_label_geom_abi(struct nsg_label_geom *lg)
{
  *lg = (struct nsg_label_geom){{LPM_GEOM_V4, LPM_GEOM_V6}};
}

unsigned nsg_label_geom_ctx_bits(const struct nsg_label_geom *lg, char *err, size_t errlen)
{
  unsigned cb = lg->g[0].key_bits > 32 ? lg->g[0].key_bits - 32 : 0;
  if (lg->g[1].key_bits != cb + 128) {
    snprintf(err, errlen, "label stage: the IPv4 tree has %u context bits, the IPv6 tree %d",
             cb, (int)lg->g[1].key_bits - 128);
    return 0;
  }
  if (cb > 16 || (1u << cb) <= NSGNIC_CTXS) {
    snprintf(err, errlen, "label stage: %u context bits cannot hold %u label contexts and the "
             "shared one (9..16 bits)", cb, (unsigned)NSGNIC_CTXS);
    return 0;
  }
  return cb;
}

int nsg_label_lpm_build(const struct nsg_tables *t, struct nsg_label_lpm *out, char *err,
                        size_t errlen)
{
  struct nsg_label_geom lg;
  nsg_label_geom_abi(&lg);
  return nsg_label_lpm_build_geom(t, &lg, out, err, errlen);
}

/* Row interning of the context mode: open addressing over the row words. */
struct crow_set {
  uint32_t (*rows)[NSGNIC_LPM_ROW_WORDS];
  size_t n, cap;
  int32_t *h;
  size_t hcap;
};

static uint64_t crow_hash(const uint32_t *r)
{
  uint64_t x = 1469598103934665603ull;
  for (unsigned k = 0; k < NSGNIC_LPM_ROW_WORDS; k++)
    x = (x ^ r[k]) * 1099511628211ull;
  return x;
}

static long crow_intern(struct crow_set *s, const uint32_t *r)
{
  size_t i = (size_t)crow_hash(r) & (s->hcap - 1);
  for (; s->h[i] >= 0; i = (i + 1) & (s->hcap - 1))
    if (!memcmp(s->rows[s->h[i]], r, sizeof s->rows[0]))
      return s->h[i];
  if (s->n == s->cap)
    return -1;
  memcpy(s->rows[s->n], r, sizeof s->rows[0]);
  s->h[i] = (int32_t)s->n;
  return (long)s->n++;
}

/* Context mode: the trees from t->lrows, keyed {LABEL_CTX, address}, LPM_ROW rows. */
static int build_ctx(const struct nsg_tables *t, const struct nsg_label_geom *lg, unsigned cbits,
                     struct nsg_label_lpm *l, char *err, size_t errlen)
{
  const struct lpm_geom *geom = lg->g;
  size_t cap = geom[1].results < geom[0].results ? geom[1].results : geom[0].results;
  struct crow_set rs = {.cap = cap};
  rs.hcap = 1;
  while (rs.hcap < 2 * cap)
    rs.hcap *= 2;
  struct seq_prefix *sp = calloc(t->nlrows ? t->nlrows : 1, sizeof *sp);
  struct lpm_prefix *p = calloc(t->nlrows ? t->nlrows : 1, sizeof *p);
  rs.rows = calloc(cap, sizeof *rs.rows);
  rs.h = malloc(rs.hcap * sizeof *rs.h);
  int rc = 0;
  if (!sp || !p || !rs.rows || !rs.h) {
    snprintf(err, errlen, "label stage: out of memory");
    rc = -ENOMEM;
    goto out;
  }
  for (size_t i = 0; i < rs.hcap; i++)
    rs.h[i] = -1;
  rs.n = 1; /* row 0: no match (a zero row of a prefix interns to its own row) */
  l->ctx_bits = cbits;
  for (unsigned f = 0; f < 2 && rc == 0; f++) {
    unsigned abits = f ? 128 : 32;
    size_t n = 0;
    for (size_t i = 0; i < t->nlrows && rc == 0; i++) {
      const struct nsg_tlrow *x = &t->lrows[i];
      if ((x->p.fam == NSG_AF6) != (f == 1))
        continue;
      if (x->ctx >= (1u << cbits) || x->p.len > abits) {
        snprintf(err, errlen, "label stage: row %zu has context %u or length %u outside the trees (%u context bits)",
                 i, x->ctx, x->p.len, cbits);
        rc = -EINVAL;
        break;
      }
      uint32_t row[NSGNIC_LPM_ROW_WORDS] = {0};
      NSGNIC_PUT(row, LPM_ROW_LABELS_SUBNET, x->lab[0]);
      NSGNIC_PUT(row, LPM_ROW_LABELS_NIC, x->lab[1]);
      long r = crow_intern(&rs, row);
      if (r < 0) {
        snprintf(err, errlen, "label stage: more than %zu distinct label rows (LPM_ROW) over the contexts: grow "
                 "Results of the label stage", cap - 1);
        rc = -ENOSPC;
        break;
      }
      struct seq_prefix *s = &sp[n++];
      memset(s, 0, sizeof *s);
      for (unsigned w = 0; w < abits / 32; w++)
        s->p.key[w] = (uint32_t)(x->p.v >> (32 * w));
      for (unsigned b = 0; b < cbits; b++)
        if ((x->ctx >> b) & 1)
          s->p.key[(abits + b) / 32] |= 1u << ((abits + b) % 32);
      s->p.len = cbits + x->p.len;
      s->p.result = (unsigned)r;
      s->seq = i;
    }
    if (rc)
      break;
    qsort(sp, n, sizeof *sp, sp_order);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
      if (m && !sp_order(&(struct seq_prefix){p[m - 1], 0}, &(struct seq_prefix){sp[i].p, 0})) {
        snprintf(err, errlen, "label stage: two rows for one prefix of context %u", t->lrows[sp[i].seq].ctx);
        rc = -EINVAL;
        break;
      }
      p[m++] = sp[i].p;
    }
    if (rc)
      break;
    l->prefixes[f] = m;
    rc = lpm_build(&geom[f], p, m, &l->tree[f], err, errlen);
    if (rc) {
      char tmp[256];
      snprintf(tmp, sizeof tmp, "%s", err);
      snprintf(err, errlen, "label stage (IPv%c tree): %s", f ? '6' : '4', tmp);
    }
  }
  if (rc == 0) {
    l->crows = rs.rows;
    l->nrows = rs.n;
    rs.rows = NULL;
  }
out:
  free(sp);
  free(p);
  free(rs.rows);
  free(rs.h);
  return rc;
}

int nsg_label_lpm_build_geom(const struct nsg_tables *t, const struct nsg_label_geom *lg,
                             struct nsg_label_lpm *out, char *err, size_t errlen)
{
  if (t->label_ctx) {
    struct nsg_label_lpm l;
    memset(&l, 0, sizeof l);
    unsigned cb = nsg_label_geom_ctx_bits(lg, err, errlen);
    if (!cb)
      return -EINVAL;
    int rc = build_ctx(t, lg, cb, &l, err, errlen);
    if (rc) {
      nsg_label_lpm_free(&l);
      return rc;
    }
    *out = l;
    return 0;
  }
  const struct lpm_geom *geom = lg->g;
  struct nsg_label_lpm l;
  memset(&l, 0, sizeof l);
  unsigned cbits = nsg_label_geom_ctx_bits(lg, err, errlen);
  if (!cbits)
    return -EINVAL;
  const unsigned other = LPM_CTX_OTHER_AT(cbits);
  l.ctx_bits = cbits;
  size_t cap = geom[1].results < geom[0].results ? geom[1].results : geom[0].results;
  struct seq_prefix *sp = NULL;
  int rc = -ENOMEM;
  l.rows = calloc(cap, sizeof *l.rows);
  if (!l.rows) goto nomem;
  l.nrows = 1;
  /* contexts in use: bindings and entries caring about CTX; the rest share `other` */
  bool used[NSGNIC_CTXS] = {false};
  for (size_t v = 0; v < t->nvports; v++)
    if (NSGNIC_GET(t->bind[v], BINDING_VALID)) used[NSGNIC_GET(t->bind[v], BINDING_CTX)] = true;
  for (size_t i = 0; i < t->label.n; i++)
    if (t->label.e[i].valid && NSGNIC_GET(t->label.e[i].care, LABEL_KEY_CTX))
      used[NSGNIC_GET(t->label.e[i].val, LABEL_KEY_CTX)] = true;
  for (unsigned c = 0; c < NSGNIC_CTXS; c++) l.ctx_map[c] = (uint16_t)(used[c] ? c : other);
  /* the LPM contexts a context-wildcard entry is copied into: every used context and OTHER */
  unsigned ctxs[NSGNIC_CTXS + 1], nctx = 0;
  for (unsigned c = 0; c < NSGNIC_CTXS; c++)
    if (used[c]) ctxs[nctx++] = c;
  ctxs[nctx++] = other;
  for (unsigned f = 0; f < 2; f++) {
    unsigned abits = f ? 128 : 32;
    size_t n = 0, max = 0;
    for (size_t i = 0; i < t->label.n; i++)  /* upper bound */
      max += NSGNIC_GET(t->label.e[i].care, LABEL_KEY_CTX) ? 1 : nctx;
    free(sp);
    sp = calloc(max ? max : 1, sizeof *sp);
    if (!sp) goto nomem;
    for (size_t i = 0; i < t->label.n; i++) {
      const struct nsg_tentry *e = &t->label.e[i];
      if (!e->valid) continue;
      if (!NSGNIC_GET(e->care, LABEL_KEY_FAMILY)) {
        snprintf(err, errlen, "label stage: label TCAM slot %zu does not care about FAMILY", i);
        rc = -EINVAL;
        goto fail;
      }
      if (NSGNIC_GET(e->val, LABEL_KEY_FAMILY) != (f ? NSGNIC_FAMILY_IPV6 : NSGNIC_FAMILY_IPV4))
        continue;
      if (NSGNIC_GET(e->care, LABEL_KEY_BANK) && NSGNIC_GET(e->val, LABEL_KEY_BANK) != t->bank)
        continue;
      uint64_t cc = NSGNIC_GET(e->care, LABEL_KEY_CTX);
      if (cc && cc != (1u << NSGNIC_LABEL_KEY_CTX_W) - 1) {
        snprintf(err, errlen, "label stage: label TCAM slot %zu cares about part of CTX", i);
        rc = -EINVAL;
        goto fail;
      }
      int len = care_prefix(e, abits);
      if (len == -2) continue;
      if (len < 0) {
        snprintf(err, errlen, "label stage: label TCAM slot %zu is no address prefix", i);
        rc = -EINVAL;
        goto fail;
      }
      long row = intern_row(&l, e->res, cap);
      if (row < 0) {
        snprintf(err, errlen, "label stage: more than %zu distinct label results: grow Results "
                 "of the label stage", cap - 1);
        rc = -ENOSPC;
        goto fail;
      }
      /* a per-context entry goes to its context (used by construction), a wildcard to all */
      unsigned one = (unsigned)NSGNIC_GET(e->val, LABEL_KEY_CTX);
      const unsigned *cl = cc ? &one : ctxs;
      for (unsigned k = 0; k < (cc ? 1u : nctx); k++) {
        unsigned lc = cl[k];
        struct seq_prefix *s = &sp[n++];
        for (unsigned w = 0; w < abits / 32; w++)
          s->p.key[w] = (uint32_t)nsgnic_bits_get(e->val, NSGNIC_LABEL_KEY_ADDR_LSB + 32 * w, 32);
        for (unsigned b = 0; b < cbits; b++)
          if ((lc >> b) & 1) s->p.key[(abits + b) / 32] |= 1u << ((abits + b) % 32);
        s->p.len = cbits + (unsigned)len;
        s->p.result = (unsigned)row;
        s->seq = i;
      }
    }
    /* equal prefixes: the first slot wins (a per-context entry before the wildcard one); a
     * prefix answering row 0 (labels 0, no vport) still hides shorter ones, so it stays */
    qsort(sp, n, sizeof *sp, sp_order);
    size_t m = 0;
    struct lpm_prefix *p = calloc(n ? n : 1, sizeof *p);
    if (!p) goto nomem;
    for (size_t i = 0; i < n; i++) {
      if (m && !sp_order(&(struct seq_prefix){p[m - 1], 0}, &(struct seq_prefix){sp[i].p, 0}))
        continue;
      p[m] = sp[i].p;
      m++;
    }
    l.prefixes[f] = m;
    rc = lpm_build(&geom[f], p, m, &l.tree[f], err, errlen);
    free(p);
    if (rc) {
      char tmp[256];
      snprintf(tmp, sizeof tmp, "%s", err);
      snprintf(err, errlen, "label stage (IPv%c tree): %s", f ? '6' : '4', tmp);
      goto fail;
    }
  }
  free(sp);
  *out = l;
  return 0;
nomem:
  snprintf(err, errlen, "label stage: out of memory");
  rc = -ENOMEM;
fail:
  free(sp);
  nsg_label_lpm_free(&l);
  return rc;
}

void nsg_label_lpm_lookup(const struct nsg_label_lpm *l, unsigned ctx, const struct nsg_ip *a,
                          uint32_t res[NSG_TRES_WORDS])
{
  unsigned f = a->fam == NSG_AF6, abits = f ? 128 : 32;
  uint32_t key[LPM_KEY_WORDS] = {0};
  for (unsigned w = 0; w < abits / 32; w++) key[w] = (uint32_t)(a->v >> (32 * w));
  unsigned lc = ctx < NSGNIC_CTXS ? l->ctx_map[ctx] : LPM_CTX_OTHER_AT(l->ctx_bits);
  for (unsigned b = 0; b < l->ctx_bits; b++)
    if ((lc >> b) & 1) key[(abits + b) / 32] |= 1u << ((abits + b) % 32);
  unsigned row = lpm_lookup(&l->tree[f], key);
  if (l->rows && row < l->nrows)
    memcpy(res, l->rows[row], NSG_TRES_WORDS * sizeof *res);
  else
    memset(res, 0, NSG_TRES_WORDS * sizeof *res);
}

void nsg_label_lpm_lookup_row(const struct nsg_label_lpm *l, unsigned label_ctx, const struct nsg_ip *a,
                              uint32_t row[NSGNIC_LPM_ROW_WORDS])
{
  unsigned f = a->fam == NSG_AF6, abits = f ? 128 : 32;
  memset(row, 0, NSGNIC_LPM_ROW_WORDS * sizeof *row);
  if (!l->crows || label_ctx >= (1u << l->ctx_bits))
    return;
  uint32_t key[LPM_KEY_WORDS] = {0};
  for (unsigned w = 0; w < abits / 32; w++) key[w] = (uint32_t)(a->v >> (32 * w));
  for (unsigned b = 0; b < l->ctx_bits; b++)
    if ((label_ctx >> b) & 1) key[(abits + b) / 32] |= 1u << ((abits + b) % 32);
  unsigned r = lpm_lookup(&l->tree[f], key);
  if (r < l->nrows)
    memcpy(row, l->crows[r], NSGNIC_LPM_ROW_WORDS * sizeof *row);
}

void nsg_label_lpm_free(struct nsg_label_lpm *l)
{
  if (!l) return;
  free(l->crows);
  lpm_image_free(&l->tree[0]);
  lpm_image_free(&l->tree[1]);
  free(l->rows);
  memset(l, 0, sizeof *l);
}

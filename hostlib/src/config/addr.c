/* SPDX-License-Identifier: Apache-2.0 */
/* Address parsing/formatting (inet_pton/inet_ntop) and interval-set algebra on 128-bit values. */
#include "addr.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

unsigned nsg_af_bits(uint8_t fam) { return fam == NSG_AF4 ? 32u : 128u; }

static nsg_u128 host_mask(uint8_t fam, unsigned len)
{
  unsigned bits = nsg_af_bits(fam) - len;
  if (bits == 0)
    return 0;
  if (bits >= 128)
    return ~(nsg_u128)0;
  return ((nsg_u128)1 << bits) - 1;
}

int nsg_ip_parse(const char *s, struct nsg_ip *out)
{
  unsigned char b[16];
  if (strchr(s, ':')) {
    if (inet_pton(AF_INET6, s, b) != 1)
      return -EINVAL;
    nsg_u128 v = 0;
    for (int i = 0; i < 16; i++)
      v = (v << 8) | b[i];
    out->fam = NSG_AF6;
    out->v = v;
    return 0;
  }
  /* inet_pton accepts only dotted quads: exactly what Azure accepts. */
  if (inet_pton(AF_INET, s, b) != 1)
    return -EINVAL;
  out->fam = NSG_AF4;
  out->v = ((nsg_u128)b[0] << 24) | ((nsg_u128)b[1] << 16) | ((nsg_u128)b[2] << 8) | b[3];
  return 0;
}

int nsg_prefix_parse(const char *s, struct nsg_prefix *out, bool *host_bits_set)
{
  char buf[80];
  const char *slash = strchr(s, '/');
  size_t alen = slash ? (size_t)(slash - s) : strlen(s);
  if (alen == 0 || alen >= sizeof buf)
    return -EINVAL;
  memcpy(buf, s, alen);
  buf[alen] = '\0';
  struct nsg_ip ip;
  if (nsg_ip_parse(buf, &ip) < 0)
    return -EINVAL;
  unsigned maxlen = nsg_af_bits(ip.fam), len = maxlen;
  if (slash) {
    const char *l = slash + 1;
    if (*l < '0' || *l > '9' || strlen(l) > 3)
      return -EINVAL;
    char *end;
    unsigned long v = strtoul(l, &end, 10);
    if (*end != '\0' || v > maxlen)
      return -EINVAL;
    len = (unsigned)v;
  }
  nsg_u128 hm = host_mask(ip.fam, len);
  if (host_bits_set)
    *host_bits_set = (ip.v & hm) != 0;
  out->fam = ip.fam;
  out->len = (uint8_t)len;
  out->v = ip.v & ~hm;
  return 0;
}

void nsg_ip_format(const struct nsg_ip *ip, char *buf, size_t n)
{
  unsigned char b[16];
  if (ip->fam == NSG_AF4) {
    for (int i = 0; i < 4; i++)
      b[i] = (unsigned char)(ip->v >> (24 - 8 * i));
    inet_ntop(AF_INET, b, buf, (socklen_t)n);
  } else {
    for (int i = 0; i < 16; i++)
      b[i] = (unsigned char)(ip->v >> (120 - 8 * i));
    inet_ntop(AF_INET6, b, buf, (socklen_t)n);
  }
}

void nsg_prefix_format(const struct nsg_prefix *p, char *buf, size_t n)
{
  struct nsg_ip ip = {p->fam, p->v};
  char a[64];
  nsg_ip_format(&ip, a, sizeof a);
  snprintf(buf, n, "%s/%u", a, p->len);
}

nsg_u128 nsg_prefix_first(const struct nsg_prefix *p) { return p->v; }
nsg_u128 nsg_prefix_last(const struct nsg_prefix *p) { return p->v | host_mask(p->fam, p->len); }

bool nsg_prefix_contains(const struct nsg_prefix *p, const struct nsg_ip *ip)
{
  return p->fam == ip->fam && (ip->v & ~host_mask(p->fam, p->len)) == p->v;
}

bool nsg_prefix_covers(const struct nsg_prefix *outer, const struct nsg_prefix *inner)
{
  return outer->fam == inner->fam && outer->len <= inner->len &&
         (inner->v & ~host_mask(outer->fam, outer->len)) == outer->v;
}

bool nsg_ip_equal(const struct nsg_ip *a, const struct nsg_ip *b)
{
  return a->fam == b->fam && a->v == b->v;
}

/* ---- interval sets ----------------------------------------------------------------------- */

void nsg_rset_init(struct nsg_rset *s, uint8_t fam)
{
  s->fam = fam;
  s->n = s->cap = 0;
  s->r = NULL;
}

void nsg_rset_free(struct nsg_rset *s)
{
  free(s->r);
  s->r = NULL;
  s->n = s->cap = 0;
}

static int reserve(struct nsg_rset *s, size_t n)
{
  if (n <= s->cap)
    return 0;
  size_t cap = s->cap ? s->cap * 2 : 8;
  while (cap < n)
    cap *= 2;
  struct nsg_range *r = realloc(s->r, cap * sizeof *r);
  if (!r)
    return -ENOMEM;
  s->r = r;
  s->cap = cap;
  return 0;
}

int nsg_rset_add(struct nsg_rset *s, nsg_u128 lo, nsg_u128 hi)
{
  /* Find the first interval that ends at or after lo-1 (could merge), then absorb all that
   * start at or before hi+1. */
  size_t i = 0;
  while (i < s->n && s->r[i].hi < lo && s->r[i].hi + 1 < lo)
    i++;
  size_t j = i;
  while (j < s->n && (s->r[j].lo <= hi || (hi != ~(nsg_u128)0 && s->r[j].lo == hi + 1))) {
    if (s->r[j].lo < lo)
      lo = s->r[j].lo;
    if (s->r[j].hi > hi)
      hi = s->r[j].hi;
    j++;
  }
  if (j == i) { /* insert */
    if (reserve(s, s->n + 1) < 0)
      return -ENOMEM;
    memmove(&s->r[i + 1], &s->r[i], (s->n - i) * sizeof *s->r);
    s->n++;
  } else if (j > i + 1) { /* collapse i..j-1 into i */
    memmove(&s->r[i + 1], &s->r[j], (s->n - j) * sizeof *s->r);
    s->n -= j - i - 1;
  }
  s->r[i].lo = lo;
  s->r[i].hi = hi;
  return 0;
}

int nsg_rset_add_prefix(struct nsg_rset *s, const struct nsg_prefix *p)
{
  return nsg_rset_add(s, nsg_prefix_first(p), nsg_prefix_last(p));
}

int nsg_rset_subtract(struct nsg_rset *s, const struct nsg_rset *minus)
{
  struct nsg_rset out;
  nsg_rset_init(&out, s->fam);
  size_t j = 0;
  for (size_t i = 0; i < s->n; i++) {
    nsg_u128 lo = s->r[i].lo, hi = s->r[i].hi;
    bool alive = true;
    while (j < minus->n && minus->r[j].hi < lo)
      j++;
    for (size_t k = j; alive && k < minus->n && minus->r[k].lo <= hi; k++) {
      if (minus->r[k].lo > lo && nsg_rset_add(&out, lo, minus->r[k].lo - 1) < 0)
        goto nomem;
      if (minus->r[k].hi >= hi)
        alive = false;
      else
        lo = minus->r[k].hi + 1;
    }
    if (alive && nsg_rset_add(&out, lo, hi) < 0)
      goto nomem;
  }
  nsg_rset_free(s);
  *s = out;
  return 0;
nomem:
  nsg_rset_free(&out);
  return -ENOMEM;
}

bool nsg_rset_contains(const struct nsg_rset *s, nsg_u128 v)
{
  size_t lo = 0, hi = s->n;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (s->r[mid].hi < v)
      lo = mid + 1;
    else if (s->r[mid].lo > v)
      hi = mid;
    else
      return true;
  }
  return false;
}

long nsg_rset_to_prefixes(const struct nsg_rset *s, struct nsg_prefix **out)
{
  size_t n = 0, cap = 0;
  struct nsg_prefix *p = NULL;
  unsigned bits = nsg_af_bits(s->fam);
  for (size_t i = 0; i < s->n; i++) {
    nsg_u128 lo = s->r[i].lo, hi = s->r[i].hi;
    for (;;) {
      /* the largest aligned block that starts at lo and ends within hi */
      unsigned size = 0; /* log2 of the block size */
      while (size < bits) {
        unsigned ns = size + 1;
        if (ns == 128) {
          if (lo == 0 && hi == ~(nsg_u128)0)
            size = 128;
          break;
        }
        nsg_u128 blk = (nsg_u128)1 << ns;
        if ((lo & (blk - 1)) != 0 || lo + (blk - 1) > hi)
          break;
        size = ns;
      }
      if (n == cap) {
        cap = cap ? cap * 2 : 16;
        struct nsg_prefix *np = realloc(p, cap * sizeof *p);
        if (!np) {
          free(p);
          return -ENOMEM;
        }
        p = np;
      }
      p[n].fam = s->fam;
      p[n].len = (uint8_t)(bits - size);
      p[n].v = lo;
      n++;
      nsg_u128 last = size >= 128 ? ~(nsg_u128)0 : lo + (((nsg_u128)1 << size) - 1);
      if (last >= hi)
        break;
      lo = last + 1;
    }
  }
  *out = p;
  return (long)n;
}

/* SPDX-License-Identifier: Apache-2.0 */
/* Reference flow cache (see ref_flow.h). */
#include "ref_flow.h"

#include <stdlib.h>
#include <string.h>

#include "nsgnic/abi.h"
#include "nsgnic/flow_age.h"
#include "nsgnic/flow_hash.h"
#include "ref_flow_entry.h"

int ref_flow_init(struct ref_flow *f, unsigned buckets, unsigned ways, unsigned stash)
{
  memset(f, 0, sizeof *f);
  f->buckets = buckets;
  f->ways = ways;
  f->stash = stash;
  nsgnic_flow_hkey_reset(f->hkey);
  f->e = calloc(REF_FLOW_TABLES * buckets * ways + stash, sizeof *f->e);
  f->ovf = calloc(buckets, 1);
  return f->e && f->ovf ? 0 : -1;
}

void ref_flow_free(struct ref_flow *f)
{
  free(f->e);
  free(f->ovf);
}

static unsigned entries(const struct ref_flow *f) { return REF_FLOW_TABLES * f->buckets * f->ways; }

static uint32_t *ent(struct ref_flow *f, unsigned t, unsigned bucket, unsigned way)
{
  return f->e[(t * f->buckets + bucket) * f->ways + way];
}

static int key_eq(const uint32_t *e, const uint32_t *key)
{
  for (unsigned b = 0; b < NSGNIC_FLOW_KEY_BITS; b += 32) {
    unsigned w = NSGNIC_FLOW_KEY_BITS - b < 32 ? NSGNIC_FLOW_KEY_BITS - b : 32;
    if (nsgnic_bits_get(e, b, w) != nsgnic_bits_get(key, b, w))
      return 0;
  }
  return 1;
}

void ref_flow_request(struct ref_flow *f, const struct ref_flow_req *r, struct ref_flow_out *o)
{
  memset(o, 0, sizeof *o);
  unsigned bm = f->buckets - 1, T = REF_FLOW_TABLES;
  unsigned idx[REF_FLOW_TABLES];
  if (r->op == 0) {
    uint64_t h = nsgnic_flow_hash(r->key, f->hkey);
    for (unsigned t = 0; t < T; t++)
      idx[t] = (unsigned)(h >> (16 * t)) & bm;
  } else {
    for (unsigned t = 0; t < T; t++)
      idx[t] = r->op == 3 ? r->index : (r->index / f->ways) & bm;
  }
  o->bypassed = f->wb_valid && idx[f->wb_t] == f->wb_idx;
  int wrote = 0;
  unsigned w_t = 0, w_idx = 0;
  o->ovf = f->ovf[idx[0]];
  if (r->op == 0) {
    int hit = 0;
    uint32_t *e = NULL;
    unsigned cnt[REF_FLOW_TABLES] = {0}, freew[REF_FLOW_TABLES] = {0};
    int full[REF_FLOW_TABLES];
    for (unsigned t = 0; t < T; t++) {
      full[t] = 1;
      for (unsigned w = 0; w < f->ways; w++) {
        uint32_t *x = ent(f, t, idx[t], w);
        int v = (int)NSGNIC_GET(x, FLOW_VALID);
        if (v && !hit && key_eq(x, r->key)) {
          hit = 1;
          e = x;
          o->table = t;
          o->bucket = idx[t];
          o->way = w;
          o->index = (t * f->buckets + idx[t]) * f->ways + w;
        }
        if (v)
          cnt[t]++;
        else if (full[t]) {
          full[t] = 0;
          freew[t] = w;
        }
      }
    }
    int stash_free = -1;
    for (unsigned s = 0; s < f->stash; s++) {
      uint32_t *x = f->e[entries(f) + s];
      int v = (int)NSGNIC_GET(x, FLOW_VALID);
      if (v && !hit && key_eq(x, r->key)) {
        hit = 1;
        e = x;
        o->in_stash = 1;
        o->index = entries(f) + s;
      }
      if (!v && stash_free < 0)
        stash_free = (int)s;
    }
    int all_full = 1;
    for (unsigned t = 0; t < T; t++)
      all_full &= full[t];
    if (hit) {
      o->hit = 1;
      o->action = (unsigned)NSGNIC_GET(e, FLOW_ACTION);
      o->rule_id = (unsigned)NSGNIC_GET(e, FLOW_RULE_ID);
      if (r->probe)
        e = NULL;
    } else if (r->probe || !r->learn) {
      e = NULL;
    } else if (all_full && stash_free < 0) {
      o->learn_fail = 1;
      o->ovf = 1;
      f->ovf[idx[0]] = 1;
      e = NULL;
    } else {
      o->learned = 1;
      if (all_full) {
        o->in_stash = 1;
        o->index = entries(f) + (unsigned)stash_free;
        e = f->e[o->index];
      } else {
        unsigned bt = 0, best = f->ways + 1;
        for (unsigned t = 0; t < T; t++)
          if (!full[t] && cnt[t] < best) {
            best = cnt[t];
            bt = t;
          }
        o->table = bt;
        o->bucket = idx[bt];
        o->way = freew[bt];
        o->index = (bt * f->buckets + idx[bt]) * f->ways + freew[bt];
        e = ent(f, bt, idx[bt], freew[bt]);
      }
      memset(e, 0, REF_FLOW_WORDS * 4);
      memcpy(e, r->key, REF_FLOW_KEY_WORDS * 4);
      nsgnic_bits_put(e, NSGNIC_FLOW_KEY_BITS, 320 - NSGNIC_FLOW_KEY_BITS, 0);
      NSGNIC_PUT(e, FLOW_VALID, 1);
      NSGNIC_PUT(e, FLOW_ACTION, NSGNIC_ACTION_ALLOW);
      NSGNIC_PUT(e, FLOW_INIT_OUTBOUND, r->outbound);
      NSGNIC_PUT(e, FLOW_GEN, r->gen);
      NSGNIC_PUT(e, FLOW_RULE_ID, r->rule_id);
    }
    if (e) {
      ref_flow_touch(e, r->now, r->outbound, r->tcp, r->len);
      if (!o->in_stash) {  /* a bucket write (the stash is registers: no bypass) */
        wrote = 1;
        w_t = o->table;
        w_idx = o->bucket;
      }
    }
  } else if (r->op == 1 || r->op == 2) {
    uint32_t *e = f->e[r->index];
    if (r->op == 1) {
      memcpy(o->rdata, e, sizeof o->rdata);
    } else {
      memcpy(e, r->data, REF_FLOW_WORDS * 4);
      if (r->index < entries(f)) {
        wrote = 1;
        w_t = r->index / f->ways / f->buckets;
        w_idx = idx[0];
      }
    }
  } else {
    o->rdata[0] = f->ovf[idx[0]];
    if (r->data[0] & 2u)
      f->ovf[idx[0]] = (uint8_t)(r->data[0] & 1u);
  }
  f->wb_valid = wrote;
  f->wb_t = w_t;
  f->wb_idx = w_idx;
}

void ref_flow_age_clock(struct ref_flow *f, int scan, unsigned now, const unsigned *to,
                        const uint16_t *est, struct ref_flow_expiry *x)
{
  memset(x, 0, sizeof *x);
  unsigned npos = REF_FLOW_TABLES * f->buckets + f->stash, pos = f->scan_pos, next = pos;
  int more = 0;
  if (scan) {
    next = pos + 1 == npos ? 0 : pos + 1;
    x->wrap = pos + 1 == npos;
    uint32_t *e = NULL;
    if (pos >= REF_FLOW_TABLES * f->buckets) {
      unsigned slot = pos - REF_FLOW_TABLES * f->buckets;
      x->index = entries(f) + slot;
      if (nsgnic_flow_age_expired(f->e[x->index], now, to, est))
        e = f->e[x->index];
    } else {
      unsigned t = pos / f->buckets, b = pos % f->buckets, n = 0;
      for (unsigned w = 0; w < f->ways; w++) {
        uint32_t *c = ent(f, t, b, w);
        if (nsgnic_flow_age_expired(c, now, to, est)) {
          if (n++ == 0) {
            e = c;
            x->index = (t * f->buckets + b) * f->ways + w;
          }
        }
      }
      more = n >= 2;
      if (e) {  /* a bucket write: the next request sees it through the bypass */
        f->wb_valid = 1;
        f->wb_t = t;
        f->wb_idx = b;
      }
    }
    if (e) {
      x->valid = 1;
      memcpy(x->entry, e, sizeof x->entry);
      NSGNIC_PUT(e, FLOW_VALID, 0);
    }
    if (!e || pos >= REF_FLOW_TABLES * f->buckets)
      f->wb_valid = 0;
  }
  if (f->rewind)
    next = f->rewind_to;
  f->rewind = more;
  f->rewind_to = pos;
  f->scan_pos = next;
}

double ref_flow_load(const struct ref_flow *f)
{
  unsigned n = 0, total = entries(f) + f->stash;
  for (unsigned i = 0; i < total; i++)
    n += (unsigned)NSGNIC_GET(f->e[i], FLOW_VALID);
  return (double)n / total;
}

static void put128(uint32_t *w, unsigned lsb, const uint32_t *a)
{
  for (unsigned i = 0; i < 4; i++)
    nsgnic_bits_put(w, lsb + 32u * i, 32, a[i]);
}

void ref_flow_key(uint32_t *key, unsigned vport, unsigned family, unsigned proto,
                  const uint32_t *src, const uint32_t *dst, unsigned sport, unsigned dport,
                  int outbound)
{
  memset(key, 0, REF_FLOW_KEY_WORDS * 4);
  put128(key, NSGNIC_FLOW_LOCAL_ADDR_LSB, outbound ? src : dst);
  put128(key, NSGNIC_FLOW_REMOTE_ADDR_LSB, outbound ? dst : src);
  NSGNIC_PUT(key, FLOW_LOCAL_PORT, outbound ? sport : dport);
  NSGNIC_PUT(key, FLOW_REMOTE_PORT, outbound ? dport : sport);
  NSGNIC_PUT(key, FLOW_PROTO, proto);
  NSGNIC_PUT(key, FLOW_FAMILY, family);
  NSGNIC_PUT(key, FLOW_VPORT, vport);
}

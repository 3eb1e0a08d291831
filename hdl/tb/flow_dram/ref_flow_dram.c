/* SPDX-License-Identifier: Apache-2.0 */
/* Reference DRAM flow tier (see ref_flow_dram.h). */
#include "ref_flow_dram.h"

#include <stdlib.h>
#include <string.h>

#include "nsgnic/abi.h"
#include "nsgnic/flow_hash.h"
#include "ref_flow_entry.h"

int ref_flow_dram_init(struct ref_flow_dram *f, unsigned buckets, unsigned ways, unsigned sig_bits,
                       unsigned vports)
{
  memset(f, 0, sizeof *f);
  f->buckets = buckets;
  f->ways = ways;
  f->sig_bits = sig_bits;
  f->vports = vports;
  f->limit = UINT32_MAX;
  f->bad_from = RFD_TABLES * buckets * ways;
  nsgnic_flow_hkey_reset(f->hkey);
  unsigned n = RFD_TABLES * buckets * ways;
  f->dir = calloc(n, sizeof *f->dir);
  f->e = calloc(n, sizeof *f->e);
  f->lim = calloc(2 * (size_t)vports, sizeof *f->lim);
  return f->dir && f->e && f->lim ? 0 : -1;
}

void ref_flow_dram_free(struct ref_flow_dram *f)
{
  free(f->dir);
  free(f->e);
  free(f->lim);
}

unsigned ref_flow_dram_slots(const struct ref_flow_dram *f) { return RFD_TABLES * f->buckets * f->ways; }

int ref_flow_dram_used(const struct ref_flow_dram *f, unsigned slot) { return (int)(f->dir[slot] >> 31); }

static int key_eq(const uint32_t *a, const uint32_t *b)
{
  for (unsigned i = 0; i < 9; i++)
    if (a[i] != b[i])
      return 0;
  return (a[9] & 0xffffffu) == (b[9] & 0xffffffu); /* 312 = 9 x 32 + 24 */
}

static void touch(uint32_t *e, const struct ref_flow_dram_req *r)
{
  ref_flow_touch(e, r->now, r->outbound, r->tcp, r->len);
}

uint32_t ref_flow_dram_count(const struct ref_flow_dram *f, unsigned vp, int outbound)
{
  return vp < f->vports ? f->lim[vp * 2 + (outbound ? 1u : 0u)] : 0;
}

void ref_flow_dram_uncount(struct ref_flow_dram *f, unsigned vp, int outbound)
{
  unsigned li = vp * 2 + (outbound ? 1u : 0u);
  if (vp < f->vports && f->lim[li])
    f->lim[li]--;
}

/* Management read (op 2) / delete (op 3) of one slot, in order with the packets. */
static void mgmt(struct ref_flow_dram *f, const struct ref_flow_dram_req *r,
                 struct ref_flow_dram_out *o)
{
  unsigned s = r->slot % ref_flow_dram_slots(f), b0 = s - s % f->ways;
  for (unsigned w = 0; w < f->ways; w++)
    o->vmask |= (f->dir[b0 + w] >> 31) << w;
  o->hit = (int)(f->dir[s] >> 31);
  o->slot = s;
  o->read = o->hit;  /* a free slot reads no DRAM and answers an all-zero entry */
  int bad = o->hit && s >= f->bad_from;  /* the read failed: an all-zero entry */
  if (o->hit && !bad)
    memcpy(o->entry, f->e[s], sizeof o->entry);
  o->action = (unsigned)NSGNIC_GET(o->entry, FLOW_ACTION);
  o->rule_id = (unsigned)NSGNIC_GET(o->entry, FLOW_RULE_ID);
  if (r->op == 3 && o->hit) {
    unsigned vp = (unsigned)NSGNIC_GET(r->data, FLOW_VPORT);
    unsigned li = vp * 2 + (unsigned)NSGNIC_GET(r->data, FLOW_INIT_OUTBOUND);
    f->dir[s] = 0;
    if (vp < f->vports && f->lim[li])
      f->lim[li]--;
    f->used--;
  }
  if (bad)
    o->hit = 0;
}

void ref_flow_dram_request(struct ref_flow_dram *f, const struct ref_flow_dram_req *r,
                           struct ref_flow_dram_out *o)
{
  memset(o, 0, sizeof *o);
  if (r->op >= 2) {
    mgmt(f, r, o);
    return;
  }
  uint32_t key[RFD_WORDS] = {0};
  memcpy(key, r->op == 1 ? r->data : r->key, 10 * sizeof(uint32_t));
  key[9] &= 0xffffffu;
  uint32_t hkey2[12];
  for (unsigned i = 0; i < 12; i++)
    hkey2[i] = f->hkey[(i + 2) % 12]; /* rotated by 64 bits: rows independent of the first hash */
  uint64_t h = nsgnic_flow_hash(key, f->hkey);
  uint32_t sig = (uint32_t)nsgnic_flow_hash(key, hkey2) & ((1u << f->sig_bits) - 1u);
  unsigned idx[RFD_TABLES], cnt[RFD_TABLES], freew[RFD_TABLES], nmatch = 0, mslot = 0;
  int full[RFD_TABLES];
  for (unsigned t = 0; t < RFD_TABLES; t++) {
    idx[t] = (unsigned)(h >> (16 * t)) & (f->buckets - 1);
    cnt[t] = 0;
    full[t] = 1;
    freew[t] = 0;
    for (unsigned w = 0; w < f->ways; w++) {
      unsigned s = (t * f->buckets + idx[t]) * f->ways + w;
      uint32_t d = f->dir[s];
      if (d >> 31) {
        cnt[t]++;
        if ((d & 0x7fffffffu) == sig) {
          if (!nmatch)
            mslot = s;
          nmatch++;
        }
      } else if (full[t]) {
        full[t] = 0;
        freew[t] = w;
      }
    }
  }
  int learn = r->op == 0 && r->learn && !r->probe;
  unsigned vp = (unsigned)NSGNIC_GET(key, FLOW_VPORT), li = vp * 2 + (r->outbound ? 1u : 0u);
  if (nmatch >= 2) {
    o->collide = 1;
  } else if (nmatch == 1 && mslot >= f->bad_from) {
    o->read = 1;
    o->slot = mslot;
    o->collide = 1;  /* the read failed: refused (punted), the entry not updated */
  } else if (nmatch == 1) {
    uint32_t *e = f->e[mslot];
    o->read = 1;
    if (NSGNIC_GET(e, FLOW_VALID) && key_eq(e, key)) {
      o->hit = 1;
      o->slot = mslot;
      memcpy(o->before, e, sizeof o->before);
      if (r->op)
        memcpy(e, r->data, sizeof f->e[0]);
      else if (!r->probe)
        touch(e, r);
      memcpy(o->entry, e, sizeof o->entry);
      o->action = (unsigned)NSGNIC_GET(e, FLOW_ACTION);
      o->rule_id = (unsigned)NSGNIC_GET(e, FLOW_RULE_ID);
    } else if (learn) {
      o->collide = 1;
    }
  } else if (!learn) {
    /* miss */
  } else if (r->front && (vp >= f->vports || f->lim[li] >= f->limit)) {
    o->limit = 1;  /* the limit holds for both levels */
  } else if (r->front && r->croom) {
    f->lim[li]++;  /* learned in the cache, counted here */
    o->clearn = 1;
  } else if (full[0] && full[1] && full[2] && full[3]) {
    o->full = 1;
  } else if (vp >= f->vports || f->lim[li] >= f->limit) {
    o->limit = 1;
  } else {
    unsigned bt = 0, best = f->ways + 1;
    for (unsigned t = 0; t < RFD_TABLES; t++)
      if (!full[t] && cnt[t] < best) {
        best = cnt[t];
        bt = t;
      }
    unsigned s = (bt * f->buckets + idx[bt]) * f->ways + freew[bt];
    f->dir[s] = 1u << 31 | sig;
    f->lim[li]++;
    f->used++;
    uint32_t *e = f->e[s];
    memset(e, 0, sizeof f->e[0]);
    memcpy(e, key, 10 * sizeof(uint32_t));
    NSGNIC_PUT(e, FLOW_VALID, 1);
    NSGNIC_PUT(e, FLOW_ACTION, NSGNIC_ACTION_ALLOW);
    NSGNIC_PUT(e, FLOW_INIT_OUTBOUND, r->outbound ? 1 : 0);
    NSGNIC_PUT(e, FLOW_GEN, r->gen);
    NSGNIC_PUT(e, FLOW_RULE_ID, r->rule_id);
    touch(e, r);
    o->learned = 1;
    o->slot = s;
    memcpy(o->entry, e, sizeof o->entry);
    o->action = NSGNIC_ACTION_ALLOW;
    o->rule_id = r->rule_id & 0xffffu;
  }
}

/* SPDX-License-Identifier: Apache-2.0 */
/* Reference flow cache (see ref_flow.h). */
#include "ref_flow.h"

#include <stdlib.h>
#include <string.h>

#include "dp_model.h"
#include "nsgnic/abi.h"
#include "nsgnic/flow_hash.h"

int ref_flow_init(struct ref_flow *f, unsigned buckets, unsigned ways)
{
  memset(f, 0, sizeof *f);
  f->buckets = buckets;
  f->ways = ways;
  nsgnic_flow_hkey_reset(f->hkey);
  f->e = calloc(2u * buckets * ways, sizeof *f->e);
  f->ovf = calloc(buckets, 1);
  return f->e && f->ovf ? 0 : -1;
}

void ref_flow_free(struct ref_flow *f)
{
  free(f->e);
  free(f->ovf);
}

static uint32_t *ent(struct ref_flow *f, unsigned half, unsigned bucket, unsigned way)
{
  return f->e[(half * f->buckets + bucket) * f->ways + way];
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

static void add32(uint32_t *e, unsigned lsb, uint32_t v)
{
  nsgnic_bits_put(e, lsb, 32, (uint32_t)(nsgnic_bits_get(e, lsb, 32) + v));
}

void ref_flow_request(struct ref_flow *f, const struct ref_flow_req *r, struct ref_flow_out *o)
{
  memset(o, 0, sizeof *o);
  unsigned bm = f->buckets - 1;
  unsigned idx[2];
  if (r->op == 0) {
    uint64_t h = nsgnic_flow_hash(r->key, f->hkey);
    idx[0] = (unsigned)h & bm;
    idx[1] = (unsigned)(h >> 16) & bm;
  } else {
    idx[0] = idx[1] = r->op == 3 ? r->index : (r->index / f->ways) & bm;
  }
  o->bypassed = f->wb_valid && idx[f->wb_half] == f->wb_idx;
  int wrote = 0;
  unsigned w_half = 0, w_idx = 0;
  o->ovf = f->ovf[idx[0]];
  if (r->op == 0) {
    int hit = 0;
    unsigned hh = 0, hw = 0, cnt[2] = {0, 0}, freew[2] = {0, 0};
    int full[2] = {1, 1};
    for (unsigned half = 0; half < 2; half++)
      for (unsigned w = 0; w < f->ways; w++) {
        uint32_t *e = ent(f, half, idx[half], w);
        int v = (int)NSGNIC_GET(e, FLOW_VALID);
        if (v && !hit && key_eq(e, r->key)) {
          hit = 1;
          hh = half;
          hw = w;
        }
        if (v)
          cnt[half]++;
        else if (full[half]) {
          full[half] = 0;
          freew[half] = w;
        }
      }
    uint32_t *e;
    if (hit) {
      e = ent(f, hh, idx[hh], hw);
      o->hit = 1;
      o->action = (unsigned)NSGNIC_GET(e, FLOW_ACTION);
      o->rule_id = (unsigned)NSGNIC_GET(e, FLOW_RULE_ID);
      o->half = hh;
      o->way = hw;
      if (r->probe)
        e = NULL;
    } else if (r->probe) {
      e = NULL;
    } else if (r->learn && full[0] && full[1]) {
      o->learn_fail = 1;
      o->ovf = 1;
      f->ovf[idx[0]] = 1;
      e = NULL;
    } else if (r->learn) {
      o->learned = 1;
      hh = (full[0] || (!full[1] && cnt[1] < cnt[0])) ? 1 : 0;
      hw = freew[hh];
      o->half = hh;
      o->way = hw;
      e = ent(f, hh, idx[hh], hw);
      memset(e, 0, REF_FLOW_WORDS * 4);
      memcpy(e, r->key, REF_FLOW_KEY_WORDS * 4);
      nsgnic_bits_put(e, NSGNIC_FLOW_KEY_BITS, 320 - NSGNIC_FLOW_KEY_BITS, 0);
      NSGNIC_PUT(e, FLOW_VALID, 1);
      NSGNIC_PUT(e, FLOW_ACTION, NSGNIC_ACTION_ALLOW);
      NSGNIC_PUT(e, FLOW_INIT_OUTBOUND, r->outbound);
      NSGNIC_PUT(e, FLOW_GEN, r->gen);
      NSGNIC_PUT(e, FLOW_RULE_ID, r->rule_id);
    } else {
      e = NULL;
    }
    o->bucket = idx[hh];
    if (e) {
      NSGNIC_PUT(e, FLOW_TIMESTAMP, r->now);
      if (r->outbound) {
        NSGNIC_PUT(e, FLOW_TCP_OUT, NSGNIC_GET(e, FLOW_TCP_OUT) | r->tcp);
        add32(e, NSGNIC_FLOW_PKTS_OUT_LSB, 1);
        add32(e, NSGNIC_FLOW_BYTES_OUT_LSB, r->len);
      } else {
        NSGNIC_PUT(e, FLOW_TCP_IN, NSGNIC_GET(e, FLOW_TCP_IN) | r->tcp);
        add32(e, NSGNIC_FLOW_PKTS_IN_LSB, 1);
        add32(e, NSGNIC_FLOW_BYTES_IN_LSB, r->len);
      }
      wrote = 1;
      w_half = hh;
      w_idx = idx[hh];
    }
  } else if (r->op == 1 || r->op == 2) {
    unsigned half = (r->index / f->ways / f->buckets) & 1u;
    uint32_t *e = ent(f, half, idx[0], r->index % f->ways);
    if (r->op == 1) {
      memcpy(o->rdata, e, sizeof o->rdata);
    } else {
      memcpy(e, r->data, REF_FLOW_WORDS * 4);
      wrote = 1;
      w_half = half;
      w_idx = idx[0];
    }
  } else {
    o->rdata[0] = f->ovf[idx[0]];
    if (r->data[0] & 2u)
      f->ovf[idx[0]] = (uint8_t)(r->data[0] & 1u);
  }
  f->wb_valid = wrote;
  f->wb_half = w_half;
  f->wb_idx = w_idx;
}

double ref_flow_load(const struct ref_flow *f)
{
  unsigned n = 0, total = 2u * f->buckets * f->ways;
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

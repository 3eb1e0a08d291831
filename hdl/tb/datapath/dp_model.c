/* SPDX-License-Identifier: Apache-2.0 */
/* Reference model of the datapath lookup (see dp_model.h). */
#include "dp_model.h"

#include <stdlib.h>
#include <string.h>

#include "nsgnic/abi.h"
#include "nsgnic/flow_hash.h"
#include "ref_parse.h"

int dp_model_init(struct dp_model *m, const struct dp_cfg *cfg)
{
  memset(m, 0, sizeof *m);
  m->cfg = *cfg;
  m->learn = 1;
  nsgnic_flow_hkey_reset(m->hkey);
  for (unsigned i = 0; i < 2u * NSGNIC_PORT_CLASSES; i++)
    m->prange[i] = 0x0000ffffu; /* reset: LO > HI, never matches */
  if (ref_tcam_init(&m->rule, cfg->rule_entries, NSGNIC_RULE_KEY_BITS) ||
      ref_tcam_init(&m->label, cfg->label_entries, NSGNIC_LABEL_KEY_BITS) ||
      ref_tcam_init(&m->plat, cfg->platform_entries, NSGNIC_PLATFORM_KEY_BITS))
    return -1;
  m->flow = calloc(4u * cfg->flow_buckets * cfg->flow_ways + cfg->flow_stash, sizeof *m->flow);
  m->ovf = calloc(cfg->flow_buckets, 1);
  return m->flow && m->ovf ? 0 : -1;
}

void dp_model_free(struct dp_model *m)
{
  ref_tcam_free(&m->rule);
  ref_tcam_free(&m->label);
  ref_tcam_free(&m->plat);
  free(m->cpfx);
  free(m->flow);
  free(m->ovf);
}

uint64_t dp_flow_hash(const uint32_t *hkey, const uint32_t *key)
{
  return nsgnic_flow_hash(key, hkey);
}

int dp_model_ctx_add(struct dp_model *m, const struct dp_ctx_prefix *p)
{
  if (m->ncpfx == m->capcpfx) {
    size_t cap = m->capcpfx ? 2 * m->capcpfx : 64;
    struct dp_ctx_prefix *n = realloc(m->cpfx, cap * sizeof *n);
    if (!n)
      return -1;
    m->cpfx = n;
    m->capcpfx = cap;
  }
  m->cpfx[m->ncpfx++] = *p;
  return 0;
}

void dp_model_ctx_clear(struct dp_model *m, int bank)
{
  size_t k = 0;
  for (size_t i = 0; i < m->ncpfx; i++)
    if (m->cpfx[i].bank != bank)
      m->cpfx[k++] = m->cpfx[i];
  m->ncpfx = k;
}

/* the top plen bits of a (IPv4: 32 bits in a[0], IPv6: 128 bits, a[3] most significant) equal b's */
static int prefix_covers(int family, const uint32_t *a, unsigned plen, const uint32_t *b)
{
  unsigned bits = family ? 128 : 32;
  for (unsigned i = 0; i < plen; i++) {
    unsigned bit = bits - 1 - i;
    if (((a[bit / 32] ^ b[bit / 32]) >> (bit % 32)) & 1u)
      return 0;
  }
  return 1;
}

const struct dp_ctx_prefix *dp_model_ctx_match(const struct dp_model *m, int family, unsigned ctx,
                                               const uint32_t *addr)
{
  const struct dp_ctx_prefix *best = NULL;
  for (size_t i = 0; i < m->ncpfx; i++) {
    const struct dp_ctx_prefix *p = &m->cpfx[i];
    if (p->bank != (m->bank & 1) || p->family != family || p->ctx != ctx)
      continue;
    if ((!best || p->plen > best->plen) && prefix_covers(family, p->addr, p->plen, addr))
      best = p;
  }
  return best;
}

static struct dp_flow *flow_at(struct dp_model *m, unsigned t, unsigned bucket, unsigned way)
{
  return &m->flow[(t * m->cfg.flow_buckets + bucket) * m->cfg.flow_ways + way];
}

int dp_model_flow_write(struct dp_model *m, unsigned index, const uint32_t *ent, struct dp_flow *old)
{
  struct dp_flow *f = &m->flow[index];
  struct dp_flow was = *f;
  memcpy(f->key, ent, sizeof f->key);
  f->key[9] &= (1u << (NSGNIC_FLOW_KEY_BITS - 288)) - 1u;
  f->valid = (int)NSGNIC_GET(ent, FLOW_VALID);
  f->action = (unsigned)NSGNIC_GET(ent, FLOW_ACTION);
  f->rule_id = (unsigned)NSGNIC_GET(ent, FLOW_RULE_ID);
  f->outbound = (int)NSGNIC_GET(ent, FLOW_INIT_OUTBOUND);
  int was_cnt = was.valid && was.counted;
  f->counted = was_cnt && f->valid && NSGNIC_GET(ent, FLOW_HW_COUNTED) &&
               memcmp(f->key, was.key, sizeof f->key) == 0 && f->outbound == was.outbound;
  if (old)
    *old = was;
  return was_cnt && !f->counted;
}

void dp_model_cache_learn(struct dp_model *m, struct dp_result *r)
{
  struct dp_flow *f = &m->flow[r->cache_slot];
  f->valid = 1;
  memcpy(f->key, r->fkey, sizeof f->key);
  f->action = NSGNIC_ACTION_ALLOW;
  f->rule_id = r->rule_id;
  f->counted = 1;
  f->outbound = r->outbound;
  r->learned = 1;
}

static void put128(uint32_t *w, unsigned lsb, const uint32_t *a)
{
  for (int i = 0; i < 4; i++)
    nsgnic_bits_put(w, lsb + 32u * (unsigned)i, 32, a[i]);
}

/* S2 combine, as hdl/rtl/verdict.sv */
static void combine(int outbound, int nsg_sub, const uint32_t *res_sub, int hit_sub, int nsg_nic,
                    const uint32_t *res_nic, int hit_nic, unsigned plat_class,
                    unsigned plat_rule, struct dp_result *r)
{
  r->action = NSGNIC_ACTION_ALLOW;
  r->rule_id = NSGNIC_NO_RULE_ID;
  r->reason = NSGNIC_REASON_NONE;
  if (plat_class == NSGNIC_PLATFORM_CLASS_BLOCK) {
    r->action = NSGNIC_ACTION_DENY;
    r->rule_id = plat_rule;
    r->reason = NSGNIC_REASON_PLATFORM_BLOCK;
    return;
  }
  int nsg[2] = {outbound ? nsg_nic : nsg_sub, outbound ? nsg_sub : nsg_nic};
  int hit[2] = {outbound ? hit_nic : hit_sub, outbound ? hit_sub : hit_nic};
  const uint32_t *res[2] = {outbound ? res_nic : res_sub, outbound ? res_sub : res_nic};
  for (int l = 0; l < 2; l++) {
    if (!nsg[l])
      continue;
    unsigned act = (unsigned)NSGNIC_GET(res[l], RESULT_ACTION);
    unsigned id = (unsigned)NSGNIC_GET(res[l], RESULT_RULE_ID);
    if (!hit[l] || act == NSGNIC_ACTION_NONE) {
      r->action = NSGNIC_ACTION_PUNT;
      r->rule_id = NSGNIC_NO_RULE_ID;
      r->reason = NSGNIC_REASON_NO_RULE;
      return;
    }
    if (act == NSGNIC_ACTION_DENY || act == NSGNIC_ACTION_PUNT) {
      r->action = act;
      r->rule_id = id;
      r->reason = act == NSGNIC_ACTION_DENY ? NSGNIC_REASON_RULE_DENY : NSGNIC_REASON_RULE_PUNT;
      return;
    }
    if (id != NSGNIC_NO_RULE_ID) /* the platform-exemption catch-all names no rule: keep the */
      r->rule_id = id;           /* earlier level's allowing rule (as verdict.sv and tables.c) */
  }
}

static unsigned port_classes(const uint32_t *ranges, unsigned port)
{
  unsigned c = 0;
  for (unsigned k = 0; k < NSGNIC_PORT_CLASSES; k++)
    if (NSGNIC_GET(&ranges[k], PORT_RANGE_LO) <= port && port <= NSGNIC_GET(&ranges[k], PORT_RANGE_HI))
      c |= 1u << k;
  return c;
}

static void not_looked(unsigned reason, struct dp_result *r)
{
  r->reason = reason;
  r->action = reason >= NSGNIC_REASON_PUNT_FIRST ? NSGNIC_ACTION_PUNT : NSGNIC_ACTION_DENY;
  r->rule_id = NSGNIC_NO_RULE_ID;
}

/* An inbound packet's vport from the destination's label result (NULL: no match) and its binding
 * entry in the active bank; NULL when the packet is not looked up (NO_LOCAL_VPORT / UNBOUND_VPORT). */
static const uint32_t *inbound_binding(const struct dp_model *m, const uint32_t *lr, unsigned *vport,
                                       struct dp_result *r)
{
  *vport = lr ? (unsigned)NSGNIC_GET(lr, LABEL_RESULT_VPORT) : 0;
  r->dest = (NSGNIC_PORT_KIND_VF << NSGNIC_PORT_KIND_LSB) | *vport;
  if (!lr || !NSGNIC_GET(lr, LABEL_RESULT_VPORT_VALID)) {
    not_looked(NSGNIC_REASON_NO_LOCAL_VPORT, r);
    return NULL;
  }
  const uint32_t *bind = *vport < m->cfg.vports ? m->binding[m->bank & 1][*vport] : NULL;
  if (!bind || !NSGNIC_GET(bind, BINDING_VALID)) {
    not_looked(NSGNIC_REASON_UNBOUND_VPORT, r);
    return NULL;
  }
  return bind;
}


void dp_model_packet(struct dp_model *m, const uint8_t *frame, size_t len, unsigned port,
                     struct dp_result *r)
{
  memset(r, 0, sizeof *r);
  unsigned pid = (unsigned)NSGNIC_GET(&port, PORT_ID);
  int outbound = NSGNIC_GET(&port, PORT_KIND) == NSGNIC_PORT_KIND_VF;
  size_t beats = len ? (len + m->cfg.beat_bytes - 1) / m->cfg.beat_bytes : 1;
  struct parse_result p;
  if (beats > m->cfg.max_beats) {
    not_looked(NSGNIC_REASON_OVERSIZE, r);
    return;
  }
  ref_parse(frame, len, m->cfg.hdr_bytes, &p);
  /* binding of the VF */
  const uint32_t zero[4] = {0, 0, 0, 0};
  const uint32_t *bind = zero;
  unsigned ctx = pid, vport = pid;
  if (outbound) {
    bind = pid < m->cfg.vports ? m->binding[m->bank & 1][pid] : zero;
    ctx = (unsigned)NSGNIC_GET(bind, BINDING_CTX);
  }
  r->dest = outbound ? (NSGNIC_PORT_KIND_WIRE << NSGNIC_PORT_KIND_LSB) | ctx : 0;
  if (p.reason != NSGNIC_REASON_NONE) {
    not_looked(p.reason, r);
    return;
  }
  if (outbound && !NSGNIC_GET(bind, BINDING_VALID)) {
    not_looked(NSGNIC_REASON_UNBOUND_VPORT, r);
    return;
  }
  uint64_t src_lab, dst_lab, src_nic, dst_nic;
  if (m->label_ctx) {
    /* local-address table: an inbound packet's vport; then the vport's context */
    if (!outbound) {
      uint32_t lk[NSGNIC_LABEL_KEY_WORDS];
      const uint32_t *lr;
      memset(lk, 0, sizeof lk);
      put128(lk, NSGNIC_LABEL_KEY_ADDR_LSB, p.dst);
      NSGNIC_PUT(lk, LABEL_KEY_FAMILY, p.family);
      NSGNIC_PUT(lk, LABEL_KEY_CTX, pid);
      NSGNIC_PUT(lk, LABEL_KEY_BANK, m->bank);
      int lh = ref_tcam_search(&m->label, lk, &lr) >= 0;
      if (!(bind = inbound_binding(m, lh ? lr : NULL, &vport, r)))
        return;
    }
    unsigned lctx = (unsigned)NSGNIC_GET(bind, BINDING_LABEL_CTX);
    const struct dp_ctx_prefix *ps = dp_model_ctx_match(m, (int)p.family, lctx, p.src);
    const struct dp_ctx_prefix *pd = dp_model_ctx_match(m, (int)p.family, lctx, p.dst);
    src_lab = ps ? ps->lab_sub : 0;
    src_nic = ps ? ps->lab_nic : 0;
    dst_lab = pd ? pd->lab_sub : 0;
    dst_nic = pd ? pd->lab_nic : 0;
  } else {
    /* labels */
    uint32_t lk[2][NSGNIC_LABEL_KEY_WORDS];
    const uint32_t *lr[2];
    int lh[2];
    for (int k = 0; k < 2; k++) {
      memset(lk[k], 0, sizeof lk[k]);
      put128(lk[k], NSGNIC_LABEL_KEY_ADDR_LSB, k ? p.dst : p.src);
      NSGNIC_PUT(lk[k], LABEL_KEY_FAMILY, p.family);
      NSGNIC_PUT(lk[k], LABEL_KEY_CTX, ctx);
      NSGNIC_PUT(lk[k], LABEL_KEY_BANK, m->bank);
      lh[k] = ref_tcam_search(&m->label, lk[k], &lr[k]) >= 0;
    }
    src_lab = lh[0] ? NSGNIC_GET(lr[0], LABEL_RESULT_LABELS) : 0;
    dst_lab = lh[1] ? NSGNIC_GET(lr[1], LABEL_RESULT_LABELS) : 0;
    src_nic = src_lab;
    dst_nic = dst_lab;
    if (!outbound && !(bind = inbound_binding(m, lh[1] ? lr[1] : NULL, &vport, r)))
      return;
  }
  uint64_t local = NSGNIC_GET(bind, BINDING_LOCAL_LABELS);
  if (outbound) {
    src_lab |= local;
    src_nic |= local;
  } else {
    dst_lab |= local;
    dst_nic |= local;
  }
  /* platform */
  uint32_t pk[NSGNIC_PLATFORM_KEY_WORDS] = {0};
  NSGNIC_PUT(pk, PLATFORM_KEY_DST_PORT, p.dport);
  NSGNIC_PUT(pk, PLATFORM_KEY_DST_LABELS, dst_lab);
  NSGNIC_PUT(pk, PLATFORM_KEY_PROTO, p.proto);
  NSGNIC_PUT(pk, PLATFORM_KEY_L4, p.l4);
  NSGNIC_PUT(pk, PLATFORM_KEY_FAMILY, p.family);
  NSGNIC_PUT(pk, PLATFORM_KEY_DIR, outbound);
  NSGNIC_PUT(pk, PLATFORM_KEY_BANK, m->bank);
  const uint32_t *pr;
  int ph = ref_tcam_search(&m->plat, pk, &pr) >= 0;
  unsigned pclass = ph ? (unsigned)NSGNIC_GET(pr, RESULT_PLATFORM_CLASS) : NSGNIC_PLATFORM_CLASS_NONE;
  /* rules */
  const uint32_t *rr[2];
  int rh[2];
  for (int k = 0; k < 2; k++) {
    uint32_t rk[NSGNIC_RULE_KEY_WORDS] = {0};
    NSGNIC_PUT(rk, RULE_KEY_DST_PORT, p.dport);
    NSGNIC_PUT(rk, RULE_KEY_SRC_PORT, p.sport);
    NSGNIC_PUT(rk, RULE_KEY_DST_ADDR4, p.family ? 0 : p.dst[0]);
    NSGNIC_PUT(rk, RULE_KEY_SRC_ADDR4, p.family ? 0 : p.src[0]);
    NSGNIC_PUT(rk, RULE_KEY_DST_LABELS, k ? dst_nic : dst_lab); /* port 1: the NIC NSG's vectors */
    NSGNIC_PUT(rk, RULE_KEY_SRC_LABELS, k ? src_nic : src_lab);
    NSGNIC_PUT(rk, RULE_KEY_PROTO, p.proto);
    NSGNIC_PUT(rk, RULE_KEY_L4, p.l4);
    NSGNIC_PUT(rk, RULE_KEY_FAMILY, p.family);
    NSGNIC_PUT(rk, RULE_KEY_DIR, outbound);
    NSGNIC_PUT(rk, RULE_KEY_NSG, k ? NSGNIC_GET(bind, BINDING_NIC_NSG) : NSGNIC_GET(bind, BINDING_SUBNET_NSG));
    NSGNIC_PUT(rk, RULE_KEY_PLATFORM, pclass == NSGNIC_PLATFORM_CLASS_EXEMPT);
    NSGNIC_PUT(rk, RULE_KEY_BANK, m->bank);
    NSGNIC_PUT(rk, RULE_KEY_SRC_PORT_CLASS, p.l4 ? port_classes(m->prange, p.sport) : 0);
    NSGNIC_PUT(rk, RULE_KEY_DST_PORT_CLASS,
               p.l4 ? port_classes(m->prange + NSGNIC_PORT_CLASSES, p.dport) : 0);
    rh[k] = ref_tcam_search(&m->rule, rk, &rr[k]) >= 0;
  }
  struct dp_result v;
  memset(&v, 0, sizeof v);
  combine(outbound, (int)NSGNIC_GET(bind, BINDING_SUBNET_NSG_VALID), rr[0], rh[0],
          (int)NSGNIC_GET(bind, BINDING_NIC_NSG_VALID), rr[1], rh[1], pclass,
          ph ? (unsigned)NSGNIC_GET(pr, RESULT_RULE_ID) : 0, &v);
  r->action = v.action;
  r->reason = v.reason;
  r->rule_id = v.rule_id;
  r->looked = 1;
  /* flow cache; an ICMP error about a packet looks up that packet's flow, with the inner tuple
   * reversed (the error travels against the packet it embeds), and never learns */
  int rel = p.inner_ok;
  const uint32_t *ksrc = rel ? p.idst : p.src, *kdst = rel ? p.isrc : p.dst;
  unsigned ksport = rel ? p.idport : p.sport, kdport = rel ? p.isport : p.dport;
  uint32_t fk[16] = {0};
  put128(fk, NSGNIC_FLOW_LOCAL_ADDR_LSB, outbound ? ksrc : kdst);
  put128(fk, NSGNIC_FLOW_REMOTE_ADDR_LSB, outbound ? kdst : ksrc);
  NSGNIC_PUT(fk, FLOW_LOCAL_PORT, outbound ? ksport : kdport);
  NSGNIC_PUT(fk, FLOW_REMOTE_PORT, outbound ? kdport : ksport);
  NSGNIC_PUT(fk, FLOW_PROTO, rel ? p.iproto : p.proto);
  NSGNIC_PUT(fk, FLOW_FAMILY, p.family);
  NSGNIC_PUT(fk, FLOW_VPORT, vport);
  uint64_t h = dp_flow_hash(m->hkey, fk);
  unsigned bm = m->cfg.flow_buckets - 1;
  unsigned idx[4], cnt[4] = {0, 0, 0, 0}, freew[4] = {0, 0, 0, 0};
  int full[4] = {1, 1, 1, 1};
  for (unsigned t = 0; t < 4; t++)
    idx[t] = (unsigned)(h >> (16 * t)) & bm;
  unsigned nslots = 4 * m->cfg.flow_ways + m->cfg.flow_stash, table_entries = 4 * m->cfg.flow_buckets * m->cfg.flow_ways;
  int stash_free = -1;
  for (unsigned slot = 0; slot < nslots; slot++) {
    unsigned t = slot / m->cfg.flow_ways, w = slot % m->cfg.flow_ways;
    int in_stash = t >= 4;
    struct dp_flow *f = in_stash ? &m->flow[table_entries + slot - 4 * m->cfg.flow_ways]
                                 : flow_at(m, t, idx[t], w);
    {
      if (f->valid && memcmp(f->key, fk, sizeof f->key) == 0) {
        r->flow_hit = 1;
        if (rel) { /* related: forwarded by an ALLOW flow, else the rules' verdict */
          if (f->action == NSGNIC_ACTION_ALLOW) {
            r->related = 1;
            r->rule_id = f->rule_id;
            r->action = NSGNIC_ACTION_ALLOW;
            r->reason = NSGNIC_REASON_NONE;
          }
          return;
        }
        r->rule_id = f->rule_id;
        if (f->action == NSGNIC_ACTION_ALLOW) {
          r->action = NSGNIC_ACTION_ALLOW;
          r->reason = NSGNIC_REASON_NONE;
        } else if (f->action == NSGNIC_ACTION_DENY) {
          r->action = NSGNIC_ACTION_DENY;
          r->reason = NSGNIC_REASON_FLOW_DENY;
        } else {
          r->action = NSGNIC_ACTION_PUNT;
          r->reason = NSGNIC_REASON_FLOW_PUNT;
        }
        return;
      }
      if (in_stash) {
        if (!f->valid && stash_free < 0)
          stash_free = (int)(slot - 4 * m->cfg.flow_ways);
      } else if (f->valid) {
        cnt[t]++;
      } else if (full[t]) {
        full[t] = 0;
        freew[t] = w;
      }
    }
  }
  /* where the cache learns the flow: the least loaded bucket, lowest table on a tie; with every
   * bucket full the lowest free stash slot; NULL: no place */
  int all_full = full[0] && full[1] && full[2] && full[3];
  struct dp_flow *place = NULL;
  if (!all_full) {
    unsigned bt = 0, best = m->cfg.flow_ways + 1;
    for (unsigned t = 0; t < 4; t++)
      if (!full[t] && cnt[t] < best) {
        best = cnt[t];
        bt = t;
      }
    place = flow_at(m, bt, idx[bt], freew[bt]);
  } else if (stash_free >= 0) {
    place = &m->flow[table_entries + (unsigned)stash_free];
  }
  if (m->dram_tier) {
    r->dram_req = 1;
    r->outbound = outbound;
    r->probe = rel;
    r->may_learn = m->learn && v.action == NSGNIC_ACTION_ALLOW && !rel;
    memcpy(r->fkey, fk, sizeof r->fkey);
    if (m->dram_front && place) {  /* the tier decides whether the cache learns it there */
      r->cache_room = 1;
      r->cache_slot = (unsigned)(place - m->flow);
    }
    return;
  }
  if (v.action == NSGNIC_ACTION_DENY && m->ovf[idx[0]] && v.reason != NSGNIC_REASON_PLATFORM_BLOCK) {
    r->action = NSGNIC_ACTION_PUNT;
    r->reason = NSGNIC_REASON_FLOW_OVF_DENY;
    return;
  }
  if (m->learn && v.action == NSGNIC_ACTION_ALLOW && !rel) {
    if (!place) {
      m->ovf[idx[0]] = 1;
      r->learn_fail = 1;
      r->action = NSGNIC_ACTION_PUNT;
      r->reason = NSGNIC_REASON_FLOW_FULL;
      return;
    }
    struct dp_flow *f = place;
    f->valid = 1;
    memcpy(f->key, fk, sizeof f->key);
    f->action = NSGNIC_ACTION_ALLOW;
    f->rule_id = v.rule_id;
    r->learned = 1;
  }
}

/* SPDX-License-Identifier: Apache-2.0 */
/* The NSG classifier of the slow path: nsg_verify()'s semantics on bit-vector engines.
 *
 * Each NSG level a packet meets is one engine per (NSG, direction, family, VNet, local ASG
 * membership): the context fixes everything that is not a packet field — the VirtualNetwork and
 * Internet tags are the VNet's (S7), a local-side ASG item is "any" or "nothing" (S8), Icmp rules
 * do not exist in IPv6 engines (S3) — so an NSG rule becomes one engine rule whose fields are the
 * union of its items (S4 augmented rules stay one rule). A second engine per context holds only
 * the rules that name a platform tag: the S10/S11 exemption looks only at those. The decision
 * order (S13 block, S10/S11 exemption, S2 levels) is eval.c's, step by step; the differential
 * test (tests/slowpath/test_classify.c) holds the two equal. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify.h"
#include "model.h"
#include "nsgnic/slowpath.h"

struct engine {
  struct nsg_bv *all, *plat;
  int *map_all, *map_plat;
  /* dedup key */
  int nsg, dir, scope;
  uint8_t fam;
  const struct nsg_ipconfig *ipc; /* local ASG membership */
};

struct ipc_ent {
  int nic, scope;
  const struct nsg_ipconfig *ipc;
  uint8_t fam;
  nsg_u128 addr;
  int eng[2][2];   /* [dir][level] engine index, -1: no NSG at that level */
  int nsg[2][2];
  uint64_t flow_timeout;
};

struct addr_ent {
  uint8_t fam;
  nsg_u128 addr;
  int ipc;
};

struct nsg_classifier {
  const struct nsg_config *cfg;
  struct engine *eng;
  size_t neng, cap_eng;
  struct ipc_ent *ipcs;
  size_t nipcs;
  struct addr_ent *addrs;
  size_t naddrs;
  struct nsg_rset *vnet_tag, *internet; /* [scope * 2 + family index] */
};

struct rvec {
  struct nsg_bv_range *r;
  size_t n, cap;
};

static int rv_push(struct rvec *v, nsg_u128 lo, nsg_u128 hi)
{
  if (v->n == v->cap) {
    size_t nc = v->cap ? v->cap * 2 : 8;
    struct nsg_bv_range *r = realloc(v->r, nc * sizeof *r);
    if (!r)
      return -ENOMEM;
    v->r = r;
    v->cap = nc;
  }
  v->r[v->n++] = (struct nsg_bv_range){lo, hi};
  return 0;
}

static nsg_u128 fam_max(uint8_t fam)
{
  return fam == NSG_AF4 ? (nsg_u128)UINT32_MAX : ~(nsg_u128)0;
}

static int rv_prefix(struct rvec *v, const struct nsg_prefix *p, uint8_t fam)
{
  if (p->fam != fam)
    return 0;
  return rv_push(v, nsg_prefix_first(p), nsg_prefix_last(p));
}

static int rv_rset(struct rvec *v, const struct nsg_rset *s)
{
  for (size_t i = 0; i < s->n; i++)
    if (rv_push(v, s->r[i].lo, s->r[i].hi) < 0)
      return -ENOMEM;
  return 0;
}

static bool ipc_in_asg(const struct nsg_ipconfig *c, int asg)
{
  for (size_t i = 0; i < c->nasgs; i++)
    if (c->asgs[i] == asg)
      return true;
  return false;
}

/* The address ranges an item list covers for this context (S3, S7, S8). */
static int items_ranges(const struct nsg_classifier *c, const struct nsg_item *it, size_t n, uint8_t fam, int scope,
                        const struct nsg_ipconfig *local, bool local_side, struct rvec *out)
{
  const struct nsg_config *cfg = c->cfg;
  int fi = nsg_fam_index(fam);
  for (size_t i = 0; i < n; i++) {
    int rc = 0;
    switch (it[i].kind) {
    case NSG_ITEM_ANY:
      rc = rv_push(out, 0, fam_max(fam));
      break;
    case NSG_ITEM_PREFIX:
      rc = it[i].both_families ? rv_push(out, 0, fam_max(fam)) : rv_prefix(out, &it[i].pfx, fam);
      break;
    case NSG_ITEM_TAG:
      if (it[i].tag == NSG_TAG_VIRTUAL_NETWORK)
        rc = rv_rset(out, &c->vnet_tag[scope * 2 + fi]);
      else if (it[i].tag == NSG_TAG_INTERNET)
        rc = rv_rset(out, &c->internet[scope * 2 + fi]);
      else
        for (size_t k = 0; k < cfg->tags[it[i].tag].nprefixes && !rc; k++)
          rc = rv_prefix(out, &cfg->tags[it[i].tag].prefixes[k], fam);
      break;
    case NSG_ITEM_ASG:
      if (local_side) {
        if (ipc_in_asg(local, it[i].asg))
          rc = rv_push(out, 0, fam_max(fam));
      } else {
        for (size_t m = 0; m < cfg->nnics && !rc; m++)
          for (size_t k = 0; k < cfg->nics[m].nipcs && !rc; k++) {
            const struct nsg_ipconfig *x = &cfg->nics[m].ipcs[k];
            if (x->has_ip && x->ip.fam == fam && ipc_in_asg(x, it[i].asg))
              rc = rv_push(out, x->ip.v, x->ip.v);
          }
      }
      break;
    }
    if (rc)
      return rc;
  }
  return 0;
}

static int ports_ranges(const struct nsg_portrange *p, size_t n, bool full, struct rvec *out)
{
  if (full)
    return rv_push(out, 0, NSG_BV_NOPORT);
  for (size_t i = 0; i < n; i++)
    if (rv_push(out, p[i].lo, p[i].hi) < 0)
      return -ENOMEM;
  return 0;
}

/* Builds the engine of (nsg, dir, fam, scope, local ipc); platform_only: rules naming a
 * platform tag only. */
static int build_engine(const struct nsg_classifier *c, const struct nsg_nsg *nsg, int dir, uint8_t fam, int scope,
                        const struct nsg_ipconfig *local, bool platform_only, struct nsg_bv **out, int **map)
{
  size_t n = nsg->nrules;
  struct nsg_bv_rule *rules = calloc(n ? n : 1, sizeof *rules);
  struct rvec *vec = calloc(n ? 4 * n : 1, sizeof *vec);
  int *m = calloc(n ? n : 1, sizeof *m);
  int rc = -ENOMEM;
  size_t nr = 0;
  if (!rules || !vec || !m)
    goto out;
  bool out_dir = dir == NSG_OUTBOUND;
  for (size_t i = 0; i < n; i++) {
    const struct nsg_rule *r = &nsg->rules[i];
    if ((int)r->dir != dir || (platform_only && !r->names_platform_tag))
      continue;
    if (r->proto == 1 && fam != NSG_AF4) /* S3: Icmp is ICMP for IPv4 only */
      continue;
    struct rvec *v = &vec[4 * nr];
    if (items_ranges(c, r->src, r->nsrc, fam, scope, local, out_dir, &v[0]) ||
        items_ranges(c, r->dst, r->ndst, fam, scope, local, !out_dir, &v[1]) ||
        ports_ranges(r->sports, r->nsports, r->sports_full, &v[2]) ||
        ports_ranges(r->dports, r->ndports, r->dports_full, &v[3]))
      goto out;
    if (!v[0].n || !v[1].n) { /* cannot match in this context */
      for (int k = 0; k < 4; k++) {
        free(v[k].r);
        v[k] = (struct rvec){0};
      }
      continue;
    }
    struct nsg_bv_rule *b = &rules[nr];
    b->src = v[0].r, b->nsrc = v[0].n;
    b->dst = v[1].r, b->ndst = v[1].n;
    b->sport = v[2].r, b->nsport = v[2].n;
    b->dport = v[3].r, b->ndport = v[3].n;
    b->proto = r->proto == NSG_PROTO_ANY ? 0 : (uint8_t)r->proto;
    b->proto_mask = r->proto == NSG_PROTO_ANY ? 0 : 0xff;
    m[nr++] = (int)i;
  }
  *out = nsg_bv_build(fam == NSG_AF4 ? 32 : 128, rules, nr);
  if (!*out)
    goto out;
  *map = m;
  m = NULL;
  rc = 0;
out:
  if (vec)
    for (size_t i = 0; i < 4 * n; i++)
      free(vec[i].r);
  free(vec);
  free(rules);
  free(m);
  return rc;
}

static bool same_asgs(const struct nsg_ipconfig *a, const struct nsg_ipconfig *b)
{
  if (a->nasgs != b->nasgs)
    return false;
  for (size_t i = 0; i < a->nasgs; i++)
    if (!ipc_in_asg(b, a->asgs[i]))
      return false;
  return true;
}

static int engine_for(struct nsg_classifier *c, int nsg, int dir, uint8_t fam, int scope,
                      const struct nsg_ipconfig *ipc)
{
  for (size_t i = 0; i < c->neng; i++) {
    struct engine *e = &c->eng[i];
    if (e->nsg == nsg && e->dir == dir && e->fam == fam && e->scope == scope && same_asgs(e->ipc, ipc))
      return (int)i;
  }
  if (c->neng == c->cap_eng) {
    size_t nc = c->cap_eng ? c->cap_eng * 2 : 8;
    struct engine *e = realloc(c->eng, nc * sizeof *e);
    if (!e)
      return -ENOMEM;
    c->eng = e;
    c->cap_eng = nc;
  }
  struct engine *e = &c->eng[c->neng];
  memset(e, 0, sizeof *e);
  e->nsg = nsg, e->dir = dir, e->fam = fam, e->scope = scope, e->ipc = ipc;
  const struct nsg_nsg *n = &c->cfg->nsgs[nsg];
  int rc = build_engine(c, n, dir, fam, scope, ipc, false, &e->all, &e->map_all);
  if (!rc)
    rc = build_engine(c, n, dir, fam, scope, ipc, true, &e->plat, &e->map_plat);
  if (rc) {
    nsg_bv_free(e->all);
    nsg_bv_free(e->plat);
    free(e->map_all);
    free(e->map_plat);
    return rc;
  }
  return (int)c->neng++;
}

/* S7 (revised), as eval.c computes it, per scope (VNet + the subnet's route table): Internet =
 * public minus the VNet's own spaces; VirtualNetwork = those spaces + 168.63.129.16 + the
 * prefixes of the route table's routes. */
static int build_tags(struct nsg_classifier *c)
{
  const struct nsg_config *cfg = c->cfg;
  size_t nv = cfg->nscopes ? cfg->nscopes : 1;
  c->vnet_tag = calloc(nv * 2, sizeof *c->vnet_tag);
  c->internet = calloc(nv * 2, sizeof *c->internet);
  if (!c->vnet_tag || !c->internet)
    return -ENOMEM;
  for (size_t si = 0; si < cfg->nscopes; si++)
    for (int fi = 0; fi < 2; fi++) {
      uint8_t fam = fi ? NSG_AF6 : NSG_AF4;
      struct nsg_rset *vt = &c->vnet_tag[si * 2 + fi], *in = &c->internet[si * 2 + fi];
      nsg_rset_init(vt, fam);
      nsg_rset_init(in, fam);
      const struct nsg_scope *sc = &cfg->scopes[si];
      const struct nsg_vnet *v = &cfg->vnets[sc->vnet];
      int rc = 0;
      for (size_t i = 0; i < v->nspace && !rc; i++)
        if (v->space[i].fam == fam)
          rc = nsg_rset_add_prefix(vt, &v->space[i]);
      for (size_t i = 0; i < v->nconnected && !rc; i++)
        if (v->connected[i].fam == fam)
          rc = nsg_rset_add_prefix(vt, &v->connected[i]);
      for (size_t k = 0; k < v->npeerings && !rc; k++) {
        const struct nsg_peering *p = &v->peerings[k];
        if (!p->connected)
          continue;
        const struct nsg_prefix *pl = p->prefixes;
        size_t n = p->nprefixes;
        if (n == 0 && p->remote_vnet >= 0) {
          pl = cfg->vnets[p->remote_vnet].space;
          n = cfg->vnets[p->remote_vnet].nspace;
        }
        for (size_t j = 0; j < n && !rc; j++)
          if (pl[j].fam == fam)
            rc = nsg_rset_add_prefix(vt, &pl[j]);
      }
      if (!rc)
        rc = nsg_rset_add(in, 0, fam_max(fam));
      if (!rc)
        rc = nsg_rset_subtract(in, &cfg->nonpublic[fi]);
      if (!rc)
        rc = nsg_rset_subtract(in, vt);
      if (!rc && fam == NSG_AF4)
        rc = nsg_rset_add(vt, 0xa83f8110u, 0xa83f8110u); /* the host IP 168.63.129.16 */
      const struct nsg_rtable *rt = sc->rt >= 0 ? &cfg->rtables[sc->rt] : NULL;
      for (size_t k = 0; rt && k < rt->nroutes && !rc; k++) {
        const struct nsg_route *r = &rt->routes[k];
        if (!r->is_tag) {
          if (r->pfx.fam == fam)
            rc = nsg_rset_add_prefix(vt, &r->pfx);
          continue;
        }
        for (size_t j = 0; j < cfg->tags[r->tag].nprefixes && !rc; j++)
          if (cfg->tags[r->tag].prefixes[j].fam == fam)
            rc = nsg_rset_add_prefix(vt, &cfg->tags[r->tag].prefixes[j]);
      }
      if (rc)
        return rc;
    }
  return 0;
}

static int addr_cmp(const void *a, const void *b)
{
  const struct addr_ent *x = a, *y = b;
  if (x->fam != y->fam)
    return x->fam < y->fam ? -1 : 1;
  if (x->addr != y->addr)
    return x->addr < y->addr ? -1 : 1;
  return x->ipc < y->ipc ? -1 : x->ipc > y->ipc;
}

void nsg_classifier_free(struct nsg_classifier *c)
{
  if (!c)
    return;
  for (size_t i = 0; i < c->neng; i++) {
    nsg_bv_free(c->eng[i].all);
    nsg_bv_free(c->eng[i].plat);
    free(c->eng[i].map_all);
    free(c->eng[i].map_plat);
  }
  free(c->eng);
  if (c->vnet_tag)
    for (size_t i = 0; i < c->cfg->nscopes * 2; i++) {
      nsg_rset_free(&c->vnet_tag[i]);
      nsg_rset_free(&c->internet[i]);
    }
  free(c->vnet_tag);
  free(c->internet);
  free(c->ipcs);
  free(c->addrs);
  free(c);
}

struct nsg_classifier *nsg_classifier_new(const struct nsg_config *cfg, char *err, size_t errlen)
{
  if (!cfg->finalized || cfg->errors) {
    snprintf(err, errlen, "the configuration is not valid; fix its errors first");
    errno = EINVAL;
    return NULL;
  }
  struct nsg_classifier *c = calloc(1, sizeof *c);
  if (!c)
    goto nomem;
  c->cfg = cfg;
  if (build_tags(c) < 0)
    goto nomem;
  size_t n = 0;
  for (size_t i = 0; i < cfg->nnics; i++)
    n += cfg->nics[i].nipcs;
  c->ipcs = calloc(n ? n : 1, sizeof *c->ipcs);
  c->addrs = calloc(n ? n : 1, sizeof *c->addrs);
  if (!c->ipcs || !c->addrs)
    goto nomem;
  for (size_t i = 0; i < cfg->nnics; i++) {
    const struct nsg_nic *nic = &cfg->nics[i];
    for (size_t k = 0; k < nic->nipcs; k++) {
      const struct nsg_ipconfig *x = &nic->ipcs[k];
      if (!x->has_ip || x->subnet < 0)
        continue;
      struct ipc_ent *e = &c->ipcs[c->nipcs];
      const struct nsg_subnet *sn = &cfg->subnets[x->subnet];
      e->nic = (int)i;
      e->ipc = x;
      e->scope = sn->scope;
      e->fam = x->ip.fam;
      e->addr = x->ip.v;
      int tmo = cfg->vnets[sn->vnet].flow_timeout_min;
      e->flow_timeout = (uint64_t)(tmo > 0 ? tmo : 4) * 60 * NSG_SEC;
      int lv[2][2] = {{sn->nsg, nic->nsg}, {nic->nsg, sn->nsg}}; /* S2 order per direction */
      for (int d = 0; d < 2; d++)
        for (int l = 0; l < 2; l++) {
          e->nsg[d][l] = lv[d][l];
          e->eng[d][l] = -1;
          if (lv[d][l] >= 0) {
            int rc = engine_for(c, lv[d][l], d, e->fam, e->scope, x);
            if (rc < 0)
              goto nomem;
            e->eng[d][l] = rc;
          }
        }
      c->addrs[c->naddrs++] = (struct addr_ent){e->fam, e->addr, (int)c->nipcs};
      c->nipcs++;
    }
  }
  qsort(c->addrs, c->naddrs, sizeof *c->addrs, addr_cmp);
  return c;
nomem:
  nsg_classifier_free(c);
  snprintf(err, errlen, "out of memory building the classifier");
  errno = ENOMEM;
  return NULL;
}

int nsg_classifier_find_ipc(const struct nsg_classifier *c, uint8_t fam, nsg_u128 a, int *nic)
{
  size_t lo = 0, hi = c->naddrs;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    const struct addr_ent *e = &c->addrs[mid];
    if (e->fam < fam || (e->fam == fam && e->addr < a))
      lo = mid + 1;
    else
      hi = mid;
  }
  if (lo < c->naddrs && c->addrs[lo].fam == fam && c->addrs[lo].addr == a) {
    if (nic)
      *nic = c->ipcs[c->addrs[lo].ipc].nic;
    return c->addrs[lo].ipc;
  }
  return -1;
}

int nsg_classifier_nic_ipc(const struct nsg_classifier *c, int nic, uint8_t fam, nsg_u128 a)
{
  int found = -1;
  for (size_t i = 0; i < c->nipcs; i++) /* the last matching one, as eval.c */
    if (c->ipcs[i].nic == nic && c->ipcs[i].fam == fam && c->ipcs[i].addr == a)
      found = (int)i;
  return found;
}

void nsg_classifier_ipc_nsgs(const struct nsg_classifier *c, int ipc, int nsgs[2])
{
  nsgs[0] = c->ipcs[ipc].nsg[NSG_INBOUND][0]; /* inbound order: subnet, NIC */
  nsgs[1] = c->ipcs[ipc].nsg[NSG_INBOUND][1];
}

uint64_t nsg_classifier_flow_timeout(const struct nsg_classifier *c, int ipc)
{
  return ipc >= 0 && (size_t)ipc < c->nipcs ? c->ipcs[ipc].flow_timeout : 240 * NSG_SEC;
}

const struct nsg_config *nsg_classifier_config(const struct nsg_classifier *c)
{
  return c->cfg;
}

size_t nsg_classifier_memory(const struct nsg_classifier *c)
{
  size_t m = sizeof *c + c->nipcs * (sizeof *c->ipcs + sizeof *c->addrs);
  for (size_t i = 0; i < c->neng; i++)
    m += nsg_bv_memory(c->eng[i].all) + nsg_bv_memory(c->eng[i].plat);
  return m;
}

static bool in_prefixes(const struct nsg_prefix *p, size_t n, uint8_t fam, nsg_u128 a)
{
  struct nsg_ip ip = {.fam = fam, .v = a};
  for (size_t i = 0; i < n; i++)
    if (nsg_prefix_contains(&p[i], &ip))
      return true;
  return false;
}

void nsg_classify(const struct nsg_classifier *c, int ipc, enum nsg_direction dir, const struct nsg_cls_tuple *t,
                  struct nsg_cls_verdict *v)
{
  const struct nsg_config *cfg = c->cfg;
  const struct ipc_ent *e = &c->ipcs[ipc];
  int fi = nsg_fam_index(t->fam);
  bool l4 = t->proto == 6 || t->proto == 17;
  uint16_t rport = l4 ? t->rport : 0;
  v->nsg = v->rule = -1;
  v->platform = 0;
  /* 1. S13 */
  if (dir == NSG_OUTBOUND && t->proto == 6 && rport == 25 &&
      nsg_s13_blocks(cfg) &&
      nsg_rset_contains(&c->internet[e->scope * 2 + fi], t->remote)) {
    v->allow = false;
    v->kind = NSG_DECIDED_BY_PLATFORM;
    v->platform = 2;
    return;
  }
  /* 2. S10/S11 */
  bool exempt = false;
  if (dir == NSG_OUTBOUND && cfg->opts.platform_exemption) {
    for (int tg = NSG_TAG_PLATFORM_DNS; tg <= NSG_TAG_PLATFORM_IMDS && !exempt; tg++)
      exempt = in_prefixes(cfg->tags[tg].prefixes, cfg->tags[tg].nprefixes, t->fam, t->remote);
    if (!exempt && t->proto == 6 && rport == 1688 && !cfg->scopes[e->scope].kms_off)
      exempt = in_prefixes(cfg->kms, cfg->nkms, t->fam, t->remote);
  }
  /* 3. S2 levels */
  bool out = dir == NSG_OUTBOUND;
  struct nsg_bv_key k = {
      .src = out ? t->local : t->remote,
      .dst = out ? t->remote : t->local,
      .sport = l4 ? (out ? t->lport : t->rport) : NSG_BV_NOPORT,
      .dport = l4 ? (out ? t->rport : t->lport) : NSG_BV_NOPORT,
      .proto = (uint8_t)t->proto,
  };
  int last_nsg = -1, last_rule = -1;
  for (int l = 0; l < 2; l++) {
    int ei = e->eng[dir][l];
    if (ei < 0)
      continue;
    const struct engine *en = &c->eng[ei];
    long hit = nsg_bv_classify(exempt ? en->plat : en->all, &k);
    if (hit < 0)
      continue;
    int rule = (exempt ? en->map_plat : en->map_all)[hit];
    if (cfg->nsgs[en->nsg].rules[rule].access == NSG_DENY) {
      v->allow = false;
      v->kind = NSG_DECIDED_BY_RULE;
      v->nsg = en->nsg;
      v->rule = rule;
      return;
    }
    last_nsg = en->nsg;
    last_rule = rule;
  }
  v->allow = true;
  if (last_rule >= 0) {
    v->kind = NSG_DECIDED_BY_RULE;
    v->nsg = last_nsg;
    v->rule = last_rule;
  } else if (exempt) {
    v->kind = NSG_DECIDED_BY_PLATFORM;
    bool vip = t->fam == NSG_AF4 && (t->remote == ((nsg_u128)168 << 24 | 63 << 16 | 129 << 8 | 16) ||
                                     t->remote == ((nsg_u128)169 << 24 | 254 << 16 | 169 << 8 | 254));
    v->platform = t->proto == 6 && rport == 1688 && !vip ? 1 : 0;
  } else {
    v->kind = NSG_DECIDED_NO_NSG;
  }
}

void nsg_cls_verdict_fill(const struct nsg_classifier *c, const struct nsg_cls_verdict *cv, struct nsg_verdict *v)
{
  memset(v, 0, sizeof *v);
  v->allow = cv->allow;
  v->kind = (enum nsg_decision_kind)cv->kind;
  if (cv->kind == NSG_DECIDED_BY_RULE) {
    const struct nsg_nsg *n = &c->cfg->nsgs[cv->nsg];
    const struct nsg_rule *r = &n->rules[cv->rule];
    snprintf(v->rule_name, sizeof v->rule_name, "%s/%s", r->is_default ? "defaultSecurityRules" : "securityRules",
             r->name);
    snprintf(v->nsg_name, sizeof v->nsg_name, "%s", n->name);
  } else if (cv->kind == NSG_DECIDED_BY_PLATFORM) {
    snprintf(v->reason, sizeof v->reason, "%s",
             cv->platform == 2   ? "outbound TCP port 25 to the Internet is blocked for this subscription type (S13)"
             : cv->platform == 1 ? "Windows activation (KMS) platform rule (S11)"
                                 : "host node virtual IP 168.63.129.16 / 169.254.169.254 (S10)");
  }
}

int nsg_classifier_verify(const struct nsg_classifier *c, const struct nsg_query *q, struct nsg_verdict *v,
                          char *err, size_t errlen)
{
  memset(v, 0, sizeof *v);
  const struct nsg_config *cfg = c->cfg;
  const struct nsg_nic *nic = nsg_find_nic(cfg, q->nic);
  if (!nic) {
    snprintf(err, errlen, "no network interface named '%s' in the configuration", q->nic);
    return -ENOENT;
  }
  struct nsg_ip local, remote;
  int qrc = nsg_query_parse(q, &local, &remote, err, errlen);
  if (qrc < 0)
    return qrc;
  int ipc = nsg_classifier_nic_ipc(c, (int)(nic - cfg->nics), local.fam, local.v);
  if (ipc < 0) {
    snprintf(err, errlen, "local address %s is not an address of network interface '%s'", q->local, nic->name);
    return -EINVAL;
  }
  struct nsg_cls_tuple t = {local.fam, q->proto, local.v, remote.v, q->local_port, q->remote_port};
  struct nsg_cls_verdict cv;
  nsg_classify(c, ipc, q->dir, &t, &cv);
  nsg_cls_verdict_fill(c, &cv, v);
  return 0;
}

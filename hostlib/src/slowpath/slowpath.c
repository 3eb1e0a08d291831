/* SPDX-License-Identifier: Apache-2.0 */
/* The software packet path: parser -> NIC and direction from the topology -> flow lookup (S5) ->
 * classifier on a miss -> flow creation within the S5 limit -> flow log.
 *
 * Direction: a packet whose destination is a NIC's address is inbound to it, one whose source is
 * a NIC's address is outbound from it; NIC to NIC is outbound at the sender, then inbound at the
 * receiver, and passes only when both pass.
 * ICMP errors: the embedded header names the flow they refer to; a tracked flow lets them pass
 * (RELATED), otherwise the rules decide them like any packet (no flow is created).
 * Fragments (reassembly-free): the first fragment is decided with its ports and the decision is
 * kept by (family, source, destination, protocol, id) for frag_timeout in a direct-mapped table
 * of frag_slots; later fragments take it. Limits: a later fragment that arrives before its first
 * fragment, or whose entry was overwritten or timed out, is dropped (counted FRAG_ORPHAN). */
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "classify.h"
#include "flowlog.h"
#include "model.h"
#include "nsgnic/slowpath.h"

#define TAG_NONE UINT32_MAX

struct frag {
  uint8_t fam, proto, used;
  bool allow;
  uint32_t id;
  uint64_t src[2], dst[2];
  uint64_t at;
  long flow[2];
};

struct nic_stats {
  uint64_t *allow, *deny; /* per global rule index (+2: platform, none) */
};

struct nsg_slowpath {
  const struct nsg_config *cfg;
  struct nsg_slowpath_opts o;
  struct nsg_classifier *cls;
  struct nsg_ct *ct;
  struct nsg_flowlog *fl;
  struct frag *frags;
  size_t *rule_base; /* global rule index of nsgs[i].rules[0] */
  size_t nglobal;
  struct nic_stats *ns;
  uint64_t why[NSG_SP_WHY_COUNT];
  uint64_t parse_err[NSG_PKT_ERRS];
  uint64_t last_tick, now;
  bool ticked;
  void (*hw_end)(void *ctx, const struct nsg_flow_info *i);
  void *hw_end_ctx;
};

const char *nsg_sp_why_name(enum nsg_sp_why w)
{
  static const char *const n[NSG_SP_WHY_COUNT] = {"new_flow", "flow",   "related",     "allowed_noflow",
                                                   "fragment", "denied", "flow_limit", "table_full",
                                                   "frag_orphan", "malformed", "no_nic"};
  return (unsigned)w < NSG_SP_WHY_COUNT ? n[w] : "?";
}

void nsg_addr_format(uint8_t fam, const uint64_t a[2], char *buf, size_t n)
{
  struct nsg_ip ip = {.fam = fam == 6 ? NSG_AF6 : NSG_AF4, .v = (nsg_u128)a[1] << 64 | a[0]};
  nsg_ip_format(&ip, buf, n);
}

void nsg_slowpath_opts_default(struct nsg_slowpath_opts *o)
{
  memset(o, 0, sizeof *o);
  nsg_ct_opts_default(&o->ct);
  o->flow_log_format = NSG_FLOWLOG_NSG_V2;
  o->flow_log_interval = 300 * NSG_SEC;
  o->flow_log_record = 60 * NSG_SEC;
  o->frag_slots = 4096;
  o->frag_timeout = 30 * NSG_SEC;
}

static uint32_t make_tag(const struct nsg_cls_verdict *v)
{
  return v->kind == NSG_DECIDED_BY_RULE ? (uint32_t)v->nsg << 16 | (uint32_t)v->rule : TAG_NONE;
}

/* S5 (revised): with the VNet's flowTimeoutInMinutes unset, Azure logs flows allowed by a
 * non-default inbound TCP rule as non-terminating: their B tuple only, no counts and no E. The
 * rule is the one the flow is logged under (the verdict's). */
static bool non_terminating(const struct nsg_slowpath *sp, const struct nsg_flow_info *i)
{
  const struct nsg_config *cfg = sp->cfg;
  if (sp->o.flow_log_always_end || i->init_outbound || i->key.proto != 6 || i->tag == TAG_NONE ||
      (i->tag >> 16) >= cfg->nnsgs || i->key.nic >= cfg->nnics)
    return false;
  const struct nsg_nsg *g = &cfg->nsgs[i->tag >> 16];
  if ((i->tag & 0xffff) >= g->nrules || g->rules[i->tag & 0xffff].is_default)
    return false;
  int v = cfg->nics[i->key.nic].vnet;
  return v >= 0 && (size_t)v < cfg->nvnets && cfg->vnets[v].flow_timeout_min == 0;
}

/* A flow's tuple. B at its first packet's time; C and E carry the counts since its previous tuple
 * (the first packet's included: B has none) and are stamped in whole seconds, the resolution
 * both the software tracker and a device's idle ticks agree on (never before the B). */
static void log_flow(struct nsg_slowpath *sp, const struct nsg_flow_info *i, char state, uint64_t now)
{
  if (!sp->fl || i->tag == TAG_NONE)
    return;
  if (state != 'B' && non_terminating(sp, i))
    return;
  if (state != 'B' && (now = now / NSG_SEC * NSG_SEC) < i->created)
    now = i->created; /* never before its B (VNet logs have milliseconds) */
  struct nsg_fl_tuple t = {.fam = i->key.fam, .proto = i->key.proto, .outbound = i->init_outbound, .allow = true,
                           .state = state};
  const uint64_t *l = i->key.local, *r = i->key.remote;
  memcpy(t.src, i->init_outbound ? l : r, 16);
  memcpy(t.dst, i->init_outbound ? r : l, 16);
  t.sport = i->init_outbound ? i->key.lport : i->key.rport;
  t.dport = i->init_outbound ? i->key.rport : i->key.lport;
  t.cnt[0] = i->pkts[0] - i->logged_pkts[0];
  t.cnt[1] = i->bytes[0] - i->logged_bytes[0];
  t.cnt[2] = i->pkts[1] - i->logged_pkts[1];
  t.cnt[3] = i->bytes[1] - i->logged_bytes[1];
  nsg_flowlog_tuple(sp->fl, now, (int)(i->tag >> 16), (int)(i->tag & 0xffff), i->key.nic, &t);
}

/* A denied new connection: D tuple (NSG v2: B with access D) under the denying NSG's rule. */
static void log_denied(struct nsg_slowpath *sp, int nsg, int rule, int nic, bool out, const struct nsg_pkt *p,
                       uint64_t now)
{
  if (!sp->fl)
    return;
  struct nsg_fl_tuple ft = {.fam = p->fam, .proto = p->proto, .sport = p->sport, .dport = p->dport,
                            .outbound = out, .allow = false, .state = 'D'};
  memcpy(ft.src, p->src, 16);
  memcpy(ft.dst, p->dst, 16);
  nsg_flowlog_tuple(sp->fl, now, nsg, rule, nic, &ft);
}

int nsg_slowpath_log_denied(struct nsg_slowpath *sp, int nic, bool outbound, const struct nsg_pkt *p,
                            const char *rule, uint64_t now)
{
  if (now > sp->now)
    sp->now = now;
  const char *slash = rule ? strchr(rule, '/') : NULL;
  if (!slash || nic < 0 || (size_t)nic >= sp->cfg->nnics)
    return -ENOENT;
  for (size_t g = 0; g < sp->cfg->nnsgs; g++) {
    const struct nsg_nsg *n = &sp->cfg->nsgs[g];
    if (strlen(n->name) != (size_t)(slash - rule) || strncmp(n->name, rule, (size_t)(slash - rule)) != 0)
      continue;
    const char *name = strrchr(rule, '/') + 1; /* "NSG/securityRules/NAME" or "NSG/NAME" */
    for (size_t r = 0; r < n->nrules; r++)
      if (nsg_strcaseeq(n->rules[r].name, name)) {
        log_denied(sp, (int)g, (int)r, nic, outbound, p, now);
        return 0;
      }
  }
  return -ENOENT;
}

static void on_end(void *ctx, const struct nsg_flow_info *i, enum nsg_ct_end why)
{
  struct nsg_slowpath *sp = ctx;
  if (why == NSG_END_FLUSH && i->where == NSG_FLOW_HW && sp->hw_end)
    sp->hw_end(sp->hw_end_ctx, i);
  uint64_t at = sp->now;
  if (why == NSG_END_IDLE || why == NSG_END_FIN || why == NSG_END_RST) { /* when it aged out */
    uint64_t exp = i->last + nsg_ct_timeout(sp->ct, i->state, i->timeout_est);
    if (exp < at)
      at = exp;
  }
  log_flow(sp, i, 'E', at);
}

void nsg_slowpath_free(struct nsg_slowpath *sp)
{
  if (!sp)
    return;
  if (sp->fl && nsg_flowlog_close(sp->fl, sp->now) < 0)
    fprintf(stderr, "nsgnic: the flow log is incomplete: out of memory\n");
  nsg_ct_free(sp->ct);
  nsg_classifier_free(sp->cls);
  if (sp->ns)
    for (size_t i = 0; i < sp->cfg->nnics; i++) {
      free(sp->ns[i].allow);
      free(sp->ns[i].deny);
    }
  free(sp->ns);
  free(sp->frags);
  free(sp->rule_base);
  free(sp);
}

struct nsg_slowpath *nsg_slowpath_new(const struct nsg_config *cfg, const struct nsg_slowpath_opts *o)
{
  struct nsg_slowpath *sp = calloc(1, sizeof *sp);
  if (!sp) {
    errno = ENOMEM;
    return NULL;
  }
  sp->cfg = cfg;
  if (o)
    sp->o = *o;
  else
    nsg_slowpath_opts_default(&sp->o);
  if (!sp->o.frag_slots)
    sp->o.frag_slots = 4096;
  char err[256];
  sp->cls = nsg_classifier_new(cfg, err, sizeof err);
  if (!sp->cls)
    goto fail;
  sp->ct = nsg_ct_new(&sp->o.ct);
  if (!sp->ct)
    goto fail;
  nsg_ct_set_end_cb(sp->ct, on_end, sp);
  sp->frags = calloc(sp->o.frag_slots, sizeof *sp->frags);
  sp->rule_base = calloc(cfg->nnsgs + 1, sizeof *sp->rule_base);
  sp->ns = calloc(cfg->nnics + 1, sizeof *sp->ns);
  if (!sp->frags || !sp->rule_base || !sp->ns)
    goto nomem;
  for (size_t i = 0; i < cfg->nnsgs; i++)
    sp->rule_base[i + 1] = sp->rule_base[i] + cfg->nsgs[i].nrules;
  sp->nglobal = sp->rule_base[cfg->nnsgs] + 2;
  if (sp->o.flow_log) {
    sp->fl = nsg_flowlog_new(sp->o.flow_log, sp->o.flow_log_format, cfg, sp->o.flow_log_record);
    if (!sp->fl)
      goto nomem;
  }
  return sp;
nomem:
  errno = ENOMEM;
fail:;
  int e = errno;
  nsg_slowpath_free(sp);
  errno = e;
  return NULL;
}

void nsg_slowpath_set_hw_end_cb(struct nsg_slowpath *sp, void (*fn)(void *ctx, const struct nsg_flow_info *i),
                                void *ctx)
{
  sp->hw_end = fn;
  sp->hw_end_ctx = ctx;
}

long nsg_slowpath_hw_flow(struct nsg_slowpath *sp, const struct nsg_flow_key *k, bool init_outbound,
                          uint32_t hw_index, const struct nsg_pkt *first, uint64_t now)
{
  if (now > sp->now)
    sp->now = now;
  long id = nsg_ct_lookup(sp->ct, k);
  if (id >= 0) {
    nsg_ct_hw_sync(sp->ct, id, hw_index, NULL, NULL, NULL);
    return id;
  }
  uint8_t fam = k->fam == 6 ? NSG_AF6 : NSG_AF4;
  nsg_u128 local = (nsg_u128)k->local[1] << 64 | k->local[0];
  nsg_u128 remote = (nsg_u128)k->remote[1] << 64 | k->remote[0];
  int ipc = k->nic < sp->cfg->nnics ? nsg_classifier_nic_ipc(sp->cls, k->nic, fam, local) : -1;
  if (ipc < 0)
    return -EINVAL;
  struct nsg_cls_tuple t = {fam, k->proto, local, remote, k->lport, k->rport};
  struct nsg_cls_verdict v;
  nsg_classify(sp->cls, ipc, init_outbound ? NSG_OUTBOUND : NSG_INBOUND, &t, &v);
  /* the device passes this flow: track it whatever the rules say now (a kept flow after a rule
   * change is not attributed to any rule, as in nsg_slowpath_reload) */
  id = nsg_ct_create(sp->ct, k, init_outbound, v.allow ? make_tag(&v) : TAG_NONE,
                     nsg_classifier_flow_timeout(sp->cls, ipc), NSG_FLOW_HW, now);
  if (id == -EDQUOT)
    return -ENOSPC;
  if (id < 0)
    return id;
  nsg_ct_set_where(sp->ct, id, NSG_FLOW_HW, hw_index, now);
  if (first) { /* the datapath learned it from this packet and counted it: so does the host */
    nsg_ct_packet(sp->ct, id, true, first->tcp_flags, first->len, now);
    uint32_t p[2] = {init_outbound ? 1 : 0, init_outbound ? 0 : 1};
    uint32_t b[2] = {init_outbound ? first->len : 0, init_outbound ? 0 : first->len};
    nsg_ct_hw_counted(sp->ct, id, p, b);
  }
  struct nsg_flow_info fi;
  nsg_ct_get(sp->ct, id, &fi);
  log_flow(sp, &fi, 'B', now);
  return id;
}

struct reload {
  struct nsg_slowpath *sp;
  const struct nsg_config *cfg;
  struct nsg_classifier *cls;
  int *map; /* old NIC index -> new */
  long ended;
};

static int reload_cb(void *ctx, long id, const struct nsg_flow_info *i)
{
  struct reload *r = ctx;
  int nic = r->map[i->key.nic];
  uint8_t fam = i->key.fam == 6 ? NSG_AF6 : NSG_AF4;
  nsg_u128 local = (nsg_u128)i->key.local[1] << 64 | i->key.local[0];
  nsg_u128 remote = (nsg_u128)i->key.remote[1] << 64 | i->key.remote[0];
  int ipc = nic >= 0 ? nsg_classifier_nic_ipc(r->cls, nic, fam, local) : -1;
  if (ipc < 0) { /* the NIC or its address is gone */
    nsg_ct_end(r->sp->ct, id, NSG_END_FLUSH);
    r->ended++;
    return 0;
  }
  struct nsg_cls_tuple t = {fam, i->key.proto, local, remote, i->key.lport, i->key.rport};
  struct nsg_cls_verdict v;
  nsg_classify(r->cls, ipc, i->init_outbound ? NSG_OUTBOUND : NSG_INBOUND, &t, &v);
  int lv[2];
  nsg_classifier_ipc_nsgs(r->cls, ipc, lv);
  bool flush = (lv[0] >= 0 && r->cfg->nsgs[lv[0]].flush_connection) ||
               (lv[1] >= 0 && r->cfg->nsgs[lv[1]].flush_connection);
  if (!v.allow && flush) { /* S5 flushConnection: flows no longer allowed end */
    nsg_ct_end(r->sp->ct, id, NSG_END_FLUSH);
    r->ended++;
    return 0;
  }
  nsg_ct_set_tag(r->sp->ct, id, v.allow ? make_tag(&v) : TAG_NONE);
  if (nsg_ct_set_nic(r->sp->ct, id, (uint16_t)nic) == -EEXIST) {
    nsg_ct_end(r->sp->ct, id, NSG_END_FLUSH);
    r->ended++;
  }
  return 0;
}

long nsg_slowpath_reload(struct nsg_slowpath *sp, const struct nsg_config *cfg, uint64_t now)
{
  if (now > sp->now)
    sp->now = now;
  char err[256];
  struct reload r = {sp, cfg, nsg_classifier_new(cfg, err, sizeof err), NULL, 0};
  if (!r.cls)
    return -errno;
  size_t *rule_base = calloc(cfg->nnsgs + 1, sizeof *rule_base);
  struct nic_stats *ns = calloc(cfg->nnics + 1, sizeof *ns);
  r.map = calloc(sp->cfg->nnics + 1, sizeof *r.map);
  if (!rule_base || !ns || !r.map) {
    free(rule_base), free(ns), free(r.map);
    nsg_classifier_free(r.cls);
    return -ENOMEM;
  }
  for (size_t i = 0; i < sp->cfg->nnics; i++) {
    const struct nsg_nic *n = nsg_find_nic(cfg, sp->cfg->nics[i].name);
    r.map[i] = n ? (int)(n - cfg->nics) : -1;
  }
  /* pass 1, under the old configuration (E tuples name the old rules) */
  nsg_ct_foreach(sp->ct, reload_cb, &r);
  nsg_flowlog_set_config(sp->fl, cfg); /* buffered tuples keep the old names */
  /* switch */
  for (size_t i = 0; i < sp->cfg->nnics; i++) {
    free(sp->ns[i].allow);
    free(sp->ns[i].deny);
  }
  free(sp->ns);
  free(sp->rule_base);
  free(r.map);
  nsg_classifier_free(sp->cls);
  sp->cls = r.cls;
  sp->cfg = cfg;
  sp->ns = ns;
  sp->rule_base = rule_base;
  for (size_t i = 0; i < cfg->nnsgs; i++)
    sp->rule_base[i + 1] = sp->rule_base[i] + cfg->nsgs[i].nrules;
  sp->nglobal = sp->rule_base[cfg->nnsgs] + 2;
  memset(sp->frags, 0, sp->o.frag_slots * sizeof *sp->frags); /* decisions of the old rules */
  return r.ended;
}

struct nsg_ct *nsg_slowpath_ct(struct nsg_slowpath *sp)
{
  return sp->ct;
}

const char *nsg_slowpath_nic_name(const struct nsg_slowpath *sp, int i)
{
  return i >= 0 && (size_t)i < sp->cfg->nnics ? sp->cfg->nics[i].name : "-";
}

int nsg_slowpath_nic_index(const struct nsg_slowpath *sp, const char *name)
{
  const struct nsg_nic *n = name ? nsg_find_nic(sp->cfg, name) : NULL;
  return n ? (int)(n - sp->cfg->nics) : -1;
}

void nsg_slowpath_tag_name(const struct nsg_slowpath *sp, uint32_t tag, char *buf, size_t n)
{
  if (tag == TAG_NONE || (tag >> 16) >= sp->cfg->nnsgs) {
    snprintf(buf, n, "platform/none");
    return;
  }
  const struct nsg_nsg *g = &sp->cfg->nsgs[tag >> 16];
  const struct nsg_rule *r = &g->rules[tag & 0xffff];
  snprintf(buf, n, "%s/%s/%s", g->name, r->is_default ? "defaultSecurityRules" : "securityRules", r->name);
}

static void count_rule(struct nsg_slowpath *sp, int nic, const struct nsg_cls_verdict *v)
{
  struct nic_stats *s = &sp->ns[nic];
  if (!s->allow) {
    s->allow = calloc(sp->nglobal, sizeof *s->allow);
    s->deny = calloc(sp->nglobal, sizeof *s->deny);
    if (!s->allow || !s->deny) {
      free(s->allow);
      free(s->deny);
      s->allow = s->deny = NULL;
      return;
    }
  }
  size_t g = v->kind == NSG_DECIDED_BY_RULE ? sp->rule_base[v->nsg] + (size_t)v->rule
             : v->kind == NSG_DECIDED_BY_PLATFORM ? sp->nglobal - 2
                                                  : sp->nglobal - 1;
  (v->allow ? s->allow : s->deny)[g]++;
}

static struct frag *frag_slot(struct nsg_slowpath *sp, const struct nsg_pkt *p)
{
  uint64_t h = p->src[0] * 0x9e3779b97f4a7c15ull ^ p->dst[0] * 0xc2b2ae3d27d4eb4full ^ p->src[1] ^ p->dst[1] ^
               ((uint64_t)p->frag_id << 8 | p->proto);
  h ^= h >> 29;
  return &sp->frags[h % sp->o.frag_slots];
}

static bool frag_match(const struct frag *f, const struct nsg_pkt *p, uint64_t now, uint64_t timeout)
{
  return f->used && f->fam == p->fam && f->proto == p->proto && f->id == p->frag_id &&
         memcmp(f->src, p->src, 16) == 0 && memcmp(f->dst, p->dst, 16) == 0 && now - f->at < timeout;
}

/* One NIC's decision for the packet (S5 then rules). Returns the why; *flow gets the flow id. */
static enum nsg_sp_why decide(struct nsg_slowpath *sp, int ipc, int nic, enum nsg_direction dir,
                              const struct nsg_pkt *p, uint64_t now, long *flow)
{
  bool out = dir == NSG_OUTBOUND;
  struct nsg_flow_key k;
  memset(&k, 0, sizeof k);
  k.fam = p->fam;
  k.proto = p->proto;
  k.nic = (uint16_t)nic;
  memcpy(k.local, out ? p->src : p->dst, 16);
  memcpy(k.remote, out ? p->dst : p->src, 16);
  k.lport = out ? p->sport : p->dport;
  k.rport = out ? p->dport : p->sport;
  *flow = -1;
  /* ICMP errors of a tracked flow */
  if (p->icmp_error) {
    struct nsg_flow_key e = k;
    e.proto = p->inner.proto;
    const uint64_t *l = out ? p->src : p->dst;
    if (memcmp(p->inner.src, l, 16) == 0) { /* about a packet the NIC sent */
      memcpy(e.local, p->inner.src, 16), memcpy(e.remote, p->inner.dst, 16);
      e.lport = p->inner.sport, e.rport = p->inner.dport;
    } else {
      memcpy(e.local, p->inner.dst, 16), memcpy(e.remote, p->inner.src, 16);
      e.lport = p->inner.dport, e.rport = p->inner.sport;
    }
    long id = nsg_ct_lookup(sp->ct, &e);
    if (id >= 0) {
      *flow = id;
      return NSG_SP_RELATED;
    }
  }
  long id = p->icmp_error ? -1 : nsg_ct_lookup(sp->ct, &k);
  if (id >= 0) {
    struct nsg_flow_info fi;
    nsg_ct_get(sp->ct, id, &fi);
    bool from_init = out == fi.init_outbound;
    bool syn = (p->tcp_flags & (NSG_TCP_SYN | NSG_TCP_ACK)) == NSG_TCP_SYN;
    if (p->proto == 6 && syn && (fi.state == NSG_CT_TCP_TIME_WAIT || fi.state == NSG_CT_TCP_CLOSED)) {
      nsg_ct_end(sp->ct, id, NSG_END_REOPEN); /* a new connection on the same tuple: rules again */
    } else {
      nsg_ct_packet(sp->ct, id, from_init, p->tcp_flags, p->len, now);
      *flow = id;
      return NSG_SP_FLOW;
    }
  }
  struct nsg_cls_tuple t = {p->fam == 6 ? NSG_AF6 : NSG_AF4, p->proto,
                            (nsg_u128)k.local[1] << 64 | k.local[0], (nsg_u128)k.remote[1] << 64 | k.remote[0],
                            k.lport, k.rport};
  struct nsg_cls_verdict v;
  nsg_classify(sp->cls, ipc, dir, &t, &v);
  count_rule(sp, nic, &v);
  if (!v.allow) {
    if (v.kind == NSG_DECIDED_BY_RULE)
      log_denied(sp, v.nsg, v.rule, nic, out, p, now);
    return NSG_SP_DENIED;
  }
  if (p->icmp_error || (p->proto == 6 && (p->tcp_flags & NSG_TCP_RST)))
    return NSG_SP_ALLOWED_NOFLOW;
  id = nsg_ct_create(sp->ct, &k, out, make_tag(&v), nsg_classifier_flow_timeout(sp->cls, ipc), NSG_FLOW_SW, now);
  if (id == -EDQUOT)
    return NSG_SP_LIMIT;
  if (id < 0)
    return NSG_SP_TABLE_FULL; /* fail closed */
  nsg_ct_packet(sp->ct, id, true, p->tcp_flags, p->len, now);
  struct nsg_flow_info fi;
  nsg_ct_get(sp->ct, id, &fi);
  log_flow(sp, &fi, 'B', now); /* the packet counts into the flow's next tuple (S5) */
  *flow = id;
  return NSG_SP_NEW_FLOW;
}

static bool allowed(enum nsg_sp_why w)
{
  return w <= NSG_SP_FRAGMENT;
}

int nsg_slowpath_packet(struct nsg_slowpath *sp, const struct nsg_pkt *p, uint64_t now, struct nsg_sp_result *r)
{
  memset(r, 0, sizeof *r);
  r->nic = -1;
  r->flow = -1;
  if (now > sp->now)
    sp->now = now;
  if (!sp->ticked || now / NSG_SEC > sp->last_tick / NSG_SEC) /* once per second of flow time */
    nsg_slowpath_tick(sp, now);
  nsg_u128 s = (nsg_u128)p->src[1] << 64 | p->src[0], d = (nsg_u128)p->dst[1] << 64 | p->dst[0];
  uint8_t fam = p->fam == 6 ? NSG_AF6 : NSG_AF4;
  int snic = -1, dnic = -1;
  int sipc = nsg_classifier_find_ipc(sp->cls, fam, s, &snic);
  int dipc = nsg_classifier_find_ipc(sp->cls, fam, d, &dnic);
  if (sipc < 0 && dipc < 0) {
    r->why = NSG_SP_NO_NIC;
    sp->why[r->why]++;
    return 0;
  }
  if (p->frag == NSG_FRAG_LATER) {
    struct frag *f = frag_slot(sp, p);
    if (frag_match(f, p, now, sp->o.frag_timeout)) {
      r->why = f->allow ? NSG_SP_FRAGMENT : NSG_SP_DENIED;
      r->forward = f->allow;
      for (int k = 0; k < 2; k++)
        if (f->flow[k] >= 0) {
          struct nsg_flow_info fi;
          if (nsg_ct_get(sp->ct, f->flow[k], &fi) == 0)
            nsg_ct_packet(sp->ct, f->flow[k], (k == 0) == fi.init_outbound, 0, p->len, now);
        }
    } else {
      r->why = NSG_SP_FRAG_ORPHAN;
    }
    r->nic = sipc >= 0 ? snic : dnic;
    sp->why[r->why]++;
    return 0;
  }
  enum nsg_sp_why w = NSG_SP_NEW_FLOW;
  long flows[2] = {-1, -1};
  if (sipc >= 0) {
    w = decide(sp, sipc, snic, NSG_OUTBOUND, p, now, &flows[0]);
    r->nic = snic;
    r->dir = NSG_OUTBOUND;
    r->flow = flows[0];
  }
  if (allowed(w) && dipc >= 0) {
    w = decide(sp, dipc, dnic, NSG_INBOUND, p, now, &flows[1]);
    r->nic = dnic;
    r->dir = NSG_INBOUND;
    r->flow = flows[1];
  }
  r->why = w;
  r->forward = allowed(w);
  sp->why[w]++;
  if (p->frag == NSG_FRAG_FIRST) {
    struct frag *f = frag_slot(sp, p);
    *f = (struct frag){.fam = p->fam, .proto = p->proto, .used = 1, .allow = r->forward, .id = p->frag_id,
                       .at = now, .flow = {flows[0], flows[1]}};
    memcpy(f->src, p->src, 16);
    memcpy(f->dst, p->dst, 16);
  }
  return 0;
}

int nsg_slowpath_frame(struct nsg_slowpath *sp, const uint8_t *frame, size_t len, uint64_t now,
                       struct nsg_sp_result *r)
{
  return nsg_slowpath_head(sp, frame, len, len, now, r);
}

int nsg_slowpath_head(struct nsg_slowpath *sp, const uint8_t *frame, size_t caplen, size_t wirelen, uint64_t now,
                      struct nsg_sp_result *r)
{
  struct nsg_pkt p;
  enum nsg_pkt_err e = nsg_pkt_parse_head(frame, caplen, wirelen, &p);
  if (e != NSG_PKT_OK) {
    if (now > sp->now)
      sp->now = now;
    if (!sp->ticked || now / NSG_SEC > sp->last_tick / NSG_SEC) /* every frame ticks, as in nsg_slowpath_packet */
      nsg_slowpath_tick(sp, now);
    memset(r, 0, sizeof *r);
    r->nic = -1;
    r->flow = -1;
    r->why = NSG_SP_MALFORMED;
    r->parse_err = e;
    sp->why[NSG_SP_MALFORMED]++;
    sp->parse_err[e]++;
    return 0;
  }
  return nsg_slowpath_packet(sp, &p, now, r);
}

/* A C tuple is due (whole seconds, as log_flow stamps it). */
static bool continue_due(const struct nsg_slowpath *sp, const struct nsg_flow_info *i, uint64_t now)
{
  return now / NSG_SEC - i->logged_at / NSG_SEC >= sp->o.flow_log_interval / NSG_SEC;
}

struct due_ctx {
  const struct nsg_slowpath *sp;
  bool due;
};

static int hw_due_cb(void *ctx, long id, const struct nsg_flow_info *i)
{
  (void)id;
  struct due_ctx *c = ctx;
  c->due = i->where == NSG_FLOW_HW && i->tag != TAG_NONE && continue_due(c->sp, i, c->sp->now);
  return c->due; /* stops the walk */
}

bool nsg_slowpath_hw_log_due(struct nsg_slowpath *sp, uint64_t now)
{
  if (!sp->fl)
    return false;
  if (now > sp->now)
    sp->now = now;
  struct due_ctx c = {sp, false};
  nsg_ct_foreach(sp->ct, hw_due_cb, &c);
  return c.due;
}

static int continue_cb(void *ctx, long id, const struct nsg_flow_info *i)
{
  struct nsg_slowpath *sp = ctx;
  if (continue_due(sp, i, sp->now)) {
    if (i->pkts[0] != i->logged_pkts[0] || i->pkts[1] != i->logged_pkts[1])
      log_flow(sp, i, 'C', sp->now);
    nsg_ct_mark_logged(sp->ct, id, sp->now);
  }
  return 0;
}

void nsg_slowpath_tick(struct nsg_slowpath *sp, uint64_t now)
{
  if (now > sp->now)
    sp->now = now;
  sp->last_tick = now;
  sp->ticked = true;
  nsg_ct_expire(sp->ct, now, 0);
  if (sp->fl) {
    nsg_ct_foreach(sp->ct, continue_cb, sp);
    nsg_flowlog_tick(sp->fl, now);
  }
}

static int finish_cb(void *ctx, long id, const struct nsg_flow_info *i)
{
  struct nsg_slowpath *sp = ctx;
  if (i->state == NSG_CT_TCP_TIME_WAIT || i->state == NSG_CT_TCP_CLOSED)
    return 0; /* ended below */
  if (i->pkts[0] != i->logged_pkts[0] || i->pkts[1] != i->logged_pkts[1]) {
    log_flow(sp, i, 'C', sp->now);
    nsg_ct_mark_logged(sp->ct, id, sp->now);
  }
  return 0;
}

static int closed_cb(void *ctx, long id, const struct nsg_flow_info *i)
{
  struct nsg_slowpath *sp = ctx;
  if (i->state == NSG_CT_TCP_TIME_WAIT || i->state == NSG_CT_TCP_CLOSED)
    nsg_ct_end(sp->ct, id, i->state == NSG_CT_TCP_CLOSED ? NSG_END_RST : NSG_END_FIN);
  return 0;
}

void nsg_slowpath_finish(struct nsg_slowpath *sp, uint64_t now)
{
  if (now > sp->now)
    sp->now = now;
  nsg_ct_expire(sp->ct, sp->now, 0);
  nsg_ct_foreach(sp->ct, closed_cb, sp);
  nsg_ct_foreach(sp->ct, finish_cb, sp);
  if (sp->fl)
    nsg_flowlog_flush(sp->fl, sp->now);
}

void nsg_slowpath_counts(const struct nsg_slowpath *sp, uint64_t out[NSG_SP_WHY_COUNT])
{
  memcpy(out, sp->why, sizeof sp->why);
}

/* "frag_orphan" -> "fragOrphan" */
static void camel(const char *s, char *out, size_t n)
{
  size_t k = 0;
  for (bool up = false; *s && k + 1 < n; s++) {
    if (*s == '_') {
      up = true;
      continue;
    }
    out[k++] = up && *s >= 'a' && *s <= 'z' ? (char)(*s - 'a' + 'A') : *s;
    up = false;
  }
  out[k] = 0;
}

/* A JSON string, or null when s is not UTF-8 (a name cut inside a character). */
static json_t *json_str_or_null(const char *s)
{
  json_t *j = json_string(s);
  return j ? j : json_null();
}

void nsg_slowpath_summary(const struct nsg_slowpath *sp, FILE *o, bool json)
{
  const struct nsg_config *cfg = sp->cfg;
  struct nsg_ct_stats cs;
  nsg_ct_get_stats(sp->ct, &cs);
  uint64_t total = 0, fwd = 0;
  for (int w = 0; w < NSG_SP_WHY_COUNT; w++) {
    total += sp->why[w];
    if (allowed((enum nsg_sp_why)w))
      fwd += sp->why[w];
  }
  json_t *j = NULL, *rules = NULL;
  if (json) {
    j = json_pack("{s:I,s:I,s:I}", "packets", (json_int_t)total, "forwarded", (json_int_t)fwd, "dropped",
                  (json_int_t)(total - fwd));
    for (int w = 0; w < NSG_SP_WHY_COUNT; w++) {
      char key[40];
      camel(nsg_sp_why_name((enum nsg_sp_why)w), key, sizeof key);
      json_object_set_new(j, key, json_integer((json_int_t)sp->why[w]));
    }
    json_object_set_new(j, "flowsCreated", json_integer((json_int_t)cs.created));
    json_object_set_new(j, "flowsActive", json_integer((json_int_t)cs.flows));
    json_object_set_new(j, "flowsEnded", json_integer((json_int_t)cs.ended));
    json_object_set_new(j, "flowLimitDrops", json_integer((json_int_t)cs.limit_drops));
    rules = json_array();
  } else {
    fprintf(o, "packets: %" PRIu64 " forwarded: %" PRIu64 " dropped: %" PRIu64 "\n", total, fwd, total - fwd);
    for (int w = 0; w < NSG_SP_WHY_COUNT; w++)
      if (sp->why[w])
        fprintf(o, "  %-15s %" PRIu64 "\n", nsg_sp_why_name((enum nsg_sp_why)w), sp->why[w]);
    for (int e = 1; e < NSG_PKT_ERRS; e++)
      if (sp->parse_err[e])
        fprintf(o, "  malformed/%-10s %" PRIu64 "\n", nsg_pkt_err_name((enum nsg_pkt_err)e), sp->parse_err[e]);
    fprintf(o, "flows: created %" PRIu64 ", active %" PRIu64 ", ended %" PRIu64 ", limit drops %" PRIu64 "\n",
            cs.created, cs.flows, cs.ended, cs.limit_drops);
    fprintf(o, "new connections decided by rules, per NIC:\n");
  }
  for (size_t n = 0; n < cfg->nnics; n++) {
    const struct nic_stats *s = &sp->ns[n];
    if (!s->allow)
      continue;
    if (!json)
      fprintf(o, "  %s\n", cfg->nics[n].name);
    for (size_t g = 0; g < sp->nglobal; g++) {
      if (!s->allow[g] && !s->deny[g])
        continue;
      char name[300];
      if (g >= sp->nglobal - 2) {
        snprintf(name, sizeof name, "%s", g == sp->nglobal - 2 ? "platform" : "no NSG");
      } else {
        size_t k = 0;
        while (sp->rule_base[k + 1] <= g)
          k++;
        const struct nsg_rule *r = &cfg->nsgs[k].rules[g - sp->rule_base[k]];
        snprintf(name, sizeof name, "%s/%s/%s", cfg->nsgs[k].name,
                 r->is_default ? "defaultSecurityRules" : "securityRules", r->name);
      }
      if (json)
        json_array_append_new(rules, json_pack("{s:o,s:o,s:I,s:I}", "nic", json_str_or_null(cfg->nics[n].name),
                                               "rule", json_str_or_null(name), "allowed", (json_int_t)s->allow[g],
                                               "denied", (json_int_t)s->deny[g]));
      else
        fprintf(o, "    %-48s allowed %-8" PRIu64 " denied %" PRIu64 "\n", name, s->allow[g], s->deny[g]);

    }
  }
  if (json) {
    json_object_set_new(j, "rules", rules);
    if (json_dumpf(j, o, JSON_COMPACT | JSON_PRESERVE_ORDER) == 0)
      fputc('\n', o);
    json_decref(j);
  }
}

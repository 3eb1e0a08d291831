/* SPDX-License-Identifier: Apache-2.0 */
/* The prover: NSG semantics and compiled tables as binary decision diagrams over the whole header
 * space, compared exactly (docs/prove.md).
 *
 * Space. A case is (NIC, one of its addresses, direction): the local address is concrete (verify
 * only accepts the NIC's own addresses, so this covers every valid packet), the rest symbolic:
 * protocol (8 variables), remote address (128: IPv4 in the low 32 bits, the upper 96 forced to
 * zero by the case's domain), remote port and local port (16 each; 0 for protocols without
 * ports, as both engines read them). Variable order: protocol, remote address MSB first, remote
 * port, local port.
 *
 * Answers. A partition is a list of (answer key, packet set); a key is "A\tNSG\tRULE" (allowed by
 * that rule), "D\tNSG\tRULE", "A\tplatform", "D\tplatform", "A\tnone" (no NSG), "E" (the engine
 * fails closed with an error), and, inside one level, "P" (the level did not decide: exempt
 * traffic no platform-tag rule matched, or the tables' exemption catch-all).
 *
 * Reference side (ref_*), built from eval.c's building blocks: nsg_item_matches for the local
 * side and, over elementary address intervals, for tags and ASGs on the remote side (the cut
 * points are every address boundary the model holds, and the evaluator is asked at both ends of
 * every interval: an interval on which it is not constant is a missing cut and fails the proof);
 * nsg_proto_matches for protocols; nsg_platform_decision (S13, S10/S11) over atoms of protocol
 * class x port interval x address interval; then nsg_verify's S2 levels, first match per level. Tables side (tab_*), from the tables model's pieces: every
 * key bit is a BDD (a constant, a variable, or a function such as a label bit of the remote
 * address or a port-class comparator), an entry matches when every cared bit equals its value,
 * the lowest matching slot wins; the label stage of the local address is the model's own
 * lookup (nsg_tables_label_lookup: the block-RAM trees the device searches). The remote
 * address's labels are encoded from the label TCAM entries the trees are built from; the
 * concrete re-runs below check the two forms agree. Both sides then combine their levels with one S2 function.
 *
 * Trust. Each case also re-runs, on the concrete engines, one packet of every answer region and
 * a few random packets, and requires the engines to give the answer the BDDs say: a symbolic
 * encoding that drifts from eval.c or tables.c fails loudly (-EPROTO) instead of proving a
 * wrong thing.
 *
 * BuDDy keeps its node table in process-global state; every entry point starts and stops it.
 * Every BDD held in a variable carries a reference (bdd_addref); helpers return referenced
 * results. */
#include <bdd.h>
#include <jansson.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "model.h"
#include "nsgnic/abi.h"
#include "nsgnic/prove.h"
#include "tables.h"

/* ---- variables -------------------------------------------------------------------------------- */
enum { V_PROTO = 0, V_RADDR = 8, V_RPORT = V_RADDR + 128, V_LPORT = V_RPORT + 16, V_COUNT = V_LPORT + 16 };

/* Variable of bit k (0 = least significant) of a field of `width` bits starting at `base`. */
static int fvar(int base, unsigned width, unsigned k) { return base + (int)(width - 1 - k); }

/* ---- referenced BDD helpers ------------------------------------------------------------------- */
static BDD R(BDD x) { return bdd_addref(x); }
static void U(BDD x) { bdd_delref(x); }
static void set_and(BDD *a, BDD x) { BDD n = R(bdd_and(*a, x)); U(*a); *a = n; }
static void set_or(BDD *a, BDD x) { BDD n = R(bdd_or(*a, x)); U(*a); *a = n; }
static void set_diff(BDD *a, BDD x) { BDD n = R(bdd_apply(*a, x, bddop_diff)); U(*a); *a = n; }
static BDD and2(BDD a, BDD b) { return R(bdd_and(a, b)); }
static BDD diff2(BDD a, BDD b) { return R(bdd_apply(a, b, bddop_diff)); }
static BDD not1(BDD a) { return R(bdd_not(a)); }
static BDD or2(BDD a, BDD b) { return R(bdd_or(a, b)); }

static BDD lit(int var, bool v) { return v ? bdd_ithvar(var) : bdd_nithvar(var); }

static bool bit128(nsg_u128 v, unsigned k) { return k < 128 && ((v >> k) & 1u); }

/* The field's top `plen` bits equal value's. */
static BDD field_prefix(int base, unsigned width, nsg_u128 value, unsigned plen)
{
  BDD m = R(bddtrue);
  for (unsigned i = 0; i < plen; i++) {
    unsigned k = width - plen + i; /* from the lowest cared bit up: the deepest variable first */
    set_and(&m, lit(fvar(base, width, k), bit128(value, k)));
  }
  return m;
}

/* lo <= field <= hi. */
static BDD field_range(int base, unsigned width, nsg_u128 lo, nsg_u128 hi)
{
  BDD ge = R(bddtrue), le = R(bddtrue);
  for (unsigned k = 0; k < width; k++) {
    BDD x = bdd_ithvar(fvar(base, width, k)), nx = bdd_nithvar(fvar(base, width, k));
    BDD g = R(bit128(lo, k) ? bdd_and(x, ge) : bdd_or(x, ge));
    BDD l = R(bit128(hi, k) ? bdd_or(nx, le) : bdd_and(nx, le));
    U(ge);
    U(le);
    ge = g;
    le = l;
  }
  BDD r = and2(ge, le);
  U(ge);
  U(le);
  return r;
}

static BDD field_eq(int base, unsigned width, nsg_u128 v) { return field_prefix(base, width, v, width); }

/* ---- packets ---------------------------------------------------------------------------------- */
struct pkt {
  int proto;
  nsg_u128 raddr;
  uint16_t rport, lport;
};

static bool pkt_var(const struct pkt *p, int v)
{
  if (v < V_RADDR)
    return (p->proto >> (7 - (v - V_PROTO))) & 1;
  if (v < V_RPORT)
    return bit128(p->raddr, (unsigned)(127 - (v - V_RADDR)));
  if (v < V_LPORT)
    return (p->rport >> (15 - (v - V_RPORT))) & 1;
  return (p->lport >> (15 - (v - V_LPORT))) & 1;
}

static bool pkt_in(BDD s, const struct pkt *p)
{
  while (s > 1) /* 0 false, 1 true; negative: a BuDDy error (reported by track) */
    s = pkt_var(p, bdd_var(s)) ? bdd_high(s) : bdd_low(s);
  return s == bddtrue;
}

/* Some packet of a non-empty set (free variables 0). */
static void pkt_pick(BDD s, struct pkt *p)
{
  memset(p, 0, sizeof *p);
  while (s > 1) {
    int v = bdd_var(s);
    bool one = bdd_low(s) == bddfalse;
    if (one) {
      if (v < V_RADDR)
        p->proto |= 1 << (7 - (v - V_PROTO));
      else if (v < V_RPORT)
        p->raddr |= (nsg_u128)1 << (127 - (v - V_RADDR));
      else if (v < V_LPORT)
        p->rport |= (uint16_t)(1u << (15 - (v - V_RPORT)));
      else
        p->lport |= (uint16_t)(1u << (15 - (v - V_LPORT)));
    }
    s = one ? bdd_high(s) : bdd_low(s);
  }
}

/* ---- answer keys and partitions ------------------------------------------------------------- */
struct keys {
  char **s;
  size_t n, cap;
};

struct part {
  struct pent {
    int key;
    BDD set;
  } *e;
  size_t n, cap;
};

struct prover {
  struct keys keys;
  char *err;
  size_t errlen;
  int rc;                 /* first error (negative errno) */
  uint64_t rng;
  size_t peak_nodes;
  const struct nsg_prove_opts *o;
  /* caches valid for one BuDDy session */
  struct pcache {
    const struct nsg_config *cfg; /* diff holds two configurations in one session */
    int kind, index, fam, scope;
    BDD set;
  } *pc;
  size_t npc, cappc;
  struct lcache {
    const struct nsg_tables *t;
    unsigned ctx, fam;
    BDD lab[NSGNIC_LABEL_BITS];
  } *lc;
  size_t nlc, caplc;
  struct rcache {
    const struct nsg_rule *r;
    int fam, scope;
    BDD set;
  } *rc_;
  size_t nrc, caprc;
};

static void fail(struct prover *P, int rc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void fail(struct prover *P, int rc, const char *fmt, ...)
{
  if (P->rc)
    return;
  P->rc = rc;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(P->err, P->errlen, fmt, ap);
  va_end(ap);
}

static int key_id(struct prover *P, const char *s)
{
  for (size_t i = 0; i < P->keys.n; i++)
    if (strcmp(P->keys.s[i], s) == 0)
      return (int)i;
  if (P->keys.n == P->keys.cap) {
    size_t cap = P->keys.cap ? 2 * P->keys.cap : 64;
    char **ns = realloc(P->keys.s, cap * sizeof *ns);
    if (!ns) {
      fail(P, -ENOMEM, "out of memory");
      return 0;
    }
    P->keys.s = ns;
    P->keys.cap = cap;
  }
  if (!(P->keys.s[P->keys.n] = nsg_strdup(s))) {
    fail(P, -ENOMEM, "out of memory");
    return 0;
  }
  return (int)P->keys.n++;
}

static int rule_key(struct prover *P, bool allow, const char *nsg, const char *rule)
{
  char buf[400];
  snprintf(buf, sizeof buf, "%c\t%s\t%s", allow ? 'A' : 'D', nsg, rule);
  return key_id(P, buf);
}

static char key_class(const struct prover *P, int k) { return P->keys.s[k][0]; }

/* Adds `set` (borrowed) to the entry of `key`. */
static void part_add(struct prover *P, struct part *p, int key, BDD set)
{
  if (set == bddfalse)
    return;
  for (size_t i = 0; i < p->n; i++)
    if (p->e[i].key == key) {
      set_or(&p->e[i].set, set);
      return;
    }
  if (p->n == p->cap) {
    size_t cap = p->cap ? 2 * p->cap : 16;
    struct pent *ne = realloc(p->e, cap * sizeof *ne);
    if (!ne) {
      fail(P, -ENOMEM, "out of memory");
      return;
    }
    p->e = ne;
    p->cap = cap;
  }
  p->e[p->n].key = key;
  p->e[p->n].set = R(set);
  p->n++;
}

static void part_free(struct part *p)
{
  for (size_t i = 0; i < p->n; i++)
    U(p->e[i].set);
  free(p->e);
  memset(p, 0, sizeof *p);
}

static BDD part_get(const struct part *p, int key)
{
  for (size_t i = 0; i < p->n; i++)
    if (p->e[i].key == key)
      return p->e[i].set;
  return bddfalse;
}

/* The answer key of a concrete verdict. */
static int verdict_key(struct prover *P, int rc, const struct nsg_verdict *v)
{
  if (rc < 0)
    return key_id(P, "E");
  if (v->kind == NSG_DECIDED_BY_RULE)
    return rule_key(P, v->allow, v->nsg_name, v->rule_name);
  if (v->kind == NSG_DECIDED_BY_PLATFORM)
    return key_id(P, v->allow ? "A\tplatform" : "D\tplatform");
  return key_id(P, v->allow ? "A\tnone" : "E");
}

/* S2, shared by both sides: `block` is denied before the levels; levels in evaluation order, NULL
 * for a level without NSG (it allows); the first D/E ends; otherwise the allowing rule of the
 * last level that decided; where no level decided: platform when exempt, else no NSG. */
static void combine(struct prover *P, BDD block, BDD pallow, BDD exempt, const struct part *lv[2], struct part *out)
{
  part_add(P, out, key_id(P, "D\tplatform"), block);
  part_add(P, out, key_id(P, "A\tplatform"), pallow); /* S10: not subject to NSGs */
  BDD ended = or2(block, pallow);
  BDD rest = not1(ended);                 /* not ended yet */
  U(ended);
  BDD undecided = R(rest);                /* ... and no level recorded an allow */
  struct part allow = {0};                /* allow answers still pending, by key */
  for (int l = 0; l < 2; l++) {
    if (!lv[l])
      continue;
    BDD pass = R(bddfalse);
    for (size_t i = 0; i < lv[l]->n; i++) {
      const struct pent *e = &lv[l]->e[i];
      char c = key_class(P, e->key);
      BDD s = and2(e->set, rest);
      if (c == 'D' || c == 'E') {
        part_add(P, out, e->key, s);
      } else if (c == 'P') {
        set_or(&pass, s);
      } else { /* an allow replaces what earlier levels recorded */
        for (size_t k = 0; k < allow.n; k++)
          set_diff(&allow.e[k].set, s);
        part_add(P, &allow, e->key, s);
        set_diff(&undecided, s);
      }
      U(s);
    }
    /* what this level ended */
    for (size_t i = 0; i < lv[l]->n; i++) {
      char c = key_class(P, lv[l]->e[i].key);
      if (c == 'D' || c == 'E') {
        set_diff(&rest, lv[l]->e[i].set);
        set_diff(&undecided, lv[l]->e[i].set);
        for (size_t k = 0; k < allow.n; k++)
          set_diff(&allow.e[k].set, lv[l]->e[i].set);
      }
    }
    U(pass);
  }
  for (size_t k = 0; k < allow.n; k++)
    part_add(P, out, allow.e[k].key, allow.e[k].set);
  BDD ex = and2(undecided, exempt), none = diff2(undecided, exempt);
  part_add(P, out, key_id(P, "A\tplatform"), ex);
  part_add(P, out, key_id(P, "A\tnone"), none);
  U(ex);
  U(none);
  U(rest);
  U(undecided);
  part_free(&allow);
}

/* ---- one case --------------------------------------------------------------------------------- */
struct pcase {
  const char *nic;          /* name used in queries */
  struct nsg_ip local;
  enum nsg_direction dir;
  /* reference side */
  const struct nsg_nic *cnic;
  const struct nsg_ipconfig *ipc;
  int scope;
};

static BDD l4_set(void)
{
  BDD t = field_eq(V_PROTO, 8, 6), u = field_eq(V_PROTO, 8, 17);
  BDD r = R(bdd_or(t, u));
  U(t);
  U(u);
  return r;
}

/* The valid packets of a case: IPv4 remote addresses have their upper 96 bits zero; protocols
 * without ports have ports 0 (both engines read them so). */
static BDD domain(const struct pcase *c)
{
  BDD d = c->local.fam == NSG_AF4 ? field_prefix(V_RADDR, 128, 0, 96) : R(bddtrue);
  BDD l4 = l4_set();
  BDD z = field_eq(V_RPORT, 32, 0); /* remote and local port: 32 consecutive variables */
  BDD ok = R(bdd_or(l4, z));
  set_and(&d, ok);
  U(ok);
  U(z);
  U(l4);
  return d;
}

static void format_ip(uint8_t fam, nsg_u128 v, char *buf, size_t n)
{
  struct nsg_ip ip = {.fam = fam, .v = v};
  nsg_ip_format(&ip, buf, n);
}

static void pkt_query(const struct pcase *c, const struct pkt *p, struct nsg_query *q, char *lbuf, char *rbuf)
{
  memset(q, 0, sizeof *q);
  nsg_ip_format(&c->local, lbuf, 64);
  format_ip(c->local.fam, p->raddr, rbuf, 64);
  q->nic = c->nic;
  q->dir = c->dir;
  q->proto = p->proto;
  q->local = lbuf;
  q->remote = rbuf;
  q->local_port = p->lport;
  q->remote_port = p->rport;
}

/* ---- reference side --------------------------------------------------------------------------- */
/* Address cut points of a family: every boundary of every address set the model holds (rule
 * prefixes aside: those are encoded directly). */
struct cuts {
  nsg_u128 *v;
  size_t n, cap;
};

static void cut_add(struct prover *P, struct cuts *c, nsg_u128 v)
{
  if (c->n == c->cap) {
    size_t cap = c->cap ? 2 * c->cap : 256;
    nsg_u128 *nv = realloc(c->v, cap * sizeof *nv);
    if (!nv) {
      fail(P, -ENOMEM, "out of memory");
      return;
    }
    c->v = nv;
    c->cap = cap;
  }
  c->v[c->n++] = v;
}

static nsg_u128 fam_max(int fam) { return fam == NSG_AF4 ? (nsg_u128)0xffffffffu : ~(nsg_u128)0; }

static void cut_range(struct prover *P, struct cuts *c, int fam, nsg_u128 lo, nsg_u128 hi)
{
  cut_add(P, c, lo);
  if (hi < fam_max(fam))
    cut_add(P, c, hi + 1);
}

static void cut_prefixes(struct prover *P, struct cuts *c, int fam, const struct nsg_prefix *p, size_t n)
{
  for (size_t i = 0; i < n; i++)
    if (p[i].fam == fam)
      cut_range(P, c, fam, nsg_prefix_first(&p[i]), nsg_prefix_last(&p[i]));
}

static void cut_rset(struct prover *P, struct cuts *c, int fam, const struct nsg_rset *s)
{
  if (s->fam == fam)
    for (size_t i = 0; i < s->n; i++)
      cut_range(P, c, fam, s->r[i].lo, s->r[i].hi);
}

static int cmp_u128(const void *a, const void *b)
{
  nsg_u128 x = *(const nsg_u128 *)a, y = *(const nsg_u128 *)b;
  return x < y ? -1 : x > y;
}

static void cuts_build(struct prover *P, const struct nsg_config *cfg, int fam, struct cuts *c)
{
  int fi = nsg_fam_index((uint8_t)fam);
  cut_add(P, c, 0);
  cut_rset(P, c, fam, &cfg->nonpublic[fi]);
  for (size_t v = 0; v < cfg->nvnets; v++) {
    const struct nsg_vnet *vn = &cfg->vnets[v];
    cut_prefixes(P, c, fam, vn->space, vn->nspace);
    cut_prefixes(P, c, fam, vn->connected, vn->nconnected);
    for (size_t k = 0; k < vn->npeerings; k++)
      cut_prefixes(P, c, fam, vn->peerings[k].prefixes, vn->peerings[k].nprefixes);
    cut_rset(P, c, fam, &vn->vnet_tag[fi]);
    cut_rset(P, c, fam, &vn->internet_tag[fi]);
  }
  for (size_t s = 0; s < cfg->nsubnets; s++)
    cut_prefixes(P, c, fam, cfg->subnets[s].prefixes, cfg->subnets[s].nprefixes);
  for (size_t s = 0; s < cfg->nscopes; s++) /* VirtualNetwork per scope: host IP, UDRs (S7) */
    cut_rset(P, c, fam, &cfg->scopes[s].vnet_tag[fi]);
  for (size_t t = 0; t < cfg->nrtables; t++)
    for (size_t k = 0; k < cfg->rtables[t].nroutes; k++)
      if (!cfg->rtables[t].routes[k].is_tag)
        cut_prefixes(P, c, fam, &cfg->rtables[t].routes[k].pfx, 1);
  for (size_t t = 0; t < cfg->ntags; t++) {
    cut_prefixes(P, c, fam, cfg->tags[t].prefixes, cfg->tags[t].nprefixes);
    cut_rset(P, c, fam, &cfg->tags[t].set[fi]);
  }
  for (size_t l = 0; l < cfg->nlngs; l++)
    cut_prefixes(P, c, fam, cfg->lngs[l].prefixes, cfg->lngs[l].nprefixes);
  cut_prefixes(P, c, fam, cfg->kms, cfg->nkms);
  for (size_t n = 0; n < cfg->nnics; n++)
    for (size_t k = 0; k < cfg->nics[n].nipcs; k++) {
      const struct nsg_ipconfig *ipc = &cfg->nics[n].ipcs[k];
      if (ipc->has_ip && ipc->ip.fam == fam)
        cut_range(P, c, fam, ipc->ip.v, ipc->ip.v);
    }
  qsort(c->v, c->n, sizeof *c->v, cmp_u128);
  size_t w = 0;
  for (size_t i = 0; i < c->n; i++)
    if (w == 0 || c->v[i] != c->v[w - 1])
      c->v[w++] = c->v[i];
  c->n = w;
}

struct refctx {
  struct prover *P;
  const struct nsg_config *cfg;
  const struct pcase *c;
  struct cuts cuts;
  BDD l4;
};

enum { PRED_ITEM, PRED_PUBLIC, PRED_VNET_TAG };

static bool pred_eval(const struct refctx *x, int kind, const struct nsg_item *it, nsg_u128 v)
{
  struct nsg_ip a = {.fam = x->c->local.fam, .v = v};
  switch (kind) {
  case PRED_PUBLIC:
    return nsg_addr_public(x->cfg, &a);
  case PRED_VNET_TAG:
    return nsg_addr_in_vnet_tag(x->cfg, x->c->scope, &a);
  default:
    return nsg_item_matches(x->cfg, it, x->c->scope, x->c->ipc, false, &a);
  }
}

/* The remote addresses on which an address predicate of the evaluator holds, asked once per
 * elementary interval (and checked constant at its two ends). Cached by (kind, index). */
static BDD pred_set(struct refctx *x, int kind, int index, const struct nsg_item *it)
{
  struct prover *P = x->P;
  int fam = x->c->local.fam;
  for (size_t i = 0; i < P->npc; i++)
    if (P->pc[i].cfg == x->cfg && P->pc[i].kind == kind && P->pc[i].index == index && P->pc[i].fam == fam &&
        P->pc[i].scope == x->c->scope)
      return R(P->pc[i].set);
  BDD s = R(bddfalse);
  const struct cuts *c = &x->cuts;
  for (size_t i = 0; i < c->n && !P->rc; i++) {
    nsg_u128 lo = c->v[i], hi = i + 1 < c->n ? c->v[i + 1] - 1 : fam_max(fam);
    bool a = pred_eval(x, kind, it, lo), b = pred_eval(x, kind, it, hi);
    if (a != b) {
      char l[64], h[64];
      format_ip((uint8_t)fam, lo, l, sizeof l);
      format_ip((uint8_t)fam, hi, h, sizeof h);
      fail(P, -EPROTO, "prove: the reference is not constant on %s..%s (a boundary the prover does not "
           "know of: update cuts_build in prove.c)", l, h);
      break;
    }
    if (!a)
      continue;
    size_t j = i; /* merge the following true intervals */
    while (j + 1 < c->n && pred_eval(x, kind, it, c->v[j + 1]) &&
           pred_eval(x, kind, it, j + 2 < c->n ? c->v[j + 2] - 1 : fam_max(fam)))
      j++;
    hi = j + 1 < c->n ? c->v[j + 1] - 1 : fam_max(fam);
    BDD r = field_range(V_RADDR, 128, lo, hi);
    set_or(&s, r);
    U(r);
    i = j;
  }
  if (P->npc == P->cappc) {
    size_t cap = P->cappc ? 2 * P->cappc : 32;
    struct pcache *n = realloc(P->pc, cap * sizeof *n);
    if (!n) {
      fail(P, -ENOMEM, "out of memory");
      return s;
    }
    P->pc = n;
    P->cappc = cap;
  }
  P->pc[P->npc++] = (struct pcache){x->cfg, kind, index, fam, x->c->scope, R(s)};
  return s;
}

/* Remote addresses one rule field's items match. */
static BDD ref_remote_items(struct refctx *x, const struct nsg_item *it, size_t n)
{
  int fam = x->c->local.fam;
  BDD s = R(bddfalse);
  for (size_t i = 0; i < n; i++) {
    BDD m;
    switch (it[i].kind) {
    case NSG_ITEM_ANY:
      m = R(bddtrue);
      break;
    case NSG_ITEM_PREFIX: /* S3: 0.0.0.0/0 both families, other prefixes their own */
      if (it[i].both_families)
        m = R(bddtrue);
      else if (it[i].pfx.fam != fam)
        m = R(bddfalse);
      else
        m = field_prefix(V_RADDR, 128, it[i].pfx.v, (fam == NSG_AF4 ? 96u : 0u) + it[i].pfx.len);
      break;
    case NSG_ITEM_TAG:
      m = pred_set(x, PRED_ITEM, it[i].tag, &it[i]);
      break;
    default:
      m = pred_set(x, PRED_ITEM, 1000000 + it[i].asg, &it[i]);
      break;
    }
    set_or(&s, m);
    U(m);
  }
  return s;
}

static BDD port_list(int base, const struct nsg_portrange *r, size_t n)
{
  BDD s = R(bddfalse);
  for (size_t i = 0; i < n; i++) {
    BDD x = field_range(base, 16, r[i].lo, r[i].hi);
    set_or(&s, x);
    U(x);
  }
  return s;
}

/* nsg_rule_matches, symbolically, except for the local side (concrete: the caller). Cached per
 * rule: it depends only on the family and the VNet. */
static BDD ref_rule_static(struct refctx *x, const struct nsg_rule *r)
{
  struct prover *P = x->P;
  int fam = x->c->local.fam;
  for (size_t i = 0; i < P->nrc; i++)
    if (P->rc_[i].r == r && P->rc_[i].fam == fam && P->rc_[i].scope == x->c->scope)
      return R(P->rc_[i].set);
  bool out = r->dir == NSG_OUTBOUND;
  BDD proto = R(bddfalse);
  for (int p = 0; p < 256; p++)
    if (nsg_proto_matches(r->proto, p, (uint8_t)fam)) {
      BDD e = field_eq(V_PROTO, 8, (nsg_u128)p);
      set_or(&proto, e);
      U(e);
    }
  /* ports: S3, only TCP and UDP carry them; others match only full ranges on both fields */
  BDD sp = port_list(out ? V_LPORT : V_RPORT, r->sports, r->nsports);
  BDD dp = port_list(out ? V_RPORT : V_LPORT, r->dports, r->ndports);
  BDD ports = and2(sp, dp);
  set_and(&ports, x->l4);
  if (r->sports_full && r->dports_full) {
    BDD nl4 = not1(x->l4);
    set_or(&ports, nl4);
    U(nl4);
  }
  BDD m = and2(proto, ports);
  BDD rem = out ? ref_remote_items(x, r->dst, r->ndst) : ref_remote_items(x, r->src, r->nsrc);
  set_and(&m, rem);
  U(rem);
  U(proto);
  U(sp);
  U(dp);
  U(ports);
  if (P->nrc == P->caprc) {
    size_t cap = P->caprc ? 2 * P->caprc : 256;
    struct rcache *n = realloc(P->rc_, cap * sizeof *n);
    if (!n) {
      fail(P, -ENOMEM, "out of memory");
      return m;
    }
    P->rc_ = n;
    P->caprc = cap;
  }
  P->rc_[P->nrc++] = (struct rcache){r, fam, x->c->scope, R(m)};
  return m;
}

static bool ref_local_matches(const struct refctx *x, const struct nsg_rule *r)
{
  bool out = r->dir == NSG_OUTBOUND;
  const struct nsg_item *it = out ? r->src : r->dst;
  size_t n = out ? r->nsrc : r->ndst;
  for (size_t i = 0; i < n; i++)
    if (nsg_item_matches(x->cfg, &it[i], x->c->scope, x->c->ipc, true, &x->c->local))
      return true;
  return false;
}

/* One level (S2): the first matching rule decides; traffic exempt for a platform service sees
 * only the rules naming that service's tag. */
static void ref_level(struct refctx *x, const struct nsg_nsg *n, const BDD exempt[3], struct part *lv)
{
  struct prover *P = x->P;
  BDD cum = R(bddfalse);
  for (size_t i = 0; i < n->nrules && !P->rc && cum != bddtrue; i++) {
    const struct nsg_rule *r = &n->rules[i];
    if (r->dir != x->c->dir || !ref_local_matches(x, r))
      continue;
    BDD m = ref_rule_static(x, r);
    for (int k = 0; k < 3; k++)
      if (!(r->platform_tags & (1u << k)))
        set_diff(&m, exempt[k]);
    BDD hit = diff2(m, cum);
    char name[200];
    snprintf(name, sizeof name, "%s/%s", r->is_default ? "defaultSecurityRules" : "securityRules", r->name);
    part_add(P, lv, rule_key(P, r->access == NSG_ALLOW, n->name, name), hit);
    set_or(&cum, m);
    U(hit);
    U(m);
  }
  BDD pass = not1(cum);
  part_add(P, lv, key_id(P, "P"), pass);
  U(pass);
  U(cum);
}

static int cmp_u16(const void *a, const void *b)
{
  return (int)*(const uint16_t *)a - (int)*(const uint16_t *)b;
}

/* nsg_platform_decision (S13, S10/S11) over atoms: protocol classes (each protocol the function
 * distinguishes, and all others), remote-port intervals between its ports, and the elementary
 * address intervals. The function is asked at the corners of every atom (and for the class of
 * other protocols at two of them); an atom on which it is not constant is a cut point the
 * function's lists do not declare and fails the proof. */
static void ref_platform(struct refctx *x, BDD *block, BDD *pallow, BDD exempt[3])
{
  struct prover *P = x->P;
  int fam = x->c->local.fam;
  uint16_t pc[64];
  size_t npc = 0;
  pc[npc++] = 0;
  for (size_t i = 0; i < nsg_platform_nports && npc + 2 < 64; i++) {
    pc[npc++] = nsg_platform_ports[i];
    if (nsg_platform_ports[i] < 65535)
      pc[npc++] = (uint16_t)(nsg_platform_ports[i] + 1);
  }
  qsort(pc, npc, sizeof *pc, cmp_u16);
  size_t w = 0;
  for (size_t i = 0; i < npc; i++)
    if (!w || pc[i] != pc[w - 1])
      pc[w++] = pc[i];
  npc = w;
  /* protocol classes: the listed ones, then every other (two representatives) */
  int other[2] = {-1, -1};
  for (int p = 0, k = 0; p < 256 && k < 2; p++) {
    bool listed = false;
    for (size_t i = 0; i < nsg_platform_nprotos; i++)
      listed |= nsg_platform_protos[i] == p;
    if (!listed)
      other[k++] = p;
  }
  for (size_t cls = 0; cls <= nsg_platform_nprotos && !P->rc; cls++) {
    BDD pset;
    int reps[2];
    size_t nreps;
    if (cls < nsg_platform_nprotos) {
      reps[0] = nsg_platform_protos[cls];
      nreps = 1;
      pset = field_eq(V_PROTO, 8, (nsg_u128)reps[0]);
    } else {
      reps[0] = other[0];
      reps[1] = other[1];
      nreps = 2;
      pset = R(bddtrue);
      for (size_t i = 0; i < nsg_platform_nprotos; i++) {
        BDD e = field_eq(V_PROTO, 8, (nsg_u128)nsg_platform_protos[i]);
        set_diff(&pset, e);
        U(e);
      }
    }
    for (size_t pi = 0; pi < npc && !P->rc; pi++) {
      uint16_t plo = pc[pi], phi = pi + 1 < npc ? (uint16_t)(pc[pi + 1] - 1) : 65535;
      /* indexed by the decision: block, allow, exempt DNS / IMDS / LKM */
      BDD sets[NSG_PLATFORM_EXEMPT_LKM + 1];
      for (int k = 0; k <= NSG_PLATFORM_EXEMPT_LKM; k++)
        sets[k] = R(bddfalse);
      for (size_t ai = 0; ai < x->cuts.n && !P->rc; ai++) {
        nsg_u128 lo = x->cuts.v[ai], hi = ai + 1 < x->cuts.n ? x->cuts.v[ai + 1] - 1 : fam_max(fam);
        int d = -1;
        for (size_t r = 0; r < nreps; r++)
          for (int corner = 0; corner < 4; corner++) {
            struct nsg_ip a = {.fam = (uint8_t)fam, .v = corner & 1 ? hi : lo};
            const char *why;
            int e = (int)nsg_platform_decision(x->cfg, x->c->scope, x->c->dir, reps[r], &a, corner & 2 ? phi : plo, &why);
            if (d >= 0 && e != d) {
              char l[64], h[64];
              format_ip((uint8_t)fam, lo, l, sizeof l);
              format_ip((uint8_t)fam, hi, h, sizeof h);
              fail(P, -EPROTO, "prove: the platform decision is not constant on %s..%s, ports %u-%u (a cut point "
                   "nsg_platform_ports/_protos do not declare)", l, h, plo, phi);
            }
            d = e;
          }
        if (d == NSG_PLATFORM_NONE)
          continue;
        if (d < NSG_PLATFORM_BLOCK || d > NSG_PLATFORM_EXEMPT_LKM) {
          fail(P, -EPROTO, "prove: platform decision %d is unknown to the prover (update ref_platform)", d);
          break;
        }
        BDD r = field_range(V_RADDR, 128, lo, hi);
        set_or(&sets[d], r);
        U(r);
      }
      BDD ports = field_range(V_RPORT, 16, plo, phi);
      set_and(&ports, pset);
      for (int k = NSG_PLATFORM_BLOCK; k <= NSG_PLATFORM_EXEMPT_LKM; k++) {
        set_and(&sets[k], ports);
        BDD *dst = k == NSG_PLATFORM_BLOCK ? block : k == NSG_PLATFORM_ALLOW ? pallow : &exempt[k - NSG_PLATFORM_EXEMPT_DNS];
        set_or(dst, sets[k]);
      }
      for (int k = 0; k <= NSG_PLATFORM_EXEMPT_LKM; k++)
        U(sets[k]);
      U(ports);
    }
    U(pset);
  }
  set_diff(pallow, *block);
  for (int k = 0; k < 3; k++) {
    set_diff(&exempt[k], *block);
    set_diff(&exempt[k], *pallow);
  }
}

static void ref_case(struct prover *P, const struct nsg_config *cfg, const struct pcase *c, struct part *out)
{
  struct refctx x = {.P = P, .cfg = cfg, .c = c};
  cuts_build(P, cfg, c->local.fam, &x.cuts);
  x.l4 = l4_set();
  /* 1. S13, 2. S10/S11: eval.c's own function over its atoms */
  BDD block = R(bddfalse), pallow = R(bddfalse), exempt[3] = {R(bddfalse), R(bddfalse), R(bddfalse)};
  ref_platform(&x, &block, &pallow, exempt);
  /* 3. S2 levels */
  const struct nsg_subnet *sn = &cfg->subnets[c->ipc->subnet];
  int levels[2] = {c->dir == NSG_INBOUND ? sn->nsg : c->cnic->nsg, c->dir == NSG_INBOUND ? c->cnic->nsg : sn->nsg};
  struct part lv[2] = {{0}};
  const struct part *lp[2] = {NULL, NULL};
  for (int l = 0; l < 2; l++)
    if (levels[l] >= 0) {
      ref_level(&x, &cfg->nsgs[levels[l]], exempt, &lv[l]);
      lp[l] = &lv[l];
    }
  BDD ex = or2(exempt[0], exempt[1]);
  set_or(&ex, exempt[2]);
  combine(P, block, pallow, ex, lp, out);
  part_free(&lv[0]);
  part_free(&lv[1]);
  U(block);
  U(pallow);
  U(ex);
  for (int k = 0; k < 3; k++)
    U(exempt[k]);
  U(x.l4);
  free(x.cuts.v);
}

/* ---- tables side ------------------------------------------------------------------------------ */
struct symkey {
  BDD b[256], nb[256]; /* per key bit: the function and its negation (referenced) */
  uint32_t cmask[NSG_TKEY_WORDS], cval[NSG_TKEY_WORDS]; /* bits that are constants, and their values */
  unsigned bits;
};

static void sk_init(struct symkey *k, unsigned bits)
{
  k->bits = bits;
  for (unsigned i = 0; i < 256; i++) {
    k->b[i] = bddfalse;
    k->nb[i] = bddtrue;
  }
}

static void sk_set(struct symkey *k, unsigned bit, BDD f) /* f borrowed */
{
  U(k->b[bit]);
  U(k->nb[bit]);
  k->b[bit] = R(f);
  k->nb[bit] = not1(f);
}

static void sk_const(struct symkey *k, unsigned lsb, unsigned width, uint64_t v)
{
  for (unsigned i = 0; i < width; i++)
    sk_set(k, lsb + i, (v >> i) & 1 ? bddtrue : bddfalse);
}

/* bit i of the field := (gate AND variable k of a field at `base`) */
static void sk_vars(struct symkey *k, unsigned lsb, unsigned width, int base, BDD gate)
{
  for (unsigned i = 0; i < width; i++) {
    BDD f = and2(gate, bdd_ithvar(fvar(base, width, i)));
    sk_set(k, lsb + i, f);
    U(f);
  }
}

static void sk_seal(struct symkey *k)
{
  memset(k->cmask, 0, sizeof k->cmask);
  memset(k->cval, 0, sizeof k->cval);
  for (unsigned i = 0; i < k->bits; i++)
    if (k->b[i] == bddtrue || k->b[i] == bddfalse) {
      k->cmask[i / 32] |= 1u << (i % 32);
      if (k->b[i] == bddtrue)
        k->cval[i / 32] |= 1u << (i % 32);
    }
}

static void sk_free(struct symkey *k)
{
  for (unsigned i = 0; i < 256; i++) {
    U(k->b[i]);
    U(k->nb[i]);
  }
}

/* The packets whose key matches entry e: every cared bit equals the entry's value. */
static BDD entry_match(const struct symkey *k, const struct nsg_tentry *e)
{
  unsigned words = (k->bits + 31) / 32;
  for (unsigned w = 0; w < words; w++)
    if ((e->val[w] ^ k->cval[w]) & e->care[w] & k->cmask[w])
      return R(bddfalse);
  BDD m = R(bddtrue);
  for (unsigned i = k->bits; i-- > 0;) {
    uint32_t bit = 1u << (i % 32);
    if (!(e->care[i / 32] & bit) || (k->cmask[i / 32] & bit))
      continue;
    set_and(&m, (e->val[i / 32] & bit) ? k->b[i] : k->nb[i]);
    if (m == bddfalse)
      break;
  }
  return m;
}

typedef void (*hit_fn)(struct prover *P, void *ctx, const struct nsg_tentry *e, BDD hit);

/* First match over a ternary table; returns the packets no entry matches. */
static BDD first_match(struct prover *P, const struct nsg_ttable *t, const struct symkey *k, hit_fn fn, void *ctx)
{
  BDD cum = R(bddfalse);
  for (size_t i = 0; i < t->n && cum != bddtrue && !P->rc; i++) {
    if (!t->e[i].valid)
      continue;
    BDD m = entry_match(k, &t->e[i]);
    if (m != bddfalse) {
      BDD hit = diff2(m, cum);
      if (hit != bddfalse)
        fn(P, ctx, &t->e[i], hit);
      U(hit);
      set_or(&cum, m);
    }
    U(m);
  }
  BDD none = not1(cum);
  U(cum);
  return none;
}

static void label_hit(struct prover *P, void *ctx, const struct nsg_tentry *e, BDD hit)
{
  (void)P;
  BDD *lab = ctx;
  uint64_t bits = NSGNIC_GET(e->res, LABEL_RESULT_LABELS);
  for (unsigned b = 0; b < NSGNIC_LABEL_BITS; b++)
    if ((bits >> b) & 1)
      set_or(&lab[b], hit);
}

/* The label stage for the (symbolic) remote address: per label bit, the addresses that get it.
 * (The one function an LPM label stage replaces.) Cached per (tables, context, family). */
/* The label cache's entry of (t, key, fam): *hit when it is filled already; else a new one with
 * every label bit false. NULL: out of memory (failed). */
static struct lcache *lcache_get(struct prover *P, const struct nsg_tables *t, unsigned key, int fam, bool *hit)
{
  *hit = false;
  for (size_t i = 0; i < P->nlc; i++)
    if (P->lc[i].t == t && P->lc[i].ctx == key && P->lc[i].fam == (unsigned)fam) {
      *hit = true;
      return &P->lc[i];
    }
  if (P->nlc == P->caplc) {
    size_t cap = P->caplc ? 2 * P->caplc : 8;
    struct lcache *n = realloc(P->lc, cap * sizeof *n);
    if (!n) {
      fail(P, -ENOMEM, "out of memory");
      return NULL;
    }
    P->lc = n;
    P->caplc = cap;
  }
  struct lcache *c = &P->lc[P->nlc++];
  c->t = t;
  c->ctx = key;
  c->fam = (unsigned)fam;
  for (unsigned b = 0; b < NSGNIC_LABEL_BITS; b++)
    c->lab[b] = R(bddfalse);
  return c;
}

static const BDD *tab_remote_labels(struct prover *P, const struct nsg_tables *t, unsigned ctx, int fam)
{
  bool hit;
  struct lcache *c = lcache_get(P, t, ctx, fam, &hit);
  if (!c || hit)
    return c ? c->lab : NULL;
  struct symkey k;
  sk_init(&k, NSGNIC_LABEL_KEY_BITS);
  sk_vars(&k, NSGNIC_LABEL_KEY_ADDR_LSB, 128, V_RADDR, bddtrue);
  sk_const(&k, NSGNIC_LABEL_KEY_FAMILY_LSB, 1, fam == NSG_AF6 ? NSGNIC_FAMILY_IPV6 : NSGNIC_FAMILY_IPV4);
  sk_const(&k, NSGNIC_LABEL_KEY_CTX_LSB, NSGNIC_LABEL_KEY_CTX_W, ctx);
  sk_const(&k, NSGNIC_LABEL_KEY_BANK_LSB, 1, t->bank);
  sk_seal(&k);
  BDD none = first_match(P, &t->label, &k, label_hit, c->lab);
  U(none);
  sk_free(&k);
  return c->lab;
}

static int cmp_len_desc(const void *a, const void *b)
{
  const struct nsg_tlrow *x = *(const struct nsg_tlrow *const *)a, *y = *(const struct nsg_tlrow *const *)b;
  return x->p.len != y->p.len ? (x->p.len > y->p.len ? -1 : 1) : (x < y ? -1 : x > y);
}

/* Label contexts: the same for the rows of tree context `lctx` and NSG level `level` (0 subnet:
 * LABELS_SUBNET, 1 NIC: LABELS_NIC): the context's rows as ternary entries longest prefix first
 * (first match = the trees' longest match; no row: labels 0). Cached per (tables, context and
 * level, family). */
static const BDD *tab_remote_labels_ctx(struct prover *P, const struct nsg_tables *t, unsigned lctx, int level, int fam)
{
  unsigned key = 0x10000u + 2u * lctx + (unsigned)level; /* apart from the scopes (< CTXS) */
  bool hit;
  struct lcache *c = lcache_get(P, t, key, fam, &hit);
  if (!c || hit)
    return c ? c->lab : NULL;
  size_t n = 0;
  for (size_t i = 0; i < t->nlrows; i++)
    n += t->lrows[i].ctx == lctx && t->lrows[i].p.fam == fam;
  const struct nsg_tlrow **rows = malloc((n ? n : 1) * sizeof *rows);
  struct nsg_ttable tt = {.key_words = NSGNIC_LABEL_KEY_WORDS, .res_words = NSGNIC_LABEL_RESULT_WORDS};
  tt.e = calloc(n ? n : 1, sizeof *tt.e);
  if (!rows || !tt.e) {
    free(rows);
    free(tt.e);
    fail(P, -ENOMEM, "out of memory");
    return NULL;
  }
  n = 0;
  for (size_t i = 0; i < t->nlrows; i++)
    if (t->lrows[i].ctx == lctx && t->lrows[i].p.fam == fam)
      rows[n++] = &t->lrows[i];
  qsort(rows, n, sizeof *rows, cmp_len_desc);
  for (size_t i = 0; i < n; i++) {
    struct nsg_tentry *e = &tt.e[i];
    const struct nsg_prefix *p = &rows[i]->p;
    e->valid = true;
    nsg_tentry_set_label_addr(e, p);
    NSGNIC_PUT(e->res, LABEL_RESULT_LABELS, rows[i]->lab[level]);
  }
  tt.n = tt.cap = n;
  free(rows);
  struct symkey k;
  sk_init(&k, NSGNIC_LABEL_KEY_BITS);
  sk_vars(&k, NSGNIC_LABEL_KEY_ADDR_LSB, 128, V_RADDR, bddtrue);
  sk_const(&k, NSGNIC_LABEL_KEY_FAMILY_LSB, 1, fam == NSG_AF6 ? NSGNIC_FAMILY_IPV6 : NSGNIC_FAMILY_IPV4);
  sk_seal(&k);
  BDD none = first_match(P, &tt, &k, label_hit, c->lab);
  U(none);
  sk_free(&k);
  free(tt.e);
  return c->lab;
}

struct plat_ctx {
  BDD block, exempt;
};

static void plat_hit(struct prover *P, void *ctx, const struct nsg_tentry *e, BDD hit)
{
  (void)P;
  struct plat_ctx *x = ctx;
  unsigned cls = (unsigned)NSGNIC_GET(e->res, RESULT_PLATFORM_CLASS);
  if (cls == NSGNIC_PLATFORM_CLASS_BLOCK)
    set_or(&x->block, hit);
  else if (cls == NSGNIC_PLATFORM_CLASS_EXEMPT)
    set_or(&x->exempt, hit);
}

struct rule_ctx {
  const struct nsg_tables *t;
  struct part *lv;
};

static void rule_hit(struct prover *P, void *ctx, const struct nsg_tentry *e, BDD hit)
{
  struct rule_ctx *x = ctx;
  unsigned act = (unsigned)NSGNIC_GET(e->res, RESULT_ACTION);
  size_t rid = (size_t)NSGNIC_GET(e->res, RESULT_RULE_ID);
  int key;
  if (act == NSGNIC_ACTION_ALLOW && NSGNIC_GET(e->res, RESULT_PLATFORM_EXEMPT))
    key = key_id(P, "P");
  else if ((act != NSGNIC_ACTION_ALLOW && act != NSGNIC_ACTION_DENY) || rid >= x->t->nrnames)
    key = key_id(P, "E");
  else
    key = rule_key(P, act == NSGNIC_ACTION_ALLOW, x->t->rnames[rid].nsg, x->t->rnames[rid].rule);
  part_add(P, x->lv, key, hit);
}

static bool vport_nic(const struct nsg_tvport *p, const char *name)
{
  return (p->nic_id && nsg_strcaseeq(p->nic_id, name)) || nsg_strcaseeq(p->nic_name, name);
}

/* nsg_tables_verify, symbolically. */
static void tab_case(struct prover *P, const struct nsg_tables *t, const struct pcase *c, struct part *out)
{
  long vp = -1;
  for (size_t i = 0; i < t->nvports; i++)
    if (vport_nic(&t->vports[i], c->nic))
      for (size_t k = 0; k < t->vports[i].nips; k++)
        if (nsg_ip_equal(&t->vports[i].ips[k], &c->local))
          vp = (long)i;
  if (vp < 0 || !NSGNIC_GET(t->bind[vp], BINDING_VALID)) {
    part_add(P, out, key_id(P, "E"), bddtrue);
    return;
  }
  const uint32_t *b = t->bind[vp];
  unsigned ctx = (unsigned)NSGNIC_GET(b, BINDING_CTX);
  bool outb = c->dir == NSG_OUTBOUND;
  int fam = c->local.fam;
  uint32_t lres[NSG_TRES_WORDS];
  char lerr[256];
  int lrc = 0;
  if (t->label_ctx) /* the local-address table */
    nsg_tables_label_tcam_lookup(t, ctx, &c->local, lres);
  else
    lrc = nsg_tables_label_lookup(t, ctx, &c->local, lres, lerr, sizeof lerr);
  if (lrc < 0) {
    fail(P, lrc, "%s", lerr);
    return;
  }
  if (!outb && (!NSGNIC_GET(lres, LABEL_RESULT_VPORT_VALID) || NSGNIC_GET(lres, LABEL_RESULT_VPORT) != (uint64_t)vp)) {
    part_add(P, out, key_id(P, "E"), bddtrue);
    return;
  }
  /* per NSG level ([0] subnet, [1] NIC): equal without label contexts */
  uint64_t llabs[2];
  const BDD *rlabs[2];
  if (t->label_ctx) {
    unsigned lctx = (unsigned)NSGNIC_GET(b, BINDING_LABEL_CTX);
    uint32_t row[NSGNIC_LPM_ROW_WORDS];
    if ((lrc = nsg_tables_label_row(t, lctx, &c->local, row, lerr, sizeof lerr)) < 0) {
      fail(P, lrc, "%s", lerr);
      return;
    }
    llabs[0] = NSGNIC_GET(row, LPM_ROW_LABELS_SUBNET) | NSGNIC_GET(b, BINDING_LOCAL_LABELS);
    llabs[1] = NSGNIC_GET(row, LPM_ROW_LABELS_NIC) | NSGNIC_GET(b, BINDING_LOCAL_LABELS);
    if (!(rlabs[0] = tab_remote_labels_ctx(P, t, lctx, 0, fam)) || !(rlabs[1] = tab_remote_labels_ctx(P, t, lctx, 1, fam)))
      return;
  } else {
    llabs[0] = llabs[1] = NSGNIC_GET(lres, LABEL_RESULT_LABELS) | NSGNIC_GET(b, BINDING_LOCAL_LABELS);
    if (!(rlabs[0] = rlabs[1] = tab_remote_labels(P, t, ctx, fam)))
      return;
  }
  uint64_t llab = llabs[0];
  const BDD *rlab = rlabs[0]; /* the platform stage reads the subnet level's vector */
  BDD l4 = l4_set();
  int dport = outb ? V_RPORT : V_LPORT, sport = outb ? V_LPORT : V_RPORT;
  unsigned famv = fam == NSG_AF6 ? NSGNIC_FAMILY_IPV6 : NSGNIC_FAMILY_IPV4;
  unsigned dirv = outb ? NSGNIC_DIR_OUTBOUND : NSGNIC_DIR_INBOUND;

  /* platform stage */
  struct symkey pk;
  sk_init(&pk, NSGNIC_PLATFORM_KEY_BITS);
  sk_vars(&pk, NSGNIC_PLATFORM_KEY_DST_PORT_LSB, 16, dport, l4);
  for (unsigned i = 0; i < NSGNIC_LABEL_BITS; i++)
    sk_set(&pk, NSGNIC_PLATFORM_KEY_DST_LABELS_LSB + i, outb ? rlab[i] : ((llab >> i) & 1 ? bddtrue : bddfalse));
  sk_vars(&pk, NSGNIC_PLATFORM_KEY_PROTO_LSB, 8, V_PROTO, bddtrue);
  sk_set(&pk, NSGNIC_PLATFORM_KEY_L4_LSB, l4);
  sk_const(&pk, NSGNIC_PLATFORM_KEY_FAMILY_LSB, 1, famv);
  sk_const(&pk, NSGNIC_PLATFORM_KEY_DIR_LSB, 1, dirv);
  sk_const(&pk, NSGNIC_PLATFORM_KEY_BANK_LSB, 1, t->bank);
  sk_seal(&pk);
  struct plat_ctx pc = {R(bddfalse), R(bddfalse)};
  BDD none = first_match(P, &t->plat, &pk, plat_hit, &pc);
  U(none);
  sk_free(&pk);

  /* rule key */
  struct symkey rk;
  sk_init(&rk, NSGNIC_RULE_KEY_BITS);
  sk_vars(&rk, NSGNIC_RULE_KEY_DST_PORT_LSB, 16, dport, l4);
  sk_vars(&rk, NSGNIC_RULE_KEY_SRC_PORT_LSB, 16, sport, l4);
  if (fam == NSG_AF4) {
    unsigned rfield = outb ? NSGNIC_RULE_KEY_DST_ADDR4_LSB : NSGNIC_RULE_KEY_SRC_ADDR4_LSB;
    unsigned lfield = outb ? NSGNIC_RULE_KEY_SRC_ADDR4_LSB : NSGNIC_RULE_KEY_DST_ADDR4_LSB;
    for (unsigned i = 0; i < 32; i++)
      sk_set(&rk, rfield + i, bdd_ithvar(fvar(V_RADDR, 128, i)));
    sk_const(&rk, lfield, 32, (uint32_t)c->local.v);
  }
  unsigned rl = outb ? NSGNIC_RULE_KEY_DST_LABELS_LSB : NSGNIC_RULE_KEY_SRC_LABELS_LSB;
  unsigned ll = outb ? NSGNIC_RULE_KEY_SRC_LABELS_LSB : NSGNIC_RULE_KEY_DST_LABELS_LSB;
  for (unsigned i = 0; i < NSGNIC_LABEL_BITS; i++)
    sk_set(&rk, rl + i, rlab[i]);
  sk_const(&rk, ll, 64, llab);
  sk_vars(&rk, NSGNIC_RULE_KEY_PROTO_LSB, 8, V_PROTO, bddtrue);
  sk_set(&rk, NSGNIC_RULE_KEY_L4_LSB, l4);
  sk_const(&rk, NSGNIC_RULE_KEY_FAMILY_LSB, 1, famv);
  sk_const(&rk, NSGNIC_RULE_KEY_DIR_LSB, 1, dirv);
  sk_set(&rk, NSGNIC_RULE_KEY_PLATFORM_LSB, pc.exempt);
  sk_const(&rk, NSGNIC_RULE_KEY_BANK_LSB, 1, t->bank);
  for (unsigned f = 0; f < 2; f++) { /* the port-range comparators */
    unsigned lsb = f == 0 ? NSGNIC_RULE_KEY_SRC_PORT_CLASS_LSB : NSGNIC_RULE_KEY_DST_PORT_CLASS_LSB;
    for (unsigned k = 0; k < NSGNIC_PORT_CLASSES; k++) {
      uint32_t w = t->port_range[f][k];
      unsigned lo = (unsigned)NSGNIC_GET(&w, PORT_RANGE_LO), hi = (unsigned)NSGNIC_GET(&w, PORT_RANGE_HI);
      BDD in = lo <= hi ? field_range(f == 0 ? sport : dport, 16, lo, hi) : R(bddfalse);
      set_and(&in, l4);
      sk_set(&rk, lsb + k, in);
      U(in);
    }
  }
  bool has[2] = {NSGNIC_GET(b, BINDING_SUBNET_NSG_VALID), NSGNIC_GET(b, BINDING_NIC_NSG_VALID)};
  unsigned id[2] = {(unsigned)NSGNIC_GET(b, BINDING_SUBNET_NSG), (unsigned)NSGNIC_GET(b, BINDING_NIC_NSG)};
  struct part lv[2] = {{0}};
  const struct part *lp[2] = {NULL, NULL};
  for (int l = 0; l < 2 && !P->rc; l++) {
    int which = outb ? 1 - l : l; /* inbound: subnet, NIC; outbound: NIC, subnet */
    if (!has[which])
      continue;
    sk_const(&rk, NSGNIC_RULE_KEY_NSG_LSB, NSGNIC_RULE_KEY_NSG_W, id[which]);
    for (unsigned i = 0; i < NSGNIC_LABEL_BITS; i++) /* the level's vectors (rule TCAM port `which`) */
      sk_set(&rk, rl + i, rlabs[which][i]);
    sk_const(&rk, ll, 64, llabs[which]);
    sk_seal(&rk);
    struct rule_ctx rc = {t, &lv[l]};
    BDD nomatch = first_match(P, &t->rule, &rk, rule_hit, &rc);
    part_add(P, &lv[l], key_id(P, "E"), nomatch); /* no decision: fails closed */
    U(nomatch);
    lp[l] = &lv[l];
  }
  sk_free(&rk);
  BDD no_allow = R(bddfalse); /* the tables express S10's allowed services as exempt traffic no rule matches */
  combine(P, pc.block, no_allow, pc.exempt, lp, out);
  U(no_allow);
  part_free(&lv[0]);
  part_free(&lv[1]);
  U(pc.block);
  U(pc.exempt);
  U(l4);
}

/* ---- sessions, cases, comparison -------------------------------------------------------------- */
static int bdd_last_error; /* BuDDy reports errors through a global hook: see track() */
static void bdd_err_record(int code) { bdd_last_error = code; }

static void silent_gbc(int pre, bddGbcStat *s)
{
  (void)pre;
  (void)s;
}

static void session_begin(struct prover *P, const struct nsg_prove_opts *o, char *err, size_t errlen)
{
  memset(P, 0, sizeof *P);
  P->err = err;
  P->errlen = errlen;
  P->o = o;
  P->rng = o && o->seed ? o->seed : 0x9e3779b97f4a7c15ull;
  if (err && errlen)
    err[0] = '\0';
  bdd_last_error = 0;
  if (bdd_init(1 << 17, 1 << 15) < 0) { /* grows on demand; the cache with it (ratio below) */
    fail(P, -ENOMEM, "prove: cannot start the BDD package");
    return;
  }
  bdd_error_hook(bdd_err_record);
  bdd_gbc_hook(silent_gbc);
  bdd_setmaxincrease(1 << 22);
  bdd_setcacheratio(8);
  bdd_setmaxnodenum(1 << 26); /* about 1.3 GB: beyond it, fail instead of swapping */
  bdd_setvarnum(V_COUNT);
}

static void session_end(struct prover *P)
{
  if (bdd_isrunning()) {
    for (size_t i = 0; i < P->npc; i++)
      U(P->pc[i].set);
    for (size_t i = 0; i < P->nrc; i++)
      U(P->rc_[i].set);
    for (size_t i = 0; i < P->nlc; i++)
      for (unsigned b = 0; b < NSGNIC_LABEL_BITS; b++)
        U(P->lc[i].lab[b]);
    bdd_done();
  }
  free(P->pc);
  free(P->rc_);
  free(P->lc);
  for (size_t i = 0; i < P->keys.n; i++)
    free(P->keys.s[i]);
  free(P->keys.s);
}

static void track(struct prover *P)
{
  if (bdd_last_error)
    fail(P, -ENOMEM, "prove: the BDD package failed: %s", bdd_errstring(bdd_last_error));
  size_t n = (size_t)bdd_getnodenum();
  if (n > P->peak_nodes)
    P->peak_nodes = n;
}

static uint64_t rnd(struct prover *P)
{
  P->rng ^= P->rng << 13;
  P->rng ^= P->rng >> 7;
  P->rng ^= P->rng << 17;
  return P->rng;
}

/* A random valid packet of the case, biased to interesting values. */
static void pkt_random(struct prover *P, const struct pcase *c, struct pkt *p)
{
  static const int protos[] = {6, 17, 1, 58, 50, 51, 0, 47, 255};
  static const uint16_t ports[] = {0, 1, 22, 25, 53, 80, 443, 1023, 1024, 1688, 3389, 8080, 49152, 65535};
  p->proto = rnd(P) % 4 ? protos[rnd(P) % 9] : (int)(rnd(P) % 256);
  p->raddr = c->local.fam == NSG_AF4 ? (nsg_u128)(uint32_t)rnd(P) : ((nsg_u128)rnd(P) << 64) | rnd(P);
  if (rnd(P) % 3 == 0) /* near the local address */
    p->raddr = c->local.v ^ (rnd(P) & 0xff);
  bool l4 = p->proto == 6 || p->proto == 17;
  p->rport = l4 ? (rnd(P) % 2 ? ports[rnd(P) % 14] : (uint16_t)rnd(P)) : 0;
  p->lport = l4 ? (rnd(P) % 2 ? ports[rnd(P) % 14] : (uint16_t)rnd(P)) : 0;
}

typedef int (*engine_fn)(const void *a, const struct nsg_query *q, struct nsg_verdict *v, char *err, size_t errlen);
static int eng_ref(const void *a, const struct nsg_query *q, struct nsg_verdict *v, char *err, size_t errlen)
{
  return nsg_verify(a, q, v, err, errlen);
}
static int eng_tab(const void *a, const struct nsg_query *q, struct nsg_verdict *v, char *err, size_t errlen)
{
  return nsg_tables_verify(a, q, v, err, errlen);
}

struct side {
  const char *name;
  engine_fn eng;
  const void *arg;
};

/* The region of the partition holding p (-1: none; -2: several). */
static int part_find(const struct part *pt, const struct pkt *p)
{
  int k = -1;
  for (size_t i = 0; i < pt->n; i++)
    if (pkt_in(pt->e[i].set, p))
      k = k == -1 ? pt->e[i].key : -2;
  return k;
}

/* Re-runs sampled packets on the concrete engine: it must answer what the BDDs say. */
static void self_check(struct prover *P, const struct pcase *c, const struct part *pt, const struct side *s, BDD dom)
{
  unsigned n = P->o ? P->o->self_checks : 24;
  for (size_t i = 0; i < pt->n + n && !P->rc; i++) {
    struct pkt p;
    if (i < pt->n) {
      BDD r = and2(pt->e[i].set, dom);
      bool empty = r == bddfalse;
      if (!empty)
        pkt_pick(r, &p);
      U(r);
      if (empty)
        continue;
    } else {
      pkt_random(P, c, &p);
    }
    struct nsg_query q;
    char lb[64], rb[64], err[256];
    pkt_query(c, &p, &q, lb, rb);
    struct nsg_verdict v;
    int rc = s->eng(s->arg, &q, &v, err, sizeof err);
    int want = verdict_key(P, rc, &v), got = part_find(pt, &p);
    if (want != got)
      fail(P, -EPROTO, "prove: the symbolic %s model disagrees with the %s engine on %s %s proto %d local %s:%u "
           "remote %s:%u (%s vs %s): the encoding in prove.c is out of date - a bug, report it",
           s->name, s->name, c->nic, c->dir == NSG_INBOUND ? "inbound" : "outbound", p.proto, lb, p.lport, rb,
           p.rport, got >= 0 ? P->keys.s[got] : got == -1 ? "no answer" : "several answers", P->keys.s[want]);
  }
}

static int add_witness(struct nsg_prove_result *r, const struct nsg_prove_witness *w)
{
  struct nsg_prove_witness *n = realloc(r->w, (r->nw + 1) * sizeof *n);
  if (!n)
    return -ENOMEM;
  r->w = n;
  r->w[r->nw++] = *w;
  return 0;
}

/* Compares two partitions of one case; every distinct (want answer, have answer) pair on which
 * they differ gives one witness (up to max_witnesses). */
static void compare(struct prover *P, const struct pcase *c, const struct part *a, const struct part *b,
                    const struct side *sa, const struct side *sb, BDD dom, struct nsg_prove_result *r)
{
  BDD covered = R(bddfalse), differ = R(bddfalse);
  size_t found = 0, maxw = P->o && P->o->max_witnesses ? P->o->max_witnesses : 4;
  for (size_t k = 0; k < P->keys.n && !P->rc; k++) {
    BDD d = R(bdd_xor(part_get(a, (int)k), part_get(b, (int)k)));
    set_and(&d, dom);
    set_or(&differ, d);
    set_diff(&d, covered);
    while (d != bddfalse && found < maxw && !P->rc) {
      struct pkt p;
      pkt_pick(d, &p);
      int ka = part_find(a, &p), kb = part_find(b, &p);
      BDD pair = and2(ka >= 0 ? part_get(a, ka) : bddfalse, kb >= 0 ? part_get(b, kb) : bddfalse);
      if (pair == bddfalse) { /* a packet in no region (or several) of a partition: still a witness */
        U(pair);
        pair = R(bddtrue);
      }
      set_or(&covered, pair);
      set_diff(&d, pair);
      U(pair);
      struct nsg_prove_witness w;
      memset(&w, 0, sizeof w);
      struct nsg_query q;
      char lb[64], rb[64];
      pkt_query(c, &p, &q, lb, rb);
      snprintf(w.nic, sizeof w.nic, "%s", c->nic);
      w.dir = c->dir;
      w.proto = p.proto;
      snprintf(w.local, sizeof w.local, "%s", lb);
      snprintf(w.remote, sizeof w.remote, "%s", rb);
      w.local_port = p.lport;
      w.remote_port = p.rport;
      w.want_rc = sa->eng(sa->arg, &q, &w.want, w.want_err, sizeof w.want_err);
      w.have_rc = sb->eng(sb->arg, &q, &w.have, w.have_err, sizeof w.have_err);
      if (verdict_key(P, w.want_rc, &w.want) == verdict_key(P, w.have_rc, &w.have))
        fail(P, -EPROTO, "prove: witness %s %s proto %d remote %s:%u does not reproduce on the engines "
             "(a bug in prove.c, report it)", c->nic, c->dir == NSG_INBOUND ? "inbound" : "outbound", p.proto, rb, p.rport);
      else if (add_witness(r, &w) < 0)
        fail(P, -ENOMEM, "out of memory");
      found++;
    }
    U(d);
  }
  if (differ != bddfalse) {
    r->equivalent = false;
    /* packets: satcount counts assignments of all variables; the domain already fixes what
     * does not vary, so this is the number of distinct packets of the case */
    r->differing += bdd_satcount(differ);
  }
  U(differ);
  U(covered);
}

/* Cases of a configuration: every NIC address (the last IP configuration holding it, as
 * nsg_verify picks it) x both directions. */
struct cases {
  struct pcase *c;
  size_t n;
};

static int cases_of_config(const struct nsg_config *cfg, const char *nic, int dir, struct cases *out)
{
  memset(out, 0, sizeof *out);
  for (size_t i = 0; i < cfg->nnics; i++) {
    const struct nsg_nic *n = &cfg->nics[i];
    if (nic && !((n->id && nsg_strcaseeq(n->id, nic)) || nsg_strcaseeq(n->name, nic)))
      continue;
    for (size_t k = 0; k < n->nipcs; k++) {
      const struct nsg_ipconfig *ipc = &n->ipcs[k];
      if (!ipc->has_ip)
        continue;
      bool later = false; /* nsg_verify uses the last IP configuration with the address */
      for (size_t j = k + 1; j < n->nipcs; j++)
        later |= n->ipcs[j].has_ip && nsg_ip_equal(&n->ipcs[j].ip, &ipc->ip);
      if (later)
        continue;
      for (int d = 0; d < 2; d++) {
        if (dir >= 0 && d != dir)
          continue;
        struct pcase *nc = realloc(out->c, (out->n + 1) * sizeof *nc);
        if (!nc) {
          free(out->c);
          return -ENOMEM;
        }
        out->c = nc;
        out->c[out->n++] = (struct pcase){.nic = n->name, .local = ipc->ip, .dir = (enum nsg_direction)d,
                                          .cnic = n, .ipc = ipc, .scope = cfg->subnets[ipc->subnet].scope};
      }
    }
  }
  return 0;
}

static int cases_of_tables(const struct nsg_tables *t, struct cases *out)
{
  memset(out, 0, sizeof *out);
  for (size_t i = 0; i < t->nvports; i++)
    for (size_t k = 0; k < t->vports[i].nips; k++)
      for (int d = 0; d < 2; d++) {
        bool dup = false; /* one case per (NIC, address) */
        for (size_t j = 0; j < out->n; j++)
          dup |= nsg_strcaseeq(out->c[j].nic, t->vports[i].nic_name) && nsg_ip_equal(&out->c[j].local, &t->vports[i].ips[k]) &&
                 out->c[j].dir == (enum nsg_direction)d;
        if (dup)
          continue;
        struct pcase *nc = realloc(out->c, (out->n + 1) * sizeof *nc);
        if (!nc) {
          free(out->c);
          return -ENOMEM;
        }
        out->c = nc;
        out->c[out->n++] = (struct pcase){.nic = t->vports[i].nic_name, .local = t->vports[i].ips[k],
                                          .dir = (enum nsg_direction)d, .scope = -1};
      }
  return 0;
}

static double now_ms(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

void nsg_prove_opts_default(struct nsg_prove_opts *o)
{
  memset(o, 0, sizeof *o);
  o->max_witnesses = 4;
  o->self_checks = 24;
}

void nsg_prove_result_fini(struct nsg_prove_result *r)
{
  if (!r)
    return;
  free(r->w);
  memset(r, 0, sizeof *r);
}

static int prove_run(const struct nsg_config *cfg, const struct nsg_tables *want_t, const struct nsg_tables *t,
                     const struct nsg_prove_opts *o, struct nsg_prove_result *r, char *err, size_t errlen)
{
  struct nsg_prove_opts dflt;
  if (!o) {
    nsg_prove_opts_default(&dflt);
    o = &dflt;
  }
  memset(r, 0, sizeof *r);
  r->equivalent = true;
  if (cfg && (!cfg->finalized || cfg->errors)) {
    snprintf(err, errlen, "the configuration is not valid; fix its errors first");
    return -EINVAL;
  }
  double t0 = now_ms();
  struct cases cs;
  int rc = cfg ? cases_of_config(cfg, NULL, -1, &cs) : cases_of_tables(want_t, &cs);
  if (rc < 0) {
    snprintf(err, errlen, "out of memory");
    return rc;
  }
  struct prover P;
  session_begin(&P, o, err, errlen);
  struct side sa = cfg ? (struct side){"reference", eng_ref, cfg} : (struct side){"tables", eng_tab, want_t};
  struct side sb = {"tables", eng_tab, t};
  for (size_t i = 0; i < cs.n && !P.rc; i++) {
    struct part a = {0}, b = {0};
    if (cfg)
      ref_case(&P, cfg, &cs.c[i], &a);
    else
      tab_case(&P, want_t, &cs.c[i], &a);
    tab_case(&P, t, &cs.c[i], &b);
    BDD dom = domain(&cs.c[i]);
    track(&P);
    if (!P.rc)
      self_check(&P, &cs.c[i], &a, &sa, dom);
    if (!P.rc)
      self_check(&P, &cs.c[i], &b, &sb, dom);
    if (!P.rc)
      compare(&P, &cs.c[i], &a, &b, &sa, &sb, dom, r);
    track(&P);
    U(dom);
    part_free(&a);
    part_free(&b);
  }
  /* NICs of the tables that the configuration does not have */
  if (cfg && !P.rc)
    for (size_t i = 0; i < t->nvports; i++)
      if (!nsg_find_nic(cfg, t->vports[i].nic_name)) {
        r->equivalent = false;
        struct nsg_prove_witness w;
        memset(&w, 0, sizeof w);
        snprintf(w.nic, sizeof w.nic, "%s", t->vports[i].nic_name);
        w.want_rc = -ENOENT;
        snprintf(w.want_err, sizeof w.want_err, "no network interface named '%s' in the configuration", w.nic);
        snprintf(w.have_err, sizeof w.have_err, "the tables have it (vport %zu)", i);
        if (add_witness(r, &w) < 0)
          fail(&P, -ENOMEM, "out of memory");
      }
  r->cases = cs.n;
  r->bdd_nodes = P.peak_nodes;
  rc = P.rc;
  session_end(&P);
  free(cs.c);
  r->ms = now_ms() - t0;
  if (rc < 0)
    nsg_prove_result_fini(r);
  return rc;
}

int nsg_prove(const struct nsg_config *cfg, const struct nsg_tables *t, const struct nsg_prove_opts *o,
              struct nsg_prove_result *r, char *err, size_t errlen)
{
  return prove_run(cfg, NULL, t, o, r, err, errlen);
}

int nsg_prove_tables(const struct nsg_tables *want, const struct nsg_tables *have, const struct nsg_prove_opts *o,
                     struct nsg_prove_result *r, char *err, size_t errlen)
{
  return prove_run(NULL, want, have, o, r, err, errlen);
}

/* ---- packet sets as rows ---------------------------------------------------------------------- */
struct ivl {
  nsg_u128 lo, hi;
  BDD next; /* what remains below the block (not referenced: the walk's root keeps it alive) */
};
struct ivls {
  struct ivl *v;
  size_t n, cap;
  bool overflow;
};

enum { MAX_IVLS = 200000 };

static void ivl_emit(struct ivls *o, nsg_u128 lo, nsg_u128 hi, BDD next)
{
  if (o->n && o->v[o->n - 1].next == next && o->v[o->n - 1].hi + 1 == lo) {
    o->v[o->n - 1].hi = hi;
    return;
  }
  if (o->n == MAX_IVLS) {
    o->overflow = true;
    return;
  }
  if (o->n == o->cap) {
    size_t cap = o->cap ? 2 * o->cap : 64;
    struct ivl *nv = realloc(o->v, cap * sizeof *nv);
    if (!nv) {
      o->overflow = true;
      return;
    }
    o->v = nv;
    o->cap = cap;
  }
  o->v[o->n++] = (struct ivl){lo, hi, next};
}

/* The values of the field [base, base+width) (MSB first) along which `node` continues, as
 * increasing intervals, each with the node that remains below the field. */
static void walk(BDD node, int base, unsigned width, unsigned level, nsg_u128 val, struct ivls *o)
{
  if (node < 0) /* a BuDDy error */
    o->overflow = true;
  if (node == bddfalse || o->overflow)
    return;
  unsigned rem = width - level;
  if (node == bddtrue || bdd_var(node) >= base + (int)width) {
    nsg_u128 lo = rem >= 128 ? 0 : val << rem;
    nsg_u128 hi = rem >= 128 ? ~(nsg_u128)0 : lo | (((nsg_u128)1 << rem) - 1);
    ivl_emit(o, lo, hi, node);
    return;
  }
  int v = bdd_var(node);
  if (v == base + (int)level) {
    walk(bdd_low(node), base, width, level + 1, val << 1, o);
    walk(bdd_high(node), base, width, level + 1, (val << 1) | 1, o);
  } else {
    walk(node, base, width, level + 1, val << 1, o);
    walk(node, base, width, level + 1, (val << 1) | 1, o);
  }
}

static int push_range(struct nsg_prove_range **r, size_t *n, uint32_t lo, uint32_t hi)
{
  struct nsg_prove_range *nr = realloc(*r, (*n + 1) * sizeof *nr);
  if (!nr)
    return -ENOMEM;
  *r = nr;
  (*r)[(*n)++] = (struct nsg_prove_range){lo, hi};
  return 0;
}

static int add_row(struct nsg_space *sp, const struct pcase *c, const struct nsg_prove_range *protos, size_t np,
                   const struct nsg_rset *remote, const struct ivls *rp, BDD rnext, const struct ivls *lp,
                   const char *what)
{
  struct nsg_space_row *nr = realloc(sp->rows, (sp->n + 1) * sizeof *nr);
  if (!nr)
    return -ENOMEM;
  sp->rows = nr;
  struct nsg_space_row *row = &sp->rows[sp->n++];
  memset(row, 0, sizeof *row);
  snprintf(row->nic, sizeof row->nic, "%s", c->nic);
  row->dir = c->dir;
  nsg_ip_format(&c->local, row->local, sizeof row->local);
  snprintf(row->what, sizeof row->what, "%s", what);
  int rc = 0;
  for (size_t i = 0; i < np && !rc; i++)
    rc = push_range(&row->protos, &row->nprotos, protos[i].lo, protos[i].hi);
  struct nsg_prefix *px = NULL, *cx = NULL;
  long n = nsg_rset_to_prefixes(remote, &px);
  if (n < 0)
    return -ENOMEM;
  /* the complement, when it is the shorter list ("* except ...") */
  struct nsg_rset all;
  nsg_rset_init(&all, c->local.fam);
  long m = nsg_rset_add(&all, 0, fam_max(c->local.fam)) < 0 || nsg_rset_subtract(&all, remote) < 0
               ? -ENOMEM
               : nsg_rset_to_prefixes(&all, &cx);
  nsg_rset_free(&all);
  if (m >= 0 && m > 0 && m + 1 < n) {
    free(px);
    px = cx;
    n = m;
    row->remote_except = true;
  } else {
    free(cx);
  }
  if (n > 0 && !(row->remote = calloc((size_t)n, sizeof *row->remote)))
    rc = -ENOMEM;
  for (long i = 0; i < n && !rc; i++) {
    char b[64];
    nsg_prefix_format(&px[i], b, sizeof b);
    if (!(row->remote[row->nremote++] = nsg_strdup(b)))
      rc = -ENOMEM;
  }
  free(px);
  for (size_t i = 0; i < rp->n && !rc; i++)
    if (rp->v[i].next == rnext)
      rc = push_range(&row->rports, &row->nrports, (uint32_t)rp->v[i].lo, (uint32_t)rp->v[i].hi);
  for (size_t i = 0; i < lp->n && !rc; i++)
    rc = push_range(&row->lports, &row->nlports, (uint32_t)lp->v[i].lo, (uint32_t)lp->v[i].hi);
  return rc;
}

/* Rows of set s of case c: protocols grouped by identical remainder, then remote addresses
 * grouped by the port set that follows them, then remote ports by the local-port set. */
static int rows_of(struct prover *P, const struct pcase *c, BDD s, const char *what, struct nsg_space *sp)
{
  (void)P;
  if (s == bddfalse)
    return 0;
  BDD cof[256];
  for (int p = 0; p < 256; p++) {
    BDD cube = field_eq(V_PROTO, 8, (nsg_u128)p);
    cof[p] = R(bdd_restrict(s, cube));
    U(cube);
  }
  int rc = 0;
  bool done[256] = {false};
  for (int p = 0; p < 256 && !rc; p++) {
    if (done[p] || cof[p] == bddfalse)
      continue;
    struct nsg_prove_range pr[256];
    size_t np = 0;
    for (int q = p; q < 256; q++) {
      if (done[q] || cof[q] != cof[p])
        continue;
      done[q] = true;
      if (np && pr[np - 1].hi + 1 == (uint32_t)q)
        pr[np - 1].hi = (uint32_t)q;
      else
        pr[np++] = (struct nsg_prove_range){(uint32_t)q, (uint32_t)q};
    }
    struct ivls addr = {0};
    walk(cof[p], V_RADDR, 128, 0, 0, &addr);
    /* group address intervals by the port node that follows */
    bool *used = calloc(addr.n ? addr.n : 1, sizeof *used);
    if (!used || addr.overflow)
      rc = -ENOMEM;
    for (size_t i = 0; i < addr.n && !rc; i++) {
      if (used[i])
        continue;
      BDD pn = addr.v[i].next;
      struct nsg_rset rs;
      nsg_rset_init(&rs, c->local.fam);
      for (size_t j = i; j < addr.n; j++)
        if (!used[j] && addr.v[j].next == pn) {
          used[j] = true;
          if (nsg_rset_add(&rs, addr.v[j].lo, addr.v[j].hi) < 0)
            rc = -ENOMEM;
        }
      struct ivls rport = {0};
      walk(pn, V_RPORT, 16, 0, 0, &rport);
      bool *ru = calloc(rport.n ? rport.n : 1, sizeof *ru);
      if (!ru || rport.overflow)
        rc = -ENOMEM;
      for (size_t k = 0; k < rport.n && !rc; k++) {
        if (ru[k])
          continue;
        BDD ln = rport.v[k].next;
        for (size_t m = k; m < rport.n; m++)
          if (rport.v[m].next == ln)
            ru[m] = true;
        struct ivls lport = {0};
        walk(ln, V_LPORT, 16, 0, 0, &lport);
        if (lport.overflow)
          rc = -ENOMEM;
        if (!rc)
          rc = add_row(sp, c, pr, np, &rs, &rport, ln, &lport, what);
        free(lport.v);
      }
      free(ru);
      free(rport.v);
      nsg_rset_free(&rs);
    }
    free(used);
    free(addr.v);
  }
  for (int p = 0; p < 256; p++)
    U(cof[p]);
  return rc;
}

void nsg_space_free(struct nsg_space *s)
{
  if (!s)
    return;
  for (size_t i = 0; i < s->n; i++) {
    struct nsg_space_row *r = &s->rows[i];
    free(r->protos);
    for (size_t k = 0; k < r->nremote; k++)
      free(r->remote[k]);
    free(r->remote);
    free(r->rports);
    free(r->lports);
  }
  free(s->rows);
  free(s);
}

/* A prefix filter on the remote side as a BDD; on the local side as a yes/no. */
static int parse_filter(const char *s, struct nsg_prefix *p, char *err, size_t errlen)
{
  bool hb;
  if (nsg_prefix_parse(s, p, &hb) < 0) {
    snprintf(err, errlen, "'%s' is not an IP address or prefix", s);
    return -EINVAL;
  }
  return 0;
}

static BDD side_filter(const struct pcase *c, const struct nsg_prefix *p, bool remote_side)
{
  if (!p)
    return R(bddtrue);
  if (p->fam != c->local.fam)
    return R(p->len == 0 ? bddtrue : bddfalse);
  if (!remote_side)
    return R(nsg_prefix_contains(p, &c->local) ? bddtrue : bddfalse);
  return field_prefix(V_RADDR, 128, p->v, (p->fam == NSG_AF4 ? 96u : 0u) + p->len);
}

static bool rule_named(const char *key, const char *want)
{
  /* key: "X\tNSG\tsecurityRules/NAME"; want: "NSG/NAME" or "NSG/securityRules/NAME" */
  const char *nsg = key + 2, *tab = strchr(nsg, '\t');
  if (!tab)
    return false;
  size_t nl = (size_t)(tab - nsg);
  if (strlen(want) <= nl || strncasecmp(want, nsg, nl) != 0 || want[nl] != '/')
    return false;
  const char *rule = tab + 1, *wr = want + nl + 1;
  if (nsg_strcaseeq(rule, wr))
    return true;
  const char *slash = strchr(rule, '/');
  return slash && nsg_strcaseeq(slash + 1, wr);
}

int nsg_prove_space(const struct nsg_config *cfg, const struct nsg_space_query *q, struct nsg_space **out,
                    char *err, size_t errlen)
{
  *out = NULL;
  if (!cfg->finalized || cfg->errors) {
    snprintf(err, errlen, "the configuration is not valid; fix its errors first");
    return -EINVAL;
  }
  if (q->nic && !nsg_find_nic(cfg, q->nic)) {
    snprintf(err, errlen, "no network interface named '%s' in the configuration", q->nic);
    return -ENOENT;
  }
  struct nsg_prefix from, to;
  if ((q->from && parse_filter(q->from, &from, err, errlen) < 0) || (q->to && parse_filter(q->to, &to, err, errlen) < 0))
    return -EINVAL;
  if (q->what == NSG_SPACE_RULE && (!q->rule || !strchr(q->rule, '/'))) {
    snprintf(err, errlen, "a rule is named NSG/NAME");
    return -EINVAL;
  }
  struct cases cs;
  if (cases_of_config(cfg, q->nic, q->dir, &cs) < 0) {
    snprintf(err, errlen, "out of memory");
    return -ENOMEM;
  }
  struct nsg_space *sp = calloc(1, sizeof *sp);
  struct prover P;
  struct nsg_prove_opts o;
  nsg_prove_opts_default(&o);
  session_begin(&P, &o, err, errlen);
  if (!sp)
    fail(&P, -ENOMEM, "out of memory");
  bool rule_known = false;
  for (size_t i = 0; i < cs.n && !P.rc; i++) {
    const struct pcase *c = &cs.c[i];
    struct part a = {0};
    ref_case(&P, cfg, c, &a);
    BDD s = R(bddfalse);
    for (size_t k = 0; k < a.n; k++) {
      const char *key = P.keys.s[a.e[k].key];
      bool take = q->what == NSG_SPACE_ALLOWED   ? key[0] == 'A'
                  : q->what == NSG_SPACE_DENIED ? key[0] != 'A'
                                                : (key[0] == 'A' || key[0] == 'D') && rule_named(key, q->rule);
      if (take)
        set_or(&s, a.e[k].set);
    }
    if (q->what == NSG_SPACE_RULE)
      for (size_t k = 0; k < P.keys.n; k++)
        rule_known |= (P.keys.s[k][0] == 'A' || P.keys.s[k][0] == 'D') && rule_named(P.keys.s[k], q->rule);
    bool outb = c->dir == NSG_OUTBOUND;
    BDD dom = domain(c), f1 = side_filter(c, q->from ? &from : NULL, !outb), f2 = side_filter(c, q->to ? &to : NULL, outb);
    set_and(&s, dom);
    set_and(&s, f1);
    set_and(&s, f2);
    if (q->proto >= 0) {
      BDD pf = field_eq(V_PROTO, 8, (nsg_u128)q->proto);
      set_and(&s, pf);
      U(pf);
    }
    if (q->port_lo >= 0) {
      BDD pf = field_range(outb ? V_RPORT : V_LPORT, 16, (nsg_u128)q->port_lo, (nsg_u128)q->port_hi);
      set_and(&s, pf);
      U(pf);
    }
    if (!P.rc && rows_of(&P, c, s, q->what == NSG_SPACE_RULE ? q->rule : "", sp) < 0)
      fail(&P, -ENOMEM, "out of memory (or a set too fragmented to list)");
    track(&P);
    U(s);
    U(dom);
    U(f1);
    U(f2);
    part_free(&a);
  }
  int rc = P.rc;
  if (!rc && q->what == NSG_SPACE_RULE && !rule_known) {
    /* a rule that never decides anything leaves no key: check that it exists at all */
    const char *slash = strchr(q->rule, '/');
    bool exists = false;
    for (size_t n = 0; n < cfg->nnsgs && !exists; n++) {
      const struct nsg_nsg *g = &cfg->nsgs[n];
      if (strlen(g->name) != (size_t)(slash - q->rule) || strncasecmp(g->name, q->rule, (size_t)(slash - q->rule)))
        continue;
      for (size_t r = 0; r < g->nrules && !exists; r++) {
        char key[400];
        snprintf(key, sizeof key, "A\t%s\t%s/%s", g->name, g->rules[r].is_default ? "defaultSecurityRules" : "securityRules",
                 g->rules[r].name);
        exists = rule_named(key, q->rule);
      }
    }
    if (!exists) {
      snprintf(err, errlen, "no rule '%s' in the configuration (give NSG/NAME)", q->rule);
      rc = -ENOENT;
    }
  }
  session_end(&P);
  if (sp)
    sp->cases = cs.n;
  free(cs.c);
  if (rc < 0) {
    nsg_space_free(sp);
    return rc;
  }
  *out = sp;
  return 0;
}

int nsg_prove_diff(const struct nsg_config *old_, const struct nsg_config *new_, const char *nic,
                   struct nsg_space **out, char *err, size_t errlen)
{
  *out = NULL;
  if (!old_->finalized || old_->errors || !new_->finalized || new_->errors) {
    snprintf(err, errlen, "a configuration is not valid; fix its errors first");
    return -EINVAL;
  }
  struct cases co, cn;
  if (cases_of_config(old_, nic, -1, &co) < 0) {
    snprintf(err, errlen, "out of memory");
    return -ENOMEM;
  }
  if (cases_of_config(new_, nic, -1, &cn) < 0) {
    free(co.c);
    snprintf(err, errlen, "out of memory");
    return -ENOMEM;
  }
  if (nic && !co.n && !cn.n) {
    free(co.c);
    free(cn.c);
    snprintf(err, errlen, "no network interface named '%s' in either configuration", nic);
    return -ENOENT;
  }
  struct nsg_space *sp = calloc(1, sizeof *sp);
  struct prover P;
  struct nsg_prove_opts o;
  nsg_prove_opts_default(&o);
  session_begin(&P, &o, err, errlen);
  if (!sp)
    fail(&P, -ENOMEM, "out of memory");
  for (size_t i = 0; i < co.n && !P.rc; i++) {
    const struct pcase *c = &co.c[i], *d = NULL;
    for (size_t j = 0; j < cn.n && !d; j++)
      if (nsg_strcaseeq(cn.c[j].nic, c->nic) && nsg_ip_equal(&cn.c[j].local, &c->local) && cn.c[j].dir == c->dir)
        d = &cn.c[j];
    if (!d)
      continue;
    struct part a = {0}, b = {0};
    ref_case(&P, old_, c, &a);
    ref_case(&P, new_, d, &b);
    BDD aa = R(bddfalse), ba = R(bddfalse);
    for (size_t k = 0; k < a.n; k++)
      if (P.keys.s[a.e[k].key][0] == 'A')
        set_or(&aa, a.e[k].set);
    for (size_t k = 0; k < b.n; k++)
      if (P.keys.s[b.e[k].key][0] == 'A')
        set_or(&ba, b.e[k].set);
    BDD dom = domain(c);
    BDD lost = diff2(aa, ba), gained = diff2(ba, aa);
    set_and(&lost, dom);
    set_and(&gained, dom);
    if (rows_of(&P, c, lost, "Allow -> Deny", sp) < 0 || rows_of(&P, c, gained, "Deny -> Allow", sp) < 0)
      fail(&P, -ENOMEM, "out of memory (or a set too fragmented to list)");
    track(&P);
    U(lost);
    U(gained);
    U(dom);
    U(aa);
    U(ba);
    part_free(&a);
    part_free(&b);
  }
  int rc = P.rc;
  session_end(&P);
  if (sp)
    sp->cases = co.n;
  free(co.c);
  free(cn.c);
  if (rc < 0) {
    nsg_space_free(sp);
    return rc;
  }
  *out = sp;
  return 0;
}

/* ---- printing rows ---------------------------------------------------------------------------- */
struct sbuf {
  char *s;
  size_t n, cap;
  bool oom;
};

static void sb_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(struct sbuf *b, const char *fmt, ...)
{
  if (b->oom)
    return;
  for (;;) {
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(b->s ? b->s + b->n : NULL, b->s ? b->cap - b->n : 0, fmt, ap);
    va_end(ap);
    if (k < 0) {
      b->oom = true;
      return;
    }
    if (b->s && b->n + (size_t)k < b->cap) {
      b->n += (size_t)k;
      return;
    }
    size_t cap = (b->cap + (size_t)k + 1) * 2;
    char *ns = realloc(b->s, cap);
    if (!ns) {
      b->oom = true;
      return;
    }
    b->s = ns;
    b->cap = cap;
  }
}

static const char *proto_name(uint32_t p)
{
  switch (p) {
  case 1: return "icmp";
  case 6: return "tcp";
  case 17: return "udp";
  case 50: return "esp";
  case 51: return "ah";
  case 58: return "icmpv6";
  default: return NULL;
  }
}

static void sb_protos(struct sbuf *b, const struct nsg_space_row *r)
{
  if (r->nprotos == 1 && r->protos[0].lo == 0 && r->protos[0].hi == 255) {
    sb_printf(b, "any");
    return;
  }
  for (size_t i = 0; i < r->nprotos; i++) {
    const struct nsg_prove_range *p = &r->protos[i];
    if (i)
      sb_printf(b, ",");
    if (p->lo == p->hi && proto_name(p->lo))
      sb_printf(b, "%s", proto_name(p->lo));
    else if (p->lo == p->hi)
      sb_printf(b, "%u", p->lo);
    else
      sb_printf(b, "%u-%u", p->lo, p->hi);
  }
}

static void sb_ports(struct sbuf *b, const struct nsg_prove_range *p, size_t n)
{
  if (n == 1 && p[0].lo == 0 && p[0].hi == 65535) {
    sb_printf(b, "*");
    return;
  }
  for (size_t i = 0; i < n; i++)
    sb_printf(b, p[i].lo == p[i].hi ? "%s%u" : "%s%u-%u", i ? "," : "", p[i].lo, p[i].hi);
}

static bool has_ports(const struct nsg_space_row *r)
{
  for (size_t i = 0; i < r->nprotos; i++)
    if ((r->protos[i].lo <= 6 && 6 <= r->protos[i].hi) || (r->protos[i].lo <= 17 && 17 <= r->protos[i].hi))
      return true;
  return false;
}

static void sb_remote(struct sbuf *b, const struct nsg_space_row *r)
{
  if (r->remote_except)
    sb_printf(b, "* except ");
  if (!r->remote_except && r->nremote == 1 && (strcmp(r->remote[0], "0.0.0.0/0") == 0 || strcmp(r->remote[0], "::/0") == 0)) {
    sb_printf(b, "*");
    return;
  }
  for (size_t i = 0; i < r->nremote; i++)
    sb_printf(b, "%s%s", i ? ", " : "", r->remote[i]);
}

char *nsg_space_text(const struct nsg_space *s)
{
  struct sbuf b = {0};
  sb_printf(&b, "%s", "");
  for (size_t i = 0; i < s->n; i++) {
    const struct nsg_space_row *r = &s->rows[i];
    const struct nsg_space_row *p = i ? &s->rows[i - 1] : NULL;
    if (!p || strcmp(p->nic, r->nic) || strcmp(p->local, r->local) || p->dir != r->dir)
      sb_printf(&b, "%s %s %s:\n", r->nic, r->local, r->dir == NSG_INBOUND ? "inbound" : "outbound");
    sb_printf(&b, "  ");
    if (r->what[0])
      sb_printf(&b, "%s: ", r->what);
    sb_protos(&b, r);
    bool out = r->dir == NSG_OUTBOUND, ports = has_ports(r);
    sb_printf(&b, "  from ");
    if (out)
      sb_printf(&b, "%s", r->local);
    else
      sb_remote(&b, r);
    if (ports) {
      sb_printf(&b, " port ");
      if (out)
        sb_ports(&b, r->lports, r->nlports);
      else
        sb_ports(&b, r->rports, r->nrports);
    }
    sb_printf(&b, "  to ");
    if (out)
      sb_remote(&b, r);
    else
      sb_printf(&b, "%s", r->local);
    if (ports) {
      sb_printf(&b, " port ");
      if (out)
        sb_ports(&b, r->rports, r->nrports);
      else
        sb_ports(&b, r->lports, r->nlports);
    }
    sb_printf(&b, "\n");
  }
  if (b.oom) {
    free(b.s);
    errno = ENOMEM;
    return NULL;
  }
  return b.s;
}

static json_t *ranges_json(const struct nsg_prove_range *p, size_t n)
{
  json_t *a = json_array();
  for (size_t i = 0; i < n; i++) {
    char buf[32];
    snprintf(buf, sizeof buf, p[i].lo == p[i].hi ? "%u" : "%u-%u", p[i].lo, p[i].hi);
    json_array_append_new(a, json_string(buf));
  }
  return a;
}

char *nsg_space_json(const struct nsg_space *s)
{
  json_t *a = json_array();
  for (size_t i = 0; i < s->n; i++) {
    const struct nsg_space_row *r = &s->rows[i];
    bool out = r->dir == NSG_OUTBOUND;
    json_t *rem = json_array();
    for (size_t k = 0; k < r->nremote; k++)
      json_array_append_new(rem, json_string(r->remote[k]));
    json_t *loc = json_array();
    json_array_append_new(loc, json_string(r->local));
    json_t *o = json_pack("{s:s,s:s,s:o}", "nic", r->nic, "direction", out ? "outbound" : "inbound", "protocols",
                          ranges_json(r->protos, r->nprotos));
    if (r->remote_except) { /* every address of the family except these */
      json_object_set_new(o, out ? "sourcePrefixes" : "destinationPrefixes", loc);
      json_object_set_new(o, out ? "destinationPrefixesExcept" : "sourcePrefixesExcept", rem);
    } else {
      json_object_set_new(o, "sourcePrefixes", out ? loc : rem);
    }
    json_object_set_new(o, "sourcePorts", out ? ranges_json(r->lports, r->nlports) : ranges_json(r->rports, r->nrports));
    if (!r->remote_except)
      json_object_set_new(o, "destinationPrefixes", out ? rem : loc);
    json_object_set_new(o, "destinationPorts", out ? ranges_json(r->rports, r->nrports) : ranges_json(r->lports, r->nlports));
    if (r->what[0])
      json_object_set_new(o, "change", json_string(r->what));
    json_array_append_new(a, o);
  }
  char *str = json_dumps(a, JSON_COMPACT | JSON_PRESERVE_ORDER);
  json_decref(a);
  if (!str)
    errno = ENOMEM;
  return str;
}

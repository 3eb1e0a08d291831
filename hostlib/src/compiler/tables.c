/* SPDX-License-Identifier: Apache-2.0 */
/* Bit-exact software model of the device's lookup (the `tables` engine of `nsgnic verify`).
 *
 * A packet of vport P (direction D, protocol, local/remote address and port) is decided as the
 * datapath does it, from the tables alone:
 *   1. binding = BIND[P] of the active bank; an invalid binding drops the packet.
 *   2. label stage: remote labels = LABEL(ctx, remote).LABELS; local labels =
 *      LABEL(ctx, local).LABELS | binding.LOCAL_LABELS, LABEL being the longest-prefix match in
 *      the label stage's block-RAM trees (label_lpm.c, lpm.sv; equal to the label TCAM's first
 *      match, from which the compiler builds them). No match gives labels 0. Source and
 *      destination are local/remote by direction (outbound: source = local). Inbound, the
 *      local address's entry must name the vport (VPORT, VPORT_VALID): the datapath finds the
 *      target NIC that way; a mismatch is reported as inconsistent tables.
 *   3. platform stage: PLATFORM_TCAM(dst port, dst labels, proto, L4, family, dir). BLOCK denies
 *      (S13); EXEMPT sets the rule key's PLATFORM bit (S10/S11). The port-range comparators set
 *      the rule key's SRC/DST_PORT_CLASS bits (L4 packets only).
 *   4. rule stage, once per S2 level in order (inbound: subnet NSG then NIC NSG; outbound: NIC
 *      then subnet); a level without NSG allows. The first valid matching rule-TCAM entry
 *      decides: DENY ends the decision; ALLOW records the rule; an entry with PLATFORM_EXEMPT
 *      allows without recording a rule; no match (never for a compiled NSG) fails closed (deny).
 *   5. allowed: the last recorded rule, else "platform" when exempt, else "no NSG".
 * Keys carry the active-bank register in their BANK bit. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "label_lpm.h"
#include "model.h"
#include "tables.h"

unsigned nsg_port_classes(const uint32_t ranges[NSGNIC_PORT_CLASSES], uint16_t port)
{
  unsigned m = 0;
  for (unsigned k = 0; k < NSGNIC_PORT_CLASSES; k++)
    if (NSGNIC_GET(&ranges[k], PORT_RANGE_LO) <= port && port <= NSGNIC_GET(&ranges[k], PORT_RANGE_HI))
      m |= 1u << k;
  return m;
}

int nsg_ttable_push(struct nsg_ttable *t, const struct nsg_tentry *e)
{
  if (t->n == t->cap) {
    size_t cap = t->cap ? t->cap * 2 : 64;
    struct nsg_tentry *ne = realloc(t->e, cap * sizeof *ne);
    if (!ne)
      return -ENOMEM;
    t->e = ne;
    t->cap = cap;
  }
  t->e[t->n++] = *e;
  return 0;
}

long nsg_ttable_lookup(const struct nsg_ttable *t, const uint32_t *key)
{
  for (size_t i = 0; i < t->n; i++) {
    const struct nsg_tentry *e = &t->e[i];
    if (!e->valid)
      continue;
    unsigned w = 0;
    while (w < t->key_words && ((key[w] ^ e->val[w]) & e->care[w]) == 0)
      w++;
    if (w == t->key_words)
      return (long)i;
  }
  return -1;
}

void nsg_ttable_free(struct nsg_ttable *t)
{
  free(t->e);
  t->e = NULL;
  t->n = t->cap = 0;
}

void nsg_tentry_set_label_addr(struct nsg_tentry *e, const struct nsg_prefix *p)
{
  if (p->fam == NSG_AF4) {
    nsg_tentry_set(e, NSGNIC_LABEL_KEY_ADDR_LSB, 32, (uint64_t)p->v, p->len);
  } else {
    nsg_tentry_set(e, NSGNIC_LABEL_KEY_ADDR_LSB + 64, 64, (uint64_t)(p->v >> 64), p->len > 64 ? 64 : p->len);
    nsg_tentry_set(e, NSGNIC_LABEL_KEY_ADDR_LSB, 64, (uint64_t)p->v, p->len > 64 ? p->len - 64u : 0);
  }
}

int nsg_tlrow_cmp(const struct nsg_tlrow *x, const struct nsg_tlrow *y)
{
  if (x->ctx != y->ctx)
    return x->ctx < y->ctx ? -1 : 1;
  if (x->p.fam != y->p.fam)
    return x->p.fam < y->p.fam ? -1 : 1;
  if (x->p.v != y->p.v)
    return x->p.v < y->p.v ? -1 : 1;
  return x->p.len < y->p.len ? -1 : x->p.len > y->p.len;
}

void nsg_tentry_set(struct nsg_tentry *e, unsigned lsb, unsigned width, uint64_t value, unsigned plen)
{
  /* word by word: at most three words for a 64-bit field */
  uint64_t care = plen == 0 ? 0 : plen >= 64 ? ~(uint64_t)0 : ~(uint64_t)0 << (width - plen);
  if (width < 64) {
    uint64_t wm = ((uint64_t)1 << width) - 1;
    value &= wm;
    care &= wm;
  }
  unsigned done = 0;
  while (done < width) {
    unsigned b = lsb + done, w = b >> 5, sh = b & 31u;
    unsigned take = 32u - sh < width - done ? 32u - sh : width - done;
    uint32_t m = (take == 32 ? 0xffffffffu : (((uint32_t)1 << take) - 1u)) << sh;
    uint32_t v = (uint32_t)(value >> done) << sh, c = (uint32_t)(care >> done) << sh;
    e->val[w] = (e->val[w] & ~m) | (v & m);
    e->care[w] |= c & m;
    done += take;
  }
}

int nsg_tables_add_note(struct nsg_tables *t, const char *fmt, ...)
{
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  char **nn = realloc(t->notes, (t->nnotes + 1) * sizeof *nn);
  if (!nn)
    return -ENOMEM;
  t->notes = nn;
  if (!(t->notes[t->nnotes] = nsg_strdup(buf)))
    return -ENOMEM;
  t->nnotes++;
  return 0;
}

void nsg_tables_free(struct nsg_tables *t)
{
  if (!t)
    return;
  nsg_ttable_free(&t->rule);
  nsg_ttable_free(&t->label);
  nsg_ttable_free(&t->plat);
  free(t->bind);
  free(t->bind_next);
  for (size_t i = 0; i < t->nvports; i++) {
    free(t->vports[i].nic_name);
    free(t->vports[i].nic_id);
    free(t->vports[i].ips);
  }
  free(t->vports);
  for (size_t i = 0; i < t->nrnames; i++) {
    free(t->rnames[i].nsg);
    free(t->rnames[i].rule);
  }
  free(t->rnames);
  for (size_t i = 0; i < t->nstats; i++)
    free(t->stats[i].name);
  free(t->stats);
  for (size_t i = 0; i < t->nnotes; i++)
    free(t->notes[i]);
  free(t->notes);
  for (int b = 0; b < NSGNIC_LABEL_BITS; b++)
    free(t->label_meaning[b]);
  nsg_tables_label_stage_drop(t);
  free(t->ctxs);
  free(t->lrows);
  free(t->ctxs_next);
  free(t->lrows_next);
  free(t);
}

const struct nsg_label_lpm *nsg_tables_label_stage(const struct nsg_tables *t, char *err, size_t errlen)
{
  if (t->lpm)
    return t->lpm;
  struct nsg_label_lpm *l = malloc(sizeof *l);
  if (!l) {
    snprintf(err, errlen, "label stage: out of memory");
    errno = ENOMEM;
    return NULL;
  }
  int rc = nsg_label_lpm_build(t, l, err, errlen);
  if (rc < 0) {
    free(l);
    errno = -rc;
    return NULL;
  }
  /* the cache: the tables object itself is never const (nsg_tables are heap objects) */
  ((struct nsg_tables *)t)->lpm = l;
  return l;
}

void nsg_tables_label_stage_drop(struct nsg_tables *t)
{
  if (!t->lpm)
    return;
  nsg_label_lpm_free(t->lpm);
  free(t->lpm);
  t->lpm = NULL;
}

void nsg_tables_label_tcam_lookup(const struct nsg_tables *t, unsigned ctx, const struct nsg_ip *a,
                                  uint32_t res[NSG_TRES_WORDS])
{
  uint32_t key[NSG_TKEY_WORDS] = {0};
  nsgnic_bits_put(key, NSGNIC_LABEL_KEY_ADDR_LSB, 64, (uint64_t)a->v);
  nsgnic_bits_put(key, NSGNIC_LABEL_KEY_ADDR_LSB + 64, 64, (uint64_t)(a->v >> 64));
  NSGNIC_PUT(key, LABEL_KEY_FAMILY, a->fam == NSG_AF6 ? NSGNIC_FAMILY_IPV6 : NSGNIC_FAMILY_IPV4);
  NSGNIC_PUT(key, LABEL_KEY_CTX, ctx);
  NSGNIC_PUT(key, LABEL_KEY_BANK, t->bank);
  long i = nsg_ttable_lookup(&t->label, key);
  memset(res, 0, NSG_TRES_WORDS * sizeof *res);
  if (i >= 0)
    memcpy(res, t->label.e[i].res, NSG_TRES_WORDS * sizeof *res);
}

/* The label stage: the longest prefix's result words (all zero when nothing matches). */
int nsg_tables_label_lookup(const struct nsg_tables *t, unsigned ctx, const struct nsg_ip *a,
                            uint32_t res[NSG_TRES_WORDS], char *err, size_t errlen)
{
  const struct nsg_label_lpm *l = nsg_tables_label_stage(t, err, errlen);
  memset(res, 0, NSG_TRES_WORDS * sizeof *res);
  if (!l)
    return -errno;
  nsg_label_lpm_lookup(l, ctx, a, res);
  return 0;
}

int nsg_tables_label_row(const struct nsg_tables *t, unsigned label_ctx, const struct nsg_ip *a,
                         uint32_t row[NSGNIC_LPM_ROW_WORDS], char *err, size_t errlen)
{
  const struct nsg_label_lpm *l = nsg_tables_label_stage(t, err, errlen);
  memset(row, 0, NSGNIC_LPM_ROW_WORDS * sizeof *row);
  if (!l)
    return -errno;
  nsg_label_lpm_lookup_row(l, label_ctx, a, row);
  return 0;
}

static bool nic_matches(const struct nsg_tvport *p, const char *name)
{
  return (p->nic_id && nsg_strcaseeq(p->nic_id, name)) || nsg_strcaseeq(p->nic_name, name);
}

int nsg_tables_verify(const struct nsg_tables *t, const struct nsg_query *q, struct nsg_verdict *v,
                      char *err, size_t errlen)
{
  memset(v, 0, sizeof *v);
  bool nic_found = false;
  for (size_t i = 0; i < t->nvports && !nic_found; i++)
    nic_found = nic_matches(&t->vports[i], q->nic);
  if (!nic_found) {
    snprintf(err, errlen, "no network interface named '%s' in the configuration", q->nic);
    return -ENOENT;
  }
  struct nsg_ip local, remote;
  int qrc = nsg_query_parse(q, &local, &remote, err, errlen);
  if (qrc < 0)
    return qrc;
  long vp = -1;
  for (size_t i = 0; i < t->nvports; i++)
    if (nic_matches(&t->vports[i], q->nic))
      for (size_t k = 0; k < t->vports[i].nips; k++)
        if (nsg_ip_equal(&t->vports[i].ips[k], &local))
          vp = (long)i;
  if (vp < 0) {
    snprintf(err, errlen, "local address %s is not an address of network interface '%s'", q->local, q->nic);
    return -EINVAL;
  }
  const uint32_t *b = t->bind[vp];
  if (!NSGNIC_GET(b, BINDING_VALID)) {
    snprintf(err, errlen, "vport %ld of network interface '%s' has no valid binding", vp, q->nic);
    return -EINVAL;
  }
  unsigned ctx = (unsigned)NSGNIC_GET(b, BINDING_CTX);
  bool out = q->dir == NSG_OUTBOUND;
  bool l4 = q->proto == 6 || q->proto == 17;
  uint16_t lport = l4 ? q->local_port : 0, rport = l4 ? q->remote_port : 0;
  /* label vectors of the local and remote address per S2 level ([0] subnet NSG, [1] NIC NSG) */
  uint64_t llab[2], rlab[2];
  uint32_t lres[NSG_TRES_WORDS];
  if (!out || !t->label_ctx) {
    int lrc = t->label_ctx ? 0 : nsg_tables_label_lookup(t, ctx, &local, lres, err, errlen);
    if (lrc < 0)
      return lrc;
    if (t->label_ctx) /* the local-address table */
      nsg_tables_label_tcam_lookup(t, ctx, &local, lres);
    /* inbound, the datapath finds the target vport by the destination's label result */
    if (!out && (!NSGNIC_GET(lres, LABEL_RESULT_VPORT_VALID) || NSGNIC_GET(lres, LABEL_RESULT_VPORT) != (uint64_t)vp)) {
      snprintf(err, errlen, "label stage: local address %s does not lead to vport %ld of network interface '%s' "
               "(the tables are inconsistent)", q->local, vp, q->nic);
      return -EIO;
    }
  }
  if (t->label_ctx) { /* context mode: the vport's tree context, one vector per level */
    unsigned lctx = (unsigned)NSGNIC_GET(b, BINDING_LABEL_CTX);
    uint32_t lrow[NSGNIC_LPM_ROW_WORDS], rrow[NSGNIC_LPM_ROW_WORDS];
    int lrc = nsg_tables_label_row(t, lctx, &local, lrow, err, errlen);
    if (lrc < 0 || (lrc = nsg_tables_label_row(t, lctx, &remote, rrow, err, errlen)) < 0)
      return lrc;
    llab[0] = NSGNIC_GET(lrow, LPM_ROW_LABELS_SUBNET);
    llab[1] = NSGNIC_GET(lrow, LPM_ROW_LABELS_NIC);
    rlab[0] = NSGNIC_GET(rrow, LPM_ROW_LABELS_SUBNET);
    rlab[1] = NSGNIC_GET(rrow, LPM_ROW_LABELS_NIC);
  } else {
    uint32_t rres[NSG_TRES_WORDS];
    int lrc = nsg_tables_label_lookup(t, ctx, &remote, rres, err, errlen);
    if (lrc < 0)
      return lrc;
    llab[0] = llab[1] = NSGNIC_GET(lres, LABEL_RESULT_LABELS);
    rlab[0] = rlab[1] = NSGNIC_GET(rres, LABEL_RESULT_LABELS);
  }
  for (int l = 0; l < 2; l++)
    llab[l] |= NSGNIC_GET(b, BINDING_LOCAL_LABELS);
  const struct nsg_ip *src = out ? &local : &remote, *dst = out ? &remote : &local;
  const uint64_t *slab = out ? llab : rlab, *dlab = out ? rlab : llab;
  uint16_t sport = out ? lport : rport, dport = out ? rport : lport;
  unsigned fam = local.fam == NSG_AF6 ? NSGNIC_FAMILY_IPV6 : NSGNIC_FAMILY_IPV4;
  unsigned dir = out ? NSGNIC_DIR_OUTBOUND : NSGNIC_DIR_INBOUND;

  uint32_t pk[NSG_TKEY_WORDS] = {0};
  NSGNIC_PUT(pk, PLATFORM_KEY_DST_PORT, dport);
  NSGNIC_PUT(pk, PLATFORM_KEY_DST_LABELS, dlab[0]); /* context mode: LABELS_SUBNET */
  NSGNIC_PUT(pk, PLATFORM_KEY_PROTO, q->proto);
  NSGNIC_PUT(pk, PLATFORM_KEY_L4, l4);
  NSGNIC_PUT(pk, PLATFORM_KEY_FAMILY, fam);
  NSGNIC_PUT(pk, PLATFORM_KEY_DIR, dir);
  NSGNIC_PUT(pk, PLATFORM_KEY_BANK, t->bank);
  long pi = nsg_ttable_lookup(&t->plat, pk);
  unsigned pclass = pi < 0 ? NSGNIC_PLATFORM_CLASS_NONE : (unsigned)NSGNIC_GET(t->plat.e[pi].res, RESULT_PLATFORM_CLASS);
  if (pclass == NSGNIC_PLATFORM_CLASS_BLOCK) {
    v->allow = false;
    v->kind = NSG_DECIDED_BY_PLATFORM;
    snprintf(v->reason, sizeof v->reason, "outbound TCP port 25 to the Internet is blocked for this subscription type (S13)");
    return 0;
  }
  bool exempt = pclass == NSGNIC_PLATFORM_CLASS_EXEMPT;

  uint32_t rk[NSG_TKEY_WORDS] = {0};
  NSGNIC_PUT(rk, RULE_KEY_DST_PORT, dport);
  NSGNIC_PUT(rk, RULE_KEY_SRC_PORT, sport);
  NSGNIC_PUT(rk, RULE_KEY_DST_ADDR4, dst->fam == NSG_AF4 ? (uint32_t)dst->v : 0);
  NSGNIC_PUT(rk, RULE_KEY_SRC_ADDR4, src->fam == NSG_AF4 ? (uint32_t)src->v : 0);
  NSGNIC_PUT(rk, RULE_KEY_PROTO, q->proto);
  NSGNIC_PUT(rk, RULE_KEY_L4, l4);
  NSGNIC_PUT(rk, RULE_KEY_FAMILY, fam);
  NSGNIC_PUT(rk, RULE_KEY_DIR, dir);
  NSGNIC_PUT(rk, RULE_KEY_PLATFORM, exempt);
  NSGNIC_PUT(rk, RULE_KEY_SRC_PORT_CLASS, l4 ? nsg_port_classes(t->port_range[0], sport) : 0);
  NSGNIC_PUT(rk, RULE_KEY_DST_PORT_CLASS, l4 ? nsg_port_classes(t->port_range[1], dport) : 0);
  NSGNIC_PUT(rk, RULE_KEY_BANK, t->bank);

  bool has[2];
  unsigned id[2];
  has[0] = NSGNIC_GET(b, BINDING_SUBNET_NSG_VALID);
  id[0] = (unsigned)NSGNIC_GET(b, BINDING_SUBNET_NSG);
  has[1] = NSGNIC_GET(b, BINDING_NIC_NSG_VALID);
  id[1] = (unsigned)NSGNIC_GET(b, BINDING_NIC_NSG);
  long last = -1;
  for (int l = 0; l < 2; l++) {
    int lv = out ? 1 - l : l; /* inbound: subnet, NIC; outbound: NIC, subnet */
    if (!has[lv])
      continue;
    NSGNIC_PUT(rk, RULE_KEY_NSG, id[lv]);
    NSGNIC_PUT(rk, RULE_KEY_DST_LABELS, dlab[lv]); /* rule TCAM port lv's vectors */
    NSGNIC_PUT(rk, RULE_KEY_SRC_LABELS, slab[lv]);
    long ri = nsg_ttable_lookup(&t->rule, rk);
    unsigned act = ri < 0 ? NSGNIC_ACTION_NONE : (unsigned)NSGNIC_GET(t->rule.e[ri].res, RESULT_ACTION);
    if (act == NSGNIC_ACTION_ALLOW && NSGNIC_GET(t->rule.e[ri].res, RESULT_PLATFORM_EXEMPT))
      continue;
    size_t rid = ri < 0 ? 0 : (size_t)NSGNIC_GET(t->rule.e[ri].res, RESULT_RULE_ID);
    if (act != NSGNIC_ACTION_ALLOW && act != NSGNIC_ACTION_DENY) { /* fail closed */
      snprintf(err, errlen, "rule TCAM: NSG id %u gave no decision (action %u)", id[lv], act);
      return -EIO;
    }
    if (rid >= t->nrnames) {
      snprintf(err, errlen, "rule TCAM slot %ld: rule id %zu outside the rule-name table (%zu)", ri, rid, t->nrnames);
      return -EIO;
    }
    if (act == NSGNIC_ACTION_DENY) {
      v->allow = false;
      v->kind = NSG_DECIDED_BY_RULE;
      snprintf(v->rule_name, sizeof v->rule_name, "%s", t->rnames[rid].rule);
      snprintf(v->nsg_name, sizeof v->nsg_name, "%s", t->rnames[rid].nsg);
      return 0;
    }
    last = (long)rid;
  }
  v->allow = true;
  if (last >= 0) {
    v->kind = NSG_DECIDED_BY_RULE;
    snprintf(v->rule_name, sizeof v->rule_name, "%s", t->rnames[last].rule);
    snprintf(v->nsg_name, sizeof v->nsg_name, "%s", t->rnames[last].nsg);
  } else if (exempt) {
    v->kind = NSG_DECIDED_BY_PLATFORM;
    /* the reason text only (the decision came from the tables): which S10/S11 service */
    bool wire = remote.fam == NSG_AF4 && (uint32_t)remote.v == 0xa83f8110u; /* 168.63.129.16 */
    bool imds = remote.fam == NSG_AF4 && (uint32_t)remote.v == 0xa9fea9feu; /* 169.254.169.254 */
    enum nsg_platform d = wire && rport == 53 ? NSG_PLATFORM_EXEMPT_DNS
                          : wire              ? NSG_PLATFORM_ALLOW
                          : imds              ? NSG_PLATFORM_EXEMPT_IMDS
                                              : NSG_PLATFORM_EXEMPT_LKM;
    snprintf(v->reason, sizeof v->reason, "%s", nsg_platform_reason(d));
  } else {
    v->kind = NSG_DECIDED_NO_NSG;
  }
  return 0;
}

void nsg_tables_counts(const struct nsg_tables *t, struct nsg_tables_counts *c)
{
  memset(c, 0, sizeof *c);
  for (size_t i = 0; i < t->rule.n; i++)
    c->rule_entries += t->rule.e[i].valid;
  for (size_t i = 0; i < t->label.n; i++)
    c->label_entries += t->label.e[i].valid;
  for (size_t i = 0; i < t->plat.n; i++)
    c->platform_entries += t->plat.e[i].valid;
  c->vports = t->nvports;
  c->nsgs = t->nstats;
  c->rules = t->nrules;
  c->label_bits = t->label_bits;
  c->plain_entries = t->plain_entries;
  c->compile_ms = t->compile_ms;
}

void nsg_tables_port_ranges(const struct nsg_tables *t, uint32_t *out)
{
  memcpy(out, t->port_range, sizeof t->port_range);
}

static int copy_table(struct nsg_ttable *d, const struct nsg_ttable *s)
{
  *d = *s;
  d->e = NULL;
  d->cap = s->n ? s->n : 1;
  if (!(d->e = malloc(d->cap * sizeof *d->e)))
    return -ENOMEM;
  if (s->n)
    memcpy(d->e, s->e, s->n * sizeof *d->e);
  return 0;
}

struct nsg_tables *nsg_tables_clone(const struct nsg_tables *t)
{
  struct nsg_tables *c = calloc(1, sizeof *c);
  if (!c)
    goto nomem;
  c->bank = t->bank;
  memcpy(c->port_range, t->port_range, sizeof c->port_range);
  if (copy_table(&c->rule, &t->rule) < 0 || copy_table(&c->label, &t->label) < 0 ||
      copy_table(&c->plat, &t->plat) < 0)
    goto nomem;
  if (!(c->bind = calloc(t->nvports ? t->nvports : 1, sizeof *c->bind)) ||
      !(c->vports = calloc(t->nvports ? t->nvports : 1, sizeof *c->vports)))
    goto nomem;
  memcpy(c->bind, t->bind, t->nvports * sizeof *c->bind);
  if (t->bind_next) {
    if (!(c->bind_next = calloc(t->nvports ? t->nvports : 1, sizeof *c->bind_next)))
      goto nomem;
    memcpy(c->bind_next, t->bind_next, t->nvports * sizeof *c->bind_next);
  }
  for (; c->nvports < t->nvports; c->nvports++) {
    const struct nsg_tvport *s = &t->vports[c->nvports];
    struct nsg_tvport *d = &c->vports[c->nvports];
    if (!(d->nic_name = nsg_strdup(s->nic_name)) || (s->nic_id && !(d->nic_id = nsg_strdup(s->nic_id))) ||
        !(d->ips = malloc((s->nips ? s->nips : 1) * sizeof *d->ips)))
      goto nomem_vp;
    memcpy(d->ips, s->ips, s->nips * sizeof *d->ips);
    d->nips = s->nips;
  }
  if (!(c->rnames = calloc(t->nrnames ? t->nrnames : 1, sizeof *c->rnames)))
    goto nomem;
  for (; c->nrnames < t->nrnames; c->nrnames++)
    if (!(c->rnames[c->nrnames].nsg = nsg_strdup(t->rnames[c->nrnames].nsg)) ||
        !(c->rnames[c->nrnames].rule = nsg_strdup(t->rnames[c->nrnames].rule))) {
      c->nrnames++;
      goto nomem;
    }
  for (int b = 0; b < NSGNIC_LABEL_BITS; b++)
    if (t->label_meaning[b] && !(c->label_meaning[b] = nsg_strdup(t->label_meaning[b])))
      goto nomem;
  c->label_ctx = t->label_ctx;
  if (t->nctxs) {
    if (!(c->ctxs = malloc(t->nctxs * sizeof *c->ctxs)))
      goto nomem;
    memcpy(c->ctxs, t->ctxs, t->nctxs * sizeof *c->ctxs);
    c->nctxs = t->nctxs;
  }
  if (t->nlrows) {
    if (!(c->lrows = malloc(t->nlrows * sizeof *c->lrows)))
      goto nomem;
    memcpy(c->lrows, t->lrows, t->nlrows * sizeof *c->lrows);
    c->nlrows = t->nlrows;
  }
  c->nrules = t->nrules;
  c->label_bits = t->label_bits;
  c->plain_entries = t->plain_entries;
  return c;
nomem_vp:
  c->nvports++;
nomem:
  nsg_tables_free(c);
  errno = ENOMEM;
  return NULL;
}

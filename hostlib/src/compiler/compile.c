/* SPDX-License-Identifier: Apache-2.0 */
/* The NSG compiler: configuration model -> label TCAM + platform TCAM + rule TCAM + bindings.
 *
 * Design (docs/compiler.md has the long form):
 *  - Labels. Every address set a rule names that can be large or that the rule key cannot hold
 *    (service tags, VirtualNetwork/Internet per VNet, ASG memberships, IPv6 prefix lists, and the
 *    IPv4 prefix lists for which it saves rule entries) gets one bit of the 64-bit label bitmap.
 *    The label TCAM maps (context, address) to the bitmap of every set holding the address: all
 *    prefixes of all sets form a forest; a node's bitmap is the OR of its own and its ancestors'
 *    bits, so the longest matching node carries exactly the sets containing the address. Nodes
 *    are emitted longest first (first match = longest match); a node equal to its parent is left
 *    out. Per-VNet bits (VirtualNetwork, Internet) give per-context entries only where contexts
 *    differ; the common value is one context-wildcard entry.
 *  - Rules. Per NSG in evaluation order (S3/S6), each rule becomes the product of its source
 *    specs x destination specs x source-port cover x destination-port cover. A spec is "any", a
 *    label bit, or an IPv4 prefix in the key. Port lists are merged into disjoint intervals first,
 *    then expanded to prefixes. Entries wholly covered by one earlier entry of the same NSG are
 *    dropped (shadowed). Each NSG is one block of entries keyed by its NSG id, shared by every
 *    NIC and subnet it is attached to; the binding table points vports at the blocks.
 *  - Platform (S10/S11/S13) is a separate small TCAM; see tables.c for how the stages combine.
 * Errors name the NSG and rule; nothing is ever truncated or silently widened. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lpm.h"
#include "model.h"
#include "tables.h"

void nsg_compile_opts_default(struct nsg_compile_opts *o)
{
  memset(o, 0, sizeof *o);
  o->rule_entries = NSGNIC_RULE_ENTRIES;
  o->label_entries = NSGNIC_LABEL_ENTRIES;
  o->platform_entries = NSGNIC_PLATFORM_ENTRIES;
  o->vports = NSGNIC_VPORTS;
  o->ctxs = NSGNIC_CTXS;
  o->nsg_ids = NSGNIC_NSG_IDS;
}

/* A deduplicated prefix list of one family (the minimal CIDR cover of a rule field's prefixes). */
struct pset {
  uint8_t fam;
  struct nsg_prefix *p;
  size_t n;
  uint64_t hash;
  int bit;        /* label bit, or -1: stays in the rule key (IPv4 only) */
  double savings; /* rule entries a label would save */
  const char *nsg, *rule; /* first user, for the report */
};

/* One side (source or destination) of one rule. */
struct field {
  bool any;
  int labs[NSGNIC_LABEL_BITS];
  int nlab;
  int v4set, v6set; /* pset index or -1 */
};

/* One address spec of a side: any, a label bit, or an IPv4 prefix in the key. */
struct spec {
  int fam; /* 0 any, 4, 6 */
  int bit; /* -1 none */
  uint32_t a4;
  int a4len; /* -1 none */
  uint64_t lval, lmask; /* label bits to match besides `bit`: a class of the NSG's class field */
};

struct tport {
  uint16_t v, care;
  int cls; /* >= 0: match port class (comparator) cls instead of v/care */
};

struct lcontrib { /* one label contribution: `bit` for addresses in `p`, in context ctx (-1 all);
                   * bit < 0: p is the address of vport -1-bit in context ctx (LABEL_RESULT.VPORT) */
  struct nsg_prefix p;
  int ctx, bit;
};

/* Context mode, an NSG naming more label sets than its label field has bits (S14: up to 100
 * ASGs per NSG, any service tags): the sets that get no bit of their own are class-encoded. A
 * node's (prefix's) membership is the subset of them containing it; each distinct non-empty
 * membership is a class 1..ncls, written as a number into the class field (bits lsb ..
 * lsb + nbits - 1) of the NSG's label vector; class 0 is "none of them". A rule naming a
 * class-encoded set matches the classes whose membership holds it (docs/compiler.md, Label
 * classes). */
struct lclass {
  int lsb, nbits;
  int *oidx;        /* per virtual label id: index among the class-encoded sets, or -1 */
  size_t nset, words; /* class-encoded sets; uint64_t words per membership */
  size_t ncls;      /* classes 1..ncls */
  uint64_t *mem;    /* membership of class k at mem[(k - 1) * words] */
  uint32_t *node_cls; /* per node: its class */
};

struct cc {
  const struct nsg_config *cfg;
  struct nsg_compile_opts o;
  struct nsg_tables *t;
  char *err;
  size_t errlen;
  int *nsg_id, *scope_ctx, *tag_bit, *asg_bit;
  size_t nctx;
  int kms_bit;
  uint64_t used; /* label bits taken */
  const struct nsg_tables *prev; /* keep its label bits (o.reuse) */
  struct pset *sets;
  size_t nsets, capsets;
  int32_t *sethash; /* open addressing over sets by hash; size sethash_cap (power of two) */
  size_t sethash_cap;
  struct field *fields; /* [2 * (rule index across all NSGs)] */
  size_t *rule_base;    /* per NSG: index of its first rule in fields/2 */
  struct lcontrib *lc;
  size_t nlc, caplc;
  /* context mode: label sets get virtual ids VBIT0 + k (meaning vmean[k]) instead of bits; each
   * NSG id maps them to its own bits: vmap[id * nv + k] (-1: the NSG does not use set k) */
  char **vmean;
  size_t nv, capv;
  int8_t *vmap;
  unsigned nids;
  const int8_t *cur_map; /* the map of the NSG whose block is being built */
  /* context mode: the label contributions grouped by prefix (lc sorted by cmp_lc): node i is
   * lc[node_first[i] .. node_first[i + 1]) */
  size_t *node_first;
  size_t nnodes;
  struct lclass **cls;         /* per NSG id: its class-encoded label sets, or NULL */
  const struct lclass *cur_cls; /* those of the NSG whose block is being built */
  /* shadow index of the NSG block being built: entries by (direction, top 8 bits of the source
   * and destination IPv4 address or 256 when an entry does not care about all of them) */
  int32_t *shead, *snext, *stouched;
  size_t snext_cap, ntouched;
};

#define SB 257u
#define SHADOW_BUCKETS (2u * SB * SB)

static unsigned addr_bucket(const struct nsg_tentry *e, unsigned lsb)
{
  unsigned w = lsb >> 5; /* the IPv4 address fields are word aligned */
  return (e->care[w] >> 24) == 0xffu ? e->val[w] >> 24 : 256u;
}

static unsigned entry_dir(const struct nsg_tentry *e)
{
  return (unsigned)((e->val[NSGNIC_RULE_KEY_DIR_LSB >> 5] >> (NSGNIC_RULE_KEY_DIR_LSB & 31)) & 1u);
}

static int fail(struct cc *c, int e, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(struct cc *c, int e, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(c->err, c->errlen, fmt, ap);
  va_end(ap);
  return -e;
}

static uint64_t hash_prefixes(const struct nsg_prefix *p, size_t n)
{
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i < n; i++) {
    uint64_t x = (uint64_t)p[i].v ^ (uint64_t)(p[i].v >> 64) * 31u ^ ((uint64_t)p[i].len << 56);
    h = (h ^ x) * 1099511628211ull;
  }
  return h;
}

/* Interns the minimal cover of `s`; returns the pset index or a negative errno. */
static long intern_set(struct cc *c, const struct nsg_rset *s, const char *nsg, const char *rule)
{
  struct nsg_prefix *p;
  long n = nsg_rset_to_prefixes(s, &p);
  if (n < 0)
    return n;
  uint64_t h = hash_prefixes(p, (size_t)n) ^ s->fam;
  if (c->nsets * 2 >= c->sethash_cap) { /* grow and rehash */
    size_t cap = c->sethash_cap ? c->sethash_cap * 2 : 1024;
    int32_t *nh = malloc(cap * sizeof *nh);
    if (!nh) {
      free(p);
      return -ENOMEM;
    }
    for (size_t i = 0; i < cap; i++)
      nh[i] = -1;
    for (size_t i = 0; i < c->nsets; i++) {
      size_t k = (size_t)c->sets[i].hash & (cap - 1);
      while (nh[k] >= 0)
        k = (k + 1) & (cap - 1);
      nh[k] = (int32_t)i;
    }
    free(c->sethash);
    c->sethash = nh;
    c->sethash_cap = cap;
  }
  size_t slot = (size_t)h & (c->sethash_cap - 1);
  for (; c->sethash[slot] >= 0; slot = (slot + 1) & (c->sethash_cap - 1)) {
    const struct pset *x = &c->sets[c->sethash[slot]];
    if (x->hash == h && x->fam == s->fam && x->n == (size_t)n && memcmp(x->p, p, (size_t)n * sizeof *p) == 0) {
      free(p);
      return c->sethash[slot];
    }
  }
  if (c->nsets == c->capsets) {
    size_t cap = c->capsets ? c->capsets * 2 : 64;
    struct pset *ns = realloc(c->sets, cap * sizeof *ns);
    if (!ns) {
      free(p);
      return -ENOMEM;
    }
    c->sets = ns;
    c->capsets = cap;
  }
  c->sets[c->nsets] = (struct pset){.fam = s->fam, .p = p, .n = (size_t)n, .hash = h, .bit = -1,
                                    .nsg = nsg, .rule = rule};
  c->sethash[slot] = (int32_t)c->nsets;
  return (long)c->nsets++;
}

#define VBIT0 NSGNIC_LABEL_BITS

/* Context mode: a new virtual label id for `meaning`; -2 when out of memory. */
static int take_vbit(struct cc *c, const char *meaning)
{
  if (c->nv == c->capv) {
    size_t cap = c->capv ? c->capv * 2 : 64;
    char **n = realloc(c->vmean, cap * sizeof *n);
    if (!n)
      return -2;
    c->vmean = n;
    c->capv = cap;
  }
  if (!(c->vmean[c->nv] = nsg_strdup(meaning)))
    return -2;
  return (int)(VBIT0 + c->nv++);
}

/* The rule-key bit of label `bit` (a fixed bit, the KMS bit or a virtual id) in the NSG whose
 * block is being built. */
static int phys_bit(const struct cc *c, int bit)
{
  if (bit < VBIT0)
    return bit;
  return c->cur_map ? c->cur_map[bit - VBIT0] : -1;
}

/* A free label bit for `meaning`: the bit it had in the previous tables when free, else one the
 * previous tables did not use, else any free one; -1 when none is left. */
static int take_bit(struct cc *c, const char *meaning)
{
  if (c->o.label_ctx && strcmp(meaning, "kms") != 0) /* only the KMS bit is global */
    return take_vbit(c, meaning);
  int pick = -1;
  for (int b = NSGNIC_LABEL_FIRST_FREE; b < NSGNIC_LABEL_BITS && pick < 0 && c->prev; b++)
    if (!(c->used >> b & 1) && c->prev->label_meaning[b] && strcmp(c->prev->label_meaning[b], meaning) == 0)
      pick = b;
  for (int b = NSGNIC_LABEL_FIRST_FREE; b < NSGNIC_LABEL_BITS && pick < 0; b++)
    if (!(c->used >> b & 1) && !(c->prev && c->prev->label_meaning[b]))
      pick = b;
  for (int b = NSGNIC_LABEL_FIRST_FREE; b < NSGNIC_LABEL_BITS && pick < 0; b++)
    if (!(c->used >> b & 1))
      pick = b;
  if (pick < 0)
    return -1;
  if (!(c->t->label_meaning[pick] = nsg_strdup(meaning)))
    return -2;
  c->used |= (uint64_t)1 << pick;
  return pick;
}

static int alloc_bit(struct cc *c, int *slot, const char *meaning, const char *what, const char *nsg, const char *rule)
{
  if (*slot >= 0)
    return 0;
  int b = take_bit(c, meaning);
  if (b == -2)
    return -ENOMEM;
  if (b < 0)
    return fail(c, ENOSPC,
                "NSG '%s' rule '%s': %s needs an address-label bit, but all %d label bits (%d..%d) are in use "
                "by other service tags, ASGs and IPv6 prefix lists",
                nsg, rule, what, NSGNIC_LABEL_BITS - NSGNIC_LABEL_FIRST_FREE, NSGNIC_LABEL_FIRST_FREE,
                NSGNIC_LABEL_BITS - 1);
  *slot = b;
  return 0;
}

static void set_meaning(char *buf, size_t n, const struct pset *p)
{
  snprintf(buf, n, "%s:%016llx:%zu", p->fam == NSG_AF6 ? "v6" : "v4", (unsigned long long)p->hash, p->n);
}

/* Builds the field of one rule side; allocates the bits it needs unconditionally. */
static int cmp_prefix_first(const void *a, const void *b)
{
  const struct nsg_prefix *x = a, *y = b;
  nsg_u128 fx = nsg_prefix_first(x), fy = nsg_prefix_first(y);
  return fx < fy ? -1 : fx > fy;
}

/* The union of prefixes (one family) as an interval set, in O(n log n). */
static int prefixes_to_rset(struct nsg_prefix *p, size_t n, struct nsg_rset *s)
{
  qsort(p, n, sizeof *p, cmp_prefix_first);
  if (n && !(s->r = malloc(n * sizeof *s->r)))
    return -ENOMEM;
  s->cap = n;
  for (size_t i = 0; i < n; i++) {
    nsg_u128 lo = nsg_prefix_first(&p[i]), hi = nsg_prefix_last(&p[i]);
    if (s->n && (s->r[s->n - 1].hi >= lo || s->r[s->n - 1].hi + 1 == lo)) {
      if (hi > s->r[s->n - 1].hi)
        s->r[s->n - 1].hi = hi;
    } else {
      s->r[s->n].lo = lo;
      s->r[s->n].hi = hi;
      s->n++;
    }
  }
  return 0;
}

static int build_field(struct cc *c, const struct nsg_nsg *n, const struct nsg_rule *r,
                       const struct nsg_item *it, size_t nit, struct field *f)
{
  memset(f, 0, sizeof *f);
  f->v4set = f->v6set = -1;
  struct nsg_rset s4, s6;
  nsg_rset_init(&s4, NSG_AF4);
  nsg_rset_init(&s6, NSG_AF6);
  struct nsg_prefix *pl[2] = {NULL, NULL};
  size_t npl[2] = {0, 0};
  int rc = 0;
  if (nit && (!(pl[0] = malloc(nit * sizeof *pl[0])) || !(pl[1] = malloc(nit * sizeof *pl[1])))) {
    free(pl[0]);
    return -ENOMEM;
  }
  for (size_t i = 0; i < nit && rc == 0; i++) {
    const struct nsg_item *x = &it[i];
    int bit = -1;
    switch (x->kind) {
    case NSG_ITEM_ANY:
      f->any = true;
      break;
    case NSG_ITEM_PREFIX:
      if (x->both_families)
        f->any = true;
      else
        pl[x->pfx.fam == NSG_AF6][npl[x->pfx.fam == NSG_AF6]++] = x->pfx;
      break;
    case NSG_ITEM_TAG:
      if (x->tag < 0 || (size_t)x->tag >= c->cfg->ntags) {
        rc = fail(c, EINVAL, "NSG '%s' rule '%s': unresolved service tag '%s'", n->name, r->name, x->text);
        break;
      }
      if (x->tag < NSG_TAG_FIRST_FILE)
        bit = NSGNIC_LABEL_VIRTUAL_NETWORK + x->tag; /* the fixed bits follow the builtin order */
      else {
        char m[300];
        snprintf(m, sizeof m, "tag:%s", c->cfg->tags[x->tag].name);
        if ((rc = alloc_bit(c, &c->tag_bit[x->tag], m, x->text, n->name, r->name)) == 0)
          bit = c->tag_bit[x->tag];
      }
      break;
    case NSG_ITEM_ASG:
      if (x->asg < 0 || (size_t)x->asg >= c->cfg->nasgs) {
        rc = fail(c, EINVAL, "NSG '%s' rule '%s': unresolved application security group '%s'", n->name, r->name, x->text);
        break;
      }
      {
        char m[300];
        const struct nsg_asg *a = &c->cfg->asgs[x->asg];
        snprintf(m, sizeof m, "asg:%s", a->id ? a->id : a->name);
        if ((rc = alloc_bit(c, &c->asg_bit[x->asg], m, x->text, n->name, r->name)) == 0)
          bit = c->asg_bit[x->asg];
      }
      break;
    }
    if (bit >= 0) {
      bool dup = false;
      for (int k = 0; k < f->nlab; k++)
        dup |= f->labs[k] == bit;
      if (!dup && f->nlab == NSGNIC_LABEL_BITS) {
        rc = fail(c, ENOSPC, "NSG '%s' rule '%s': one address field names more than %d service tags and ASGs",
                  n->name, r->name, NSGNIC_LABEL_BITS);
        break;
      }
      if (!dup)
        f->labs[f->nlab++] = bit;
    }
  }
  if (rc == 0)
    rc = prefixes_to_rset(pl[0], npl[0], &s4);
  if (rc == 0)
    rc = prefixes_to_rset(pl[1], npl[1], &s6);
  free(pl[0]);
  free(pl[1]);
  if (rc == 0 && !f->any && s4.n) {
    long k = intern_set(c, &s4, n->name, r->name);
    rc = k < 0 ? (int)k : 0;
    f->v4set = (int)k;
  }
  if (rc == 0 && !f->any && s6.n) {
    long k = intern_set(c, &s6, n->name, r->name);
    rc = k < 0 ? (int)k : 0;
    f->v6set = (int)k;
    if (rc == 0) {
      char m[64];
      set_meaning(m, sizeof m, &c->sets[k]);
      rc = alloc_bit(c, &c->sets[k].bit, m, "an IPv6 prefix list", n->name, r->name);
    }
  }
  nsg_rset_free(&s4);
  nsg_rset_free(&s6);
  return rc;
}

/* ---- ports --------------------------------------------------------------------------------- */

/* Union of a port list as sorted disjoint intervals in out[] (room for n); returns the count. */
static size_t merge_ports(const struct nsg_portrange *r, size_t n, struct nsg_portrange *out)
{
  size_t m = 0;
  for (size_t i = 0; i < n; i++) { /* insertion sort: lists are short */
    size_t j = m++;
    while (j > 0 && out[j - 1].lo > r[i].lo) {
      out[j] = out[j - 1];
      j--;
    }
    out[j] = r[i];
  }
  size_t k = 0;
  for (size_t i = 0; i < m; i++) {
    if (k && (uint32_t)out[k - 1].hi + 1 >= out[i].lo) {
      if (out[i].hi > out[k - 1].hi)
        out[k - 1].hi = out[i].hi;
    } else
      out[k++] = out[i];
  }
  return k;
}

/* Prefix cover of [lo, hi] into out (may be NULL); returns the count. */
static size_t range_prefixes(uint32_t lo, uint32_t hi, struct tport *out, size_t cap, size_t at)
{
  size_t cnt = 0;
  while (lo <= hi) {
    unsigned sz = 0;
    while (sz < 16 && (lo & ((2u << sz) - 1)) == 0 && lo + (2u << sz) - 1 <= hi)
      sz++;
    if (out && at + cnt < cap)
      out[at + cnt] = (struct tport){(uint16_t)lo, (uint16_t)(0xffffu << sz), -1};
    cnt++;
    lo += 1u << sz;
  }
  return cnt;
}

/* Ternary cover of a port list: the union as disjoint intervals; an interval equal to a port
 * class (comparator) is one class match, the others are expanded to prefixes. `plain`: each
 * listed range expanded on its own, no classes (the named baseline). out may be NULL. */
static size_t port_cover(const struct nsg_portrange *r, size_t n, bool plain, const uint32_t *classes,
                         struct tport *out, size_t cap)
{
  struct nsg_portrange buf[32], *iv = n <= 32 ? buf : malloc(n * sizeof *iv);
  size_t m, cnt = 0;
  if (plain || !iv) {
    for (size_t i = 0; i < n; i++)
      cnt += range_prefixes(r[i].lo, r[i].hi, out, cap, cnt);
    if (iv != buf)
      free(iv);
    return cnt;
  }
  m = merge_ports(r, n, iv);
  for (size_t i = 0; i < m; i++) {
    int cls = -1;
    for (int k = 0; classes && k < NSGNIC_PORT_CLASSES && cls < 0; k++)
      if (classes[k] == ((uint32_t)iv[i].lo | (uint32_t)iv[i].hi << 16))
        cls = k;
    if (cls >= 0) {
      if (out && cnt < cap)
        out[cnt] = (struct tport){0, 0, cls};
      cnt++;
    } else
      cnt += range_prefixes(iv[i].lo, iv[i].hi, out, cap, cnt);
  }
  if (iv != buf)
    free(iv);
  return cnt;
}

static size_t field_specs(const struct cc *c, const struct field *f, struct spec *out);

static void set_port(struct nsg_tentry *e, unsigned lsb, const struct tport *p)
{
  unsigned w = lsb >> 5, sh = lsb & 31u; /* port fields never straddle a word */
  e->val[w] = (e->val[w] & ~((uint32_t)0xffffu << sh)) | (uint32_t)(p->v & p->care) << sh;
  e->care[w] = (e->care[w] & ~((uint32_t)0xffffu << sh)) | (uint32_t)p->care << sh;
}

struct pcand {
  uint32_t range; /* PORT_RANGE word */
  double savings;
};

static int cmp_pcand(const void *a, const void *b)
{
  const struct pcand *x = a, *y = b;
  return x->savings < y->savings ? 1 : x->savings > y->savings ? -1 : 0;
}

/* Chooses the port ranges the comparators hold: per field, the PORT_CLASSES intervals whose
 * prefix expansion costs the most rule entries across all compiled rules. */
static int choose_port_classes(struct cc *c)
{
  const struct nsg_config *cfg = c->cfg;
  for (int f = 0; f < 2; f++)
    for (int k = 0; k < NSGNIC_PORT_CLASSES; k++)
      c->t->port_range[f][k] = 1; /* LO 1 > HI 0: never matches */
  if (c->o.port_ranges || c->prev) {
    memcpy(c->t->port_range, c->o.port_ranges ? (const void *)c->o.port_ranges : (const void *)c->prev->port_range,
           sizeof c->t->port_range);
    return 0;
  }
  if (c->o.plain_ports || c->o.no_port_classes)
    return 0;
  for (int f = 0; f < 2; f++) {
    struct pcand *cand = NULL;
    size_t nc = 0, cap = 0;
    for (size_t ni = 0; ni < cfg->nnsgs; ni++) {
      if (c->nsg_id[ni] < 0)
        continue;
      const struct nsg_nsg *n = &cfg->nsgs[ni];
      for (size_t ri = 0; ri < n->nrules; ri++) {
        const struct nsg_rule *r = &n->rules[ri];
        const struct field *fl = &c->fields[2 * (c->rule_base[ni] + ri)];
        const struct nsg_portrange *pr = f ? r->dports : r->sports, *po = f ? r->sports : r->dports;
        size_t np = f ? r->ndports : r->nsports, no = f ? r->nsports : r->ndports;
        if (f ? r->dports_full : r->sports_full)
          continue;
        double other = (double)field_specs(c, &fl[0], NULL) * (double)field_specs(c, &fl[1], NULL) *
                       (double)port_cover(po, no, false, NULL, NULL, 0);
        struct nsg_portrange buf[32];
        if (np > 32)
          continue;
        size_t m = merge_ports(pr, np, buf);
        for (size_t i = 0; i < m; i++) {
          size_t pc = range_prefixes(buf[i].lo, buf[i].hi, NULL, 0, 0);
          if (pc < 2)
            continue;
          uint32_t key = (uint32_t)buf[i].lo | (uint32_t)buf[i].hi << 16;
          size_t j = 0;
          while (j < nc && cand[j].range != key)
            j++;
          if (j == nc) {
            if (nc == cap) {
              cap = cap ? cap * 2 : 64;
              struct pcand *nn = realloc(cand, cap * sizeof *nn);
              if (!nn) {
                free(cand);
                return -ENOMEM;
              }
              cand = nn;
            }
            cand[nc++] = (struct pcand){key, 0};
          }
          cand[j].savings += ((double)pc - 1) * other;
        }
      }
    }
    if (nc)
      qsort(cand, nc, sizeof *cand, cmp_pcand);
    for (size_t k = 0; k < nc && k < NSGNIC_PORT_CLASSES; k++) {
      c->t->port_range[f][k] = cand[k].range;
      nsg_tables_add_note(c->t, "%s port class %zu: %u-%u (a comparator instead of %zu prefixes: saves about %.0f rule entries)",
                          f ? "destination" : "source", k, (unsigned)(cand[k].range & 0xffffu),
                          (unsigned)(cand[k].range >> 16),
                          range_prefixes(cand[k].range & 0xffffu, cand[k].range >> 16, NULL, 0, 0), cand[k].savings);
    }
    free(cand);
  }
  return 0;
}

/* ---- specs --------------------------------------------------------------------------------- */

/* The specs of label `id` (family fam) in the NSG whose block is being built, at out[k..] (NULL:
 * count only): its bit, or one spec per class holding it when the NSG class-encodes it (none when
 * no address is in the set: the term matches nothing). */
static size_t label_specs(const struct cc *c, int fam, int id, struct spec *out, size_t k)
{
  const struct lclass *lc = c->cur_cls;
  int o = lc && id >= VBIT0 ? lc->oidx[id - VBIT0] : -1;
  if (o < 0) {
    if (out)
      out[k] = (struct spec){fam, phys_bit(c, id), 0, -1, 0, 0};
    return 1;
  }
  size_t n = 0;
  uint64_t mask = (((uint64_t)1 << lc->nbits) - 1) << lc->lsb;
  for (size_t q = 1; q <= lc->ncls; q++)
    if (lc->mem[(q - 1) * lc->words + (size_t)o / 64] >> (o % 64) & 1) {
      if (out)
        out[k + n] = (struct spec){fam, -1, 0, -1, (uint64_t)q << lc->lsb, mask};
      n++;
    }
  return n;
}

static size_t field_specs(const struct cc *c, const struct field *f, struct spec *out)
{
  size_t k = 0;
  if (f->any) {
    if (out)
      out[0] = (struct spec){0, -1, 0, -1, 0, 0};
    return 1;
  }
  for (int i = 0; i < f->nlab; i++)
    k += label_specs(c, 0, f->labs[i], out, k);
  if (f->v6set >= 0)
    k += label_specs(c, 6, c->sets[f->v6set].bit, out, k);
  if (f->v4set >= 0) {
    const struct pset *s = &c->sets[f->v4set];
    if (s->bit >= 0) {
      k += label_specs(c, 4, s->bit, out, k);
    } else {
      for (size_t i = 0; i < s->n; i++, k++)
        if (out)
          out[k] = (struct spec){4, -1, (uint32_t)s->p[i].v, s->p[i].len, 0, 0};
    }
  }
  return k;
}

static int cmp_savings(const void *a, const void *b)
{
  const struct pset *x = *(const struct pset *const *)a, *y = *(const struct pset *const *)b;
  return x->savings < y->savings ? 1 : x->savings > y->savings ? -1 : 0;
}

static int cmp_savings(const void *a, const void *b);

/* Context mode: the IPv4 prefix lists that become labels, in decreasing order of savings, as long
 * as every NSG naming the list has a bit left (its own tags, ASGs and IPv6 lists first) and the
 * trees have room (an estimate, as below; the exact check follows the build). */
static int choose_prefix_labels_ctx(struct cc *c)
{
  const struct nsg_config *cfg = c->cfg;
  int free_bits = NSGNIC_LABEL_BITS - NSGNIC_LABEL_FIRST_FREE - (c->kms_bit >= 0);
  size_t nn = cfg->nnsgs ? cfg->nnsgs : 1, nv = c->nv ? c->nv : 1;
  int *need = calloc(nn, sizeof *need);
  bool *seen = malloc(nv);
  struct pset **cand = malloc((c->nsets ? c->nsets : 1) * sizeof *cand);
  int rc = 0;
  if (!need || !seen || !cand) {
    rc = -ENOMEM;
    goto out;
  }
  for (size_t ni = 0; ni < cfg->nnsgs; ni++) { /* the bits each NSG needs anyway */
    if (c->nsg_id[ni] < 0)
      continue;
    memset(seen, 0, nv);
    for (size_t r = 0; r < cfg->nsgs[ni].nrules; r++)
      for (int sd = 0; sd < 2; sd++) {
        const struct field *f = &c->fields[2 * (c->rule_base[ni] + r) + (size_t)sd];
        for (int k = 0; k <= f->nlab; k++) {
          int id = k < f->nlab ? f->labs[k] : f->v6set >= 0 ? c->sets[f->v6set].bit : -1;
          if (id >= VBIT0 && !seen[id - VBIT0]) {
            seen[id - VBIT0] = true;
            need[ni]++;
          }
        }
      }
  }
  size_t nc = 0;
  for (size_t i = 0; i < c->nsets; i++)
    if (c->sets[i].fam == NSG_AF4 && c->sets[i].savings > 0)
      cand[nc++] = &c->sets[i];
  qsort(cand, nc, sizeof *cand, cmp_savings);
  size_t room = SIZE_MAX, chosen = 0, left = 0;
  if (c->o.label_entries) {
    struct lpm_geom g4 = LPM_GEOM_V4;
    size_t cap = (size_t)(lpm_interval_capacity(&g4) - 1) / 2;
    room = c->nlc < cap ? cap - c->nlc : 0;
  }
  for (size_t i = 0; i < nc && rc == 0; i++) {
    long idx = cand[i] - c->sets;
    bool fits = cand[i]->n <= room;
    for (size_t ni = 0; ni < cfg->nnsgs && fits; ni++) {
      if (c->nsg_id[ni] < 0)
        continue;
      bool uses = false;
      for (size_t r = 0; r < 2 * cfg->nsgs[ni].nrules && !uses; r++)
        uses = c->fields[2 * c->rule_base[ni] + r].v4set == idx && !c->fields[2 * c->rule_base[ni] + r].any;
      if (uses && need[ni] >= free_bits)
        fits = false;
    }
    if (!fits) {
      left++;
      continue;
    }
    char m[64];
    set_meaning(m, sizeof m, cand[i]);
    int b = take_vbit(c, m);
    if (b < 0) {
      rc = -ENOMEM;
      break;
    }
    cand[i]->bit = b;
    if (room != SIZE_MAX)
      room -= cand[i]->n;
    for (size_t ni = 0; ni < cfg->nnsgs; ni++) {
      if (c->nsg_id[ni] < 0)
        continue;
      bool uses = false;
      for (size_t r = 0; r < 2 * cfg->nsgs[ni].nrules && !uses; r++)
        uses = c->fields[2 * c->rule_base[ni] + r].v4set == idx && !c->fields[2 * c->rule_base[ni] + r].any;
      need[ni] += uses;
    }
    if (++chosen <= 8)
      nsg_tables_add_note(c->t, "IPv4 prefix list of %zu prefixes (first used by NSG '%s' rule '%s') as a label of "
                          "the NSGs naming it: saves %.0f rule entries", cand[i]->n, cand[i]->nsg, cand[i]->rule,
                          cand[i]->savings);
  }
  if (chosen > 8)
    nsg_tables_add_note(c->t, "%zu more IPv4 prefix lists became labels", chosen - 8);
  if (left)
    nsg_tables_add_note(c->t, "%zu IPv4 prefix lists stay in the rule key: no label bit left in an NSG naming "
                        "them, or no room in the trees", left);
out:
  free(need);
  free(seen);
  free(cand);
  return rc;
}

/* Chooses which IPv4 prefix lists become labels: the ones that save the most rule entries, while
 * label bits remain. */
static int choose_prefix_labels(struct cc *c)
{
  const struct nsg_config *cfg = c->cfg;
  for (size_t ni = 0; ni < cfg->nnsgs; ni++) {
    if (c->nsg_id[ni] < 0)
      continue;
    const struct nsg_nsg *n = &cfg->nsgs[ni];
    for (size_t ri = 0; ri < n->nrules; ri++) {
      const struct nsg_rule *r = &n->rules[ri];
      struct field *f = &c->fields[2 * (c->rule_base[ni] + ri)];
      double ports = (double)port_cover(r->sports, r->nsports, false, c->t->port_range[0], NULL, 0) *
                     (double)port_cover(r->dports, r->ndports, false, c->t->port_range[1], NULL, 0);
      for (int s = 0; s < 2; s++) {
        if (f[s].any || f[s].v4set < 0)
          continue;
        double other = (double)field_specs(c, &f[1 - s], NULL) * ports;
        struct pset *p = &c->sets[f[s].v4set];
        p->savings += ((double)p->n - 1) * other;
      }
    }
  }
  if (c->o.no_prefix_labels)
    return 0;
  if (c->o.label_ctx)
    return choose_prefix_labels_ctx(c);
  struct pset **cand = malloc((c->nsets ? c->nsets : 1) * sizeof *cand);
  if (!cand)
    return -ENOMEM;
  size_t nc = 0;
  for (size_t i = 0; i < c->nsets; i++)
    if (c->sets[i].fam == NSG_AF4 && c->sets[i].savings > 0)
      cand[nc++] = &c->sets[i];
  qsort(cand, nc, sizeof *cand, cmp_savings);
  size_t chosen = 0, left = 0, nospace = 0;
  /* label-TCAM room: the capacity minus the other labels' prefixes (an estimate: the final
   * table may merge or split them; an overflow is still reported exactly afterwards) */
  size_t cap = c->o.label_entries;
  if (cap && c->o.label_lpm) { /* the IPv4 tree: about two intervals per prefix */
    struct lpm_geom g4 = LPM_GEOM_V4;
    cap = (size_t)(lpm_interval_capacity(&g4) - 1) / 2;
  }
  size_t room = cap ? (c->nlc < cap ? cap - c->nlc : 0) : SIZE_MAX;
  for (size_t i = 0; i < nc; i++) {
    if (cand[i]->n > room) {
      nospace++;
      continue;
    }
    char m[64];
    set_meaning(m, sizeof m, cand[i]);
    int b = take_bit(c, m);
    if (b == -2) {
      free(cand);
      return -ENOMEM;
    }
    if (b >= 0) {
      if (room != SIZE_MAX)
        room -= cand[i]->n;
      cand[i]->bit = b;
      chosen++;
      if (chosen <= 8)
        nsg_tables_add_note(c->t, "label bit %d: IPv4 prefix list of %zu prefixes (first used by NSG '%s' rule '%s') "
                            "as a label: saves %.0f rule entries for %zu label entries",
                            cand[i]->bit, cand[i]->n, cand[i]->nsg, cand[i]->rule, cand[i]->savings, cand[i]->n);
    } else
      left++;
  }
  if (chosen > 8)
    nsg_tables_add_note(c->t, "%zu more IPv4 prefix lists became labels", chosen - 8);
  if (left)
    nsg_tables_add_note(c->t, "%zu IPv4 prefix lists stay in the rule key: no label bits left", left);
  if (nospace)
    nsg_tables_add_note(c->t, "%zu IPv4 prefix lists stay in the rule key: the address-label TCAM has no room for them",
                        nospace);
  free(cand);
  return 0;
}

/* ---- label TCAM ---------------------------------------------------------------------------- */

static int add_lc(struct cc *c, const struct nsg_prefix *p, int ctx, int bit)
{
  if (c->nlc == c->caplc) {
    size_t cap = c->caplc ? c->caplc * 2 : 256;
    struct lcontrib *n = realloc(c->lc, cap * sizeof *n);
    if (!n)
      return -ENOMEM;
    c->lc = n;
    c->caplc = cap;
  }
  c->lc[c->nlc++] = (struct lcontrib){*p, ctx, bit};
  return 0;
}

static int add_lc_rset(struct cc *c, const struct nsg_rset *s, int ctx, int bit)
{
  struct nsg_prefix *p;
  long n = nsg_rset_to_prefixes(s, &p);
  if (n < 0)
    return (int)n;
  int rc = 0;
  for (long i = 0; i < n && rc == 0; i++)
    rc = add_lc(c, &p[i], ctx, bit);
  free(p);
  return rc;
}

static int cmp_lc(const void *a, const void *b)
{
  const struct lcontrib *x = a, *y = b;
  if (x->p.fam != y->p.fam)
    return x->p.fam < y->p.fam ? -1 : 1;
  if (x->p.v != y->p.v)
    return x->p.v < y->p.v ? -1 : 1;
  if (x->p.len != y->p.len)
    return x->p.len < y->p.len ? -1 : 1;
  return 0;
}

struct lnode {
  struct nsg_prefix p;
  uint64_t glob;  /* inherited context-independent bits */
  size_t parent;  /* node index or SIZE_MAX */
  size_t order;
};

static int cmp_node_len(const void *a, const void *b)
{
  const struct lnode *x = *(const struct lnode *const *)a, *y = *(const struct lnode *const *)b;
  if (x->p.len != y->p.len)
    return x->p.len > y->p.len ? -1 : 1;
  return x->order < y->order ? -1 : x->order > y->order;
}

static void label_entry(struct nsg_tentry *e, const struct nsg_prefix *p, int ctx, uint64_t labels, long vport)
{
  memset(e, 0, sizeof *e);
  e->valid = true;
  nsg_tentry_set_label_addr(e, p);
  NSG_TSET(e, LABEL_KEY_FAMILY, p->fam == NSG_AF6 ? NSGNIC_FAMILY_IPV6 : NSGNIC_FAMILY_IPV4);
  if (ctx >= 0)
    NSG_TSET(e, LABEL_KEY_CTX, ctx);
  NSGNIC_PUT(e->res, LABEL_RESULT_LABELS, labels);
  if (vport >= 0) { /* a local NIC address: the inbound target */
    NSGNIC_PUT(e->res, LABEL_RESULT_VPORT, vport);
    NSGNIC_PUT(e->res, LABEL_RESULT_VPORT_VALID, 1);
  }
}

/* The label contributions of everything but the prefix-list labels. */
static int collect_base_labels(struct cc *c)
{
  const struct nsg_config *cfg = c->cfg;
  int rc = 0;
  if (c->nctx == 0)
    return 0;
  /* one context per scope (S7 revised: VirtualNetwork holds the subnet's UDR prefixes; S11: KMS
   * is off under a 0.0.0.0/0 UDR, so the KMS bit is per context too) */
  for (size_t v = 0; v < cfg->nscopes && rc == 0; v++) {
    if (c->scope_ctx[v] < 0)
      continue;
    const struct nsg_scope *sc = &cfg->scopes[v];
    for (int f = 0; f < 2 && rc == 0; f++) {
      rc = add_lc_rset(c, &sc->vnet_tag[f], c->scope_ctx[v], NSGNIC_LABEL_VIRTUAL_NETWORK);
      if (rc == 0)
        rc = add_lc_rset(c, &cfg->vnets[sc->vnet].internet_tag[f], c->scope_ctx[v], NSGNIC_LABEL_INTERNET);
    }
    for (size_t i = 0; i < cfg->nkms && c->kms_bit >= 0 && !sc->kms_off && rc == 0; i++)
      rc = add_lc(c, &cfg->kms[i], c->scope_ctx[v], c->kms_bit);
  }
  for (size_t t = NSG_TAG_AZURE_LOAD_BALANCER; t < cfg->ntags && rc == 0; t++) {
    int bit = t < NSG_TAG_FIRST_FILE ? (int)(NSGNIC_LABEL_VIRTUAL_NETWORK + t) : c->tag_bit[t];
    for (int f = 0; f < 2 && bit >= 0 && rc == 0; f++)
      rc = add_lc_rset(c, &cfg->tags[t].set[f], -1, bit);
  }
  for (size_t a = 0; a < cfg->nasgs && rc == 0; a++) {
    if (c->asg_bit[a] < 0)
      continue;
    for (size_t n = 0; n < cfg->nnics && rc == 0; n++)
      for (size_t k = 0; k < cfg->nics[n].nipcs && rc == 0; k++) {
        const struct nsg_ipconfig *ipc = &cfg->nics[n].ipcs[k];
        bool member = false;
        for (size_t j = 0; j < ipc->nasgs; j++)
          member |= ipc->asgs[j] == (int)a;
        if (!member || !ipc->has_ip)
          continue;
        struct nsg_prefix hp = {ipc->ip.fam, (uint8_t)nsg_af_bits(ipc->ip.fam), ipc->ip.v};
        rc = add_lc(c, &hp, -1, c->asg_bit[a]);
      }
  }
  return rc;
}

static int build_label_table(struct cc *c)
{
  int rc = 0;
  if (c->nctx == 0)
    return 0;
  for (size_t s = 0; s < c->nsets && rc == 0; s++)
    for (size_t i = 0; c->sets[s].bit >= 0 && i < c->sets[s].n && rc == 0; i++)
      rc = add_lc(c, &c->sets[s].p[i], -1, c->sets[s].bit);
  for (size_t v = 0; v < c->t->nvports && rc == 0; v++) /* local addresses -> their vport */
    for (size_t k = 0; k < c->t->vports[v].nips && rc == 0; k++) {
      const struct nsg_ip *ip = &c->t->vports[v].ips[k];
      struct nsg_prefix hp = {ip->fam, (uint8_t)nsg_af_bits(ip->fam), ip->v};
      rc = add_lc(c, &hp, (int)NSGNIC_GET(c->t->bind[v], BINDING_CTX), -1 - (int)v);
    }
  if (rc)
    return rc;

  /* nodes: distinct prefixes, in (family, address, length) order = a pre-order of the forest */
  qsort(c->lc, c->nlc, sizeof *c->lc, cmp_lc);
  size_t nn = 0;
  struct lnode *nodes = calloc(c->nlc ? c->nlc : 1, sizeof *nodes);
  uint64_t *own = calloc((c->nlc ? c->nlc : 1) * c->nctx, sizeof *own); /* per node, per ctx: VNet/Internet/KMS bits */
  struct lnode **ord = malloc((c->nlc ? c->nlc : 1) * sizeof *ord);
  size_t *stack = malloc((c->nlc ? c->nlc : 1) * sizeof *stack);
  uint64_t *vec = malloc(c->nctx * sizeof *vec), *pvec = malloc(c->nctx * sizeof *pvec);
  struct vmark {
    size_t node;
    int ctx;
    long vport;
  } *vm = malloc((c->t->nvports * 4 + c->nlc + 1) * sizeof *vm);
  long *vport_of = malloc((c->nctx + 1) * sizeof *vport_of);
  size_t nvm = 0, vmi = 0;
  if (!nodes || !own || !ord || !stack || !vec || !pvec || !vm || !vport_of) {
    rc = -ENOMEM;
    goto out;
  }
  for (size_t i = 0; i < c->nlc; i++) {
    const struct lcontrib *x = &c->lc[i];
    if (nn == 0 || cmp_lc(&c->lc[i - 1], x) != 0) {
      nodes[nn] = (struct lnode){.p = x->p, .parent = SIZE_MAX, .order = nn};
      nn++;
    }
    if (x->bit < 0)
      vm[nvm++] = (struct vmark){nn - 1, x->ctx, -1 - (long)x->bit};
    else if (x->ctx < 0)
      nodes[nn - 1].glob |= (uint64_t)1 << x->bit;
    else
      own[(nn - 1) * c->nctx + (size_t)x->ctx] |= (uint64_t)1 << x->bit;
  }
  size_t sp = 0;
  for (size_t i = 0; i < nn; i++) {
    while (sp && !(nodes[stack[sp - 1]].p.fam == nodes[i].p.fam && nsg_prefix_covers(&nodes[stack[sp - 1]].p, &nodes[i].p)))
      sp--;
    if (sp) {
      size_t par = stack[sp - 1];
      nodes[i].parent = par;
      nodes[i].glob |= nodes[par].glob;
      for (size_t k = 0; k < c->nctx; k++)
        own[i * c->nctx + k] |= own[par * c->nctx + k];
    }
    stack[sp++] = i;
    ord[i] = &nodes[i];
  }
  qsort(ord, nn, sizeof *ord, cmp_node_len);
  for (size_t oi = 0; oi < nn && rc == 0; oi++) {
    const struct lnode *x = ord[oi];
    size_t i = (size_t)(x - nodes);
    bool same = x->parent != SIZE_MAX;
    for (size_t k = 0; k < c->nctx; k++) {
      vec[k] = x->glob | own[i * c->nctx + k];
      if (same) {
        pvec[k] = nodes[x->parent].glob | own[x->parent * c->nctx + k];
        same = pvec[k] == vec[k];
      }
    }
    bool zero = true;
    for (size_t k = 0; k < c->nctx; k++) {
      zero &= vec[k] == 0;
      vport_of[k] = -1;
    }
    /* the markers are in node order; the nodes are visited longest first: search this node's */
    bool has_vport = false;
    for (vmi = 0; vmi < nvm && vm[vmi].node < i; vmi++)
      ;
    for (; vmi < nvm && vm[vmi].node == i; vmi++) {
      vport_of[vm[vmi].ctx] = vm[vmi].vport;
      has_vport = true;
    }
    if (!has_vport && (same || (zero && x->parent == SIZE_MAX)))
      continue;
    /* most common value -> the wildcard entry; the others per context */
    uint64_t best = 0;
    size_t bestn = 0, rest = 0; /* among the contexts without a vport entry here */
    for (size_t k = 0; k < c->nctx; k++)
      rest += vport_of[k] < 0;
    for (size_t k = 0; k < c->nctx && bestn * 2 <= rest; k++) {
      if (vport_of[k] >= 0)
        continue;
      size_t cnt = 0;
      for (size_t j = 0; j < c->nctx; j++)
        cnt += vport_of[j] < 0 && vec[j] == vec[k];
      if (cnt > bestn) {
        bestn = cnt;
        best = vec[k];
      }
    }
    struct nsg_tentry e;
    for (size_t k = 0; k < c->nctx && rc == 0; k++)
      if (vec[k] != best || vport_of[k] >= 0) {
        label_entry(&e, &x->p, (int)k, vec[k], vport_of[k]);
        rc = nsg_ttable_push(&c->t->label, &e);
      }
    if (rc == 0 && rest > 0) {
      label_entry(&e, &x->p, -1, best, -1);
      rc = nsg_ttable_push(&c->t->label, &e);
    }
  }
out:
  free(nodes);
  free(own);
  free(ord);
  free(stack);
  free(vec);
  free(pvec);
  free(vm);
  free(vport_of);
  return rc;
}

/* ---- context mode (label_ctx) ---------------------------------------------------------------- */

/* The label contributions grouped by prefix (c->node_first, c->nnodes), the prefix-list labels'
 * contributions included: the nodes of the label trees, in pre-order. */
static int ctx_nodes(struct cc *c)
{
  int rc = 0;
  for (size_t s = 0; s < c->nsets && rc == 0; s++)
    for (size_t i = 0; c->sets[s].bit >= 0 && i < c->sets[s].n && rc == 0; i++)
      rc = add_lc(c, &c->sets[s].p[i], -1, c->sets[s].bit);
  if (rc)
    return rc;
  qsort(c->lc, c->nlc, sizeof *c->lc, cmp_lc);
  if (!(c->node_first = malloc((c->nlc + 1) * sizeof *c->node_first)))
    return -ENOMEM;
  size_t nn = 0;
  for (size_t i = 0; i < c->nlc; i++)
    if (i == 0 || cmp_lc(&c->lc[i - 1], &c->lc[i]) != 0)
      c->node_first[nn++] = i;
  c->node_first[nn] = c->nlc;
  c->nnodes = nn;
  return 0;
}

/* The index of node i's enclosing node on the walk's stack (pops the others). */
static void ctx_walk_pop(const struct cc *c, const size_t *stack, size_t *sp, size_t i)
{
  const struct nsg_prefix *p = &c->lc[c->node_first[i]].p;
  while (*sp) {
    const struct nsg_prefix *q = &c->lc[c->node_first[stack[*sp - 1]]].p;
    if (q->fam == p->fam && nsg_prefix_covers(q, p))
      break;
    (*sp)--;
  }
}

static void lclass_free(struct lclass *lc)
{
  if (!lc)
    return;
  free(lc->oidx);
  free(lc->mem);
  free(lc->node_cls);
  free(lc);
}

static uint64_t mem_hash(const uint64_t *m, size_t w)
{
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i < w; i++)
    h = (h ^ m[i]) * 1099511628211ull;
  return h ^ h >> 29;
}

/* The classes of lc's class-encoded sets (lc->oidx, lc->nset): every node's membership (its own
 * contributions and its enclosing prefixes'), the distinct non-empty ones numbered 1.. in the
 * order of the walk. Fills lc->words, ncls, mem and node_cls. */
static int classify_nodes(struct cc *c, struct lclass *lc)
{
  size_t w = lc->nset ? (lc->nset + 63) / 64 : 1, nn = c->nnodes, cap = 64;
  while (cap < 2 * nn + 2)
    cap *= 2;
  uint64_t *nm = calloc((nn + 1) * w, sizeof *nm);
  size_t *stack = malloc((nn + 1) * sizeof *stack);
  int32_t *ht = malloc(cap * sizeof *ht);
  int rc = 0;
  free(lc->mem);
  free(lc->node_cls);
  lc->words = w;
  lc->ncls = 0;
  lc->mem = malloc((nn + 1) * w * sizeof *lc->mem);
  lc->node_cls = calloc(nn + 1, sizeof *lc->node_cls);
  if (!nm || !stack || !ht || !lc->mem || !lc->node_cls) {
    rc = -ENOMEM;
    goto out;
  }
  for (size_t i = 0; i < cap; i++)
    ht[i] = -1;
  size_t sp = 0;
  for (size_t i = 0; i < nn; i++) {
    ctx_walk_pop(c, stack, &sp, i);
    uint64_t *m = &nm[i * w];
    if (sp)
      memcpy(m, &nm[stack[sp - 1] * w], w * sizeof *m);
    for (size_t j = c->node_first[i]; j < c->node_first[i + 1]; j++) {
      int bit = c->lc[j].bit;
      int o = bit >= VBIT0 ? lc->oidx[bit - VBIT0] : -1;
      if (o >= 0)
        m[o / 64] |= (uint64_t)1 << (o % 64);
    }
    stack[sp++] = i;
    bool empty = true;
    for (size_t k = 0; k < w; k++)
      empty &= m[k] == 0;
    if (empty)
      continue;
    size_t slot = (size_t)mem_hash(m, w) & (cap - 1);
    while (ht[slot] >= 0 && memcmp(&lc->mem[(size_t)ht[slot] * w], m, w * sizeof *m) != 0)
      slot = (slot + 1) & (cap - 1);
    if (ht[slot] < 0) {
      ht[slot] = (int32_t)lc->ncls;
      memcpy(&lc->mem[lc->ncls * w], m, w * sizeof *m);
      lc->ncls++;
    }
    lc->node_cls[i] = (uint32_t)ht[slot] + 1;
  }
out:
  free(nm);
  free(stack);
  free(ht);
  return rc;
}

/* Bits of a class field holding classes 0..n. */
static int class_bits(size_t n)
{
  int b = 0;
  while (b < 63 && ((uint64_t)1 << b) <= n)
    b++;
  return b;
}

/* Class-encoding order of a label set (S14): ASGs first (host addresses of NICs: few distinct
 * memberships), then prefix lists, then service tags (large, overlapping sets). */
static int class_rank(const char *mean)
{
  return strncmp(mean, "asg:", 4) == 0 ? 0 : strncmp(mean, "tag:", 4) == 0 ? 2 : 1;
}

struct cand {
  int id, rank, order;
};

static int cmp_cand(const void *a, const void *b)
{
  const struct cand *x = a, *y = b;
  if (x->rank != y->rank)
    return x->rank < y->rank ? -1 : 1;
  return x->order > y->order ? -1 : x->order < y->order; /* the last named first */
}

/* An NSG whose sets outnumber its free bits: class-encodes the fewest of them (in class_rank
 * order) such that the rest's bits and the class field fit; fills m (one-hot bits) and *out. */
static int alloc_classes(struct cc *c, const struct nsg_nsg *n, const int *ids, size_t need, int8_t *m,
                         struct lclass **out)
{
  size_t nv = c->nv ? c->nv : 1;
  int fixed = NSGNIC_LABEL_FIRST_FREE + (c->kms_bit >= 0), free_bits = NSGNIC_LABEL_BITS - fixed;
  struct cand *cd = malloc(need * sizeof *cd);
  struct lclass *lc = calloc(1, sizeof *lc);
  int rc = 0;
  if (!cd || !lc || !(lc->oidx = malloc(nv * sizeof *lc->oidx))) {
    rc = -ENOMEM;
    goto out;
  }
  for (size_t k = 0; k < need; k++)
    cd[k] = (struct cand){ids[k], class_rank(c->vmean[ids[k] - VBIT0]), (int)k};
  qsort(cd, need, sizeof *cd, cmp_cand);
  /* the fewest class-encoded sets: bits(classes) grows by at most one per set added, so
   * "(need - e) one-hot bits + the class field fit" is monotone in e; binary search */
  size_t lo = need - (size_t)free_bits + 1, hi = need, best = 0;
  bool found = false;
  while (lo <= hi && rc == 0) {
    size_t e = lo + (hi - lo) / 2;
    for (size_t k = 0; k < nv; k++)
      lc->oidx[k] = -1;
    for (size_t k = 0; k < e; k++)
      lc->oidx[cd[k].id - VBIT0] = (int)k;
    lc->nset = e;
    if ((rc = classify_nodes(c, lc)) < 0)
      break;
    if ((need - e) + (size_t)class_bits(lc->ncls) <= (size_t)free_bits) {
      found = true;
      best = e;
      if (e == lo)
        break;
      hi = e - 1;
    } else {
      lo = e + 1;
    }
  }
  if (rc)
    goto out;
  if (!found) {
    rc = fail(c, ENOSPC, "NSG '%s': %zu label sets, even all of them as classes need a %d-bit class field "
              "(%zu classes) but the rule key's label field has %d free bits; split the NSG",
              n->name, need, class_bits(lc->ncls), lc->ncls, free_bits);
    goto out;
  }
  for (size_t k = 0; k < nv; k++)
    lc->oidx[k] = -1;
  for (size_t k = 0; k < best; k++)
    lc->oidx[cd[k].id - VBIT0] = (int)k;
  lc->nset = best;
  if ((rc = classify_nodes(c, lc)) < 0)
    goto out;
  int next = NSGNIC_LABEL_FIRST_FREE;
  for (size_t k = 0; k < need; k++) { /* one-hot bits in the order the rules name the sets */
    if (lc->oidx[ids[k] - VBIT0] >= 0)
      continue;
    if (next == c->kms_bit)
      next++;
    m[ids[k] - VBIT0] = (int8_t)next++;
  }
  if (next == c->kms_bit)
    next++;
  lc->lsb = next;
  lc->nbits = class_bits(lc->ncls);
  if (c->kms_bit >= lc->lsb && c->kms_bit < lc->lsb + lc->nbits) /* cannot happen: KMS is allocated first */
    lc->lsb = c->kms_bit + 1;
  size_t asgs = 0;
  for (size_t k = 0; k < best; k++)
    asgs += cd[k].rank == 0;
  nsg_tables_add_note(c->t, "NSG '%s': %zu label sets for %d free label bits: %zu of them (%zu ASGs) class-encoded "
                      "in a %d-bit class field at bit %d (%zu classes)", n->name, need, free_bits, best, asgs,
                      lc->nbits, lc->lsb, lc->ncls);
  *out = lc;
  lc = NULL;
out:
  free(cd);
  lclass_free(lc);
  return rc;
}

/* Label bits per NSG: the virtual ids its rules name get its own bits from LABEL_FIRST_FREE on
 * (the KMS bit is the same for every NSG); an NSG naming more sets than it has bits
 * class-encodes some of them (alloc_classes). */
static int alloc_ctx_bits(struct cc *c)
{
  const struct nsg_config *cfg = c->cfg;
  size_t nv = c->nv ? c->nv : 1, nid = c->nids ? c->nids : 1;
  int rc = ctx_nodes(c);
  if (rc)
    return rc;
  if (!(c->vmap = malloc(nid * nv)) || !(c->cls = calloc(nid, sizeof *c->cls)))
    return -ENOMEM;
  memset(c->vmap, -1, nid * nv);
  int fixed = NSGNIC_LABEL_FIRST_FREE + (c->kms_bit >= 0);
  size_t most = (size_t)fixed;
  int *all = malloc(nv * sizeof *all);
  if (!all)
    return -ENOMEM;
  for (size_t ni = 0; ni < cfg->nnsgs && rc == 0; ni++) {
    if (c->nsg_id[ni] < 0)
      continue;
    const struct nsg_nsg *n = &cfg->nsgs[ni];
    unsigned id = (unsigned)c->nsg_id[ni];
    int8_t *m = &c->vmap[(size_t)id * nv];
    int next = NSGNIC_LABEL_FIRST_FREE;
    size_t need = 0;
    for (size_t r = 0; r < n->nrules; r++)
      for (int sd = 0; sd < 2; sd++) {
        const struct field *f = &c->fields[2 * (c->rule_base[ni] + r) + (size_t)sd];
        int ids[NSGNIC_LABEL_BITS + 2], nid2 = 0;
        for (int k = 0; k < f->nlab; k++)
          ids[nid2++] = f->labs[k];
        if (f->v6set >= 0)
          ids[nid2++] = c->sets[f->v6set].bit;
        if (f->v4set >= 0 && !f->any && c->sets[f->v4set].bit >= VBIT0)
          ids[nid2++] = c->sets[f->v4set].bit;
        for (int k = 0; k < nid2; k++) {
          if (ids[k] < VBIT0 || m[ids[k] - VBIT0] != -1)
            continue;
          m[ids[k] - VBIT0] = -2; /* seen */
          all[need++] = ids[k];
        }
      }
    if (need > (size_t)(NSGNIC_LABEL_BITS - fixed)) {
      for (size_t k = 0; k < need; k++)
        m[all[k] - VBIT0] = -1;
      if ((rc = alloc_classes(c, n, all, need, m, &c->cls[id])) < 0)
        break;
      next = c->cls[id]->lsb + c->cls[id]->nbits;
    } else {
      for (size_t k = 0; k < need; k++) {
        if (next == c->kms_bit)
          next++;
        m[all[k] - VBIT0] = (int8_t)next++;
      }
    }
    if ((size_t)next > most)
      most = (size_t)next;
  }
  free(all);
  if (rc == 0)
    c->t->label_bits = most;
  return rc;
}

static int cmp_ctx_vport(const struct nsg_tctx *a, const struct nsg_tctx *b)
{
  return !(a->scope == b->scope && a->nsg[0] == b->nsg[0] && a->nsg[1] == b->nsg[1]);
}

static int cmp_tlrow(const void *a, const void *b)
{
  return nsg_tlrow_cmp(a, b);
}

/* The label stage of the context mode: the contexts of the vports (BINDING.LABEL_CTX), each
 * context's prefixes with their two vectors (t->lrows), the local-address table (t->label). */
static int build_ctx_labels(struct cc *c)
{
  struct nsg_tables *t = c->t;
  int rc = 0;
  t->label_ctx = true;
  if (!(t->ctxs = calloc(t->nvports ? t->nvports : 1, sizeof *t->ctxs)))
    return -ENOMEM;
  unsigned max_ctx = (1u << NSGNIC_LPM_CTX_BITS) - 1; /* the all-ones context stays unused */
  for (size_t v = 0; v < t->nvports; v++) {
    uint32_t *b = t->bind[v];
    struct nsg_tctx x = {(unsigned)NSGNIC_GET(b, BINDING_CTX),
                         {NSGNIC_GET(b, BINDING_SUBNET_NSG_VALID) ? (int)NSGNIC_GET(b, BINDING_SUBNET_NSG) : -1,
                          NSGNIC_GET(b, BINDING_NIC_NSG_VALID) ? (int)NSGNIC_GET(b, BINDING_NIC_NSG) : -1}};
    size_t k = 0;
    while (k < t->nctxs && cmp_ctx_vport(&t->ctxs[k], &x))
      k++;
    if (k == t->nctxs) {
      if (t->nctxs == max_ctx)
        return fail(c, ENOSPC, "network interface '%s': more than %u label contexts (scope, subnet NSG, NIC NSG) "
                    "needed", t->vports[v].nic_name, max_ctx);
      t->ctxs[t->nctxs++] = x;
    }
    NSGNIC_PUT(b, BINDING_LABEL_CTX, k);
  }
  /* the local-address table: every local address of a scope -> its vport */
  for (size_t v = 0; v < t->nvports && rc == 0; v++)
    for (size_t k = 0; k < t->vports[v].nips && rc == 0; k++) {
      const struct nsg_ip *ip = &t->vports[v].ips[k];
      struct nsg_prefix hp = {ip->fam, (uint8_t)nsg_af_bits(ip->fam), ip->v};
      struct nsg_tentry e;
      label_entry(&e, &hp, (int)NSGNIC_GET(t->bind[v], BINDING_CTX), 0, (long)v);
      rc = nsg_ttable_push(&t->label, &e);
    }
  if (rc)
    return rc;
  /* nodes: distinct prefixes in pre-order (ctx_nodes) */
  size_t nn = c->nnodes, nv = c->nv ? c->nv : 1;
  const size_t *first = c->node_first;
  size_t *stack = malloc((nn + 1) * sizeof *stack);
  uint64_t(*svec)[2] = malloc((nn + 1) * sizeof *svec);
  size_t caprows = 0;
  if (!stack || !svec) {
    rc = -ENOMEM;
    goto out;
  }
  for (size_t k = 0; k < t->nctxs && rc == 0; k++) {
    const struct nsg_tctx *x = &t->ctxs[k];
    const int8_t *map[2] = {x->nsg[0] >= 0 ? &c->vmap[(size_t)x->nsg[0] * nv] : NULL,
                            x->nsg[1] >= 0 ? &c->vmap[(size_t)x->nsg[1] * nv] : NULL};
    const struct lclass *cls[2] = {x->nsg[0] >= 0 ? c->cls[x->nsg[0]] : NULL,
                                   x->nsg[1] >= 0 ? c->cls[x->nsg[1]] : NULL};
    size_t sp = 0;
    for (size_t i = 0; i < nn && rc == 0; i++) {
      const struct nsg_prefix *p = &c->lc[first[i]].p;
      ctx_walk_pop(c, stack, &sp, i);
      uint64_t par[2] = {sp ? svec[sp - 1][0] : 0, sp ? svec[sp - 1][1] : 0}, vec[2] = {par[0], par[1]};
      for (size_t j = first[i]; j < first[i + 1]; j++) {
        const struct lcontrib *lc = &c->lc[j];
        if (lc->bit < 0 || (lc->ctx >= 0 && (unsigned)lc->ctx != x->scope))
          continue;
        for (int l = 0; l < 2; l++) {
          int pb = lc->bit < VBIT0 ? lc->bit : map[l] ? map[l][lc->bit - VBIT0] : -1;
          if (pb >= 0)
            vec[l] |= (uint64_t)1 << pb;
        }
      }
      for (int l = 0; l < 2; l++)
        if (cls[l]) { /* the node's class replaces its parent's */
          uint64_t mask = (((uint64_t)1 << cls[l]->nbits) - 1) << cls[l]->lsb;
          vec[l] = (vec[l] & ~mask) | ((uint64_t)cls[l]->node_cls[i] << cls[l]->lsb);
        }
      stack[sp] = i;
      svec[sp][0] = vec[0];
      svec[sp][1] = vec[1];
      sp++;
      if (vec[0] == par[0] && vec[1] == par[1])
        continue; /* the enclosing prefix answers the same */
      if (t->nlrows == caprows) {
        size_t cap = caprows ? caprows * 2 : 1024;
        struct nsg_tlrow *nr = realloc(t->lrows, cap * sizeof *nr);
        if (!nr) {
          rc = -ENOMEM;
          break;
        }
        t->lrows = nr;
        caprows = cap;
      }
      t->lrows[t->nlrows++] = (struct nsg_tlrow){(unsigned)k, *p, {vec[0], vec[1]}};
    }
  }
  if (rc == 0)
    qsort(t->lrows, t->nlrows, sizeof *t->lrows, cmp_tlrow);
out:
  free(stack);
  free(svec);
  return rc;
}

/* ---- platform TCAM (S10, S11, S13) --------------------------------------------------------- */

static int build_platform_table(struct cc *c)
{
  const struct nsg_config *cfg = c->cfg;
  struct nsg_tentry e;
  int rc = 0;
  if (nsg_s13_blocks(cfg)) {
    memset(&e, 0, sizeof e);
    e.valid = true;
    NSG_TSET(&e, PLATFORM_KEY_DIR, NSGNIC_DIR_OUTBOUND);
    NSG_TSET(&e, PLATFORM_KEY_PROTO, 6);
    NSG_TSET(&e, PLATFORM_KEY_L4, 1);
    NSG_TSET(&e, PLATFORM_KEY_DST_PORT, 25);
    nsg_tentry_set(&e, NSGNIC_PLATFORM_KEY_DST_LABELS_LSB + NSGNIC_LABEL_INTERNET, 1, 1, 1);
    NSGNIC_PUT(e.res, RESULT_PLATFORM_CLASS, NSGNIC_PLATFORM_CLASS_BLOCK);
    rc = nsg_ttable_push(&c->t->plat, &e);
  }
  if (!cfg->opts.platform_exemption)
    return rc;
  /* S10 (revised): per service. WireServer and DHCP are not subject to NSGs, DNS, IMDS and KMS
   * only to rules naming their tag. All are EXEMPT here: the rule TCAM's tag copies require the
   * service's label (DNS also port 53), so WireServer and DHCP reach only the catch-all, which
   * allows without a rule. KMS: the per-context KMS label (off under a 0.0.0.0/0 UDR, S11). */
  static const struct {
    int proto, port, bit;
  } svc[] = {
      {6, 80, NSGNIC_LABEL_PLATFORM_DNS},    {6, 32526, NSGNIC_LABEL_PLATFORM_DNS}, {17, 67, NSGNIC_LABEL_PLATFORM_DNS},
      {17, 68, NSGNIC_LABEL_PLATFORM_DNS},   {6, 53, NSGNIC_LABEL_PLATFORM_DNS},    {17, 53, NSGNIC_LABEL_PLATFORM_DNS},
      {6, 80, NSGNIC_LABEL_PLATFORM_IMDS},   {6, 1688, -1},
  };
  for (size_t i = 0; i < sizeof svc / sizeof *svc && rc == 0; i++) {
    int bit = svc[i].bit >= 0 ? svc[i].bit : c->kms_bit;
    if (bit < 0)
      continue;
    memset(&e, 0, sizeof e);
    e.valid = true;
    NSG_TSET(&e, PLATFORM_KEY_DIR, NSGNIC_DIR_OUTBOUND);
    NSG_TSET(&e, PLATFORM_KEY_PROTO, svc[i].proto);
    NSG_TSET(&e, PLATFORM_KEY_L4, 1);
    NSG_TSET(&e, PLATFORM_KEY_DST_PORT, svc[i].port);
    nsg_tentry_set(&e, NSGNIC_PLATFORM_KEY_DST_LABELS_LSB + (unsigned)bit, 1, 1, 1);
    NSGNIC_PUT(e.res, RESULT_PLATFORM_CLASS, NSGNIC_PLATFORM_CLASS_EXEMPT);
    rc = nsg_ttable_push(&c->t->plat, &e);
  }
  return rc;
}

/* ---- rule TCAM ----------------------------------------------------------------------------- */

/* e is wholly covered by f: every key e matches, f matches. */
static bool covers(const struct nsg_tentry *f, const struct nsg_tentry *e)
{
  for (unsigned w = 0; w < NSG_TKEY_WORDS; w++)
    if ((f->care[w] & ~e->care[w]) || ((f->val[w] ^ e->val[w]) & f->care[w]))
      return false;
  return true;
}

static int push_rname(struct nsg_tables *t, const struct nsg_nsg *n, const struct nsg_rule *r)
{
  struct nsg_trname *nr = realloc(t->rnames, (t->nrnames + 1) * sizeof *nr);
  if (!nr)
    return -ENOMEM;
  t->rnames = nr;
  size_t len = strlen(r->name) + 32;
  char *s = malloc(len);
  char *ns = nsg_strdup(n->name);
  if (!s || !ns) {
    free(s);
    free(ns);
    return -ENOMEM;
  }
  snprintf(s, len, "%s/%s", r->is_default ? "defaultSecurityRules" : "securityRules", r->name);
  t->rnames[t->nrnames++] = (struct nsg_trname){ns, s};
  return 0;
}

#define SHADOW_WORK_MAX 40000000ull /* pair checks per NSG before shadow removal gives up */

/* A spec's class (lval under lmask) in the label field at lsb of a rule entry. */
static void spec_labels(struct nsg_tentry *e, unsigned lsb, const struct spec *sp)
{
  if (!sp->lmask)
    return;
  unsigned lo = (unsigned)__builtin_ctzll(sp->lmask), w = (unsigned)__builtin_popcountll(sp->lmask);
  nsg_tentry_set(e, lsb + lo, w, sp->lval >> lo, w);
}

static int build_nsg_block(struct cc *c, size_t ni, struct nsg_tnsg_stats *st)
{
  const struct nsg_nsg *n = &c->cfg->nsgs[ni];
  struct nsg_tables *t = c->t;
  unsigned id = (unsigned)c->nsg_id[ni];
  size_t first = t->rule.n;
  unsigned long long work = 0;
  int rc = 0;
  struct spec *ss = NULL, *ds = NULL;
  struct tport *sp = NULL, *dp = NULL;
  st->first_slot = first;
  st->id = id;
  st->rules = n->nrules;
  for (size_t ri = 0; ri < n->nrules && rc == 0; ri++) {
    const struct nsg_rule *r = &n->rules[ri];
    const struct field *f = &c->fields[2 * (c->rule_base[ni] + ri)];
    size_t rid = t->nrnames;
    if (rid > 0xffff)
      return fail(c, ENOSPC, "NSG '%s' rule '%s': more than 65536 rules in the rule-name table", n->name, r->name);
    if ((rc = push_rname(t, n, r)) < 0)
      break;
    size_t nss = field_specs(c, &f[0], NULL), nds = field_specs(c, &f[1], NULL);
    const uint32_t *scls = t->port_range[0], *dcls = t->port_range[1];
    size_t nsp = r->sports_full ? 1 : port_cover(r->sports, r->nsports, c->o.plain_ports, scls, NULL, 0);
    size_t ndp = r->dports_full ? 1 : port_cover(r->dports, r->ndports, c->o.plain_ports, dcls, NULL, 0);
    /* the baseline: every listed item and range on its own, plain prefix expansion */
    {
      size_t bs = r->nsrc, bd = r->ndst;
      size_t bsp = r->sports_full ? 1 : port_cover(r->sports, r->nsports, true, NULL, NULL, 0);
      size_t bdp = r->dports_full ? 1 : port_cover(r->dports, r->ndports, true, NULL, NULL, 0);
      st->plain_entries += bs * bd * bsp * bdp;
    }
    free(ss);
    free(ds);
    free(sp);
    free(dp);
    ss = malloc((nss ? nss : 1) * sizeof *ss); /* 0: a class-encoded set no address is in */
    ds = malloc((nds ? nds : 1) * sizeof *ds);
    sp = malloc(nsp * sizeof *sp);
    dp = malloc(ndp * sizeof *dp);
    if (!ss || !ds || !sp || !dp) {
      rc = -ENOMEM;
      break;
    }
    field_specs(c, &f[0], ss);
    field_specs(c, &f[1], ds);
    if (r->sports_full)
      sp[0] = (struct tport){0, 0, -1};
    else
      port_cover(r->sports, r->nsports, c->o.plain_ports, scls, sp, nsp);
    if (r->dports_full)
      dp[0] = (struct tport){0, 0, -1};
    else
      port_cover(r->dports, r->ndports, c->o.plain_ports, dcls, dp, ndp);
    bool l4 = !(r->sports_full && r->dports_full);
    int pfam = r->proto == 1 ? 4 : 0; /* S3: Icmp is ICMP for IPv4 */
    size_t made = 0;
    for (size_t a = 0; a < nss && rc == 0; a++)
      for (size_t b = 0; b < nds && rc == 0; b++) {
        int fam = 0;
        const int fams[3] = {ss[a].fam, ds[b].fam, pfam};
        bool clash = false;
        for (int k = 0; k < 3; k++)
          if (fams[k]) {
            clash |= fam && fam != fams[k];
            fam = fams[k];
          }
        if (clash)
          continue; /* e.g. an IPv4-only tag spec against an IPv6 list: matches nothing */
        for (size_t x = 0; x < nsp && rc == 0; x++)
          for (size_t y = 0; y < ndp && rc == 0; y++)
            /* var -1: the entry every packet may match (PLATFORM = 0); var k: its copy for traffic
             * exempt for platform service k (S10/S11: only rules naming that service's tag apply
             * to it): PLATFORM = 1 and the destination label of the service (DNS also port 53, to
             * keep the other services of 168.63.129.16, which go through the catch-all, apart) */
            for (int var = -1; var < 3 && rc == 0; var++) {
            if (var >= 0 && (r->dir != NSG_OUTBOUND || !(r->platform_tags & (1u << var))))
              continue;
            struct nsg_tentry e;
            memset(&e, 0, sizeof e);
            e.valid = true;
            NSG_TSET(&e, RULE_KEY_NSG, id);
            NSG_TSET(&e, RULE_KEY_DIR, r->dir == NSG_OUTBOUND ? NSGNIC_DIR_OUTBOUND : NSGNIC_DIR_INBOUND);
            NSG_TSET(&e, RULE_KEY_PLATFORM, var >= 0);
            if (var >= 0)
              nsg_tentry_set(&e, NSGNIC_RULE_KEY_DST_LABELS_LSB + (unsigned)(NSGNIC_LABEL_PLATFORM_DNS + var), 1, 1, 1);
            if (r->proto != NSG_PROTO_ANY)
              NSG_TSET(&e, RULE_KEY_PROTO, r->proto);
            if (fam)
              NSG_TSET(&e, RULE_KEY_FAMILY, fam == 6 ? NSGNIC_FAMILY_IPV6 : NSGNIC_FAMILY_IPV4);
            if (l4) {
              NSG_TSET(&e, RULE_KEY_L4, 1);
              if (sp[x].cls >= 0)
                nsg_tentry_set(&e, NSGNIC_RULE_KEY_SRC_PORT_CLASS_LSB + (unsigned)sp[x].cls, 1, 1, 1);
              else
                set_port(&e, NSGNIC_RULE_KEY_SRC_PORT_LSB, &sp[x]);
              if (dp[y].cls >= 0)
                nsg_tentry_set(&e, NSGNIC_RULE_KEY_DST_PORT_CLASS_LSB + (unsigned)dp[y].cls, 1, 1, 1);
              else
                set_port(&e, NSGNIC_RULE_KEY_DST_PORT_LSB, &dp[y]);
            }
            if (var == 0) { /* DNS: TCP/UDP port 53 */
              uint64_t pv = nsgnic_bits_get(e.val, NSGNIC_RULE_KEY_DST_PORT_LSB, 16);
              uint64_t pc = nsgnic_bits_get(e.care, NSGNIC_RULE_KEY_DST_PORT_LSB, 16);
              if (((pv ^ 53u) & pc) != 0)
                continue; /* the rule's port range excludes 53 */
              NSG_TSET(&e, RULE_KEY_L4, 1);
              NSG_TSET(&e, RULE_KEY_DST_PORT, 53);
            }
            if (ss[a].bit >= 0)
              nsg_tentry_set(&e, NSGNIC_RULE_KEY_SRC_LABELS_LSB + (unsigned)ss[a].bit, 1, 1, 1);
            if (ds[b].bit >= 0)
              nsg_tentry_set(&e, NSGNIC_RULE_KEY_DST_LABELS_LSB + (unsigned)ds[b].bit, 1, 1, 1);
            spec_labels(&e, NSGNIC_RULE_KEY_SRC_LABELS_LSB, &ss[a]);
            spec_labels(&e, NSGNIC_RULE_KEY_DST_LABELS_LSB, &ds[b]);
            if (ss[a].a4len >= 0)
              NSG_TSET_PFX(&e, RULE_KEY_SRC_ADDR4, ss[a].a4, (unsigned)ss[a].a4len);
            if (ds[b].a4len >= 0)
              NSG_TSET_PFX(&e, RULE_KEY_DST_ADDR4, ds[b].a4, (unsigned)ds[b].a4len);
            NSGNIC_PUT(e.res, RESULT_RULE_ID, rid);
            NSGNIC_PUT(e.res, RESULT_ACTION, r->access == NSG_DENY ? NSGNIC_ACTION_DENY : NSGNIC_ACTION_ALLOW);
            unsigned sb = addr_bucket(&e, NSGNIC_RULE_KEY_SRC_ADDR4_LSB), db = addr_bucket(&e, NSGNIC_RULE_KEY_DST_ADDR4_LSB);
            unsigned dir = entry_dir(&e);
            bool shadowed = false;
            for (int q = 0; q < 4 && !shadowed && work < SHADOW_WORK_MAX; q++) {
              unsigned qs = q & 1 ? 256u : sb, qd = q & 2 ? 256u : db;
              if ((q & 1 && sb == 256u) || (q & 2 && db == 256u))
                continue;
              for (int32_t k = c->shead[(dir * SB + qs) * SB + qd]; k >= 0 && !shadowed; k = c->snext[k], work++)
                shadowed = covers(&t->rule.e[first + (size_t)k], &e);
            }
            if (shadowed) {
              st->shadowed++;
              continue;
            }
            size_t idx = t->rule.n - first;
            if (idx >= c->snext_cap) {
              size_t cap = c->snext_cap ? c->snext_cap * 2 : 1024;
              int32_t *nn = realloc(c->snext, cap * sizeof *nn);
              int32_t *nt = realloc(c->stouched, cap * sizeof *nt);
              if (nn)
                c->snext = nn;
              if (nt)
                c->stouched = nt;
              if (!nn || !nt) {
                rc = -ENOMEM;
                break;
              }
              c->snext_cap = cap;
            }
            size_t bk = (dir * SB + sb) * SB + db;
            if (c->shead[bk] < 0)
              c->stouched[c->ntouched++] = (int32_t)bk;
            c->snext[idx] = c->shead[bk];
            c->shead[bk] = (int32_t)idx;
            rc = nsg_ttable_push(&t->rule, &e);
            made++;
          }
      }
    for (int w = 0; w < 3 && rc == 0; w++) { /* keep the three largest rules */
      if (made > st->worst[w].entries) {
        for (int k = 2; k > w; k--)
          st->worst[k] = st->worst[k - 1];
        st->worst[w].rule_id = rid;
        st->worst[w].entries = made;
        break;
      }
    }
  }
  free(ss);
  free(ds);
  free(sp);
  free(dp);
  for (size_t i = 0; i < c->ntouched; i++)
    c->shead[c->stouched[i]] = -1;
  c->ntouched = 0;
  if (rc)
    return rc;
  /* the platform-exemption catch-all (S10/S11): exempt traffic no platform-tag rule decided */
  struct nsg_tentry e;
  memset(&e, 0, sizeof e);
  e.valid = true;
  NSG_TSET(&e, RULE_KEY_NSG, id);
  NSG_TSET(&e, RULE_KEY_PLATFORM, 1);
  NSGNIC_PUT(e.res, RESULT_RULE_ID, NSGNIC_NO_RULE_ID); /* allowed without a deciding rule */
  NSGNIC_PUT(e.res, RESULT_ACTION, NSGNIC_ACTION_ALLOW);
  NSGNIC_PUT(e.res, RESULT_PLATFORM_EXEMPT, 1);
  if ((rc = nsg_ttable_push(&t->rule, &e)) < 0)
    return rc;
  st->entries = t->rule.n - first;
  return 0;
}

/* ---- bindings ------------------------------------------------------------------------------ */

static int build_vports(struct cc *c)
{
  const struct nsg_config *cfg = c->cfg;
  struct nsg_tables *t = c->t;
  size_t cap = 0;
  for (size_t n = 0; n < cfg->nnics; n++)
    cap += cfg->nics[n].nipcs;
  t->vports = calloc(cap ? cap : 1, sizeof *t->vports);
  t->bind = calloc(cap ? cap : 1, sizeof *t->bind);
  size_t *vp_nic = calloc(cap ? cap : 1, sizeof *vp_nic);
  int *vp_subnet = calloc(cap ? cap : 1, sizeof *vp_subnet);
  int rc = 0;
  if (!t->vports || !t->bind || !vp_nic || !vp_subnet)
    rc = -ENOMEM;
  for (size_t n = 0; n < cfg->nnics && rc == 0; n++) {
    const struct nsg_nic *nic = &cfg->nics[n];
    for (size_t k = 0; k < nic->nipcs && rc == 0; k++) {
      const struct nsg_ipconfig *ipc = &nic->ipcs[k];
      if (!ipc->has_ip || ipc->subnet < 0)
        continue;
      /* one vport per (NIC, subnet): the subnet decides the subnet-level NSG */
      size_t vp = 0;
      while (vp < t->nvports && !(vp_nic[vp] == n && vp_subnet[vp] == ipc->subnet))
        vp++;
      if (vp == t->nvports) {
        if (c->o.vports && t->nvports >= c->o.vports) {
          rc = fail(c, ENOSPC, "network interface '%s': more than %u vports (NIC, subnet pairs) needed", nic->name,
                    c->o.vports);
          break;
        }
        struct nsg_tvport *p = &t->vports[t->nvports++];
        vp_nic[vp] = n;
        vp_subnet[vp] = ipc->subnet;
        if (!(p->nic_name = nsg_strdup(nic->name)) || (nic->id && !(p->nic_id = nsg_strdup(nic->id))) ||
            !(p->ips = calloc(nic->nipcs, sizeof *p->ips))) {
          rc = -ENOMEM;
          break;
        }
        const struct nsg_subnet *sn = &cfg->subnets[ipc->subnet];
        uint32_t *b = t->bind[vp];
        if (sn->nsg >= 0) {
          NSGNIC_PUT(b, BINDING_SUBNET_NSG, c->nsg_id[sn->nsg]);
          NSGNIC_PUT(b, BINDING_SUBNET_NSG_VALID, 1);
        }
        if (nic->nsg >= 0) {
          NSGNIC_PUT(b, BINDING_NIC_NSG, c->nsg_id[nic->nsg]);
          NSGNIC_PUT(b, BINDING_NIC_NSG_VALID, 1);
        }
        NSGNIC_PUT(b, BINDING_CTX, c->scope_ctx[sn->scope]);
        NSGNIC_PUT(b, BINDING_VALID, 1);
      }
      t->vports[vp].ips[t->vports[vp].nips++] = ipc->ip;
    }
  }
  free(vp_nic);
  free(vp_subnet);
  return rc;
}

/* S8 local side: the label stage gives an address the ASGs of every IP configuration holding it
 * (the remote-side rule). That equals the local IP configuration's own ASGs unless another IP
 * configuration (another VNet) has the same address with other ASGs: refuse that case. */
static int check_asg_addresses(struct cc *c)
{
  const struct nsg_config *cfg = c->cfg;
  for (size_t n = 0; n < cfg->nnics; n++)
    for (size_t k = 0; k < cfg->nics[n].nipcs; k++) {
      const struct nsg_ipconfig *a = &cfg->nics[n].ipcs[k];
      if (!a->has_ip)
        continue;
      for (size_t m = 0; m < cfg->nnics; m++)
        for (size_t j = 0; j < cfg->nics[m].nipcs; j++) {
          const struct nsg_ipconfig *b = &cfg->nics[m].ipcs[j];
          if (b == a || !b->has_ip || !nsg_ip_equal(&a->ip, &b->ip))
            continue;
          for (size_t x = 0; x < b->nasgs; x++) {
            bool in_a = false;
            for (size_t y = 0; y < a->nasgs; y++)
              in_a |= a->asgs[y] == b->asgs[x];
            if (!in_a && b->asgs[x] >= 0 && c->asg_bit[b->asgs[x]] >= 0) {
              char ip[64];
              nsg_ip_format(&a->ip, ip, sizeof ip);
              return fail(c, EINVAL,
                          "network interfaces '%s' and '%s' share address %s but not membership of application "
                          "security group '%s': the label stage cannot tell their local sides apart (S8)",
                          cfg->nics[n].name, cfg->nics[m].name, ip, cfg->asgs[b->asgs[x]].name);
            }
          }
        }
    }
  return 0;
}

/* Leaves a free slot after every `spread` entries of a table, as far as its capacity allows
 * (updates insert there instead of moving entries). */
static int spread_table(struct cc *c, struct nsg_ttable *t, unsigned capacity)
{
  size_t every = c->o.spread ? c->o.spread : 8;
  if (every == SIZE_MAX || t->n == 0)
    return 0;
  size_t cap = capacity ? capacity : t->n + t->n / every + 1;
  if (cap <= t->n)
    return 0;
  size_t gaps = t->n / every;
  if (gaps > cap - t->n)
    gaps = cap - t->n;
  if (gaps == 0)
    return 0;
  every = (t->n + gaps - 1) / gaps;
  struct nsg_tentry *ne = calloc(t->n + gaps + 1, sizeof *ne);
  if (!ne)
    return -ENOMEM;
  size_t k = 0;
  for (size_t i = 0; i < t->n; i++) {
    ne[k++] = t->e[i];
    if ((i + 1) % every == 0 && i + 1 < t->n && k < t->n + gaps)
      k++; /* a free slot (valid = false) */
  }
  free(t->e);
  t->e = ne;
  t->cap = t->n + gaps + 1;
  t->n = k;
  return 0;
}

/* ---- driver -------------------------------------------------------------------------------- */

static int cmp_stats_entries(const void *a, const void *b)
{
  const struct nsg_tnsg_stats *x = a, *y = b;
  return x->entries < y->entries ? 1 : x->entries > y->entries ? -1 : 0;
}

static void big_label_sets(struct cc *c, char *list, size_t size, size_t len);

static int overflow(struct cc *c, const char *table, size_t need, unsigned have)
{
  char list[512] = "";
  size_t len = 0;
  if (strcmp(table, "rule") == 0 && c->t->nstats) {
    struct nsg_tnsg_stats *s = malloc(c->t->nstats * sizeof *s);
    if (s) {
      memcpy(s, c->t->stats, c->t->nstats * sizeof *s);
      qsort(s, c->t->nstats, sizeof *s, cmp_stats_entries);
      for (size_t i = 0; i < c->t->nstats && i < 5 && len < sizeof list - 100; i++)
        len += (size_t)snprintf(list + len, sizeof list - len, "%s'%s' %zu entries (%zu rules)", i ? ", " : "; largest NSGs: ",
                                s[i].name, s[i].entries, s[i].rules);
      free(s);
    }
  }
  if (strcmp(table, "address-label") == 0) /* the largest prefix lists made labels, by their users */
    big_label_sets(c, list, sizeof list, len);
  return fail(c, ENOSPC, "the %s TCAM needs %zu entries but has %u: %zu too many%s", table, need, have,
              need - have, list);
}

/* Appends "; largest label sets: ..." (the three largest prefix lists made labels, with the NSG
 * and rule that first use each) to list[len..]. */
static void big_label_sets(struct cc *c, char *list, size_t size, size_t len)
{
  {
    const struct pset *big[3] = {NULL, NULL, NULL};
    for (size_t i = 0; i < c->nsets; i++) {
      const struct pset *x = &c->sets[i];
      for (int k = 0; k < 3 && x->bit >= 0; k++)
        if (!big[k] || x->n > big[k]->n) {
          for (int m = 2; m > k; m--)
            big[m] = big[m - 1];
          big[k] = x;
          break;
        }
    }
    for (int k = 0; k < 3 && big[k] && len + 200 < size; k++)
      len += (size_t)snprintf(list + len, size - len, "%s%s prefix list of %zu prefixes (NSG '%s' rule '%s')",
                              k ? ", " : "; largest label sets: ", big[k]->fam == NSG_AF6 ? "IPv6" : "IPv4", big[k]->n,
                              big[k]->nsg, big[k]->rule);
  }
}

/* The label stage in block RAM (opts label_lpm): the compiled label table must fit the two
 * longest-prefix-match trees (lpm.h LPM_GEOM_V4/V6: intervals against lpm_interval_capacity,
 * distinct result rows against Results); builds them once (nsg_tables_label_stage caches them).
 * The error names the tree and what to grow, and the largest label sets by their NSG. */
static int check_label_lpm(struct cc *c)
{
  char msg[400], list[512] = "";
  if (nsg_tables_label_stage(c->t, msg, sizeof msg))
    return 0;
  int e = errno ? errno : EINVAL;
  if (e == ENOSPC)
    big_label_sets(c, list, sizeof list, 0);
  return fail(c, e, "%s%s", msg, list);
}

struct nsg_tables *nsg_compile(const struct nsg_config *cfg, const struct nsg_compile_opts *o,
                               char *err, size_t errlen)
{
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  struct cc c = {.cfg = cfg, .err = err, .errlen = errlen, .kms_bit = -1};
  if (o)
    c.o = *o;
  else
    nsg_compile_opts_default(&c.o);
  c.prev = c.o.reuse;
  int rc = 0;
  if (!cfg->finalized || cfg->errors) {
    snprintf(err, errlen, "the configuration is not valid; fix its errors first");
    errno = EINVAL;
    return NULL;
  }
  if (!(c.t = calloc(1, sizeof *c.t))) {
    errno = ENOMEM;
    return NULL;
  }
  struct nsg_tables *t = c.t;
  t->rule.key_words = NSGNIC_RULE_KEY_WORDS;
  t->rule.res_words = 1;
  t->label.key_words = NSGNIC_LABEL_KEY_WORDS;
  t->label.res_words = NSGNIC_LABEL_RESULT_WORDS;
  t->plat.key_words = NSGNIC_PLATFORM_KEY_WORDS;
  t->plat.res_words = 1;
  c.nsg_id = malloc((cfg->nnsgs + 1) * sizeof *c.nsg_id);
  c.scope_ctx = malloc((cfg->nscopes + 1) * sizeof *c.scope_ctx);
  c.tag_bit = malloc((cfg->ntags + 1) * sizeof *c.tag_bit);
  c.asg_bit = malloc((cfg->nasgs + 1) * sizeof *c.asg_bit);
  c.rule_base = calloc(cfg->nnsgs + 1, sizeof *c.rule_base);
  if (!c.nsg_id || !c.scope_ctx || !c.tag_bit || !c.asg_bit || !c.rule_base) {
    rc = -ENOMEM;
    goto out;
  }
  for (size_t i = 0; i < cfg->ntags; i++)
    c.tag_bit[i] = -1;
  for (size_t i = 0; i < cfg->nasgs; i++)
    c.asg_bit[i] = -1;
  for (size_t i = 0; i < cfg->nscopes; i++)
    c.scope_ctx[i] = -1;
  /* NSG ids and contexts: only what some vport uses ("compiled once" per NSG) */
  for (size_t i = 0; i < cfg->nnsgs; i++)
    c.nsg_id[i] = -1;
  unsigned nids = 0;
  if (c.o.label_ctx)
    c.o.label_lpm = true;
  for (size_t n = 0; n < cfg->nnics; n++) {
    const struct nsg_nic *nic = &cfg->nics[n];
    for (size_t k = 0; k < nic->nipcs; k++) {
      const struct nsg_ipconfig *ipc = &nic->ipcs[k];
      if (!ipc->has_ip || ipc->subnet < 0)
        continue;
      const struct nsg_subnet *sn = &cfg->subnets[ipc->subnet];
      int used[2] = {sn->nsg, nic->nsg};
      for (int l = 0; l < 2; l++)
        if (used[l] >= 0 && c.nsg_id[used[l]] < 0)
          c.nsg_id[used[l]] = (int)nids++;
      if (sn->scope >= 0 && c.scope_ctx[sn->scope] < 0)
        c.scope_ctx[sn->scope] = (int)c.nctx++;
    }
  }
  if (nids < cfg->nnsgs) {
    const char *first = "";
    for (size_t i = cfg->nnsgs; i-- > 0;)
      if (c.nsg_id[i] < 0)
        first = cfg->nsgs[i].name;
    nsg_tables_add_note(t, "%zu NSG(s) attached to no network interface or subnet were not compiled (first: '%s')",
                        cfg->nnsgs - nids, first);
  }
  if (c.o.nsg_ids && nids > c.o.nsg_ids) {
    rc = fail(&c, ENOSPC, "%u NSGs are attached to network interfaces or subnets but the rule key holds %u NSG ids: %u too many",
              nids, c.o.nsg_ids, nids - c.o.nsg_ids);
    goto out;
  }
  if (c.o.ctxs && c.nctx > c.o.ctxs) {
    rc = fail(&c, ENOSPC, "%zu scopes (virtual network + route table of a subnet) have network interfaces but the label stage holds %u contexts: %zu too many",
              c.nctx, c.o.ctxs, c.nctx - c.o.ctxs);
    goto out;
  }
  /* fields of every rule of every compiled NSG */
  size_t nr = 0;
  for (size_t i = 0; i < cfg->nnsgs; i++) {
    c.rule_base[i] = nr;
    if (c.nsg_id[i] >= 0)
      nr += cfg->nsgs[i].nrules;
  }
  t->nrules = nr;
  if (!(c.fields = calloc(2 * nr + 1, sizeof *c.fields))) {
    rc = -ENOMEM;
    goto out;
  }
  if (cfg->nkms > 0 && /* allocated even when unused: label bits stay put when the option changes */
      (rc = alloc_bit(&c, &c.kms_bit, "kms", "the KMS platform addresses (S11)", "-", "-")) < 0)
    goto out;
  for (size_t i = 0; i < cfg->nnsgs && rc == 0; i++) {
    if (c.nsg_id[i] < 0)
      continue;
    const struct nsg_nsg *n = &cfg->nsgs[i];
    for (size_t r = 0; r < n->nrules && rc == 0; r++) {
      struct field *f = &c.fields[2 * (c.rule_base[i] + r)];
      rc = build_field(&c, n, &n->rules[r], n->rules[r].src, n->rules[r].nsrc, &f[0]);
      if (rc == 0)
        rc = build_field(&c, n, &n->rules[r], n->rules[r].dst, n->rules[r].ndst, &f[1]);
    }
  }
  if (rc || (rc = check_asg_addresses(&c)) || (rc = choose_port_classes(&c)) || (rc = collect_base_labels(&c)) ||
      (rc = choose_prefix_labels(&c)))
    goto out;
  t->label_bits = NSGNIC_LABEL_FIRST_FREE + (size_t)__builtin_popcountll(c.used);
  c.nids = nids;
  if (c.o.label_ctx && (rc = alloc_ctx_bits(&c)) < 0)
    goto out;
  if ((rc = build_vports(&c)) || (rc = c.o.label_ctx ? build_ctx_labels(&c) : build_label_table(&c)) ||
      (rc = build_platform_table(&c)))
    goto out;
  if (!(c.shead = malloc(SHADOW_BUCKETS * sizeof *c.shead))) {
    rc = -ENOMEM;
    goto out;
  }
  for (size_t i = 0; i < SHADOW_BUCKETS; i++)
    c.shead[i] = -1;
  if (!(t->stats = calloc(nids + 1, sizeof *t->stats))) {
    rc = -ENOMEM;
    goto out;
  }
  /* blocks in NSG id order */
  for (unsigned id = 0; id < nids && rc == 0; id++)
    for (size_t i = 0; i < cfg->nnsgs && rc == 0; i++)
      if (c.nsg_id[i] == (int)id) {
        struct nsg_tnsg_stats *st = &t->stats[t->nstats++];
        c.cur_map = c.vmap ? &c.vmap[(size_t)id * (c.nv ? c.nv : 1)] : NULL;
        c.cur_cls = c.cls ? c.cls[id] : NULL;
        if (!(st->name = nsg_strdup(cfg->nsgs[i].name)))
          rc = -ENOMEM;
        else
          rc = build_nsg_block(&c, i, st);
        t->plain_entries += st->plain_entries;
      }
  if (rc)
    goto out;
  if (c.o.rule_entries && t->rule.n > c.o.rule_entries) {
    rc = overflow(&c, "rule", t->rule.n, c.o.rule_entries);
    goto out;
  }
  if (!c.o.label_lpm && c.o.label_entries && t->label.n > c.o.label_entries) {
    rc = overflow(&c, "address-label", t->label.n, c.o.label_entries);
    goto out;
  }
  if (c.o.label_ctx && c.o.label_entries && t->label.n > c.o.label_entries) {
    rc = fail(&c, ENOSPC, "the local-address table (label TCAM) needs %zu entries (local NIC addresses) but has %u: "
              "%zu too many", t->label.n, c.o.label_entries, t->label.n - c.o.label_entries);
    goto out;
  }
  if ((rc = spread_table(&c, &t->rule, c.o.rule_entries)) < 0 ||
      (rc = spread_table(&c, &t->label, c.o.label_lpm ? 0 : c.o.label_entries)) < 0)
    goto out;
  if (c.o.label_lpm && c.o.label_entries && (rc = check_label_lpm(&c)) < 0)
    goto out;
  if (c.o.platform_entries && t->plat.n > c.o.platform_entries) {
    rc = overflow(&c, "platform", t->plat.n, c.o.platform_entries);
    goto out;
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  t->compile_ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
out:
  for (size_t i = 0; i < c.nsets; i++)
    free(c.sets[i].p);
  free(c.sets);
  free(c.sethash);
  free(c.fields);
  free(c.lc);
  free(c.node_first);
  for (unsigned id = 0; c.cls && id < c.nids; id++)
    lclass_free(c.cls[id]);
  free(c.cls);
  for (size_t i = 0; i < c.nv; i++)
    free(c.vmean[i]);
  free(c.vmean);
  free(c.vmap);
  free(c.nsg_id);
  free(c.scope_ctx);
  free(c.tag_bit);
  free(c.asg_bit);
  free(c.rule_base);
  free(c.shead);
  free(c.snext);
  free(c.stouched);
  if (rc) {
    if (rc == -ENOMEM)
      snprintf(err, errlen, "out of memory while compiling");
    nsg_tables_free(t);
    errno = -rc;
    return NULL;
  }
  return t;
}

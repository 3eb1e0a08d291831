/* SPDX-License-Identifier: Apache-2.0 */
/* The binary table image the driver loads (format in docs/compiler.md "Image"): a header of
 * IMAGE_HEADER_WORDS little-endian 32-bit words (magic, ABI version, lengths, CRC-32), the three
 * TCAM images, the binding table, then the host metadata (vport names and addresses, rule-name
 * table), then the label stage's block-RAM form (the LPM trees' node words and result rows the
 * device writes; the reader requires them equal to what the label table builds). The reader checks everything and rejects an image with a message saying what is wrong. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "label_lpm.h"
#include "model.h"
#include "tables.h"

enum {
  H_MAGIC, H_ABI, H_HDR_WORDS, H_LEN, H_CRC, H_RULES, H_LABELS, H_PLATS, H_VPORTS, H_RNAMES, H_BANK,
  H_IMAGE_VERSION, H_FLAGS, H_CTXS, H_LROWS, H_RESERVED_FIRST, /* words H_RESERVED_FIRST.. are zero */
};
/* H_FLAGS (version 4; zero in version 3, whose layout is version 4 without flags) */
#define IMG_FLAG_LABEL_CTX 1u /* per-vport label contexts: the context and row sections, LPM_ROW rows */

/* CRC-32 of the whole image with the CRC word (bytes 16..19) read as zero */
static uint32_t crc32_le(const uint8_t *p, size_t n)
{
  uint32_t c = 0xffffffffu;
  for (size_t i = 0; i < n; i++) {
    c ^= i >= 16 && i < 20 ? 0u : p[i];
    for (int k = 0; k < 8; k++)
      c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1u)));
  }
  return ~c;
}

struct wbuf {
  uint8_t *b;
  size_t n, cap;
  bool oom;
};

static void put32(struct wbuf *w, uint32_t v)
{
  if (w->n + 4 > w->cap) {
    size_t cap = w->cap ? w->cap * 2 : 4096;
    uint8_t *nb = realloc(w->b, cap);
    if (!nb) {
      w->oom = true;
      return;
    }
    w->b = nb;
    w->cap = cap;
  }
  for (int i = 0; i < 4; i++)
    w->b[w->n++] = (uint8_t)(v >> (8 * i));
}

static void put_str(struct wbuf *w, const char *s)
{
  size_t len = s ? strlen(s) + 1 : 0; /* 0: absent */
  put32(w, (uint32_t)len);
  for (size_t i = 0; i < len; i += 4) {
    uint32_t v = 0;
    for (size_t k = 0; k < 4 && i + k < len; k++)
      v |= (uint32_t)(uint8_t)s[i + k] << (8 * k);
    put32(w, v);
  }
}

static void put_table(struct wbuf *w, const struct nsg_ttable *t)
{
  for (size_t i = 0; i < t->n; i++) {
    const struct nsg_tentry *e = &t->e[i];
    for (unsigned k = 0; k < t->key_words; k++)
      put32(w, e->val[k]);
    for (unsigned k = 0; k < t->key_words; k++)
      put32(w, e->care[k]);
    for (unsigned k = 0; k < t->res_words; k++)
      put32(w, e->res[k]);
    put32(w, e->valid);
  }
}

/* The label stage section: per family (IPv4, IPv6) the level count, the node word count, then
 * per level the nodes in use and their words; then the result rows. */
static void put_label_stage(struct wbuf *w, const struct nsg_label_lpm *l)
{
  for (int f = 0; f < 2; f++) {
    const struct lpm_image *im = &l->tree[f];
    unsigned nw = lpm_node_words(&im->g);
    put32(w, im->g.levels);
    put32(w, nw);
    for (unsigned lv = 0; lv < im->g.levels; lv++) {
      put32(w, im->used[lv]);
      for (size_t k = 0; k < (size_t)im->used[lv] * nw; k++)
        put32(w, im->node[lv][k]);
    }
  }
  put32(w, (uint32_t)l->nrows);
  for (size_t r = 0; r < l->nrows; r++)
    if (l->crows)
      for (unsigned k = 0; k < NSGNIC_LPM_ROW_WORDS; k++)
        put32(w, l->crows[r][k]);
    else
      for (unsigned k = 0; k < NSGNIC_LABEL_RESULT_WORDS; k++)
        put32(w, l->rows[r][k]);
}

/* Context mode: the contexts (scope, subnet NSG id + 1, NIC NSG id + 1; 0: none), then the rows
 * (context, family, length, address words LSB first, LABELS_SUBNET low/high, LABELS_NIC low/high). */
static void put_ctx_sections(struct wbuf *w, const struct nsg_tables *t)
{
  for (size_t i = 0; i < t->nctxs; i++) {
    put32(w, t->ctxs[i].scope);
    put32(w, (uint32_t)(t->ctxs[i].nsg[0] + 1));
    put32(w, (uint32_t)(t->ctxs[i].nsg[1] + 1));
  }
  for (size_t i = 0; i < t->nlrows; i++) {
    const struct nsg_tlrow *x = &t->lrows[i];
    put32(w, x->ctx);
    put32(w, x->p.fam);
    put32(w, x->p.len);
    for (int q = 0; q < 4; q++)
      put32(w, (uint32_t)(x->p.v >> (32 * q)));
    for (int l = 0; l < 2; l++) {
      put32(w, (uint32_t)x->lab[l]);
      put32(w, (uint32_t)(x->lab[l] >> 32));
    }
  }
}

int nsg_tables_image(const struct nsg_tables *t, uint8_t **buf, size_t *len)
{
  char lerr[256];
  const struct nsg_label_lpm *lpm = nsg_tables_label_stage(t, lerr, sizeof lerr);
  if (!lpm)
    return -errno;
  struct wbuf w = {0};
  for (int i = 0; i < NSGNIC_IMAGE_HEADER_WORDS; i++)
    put32(&w, 0);
  put_table(&w, &t->rule);
  put_table(&w, &t->label);
  put_table(&w, &t->plat);
  for (int f = 0; f < 2; f++)
    for (int k = 0; k < NSGNIC_PORT_CLASSES; k++)
      put32(&w, t->port_range[f][k]);
  for (size_t i = 0; i < t->nvports; i++)
    for (unsigned k = 0; k < NSGNIC_BINDING_WORDS; k++)
      put32(&w, t->bind[i][k]);
  for (size_t i = 0; i < t->nvports; i++) {
    const struct nsg_tvport *p = &t->vports[i];
    put_str(&w, p->nic_name);
    put_str(&w, p->nic_id);
    put32(&w, (uint32_t)p->nips);
    for (size_t k = 0; k < p->nips; k++) {
      put32(&w, p->ips[k].fam);
      for (int q = 0; q < 4; q++)
        put32(&w, (uint32_t)(p->ips[k].v >> (32 * q)));
    }
  }
  for (size_t i = 0; i < t->nrnames; i++) {
    put_str(&w, t->rnames[i].nsg);
    put_str(&w, t->rnames[i].rule);
  }
  for (int b = 0; b < NSGNIC_LABEL_BITS; b++)
    put_str(&w, t->label_meaning[b]);
  if (t->label_ctx)
    put_ctx_sections(&w, t);
  put_label_stage(&w, lpm);
  if (w.oom) {
    free(w.b);
    return -ENOMEM;
  }
  uint32_t h[NSGNIC_IMAGE_HEADER_WORDS] = {0};
  h[H_MAGIC] = NSGNIC_IMAGE_MAGIC;
  h[H_ABI] = (uint32_t)NSGNIC_ABI_VERSION_MAJOR << 16 | NSGNIC_ABI_VERSION_MINOR;
  h[H_HDR_WORDS] = NSGNIC_IMAGE_HEADER_WORDS;
  h[H_LEN] = (uint32_t)w.n;
  h[H_RULES] = (uint32_t)t->rule.n;
  h[H_LABELS] = (uint32_t)t->label.n;
  h[H_PLATS] = (uint32_t)t->plat.n;
  h[H_VPORTS] = (uint32_t)t->nvports;
  h[H_RNAMES] = (uint32_t)t->nrnames;
  h[H_BANK] = t->bank;
  h[H_IMAGE_VERSION] = NSGNIC_IMAGE_VERSION;
  h[H_FLAGS] = t->label_ctx ? IMG_FLAG_LABEL_CTX : 0;
  h[H_CTXS] = (uint32_t)t->nctxs;
  h[H_LROWS] = (uint32_t)t->nlrows;
  h[H_CRC] = 0;
  for (int i = 0; i < NSGNIC_IMAGE_HEADER_WORDS; i++)
    for (int k = 0; k < 4; k++)
      w.b[4 * i + k] = (uint8_t)(h[i] >> (8 * k));
  h[H_CRC] = crc32_le(w.b, w.n);
  for (int i = 0; i < NSGNIC_IMAGE_HEADER_WORDS; i++)
    for (int k = 0; k < 4; k++)
      w.b[4 * i + k] = (uint8_t)(h[i] >> (8 * k));
  *buf = w.b;
  *len = w.n;
  return 0;
}

struct rbuf {
  const uint8_t *b;
  size_t n, pos;
  bool bad;
};

static uint32_t get32(struct rbuf *r)
{
  if (r->pos + 4 > r->n) {
    r->bad = true;
    return 0;
  }
  uint32_t v = 0;
  for (int i = 0; i < 4; i++)
    v |= (uint32_t)r->b[r->pos++] << (8 * i);
  return v;
}

static char *get_str(struct rbuf *r, bool *absent)
{
  uint32_t len = get32(r);
  *absent = len == 0;
  if (r->bad || len == 0)
    return NULL;
  size_t words = (len + 3u) / 4u;
  if (len > 4096 || r->pos + 4 * words > r->n) {
    r->bad = true;
    return NULL;
  }
  char *s = malloc(4 * words);
  if (!s) {
    r->bad = true;
    return NULL;
  }
  memcpy(s, r->b + r->pos, 4 * words);
  r->pos += 4 * words;
  if (s[len - 1] != '\0' || strlen(s) != len - 1) {
    free(s);
    r->bad = true;
    return NULL;
  }
  for (const char *c = s; *c; c++)
    if ((unsigned char)*c < 0x20 || *c == 0x7f) { /* names are printed: no control characters */
      free(s);
      r->bad = true;
      return NULL;
    }
  return s;
}

static int get_table(struct rbuf *r, struct nsg_ttable *t, size_t n, unsigned kw, unsigned rw)
{
  t->key_words = kw;
  t->res_words = rw;
  size_t need = (size_t)(2 * kw + rw + 1) * 4u * n;
  if (r->pos + need > r->n) {
    r->bad = true;
    return -EINVAL;
  }
  t->cap = n ? n : 1;
  if (!(t->e = calloc(t->cap, sizeof *t->e)))
    return -ENOMEM;
  for (size_t i = 0; i < n; i++) {
    struct nsg_tentry *e = &t->e[i];
    for (unsigned k = 0; k < kw; k++)
      e->val[k] = get32(r);
    for (unsigned k = 0; k < kw; k++)
      e->care[k] = get32(r);
    for (unsigned k = 0; k < rw; k++)
      e->res[k] = get32(r);
    uint32_t valid = get32(r);
    if (valid > 1) {
      r->bad = true;
      return -EINVAL;
    }
    e->valid = valid;
  }
  t->n = n;
  return 0;
}

/* ---- semantic checks --------------------------------------------------------------------------
 * An image is untrusted input: a CRC only proves it was not damaged by accident. Beyond the
 * syntax above, every field is checked against the image's own tables and the ABI's limits, as
 * the firmware checks each write again (firmware/src/tables.c): entries the device would refuse,
 * results naming rules or vports that do not exist, bindings naming NSG ids without rules or
 * leaving an NSG id behind a cleared valid bit, NSG ids whose entries name rules of two NSGs, a
 * NIC address that the label stage does not lead back to its vport. What the image cannot prove
 * by itself - that each NIC is bound as the configuration says - nsg_tables_check_bindings()
 * checks against a configuration. */

static const char *const table_name[] = {"rule", "label", "platform"};

/* Bits at or above `bits` in words[0..nw) */
static bool bits_above(const uint32_t *w, unsigned nw, unsigned bits)
{
  for (unsigned i = 0; i < nw; i++) {
    unsigned lo = 32 * i;
    uint32_t m = lo >= bits ? 0xffffffffu : bits - lo >= 32 ? 0 : ~((1u << (bits - lo)) - 1u);
    if (w[i] & m)
      return true;
  }
  return false;
}

static int check_entry(const struct nsg_tables *t, int tb, size_t i, char *err, size_t errlen)
{
  static const unsigned key_bits[] = {NSGNIC_RULE_KEY_BITS, NSGNIC_LABEL_KEY_BITS, NSGNIC_PLATFORM_KEY_BITS};
  static const unsigned res_bits[] = {NSGNIC_RESULT_BITS, NSGNIC_LABEL_RESULT_BITS, NSGNIC_RESULT_BITS};
  const struct nsg_ttable *tt = tb == 0 ? &t->rule : tb == 1 ? &t->label : &t->plat;
  const struct nsg_tentry *e = &tt->e[i];
  const char *why = NULL;
  for (unsigned k = 0; k < tt->key_words && !why; k++)
    if (e->val[k] & ~e->care[k])
      why = "value bits where the entry does not care";
  if (!why && (bits_above(e->val, tt->key_words, key_bits[tb]) || bits_above(e->care, tt->key_words, key_bits[tb]) ||
               bits_above(e->res, tt->res_words, res_bits[tb])))
    why = "bits beyond the key or result width";
  if (!why && tb == 0) {
    unsigned act = (unsigned)NSGNIC_GET(e->res, RESULT_ACTION);
    if (NSGNIC_GET(e->care, RULE_KEY_RESERVED) || NSGNIC_GET(e->res, RESULT_RESERVED) ||
        NSGNIC_GET(e->res, RESULT_PLATFORM_CLASS))
      why = "reserved or platform-only field set";
    else if (NSGNIC_GET(e->care, RULE_KEY_NSG) != (1u << NSGNIC_RULE_KEY_NSG_W) - 1u)
      why = "does not belong to one NSG id (its NSG field is not exact)";
    else if (act != NSGNIC_ACTION_ALLOW && act != NSGNIC_ACTION_DENY)
      why = "action is neither allow nor deny";
    else if (NSGNIC_GET(e->res, RESULT_PLATFORM_EXEMPT) ? act != NSGNIC_ACTION_ALLOW
                                                         : NSGNIC_GET(e->res, RESULT_RULE_ID) >= t->nrnames) {
      snprintf(err, errlen, "table image: rule TCAM slot %zu names rule %u outside the rule-name table (%zu)", i,
               (unsigned)NSGNIC_GET(e->res, RESULT_RULE_ID), t->nrnames);
      return -EINVAL;
    }
  } else if (!why && tb == 1) {
    if (NSGNIC_GET(e->care, LABEL_KEY_RESERVED) || NSGNIC_GET(e->res, LABEL_RESULT_RESERVED))
      why = "reserved field set";
    else if (NSGNIC_GET(e->res, LABEL_RESULT_VPORT_VALID) ? NSGNIC_GET(e->res, LABEL_RESULT_VPORT) >= t->nvports
                                                           : NSGNIC_GET(e->res, LABEL_RESULT_VPORT) != 0)
      why = "names a vport the binding table does not have";
    else if (t->label_ctx && (NSGNIC_GET(e->res, LABEL_RESULT_LABELS) || !NSGNIC_GET(e->res, LABEL_RESULT_VPORT_VALID)))
      why = "is no local-address entry (label contexts: labels 0, a vport)";
  } else if (!why) {
    if (NSGNIC_GET(e->care, PLATFORM_KEY_RESERVED) || NSGNIC_GET(e->res, RESULT_RESERVED) ||
        NSGNIC_GET(e->res, RESULT_PLATFORM_EXEMPT) || NSGNIC_GET(e->res, RESULT_PLATFORM_CLASS) > NSGNIC_PLATFORM_CLASS_BLOCK)
      why = "reserved field set or unknown platform class";
  }
  if (why) {
    snprintf(err, errlen, "table image: %s TCAM slot %zu: %s", table_name[tb], i, why);
    return -EINVAL;
  }
  return 0;
}

static void ip_str(const struct nsg_ip *a, char *buf, size_t n)
{
  if (a->fam == NSG_AF4) {
    uint32_t v = (uint32_t)a->v;
    snprintf(buf, n, "%u.%u.%u.%u", v >> 24, (v >> 16) & 255u, (v >> 8) & 255u, v & 255u);
  } else {
    snprintf(buf, n, "%08x:%08x:%08x:%08x", (unsigned)(a->v >> 96), (unsigned)(a->v >> 64),
             (unsigned)(a->v >> 32), (unsigned)a->v);
  }
}

const char *nsg_tables_nsg_name(const struct nsg_tables *t, unsigned id)
{
  for (size_t i = 0; i < t->rule.n; i++) {
    const struct nsg_tentry *e = &t->rule.e[i];
    if (e->valid && NSGNIC_GET(e->val, RULE_KEY_NSG) == id && !NSGNIC_GET(e->res, RESULT_PLATFORM_EXEMPT) &&
        NSGNIC_GET(e->res, RESULT_RULE_ID) < t->nrnames)
      return t->rnames[NSGNIC_GET(e->res, RESULT_RULE_ID)].nsg;
  }
  return NULL;
}

static int check_semantics(const struct nsg_tables *t, char *err, size_t errlen)
{
  const struct nsg_ttable *tabs[] = {&t->rule, &t->label, &t->plat};
  int rc;
  for (int tb = 0; tb < 3; tb++)
    for (size_t i = 0; i < tabs[tb]->n; i++)
      if (tabs[tb]->e[i].valid && (rc = check_entry(t, tb, i, err, errlen)) < 0)
        return rc;
  /* (port-range comparators: every word is meaningful, LO > HI never matches) */
  /* one NSG name per NSG id */
  const char *names[NSGNIC_NSG_IDS] = {0};
  for (size_t i = 0; i < t->rule.n; i++) {
    const struct nsg_tentry *e = &t->rule.e[i];
    if (!e->valid || NSGNIC_GET(e->res, RESULT_PLATFORM_EXEMPT))
      continue;
    unsigned id = (unsigned)NSGNIC_GET(e->val, RULE_KEY_NSG);
    const char *n = t->rnames[NSGNIC_GET(e->res, RESULT_RULE_ID)].nsg;
    if (!names[id]) {
      names[id] = n;
    } else if (strcmp(names[id], n) != 0) {
      snprintf(err, errlen, "table image: NSG id %u: rule TCAM entries name rules of NSG '%s' and of NSG '%s'",
               id, names[id], n);
      return -EINVAL;
    }
  }
  for (size_t v = 0; v < t->nvports; v++) {
    const uint32_t *b = t->bind[v];
    const struct nsg_tvport *p = &t->vports[v];
    if (NSGNIC_GET(b, BINDING_RESERVED0) || NSGNIC_GET(b, BINDING_RESERVED1) ||
        (!t->label_ctx && NSGNIC_GET(b, BINDING_LABEL_CTX))) {
      snprintf(err, errlen, "table image: vport %zu (%s): reserved binding bits set", v, p->nic_name);
      return -EINVAL;
    }
    static const char *const level[] = {"subnet", "NIC"};
    unsigned id[2] = {(unsigned)NSGNIC_GET(b, BINDING_SUBNET_NSG), (unsigned)NSGNIC_GET(b, BINDING_NIC_NSG)};
    bool has[2] = {NSGNIC_GET(b, BINDING_SUBNET_NSG_VALID) != 0, NSGNIC_GET(b, BINDING_NIC_NSG_VALID) != 0};
    for (int l = 0; l < 2; l++) {
      if (!has[l] && id[l]) {
        snprintf(err, errlen, "table image: vport %zu (%s): %s NSG id %u with its valid bit clear (an NSG "
                 "detached by hand?)", v, p->nic_name, level[l], id[l]);
        return -EINVAL;
      }
      if (has[l] && !names[id[l]]) {
        snprintf(err, errlen, "table image: vport %zu (%s): %s NSG id %u has no rules in the rule TCAM", v,
                 p->nic_name, level[l], id[l]);
        return -EINVAL;
      }
    }
    /* inbound, the datapath finds the vport by its address's label result in its context */
    unsigned ctx = (unsigned)NSGNIC_GET(b, BINDING_CTX);
    for (size_t k = 0; k < p->nips; k++) {
      uint32_t key[NSG_TKEY_WORDS] = {0};
      nsgnic_bits_put(key, NSGNIC_LABEL_KEY_ADDR_LSB, 64, (uint64_t)p->ips[k].v);
      nsgnic_bits_put(key, NSGNIC_LABEL_KEY_ADDR_LSB + 64, 64, (uint64_t)(p->ips[k].v >> 64));
      NSGNIC_PUT(key, LABEL_KEY_FAMILY, p->ips[k].fam == NSG_AF6 ? NSGNIC_FAMILY_IPV6 : NSGNIC_FAMILY_IPV4);
      NSGNIC_PUT(key, LABEL_KEY_CTX, ctx);
      NSGNIC_PUT(key, LABEL_KEY_BANK, t->bank);
      long i = nsg_ttable_lookup(&t->label, key);
      if (i < 0 || !NSGNIC_GET(t->label.e[i].res, LABEL_RESULT_VPORT_VALID) ||
          NSGNIC_GET(t->label.e[i].res, LABEL_RESULT_VPORT) != v) {
        char a[64];
        ip_str(&p->ips[k], a, sizeof a);
        snprintf(err, errlen, "table image: vport %zu (%s): its address %s does not lead to it in the label "
                 "stage (context %u)", v, p->nic_name, a, ctx);
        return -EINVAL;
      }
    }
  }
  return 0;
}

#define BAD(...)                                   \
  do {                                             \
    snprintf(err, errlen, "table image: " __VA_ARGS__); \
    rc = -EINVAL;                                  \
    goto fail;                                     \
  } while (0)

/* The label stage section against the trees the image's own label table builds (t->lpm): the
 * device writes the section's words, the models answer from the rebuilt trees, so the two must
 * be the same words. */
static int check_label_stage(const struct nsg_tables *t, struct rbuf *r, char *err, size_t errlen)
{
  char lerr[256];
  const struct nsg_label_lpm *l = nsg_tables_label_stage(t, lerr, sizeof lerr);
  if (!l) {
    int rc = -errno;
    if (rc != -ENOMEM)
      snprintf(err, errlen, "table image: %s", lerr);
    return rc;
  }
  for (int f = 0; f < 2; f++) {
    const struct lpm_image *im = &l->tree[f];
    unsigned nw = lpm_node_words(&im->g);
    char fam = f ? '6' : '4';
    if (get32(r) != im->g.levels || get32(r) != nw || r->bad) {
      snprintf(err, errlen, "table image: label stage (IPv%c tree): levels or node width differ from "
               "this build's label stage (%u levels, %u-word nodes)", fam, im->g.levels, nw);
      return -EINVAL;
    }
    for (unsigned lv = 0; lv < im->g.levels; lv++) {
      uint32_t used = get32(r);
      if (r->bad || used != im->used[lv] || r->pos + (size_t)used * nw * 4u > r->n) {
        snprintf(err, errlen, "table image: label stage (IPv%c tree) level %u: %u nodes, but the "
                 "image's label table builds %u", fam, lv, used, im->used[lv]);
        return -EINVAL;
      }
      for (size_t k = 0; k < (size_t)used * nw; k++)
        if (get32(r) != im->node[lv][k]) {
          snprintf(err, errlen, "table image: label stage (IPv%c tree) level %u node %zu differs "
                   "from the one the image's label table builds", fam, lv, k / nw);
          return -EINVAL;
        }
    }
  }
  uint32_t rows = get32(r);
  unsigned rw = l->crows ? NSGNIC_LPM_ROW_WORDS : NSGNIC_LABEL_RESULT_WORDS;
  if (r->bad || rows != l->nrows || r->pos + (size_t)rows * 4u * rw > r->n) {
    snprintf(err, errlen, "table image: label stage: %u result rows, but the image's label table "
             "builds %zu", rows, l->nrows);
    return -EINVAL;
  }
  for (size_t i = 0; i < rows; i++)
    for (unsigned k = 0; k < rw; k++)
      if (get32(r) != (l->crows ? l->crows[i][k] : l->rows[i][k])) {
        snprintf(err, errlen, "table image: label stage: result row %zu differs from the one the "
                 "image's label table builds", i);
        return -EINVAL;
      }
  return 0;
}

/* The context-mode sections (put_ctx_sections), checked against the bindings. */
static int get_ctx_sections(struct rbuf *r, struct nsg_tables *t, uint32_t nctx, uint32_t nrows, char *err,
                            size_t errlen)
{
  t->label_ctx = true;
  if (r->pos + (size_t)nctx * 12u + (size_t)nrows * 44u > r->n) {
    snprintf(err, errlen, "table image: truncated label-context sections");
    return -EINVAL;
  }
  if (!(t->ctxs = calloc(nctx ? nctx : 1, sizeof *t->ctxs)) || !(t->lrows = calloc(nrows ? nrows : 1, sizeof *t->lrows)))
    return -ENOMEM;
  for (uint32_t i = 0; i < nctx; i++) {
    struct nsg_tctx *x = &t->ctxs[i];
    x->scope = get32(r);
    uint32_t a = get32(r), b = get32(r);
    if (x->scope >= NSGNIC_CTXS || a > NSGNIC_NSG_IDS || b > NSGNIC_NSG_IDS) {
      snprintf(err, errlen, "table image: label context %u: scope %u or NSG ids %d, %d out of range", i, x->scope,
               (int)a - 1, (int)b - 1);
      return -EINVAL;
    }
    x->nsg[0] = (int)a - 1;
    x->nsg[1] = (int)b - 1;
  }
  t->nctxs = nctx;
  for (uint32_t i = 0; i < nrows; i++) {
    struct nsg_tlrow *x = &t->lrows[i];
    x->ctx = get32(r);
    uint32_t fam = get32(r), len = get32(r);
    for (int q = 0; q < 4; q++)
      x->p.v |= (nsg_u128)get32(r) << (32 * q);
    for (int l = 0; l < 2; l++) {
      x->lab[l] = get32(r);
      x->lab[l] |= (uint64_t)get32(r) << 32;
    }
    const char *why = NULL;
    unsigned bits = fam == NSG_AF6 ? 128 : 32;
    if (x->ctx >= nctx)
      why = "names a label context the image does not have";
    else if (fam != NSG_AF4 && fam != NSG_AF6)
      why = "unknown address family";
    else if (len > bits || (bits < 128 && x->p.v >> bits) || (len < 128 && (x->p.v & ((((nsg_u128)1) << (bits - len)) - 1))))
      why = "is no prefix (length, or address bits beyond it)";
    else if ((x->lab[0] ^ x->lab[1]) & ((1u << NSGNIC_LABEL_FIRST_FREE) - 1u))
      why = "has fixed label bits that differ between its two vectors";
    x->p.fam = (uint8_t)fam;
    x->p.len = (uint8_t)len;
    if (!why && i && nsg_tlrow_cmp(&t->lrows[i - 1], x) >= 0)
      why = "is out of order or repeats a prefix";
    if (why) {
      snprintf(err, errlen, "table image: label-context row %u %s", i, why);
      return -EINVAL;
    }
  }
  t->nlrows = nrows;
  for (size_t v = 0; v < t->nvports; v++) {
    const uint32_t *b = t->bind[v];
    unsigned k = (unsigned)NSGNIC_GET(b, BINDING_LABEL_CTX);
    if (k >= nctx || t->ctxs[k].scope != NSGNIC_GET(b, BINDING_CTX) ||
        t->ctxs[k].nsg[0] != (NSGNIC_GET(b, BINDING_SUBNET_NSG_VALID) ? (int)NSGNIC_GET(b, BINDING_SUBNET_NSG) : -1) ||
        t->ctxs[k].nsg[1] != (NSGNIC_GET(b, BINDING_NIC_NSG_VALID) ? (int)NSGNIC_GET(b, BINDING_NIC_NSG) : -1)) {
      snprintf(err, errlen, "table image: vport %zu (%s): label context %u does not hold its scope and NSGs", v,
               t->vports[v].nic_name, k);
      return -EINVAL;
    }
  }
  return 0;
}

struct nsg_tables *nsg_tables_load_image(const uint8_t *buf, size_t len, char *err, size_t errlen)
{
  int rc = 0;
  struct nsg_tables *t = calloc(1, sizeof *t);
  if (!t) {
    errno = ENOMEM;
    return NULL;
  }
  struct rbuf r = {buf, len, 0, false};
  size_t hdr = 4u * NSGNIC_IMAGE_HEADER_WORDS;
  if (len < hdr)
    BAD("%zu bytes is shorter than the %zu-byte header (not an nsgnic image, or truncated)", len, hdr);
  uint32_t h[NSGNIC_IMAGE_HEADER_WORDS];
  for (int i = 0; i < NSGNIC_IMAGE_HEADER_WORDS; i++)
    h[i] = get32(&r);
  if (h[H_MAGIC] != (uint32_t)NSGNIC_IMAGE_MAGIC)
    BAD("bad magic 0x%08x (expected 0x%08x): not an nsgnic table image", h[H_MAGIC], (unsigned)NSGNIC_IMAGE_MAGIC);
  if (h[H_ABI] >> 16 != NSGNIC_ABI_VERSION_MAJOR)
    BAD("ABI major version %u, this build knows %u: recompile the configuration with this nsgnic",
        h[H_ABI] >> 16, (unsigned)NSGNIC_ABI_VERSION_MAJOR);
  if ((h[H_IMAGE_VERSION] != NSGNIC_IMAGE_VERSION && h[H_IMAGE_VERSION] != 3) ||
      h[H_HDR_WORDS] != NSGNIC_IMAGE_HEADER_WORDS)
    BAD("image format version %u (header %u words); this build reads versions 3 and %u", h[H_IMAGE_VERSION],
        h[H_HDR_WORDS], (unsigned)NSGNIC_IMAGE_VERSION);
  if (h[H_IMAGE_VERSION] == 3 && (h[H_FLAGS] || h[H_CTXS] || h[H_LROWS]))
    BAD("version 3 image with non-zero header words %d..%d (corrupt)", H_FLAGS, H_LROWS);
  if (h[H_FLAGS] & ~IMG_FLAG_LABEL_CTX)
    BAD("unknown header flags 0x%08x (a newer format?)", h[H_FLAGS]);
  bool ctxmode = h[H_FLAGS] & IMG_FLAG_LABEL_CTX;
  if (!ctxmode && (h[H_CTXS] || h[H_LROWS]))
    BAD("%u label contexts and %u context rows without the label-context flag", h[H_CTXS], h[H_LROWS]);
  if (h[H_CTXS] >= (1u << NSGNIC_LPM_CTX_BITS) || h[H_LROWS] > (1u << 24))
    BAD("%u label contexts or %u context rows: out of range", h[H_CTXS], h[H_LROWS]);
  for (int i = H_RESERVED_FIRST; i < NSGNIC_IMAGE_HEADER_WORDS; i++)
    if (h[i] != 0)
      BAD("reserved header word %d is 0x%08x, not zero (corrupt, or a newer format)", i, h[i]);
  if (h[H_LEN] != len)
    BAD("header says %u bytes but the image has %zu (truncated or padded)", h[H_LEN], len);
  uint32_t crc = crc32_le(buf, len);
  if (crc != h[H_CRC])
    BAD("checksum mismatch (stored 0x%08x, computed 0x%08x): the image is corrupt", h[H_CRC], crc);
  if (h[H_RULES] > NSGNIC_RULE_ENTRIES * 64u || h[H_LABELS] > NSGNIC_LABEL_ENTRIES * 64u ||
      h[H_PLATS] > NSGNIC_PLATFORM_ENTRIES || h[H_VPORTS] > NSGNIC_VPORTS * 64u || h[H_BANK] > 1)
    BAD("table counts out of range (rules %u, labels %u, platform %u, vports %u, bank %u)", h[H_RULES],
        h[H_LABELS], h[H_PLATS], h[H_VPORTS], h[H_BANK]);
  t->bank = h[H_BANK];
  if ((rc = get_table(&r, &t->rule, h[H_RULES], NSGNIC_RULE_KEY_WORDS, 1)) < 0 ||
      (rc = get_table(&r, &t->label, h[H_LABELS], NSGNIC_LABEL_KEY_WORDS, NSGNIC_LABEL_RESULT_WORDS)) < 0 ||
      (rc = get_table(&r, &t->plat, h[H_PLATS], NSGNIC_PLATFORM_KEY_WORDS, 1)) < 0) {
    if (rc == -ENOMEM)
      goto fail;
    BAD("truncated table section");
  }
  for (int f = 0; f < 2; f++)
    for (int k = 0; k < NSGNIC_PORT_CLASSES; k++)
      t->port_range[f][k] = get32(&r);
  size_t nv = h[H_VPORTS];
  if (r.pos + (size_t)nv * 4u * NSGNIC_BINDING_WORDS > len)
    BAD("truncated binding table");
  if (!(t->bind = calloc(nv ? nv : 1, sizeof *t->bind)) || !(t->vports = calloc(nv ? nv : 1, sizeof *t->vports))) {
    rc = -ENOMEM;
    goto fail;
  }
  for (size_t i = 0; i < nv; i++)
    for (unsigned k = 0; k < NSGNIC_BINDING_WORDS; k++)
      t->bind[i][k] = get32(&r);
  /* each entry is counted before it is filled, so that every error path frees what was read */
  for (size_t i = 0; i < nv; i++) {
    t->nvports = i + 1;
    struct nsg_tvport *p = &t->vports[i];
    bool absent;
    p->nic_name = get_str(&r, &absent);
    if (!p->nic_name)
      BAD("vport %zu: bad NIC name (not a NUL-terminated string of printable characters)", i);
    p->nic_id = get_str(&r, &absent);
    if (!p->nic_id && !absent)
      BAD("vport %zu: bad NIC id (not a NUL-terminated string of printable characters)", i);
    uint32_t nips = get32(&r);
    if (r.bad || nips > 4096 || r.pos + (size_t)nips * 20u > len)
      BAD("vport %zu: bad address list", i);
    if (!(p->ips = calloc(nips ? nips : 1, sizeof *p->ips))) {
      rc = -ENOMEM;
      goto fail;
    }
    for (; p->nips < nips; p->nips++) {
      uint32_t fam = get32(&r);
      if (fam != NSG_AF4 && fam != NSG_AF6)
        BAD("vport %zu: address family %u", i, fam);
      struct nsg_ip *ip = &p->ips[p->nips];
      ip->fam = (uint8_t)fam;
      for (int q = 0; q < 4; q++)
        ip->v |= (nsg_u128)get32(&r) << (32 * q);
      if (fam == NSG_AF4 && ip->v >> 32)
        BAD("vport %zu (%s): IPv4 address with bits above 32", i, p->nic_name);
    }
    if (NSGNIC_GET(t->bind[i], BINDING_VALID) == 0)
      BAD("vport %zu (%s): invalid binding", i, p->nic_name);
  }
  size_t nr = h[H_RNAMES];
  if (nr > 65536 || r.pos + nr * 8u > len)
    BAD("bad rule-name table size %zu", nr);
  if (!(t->rnames = calloc(nr ? nr : 1, sizeof *t->rnames))) {
    rc = -ENOMEM;
    goto fail;
  }
  for (size_t i = 0; i < nr; i++) {
    bool absent;
    t->nrnames = i + 1;
    t->rnames[i].nsg = get_str(&r, &absent);
    t->rnames[i].rule = t->rnames[i].nsg ? get_str(&r, &absent) : NULL;
    if (!t->rnames[i].rule)
      BAD("rule name %zu unreadable", i);
  }
  for (int b = 0; b < NSGNIC_LABEL_BITS; b++) {
    bool absent;
    t->label_meaning[b] = get_str(&r, &absent);
    if (!t->label_meaning[b] && !absent)
      BAD("label bit %d: unreadable meaning", b);
  }
  if (r.bad)
    BAD("truncated host metadata");
  if (ctxmode && (rc = get_ctx_sections(&r, t, h[H_CTXS], h[H_LROWS], err, errlen)) < 0)
    goto fail;
  size_t stage_pos = r.pos;
  t->nrules = nr;
  if ((rc = check_semantics(t, err, errlen)) < 0)
    goto fail;
  if ((rc = check_label_stage(t, &r, err, errlen)) < 0)
    goto fail;
  if (r.bad || r.pos != len)
    BAD("%zu bytes of trailing or missing data after the label stage (section at byte %zu)",
        r.pos > len ? r.pos - len : len - r.pos, stage_pos);
  return t;
fail:
  if (rc == -ENOMEM)
    snprintf(err, errlen, "out of memory reading the table image");
  nsg_tables_free(t);
  errno = -rc;
  return NULL;
}

static bool same_ips(const struct nsg_tvport *a, const struct nsg_tvport *b)
{
  if (a->nips != b->nips)
    return false;
  for (size_t i = 0; i < a->nips; i++) {
    bool found = false;
    for (size_t k = 0; k < b->nips && !found; k++)
      found = nsg_ip_equal(&a->ips[i], &b->ips[k]);
    if (!found)
      return false;
  }
  return true;
}

/* The meanings of the label bits set in `labels`, as a sorted, comma-separated list. */
static void label_set(const struct nsg_tables *t, uint64_t labels, char *buf, size_t n)
{
  const char *m[NSGNIC_LABEL_BITS];
  char fixed[NSGNIC_LABEL_BITS][12];
  size_t k = 0;
  for (int b = 0; b < NSGNIC_LABEL_BITS; b++)
    if (labels >> b & 1u) {
      if (!t->label_meaning[b])
        snprintf(fixed[b], sizeof fixed[b], "bit %d", b);
      m[k++] = t->label_meaning[b] ? t->label_meaning[b] : fixed[b];
    }
  for (size_t i = 1; i < k; i++) /* insertion sort: at most 64 */
    for (size_t j = i; j > 0 && strcmp(m[j - 1], m[j]) > 0; j--) {
      const char *x = m[j];
      m[j] = m[j - 1];
      m[j - 1] = x;
    }
  size_t pos = 0;
  buf[0] = '\0';
  for (size_t i = 0; i < k && pos < n; i++)
    pos += (size_t)snprintf(buf + pos, n - pos, "%s%s", i ? "," : "", m[i]);
}

int nsg_tables_check_bindings(const struct nsg_tables *img, const struct nsg_tables *exp, char *err,
                              size_t errlen)
{
  static const char *const level[] = {"subnet", "NIC"};
  size_t *map = calloc(exp->nvports ? exp->nvports : 1, sizeof *map);
  if (!map) {
    snprintf(err, errlen, "out of memory");
    return -ENOMEM;
  }
  int rc = -EINVAL;
  if (img->nvports != exp->nvports) {
    snprintf(err, errlen, "table image binds %zu vports (NIC, subnet), the configuration %zu", img->nvports,
             exp->nvports);
    goto out;
  }
  for (size_t v = 0; v < exp->nvports; v++) {
    const struct nsg_tvport *p = &exp->vports[v];
    size_t w = img->nvports;
    for (size_t k = 0; k < img->nvports && w == img->nvports; k++)
      if (nsg_strcaseeq(img->vports[k].nic_name, p->nic_name) && same_ips(&img->vports[k], p))
        w = k;
    if (w == img->nvports) {
      snprintf(err, errlen, "table image: network interface '%s' (with these addresses) is not in the image",
               p->nic_name);
      goto out;
    }
    map[v] = w;
    const uint32_t *eb = exp->bind[v], *ib = img->bind[w];
    bool ehas[2] = {NSGNIC_GET(eb, BINDING_SUBNET_NSG_VALID) != 0, NSGNIC_GET(eb, BINDING_NIC_NSG_VALID) != 0};
    bool ihas[2] = {NSGNIC_GET(ib, BINDING_SUBNET_NSG_VALID) != 0, NSGNIC_GET(ib, BINDING_NIC_NSG_VALID) != 0};
    unsigned eid[2] = {(unsigned)NSGNIC_GET(eb, BINDING_SUBNET_NSG), (unsigned)NSGNIC_GET(eb, BINDING_NIC_NSG)};
    unsigned iid[2] = {(unsigned)NSGNIC_GET(ib, BINDING_SUBNET_NSG), (unsigned)NSGNIC_GET(ib, BINDING_NIC_NSG)};
    for (int l = 0; l < 2; l++) {
      const char *en = ehas[l] ? nsg_tables_nsg_name(exp, eid[l]) : NULL;
      const char *in = ihas[l] ? nsg_tables_nsg_name(img, iid[l]) : NULL;
      if (ehas[l] != ihas[l] || (en && in && !nsg_strcaseeq(en, in)) || (!en) != (!in)) {
        snprintf(err, errlen, "table image: network interface '%s': %s NSG is %s%s%s in the image but %s%s%s in "
                 "the configuration", p->nic_name, level[l], in ? "'" : "", in ? in : "none", in ? "'" : "",
                 en ? "'" : "", en ? en : "none", en ? "'" : "");
        goto out;
      }
    }
    char ea[1024], ia[1024];
    label_set(exp, NSGNIC_GET(eb, BINDING_LOCAL_LABELS), ea, sizeof ea);
    label_set(img, NSGNIC_GET(ib, BINDING_LOCAL_LABELS), ia, sizeof ia);
    if (strcmp(ea, ia) != 0) {
      snprintf(err, errlen, "table image: network interface '%s': member of [%s] in the image but of [%s] in the "
               "configuration", p->nic_name, ia, ea);
      goto out;
    }
  }
  for (size_t a = 0; a < exp->nvports; a++)
    for (size_t b = a + 1; b < exp->nvports; b++) {
      bool e = NSGNIC_GET(exp->bind[a], BINDING_CTX) == NSGNIC_GET(exp->bind[b], BINDING_CTX);
      bool i = NSGNIC_GET(img->bind[map[a]], BINDING_CTX) == NSGNIC_GET(img->bind[map[b]], BINDING_CTX);
      if (e != i) {
        snprintf(err, errlen, "table image: network interfaces '%s' and '%s' are %s in the image but %s in the "
                 "configuration", exp->vports[a].nic_name, exp->vports[b].nic_name,
                 i ? "in one VNet (label context)" : "in different VNets", e ? "in one" : "in different ones");
        goto out;
      }
    }
  rc = 0;
out:
  free(map);
  return rc;
}

int nsg_tables_save(const struct nsg_tables *t, const char *path, char *err, size_t errlen)
{
  uint8_t *b;
  size_t n;
  int rc = nsg_tables_image(t, &b, &n);
  if (rc < 0) {
    char lerr[256];
    if (rc != -ENOMEM && !nsg_tables_label_stage(t, lerr, sizeof lerr))
      snprintf(err, errlen, "cannot build image %s: %s", path, lerr);
    else
      snprintf(err, errlen, "out of memory building the image");
    return rc;
  }
  FILE *f = fopen(path, "wb");
  if (!f) {
    snprintf(err, errlen, "cannot write image %s: %s", path, strerror(errno));
    free(b);
    return -EIO;
  }
  bool ok = fwrite(b, 1, n, f) == n;
  ok &= fclose(f) == 0;
  if (!ok) {
    snprintf(err, errlen, "cannot write image %s: %s", path, strerror(errno));
    free(b);
    return -EIO;
  }
  free(b);
  return 0;
}

struct nsg_tables *nsg_tables_load(const char *path, char *err, size_t errlen)
{
  FILE *f = fopen(path, "rb");
  if (!f) {
    snprintf(err, errlen, "cannot open image %s: %s", path, strerror(errno));
    return NULL;
  }
  size_t cap = 1 << 16, n = 0;
  uint8_t *b = malloc(cap);
  size_t k;
  while (b && (k = fread(b + n, 1, cap - n, f)) > 0) {
    n += k;
    if (n == cap) {
      uint8_t *nb = cap < (1u << 30) ? realloc(b, cap * 2) : NULL;
      if (!nb) {
        free(b);
        b = NULL;
        break;
      }
      b = nb;
      cap *= 2;
    }
  }
  fclose(f);
  if (!b) {
    snprintf(err, errlen, "cannot read image %s: out of memory or larger than 1 GiB", path);
    errno = ENOMEM;
    return NULL;
  }
  struct nsg_tables *t = nsg_tables_load_image(b, n, err, errlen);
  free(b);
  return t;
}

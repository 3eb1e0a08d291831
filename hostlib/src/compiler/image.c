/* SPDX-License-Identifier: Apache-2.0 */
/* The binary table image the driver loads (format in docs/compiler.md "Image"): a header of
 * IMAGE_HEADER_WORDS little-endian 32-bit words (magic, ABI version, lengths, CRC-32), the three
 * TCAM images, the binding table, then the host metadata (vport names and addresses, rule-name
 * table). The reader checks everything and rejects an image with a message saying what is wrong. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "tables.h"

enum {
  H_MAGIC, H_ABI, H_HDR_WORDS, H_LEN, H_CRC, H_RULES, H_LABELS, H_PLATS, H_VPORTS, H_RNAMES, H_BANK,
  H_IMAGE_VERSION, H_RESERVED_FIRST, /* words H_RESERVED_FIRST.. are zero */
};

static uint32_t crc32_le(const uint8_t *p, size_t n)
{
  uint32_t c = 0xffffffffu;
  for (size_t i = 0; i < n; i++) {
    c ^= p[i];
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

int nsg_tables_image(const struct nsg_tables *t, uint8_t **buf, size_t *len)
{
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
  size_t hdr = 4u * NSGNIC_IMAGE_HEADER_WORDS;
  h[H_CRC] = crc32_le(w.b + hdr, w.n - hdr);
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
  if (!s)
    return NULL;
  memcpy(s, r->b + r->pos, 4 * words);
  r->pos += 4 * words;
  if (s[len - 1] != '\0' || strlen(s) != len - 1) {
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

#define BAD(...)                                   \
  do {                                             \
    snprintf(err, errlen, "table image: " __VA_ARGS__); \
    rc = -EINVAL;                                  \
    goto fail;                                     \
  } while (0)

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
  if (h[H_IMAGE_VERSION] != NSGNIC_IMAGE_VERSION || h[H_HDR_WORDS] != NSGNIC_IMAGE_HEADER_WORDS)
    BAD("image format version %u (header %u words); this build reads version %u", h[H_IMAGE_VERSION],
        h[H_HDR_WORDS], (unsigned)NSGNIC_IMAGE_VERSION);
  for (int i = H_RESERVED_FIRST; i < NSGNIC_IMAGE_HEADER_WORDS; i++)
    if (h[i] != 0)
      BAD("reserved header word %d is 0x%08x, not zero (corrupt, or a newer format)", i, h[i]);
  if (h[H_LEN] != len)
    BAD("header says %u bytes but the image has %zu (truncated or padded)", h[H_LEN], len);
  uint32_t crc = crc32_le(buf + hdr, len - hdr);
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
  for (; t->nvports < nv; t->nvports++) {
    struct nsg_tvport *p = &t->vports[t->nvports];
    bool absent;
    p->nic_name = get_str(&r, &absent);
    if (!p->nic_name)
      BAD("vport %zu: bad NIC name", t->nvports);
    p->nic_id = get_str(&r, &absent);
    if (!p->nic_id && !absent)
      BAD("vport %zu: bad NIC id", t->nvports);
    uint32_t nips = get32(&r);
    if (r.bad || nips > 4096 || r.pos + (size_t)nips * 20u > len)
      BAD("vport %zu: bad address list", t->nvports);
    if (!(p->ips = calloc(nips ? nips : 1, sizeof *p->ips))) {
      rc = -ENOMEM;
      goto fail;
    }
    for (; p->nips < nips; p->nips++) {
      uint32_t fam = get32(&r);
      if (fam != NSG_AF4 && fam != NSG_AF6)
        BAD("vport %zu: address family %u", t->nvports, fam);
      p->ips[p->nips].fam = (uint8_t)fam;
      for (int q = 0; q < 4; q++)
        p->ips[p->nips].v |= (nsg_u128)get32(&r) << (32 * q);
    }
    if (NSGNIC_GET(t->bind[t->nvports], BINDING_VALID) == 0)
      BAD("vport %zu (%s): invalid binding", t->nvports, p->nic_name);
  }
  size_t nr = h[H_RNAMES];
  if (nr > 65536 || r.pos + nr * 8u > len)
    BAD("bad rule-name table size %zu", nr);
  if (!(t->rnames = calloc(nr ? nr : 1, sizeof *t->rnames))) {
    rc = -ENOMEM;
    goto fail;
  }
  for (; t->nrnames < nr; t->nrnames++) {
    bool absent;
    t->rnames[t->nrnames].nsg = get_str(&r, &absent);
    t->rnames[t->nrnames].rule = t->rnames[t->nrnames].nsg ? get_str(&r, &absent) : NULL;
    if (!t->rnames[t->nrnames].rule) {
      t->nrnames++;
      BAD("rule name %zu unreadable", t->nrnames - 1);
    }
  }
  for (int b = 0; b < NSGNIC_LABEL_BITS; b++) {
    bool absent;
    t->label_meaning[b] = get_str(&r, &absent);
    if (!t->label_meaning[b] && !absent)
      BAD("label bit %d: unreadable meaning", b);
  }
  if (r.bad || r.pos != len)
    BAD("%zu bytes of trailing or missing data", r.pos > len ? r.pos - len : len - r.pos);
  for (size_t i = 0; i < t->rule.n; i++)
    if (t->rule.e[i].valid && NSGNIC_GET(t->rule.e[i].res, RESULT_RULE_ID) >= nr &&
        !NSGNIC_GET(t->rule.e[i].res, RESULT_PLATFORM_EXEMPT))
      BAD("rule TCAM slot %zu names rule %u outside the rule-name table (%zu)", i,
          (unsigned)NSGNIC_GET(t->rule.e[i].res, RESULT_RULE_ID), nr);
  t->nrules = nr;
  return t;
fail:
  if (rc == -ENOMEM)
    snprintf(err, errlen, "out of memory reading the table image");
  nsg_tables_free(t);
  errno = -rc;
  return NULL;
}

int nsg_tables_save(const struct nsg_tables *t, const char *path, char *err, size_t errlen)
{
  uint8_t *b;
  size_t n;
  int rc = nsg_tables_image(t, &b, &n);
  if (rc < 0) {
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

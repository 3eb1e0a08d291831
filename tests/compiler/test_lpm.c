/* SPDX-License-Identifier: Apache-2.0 */
/* The label stage's longest-prefix-match builder and model (hostlib/src/compiler/lpm.c) against a linear
 * longest-prefix reference: random nested prefix sets of both families in several contexts (/0
 * and host prefixes, the all-ones key), leaf refills and fresh builds, the node writes of an
 * update (lpm_diff applied to the old image gives the new one); the realistic geometries hold
 * their promised capacity in the worst case (every prefix disjoint: 2 intervals each) and refuse
 * one more interval with a message naming the table to grow. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gen.h"
#include "label_lpm.h"
#include "lpm.h"
#include "nsgnic/compile.h"

static uint64_t rs = 88172645463325252ull;
static uint32_t rnd(void)
{
  rs ^= rs << 13;
  rs ^= rs >> 7;
  rs ^= rs << 17;
  return (uint32_t)(rs >> 11);
}

static unsigned bit(const uint32_t *k, unsigned b) { return (k[b / 32] >> (b % 32)) & 1u; }
static void setbit(uint32_t *k, unsigned b, unsigned v)
{
  k[b / 32] = (k[b / 32] & ~(1u << (b % 32))) | (v & 1u) << (b % 32);
}

static unsigned ref(const struct lpm_prefix *p, size_t n, unsigned kw, const uint32_t *k)
{
  int best = -1;
  unsigned r = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned j = 0;
    while (j < p[i].len && bit(p[i].key, kw - 1 - j) == bit(k, kw - 1 - j)) j++;
    if (j == p[i].len && (int)p[i].len > best) {
      best = (int)p[i].len;
      r = p[i].result;
    }
  }
  return r;
}

static size_t rand_set(struct lpm_prefix *p, size_t want, unsigned kw, unsigned aw, unsigned results)
{
  size_t n = 0;
  while (n < want) {
    struct lpm_prefix x;
    memset(&x, 0, sizeof x);
    for (unsigned b = 0; b < kw; b++) setbit(x.key, b, rnd() & 1);
    for (unsigned b = aw; b < kw; b++) setbit(x.key, b, b == aw ? rnd() & 1 : 0);  /* 2 contexts */
    unsigned kind = rnd() % 6;
    if (kind < 2 && n) { /* nested */
      const struct lpm_prefix *q = &p[rnd() % n];
      for (unsigned j = 0; j < q->len; j++) setbit(x.key, kw - 1 - j, bit(q->key, kw - 1 - j));
      x.len = q->len + rnd() % (kw - q->len + 1);
    } else if (kind == 2) x.len = kw - aw;
    else if (kind == 3) x.len = kw;
    else if (kind == 4) {
      for (unsigned b = 0; b < kw; b++) setbit(x.key, b, 1);
      x.len = kw - rnd() % 4;
    } else x.len = kw - aw + rnd() % (aw + 1);
    x.result = 1 + rnd() % (results - 1);
    int dup = 0;
    for (size_t i = 0; i < n && !dup; i++) {
      unsigned j = 0;
      while (j < x.len && j < p[i].len && bit(p[i].key, kw - 1 - j) == bit(x.key, kw - 1 - j)) j++;
      dup = p[i].len == x.len && j == x.len;
    }
    if (!dup) p[n++] = x;
  }
  return n;
}

static void probe(const struct lpm_image *im, const struct lpm_prefix *p, size_t n, unsigned aw)
{
  unsigned kw = im->g.key_bits;
  for (int t = 0; t < 400; t++) {
    uint32_t k[LPM_KEY_WORDS] = {0};
    if (n && rnd() % 4) {
      const struct lpm_prefix *q = &p[rnd() % n];
      memcpy(k, q->key, sizeof k);
      unsigned mode = rnd() % 3;
      for (unsigned b = 0; b + q->len < kw; b++) setbit(k, b, mode == 2 ? rnd() & 1 : mode);
    } else {
      for (unsigned b = 0; b < kw; b++) setbit(k, b, rnd() & 1);
      for (unsigned b = aw + 1; b < kw; b++) setbit(k, b, 0);
    }
    assert_int_equal(lpm_lookup(im, k), ref(p, n, kw, k));
  }
}

static void random_sets(unsigned kw, unsigned aw, const struct lpm_geom *g)
{
  struct lpm_prefix p[200];
  char err[256];
  for (int round = 0; round < 40; round++) {
    size_t n = rand_set(p, 1 + rnd() % 150, kw, aw, g->results);
    struct lpm_image a, b;
    assert_int_equal(lpm_build(g, p, n, &a, err, sizeof err), 0);
    probe(&a, p, n, aw);
    /* an update of a few prefixes: refill (or rebuild), then the diff replays it */
    for (int c = 0; c < 3; c++) {
      if (rnd() % 2 && n > 1) {
        size_t i = rnd() % n;
        n--;
        p[i] = p[n];
      }
      else p[rnd() % n].result = 1 + rnd() % (g->results - 1);
    }
    int rc = lpm_build_from(&a, p, n, &b, err, sizeof err);
    if (rc == -EAGAIN) rc = lpm_build(g, p, n, &b, err, sizeof err);
    assert_int_equal(rc, 0);
    probe(&b, p, n, aw);
    size_t nw = lpm_diff(&a, &b, NULL, 0);
    struct lpm_write *w = calloc(nw ? nw : 1, sizeof *w);
    assert_int_equal(lpm_diff(&a, &b, w, nw), nw);
    for (size_t i = 0; i < nw; i++)
      assert_int_equal(lpm_image_write(&a, w[i].level, w[i].addr, w[i].data), 0);
    assert_int_equal(lpm_diff(&a, &b, NULL, 0), 0);
    probe(&a, p, n, aw);
    free(w);
    lpm_image_free(&a);
    lpm_image_free(&b);
  }
}

static void test_random_v4(void **state)
{
  (void)state;
  struct lpm_geom g = {34, 4, 5, 120, 32};
  random_sets(34, 32, &g);
}

static void test_random_v6(void **state)
{
  (void)state;
  struct lpm_geom g = {130, 8, 3, 60, 32};
  random_sets(130, 128, &g);
}

/* The realistic geometry holds `n` disjoint, non-adjacent prefixes (2n + 1 intervals, the worst
 * case) spread over contexts; one interval more is refused. */
static void capacity(struct lpm_geom g, unsigned aw, unsigned n)
{
  char err[256];
  struct lpm_prefix *p = calloc(n + 1, sizeof *p);
  for (unsigned i = 0; i <= n; i++) {
    unsigned ctx = i % 1024, slot = i / 1024;  /* /len prefix at slot*2 in its context */
    unsigned len = aw == 32 ? 24 : 48;
    memset(p[i].key, 0, sizeof p[i].key);
    for (unsigned b = 0; b < 16; b++) setbit(p[i].key, g.key_bits - len + 1 + b, (slot >> b) & 1);
    for (unsigned b = 0; b < LPM_CTX_BITS; b++) setbit(p[i].key, aw + b, (ctx >> b) & 1);
    p[i].len = LPM_CTX_BITS + len;
    p[i].result = 1 + i % (g.results - 1);
  }
  struct lpm_image im;
  assert_int_equal(lpm_build(&g, p, n, &im, err, sizeof err), 0);
  assert_true(im.intervals >= 2ul * n);
  probe(&im, p, 64, aw);
  lpm_image_free(&im);
  /* shrink the leaves to just below what n + 1 prefixes need */
  unsigned long need = 2ul * (n + 1) + 1;
  g.leaf_nodes = (unsigned)((need - 1) / (g.fanout - 1));
  while (lpm_interval_capacity(&g) >= need) g.leaf_nodes--;
  assert_int_equal(lpm_build(&g, p, n + 1, &im, err, sizeof err), -ENOSPC);
  assert_non_null(strstr(err, "grow LeafNodes"));
  free(p);
}

static void test_capacity_v4(void **state)
{
  (void)state;
  struct lpm_geom g = LPM_GEOM_V4;
  assert_true(lpm_interval_capacity(&g) >= 2ul * 65536 + 1);
  capacity(g, 32, 65536);
}

static void test_capacity_v6(void **state)
{
  (void)state;
  struct lpm_geom g = LPM_GEOM_V6;
  assert_true(lpm_interval_capacity(&g) >= 2ul * 16384 + 1);
  capacity(g, 128, 16384);
}

static void test_errors(void **state)
{
  (void)state;
  char err[256];
  struct lpm_geom g = {34, 4, 5, 64, 16};
  struct lpm_prefix p[2];
  memset(p, 0, sizeof p);
  p[0].len = p[1].len = 10;
  p[0].result = 1;
  p[1].result = 2;
  struct lpm_image im;
  assert_int_equal(lpm_build(&g, p, 2, &im, err, sizeof err), -EINVAL);
  assert_non_null(strstr(err, "duplicate"));
  p[1].len = 11;
  p[1].result = 16;
  assert_int_equal(lpm_build(&g, p, 2, &im, err, sizeof err), -EINVAL);
  g.fanout = 2;
  assert_int_equal(lpm_build(&g, p, 1, &im, err, sizeof err), -EINVAL);
  lpm_image_free(NULL);
}

/* The compiler's label table as LPM trees answers every address in every context as the label
 * TCAM does (random configurations of tests/compiler/gen.c; addresses at every entry's edges). */
static void probe_addr(const struct nsg_tables *t, const struct nsg_label_lpm *l,
                       const struct nsg_ip *a)
{
  static const unsigned ctxs[] = {0, 1, 2, 3, 7, 200, 255};
  for (size_t c = 0; c < sizeof ctxs / sizeof *ctxs; c++) {
    uint32_t want[NSG_TRES_WORDS], got[NSG_TRES_WORDS];
    char err[256];
    nsg_tables_label_tcam_lookup(t, ctxs[c], a, want);
    assert_int_equal(nsg_tables_label_lookup(t, ctxs[c], a, got, err, sizeof err), 0);
    assert_memory_equal(got, want, sizeof want);
    nsg_label_lpm_lookup(l, ctxs[c], a, got);
    assert_memory_equal(got, want, sizeof want);
  }
}

static void test_compiled_labels(void **state)
{
  (void)state;
  struct gen g;
  gen_init(&g, 5);
  char err[512];
  unsigned done = 0;
  for (int round = 0; round < 40; round++) {
    const char *names[3] = {"nsg-a", "nsg-b", "nsg-c"};
    char *js[4];
    for (int i = 0; i < 3; i++) js[i] = gen_nsg_json(&g, names[i], 12);
    js[3] = gen_topology_json(&g, names, 3);
    struct nsg_config *cfg = gen_config(&g, js[3], (const char *const *)js, 3);
    for (int i = 0; i < 4; i++) free(js[i]);
    if (!cfg) continue;
    struct nsg_tables *t = nsg_compile(cfg, NULL, err, sizeof err);
    assert_non_null(t);
    struct nsg_label_lpm l;
    assert_int_equal(nsg_label_lpm_build(t, &l, err, sizeof err), 0);
    for (size_t i = 0; i < t->label.n; i++) {
      const struct nsg_tentry *e = &t->label.e[i];
      if (!e->valid) continue;
      struct nsg_ip a;
      a.fam = NSGNIC_GET(e->val, LABEL_KEY_FAMILY) == NSGNIC_FAMILY_IPV6 ? NSG_AF6 : NSG_AF4;
      nsg_u128 v = 0, care = 0;
      for (unsigned w = 0; w < 4; w++) {
        v |= (nsg_u128)nsgnic_bits_get(e->val, NSGNIC_LABEL_KEY_ADDR_LSB + 32 * w, 32) << (32 * w);
        care |= (nsg_u128)nsgnic_bits_get(e->care, NSGNIC_LABEL_KEY_ADDR_LSB + 32 * w, 32) << (32 * w);
      }
      nsg_u128 top = a.fam == NSG_AF6 ? ~(nsg_u128)0 : (nsg_u128)0xffffffffu;
      nsg_u128 lo = v & care & top, hi = (v | (~care & top)) & top;
      nsg_u128 pts[6] = {lo, hi, lo - 1, hi + 1, lo + (hi - lo) / 2, lo ^ (gen_rnd(&g, 1u << 30) & top & ~care)};
      for (int k = 0; k < 6; k++) {
        a.v = pts[k] & top;
        probe_addr(t, &l, &a);
      }
    }
    for (int k = 0; k < 100; k++) {
      struct nsg_ip a;
      a.fam = gen_rnd(&g, 2) ? NSG_AF6 : NSG_AF4;
      a.v = (nsg_u128)gen_rnd(&g, 1u << 31) << 1 | gen_rnd(&g, 2);
      if (a.fam == NSG_AF6) a.v |= (nsg_u128)gen_rnd(&g, 1u << 31) << 97;
      probe_addr(t, &l, &a);
    }
    nsg_label_lpm_free(&l);
    nsg_tables_free(t);
    nsg_config_free(cfg);
    done++;
  }
  assert_true(done >= 10);
  gen_fini(&g);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_random_v4),   cmocka_unit_test(test_random_v6),
    cmocka_unit_test(test_capacity_v4), cmocka_unit_test(test_capacity_v6),
    cmocka_unit_test(test_errors),      cmocka_unit_test(test_compiled_labels),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

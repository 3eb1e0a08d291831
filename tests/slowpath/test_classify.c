/* SPDX-License-Identifier: Apache-2.0 */
/* Differential tests of the slow-path classifier:
 *  - nsg_bv (the generic engine) against a linear first-match scan on random rule sets of both
 *    address widths (prefixes, ranges, port lists, protocol masks, empty fields);
 *  - nsg_classifier against nsg_verify() (the reference evaluator) on random configurations
 *    (tests/compiler/gen.c: tags, ASGs, augmented rules, IPv4 and IPv6, every protocol,
 *    platform options). Default ~100k packets; NSGNIC_CLS_CONFIGS / NSGNIC_CLS_QUERIES scale it
 *    (the `slow` test runs millions). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "classify.h"
#include "gen.h"

static unsigned env_or(const char *name, unsigned dflt)
{
  const char *s = getenv(name);
  return s ? (unsigned)strtoul(s, NULL, 10) : dflt;
}

static uint64_t rng = 88172645463325252ull;
static uint64_t rnd(void)
{
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return rng;
}

static nsg_u128 rnd_addr(unsigned bits)
{
  nsg_u128 v = ((nsg_u128)rnd() << 64) | rnd();
  /* cluster addresses so that ranges overlap */
  v &= bits == 32 ? (nsg_u128)0xff00ffffu : ~(nsg_u128)0 >> 0;
  if (bits == 128)
    v = ((nsg_u128)0x20010db8u << 96) | (v & (((nsg_u128)1 << 80) - 1)) | ((nsg_u128)(rnd() & 3) << 80);
  return v & (bits == 32 ? (nsg_u128)UINT32_MAX : ~(nsg_u128)0);
}

static void rnd_prefix(unsigned bits, struct nsg_bv_range *r)
{
  unsigned len = (unsigned)(rnd() % (bits + 1));
  if (rnd() % 4 == 0)
    len = 0;
  nsg_u128 a = rnd_addr(bits);
  nsg_u128 host = len >= bits ? 0 : (len == 0 ? (bits == 32 ? (nsg_u128)UINT32_MAX : ~(nsg_u128)0)
                                              : (((nsg_u128)1 << (bits - len)) - 1));
  r->lo = a & ~host;
  r->hi = r->lo | host;
  if (bits == 32)
    r->hi &= UINT32_MAX, r->lo &= UINT32_MAX;
}

static void rnd_ports(struct nsg_bv_range *r)
{
  switch (rnd() % 4) {
  case 0:
    r->lo = 0, r->hi = NSG_BV_NOPORT;
    break;
  case 1:
    r->lo = r->hi = rnd() % 1024;
    break;
  default:
    r->lo = rnd() % 65536;
    r->hi = r->lo + rnd() % (65536 - (unsigned)r->lo);
  }
}

static bool in_any(const struct nsg_bv_range *r, size_t n, nsg_u128 v)
{
  for (size_t i = 0; i < n; i++)
    if (r[i].lo <= v && v <= r[i].hi)
      return true;
  return false;
}

static void engine_vs_linear(unsigned bits)
{
  for (int round = 0; round < 40; round++) {
    size_t n = round == 39 ? 5000 : 1 + rnd() % (round < 30 ? 80 : 700); /* 5000: aggregates of 2 words */
    struct nsg_bv_rule *rules = calloc(n, sizeof *rules);
    struct nsg_bv_range *pool = calloc(n * 16, sizeof *pool);
    for (size_t i = 0; i < n; i++) {
      struct nsg_bv_range *p = pool + i * 16;
      rules[i].nsrc = rnd() % 4, rules[i].ndst = 1 + rnd() % 3;
      rules[i].nsport = 1 + rnd() % 2, rules[i].ndport = 1 + rnd() % 3;
      rules[i].src = p, rules[i].dst = p + 4, rules[i].sport = p + 8, rules[i].dport = p + 12;
      for (size_t k = 0; k < 4; k++) {
        rnd_prefix(bits, &p[k]);
        rnd_prefix(bits, &p[4 + k]);
        rnd_ports(&p[8 + k]);
        rnd_ports(&p[12 + k]);
      }
      unsigned pr = (unsigned)(rnd() % 4);
      rules[i].proto = pr == 0 ? 0 : pr == 1 ? 6 : pr == 2 ? 17 : 1;
      rules[i].proto_mask = pr == 0 ? 0 : 0xff;
    }
    struct nsg_bv *e = nsg_bv_build(bits, rules, n);
    assert_non_null(e);
    assert_int_equal(nsg_bv_rules(e), n);
    enum { NQ = 3000 };
    struct nsg_bv_key4 *k4s = calloc(NQ, sizeof *k4s);
    long *want4 = calloc(NQ, sizeof *want4), *got4 = calloc(NQ, sizeof *got4);
    for (int q = 0; q < NQ; q++) {
      struct nsg_bv_key k;
      const struct nsg_bv_rule *pick = &rules[rnd() % n];
      /* half the packets aimed at a rule's corners */
      k.src = pick->nsrc && rnd() % 2 ? (rnd() % 2 ? pick->src[0].lo : pick->src[0].hi) : rnd_addr(bits);
      k.dst = rnd() % 2 ? (rnd() % 2 ? pick->dst[0].lo : pick->dst[0].hi + (rnd() % 2)) : rnd_addr(bits);
      if (bits == 32)
        k.dst &= UINT32_MAX;
      k.sport = rnd() % 5 == 0 ? NSG_BV_NOPORT : (uint32_t)(rnd() % 2 ? pick->sport[0].lo : rnd() % 65536);
      k.dport = rnd() % 5 == 0 ? NSG_BV_NOPORT : (uint32_t)(rnd() % 2 ? pick->dport[0].hi : rnd() % 65536);
      if (k.sport > NSG_BV_NOPORT)
        k.sport = NSG_BV_NOPORT;
      if (k.dport > NSG_BV_NOPORT)
        k.dport = NSG_BV_NOPORT;
      static const uint8_t protos[] = {6, 17, 1, 58, 50};
      k.proto = protos[rnd() % 5];
      long want = -1;
      for (size_t i = 0; i < n && want < 0; i++) {
        const struct nsg_bv_rule *r = &rules[i];
        if (in_any(r->src, r->nsrc, k.src) && in_any(r->dst, r->ndst, k.dst) && in_any(r->sport, r->nsport, k.sport) &&
            in_any(r->dport, r->ndport, k.dport) && ((k.proto ^ r->proto) & r->proto_mask) == 0)
          want = (long)i;
      }
      long got = nsg_bv_classify(e, &k);
      if (got != want)
        print_message("bits %u round %d rules %zu: got %ld want %ld\n", bits, round, n, got, want);
      assert_int_equal(got, want);
      if (bits == 32) {
        struct nsg_bv_key4 k4 = {(uint32_t)k.src, (uint32_t)k.dst, k.sport, k.dport, k.proto};
        long b;
        nsg_bv_classify4_burst(e, &k4, &b, 1);
        assert_int_equal(b, want);
        k4s[q] = k4;
        want4[q] = want;
      }
    }
    if (bits == 32) { /* the burst path on the whole run (groups in lock step, a partial last group) */
      nsg_bv_classify4_burst(e, k4s, got4, NQ - 7);
      for (int q = 0; q < NQ - 7; q++)
        assert_int_equal(got4[q], want4[q]);
    }
    free(k4s);
    free(want4);
    free(got4);
    nsg_bv_free(e);
    free(rules);
    free(pool);
  }
}

static void bv_ipv4(void **st)
{
  (void)st;
  engine_vs_linear(32);
}

static void bv_ipv6(void **st)
{
  (void)st;
  engine_vs_linear(128);
}

static void bv_empty(void **st)
{
  (void)st;
  struct nsg_bv *e = nsg_bv_build(32, NULL, 0);
  assert_non_null(e);
  struct nsg_bv_key k = {0};
  assert_int_equal(nsg_bv_classify(e, &k), -1);
  nsg_bv_free(e);
  assert_null(nsg_bv_build(64, NULL, 0));
  assert_int_equal(errno, EINVAL);
}

static void verdict_str(char *buf, size_t n, int rc, const struct nsg_verdict *v)
{
  if (rc)
    snprintf(buf, n, "error %d", rc);
  else
    snprintf(buf, n, "%s kind=%d rule=%s nsg=%s reason=%s", v->allow ? "Allow" : "Deny", (int)v->kind, v->rule_name,
             v->nsg_name, v->reason);
}

/* The classifier equals nsg_verify on random configurations and packets, IPv4 and IPv6. */
static void nsg_vs_reference(void **st)
{
  (void)st;
  unsigned nconf = env_or("NSGNIC_CLS_CONFIGS", 70), nq = env_or("NSGNIC_CLS_QUERIES", 1500);
  struct gen g;
  gen_init(&g, env_or("NSGNIC_CLS_SEED", 5));
  unsigned long checked = 0, v6 = 0;
  unsigned used = 0;
  for (unsigned c = 0; c < nconf; c++) {
    static const char *const names[] = {"g0", "g1", "g2"};
    char *js[4];
    for (int i = 0; i < 3; i++)
      js[i] = gen_nsg_json(&g, names[i], c % 10 == 9 ? 60 : 12);
    js[3] = gen_topology_json(&g, names, 3);
    struct nsg_config *cfg = gen_config(&g, js[3], (const char *const *)js, 3);
    if (cfg) {
      char err[512];
      struct nsg_classifier *cl = nsg_classifier_new(cfg, err, sizeof err);
      assert_non_null(cl);
      for (unsigned i = 0; i < nq; i++) {
        struct nsg_query q;
        gen_query(&g, &q);
        struct nsg_verdict a, b;
        char ea[256], eb[256], sa[600], sb[600];
        int ra = nsg_verify(cfg, &q, &a, ea, sizeof ea);
        int rb = nsg_classifier_verify(cl, &q, &b, eb, sizeof eb);
        verdict_str(sa, sizeof sa, ra, &a);
        verdict_str(sb, sizeof sb, rb, &b);
        if (strcmp(sa, sb) != 0) {
          for (size_t k = 0; k < 4; k++)
            print_message("%s\n", js[k]);
          print_message("query nic=%s %s proto=%d local=%s:%u remote=%s:%u\nreference:  %s\nclassifier: %s\n", q.nic,
                        q.dir == NSG_INBOUND ? "in" : "out", q.proto, q.local, q.local_port, q.remote, q.remote_port,
                        sa, sb);
          fail();
        }
        if (q.local && strchr(q.local, ':'))
          v6++;
        checked++;
      }
      used++;
      nsg_classifier_free(cl);
      nsg_config_free(cfg);
    }
    for (int i = 0; i < 4; i++)
      free(js[i]);
  }
  gen_fini(&g);
  print_message("classifier vs reference: %u configurations, %lu packets agreed (%lu IPv6)\n", used, checked, v6);
  assert_true(used > nconf / 3);
  assert_true(v6 > 0);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(bv_ipv4),
      cmocka_unit_test(bv_ipv6),
      cmocka_unit_test(bv_empty),
      cmocka_unit_test(nsg_vs_reference),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

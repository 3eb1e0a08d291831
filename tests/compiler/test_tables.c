/* SPDX-License-Identifier: Apache-2.0 */
/* Differential tests of the compiler: the `tables` engine (compiled tables, bit-exact lookup
 * model) must give the reference evaluator's answer - verdict, deciding rule and NSG, platform
 * reason - for every query, on random configurations (random tags, ASGs, augmented rules,
 * overlapping ranges, both families, random platform options) with random and boundary packets
 * (prefix edges, range ends). Also: image round trip, corrupt images rejected, overflow errors.
 * NSGNIC_COMPILER_CONFIGS / NSGNIC_COMPILER_QUERIES scale the run (the `slow` variant: millions). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gen.h"
#include "nsgnic/compile.h"
#include "tables.h"

static unsigned env_or(const char *name, unsigned dflt)
{
  const char *s = getenv(name);
  return s ? (unsigned)strtoul(s, NULL, 10) : dflt;
}

static void verdict_str(char *buf, size_t n, int rc, const struct nsg_verdict *v)
{
  if (rc)
    snprintf(buf, n, "error %d", rc);
  else
    snprintf(buf, n, "%s kind=%d rule=%s nsg=%s reason=%s", v->allow ? "Allow" : "Deny", (int)v->kind, v->rule_name,
             v->nsg_name, v->reason);
}

/* Compares both engines on `nq` queries; prints the configuration on the first difference. */
static unsigned long compare(struct gen *g, const struct nsg_config *cfg, const struct nsg_tables *t, unsigned nq,
                             const char *what, const char *const *json, size_t njson)
{
  unsigned long n = 0;
  for (unsigned i = 0; i < nq; i++) {
    struct nsg_query q;
    gen_query(g, &q);
    struct nsg_verdict a, b;
    char ea[256], eb[256], sa[600], sb[600];
    int ra = nsg_verify(cfg, &q, &a, ea, sizeof ea);
    int rb = nsg_tables_verify(t, &q, &b, eb, sizeof eb);
    verdict_str(sa, sizeof sa, ra, &a);
    verdict_str(sb, sizeof sb, rb, &b);
    if (strcmp(sa, sb) != 0) {
      for (size_t k = 0; k < njson; k++)
        print_message("%s\n", json[k]);
      print_message("%s: query nic=%s %s proto=%d local=%s:%u remote=%s:%u\nreference: %s\ntables:    %s\n", what,
                    q.nic, q.dir == NSG_INBOUND ? "in" : "out", q.proto, q.local, q.local_port, q.remote,
                    q.remote_port, sa, sb);
      fail();
    }
    n++;
  }
  return n;
}

static void differential(void **state)
{
  (void)state;
  unsigned nconf = env_or("NSGNIC_COMPILER_CONFIGS", 120), nq = env_or("NSGNIC_COMPILER_QUERIES", 1500);
  struct gen g;
  gen_init(&g, env_or("NSGNIC_COMPILER_SEED", 1));
  unsigned long checked = 0;
  unsigned used = 0;
  for (unsigned c = 0; c < nconf; c++) {
    static const char *const names[] = {"g0", "g1", "g2"};
    char *js[4];
    for (int i = 0; i < 3; i++)
      js[i] = gen_nsg_json(&g, names[i], 12);
    js[3] = gen_topology_json(&g, names, 3);
    struct nsg_config *cfg = gen_config(&g, js[3], (const char *const *)js, 3);
    if (cfg) {
      struct nsg_compile_opts o;
      nsg_compile_opts_default(&o);
      unsigned variant = gen_rnd(&g, 4); /* the choices the compiler makes, forced both ways */
      o.no_prefix_labels = variant == 1;
      o.plain_ports = variant == 2;
      o.no_port_classes = variant == 3;
      o.label_ctx = c % 2 == 1; /* every other configuration: per-vport label contexts */
      o.rule_entries = o.label_entries = 0; /* semantics only: big random products may not fit */
      char err[512];
      struct nsg_tables *t = nsg_compile(cfg, &o, err, sizeof err);
      if (!t) {
        print_message("compile failed: %s\n", err);
        for (int i = 0; i < 4; i++)
          print_message("%s\n", js[i]);
        fail();
      }
      checked += compare(&g, cfg, t, nq, o.label_ctx ? "compiled (label contexts)" : "compiled",
                         (const char *const *)js, 4);
      used++;
      nsg_tables_free(t);
      nsg_config_free(cfg);
    }
    for (int i = 0; i < 4; i++)
      free(js[i]);
  }
  gen_fini(&g);
  print_message("tables vs reference: %u configurations, %lu queries agreed\n", used, checked);
  assert_true(used > nconf / 3);
}

static struct nsg_config *one_config(struct gen *g, char *js[4])
{
  static const char *const names[] = {"g0", "g1", "g2"};
  for (;;) {
    for (int i = 0; i < 3; i++)
      js[i] = gen_nsg_json(g, names[i], 12);
    js[3] = gen_topology_json(g, names, 3);
    struct nsg_config *cfg = gen_config(g, js[3], (const char *const *)js, 3);
    if (cfg)
      return cfg;
    for (int i = 0; i < 4; i++)
      free(js[i]);
  }
}

static void image_roundtrip(void **state)
{
  (void)state;
  struct gen g;
  gen_init(&g, 7);
  for (unsigned c = 0; c < 20; c++) {
    char *js[4];
    struct nsg_config *cfg = one_config(&g, js);
    char err[512];
    struct nsg_compile_opts o;
    nsg_compile_opts_default(&o);
    o.label_ctx = c % 2 == 1; /* image version 4 with and without label contexts */
    struct nsg_tables *t = nsg_compile(cfg, &o, err, sizeof err);
    if (!t)
      print_message("compile failed: %s\n", err);
    assert_non_null(t);
    uint8_t *img, *img2;
    size_t len, len2;
    assert_int_equal(nsg_tables_image(t, &img, &len), 0);
    struct nsg_tables *u = nsg_tables_load_image(img, len, err, sizeof err);
    if (!u)
      print_message("load failed: %s\n", err);
    assert_non_null(u);
    assert_int_equal(nsg_tables_image(u, &img2, &len2), 0);
    assert_int_equal(len, len2);
    assert_memory_equal(img, img2, len);
    assert_int_equal(u->label_ctx, o.label_ctx);
    compare(&g, cfg, u, 500, o.label_ctx ? "loaded image (label contexts)" : "loaded image", (const char *const *)js,
            4);
    free(img);
    free(img2);
    nsg_tables_free(u);
    nsg_tables_free(t);
    nsg_config_free(cfg);
    for (int i = 0; i < 4; i++)
      free(js[i]);
  }
  gen_fini(&g);
}

static void image_corrupt(void **state)
{
  (void)state;
  struct gen g;
  gen_init(&g, 11);
  char *js[4];
  struct nsg_config *cfg = one_config(&g, js);
  char err[512];
  struct nsg_tables *t = nsg_compile(cfg, NULL, err, sizeof err);
  assert_non_null(t);
  uint8_t *img;
  size_t len;
  assert_int_equal(nsg_tables_image(t, &img, &len), 0);
  /* every single-byte flip is caught (header checks or the CRC) */
  for (size_t i = 0; i < len; i += 1 + len / 997) {
    img[i] ^= (uint8_t)(1u << (i % 8));
    errno = 0;
    struct nsg_tables *u = nsg_tables_load_image(img, len, err, sizeof err);
    if (u)
      print_message("flip of byte %zu of %zu accepted\n", i, len);
    assert_null(u);
    assert_int_equal(errno, EINVAL);
    assert_non_null(strstr(err, "table image:"));
    img[i] ^= (uint8_t)(1u << (i % 8));
  }
  struct nsg_tables *u = nsg_tables_load_image(img, len - 4, err, sizeof err);
  assert_null(u);
  assert_non_null(strstr(err, "truncated"));
  img[0] ^= 0xff;
  u = nsg_tables_load_image(img, len, err, sizeof err);
  assert_null(u);
  assert_non_null(strstr(err, "bad magic"));
  img[0] ^= 0xff;
  img[6] ^= 0x7; /* ABI major */
  u = nsg_tables_load_image(img, len, err, sizeof err);
  assert_null(u);
  assert_non_null(strstr(err, "ABI major version"));
  img[6] ^= 0x7;
  u = nsg_tables_load_image(img, 10, err, sizeof err);
  assert_null(u);
  u = nsg_tables_load_image(img, len, err, sizeof err);
  assert_non_null(u);
  nsg_tables_free(u);
  free(img);
  nsg_tables_free(t);
  nsg_config_free(cfg);
  for (int i = 0; i < 4; i++)
    free(js[i]);
  gen_fini(&g);
}

static void overflow_is_an_error(void **state)
{
  (void)state;
  struct gen g;
  gen_init(&g, 3);
  char *js[4];
  struct nsg_config *cfg = one_config(&g, js);
  char err[1024];
  struct nsg_tables *t = nsg_compile(cfg, NULL, err, sizeof err);
  assert_non_null(t);
  struct nsg_tables_counts c;
  nsg_tables_counts(t, &c);
  nsg_tables_free(t);
  struct nsg_compile_opts o;
  nsg_compile_opts_default(&o);
  o.rule_entries = (unsigned)c.rule_entries - 3;
  errno = 0;
  assert_null(nsg_compile(cfg, &o, err, sizeof err));
  assert_int_equal(errno, ENOSPC);
  char want[128];
  snprintf(want, sizeof want, "the rule TCAM needs %zu entries but has %u: 3 too many; largest NSGs: '", c.rule_entries,
           o.rule_entries);
  if (!strstr(err, want))
    print_message("got: %s\nwant: %s\n", err, want);
  assert_non_null(strstr(err, want));
  nsg_compile_opts_default(&o);
  o.label_entries = 10;
  assert_null(nsg_compile(cfg, &o, err, sizeof err));
  assert_int_equal(errno, ENOSPC);
  assert_non_null(strstr(err, "address-label TCAM needs"));
  /* the block-RAM label stage (docs/datapath.md, Integration C): the label TCAM's size no longer
   * limits, the trees' capacity does (they hold this table) */
  o.label_lpm = true;
  t = nsg_compile(cfg, &o, err, sizeof err);
  if (!t)
    print_message("label_lpm: %s\n", err);
  assert_non_null(t);
  nsg_tables_counts(t, &c);
  assert_true(c.label_entries > 10);
  assert_non_null(nsg_tables_label_stage(t, err, sizeof err));
  nsg_tables_free(t);
  nsg_config_free(cfg);
  for (int i = 0; i < 4; i++)
    free(js[i]);
  gen_fini(&g);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(differential),
      cmocka_unit_test(image_roundtrip),
      cmocka_unit_test(image_corrupt),
      cmocka_unit_test(overflow_is_an_error),
  };
  return cmocka_run_group_tests_name("compiler", tests, NULL, NULL);
}

/* SPDX-License-Identifier: Apache-2.0 */
/* Robustness of the loader: random byte mutations, truncations and splices of the example
 * deployment must give either a valid configuration or errors - never a crash, a hang or a
 * leak (run under ASan+UBSan in the test suite). NSGNIC_FUZZ_ITERS overrides the count. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"

static char *slurp(const char *path, size_t *n)
{
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  fseek(f, 0, SEEK_END);
  long len = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *b = malloc((size_t)len + 1);
  assert_int_equal(fread(b, 1, (size_t)len, f), (size_t)len);
  b[len] = '\0';
  fclose(f);
  *n = (size_t)len;
  return b;
}

static unsigned long long rng = 0x9E3779B97F4A7C15ull;
static unsigned rnd(unsigned n)
{
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return (unsigned)(rng % n);
}

static void fuzz_loader(void **state)
{
  (void)state;
  static const char *const files[] = {"vnets.json", "nsgs.json", "nics.json", "asgs.json"};
  char *orig[4];
  size_t len[4];
  for (int i = 0; i < 4; i++) {
    char p[512];
    snprintf(p, sizeof p, "%s/examples/three-tier/%s", NSGNIC_SOURCE_DIR, files[i]);
    orig[i] = slurp(p, &len[i]);
  }
  static const char *const tokens[] = {"null", "\"\"", "[]", "{}", "-1", "99999999999", "\"*\"", "\"0.0.0.0/0\"",
                                       "\"::/0\"", "\"10.0.0.0/33\"", "\"65536\"", "\"80-20\"", "true", "1e400"};
  const char *env = getenv("NSGNIC_FUZZ_ITERS");
  unsigned iters = env ? (unsigned)strtoul(env, NULL, 10) : 3000;
  unsigned valid = 0, invalid = 0;
  for (unsigned it = 0; it < iters; it++) {
    int f = (int)rnd(4);
    size_t n = len[f];
    char *b = malloc(n + 64);
    memcpy(b, orig[f], n + 1);
    unsigned muts = 1 + rnd(4);
    for (unsigned m = 0; m < muts; m++) {
      size_t at = rnd((unsigned)n);
      switch (rnd(4)) {
      case 0: /* byte flip */
        b[at] = (char)rnd(256);
        if (!b[at])
          b[at] = '"';
        break;
      case 1: /* truncate */
        b[at] = '\0';
        n = at;
        break;
      case 2: { /* replace a value after a colon by a hostile token */
        char *c = strchr(b + at, ':');
        if (c) {
          const char *t = tokens[rnd(sizeof tokens / sizeof *tokens)];
          char *end = c + 1;
          while (*end && *end != ',' && *end != '}' && *end != ']')
            end++;
          size_t tl = strlen(t), rest = strlen(end);
          if ((size_t)(c + 1 - b) + tl + rest < n + 60) {
            memmove(c + 1 + tl, end, rest + 1);
            memcpy(c + 1, t, tl);
            n = strlen(b);
          }
        }
        break;
      }
      default: /* swap two bytes */
        {
          size_t o = rnd((unsigned)n);
          char t = b[at];
          b[at] = b[o];
          b[o] = t;
        }
      }
      if (n == 0)
        break;
    }
    struct nsg_config *cfg = fx_new();
    char tags[512];
    snprintf(tags, sizeof tags, "%s/examples/three-tier/servicetags.json", NSGNIC_SOURCE_DIR);
    assert_int_equal(nsg_config_load_service_tags(cfg, tags), 0);
    for (int k = 0; k < 4; k++) {
      char name[32];
      snprintf(name, sizeof name, "%s", files[k]);
      nsg_config_load_string(cfg, name, k == f ? b : orig[k]);
    }
    if (nsg_config_finalize(cfg) == 0) {
      valid++;
      /* a configuration that loads must answer */
      struct nsg_query q = {.nic = "nic-web-vm1", .dir = NSG_INBOUND, .proto = 6, .local = "10.10.1.4",
                            .remote = "203.0.114.7", .local_port = 443, .remote_port = 1};
      struct nsg_verdict v;
      char err[256];
      (void)nsg_verify(cfg, &q, &v, err, sizeof err);
      char *e = nsg_effective_json(cfg, "nic-web-vm1", false);
      free(e);
    } else {
      invalid++;
      assert_true(nsg_config_error_count(cfg) > 0);
    }
    nsg_config_free(cfg);
    free(b);
  }
  for (int i = 0; i < 4; i++)
    free(orig[i]);
  print_message("fuzz: %u valid, %u rejected\n", valid, invalid);
  assert_true(invalid > 0);
  assert_true(valid > 0);
}

int main(void)
{
  const struct CMUnitTest tests[] = {cmocka_unit_test(fuzz_loader)};
  return cmocka_run_group_tests_name("fuzz_load", tests, NULL, NULL);
}

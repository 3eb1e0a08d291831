/* SPDX-License-Identifier: Apache-2.0 */
/* The `verify --batch` query parser (hostlib/cli/nsgnic.c: batch_query, source port `*`) on
 * arbitrary JSON lines against the example deployment (examples/three-tier), each query that
 * parses answered by the reference evaluator, the compiled tables and the slow path's
 * classifier. Oracles: no crash or undefined behaviour; the three engines agree (verdict, deciding
 * rule and NSG, or all three refuse the query). The CLI's file is compiled into the harness with
 * its main renamed, so the parser fuzzed is the one the program runs. */
int nsgnic_cli_main(int argc, char **argv);
#define main nsgnic_cli_main
#include "../../hostlib/cli/nsgnic.c"
#undef main

#include "fuzz.h"

static struct nsg_config *cfg;
static const struct engine *eng[3];
static void *state[3];

static void quiet(void *ctx, enum nsg_log_level level, const char *msg)
{
  (void)ctx;
  (void)level;
  (void)msg;
}

static void setup(void)
{
  struct nsg_options o;
  nsg_options_default(&o);
  o.log = quiet;
  cfg = nsg_config_new(&o);
  FUZZ_CHECK(cfg != NULL);
  static const char *const files[] = {"vnets", "asgs", "nsgs", "nics"};
  char path[4096];
  for (size_t i = 0; i < 4; i++) {
    snprintf(path, sizeof path, "%s/%s.json", NSGNIC_FUZZ_EXAMPLE_DIR, files[i]);
    FUZZ_CHECK(nsg_config_load_file(cfg, path) == 0);
  }
  snprintf(path, sizeof path, "%s/servicetags.json", NSGNIC_FUZZ_EXAMPLE_DIR);
  FUZZ_CHECK(nsg_config_load_service_tags(cfg, path) == 0);
  FUZZ_CHECK(nsg_config_finalize(cfg) == 0);
  static const char *const names[] = {"reference", "tables", "slowpath"};
  for (int i = 0; i < 3; i++) {
    eng[i] = find_engine(names[i]);
    FUZZ_CHECK(eng[i] != NULL);
    char err[512];
    if (eng[i]->prepare) {
      state[i] = eng[i]->prepare(cfg, err, sizeof err);
      if (!state[i])
        fprintf(stderr, "%s: %s\n", names[i], err);
      FUZZ_CHECK(state[i] != NULL);
    }
  }
}

static void line(const char *s, size_t n)
{
  json_error_t je;
  json_t *o = json_loadb(s, n, 0, &je);
  if (!o)
    return;
  struct nsg_query q;
  bool any_src;
  char err[512];
  if (batch_query(o, &q, &any_src, err, sizeof err) == 0) {
    struct nsg_verdict v[3];
    memset(v, 0, sizeof v);
    int rc[3];
    for (int i = 0; i < 3; i++) {
      struct nsg_query qi = q;
      rc[i] = any_src ? verify_any_src(eng[i], state[i], cfg, &qi, &v[i], err, sizeof err)
                      : engine_verify(eng[i], state[i], cfg, &qi, &v[i], err, sizeof err);
    }
    for (int i = 1; i < 3; i++) {
      if ((rc[i] == 0) != (rc[0] == 0) ||
          (rc[0] == 0 && (v[i].allow != v[0].allow || strcmp(v[i].rule_name, v[0].rule_name) ||
                          strcmp(v[i].nsg_name, v[0].nsg_name)))) {
        fprintf(stderr, "engines disagree on %.*s: reference rc %d %s %s/%s, %s rc %d %s %s/%s\n", (int)n, s, rc[0],
                rc[0] ? "-" : v[0].allow ? "Allow" : "Deny", v[0].nsg_name, v[0].rule_name, eng[i]->name, rc[i],
                rc[i] ? "-" : v[i].allow ? "Allow" : "Deny", v[i].nsg_name, v[i].rule_name);
        FUZZ_CHECK(0);
      }
    }
  }
  json_decref(o);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (size > 1 << 14)
    return 0;
  if (!cfg)
    setup();
  const char *s = (const char *)data;
  size_t at = 0;
  for (int k = 0; k < 16 && at < size; k++) {
    const char *nl = memchr(s + at, '\n', size - at);
    size_t n = nl ? (size_t)(nl - (s + at)) : size - at;
    line(s + at, n);
    at += n + 1;
  }
  return 0;
}

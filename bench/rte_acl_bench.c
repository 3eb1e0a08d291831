/* SPDX-License-Identifier: Apache-2.0 */
/* DPDK rte_acl on a ClassBench filter set and a trace written by nsgnic-slowpath-bench: the
 * baseline of bench/slowpath.sh. Built by that script only when pkg-config finds libdpdk
 * (Debian dpdk-dev); never part of the product.
 * Usage: rte-acl-bench RULES TRACE -> `rte_acl_<alg>_mpps`, build time, memory, checksum lines. */
#include <arpa/inet.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_acl.h>
#include <rte_eal.h>
#include <rte_vect.h>

struct ipv4_5tuple {
  uint8_t proto;
  uint32_t ip_src;
  uint32_t ip_dst;
  uint16_t port_src;
  uint16_t port_dst;
};

static struct rte_acl_field_def defs[5] = {
    {.type = RTE_ACL_FIELD_TYPE_BITMASK, .size = sizeof(uint8_t), .field_index = 0, .input_index = 0,
     .offset = offsetof(struct ipv4_5tuple, proto)},
    {.type = RTE_ACL_FIELD_TYPE_MASK, .size = sizeof(uint32_t), .field_index = 1, .input_index = 1,
     .offset = offsetof(struct ipv4_5tuple, ip_src)},
    {.type = RTE_ACL_FIELD_TYPE_MASK, .size = sizeof(uint32_t), .field_index = 2, .input_index = 2,
     .offset = offsetof(struct ipv4_5tuple, ip_dst)},
    {.type = RTE_ACL_FIELD_TYPE_RANGE, .size = sizeof(uint16_t), .field_index = 3, .input_index = 3,
     .offset = offsetof(struct ipv4_5tuple, port_src)},
    {.type = RTE_ACL_FIELD_TYPE_RANGE, .size = sizeof(uint16_t), .field_index = 4, .input_index = 3,
     .offset = offsetof(struct ipv4_5tuple, port_dst)},
};
RTE_ACL_RULE_DEF(acl_rule, 5);

static double now_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts); /* CPU time of this thread: time on the core */
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
  if (argc != 3) {
    fprintf(stderr, "usage: rte-acl-bench RULES TRACE\n");
    return 64;
  }
  char *eal[] = {"rte-acl-bench", "--no-huge", "--no-pci", "--no-shconf", "-l", "0", "-m", "2048", "--log-level=lib.acl:debug"};
  if (rte_eal_init((int)(sizeof eal / sizeof *eal), eal) < 0) {
    fprintf(stderr, "rte_eal_init failed\n");
    return 1;
  }
  FILE *f = fopen(argv[1], "r");
  if (!f)
    return 1;
  size_t cap = 1024, n = 0;
  struct acl_rule *rules = malloc(cap * sizeof *rules);
  char line[512];
  while (fgets(line, sizeof line, f)) {
    unsigned a[4], b[4], sl, dl, s0, s1, d0, d1, p, pm;
    if (sscanf(line, "@%u.%u.%u.%u/%u %u.%u.%u.%u/%u %u : %u %u : %u %x/%x", &a[0], &a[1], &a[2], &a[3], &sl, &b[0],
               &b[1], &b[2], &b[3], &dl, &s0, &s1, &d0, &d1, &p, &pm) != 16)
      continue;
    if (n == cap)
      rules = realloc(rules, (cap *= 2) * sizeof *rules);
    struct acl_rule *r = &rules[n];
    memset(r, 0, sizeof *r);
    r->data.category_mask = 1;
    r->data.priority = (int32_t)(RTE_ACL_MAX_PRIORITY - n); /* first rule wins */
    r->data.userdata = (uint32_t)n + 1;
    r->field[0].value.u8 = (uint8_t)p;
    r->field[0].mask_range.u8 = (uint8_t)pm;
    r->field[1].value.u32 = a[0] << 24 | a[1] << 16 | a[2] << 8 | a[3];
    r->field[1].mask_range.u32 = sl;
    r->field[2].value.u32 = b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3];
    r->field[2].mask_range.u32 = dl;
    r->field[3].value.u16 = (uint16_t)s0;
    r->field[3].mask_range.u16 = (uint16_t)s1;
    r->field[4].value.u16 = (uint16_t)d0;
    r->field[4].mask_range.u16 = (uint16_t)d1;
    n++;
  }
  fclose(f);
  f = fopen(argv[2], "r");
  if (!f)
    return 1;
  size_t tcap = 1 << 20, tn = 0;
  struct ipv4_5tuple *pk = malloc(tcap * sizeof *pk);
  unsigned pr, sa, da, sp, dp;
  while (fscanf(f, "%u %u %u %u %u", &pr, &sa, &da, &sp, &dp) == 5) {
    if (tn == tcap)
      pk = realloc(pk, (tcap *= 2) * sizeof *pk);
    pk[tn] = (struct ipv4_5tuple){(uint8_t)pr, htonl(sa), htonl(da), htons((uint16_t)sp), htons((uint16_t)dp)};
    tn++;
  }
  fclose(f);
  const uint8_t **data = malloc(tn * sizeof *data);
  uint32_t *res = malloc(tn * sizeof *res);
  for (size_t i = 0; i < tn; i++)
    data[i] = (const uint8_t *)&pk[i];

  struct rte_acl_param prm = {.name = "bench", .socket_id = SOCKET_ID_ANY, .rule_size = RTE_ACL_RULE_SZ(5),
                              .max_rule_num = (uint32_t)n};
  struct rte_acl_config cfg = {.num_categories = 1, .num_fields = 5};
  memcpy(cfg.defs, defs, sizeof defs);
  struct rte_acl_ctx *ctx = rte_acl_create(&prm);
  if (!ctx || rte_acl_add_rules(ctx, (const struct rte_acl_rule *)rules, (uint32_t)n) < 0) {
    fprintf(stderr, "rte_acl_create/add_rules failed\n");
    return 1;
  }
  double t0 = now_s();
  if (rte_acl_build(ctx, &cfg) != 0) {
    fprintf(stderr, "rte_acl_build failed\n");
    return 1;
  }
  double tb = now_s() - t0;
  printf("rte_acl_build_ms: %.2f ms\n", tb * 1e3);
  /* DPDK logs "memory consumed" for the build (lib.acl at debug level) */
  static const struct {
    enum rte_acl_classify_alg alg;
    const char *name;
  } algs[] = {{RTE_ACL_CLASSIFY_SCALAR, "scalar"}, {RTE_ACL_CLASSIFY_SSE, "sse"}, {RTE_ACL_CLASSIFY_AVX2, "avx2"}};
  double best = 0;
  for (size_t a = 0; a < sizeof algs / sizeof *algs; a++) {
    if (rte_acl_set_ctx_classify(ctx, algs[a].alg) != 0) {
      printf("rte_acl_%s_mpps: n/a\n", algs[a].name);
      continue;
    }
    double bt = 1e9;
    for (int rep = 0; rep < 5; rep++) {
      t0 = now_s();
      for (size_t i = 0; i < tn; i += 64)
        rte_acl_classify(ctx, data + i, res + i, (uint32_t)(tn - i < 64 ? tn - i : 64), 1);
      double t = now_s() - t0;
      if (t < bt)
        bt = t;
    }
    unsigned long long sum = 0;
    for (size_t i = 0; i < tn; i++)
      sum += res[i];
    double mpps = (double)tn / bt / 1e6;
    if (mpps > best)
      best = mpps;
    printf("rte_acl_%s_mpps: %.2f Mpps\n", algs[a].name, mpps);
    printf("rte_acl_%s_checksum: %llu\n", algs[a].name, sum);
  }
  printf("rte_acl_best_mpps: %.2f Mpps\n", best);
  rte_acl_free(ctx);
  rte_eal_cleanup();
  return 0;
}

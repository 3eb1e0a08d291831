/* SPDX-License-Identifier: Apache-2.0 */
/* nsgnic-slowpath-bench: the figures of bench/slowpath.sh.
 *   classify RULES TRACE NPKTS   ClassBench filter set -> nsg_bv engine; writes a trace of NPKTS
 *                                headers generated from the rules (one "proto src dst sport dport"
 *                                line each, the file bench/rte_acl_bench.c reads too) and prints
 *                                build time, memory and single-core classification rate.
 *   conntrack NFLOWS [KEYFILE]   flow inserts + lookups per second with NFLOWS flows, the table
 *                                operations alone (lookup, bulk lookup, insert), and the aging
 *                                sweep cost per flow (simulated time); KEYFILE: the keys and the
 *                                lookup order for bench/rte_hash_bench.c.
 * Output: `name: value unit` lines. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "classify.h"
#include "nsgnic/slowpath.h"

static double now_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts); /* CPU time of this thread: time on the core */
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static uint64_t rng = 0x1234567887654321ull;
static uint64_t rnd(void)
{
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return rng;
}

struct cb_rule {
  uint32_t src, smask, dst, dmask;
  uint16_t sp_lo, sp_hi, dp_lo, dp_hi;
  uint8_t proto, pmask;
  struct nsg_bv_range r[4];
};

static uint32_t mask_of(unsigned len)
{
  return len == 0 ? 0 : (uint32_t)(0xffffffffu << (32 - len));
}

static struct cb_rule *load_rules(const char *path, size_t *n)
{
  FILE *f = fopen(path, "r");
  if (!f) {
    fprintf(stderr, "cannot open %s: %s\n", path, strerror(errno));
    return NULL;
  }
  size_t cap = 1024;
  struct cb_rule *r = malloc(cap * sizeof *r);
  *n = 0;
  char line[512];
  while (fgets(line, sizeof line, f)) {
    unsigned a[4], b[4], sl, dl, s0, s1, d0, d1, p, pm;
    if (sscanf(line, "@%u.%u.%u.%u/%u %u.%u.%u.%u/%u %u : %u %u : %u %x/%x", &a[0], &a[1], &a[2], &a[3], &sl, &b[0],
               &b[1], &b[2], &b[3], &dl, &s0, &s1, &d0, &d1, &p, &pm) != 16)
      continue;
    if (*n == cap)
      r = realloc(r, (cap *= 2) * sizeof *r);
    struct cb_rule *x = &r[(*n)++];
    x->smask = mask_of(sl);
    x->dmask = mask_of(dl);
    x->src = (a[0] << 24 | a[1] << 16 | a[2] << 8 | a[3]) & x->smask;
    x->dst = (b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]) & x->dmask;
    x->sp_lo = (uint16_t)s0, x->sp_hi = (uint16_t)s1, x->dp_lo = (uint16_t)d0, x->dp_hi = (uint16_t)d1;
    x->proto = (uint8_t)p, x->pmask = (uint8_t)pm;
  }
  fclose(f);
  return r;
}

static int cmd_classify(const char *rules_path, const char *trace_path, size_t npkts)
{
  size_t n;
  struct cb_rule *cr = load_rules(rules_path, &n);
  if (!cr || !n)
    return 1;
  struct nsg_bv_rule *br = calloc(n, sizeof *br);
  for (size_t i = 0; i < n; i++) {
    struct cb_rule *x = &cr[i];
    x->r[0] = (struct nsg_bv_range){x->src, x->src | ~x->smask};
    x->r[1] = (struct nsg_bv_range){x->dst, x->dst | ~x->dmask};
    x->r[2] = (struct nsg_bv_range){x->sp_lo, x->sp_hi};
    x->r[3] = (struct nsg_bv_range){x->dp_lo, x->dp_hi};
    br[i] = (struct nsg_bv_rule){&x->r[0], &x->r[1], &x->r[2], &x->r[3], 1, 1, 1, 1, x->proto, x->pmask};
  }
  double best_build = 1e9;
  struct nsg_bv *e = NULL;
  for (int rep = 0; rep < 3; rep++) {
    double t0 = now_s();
    struct nsg_bv *x = nsg_bv_build(32, br, n);
    double t = now_s() - t0;
    if (!x) {
      perror("nsg_bv_build");
      return 1;
    }
    if (t < best_build)
      best_build = t;
    nsg_bv_free(e);
    e = x;
  }
  /* trace: headers drawn from the rules (a random rule, a random point inside it) */
  struct nsg_bv_key4 *k = malloc(npkts * sizeof *k);
  FILE *tf = fopen(trace_path, "w");
  if (!tf) {
    fprintf(stderr, "cannot write %s\n", trace_path);
    return 1;
  }
  static const uint8_t protos[] = {6, 17, 1};
  for (size_t i = 0; i < npkts; i++) {
    const struct cb_rule *x = &cr[rnd() % n];
    k[i].src = x->src | ((uint32_t)rnd() & ~x->smask);
    k[i].dst = x->dst | ((uint32_t)rnd() & ~x->dmask);
    k[i].sport = x->sp_lo + (uint32_t)(rnd() % ((uint32_t)x->sp_hi - x->sp_lo + 1));
    k[i].dport = x->dp_lo + (uint32_t)(rnd() % ((uint32_t)x->dp_hi - x->dp_lo + 1));
    k[i].proto = x->pmask ? x->proto : protos[rnd() % 3];
    fprintf(tf, "%u %u %u %u %u\n", k[i].proto, k[i].src, k[i].dst, k[i].sport, k[i].dport);
  }
  fclose(tf);
  long *out = malloc(npkts * sizeof *out);
  double best = 1e9;
  for (int rep = 0; rep < 5; rep++) {
    double t0 = now_s();
    nsg_bv_classify4_burst(e, k, out, npkts);
    double t = now_s() - t0;
    if (t < best)
      best = t;
  }
  unsigned long long sum = 0, miss = 0;
  for (size_t i = 0; i < npkts; i++) {
    if (out[i] < 0)
      miss++;
    else
      sum += (unsigned long long)out[i] + 1;
  }
  printf("rules: %zu\n", n);
  size_t iv[5], cl[5], x[3];
  nsg_bv_shape(e, iv, cl, x);
  printf("shape: src %zu/%zu dst %zu/%zu sport %zu/%zu dport %zu/%zu proto %zu (intervals/classes); "
         "cross: addresses %zu ports+proto %zu classes; phase 2 %s\n",
         iv[0], cl[0], iv[1], cl[1], iv[2], cl[2], iv[3], cl[3], cl[4], x[0], x[1], x[2] ? "yes" : "no");
  printf("build_ms: %.2f ms\n", best_build * 1e3);
  printf("memory_bytes: %zu bytes\n", nsg_bv_memory(e));
  printf("memory_per_rule: %.1f bytes\n", (double)nsg_bv_memory(e) / (double)n);
  printf("classify_mpps: %.2f Mpps\n", (double)npkts / best / 1e6);
  printf("result_checksum: %llu\n", sum);
  printf("misses: %llu\n", miss);
  nsg_bv_free(e);
  free(out);
  free(k);
  free(br);
  free(cr);
  return 0;
}

/* Keys and lookup order for the rte_hash baseline (bench/rte_hash_bench.c): "NSGK", u64 n, n
 * struct nsg_flow_key (40 bytes, zero padding), n u32 key indices (the random lookup order). */
static int write_keys(const char *path, const struct nsg_flow_key *keys, const uint32_t *order, size_t n)
{
  FILE *f = fopen(path, "wb");
  uint64_t n64 = n;
  if (!f || fwrite("NSGK", 4, 1, f) != 1 || fwrite(&n64, sizeof n64, 1, f) != 1 ||
      fwrite(keys, sizeof *keys, n, f) != n || fwrite(order, sizeof *order, n, f) != n) {
    fprintf(stderr, "cannot write %s\n", path);
    if (f)
      fclose(f);
    return -1;
  }
  return fclose(f) ? -1 : 0;
}

#define PASSES 3
#define BULK 32

static int cmd_conntrack(size_t nflows, const char *keyfile)
{
  struct nsg_ct_opts o;
  nsg_ct_opts_default(&o);
  o.max_flows = nflows;
  o.per_nic_limit = (uint32_t)nflows;
  struct nsg_ct *ct = nsg_ct_new(&o);
  if (!ct)
    return 1;
  struct nsg_flow_key *keys = calloc(nflows, sizeof *keys);
  uint32_t *order = malloc(nflows * sizeof *order);
  long *ids = malloc(BULK * sizeof *ids);
  const struct nsg_flow_key **kp = malloc(nflows * sizeof *kp);
  if (!keys || !order || !ids || !kp)
    return 1;
  for (size_t i = 0; i < nflows; i++) {
    keys[i].fam = 4;
    keys[i].proto = (i & 1) ? 6 : 17;
    keys[i].local[0] = 0x0a000000u | (uint32_t)(rnd() & 0xff);
    keys[i].remote[0] = (uint32_t)rnd();
    keys[i].lport = (uint16_t)rnd();
    keys[i].rport = (uint16_t)(i & 0xffff);
    keys[i].nic = 0;
  }
  for (size_t i = 0; i < nflows; i++)
    order[i] = (uint32_t)(rnd() % nflows);
  for (size_t i = 0; i < nflows; i++)
    kp[i] = &keys[order[i]];
  if (keyfile && write_keys(keyfile, keys, order, nflows) < 0)
    return 1;
  /* warm-up: the table holds every flow once (its memory committed, as in a running slow path;
   * rte_hash's is zeroed at creation), then all of them end */
  size_t created = 0;
  for (size_t i = 0; i < nflows; i++)
    created += nsg_ct_create(ct, &keys[i], true, 0, 0, NSG_FLOW_SW, 0) >= 0;
  nsg_ct_flush(ct, NSG_END_FLUSH);
  /* insert: lookup miss + create + first packet, as the slow path does for a new flow */
  double t0 = now_s();
  created = 0;
  for (size_t i = 0; i < nflows; i++) {
    if (nsg_ct_lookup(ct, &keys[i]) >= 0)
      continue;
    long id = nsg_ct_create(ct, &keys[i], true, 0, 0, NSG_FLOW_SW, i);
    if (id >= 0) {
      nsg_ct_packet(ct, id, true, NSG_TCP_SYN, 60, i);
      created++;
    }
  }
  double t_ins = now_s() - t0;
  /* lookups of existing flows in random order, each with its packet accounting */
  t0 = now_s();
  size_t hits = 0;
  for (size_t i = 0; i < nflows; i++) {
    long id = nsg_ct_lookup(ct, kp[i]);
    if (id >= 0) {
      nsg_ct_packet(ct, id, false, NSG_TCP_ACK, 60, nflows + i);
      hits++;
    }
  }
  double t_look = now_s() - t0;
  /* the table operations alone, as rte_hash measures them (same keys, same order): lookups,
   * bulk lookups (BULK keys per call), creates (a create checks for the key first, like
   * rte_hash_add_key); best of PASSES */
  double best_look = 1e9, best_bulk = 1e9, best_create = 1e9;
  size_t found = 0, found_bulk = 0, made = 0;
  for (int pass = 0; pass < PASSES; pass++) {
    found = 0;
    t0 = now_s();
    for (size_t i = 0; i < nflows; i++)
      found += nsg_ct_lookup(ct, kp[i]) >= 0;
    double t = now_s() - t0;
    best_look = t < best_look ? t : best_look;
    found_bulk = 0;
    t0 = now_s();
    for (size_t i = 0; i < nflows; i += BULK) {
      size_t m = nflows - i < BULK ? nflows - i : BULK;
      nsg_ct_lookup_bulk(ct, &kp[i], m, ids);
      for (size_t j = 0; j < m; j++)
        found_bulk += ids[j] >= 0;
    }
    t = now_s() - t0;
    best_bulk = t < best_bulk ? t : best_bulk;
  }
  /* aging: every flow expires in one sweep */
  t0 = now_s();
  size_t aged = nsg_ct_expire(ct, (uint64_t)1e15, 0);
  double t_age = now_s() - t0;
  for (int pass = 0; pass < PASSES; pass++) {
    nsg_ct_flush(ct, NSG_END_FLUSH);
    made = 0;
    t0 = now_s();
    for (size_t i = 0; i < nflows; i++)
      made += nsg_ct_create(ct, &keys[i], true, 0, 0, NSG_FLOW_SW, i) >= 0;
    double t = now_s() - t0;
    best_create = t < best_create ? t : best_create;
  }
  printf("conntrack_flows: %zu\n", created);
  printf("conntrack_insert_mops: %.2f Mops\n", (double)created / t_ins / 1e6);
  printf("conntrack_lookup_mops: %.2f Mops\n", (double)hits / t_look / 1e6);
  printf("conntrack_mops_1m_flows: %.2f Mops\n", (double)(created + hits) / (t_ins + t_look) / 1e6);
  printf("ct_table_lookup_mops: %.2f Mops\n", (double)nflows / best_look / 1e6);
  printf("ct_table_lookup_bulk_mops: %.2f Mops\n", (double)nflows / best_bulk / 1e6);
  printf("ct_table_insert_mops: %.2f Mops\n", (double)nflows / best_create / 1e6);
  printf("ct_found: %zu %zu %zu\n", found, found_bulk, made);
  printf("aging_ns_per_flow: %.1f ns\n", aged ? t_age * 1e9 / (double)aged : 0.0);
  free(kp);
  free(ids);
  free(order);
  free(keys);
  nsg_ct_free(ct);
  return found == nflows && found_bulk == nflows && made == nflows ? 0 : 1;
}

int main(int argc, char **argv)
{
  if (argc == 5 && strcmp(argv[1], "classify") == 0)
    return cmd_classify(argv[2], argv[3], (size_t)strtoul(argv[4], NULL, 10));
  if ((argc == 3 || argc == 4) && strcmp(argv[1], "conntrack") == 0)
    return cmd_conntrack((size_t)strtoul(argv[2], NULL, 10), argc == 4 ? argv[3] : NULL);
  fprintf(stderr, "usage: nsgnic-slowpath-bench classify RULES TRACE NPKTS | conntrack NFLOWS [KEYFILE]\n");
  return 64;
}

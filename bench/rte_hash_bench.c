/* SPDX-License-Identifier: Apache-2.0 */
/* DPDK rte_hash on the flow keys and lookup order written by `nsgnic-slowpath-bench conntrack N
 * KEYFILE`: the baseline of the connection tracker in bench/slowpath.sh. Built by that script
 * only when pkg-config finds libdpdk (Debian dpdk-dev); never part of the product.
 * The table has the tracker's index geometry at N = 1M (2^18 buckets of 8: entries 2N rounded up
 * to a power of two), the CRC32 hash DPDK recommends (rte_hash_crc), one thread, no locks.
 * Like the tracker's figures: a warm-up (every key added, then the table reset), then best of 3
 * passes of inserts (rte_hash_add_key_data: checks for the key, then adds it), single-key lookups
 * (rte_hash_lookup_data) and bulk lookups of 32 keys (rte_hash_lookup_bulk_data) in the same
 * random order.
 * Usage: rte-hash-bench KEYFILE -> `rte_hash_*_mops` lines and `rte_hash_found`. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_eal.h>
#include <rte_hash.h>
#include <rte_hash_crc.h>

#define KEY_BYTES 40 /* struct nsg_flow_key */
#define PASSES 3
#define BULK 32

static double now_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts); /* CPU time of this thread: time on the core */
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
  if (argc != 2) {
    fprintf(stderr, "usage: rte-hash-bench KEYFILE\n");
    return 64;
  }
  FILE *f = fopen(argv[1], "rb");
  char magic[4];
  uint64_t n = 0;
  if (!f || fread(magic, 4, 1, f) != 1 || memcmp(magic, "NSGK", 4) || fread(&n, sizeof n, 1, f) != 1 || !n ||
      n > (1u << 28)) {
    fprintf(stderr, "rte-hash-bench: %s: not a key file\n", argv[1]);
    return 1;
  }
  uint8_t *keys = malloc(n * KEY_BYTES);
  uint32_t *order = malloc(n * sizeof *order);
  const void **kp = malloc(n * sizeof *kp);
  if (!keys || !order || !kp || fread(keys, KEY_BYTES, n, f) != n || fread(order, sizeof *order, n, f) != n) {
    fprintf(stderr, "rte-hash-bench: %s: truncated\n", argv[1]);
    return 1;
  }
  fclose(f);
  for (uint64_t i = 0; i < n; i++) {
    if (order[i] >= n)
      return 1;
    kp[i] = keys + (size_t)order[i] * KEY_BYTES;
  }
  char *eal[] = {"rte-hash-bench", "--no-huge", "--no-pci", "--no-shconf", "-l", "0", "-m", "2048", "--log-level=8"};
  if (rte_eal_init((int)(sizeof eal / sizeof *eal), eal) < 0) {
    fprintf(stderr, "rte_eal_init failed\n");
    return 1;
  }
  uint32_t entries = 1;
  while (entries < 2 * n)
    entries *= 2;
  struct rte_hash_parameters p = {
      .name = "flows", .entries = entries, .key_len = KEY_BYTES, .hash_func = rte_hash_crc, .hash_func_init_val = 0,
      .socket_id = 0, .extra_flag = 0};
  struct rte_hash *h = rte_hash_create(&p);
  if (!h) {
    fprintf(stderr, "rte_hash_create failed\n");
    return 1;
  }
  for (uint64_t i = 0; i < n; i++) /* warm-up */
    rte_hash_add_key_data(h, keys + i * KEY_BYTES, (void *)(uintptr_t)(i + 1));
  double best_ins = 1e9, best_look = 1e9, best_bulk = 1e9;
  uint64_t added = 0, found = 0, found_bulk = 0;
  for (int pass = 0; pass < PASSES; pass++) {
    rte_hash_reset(h);
    added = 0;
    double t0 = now_s();
    for (uint64_t i = 0; i < n; i++)
      added += rte_hash_add_key_data(h, keys + i * KEY_BYTES, (void *)(uintptr_t)(i + 1)) == 0;
    double t = now_s() - t0;
    best_ins = t < best_ins ? t : best_ins;
  }
  for (int pass = 0; pass < PASSES; pass++) {
    void *data;
    found = 0;
    double t0 = now_s();
    for (uint64_t i = 0; i < n; i++)
      found += rte_hash_lookup_data(h, kp[i], &data) >= 0;
    double t = now_s() - t0;
    best_look = t < best_look ? t : best_look;
    void *d[BULK];
    found_bulk = 0;
    t0 = now_s();
    for (uint64_t i = 0; i < n; i += BULK) {
      uint32_t m = (uint32_t)(n - i < BULK ? n - i : BULK);
      uint64_t hit = 0;
      found_bulk += (uint64_t)rte_hash_lookup_bulk_data(h, &kp[i], m, &hit, d);
    }
    t = now_s() - t0;
    best_bulk = t < best_bulk ? t : best_bulk;
  }
  printf("rte_hash_insert_mops: %.2f Mops\n", (double)n / best_ins / 1e6);
  printf("rte_hash_lookup_mops: %.2f Mops\n", (double)n / best_look / 1e6);
  printf("rte_hash_lookup_bulk_mops: %.2f Mops\n", (double)n / best_bulk / 1e6);
  printf("rte_hash_found: %llu %llu %llu\n", (unsigned long long)found, (unsigned long long)found_bulk,
         (unsigned long long)added);
  rte_hash_free(h);
  rte_eal_cleanup();
  return found == n && found_bulk == n && added == n ? 0 : 1;
}

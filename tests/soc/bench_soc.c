/* SPDX-License-Identifier: Apache-2.0 */
/* Figures of the co-simulated NIC for bench/e2e.sh (`name: value unit` lines):
 *  soc_sim_cycles_per_sec   Verilated SoC clock cycles per wall second (firmware idling in its
 *                           main loop, datapath idle); _per_cpu_sec: per second of this
 *                           process's CPU time (what the model costs, whatever the load)
 *  soc_boot_cycles          reset to FW_MAGIC (load through FW_LOAD excluded), self-test included
 *  mailbox_rtt_cycles       ECHO (no payload): doorbell write to the completion index seen by
 *                           the host, mean of 200, BAR polled every few cycles
 *  load_1000_rules_cycles   1,000 rule-TCAM entries written through the mailbox (TCAM_WRITE into
 *                           the inactive bank) + COMMIT (slots modulo the device's rule entries):
 *                           the cost of the mailbox + firmware + datapath write
 *  example_load_cycles      the three-tier example loaded by the device layer (558 writes)
 *  e2e_pkts_per_sec         frames through nsg_simnic_frame one at a time (what `run --sim`
 *                           does: host parse, port, datapath, verdict), example config, learning on
 *  e2e_batch_pkts_per_sec   the same frames queued 1,000 at a time (datapath pipelined);
 *                           e2e_batch_pkts_per_cpu_sec: per CPU second
 *  e2e_pkts_per_kcycle      datapath frames per 1,000 device cycles in the batch run
 * The device is the default one (NSGNIC_SIM_DEVICE, else the realistic device the product runs). */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nsgnic/abi.h"
#include "nsgnic/driver.h"
#include "nsgnic/nsgnic.h"
#include "nsgnic/simnic.h"
#include "nsgnic_soc.h"
#include "soc_example.h"

/* This process's CPU time: the figures per CPU second do not depend on the machine's load. */
static double cpu_s(void)
{
  struct timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static double now_s(void)
{
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static uint32_t rd(struct nsgnic_soc *s, uint32_t off)
{
  uint32_t v = 0;
  if (nsgnic_soc_bar_read32(s, off, &v)) {
    fprintf(stderr, "bench_soc: BAR read timed out\n");
    exit(1);
  }
  return v;
}

static void wr(struct nsgnic_soc *s, uint32_t off, uint32_t v)
{
  if (nsgnic_soc_bar_write32(s, off, v)) {
    fprintf(stderr, "bench_soc: BAR write timed out\n");
    exit(1);
  }
}

/* Posts one command and returns the cycles until its completion index is seen; status out. */
static uint64_t command(struct nsgnic_soc *s, uint32_t *head, uint32_t op, const uint32_t *p, unsigned n,
                        uint32_t *status)
{
  uint32_t slot = NSGNIC_CMD_RING_OFFSET + (*head % NSGNIC_CMD_RING_SLOTS) * NSGNIC_SLOT_BYTES;
  uint32_t hdr = 0;
  NSGNIC_PUT(&hdr, CMD_HDR_OPCODE, op);
  NSGNIC_PUT(&hdr, CMD_HDR_VERSION, NSGNIC_MBOX_VERSION);
  NSGNIC_PUT(&hdr, CMD_HDR_LEN, n);
  wr(s, slot, hdr);
  wr(s, slot + 4, *head);
  for (unsigned i = 0; i < n; i++)
    wr(s, slot + 8 + 4 * i, p[i]);
  uint32_t tail = rd(s, NSGNIC_HOSTREG_CPL_HEAD);
  (*head)++;
  wr(s, NSGNIC_HOSTREG_CMD_HEAD, *head);
  uint64_t c0 = nsgnic_soc_cycles(s);
  wr(s, NSGNIC_HOSTREG_CMD_DOORBELL, 1);
  for (int k = 0; k < 1000000 && rd(s, NSGNIC_HOSTREG_CPL_HEAD) == tail; k++)
    ;
  uint64_t dt = nsgnic_soc_cycles(s) - c0;
  uint32_t cslot = NSGNIC_CPL_RING_OFFSET + (tail % NSGNIC_CPL_RING_SLOTS) * NSGNIC_SLOT_BYTES;
  uint32_t ch = rd(s, cslot);
  *status = (uint32_t)NSGNIC_GET(&ch, CPL_HDR_STATUS);
  wr(s, NSGNIC_HOSTREG_CPL_TAIL, tail + 1);
  return dt;
}

/* Internet client -> web:443 (allowed), a new source port every `flows` frames. */
static size_t web_frame(uint8_t *f, unsigned i)
{
  static const uint8_t hdr[] = {0x00, 0x0d, 0x3a, 0x0a, 0x01, 0x04, 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0x08, 0x00,
                                0x45, 0, 0, 40, 0, 0, 0, 0, 64, 6, 0, 0, 203, 0, 114, 7, 10, 10, 1, 4};
  memset(f, 0, 64);
  memcpy(f, hdr, sizeof hdr);
  uint8_t *l4 = f + 34;
  unsigned sport = 40000 + i % 64;
  l4[0] = (uint8_t)(sport >> 8), l4[1] = (uint8_t)sport;
  l4[2] = 443 >> 8, l4[3] = 443 & 0xff;
  l4[12] = 5 << 4;
  l4[13] = i < 64 ? 0x02 : 0x10; /* SYN first, then ACKs of the 64 flows */
  return 60;
}

int main(int argc, char **argv)
{
  if (argc != 3) {
    fprintf(stderr, "usage: bench_soc FIRMWARE.elf EXAMPLE_DIR\n");
    return 2;
  }
  char err[512] = "";
  struct nsgnic_soc_opts o = {.firmware = argv[1]};
  struct nsgnic_soc *s = nsgnic_soc_create(&o, err, sizeof err);
  if (!s) {
    fprintf(stderr, "bench_soc: %s\n", err);
    return 1;
  }
  /* boot alone: restart the loaded firmware */
  uint64_t c0 = nsgnic_soc_cycles(s);
  if (nsgnic_soc_start(s, 5000000)) {
    fprintf(stderr, "bench_soc: reboot failed\n");
    return 1;
  }
  printf("soc_boot_cycles: %llu cycles\n", (unsigned long long)(nsgnic_soc_cycles(s) - c0));

  double t0 = now_s(), u0 = cpu_s();
  nsgnic_soc_step(s, 200000);
  printf("soc_sim_cycles_per_sec: %.0f cycles/s\n", 200000 / (now_s() - t0));
  printf("soc_sim_cycles_per_cpu_sec: %.0f cycles/s\n", 200000 / (cpu_s() - u0));

  uint32_t head = 0, st;
  uint64_t sum = 0;
  for (int i = 0; i < 200; i++) {
    sum += command(s, &head, NSGNIC_CMD_ECHO, NULL, 0, &st);
    if (st != NSGNIC_STATUS_OK) {
      fprintf(stderr, "bench_soc: ECHO status %u\n", st);
      return 1;
    }
  }
  printf("mailbox_rtt_cycles: %.0f cycles\n", (double)sum / 200);

  /* 1,000 rule entries into the inactive bank (bank 1: the datapath looks up bank 0), commit */
  struct nsgnic_soc_params sp;
  nsgnic_soc_params(&sp);
  c0 = nsgnic_soc_cycles(s);
  for (unsigned i = 0; i < 1000; i++) {
    uint32_t p[21] = {0};
    NSGNIC_PUT(p, P_TCAM_TABLE, NSGNIC_TABLE_RULE);
    NSGNIC_PUT(p, P_TCAM_FLAGS, 1u << NSGNIC_TCAM_FLAG_VALID);
    NSGNIC_PUT(p, P_TCAM_INDEX, i % sp.rule_entries);
    uint32_t *key = p + NSGNIC_P_TCAM_KEY_LSB / 32, *mask = p + NSGNIC_P_TCAM_MASK_LSB / 32;
    uint32_t *res = p + NSGNIC_P_TCAM_RESULT_LSB / 32;
    NSGNIC_PUT(key, RULE_KEY_BANK, 1);
    NSGNIC_PUT(mask, RULE_KEY_BANK, 1);
    NSGNIC_PUT(key, RULE_KEY_DST_PORT, i);
    NSGNIC_PUT(mask, RULE_KEY_DST_PORT, 0xffff);
    NSGNIC_PUT(res, RESULT_ACTION, NSGNIC_ACTION_ALLOW);
    NSGNIC_PUT(res, RESULT_RULE_ID, i);
    command(s, &head, NSGNIC_CMD_TCAM_WRITE, p, 21, &st);
    if (st != NSGNIC_STATUS_OK) {
      fprintf(stderr, "bench_soc: TCAM_WRITE %u status %u\n", i, st);
      return 1;
    }
  }
  uint32_t cm[2] = {0, 1};
  command(s, &head, NSGNIC_CMD_COMMIT, cm, 2, &st);
  if (st != NSGNIC_STATUS_OK) {
    fprintf(stderr, "bench_soc: COMMIT status %u\n", st);
    return 1;
  }
  printf("load_1000_rules_cycles: %llu cycles\n", (unsigned long long)(nsgnic_soc_cycles(s) - c0));
  nsgnic_soc_destroy(s);

  /* end to end on the example */
  struct nsg_config *cfg = soc_example_config(argv[2]);
  if (!cfg) {
    fprintf(stderr, "bench_soc: cannot load the example from %s\n", argv[2]);
    return 1;
  }
  struct nsg_simnic_opts no;
  nsg_simnic_opts_default(&no);
  no.firmware = argv[1];
  no.learn = true;
  struct nsg_simnic *n = nsg_simnic_new(cfg, &no, err, sizeof err);
  if (!n) {
    fprintf(stderr, "bench_soc: %s\n", err);
    return 1;
  }
  struct nsg_simnic_stats ns;
  nsg_simnic_get_stats(n, &ns);
  printf("example_load_cycles: %llu cycles\n", (unsigned long long)ns.load_cycles);
  enum { N = 2000 };
  uint8_t f[64];
  t0 = now_s();
  for (unsigned i = 0; i < N; i++) {
    struct nsg_simnic_frame r;
    size_t len = web_frame(f, i);
    if (nsg_simnic_frame(n, f, len, &r, err, sizeof err) || r.fate != NSG_SIMNIC_ALLOWED) {
      fprintf(stderr, "bench_soc: frame %u not allowed (%s)\n", i, err);
      return 1;
    }
  }
  printf("e2e_pkts_per_sec: %.0f pkts/s\n", N / (now_s() - t0));

  /* batch: the same device, frames queued 1,000 at a time on the wire port of the web NIC's
   * VNet context (found by trying the contexts until the first frame is allowed) */
  s = nsgnic_dev_sim_soc(nsg_simnic_dev(n));
  uint16_t port = 0;
  bool found = false;
  for (unsigned ctx = 0; ctx < 8 && !found; ctx++) {
    struct nsgnic_soc_result r;
    size_t len = web_frame(f, 100);
    if (nsgnic_soc_send(s, nsgnic_soc_port(false, ctx), f, len, NULL) || nsgnic_soc_drain(s, 100000) ||
        nsgnic_soc_recv(s, &r) != 1)
      return 1;
    if (getenv("BENCH_SOC_DEBUG"))
      fprintf(stderr, "ctx %u: action %u reason %u\n", ctx, r.action, r.reason);
    if (r.action == NSGNIC_ACTION_ALLOW) {
      port = nsgnic_soc_port(false, ctx);
      found = true;
    }
  }
  if (!found) {
    fprintf(stderr, "bench_soc: no wire context reaches nic-web-vm1\n");
    return 1;
  }
  t0 = now_s();
  double u1 = cpu_s();
  c0 = nsgnic_soc_cycles(s);
  uint64_t allowed = 0;
  for (unsigned i = 0; i < N; i++) {
    size_t len = web_frame(f, 64 + i);
    if (nsgnic_soc_send(s, port, f, len, NULL))
      return 1;
    if ((i + 1) % 1000 == 0) {
      if (nsgnic_soc_drain(s, 1000000))
        return 1;
      struct nsgnic_soc_result r;
      while (nsgnic_soc_recv(s, &r) == 1)
        allowed += r.action == NSGNIC_ACTION_ALLOW;
    }
  }
  double dt = now_s() - t0, du = cpu_s() - u1;
  uint64_t dc = nsgnic_soc_cycles(s) - c0;
  if (allowed != N) {
    fprintf(stderr, "bench_soc: batch: %llu of %d allowed\n", (unsigned long long)allowed, N);
    return 1;
  }
  printf("e2e_batch_pkts_per_sec: %.0f pkts/s\n", N / dt);
  printf("e2e_batch_pkts_per_cpu_sec: %.0f pkts/s\n", N / du);
  printf("e2e_pkts_per_kcycle: %.1f pkts/kcycle\n", 1000.0 * N / (double)dc);
  nsg_simnic_free(n);
  nsg_config_free(cfg);
  return 0;
}

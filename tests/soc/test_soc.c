/* SPDX-License-Identifier: Apache-2.0 */
/* The whole simulated NIC (hdl/rtl/nsgnic_top.sv) with the real firmware (nsgnic-fw.elf):
 * boot and self-test, hardware/firmware identity, the mailbox through the driver's sim backend,
 * the example deployment loaded through the mailbox, then packets through the datapath whose
 * verdicts must be the reference evaluator's (both directions, every NIC), and determinism. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "nsgnic/abi.h"
#include "nsgnic/device.h"
#include "nsgnic/driver.h"
#include "nsgnic/nsgnic.h"
#include "nsgnic/simnic.h"
#include "nsgnic_soc.h"

static const char *const ex_files[] = {"vnets.json", "asgs.json", "nsgs.json", "nics.json"};

static struct nsg_config *three_tier(void)
{
  struct nsg_options opts;
  nsg_options_default(&opts);
  struct nsg_config *cfg = nsg_config_new(&opts);
  assert_non_null(cfg);
  char path[1024];
  for (size_t i = 0; i < sizeof ex_files / sizeof ex_files[0]; i++) {
    snprintf(path, sizeof path, "%s/three-tier/%s", NSGNIC_EXAMPLES, ex_files[i]);
    assert_int_equal(nsg_config_load_file(cfg, path), 0);
  }
  snprintf(path, sizeof path, "%s/three-tier/servicetags.json", NSGNIC_EXAMPLES);
  assert_int_equal(nsg_config_load_service_tags(cfg, path), 0);
  assert_int_equal(nsg_config_finalize(cfg), 0);
  return cfg;
}

static uint32_t rd(struct nsgnic_soc *s, uint32_t off)
{
  uint32_t v = 0;
  assert_int_equal(nsgnic_soc_bar_read32(s, off, &v), 0);
  return v;
}

/* Boot, self-test, identity, heartbeat, FW_LOAD refused while the CPU runs. */
static void test_boot(void **state)
{
  (void)state;
  char err[256] = "";
  struct nsgnic_soc_opts o = {.firmware = NSGNIC_FW_ELF};
  struct nsgnic_soc *s = nsgnic_soc_create(&o, err, sizeof err);
  if (!s)
    fail_msg("create: %s", err);
  assert_int_equal(rd(s, NSGNIC_HOSTREG_MAGIC), NSGNIC_HOST_MAGIC);
  assert_int_equal(rd(s, NSGNIC_HOSTREG_HW_VERSION) >> 16, NSGNIC_ABI_VERSION_MAJOR);
  assert_int_equal(rd(s, NSGNIC_HOSTREG_WINDOW_BYTES), NSGNIC_HOSTWIN_BYTES);
  assert_true(rd(s, NSGNIC_HOSTREG_HW_CAPS) & (1u << NSGNIC_CAP_BANKED_COMMIT));
  assert_int_equal(rd(s, NSGNIC_HOSTREG_FW_MAGIC), NSGNIC_HOST_MAGIC);
  assert_int_equal(rd(s, NSGNIC_HOSTREG_FW_VERSION) >> 16, NSGNIC_ABI_VERSION_MAJOR);
  assert_int_equal(rd(s, NSGNIC_HOSTREG_FW_STATE), NSGNIC_FW_STATE_READY);
  assert_int_equal(rd(s, NSGNIC_HOSTREG_SELFTEST), 0);
  assert_int_equal(rd(s, NSGNIC_HOSTREG_CMD_BASE), NSGNIC_CMD_RING_OFFSET);
  assert_int_equal(nsgnic_soc_tohost(s), 0); /* no trap */
  uint32_t hb = rd(s, NSGNIC_HOSTREG_HEARTBEAT);
  nsgnic_soc_step(s, 5 * NSGNIC_HEARTBEAT_TICKS);
  assert_true(rd(s, NSGNIC_HOSTREG_HEARTBEAT) - hb >= 3);
  /* FW_LOAD_DATA while the CPU runs: read 0, write ignored, address not advanced */
  assert_int_equal(nsgnic_soc_bar_write32(s, NSGNIC_HOSTREG_FW_LOAD_ADDR, 0x80000000u), 0);
  assert_int_equal(rd(s, NSGNIC_HOSTREG_FW_LOAD_DATA), 0);
  assert_int_equal(rd(s, NSGNIC_HOSTREG_FW_LOAD_ADDR), 0x80000000u);
  /* window RAM written by the host reads back; beyond the window the AXI4-Lite port answers
   * DECERR (-EIO) to reads and writes, and the window is untouched */
  assert_int_equal(nsgnic_soc_bar_write32(s, NSGNIC_CMD_RING_OFFSET + 4, 0x12345678u), 0);
  assert_int_equal(rd(s, NSGNIC_CMD_RING_OFFSET + 4), 0x12345678u);
  uint32_t v = 1;
  assert_int_equal(nsgnic_soc_bar_read32(s, NSGNIC_HOSTWIN_BYTES + 16, &v), -EIO);
  assert_int_equal(nsgnic_soc_bar_write32(s, NSGNIC_HOSTWIN_BYTES + 16, 0xdeadbeefu), -EIO);
  assert_int_equal(nsgnic_soc_bar_write32(s, 0xfffffffcu, 0xdeadbeefu), -EIO);
  assert_int_equal(rd(s, NSGNIC_CMD_RING_OFFSET + 4), 0x12345678u);
  assert_int_equal(rd(s, NSGNIC_HOSTREG_MAGIC), NSGNIC_HOST_MAGIC);
  assert_int_equal(nsgnic_soc_bar_read32(s, 2, NULL), -EINVAL);
  /* IRQ_STATUS is RW1C */
  assert_int_equal(nsgnic_soc_bar_write32(s, NSGNIC_HOSTREG_IRQ_STATUS, 3), 0);
  assert_int_equal(rd(s, NSGNIC_HOSTREG_IRQ_STATUS), 0);
  nsgnic_soc_destroy(s);

  /* a missing image fails cleanly */
  o.firmware = "/nonexistent.elf";
  assert_null(nsgnic_soc_create(&o, err, sizeof err));
  assert_int_equal(errno, ENOENT);
}

/* The mailbox through the driver: echo, capabilities match the model's sizes. */
static void test_mailbox(void **state)
{
  (void)state;
  struct nsgnic_dev_opts o;
  nsgnic_dev_opts_default(&o);
  o.timeout_ms = 30000;
  struct nsgnic_dev *d = nsgnic_dev_open("sim", &o);
  assert_non_null(d);
  assert_non_null(nsgnic_dev_sim_soc(d));
  assert_int_equal(nsgnic_dev_attach(d), 0);
  uint32_t req[30], resp[30];
  unsigned rlen;
  uint32_t status;
  for (unsigned i = 0; i < 30; i++)
    req[i] = 0x1000u * i + 7;
  for (int k = 0; k < 40; k++) { /* rings wrap */
    assert_int_equal(nsgnic_dev_cmd(d, NSGNIC_CMD_ECHO, req, 30, resp, 30, &rlen, &status), 0);
    assert_int_equal(rlen, 30);
    assert_memory_equal(req, resp, sizeof req);
  }
  struct nsg_device_caps c;
  char err[256];
  assert_int_equal(nsg_device_caps(d, &c, err, sizeof err), 0);
  struct nsgnic_soc_params p;
  nsgnic_soc_params(&p);
  assert_int_equal(c.rule_entries, p.rule_entries);
  assert_int_equal(c.label_entries, p.label_entries);
  assert_int_equal(c.vports, p.vports);
  assert_int_equal(c.flow_entries, 2 * p.flow_buckets * p.flow_ways);
  assert_int_equal(c.abi_version >> 16, NSGNIC_ABI_VERSION_MAJOR);
  assert_int_equal(c.table_version, 0);
  /* an unknown opcode is refused, the mailbox goes on */
  assert_int_equal(nsgnic_dev_cmd(d, 200, NULL, 0, resp, 30, &rlen, &status), -EREMOTEIO);
  assert_int_equal(status, NSGNIC_STATUS_BAD_OPCODE);
  nsgnic_dev_close(d);
}

struct q {
  const char *nic, *local, *remote;
  int proto;
  uint16_t lport, rport;
};

/* Queries of the example: every NIC, both directions, a few protocols and ports. */
static const char *const nics[][2] = {
  {"nic-web-vm1", "10.10.1.4"}, {"nic-app-vm1", "10.10.2.4"}, {"nic-db-vm1", "10.10.3.4"},
};
static const char *const remotes[] = {"203.0.114.7", "10.10.1.4", "10.10.2.4", "10.10.3.4",
                                      "10.0.1.10", "168.63.129.16", "8.8.8.8"};
static const uint16_t ports[] = {22, 80, 443, 1433, 3389, 8080, 11000, 25};
static const int protos[] = {6, 17, 1};

static void check(struct nsg_simnic *n, const struct nsg_config *cfg, const struct nsg_query *q, size_t *agree)
{
  struct nsg_verdict a, b;
  char e1[256] = "", e2[256] = "";
  int r1 = nsg_verify(cfg, q, &a, e1, sizeof e1);
  int r2 = nsg_simnic_verify(n, q, &b, e2, sizeof e2);
  if (r1 != r2)
    fail_msg("%s %s %d %s:%u %s:%u: reference rc %d (%s), sim rc %d (%s)", q->nic,
             q->dir == NSG_INBOUND ? "in" : "out", q->proto, q->local, q->local_port, q->remote,
             q->remote_port, r1, e1, r2, e2);
  if (r1)
    return;
  if (a.allow != b.allow || a.kind != b.kind || strcmp(a.rule_name, b.rule_name) || strcmp(a.nsg_name, b.nsg_name))
    fail_msg("%s %s proto %d %s:%u <-> %s:%u: reference %s %s/%s, sim %s %s/%s", q->nic,
             q->dir == NSG_INBOUND ? "inbound" : "outbound", q->proto, q->local, q->local_port, q->remote,
             q->remote_port, a.allow ? "Allow" : "Deny", a.nsg_name, a.rule_name, b.allow ? "Allow" : "Deny",
             b.nsg_name, b.rule_name);
  (*agree)++;
}

/* The example deployment loaded through the mailbox; datapath verdicts = reference verdicts. */
static void test_three_tier(void **state)
{
  (void)state;
  struct nsg_config *cfg = three_tier();
  struct nsg_simnic_opts o;
  nsg_simnic_opts_default(&o);
  char err[512] = "";
  struct nsg_simnic *n = nsg_simnic_new(cfg, &o, err, sizeof err);
  if (!n)
    fail_msg("simnic: %s", err);
  struct nsg_simnic_stats st;
  nsg_simnic_get_stats(n, &st);
  assert_true(st.tcam_writes > 200);
  assert_int_equal(st.bind_writes, 4);
  size_t agree = 0;
  for (size_t i = 0; i < sizeof nics / sizeof nics[0]; i++)
    for (int dir = 0; dir < 2; dir++)
      for (size_t r = 0; r < sizeof remotes / sizeof remotes[0]; r++)
        for (size_t p = 0; p < sizeof ports / sizeof ports[0]; p++)
          for (size_t k = 0; k < sizeof protos / sizeof protos[0]; k++) {
            if (protos[k] != 6 && p > 1)
              continue;
            struct nsg_query q = {.nic = nics[i][0], .dir = dir ? NSG_OUTBOUND : NSG_INBOUND,
                                  .proto = protos[k], .local = nics[i][1], .remote = remotes[r],
                                  .local_port = dir ? 40000 : ports[p], .remote_port = dir ? ports[p] : 40000};
            check(n, cfg, &q, &agree);
          }
  /* a query the reference refuses is refused the same way */
  struct nsg_query bad = {.nic = "nic-web-vm1", .dir = NSG_INBOUND, .proto = 6, .local = "10.9.9.9",
                          .remote = "1.2.3.4", .local_port = 1, .remote_port = 2};
  check(n, cfg, &bad, &agree);
  nsg_simnic_get_stats(n, &st);
  print_message("three-tier: %zu verdicts agree; load %llu cycles, %zu TCAM writes; frames %llu "
                "(allowed %llu, denied %llu, punted %llu), learned %llu\n", agree,
                (unsigned long long)st.load_cycles, st.tcam_writes, (unsigned long long)st.frames,
                (unsigned long long)st.allowed, (unsigned long long)st.denied,
                (unsigned long long)st.punted, (unsigned long long)st.learned);
  assert_int_equal(st.learned, 0); /* verify runs with CTRL.LEARN_OFF */
  assert_true(st.allowed > 0 && st.denied > 0);
  nsg_simnic_free(n);
  nsg_config_free(cfg);
}

/* Same inputs, same cycle counts. */
static void test_deterministic(void **state)
{
  (void)state;
  uint64_t cyc[2];
  uint32_t hb[2];
  for (int run = 0; run < 2; run++) {
    char err[256];
    struct nsgnic_soc_opts o = {.firmware = NSGNIC_FW_ELF};
    struct nsgnic_soc *s = nsgnic_soc_create(&o, err, sizeof err);
    assert_non_null(s);
    nsgnic_soc_step(s, 12345);
    uint8_t f[60] = {0};
    assert_int_equal(nsgnic_soc_send(s, nsgnic_soc_port(true, 0), f, sizeof f, NULL), 0);
    assert_int_equal(nsgnic_soc_drain(s, 10000), 0);
    struct nsgnic_soc_result r;
    assert_int_equal(nsgnic_soc_recv(s, &r), 1);
    assert_int_not_equal(r.action, NSGNIC_ACTION_ALLOW); /* no binding: never allowed */
    hb[run] = rd(s, NSGNIC_HOSTREG_HEARTBEAT);
    cyc[run] = nsgnic_soc_cycles(s);
    nsgnic_soc_destroy(s);
  }
  assert_int_equal(cyc[0], cyc[1]);
  assert_int_equal(hb[0], hb[1]);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_boot),
    cmocka_unit_test(test_mailbox),
    cmocka_unit_test(test_three_tier),
    cmocka_unit_test(test_deterministic),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

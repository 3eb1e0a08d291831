/* SPDX-License-Identifier: Apache-2.0 */
/* Faults on the co-simulated NIC (nsgnic_top + the real firmware + the host library), one test
 * per fault class (docs/firmware.md "Faults"); each fails closed: an error naming the command
 * and the stage, or the documented safe verdict, never an allow of what the rules deny and
 * never a half-applied rule set. Run one class with its name as the argument.
 *  - device_stops_mid_load: the firmware stops answering (CPU held in reset: the sim's
 *    nsgnic_soc_fault_hold_cpu) in the middle of an update, an initial load and its bank
 *    switch: the host times out naming the command and the stage; traffic sees the old complete
 *    rules, or nothing bound (every packet dropped), never a mix (S2 verdicts of both rule sets).
 *  - restart: the firmware stops, traffic flows on while its CPU is held, the firmware is
 *    restarted alone (no soft reset) and keeps the active bank; then the host process restarts
 *    (a new attach, flows re-read from the device): no packet of an established connection (S5)
 *    is dropped and every packet is accounted for in the datapath's counters.
 *  - event_ring_full, exception_storm, table_full: see each test. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "nsgnic/abi.h"
#include "nsgnic/device.h"
#include "nsgnic/driver.h"
#include "nsgnic/simnic.h"
#include "nsgnic/slowpath.h"
#include "nsgnic_soc.h"
#include "soc_frames.h"

static const uint8_t vm[4] = {10, 0, 1, 4}, client[4] = {1, 2, 3, 4}, server[4] = {93, 184, 216, 34};
static const uint8_t client2[4] = {5, 6, 7, 8};

#define ALLOW_IN(name, prio, port) RULE(name, prio, "Inbound", "Allow", "Tcp", "Internet", "*", "*", port)
#define DENY_IN(name, prio, port) RULE(name, prio, "Inbound", "Deny", "Tcp", "Internet", "*", "*", port)
/* rule set A: inbound 80 allowed at both levels (443 denied by DenyAllInBound); B: 80 denied by
 * the NIC's NSG, 443 allowed at both levels (S2: both levels must allow) */
#define CFG_A NSG("sub", ALLOW_IN("Allow80", 100, "80")) "," NSG("nic", ALLOW_IN("Allow80", 100, "80"))
#define CFG_B NSG("sub", ALLOW_IN("Allow80", 100, "80") "," ALLOW_IN("Allow443", 110, "443")) "," \
  NSG("nic", DENY_IN("Deny80", 100, "80") "," ALLOW_IN("Allow443", 110, "443"))

static struct nsg_simnic *nic_new(const struct nsg_config *cfg, bool learn, bool events, unsigned timeout_ms)
{
  struct nsg_simnic_opts o;
  nsg_simnic_opts_default(&o);
  o.learn = learn;
  o.events = events;
  if (timeout_ms)
    o.timeout_ms = timeout_ms;
  char err[512] = "";
  struct nsg_simnic *n = nsg_simnic_new(cfg, &o, err, sizeof err);
  if (!n)
    fail_msg("simnic: %s", err);
  return n;
}

/* Fate of a TCP frame src:sp -> dst:dp through the NIC. */
static enum nsg_simnic_fate tcp_fate(struct nsg_simnic *n, const uint8_t *src, uint16_t sp, const uint8_t *dst,
                                     uint16_t dp, uint8_t flags, unsigned *reason)
{
  uint8_t f[64];
  struct nsg_simnic_frame r;
  char err[256];
  assert_int_equal(nsg_simnic_frame(n, f, soc_tcp_frame(f, 0, src, sp, dst, dp, flags), &r, err, sizeof err), 0);
  if (reason)
    *reason = r.reason;
  return r.fate;
}

static unsigned probe_port = 20000;

/* What the NIC holds, seen from traffic: 'A' (80 allowed, 443 denied), 'B' (80 denied, 443
 * allowed), '0' (nothing bound: both dropped, no local vport / vport unbound) or '?' (anything else: a mix). */
static char rules_seen(struct nsg_simnic *n)
{
  unsigned r80, r443;
  enum nsg_simnic_fate f80 = tcp_fate(n, client, (uint16_t)probe_port++, vm, 80, 0x02, &r80);
  enum nsg_simnic_fate f443 = tcp_fate(n, client, (uint16_t)probe_port++, vm, 443, 0x02, &r443);
  if (f80 == NSG_SIMNIC_ALLOWED && f443 == NSG_SIMNIC_DENIED)
    return 'A';
  if (f80 == NSG_SIMNIC_DENIED && f443 == NSG_SIMNIC_ALLOWED)
    return 'B';
  bool unbound80 = r80 == NSGNIC_REASON_UNBOUND_VPORT || r80 == NSGNIC_REASON_NO_LOCAL_VPORT;
  bool unbound443 = r443 == NSGNIC_REASON_UNBOUND_VPORT || r443 == NSGNIC_REASON_NO_LOCAL_VPORT;
  if (f80 == NSG_SIMNIC_DROPPED && f443 == NSG_SIMNIC_DROPPED && unbound80 && unbound443)
    return '0';
  fprintf(stderr, "rules_seen: 80 fate %d reason %u, 443 fate %d reason %u\n", f80, r80, f443, r443);
  return '?';
}

static void expect_in(const char *err, const char *part)
{
  if (!strstr(err, part))
    fail_msg("message '%s' lacks '%s'", err, part);
}

/* Device reset + firmware boot (the board way): no tables, nothing bound. */
static void reboot(struct nsgnic_dev *d)
{
  assert_int_equal(nsgnic_dev_reset(d), 0);
  assert_int_equal(nsgnic_dev_load_firmware(d, NSGNIC_FW_ELF), 0);
  assert_int_equal(nsgnic_dev_start(d), 0);
}

static void device_stops_mid_load(void **state)
{
  (void)state;
  char err[1024] = "";
  struct nsg_config *a = fx_config("sub", "nic", CFG_A, NULL), *b = fx_config("sub", "nic", CFG_B, NULL);
  assert_non_null(a);
  assert_non_null(b);
  /* the driver's timeout is wall-clock time: long enough for a firmware boot on a loaded machine,
   * paid once per command that times out */
  struct nsg_simnic *n = nic_new(a, false, false, 6000);
  struct nsgnic_dev *d = nsg_simnic_dev(n);
  struct nsgnic_soc *soc = nsgnic_dev_sim_soc(d);
  const struct nsg_tables *t = nsg_simnic_tables(n);
  struct nsg_simnic_stats st;
  nsg_simnic_get_stats(n, &st);
  unsigned entries = (unsigned)st.tcam_writes / 2, vports = (unsigned)st.bind_writes; /* staged + shared */
  struct nsg_device_caps caps;
  assert_int_equal(nsg_device_caps(d, &caps, err, sizeof err), 0);
  assert_int_equal(rules_seen(n), 'A');
  uint32_t bank = caps.active_bank;

  /* 1. an update: the firmware stops at its second write (after GET_CAPS and the read-back of
   *    every TCAM slot and both banks of every binding) */
  unsigned reads = 1 + caps.rule_entries + caps.label_entries + caps.platform_entries + 2 * vports;
  nsgnic_soc_fault_hold_cpu(soc, reads + 2);
  struct nsg_device_load_stats ls;
  int rc = nsg_simnic_update(n, b, &ls, err, sizeof err);
  assert_int_equal(rc, -ETIMEDOUT);
  expect_in(err, "TCAM write of slot");
  expect_in(err, "did not answer");
  expect_in(err, "CPU held in reset");
  expect_in(err, "before the bank switch: traffic still sees the old rules");
  assert_true(ls.tcam_writes >= 1 && ls.tcam_writes <= 2);
  /* the device goes on with the old complete set; the host cannot talk to it */
  assert_int_equal(rules_seen(n), 'A');
  assert_int_equal(nsg_device_caps(d, &caps, err, sizeof err), -ETIMEDOUT);
  expect_in(err, "GET_CAPS: the device did not answer");

  /* 2. the firmware restarted alone: it keeps the datapath's active bank (the other one holds
   *    the half-staged update) and the device still enforces the old set */
  assert_int_equal(nsgnic_dev_restart_firmware(d, NSGNIC_FW_ELF), 0);
  assert_int_equal(nsg_device_caps(d, &caps, err, sizeof err), 0);
  assert_int_equal(caps.active_bank, bank);
  assert_int_equal(rules_seen(n), 'A');
  /* the update cannot start over a half-staged bank: refused before anything is written */
  rc = nsg_simnic_update(n, b, &ls, err, sizeof err);
  assert_int_equal(rc, -ESTALE);
  expect_in(err, "does not hold the old tables");
  assert_int_equal(ls.tcam_writes, 0);
  assert_int_equal(rules_seen(n), 'A');

  /* 3. an initial load after a reset; the firmware stops at the second TCAM write (after two
   *    GET_CAPS, the flow-hash key and the port-range comparators): nothing is bound */
  reboot(d);
  assert_int_equal(rules_seen(n), '0');
  unsigned pre = 2 + !!(caps.caps & (1u << NSGNIC_CAP_FLOW_HASH_KEY)) + 2 * NSGNIC_PORT_CLASSES;
  nsgnic_soc_fault_hold_cpu(soc, pre + 2);
  rc = nsg_device_load(d, t, &ls, err, sizeof err);
  assert_int_equal(rc, -ETIMEDOUT);
  expect_in(err, "TCAM write of slot");
  expect_in(err, "initial load, entries into the inactive bank, before the bank switch");
  expect_in(err, "drops every packet");
  assert_int_equal(rules_seen(n), '0');

  /* 4. the same, stopped at the bank switch itself: all or nothing */
  reboot(d);
  nsgnic_soc_fault_hold_cpu(soc, pre + entries + vports + 1);
  rc = nsg_device_load(d, t, &ls, err, sizeof err);
  assert_int_equal(rc, -ETIMEDOUT);
  expect_in(err, "COMMIT");
  expect_in(err, "initial load, the bank switch: unknown whether it happened");
  assert_int_equal(ls.tcam_writes, entries);
  char seen = rules_seen(n);
  assert_true(seen == 'A' || seen == '0');

  /* 5. and after it (making the entries bank-independent): the whole new set */
  reboot(d);
  nsgnic_soc_fault_hold_cpu(soc, pre + entries + vports + 3);
  rc = nsg_device_load(d, t, &ls, err, sizeof err);
  assert_int_equal(rc, -ETIMEDOUT);
  expect_in(err, "initial load, after the bank switch: the whole new set is active");
  assert_int_equal(rules_seen(n), 'A');

  /* recovery: reset and load */
  reboot(d);
  assert_int_equal(nsg_device_load(d, t, &ls, err, sizeof err), 0);
  assert_int_equal(rules_seen(n), 'A');
  assert_int_equal(nsg_simnic_update(n, b, &ls, err, sizeof err), 0);
  assert_int_equal(rules_seen(n), 'B');
  nsg_simnic_free(n);
  nsg_config_free(a);
  nsg_config_free(b);
}

/* ---- restart ---------------------------------------------------------------------------------- */

/* Results of frames sent straight to the datapath. */
struct tally {
  uint64_t sent, allowed, hits, denied, punted, other, released;
};

static void send_tcp(struct nsgnic_soc *soc, struct tally *t, uint16_t port, const uint8_t *src, uint16_t sp,
                     const uint8_t *dst, uint16_t dp, uint8_t flags)
{
  uint8_t f[64];
  assert_int_equal(nsgnic_soc_send(soc, port, f, soc_tcp_frame(f, 0, src, sp, dst, dp, flags), NULL), 0);
  t->sent++;
}

/* A first IPv4 fragment (MF) of a TCP segment from client2 to vm:443 (denied by rule set A),
 * IP id `id`: punted to the host (S3: a later fragment carries no ports). */
static void send_fragment(struct nsgnic_soc *soc, struct tally *t, uint16_t port, unsigned id)
{
  uint8_t f[200];
  size_t len = soc_tcp_frame(f, 120, client2, 7000, vm, 443, 0x10);
  f[14 + 4] = (uint8_t)(id >> 8), f[14 + 5] = (uint8_t)id;
  f[14 + 6] = 0x20; /* MF */
  assert_int_equal(nsgnic_soc_send(soc, port, f, len, NULL), 0);
  t->sent++;
}

/* Waits for every sent frame's result; established frames (expect_hit) must all pass. */
static void collect(struct nsgnic_soc *soc, struct tally *t)
{
  assert_int_equal(nsgnic_soc_drain(soc, 20u * 1000 * 1000), 0);
  struct nsgnic_soc_result r;
  while (nsgnic_soc_recv(soc, &r) == 1) {
    if (r.released) {
      t->released++;
      continue;
    }
    t->hits += r.flow_hit;
    if (r.action == NSGNIC_ACTION_ALLOW)
      t->allowed++;
    else if (r.action == NSGNIC_ACTION_PUNT)
      t->punted++;
    else if (r.reason == NSGNIC_REASON_RULE_DENY)
      t->denied++;
    else
      t->other++;
  }
}

static void dp_counters(struct nsgnic_dev *d, uint64_t *c, unsigned n)
{
  char err[256];
  assert_int_equal(nsg_device_counters(d, NSGNIC_CNT_BLOCK_DP, 0, n, c, err, sizeof err), 0);
}

static uint64_t fw_counter(struct nsgnic_dev *d, unsigned id)
{
  uint64_t v = 0;
  char err[256];
  assert_int_equal(nsg_device_counters(d, NSGNIC_CNT_BLOCK_FW, id, 1, &v, err, sizeof err), 0);
  return v;
}

static unsigned flows_valid(struct nsgnic_dev *d, unsigned slots)
{
  unsigned k = 0;
  uint32_t e[16];
  char err[256];
  for (uint32_t i = 0; i < slots; i++)
    k += nsg_device_flow_read(d, i, e, err, sizeof err) == 0;
  return k;
}

/* The next EVT_EXCEPTION on the ring (other events skipped); its token, or fails. */
static uint32_t next_exception(struct nsgnic_dev *d, struct nsgnic_soc *soc, bool *parked)
{
  uint32_t slot[NSGNIC_SLOT_WORDS];
  for (int i = 0; i < 400; i++) {
    int got = nsgnic_dev_event_slot(d, slot);
    assert_true(got >= 0);
    if (got == 1 && NSGNIC_GET(slot, EVT_HDR_CODE) == NSGNIC_EVT_EXCEPTION) {
      *parked = NSGNIC_GET(slot + NSGNIC_MSG_HDR_WORDS, P_EXC_PARKED);
      return slot[1];
    }
    if (got == 0)
      nsgnic_soc_step(soc, 500);
  }
  fail_msg("no EVT_EXCEPTION");
  return 0;
}

static void restart(void **state)
{
  (void)state;
  char err[1024] = "";
  struct nsg_config *a = fx_config("sub", "nic", CFG_A, NULL);
  assert_non_null(a);
  struct nsg_simnic *n = nic_new(a, true, true, 60000);
  struct nsgnic_dev *d = nsg_simnic_dev(n);
  struct nsgnic_soc *soc = nsgnic_dev_sim_soc(d);
  struct nsg_device_caps caps;
  assert_int_equal(nsg_device_caps(d, &caps, err, sizeof err), 0);
  assert_true(caps.dp_counters <= 64 && caps.dp_counters > NSGNIC_CNT_FLOW_HIT);
  assert_true(caps.caps & (1u << NSGNIC_CAP_EXC_PARK));
  int vp = nsg_simnic_vport(n, "nic-web");
  assert_true(vp >= 0);
  uint16_t vf = (uint16_t)nsg_simnic_port(n, vp, true), wire = (uint16_t)nsg_simnic_port(n, vp, false);

  /* established connections (S5): vm -> server:80 (outbound, the replies denied by the inbound
   * rules without the flow) and client -> vm:80 (inbound, allowed by rule set A) */
  unsigned reason;
  assert_int_equal(tcp_fate(n, vm, 40000, server, 80, 0x02, &reason), NSG_SIMNIC_ALLOWED);
  assert_int_equal(tcp_fate(n, server, 80, vm, 40000, 0x12, &reason), NSG_SIMNIC_ALLOWED);
  assert_int_equal(tcp_fate(n, client, 5000, vm, 80, 0x02, &reason), NSG_SIMNIC_ALLOWED);
  unsigned flows0 = flows_valid(d, caps.flow_entries);
  assert_int_equal(flows0, 2);
  /* a punted frame the host was told about (token1) but has not released yet */
  struct tally t = {0};
  uint64_t c0[64], c1[64];
  dp_counters(d, c0, caps.dp_counters);
  send_fragment(soc, &t, wire, 1);
  collect(soc, &t);
  bool parked = false;
  uint32_t token1 = next_exception(d, soc, &parked);
  assert_true(parked);

  /* 1. the firmware stops (CPU held): the datapath goes on with its tables and flows */
  nsgnic_soc_fault_hold_cpu(soc, 1);
  nsgnic_dev_wr32(d, NSGNIC_HOSTREG_CMD_DOORBELL, 1); /* no command: only the fault's trigger */
  assert_false(nsgnic_dev_rd32(d, NSGNIC_HOSTREG_CTRL) & (1u << NSGNIC_CTRL_CPU_RUN_LSB));
  uint32_t hb = nsgnic_dev_rd32(d, NSGNIC_HOSTREG_HEARTBEAT);
  for (unsigned i = 0; i < 100; i++) {
    send_tcp(soc, &t, wire, server, 80, vm, 40000, 0x10);     /* C1 reply: flow only */
    send_tcp(soc, &t, vf, vm, 40000, server, 80, 0x10);       /* C1 */
    send_tcp(soc, &t, wire, client, 5000, vm, 80, 0x10);      /* C2 */
  }
  send_tcp(soc, &t, wire, client2, 6000, vm, 80, 0x02);       /* a new connection: learned */
  send_tcp(soc, &t, wire, client2, 6001, vm, 443, 0x02);      /* denied */
  send_fragment(soc, &t, wire, 2);                            /* queued for the firmware */
  collect(soc, &t);
  assert_int_equal(nsgnic_dev_rd32(d, NSGNIC_HOSTREG_HEARTBEAT), hb); /* the firmware is stopped */
  assert_int_equal(t.allowed, 301);
  assert_int_equal(t.hits, 300);
  assert_int_equal(t.denied, 1);
  assert_int_equal(t.punted, 2);
  assert_int_equal(t.other, 0);

  /* 2. firmware restart (no soft reset) while established traffic is queued */
  for (unsigned i = 0; i < 500; i++)
    send_tcp(soc, &t, wire, server, 80, vm, 40000, 0x10);
  assert_int_equal(nsgnic_dev_restart_firmware(d, NSGNIC_FW_ELF), 0);
  collect(soc, &t);
  assert_int_equal(t.allowed, 801);
  assert_int_equal(t.hits, 800);
  /* 3. host restart: a new attach to the running device, the flows re-read from the device */
  assert_int_equal(nsgnic_dev_attach(d), 0);
  struct nsg_slowpath *sp = nsg_slowpath_new(a, NULL);
  assert_non_null(sp);
  struct nsg_exc *x = nsg_exc_new(sp, &nsg_device_exc_ops, d, NULL);
  assert_non_null(x);
  /* the exception queued during the outage reaches the new host, which denies it (S2: 443) */
  for (int i = 0; i < 100; i++) {
    assert_true(nsg_exc_poll(x, 0) >= 0);
    nsgnic_soc_step(soc, 500);
  }
  struct nsg_exc_stats xs;
  nsg_exc_get_stats(x, &xs);
  assert_int_equal(xs.exceptions, 1);
  assert_int_equal(xs.release_drops, 1);
  assert_int_equal(xs.forwarded, 0);
  /* the firmware kept the datapath's bank and flows (and the one learned while it was stopped);
   * the host re-reads them */
  struct nsg_device_caps c2;
  assert_int_equal(nsg_device_caps(d, &c2, err, sizeof err), 0);
  assert_int_equal(c2.active_bank, caps.active_bank);
  assert_int_equal(flows_valid(d, caps.flow_entries), flows0 + 1);
  /* the frame parked for the old run is dropped (its token is dead), the one still queued is
   * reported with a new token */
  assert_int_equal(fw_counter(d, NSGNIC_FWCNT_EXC_EXPIRED), 1);
  assert_int_equal(nsg_device_exc_release(d, token1, vf, true, err, sizeof err), -ENOENT);
  assert_int_equal(nsg_exc_rebuild(x, 0), flows0 + 1);

  for (unsigned i = 0; i < 100; i++) {
    send_tcp(soc, &t, wire, server, 80, vm, 40000, 0x10);
    send_tcp(soc, &t, wire, client2, 6000, vm, 80, 0x10);
  }
  collect(soc, &t);
  assert_int_equal(t.allowed, 1001);
  assert_int_equal(t.hits, 1000);
  assert_int_equal(t.released, 0);

  /* every packet accounted for: one result each, and the datapath's counters add up (frames in
   * = frames finished with some reason; forwarded = allowed; hits; parked frames dropped) */
  dp_counters(d, c1, caps.dp_counters);
  assert_int_equal(t.allowed + t.denied + t.punted + t.other, t.sent);
  assert_int_equal(c1[NSGNIC_CNT_RX_PKTS] - c0[NSGNIC_CNT_RX_PKTS], t.sent);
  uint64_t finished = 0;
  for (unsigned r = 0; r < NSGNIC_REASON_CODES; r++)
    finished += c1[r] - c0[r];
  assert_int_equal(finished, t.sent);
  assert_int_equal(c1[NSGNIC_REASON_NONE] - c0[NSGNIC_REASON_NONE], t.allowed);
  assert_int_equal(c1[NSGNIC_REASON_RULE_DENY] - c0[NSGNIC_REASON_RULE_DENY], t.denied);
  assert_int_equal(c1[NSGNIC_CNT_FLOW_HIT] - c0[NSGNIC_CNT_FLOW_HIT], t.hits);
  assert_int_equal(c1[NSGNIC_CNT_EXQ_PUSH] - c0[NSGNIC_CNT_EXQ_PUSH], t.punted);
  assert_int_equal(c1[NSGNIC_CNT_EXQ_DISCARDED] - c0[NSGNIC_CNT_EXQ_DISCARDED], t.punted);
  nsg_exc_free(x);
  nsg_slowpath_free(sp);
  nsg_simnic_free(n);
  nsg_config_free(a);
}

int main(int argc, char **argv)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(device_stops_mid_load),
      cmocka_unit_test(restart),
  };
  if (argc > 1)
    cmocka_set_test_filter(argv[1]);
  return cmocka_run_group_tests(tests, NULL, NULL);
}

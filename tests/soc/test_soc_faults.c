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
  struct nsg_tables *t = nsg_tables_clone(nsg_simnic_tables(n)); /* rule set A as loaded */
  assert_non_null(t);
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
  /* the update cannot start over a half-staged bank (the planner's first writes may also have
   * re-banked live entries): refused before anything is written; reset and load recover */
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
  nsg_tables_free(t);
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

/* ---- event ring full ------------------------------------------------------------------------- */

/* Reads up to max events; releases parked exceptions as drops; counts codes. */
static unsigned drain_events(struct nsgnic_dev *d, unsigned max, unsigned *exceptions, unsigned *idle)
{
  uint32_t slot[NSGNIC_SLOT_WORDS];
  unsigned k = 0;
  char err[256];
  while (k < max && nsgnic_dev_event_slot(d, slot) == 1) {
    k++;
    unsigned code = (unsigned)NSGNIC_GET(slot, EVT_HDR_CODE);
    if (code == NSGNIC_EVT_IDLE_FLOW && idle)
      ++*idle;
    if (code == NSGNIC_EVT_EXCEPTION) {
      if (exceptions)
        ++*exceptions;
      if (NSGNIC_GET(slot + NSGNIC_MSG_HDR_WORDS, P_EXC_PARKED))
        assert_int_equal(nsg_device_exc_release(d, slot[1], 0, false, err, sizeof err), 0);
    }
  }
  return k;
}

static uint32_t ring_used(struct nsgnic_dev *d)
{
  return nsgnic_dev_rd32(d, NSGNIC_HOSTREG_EVT_HEAD) - nsgnic_dev_rd32(d, NSGNIC_HOSTREG_EVT_TAIL);
}

/* The host stops reading events; the aging scan's idle reports fill the 128-slot ring (the scan
 * then waits: back-pressure, no report lost). Exceptions meanwhile cannot be reported: each
 * parked frame is dropped at once (never forwarded, its slot free again) and counted in
 * EVT_LOST / FWCNT_EVT_LOST, which the host reads; established flows keep passing (S5); the
 * mailbox still answers. When the host drains the ring the scan resumes and exceptions are
 * reported again. */
static void event_ring_full(void **state)
{
  (void)state;
  char err[512] = "";
  struct nsg_config *a = fx_config("sub", "nic", CFG_A, NULL);
  assert_non_null(a);
  struct nsg_simnic *n = nic_new(a, true, true, 60000);
  struct nsgnic_dev *d = nsg_simnic_dev(n);
  struct nsgnic_soc *soc = nsgnic_dev_sim_soc(d);
  struct nsg_device_caps caps;
  assert_int_equal(nsg_device_caps(d, &caps, err, sizeof err), 0);
  int vp = nsg_simnic_vport(n, "nic-web");
  uint16_t wire = (uint16_t)nsg_simnic_port(n, vp, false);
  /* eight established connections (S5) */
  for (uint16_t p = 0; p < 8; p++)
    assert_int_equal(tcp_fate(n, vm, (uint16_t)(40000 + p), server, 80, 0x02, NULL), NSG_SIMNIC_ALLOWED);
  uint32_t slots = nsgnic_dev_rd32(d, NSGNIC_HOSTREG_EVT_SLOTS);
  assert_int_equal(slots, NSGNIC_EVT_RING_SLOTS);
  /* every pass reports all of them (idle for >= 1 NOW tick) */
  nsgnic_soc_step(soc, 3000);
  assert_int_equal(nsg_device_aging_start(d, 1, 0, 64, err, sizeof err), 0);
  for (int i = 0; i < 200 && ring_used(d) < slots; i++)
    nsgnic_soc_step(soc, 2000);
  assert_int_equal(ring_used(d), slots);
  uint64_t idle_full = fw_counter(d, NSGNIC_FWCNT_IDLE_REPORTS);
  uint64_t lost0 = fw_counter(d, NSGNIC_FWCNT_EVT_LOST), exp0 = fw_counter(d, NSGNIC_FWCNT_EXC_EXPIRED);
  uint64_t c0[64], c1[64];
  dp_counters(d, c0, caps.dp_counters);

  struct tally t = {0};
  for (unsigned i = 0; i < 5; i++) {
    send_fragment(soc, &t, wire, 100 + i);
    for (uint16_t p = 0; p < 8; p++)
      send_tcp(soc, &t, wire, server, 80, vm, (uint16_t)(40000 + p), 0x10);
    collect(soc, &t);
    nsgnic_soc_step(soc, 5000);
  }
  assert_int_equal(t.punted, 5);
  assert_int_equal(t.allowed, 40);
  assert_int_equal(t.hits, 40);
  /* lost, counted, the frames dropped (not parked forever, never forwarded) */
  assert_int_equal(fw_counter(d, NSGNIC_FWCNT_EVT_LOST) - lost0, 5);
  assert_int_equal(nsgnic_dev_rd32(d, NSGNIC_HOSTREG_EVT_LOST), fw_counter(d, NSGNIC_FWCNT_EVT_LOST));
  dp_counters(d, c1, caps.dp_counters);
  assert_int_equal(c1[NSGNIC_CNT_EXQ_PUSH] - c0[NSGNIC_CNT_EXQ_PUSH], 5);
  assert_int_equal(c1[NSGNIC_CNT_EXQ_DISCARDED] - c0[NSGNIC_CNT_EXQ_DISCARDED], 5);
  assert_int_equal(c1[NSGNIC_REASON_EXQ_FULL] - c0[NSGNIC_REASON_EXQ_FULL], 0); /* slots freed at once */
  assert_int_equal(fw_counter(d, NSGNIC_FWCNT_EXC_EXPIRED), exp0);
  assert_int_equal(ring_used(d), slots);
  /* the scan waited (no report lost) */
  assert_int_equal(fw_counter(d, NSGNIC_FWCNT_IDLE_REPORTS), idle_full);
  nsgnic_soc_step(soc, 20000);
  assert_int_equal(t.released, 0);
  struct nsgnic_soc_result r;
  assert_int_equal(nsgnic_soc_recv(soc, &r), 0);

  /* the host sees the loss (its exception loop reports EVT_LOST) */
  struct nsg_slowpath *sp = nsg_slowpath_new(a, NULL);
  struct nsg_exc *x = nsg_exc_new(sp, &nsg_device_exc_ops, d, NULL);
  assert_non_null(x);
  struct nsg_exc_stats xs;
  nsg_exc_get_stats(x, &xs);
  assert_int_equal(xs.events_lost, fw_counter(d, NSGNIC_FWCNT_EVT_LOST));
  nsg_exc_free(x);
  nsg_slowpath_free(sp);

  /* the host drains: the scan resumes */
  unsigned idle = 0;
  assert_int_equal(drain_events(d, slots, NULL, &idle), slots);
  for (int i = 0; i < 50 && fw_counter(d, NSGNIC_FWCNT_IDLE_REPORTS) == idle_full; i++)
    nsgnic_soc_step(soc, 2000);
  assert_true(fw_counter(d, NSGNIC_FWCNT_IDLE_REPORTS) > idle_full);
  assert_int_equal(nsg_device_aging_stop(d, err, sizeof err), 0);
  nsgnic_soc_step(soc, 5000);
  while (drain_events(d, slots, NULL, NULL) > 0)
    nsgnic_soc_step(soc, 2000);
  /* ... and exceptions are reported again, nothing more lost */
  uint64_t lost1 = fw_counter(d, NSGNIC_FWCNT_EVT_LOST);
  send_fragment(soc, &t, wire, 200);
  collect(soc, &t);
  unsigned exc = 0;
  for (int i = 0; i < 50 && exc == 0; i++) {
    nsgnic_soc_step(soc, 1000);
    drain_events(d, slots, &exc, NULL);
  }
  assert_int_equal(exc, 1);
  assert_int_equal(fw_counter(d, NSGNIC_FWCNT_EVT_LOST), lost1);
  nsg_simnic_free(n);
  nsg_config_free(a);
}

/* ---- exception storm --------------------------------------------------------------------------- */

/* Every frame an exception or a new flow: IPv4 first fragments from many sources (punted) and
 * SYNs to a denied port from new sources, back to back with the packets of an established
 * connection, while the host's exception loop runs between bursts. The established packets all
 * pass through the flow cache with the latency they have without the storm (the datapath does not
 * wait for the exception path); exceptions beyond the park slots are dropped and counted
 * (REASON_EXQ_FULL); every packet has one result and is counted; nothing the rules deny leaves
 * the device (S2, S5). */
static void exception_storm(void **state)
{
  (void)state;
  char err[512] = "";
  struct nsg_config *a = fx_config("sub", "nic", CFG_A, NULL);
  assert_non_null(a);
  struct nsg_simnic *n = nic_new(a, true, true, 60000);
  struct nsgnic_dev *d = nsg_simnic_dev(n);
  struct nsgnic_soc *soc = nsgnic_dev_sim_soc(d);
  struct nsg_device_caps caps;
  assert_int_equal(nsg_device_caps(d, &caps, err, sizeof err), 0);
  int vp = nsg_simnic_vport(n, "nic-web");
  uint16_t wire = (uint16_t)nsg_simnic_port(n, vp, false);
  assert_int_equal(tcp_fate(n, vm, 40000, server, 80, 0x02, NULL), NSG_SIMNIC_ALLOWED);
  struct nsg_slowpath *sp = nsg_slowpath_new(a, NULL);
  struct nsg_exc *x = nsg_exc_new(sp, &nsg_device_exc_ops, d, NULL);
  assert_non_null(x);

  /* baseline: latency of the established connection's packets alone */
  uint64_t base = 0;
  struct nsgnic_soc_result r;
  uint8_t f[200];
  for (int i = 0; i < 20; i++) {
    assert_int_equal(nsgnic_soc_send(soc, wire, f, soc_tcp_frame(f, 0, server, 80, vm, 40000, 0x10), NULL), 0);
    assert_int_equal(nsgnic_soc_drain(soc, 100000), 0);
    assert_int_equal(nsgnic_soc_recv(soc, &r), 1);
    assert_int_equal(r.action, NSGNIC_ACTION_ALLOW);
    if (r.cycle_out - r.cycle_in > base)
      base = r.cycle_out - r.cycle_in;
  }

  uint64_t c0[64], c1[64];
  dp_counters(d, c0, caps.dp_counters);
  enum { BURSTS = 20, PER = 30 };
  uint64_t sent = 0, est = 0, est_ok = 0, punts = 0, denied = 0, worst = 0, released = 0;
  for (unsigned b = 0; b < BURSTS; b++) {
    uint64_t first = 0;
    for (unsigned i = 0; i < PER; i++) {
      unsigned k = b * PER + i;
      uint8_t src[4] = {198, 18, (uint8_t)(k >> 8), (uint8_t)k};
      /* a fragment from a new source */
      size_t len = soc_tcp_frame(f, 120, src, 7000, vm, 443, 0x10);
      f[14 + 4] = (uint8_t)k, f[14 + 6] = 0x20;
      assert_int_equal(nsgnic_soc_send(soc, wire, f, len, &first), 0);
      /* a new connection the rules deny */
      assert_int_equal(nsgnic_soc_send(soc, wire, f, soc_tcp_frame(f, 0, src, (uint16_t)(1024 + k), vm, 443, 0x02), NULL), 0);
      /* the established connection */
      assert_int_equal(nsgnic_soc_send(soc, wire, f, soc_tcp_frame(f, 0, server, 80, vm, 40000, 0x10), NULL), 0);
      sent += 3;
    }
    assert_int_equal(nsgnic_soc_drain(soc, 10u * 1000 * 1000), 0);
    while (nsgnic_soc_recv(soc, &r) == 1) {
      if (r.released) {
        released++;
        continue;
      }
      bool established = r.in_port == wire && r.flow_hit;
      if (established) {
        est++;
        est_ok += r.action == NSGNIC_ACTION_ALLOW;
        if (r.cycle_out - r.cycle_in > worst)
          worst = r.cycle_out - r.cycle_in;
      } else if (r.action == NSGNIC_ACTION_PUNT) {
        punts++;
      } else {
        assert_int_equal(r.action, NSGNIC_ACTION_DENY);
        assert_int_equal(r.reason, NSGNIC_REASON_RULE_DENY);
        denied++;
      }
    }
    /* the host answers what it could be told about */
    for (int i = 0; i < 20; i++) {
      assert_true(nsg_exc_poll(x, 0) >= 0);
      nsgnic_soc_step(soc, 300);
    }
  }
  assert_int_equal(est, BURSTS * PER);
  assert_int_equal(est_ok, est);
  assert_int_equal(punts, BURSTS * PER);
  assert_int_equal(denied, BURSTS * PER);
  assert_int_equal(released, 0); /* nothing the rules deny is forwarded */
  /* line rate: the storm does not slow the established packets (a few clocks of queueing) */
  if (worst > base + 64)
    fail_msg("established latency %llu clocks in the storm, %llu without", (unsigned long long)worst,
             (unsigned long long)base);
  for (int i = 0; i < 200; i++) {
    assert_true(nsg_exc_poll(x, 0) >= 0);
    nsgnic_soc_step(soc, 300);
  }
  dp_counters(d, c1, caps.dp_counters);
  uint64_t pushed = c1[NSGNIC_CNT_EXQ_PUSH] - c0[NSGNIC_CNT_EXQ_PUSH];
  uint64_t full = c1[NSGNIC_REASON_EXQ_FULL] - c0[NSGNIC_REASON_EXQ_FULL];
  assert_int_equal(c1[NSGNIC_CNT_RX_PKTS] - c0[NSGNIC_CNT_RX_PKTS], sent);
  assert_int_equal(pushed + full, punts);
  assert_true(full > 0); /* the storm was over capacity */
  assert_int_equal(c1[NSGNIC_REASON_NONE] - c0[NSGNIC_REASON_NONE], est);
  struct nsg_exc_stats xs;
  nsg_exc_get_stats(x, &xs);
  assert_int_equal(xs.forwarded, 0);
  assert_int_equal(xs.released, 0);
  /* each pushed exception reached the host or was dropped by the device, counted */
  assert_int_equal(xs.exceptions + xs.events_lost, pushed);
  nsg_exc_free(x);
  nsg_slowpath_free(sp);
  nsg_simnic_free(n);
  nsg_config_free(a);
}

/* ---- table full ------------------------------------------------------------------------------- */

static void table_full(void **state)
{
  (void)state;
  char err[512] = "";
  /* rule TCAM and label table: a configuration that does not fit is refused before the device is
   * touched, naming the table */
  static char nsg[100000], rules[90000];
  size_t k = 0;
  for (unsigned i = 0; i < 200; i++) {
    char name[16], port[8];
    snprintf(name, sizeof name, "R%u", i);
    snprintf(port, sizeof port, "%u", 1000 + 7 * i);
    k += (size_t)snprintf(rules + k, sizeof rules - k, "%s{\"name\":\"%s\",\"properties\":{\"priority\":%u,"
                          "\"direction\":\"Inbound\",\"access\":\"%s\",\"protocol\":\"Tcp\",\"sourceAddressPrefix\":\"Internet\","
                          "\"sourcePortRange\":\"*\",\"destinationAddressPrefix\":\"*\",\"destinationPortRange\":\"%s\"}}",
                          i ? "," : "", name, 100 + i, i % 2 ? "Deny" : "Allow", port);
  }
  snprintf(nsg, sizeof nsg, NSG("sub", "%s") "," NSG("nic", ""), rules);
  struct nsg_config *big = fx_config("sub", "nic", nsg, NULL);
  assert_non_null(big);
  struct nsg_simnic_opts o;
  nsg_simnic_opts_default(&o);
  assert_null(nsg_simnic_new(big, &o, err, sizeof err));
  assert_int_equal(errno, ENOSPC);
  expect_in(err, "rule");
  nsg_config_free(big);
  /* label table and binding (vport) table of a device too small for the configuration: the
   * compiler refuses, naming the table */
  struct nsg_config *a = fx_config("sub", "nic", CFG_A, NULL);
  assert_non_null(a);
  struct nsg_compile_opts co;
  nsg_compile_opts_default(&co);
  co.label_entries = 1;
  errno = 0;
  assert_null(nsg_compile(a, &co, err, sizeof err));
  assert_int_equal(errno, ENOSPC);
  expect_in(err, "label");
  nsg_compile_opts_default(&co);
  co.vports = 1;
  errno = 0;
  assert_null(nsg_compile(a, &co, err, sizeof err));
  assert_int_equal(errno, ENOSPC);
  expect_in(err, "vport");

  struct nsg_simnic *n = nic_new(a, true, true, 60000);
  struct nsgnic_dev *d = nsg_simnic_dev(n);
  struct nsgnic_soc *soc = nsgnic_dev_sim_soc(d);
  struct nsg_device_caps caps;
  assert_int_equal(nsg_device_caps(d, &caps, err, sizeof err), 0);
  int vp = nsg_simnic_vport(n, "nic-web");
  uint16_t vf = (uint16_t)nsg_simnic_port(n, vp, true), wire = (uint16_t)nsg_simnic_port(n, vp, false);

  /* TCAM slots, vports, park slots beyond the device: the firmware refuses, nothing written */
  uint32_t p[21] = {0}, resp[NSGNIC_MSG_PAYLOAD_WORDS], st;
  unsigned rlen;
  NSGNIC_PUT(p, P_TCAM_TABLE, NSGNIC_TABLE_RULE);
  p[1] = caps.rule_entries;
  assert_int_equal(nsgnic_dev_cmd(d, NSGNIC_CMD_TCAM_WRITE, p, 21, resp, NSGNIC_MSG_PAYLOAD_WORDS, &rlen, &st), -EREMOTEIO);
  assert_int_equal(st, NSGNIC_STATUS_BAD_INDEX);
  NSGNIC_PUT(p, P_TCAM_TABLE, NSGNIC_TABLE_LABEL);
  p[1] = caps.label_entries;
  assert_int_equal(nsgnic_dev_cmd(d, NSGNIC_CMD_TCAM_WRITE, p, 21, resp, NSGNIC_MSG_PAYLOAD_WORDS, &rlen, &st), -EREMOTEIO);
  assert_int_equal(st, NSGNIC_STATUS_BAD_INDEX);
  uint32_t b[5] = {0};
  NSGNIC_PUT(b, P_BIND_VPORT, caps.vports);
  assert_int_equal(nsgnic_dev_cmd(d, NSGNIC_CMD_BIND_WRITE, b, 5, resp, NSGNIC_MSG_PAYLOAD_WORDS, &rlen, &st), -EREMOTEIO);
  assert_int_equal(st, NSGNIC_STATUS_BAD_INDEX);

  /* flow cache full (S5): every new connection the rules allow is learned until no slot is free;
   * after that it is punted (REASON_FLOW_FULL: the host tracks it) and counted; the established
   * ones keep hitting, denied ones stay denied */
  assert_int_equal(tcp_fate(n, vm, 40000, server, 80, 0x02, NULL), NSG_SIMNIC_ALLOWED);
  uint64_t c0[64], c1[64];
  dp_counters(d, c0, caps.dp_counters);
  struct nsgnic_soc_result r;
  uint8_t f[200];
  unsigned conns = caps.flow_entries + 64, learned = 0, full = 0;
  for (unsigned i = 0; i < conns; i++) {
    uint8_t dst[4] = {93, 184, (uint8_t)(i >> 8), (uint8_t)i};
    assert_int_equal(nsgnic_soc_send(soc, vf, f, soc_tcp_frame(f, 0, vm, (uint16_t)(20000 + i), dst, 443, 0x02), NULL), 0);
    if (i % 16 == 15) {
      assert_int_equal(nsgnic_soc_drain(soc, 1000000), 0);
      while (nsgnic_soc_recv(soc, &r) == 1) {
        if (r.action == NSGNIC_ACTION_ALLOW && r.learned) {
          learned++;
        } else {
          assert_int_equal(r.action, NSGNIC_ACTION_PUNT);
          assert_int_equal(r.reason, NSGNIC_REASON_FLOW_FULL);
          full++;
        }
      }
      drain_events(d, 256, NULL, NULL);
    }
  }
  assert_int_equal(nsgnic_soc_drain(soc, 1000000), 0);
  while (nsgnic_soc_recv(soc, &r) == 1) {
    if (r.action == NSGNIC_ACTION_ALLOW && r.learned) {
      learned++;
    } else {
      assert_int_equal(r.action, NSGNIC_ACTION_PUNT);
      assert_int_equal(r.reason, NSGNIC_REASON_FLOW_FULL);
      full++;
    }
  }
  assert_int_equal(learned + full, conns);
  assert_true(full >= 64);
  assert_true(learned + 1 <= caps.flow_entries);
  dp_counters(d, c1, caps.dp_counters);
  assert_int_equal(c1[NSGNIC_CNT_FLOW_LEARN_FAIL] - c0[NSGNIC_CNT_FLOW_LEARN_FAIL], full);
  /* each punted to the host, or dropped when the park slots were taken (REASON_EXQ_FULL) */
  assert_int_equal(c1[NSGNIC_REASON_FLOW_FULL] - c0[NSGNIC_REASON_FLOW_FULL] + c1[NSGNIC_REASON_EXQ_FULL] -
                       c0[NSGNIC_REASON_EXQ_FULL], full);
  unsigned reason;
  assert_int_equal(tcp_fate(n, server, 80, vm, 40000, 0x10, &reason), NSG_SIMNIC_ALLOWED); /* established */
  enum nsg_simnic_fate fd = tcp_fate(n, client2, 999, vm, 443, 0x02, &reason);
  assert_true(fd == NSG_SIMNIC_DENIED || (fd == NSG_SIMNIC_PUNTED && reason == NSGNIC_REASON_FLOW_OVF_DENY));
  drain_events(d, 256, NULL, NULL);

  /* park slots full: the host does not answer; punts beyond the slots are dropped and counted
   * (REASON_EXQ_FULL), never forwarded */
  dp_counters(d, c0, caps.dp_counters);
  struct tally t = {0};
  for (unsigned i = 0; i < 40; i++)
    send_fragment(soc, &t, wire, 300 + i);
  collect(soc, &t);
  assert_int_equal(t.punted, 40);
  nsgnic_soc_step(soc, 20000);
  dp_counters(d, c1, caps.dp_counters);
  uint64_t pushed = c1[NSGNIC_CNT_EXQ_PUSH] - c0[NSGNIC_CNT_EXQ_PUSH];
  uint64_t dropped = c1[NSGNIC_REASON_EXQ_FULL] - c0[NSGNIC_REASON_EXQ_FULL];
  assert_int_equal(pushed + dropped, 40);
  assert_true(dropped > 0);
  assert_true(pushed <= 32);
  assert_int_equal(nsgnic_soc_recv(soc, &r), 0); /* none left the device */
  nsg_simnic_free(n);
  nsg_config_free(a);
}

int main(int argc, char **argv)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(device_stops_mid_load),
      cmocka_unit_test(restart),
      cmocka_unit_test(event_ring_full),
      cmocka_unit_test(exception_storm),
      cmocka_unit_test(table_full),
  };
  if (argc > 1)
    cmocka_set_test_filter(argv[1]);
  return cmocka_run_group_tests(tests, NULL, NULL);
}

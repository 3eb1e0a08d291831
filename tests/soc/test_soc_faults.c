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

static const uint8_t vm[4] = {10, 0, 1, 4}, client[4] = {1, 2, 3, 4};

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
  struct nsg_simnic *n = nic_new(a, false, false, 2000);
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

int main(int argc, char **argv)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(device_stops_mid_load),
  };
  if (argc > 1)
    cmocka_set_test_filter(argv[1]);
  return cmocka_run_group_tests(tests, NULL, NULL);
}

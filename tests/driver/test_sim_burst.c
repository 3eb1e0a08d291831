/* SPDX-License-Identifier: Apache-2.0 */
/* A burst of exceptions larger than the event ring, on the co-simulated NIC (real firmware and
 * datapath, the host's exception loop over the device layer): 300 first fragments from the
 * Internet (punted, REASON_IPV4_FRAGMENT) while the host reads nothing. Without parking the
 * firmware stops moving exceptions when the 128-slot event ring is full (back-pressure); with
 * parking (CAP_EXC_PARK) the 8 park slots stay taken until their packets expire
 * (EXC_PARK_TIMEOUT). Either way the datapath's exception queue fills and drops the rest, counted
 * as REASON_EXQ_FULL; then the host drains the ring. Accounting never loses a packet: every
 * frame has one result (the lookup's PUNT); each is either queued (CNT_EXQ_PUSH) or an EXQ_FULL
 * drop; each queued one is exactly one event decided by the host (S5 rules: the fixture allows
 * inbound TCP 80 only at the subnet level, so these UDP fragments are denied) or — parked and
 * unreportable while the ring is full — dropped by the firmware and counted in EVT_LOST;
 * reported parked ones are released (as drops) or expired, each once; the firmware's counters
 * agree. */
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

enum { BURST = 300 };

/* Ethernet + IPv4 first fragment (MF, offset 0) + UDP, 1.2.3.4:5000 -> 10.0.1.4:53, IP id `id`. */
static size_t fragment(uint8_t *f, unsigned id)
{
  memset(f, 0, 128);
  f[12] = 0x08;
  uint8_t *ip = f + 14, *u = ip + 20;
  ip[0] = 0x45;
  ip[3] = 20 + 64;
  ip[4] = (uint8_t)(id >> 8), ip[5] = (uint8_t)id;
  ip[6] = 0x20; /* MF */
  ip[8] = 64;
  ip[9] = 17;
  const uint8_t src[4] = {1, 2, 3, 4}, dst[4] = {10, 0, 1, 4};
  memcpy(ip + 12, src, 4);
  memcpy(ip + 16, dst, 4);
  u[0] = 0x13, u[1] = 0x88, u[3] = 53;
  u[5] = 200; /* UDP length: longer than this fragment */
  return 14 + 20 + 64;
}

static void burst(void **state)
{
  (void)state;
  struct nsg_config *cfg = fx_config("sub", "nic",
      NSG("sub", RULE("Allow80", 100, "Inbound", "Allow", "Tcp", "Internet", "*", "*", "80")) "," NSG("nic", ""),
      NULL);
  assert_non_null(cfg);
  struct nsg_simnic_opts o;
  nsg_simnic_opts_default(&o);
  o.learn = true;
  o.events = true;
  char err[512] = "";
  struct nsg_simnic *n = nsg_simnic_new(cfg, &o, err, sizeof err);
  if (!n)
    fail_msg("simnic: %s", err);
  struct nsgnic_dev *dev = nsg_simnic_dev(n);
  struct nsgnic_soc *soc = nsgnic_dev_sim_soc(dev);
  struct nsg_slowpath *sp = nsg_slowpath_new(cfg, NULL);
  assert_non_null(sp);
  struct nsg_exc *x = nsg_exc_new(sp, &nsg_device_exc_ops, dev, NULL);
  assert_non_null(x);
  struct nsg_device_caps caps;
  assert_int_equal(nsg_device_caps(dev, &caps, err, sizeof err), 0);
  uint64_t fw0[NSGNIC_FW_COUNTERS], dp0[64], dp1[64];
  assert_true(caps.dp_counters <= 64 && caps.dp_counters > NSGNIC_CNT_EXQ_PUSH);
  assert_int_equal(nsg_device_counters(dev, NSGNIC_CNT_BLOCK_FW, 0, NSGNIC_FW_COUNTERS, fw0, err, sizeof err), 0);
  assert_int_equal(nsg_device_counters(dev, NSGNIC_CNT_BLOCK_DP, 0, caps.dp_counters, dp0, err, sizeof err), 0);

  int port = nsg_simnic_port(n, 0, false);
  assert_true(port >= 0);
  uint8_t f[128];
  /* paced so the firmware keeps moving exceptions into the ring until it is full */
  for (unsigned i = 0; i < BURST; i++) {
    assert_int_equal(nsgnic_soc_send(soc, (uint16_t)port, f, fragment(f, 1000 + i), NULL), 0);
    nsgnic_soc_step(soc, 3000);
  }
  assert_int_equal(nsgnic_soc_drain(soc, 50u * 1000 * 1000), 0);
  unsigned punted = 0, other = 0;
  struct nsgnic_soc_result r;
  while (nsgnic_soc_recv(soc, &r) == 1) {
    if (r.action == NSGNIC_ACTION_PUNT)
      punted++;
    else
      other++;
  }
  assert_int_equal(punted, BURST); /* one result per frame: the lookup's verdict */
  assert_int_equal(other, 0);
  /* the datapath queued what its exception queue could take and counted the rest as
   * REASON_EXQ_FULL drops (the verdict stays PUNT) */
  assert_int_equal(nsg_device_counters(dev, NSGNIC_CNT_BLOCK_DP, 0, caps.dp_counters, dp1, err, sizeof err), 0);
  uint64_t pushed = dp1[NSGNIC_CNT_EXQ_PUSH] - dp0[NSGNIC_CNT_EXQ_PUSH];
  uint64_t exq_full = dp1[NSGNIC_REASON_EXQ_FULL] - dp0[NSGNIC_REASON_EXQ_FULL];
  assert_int_equal(pushed + exq_full, BURST);
  assert_true(exq_full > 0); /* the burst overflowed the device */

  /* the host drains the ring in bounded batches */
  struct nsg_exc_stats s;
  for (int idle = 0, i = 0; i < 20000 && idle < 50; i++) {
    int k = nsg_exc_poll(x, 1);
    assert_true(k >= 0);
    idle = k ? 0 : idle + 1;
    nsgnic_soc_step(soc, 200);
  }
  nsg_exc_get_stats(x, &s);
  uint64_t fw1[NSGNIC_FW_COUNTERS];
  assert_int_equal(nsg_device_counters(dev, NSGNIC_CNT_BLOCK_FW, 0, NSGNIC_FW_COUNTERS, fw1, err, sizeof err), 0);
  uint64_t lost = fw1[NSGNIC_FWCNT_EVT_LOST] - fw0[NSGNIC_FWCNT_EVT_LOST];
  assert_int_equal(nsgnic_dev_rd32(dev, NSGNIC_HOSTREG_EVT_LOST), lost);
  assert_int_equal(s.events_lost, lost);
  /* every queued exception reached the host once, or was dropped and counted by the device */
  assert_int_equal(s.exceptions + lost, pushed);
  assert_int_equal(s.forwarded + s.dropped, s.exceptions);
  assert_int_equal(s.dropped, s.exceptions); /* denied by the rules: UDP is not allowed inbound */
  assert_int_equal(s.bad_events, 0);
  if (caps.caps & (1u << NSGNIC_CAP_EXC_PARK)) {
    /* a parked exception the full ring cannot report is dropped at once (its park slot must not
     * stay taken); the reported ones are released as drops, or had expired meanwhile */
    assert_int_equal(s.release_drops + s.expired, s.exceptions);
    assert_int_equal(fw1[NSGNIC_FWCNT_EXC_DROPPED] - fw0[NSGNIC_FWCNT_EXC_DROPPED], s.release_drops);
    assert_int_equal(fw1[NSGNIC_FWCNT_EXC_EXPIRED] - fw0[NSGNIC_FWCNT_EXC_EXPIRED], s.expired);
  } else {
    assert_true(s.exceptions >= NSGNIC_EVT_RING_SLOTS); /* the ring filled, then back-pressure: */
    assert_int_equal(lost, 0); /* the firmware waits, the datapath drops (EXQ_FULL) */
  }
  assert_int_equal(fw1[NSGNIC_FWCNT_EXCEPTIONS] - fw0[NSGNIC_FWCNT_EXCEPTIONS], s.exceptions);
  nsg_exc_free(x);
  nsg_slowpath_free(sp);
  nsg_simnic_free(n);
  nsg_config_free(cfg);
}

int main(void)
{
  const struct CMUnitTest tests[] = {cmocka_unit_test(burst)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}

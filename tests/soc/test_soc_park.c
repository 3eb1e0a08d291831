/* SPDX-License-Identifier: Apache-2.0 */
/* The co-simulated NIC (nsgnic_top + the real firmware) with host-driven time and parked
 * exceptions (ABI 1.2):
 *  - host time: with HOSTREG_TIME_CTRL.EXTERNAL the datapath's NOW (the FLOW.TIMESTAMP of a
 *    learned flow, S5's flow state) stands still whatever the clock does and moves by exactly
 *    the n of each TIME_TICK write; without EXTERNAL it ticks again every TickCycles clocks. */
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
#include "nsgnic_soc.h"

/* Ethernet + IPv4 + TCP from src:sp to dst:dp with TCP flags; len >= 60 (payload zero). */
static size_t tcp_frame(uint8_t *f, size_t len, const uint8_t src[4], uint16_t sp, const uint8_t dst[4],
                        uint16_t dp, uint8_t flags)
{
  memset(f, 0, len);
  f[12] = 0x08;
  uint8_t *ip = f + 14, *t = ip + 20;
  ip[0] = 0x45;
  ip[2] = (uint8_t)((len - 14) >> 8);
  ip[3] = (uint8_t)(len - 14);
  ip[8] = 64;
  ip[9] = 6;
  memcpy(ip + 12, src, 4);
  memcpy(ip + 16, dst, 4);
  t[0] = (uint8_t)(sp >> 8), t[1] = (uint8_t)sp, t[2] = (uint8_t)(dp >> 8), t[3] = (uint8_t)dp;
  t[12] = 5 << 4;
  t[13] = flags;
  for (size_t i = 54; i < len; i++)
    f[i] = (uint8_t)(i * 7 + 3);
  return len;
}

static const uint8_t vm[4] = {10, 0, 1, 4}, server[4] = {93, 184, 216, 34};

struct ctx {
  struct nsg_config *cfg;
  struct nsg_simnic *n;
  struct nsgnic_dev *d;
};

static int setup(void **state)
{
  static struct ctx c;
  c.cfg = fx_config("sub", "nic", NSG("sub", "") "," NSG("nic", ""), NULL);
  if (!c.cfg)
    return -1;
  struct nsg_simnic_opts o;
  nsg_simnic_opts_default(&o);
  o.learn = true;
  char err[512] = "";
  c.n = nsg_simnic_new(c.cfg, &o, err, sizeof err);
  if (!c.n) {
    fprintf(stderr, "simnic: %s\n", err);
    return -1;
  }
  c.d = nsg_simnic_dev(c.n);
  *state = &c;
  return 0;
}

static int teardown(void **state)
{
  struct ctx *c = *state;
  nsg_simnic_free(c->n);
  nsg_config_free(c->cfg);
  return 0;
}

/* TIMESTAMP of the only valid flow entry. */
static unsigned flow_timestamp(struct ctx *c)
{
  struct nsg_device_caps caps;
  char err[256];
  assert_int_equal(nsg_device_caps(c->d, &caps, err, sizeof err), 0);
  uint32_t e[16];
  int found = -1;
  for (uint32_t i = 0; i < caps.flow_entries; i++) {
    if (nsg_device_flow_read(c->d, i, e, err, sizeof err) == 0) {
      assert_int_equal(found, -1);
      found = (int)i;
      break;
    }
  }
  assert_true(found >= 0);
  return (unsigned)NSGNIC_GET(e, FLOW_TIMESTAMP);
}

/* One packet of the vm -> server:80 connection (allowed, learned or hit). */
static void packet(struct ctx *c, uint8_t flags)
{
  uint8_t f[64];
  struct nsg_simnic_frame r;
  char err[256];
  assert_int_equal(nsg_simnic_frame(c->n, f, tcp_frame(f, 60, vm, 40000, server, 80, flags), &r, err, sizeof err), 0);
  assert_int_equal(r.fate, NSG_SIMNIC_ALLOWED);
}

static void time_external(void **state)
{
  struct ctx *c = *state;
  struct nsgnic_soc *soc = nsgnic_dev_sim_soc(c->d);
  struct nsgnic_soc_params p;
  nsgnic_soc_params(&p);
  const uint32_t ext = 1u << NSGNIC_TIME_CTRL_EXTERNAL_LSB;
  assert_true(nsgnic_dev_rd32(c->d, NSGNIC_HOSTREG_HW_CAPS) & (1u << NSGNIC_CAP_EXT_TIME));
  assert_true(nsgnic_dev_rd32(c->d, NSGNIC_HOSTREG_FW_CAPS) & (1u << NSGNIC_CAP_EXT_TIME));
  assert_int_equal(nsgnic_dev_rd32(c->d, NSGNIC_HOSTREG_TIME_CTRL), 0);
  /* internal time: the flow's timestamp follows the clock */
  packet(c, 0x02);
  unsigned t0 = flow_timestamp(c);
  nsgnic_soc_step(soc, 20 * (uint64_t)p.tick_cycles);
  packet(c, 0x10);
  unsigned t1 = flow_timestamp(c);
  assert_true(((t1 - t0) & 0xffff) >= 20);
  /* TIME_TICK without EXTERNAL is ignored (checked below: NOW moves by the clock only) */
  nsgnic_dev_wr32(c->d, NSGNIC_HOSTREG_TIME_TICK, 30000);

  /* external: NOW stands still over 50 tick periods ... */
  nsgnic_dev_wr32(c->d, NSGNIC_HOSTREG_TIME_CTRL, ext);
  assert_int_equal(nsgnic_dev_rd32(c->d, NSGNIC_HOSTREG_TIME_CTRL), ext);
  packet(c, 0x10);
  unsigned t2 = flow_timestamp(c);
  assert_true(((t2 - t1) & 0xffff) < 1000);   /* the ignored 30000 did not count */
  nsgnic_soc_step(soc, 50 * (uint64_t)p.tick_cycles);
  packet(c, 0x10);
  assert_int_equal(flow_timestamp(c), t2);
  /* ... and moves by exactly n per TIME_TICK write (modulo 2^16) */
  nsgnic_dev_wr32(c->d, NSGNIC_HOSTREG_TIME_TICK, 1234);
  packet(c, 0x10);
  assert_int_equal(flow_timestamp(c), (t2 + 1234) & 0xffff);
  nsgnic_dev_wr32(c->d, NSGNIC_HOSTREG_TIME_TICK, 1);
  nsgnic_dev_wr32(c->d, NSGNIC_HOSTREG_TIME_TICK, 65535);
  packet(c, 0x10);
  assert_int_equal(flow_timestamp(c), (t2 + 1234 + 1 + 65535) & 0xffff);
  /* out of range: 0 and > 65535 change nothing */
  nsgnic_dev_wr32(c->d, NSGNIC_HOSTREG_TIME_TICK, 0);
  nsgnic_dev_wr32(c->d, NSGNIC_HOSTREG_TIME_TICK, 0x10000);
  packet(c, 0x10);
  unsigned t3 = flow_timestamp(c);
  assert_int_equal(t3, (t2 + 1234 + 1 + 65535) & 0xffff);
  assert_int_equal(nsgnic_dev_rd32(c->d, NSGNIC_HOSTREG_TIME_TICK), 0);   /* write-only */

  /* back to internal time */
  nsgnic_dev_wr32(c->d, NSGNIC_HOSTREG_TIME_CTRL, 0);
  nsgnic_soc_step(soc, 10 * (uint64_t)p.tick_cycles);
  packet(c, 0x10);
  unsigned t4 = flow_timestamp(c);
  assert_true(((t4 - t3) & 0xffff) >= 10 && ((t4 - t3) & 0xffff) < 1000);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(time_external),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}

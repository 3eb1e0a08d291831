/* SPDX-License-Identifier: Apache-2.0 */
/* The co-simulated NIC (nsgnic_top + the real firmware) with host-driven time and parked
 * exceptions (ABI 1.2):
 *  - host time: with HOSTREG_TIME_CTRL.EXTERNAL the datapath's NOW (the FLOW.TIMESTAMP of a
 *    learned flow, S5's flow state) stands still whatever the clock does and moves by exactly
 *    the n of each TIME_TICK write; without EXTERNAL it ticks again every TickCycles clocks.
 *  - parked exceptions: an IPv4 fragment (punted: S3 rules match ports a later fragment does
 *    not carry, so the host, which reassembles and tracks the flow per S5, decides it) is
 *    reported by EVT_EXCEPTION with PARKED; CMD_EXC_RELEASE with ACTION_ALLOW sends the WHOLE
 *    frame (longer than the 128-byte head) out on OUT_PORT byte for byte, exactly once;
 *    ACTION_DENY drops it; an unreleased one expires after EXC_PARK_TIMEOUT; the firmware and
 *    datapath counters agree. */
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
#include "soc_frames.h"

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
  assert_int_equal(nsg_simnic_frame(c->n, f, soc_tcp_frame(f, 6, vm, 40000, server, 80, flags), &r, err, sizeof err), 0);
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

/* An IPv4 TCP frame of `len` bytes with MF set (a first fragment), payload a pattern of `salt`. */
static void fragment(uint8_t *f, size_t len, uint8_t salt)
{
  soc_tcp_frame(f, len - 54, server, 80, vm, 40000, 0x10);
  f[14 + 6] = 0x20;  /* MF */
  for (size_t i = 54; i < len; i++)
    f[i] = (uint8_t)(i * 13 + salt);
}

/* Sends a frame on the wire of context 0 and returns its (punted) result's id. */
static uint64_t send_punt(struct nsgnic_soc *soc, const uint8_t *f, size_t len)
{
  uint64_t id;
  struct nsgnic_soc_result r;
  assert_int_equal(nsgnic_soc_send(soc, nsgnic_soc_port(false, 0), f, len, &id), 0);
  assert_int_equal(nsgnic_soc_drain(soc, 100000), 0);
  assert_int_equal(nsgnic_soc_recv(soc, &r), 1);
  assert_int_equal(r.id, id);
  assert_false(r.released);
  assert_int_equal(r.action, NSGNIC_ACTION_PUNT);
  assert_int_equal(r.reason, NSGNIC_REASON_IPV4_FRAGMENT);
  return id;
}

/* Waits for the EVT_EXCEPTION of the frame f; checks PARKED and the head; returns the TOKEN. */
static uint32_t parked_event(struct nsgnic_dev *d, struct nsgnic_soc *soc, const uint8_t *f, size_t len)
{
  uint32_t slot[NSGNIC_SLOT_WORDS];
  int got = 0;
  for (int i = 0; i < 200 && got == 0; i++) {
    nsgnic_soc_step(soc, 500);
    got = nsgnic_dev_event_slot(d, slot);
  }
  assert_int_equal(got, 1);
  assert_int_equal(NSGNIC_GET(&slot[0], EVT_HDR_CODE), NSGNIC_EVT_EXCEPTION);
  const uint32_t *p = slot + NSGNIC_MSG_HDR_WORDS;
  assert_int_equal(NSGNIC_GET(p, P_EXC_PARKED), 1);
  assert_int_equal(NSGNIC_GET(p, P_EXC_REASON), NSGNIC_REASON_IPV4_FRAGMENT);
  assert_int_equal(NSGNIC_GET(p, P_EXC_PKT_LEN), len);
  assert_int_equal(NSGNIC_GET(p, P_EXC_HEAD_LEN), NSGNIC_EXC_HEAD_BYTES);
  assert_memory_equal((const uint8_t *)(p + NSGNIC_P_EXC_HEAD_LSB / 32), f, NSGNIC_EXC_HEAD_BYTES);
  return slot[1];
}

static uint32_t release(struct nsgnic_dev *d, uint32_t token, unsigned action, uint16_t port)
{
  uint32_t req[2] = {token, 0}, resp[NSGNIC_MSG_PAYLOAD_WORDS], status = 0xff;
  unsigned rlen;
  NSGNIC_PUT(req, P_XREL_OUT_PORT, port);
  NSGNIC_PUT(req, P_XREL_ACTION, action);
  nsgnic_dev_cmd(d, NSGNIC_CMD_EXC_RELEASE, req, 2, resp, NSGNIC_MSG_PAYLOAD_WORDS, &rlen, &status);
  return status;
}

static uint64_t counter(struct nsgnic_dev *d, unsigned block, unsigned id)
{
  uint32_t req[2] = {0, id}, resp[NSGNIC_MSG_PAYLOAD_WORDS], status;
  unsigned rlen;
  NSGNIC_PUT(req, P_CNT_BLOCK, block);
  NSGNIC_PUT(req, P_CNT_COUNT, 1);
  assert_int_equal(nsgnic_dev_cmd(d, NSGNIC_CMD_COUNTERS_READ, req, 2, resp, NSGNIC_MSG_PAYLOAD_WORDS, &rlen, &status), 0);
  return resp[2] | (uint64_t)resp[3] << 32;
}

static void park_release(void **state)
{
  struct ctx *c = *state;
  struct nsgnic_soc *soc = nsgnic_dev_sim_soc(c->d);
  assert_true(nsgnic_dev_rd32(c->d, NSGNIC_HOSTREG_HW_CAPS) & (1u << NSGNIC_CAP_EXC_PARK));
  assert_true(nsgnic_dev_rd32(c->d, NSGNIC_HOSTREG_FW_CAPS) & (1u << NSGNIC_CAP_EXC_PARK));
  uint64_t fw0 = counter(c->d, NSGNIC_CNT_BLOCK_FW, NSGNIC_FWCNT_EXC_FORWARDED);
  uint64_t dp0 = counter(c->d, NSGNIC_CNT_BLOCK_DP, NSGNIC_CNT_EXQ_FORWARDED);
  static uint8_t f[700], g[200];
  struct nsgnic_soc_result r;

  /* ACTION_ALLOW: the whole 700-byte frame leaves on OUT_PORT, once */
  fragment(f, sizeof f, 1);
  uint64_t id = send_punt(soc, f, sizeof f);
  uint32_t tok = parked_event(c->d, soc, f, sizeof f);
  uint16_t out = nsgnic_soc_port(true, 1);
  assert_int_equal(release(c->d, tok, NSGNIC_ACTION_ALLOW, out), NSGNIC_STATUS_OK);
  int got = 0;
  for (int i = 0; i < 100 && got == 0; i++) {
    nsgnic_soc_step(soc, 100);
    got = nsgnic_soc_recv(soc, &r);
  }
  assert_int_equal(got, 1);
  assert_true(r.released);
  assert_int_equal(r.id, id);
  assert_int_equal(r.action, NSGNIC_ACTION_ALLOW);
  assert_int_equal(r.in_port, nsgnic_soc_port(false, 0));
  assert_int_equal(r.out_port, out);
  assert_int_equal(r.len, sizeof f);
  assert_memory_equal(r.data, f, sizeof f);
  assert_int_equal(release(c->d, tok, NSGNIC_ACTION_ALLOW, out), NSGNIC_STATUS_NOT_FOUND);
  assert_int_equal(release(c->d, tok, NSGNIC_ACTION_PUNT, out), NSGNIC_STATUS_BAD_FIELD);
  nsgnic_soc_step(soc, 5000);
  assert_int_equal(nsgnic_soc_recv(soc, &r), 0); /* exactly once */
  assert_int_equal(counter(c->d, NSGNIC_CNT_BLOCK_FW, NSGNIC_FWCNT_EXC_FORWARDED), fw0 + 1);
  assert_int_equal(counter(c->d, NSGNIC_CNT_BLOCK_DP, NSGNIC_CNT_EXQ_FORWARDED), dp0 + 1);

  /* ACTION_DENY: dropped, nothing leaves */
  uint64_t fd0 = counter(c->d, NSGNIC_CNT_BLOCK_FW, NSGNIC_FWCNT_EXC_DROPPED);
  uint64_t dd0 = counter(c->d, NSGNIC_CNT_BLOCK_DP, NSGNIC_CNT_EXQ_DISCARDED);
  fragment(g, sizeof g, 2);
  send_punt(soc, g, sizeof g);
  tok = parked_event(c->d, soc, g, sizeof g);
  assert_int_equal(release(c->d, tok, NSGNIC_ACTION_DENY, 0), NSGNIC_STATUS_OK);
  nsgnic_soc_step(soc, 5000);
  assert_int_equal(nsgnic_soc_recv(soc, &r), 0);
  assert_int_equal(counter(c->d, NSGNIC_CNT_BLOCK_FW, NSGNIC_FWCNT_EXC_DROPPED), fd0 + 1);
  assert_int_equal(counter(c->d, NSGNIC_CNT_BLOCK_DP, NSGNIC_CNT_EXQ_DISCARDED), dd0 + 1);
  assert_int_equal(release(c->d, tok, NSGNIC_ACTION_DENY, 0), NSGNIC_STATUS_NOT_FOUND);

  /* no answer: dropped after EXC_PARK_TIMEOUT ticks, the token is gone */
  uint64_t ex0 = counter(c->d, NSGNIC_CNT_BLOCK_FW, NSGNIC_FWCNT_EXC_EXPIRED);
  fragment(g, sizeof g, 3);
  send_punt(soc, g, sizeof g);
  tok = parked_event(c->d, soc, g, sizeof g);
  nsgnic_soc_step(soc, NSGNIC_EXC_PARK_TIMEOUT / 2);
  assert_int_equal(counter(c->d, NSGNIC_CNT_BLOCK_FW, NSGNIC_FWCNT_EXC_EXPIRED), ex0);
  nsgnic_soc_step(soc, NSGNIC_EXC_PARK_TIMEOUT / 2 + 10000);
  assert_int_equal(counter(c->d, NSGNIC_CNT_BLOCK_FW, NSGNIC_FWCNT_EXC_EXPIRED), ex0 + 1);
  assert_int_equal(counter(c->d, NSGNIC_CNT_BLOCK_DP, NSGNIC_CNT_EXQ_DISCARDED), dd0 + 2);
  assert_int_equal(release(c->d, tok, NSGNIC_ACTION_ALLOW, out), NSGNIC_STATUS_NOT_FOUND);
  assert_int_equal(nsgnic_soc_recv(soc, &r), 0);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(time_external),
      cmocka_unit_test(park_release),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}

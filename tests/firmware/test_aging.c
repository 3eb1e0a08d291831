/* SPDX-License-Identifier: Apache-2.0 */
/* Firmware flow commands, the aging scan (idle reports, wrap, batching, back-pressure,
 * intervals) and exception forwarding. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"

static int setup(void **state)
{
  *state = fx_new();
  return 0;
}

static int teardown(void **state)
{
  struct fx *f = *state;
  assert_true(fx_guards_ok(f));
  fx_free(f);
  return 0;
}

static uint32_t insert(struct fx *f, uint32_t local, uint16_t lport, uint32_t ts, uint32_t *slot)
{
  uint32_t p[17], out[30], n;
  fx_flow(p, local, 0x08080808u, lport, 443, ts);
  uint32_t st = fw_host_cmd(&f->host, NSGNIC_CMD_FLOW_INSERT, p, 17, out, &n);
  if (st == NSGNIC_STATUS_OK && slot)
    *slot = out[0];
  return st;
}

static uint32_t aging_start(struct fx *f, uint32_t threshold, uint32_t interval, uint32_t batch)
{
  uint32_t p[3] = {threshold, interval, batch};
  return fw_host_cmd(&f->host, NSGNIC_CMD_AGING_START, p, 3, NULL, NULL);
}

static void test_flow_commands(void **state)
{
  struct fx *f = *state;
  uint32_t slot = 0, p[17], out[30], n;
  assert_int_equal(insert(f, 0x0a000001u, 1000, 0, &slot), NSGNIC_STATUS_OK);
  assert_true(slot < FX_FLOWS);
  assert_int_equal(insert(f, 0x0a000001u, 1000, 0, NULL), NSGNIC_STATUS_EXISTS);
  assert_int_equal(fw_host_cmd(&f->host, NSGNIC_CMD_FLOW_READ, &slot, 1, out, &n),
                   NSGNIC_STATUS_OK);
  assert_int_equal(n, 17);
  assert_int_equal(out[0], slot);
  assert_memory_equal(out + 1, f->flow[slot], 64);
  uint32_t bad = FX_FLOWS;
  assert_int_equal(fw_host_cmd(&f->host, NSGNIC_CMD_FLOW_READ, &bad, 1, out, &n),
                   NSGNIC_STATUS_BAD_INDEX);
  uint32_t empty = (slot + 1) % FX_FLOWS;
  assert_int_equal(fw_host_cmd(&f->host, NSGNIC_CMD_FLOW_READ, &empty, 1, out, &n),
                   NSGNIC_STATUS_NOT_FOUND);
  /* delete: wrong key, wrong slot, then right */
  fx_flow(p, 0x0a000001u, 0x08080808u, 1001, 443, 0);
  p[0] = slot;
  assert_int_equal(fw_host_cmd(&f->host, NSGNIC_CMD_FLOW_DELETE, p, 11, out, &n),
                   NSGNIC_STATUS_NOT_FOUND);
  fx_flow(p, 0x0a000001u, 0x08080808u, 1000, 443, 0);
  p[0] = FX_FLOWS;
  assert_int_equal(fw_host_cmd(&f->host, NSGNIC_CMD_FLOW_DELETE, p, 11, out, &n),
                   NSGNIC_STATUS_BAD_INDEX);
  p[0] = slot;
  /* non-key bits of the 10th word (VALID, ACTION, ...) do not matter */
  p[10] ^= 0xff000000u;
  assert_int_equal(fw_host_cmd(&f->host, NSGNIC_CMD_FLOW_DELETE, p, 11, out, &n),
                   NSGNIC_STATUS_OK);
  assert_int_equal(NSGNIC_GET(f->flow[slot], FLOW_VALID), 0);
  assert_int_equal(fw_host_cmd(&f->host, NSGNIC_CMD_FLOW_DELETE, p, 11, out, &n),
                   NSGNIC_STATUS_NOT_FOUND);
  assert_int_equal(f->fw.cnt[NSGNIC_FWCNT_FLOW_INSERTS], 1);
  assert_int_equal(f->fw.cnt[NSGNIC_FWCNT_FLOW_DELETES], 1);
}

static void test_flow_insert_validation(void **state)
{
  struct fx *f = *state;
  uint32_t p[17], out[30], n;
#define EXPECT(st, mutate) \
  do { \
    fx_flow(p, 0x0a000002u, 0x01020304u, 5, 6, 0); \
    uint32_t *e = p + 1; \
    (void)e; \
    mutate; \
    assert_int_equal(fw_host_cmd(&f->host, NSGNIC_CMD_FLOW_INSERT, p, 17, out, &n), (st)); \
  } while (0)
  EXPECT(NSGNIC_STATUS_BAD_FIELD, p[0] = 3);
  EXPECT(NSGNIC_STATUS_BAD_FIELD, NSGNIC_PUT(e, FLOW_VALID, 0));
  EXPECT(NSGNIC_STATUS_BAD_FIELD, NSGNIC_PUT(e, FLOW_RESERVED0, 1));
  EXPECT(NSGNIC_STATUS_BAD_FIELD, NSGNIC_PUT(e, FLOW_RESERVED1, 1));
  EXPECT(NSGNIC_STATUS_BAD_FIELD, NSGNIC_PUT(e, FLOW_RESERVED2, 1));
  EXPECT(NSGNIC_STATUS_BAD_FIELD, NSGNIC_PUT(e, FLOW_ACTION, NSGNIC_ACTION_NONE));
  EXPECT(NSGNIC_STATUS_BAD_FIELD, NSGNIC_PUT(e, FLOW_VPORT, FX_VPORTS));
  EXPECT(NSGNIC_STATUS_BAD_FIELD, e[2] = 1); /* IPv4 with address bits above 31 */
  EXPECT(NSGNIC_STATUS_BAD_FIELD, e[7] = 1);
  EXPECT(NSGNIC_STATUS_OK, (NSGNIC_PUT(e, FLOW_FAMILY, NSGNIC_FAMILY_IPV6), e[2] = 1, e[7] = 1));
  f->ram.fail = 1;
  EXPECT(NSGNIC_STATUS_HW_ERROR, (void)0);
  f->hal.flow_entries = 0; /* a device without a flow cache */
  EXPECT(NSGNIC_STATUS_UNSUPPORTED, (void)0);
  f->hal.flow_entries = FX_FLOWS;
#undef EXPECT
  /* fill until the table refuses */
  uint32_t ok = 0, st = NSGNIC_STATUS_OK;
  for (uint32_t i = 0; i < 4 * FX_FLOWS && st != NSGNIC_STATUS_TABLE_FULL; i++) {
    st = insert(f, 0x0b000000u + i, (uint16_t)i, 0, NULL);
    if (st == NSGNIC_STATUS_OK)
      ok++;
  }
  assert_int_equal(st, NSGNIC_STATUS_TABLE_FULL);
  assert_true(ok > 8);
}

/* Collects events; returns the number of IDLE_FLOW reports, *done the SCAN_DONE count. */
static uint32_t drain(struct fx *f, uint32_t *idle_slots, uint32_t *idle_ticks, uint32_t *done)
{
  uint32_t code, out[30], n, idle = 0;
  while (fw_host_evt(&f->host, &code, out, &n)) {
    if (code == NSGNIC_EVT_IDLE_FLOW) {
      assert_int_equal(n, 2 + FW_FLOW_WORDS);
      assert_memory_equal(out + 2, f->flow[out[0]], 64);
      if (idle_slots)
        idle_slots[idle] = out[0];
      if (idle_ticks)
        idle_ticks[idle] = out[1];
      idle++;
    } else if (code == NSGNIC_EVT_SCAN_DONE && done) {
      (*done)++;
    }
  }
  return idle;
}

static void test_aging_reports_idle_flows(void **state)
{
  struct fx *f = *state;
  uint32_t a = 0, b = 0, c = 0;
  f->ram.now = 1000;
  assert_int_equal(insert(f, 0x0a000001u, 1, 1000 - 50, &a), NSGNIC_STATUS_OK); /* idle 50 */
  assert_int_equal(insert(f, 0x0a000002u, 2, 1000 - 10, &b), NSGNIC_STATUS_OK); /* idle 10 */
  assert_int_equal(insert(f, 0x0a000003u, 3, 1000 - 30, &c), NSGNIC_STATUS_OK); /* idle 30 */
  assert_int_equal(aging_start(f, 30, 1000000, 16), NSGNIC_STATUS_OK);
  for (int i = 0; i < 20; i++)
    fw_poll(&f->fw);
  uint32_t slots[8], ticks[8], done = 0;
  uint32_t k = drain(f, slots, ticks, &done);
  assert_int_equal(k, 2);
  assert_int_equal(done, 1);
  for (uint32_t i = 0; i < k; i++) {
    assert_true(slots[i] == a || slots[i] == c);
    assert_int_equal(ticks[i], slots[i] == a ? 50 : 30);
  }
  /* the interval has not passed: no second pass */
  for (int i = 0; i < 20; i++)
    fw_poll(&f->fw);
  assert_int_equal(drain(f, NULL, NULL, &done), 0);
  assert_int_equal(done, 1);
  assert_int_equal(f->fw.cnt[NSGNIC_FWCNT_SCAN_PASSES], 1);
  assert_int_equal(f->fw.cnt[NSGNIC_FWCNT_FLOWS_SCANNED], FX_FLOWS);
  assert_int_equal(f->fw.cnt[NSGNIC_FWCNT_IDLE_REPORTS], 2);
}

static void test_aging_timestamp_wrap(void **state)
{
  struct fx *f = *state;
  uint32_t a = 0;
  f->ram.now = 5;
  assert_int_equal(insert(f, 0x0a000001u, 1, 65530, &a), NSGNIC_STATUS_OK); /* idle 11 */
  assert_int_equal(aging_start(f, 11, 1u << 30, 64), NSGNIC_STATUS_OK);
  for (int i = 0; i < 3; i++)
    fw_poll(&f->fw);
  uint32_t ticks[4];
  assert_int_equal(drain(f, NULL, ticks, NULL), 1);
  assert_int_equal(ticks[0], 11);
}

static void test_aging_validation_and_stop(void **state)
{
  struct fx *f = *state;
  assert_int_equal(aging_start(f, 0, 0, 1), NSGNIC_STATUS_BAD_FIELD);
  assert_int_equal(aging_start(f, 32768, 0, 1), NSGNIC_STATUS_BAD_FIELD);
  assert_int_equal(aging_start(f, 1, 0, 0), NSGNIC_STATUS_BAD_FIELD);
  assert_int_equal(aging_start(f, 1, 0, 65537), NSGNIC_STATUS_BAD_FIELD);
  assert_false(f->fw.aging.on);
  assert_int_equal(aging_start(f, 1, 0, 65536), NSGNIC_STATUS_OK);
  assert_int_equal(fw_host_cmd(&f->host, NSGNIC_CMD_AGING_STOP, NULL, 0, NULL, NULL),
                   NSGNIC_STATUS_OK);
  uint32_t scanned = f->ram.flow_scanned;
  for (int i = 0; i < 10; i++)
    fw_poll(&f->fw);
  assert_int_equal(f->ram.flow_scanned, scanned);
}

/* One main-loop turn examines at most `batch` slots; back-to-back passes with interval 0. */
static void test_aging_batch_bound(void **state)
{
  struct fx *f = *state;
  assert_int_equal(aging_start(f, 100, 0, 5), NSGNIC_STATUS_OK);
  for (int i = 0; i < 100; i++) {
    uint32_t before = f->ram.flow_scanned;
    fw_poll(&f->fw);
    assert_true(f->ram.flow_scanned - before <= 5);
  }
  uint32_t done = 0;
  drain(f, NULL, NULL, &done);
  assert_true(done >= 6); /* 64 slots / 5 per turn = 13 turns + 1 for the report per pass */
}

/* A full event ring holds the scan at the flow it could not report; no report is lost. */
static void test_aging_backpressure(void **state)
{
  struct fx *f = *state;
  f->ram.now = 100;
  uint32_t ok = 0;
  for (uint32_t i = 0; i < FX_FLOWS; i++)
    if (insert(f, 0x0c000000u + i, (uint16_t)i, 0, NULL) == NSGNIC_STATUS_OK)
      ok++;
  /* fill the event ring with exceptions first (they wait in the queue when it is full) */
  uint32_t x[3] = {0, 0, 0};
  uint32_t pushed = 0;
  while (f->fw.evt_head < NSGNIC_EVT_RING_SLOTS - 3) {
    if (fw_ram_exc_push(&f->ram, x, 3) == 0)
      pushed++;
    fw_poll(&f->fw);
  }
  assert_int_equal(aging_start(f, 10, 1u << 30, 64), NSGNIC_STATUS_OK);
  for (int i = 0; i < 10; i++)
    fw_poll(&f->fw);
  assert_int_equal(f->fw.evt_head, NSGNIC_EVT_RING_SLOTS); /* full */
  assert_true(f->fw.aging.in_pass);
  /* the host drains: the scan resumes and reports every flow exactly once */
  uint32_t idle = 0, done = 0;
  for (int i = 0; i < 200 && !done; i++) {
    idle += drain(f, NULL, NULL, &done);
    fw_poll(&f->fw);
  }
  idle += drain(f, NULL, NULL, &done);
  assert_int_equal(idle, ok);
  assert_int_equal(done, 1);
  assert_int_equal(f->fw.cnt[NSGNIC_FWCNT_EVT_LOST], 0);
}

/* CMD_AGING_HW (S5 per-state timeouts): the firmware programs the engine's per-class timeouts
 * and forwards every report of a flow the engine deleted as EVT_FLOW_EXPIRED (slot, idle, the
 * entry before the delete), at most FW_AGE_BATCH per turn and only into free event slots:
 * nothing is lost when the ring is full. */
static void test_aging_hw(void **state)
{
  struct fx *f = *state;
  uint32_t p[5] = {0}, out[30], n = 0, code = 0;
  uint32_t caps[30];
  assert_int_equal(fw_host_cmd(&f->host, NSGNIC_CMD_GET_CAPS, NULL, 0, caps, &n), NSGNIC_STATUS_OK);
  assert_true(caps[NSGNIC_P_CAPS_CAPS_LSB / 32] & (1u << NSGNIC_CAP_HW_AGING));
  NSGNIC_PUT(p, P_AGEHW_ENABLE, 1);
  NSGNIC_PUT(p, P_AGEHW_PACE, 3);
  NSGNIC_PUT(p, P_AGEHW_TCP_EST, 240);
  NSGNIC_PUT(p, P_AGEHW_TCP_HALF_OPEN, 30);
  NSGNIC_PUT(p, P_AGEHW_NEW, 60);
  NSGNIC_PUT(p, P_AGEHW_TCP_CLOSING, 31);
  NSGNIC_PUT(p, P_AGEHW_TCP_TIME_WAIT, 11);
  NSGNIC_PUT(p, P_AGEHW_TCP_CLOSED, 12);
  NSGNIC_PUT(p, P_AGEHW_REPLIED, 241);
  /* every class needs a timeout (ICMP's is 0): refused, nothing written */
  assert_int_equal(fw_host_cmd(&f->host, NSGNIC_CMD_AGING_HW, p, 5, out, &n), NSGNIC_STATUS_BAD_FIELD);
  assert_int_equal(f->ram.age_en, 0);
  NSGNIC_PUT(p, P_AGEHW_ICMP, 10);
  NSGNIC_PUT(p, P_AGEHW_RESERVED0, 1);
  assert_int_equal(fw_host_cmd(&f->host, NSGNIC_CMD_AGING_HW, p, 5, out, &n), NSGNIC_STATUS_BAD_FIELD);
  NSGNIC_PUT(p, P_AGEHW_RESERVED0, 0);
  NSGNIC_PUT(p, P_AGEHW_RESERVED1, 1);
  assert_int_equal(fw_host_cmd(&f->host, NSGNIC_CMD_AGING_HW, p, 5, out, &n), NSGNIC_STATUS_BAD_FIELD);
  NSGNIC_PUT(p, P_AGEHW_RESERVED1, 0);
  assert_int_equal(fw_host_cmd(&f->host, NSGNIC_CMD_AGING_HW, p, 3, out, &n), NSGNIC_STATUS_BAD_LENGTH);
  assert_int_equal(fw_host_cmd(&f->host, NSGNIC_CMD_AGING_HW, p, 5, out, &n), NSGNIC_STATUS_OK);
  assert_int_equal(f->ram.age_en, 1);
  assert_int_equal(f->ram.age_pace, 3);
  assert_int_equal(f->ram.age_to[NSGNIC_AGE_CLASS_TCP_EST], 240);
  assert_int_equal(f->ram.age_to[NSGNIC_AGE_CLASS_ICMP], 10);
  assert_int_equal(f->ram.age_to[NSGNIC_AGE_CLASS_TCP_TIME_WAIT], 11);
  assert_int_equal(f->ram.age_to[NSGNIC_AGE_CLASS_TCP_CLOSED], 12);
  assert_int_equal(f->ram.age_to[NSGNIC_AGE_CLASS_REPLIED], 241);
  /* a stop (ENABLE 0, the request's timeouts 0) keeps the timeouts in effect: scans in flight
   * are judged by them, never by zero (which would expire every flow they read) */
  uint32_t stop[5] = {0};
  NSGNIC_PUT(stop, P_AGEHW_PACE, 3);
  assert_int_equal(fw_host_cmd(&f->host, NSGNIC_CMD_AGING_HW, stop, 5, out, &n), NSGNIC_STATUS_OK);
  assert_int_equal(f->ram.age_en, 0);
  assert_int_equal(f->ram.age_to[NSGNIC_AGE_CLASS_TCP_EST], 240);
  assert_int_equal(f->ram.age_to[NSGNIC_AGE_CLASS_ICMP], 10);
  assert_int_equal(f->ram.age_to[NSGNIC_AGE_CLASS_TCP_HALF_OPEN], 30);
  assert_int_equal(f->ram.age_to[NSGNIC_AGE_CLASS_REPLIED], 241);
  assert_int_equal(fw_host_cmd(&f->host, NSGNIC_CMD_AGING_HW, p, 5, out, &n), NSGNIC_STATUS_OK);
  assert_int_equal(f->ram.age_en, 1);
  /* per-vport established timeouts (S5: the VNet's flowTimeoutInMinutes): 0 after boot; a bad
   * vport or reserved bit refuses the whole command (nothing written) */
  for (unsigned v = 0; v < 256; v++)
    assert_int_equal(f->ram.age_est[v], 0);
  uint32_t e[3] = {0, 0, 0};
  NSGNIC_PUT(e + 0, P_AGEEST_VPORT, 1);
  NSGNIC_PUT(e + 0, P_AGEEST_TIMEOUT, 600);
  NSGNIC_PUT(e + 1, P_AGEEST_VPORT, 2);
  NSGNIC_PUT(e + 1, P_AGEEST_TIMEOUT, 1800);
  NSGNIC_PUT(e + 2, P_AGEEST_VPORT, f->hal.vports);
  assert_int_equal(fw_host_cmd(&f->host, NSGNIC_CMD_AGING_EST, e, 3, out, &n), NSGNIC_STATUS_BAD_FIELD);
  assert_int_equal(f->ram.age_est[1], 0);
  NSGNIC_PUT(e + 2, P_AGEEST_VPORT, 0);
  NSGNIC_PUT(e + 2, P_AGEEST_RESERVED, 1);
  assert_int_equal(fw_host_cmd(&f->host, NSGNIC_CMD_AGING_EST, e, 3, out, &n), NSGNIC_STATUS_BAD_FIELD);
  assert_int_equal(fw_host_cmd(&f->host, NSGNIC_CMD_AGING_EST, e, 2, out, &n), NSGNIC_STATUS_OK);
  assert_int_equal(f->ram.age_est[1], 600);
  assert_int_equal(f->ram.age_est[2], 1800);
  assert_int_equal(f->ram.age_est[0], 0);
  /* the engine deleted three flows */
  uint32_t ent[3][FW_FLOW_WORDS];
  for (uint32_t i = 0; i < 3; i++) {
    uint32_t q[17];
    fx_flow(q, 0x0a000001u + i, 0x08080808u, (uint16_t)(1000 + i), 443, 0);
    memcpy(ent[i], q + 1, sizeof ent[i]);
    NSGNIC_PUT(ent[i], FLOW_PKTS_OUT, 5 + i);
    assert_int_equal(fw_ram_age_push(&f->ram, 7 + i, ent[i]), 0);
  }
  f->ram.age_passes = 5; /* and finished a pass: EVT_SCAN_DONE after the pass's reports */
  fw_poll(&f->fw);
  uint32_t got = 0, done = 0;
  while (fw_host_evt(&f->host, &code, out, &n)) {
    if (code == NSGNIC_EVT_SCAN_DONE) {
      assert_int_equal(got, 3);
      assert_int_equal(NSGNIC_GET(out, P_SCAN_PASS), 5);
      assert_int_equal(NSGNIC_GET(out, P_SCAN_REPORTED), 3);
      done++;
      continue;
    }
    assert_int_equal(code, NSGNIC_EVT_FLOW_EXPIRED);
    assert_int_equal(n, 2 + FW_FLOW_WORDS);
    assert_int_equal(out[0], 7 + got);
    assert_memory_equal(out + 2, ent[got], 64);
    got++;
  }
  assert_int_equal(got, 3);
  assert_int_equal(done, 1);
  fw_poll(&f->fw); /* no new pass: no second EVT_SCAN_DONE */
  assert_false(fw_host_evt(&f->host, &code, out, &n));
  /* stop */
  NSGNIC_PUT(p, P_AGEHW_ENABLE, 0);
  assert_int_equal(fw_host_cmd(&f->host, NSGNIC_CMD_AGING_HW, p, 5, out, &n), NSGNIC_STATUS_OK);
  assert_int_equal(f->ram.age_en, 0);
}

/* A flow the host installs on its first packet (FLOW.HOST_FIRST) was last seen now: FLOW_INSERT
 * stamps TIMESTAMP with NOW, so the aging engine's idle starts there (S5); without the bit the
 * host's TIMESTAMP stays. */
static void test_insert_host_first_stamps_now(void **state)
{
  struct fx *f = *state;
  uint32_t p[17], out[30], n = 0, slot;
  f->ram.now = 4321;
  fx_flow(p, 0x0a000001u, 0x08080808u, 1000, 443, 7);
  NSGNIC_PUT(p + 1, FLOW_HOST_FIRST, 1);
  assert_int_equal(fw_host_cmd(&f->host, NSGNIC_CMD_FLOW_INSERT, p, 17, out, &n), NSGNIC_STATUS_OK);
  slot = out[0];
  assert_int_equal(fw_host_cmd(&f->host, NSGNIC_CMD_FLOW_READ, &slot, 1, out, &n), NSGNIC_STATUS_OK);
  assert_int_equal(NSGNIC_GET(out + 1, FLOW_TIMESTAMP), 4321);
  assert_int_equal(NSGNIC_GET(out + 1, FLOW_HOST_FIRST), 1);
  fx_flow(p, 0x0a000002u, 0x08080808u, 1001, 443, 7);
  assert_int_equal(fw_host_cmd(&f->host, NSGNIC_CMD_FLOW_INSERT, p, 17, out, &n), NSGNIC_STATUS_OK);
  slot = out[0];
  assert_int_equal(fw_host_cmd(&f->host, NSGNIC_CMD_FLOW_READ, &slot, 1, out, &n), NSGNIC_STATUS_OK);
  assert_int_equal(NSGNIC_GET(out + 1, FLOW_TIMESTAMP), 7);
}

static void test_exceptions_forwarded_in_order(void **state)
{
  struct fx *f = *state;
  uint32_t x[30], code, out[30], n;
  for (uint32_t i = 0; i < 6; i++) {
    memset(x, 0, sizeof(x));
    NSGNIC_PUT(x, P_EXC_REASON, NSGNIC_REASON_NON_IP);
    NSGNIC_PUT(x, P_EXC_PKT_LEN, 64 + i);
    x[29] = 0xdead0000u + i;
    assert_int_equal(fw_ram_exc_push(&f->ram, x, 30), 0);
  }
  fw_poll(&f->fw); /* at most FW_EXCS_PER_POLL per turn */
  assert_int_equal(f->fw.cnt[NSGNIC_FWCNT_EXCEPTIONS], FW_EXCS_PER_POLL);
  fw_poll(&f->fw);
  for (uint32_t i = 0; i < 6; i++) {
    assert_int_equal(fw_host_evt(&f->host, &code, out, &n), 1);
    assert_int_equal(code, NSGNIC_EVT_EXCEPTION);
    assert_int_equal(n, 30);
    assert_int_equal(NSGNIC_GET(out, P_EXC_PKT_LEN), 64 + i);
    assert_int_equal(out[29], 0xdead0000u + i);
  }
  assert_int_equal(fw_host_evt(&f->host, &code, out, &n), 0);
  assert_int_equal(f->win[NSGNIC_HOSTREG_EVT_HEAD / 4], 6);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_flow_commands, setup, teardown),
    cmocka_unit_test_setup_teardown(test_aging_hw, setup, teardown),
    cmocka_unit_test_setup_teardown(test_insert_host_first_stamps_now, setup, teardown),
    cmocka_unit_test_setup_teardown(test_flow_insert_validation, setup, teardown),
    cmocka_unit_test_setup_teardown(test_aging_reports_idle_flows, setup, teardown),
    cmocka_unit_test_setup_teardown(test_aging_timestamp_wrap, setup, teardown),
    cmocka_unit_test_setup_teardown(test_aging_validation_and_stop, setup, teardown),
    cmocka_unit_test_setup_teardown(test_aging_batch_bound, setup, teardown),
    cmocka_unit_test_setup_teardown(test_aging_backpressure, setup, teardown),
    cmocka_unit_test_setup_teardown(test_exceptions_forwarded_in_order, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

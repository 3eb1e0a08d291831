/* SPDX-License-Identifier: Apache-2.0 */
/* Parked exceptions (CAP_EXC_PARK) in the firmware, on the RAM HAL with 4 park slots: a punted
 * packet's EVT_EXCEPTION carries P_EXC.PARKED and its sequence word is the TOKEN of
 * CMD_EXC_RELEASE, which forwards (ACTION_ALLOW on OUT_PORT) or drops it exactly once;
 * malformed releases change nothing (STATUS_BAD_FIELD / BAD_LENGTH); unknown, released or
 * expired tokens give STATUS_NOT_FOUND; a parked packet not released within EXC_PARK_TIMEOUT
 * ticks is dropped (FWCNT_EXC_EXPIRED); a packet the full event ring cannot report is dropped,
 * not parked forever; a device without park slots does not advertise CAP_EXC_PARK and answers
 * STATUS_UNSUPPORTED. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"

enum { SLOTS = 4 };

static int setup(void **state)
{
  struct fx *f = fx_new_unbooted();
  f->hal.exc_slots = SLOTS;
  fx_boot(f);
  *state = f;
  return 0;
}

static int teardown(void **state)
{
  fx_free(*state);
  return 0;
}

/* Punts a packet of length `len` (the RAM HAL parks it) and lets the firmware report it;
 * returns the TOKEN (the event's sequence word) and checks PARKED. */
static uint32_t punt(struct fx *f, uint32_t len)
{
  uint32_t x[30] = {0};
  NSGNIC_PUT(x, P_EXC_REASON, NSGNIC_REASON_IPV4_FRAGMENT);
  NSGNIC_PUT(x, P_EXC_PKT_LEN, len);
  assert_int_equal(fw_ram_exc_push(&f->ram, x, 3), 0);
  uint32_t seq = f->host.evt_tail;
  fw_poll(&f->fw);
  uint32_t base = NSGNIC_EVT_RING_OFFSET + (seq & (NSGNIC_EVT_RING_SLOTS - 1u)) * NSGNIC_SLOT_BYTES;
  uint32_t token = f->win[base / 4 + 1];
  uint32_t code, out[30], n;
  assert_int_equal(fw_host_evt(&f->host, &code, out, &n), 1);
  assert_int_equal(code, NSGNIC_EVT_EXCEPTION);
  assert_int_equal(NSGNIC_GET(out, P_EXC_PARKED), 1);
  assert_int_equal(NSGNIC_GET(out, P_EXC_PKT_LEN), len);
  assert_int_equal(NSGNIC_GET(out, P_EXC_RESERVED), 0);
  assert_int_equal(token, seq);
  return token;
}

static uint32_t vf(uint32_t id)
{
  uint32_t w = 0;
  NSGNIC_PUT(&w, PORT_ID, id);
  NSGNIC_PUT(&w, PORT_KIND, NSGNIC_PORT_KIND_VF);
  return w;
}

static uint32_t release(struct fx *f, uint32_t token, uint32_t action, uint32_t port)
{
  uint32_t p[2] = {token, 0};
  NSGNIC_PUT(p, P_XREL_OUT_PORT, port);
  NSGNIC_PUT(p, P_XREL_ACTION, action);
  return fw_host_cmd(&f->host, NSGNIC_CMD_EXC_RELEASE, p, 2, NULL, NULL);
}

static void test_caps(void **state)
{
  struct fx *f = *state;
  assert_true(f->win[NSGNIC_HOSTREG_FW_CAPS / 4] & (1u << NSGNIC_CAP_EXC_PARK));
  /* CAP_EXT_TIME is the hardware's: passed on only when HW_CAPS has it (here: no) */
  assert_false(f->win[NSGNIC_HOSTREG_FW_CAPS / 4] & (1u << NSGNIC_CAP_EXT_TIME));
}

/* ACTION_ALLOW forwards on OUT_PORT, ACTION_DENY drops; each token works once (S: none, the
 * host decides the punted packet; the device only carries the decision out). */
static void test_release_forward_and_drop(void **state)
{
  struct fx *f = *state;
  uint32_t t1 = punt(f, 200), t2 = punt(f, 1500);
  assert_int_equal(f->ram.parked, 3u);
  assert_int_equal(release(f, t2, NSGNIC_ACTION_ALLOW, vf(3)), NSGNIC_STATUS_OK);
  assert_int_equal(f->ram.rel_forwarded, 1);
  assert_int_equal(f->ram.rel_last_slot, 1);
  assert_int_equal(f->ram.rel_last_port, vf(3));
  assert_int_equal(release(f, t1, NSGNIC_ACTION_DENY, 0), NSGNIC_STATUS_OK);
  assert_int_equal(f->ram.rel_dropped, 1);
  assert_int_equal(f->ram.rel_last_slot, 0);
  assert_int_equal(f->ram.parked, 0);
  assert_int_equal(f->fw.cnt[NSGNIC_FWCNT_EXC_FORWARDED], 1);
  assert_int_equal(f->fw.cnt[NSGNIC_FWCNT_EXC_DROPPED], 1);
  /* a second release of either token: NOT_FOUND, nothing released */
  assert_int_equal(release(f, t1, NSGNIC_ACTION_ALLOW, vf(1)), NSGNIC_STATUS_NOT_FOUND);
  assert_int_equal(release(f, t2, NSGNIC_ACTION_DENY, 0), NSGNIC_STATUS_NOT_FOUND);
  assert_int_equal(release(f, 0xdeadbeefu, NSGNIC_ACTION_DENY, 0), NSGNIC_STATUS_NOT_FOUND);
  assert_int_equal(f->ram.rel_forwarded + f->ram.rel_dropped, 2);
  /* the slots are free again: four more punts park */
  for (int i = 0; i < SLOTS; i++)
    punt(f, 64);
  assert_int_equal(f->ram.parked, 0xfu);
  uint32_t x[3] = {0};
  assert_int_equal(fw_ram_exc_push(&f->ram, x, 3), -1); /* no slot: the datapath drops it */
}

/* Every malformed request is refused before anything is released. */
static void test_release_bad_fields(void **state)
{
  struct fx *f = *state;
  uint32_t t = punt(f, 300);
  uint32_t p[2] = {t, 0};
  NSGNIC_PUT(p, P_XREL_ACTION, NSGNIC_ACTION_PUNT);
  assert_int_equal(fw_host_cmd(&f->host, NSGNIC_CMD_EXC_RELEASE, p, 2, NULL, NULL), NSGNIC_STATUS_BAD_FIELD);
  NSGNIC_PUT(p, P_XREL_ACTION, 3);
  assert_int_equal(fw_host_cmd(&f->host, NSGNIC_CMD_EXC_RELEASE, p, 2, NULL, NULL), NSGNIC_STATUS_BAD_FIELD);
  p[1] = 0;
  NSGNIC_PUT(p, P_XREL_ACTION, NSGNIC_ACTION_ALLOW);
  for (unsigned b = 0; b < NSGNIC_P_XREL_RESERVED_W; b++) {
    uint32_t q[2] = {p[0], p[1] | 1u << (NSGNIC_P_XREL_RESERVED_LSB - 32 + b)};
    assert_int_equal(fw_host_cmd(&f->host, NSGNIC_CMD_EXC_RELEASE, q, 2, NULL, NULL), NSGNIC_STATUS_BAD_FIELD);
  }
  /* OUT_PORT: bits above the PORT layout, a VF beyond the device's vports */
  assert_int_equal(release(f, t, NSGNIC_ACTION_ALLOW, 1u << 9), NSGNIC_STATUS_BAD_FIELD);
  assert_int_equal(release(f, t, NSGNIC_ACTION_ALLOW, 0x8000u), NSGNIC_STATUS_BAD_FIELD);
  assert_int_equal(release(f, t, NSGNIC_ACTION_ALLOW, vf(FX_VPORTS)), NSGNIC_STATUS_BAD_FIELD);
  /* LEN */
  uint32_t p3[3] = {p[0], p[1], 0};
  assert_int_equal(fw_host_cmd(&f->host, NSGNIC_CMD_EXC_RELEASE, p3, 1, NULL, NULL), NSGNIC_STATUS_BAD_LENGTH);
  assert_int_equal(fw_host_cmd(&f->host, NSGNIC_CMD_EXC_RELEASE, p3, 3, NULL, NULL), NSGNIC_STATUS_BAD_LENGTH);
  assert_int_equal(f->ram.rel_forwarded + f->ram.rel_dropped, 0);
  assert_int_equal(f->ram.parked, 1u);
  /* still releasable: a wire port with any context is in range */
  uint32_t wire = 0;
  NSGNIC_PUT(&wire, PORT_ID, 255);
  assert_int_equal(release(f, t, NSGNIC_ACTION_ALLOW, wire), NSGNIC_STATUS_OK);
  assert_int_equal(f->ram.rel_last_port, wire);
}

/* A parked packet the host does not answer is dropped after EXC_PARK_TIMEOUT ticks; its token
 * is then unknown. One released just before the timeout is not expired. */
static void test_expiry(void **state)
{
  struct fx *f = *state;
  uint32_t t1 = punt(f, 100);
  f->ram.ticks += NSGNIC_EXC_PARK_TIMEOUT / 2;
  uint32_t t2 = punt(f, 100);
  f->ram.ticks += NSGNIC_EXC_PARK_TIMEOUT / 2 + 100;  /* t1 is over the timeout, t2 is not */
  fw_poll(&f->fw);
  assert_int_equal(f->fw.cnt[NSGNIC_FWCNT_EXC_EXPIRED], 1);
  assert_int_equal(f->ram.rel_dropped, 1);
  assert_int_equal(f->ram.rel_last_slot, 0);
  assert_int_equal(release(f, t1, NSGNIC_ACTION_ALLOW, vf(1)), NSGNIC_STATUS_NOT_FOUND);
  assert_int_equal(release(f, t2, NSGNIC_ACTION_ALLOW, vf(1)), NSGNIC_STATUS_OK);
  assert_int_equal(f->ram.rel_forwarded, 1);
  f->ram.ticks += 2 * NSGNIC_EXC_PARK_TIMEOUT;
  fw_poll(&f->fw);
  assert_int_equal(f->fw.cnt[NSGNIC_FWCNT_EXC_EXPIRED], 1); /* released: nothing to expire */
  assert_int_equal(f->ram.parked, 0);
}

/* With the event ring full a punted packet cannot be reported: it is dropped at once (counted
 * as a lost event), so the slots stay free for a host that resumes reading. */
static void test_ring_full(void **state)
{
  struct fx *f = *state;
  /* fill the ring with reports the host does not read (released by the firmware as they go) */
  uint32_t x[3] = {0};
  while (f->fw.evt_head < NSGNIC_EVT_RING_SLOTS) {
    assert_int_equal(fw_ram_exc_push(&f->ram, x, 3), 0);
    fw_poll(&f->fw);
    if (f->ram.parked == 0xfu) {  /* the host releases by token without reading events */
      for (uint32_t t = f->fw.evt_head - SLOTS; t != f->fw.evt_head; t++)
        assert_int_equal(release(f, t, NSGNIC_ACTION_DENY, 0), NSGNIC_STATUS_OK);
    }
  }
  uint64_t lost = f->fw.cnt[NSGNIC_FWCNT_EVT_LOST];
  uint32_t parked = f->ram.parked, dropped = f->ram.rel_dropped;
  assert_int_equal(fw_ram_exc_push(&f->ram, x, 3), 0);
  fw_poll(&f->fw);
  assert_int_equal(f->fw.cnt[NSGNIC_FWCNT_EVT_LOST], lost + 1);
  assert_int_equal(f->ram.parked, parked);          /* the new one's slot is free again */
  assert_int_equal(f->ram.rel_dropped, dropped + 1);
  assert_int_equal(f->win[NSGNIC_HOSTREG_EVT_LOST / 4], f->fw.evt_lost);
  assert_int_equal(f->ram.exc_head, f->ram.exc_tail); /* taken from the queue, not left there */
}

/* A device without park slots: no CAP_EXC_PARK, PARKED 0, CMD_EXC_RELEASE unsupported. */
static void test_no_park(void **state)
{
  (void)state;
  struct fx *f = fx_new();
  assert_false(f->win[NSGNIC_HOSTREG_FW_CAPS / 4] & (1u << NSGNIC_CAP_EXC_PARK));
  uint32_t x[3] = {0}, code, out[30], n;
  assert_int_equal(fw_ram_exc_push(&f->ram, x, 3), 0);
  fw_poll(&f->fw);
  assert_int_equal(fw_host_evt(&f->host, &code, out, &n), 1);
  assert_int_equal(NSGNIC_GET(out, P_EXC_PARKED), 0);
  assert_int_equal(release(f, 0, NSGNIC_ACTION_DENY, 0), NSGNIC_STATUS_UNSUPPORTED);
  fx_free(f);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_caps, setup, teardown),
    cmocka_unit_test_setup_teardown(test_release_forward_and_drop, setup, teardown),
    cmocka_unit_test_setup_teardown(test_release_bad_fields, setup, teardown),
    cmocka_unit_test_setup_teardown(test_expiry, setup, teardown),
    cmocka_unit_test_setup_teardown(test_ring_full, setup, teardown),
    cmocka_unit_test(test_no_park),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

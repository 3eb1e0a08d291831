/* SPDX-License-Identifier: Apache-2.0 */
/* Firmware mailbox: boot words, header validation, completions, counters, ring protocol errors,
 * heartbeat, the self-test outcomes and the end-to-end script. */
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

static uint32_t W(struct fx *f, uint32_t off) { return f->win[off / 4]; }

static void test_boot_words(void **state)
{
  struct fx *f = *state;
  assert_int_equal(W(f, NSGNIC_HOSTREG_FW_MAGIC), NSGNIC_HOST_MAGIC);
  assert_int_equal(W(f, NSGNIC_HOSTREG_FW_STATE), NSGNIC_FW_STATE_READY);
  assert_int_equal(W(f, NSGNIC_HOSTREG_SELFTEST), 0);
  assert_int_equal(W(f, NSGNIC_HOSTREG_FW_VERSION),
                   (NSGNIC_ABI_VERSION_MAJOR << 16) | NSGNIC_ABI_VERSION_MINOR);
  assert_int_equal(W(f, NSGNIC_HOSTREG_FW_BUILD), 0x1234abcd);
  assert_int_equal(W(f, NSGNIC_HOSTREG_CMD_BASE), NSGNIC_CMD_RING_OFFSET);
  assert_int_equal(W(f, NSGNIC_HOSTREG_CPL_SLOTS), NSGNIC_CPL_RING_SLOTS);
  assert_int_equal(W(f, NSGNIC_HOSTREG_EVT_SLOTS), NSGNIC_EVT_RING_SLOTS);
  assert_true(W(f, NSGNIC_HOSTREG_FW_CAPS) & (1u << NSGNIC_CAP_BANKED_COMMIT));
  assert_true(W(f, NSGNIC_HOSTREG_FW_CAPS) & (1u << NSGNIC_CAP_BANKED_BINDING));
  /* the self-test restored the TCAM entries it probed */
  assert_int_equal(f->rules[FX_RULES - 1].valid, 0);
  assert_int_equal(f->rules[FX_RULES - 1].mask[0], 0);
  assert_int_equal(f->labels[FX_LABELS - 1].key[0], 0);
}

static void test_script(void **state)
{
  struct fx *f = *state;
  assert_int_equal(fw_script_run(&f->fw, &f->ram), 0);
}

/* The on-core fuzz run of the self-test image, here on the host. */
static void test_script_fuzz(void **state)
{
  struct fx *f = *state;
  assert_int_equal(fw_script_fuzz(&f->fw, 20000, 0x1234567u), 0);
}

static void test_echo_caps(void **state)
{
  struct fx *f = *state;
  uint32_t p[30], out[30], n = 99;
  for (uint32_t i = 0; i < 30; i++)
    p[i] = i * 3u;
  assert_int_equal(fw_host_cmd(&f->host, NSGNIC_CMD_ECHO, p, 30, out, &n), NSGNIC_STATUS_OK);
  assert_int_equal(n, 30);
  assert_memory_equal(p, out, sizeof(p));
  assert_int_equal(fw_host_cmd(&f->host, NSGNIC_CMD_ECHO, p, 0, out, &n), NSGNIC_STATUS_OK);
  assert_int_equal(n, 0);
  assert_int_equal(fw_host_cmd(&f->host, NSGNIC_CMD_GET_CAPS, p, 0, out, &n), NSGNIC_STATUS_OK);
  assert_int_equal(out[FW_W(P_CAPS_LPM_LEVELS)], 0); /* the fixture has a label TCAM */
  assert_int_equal(n, FW_W(P_CAPS_DRAM_FLOW_ENTRIES) + 1);
  assert_int_equal(out[FW_W(P_CAPS_DRAM_FLOW_ENTRIES)], 0);  /* no DRAM tier on the RAM HAL */
  assert_false(out[FW_W(P_CAPS_CAPS)] & (1u << NSGNIC_CAP_FLOW_LIMIT));
  assert_int_equal(out[FW_W(P_CAPS_PORT_CLASSES)], NSGNIC_PORT_CLASSES);
  assert_true(out[FW_W(P_CAPS_CAPS)] & (1u << NSGNIC_CAP_PORT_RANGES));
  assert_int_equal(out[FW_W(P_CAPS_LABEL_ENTRIES)], FX_LABELS);
  assert_int_equal(out[FW_W(P_CAPS_FLOW_ENTRIES)], FX_FLOWS);
  assert_int_equal(out[FW_W(P_CAPS_FW_COUNTERS)], NSGNIC_FW_COUNTERS);
  assert_int_equal(out[FW_W(P_CAPS_FW_BUILD)], 0x1234abcd);
  assert_int_equal(fw_host_cmd(&f->host, NSGNIC_CMD_GET_CAPS, p, 1, out, &n),
                   NSGNIC_STATUS_BAD_LENGTH);
}

static void test_header_errors(void **state)
{
  struct fx *f = *state;
  uint32_t p[30] = {0}, cpl[32];
  struct fw_host *h = &f->host;
  assert_int_equal(fw_host_raw(h, fw_host_hdr(NSGNIC_CMD_ECHO, 0, 0, 0), p, 0, cpl),
                   NSGNIC_STATUS_BAD_VERSION);
  assert_int_equal(fw_host_raw(h, fw_host_hdr(NSGNIC_CMD_ECHO, 2, 0, 0), p, 0, cpl),
                   NSGNIC_STATUS_BAD_VERSION);
  static const uint32_t bad_ops[] = {0, NSGNIC_CMD_FLOW_NEXT + 1, 127, 255};
  for (size_t i = 0; i < sizeof(bad_ops) / sizeof(bad_ops[0]); i++)
    assert_int_equal(fw_host_raw(h, fw_host_hdr(bad_ops[i], 1, 0, 0), p, 0, cpl),
                     NSGNIC_STATUS_BAD_OPCODE);
  assert_int_equal(fw_host_raw(h, fw_host_hdr(NSGNIC_CMD_ECHO, 1, 0, 0x80), p, 0, cpl),
                   NSGNIC_STATUS_BAD_FLAGS);
  assert_int_equal(fw_host_raw(h, fw_host_hdr(NSGNIC_CMD_ECHO, 1, 31, 0), p, 0, cpl),
                   NSGNIC_STATUS_BAD_LENGTH);
  assert_int_equal(fw_host_raw(h, fw_host_hdr(NSGNIC_CMD_ECHO, 1, 255, 0), p, 0, cpl),
                   NSGNIC_STATUS_BAD_LENGTH);
  /* an error completion: LEN 0, opcode and tag echoed, LAST_ERROR set */
  assert_int_equal(fw_host_raw(h, fw_host_hdr(NSGNIC_CMD_TCAM_READ, 1, 3, 0), p, 3, cpl),
                   NSGNIC_STATUS_BAD_LENGTH);
  assert_int_equal(NSGNIC_GET(&cpl[0], CPL_HDR_LEN), 0);
  assert_int_equal(NSGNIC_GET(&cpl[0], CPL_HDR_OPCODE), NSGNIC_CMD_TCAM_READ);
  assert_int_equal(NSGNIC_GET(&cpl[0], CPL_HDR_VERSION), NSGNIC_MBOX_VERSION);
  assert_int_equal(cpl[1], h->tag);
  uint32_t le = W(f, NSGNIC_HOSTREG_LAST_ERROR);
  assert_int_equal(NSGNIC_GET(&le, LAST_ERROR_STATUS), NSGNIC_STATUS_BAD_LENGTH);
  assert_int_equal(NSGNIC_GET(&le, LAST_ERROR_OPCODE), NSGNIC_CMD_TCAM_READ);
  assert_int_equal(NSGNIC_GET(&le, LAST_ERROR_SLOT), h->cmd_head - 1);
  /* per-opcode lengths */
  static const struct { uint32_t op, ok; } lens[] = {
    {NSGNIC_CMD_TCAM_WRITE, 21}, {NSGNIC_CMD_TCAM_READ, 2}, {NSGNIC_CMD_BIND_WRITE, 5},
    {NSGNIC_CMD_BIND_READ, 1}, {NSGNIC_CMD_COMMIT, 2}, {NSGNIC_CMD_FLOW_INSERT, 17},
    {NSGNIC_CMD_FLOW_DELETE, 11}, {NSGNIC_CMD_FLOW_READ, 1}, {NSGNIC_CMD_COUNTERS_READ, 2},
    {NSGNIC_CMD_AGING_START, 3}, {NSGNIC_CMD_AGING_STOP, 0}, {NSGNIC_CMD_PORT_RANGE_WRITE, 2},
    {NSGNIC_CMD_PORT_RANGE_READ, 1}};
  for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
    for (uint32_t len = 0; len <= 30; len++) {
      if (len == lens[i].ok)
        continue;
      assert_int_equal(fw_host_cmd(h, lens[i].op, p, len, NULL, NULL), NSGNIC_STATUS_BAD_LENGTH);
    }
  }
  assert_int_equal(f->fw.cnt[NSGNIC_FWCNT_CMD_OK], 0);
  assert_true(f->fw.cnt[NSGNIC_FWCNT_CMD_ERR] > 300);
}

static void test_counters(void **state)
{
  struct fx *f = *state;
  uint32_t p[2], out[30], n;
  p[0] = 0;
  NSGNIC_PUT(&p[0], P_CNT_BLOCK, NSGNIC_CNT_BLOCK_DP);
  NSGNIC_PUT(&p[0], P_CNT_COUNT, 3);
  p[1] = 5;
  assert_int_equal(fw_host_cmd(&f->host, NSGNIC_CMD_COUNTERS_READ, p, 2, out, &n),
                   NSGNIC_STATUS_OK);
  assert_int_equal(n, 8);
  assert_int_equal(out[1], 5);
  assert_int_equal(out[2], 25);
  assert_int_equal(out[3], 5);
  assert_int_equal(out[6], 35);
  assert_int_equal(out[7], 7);
  p[1] = 6; /* 6..8: one past the end */
  assert_int_equal(fw_host_cmd(&f->host, NSGNIC_CMD_COUNTERS_READ, p, 2, out, &n),
                   NSGNIC_STATUS_BAD_INDEX);
  p[1] = 0xffffffffu; /* overflow of first + count */
  assert_int_equal(fw_host_cmd(&f->host, NSGNIC_CMD_COUNTERS_READ, p, 2, out, &n),
                   NSGNIC_STATUS_BAD_INDEX);
  p[1] = 0;
  NSGNIC_PUT(&p[0], P_CNT_COUNT, 0);
  assert_int_equal(fw_host_cmd(&f->host, NSGNIC_CMD_COUNTERS_READ, p, 2, out, &n),
                   NSGNIC_STATUS_BAD_FIELD);
  NSGNIC_PUT(&p[0], P_CNT_COUNT, NSGNIC_COUNTERS_PER_READ + 1);
  assert_int_equal(fw_host_cmd(&f->host, NSGNIC_CMD_COUNTERS_READ, p, 2, out, &n),
                   NSGNIC_STATUS_BAD_FIELD);
  NSGNIC_PUT(&p[0], P_CNT_COUNT, 1);
  NSGNIC_PUT(&p[0], P_CNT_BLOCK, 2);
  assert_int_equal(fw_host_cmd(&f->host, NSGNIC_CMD_COUNTERS_READ, p, 2, out, &n),
                   NSGNIC_STATUS_BAD_TABLE);
  NSGNIC_PUT(&p[0], P_CNT_BLOCK, NSGNIC_CNT_BLOCK_FW);
  NSGNIC_PUT(&p[0], P_CNT_RESERVED, 1);
  assert_int_equal(fw_host_cmd(&f->host, NSGNIC_CMD_COUNTERS_READ, p, 2, out, &n),
                   NSGNIC_STATUS_BAD_FIELD);
  /* firmware counters count the commands so far: 1 ok, 6 errors */
  NSGNIC_PUT(&p[0], P_CNT_RESERVED, 0);
  NSGNIC_PUT(&p[0], P_CNT_COUNT, 2);
  assert_int_equal(fw_host_cmd(&f->host, NSGNIC_CMD_COUNTERS_READ, p, 2, out, &n),
                   NSGNIC_STATUS_OK);
  assert_int_equal(out[2 + 2 * NSGNIC_FWCNT_CMD_OK], 1);
  assert_int_equal(out[2 + 2 * NSGNIC_FWCNT_CMD_ERR], 6);
  /* a datapath read error */
  NSGNIC_PUT(&p[0], P_CNT_BLOCK, NSGNIC_CNT_BLOCK_DP);
  f->ram.fail = 1;
  assert_int_equal(fw_host_cmd(&f->host, NSGNIC_CMD_COUNTERS_READ, p, 2, out, &n),
                   NSGNIC_STATUS_HW_ERROR);
  assert_int_equal(f->fw.cnt[NSGNIC_FWCNT_HW_ERRORS], 1);
}

/* The host does not take completions: the firmware stops taking commands when the completion
 * ring is full and loses none. */
static void test_completion_backpressure(void **state)
{
  struct fx *f = *state;
  volatile uint32_t *w = f->win;
  uint32_t base = NSGNIC_CMD_RING_OFFSET / 4;
  uint32_t hdr = fw_host_hdr(NSGNIC_CMD_ECHO, 1, 1, 0);
  uint32_t head = 0;
  for (int round = 0; round < 3; round++) {
    for (uint32_t i = 0; i < NSGNIC_CMD_RING_SLOTS; i++, head++) {
      uint32_t s = base + (head % NSGNIC_CMD_RING_SLOTS) * 32;
      w[s] = hdr;
      w[s + 1] = head;
      w[s + 2] = head * 2;
    }
    w[NSGNIC_HOSTREG_CMD_HEAD / 4] = head;
    for (int i = 0; i < 100; i++)
      fw_poll(&f->fw);
    assert_int_equal(w[NSGNIC_HOSTREG_CPL_HEAD / 4] - w[NSGNIC_HOSTREG_CPL_TAIL / 4],
                     NSGNIC_CPL_RING_SLOTS);
    assert_int_equal(w[NSGNIC_HOSTREG_CMD_TAIL / 4], head);
    for (uint32_t t = w[NSGNIC_HOSTREG_CPL_TAIL / 4]; t != w[NSGNIC_HOSTREG_CPL_HEAD / 4]; t++) {
      uint32_t s = NSGNIC_CPL_RING_OFFSET / 4 + (t % NSGNIC_CPL_RING_SLOTS) * 32;
      uint32_t c0 = w[s];
      assert_int_equal(w[s + 1], t);
      assert_int_equal(w[s + 2], t * 2);
      assert_int_equal(NSGNIC_GET(&c0, CPL_HDR_STATUS), NSGNIC_STATUS_OK);
    }
    /* one more command than room: it waits until a completion is taken */
    uint32_t s = base + (head % NSGNIC_CMD_RING_SLOTS) * 32;
    w[s] = hdr;
    w[s + 1] = head;
    w[s + 2] = head * 2;
    head++;
    w[NSGNIC_HOSTREG_CMD_HEAD / 4] = head;
    fw_poll(&f->fw);
    assert_int_equal(w[NSGNIC_HOSTREG_CMD_TAIL / 4], head - 1);
    w[NSGNIC_HOSTREG_CPL_TAIL / 4] = w[NSGNIC_HOSTREG_CPL_HEAD / 4];
    fw_poll(&f->fw);
    assert_int_equal(w[NSGNIC_HOSTREG_CMD_TAIL / 4], head);
    w[NSGNIC_HOSTREG_CPL_TAIL / 4] = w[NSGNIC_HOSTREG_CPL_HEAD / 4];
  }
}

static void test_bad_ring_indices(void **state)
{
  struct fx *f = *state;
  volatile uint32_t *w = f->win;
  uint32_t out[30], code, n;
  /* CMD_HEAD too far ahead: nothing is executed, one FW_ERROR event */
  w[NSGNIC_HOSTREG_CMD_HEAD / 4] = 1000;
  for (int i = 0; i < 10; i++)
    fw_poll(&f->fw);
  assert_int_equal(w[NSGNIC_HOSTREG_CMD_TAIL / 4], 0);
  assert_int_equal(f->fw.cnt[NSGNIC_FWCNT_RING_ERRORS], 1);
  assert_int_equal(fw_host_evt(&f->host, &code, out, &n), 1);
  assert_int_equal(code, NSGNIC_EVT_FW_ERROR);
  assert_int_equal(out[0], NSGNIC_FWERR_CMD_HEAD);
  assert_int_equal(out[1], 1000);
  assert_int_equal(fw_host_evt(&f->host, &code, out, &n), 0);
  /* behind the tail ("negative" distance) */
  w[NSGNIC_HOSTREG_CMD_HEAD / 4] = 0xffffffffu;
  fw_poll(&f->fw);
  assert_int_equal(w[NSGNIC_HOSTREG_CMD_TAIL / 4], 0);
  assert_int_equal(f->fw.cnt[NSGNIC_FWCNT_RING_ERRORS], 2);
  /* the same bad value again and again: reported once */
  for (int i = 0; i < 10; i++)
    fw_poll(&f->fw);
  assert_int_equal(f->fw.cnt[NSGNIC_FWCNT_RING_ERRORS], 2);
  /* fixed: the mailbox works again */
  w[NSGNIC_HOSTREG_CMD_HEAD / 4] = 0;
  assert_int_equal(fw_host_cmd(&f->host, NSGNIC_CMD_ECHO, out, 0, NULL, NULL), NSGNIC_STATUS_OK);
  /* a bad CPL_TAIL: the completion ring counts as full, commands wait */
  w[NSGNIC_HOSTREG_CPL_TAIL / 4] = 12345;
  assert_int_equal(fw_host_cmd(&f->host, NSGNIC_CMD_ECHO, out, 0, NULL, NULL), FW_HOST_TIMEOUT);
  assert_int_equal(f->fw.cnt[NSGNIC_FWCNT_RING_ERRORS], 3);
  /* a bad EVT_TAIL as well: the error event cannot be posted and is counted lost */
  w[NSGNIC_HOSTREG_EVT_TAIL / 4] = 777;
  w[NSGNIC_HOSTREG_CMD_HEAD / 4] = 5000;
  fw_poll(&f->fw);
  assert_int_equal(f->fw.cnt[NSGNIC_FWCNT_RING_ERRORS], 5);
  assert_true(W(f, NSGNIC_HOSTREG_EVT_LOST) >= 1);
}

static void test_heartbeat(void **state)
{
  struct fx *f = *state;
  uint32_t hb0 = W(f, NSGNIC_HOSTREG_HEARTBEAT);
  for (int i = 0; i < 1000; i++)
    fw_poll(&f->fw); /* 7 ticks per ticks() call, >= 1 call per poll */
  assert_true(W(f, NSGNIC_HOSTREG_HEARTBEAT) > hb0 + 3);
}

static void test_selftest_failed_state(void **state)
{
  (void)state;
  struct fx *f = fx_new_unbooted();
  f->hal.rule_entries = NSGNIC_RULE_ENTRIES + 1; /* impossible size */
  fx_boot(f);
  assert_int_equal(W(f, NSGNIC_HOSTREG_FW_STATE), NSGNIC_FW_STATE_FAILED);
  assert_int_equal(W(f, NSGNIC_HOSTREG_SELFTEST), 1u << NSGNIC_SELFTEST_SIZES);
  assert_int_equal(W(f, NSGNIC_HOSTREG_FW_MAGIC), NSGNIC_HOST_MAGIC);
  uint32_t p[21], out[30], n;
  assert_int_equal(fw_host_cmd(&f->host, NSGNIC_CMD_GET_CAPS, p, 0, out, &n), NSGNIC_STATUS_OK);
  fx_rule(p, 0, 1, 80, 1);
  assert_int_equal(fw_host_cmd(&f->host, NSGNIC_CMD_TCAM_WRITE, p, 21, out, &n),
                   NSGNIC_STATUS_NOT_READY);
  assert_int_equal(fw_host_cmd(&f->host, NSGNIC_CMD_AGING_STOP, p, 0, out, &n),
                   NSGNIC_STATUS_NOT_READY);
  fx_free(f);

  /* a TCAM that fails */
  f = fx_new_unbooted();
  f->ram.fail = 2;
  fx_boot(f);
  assert_int_equal(W(f, NSGNIC_HOSTREG_FW_STATE), NSGNIC_FW_STATE_FAILED);
  assert_true(W(f, NSGNIC_HOSTREG_SELFTEST) & (1u << NSGNIC_SELFTEST_TCAM));
  fx_free(f);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_boot_words, setup, teardown),
    cmocka_unit_test_setup_teardown(test_script, setup, teardown),
    cmocka_unit_test_setup_teardown(test_script_fuzz, setup, teardown),
    cmocka_unit_test_setup_teardown(test_echo_caps, setup, teardown),
    cmocka_unit_test_setup_teardown(test_header_errors, setup, teardown),
    cmocka_unit_test_setup_teardown(test_counters, setup, teardown),
    cmocka_unit_test_setup_teardown(test_completion_backpressure, setup, teardown),
    cmocka_unit_test_setup_teardown(test_bad_ring_indices, setup, teardown),
    cmocka_unit_test_setup_teardown(test_heartbeat, setup, teardown),
    cmocka_unit_test(test_selftest_failed_state),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: Apache-2.0 */
/* Mailbox fuzz test: random and malformed command sequences against the firmware on the fake
 * device. After every command it checks that
 *   - a completion came (no hang) with a known status and the command's tag;
 *   - an error status changed no table, no binding, no flow and not the bank;
 *   - a success changed only the addressed entry (TCAM entry, binding, flow slot; COMMIT only
 *     the bank), and a TCAM write without TCAM_FLAG_LIVE changed nothing the active bank looks up;
 *   - no guard entry after any table was touched, and the host's words of the window (its ring
 *     indices, the command slot) were not written.
 * Ring abuse (out-of-range host indices) is mixed in and must change nothing either.
 * NSGNIC_FUZZ_ITERS (default 200000) and NSGNIC_FUZZ_SEED set the run. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"

static uint64_t rng_state;

static uint32_t rnd(void)
{
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return (uint32_t)(rng_state >> 11);
}

static uint32_t below(uint32_t n) { return n ? rnd() % n : 0; }

struct snap {
  struct fw_tcam_entry rules[FX_RULES], labels[FX_LABELS], platforms[FX_PLATFORMS];
  uint32_t bind[FX_VPORTS][NSGNIC_BINDING_WORDS];
  uint32_t flow[FX_FLOWS][FW_FLOW_WORDS];
  uint32_t bank, version;
  uint32_t prange[2][NSGNIC_PORT_CLASSES];
};

static void take(struct snap *s, const struct fx *f)
{
  memcpy(s->rules, f->rules, sizeof(s->rules));
  memcpy(s->labels, f->labels, sizeof(s->labels));
  memcpy(s->platforms, f->platforms, sizeof(s->platforms));
  memcpy(s->bind, f->bind, sizeof(s->bind));
  memcpy(s->flow, f->flow, sizeof(s->flow));
  s->bank = f->ram.bank;
  memcpy(s->prange, f->ram.prange, sizeof(s->prange));
  s->version = f->fw.table_version;
}

static const uint32_t key_bits[3] = {NSGNIC_RULE_KEY_BITS, NSGNIC_LABEL_KEY_BITS,
                                     NSGNIC_PLATFORM_KEY_BITS};
static const uint32_t sizes[3] = {FX_RULES, FX_LABELS, FX_PLATFORMS};

static void rand_words(uint32_t *w, uint32_t n, uint32_t bits)
{
  for (uint32_t i = 0; i < n; i++) {
    uint32_t lo = 32 * i;
    uint32_t keep = lo >= bits ? 0 : bits - lo >= 32 ? 0xffffffffu : (1u << (bits - lo)) - 1u;
    w[i] = rnd() & keep;
  }
}

/* A plausible (often valid) payload for `op`; returns its length. */
static uint32_t make_cmd(struct fx *f, uint32_t op, uint32_t *p)
{
  memset(p, 0, 30 * sizeof(*p));
  switch (op) {
  case NSGNIC_CMD_ECHO:
    rand_words(p, 30, 960);
    return below(31);
  case NSGNIC_CMD_TCAM_WRITE: {
    uint32_t t = below(16) == 0 ? below(256) : below(3);
    uint32_t flags = below(2) << NSGNIC_TCAM_FLAG_VALID;
    if (below(4) == 0)
      flags |= 1u << NSGNIC_TCAM_FLAG_LIVE;
    NSGNIC_PUT(&p[0], P_TCAM_TABLE, t);
    NSGNIC_PUT(&p[0], P_TCAM_FLAGS, flags);
    uint32_t tt = t < 3 ? t : 0;
    p[1] = below(sizes[tt] + 3);
    uint32_t *key = p + FW_W(P_TCAM_KEY), *mask = p + FW_W(P_TCAM_MASK);
    uint32_t *res = p + FW_W(P_TCAM_RESULT);
    rand_words(mask, 8, key_bits[tt]);
    rand_words(key, 8, key_bits[tt]);
    for (int i = 0; i < 8; i++)
      key[i] &= mask[i];
    if (tt == 0)
      NSGNIC_PUT(mask, RULE_KEY_RESERVED, 0), NSGNIC_PUT(key, RULE_KEY_RESERVED, 0);
    else if (tt == 1)
      NSGNIC_PUT(mask, LABEL_KEY_RESERVED, 0), NSGNIC_PUT(key, LABEL_KEY_RESERVED, 0);
    else
      NSGNIC_PUT(mask, PLATFORM_KEY_RESERVED, 0), NSGNIC_PUT(key, PLATFORM_KEY_RESERVED, 0);
    if (tt == 1) {
      NSGNIC_PUT(res, LABEL_RESULT_LABELS, ((uint64_t)rnd() << 32) | rnd());
      NSGNIC_PUT(res, LABEL_RESULT_VPORT, below(256));
      NSGNIC_PUT(res, LABEL_RESULT_VPORT_VALID, below(2));
    } else {
      NSGNIC_PUT(res, RESULT_RULE_ID, below(65536));
      NSGNIC_PUT(res, RESULT_ACTION, below(4));
      if (tt == 2)
        NSGNIC_PUT(res, RESULT_PLATFORM_CLASS, below(3));
      else
        NSGNIC_PUT(res, RESULT_PLATFORM_EXEMPT, below(2));
    }
    return 21;
  }
  case NSGNIC_CMD_TCAM_READ:
    p[0] = below(4);
    p[1] = below(FX_RULES + 2);
    return 2;
  case NSGNIC_CMD_BIND_WRITE:
    p[0] = below(FX_VPORTS + 2);
    rand_words(p + 1, 4, 96);
    NSGNIC_PUT(p + 1, BINDING_RESERVED0, 0);
    return 5;
  case NSGNIC_CMD_BIND_READ:
    p[0] = below(FX_VPORTS + 2);
    return 1;
  case NSGNIC_CMD_COMMIT:
    p[0] = below(4) ? f->fw.table_version : rnd();
    p[1] = below(8) ? f->fw.table_version + 1 : p[0];
    return 2;
  case NSGNIC_CMD_FLOW_INSERT:
    fx_flow(p, 0x0a000000u + below(64), 0x08080808u, (uint16_t)below(8), 443, rnd() & 0xffff);
    NSGNIC_PUT(p + 1, FLOW_VPORT, below(FX_VPORTS + 1));
    NSGNIC_PUT(p + 1, FLOW_ACTION, below(4));
    return 17;
  case NSGNIC_CMD_FLOW_DELETE:
  case NSGNIC_CMD_FLOW_READ: {
    uint32_t slot = below(FX_FLOWS + 2);
    p[0] = slot;
    if (slot < FX_FLOWS && below(2))
      memcpy(p + 1, f->flow[slot], 40);
    else
      fx_flow(p, 0x0a000000u + below(64), 0x08080808u, (uint16_t)below(8), 443, 0), p[0] = slot;
    return op == NSGNIC_CMD_FLOW_READ ? 1 : 11;
  }
  case NSGNIC_CMD_COUNTERS_READ:
    NSGNIC_PUT(&p[0], P_CNT_BLOCK, below(3));
    NSGNIC_PUT(&p[0], P_CNT_COUNT, below(16));
    p[1] = below(20);
    return 2;
  case NSGNIC_CMD_PORT_RANGE_WRITE:
  case NSGNIC_CMD_PORT_RANGE_READ:
    NSGNIC_PUT(&p[0], P_PRANGE_FIELD, below(3));
    NSGNIC_PUT(&p[0], P_PRANGE_INDEX, below(NSGNIC_PORT_CLASSES + 1));
    NSGNIC_PUT(&p[0], P_PRANGE_FLAGS, below(4) == 0 ? 1u << NSGNIC_TCAM_FLAG_LIVE : 0);
    p[1] = rnd();
    return op == NSGNIC_CMD_PORT_RANGE_WRITE ? 2 : 1;
  case NSGNIC_CMD_EXC_RELEASE:  /* a recent token (often parked), any action, ports near the edge */
    p[0] = f->fw.evt_head - below(6);
    NSGNIC_PUT(&p[1], P_XREL_OUT_PORT, below(4) == 0 ? rnd() & 0xffffu : below(2) << 8 | below(20));
    NSGNIC_PUT(&p[1], P_XREL_ACTION, below(4));
    if (below(8) == 0)
      p[1] |= rnd() & 0xffff0000u;
    return 2;
  case NSGNIC_CMD_AGING_START:
    p[0] = below(40000);
    p[1] = below(100);
    p[2] = below(70);
    return 3;
  default:
    return 0;
  }
}

static uint32_t cls_active(uint32_t t, const struct fw_tcam_entry *e, uint32_t bank)
{
  return fw_live_class(t, e->key, e->mask, e->valid) & (1u << bank);
}

/* Checks the tables against the snapshot for a command `op` (payload p) that got `st`. */
static void check(struct fx *f, const struct snap *s, uint32_t op, const uint32_t *p, uint32_t st,
                  const uint32_t *cpl, uint64_t iter)
{
  struct fw_tcam_entry *now[3] = {f->rules, f->labels, f->platforms};
  const struct fw_tcam_entry *was[3] = {s->rules, s->labels, s->platforms};
  int tcam_t = -1, bind_i = -1, flow_i = -1, pr_f = -1, pr_k = -1;
  uint32_t tcam_i = 0;
  if (st == NSGNIC_STATUS_OK) {
    switch (op) {
    case NSGNIC_CMD_TCAM_WRITE:
      tcam_t = (int)NSGNIC_GET(&p[0], P_TCAM_TABLE);
      tcam_i = p[1];
      assert_true(tcam_t < 3 && tcam_i < sizes[tcam_t]);
      if (!(NSGNIC_GET(&p[0], P_TCAM_FLAGS) & (1u << NSGNIC_TCAM_FLAG_LIVE))) {
        assert_int_equal(cls_active((uint32_t)tcam_t, &was[tcam_t][tcam_i], s->bank), 0);
        assert_int_equal(cls_active((uint32_t)tcam_t, &now[tcam_t][tcam_i], s->bank), 0);
      }
      break;
    case NSGNIC_CMD_BIND_WRITE:
      bind_i = (int)p[0];
      break;
    case NSGNIC_CMD_FLOW_INSERT:
      flow_i = (int)cpl[2];
      assert_true(flow_i < FX_FLOWS);
      assert_int_equal(NSGNIC_GET(s->flow[flow_i], FLOW_VALID), 0);
      break;
    case NSGNIC_CMD_FLOW_DELETE:
      flow_i = (int)p[0];
      assert_int_equal(NSGNIC_GET(f->flow[flow_i], FLOW_VALID), 0);
      break;
    case NSGNIC_CMD_PORT_RANGE_WRITE:
      pr_f = (int)NSGNIC_GET(&p[0], P_PRANGE_FIELD);
      pr_k = (int)NSGNIC_GET(&p[0], P_PRANGE_INDEX);
      assert_int_equal(f->ram.prange[pr_f][pr_k], p[1]);
      if (!(NSGNIC_GET(&p[0], P_PRANGE_FLAGS) & (1u << NSGNIC_TCAM_FLAG_LIVE))) {
        uint32_t bit = (pr_f ? NSGNIC_RULE_KEY_DST_PORT_CLASS_LSB
                             : NSGNIC_RULE_KEY_SRC_PORT_CLASS_LSB) + (uint32_t)pr_k;
        for (uint32_t i = 0; i < FX_RULES; i++)
          if (cls_active(0, &s->rules[i], s->bank))
            assert_int_equal((s->rules[i].mask[bit >> 5] >> (bit & 31)) & 1u, 0);
      }
      break;
    case NSGNIC_CMD_COMMIT:
      assert_int_equal(f->ram.bank, s->bank ^ 1u);
      assert_int_equal(f->fw.table_version, p[1]);
      break;
    default:
      break;
    }
  }
  if (!(st == NSGNIC_STATUS_OK && op == NSGNIC_CMD_COMMIT)) {
    assert_int_equal(f->ram.bank, s->bank);
    assert_int_equal(f->fw.table_version, s->version);
  }
  for (int t = 0; t < 3; t++)
    for (uint32_t i = 0; i < sizes[t]; i++)
      if (!(t == tcam_t && i == tcam_i) && memcmp(&now[t][i], &was[t][i], sizeof(was[t][i]))) {
        fail_msg("iteration %llu: op %u status %u changed TCAM %d entry %u",
                 (unsigned long long)iter, op, st, t, i);
      }
  for (int fl = 0; fl < 2; fl++)
    for (int k = 0; k < NSGNIC_PORT_CLASSES; k++)
      if (!(fl == pr_f && k == pr_k) && f->ram.prange[fl][k] != s->prange[fl][k])
        fail_msg("iteration %llu: op %u status %u changed port range %d/%d",
                 (unsigned long long)iter, op, st, fl, k);
  for (int i = 0; i < FX_VPORTS; i++)
    if (i != bind_i && memcmp(f->bind[i], s->bind[i], sizeof(s->bind[i])))
      fail_msg("iteration %llu: op %u status %u changed binding %d", (unsigned long long)iter, op,
               st, i);
  for (int i = 0; i < FX_FLOWS; i++)
    if (i != flow_i && memcmp(f->flow[i], s->flow[i], sizeof(s->flow[i])))
      fail_msg("iteration %llu: op %u status %u changed flow %d", (unsigned long long)iter, op,
               st, i);
}

static void drain_events(struct fx *f)
{
  uint32_t code, out[30], n;
  while (fw_host_evt(&f->host, &code, out, &n))
    assert_true(code >= NSGNIC_EVT_IDLE_FLOW && code <= NSGNIC_EVT_FW_ERROR && n <= 30);
}

static void ring_abuse(struct fx *f, uint64_t iter)
{
  struct snap *s = malloc(sizeof(*s));
  assert_non_null(s);
  take(s, f);
  volatile uint32_t *w = f->win;
  uint32_t which = below(3);
  uint32_t off = which == 0 ? NSGNIC_HOSTREG_CMD_HEAD
                 : which == 1 ? NSGNIC_HOSTREG_CPL_TAIL : NSGNIC_HOSTREG_EVT_TAIL;
  uint32_t good = w[off / 4];
  uint32_t bad = good + NSGNIC_EVT_RING_SLOTS + 1 + below(0x7fffffff);
  w[off / 4] = bad;
  /* also garbage in the command ring slots */
  for (int i = 0; i < 32; i++)
    w[NSGNIC_CMD_RING_OFFSET / 4 + below(NSGNIC_CMD_RING_SLOTS * 32)] = rnd();
  for (int i = 0; i < 4; i++)
    fw_poll(&f->fw);
  w[off / 4] = good;
  check(f, s, 0, NULL, NSGNIC_STATUS_BAD_OPCODE, NULL, iter);
  free(s);
}

static void test_mailbox_fuzz(void **state)
{
  (void)state;
  const char *it = getenv("NSGNIC_FUZZ_ITERS");
  const char *sd = getenv("NSGNIC_FUZZ_SEED");
  uint64_t iters = it ? strtoull(it, NULL, 0) : 200000;
  rng_state = sd ? strtoull(sd, NULL, 0) : 0x9e3779b97f4a7c15ull;
  if (rng_state == 0)
    rng_state = 1;
  struct fx *f = fx_new_unbooted();
  f->hal.exc_slots = 4;  /* punted packets park: CMD_EXC_RELEASE has something to act on */
  fx_boot(f);
  struct snap *s = malloc(sizeof(*s));
  assert_non_null(s);
  uint32_t statuses[16] = {0};
  for (uint64_t i = 0; i < iters; i++) {
    uint32_t r = below(100);
    if (r < 3) {
      ring_abuse(f, i);
      continue;
    }
    if (r < 5) {
      uint32_t x[30];
      rand_words(x, 30, 960);
      fw_ram_exc_push(&f->ram, x, below(31));
    }
    if (r < 8)
      f->ram.now = rnd();
    if (r >= 8 && r < 10)
      f->ram.fail = 1; /* the next datapath operation fails */
    uint32_t p[30], cpl[32];
    uint32_t op = below(20) == 0 ? rnd() & 0xff : 1 + below(NSGNIC_CMD_EXC_RELEASE);
    uint32_t len = make_cmd(f, op, p);
    uint32_t hdr = fw_host_hdr(op, NSGNIC_MBOX_VERSION, len, 0);
    uint32_t mutations = below(3) == 0 ? 1 + below(3) : 0;
    for (uint32_t m = 0; m < mutations; m++) {
      uint32_t k = below(31);
      if (k == 30)
        hdr ^= 1u << below(32);
      else
        p[k] ^= 1u << below(32);
    }
    if (below(50) == 0)
      hdr = rnd();
    if (below(50) == 0)
      NSGNIC_PUT(&hdr, CMD_HDR_LEN, below(256));
    uint32_t hop = (uint32_t)NSGNIC_GET(&hdr, CMD_HDR_OPCODE);
    uint32_t hlen = (uint32_t)NSGNIC_GET(&hdr, CMD_HDR_LEN);
    /* the firmware sees only the first 30 payload words; zero beyond LEN like a host would not */
    take(s, f);
    uint32_t st = fw_host_raw(&f->host, hdr, p, hlen > 30 ? 30 : hlen, cpl);
    if (st == FW_HOST_TIMEOUT)
      fail_msg("iteration %llu: no completion for op %u", (unsigned long long)i, hop);
    assert_true(st <= NSGNIC_STATUS_UNSUPPORTED);
    assert_int_equal(cpl[1], f->host.tag);
    if (st != NSGNIC_STATUS_OK)
      assert_int_equal(NSGNIC_GET(&cpl[0], CPL_HDR_LEN), 0);
    statuses[st]++;
    /* the firmware never writes the host's words of the window */
    assert_int_equal(f->win[NSGNIC_HOSTREG_CMD_HEAD / 4], f->host.cmd_head);
    assert_int_equal(f->win[NSGNIC_HOSTREG_CPL_TAIL / 4], f->host.cpl_tail);
    assert_int_equal(f->win[NSGNIC_HOSTREG_EVT_TAIL / 4], f->host.evt_tail);
    uint32_t cs = (NSGNIC_CMD_RING_OFFSET +
                   ((f->host.cmd_head - 1) & (NSGNIC_CMD_RING_SLOTS - 1)) * NSGNIC_SLOT_BYTES) / 4;
    assert_int_equal(f->win[cs], hdr);
    for (uint32_t k = 0; k < (hlen > 30 ? 30 : hlen); k++)
      assert_int_equal(f->win[cs + 2 + k], p[k]);
    check(f, s, hop, p, st, cpl, i);
    drain_events(f);
    if (i % 1024 == 0)
      assert_true(fx_guards_ok(f));
  }
  assert_true(fx_guards_ok(f));
  /* the mix reached deep paths: successes and the table-level errors all occurred */
  printf("fuzz: %llu commands; status counts:", (unsigned long long)iters);
  for (int k = 0; k <= NSGNIC_STATUS_UNSUPPORTED; k++)
    printf(" %d:%u", k, statuses[k]);
  printf("\n");
  if (iters >= 10000) {
    assert_true(statuses[NSGNIC_STATUS_OK] > iters / 10);
    assert_true(statuses[NSGNIC_STATUS_LIVE_ENTRY] > 0);
    assert_true(statuses[NSGNIC_STATUS_BAD_FIELD] > 0);
    assert_true(statuses[NSGNIC_STATUS_BAD_INDEX] > 0);
    assert_true(statuses[NSGNIC_STATUS_STALE_VERSION] > 0);
  }
  /* still serving */
  assert_int_equal(fw_host_cmd(&f->host, NSGNIC_CMD_ECHO, NULL, 0, NULL, NULL), NSGNIC_STATUS_OK);
  free(s);
  fx_free(f);
}

/* A firmware whose self-test failed changes nothing, whatever it is sent. */
static void test_failed_firmware_fuzz(void **state)
{
  (void)state;
  rng_state = 0x2545f4914f6cdd1dull;
  struct fx *f = fx_new_unbooted();
  f->hal.vports = NSGNIC_VPORTS + 1; /* impossible size: SELFTEST_SIZES */
  fx_boot(f);
  assert_int_equal(f->fw.state, NSGNIC_FW_STATE_FAILED);
  struct snap *s = malloc(sizeof(*s));
  assert_non_null(s);
  take(s, f);
  uint32_t not_ready = 0;
  for (int i = 0; i < 20000; i++) {
    uint32_t p[30], cpl[32];
    uint32_t op = 1 + below(NSGNIC_CMD_EXC_RELEASE);
    uint32_t len = make_cmd(f, op, p);
    uint32_t st = fw_host_raw(&f->host, fw_host_hdr(op, NSGNIC_MBOX_VERSION, len, 0), p, len, cpl);
    assert_true(st <= NSGNIC_STATUS_UNSUPPORTED);
    if (st == NSGNIC_STATUS_OK)
      assert_true(op == NSGNIC_CMD_ECHO || op == NSGNIC_CMD_GET_CAPS ||
                  op == NSGNIC_CMD_COUNTERS_READ);
    not_ready += st == NSGNIC_STATUS_NOT_READY;
    fw_poll(&f->fw);
    drain_events(f);
  }
  check(f, s, 0, NULL, NSGNIC_STATUS_NOT_READY, NULL, 0);
  assert_true(not_ready > 10000);
  assert_true(fx_guards_ok(f));
  free(s);
  fx_free(f);
}

int main(void)
{
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_mailbox_fuzz),
                                     cmocka_unit_test(test_failed_firmware_fuzz)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}

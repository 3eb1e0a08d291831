/* SPDX-License-Identifier: Apache-2.0 */
/* The datapath HAL (firmware/hal/hal_csr.c) against a fake datapath that implements the CSR map
 * of include/nsgnic/abi/csr.def.h (staging window, command engine with BUSY/ERROR/RVALID,
 * exception queue, counters), with the whole firmware on top: commands through the mailbox reach
 * the fake tables, flow inserts land in the bucket the hardware hash picks (checked against the
 * datapath model's dp_flow_hash), exceptions and counters come through, and a datapath that stays
 * busy or rejects a command gives HW_ERROR instead of a hang. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "dp_model.h"
#include "nsgnic/flow_hash.h"
#include "fw.h"
#include "hal_csr.h"
#include "mmio.h"
#include "script.h"

enum { F_RULES = 32, F_LABELS = 16, F_PLAT = 8, F_VPORTS = 8, F_BLOG2 = 3, F_WAYS = 2, F_STASH = 2,
       F_FLOWS = NSGNIC_FLOW_TABLES * (1 << F_BLOG2) * F_WAYS + F_STASH };

struct fent { uint32_t v[8], m[8], r[4], valid; };

static struct fake {
  uint32_t id, version, ctrl, gen, now, status, busy_left, busy_forever, reject;
  uint32_t data[16], mask[8], res[4];
  struct fent tcam[3][F_RULES];
  uint32_t bind[2][F_VPORTS][4];  /* [bank] (DP_BIND_INDEX) */
  uint32_t flow[F_FLOWS][16];
  uint32_t cnt[NSGNIC_CNT_COUNT];
  uint32_t exq_count, exq_meta, exq_data[32], pops, cmds;
  uint32_t exq_slots, parked, rel, rels;  /* park slots: the head's slot is `pops` */
  uint32_t hkey[NSGNIC_FLOW_HKEY_WORDS];  /* CSR_FLOW_HKEY */
  uint32_t age_ctrl, age_to[4];           /* CSR_AGE_CTRL, CSR_AGE_TIMEOUT (no reports queued) */
} dp;

static uint32_t win[NSGNIC_HOSTWIN_BYTES / 4];
static const uint32_t tsize[3] = {F_RULES, F_LABELS, F_PLAT};

static uint32_t csr_base(void) { return FW_SOC_ADDR(EXT, NSGNIC_DP_CSR_FW_OFFSET); }

static void do_cmd(uint32_t c)
{
  uint32_t idx = (uint32_t)NSGNIC_GET(&c, DP_CMD_INDEX), t = (uint32_t)NSGNIC_GET(&c, DP_CMD_TABLE);
  uint32_t op = (uint32_t)NSGNIC_GET(&c, DP_CMD_OP), valid = (uint32_t)NSGNIC_GET(&c, DP_CMD_VALID);
  dp.cmds++;
  dp.status = 0;
  dp.busy_left = 3;
  int err = dp.reject;
  if (t <= 2) {
    if (idx >= tsize[t]) {
      err = 1;
    } else if (!err && op == NSGNIC_DP_OP_WRITE) {
      struct fent *e = &dp.tcam[t][idx];
      for (int i = 0; i < 8; i++) {
        e->m[i] = dp.mask[i];
        e->v[i] = dp.data[i] & dp.mask[i];
      }
      memcpy(e->r, dp.res, sizeof(e->r));
      e->valid = valid;
    } else if (!err) {
      struct fent *e = &dp.tcam[t][idx];
      memcpy(dp.data, e->v, 32);
      memcpy(dp.mask, e->m, 32);
      memcpy(dp.res, e->r, 16);
      NSGNIC_PUT(&dp.status, DP_STATUS_RVALID, e->valid);
    }
  } else if (t == NSGNIC_DP_TABLE_BINDING) {
    uint32_t v = (uint32_t)NSGNIC_GET(&idx, DP_BIND_INDEX_VPORT), bk = (uint32_t)NSGNIC_GET(&idx, DP_BIND_INDEX_BANK);
    if (v >= F_VPORTS || NSGNIC_GET(&idx, DP_BIND_INDEX_RESERVED))
      err = 1;
    else if (!err && op == NSGNIC_DP_OP_WRITE)
      memcpy(dp.bind[bk][v], dp.data, 16);
    else if (!err)
      memcpy(dp.data, dp.bind[bk][v], 16);
  } else if (t == NSGNIC_DP_TABLE_FLOW) {
    if (idx >= F_FLOWS) {
      err = 1;
    } else if (!err && op == NSGNIC_DP_OP_WRITE) {
      memcpy(dp.flow[idx], dp.data, 64);
    } else if (!err) {
      memcpy(dp.data, dp.flow[idx], 64);
      NSGNIC_PUT(&dp.status, DP_STATUS_RVALID, NSGNIC_GET(dp.flow[idx], FLOW_VALID));
    }
  } else {
    err = 1;
  }
  NSGNIC_PUT(&dp.status, DP_STATUS_ERROR, err ? 1 : 0);
}

uint32_t fw_test_mmio_rd(uint32_t addr)
{
  if (addr == FW_SOC_ADDR(LOCAL, NSGNIC_SOC_LOCAL_MTIME_LO)) {
    static uint32_t t;
    return t += 10;
  }
  uint32_t a = addr - csr_base();
  assert_true(a < 0x1000);
  switch (a) {
  case NSGNIC_CSR_ID: return dp.id;
  case NSGNIC_CSR_VERSION: return dp.version;
  case NSGNIC_CSR_CAP_RULES: return F_RULES;
  case NSGNIC_CSR_CAP_LABELS: return F_LABELS;
  case NSGNIC_CSR_CAP_PLATFORM: return F_PLAT;
  case NSGNIC_CSR_CAP_VPORTS: return F_VPORTS;
  case NSGNIC_CSR_CAP_FLOWS: return (F_STASH << 16) | (F_WAYS << 8) | F_BLOG2;
  case NSGNIC_CSR_CAP_LPM: return 0;  /* label TCAM device: no trees */
  case NSGNIC_CSR_CTRL: return dp.ctrl;
  case NSGNIC_CSR_GEN: return dp.gen;
  case NSGNIC_CSR_NOW: return dp.now;
  case NSGNIC_CSR_STATUS:
    if (dp.busy_forever || dp.busy_left) {
      if (dp.busy_left)
        dp.busy_left--;
      return dp.status | 1u;
    }
    return dp.status;
  case NSGNIC_CSR_EXQ_COUNT: return dp.exq_count;
  case NSGNIC_CSR_EXQ_META: return dp.exq_meta;
  case NSGNIC_CSR_EXQ_SLOT: return dp.pops;
  case NSGNIC_CSR_EXQ_PARKED: return dp.parked;
  case NSGNIC_CSR_EXQ_SLOTS: return dp.exq_slots;
  case NSGNIC_CSR_AGE_CTRL: return dp.age_ctrl;
  case NSGNIC_CSR_AGE_COUNT: return 0;
  default: break;
  }
  if (a >= NSGNIC_CSR_DATA && a < NSGNIC_CSR_DATA + 64)
    return dp.data[(a - NSGNIC_CSR_DATA) / 4];
  if (a >= NSGNIC_CSR_MASK && a < NSGNIC_CSR_MASK + 32)
    return dp.mask[(a - NSGNIC_CSR_MASK) / 4];
  if (a >= NSGNIC_CSR_RES && a < NSGNIC_CSR_RES + 16)
    return dp.res[(a - NSGNIC_CSR_RES) / 4];
  if (a >= NSGNIC_CSR_EXQ_DATA && a < NSGNIC_CSR_EXQ_DATA + 128)
    return dp.exq_data[(a - NSGNIC_CSR_EXQ_DATA) / 4];
  if (a >= NSGNIC_CSR_FLOW_HKEY && a < NSGNIC_CSR_FLOW_HKEY + 4 * NSGNIC_FLOW_HKEY_WORDS)
    return dp.hkey[(a - NSGNIC_CSR_FLOW_HKEY) / 4];
  if (a >= NSGNIC_CSR_CNT && a < NSGNIC_CSR_CNT + 4 * NSGNIC_CNT_COUNT)
    return dp.cnt[(a - NSGNIC_CSR_CNT) / 4];
  fail_msg("read of unmapped CSR 0x%x", a);
  return 0;
}

void fw_test_mmio_wr(uint32_t addr, uint32_t v)
{
  uint32_t a = addr - csr_base();
  assert_true(a < 0x1000);
  if (a == NSGNIC_CSR_CTRL)
    dp.ctrl = v;
  else if (a == NSGNIC_CSR_GEN)
    dp.gen = v & 0xffu;
  else if (a == NSGNIC_CSR_CMD)
    do_cmd(v);
  else if (a == NSGNIC_CSR_EXQ_POP)
    dp.exq_count--, dp.pops++;
  else if (a == NSGNIC_CSR_EXQ_RELEASE) {
    dp.rel = v, dp.rels++;
    dp.parked &= ~(1u << NSGNIC_GET(&v, EXQ_REL_SLOT));
  }
  else if (a >= NSGNIC_CSR_DATA && a < NSGNIC_CSR_DATA + 64)
    dp.data[(a - NSGNIC_CSR_DATA) / 4] = v;
  else if (a >= NSGNIC_CSR_MASK && a < NSGNIC_CSR_MASK + 32)
    dp.mask[(a - NSGNIC_CSR_MASK) / 4] = v;
  else if (a >= NSGNIC_CSR_RES && a < NSGNIC_CSR_RES + 16)
    dp.res[(a - NSGNIC_CSR_RES) / 4] = v;
  else if (a >= NSGNIC_CSR_FLOW_HKEY && a < NSGNIC_CSR_FLOW_HKEY + 4 * NSGNIC_FLOW_HKEY_WORDS)
    dp.hkey[(a - NSGNIC_CSR_FLOW_HKEY) / 4] = v;
  else if (a == NSGNIC_CSR_AGE_CTRL)
    dp.age_ctrl = v;
  else if (a >= NSGNIC_CSR_AGE_TIMEOUT && a < NSGNIC_CSR_AGE_TIMEOUT + 16)
    dp.age_to[(a - NSGNIC_CSR_AGE_TIMEOUT) / 4] = v;
  else
    fail_msg("write of unmapped or read-only CSR 0x%x", a);
}

static struct fw fw;
static struct fw_hal hal;
static struct fw_host host;

static void boot(void)
{
  memset(win, 0, sizeof(win));
  fw_hal_csr_init(&hal);
  hal.win = win; /* the window is the SoC's; here plain memory */
  fw_init(&fw, &hal);
  fw_host_init(&host, &fw);
}

static int setup(void **state)
{
  (void)state;
  memset(&dp, 0, sizeof(dp));
  dp.id = NSGNIC_CSR_ID_VALUE;
  dp.version = (NSGNIC_ABI_VERSION_MAJOR << 16) | NSGNIC_ABI_VERSION_MINOR;
  dp.exq_slots = 4;
  nsgnic_flow_hkey_reset(dp.hkey);  /* the datapath's reset key: the firmware reads it at boot */
  boot();
  return 0;
}

static void test_boot(void **state)
{
  (void)state;
  assert_int_equal(fw.state, NSGNIC_FW_STATE_READY);
  assert_int_equal(hal.rule_entries, F_RULES);
  assert_int_equal(hal.flow_entries, F_FLOWS);
  assert_int_equal(hal.dp_counters, NSGNIC_CNT_COUNT);
  /* the self-test probed and restored the last entry of each TCAM */
  assert_int_equal(dp.tcam[0][F_RULES - 1].valid, 0);
  assert_int_equal(dp.tcam[0][F_RULES - 1].m[0], 0);
  /* another datapath: no tables, FAILED */
  dp.id = 0x12345678;
  boot();
  assert_int_equal(fw.state, NSGNIC_FW_STATE_FAILED);
  assert_int_equal(hal.rule_entries, 0);
  dp.id = NSGNIC_CSR_ID_VALUE;
  dp.version = (NSGNIC_ABI_VERSION_MAJOR + 1) << 16;
  boot();
  assert_int_equal(fw.state, NSGNIC_FW_STATE_FAILED);
}

static void test_tables_and_commit(void **state)
{
  (void)state;
  uint32_t p[21] = {0}, out[30], n;
  NSGNIC_PUT(&p[0], P_TCAM_TABLE, NSGNIC_TABLE_LABEL);
  NSGNIC_PUT(&p[0], P_TCAM_FLAGS, 1u << NSGNIC_TCAM_FLAG_VALID);
  p[1] = 5;
  p[2] = 0x0a000000u;  /* key word 0 */
  p[10] = 0xff000000u; /* mask word 0 */
  NSGNIC_PUT(p + 10, LABEL_KEY_BANK, 1);
  NSGNIC_PUT(p + 2, LABEL_KEY_BANK, 1);
  p[18] = 0x41;        /* labels */
  assert_int_equal(fw_host_cmd(&host, NSGNIC_CMD_TCAM_WRITE, p, 21, out, &n), NSGNIC_STATUS_OK);
  assert_int_equal(dp.tcam[1][5].valid, 1);
  assert_int_equal(dp.tcam[1][5].v[0], 0x0a000000u);
  assert_int_equal(dp.tcam[1][5].m[0], 0xff000000u);
  assert_int_equal(dp.tcam[1][5].r[0], 0x41);
  uint32_t sel[2] = {NSGNIC_TABLE_LABEL, 5};
  assert_int_equal(fw_host_cmd(&host, NSGNIC_CMD_TCAM_READ, sel, 2, out, &n), NSGNIC_STATUS_OK);
  assert_memory_equal(out, p, sizeof(p));
  uint32_t c[2] = {0, 1};
  assert_int_equal(fw_host_cmd(&host, NSGNIC_CMD_COMMIT, c, 2, out, &n), NSGNIC_STATUS_OK);
  assert_int_equal(NSGNIC_GET(&dp.ctrl, DP_CTRL_BANK), 1);
  assert_int_equal(dp.gen, 1);
  /* bank 1 is active: a banked write goes to bank 0 (DP_BIND_INDEX.BANK), a COMMIT activates
   * it and copies it to the other bank */
  uint32_t b[5] = {3, 0x40000000u | 0x400u | 7u, 0x11, 0x22, 0}; /* VALID, subnet NSG 7 */
  assert_int_equal(fw_host_cmd(&host, NSGNIC_CMD_BIND_WRITE, b, 5, out, &n), NSGNIC_STATUS_OK);
  assert_memory_equal(dp.bind[0][3], b + 1, 16);
  uint32_t zero[4] = {0};
  assert_memory_equal(dp.bind[1][3], zero, 16);
  uint32_t sh = b[0] | 1u << (NSGNIC_P_BIND_FLAGS_LSB + NSGNIC_BIND_FLAG_SHADOW);
  assert_int_equal(fw_host_cmd(&host, NSGNIC_CMD_BIND_READ, &sh, 1, out, &n), NSGNIC_STATUS_OK);
  assert_memory_equal(out + 1, b + 1, 16);
  uint32_t c2[2] = {1, 2};
  assert_int_equal(fw_host_cmd(&host, NSGNIC_CMD_COMMIT, c2, 2, out, &n), NSGNIC_STATUS_OK);
  assert_memory_equal(dp.bind[1][3], b + 1, 16);
  assert_int_equal(fw_host_cmd(&host, NSGNIC_CMD_BIND_READ, b, 1, out, &n), NSGNIC_STATUS_OK);
  assert_memory_equal(out, b, 20);
}

static void test_flows_follow_the_hardware_hash(void **state)
{
  (void)state;
  uint32_t p[17], out[30], n;
  for (uint32_t k = 0; k < 12; k++) {
    memset(p, 0, sizeof(p));
    uint32_t *e = p + 1;
    e[0] = 0x0a000001u + k * 77u;
    e[4] = 0x08080808u;
    NSGNIC_PUT(e, FLOW_LOCAL_PORT, 1000 + k);
    NSGNIC_PUT(e, FLOW_PROTO, 17);
    NSGNIC_PUT(e, FLOW_VPORT, 2);
    NSGNIC_PUT(e, FLOW_VALID, 1);
    NSGNIC_PUT(e, FLOW_ACTION, NSGNIC_ACTION_ALLOW);
    uint32_t st = fw_host_cmd(&host, NSGNIC_CMD_FLOW_INSERT, p, 17, out, &n);
    if (st == NSGNIC_STATUS_TABLE_FULL)
      continue;
    assert_int_equal(st, NSGNIC_STATUS_OK);
    uint32_t slot = out[0];
    uint64_t hh = dp_flow_hash(dp.hkey, e);
    uint32_t buckets = 1u << F_BLOG2, t = slot / (buckets * F_WAYS);
    uint32_t bucket = (slot / F_WAYS) % buckets;
    if (t < NSGNIC_FLOW_TABLES)
      assert_int_equal(bucket, (uint32_t)(hh >> (16 * t)) & (buckets - 1));
    assert_memory_equal(dp.flow[slot], e, 64);
    assert_int_equal(fw_host_cmd(&host, NSGNIC_CMD_FLOW_INSERT, p, 17, out, &n),
                     NSGNIC_STATUS_EXISTS);
    /* read, delete with the key */
    assert_int_equal(fw_host_cmd(&host, NSGNIC_CMD_FLOW_READ, &slot, 1, out, &n),
                     NSGNIC_STATUS_OK);
    assert_memory_equal(out + 1, e, 64);
    if (k % 3 == 0) {
      p[0] = slot;
      assert_int_equal(fw_host_cmd(&host, NSGNIC_CMD_FLOW_DELETE, p, 11, out, &n),
                       NSGNIC_STATUS_OK);
      assert_int_equal(NSGNIC_GET(dp.flow[slot], FLOW_VALID), 0);
    }
  }
}

/* CMD_FLOW_HASH_KEY: the firmware empties the flow cache, then sets CSR_FLOW_HKEY; inserts
 * afterwards land where the hardware hash under the new key looks. */
static void test_flow_hash_key(void **state)
{
  (void)state;
  uint32_t p[17] = {0}, out[30], n = 0;
  uint32_t *e = p + 1;
  e[0] = 0x0a000001u;
  e[4] = 0x08080808u;
  NSGNIC_PUT(e, FLOW_LOCAL_PORT, 4242);
  NSGNIC_PUT(e, FLOW_PROTO, 6);
  NSGNIC_PUT(e, FLOW_VALID, 1);
  NSGNIC_PUT(e, FLOW_ACTION, NSGNIC_ACTION_ALLOW);
  assert_int_equal(fw_host_cmd(&host, NSGNIC_CMD_FLOW_INSERT, p, 17, out, &n), NSGNIC_STATUS_OK);
  uint32_t caps[30];
  assert_int_equal(fw_host_cmd(&host, NSGNIC_CMD_GET_CAPS, NULL, 0, caps, &n), NSGNIC_STATUS_OK);
  assert_true(caps[NSGNIC_P_CAPS_CAPS_LSB / 32] & (1u << NSGNIC_CAP_FLOW_HASH_KEY));
  uint32_t k[NSGNIC_FLOW_HKEY_WORDS];
  for (uint32_t i = 0; i < NSGNIC_FLOW_HKEY_WORDS; i++)
    k[i] = 0x01234567u * (i + 3) ^ 0xdeadbeefu;
  assert_int_equal(fw_host_cmd(&host, NSGNIC_CMD_FLOW_HASH_KEY, k, 11, out, &n), NSGNIC_STATUS_BAD_LENGTH);
  assert_int_equal(fw_host_cmd(&host, NSGNIC_CMD_FLOW_HASH_KEY, k, NSGNIC_FLOW_HKEY_WORDS, out, &n),
                   NSGNIC_STATUS_OK);
  assert_memory_equal(dp.hkey, k, sizeof k);
  for (uint32_t i = 0; i < F_FLOWS; i++)
    assert_int_equal(NSGNIC_GET(dp.flow[i], FLOW_VALID), 0);
  assert_int_equal(fw_host_cmd(&host, NSGNIC_CMD_FLOW_INSERT, p, 17, out, &n), NSGNIC_STATUS_OK);
  uint32_t slot = out[0];
  uint64_t hh = dp_flow_hash(k, e);
  uint32_t buckets = 1u << F_BLOG2, t = slot / (buckets * F_WAYS), bucket = (slot / F_WAYS) % buckets;
  assert_int_equal(t, 0); /* an empty cache: the first table */
  assert_int_equal(bucket, (uint32_t)hh & (buckets - 1));
}

/* CMD_AGING_HW reaches the engine's CSRs (per-class timeouts, then ENABLE). */
static void test_aging_hw_csr(void **state)
{
  (void)state;
  uint32_t p[3] = {0}, out[30], n = 0;
  NSGNIC_PUT(p, P_AGEHW_ENABLE, 1);
  NSGNIC_PUT(p, P_AGEHW_TCP_EST, 2400);
  NSGNIC_PUT(p, P_AGEHW_TCP_OTHER, 300);
  NSGNIC_PUT(p, P_AGEHW_UDP, 600);
  NSGNIC_PUT(p, P_AGEHW_ICMP, 100);
  assert_int_equal(fw_host_cmd(&host, NSGNIC_CMD_AGING_HW, p, 3, out, &n), NSGNIC_STATUS_OK);
  assert_int_equal(dp.age_ctrl, 1u << NSGNIC_DP_AGE_CTRL_ENABLE_LSB);
  assert_int_equal(dp.age_to[NSGNIC_AGE_CLASS_TCP_EST], 2400);
  assert_int_equal(dp.age_to[NSGNIC_AGE_CLASS_ICMP], 100);
  fw_poll(&fw); /* polls the (empty) report FIFO */
}

static void test_aging_on_csr(void **state)
{
  (void)state;
  NSGNIC_PUT(dp.flow[3], FLOW_VALID, 1);
  NSGNIC_PUT(dp.flow[3], FLOW_TIMESTAMP, 100);
  NSGNIC_PUT(dp.flow[9], FLOW_VALID, 1);
  NSGNIC_PUT(dp.flow[9], FLOW_TIMESTAMP, 190);
  dp.now = 200;
  uint32_t a[3] = {50, 1u << 30, 64}, out[30], n, code;
  assert_int_equal(fw_host_cmd(&host, NSGNIC_CMD_AGING_START, a, 3, out, &n), NSGNIC_STATUS_OK);
  for (int i = 0; i < 4; i++)
    fw_poll(&fw);
  assert_int_equal(fw_host_evt(&host, &code, out, &n), 1);
  assert_int_equal(code, NSGNIC_EVT_IDLE_FLOW);
  assert_int_equal(out[0], 3);
  assert_int_equal(out[1], 100);
  assert_int_equal(fw_host_evt(&host, &code, out, &n), 1);
  assert_int_equal(code, NSGNIC_EVT_SCAN_DONE);
  assert_int_equal(out[1], F_FLOWS);
  assert_int_equal(out[2], 1);
}

static void test_exceptions_and_counters(void **state)
{
  (void)state;
  dp.exq_count = 2;
  dp.parked = 0x3;  /* the two packets sit in slots 0 and 1 */
  assert_true(win[NSGNIC_HOSTREG_FW_CAPS / 4] & (1u << NSGNIC_CAP_EXC_PARK));
  NSGNIC_PUT(&dp.exq_meta, EXQ_META_LEN, 60);
  NSGNIC_PUT(&dp.exq_meta, EXQ_META_REASON, NSGNIC_REASON_NON_IP);
  NSGNIC_PUT(&dp.exq_meta, EXQ_META_PORT, 0x105);
  for (int i = 0; i < 32; i++)
    dp.exq_data[i] = 0x01010101u * (uint32_t)i;
  fw_poll(&fw);
  uint32_t out[30], n, code;
  for (int k = 0; k < 2; k++) {
    assert_int_equal(fw_host_evt(&host, &code, out, &n), 1);
    assert_int_equal(code, NSGNIC_EVT_EXCEPTION);
    assert_int_equal(NSGNIC_GET(out, P_EXC_PARKED), 1);
    assert_int_equal(NSGNIC_GET(out, P_EXC_PORT), 0x105);
    assert_int_equal(NSGNIC_GET(out, P_EXC_REASON), NSGNIC_REASON_NON_IP);
    assert_int_equal(NSGNIC_GET(out, P_EXC_PKT_LEN), 60);
    assert_int_equal(NSGNIC_GET(out, P_EXC_HEAD_LEN), 60);
    assert_int_equal(n, 2 + 15);
    assert_int_equal(out[2 + 14], 0x0e0e0e0eu);
  }
  assert_int_equal(dp.pops, 2);
  /* CMD_EXC_RELEASE of the second event (sequence word 1 = slot 1): one EXQ_RELEASE write */
  uint32_t x[2] = {1, 0};
  NSGNIC_PUT(x, P_XREL_OUT_PORT, 0x103);
  NSGNIC_PUT(x, P_XREL_ACTION, NSGNIC_ACTION_ALLOW);
  assert_int_equal(fw_host_cmd(&host, NSGNIC_CMD_EXC_RELEASE, x, 2, NULL, NULL), NSGNIC_STATUS_OK);
  assert_int_equal(dp.rels, 1);
  assert_int_equal(NSGNIC_GET(&dp.rel, EXQ_REL_SLOT), 1);
  assert_int_equal(NSGNIC_GET(&dp.rel, EXQ_REL_PORT), 0x103);
  assert_int_equal(NSGNIC_GET(&dp.rel, EXQ_REL_FORWARD), 1);
  assert_int_equal(NSGNIC_GET(&dp.rel, EXQ_REL_RESERVED), 0);
  assert_int_equal(dp.parked, 0x1);
  /* a slot the datapath no longer holds: HW_ERROR, no write */
  dp.parked = 0;
  x[0] = 0;
  NSGNIC_PUT(x, P_XREL_ACTION, NSGNIC_ACTION_DENY);
  assert_int_equal(fw_host_cmd(&host, NSGNIC_CMD_EXC_RELEASE, x, 2, NULL, NULL), NSGNIC_STATUS_HW_ERROR);
  assert_int_equal(dp.rels, 1);
  dp.cnt[NSGNIC_CNT_RX_PKTS] = 1234;
  uint32_t p[2] = {0, NSGNIC_CNT_RX_PKTS};
  NSGNIC_PUT(&p[0], P_CNT_BLOCK, NSGNIC_CNT_BLOCK_DP);
  NSGNIC_PUT(&p[0], P_CNT_COUNT, 1);
  assert_int_equal(fw_host_cmd(&host, NSGNIC_CMD_COUNTERS_READ, p, 2, out, &n), NSGNIC_STATUS_OK);
  assert_int_equal(out[2], 1234);
}

static void test_stuck_or_failing_datapath(void **state)
{
  (void)state;
  uint32_t sel[2] = {NSGNIC_TABLE_RULE, 1}, out[30], n;
  dp.busy_forever = 1;
  assert_int_equal(fw_host_cmd(&host, NSGNIC_CMD_TCAM_READ, sel, 2, out, &n),
                   NSGNIC_STATUS_HW_ERROR);
  dp.busy_forever = 0;
  dp.reject = 1;
  assert_int_equal(fw_host_cmd(&host, NSGNIC_CMD_TCAM_READ, sel, 2, out, &n),
                   NSGNIC_STATUS_HW_ERROR);
  dp.reject = 0;
  assert_int_equal(fw_host_cmd(&host, NSGNIC_CMD_TCAM_READ, sel, 2, out, &n), NSGNIC_STATUS_OK);
  assert_true(fw.cnt[NSGNIC_FWCNT_HW_ERRORS] >= 2);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup(test_boot, setup),
    cmocka_unit_test_setup(test_tables_and_commit, setup),
    cmocka_unit_test_setup(test_flows_follow_the_hardware_hash, setup),
    cmocka_unit_test_setup(test_flow_hash_key, setup),
    cmocka_unit_test_setup(test_aging_hw_csr, setup),
    cmocka_unit_test_setup(test_aging_on_csr, setup),
    cmocka_unit_test_setup(test_exceptions_and_counters, setup),
    cmocka_unit_test_setup(test_stuck_or_failing_datapath, setup),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

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

enum { F_DRAM = 1024, F_DWAYS = 8 };  /* DRAM flow tier slots, slots per bucket */
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
  uint32_t age_ctrl, age_to[4];           /* CSR_AGE_CTRL, CSR_AGE_TIMEOUT */
  uint32_t age_dram;                      /* CSR_AGE_CTRL.DRAM reads 1: the engine ages the tier */
  uint32_t age_n, age_index[4], age_entry[4][16]; /* the report FIFO (CSR_AGE_INDEX / ENTRY) */
  uint32_t dram, flow_limit;              /* CSR_CAP_DRAM_FLOWS, CSR_FLOW_LIMIT */
  uint32_t dram_slot, dram_ops;           /* CSR_DRAM_SLOT; DP_CMD.DRAM commands */
  uint32_t dram_e[F_DRAM][16], dram_v[F_DRAM];  /* the tier: entries and directory bits */
  uint32_t age_sel, age_est[256], age_est_writes; /* CSR_AGE_EST_SEL, what CSR_AGE_EST wrote */
  /* block-RAM label stage (0: none): CSR_CAP_LPM, the staging window, the last tree write */
  uint32_t cap_lpm, lpm_sel, lpm_data[NSGNIC_CSR_LPM_DATA_WORDS];
  uint32_t lpm_writes, lpm_table, lpm_idx, lpm_wsel, lpm_word[NSGNIC_CSR_LPM_DATA_WORDS];
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
  uint32_t dram = (uint32_t)NSGNIC_GET(&c, DP_CMD_DRAM);
  int err = dp.reject || (dram && t != NSGNIC_DP_TABLE_FLOW);
  if (dram && t != NSGNIC_DP_TABLE_FLOW) {
    /* DP_CMD.DRAM with another table: refused (err) */
  } else if (t <= 2) {
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
  } else if ((t == NSGNIC_DP_TABLE_LPM4 || t == NSGNIC_DP_TABLE_LPM6) && dp.cap_lpm) {
    if (op != NSGNIC_DP_OP_WRITE || NSGNIC_GET(&dp.lpm_sel, DP_LPM_SEL_LEVEL) > NSGNIC_GET(&dp.cap_lpm, DP_CAP_LPM_LEVELS)) {
      err = 1;
    } else if (!err) {
      dp.lpm_writes++;
      dp.lpm_table = t;
      dp.lpm_idx = idx;
      dp.lpm_wsel = dp.lpm_sel;
      memcpy(dp.lpm_word, dp.lpm_data, sizeof(dp.lpm_word));
    }
  } else if (t == NSGNIC_DP_TABLE_BINDING) {
    uint32_t v = (uint32_t)NSGNIC_GET(&idx, DP_BIND_INDEX_VPORT), bk = (uint32_t)NSGNIC_GET(&idx, DP_BIND_INDEX_BANK);
    if (v >= F_VPORTS || NSGNIC_GET(&idx, DP_BIND_INDEX_RESERVED))
      err = 1;
    else if (!err && op == NSGNIC_DP_OP_WRITE)
      memcpy(dp.bind[bk][v], dp.data, 16);
    else if (!err)
      memcpy(dp.data, dp.bind[bk][v], 16);
  } else if (t == NSGNIC_DP_TABLE_FLOW && !dram) {
    if (idx >= F_FLOWS) {
      err = 1;
    } else if (!err && op == NSGNIC_DP_OP_WRITE) {
      memcpy(dp.flow[idx], dp.data, 64);
    } else if (!err) {
      memcpy(dp.data, dp.flow[idx], 64);
      NSGNIC_PUT(&dp.status, DP_STATUS_RVALID, NSGNIC_GET(dp.flow[idx], FLOW_VALID));
    }
  } else if (t == NSGNIC_DP_TABLE_FLOW && dram) {
    uint32_t s = dp.dram_slot;
    if (s >= dp.dram || idx != 0 || (op == NSGNIC_DP_OP_WRITE && valid)) {
      err = 1;
    } else if (!err) {
      uint32_t was = dp.dram_v[s], b = s - s % F_DWAYS;
      dp.dram_ops++;
      if (op == NSGNIC_DP_OP_WRITE)
        dp.dram_v[s] = 0;
      memcpy(dp.data, dp.dram_e[s], 64);
      if (!was)
        memset(dp.data, 0, 64);  /* a free slot: no DRAM read, an all-zero entry (flow_dram MFREE) */
      NSGNIC_PUT(dp.data, FLOW_VALID, was);
      NSGNIC_PUT(&dp.status, DP_STATUS_RVALID, was);
      dp.res[0] = 0;
      for (uint32_t w = 0; w < F_DWAYS; w++)
        dp.res[0] |= dp.dram_v[b + w] << w;
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
  case NSGNIC_CSR_CAP_LPM: return dp.cap_lpm;  /* 0: label TCAM device, no trees */
  case NSGNIC_CSR_CAP_LPM4_LEAVES: return dp.cap_lpm ? 64 : 0;
  case NSGNIC_CSR_CAP_LPM6_LEAVES: return dp.cap_lpm ? 32 : 0;
  case NSGNIC_CSR_CAP_LPM4_RESULTS: return dp.cap_lpm ? 1024 : 0;
  case NSGNIC_CSR_CAP_LPM6_RESULTS: return dp.cap_lpm ? 512 : 0;
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
  case NSGNIC_CSR_AGE_CTRL: return dp.age_ctrl | (dp.age_dram ? 1u << NSGNIC_DP_AGE_CTRL_DRAM_LSB : 0u);
  case NSGNIC_CSR_AGE_COUNT: return dp.age_n;
  case NSGNIC_CSR_AGE_INDEX: return dp.age_n ? dp.age_index[0] : 0;
  case NSGNIC_CSR_CAP_DRAM_FLOWS: return dp.dram;
  case NSGNIC_CSR_CAP_DRAM_WAYS: return dp.dram ? F_DWAYS : 0;
  case NSGNIC_CSR_DRAM_SLOT: return dp.dram_slot;
  case NSGNIC_CSR_DRAM_USED: {
    uint32_t u = 0;
    for (uint32_t s = 0; s < dp.dram; s++)
      u += dp.dram_v[s] != 0;
    return u;
  }
  case NSGNIC_CSR_FLOW_LIMIT: return dp.flow_limit;
  case NSGNIC_CSR_AGE_EST_SEL: return dp.age_sel;
  case NSGNIC_CSR_AGE_PASSES: return 0;
  default: break;
  }
  if (a >= NSGNIC_CSR_DATA && a < NSGNIC_CSR_DATA + 64)
    return dp.data[(a - NSGNIC_CSR_DATA) / 4];
  if (a >= NSGNIC_CSR_AGE_ENTRY && a < NSGNIC_CSR_AGE_ENTRY + 64)
    return dp.age_n ? dp.age_entry[0][(a - NSGNIC_CSR_AGE_ENTRY) / 4] : 0;
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
    dp.age_ctrl = v & ~(1u << NSGNIC_DP_AGE_CTRL_DRAM_LSB); /* DRAM is read-only */
  else if (a == NSGNIC_CSR_AGE_POP) {
    if (dp.age_n) {
      dp.age_n--;
      memmove(dp.age_index, dp.age_index + 1, sizeof dp.age_index[0] * dp.age_n);
      memmove(dp.age_entry, dp.age_entry + 1, sizeof dp.age_entry[0] * dp.age_n);
    }
  }
  else if (a == NSGNIC_CSR_FLOW_LIMIT)
    dp.flow_limit = v;
  else if (a == NSGNIC_CSR_DRAM_SLOT)
    dp.dram_slot = v;
  else if (a == NSGNIC_CSR_LPM_SEL && dp.cap_lpm)
    dp.lpm_sel = v;
  else if (a >= NSGNIC_CSR_LPM_DATA && a < NSGNIC_CSR_LPM_DATA + 4 * NSGNIC_CSR_LPM_DATA_WORDS && dp.cap_lpm)
    dp.lpm_data[(a - NSGNIC_CSR_LPM_DATA) / 4] = v;
  else if (a >= NSGNIC_CSR_AGE_TIMEOUT && a < NSGNIC_CSR_AGE_TIMEOUT + 16)
    dp.age_to[(a - NSGNIC_CSR_AGE_TIMEOUT) / 4] = v;
  else if (a == NSGNIC_CSR_AGE_EST_SEL)
    dp.age_sel = v & 0xffu;
  else if (a == NSGNIC_CSR_AGE_EST) {
    dp.age_est[dp.age_sel] = v & 0xffffu;
    dp.age_est_writes++;
  } else
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
  dp.dram = F_DRAM;
  dp.flow_limit = NSGNIC_FLOW_LIMIT_DEFAULT;
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

/* CMD_FLOW_LIMIT (S5): a datapath with the DRAM tier reports it (CAP_FLOW_LIMIT, its slots in
 * P_CAPS.DRAM_FLOW_ENTRIES); the command sets CSR_FLOW_LIMIT and returns the value read back;
 * without a tier it is refused. */
static void test_flow_limit(void **state)
{
  (void)state;
  uint32_t caps[30], out[30], n = 0, lim;
  assert_int_equal(fw_host_cmd(&host, NSGNIC_CMD_GET_CAPS, NULL, 0, caps, &n), NSGNIC_STATUS_OK);
  assert_int_equal(n, FW_W(P_CAPS_DRAM_FLOW_ENTRIES) + 1);
  assert_true(caps[FW_W(P_CAPS_CAPS)] & (1u << NSGNIC_CAP_FLOW_LIMIT));
  assert_int_equal(caps[FW_W(P_CAPS_DRAM_FLOW_ENTRIES)], F_DRAM);
  assert_int_equal(dp.flow_limit, NSGNIC_FLOW_LIMIT_DEFAULT);  /* reset: S5's 500,000 */
  lim = 3;
  assert_int_equal(fw_host_cmd(&host, NSGNIC_CMD_FLOW_LIMIT, &lim, 1, out, &n), NSGNIC_STATUS_OK);
  assert_int_equal(n, 1);
  assert_int_equal(out[0], 3);
  assert_int_equal(dp.flow_limit, 3);
  assert_int_equal(fw_host_cmd(&host, NSGNIC_CMD_FLOW_LIMIT, &lim, 0, out, &n), NSGNIC_STATUS_BAD_LENGTH);
  lim = 0;  /* refuse every new flow: allowed, the host's choice */
  assert_int_equal(fw_host_cmd(&host, NSGNIC_CMD_FLOW_LIMIT, &lim, 1, out, &n), NSGNIC_STATUS_OK);
  assert_int_equal(dp.flow_limit, 0);
  /* a datapath without the tier: no capability, the command is refused */
  dp.dram = 0;
  boot();
  assert_int_equal(fw_host_cmd(&host, NSGNIC_CMD_GET_CAPS, NULL, 0, caps, &n), NSGNIC_STATUS_OK);
  assert_false(caps[FW_W(P_CAPS_CAPS)] & (1u << NSGNIC_CAP_FLOW_LIMIT));
  assert_int_equal(caps[FW_W(P_CAPS_DRAM_FLOW_ENTRIES)], 0);
  lim = 7;
  assert_int_equal(fw_host_cmd(&host, NSGNIC_CMD_FLOW_LIMIT, &lim, 1, out, &n), NSGNIC_STATUS_UNSUPPORTED);
  assert_int_equal(dp.flow_limit, 0);
}

/* A flow in fake DRAM slot s (the key names the slot). */
static void dram_put(uint32_t s)
{
  memset(dp.dram_e[s], 0, 64);
  dp.dram_e[s][0] = 0x0a000000u | s;
  dp.dram_e[s][4] = 0x08080808u;
  NSGNIC_PUT(dp.dram_e[s], FLOW_LOCAL_PORT, 1000 + s);
  NSGNIC_PUT(dp.dram_e[s], FLOW_PROTO, 17);
  NSGNIC_PUT(dp.dram_e[s], FLOW_VALID, 1);
  NSGNIC_PUT(dp.dram_e[s], FLOW_ACTION, NSGNIC_ACTION_ALLOW);
  NSGNIC_PUT(dp.dram_e[s], FLOW_PKTS_OUT, 3 * s + 1);
  dp.dram_v[s] = 1;
}

/* The host's view of the flow cache: FLOW_NEXT lists exactly the slots holding a flow, in slot
 * order, one command per flow plus one for the end (not one per slot as FLOW_READ); INDEX at the
 * end answers the end, beyond it BAD_INDEX. */
static void test_flow_next(void **state)
{
  (void)state;
  static const uint32_t used[] = {0, 5, 6, 40, F_FLOWS - 1};
  for (size_t i = 0; i < sizeof used / sizeof used[0]; i++) {
    memset(dp.flow[used[i]], 0, 64);
    dp.flow[used[i]][0] = 0x0a000000u + used[i];
    NSGNIC_PUT(dp.flow[used[i]], FLOW_VALID, 1);
    NSGNIC_PUT(dp.flow[used[i]], FLOW_PKTS_IN, 7 * used[i] + 1);
  }
  dp.flow[20][0] = 0x12345678u;  /* a stale entry (VALID 0): not listed */
  uint32_t req[1], out[30], n = 0, found[8], nf = 0, cmds = 0;
  for (uint32_t i = 0; cmds < 100; cmds++) {
    req[0] = i;
    assert_int_equal(fw_host_cmd(&host, NSGNIC_CMD_FLOW_NEXT, req, 1, out, &n), NSGNIC_STATUS_OK);
    assert_int_equal(n, FW_W(P_FLOW_ENTRY) + FW_FLOW_WORDS);
    uint32_t at = out[FW_W(P_FLOW_INDEX)], *e = out + FW_W(P_FLOW_ENTRY);
    assert_true(at >= i && at <= F_FLOWS);
    if (!NSGNIC_GET(e, FLOW_VALID)) {
      for (uint32_t w = 0; w < FW_FLOW_WORDS; w++)
        assert_int_equal(e[w], 0);
      if (at == F_FLOWS)
        break;
      i = at;
      continue;
    }
    assert_true(nf < 8);
    found[nf++] = at;
    assert_memory_equal(e, dp.flow[at], 64);
    i = at + 1;
  }
  assert_int_equal(nf, sizeof used / sizeof used[0]);
  for (uint32_t i = 0; i < nf; i++)
    assert_int_equal(found[i], used[i]);
  assert_true(cmds <= nf + 1);
  req[0] = F_FLOWS + 1;
  assert_int_equal(fw_host_cmd(&host, NSGNIC_CMD_FLOW_NEXT, req, 1, out, &n), NSGNIC_STATUS_BAD_INDEX);
}

/* The host's view of DRAM flows: DRAM_FLOW_NEXT lists exactly the slots holding a flow (a
 * stale entry behind a cleared directory bit is not listed), bounded per command; DRAM_FLOW_DELETE
 * checks the key, deletes in the tier and returns the flow's last counters; FLOW_HASH_KEY empties
 * the tier too (its placement follows the key). */
static void test_dram_flows(void **state)
{
  (void)state;
  static const uint32_t used[] = {0, 7, 8, 100, 101, 515, 1023};
  for (size_t i = 0; i < sizeof used / sizeof used[0]; i++)
    dram_put(used[i]);
  dram_put(300);
  dp.dram_v[300] = 0;  /* deleted earlier: the entry stays in DRAM, the directory forgot it */
  uint32_t req[12] = {0}, out[30], n = 0, found[16], nf = 0, cmds = 0;
  for (uint32_t slot = 0; slot < F_DRAM && cmds < 1000; cmds++) {
    req[0] = slot;
    assert_int_equal(fw_host_cmd(&host, NSGNIC_CMD_DRAM_FLOW_NEXT, req, 1, out, &n), NSGNIC_STATUS_OK);
    assert_int_equal(n, FW_W(P_DFLOW_ENTRY) + FW_FLOW_WORDS);
    uint32_t *e = out + FW_W(P_DFLOW_ENTRY);
    assert_true(out[FW_W(P_DFLOW_SLOT)] >= slot);
    if (NSGNIC_GET(e, FLOW_VALID)) {
      assert_true(nf < 16);
      found[nf++] = out[FW_W(P_DFLOW_SLOT)];
      assert_memory_equal(e, dp.dram_e[out[FW_W(P_DFLOW_SLOT)]], 64);
      slot = out[FW_W(P_DFLOW_SLOT)] + 1;
    } else {
      slot = out[FW_W(P_DFLOW_SLOT)];
    }
  }
  assert_int_equal(nf, sizeof used / sizeof used[0]);
  for (uint32_t i = 0; i < nf; i++)
    assert_int_equal(found[i], used[i]);
  /* one read per bucket plus one per flow, not one per slot */
  assert_true(dp.dram_ops < F_DRAM / F_DWAYS + 3 * nf);
  req[0] = F_DRAM + 1;
  assert_int_equal(fw_host_cmd(&host, NSGNIC_CMD_DRAM_FLOW_NEXT, req, 1, out, &n), NSGNIC_STATUS_BAD_INDEX);
  /* delete: the wrong key is refused, the right one deletes and returns the last counters */
  req[FW_W(P_DFLOW_SLOT)] = 100;
  memcpy(req + FW_W(P_DFLOW_ENTRY), dp.dram_e[101], 40);
  assert_int_equal(fw_host_cmd(&host, NSGNIC_CMD_DRAM_FLOW_DELETE, req, 12, out, &n), NSGNIC_STATUS_NOT_FOUND);
  assert_int_equal(dp.dram_v[100], 1);
  memcpy(req + FW_W(P_DFLOW_ENTRY), dp.dram_e[100], 40);
  assert_int_equal(fw_host_cmd(&host, NSGNIC_CMD_DRAM_FLOW_DELETE, req, 12, out, &n), NSGNIC_STATUS_OK);
  assert_int_equal(dp.dram_v[100], 0);
  assert_int_equal(NSGNIC_GET(out + FW_W(P_DFLOW_ENTRY), FLOW_PKTS_OUT), 301);
  assert_int_equal(fw_host_cmd(&host, NSGNIC_CMD_DRAM_FLOW_DELETE, req, 12, out, &n), NSGNIC_STATUS_NOT_FOUND);
  req[FW_W(P_DFLOW_SLOT)] = F_DRAM;
  assert_int_equal(fw_host_cmd(&host, NSGNIC_CMD_DRAM_FLOW_DELETE, req, 12, out, &n), NSGNIC_STATUS_BAD_INDEX);
  /* a new flow-hash key empties the tier */
  uint32_t k[NSGNIC_FLOW_HKEY_WORDS] = {1, 2, 3};
  assert_int_equal(fw_host_cmd(&host, NSGNIC_CMD_FLOW_HASH_KEY, k, NSGNIC_FLOW_HKEY_WORDS, out, &n),
                   NSGNIC_STATUS_OK);
  for (uint32_t s = 0; s < F_DRAM; s++)
    assert_int_equal(dp.dram_v[s], 0);
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
  uint32_t ops0 = dp.dram_ops;
  assert_int_equal(fw_host_cmd(&host, NSGNIC_CMD_FLOW_HASH_KEY, k, NSGNIC_FLOW_HKEY_WORDS, out, &n),
                   NSGNIC_STATUS_OK);
  assert_memory_equal(dp.hkey, k, sizeof k);
  assert_int_equal(dp.dram_ops, ops0); /* an empty tier (CSR_DRAM_USED 0) is not walked */
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
  uint32_t p[5] = {0}, out[30], n = 0;
  /* boot wrote every vport's established timeout: 0 (the class's own) */
  assert_true(dp.age_est_writes >= hal.vports);
  NSGNIC_PUT(p, P_AGEHW_ENABLE, 1);
  NSGNIC_PUT(p, P_AGEHW_PACE, 15);
  NSGNIC_PUT(p, P_AGEHW_TCP_EST, 2400);
  NSGNIC_PUT(p, P_AGEHW_TCP_HALF_OPEN, 300);
  NSGNIC_PUT(p, P_AGEHW_NEW, 600);
  NSGNIC_PUT(p, P_AGEHW_ICMP, 100);
  NSGNIC_PUT(p, P_AGEHW_TCP_CLOSING, 301);
  NSGNIC_PUT(p, P_AGEHW_TCP_TIME_WAIT, 10);
  NSGNIC_PUT(p, P_AGEHW_TCP_CLOSED, 11);
  NSGNIC_PUT(p, P_AGEHW_REPLIED, 2401);
  assert_int_equal(fw_host_cmd(&host, NSGNIC_CMD_AGING_HW, p, 5, out, &n), NSGNIC_STATUS_OK);
  assert_int_equal(dp.age_ctrl, 1u << NSGNIC_DP_AGE_CTRL_ENABLE_LSB | 15u << NSGNIC_DP_AGE_CTRL_PACE_LSB);
  /* two classes per word, class 2w in the low half */
  assert_int_equal(dp.age_to[0], 2400u | 300u << 16);
  assert_int_equal(dp.age_to[1], 600u | 100u << 16);
  assert_int_equal(dp.age_to[2], 301u | 10u << 16);
  assert_int_equal(dp.age_to[3], 11u | 2401u << 16);
  uint32_t e = 0;
  NSGNIC_PUT(&e, P_AGEEST_VPORT, 3);
  NSGNIC_PUT(&e, P_AGEEST_TIMEOUT, 1800);
  assert_int_equal(fw_host_cmd(&host, NSGNIC_CMD_AGING_EST, &e, 1, out, &n), NSGNIC_STATUS_OK);
  assert_int_equal(dp.age_est[3], 1800);
  fw_poll(&fw); /* polls the (empty) report FIFO */
}

/* ABI 1.6: an engine that ages the DRAM tier too (CSR_AGE_CTRL.DRAM) gives CAP_AGING_DRAM; its
 * reports with DP_AGE_INDEX.DRAM become EVT_FLOW_EXPIRED with the unified number F_FLOWS + slot,
 * cache reports keep their index, a slot beyond the tier is a hardware fault (no event). */
static void test_aging_hw_dram_reports(void **state)
{
  (void)state;
  uint32_t out[30], n = 0, code;
  assert_int_equal(fw_host_cmd(&host, NSGNIC_CMD_GET_CAPS, NULL, 0, out, &n), NSGNIC_STATUS_OK);
  assert_false(NSGNIC_GET(out, P_CAPS_CAPS) & (1u << NSGNIC_CAP_AGING_DRAM)); /* engine: cache only */
  dp.age_dram = 1;
  boot();
  assert_int_equal(hal.age_dram, 1);
  assert_int_equal(fw_host_cmd(&host, NSGNIC_CMD_GET_CAPS, NULL, 0, out, &n), NSGNIC_STATUS_OK);
  assert_true(NSGNIC_GET(out, P_CAPS_CAPS) & (1u << NSGNIC_CAP_AGING_DRAM));
  uint32_t p[5] = {0};
  NSGNIC_PUT(p, P_AGEHW_ENABLE, 1);
  for (unsigned f = NSGNIC_P_AGEHW_TCP_EST_LSB; f < 160; f += 16)
    nsgnic_bits_put(p, f, 16, 30);
  /* the DRAM bit reads back 1: the firmware's check of its write ignores it */
  assert_int_equal(fw_host_cmd(&host, NSGNIC_CMD_AGING_HW, p, 5, out, &n), NSGNIC_STATUS_OK);
  const uint32_t ix[3] = {5, 1u << NSGNIC_DP_AGE_INDEX_DRAM_LSB | 7u, 1u << NSGNIC_DP_AGE_INDEX_DRAM_LSB | F_DRAM};
  for (unsigned i = 0; i < 3; i++) {
    dp.age_index[i] = ix[i];
    memset(dp.age_entry[i], 0, sizeof dp.age_entry[i]);
    NSGNIC_PUT(dp.age_entry[i], FLOW_VALID, 1);
    NSGNIC_PUT(dp.age_entry[i], FLOW_LOCAL_PORT, 1000 + i);
  }
  dp.age_n = 3;
  unsigned hwerr = fw.cnt[NSGNIC_FWCNT_HW_ERRORS];
  for (int i = 0; i < 4; i++)
    fw_poll(&fw);
  assert_int_equal(dp.age_n, 0);
  assert_int_equal(fw_host_evt(&host, &code, out, &n), 1);
  assert_int_equal(code, NSGNIC_EVT_FLOW_EXPIRED);
  assert_int_equal(NSGNIC_GET(out, P_IDLE_INDEX), 5);
  assert_int_equal(fw_host_evt(&host, &code, out, &n), 1);
  assert_int_equal(code, NSGNIC_EVT_FLOW_EXPIRED);
  assert_int_equal(NSGNIC_GET(out, P_IDLE_INDEX), F_FLOWS + 7);
  assert_int_equal(NSGNIC_GET(out + 2, FLOW_LOCAL_PORT), 1001);
  /* the third names slot F_DRAM, beyond the tier: counted, no event */
  assert_int_equal(fw_host_evt(&host, &code, out, &n), 0);
  assert_true(fw.cnt[NSGNIC_FWCNT_HW_ERRORS] > hwerr);
}

static void test_aging_on_csr(void **state)
{
  (void)state;
  dp.dram = 0;  /* the flow cache alone (the tier: test_aging_dram) */
  boot();
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

/* The aging scan (AGING_START) covers the DRAM tier after the cache: its flows are reported
 * with the unified slot number F_FLOWS + slot, one read per bucket plus one per flow; FLOW_READ
 * and FLOW_DELETE take that number (the host's on_idle path deletes a DRAM flow like a cache one). */
static void test_aging_dram(void **state)
{
  (void)state;
  dram_put(5);
  NSGNIC_PUT(dp.dram_e[5], FLOW_TIMESTAMP, 100);   /* idle 100 */
  dram_put(6);
  NSGNIC_PUT(dp.dram_e[6], FLOW_TIMESTAMP, 190);   /* idle 10: not reported */
  dram_put(1000);
  NSGNIC_PUT(dp.dram_e[1000], FLOW_TIMESTAMP, 120);
  dp.now = 200;
  uint32_t a[3] = {50, 1u << 30, 64}, out[30], n, code;
  assert_int_equal(fw_host_cmd(&host, NSGNIC_CMD_AGING_START, a, 3, out, &n), NSGNIC_STATUS_OK);
  for (int i = 0; i < 8; i++)
    fw_poll(&fw);
  static const uint32_t want[] = {F_FLOWS + 5, F_FLOWS + 1000};
  for (int k = 0; k < 2; k++) {
    assert_int_equal(fw_host_evt(&host, &code, out, &n), 1);
    assert_int_equal(code, NSGNIC_EVT_IDLE_FLOW);
    assert_int_equal(out[0], want[k]);
    assert_memory_equal(out + 2, dp.dram_e[want[k] - F_FLOWS], 64);
  }
  assert_int_equal(fw_host_evt(&host, &code, out, &n), 1);
  assert_int_equal(code, NSGNIC_EVT_SCAN_DONE);
  assert_int_equal(out[1], F_FLOWS + F_DRAM / F_DWAYS + 2);  /* a read per bucket, 2 more in bucket 0 */
  assert_int_equal(out[2], 2);
  /* FLOW_READ / FLOW_DELETE of the unified number */
  uint32_t idx = F_FLOWS + 1000, p[11];
  assert_int_equal(fw_host_cmd(&host, NSGNIC_CMD_FLOW_READ, &idx, 1, out, &n), NSGNIC_STATUS_OK);
  assert_memory_equal(out + 1, dp.dram_e[1000], 64);
  p[0] = idx;
  memcpy(p + 1, dp.dram_e[5], 40);  /* another flow's key */
  assert_int_equal(fw_host_cmd(&host, NSGNIC_CMD_FLOW_DELETE, p, 11, out, &n), NSGNIC_STATUS_NOT_FOUND);
  memcpy(p + 1, dp.dram_e[1000], 40);
  assert_int_equal(fw_host_cmd(&host, NSGNIC_CMD_FLOW_DELETE, p, 11, out, &n), NSGNIC_STATUS_OK);
  assert_int_equal(dp.dram_v[1000], 0);
  assert_int_equal(fw_host_cmd(&host, NSGNIC_CMD_FLOW_READ, &idx, 1, out, &n), NSGNIC_STATUS_NOT_FOUND);
  idx = F_FLOWS + F_DRAM;
  assert_int_equal(fw_host_cmd(&host, NSGNIC_CMD_FLOW_READ, &idx, 1, out, &n), NSGNIC_STATUS_BAD_INDEX);
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

/* A device with per-vport label contexts (DP_CAP_LPM.LABEL_CTX): GET_CAPS reports CAP_LABEL_CTX
 * besides CAP_LABEL_LPM and the label TCAM (the local-address table) with its size; a local
 * address is written through TABLE_LABEL; a result row is an LPM_ROW (4 words: a 3-word
 * LABEL_RESULT row is refused) and reaches CSR_LPM_DATA whole; without LABEL_CTX the row is
 * LABEL_RESULT again and CAP_LABEL_CTX is not reported. */
static void test_label_ctx_device(void **state)
{
  (void)state;
  for (uint32_t ctx = 0; ctx < 2; ctx++) {
    dp.cap_lpm = 0;
    NSGNIC_PUT(&dp.cap_lpm, DP_CAP_LPM_LEVELS, 3);
    NSGNIC_PUT(&dp.cap_lpm, DP_CAP_LPM_FANOUT, 8);
    NSGNIC_PUT(&dp.cap_lpm, DP_CAP_LPM_CTX_BITS, 9);
    NSGNIC_PUT(&dp.cap_lpm, DP_CAP_LPM_LABEL_CTX, ctx);
    boot();
    assert_int_equal(fw.state, NSGNIC_FW_STATE_READY);
    assert_int_equal(hal.label_ctx, ctx);
    uint32_t caps[30], out[30], n = 0;
    assert_int_equal(fw_host_cmd(&host, NSGNIC_CMD_GET_CAPS, NULL, 0, caps, &n), NSGNIC_STATUS_OK);
    uint32_t c = caps[FW_W(P_CAPS_CAPS)];
    assert_true(c & (1u << NSGNIC_CAP_LABEL_LPM));
    assert_int_equal(!!(c & (1u << NSGNIC_CAP_LABEL_CTX)), ctx);
    assert_true(c & (1u << NSGNIC_CAP_TCAM_LABEL));
    assert_int_equal(caps[FW_W(P_CAPS_LABEL_ENTRIES)], F_LABELS);
    /* a local address: {scope 1, IPv4, 10.0.0.5/32} -> vport 3 */
    uint32_t p[21] = {0};
    NSGNIC_PUT(&p[0], P_TCAM_TABLE, NSGNIC_TABLE_LABEL);
    NSGNIC_PUT(&p[0], P_TCAM_FLAGS, 1u << NSGNIC_TCAM_FLAG_VALID);
    p[1] = 2;
    p[2] = 0x0a000005u;
    p[10] = 0xffffffffu;
    NSGNIC_PUT(p + 2, LABEL_KEY_CTX, 1);
    NSGNIC_PUT(p + 10, LABEL_KEY_CTX, 0xff);
    NSGNIC_PUT(p + 2, LABEL_KEY_BANK, 1);
    NSGNIC_PUT(p + 10, LABEL_KEY_BANK, 1);
    NSGNIC_PUT(p + 18, LABEL_RESULT_VPORT, 3);
    NSGNIC_PUT(p + 18, LABEL_RESULT_VPORT_VALID, 1);
    assert_int_equal(fw_host_cmd(&host, NSGNIC_CMD_TCAM_WRITE, p, 21, out, &n), NSGNIC_STATUS_OK);
    assert_int_equal(dp.tcam[1][2].valid, 1);
    assert_int_equal(dp.tcam[1][2].r[2], p[20]);
    /* a result row (level 3 = LEVELS) of the IPv6 tree: LPM_ROW with contexts, else LABEL_RESULT */
    uint32_t rw = ctx ? NSGNIC_WORDS(NSGNIC_LPM_ROW_BITS) : NSGNIC_LABEL_RESULT_WORDS;
    for (uint32_t words = 3; words <= 4; words++) {
      uint32_t q[6] = {0};
      NSGNIC_PUT(q, P_LPMW_INDEX, 7);
      NSGNIC_PUT(q, P_LPMW_LEVEL, 3);
      NSGNIC_PUT(q, P_LPMW_FAMILY, 1);
      NSGNIC_PUT(q, P_LPMW_FLAGS, 1u << NSGNIC_LPM_FLAG_LAST);
      NSGNIC_PUT(q, P_LPMW_OFFSET, 0);
      NSGNIC_PUT(q, P_LPMW_COUNT, words);
      for (uint32_t i = 0; i < words; i++)
        q[2 + i] = 0x11111111u * (i + 1);
      uint32_t before = dp.lpm_writes;
      uint32_t st = fw_host_cmd(&host, NSGNIC_CMD_LPM_WRITE, q, 2 + words, out, &n);
      if (words != rw) {
        assert_int_equal(st, NSGNIC_STATUS_BAD_FIELD);
        assert_int_equal(dp.lpm_writes, before);
        continue;
      }
      assert_int_equal(st, NSGNIC_STATUS_OK);
      assert_int_equal(dp.lpm_writes, before + 1);
      assert_int_equal(dp.lpm_table, NSGNIC_DP_TABLE_LPM6);
      assert_int_equal(dp.lpm_idx, 7);
      assert_int_equal(NSGNIC_GET(&dp.lpm_wsel, DP_LPM_SEL_LEVEL), 3);
      assert_memory_equal(dp.lpm_word, q + 2, 4 * words);
    }
    /* a binding's LABEL_CTX: within the device's 9 context bits; beyond them refused with
     * contexts (the datapath would search another context), ignored without */
    uint32_t b[5] = {3, 0x40000000u, 0, 0, 511};
    assert_int_equal(fw_host_cmd(&host, NSGNIC_CMD_BIND_WRITE, b, 5, out, &n), NSGNIC_STATUS_OK);
    b[4] = 512;
    assert_int_equal(fw_host_cmd(&host, NSGNIC_CMD_BIND_WRITE, b, 5, out, &n),
                     ctx ? NSGNIC_STATUS_BAD_FIELD : NSGNIC_STATUS_OK);
  }
  /* label contexts without a local-address table: the self-test refuses the device */
  dp.cap_lpm = 0;
  NSGNIC_PUT(&dp.cap_lpm, DP_CAP_LPM_LEVELS, 3);
  NSGNIC_PUT(&dp.cap_lpm, DP_CAP_LPM_FANOUT, 8);
  NSGNIC_PUT(&dp.cap_lpm, DP_CAP_LPM_CTX_BITS, 11);
  NSGNIC_PUT(&dp.cap_lpm, DP_CAP_LPM_LABEL_CTX, 1);
  fw_hal_csr_init(&hal);
  hal.win = win;
  hal.label_entries = 0;
  memset(win, 0, sizeof(win));
  fw_init(&fw, &hal);
  assert_int_equal(fw.state, NSGNIC_FW_STATE_FAILED);
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
    cmocka_unit_test_setup(test_flow_limit, setup),
    cmocka_unit_test_setup(test_dram_flows, setup),
    cmocka_unit_test_setup(test_aging_hw_csr, setup),
    cmocka_unit_test_setup(test_aging_hw_dram_reports, setup),
    cmocka_unit_test_setup(test_aging_on_csr, setup),
    cmocka_unit_test_setup(test_aging_dram, setup),
    cmocka_unit_test_setup(test_flow_next, setup),
    cmocka_unit_test_setup(test_exceptions_and_counters, setup),
    cmocka_unit_test_setup(test_label_ctx_device, setup),
    cmocka_unit_test_setup(test_stuck_or_failing_datapath, setup),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: Apache-2.0 */
/* Backend "fake": a device in the driver's own process. BAR0 is a memory buffer; the hardware
 * registers of the window (offsets below 0x40: identity, CTRL, doorbells, FW_LOAD_*) are
 * emulated here, and the firmware is the REAL firmware logic (firmware/src, compiled for the
 * host) on its RAM HAL, booted when the host sets CTRL.CPU_RUN and run one main-loop turn per
 * `poll`. It cannot execute the RV32 image: FW_LOAD_* only store into two RAM arrays so the
 * loader and its read-back are exercised.
 *
 * Options (comma-separated, after "fake,"): mute (the firmware boots but never serves the
 * mailbox), badcpl (every completion's VERSION is corrupted), magic=N, hw_version=N,
 * fw_version=N (identity words reported), selftest_fail (the boot self-test fails), lpm (the
 * label stage is block-RAM trees of the ABI's geometry instead of the label TCAM: CMD_LPM_WRITE,
 * counted by the RAM HAL), ctx (lpm with per-vport label contexts, CAP_LABEL_CTX: LPM_ROW rows,
 * the label TCAM as the local-address table). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "driver_priv.h"
#include "fw.h"
#include "hal_ram.h"

enum {
  FAKE_RULES = 1024, FAKE_LABELS = 512, FAKE_PLATFORMS = NSGNIC_PLATFORM_ENTRIES,
  FAKE_VPORTS = 64, FAKE_FLOWS = 256, FAKE_DP_COUNTERS = 16,
  HW_REG_END = 0x40,
};

struct fake {
  uint32_t win[NSGNIC_HOSTWIN_BYTES / 4];
  struct fw fw;
  struct fw_hal hal;
  struct fw_ram ram;
  struct fw_tcam_entry rules[FAKE_RULES], labels[FAKE_LABELS], platforms[FAKE_PLATFORMS];
  uint32_t bind[2][FAKE_VPORTS][NSGNIC_BINDING_WORDS];  /* [bank] */
  uint32_t flow[FAKE_FLOWS][FW_FLOW_WORDS];
  uint64_t dp_cnt[FAKE_DP_COUNTERS];
  uint32_t iram[NSGNIC_SOC_IRAM_BYTES / 4], dram[NSGNIC_SOC_DRAM_BYTES / 4];
  /* emulated hardware registers */
  uint32_t ctrl, pending, irq, load_addr;
  bool running, booted;
  uint32_t cpl_seen;
  /* options */
  uint32_t magic, hw_version, fw_version;
  bool mute, badcpl, selftest_fail, fw_version_set, lpm, ctx;
};

static uint32_t *cpu_word(struct fake *f, uint32_t addr)
{
  uint32_t ram = (uint32_t)NSGNIC_SOC_REGION_RAM << NSGNIC_SOC_REGION_SHIFT;
  if (addr >= ram + NSGNIC_SOC_IRAM_OFFSET && addr - ram - NSGNIC_SOC_IRAM_OFFSET < sizeof f->iram)
    return &f->iram[(addr - ram - NSGNIC_SOC_IRAM_OFFSET) / 4];
  if (addr >= ram + NSGNIC_SOC_DRAM_OFFSET && addr - ram - NSGNIC_SOC_DRAM_OFFSET < sizeof f->dram)
    return &f->dram[(addr - ram - NSGNIC_SOC_DRAM_OFFSET) / 4];
  return NULL;
}

static void clear_tables(struct fake *f)
{
  memset(f->rules, 0, sizeof f->rules);
  memset(f->labels, 0, sizeof f->labels);
  memset(f->platforms, 0, sizeof f->platforms);
  memset(f->bind, 0, sizeof f->bind);
  memset(f->flow, 0, sizeof f->flow);
  f->ram.bank = 0;
}

static int parse_opts(struct nsgnic_dev *d, struct fake *f, const char *arg)
{
  f->magic = NSGNIC_HOST_MAGIC;
  f->hw_version = ((uint32_t)NSGNIC_ABI_VERSION_MAJOR << 16) | NSGNIC_ABI_VERSION_MINOR;
  while (arg && *arg) {
    const char *end = strchr(arg, ',');
    size_t n = end ? (size_t)(end - arg) : strlen(arg);
    char opt[64];
    if (n >= sizeof opt)
      goto bad;
    memcpy(opt, arg, n);
    opt[n] = 0;
    char *eq = strchr(opt, '=');
    char *num_end = NULL;
    unsigned long v = eq ? strtoul(eq + 1, &num_end, 0) : 0;
    if (eq && (num_end == eq + 1 || *num_end || v > UINT32_MAX))
      goto bad;
    if (strcmp(opt, "mute") == 0)
      f->mute = true;
    else if (strcmp(opt, "badcpl") == 0)
      f->badcpl = true;
    else if (strcmp(opt, "selftest_fail") == 0)
      f->selftest_fail = true;
    else if (strcmp(opt, "lpm") == 0)
      f->lpm = true;
    else if (strcmp(opt, "ctx") == 0)
      f->lpm = f->ctx = true;
    else if (eq && strncmp(opt, "magic=", 6) == 0)
      f->magic = (uint32_t)v;
    else if (eq && strncmp(opt, "hw_version=", 11) == 0)
      f->hw_version = (uint32_t)v;
    else if (eq && strncmp(opt, "fw_version=", 11) == 0)
      f->fw_version = (uint32_t)v, f->fw_version_set = true;
    else
      goto bad;
    arg = end ? end + 1 : NULL;
  }
  return 0;
bad:
  DLOG(d, ERR, "fake device: unknown option in '%s' (mute, badcpl, selftest_fail, lpm, ctx, magic=N, "
       "hw_version=N, fw_version=N)", arg);
  return -EINVAL;
}

static int fake_open(struct nsgnic_dev *d, const char *arg)
{
  struct fake *f = calloc(1, sizeof *f);
  if (!f)
    return -ENOMEM;
  int err = parse_opts(d, f, arg);
  if (err < 0) {
    free(f);
    return err;
  }
  f->hal.rule_entries = FAKE_RULES;
  f->hal.label_entries = f->lpm && !f->ctx ? 0 : FAKE_LABELS;
  f->hal.label_ctx = f->ctx;
  if (f->lpm) {
    f->hal.lpm_levels = NSGNIC_LPM_LEVELS;
    f->hal.lpm_fanout = NSGNIC_LPM_FANOUT;
    f->hal.lpm_ctx_bits = NSGNIC_LPM_CTX_BITS;
    f->hal.lpm_leaves[0] = NSGNIC_LPM4_LEAF_NODES;
    f->hal.lpm_leaves[1] = NSGNIC_LPM6_LEAF_NODES;
    f->hal.lpm_results[0] = NSGNIC_LPM4_RESULTS;
    f->hal.lpm_results[1] = NSGNIC_LPM6_RESULTS;
  }
  f->hal.platform_entries = FAKE_PLATFORMS;
  f->hal.vports = FAKE_VPORTS;
  f->hal.flow_entries = FAKE_FLOWS;
  f->hal.dp_counters = FAKE_DP_COUNTERS;
  f->hal.build = 0xfa4e0001u;
  f->ram.tcam[0] = f->rules;
  f->ram.tcam[1] = f->labels;
  f->ram.tcam[2] = f->platforms;
  f->ram.bind[0] = f->bind[0];
  f->ram.bind[1] = f->bind[1];
  f->ram.flow = f->flow;
  f->ram.dp_cnt = f->dp_cnt;
  f->ram.tick_step = 1;
  fw_ram_attach(&f->hal, &f->ram, f->win);
  d->be = f;
  d->window_bytes = NSGNIC_HOSTWIN_BYTES;
  return 0;
}

static void fake_close(void *be) { free(be); }

static uint32_t fake_rd32(void *be, uint32_t off)
{
  struct fake *f = be;
  if (off >= HW_REG_END)
    return f->win[off >> 2];
  switch (off) {
  case NSGNIC_HOSTREG_MAGIC: return f->magic;
  case NSGNIC_HOSTREG_HW_VERSION: return f->hw_version;
  case NSGNIC_HOSTREG_HW_BUILD: return 0xfa4e0000u;
  case NSGNIC_HOSTREG_HW_CAPS:
    return (1u << NSGNIC_CAP_TCAM_RULE) | (1u << NSGNIC_CAP_TCAM_LABEL) |
           (1u << NSGNIC_CAP_TCAM_PLATFORM) | (1u << NSGNIC_CAP_BANKED_COMMIT) |
           (1u << NSGNIC_CAP_FLOWS) | (1u << NSGNIC_CAP_COUNTERS);
  case NSGNIC_HOSTREG_CTRL: return f->ctrl;
  case NSGNIC_HOSTREG_PENDING: return f->pending;
  case NSGNIC_HOSTREG_IRQ_STATUS: return f->irq;
  case NSGNIC_HOSTREG_WINDOW_BYTES: return NSGNIC_HOSTWIN_BYTES;
  case NSGNIC_HOSTREG_FW_LOAD_ADDR: return f->load_addr;
  case NSGNIC_HOSTREG_FW_LOAD_DATA: {
    uint32_t *w = f->running ? NULL : cpu_word(f, f->load_addr);
    f->load_addr += 4;
    return w ? *w : UINT32_MAX;
  }
  default: return 0;
  }
}

static void fake_wr32(void *be, uint32_t off, uint32_t v)
{
  struct fake *f = be;
  if (off >= HW_REG_END) {
    f->win[off >> 2] = v;
    return;
  }
  switch (off) {
  case NSGNIC_HOSTREG_CTRL:
    if (NSGNIC_GET(&v, CTRL_SOFT_RESET))
      clear_tables(f);
    f->ctrl = v & (1u << NSGNIC_CTRL_CPU_RUN_LSB);
    f->running = f->ctrl != 0;
    if (!f->running)
      f->booted = false;
    break;
  case NSGNIC_HOSTREG_CMD_DOORBELL: f->pending |= 1u << NSGNIC_PENDING_CMD_LSB; break;
  case NSGNIC_HOSTREG_IRQ_STATUS: f->irq &= ~v; break;
  case NSGNIC_HOSTREG_FW_LOAD_ADDR: f->load_addr = v; break;
  case NSGNIC_HOSTREG_FW_LOAD_DATA: {
    uint32_t *w = f->running ? NULL : cpu_word(f, f->load_addr);
    if (w)
      *w = v;
    f->load_addr += 4;
    break;
  }
  default: break;
  }
}

/* One firmware main-loop turn (boot on the first after CPU_RUN). */
static void fake_poll(void *be)
{
  struct fake *f = be;
  if (!f->running)
    return;
  if (!f->booted) {
    f->ram.fail = f->selftest_fail ? 1000000u : 0;
    fw_init(&f->fw, &f->hal);
    f->ram.fail = 0;
    if (f->fw_version_set)
      f->win[NSGNIC_HOSTREG_FW_VERSION >> 2] = f->fw_version;
    f->booted = true;
    f->cpl_seen = 0;
    return;
  }
  if (f->mute)
    return;
  f->ram.now++;
  fw_poll(&f->fw);
  f->pending = 0;
  uint32_t head = f->win[NSGNIC_HOSTREG_CPL_HEAD >> 2];
  for (; f->cpl_seen != head; f->cpl_seen++) {
    f->irq |= 1u << NSGNIC_IRQ_CPL_LSB;
    if (f->badcpl) {
      uint32_t *h = &f->win[(NSGNIC_CPL_RING_OFFSET + (f->cpl_seen & (NSGNIC_CPL_RING_SLOTS - 1u)) *
                             NSGNIC_SLOT_BYTES) >> 2];
      NSGNIC_PUT(h, CPL_HDR_VERSION, 0x7f);
    }
  }
}

const struct nsgnic_backend_ops nsgnic_backend_fake = {
  .name = "fake", .open = fake_open, .close = fake_close, .rd32 = fake_rd32, .wr32 = fake_wr32,
  .poll = fake_poll,
};

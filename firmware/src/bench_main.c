/* SPDX-License-Identifier: Apache-2.0 */
/* Benchmark images for bench/firmware.sh: the firmware logic on the soft-core with the RAM HAL
 * (so the figures are the firmware's own cost; the datapath's table-write latency is not in
 * them). Built twice per kind, with FW_BENCH_N = 1 and 2 units of work: the difference of the
 * two runs' cycle counts is the cost of one unit, boot and setup cancel out.
 *   FW_BENCH_KIND 1: 1024 * N TCAM_WRITE commands (rule TCAM, inactive bank) through the
 *                    command ring; the 32 ring slots are written once, the host side only moves
 *                    CMD_HEAD / CPL_TAIL, so nearly all cycles are the firmware's.
 *   FW_BENCH_KIND 2: 8 aging passes over 128 * N valid, non-idle flows (batch = all), so the
 *                    difference is the marginal cost of 1024 flow entries scanned (the
 *                    per-pass overhead cancels).
 * Writes tohost = 1 when every command succeeded. */
#include "hal_ram.h"
#include "mmio.h"
#include "script.h"

#ifndef FW_BENCH_KIND
#define FW_BENCH_KIND 1
#endif
#ifndef FW_BENCH_N
#define FW_BENCH_N 1
#endif

int main(void);

enum { B_RULES = 32, B_LABELS = 4, B_PLATFORMS = 4, B_VPORTS = 4, BENCH_FLOWS = 256, B_CNT = 1 };

static struct fw fw;
static struct fw_hal hal;
static struct fw_ram ram;
static uint32_t win[NSGNIC_HOSTWIN_BYTES / 4];
static struct fw_tcam_entry rules[B_RULES], labels[B_LABELS], platforms[B_PLATFORMS];
static uint32_t bind[2][B_VPORTS][NSGNIC_BINDING_WORDS];
static uint32_t flow[BENCH_FLOWS][FW_FLOW_WORDS];
static uint64_t dp_cnt[B_CNT];

static void setup(void)
{
  hal.rule_entries = B_RULES;
  hal.label_entries = B_LABELS;
  hal.platform_entries = B_PLATFORMS;
  hal.vports = B_VPORTS;
  hal.flow_entries = FW_BENCH_KIND == 2 ? 128u * FW_BENCH_N : BENCH_FLOWS;
  hal.dp_counters = B_CNT;
  hal.port_classes = NSGNIC_PORT_CLASSES;
  ram.tcam[0] = rules;
  ram.tcam[1] = labels;
  ram.tcam[2] = platforms;
  ram.bind[0] = bind[0];
  ram.bind[1] = bind[1];
  ram.flow = flow;
  ram.dp_cnt = dp_cnt;
  ram.tick_step = 1;
  fw_ram_attach(&hal, &ram, win);
  fw_init(&fw, &hal);
}

#if FW_BENCH_KIND == 1
static uint32_t run(void)
{
  const uint32_t slots = NSGNIC_CMD_RING_SLOTS;
  for (uint32_t s = 0; s < slots; s++) {
    uint32_t *c = win + (NSGNIC_CMD_RING_OFFSET + s * NSGNIC_SLOT_BYTES) / 4u;
    uint32_t *p = c + NSGNIC_MSG_HDR_WORDS;
    c[0] = fw_host_hdr(NSGNIC_CMD_TCAM_WRITE, NSGNIC_MBOX_VERSION, 21, 0);
    c[1] = s;
    NSGNIC_PUT(&p[0], P_TCAM_TABLE, NSGNIC_TABLE_RULE);
    NSGNIC_PUT(&p[0], P_TCAM_FLAGS, 1u << NSGNIC_TCAM_FLAG_VALID);
    p[FW_W(P_TCAM_INDEX)] = s;
    uint32_t *key = p + FW_W(P_TCAM_KEY), *mask = p + FW_W(P_TCAM_MASK);
    key[0] = 0x01bb0000u | s;
    mask[0] = 0xffffffffu;
    key[2] = 0x0a000000u;
    mask[2] = 0xff000000u;
    NSGNIC_PUT(key, RULE_KEY_BANK, 1);
    NSGNIC_PUT(mask, RULE_KEY_BANK, 1);
    NSGNIC_PUT(p + FW_W(P_TCAM_RESULT), RESULT_ACTION, NSGNIC_ACTION_ALLOW);
  }
  volatile uint32_t *w = win;
  uint32_t head = 0;
  for (uint32_t b = 0; b < 32u * FW_BENCH_N; b++) {
    head += slots;
    w[NSGNIC_HOSTREG_CMD_HEAD / 4] = head;
    while (w[NSGNIC_HOSTREG_CMD_TAIL / 4] != head) {
      fw_poll(&fw);
      w[NSGNIC_HOSTREG_CPL_TAIL / 4] = w[NSGNIC_HOSTREG_CPL_HEAD / 4];
    }
  }
  return fw.cnt[NSGNIC_FWCNT_CMD_ERR] == 0 && fw.cnt[NSGNIC_FWCNT_TCAM_WRITES] == 1024u * FW_BENCH_N
             ? 0
             : 1;
}
#else
static uint32_t run(void)
{
  for (uint32_t i = 0; i < BENCH_FLOWS; i++) {
    flow[i][0] = 0x0a000000u + i;
    NSGNIC_PUT(flow[i], FLOW_VALID, 1);
    NSGNIC_PUT(flow[i], FLOW_ACTION, NSGNIC_ACTION_ALLOW);
  }
  ram.now = 5;
  struct fw_host h;
  fw_host_init(&h, &fw);
  uint32_t p[3] = {100, 0, hal.flow_entries};
  if (fw_host_cmd(&h, NSGNIC_CMD_AGING_START, p, 3, 0, 0) != NSGNIC_STATUS_OK)
    return 2;
  volatile uint32_t *w = win;
  while (fw.cnt[NSGNIC_FWCNT_SCAN_PASSES] < 8u) {
    fw_poll(&fw);
    w[NSGNIC_HOSTREG_EVT_TAIL / 4] = w[NSGNIC_HOSTREG_EVT_HEAD / 4];
  }
  return fw.cnt[NSGNIC_FWCNT_IDLE_REPORTS] == 0 ? 0 : 3;
}
#endif

int main(void)
{
  setup();
  uint32_t r = fw.selftest ? 100 : run();
  fw_tohost(r == 0 ? 1u : (r << 1) | 1u);
  for (;;) {
  }
}

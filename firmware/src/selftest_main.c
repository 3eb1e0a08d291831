/* SPDX-License-Identifier: Apache-2.0 */
/* The self-test image for `nsgnic-sim --run-elf`: the firmware logic on the soft-core with the
 * RAM HAL (small tables and the host window in data RAM), boot self-test, then the end-to-end
 * mailbox script and a short fuzz run (script.c). Writes tohost = 1 on success, (n << 1) | 1
 * when step n failed (n = 100 + SELFTEST bits when the boot self-test failed, 50 when a guard
 * word after the tables changed). */
#include "hal_ram.h"
#include "mmio.h"
#include "script.h"

int main(void);

enum { ST_RULES = 16, ST_LABELS = 16, ST_PLATFORMS = 4, ST_VPORTS = 8, ST_FLOWS = 16, ST_CNT = 4 };

static struct fw fw;
static struct fw_hal hal;
static struct fw_ram ram;
static uint32_t win[NSGNIC_HOSTWIN_BYTES / 4];
static struct fw_tcam_entry rules[ST_RULES], labels[ST_LABELS], platforms[ST_PLATFORMS];
static uint32_t bind[2][ST_VPORTS][NSGNIC_BINDING_WORDS];
static uint32_t flow[ST_FLOWS][FW_FLOW_WORDS];
static uint64_t dp_cnt[ST_CNT];
/* guard words after the tables (the fuzz run must not touch them) */
static uint32_t guard[64];

static int guard_ok(void)
{
  for (uint32_t i = 0; i < 64; i++)
    if (guard[i] != 0x5a5a5a5au + i)
      return 0;
  return 1;
}

int main(void)
{
  hal.rule_entries = ST_RULES;
  hal.label_entries = ST_LABELS;
  hal.platform_entries = ST_PLATFORMS;
  hal.vports = ST_VPORTS;
  hal.flow_entries = ST_FLOWS;
  hal.dp_counters = ST_CNT;
  hal.port_classes = NSGNIC_PORT_CLASSES;
  hal.build = NSGNIC_FW_BUILD_HASH;
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
  for (uint32_t i = 0; i < 64; i++)
    guard[i] = 0x5a5a5a5au + i;
  uint32_t r = fw.selftest ? 100 + fw.selftest : fw_script_run(&fw, &ram);
  if (r == 0)
    r = fw_script_fuzz(&fw, 3000, 0x1234567u);
  if (r == 0 && !guard_ok())
    r = 50;
  fw_tohost(r == 0 ? 1u : (r << 1) | 1u);
  for (;;) {
  }
}

/* SPDX-License-Identifier: Apache-2.0 */
/* Test fixture for the firmware logic: a fake device (RAM HAL with small tables followed by
 * guard entries), a host window, a booted struct fw and the in-process mailbox host. */
#ifndef NSGNIC_TEST_FW_FIXTURE_H
#define NSGNIC_TEST_FW_FIXTURE_H

#include "script.h"

enum {
  FX_RULES = 64, FX_LABELS = 32, FX_PLATFORMS = 16, FX_VPORTS = 16, FX_FLOWS = 64,
  FX_DP_COUNTERS = 8, FX_GUARD = 4,
};

struct fx {
  struct fw fw;
  struct fw_hal hal;
  struct fw_ram ram;
  struct fw_host host;
  uint32_t win[NSGNIC_HOSTWIN_BYTES / 4];
  /* tables, each followed by FX_GUARD guard entries (checked by fx_guards_ok) */
  struct fw_tcam_entry rules[FX_RULES + FX_GUARD], labels[FX_LABELS + FX_GUARD],
      platforms[FX_PLATFORMS + FX_GUARD];
  uint32_t bind[2][FX_VPORTS + FX_GUARD][NSGNIC_BINDING_WORDS];  /* [bank] */
  uint32_t flow[FX_FLOWS + FX_GUARD][FW_FLOW_WORDS];
  uint64_t dp_cnt[FX_DP_COUNTERS + FX_GUARD];
};

/* Allocates and boots a fixture (abort()s on allocation failure). */
struct fx *fx_new(void);
/* Allocates one without booting (tests set up tables first, then fw_init + fw_host_init). */
struct fx *fx_new_unbooted(void);
void fx_boot(struct fx *f);
void fx_free(struct fx *f);
/* Guard entries still hold their fill pattern. */
int fx_guards_ok(const struct fx *f);

/* Payload builders: a rule-TCAM write (21 words) matching one destination port in `bank`, and
 * a flow insert (17 words) of a TCP flow on vport 1. */
void fx_rule(uint32_t *p, uint32_t idx, uint32_t bank, uint32_t port, uint32_t flags);
void fx_flow(uint32_t *p, uint32_t local, uint32_t remote, uint16_t lport, uint16_t rport,
             uint32_t ts);

#endif

/* SPDX-License-Identifier: Apache-2.0 */
#include "fixture.h"

#include <stdlib.h>
#include <string.h>

enum { GUARD_BYTE = 0xa7 };

struct fx *fx_new_unbooted(void)
{
  struct fx *f = calloc(1, sizeof(*f));
  if (!f)
    abort();
  memset(f->rules + FX_RULES, GUARD_BYTE, sizeof(f->rules[0]) * FX_GUARD);
  memset(f->labels + FX_LABELS, GUARD_BYTE, sizeof(f->labels[0]) * FX_GUARD);
  memset(f->platforms + FX_PLATFORMS, GUARD_BYTE, sizeof(f->platforms[0]) * FX_GUARD);
  for (int b = 0; b < 2; b++)
    memset(f->bind[b] + FX_VPORTS, GUARD_BYTE, sizeof(f->bind[b][0]) * FX_GUARD);
  memset(f->flow + FX_FLOWS, GUARD_BYTE, sizeof(f->flow[0]) * FX_GUARD);
  memset(f->dp_cnt + FX_DP_COUNTERS, GUARD_BYTE, sizeof(f->dp_cnt[0]) * FX_GUARD);
  f->hal.rule_entries = FX_RULES;
  f->hal.label_entries = FX_LABELS;
  f->hal.platform_entries = FX_PLATFORMS;
  f->hal.vports = FX_VPORTS;
  f->hal.flow_entries = FX_FLOWS;
  f->hal.dp_counters = FX_DP_COUNTERS;
  f->hal.port_classes = NSGNIC_PORT_CLASSES;
  f->hal.build = 0x1234abcd;
  f->ram.tcam[0] = f->rules;
  f->ram.tcam[1] = f->labels;
  f->ram.tcam[2] = f->platforms;
  f->ram.bind[0] = f->bind[0];
  f->ram.bind[1] = f->bind[1];
  f->ram.flow = f->flow;
  f->ram.dp_cnt = f->dp_cnt;
  f->ram.tick_step = 7;
  for (uint32_t i = 0; i < FX_DP_COUNTERS; i++)
    f->dp_cnt[i] = 0x100000000ull * i + 5 * i;
  fw_ram_attach(&f->hal, &f->ram, f->win);
  return f;
}

void fx_boot(struct fx *f)
{
  fw_init(&f->fw, &f->hal);
  fw_host_init(&f->host, &f->fw);
}

struct fx *fx_new(void)
{
  struct fx *f = fx_new_unbooted();
  fx_boot(f);
  return f;
}

void fx_free(struct fx *f) { free(f); }

static int all(const void *p, size_t n)
{
  const unsigned char *b = p;
  for (size_t i = 0; i < n; i++)
    if (b[i] != GUARD_BYTE)
      return 0;
  return 1;
}

int fx_guards_ok(const struct fx *f)
{
  return all(f->rules + FX_RULES, sizeof(f->rules[0]) * FX_GUARD) &&
         all(f->labels + FX_LABELS, sizeof(f->labels[0]) * FX_GUARD) &&
         all(f->platforms + FX_PLATFORMS, sizeof(f->platforms[0]) * FX_GUARD) &&
         all(f->bind[0] + FX_VPORTS, sizeof(f->bind[0][0]) * FX_GUARD) &&
         all(f->bind[1] + FX_VPORTS, sizeof(f->bind[1][0]) * FX_GUARD) &&
         all(f->flow + FX_FLOWS, sizeof(f->flow[0]) * FX_GUARD) &&
         all(f->dp_cnt + FX_DP_COUNTERS, sizeof(f->dp_cnt[0]) * FX_GUARD);
}

void fx_rule(uint32_t *p, uint32_t idx, uint32_t bank, uint32_t port, uint32_t flags)
{
  memset(p, 0, 21 * sizeof(*p));
  NSGNIC_PUT(&p[0], P_TCAM_TABLE, NSGNIC_TABLE_RULE);
  NSGNIC_PUT(&p[0], P_TCAM_FLAGS, flags);
  p[FW_W(P_TCAM_INDEX)] = idx;
  uint32_t *key = p + FW_W(P_TCAM_KEY), *mask = p + FW_W(P_TCAM_MASK);
  NSGNIC_PUT(key, RULE_KEY_DST_PORT, port);
  NSGNIC_PUT(mask, RULE_KEY_DST_PORT, 0xffff);
  NSGNIC_PUT(key, RULE_KEY_BANK, bank);
  NSGNIC_PUT(mask, RULE_KEY_BANK, 1);
  NSGNIC_PUT(p + FW_W(P_TCAM_RESULT), RESULT_ACTION, NSGNIC_ACTION_DENY);
}

void fx_flow(uint32_t *p, uint32_t local, uint32_t remote, uint16_t lport, uint16_t rport,
             uint32_t ts)
{
  memset(p, 0, (1 + FW_FLOW_WORDS) * sizeof(*p));
  uint32_t *e = p + FW_W(P_FLOW_ENTRY);
  e[FW_W(FLOW_LOCAL_ADDR)] = local;  /* 128-bit field: IPv4 in word 0 */
  e[FW_W(FLOW_REMOTE_ADDR)] = remote;
  NSGNIC_PUT(e, FLOW_LOCAL_PORT, lport);
  NSGNIC_PUT(e, FLOW_REMOTE_PORT, rport);
  NSGNIC_PUT(e, FLOW_PROTO, 6);
  NSGNIC_PUT(e, FLOW_VPORT, 1);
  NSGNIC_PUT(e, FLOW_VALID, 1);
  NSGNIC_PUT(e, FLOW_ACTION, NSGNIC_ACTION_ALLOW);
  NSGNIC_PUT(e, FLOW_TIMESTAMP, ts);
}

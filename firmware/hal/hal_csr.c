/* SPDX-License-Identifier: Apache-2.0 */
/* Datapath backend of the firmware HAL (see hal_csr.h).
 * STATUS: the datapath CSR map (csr.def.h) is not committed yet, so this backend reports no
 * tables: the boot self-test fails its SIZES step and the firmware serves only GET_CAPS,
 * COUNTERS_READ (firmware block) and ECHO (FW_STATE_FAILED) — fail closed. */
#include "hal_csr.h"
#include "mmio.h"

static int no_tcam_write(void *ctx, unsigned t, uint32_t i, const struct fw_tcam_entry *e)
{
  (void)ctx, (void)t, (void)i, (void)e;
  return FW_HAL_EHW;
}
static int no_tcam_read(void *ctx, unsigned t, uint32_t i, struct fw_tcam_entry *e)
{
  (void)ctx, (void)t, (void)i, (void)e;
  return FW_HAL_EHW;
}
static int no_bank_set(void *ctx, uint32_t b)
{
  (void)ctx, (void)b;
  return FW_HAL_EHW;
}
static int no_bind_write(void *ctx, uint32_t v, const uint32_t e[NSGNIC_BINDING_WORDS])
{
  (void)ctx, (void)v, (void)e;
  return FW_HAL_EHW;
}
static int no_bind_read(void *ctx, uint32_t v, uint32_t e[NSGNIC_BINDING_WORDS])
{
  (void)ctx, (void)v, (void)e;
  return FW_HAL_EHW;
}
static int no_flow_read(void *ctx, uint32_t i, uint32_t e[FW_FLOW_WORDS])
{
  (void)ctx, (void)i, (void)e;
  return FW_HAL_EHW;
}
static int no_flow_insert(void *ctx, const uint32_t e[FW_FLOW_WORDS], uint32_t *i)
{
  (void)ctx, (void)e, (void)i;
  return FW_HAL_EHW;
}
static int no_flow_delete(void *ctx, uint32_t i)
{
  (void)ctx, (void)i;
  return FW_HAL_EHW;
}
static uint32_t no_flow_next_idle(void *ctx, uint32_t from, uint32_t to, uint32_t now,
                                  uint32_t threshold)
{
  (void)ctx, (void)from, (void)now, (void)threshold;
  return to;
}
static uint32_t no_flow_now(void *ctx)
{
  (void)ctx;
  return 0;
}
static int no_counter_read(void *ctx, uint32_t id, uint64_t *v)
{
  (void)ctx, (void)id, (void)v;
  return FW_HAL_EHW;
}
static int no_exc_pop(void *ctx, uint32_t p[FW_EXC_WORDS], uint32_t *w)
{
  (void)ctx, (void)p, (void)w;
  return 0;
}
static uint32_t csr_ticks(void *ctx)
{
  (void)ctx;
  return fw_mtime();
}

static const struct fw_hal_ops csr_ops = {
  .tcam_write = no_tcam_write,
  .tcam_read = no_tcam_read,
  .bank_set = no_bank_set,
  .bind_write = no_bind_write,
  .bind_read = no_bind_read,
  .flow_read = no_flow_read,
  .flow_insert = no_flow_insert,
  .flow_delete = no_flow_delete,
  .flow_next_idle = no_flow_next_idle,
  .flow_now = no_flow_now,
  .counter_read = no_counter_read,
  .exc_pop = no_exc_pop,
  .ticks = csr_ticks,
};

void fw_hal_csr_init(struct fw_hal *hal)
{
  hal->win = (volatile uint32_t *)(uintptr_t)FW_HOSTWIN_BASE;
  hal->ops = &csr_ops;
  hal->ctx = 0;
  hal->build = NSGNIC_FW_BUILD_HASH;
  hal->rule_entries = hal->label_entries = hal->platform_entries = 0;
  hal->vports = hal->flow_entries = hal->dp_counters = 0;
}

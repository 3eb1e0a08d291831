/* SPDX-License-Identifier: Apache-2.0 */
/* Firmware core: boot, the main-loop turn, the mailbox rings, the event ring, the heartbeat and
 * the command dispatcher with its header checks (see fw.h for the design). */
#include <stddef.h>

#include "fw.h"

/* ---- commands that need no table ------------------------------------------------------- */

static uint32_t cmd_echo(struct fw *fw, const uint32_t *p, uint32_t len, uint32_t *out,
                         uint32_t *out_len)
{
  (void)fw;
  for (uint32_t i = 0; i < len; i++)
    out[i] = p[i];
  *out_len = len;
  return NSGNIC_STATUS_OK;
}

/* CAP_EXT_TIME is the hardware's (HOSTREG_HW_CAPS): the firmware has no part in it but reports
 * it so that GET_CAPS describes the whole device. */
static uint32_t fw_caps(const struct fw_hal *h)
{
  int hw_aging = h->ops->age_set && h->ops->age_est && h->ops->age_pop && h->flow_entries;
  return (fw_win_rd(h, NSGNIC_HOSTREG_HW_CAPS) & (1u << NSGNIC_CAP_EXT_TIME)) |
         (h->port_classes ? 1u << NSGNIC_CAP_PORT_RANGES : 0u) | (1u << NSGNIC_CAP_TCAM_RULE) |
         (h->label_entries ? 1u << NSGNIC_CAP_TCAM_LABEL : 0u) |
         (h->lpm_levels ? 1u << NSGNIC_CAP_LABEL_LPM : 0u) |
         (h->lpm_levels && h->label_ctx ? 1u << NSGNIC_CAP_LABEL_CTX : 0u) |
         (1u << NSGNIC_CAP_TCAM_PLATFORM) | (1u << NSGNIC_CAP_BANKED_COMMIT) |
         (1u << NSGNIC_CAP_FLOWS) | (1u << NSGNIC_CAP_AGING) | (1u << NSGNIC_CAP_EXCEPTIONS) |
         (1u << NSGNIC_CAP_BANKED_BINDING) |
         (1u << NSGNIC_CAP_COUNTERS) | (h->exc_slots ? 1u << NSGNIC_CAP_EXC_PARK : 0u) |
         (h->ops->flow_hash_key && h->flow_entries ? 1u << NSGNIC_CAP_FLOW_HASH_KEY : 0u) |
         (hw_aging ? 1u << NSGNIC_CAP_HW_AGING : 0u) |
         (hw_aging && h->dram_flows && h->age_dram ? 1u << NSGNIC_CAP_AGING_DRAM : 0u) |
         (h->ops->flow_limit && h->ops->dram_flow && h->dram_flows ? 1u << NSGNIC_CAP_FLOW_LIMIT : 0u);
}

static uint32_t abi_version(void)
{
  return ((uint32_t)NSGNIC_ABI_VERSION_MAJOR << 16) | (uint32_t)NSGNIC_ABI_VERSION_MINOR;
}

static uint32_t cmd_get_caps(struct fw *fw, const uint32_t *p, uint32_t len, uint32_t *out,
                             uint32_t *out_len)
{
  (void)p;
  (void)len;
  const struct fw_hal *h = fw->hal;
  out[FW_W(P_CAPS_ABI_VERSION)] = abi_version();
  out[FW_W(P_CAPS_MBOX_VERSION)] = NSGNIC_MBOX_VERSION;
  out[FW_W(P_CAPS_FW_BUILD)] = h->build;
  out[FW_W(P_CAPS_CAPS)] = fw_caps(h);
  out[FW_W(P_CAPS_RULE_ENTRIES)] = h->rule_entries;
  out[FW_W(P_CAPS_LABEL_ENTRIES)] = h->label_entries;
  out[FW_W(P_CAPS_PLATFORM_ENTRIES)] = h->platform_entries;
  out[FW_W(P_CAPS_VPORTS)] = h->vports;
  out[FW_W(P_CAPS_FLOW_ENTRIES)] = h->flow_entries;
  out[FW_W(P_CAPS_FW_COUNTERS)] = NSGNIC_FW_COUNTERS;
  out[FW_W(P_CAPS_DP_COUNTERS)] = h->dp_counters;
  out[FW_W(P_CAPS_TABLE_VERSION)] = fw->table_version;
  out[FW_W(P_CAPS_ACTIVE_BANK)] = fw->bank;
  out[FW_W(P_CAPS_PORT_CLASSES)] = h->port_classes;
  out[FW_W(P_CAPS_LPM_LEVELS)] = h->lpm_levels;
  out[FW_W(P_CAPS_LPM_FANOUT)] = h->lpm_fanout;
  out[FW_W(P_CAPS_LPM_CTX_BITS)] = h->lpm_ctx_bits;
  out[FW_W(P_CAPS_LPM4_LEAF_NODES)] = h->lpm_leaves[0];
  out[FW_W(P_CAPS_LPM6_LEAF_NODES)] = h->lpm_leaves[1];
  out[FW_W(P_CAPS_LPM4_RESULTS)] = h->lpm_results[0];
  out[FW_W(P_CAPS_LPM6_RESULTS)] = h->lpm_results[1];
  out[FW_W(P_CAPS_DRAM_FLOW_ENTRIES)] = h->dram_flows;
  *out_len = FW_W(P_CAPS_DRAM_FLOW_ENTRIES) + 1;
  return NSGNIC_STATUS_OK;
}

static uint32_t cmd_counters_read(struct fw *fw, const uint32_t *p, uint32_t len, uint32_t *out,
                                  uint32_t *out_len)
{
  (void)len;
  uint32_t w0 = p[0];
  uint32_t block = (uint32_t)FW_GET32(&w0, P_CNT_BLOCK);
  uint32_t count = (uint32_t)FW_GET32(&w0, P_CNT_COUNT);
  uint32_t first = p[FW_W(P_CNT_FIRST)];
  if (FW_GET32(&w0, P_CNT_RESERVED) != 0)
    return NSGNIC_STATUS_BAD_FIELD;
  uint32_t n;
  if (block == NSGNIC_CNT_BLOCK_FW)
    n = NSGNIC_FW_COUNTERS;
  else if (block == NSGNIC_CNT_BLOCK_DP)
    n = fw->hal->dp_counters;
  else
    return NSGNIC_STATUS_BAD_TABLE;
  if (count == 0 || count > NSGNIC_COUNTERS_PER_READ)
    return NSGNIC_STATUS_BAD_FIELD;
  if (first >= n || count > n - first)
    return NSGNIC_STATUS_BAD_INDEX;
  out[0] = p[0];
  out[1] = first;
  for (uint32_t i = 0; i < count; i++) {
    uint64_t v;
    if (block == NSGNIC_CNT_BLOCK_FW) {
      v = fw->cnt[first + i];
    } else if (fw->hal->ops->counter_read(fw->hal->ctx, first + i, &v) != FW_HAL_OK) {
      FW_COUNT(fw, HW_ERRORS);
      return NSGNIC_STATUS_HW_ERROR;
    }
    out[2 + 2 * i] = (uint32_t)v;
    out[3 + 2 * i] = (uint32_t)(v >> 32);
  }
  *out_len = 2 + 2 * count;
  return NSGNIC_STATUS_OK;
}

/* ---- dispatcher ------------------------------------------------------------------------ */

struct cmd_desc {
  uint8_t min_len, max_len;  /* accepted payload words */
  uint8_t when_failed;       /* served in FW_STATE_FAILED */
  fw_cmd_fn fn;
};

/* Indexed by opcode; opcode 0 and gaps have fn == NULL. */
static const struct cmd_desc cmds[] = {
  [NSGNIC_CMD_ECHO] = {0, NSGNIC_MSG_PAYLOAD_WORDS, 1, cmd_echo},
  [NSGNIC_CMD_GET_CAPS] = {0, 0, 1, cmd_get_caps},
  [NSGNIC_CMD_TCAM_WRITE] = {21, 21, 0, fw_cmd_tcam_write},
  [NSGNIC_CMD_TCAM_READ] = {2, 2, 0, fw_cmd_tcam_read},
  [NSGNIC_CMD_BIND_WRITE] = {5, 5, 0, fw_cmd_bind_write},
  [NSGNIC_CMD_BIND_READ] = {1, 1, 0, fw_cmd_bind_read},
  [NSGNIC_CMD_COMMIT] = {2, 2, 0, fw_cmd_commit},
  [NSGNIC_CMD_FLOW_INSERT] = {1 + FW_FLOW_WORDS, 1 + FW_FLOW_WORDS, 0, fw_cmd_flow_insert},
  [NSGNIC_CMD_FLOW_DELETE] = {11, 11, 0, fw_cmd_flow_delete},
  [NSGNIC_CMD_FLOW_READ] = {1, 1, 0, fw_cmd_flow_read},
  [NSGNIC_CMD_COUNTERS_READ] = {2, 2, 1, cmd_counters_read},
  [NSGNIC_CMD_AGING_START] = {3, 3, 0, fw_cmd_aging_start},
  [NSGNIC_CMD_AGING_STOP] = {0, 0, 0, fw_cmd_aging_stop},
  [NSGNIC_CMD_PORT_RANGE_WRITE] = {2, 2, 0, fw_cmd_prange_write},
  [NSGNIC_CMD_PORT_RANGE_READ] = {1, 1, 0, fw_cmd_prange_read},
  [NSGNIC_CMD_EXC_RELEASE] = {2, 2, 0, fw_cmd_exc_release},
  [NSGNIC_CMD_FLOW_HASH_KEY] = {NSGNIC_FLOW_HKEY_WORDS, NSGNIC_FLOW_HKEY_WORDS, 0, fw_cmd_flow_hash_key},
  [NSGNIC_CMD_AGING_HW] = {5, 5, 0, fw_cmd_aging_hw},
  [NSGNIC_CMD_LPM_WRITE] = {3, NSGNIC_MSG_PAYLOAD_WORDS, 0, fw_cmd_lpm_write},
  [NSGNIC_CMD_AGING_EST] = {1, NSGNIC_MSG_PAYLOAD_WORDS, 0, fw_cmd_aging_est},
  [NSGNIC_CMD_FLOW_LIMIT] = {1, 1, 0, fw_cmd_flow_limit},
  [NSGNIC_CMD_DRAM_FLOW_NEXT] = {1, 1, 0, fw_cmd_dram_flow_next},
  [NSGNIC_CMD_DRAM_FLOW_DELETE] = {12, 12, 0, fw_cmd_dram_flow_delete},
  [NSGNIC_CMD_FLOW_NEXT] = {1, 1, 0, fw_cmd_flow_next},
};

_Static_assert(21 == FW_W(P_TCAM_RESULT) + FW_RES_WORDS, "P_TCAM is 21 words");
_Static_assert(5 == FW_W(P_BIND_ENTRY) + NSGNIC_BINDING_WORDS, "P_BIND is 5 words");
_Static_assert(1 + FW_FLOW_WORDS <= NSGNIC_MSG_PAYLOAD_WORDS, "P_FLOW fits a slot");
_Static_assert(2 + FW_FLOW_WORDS <= NSGNIC_MSG_PAYLOAD_WORDS, "P_IDLE fits a slot");
_Static_assert(FW_W(P_DFLOW_ENTRY) + FW_FLOW_WORDS <= NSGNIC_MSG_PAYLOAD_WORDS, "P_DFLOW fits a slot");
_Static_assert(2 + 2 * NSGNIC_COUNTERS_PER_READ <= NSGNIC_MSG_PAYLOAD_WORDS, "P_CNT fits");
_Static_assert(NSGNIC_FWCNT_EXC_EXPIRED + 1 == NSGNIC_FW_COUNTERS, "FW_COUNTERS matches FWCNT_*");
_Static_assert(NSGNIC_SLOT_WORDS * 4 == NSGNIC_SLOT_BYTES, "slot size");
_Static_assert(2 == FW_W(P_XREL_RESERVED) + 1, "P_XREL is 2 words");
_Static_assert(NSGNIC_MSG_HDR_WORDS + NSGNIC_MSG_PAYLOAD_WORDS == NSGNIC_SLOT_WORDS, "slot");
_Static_assert(NSGNIC_EVT_RING_OFFSET + NSGNIC_EVT_RING_SLOTS * NSGNIC_SLOT_BYTES <=
                   NSGNIC_HOSTWIN_BYTES, "rings fit the window");

uint32_t fw_cmd_exec(struct fw *fw, const uint32_t *cmd, uint32_t *cpl)
{
  uint32_t hdr = cmd[0];
  uint32_t op = (uint32_t)FW_GET32(&hdr, CMD_HDR_OPCODE);
  uint32_t len = (uint32_t)FW_GET32(&hdr, CMD_HDR_LEN);
  uint32_t out_len = 0;
  uint32_t st;
  uint32_t *out = cpl + NSGNIC_MSG_HDR_WORDS;
  const struct cmd_desc *d = op < sizeof(cmds) / sizeof(cmds[0]) ? &cmds[op] : NULL;

  if (FW_GET32(&hdr, CMD_HDR_VERSION) != NSGNIC_MBOX_VERSION)
    st = NSGNIC_STATUS_BAD_VERSION;
  else if (d == NULL || d->fn == NULL)
    st = NSGNIC_STATUS_BAD_OPCODE;
  else if (FW_GET32(&hdr, CMD_HDR_FLAGS) != 0)
    st = NSGNIC_STATUS_BAD_FLAGS;
  else if (len < d->min_len || len > d->max_len)
    st = NSGNIC_STATUS_BAD_LENGTH;
  else if (fw->state != NSGNIC_FW_STATE_READY && !d->when_failed)
    st = NSGNIC_STATUS_NOT_READY;
  else
    st = d->fn(fw, cmd + NSGNIC_MSG_HDR_WORDS, len, out, &out_len);

  if (st != NSGNIC_STATUS_OK || out_len > NSGNIC_MSG_PAYLOAD_WORDS) {
    if (st == NSGNIC_STATUS_OK)
      st = NSGNIC_STATUS_HW_ERROR;  /* cannot happen: handlers bound their output */
    out_len = 0;
  }
  cpl[0] = 0;
  FW_PUT32(&cpl[0], CPL_HDR_OPCODE, op);
  FW_PUT32(&cpl[0], CPL_HDR_VERSION, NSGNIC_MBOX_VERSION);
  FW_PUT32(&cpl[0], CPL_HDR_LEN, out_len);
  FW_PUT32(&cpl[0], CPL_HDR_STATUS, st);
  cpl[1] = cmd[1];  /* tag */
  if (st == NSGNIC_STATUS_OK)
    FW_COUNT(fw, CMD_OK);
  else
    FW_COUNT(fw, CMD_ERR);
  return st;
}

/* ---- rings ----------------------------------------------------------------------------- */

/* Reports a bad host index once per distinct value; `*last` remembers it (bit 32 = set). */
static void ring_error(struct fw *fw, uint32_t code, uint32_t value, uint64_t *last)
{
  uint64_t tagged = (1ull << 32) | value;
  if (*last == tagged)
    return;
  *last = tagged;
  FW_COUNT(fw, RING_ERRORS);
  uint32_t p[2] = {code, value};
  if (fw_evt_post(fw, NSGNIC_EVT_FW_ERROR, p, 2) != 0) {
    fw->evt_lost++;
    FW_COUNT(fw, EVT_LOST);
    fw_win_wr(fw->hal, NSGNIC_HOSTREG_EVT_LOST, fw->evt_lost);
  }
}

/* Free slots of a ring the firmware produces into, or 0 when the host's consumer index is bad
 * (ring treated as full). */
static uint32_t ring_room(struct fw *fw, uint32_t head, uint32_t tail_reg, uint32_t slots,
                          uint32_t code, uint64_t *last_bad)
{
  uint32_t tail = fw_win_rd(fw->hal, tail_reg);
  uint32_t used = head - tail;
  if (used > slots) {
    ring_error(fw, code, tail, last_bad);
    return 0;
  }
  *last_bad = 0;
  return slots - used;
}

uint32_t fw_evt_room(struct fw *fw)
{
  return ring_room(fw, fw->evt_head, NSGNIC_HOSTREG_EVT_TAIL, NSGNIC_EVT_RING_SLOTS,
                   NSGNIC_FWERR_EVT_TAIL, &fw->bad_evt_tail);
}

int fw_evt_post(struct fw *fw, uint32_t code, const uint32_t *payload, uint32_t words)
{
  const struct fw_hal *h = fw->hal;
  if (words > NSGNIC_MSG_PAYLOAD_WORDS)
    return -1;
  if (fw_evt_room(fw) == 0)
    return -1;
  uint32_t base = NSGNIC_EVT_RING_OFFSET +
                  (fw->evt_head & (NSGNIC_EVT_RING_SLOTS - 1u)) * NSGNIC_SLOT_BYTES;
  uint32_t hdr = 0;
  FW_PUT32(&hdr, EVT_HDR_CODE, code);
  FW_PUT32(&hdr, EVT_HDR_VERSION, NSGNIC_MBOX_VERSION);
  FW_PUT32(&hdr, EVT_HDR_LEN, words);
  fw_win_wr(h, base, hdr);
  fw_win_wr(h, base + 4, fw->evt_head);  /* sequence number */
  for (uint32_t i = 0; i < words; i++)
    fw_win_wr(h, base + 8 + 4 * i, payload[i]);
  FW_BARRIER();
  fw->evt_head++;
  fw_win_wr(h, NSGNIC_HOSTREG_EVT_HEAD, fw->evt_head);
  FW_COUNT(fw, EVENTS);
  return 0;
}

/* Takes at most FW_CMDS_PER_POLL commands; each only when a completion slot is free. */
static unsigned mbox_step(struct fw *fw)
{
  const struct fw_hal *h = fw->hal;
  uint32_t head = fw_win_rd(h, NSGNIC_HOSTREG_CMD_HEAD);
  uint32_t avail = head - fw->cmd_tail;
  if (avail > NSGNIC_CMD_RING_SLOTS) {
    ring_error(fw, NSGNIC_FWERR_CMD_HEAD, head, &fw->bad_cmd_head);
    return 0;
  }
  fw->bad_cmd_head = 0;
  unsigned done = 0;
  while (avail > 0 && done < FW_CMDS_PER_POLL) {
    if (ring_room(fw, fw->cpl_head, NSGNIC_HOSTREG_CPL_TAIL, NSGNIC_CPL_RING_SLOTS,
                  NSGNIC_FWERR_CPL_TAIL, &fw->bad_cpl_tail) == 0)
      break;
    uint32_t cmd[NSGNIC_SLOT_WORDS], cpl[NSGNIC_SLOT_WORDS];
    uint32_t cbase = NSGNIC_CMD_RING_OFFSET +
                     (fw->cmd_tail & (NSGNIC_CMD_RING_SLOTS - 1u)) * NSGNIC_SLOT_BYTES;
    /* Copy the header and the LEN payload words the command claims (every handler reads at
     * most LEN words: the dispatcher checks LEN against the opcode first). */
    const volatile uint32_t *cs = h->win + cbase / 4u;
    cmd[0] = cs[0];
    cmd[1] = cs[1];
    uint32_t len = FW_GET32(&cmd[0], CMD_HDR_LEN);
    if (len > NSGNIC_MSG_PAYLOAD_WORDS)
      len = NSGNIC_MSG_PAYLOAD_WORDS;
    for (uint32_t i = 2; i < 2 + len; i++)
      cmd[i] = cs[i];
    uint32_t st = fw_cmd_exec(fw, cmd, cpl);
    if (st != NSGNIC_STATUS_OK) {
      uint32_t le = 0;
      FW_PUT32(&le, LAST_ERROR_STATUS, st);
      FW_PUT32(&le, LAST_ERROR_OPCODE, FW_GET32(&cmd[0], CMD_HDR_OPCODE));
      FW_PUT32(&le, LAST_ERROR_SLOT, fw->cmd_tail & 0xffffu);
      fw_win_wr(h, NSGNIC_HOSTREG_LAST_ERROR, le);
    }
    uint32_t pbase = NSGNIC_CPL_RING_OFFSET +
                     (fw->cpl_head & (NSGNIC_CPL_RING_SLOTS - 1u)) * NSGNIC_SLOT_BYTES;
    uint32_t cwords = NSGNIC_MSG_HDR_WORDS + FW_GET32(&cpl[0], CPL_HDR_LEN);
    volatile uint32_t *ps = h->win + pbase / 4u;
    for (uint32_t i = 0; i < cwords; i++)
      ps[i] = cpl[i];
    FW_BARRIER();
    fw->cmd_tail++;
    fw->cpl_head++;
    fw_win_wr(h, NSGNIC_HOSTREG_CMD_TAIL, fw->cmd_tail);
    fw_win_wr(h, NSGNIC_HOSTREG_CPL_HEAD, fw->cpl_head);
    avail--;
    done++;
  }
  if (done)
    fw_win_wr(h, NSGNIC_HOSTREG_HOST_DOORBELL, 1u << NSGNIC_IRQ_CPL_LSB);
  return done;
}

static unsigned heartbeat_step(struct fw *fw)
{
  uint32_t now = fw->hal->ops->ticks(fw->hal->ctx);
  if (now - fw->hb_last < NSGNIC_HEARTBEAT_TICKS)
    return 0;
  fw->hb_last = now;
  fw->heartbeat++;
  fw_win_wr(fw->hal, NSGNIC_HOSTREG_HEARTBEAT, fw->heartbeat);
  return 1;
}

unsigned fw_poll(struct fw *fw)
{
  uint32_t evt_before = fw->evt_head;
  unsigned work = heartbeat_step(fw);
  work += mbox_step(fw);
  if (fw->state == NSGNIC_FW_STATE_READY) {
    work += fw_exc_step(fw);
    work += fw_aging_step(fw);
    work += fw_age_hw_step(fw);
  }
  if (fw->evt_head != evt_before)
    fw_win_wr(fw->hal, NSGNIC_HOSTREG_HOST_DOORBELL, 1u << NSGNIC_IRQ_EVT_LSB);
  return work;
}

void fw_init(struct fw *fw, const struct fw_hal *hal)
{
  uint8_t *b = (uint8_t *)fw;
  for (size_t i = 0; i < sizeof(*fw); i++)
    b[i] = 0;
  fw->hal = hal;
  fw->state = NSGNIC_FW_STATE_BOOT;
  fw_win_wr(hal, NSGNIC_HOSTREG_FW_MAGIC, 0);
  fw_win_wr(hal, NSGNIC_HOSTREG_FW_STATE, NSGNIC_FW_STATE_BOOT);
  fw->selftest = fw_selftest(fw);
  if (fw->selftest == 0) {
    fw_live_init(fw);
    fw_bind_init(fw);
  }
  fw->hb_last = hal->ops->ticks(hal->ctx);
  fw_win_wr(hal, NSGNIC_HOSTREG_FW_VERSION, abi_version());
  fw_win_wr(hal, NSGNIC_HOSTREG_FW_BUILD, hal->build);
  fw_win_wr(hal, NSGNIC_HOSTREG_FW_CAPS, fw_caps(hal));
  fw_win_wr(hal, NSGNIC_HOSTREG_HEARTBEAT, 0);
  /* The datapath's active bank stays what it is: after a soft reset 0, after a firmware-only
   * restart (CPU reset, datapath running) the bank whose tables traffic sees now. Forcing 0
   * would activate the other bank, which may hold a half-staged update (fail closed). */
  uint32_t bank = 0;
  if (fw->selftest == 0 && hal->ops->bank_get && hal->ops->bank_get(hal->ctx, &bank) != FW_HAL_OK)
    fw->selftest |= 1u << NSGNIC_SELFTEST_TCAM;
  fw->bank = bank & 1u;
  fw_win_wr(hal, NSGNIC_HOSTREG_TABLE_VERSION, 0);
  fw_win_wr(hal, NSGNIC_HOSTREG_ACTIVE_BANK, fw->bank);
  fw_win_wr(hal, NSGNIC_HOSTREG_CMD_BASE, NSGNIC_CMD_RING_OFFSET);
  fw_win_wr(hal, NSGNIC_HOSTREG_CMD_SLOTS, NSGNIC_CMD_RING_SLOTS);
  fw_win_wr(hal, NSGNIC_HOSTREG_CPL_BASE, NSGNIC_CPL_RING_OFFSET);
  fw_win_wr(hal, NSGNIC_HOSTREG_CPL_SLOTS, NSGNIC_CPL_RING_SLOTS);
  fw_win_wr(hal, NSGNIC_HOSTREG_EVT_BASE, NSGNIC_EVT_RING_OFFSET);
  fw_win_wr(hal, NSGNIC_HOSTREG_EVT_SLOTS, NSGNIC_EVT_RING_SLOTS);
  fw_win_wr(hal, NSGNIC_HOSTREG_CMD_TAIL, 0);
  fw_win_wr(hal, NSGNIC_HOSTREG_CPL_HEAD, 0);
  /* The event index starts where the host's EVT_TAIL is (an empty ring): the driver sets it to
   * the previous run's EVT_HEAD before a restart, so sequence words - the EXC_RELEASE tokens -
   * are not reused across firmware runs, and a token a host kept from an earlier run cannot
   * release a frame parked by this one. */
  fw->evt_head = fw_win_rd(hal, NSGNIC_HOSTREG_EVT_TAIL);
  fw_win_wr(hal, NSGNIC_HOSTREG_EVT_HEAD, fw->evt_head);
  fw_win_wr(hal, NSGNIC_HOSTREG_EVT_LOST, 0);
  fw_win_wr(hal, NSGNIC_HOSTREG_LAST_ERROR, 0);
  /* The active bank as found (0 after the host's soft reset before CTRL.CPU_RUN). */
  if (fw->selftest == 0 && (hal->ops->bank_set(hal->ctx, fw->bank) != FW_HAL_OK ||
                            hal->ops->gen_set(hal->ctx, 0) != FW_HAL_OK))
    fw->selftest |= 1u << NSGNIC_SELFTEST_TCAM;
  /* The aging engine's per-vport established timeouts are a RAM without reset: 0 (the class's
   * own timeout) for every vport until CMD_AGING_EST. */
  if (fw->selftest == 0 && hal->ops->age_est && hal->flow_entries)
    for (uint32_t v = 0; v < hal->vports && v < 256; v++)
      if (hal->ops->age_est(hal->ctx, v, 0) != FW_HAL_OK) {
        fw->selftest |= 1u << NSGNIC_SELFTEST_TCAM;
        break;
      }
  fw->state = fw->selftest == 0 ? NSGNIC_FW_STATE_READY : NSGNIC_FW_STATE_FAILED;
  fw_win_wr(hal, NSGNIC_HOSTREG_SELFTEST, fw->selftest);
  fw_win_wr(hal, NSGNIC_HOSTREG_FW_STATE, fw->state);
  fw_exc_boot(fw);
  FW_BARRIER();
  fw_win_wr(hal, NSGNIC_HOSTREG_FW_MAGIC, NSGNIC_HOST_MAGIC);
}

/* SPDX-License-Identifier: Apache-2.0 */
/* The in-process mailbox host and the end-to-end script (see script.h). */
#include "script.h"

enum { POLL_LIMIT = 64 };  /* fw_poll turns to wait for one completion */

static volatile uint32_t *win(struct fw_host *h) { return h->fw->hal->win; }

void fw_host_init(struct fw_host *h, struct fw *fw)
{
  h->fw = fw;
  h->cmd_head = fw_win_rd(fw->hal, NSGNIC_HOSTREG_CMD_HEAD);
  h->cpl_tail = fw_win_rd(fw->hal, NSGNIC_HOSTREG_CPL_TAIL);
  h->evt_tail = fw_win_rd(fw->hal, NSGNIC_HOSTREG_EVT_TAIL);
  h->tag = 0x1000;
}

uint32_t fw_host_hdr(uint32_t op, uint32_t version, uint32_t len, uint32_t flags)
{
  uint32_t w = 0;
  NSGNIC_PUT(&w, CMD_HDR_OPCODE, op);
  NSGNIC_PUT(&w, CMD_HDR_VERSION, version);
  NSGNIC_PUT(&w, CMD_HDR_LEN, len);
  NSGNIC_PUT(&w, CMD_HDR_FLAGS, flags);
  return w;
}

uint32_t fw_host_raw(struct fw_host *h, uint32_t hdr, const uint32_t *p, uint32_t len,
                     uint32_t *cpl)
{
  volatile uint32_t *w = win(h);
  uint32_t base = (NSGNIC_CMD_RING_OFFSET +
                   (h->cmd_head & (NSGNIC_CMD_RING_SLOTS - 1u)) * NSGNIC_SLOT_BYTES) / 4u;
  uint32_t tag = ++h->tag;
  w[base] = hdr;
  w[base + 1] = tag;
  for (uint32_t i = 0; i < NSGNIC_MSG_PAYLOAD_WORDS; i++)
    w[base + 2 + i] = i < len ? p[i] : 0;
  h->cmd_head++;
  w[NSGNIC_HOSTREG_CMD_HEAD / 4] = h->cmd_head;
  for (uint32_t n = 0; n < POLL_LIMIT && w[NSGNIC_HOSTREG_CPL_HEAD / 4] == h->cpl_tail; n++)
    fw_poll(h->fw);
  if (w[NSGNIC_HOSTREG_CPL_HEAD / 4] == h->cpl_tail)
    return FW_HOST_TIMEOUT;
  uint32_t cbase = (NSGNIC_CPL_RING_OFFSET +
                    (h->cpl_tail & (NSGNIC_CPL_RING_SLOTS - 1u)) * NSGNIC_SLOT_BYTES) / 4u;
  for (uint32_t i = 0; i < NSGNIC_SLOT_WORDS; i++)
    cpl[i] = w[cbase + i];
  h->cpl_tail++;
  w[NSGNIC_HOSTREG_CPL_TAIL / 4] = h->cpl_tail;
  if (cpl[1] != tag)
    return FW_HOST_TIMEOUT;
  return (uint32_t)NSGNIC_GET(&cpl[0], CPL_HDR_STATUS);
}

uint32_t fw_host_cmd(struct fw_host *h, uint32_t op, const uint32_t *p, uint32_t len,
                     uint32_t *out, uint32_t *out_len)
{
  uint32_t cpl[NSGNIC_SLOT_WORDS];
  uint32_t st = fw_host_raw(h, fw_host_hdr(op, NSGNIC_MBOX_VERSION, len, 0), p, len, cpl);
  if (st == FW_HOST_TIMEOUT)
    return st;
  uint32_t n = (uint32_t)NSGNIC_GET(&cpl[0], CPL_HDR_LEN);
  if (NSGNIC_GET(&cpl[0], CPL_HDR_OPCODE) != op || n > NSGNIC_MSG_PAYLOAD_WORDS)
    return FW_HOST_TIMEOUT;
  if (out_len)
    *out_len = n;
  if (out)
    for (uint32_t i = 0; i < n; i++)
      out[i] = cpl[2 + i];
  return st;
}

int fw_host_evt(struct fw_host *h, uint32_t *code, uint32_t *p, uint32_t *len)
{
  volatile uint32_t *w = win(h);
  if (w[NSGNIC_HOSTREG_EVT_HEAD / 4] == h->evt_tail)
    return 0;
  uint32_t base = (NSGNIC_EVT_RING_OFFSET +
                   (h->evt_tail & (NSGNIC_EVT_RING_SLOTS - 1u)) * NSGNIC_SLOT_BYTES) / 4u;
  uint32_t hdr = w[base];
  *code = (uint32_t)NSGNIC_GET(&hdr, EVT_HDR_CODE);
  *len = (uint32_t)NSGNIC_GET(&hdr, EVT_HDR_LEN);
  for (uint32_t i = 0; i < NSGNIC_MSG_PAYLOAD_WORDS; i++)
    p[i] = w[base + 2 + i];
  h->evt_tail++;
  w[NSGNIC_HOSTREG_EVT_TAIL / 4] = h->evt_tail;
  return 1;
}

/* ---- the script ------------------------------------------------------------------------ */

#define STEP(n, cond) \
  do { \
    if (!(cond)) \
      return (n); \
  } while (0)

static void zero(uint32_t *p, uint32_t n)
{
  for (uint32_t i = 0; i < n; i++)
    p[i] = 0;
}

/* A rule-TCAM write payload: entry `idx` in `bank`, matching one destination port. */
static void rule_payload(uint32_t *p, uint32_t idx, uint32_t bank, uint32_t port, uint32_t flags)
{
  zero(p, 21);
  NSGNIC_PUT(&p[0], P_TCAM_TABLE, NSGNIC_TABLE_RULE);
  NSGNIC_PUT(&p[0], P_TCAM_FLAGS, flags);
  p[FW_W(P_TCAM_INDEX)] = idx;
  uint32_t *key = p + FW_W(P_TCAM_KEY), *mask = p + FW_W(P_TCAM_MASK);
  NSGNIC_PUT(key, RULE_KEY_DST_PORT, port);
  NSGNIC_PUT(mask, RULE_KEY_DST_PORT, 0xffff);
  NSGNIC_PUT(key, RULE_KEY_BANK, bank);
  NSGNIC_PUT(mask, RULE_KEY_BANK, 1);
  NSGNIC_PUT(p + FW_W(P_TCAM_RESULT), RESULT_ACTION, NSGNIC_ACTION_ALLOW);
  NSGNIC_PUT(p + FW_W(P_TCAM_RESULT), RESULT_RULE_ID, 100 + idx);
}

uint32_t fw_script_run(struct fw *fw, struct fw_ram *ram)
{
  const struct fw_hal *hal = fw->hal;
  struct fw_host h;
  uint32_t p[NSGNIC_MSG_PAYLOAD_WORDS], out[NSGNIC_MSG_PAYLOAD_WORDS], cpl[NSGNIC_SLOT_WORDS];
  uint32_t n = 0, code = 0;
  const uint32_t valid = 1u << NSGNIC_TCAM_FLAG_VALID;

  STEP(1, fw_win_rd(hal, NSGNIC_HOSTREG_FW_MAGIC) == NSGNIC_HOST_MAGIC);
  STEP(2, fw_win_rd(hal, NSGNIC_HOSTREG_FW_STATE) == NSGNIC_FW_STATE_READY);
  fw_host_init(&h, fw);

  /* echo and capabilities */
  for (uint32_t i = 0; i < 5; i++)
    p[i] = 0xabc0u + i;
  STEP(3, fw_host_cmd(&h, NSGNIC_CMD_ECHO, p, 5, out, &n) == NSGNIC_STATUS_OK && n == 5 &&
              out[4] == 0xabc4u);
  STEP(4, fw_host_cmd(&h, NSGNIC_CMD_GET_CAPS, p, 0, out, &n) == NSGNIC_STATUS_OK &&
              out[FW_W(P_CAPS_RULE_ENTRIES)] == hal->rule_entries &&
              out[FW_W(P_CAPS_MBOX_VERSION)] == NSGNIC_MBOX_VERSION);

  /* malformed headers */
  STEP(5, fw_host_raw(&h, fw_host_hdr(NSGNIC_CMD_ECHO, 7, 0, 0), p, 0, cpl) ==
              NSGNIC_STATUS_BAD_VERSION);
  STEP(6, fw_host_raw(&h, fw_host_hdr(0xee, NSGNIC_MBOX_VERSION, 0, 0), p, 0, cpl) ==
              NSGNIC_STATUS_BAD_OPCODE);
  STEP(7, fw_host_cmd(&h, NSGNIC_CMD_TCAM_WRITE, p, 3, out, &n) == NSGNIC_STATUS_BAD_LENGTH);

  /* stage a rule in bank 1 (inactive), refuse one in bank 0 (active), commit */
  rule_payload(p, 3, 1, 443, valid);
  STEP(8, fw_host_cmd(&h, NSGNIC_CMD_TCAM_WRITE, p, 21, out, &n) == NSGNIC_STATUS_OK);
  STEP(9, ram->tcam[NSGNIC_TABLE_RULE][3].valid == 1);
  rule_payload(p, 4, 0, 80, valid);
  STEP(10, fw_host_cmd(&h, NSGNIC_CMD_TCAM_WRITE, p, 21, out, &n) == NSGNIC_STATUS_LIVE_ENTRY);
  STEP(11, ram->tcam[NSGNIC_TABLE_RULE][4].valid == 0);
  p[0] = NSGNIC_TABLE_RULE;
  p[1] = 3;
  STEP(12, fw_host_cmd(&h, NSGNIC_CMD_TCAM_READ, p, 2, out, &n) == NSGNIC_STATUS_OK && n == 21 &&
               NSGNIC_GET(out + FW_W(P_TCAM_KEY), RULE_KEY_DST_PORT) == 443);
  p[0] = 0;
  p[1] = 1;
  STEP(13, fw_host_cmd(&h, NSGNIC_CMD_COMMIT, p, 2, out, &n) == NSGNIC_STATUS_OK &&
               out[1] == 1 && ram->bank == 1 &&
               fw_win_rd(hal, NSGNIC_HOSTREG_TABLE_VERSION) == 1);
  STEP(14, fw_host_cmd(&h, NSGNIC_CMD_COMMIT, p, 2, out, &n) == NSGNIC_STATUS_STALE_VERSION);
  rule_payload(p, 3, 1, 444, valid);  /* now live: refused */
  STEP(15, fw_host_cmd(&h, NSGNIC_CMD_TCAM_WRITE, p, 21, out, &n) == NSGNIC_STATUS_LIVE_ENTRY);

  /* binding */
  zero(p, 5);
  p[0] = 2;
  NSGNIC_PUT(p + 1, BINDING_VALID, 1);
  NSGNIC_PUT(p + 1, BINDING_NIC_NSG, 7);
  NSGNIC_PUT(p + 1, BINDING_NIC_NSG_VALID, 1);
  STEP(16, fw_host_cmd(&h, NSGNIC_CMD_BIND_WRITE, p, 5, out, &n) == NSGNIC_STATUS_OK);
  /* banked: the write went to the inactive bank (BIND_FLAG_SHADOW reads it), the active one
   * still holds the boot state */
  p[0] = 2 | 1u << (NSGNIC_P_BIND_FLAGS_LSB + NSGNIC_BIND_FLAG_SHADOW);
  STEP(17, fw_host_cmd(&h, NSGNIC_CMD_BIND_READ, p, 1, out, &n) == NSGNIC_STATUS_OK &&
               NSGNIC_GET(out + 1, BINDING_NIC_NSG) == 7);
  p[0] = 2;
  STEP(17, fw_host_cmd(&h, NSGNIC_CMD_BIND_READ, p, 1, out, &n) == NSGNIC_STATUS_OK &&
               NSGNIC_GET(out + 1, BINDING_NIC_NSG) == 0);

  /* a flow, reported idle by the aging scan, then deleted with the reported key */
  zero(p, 1 + FW_FLOW_WORDS);
  uint32_t *e = p + FW_W(P_FLOW_ENTRY);
  e[FW_W(FLOW_LOCAL_ADDR)] = 0x0a000004u;  /* 128-bit field: IPv4 in word 0 */
  e[FW_W(FLOW_REMOTE_ADDR)] = 0x08080808u;
  NSGNIC_PUT(e, FLOW_LOCAL_PORT, 40000);
  NSGNIC_PUT(e, FLOW_REMOTE_PORT, 53);
  NSGNIC_PUT(e, FLOW_PROTO, 17);
  NSGNIC_PUT(e, FLOW_VPORT, 2);
  NSGNIC_PUT(e, FLOW_VALID, 1);
  NSGNIC_PUT(e, FLOW_ACTION, NSGNIC_ACTION_ALLOW);
  NSGNIC_PUT(e, FLOW_TIMESTAMP, ram->now);
  STEP(18, fw_host_cmd(&h, NSGNIC_CMD_FLOW_INSERT, p, 1 + FW_FLOW_WORDS, out, &n) ==
               NSGNIC_STATUS_OK && n == 1);
  uint32_t slot = out[0];
  STEP(19, fw_host_cmd(&h, NSGNIC_CMD_FLOW_INSERT, p, 1 + FW_FLOW_WORDS, out, &n) ==
               NSGNIC_STATUS_EXISTS);
  STEP(20, fw_host_cmd(&h, NSGNIC_CMD_FLOW_READ, &slot, 1, out, &n) == NSGNIC_STATUS_OK &&
               n == 1 + FW_FLOW_WORDS && out[1] == 0x0a000004u);
  uint32_t ag[3] = {10, 0, 16};
  STEP(21, fw_host_cmd(&h, NSGNIC_CMD_AGING_START, ag, 3, out, &n) == NSGNIC_STATUS_OK);
  ram->now += 20;
  for (uint32_t i = 0; i < 16; i++)
    fw_poll(fw);
  uint32_t got_idle = 0, got_done = 0;
  while (fw_host_evt(&h, &code, out, &n)) {
    if (code == NSGNIC_EVT_IDLE_FLOW && out[0] == slot && out[1] == 20)
      got_idle = 1;
    if (code == NSGNIC_EVT_SCAN_DONE)
      got_done = 1;
  }
  STEP(22, got_idle && got_done);
  STEP(23, fw_host_cmd(&h, NSGNIC_CMD_AGING_STOP, p, 0, out, &n) == NSGNIC_STATUS_OK);
  p[0] = slot;
  STEP(24, fw_host_cmd(&h, NSGNIC_CMD_FLOW_DELETE, p, 11, out, &n) == NSGNIC_STATUS_OK);
  STEP(25, fw_host_cmd(&h, NSGNIC_CMD_FLOW_READ, &slot, 1, out, &n) == NSGNIC_STATUS_NOT_FOUND);

  /* exception forwarding */
  uint32_t x[4] = {0, 0, 0, 0x44332211u};
  NSGNIC_PUT(x, P_EXC_REASON, NSGNIC_REASON_IPV4_FRAGMENT);
  NSGNIC_PUT(x, P_EXC_PKT_LEN, 60);
  NSGNIC_PUT(x, P_EXC_HEAD_LEN, 4);
  STEP(26, fw_ram_exc_push(ram, x, 4) == 0);
  fw_poll(fw);
  STEP(27, fw_host_evt(&h, &code, out, &n) == 1 && code == NSGNIC_EVT_EXCEPTION && n == 4 &&
               out[3] == 0x44332211u);

  /* counters */
  p[0] = 0;
  NSGNIC_PUT(&p[0], P_CNT_BLOCK, NSGNIC_CNT_BLOCK_FW);
  NSGNIC_PUT(&p[0], P_CNT_COUNT, NSGNIC_COUNTERS_PER_READ);  /* the first ones: FW_COUNTERS is more */
  p[1] = 0;
  STEP(28, fw_host_cmd(&h, NSGNIC_CMD_COUNTERS_READ, p, 2, out, &n) == NSGNIC_STATUS_OK &&
               n == 2 + 2 * NSGNIC_COUNTERS_PER_READ && out[2 + 2 * NSGNIC_FWCNT_COMMITS] == 1 &&
               out[2 + 2 * NSGNIC_FWCNT_EXCEPTIONS] == 1);
  STEP(29, fw_win_rd(hal, NSGNIC_HOSTREG_CMD_TAIL) == h.cmd_head);
  return 0;
}

/* ---- on-core fuzz ---------------------------------------------------------------------- */

static uint32_t xorshift32(uint32_t *s)
{
  uint32_t x = *s;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  *s = x;
  return x;
}

uint32_t fw_script_fuzz(struct fw *fw, uint32_t iters, uint32_t seed)
{
  struct fw_host h;
  uint32_t p[NSGNIC_MSG_PAYLOAD_WORDS], cpl[NSGNIC_SLOT_WORDS];
  uint32_t s = seed ? seed : 1u;
  fw_host_init(&h, fw);
  for (uint32_t it = 0; it < iters; it++) {
    uint32_t r = xorshift32(&s);
    uint32_t op = 1u + r % (NSGNIC_CMD_PORT_RANGE_READ + 1u);  /* one past the last: invalid */
    uint32_t len = (r >> 8) % 24u;
    if ((r >> 13) % 2u == 0) {  /* the opcode's own length, so the fields get checked */
      static const uint8_t lens[] = {0, 5, 0, 21, 2, 5, 1, 2, 17, 11, 1, 2, 3, 0, 2, 1, 0};
      len = lens[op];
    }
    for (uint32_t i = 0; i < NSGNIC_MSG_PAYLOAD_WORDS; i++) {
      uint32_t v = xorshift32(&s);
      p[i] = (v & 3u) == 0 ? v : (v & 7u) == 1 ? 0 : (v >> 4) % 40u;  /* mostly small numbers */
    }
    uint32_t hdr = fw_host_hdr(op, NSGNIC_MBOX_VERSION, len, 0);
    if ((r >> 20) % 16u == 0)
      hdr ^= 1u << ((r >> 24) % 32u);
    uint32_t st = fw_host_raw(&h, hdr, p, len, cpl);
    if (st == FW_HOST_TIMEOUT)
      return 41;
    if (st > NSGNIC_STATUS_UNSUPPORTED)
      return 42;
    if (st != NSGNIC_STATUS_OK && FW_GET32(&cpl[0], CPL_HDR_LEN) != 0)
      return 43;
    uint32_t code, out[NSGNIC_MSG_PAYLOAD_WORDS], n;
    while (fw_host_evt(&h, &code, out, &n))
      if (n > NSGNIC_MSG_PAYLOAD_WORDS)
        return 44;
  }
  if (fw_host_cmd(&h, NSGNIC_CMD_ECHO, p, 3, cpl, 0) != NSGNIC_STATUS_OK || cpl[2] != p[2])
    return 45;
  return 0;
}

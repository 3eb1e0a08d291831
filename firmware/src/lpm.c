/* SPDX-License-Identifier: Apache-2.0 */
/* CMD_LPM_WRITE: node words and result rows of the label stage's block-RAM trees (hdl/rtl/lpm.sv,
 * docs/datapath.md "Label stage"). A node word (up to CSR_LPM_DATA_WORDS words) is larger than
 * one command slot, so the host sends it in chunks: each chunk is staged at its OFFSET in the
 * datapath's CSR_LPM_DATA window, and the chunk with LPM_FLAG_LAST writes the word into the
 * inactive bank. Chunks of one word come in order from offset 0 with the same INDEX / LEVEL /
 * FAMILY; anything else is refused (BAD_FIELD) and drops the partial word, so a write never
 * mixes the words of two nodes. The trees are searched only in the active bank, so a write
 * changes no lookup until COMMIT flips the bank; the host then sends the same writes again,
 * which land in the new inactive (old) bank (the trees cannot be read back for a copy). */
#include "fw.h"

_Static_assert((int)NSGNIC_LABEL_RESULT_WORDS <= (int)NSGNIC_CSR_LPM_DATA_WORDS, "a result row fits the window");
_Static_assert((int)NSGNIC_WORDS(NSGNIC_LPM_ROW_BITS) <= (int)NSGNIC_CSR_LPM_DATA_WORDS, "an LPM_ROW fits the window");
_Static_assert((int)NSGNIC_MSG_PAYLOAD_WORDS - 2 <= (int)NSGNIC_CSR_LPM_DATA_WORDS, "a chunk fits the window");

static uint32_t clog2(uint32_t v)
{
  uint32_t b = 0;
  while (b < 32u && (1u << b) < v)
    b++;
  return b;
}

/* Nodes of level l, as lpm.sv's level_depth (the host's lpm_level_depth). */
uint32_t fw_lpm_level_depth(const struct fw_hal *h, uint32_t fam, uint32_t l)
{
  uint32_t d = h->lpm_leaves[fam], cap = 1;
  for (uint32_t k = l + 1; k < h->lpm_levels; k++)
    d = (d + h->lpm_fanout - 1u) / h->lpm_fanout;
  for (uint32_t k = 0; k < l; k++)
    if (cap < d)
      cap *= h->lpm_fanout;
  return d < cap ? d : cap;
}

/* 32-bit words of one node word of the family's tree (lpm.sv NodeW). */
uint32_t fw_lpm_node_words(const struct fw_hal *h, uint32_t fam)
{
  uint32_t keyw = h->lpm_ctx_bits + (fam ? 128u : 32u);
  uint32_t maxd = h->lpm_leaves[fam] > h->lpm_results[fam] ? h->lpm_leaves[fam] : h->lpm_results[fam];
  uint32_t ptrw = maxd > 1u ? clog2(maxd) : 1u;
  uint32_t bits = clog2(h->lpm_fanout) + (h->lpm_fanout - 1u) * keyw + h->lpm_fanout * ptrw;
  return (bits + 31u) / 32u;
}

int fw_lpm_geom_ok(const struct fw_hal *h)
{
  if (!h->lpm_levels)
    return 1;
  if (h->lpm_levels > 12u || h->lpm_fanout < 4u || h->lpm_fanout > 16u ||
      (h->lpm_fanout & (h->lpm_fanout - 1u)) || h->lpm_ctx_bits < 9u || h->lpm_ctx_bits > 16u ||
      !h->ops->lpm_stage || !h->ops->lpm_write)
    return 0;
  for (uint32_t f = 0; f < 2; f++)
    if (h->lpm_leaves[f] < 1u || h->lpm_leaves[f] > (1u << NSGNIC_P_LPMW_INDEX_W) ||
        h->lpm_results[f] < 2u || h->lpm_results[f] > (1u << NSGNIC_P_LPMW_INDEX_W) ||
        fw_lpm_node_words(h, f) > (uint32_t)NSGNIC_CSR_LPM_DATA_WORDS)
      return 0;
  return 1;
}

uint32_t fw_cmd_lpm_write(struct fw *fw, const uint32_t *p, uint32_t len, uint32_t *out,
                          uint32_t *out_len)
{
  (void)out;
  *out_len = 0;
  const struct fw_hal *h = fw->hal;
  if (!h->lpm_levels)
    return NSGNIC_STATUS_UNSUPPORTED;
  uint32_t w0 = p[0];
  uint32_t index = (uint32_t)FW_GET32(&w0, P_LPMW_INDEX);
  uint32_t level = (uint32_t)FW_GET32(&w0, P_LPMW_LEVEL);
  uint32_t fam = (uint32_t)FW_GET32(&w0, P_LPMW_FAMILY);
  uint32_t flags = (uint32_t)FW_GET32(&w0, P_LPMW_FLAGS);
  uint32_t off = (uint32_t)FW_GET32(p, P_LPMW_OFFSET);
  uint32_t count = (uint32_t)FW_GET32(p, P_LPMW_COUNT);
  /* the node this chunk belongs to: word 0 without the flags */
  uint32_t sel = w0;
  FW_PUT32(&sel, P_LPMW_FLAGS, 0);
  uint32_t staged = fw->lpm_staged;
  fw->lpm_staged = 0;  /* any refusal drops the partial word */
  if (count < 1u || count > (uint32_t)NSGNIC_MSG_PAYLOAD_WORDS - 2u || len != 2u + count)
    return NSGNIC_STATUS_BAD_LENGTH;
  if (flags & ~(1u << NSGNIC_LPM_FLAG_LAST))
    return NSGNIC_STATUS_BAD_FLAGS;
  if (FW_GET32(&w0, P_LPMW_RESERVED0) || FW_GET32(p, P_LPMW_RESERVED1) || level > h->lpm_levels)
    return NSGNIC_STATUS_BAD_FIELD;
  uint32_t limit = level < h->lpm_levels ? fw_lpm_level_depth(h, fam, level) : h->lpm_results[fam];
  if (index >= limit)
    return NSGNIC_STATUS_BAD_INDEX;
  /* a result row: LPM_ROW with per-vport label contexts, else LABEL_RESULT */
  uint32_t row_words = h->label_ctx ? (uint32_t)NSGNIC_WORDS(NSGNIC_LPM_ROW_BITS) : (uint32_t)NSGNIC_LABEL_RESULT_WORDS;
  uint32_t total = level < h->lpm_levels ? fw_lpm_node_words(h, fam) : row_words;
  if (off + count > total || (off && (staged != off || fw->lpm_sel != sel)))
    return NSGNIC_STATUS_BAD_FIELD;
  if ((flags & (1u << NSGNIC_LPM_FLAG_LAST)) && off + count != total)
    return NSGNIC_STATUS_BAD_FIELD;
  if (h->ops->lpm_stage(h->ctx, off, p + 2, count) != FW_HAL_OK) {
    FW_COUNT(fw, HW_ERRORS);
    return NSGNIC_STATUS_HW_ERROR;
  }
  if (!(flags & (1u << NSGNIC_LPM_FLAG_LAST))) {
    fw->lpm_sel = sel;
    fw->lpm_staged = off + count;
    return NSGNIC_STATUS_OK;
  }
  if (h->ops->lpm_write(h->ctx, fam, fw->bank ^ 1u, level, index) != FW_HAL_OK) {
    FW_COUNT(fw, HW_ERRORS);
    return NSGNIC_STATUS_HW_ERROR;
  }
  return NSGNIC_STATUS_OK;
}

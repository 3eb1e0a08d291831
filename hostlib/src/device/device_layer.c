/* SPDX-License-Identifier: Apache-2.0 */
/* Device layer: compiled tables onto a device through the mailbox (initial load and planned
 * updates, both atomic by the bank flip: see <nsgnic/device.h>), capabilities, counters and
 * flows. Speaks the command layouts of include/nsgnic/abi/host.def.h. */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "label_lpm.h"
#include "nsgnic/device.h"
#include "tables.h"

#define PW(field) ((unsigned)NSGNIC_##field##_LSB / 32u) /* payload word of a field */

enum { P_TCAM_WORDS = 21, P_BIND_WORDS = 1 + NSGNIC_BINDING_WORDS, FLOW_WORDS = NSGNIC_FLOW_BITS / 32,
       FLOW_DELETE_KEY_WORDS = 10 };

_Static_assert(P_TCAM_WORDS == PW(P_TCAM_RESULT) + NSG_TRES_WORDS, "P_TCAM layout");
_Static_assert(NSG_TKEY_WORDS == NSGNIC_P_TCAM_KEY_W / 32, "key words");

static void __attribute__((format(printf, 3, 4))) say(char *err, size_t errlen, const char *fmt, ...)
{
  if (!err || !errlen)
    return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, errlen, fmt, ap);
  va_end(ap);
}

/* A command; on failure the message names it and the device's status. */
static int cmd(struct nsgnic_dev *d, const char *what, uint32_t op, const uint32_t *req, unsigned len,
               uint32_t *resp, unsigned resp_max, unsigned *resp_len, uint32_t *status, char *err,
               size_t errlen)
{
  uint32_t st = 0;
  int rc = nsgnic_dev_cmd(d, op, req, len, resp, resp_max, resp_len, &st);
  if (status)
    *status = st;
  if (rc == -EREMOTEIO)
    say(err, errlen, "%s: the device answered %s", what, nsgnic_status_name(st));
  else if (rc == -ETIMEDOUT)
    say(err, errlen, "%s: the device did not answer (no completion within the driver's timeout): "
        "its firmware %s", what,
        (nsgnic_dev_rd32(d, NSGNIC_HOSTREG_CTRL) >> NSGNIC_CTRL_CPU_RUN_LSB) & 1u
            ? "is hung or halted"
            : "is not running (CPU held in reset, CTRL.CPU_RUN 0)");
  else if (rc < 0)
    say(err, errlen, "%s: %s", what, strerror(-rc));
  return rc;
}

int nsg_device_caps(struct nsgnic_dev *d, struct nsg_device_caps *c, char *err, size_t errlen)
{
  uint32_t p[NSGNIC_MSG_PAYLOAD_WORDS] = {0};
  unsigned n = 0;
  int rc = cmd(d, "GET_CAPS", NSGNIC_CMD_GET_CAPS, NULL, 0, p, NSGNIC_MSG_PAYLOAD_WORDS, &n, NULL,
               err, errlen);
  if (rc < 0)
    return rc;
  if (n < PW(P_CAPS_ACTIVE_BANK) + 1) {
    say(err, errlen, "GET_CAPS: the device answered %u words, the ABI has %u", n,
        PW(P_CAPS_ACTIVE_BANK) + 1);
    return -EPROTO;
  }
  c->abi_version = p[PW(P_CAPS_ABI_VERSION)];
  c->mbox_version = p[PW(P_CAPS_MBOX_VERSION)];
  c->fw_build = p[PW(P_CAPS_FW_BUILD)];
  c->caps = p[PW(P_CAPS_CAPS)];
  c->rule_entries = p[PW(P_CAPS_RULE_ENTRIES)];
  c->label_entries = p[PW(P_CAPS_LABEL_ENTRIES)];
  c->platform_entries = p[PW(P_CAPS_PLATFORM_ENTRIES)];
  c->vports = p[PW(P_CAPS_VPORTS)];
  c->flow_entries = p[PW(P_CAPS_FLOW_ENTRIES)];
  c->fw_counters = p[PW(P_CAPS_FW_COUNTERS)];
  c->dp_counters = p[PW(P_CAPS_DP_COUNTERS)];
  c->table_version = p[PW(P_CAPS_TABLE_VERSION)];
  c->active_bank = p[PW(P_CAPS_ACTIVE_BANK)];
  c->port_classes = n > PW(P_CAPS_PORT_CLASSES) ? p[PW(P_CAPS_PORT_CLASSES)] : 0;
  bool lpm = n > PW(P_CAPS_LPM6_RESULTS) && (c->caps & (1u << NSGNIC_CAP_LABEL_LPM));
  c->lpm_levels = lpm ? p[PW(P_CAPS_LPM_LEVELS)] : 0;
  c->lpm_fanout = lpm ? p[PW(P_CAPS_LPM_FANOUT)] : 0;
  c->lpm_ctx_bits = lpm ? p[PW(P_CAPS_LPM_CTX_BITS)] : 0;
  c->lpm_leaves[0] = lpm ? p[PW(P_CAPS_LPM4_LEAF_NODES)] : 0;
  c->lpm_leaves[1] = lpm ? p[PW(P_CAPS_LPM6_LEAF_NODES)] : 0;
  c->lpm_results[0] = lpm ? p[PW(P_CAPS_LPM4_RESULTS)] : 0;
  c->lpm_results[1] = lpm ? p[PW(P_CAPS_LPM6_RESULTS)] : 0;
  c->dram_flow_entries = n > PW(P_CAPS_DRAM_FLOW_ENTRIES) ? p[PW(P_CAPS_DRAM_FLOW_ENTRIES)] : 0;
  return 0;
}

/* The device sets all PORT_CLASSES comparators of each port field (CMD_PORT_RANGE_*). */
static bool has_port_ranges(const struct nsg_device_caps *c)
{
  return (c->caps & (1u << NSGNIC_CAP_PORT_RANGES)) && c->port_classes >= NSGNIC_PORT_CLASSES;
}

int nsg_device_compile_opts(struct nsgnic_dev *d, struct nsg_compile_opts *o, char *err,
                            size_t errlen)
{
  struct nsg_device_caps c;
  int rc = nsg_device_caps(d, &c, err, errlen);
  if (rc < 0)
    return rc;
  nsg_compile_opts_default(o);
  o->rule_entries = c.rule_entries;
  o->label_entries = c.label_entries;
  o->platform_entries = c.platform_entries;
  o->vports = c.vports;
  o->no_port_classes = !has_port_ranges(&c);
  if (c.lpm_levels) {
    /* the label stage is the trees: the label table is checked against their capacity (the
     * ABI's geometry; the load builds them at the device's and refuses what does not fit) */
    o->label_lpm = true;
    o->label_entries = 1;  /* "limited" (0 would mean no limit) */
  }
  if (c.lpm_levels && (c.caps & (1u << NSGNIC_CAP_LABEL_CTX))) {
    /* per-vport label contexts: label bits per NSG; the label TCAM is the local-address table */
    o->label_ctx = true;
    o->label_entries = c.label_entries;
  }
  return 0;
}

/* ---- table writes --------------------------------------------------------------------------- */

static const char *const table_names[] = {"rule", "label", "platform"};

struct writer {
  struct nsgnic_dev *d;
  struct nsg_device_caps caps;
  uint32_t bank;  /* active bank now */
  struct nsg_device_load_stats *st;
  char *err;
  size_t errlen;
};

static unsigned bank_lsb(unsigned table)
{
  return table == NSGNIC_TABLE_RULE ? NSGNIC_RULE_KEY_BANK_LSB
         : table == NSGNIC_TABLE_LABEL ? NSGNIC_LABEL_KEY_BANK_LSB
                                       : NSGNIC_PLATFORM_KEY_BANK_LSB;
}

/* The entry takes part in lookups while `bank` is active. */
static bool live_in(unsigned table, const struct nsg_tentry *e, uint32_t bank)
{
  if (!e->valid)
    return false;
  unsigned b = bank_lsb(table);
  if (!nsgnic_bits_get(e->care, b, 1))
    return true;
  return nsgnic_bits_get(e->val, b, 1) == bank;
}

/* The device has per-vport label contexts (its label TCAM is the local-address table). */
static bool has_ctx(const struct nsg_device_caps *c)
{
  return c->lpm_levels && (c->caps & (1u << NSGNIC_CAP_LABEL_CTX));
}

static uint32_t table_size(const struct nsg_device_caps *c, unsigned table)
{
  return table == NSGNIC_TABLE_RULE ? c->rule_entries
         : table == NSGNIC_TABLE_LABEL ? (c->lpm_levels && !has_ctx(c) ? UINT32_MAX : c->label_entries)
                                       : c->platform_entries;
}

/* ---- label stage in block RAM (CAP_LABEL_LPM) ---------------------------------------------
 * The device holds the label table as two longest-prefix-match trees (hdl/rtl/lpm.sv), built
 * here from the compiled label table at the device's geometry (GET_CAPS) and written node by
 * node (CMD_LPM_WRITE, in chunks: an IPv6 node is wider than a command slot) into the inactive
 * bank. The trees cannot be read back, so after the bank switch the same writes go again (into
 * the old bank): both banks hold the active trees and the next update diffs against them. */

static bool has_lpm(const struct writer *w) { return w->caps.lpm_levels != 0; }

static int lpm_build_dev(const struct writer *w, const struct nsg_tables *t, struct nsg_label_lpm *l)
{
  struct nsg_label_geom lg;
  for (unsigned f = 0; f < 2; f++)
    lg.g[f] = (struct lpm_geom){w->caps.lpm_ctx_bits + (f ? 128u : 32u), w->caps.lpm_fanout,
                                w->caps.lpm_levels, w->caps.lpm_leaves[f], w->caps.lpm_results[f]};
  char msg[400];
  int rc = nsg_label_lpm_build_geom(t, &lg, l, msg, sizeof msg);
  if (rc < 0)
    say(w->err, w->errlen, "%s (the device's label stage: %u levels, fanout %u, %u/%u leaves)",
        msg, w->caps.lpm_levels, w->caps.lpm_fanout, w->caps.lpm_leaves[0], w->caps.lpm_leaves[1]);
  return rc;
}

/* One node word (level < levels) or result row (level = levels) in chunks. */
static int lpm_send(struct writer *w, unsigned fam, unsigned level, unsigned index,
                    const uint32_t *words, unsigned n)
{
  const unsigned max = NSGNIC_MSG_PAYLOAD_WORDS - 2;
  for (unsigned off = 0; off < n; off += max) {
    unsigned c = n - off < max ? n - off : max;
    uint32_t p[NSGNIC_MSG_PAYLOAD_WORDS] = {0};
    NSGNIC_PUT(p, P_LPMW_INDEX, index);
    NSGNIC_PUT(p, P_LPMW_LEVEL, level);
    NSGNIC_PUT(p, P_LPMW_FAMILY, fam);
    NSGNIC_PUT(p, P_LPMW_FLAGS, off + c == n ? 1u << NSGNIC_LPM_FLAG_LAST : 0u);
    NSGNIC_PUT(p, P_LPMW_OFFSET, off);
    NSGNIC_PUT(p, P_LPMW_COUNT, c);
    memcpy(&p[PW(P_LPMW_DATA)], words + off, c * sizeof *p);
    char what[80];
    snprintf(what, sizeof what, "label stage (IPv%c tree) write of %s %u%s%u", fam ? '6' : '4',
             level < w->caps.lpm_levels ? "node" : "result row", index,
             level < w->caps.lpm_levels ? " of level " : "", level < w->caps.lpm_levels ? level : 0u);
    int rc = cmd(w->d, what, NSGNIC_CMD_LPM_WRITE, p, 2 + c, NULL, 0, NULL, NULL, w->err, w->errlen);
    if (rc < 0)
      return rc;
  }
  w->st->lpm_writes++;
  return 0;
}

static const uint32_t zero_row[NSGNIC_LPM_ROW_WORDS > NSG_TRES_WORDS ? NSGNIC_LPM_ROW_WORDS : NSG_TRES_WORDS];

/* The writes turning the device's trees `from` into `to`: the tree nodes lpm_diff lists, then
 * the result rows that differ. from NULL (a fresh load; the block RAM may hold anything, e.g.
 * after a soft reset): every node in use and every result row - a search reaches only those. */
static int lpm_write_diff(struct writer *w, const struct nsg_label_lpm *from, const struct nsg_label_lpm *to)
{
  for (unsigned f = 0; f < 2; f++) {
    const struct lpm_image *ti = &to->tree[f];
    unsigned nw = lpm_node_words(&ti->g);
    if (from) {
      size_t n = lpm_diff(&from->tree[f], ti, NULL, 0);
      struct lpm_write *wr = calloc(n ? n : 1, sizeof *wr);
      if (!wr) {
        say(w->err, w->errlen, "out of memory");
        return -ENOMEM;
      }
      lpm_diff(&from->tree[f], ti, wr, n);
      for (size_t i = 0; i < n; i++) {
        int rc = lpm_send(w, f, wr[i].level, wr[i].addr, wr[i].data, nw);
        if (rc < 0) {
          free(wr);
          return rc;
        }
      }
      free(wr);
    } else {
      for (unsigned lv = 0; lv < ti->g.levels; lv++)
        for (unsigned i = 0; i < ti->used[lv]; i++) {
          int rc = lpm_send(w, f, lv, i, ti->node[lv] + (size_t)i * nw, nw);
          if (rc < 0)
            return rc;
        }
    }
    size_t rows = to->nrows, old_rows = from ? from->nrows : 0;
    /* rows: LABEL_RESULT, or LPM_ROW with label contexts */
    unsigned rw = to->crows ? NSGNIC_LPM_ROW_WORDS : NSG_TRES_WORDS;
    for (size_t r = 0; r < (rows > old_rows ? rows : old_rows); r++) {
      const uint32_t *nr = r >= rows ? zero_row : to->crows ? to->crows[r] : to->rows[r];
      const uint32_t *orow = r >= old_rows ? zero_row : from->crows ? from->crows[r] : from->rows[r];
      if (from && !memcmp(nr, orow, rw * sizeof *nr))
        continue;
      int rc = lpm_send(w, f, w->caps.lpm_levels, (unsigned)r, nr, rw);
      if (rc < 0)
        return rc;
    }
  }
  return 0;
}

static int tcam_write(struct writer *w, unsigned table, uint32_t index, const struct nsg_tentry *e,
                      unsigned key_words, unsigned res_words, bool live)
{
  uint32_t p[P_TCAM_WORDS] = {0};
  uint32_t flags = (e->valid ? 1u << NSGNIC_TCAM_FLAG_VALID : 0) | (live ? 1u << NSGNIC_TCAM_FLAG_LIVE : 0);
  NSGNIC_PUT(p, P_TCAM_TABLE, table);
  NSGNIC_PUT(p, P_TCAM_FLAGS, flags);
  p[PW(P_TCAM_INDEX)] = index;
  if (e->valid) {
    for (unsigned i = 0; i < key_words; i++) {
      p[PW(P_TCAM_KEY) + i] = e->val[i] & e->care[i];
      p[PW(P_TCAM_MASK) + i] = e->care[i];
    }
    for (unsigned i = 0; i < res_words; i++)
      p[PW(P_TCAM_RESULT) + i] = e->res[i];
  }
  char what[64];
  snprintf(what, sizeof what, "%s TCAM write of slot %u", table_names[table], index);
  int rc = cmd(w->d, what, NSGNIC_CMD_TCAM_WRITE, p, P_TCAM_WORDS, NULL, 0, NULL, NULL, w->err, w->errlen);
  if (rc == 0) {
    w->st->tcam_writes++;
    w->st->live_writes += live;
  }
  return rc;
}

/* A banked binding write: the inactive bank's entry, active from the next COMMIT. */
static int bind_write(struct writer *w, uint32_t vport, const uint32_t *entry)
{
  uint32_t p[P_BIND_WORDS] = {0};
  NSGNIC_PUT(p, P_BIND_VPORT, vport);  /* FLAGS 0: not BIND_FLAG_LIVE */
  memcpy(&p[PW(P_BIND_ENTRY)], entry, NSGNIC_BINDING_WORDS * sizeof *p);
  char what[48];
  snprintf(what, sizeof what, "binding write of vport %u", vport);
  int rc = cmd(w->d, what, NSGNIC_CMD_BIND_WRITE, p, P_BIND_WORDS, NULL, 0, NULL, NULL, w->err, w->errlen);
  if (rc == 0)
    w->st->bind_writes++;
  return rc;
}

/* Every comparator of the image (unused ones never match), before any entry refers to one. */
static int prange_write_all(struct writer *w, const struct nsg_tables *t)
{
  for (uint32_t f = 0; f < 2; f++)
    for (uint32_t k = 0; k < NSGNIC_PORT_CLASSES; k++) {
      uint32_t p[2] = {0};
      NSGNIC_PUT(p, P_PRANGE_FIELD, f);
      NSGNIC_PUT(p, P_PRANGE_INDEX, k);
      NSGNIC_PUT(p, P_PRANGE_VALUE, t->port_range[f][k]);
      char what[64];
      snprintf(what, sizeof what, "%s port-range comparator %u", f ? "destination" : "source", k);
      int rc = cmd(w->d, what, NSGNIC_CMD_PORT_RANGE_WRITE, p, 2, NULL, 0, NULL, NULL, w->err, w->errlen);
      if (rc < 0)
        return rc;
    }
  return 0;
}

static int commit(struct writer *w, uint32_t want_bank)
{
  uint32_t p[2] = {w->caps.table_version, w->caps.table_version + 1u}, r[2] = {0};
  unsigned n = 0;
  int rc = cmd(w->d, "COMMIT (bank switch)", NSGNIC_CMD_COMMIT, p, 2, r, 2, &n, NULL, w->err, w->errlen);
  if (rc < 0)
    return rc;
  if (n < 2 || r[0] != p[1] || r[1] != want_bank) {
    say(w->err, w->errlen, "COMMIT: the device reports version %u bank %u, expected %u bank %u",
        r[0], r[1], p[1], want_bank);
    return -EPROTO;
  }
  w->caps.table_version = r[0];
  w->bank = r[1];
  w->st->table_version = r[0];
  w->st->active_bank = r[1];
  return 0;
}

static const struct nsg_ttable *ttable(const struct nsg_tables *t, unsigned table)
{
  return table == NSGNIC_TABLE_RULE ? &t->rule : table == NSGNIC_TABLE_LABEL ? &t->label : &t->plat;
}

static bool ports_used(const struct nsg_tables *t)
{
  for (unsigned f = 0; f < 2; f++)
    for (unsigned k = 0; k < NSGNIC_PORT_CLASSES; k++) {
      uint32_t w = t->port_range[f][k];
      if (NSGNIC_GET(&w, PORT_RANGE_LO) <= NSGNIC_GET(&w, PORT_RANGE_HI))
        return true;
    }
  return false;
}

static int writer_init(struct writer *w, struct nsgnic_dev *d, const struct nsg_tables *t,
                       struct nsg_device_load_stats *st, char *err, size_t errlen)
{
  memset(st, 0, sizeof *st);
  w->d = d;
  w->st = st;
  w->err = err;
  w->errlen = errlen;
  int rc = nsg_device_caps(d, &w->caps, err, errlen);
  if (rc < 0)
    return rc;
  w->bank = w->caps.active_bank;
  st->table_version = w->caps.table_version;
  st->active_bank = w->bank;
  for (unsigned tb = 0; tb < 3; tb++) {
    const struct nsg_ttable *tt = ttable(t, tb);
    if (tt->n > table_size(&w->caps, tb)) {
      say(err, errlen, "the %s TCAM needs %zu entries, the device has %u: compile for this device "
          "(nsgnic load --config compiles with its sizes)", table_names[tb], tt->n,
          table_size(&w->caps, tb));
      return -ENOSPC;
    }
  }
  if (t->label_ctx != has_ctx(&w->caps)) {
    say(err, errlen, t->label_ctx ? "the tables were compiled with per-vport label contexts but the device "
                                    "lacks them (CAP_LABEL_CTX): compile for this device (nsgnic load --config)"
                                  : "the device has per-vport label contexts (CAP_LABEL_CTX) but the tables "
                                    "were compiled without them: compile for this device (nsgnic load --config)");
    return -EINVAL;
  }
  if (!(w->caps.caps & (1u << NSGNIC_CAP_BANKED_BINDING))) {
    say(err, errlen, "the device's firmware does not bank the binding table (CAP_BANKED_BINDING): "
        "NSG attachments could not change atomically with the rules; update the firmware");
    return -ENOTSUP;
  }
  if (t->nvports > w->caps.vports) {
    say(err, errlen, "the tables bind %zu vports, the device has %u", t->nvports, w->caps.vports);
    return -ENOSPC;
  }
  if (ports_used(t) && !has_port_ranges(&w->caps)) {
    say(err, errlen, "the tables use port-range comparators, which this device does not have "
        "(CAP_PORT_RANGES, %u of %u per field): compile with --no-port-classes",
        w->caps.port_classes, (unsigned)NSGNIC_PORT_CLASSES);
    return -ENOTSUP;
  }
  return 0;
}

/* ---- initial load --------------------------------------------------------------------------- */

int nsg_device_flow_hash_key(struct nsgnic_dev *d, const uint32_t *hkey, char *err, size_t errlen)
{
  struct nsg_device_caps c;
  int rc = nsg_device_caps(d, &c, err, errlen);
  if (rc < 0)
    return rc;
  if (!(c.caps & (1u << NSGNIC_CAP_FLOW_HASH_KEY))) {
    say(err, errlen, "flow-hash key: the device's flow hash takes no key (no CAP_FLOW_HASH_KEY)");
    return -ENOTSUP;
  }
  return cmd(d, "FLOW_HASH_KEY", NSGNIC_CMD_FLOW_HASH_KEY, hkey, NSGNIC_FLOW_HKEY_WORDS, NULL, 0,
             NULL, NULL, err, errlen);
}

int nsg_device_flow_limit(struct nsgnic_dev *d, uint32_t limit, uint32_t *now, char *err,
                          size_t errlen)
{
  struct nsg_device_caps c;
  int rc = nsg_device_caps(d, &c, err, errlen);
  if (rc < 0)
    return rc;
  if (!(c.caps & (1u << NSGNIC_CAP_FLOW_LIMIT))) {
    say(err, errlen, "flow limit: the device has no DRAM flow tier (no CAP_FLOW_LIMIT)");
    return -ENOTSUP;
  }
  uint32_t resp[1] = {0};
  unsigned n = 0;
  rc = cmd(d, "FLOW_LIMIT", NSGNIC_CMD_FLOW_LIMIT, &limit, 1, resp, 1, &n, NULL, err, errlen);
  if (rc < 0)
    return rc;
  if (n != 1) {
    say(err, errlen, "FLOW_LIMIT: the device answered %u words, the ABI has 1", n);
    return -EPROTO;
  }
  if (now)
    *now = resp[0];
  return 0;
}

/* Appends what a failed initial load left on the device to the message in err. */
static void load_note(char *err, size_t errlen, const char *stage, const char *state)
{
  size_t len = err ? strlen(err) : 0;
  if (err && len + 1 < errlen)
    snprintf(err + len, errlen - len, " (initial load, %s: %s)", stage, state);
}

static const char NOTHING_ACTIVE[] =
    "nothing was activated, the device binds no vport and drops every packet; reset it and load again";

static int load_tables(struct writer *w_, const struct nsg_tables *t, const struct nsg_label_lpm *lpm,
                       uint32_t hidden);

int nsg_device_load(struct nsgnic_dev *d, const struct nsg_tables *t,
                    struct nsg_device_load_stats *st, char *err, size_t errlen)
{
  struct nsg_device_load_stats local;
  struct writer w;
  int rc = writer_init(&w, d, t, st ? st : &local, err, errlen);
  if (rc < 0)
    return rc;
  if (w.caps.table_version != 0) {
    say(err, errlen, "the device already holds tables (version %u): update them from the image "
        "they were loaded from, or reset the device first", w.caps.table_version);
    return -EBUSY;
  }
  if ((w.caps.caps & (1u << NSGNIC_CAP_FLOW_HASH_KEY))) {
    uint32_t hkey[NSGNIC_FLOW_HKEY_WORDS];
    if (getrandom(hkey, sizeof hkey, 0) != (ssize_t)sizeof hkey) {
      say(err, errlen, "flow-hash key: getrandom: %s", strerror(errno));
      return -EIO;
    }
    rc = nsg_device_flow_hash_key(d, hkey, err, errlen);
    for (volatile uint32_t *v = hkey; v < hkey + NSGNIC_FLOW_HKEY_WORDS; v++)
      *v = 0;  /* the key stays in the device only */
    if (rc < 0) {
      load_note(err, errlen, "flow-hash key", NOTHING_ACTIVE);
      return rc;
    }
  }
  uint32_t hidden = 1u - w.bank;
  struct nsg_label_lpm lpm;
  memset(&lpm, 0, sizeof lpm);
  if (has_lpm(&w) && (rc = lpm_build_dev(&w, t, &lpm)) < 0)
    return rc;
  rc = load_tables(&w, t, has_lpm(&w) ? &lpm : NULL, hidden);
  nsg_label_lpm_free(&lpm);
  return rc;
}

static int load_tables(struct writer *w_, const struct nsg_tables *t, const struct nsg_label_lpm *lpm,
                       uint32_t hidden)
{
  struct writer w = *w_;
  char *err = w.err;
  size_t errlen = w.errlen;
  int rc;
  /* 0. the port-range comparators: no entry refers to one yet (the device holds no tables) */
  if (has_port_ranges(&w.caps) && (rc = prange_write_all(&w, t)) < 0) {
    load_note(err, errlen, "port-range comparators, before the bank switch", NOTHING_ACTIVE);
    return rc;
  }
  /* 1. every entry, caring about the inactive bank (invisible) */
  for (unsigned tb = 0; tb < 3; tb++) {
    const struct nsg_ttable *tt = ttable(t, tb);
    if (lpm && !t->label_ctx && tb == NSGNIC_TABLE_LABEL)
      continue;  /* the trees below (with label contexts the label TCAM is the local table) */
    for (size_t i = 0; i < tt->n; i++) {
      struct nsg_tentry e = tt->e[i];
      if (!e.valid)
        continue;
      if (nsgnic_bits_get(e.care, bank_lsb(tb), 1)) {
        say(err, errlen, "%s TCAM slot %zu of the image cares about BANK: not a loadable image",
            table_names[tb], i);
        return -EINVAL;
      }
      nsgnic_bits_put(e.care, bank_lsb(tb), 1, 1);
      nsgnic_bits_put(e.val, bank_lsb(tb), 1, hidden);
      if ((rc = tcam_write(&w, tb, (uint32_t)i, &e, tt->key_words, tt->res_words, false)) < 0) {
        load_note(err, errlen, "entries into the inactive bank, before the bank switch", NOTHING_ACTIVE);
        return rc;
      }
    }
  }
  if (lpm && (rc = lpm_write_diff(&w, NULL, lpm)) < 0) {
    load_note(err, errlen, "label-stage trees into the inactive bank, before the bank switch", NOTHING_ACTIVE);
    return rc;
  }
  /* 2. bindings, into the inactive bank too */
  for (size_t v = 0; v < t->nvports; v++)
    if ((rc = bind_write(&w, (uint32_t)v, t->bind[v])) < 0) {
      load_note(err, errlen, "bindings into the inactive bank, before the bank switch", NOTHING_ACTIVE);
      return rc;
    }
  /* 3. all of them visible at once (the firmware copies the bindings to the other bank) */
  if ((rc = commit(&w, hidden)) < 0) {
    load_note(err, errlen, "the bank switch",
              rc == -ETIMEDOUT ? "unknown whether it happened: the device holds either no active "
                                 "tables (every packet dropped) or the whole new set; reset it and load again"
                               : NOTHING_ACTIVE);
    return rc;
  }
  /* 4. steady state: shared by both banks (same match in the active bank); the trees again,
   * into the old bank */
  if (lpm && (rc = lpm_write_diff(&w, NULL, lpm)) < 0) {
    load_note(err, errlen, "after the bank switch",
              "the whole new set is active; the label-stage trees of the other bank are "
              "incomplete, so an update needs a reset and load first");
    return rc;
  }
  for (unsigned tb = 0; tb < 3; tb++) {
    const struct nsg_ttable *tt = ttable(t, tb);
    if (lpm && !t->label_ctx && tb == NSGNIC_TABLE_LABEL)
      continue;
    for (size_t i = 0; i < tt->n; i++)
      if (tt->e[i].valid &&
          (rc = tcam_write(&w, tb, (uint32_t)i, &tt->e[i], tt->key_words, tt->res_words, true)) < 0) {
        load_note(err, errlen, "after the bank switch",
                  "the whole new set is active; its entries are not yet shared by both banks, so "
                  "an update needs a reset and load first");
        return rc;
      }
  }
  return 0;
}

/* ---- update --------------------------------------------------------------------------------- */

static unsigned write_table(enum nsg_write_kind k)
{
  return k == NSG_WRITE_RULE ? NSGNIC_TABLE_RULE : k == NSG_WRITE_LABEL ? NSGNIC_TABLE_LABEL
                                                                        : NSGNIC_TABLE_PLATFORM;
}

/* The entry a write carries (the planner's packing: value, care, result, valid). */
static void unpack(const struct nsg_write *wr, const struct nsg_ttable *tt, struct nsg_tentry *e)
{
  unsigned k = 0;
  memset(e, 0, sizeof *e);
  for (unsigned i = 0; i < tt->key_words; i++)
    e->val[i] = wr->words[k++];
  for (unsigned i = 0; i < tt->key_words; i++)
    e->care[i] = wr->words[k++];
  for (unsigned i = 0; i < tt->res_words; i++)
    e->res[i] = wr->words[k++];
  e->valid = wr->words[k] != 0;
}

/* Two entries match the same keys with the same result while `bank` is active (both
 * invisible counts as equal). */
static bool same_in(unsigned table, const struct nsg_ttable *tt, const struct nsg_tentry *a,
                    const struct nsg_tentry *b, uint32_t bank)
{
  bool la = live_in(table, a, bank), lb = live_in(table, b, bank);
  if (!la || !lb)
    return la == lb;
  unsigned bl = bank_lsb(table);
  for (unsigned i = 0; i < tt->key_words; i++) {
    uint32_t m = bl / 32 == i ? ~(1u << (bl % 32)) : ~0u;  /* BANK aside: both see `bank` */
    if ((a->care[i] & m) != (b->care[i] & m) || (a->val[i] & a->care[i] & m) != (b->val[i] & b->care[i] & m))
      return false;
  }
  for (unsigned i = 0; i < tt->res_words; i++)
    if (a->res[i] != b->res[i])
      return false;
  return true;
}

/* Both can match one key (BANK aside: both are live in the same bank). */
static bool overlap_in(unsigned table, const struct nsg_ttable *tt, const struct nsg_tentry *a,
                       const struct nsg_tentry *b)
{
  unsigned bl = bank_lsb(table);
  for (unsigned i = 0; i < tt->key_words; i++) {
    uint32_t m = bl / 32 == i ? ~(1u << (bl % 32)) : ~0u;
    if ((a->val[i] ^ b->val[i]) & a->care[i] & b->care[i] & m)
      return false;
  }
  return true;
}

/* A live entry equal to x sits in a slot below `index`: x never decides a lookup. */
static bool twin_before(unsigned table, const struct nsg_ttable *tt, const struct nsg_tentry *x,
                        uint32_t index, uint32_t bank)
{
  for (uint32_t s = 0; s < index && s < tt->n; s++)
    if (live_in(table, &tt->e[s], bank) && same_in(table, tt, x, &tt->e[s], bank))
      return true;
  return false;
}

/* A write of `e` into slot `index` (holding `prev`) changes no lookup result of the active bank
 * (first match wins). The new entry must be invisible, equal to prev (re-banking), or have an
 * equal entry in an earlier slot (a copy: it never decides). The old entry must be invisible,
 * equal to the new one, have an equal entry in an earlier slot, or have an equal entry in a
 * later slot s such that every entry between that could decide a key of prev differently has
 * itself an equal entry before `index` (so it never decides a key that reached prev). These
 * are exactly the planner's live writes — re-banking and moves (copies land after their
 * originals, stale originals are removed last first) — and the layer checks them before it
 * uses TCAM_FLAG_LIVE. */
static bool lookup_neutral(unsigned table, const struct nsg_ttable *tt, uint32_t index,
                           const struct nsg_tentry *prev, const struct nsg_tentry *e, uint32_t bank)
{
  if (same_in(table, tt, prev, e, bank))
    return true;
  if (live_in(table, e, bank) && !twin_before(table, tt, e, index, bank))
    return false;
  if (!live_in(table, prev, bank) || twin_before(table, tt, prev, index, bank))
    return true;
  for (size_t s = (size_t)index + 1; s < tt->n; s++) {
    const struct nsg_tentry *t = &tt->e[s];
    if (!live_in(table, t, bank))
      continue;
    if (same_in(table, tt, prev, t, bank))
      return true;
    bool differs = memcmp(t->res, prev->res, tt->res_words * sizeof(uint32_t)) != 0;
    if (differs && overlap_in(table, tt, prev, t) && !twin_before(table, tt, t, index, bank))
      return false;
  }
  return false;
}

/* The device holds `t` (every slot of the device's tables, and t's bindings). */
static int check_holds(struct writer *w, const struct nsg_tables *t)
{
  for (unsigned tb = 0; tb < 3; tb++) {
    const struct nsg_ttable *tt = ttable(t, tb);
    if (tb == NSGNIC_TABLE_LABEL && has_lpm(w))
      continue;  /* the trees cannot be read back: the update trusts `t` for them */
    uint32_t size = table_size(&w->caps, tb);
    for (uint32_t i = 0; i < size; i++) {
      uint32_t req[2] = {tb, i}, r[NSGNIC_MSG_PAYLOAD_WORDS];
      unsigned n = 0;
      int rc = cmd(w->d, "TCAM_READ", NSGNIC_CMD_TCAM_READ, req, 2, r, NSGNIC_MSG_PAYLOAD_WORDS, &n,
                   NULL, w->err, w->errlen);
      if (rc < 0)
        return rc;
      struct nsg_tentry have, none;
      memset(&have, 0, sizeof have);
      memset(&none, 0, sizeof none);
      have.valid = (NSGNIC_GET(r, P_TCAM_FLAGS) >> NSGNIC_TCAM_FLAG_VALID) & 1u;
      for (unsigned k = 0; k < tt->key_words; k++) {
        have.val[k] = r[PW(P_TCAM_KEY) + k];
        have.care[k] = r[PW(P_TCAM_MASK) + k];
      }
      for (unsigned k = 0; k < tt->res_words; k++)
        have.res[k] = r[PW(P_TCAM_RESULT) + k];
      const struct nsg_tentry *want = i < tt->n ? &tt->e[i] : &none;
      /* compare in both banks: equal entries are equal whatever bank is active */
      if (!same_in(tb, tt, &have, want, 0) || !same_in(tb, tt, &have, want, 1)) {
        say(w->err, w->errlen, "the device does not hold the old tables: %s TCAM slot %u differs; "
            "give the image the device was loaded from, or reset it and load", table_names[tb], i);
        return -ESTALE;
      }
    }
  }
  /* both banks of every binding (the steady state: the inactive bank equals the active one) */
  for (uint32_t v = 0; v < t->nvports; v++)
    for (uint32_t shadow = 0; shadow < 2; shadow++) {
      uint32_t r[NSGNIC_MSG_PAYLOAD_WORDS], sel = 0;
      NSGNIC_PUT(&sel, P_BIND_VPORT, v);
      NSGNIC_PUT(&sel, P_BIND_FLAGS, shadow << NSGNIC_BIND_FLAG_SHADOW);
      unsigned n = 0;
      int rc = cmd(w->d, "BIND_READ", NSGNIC_CMD_BIND_READ, &sel, 1, r, NSGNIC_MSG_PAYLOAD_WORDS, &n,
                   NULL, w->err, w->errlen);
      if (rc < 0)
        return rc;
      if (n != P_BIND_WORDS || memcmp(&r[PW(P_BIND_ENTRY)], t->bind[v], NSGNIC_BINDING_WORDS * 4) != 0) {
        say(w->err, w->errlen, "the device does not hold the old tables: the binding of vport %u "
            "(%s bank) differs; give the image the device was loaded from, or reset it and load", v,
            shadow ? "inactive" : "active");
        return -ESTALE;
      }
    }
  return 0;
}

int nsg_device_update(struct nsgnic_dev *d, const struct nsg_tables *old,
                      const struct nsg_tables *new_, struct nsg_device_load_stats *st, char *err,
                      size_t errlen)
{
  struct nsg_device_load_stats local;
  struct writer w;
  int rc = writer_init(&w, d, new_, st ? st : &local, err, errlen);
  if (rc < 0)
    return rc;
  /* The device's own bank decides which bank is hidden; `shadow` tracks what the device holds
   * so that each write knows whether it touches live entries. */
  struct nsg_tables *shadow = nsg_tables_clone(old);
  if (!shadow) {
    say(err, errlen, "out of memory");
    return -ENOMEM;
  }
  shadow->bank = w.bank;
  struct nsg_update *u = NULL;
  if (old->label_ctx != new_->label_ctx) {
    say(err, errlen, "the old and new tables differ in label contexts: reset the device and load");
    nsg_tables_free(shadow);
    return -EINVAL;
  }
  struct nsg_label_lpm lpm_old, lpm_new;
  memset(&lpm_old, 0, sizeof lpm_old);
  memset(&lpm_new, 0, sizeof lpm_new);
  if (has_lpm(&w) && ((rc = lpm_build_dev(&w, old, &lpm_old)) < 0 || (rc = lpm_build_dev(&w, new_, &lpm_new)) < 0))
    goto out;
  if ((rc = check_holds(&w, old)) < 0)
    goto out;
  u = nsg_update_plan(shadow, new_, err, errlen);
  if (!u) {
    rc = -errno;
    goto out;
  }
  size_t n = nsg_update_count(u);
  for (size_t i = 0; i < n; i++) {
    const struct nsg_write *wr = nsg_update_write(u, i);
    if (wr->table == NSG_WRITE_BANK_SWITCH) {
      /* the trees change with the switch: the diff into the inactive bank before, the same
       * writes into the old bank after it */
      if (has_lpm(&w) && (rc = lpm_write_diff(&w, &lpm_old, &lpm_new)) == 0 &&
          (rc = commit(&w, wr->index)) == 0)
        rc = lpm_write_diff(&w, &lpm_old, &lpm_new);
      else if (!has_lpm(&w))
        rc = commit(&w, wr->index);
    } else if (has_lpm(&w) && !new_->label_ctx && wr->table == NSG_WRITE_LABEL) {
      rc = 0;  /* the label table reaches the device as the trees (at the switch) */
    } else if (wr->table == NSG_WRITE_BINDING) {
      rc = bind_write(&w, wr->index, wr->words);
    } else {
      unsigned tb = write_table(wr->table);
      struct nsg_ttable *tt = tb == NSGNIC_TABLE_RULE ? &shadow->rule
                              : tb == NSGNIC_TABLE_LABEL ? &shadow->label : &shadow->plat;
      struct nsg_tentry e, none;
      memset(&none, 0, sizeof none);
      unpack(wr, tt, &e);
      const struct nsg_tentry *prev = wr->index < tt->n ? &tt->e[wr->index] : &none;
      bool live = live_in(tb, prev, w.bank) || live_in(tb, &e, w.bank);
      if (wr->index >= table_size(&w.caps, tb)) {
        say(err, errlen, "the update writes %s TCAM slot %u, the device has %u", table_names[tb],
            wr->index, table_size(&w.caps, tb));
        rc = -ENOSPC;
      } else if (live && !lookup_neutral(tb, tt, wr->index, prev, &e, w.bank)) {
        say(err, errlen, "internal: planned write of %s TCAM slot %u would change what the active "
            "bank matches; refused (a compiler bug: report it)", table_names[tb], wr->index);
        rc = -EPROTO;
      } else {
        rc = tcam_write(&w, tb, wr->index, &e, tt->key_words, tt->res_words, live);
      }
    }
    if (rc < 0) {
      size_t len = err ? strlen(err) : 0;
      if (err && len + 1 < errlen)
        snprintf(err + len, errlen - len, " (write %zu of %zu, %s the bank switch: %s)", i + 1, n,
                 i < nsg_update_switch_index(u) ? "before" : "after",
                 i < nsg_update_switch_index(u) ? "traffic still sees the old rules"
                                                : "the new rules are active, clean-up incomplete");
      goto out;
    }
    if ((rc = nsg_tables_apply(shadow, wr, 1)) < 0) {
      say(err, errlen, "internal: the planned write %zu does not apply", i);
      goto out;
    }
  }
  rc = 0;
out:
  nsg_label_lpm_free(&lpm_old);
  nsg_label_lpm_free(&lpm_new);
  nsg_update_free(u);
  nsg_tables_free(shadow);
  return rc;
}

/* ---- counters and flows ----------------------------------------------------------------------- */

int nsg_device_counters(struct nsgnic_dev *d, unsigned block, uint32_t first, uint32_t count,
                        uint64_t *out, char *err, size_t errlen)
{
  while (count) {
    uint32_t k = count < NSGNIC_COUNTERS_PER_READ ? count : NSGNIC_COUNTERS_PER_READ;
    uint32_t req[2] = {0, first}, r[NSGNIC_MSG_PAYLOAD_WORDS];
    NSGNIC_PUT(req, P_CNT_BLOCK, block);
    NSGNIC_PUT(req, P_CNT_COUNT, k);
    unsigned n = 0;
    int rc = cmd(d, "COUNTERS_READ", NSGNIC_CMD_COUNTERS_READ, req, 2, r, NSGNIC_MSG_PAYLOAD_WORDS,
                 &n, NULL, err, errlen);
    if (rc < 0)
      return rc;
    if (n != 2 + 2 * k || r[1] != first) {
      say(err, errlen, "COUNTERS_READ: the device answered %u words for %u counters", n, k);
      return -EPROTO;
    }
    for (uint32_t i = 0; i < k; i++)
      out[i] = (uint64_t)r[2 + 2 * i] | (uint64_t)r[3 + 2 * i] << 32;
    out += k;
    first += k;
    count -= k;
  }
  return 0;
}

int nsg_device_flow_read(struct nsgnic_dev *d, uint32_t index, uint32_t *entry, char *err,
                         size_t errlen)
{
  uint32_t r[NSGNIC_MSG_PAYLOAD_WORDS];
  unsigned n = 0;
  uint32_t st;
  int rc = cmd(d, "FLOW_READ", NSGNIC_CMD_FLOW_READ, &index, 1, r, NSGNIC_MSG_PAYLOAD_WORDS, &n,
               &st, err, errlen);
  if (rc == -EREMOTEIO && st == NSGNIC_STATUS_NOT_FOUND)
    return -ENOENT;
  if (rc < 0)
    return rc;
  if (n != 1 + FLOW_WORDS || r[PW(P_FLOW_INDEX)] != index) {
    say(err, errlen, "FLOW_READ: the device answered %u words for slot %u", n, index);
    return -EPROTO;
  }
  memcpy(entry, &r[PW(P_FLOW_ENTRY)], FLOW_WORDS * sizeof *entry);
  return 0;
}

/* One command of a table walk (FLOW_NEXT, DRAM_FLOW_NEXT): asks for the first flow at a slot
 * >= *pos; 1 with *pos and entry when one is found, 0 with *pos = where to go on (< end: the
 * device's bound per command), < 0 on error (*st: the completion's status). The answer's slot
 * word is at_w, its entry at ent_w. */
static int walk_step(struct nsgnic_dev *d, const char *what, uint32_t op, uint32_t end, unsigned at_w,
                     unsigned ent_w, uint32_t *pos, uint32_t *entry, uint32_t *st, char *err,
                     size_t errlen)
{
  uint32_t r[NSGNIC_MSG_PAYLOAD_WORDS], p = *pos;
  unsigned n = 0;
  int rc = cmd(d, what, op, &p, 1, r, NSGNIC_MSG_PAYLOAD_WORDS, &n, st, err, errlen);
  if (rc < 0)
    return rc;
  uint32_t at = r[at_w];
  if (n != ent_w + FLOW_WORDS || at < p || at > end) {
    say(err, errlen, "%s: the device answered %u words, slot %u for %u", what, n, at, p);
    return -EPROTO;
  }
  if (NSGNIC_GET(&r[ent_w], FLOW_VALID)) {
    *pos = at;
    memcpy(entry, &r[ent_w], FLOW_WORDS * sizeof *entry);
    return 1;
  }
  if (at == p) {
    say(err, errlen, "%s: the device made no progress at slot %u", what, p);
    return -EPROTO;
  }
  *pos = at;
  return 0;
}

/* Walks with the same protocol (walk_step) over [*pos, end) until a flow is found (1) or the end
 * (0, *pos = end). The cache's walk (FLOW_NEXT) falls back to FLOW_READ slot by slot on firmware
 * before ABI 1.7 (BAD_OPCODE). */
static int walk(struct nsgnic_dev *d, bool dram, uint32_t end, uint32_t *pos, uint32_t *entry,
                char *err, size_t errlen)
{
  uint32_t i = *pos, st = 0;
  bool slotwise = false;
  int rc;
  while (i < end) {
    if (slotwise) {
      rc = nsg_device_flow_read(d, i, entry, err, errlen);
      if (rc != -ENOENT) {
        if (rc == 0)
          *pos = i;
        return rc == 0 ? 1 : rc;
      }
      i++;
      continue;
    }
    rc = dram ? walk_step(d, "DRAM_FLOW_NEXT", NSGNIC_CMD_DRAM_FLOW_NEXT, end, PW(P_DFLOW_SLOT),
                          PW(P_DFLOW_ENTRY), &i, entry, &st, err, errlen)
              : walk_step(d, "FLOW_NEXT", NSGNIC_CMD_FLOW_NEXT, end, PW(P_FLOW_INDEX),
                          PW(P_FLOW_ENTRY), &i, entry, &st, err, errlen);
    if (!dram && rc == -EREMOTEIO && st == NSGNIC_STATUS_BAD_OPCODE) {
      slotwise = true;
    } else if (rc != 0) {
      if (rc == 1)
        *pos = i;
      return rc;
    }
  }
  *pos = end;
  return 0;
}

static bool has_tier(const struct nsg_device_caps *c)
{
  return (c->caps & (1u << NSGNIC_CAP_FLOW_LIMIT)) && c->dram_flow_entries;
}

int nsg_device_next_flow(struct nsgnic_dev *d, const struct nsg_device_caps *caps, uint32_t *index,
                         uint32_t *entry, char *err, size_t errlen)
{
  struct nsg_device_caps own;
  if (!caps) {
    int rc = nsg_device_caps(d, &own, err, errlen);
    if (rc < 0)
      return rc;
    caps = &own;
  }
  uint32_t i = *index;
  if (i < caps->flow_entries) {
    int rc = walk(d, false, caps->flow_entries, &i, entry, err, errlen);
    if (rc != 0) {
      if (rc == 1)
        *index = i;
      return rc;
    }
  }
  uint32_t s = i - caps->flow_entries, n = has_tier(caps) ? caps->dram_flow_entries : 0;
  int rc = walk(d, true, n, &s, entry, err, errlen);
  if (rc >= 0)
    *index = caps->flow_entries + s;
  return rc;
}

int nsg_device_dram_flow_next(struct nsgnic_dev *d, uint32_t *slot, uint32_t *entry, char *err,
                              size_t errlen)
{
  struct nsg_device_caps c;
  int rc = nsg_device_caps(d, &c, err, errlen);
  if (rc < 0)
    return rc;
  if (!has_tier(&c)) {
    say(err, errlen, "DRAM flows: the device has no DRAM flow tier (no CAP_FLOW_LIMIT)");
    return -ENOTSUP;
  }
  uint32_t s = *slot;
  rc = walk(d, true, c.dram_flow_entries, &s, entry, err, errlen);
  if (rc >= 0)
    *slot = s;
  return rc;
}

int nsg_device_flow_delete(struct nsgnic_dev *d, uint32_t index, const uint32_t *entry,
                           char *err, size_t errlen)
{
  uint32_t p[1 + FLOW_DELETE_KEY_WORDS];
  p[PW(P_FLOW_INDEX)] = index;
  memcpy(&p[PW(P_FLOW_ENTRY)], entry, FLOW_DELETE_KEY_WORDS * sizeof *p);
  uint32_t st;
  int rc = cmd(d, "FLOW_DELETE", NSGNIC_CMD_FLOW_DELETE, p, 1 + FLOW_DELETE_KEY_WORDS, NULL, 0,
               NULL, &st, err, errlen);
  if (rc == -EREMOTEIO && st == NSGNIC_STATUS_NOT_FOUND)
    return -ENOENT;
  return rc;
}

/* ---- parked exceptions, aging, host-driven time (ABI 1.2) ------------------------------------ */

int nsg_device_exc_release(struct nsgnic_dev *d, uint32_t token, uint16_t out_port, bool forward,
                           char *err, size_t errlen)
{
  uint32_t p[2] = {0, 0};
  NSGNIC_PUT(p, P_XREL_TOKEN, token);
  NSGNIC_PUT(p, P_XREL_OUT_PORT, forward ? out_port : 0);
  NSGNIC_PUT(p, P_XREL_ACTION, forward ? NSGNIC_ACTION_ALLOW : NSGNIC_ACTION_DENY);
  uint32_t st;
  int rc = cmd(d, "EXC_RELEASE", NSGNIC_CMD_EXC_RELEASE, p, 2, NULL, 0, NULL, &st, err, errlen);
  if (rc == -EREMOTEIO && st == NSGNIC_STATUS_NOT_FOUND) {
    say(err, errlen, "EXC_RELEASE: no parked packet has token %u (released, expired or never parked)",
        token);
    return -ENOENT;
  }
  if (rc == -EREMOTEIO && (st == NSGNIC_STATUS_UNSUPPORTED || st == NSGNIC_STATUS_BAD_OPCODE)) {
    say(err, errlen, "EXC_RELEASE: the device does not park exceptions (no CAP_EXC_PARK)");
    return -ENOTSUP;
  }
  return rc;
}

int nsg_device_aging_start(struct nsgnic_dev *d, uint32_t threshold, uint32_t interval, uint32_t batch,
                           char *err, size_t errlen)
{
  if (threshold < 1 || threshold > 32767 || batch < 1 || batch > 65536) {
    say(err, errlen, "AGING_START: threshold %u (1..32767 NOW ticks) or batch %u (1..65536) out of range",
        threshold, batch);
    return -EINVAL;
  }
  uint32_t p[3] = {0, 0, 0};
  NSGNIC_PUT(p, P_AGING_THRESHOLD, threshold);
  NSGNIC_PUT(p, P_AGING_INTERVAL, interval);
  NSGNIC_PUT(p, P_AGING_BATCH, batch);
  return cmd(d, "AGING_START", NSGNIC_CMD_AGING_START, p, 3, NULL, 0, NULL, NULL, err, errlen);
}

static int hw_aging_cap(struct nsgnic_dev *d, const char *what, char *err, size_t errlen)
{
  struct nsg_device_caps c;
  int rc = nsg_device_caps(d, &c, err, errlen);
  if (rc < 0)
    return rc;
  if (!(c.caps & (1u << NSGNIC_CAP_HW_AGING))) {
    say(err, errlen, "%s: the device has no hardware aging engine (no CAP_HW_AGING)", what);
    return -ENOTSUP;
  }
  return 0;
}

int nsg_device_aging_hw(struct nsgnic_dev *d, bool enable, unsigned pace,
                        const uint32_t timeouts[NSGNIC_AGE_CLASSES], uint32_t *passes, char *err,
                        size_t errlen)
{
  uint32_t p[5] = {0, 0, 0, 0, 0};
  static const char *const names[NSGNIC_AGE_CLASSES] = {
    [NSGNIC_AGE_CLASS_TCP_EST] = "TCP established", [NSGNIC_AGE_CLASS_TCP_HALF_OPEN] = "TCP half-open",
    [NSGNIC_AGE_CLASS_NEW] = "new (no reply)", [NSGNIC_AGE_CLASS_ICMP] = "ICMP",
    [NSGNIC_AGE_CLASS_TCP_CLOSING] = "TCP closing", [NSGNIC_AGE_CLASS_TCP_TIME_WAIT] = "TCP time-wait",
    [NSGNIC_AGE_CLASS_TCP_CLOSED] = "TCP closed", [NSGNIC_AGE_CLASS_REPLIED] = "replied"};
  if (pace > 255) {
    say(err, errlen, "AGING_HW: pace %u out of range (0..255 clocks)", pace);
    return -EINVAL;
  }
  for (unsigned c = 0; enable && c < NSGNIC_AGE_CLASSES; c++)
    if (timeouts[c] < 1 || timeouts[c] > 65535) {
      say(err, errlen, "AGING_HW: %s timeout %u out of range (1..65535 NOW ticks)", names[c], timeouts[c]);
      return -EINVAL;
    }
  int rc = hw_aging_cap(d, "AGING_HW", err, errlen);
  if (rc < 0)
    return rc;
  NSGNIC_PUT(p, P_AGEHW_ENABLE, enable ? 1u : 0u);
  NSGNIC_PUT(p, P_AGEHW_PACE, pace);
  if (enable) {
    NSGNIC_PUT(p, P_AGEHW_TCP_EST, timeouts[NSGNIC_AGE_CLASS_TCP_EST]);
    NSGNIC_PUT(p, P_AGEHW_TCP_HALF_OPEN, timeouts[NSGNIC_AGE_CLASS_TCP_HALF_OPEN]);
    NSGNIC_PUT(p, P_AGEHW_NEW, timeouts[NSGNIC_AGE_CLASS_NEW]);
    NSGNIC_PUT(p, P_AGEHW_ICMP, timeouts[NSGNIC_AGE_CLASS_ICMP]);
    NSGNIC_PUT(p, P_AGEHW_TCP_CLOSING, timeouts[NSGNIC_AGE_CLASS_TCP_CLOSING]);
    NSGNIC_PUT(p, P_AGEHW_TCP_TIME_WAIT, timeouts[NSGNIC_AGE_CLASS_TCP_TIME_WAIT]);
    NSGNIC_PUT(p, P_AGEHW_TCP_CLOSED, timeouts[NSGNIC_AGE_CLASS_TCP_CLOSED]);
    NSGNIC_PUT(p, P_AGEHW_REPLIED, timeouts[NSGNIC_AGE_CLASS_REPLIED]);
  }
  uint32_t r[3] = {0, 0, 0};
  unsigned rn = 0;
  rc = cmd(d, "AGING_HW", NSGNIC_CMD_AGING_HW, p, 5, r, 3, &rn, NULL, err, errlen);
  if (rc >= 0 && passes)
    *passes = rn >= 1 ? (uint32_t)NSGNIC_GET(r, P_SCAN_PASS) : 0;
  return rc;
}

int nsg_device_aging_est(struct nsgnic_dev *d, const uint16_t *est, unsigned nvports, char *err,
                         size_t errlen)
{
  int rc = hw_aging_cap(d, "AGING_EST", err, errlen);
  if (rc < 0)
    return rc;
  if (nvports > 256) {
    say(err, errlen, "AGING_EST: %u vports (at most 256)", nvports);
    return -EINVAL;
  }
  for (unsigned v = 0; v < nvports; v += NSGNIC_MSG_PAYLOAD_WORDS) {
    uint32_t p[NSGNIC_MSG_PAYLOAD_WORDS];
    unsigned n = 0;
    for (; n < NSGNIC_MSG_PAYLOAD_WORDS && v + n < nvports; n++) {
      p[n] = 0;
      NSGNIC_PUT(p + n, P_AGEEST_TIMEOUT, est[v + n]);
      NSGNIC_PUT(p + n, P_AGEEST_VPORT, v + n);
    }
    rc = cmd(d, "AGING_EST", NSGNIC_CMD_AGING_EST, p, n, NULL, 0, NULL, NULL, err, errlen);
    if (rc < 0)
      return rc;
  }
  return 0;
}

int nsg_device_aging_stop(struct nsgnic_dev *d, char *err, size_t errlen)
{
  return cmd(d, "AGING_STOP", NSGNIC_CMD_AGING_STOP, NULL, 0, NULL, 0, NULL, NULL, err, errlen);
}

int nsg_device_time_external(struct nsgnic_dev *d, bool external, char *err, size_t errlen)
{
  if (!(nsgnic_dev_rd32(d, NSGNIC_HOSTREG_HW_CAPS) & (1u << NSGNIC_CAP_EXT_TIME))) {
    say(err, errlen, "TIME_CTRL: the device's time is not host-driven (HW_CAPS lacks CAP_EXT_TIME)");
    return -ENOTSUP;
  }
  nsgnic_dev_wr32(d, NSGNIC_HOSTREG_TIME_CTRL, external ? 1u << NSGNIC_TIME_CTRL_EXTERNAL_LSB : 0);
  if (((nsgnic_dev_rd32(d, NSGNIC_HOSTREG_TIME_CTRL) >> NSGNIC_TIME_CTRL_EXTERNAL_LSB) & 1u) != external) {
    say(err, errlen, "TIME_CTRL: EXTERNAL did not take the value %d written", external);
    return -EIO;
  }
  return 0;
}

int nsg_device_time_advance(struct nsgnic_dev *d, uint64_t ticks)
{
  while (ticks) {
    uint32_t k = ticks > 65535 ? 65535 : (uint32_t)ticks;
    nsgnic_dev_wr32(d, NSGNIC_HOSTREG_TIME_TICK, k);
    ticks -= k;
  }
  return 0;
}

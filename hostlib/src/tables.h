/* SPDX-License-Identifier: Apache-2.0 */
/* Private view of compiled lookup tables (struct nsg_tables): the ternary tables exactly as the
 * device holds them, the vport binding table, and the host-side metadata (rule-name table, vport
 * names and addresses) that turns a result word back into an answer. Shared by the compiler
 * (compile.c), the bit-exact lookup model (tables.c), the image reader/writer (image.c) and the
 * update planner (update.c). */
#ifndef NSGNIC_TABLES_H
#define NSGNIC_TABLES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "nsgnic/abi.h"
#include "nsgnic/compile.h"

/* Port-range classes of a port (the comparators in front of the rule key). */
unsigned nsg_port_classes(const uint32_t ranges[NSGNIC_PORT_CLASSES], uint16_t port);

#define NSG_TKEY_WORDS 8 /* widest key: the rule key (256 bits) */
#define NSG_TRES_WORDS 3 /* widest result: the label result (80 bits) */

/* One ternary entry: the key matches when ((key ^ val) & care) == 0 on every word. */
struct nsg_tentry {
  uint32_t val[NSG_TKEY_WORDS];
  uint32_t care[NSG_TKEY_WORDS];
  uint32_t res[NSG_TRES_WORDS];
  bool valid;
};

/* A ternary table: slots 0..n-1 (n <= the device's size); the lowest valid matching slot wins. */
struct nsg_ttable {
  struct nsg_tentry *e;
  size_t n, cap;
  unsigned key_words, res_words;
};

int nsg_ttable_push(struct nsg_ttable *t, const struct nsg_tentry *e);
/* Returns the winning slot, or -1. */
long nsg_ttable_lookup(const struct nsg_ttable *t, const uint32_t *key);
void nsg_ttable_free(struct nsg_ttable *t);

/* Sets the field (lsb, width) of an entry to `value`, caring about the top `plen` bits of the
 * field (plen == width: exact). */
void nsg_tentry_set(struct nsg_tentry *e, unsigned lsb, unsigned width, uint64_t value, unsigned plen);
/* A label-key entry's ADDR field as prefix p (IPv4 in its low 32 bits). */
void nsg_tentry_set_label_addr(struct nsg_tentry *e, const struct nsg_prefix *p);
#define NSG_TSET(e, field, value) \
  nsg_tentry_set((e), NSGNIC_##field##_LSB, NSGNIC_##field##_W, (uint64_t)(value), NSGNIC_##field##_W)
#define NSG_TSET_PFX(e, field, value, plen) \
  nsg_tentry_set((e), NSGNIC_##field##_LSB, NSGNIC_##field##_W, (uint64_t)(value), (plen))

/* A vport: one (NIC, subnet) pair; its addresses are the NIC's addresses in that subnet. */
struct nsg_tvport {
  char *nic_name, *nic_id;
  struct nsg_ip *ips;
  size_t nips;
};

/* Entry of the rule-name table (RESULT.RULE_ID indexes it). */
struct nsg_trname {
  char *nsg;  /* NSG name */
  char *rule; /* "securityRules/NAME" or "defaultSecurityRules/NAME" */
};

struct nsg_label_lpm; /* label_lpm.h: the label stage in its block-RAM form */

/* Context mode (compile option label_ctx, CAP_LABEL_CTX; docs/compiler.md "Label contexts"): a
 * label context of the trees, one per (scope, subnet NSG, NIC NSG) of the vports
 * (BINDING.LABEL_CTX indexes them). */
struct nsg_tctx {
  unsigned scope; /* BINDING.CTX of its vports */
  int nsg[2];     /* [0] subnet NSG id, [1] NIC NSG id; -1: none */
};
/* One prefix of a context's tree with its LPM_ROW: the label vector in the allocation of the
 * context's subnet NSG (lab[0], LABELS_SUBNET) and of its NIC NSG (lab[1], LABELS_NIC). The
 * longest prefix of an address in its context gives its row; none: both vectors 0. */
struct nsg_tlrow {
  unsigned ctx;
  struct nsg_prefix p;
  uint64_t lab[2];
};
/* Rows in the order of t->lrows: by context, family, address, length. */
int nsg_tlrow_cmp(const struct nsg_tlrow *x, const struct nsg_tlrow *y);

/* Compile statistics of one NSG (not stored in the image). */
struct nsg_tnsg_stats {
  char *name;
  unsigned id;
  size_t rules, entries, plain_entries, shadowed;
  size_t first_slot;  /* rule-TCAM slot of the NSG's first entry */
  struct { size_t rule_id, entries; } worst[3];
};

struct nsg_tables {
  struct nsg_ttable rule, label, plat;
  uint32_t (*bind)[NSGNIC_BINDING_WORDS]; /* the bindings lookups use (the active bank's) */
  /* Device model only: the inactive bank's bindings, what the next bank switch activates (the
   * binding table is banked like the TCAMs: CAP_BANKED_BINDING). NULL: equal to `bind` (every
   * compiled or loaded image); nsg_tables_apply creates it at the first binding write. */
  uint32_t (*bind_next)[NSGNIC_BINDING_WORDS];
  struct nsg_tvport *vports;
  size_t nvports;
  struct nsg_trname *rnames;
  size_t nrnames;
  unsigned bank; /* the active-bank register */
  uint32_t port_range[2][NSGNIC_PORT_CLASSES]; /* [0] source, [1] destination: PORT_RANGE words */
  char *label_meaning[NSGNIC_LABEL_BITS]; /* what an allocated bit stands for ("tag:NAME", "asg:ID",
                                             "kms", "v4:HASH:N", "v6:HASH:N"); NULL: fixed or free */
  /* The label stage as the datapath's block RAM holds it (lpm.sv trees + result rows), built from
   * `label`, the bindings and `bank` on the first label lookup (nsg_tables_label_stage) and
   * dropped by every nsg_tables_apply: the one member a lookup of const tables fills (a cache;
   * tables are not shared between threads). NULL: not built yet. */
  struct nsg_label_lpm *lpm;
  /* Context mode: `label` is the local-address table (LABEL_KEY {CTX = scope, FAMILY, ADDR of
   * a local NIC, all bits cared} -> LABEL_RESULT {VPORT, VPORT_VALID}); the trees are built from
   * `lrows` (sorted by context, family, address, length) and the bindings carry LABEL_CTX. */
  bool label_ctx;
  struct nsg_tctx *ctxs;
  size_t nctxs;
  struct nsg_tlrow *lrows;
  size_t nlrows;
  /* Device model only: the contexts and rows the inactive bank's trees hold, active from the
   * next bank switch (nsg_update_install_names stages them, nsg_tables_apply switches) */
  bool has_next_rows;
  struct nsg_tctx *ctxs_next;
  size_t nctxs_next;
  struct nsg_tlrow *lrows_next;
  size_t nlrows_next;
  /* statistics (compile only) */
  struct nsg_tnsg_stats *stats;
  size_t nstats;
  char **notes; /* label decisions and other remarks, one line each */
  size_t nnotes;
  size_t label_bits, plain_entries, nrules;
  double compile_ms;
};

/* The name of the NSG that has NSG id `id` in the rule TCAM, or NULL (no entries). */
const char *nsg_tables_nsg_name(const struct nsg_tables *t, unsigned id);

/* The label stage of the model, answered from its block-RAM form (t->lpm, the trees the image
 * carries and the device's label stage searches): the result words of the longest prefix of
 * address `a` in label context `ctx` (all zero when nothing matches), equal to the label TCAM's
 * first match. Returns 0, or -ENOSPC / -EINVAL / -ENOMEM when the label table has no block-RAM
 * form (message in err: the tree and what to grow). */
int nsg_tables_label_lookup(const struct nsg_tables *t, unsigned ctx, const struct nsg_ip *a,
                            uint32_t res[NSG_TRES_WORDS], char *err, size_t errlen);
/* The same answer from the label TCAM entries (first valid match), the form the trees are built
 * from: the reference the tests hold the trees to. */
void nsg_tables_label_tcam_lookup(const struct nsg_tables *t, unsigned ctx, const struct nsg_ip *a,
                                  uint32_t res[NSG_TRES_WORDS]);
/* Context mode: the LPM_ROW (NSGNIC_LPM_ROW_WORDS words) of address a in tree context
 * label_ctx (BINDING.LABEL_CTX), from the trees; 0 or -errno as nsg_tables_label_lookup. */
int nsg_tables_label_row(const struct nsg_tables *t, unsigned label_ctx, const struct nsg_ip *a,
                         uint32_t row[NSGNIC_LPM_ROW_WORDS], char *err, size_t errlen);
/* Builds t->lpm when absent (see struct nsg_tables); returns it, or NULL with errno and err. */
const struct nsg_label_lpm *nsg_tables_label_stage(const struct nsg_tables *t, char *err, size_t errlen);
/* Drops t->lpm (after a change of the label table, the bindings or the bank). */
void nsg_tables_label_stage_drop(struct nsg_tables *t);

int nsg_tables_add_note(struct nsg_tables *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif

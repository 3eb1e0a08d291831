/* SPDX-License-Identifier: Apache-2.0 */
/* nsgnic compiler: turns a finalized configuration into the lookup tables of the SmartNIC
 * (address-label TCAM, platform TCAM, rule TCAM, vport binding table; layouts in
 * <nsgnic/abi/lookup.def.h>, explained in docs/key-layout.md), evaluates those tables bit-exactly
 * as the hardware does (the `tables` engine of `nsgnic verify`), writes and reads the binary
 * image the driver loads, and plans incremental bank updates. Design: docs/compiler.md.
 *
 * Lifecycle: nsg_compile() -> nsg_tables_verify()* / nsg_tables_image()* / nsg_tables_stats_*()
 * -> nsg_tables_free(). nsg_tables_load_image() rebuilds the same object from an image (without
 * the compile statistics). Concurrent readers of one object are safe; nsg_tables_apply() and
 * nsg_update_install_names() modify it (a device model) and need exclusive access.
 * Functions return 0 or a negative errno; constructors return NULL and set errno; every error
 * also writes a message into the caller's `err` buffer (naming the NSG and rule at fault). */
#ifndef NSGNIC_COMPILE_H
#define NSGNIC_COMPILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nsgnic/nsgnic.h"

#ifdef __cplusplus
extern "C" {
#endif

struct nsg_tables;

/* Table capacities the image must fit (defaults: the ABI's RULE_ENTRIES, LABEL_ENTRIES,
 * PLATFORM_ENTRIES, VPORTS, CTXS, NSG_IDS). 0 means "no limit" (benchmarks only: such an image
 * may not load on a device). */
struct nsg_compile_opts {
  unsigned rule_entries, label_entries, platform_entries;
  unsigned vports, ctxs, nsg_ids;
  bool no_prefix_labels; /* keep every IPv4 prefix list in the rule key (baseline runs) */
  bool plain_ports;      /* per-range prefix expansion only (the named baseline) */
  bool no_port_classes;  /* do not use the port-range comparators (PORT_CLASS key bits) */
  /* non-NULL: the comparators hold exactly these 2 x PORT_CLASSES PORT_RANGE words (source
   * then destination), e.g. the device's, from nsg_tables_port_ranges(): an update keeps them */
  const uint32_t *port_ranges;
  /* non-NULL: the device state an update starts from: keep its port ranges and give every label
   * set (tag, ASG, prefix list) the bit it has there, so unchanged entries stay unchanged */
  const struct nsg_tables *reuse;
  /* free rule- and label-TCAM slots left between entries so updates can insert without moving:
   * one after every `spread` entries (0: default 8; SIZE_MAX: dense), as far as the table allows */
  size_t spread;
  /* the device's label stage is the block-RAM longest-prefix match (hdl/rtl/lpm.sv at lpm.h's
   * LPM_GEOM_V4/V6), not the label TCAM: the label limit is the trees' capacity (intervals per
   * family, distinct result rows) instead of label_entries, which then only says "limited"
   * (0: no limit, like the other capacities) */
  bool label_lpm;
  /* per-vport label contexts (CAP_LABEL_CTX; implies label_lpm; docs/compiler.md "Label
   * contexts"): one tree context per (scope, subnet NSG, NIC NSG) of the vports, label bits
   * allocated per NSG (58 free bits each instead of 58 for the device), the label TCAM as the
   * local-address table, BINDING.LABEL_CTX */
  bool label_ctx;
};

void nsg_compile_opts_default(struct nsg_compile_opts *o);

/* Compiles `cfg` (finalized, without errors). NULL with errno: EINVAL (invalid configuration, or
 * a construct the tables cannot express: message in err), ENOSPC (a table overflows: err says by
 * how much and which NSGs use the space), ENOMEM. `o` may be NULL (defaults). */
struct nsg_tables *nsg_compile(const struct nsg_config *cfg, const struct nsg_compile_opts *o,
                               char *err, size_t errlen);
/* NULL is a no-op. */
void nsg_tables_free(struct nsg_tables *t);

/* IP flow verify on the compiled tables: the same contract as nsg_verify(), answered only from
 * the tables (label stage, platform stage, rule TCAM for both S2 levels, combination). */
int nsg_tables_verify(const struct nsg_tables *t, const struct nsg_query *q, struct nsg_verdict *v,
                      char *err, size_t errlen);

/* Table sizes of a compiled object. */
struct nsg_tables_counts {
  size_t rule_entries, label_entries, platform_entries, vports, nsgs, rules, label_bits;
  size_t plain_entries; /* the baseline: plain per-range prefix expansion, every list in the key */
  double compile_ms;
};
void nsg_tables_counts(const struct nsg_tables *t, struct nsg_tables_counts *c);
/* The comparator words (2 x NSGNIC_PORT_CLASSES, source then destination) into out. */
void nsg_tables_port_ranges(const struct nsg_tables *t, uint32_t *out);

/* Compile report (per NSG: rules, TCAM entries, expansion, worst rules; label decisions) as
 * malloc'd text or JSON. NULL with errno ENOMEM. */
char *nsg_tables_stats_text(const struct nsg_tables *t);
char *nsg_tables_stats_json(const struct nsg_tables *t);

/* ---- image (format: docs/compiler.md; constants IMAGE_* in the ABI) ------------------------ */
/* Serializes into a malloc'd buffer (with the label stage's block-RAM trees). Returns 0, -ENOMEM,
 * or -ENOSPC / -EINVAL when the label table has no block-RAM form (too many prefixes or result
 * rows, an entry that is no prefix; nsg_tables_save reports which). */
int nsg_tables_image(const struct nsg_tables *t, uint8_t **buf, size_t *len);
/* Parses an image, which is untrusted input; NULL with errno EINVAL (bad magic, ABI version,
 * checksum, truncated, or any field inconsistent with the image's own tables or the ABI's limits:
 * message in err) or ENOMEM. */
struct nsg_tables *nsg_tables_load_image(const uint8_t *buf, size_t len, char *err, size_t errlen);
/* The semantic check an image cannot make by itself: every NIC (vport) of `image` is bound as in
 * `expected` (compiled from the configuration): the same NICs and addresses, the same subnet and
 * NIC NSGs (by name) or none, the same ASG memberships (by label meaning) and the same grouping
 * into VNets (label contexts). Returns 0, or -EINVAL with the first difference in err. */
int nsg_tables_check_bindings(const struct nsg_tables *image, const struct nsg_tables *expected, char *err,
                              size_t errlen);
/* File helpers around the two above (EIO-class errors reported through err). */
int nsg_tables_save(const struct nsg_tables *t, const char *path, char *err, size_t errlen);
struct nsg_tables *nsg_tables_load(const char *path, char *err, size_t errlen);

/* ---- incremental updates (docs/compiler.md "Banks") ----------------------------------------- */
enum nsg_write_kind { NSG_WRITE_RULE, NSG_WRITE_LABEL, NSG_WRITE_PLATFORM, NSG_WRITE_BINDING,
                      NSG_WRITE_BANK_SWITCH };
/* One table write: slot `index` of `table` gets `words` (value, care, result as the image stores
 * them; an all-zero entry is an invalid slot), or the active-bank register gets `index`.
 * NSG_WRITE_BINDING writes vport `index`'s entry (BINDING layout) in the INACTIVE bank
 * (CMD_BIND_WRITE without BIND_FLAG_LIVE): it becomes active at the next bank switch, which
 * also copies it to the other bank. */
struct nsg_write {
  enum nsg_write_kind table;
  uint32_t index;
  uint32_t words[20];
};
struct nsg_update;
/* Plans the writes that turn the device state `old` (as loaded) into `new` (compiled with
 * old's port ranges): changed entries and changed vport bindings (NIC/subnet NSG attachments,
 * ASG membership) are written into the inactive bank, then one bank switch, then the old bank's
 * entries are retired. A reader sees the old rule set and attachments before the switch and
 * the new ones from the switch on, never a mix. NULL with errno ENOSPC (old and new do not fit
 * together), EINVAL (other port ranges or vports: load a full image) or ENOMEM; message in
 * err. */
struct nsg_update *nsg_update_plan(const struct nsg_tables *old, const struct nsg_tables *new_,
                                   char *err, size_t errlen);
void nsg_update_free(struct nsg_update *u);
size_t nsg_update_count(const struct nsg_update *u);          /* writes, bank switch included */
const struct nsg_write *nsg_update_write(const struct nsg_update *u, size_t i);
size_t nsg_update_switch_index(const struct nsg_update *u);   /* index of the bank switch */
size_t nsg_update_moves(const struct nsg_update *u);          /* writes that only moved entries */
/* Replaces t's rule-name table with one valid for the old and the new rule ids (host side:
 * install it before applying the writes). Returns 0 or -ENOMEM. */
int nsg_update_install_names(const struct nsg_update *u, struct nsg_tables *t);
/* Applies writes [0, n) to `t` in place (a device model); returns 0 or -EINVAL. */
int nsg_tables_apply(struct nsg_tables *t, const struct nsg_write *w, size_t n);
/* Copies a compiled object (to model a device that receives writes). NULL + errno. */
struct nsg_tables *nsg_tables_clone(const struct nsg_tables *t);

#ifdef __cplusplus
}
#endif
#endif

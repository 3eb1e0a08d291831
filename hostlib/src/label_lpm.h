/* SPDX-License-Identifier: Apache-2.0 */
/* The compiled label stage as block-RAM longest-prefix-match trees (lpm.h, hdl/rtl/lpm.sv): the
 * label TCAM's first-match entries (longest prefix first, per-context entries before the
 * context-wildcard one of the same prefix; docs/compiler.md, Labels) become, per family, a
 * prefix set keyed {context, address} whose longest match is the TCAM's first match, with the
 * entries' result words interned as result rows. Contexts are those a binding or an entry
 * names; every other context shares one extra context holding the wildcard entries only
 * (LPM_CTX_OTHER). Lifecycle: nsg_label_lpm_build -> nsg_label_lpm_lookup ->
 * nsg_label_lpm_free (NULL-safe). */
#ifndef NSGNIC_LABEL_LPM_H
#define NSGNIC_LABEL_LPM_H

#include "lpm.h"
#include "tables.h"

/* The context every unused label context shares, at ctx_bits context bits. */
#define LPM_CTX_OTHER_AT(ctx_bits) ((1u << (ctx_bits)) - 1)
#define LPM_CTX_OTHER LPM_CTX_OTHER_AT(LPM_CTX_BITS)

/* The label stage's geometry: [0] the IPv4 tree ({ctx, 32 bits}), [1] the IPv6 tree ({ctx, 128
 * bits}), both with the same context bits (key_bits - address bits, > log2(NSGNIC_CTXS)). The
 * ABI's (realistic) one: nsg_label_geom_abi(); a device reports its own in GET_CAPS. */
struct nsg_label_geom {
  struct lpm_geom g[2];
};
void nsg_label_geom_abi(struct nsg_label_geom *lg);
/* Context bits of lg, or 0 when the two trees disagree or the contexts do not fit (the message
 * says why). */
unsigned nsg_label_geom_ctx_bits(const struct nsg_label_geom *lg, char *err, size_t errlen);

struct nsg_label_lpm {
  struct lpm_image tree[2];             /* [0] IPv4, [1] IPv6 */
  uint32_t (*rows)[NSG_TRES_WORDS];     /* result rows; row 0 all zero (no match) */
  /* context mode (t->label_ctx): LPM_ROW result rows instead of `rows` (NULL), row 0 zero; the
   * tree keys are {BINDING.LABEL_CTX, address} (ctx_map unused) */
  uint32_t (*crows)[NSGNIC_LPM_ROW_WORDS];
  size_t nrows;
  uint16_t ctx_map[NSGNIC_CTXS];        /* label context -> LPM context */
  size_t prefixes[2];                   /* prefixes per family (over all contexts) */
  unsigned ctx_bits;                    /* context bits of the trees' keys */
};

/* Builds the trees at the realistic geometry (LPM_GEOM_V4/_V6) from t's label table.
 * -EINVAL: an entry that is no prefix (message names its slot); -ENOSPC: too many prefixes or
 * result rows (the message names the tree and what to grow); -ENOMEM. */
int nsg_label_lpm_build(const struct nsg_tables *t, struct nsg_label_lpm *out, char *err,
                        size_t errlen);
/* The same at geometry lg (a device's, from GET_CAPS); -EINVAL also for a bad geometry. */
int nsg_label_lpm_build_geom(const struct nsg_tables *t, const struct nsg_label_geom *lg,
                             struct nsg_label_lpm *out, char *err, size_t errlen);
/* The result words of address a in label context ctx (what nsg_tables_label_lookup answers). */
void nsg_label_lpm_lookup(const struct nsg_label_lpm *l, unsigned ctx, const struct nsg_ip *a,
                          uint32_t res[NSG_TRES_WORDS]);
/* Context mode: the LPM_ROW of address a in tree context label_ctx. */
void nsg_label_lpm_lookup_row(const struct nsg_label_lpm *l, unsigned label_ctx, const struct nsg_ip *a,
                              uint32_t row[NSGNIC_LPM_ROW_WORDS]);
void nsg_label_lpm_free(struct nsg_label_lpm *l);

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/* nsgnic prover: exhaustive answers over the whole header space, with binary decision diagrams
 * (BuDDy). Design and the argument for BDDs: docs/prove.md.
 *
 * - nsg_prove(): for every NIC address and direction, the set of packets each answer (verdict +
 *   deciding rule and NSG, or platform, or no NSG) covers, built symbolically from the reference
 *   semantics (eval.c's predicates and decision order) and from compiled tables (label stage,
 *   platform stage, port comparators, rule TCAM for both S2 levels, bank bit: the tables model's
 *   lookup), compared exactly. Each difference yields a concrete witness packet, re-run on both
 *   engines (nsg_verify, nsg_tables_verify) so the report quotes their real answers.
 * - nsg_prove_tables(): the same between two table states (an update's intermediate states).
 * - nsg_prove_space(), nsg_prove_diff(): policy questions (allowed/denied space, what one rule
 *   decides, what changes verdict between two configurations) as compact rows of prefixes and
 *   ranges.
 *
 * Every call is self-contained (it starts and stops BuDDy, whose state is process-global): one
 * call at a time per process, not thread-safe. Returns 0 or a negative errno with a message in
 * err: -EINVAL (invalid configuration or query), -ENOMEM (out of memory or BDD nodes),
 * -EPROTO (the symbolic model disagreed with a concrete engine on a sampled packet: a bug). */
#ifndef NSGNIC_PROVE_H
#define NSGNIC_PROVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nsgnic/compile.h"
#include "nsgnic/nsgnic.h"

#ifdef __cplusplus
extern "C" {
#endif

struct nsg_prove_opts {
  size_t max_witnesses;   /* per NIC address and direction (default 4; 0: default) */
  unsigned self_checks;   /* random packets per case re-run on the concrete engines (default 24) */
  uint64_t seed;          /* of those samples */
};
void nsg_prove_opts_default(struct nsg_prove_opts *o);

/* A packet on which the two sides answer differently, with both concrete answers. */
struct nsg_prove_witness {
  char nic[128];
  enum nsg_direction dir;
  int proto;
  char local[64], remote[64];
  uint16_t local_port, remote_port; /* 0 for protocols without ports */
  struct nsg_verdict want, have;    /* reference (or the old/expected tables), tables */
  int want_rc, have_rc;             /* 0, or the engine's negative errno (then *_err says why) */
  char want_err[256], have_err[256];
};

struct nsg_prove_result {
  bool equivalent;
  size_t cases;           /* NIC address x direction */
  struct nsg_prove_witness *w;
  size_t nw;
  double differing;       /* packets on which the sides differ (all cases) */
  double ms;
  size_t bdd_nodes;       /* peak live BDD nodes */
};
void nsg_prove_result_fini(struct nsg_prove_result *r);

/* Compares the reference semantics of cfg with tables t. */
int nsg_prove(const struct nsg_config *cfg, const struct nsg_tables *t, const struct nsg_prove_opts *o,
              struct nsg_prove_result *r, char *err, size_t errlen);
/* Compares two table states: `have` must answer every packet as `want` does. */
int nsg_prove_tables(const struct nsg_tables *want, const struct nsg_tables *have,
                     const struct nsg_prove_opts *o, struct nsg_prove_result *r, char *err, size_t errlen);

/* ---- policy questions ------------------------------------------------------------------------ */
struct nsg_prove_range {
  uint32_t lo, hi;
};

/* One row of a packet set: the product of its fields. Source/destination follow from `dir`
 * (inbound: remote is the source). Protocols without ports have port ranges {0-0}. */
struct nsg_space_row {
  char nic[128];
  enum nsg_direction dir;
  char local[64];                  /* the NIC address */
  struct nsg_prove_range *protos;  /* protocol numbers */
  size_t nprotos;
  char **remote;                   /* remote prefixes, "A/len" */
  size_t nremote;
  bool remote_except;              /* the remote addresses are every address of the local
                                      address's family EXCEPT `remote` (when that is shorter) */
  struct nsg_prove_range *rports, *lports;
  size_t nrports, nlports;
  char what[160];                  /* diff: "Allow -> Deny"; rule: the rule; else "" */
};
struct nsg_space {
  struct nsg_space_row *rows;
  size_t n;
  size_t cases;
};
void nsg_space_free(struct nsg_space *s);
/* Text (one line per row, grouped by NIC and direction) or a JSON array; malloc'd. */
char *nsg_space_text(const struct nsg_space *s);
char *nsg_space_json(const struct nsg_space *s);

enum nsg_space_what { NSG_SPACE_ALLOWED, NSG_SPACE_DENIED, NSG_SPACE_RULE };
struct nsg_space_query {
  const char *nic;           /* NULL: every NIC */
  int dir;                   /* NSG_INBOUND, NSG_OUTBOUND, or -1 for both */
  enum nsg_space_what what;
  const char *rule;          /* NSG_SPACE_RULE: "NSG/NAME" (NAME with or without securityRules/) */
  const char *from, *to;     /* source / destination prefix filters, or NULL */
  int proto;                 /* protocol filter, or -1 */
  int port_lo, port_hi;      /* destination port filter, or -1 */
};
int nsg_prove_space(const struct nsg_config *cfg, const struct nsg_space_query *q, struct nsg_space **out,
                    char *err, size_t errlen);
/* Packets whose verdict differs between old_ and new_ (NIC addresses present in both); rows
 * say "Allow -> Deny" or "Deny -> Allow". `nic` NULL: every NIC. */
int nsg_prove_diff(const struct nsg_config *old_, const struct nsg_config *new_, const char *nic,
                   struct nsg_space **out, char *err, size_t errlen);

#ifdef __cplusplus
}
#endif
#endif

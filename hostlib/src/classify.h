/* SPDX-License-Identifier: Apache-2.0 */
/* The slow path's packet classifiers (private).
 *
 * 1. nsg_bv: a generic first-match multi-field classifier (source and destination address
 *    ranges, source and destination port ranges, protocol value/mask), the algorithm of the
 *    slow path. Family: equivalence-class bit vectors (Lakshman/Stiliadis bit-vector search with
 *    RFC-style phase-0 equivalence classes and an aggregated bit vector, ABV):
 *      build:    per field, a sweep over the sorted range end points yields the elementary
 *                intervals; each interval's set of matching rules (a bit vector, bit i = rule i)
 *                is deduplicated into a class, adjacent intervals of one class are merged.
 *                Within budgets, RFC-style phase-1 cross products (source x destination class;
 *                source port x destination port x protocol class) and, when small, a phase-2
 *                table (cross class x cross class -> first rule).
 *      classify: per field a class (addresses: a first-level table then a branch-free binary
 *                search, in lock step over a burst; ports: a direct table; protocol: a table);
 *                then the cross classes; then the phase-2 entry, or the AND of the class bit
 *                vectors, first their 64:1 aggregates, then only the words the aggregate marks;
 *                the lowest set bit is the first matching rule.
 *    Why (measured, docs/slowpath.md): a rule with several prefixes and port ranges per field (an
 *    Azure augmented rule, S4) is ONE bit, never expanded into the product of its ranges (the
 *    cross products above are of classes, bounded by a budget); build is one sort and one sweep
 *    per field plus the cross products; lookups are a few table reads and two searches per
 *    packet, at or above rte_acl's AVX2 path on the ClassBench sets (docs/slowpath.md).
 * 2. nsg_classifier: the NSG semantics of nsg_verify() (S2, S3, S7, S8, S10, S11, S13) on top
 *    of nsg_bv engines, one per (NSG, direction, family, VNet, local ASG membership). */
#ifndef NSGNIC_CLASSIFY_H
#define NSGNIC_CLASSIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "nsgnic/nsgnic.h"

/* ---- generic engine ------------------------------------------------------------------------ */
#define NSG_BV_NOPORT 65536u /* port value of a packet without ports: only rules whose port field
                                covers everything ([0, 65536]) match it */
struct nsg_bv_range {
  nsg_u128 lo, hi; /* inclusive */
};
struct nsg_bv_rule {
  const struct nsg_bv_range *src, *dst, *sport, *dport; /* ports in 0..NSG_BV_NOPORT */
  size_t nsrc, ndst, nsport, ndport; /* an empty field never matches */
  uint8_t proto, proto_mask;
};
struct nsg_bv_key {
  nsg_u128 src, dst;
  uint32_t sport, dport;
  uint8_t proto;
};
struct nsg_bv_key4 {
  uint32_t src, dst, sport, dport;
  uint8_t proto;
};
struct nsg_bv;

/* Builds an engine over n rules (rule 0 first) for addresses of addr_bits (32 or 128) bits.
 * NULL + errno (ENOMEM, EINVAL). */
struct nsg_bv *nsg_bv_build(unsigned addr_bits, const struct nsg_bv_rule *rules, size_t n);
void nsg_bv_free(struct nsg_bv *c);
/* Index of the first matching rule, or -1. */
long nsg_bv_classify(const struct nsg_bv *c, const struct nsg_bv_key *k);
/* IPv4 engines: out[i] for each of n keys (the benchmark path). */
void nsg_bv_classify4_burst(const struct nsg_bv *c, const struct nsg_bv_key4 *k, long *out, size_t n);
size_t nsg_bv_memory(const struct nsg_bv *c);
size_t nsg_bv_rules(const struct nsg_bv *c);
/* Shape of an engine: per field (src, dst, sport, dport, proto) intervals and classes; classes
 * of the address and port/protocol cross products (0: not built); cross[2]: 1 when the phase-2
 * table (address class x port class -> rule) is built. */
void nsg_bv_shape(const struct nsg_bv *c, size_t intervals[5], size_t classes[5], size_t cross[3]);

/* ---- NSG classifier ------------------------------------------------------------------------ */
struct nsg_classifier;

/* A decision: the same content as struct nsg_verdict, without the strings. */
struct nsg_cls_verdict {
  bool allow;
  uint8_t kind;     /* enum nsg_decision_kind */
  uint8_t platform; /* kind PLATFORM: the enum nsg_platform decision (model.h) */
  int nsg;          /* index into cfg->nsgs, -1 */
  int rule;         /* index into cfg->nsgs[nsg].rules, -1 */
};

/* A packet's 5-tuple seen from a NIC (local = the NIC's address). */
struct nsg_cls_tuple {
  uint8_t fam;
  int proto;
  nsg_u128 local, remote;
  uint16_t lport, rport;
};

/* NULL + errno (EINVAL: configuration not finalized/valid; ENOMEM); message in err. */
struct nsg_classifier *nsg_classifier_new(const struct nsg_config *cfg, char *err, size_t errlen);
void nsg_classifier_free(struct nsg_classifier *c);
/* The local IP configuration with address `a` (an index for nsg_classify), -1 if none; *nic gets
 * the NIC index. Two NICs of different VNets with one address: the first one loaded. */
int nsg_classifier_find_ipc(const struct nsg_classifier *c, uint8_t fam, nsg_u128 a, int *nic);
/* The IP configuration of NIC `nic` with address a, or -1. */
int nsg_classifier_nic_ipc(const struct nsg_classifier *c, int nic, uint8_t fam, nsg_u128 a);
/* Decides a packet for IP configuration `ipc` in direction dir. */
void nsg_classify(const struct nsg_classifier *c, int ipc, enum nsg_direction dir, const struct nsg_cls_tuple *t,
                  struct nsg_cls_verdict *v);
/* Fills a struct nsg_verdict (names, reasons) from a decision. */
void nsg_cls_verdict_fill(const struct nsg_classifier *c, const struct nsg_cls_verdict *cv, struct nsg_verdict *v);
/* nsg_verify() on the classifier: the same contract (errors included). */
int nsg_classifier_verify(const struct nsg_classifier *c, const struct nsg_query *q, struct nsg_verdict *v,
                          char *err, size_t errlen);
/* The NSG indices of an IP configuration's two levels ([0] subnet, [1] NIC; -1 none). */
void nsg_classifier_ipc_nsgs(const struct nsg_classifier *c, int ipc, int nsgs[2]);
/* VNet flow timeout (ns) of an IP configuration's VNet (flowTimeoutInMinutes, default 4 min). */
uint64_t nsg_classifier_flow_timeout(const struct nsg_classifier *c, int ipc);
const struct nsg_config *nsg_classifier_config(const struct nsg_classifier *c);
size_t nsg_classifier_memory(const struct nsg_classifier *c);

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/* Random configurations for the compiler's differential tests: three VNets (one peered), four
 * NICs (one with two IP configurations, IPv4 and IPv6), three ASGs, a Service Tags file with
 * overlapping tags, and NSGs of random rules (tags, ASGs, augmented prefix lists of both
 * families, overlapping port ranges, every protocol) shared between subnets and NICs. */
#ifndef NSGNIC_TEST_COMPILER_GEN_H
#define NSGNIC_TEST_COMPILER_GEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nsgnic/nsgnic.h"

struct gen {
  uint64_t rng;
  char tags_path[64]; /* the Service Tags file written by gen_init */
  bool keep_options;  /* gen_config: reuse the last options instead of drawing new ones */
  struct nsg_options opts;
};

void gen_init(struct gen *g, uint64_t seed);
void gen_fini(struct gen *g);
unsigned gen_rnd(struct gen *g, unsigned n);

/* A random NSG resource (JSON object) named `name` with up to `maxrules` custom rules. */
char *gen_nsg_json(struct gen *g, const char *name, unsigned maxrules);
/* One random rule named r<idx> with the given priority (JSON object). */
char *gen_rule_json(struct gen *g, unsigned idx, unsigned priority);
/* An NSG resource from rule objects. */
char *gen_nsg_from_rules(const char *name, char *const *rules, size_t n);
/* The topology with the subnet and NIC NSG bindings picked at random among `nsgs`. */
char *gen_topology_json(struct gen *g, const char *const *nsgs, size_t n);
/* Loads topology + NSG JSON (and the tags file) with random options; NULL if the validator
 * rejected it (random duplicates, mixed families): the caller skips it. */
struct nsg_config *gen_config(struct gen *g, const char *topology, const char *const *nsg_json, size_t n);

/* A random query on a random NIC address: boundary addresses and ports from the pools. The
 * strings live in *q until the next call. */
void gen_query(struct gen *g, struct nsg_query *q);

#endif

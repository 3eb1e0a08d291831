/* SPDX-License-Identifier: Apache-2.0 */
/* IPv4/IPv6 addresses, prefixes and prefix-set algebra (interval lists) for the host library.
 * Addresses are 128-bit integers plus a family; IPv4 lives in the low 32 bits. */
#ifndef NSGNIC_ADDR_H
#define NSGNIC_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

__extension__ typedef unsigned __int128 nsg_u128;

enum { NSG_AF4 = 4, NSG_AF6 = 6 };

struct nsg_ip {
  uint8_t fam; /* NSG_AF4 or NSG_AF6 */
  nsg_u128 v;
};

struct nsg_prefix {
  uint8_t fam; /* NSG_AF4 or NSG_AF6 */
  uint8_t len; /* 0..32 or 0..128 */
  nsg_u128 v;  /* network address (host bits zero) */
};

/* Parses a bare address. Returns 0, or -EINVAL. */
int nsg_ip_parse(const char *s, struct nsg_ip *out);
/* Parses "A/len" or a bare address (host prefix). *host_bits_set reports a non-canonical
 * prefix (the stored value is masked). Returns 0, or -EINVAL. */
int nsg_prefix_parse(const char *s, struct nsg_prefix *out, bool *host_bits_set);
/* Formats into buf (>= 64 bytes). A host prefix prints with its length ("10.0.0.4/32"). */
void nsg_ip_format(const struct nsg_ip *ip, char *buf, size_t n);
void nsg_prefix_format(const struct nsg_prefix *p, char *buf, size_t n);

unsigned nsg_af_bits(uint8_t fam);
nsg_u128 nsg_prefix_first(const struct nsg_prefix *p);
nsg_u128 nsg_prefix_last(const struct nsg_prefix *p);
bool nsg_prefix_contains(const struct nsg_prefix *p, const struct nsg_ip *ip);
bool nsg_prefix_covers(const struct nsg_prefix *outer, const struct nsg_prefix *inner);
bool nsg_ip_equal(const struct nsg_ip *a, const struct nsg_ip *b);

/* A set of addresses of one family as sorted, disjoint, non-adjacent closed intervals. */
struct nsg_range {
  nsg_u128 lo, hi;
};
struct nsg_rset {
  uint8_t fam;
  size_t n, cap;
  struct nsg_range *r;
};

void nsg_rset_init(struct nsg_rset *s, uint8_t fam);
void nsg_rset_free(struct nsg_rset *s);
int nsg_rset_add(struct nsg_rset *s, nsg_u128 lo, nsg_u128 hi); /* union in; -ENOMEM */
int nsg_rset_add_prefix(struct nsg_rset *s, const struct nsg_prefix *p);
int nsg_rset_subtract(struct nsg_rset *s, const struct nsg_rset *minus); /* s -= minus */
bool nsg_rset_contains(const struct nsg_rset *s, nsg_u128 v);
/* Minimal CIDR cover of the set; *out is malloc'd. Returns the count, or -ENOMEM. */
long nsg_rset_to_prefixes(const struct nsg_rset *s, struct nsg_prefix **out);

#endif

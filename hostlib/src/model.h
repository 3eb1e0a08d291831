/* SPDX-License-Identifier: Apache-2.0 */
/* Private model of a loaded configuration, shared by the loader, the reference evaluator, the
 * effective-rules view and the compiler. Everything is owned by struct nsg_config; indices
 * (not pointers) link resources so arrays may grow while loading.
 *
 * Design: loading is two-phase. nsg_config_load_* parse JSON into these structures with the
 * referenced ids kept as strings (`*_ref`); nsg_config_finalize() resolves every reference
 * case-insensitively, builds the tag table, sorts rules into evaluation order and validates.
 * Only a finalized configuration with zero errors is ever evaluated. */
#ifndef NSGNIC_MODEL_H
#define NSGNIC_MODEL_H

#include "addr.h"
#include "nsgnic/nsgnic.h"

enum nsg_access { NSG_ALLOW = 0, NSG_DENY = 1 };
#define NSG_PROTO_ANY (-1)

/* Built-in tags; service tags from files follow at NSG_TAG_FIRST_FILE. */
enum nsg_builtin_tag {
  NSG_TAG_VIRTUAL_NETWORK = 0, /* per VNet: address space + peerings (S7) */
  NSG_TAG_INTERNET,            /* per VNet: public space minus VirtualNetwork (S7) */
  NSG_TAG_AZURE_LOAD_BALANCER, /* 168.63.129.16/32 */
  NSG_TAG_PLATFORM_DNS,        /* 168.63.129.16/32 (S10) */
  NSG_TAG_PLATFORM_IMDS,       /* 169.254.169.254/32 (S10) */
  NSG_TAG_PLATFORM_LKM,        /* the KMS addresses (S11) */
  NSG_TAG_FIRST_FILE
};

enum nsg_item_kind { NSG_ITEM_ANY, NSG_ITEM_PREFIX, NSG_ITEM_TAG, NSG_ITEM_ASG };

/* One element of a rule's source or destination. */
struct nsg_item {
  enum nsg_item_kind kind;
  struct nsg_prefix pfx; /* NSG_ITEM_PREFIX */
  bool both_families;    /* PREFIX 0.0.0.0/0: matches IPv4 and IPv6 (S3) */
  int tag;               /* NSG_ITEM_TAG: index into cfg->tags */
  int asg;               /* NSG_ITEM_ASG: index into cfg->asgs */
  char *text;            /* as written (tag name, prefix, ASG id) */
};

struct nsg_portrange {
  uint16_t lo, hi;
};

struct nsg_rule {
  char *name;
  char *description;
  int priority;
  enum nsg_direction dir;
  enum nsg_access access;
  int proto;              /* NSG_PROTO_ANY or 6/17/1/50/51 */
  char *proto_text;       /* as written */
  struct nsg_item *src, *dst;
  size_t nsrc, ndst;
  struct nsg_portrange *sports, *dports; /* never empty: `*` is 0-65535 */
  size_t nsports, ndports;
  bool sports_full, dports_full;         /* union covers 0-65535 */
  bool is_default;
  bool names_platform_tag; /* names AzurePlatformDNS/IMDS/LKM (S10) */
  int src_tags, dst_tags, src_asgs, dst_asgs; /* counts, for validation */
  bool src_plural, dst_plural; /* addresses came from the plural field (for messages) */
};

struct nsg_nsg {
  char *id, *name, *file;
  bool classic;
  bool flush_connection;  /* S5 flushConnection */
  struct nsg_rule *rules; /* after finalize: custom rules sorted by (dir, priority), then the
                             six defaults (inbound three, outbound three) */
  size_t nrules, ncustom;
  char *default_names[6]; /* spelling from input defaultSecurityRules, or NULL */
};

struct nsg_peering {
  char *name;
  char *remote_vnet_ref; /* id, may be NULL */
  int remote_vnet;       /* resolved index or -1 */
  struct nsg_prefix *prefixes; /* remoteAddressSpace, may be empty */
  size_t nprefixes;
  bool connected;        /* peeringState absent or Connected */
};

struct nsg_subnet {
  char *id, *name;
  struct nsg_prefix *prefixes;
  size_t nprefixes;
  char *nsg_ref;
  int nsg; /* -1: none */
  int vnet;
  char *rt_ref; /* routeTable.id, may be NULL */
  int rt;       /* index into cfg->rtables, -1: none */
  int scope;    /* index into cfg->scopes (computed by finalize) */
};

/* A user-defined route (Microsoft.Network/routeTables routes[]). */
enum nsg_next_hop { NSG_HOP_VIRTUAL_NETWORK_GATEWAY, NSG_HOP_VNET_LOCAL, NSG_HOP_INTERNET,
                    NSG_HOP_VIRTUAL_APPLIANCE, NSG_HOP_NONE };
struct nsg_route {
  char *name;
  char *prefix_text;     /* addressPrefix as written: a CIDR prefix or a service tag */
  struct nsg_prefix pfx; /* when tag < 0 */
  bool is_tag;
  int tag;               /* index into cfg->tags when is_tag (resolved by finalize) */
  enum nsg_next_hop hop;
  struct nsg_ip hop_ip;  /* nextHopIpAddress (VirtualAppliance) */
};

struct nsg_rtable {
  char *id, *name, *file;
  struct nsg_route *routes;
  size_t nroutes;
};

/* The evaluation scope of a NIC: its subnet's VNet and route table (S7 revised: VirtualNetwork
 * holds the UDR prefixes of the subnet's route table; S11: KMS is off under a 0.0.0.0/0 UDR).
 * Subnets of one VNet with the same route table (or none) share a scope. The compiler gives
 * each scope one label context. */
struct nsg_scope {
  int vnet;
  int rt;                     /* -1: no route table */
  struct nsg_rset vnet_tag[2]; /* VirtualNetwork of this scope, [0] IPv4, [1] IPv6 */
  bool kms_off;               /* a UDR for 0.0.0.0/0 (forced tunnelling, S11) */
};

struct nsg_vnet {
  char *id, *name, *file;
  struct nsg_prefix *space;
  size_t nspace;
  struct nsg_peering *peerings;
  size_t npeerings;
  int flow_timeout_min;   /* 0: not set (default 4) */
  /* computed by finalize: address spaces connected through gateways (on-premises networks of
   * site-to-site/ExpressRoute connections, VNets of VNet-to-VNet connections), part of
   * VirtualNetwork (S7) */
  struct nsg_prefix *connected;
  size_t nconnected;
  /* computed by finalize, as interval sets per family: the VNet's own part of VirtualNetwork
   * (address spaces, peerings, gateway connections; a scope adds the host IP and its UDRs) and
   * Internet (public space minus that own part, S7) */
  struct nsg_rset vnet_tag[2], internet_tag[2]; /* [0] IPv4, [1] IPv6 */
};

struct nsg_ipconfig {
  char *name;
  struct nsg_ip ip;
  bool has_ip;
  char *subnet_ref;
  int subnet; /* index into cfg->subnets */
  char **asg_refs;
  int *asgs;
  size_t nasgs;
};

struct nsg_nic {
  char *id, *name, *file;
  char *nsg_ref;
  int nsg; /* -1: none */
  struct nsg_ipconfig *ipcs;
  size_t nipcs;
  int vnet; /* of the primary (first) ipconfig */
  uint8_t mac[6]; /* properties.macAddress ("00-0D-3A-..."); all zero when absent */
  bool has_mac;
};

struct nsg_asg {
  char *id, *name, *file;
  int vnet;       /* VNet of the first NIC assigned, -1 if none */
  int first_nic;  /* that NIC */
};

/* On-premises network (Microsoft.Network/localNetworkGateways). */
struct nsg_lng {
  char *id, *name, *file;
  struct nsg_prefix *prefixes; /* localNetworkAddressSpace.addressPrefixes */
  size_t nprefixes;
};

/* Microsoft.Network/virtualNetworkGateways: only the VNet it lives in matters. */
struct nsg_vgw {
  char *id, *name, *file;
  char *subnet_ref; /* ipConfigurations[0].subnet.id (the GatewaySubnet) */
  int vnet;
};

/* Microsoft.Network/connections: gateway 1 to a local network gateway or to gateway 2. */
struct nsg_conn {
  char *id, *name, *file;
  char *gw1_ref, *gw2_ref, *lng_ref;
};

struct nsg_tag {
  char *name;
  struct nsg_prefix *prefixes;
  size_t nprefixes;
  struct nsg_rset set[2]; /* [0] IPv4, [1] IPv6 (not used for VirtualNetwork/Internet) */
};

struct nsg_config {
  struct nsg_options opts;
  struct nsg_nsg *nsgs;
  size_t nnsgs, cap_nsgs;
  struct nsg_vnet *vnets;
  size_t nvnets, cap_vnets;
  struct nsg_subnet *subnets;
  size_t nsubnets, cap_subnets;
  struct nsg_nic *nics;
  size_t nnics, cap_nics;
  struct nsg_asg *asgs;
  size_t nasgs, cap_asgs;
  struct nsg_tag *tags;
  size_t ntags, cap_tags;
  struct nsg_lng *lngs;
  size_t nlngs, cap_lngs;
  struct nsg_vgw *vgws;
  size_t nvgws, cap_vgws;
  struct nsg_conn *conns;
  size_t nconns, cap_conns;
  struct nsg_rtable *rtables;
  size_t nrtables, cap_rtables;
  struct nsg_scope *scopes;
  size_t nscopes;
  struct nsg_prefix kms[8];
  size_t nkms;
  unsigned errors, warnings;
  bool finalized;
  struct nsg_rset nonpublic[2]; /* S7 non-public space per family */
};

static inline int nsg_fam_index(uint8_t fam) { return fam == NSG_AF6 ? 1 : 0; }

/* Diagnostics: "FILE: RESOURCE: RULE: field 'F': message". Any of the parts may be NULL. */
void nsg_diag(struct nsg_config *cfg, enum nsg_log_level lvl, const char *file, const char *res,
              const char *rule, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

int nsg_strcaseeq(const char *a, const char *b);
char *nsg_strdup(const char *s);

/* Finalize steps (load.c / validate.c). */
int nsg_link_and_validate(struct nsg_config *cfg);

/* Reference evaluator pieces (eval.c), also used by the effective-rules view and tests. */
const struct nsg_nic *nsg_find_nic(const struct nsg_config *cfg, const char *name_or_id);
/* The checks every verify engine makes on a query: both addresses valid and of one family, the
 * protocol a number 0..255. Returns 0, or -EINVAL with the message in err. */
int nsg_query_parse(const struct nsg_query *q, struct nsg_ip *local, struct nsg_ip *remote, char *err,
                    size_t errlen);
bool nsg_item_matches(const struct nsg_config *cfg, const struct nsg_item *it, int scope,
                      const struct nsg_ipconfig *local_ipc, bool local_side,
                      const struct nsg_ip *addr);
bool nsg_rule_matches(const struct nsg_config *cfg, const struct nsg_rule *r, int scope,
                      const struct nsg_ipconfig *local_ipc, enum nsg_direction dir, int proto,
                      const struct nsg_ip *local, uint16_t lport, const struct nsg_ip *remote,
                      uint16_t rport);
/* S3: does a rule's protocol (NSG_PROTO_ANY or a number) match a packet's protocol? */
bool nsg_proto_matches(int rule_proto, int pkt_proto, uint8_t fam);
/* S13: does the configured subscription type block outbound TCP 25 to the Internet? */
bool nsg_s13_blocks(const struct nsg_config *cfg);
bool nsg_addr_public(const struct nsg_config *cfg, const struct nsg_ip *a);
/* Steps 1-2 of a decision (S13, S10/S11): what the platform does with a packet before the NSG
 * levels. rport is the remote port (0 for protocols without ports); *reason says why (NULL for
 * NONE). EXEMPT: only rules naming a platform tag apply. The answer depends on the remote
 * address only through address sets of the model, on the protocol only through whether it is
 * one of nsg_platform_protos, and on the port only at the nsg_platform_ports (the prover's cut
 * points: keep both lists complete when the function changes). */
enum nsg_platform { NSG_PLATFORM_NONE, NSG_PLATFORM_BLOCK, NSG_PLATFORM_EXEMPT };
enum nsg_platform nsg_platform_decision(const struct nsg_config *cfg, int scope, enum nsg_direction dir, int proto,
                                        const struct nsg_ip *remote, uint16_t rport, const char **reason);
extern const uint16_t nsg_platform_ports[];
extern const size_t nsg_platform_nports;
extern const int nsg_platform_protos[];
extern const size_t nsg_platform_nprotos;
/* S7 (revised): is a in VirtualNetwork of a scope (struct nsg_scope)? The evaluation functions
 * take the scope of the local IP configuration's subnet (cfg->subnets[i].scope). */
bool nsg_addr_in_vnet_tag(const struct nsg_config *cfg, int scope, const struct nsg_ip *a);
const char *nsg_default_rule_name(const struct nsg_nsg *n, size_t default_index);

#endif

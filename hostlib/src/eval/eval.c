/* SPDX-License-Identifier: Apache-2.0 */
/* The reference evaluator: IP flow verify (S9) exactly as nsg-semantics.md states it, written
 * for obvious correctness rather than speed. It is the oracle that every other engine (compiled
 * tables, the co-simulated NIC, the slow-path classifier) is compared against.
 *
 * Order of a decision for NIC n, direction d, packet p:
 *   1. S13: outbound TCP to port 25 with the remote address in Internet, on a subscription type
 *      that blocks it -> Deny ("platform").
 *   2. S10 (revised) / S11, outbound: TCP 80/32526 and UDP 67/68 to 168.63.129.16 are allowed
 *      ("platform", no NSG applies); TCP/UDP 53 to 168.63.129.16, TCP 80 to 169.254.169.254 and
 *      TCP 1688 to a KMS address (not under a 0.0.0.0/0 UDR or --forced-tunneling) are "exempt":
 *      only rules naming the service's tag (AzurePlatformDNS / IMDS / LKM) apply, in priority
 *      order per level; if none decides Deny, it is allowed (reported as the allowing tag rule,
 *      else "platform"). Every other packet to those addresses goes to the rules.
 *   3. S2: inbound = subnet NSG then NIC NSG; outbound = NIC NSG then subnet NSG. A level without
 *      NSG allows. In each NSG the first matching rule (priority order, S3) decides. The first
 *      Deny ends evaluation; otherwise the allowing rule of the last level evaluated is reported. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

const struct nsg_nic *nsg_find_nic(const struct nsg_config *cfg, const char *name_or_id)
{
  for (size_t i = 0; i < cfg->nnics; i++)
    if ((cfg->nics[i].id && nsg_strcaseeq(cfg->nics[i].id, name_or_id)) ||
        nsg_strcaseeq(cfg->nics[i].name, name_or_id))
      return &cfg->nics[i];
  return NULL;
}

bool nsg_addr_public(const struct nsg_config *cfg, const struct nsg_ip *a)
{
  return !nsg_rset_contains(&cfg->nonpublic[nsg_fam_index(a->fam)], a->v);
}

/* The VNet's own part of VirtualNetwork: its address spaces, gateway-connected spaces and
 * connected peerings (S7). Internet is public space outside this part. */
static bool in_vnet_own(const struct nsg_config *cfg, int vnet, const struct nsg_ip *a)
{
  const struct nsg_vnet *v = &cfg->vnets[vnet];
  for (size_t i = 0; i < v->nspace; i++)
    if (nsg_prefix_contains(&v->space[i], a))
      return true;
  for (size_t i = 0; i < v->nconnected; i++)
    if (nsg_prefix_contains(&v->connected[i], a))
      return true;
  for (size_t k = 0; k < v->npeerings; k++) {
    const struct nsg_peering *p = &v->peerings[k];
    if (!p->connected)
      continue;
    const struct nsg_prefix *pl = p->prefixes;
    size_t n = p->nprefixes;
    if (n == 0 && p->remote_vnet >= 0) {
      pl = cfg->vnets[p->remote_vnet].space;
      n = cfg->vnets[p->remote_vnet].nspace;
    }
    for (size_t j = 0; j < n; j++)
      if (nsg_prefix_contains(&pl[j], a))
        return true;
  }
  return false;
}

/* S7 (revised): VirtualNetwork of a scope = the VNet's own part, the host IP 168.63.129.16 and
 * the prefix of every route of the subnet's route table (a tag route: the tag's prefixes), per
 * family. */
bool nsg_addr_in_vnet_tag(const struct nsg_config *cfg, int scope, const struct nsg_ip *a)
{
  const struct nsg_scope *sc = &cfg->scopes[scope];
  if (in_vnet_own(cfg, sc->vnet, a))
    return true;
  if (a->fam == NSG_AF4 && (uint32_t)a->v == 0xa83f8110u) /* 168.63.129.16 */
    return true;
  if (sc->rt < 0)
    return false;
  const struct nsg_rtable *t = &cfg->rtables[sc->rt];
  for (size_t i = 0; i < t->nroutes; i++) {
    const struct nsg_route *r = &t->routes[i];
    if (!r->is_tag) {
      if (nsg_prefix_contains(&r->pfx, a))
        return true;
      continue;
    }
    const struct nsg_tag *tg = &cfg->tags[r->tag];
    for (size_t k = 0; k < tg->nprefixes; k++)
      if (nsg_prefix_contains(&tg->prefixes[k], a))
        return true;
  }
  return false;
}

static bool in_tag(const struct nsg_config *cfg, int tag, int scope, const struct nsg_ip *a)
{
  switch (tag) {
  case NSG_TAG_VIRTUAL_NETWORK:
    return nsg_addr_in_vnet_tag(cfg, scope, a);
  case NSG_TAG_INTERNET: /* S7: public and outside the VNet's own spaces (not its UDRs, host IP) */
    return nsg_addr_public(cfg, a) && !in_vnet_own(cfg, cfg->scopes[scope].vnet, a);
  default: {
    const struct nsg_tag *t = &cfg->tags[tag];
    for (size_t i = 0; i < t->nprefixes; i++)
      if (nsg_prefix_contains(&t->prefixes[i], a))
        return true;
    return false;
  }
  }
}

/* S8: the local side is a member when its IP configuration is; the remote side when the remote
 * address is the address of an IP configuration that is a member. */
static bool in_asg(const struct nsg_config *cfg, int asg, const struct nsg_ipconfig *local_ipc,
                   bool local_side, const struct nsg_ip *a)
{
  if (local_side) {
    for (size_t i = 0; i < local_ipc->nasgs; i++)
      if (local_ipc->asgs[i] == asg)
        return true;
    return false;
  }
  for (size_t n = 0; n < cfg->nnics; n++)
    for (size_t k = 0; k < cfg->nics[n].nipcs; k++) {
      const struct nsg_ipconfig *c = &cfg->nics[n].ipcs[k];
      if (!c->has_ip || !nsg_ip_equal(&c->ip, a))
        continue;
      for (size_t i = 0; i < c->nasgs; i++)
        if (c->asgs[i] == asg)
          return true;
    }
  return false;
}

bool nsg_item_matches(const struct nsg_config *cfg, const struct nsg_item *it, int scope,
                      const struct nsg_ipconfig *local_ipc, bool local_side, const struct nsg_ip *addr)
{
  switch (it->kind) {
  case NSG_ITEM_ANY:
    return true;
  case NSG_ITEM_PREFIX: /* S3: 0.0.0.0/0 matches both families; other prefixes their own */
    return it->both_families || nsg_prefix_contains(&it->pfx, addr);
  case NSG_ITEM_TAG:
    return in_tag(cfg, it->tag, scope, addr);
  case NSG_ITEM_ASG:
    return in_asg(cfg, it->asg, local_ipc, local_side, addr);
  }
  return false;
}

static bool items_match(const struct nsg_config *cfg, const struct nsg_item *it, size_t n, int scope,
                        const struct nsg_ipconfig *local_ipc, bool local_side, const struct nsg_ip *a)
{
  for (size_t i = 0; i < n; i++)
    if (nsg_item_matches(cfg, &it[i], scope, local_ipc, local_side, a))
      return true;
  return false;
}

static bool port_in(const struct nsg_portrange *r, size_t n, uint16_t p)
{
  for (size_t i = 0; i < n; i++)
    if (r[i].lo <= p && p <= r[i].hi)
      return true;
  return false;
}

bool nsg_proto_matches(int rule_proto, int pkt_proto, uint8_t fam)
{
  if (rule_proto == NSG_PROTO_ANY)
    return true;
  if (rule_proto == 1) /* S3: Icmp means ICMP for IPv4; ICMPv6 only matches '*' */
    return pkt_proto == 1 && fam == NSG_AF4;
  return rule_proto == pkt_proto;
}

bool nsg_rule_matches(const struct nsg_config *cfg, const struct nsg_rule *r, int scope,
                      const struct nsg_ipconfig *local_ipc, enum nsg_direction dir, int proto,
                      const struct nsg_ip *local, uint16_t lport, const struct nsg_ip *remote,
                      uint16_t rport)
{
  if (r->dir != dir || !nsg_proto_matches(r->proto, proto, local->fam))
    return false;
  bool out = dir == NSG_OUTBOUND;
  const struct nsg_ip *src = out ? local : remote, *dst = out ? remote : local;
  uint16_t sport = out ? lport : rport, dport = out ? rport : lport;
  if (proto == 6 || proto == 17) {
    if (!port_in(r->sports, r->nsports, sport) || !port_in(r->dports, r->ndports, dport))
      return false;
  } else if (!r->sports_full || !r->dports_full) { /* S3: no ports: only full ranges match */
    return false;
  }
  return items_match(cfg, r->src, r->nsrc, scope, local_ipc, out, src) &&
         items_match(cfg, r->dst, r->ndst, scope, local_ipc, !out, dst);
}

int nsg_protocol_parse(const char *s, bool v6, int *out)
{
  static const struct { const char *name; int v4, v6; } t[] = {
      {"tcp", 6, 6}, {"udp", 17, 17}, {"icmp", 1, 58}, {"icmpv6", 58, 58},
      {"esp", 50, 50}, {"ah", 51, 51}, {"*", -1, -1}, {"any", -1, -1},
  };
  for (size_t i = 0; i < sizeof t / sizeof *t; i++)
    if (nsg_strcaseeq(s, t[i].name)) {
      *out = v6 ? t[i].v6 : t[i].v4;
      return 0;
    }
  char *end;
  if (*s < '0' || *s > '9' || strlen(s) > 3 || (s[0] == '0' && s[1])) /* digits only: no space, sign, 010 */
    return -EINVAL;
  long v = strtol(s, &end, 10);
  if (*end || v > 255)
    return -EINVAL;
  *out = (int)v;
  return 0;
}

bool nsg_s13_blocks(const struct nsg_config *cfg)
{
  return nsg_subscription_blocks_port25(&cfg->opts);
}

static void set_rule(struct nsg_verdict *v, const struct nsg_nsg *n, const struct nsg_rule *r)
{
  v->kind = NSG_DECIDED_BY_RULE;
  snprintf(v->rule_name, sizeof v->rule_name, "%s/%s", r->is_default ? "defaultSecurityRules" : "securityRules",
           r->name);
  snprintf(v->nsg_name, sizeof v->nsg_name, "%s", n->name);
}

int nsg_query_parse(const struct nsg_query *q, struct nsg_ip *local, struct nsg_ip *remote, char *err,
                    size_t errlen)
{
  if (!q->local || nsg_ip_parse(q->local, local) < 0) {
    snprintf(err, errlen, "local address '%s' is not a valid IP address", q->local ? q->local : "");
    return -EINVAL;
  }
  if (!q->remote || nsg_ip_parse(q->remote, remote) < 0) {
    snprintf(err, errlen, "remote address '%s' is not a valid IP address", q->remote ? q->remote : "");
    return -EINVAL;
  }
  if (local->fam != remote->fam) {
    snprintf(err, errlen, "local address %s and remote address %s are of different families", q->local, q->remote);
    return -EINVAL;
  }
  if (q->proto < 0 || q->proto > 255) {
    snprintf(err, errlen, "protocol %d is not an IP protocol number (0..255)", q->proto);
    return -EINVAL;
  }
  return 0;
}

const uint16_t nsg_platform_ports[] = {25, 53, 67, 68, 80, 1688, 32526};
const size_t nsg_platform_nports = sizeof nsg_platform_ports / sizeof *nsg_platform_ports;
const int nsg_platform_protos[] = {6, 17};
const size_t nsg_platform_nprotos = sizeof nsg_platform_protos / sizeof *nsg_platform_protos;

static bool in_builtin_tag(const struct nsg_config *cfg, int tag, const struct nsg_ip *a)
{
  for (size_t i = 0; i < cfg->tags[tag].nprefixes; i++)
    if (nsg_prefix_contains(&cfg->tags[tag].prefixes[i], a))
      return true;
  return false;
}

const char *nsg_platform_reason(enum nsg_platform d)
{
  switch (d) {
  case NSG_PLATFORM_BLOCK: return "outbound TCP port 25 to the Internet is blocked for this subscription type (S13)";
  case NSG_PLATFORM_ALLOW: return "WireServer / DHCP at 168.63.129.16, not subject to NSGs (S10)";
  case NSG_PLATFORM_EXEMPT_DNS: return "Azure DNS at 168.63.129.16 (S10)";
  case NSG_PLATFORM_EXEMPT_IMDS: return "instance metadata at 169.254.169.254 (S10)";
  case NSG_PLATFORM_EXEMPT_LKM: return "Windows activation (KMS) platform rule (S11)";
  default: return NULL;
  }
}

/* S13, then the S10 table (revised 2026-12) and S11, outbound only. */
enum nsg_platform nsg_platform_decision(const struct nsg_config *cfg, int scope, enum nsg_direction dir, int proto,
                                        const struct nsg_ip *remote, uint16_t rport, const char **reason)
{
  *reason = NULL;
  if (dir != NSG_OUTBOUND)
    return NSG_PLATFORM_NONE;
  /* 1. S13 */
  if (proto == 6 && rport == 25 && nsg_s13_blocks(cfg) && in_tag(cfg, NSG_TAG_INTERNET, scope, remote)) {
    *reason = nsg_platform_reason(NSG_PLATFORM_BLOCK);
    return NSG_PLATFORM_BLOCK;
  }
  if (!cfg->opts.platform_exemption)
    return NSG_PLATFORM_NONE;
  /* 2. S10: per service; any other protocol or port to the host IPs: the rules decide */
  bool wire = in_builtin_tag(cfg, NSG_TAG_PLATFORM_DNS, remote); /* 168.63.129.16 */
  if (wire && proto == 6 && (rport == 80 || rport == 32526)) {
    *reason = nsg_platform_reason(NSG_PLATFORM_ALLOW);
    return NSG_PLATFORM_ALLOW;
  }
  if (wire && proto == 17 && (rport == 67 || rport == 68)) {
    *reason = nsg_platform_reason(NSG_PLATFORM_ALLOW);
    return NSG_PLATFORM_ALLOW;
  }
  if (wire && (proto == 6 || proto == 17) && rport == 53) {
    *reason = nsg_platform_reason(NSG_PLATFORM_EXEMPT_DNS);
    return NSG_PLATFORM_EXEMPT_DNS;
  }
  if (proto == 6 && rport == 80 && in_builtin_tag(cfg, NSG_TAG_PLATFORM_IMDS, remote)) {
    *reason = nsg_platform_reason(NSG_PLATFORM_EXEMPT_IMDS);
    return NSG_PLATFORM_EXEMPT_IMDS;
  }
  /* S11: not for a NIC whose subnet's route table has 0.0.0.0/0 */
  if (proto == 6 && rport == 1688 && !cfg->scopes[scope].kms_off)
    for (size_t i = 0; i < cfg->nkms; i++)
      if (nsg_prefix_contains(&cfg->kms[i], remote)) {
        *reason = nsg_platform_reason(NSG_PLATFORM_EXEMPT_LKM);
        return NSG_PLATFORM_EXEMPT_LKM;
      }
  return NSG_PLATFORM_NONE;
}

int nsg_verify(const struct nsg_config *cfg, const struct nsg_query *q, struct nsg_verdict *v,
               char *err, size_t errlen)
{
  memset(v, 0, sizeof *v);
  if (!cfg->finalized || cfg->errors) {
    snprintf(err, errlen, "the configuration is not valid; fix its errors first");
    return -EINVAL;
  }
  const struct nsg_nic *nic = nsg_find_nic(cfg, q->nic);
  if (!nic) {
    snprintf(err, errlen, "no network interface named '%s' in the configuration", q->nic);
    return -ENOENT;
  }
  struct nsg_ip local, remote;
  int qrc = nsg_query_parse(q, &local, &remote, err, errlen);
  if (qrc < 0)
    return qrc;
  const struct nsg_ipconfig *ipc = NULL;
  for (size_t i = 0; i < nic->nipcs; i++)
    if (nic->ipcs[i].has_ip && nsg_ip_equal(&nic->ipcs[i].ip, &local))
      ipc = &nic->ipcs[i];
  if (!ipc) {
    snprintf(err, errlen, "local address %s is not an address of network interface '%s'", q->local, nic->name);
    return -EINVAL;
  }
  const struct nsg_subnet *subnet = &cfg->subnets[ipc->subnet];
  int scope = subnet->scope;
  bool l4 = q->proto == 6 || q->proto == 17;
  uint16_t lport = l4 ? q->local_port : 0, rport = l4 ? q->remote_port : 0;

  /* 1. S13, 2. S10/S11 */
  const char *exempt = NULL; /* why the traffic is exempt, when it is */
  enum nsg_platform pd = nsg_platform_decision(cfg, scope, q->dir, q->proto, &remote, rport, &exempt);
  unsigned exempt_tag = NSG_PLATFORM_TAG_BIT(pd); /* rules naming this tag apply, no others */
  if (pd == NSG_PLATFORM_BLOCK || pd == NSG_PLATFORM_ALLOW) {
    v->allow = pd == NSG_PLATFORM_ALLOW;
    v->kind = NSG_DECIDED_BY_PLATFORM;
    snprintf(v->reason, sizeof v->reason, "%s", exempt);
    return 0;
  }
  if (!exempt_tag)
    exempt = NULL;
  /* 3. S2 levels */
  int levels[2];
  if (q->dir == NSG_INBOUND) {
    levels[0] = subnet->nsg;
    levels[1] = nic->nsg;
  } else {
    levels[0] = nic->nsg;
    levels[1] = subnet->nsg;
  }
  const struct nsg_nsg *last_nsg = NULL;
  const struct nsg_rule *last_rule = NULL;
  for (int l = 0; l < 2; l++) {
    if (levels[l] < 0)
      continue; /* S2: a level without NSG allows */
    const struct nsg_nsg *n = &cfg->nsgs[levels[l]];
    const struct nsg_rule *hit = NULL;
    for (size_t i = 0; i < n->nrules && !hit; i++) {
      const struct nsg_rule *r = &n->rules[i];
      if (exempt && !(r->platform_tags & exempt_tag))
        continue;
      if (nsg_rule_matches(cfg, r, scope, ipc, q->dir, q->proto, &local, lport, &remote, rport))
        hit = r;
    }
    if (!hit)
      continue; /* only possible for exempt traffic: the exemption allows at this level */
    if (hit->access == NSG_DENY) {
      v->allow = false;
      set_rule(v, n, hit);
      return 0;
    }
    last_nsg = n;
    last_rule = hit;
  }
  v->allow = true;
  if (last_rule) {
    set_rule(v, last_nsg, last_rule);
  } else if (exempt) {
    v->kind = NSG_DECIDED_BY_PLATFORM;
    snprintf(v->reason, sizeof v->reason, "%s", exempt);
  } else {
    v->kind = NSG_DECIDED_NO_NSG;
  }
  return 0;
}

/* SPDX-License-Identifier: Apache-2.0 */
/* Phase 2 of loading: resolve every id reference (case-insensitively, as Azure does), compute
 * the per-VNet VirtualNetwork and Internet tags (S7), append the default rules (S6), sort rules
 * into evaluation order, and validate S1..S14. Every problem is reported; nothing is used
 * unless the whole configuration is free of errors. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

/* Does reference `ref` name the resource with `id` (may be NULL) and `suffix`
 * ("/networkSecurityGroups/NAME")? Ids compare case-insensitively; a resource loaded without an
 * id is matched by the type/name tail of the reference. */
static bool ref_matches(const char *ref, const char *id, const char *suffix)
{
  if (id)
    return nsg_strcaseeq(ref, id);
  size_t lr = strlen(ref), ls = strlen(suffix);
  return lr >= ls && nsg_strcaseeq(ref + lr - ls, suffix);
}

static int find_nsg(const struct nsg_config *cfg, const char *ref)
{
  char suf[300];
  for (size_t i = 0; i < cfg->nnsgs; i++) {
    snprintf(suf, sizeof suf, "/networkSecurityGroups/%s", cfg->nsgs[i].name);
    if (ref_matches(ref, cfg->nsgs[i].id, suf))
      return (int)i;
  }
  return -1;
}

static int find_vnet(const struct nsg_config *cfg, const char *ref)
{
  char suf[300];
  for (size_t i = 0; i < cfg->nvnets; i++) {
    snprintf(suf, sizeof suf, "/virtualNetworks/%s", cfg->vnets[i].name);
    if (ref_matches(ref, cfg->vnets[i].id, suf))
      return (int)i;
  }
  return -1;
}

static int find_subnet(const struct nsg_config *cfg, const char *ref)
{
  char suf[600];
  for (size_t i = 0; i < cfg->nsubnets; i++) {
    const struct nsg_subnet *s = &cfg->subnets[i];
    if (nsg_strcaseeq(ref, s->id))
      return (int)i;
    snprintf(suf, sizeof suf, "/virtualNetworks/%s/subnets/%s", cfg->vnets[s->vnet].name, s->name);
    if (!cfg->vnets[s->vnet].id && ref_matches(ref, NULL, suf))
      return (int)i;
  }
  return -1;
}

static int find_asg(const struct nsg_config *cfg, const char *ref)
{
  char suf[300];
  for (size_t i = 0; i < cfg->nasgs; i++) {
    snprintf(suf, sizeof suf, "/applicationSecurityGroups/%s", cfg->asgs[i].name);
    if (ref_matches(ref, cfg->asgs[i].id, suf))
      return (int)i;
  }
  return -1;
}

/* Tag names: case-insensitive; the classic names are aliases (S7). */
static int find_tag(const struct nsg_config *cfg, const char *name)
{
  static const struct { const char *alias; int tag; } aliases[] = {
      {"VIRTUAL_NETWORK", NSG_TAG_VIRTUAL_NETWORK},
      {"INTERNET", NSG_TAG_INTERNET},
      {"AZURE_LOADBALANCER", NSG_TAG_AZURE_LOAD_BALANCER},
  };
  for (size_t i = 0; i < sizeof aliases / sizeof *aliases; i++)
    if (strcmp(name, aliases[i].alias) == 0)
      return aliases[i].tag;
  for (size_t i = 0; i < cfg->ntags; i++)
    if (nsg_strcaseeq(cfg->tags[i].name, name))
      return (int)i;
  return -1;
}

static void check_duplicate_ids(struct nsg_config *cfg)
{
#define DUPCHECK(arr, n, kind, filefield)                                                        \
  for (size_t i = 0; i < (n); i++)                                                               \
    for (size_t j = 0; j < i; j++) {                                                             \
      bool same = (arr)[i].id && (arr)[j].id ? nsg_strcaseeq((arr)[i].id, (arr)[j].id)           \
                                             : nsg_strcaseeq((arr)[i].name, (arr)[j].name);      \
      if (same) {                                                                                \
        char res_[300];                                                                          \
        snprintf(res_, sizeof res_, kind "/%s", (arr)[i].name);                                  \
        nsg_diag(cfg, NSG_LOG_ERROR, filefield, res_, NULL, (arr)[i].id ? "id" : "name",         \
                 "defined twice (also in %s); each resource must be loaded once", (arr)[j].file); \
        break;                                                                                   \
      }                                                                                          \
    }
  DUPCHECK(cfg->nsgs, cfg->nnsgs, "networkSecurityGroups", cfg->nsgs[i].file)
  DUPCHECK(cfg->vnets, cfg->nvnets, "virtualNetworks", cfg->vnets[i].file)
  DUPCHECK(cfg->nics, cfg->nnics, "networkInterfaces", cfg->nics[i].file)
  DUPCHECK(cfg->asgs, cfg->nasgs, "applicationSecurityGroups", cfg->asgs[i].file)
  DUPCHECK(cfg->rtables, cfg->nrtables, "routeTables", cfg->rtables[i].file)
#undef DUPCHECK
}

static bool prefix_in_list(const struct nsg_prefix *p, const struct nsg_prefix *list, size_t n)
{
  for (size_t i = 0; i < n; i++)
    if (nsg_prefix_covers(&list[i], p))
      return true;
  return false;
}

static void add_connected(struct nsg_vnet *v, const struct nsg_prefix *p, size_t n)
{
  struct nsg_prefix *np = realloc(v->connected, (v->nconnected + n + 1) * sizeof *np);
  if (!np)
    abort();
  memcpy(np + v->nconnected, p, n * sizeof *p);
  v->connected = np;
  v->nconnected += n;
}

static int find_vgw(const struct nsg_config *cfg, const char *ref)
{
  char suf[300];
  for (size_t i = 0; i < cfg->nvgws; i++) {
    snprintf(suf, sizeof suf, "/virtualNetworkGateways/%s", cfg->vgws[i].name);
    if (ref_matches(ref, cfg->vgws[i].id, suf))
      return (int)i;
  }
  return -1;
}

static int find_lng(const struct nsg_config *cfg, const char *ref)
{
  char suf[300];
  for (size_t i = 0; i < cfg->nlngs; i++) {
    snprintf(suf, sizeof suf, "/localNetworkGateways/%s", cfg->lngs[i].name);
    if (ref_matches(ref, cfg->lngs[i].id, suf))
      return (int)i;
  }
  return -1;
}

/* S7: "connected on-premises spaces ... and VNets connected through a gateway": a connection
 * from a VNet's gateway to a local network gateway adds the on-premises address space to that
 * VNet's VirtualNetwork; a VNet-to-VNet connection adds each VNet's space to the other's. */
static void link_gateways(struct nsg_config *cfg)
{
  for (size_t i = 0; i < cfg->nvgws; i++) {
    struct nsg_vgw *g = &cfg->vgws[i];
    char res[300];
    snprintf(res, sizeof res, "virtualNetworkGateways/%s", g->name);
    if (!g->subnet_ref)
      continue;
    int s = find_subnet(cfg, g->subnet_ref);
    if (s < 0)
      nsg_diag(cfg, NSG_LOG_ERROR, g->file, res, NULL, "ipConfigurations.subnet.id",
               "'%s' is not a subnet of a loaded virtual network (dangling id)", g->subnet_ref);
    else
      g->vnet = cfg->subnets[s].vnet;
  }
  for (size_t i = 0; i < cfg->nconns; i++) {
    const struct nsg_conn *c = &cfg->conns[i];
    char res[300];
    snprintf(res, sizeof res, "connections/%s", c->name);
    int g1 = c->gw1_ref ? find_vgw(cfg, c->gw1_ref) : -1;
    if (c->gw1_ref && g1 < 0)
      nsg_diag(cfg, NSG_LOG_ERROR, c->file, res, NULL, "virtualNetworkGateway1.id",
               "'%s' is not a loaded virtual network gateway (dangling id)", c->gw1_ref);
    if (c->lng_ref) {
      int l = find_lng(cfg, c->lng_ref);
      if (l < 0)
        nsg_diag(cfg, NSG_LOG_ERROR, c->file, res, NULL, "localNetworkGateway2.id",
                 "'%s' is not a loaded local network gateway (dangling id)", c->lng_ref);
      else if (g1 >= 0 && cfg->vgws[g1].vnet >= 0)
        add_connected(&cfg->vnets[cfg->vgws[g1].vnet], cfg->lngs[l].prefixes, cfg->lngs[l].nprefixes);
    } else if (c->gw2_ref) {
      int g2 = find_vgw(cfg, c->gw2_ref);
      if (g2 < 0) {
        nsg_diag(cfg, NSG_LOG_ERROR, c->file, res, NULL, "virtualNetworkGateway2.id",
                 "'%s' is not a loaded virtual network gateway (dangling id)", c->gw2_ref);
      } else if (g1 >= 0 && cfg->vgws[g1].vnet >= 0 && cfg->vgws[g2].vnet >= 0) {
        struct nsg_vnet *a = &cfg->vnets[cfg->vgws[g1].vnet], *b = &cfg->vnets[cfg->vgws[g2].vnet];
        add_connected(a, b->space, b->nspace);
        add_connected(b, a->space, a->nspace);
      }
    }
  }
}

static void link_vnets(struct nsg_config *cfg)
{
  for (size_t si = 0; si < cfg->nsubnets; si++) {
    struct nsg_subnet *s = &cfg->subnets[si];
    struct nsg_vnet *v = &cfg->vnets[s->vnet];
    char res[400];
    snprintf(res, sizeof res, "virtualNetworks/%s/subnets/%s", v->name, s->name);
    if (s->nsg_ref) {
      s->nsg = find_nsg(cfg, s->nsg_ref);
      if (s->nsg < 0)
        nsg_diag(cfg, NSG_LOG_ERROR, v->file, res, NULL, "networkSecurityGroup.id",
                 "'%s' is not a loaded network security group (dangling id; load it with --config)", s->nsg_ref);
    }
    for (size_t k = 0; k < s->nprefixes; k++)
      if (!prefix_in_list(&s->prefixes[k], v->space, v->nspace)) {
        char p[80];
        nsg_prefix_format(&s->prefixes[k], p, sizeof p);
        nsg_diag(cfg, NSG_LOG_ERROR, v->file, res, NULL, "addressPrefix",
                 "%s is outside the virtual network's address space", p);
      }
  }
  for (size_t vi = 0; vi < cfg->nvnets; vi++) {
    struct nsg_vnet *v = &cfg->vnets[vi];
    for (size_t k = 0; k < v->npeerings; k++) {
      struct nsg_peering *p = &v->peerings[k];
      if (!p->remote_vnet_ref)
        continue;
      p->remote_vnet = find_vnet(cfg, p->remote_vnet_ref);
      if (p->remote_vnet < 0 && p->nprefixes == 0) {
        char res[400];
        snprintf(res, sizeof res, "virtualNetworks/%s/virtualNetworkPeerings/%s", v->name, p->name);
        nsg_diag(cfg, NSG_LOG_ERROR, v->file, res, NULL, "remoteVirtualNetwork.id",
                 "'%s' is not a loaded virtual network and the peering has no remoteAddressSpace (dangling id)",
                 p->remote_vnet_ref);
      }
    }
  }
  link_gateways(cfg);
  /* S7: VirtualNetwork = own address space + connected peerings + gateway-connected spaces;
   * Internet = public - VNet. */
  for (size_t vi = 0; vi < cfg->nvnets; vi++) {
    struct nsg_vnet *v = &cfg->vnets[vi];
    for (int f = 0; f < 2; f++) {
      nsg_rset_init(&v->vnet_tag[f], f ? NSG_AF6 : NSG_AF4);
      nsg_rset_init(&v->internet_tag[f], f ? NSG_AF6 : NSG_AF4);
    }
    for (size_t k = 0; k < v->nspace; k++)
      nsg_rset_add_prefix(&v->vnet_tag[nsg_fam_index(v->space[k].fam)], &v->space[k]);
    for (size_t k = 0; k < v->nconnected; k++)
      nsg_rset_add_prefix(&v->vnet_tag[nsg_fam_index(v->connected[k].fam)], &v->connected[k]);
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
        nsg_rset_add_prefix(&v->vnet_tag[nsg_fam_index(pl[j].fam)], &pl[j]);
    }
    for (int f = 0; f < 2; f++) {
      nsg_u128 top = f ? ~(nsg_u128)0 : (nsg_u128)0xffffffffu;
      nsg_rset_add(&v->internet_tag[f], 0, top);
      nsg_rset_subtract(&v->internet_tag[f], &cfg->nonpublic[f]);
      nsg_rset_subtract(&v->internet_tag[f], &v->vnet_tag[f]);
    }
  }
}

static int rset_union(struct nsg_rset *d, const struct nsg_rset *s)
{
  for (size_t i = 0; i < s->n; i++)
    if (nsg_rset_add(d, s->r[i].lo, s->r[i].hi) < 0)
      return -1;
  return 0;
}

static int find_rtable(const struct nsg_config *cfg, const char *ref)
{
  char suf[300];
  for (size_t i = 0; i < cfg->nrtables; i++) {
    snprintf(suf, sizeof suf, "/routeTables/%s", cfg->rtables[i].name);
    if (ref_matches(ref, cfg->rtables[i].id, suf))
      return (int)i;
  }
  return -1;
}

/* S7 (revised): route tables. Each route's service-tag prefix is resolved; each subnet's
 * routeTable.id must name a loaded route table. Then the scopes: one per (VNet, route table)
 * that a subnet has, with VirtualNetwork = the VNet's own part + 168.63.129.16/32 + every UDR
 * prefix (any next hop), and KMS off under a 0.0.0.0/0 UDR (S11). */
static void link_route_tables(struct nsg_config *cfg)
{
  for (size_t i = 0; i < cfg->nrtables; i++) {
    struct nsg_rtable *t = &cfg->rtables[i];
    char res[300], rule[300];
    snprintf(res, sizeof res, "routeTables/%s", t->name);
    for (size_t k = 0; k < t->nroutes; k++) {
      struct nsg_route *r = &t->routes[k];
      if (!r->is_tag)
        continue;
      snprintf(rule, sizeof rule, "routes/%s", r->name);
      r->tag = find_tag(cfg, r->prefix_text);
      if (r->tag == NSG_TAG_VIRTUAL_NETWORK || r->tag == NSG_TAG_INTERNET)
        nsg_diag(cfg, NSG_LOG_ERROR, t->file, res, rule, "addressPrefix",
                 "'%s' cannot be a route's prefix (it is computed from the routes); expected a CIDR prefix or a service tag such as Storage",
                 r->prefix_text);
      else if (r->tag < 0)
        nsg_diag(cfg, NSG_LOG_ERROR, t->file, res, rule, "addressPrefix",
                 "'%s' is neither a CIDR prefix nor a known service tag (tags come from --service-tags)", r->prefix_text);
    }
  }
  for (size_t si = 0; si < cfg->nsubnets; si++) {
    struct nsg_subnet *s = &cfg->subnets[si];
    if (!s->rt_ref)
      continue;
    s->rt = find_rtable(cfg, s->rt_ref);
    if (s->rt < 0) {
      char res[400];
      snprintf(res, sizeof res, "virtualNetworks/%s/subnets/%s", cfg->vnets[s->vnet].name, s->name);
      nsg_diag(cfg, NSG_LOG_ERROR, cfg->vnets[s->vnet].file, res, NULL, "routeTable.id",
               "'%s' is not a loaded route table (dangling id; load it with --config)", s->rt_ref);
    }
  }
  if (cfg->errors)
    return;
  struct nsg_prefix host;
  nsg_prefix_parse("168.63.129.16/32", &host, NULL);
  for (size_t si = 0; si < cfg->nsubnets; si++) {
    struct nsg_subnet *s = &cfg->subnets[si];
    for (size_t k = 0; k < cfg->nscopes && s->scope < 0; k++)
      if (cfg->scopes[k].vnet == s->vnet && cfg->scopes[k].rt == s->rt)
        s->scope = (int)k;
    if (s->scope >= 0)
      continue;
    struct nsg_scope *ns = realloc(cfg->scopes, (cfg->nscopes + 1) * sizeof *ns);
    if (!ns)
      abort();
    cfg->scopes = ns;
    s->scope = (int)cfg->nscopes++;
    struct nsg_scope *sc = &cfg->scopes[s->scope];
    memset(sc, 0, sizeof *sc);
    sc->vnet = s->vnet;
    sc->rt = s->rt;
    for (int f = 0; f < 2; f++) {
      nsg_rset_init(&sc->vnet_tag[f], f ? NSG_AF6 : NSG_AF4);
      if (rset_union(&sc->vnet_tag[f], &cfg->vnets[s->vnet].vnet_tag[f]) < 0)
        abort();
    }
    nsg_rset_add_prefix(&sc->vnet_tag[0], &host);
    if (s->rt < 0)
      continue;
    const struct nsg_rtable *t = &cfg->rtables[s->rt];
    for (size_t k = 0; k < t->nroutes; k++) {
      const struct nsg_route *r = &t->routes[k];
      if (r->is_tag) {
        for (int f = 0; f < 2; f++)
          if (rset_union(&sc->vnet_tag[f], &cfg->tags[r->tag].set[f]) < 0)
            abort();
      } else {
        nsg_rset_add_prefix(&sc->vnet_tag[nsg_fam_index(r->pfx.fam)], &r->pfx);
        if (r->pfx.fam == NSG_AF4 && r->pfx.len == 0)
          sc->kms_off = true;
      }
    }
  }
}

static void link_nics(struct nsg_config *cfg)
{
  for (size_t ni = 0; ni < cfg->nnics; ni++) {
    struct nsg_nic *n = &cfg->nics[ni];
    char res[400];
    snprintf(res, sizeof res, "networkInterfaces/%s", n->name);
    if (n->nsg_ref) {
      n->nsg = find_nsg(cfg, n->nsg_ref);
      if (n->nsg < 0)
        nsg_diag(cfg, NSG_LOG_ERROR, n->file, res, NULL, "networkSecurityGroup.id",
                 "'%s' is not a loaded network security group (dangling id; load it with --config)", n->nsg_ref);
    }
    for (size_t k = 0; k < n->nipcs; k++) {
      struct nsg_ipconfig *c = &n->ipcs[k];
      char cres[500];
      snprintf(cres, sizeof cres, "networkInterfaces/%s/ipConfigurations/%s", n->name, c->name);
      if (c->subnet_ref) {
        c->subnet = find_subnet(cfg, c->subnet_ref);
        if (c->subnet < 0)
          nsg_diag(cfg, NSG_LOG_ERROR, n->file, cres, NULL, "subnet.id",
                   "'%s' is not a subnet of a loaded virtual network (dangling id)", c->subnet_ref);
      }
      if (c->subnet >= 0) {
        const struct nsg_subnet *s = &cfg->subnets[c->subnet];
        if (n->vnet < 0)
          n->vnet = s->vnet;
        else if (n->vnet != s->vnet)
          nsg_diag(cfg, NSG_LOG_ERROR, n->file, cres, NULL, "subnet.id",
                   "is in virtual network '%s' but the NIC's first IP configuration is in '%s'; a NIC lives in one VNet (S1)",
                   cfg->vnets[s->vnet].name, cfg->vnets[n->vnet].name);
        bool inside = false;
        for (size_t j = 0; c->has_ip && j < s->nprefixes; j++)
          inside |= nsg_prefix_contains(&s->prefixes[j], &c->ip);
        if (c->has_ip && !inside) {
          char a[64];
          nsg_ip_format(&c->ip, a, sizeof a);
          nsg_diag(cfg, NSG_LOG_ERROR, n->file, cres, NULL, "privateIPAddress",
                   "%s is outside its subnet '%s'", a, s->name);
        }
      }
      if (c->nasgs > cfg->opts.limits.asgs_per_ipconfig)
        nsg_diag(cfg, NSG_LOG_ERROR, n->file, cres, NULL, "applicationSecurityGroups",
                 "has %zu application security groups; the limit is %u per IP configuration (S14)",
                 c->nasgs, cfg->opts.limits.asgs_per_ipconfig);
      for (size_t j = 0; j < c->nasgs; j++) {
        c->asgs[j] = find_asg(cfg, c->asg_refs[j]);
        if (c->asgs[j] < 0) {
          nsg_diag(cfg, NSG_LOG_ERROR, n->file, cres, NULL, "applicationSecurityGroups",
                   "'%s' is not a loaded application security group (dangling id)", c->asg_refs[j]);
          continue;
        }
        /* S8: all NICs of one ASG in the VNet of the first NIC assigned to it. */
        struct nsg_asg *a = &cfg->asgs[c->asgs[j]];
        if (n->vnet < 0)
          continue;
        if (a->vnet < 0) {
          a->vnet = n->vnet;
          a->first_nic = (int)ni;
        } else if (a->vnet != n->vnet) {
          nsg_diag(cfg, NSG_LOG_ERROR, n->file, cres, NULL, "applicationSecurityGroups",
                   "NIC '%s' is in virtual network '%s' but application security group '%s' already has NIC '%s' of virtual network '%s'; all NICs of an ASG must be in one VNet (S8)",
                   n->name, cfg->vnets[n->vnet].name, a->name, cfg->nics[a->first_nic].name,
                   cfg->vnets[a->vnet].name);
        }
      }
    }
  }
  /* Two NICs of one VNet cannot share an address. */
  for (size_t i = 0; i < cfg->nnics; i++)
    for (size_t k = 0; k < cfg->nics[i].nipcs; k++) {
      const struct nsg_ipconfig *c = &cfg->nics[i].ipcs[k];
      for (size_t j = 0; c->has_ip && j <= i; j++)
        for (size_t l = 0; l < cfg->nics[j].nipcs && (j < i || l < k); l++) {
          const struct nsg_ipconfig *d = &cfg->nics[j].ipcs[l];
          if (d->has_ip && nsg_ip_equal(&c->ip, &d->ip) && cfg->nics[i].vnet == cfg->nics[j].vnet) {
            char a[64], res[400];
            nsg_ip_format(&c->ip, a, sizeof a);
            snprintf(res, sizeof res, "networkInterfaces/%s/ipConfigurations/%s", cfg->nics[i].name, c->name);
            nsg_diag(cfg, NSG_LOG_ERROR, cfg->nics[i].file, res, NULL, "privateIPAddress",
                     "%s is already used by NIC '%s' in the same virtual network", a, cfg->nics[j].name);
          }
        }
    }
}

static void family_of_items(const struct nsg_item *it, size_t n, int *seen4, int *seen6)
{
  for (size_t i = 0; i < n; i++)
    if (it[i].kind == NSG_ITEM_PREFIX && !it[i].both_families) {
      if (it[i].pfx.fam == NSG_AF4)
        (*seen4)++;
      else
        (*seen6)++;
    }
}

static bool is_platform_tag(int t)
{
  return t == NSG_TAG_PLATFORM_DNS || t == NSG_TAG_PLATFORM_IMDS || t == NSG_TAG_PLATFORM_LKM;
}

static void validate_rule(struct nsg_config *cfg, struct nsg_nsg *n, struct nsg_rule *r, const char *res)
{
  char rule[200];
  snprintf(rule, sizeof rule, "securityRules/%s", r->name);
  const char *file = n->file;
  struct { struct nsg_item *it; size_t n; const char *field, *asgfield; int tags, asgs; } side[2] = {
      {r->src, r->nsrc, r->src_plural ? "sourceAddressPrefixes" : "sourceAddressPrefix",
       "sourceApplicationSecurityGroups", r->src_tags, r->src_asgs},
      {r->dst, r->ndst, r->dst_plural ? "destinationAddressPrefixes" : "destinationAddressPrefix",
       "destinationApplicationSecurityGroups", r->dst_tags, r->dst_asgs},
  };
  int asg_vnet = -1;
  bool asg_vnet_conflict = false;
  for (int s = 0; s < 2; s++) {
    for (size_t i = 0; i < side[s].n; i++) {
      struct nsg_item *it = &side[s].it[i];
      if (it->kind == NSG_ITEM_TAG) {
        it->tag = find_tag(cfg, it->text);
        if (it->tag < 0)
          nsg_diag(cfg, NSG_LOG_ERROR, file, res, rule, side[s].field,
                   "'%s' is neither an address prefix nor a known service tag (built-in: VirtualNetwork, Internet, AzureLoadBalancer, AzurePlatformDNS/IMDS/LKM; others come from --service-tags)",
                   it->text);
        else if (is_platform_tag(it->tag))
          r->names_platform_tag = true;
      } else if (it->kind == NSG_ITEM_ASG) {
        it->asg = find_asg(cfg, it->text);
        if (it->asg < 0) {
          nsg_diag(cfg, NSG_LOG_ERROR, file, res, rule, side[s].asgfield,
                   "'%s' is not a loaded application security group (dangling id)", it->text);
        } else if (cfg->asgs[it->asg].vnet >= 0) {
          if (asg_vnet >= 0 && asg_vnet != cfg->asgs[it->asg].vnet)
            asg_vnet_conflict = true;
          asg_vnet = cfg->asgs[it->asg].vnet;
        }
      }
    }
    if (side[s].tags > 1)
      nsg_diag(cfg, NSG_LOG_ERROR, file, res, rule, side[s].field,
               "names %d service tags; one rule can name at most one service tag per field (S4)", side[s].tags);
    if (side[s].asgs > 1 && cfg->opts.strict)
      nsg_diag(cfg, NSG_LOG_ERROR, file, res, rule, side[s].asgfield,
               "names %d application security groups; strict mode allows one per field (S4)", side[s].asgs);
    if (n->classic) {
      if (side[s].n > 1)
        nsg_diag(cfg, NSG_LOG_ERROR, file, res, rule, side[s].field,
                 "has %zu addresses; a classic NSG allows exactly one per field (no augmented rules, S4)", side[s].n);
      if (side[s].asgs > 0)
        nsg_diag(cfg, NSG_LOG_ERROR, file, res, rule, side[s].asgfield,
                 "classic NSGs cannot use application security groups (S14)");
    }
  }
  if (n->classic && (r->nsports > 1 || r->ndports > 1))
    nsg_diag(cfg, NSG_LOG_ERROR, file, res, rule, r->nsports > 1 ? "sourcePortRange" : "destinationPortRange",
             "has several port ranges; a classic NSG allows one per field (no augmented rules, S4)");
  if (r->src_asgs > 0 && r->dst_asgs > 0 && asg_vnet_conflict)
    nsg_diag(cfg, NSG_LOG_ERROR, file, res, rule, "destinationApplicationSecurityGroups",
             "source and destination application security groups have NICs in different virtual networks; both must be in one VNet (S8)");
  if ((unsigned)(r->src_asgs + r->dst_asgs) > cfg->opts.limits.asgs_per_rule)
    nsg_diag(cfg, NSG_LOG_ERROR, file, res, rule, "sourceApplicationSecurityGroups",
             "names %d application security groups; the limit is %u per rule (S14)", r->src_asgs + r->dst_asgs,
             cfg->opts.limits.asgs_per_rule);
  int v4 = 0, v6 = 0;
  family_of_items(r->src, r->nsrc, &v4, &v6);
  family_of_items(r->dst, r->ndst, &v4, &v6);
  if (v4 && v6)
    nsg_diag(cfg, NSG_LOG_ERROR, file, res, rule, "destinationAddressPrefix",
             "mixes IPv4 and IPv6 prefixes in its source and destination; use one family per rule (S3)");
}

static int cmp_rule(const void *a, const void *b)
{
  const struct nsg_rule *x = a, *y = b;
  if (x->dir != y->dir)
    return (int)x->dir - (int)y->dir;
  return x->priority - y->priority;
}

static struct nsg_item *one_item(enum nsg_item_kind kind, int tag)
{
  struct nsg_item *it = calloc(1, sizeof *it);
  if (!it)
    abort();
  it->kind = kind;
  it->tag = tag;
  if (kind == NSG_ITEM_PREFIX) {
    it->both_families = true; /* 0.0.0.0/0 (S6: ::/0 for IPv6 traffic) */
    it->pfx.fam = NSG_AF4;
    it->text = nsg_strdup("0.0.0.0/0");
  } else {
    it->text = nsg_strdup(tag == NSG_TAG_VIRTUAL_NETWORK ? "VirtualNetwork"
                          : tag == NSG_TAG_INTERNET      ? "Internet"
                                                         : "AzureLoadBalancer");
  }
  return it;
}

static const char *const seed_default_names[6] = {"AllowVNetInBound", "AllowAzureLoadBalancerInBound",
                                                  "DenyAllInbound", "AllowVnetOutBound",
                                                  "AllowInternetOutBound", "DenyAllOutBound"};

const char *nsg_default_rule_name(const struct nsg_nsg *n, size_t k)
{
  return n->default_names[k] ? n->default_names[k] : seed_default_names[k];
}

/* S6 default rules, appended after the sorted custom rules. */
static void append_defaults(struct nsg_nsg *n)
{
  static const struct { int prio; enum nsg_direction dir; int src; int dst; enum nsg_access acc; } d[6] = {
      {65000, NSG_INBOUND, NSG_TAG_VIRTUAL_NETWORK, NSG_TAG_VIRTUAL_NETWORK, NSG_ALLOW},
      {65001, NSG_INBOUND, NSG_TAG_AZURE_LOAD_BALANCER, -1, NSG_ALLOW},
      {65500, NSG_INBOUND, -1, -1, NSG_DENY},
      {65000, NSG_OUTBOUND, NSG_TAG_VIRTUAL_NETWORK, NSG_TAG_VIRTUAL_NETWORK, NSG_ALLOW},
      {65001, NSG_OUTBOUND, -1, NSG_TAG_INTERNET, NSG_ALLOW},
      {65500, NSG_OUTBOUND, -1, -1, NSG_DENY},
  };
  for (int k = 0; k < 6; k++) {
    struct nsg_rule *r = &n->rules[n->nrules++];
    free(r->name); /* a name parsed from defaultSecurityRules is kept in default_names */
    memset(r, 0, sizeof *r);
    r->name = nsg_strdup(nsg_default_rule_name(n, (size_t)k));
    r->priority = d[k].prio;
    r->dir = d[k].dir;
    r->access = d[k].acc;
    r->proto = NSG_PROTO_ANY;
    r->proto_text = nsg_strdup("*");
    r->is_default = true;
    r->src = d[k].src < 0 ? one_item(NSG_ITEM_PREFIX, -1) : one_item(NSG_ITEM_TAG, d[k].src);
    r->dst = d[k].dst < 0 ? one_item(NSG_ITEM_PREFIX, -1) : one_item(NSG_ITEM_TAG, d[k].dst);
    r->nsrc = r->ndst = 1;
    r->sports = calloc(1, sizeof *r->sports);
    r->dports = calloc(1, sizeof *r->dports);
    if (!r->sports || !r->dports)
      abort();
    r->sports->hi = r->dports->hi = 65535;
    r->nsports = r->ndports = 1;
    r->sports_full = r->dports_full = true;
  }
}

static void validate_nsg(struct nsg_config *cfg, struct nsg_nsg *n)
{
  char res[300];
  snprintf(res, sizeof res, "networkSecurityGroups/%s", n->name);
  if (n->ncustom > cfg->opts.limits.rules_per_nsg)
    nsg_diag(cfg, NSG_LOG_ERROR, n->file, res, NULL, "securityRules",
             "has %zu rules; the limit is %u per NSG (S14)", n->ncustom, cfg->opts.limits.rules_per_nsg);
  size_t src_prefixes = 0, dst_prefixes = 0;
  int *asgs_seen = calloc(cfg->nasgs + 1, sizeof *asgs_seen);
  unsigned distinct_asgs = 0;
  if (!asgs_seen)
    abort();
  for (size_t i = 0; i < n->ncustom; i++) {
    struct nsg_rule *r = &n->rules[i];
    validate_rule(cfg, n, r, res);
    char rule[200];
    snprintf(rule, sizeof rule, "securityRules/%s", r->name);
    for (size_t j = 0; j < i; j++) {
      const struct nsg_rule *o = &n->rules[j];
      if (*r->name && nsg_strcaseeq(o->name, r->name))
        nsg_diag(cfg, NSG_LOG_ERROR, n->file, res, rule, "name",
                 "duplicate rule name '%s' (priorities %d and %d); names are unique within an NSG (S3)",
                 r->name, o->priority, r->priority);
      if (r->priority >= 0 && o->priority == r->priority && o->dir == r->dir)
        nsg_diag(cfg, NSG_LOG_ERROR, n->file, res, rule, "priority",
                 "%d is also the priority of %s rule '%s'; two rules of one direction cannot share a priority (S3)",
                 r->priority, r->dir == NSG_INBOUND ? "Inbound" : "Outbound", o->name);
    }
    for (size_t k = 0; k < r->nsrc; k++)
      src_prefixes += r->src[k].kind == NSG_ITEM_PREFIX;
    for (size_t k = 0; k < r->ndst; k++)
      dst_prefixes += r->dst[k].kind == NSG_ITEM_PREFIX;
    for (int s = 0; s < 2; s++) {
      const struct nsg_item *it = s ? r->dst : r->src;
      size_t cnt = s ? r->ndst : r->nsrc;
      for (size_t k = 0; k < cnt; k++)
        if (it[k].kind == NSG_ITEM_ASG && it[k].asg >= 0 && !asgs_seen[it[k].asg]++)
          distinct_asgs++;
    }
  }
  free(asgs_seen);
  if (src_prefixes > cfg->opts.limits.prefixes_per_nsg_side)
    nsg_diag(cfg, NSG_LOG_ERROR, n->file, res, NULL, "sourceAddressPrefixes",
             "the NSG's rules list %zu source addresses/ranges; the limit is %u (S14)", src_prefixes,
             cfg->opts.limits.prefixes_per_nsg_side);
  if (dst_prefixes > cfg->opts.limits.prefixes_per_nsg_side)
    nsg_diag(cfg, NSG_LOG_ERROR, n->file, res, NULL, "destinationAddressPrefixes",
             "the NSG's rules list %zu destination addresses/ranges; the limit is %u (S14)", dst_prefixes,
             cfg->opts.limits.prefixes_per_nsg_side);
  if (distinct_asgs > cfg->opts.limits.asgs_per_nsg)
    nsg_diag(cfg, NSG_LOG_ERROR, n->file, res, NULL, "securityRules",
             "the NSG's rules name %u application security groups; the limit is %u (S14)", distinct_asgs,
             cfg->opts.limits.asgs_per_nsg);
  qsort(n->rules, n->ncustom, sizeof *n->rules, cmp_rule);
  append_defaults(n);
}

int nsg_link_and_validate(struct nsg_config *cfg)
{
  check_duplicate_ids(cfg);
  link_vnets(cfg);
  link_route_tables(cfg);
  link_nics(cfg);
  for (size_t i = 0; i < cfg->nnsgs; i++)
    validate_nsg(cfg, &cfg->nsgs[i]);
  /* KMS platform rule (S11): off with forced tunnelling. */
  if (cfg->opts.forced_tunneling)
    cfg->nkms = 0;
  return cfg->errors ? -EINVAL : 0;
}

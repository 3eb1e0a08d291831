/* SPDX-License-Identifier: Apache-2.0 */
/* Effective security rules (S9) in the shape of `az network nic list-effective-nsg`, with tags
 * and ASGs expanded to prefixes, and the one-screen configuration summary of `nsgnic check`. */
#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

/* The subnet of a NIC's primary (first) IP configuration, NULL if unknown. */
static const struct nsg_subnet *primary_subnet(const struct nsg_config *cfg, const struct nsg_nic *nic)
{
  return nic->nipcs && nic->ipcs[0].subnet >= 0 ? &cfg->subnets[nic->ipcs[0].subnet] : NULL;
}

/* How NSG `i` is used: its inbound custom rules and the subnets and NICs it is attached to. */
static void nsg_usage(const struct nsg_config *cfg, size_t i, size_t *in, size_t *subnets, size_t *nics)
{
  const struct nsg_nsg *n = &cfg->nsgs[i];
  *in = *subnets = *nics = 0;
  for (size_t k = 0; k < n->ncustom; k++)
    *in += n->rules[k].dir == NSG_INBOUND;
  for (size_t k = 0; k < cfg->nsubnets; k++)
    *subnets += cfg->subnets[k].nsg == (int)i;
  for (size_t k = 0; k < cfg->nnics; k++)
    *nics += cfg->nics[k].nsg == (int)i;
}

/* Appends the expansion of one item to `arr` (JSON strings), for the NIC's scope. */
static void expand_item(const struct nsg_config *cfg, const struct nsg_item *it, int scope, json_t *arr)
{
  char buf[80];
  const struct nsg_rset *sets = NULL;
  switch (it->kind) {
  case NSG_ITEM_ANY:
    json_array_append_new(arr, json_string("0.0.0.0/0"));
    json_array_append_new(arr, json_string("::/0"));
    return;
  case NSG_ITEM_PREFIX:
    if (it->both_families) {
      json_array_append_new(arr, json_string("0.0.0.0/0"));
      json_array_append_new(arr, json_string("::/0"));
    } else {
      nsg_prefix_format(&it->pfx, buf, sizeof buf);
      json_array_append_new(arr, json_string(buf));
    }
    return;
  case NSG_ITEM_ASG:
    for (size_t n = 0; n < cfg->nnics; n++)
      for (size_t k = 0; k < cfg->nics[n].nipcs; k++) {
        const struct nsg_ipconfig *c = &cfg->nics[n].ipcs[k];
        for (size_t j = 0; j < c->nasgs; j++)
          if (c->asgs[j] == it->asg && c->has_ip) {
            struct nsg_prefix p = {c->ip.fam, (uint8_t)nsg_af_bits(c->ip.fam), c->ip.v};
            nsg_prefix_format(&p, buf, sizeof buf);
            json_array_append_new(arr, json_string(buf));
          }
      }
    return;
  case NSG_ITEM_TAG:
    if (it->tag == NSG_TAG_VIRTUAL_NETWORK) /* S7: per scope (VNet + the subnet's UDRs) */
      sets = cfg->scopes[scope].vnet_tag;
    else if (it->tag == NSG_TAG_INTERNET)
      sets = cfg->vnets[cfg->scopes[scope].vnet].internet_tag;
    else
      sets = cfg->tags[it->tag].set;
    for (int f = 0; f < 2; f++) {
      struct nsg_prefix *p;
      long n = nsg_rset_to_prefixes(&sets[f], &p);
      for (long i = 0; i < n; i++) {
        nsg_prefix_format(&p[i], buf, sizeof buf);
        json_array_append_new(arr, json_string(buf));
      }
      free(p);
    }
    return;
  }
}

static json_t *ports_json(const struct nsg_portrange *r, size_t n)
{
  json_t *a = json_array();
  char buf[32];
  for (size_t i = 0; i < n; i++) {
    snprintf(buf, sizeof buf, "%u-%u", r[i].lo, r[i].hi);
    json_array_append_new(a, json_string(buf));
  }
  return a;
}

static const char *proto_name(int p)
{
  switch (p) {
  case NSG_PROTO_ANY: return "All";
  case 6: return "Tcp";
  case 17: return "Udp";
  case 1: return "Icmp";
  case 50: return "Esp";
  case 51: return "Ah";
  default: return "?";
  }
}

static json_t *addr_names(const struct nsg_config *cfg, const struct nsg_item *it, size_t n)
{
  json_t *a = json_array();
  for (size_t i = 0; i < n; i++) {
    if (it[i].kind == NSG_ITEM_ANY || it[i].both_families)
      json_array_append_new(a, json_string("0.0.0.0/0"));
    else if (it[i].kind == NSG_ITEM_TAG)
      json_array_append_new(a, json_string(cfg->tags[it[i].tag].name));
    else if (it[i].kind == NSG_ITEM_ASG)
      json_array_append_new(a, json_string(cfg->asgs[it[i].asg].name));
    else
      json_array_append_new(a, json_string(it[i].text));
  }
  return a;
}

static json_t *rule_json(const struct nsg_config *cfg, const struct nsg_rule *r, int scope)
{
  json_t *o = json_object();
  char name[200];
  snprintf(name, sizeof name, "%s/%s", r->is_default ? "defaultSecurityRules" : "securityRules", r->name);
  json_object_set_new(o, "name", json_string(name));
  json_object_set_new(o, "protocol", json_string(proto_name(r->proto)));
  json_t *sp = ports_json(r->sports, r->nsports), *dp = ports_json(r->dports, r->ndports);
  json_object_set_new(o, "sourcePortRange", json_copy(json_array_get(sp, 0)));
  json_object_set_new(o, "destinationPortRange", json_copy(json_array_get(dp, 0)));
  json_object_set_new(o, "sourcePortRanges", sp);
  json_object_set_new(o, "destinationPortRanges", dp);
  json_t *sa = addr_names(cfg, r->src, r->nsrc), *da = addr_names(cfg, r->dst, r->ndst);
  json_object_set_new(o, "sourceAddressPrefix", json_copy(json_array_get(sa, 0)));
  json_object_set_new(o, "destinationAddressPrefix", json_copy(json_array_get(da, 0)));
  json_object_set_new(o, "sourceAddressPrefixes", sa);
  json_object_set_new(o, "destinationAddressPrefixes", da);
  json_t *es = json_array(), *ed = json_array();
  for (size_t i = 0; i < r->nsrc; i++)
    if (r->src[i].kind != NSG_ITEM_PREFIX && r->src[i].kind != NSG_ITEM_ANY)
      expand_item(cfg, &r->src[i], scope, es);
  for (size_t i = 0; i < r->ndst; i++)
    if (r->dst[i].kind != NSG_ITEM_PREFIX && r->dst[i].kind != NSG_ITEM_ANY)
      expand_item(cfg, &r->dst[i], scope, ed);
  json_object_set_new(o, "expandedSourceAddressPrefix", es);
  json_object_set_new(o, "expandedDestinationAddressPrefix", ed);
  json_object_set_new(o, "access", json_string(r->access == NSG_ALLOW ? "Allow" : "Deny"));
  json_object_set_new(o, "priority", json_integer(r->priority));
  json_object_set_new(o, "direction", json_string(r->dir == NSG_INBOUND ? "Inbound" : "Outbound"));
  return o;
}

static json_t *nsg_entry(const struct nsg_config *cfg, int nsg, bool subnet_level, const char *assoc_id, int scope)
{
  const struct nsg_nsg *n = &cfg->nsgs[nsg];
  json_t *e = json_object();
  json_t *id = json_object();
  char buf[400];
  snprintf(buf, sizeof buf, "%s", n->id ? n->id : n->name);
  json_object_set_new(id, "id", json_string(buf));
  json_object_set_new(e, "networkSecurityGroup", id);
  json_t *assoc = json_object(), *target = json_object();
  json_object_set_new(target, "id", json_string(assoc_id));
  json_object_set_new(assoc, subnet_level ? "subnet" : "networkInterface", target);
  json_object_set_new(e, "association", assoc);
  json_t *rules = json_array();
  for (size_t i = 0; i < n->nrules; i++)
    json_array_append_new(rules, rule_json(cfg, &n->rules[i], scope));
  json_object_set_new(e, "effectiveSecurityRules", rules);
  return e;
}

static json_t *effective(const struct nsg_config *cfg, const struct nsg_nic *nic)
{
  json_t *root = json_object(), *value = json_array();
  const struct nsg_subnet *s = primary_subnet(cfg, nic);
  /* value[] in inbound evaluation order (S2): subnet NSG, then NIC NSG. */
  if (s && s->nsg >= 0)
    json_array_append_new(value, nsg_entry(cfg, s->nsg, true, s->id, s->scope));
  if (nic->nsg >= 0 && s)
    json_array_append_new(value, nsg_entry(cfg, nic->nsg, false, nic->id ? nic->id : nic->name, s->scope));
  json_object_set_new(root, "value", value);
  return root;
}

char *nsg_effective_json(const struct nsg_config *cfg, const char *nicname, bool pretty)
{
  const struct nsg_nic *nic = nsg_find_nic(cfg, nicname);
  if (!nic || cfg->errors || !cfg->finalized) {
    errno = nic ? EINVAL : ENOENT;
    return NULL;
  }
  json_t *root = effective(cfg, nic);
  char *s = json_dumps(root, (pretty ? JSON_INDENT(2) : JSON_COMPACT) | JSON_PRESERVE_ORDER);
  json_decref(root);
  return s;
}

/* Growing string buffer for the text views. */
struct sbuf {
  char *s;
  size_t n, cap;
};

static void sb_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(struct sbuf *b, const char *fmt, ...)
{
  va_list ap;
  for (;;) {
    size_t room = b->cap - b->n;
    va_start(ap, fmt);
    int k = vsnprintf(b->s ? b->s + b->n : NULL, room, fmt, ap);
    va_end(ap);
    if (k < 0)
      return;
    if ((size_t)k < room) {
      b->n += (size_t)k;
      return;
    }
    size_t nc = b->cap ? b->cap * 2 : 1024;
    while (nc < b->n + (size_t)k + 1)
      nc *= 2;
    char *ns = realloc(b->s, nc);
    if (!ns)
      abort();
    b->s = ns;
    b->cap = nc;
  }
}

static void join_items(struct sbuf *b, const struct nsg_config *cfg, const struct nsg_item *it, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    const char *t = it[i].kind == NSG_ITEM_ANY ? "*"
                    : it[i].kind == NSG_ITEM_TAG ? cfg->tags[it[i].tag].name
                    : it[i].kind == NSG_ITEM_ASG ? cfg->asgs[it[i].asg].name
                                                 : it[i].text;
    sb_printf(b, "%s%s%s", i ? "," : "", it[i].kind == NSG_ITEM_ASG ? "asg:" : "", t);
  }
}

static void text_level(struct sbuf *b, const struct nsg_config *cfg, int nsg, const char *level,
                       enum nsg_direction dir)
{
  if (nsg < 0) {
    sb_printf(b, "  %s level: no NSG (allows everything)\n", level);
    return;
  }
  const struct nsg_nsg *n = &cfg->nsgs[nsg];
  sb_printf(b, "  %s level: NSG %s\n", level, n->name);
  sb_printf(b, "    %-6s %-40s %-5s %-6s %-28s %-13s %-28s %s\n", "prio", "rule", "proto", "access",
            "source", "src ports", "destination", "dst ports");
  for (size_t i = 0; i < n->nrules; i++) {
    const struct nsg_rule *r = &n->rules[i];
    if (r->dir != dir)
      continue;
    struct sbuf src = {0}, dst = {0}, sp = {0}, dp = {0};
    join_items(&src, cfg, r->src, r->nsrc);
    join_items(&dst, cfg, r->dst, r->ndst);
    for (size_t k = 0; k < r->nsports; k++)
      sb_printf(&sp, "%s%u-%u", k ? "," : "", r->sports[k].lo, r->sports[k].hi);
    for (size_t k = 0; k < r->ndports; k++)
      sb_printf(&dp, "%s%u-%u", k ? "," : "", r->dports[k].lo, r->dports[k].hi);
    sb_printf(b, "    %-6d %-40s %-5s %-6s %-28s %-13s %-28s %s\n", r->priority, r->name, proto_name(r->proto),
              r->access == NSG_ALLOW ? "Allow" : "Deny", src.s, sp.s, dst.s, dp.s);
    free(src.s);
    free(dst.s);
    free(sp.s);
    free(dp.s);
  }
}

char *nsg_effective_text(const struct nsg_config *cfg, const char *nicname)
{
  const struct nsg_nic *nic = nsg_find_nic(cfg, nicname);
  if (!nic || cfg->errors || !cfg->finalized) {
    errno = nic ? EINVAL : ENOENT;
    return NULL;
  }
  struct sbuf b = {0};
  const struct nsg_subnet *s = primary_subnet(cfg, nic);
  int subnet_nsg = s ? s->nsg : -1;
  sb_printf(&b, "Effective security rules of NIC %s (subnet %s, VNet %s)\n", nic->name, s ? s->name : "?",
            nic->vnet >= 0 ? cfg->vnets[nic->vnet].name : "?");
  sb_printf(&b, "Inbound, in evaluation order (S2: subnet NSG, then NIC NSG):\n");
  text_level(&b, cfg, subnet_nsg, "subnet", NSG_INBOUND);
  text_level(&b, cfg, nic->nsg, "NIC", NSG_INBOUND);
  sb_printf(&b, "Outbound, in evaluation order (S2: NIC NSG, then subnet NSG):\n");
  text_level(&b, cfg, nic->nsg, "NIC", NSG_OUTBOUND);
  text_level(&b, cfg, subnet_nsg, "subnet", NSG_OUTBOUND);
  return b.s;
}

char *nsg_config_summary(const struct nsg_config *cfg)
{
  struct sbuf b = {0};
  size_t rules = 0;
  for (size_t i = 0; i < cfg->nnsgs; i++)
    rules += cfg->nsgs[i].ncustom;
  sb_printf(&b, "%s: %zu NSGs (%zu custom rules), %zu VNets, %zu subnets, %zu NICs, %zu ASGs, %zu service tags\n",
            cfg->errors ? "INVALID" : "valid", cfg->nnsgs, rules, cfg->nvnets, cfg->nsubnets, cfg->nnics,
            cfg->nasgs, cfg->ntags - NSG_TAG_FIRST_FILE);
  if (cfg->errors || cfg->warnings)
    sb_printf(&b, "%u error(s), %u warning(s)\n", cfg->errors, cfg->warnings);
  if (cfg->errors)
    return b.s;
  for (size_t i = 0; i < cfg->nnsgs; i++) {
    const struct nsg_nsg *n = &cfg->nsgs[i];
    size_t in, subnets, nics;
    nsg_usage(cfg, i, &in, &subnets, &nics);
    sb_printf(&b, "  NSG %-32s %3zu inbound, %3zu outbound rules; on %zu subnet(s), %zu NIC(s)%s\n", n->name, in,
              n->ncustom - in, subnets, nics, n->flush_connection ? "; flushConnection" : "");
  }
  for (size_t i = 0; i < cfg->nnics; i++) {
    const struct nsg_nic *n = &cfg->nics[i];
    const struct nsg_subnet *s = primary_subnet(cfg, n);
    char ip[64] = "?";
    if (n->nipcs && n->ipcs[0].has_ip)
      nsg_ip_format(&n->ipcs[0].ip, ip, sizeof ip);
    sb_printf(&b, "  NIC %-32s %-16s subnet %-12s subnet NSG %-20s NIC NSG %s\n", n->name, ip, s ? s->name : "?",
              s && s->nsg >= 0 ? cfg->nsgs[s->nsg].name : "-", n->nsg >= 0 ? cfg->nsgs[n->nsg].name : "-");
  }
  return b.s;
}

char *nsg_config_summary_json(const struct nsg_config *cfg)
{
  json_t *o = json_object();
  json_object_set_new(o, "valid", json_boolean(cfg->errors == 0));
  json_object_set_new(o, "errors", json_integer(cfg->errors));
  json_object_set_new(o, "warnings", json_integer(cfg->warnings));
  json_t *nsgs = json_array(), *nics = json_array();
  for (size_t i = 0; !cfg->errors && i < cfg->nnsgs; i++) {
    const struct nsg_nsg *n = &cfg->nsgs[i];
    size_t in, subnets, nn;
    nsg_usage(cfg, i, &in, &subnets, &nn);
    json_array_append_new(nsgs, json_pack("{s:s,s:I,s:I,s:I,s:I,s:b}", "name", n->name, "inboundRules",
                                          (json_int_t)in, "outboundRules", (json_int_t)(n->ncustom - in), "subnets",
                                          (json_int_t)subnets, "nics", (json_int_t)nn, "flushConnection",
                                          n->flush_connection));
  }
  for (size_t i = 0; !cfg->errors && i < cfg->nnics; i++) {
    const struct nsg_nic *n = &cfg->nics[i];
    const struct nsg_subnet *s = primary_subnet(cfg, n);
    json_t *addrs = json_array();
    for (size_t k = 0; k < n->nipcs; k++) {
      char ip[64];
      nsg_ip_format(&n->ipcs[k].ip, ip, sizeof ip);
      json_array_append_new(addrs, json_string(ip));
    }
    json_t *e = json_pack("{s:s,s:o,s:s,s:s}", "name", n->name, "addresses", addrs, "subnet", s ? s->name : "",
                          "vnet", n->vnet >= 0 ? cfg->vnets[n->vnet].name : "");
    json_object_set_new(e, "subnetNsg", s && s->nsg >= 0 ? json_string(cfg->nsgs[s->nsg].name) : json_null());
    json_object_set_new(e, "nicNsg", n->nsg >= 0 ? json_string(cfg->nsgs[n->nsg].name) : json_null());
    json_array_append_new(nics, e);
  }
  json_object_set_new(o, "nsgs", nsgs);
  json_object_set_new(o, "nics", nics);
  char *str = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
  json_decref(o);
  return str;
}

/* SPDX-License-Identifier: Apache-2.0 */
/* Configuration lifecycle, phase 2 of loading (linking ids), and validation of everything in
 * nsg-semantics.md that a configuration can get wrong. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

void nsg_options_default(struct nsg_options *o)
{
  memset(o, 0, sizeof *o);
  o->subscription = NSG_SUB_ENTERPRISE_AGREEMENT;
  o->platform_exemption = true;
  o->limits.rules_per_nsg = 1000;
  o->limits.prefixes_per_nsg_side = 4000;
  o->limits.asgs_per_rule = 10;
  o->limits.asgs_per_nsg = 100;
  o->limits.asgs_per_ipconfig = 20;
}

static const struct {
  const char *name;
  enum nsg_subscription v;
} sub_names[] = {
    {"EnterpriseAgreement", NSG_SUB_ENTERPRISE_AGREEMENT}, {"EA", NSG_SUB_ENTERPRISE_AGREEMENT},
    {"MicrosoftCustomerAgreement", NSG_SUB_MCA_ENTERPRISE}, {"MCA", NSG_SUB_MCA_ENTERPRISE},
    {"EnterpriseDevTest", NSG_SUB_ENTERPRISE_DEVTEST}, {"PayAsYouGo", NSG_SUB_PAYG}, {"CSP", NSG_SUB_CSP},
    {"MSDN", NSG_SUB_MSDN}, {"VisualStudio", NSG_SUB_MSDN}, {"AzurePass", NSG_SUB_AZURE_PASS},
    {"AzureInOpen", NSG_SUB_AZURE_IN_OPEN}, {"Education", NSG_SUB_EDUCATION}, {"FreeTrial", NSG_SUB_FREE_TRIAL},
    {"BizSpark", NSG_SUB_OTHER}, {"Other", NSG_SUB_OTHER},
};

int nsg_subscription_parse(const char *name, enum nsg_subscription *out)
{
  for (size_t i = 0; i < sizeof sub_names / sizeof sub_names[0]; i++)
    if (nsg_strcaseeq(name, sub_names[i].name)) {
      *out = sub_names[i].v;
      return 0;
    }
  return -EINVAL;
}

const char *nsg_subscription_names(void)
{
  return "EnterpriseAgreement, MicrosoftCustomerAgreement, EnterpriseDevTest, PayAsYouGo, CSP, MSDN, VisualStudio, "
         "AzurePass, AzureInOpen, Education, FreeTrial, Other";
}

bool nsg_subscription_blocks_port25(const struct nsg_options *o)
{
  if (o->created_before_2017_11_15)
    return false;
  switch (o->subscription) {
  case NSG_SUB_ENTERPRISE_AGREEMENT:
  case NSG_SUB_MCA_ENTERPRISE:
    return false;
  case NSG_SUB_ENTERPRISE_DEVTEST:
    return !o->devtest_port25_exemption;
  default:
    return true;
  }
}

static void add_builtin_tag(struct nsg_config *cfg, const char *name, const char *const *pfx, size_t n)
{
  struct nsg_tag *t = &cfg->tags[cfg->ntags++];
  t->name = nsg_strdup(name);
  t->prefixes = calloc(n ? n : 1, sizeof *t->prefixes);
  nsg_rset_init(&t->set[0], NSG_AF4);
  nsg_rset_init(&t->set[1], NSG_AF6);
  for (size_t i = 0; i < n; i++) {
    nsg_prefix_parse(pfx[i], &t->prefixes[i], NULL);
    nsg_rset_add_prefix(&t->set[nsg_fam_index(t->prefixes[i].fam)], &t->prefixes[i]);
  }
  t->nprefixes = n;
}

/* S7 non-public address space. */
static const char *const nonpublic4[] = {
    "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
    "192.0.0.0/24", "192.0.2.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24",
    "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4"};
static const char *const nonpublic6[] = {"::/8", "64:ff9b::/96", "100::/64", "2001:db8::/32",
                                         "fc00::/7", "fe80::/10", "ff00::/8"};
/* S11 default KMS addresses. */
static const char *const kms_default[] = {"23.102.135.246/32", "20.118.99.224/32", "40.83.235.53/32"};

struct nsg_config *nsg_config_new(const struct nsg_options *opts)
{
  struct nsg_config *cfg = calloc(1, sizeof *cfg);
  if (!cfg) {
    errno = ENOMEM;
    return NULL;
  }
  if (opts)
    cfg->opts = *opts;
  else
    nsg_options_default(&cfg->opts);
  cfg->cap_tags = 16;
  cfg->tags = calloc(cfg->cap_tags, sizeof *cfg->tags);
  if (!cfg->tags) {
    free(cfg);
    errno = ENOMEM;
    return NULL;
  }
  static const char *const lb[] = {"168.63.129.16/32"};
  static const char *const imds[] = {"169.254.169.254/32"};
  add_builtin_tag(cfg, "VirtualNetwork", NULL, 0);
  add_builtin_tag(cfg, "Internet", NULL, 0);
  add_builtin_tag(cfg, "AzureLoadBalancer", lb, 1);
  add_builtin_tag(cfg, "AzurePlatformDNS", lb, 1);
  add_builtin_tag(cfg, "AzurePlatformIMDS", imds, 1);
  add_builtin_tag(cfg, "AzurePlatformLKM", kms_default, 3);
  for (size_t i = 0; i < 3; i++)
    nsg_prefix_parse(kms_default[i], &cfg->kms[i], NULL);
  cfg->nkms = 3;
  for (int f = 0; f < 2; f++)
    nsg_rset_init(&cfg->nonpublic[f], f ? NSG_AF6 : NSG_AF4);
  for (size_t i = 0; i < sizeof nonpublic4 / sizeof *nonpublic4; i++) {
    struct nsg_prefix p;
    nsg_prefix_parse(nonpublic4[i], &p, NULL);
    nsg_rset_add_prefix(&cfg->nonpublic[0], &p);
  }
  for (size_t i = 0; i < sizeof nonpublic6 / sizeof *nonpublic6; i++) {
    struct nsg_prefix p;
    nsg_prefix_parse(nonpublic6[i], &p, NULL);
    nsg_rset_add_prefix(&cfg->nonpublic[1], &p);
  }
  return cfg;
}

static void free_items(struct nsg_item *it, size_t n)
{
  for (size_t i = 0; i < n; i++)
    free(it[i].text);
  free(it);
}

void nsg_config_free(struct nsg_config *cfg)
{
  if (!cfg)
    return;
  for (size_t i = 0; i < cfg->nnsgs; i++) {
    struct nsg_nsg *n = &cfg->nsgs[i];
    for (size_t k = 0; k < n->nrules; k++) {
      struct nsg_rule *r = &n->rules[k];
      free(r->name);
      free(r->description);
      free(r->proto_text);
      free_items(r->src, r->nsrc);
      free_items(r->dst, r->ndst);
      free(r->sports);
      free(r->dports);
    }
    for (int k = 0; k < 6; k++)
      free(n->default_names[k]);
    free(n->rules);
    free(n->id);
    free(n->name);
    free(n->file);
  }
  free(cfg->nsgs);
  for (size_t i = 0; i < cfg->nvnets; i++) {
    struct nsg_vnet *v = &cfg->vnets[i];
    for (size_t k = 0; k < v->npeerings; k++) {
      free(v->peerings[k].name);
      free(v->peerings[k].remote_vnet_ref);
      free(v->peerings[k].prefixes);
    }
    free(v->peerings);
    free(v->space);
    free(v->connected);
    free(v->id);
    free(v->name);
    free(v->file);
    for (int f = 0; f < 2; f++) {
      nsg_rset_free(&v->vnet_tag[f]);
      nsg_rset_free(&v->internet_tag[f]);
    }
  }
  free(cfg->vnets);
  for (size_t i = 0; i < cfg->nlngs; i++) {
    free(cfg->lngs[i].id);
    free(cfg->lngs[i].name);
    free(cfg->lngs[i].file);
    free(cfg->lngs[i].prefixes);
  }
  free(cfg->lngs);
  for (size_t i = 0; i < cfg->nvgws; i++) {
    free(cfg->vgws[i].id);
    free(cfg->vgws[i].name);
    free(cfg->vgws[i].file);
    free(cfg->vgws[i].subnet_ref);
  }
  free(cfg->vgws);
  for (size_t i = 0; i < cfg->nconns; i++) {
    free(cfg->conns[i].id);
    free(cfg->conns[i].name);
    free(cfg->conns[i].file);
    free(cfg->conns[i].gw1_ref);
    free(cfg->conns[i].gw2_ref);
    free(cfg->conns[i].lng_ref);
  }
  free(cfg->conns);
  for (size_t i = 0; i < cfg->nrtables; i++) {
    struct nsg_rtable *t = &cfg->rtables[i];
    for (size_t k = 0; k < t->nroutes; k++) {
      free(t->routes[k].name);
      free(t->routes[k].prefix_text);
    }
    free(t->routes);
    free(t->id);
    free(t->name);
    free(t->file);
  }
  free(cfg->rtables);
  for (size_t i = 0; i < cfg->nscopes; i++)
    for (int f = 0; f < 2; f++)
      nsg_rset_free(&cfg->scopes[i].vnet_tag[f]);
  free(cfg->scopes);
  for (size_t i = 0; i < cfg->nsubnets; i++) {
    free(cfg->subnets[i].id);
    free(cfg->subnets[i].name);
    free(cfg->subnets[i].prefixes);
    free(cfg->subnets[i].nsg_ref);
    free(cfg->subnets[i].rt_ref);
  }
  free(cfg->subnets);
  for (size_t i = 0; i < cfg->nnics; i++) {
    struct nsg_nic *n = &cfg->nics[i];
    for (size_t k = 0; k < n->nipcs; k++) {
      struct nsg_ipconfig *c = &n->ipcs[k];
      free(c->name);
      free(c->subnet_ref);
      for (size_t j = 0; j < c->nasgs; j++)
        free(c->asg_refs[j]);
      free(c->asg_refs);
      free(c->asgs);
    }
    free(n->ipcs);
    free(n->id);
    free(n->name);
    free(n->file);
    free(n->nsg_ref);
  }
  free(cfg->nics);
  for (size_t i = 0; i < cfg->nasgs; i++) {
    free(cfg->asgs[i].id);
    free(cfg->asgs[i].name);
    free(cfg->asgs[i].file);
  }
  free(cfg->asgs);
  for (size_t i = 0; i < cfg->ntags; i++) {
    free(cfg->tags[i].name);
    free(cfg->tags[i].prefixes);
    nsg_rset_free(&cfg->tags[i].set[0]);
    nsg_rset_free(&cfg->tags[i].set[1]);
  }
  free(cfg->tags);
  nsg_rset_free(&cfg->nonpublic[0]);
  nsg_rset_free(&cfg->nonpublic[1]);
  free(cfg);
}

unsigned nsg_config_error_count(const struct nsg_config *cfg) { return cfg->errors; }
unsigned nsg_config_warning_count(const struct nsg_config *cfg) { return cfg->warnings; }

int nsg_config_finalize(struct nsg_config *cfg)
{
  if (cfg->finalized)
    return cfg->errors ? -EINVAL : 0;
  nsg_link_and_validate(cfg);
  cfg->finalized = true;
  return cfg->errors ? -EINVAL : 0;
}

/* SPDX-License-Identifier: Apache-2.0 */
/* Shared pieces of the nsgnic CLI: common options, configuration loading, verdict printing and
 * the table of verify engines. */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "classify.h"
#include "model.h"
#include "nsgnic/compile.h"
#include "nsgnic/simnic.h"

int opt_subscription(void *dst, const char *val, char *err, size_t errlen)
{
  if (nsg_subscription_parse(val, dst) < 0) {
    snprintf(err, errlen, "unknown subscription type '%s'%s; accepted (S13): %s", val,
             nsg_strcaseeq(val, "PayAsYouGoExempt") ? " (no exemption any more)" : "",
             nsg_subscription_names());
    return -1;
  }
  return 0;
}

int opt_limit(void *dst, const char *val, char *err, size_t errlen)
{
  struct nsg_limits *l = dst;
  static const char *const names[] = {"rules-per-nsg", "prefixes-per-nsg-side", "asgs-per-rule", "asgs-per-nsg",
                                      "asgs-per-ipconfig"};
  unsigned *fields[] = {&l->rules_per_nsg, &l->prefixes_per_nsg_side, &l->asgs_per_rule, &l->asgs_per_nsg,
                        &l->asgs_per_ipconfig};
  const char *eq = strchr(val, '=');
  unsigned *f = NULL;
  for (int k = 0; eq && k < 5; k++)
    if (strlen(names[k]) == (size_t)(eq - val) && strncmp(names[k], val, (size_t)(eq - val)) == 0)
      f = fields[k];
  unsigned long long n;
  if (!f || opts_parse_ull(eq + 1, 0, 1000000, &n) < 0) {
    snprintf(err, errlen, "'%s' is not NAME=N with NAME one of rules-per-nsg, prefixes-per-nsg-side, "
                          "asgs-per-rule, asgs-per-nsg, asgs-per-ipconfig and N at most 1000000", val);
    return -1;
  }
  *f = (unsigned)n;
  return 0;
}

void common_inputs(const struct common *c, struct strlist *in)
{
  for (int i = 0; i < c->configs.n; i++)
    strlist_add(in, c->configs.v[i]);
  for (int i = 0; i < c->tags.n; i++)
    strlist_add(in, c->tags.v[i]);
}

void hint_nics(const struct nsg_config *cfg)
{
  fprintf(stderr, "nsgnic: the configuration's NICs:");
  if (cfg->nnics == 0)
    fprintf(stderr, " none");
  for (size_t i = 0; i < cfg->nnics; i++)
    fprintf(stderr, "%s %s", i ? "," : "", cfg->nics[i].name);
  fprintf(stderr, "\n");
}

/* Loads and validates; prints errors; returns NULL when the configuration is invalid. */
int parse_common(const struct cmd_doc *d, const struct opt *opts, int argc, char **argv, const struct common *c)
{
  int pr = parse_opts(d, opts, argc, argv, 1, NULL);
  if (pr)
    return pr;
  /* S13: the exemption is granted to Enterprise Dev/Test subscriptions only */
  if (c->opts.devtest_port25_exemption && c->opts.subscription != NSG_SUB_ENTERPRISE_DEVTEST)
    return usage_error(d, "--devtest-port25-exemption needs --subscription-type EnterpriseDevTest (S13: the "
                          "port-25 exemption is granted to Enterprise Dev/Test subscriptions only)");
  return 0;
}

struct nsg_config *load(struct common *c)
{
  if (c->configs.n == 0) {
    fprintf(stderr, "nsgnic: no configuration given; use --config FILE (repeatable)\n");
    return NULL;
  }
  struct nsg_config *cfg = nsg_config_new(&c->opts);
  if (!cfg) {
    perror("nsgnic");
    return NULL;
  }
  for (int i = 0; i < c->tags.n; i++)
    nsg_config_load_service_tags(cfg, c->tags.v[i]);
  for (int i = 0; i < c->configs.n; i++)
    nsg_config_load_file(cfg, c->configs.v[i]);
  if (nsg_config_finalize(cfg) < 0) {
    fprintf(stderr, "nsgnic: configuration rejected: %u error(s); nothing was loaded\n", nsg_config_error_count(cfg));
    nsg_config_free(cfg);
    return NULL;
  }
  return cfg;
}

json_t *jstr(const char *s)
{
  if (!s)
    return json_null();
  json_t *j = json_string(s);
  if (j)
    return j;
  /* not UTF-8 (a name cut inside a character by a fixed buffer): mark the bad bytes */
  char *c = strdup(s);
  if (!c)
    return json_null();
  for (size_t i = 0; c[i]; i++)
    if ((unsigned char)c[i] >= 0x80)
      c[i] = '?';
  j = json_string(c);
  free(c);
  return j ? j : json_null();
}

void json_print(json_t *j, bool compact)
{
  char *s = j ? json_dumps(j, (compact ? JSON_COMPACT : JSON_INDENT(2)) | JSON_PRESERVE_ORDER) : NULL;
  if (!s) {
    fprintf(stderr, "nsgnic: out of memory writing JSON\n");
    json_decref(j);
    return;
  }
  printf("%s\n", s);
  free(s);
  json_decref(j);
}

void print_verdict(const struct nsg_verdict *v, bool json)
{
  if (json) {
    json_t *o = json_object();
    json_object_set_new(o, "access", json_string(v->allow ? "Allow" : "Deny"));
    /* S9: Azure's VerificationIPFlowResult (access, ruleName); no ruleName when no rule decided;
     * our additions after them */
    if (v->kind == NSG_DECIDED_BY_RULE) {
      json_object_set_new(o, "ruleName", json_string(v->rule_name));
      json_object_set_new(o, "nsg", json_string(v->nsg_name));
    } else {
      json_object_set_new(o, "decidedBy", json_string(v->kind == NSG_DECIDED_BY_PLATFORM ? "platform" : "none"));
    }
    if (v->kind == NSG_DECIDED_BY_PLATFORM)
      json_object_set_new(o, "reason", json_string(v->reason));
    char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    printf("%s\n", s);
    free(s);
    json_decref(o);
    return;
  }
  printf("Access: %s\n", v->allow ? "Allow" : "Deny");
  if (v->kind == NSG_DECIDED_BY_RULE)
    printf("Rule:   %s/%s\n", v->nsg_name, v->rule_name);
  else if (v->kind == NSG_DECIDED_BY_PLATFORM)
    printf("Rule:   platform: %s\n", v->reason);
  else
    printf("Rule:   none (no NSG on the subnet or the NIC)\n");
}

/* The evaluators behind `verify --engine`. Later engines join this table. */
static void *tables_prepare(const struct nsg_config *cfg, char *err, size_t errlen)
{
  return nsg_compile(cfg, NULL, err, errlen);
}

static void *tables_ctx_prepare(const struct nsg_config *cfg, char *err, size_t errlen)
{
  struct nsg_compile_opts o;
  nsg_compile_opts_default(&o);
  o.label_ctx = true; /* a device with per-vport label contexts (CAP_LABEL_CTX) */
  return nsg_compile(cfg, &o, err, errlen);
}

static int tables_verify(const void *state, const struct nsg_query *q, struct nsg_verdict *v, char *err, size_t errlen)
{
  return nsg_tables_verify(state, q, v, err, errlen);
}

static void tables_release(void *state)
{
  nsg_tables_free(state);
}

/* The slow path's fast software classifier (what the host applies to punted packets). */
static void *slowpath_prepare(const struct nsg_config *cfg, char *err, size_t errlen)
{
  return nsg_classifier_new(cfg, err, errlen);
}

static int slowpath_verify(const void *state, const struct nsg_query *q, struct nsg_verdict *v, char *err,
                           size_t errlen)
{
  return nsg_classifier_verify(state, q, v, err, errlen);
}

static void slowpath_release(void *state)
{
  nsg_classifier_free(state);
}

/* "sim": each query becomes a packet through the co-simulated NIC (the Verilated SoC running
 * the firmware, tables loaded through its mailbox; nsgnic/simnic.h). The device runs with
 * CTRL.LEARN_OFF so every query is answered for a new flow, as Azure's IP flow verify does. */
static void *sim_prepare(const struct nsg_config *cfg, char *err, size_t errlen)
{
  struct nsg_simnic_opts o;
  nsg_simnic_opts_default(&o);
  o.firmware = getenv("NSGNIC_FIRMWARE"); /* NULL: this build's nsgnic-fw.elf */
  return nsg_simnic_new(cfg, &o, err, errlen);
}

static int sim_verify(const void *state, const struct nsg_query *q, struct nsg_verdict *v, char *err, size_t errlen)
{
  return nsg_simnic_verify((struct nsg_simnic *)state, q, v, err, errlen);
}

static void sim_release(void *state)
{
  nsg_simnic_free(state);
}

const struct engine engines[] = {
    {"reference", nsg_verify, NULL, NULL, NULL},
    {"tables", NULL, tables_prepare, tables_verify, tables_release},
    {"tables-ctx", NULL, tables_ctx_prepare, tables_verify, tables_release},
    {"sim", NULL, sim_prepare, sim_verify, sim_release},
    {"slowpath", NULL, slowpath_prepare, slowpath_verify, slowpath_release},
    {NULL, NULL, NULL, NULL, NULL},
};

int engine_verify(const struct engine *eng, const void *state, const struct nsg_config *cfg,
                  const struct nsg_query *q, struct nsg_verdict *v, char *err, size_t errlen)
{
  return eng->verify ? eng->verify(cfg, q, v, err, errlen) : eng->verify_prepared(state, q, v, err, errlen);
}

const struct engine *find_engine(const char *name)
{
  for (size_t i = 0; engines[i].name; i++)
    if (strcmp(engines[i].name, name) == 0)
      return &engines[i];
  fprintf(stderr, "nsgnic: engine '%s' is not available; this build has:", name);
  for (size_t i = 0; engines[i].name; i++)
    fprintf(stderr, " %s", engines[i].name);
  fprintf(stderr, "\n");
  return NULL;
}


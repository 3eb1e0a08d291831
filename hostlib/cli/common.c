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
#include "nsgnic/compile.h"
#include "nsgnic/simnic.h"

void usage_common(FILE *f)
{
  fprintf(f,
          "  --config FILE           Azure JSON (az ... list/show or ARM); repeatable\n"
          "  --service-tags FILE     Azure Service Tags JSON; repeatable\n"
          "  --strict                enforce the seed's rules (no Icmp/Esp/Ah, one ASG per field)\n"
          "  --subscription-type T   EnterpriseAgreement (default), Legacy, PayAsYouGo,\n"
          "                          PayAsYouGoExempt, CSP, MSDN, AzurePass, AzureInOpen,\n"
          "                          Education, BizSpark, FreeTrial (S13)\n"
          "  --no-platform-exemption do not exempt 168.63.129.16 / 169.254.169.254 (S10)\n"
          "  --forced-tunneling      0.0.0.0/0 default route: no KMS platform rule (S11)\n"
          "  --limit NAME=N          rules-per-nsg, prefixes-per-nsg-side, asgs-per-rule,\n"
          "                          asgs-per-nsg, asgs-per-ipconfig (S14)\n"
          "  --json                  machine-readable output\n");
}

void usage(FILE *f)
{
  fprintf(f,
          "usage: nsgnic <command> [options]\n"
          "commands:\n"
          "  check       validate a configuration and print a summary\n"
          "  verify      IP flow verify: would this packet be allowed, and by which rule?\n"
          "  compile     compile to the device's lookup tables; write the image, print statistics\n"
          "  effective   effective security rules of a NIC\n"
          "  prove       prove compiled tables equivalent to the semantics over every packet\n"
          "  query       the allowed/denied packets of a NIC, or what one rule decides, exactly\n"
          "  diff        the packets whose verdict changes between two configurations\n"
          "  run         replay a pcap through the software packet path; flow logs\n"
          "  flows       list the flows a pcap replay leaves tracked\n"
          "  devices     list the nsgnic boards on the PCI bus\n"
          "  load        load compiled tables into a device (board, fake or sim)\n"
          "  help        this text ('nsgnic help COMMAND' for a command's options)\n"
          "  version     print the version\n"
          "common options:\n");
  usage_common(f);
}

/* Parses a common option at argv[*i]; returns 1 if consumed, 0 if not common, -1 on error. */
int parse_common(struct common *c, int argc, char **argv, int *i)
{
  const char *a = argv[*i];
  const char *val = *i + 1 < argc ? argv[*i + 1] : NULL;
#define NEED_VAL()                                                           \
  do {                                                                       \
    if (!val) {                                                              \
      fprintf(stderr, "nsgnic: option %s needs a value\n", a);               \
      return -1;                                                             \
    }                                                                        \
    (*i)++;                                                                  \
  } while (0)
  if (strcmp(a, "--config") == 0 || strcmp(a, "-c") == 0) {
    NEED_VAL();
    if (c->nconfigs == MAX_FILES) {
      fprintf(stderr, "nsgnic: too many --config files (at most %d)\n", MAX_FILES);
      return -1;
    }
    c->configs[c->nconfigs++] = val;
  } else if (strcmp(a, "--service-tags") == 0) {
    NEED_VAL();
    if (c->ntags == MAX_FILES) {
      fprintf(stderr, "nsgnic: too many --service-tags files (at most %d)\n", MAX_FILES);
      return -1;
    }
    c->tags[c->ntags++] = val;
  } else if (strcmp(a, "--strict") == 0) {
    c->opts.strict = true;
  } else if (strcmp(a, "--subscription-type") == 0) {
    NEED_VAL();
    if (nsg_subscription_parse(val, &c->opts.subscription) < 0) {
      fprintf(stderr, "nsgnic: unknown subscription type '%s'; see 'nsgnic help'\n", val);
      return -1;
    }
  } else if (strcmp(a, "--no-platform-exemption") == 0) {
    c->opts.platform_exemption = false;
  } else if (strcmp(a, "--forced-tunneling") == 0) {
    c->opts.forced_tunneling = true;
  } else if (strcmp(a, "--limit") == 0) {
    NEED_VAL();
    const char *eq = strchr(val, '=');
    char *end;
    unsigned long n = eq ? strtoul(eq + 1, &end, 10) : 0;
    unsigned *dst = NULL;
    if (eq) {
      size_t len = (size_t)(eq - val);
      static const char *const names[] = {"rules-per-nsg", "prefixes-per-nsg-side", "asgs-per-rule",
                                          "asgs-per-nsg", "asgs-per-ipconfig"};
      unsigned *fields[] = {&c->opts.limits.rules_per_nsg, &c->opts.limits.prefixes_per_nsg_side,
                            &c->opts.limits.asgs_per_rule, &c->opts.limits.asgs_per_nsg,
                            &c->opts.limits.asgs_per_ipconfig};
      for (int k = 0; k < 5; k++)
        if (strlen(names[k]) == len && strncmp(names[k], val, len) == 0)
          dst = fields[k];
    }
    if (!dst || !*(eq + 1) || *end || n > 1000000) {
      fprintf(stderr, "nsgnic: bad --limit '%s'; expected NAME=N with NAME one of rules-per-nsg, "
                      "prefixes-per-nsg-side, asgs-per-rule, asgs-per-nsg, asgs-per-ipconfig\n", val);
      return -1;
    }
    *dst = (unsigned)n;
  } else if (strcmp(a, "--json") == 0) {
    c->json = true;
  } else {
    return 0;
  }
  return 1;
#undef NEED_VAL
}

/* Loads and validates; prints errors; returns NULL when the configuration is invalid. */
struct nsg_config *load(struct common *c)
{
  if (c->nconfigs == 0) {
    fprintf(stderr, "nsgnic: no configuration given; use --config FILE (repeatable)\n");
    return NULL;
  }
  struct nsg_config *cfg = nsg_config_new(&c->opts);
  if (!cfg) {
    perror("nsgnic");
    return NULL;
  }
  for (int i = 0; i < c->ntags; i++)
    nsg_config_load_service_tags(cfg, c->tags[i]);
  for (int i = 0; i < c->nconfigs; i++)
    nsg_config_load_file(cfg, c->configs[i]);
  if (nsg_config_finalize(cfg) < 0) {
    fprintf(stderr, "nsgnic: configuration rejected: %u error(s); nothing was loaded\n", nsg_config_error_count(cfg));
    nsg_config_free(cfg);
    return NULL;
  }
  return cfg;
}

void print_verdict(const struct nsg_verdict *v, bool json)
{
  if (json) {
    json_t *o = json_object();
    json_object_set_new(o, "access", json_string(v->allow ? "Allow" : "Deny"));
    if (v->kind == NSG_DECIDED_BY_RULE) {
      json_object_set_new(o, "ruleName", json_string(v->rule_name));
      json_object_set_new(o, "nsg", json_string(v->nsg_name));
    } else {
      json_object_set_new(o, "ruleName", v->kind == NSG_DECIDED_BY_PLATFORM ? json_string("platform") : json_null());
      json_object_set_new(o, "nsg", json_null());
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
    printf("Rule:   %s (NSG %s)\n", v->rule_name, v->nsg_name);
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


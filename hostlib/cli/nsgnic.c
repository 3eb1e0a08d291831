/* SPDX-License-Identifier: Apache-2.0 */
/* nsgnic: command-line front end of the host library.
 *   nsgnic check     --config F... [--service-tags F]...        validate, print a summary
 *   nsgnic verify    --config F... --nic N --direction D ...    IP flow verify (S9)
 *   nsgnic effective --config F... --nic N [--json]             effective security rules (S9)
 * Exit codes: 0 success; 1 a query failed (unknown NIC, bad address); 2 the configuration is
 * invalid; 64 usage error. */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nsgnic/nsgnic.h"

enum { EXIT_QUERY = 1, EXIT_CONFIG = 2, EXIT_USAGE = 64 };

#define MAX_FILES 256

struct common {
  const char *configs[MAX_FILES];
  int nconfigs;
  const char *tags[MAX_FILES];
  int ntags;
  struct nsg_options opts;
  bool json;
};

static void usage_common(FILE *f)
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

static void usage(FILE *f)
{
  fprintf(f,
          "usage: nsgnic <command> [options]\n"
          "commands:\n"
          "  check       validate a configuration and print a summary\n"
          "  verify      IP flow verify: would this packet be allowed, and by which rule?\n"
          "  effective   effective security rules of a NIC\n"
          "  help        this text ('nsgnic help COMMAND' for a command's options)\n"
          "  version     print the version\n"
          "common options:\n");
  usage_common(f);
}

static void usage_verify(FILE *f)
{
  fprintf(f,
          "usage: nsgnic verify --config F... --nic NAME --direction inbound|outbound\n"
          "                     --protocol tcp|udp|icmp|esp|ah|N --local IP[:PORT] --remote IP[:PORT]\n"
          "                     [--engine reference] [--json]\n"
          "       nsgnic verify --config F... --batch FILE|-   (JSON lines: {\"nic\",\"direction\",\n"
          "                     \"protocol\",\"local\",\"localPort\",\"remote\",\"remotePort\"}; one JSON\n"
          "                     line out per query)\n"
          "IPv6 with a port: [2001:db8::1]:443. Ports are used for TCP and UDP only.\n");
  usage_common(f);
}

static void usage_effective(FILE *f)
{
  fprintf(f, "usage: nsgnic effective --config F... --nic NAME [--json]\n");
  usage_common(f);
}

static void usage_check(FILE *f)
{
  fprintf(f, "usage: nsgnic check --config F... [--service-tags F]...\n");
  usage_common(f);
}

/* Parses a common option at argv[*i]; returns 1 if consumed, 0 if not common, -1 on error. */
static int parse_common(struct common *c, int argc, char **argv, int *i)
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
static struct nsg_config *load(struct common *c)
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

/* "IP", "IP:PORT", "[IPv6]:PORT" or a bare IPv6 address. */
static int split_endpoint(const char *s, char *ip, size_t iplen, long *port)
{
  *port = -1;
  const char *colon = strrchr(s, ':');
  size_t n;
  const char *p = NULL;
  if (s[0] == '[') {
    const char *close = strchr(s, ']');
    if (!close)
      return -1;
    n = (size_t)(close - s - 1);
    if (close[1] == ':')
      p = close + 2;
    else if (close[1])
      return -1;
    s++;
  } else if (colon && strchr(s, ':') == colon) { /* exactly one colon: IPv4:port */
    n = (size_t)(colon - s);
    p = colon + 1;
  } else {
    n = strlen(s);
  }
  if (n == 0 || n >= iplen)
    return -1;
  memcpy(ip, s, n);
  ip[n] = '\0';
  if (p) {
    char *end;
    *port = strtol(p, &end, 10);
    if (!*p || *end || *port < 0 || *port > 65535)
      return -1;
  }
  return 0;
}

static void print_verdict(const struct nsg_verdict *v, bool json)
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
struct engine {
  const char *name;
  int (*verify)(const struct nsg_config *, const struct nsg_query *, struct nsg_verdict *, char *, size_t);
};
static const struct engine engines[] = {
    {"reference", nsg_verify},
};

static const struct engine *find_engine(const char *name)
{
  for (size_t i = 0; i < sizeof engines / sizeof *engines; i++)
    if (strcmp(engines[i].name, name) == 0)
      return &engines[i];
  fprintf(stderr, "nsgnic: engine '%s' is not available; this build has:", name);
  for (size_t i = 0; i < sizeof engines / sizeof *engines; i++)
    fprintf(stderr, " %s", engines[i].name);
  fprintf(stderr, "\n");
  return NULL;
}

static int parse_direction(const char *s, enum nsg_direction *d)
{
  if (s && (strcmp(s, "inbound") == 0 || strcmp(s, "Inbound") == 0 || strcmp(s, "in") == 0)) {
    *d = NSG_INBOUND;
    return 0;
  }
  if (s && (strcmp(s, "outbound") == 0 || strcmp(s, "Outbound") == 0 || strcmp(s, "out") == 0)) {
    *d = NSG_OUTBOUND;
    return 0;
  }
  return -1;
}

/* One batch line -> query; returns 0 or -1 with err set. Strings point into `o`. */
static int batch_query(json_t *o, struct nsg_query *q, char *err, size_t errlen)
{
  memset(q, 0, sizeof *q);
  if (!json_is_object(o)) {
    snprintf(err, errlen, "line is not a JSON object");
    return -1;
  }
  static const char *const req[] = {"nic", "direction", "protocol", "local", "remote"};
  for (size_t i = 0; i < 5; i++)
    if (!json_is_string(json_object_get(o, req[i]))) {
      snprintf(err, errlen, "field '%s' is missing or not a string", req[i]);
      return -1;
    }
  q->nic = json_string_value(json_object_get(o, "nic"));
  if (parse_direction(json_string_value(json_object_get(o, "direction")), &q->dir) < 0) {
    snprintf(err, errlen, "field 'direction': expected inbound or outbound");
    return -1;
  }
  q->local = json_string_value(json_object_get(o, "local"));
  q->remote = json_string_value(json_object_get(o, "remote"));
  const char *ps = json_string_value(json_object_get(o, "protocol"));
  if (nsg_protocol_parse(ps, strchr(q->local, ':') != NULL, &q->proto) < 0 || q->proto < 0) {
    snprintf(err, errlen, "field 'protocol': '%s' is not tcp, udp, icmp, esp, ah or a number 0..255", ps);
    return -1;
  }
  static const char *const pf[] = {"localPort", "remotePort"};
  uint16_t *dst[] = {&q->local_port, &q->remote_port};
  for (int i = 0; i < 2; i++) {
    json_t *p = json_object_get(o, pf[i]);
    long v = 0;
    if (json_is_integer(p))
      v = (long)json_integer_value(p);
    else if (json_is_string(p)) {
      char *end;
      const char *s = json_string_value(p);
      v = strtol(s, &end, 10);
      if (!*s || *end)
        v = -1;
    } else if (p && !json_is_null(p))
      v = -1;
    if (v < 0 || v > 65535) {
      snprintf(err, errlen, "field '%s': expected a port 0..65535", pf[i]);
      return -1;
    }
    *dst[i] = (uint16_t)v;
  }
  return 0;
}

static int run_batch(const struct nsg_config *cfg, const struct engine *eng, const char *path)
{
  FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
  if (!f) {
    fprintf(stderr, "nsgnic: cannot open batch file %s: %s\n", path, strerror(errno));
    return EXIT_QUERY;
  }
  char *line = NULL;
  size_t cap = 0;
  ssize_t len;
  int failed = 0;
  long lineno = 0;
  while ((len = getline(&line, &cap, f)) >= 0) {
    lineno++;
    if (len == 0 || line[0] == '\n')
      continue;
    json_error_t je;
    json_t *o = json_loads(line, 0, &je);
    struct nsg_query q;
    struct nsg_verdict v;
    char err[512];
    int rc = -1;
    if (!o)
      snprintf(err, sizeof err, "malformed JSON: %s", je.text);
    else if (batch_query(o, &q, err, sizeof err) == 0)
      rc = eng->verify(cfg, &q, &v, err, sizeof err);
    if (rc == 0) {
      print_verdict(&v, true);
    } else {
      json_t *e = json_pack("{s:s,s:i}", "error", err, "line", (int)lineno);
      char *s = json_dumps(e, JSON_COMPACT | JSON_PRESERVE_ORDER);
      printf("%s\n", s);
      free(s);
      json_decref(e);
      failed = 1;
    }
    json_decref(o);
  }
  free(line);
  if (f != stdin)
    fclose(f);
  return failed ? EXIT_QUERY : 0;
}

static int cmd_verify(int argc, char **argv)
{
  struct common c = {0};
  nsg_options_default(&c.opts);
  const char *nic = NULL, *dir = NULL, *proto = NULL, *local = NULL, *remote = NULL, *batch = NULL;
  const char *engine = "reference";
  for (int i = 0; i < argc; i++) {
    int r = parse_common(&c, argc, argv, &i);
    if (r < 0)
      return EXIT_USAGE;
    if (r)
      continue;
    const char **dst = NULL;
    if (strcmp(argv[i], "--nic") == 0) dst = &nic;
    else if (strcmp(argv[i], "--direction") == 0) dst = &dir;
    else if (strcmp(argv[i], "--protocol") == 0) dst = &proto;
    else if (strcmp(argv[i], "--local") == 0) dst = &local;
    else if (strcmp(argv[i], "--remote") == 0) dst = &remote;
    else if (strcmp(argv[i], "--batch") == 0) dst = &batch;
    else if (strcmp(argv[i], "--engine") == 0) dst = &engine;
    else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
      usage_verify(stdout);
      return 0;
    } else {
      fprintf(stderr, "nsgnic verify: unknown option '%s'; try 'nsgnic help verify'\n", argv[i]);
      return EXIT_USAGE;
    }
    if (i + 1 >= argc) {
      fprintf(stderr, "nsgnic verify: option %s needs a value\n", argv[i]);
      return EXIT_USAGE;
    }
    *dst = argv[++i];
  }
  const struct engine *eng = find_engine(engine);
  if (!eng)
    return EXIT_USAGE;
  struct nsg_query q = {0};
  char lip[80], rip[80];
  if (!batch) {
    if (!nic || !dir || !proto || !local || !remote) {
      fprintf(stderr, "nsgnic verify: --nic, --direction, --protocol, --local and --remote are required (or --batch FILE)\n");
      usage_verify(stderr);
      return EXIT_USAGE;
    }
    long lp, rp;
    if (split_endpoint(local, lip, sizeof lip, &lp) < 0 || split_endpoint(remote, rip, sizeof rip, &rp) < 0) {
      fprintf(stderr, "nsgnic verify: --local/--remote expect IP, IP:PORT or [IPv6]:PORT\n");
      return EXIT_USAGE;
    }
    q.nic = nic;
    q.local = lip;
    q.remote = rip;
    q.local_port = (uint16_t)(lp < 0 ? 0 : lp);
    q.remote_port = (uint16_t)(rp < 0 ? 0 : rp);
    if (parse_direction(dir, &q.dir) < 0) {
      fprintf(stderr, "nsgnic verify: --direction expects inbound or outbound, not '%s'\n", dir);
      return EXIT_USAGE;
    }
    if (nsg_protocol_parse(proto, strchr(lip, ':') != NULL, &q.proto) < 0 || q.proto < 0) {
      fprintf(stderr, "nsgnic verify: --protocol expects tcp, udp, icmp, esp, ah or a number 0..255, not '%s'\n", proto);
      return EXIT_USAGE;
    }
    if ((q.proto == 6 || q.proto == 17) && (lp < 0 || rp < 0)) {
      fprintf(stderr, "nsgnic verify: TCP and UDP need ports: --local IP:PORT --remote IP:PORT\n");
      return EXIT_USAGE;
    }
  }
  struct nsg_config *cfg = load(&c);
  if (!cfg)
    return EXIT_CONFIG;
  int rc = 0;
  if (batch) {
    rc = run_batch(cfg, eng, batch);
  } else {
    struct nsg_verdict v;
    char err[512];
    if (eng->verify(cfg, &q, &v, err, sizeof err) < 0) {
      fprintf(stderr, "nsgnic verify: %s\n", err);
      rc = EXIT_QUERY;
    } else {
      print_verdict(&v, c.json);
    }
  }
  nsg_config_free(cfg);
  return rc;
}

static int cmd_effective(int argc, char **argv)
{
  struct common c = {0};
  nsg_options_default(&c.opts);
  const char *nic = NULL;
  for (int i = 0; i < argc; i++) {
    int r = parse_common(&c, argc, argv, &i);
    if (r < 0)
      return EXIT_USAGE;
    if (r)
      continue;
    if (strcmp(argv[i], "--nic") == 0 && i + 1 < argc) {
      nic = argv[++i];
    } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
      usage_effective(stdout);
      return 0;
    } else {
      fprintf(stderr, "nsgnic effective: unknown option '%s'; try 'nsgnic help effective'\n", argv[i]);
      return EXIT_USAGE;
    }
  }
  if (!nic) {
    fprintf(stderr, "nsgnic effective: --nic NAME is required\n");
    return EXIT_USAGE;
  }
  struct nsg_config *cfg = load(&c);
  if (!cfg)
    return EXIT_CONFIG;
  char *s = c.json ? nsg_effective_json(cfg, nic, true) : nsg_effective_text(cfg, nic);
  int rc = 0;
  if (!s) {
    fprintf(stderr, "nsgnic effective: no network interface named '%s' in the configuration\n", nic);
    rc = EXIT_QUERY;
  } else {
    printf("%s%s", s, c.json ? "\n" : "");
    free(s);
  }
  nsg_config_free(cfg);
  return rc;
}

static int cmd_check(int argc, char **argv)
{
  struct common c = {0};
  nsg_options_default(&c.opts);
  for (int i = 0; i < argc; i++) {
    int r = parse_common(&c, argc, argv, &i);
    if (r < 0)
      return EXIT_USAGE;
    if (r)
      continue;
    if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
      usage_check(stdout);
      return 0;
    }
    fprintf(stderr, "nsgnic check: unknown option '%s'; try 'nsgnic help check'\n", argv[i]);
    return EXIT_USAGE;
  }
  struct nsg_config *cfg = load(&c);
  if (!cfg)
    return EXIT_CONFIG;
  char *s = nsg_config_summary(cfg);
  printf("%s", s);
  free(s);
  nsg_config_free(cfg);
  return 0;
}

int main(int argc, char **argv)
{
  if (argc < 2) {
    usage(stderr);
    return EXIT_USAGE;
  }
  const char *cmd = argv[1];
  if (strcmp(cmd, "verify") == 0)
    return cmd_verify(argc - 2, argv + 2);
  if (strcmp(cmd, "effective") == 0)
    return cmd_effective(argc - 2, argv + 2);
  if (strcmp(cmd, "check") == 0)
    return cmd_check(argc - 2, argv + 2);
  if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
    printf("nsgnic 0.1.0\n");
    return 0;
  }
  if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
    const char *what = argc > 2 ? argv[2] : "";
    if (strcmp(what, "verify") == 0)
      usage_verify(stdout);
    else if (strcmp(what, "effective") == 0)
      usage_effective(stdout);
    else if (strcmp(what, "check") == 0)
      usage_check(stdout);
    else
      usage(stdout);
    return 0;
  }
  fprintf(stderr, "nsgnic: command '%s' is unknown, try 'nsgnic help'\n", cmd);
  return EXIT_USAGE;
}

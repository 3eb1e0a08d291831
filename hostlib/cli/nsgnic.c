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

#include "cli.h"
#include "model.h"
#include "nsgnic/compile.h"
#include "nsgnic_version.h"

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
    unsigned long long v;
    if (opts_parse_ull(p, 0, 65535, &v) < 0)
      return -1;
    *port = (long)v;
  }
  return 0;
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

/* A batch field by our name, else by the REST name of Azure's VerificationIPFlowParameters. */
static json_t *bfield(json_t *o, const char *ours, const char *rest, const char **used)
{
  json_t *v = json_object_get(o, ours);
  *used = ours;
  if (!v && rest && (v = json_object_get(o, rest)))
    *used = rest;
  return v;
}

/* One batch line -> query; returns 0 or -1 with err set. Strings point into `o`. Fields: ours
 * (nic, direction, protocol, local, localPort, remote, remotePort) or the REST names of
 * VerificationIPFlowParameters (targetResourceId: the NIC's id or name, localIPAddress,
 * remoteIPAddress, localPort, remotePort, protocol, direction). *any_src is set when the source port is `*` (remotePort inbound, localPort outbound: Azure's
 * VerificationIPFlowParameters accept `*` for the source port only). */
static int batch_query(json_t *o, struct nsg_query *q, bool *any_src, char *err, size_t errlen)
{
  memset(q, 0, sizeof *q);
  *any_src = false;
  if (!json_is_object(o)) {
    snprintf(err, errlen, "line is not a JSON object");
    return -1;
  }
  static const char *const req[][2] = {{"nic", "targetResourceId"}, {"direction", NULL}, {"protocol", NULL},
                                       {"local", "localIPAddress"}, {"remote", "remoteIPAddress"}};
  const char *val[5];
  for (size_t i = 0; i < 5; i++) {
    const char *used;
    json_t *v = bfield(o, req[i][0], req[i][1], &used);
    if (!json_is_string(v)) {
      snprintf(err, errlen, "field '%s'%s%s%s is missing or not a string", req[i][0], req[i][1] ? " (or '" : "",
               req[i][1] ? req[i][1] : "", req[i][1] ? "')" : "");
      return -1;
    }
    val[i] = json_string_value(v);
  }
  q->nic = val[0];
  if (parse_direction(val[1], &q->dir) < 0) {
    snprintf(err, errlen, "field 'direction': expected inbound or outbound");
    return -1;
  }
  q->local = val[3];
  q->remote = val[4];
  const char *ps = val[2];
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
      const char *s = json_string_value(p);
      bool src = (q->dir == NSG_INBOUND) == (i == 1);
      if (strcmp(s, "*") == 0) {
        if (!src) {
          snprintf(err, errlen, "field '%s': '*' is accepted for the source port only (%s for %s)", pf[i],
                   q->dir == NSG_INBOUND ? "remotePort" : "localPort", q->dir == NSG_INBOUND ? "inbound" : "outbound");
          return -1;
        }
        *any_src = true;
        continue;
      }
      unsigned long long u;
      v = opts_parse_ull(s, 0, 65535, &u) < 0 ? -1 : (long)u;
    } else if (p && !json_is_null(p))
      v = -1;
    if (v < 0 || v > 65535) {
      snprintf(err, errlen, "field '%s': expected a port 0..65535%s", pf[i],
               (q->dir == NSG_INBOUND) == (i == 1) ? " or '*'" : "");
      return -1;
    }
    /* as on the command line: TCP and UDP need both ports */
    if ((q->proto == 6 || q->proto == 17) && (!p || json_is_null(p))) {
      snprintf(err, errlen, "field '%s': TCP and UDP queries need both ports (localPort, remotePort)", pf[i]);
      return -1;
    }
    *dst[i] = (uint16_t)v;
  }
  return 0;
}

/* `*` as the source port: the answer for every source port. The rules only distinguish the
 * ports at the bounds of their source port ranges, so one port per interval between bounds is
 * evaluated; the answer is the common verdict, or an error when the ports disagree (fail closed:
 * no single answer exists). */
static int cmp_u32(const void *a, const void *b)
{
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return x < y ? -1 : x > y;
}

static int verify_any_src(const struct engine *eng, const void *state, const struct nsg_config *cfg,
                          struct nsg_query *q, struct nsg_verdict *v, char *err, size_t errlen)
{
  size_t n = 1, cap = 1;
  for (size_t i = 0; i < cfg->nnsgs; i++)
    for (size_t j = 0; j < cfg->nsgs[i].nrules; j++)
      cap += 2 * cfg->nsgs[i].rules[j].nsports;
  uint32_t *b = malloc(cap * sizeof *b);
  if (!b) {
    snprintf(err, errlen, "out of memory");
    return -1;
  }
  b[0] = 0;
  for (size_t i = 0; i < cfg->nnsgs; i++)
    for (size_t j = 0; j < cfg->nsgs[i].nrules; j++) {
      const struct nsg_rule *r = &cfg->nsgs[i].rules[j];
      for (size_t k = 0; k < r->nsports; k++) {
        b[n++] = r->sports[k].lo;
        if (r->sports[k].hi < 65535)
          b[n++] = (uint32_t)r->sports[k].hi + 1;
      }
    }
  qsort(b, n, sizeof *b, cmp_u32);
  int rc = 0;
  struct nsg_verdict first;
  uint16_t *sp = q->dir == NSG_INBOUND ? &q->remote_port : &q->local_port;
  for (size_t i = 0; i < n && rc == 0; i++) {
    if (i && b[i] == b[i - 1])
      continue;
    *sp = (uint16_t)b[i];
    struct nsg_verdict cur;
    rc = engine_verify(eng, state, cfg, q, i ? &cur : &first, err, errlen);
    if (rc == 0 && i &&
        (cur.allow != first.allow || cur.kind != first.kind || strcmp(cur.rule_name, first.rule_name) ||
         strcmp(cur.nsg_name, first.nsg_name) || strcmp(cur.reason, first.reason))) {
      snprintf(err, errlen, "source port '*': the answer depends on the source port (%u: %s %s, %u: %s %s); give a port",
               (unsigned)b[0], first.allow ? "Allow" : "Deny",
               first.kind == NSG_DECIDED_BY_RULE ? first.rule_name : "platform/none", (unsigned)b[i],
               cur.allow ? "Allow" : "Deny", cur.kind == NSG_DECIDED_BY_RULE ? cur.rule_name : "platform/none");
      rc = -1;
    }
  }
  free(b);
  if (rc == 0)
    *v = first;
  return rc;
}

static int run_batch(const struct nsg_config *cfg, const struct engine *eng, const void *state, const char *path)
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
    bool any_src;
    if (!o)
      snprintf(err, sizeof err, "malformed JSON: %s", je.text);
    else if (batch_query(o, &q, &any_src, err, sizeof err) == 0)
      rc = any_src ? verify_any_src(eng, state, cfg, &q, &v, err, sizeof err)
                   : engine_verify(eng, state, cfg, &q, &v, err, sizeof err);
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
  int rerr = ferror(f) ? errno : 0; /* a directory, an I/O error: not an empty batch */
  if (f != stdin)
    fclose(f);
  if (rerr) {
    fprintf(stderr, "nsgnic: cannot read batch file %s after %ld line(s): %s\n", path, lineno, strerror(rerr));
    return EXIT_QUERY;
  }
  return failed ? EXIT_QUERY : 0;
}

static const struct cmd_doc doc_verify = {
    "nsgnic", "verify",
    "--config F... --nic NAME --direction inbound|outbound --protocol tcp|udp|icmp|esp|ah|N\n"
    "  --local IP[:PORT] --remote IP[:PORT] [--engine reference|tables|tables-ctx|slowpath|sim] [--image IMG] [--json]\n"
    "--config F... --batch FILE|- [--engine E]\n",
    "IP flow verify: would this packet be allowed, and by which rule?",
    "IPv6 with a port: [2001:db8::1]:443. Ports are used for TCP and UDP only.\n"
    "--batch reads JSON lines {\"nic\",\"direction\",\"protocol\",\"local\",\"localPort\",\"remote\",\n"
    "\"remotePort\"} and writes one JSON line per query.\n"
    "The source port (remotePort inbound, localPort outbound) may be \"*\": the answer of every\n"
    "source port, or an error line when the answer depends on it.\n"
    "Engines: reference (the evaluator of the semantics), tables (the compiled TCAM tables,\n"
    "bit-exact), slowpath (the host's classifier), sim (a packet per query through the\n"
    "co-simulated NIC: the Verilated SoC running the firmware, tables loaded through its\n"
    "mailbox, no flow learning so every query is a new flow; NSGNIC_FIRMWARE=ELF overrides the\n"
    "firmware image). --image IMG (engine tables): answer from this compiled image instead of\n"
    "compiling the configuration (e.g. to reproduce a witness of 'nsgnic prove --image').\n",
    "0 answered; 1 a query failed (unknown NIC, address not on the NIC, bad batch line);\n"
    "2 invalid configuration; 64 usage error",
};

static int cmd_verify(int argc, char **argv)
{
  struct common c = {0};
  nsg_options_default(&c.opts);
  const char *nic = NULL, *dir = NULL, *proto = NULL, *local = NULL, *remote = NULL, *batch = NULL;
  const char *engine = "reference", *image = NULL;
  const struct opt opts[] = {
      COMMON_OPTS(&c, OPTF_REQUIRED),
      {"nic", 0, OPT_STR, "NAME", "the network interface (name or resource id)", &nic, NULL, 0, 0, 0, NULL},
      {"direction", 0, OPT_STR, "D", "inbound or outbound, seen from the NIC", &dir, NULL, 0, 0, 0, NULL},
      {"protocol", 0, OPT_STR, "P", "tcp, udp, icmp, esp, ah or a number 0..255", &proto, NULL, 0, 0, 0, NULL},
      {"local", 0, OPT_STR, "IP[:PORT]", "the NIC's address (and port)", &local, NULL, 0, 0, 0, NULL},
      {"remote", 0, OPT_STR, "IP[:PORT]", "the other end's address (and port)", &remote, NULL, 0, 0, 0, NULL},
      {"batch", 0, OPT_STR, "FILE|-", "queries as JSON lines (- : standard input)", &batch, NULL, 0, 0, 0, NULL},
      {"engine", 0, OPT_STR, "E", "reference (default), tables, tables-ctx (tables with per-vport\nlabel contexts), slowpath or sim", &engine, NULL, 0, 0, 0, NULL},
      {"image", 0, OPT_STR, "IMG", "engine tables: answer from this compiled image", &image, NULL, 0, 0, 0, NULL},
      OPT_HELP_ENTRY,
      OPT_END,
  };
  int pr = parse_common(&doc_verify, opts, argc, argv, &c);
  if (pr)
    return pr == 1 ? 0 : EXIT_USAGE;
  const struct engine *eng = find_engine(engine);
  if (!eng)
    return EXIT_USAGE;
  struct nsg_query q = {0};
  char lip[80], rip[80];
  if (!batch) {
    if (!nic || !dir || !proto || !local || !remote)
      return usage_error(&doc_verify, "--nic, --direction, --protocol, --local and --remote are required (or --batch FILE)");
    long lp, rp;
    if (split_endpoint(local, lip, sizeof lip, &lp) < 0 || split_endpoint(remote, rip, sizeof rip, &rp) < 0)
      return usage_error(&doc_verify, "--local/--remote expect IP, IP:PORT or [IPv6]:PORT");
    q.nic = nic;
    q.local = lip;
    q.remote = rip;
    q.local_port = (uint16_t)(lp < 0 ? 0 : lp);
    q.remote_port = (uint16_t)(rp < 0 ? 0 : rp);
    if (parse_direction(dir, &q.dir) < 0)
      return usage_error(&doc_verify, "--direction expects inbound or outbound, not '%s'", dir);
    if (nsg_protocol_parse(proto, strchr(lip, ':') != NULL, &q.proto) < 0 || q.proto < 0)
      return usage_error(&doc_verify, "--protocol expects tcp, udp, icmp, esp, ah or a number 0..255, not '%s'", proto);
    if ((q.proto == 6 || q.proto == 17) && (lp < 0 || rp < 0))
      return usage_error(&doc_verify, "TCP and UDP need ports: --local IP:PORT --remote IP:PORT");
  }
  struct nsg_config *cfg = load(&c);
  if (!cfg)
    return EXIT_CONFIG;
  int rc = 0;
  void *state = NULL;
  char perr[512];
  if (image && strcmp(eng->name, "tables") != 0) {
    nsg_config_free(cfg);
    return usage_error(&doc_verify, "--image needs --engine tables");
  }
  if (image ? !(state = nsg_tables_load(image, perr, sizeof perr))
            : eng->prepare && !(state = eng->prepare(cfg, perr, sizeof perr))) {
    fprintf(stderr, "nsgnic verify: engine %s: %s\n", eng->name, perr);
    nsg_config_free(cfg);
    return EXIT_CONFIG;
  }
  if (batch) {
    rc = run_batch(cfg, eng, state, batch);
  } else {
    struct nsg_verdict v;
    char err[512];
    if (engine_verify(eng, state, cfg, &q, &v, err, sizeof err) < 0) {
      fprintf(stderr, "nsgnic verify: %s\n", err);
      if (strstr(err, "no network interface named"))
        hint_nics(cfg);
      rc = EXIT_QUERY;
    } else {
      print_verdict(&v, c.json);
    }
  }
  if (state)
    eng->release(state);
  nsg_config_free(cfg);
  return rc;
}

static const struct cmd_doc doc_effective = {
    "nsgnic", "effective", "--config F... --nic NAME [--json]",
    "effective security rules of a NIC: both NSG levels, in evaluation order (S9)",
    "With --json: the shape of 'az network nic list-effective-nsg' (tagMap per NSG level,\n"
    "protocol All for *, null for a singular field of a rule with several values and for an\n"
    "empty expansion).\n",
    "0 printed; 1 unknown NIC; 2 invalid configuration; 64 usage error",
};

static int cmd_effective(int argc, char **argv)
{
  struct common c = {0};
  nsg_options_default(&c.opts);
  const char *nic = NULL;
  const struct opt opts[] = {
      COMMON_OPTS(&c, OPTF_REQUIRED),
      {"nic", 0, OPT_STR, "NAME", "the network interface (name or resource id)", &nic, NULL, 0, 0, OPTF_REQUIRED, NULL},
      OPT_HELP_ENTRY,
      OPT_END,
  };
  int pr = parse_common(&doc_effective, opts, argc, argv, &c);
  if (pr)
    return pr == 1 ? 0 : EXIT_USAGE;
  struct nsg_config *cfg = load(&c);
  if (!cfg)
    return EXIT_CONFIG;
  char *s = c.json ? nsg_effective_json(cfg, nic, true) : nsg_effective_text(cfg, nic);
  int rc = 0;
  if (!s) {
    fprintf(stderr, "nsgnic effective: no network interface named '%s' in the configuration\n", nic);
    hint_nics(cfg);
    rc = EXIT_QUERY;
  } else {
    printf("%s%s", s, c.json ? "\n" : "");
    free(s);
  }
  nsg_config_free(cfg);
  return rc;
}

static const struct cmd_doc doc_check = {
    "nsgnic", "check", "--config F... [--service-tags F]... [--json]",
    "validate a configuration and print a summary",
    "Every error is printed, naming file, resource, rule and field; nothing is loaded.\n",
    "0 valid; 2 invalid configuration; 64 usage error",
};

static int cmd_check(int argc, char **argv)
{
  struct common c = {0};
  nsg_options_default(&c.opts);
  const struct opt opts[] = {
      COMMON_OPTS(&c, OPTF_REQUIRED),
      OPT_HELP_ENTRY,
      OPT_END,
  };
  int pr = parse_common(&doc_check, opts, argc, argv, &c);
  if (pr)
    return pr == 1 ? 0 : EXIT_USAGE;
  struct nsg_config *cfg = load(&c);
  if (!cfg)
    return EXIT_CONFIG;
  char *s = c.json ? nsg_config_summary_json(cfg) : nsg_config_summary(cfg);
  printf("%s%s", s, c.json ? "\n" : "");
  free(s);
  nsg_config_free(cfg);
  return 0;
}

/* Commands: object/verb dispatch. Commands of other files are declared in cli.h. */
static int cmd_help(int argc, char **argv);
static int cmd_version(int argc, char **argv);

const struct command commands[] = {
    {"check", cmd_check, "validate a configuration and print a summary"},
    {"verify", cmd_verify, "IP flow verify: would this packet be allowed, and by which rule?"},
    {"effective", cmd_effective, "effective security rules of a NIC"},
    {"compile", cmd_compile, "compile to the device's lookup tables; write the image, print statistics"},
    {"prove", cmd_prove, "prove compiled tables equivalent to the semantics over every packet"},
    {"query", cmd_query, "the allowed/denied packets of a NIC, or what one rule decides, exactly"},
    {"diff", cmd_diff, "the packets whose verdict changes between two configurations"},
    {"run", cmd_run, "replay a pcap through the software packet path or the co-simulated NIC; flow logs"},
    {"flows", cmd_flows, "list the flows a pcap replay leaves tracked"},
    {"devices", cmd_devices, "list the nsgnic boards on the PCI bus"},
    {"load", cmd_load, "load compiled tables into a device (board, fake or sim)"},
    {"help", cmd_help, "this text; 'nsgnic help COMMAND' for a command's options"},
    {"version", cmd_version, "print the version"},
    {NULL, NULL, NULL},
};

static const struct command *find_command(const char *name)
{
  for (size_t i = 0; commands[i].name; i++)
    if (strcmp(name, commands[i].name) == 0)
      return &commands[i];
  return NULL;
}

static const char common_text[] =
    "common options (every command that reads a configuration):\n"
    "  -c, --config FILE          Azure JSON (az ... list/show, ARM or REST); repeatable\n"
    "  --service-tags FILE        Azure Service Tags JSON; repeatable\n"
    "  --strict                   enforce the seed's rules (no Icmp/Esp/Ah, one ASG per field)\n"
    "  --subscription-type T      S13 (default EnterpriseAgreement)\n"
    "  --no-platform-exemption    do not exempt 168.63.129.16 / 169.254.169.254 (S10)\n"
    "  --forced-tunneling         0.0.0.0/0 default route: no KMS platform rule (S11)\n"
    "  --limit NAME=N             Azure limits (S14)\n"
    "  --json                     machine-readable output (JSON)\n"
    "  -h, --help                 the command's help\n";

void usage(FILE *f)
{
  if (opts_help_format == HELP_MAN) {
    man_header(f, "nsgnic", "enforce Azure network security groups on an FPGA SmartNIC");
    fputs(".SH SYNOPSIS\n.B nsgnic\n\\fICOMMAND\\fR [\\fIOPTIONS\\fR]\n.br\n.B nsgnic\n\\-\\-version | \\-\\-help\n"
          ".SH COMMANDS\n", f);
    for (size_t i = 0; commands[i].name; i++) {
      fprintf(f, ".TP\n.BR nsgnic\\-%s (1)\n", commands[i].name);
      man_text(f, commands[i].summary);
    }
    fputs(".SH OPTIONS\n.nf\n", f);
    man_text(f, common_text);
    fputs(".fi\n.SH EXIT STATUS\n", f);
    man_text(f, "0 success; 1 a query failed (unknown NIC, address not on the NIC, a bad batch line); 2 the "
                "configuration is invalid (every error printed, nothing loaded); 64 usage error; 130 interrupted.");
    return;
  }
  fprintf(f, "usage: nsgnic <command> [options]\n       nsgnic --version | --help\ncommands:\n");
  for (size_t i = 0; commands[i].name; i++)
    fprintf(f, "  %-11s %s\n", commands[i].name, commands[i].summary);
  fputs(common_text, f);
}

static const struct cmd_doc doc_help = {
    "nsgnic", "help", "[--man] [COMMAND]", "print the list of commands, or a command's options",
    "--man prints the manual page (roff) instead: nsgnic(1), or nsgnic-COMMAND(1).\n", "0; 64 unknown command",
};

static int cmd_help(int argc, char **argv)
{
  bool man = false;
  const struct opt opts[] = {
      {"man", 0, OPT_FLAG, NULL, "print the manual page (roff)", &man, NULL, 0, 0, 0, NULL},
      OPT_HELP_ENTRY,
      OPT_END,
  };
  int rest;
  int pr = parse_opts(&doc_help, opts, argc, argv, 1, &rest);
  if (pr)
    return pr == 1 ? 0 : EXIT_USAGE;
  if (argc - rest > 1)
    return usage_error(&doc_help, "one command at most, not '%s %s'", argv[rest], argv[rest + 1]);
  if (man)
    opts_help_format = HELP_MAN;
  if (rest == argc) {
    usage(stdout);
    return 0;
  }
  const struct command *c = find_command(argv[rest]);
  if (!c) {
    fprintf(stderr, "nsgnic help: command '%s' is unknown, try 'nsgnic help'\n", argv[rest]);
    return EXIT_USAGE;
  }
  char *h[] = {(char *)c->name, "--help", NULL};
  return c->run(2, h);
}

static const struct cmd_doc doc_version = {
    "nsgnic", "version", "", "print the version (and the git commit it was built from)", NULL, "0",
};

static int cmd_version(int argc, char **argv)
{
  const struct opt opts[] = {OPT_HELP_ENTRY, OPT_END};
  int pr = parse_opts(&doc_version, opts, argc, argv, 1, NULL);
  if (pr)
    return pr == 1 ? 0 : EXIT_USAGE;
  printf("nsgnic %s\n", NSGNIC_VERSION_STRING);
  return 0;
}

int main(int argc, char **argv)
{
  if (argc < 2) {
    usage(stderr);
    return EXIT_USAGE;
  }
  const char *cmd = argv[1];
  if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0)
    return cmd_version(1, argv + 1);
  if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0)
    return cmd_help(argc - 1, argv + 1);
  const struct command *c = find_command(cmd);
  if (c)
    return c->run(argc - 1, argv + 1);
  fprintf(stderr, "nsgnic: command '%s' is unknown, try 'nsgnic help'\n", cmd);
  return EXIT_USAGE;
}

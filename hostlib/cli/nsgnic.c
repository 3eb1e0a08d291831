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
#include "nsgnic/compile.h"

static void usage_verify(FILE *f)
{
  fprintf(f,
          "usage: nsgnic verify --config F... --nic NAME --direction inbound|outbound\n"
          "                     --protocol tcp|udp|icmp|esp|ah|N --local IP[:PORT] --remote IP[:PORT]\n"
          "                     [--engine reference|tables|sim] [--image IMG] [--json]\n"
          "       nsgnic verify --config F... --batch FILE|-   (JSON lines: {\"nic\",\"direction\",\n"
          "                     \"protocol\",\"local\",\"localPort\",\"remote\",\"remotePort\"}; one JSON\n"
          "                     line out per query)\n"
          "IPv6 with a port: [2001:db8::1]:443. Ports are used for TCP and UDP only.\n"
          "Engines: reference (the evaluator of the semantics), tables (the compiled TCAM tables,\n"
          "bit-exact), sim (a packet per query through the co-simulated NIC: the Verilated SoC\n"
          "running the firmware, tables loaded through its mailbox, no flow learning so every\n"
          "query is a new flow; NSGNIC_FIRMWARE=ELF overrides the firmware image).\n"
          "--image IMG (engine tables): answer from this compiled image instead of compiling the\n"
          "configuration (e.g. to reproduce a witness of 'nsgnic prove --image').\n");
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
    if (!o)
      snprintf(err, sizeof err, "malformed JSON: %s", je.text);
    else if (batch_query(o, &q, err, sizeof err) == 0)
      rc = engine_verify(eng, state, cfg, &q, &v, err, sizeof err);
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
  const char *engine = "reference", *image = NULL;
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
    else if (strcmp(argv[i], "--image") == 0) dst = &image;
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
  void *state = NULL;
  char perr[512];
  if (image && strcmp(eng->name, "tables") != 0) {
    fprintf(stderr, "nsgnic verify: --image needs --engine tables\n");
    nsg_config_free(cfg);
    return EXIT_USAGE;
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
  char *s = c.json ? nsg_config_summary_json(cfg) : nsg_config_summary(cfg);
  printf("%s%s", s, c.json ? "\n" : "");
  free(s);
  nsg_config_free(cfg);
  return 0;
}

/* Commands: object/verb dispatch. Commands of other files are declared in cli.h. */
static const struct command {
  const char *name;
  int (*run)(int argc, char **argv);
  void (*usage)(FILE *f);
} commands[] = {
    {"check", cmd_check, usage_check},
    {"verify", cmd_verify, usage_verify},
    {"effective", cmd_effective, usage_effective},
    {"compile", cmd_compile, usage_compile},
    {"prove", cmd_prove, usage_prove},
    {"query", cmd_query, usage_query},
    {"diff", cmd_diff, usage_diff},
    {"run", cmd_run, usage_run},
    {"flows", cmd_flows, usage_flows},
    {"devices", cmd_devices, usage_devices},
    {"load", cmd_load, usage_load},
};

int main(int argc, char **argv)
{
  if (argc < 2) {
    usage(stderr);
    return EXIT_USAGE;
  }
  const char *cmd = argv[1];
  for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
    if (strcmp(cmd, commands[i].name) == 0)
      return commands[i].run(argc - 2, argv + 2);
  if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
    printf("nsgnic 0.1.0\n");
    return 0;
  }
  if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
    for (size_t i = 0; argc > 2 && i < sizeof commands / sizeof *commands; i++)
      if (strcmp(argv[2], commands[i].name) == 0) {
        commands[i].usage(stdout);
        return 0;
      }
    usage(stdout);
    return 0;
  }
  fprintf(stderr, "nsgnic: command '%s' is unknown, try 'nsgnic help'\n", cmd);
  return EXIT_USAGE;
}

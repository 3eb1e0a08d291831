/* SPDX-License-Identifier: Apache-2.0 */
/* nsgnic prove / query / diff: exhaustive answers with the prover (docs/prove.md), and the
 * check `nsgnic load --prove` makes before it writes anything to a device. */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "nsgnic/compile.h"
#include "nsgnic/prove.h"

enum { EXIT_PROVE_FAILED = 3 };

/* ---- output ---------------------------------------------------------------------------------- */
static void verdict_text(char *buf, size_t n, int rc, const char *err, const struct nsg_verdict *v)
{
  if (rc < 0)
    snprintf(buf, n, "error: %s", err);
  else if (v->kind == NSG_DECIDED_BY_RULE)
    snprintf(buf, n, "%s %s/%s", v->allow ? "Allow" : "Deny", v->nsg_name, v->rule_name);
  else if (v->kind == NSG_DECIDED_BY_PLATFORM)
    snprintf(buf, n, "%s platform (%s)", v->allow ? "Allow" : "Deny", v->reason);
  else
    snprintf(buf, n, "%s (no NSG)", v->allow ? "Allow" : "Deny");
}

static void endpoint(char *buf, size_t n, const char *ip, unsigned port)
{
  snprintf(buf, n, strchr(ip, ':') ? "[%s]:%u" : "%s:%u", ip, port);
}

static json_t *verdict_json(int rc, const char *err, const struct nsg_verdict *v)
{
  if (rc < 0)
    return json_pack("{s:s}", "error", err);
  json_t *o = json_pack("{s:s}", "access", v->allow ? "Allow" : "Deny");
  if (v->kind == NSG_DECIDED_BY_RULE) {
    json_object_set_new(o, "ruleName", json_string(v->rule_name));
    json_object_set_new(o, "nsg", json_string(v->nsg_name));
  } else if (v->kind == NSG_DECIDED_BY_PLATFORM) {
    json_object_set_new(o, "platform", json_string(v->reason));
  }
  return o;
}

/* Prints a proof result; `want`/`have` name the two sides; `repro` is the verify command prefix
 * (NULL: no reproduce line). */
static void print_result(const struct nsg_prove_result *r, const char *want, const char *have, const char *repro,
                         const char *image, bool json)
{
  if (json) {
    json_t *o = json_pack("{s:b,s:I,s:f,s:I,s:f}", "equivalent", r->equivalent, "cases", (json_int_t)r->cases, "ms",
                          r->ms, "bddNodes", (json_int_t)r->bdd_nodes, "differingPackets", r->differing);
    json_t *a = json_array();
    for (size_t i = 0; i < r->nw; i++) {
      const struct nsg_prove_witness *w = &r->w[i];
      json_t *d = json_pack("{s:s,s:s,s:i,s:s,s:i,s:s,s:i}", "nic", w->nic, "direction",
                            w->dir == NSG_INBOUND ? "inbound" : "outbound", "protocol", w->proto, "local", w->local,
                            "localPort", (int)w->local_port, "remote", w->remote, "remotePort", (int)w->remote_port);
      json_object_set_new(d, want, verdict_json(w->want_rc, w->want_err, &w->want));
      json_object_set_new(d, have, verdict_json(w->have_rc, w->have_err, &w->have));
      json_array_append_new(a, d);
    }
    json_object_set_new(o, "differences", a);
    char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    printf("%s\n", s);
    free(s);
    json_decref(o);
    return;
  }
  if (r->equivalent) {
    printf("prove: equivalent: %zu cases (NIC address x direction), every packet; %.1f ms, %zu BDD nodes\n", r->cases,
           r->ms, r->bdd_nodes);
    return;
  }
  printf("prove: NOT equivalent: %zu witness%s, %.6g differing packets in %zu cases; %.1f ms, %zu BDD nodes\n", r->nw,
         r->nw == 1 ? "" : "es", r->differing, r->cases, r->ms, r->bdd_nodes);
  for (size_t i = 0; i < r->nw; i++) {
    const struct nsg_prove_witness *w = &r->w[i];
    char a[512], b[512], l[96], m[96];
    verdict_text(a, sizeof a, w->want_rc, w->want_err, &w->want);
    verdict_text(b, sizeof b, w->have_rc, w->have_err, &w->have);
    if (!w->local[0]) { /* a whole NIC on one side only */
      printf("difference %zu: NIC %s\n  %-10s %s\n  %-10s %s\n", i + 1, w->nic, want, a, have, b);
      continue;
    }
    endpoint(l, sizeof l, w->local, w->local_port);
    endpoint(m, sizeof m, w->remote, w->remote_port);
    printf("difference %zu: %s %s protocol %d local %s remote %s\n  %-10s %s\n  %-10s %s\n", i + 1, w->nic,
           w->dir == NSG_INBOUND ? "inbound" : "outbound", w->proto, l, m, want, a, have, b);
    if (repro)
      for (int e = 0; e < 2; e++)
        printf("  reproduce: %s --nic %s --direction %s --protocol %d --local %s --remote %s --engine %s%s%s\n", repro,
               w->nic, w->dir == NSG_INBOUND ? "inbound" : "outbound", w->proto, l, m, e ? "tables" : "reference",
               e && image ? " --image " : "", e && image ? image : "");
  }
}

/* "nsgnic verify --config A --config B --service-tags T" */
static char *verify_prefix(const struct common *c)
{
  size_t n = 64;
  for (int i = 0; i < c->configs.n; i++)
    n += strlen(c->configs.v[i]) + 12;
  for (int i = 0; i < c->tags.n; i++)
    n += strlen(c->tags.v[i]) + 18;
  char *s = malloc(n);
  if (!s)
    return NULL;
  strcpy(s, "nsgnic verify");
  for (int i = 0; i < c->configs.n; i++)
    strcat(strcat(s, " --config "), c->configs.v[i]);
  for (int i = 0; i < c->tags.n; i++)
    strcat(strcat(s, " --service-tags "), c->tags.v[i]);
  return s;
}

/* ---- prove ----------------------------------------------------------------------------------- */
static const struct cmd_doc doc_prove = {
    "nsgnic", "prove",
    "--config F... [--image IMG] [--max-witnesses N] [--no-table-limits] [--no-port-classes] [--json]",
    "prove compiled tables equivalent to the NSG semantics over every packet, or show witnesses",
    "For every NIC address and direction, the packets of each answer (verdict and deciding rule,\n"
    "platform, no NSG) over the whole header space (protocol, remote address, both ports), from\n"
    "the reference evaluator and from the tables (labels, platform stage, port comparators, both\n"
    "NSG levels, bank bit), compared exactly with BDDs (docs/prove.md). Without --image the\n"
    "configuration is compiled here. Each difference is printed as a packet with both answers\n"
    "and the verify commands that reproduce them on each engine.\n",
    "0 equivalent; 1 differences; 2 invalid configuration or image; 3 the proof could not be\n"
    "completed (out of memory, an internal check failed); 64 usage error",
};

int cmd_prove(int argc, char **argv)
{
  struct common c = {0};
  nsg_options_default(&c.opts);
  const char *image = NULL;
  struct nsg_prove_opts po;
  nsg_prove_opts_default(&po);
  struct nsg_compile_opts co;
  nsg_compile_opts_default(&co);
  bool no_limits = false;
  unsigned long long maxw = po.max_witnesses;
  const struct opt opts[] = {
      COMMON_OPTS(&c, OPTF_REQUIRED),
      {"image", 0, OPT_STR, "IMG", "the tables to prove (default: compile the configuration here)", &image, NULL, 0, 0,
       0, NULL},
      {"max-witnesses", 0, OPT_ULL, "N", "witness packets per NIC address and direction (default 4)", &maxw, NULL, 1,
       10000, 0, NULL},
      {"no-table-limits", 0, OPT_FLAG, NULL, "compile without the ABI's table sizes (measurements only)", &no_limits,
       NULL, 0, 0, 0, NULL},
      {"no-port-classes", 0, OPT_FLAG, NULL, "compile without the port-range comparators", &co.no_port_classes, NULL,
       0, 0, 0, NULL},
      {"label-ctx", 0, OPT_FLAG, NULL, "compile with per-vport label contexts (a device with CAP_LABEL_CTX)",
       &co.label_ctx, NULL, 0, 0, 0, NULL},
      OPT_HELP_ENTRY,
      OPT_END,
  };
  int pr = parse_common(&doc_prove, opts, argc, argv, &c);
  if (pr)
    return pr == 1 ? 0 : EXIT_USAGE;
  po.max_witnesses = (size_t)maxw;
  if (no_limits)
    co.rule_entries = co.label_entries = co.platform_entries = 0;
  struct nsg_config *cfg = load(&c);
  if (!cfg)
    return EXIT_CONFIG;
  char err[1024];
  struct nsg_tables *t = image ? nsg_tables_load(image, err, sizeof err) : nsg_compile(cfg, &co, err, sizeof err);
  if (!t) {
    fprintf(stderr, "nsgnic prove: %s\n", err);
    nsg_config_free(cfg);
    return EXIT_CONFIG;
  }
  struct nsg_prove_result r;
  int rc = nsg_prove(cfg, t, &po, &r, err, sizeof err);
  if (rc < 0) {
    fprintf(stderr, "nsgnic prove: %s\n", err);
    rc = EXIT_PROVE_FAILED;
  } else {
    char *repro = verify_prefix(&c);
    print_result(&r, "reference", "tables", repro, image, c.json);
    free(repro);
    rc = r.equivalent ? 0 : EXIT_QUERY;
    nsg_prove_result_fini(&r);
  }
  nsg_tables_free(t);
  nsg_config_free(cfg);
  return rc;
}

/* ---- load --prove ---------------------------------------------------------------------------- */
int prove_before_load(const struct nsg_config *cfg, const struct nsg_tables *t, const struct nsg_tables *old,
                      size_t max_states, bool json)
{
  char err[1024];
  struct nsg_prove_result r;
  if (!old) {
    if (nsg_prove(cfg, t, NULL, &r, err, sizeof err) < 0) {
      fprintf(stderr, "nsgnic load: prove: %s\n", err);
      return EXIT_PROVE_FAILED;
    }
    bool ok = r.equivalent;
    if (!ok) {
      print_result(&r, "reference", "tables", NULL, NULL, json);
      fprintf(stderr, "nsgnic load: the image is not equivalent to the configuration; not loaded\n");
    } else if (!json) {
      printf("proved: %zu cases equivalent (%.1f ms)\n", r.cases, r.ms);
    }
    nsg_prove_result_fini(&r);
    return ok ? 0 : EXIT_QUERY;
  }
  /* an update: every state the planner's writes pass through, on a model of the device */
  struct nsg_update *u = nsg_update_plan(old, t, err, sizeof err);
  if (!u) {
    fprintf(stderr, "nsgnic load: prove: %s\n", err);
    return EXIT_QUERY;
  }
  struct nsg_tables *dev = nsg_tables_clone(old);
  int rc = 0;
  if (!dev || nsg_update_install_names(u, dev) < 0) {
    fprintf(stderr, "nsgnic load: prove: out of memory\n");
    rc = EXIT_PROVE_FAILED;
  }
  size_t n = nsg_update_count(u), sw = nsg_update_switch_index(u), proved = 0;
  double ms = 0;
  for (size_t i = 0; i <= n && rc == 0; i++) {
    if (i > 0 && nsg_tables_apply(dev, nsg_update_write(u, i - 1), 1) < 0) {
      fprintf(stderr, "nsgnic load: prove: the planned write %zu does not apply\n", i);
      rc = EXIT_PROVE_FAILED;
      break;
    }
    /* state i: after i writes. Bounded work: every state when there are few, else the states
     * at the phase boundaries (start, all staged, switched, final) */
    bool boundary = i == 0 || i == sw || i == sw + 1 || i == n;
    if (n + 1 > max_states && !boundary)
      continue;
    bool after = i > sw; /* write sw is the bank switch */
    int prc = after ? nsg_prove(cfg, dev, NULL, &r, err, sizeof err) : nsg_prove_tables(old, dev, NULL, &r, err, sizeof err);
    if (prc < 0) {
      fprintf(stderr, "nsgnic load: prove: state after write %zu: %s\n", i, err);
      rc = EXIT_PROVE_FAILED;
      break;
    }
    proved++;
    ms += r.ms;
    if (!r.equivalent) {
      print_result(&r, after ? "reference" : "old", "tables", NULL, NULL, json);
      fprintf(stderr, "nsgnic load: after write %zu of %zu (%s the bank switch) the device would not answer as %s; "
              "not loaded\n", i, n, after ? "after" : "before", after ? "the new configuration" : "the old image");
      rc = EXIT_QUERY;
    }
    nsg_prove_result_fini(&r);
  }
  if (rc == 0 && !json)
    printf("proved: %zu of %zu update states (before the switch: as the old image; from it on: as the new "
           "configuration), %.1f ms\n", proved, n + 1, ms);
  nsg_tables_free(dev);
  nsg_update_free(u);
  return rc;
}

/* ---- query ----------------------------------------------------------------------------------- */
static const struct cmd_doc doc_query = {
    "nsgnic", "query",
    "--config F... [--nic N] [--direction inbound|outbound] (--allowed | --denied | --rule NSG/NAME)\n"
    "  [--from PREFIX] [--to PREFIX] [--proto P] [--port N|LO-HI] [--json]",
    "the allowed or denied packets of a NIC, or what one rule decides, over every packet",
    "Answers exactly (BDDs, docs/prove.md), as rows of protocols, remote prefixes ('* except'\n"
    "when the complement is shorter) and port ranges per NIC address and direction. --rule shows\n"
    "what a rule actually decides after every rule before it, at either level (a shadowed rule:\n"
    "nothing). --from/--to keep packets from / to a prefix, --proto one protocol, --port one\n"
    "destination port or range.\n",
    "0 answered; 1 unknown NIC or rule; 2 invalid configuration; 3 the answer could not be\n"
    "computed; 64 usage error",
};

static int parse_dir(const char *s, int *d)
{
  if (strcmp(s, "inbound") == 0 || strcmp(s, "in") == 0)
    *d = NSG_INBOUND;
  else if (strcmp(s, "outbound") == 0 || strcmp(s, "out") == 0)
    *d = NSG_OUTBOUND;
  else
    return -1;
  return 0;
}

static void print_space(const struct nsg_space *s, bool json, const char *empty)
{
  char *out = json ? nsg_space_json(s) : nsg_space_text(s);
  if (!out) {
    fprintf(stderr, "nsgnic: out of memory\n");
    return;
  }
  if (!json && s->n == 0)
    printf("%s\n", empty);
  else
    printf("%s%s", out, json ? "\n" : "");
  free(out);
}

int cmd_query(int argc, char **argv)
{
  struct common c = {0};
  nsg_options_default(&c.opts);
  struct nsg_space_query q = {.dir = -1, .proto = -1, .port_lo = -1, .port_hi = -1, .what = NSG_SPACE_ALLOWED};
  const char *dir = NULL, *proto = NULL, *port = NULL;
  bool allowed = false, denied = false;
  const struct opt opts[] = {
      COMMON_OPTS(&c, OPTF_REQUIRED),
      {"nic", 0, OPT_STR, "NAME", "only this network interface (name or resource id)", &q.nic, NULL, 0, 0, 0, NULL},
      {"direction", 0, OPT_STR, "D", "only inbound or outbound", &dir, NULL, 0, 0, 0, NULL},
      {"allowed", 0, OPT_FLAG, NULL, "the allowed packets (the default)", &allowed, NULL, 0, 0, 0, NULL},
      {"denied", 0, OPT_FLAG, NULL, "the denied packets", &denied, NULL, 0, 0, 0, NULL},
      {"rule", 0, OPT_STR, "NSG/NAME", "the packets this rule decides", &q.rule, NULL, 0, 0, 0, NULL},
      {"from", 0, OPT_STR, "PREFIX", "only packets from this prefix", &q.from, NULL, 0, 0, 0, NULL},
      {"to", 0, OPT_STR, "PREFIX", "only packets to this prefix", &q.to, NULL, 0, 0, 0, NULL},
      {"proto", 0, OPT_STR, "P", "only this protocol (tcp, udp, icmp, esp, ah, 0..255)", &proto, NULL, 0, 0, 0, NULL},
      {"port", 0, OPT_STR, "N|LO-HI", "only this destination port or range", &port, NULL, 0, 0, 0, NULL},
      OPT_HELP_ENTRY,
      OPT_END,
  };
  int pr = parse_common(&doc_query, opts, argc, argv, &c);
  if (pr)
    return pr == 1 ? 0 : EXIT_USAGE;
  if (allowed + denied + (q.rule != NULL) > 1)
    return usage_error(&doc_query, "give one of --allowed, --denied, --rule NSG/NAME");
  if (denied)
    q.what = NSG_SPACE_DENIED;
  if (q.rule)
    q.what = NSG_SPACE_RULE;
  if (dir && parse_dir(dir, &q.dir) < 0)
    return usage_error(&doc_query, "--direction expects inbound or outbound, not '%s'", dir);
  if (proto && nsg_protocol_parse(proto, false, &q.proto) < 0)
    return usage_error(&doc_query, "--proto expects tcp, udp, icmp, esp, ah, * or 0..255, not '%s'", proto);
  if (port) {
    const char *dash = strchr(port, '-');
    unsigned long long lo, hi;
    if (opts_parse_ulln(port, dash ? (size_t)(dash - port) : strlen(port), 0, 65535, &lo) < 0 ||
        (dash ? opts_parse_ull(dash + 1, lo, 65535, &hi) : (hi = lo, 0)) < 0)
      return usage_error(&doc_query, "--port expects N or LO-HI within 0..65535, not '%s'", port);
    q.port_lo = (int)lo;
    q.port_hi = (int)hi;
  }
  struct nsg_config *cfg = load(&c);
  if (!cfg)
    return EXIT_CONFIG;
  char err[1024];
  struct nsg_space *s;
  int rc = nsg_prove_space(cfg, &q, &s, err, sizeof err);
  if (rc < 0) {
    fprintf(stderr, "nsgnic query: %s\n", err);
    rc = rc == -EINVAL || rc == -ENOENT ? EXIT_QUERY : EXIT_PROVE_FAILED;
  } else {
    print_space(s, c.json, q.what == NSG_SPACE_RULE ? "decides nothing (shadowed by earlier rules, or never reached)"
                                                    : "(no packets)");
    nsg_space_free(s);
  }
  nsg_config_free(cfg);
  return rc;
}

/* ---- diff ------------------------------------------------------------------------------------ */
static const struct cmd_doc doc_diff = {
    "nsgnic", "diff", "--config OLD... --against NEW... [--nic N] [--json]",
    "the packets whose verdict changes between two configurations, exactly",
    "Rows 'Allow -> Deny' and 'Deny -> Allow' per NIC address and direction (the NIC addresses\n"
    "present in both). Both configurations use the same --service-tags and options; give each\n"
    "its whole set of files (--config for the old one, --against for the new one).\n",
    "0 no verdict changes; 1 some change; 2 invalid configuration; 3 the answer could not be\n"
    "computed; 64 usage error",
};

int cmd_diff(int argc, char **argv)
{
  struct common c = {0}, n;
  nsg_options_default(&c.opts);
  struct strlist against = {0};
  const char *nic = NULL;
  const struct opt opts[] = {
      COMMON_OPTS(&c, OPTF_REQUIRED),
      {"against", 0, OPT_LIST, "FILE", "the new configuration's files; repeatable", &against, NULL, 0, 0,
       OPTF_REQUIRED, NULL},
      {"nic", 0, OPT_STR, "NAME", "only this network interface", &nic, NULL, 0, 0, 0, NULL},
      OPT_HELP_ENTRY,
      OPT_END,
  };
  int pr = parse_common(&doc_diff, opts, argc, argv, &c);
  if (pr)
    return pr == 1 ? 0 : EXIT_USAGE;
  n = c;
  n.configs = against;
  struct nsg_config *o = load(&c), *nw = o ? load(&n) : NULL;
  if (!o || !nw) {
    nsg_config_free(o);
    return EXIT_CONFIG;
  }
  char err[1024];
  struct nsg_space *s;
  int rc = nsg_prove_diff(o, nw, nic, &s, err, sizeof err);
  if (rc < 0) {
    fprintf(stderr, "nsgnic diff: %s\n", err);
    rc = rc == -ENOENT ? EXIT_QUERY : EXIT_PROVE_FAILED;
  } else {
    print_space(s, c.json, "no packet changes verdict");
    rc = s->n ? EXIT_QUERY : 0;
    nsg_space_free(s);
  }
  nsg_config_free(o);
  nsg_config_free(nw);
  return rc;
}

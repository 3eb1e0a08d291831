/* SPDX-License-Identifier: Apache-2.0 */
/* Tests of the prover (docs/prove.md):
 * - equivalence: random configurations of the differential generator (tags, ASGs, augmented
 *   rules, both families, every protocol, random platform options) compile to tables the prover
 *   finds equivalent to the reference, and the three-tier example and the corpus too;
 * - mutation: single-bit corruptions of compiled tables (entry value, care mask, result, label
 *   result bits, port-range comparators, bindings): every witness the prover reports reproduces
 *   as different answers of `nsg_verify` and `nsg_tables_verify`; a corruption the prover calls
 *   harmless agrees on sampled packets; most corruptions are caught;
 * - updates: every state an incremental update passes through answers as the old tables before
 *   the bank switch and as the new configuration from it on (S2 atomicity, proven);
 * - query and diff against brute-force enumeration (S2, S3, S9): every enumerated packet is in
 *   the allowed rows exactly when verify allows it, in the diff rows exactly when its verdict
 *   changes. NSGNIC_PROVE_CONFIGS scales the random part. */
#define _GNU_SOURCE /* asprintf */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "addr.h"
#include "gen.h"
#include "nsgnic/compile.h"
#include "nsgnic/prove.h"
#include "tables.h"

static unsigned env_or(const char *name, unsigned dflt)
{
  const char *s = getenv(name);
  return s ? (unsigned)strtoul(s, NULL, 10) : dflt;
}

/* verdict, rule and NSG (the prover compares these; the platform reason text is free-form) */
static void vkey(char *buf, size_t n, int rc, const struct nsg_verdict *v)
{
  if (rc)
    snprintf(buf, n, "error");
  else
    snprintf(buf, n, "%s kind=%d rule=%s nsg=%s", v->allow ? "Allow" : "Deny", (int)v->kind, v->rule_name, v->nsg_name);
}

static struct nsg_config *random_config(struct gen *g, char *js[4])
{
  static const char *const names[] = {"g0", "g1", "g2"};
  for (int i = 0; i < 3; i++)
    js[i] = gen_nsg_json(g, names[i], 10);
  js[3] = gen_topology_json(g, names, 3);
  return gen_config(g, js[3], (const char *const *)js, 3);
}

static void free_js(char *js[4])
{
  for (int i = 0; i < 4; i++)
    free(js[i]);
}

static void witness_reproduces(const struct nsg_config *cfg, const struct nsg_tables *t, const struct nsg_prove_witness *w)
{
  if (!w->local[0])
    return; /* a NIC on one side only */
  struct nsg_query q = {.nic = w->nic, .dir = w->dir, .proto = w->proto, .local = w->local, .remote = w->remote,
                        .local_port = w->local_port, .remote_port = w->remote_port};
  struct nsg_verdict a, b;
  char ea[256], eb[256], sa[600], sb[600];
  int ra = nsg_verify(cfg, &q, &a, ea, sizeof ea), rb = nsg_tables_verify(t, &q, &b, eb, sizeof eb);
  vkey(sa, sizeof sa, ra, &a);
  vkey(sb, sizeof sb, rb, &b);
  if (strcmp(sa, sb) == 0) {
    print_message("witness %s proto %d %s -> %s does not reproduce: both %s\n", w->nic, w->proto, w->local, w->remote, sa);
    fail();
  }
}

static void equivalence(void **state)
{
  (void)state;
  unsigned nconf = env_or("NSGNIC_PROVE_CONFIGS", 25), used = 0;
  struct gen g;
  gen_init(&g, env_or("NSGNIC_PROVE_SEED", 7));
  for (unsigned c = 0; c < nconf; c++) {
    char *js[4];
    struct nsg_config *cfg = random_config(&g, js);
    if (cfg) {
      char err[1024];
      struct nsg_compile_opts o;
      nsg_compile_opts_default(&o);
      o.no_port_classes = gen_rnd(&g, 3) == 0;
      o.no_prefix_labels = gen_rnd(&g, 3) == 0;
      o.label_ctx = c % 2 == 1; /* every other configuration: per-vport label contexts */
      o.rule_entries = o.label_entries = o.platform_entries = 0; /* capacity is not the point here */
      struct nsg_tables *t = nsg_compile(cfg, &o, err, sizeof err);
      if (!t) {
        print_message("compile: %s\n", err);
        fail();
      }
      struct nsg_prove_result r;
      if (nsg_prove(cfg, t, NULL, &r, err, sizeof err) < 0) {
        print_message("prove: %s\n", err);
        fail();
      }
      if (!r.equivalent) {
        for (int i = 0; i < 4; i++)
          print_message("%s\n", js[i]);
        for (size_t i = 0; i < r.nw; i++)
          print_message("witness %s proto %d %s:%u -> %s:%u: %s/%s vs %s/%s\n", r.w[i].nic, r.w[i].proto, r.w[i].local,
                        r.w[i].local_port, r.w[i].remote, r.w[i].remote_port, r.w[i].want.rule_name,
                        r.w[i].want_err, r.w[i].have.rule_name, r.w[i].have_err);
        fail();
      }
      assert_true(r.cases > 0);
      nsg_prove_result_fini(&r);
      nsg_tables_free(t);
      nsg_config_free(cfg);
      used++;
    }
    free_js(js);
  }
  gen_fini(&g);
  print_message("prove: %u random configurations proven equivalent\n", used);
  assert_true(used > nconf / 2);
}

/* Flips one bit somewhere that matters to lookups; describes it in `what`. */
static void mutate(struct gen *g, struct nsg_tables *t, char *what, size_t n)
{
  for (;;) {
    unsigned kind = gen_rnd(g, 20);
    if (kind == 0) { /* port-range comparator */
      unsigned f = gen_rnd(g, 2), k = gen_rnd(g, NSGNIC_PORT_CLASSES), b = gen_rnd(g, 32);
      t->port_range[f][k] ^= 1u << b;
      snprintf(what, n, "port_range[%u][%u] bit %u", f, k, b);
      return;
    }
    if (kind == 1 && t->nvports) { /* binding: NSG ids, valid bits, context */
      unsigned v = gen_rnd(g, (unsigned)t->nvports), b = gen_rnd(g, 31);
      t->bind[v][0] ^= 1u << b;
      snprintf(what, n, "binding %u bit %u", v, b);
      return;
    }
    struct nsg_ttable *tt = kind < 12 ? &t->rule : kind < 18 ? &t->label : &t->plat;
    const char *tn = kind < 12 ? "rule" : kind < 18 ? "label" : "platform";
    if (!tt->n)
      continue;
    size_t i = gen_rnd(g, (unsigned)tt->n);
    struct nsg_tentry *e = &tt->e[i];
    if (!e->valid)
      continue;
    unsigned part = gen_rnd(g, 3);
    if (part == 2) { /* result: action, rule id, platform class, labels */
      unsigned b = gen_rnd(g, tt == &t->label ? 64 : 21);
      e->res[b / 32] ^= 1u << (b % 32);
      snprintf(what, n, "%s slot %zu result bit %u", tn, i, b);
      return;
    }
    /* value (a cared bit) or care mask (any key bit) */
    unsigned bits = tt->key_words * 32, b = gen_rnd(g, bits);
    uint32_t m = 1u << (b % 32);
    if (part == 0) {
      if (!(e->care[b / 32] & m))
        continue;
      e->val[b / 32] ^= m;
    } else {
      e->care[b / 32] ^= m;
    }
    snprintf(what, n, "%s slot %zu %s bit %u", tn, i, part == 0 ? "value" : "care", b);
    return;
  }
}

static void mutation(void **state)
{
  (void)state;
  unsigned nconf = env_or("NSGNIC_PROVE_MUT_CONFIGS", 4), per = env_or("NSGNIC_PROVE_MUTATIONS", 25);
  unsigned tried = 0, caught = 0, witnesses = 0;
  struct gen g;
  gen_init(&g, env_or("NSGNIC_PROVE_SEED", 11));
  for (unsigned c = 0; c < nconf; c++) {
    char *js[4];
    struct nsg_config *cfg = random_config(&g, js);
    if (!cfg) {
      free_js(js);
      c--; /* the validator rejected it: draw another */
      continue;
    }
    char err[1024];
    struct nsg_tables *t = nsg_compile(cfg, NULL, err, sizeof err);
    assert_non_null(t);
    for (unsigned m = 0; m < per; m++) {
      struct nsg_tables *bad = nsg_tables_clone(t);
      assert_non_null(bad);
      char what[128];
      mutate(&g, bad, what, sizeof what);
      struct nsg_prove_result r;
      struct nsg_prove_opts po;
      nsg_prove_opts_default(&po);
      po.max_witnesses = 2;
      if (nsg_prove(cfg, bad, &po, &r, err, sizeof err) < 0) {
        /* a label entry that is no prefix has no block-RAM form: refused, i.e. caught */
        if (strncmp(what, "label", 5) == 0 && strstr(err, "label stage:")) {
          tried++;
          caught++;
          nsg_tables_free(bad);
          continue;
        }
        print_message("prove (%s): %s\n", what, err);
        fail();
      }
      tried++;
      if (!r.equivalent) {
        caught++;
        assert_true(r.nw > 0);
        for (size_t i = 0; i < r.nw; i++)
          witness_reproduces(cfg, bad, &r.w[i]);
        witnesses += (unsigned)r.nw;
      } else { /* harmless (an unused bit, a shadowed slot): the engines agree on samples */
        for (int i = 0; i < 300; i++) {
          struct nsg_query q;
          gen_query(&g, &q);
          struct nsg_verdict a, b;
          char ea[256], eb[256], sa[600], sb[600];
          int ra = nsg_verify(cfg, &q, &a, ea, sizeof ea), rb = nsg_tables_verify(bad, &q, &b, eb, sizeof eb);
          vkey(sa, sizeof sa, ra, &a);
          vkey(sb, sizeof sb, rb, &b);
          if (strcmp(sa, sb) != 0) {
            print_message("prove called %s harmless, but %s %s proto %d remote %s:%u: %s vs %s\n", what, q.nic,
                          q.local, q.proto, q.remote, q.remote_port, sa, sb);
            fail();
          }
        }
      }
      nsg_prove_result_fini(&r);
      nsg_tables_free(bad);
    }
    nsg_tables_free(t);
    nsg_config_free(cfg);
    free_js(js);
  }
  gen_fini(&g);
  print_message("mutation: %u of %u single-bit corruptions caught, %u witnesses, all reproduced\n", caught, tried,
                witnesses);
  assert_true(caught * 4 > tried); /* many flips hit unused or shadowed bits: checked harmless above */
}

/* An update between two random configurations of one topology: every intermediate state. */
static void update_states(void **state)
{
  (void)state;
  static const char *const names[] = {"g0", "g1", "g2"};
  unsigned nupd = env_or("NSGNIC_PROVE_UPDATES", 4), done = 0, states = 0;
  struct gen g;
  gen_init(&g, env_or("NSGNIC_PROVE_SEED", 13));
  for (unsigned k = 0; k < nupd * 4 && done < nupd; k++) {
    char *js[4], *js2[4];
    g.keep_options = false;
    struct nsg_config *cfg = random_config(&g, js);
    g.keep_options = true;
    for (int i = 0; i < 3; i++)
      js2[i] = gen_rnd(&g, 2) ? gen_nsg_json(&g, names[i], 10) : strdup(js[i]);
    js2[3] = strdup(js[3]);
    struct nsg_config *ncfg = cfg ? gen_config(&g, js2[3], (const char *const *)js2, 3) : NULL;
    if (cfg && ncfg) {
      char err[1024];
      struct nsg_tables *old = nsg_compile(cfg, NULL, err, sizeof err);
      assert_non_null(old);
      struct nsg_compile_opts o;
      nsg_compile_opts_default(&o);
      o.reuse = old;
      struct nsg_tables *nt = nsg_compile(ncfg, &o, err, sizeof err);
      assert_non_null(nt);
      struct nsg_update *u = nsg_update_plan(old, nt, err, sizeof err);
      assert_non_null(u);
      struct nsg_tables *dev = nsg_tables_clone(old);
      assert_non_null(dev);
      assert_int_equal(nsg_update_install_names(u, dev), 0);
      size_t nw = nsg_update_count(u), sw = nsg_update_switch_index(u);
      size_t stride = nw > 24 ? nw / 12 : 1; /* large random updates: the phase boundaries and a dozen more */
      for (size_t w = 0; w <= nw; w++) {
        if (w > 0)
          assert_int_equal(nsg_tables_apply(dev, nsg_update_write(u, w - 1), 1), 0);
        if (w % stride && w != sw && w != sw + 1 && w != nw)
          continue;
        struct nsg_prove_result r;
        int rc = w <= sw ? nsg_prove_tables(old, dev, NULL, &r, err, sizeof err)
                         : nsg_prove(ncfg, dev, NULL, &r, err, sizeof err);
        if (rc < 0) {
          print_message("prove: %s\n", err);
          fail();
        }
        if (!r.equivalent) {
          print_message("update state after write %zu of %zu (switch at %zu) is not equivalent to the %s\n", w, nw, sw,
                        w <= sw ? "old tables" : "new configuration");
          fail();
        }
        nsg_prove_result_fini(&r);
        states++;
      }
      nsg_tables_free(dev);
      nsg_update_free(u);
      nsg_tables_free(nt);
      nsg_tables_free(old);
      done++;
    }
    nsg_config_free(cfg);
    nsg_config_free(ncfg);
    free_js(js);
    free_js(js2);
  }
  gen_fini(&g);
  print_message("update: %u updates, %u intermediate states proven\n", done, states);
  assert_true(done > 0);
}

/* ---- query and diff against enumeration ------------------------------------------------------ */
static bool in_ranges(const struct nsg_prove_range *r, size_t n, uint32_t v)
{
  for (size_t i = 0; i < n; i++)
    if (r[i].lo <= v && v <= r[i].hi)
      return true;
  return false;
}

/* the row (if any) holding the packet; NULL when none */
static const struct nsg_space_row *space_find(const struct nsg_space *s, const struct nsg_query *q)
{
  struct nsg_ip rem;
  assert_int_equal(nsg_ip_parse(q->remote, &rem), 0);
  bool l4 = q->proto == 6 || q->proto == 17;
  for (size_t i = 0; i < s->n; i++) {
    const struct nsg_space_row *r = &s->rows[i];
    if (strcmp(r->nic, q->nic) || strcmp(r->local, q->local) || r->dir != q->dir ||
        !in_ranges(r->protos, r->nprotos, (uint32_t)q->proto) ||
        !in_ranges(r->rports, r->nrports, l4 ? q->remote_port : 0) ||
        !in_ranges(r->lports, r->nlports, l4 ? q->local_port : 0))
      continue;
    bool in = false;
    for (size_t k = 0; k < r->nremote; k++) {
      struct nsg_prefix p;
      bool hb;
      assert_int_equal(nsg_prefix_parse(r->remote[k], &p, &hb), 0);
      in |= nsg_prefix_contains(&p, &rem);
    }
    if (in != r->remote_except)
      return r;
  }
  return NULL;
}

static const char small_topology[] =
    "["
    "{\"type\":\"Microsoft.Network/virtualNetworks\",\"name\":\"v\",\"properties\":{\"addressSpace\":{\"addressPrefixes\":[\"10.1.0.0/24\"]},"
    "\"subnets\":[{\"name\":\"s\",\"properties\":{\"addressPrefix\":\"10.1.0.0/26\",\"networkSecurityGroup\":{\"id\":\"/x/networkSecurityGroups/sub\"}}}]}},"
    "{\"type\":\"Microsoft.Network/networkInterfaces\",\"name\":\"nic\",\"properties\":{\"networkSecurityGroup\":{\"id\":\"/x/networkSecurityGroups/nicnsg\"},"
    "\"ipConfigurations\":[{\"name\":\"c\",\"properties\":{\"privateIPAddress\":\"10.1.0.4\",\"subnet\":{\"id\":\"/x/virtualNetworks/v/subnets/s\"}}}]}}"
    "]";

static char *small_nsg(const char *name, const char *rules)
{
  char *s;
  assert_true(asprintf(&s, "{\"type\":\"Microsoft.Network/networkSecurityGroups\",\"name\":\"%s\",\"properties\":{\"securityRules\":[%s]}}",
                       name, rules) > 0);
  return s;
}

#define RULE(n, p, d, a, proto, src, sp, dst, dp)                                                              \
  "{\"name\":\"" n "\",\"properties\":{\"priority\":" #p ",\"direction\":\"" d "\",\"access\":\"" a            \
  "\",\"protocol\":\"" proto "\",\"sourceAddressPrefix\":\"" src "\",\"sourcePortRange\":\"" sp                \
  "\",\"destinationAddressPrefix\":\"" dst "\",\"destinationPortRange\":\"" dp "\"}}"

static struct nsg_config *small_config(const char *sub_rules, const char *nic_rules)
{
  char *a = small_nsg("sub", sub_rules), *b = small_nsg("nicnsg", nic_rules);
  struct nsg_options o;
  nsg_options_default(&o);
  struct nsg_config *cfg = nsg_config_new(&o);
  assert_non_null(cfg);
  assert_int_equal(nsg_config_load_string(cfg, "topology", small_topology), 0);
  assert_int_equal(nsg_config_load_string(cfg, "sub", a), 0);
  assert_int_equal(nsg_config_load_string(cfg, "nic", b), 0);
  assert_int_equal(nsg_config_finalize(cfg), 0);
  free(a);
  free(b);
  return cfg;
}

static const char sub_rules[] = RULE("web", 100, "Inbound", "Allow", "Tcp", "10.1.0.8/29", "*", "*", "20-30")
    "," RULE("deny-mid", 200, "Inbound", "Deny", "*", "10.1.0.12/30", "*", "*", "*")
    "," RULE("udp", 300, "Inbound", "Allow", "Udp", "*", "1000-2000", "*", "25-35")
    "," RULE("icmp", 400, "Inbound", "Allow", "Icmp", "10.1.0.0/28", "*", "*", "*");
static const char nic_rules[] = RULE("deny-udp27", 100, "Inbound", "Deny", "Udp", "*", "*", "*", "27")
    "," RULE("vnet", 200, "Inbound", "Allow", "*", "VirtualNetwork", "*", "*", "*")
    "," RULE("shadowed", 300, "Inbound", "Allow", "Tcp", "10.1.0.9", "*", "*", "22");
static const char sub_rules2[] = RULE("web", 100, "Inbound", "Allow", "Tcp", "10.1.0.8/29", "*", "*", "20-25")
    "," RULE("deny-mid", 200, "Inbound", "Deny", "*", "10.1.0.13", "*", "*", "*")
    "," RULE("udp", 300, "Inbound", "Allow", "Udp", "*", "1000-2000", "*", "25-35")
    "," RULE("icmp", 400, "Inbound", "Allow", "Icmp", "10.1.0.0/28", "*", "*", "*");

static const int protos[] = {6, 17, 1, 50, 58};
static const unsigned sports[] = {0, 999, 1000, 1500, 2000, 2001, 65535};

/* every remote address of 10.1.0.0/27 (and one outside), protocol and destination port 18..38
 * with sampled source ports: in the --allowed rows exactly when verify allows */
static void query_brute(void **state)
{
  (void)state;
  struct nsg_config *cfg = small_config(sub_rules, nic_rules);
  char err[512];
  struct nsg_space_query q = {.nic = "nic", .dir = NSG_INBOUND, .what = NSG_SPACE_ALLOWED, .proto = -1,
                              .port_lo = 18, .port_hi = 38};
  struct nsg_space *s;
  assert_int_equal(nsg_prove_space(cfg, &q, &s, err, sizeof err), 0);
  unsigned n = 0, allowed = 0;
  for (unsigned a = 0; a <= 32; a++)
    for (size_t p = 0; p < sizeof protos / sizeof *protos; p++)
      for (unsigned dp = 18; dp <= 38; dp++)
        for (size_t sp = 0; sp < sizeof sports / sizeof *sports; sp++) {
          char rem[32];
          snprintf(rem, sizeof rem, a == 32 ? "8.8.8.8" : "10.1.0.%u", a);
          if (protos[p] == 58)
            continue; /* IPv4 NIC */
          bool l4 = protos[p] == 6 || protos[p] == 17;
          if (!l4 && (dp != 18 || sp)) /* no ports: one packet */
            continue;
          struct nsg_query qq = {.nic = "nic", .dir = NSG_INBOUND, .proto = protos[p], .local = "10.1.0.4",
                                 .remote = rem, .local_port = (uint16_t)dp, .remote_port = (uint16_t)sports[sp]};
          struct nsg_verdict v;
          assert_int_equal(nsg_verify(cfg, &qq, &v, err, sizeof err), 0);
          /* the port filter keeps packets with a destination port in 18..38: none without ports */
          bool want = v.allow && l4, got = space_find(s, &qq) != NULL;
          if (want != got) {
            print_message("S9 query: %s proto %d dport %u sport %u: verify %s, rows %s\n", rem, protos[p], dp, sports[sp],
                          v.allow ? "Allow" : "Deny", got ? "allowed" : "not allowed");
            fail();
          }
          n++;
          allowed += want;
        }
  print_message("query: %u packets enumerated, %u allowed, %zu rows\n", n, allowed, s->n);
  assert_true(allowed > 0 && allowed < n);
  nsg_space_free(s);

  /* a shadowed rule decides nothing; a live one exactly its packets */
  q.what = NSG_SPACE_RULE;
  q.rule = "nicnsg/shadowed";
  assert_int_equal(nsg_prove_space(cfg, &q, &s, err, sizeof err), 0);
  assert_int_equal(s->n, 0);
  nsg_space_free(s);
  q.rule = "sub/deny-mid";
  q.port_lo = q.port_hi = -1;
  assert_int_equal(nsg_prove_space(cfg, &q, &s, err, sizeof err), 0);
  for (unsigned a = 0; a < 32; a++) {
    char rem[32];
    snprintf(rem, sizeof rem, "10.1.0.%u", a);
    struct nsg_query qq = {.nic = "nic", .dir = NSG_INBOUND, .proto = 6, .local = "10.1.0.4", .remote = rem,
                           .local_port = 22, .remote_port = 5};
    struct nsg_verdict v;
    assert_int_equal(nsg_verify(cfg, &qq, &v, err, sizeof err), 0);
    bool want = strcmp(v.rule_name, "securityRules/deny-mid") == 0;
    assert_int_equal(want, space_find(s, &qq) != NULL);
  }
  nsg_space_free(s);
  q.rule = "sub/no-such-rule";
  assert_int_equal(nsg_prove_space(cfg, &q, &s, err, sizeof err), -ENOENT);
  nsg_config_free(cfg);
}

static void diff_brute(void **state)
{
  (void)state;
  struct nsg_config *a = small_config(sub_rules, nic_rules), *b = small_config(sub_rules2, nic_rules);
  char err[512];
  struct nsg_space *s;
  assert_int_equal(nsg_prove_diff(a, b, NULL, &s, err, sizeof err), 0);
  unsigned changed = 0, n = 0;
  for (unsigned x = 0; x < 32; x++)
    for (size_t p = 0; p < 4; p++)
      for (unsigned dp = 18; dp <= 38; dp++)
        for (size_t sp = 0; sp < sizeof sports / sizeof *sports; sp++) {
          bool l4 = protos[p] == 6 || protos[p] == 17;
          if (!l4 && (dp != 18 || sp))
            continue;
          char rem[32];
          snprintf(rem, sizeof rem, "10.1.0.%u", x);
          struct nsg_query q = {.nic = "nic", .dir = NSG_INBOUND, .proto = protos[p], .local = "10.1.0.4",
                                .remote = rem, .local_port = (uint16_t)dp, .remote_port = (uint16_t)sports[sp]};
          struct nsg_verdict va, vb;
          assert_int_equal(nsg_verify(a, &q, &va, err, sizeof err), 0);
          assert_int_equal(nsg_verify(b, &q, &vb, err, sizeof err), 0);
          const struct nsg_space_row *r = space_find(s, &q);
          if ((va.allow != vb.allow) != (r != NULL)) {
            print_message("diff: %s proto %d dport %u: old %d new %d, row %s\n", rem, protos[p], dp, va.allow, vb.allow,
                          r ? r->what : "none");
            fail();
          }
          if (r)
            assert_string_equal(r->what, va.allow ? "Allow -> Deny" : "Deny -> Allow");
          changed += va.allow != vb.allow;
          n++;
        }
  print_message("diff: %u of %u packets change verdict, %zu rows\n", changed, n, s->n);
  assert_true(changed > 0);
  nsg_space_free(s);
  assert_int_equal(nsg_prove_diff(a, a, NULL, &s, err, sizeof err), 0);
  assert_int_equal(s->n, 0);
  nsg_space_free(s);
  nsg_config_free(a);
  nsg_config_free(b);
}

/* query on random configurations: sampled boundary packets are in the allowed rows exactly
 * when the reference allows them */
static void query_random(void **state)
{
  (void)state;
  struct gen g;
  gen_init(&g, 17);
  unsigned used = 0;
  for (unsigned c = 0; c < 8; c++) {
    char *js[4];
    struct nsg_config *cfg = random_config(&g, js);
    if (cfg) {
      char err[512];
      struct nsg_space_query q = {.dir = -1, .what = NSG_SPACE_ALLOWED, .proto = -1, .port_lo = -1, .port_hi = -1};
      struct nsg_space *s;
      assert_int_equal(nsg_prove_space(cfg, &q, &s, err, sizeof err), 0);
      for (int i = 0; i < 1500; i++) {
        struct nsg_query qq;
        gen_query(&g, &qq);
        struct nsg_verdict v;
        if (nsg_verify(cfg, &qq, &v, err, sizeof err) < 0)
          continue;
        if (v.allow != (space_find(s, &qq) != NULL)) {
          print_message("query: %s %s proto %d %s:%u -> %s:%u: verify %d\n", qq.nic, qq.dir ? "out" : "in", qq.proto,
                        qq.local, qq.local_port, qq.remote, qq.remote_port, v.allow);
          fail();
        }
      }
      nsg_space_free(s);
      nsg_config_free(cfg);
      used++;
    }
    free_js(js);
  }
  gen_fini(&g);
  assert_true(used > 0);
}

static struct nsg_config *example_config(const struct nsg_options *o)
{
  static const char *const files[] = {"vnets.json", "asgs.json", "nsgs.json", "nics.json"};
  struct nsg_config *cfg = nsg_config_new(o);
  char path[512];
  for (size_t i = 0; i < 4; i++) {
    snprintf(path, sizeof path, "%s/examples/three-tier/%s", NSGNIC_SOURCE_DIR, files[i]);
    assert_int_equal(nsg_config_load_file(cfg, path), 0);
  }
  snprintf(path, sizeof path, "%s/examples/three-tier/servicetags.json", NSGNIC_SOURCE_DIR);
  assert_int_equal(nsg_config_load_service_tags(cfg, path), 0);
  assert_int_equal(nsg_config_finalize(cfg), 0);
  return cfg;
}

/* the three-tier example: equivalent; a corrupt image gives a reproducible witness; tables of
 * other platform options (S13 block, S10/S11 exemption) differ exactly where the platform
 * decides */
static void example(void **state)
{
  (void)state;
  struct nsg_options o;
  nsg_options_default(&o);
  struct nsg_config *cfg = example_config(&o);
  char err[512];
  struct nsg_tables *t = nsg_compile(cfg, NULL, err, sizeof err);
  assert_non_null(t);
  struct nsg_prove_result r;
  assert_int_equal(nsg_prove(cfg, t, NULL, &r, err, sizeof err), 0);
  assert_true(r.equivalent);
  nsg_prove_result_fini(&r);
  /* turn the first deny entry of the rule TCAM into an allow */
  for (size_t i = 0; i < t->rule.n; i++)
    if (t->rule.e[i].valid && NSGNIC_GET(t->rule.e[i].res, RESULT_ACTION) == NSGNIC_ACTION_DENY) {
      NSGNIC_PUT(t->rule.e[i].res, RESULT_ACTION, NSGNIC_ACTION_ALLOW);
      break;
    }
  assert_int_equal(nsg_prove(cfg, t, NULL, &r, err, sizeof err), 0);
  assert_false(r.equivalent);
  for (size_t i = 0; i < r.nw; i++)
    witness_reproduces(cfg, t, &r.w[i]);
  nsg_prove_result_fini(&r);
  nsg_tables_free(t);
  t = nsg_compile(cfg, NULL, err, sizeof err); /* default options: no S13 block, exemption on */
  assert_non_null(t);
  struct nsg_options o2 = o;
  o2.subscription = NSG_SUB_PAYG;
  o2.platform_exemption = false;
  struct nsg_config *cfg2 = example_config(&o2);
  assert_int_equal(nsg_prove(cfg2, t, NULL, &r, err, sizeof err), 0);
  assert_false(r.equivalent);
  bool s13 = false, s10 = false;
  for (size_t i = 0; i < r.nw; i++) {
    witness_reproduces(cfg2, t, &r.w[i]);
    s13 |= r.w[i].want.kind == NSG_DECIDED_BY_PLATFORM && !r.w[i].want.allow && r.w[i].remote_port == 25;
    s10 |= r.w[i].have.kind == NSG_DECIDED_BY_PLATFORM && r.w[i].have.allow;
  }
  assert_true(s13);
  assert_true(s10);
  nsg_prove_result_fini(&r);
  nsg_tables_free(t);
  nsg_config_free(cfg2);
  nsg_config_free(cfg);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(example),     cmocka_unit_test(equivalence), cmocka_unit_test(mutation),
      cmocka_unit_test(update_states), cmocka_unit_test(query_brute), cmocka_unit_test(diff_brute),
      cmocka_unit_test(query_random),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

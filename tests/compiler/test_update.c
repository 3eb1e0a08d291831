/* SPDX-License-Identifier: Apache-2.0 */
/* Incremental updates: random sequences of rule changes (modify, add, delete) and attachment
 * changes (NIC NSG swapped, NSGs attached/detached at NIC and subnet level, ASG membership of a
 * NIC changed), alone and mixed with rule changes, on random configurations. For every step the
 * planned writes are applied one by one to a device model; after EVERY write each sample query
 * must get the old configuration's answer (before the bank switch) or the new one's (from the
 * switch on) - never a mix of old rules and new attachments or the reverse (S2: the NSGs of
 * both levels, S7: ASG labels) - and after the last write the device must answer exactly as the
 * reference evaluator on the new configuration, with no entry left caring about the bank bit
 * and both banks of the binding table equal. NSGNIC_UPDATE_SEQS scales the run. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gen.h"
#include "nsgnic/compile.h"
#include "tables.h"

#define NQ 40
#define MAXR 24

struct state {
  char *rules[3][MAXR];
  unsigned prio[3][MAXR];
  size_t n[3];
  char *topology;
};

static const char *const names[] = {"g0", "g1", "g2"};

static struct nsg_config *build(struct gen *g, struct state *s)
{
  char *js[3];
  for (int i = 0; i < 3; i++)
    js[i] = gen_nsg_from_rules(names[i], s->rules[i], s->n[i]);
  struct nsg_config *cfg = gen_config(g, s->topology, (const char *const *)js, 3);
  for (int i = 0; i < 3; i++)
    free(js[i]);
  return cfg;
}

static bool prio_used(const struct state *s, int k, unsigned p)
{
  for (size_t i = 0; i < s->n[k]; i++)
    if (s->prio[k][i] / 10 == p / 10)
      return true;
  return false;
}

/* One random change: modify, add or delete a rule of one NSG. */
static void mutate_rules(struct gen *g, struct state *s, unsigned *next_idx)
{
  int k = (int)gen_rnd(g, 3);
  unsigned op = gen_rnd(g, 3);
  if (op == 0 && s->n[k] > 0) { /* modify: same name and priority, new content */
    size_t i = gen_rnd(g, (unsigned)s->n[k]);
    free(s->rules[k][i]);
    s->rules[k][i] = gen_rule_json(g, (*next_idx)++, s->prio[k][i]);
  } else if (op == 2 && s->n[k] > 0) { /* delete */
    size_t i = gen_rnd(g, (unsigned)s->n[k]);
    free(s->rules[k][i]);
    memmove(&s->rules[k][i], &s->rules[k][i + 1], (s->n[k] - i - 1) * sizeof s->rules[k][0]);
    memmove(&s->prio[k][i], &s->prio[k][i + 1], (s->n[k] - i - 1) * sizeof s->prio[k][0]);
    s->n[k]--;
  } else if (s->n[k] < MAXR) { /* add at a free priority */
    unsigned p;
    do
      p = 100 + gen_rnd(g, 60) * 10;
    while (prio_used(s, k, p));
    s->prio[k][s->n[k]] = p;
    s->rules[k][s->n[k]++] = gen_rule_json(g, (*next_idx)++, p);
  }
}

/* Moves one NIC IP configuration to another ASG (its ASG membership: LOCAL_LABELS and the label
 * entries of its address). */
static void change_asg(struct gen *g, struct state *s)
{
  static const char ref[] = "applicationSecurityGroups/a";
  char *hits[16];
  int n = 0;
  for (char *p = strstr(s->topology, ref); p && n < 16; p = strstr(p + 1, ref))
    if (p[sizeof ref] == '"' && p[sizeof ref + 1] == '}') /* a NIC's reference, not the ASG itself */
      hits[n++] = p + sizeof ref - 1;
  if (n == 0)
    return;
  char *d = hits[gen_rnd(g, (unsigned)n)];
  *d = (char)('1' + (*d - '1' + 1 + gen_rnd(g, 2)) % 3);
}

enum change { CH_RULES, CH_ATTACH, CH_ASG, CH_MIXED, CH_KINDS };
static const char *const change_names[] = {"rules", "attachments", "ASG membership", "mixed"};

/* One random change of a kind; returns it. Attachments: every subnet and NIC draws its NSG
 * again (swapped, attached, detached at either level). */
static enum change mutate(struct gen *g, struct state *s, unsigned *next_idx)
{
  enum change k = (enum change)gen_rnd(g, CH_KINDS);
  if (k == CH_RULES || k == CH_MIXED)
    mutate_rules(g, s, next_idx);
  if (k == CH_ATTACH || k == CH_MIXED) {
    free(s->topology);
    s->topology = gen_topology_json(g, names, 3);
  }
  if (k == CH_ASG || k == CH_MIXED)
    change_asg(g, s);
  return k;
}

static void verdict_str(char *buf, size_t n, int rc, const struct nsg_verdict *v)
{
  if (rc)
    snprintf(buf, n, "error %d", rc);
  else
    snprintf(buf, n, "%s kind=%d rule=%s nsg=%s reason=%s", v->allow ? "Allow" : "Deny", (int)v->kind, v->rule_name,
             v->nsg_name, v->reason);
}

static void answer(const struct nsg_config *cfg, const struct nsg_tables *t, const struct nsg_query *q, char *out,
                   size_t n)
{
  struct nsg_verdict v;
  char err[256];
  int rc = cfg ? nsg_verify(cfg, q, &v, err, sizeof err) : nsg_tables_verify(t, q, &v, err, sizeof err);
  verdict_str(out, n, rc, &v);
}

static bool steady(const struct nsg_tables *t)
{
  if (t->bind_next && memcmp(t->bind_next, t->bind, t->nvports * sizeof t->bind[0]) != 0)
    return false; /* the banks of the binding table differ */
  for (size_t i = 0; i < t->rule.n; i++)
    if (t->rule.e[i].valid && NSGNIC_GET(t->rule.e[i].care, RULE_KEY_BANK))
      return false;
  for (size_t i = 0; i < t->label.n; i++)
    if (t->label.e[i].valid && NSGNIC_GET(t->label.e[i].care, LABEL_KEY_BANK))
      return false;
  return true;
}

static void sequences(void **st)
{
  (void)st;
  const char *env = getenv("NSGNIC_UPDATE_SEQS");
  unsigned nseq = env ? (unsigned)strtoul(env, NULL, 10) : 3, steps_total = 0;
  unsigned long checks = 0, total_writes = 0, kinds[CH_KINDS] = {0}, bind_writes = 0;
  struct gen g;
  gen_init(&g, 5);
  for (unsigned sq = 0; sq < nseq; sq++) {
    struct state s = {0};
    unsigned next_idx = 0;
    for (int k = 0; k < 3; k++) {
      s.n[k] = gen_rnd(&g, 10);
      for (size_t i = 0; i < s.n[k]; i++) {
        s.prio[k][i] = 100 + (unsigned)i * 50;
        s.rules[k][i] = gen_rule_json(&g, next_idx++, s.prio[k][i]);
      }
    }
    s.topology = gen_topology_json(&g, names, 3);
    g.keep_options = false;
    struct nsg_config *cfg = build(&g, &s);
    g.keep_options = true; /* platform options stay; a change of them is a full image */
    if (!cfg)
      goto next;
    char err[512];
    struct nsg_compile_opts o0;
    nsg_compile_opts_default(&o0);
    o0.label_ctx = sq % 2 == 1; /* every other sequence: per-vport label contexts */
    struct nsg_tables *dev = nsg_compile(cfg, &o0, err, sizeof err);
    if (!dev) {
      print_message("compile: %s\n", err);
      fail();
    }
    for (unsigned step = 0; step < 8; step++) {
      char *topo = strdup(s.topology);
      assert_non_null(topo);
      enum change kind = mutate(&g, &s, &next_idx);
      struct nsg_config *ncfg = build(&g, &s);
      if (!ncfg) { /* the validator rejected the change (e.g. mixed families): skip it */
        free(s.topology);
        s.topology = topo;
        continue;
      }
      free(topo);
      struct nsg_compile_opts o;
      nsg_compile_opts_default(&o);
      o.reuse = dev; /* the device's port ranges and label bits */
      o.label_ctx = o0.label_ctx;
      struct nsg_tables *nt = nsg_compile(ncfg, &o, err, sizeof err);
      if (!nt) {
        print_message("compile: %s\n", err);
        fail();
      }
      struct nsg_update *u = nsg_update_plan(dev, nt, err, sizeof err);
      if (!u) {
        print_message("plan: %s\n", err);
        fail();
      }
      struct nsg_query q[NQ];
      char qbuf[NQ][64], oldv[NQ][600], newv[NQ][600], got[600];
      for (int i = 0; i < NQ; i++) {
        gen_query(&g, &q[i]);
        snprintf(qbuf[i], sizeof qbuf[i], "%s", q[i].remote);
        q[i].remote = qbuf[i];
        answer(cfg, NULL, &q[i], oldv[i], sizeof oldv[i]);
        answer(ncfg, NULL, &q[i], newv[i], sizeof newv[i]);
      }
      assert_int_equal(nsg_update_install_names(u, dev), 0);
      size_t nw = nsg_update_count(u), sw = nsg_update_switch_index(u);
      total_writes += nw;
      kinds[kind]++;
      for (size_t w = 0; w < nw; w++)
        bind_writes += nsg_update_write(u, w)->table == NSG_WRITE_BINDING;
      if (getenv("NSGNIC_UPDATE_DEBUG")) {
        size_t per[5] = {0};
        for (size_t w = 0; w < nw; w++)
          per[nsg_update_write(u, w)->table]++;
        print_message("step: %zu writes (rule %zu, label %zu, platform %zu, binding %zu), %zu moves\n", nw, per[0],
                      per[1], per[2], per[3], nsg_update_moves(u));
      }
      for (size_t w = 0; w <= nw; w++) {
        if (w > 0)
          assert_int_equal(nsg_tables_apply(dev, nsg_update_write(u, w - 1), 1), 0);
        for (int i = 0; i < NQ; i++) {
          answer(NULL, dev, &q[i], got, sizeof got);
          const char *want = w <= sw ? oldv[i] : newv[i];
          if (strcmp(got, want) != 0) {
            print_message("sequence %u step %u (%s change): after write %zu of %zu (switch at %zu), query nic=%s %s "
                          "proto=%d local=%s:%u remote=%s:%u\nold: %s\nnew: %s\ngot: %s\n",
                          sq, step, change_names[kind], w, nw, sw, q[i].nic, q[i].dir == NSG_INBOUND ? "in" : "out", q[i].proto,
                          q[i].local, q[i].local_port, q[i].remote, q[i].remote_port, oldv[i], newv[i], got);
            fail();
          }
          checks++;
        }
      }
      assert_true(steady(dev));
      for (int i = 0; i < 300; i++) { /* the final state answers as the reference */
        struct nsg_query qq;
        gen_query(&g, &qq);
        char a[600], b[600];
        answer(ncfg, NULL, &qq, a, sizeof a);
        answer(NULL, dev, &qq, b, sizeof b);
        if (strcmp(a, b) != 0) {
          print_message("final state differs: nic=%s proto=%d remote=%s\nreference: %s\ndevice:    %s\n", qq.nic, qq.proto,
                        qq.remote, a, b);
          fail();
        }
      }
      nsg_update_free(u);
      nsg_tables_free(nt);
      nsg_config_free(cfg);
      cfg = ncfg;
      steps_total++;
    }
    nsg_tables_free(dev);
    nsg_config_free(cfg);
  next:
    for (int k = 0; k < 3; k++)
      for (size_t i = 0; i < s.n[k]; i++)
        free(s.rules[k][i]);
    free(s.topology);
  }
  gen_fini(&g);
  print_message("updates: %u steps (%lu rules, %lu attachments, %lu ASG membership, %lu mixed), %lu writes "
                "(%lu binding), %lu intermediate-state checks\n", steps_total, kinds[CH_RULES], kinds[CH_ATTACH],
                kinds[CH_ASG], kinds[CH_MIXED], total_writes, bind_writes, checks);
  assert_true(steps_total > nseq);
  for (int k = 0; k < CH_KINDS; k++) /* every kind of change was exercised */
    assert_true(kinds[k] > 0);
  assert_true(bind_writes > 0);
}

int main(void)
{
  const struct CMUnitTest tests[] = {cmocka_unit_test(sequences)};
  return cmocka_run_group_tests_name("update", tests, NULL, NULL);
}

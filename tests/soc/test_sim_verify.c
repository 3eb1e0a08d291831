/* SPDX-License-Identifier: Apache-2.0 */
/* Differential test of `nsgnic verify --engine sim`: random configurations (tests/compiler/gen:
 * tags, ASGs, prefix lists of both families, port ranges, every protocol; IPv4 and IPv6 NICs)
 * are compiled for the simulated NIC, loaded through its firmware's mailbox, and random queries
 * sent as packets through its datapath must get the reference evaluator's answers — IPv6 with
 * extension headers (AH) through the exception path. NSGNIC_SOC_CONFIGS / NSGNIC_SOC_QUERIES /
 * NSGNIC_SOC_SEED scale the run (the `slow` variant: thousands of queries); NSGNIC_SOC_RULES is the
 * most rules per NSG (default 4, for the small device), and with NSGNIC_SOC_NEED_RULE_ENTRIES=N at
 * least one configuration checked must need more than N rule-TCAM entries (the realistic-device
 * variant: configurations the small device, N = its 128 entries, refuses). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gen.h"
#include "nsgnic/nsgnic.h"
#include "nsgnic/simnic.h"

static unsigned env_or(const char *name, unsigned dflt)
{
  const char *s = getenv(name);
  return s ? (unsigned)strtoul(s, NULL, 10) : dflt;
}

static void verdict_str(char *buf, size_t n, int rc, const struct nsg_verdict *v)
{
  if (rc)
    snprintf(buf, n, "error %d", rc);
  else
    snprintf(buf, n, "%s kind=%d rule=%s nsg=%s reason=%s", v->allow ? "Allow" : "Deny", (int)v->kind,
             v->rule_name, v->nsg_name, v->reason);
}

static void differential(void **state)
{
  (void)state;
  unsigned nconf = env_or("NSGNIC_SOC_CONFIGS", 5), nq = env_or("NSGNIC_SOC_QUERIES", 60);
  unsigned maxrules = env_or("NSGNIC_SOC_RULES", 4), need = env_or("NSGNIC_SOC_NEED_RULE_ENTRIES", 0);
  size_t most_entries = 0;
  struct gen g;
  gen_init(&g, env_or("NSGNIC_SOC_SEED", 1));
  unsigned used = 0, skipped = 0;
  unsigned long checked = 0, v6 = 0;
  uint64_t punted = 0, allowed = 0, denied = 0;
  while (used < nconf && used + skipped < 20 * nconf) {
    static const char *const names[] = {"g0", "g1", "g2"};
    char *js[4];
    for (int i = 0; i < 3; i++)
      js[i] = gen_nsg_json(&g, names[i], maxrules); /* 4: fits the small device's 128 entries */
    js[3] = gen_topology_json(&g, names, 3);
    struct nsg_config *cfg = gen_config(&g, js[3], (const char *const *)js, 3);
    struct nsg_simnic *n = NULL;
    if (cfg) {
      struct nsg_simnic_opts o;
      nsg_simnic_opts_default(&o);
      char err[512];
      n = nsg_simnic_new(cfg, &o, err, sizeof err);
      if (!n && errno == ENOSPC && skipped < 3)
        print_message("skipped: %s\n", err);
      if (!n && errno != ENOSPC) {
        for (int i = 0; i < 4; i++)
          print_message("%s\n", js[i]);
        fail_msg("simulated NIC: %s", err);
      }
    }
    if (!n) {
      skipped++; /* invalid random configuration, or too big for the simulated tables */
    } else {
      struct nsg_tables_counts tc;
      nsg_tables_counts(nsg_simnic_tables(n), &tc);
      if (tc.rule_entries > most_entries)
        most_entries = tc.rule_entries;
      for (unsigned i = 0; i < nq; i++) {
        struct nsg_query q;
        gen_query(&g, &q);
        struct nsg_verdict a, b;
        char ea[256], eb[256], sa[600], sb[600];
        int ra = nsg_verify(cfg, &q, &a, ea, sizeof ea);
        int rb = nsg_simnic_verify(n, &q, &b, eb, sizeof eb);
        verdict_str(sa, sizeof sa, ra, &a);
        verdict_str(sb, sizeof sb, rb, &b);
        if (strcmp(sa, sb) != 0) {
          for (int k = 0; k < 4; k++)
            print_message("%s\n", js[k]);
          fail_msg("query nic=%s %s proto=%d local=%s:%u remote=%s:%u\nreference: %s\nsim:       %s (%s)", q.nic,
                   q.dir == NSG_INBOUND ? "in" : "out", q.proto, q.local, q.local_port, q.remote, q.remote_port,
                   sa, sb, rb ? eb : "");
        }
        checked++;
        v6 += strchr(q.local, ':') != NULL;
      }
      struct nsg_simnic_stats st;
      nsg_simnic_get_stats(n, &st);
      punted += st.punted;
      allowed += st.allowed;
      denied += st.denied;
      assert_int_equal(st.learned, 0);
      used++;
    }
    nsg_simnic_free(n);
    nsg_config_free(cfg);
    for (int i = 0; i < 4; i++)
      free(js[i]);
  }
  gen_fini(&g);
  print_message("sim vs reference: %u configurations (%u skipped, up to %zu rule entries), %lu queries "
                "agreed (%lu IPv6); datapath allowed %llu, denied %llu, punted to the exception path %llu\n",
                used, skipped, most_entries, checked, v6, (unsigned long long)allowed,
                (unsigned long long)denied, (unsigned long long)punted);
  assert_int_equal(used, nconf);
  if (need)
    assert_true(most_entries > need);
  assert_true(allowed > 0 && denied > 0);
}

int main(void)
{
  const struct CMUnitTest tests[] = {cmocka_unit_test(differential)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: Apache-2.0 */
/* End to end on the co-simulated NIC (Verilated datapath + the real firmware, driven through the
 * driver's sim backend): nsg_device_update swaps a NIC's NSG (S2, the NIC level) while traffic
 * runs, and every packet sees the old attachment or the new one - the old one until the commit,
 * the new one right after - never a mix.
 *
 * Old configuration: nic-web's NSG "nic-a" denies outbound TCP 80 (no subnet NSG, so the NIC
 * level decides). New: nic-web's NSG is "nic-b", which has no such rule (the defaults allow
 * Internet outbound), and "nic-a" is gone. A probe (nic-web -> 93.184.216.34:80, TCP SYN,
 * learning off) is decided by a rule of nic-a before the switch and by one of nic-b after it;
 * each result's rule id names the NSG that decided. With an unbanked binding table the binding
 * would be rewritten only after the commit, and a probe in between would find nic-a's id with
 * nic-a's entries already retired: no rule decides (PUNT, REASON_NO_RULE) - the third answer this
 * test refuses. Probes are interleaved with oversize spacer frames (dropped as OVERSIZE after the
 * whole frame streamed in) so that they keep arriving throughout the update's mailbox traffic.
 * Every probe must be decided by the old configuration's rule (nic-a's DenyWeb) or the new one's
 * (nic-b's AllowInternetOutBound), not merely by the right NSG: the planner's live writes here -
 * re-banking nic-a's entries before the switch, re-sharing nic-b's after it - change only an
 * entry's BANK bit (the test checks that on the plan), i.e. one chunk, which tcam.sv writes
 * hitlessly. (With the old TCAM, which hid every entry for its 2^ChunkW-clock write, probes in
 * such a window were decided by a later rule of nic-a, e.g. AllowInternetOutBound.) */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "nsgnic/abi.h"
#include "nsgnic/device.h"
#include "nsgnic/driver.h"
#include "nsgnic_soc.h"
#include "soc_frames.h"
#include "tables.h"

#define DENY_WEB_OUT RULE("DenyWeb", 100, "Outbound", "Deny", "Tcp", "*", "*", "Internet", "80")

/* FILLERS oversize frames of FILLER_BYTES (one beat per 64 bytes) stream while the update reads
 * the device's tables back; then PAIRS probe + spacer pairs, one probe every
 * (SPACER_BYTES + 64) / 64 = 60 clocks - less than a TCAM write (64 clocks), so every write
 * window of the write phase holds a probe - for 102,000 clocks around the bank switch (the sim
 * queues at most 4096 frames). The fillers are sized to the update's read-back phase through the
 * AXI4-Lite register port (each mailbox command some 10% slower than over the old bus). With the TCAM of before the hitless writes, probe 564 (cycle
 * 904,966) was decided by nic-a's AllowInternetOutBound while DenyWeb was re-banked. */
enum { FILLERS = 605, FILLER_BYTES = 65472, PAIRS = 1700, SPACER_BYTES = 3776, PROBE_BYTES = 60 };

static size_t probe(uint8_t *f, uint16_t sport)
{
  static const uint8_t vm[4] = {10, 0, 1, 4}, server[4] = {93, 184, 216, 34};
  return soc_tcp_frame(f, 0, vm, sport, server, 80, 0x02);
}

/* An entry's value/care bits other than `bank_lsb` (value compared where cared for). */
static bool same_but_bank(const struct nsg_ttable *t, const struct nsg_tentry *a,
                          const struct nsg_tentry *b, unsigned bank_lsb)
{
  for (unsigned i = 0; i < t->key_words; i++) {
    uint32_t m = bank_lsb / 32 == i ? ~(1u << (bank_lsb % 32)) : ~0u;
    if (((a->care[i] ^ b->care[i]) & m) || (((a->val[i] & a->care[i]) ^ (b->val[i] & b->care[i])) & m))
      return false;
  }
  return memcmp(a->res, b->res, t->res_words * sizeof(uint32_t)) == 0;
}

/* Every TCAM write of the plan that replaces a valid entry by a valid one changes at most the
 * BANK bit (re-banking, re-sharing): hitless in tcam.sv. Returns how many such writes. */
static size_t rebank_writes_only(const struct nsg_tables *from, const struct nsg_update *u)
{
  struct nsg_tables *m = nsg_tables_clone(from);
  assert_non_null(m);
  size_t n = 0;
  for (size_t i = 0; i < nsg_update_count(u); i++) {
    const struct nsg_write *w = nsg_update_write(u, i);
    struct nsg_ttable *t = w->table == NSG_WRITE_RULE ? &m->rule : w->table == NSG_WRITE_LABEL ? &m->label
                           : w->table == NSG_WRITE_PLATFORM ? &m->plat : NULL;
    if (t && w->index < t->n && t->e[w->index].valid && w->words[2 * t->key_words + t->res_words]) {
      unsigned lsb = w->table == NSG_WRITE_RULE ? NSGNIC_RULE_KEY_BANK_LSB
                     : w->table == NSG_WRITE_LABEL ? NSGNIC_LABEL_KEY_BANK_LSB : NSGNIC_PLATFORM_KEY_BANK_LSB;
      struct nsg_tentry e;
      memset(&e, 0, sizeof e);
      memcpy(e.val, w->words, t->key_words * sizeof(uint32_t));
      memcpy(e.care, w->words + t->key_words, t->key_words * sizeof(uint32_t));
      memcpy(e.res, w->words + 2 * t->key_words, t->res_words * sizeof(uint32_t));
      if (!same_but_bank(t, &t->e[w->index], &e, lsb))
        fail_msg("write %zu (slot %u) replaces a valid entry by another: not hitless", i, w->index);
      n++;
    }
    assert_int_equal(nsg_tables_apply(m, w, 1), 0);
  }
  nsg_tables_free(m);
  return n;
}

static long vport_of(const struct nsg_tables *t, const char *nic)
{
  for (size_t i = 0; i < t->nvports; i++)
    if (strcmp(t->vports[i].nic_name, nic) == 0)
      return (long)i;
  return -1;
}

static void nic_nsg_swap(void **state)
{
  (void)state;
  struct nsg_config *c1 = fx_config(NULL, "nic-a", NSG("nic-a", DENY_WEB_OUT), NULL);
  struct nsg_config *c2 = fx_config(NULL, "nic-b", NSG("nic-b", ""), NULL);
  assert_non_null(c1);
  assert_non_null(c2);
  fx_expect(c1, "nic-web", "out", "tcp", "10.0.1.4", 40000, "93.184.216.34", 80, "Deny securityRules/DenyWeb nic-a");
  fx_expect(c2, "nic-web", "out", "tcp", "10.0.1.4", 40000, "93.184.216.34", 80,
            "Allow defaultSecurityRules/AllowInternetOutBound nic-b");

  struct nsgnic_dev_opts dopts;
  nsgnic_dev_opts_default(&dopts);
  dopts.timeout_ms = 60000;
  struct nsgnic_dev *d = nsgnic_dev_open("sim", &dopts);
  assert_non_null(d);
  assert_int_equal(nsgnic_dev_attach(d), 0);
  struct nsgnic_soc *soc = nsgnic_dev_sim_soc(d);
  assert_non_null(soc);
  /* learning off: every probe is looked up by the rules, none is answered by a flow */
  nsgnic_dev_wr32(d, NSGNIC_HOSTREG_CTRL, nsgnic_dev_rd32(d, NSGNIC_HOSTREG_CTRL) | 1u << NSGNIC_CTRL_LEARN_OFF_LSB);

  char err[512] = "";
  struct nsg_compile_opts co;
  assert_int_equal(nsg_device_compile_opts(d, &co, err, sizeof err), 0);
  struct nsg_tables *t1 = nsg_compile(c1, &co, err, sizeof err);
  assert_non_null(t1);
  co.reuse = t1;
  struct nsg_tables *t2 = nsg_compile(c2, &co, err, sizeof err);
  assert_non_null(t2);
  struct nsg_device_caps caps;
  assert_int_equal(nsg_device_caps(d, &caps, err, sizeof err), 0);
  assert_true(caps.caps & (1u << NSGNIC_CAP_BANKED_BINDING));
  struct nsg_device_load_stats st;
  if (nsg_device_load(d, t1, &st, err, sizeof err) != 0)
    fail_msg("load: %s", err);
  long vp = vport_of(t1, "nic-web");
  assert_true(vp >= 0);
  uint16_t port = nsgnic_soc_port(true, (unsigned)vp);

  /* before: denied by nic-a */
  uint8_t f[PROBE_BYTES];
  struct nsgnic_soc_result r;
  assert_int_equal(nsgnic_soc_send(soc, port, f, probe(f, 1000), NULL), 0);
  assert_int_equal(nsgnic_soc_drain(soc, 100000), 0);
  assert_int_equal(nsgnic_soc_recv(soc, &r), 1);
  assert_int_equal(r.action, NSGNIC_ACTION_DENY);
  assert_int_equal(r.reason, NSGNIC_REASON_RULE_DENY);
  assert_true(r.rule_id < t1->nrnames);
  assert_string_equal(t1->rnames[r.rule_id].nsg, "nic-a");

  /* the rule-name table the device's ids follow after the update (old ids, then new names) */
  struct nsg_tables *names = nsg_tables_clone(t1);
  assert_non_null(names);
  names->bank = st.active_bank;
  struct nsg_update *u = nsg_update_plan(names, t2, err, sizeof err);
  assert_non_null(u);
  assert_int_equal(nsg_update_install_names(u, names), 0);
  size_t rebanks = rebank_writes_only(names, u);
  assert_true(rebanks > 0); /* the case this test is about */
  nsg_update_free(u);

  /* fillers, then probes and spacers, streaming while the update runs */
  uint8_t *spacer = calloc(1, FILLER_BYTES);
  assert_non_null(spacer);
  spacer[12] = 0x08;
  for (int i = 0; i < FILLERS; i++)
    assert_int_equal(nsgnic_soc_send(soc, port, spacer, FILLER_BYTES, NULL), 0);
  uint64_t first_probe = 0;
  for (int i = 0; i < PAIRS; i++) {
    uint64_t id;
    assert_int_equal(nsgnic_soc_send(soc, port, f, probe(f, (uint16_t)(2000 + i)), &id), 0);
    if (i == 0)
      first_probe = id;
    assert_int_equal(nsgnic_soc_send(soc, port, spacer, SPACER_BYTES, NULL), 0);
  }
  uint64_t c0 = nsgnic_soc_cycles(soc);
  if (nsg_device_update(d, t1, t2, &st, err, sizeof err) != 0)
    fail_msg("update: %s", err);
  uint64_t c1u = nsgnic_soc_cycles(soc);
  assert_true(st.bind_writes >= 1);
  assert_int_equal(nsgnic_soc_drain(soc, 100000000), 0);

  /* every probe: decided by nic-a's DenyWeb (the old configuration), then from one probe on by
   * nic-b's AllowInternetOutBound (the new one) */
  unsigned old_n = 0, new_n = 0;
  uint64_t last_old_in = 0, first_new_in = 0, first_in = 0, last_in = 0;
  while (nsgnic_soc_recv(soc, &r) == 1) {
    if (r.id < first_probe || (r.id - first_probe) % 2)
      continue; /* a spacer */
    unsigned long long k = (unsigned long long)(r.id - first_probe) / 2;
    if (!first_in)
      first_in = r.cycle_in;
    last_in = r.cycle_in;
    bool decided = (r.action == NSGNIC_ACTION_DENY && r.reason == NSGNIC_REASON_RULE_DENY) ||
                   (r.action == NSGNIC_ACTION_ALLOW && r.reason == NSGNIC_REASON_NONE);
    const char *nsg = decided && r.rule_id < names->nrnames ? names->rnames[r.rule_id].nsg : "";
    const char *rule = decided && r.rule_id < names->nrnames ? names->rnames[r.rule_id].rule : "";
    if (strcmp(nsg, "nic-a") == 0 && (strcmp(rule, "securityRules/DenyWeb") != 0 || r.action != NSGNIC_ACTION_DENY))
      fail_msg("probe %llu (cycle %llu): decided by nic-a's %s, not by its DenyWeb", k,
               (unsigned long long)r.cycle_in, rule);
    if (strcmp(nsg, "nic-b") == 0 &&
        (strcmp(rule, "defaultSecurityRules/AllowInternetOutBound") != 0 || r.action != NSGNIC_ACTION_ALLOW))
      fail_msg("probe %llu (cycle %llu): decided by nic-b's %s, not by its AllowInternetOutBound", k,
               (unsigned long long)r.cycle_in, rule);
    if (strcmp(nsg, "nic-a") == 0) {
      if (new_n)
        fail_msg("probe %llu (cycle %llu): the old attachment (nic-a) after the new one", k,
                 (unsigned long long)r.cycle_in);
      old_n++;
      last_old_in = r.cycle_in;
    } else if (strcmp(nsg, "nic-b") == 0) {
      if (!new_n)
        first_new_in = r.cycle_in;
      new_n++;
    } else {
      fail_msg("probe %llu (cycle %llu): action %u reason %u rule %u - decided by neither the old "
               "nor the new attachment", k, (unsigned long long)r.cycle_in, r.action, r.reason, r.rule_id);
    }
  }
  print_message("update: cycles %llu..%llu, %zu TCAM writes (%zu live, %zu of them replacing a valid "
                "entry, BANK bit only); probes at %llu..%llu: %u saw the old rule (last at %llu), %u the "
                "new one (first at %llu)\n", (unsigned long long)c0, (unsigned long long)c1u,
                st.tcam_writes, st.live_writes, rebanks, (unsigned long long)first_in,
                (unsigned long long)last_in, old_n, (unsigned long long)last_old_in, new_n,
                (unsigned long long)first_new_in);
  assert_int_equal(old_n + new_n, PAIRS);
  /* the switch happened while the update ran (at its commit), with probes on both sides */
  assert_true(old_n > 0 && new_n > 0);
  assert_true(last_old_in > c0 && first_new_in < c1u);
  /* the probes cover the write phase: from well before the switch (the read-back phase, some 400
   * mailbox commands, ends before them) to after the update (the re-sharing writes) */
  assert_true(first_in + 20000 < last_old_in && last_in > c1u);

  free(spacer);
  nsg_tables_free(names);
  nsg_tables_free(t1);
  nsg_tables_free(t2);
  nsgnic_dev_close(d);
  nsg_config_free(c1);
  nsg_config_free(c2);
}

int main(void)
{
  const struct CMUnitTest tests[] = {cmocka_unit_test(nic_nsg_swap)};
  return cmocka_run_group_tests_name("soc_attach", tests, NULL, NULL);
}

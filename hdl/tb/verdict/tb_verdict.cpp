// SPDX-License-Identifier: Apache-2.0
// verdict testbench: exhaustive over direction x (NSG, hit, ACTION) of both levels x platform
// class (4096 control combinations), each with every combination of rule ids drawn from
// {0, 1, random, NO_RULE_ID - 1, NO_RULE_ID} for the subnet, NIC and platform results, and
// random bits in the rest of the RESULT words; every output is compared with ref_verdict.c.
// verdict.sv has no parameters: the sweep is over its whole control input space instead.
// Usage: tb_verdict <seed>
#include <cstdio>
#include <cstdlib>

#include "Vverdict.h"
#include "nsgnic/abi.h"
#include "ref_verdict.h"
#include "verilated.h"

static uint64_t rs = 0x2545f4914f6cdd1dull;
static uint32_t rnd(void)
{
  rs ^= rs << 13;
  rs ^= rs >> 7;
  rs ^= rs << 17;
  return (uint32_t)(rs >> 11);
}

int main(int argc, char **argv)
{
  Verilated::commandArgs(argc, argv);
  rs ^= argc > 1 ? strtoull(argv[1], nullptr, 0) : 1;
  Vverdict *m = new Vverdict;
  long checks = 0, errors = 0, seen[4][32] = {{0}};
  for (unsigned ctl = 0; ctl < 4096; ctl++) {
    ref_verdict_in in;
    unsigned c = ctl;
    in.outbound = c & 1; c >>= 1;
    for (int l = 0; l < 2; l++) {
      in.nsg[l] = c & 1; c >>= 1;
      in.hit[l] = c & 1; c >>= 1;
      in.res[l] = (c & 3u) << NSGNIC_RESULT_ACTION_LSB; c >>= 2;
    }
    in.plat_class = c & 3;
    for (unsigned ids = 0; ids < 125; ids++) {
      unsigned sel[3] = {ids % 5, ids / 5 % 5, ids / 25};
      unsigned id[3];
      for (int k = 0; k < 3; k++) {
        static const unsigned fixed[5] = {0, 1, 0, NSGNIC_NO_RULE_ID - 1, NSGNIC_NO_RULE_ID};
        id[k] = sel[k] == 2 ? rnd() & 0xffff : fixed[sel[k]];
      }
      ref_verdict_in v = in;
      for (int l = 0; l < 2; l++) {
        uint32_t other = rnd() & ~((3u << NSGNIC_RESULT_ACTION_LSB) |
                                   (0xffffu << NSGNIC_RESULT_RULE_ID_LSB));
        v.res[l] = in.res[l] | other | (id[l] << NSGNIC_RESULT_RULE_ID_LSB);
      }
      v.plat_rule_id = id[2];
      ref_verdict_out want;
      ref_verdict(&v, &want);
      m->outbound_i = v.outbound;
      m->subnet_nsg_i = v.nsg[0];
      m->subnet_hit_i = v.hit[0];
      m->subnet_res_i = v.res[0];
      m->nic_nsg_i = v.nsg[1];
      m->nic_hit_i = v.hit[1];
      m->nic_res_i = v.res[1];
      m->plat_class_i = v.plat_class;
      m->plat_rule_id_i = v.plat_rule_id;
      m->eval();
      checks++;
      seen[want.action][want.reason]++;
      if (m->action_o != want.action || m->rule_id_o != want.rule_id || m->reason_o != want.reason) {
        if (errors++ < 10)
          printf("out=%d subnet nsg=%d hit=%d res=%08x nic nsg=%d hit=%d res=%08x plat=%u/%u: "
                 "got action=%u rule=%u reason=%u, want %u %u %u\n",
                 v.outbound, v.nsg[0], v.hit[0], v.res[0], v.nsg[1], v.hit[1], v.res[1],
                 v.plat_class, v.plat_rule_id, m->action_o, m->rule_id_o, m->reason_o,
                 want.action, want.rule_id, want.reason);
      }
    }
  }
  // every outcome the contract names must have been produced
  static const unsigned outcomes[][2] = {
    {NSGNIC_ACTION_ALLOW, NSGNIC_REASON_NONE},       {NSGNIC_ACTION_DENY, NSGNIC_REASON_RULE_DENY},
    {NSGNIC_ACTION_PUNT, NSGNIC_REASON_RULE_PUNT},   {NSGNIC_ACTION_PUNT, NSGNIC_REASON_NO_RULE},
    {NSGNIC_ACTION_DENY, NSGNIC_REASON_PLATFORM_BLOCK}};
  for (auto &o : outcomes)
    if (!seen[o[0]][o[1]]) { printf("FAIL: outcome action %u reason %u never produced\n", o[0], o[1]); errors++; }
  printf("verdict: %ld combinations, %ld errors\n", checks, errors);
  m->final();
  delete m;
  return errors ? 1 : 0;
}

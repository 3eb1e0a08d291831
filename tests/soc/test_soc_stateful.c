/* SPDX-License-Identifier: Apache-2.0 */
/* Stateful end to end on the co-simulated NIC (frames as `nsgnic run --sim` sends them, hardware
 * learning on), on the hostlib fixture's topology:
 *  - S2, the seed's port-80 example: the subnet NSG allows inbound TCP 80, the NIC NSG has no
 *    such rule, so the NIC level's DenyAllInbound denies it;
 *  - S5: the NIC's outbound connection to an Internet web server is allowed and learned; the
 *    server's replies pass through the flow cache although the inbound rules deny them, while an
 *    unsolicited packet from the same server to another port is denied. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "nsgnic/abi.h"
#include "nsgnic/device.h"
#include "nsgnic/driver.h"
#include "nsgnic/simnic.h"
#include "nsgnic_soc.h"

#define ALLOW_80_IN RULE("Allow80", 100, "Inbound", "Allow", "Tcp", "Internet", "*", "*", "80")

/* Ethernet + IPv4 + TCP from a.b.c.d:sp to ... with TCP flags. */
static size_t tcp_frame(uint8_t *f, const uint8_t src[4], uint16_t sp, const uint8_t dst[4], uint16_t dp, uint8_t flags)
{
  memset(f, 0, 60);
  f[12] = 0x08;
  uint8_t *ip = f + 14, *t = ip + 20;
  ip[0] = 0x45;
  ip[3] = 40;
  ip[8] = 64;
  ip[9] = 6;
  memcpy(ip + 12, src, 4);
  memcpy(ip + 16, dst, 4);
  t[0] = (uint8_t)(sp >> 8), t[1] = (uint8_t)sp, t[2] = (uint8_t)(dp >> 8), t[3] = (uint8_t)dp;
  t[12] = 5 << 4;
  t[13] = flags;
  return 60;
}

static const uint8_t vm[4] = {10, 0, 1, 4}, client[4] = {1, 2, 3, 4}, server[4] = {93, 184, 216, 34};

static void stateful(void **state)
{
  (void)state;
  struct nsg_config *cfg = fx_config("sub", "nic", NSG("sub", ALLOW_80_IN) "," NSG("nic", ""), NULL);
  assert_non_null(cfg);
  struct nsg_simnic_opts o;
  nsg_simnic_opts_default(&o);
  o.learn = true;
  char err[512] = "";
  struct nsg_simnic *n = nsg_simnic_new(cfg, &o, err, sizeof err);
  if (!n)
    fail_msg("simnic: %s", err);
  uint8_t f[64];
  struct nsg_simnic_frame r;

  /* S2 seed: Internet -> vm:80, allowed by the subnet, denied by the NIC's default rule */
  assert_int_equal(nsg_simnic_frame(n, f, tcp_frame(f, client, 5555, vm, 80, 0x02), &r, err, sizeof err), 0);
  assert_int_equal(r.fate, NSG_SIMNIC_DENIED);
  assert_string_equal(r.nic, "nic-web");
  assert_false(r.outbound);
  assert_string_equal(r.rule, "nic/defaultSecurityRules/DenyAllInbound");
  fx_expect(cfg, "nic-web", "in", "tcp", "10.0.1.4", 80, "1.2.3.4", 5555,
            "Deny defaultSecurityRules/DenyAllInbound nic");

  /* S5: vm -> server:80 allowed (AllowInternetOutBound at both levels) and learned */
  assert_int_equal(nsg_simnic_frame(n, f, tcp_frame(f, vm, 40000, server, 80, 0x02), &r, err, sizeof err), 0);
  assert_int_equal(r.fate, NSG_SIMNIC_ALLOWED);
  assert_true(r.outbound);
  assert_true(r.learned);
  assert_string_equal(r.rule, "sub/defaultSecurityRules/AllowInternetOutBound");
  /* the replies: the inbound rules deny them, the flow allows them */
  fx_expect(cfg, "nic-web", "in", "tcp", "10.0.1.4", 40000, "93.184.216.34", 80,
            "Deny defaultSecurityRules/DenyAllInbound sub");
  for (int i = 0; i < 3; i++) {
    assert_int_equal(nsg_simnic_frame(n, f, tcp_frame(f, server, 80, vm, 40000, i ? 0x10 : 0x12), &r, err, sizeof err), 0);
    assert_int_equal(r.fate, NSG_SIMNIC_ALLOWED);
    assert_true(r.flow_hit);
    assert_false(r.outbound);
    assert_int_equal(r.out_len, 60);
  }
  /* the connection's later outbound packets hit the same flow */
  assert_int_equal(nsg_simnic_frame(n, f, tcp_frame(f, vm, 40000, server, 80, 0x10), &r, err, sizeof err), 0);
  assert_int_equal(r.fate, NSG_SIMNIC_ALLOWED);
  assert_true(r.flow_hit);
  /* an unsolicited packet from the server to another port: no flow, the rules deny it */
  assert_int_equal(nsg_simnic_frame(n, f, tcp_frame(f, server, 80, vm, 40001, 0x12), &r, err, sizeof err), 0);
  assert_int_equal(r.fate, NSG_SIMNIC_DENIED);
  assert_false(r.flow_hit);

  struct nsg_simnic_stats st;
  nsg_simnic_get_stats(n, &st);
  assert_int_equal(st.learned, 1);
  assert_int_equal(st.flow_hits, 4);

  /* the learned flow is in the device's flow cache; CTRL.SOFT_RESET clears it */
  struct nsgnic_dev *d = nsg_simnic_dev(n);
  struct nsg_device_caps caps;
  assert_int_equal(nsg_device_caps(d, &caps, err, sizeof err), 0);
  uint32_t e[16];
  unsigned valid = 0;
  for (uint32_t i = 0; i < caps.flow_entries; i++)
    valid += nsg_device_flow_read(d, i, e, err, sizeof err) == 0;
  assert_int_equal(valid, 1);
  uint32_t ctrl = nsgnic_dev_rd32(d, NSGNIC_HOSTREG_CTRL);
  nsgnic_dev_wr32(d, NSGNIC_HOSTREG_CTRL, ctrl | (1u << NSGNIC_CTRL_SOFT_RESET_LSB));
  assert_true(nsgnic_dev_rd32(d, NSGNIC_HOSTREG_CTRL) & (1u << NSGNIC_CTRL_SOFT_RESET_LSB));
  for (int k = 0; k < 100 && (nsgnic_dev_rd32(d, NSGNIC_HOSTREG_CTRL) & (1u << NSGNIC_CTRL_SOFT_RESET_LSB)); k++)
    nsgnic_soc_step(nsgnic_dev_sim_soc(d), 100);
  assert_false(nsgnic_dev_rd32(d, NSGNIC_HOSTREG_CTRL) & (1u << NSGNIC_CTRL_SOFT_RESET_LSB));
  valid = 0;
  for (uint32_t i = 0; i < caps.flow_entries; i++)
    valid += nsg_device_flow_read(d, i, e, err, sizeof err) == 0;
  assert_int_equal(valid, 0);
  nsg_simnic_free(n);
  nsg_config_free(cfg);
}

int main(void)
{
  const struct CMUnitTest tests[] = {cmocka_unit_test(stateful)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}

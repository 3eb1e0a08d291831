/* SPDX-License-Identifier: Apache-2.0 */
/* Stateful end to end on the co-simulated NIC (frames as `nsgnic run --sim` sends them, hardware
 * learning on), on the hostlib fixture's topology:
 *  - S2, the seed's port-80 example: the subnet NSG allows inbound TCP 80, the NIC NSG has no
 *    such rule, so the NIC level's DenyAllInBound denies it;
 *  - S5: the NIC's outbound connection to an Internet web server is allowed and learned; the
 *    server's replies pass through the flow cache although the inbound rules deny them, while an
 *    unsolicited packet from the same server to another port is denied;
 *  - S5 RELATED: an ICMP "fragmentation needed" from a router about that connection passes
 *    (path-MTU discovery) although the inbound rules deny ICMP, without learning a flow or
 *    touching the connection's entry; the same error about a tuple without a flow, or with a
 *    truncated or insane embedded header, is denied by the rules. */
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
#include "soc_frames.h"

#define ALLOW_80_IN RULE("Allow80", 100, "Inbound", "Allow", "Tcp", "Internet", "*", "*", "80")

static const uint8_t vm[4] = {10, 0, 1, 4}, client[4] = {1, 2, 3, 4}, server[4] = {93, 184, 216, 34};
static const uint8_t router[4] = {198, 51, 100, 1};

/* Ethernet + IPv4 + ICMP "destination unreachable / fragmentation needed" (type 3 code 4, next-hop
 * MTU 1400) from `src` to `dst` embedding the first `inner_len` bytes of the IPv4 datagram
 * `inner` (as routers send it: the IP header and the first 8 bytes of its payload). */
static size_t frag_needed(uint8_t *f, const uint8_t src[4], const uint8_t dst[4], const uint8_t *inner,
                          size_t inner_len)
{
  size_t ip_len = 20 + 8 + inner_len, len = 14 + ip_len < 60 ? 60 : 14 + ip_len;
  memset(f, 0, len);
  f[12] = 0x08;
  uint8_t *ip = f + 14, *icmp = ip + 20;
  ip[0] = 0x45;
  ip[2] = (uint8_t)(ip_len >> 8), ip[3] = (uint8_t)ip_len;
  ip[8] = 64;
  ip[9] = 1;
  memcpy(ip + 12, src, 4);
  memcpy(ip + 16, dst, 4);
  icmp[0] = 3;
  icmp[1] = 4;
  icmp[6] = 1400 >> 8, icmp[7] = 1400 & 0xff;
  memcpy(icmp + 8, inner, inner_len);
  return len;
}

/* Flow-cache slots holding an entry; *idx gets the last one's index. */
static unsigned flows_in_cache(struct nsgnic_dev *d, uint32_t *idx, uint32_t *entry)
{
  struct nsg_device_caps caps;
  char err[256];
  assert_int_equal(nsg_device_caps(d, &caps, err, sizeof err), 0);
  unsigned valid = 0;
  uint32_t e[16];
  for (uint32_t i = 0; i < caps.flow_entries; i++)
    if (nsg_device_flow_read(d, i, e, err, sizeof err) == 0) {
      valid++;
      *idx = i;
      memcpy(entry, e, sizeof e);
    }
  return valid;
}

/* The seed's port-80 deployment (S2: the subnet allows inbound 80, the NIC's NSG has only the
 * defaults) on a co-simulated NIC that learns flows (S5). */
static struct nsg_simnic *seed_nic(struct nsg_config **cfg, char *err, size_t errlen)
{
  *cfg = fx_config("sub", "nic", NSG("sub", ALLOW_80_IN) "," NSG("nic", ""), NULL);
  assert_non_null(*cfg);
  struct nsg_simnic_opts o;
  nsg_simnic_opts_default(&o);
  o.learn = true;
  struct nsg_simnic *n = nsg_simnic_new(*cfg, &o, err, errlen);
  if (!n)
    fail_msg("simnic: %s", err);
  return n;
}

static void stateful(void **state)
{
  (void)state;
  struct nsg_config *cfg;
  char err[512] = "";
  struct nsg_simnic *n = seed_nic(&cfg, err, sizeof err);
  uint8_t f[64];
  struct nsg_simnic_frame r;

  /* S2 seed: Internet -> vm:80, allowed by the subnet, denied by the NIC's default rule */
  assert_int_equal(nsg_simnic_frame(n, f, soc_tcp_frame(f, 0, client, 5555, vm, 80, 0x02), &r, err, sizeof err), 0);
  assert_int_equal(r.fate, NSG_SIMNIC_DENIED);
  assert_string_equal(r.nic, "nic-web");
  assert_false(r.outbound);
  assert_string_equal(r.rule, "nic/defaultSecurityRules/DenyAllInBound");
  fx_expect(cfg, "nic-web", "in", "tcp", "10.0.1.4", 80, "1.2.3.4", 5555,
            "Deny defaultSecurityRules/DenyAllInBound nic");

  /* S5: vm -> server:80 allowed (AllowInternetOutBound at both levels) and learned */
  assert_int_equal(nsg_simnic_frame(n, f, soc_tcp_frame(f, 0, vm, 40000, server, 80, 0x02), &r, err, sizeof err), 0);
  assert_int_equal(r.fate, NSG_SIMNIC_ALLOWED);
  assert_true(r.outbound);
  assert_true(r.learned);
  assert_string_equal(r.rule, "sub/defaultSecurityRules/AllowInternetOutBound");
  /* the replies: the inbound rules deny them, the flow allows them */
  fx_expect(cfg, "nic-web", "in", "tcp", "10.0.1.4", 40000, "93.184.216.34", 80,
            "Deny defaultSecurityRules/DenyAllInBound sub");
  for (int i = 0; i < 3; i++) {
    assert_int_equal(nsg_simnic_frame(n, f, soc_tcp_frame(f, 0, server, 80, vm, 40000, i ? 0x10 : 0x12), &r, err, sizeof err), 0);
    assert_int_equal(r.fate, NSG_SIMNIC_ALLOWED);
    assert_true(r.flow_hit);
    assert_false(r.outbound);
    assert_int_equal(r.out_len, 60);
  }
  /* the connection's later outbound packets hit the same flow */
  assert_int_equal(nsg_simnic_frame(n, f, soc_tcp_frame(f, 0, vm, 40000, server, 80, 0x10), &r, err, sizeof err), 0);
  assert_int_equal(r.fate, NSG_SIMNIC_ALLOWED);
  assert_true(r.flow_hit);
  /* an unsolicited packet from the server to another port: no flow, the rules deny it */
  assert_int_equal(nsg_simnic_frame(n, f, soc_tcp_frame(f, 0, server, 80, vm, 40001, 0x12), &r, err, sizeof err), 0);
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

static void icmp_related(void **state)
{
  (void)state;
  struct nsg_config *cfg;
  char err[512] = "";
  struct nsg_simnic *n = seed_nic(&cfg, err, sizeof err);
  struct nsgnic_dev *d = nsg_simnic_dev(n);
  uint8_t f[128], conn[64], other[64];
  struct nsg_simnic_frame r;

  /* the inbound rules deny ICMP from the Internet (DenyAllInBound at the subnet level) */
  fx_expect(cfg, "nic-web", "in", "icmp", "10.0.1.4", 0, "198.51.100.1", 0,
            "Deny defaultSecurityRules/DenyAllInBound sub");
  /* an outbound TCP connection, allowed and learned (S5) */
  size_t clen = soc_tcp_frame(conn, 0, vm, 40000, server, 80, 0x02);
  assert_int_equal(nsg_simnic_frame(n, conn, clen, &r, err, sizeof err), 0);
  assert_int_equal(r.fate, NSG_SIMNIC_ALLOWED);
  assert_true(r.learned);
  uint32_t idx = 0, before[16], after[16];
  assert_int_equal(flows_in_cache(d, &idx, before), 1);
  uint64_t rel0 = 0;
  assert_int_equal(nsg_device_counters(d, NSGNIC_CNT_BLOCK_DP, NSGNIC_CNT_FLOW_RELATED, 1, &rel0, err, sizeof err), 0);

  /* S5 RELATED: a router's "fragmentation needed" about the connection passes, as related to
   * the flow (its rule: the one that allowed the connection), twice */
  for (int i = 0; i < 2; i++) {
    size_t len = frag_needed(f, router, vm, conn + 14, 28);
    assert_int_equal(nsg_simnic_frame(n, f, len, &r, err, sizeof err), 0);
    assert_int_equal(r.fate, NSG_SIMNIC_ALLOWED);
    assert_false(r.outbound);
    assert_true(r.flow_hit);
    assert_false(r.learned);
    assert_string_equal(r.rule, "sub/defaultSecurityRules/AllowInternetOutBound");
    assert_int_equal(r.out_len, len);
  }
  /* nothing learned, and the connection's entry untouched (counters, timestamp, TCP bits) */
  assert_int_equal(flows_in_cache(d, &idx, after), 1);
  assert_memory_equal(before, after, sizeof before);
  uint64_t rel = 0;
  assert_int_equal(nsg_device_counters(d, NSGNIC_CNT_BLOCK_DP, NSGNIC_CNT_FLOW_RELATED, 1, &rel, err, sizeof err), 0);
  assert_int_equal(rel - rel0, 2);

  /* the same error about a tuple with no flow (another local port): the rules deny it */
  soc_tcp_frame(other, 0, vm, 40001, server, 80, 0x02);
  size_t len = frag_needed(f, router, vm, other + 14, 28);
  assert_int_equal(nsg_simnic_frame(n, f, len, &r, err, sizeof err), 0);
  assert_int_equal(r.fate, NSG_SIMNIC_DENIED);
  assert_int_equal(r.reason, NSGNIC_REASON_RULE_DENY);
  assert_false(r.flow_hit);
  /* the embedded header truncated (IP header + 4 bytes of TCP): not related, denied */
  len = frag_needed(f, router, vm, conn + 14, 24);
  assert_int_equal(nsg_simnic_frame(n, f, len, &r, err, sizeof err), 0);
  assert_int_equal(r.fate, NSG_SIMNIC_DENIED);
  assert_false(r.flow_hit);
  /* ... or cut by the outer IP length although the frame still holds it */
  len = frag_needed(f, router, vm, conn + 14, 28);
  f[14 + 3] -= 4;
  assert_int_equal(nsg_simnic_frame(n, f, len, &r, err, sizeof err), 0);
  assert_int_equal(r.fate, NSG_SIMNIC_DENIED);
  assert_false(r.flow_hit);
  /* an embedded header that is not sane (IHL 4): not related, denied */
  memcpy(other, conn, sizeof other);
  other[14] = 0x44;
  len = frag_needed(f, router, vm, other + 14, 28);
  assert_int_equal(nsg_simnic_frame(n, f, len, &r, err, sizeof err), 0);
  assert_int_equal(r.fate, NSG_SIMNIC_DENIED);
  assert_false(r.flow_hit);
  /* an ICMP message that is no error (echo reply) with the same bytes is no related packet */
  len = frag_needed(f, router, vm, conn + 14, 28);
  f[14 + 20] = 0;
  f[14 + 21] = 0;
  assert_int_equal(nsg_simnic_frame(n, f, len, &r, err, sizeof err), 0);
  assert_int_equal(r.fate, NSG_SIMNIC_DENIED);

  assert_int_equal(nsg_device_counters(d, NSGNIC_CNT_BLOCK_DP, NSGNIC_CNT_FLOW_RELATED, 1, &rel, err, sizeof err), 0);
  assert_int_equal(rel - rel0, 2);
  assert_int_equal(flows_in_cache(d, &idx, after), 1);
  nsg_simnic_free(n);
  nsg_config_free(cfg);
}

int main(void)
{
  const struct CMUnitTest tests[] = {cmocka_unit_test(stateful), cmocka_unit_test(icmp_related)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}

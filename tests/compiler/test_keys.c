/* SPDX-License-Identifier: Apache-2.0 */
/* Known-answer tests of the compiled entries (docs/key-layout.md): one rule, the exact value and
 * care bits of its rule-TCAM entry; port classes; label entries longest first with per-context
 * entries only where VNets differ; shared NSGs compiled once. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "nsgnic/compile.h"
#include "tables.h"

static void quiet(void *ctx, enum nsg_log_level l, const char *m)
{
  (void)ctx;
  (void)l;
  (void)m;
}

#define TOPO                                                                                                        \
  "{\"type\":\"Microsoft.Network/virtualNetworks\",\"name\":\"va\",\"properties\":{\"addressSpace\":{\"addressPrefixes\":[\"10.0.0.0/16\"]}," \
  "\"subnets\":[{\"name\":\"s\",\"properties\":{\"addressPrefix\":\"10.0.1.0/24\",\"networkSecurityGroup\":{\"id\":\"/x/networkSecurityGroups/n\"}}}]}}," \
  "{\"type\":\"Microsoft.Network/virtualNetworks\",\"name\":\"vb\",\"properties\":{\"addressSpace\":{\"addressPrefixes\":[\"10.1.0.0/16\"]}," \
  "\"subnets\":[{\"name\":\"s\",\"properties\":{\"addressPrefix\":\"10.1.1.0/24\",\"networkSecurityGroup\":{\"id\":\"/x/networkSecurityGroups/n\"}}}]}}," \
  "{\"type\":\"Microsoft.Network/networkInterfaces\",\"name\":\"a\",\"properties\":{\"networkSecurityGroup\":{\"id\":\"/x/networkSecurityGroups/n\"}," \
  "\"ipConfigurations\":[{\"name\":\"c\",\"properties\":{\"privateIPAddress\":\"10.0.1.4\",\"subnet\":{\"id\":\"/x/virtualNetworks/va/subnets/s\"}}}]}}," \
  "{\"type\":\"Microsoft.Network/networkInterfaces\",\"name\":\"b\",\"properties\":{" \
  "\"ipConfigurations\":[{\"name\":\"c\",\"properties\":{\"privateIPAddress\":\"10.1.1.4\",\"subnet\":{\"id\":\"/x/virtualNetworks/vb/subnets/s\"}}}]}}"

static struct nsg_tables *compile_json(const char *rules, struct nsg_config **cfgp)
{
  struct nsg_options o;
  nsg_options_default(&o);
  o.log = quiet;
  struct nsg_config *cfg = nsg_config_new(&o);
  assert_non_null(cfg);
  char json[8192];
  snprintf(json, sizeof json,
           "[" TOPO ",{\"type\":\"Microsoft.Network/networkSecurityGroups\",\"name\":\"n\",\"properties\":{\"securityRules\":[%s]}}]",
           rules);
  nsg_config_load_string(cfg, "keys.json", json);
  assert_int_equal(nsg_config_finalize(cfg), 0);
  char err[512];
  struct nsg_tables *t = nsg_compile(cfg, NULL, err, sizeof err);
  if (!t)
    print_message("%s\n", err);
  assert_non_null(t);
  *cfgp = cfg;
  return t;
}

static const struct nsg_tentry *first_valid(const struct nsg_tables *t)
{
  for (size_t i = 0; i < t->rule.n; i++)
    if (t->rule.e[i].valid)
      return &t->rule.e[i];
  fail();
  return NULL;
}

#define CARE(e, f) NSGNIC_GET((e)->care, f)
#define VAL(e, f) NSGNIC_GET((e)->val, f)

static void one_rule_entry(void **state)
{
  (void)state;
  struct nsg_config *cfg;
  struct nsg_tables *t = compile_json(
      "{\"name\":\"r\",\"properties\":{\"priority\":100,\"direction\":\"Inbound\",\"access\":\"Deny\",\"protocol\":\"Tcp\","
      "\"sourceAddressPrefix\":\"192.168.0.0/16\",\"sourcePortRange\":\"*\",\"destinationAddressPrefix\":\"*\","
      "\"destinationPortRange\":\"443\"}}",
      &cfg);
  /* one NSG shared by two subnets and a NIC: compiled once */
  size_t ids = 0;
  for (size_t v = 0; v < t->nvports; v++)
    ids += NSGNIC_GET(t->bind[v], BINDING_SUBNET_NSG) == 0 && NSGNIC_GET(t->bind[v], BINDING_SUBNET_NSG_VALID);
  assert_int_equal(ids, 2);
  assert_int_equal(t->nstats, 1);
  const struct nsg_tentry *e = first_valid(t);
  assert_int_equal(CARE(e, RULE_KEY_NSG), 0x3ff);
  assert_int_equal(VAL(e, RULE_KEY_NSG), 0);
  assert_int_equal(CARE(e, RULE_KEY_DIR), 1);
  assert_int_equal(VAL(e, RULE_KEY_DIR), NSGNIC_DIR_INBOUND);
  assert_int_equal(CARE(e, RULE_KEY_PROTO), 0xff);
  assert_int_equal(VAL(e, RULE_KEY_PROTO), 6);
  assert_int_equal(CARE(e, RULE_KEY_L4), 1);
  assert_int_equal(VAL(e, RULE_KEY_L4), 1);
  assert_int_equal(CARE(e, RULE_KEY_DST_PORT), 0xffff);
  assert_int_equal(VAL(e, RULE_KEY_DST_PORT), 443);
  assert_int_equal(CARE(e, RULE_KEY_SRC_PORT), 0);
  assert_int_equal(CARE(e, RULE_KEY_SRC_ADDR4), 0xffff0000u);
  assert_int_equal(VAL(e, RULE_KEY_SRC_ADDR4), 0xc0a80000u);
  assert_int_equal(CARE(e, RULE_KEY_DST_ADDR4), 0);
  assert_int_equal(CARE(e, RULE_KEY_FAMILY), 1);
  assert_int_equal(VAL(e, RULE_KEY_FAMILY), NSGNIC_FAMILY_IPV4);
  assert_int_equal(CARE(e, RULE_KEY_PLATFORM), 1);
  assert_int_equal(VAL(e, RULE_KEY_PLATFORM), 0);
  assert_int_equal(CARE(e, RULE_KEY_BANK), 0);
  assert_int_equal(CARE(e, RULE_KEY_SRC_LABELS), 0);
  assert_int_equal(CARE(e, RULE_KEY_DST_LABELS), 0);
  assert_int_equal(NSGNIC_GET(e->res, RESULT_ACTION), NSGNIC_ACTION_DENY);
  assert_string_equal(t->rnames[NSGNIC_GET(e->res, RESULT_RULE_ID)].rule, "securityRules/r");
  /* the per-NSG platform catch-all closes the block */
  const struct nsg_tentry *last = NULL;
  for (size_t i = 0; i < t->rule.n; i++)
    if (t->rule.e[i].valid)
      last = &t->rule.e[i];
  assert_int_equal(NSGNIC_GET(last->res, RESULT_PLATFORM_EXEMPT), 1);
  assert_int_equal(CARE(last, RULE_KEY_PLATFORM), 1);
  assert_int_equal(VAL(last, RULE_KEY_PLATFORM), 1);
  /* labels: longest prefix first; VirtualNetwork per context only where the VNets differ */
  size_t prev[2] = {129, 129}, per_ctx = 0, vports = 0;
  for (size_t i = 0; i < t->label.n; i++) {
    const struct nsg_tentry *l = &t->label.e[i];
    if (!l->valid)
      continue; /* a free slot left for updates */
    unsigned fam = (unsigned)VAL(l, LABEL_KEY_FAMILY);
    size_t len = 0;
    uint64_t hi = nsgnic_bits_get(l->care, NSGNIC_LABEL_KEY_ADDR_LSB + 64, 64),
             lo = nsgnic_bits_get(l->care, NSGNIC_LABEL_KEY_ADDR_LSB, 64);
    for (int b = 0; b < 64; b++)
      len += ((hi >> b) & 1) + ((lo >> b) & 1);
    assert_true(len <= prev[fam]); /* families never overlap: ordered within each */
    prev[fam] = len;
    if (NSGNIC_GET(l->res, LABEL_RESULT_VPORT_VALID)) { /* a NIC address: its vport, in its context */
      assert_int_equal(CARE(l, LABEL_KEY_CTX), 0xff);
      assert_int_equal(len, 32);
      vports++;
    } else
      per_ctx += CARE(l, LABEL_KEY_CTX) != 0;
  }
  assert_int_equal(per_ctx, 2); /* 10.0/16 and 10.1/16 are VirtualNetwork in one VNet each; Internet is alike */
  assert_int_equal(vports, 2);  /* 10.0.1.4 (NIC a) and 10.1.1.4 (NIC b) */
  nsg_tables_free(t);
  nsg_config_free(cfg);
}

static void port_class_entry(void **state)
{
  (void)state;
  struct nsg_config *cfg;
  struct nsg_tables *t = compile_json(
      "{\"name\":\"r\",\"properties\":{\"priority\":100,\"direction\":\"Outbound\",\"access\":\"Allow\",\"protocol\":\"Udp\","
      "\"sourceAddressPrefix\":\"*\",\"sourcePortRange\":\"1024-65535\",\"destinationAddressPrefix\":\"*\","
      "\"destinationPortRanges\":[\"53\",\"1000-2000\"]}}",
      &cfg);
  uint32_t pr[2 * NSGNIC_PORT_CLASSES];
  nsg_tables_port_ranges(t, pr);
  assert_int_equal(pr[0], 1024u | 65535u << 16);                           /* source class 0 */
  assert_int_equal(pr[NSGNIC_PORT_CLASSES], 1000u | 2000u << 16);          /* destination class 0 */
  const struct nsg_tentry *e = first_valid(t);
  assert_int_equal(CARE(e, RULE_KEY_SRC_PORT), 0);
  assert_int_equal(CARE(e, RULE_KEY_SRC_PORT_CLASS), 1);
  assert_int_equal(VAL(e, RULE_KEY_SRC_PORT_CLASS), 1);
  size_t n = 0;
  for (size_t i = 0; i < t->rule.n; i++)
    n += t->rule.e[i].valid && NSGNIC_GET(t->rule.e[i].res, RESULT_RULE_ID) == NSGNIC_GET(e->res, RESULT_RULE_ID);
  assert_int_equal(NSGNIC_GET(t->rule.e[t->rule.n - 1].res, RESULT_RULE_ID), NSGNIC_NO_RULE_ID);
  assert_int_equal(n, 2); /* 53 exact, 1000-2000 by its class */
  nsg_tables_free(t);
  nsg_config_free(cfg);
}

int main(void)
{
  const struct CMUnitTest tests[] = {cmocka_unit_test(one_rule_entry), cmocka_unit_test(port_class_entry)};
  return cmocka_run_group_tests_name("keys", tests, NULL, NULL);
}

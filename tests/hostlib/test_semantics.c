/* SPDX-License-Identifier: Apache-2.0 */
/* Reference evaluator against nsg-semantics.md, one group per section (S1..S14). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "model.h"

static int setup(void **state)
{
  (void)state;
  fx_reset_options();
  return 0;
}

#define ALLOW_80_IN RULE("Allow80", 100, "Inbound", "Allow", "Tcp", "*", "*", "*", "80")

/* S1: one NSG on a subnet and a NIC at once; a subnet NSG applies to every NIC in it; no NSG at
 * either level allows everything. */
static void s1_attachment(void **state)
{
  (void)state;
  struct nsg_config *cfg = fx_config("shared", "shared", NSG("shared", ALLOW_80_IN), NULL);
  fx_expect(cfg, "nic-web", "in", "tcp", "10.0.1.4", 80, "1.2.3.4", 5555, "Allow securityRules/Allow80 shared");
  /* nic-app's subnet has no NSG and the NIC none: allowed, no rule */
  fx_expect(cfg, "nic-app", "in", "tcp", "10.0.2.4", 22, "1.2.3.4", 5555, "Allow none");
  fx_expect(cfg, "nic-app", "out", "udp", "10.0.2.4", 5555, "8.8.8.8", 53, "Allow none");
  nsg_config_free(cfg);
}

/* S2: the seed's port-80 example, both orders. */
static void s2_seed_port80_subnet_allows_nic_denies(void **state)
{
  (void)state;
  struct nsg_config *cfg = fx_config("sub", "nic", NSG("sub", ALLOW_80_IN) "," NSG("nic", ""), NULL);
  /* inbound: subnet allows, then the NIC's DenyAllInbound denies */
  fx_expect(cfg, "nic-web", "in", "tcp", "10.0.1.4", 80, "1.2.3.4", 5555, "Deny defaultSecurityRules/DenyAllInbound nic");
  nsg_config_free(cfg);
}

static void s2_seed_port80_nic_allows_subnet_denies(void **state)
{
  (void)state;
  struct nsg_config *cfg = fx_config("sub", "nic", NSG("sub", "") "," NSG("nic", ALLOW_80_IN), NULL);
  fx_expect(cfg, "nic-web", "in", "tcp", "10.0.1.4", 80, "1.2.3.4", 5555, "Deny defaultSecurityRules/DenyAllInbound sub");
  nsg_config_free(cfg);
}

static void s2_both_allow_reports_last_level(void **state)
{
  (void)state;
  struct nsg_config *cfg = fx_config(
      "sub", "nic",
      NSG("sub", ALLOW_80_IN "," RULE("OutSub", 200, "Outbound", "Allow", "Tcp", "*", "*", "*", "443")) ","
      NSG("nic", RULE("InNic", 300, "Inbound", "Allow", "Tcp", "*", "*", "*", "80") ","
                 RULE("OutNic", 400, "Outbound", "Allow", "Tcp", "*", "*", "*", "443")),
      NULL);
  /* inbound: subnet then NIC -> the NIC's rule decides */
  fx_expect(cfg, "nic-web", "in", "tcp", "10.0.1.4", 80, "1.2.3.4", 5555, "Allow securityRules/InNic nic");
  /* outbound: NIC then subnet -> the subnet's rule decides */
  fx_expect(cfg, "nic-web", "out", "tcp", "10.0.1.4", 5555, "1.2.3.4", 443, "Allow securityRules/OutSub sub");
  nsg_config_free(cfg);
}

static void s2_outbound_nic_first_deny_wins(void **state)
{
  (void)state;
  struct nsg_config *cfg = fx_config(
      "sub", "nic",
      NSG("sub", RULE("SubDeny", 100, "Outbound", "Deny", "*", "*", "*", "*", "*")) ","
      NSG("nic", RULE("NicDeny", 100, "Outbound", "Deny", "*", "*", "*", "*", "*")),
      NULL);
  fx_expect(cfg, "nic-web", "out", "tcp", "10.0.1.4", 5555, "1.2.3.4", 443, "Deny securityRules/NicDeny nic");
  fx_expect(cfg, "nic-web", "in", "tcp", "10.0.1.4", 443, "10.0.2.4", 5555,
            "Allow defaultSecurityRules/AllowVNetInBound nic");
  nsg_config_free(cfg);
}

/* S3: priority order, protocols, ports, ICMP against port rules, families. */
static void s3_priority_first_match(void **state)
{
  (void)state;
  struct nsg_config *cfg = fx_config(
      "sub", NULL,
      NSG("sub", RULE("DenyLater", 300, "Inbound", "Deny", "Tcp", "*", "*", "*", "80") ","
                 RULE("AllowFirst", 200, "Inbound", "Allow", "Tcp", "*", "*", "*", "80-81")),
      NULL);
  fx_expect(cfg, "nic-web", "in", "tcp", "10.0.1.4", 80, "1.2.3.4", 1, "Allow securityRules/AllowFirst sub");
  fx_expect(cfg, "nic-web", "in", "tcp", "10.0.1.4", 82, "1.2.3.4", 1, "Deny defaultSecurityRules/DenyAllInbound sub");
  fx_expect(cfg, "nic-web", "in", "udp", "10.0.1.4", 80, "1.2.3.4", 1, "Deny defaultSecurityRules/DenyAllInbound sub");
  nsg_config_free(cfg);
}

static void s3_icmp_against_port_rules(void **state)
{
  (void)state;
  struct nsg_config *cfg = fx_config(
      "sub", NULL,
      NSG("sub", RULE("AnyPort80", 100, "Inbound", "Allow", "*", "1.1.1.1", "*", "*", "80") ","
                 RULE("AnyFull", 110, "Inbound", "Allow", "*", "2.2.2.2", "0-65535", "*", "*") ","
                 RULE("IcmpOnly", 120, "Inbound", "Allow", "Icmp", "3.3.3.3", "*", "*", "*") ","
                 RULE("AnyAll", 130, "Inbound", "Allow", "*", "*", "*", "fd00:1:0:1::/64", "*")),
      NULL);
  /* port rule never matches ICMP (no ports) */
  fx_expect(cfg, "nic-web", "in", "icmp", "10.0.1.4", 0, "1.1.1.1", 0, "Deny defaultSecurityRules/DenyAllInbound sub");
  fx_expect(cfg, "nic-web", "in", "tcp", "10.0.1.4", 80, "1.1.1.1", 1, "Allow securityRules/AnyPort80 sub");
  /* full ranges written 0-65535 match ICMP */
  fx_expect(cfg, "nic-web", "in", "icmp", "10.0.1.4", 0, "2.2.2.2", 0, "Allow securityRules/AnyFull sub");
  fx_expect(cfg, "nic-web", "in", "esp", "10.0.1.4", 0, "2.2.2.2", 0, "Allow securityRules/AnyFull sub");
  fx_expect(cfg, "nic-web", "in", "icmp", "10.0.1.4", 0, "3.3.3.3", 0, "Allow securityRules/IcmpOnly sub");
  fx_expect(cfg, "nic-web", "in", "tcp", "10.0.1.4", 80, "3.3.3.3", 1, "Deny defaultSecurityRules/DenyAllInbound sub");
  /* ICMPv6 is matched only by '*' rules: IcmpOnly cannot match it, AnyAll does */
  fx_expect(cfg, "nic-web", "in", "icmpv6", "fd00:1:0:1::4", 0, "2600::1", 0, "Allow securityRules/AnyAll sub");
  nsg_config_free(cfg);
}

static void s3_icmp_rule_not_icmpv6(void **state)
{
  (void)state;
  struct nsg_config *cfg = fx_config(
      "sub", NULL, NSG("sub", RULE("IcmpAll", 100, "Inbound", "Allow", "Icmp", "*", "*", "*", "*")), NULL);
  fx_expect(cfg, "nic-web", "in", "icmpv6", "fd00:1:0:1::4", 0, "2600::1", 0,
            "Deny defaultSecurityRules/DenyAllInbound sub");
  fx_expect(cfg, "nic-web", "in", "icmp", "10.0.1.4", 0, "1.2.3.4", 0, "Allow securityRules/IcmpAll sub");
  nsg_config_free(cfg);
}

static void s3_port_and_prefix_edges(void **state)
{
  (void)state;
  struct nsg_config *cfg = fx_config(
      "sub", NULL,
      NSG("sub", RULE("P0", 100, "Inbound", "Allow", "Udp", "*", "0", "*", "65535") ","
                 RULE("Host32", 110, "Inbound", "Allow", "Tcp", "5.6.7.8/32", "*", "*", "*") ","
                 RULE("Net24", 120, "Inbound", "Allow", "Tcp", "9.9.9.0/24", "*", "*", "1-1") ","
                 RULE("Zero", 130, "Inbound", "Allow", "Tcp", "0.0.0.0/0", "*", "*", "7")),
      NULL);
  fx_expect(cfg, "nic-web", "in", "udp", "10.0.1.4", 65535, "1.2.3.4", 0, "Allow securityRules/P0 sub");
  fx_expect(cfg, "nic-web", "in", "udp", "10.0.1.4", 65534, "1.2.3.4", 0, "Deny defaultSecurityRules/DenyAllInbound sub");
  fx_expect(cfg, "nic-web", "in", "udp", "10.0.1.4", 65535, "1.2.3.4", 1, "Deny defaultSecurityRules/DenyAllInbound sub");
  fx_expect(cfg, "nic-web", "in", "tcp", "10.0.1.4", 9, "5.6.7.8", 1, "Allow securityRules/Host32 sub");
  fx_expect(cfg, "nic-web", "in", "tcp", "10.0.1.4", 9, "5.6.7.9", 1, "Deny defaultSecurityRules/DenyAllInbound sub");
  fx_expect(cfg, "nic-web", "in", "tcp", "10.0.1.4", 1, "9.9.9.255", 1, "Allow securityRules/Net24 sub");
  fx_expect(cfg, "nic-web", "in", "tcp", "10.0.1.4", 1, "9.9.10.0", 1, "Deny defaultSecurityRules/DenyAllInbound sub");
  fx_expect(cfg, "nic-web", "in", "tcp", "10.0.1.4", 1, "9.9.8.255", 1, "Deny defaultSecurityRules/DenyAllInbound sub");
  /* S3: 0.0.0.0/0 matches IPv4 and IPv6 */
  fx_expect(cfg, "nic-web", "in", "tcp", "10.0.1.4", 7, "1.2.3.4", 1, "Allow securityRules/Zero sub");
  fx_expect(cfg, "nic-web", "in", "tcp", "fd00:1:0:1::4", 7, "2600::1", 1, "Allow securityRules/Zero sub");
  nsg_config_free(cfg);
}

static void s3_families_and_v6_prefix(void **state)
{
  (void)state;
  struct nsg_config *cfg = fx_config(
      "sub", NULL,
      NSG("sub", RULE("V6", 100, "Inbound", "Allow", "Tcp", "2600::/16", "*", "*", "443") ","
                 RULE("V6zero", 110, "Inbound", "Allow", "Tcp", "::/0", "*", "*", "444")),
      NULL);
  fx_expect(cfg, "nic-web", "in", "tcp", "fd00:1:0:1::4", 443, "2600:1::1", 1, "Allow securityRules/V6 sub");
  fx_expect(cfg, "nic-web", "in", "tcp", "fd00:1:0:1::4", 443, "2700::1", 1, "Deny defaultSecurityRules/DenyAllInbound sub");
  /* ::/0 matches only IPv6 */
  fx_expect(cfg, "nic-web", "in", "tcp", "fd00:1:0:1::4", 444, "2700::1", 1, "Allow securityRules/V6zero sub");
  fx_expect(cfg, "nic-web", "in", "tcp", "10.0.1.4", 444, "1.2.3.4", 1, "Deny defaultSecurityRules/DenyAllInbound sub");
  nsg_config_free(cfg);
}

static void s3_singular_lists_and_plural_wins(void **state)
{
  (void)state;
  struct nsg_config *cfg = fx_config(
      "sub", NULL,
      NSG("sub", "{\"name\":\"Lists\",\"properties\":{\"priority\":100,\"direction\":\"Inbound\",\"access\":\"Allow\","
                 "\"protocol\":\"Tcp\",\"sourceAddressPrefix\":\"*\",\"sourceAddressPrefixes\":[],\"sourcePortRange\":\"*\","
                 "\"sourcePortRanges\":[],\"destinationAddressPrefix\":\"*\",\"destinationPortRange\":\"443,65200-65535\","
                 "\"destinationPortRanges\":[]}},"
                 "{\"name\":\"PluralWins\",\"properties\":{\"priority\":110,\"direction\":\"Inbound\",\"access\":\"Allow\","
                 "\"protocol\":\"Udp\",\"sourceAddressPrefix\":\"1.1.1.1\",\"sourceAddressPrefixes\":[\"2.2.2.2\",\"3.3.3.0/24\"],"
                 "\"sourcePortRange\":\"*\",\"destinationAddressPrefix\":\"*\",\"destinationPortRange\":\"1\","
                 "\"destinationPortRanges\":[\"53\",\"60-70\"]}}"),
      NULL);
  fx_expect(cfg, "nic-web", "in", "tcp", "10.0.1.4", 443, "1.2.3.4", 1, "Allow securityRules/Lists sub");
  fx_expect(cfg, "nic-web", "in", "tcp", "10.0.1.4", 65200, "1.2.3.4", 1, "Allow securityRules/Lists sub");
  fx_expect(cfg, "nic-web", "in", "tcp", "10.0.1.4", 65199, "1.2.3.4", 1, "Deny defaultSecurityRules/DenyAllInbound sub");
  fx_expect(cfg, "nic-web", "in", "udp", "10.0.1.4", 53, "3.3.3.9", 1, "Allow securityRules/PluralWins sub");
  fx_expect(cfg, "nic-web", "in", "udp", "10.0.1.4", 65, "2.2.2.2", 1, "Allow securityRules/PluralWins sub");
  fx_expect(cfg, "nic-web", "in", "udp", "10.0.1.4", 1, "2.2.2.2", 1, "Deny defaultSecurityRules/DenyAllInbound sub");
  fx_expect(cfg, "nic-web", "in", "udp", "10.0.1.4", 53, "1.1.1.1", 1, "Deny defaultSecurityRules/DenyAllInbound sub");
  nsg_config_free(cfg);
}

/* S4: augmented rules: lists combined with a tag and ASGs. */
static void s4_augmented(void **state)
{
  (void)state;
  struct nsg_config *cfg = fx_config(
      "sub", NULL,
      NSG("sub", "{\"name\":\"Aug\",\"properties\":{\"priority\":100,\"direction\":\"Inbound\",\"access\":\"Allow\","
                 "\"protocol\":\"Tcp\",\"sourceAddressPrefixes\":[\"1.1.1.0/24\",\"AzureLoadBalancer\"],"
                 "\"sourcePortRange\":\"*\",\"destinationApplicationSecurityGroups\":[{\"id\":\"/x/applicationSecurityGroups/asg-web\"},"
                 "{\"id\":\"/x/applicationSecurityGroups/asg-app\"}],\"destinationPortRanges\":[\"22\",\"3389\"]}}"),
      NULL);
  fx_expect(cfg, "nic-web", "in", "tcp", "10.0.1.4", 22, "1.1.1.7", 1, "Allow securityRules/Aug sub");
  fx_expect(cfg, "nic-web", "in", "tcp", "10.0.1.4", 3389, "168.63.129.16", 1, "Allow securityRules/Aug sub");
  fx_expect(cfg, "nic-web", "in", "tcp", "10.0.1.4", 23, "1.1.1.7", 1, "Deny defaultSecurityRules/DenyAllInbound sub");
  fx_expect(cfg, "nic-web", "in", "tcp", "10.0.1.4", 22, "1.1.2.7", 1, "Deny defaultSecurityRules/DenyAllInbound sub");
  nsg_config_free(cfg);
  /* S4 strict: one ASG per field */
  fx_opts.strict = true;
  unsigned errors;
  cfg = fx_config("sub", NULL,
                  NSG("sub", "{\"name\":\"Aug\",\"properties\":{\"priority\":100,\"direction\":\"Inbound\",\"access\":\"Allow\","
                             "\"protocol\":\"Tcp\",\"sourceAddressPrefix\":\"*\",\"sourcePortRange\":\"*\","
                             "\"destinationApplicationSecurityGroups\":[{\"id\":\"/x/applicationSecurityGroups/asg-web\"},"
                             "{\"id\":\"/x/applicationSecurityGroups/asg-app\"}],\"destinationPortRange\":\"22\"}}"),
                  &errors);
  assert_int_equal(errors, 1);
  assert_true(fx_has_message("test.json: error: networkSecurityGroups/sub: securityRules/Aug: field "
                             "'destinationApplicationSecurityGroups': names 2 application security groups; strict mode "
                             "allows one per field (S4)"));
  nsg_config_free(cfg);
}

static void s4_classic_no_augmented(void **state)
{
  (void)state;
  unsigned errors;
  struct nsg_config *cfg = fx_config(
      NULL, NULL,
      "{\"type\":\"Microsoft.ClassicNetwork/networkSecurityGroups\",\"name\":\"classic\",\"properties\":{\"securityRules\":["
      "{\"name\":\"Two\",\"properties\":{\"priority\":100,\"direction\":\"Inbound\",\"access\":\"Allow\",\"protocol\":\"Tcp\","
      "\"sourceAddressPrefixes\":[\"1.1.1.1\",\"2.2.2.2\"],\"sourcePortRange\":\"*\",\"destinationAddressPrefix\":\"*\","
      "\"destinationPortRange\":\"80,443\"}},"
      RULE("One", 110, "Inbound", "Allow", "Tcp", "INTERNET", "*", "VIRTUAL_NETWORK", "80") "]}}",
      &errors);
  assert_int_equal(errors, 2);
  assert_true(fx_has_message("test.json: error: networkSecurityGroups/classic: securityRules/Two: field "
                             "'sourceAddressPrefixes': has 2 addresses; a classic NSG allows exactly one per field (no "
                             "augmented rules, S4)"));
  assert_true(fx_has_message("test.json: error: networkSecurityGroups/classic: securityRules/Two: field "
                             "'destinationPortRange': has several port ranges; a classic NSG allows one per field (no "
                             "augmented rules, S4)"));
  nsg_config_free(cfg);
}

/* S5: the VNet's flowTimeoutInMinutes and the NSG's flushConnection are read and validated. */
static void s5_flow_properties(void **state)
{
  (void)state;
  struct nsg_config *cfg = fx_config(
      "sub", NULL,
      "{\"type\":\"Microsoft.Network/networkSecurityGroups\",\"name\":\"sub\",\"properties\":{\"flushConnection\":true,"
      "\"securityRules\":[]}}",
      NULL);
  assert_int_equal(cfg->vnets[0].flow_timeout_min, 10);
  assert_int_equal(cfg->vnets[1].flow_timeout_min, 0); /* not set: default 4 */
  assert_true(cfg->nsgs[0].flush_connection);
  nsg_config_free(cfg);
  unsigned errors;
  cfg = fx_config_raw("{\"type\":\"Microsoft.Network/virtualNetworks\",\"name\":\"v\",\"properties\":{\"addressSpace\":"
                      "{\"addressPrefixes\":[\"10.0.0.0/8\"]},\"flowTimeoutInMinutes\":3}}",
                      &errors);
  assert_int_equal(errors, 1);
  assert_true(fx_has_message(
      "test.json: error: virtualNetworks/v: field 'flowTimeoutInMinutes': expected an integer from 4 to 30 (S5)"));
  nsg_config_free(cfg);
}

/* S6: default rules, their input spelling, and overriding them. */
static void s6_default_rules(void **state)
{
  (void)state;
  struct nsg_config *cfg = fx_config(
      "sub", NULL,
      "{\"type\":\"Microsoft.Network/networkSecurityGroups\",\"name\":\"sub\",\"properties\":{\"securityRules\":[],"
      "\"defaultSecurityRules\":[{\"name\":\"DenyAllInBound\"},{\"name\":\"AllowVnetInBound\"}]}}",
      NULL);
  /* VNet to VNet (peered hub included) allowed */
  fx_expect(cfg, "nic-web", "in", "tcp", "10.0.1.4", 22, "172.16.0.4", 1, "Allow defaultSecurityRules/AllowVnetInBound sub");
  /* health probe source: VirtualNetwork holds the host IP 168.63.129.16 (S7 revised), so
   * AllowVnetInBound (65000) decides before AllowAzureLoadBalancerInBound (65001) */
  fx_expect(cfg, "nic-web", "in", "tcp", "10.0.1.4", 80, "168.63.129.16", 1,
            "Allow defaultSecurityRules/AllowVnetInBound sub");
  /* Internet denied by DenyAllInbound, spelled as the input spells it */
  fx_expect(cfg, "nic-web", "in", "tcp", "10.0.1.4", 80, "1.2.3.4", 1, "Deny defaultSecurityRules/DenyAllInBound sub");
  fx_expect(cfg, "nic-web", "in", "udp", "fd00:1:0:1::4", 80, "2600::1", 1, "Deny defaultSecurityRules/DenyAllInBound sub");
  /* outbound: to the Internet allowed, to non-public space outside the VNet denied */
  fx_expect(cfg, "nic-web", "out", "tcp", "10.0.1.4", 1, "1.2.3.4", 443, "Allow defaultSecurityRules/AllowInternetOutBound sub");
  fx_expect(cfg, "nic-web", "out", "tcp", "10.0.1.4", 1, "192.168.1.1", 443, "Deny defaultSecurityRules/DenyAllOutBound sub");
  fx_expect(cfg, "nic-web", "out", "icmp", "10.0.1.4", 0, "10.0.2.4", 0, "Allow defaultSecurityRules/AllowVnetOutBound sub");
  nsg_config_free(cfg);
  /* a custom rule (lowest priority 4096) overrides a default */
  cfg = fx_config("sub", NULL, NSG("sub", RULE("DenyVnet", 4096, "Inbound", "Deny", "*", "VirtualNetwork", "*", "*", "*")), NULL);
  fx_expect(cfg, "nic-web", "in", "tcp", "10.0.1.4", 22, "10.0.2.4", 1, "Deny securityRules/DenyVnet sub");
  nsg_config_free(cfg);
}

/* S7: tags computed from the topology, and from the Service Tags file. */
static void s7_tags(void **state)
{
  (void)state;
  struct nsg_config *cfg = fx_config(
      "sub", NULL,
      NSG("sub", RULE("FromInternet", 100, "Inbound", "Allow", "Tcp", "Internet", "*", "*", "443") ","
                 RULE("FromVnet", 110, "Inbound", "Deny", "Tcp", "VirtualNetwork", "*", "*", "443") ","
                 RULE("ToInternetDeny", 120, "Outbound", "Deny", "*", "*", "*", "INTERNET", "*")),
      NULL);
  fx_expect(cfg, "nic-web", "in", "tcp", "10.0.1.4", 443, "8.8.8.8", 1, "Allow securityRules/FromInternet sub");
  fx_expect(cfg, "nic-web", "in", "tcp", "fd00:1:0:1::4", 443, "2600::1", 1, "Allow securityRules/FromInternet sub");
  /* non-public space outside the VNet is neither VirtualNetwork nor Internet */
  fx_expect(cfg, "nic-web", "in", "tcp", "10.0.1.4", 443, "192.168.0.1", 1, "Deny defaultSecurityRules/DenyAllInbound sub");
  fx_expect(cfg, "nic-web", "in", "tcp", "fd00:1:0:1::4", 443, "fd00:2::1", 1, "Deny defaultSecurityRules/DenyAllInbound sub");
  /* the peered VNet's space is VirtualNetwork */
  fx_expect(cfg, "nic-web", "in", "tcp", "10.0.1.4", 443, "172.16.0.9", 1, "Deny securityRules/FromVnet sub");
  fx_expect(cfg, "nic-web", "in", "tcp", "fd00:1:0:1::4", 443, "fd00:1:0:ffff::1", 1, "Deny securityRules/FromVnet sub");
  fx_expect(cfg, "nic-web", "out", "udp", "10.0.1.4", 1, "9.9.9.9", 53, "Deny securityRules/ToInternetDeny sub");
  fx_expect(cfg, "nic-web", "out", "udp", "10.0.1.4", 1, "10.0.2.4", 53, "Allow defaultSecurityRules/AllowVnetOutBound sub");
  nsg_config_free(cfg);
}

static void s7_service_tags_file(void **state)
{
  (void)state;
  struct nsg_options o;
  nsg_options_default(&o);
  struct nsg_config *cfg = nsg_config_new(&o);
  char path[512];
  snprintf(path, sizeof path, "%s/servicetags-sample.json", NSGNIC_TEST_DATA_DIR);
  assert_int_equal(nsg_config_load_service_tags(cfg, path), 0);
  assert_int_equal(nsg_config_load_string(cfg, "t.json",
    "[{\"type\":\"Microsoft.Network/virtualNetworks\",\"name\":\"v\",\"properties\":{\"addressSpace\":{\"addressPrefixes\":[\"10.0.0.0/16\"]},"
    "\"subnets\":[{\"name\":\"s\",\"properties\":{\"addressPrefix\":\"10.0.0.0/24\",\"networkSecurityGroup\":{\"id\":\"/x/networkSecurityGroups/n\"}}}]}},"
    "{\"type\":\"Microsoft.Network/networkInterfaces\",\"name\":\"nic\",\"properties\":{\"ipConfigurations\":[{\"name\":\"c\",\"properties\":"
    "{\"privateIPAddress\":\"10.0.0.4\",\"subnet\":{\"id\":\"/x/virtualNetworks/v/subnets/s\"}}}]}}," NSG("n",
    RULE("AI", 100, "Inbound", "Allow", "Tcp", "ApplicationInsightsAvailability", "*", "*", "443") ","
    RULE("KV", 110, "Inbound", "Allow", "Tcp", "azurekeyvault.uksouth2", "*", "*", "443")) "]"), 0);
  assert_int_equal(nsg_config_finalize(cfg), 0);
  fx_expect(cfg, "nic", "in", "tcp", "10.0.0.4", 443, "13.86.97.230", 1, "Allow securityRules/AI n");
  fx_expect(cfg, "nic", "in", "tcp", "10.0.0.4", 443, "13.86.97.240", 1, "Deny defaultSecurityRules/DenyAllInbound n");
  nsg_config_free(cfg);
}

/* S7: on-premises spaces connected through a gateway, and VNet-to-VNet connections, are
 * VirtualNetwork (and so not Internet). */
static void s7_gateway_connected(void **state)
{
  (void)state;
  struct nsg_config *cfg = fx_config_raw(
      "[{\"type\":\"Microsoft.Network/virtualNetworks\",\"name\":\"v\",\"properties\":{\"addressSpace\":{\"addressPrefixes\":[\"10.1.0.0/16\"]},"
      "\"subnets\":[{\"name\":\"s\",\"properties\":{\"addressPrefix\":\"10.1.0.0/24\",\"networkSecurityGroup\":{\"id\":\"/x/networkSecurityGroups/n\"}}},"
      "{\"name\":\"GatewaySubnet\",\"properties\":{\"addressPrefix\":\"10.1.255.0/27\"}}]}},"
      "{\"type\":\"Microsoft.Network/virtualNetworks\",\"name\":\"w\",\"properties\":{\"addressSpace\":{\"addressPrefixes\":[\"10.2.0.0/16\"]},"
      "\"subnets\":[{\"name\":\"GatewaySubnet\",\"properties\":{\"addressPrefix\":\"10.2.255.0/27\"}}]}},"
      "{\"type\":\"Microsoft.Network/virtualNetworkGateways\",\"name\":\"gw-v\",\"properties\":{\"ipConfigurations\":[{\"name\":\"c\",\"properties\":"
      "{\"subnet\":{\"id\":\"/x/virtualNetworks/v/subnets/GatewaySubnet\"}}}]}},"
      "{\"type\":\"Microsoft.Network/virtualNetworkGateways\",\"name\":\"gw-w\",\"properties\":{\"ipConfigurations\":[{\"name\":\"c\",\"properties\":"
      "{\"subnet\":{\"id\":\"/x/virtualNetworks/w/subnets/GatewaySubnet\"}}}]}},"
      "{\"type\":\"Microsoft.Network/localNetworkGateways\",\"name\":\"onprem\",\"properties\":{\"localNetworkAddressSpace\":"
      "{\"addressPrefixes\":[\"192.168.50.0/24\",\"77.1.0.0/16\"]}}},"
      "{\"type\":\"Microsoft.Network/connections\",\"name\":\"s2s\",\"properties\":{\"connectionType\":\"IPsec\","
      "\"virtualNetworkGateway1\":{\"id\":\"/x/virtualNetworkGateways/gw-v\"},\"localNetworkGateway2\":{\"id\":\"/x/localNetworkGateways/onprem\"}}},"
      "{\"type\":\"Microsoft.Network/connections\",\"name\":\"v2v\",\"properties\":{\"connectionType\":\"Vnet2Vnet\","
      "\"virtualNetworkGateway1\":{\"id\":\"/x/virtualNetworkGateways/gw-v\"},\"virtualNetworkGateway2\":{\"id\":\"/x/virtualNetworkGateways/gw-w\"}}},"
      "{\"type\":\"Microsoft.Network/networkInterfaces\",\"name\":\"nic\",\"properties\":{\"ipConfigurations\":[{\"name\":\"c\",\"properties\":"
      "{\"privateIPAddress\":\"10.1.0.4\",\"subnet\":{\"id\":\"/x/virtualNetworks/v/subnets/s\"}}}]}},"
      NSG("n", RULE("FromInternet", 100, "Inbound", "Allow", "Tcp", "Internet", "*", "*", "443")) "]",
      NULL);
  /* on-premises (even its public 77.1.0.0/16) and the VNet-to-VNet peer are VirtualNetwork */
  fx_expect(cfg, "nic", "in", "tcp", "10.1.0.4", 22, "192.168.50.9", 1, "Allow defaultSecurityRules/AllowVNetInBound n");
  fx_expect(cfg, "nic", "in", "tcp", "10.1.0.4", 22, "10.2.0.9", 1, "Allow defaultSecurityRules/AllowVNetInBound n");
  fx_expect(cfg, "nic", "in", "tcp", "10.1.0.4", 443, "77.1.2.3", 1, "Allow defaultSecurityRules/AllowVNetInBound n");
  fx_expect(cfg, "nic", "in", "tcp", "10.1.0.4", 443, "77.2.2.3", 1, "Allow securityRules/FromInternet n");
  fx_expect(cfg, "nic", "in", "tcp", "10.1.0.4", 22, "10.3.0.9", 1, "Deny defaultSecurityRules/DenyAllInbound n");
  nsg_config_free(cfg);
}

/* S7 (revised), S11: route tables. VirtualNetwork per subnet = the VNet's spaces (+ peerings,
 * gateways) + 168.63.129.16 + the prefixes of the subnet's route table (a tag route: the tag's
 * prefixes), per family; Internet ignores the UDRs; KMS is off per subnet under 0.0.0.0/0.
 * Every case runs on the reference, the tables and the slow path (fx_expect). */
static const char *const rt_topology =
    "[{\"type\":\"Microsoft.Network/virtualNetworks\",\"name\":\"v\",\"properties\":{\"addressSpace\":{\"addressPrefixes\":[\"10.1.0.0/16\",\"fd00:1::/48\"]},"
    "\"subnets\":[{\"name\":\"plain\",\"properties\":{\"addressPrefix\":\"10.1.0.0/24\",\"networkSecurityGroup\":{\"id\":\"/x/networkSecurityGroups/n\"}}},"
    "{\"name\":\"tunnel\",\"properties\":{\"addressPrefixes\":[\"10.1.1.0/24\",\"fd00:1:0:1::/64\"],\"networkSecurityGroup\":{\"id\":\"/x/networkSecurityGroups/n\"},"
    "\"routeTable\":{\"id\":\"/x/routeTables/rt-fw\"}}},"
    "{\"name\":\"udr\",\"properties\":{\"addressPrefix\":\"10.1.2.0/24\",\"networkSecurityGroup\":{\"id\":\"/x/networkSecurityGroups/n\"},"
    "\"routeTable\":{\"id\":\"/X/ROUTETABLES/RT-SOME\"}}}],"
    "\"virtualNetworkPeerings\":[{\"name\":\"p\",\"properties\":{\"remoteAddressSpace\":{\"addressPrefixes\":[\"10.9.0.0/16\"]},\"peeringState\":\"Connected\"}}]}},"
    /* az flattened form */
    "{\"type\":\"Microsoft.Network/routeTables\",\"name\":\"rt-fw\",\"routes\":["
    "{\"name\":\"default-v4\",\"addressPrefix\":\"0.0.0.0/0\",\"nextHopType\":\"VirtualAppliance\",\"nextHopIpAddress\":\"10.1.0.4\"}]},"
    /* ARM form */
    "{\"type\":\"Microsoft.Network/routeTables\",\"name\":\"rt-some\",\"properties\":{\"routes\":["
    "{\"name\":\"onprem\",\"properties\":{\"addressPrefix\":\"77.1.0.0/16\",\"nextHopType\":\"VirtualNetworkGateway\"}},"
    "{\"name\":\"v6\",\"properties\":{\"addressPrefix\":\"2600:1::/32\",\"nextHopType\":\"None\"}},"
    "{\"name\":\"lkm\",\"properties\":{\"addressPrefix\":\"AzurePlatformLKM\",\"nextHopType\":\"Internet\"}}]}},"
    "{\"type\":\"Microsoft.Network/networkInterfaces\",\"name\":\"nic-plain\",\"properties\":{\"ipConfigurations\":[{\"name\":\"c\",\"properties\":"
    "{\"privateIPAddress\":\"10.1.0.5\",\"subnet\":{\"id\":\"/x/virtualNetworks/v/subnets/plain\"}}}]}},"
    "{\"type\":\"Microsoft.Network/networkInterfaces\",\"name\":\"nic-tunnel\",\"properties\":{\"ipConfigurations\":[{\"name\":\"c\",\"properties\":"
    "{\"privateIPAddress\":\"10.1.1.5\",\"subnet\":{\"id\":\"/x/virtualNetworks/v/subnets/tunnel\"}}},"
    "{\"name\":\"c6\",\"properties\":{\"privateIPAddress\":\"fd00:1:0:1::5\",\"subnet\":{\"id\":\"/x/virtualNetworks/v/subnets/tunnel\"}}}]}},"
    "{\"type\":\"Microsoft.Network/networkInterfaces\",\"name\":\"nic-udr\",\"properties\":{\"ipConfigurations\":[{\"name\":\"c\",\"properties\":"
    "{\"privateIPAddress\":\"10.1.2.5\",\"subnet\":{\"id\":\"/x/virtualNetworks/v/subnets/udr\"}}}]}},";

static void s7_route_tables(void **state)
{
  (void)state;
  char json[8192];
  snprintf(json, sizeof json, "%s%s]", rt_topology,
           NSG("n", RULE("FromInternet", 100, "Inbound", "Allow", "Tcp", "Internet", "*", "*", "443") ","
                    RULE("DenyAllOut", 4000, "Outbound", "Deny", "Tcp", "*", "*", "*", "1688")));
  struct nsg_config *cfg = fx_config_raw(json, NULL);
  /* ingredient: the VNet's own space, and a peering's */
  fx_expect(cfg, "nic-plain", "in", "tcp", "10.1.0.5", 22, "10.1.2.9", 1, "Allow defaultSecurityRules/AllowVNetInBound n");
  fx_expect(cfg, "nic-plain", "in", "tcp", "10.1.0.5", 22, "10.9.0.9", 1, "Allow defaultSecurityRules/AllowVNetInBound n");
  /* ingredient: the host IP 168.63.129.16, in every subnet */
  fx_expect(cfg, "nic-plain", "in", "tcp", "10.1.0.5", 22, "168.63.129.16", 1, "Allow defaultSecurityRules/AllowVNetInBound n");
  /* ingredient: a UDR prefix (any next hop) - only in the subnet whose route table has it */
  fx_expect(cfg, "nic-udr", "in", "tcp", "10.1.2.5", 22, "77.1.2.3", 1, "Allow defaultSecurityRules/AllowVNetInBound n");
  fx_expect(cfg, "nic-plain", "in", "tcp", "10.1.0.5", 22, "77.1.2.3", 1, "Deny defaultSecurityRules/DenyAllInbound n");
  /* Internet is computed without the UDRs: 77.1.2.3 stays Internet in the UDR subnet */
  fx_expect(cfg, "nic-udr", "in", "tcp", "10.1.2.5", 443, "77.1.2.3", 1, "Allow securityRules/FromInternet n");
  /* ingredient: a UDR whose prefix is a service tag: the tag's prefixes */
  fx_expect(cfg, "nic-udr", "in", "udp", "10.1.2.5", 53, "23.102.135.246", 1, "Allow defaultSecurityRules/AllowVNetInBound n");
  fx_expect(cfg, "nic-plain", "in", "udp", "10.1.0.5", 53, "23.102.135.246", 1, "Deny defaultSecurityRules/DenyAllInbound n");
  /* ingredient: 0.0.0.0/0 makes VirtualNetwork every IPv4 address (AllowVnetInBound then allows
   * inbound from anywhere), for that family only */
  fx_expect(cfg, "nic-tunnel", "in", "tcp", "10.1.1.5", 22, "8.8.8.8", 1, "Allow defaultSecurityRules/AllowVNetInBound n");
  fx_expect(cfg, "nic-tunnel", "in", "tcp", "10.1.1.5", 22, "192.168.7.7", 1, "Allow defaultSecurityRules/AllowVNetInBound n");
  fx_expect(cfg, "nic-tunnel", "in", "tcp", "fd00:1:0:1::5", 22, "2600::1", 1, "Deny defaultSecurityRules/DenyAllInbound n");
  fx_expect(cfg, "nic-plain", "in", "tcp", "10.1.0.5", 22, "8.8.8.8", 1, "Deny defaultSecurityRules/DenyAllInbound n");
  /* the IPv6 UDR 2600:1::/32: IPv6 VirtualNetwork of its subnet only (tested through IPv4 NIC? no:
   * nic-udr has no IPv6 address; the effective view shows it below) */
  /* S11: KMS is off for the NIC whose subnet's route table has 0.0.0.0/0, on elsewhere */
  fx_expect(cfg, "nic-tunnel", "out", "tcp", "10.1.1.5", 5000, "23.102.135.246", 1688, "Deny securityRules/DenyAllOut n");
  fx_expect(cfg, "nic-plain", "out", "tcp", "10.1.0.5", 5000, "23.102.135.246", 1688, "Allow platform");
  fx_expect(cfg, "nic-udr", "out", "tcp", "10.1.2.5", 5000, "23.102.135.246", 1688, "Allow platform");
  char *j = nsg_effective_json(cfg, "nic-udr", false);
  assert_non_null(j);
  assert_non_null(strstr(j, "\"expandedSourceAddressPrefix\":[\"10.1.0.0/16\",\"10.9.0.0/16\",\"20.118.99.224/32\","
                            "\"23.102.135.246/32\",\"40.83.235.53/32\",\"77.1.0.0/16\",\"168.63.129.16/32\","
                            "\"2600:1::/32\",\"fd00:1::/48\"]"));
  free(j);
  nsg_config_free(cfg);
}

/* S7 (revised): route-table errors name file, resource, route and field. */
static void s7_route_table_errors(void **state)
{
  (void)state;
  unsigned errors = 0;
  char json[8192];
  snprintf(json, sizeof json, "%s%s]", rt_topology, NSG("n", ""));
  /* a subnet naming a route table that is not loaded */
  char *p = strstr(json, "RT-SOME");
  memcpy(p, "RT-NONE", 7);
  struct nsg_config *cfg = fx_config_raw(json, &errors);
  assert_int_equal(errors, 1);
  assert_true(fx_has_message("test.json: error: virtualNetworks/v/subnets/udr: field 'routeTable.id': '/X/ROUTETABLES/RT-NONE' "
                             "is not a loaded route table (dangling id; load it with --config)"));
  nsg_config_free(cfg);
  cfg = fx_config_raw(
      "[{\"type\":\"Microsoft.Network/routeTables\",\"name\":\"rt\",\"properties\":{\"routes\":["
      "{\"name\":\"a\",\"properties\":{\"addressPrefix\":\"10.0.0.1/8\",\"nextHopType\":\"None\"}},"
      "{\"name\":\"b\",\"properties\":{\"addressPrefix\":\"NoSuchTag\",\"nextHopType\":\"None\"}},"
      "{\"name\":\"c\",\"properties\":{\"addressPrefix\":\"10.0.0.0/33\",\"nextHopType\":\"None\"}},"
      "{\"name\":\"d\",\"properties\":{\"addressPrefix\":\"10.0.0.0/8\",\"nextHopType\":\"Teleport\"}},"
      "{\"name\":\"e\",\"properties\":{\"addressPrefix\":\"10.0.0.0/8\",\"nextHopType\":\"VirtualAppliance\"}},"
      "{\"name\":\"f\",\"properties\":{\"addressPrefix\":\"VirtualNetwork\",\"nextHopType\":\"None\"}},"
      "{\"name\":\"g\",\"properties\":{\"nextHopType\":\"None\"}}]}}]",
      &errors);
  assert_int_equal(errors, 7);
  assert_true(fx_has_message("test.json: error: routeTables/rt: routes/a: field 'addressPrefix': '10.0.0.1/8' has host bits set; expected a network prefix"));
  assert_true(fx_has_message("test.json: error: routeTables/rt: routes/b: field 'addressPrefix': 'NoSuchTag' is neither a CIDR prefix nor a known service tag (tags come from --service-tags)"));
  assert_true(fx_has_message("test.json: error: routeTables/rt: routes/c: field 'addressPrefix': '10.0.0.0/33' is not a valid CIDR prefix (ADDRESS/LENGTH) or service tag"));
  assert_true(fx_has_message("test.json: error: routeTables/rt: routes/d: field 'nextHopType': 'Teleport' is not valid; expected VirtualNetworkGateway, VnetLocal, Internet, VirtualAppliance or None"));
  assert_true(fx_has_message("test.json: error: routeTables/rt: routes/e: field 'nextHopIpAddress': missing; a route to a VirtualAppliance needs the appliance's IP address"));
  assert_true(fx_has_message("test.json: error: routeTables/rt: routes/g: field 'addressPrefix': missing; expected a CIDR prefix (0.0.0.0/0, 10.1.0.0/16) or a service tag"));
  nsg_config_free(cfg);
}

/* S8: ASGs on the local and the remote side. */
static void s8_asgs(void **state)
{
  (void)state;
  struct nsg_config *cfg = fx_config(
      "sub", NULL,
      NSG("sub", "{\"name\":\"AppToWeb\",\"properties\":{\"priority\":100,\"direction\":\"Inbound\",\"access\":\"Allow\","
                 "\"protocol\":\"Tcp\",\"sourceApplicationSecurityGroups\":[{\"id\":\"/x/applicationSecurityGroups/asg-app\"}],"
                 "\"sourcePortRange\":\"*\",\"destinationApplicationSecurityGroups\":[{\"id\":\"/X/APPLICATIONSECURITYGROUPS/ASG-WEB\"}],"
                 "\"destinationPortRange\":\"8080\"}},"
                 RULE("DenyVnet8080", 200, "Inbound", "Deny", "*", "VirtualNetwork", "*", "*", "8080")),
      NULL);
  fx_expect(cfg, "nic-web", "in", "tcp", "10.0.1.4", 8080, "10.0.2.4", 1, "Allow securityRules/AppToWeb sub");
  /* a remote address that is not a member of asg-app */
  fx_expect(cfg, "nic-web", "in", "tcp", "10.0.1.4", 8080, "10.0.2.5", 1, "Deny securityRules/DenyVnet8080 sub");
  fx_expect(cfg, "nic-web", "in", "tcp", "10.0.1.4", 8080, "172.16.0.4", 1, "Deny securityRules/DenyVnet8080 sub");
  nsg_config_free(cfg);
}

static void s8_asg_vnet_violation(void **state)
{
  (void)state;
  unsigned errors;
  struct nsg_config *cfg = fx_config(
      NULL, NULL,
      "{\"type\":\"Microsoft.Network/networkInterfaces\",\"name\":\"nic-hub2\",\"properties\":{\"ipConfigurations\":["
      "{\"name\":\"c\",\"properties\":{\"privateIPAddress\":\"172.16.0.5\",\"subnet\":{\"id\":\"/x/virtualNetworks/hub/subnets/s\"},"
      "\"applicationSecurityGroups\":[{\"id\":\"/x/applicationSecurityGroups/asg-web\"}]}}]}}",
      &errors);
  assert_int_equal(errors, 1);
  assert_true(fx_has_message(
      "test.json: error: networkInterfaces/nic-hub2/ipConfigurations/c: field 'applicationSecurityGroups': NIC 'nic-hub2' "
      "is in virtual network 'hub' but application security group 'asg-web' already has NIC 'nic-web' of virtual network "
      "'vnet1'; all NICs of an ASG must be in one VNet (S8)"));
  nsg_config_free(cfg);
}

/* S9: IP flow verify names the NSG; effective rules expand tags and ASGs. */
static void s9_effective(void **state)
{
  (void)state;
  struct nsg_config *cfg = fx_config(
      "sub", "nic",
      NSG("sub", RULE("FromApp", 100, "Inbound", "Allow", "Tcp", "VirtualNetwork", "*", "*", "443")) ","
      NSG("nic", "{\"name\":\"Asg\",\"properties\":{\"priority\":100,\"direction\":\"Inbound\",\"access\":\"Allow\","
                 "\"protocol\":\"Tcp\",\"sourceApplicationSecurityGroups\":[{\"id\":\"/x/applicationSecurityGroups/asg-app\"}],"
                 "\"sourcePortRange\":\"*\",\"destinationAddressPrefix\":\"*\",\"destinationPortRange\":\"443\"}}"),
      NULL);
  char *j = nsg_effective_json(cfg, "nic-web", false);
  assert_non_null(j);
  /* evaluation order: subnet first */
  char *sub = strstr(j, "\"subnet\""), *nic = strstr(j, "\"networkInterface\"");
  assert_non_null(sub);
  assert_non_null(nic);
  assert_true(sub < nic);
  /* S7 revised: VirtualNetwork includes the host IP 168.63.129.16 */
  assert_non_null(strstr(j, "\"expandedSourceAddressPrefix\":[\"10.0.0.0/16\",\"168.63.129.16/32\",\"172.16.0.0/16\",\"fd00:1::/48\"]"));
  assert_non_null(strstr(j, "\"expandedSourceAddressPrefix\":[\"10.0.2.4/32\"]"));
  assert_non_null(strstr(j, "\"name\":\"securityRules/FromApp\""));
  assert_non_null(strstr(j, "\"protocol\":\"All\""));
  free(j);
  char *t = nsg_effective_text(cfg, "nic-web");
  assert_non_null(strstr(t, "Inbound, in evaluation order (S2: subnet NSG, then NIC NSG)"));
  free(t);
  assert_null(nsg_effective_json(cfg, "nope", false));
  nsg_config_free(cfg);
}

/* S10: platform addresses. */
static void s10_platform(void **state)
{
  (void)state;
  struct nsg_config *cfg = fx_config(
      "sub", NULL,
      NSG("sub", RULE("DenyAllOut", 100, "Outbound", "Deny", "*", "*", "*", "*", "*") ","
                 RULE("DenyAllIn", 100, "Inbound", "Deny", "*", "*", "*", "*", "*")),
      NULL);
  fx_expect(cfg, "nic-web", "out", "udp", "10.0.1.4", 5000, "168.63.129.16", 53, "Allow platform");
  fx_expect(cfg, "nic-web", "out", "tcp", "10.0.1.4", 5000, "169.254.169.254", 80, "Allow platform");
  fx_expect(cfg, "nic-web", "out", "tcp", "10.0.1.4", 5000, "1.2.3.4", 80, "Deny securityRules/DenyAllOut sub");
  /* inbound from them is decided by the rules */
  fx_expect(cfg, "nic-web", "in", "tcp", "10.0.1.4", 80, "168.63.129.16", 1, "Deny securityRules/DenyAllIn sub");
  nsg_config_free(cfg);
  /* a rule naming a platform tag applies, in priority order, before the exemption */
  cfg = fx_config("sub", NULL,
                  NSG("sub", RULE("DenyDns", 200, "Outbound", "Deny", "Udp", "*", "*", "AzurePlatformDNS", "53") ","
                             RULE("AllowImds", 300, "Outbound", "Allow", "Tcp", "*", "*", "AzurePlatformIMDS", "*") ","
                             RULE("DenyAllOut", 400, "Outbound", "Deny", "*", "*", "*", "*", "*")),
                  NULL);
  fx_expect(cfg, "nic-web", "out", "udp", "10.0.1.4", 5000, "168.63.129.16", 53, "Deny securityRules/DenyDns sub");
  fx_expect(cfg, "nic-web", "out", "tcp", "10.0.1.4", 5000, "168.63.129.16", 53, "Allow platform");
  fx_expect(cfg, "nic-web", "out", "tcp", "10.0.1.4", 5000, "169.254.169.254", 80, "Allow securityRules/AllowImds sub");
  nsg_config_free(cfg);
  /* the switch turns the exemption off */
  fx_opts.platform_exemption = false;
  cfg = fx_config("sub", NULL, NSG("sub", RULE("DenyAllOut", 100, "Outbound", "Deny", "*", "*", "*", "*", "*")), NULL);
  fx_expect(cfg, "nic-web", "out", "udp", "10.0.1.4", 5000, "168.63.129.16", 53, "Deny securityRules/DenyAllOut sub");
  nsg_config_free(cfg);
}

/* S11: KMS. */
static void s11_kms(void **state)
{
  (void)state;
  const char *nsg = NSG("sub", RULE("DenyAllOut", 100, "Outbound", "Deny", "*", "*", "*", "*", "*"));
  struct nsg_config *cfg = fx_config("sub", NULL, nsg, NULL);
  fx_expect(cfg, "nic-web", "out", "tcp", "10.0.1.4", 5000, "23.102.135.246", 1688, "Allow platform");
  fx_expect(cfg, "nic-web", "out", "tcp", "10.0.1.4", 5000, "40.83.235.53", 1688, "Allow platform");
  fx_expect(cfg, "nic-web", "out", "tcp", "10.0.1.4", 5000, "23.102.135.246", 1689, "Deny securityRules/DenyAllOut sub");
  fx_expect(cfg, "nic-web", "out", "udp", "10.0.1.4", 5000, "23.102.135.246", 1688, "Deny securityRules/DenyAllOut sub");
  nsg_config_free(cfg);
  fx_opts.forced_tunneling = true;
  cfg = fx_config("sub", NULL, nsg, NULL);
  fx_expect(cfg, "nic-web", "out", "tcp", "10.0.1.4", 5000, "23.102.135.246", 1688, "Deny securityRules/DenyAllOut sub");
  nsg_config_free(cfg);
}

/* S12: rules see the original client address and port (no load-balancer translation is
 * modelled: the verify query carries the client's address). */
static void s12_client_address(void **state)
{
  (void)state;
  struct nsg_config *cfg = fx_config(
      "sub", NULL, NSG("sub", RULE("Client", 100, "Inbound", "Allow", "Tcp", "203.1.1.1", "40000-40010", "10.0.1.4", "443")), NULL);
  fx_expect(cfg, "nic-web", "in", "tcp", "10.0.1.4", 443, "203.1.1.1", 40005, "Allow securityRules/Client sub");
  fx_expect(cfg, "nic-web", "in", "tcp", "10.0.1.4", 443, "203.1.1.1", 40011, "Deny defaultSecurityRules/DenyAllInbound sub");
  nsg_config_free(cfg);
}

/* S13: outbound TCP 25 by subscription type. */
static void s13_port25(void **state)
{
  (void)state;
  /* one case per S13 type (revised 2026-12): blocked or not, for outbound TCP 25 to Internet */
  static const struct {
    const char *name;
    bool blocked;
  } types[] = {
      {"EnterpriseAgreement", false}, {"MicrosoftCustomerAgreement", false}, {"EnterpriseDevTest", true},
      {"PayAsYouGo", true}, {"CSP", true}, {"MSDN", true}, {"VisualStudio", true}, {"AzurePass", true},
      {"AzureInOpen", true}, {"Education", true}, {"FreeTrial", true}, {"Other", true},
  };
  for (size_t i = 0; i < sizeof types / sizeof *types; i++) {
    fx_reset_options();
    assert_int_equal(nsg_subscription_parse(types[i].name, &fx_opts.subscription), 0);
    struct nsg_config *cfg =
        fx_config("sub", NULL, NSG("sub", RULE("Smtp", 100, "Outbound", "Allow", "Tcp", "*", "*", "*", "25")), NULL);
    fx_expect(cfg, "nic-web", "out", "tcp", "10.0.1.4", 5000, "1.2.3.4", 25,
              types[i].blocked ? "Deny platform" : "Allow securityRules/Smtp sub");
    /* relays on 587, port 25 inside the VNet and UDP 25 are never restricted */
    fx_expect(cfg, "nic-web", "out", "tcp", "10.0.1.4", 5000, "1.2.3.4", 587, "Allow defaultSecurityRules/AllowInternetOutBound sub");
    fx_expect(cfg, "nic-web", "out", "tcp", "10.0.1.4", 5000, "10.0.2.4", 25, "Allow securityRules/Smtp sub");
    fx_expect(cfg, "nic-web", "out", "udp", "10.0.1.4", 5000, "1.2.3.4", 25, "Allow defaultSecurityRules/AllowInternetOutBound sub");
    nsg_config_free(cfg);
    /* a subscription created before 15 Nov 2017 may send on port 25, whatever its type */
    fx_opts.created_before_2017_11_15 = true;
    cfg = fx_config("sub", NULL, NSG("sub", ""), NULL);
    fx_expect(cfg, "nic-web", "out", "tcp", "10.0.1.4", 5000, "1.2.3.4", 25, "Allow defaultSecurityRules/AllowInternetOutBound sub");
    nsg_config_free(cfg);
  }
  /* Enterprise Dev/Test with the exemption granted; pay-as-you-go gets none any more */
  fx_reset_options();
  fx_opts.subscription = NSG_SUB_ENTERPRISE_DEVTEST;
  fx_opts.devtest_port25_exemption = true;
  struct nsg_config *cfg = fx_config("sub", NULL, NSG("sub", ""), NULL);
  fx_expect(cfg, "nic-web", "out", "tcp", "10.0.1.4", 5000, "1.2.3.4", 25, "Allow defaultSecurityRules/AllowInternetOutBound sub");
  nsg_config_free(cfg);
  fx_opts.subscription = NSG_SUB_PAYG;
  cfg = fx_config("sub", NULL, NSG("sub", ""), NULL);
  fx_expect(cfg, "nic-web", "out", "tcp", "10.0.1.4", 5000, "1.2.3.4", 25, "Deny platform");
  nsg_config_free(cfg);
  enum nsg_subscription s;
  assert_int_equal(nsg_subscription_parse("payasyougo", &s), 0);
  assert_int_equal(s, NSG_SUB_PAYG);
  assert_int_equal(nsg_subscription_parse("Gold", &s), -22);
  assert_int_equal(nsg_subscription_parse("PayAsYouGoExempt", &s), -22);
  assert_int_equal(nsg_subscription_parse("Legacy", &s), -22);
}

/* S14: configurable limits with clear errors. */
static void s14_limits(void **state)
{
  (void)state;
  unsigned errors;
  fx_opts.limits.rules_per_nsg = 2;
  fx_opts.limits.prefixes_per_nsg_side = 2;
  fx_opts.limits.asgs_per_rule = 1;
  fx_opts.limits.asgs_per_nsg = 1;
  fx_opts.limits.asgs_per_ipconfig = 0;
  struct nsg_config *cfg = fx_config(
      "sub", NULL,
      NSG("sub", RULE("A", 100, "Inbound", "Allow", "Tcp", "1.1.1.1", "*", "2.2.2.2", "1") ","
                 RULE("B", 110, "Inbound", "Allow", "Tcp", "1.1.1.2", "*", "2.2.2.3", "1") ","
                 "{\"name\":\"C\",\"properties\":{\"priority\":120,\"direction\":\"Inbound\",\"access\":\"Allow\",\"protocol\":\"Tcp\","
                 "\"sourceAddressPrefixes\":[\"1.1.1.3\"],\"sourcePortRange\":\"*\",\"destinationApplicationSecurityGroups\":["
                 "{\"id\":\"/x/applicationSecurityGroups/asg-web\"},{\"id\":\"/x/applicationSecurityGroups/asg-app\"}],"
                 "\"destinationPortRange\":\"1\"}}"),
      &errors);
  assert_true(fx_has_message("test.json: error: networkSecurityGroups/sub: field 'securityRules': has 3 rules; the limit is 2 per NSG (S14)"));
  assert_true(fx_has_message("test.json: error: networkSecurityGroups/sub: field 'sourceAddressPrefixes': the NSG's rules list 3 source addresses/ranges; the limit is 2 (S14)"));
  assert_true(fx_has_message("test.json: error: networkSecurityGroups/sub: securityRules/C: field 'sourceApplicationSecurityGroups': names 2 application security groups; the limit is 1 per rule (S14)"));
  assert_true(fx_has_message("test.json: error: networkSecurityGroups/sub: field 'securityRules': the NSG's rules name 2 application security groups; the limit is 1 (S14)"));
  assert_true(fx_has_message("test.json: error: networkInterfaces/nic-web/ipConfigurations/ip4: field 'applicationSecurityGroups': has 1 application security groups; the limit is 0 per IP configuration (S14)"));
  assert_int_equal(errors, 7); /* + ip6 of nic-web and nic-app's ipconfig */
  nsg_config_free(cfg);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup(s1_attachment, setup),
      cmocka_unit_test_setup(s2_seed_port80_subnet_allows_nic_denies, setup),
      cmocka_unit_test_setup(s2_seed_port80_nic_allows_subnet_denies, setup),
      cmocka_unit_test_setup(s2_both_allow_reports_last_level, setup),
      cmocka_unit_test_setup(s2_outbound_nic_first_deny_wins, setup),
      cmocka_unit_test_setup(s3_priority_first_match, setup),
      cmocka_unit_test_setup(s3_icmp_against_port_rules, setup),
      cmocka_unit_test_setup(s3_icmp_rule_not_icmpv6, setup),
      cmocka_unit_test_setup(s3_port_and_prefix_edges, setup),
      cmocka_unit_test_setup(s3_families_and_v6_prefix, setup),
      cmocka_unit_test_setup(s3_singular_lists_and_plural_wins, setup),
      cmocka_unit_test_setup(s4_augmented, setup),
      cmocka_unit_test_setup(s4_classic_no_augmented, setup),
      cmocka_unit_test_setup(s5_flow_properties, setup),
      cmocka_unit_test_setup(s6_default_rules, setup),
      cmocka_unit_test_setup(s7_tags, setup),
      cmocka_unit_test_setup(s7_service_tags_file, setup),
      cmocka_unit_test_setup(s7_gateway_connected, setup),
      cmocka_unit_test_setup(s7_route_tables, setup),
      cmocka_unit_test_setup(s7_route_table_errors, setup),
      cmocka_unit_test_setup(s8_asgs, setup),
      cmocka_unit_test_setup(s8_asg_vnet_violation, setup),
      cmocka_unit_test_setup(s9_effective, setup),
      cmocka_unit_test_setup(s10_platform, setup),
      cmocka_unit_test_setup(s11_kms, setup),
      cmocka_unit_test_setup(s12_client_address, setup),
      cmocka_unit_test_setup(s13_port25, setup),
      cmocka_unit_test_setup(s14_limits, setup),
  };
  return cmocka_run_group_tests_name("semantics", tests, NULL, NULL);
}

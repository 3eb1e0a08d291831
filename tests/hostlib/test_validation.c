/* SPDX-License-Identifier: Apache-2.0 */
/* Every validation error, with its exact message: each names the file, the resource, the rule
 * and the field, and says what is expected. A configuration with any error is rejected whole. */
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

/* Loads `extra` into the fixture topology and checks that `expect` was reported, and that the
 * configuration has exactly `nerr` errors. */
static void expect_error(const char *extra, unsigned nerr, const char *expect)
{
  unsigned errors;
  struct nsg_config *cfg = fx_config(NULL, NULL, extra, &errors);
  if (!fx_has_message(expect)) {
    print_message("expected message:\n%s\nlogged:\n%s", expect, fx_messages());
    fail();
  }
  if (errors != nerr) {
    print_message("expected %u errors, got %u:\n%s", nerr, errors, fx_messages());
    fail();
  }
  /* nothing half-loaded: no query is answered */
  struct nsg_query q = {.nic = "nic-web", .dir = NSG_INBOUND, .proto = 6, .local = "10.0.1.4", .remote = "1.1.1.1"};
  struct nsg_verdict v;
  char err[256];
  assert_int_equal(nsg_verify(cfg, &q, &v, err, sizeof err), -22);
  assert_null(nsg_effective_json(cfg, "nic-web", false));
  nsg_config_free(cfg);
}

#define E "test.json: error: networkSecurityGroups/n: "

static void malformed_json(void **state)
{
  (void)state;
  unsigned errors;
  struct nsg_config *cfg = fx_config_raw("[{\"type\": \"Microsoft.Network/networkSecurityGroups\", ]", &errors);
  assert_int_equal(errors, 1);
  assert_true(fx_has_message("test.json: error: malformed JSON at line 1, column 54: string or '}' expected near ']'"));
  nsg_config_free(cfg);
}

static void priority_range(void **state)
{
  (void)state;
  expect_error(NSG("n", RULE("Low", 99, "Inbound", "Allow", "Tcp", "*", "*", "*", "80")), 1,
               E "securityRules/Low: field 'priority': 99 is out of range; expected an integer from 100 to 4096");
  expect_error(NSG("n", RULE("High", 4097, "Inbound", "Allow", "Tcp", "*", "*", "*", "80")), 1,
               E "securityRules/High: field 'priority': 4097 is out of range; expected an integer from 100 to 4096");
  expect_error(NSG("n", RULE("Str", "100", "Inbound", "Allow", "Tcp", "*", "*", "*", "80")), 1,
               E "securityRules/Str: field 'priority': is not an integer; expected an integer from 100 to 4096");
}

static void duplicate_name_and_priority(void **state)
{
  (void)state;
  expect_error(NSG("n", RULE("A", 100, "Inbound", "Allow", "Tcp", "*", "*", "*", "80") ","
                        RULE("a", 200, "Outbound", "Allow", "Tcp", "*", "*", "*", "80")),
               1, E "securityRules/a: field 'name': duplicate rule name 'a' (priorities 100 and 200); names are unique within an NSG (S3)");
  expect_error(NSG("n", RULE("A", 100, "Inbound", "Allow", "Tcp", "*", "*", "*", "80") ","
                        RULE("B", 100, "Inbound", "Deny", "Tcp", "*", "*", "*", "81")),
               1, E "securityRules/B: field 'priority': 100 is also the priority of Inbound rule 'A'; two rules of one direction cannot share a priority (S3)");
  /* the same priority in the other direction is fine */
  unsigned errors;
  struct nsg_config *cfg = fx_config(NULL, NULL,
                                     NSG("n", RULE("A", 100, "Inbound", "Allow", "Tcp", "*", "*", "*", "80") ","
                                              RULE("B", 100, "Outbound", "Deny", "Tcp", "*", "*", "*", "81")),
                                     &errors);
  assert_int_equal(errors, 0);
  nsg_config_free(cfg);
}

static void malformed_prefixes(void **state)
{
  (void)state;
  expect_error(NSG("n", RULE("P", 100, "Inbound", "Allow", "Tcp", "10.0.0.300/24", "*", "*", "80")), 1,
               E "securityRules/P: field 'sourceAddressPrefix': '10.0.0.300/24' is not a valid IPv4 or IPv6 address or CIDR prefix");
  expect_error(NSG("n", RULE("P", 100, "Inbound", "Allow", "Tcp", "*", "*", "10.0.0.0/33", "80")), 1,
               E "securityRules/P: field 'destinationAddressPrefix': '10.0.0.0/33' is not a valid IPv4 or IPv6 address or CIDR prefix");
  expect_error(NSG("n", RULE("P", 100, "Inbound", "Allow", "Tcp", "2001:db8::/129", "*", "*", "80")), 1,
               E "securityRules/P: field 'sourceAddressPrefix': '2001:db8::/129' is not a valid IPv4 or IPv6 address or CIDR prefix");
}

static void wrong_family(void **state)
{
  (void)state;
  expect_error(NSG("n", RULE("Mix", 100, "Inbound", "Allow", "Tcp", "10.0.0.0/8", "*", "2001:db8::/32", "80")), 1,
               E "securityRules/Mix: field 'destinationAddressPrefix': mixes IPv4 and IPv6 prefixes in its source and destination; use one family per rule (S3)");
}

static void bad_ports(void **state)
{
  (void)state;
  expect_error(NSG("n", RULE("R", 100, "Inbound", "Allow", "Tcp", "*", "*", "*", "80-20")), 1,
               E "securityRules/R: field 'destinationPortRange': '80-20' is not a valid port or port range; expected N or LO-HI with 0 <= LO <= HI <= 65535, or '*'");
  expect_error(NSG("n", RULE("R", 100, "Inbound", "Allow", "Tcp", "*", "70000", "*", "80")), 1,
               E "securityRules/R: field 'sourcePortRange': '70000' is not a valid port or port range; expected N or LO-HI with 0 <= LO <= HI <= 65535, or '*'");
  expect_error(NSG("n", RULE("R", 100, "Inbound", "Allow", "Tcp", "*", "*", "*", "http")), 1,
               E "securityRules/R: field 'destinationPortRange': 'http' is not a valid port or port range; expected N or LO-HI with 0 <= LO <= HI <= 65535, or '*'");
}

static void unknown_protocol_direction_access(void **state)
{
  (void)state;
  expect_error(NSG("n", RULE("R", 100, "Inbound", "Allow", "Gre", "*", "*", "*", "*")), 1,
               E "securityRules/R: field 'protocol': 'Gre' is not a known protocol; expected Tcp, Udp, Icmp, Esp, Ah or '*'");
  expect_error(NSG("n", RULE("R", 100, "Sideways", "Allow", "Tcp", "*", "*", "*", "*")), 1,
               E "securityRules/R: field 'direction': 'Sideways' is not valid; expected Inbound or Outbound");
  expect_error(NSG("n", RULE("R", 100, "Inbound", "Permit", "Tcp", "*", "*", "*", "*")), 1,
               E "securityRules/R: field 'access': 'Permit' is not valid; expected Allow or Deny");
  fx_opts.strict = true;
  expect_error(NSG("n", RULE("R", 100, "Inbound", "Allow", "Icmp", "*", "*", "*", "*")), 1,
               E "securityRules/R: field 'protocol': 'Icmp' is not allowed in strict mode; the seed allows only Tcp, Udp or '*' (S3)");
}

static void tags(void **state)
{
  (void)state;
  expect_error(NSG("n", RULE("T", 100, "Inbound", "Allow", "Tcp", "Storage", "*", "*", "*")), 1,
               E "securityRules/T: field 'sourceAddressPrefix': 'Storage' is neither an address prefix nor a known service tag (built-in: VirtualNetwork, Internet, AzureLoadBalancer, AzurePlatformDNS/IMDS/LKM; others come from --service-tags)");
  expect_error(NSG("n", "{\"name\":\"T2\",\"properties\":{\"priority\":100,\"direction\":\"Inbound\",\"access\":\"Allow\","
                        "\"protocol\":\"Tcp\",\"sourceAddressPrefixes\":[\"Internet\",\"AzureLoadBalancer\"],"
                        "\"sourcePortRange\":\"*\",\"destinationAddressPrefix\":\"*\",\"destinationPortRange\":\"*\"}}"),
               1, E "securityRules/T2: field 'sourceAddressPrefixes': names 2 service tags; one rule can name at most one service tag per field (S4)");
}

static void names_and_missing_fields(void **state)
{
  (void)state;
  expect_error(NSG("n", RULE("a123456789a123456789a123456789a123456789a123456789a123456789a123456789a123456789x", 100,
                             "Inbound", "Allow", "Tcp", "*", "*", "*", "*")),
               1, E "securityRules/a123456789a123456789a123456789a123456789a123456789a123456789a123456789a123456789x: field 'name': is 81 characters long; at most 80 are allowed (S3)");
  expect_error(NSG("n", "{\"name\":\"NoDst\",\"properties\":{\"priority\":100,\"direction\":\"Inbound\",\"access\":\"Allow\","
                        "\"protocol\":\"Tcp\",\"sourceAddressPrefix\":\"*\",\"sourcePortRange\":\"*\",\"destinationPortRange\":\"*\"}}"),
               1, E "securityRules/NoDst: field 'destinationAddressPrefix': no destination: expected destinationAddressPrefix(es) or destinationApplicationSecurityGroups");
  expect_error(NSG("n", "{\"name\":\"NoPorts\",\"properties\":{\"priority\":100,\"direction\":\"Inbound\",\"access\":\"Allow\","
                        "\"protocol\":\"Tcp\",\"sourceAddressPrefix\":\"*\",\"destinationAddressPrefix\":\"*\",\"destinationPortRange\":\"*\"}}"),
               1, E "securityRules/NoPorts: field 'sourcePortRange': missing; expected a port (80), a range (10000-10005), a list or '*'");
}

static void dangling_ids(void **state)
{
  (void)state;
  expect_error("{\"type\":\"Microsoft.Network/networkInterfaces\",\"name\":\"nic9\",\"properties\":{"
               "\"networkSecurityGroup\":{\"id\":\"/x/networkSecurityGroups/gone\"},\"ipConfigurations\":[{\"name\":\"c\","
               "\"properties\":{\"privateIPAddress\":\"10.0.1.9\",\"subnet\":{\"id\":\"/x/virtualNetworks/vnet1/subnets/nope\"}}}]}}",
               2, "test.json: error: networkInterfaces/nic9: field 'networkSecurityGroup.id': '/x/networkSecurityGroups/gone' is not a loaded network security group (dangling id; load it with --config)");
  expect_error("{\"type\":\"Microsoft.Network/networkInterfaces\",\"name\":\"nic9\",\"properties\":{"
               "\"ipConfigurations\":[{\"name\":\"c\","
               "\"properties\":{\"privateIPAddress\":\"10.0.1.9\",\"subnet\":{\"id\":\"/x/virtualNetworks/vnet1/subnets/nope\"}}}]}}",
               1, "test.json: error: networkInterfaces/nic9/ipConfigurations/c: field 'subnet.id': '/x/virtualNetworks/vnet1/subnets/nope' is not a subnet of a loaded virtual network (dangling id)");
  expect_error(NSG("n", "{\"name\":\"A\",\"properties\":{\"priority\":100,\"direction\":\"Inbound\",\"access\":\"Allow\","
                        "\"protocol\":\"Tcp\",\"sourceApplicationSecurityGroups\":[{\"id\":\"/x/applicationSecurityGroups/ghost\"}],"
                        "\"sourcePortRange\":\"*\",\"destinationAddressPrefix\":\"*\",\"destinationPortRange\":\"*\"}}"),
               1, E "securityRules/A: field 'sourceApplicationSecurityGroups': '/x/applicationSecurityGroups/ghost' is not a loaded application security group (dangling id)");
}

static void topology_errors(void **state)
{
  (void)state;
  expect_error("{\"type\":\"Microsoft.Network/networkInterfaces\",\"name\":\"nic9\",\"properties\":{"
               "\"ipConfigurations\":[{\"name\":\"c\","
               "\"properties\":{\"privateIPAddress\":\"10.0.9.9\",\"subnet\":{\"id\":\"/x/virtualNetworks/vnet1/subnets/web\"}}}]}}",
               1, "test.json: error: networkInterfaces/nic9/ipConfigurations/c: field 'privateIPAddress': 10.0.9.9 is outside its subnet 'web'");
  expect_error("{\"type\":\"Microsoft.Network/networkInterfaces\",\"name\":\"nic9\",\"properties\":{"
               "\"ipConfigurations\":[{\"name\":\"c\","
               "\"properties\":{\"privateIPAddress\":\"10.0.1.4\",\"subnet\":{\"id\":\"/x/virtualNetworks/vnet1/subnets/web\"}}}]}}",
               1, "test.json: error: networkInterfaces/nic9/ipConfigurations/c: field 'privateIPAddress': 10.0.1.4 is already used by NIC 'nic-web' in the same virtual network");
  expect_error("{\"name\":\"mystery\"}", 1,
               "test.json: error: mystery: field 'type': missing, and the resource is not recognisable; expected Microsoft.Network/networkSecurityGroups, virtualNetworks, networkInterfaces, applicationSecurityGroups or routeTables");
  expect_error("{\"type\":\"Microsoft.Network/virtualNetworks\",\"name\":\"v2\",\"properties\":{\"addressSpace\":{\"addressPrefixes\":[\"10.9.0.0/16\"]},"
               "\"subnets\":[{\"name\":\"s\",\"properties\":{\"addressPrefix\":\"10.8.0.0/24\"}}]}}",
               1, "test.json: error: virtualNetworks/v2/subnets/s: field 'addressPrefix': 10.8.0.0/24 is outside the virtual network's address space");
  expect_error(NSG("nic-web-dup", "") "," NSG("nic-web-dup", ""), 1,
               "test.json: error: networkSecurityGroups/nic-web-dup: field 'name': defined twice (also in test.json); each resource must be loaded once");
}

static void asg_rule_vnets(void **state)
{
  (void)state;
  /* asg-hub has a NIC in the hub VNet; a rule from asg-hub to asg-web spans two VNets (S8) */
  expect_error("{\"type\":\"Microsoft.Network/applicationSecurityGroups\",\"name\":\"asg-hub\"},"
               "{\"type\":\"Microsoft.Network/networkInterfaces\",\"name\":\"nic-h2\",\"properties\":{\"ipConfigurations\":["
               "{\"name\":\"c\",\"properties\":{\"privateIPAddress\":\"172.16.0.7\",\"subnet\":{\"id\":\"/x/virtualNetworks/hub/subnets/s\"},"
               "\"applicationSecurityGroups\":[{\"id\":\"/x/applicationSecurityGroups/asg-hub\"}]}}]}}," NSG("n",
               "{\"name\":\"Cross\",\"properties\":{\"priority\":100,\"direction\":\"Inbound\",\"access\":\"Allow\","
               "\"protocol\":\"Tcp\",\"sourceApplicationSecurityGroups\":[{\"id\":\"/x/applicationSecurityGroups/asg-hub\"}],"
               "\"sourcePortRange\":\"*\",\"destinationApplicationSecurityGroups\":[{\"id\":\"/x/applicationSecurityGroups/asg-web\"}],"
               "\"destinationPortRange\":\"*\"}}"),
               1, E "securityRules/Cross: field 'destinationApplicationSecurityGroups': source and destination application security groups have NICs in different virtual networks; both must be in one VNet (S8)");
}

/* The NIC's MAC address from its configuration (flow logs' `mac`/`macAddress`, S5): Azure's
 * "00-0D-3A-..." form, colons or 12 hex digits; empty or null (a NIC not attached to a VM) is no
 * MAC; anything else is an error naming the field. */
#define NIC9_MAC(m) "{\"type\":\"Microsoft.Network/networkInterfaces\",\"name\":\"nic9\",\"properties\":{" \
  "\"macAddress\":" m ",\"ipConfigurations\":[{\"name\":\"c\",\"properties\":{\"privateIPAddress\":\"10.0.1.9\"," \
  "\"subnet\":{\"id\":\"/x/virtualNetworks/vnet1/subnets/web\"}}}]}}"
static void mac_address(void **state)
{
  (void)state;
  static const struct {
    const char *json;
    bool has;
    uint8_t mac[6];
  } ok[] = {{"\"00-0D-3A-F8-78-56\"", true, {0x00, 0x0d, 0x3a, 0xf8, 0x78, 0x56}},
            {"\"00:0d:3a:be:b0:97\"", true, {0x00, 0x0d, 0x3a, 0xbe, 0xb0, 0x97}},
            {"\"000D3ABEB097\"", true, {0x00, 0x0d, 0x3a, 0xbe, 0xb0, 0x97}},
            {"\"\"", false, {0}},
            {"null", false, {0}}};
  for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
    unsigned errors;
    char extra[512];
    snprintf(extra, sizeof extra, NIC9_MAC("%s"), ok[i].json);
    struct nsg_config *cfg = fx_config(NULL, NULL, extra, &errors);
    assert_int_equal(errors, 0);
    const struct nsg_nic *n = nsg_find_nic(cfg, "nic9");
    assert_non_null(n);
    assert_int_equal(n->has_mac, ok[i].has);
    assert_memory_equal(n->mac, ok[i].mac, 6);
    nsg_config_free(cfg);
  }
  expect_error(NIC9_MAC("\"00-0D-3A-F8-78\""), 1,
               "test.json: error: networkInterfaces/nic9: field 'macAddress': '00-0D-3A-F8-78' is not a MAC address; "
               "expected six hex bytes such as \"00-0D-3A-F8-78-56\"");
  expect_error(NIC9_MAC("\"00-0D-3A:F8-78-56\""), 1,
               "test.json: error: networkInterfaces/nic9: field 'macAddress': '00-0D-3A:F8-78-56' is not a MAC address; "
               "expected six hex bytes such as \"00-0D-3A-F8-78-56\"");
  expect_error(NIC9_MAC("42"), 1,
               "test.json: error: networkInterfaces/nic9: field 'macAddress': expected a string such as \"00-0D-3A-F8-78-56\"");
}

static void service_tags_file_errors(void **state)
{
  (void)state;
  struct nsg_config *cfg = fx_new();
  assert_int_equal(nsg_config_load_service_tags(cfg, "/nonexistent/tags.json"), -22);
  assert_int_equal(nsg_config_error_count(cfg), 1);
  assert_true(fx_has_message("/nonexistent/tags.json: error: cannot read at line -1, column -1: unable to open /nonexistent/tags.json: No such file or directory"));
  nsg_config_free(cfg);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup(malformed_json, setup),
      cmocka_unit_test_setup(priority_range, setup),
      cmocka_unit_test_setup(duplicate_name_and_priority, setup),
      cmocka_unit_test_setup(malformed_prefixes, setup),
      cmocka_unit_test_setup(wrong_family, setup),
      cmocka_unit_test_setup(bad_ports, setup),
      cmocka_unit_test_setup(unknown_protocol_direction_access, setup),
      cmocka_unit_test_setup(tags, setup),
      cmocka_unit_test_setup(names_and_missing_fields, setup),
      cmocka_unit_test_setup(dangling_ids, setup),
      cmocka_unit_test_setup(topology_errors, setup),
      cmocka_unit_test_setup(asg_rule_vnets, setup),
      cmocka_unit_test_setup(service_tags_file_errors, setup),
      cmocka_unit_test_setup(mac_address, setup),
  };
  return cmocka_run_group_tests_name("validation", tests, NULL, NULL);
}

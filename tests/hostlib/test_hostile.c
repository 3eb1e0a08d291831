/* SPDX-License-Identifier: Apache-2.0 */
/* Issue 15: hostile configurations must never weaken the rules silently. One test per class of
 * defect the CLI fuzzing found (each failed on the code before the fix): every one is either an
 * error that names file, resource and field (nothing is loaded), or handled exactly as Azure
 * would (ARM keys are case-insensitive), never a configuration with rules quietly missing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "fixture.h"
#include "model.h"

static int setup(void **state)
{
  (void)state;
  fx_reset_options();
  return 0;
}

/* `extra` is rejected, with `expect` among the messages; no query is answered. */
static void rejected(const char *web_nsg, const char *extra, const char *expect)
{
  unsigned errors;
  struct nsg_config *cfg = fx_config(web_nsg, NULL, extra, &errors);
  if (!errors || !strstr(fx_messages(), expect)) {
    print_message("expected an error containing:\n%s\nlogged (%u errors):\n%s", expect, errors, fx_messages());
    fail();
  }
  struct nsg_query q = {.nic = "nic-web", .dir = NSG_OUTBOUND, .proto = 6, .local = "10.0.1.4", .remote = "1.1.1.1",
                        .local_port = 1000, .remote_port = 443};
  struct nsg_verdict v;
  char err[256];
  assert_int_equal(nsg_verify(cfg, &q, &v, err, sizeof err), -22);
  nsg_config_free(cfg);
}

#define DENY_OUT RULE("deny-https", 100, "Outbound", "Deny", "Tcp", "*", "*", "*", "443")
#define NSG_RAW(name, body) "{\"type\":\"Microsoft.Network/networkSecurityGroups\",\"name\":\"" name "\"," body "}"

/* Class schema_wrong_container_type: a known container of the wrong JSON type. */
static void schema_wrong_container_type(void **state)
{
  (void)state;
  rejected("n", NSG_RAW("n", "\"properties\":\"securityRules\""), "field 'properties': expected an object");
  rejected("n", NSG_RAW("n", "\"properties\":[" DENY_OUT "]"), "field 'properties': expected an object");
  rejected("n", NSG_RAW("n", "\"properties\":{\"securityRules\":{\"r\":" DENY_OUT "}}"),
           "field 'properties.securityRules': expected an array");
  rejected(NULL, "{\"type\":\"Microsoft.Network/virtualNetworks\",\"name\":\"v2\",\"properties\":{\"addressSpace\":"
                 "{\"addressPrefixes\":[\"10.9.0.0/16\"]},\"subnets\":{\"name\":\"s\"}}}",
           "field 'properties.subnets': expected an array");
  /* a reference that is not {"id": ...}: the subnet would silently have no NSG */
  rejected(NULL, "{\"type\":\"Microsoft.Network/virtualNetworks\",\"name\":\"v2\",\"properties\":{\"addressSpace\":"
                 "{\"addressPrefixes\":[\"10.9.0.0/16\"]},\"subnets\":[{\"name\":\"s\",\"properties\":{"
                 "\"addressPrefix\":\"10.9.0.0/24\",\"networkSecurityGroup\":\"/x/networkSecurityGroups/n\"}}]}}",
           "field 'properties.networkSecurityGroup': expected a reference");
  rejected(NULL, "{\"type\":\"Microsoft.Network/networkInterfaces\",\"name\":\"nic-x\",\"properties\":{"
                 "\"ipConfigurations\":[\"10.0.2.9\"]}}",
           "element 0 is not an object");
}

/* Class schema_case_variant_keys: ARM is case-insensitive, so `securityrules` holds the rules
 * (they are applied), and a key given twice in two cases is an error. */
static void schema_case_variant_keys(void **state)
{
  (void)state;
  static const char *const variants[] = {"securityrules", "SecurityRules", "SECURITYRULES"};
  for (size_t i = 0; i < 3; i++) {
    char nsg[1024];
    snprintf(nsg, sizeof nsg, NSG_RAW("n", "\"Properties\":{\"%s\":[" DENY_OUT "]}"), variants[i]);
    struct nsg_config *cfg = fx_config("n", NULL, nsg, NULL);
    fx_expect(cfg, "nic-web", "out", "tcp", "10.0.1.4", 1000, "1.1.1.1", 443, "Deny securityRules/deny-https n");
    nsg_config_free(cfg);
  }
  rejected("n", NSG_RAW("n", "\"properties\":{\"securityRules\":[],\"securityrules\":[" DENY_OUT "]}"),
           "given twice, also as 'securityRules'");
  /* rule fields too */
  struct nsg_config *cfg = fx_config("n", NULL, NSG_RAW("n", "\"properties\":{\"securityRules\":[{\"name\":\"r\","
      "\"properties\":{\"PRIORITY\":100,\"Direction\":\"Outbound\",\"access\":\"Deny\",\"protocol\":\"Tcp\","
      "\"sourceaddressprefix\":\"*\",\"sourcePortRange\":\"*\",\"DestinationAddressPrefix\":\"*\","
      "\"destinationPortRange\":\"443\"}}]}"), NULL);
  fx_expect(cfg, "nic-web", "out", "tcp", "10.0.1.4", 1000, "1.1.1.1", 443, "Deny securityRules/r n");
  nsg_config_free(cfg);
}

/* Class schema_unknown_key: a near miss of a key the loader reads is an error (the rules under
 * `securityRule` would vanish); any other unknown key is a warning naming it. */
static void schema_unknown_key(void **state)
{
  (void)state;
  rejected("n", NSG_RAW("n", "\"properties\":{\"securityRule\":[" DENY_OUT "]}"),
           "field 'properties.securityRule': unknown key of a network security group; did you mean 'securityRules'?");
  rejected("n", NSG_RAW("n", "\"properties\":{\"securityRules\":[{\"name\":\"r\",\"properties\":{\"priority\":100,"
                             "\"direction\":\"Outbound\",\"access\":\"Deny\",\"protocol\":\"Tcp\",\"sourceAddressPrefix\":\"*\","
                             "\"sourcePortRange\":\"*\",\"destinationAdressPrefix\":\"8.8.8.8\",\"destinationPortRange\":\"443\"}}]}"),
           "did you mean 'destinationAddressPrefix'?");
  struct nsg_config *cfg = fx_config("n", NULL, NSG_RAW("n", "\"properties\":{\"colour\":\"blue\",\"securityRules\":[" DENY_OUT "]}"), NULL);
  assert_non_null(strstr(fx_messages(), "warning: networkSecurityGroups/n: field 'properties.colour': unknown key of a "
                                        "network security group; ignored"));
  nsg_config_free(cfg);
}

/* Class duplicate_ids: a subnet listed twice with the same id (the copy without the NSG used to
 * win: the NIC had no NSG). */
static void duplicate_ids(void **state)
{
  (void)state;
  rejected("n", NSG("n", DENY_OUT) ",{\"type\":\"Microsoft.Network/virtualNetworks\",\"name\":\"vnet1\",\"id\":\"/x/virtualNetworks/vnet1\","
                "\"properties\":{\"addressSpace\":{\"addressPrefixes\":[\"10.0.0.0/16\"]},\"subnets\":[{\"name\":\"web\","
                "\"properties\":{\"addressPrefix\":\"10.0.1.0/24\"}}]}}",
           "defined twice");
  rejected(NULL, "{\"type\":\"Microsoft.Network/virtualNetworks\",\"name\":\"v2\",\"properties\":{\"addressSpace\":"
                 "{\"addressPrefixes\":[\"10.9.0.0/16\"]},\"subnets\":[{\"name\":\"s\",\"properties\":{\"addressPrefix\":"
                 "\"10.9.0.0/24\",\"networkSecurityGroup\":{\"id\":\"/x/networkSecurityGroups/n\"}}},{\"name\":\"s\","
                 "\"properties\":{\"addressPrefix\":\"10.9.0.0/24\"}}]}}," NSG("n", DENY_OUT),
           "virtualNetworks/v2/subnets/s: field 'id': defined twice");
}

/* Class service_tag_without_properties: the tag would be empty, matching nothing. */
static void service_tag_without_properties(void **state)
{
  (void)state;
  char path[] = "/tmp/nsgnic-tags-XXXXXX";
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  const char *tags = "{\"values\":[{\"name\":\"Storage\",\"id\":\"Storage\"},"
                     "{\"name\":\"Sql\",\"properties\":{\"addressPrefixes\":[\"13.0.0.0/8\"]}}]}";
  assert_int_equal(write(fd, tags, strlen(tags)), (ssize_t)strlen(tags));
  close(fd);
  struct nsg_config *cfg = fx_new();
  assert_int_equal(nsg_config_load_service_tags(cfg, path), -22);
  assert_non_null(strstr(fx_messages(), "values[0]/Storage: field 'properties': missing"));
  nsg_config_free(cfg);
  unlink(path);
}

/* Class azure_naming_rules: letters, digits, '_ . -' only (a newline or an escape sequence is
 * an error, and is printed escaped), lengths counted in characters. */
static void azure_naming_rules(void **state)
{
  (void)state;
  rejected("n", NSG("n", RULE("evil\\nrule", 100, "Outbound", "Deny", "Tcp", "*", "*", "*", "443")),
           "'evil\\x0arule' contains a control character");
  rejected("bad\\u001b[31m", NSG("bad\\u001b[31m", DENY_OUT), "networkSecurityGroups/bad\\x1b[31m: field 'name': "
                                                               "'bad\\x1b[31m' contains a control character");
  assert_null(strchr(fx_messages(), '\033'));
  rejected("n", NSG("n", RULE("has space", 100, "Outbound", "Deny", "Tcp", "*", "*", "*", "443")),
           "contains a character other than letters, digits");
  /* 80 two-byte letters (160 bytes) is a legal rule name; 81 is not */
  char name[400] = "", nsg[2048];
  for (int i = 0; i < 80; i++)
    strcat(name, "\xc3\xa9");
  snprintf(nsg, sizeof nsg, NSG_RAW("n", "\"properties\":{\"securityRules\":[{\"name\":\"%s\",\"properties\":{"
           "\"priority\":100,\"direction\":\"Outbound\",\"access\":\"Deny\",\"protocol\":\"Tcp\",\"sourceAddressPrefix\":\"*\","
           "\"sourcePortRange\":\"*\",\"destinationAddressPrefix\":\"*\",\"destinationPortRange\":\"443\"}}]}"), name);
  struct nsg_config *cfg = fx_config("n", NULL, nsg, NULL);
  nsg_config_free(cfg);
  strcat(name, "\xc3\xa9");
  snprintf(nsg, sizeof nsg, NSG_RAW("n", "\"properties\":{\"securityRules\":[{\"name\":\"%s\",\"properties\":{"
           "\"priority\":100,\"direction\":\"Outbound\",\"access\":\"Deny\",\"protocol\":\"Tcp\",\"sourceAddressPrefix\":\"*\","
           "\"sourcePortRange\":\"*\",\"destinationAddressPrefix\":\"*\",\"destinationPortRange\":\"443\"}}]}"), name);
  rejected("n", nsg, "is 81 characters long; at most 80 are allowed (S3)");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup(schema_wrong_container_type, setup),
      cmocka_unit_test_setup(schema_case_variant_keys, setup),
      cmocka_unit_test_setup(schema_unknown_key, setup),
      cmocka_unit_test_setup(duplicate_ids, setup),
      cmocka_unit_test_setup(service_tag_without_properties, setup),
      cmocka_unit_test_setup(azure_naming_rules, setup),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: Apache-2.0 */
/* Every real-world NSG of tests/data/nsg-corpus loads inside a small generated topology
 * (a VNet whose subnet uses the NSG, a NIC that is a member of every ASG the NSG names, and a
 * Service Tags file defining every tag it names) and evaluates; the INVALID-* one is rejected
 * with each of its defects reported; the Service Tags sample loads. */
#include <ctype.h>
#include <dirent.h>
#include <jansson.h>
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

#define CORPUS NSGNIC_TEST_DATA_DIR "/nsg-corpus"

static json_t *prop(json_t *o, const char *k)
{
  json_t *p = json_object_get(o, "properties");
  json_t *v = p ? json_object_get(p, k) : NULL;
  return v ? v : json_object_get(o, k);
}

static bool is_builtin_or_address(const char *s)
{
  static const char *const builtin[] = {"*", "VirtualNetwork", "Internet", "AzureLoadBalancer", "AzurePlatformDNS",
                                        "AzurePlatformIMDS", "AzurePlatformLKM", "VIRTUAL_NETWORK", "INTERNET",
                                        "AZURE_LOADBALANCER"};
  for (size_t i = 0; i < sizeof builtin / sizeof *builtin; i++)
    if (nsg_strcaseeq(s, builtin[i]))
      return true;
  return !*s || isdigit((unsigned char)s[0]) || strchr(s, ':') || strchr(s, '/');
}

static void add_tags_of(json_t *tags, const char *s)
{
  char buf[256];
  snprintf(buf, sizeof buf, "%s", s);
  for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ","))
    if (!is_builtin_or_address(tok))
      json_object_set_new(tags, tok, json_true());
}

/* Collects the tags and ASG ids an NSG file names. */
static void scan_nsg(json_t *nsg, json_t *tags, json_t *asgs)
{
  json_t *rules = prop(nsg, "securityRules");
  size_t i;
  json_t *r;
  json_array_foreach(rules, i, r) {
    static const char *const sing[] = {"sourceAddressPrefix", "destinationAddressPrefix"};
    static const char *const plur[] = {"sourceAddressPrefixes", "destinationAddressPrefixes"};
    static const char *const asgf[] = {"sourceApplicationSecurityGroups", "destinationApplicationSecurityGroups"};
    for (int s = 0; s < 2; s++) {
      json_t *v = prop(r, sing[s]);
      if (json_is_string(v))
        add_tags_of(tags, json_string_value(v));
      size_t k;
      json_t *e;
      json_array_foreach(prop(r, plur[s]), k, e) if (json_is_string(e)) add_tags_of(tags, json_string_value(e));
      json_array_foreach(prop(r, asgf[s]), k, e) {
        const char *id = json_string_value(json_object_get(e, "id"));
        if (id)
          json_object_set_new(asgs, id, json_true());
      }
    }
  }
}

struct loaded {
  struct nsg_config *cfg;
  char nsg_name[200];
  char tags_path[64];
  unsigned errors;
};

static void load_corpus_file(const char *path, struct loaded *out)
{
  json_error_t e;
  json_t *nsg = json_load_file(path, 0, &e);
  assert_non_null(nsg);
  snprintf(out->nsg_name, sizeof out->nsg_name, "%s", json_string_value(json_object_get(nsg, "name")));
  json_t *tags = json_object(), *asgs = json_object();
  scan_nsg(nsg, tags, asgs);
  /* Service Tags file: each named tag gets a public /16 of its own. */
  json_t *vals = json_array();
  const char *k;
  json_t *v;
  int n = 0;
  json_object_foreach(tags, k, v) {
    char pfx[32];
    snprintf(pfx, sizeof pfx, "20.%d.0.0/16", ++n);
    json_array_append_new(vals, json_pack("{s:s,s:{s:[s]}}", "name", k, "properties", "addressPrefixes", pfx));
  }
  json_t *st = json_pack("{s:i,s:s,s:o}", "changeNumber", 1, "cloud", "Public", "values", vals);
  snprintf(out->tags_path, sizeof out->tags_path, "/tmp/nsgnic-corpus-tags-XXXXXX");
  int fd = mkstemp(out->tags_path);
  assert_true(fd >= 0);
  close(fd);
  assert_int_equal(json_dump_file(st, out->tags_path, 0), 0);
  /* Topology: VNet 10.0.0.0/8 (+ a ULA IPv6 space), subnet using the NSG, NIC in every ASG. */
  json_t *asg_refs = json_array(), *res = json_array();
  json_object_foreach(asgs, k, v) {
    json_array_append_new(asg_refs, json_pack("{s:s}", "id", k));
    json_array_append_new(res, json_pack("{s:s,s:s,s:s}", "type", "Microsoft.Network/applicationSecurityGroups", "id", k,
                                         "name", strrchr(k, '/') + 1));
  }
  char nsgid[300];
  snprintf(nsgid, sizeof nsgid, "/x/networkSecurityGroups/%s", out->nsg_name);
  json_array_append_new(
      res, json_pack("{s:s,s:s,s:{s:{s:[s,s]},s:[{s:s,s:{s:s,s:{s:s}}}]}}", "type", "Microsoft.Network/virtualNetworks",
                     "name", "corpusnet", "properties", "addressSpace", "addressPrefixes", "10.0.0.0/8", "fd00:c::/48",
                     "subnets", "name", "s", "properties", "addressPrefix", "10.0.0.0/16", "networkSecurityGroup",
                     "id", nsgid));
  json_array_append_new(
      res, json_pack("{s:s,s:s,s:{s:[{s:s,s:{s:s,s:{s:s},s:o}}]}}", "type", "Microsoft.Network/networkInterfaces", "name",
                     "nic", "properties", "ipConfigurations", "name", "c", "properties", "privateIPAddress", "10.0.0.4",
                     "subnet", "id", "/x/virtualNetworks/corpusnet/subnets/s", "applicationSecurityGroups", asg_refs));
  char *topo = json_dumps(res, 0);
  json_decref(res);
  json_decref(st);
  json_decref(tags);
  json_decref(asgs);
  json_decref(nsg);
  /* Load through the public API, in the order a user would give the files. */
  struct nsg_config *cfg = fx_new();
  nsg_config_load_service_tags(cfg, out->tags_path);
  nsg_config_load_file(cfg, path);
  nsg_config_load_string(cfg, "topology.json", topo);
  nsg_config_finalize(cfg);
  free(topo);
  unlink(out->tags_path);
  out->cfg = cfg;
  out->errors = nsg_config_error_count(cfg);
}

/* Evaluates a grid of queries; each must answer, and a rule answer must name this NSG. */
static void evaluate_grid(const struct loaded *l)
{
  static const char *const remotes[] = {"10.1.2.3", "8.8.8.8", "168.63.129.16", "20.1.0.9", "192.168.1.1", "10.0.0.4"};
  static const char *const protos[] = {"tcp", "udp", "icmp"};
  static const unsigned ports[] = {22, 80, 443, 3389, 1433, 65535, 0};
  unsigned allows = 0, total = 0;
  for (int d = 0; d < 2; d++)
    for (size_t r = 0; r < sizeof remotes / sizeof *remotes; r++)
      for (size_t p = 0; p < 3; p++)
        for (size_t k = 0; k < sizeof ports / sizeof *ports; k++) {
          if (strcmp(remotes[r], "10.0.0.4") == 0)
            continue;
          struct nsg_verdict v = fx_verify(l->cfg, "nic", d ? "out" : "in", protos[p], "10.0.0.4", d ? 40000 : ports[k],
                                           remotes[r], d ? ports[k] : 40000);
          if (v.kind == NSG_DECIDED_BY_RULE)
            assert_string_equal(v.nsg_name, l->nsg_name);
          allows += v.allow;
          total++;
        }
  assert_true(total > 0);
  (void)allows;
}

static void corpus_valid_files_load_and_evaluate(void **state)
{
  (void)state;
  DIR *d = opendir(CORPUS);
  assert_non_null(d);
  struct dirent *de;
  int files = 0;
  while ((de = readdir(d))) {
    size_t n = strlen(de->d_name);
    if (n < 5 || strcmp(de->d_name + n - 5, ".json") != 0 || strncmp(de->d_name, "INVALID-", 8) == 0)
      continue;
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", CORPUS, de->d_name);
    struct loaded l;
    load_corpus_file(path, &l);
    if (l.errors) {
      print_message("%s: %u errors\n", de->d_name, l.errors);
      fail();
    }
    evaluate_grid(&l);
    nsg_config_free(l.cfg);
    files++;
  }
  closedir(d);
  assert_int_equal(files, 27);
}

/* Known answers on two corpus NSGs. */
static void corpus_known_answers(void **state)
{
  (void)state;
  struct loaded l;
  load_corpus_file(CORPUS "/quickstart-vm-simple-linux-SecGroupNet.json", &l);
  assert_int_equal(l.errors, 0);
  fx_expect(l.cfg, "nic", "in", "tcp", "10.0.0.4", 22, "8.8.8.8", 40000, "Allow securityRules/SSH SecGroupNet");
  fx_expect(l.cfg, "nic", "in", "tcp", "10.0.0.4", 80, "8.8.8.8", 40000, "Deny defaultSecurityRules/DenyAllInBound SecGroupNet");
  nsg_config_free(l.cfg);
  /* comma list in a singular field: '443,65200-65535' (AKS-Construction) */
  load_corpus_file(CORPUS "/aksconstruction-nsg-allflags-nsg-aks01.json", &l);
  assert_int_equal(l.errors, 0);
  struct nsg_verdict v = fx_verify(l.cfg, "nic", "in", "tcp", "10.0.0.4", 65201, "20.1.0.1", 40000);
  (void)v;
  nsg_config_free(l.cfg);
}

static void corpus_invalid_rejected_with_each_defect(void **state)
{
  (void)state;
  /* capture messages through a config created with the fixture's logger */
  struct loaded l;
  load_corpus_file(CORPUS "/INVALID-datatamer-hdinsight-hbase-573d2c7-hdinsight-hbase-nsg.json", &l);
  static const char *const defects[] = {
      "networkSecurityGroups/hdinsight-hbase-nsg: securityRules/Public sshd rule 1: field 'sourceAddressPrefix': no source: expected sourceAddressPrefix(es) or sourceApplicationSecurityGroups",
      "networkSecurityGroups/hdinsight-hbase-nsg: securityRules/Public sshd rule 2: field 'sourceAddressPrefix': no source: expected sourceAddressPrefix(es) or sourceApplicationSecurityGroups",
      "networkSecurityGroups/hdinsight-hbase-nsg: securityRules/Public https rule: field 'sourceAddressPrefix': no source: expected sourceAddressPrefix(es) or sourceApplicationSecurityGroups",
      "networkSecurityGroups/hdinsight-hbase-nsg: securityRules/Private rule 50090: field 'name': duplicate rule name 'Private rule 50090' (priorities 110 and 111); names are unique within an NSG (S3)",
      "networkSecurityGroups/hdinsight-hbase-nsg: securityRules/allow_azure_resolver_traffic: field 'name': duplicate rule name 'allow_azure_resolver_traffic' (priorities 141 and 142); names are unique within an NSG (S3)",
      "networkSecurityGroups/hdinsight-hbase-nsg: securityRules/allow_hdi_mgmt_traffic_regional: field 'priority': 142 is also the priority of Inbound rule 'allow_azure_resolver_traffic'; two rules of one direction cannot share a priority (S3)",
      "networkSecurityGroups/hdinsight-hbase-nsg: securityRules/Public https rule: field 'description': is 178 characters long; at most 140 are allowed (S3)",
  };
  for (size_t i = 0; i < sizeof defects / sizeof *defects; i++) {
    char msg[1200];
    snprintf(msg, sizeof msg, "%s/INVALID-datatamer-hdinsight-hbase-573d2c7-hdinsight-hbase-nsg.json: error: %s", CORPUS, defects[i]);
    if (!fx_has_message(msg)) {
      print_message("missing: %s\nlogged:\n%s", msg, fx_messages());
      fail();
    }
  }
  /* plus one per rule whose name has a space (Azure's naming rule: letters, digits, '_ . -') */
  unsigned names = 0;
  for (const char *m = fx_messages(); (m = strstr(m, "Azure's naming rule for a security rule")); m++)
    names++;
  assert_int_equal(names, 39);
  assert_int_equal(l.errors, sizeof defects / sizeof *defects + names);
  struct nsg_verdict v;
  struct nsg_query q = {.nic = "nic", .dir = NSG_INBOUND, .proto = 6, .local = "10.0.0.4", .remote = "1.1.1.1"};
  char err[200];
  /* nothing half-loaded: a rejected configuration answers no query */
  assert_int_equal(nsg_verify(l.cfg, &q, &v, err, sizeof err), -22);
  nsg_config_free(l.cfg);
}

static void servicetags_sample_loads(void **state)
{
  (void)state;
  struct nsg_config *cfg = nsg_config_new(NULL);
  assert_int_equal(nsg_config_load_service_tags(cfg, NSGNIC_TEST_DATA_DIR "/servicetags-sample.json"), 0);
  assert_int_equal(nsg_config_finalize(cfg), 0);
  assert_int_equal(cfg->ntags - NSG_TAG_FIRST_FILE, 8);
  nsg_config_free(cfg);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(corpus_valid_files_load_and_evaluate),
      cmocka_unit_test(corpus_known_answers),
      cmocka_unit_test(corpus_invalid_rejected_with_each_defect),
      cmocka_unit_test(servicetags_sample_loads),
  };
  return cmocka_run_group_tests_name("corpus", tests, NULL, NULL);
}

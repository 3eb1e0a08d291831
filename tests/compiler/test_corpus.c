/* SPDX-License-Identifier: Apache-2.0 */
/* Real NSGs (tests/data/nsg-corpus, every valid file): each is attached to a subnet of a
 * generated VNet (with a NIC in every ASG the NSG names, one outside them, and a Service Tags
 * file giving each named tag a public /16), compiled, and the `tables` engine must answer every
 * query as the reference does: remote addresses at the edges of every prefix the NSG names and
 * of the tag ranges, ports at the ends of every port range, all protocols, both directions. */
#include <ctype.h>
#include <dirent.h>
#include <jansson.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <cmocka.h>

#include "addr.h"
#include "nsgnic/compile.h"
#include "nsgnic/prove.h"

#define CORPUS NSGNIC_TEST_DATA_DIR "/nsg-corpus"

static void quiet(void *ctx, enum nsg_log_level l, const char *m)
{
  (void)ctx;
  (void)l;
  (void)m;
}

static json_t *prop(json_t *o, const char *k)
{
  json_t *p = json_object_get(o, "properties");
  json_t *v = p ? json_object_get(p, k) : NULL;
  return v ? v : json_object_get(o, k);
}

struct pools {
  char addrs[512][64];
  size_t naddr;
  unsigned ports[256];
  size_t nports;
};

static void add_addr(struct pools *p, const char *a)
{
  for (size_t i = 0; i < p->naddr; i++)
    if (strcmp(p->addrs[i], a) == 0)
      return;
  if (p->naddr < 512)
    snprintf(p->addrs[p->naddr++], sizeof p->addrs[0], "%s", a);
}

static void add_port(struct pools *p, long v)
{
  if (v >= 0 && v <= 65535 && p->nports < 256)
    p->ports[p->nports++] = (unsigned)v;
}

/* Prefix edges (first, last, one outside each end) of an address token; other tokens are tags. */
static void address_token(struct pools *p, json_t *tags, const char *tok)
{
  struct nsg_prefix pf;
  if (nsg_prefix_parse(tok, &pf, NULL) == 0) {
    nsg_u128 v[4] = {nsg_prefix_first(&pf), nsg_prefix_last(&pf), nsg_prefix_first(&pf) - 1, nsg_prefix_last(&pf) + 1};
    nsg_u128 top = pf.fam == NSG_AF4 ? 0xffffffffu : ~(nsg_u128)0;
    for (int i = 0; i < 4; i++) {
      if ((i == 2 && v[0] == 0) || (i == 3 && v[1] == top))
        continue;
      struct nsg_ip ip = {pf.fam, v[i]};
      char buf[64];
      nsg_ip_format(&ip, buf, sizeof buf);
      add_addr(p, buf);
    }
    return;
  }
  static const char *const builtin[] = {"*", "VirtualNetwork", "Internet", "AzureLoadBalancer", "AzurePlatformDNS",
                                        "AzurePlatformIMDS", "AzurePlatformLKM", "VIRTUAL_NETWORK", "INTERNET",
                                        "AZURE_LOADBALANCER", "Any"};
  for (size_t i = 0; i < sizeof builtin / sizeof *builtin; i++)
    if (strcasecmp(tok, builtin[i]) == 0)
      return;
  if (*tok)
    json_object_set_new(tags, tok, json_true());
}

static void tokens(const char *s, void (*fn)(void *, const char *), void *ctx)
{
  char buf[512];
  snprintf(buf, sizeof buf, "%s", s);
  char *save = NULL;
  for (char *t = strtok_r(buf, ", ", &save); t; t = strtok_r(NULL, ", ", &save))
    fn(ctx, t);
}

struct scan {
  struct pools *p;
  json_t *tags, *asgs;
};

static void addr_cb(void *c, const char *t)
{
  struct scan *s = c;
  address_token(s->p, s->tags, t);
}

static void port_cb(void *c, const char *t)
{
  struct scan *s = c;
  long lo, hi;
  if (strcmp(t, "*") == 0)
    return;
  if (sscanf(t, "%ld-%ld", &lo, &hi) != 2)
    lo = hi = strtol(t, NULL, 10);
  add_port(s->p, lo - 1);
  add_port(s->p, lo);
  add_port(s->p, hi);
  add_port(s->p, hi + 1);
}

static void scan_nsg(json_t *nsg, struct scan *s)
{
  size_t i;
  json_t *r;
  json_array_foreach(prop(nsg, "securityRules"), i, r) {
    static const char *const sing[] = {"sourceAddressPrefix", "destinationAddressPrefix"};
    static const char *const plur[] = {"sourceAddressPrefixes", "destinationAddressPrefixes"};
    static const char *const asgf[] = {"sourceApplicationSecurityGroups", "destinationApplicationSecurityGroups"};
    static const char *const ps[] = {"sourcePortRange", "destinationPortRange"};
    static const char *const pp[] = {"sourcePortRanges", "destinationPortRanges"};
    for (int k = 0; k < 2; k++) {
      size_t j;
      json_t *e;
      if (json_is_string(prop(r, sing[k])))
        tokens(json_string_value(prop(r, sing[k])), addr_cb, s);
      json_array_foreach(prop(r, plur[k]), j, e) if (json_is_string(e)) tokens(json_string_value(e), addr_cb, s);
      json_array_foreach(prop(r, asgf[k]), j, e) {
        const char *id = json_string_value(json_object_get(e, "id"));
        if (id)
          json_object_set_new(s->asgs, id, json_true());
      }
      if (json_is_string(prop(r, ps[k])))
        tokens(json_string_value(prop(r, ps[k])), port_cb, s);
      json_array_foreach(prop(r, pp[k]), j, e) if (json_is_string(e)) tokens(json_string_value(e), port_cb, s);
    }
  }
}

static unsigned proven; /* files the prover found equivalent */

static unsigned long check_file(const char *path)
{
  json_error_t je;
  json_t *nsg = json_load_file(path, 0, &je);
  assert_non_null(nsg);
  const char *name = json_string_value(json_object_get(nsg, "name"));
  struct pools *p = calloc(1, sizeof *p);
  assert_non_null(p);
  struct scan s = {p, json_object(), json_object()};
  scan_nsg(nsg, &s);
  static const char *const fixed[] = {"10.0.0.4", "10.0.0.5", "10.0.0.6", "8.8.8.8", "168.63.129.16", "169.254.169.254",
                                      "23.102.135.246", "172.16.0.1", "fd00:c::4", "2600::1"};
  for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
    add_addr(p, fixed[i]);
  static const unsigned fixed_ports[] = {0, 22, 25, 53, 80, 443, 1688, 3389, 65535};
  for (size_t i = 0; i < sizeof fixed_ports / sizeof *fixed_ports; i++)
    add_port(p, fixed_ports[i]);
  /* Service Tags: each named tag gets a public /16 of its own (and its edges as remotes) */
  json_t *vals = json_array();
  const char *k;
  json_t *v;
  int n = 0;
  json_object_foreach(s.tags, k, v) {
    char pfx[32];
    snprintf(pfx, sizeof pfx, "20.%d.0.0/16", ++n);
    address_token(p, s.tags, pfx);
    json_array_append_new(vals, json_pack("{s:s,s:{s:[s]}}", "name", k, "properties", "addressPrefixes", pfx));
  }
  char tags_path[64] = "/tmp/nsgnic-ccorpus-XXXXXX";
  int fd = mkstemp(tags_path);
  assert_true(fd >= 0);
  close(fd);
  json_t *st = json_pack("{s:o}", "values", vals);
  assert_int_equal(json_dump_file(st, tags_path, 0), 0);
  json_decref(st);
  /* topology: nic (10.0.0.4, fd00:c::4) in every ASG, nic2 (10.0.0.5) in none */
  json_t *refs = json_array(), *res = json_array();
  json_object_foreach(s.asgs, k, v) {
    json_array_append_new(refs, json_pack("{s:s}", "id", k));
    json_array_append_new(res, json_pack("{s:s,s:s,s:s}", "type", "Microsoft.Network/applicationSecurityGroups", "id", k,
                                         "name", strrchr(k, '/') ? strrchr(k, '/') + 1 : k));
  }
  char nsgid[300];
  snprintf(nsgid, sizeof nsgid, "/x/networkSecurityGroups/%s", name);
  json_array_append_new(res, json_pack("{s:s,s:s,s:{s:{s:[s,s]},s:[{s:s,s:{s:[s,s],s:{s:s}}}]}}", "type",
                                       "Microsoft.Network/virtualNetworks", "name", "cnet", "properties", "addressSpace",
                                       "addressPrefixes", "10.0.0.0/8", "fd00:c::/48", "subnets", "name", "s",
                                       "properties", "addressPrefixes", "10.0.0.0/16", "fd00:c::/64",
                                       "networkSecurityGroup", "id", nsgid));
  json_array_append_new(res, json_pack("{s:s,s:s,s:{s:[{s:s,s:{s:s,s:{s:s},s:O}},{s:s,s:{s:s,s:{s:s},s:O}}]}}", "type",
                                       "Microsoft.Network/networkInterfaces", "name", "nic", "properties",
                                       "ipConfigurations", "name", "c4", "properties", "privateIPAddress", "10.0.0.4",
                                       "subnet", "id", "/x/virtualNetworks/cnet/subnets/s", "applicationSecurityGroups",
                                       refs, "name", "c6", "properties", "privateIPAddress", "fd00:c::4", "subnet", "id",
                                       "/x/virtualNetworks/cnet/subnets/s", "applicationSecurityGroups", refs));
  json_array_append_new(res, json_pack("{s:s,s:s,s:{s:[{s:s,s:{s:s,s:{s:s}}}]}}", "type",
                                       "Microsoft.Network/networkInterfaces", "name", "nic2", "properties",
                                       "ipConfigurations", "name", "c", "properties", "privateIPAddress", "10.0.0.5",
                                       "subnet", "id", "/x/virtualNetworks/cnet/subnets/s"));
  json_decref(refs);
  char *topo = json_dumps(res, 0);
  json_decref(res);
  struct nsg_options o;
  nsg_options_default(&o);
  o.log = quiet;
  struct nsg_config *cfg = nsg_config_new(&o);
  nsg_config_load_service_tags(cfg, tags_path);
  nsg_config_load_file(cfg, path);
  nsg_config_load_string(cfg, "topology.json", topo);
  free(topo);
  unlink(tags_path);
  unsigned long checked = 0;
  if (nsg_config_finalize(cfg) < 0) { /* e.g. an NSG this topology cannot host: not the compiler's case */
    print_message("skipped %s: the generated topology does not validate\n", path);
    goto out;
  }
  char err[512];
  struct nsg_tables *t = nsg_compile(cfg, NULL, err, sizeof err);
  if (!t)
    print_message("%s: %s\n", path, err);
  assert_non_null(t);
  /* every packet, not only the pools: the prover (docs/prove.md) */
  struct nsg_prove_result pr_;
  if (nsg_prove(cfg, t, NULL, &pr_, err, sizeof err) < 0)
    print_message("%s: prove: %s\n", path, err);
  else if (!pr_.equivalent)
    print_message("%s: prove: not equivalent: %s proto %d %s -> %s:%u\n", path, pr_.w[0].nic, pr_.w[0].proto,
                  pr_.w[0].local, pr_.w[0].remote, pr_.w[0].remote_port);
  assert_true(pr_.equivalent);
  nsg_prove_result_fini(&pr_);
  proven++;
  static const int protos[] = {6, 17, 1, 58, 50};
  static const char *const locals[][2] = {{"nic", "10.0.0.4"}, {"nic", "fd00:c::4"}, {"nic2", "10.0.0.5"}};
  for (size_t a = 0; a < p->naddr; a++)
    for (size_t l = 0; l < 3; l++)
      for (int d = 0; d < 2; d++)
        for (size_t pr = 0; pr < 5; pr++) {
          if ((strchr(p->addrs[a], ':') != NULL) != (strchr(locals[l][1], ':') != NULL))
            continue;
          size_t np = protos[pr] == 6 || protos[pr] == 17 ? p->nports : 1;
          for (size_t x = 0; x < np; x++) {
            struct nsg_query q = {locals[l][0], d ? NSG_OUTBOUND : NSG_INBOUND, protos[pr], locals[l][1], p->addrs[a],
                                  (uint16_t)p->ports[(x * 7) % p->nports], (uint16_t)p->ports[x]};
            struct nsg_verdict va, vb;
            char ea[256], eb[256];
            int ra = nsg_verify(cfg, &q, &va, ea, sizeof ea), rb = nsg_tables_verify(t, &q, &vb, eb, sizeof eb);
            assert_int_equal(ra, 0);
            assert_int_equal(rb, 0);
            if (va.allow != vb.allow || va.kind != vb.kind || strcmp(va.rule_name, vb.rule_name) ||
                strcmp(va.nsg_name, vb.nsg_name) || strcmp(va.reason, vb.reason)) {
              print_message("%s: %s %s proto %d %s:%u <-> %s:%u\nreference: %d %s %s\ntables:    %d %s %s\n", path,
                            q.nic, d ? "out" : "in", q.proto, q.local, q.local_port, q.remote, q.remote_port, va.allow,
                            va.rule_name, va.reason, vb.allow, vb.rule_name, vb.reason);
              fail();
            }
            checked++;
          }
        }
  nsg_tables_free(t);
out:
  nsg_config_free(cfg);
  json_decref(s.tags);
  json_decref(s.asgs);
  json_decref(nsg);
  free(p);
  return checked;
}

static void corpus(void **state)
{
  (void)state;
  DIR *d = opendir(CORPUS);
  assert_non_null(d);
  struct dirent *de;
  unsigned files = 0;
  unsigned long checked = 0;
  while ((de = readdir(d))) {
    size_t len = strlen(de->d_name);
    if (len < 5 || strcmp(de->d_name + len - 5, ".json") != 0 || strncmp(de->d_name, "INVALID", 7) == 0)
      continue;
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", CORPUS, de->d_name);
    unsigned long c = check_file(path);
    files += c > 0;
    checked += c;
  }
  closedir(d);
  print_message("corpus: %u NSG files, %lu queries agreed, %u proven equivalent on every packet\n", files, checked,
                proven);
  assert_true(files >= 20);
}

int main(void)
{
  const struct CMUnitTest tests[] = {cmocka_unit_test(corpus)};
  return cmocka_run_group_tests_name("compiler_corpus", tests, NULL, NULL);
}

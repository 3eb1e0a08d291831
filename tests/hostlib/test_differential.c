/* SPDX-License-Identifier: Apache-2.0 */
/* Differential test of the reference evaluator against an independent one written here: this
 * evaluator knows nothing of tags or ASGs; it works only from the effective-rules view (S9:
 * tags and ASGs expanded to CIDR lists by interval-set algebra) and re-implements S2, S3, S10,
 * S11 and S13 on its own. Random configurations (tags, ASGs, augmented rules, overlapping
 * ranges, both families) and boundary queries; every verdict and deciding rule must agree.
 * Every eighth configuration is also compiled and its tables proven equivalent on every packet.
 * NSGNIC_DIFF_CONFIGS overrides the number of configurations (the `slow` variant uses more). */
#include <jansson.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "addr.h"
#include "fixture.h"
#include "model.h"
#include "nsgnic/compile.h"
#include "nsgnic/prove.h"

/* ---- random configurations ---------------------------------------------------------------- */

static unsigned long long rng = 88172645463325252ull;
static unsigned rnd(unsigned n)
{
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return (unsigned)(rng % n);
}

static const char *const v4_pool[] = {"10.0.1.0/24", "10.0.0.0/16", "10.0.1.4", "10.0.2.0/25", "172.16.0.0/24",
                                      "8.8.8.0/24", "8.0.0.0/7", "168.63.129.16/32", "192.168.0.0/16",
                                      "0.0.0.0/0", "23.102.135.246", "1.2.3.4/31"};
static const char *const v6_pool[] = {"fd00:1::/48", "fd00:1:0:1::/64", "2600::/12", "2600:1::/32", "::/0",
                                      "fd00:1:0:1::4/128"};
static const char *const tag_pool[] = {"VirtualNetwork", "Internet", "AzureLoadBalancer", "AzurePlatformDNS",
                                       "AzurePlatformIMDS", "AzurePlatformLKM", "*"};
static const char *const port_pool[] = {"*", "0", "25", "53", "80", "443", "1688", "0-1023", "1000-2000",
                                        "65535", "40000-65535", "1-65534"};

static size_t cat(char *buf, size_t n, size_t at, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static size_t cat(char *buf, size_t n, size_t at, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  int k = vsnprintf(buf + at, n - at, fmt, ap);
  va_end(ap);
  assert_true(k > 0 && (size_t)k < n - at);
  return at + (size_t)k;
}

/* One side of a rule: a tag or prefixes (one family), maybe ASGs. */
static size_t side(char *b, size_t n, size_t at, const char *prefix, bool v6)
{
  unsigned kind = rnd(4);
  if (kind == 0) {
    at = cat(b, n, at, "\"%sAddressPrefix\":\"%s\"", prefix, tag_pool[rnd(7)]);
  } else if (kind == 1) {
    at = cat(b, n, at, "\"%sApplicationSecurityGroups\":[{\"id\":\"/x/applicationSecurityGroups/%s\"}]", prefix,
             rnd(2) ? "asg-web" : "asg-app");
  } else {
    unsigned cnt = 1 + rnd(3);
    at = cat(b, n, at, "\"%sAddressPrefixes\":[", prefix);
    for (unsigned i = 0; i < cnt; i++)
      at = cat(b, n, at, "%s\"%s\"", i ? "," : "", v6 ? v6_pool[rnd(6)] : v4_pool[rnd(12)]);
    if (rnd(3) == 0)
      at = cat(b, n, at, ",\"%s\"", tag_pool[rnd(6)]);
    at = cat(b, n, at, "]");
  }
  return at;
}

static size_t rules_json(char *b, size_t n, size_t at, const char *name)
{
  at = cat(b, n, at, "{\"type\":\"Microsoft.Network/networkSecurityGroups\",\"name\":\"%s\",\"properties\":{\"securityRules\":[", name);
  unsigned nr = rnd(10);
  static const char *const protos[] = {"Tcp", "Udp", "*", "Icmp", "*"};
  for (unsigned i = 0; i < nr; i++) {
    bool v6 = rnd(4) == 0;
    at = cat(b, n, at, "%s{\"name\":\"r%u\",\"properties\":{\"priority\":%u,\"direction\":\"%s\",\"access\":\"%s\",\"protocol\":\"%s\",",
             i ? "," : "", i, 100 + i * 10 + rnd(10), rnd(2) ? "Inbound" : "Outbound", rnd(2) ? "Allow" : "Deny",
             protos[rnd(5)]);
    at = side(b, n, at, "source", v6);
    at = cat(b, n, at, ",");
    at = side(b, n, at, "destination", v6);
    at = cat(b, n, at, ",\"sourcePortRange\":\"%s\",", rnd(3) ? "*" : port_pool[rnd(12)]);
    if (rnd(3) == 0)
      at = cat(b, n, at, "\"destinationPortRanges\":[\"%s\",\"%s\"]}}", port_pool[1 + rnd(11)], port_pool[1 + rnd(11)]);
    else
      at = cat(b, n, at, "\"destinationPortRange\":\"%s\"}}", port_pool[rnd(12)]);
  }
  return cat(b, n, at, "]}}");
}

/* ---- the independent evaluator -------------------------------------------------------------- */

struct xrule {
  char name[200];
  bool allow, inbound;
  int proto; /* -1 all */
  struct nsg_prefix *src, *dst;
  size_t nsrc, ndst;
  unsigned sp[8][2], dp[8][2];
  size_t nsp, ndp;
  bool platform_tag;
};

struct xnsg {
  char name[128];
  struct xrule *r;
  size_t n;
};

static void parse_addrs(json_t *names, json_t *expanded, struct nsg_prefix **out, size_t *n, bool *plat)
{
  size_t cap = 2 * json_array_size(names) + json_array_size(expanded) + 2; /* 0.0.0.0/0 takes two */
  *out = calloc(cap, sizeof **out);
  *n = 0;
  size_t i;
  json_t *v;
  json_array_foreach(names, i, v) {
    const char *s = json_string_value(v);
    if (strstr(s, "AzurePlatform"))
      *plat = true;
    if (strcmp(s, "0.0.0.0/0") == 0) { /* S3: both families */
      nsg_prefix_parse("0.0.0.0/0", &(*out)[(*n)++], NULL);
      nsg_prefix_parse("::/0", &(*out)[(*n)++], NULL);
      continue;
    }
    if (nsg_prefix_parse(s, &(*out)[*n], NULL) == 0)
      (*n)++;
  }
  json_array_foreach(expanded, i, v) {
    if (*n == cap)
      *out = realloc(*out, (cap *= 2) * sizeof **out);
    assert_int_equal(nsg_prefix_parse(json_string_value(v), &(*out)[(*n)++], NULL), 0);
  }
}

static size_t parse_ports(json_t *arr, unsigned p[8][2])
{
  size_t i, n = 0;
  json_t *v;
  json_array_foreach(arr, i, v) {
    assert_true(n < 8);
    assert_int_equal(sscanf(json_string_value(v), "%u-%u", &p[n][0], &p[n][1]), 2);
    n++;
  }
  return n;
}

/* Builds the xnsg of each effective entry; [0] = subnet level, [1] = NIC level (or n=0). */
static void load_effective(const struct nsg_config *cfg, const char *nic, struct xnsg lv[2])
{
  memset(lv, 0, 2 * sizeof *lv);
  char *js = nsg_effective_json(cfg, nic, false);
  assert_non_null(js);
  json_t *root = json_loads(js, 0, NULL);
  free(js);
  size_t i;
  json_t *e;
  json_array_foreach(json_object_get(root, "value"), i, e) {
    struct xnsg *x = &lv[json_object_get(json_object_get(e, "association"), "subnet") ? 0 : 1];
    const char *id = json_string_value(json_object_get(json_object_get(e, "networkSecurityGroup"), "id"));
    snprintf(x->name, sizeof x->name, "%s", strrchr(id, '/') ? strrchr(id, '/') + 1 : id);
    json_t *rules = json_object_get(e, "effectiveSecurityRules");
    x->n = json_array_size(rules);
    x->r = calloc(x->n, sizeof *x->r);
    size_t k;
    json_t *r;
    json_array_foreach(rules, k, r) {
      struct xrule *xr = &x->r[k];
      snprintf(xr->name, sizeof xr->name, "%s", json_string_value(json_object_get(r, "name")));
      xr->allow = strcmp(json_string_value(json_object_get(r, "access")), "Allow") == 0;
      xr->inbound = strcmp(json_string_value(json_object_get(r, "direction")), "Inbound") == 0;
      const char *p = json_string_value(json_object_get(r, "protocol"));
      xr->proto = strcmp(p, "All") == 0 ? -1 : strcmp(p, "Tcp") == 0 ? 6 : strcmp(p, "Udp") == 0 ? 17
                  : strcmp(p, "Icmp") == 0 ? 1 : strcmp(p, "Esp") == 0 ? 50 : 51;
      parse_addrs(json_object_get(r, "sourceAddressPrefixes"), json_object_get(r, "expandedSourceAddressPrefix"),
                  &xr->src, &xr->nsrc, &xr->platform_tag);
      parse_addrs(json_object_get(r, "destinationAddressPrefixes"),
                  json_object_get(r, "expandedDestinationAddressPrefix"), &xr->dst, &xr->ndst, &xr->platform_tag);
      xr->nsp = parse_ports(json_object_get(r, "sourcePortRanges"), xr->sp);
      xr->ndp = parse_ports(json_object_get(r, "destinationPortRanges"), xr->dp);
    }
  }
  json_decref(root);
}

static void free_levels(struct xnsg lv[2])
{
  for (int l = 0; l < 2; l++) {
    for (size_t i = 0; i < lv[l].n; i++) {
      free(lv[l].r[i].src);
      free(lv[l].r[i].dst);
    }
    free(lv[l].r);
  }
}

static bool in_list(const struct nsg_prefix *p, size_t n, const struct nsg_ip *a)
{
  for (size_t i = 0; i < n; i++)
    if (nsg_prefix_contains(&p[i], a))
      return true;
  return false;
}

static bool covers_all(unsigned p[8][2], size_t n)
{
  unsigned next = 0;
  for (bool progress = true; progress && next <= 65535;) {
    progress = false;
    for (size_t i = 0; i < n; i++)
      if (p[i][0] <= next && p[i][1] >= next) {
        next = p[i][1] + 1;
        progress = true;
      }
  }
  return next > 65535;
}

static bool port_in(unsigned p[8][2], size_t n, unsigned v)
{
  for (size_t i = 0; i < n; i++)
    if (p[i][0] <= v && v <= p[i][1])
      return true;
  return false;
}

static bool xmatch(const struct xrule *r, bool inbound, int proto, const struct nsg_ip *src, unsigned sport,
                   const struct nsg_ip *dst, unsigned dport)
{
  if (r->inbound != inbound)
    return false;
  if (r->proto != -1 && !(r->proto == proto && !(proto == 1 && src->fam == NSG_AF6)))
    return false;
  if (proto == 6 || proto == 17) {
    if (!port_in((unsigned(*)[2])r->sp, r->nsp, sport) || !port_in((unsigned(*)[2])r->dp, r->ndp, dport))
      return false;
  } else if (!covers_all((unsigned(*)[2])r->sp, r->nsp) || !covers_all((unsigned(*)[2])r->dp, r->ndp)) {
    return false;
  }
  return in_list(r->src, r->nsrc, src) && in_list(r->dst, r->ndst, dst);
}

static bool is_internet(const struct nsg_ip *a)
{
  /* independent S7 definitions for the fixture's VNet (10.0.0.0/16, fd00:1::/48, peer 172.16.0.0/16) */
  static const char *const nonpub[] = {"0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
                                       "172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24", "192.168.0.0/16",
                                       "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4",
                                       "240.0.0.0/4", "::/8", "64:ff9b::/96", "100::/64", "2001:db8::/32",
                                       "fc00::/7", "fe80::/10", "ff00::/8"};
  for (size_t i = 0; i < sizeof nonpub / sizeof *nonpub; i++) {
    struct nsg_prefix p;
    nsg_prefix_parse(nonpub[i], &p, NULL);
    if (nsg_prefix_contains(&p, a))
      return false;
  }
  return true; /* the VNet's spaces are all non-public */
}

static const char *xverify(const struct xnsg lv[2], bool inbound, int proto, const char *local, unsigned lport,
                           const char *remote, unsigned rport, const struct nsg_options *o)
{
  static char out[400];
  struct nsg_ip l, r;
  assert_int_equal(nsg_ip_parse(local, &l), 0);
  assert_int_equal(nsg_ip_parse(remote, &r), 0);
  if (proto != 6 && proto != 17)
    lport = rport = 0;
  if (!inbound && proto == 6 && rport == 25 && nsg_subscription_blocks_port25(o) &&
      is_internet(&r))
    return "Deny platform";
  bool exempt = false;
  if (!inbound && o->platform_exemption) {
    char a[64];
    nsg_ip_format(&r, a, sizeof a);
    exempt = strcmp(a, "168.63.129.16") == 0 || strcmp(a, "169.254.169.254") == 0 ||
             (proto == 6 && rport == 1688 && !o->forced_tunneling &&
              (strcmp(a, "23.102.135.246") == 0 || strcmp(a, "20.118.99.224") == 0 || strcmp(a, "40.83.235.53") == 0));
  }
  const struct xnsg *order[2] = {inbound ? &lv[0] : &lv[1], inbound ? &lv[1] : &lv[0]};
  const struct xrule *last = NULL;
  const char *last_nsg = NULL;
  for (int k = 0; k < 2; k++) {
    const struct xnsg *x = order[k];
    if (x->n == 0)
      continue;
    for (size_t i = 0; i < x->n; i++) {
      const struct xrule *xr = &x->r[i];
      if (exempt && !xr->platform_tag)
        continue;
      bool m = inbound ? xmatch(xr, true, proto, &r, rport, &l, lport) : xmatch(xr, false, proto, &l, lport, &r, rport);
      if (!m)
        continue;
      if (!xr->allow) {
        snprintf(out, sizeof out, "Deny %s %s", xr->name, x->name);
        return out;
      }
      last = xr;
      last_nsg = x->name;
      break;
    }
  }
  if (last)
    snprintf(out, sizeof out, "Allow %s %s", last->name, last_nsg);
  else
    snprintf(out, sizeof out, "Allow %s", exempt ? "platform" : "none");
  return out;
}

/* ---- the test -------------------------------------------------------------------------------- */

static void run(unsigned nconfigs)
{
  static const char *const remote4[] = {"10.0.2.4", "10.0.1.4", "10.0.1.5", "172.16.0.4", "168.63.129.16", "169.254.169.254",
                                        "8.8.8.8", "8.8.9.1", "9.255.255.255", "192.168.1.1", "23.102.135.246",
                                        "1.2.3.4", "1.2.3.5", "1.2.3.6", "10.0.2.127", "10.0.2.128", "0.0.0.1"};
  static const char *const remote6[] = {"2600::1", "2600:1::9", "2610::1", "fd00:1:0:1::4", "fd00:1:0:1::5",
                                        "fd00:1:0:2::1", "fd00:2::1", "2001:db8::1"};
  static const unsigned ports[] = {0, 1, 25, 53, 80, 443, 1000, 1023, 1024, 1688, 2000, 2001, 39999, 40000, 65534, 65535};
  static const char *const protos[] = {"tcp", "udp", "icmp", "esp", "ah"};
  unsigned long checked = 0;
  unsigned proven = 0;
  for (unsigned c = 0; c < nconfigs; c++) {
    fx_reset_options();
    fx_opts.subscription = rnd(3) == 0 ? NSG_SUB_PAYG : NSG_SUB_ENTERPRISE_AGREEMENT;
    fx_opts.platform_exemption = rnd(5) != 0;
    fx_opts.forced_tunneling = rnd(4) == 0;
    static char json[1 << 16];
    size_t at = rules_json(json, sizeof json, 0, "sub");
    at = cat(json, sizeof json, at, ",");
    rules_json(json, sizeof json, at, "nic");
    unsigned errors;
    struct nsg_config *cfg = fx_config(rnd(4) ? "sub" : NULL, rnd(4) ? "nic" : NULL, json, &errors);
    if (errors) { /* random duplicate priorities or mixed families: skip, the validator rejected it */
      nsg_config_free(cfg);
      continue;
    }
    if (c % 8 == 0) { /* and every packet, not only the pools: compiled tables proven (docs/prove.md) */
      struct nsg_compile_opts co;
      nsg_compile_opts_default(&co);
      co.rule_entries = co.label_entries = co.platform_entries = 0;
      char err[512];
      struct nsg_tables *t = nsg_compile(cfg, &co, err, sizeof err);
      struct nsg_prove_result pr;
      if (!t || nsg_prove(cfg, t, NULL, &pr, err, sizeof err) < 0) {
        print_message("config %u: %s\n%s\n", c, err, json);
        fail();
      }
      if (!pr.equivalent) {
        print_message("config %u: not equivalent: %s proto %d %s -> %s:%u\n%s\n", c, pr.w[0].nic, pr.w[0].proto,
                      pr.w[0].local, pr.w[0].remote, pr.w[0].remote_port, json);
        fail();
      }
      proven++;
      nsg_prove_result_fini(&pr);
      nsg_tables_free(t);
    }
    struct xnsg lv[2];
    load_effective(cfg, "nic-web", lv);
    for (unsigned q = 0; q < 300; q++) {
      bool v6 = rnd(4) == 0;
      const char *local = v6 ? "fd00:1:0:1::4" : "10.0.1.4";
      const char *remote = v6 ? remote6[rnd(8)] : remote4[rnd(17)];
      const char *proto = protos[rnd(3) ? rnd(2) : 2 + rnd(3)];
      unsigned lp = ports[rnd(16)], rp = ports[rnd(16)];
      bool in = rnd(2);
      struct nsg_verdict v = fx_verify(cfg, "nic-web", in ? "in" : "out", proto, local, lp, remote, rp);
      int pn;
      nsg_protocol_parse(proto, v6, &pn);
      char got[400];
      snprintf(got, sizeof got, "%s", fx_verdict_str(&v));
      const char *want = xverify(lv, in, pn, local, lp, remote, rp, &fx_opts);
      if (strcmp(got, want) != 0) {
        print_message("config %u:\n%s\nquery: %s %s %s:%u <-> %s:%u\nreference:   %s\nindependent: %s\n", c, json,
                      in ? "in" : "out", proto, local, lp, remote, rp, got, want);
        fail();
      }
      checked++;
    }
    free_levels(lv);
    nsg_config_free(cfg);
  }
  print_message("differential: %lu queries agreed; %u configurations' compiled tables proven equivalent\n", checked,
                proven);
  assert_true(checked > nconfigs * 100);
}

static void differential_reference_vs_effective(void **state)
{
  (void)state;
  const char *env = getenv("NSGNIC_DIFF_CONFIGS");
  run(env ? (unsigned)strtoul(env, NULL, 10) : 300);
}

int main(void)
{
  const struct CMUnitTest tests[] = {cmocka_unit_test(differential_reference_vs_effective)};
  return cmocka_run_group_tests_name("differential", tests, NULL, NULL);
}

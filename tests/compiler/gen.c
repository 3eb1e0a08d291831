/* SPDX-License-Identifier: Apache-2.0 */
/* Random configurations and boundary queries for the compiler tests (see gen.h). */
#include "gen.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const v4_pool[] = {
    "10.0.1.0/24", "10.0.0.0/16", "10.0.1.4", "10.0.1.5/32", "10.0.2.0/25", "10.0.1.0/28", "10.1.1.0/24",
    "172.16.0.0/24", "8.8.8.0/24", "8.0.0.0/7", "168.63.129.16/32", "192.168.0.0/16", "20.1.0.0/16",
    "20.0.0.0/9", "23.102.135.246", "1.2.3.4/31", "52.0.0.0/8", "10.0.1.128/25", "10.0.1.0/25", "0.0.0.0/1"};
static const char *const v6_pool[] = {"fd00:a::/48", "fd00:a:0:1::/64", "2600::/12", "2603:1::/32",
                                      "fd00:a:0:1::4/128", "fd00:b::/48", "2603:1:2::/48", "::/1"};
static const char *const tag_pool[] = {"VirtualNetwork", "Internet", "AzureLoadBalancer", "AzurePlatformDNS",
                                       "AzurePlatformIMDS", "AzurePlatformLKM", "*", "TagOne", "TagTwo",
                                       "TagThree", "TagPriv", "0.0.0.0/0"};
#define NPOOL(a) (sizeof(a) / sizeof *(a))

/* addresses queries use as remotes: prefix edges of the pools and the platform addresses */
static const char *const remote4[] = {
    "10.0.1.4", "10.0.1.5", "10.0.1.6", "10.0.2.4", "10.1.1.4", "172.16.0.4", "168.63.129.16", "168.63.129.17",
    "169.254.169.254", "23.102.135.246", "20.118.99.224", "40.83.235.53", "8.8.8.8", "8.8.7.255", "8.8.9.0",
    "7.255.255.255", "9.255.255.255", "10.0.0.0", "10.0.255.255", "10.1.0.0", "10.0.1.127", "10.0.1.128",
    "10.0.1.15", "10.0.1.16", "10.0.2.127", "10.0.2.128", "192.168.1.1", "20.1.0.0", "20.1.255.255",
    "20.0.255.255", "20.127.255.255", "20.128.0.0", "19.255.255.255", "52.0.0.0", "52.255.255.255",
    "53.0.0.0", "1.2.3.4", "1.2.3.5", "1.2.3.6", "127.255.255.255", "128.0.0.0", "0.0.0.1", "13.0.0.5",
    "13.0.1.0", "255.255.255.255", "11.0.0.0", "100.64.0.1", "172.16.0.0"};
static const char *const remote6[] = {"2600::1", "2603:1::9", "2610::1", "fd00:a:0:1::4", "fd00:a:0:1::5",
                                      "fd00:a:0:2::1", "fd00:b::1", "fd00:b:0:1::4", "2001:db8::1", "2603:1:2::1",
                                      "2603:1:3::", "2603:0:ffff:ffff:ffff:ffff:ffff:ffff", "7fff::1", "8000::1",
                                      "ffff::1", "::2"};
static const unsigned port_edges[] = {0, 1, 22, 25, 52, 53, 54, 79, 80, 81, 443, 1023, 1024, 1687, 1688, 1689,
                                      2000, 2001, 8080, 32767, 32768, 39999, 40000, 65534, 65535};

struct nicaddr {
  const char *nic, *ip;
  bool v6;
};
static const struct nicaddr nics[] = {
    {"n1", "10.0.1.4", false}, {"n1", "fd00:a:0:1::4", true}, {"n2", "10.0.1.5", false},
    {"n3", "10.0.2.4", false}, {"n4", "10.1.1.4", false},    {"n4", "fd00:b:0:1::4", true},
    {"n5", "172.16.0.4", false}};

unsigned gen_rnd(struct gen *g, unsigned n)
{
  g->rng ^= g->rng << 13;
  g->rng ^= g->rng >> 7;
  g->rng ^= g->rng << 17;
  return n ? (unsigned)(g->rng % n) : 0;
}

struct sb {
  char *s;
  size_t n, cap;
};

static void sbf(struct sb *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sbf(struct sb *b, const char *fmt, ...)
{
  for (;;) {
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(b->s ? b->s + b->n : NULL, b->s ? b->cap - b->n : 0, fmt, ap);
    va_end(ap);
    if (b->s && b->n + (size_t)k < b->cap) {
      b->n += (size_t)k;
      return;
    }
    b->cap = b->cap * 2 + (size_t)k + 256;
    b->s = realloc(b->s, b->cap);
    if (!b->s)
      abort();
  }
}

void gen_init(struct gen *g, uint64_t seed)
{
  memset(g, 0, sizeof *g);
  g->rng = seed * 2654435761u + 88172645463325252ull;
  snprintf(g->tags_path, sizeof g->tags_path, "/tmp/nsgnic-tags-XXXXXX");
  int fd = mkstemp(g->tags_path);
  if (fd < 0)
    abort();
  const char *tags =
      "{\"values\":["
      "{\"name\":\"TagOne\",\"properties\":{\"addressPrefixes\":[\"20.0.0.0/8\",\"2603:1::/32\",\"13.0.0.0/24\"]}},"
      "{\"name\":\"TagTwo\",\"properties\":{\"addressPrefixes\":[\"20.1.0.0/16\",\"52.0.0.0/8\",\"8.8.8.0/24\"]}},"
      "{\"name\":\"TagThree\",\"properties\":{\"addressPrefixes\":[\"52.0.0.0/6\",\"2603:1:2::/48\",\"0.0.0.0/2\"]}},"
      "{\"name\":\"TagPriv\",\"properties\":{\"addressPrefixes\":[\"10.0.1.0/28\",\"10.1.0.0/16\",\"fd00:b::/48\"]}}]}";
  size_t len = strlen(tags);
  if (write(fd, tags, len) != (ssize_t)len)
    abort();
  close(fd);
}

void gen_fini(struct gen *g)
{
  unlink(g->tags_path);
}

static void gen_side(struct gen *g, struct sb *b, const char *prefix, bool v6)
{
  unsigned kind = gen_rnd(g, 5);
  if (kind == 0) {
    sbf(b, "\"%sAddressPrefix\":\"%s\"", prefix, tag_pool[gen_rnd(g, NPOOL(tag_pool))]);
  } else if (kind == 1) {
    static const char *const asgs[] = {"a1", "a2", "a3"};
    unsigned first = gen_rnd(g, 2); /* a1, a2 live in vnet A; a3 in vnet B */
    sbf(b, "\"%sApplicationSecurityGroups\":[{\"id\":\"/x/applicationSecurityGroups/%s\"}", prefix, asgs[first]);
    if (gen_rnd(g, 3) == 0)
      sbf(b, ",{\"id\":\"/x/applicationSecurityGroups/%s\"}", asgs[1 - first]);
    sbf(b, "]");
  } else {
    unsigned cnt = 1 + gen_rnd(g, kind == 4 ? 6 : 3);
    sbf(b, "\"%sAddressPrefixes\":[", prefix);
    for (unsigned i = 0; i < cnt; i++)
      sbf(b, "%s\"%s\"", i ? "," : "", v6 ? v6_pool[gen_rnd(g, NPOOL(v6_pool))] : v4_pool[gen_rnd(g, NPOOL(v4_pool))]);
    if (gen_rnd(g, 3) == 0)
      sbf(b, ",\"%s\"", tag_pool[gen_rnd(g, NPOOL(tag_pool) - 1)]);
    sbf(b, "]");
  }
}

static void gen_ports(struct gen *g, struct sb *b, const char *field)
{
  unsigned k = gen_rnd(g, 6);
  if (k < 2) {
    sbf(b, "\"%sPortRange\":\"*\"", field);
    return;
  }
  unsigned cnt = 1 + gen_rnd(g, 3);
  sbf(b, "\"%sPortRanges\":[", field);
  for (unsigned i = 0; i < cnt; i++) {
    unsigned lo = port_edges[gen_rnd(g, NPOOL(port_edges))];
    unsigned hi = gen_rnd(g, 2) ? lo : port_edges[gen_rnd(g, NPOOL(port_edges))];
    if (gen_rnd(g, 4) == 0)
      hi = lo + gen_rnd(g, 3000);
    if (hi > 65535)
      hi = 65535;
    if (hi < lo) {
      unsigned t = lo;
      lo = hi;
      hi = t;
    }
    if (gen_rnd(g, 8) == 0) {
      lo = 0;
      hi = 65535;
    }
    if (lo == hi)
      sbf(b, "%s\"%u\"", i ? "," : "", lo);
    else
      sbf(b, "%s\"%u-%u\"", i ? "," : "", lo, hi);
  }
  sbf(b, "]");
}

char *gen_rule_json(struct gen *g, unsigned idx, unsigned priority)
{
  struct sb b = {0};
  static const char *const protos[] = {"Tcp", "Udp", "*", "Icmp", "Esp", "Ah", "Tcp", "*"};
  bool v6 = gen_rnd(g, 4) == 0;
  sbf(&b, "{\"name\":\"r%u\",\"properties\":{\"priority\":%u,\"direction\":\"%s\",\"access\":\"%s\",\"protocol\":\"%s\",",
      idx, priority, gen_rnd(g, 2) ? "Inbound" : "Outbound", gen_rnd(g, 2) ? "Allow" : "Deny",
      protos[gen_rnd(g, NPOOL(protos))]);
  gen_side(g, &b, "source", v6);
  sbf(&b, ",");
  gen_side(g, &b, "destination", v6);
  sbf(&b, ",");
  gen_ports(g, &b, "source");
  sbf(&b, ",");
  gen_ports(g, &b, "destination");
  sbf(&b, "}}");
  return b.s;
}

char *gen_nsg_from_rules(const char *name, char *const *rules, size_t n)
{
  struct sb b = {0};
  sbf(&b, "{\"type\":\"Microsoft.Network/networkSecurityGroups\",\"id\":\"/x/networkSecurityGroups/%s\",\"name\":\"%s\","
          "\"properties\":{\"securityRules\":[", name, name);
  for (size_t i = 0; i < n; i++)
    sbf(&b, "%s%s", i ? "," : "", rules[i]);
  sbf(&b, "]}}");
  return b.s;
}

char *gen_nsg_json(struct gen *g, const char *name, unsigned maxrules)
{
  unsigned nr = gen_rnd(g, maxrules + 1);
  char **r = calloc(nr + 1, sizeof *r);
  if (!r)
    abort();
  for (unsigned i = 0; i < nr; i++)
    r[i] = gen_rule_json(g, i, 100 + i * 10 + gen_rnd(g, 10));
  char *s = gen_nsg_from_rules(name, r, nr);
  for (unsigned i = 0; i < nr; i++)
    free(r[i]);
  free(r);
  return s;
}

char *gen_topology_json(struct gen *g, const char *const *nsgs, size_t n)
{
  char bind[8][128];
  for (int i = 0; i < 8; i++) {
    unsigned k = gen_rnd(g, (unsigned)n + 1);
    if (k == n)
      bind[i][0] = '\0';
    else
      snprintf(bind[i], sizeof bind[i], "\"networkSecurityGroup\":{\"id\":\"/x/networkSecurityGroups/%s\"},", nsgs[k]);
  }
  struct sb b = {0};
#define SUBNET(name, pfx, k) "{\"name\":\"" name "\",\"properties\":{%s\"addressPrefixes\":[" pfx "]}}"
  sbf(&b,
      "{\"type\":\"Microsoft.Network/virtualNetworks\",\"id\":\"/x/virtualNetworks/va\",\"name\":\"va\",\"properties\":{"
      "\"addressSpace\":{\"addressPrefixes\":[\"10.0.0.0/16\",\"fd00:a::/48\"]},\"subnets\":["
      SUBNET("s1", "\"10.0.1.0/24\",\"fd00:a:0:1::/64\"", 0) "," SUBNET("s2", "\"10.0.2.0/24\"", 1) "],"
      "\"virtualNetworkPeerings\":[{\"name\":\"p\",\"properties\":{\"remoteVirtualNetwork\":{\"id\":\"/x/virtualNetworks/vc\"},"
      "\"peeringState\":\"Connected\"}}]}},"
      "{\"type\":\"Microsoft.Network/virtualNetworks\",\"id\":\"/x/virtualNetworks/vb\",\"name\":\"vb\",\"properties\":{"
      "\"addressSpace\":{\"addressPrefixes\":[\"10.1.0.0/16\",\"fd00:b::/48\"]},\"subnets\":["
      SUBNET("s3", "\"10.1.1.0/24\",\"fd00:b:0:1::/64\"", 2) "]}},"
      "{\"type\":\"Microsoft.Network/virtualNetworks\",\"id\":\"/x/virtualNetworks/vc\",\"name\":\"vc\",\"properties\":{"
      "\"addressSpace\":{\"addressPrefixes\":[\"172.16.0.0/16\"]},\"subnets\":["
      SUBNET("s4", "\"172.16.0.0/24\"", 3) "]}},",
      bind[0], bind[1], bind[2], bind[3]);
#define IPC(name, ip, sub, asg)                                                                              \
  "{\"name\":\"" name "\",\"properties\":{\"privateIPAddress\":\"" ip "\",\"subnet\":{\"id\":\"/x/virtualNetworks/" sub \
  "\"}" asg "}}"
#define ASG(a) ",\"applicationSecurityGroups\":[{\"id\":\"/x/applicationSecurityGroups/" a "\"}]"
  sbf(&b,
      "{\"type\":\"Microsoft.Network/networkInterfaces\",\"id\":\"/x/networkInterfaces/n1\",\"name\":\"n1\",\"properties\":{%s"
      "\"ipConfigurations\":[" IPC("c4", "10.0.1.4", "va/subnets/s1", ASG("a1")) "," IPC("c6", "fd00:a:0:1::4", "va/subnets/s1", ASG("a1")) "]}},"
      "{\"type\":\"Microsoft.Network/networkInterfaces\",\"id\":\"/x/networkInterfaces/n2\",\"name\":\"n2\",\"properties\":{%s"
      "\"ipConfigurations\":[" IPC("c4", "10.0.1.5", "va/subnets/s1", ASG("a2")) "]}},"
      "{\"type\":\"Microsoft.Network/networkInterfaces\",\"id\":\"/x/networkInterfaces/n3\",\"name\":\"n3\",\"properties\":{%s"
      "\"ipConfigurations\":[" IPC("c4", "10.0.2.4", "va/subnets/s2", ASG("a1")) "]}},"
      "{\"type\":\"Microsoft.Network/networkInterfaces\",\"id\":\"/x/networkInterfaces/n4\",\"name\":\"n4\",\"properties\":{%s"
      "\"ipConfigurations\":[" IPC("c4", "10.1.1.4", "vb/subnets/s3", ASG("a3")) "," IPC("c6", "fd00:b:0:1::4", "vb/subnets/s3", ASG("a3")) "]}},"
      "{\"type\":\"Microsoft.Network/networkInterfaces\",\"id\":\"/x/networkInterfaces/n5\",\"name\":\"n5\",\"properties\":{"
      "\"ipConfigurations\":[" IPC("c4", "172.16.0.4", "vc/subnets/s4", "") "]}},"
      "{\"type\":\"Microsoft.Network/applicationSecurityGroups\",\"id\":\"/x/applicationSecurityGroups/a1\",\"name\":\"a1\"},"
      "{\"type\":\"Microsoft.Network/applicationSecurityGroups\",\"id\":\"/x/applicationSecurityGroups/a2\",\"name\":\"a2\"},"
      "{\"type\":\"Microsoft.Network/applicationSecurityGroups\",\"id\":\"/x/applicationSecurityGroups/a3\",\"name\":\"a3\"}",
      bind[4], bind[5], bind[6], bind[7]);
  return b.s;
}

static void quiet(void *ctx, enum nsg_log_level l, const char *m)
{
  (void)ctx;
  (void)l;
  (void)m;
}

struct nsg_config *gen_config(struct gen *g, const char *topology, const char *const *nsg_json, size_t n)
{
  struct nsg_options o;
  if (g->keep_options) {
    o = g->opts;
  } else {
    nsg_options_default(&o);
    o.log = quiet;
    unsigned s = gen_rnd(g, 4);
    o.subscription = s == 0 ? NSG_SUB_PAYG : s == 1 ? NSG_SUB_CSP : NSG_SUB_ENTERPRISE_AGREEMENT;
    o.platform_exemption = gen_rnd(g, 5) != 0;
    o.forced_tunneling = gen_rnd(g, 4) == 0;
    g->opts = o;
  }
  struct nsg_config *cfg = nsg_config_new(&o);
  if (!cfg)
    abort();
  struct sb b = {0};
  sbf(&b, "[%s", topology);
  for (size_t i = 0; i < n; i++)
    sbf(&b, ",%s", nsg_json[i]);
  sbf(&b, "]");
  nsg_config_load_string(cfg, "gen.json", b.s);
  free(b.s);
  nsg_config_load_service_tags(cfg, g->tags_path);
  if (nsg_config_finalize(cfg) < 0) {
    nsg_config_free(cfg);
    return NULL;
  }
  return cfg;
}

void gen_query(struct gen *g, struct nsg_query *q)
{
  static char rbuf[64];
  const struct nicaddr *a = &nics[gen_rnd(g, NPOOL(nics))];
  memset(q, 0, sizeof *q);
  q->nic = a->nic;
  q->local = a->ip;
  q->dir = gen_rnd(g, 2) ? NSG_OUTBOUND : NSG_INBOUND;
  if (a->v6) {
    q->remote = remote6[gen_rnd(g, NPOOL(remote6))];
  } else if (gen_rnd(g, 8) == 0) {
    snprintf(rbuf, sizeof rbuf, "%u.%u.%u.%u", gen_rnd(g, 256), gen_rnd(g, 256), gen_rnd(g, 256), gen_rnd(g, 256));
    q->remote = rbuf;
  } else {
    q->remote = remote4[gen_rnd(g, NPOOL(remote4))];
  }
  static const int protos[] = {6, 6, 6, 17, 17, 1, 58, 50, 51, 47};
  q->proto = protos[gen_rnd(g, NPOOL(protos))];
  q->local_port = (uint16_t)(gen_rnd(g, 6) ? port_edges[gen_rnd(g, NPOOL(port_edges))] : gen_rnd(g, 65536));
  q->remote_port = (uint16_t)(gen_rnd(g, 6) ? port_edges[gen_rnd(g, NPOOL(port_edges))] : gen_rnd(g, 65536));
}

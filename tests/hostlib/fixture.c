/* SPDX-License-Identifier: Apache-2.0 */
#include "fixture.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "classify.h"
#include "nsgnic/compile.h"

struct nsg_options fx_opts;
static char messages[1 << 16];
static size_t nmessages;

void fx_reset_options(void) { nsg_options_default(&fx_opts); }

static void capture(void *ctx, enum nsg_log_level lvl, const char *msg)
{
  (void)ctx;
  (void)lvl;
  size_t n = strlen(msg);
  if (nmessages + n + 2 < sizeof messages) {
    memcpy(messages + nmessages, msg, n);
    nmessages += n;
    messages[nmessages++] = '\n';
    messages[nmessages] = '\0';
  }
}

const char *fx_messages(void) { return messages; }

bool fx_has_message(const char *msg)
{
  size_t n = strlen(msg);
  for (const char *p = messages; *p;) {
    const char *e = strchr(p, '\n');
    if ((size_t)(e - p) == n && strncmp(p, msg, n) == 0)
      return true;
    p = e + 1;
  }
  return false;
}

struct nsg_config *fx_new(void)
{
  nmessages = 0;
  messages[0] = '\0';
  if (!fx_opts.limits.rules_per_nsg)
    fx_reset_options();
  struct nsg_options o = fx_opts;
  o.log = capture;
  struct nsg_config *cfg = nsg_config_new(&o);
  assert_non_null(cfg);
  return cfg;
}

struct nsg_config *fx_config_raw(const char *json, unsigned *errors)
{
  struct nsg_config *cfg = fx_new();
  nsg_config_load_string(cfg, "test.json", json);
  nsg_config_finalize(cfg);
  unsigned e = nsg_config_error_count(cfg);
  if (errors)
    *errors = e;
  else if (e) {
    print_message("unexpected errors:\n%s", messages);
    fail();
  }
  return cfg;
}

struct nsg_config *fx_config(const char *web_nsg, const char *nic_nsg, const char *extra, unsigned *errors)
{
  char sub_nsg[200] = "", nicn[200] = "";
  if (web_nsg)
    snprintf(sub_nsg, sizeof sub_nsg, ",\"networkSecurityGroup\":{\"id\":\"/x/networkSecurityGroups/%s\"}", web_nsg);
  if (nic_nsg)
    snprintf(nicn, sizeof nicn, "\"networkSecurityGroup\":{\"id\":\"/x/networkSecurityGroups/%s\"},", nic_nsg);
  size_t cap = strlen(extra) + 8192;
  char *json = malloc(cap);
  assert_non_null(json);
  snprintf(json, cap,
           "[{\"type\":\"Microsoft.Network/virtualNetworks\",\"name\":\"vnet1\",\"properties\":{"
           "\"addressSpace\":{\"addressPrefixes\":[\"10.0.0.0/16\",\"fd00:1::/48\"]},\"flowTimeoutInMinutes\":10,"
           "\"subnets\":[{\"name\":\"web\",\"properties\":{\"addressPrefixes\":[\"10.0.1.0/24\",\"fd00:1:0:1::/64\"]%s}},"
           "{\"name\":\"app\",\"properties\":{\"addressPrefix\":\"10.0.2.0/24\"}}],"
           "\"virtualNetworkPeerings\":[{\"name\":\"to-hub\",\"properties\":{\"remoteVirtualNetwork\":{\"id\":\"/x/virtualNetworks/hub\"},\"peeringState\":\"Connected\"}}]}},"
           "{\"type\":\"Microsoft.Network/virtualNetworks\",\"name\":\"hub\",\"properties\":{"
           "\"addressSpace\":{\"addressPrefixes\":[\"172.16.0.0/16\"]},\"subnets\":[{\"name\":\"s\",\"properties\":{\"addressPrefix\":\"172.16.0.0/24\"}}]}},"
           "{\"type\":\"Microsoft.Network/networkInterfaces\",\"name\":\"nic-web\",\"properties\":{%s\"ipConfigurations\":["
           "{\"name\":\"ip4\",\"properties\":{\"privateIPAddress\":\"10.0.1.4\",\"subnet\":{\"id\":\"/x/virtualNetworks/vnet1/subnets/web\"},"
           "\"applicationSecurityGroups\":[{\"id\":\"/x/applicationSecurityGroups/asg-web\"}]}},"
           "{\"name\":\"ip6\",\"properties\":{\"privateIPAddress\":\"fd00:1:0:1::4\",\"subnet\":{\"id\":\"/x/virtualNetworks/vnet1/subnets/web\"},"
           "\"applicationSecurityGroups\":[{\"id\":\"/x/applicationSecurityGroups/asg-web\"}]}}]}},"
           "{\"type\":\"Microsoft.Network/networkInterfaces\",\"name\":\"nic-app\",\"properties\":{\"ipConfigurations\":["
           "{\"name\":\"ip4\",\"properties\":{\"privateIPAddress\":\"10.0.2.4\",\"subnet\":{\"id\":\"/x/virtualNetworks/vnet1/subnets/app\"},"
           "\"applicationSecurityGroups\":[{\"id\":\"/x/applicationSecurityGroups/asg-app\"}]}}]}},"
           "{\"type\":\"Microsoft.Network/networkInterfaces\",\"name\":\"nic-hub\",\"properties\":{\"ipConfigurations\":["
           "{\"name\":\"ip4\",\"properties\":{\"privateIPAddress\":\"172.16.0.4\",\"subnet\":{\"id\":\"/x/virtualNetworks/hub/subnets/s\"}}}]}},"
           "{\"type\":\"Microsoft.Network/applicationSecurityGroups\",\"name\":\"asg-web\"},"
           "{\"type\":\"Microsoft.Network/applicationSecurityGroups\",\"name\":\"asg-app\"}%s%s]",
           sub_nsg, nicn, *extra ? "," : "", extra);
  struct nsg_config *cfg = fx_config_raw(json, errors);
  free(json);
  return cfg;
}

struct nsg_verdict fx_verify(const struct nsg_config *cfg, const char *nic, const char *dir, const char *proto,
                             const char *local, unsigned lport, const char *remote, unsigned rport)
{
  struct nsg_query q = {0};
  q.nic = nic;
  q.dir = strcmp(dir, "in") == 0 ? NSG_INBOUND : NSG_OUTBOUND;
  assert_int_equal(nsg_protocol_parse(proto, strchr(local, ':') != NULL, &q.proto), 0);
  q.local = local;
  q.remote = remote;
  q.local_port = (uint16_t)lport;
  q.remote_port = (uint16_t)rport;
  struct nsg_verdict v;
  char err[256];
  int rc = nsg_verify(cfg, &q, &v, err, sizeof err);
  if (rc != 0) {
    print_message("verify failed: %s\n", err);
    fail();
  }
  return v;
}

const char *fx_verdict_str(const struct nsg_verdict *v)
{
  static char buf[400];
  if (v->kind == NSG_DECIDED_BY_RULE)
    snprintf(buf, sizeof buf, "%s %s %s", v->allow ? "Allow" : "Deny", v->rule_name, v->nsg_name);
  else
    snprintf(buf, sizeof buf, "%s %s", v->allow ? "Allow" : "Deny", v->kind == NSG_DECIDED_BY_PLATFORM ? "platform" : "none");
  return buf;
}

void fx_expect(const struct nsg_config *cfg, const char *nic, const char *dir, const char *proto, const char *local,
               unsigned lport, const char *remote, unsigned rport, const char *expect)
{
  struct nsg_verdict v = fx_verify(cfg, nic, dir, proto, local, lport, remote, rport);
  const char *got = fx_verdict_str(&v);
  if (strcmp(got, expect) != 0) {
    print_message("%s %s %s %s:%u <-> %s:%u\n  expected: %s\n  got:      %s\n", nic, dir, proto, local, lport, remote,
                  rport, expect, got);
    fail();
  }
  /* every semantics case holds for every engine: the compiled tables and the slow path's
   * classifier must give the same answer */
  char err[512];
  struct nsg_tables *fx_tables = nsg_compile(cfg, NULL, err, sizeof err);
  if (!fx_tables) {
    print_message("compile failed: %s\n", err);
    fail();
  }
  struct nsg_classifier *fx_cls = nsg_classifier_new(cfg, err, sizeof err);
  if (!fx_cls) {
    print_message("classifier failed: %s\n", err);
    fail();
  }
  struct nsg_query q = {0};
  q.nic = nic;
  q.dir = strcmp(dir, "in") == 0 ? NSG_INBOUND : NSG_OUTBOUND;
  assert_int_equal(nsg_protocol_parse(proto, strchr(local, ':') != NULL, &q.proto), 0);
  q.local = local;
  q.remote = remote;
  q.local_port = (uint16_t)lport;
  q.remote_port = (uint16_t)rport;
  for (int e = 0; e < 2; e++) {
    struct nsg_verdict w;
    int rc = e ? nsg_classifier_verify(fx_cls, &q, &w, err, sizeof err) : nsg_tables_verify(fx_tables, &q, &w, err, sizeof err);
    if (rc != 0) {
      print_message("%s engine: verify failed: %s\n", e ? "slowpath" : "tables", err);
      fail();
    }
    const char *g = fx_verdict_str(&w);
    if (strcmp(g, expect) != 0) {
      print_message("%s engine: %s %s %s %s:%u <-> %s:%u\n  expected: %s\n  got:      %s\n", e ? "slowpath" : "tables", nic,
                    dir, proto, local, lport, remote, rport, expect, g);
      fail();
    }
  }
  nsg_tables_free(fx_tables);
  nsg_classifier_free(fx_cls);
}

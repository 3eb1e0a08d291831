/* SPDX-License-Identifier: Apache-2.0 */
/* The software packet path: replies allowed statefully (S5) although the rules deny them,
 * timeouts in simulated time (the VNet's flowTimeoutInMinutes), the per-NIC limit, ICMP errors
 * of tracked flows, reassembly-free fragments, IPv6, malformed frames dropped (fail closed). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "fixture.h"
#include "frames.h"
#include "nsgnic/slowpath.h"

#define S NSG_SEC
#define WEB "10.0.1.4"
#define APP "10.0.2.4"
#define NET "8.8.8.8"

/* nsg-w on subnet web: inbound TCP 443 allowed; everything else the defaults decide (inbound from
 * the Internet denied, outbound to the Internet and the VNet allowed). */
static struct nsg_config *config(void)
{
  return fx_config("w",
                   NULL,
                   NSG("w", RULE("Allow-443", 100, "Inbound", "Allow", "Tcp", "*", "*", "*", "443")), NULL);
}

static struct nsg_slowpath *sp_new(struct nsg_config *cfg, uint32_t limit)
{
  struct nsg_slowpath_opts o;
  nsg_slowpath_opts_default(&o);
  if (limit)
    o.ct.per_nic_limit = limit;
  struct nsg_slowpath *sp = nsg_slowpath_new(cfg, &o);
  assert_non_null(sp);
  return sp;
}

static enum nsg_sp_why run(struct nsg_slowpath *sp, struct frame f, uint64_t now)
{
  struct nsg_sp_result r;
  assert_int_equal(nsg_slowpath_frame(sp, f.b, f.n, now, &r), 0);
  assert_int_equal(r.forward, r.why <= NSG_SP_FRAGMENT);
  return r.why;
}

/* S5: "an outbound rule allowing port 80 needs no inbound rule for the replies, and the reverse" */
static void replies_are_stateful(void **st)
{
  (void)st;
  struct nsg_config *cfg = config();
  struct nsg_slowpath *sp = sp_new(cfg, 0);
  assert_int_equal(run(sp, fr(WEB, 40000, NET, 80, 6, T_SYN), 0), NSG_SP_NEW_FLOW);
  assert_int_equal(run(sp, fr(NET, 80, WEB, 40000, 6, T_SYN | T_ACK), 1), NSG_SP_FLOW); /* rules would deny */
  assert_int_equal(run(sp, fr(WEB, 40000, NET, 80, 6, T_ACK), 2), NSG_SP_FLOW);
  assert_int_equal(run(sp, fr(NET, 81, WEB, 40000, 6, T_SYN | T_ACK), 3), NSG_SP_DENIED); /* not that flow */
  /* inbound 443 allowed; its reply outbound passes by the flow */
  assert_int_equal(run(sp, fr(NET, 5555, WEB, 443, 6, T_SYN), 4), NSG_SP_NEW_FLOW);
  assert_int_equal(run(sp, fr(WEB, 443, NET, 5555, 6, T_SYN | T_ACK), 5), NSG_SP_FLOW);
  assert_int_equal(run(sp, fr(NET, 5555, WEB, 22, 6, T_SYN), 6), NSG_SP_DENIED);
  /* NIC to NIC: outbound at web, inbound at app (AllowVNetInBound) */
  assert_int_equal(run(sp, fr(WEB, 41000, APP, 8080, 6, T_SYN), 7), NSG_SP_NEW_FLOW);
  assert_int_equal(run(sp, fr(APP, 8080, WEB, 41000, 6, T_SYN | T_ACK), 8), NSG_SP_FLOW);
  uint64_t c[NSG_SP_WHY_COUNT];
  nsg_slowpath_counts(sp, c);
  assert_int_equal(c[NSG_SP_DENIED], 2);
  nsg_slowpath_free(sp);
  nsg_config_free(cfg);
}

/* S5 idle timeout: flowTimeoutInMinutes = 10 in the fixture's VNet. */
static void vnet_flow_timeout(void **st)
{
  (void)st;
  struct nsg_config *cfg = config();
  struct nsg_slowpath *sp = sp_new(cfg, 0);
  run(sp, fr(WEB, 40000, NET, 80, 6, T_SYN), 0);
  run(sp, fr(NET, 80, WEB, 40000, 6, T_SYN | T_ACK), 0);
  run(sp, fr(WEB, 40000, NET, 80, 6, T_ACK), 0);
  assert_int_equal(run(sp, fr(NET, 80, WEB, 40000, 6, T_ACK), 9 * 60 * S), NSG_SP_FLOW);
  assert_int_equal(run(sp, fr(NET, 80, WEB, 40000, 6, T_ACK), 18 * 60 * S), NSG_SP_FLOW);
  /* idle for more than 10 minutes: the flow is gone, the rules deny the "reply" */
  assert_int_equal(run(sp, fr(NET, 80, WEB, 40000, 6, T_ACK), 28 * 60 * S + 2 * S), NSG_SP_DENIED);
  /* half-open: 30 s */
  run(sp, fr(WEB, 40001, NET, 80, 6, T_SYN), 30 * 60 * S);
  assert_int_equal(run(sp, fr(NET, 80, WEB, 40001, 6, T_SYN | T_ACK), 30 * 60 * S + 32 * S), NSG_SP_DENIED);
  nsg_slowpath_free(sp);
  nsg_config_free(cfg);
}

/* S5 limit: new connections beyond it are dropped and counted; existing ones keep working. */
static void per_nic_limit(void **st)
{
  (void)st;
  struct nsg_config *cfg = config();
  struct nsg_slowpath *sp = sp_new(cfg, 2);
  assert_int_equal(run(sp, fr(WEB, 1, NET, 80, 6, T_SYN), 0), NSG_SP_NEW_FLOW);
  assert_int_equal(run(sp, fr(WEB, 2, NET, 80, 6, T_SYN), 0), NSG_SP_NEW_FLOW);
  assert_int_equal(run(sp, fr(WEB, 3, NET, 80, 6, T_SYN), 0), NSG_SP_LIMIT);
  assert_int_equal(run(sp, fr(NET, 80, WEB, 1, 6, T_SYN | T_ACK), 0), NSG_SP_FLOW);
  assert_int_equal(run(sp, fr(NET, 6000, WEB, 443, 6, T_SYN), 0), NSG_SP_NEW_FLOW); /* inbound: own budget */
  struct nsg_ct_stats cs;
  nsg_ct_get_stats(nsg_slowpath_ct(sp), &cs);
  assert_int_equal(cs.limit_drops, 1);
  nsg_slowpath_free(sp);
  nsg_config_free(cfg);
}

/* ICMP errors are matched to the flow they refer to. */
static void icmp_errors(void **st)
{
  (void)st;
  struct nsg_config *cfg = config();
  struct nsg_slowpath *sp = sp_new(cfg, 0);
  assert_int_equal(run(sp, fr(WEB, 5353, NET, 53, 17, 0), 0), NSG_SP_NEW_FLOW);
  assert_int_equal(run(sp, fr_icmp_err("9.9.9.9", WEB, WEB, 5353, NET, 53, 17), 1), NSG_SP_RELATED);
  assert_int_equal(run(sp, fr_icmp_err("9.9.9.9", WEB, WEB, 5354, NET, 53, 17), 2), NSG_SP_DENIED);
  /* echo: the reply finds the request's flow by identifier */
  assert_int_equal(run(sp, fr(WEB, 8, NET, 77, 1, 0), 3), NSG_SP_NEW_FLOW);
  assert_int_equal(run(sp, fr(NET, 0, WEB, 77, 1, 0), 4), NSG_SP_FLOW);
  assert_int_equal(run(sp, fr(NET, 0, WEB, 78, 1, 0), 5), NSG_SP_DENIED);
  nsg_slowpath_free(sp);
  nsg_config_free(cfg);
}

/* Non-first fragments follow their first fragment's decision (reassembly-free). */
static void fragments(void **st)
{
  (void)st;
  struct nsg_config *cfg = config();
  struct nsg_slowpath *sp = sp_new(cfg, 0);
  assert_int_equal(run(sp, fr_make(NET, WEB, 6, 5000, 443, T_SYN, 0x2000, 42, NULL, 0), 0), NSG_SP_NEW_FLOW);
  assert_int_equal(run(sp, fr_make(NET, WEB, 6, 0, 0, 0, 0x0003, 42, NULL, 0), 1), NSG_SP_FRAGMENT);
  assert_int_equal(run(sp, fr_make(NET, WEB, 6, 5000, 22, T_SYN, 0x2000, 43, NULL, 0), 2), NSG_SP_DENIED);
  assert_int_equal(run(sp, fr_make(NET, WEB, 6, 0, 0, 0, 0x0003, 43, NULL, 0), 3), NSG_SP_DENIED);
  assert_int_equal(run(sp, fr_make(NET, WEB, 6, 0, 0, 0, 0x0003, 44, NULL, 0), 4), NSG_SP_FRAG_ORPHAN);
  /* the decision is kept 30 s */
  assert_int_equal(run(sp, fr_make(NET, WEB, 6, 0, 0, 0, 0x0006, 42, NULL, 0), 40 * S), NSG_SP_FRAG_ORPHAN);
  nsg_slowpath_free(sp);
  nsg_config_free(cfg);
}

static void ipv6_and_malformed(void **st)
{
  (void)st;
  struct nsg_config *cfg = config();
  struct nsg_slowpath *sp = sp_new(cfg, 0);
  assert_int_equal(run(sp, fr("fd00:1:0:1::4", 40000, "2001:4860::8888", 443, 6, T_SYN), 0), NSG_SP_NEW_FLOW);
  assert_int_equal(run(sp, fr("2001:4860::8888", 443, "fd00:1:0:1::4", 40000, 6, T_SYN | T_ACK), 1), NSG_SP_FLOW);
  assert_int_equal(run(sp, fr("2001:4860::8888", 444, "fd00:1:0:1::4", 40000, 6, T_SYN | T_ACK), 1), NSG_SP_DENIED);
  struct frame f = fr(NET, 1, WEB, 443, 6, T_SYN);
  assert_int_equal(run(sp, (struct frame){.n = f.n - 4, .b = {0}}, 2), NSG_SP_MALFORMED);
  memcpy(f.b + 12, "\x08\x06", 2); /* ARP */
  assert_int_equal(run(sp, f, 3), NSG_SP_MALFORMED);
  f = fr(NET, 1, WEB, 443, 6, T_SYN);
  f.n -= 10; /* cut TCP header */
  assert_int_equal(run(sp, f, 4), NSG_SP_MALFORMED);
  assert_int_equal(run(sp, fr("1.1.1.1", 1, NET, 2, 6, T_SYN), 5), NSG_SP_NO_NIC);
  /* random bytes never pass */
  uint64_t x = 12345;
  for (int i = 0; i < 20000; i++) {
    struct frame g = fr(NET, 1, WEB, 443, 6, T_SYN);
    for (int k = 0; k < 4; k++) {
      x = x * 6364136223846793005ull + 1442695040888963407ull;
      g.b[(x >> 33) % g.n] = (uint8_t)(x >> 17);
    }
    g.n = (size_t)((x >> 40) % (g.n + 1));
    struct nsg_sp_result r;
    nsg_slowpath_frame(sp, g.b, g.n, 6, &r);
    if (r.forward) /* only what the rules or a flow allow */
      assert_true(r.why == NSG_SP_NEW_FLOW || r.why == NSG_SP_FLOW || r.why == NSG_SP_ALLOWED_NOFLOW ||
                  r.why == NSG_SP_FRAGMENT || r.why == NSG_SP_RELATED);
  }
  nsg_slowpath_free(sp);
  nsg_config_free(cfg);
}

/* S5: a rule change does not break existing connections, unless the NSG has flushConnection:
 * then flows no longer allowed end (E tuple, reason flush). */
static void rule_change_and_flush_connection(void **st)
{
  (void)st;
  for (int flush = 0; flush < 2; flush++) {
    struct nsg_config *cfg = config();
    char nsg2[512];
    snprintf(nsg2, sizeof nsg2,
             "{\"type\":\"Microsoft.Network/networkSecurityGroups\",\"name\":\"w\",\"properties\":{"
             "\"flushConnection\":%s,\"securityRules\":[%s]}}",
             flush ? "true" : "false", RULE("Allow-8443", 100, "Inbound", "Allow", "Tcp", "*", "*", "*", "8443"));
    struct nsg_config *cfg2 = fx_config("w", NULL, nsg2, NULL);
    struct nsg_slowpath *sp = sp_new(cfg, 0);
    assert_int_equal(run(sp, fr(NET, 5555, WEB, 443, 6, T_SYN), 0), NSG_SP_NEW_FLOW);
    assert_int_equal(run(sp, fr(WEB, 40000, NET, 80, 6, T_SYN), 0), NSG_SP_NEW_FLOW); /* outbound: still allowed */
    assert_int_equal(nsg_slowpath_reload(sp, cfg2, S), flush ? 1 : 0);
    nsg_config_free(cfg); /* the old configuration may go */
    /* the client's next packet: by the flow, or (flushed) by the new rules, which deny 443 */
    assert_int_equal(run(sp, fr(NET, 5555, WEB, 443, 6, T_ACK), 2 * S), flush ? NSG_SP_DENIED : NSG_SP_FLOW);
    assert_int_equal(run(sp, fr(NET, 80, WEB, 40000, 6, T_SYN | T_ACK), 2 * S), NSG_SP_FLOW);
    assert_int_equal(run(sp, fr(NET, 5556, WEB, 443, 6, T_SYN), 3 * S), NSG_SP_DENIED);   /* new rules */
    assert_int_equal(run(sp, fr(NET, 5557, WEB, 8443, 6, T_SYN), 3 * S), NSG_SP_NEW_FLOW);
    struct nsg_ct_stats cs;
    nsg_ct_get_stats(nsg_slowpath_ct(sp), &cs);
    assert_int_equal(cs.ended_by[NSG_END_FLUSH], flush ? 1 : 0);
    nsg_slowpath_free(sp);
    nsg_config_free(cfg2);
  }
}

/* S5 (revised) flow logs through the API: every packet counted (the SYN in the flow's first C),
 * C at the first tick 5 minutes on with the deltas, E when the flow aged out (10 minutes, the fixture VNet's
 * flowTimeoutInMinutes) in the record of its own minute, a D entry under Azure's spelling of the
 * default rule (S6), records one per minute and MAC. */
static void flow_log(void **st)
{
  (void)st;
  struct nsg_config *cfg = config();
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  assert_non_null(f);
  struct nsg_slowpath_opts o;
  nsg_slowpath_opts_default(&o);
  o.flow_log = f;
  struct nsg_slowpath *sp = nsg_slowpath_new(cfg, &o);
  assert_non_null(sp);
  uint64_t t0 = 1700000000ull * S; /* 22:13:20 */
  struct frame a = fr(NET, 5555, WEB, 443, 6, T_SYN), b = fr(WEB, 443, NET, 5555, 6, T_SYN | T_ACK),
               c = fr(NET, 5555, WEB, 443, 6, T_ACK);
  run(sp, a, t0);
  run(sp, b, t0 + 1);
  run(sp, c, t0 + 2);
  run(sp, fr(NET, 5556, WEB, 22, 6, T_SYN), t0 + 3); /* denied: DenyAllInBound */
  run(sp, c, t0 + 400 * S); /* the first tick 5 minutes on: a C for the handshake before it */
  run(sp, fr("1.1.1.1", 1, "2.2.2.2", 2, 17, 0), t0 + 1200 * S); /* a tick 20 minutes on: E at 1000 s */
  nsg_slowpath_finish(sp, t0 + 1200 * S);
  nsg_slowpath_free(sp);
  fclose(f);
  json_error_t je;
  json_t *d = json_loads(buf, 0, &je);
  assert_non_null(d);
  char tuples[4096] = "";
  size_t i, j, k, m;
  json_t *r, *g, *x, *t;
  const char *last = "";
  json_array_foreach(json_object_get(d, "records"), i, r) {
    const char *when = json_string_value(json_object_get(r, "time"));
    assert_true(strcmp(when, last) >= 0);
    last = when;
    assert_string_equal(json_string_value(json_object_get(r, "macAddress")), "000000000000"); /* none configured */
    json_array_foreach(json_object_get(json_object_get(r, "properties"), "flows"), j, g)
      json_array_foreach(json_object_get(g, "flows"), k, x) json_array_foreach(json_object_get(x, "flowTuples"), m, t) {
        size_t n = strlen(tuples);
        snprintf(tuples + n, sizeof tuples - n, "%s %s %s\n", when + 11, json_string_value(json_object_get(g, "rule")),
                 json_string_value(t));
      }
  }
  char want[1024];
  snprintf(want, sizeof want,
           "22:14:00.0000000Z DefaultRule_DenyAllInBound 1700000000,8.8.8.8,10.0.1.4,5556,22,T,I,D,B,,,,\n"
           "22:14:00.0000000Z UserRule_Allow-443 1700000000,8.8.8.8,10.0.1.4,5555,443,T,I,A,B,,,,\n"
           "22:21:00.0000000Z UserRule_Allow-443 1700000400,8.8.8.8,10.0.1.4,5555,443,T,I,A,C,2,%zu,1,%zu\n"
           "22:31:00.0000000Z UserRule_Allow-443 1700001000,8.8.8.8,10.0.1.4,5555,443,T,I,A,E,1,%zu,0,0\n",
           a.n + c.n, b.n, c.n);
  assert_string_equal(tuples, want);
  json_decref(d);
  free(buf);
  nsg_config_free(cfg);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(replies_are_stateful), cmocka_unit_test(vnet_flow_timeout), cmocka_unit_test(per_nic_limit),
      cmocka_unit_test(icmp_errors),          cmocka_unit_test(fragments),         cmocka_unit_test(ipv6_and_malformed),
      cmocka_unit_test(rule_change_and_flush_connection), cmocka_unit_test(flow_log),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

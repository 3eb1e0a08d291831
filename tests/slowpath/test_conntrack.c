/* SPDX-License-Identifier: Apache-2.0 */
/* Connection tracking (S5): every TCP transition, UDP/ICMP pseudo-states, replies found from
 * either direction, per-state timeouts in simulated time, the per-NIC limit, hardware idle
 * reports, LRU aging order; the flow index against a reference model, bulk lookups. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "nsgnic/slowpath.h"

#define S NSG_SEC

static struct nsg_flow_key key(uint16_t nic, uint8_t proto, uint32_t local, uint32_t remote, uint16_t lp,
                               uint16_t rp)
{
  struct nsg_flow_key k;
  memset(&k, 0, sizeof k);
  k.nic = nic;
  k.proto = proto;
  k.fam = 4;
  k.local[0] = local;
  k.remote[0] = remote;
  k.lport = lp;
  k.rport = rp;
  return k;
}

struct ends {
  int n;
  enum nsg_ct_end last;
  struct nsg_flow_info info;
};
static void on_end(void *ctx, const struct nsg_flow_info *i, enum nsg_ct_end why)
{
  struct ends *e = ctx;
  e->n++;
  e->last = why;
  e->info = *i;
}

static struct nsg_ct *ct_new(struct ends *e)
{
  struct nsg_ct *ct = nsg_ct_new(NULL);
  assert_non_null(ct);
  memset(e, 0, sizeof *e);
  nsg_ct_set_end_cb(ct, on_end, e);
  return ct;
}

/* The pure transition function, one assertion per edge. */
static void test_tcp_transitions(void **st)
{
  (void)st;
  unsigned fb = 0;
  /* handshake */
  assert_int_equal(nsg_ct_tcp_next(NSG_CT_TCP_SYN_SENT, &fb, true, NSG_TCP_SYN), NSG_CT_TCP_SYN_SENT);
  assert_int_equal(nsg_ct_tcp_next(NSG_CT_TCP_SYN_SENT, &fb, false, NSG_TCP_SYN | NSG_TCP_ACK), NSG_CT_TCP_SYN_RECV);
  assert_int_equal(nsg_ct_tcp_next(NSG_CT_TCP_SYN_SENT, &fb, false, NSG_TCP_SYN), NSG_CT_TCP_SYN_RECV); /* simultaneous */
  assert_int_equal(nsg_ct_tcp_next(NSG_CT_TCP_SYN_RECV, &fb, false, NSG_TCP_SYN | NSG_TCP_ACK), NSG_CT_TCP_SYN_RECV);
  assert_int_equal(nsg_ct_tcp_next(NSG_CT_TCP_SYN_RECV, &fb, true, NSG_TCP_ACK), NSG_CT_TCP_ESTABLISHED);
  assert_int_equal(fb, 0);
  /* FIN from each side */
  assert_int_equal(nsg_ct_tcp_next(NSG_CT_TCP_ESTABLISHED, &fb, true, NSG_TCP_ACK), NSG_CT_TCP_ESTABLISHED);
  assert_int_equal(nsg_ct_tcp_next(NSG_CT_TCP_ESTABLISHED, &fb, true, NSG_TCP_FIN | NSG_TCP_ACK), NSG_CT_TCP_FIN_WAIT);
  assert_int_equal(fb, 1);
  assert_int_equal(nsg_ct_tcp_next(NSG_CT_TCP_FIN_WAIT, &fb, false, NSG_TCP_ACK), NSG_CT_TCP_FIN_WAIT);
  assert_int_equal(nsg_ct_tcp_next(NSG_CT_TCP_FIN_WAIT, &fb, false, NSG_TCP_FIN | NSG_TCP_ACK), NSG_CT_TCP_CLOSING);
  assert_int_equal(fb, 3);
  assert_int_equal(nsg_ct_tcp_next(NSG_CT_TCP_CLOSING, &fb, true, NSG_TCP_ACK), NSG_CT_TCP_TIME_WAIT);
  fb = 0;
  assert_int_equal(nsg_ct_tcp_next(NSG_CT_TCP_ESTABLISHED, &fb, false, NSG_TCP_FIN | NSG_TCP_ACK), NSG_CT_TCP_FIN_WAIT);
  assert_int_equal(fb, 2);
  assert_int_equal(nsg_ct_tcp_next(NSG_CT_TCP_FIN_WAIT, &fb, true, NSG_TCP_FIN | NSG_TCP_ACK), NSG_CT_TCP_CLOSING);
  assert_int_equal(nsg_ct_tcp_next(NSG_CT_TCP_CLOSING, &fb, true, NSG_TCP_FIN | NSG_TCP_ACK), NSG_CT_TCP_CLOSING);
  /* RST from every state, from either side */
  for (int s = NSG_CT_TCP_SYN_SENT; s <= NSG_CT_TCP_CLOSED; s++) {
    fb = 0;
    assert_int_equal(nsg_ct_tcp_next((enum nsg_ct_state)s, &fb, s & 1, NSG_TCP_RST), NSG_CT_TCP_CLOSED);
  }
  /* closed states stay closed */
  fb = 3;
  assert_int_equal(nsg_ct_tcp_next(NSG_CT_TCP_TIME_WAIT, &fb, true, NSG_TCP_ACK), NSG_CT_TCP_TIME_WAIT);
  assert_int_equal(nsg_ct_tcp_next(NSG_CT_TCP_CLOSED, &fb, false, NSG_TCP_ACK), NSG_CT_TCP_CLOSED);
}

/* S5: a connection's replies find the flow its request created, in both directions. */
static void test_tcp_lifecycle_and_reply_lookup(void **st)
{
  (void)st;
  struct ends e;
  struct nsg_ct *ct = ct_new(&e);
  struct nsg_flow_key k = key(1, 6, 0x0a000004, 0x08080808, 40000, 443);
  long id = nsg_ct_create(ct, &k, true, 7, 0, NSG_FLOW_SW, 0);
  assert_true(id >= 0);
  assert_int_equal(nsg_ct_create(ct, &k, true, 7, 0, NSG_FLOW_SW, 0), -EEXIST);
  assert_int_equal(nsg_ct_packet(ct, id, true, NSG_TCP_SYN, 60, 1), NSG_CT_TCP_SYN_SENT);
  assert_int_equal(nsg_ct_lookup(ct, &k), id); /* the reply has the same normalized key */
  assert_int_equal(nsg_ct_packet(ct, id, false, NSG_TCP_SYN | NSG_TCP_ACK, 60, 2), NSG_CT_TCP_SYN_RECV);
  assert_int_equal(nsg_ct_packet(ct, id, true, NSG_TCP_ACK, 54, 3), NSG_CT_TCP_ESTABLISHED);
  assert_int_equal(nsg_ct_packet(ct, id, false, NSG_TCP_ACK, 1000, 4), NSG_CT_TCP_ESTABLISHED);
  assert_int_equal(nsg_ct_packet(ct, id, false, NSG_TCP_FIN | NSG_TCP_ACK, 54, 5), NSG_CT_TCP_FIN_WAIT);
  assert_int_equal(nsg_ct_packet(ct, id, true, NSG_TCP_FIN | NSG_TCP_ACK, 54, 6), NSG_CT_TCP_CLOSING);
  assert_int_equal(nsg_ct_packet(ct, id, false, NSG_TCP_ACK, 54, 7), NSG_CT_TCP_TIME_WAIT);
  struct nsg_flow_info i;
  assert_int_equal(nsg_ct_get(ct, id, &i), 0);
  assert_int_equal(i.pkts[0], 3);
  assert_int_equal(i.pkts[1], 4);
  assert_int_equal(i.bytes[1], 60 + 1000 + 54 + 54);
  assert_int_equal(i.tag, 7);
  /* TIME_WAIT lasts 10 s of simulated time, then the flow ends with reason FIN */
  assert_int_equal(nsg_ct_expire(ct, 7 + 10 * S - 1, 0), 0);
  assert_int_equal(nsg_ct_expire(ct, 7 + 10 * S, 0), 1);
  assert_int_equal(e.n, 1);
  assert_int_equal(e.last, NSG_END_FIN);
  assert_int_equal(nsg_ct_lookup(ct, &k), -ENOENT);
  nsg_ct_free(ct);
}

static void test_rst_and_pickup(void **st)
{
  (void)st;
  struct ends e;
  struct nsg_ct *ct = ct_new(&e);
  struct nsg_flow_key k = key(0, 6, 0x0a000004, 0x0a000005, 22, 50000);
  long id = nsg_ct_create(ct, &k, false, 0, 0, NSG_FLOW_SW, 0);
  /* first packet without SYN: picked up as established (loose pick-up after a restart) */
  assert_int_equal(nsg_ct_packet(ct, id, true, NSG_TCP_ACK, 54, 0), NSG_CT_TCP_ESTABLISHED);
  assert_int_equal(nsg_ct_packet(ct, id, false, NSG_TCP_RST, 54, S), NSG_CT_TCP_CLOSED);
  assert_int_equal(nsg_ct_expire(ct, 11 * S - 1, 0), 0);
  assert_int_equal(nsg_ct_expire(ct, 11 * S, 0), 1);
  assert_int_equal(e.last, NSG_END_RST);
  nsg_ct_free(ct);
}

/* Timeouts per state in simulated time: half-open 30 s, established = the flow's VNet timeout
 * (flowTimeoutInMinutes, default 4 min), closing 30 s; a packet restarts the clock. */
static void test_timeouts(void **st)
{
  (void)st;
  struct ends e;
  struct nsg_ct *ct = ct_new(&e);
  struct nsg_flow_key a = key(0, 6, 1, 2, 1000, 80), b = key(0, 6, 1, 2, 1001, 80), c = key(0, 6, 1, 2, 1002, 80);
  long ia = nsg_ct_create(ct, &a, true, 0, 0, NSG_FLOW_SW, 0);          /* default 4 min */
  long ib = nsg_ct_create(ct, &b, true, 0, 10 * 60 * S, NSG_FLOW_SW, 0); /* VNet: 10 min */
  long ic = nsg_ct_create(ct, &c, true, 0, 0, NSG_FLOW_SW, 0);
  long ids[2] = {ia, ib};
  for (int j = 0; j < 2; j++) {
    nsg_ct_packet(ct, ids[j], true, NSG_TCP_SYN, 60, 0);
    nsg_ct_packet(ct, ids[j], false, NSG_TCP_SYN | NSG_TCP_ACK, 60, 0);
    nsg_ct_packet(ct, ids[j], true, NSG_TCP_ACK, 60, 0);
  }
  nsg_ct_packet(ct, ic, true, NSG_TCP_SYN, 60, 0); /* half-open */
  assert_int_equal(nsg_ct_expire(ct, 30 * S - 1, 0), 0);
  assert_int_equal(nsg_ct_expire(ct, 30 * S, 0), 1);
  assert_int_equal(e.info.key.lport, 1002);
  assert_int_equal(e.last, NSG_END_IDLE);
  nsg_ct_packet(ct, ia, false, NSG_TCP_ACK, 60, 100 * S); /* restarts a's clock */
  assert_int_equal(nsg_ct_expire(ct, 240 * S, 0), 0);
  assert_int_equal(nsg_ct_expire(ct, 340 * S, 0), 1);
  assert_int_equal(e.info.key.lport, 1000);
  assert_int_equal(nsg_ct_expire(ct, 600 * S - 1, 0), 0);
  assert_int_equal(nsg_ct_expire(ct, 600 * S, 0), 1);
  assert_int_equal(e.info.key.lport, 1001);
  /* closing: 30 s */
  long id = nsg_ct_create(ct, &a, true, 0, 0, NSG_FLOW_SW, 1000 * S);
  nsg_ct_packet(ct, id, true, NSG_TCP_ACK, 60, 1000 * S);
  nsg_ct_packet(ct, id, true, NSG_TCP_FIN | NSG_TCP_ACK, 60, 1000 * S);
  assert_int_equal(nsg_ct_timeout(ct, NSG_CT_TCP_FIN_WAIT, 0), 30 * S);
  assert_int_equal(nsg_ct_expire(ct, 1030 * S, 0), 1);
  nsg_ct_free(ct);
}

static void test_udp_icmp_states(void **st)
{
  (void)st;
  struct ends e;
  struct nsg_ct *ct = ct_new(&e);
  struct nsg_flow_key u = key(0, 17, 1, 2, 5353, 53), i = key(0, 1, 1, 2, 77, 77), o = key(0, 50, 1, 2, 0, 0);
  long iu = nsg_ct_create(ct, &u, true, 0, 0, NSG_FLOW_SW, 0);
  long ii = nsg_ct_create(ct, &i, true, 0, 0, NSG_FLOW_SW, 0);
  long io = nsg_ct_create(ct, &o, false, 0, 0, NSG_FLOW_SW, 0);
  assert_int_equal(nsg_ct_packet(ct, iu, true, 0, 80, 0), NSG_CT_UDP_NEW);
  assert_int_equal(nsg_ct_packet(ct, iu, true, 0, 80, 0), NSG_CT_UDP_NEW);
  assert_int_equal(nsg_ct_packet(ct, ii, true, 0, 98, 0), NSG_CT_ICMP_NEW);
  assert_int_equal(nsg_ct_packet(ct, ii, false, 0, 98, 0), NSG_CT_ICMP_REPLIED);
  assert_int_equal(nsg_ct_packet(ct, io, true, 0, 98, 0), NSG_CT_OTHER_NEW);
  /* UDP without reply: 30 s; ICMP: 30 s; */
  assert_int_equal(nsg_ct_expire(ct, 30 * S, 0), 3);
  iu = nsg_ct_create(ct, &u, true, 0, 0, NSG_FLOW_SW, 100 * S);
  nsg_ct_packet(ct, iu, true, 0, 80, 100 * S);
  assert_int_equal(nsg_ct_packet(ct, iu, false, 0, 80, 100 * S), NSG_CT_UDP_REPLIED);
  assert_int_equal(nsg_ct_expire(ct, 130 * S, 0), 0); /* replied UDP: the flow timeout (4 min) */
  assert_int_equal(nsg_ct_expire(ct, 340 * S, 0), 1);
  nsg_ct_free(ct);
}

/* S5: at most N flows per NIC per direction; beyond it new connections fail (counted), existing
 * ones keep working, other NICs and the other direction are not affected. */
static void test_per_nic_limit(void **st)
{
  (void)st;
  struct nsg_ct_opts o;
  nsg_ct_opts_default(&o);
  o.per_nic_limit = 100;
  struct nsg_ct *ct = nsg_ct_new(&o);
  assert_non_null(ct);
  for (unsigned p = 0; p < 100; p++) {
    struct nsg_flow_key k = key(3, 6, 1, 2, (uint16_t)(1000 + p), 80);
    assert_true(nsg_ct_create(ct, &k, true, 0, 0, NSG_FLOW_SW, 0) >= 0);
  }
  struct nsg_flow_key extra = key(3, 6, 1, 2, 2000, 80);
  assert_int_equal(nsg_ct_create(ct, &extra, true, 0, 0, NSG_FLOW_SW, 0), -EDQUOT);
  assert_int_equal(nsg_ct_create(ct, &extra, true, 0, 0, NSG_FLOW_SW, 0), -EDQUOT);
  struct nsg_ct_stats s;
  nsg_ct_get_stats(ct, &s);
  assert_int_equal(s.limit_drops, 2);
  struct nsg_flow_key in = key(3, 6, 1, 2, 80, 2000); /* inbound-initiated: its own budget */
  assert_true(nsg_ct_create(ct, &in, false, 0, 0, NSG_FLOW_SW, 0) >= 0);
  struct nsg_flow_key other = key(4, 6, 1, 2, 2000, 80);
  assert_true(nsg_ct_create(ct, &other, true, 0, 0, NSG_FLOW_SW, 0) >= 0);
  struct nsg_flow_key old = key(3, 6, 1, 2, 1000, 80);
  long id = nsg_ct_lookup(ct, &old);
  assert_true(id >= 0); /* existing flows keep working */
  assert_true(nsg_ct_packet(ct, id, false, NSG_TCP_ACK, 60, 1) >= 0);
  assert_int_equal(nsg_ct_nic_count(ct, 3, true), 100);
  nsg_ct_end(ct, id, NSG_END_IDLE); /* room again */
  assert_true(nsg_ct_create(ct, &extra, true, 0, 0, NSG_FLOW_SW, 2) >= 0);
  nsg_ct_free(ct);
}

static void test_capacity_and_growth(void **st)
{
  (void)st;
  struct nsg_ct_opts o;
  nsg_ct_opts_default(&o);
  o.max_flows = 20000;
  struct nsg_ct *ct = nsg_ct_new(&o);
  for (uint32_t n = 0; n < 20000; n++) {
    struct nsg_flow_key k = key((uint16_t)(n % 7), 17, n, ~n, (uint16_t)n, 53);
    assert_int_equal(nsg_ct_create(ct, &k, n & 1, n, 0, NSG_FLOW_SW, n), n);
  }
  struct nsg_flow_key k = key(0, 17, 99999, 1, 1, 1);
  assert_int_equal(nsg_ct_create(ct, &k, true, 0, 0, NSG_FLOW_SW, 0), -ENOSPC);
  for (uint32_t n = 0; n < 20000; n += 97) {
    struct nsg_flow_key q = key((uint16_t)(n % 7), 17, n, ~n, (uint16_t)n, 53);
    assert_int_equal(nsg_ct_lookup(ct, &q), n);
  }
  /* aging in LRU order, bounded by the budget */
  assert_int_equal(nsg_ct_expire(ct, 30 * S + 100, 50), 50);
  assert_int_equal(nsg_ct_expire(ct, 30 * S + 100, 0), 51);
  assert_int_equal(nsg_ct_expire(ct, 40 * S, 0), 20000 - 101);
  struct nsg_ct_stats s;
  nsg_ct_get_stats(ct, &s);
  assert_int_equal(s.flows, 0);
  assert_int_equal(s.table_full, 1);
  nsg_ct_free(ct);
}

/* The index (open addressing, overflow counts) against a reference model: a small table (probing
 * past full buckets is the rule, not the exception) under random creates, duplicate creates,
 * ends and lookups; every lookup agrees, a duplicate create changes nothing (ids stay those a
 * fresh table would give). */
static void test_index_random(void **st)
{
  (void)st;
  enum { MAX = 24, KEYS = 64, OPS = 200000 };
  struct nsg_ct_opts o;
  nsg_ct_opts_default(&o);
  o.max_flows = MAX; /* 4 buckets of 8 slots for 24 flows */
  struct nsg_ct *ct = nsg_ct_new(&o);
  assert_non_null(ct);
  long ref[KEYS];
  bool slot_used[MAX] = {0};
  size_t live = 0;
  for (int i = 0; i < KEYS; i++)
    ref[i] = -ENOENT;
  uint64_t r = 0x9e3779b97f4a7c15ull;
  for (int op = 0; op < OPS; op++) {
    r ^= r << 13, r ^= r >> 7, r ^= r << 17;
    int i = (int)(r % KEYS);
    struct nsg_flow_key k = key((uint16_t)(i & 1), 17, 0x0a000001u, (uint32_t)i * 7919u, (uint16_t)i, 53);
    switch ((r >> 32) % 3) {
    case 0: { /* create (new or duplicate) */
      long id = nsg_ct_create(ct, &k, true, 0, 0, NSG_FLOW_SW, 0);
      if (ref[i] >= 0) {
        assert_int_equal(id, -EEXIST);
      } else if (live == MAX) {
        assert_int_equal(id, -ENOSPC);
      } else {
        assert_true(id >= 0 && id < MAX);
        assert_false(slot_used[id]);
        slot_used[id] = true;
        ref[i] = id;
        live++;
      }
      break;
    }
    case 1: /* end */
      if (ref[i] >= 0) {
        assert_int_equal(nsg_ct_end(ct, ref[i], NSG_END_IDLE), 0);
        slot_used[ref[i]] = false;
        ref[i] = -ENOENT;
        live--;
      }
      break;
    default:
      assert_int_equal(nsg_ct_lookup(ct, &k), ref[i]);
    }
  }
  for (int i = 0; i < KEYS; i++) {
    struct nsg_flow_key k = key((uint16_t)(i & 1), 17, 0x0a000001u, (uint32_t)i * 7919u, (uint16_t)i, 53);
    assert_int_equal(nsg_ct_lookup(ct, &k), ref[i]);
  }
  struct nsg_ct_stats s;
  nsg_ct_get_stats(ct, &s);
  assert_int_equal(s.flows, live);
  nsg_ct_free(ct);
}

/* A create of a key that exists leaves the slot allocation as it was: the next new flow gets the
 * slot it would have got (a fresh one, or the one freed last). */
static void test_create_exists_undo(void **st)
{
  (void)st;
  struct ends e;
  struct nsg_ct *ct = ct_new(&e);
  struct nsg_flow_key a = key(0, 6, 1, 2, 1000, 80), b = key(0, 6, 1, 2, 1001, 80), c = key(0, 6, 1, 2, 1002, 80);
  assert_int_equal(nsg_ct_create(ct, &a, true, 0, 0, NSG_FLOW_SW, 0), 0);
  assert_int_equal(nsg_ct_create(ct, &a, true, 0, 0, NSG_FLOW_SW, 0), -EEXIST);
  assert_int_equal(nsg_ct_create(ct, &b, true, 0, 0, NSG_FLOW_SW, 0), 1); /* fresh slot 1 */
  assert_int_equal(nsg_ct_end(ct, 0, NSG_END_FIN), 0);
  assert_int_equal(nsg_ct_create(ct, &b, true, 0, 0, NSG_FLOW_SW, 0), -EEXIST);
  assert_int_equal(nsg_ct_create(ct, &c, true, 0, 0, NSG_FLOW_SW, 0), 0); /* the freed slot 0 */
  assert_int_equal(nsg_ct_lookup(ct, &b), 1);
  assert_int_equal(nsg_ct_lookup(ct, &a), -ENOENT);
  struct nsg_flow_info i;
  assert_int_equal(nsg_ct_get(ct, 1, &i), 0);
  assert_int_equal(i.key.lport, 1001);
  nsg_ct_free(ct);
}

/* nsg_ct_lookup_bulk gives nsg_ct_lookup's answers, batch sizes around its internal group. */
static void test_lookup_bulk(void **st)
{
  (void)st;
  enum { N = 3000 };
  struct nsg_ct_opts o;
  nsg_ct_opts_default(&o);
  o.max_flows = N;
  struct nsg_ct *ct = nsg_ct_new(&o);
  static struct nsg_flow_key k[2 * N];
  static const struct nsg_flow_key *kp[2 * N];
  static long ids[2 * N];
  for (uint32_t n = 0; n < 2 * N; n++) {
    k[n] = key(0, 6, 0x0a000001u, n * 2654435761u, (uint16_t)n, 443);
    kp[n] = &k[(n * 7u) % (2 * N)];
    if (n < N)
      assert_int_equal(nsg_ct_create(ct, &k[n], true, 0, 0, NSG_FLOW_SW, 0), n);
  }
  for (size_t batch = 1; batch <= 130; batch += 43)
    for (size_t at = 0; at + batch <= 2 * N; at += batch) {
      nsg_ct_lookup_bulk(ct, &kp[at], batch, &ids[at]);
      for (size_t j = at; j < at + batch; j++)
        assert_int_equal(ids[j], nsg_ct_lookup(ct, kp[j]));
    }
  nsg_ct_free(ct);
}

/* nsg_ct_set_nic (a NIC renumbered by a reload) moves the flow's key in the index and in the key
 * store the lookups compare: the new key is found by both lookups, the old one by neither; a
 * renumbering onto an existing flow's key is refused and changes nothing; IPv6 keys differing in
 * one word only are told apart (every word of the key is compared). */
static void test_set_nic_and_key_words(void **st)
{
  (void)st;
  struct ends e;
  struct nsg_ct *ct = ct_new(&e);
  struct nsg_flow_key a = key(0, 6, 1, 2, 1000, 80), b = a, c = a;
  b.nic = 3;
  c.nic = 5;
  long id = nsg_ct_create(ct, &a, true, 0, 0, NSG_FLOW_SW, 0);
  long other = nsg_ct_create(ct, &c, true, 0, 0, NSG_FLOW_SW, 0);
  assert_true(id >= 0 && other >= 0);
  assert_int_equal(nsg_ct_set_nic(ct, id, 3), 0);
  const struct nsg_flow_key *kp[3] = {&a, &b, &c};
  long ids[3];
  nsg_ct_lookup_bulk(ct, kp, 3, ids);
  assert_int_equal(nsg_ct_lookup(ct, &a), -ENOENT);
  assert_int_equal(ids[0], -ENOENT);
  assert_int_equal(nsg_ct_lookup(ct, &b), id);
  assert_int_equal(ids[1], id);
  assert_int_equal(ids[2], other);
  assert_int_equal(nsg_ct_set_nic(ct, id, 5), -EEXIST);
  assert_int_equal(nsg_ct_lookup(ct, &b), id);
  struct nsg_flow_info i;
  assert_int_equal(nsg_ct_get(ct, id, &i), 0);
  assert_int_equal(i.key.nic, 3);
  /* IPv6: keys equal but for one 32-bit quarter of one word of the key */
  struct nsg_flow_key v6 = key(1, 17, 0, 0, 53, 53000);
  v6.fam = 6;
  v6.local[0] = 0xfd10001000000001ull;
  v6.local[1] = 4;
  v6.remote[0] = 0x2603100000000000ull;
  v6.remote[1] = 0x77;
  long base = nsg_ct_create(ct, &v6, false, 0, 0, NSG_FLOW_SW, 0);
  assert_true(base >= 0);
  for (int w = 0; w < 5; w++) {
    struct nsg_flow_key d = v6;
    uint32_t q[10];
    memcpy(q, &d, sizeof q);
    q[2 * w + 1] ^= 0x100u;
    memcpy(&d, q, sizeof q);
    assert_int_equal(nsg_ct_lookup(ct, &d), -ENOENT);
    long nid = nsg_ct_create(ct, &d, false, 0, 0, NSG_FLOW_SW, 0);
    assert_true(nid >= 0 && nid != base);
    assert_int_equal(nsg_ct_lookup(ct, &d), nid);
  }
  assert_int_equal(nsg_ct_lookup(ct, &v6), base);
  nsg_ct_free(ct);
}

/* Hardware flows age through the device's idle reports, not the host's clock. */
static void test_hw_idle(void **st)
{
  (void)st;
  struct ends e;
  struct nsg_ct *ct = ct_new(&e);
  struct nsg_flow_key k = key(0, 6, 1, 2, 1000, 80);
  long id = nsg_ct_create(ct, &k, true, 0, 0, NSG_FLOW_HW, 0);
  assert_int_equal(nsg_ct_expire(ct, 1000 * S, 0), 0); /* not aged by host time */
  uint64_t p[2] = {10, 8}, b[2] = {1000, 9000};
  assert_int_equal(nsg_ct_hw_idle(ct, id, 60 * S, 0, 0, p, b, 1000 * S), 0); /* established: 4 min */
  struct nsg_flow_info i;
  nsg_ct_get(ct, id, &i);
  assert_int_equal(i.state, NSG_CT_TCP_ESTABLISHED);
  assert_int_equal(i.pkts[1], 8);
  assert_int_equal(nsg_ct_hw_idle(ct, id, 30 * S, 2, 0, p, b, 1100 * S), 1); /* FIN seen: 30 s */
  assert_int_equal(e.n, 1);
  id = nsg_ct_create(ct, &k, false, 0, 0, NSG_FLOW_HW, 0);
  assert_int_equal(nsg_ct_hw_idle(ct, id, 10 * S, 4, 0, p, b, 1200 * S), 1); /* RST: 10 s */
  assert_int_equal(e.last, NSG_END_RST);
  id = nsg_ct_create(ct, &k, false, 0, 0, NSG_FLOW_HW, 0);
  assert_int_equal(nsg_ct_set_where(ct, id, NSG_FLOW_SW, 0, 1300 * S), 0); /* moved to software */
  assert_int_equal(nsg_ct_expire(ct, 1300 * S + 29 * S, 0), 0);
  assert_int_equal(nsg_ct_expire(ct, 1300 * S + 30 * S, 0), 1); /* no packet yet: half-open */
  nsg_ct_free(ct);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_tcp_transitions),   cmocka_unit_test(test_tcp_lifecycle_and_reply_lookup),
      cmocka_unit_test(test_rst_and_pickup),    cmocka_unit_test(test_timeouts),
      cmocka_unit_test(test_udp_icmp_states),   cmocka_unit_test(test_per_nic_limit),
      cmocka_unit_test(test_capacity_and_growth), cmocka_unit_test(test_hw_idle),
      cmocka_unit_test(test_index_random),      cmocka_unit_test(test_create_exists_undo),
      cmocka_unit_test(test_lookup_bulk),       cmocka_unit_test(test_set_nic_and_key_words),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

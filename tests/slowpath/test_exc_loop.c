/* SPDX-License-Identifier: Apache-2.0 */
/* The exception loop against an in-memory fake device (event ring of EVT_RING_SLOTS slots with
 * the firmware's drop-and-count overflow, a small flow cache, a re-inject port that can push
 * back, a failure switch). Fault tests: bursts larger than the ring, back-pressure, a device that
 * stops answering, idle reports, and a host restart that rebuilds its flow view from the device
 * without dropping established flows. */
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

#include "fixture.h"
#include "frames.h"
#include "nsgnic/abi.h"
#include "nsgnic/slowpath.h"

#define S NSG_SEC
#define WEB "10.0.1.4"
#define NET "8.8.8.8"
#define RING NSGNIC_EVT_RING_SLOTS
#define FLOWS 64

struct fake {
  uint32_t ring[RING][NSGNIC_SLOT_WORDS];
  uint32_t head, tail;
  uint64_t lost, posted;
  uint32_t flows[FLOWS][16];
  bool used[FLOWS];
  unsigned reinjected, installs, deletes;
  int push_back;   /* reinject returns -EAGAIN while > 0 (decremented), or always when < 0 */
  bool down;       /* every operation fails with -ETIMEDOUT */
  /* parked exceptions (CAP_EXC_PARK): token = event sequence word */
  uint32_t seq;
  bool parked[512];
  unsigned released_fwd, released_drop;
  uint16_t last_port;
};

static void post(struct fake *d, const uint32_t *slot)
{
  d->posted++;
  if (d->head - d->tail == RING) { /* firmware: ring full, the event is dropped and counted */
    d->lost++;
    return;
  }
  memcpy(d->ring[d->head % RING], slot, NSGNIC_SLOT_WORDS * 4);
  d->head++;
}

static void post_exception(struct fake *d, struct frame f, unsigned reason)
{
  uint32_t s[NSGNIC_SLOT_WORDS] = {0};
  NSGNIC_PUT(s, EVT_HDR_CODE, NSGNIC_EVT_EXCEPTION);
  NSGNIC_PUT(s, EVT_HDR_VERSION, NSGNIC_MBOX_VERSION);
  NSGNIC_PUT(s, EVT_HDR_LEN, NSGNIC_MSG_PAYLOAD_WORDS);
  uint32_t *pl = s + NSGNIC_MSG_HDR_WORDS;
  NSGNIC_PUT(pl, P_EXC_REASON, reason);
  NSGNIC_PUT(pl, P_EXC_PKT_LEN, f.n);
  size_t h = f.n < NSGNIC_EXC_HEAD_BYTES ? f.n : NSGNIC_EXC_HEAD_BYTES;
  NSGNIC_PUT(pl, P_EXC_HEAD_LEN, h);
  for (size_t i = 0; i < h; i++)
    pl[2 + i / 4] |= (uint32_t)f.b[i] << (8 * (i % 4));
  post(d, s);
}

/* An exception the device keeps parked until released (the token is the sequence word). */
static uint32_t post_parked(struct fake *d, struct frame f, unsigned reason)
{
  post_exception(d, f, reason);
  uint32_t *s = d->ring[(d->head - 1) % RING];
  uint32_t token = d->seq++;
  s[1] = token;
  NSGNIC_PUT(s + NSGNIC_MSG_HDR_WORDS, P_EXC_PARKED, 1);
  d->parked[token] = true;
  return token;
}

static int f_release(void *dev, uint32_t token, uint16_t port, bool forward)
{
  struct fake *d = dev;
  if (d->down)
    return -ETIMEDOUT;
  if (token >= 512 || !d->parked[token])
    return -ENOENT;
  d->parked[token] = false;
  if (forward)
    d->released_fwd++, d->last_port = port;
  else
    d->released_drop++;
  return 0;
}

static void post_idle(struct fake *d, uint32_t index, uint32_t idle_ticks)
{
  uint32_t s[NSGNIC_SLOT_WORDS] = {0};
  NSGNIC_PUT(s, EVT_HDR_CODE, NSGNIC_EVT_IDLE_FLOW);
  NSGNIC_PUT(s, EVT_HDR_VERSION, NSGNIC_MBOX_VERSION);
  NSGNIC_PUT(s, EVT_HDR_LEN, 18);
  uint32_t *pl = s + NSGNIC_MSG_HDR_WORDS;
  NSGNIC_PUT(pl, P_IDLE_INDEX, index);
  NSGNIC_PUT(pl, P_IDLE_IDLE, idle_ticks);
  memcpy(pl + 2, d->flows[index], 64);
  post(d, s);
}

static int f_read_event(void *dev, uint32_t slot[32])
{
  struct fake *d = dev;
  if (d->down)
    return -ETIMEDOUT;
  if (d->head == d->tail)
    return 0;
  memcpy(slot, d->ring[d->tail % RING], NSGNIC_SLOT_WORDS * 4);
  d->tail++;
  return 1;
}

static long f_install(void *dev, const uint32_t e[16])
{
  struct fake *d = dev;
  if (d->down)
    return -ETIMEDOUT;
  for (int i = 0; i < FLOWS; i++)
    if (!d->used[i]) {
      d->used[i] = true;
      memcpy(d->flows[i], e, 64);
      d->installs++;
      return i;
    }
  return -ENOSPC;
}

static int f_delete(void *dev, uint32_t index, const uint32_t e[16])
{
  struct fake *d = dev;
  if (d->down)
    return -ETIMEDOUT;
  if (index >= FLOWS || !d->used[index] || memcmp(d->flows[index], e, 40) != 0)
    return -ENOENT;
  d->used[index] = false;
  d->deletes++;
  return 0;
}

static int f_reinject(void *dev, uint16_t port, const uint8_t *p, size_t n)
{
  (void)port, (void)p, (void)n;
  struct fake *d = dev;
  if (d->down)
    return -ETIMEDOUT;
  if (d->push_back < 0)
    return -EAGAIN;
  if (d->push_back > 0) {
    d->push_back--;
    return -EAGAIN;
  }
  d->reinjected++;
  return 0;
}

static int f_read_flow(void *dev, uint32_t i, uint32_t e[16])
{
  struct fake *d = dev;
  if (d->down)
    return -ETIMEDOUT;
  if (!d->used[i])
    return 0;
  memcpy(e, d->flows[i], 64);
  return 1;
}

static uint32_t f_slots(void *dev)
{
  (void)dev;
  return FLOWS;
}

static uint64_t f_lost(void *dev)
{
  return ((struct fake *)dev)->lost;
}

static const struct nsg_dev_ops fake_ops = {f_read_event, NULL, f_install, f_delete, f_reinject, f_read_flow, f_slots,
                                            f_lost, f_release, NULL};

/* next_flow (a device that skips empty slots, as the DRAM tier's bucket walk): counted */
static unsigned next_calls;
static int f_next_flow(void *dev, uint32_t from, uint32_t *index, uint32_t e[16])
{
  struct fake *d = dev;
  next_calls++;
  if (d->down)
    return -ETIMEDOUT;
  for (uint32_t i = from; i < FLOWS; i++)
    if (d->used[i]) {
      memcpy(e, d->flows[i], 64);
      *index = i;
      return 1;
    }
  return 0;
}
static const struct nsg_dev_ops fake_ops_next = {f_read_event, NULL, f_install, f_delete, f_reinject, f_read_flow,
                                                 f_slots, f_lost, f_release, f_next_flow};
static const struct nsg_dev_ops *rig_ops = &fake_ops;

struct rig {
  struct nsg_config *cfg;
  struct nsg_slowpath *sp;
  struct nsg_exc *x;
  struct fake *d;
};

static int nic_index(const struct nsg_config *cfg, const char *name)
{
  (void)cfg;
  return strcmp(name, "nic-web") == 0 ? 0 : -1;
}

static void rig_up(struct rig *r, struct fake *d, size_t max_pending)
{
  r->cfg = fx_config("w", NULL, NSG("w", RULE("Allow-443", 100, "Inbound", "Allow", "Tcp", "*", "*", "*", "443")),
                     NULL);
  r->sp = nsg_slowpath_new(r->cfg, NULL);
  assert_non_null(r->sp);
  struct nsg_exc_opts o;
  nsg_exc_opts_default(&o);
  o.max_pending = max_pending;
  r->d = d;
  r->x = nsg_exc_new(r->sp, rig_ops, d, &o);
  assert_non_null(r->x);
  assert_int_equal(nic_index(r->cfg, "nic-web"), 0);
}

static void rig_down(struct rig *r)
{
  nsg_exc_free(r->x);
  nsg_slowpath_free(r->sp);
  nsg_config_free(r->cfg);
}

static void drain(struct rig *r, uint64_t now)
{
  for (int i = 0; i < 1000; i++) {
    int n = nsg_exc_poll(r->x, now);
    assert_true(n >= 0);
    if (n == 0)
      break;
  }
}

/* A burst of 300 exceptions into a 128-slot ring: the device drops and counts the overflow; the
 * host handles the rest in bounded batches; every exception ends in exactly one counter. Flows
 * beyond the device's flow cache stay in software. */
static void burst_larger_than_ring(void **st)
{
  (void)st;
  struct fake *d = calloc(1, sizeof *d);
  struct rig r;
  rig_up(&r, d, 16);
  for (unsigned i = 0; i < 300; i++)
    post_exception(d, fr(WEB, 10000 + i, NET, 443, 6, T_SYN), NSGNIC_REASON_IPV4_FRAGMENT);
  assert_int_equal(nsg_exc_poll(r.x, 0), 64); /* one batch */
  drain(&r, 0);
  struct nsg_exc_stats s;
  nsg_exc_get_stats(r.x, &s);
  assert_int_equal(s.exceptions + s.events_lost, 300);
  assert_int_equal(s.events_lost, 300 - RING);
  assert_int_equal(s.forwarded, RING);
  assert_int_equal(s.reinjected, RING);
  assert_int_equal(s.hw_installed, FLOWS);
  assert_int_equal(s.hw_full, RING - FLOWS);
  struct nsg_ct_stats cs;
  nsg_ct_get_stats(nsg_slowpath_ct(r.sp), &cs);
  assert_int_equal(cs.flows, RING);
  rig_down(&r);
  free(d);
}

/* The device pushes back on re-injection: the loop holds at most max_pending packets, stops
 * reading exceptions meanwhile, and delivers every one once the device takes them again. */
static void back_pressure(void **st)
{
  (void)st;
  struct fake *d = calloc(1, sizeof *d);
  struct rig r;
  rig_up(&r, d, 8);
  for (unsigned i = 0; i < 100; i++)
    post_exception(d, fr(NET, 20000 + i, WEB, 443, 6, T_SYN), NSGNIC_REASON_IPV4_FRAGMENT);
  d->push_back = -1;
  for (int i = 0; i < 10; i++)
    nsg_exc_poll(r.x, (uint64_t)i);
  struct nsg_exc_stats s;
  nsg_exc_get_stats(r.x, &s);
  assert_int_equal(s.pending, 8);
  assert_int_equal(s.exceptions, 8); /* no more read while the queue is full */
  assert_int_equal(d->head - d->tail, 92);
  d->push_back = 0;
  drain(&r, 20);
  nsg_exc_get_stats(r.x, &s);
  assert_int_equal(s.exceptions, 100);
  assert_int_equal(s.reinjected, 100);
  assert_int_equal(s.reinject_dropped, 0);
  assert_int_equal(s.pending, 0);
  rig_down(&r);
  free(d);
}

/* A device that stops answering: errors are counted, "device down" after the timeout, no flow is
 * lost; when it answers again the loop carries on. */
static void device_stops_answering(void **st)
{
  (void)st;
  struct fake *d = calloc(1, sizeof *d);
  struct rig r;
  rig_up(&r, d, 8);
  post_exception(d, fr(WEB, 30000, NET, 80, 6, T_SYN), NSGNIC_REASON_IPV4_FRAGMENT);
  drain(&r, 0);
  d->down = true;
  assert_int_equal(nsg_exc_poll(r.x, 1 * S), -ETIMEDOUT);
  struct nsg_exc_stats s;
  nsg_exc_get_stats(r.x, &s);
  assert_false(s.device_down);
  assert_int_equal(nsg_exc_poll(r.x, 3 * S), -ETIMEDOUT);
  nsg_exc_get_stats(r.x, &s);
  assert_true(s.device_down);
  assert_int_equal(s.dev_errors, 2);
  struct nsg_ct_stats cs;
  nsg_ct_get_stats(nsg_slowpath_ct(r.sp), &cs);
  assert_int_equal(cs.flows, 1);
  d->down = false;
  post_exception(d, fr(NET, 80, WEB, 30000, 6, T_SYN | T_ACK), NSGNIC_REASON_FLOW_OVF_DENY);
  assert_int_equal(nsg_exc_poll(r.x, 4 * S), 1);
  nsg_exc_get_stats(r.x, &s);
  assert_false(s.device_down);
  assert_int_equal(s.forwarded, 2);
  rig_down(&r);
  free(d);
}

/* Hardware flows age by the device's idle reports with the host's per-state timeouts (the
 * fixture VNet's flowTimeoutInMinutes = 10 for established flows). */
static void idle_reports(void **st)
{
  (void)st;
  struct fake *d = calloc(1, sizeof *d);
  struct rig r;
  rig_up(&r, d, 8);
  post_exception(d, fr(WEB, 30000, NET, 80, 6, T_SYN), NSGNIC_REASON_IPV4_FRAGMENT);
  drain(&r, 0);
  assert_true(d->used[0]);
  /* the device saw the handshake: 2 packets each way, no FIN */
  NSGNIC_PUT(d->flows[0], FLOW_PKTS_OUT, 2);
  NSGNIC_PUT(d->flows[0], FLOW_PKTS_IN, 2);
  post_idle(d, 0, 5 * 60 * 10); /* 5 min in 100 ms ticks */
  drain(&r, 100 * S);
  assert_true(d->used[0]);
  post_idle(d, 0, 10 * 60 * 10);
  drain(&r, 400 * S);
  assert_false(d->used[0]);
  struct nsg_exc_stats s;
  nsg_exc_get_stats(r.x, &s);
  assert_int_equal(s.idle_reports, 2);
  assert_int_equal(s.hw_deleted, 1);
  struct nsg_ct_stats cs;
  nsg_ct_get_stats(nsg_slowpath_ct(r.sp), &cs);
  assert_int_equal(cs.flows, 0);
  rig_down(&r);
  free(d);
}

/* Hardware aging (CAP_HW_AGING, S5 idle timeouts): the device's engine deleted the flow and
 * reports it (EVT_FLOW_EXPIRED): the host ends it with the device's final counters, deletes
 * nothing itself. */
static void hw_expired_reports(void **st)
{
  (void)st;
  struct fake *d = calloc(1, sizeof *d);
  struct rig r;
  rig_up(&r, d, 8);
  post_exception(d, fr(WEB, 30001, NET, 80, 6, T_SYN), NSGNIC_REASON_IPV4_FRAGMENT);
  drain(&r, 0);
  assert_true(d->used[0]);
  NSGNIC_PUT(d->flows[0], FLOW_PKTS_OUT, 7);
  uint32_t s[NSGNIC_SLOT_WORDS] = {0};
  NSGNIC_PUT(s, EVT_HDR_CODE, NSGNIC_EVT_FLOW_EXPIRED);
  NSGNIC_PUT(s, EVT_HDR_VERSION, NSGNIC_MBOX_VERSION);
  NSGNIC_PUT(s, EVT_HDR_LEN, 18);
  uint32_t *pl = s + NSGNIC_MSG_HDR_WORDS;
  NSGNIC_PUT(pl, P_IDLE_INDEX, 0);
  NSGNIC_PUT(pl, P_IDLE_IDLE, 30000); /* 50 minutes: past every timeout of the host */
  memcpy(pl + 2, d->flows[0], 64);
  d->used[0] = false; /* the engine deleted it */
  post(d, s);
  drain(&r, 300 * S);
  struct nsg_exc_stats es;
  nsg_exc_get_stats(r.x, &es);
  assert_int_equal(es.hw_expired, 1);
  assert_int_equal(es.hw_expired_early, 0);
  assert_int_equal(es.hw_deleted, 0);
  struct nsg_ct_stats cs;
  nsg_ct_get_stats(nsg_slowpath_ct(r.sp), &cs);
  assert_int_equal(cs.flows, 0);
  rig_down(&r);
  free(d);
}

/* Host restart: a new host process rebuilds its view from the device's flow table; the reply of
 * an established flow that the device punts (bucket overflow) still passes, although the rules
 * deny it. */
static void host_restart_rebuilds(void **st)
{
  (void)st;
  struct fake *d = calloc(1, sizeof *d);
  struct rig r;
  rig_up(&r, d, 8);
  for (unsigned i = 0; i < 10; i++)
    post_exception(d, fr(WEB, 31000 + i, NET, 80, 6, T_SYN), NSGNIC_REASON_IPV4_FRAGMENT);
  drain(&r, 0);
  for (int i = 0; i < 10; i++) {
    NSGNIC_PUT(d->flows[i], FLOW_PKTS_OUT, 5);
    NSGNIC_PUT(d->flows[i], FLOW_PKTS_IN, 4);
  }
  rig_down(&r); /* the host goes away; the device keeps its flows */
  rig_up(&r, d, 8);
  assert_int_equal(nsg_exc_rebuild(r.x, 50 * S), 10);
  assert_int_equal(nsg_exc_rebuild(r.x, 51 * S), 0); /* idempotent */
  /* a host whose device skips empty slots (next_flow, the DRAM tier's walk): the same flows, one
   * call per flow plus the last */
  rig_down(&r);
  rig_ops = &fake_ops_next;
  rig_up(&r, d, 8);
  next_calls = 0;
  assert_int_equal(nsg_exc_rebuild(r.x, 50 * S), 10);
  assert_int_equal(next_calls, 11);
  rig_ops = &fake_ops;
  post_exception(d, fr(NET, 80, WEB, 31003, 6, T_ACK), NSGNIC_REASON_FLOW_OVF_DENY);
  post_exception(d, fr(NET, 80, WEB, 39999, 6, T_ACK), NSGNIC_REASON_FLOW_OVF_DENY);
  drain(&r, 52 * S);
  struct nsg_exc_stats s;
  nsg_exc_get_stats(r.x, &s);
  assert_int_equal(s.forwarded, 1);
  assert_int_equal(s.dropped, 1);
  struct nsg_flow_key k = {.fam = 4, .proto = 6, .lport = 31003, .rport = 80, .nic = 0};
  k.local[0] = 0x0a000104;
  k.remote[0] = 0x08080808;
  long id = nsg_ct_lookup(nsg_slowpath_ct(r.sp), &k);
  assert_true(id >= 0);
  struct nsg_flow_info fi;
  nsg_ct_get(nsg_slowpath_ct(r.sp), id, &fi);
  assert_int_equal(fi.where, NSG_FLOW_HW);
  assert_int_equal(fi.state, NSG_CT_TCP_ESTABLISHED);
  assert_true(fi.init_outbound);
  rig_down(&r);
  free(d);
}

/* A packet longer than the exception head: the head is decided (IP lengths checked against the
 * whole packet), a head whose lengths contradict the packet is dropped. */
static void long_packet_head(void **st)
{
  (void)st;
  struct fake *d = calloc(1, sizeof *d);
  struct rig r;
  rig_up(&r, d, 8);
  uint8_t pay[150] = {0};
  struct frame f = fr_make(NET, WEB, 6, 7100, 443, T_SYN, 0, 9, pay, sizeof pay);
  assert_true(f.n > NSGNIC_EXC_HEAD_BYTES);
  post_exception(d, f, NSGNIC_REASON_HDR_BEYOND_WINDOW);
  struct frame g = f;
  g.b[14 + 2] = 0x40; /* IP total length 16 KiB: longer than the packet */
  post_exception(d, g, NSGNIC_REASON_HDR_BEYOND_WINDOW);
  drain(&r, 0);
  struct nsg_exc_stats s;
  nsg_exc_get_stats(r.x, &s);
  assert_int_equal(s.forwarded, 1);
  assert_int_equal(s.dropped, 1);
  assert_int_equal(s.hw_installed, 1);
  rig_down(&r);
  free(d);
}

/* flushConnection on a rule change: a hardware flow no longer allowed is deleted from the device. */
static void flush_deletes_hw_flow(void **st)
{
  (void)st;
  struct fake *d = calloc(1, sizeof *d);
  struct rig r;
  rig_up(&r, d, 8);
  post_exception(d, fr(NET, 7000, WEB, 443, 6, T_SYN), NSGNIC_REASON_IPV4_FRAGMENT);
  post_exception(d, fr(WEB, 7001, NET, 80, 6, T_SYN), NSGNIC_REASON_IPV4_FRAGMENT);
  drain(&r, 0);
  assert_true(d->used[0] && d->used[1]);
  struct nsg_config *cfg2 = fx_config(
      "w", NULL,
      "{\"type\":\"Microsoft.Network/networkSecurityGroups\",\"name\":\"w\",\"properties\":{\"flushConnection\":true,"
      "\"securityRules\":[]}}",
      NULL);
  assert_int_equal(nsg_slowpath_reload(r.sp, cfg2, S), 1);
  assert_false(d->used[0]); /* inbound 443: no longer allowed */
  assert_true(d->used[1]);  /* outbound: still allowed */
  nsg_config_free(r.cfg);
  r.cfg = cfg2;
  rig_down(&r);
  free(d);
}

struct reports {
  enum nsg_exc_fate fate[16];
  bool forward[16];
  uint32_t seq[16];
  unsigned n;
};

static void on_report(void *ctx, const struct nsg_exc_report *rep)
{
  struct reports *r = ctx;
  assert_true(rep->head != NULL || rep->fate == NSG_EXC_BAD);
  if (r->n < 16) {
    r->fate[r->n] = rep->fate;
    r->forward[r->n] = rep->r.forward;
    r->seq[r->n] = rep->seq;
    r->n++;
  }
}

static int port_of(void *ctx, int nic, bool inbound)
{
  (void)ctx;
  if (nic != 0)
    return -1;
  return inbound ? 0x000 : 0x107; /* the VF of vport 0 / the wire of context 7 */
}

/* Parked exceptions (CAP_EXC_PARK): each is released by its event's token — an allowed one
 * forwarded on the port its direction names (S5 flow installed), a denied one dropped; a token
 * the device no longer holds counts as expired; without a port to forward on, fail closed. */
static void parked_release(void **st)
{
  (void)st;
  struct fake *d = calloc(1, sizeof *d);
  struct rig r;
  r.cfg = fx_config("w", NULL, NSG("w", RULE("Allow-443", 100, "Inbound", "Allow", "Tcp", "*", "*", "*", "443")),
                    NULL);
  r.sp = nsg_slowpath_new(r.cfg, NULL);
  assert_non_null(r.sp);
  struct reports rep = {0};
  struct nsg_exc_opts o;
  nsg_exc_opts_default(&o);
  o.out_port_of = port_of;
  o.on_exception = on_report;
  o.report_ctx = &rep;
  r.d = d;
  r.x = nsg_exc_new(r.sp, &fake_ops, d, &o);
  assert_non_null(r.x);
  uint32_t t0 = post_parked(d, fr(NET, 7000, WEB, 443, 6, T_SYN), NSGNIC_REASON_IPV4_FRAGMENT); /* allowed in */
  uint32_t t1 = post_parked(d, fr(NET, 7001, WEB, 22, 6, T_SYN), NSGNIC_REASON_IPV4_FRAGMENT);  /* denied in */
  uint32_t t2 = post_parked(d, fr(WEB, 7002, NET, 80, 6, T_SYN), NSGNIC_REASON_IPV4_FRAGMENT);  /* allowed out */
  drain(&r, 0);
  assert_int_equal(d->released_fwd, 2);
  assert_int_equal(d->released_drop, 1);
  assert_int_equal(d->last_port, 0x107); /* outbound: the wire */
  assert_false(d->parked[t0] || d->parked[t1] || d->parked[t2]);
  assert_int_equal(rep.n, 3);
  for (unsigned i = 0; i < 3; i++) {
    assert_int_equal(rep.fate[i], NSG_EXC_RELEASED);
    assert_int_equal(rep.seq[i], i);
  }
  assert_true(rep.forward[0] && !rep.forward[1] && rep.forward[2]);
  /* the replies of the released connection are the flow's (installed in the device) */
  assert_int_equal(d->installs, 2);
  /* expired before the release: the device no longer holds it */
  uint32_t t3 = post_parked(d, fr(NET, 7003, WEB, 443, 6, T_SYN), NSGNIC_REASON_IPV4_FRAGMENT);
  d->parked[t3] = false;
  drain(&r, 0);
  assert_int_equal(rep.fate[3], NSG_EXC_EXPIRED);
  /* an allowed packet of a NIC without a known port is dropped, not forwarded anywhere */
  o.out_port_of = NULL;
  nsg_exc_free(r.x);
  r.x = nsg_exc_new(r.sp, &fake_ops, d, &o);
  post_parked(d, fr(NET, 7004, WEB, 443, 6, T_SYN), NSGNIC_REASON_IPV4_FRAGMENT);
  drain(&r, 0);
  assert_int_equal(rep.fate[4], NSG_EXC_RELEASED);
  assert_true(rep.forward[4]); /* the host allowed it ... */
  assert_int_equal(d->released_drop, 2); /* ... but had no port: dropped */
  struct nsg_exc_stats s;
  nsg_exc_get_stats(r.x, &s);
  assert_int_equal(s.release_drops, 1);
  assert_int_equal(s.released, 0);
  assert_int_equal(s.reinjected, 0);
  rig_down(&r);
  free(d);
}

/* A flow the hardware learned is tracked by the host (nsg_slowpath_hw_flow: deciding rule, no
 * software aging); a table read fills in its slot and counters without touching its last-seen
 * time; an idle report ends it by the host's timeout (S5). */
static void hw_learned_flow(void **st)
{
  (void)st;
  struct fake *d = calloc(1, sizeof *d);
  struct rig r;
  rig_up(&r, d, 8);
  struct nsg_flow_key k = {.fam = 4, .proto = 6, .lport = 443, .rport = 5000, .nic = 0};
  k.local[0] = 0x0a000104;
  k.remote[0] = 0x08080808;
  long id = nsg_slowpath_hw_flow(r.sp, &k, false, UINT32_MAX, NULL, 10 * S);
  assert_true(id >= 0);
  assert_int_equal(nsg_slowpath_hw_flow(r.sp, &k, false, UINT32_MAX, NULL, 11 * S), id);
  struct nsg_flow_info fi;
  nsg_ct_get(nsg_slowpath_ct(r.sp), id, &fi);
  assert_int_equal(fi.where, NSG_FLOW_HW);
  char rule[300];
  nsg_slowpath_tag_name(r.sp, fi.tag, rule, sizeof rule);
  assert_string_equal(rule, "w/securityRules/Allow-443");
  /* not aged by the software tracker */
  nsg_slowpath_tick(r.sp, 3600 * S);
  assert_int_equal(nsg_ct_get(nsg_slowpath_ct(r.sp), id, &fi), 0);
  /* the device holds it in slot 5 with counters: a table read adopts nothing new */
  nsg_flow_entry_pack(&k, 0, false, d->flows[5]);
  NSGNIC_PUT(d->flows[5], FLOW_PKTS_IN, 3);
  NSGNIC_PUT(d->flows[5], FLOW_PKTS_OUT, 2);
  d->used[5] = true;
  assert_int_equal(nsg_exc_rebuild(r.x, 3601 * S), 0);
  nsg_ct_get(nsg_slowpath_ct(r.sp), id, &fi);
  assert_int_equal(fi.hw_index, 5);
  assert_int_equal(fi.pkts[0], 3); /* initiator (remote) -> NIC */
  assert_int_equal(fi.last, 10 * S);
  /* an address that is no NIC's: refused */
  struct nsg_flow_key bad = k;
  bad.local[0] = 0x0a0001ff;
  assert_int_equal(nsg_slowpath_hw_flow(r.sp, &bad, false, UINT32_MAX, NULL, 11 * S), -EINVAL);
  rig_down(&r);
  free(d);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(burst_larger_than_ring), cmocka_unit_test(back_pressure),
      cmocka_unit_test(parked_release), cmocka_unit_test(hw_learned_flow),
      cmocka_unit_test(device_stops_answering), cmocka_unit_test(idle_reports),
      cmocka_unit_test(hw_expired_reports),
      cmocka_unit_test(host_restart_rebuilds),  cmocka_unit_test(flush_deletes_hw_flow),
      cmocka_unit_test(long_packet_head),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

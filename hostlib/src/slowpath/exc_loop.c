/* SPDX-License-Identifier: Apache-2.0 */
/* The exception loop: the device's event ring in, decisions and flow-table writes out.
 *
 * Each poll first retries the re-injections the device pushed back (-EAGAIN), then handles at most
 * `batch` events: EVT_EXCEPTION (the packet head goes through the slow path; an allowed new flow
 * is installed in the device when it has room, else it stays a software flow; the packet is
 * re-injected or dropped), EVT_IDLE_FLOW (the host decides with its per-state timeouts whether the
 * idle hardware flow ends: then FLOW_DELETE and the flow log's E tuple), EVT_FLOW_EXPIRED (the
 * device's aging engine deleted the flow: its final counters, then the E tuple), EVT_SCAN_DONE and
 * EVT_FW_ERROR (counted).
 * Memory is bounded: one slot buffer and a fixed ring of `max_pending` re-injections. When that
 * ring is full the loop stops reading exceptions (back-pressure: the device's own queue and its
 * counters take the burst, EVT_LOST / REASON_EXQ_FULL); nothing is dropped silently on the host:
 * every event ends in exactly one counter.
 * A device that stops answering (-ETIMEDOUT/-EIO) is counted; after dev_timeout_ns the loop
 * reports device_down. Flows are never deleted because of device errors; when the host restarts,
 * nsg_exc_rebuild() re-reads the device's flow table so established flows keep their state. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "nsgnic/abi.h"
#include "nsgnic/slowpath.h"

struct pending {
  uint16_t port;
  uint16_t len;
  uint8_t data[NSGNIC_EXC_HEAD_BYTES];
};

struct nsg_exc {
  struct nsg_slowpath *sp;
  struct nsg_ct *ct;
  struct nsg_dev_ops ops;
  void *dev;
  struct nsg_exc_opts o;
  struct pending *pend;
  size_t phead, pn;
  uint64_t first_err;
  struct nsg_exc_stats st;
};

void nsg_exc_opts_default(struct nsg_exc_opts *o)
{
  memset(o, 0, sizeof *o);
  o->batch = 64;
  o->max_pending = 256;
  o->idle_tick_ns = 100 * 1000 * 1000;
  o->dev_timeout_ns = NSG_SEC;
}

static int vport_of(struct nsg_exc *x, int nic);

/* A hardware flow the slow path ended itself (flushConnection): delete the device entry. */
static void hw_flow_ended(void *ctx, const struct nsg_flow_info *i)
{
  struct nsg_exc *x = ctx;
  int vp = vport_of(x, i->key.nic);
  if (vp < 0)
    return;
  uint32_t e[16];
  nsg_flow_entry_pack(&i->key, (uint16_t)vp, i->init_outbound, e);
  if (x->ops.delete_flow(x->dev, i->hw_index, e) == 0)
    x->st.hw_deleted++;
}

struct nsg_exc *nsg_exc_new(struct nsg_slowpath *sp, const struct nsg_dev_ops *ops, void *dev,
                            const struct nsg_exc_opts *o)
{
  if (!sp || !ops || !ops->read_event || !ops->install_flow || !ops->delete_flow) {
    errno = EINVAL;
    return NULL;
  }
  struct nsg_exc *x = calloc(1, sizeof *x);
  if (!x) {
    errno = ENOMEM;
    return NULL;
  }
  x->sp = sp;
  x->ct = nsg_slowpath_ct(sp);
  x->ops = *ops;
  x->dev = dev;
  if (o)
    x->o = *o;
  else
    nsg_exc_opts_default(&x->o);
  if (!x->o.batch)
    x->o.batch = 64;
  if (!x->o.max_pending)
    x->o.max_pending = 1;
  x->pend = calloc(x->o.max_pending, sizeof *x->pend);
  if (!x->pend) {
    free(x);
    errno = ENOMEM;
    return NULL;
  }
  nsg_slowpath_set_hw_end_cb(sp, hw_flow_ended, x);
  return x;
}

void nsg_exc_free(struct nsg_exc *x)
{
  if (!x)
    return;
  nsg_slowpath_set_hw_end_cb(x->sp, NULL, NULL);
  free(x->pend);
  free(x);
}

void nsg_exc_get_stats(const struct nsg_exc *x, struct nsg_exc_stats *s)
{
  *s = x->st;
  s->pending = x->pn;
  if (x->ops.events_lost)
    s->events_lost = x->ops.events_lost(x->dev);
}

/* ---- FLOW layout ---------------------------------------------------------------------------- */
static void put_addr(uint32_t *e, unsigned lsb, const uint64_t a[2])
{
  nsgnic_bits_put(e, lsb, 32, (uint32_t)a[0]);
  nsgnic_bits_put(e, lsb + 32, 32, (uint32_t)(a[0] >> 32));
  nsgnic_bits_put(e, lsb + 64, 32, (uint32_t)a[1]);
  nsgnic_bits_put(e, lsb + 96, 32, (uint32_t)(a[1] >> 32));
}

static void get_addr(const uint32_t *e, unsigned lsb, uint64_t a[2])
{
  a[0] = nsgnic_bits_get(e, lsb, 32) | nsgnic_bits_get(e, lsb + 32, 32) << 32;
  a[1] = nsgnic_bits_get(e, lsb + 64, 32) | nsgnic_bits_get(e, lsb + 96, 32) << 32;
}

void nsg_flow_entry_pack(const struct nsg_flow_key *k, uint16_t vport, bool init_outbound, uint32_t e[16])
{
  memset(e, 0, 16 * sizeof *e);
  put_addr(e, NSGNIC_FLOW_LOCAL_ADDR_LSB, k->local);
  put_addr(e, NSGNIC_FLOW_REMOTE_ADDR_LSB, k->remote);
  NSGNIC_PUT(e, FLOW_LOCAL_PORT, k->lport);
  NSGNIC_PUT(e, FLOW_REMOTE_PORT, k->rport);
  NSGNIC_PUT(e, FLOW_PROTO, k->proto);
  NSGNIC_PUT(e, FLOW_FAMILY, k->fam == 6 ? NSGNIC_FAMILY_IPV6 : NSGNIC_FAMILY_IPV4);
  NSGNIC_PUT(e, FLOW_VPORT, vport);
  NSGNIC_PUT(e, FLOW_VALID, 1);
  NSGNIC_PUT(e, FLOW_ACTION, NSGNIC_ACTION_ALLOW);
  NSGNIC_PUT(e, FLOW_INIT_OUTBOUND, init_outbound ? 1 : 0);
  NSGNIC_PUT(e, FLOW_RULE_ID, NSGNIC_NO_RULE_ID);
}

void nsg_flow_entry_key(const uint32_t e[16], struct nsg_flow_key *k, uint16_t *vport)
{
  memset(k, 0, sizeof *k);
  get_addr(e, NSGNIC_FLOW_LOCAL_ADDR_LSB, k->local);
  get_addr(e, NSGNIC_FLOW_REMOTE_ADDR_LSB, k->remote);
  k->lport = (uint16_t)NSGNIC_GET(e, FLOW_LOCAL_PORT);
  k->rport = (uint16_t)NSGNIC_GET(e, FLOW_REMOTE_PORT);
  k->proto = (uint8_t)NSGNIC_GET(e, FLOW_PROTO);
  k->fam = NSGNIC_GET(e, FLOW_FAMILY) == NSGNIC_FAMILY_IPV6 ? 6 : 4;
  *vport = (uint16_t)NSGNIC_GET(e, FLOW_VPORT);
}

/* ---- device errors -------------------------------------------------------------------------- */
static int dev_error(struct nsg_exc *x, int rc, uint64_t now)
{
  x->st.dev_errors++;
  if (!x->first_err)
    x->first_err = now ? now : 1;
  if (now - x->first_err >= x->o.dev_timeout_ns)
    x->st.device_down = true;
  return rc;
}

static void dev_ok(struct nsg_exc *x)
{
  x->first_err = 0;
  x->st.device_down = false;
}

static int nic_of(struct nsg_exc *x, int vport)
{
  return x->o.nic_of_vport ? x->o.nic_of_vport(x->o.vport_ctx, vport) : vport;
}

static int vport_of(struct nsg_exc *x, int nic)
{
  return x->o.vport_of_nic ? x->o.vport_of_nic(x->o.vport_ctx, nic) : nic;
}

/* Adopts (or finds) the host record of a device flow entry. */
static long adopt(struct nsg_exc *x, const uint32_t e[16], uint32_t index, uint64_t now)
{
  struct nsg_flow_key k;
  uint16_t vport;
  nsg_flow_entry_key(e, &k, &vport);
  int nic = nic_of(x, vport);
  if (nic < 0)
    return -ENOENT;
  k.nic = (uint16_t)nic;
  bool known = nsg_ct_lookup(x->ct, &k) >= 0;
  long id = nsg_slowpath_hw_flow(x->sp, &k, NSGNIC_GET(e, FLOW_INIT_OUTBOUND) != 0, index, NULL, now);
  if (id >= 0 && !known)
    x->st.hw_adopted++;
  return id;
}

static void hw_counters(const uint32_t e[16], unsigned *to, unsigned *ti, uint64_t p[2], uint64_t b[2])
{
  *to = (unsigned)NSGNIC_GET(e, FLOW_TCP_OUT);
  *ti = (unsigned)NSGNIC_GET(e, FLOW_TCP_IN);
  p[0] = NSGNIC_GET(e, FLOW_PKTS_OUT);
  p[1] = NSGNIC_GET(e, FLOW_PKTS_IN);
  b[0] = NSGNIC_GET(e, FLOW_BYTES_OUT);
  b[1] = NSGNIC_GET(e, FLOW_BYTES_IN);
}

/* ---- events ----------------------------------------------------------------------------------- */
static int push_pending(struct nsg_exc *x, uint16_t port, const uint8_t *d, size_t n)
{
  if (x->pn == x->o.max_pending)
    return -ENOSPC;
  struct pending *p = &x->pend[(x->phead + x->pn) % x->o.max_pending];
  p->port = port;
  p->len = (uint16_t)n;
  memcpy(p->data, d, n);
  x->pn++;
  return 0;
}

static void report(struct nsg_exc *x, struct nsg_exc_report *rep, enum nsg_exc_fate fate)
{
  rep->fate = fate;
  if (x->o.on_exception)
    x->o.on_exception(x->o.report_ctx, rep);
}

/* Sends a decided packet back: a parked one is released (forwarded on the port its decision
 * names, or dropped), another one is re-injected when the device can take it. */
static void give_back(struct nsg_exc *x, struct nsg_exc_report *rep, const uint8_t *head, uint64_t now)
{
  const struct nsg_sp_result *r = &rep->r;
  if (rep->parked) {
    if (!x->ops.release) { /* cannot happen with a sane device: it parks only with the command */
      x->st.not_returned++;
      report(x, rep, NSG_EXC_NOT_RETURNED);
      return;
    }
    bool fwd = r->forward;
    int port = -1;
    if (fwd && x->o.out_port_of && r->nic >= 0)
      port = x->o.out_port_of(x->o.vport_ctx, r->nic, r->dir == NSG_INBOUND);
    if (port < 0)
      fwd = false; /* fail closed: no port to forward on */
    rep->out_port = fwd ? (uint16_t)port : 0;
    int rc = x->ops.release(x->dev, rep->seq, rep->out_port, fwd);
    if (rc == 0) {
      if (fwd)
        x->st.released++;
      else
        x->st.release_drops++;
      report(x, rep, NSG_EXC_RELEASED);
    } else if (rc == -ENOENT) {
      x->st.expired++;
      report(x, rep, NSG_EXC_EXPIRED);
    } else {
      dev_error(x, rc, now);
      report(x, rep, NSG_EXC_DEV_ERROR);
    }
    return;
  }
  if (!r->forward) {
    report(x, rep, NSG_EXC_NOT_RETURNED);
    return;
  }
  int rc = x->ops.reinject ? x->ops.reinject(x->dev, rep->in_port, head, rep->head_len) : -EOPNOTSUPP;
  if (rc == -EOPNOTSUPP) {
    x->st.not_returned++;
    report(x, rep, NSG_EXC_NOT_RETURNED);
  } else if (rc == -EAGAIN) {
    x->st.reinject_retries++;
    if (push_pending(x, rep->in_port, head, rep->head_len) < 0)
      x->st.reinject_dropped++;
    report(x, rep, NSG_EXC_REINJECTED);
  } else if (rc < 0) {
    x->st.reinject_dropped++;
    dev_error(x, rc, now);
    report(x, rep, NSG_EXC_DEV_ERROR);
  } else {
    x->st.reinjected++;
    report(x, rep, NSG_EXC_REINJECTED);
  }
}

static int on_exception(struct nsg_exc *x, const uint32_t *slot, uint64_t now)
{
  const uint32_t *pl = slot + NSGNIC_MSG_HDR_WORDS;
  struct nsg_exc_report rep;
  memset(&rep, 0, sizeof rep);
  rep.seq = slot[1];
  rep.in_port = (uint16_t)NSGNIC_GET(pl, P_EXC_PORT);
  rep.reason = (unsigned)NSGNIC_GET(pl, P_EXC_REASON);
  rep.parked = NSGNIC_GET(pl, P_EXC_PARKED) != 0;
  rep.pkt_len = (size_t)NSGNIC_GET(pl, P_EXC_PKT_LEN);
  rep.head_len = (size_t)NSGNIC_GET(pl, P_EXC_HEAD_LEN);
  rep.r.nic = -1;
  rep.r.flow = -1;
  if (rep.head_len > NSGNIC_EXC_HEAD_BYTES || rep.head_len > rep.pkt_len) {
    x->st.bad_events++;
    x->st.dropped++;
    rep.head_len = 0;
    if (rep.parked && x->ops.release && x->ops.release(x->dev, rep.seq, 0, false) == 0)
      x->st.release_drops++; /* do not leave it parked until it expires */
    report(x, &rep, NSG_EXC_BAD);
    return 0;
  }
  uint8_t head[NSGNIC_EXC_HEAD_BYTES];
  for (size_t i = 0; i < rep.head_len; i++)
    head[i] = (uint8_t)(pl[2 + i / 4] >> (8 * (i % 4)));
  rep.head = head;
  x->st.exceptions++;
  nsg_slowpath_head(x->sp, head, rep.head_len, rep.pkt_len, now, &rep.r);
  const struct nsg_sp_result *r = &rep.r;
  if (!r->forward) {
    x->st.dropped++;
    give_back(x, &rep, head, now);
    return 0;
  }
  x->st.forwarded++;
  if (r->why == NSG_SP_NEW_FLOW && r->flow >= 0 && !x->o.no_hw_install) {
    struct nsg_flow_info fi;
    nsg_ct_get(x->ct, r->flow, &fi);
    uint32_t e[16];
    int vp = vport_of(x, fi.key.nic);
    if (vp >= 0) {
      nsg_flow_entry_pack(&fi.key, (uint16_t)vp, fi.init_outbound, e);
      /* the host counted the flow's first packet, the entry will not: the aging engine's class
       * (include/nsgnic/flow_age.h) adds it, as nsg_ct_hw_idle's counts do */
      NSGNIC_PUT(e, FLOW_HOST_FIRST, 1);
      long idx = x->ops.install_flow(x->dev, e);
      if (idx >= 0) {
        nsg_ct_set_where(x->ct, r->flow, NSG_FLOW_HW, (uint32_t)idx, now);
        x->st.hw_installed++;
      } else if (idx == -ENOSPC || idx == -EEXIST) {
        x->st.hw_full++; /* the flow stays in software; its replies punt and find it */
      } else {
        dev_error(x, (int)idx, now);
      }
    }
  }
  give_back(x, &rep, head, now);
  return 0;
}

static int on_idle(struct nsg_exc *x, const uint32_t *pl, uint64_t now)
{
  uint32_t index = (uint32_t)NSGNIC_GET(pl, P_IDLE_INDEX);
  uint64_t idle = NSGNIC_GET(pl, P_IDLE_IDLE) * x->o.idle_tick_ns;
  const uint32_t *e = pl + 2;
  x->st.idle_reports++;
  if (!NSGNIC_GET(e, FLOW_VALID)) {
    x->st.bad_events++;
    return 0;
  }
  long id = adopt(x, e, index, now);
  if (id < 0) {
    x->st.bad_events++;
    return 0;
  }
  unsigned to, ti;
  uint64_t p[2], b[2];
  hw_counters(e, &to, &ti, p, b);
  if (nsg_ct_hw_idle(x->ct, id, idle, to, ti, p, b, now) == 1) {
    int rc = x->ops.delete_flow(x->dev, index, e);
    if (rc < 0 && rc != -ENOENT)
      return dev_error(x, rc, now);
    x->st.hw_deleted++;
  }
  return 0;
}

/* EVT_FLOW_EXPIRED: the device's aging engine already deleted the flow (its per-class timeouts
 * are the host's, CMD_AGING_HW): take its final counters, TCP state and last-seen time (NOW - idle)
 * as an idle report does, and end it (the flow log's E tuple, at last seen + the host's timeout).
 * Should the host's own timeout not have passed yet (a class the engine saw otherwise), the flow
 * ends all the same: the device no longer has it (counted, hw_expired_early). */
static int on_expired(struct nsg_exc *x, const uint32_t *pl, uint64_t now)
{
  uint32_t index = (uint32_t)NSGNIC_GET(pl, P_IDLE_INDEX);
  const uint32_t *e = pl + 2;
  if (!NSGNIC_GET(e, FLOW_VALID)) {
    x->st.bad_events++;
    return 0;
  }
  long id = adopt(x, e, index, now);
  if (id < 0) {
    x->st.bad_events++;
    return 0;
  }
  unsigned to, ti;
  uint64_t p[2], b[2];
  hw_counters(e, &to, &ti, p, b);
  uint64_t idle = NSGNIC_GET(pl, P_IDLE_IDLE) * x->o.idle_tick_ns;
  if (nsg_ct_hw_idle(x->ct, id, idle, to, ti, p, b, now) != 1) {
    nsg_ct_end(x->ct, id, NSG_END_IDLE);
    x->st.hw_expired_early++;
  }
  x->st.hw_expired++;
  return 0;
}

static int handle(struct nsg_exc *x, const uint32_t *slot, uint64_t now)
{
  x->st.events++;
  unsigned code = (unsigned)NSGNIC_GET(slot, EVT_HDR_CODE), len = (unsigned)NSGNIC_GET(slot, EVT_HDR_LEN);
  if (NSGNIC_GET(slot, EVT_HDR_VERSION) != NSGNIC_MBOX_VERSION || len > NSGNIC_MSG_PAYLOAD_WORDS) {
    x->st.bad_events++;
    return 0;
  }
  const uint32_t *pl = slot + NSGNIC_MSG_HDR_WORDS;
  switch (code) {
  case NSGNIC_EVT_EXCEPTION:
    return on_exception(x, slot, now);
  case NSGNIC_EVT_IDLE_FLOW:
    return on_idle(x, pl, now);
  case NSGNIC_EVT_FLOW_EXPIRED:
    return on_expired(x, pl, now);
  case NSGNIC_EVT_SCAN_DONE:
    x->st.scans++;
    x->st.scan_pass = (uint32_t)NSGNIC_GET(pl, P_SCAN_PASS);
    return 0;
  case NSGNIC_EVT_FW_ERROR:
    x->st.fw_errors++;
    return 0;
  default:
    x->st.bad_events++;
    return 0;
  }
}

int nsg_exc_poll(struct nsg_exc *x, uint64_t now)
{
  /* 1. re-injections the device pushed back, oldest first */
  while (x->pn) {
    struct pending *p = &x->pend[x->phead];
    int rc = x->ops.reinject(x->dev, p->port, p->data, p->len);
    if (rc == -EAGAIN)
      break;
    if (rc < 0) {
      x->st.reinject_dropped++;
      dev_error(x, rc, now);
    } else {
      x->st.reinjected++;
    }
    x->phead = (x->phead + 1) % x->o.max_pending;
    x->pn--;
  }
  /* 2. new events, while there is room to hold what they may need to re-inject */
  int n = 0;
  uint32_t slot[NSGNIC_SLOT_WORDS];
  for (int src = 0; src < 2; src++) {
    int (*rd)(void *, uint32_t *) = src == 0 ? x->ops.read_event : x->ops.read_exception;
    if (!rd)
      continue;
    while ((size_t)n < x->o.batch && x->pn < x->o.max_pending) {
      memset(slot, 0, sizeof slot);
      int rc = rd(x->dev, slot);
      if (rc < 0)
        return dev_error(x, rc, now);
      dev_ok(x);
      if (rc == 0)
        break;
      handle(x, slot, now);
      n++;
    }
  }
  if (!x->o.no_tick)
    nsg_slowpath_tick(x->sp, now);
  return n;
}

long nsg_exc_rebuild(struct nsg_exc *x, uint64_t now)
{
  if (!x->ops.read_flow || !x->ops.flow_slots)
    return -EOPNOTSUPP;
  uint32_t n = x->ops.flow_slots(x->dev);
  long adopted = 0;
  uint32_t e[16];
  for (uint32_t i = 0; i < n; i++) {
    int rc;
    if (x->ops.next_flow) {  /* skips empty slots (the DRAM tier: whole buckets) */
      uint32_t at = i;
      rc = x->ops.next_flow(x->dev, i, &at, e);
      if (rc == 0)
        break;
      if (rc > 0 && (at < i || at >= n))
        rc = -EPROTO;
      i = at;
    } else {
      rc = x->ops.read_flow(x->dev, i, e);
    }
    if (rc < 0)
      return dev_error(x, rc, now);
    if (rc == 0 || !NSGNIC_GET(e, FLOW_VALID))
      continue;
    uint64_t before = x->st.hw_adopted;
    long id = adopt(x, e, i, now);
    if (id < 0)
      continue;
    unsigned tf[2];
    uint64_t p[2], b[2];
    hw_counters(e, &tf[0], &tf[1], p, b);
    nsg_ct_hw_sync(x->ct, id, i, tf, p, b); /* state and counters from the device */
    adopted += (long)(x->st.hw_adopted - before);
  }
  dev_ok(x);
  return adopted;
}

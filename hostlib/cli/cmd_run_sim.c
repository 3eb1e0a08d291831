/* SPDX-License-Identifier: Apache-2.0 */
/* nsgnic run --sim: replays a pcap through the co-simulated NIC — the Verilated SoC running the
 * firmware, the configuration compiled and loaded through its mailbox (nsgnic/simnic.h) — with
 * the host's slow path behind it, as on a board:
 *  - each frame enters on the port its addresses give (source on a local NIC: that NIC's VF;
 *    else destination on a local NIC: the wire of its VNet); hardware learning is on, so replies
 *    of allowed flows hit the flow cache (S5); flows the hardware learns are tracked by the host
 *    too (nsg_slowpath_hw_flow: flow log, listing, flush);
 *  - a punted frame is decided from the device's EVT_EXCEPTION event (the packet head the event
 *    carries), by the exception loop (nsg_exc_poll over nsg_device_exc_ops): slow path, hardware
 *    flow installed when allowed and there is room, and — when the device parks exceptions
 *    (CAP_EXC_PARK) — CMD_EXC_RELEASE forwards it on its port or drops it. Without parking the
 *    host's decision is final but nothing goes back to the device (the capture's frame stands in
 *    for the forwarded one in --out-pcap);
 *  - with host-driven time (CAP_EXT_TIME) the datapath's NOW follows the pcap timestamps (one
 *    tick per second, TICK_NS) and aging catches up whenever a second of pcap time passed. With
 *    the hardware aging engine (CAP_HW_AGING) the device deletes expired flows itself: its
 *    classes are the host's per-state timeouts (CMD_AGING_HW, per-vport VNet flow timeouts by
 *    CMD_AGING_EST), its reports (EVT_FLOW_EXPIRED) end the flows (E tuple), and after NOW moved
 *    the replay waits for a whole engine pass begun after the move (EVT_SCAN_DONE). Without the
 *    engine the firmware's scan (AGING_START) reports idle flows (EVT_IDLE_FLOW), the host's
 *    per-state timeouts decide, expired flows are deleted (CMD_FLOW_DELETE) with their E tuple.
 *    A device with a DRAM flow tier whose engine covers the cache only (no CAP_AGING_DRAM) takes
 *    the firmware's scan too: it walks the cache and the tier, so no DRAM flow is left behind.
 *    Without host-driven time hardware flows do not age during the replay (said in the summary);
 *  - --update-at N: after N packets the new configuration goes into the device by one bank switch
 *    (nsg_simnic_update), then the host re-reads the device's flow table and the slow path ends
 *    the flows (hardware and software) that flushConnection NSGs no longer allow (S5).
 * The replay sends one frame at a time and handles its exception before the next, so every
 * punted frame is matched to its event (the k-th exception is the k-th punt); an event that never
 * comes (lost by the device) leaves the frame dropped and counted. */
#define _DEFAULT_SOURCE 1 /* libpcap needs the BSD u_int types */
#include <errno.h>
#include <inttypes.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "model.h"
#include "progress.h"
#include "report.h"
#include "nsgnic/abi.h"
#include "nsgnic/device.h"
#include "nsgnic/simnic.h"
#include "nsgnic/slowpath.h"

/* Unit of the device's NOW (FLOW.TIMESTAMP, P_AGING.THRESHOLD, P_IDLE.IDLE) with host-driven time:
 * one second. 16-bit timestamps then wrap after 18 h, the 32767-tick threshold limit is 9 h (the
 * longest timeout is a 30-minute VNet flow timeout), and the shortest timeouts (10 s) are 10 ticks:
 * the same 1 s granularity the software tracker ages with. */
#define TICK_NS NSG_SEC
/* The datapath's assumed clock (docs/datapath.md: 512-bit beats at 322 MHz): device cycles are
 * turned into device time with it. */
#define DEVICE_HZ 322e6
enum {
  AGE_CHUNK_TICKS = 4096,   /* NOW advances at most this much between aging passes (<< 2^15) */
  EXC_WAIT_ROUNDS = 400,    /* an exception event must arrive within 400 x 500 cycles */
  EXC_WAIT_CYCLES = 500,
  SCAN_WAIT_ROUNDS = 2000,  /* an aging pass must end within 2000 x 500 cycles, plus per slot: */
  SCAN_SLOTS_PER_ROUND = 8, /* the firmware's scan reads a cache slot in well under 60 cycles, a DRAM
                               bucket (one per ways >= 16 slots) in under 500; each idle report
                               starts the wait again (the host deletes the flow meanwhile) */
  AGE_PACE = 3,             /* the hardware engine scans at most every 4th clock */
  RELEASE_WAIT_CYCLES = 100000, /* a released frame leaves the datapath within this */
};

/* One summary row: (NIC, rule) with its counts. */
struct row {
  char nic[64], rule[300];
  uint64_t allowed, denied, punted, host_allowed;
};

struct summary {
  struct row *rows;
  size_t n, cap;
  uint64_t frames, allowed, denied, punted, host_allowed, host_denied, dropped, no_nic, truncated;
  uint64_t learned, flow_hits, hw_tracked;
  uint64_t exc_lost, exc_mismatch, forwarded_out; /* punts without their event; head differs; written */
  uint64_t release_missing;                        /* released, but the frame never left the device */
  uint64_t aging_passes;
  uint64_t update_at, update_writes, update_flushed, update_swept;
  bool dev_counted;                  /* --flows: the device's table was read at the end: */
  uint64_t dev_cache, dev_dram;      /* its flows in the cache and in the DRAM tier */
  bool updated, interrupted, input_error; /* input_error: the capture could not be read to its end */
  uint64_t first_ts, last_ts; /* pcap time of the first and the last frame (ns) */
  bool first_set;
};

/* The replay's state. */
struct simrun {
  struct nsg_simnic *n;
  struct nsgnic_dev *dev;
  struct nsg_slowpath *sp;
  struct nsg_exc *x;
  struct summary s;
  bool park, ext_time, aging, hw_aging;
  uint32_t age_to[NSGNIC_AGE_CLASSES]; /* the engine's class timeouts, ticks */
  /* the exception being waited for */
  const uint8_t *frame;
  size_t frame_len;
  bool have_rep, rep_match;
  struct nsg_exc_report rep;
  /* the last frame, for --report */
  char last_nic[64], last_rule[300];
  enum report_verdict last_v;
  bool last_exc;
  /* host-driven time */
  uint64_t t0, ticks, last_pass_tick;
  uint32_t threshold;
  bool dram;                /* the device has a DRAM flow tier */
  uint32_t scan_rounds;     /* an aging pass (the firmware's scan, or the hardware engine's two) must
                               end within this (x 500 cycles) */
  bool started;
};

static struct row *row_of(struct summary *s, const char *nic, const char *rule)
{
  for (size_t i = 0; i < s->n; i++)
    if (!strcmp(s->rows[i].nic, nic) && !strcmp(s->rows[i].rule, rule))
      return &s->rows[i];
  if (s->n == s->cap) {
    size_t cap = s->cap ? 2 * s->cap : 32;
    struct row *r = realloc(s->rows, cap * sizeof *r);
    if (!r)
      return NULL;
    s->rows = r;
    s->cap = cap;
  }
  struct row *r = &s->rows[s->n++];
  memset(r, 0, sizeof *r);
  snprintf(r->nic, sizeof r->nic, "%s", nic);
  snprintf(r->rule, sizeof r->rule, "%s", rule);
  return r;
}

/* ---- the exception loop's view of the simulated device (vports <-> configuration NICs) ---- */
static int cb_vport_of_nic(void *ctx, int nic)
{
  struct simrun *R = ctx;
  return nsg_simnic_vport(R->n, nsg_slowpath_nic_name(R->sp, nic));
}

static int cb_nic_of_vport(void *ctx, int vport)
{
  struct simrun *R = ctx;
  return nsg_slowpath_nic_index(R->sp, nsg_simnic_vport_nic(R->n, vport));
}

static int cb_out_port(void *ctx, int nic, bool inbound)
{
  struct simrun *R = ctx;
  return nsg_simnic_port(R->n, cb_vport_of_nic(ctx, nic), inbound);
}

static void cb_exception(void *ctx, const struct nsg_exc_report *rep)
{
  struct simrun *R = ctx;
  if (R->have_rep || !R->frame) { /* not the frame waited for: counted by the loop's statistics */
    R->s.exc_mismatch++;
    return;
  }
  R->rep = *rep;
  R->rep.head = NULL;
  size_t k = rep->head_len < R->frame_len ? rep->head_len : R->frame_len;
  R->rep_match = rep->pkt_len == R->frame_len && k > 0 && memcmp(rep->head, R->frame, k) == 0;
  R->have_rep = true;
}

/* Runs the device and the exception loop until the exception of the frame just punted was
 * handled. 0 (R->have_rep says whether it came) or a device error. */
static int await_exception(struct simrun *R, uint64_t now, char *err, size_t errlen)
{
  R->have_rep = false;
  for (int i = 0; i < EXC_WAIT_ROUNDS && !R->have_rep; i++) {
    int rc = nsg_exc_poll(R->x, now);
    if (rc < 0) {
      snprintf(err, errlen, "reading the device's event ring: %s", strerror(-rc));
      return rc;
    }
    if (!R->have_rep)
      nsg_simnic_step(R->n, EXC_WAIT_CYCLES);
  }
  return 0;
}

/* ---- aging in pcap time ------------------------------------------------------------------ */
/* One aging pass: AGING_START, the idle reports through the exception loop until SCAN_DONE,
 * AGING_STOP. */
static int aging_pass(struct simrun *R, uint64_t now, char *err, size_t errlen)
{
  struct nsg_exc_stats st;
  nsg_exc_get_stats(R->x, &st);
  uint64_t scans = st.scans;
  /* a long interval: one pass, stopped below once it is done */
  int rc = nsg_device_aging_start(R->dev, R->threshold, UINT32_MAX, 64, err, errlen);
  if (rc < 0)
    return rc;
  uint64_t idle = st.idle_reports;
  for (uint32_t i = 0; i < R->scan_rounds; i++) {
    if ((rc = nsg_exc_poll(R->x, now)) < 0) {
      snprintf(err, errlen, "reading the device's event ring: %s", strerror(-rc));
      return rc;
    }
    nsg_exc_get_stats(R->x, &st);
    if (st.scans > scans)
      break;
    if (st.idle_reports != idle) { /* progress: the scan goes on */
      idle = st.idle_reports;
      i = 0;
    }
    nsg_simnic_step(R->n, EXC_WAIT_CYCLES);
  }
  if (st.scans == scans) {
    snprintf(err, errlen, "the device's aging pass did not finish (no EVT_SCAN_DONE)");
    return -ETIMEDOUT;
  }
  R->s.aging_passes++;
  return nsg_device_aging_stop(R->dev, err, errlen);
}

/* Idle timeout in NOW ticks as the host compares it (idle >= timeout, whole ticks): rounded up,
 * 1..32767 (16-bit timestamps). */
static uint32_t to_ticks(uint64_t ns)
{
  uint64_t t = (ns + TICK_NS - 1) / TICK_NS;
  return t < 1 ? 1 : t > 32767 ? 32767 : (uint32_t)t;
}

/* The hardware aging engine with the host's per-state timeouts (S5; docs/slowpath.md): the
 * classes' own, and per vport its NIC's VNet flowTimeoutInMinutes (TCP established, UDP/other
 * replied; 4 minutes when the VNet has none, as the classifier takes it). */
static int setup_hw_aging(struct simrun *R, const struct nsg_config *cfg, const struct nsg_ct_timeouts *to,
                          char *err, size_t errlen)
{
  R->age_to[NSGNIC_AGE_CLASS_TCP_EST] = to_ticks(to->established);
  R->age_to[NSGNIC_AGE_CLASS_TCP_HALF_OPEN] = to_ticks(to->tcp_half_open);
  R->age_to[NSGNIC_AGE_CLASS_NEW] = to_ticks(to->udp_new);
  R->age_to[NSGNIC_AGE_CLASS_ICMP] = to_ticks(to->icmp);
  R->age_to[NSGNIC_AGE_CLASS_TCP_CLOSING] = to_ticks(to->tcp_closing);
  R->age_to[NSGNIC_AGE_CLASS_TCP_TIME_WAIT] = to_ticks(to->tcp_time_wait);
  R->age_to[NSGNIC_AGE_CLASS_TCP_CLOSED] = to_ticks(to->tcp_closed);
  R->age_to[NSGNIC_AGE_CLASS_REPLIED] = to_ticks(to->established);
  uint16_t est[256] = {0};
  unsigned nv = 0;
  for (size_t i = 0; i < cfg->nnics; i++) {
    const struct nsg_nic *nic = &cfg->nics[i];
    int v = nsg_simnic_vport(R->n, nic->name);
    if (v < 0 || v >= 256)
      continue;
    int tmo = nic->vnet >= 0 && (size_t)nic->vnet < cfg->nvnets ? cfg->vnets[nic->vnet].flow_timeout_min : 0;
    est[v] = (uint16_t)to_ticks((uint64_t)(tmo > 0 ? tmo : 4) * 60 * NSG_SEC);
    nv = (unsigned)v + 1 > nv ? (unsigned)v + 1 : nv;
  }
  int rc = nsg_device_aging_est(R->dev, est, nv, err, errlen);
  if (rc < 0)
    return rc;
  /* the engine runs only while the host waits for its passes after moving NOW (aging_hw_pass) */
  if ((rc = nsg_device_aging_hw(R->dev, false, AGE_PACE, R->age_to, NULL, err, errlen)) < 0)
    return rc;
  R->hw_aging = true;
  return 0;
}

/* With the hardware engine: the AGING_HW command (re)states the class timeouts, starts the engine
 * and returns its pass count; EVT_SCAN_DONE with a pass at least 2 beyond it follows every report
 * of a whole pass begun after NOW moved (reports end their flows in the exception loop); then the
 * engine is stopped until NOW moves again. */
static int aging_hw_pass(struct simrun *R, uint64_t now, char *err, size_t errlen)
{
  uint32_t base = 0;
  int rc = nsg_device_aging_hw(R->dev, true, AGE_PACE, R->age_to, &base, err, errlen);
  if (rc < 0)
    return rc;
  struct nsg_exc_stats st;
  nsg_exc_get_stats(R->x, &st);
  /* two passes over the cache and the DRAM tier (one slot per PACE + 1 free clocks): the wait
   * grows with the slots, and starts again with each report (the host ends the flow meanwhile) */
  uint64_t seen = st.hw_expired;
  for (unsigned i = 0; i < R->scan_rounds; i++) {
    if ((rc = nsg_exc_poll(R->x, now)) < 0) {
      snprintf(err, errlen, "reading the device's event ring: %s", strerror(-rc));
      return rc;
    }
    nsg_exc_get_stats(R->x, &st);
    if (st.scans && (int32_t)(st.scan_pass - base) >= 2) {
      R->s.aging_passes++;
      /* NOW stands still until the next advance: no flow can expire before it, so the engine
       * rests meanwhile (its scans would only delay the frames' and the table reads' DRAM ops;
       * reports still queued are forwarded while it is off) */
      return nsg_device_aging_hw(R->dev, false, AGE_PACE, R->age_to, NULL, err, errlen);
    }
    if (st.hw_expired != seen) {
      seen = st.hw_expired;
      i = 0;
    }
    nsg_simnic_step(R->n, EXC_WAIT_CYCLES);
  }
  snprintf(err, errlen, "the device's aging engine did not finish a pass (no EVT_SCAN_DONE)");
  return -ETIMEDOUT;
}

/* Advances the device's NOW to pcap time t (whole seconds since the first packet), with an aging
 * pass after every AGE_CHUNK_TICKS ticks and at the end of each advance. */
static int advance_time(struct simrun *R, uint64_t t, char *err, size_t errlen)
{
  if (!R->aging)
    return 0;
  if (!R->started) {
    R->t0 = t / TICK_NS * TICK_NS; /* ticks at whole seconds of pcap time, like the host's ticks */
    R->started = true;
    return 0;
  }
  uint64_t target = t > R->t0 ? (t - R->t0) / TICK_NS : 0;
  while (R->ticks < target) {
    uint64_t k = target - R->ticks < AGE_CHUNK_TICKS ? target - R->ticks : AGE_CHUNK_TICKS;
    nsg_device_time_advance(R->dev, k);
    R->ticks += k;
    int rc = R->hw_aging ? aging_hw_pass(R, R->t0 + R->ticks * TICK_NS, err, errlen)
                         : aging_pass(R, R->t0 + R->ticks * TICK_NS, err, errlen);
    if (rc < 0)
      return rc;
  }
  return 0;
}

/* ---- rule change ------------------------------------------------------------------------- */
static int apply_update(struct simrun *R, const struct nsg_config *next, uint64_t now, char *err, size_t errlen)
{
  /* every device flow known to the host with its slot (flows learned since the last read) */
  long rc = nsg_exc_rebuild(R->x, now);
  if (rc < 0) {
    snprintf(err, errlen, "reading the device's flow table: %s", strerror((int)-rc));
    return (int)rc;
  }
  struct nsg_device_load_stats st;
  if ((rc = nsg_simnic_update(R->n, next, &st, err, errlen)) < 0)
    return (int)rc;
  /* S5: flows of flushConnection NSGs the new rules deny end; the hardware ones are deleted
   * from the device by the exception loop (nsg_slowpath_set_hw_end_cb) */
  long ended = nsg_slowpath_reload(R->sp, next, now);
  if (ended < 0) {
    snprintf(err, errlen, "the device has the new rules, but the slow path cannot take them: %s",
             strerror((int)-ended));
    return (int)ended;
  }
  R->s.updated = true;
  R->s.update_writes = st.tcam_writes + st.bind_writes;
  R->s.update_flushed = (uint64_t)ended;
  /* fail closed: a device flow the host no longer tracks (ended above, but its delete missed it,
   * e.g. its vport moved) must not keep passing traffic */
  struct nsg_device_caps caps;
  if ((rc = nsg_device_caps(R->dev, &caps, err, errlen)) < 0)
    return (int)rc;
  /* every flow of the cache, then of the DRAM tier (unified slots) */
  uint32_t e[NSGNIC_FLOW_BITS / 32];
  for (uint32_t i = 0; (rc = nsg_device_next_flow(R->dev, &caps, &i, e, err, errlen)) == 1; i++) {
    struct nsg_flow_key k;
    uint16_t vport;
    nsg_flow_entry_key(e, &k, &vport);
    int nic = cb_nic_of_vport(R, vport);
    k.nic = (uint16_t)(nic < 0 ? 0 : nic);
    if (nic >= 0 && nsg_ct_lookup(nsg_slowpath_ct(R->sp), &k) >= 0)
      continue;
    if ((rc = nsg_device_flow_delete(R->dev, i, e, err, errlen)) < 0 && rc != -ENOENT)
      return (int)rc;
    R->s.update_swept++;
  }
  return rc < 0 ? (int)rc : 0;
}

/* --flows: the flows left in the device's table at the end, the cache's and the DRAM tier's
 * (CMD_FLOW_NEXT, then bucket by bucket with CMD_DRAM_FLOW_NEXT): a soak checks nothing is left. */
static int count_device_flows(struct simrun *R, char *err, size_t errlen)
{
  struct nsg_device_caps caps;
  int rc = nsg_device_caps(R->dev, &caps, err, errlen);
  if (rc < 0)
    return rc;
  uint32_t e[NSGNIC_FLOW_BITS / 32];
  R->s.dev_cache = R->s.dev_dram = 0;
  for (uint32_t i = 0; (rc = nsg_device_next_flow(R->dev, &caps, &i, e, err, errlen)) == 1; i++) {
    if (i < caps.flow_entries)
      R->s.dev_cache++;
    else
      R->s.dev_dram++;
  }
  if (rc < 0)
    return rc;
  R->s.dev_counted = true;
  return 0;
}

/* ---- hardware-learned flows ------------------------------------------------------------------ */
/* The flows the datapath learned for this frame, tracked by the host too (creation time, deciding
 * rule, flow log); their slot is filled in by the next table read or idle report. */
static void track_learned(struct simrun *R, const struct nsg_simnic_frame *f, const uint8_t *data, size_t len,
                          uint64_t now)
{
  struct nsg_pkt p;
  if (nsg_pkt_parse(data, len, &p) != NSG_PKT_OK)
    return;
  for (unsigned i = 0; i < f->nlegs; i++) {
    const struct nsg_simnic_leg *lg = &f->legs[i];
    if (!lg->learned || lg->vport < 0)
      continue;
    int nic = nsg_slowpath_nic_index(R->sp, nsg_simnic_vport_nic(R->n, lg->vport));
    if (nic < 0)
      continue;
    struct nsg_flow_key k;
    memset(&k, 0, sizeof k);
    k.fam = p.fam;
    k.proto = p.proto;
    k.nic = (uint16_t)nic;
    memcpy(k.local, lg->outbound ? p.src : p.dst, 16);
    memcpy(k.remote, lg->outbound ? p.dst : p.src, 16);
    if (p.l4) { /* the FLOW key has no ports otherwise (ICMP: no identifier, unlike the host's) */
      k.lport = lg->outbound ? p.sport : p.dport;
      k.rport = lg->outbound ? p.dport : p.sport;
    }
    if (nsg_slowpath_hw_flow(R->sp, &k, lg->outbound, UINT32_MAX, &p, now) >= 0)
      R->s.hw_tracked++;
  }
}

/* ---- summary ------------------------------------------------------------------------------- */
static void print_summary(struct simrun *R, double secs, bool json)
{
  const struct summary *s = &R->s;
  uint64_t cycles = nsg_simnic_cycles(R->n);
  double pcap_secs = s->first_set ? (double)(s->last_ts - s->first_ts) / 1e9 : 0;
  struct nsg_simnic_stats st;
  nsg_simnic_get_stats(R->n, &st);
  struct nsg_exc_stats x;
  nsg_exc_get_stats(R->x, &x);
  uint64_t fw[NSGNIC_FW_COUNTERS] = {0};
  struct nsg_device_caps caps;
  if (nsg_device_caps(R->dev, &caps, NULL, 0) == 0 &&
                 nsg_device_counters(R->dev, NSGNIC_CNT_BLOCK_FW, 0,
                                     caps.fw_counters < NSGNIC_FW_COUNTERS ? caps.fw_counters : NSGNIC_FW_COUNTERS,
                                     fw, NULL, 0) < 0)
    memset(fw, 0, sizeof fw); /* reported as 0: the counters are a cross-check only */
  uint32_t evt_lost = nsgnic_dev_rd32(R->dev, NSGNIC_HOSTREG_EVT_LOST);
  /* punts the datapath's exception queue had no room for (their verdict stays PUNT) */
  uint64_t exq_full = 0;
  if (nsg_device_counters(R->dev, NSGNIC_CNT_BLOCK_DP, NSGNIC_REASON_EXQ_FULL, 1, &exq_full, NULL, 0) < 0)
    exq_full = 0;
  const char *exc_mode = R->park
                             ? "parked in the device, released by the host (forwarded frames written as they left "
                               "the device)"
                             : "not parked (the device lacks CAP_EXC_PARK): decided by the host, the capture's "
                               "frame stands in for the forwarded one";
  const char *age_mode = R->hw_aging ? "pcap time (host-driven NOW, 1 tick = 1 s), the device's aging engine"
                         : R->aging && R->dram ? "pcap time (host-driven NOW, 1 tick = 1 s), the firmware's scan (cache and DRAM tier)"
                         : R->aging  ? "pcap time (host-driven NOW, 1 tick = 1 s), the firmware's scan"
                                     : "none during the replay (the device lacks CAP_EXT_TIME)";
  struct nsg_ct_stats ct_st;
  nsg_ct_get_stats(nsg_slowpath_ct(R->sp), &ct_st);
  if (json) {
#define U(x) ((json_int_t)(x))
    json_t *j = json_pack("{s:s,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:f}", "engine", "sim", "frames",
                          U(s->frames), "allowed", U(s->allowed), "denied", U(s->denied), "punted", U(s->punted),
                          "hostAllowed", U(s->host_allowed), "hostDenied", U(s->host_denied), "dropped",
                          U(s->dropped), "noNic", U(s->no_nic), "truncated", U(s->truncated), "flowsLearned",
                          U(s->learned), "flowHits", U(s->flow_hits), "loadCycles", U(st.load_cycles), "tcamWrites",
                          U(st.tcam_writes), "wallSeconds", secs);
    json_object_del(j, "wallSeconds"); /* in "time", with the other clocks */
    json_object_set_new(j, "flowLimitDrops", json_integer(U(ct_st.limit_drops))); /* S5, as run --json */
    json_object_set_new(j, "interrupted", json_boolean(s->interrupted));
    json_object_set_new(j, "inputError", json_boolean(s->input_error));
    json_object_set_new(j, "time",
                        json_pack("{s:f,s:f,s:I,s:f,s:f}", "wallSeconds", secs, "pcapSeconds", pcap_secs,
                                  "deviceCycles", U(cycles), "simulatedSeconds", (double)cycles / DEVICE_HZ,
                                  "deviceClockHz", DEVICE_HZ));
    json_object_set_new(
        j, "exceptions",
        json_pack("{s:b,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "parked", R->park,
                  "events", U(x.exceptions), "hostAllowed", U(x.forwarded), "hostDenied", U(x.dropped), "released",
                  U(x.released), "releasedDropped", U(x.release_drops), "expired", U(x.expired), "notReturned",
                  U(x.not_returned), "missing", U(s->exc_lost), "mismatched", U(s->exc_mismatch), "writtenOut",
                  U(s->forwarded_out), "releasedMissing", U(s->release_missing), "exqFull", U(exq_full),
                  "eventsLost", U(evt_lost), "fwExceptions", U(fw[NSGNIC_FWCNT_EXCEPTIONS]), "fwEvtLost",
                  U(fw[NSGNIC_FWCNT_EVT_LOST]), "fwExcForwarded", U(fw[NSGNIC_FWCNT_EXC_FORWARDED]), "fwExcDropped",
                  U(fw[NSGNIC_FWCNT_EXC_DROPPED]), "fwExcExpired", U(fw[NSGNIC_FWCNT_EXC_EXPIRED])));
    json_object_set_new(j, "hwFlows",
                        json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "installed", U(x.hw_installed), "full",
                                  U(x.hw_full), "tracked", U(s->hw_tracked), "deleted", U(x.hw_deleted), "expired",
                                  U(x.hw_expired), "expiredEarly", U(x.hw_expired_early), "adopted",
                                  U(x.hw_adopted)));
    json_object_set_new(j, "aging",
                        json_pack("{s:b,s:b,s:I,s:I}", "hostTime", R->aging, "engine", R->hw_aging, "passes",
                                  U(s->aging_passes), "idleReports", U(x.idle_reports)));
    if (s->dev_counted)
      json_object_set_new(j, "deviceFlows",
                          json_pack("{s:I,s:I}", "cache", U(s->dev_cache), "dram", U(s->dev_dram)));
    if (s->updated)
      json_object_set_new(j, "update",
                          json_pack("{s:I,s:I,s:I,s:I}", "afterPackets", U(s->update_at), "writes",
                                    U(s->update_writes), "flowsEnded", U(s->update_flushed), "untrackedDeleted",
                                    U(s->update_swept)));
    json_t *rules = json_array();
    for (size_t i = 0; i < s->n; i++) {
      const struct row *r = &s->rows[i];
      json_array_append_new(rules, json_pack("{s:o,s:o,s:I,s:I,s:I,s:I}", "nic", jstr(r->nic), "rule", jstr(r->rule), "allowed",
                                             U(r->allowed), "denied", U(r->denied), "punted", U(r->punted),
                                             "hostAllowed", U(r->host_allowed)));
    }
    json_object_set_new(j, "rules", rules);
#undef U
    json_print(j, true);
    return;
  }
  printf("time: %.2f s of wall-clock time simulated %" PRIu64 " device cycles (%.6f s of device time at %.0f MHz, "
         "the datapath's assumed clock); the capture spans %.3f s of pcap time%s\n",
         secs, cycles, (double)cycles / DEVICE_HZ, DEVICE_HZ / 1e6, pcap_secs,
         s->interrupted    ? "; INTERRUPTED: the figures cover the frames replayed so far"
         : s->input_error ? "; INPUT ERROR: the figures cover the records read before the capture's error"
                          : "");
  printf("simulated NIC: %" PRIu64 " frames in %.2f s wall-clock: %" PRIu64 " allowed by the datapath, %" PRIu64
         " denied, %" PRIu64 " punted to the host (%" PRIu64 " allowed there, %" PRIu64 " denied), %" PRIu64
         " dropped (malformed/oversize/exception lost), %" PRIu64 " not for a local NIC, %" PRIu64
         " truncated in the capture\n",
         s->frames, secs, s->allowed, s->denied, s->punted, s->host_allowed, s->host_denied, s->dropped, s->no_nic,
         s->truncated);
  printf("exceptions: %s; %" PRIu64 " events decided by the host (%" PRIu64 " allowed, %" PRIu64 " denied), %" PRIu64
         " released forwarded, %" PRIu64 " released dropped, %" PRIu64 " expired in the device, %" PRIu64
         " not returned; %" PRIu64 " punts without an event (%" PRIu64 " dropped by the device's full exception "
         "queue), %" PRIu32 " events lost by the device\n",
         exc_mode, x.exceptions, x.forwarded, x.dropped, x.released, x.release_drops, x.expired, x.not_returned,
         s->exc_lost, exq_full, evt_lost);
  printf("flows learned by the hardware: %" PRIu64 ", flow-cache hits: %" PRIu64 ", installed by the host: %" PRIu64
         " (%" PRIu64 " refused: cache full), deleted by the host: %" PRIu64 "; tables: %zu TCAM writes in %" PRIu64
         " device cycles\n",
         s->learned, s->flow_hits, x.hw_installed, x.hw_full, x.hw_deleted, st.tcam_writes, st.load_cycles);
  printf("aging of hardware flows: %s; %" PRIu64 " passes, %" PRIu64 " idle reports\n", age_mode, s->aging_passes,
         x.idle_reports);
  if (ct_st.limit_drops)
    printf("S5 flow limit: %" PRIu64 " new connections dropped by the host (past the per-NIC limit)\n",
           ct_st.limit_drops);
  if (s->dev_counted)
    printf("flows in the device's table at the end: %" PRIu64 " in the flow cache, %" PRIu64 " in the DRAM tier\n",
           s->dev_cache, s->dev_dram);
  if (s->updated)
    printf("configuration updated after packet %" PRIu64 ": %" PRIu64 " device writes (one bank switch), %" PRIu64
           " flows ended (flushConnection), %" PRIu64 " untracked device flows deleted\n",
           s->update_at, s->update_writes, s->update_flushed, s->update_swept);
  printf("%-14s %-50s %8s %8s %8s %8s\n", "NIC", "RULE", "ALLOWED", "DENIED", "PUNTED", "HOST-OK");
  for (size_t i = 0; i < s->n; i++) {
    const struct row *r = &s->rows[i];
    printf("%-14s %-50s %8" PRIu64 " %8" PRIu64 " %8" PRIu64 " %8" PRIu64 "\n", r->nic, r->rule, r->allowed,
           r->denied, r->punted, r->host_allowed);
  }
}

/* ---- the replay -------------------------------------------------------------------------------- */
/* One frame of the capture; *pass: it leaves the NIC, as out, out_len (to --out-pcap): the
 * capture's frame, or the released one as the device sent it. */
static int one(struct simrun *R, const uint8_t *data, size_t len, uint64_t now, bool *pass, const uint8_t **out,
               size_t *out_len, char *err, size_t errlen)
{
  struct summary *s = &R->s;
  *pass = false;
  *out = data;
  *out_len = len;
  struct nsg_simnic_frame f;
  int rc = nsg_simnic_frame(R->n, data, len, &f, err, errlen);
  if (rc)
    return rc;
  s->learned += f.learned;
  s->flow_hits += f.flow_hit;
  if (f.learned)
    track_learned(R, &f, data, len, now);
  struct row *row = f.nic ? row_of(s, f.nic, f.rule[0] ? f.rule : "-") : NULL;
  snprintf(R->last_nic, sizeof R->last_nic, "%s", f.nic ? f.nic : "no NIC");
  snprintf(R->last_rule, sizeof R->last_rule, "%s", f.rule[0] ? f.rule : f.fate == NSG_SIMNIC_PUNTED ? "(punted)" : "-");
  R->last_v = f.fate == NSG_SIMNIC_ALLOWED ? REPORT_ALLOWED : f.fate == NSG_SIMNIC_DENIED ? REPORT_DENIED : REPORT_OTHER;
  R->last_exc = f.fate == NSG_SIMNIC_PUNTED;
  switch (f.fate) {
  case NSG_SIMNIC_ALLOWED:
    s->allowed++;
    if (row)
      row->allowed++;
    *pass = true;
    break;
  case NSG_SIMNIC_DENIED: {
    s->denied++;
    if (row)
      row->denied++;
    /* decided by the datapath: the host logs it as it logs the denials it decides (D tuple) */
    struct nsg_pkt p;
    if (f.nic && nsg_pkt_parse(data, len, &p) == NSG_PKT_OK)
      nsg_slowpath_log_denied(R->sp, nsg_slowpath_nic_index(R->sp, f.nic), f.outbound, &p, f.rule, now);
    break;
  }
  case NSG_SIMNIC_PUNTED:
    s->punted++;
    if (row)
      row->punted++;
    R->frame = data;
    R->frame_len = len;
    rc = await_exception(R, now, err, errlen);
    R->frame = NULL;
    if (rc)
      return rc;
    if (!R->have_rep) { /* the device lost it: dropped (fail closed) */
      s->exc_lost++;
      s->dropped++;
      break;
    }
    if (!R->rep_match) /* the event is not this frame's: never pass on a guess */
      s->exc_mismatch++;
    if (R->rep.r.forward && R->rep_match && (R->rep.fate == NSG_EXC_RELEASED || R->rep.fate == NSG_EXC_NOT_RETURNED)) {
      s->host_allowed++;
      if (row)
        row->host_allowed++;
      if (R->rep.fate == NSG_EXC_RELEASED) { /* parked: it leaves the device now, take it from there */
        struct nsg_simnic_release rel;
        rc = nsg_simnic_released(R->n, RELEASE_WAIT_CYCLES, &rel);
        if (rc < 0) {
          snprintf(err, errlen, "collecting the released frame: %s", strerror(-rc));
          return rc;
        }
        if (rc == 0 || rel.out_port != R->rep.out_port) {
          s->release_missing++; /* released but never seen leaving: not passed */
          break;
        }
        *out = rel.out;
        *out_len = rel.out_len;
      }
      *pass = true;
      s->forwarded_out++;
      R->last_v = REPORT_ALLOWED;
    } else {
      s->host_denied++;
      R->last_v = REPORT_DENIED;
    }
    break;
  case NSG_SIMNIC_DROPPED: s->dropped++; break;
  case NSG_SIMNIC_NO_NIC: s->no_nic++; break;
  }
  return 0;
}

int run_sim(const struct run_opts *o)
{
  const struct common *cc = &o->c;
  struct common c = *cc;
  const struct update_opts *upo = &o->up;
  const char *pcap = o->pcap, *out_pcap = o->out_pcap, *flow_log = o->flow_log;
  enum nsg_flowlog_format fmt = o->fmt;
  bool flows = o->flows;
  struct nsg_config *cfg = load(&c), *next = NULL, *applied = NULL;
  if (!cfg)
    return EXIT_CONFIG;
  if (upo->set && !(next = load_update(&c, upo))) {
    nsg_config_free(cfg);
    return EXIT_CONFIG;
  }
  int rc = EXIT_QUERY;
  char err[512] = "";
  struct pcapin pin = {0};
  pcap_t *in = NULL;
  pcap_dumper_t *out = NULL;
  FILE *flog = NULL;
  struct simrun R;
  memset(&R, 0, sizeof R);
  struct report *rep = NULL;
  if (pcapin_open(&pin, pcap, "nsgnic run --sim") < 0)
    goto out; /* no output opened yet */
  in = pin.p;
  if (out_pcap && !(out = pcap_dump_open(in, out_pcap))) {
    fprintf(stderr, "nsgnic: cannot write %s: %s\n", out_pcap, pcap_geterr(in));
    goto out;
  }
  FILE *tf = o->trace ? fopen(o->trace, "w") : NULL; /* say now if the trace cannot be written */
  if (o->trace && !tf) {
    fprintf(stderr, "nsgnic run --sim: cannot write the trace %s: %s\n", o->trace, strerror(errno));
    goto out;
  }
  if (tf)
    fclose(tf);
  if (flow_log && !(flog = fopen(flow_log, "w"))) {
    fprintf(stderr, "nsgnic run: cannot write %s: %s\n", flow_log, strerror(errno));
    goto out;
  }
  struct nsg_simnic_opts so;
  nsg_simnic_opts_default(&so);
  so.firmware = o->firmware ? o->firmware : getenv("NSGNIC_FIRMWARE");
  so.trace = o->trace;
  so.trace_scope = o->trace_scope;
  unsigned long long fa = 0, fb = 0;
  if (o->trace_cycles) {
    unsigned long long a, b;
    parse_window(o->trace_cycles, &a, &b);
    so.trace_from = a;
    so.trace_to = b ? b + 1 : 0;
  } else if (o->trace_frames) {
    parse_window(o->trace_frames, &fa, &fb);
    so.trace_from = UINT64_MAX; /* on while the frames go through */
  }
  so.learn = true;
  so.events = true;
  if (!(R.n = nsg_simnic_new(cfg, &so, err, sizeof err))) {
    fprintf(stderr, "nsgnic run --sim: %s\n", err);
    goto out;
  }
  R.dev = nsg_simnic_dev(R.n);
  struct nsg_slowpath_opts spo;
  nsg_slowpath_opts_default(&spo);
  spo.flow_log = flog;
  spo.flow_log_format = fmt;
  spo.flow_log_always_end = o->always_end;
  if (o->limit > 0)
    spo.ct.per_nic_limit = (uint32_t)o->limit;
  if (!(R.sp = nsg_slowpath_new(cfg, &spo))) {
    fprintf(stderr, "nsgnic run --sim: cannot start the host slow path: %s\n", strerror(errno));
    goto out;
  }
  struct nsg_device_caps caps;
  if (nsg_device_caps(R.dev, &caps, err, sizeof err) < 0) {
    fprintf(stderr, "nsgnic run --sim: %s\n", err);
    goto out;
  }
  R.park = caps.caps & (1u << NSGNIC_CAP_EXC_PARK);
  /* S5: the per-NIC limit holds for the device's DRAM tier too (the cache alone has no per-NIC
   * counters: then only the host's flows are limited) */
  if (o->limit > 0 && (caps.caps & (1u << NSGNIC_CAP_FLOW_LIMIT)) &&
      nsg_device_flow_limit(R.dev, (uint32_t)o->limit, NULL, err, sizeof err) < 0) {
    fprintf(stderr, "nsgnic run --sim: %s\n", err);
    goto out;
  }
  /* host-driven time when the hardware has it and the firmware scans */
  if ((caps.caps & (1u << NSGNIC_CAP_AGING)) && nsg_device_time_external(R.dev, true, NULL, 0) == 0) {
    R.aging = true;
    struct nsg_ct_opts cto;
    nsg_ct_opts_default(&cto);
    const struct nsg_ct_timeouts *to = &cto.to;
    uint64_t m = to->tcp_half_open;
    const uint64_t all[] = {to->established, to->tcp_closing, to->tcp_time_wait, to->tcp_closed, to->udp_new, to->icmp};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
      m = all[i] < m ? all[i] : m;
    R.threshold = m / TICK_NS ? (uint32_t)(m / TICK_NS) : 1; /* the shortest timeout */
    R.dram = caps.dram_flow_entries != 0;
    R.scan_rounds = SCAN_WAIT_ROUNDS + (caps.flow_entries + caps.dram_flow_entries) / SCAN_SLOTS_PER_ROUND;
    /* the engine where it ages every hardware flow: the cache alone, or a DRAM tier it covers */
    bool engine_all = caps.dram_flow_entries == 0 || (caps.caps & (1u << NSGNIC_CAP_AGING_DRAM));
    if ((caps.caps & (1u << NSGNIC_CAP_HW_AGING)) && engine_all && setup_hw_aging(&R, cfg, to, err, sizeof err) < 0) {
      fprintf(stderr, "nsgnic run --sim: %s\n", err);
      goto out;
    }
  }
  struct nsg_exc_opts xo;
  nsg_exc_opts_default(&xo);
  xo.idle_tick_ns = TICK_NS;
  xo.vport_of_nic = cb_vport_of_nic;
  xo.nic_of_vport = cb_nic_of_vport;
  xo.out_port_of = cb_out_port;
  xo.vport_ctx = &R;
  xo.on_exception = cb_exception;
  xo.report_ctx = &R;
  xo.no_tick = true; /* ticked below, once per second of pcap time, after the aging pass */
  if (!(R.x = nsg_exc_new(R.sp, &nsg_device_exc_ops, R.dev, &xo))) {
    fprintf(stderr, "nsgnic run --sim: cannot start the exception loop: %s\n", strerror(errno));
    goto out;
  }
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  struct pcap_pkthdr *h;
  const u_char *data;
  uint64_t now = 0, last_tick = 0;
  rc = 0;
  double size = pcap_size(pcap);
  char rerr[600];
  static const struct report_labels labels = {
      "nsgnic run --sim: the co-simulated NIC",
      "the deciding rule of the datapath's verdict",
      "Hardware flow-cache occupancy (flows learned or installed, less those deleted)",
      "Exceptions (frames punted to the host) per second of pcap time",
      "Verdict latency in the co-simulated NIC (frame in to verdict, incl. the host's exception handling)",
      "device cycles per frame"};
  if (o->report && !(rep = report_new(o->report, &labels, rerr, sizeof rerr))) {
    fprintf(stderr, "nsgnic run --sim: %s\n", rerr);
    rc = EXIT_QUERY;
    goto out;
  }
  progress_start("run --sim");
  for (;;) {
    if (stop_requested()) {
      R.s.interrupted = true;
      rc = EXIT_INTERRUPTED;
      break;
    }
    if (next && R.s.frames == upo->at) {
      if (apply_update(&R, next, now, err, sizeof err) < 0) {
        fprintf(stderr, "nsgnic run --sim: the configuration update after packet %" PRIu64 " failed: %s\n",
                R.s.frames, err);
        rc = EXIT_QUERY;
        break;
      }
      R.s.update_at = R.s.frames;
      applied = next; /* the slow path's and the device's now: freed at the end */
      next = NULL;
    }
    int nr = pcapin_next(&pin, &h, &data);
    if (nr < 0 && !stop_requested()) { /* a signal may cut a read short: interrupted, below */
      R.s.input_error = true;
      rc = EXIT_QUERY;
    }
    if (nr != 1)
      break;
    uint64_t t = (uint64_t)h->ts.tv_sec * NSG_SEC + (uint64_t)h->ts.tv_usec * 1000;
    if (t > now)
      now = t;
    R.s.frames++;
    if (!R.s.first_set) {
      R.s.first_ts = t;
      R.s.first_set = true;
    }
    R.s.last_ts = t;
    if ((R.s.frames & 15) == 0) {
      struct nsg_ct_stats cs;
      nsg_ct_get_stats(nsg_slowpath_ct(R.sp), &cs);
      progress_set(R.s.frames, cs.flows, pcapin_share(&pin, size));
    }
    if (advance_time(&R, now, err, sizeof err) < 0) {
      fprintf(stderr, "nsgnic run --sim: frame %" PRIu64 ": aging: %s\n", R.s.frames, err);
      rc = EXIT_QUERY;
      break;
    }
    /* the host's second: flows aged (above), then the flow log's C tuples as the software path
     * writes them before this packet, hardware flows with the device's counters read first */
    if (R.s.frames == 1 || now / NSG_SEC > last_tick / NSG_SEC) {
      if (nsg_slowpath_hw_log_due(R.sp, now) && nsg_exc_rebuild(R.x, now) < 0) {
        fprintf(stderr, "nsgnic run --sim: frame %" PRIu64 ": reading the device's flow table failed\n",
                R.s.frames);
        rc = EXIT_QUERY;
        break;
      }
      nsg_slowpath_tick(R.sp, now);
      last_tick = now;
    }
    if (h->caplen < h->len || h->caplen == 0) {
      R.s.truncated++;
      continue;
    }
    bool pass;
    const uint8_t *fo;
    size_t fo_len;
    if (o->trace_frames && R.s.frames == (fa ? fa : 1))
      nsg_simnic_trace_window(R.n, nsg_simnic_cycles(R.n), 0);
    uint64_t c0 = nsg_simnic_cycles(R.n);
    int orc = one(&R, data, h->caplen, now, &pass, &fo, &fo_len, err, sizeof err);
    if (rep && !orc) {
      report_frame(rep, t, R.last_nic, R.last_rule, R.last_v, R.last_exc, (double)(nsg_simnic_cycles(R.n) - c0));
      struct nsg_ct_stats cs;
      nsg_ct_get_stats(nsg_slowpath_ct(R.sp), &cs);
      struct nsg_exc_stats xs;
      nsg_exc_get_stats(R.x, &xs);
      uint64_t in_hw = R.s.learned + xs.hw_installed;
      in_hw = in_hw > xs.hw_deleted ? in_hw - xs.hw_deleted : 0;
      report_flows(rep, t, cs.flows, cs.created, cs.ended, in_hw, caps.flow_entries);
    }
    if (o->trace_frames && fb && R.s.frames == fb)
      nsg_simnic_trace_window(R.n, UINT64_MAX, 0);
    if (orc) {
      fprintf(stderr, "nsgnic run --sim: frame %" PRIu64 ": %s\n", R.s.frames, err);
      rc = EXIT_QUERY;
      break;
    }
    if (pass && out) {
      struct pcap_pkthdr oh = *h;
      oh.caplen = oh.len = (bpf_u_int32)fo_len;
      pcap_dump((u_char *)out, &oh, fo);
    }
  }
  progress_end();
  if (stop_requested() && (!rc || rc == EXIT_INTERRUPTED)) { /* also when the signal cut a read short */
    R.s.interrupted = true;
    rc = EXIT_INTERRUPTED;
  }
  if (R.s.interrupted)
    fprintf(stderr, "nsgnic run --sim: interrupted after %" PRIu64 " frames; the summary and the outputs cover them\n",
            R.s.frames);
  if (next && !rc)
    fprintf(stderr, "nsgnic run --sim: --update-at %llu: the capture has only %" PRIu64 " packets; no update applied\n",
            upo->at, R.s.frames);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  /* the device's flows with their final counters and state, for the listing and the flow log */
  if (nsg_exc_rebuild(R.x, now) < 0 && (!rc || rc == EXIT_INTERRUPTED)) {
    fprintf(stderr, "nsgnic run --sim: reading the device's flow table failed\n");
    rc = EXIT_QUERY;
  }
  nsg_slowpath_finish(R.sp, now);
  double wall = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
  if (flows && count_device_flows(&R, err, sizeof err) < 0) {
    fprintf(stderr, "nsgnic run --sim: reading the device's flow table: %s\n", err);
    if (!rc)
      rc = EXIT_QUERY;
  }
  print_summary(&R, wall, c.json);
  if (rep) {
    char text[800], path[1200];
    snprintf(text, sizeof text,
             "%" PRIu64 " frames: %" PRIu64 " allowed by the datapath, %" PRIu64 " denied, %" PRIu64
             " punted to the host (%" PRIu64 " allowed there, %" PRIu64 " denied), %" PRIu64 " dropped, %" PRIu64
             " not for a local NIC\nflows learned by the hardware: %" PRIu64 ", flow-cache hits: %" PRIu64
             "\n%.2f s wall-clock time, %" PRIu64 " device cycles%s",
             R.s.frames, R.s.allowed, R.s.denied, R.s.punted, R.s.host_allowed, R.s.host_denied, R.s.dropped,
             R.s.no_nic, R.s.learned, R.s.flow_hits, wall, nsg_simnic_cycles(R.n),
             R.s.interrupted ? "\nINTERRUPTED: the figures cover the frames so far" : "");
    if (report_finish(rep, text, path, sizeof path, rerr, sizeof rerr) < 0) {
      fprintf(stderr, "nsgnic run --sim: no report: %s\n", rerr);
      if (!rc)
        rc = EXIT_QUERY;
    } else {
      fprintf(stderr, "nsgnic run --sim: report %s\n", path);
    }
  }
  if (flows)
    print_flows(R.sp, now, c.json);
out:
  if (out)
    pcap_dump_close(out);
  pcapin_close(&pin);
  if (R.s.input_error && out)
    output_incomplete("nsgnic run --sim", "--out-pcap", out_pcap);
  nsg_exc_free(R.x);
  nsg_slowpath_free(R.sp); /* completes the flow log */
  if (flog)
    fclose(flog);
  if (R.s.input_error && flog)
    output_incomplete("nsgnic run --sim", "the flow log", flow_log);
  nsg_simnic_free(R.n); /* closes the trace */
  if (R.n && o->trace) {
    char gtkw[4200], gerr[600];
    snprintf(gtkw, sizeof gtkw, "%.*s.gtkw",
             (int)(strlen(o->trace) > 4 && !strcmp(o->trace + strlen(o->trace) - 4, ".fst") ? strlen(o->trace) - 4
                                                                                               : strlen(o->trace)),
             o->trace);
    if (write_gtkw(o->trace, gtkw, gerr, sizeof gerr) < 0)
      fprintf(stderr, "nsgnic run --sim: no GTKWave save file: %s\n", gerr);
    else
      fprintf(stderr, "nsgnic run --sim: trace %s, GTKWave save file %s (gtkwave %s)\n", o->trace, gtkw, gtkw);
  }
  report_free(rep);
  free(R.s.rows);
  nsg_config_free(next);
  nsg_config_free(applied);
  nsg_config_free(cfg);
  return rc;
}

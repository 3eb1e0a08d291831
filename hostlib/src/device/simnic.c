/* SPDX-License-Identifier: Apache-2.0 */
/* The co-simulated NIC (nsgnic/simnic.h): driver backend "sim" + device layer + frames through
 * the Verilated datapath (sim/nsgnic_soc.h), verdicts mapped back with the image's names. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "model.h"
#include "nsgnic/abi.h"
#include "nsgnic/device.h"
#include "nsgnic/simnic.h"
#include "nsgnic/slowpath.h"
#include "tables.h"

void nsg_simnic_opts_default(struct nsg_simnic_opts *o)
{
  memset(o, 0, sizeof *o);
  o->timeout_ms = 300000; /* the realistic model boots and loads in millions of cycles */
}

#ifndef NSGNIC_HAVE_SOC_SIM

struct nsg_simnic *nsg_simnic_new(const struct nsg_config *cfg, const struct nsg_simnic_opts *o,
                                  char *err, size_t errlen)
{
  (void)cfg, (void)o;
  snprintf(err, errlen, "this build has no simulated NIC (configured with NSGNIC_HDL=OFF): "
           "rebuild with -DNSGNIC_HDL=ON");
  errno = ENOTSUP;
  return NULL;
}
void nsg_simnic_free(struct nsg_simnic *n) { (void)n; }
int nsg_simnic_verify(struct nsg_simnic *n, const struct nsg_query *q, struct nsg_verdict *v, char *err,
                      size_t errlen)
{
  (void)n, (void)q, (void)v, (void)err, (void)errlen;
  return -ENOTSUP;
}
int nsg_simnic_frame(struct nsg_simnic *n, const uint8_t *frame, size_t len, struct nsg_simnic_frame *r,
                     char *err, size_t errlen)
{
  (void)n, (void)frame, (void)len, (void)r, (void)err, (void)errlen;
  return -ENOTSUP;
}
void nsg_simnic_get_stats(const struct nsg_simnic *n, struct nsg_simnic_stats *s)
{
  (void)n;
  memset(s, 0, sizeof *s);
}
const struct nsg_tables *nsg_simnic_tables(const struct nsg_simnic *n) { (void)n; return NULL; }
struct nsgnic_dev *nsg_simnic_dev(struct nsg_simnic *n) { (void)n; return NULL; }
uint64_t nsg_simnic_cycles(const struct nsg_simnic *n) { (void)n; return 0; }
void nsg_simnic_trace_window(struct nsg_simnic *n, uint64_t from, uint64_t to) { (void)n, (void)from, (void)to; }
void nsg_simnic_step(struct nsg_simnic *n, uint64_t cycles) { (void)n, (void)cycles; }
int nsg_simnic_update(struct nsg_simnic *n, const struct nsg_config *cfg, struct nsg_device_load_stats *st,
                      char *err, size_t errlen)
{
  (void)n, (void)cfg, (void)st, (void)err, (void)errlen;
  return -ENOTSUP;
}
int nsg_simnic_released(struct nsg_simnic *n, uint64_t max_cycles, struct nsg_simnic_release *r)
{
  (void)n, (void)max_cycles, (void)r;
  return -ENOTSUP;
}
int nsg_simnic_vport(const struct nsg_simnic *n, const char *nic) { (void)n, (void)nic; return -1; }
const char *nsg_simnic_vport_nic(const struct nsg_simnic *n, int vport) { (void)n, (void)vport; return NULL; }
int nsg_simnic_port(const struct nsg_simnic *n, int vport, bool to_vf) { (void)n, (void)vport, (void)to_vf; return -1; }

#else

#include "nsgnic_soc.h"

enum { FRAME_MAX = 65536, DRAIN_CYCLES = 100000 }; /* FRAME_MAX: nsgnic_soc_send's limit */

struct nsg_simnic {
  const struct nsg_config *cfg;
  bool events; /* the caller reads the event ring */
  struct nsgnic_dev *dev;
  struct nsgnic_soc *soc;
  struct nsg_tables *t;
  struct nsg_compile_opts dev_co; /* the device's sizes (GET_CAPS at boot): updates compile for them */
  struct nsg_simnic_stats st;
  uint8_t out[FRAME_MAX];
  size_t out_len;
};

/* Compile options for the simulated device's sizes (what GET_CAPS will report: checked once the
 * device is up; updates take them from the device). */
static void compile_opts(struct nsg_compile_opts *co)
{
  struct nsgnic_soc_params sp;
  nsgnic_soc_params(&sp);
  nsg_compile_opts_default(co);
  co->rule_entries = sp.rule_entries;
  co->label_entries = sp.label_entries;
  if (sp.label_lpm) { /* as nsg_device_compile_opts for a device with trees */
    co->label_lpm = true;
    co->label_entries = 1;
  }
  if (sp.label_lpm && sp.label_ctx) { /* per-vport label contexts: the label TCAM is the local table */
    co->label_ctx = true;
    co->label_entries = sp.label_entries;
  }
  co->platform_entries = sp.platform_entries;
  co->vports = sp.vports;
  co->no_port_classes = false; /* the SoC has the comparators; nsg_device_load sets them */
}

struct nsg_simnic *nsg_simnic_new(const struct nsg_config *cfg, const struct nsg_simnic_opts *o,
                                  char *err, size_t errlen)
{
  struct nsg_simnic_opts def;
  if (!o) {
    nsg_simnic_opts_default(&def);
    o = &def;
  }
  struct nsg_simnic *n = calloc(1, sizeof *n);
  if (!n) {
    snprintf(err, errlen, "out of memory");
    errno = ENOMEM;
    return NULL;
  }
  n->cfg = cfg;
  n->events = o->events;
  int rc = 0;
  /* compile first, for the simulated device's sizes (what GET_CAPS will report): a configuration
   * that does not fit fails before the device boots */
  struct nsg_compile_opts co;
  compile_opts(&co);
  n->t = nsg_compile(cfg, &co, err, errlen);
  if (!n->t) {
    rc = -errno;
    goto fail;
  }
  char spec[2200];
  int k = snprintf(spec, sizeof spec, "sim");
  if (o->firmware)
    k += snprintf(spec + k, sizeof spec - (size_t)k, ",fw=%s", o->firmware);
  if (o->trace)
    k += snprintf(spec + k, sizeof spec - (size_t)k, ",trace=%s", o->trace);
  if (o->trace && o->trace_scope)
    k += snprintf(spec + k, sizeof spec - (size_t)k, ",tscope=%s", o->trace_scope);
  if (o->trace && (o->trace_from || o->trace_to))
    snprintf(spec + k, sizeof spec - (size_t)k, ",tfrom=%llu,tto=%llu", (unsigned long long)o->trace_from,
             (unsigned long long)o->trace_to);
  struct nsgnic_dev_opts dopts;
  nsgnic_dev_opts_default(&dopts);
  dopts.log = o->log;
  dopts.log_ctx = o->log_ctx;
  dopts.timeout_ms = o->timeout_ms ? o->timeout_ms : 300000;
  n->dev = nsgnic_dev_open(spec, &dopts);
  if (!n->dev) {
    rc = -errno;
    snprintf(err, errlen, "cannot open the simulated device (%s)", strerror(errno));
    goto fail;
  }
  n->soc = nsgnic_dev_sim_soc(n->dev);
  if ((rc = nsgnic_dev_attach(n->dev))) {
    snprintf(err, errlen, "the simulated device's firmware did not come up (%s)", strerror(-rc));
    goto fail;
  }
  n->st.boot_cycles = nsgnic_soc_cycles(n->soc);
  /* the sizes compiled for are the device's own (GET_CAPS) */
  struct nsg_compile_opts dco;
  if ((rc = nsg_device_compile_opts(n->dev, &dco, err, errlen)))
    goto fail;
  n->dev_co = dco;
  if (dco.rule_entries != co.rule_entries || dco.label_entries != co.label_entries ||
      dco.platform_entries != co.platform_entries || dco.vports != co.vports) {
    snprintf(err, errlen,
             "the simulated device reports %u rule, %u label, %u platform entries and %u vports, "
             "its model was built with %u, %u, %u and %u",
             dco.rule_entries, dco.label_entries, dco.platform_entries, dco.vports,
             co.rule_entries, co.label_entries, co.platform_entries, co.vports);
    rc = -EPROTO;
    goto fail;
  }
  uint32_t ctrl = nsgnic_dev_rd32(n->dev, NSGNIC_HOSTREG_CTRL);
  ctrl &= ~(1u << NSGNIC_CTRL_LEARN_OFF_LSB);
  if (!o->learn)
    ctrl |= 1u << NSGNIC_CTRL_LEARN_OFF_LSB;
  nsgnic_dev_wr32(n->dev, NSGNIC_HOSTREG_CTRL, ctrl);

  struct nsg_device_load_stats ls;
  uint64_t c0 = nsgnic_soc_cycles(n->soc);
  if ((rc = nsg_device_load(n->dev, n->t, &ls, err, errlen)))
    goto fail;
  n->st.load_cycles = nsgnic_soc_cycles(n->soc) - c0;
  n->st.tcam_writes = ls.tcam_writes;
  n->st.bind_writes = ls.bind_writes;
  return n;
fail:
  nsg_simnic_free(n);
  errno = rc < 0 ? -rc : EIO;
  return NULL;
}

void nsg_simnic_free(struct nsg_simnic *n)
{
  if (!n)
    return;
  nsg_tables_free(n->t);
  nsgnic_dev_close(n->dev);
  free(n);
}

void nsg_simnic_get_stats(const struct nsg_simnic *n, struct nsg_simnic_stats *s) { *s = n->st; }
const struct nsg_tables *nsg_simnic_tables(const struct nsg_simnic *n) { return n->t; }
struct nsgnic_dev *nsg_simnic_dev(struct nsg_simnic *n) { return n->dev; }
uint64_t nsg_simnic_cycles(const struct nsg_simnic *n) { return nsgnic_soc_cycles(n->soc); }
void nsg_simnic_trace_window(struct nsg_simnic *n, uint64_t from, uint64_t to)
{
  nsgnic_soc_trace_window(n->soc, from, to);
}
void nsg_simnic_step(struct nsg_simnic *n, uint64_t cycles) { nsgnic_soc_step(n->soc, cycles); }

int nsg_simnic_update(struct nsg_simnic *n, const struct nsg_config *cfg, struct nsg_device_load_stats *st,
                      char *err, size_t errlen)
{
  struct nsg_compile_opts co = n->dev_co;
  co.reuse = n->t;
  struct nsg_tables *t = nsg_compile(cfg, &co, err, errlen);
  if (!t)
    return -errno;
  /* the update renumbers the new rules into the old rule-id space (old ids, then the new names):
   * the results the device reports from now on follow that name table, not t's own */
  struct nsg_update *u = nsg_update_plan(n->t, t, err, errlen);
  if (!u) {
    int e = errno;
    nsg_tables_free(t);
    return -e;
  }
  int rc = nsg_device_update(n->dev, n->t, t, st, err, errlen);
  if (rc == 0 && nsg_update_install_names(u, t) < 0) {
    snprintf(err, errlen, "the device has the new rules, but their names could not be kept: out of memory");
    rc = -ENOMEM;
  }
  nsg_update_free(u);
  if (rc < 0) {
    nsg_tables_free(t);
    return rc;
  }
  nsg_tables_free(n->t);
  n->t = t;
  n->cfg = cfg;
  return 0;
}

int nsg_simnic_released(struct nsg_simnic *n, uint64_t max_cycles, struct nsg_simnic_release *r)
{
  memset(r, 0, sizeof *r);
  for (uint64_t ran = 0;; ran += 200) {
    struct nsgnic_soc_result res;
    if (nsgnic_soc_recv(n->soc, &res) == 1) {
      if (!res.released)
        return -EPROTO;
      n->out_len = res.len < sizeof n->out ? res.len : sizeof n->out;
      memcpy(n->out, res.data, n->out_len);
      r->out_port = res.out_port;
      r->out = n->out;
      r->out_len = n->out_len;
      return 1;
    }
    if (ran >= max_cycles)
      return 0;
    nsgnic_soc_step(n->soc, 200);
  }
}

static bool nic_matches(const struct nsg_tvport *p, const char *name);

int nsg_simnic_vport(const struct nsg_simnic *n, const char *nic)
{
  for (size_t i = 0; i < n->t->nvports; i++)
    if (nic_matches(&n->t->vports[i], nic))
      return (int)i;
  return -1;
}

const char *nsg_simnic_vport_nic(const struct nsg_simnic *n, int vport)
{
  return vport >= 0 && (size_t)vport < n->t->nvports ? n->t->vports[vport].nic_name : NULL;
}

int nsg_simnic_port(const struct nsg_simnic *n, int vport, bool to_vf)
{
  if (vport < 0 || (size_t)vport >= n->t->nvports)
    return -1;
  return to_vf ? nsgnic_soc_port(true, (unsigned)vport)
               : nsgnic_soc_port(false, (unsigned)NSGNIC_GET(n->t->bind[vport], BINDING_CTX));
}

/* ---- frames ----------------------------------------------------------------------------------- */
static void put16(uint8_t *p, unsigned v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }

static void put_addr(uint8_t *p, const struct nsg_ip *a)
{
  unsigned bytes = a->fam == NSG_AF6 ? 16 : 4;
  for (unsigned i = 0; i < bytes; i++)
    p[i] = (uint8_t)(a->v >> (8 * (bytes - 1 - i)));
}

/* A first packet from src to dst: TCP SYN, UDP, ICMP(v6) echo request, or 8 bytes of payload
 * after the IP header. Returns the frame length. */
static size_t build_frame(uint8_t *f, const struct nsg_ip *src, const struct nsg_ip *dst, int proto,
                          uint16_t sport, uint16_t dport)
{
  static const uint8_t mac[12] = {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1};
  memset(f, 0, 128);
  memcpy(f, mac, 12);
  bool v6 = src->fam == NSG_AF6;
  put16(f + 12, v6 ? 0x86dd : 0x0800);
  uint8_t *ip = f + 14, *l4 = ip + (v6 ? 40 : 20);
  size_t l4len = proto == 6 ? 20 : 8;
  if (proto == 6 || proto == 17) {
    put16(l4, sport);
    put16(l4 + 2, dport);
    if (proto == 6) {
      l4[7] = 1;        /* sequence number */
      l4[12] = 5 << 4;  /* data offset */
      l4[13] = 0x02;    /* SYN */
      put16(l4 + 14, 65535);
    } else {
      put16(l4 + 4, 8);
    }
  } else if ((proto == 1 && !v6) || (proto == 58 && v6)) {
    l4[0] = v6 ? 128 : 8; /* echo request */
    put16(l4 + 4, 1);     /* identifier */
  }
  if (v6) {
    ip[0] = 0x60;
    put16(ip + 4, (unsigned)l4len);
    ip[6] = (uint8_t)proto;
    ip[7] = 64;
    put_addr(ip + 8, src);
    put_addr(ip + 24, dst);
  } else {
    ip[0] = 0x45;
    put16(ip + 2, (unsigned)(20 + l4len));
    ip[8] = 64;
    ip[9] = (uint8_t)proto;
    put_addr(ip + 12, src);
    put_addr(ip + 16, dst);
    uint32_t sum = 0;
    for (int i = 0; i < 20; i += 2)
      sum += (uint32_t)(ip[i] << 8 | ip[i + 1]);
    while (sum >> 16)
      sum = (sum & 0xffff) + (sum >> 16);
    put16(ip + 10, ~sum & 0xffff);
  }
  size_t len = (size_t)(l4 - f) + l4len;
  return len < 60 ? 60 : len;
}

/* Drops whatever the firmware posted on the event ring (exceptions, idle reports): this user
 * decides punted frames from the frame it sent, and the ring must not fill up. A parked
 * exception is released as a drop, so its park slot is free for the next punt at once. */
static void drain_events(struct nsg_simnic *n)
{
  uint32_t slot[NSGNIC_SLOT_WORDS];
  for (int i = 0; i < 256 && nsgnic_dev_event_slot(n->dev, slot) == 1; i++)
    if (NSGNIC_GET(slot, EVT_HDR_CODE) == NSGNIC_EVT_EXCEPTION &&
        NSGNIC_GET(slot + NSGNIC_MSG_HDR_WORDS, P_EXC_PARKED))
      nsg_device_exc_release(n->dev, slot[1], 0, false, NULL, 0);
}

/* Sends one frame on port and waits for its result. */
static int one_frame(struct nsg_simnic *n, uint16_t port, const uint8_t *f, size_t len,
                     struct nsgnic_soc_result *res, char *err, size_t errlen)
{
  uint64_t id;
  int rc = nsgnic_soc_send(n->soc, port, f, len, &id);
  if (!rc)
    rc = nsgnic_soc_drain(n->soc, DRAIN_CYCLES);
  if (!rc && nsgnic_soc_recv(n->soc, res) != 1)
    rc = -EPROTO;
  if (rc) {
    snprintf(err, errlen, "simulated datapath: frame %llu got no result (%s)", (unsigned long long)id,
             strerror(-rc));
    return rc;
  }
  n->st.frames++;
  n->st.learned += res->learned;
  n->st.flow_hits += res->flow_hit;
  switch (res->action) {
  case NSGNIC_ACTION_ALLOW: n->st.allowed++; break;
  case NSGNIC_ACTION_PUNT: n->st.punted++; break;
  default:
    if (res->reason == NSGNIC_REASON_RULE_DENY || res->reason == NSGNIC_REASON_PLATFORM_BLOCK ||
        res->reason == NSGNIC_REASON_FLOW_DENY)
      n->st.denied++;
    else
      n->st.dropped++;
  }
  if (res->action == NSGNIC_ACTION_ALLOW) {
    n->out_len = res->len < sizeof n->out ? res->len : sizeof n->out;
    memcpy(n->out, res->data, n->out_len);
  }
  if (res->action == NSGNIC_ACTION_PUNT && !n->events)
    drain_events(n);
  return 0;
}

static bool nic_matches(const struct nsg_tvport *p, const char *name)
{
  return (p->nic_id && nsg_strcaseeq(p->nic_id, name)) || nsg_strcaseeq(p->nic_name, name);
}

static void rule_of(const struct nsg_tables *t, unsigned id, char *nsg, size_t nn, char *rule, size_t rn)
{
  if (id < t->nrnames) {
    snprintf(nsg, nn, "%s", t->rnames[id].nsg);
    snprintf(rule, rn, "%s", t->rnames[id].rule);
  } else {
    snprintf(nsg, nn, "%s", "");
    snprintf(rule, rn, "%s", "");
  }
}

int nsg_simnic_verify(struct nsg_simnic *n, const struct nsg_query *q, struct nsg_verdict *v, char *err,
                      size_t errlen)
{
  const struct nsg_tables *t = n->t;
  memset(v, 0, sizeof *v);
  /* the query checks (unknown NIC, addresses) are the reference's, messages included */
  struct nsg_verdict ref;
  int rc = nsg_verify(n->cfg, q, &ref, err, errlen);
  if (rc)
    return rc;
  struct nsg_ip local, remote;
  if (nsg_ip_parse(q->local, &local) < 0 || nsg_ip_parse(q->remote, &remote) < 0)
    return -EINVAL;
  long vp = -1;
  for (size_t i = 0; i < t->nvports && vp < 0; i++)
    if (nic_matches(&t->vports[i], q->nic))
      for (size_t k = 0; k < t->vports[i].nips; k++)
        if (nsg_ip_equal(&t->vports[i].ips[k], &local))
          vp = (long)i;
  if (vp < 0) {
    snprintf(err, errlen, "local address %s is not an address of network interface '%s' in the compiled tables",
             q->local, q->nic);
    return -EINVAL;
  }
  const uint32_t *b = t->bind[vp];
  bool out = q->dir == NSG_OUTBOUND;
  bool l4 = q->proto == 6 || q->proto == 17;
  uint16_t lport = l4 ? q->local_port : 0, rport = l4 ? q->remote_port : 0;
  uint8_t f[128];
  size_t len = out ? build_frame(f, &local, &remote, q->proto, lport, rport)
                   : build_frame(f, &remote, &local, q->proto, rport, lport);
  uint16_t port = out ? nsgnic_soc_port(true, (unsigned)vp)
                      : nsgnic_soc_port(false, (unsigned)NSGNIC_GET(b, BINDING_CTX));
  struct nsgnic_soc_result res;
  if ((rc = one_frame(n, port, f, len, &res, err, errlen)))
    return rc;
  if (res.action == NSGNIC_ACTION_PUNT) {
    /* the host's exception path decides, as the reference evaluator does */
    *v = ref;
    return 0;
  }
  if (res.action == NSGNIC_ACTION_ALLOW) {
    v->allow = true;
    if (res.rule_id != NSGNIC_NO_RULE_ID) {
      if (res.rule_id >= t->nrnames) {
        snprintf(err, errlen, "datapath: rule id %u outside the rule-name table (%zu)", res.rule_id, t->nrnames);
        return -EIO;
      }
      v->kind = NSG_DECIDED_BY_RULE;
      rule_of(t, res.rule_id, v->nsg_name, sizeof v->nsg_name, v->rule_name, sizeof v->rule_name);
    } else {
      /* no rule decided: the platform exemption (S10/S11) or no NSG at either level. The
       * datapath does not report which; the host names it from the same tables (bit-exact
       * model), and refuses an answer that disagrees with the hardware's */
      struct nsg_verdict tv;
      if ((rc = nsg_tables_verify(t, q, &tv, err, errlen)))
        return rc;
      if (!tv.allow || tv.kind == NSG_DECIDED_BY_RULE) {
        snprintf(err, errlen, "datapath allowed without a rule, the tables say %s by %s",
                 tv.allow ? "allow" : "deny", tv.rule_name);
        return -EIO;
      }
      v->kind = tv.kind;
      snprintf(v->reason, sizeof v->reason, "%s", tv.reason);
    }
    return 0;
  }
  if (res.reason == NSGNIC_REASON_RULE_DENY) {
    v->kind = NSG_DECIDED_BY_RULE;
    rule_of(t, res.rule_id, v->nsg_name, sizeof v->nsg_name, v->rule_name, sizeof v->rule_name);
    return 0;
  }
  if (res.reason == NSGNIC_REASON_PLATFORM_BLOCK) {
    v->kind = NSG_DECIDED_BY_PLATFORM;
    snprintf(v->reason, sizeof v->reason,
             "outbound TCP port 25 to the Internet is blocked for this subscription type (S13)");
    return 0;
  }
  snprintf(err, errlen, "datapath dropped the query's frame (reason %u): no verdict", res.reason);
  return -EIO;
}

static long vport_of(const struct nsg_tables *t, uint8_t fam, const uint64_t a[2])
{
  struct nsg_ip ip = {.fam = fam == 6 ? NSG_AF6 : NSG_AF4, .v = ((nsg_u128)a[1] << 64) | a[0]};
  for (size_t i = 0; i < t->nvports; i++)
    for (size_t k = 0; k < t->vports[i].nips; k++)
      if (nsg_ip_equal(&t->vports[i].ips[k], &ip))
        return (long)i;
  return -1;
}

int nsg_simnic_frame(struct nsg_simnic *n, const uint8_t *frame, size_t len, struct nsg_simnic_frame *r,
                     char *err, size_t errlen)
{
  const struct nsg_tables *t = n->t;
  memset(r, 0, sizeof *r);
  r->vport = -1;
  struct nsg_pkt p;
  long svp = -1, dvp = -1;
  if (nsg_pkt_parse(frame, len, &p) == NSG_PKT_OK) {
    svp = vport_of(t, p.fam, p.src);
    dvp = vport_of(t, p.fam, p.dst);
  }
  if (svp < 0 && dvp < 0) {
    /* not addressed to or from a local NIC (or unreadable): the datapath still decides
     * unreadable frames from the wire of context 0 (malformed ones are dropped or punted) */
    if (nsg_pkt_parse(frame, len, &p) == NSG_PKT_OK) {
      r->fate = NSG_SIMNIC_NO_NIC;
      return 0;
    }
  }
  const uint8_t *cur = frame;
  size_t cur_len = len;
  for (int leg = 0; leg < 2; leg++) {
    bool out = leg == 0 && svp >= 0;
    long vp = out ? svp : dvp;
    uint16_t port = out ? nsgnic_soc_port(true, (unsigned)vp)
                        : nsgnic_soc_port(false, vp >= 0 ? (unsigned)NSGNIC_GET(t->bind[vp], BINDING_CTX) : 0);
    struct nsgnic_soc_result res;
    int rc = one_frame(n, port, cur, cur_len, &res, err, errlen);
    if (rc)
      return rc;
    struct nsg_simnic_leg *lg = &r->legs[r->nlegs++];
    lg->vport = (int)vp;
    lg->outbound = out;
    lg->learned = res.learned;
    lg->flow_hit = res.flow_hit;
    lg->action = res.action;
    lg->reason = res.reason;
    r->vport = (int)vp;
    r->nic = vp >= 0 ? t->vports[vp].nic_name : NULL;
    r->outbound = out;
    r->reason = res.reason;
    r->learned |= res.learned;
    r->flow_hit |= res.flow_hit;
    r->rule[0] = 0;
    if (res.rule_id != NSGNIC_NO_RULE_ID && res.rule_id < t->nrnames)
      snprintf(r->rule, sizeof r->rule, "%s/%s", t->rnames[res.rule_id].nsg, t->rnames[res.rule_id].rule);
    else if (res.action == NSGNIC_ACTION_ALLOW || res.reason == NSGNIC_REASON_PLATFORM_BLOCK)
      snprintf(r->rule, sizeof r->rule, "%s", res.flow_hit ? "flow" : "platform");
    if (res.action == NSGNIC_ACTION_PUNT) {
      r->fate = NSG_SIMNIC_PUNTED;
      return 0;
    }
    if (res.action != NSGNIC_ACTION_ALLOW) {
      bool denied = res.reason == NSGNIC_REASON_RULE_DENY || res.reason == NSGNIC_REASON_PLATFORM_BLOCK ||
                    res.reason == NSGNIC_REASON_FLOW_DENY;
      r->fate = denied ? NSG_SIMNIC_DENIED : NSG_SIMNIC_DROPPED;
      return 0;
    }
    r->fate = NSG_SIMNIC_ALLOWED;
    r->out = n->out;
    r->out_len = n->out_len;
    if (!out || dvp < 0)
      break;
    cur = n->out;  /* the inbound leg of a frame between two local NICs */
    cur_len = n->out_len;
  }
  return 0;
}

#endif

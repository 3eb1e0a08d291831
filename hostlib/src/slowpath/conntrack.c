/* SPDX-License-Identifier: Apache-2.0 */
/* Software connection tracking (S5): the flows the hardware could not hold, and the host's view
 * of the ones it does.
 *
 * Design. Flows live in one array of max_flows slots (reserved at once, committed by the kernel
 * as it is used; ids are stable indices); a power-of-two bucket array chains them by key hash
 * (doubled when the load passes 1).
 * The key is normalized on the NIC's side (local = the NIC's address), so both directions of a
 * connection hash to the same entry — the same convention as the device's FLOW layout.
 * Aging: every timeout value in use has its own LRU list; a flow touched by a packet moves to the
 * tail of its list, so each list stays sorted by last-seen time and expiry only ever looks at
 * list heads: the sweep costs O(flows ended), not O(flows). A state change that changes the
 * timeout moves the flow to the list of the new value. Hardware flows are on no list: the
 * device's idle reports age them (nsg_ct_hw_idle).
 * S5 limit: a count per (NIC, initiating direction); a create beyond the limit fails with
 * -EDQUOT and is counted, existing flows are untouched. */
#define _DEFAULT_SOURCE 1 /* madvise(MADV_HUGEPAGE) */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "nsgnic/slowpath.h"

#define NIL UINT32_MAX
#define MAX_TCLASS 64 /* distinct timeout values in use at once */
#define HUGE_ALIGN ((size_t)2 << 20)

/* Large tables are 2 MiB aligned and marked for transparent huge pages: at a million flows every
 * lookup is a random access, and 4 KiB pages would add a TLB miss to each. */
static void *big_alloc(size_t bytes)
{
  void *p = NULL;
  if (bytes < HUGE_ALIGN)
    return aligned_alloc(64, (bytes + 63) & ~(size_t)63);
  bytes = (bytes + HUGE_ALIGN - 1) & ~(HUGE_ALIGN - 1);
  if (posix_memalign(&p, HUGE_ALIGN, bytes))
    return NULL;
  madvise(p, bytes, MADV_HUGEPAGE); /* advice only: failure is harmless */
  return p;
}

/* 192 bytes, cache-line aligned: the chain link and the key share the first line, so a lookup
 * touches one line per chained flow. */
struct flow {
  _Alignas(64) uint32_t hnext; /* bucket chain, or free list */
  uint32_t prev, next;  /* LRU list of its timeout class */
  uint8_t tclass;       /* list index, 0xff: on no list (hardware, free) */
  uint8_t fin_bits;
  bool used;
  uint64_t queued;      /* time it was (re)appended to its list: queued <= last < queued + G */
  struct nsg_flow_info i;
};

struct tclass {
  uint64_t timeout;
  uint32_t head, tail, n;
};

struct nsg_ct {
  struct nsg_ct_opts o;
  struct flow *f;
  size_t nslots, cap;   /* slots initialized / allocated */
  uint32_t free_head;
  uint32_t *bucket;
  size_t nbuckets;      /* power of two */
  struct tclass tc[MAX_TCLASS];
  unsigned ntc;
  uint32_t (*nic_count)[2];
  size_t nnic;
  struct nsg_ct_stats st;
  nsg_ct_end_fn end_fn;
  void *end_ctx;
};

static const char *const state_names[NSG_CT_STATES] = {
    "SYN_SENT", "SYN_RECV", "ESTABLISHED", "FIN_WAIT", "CLOSING", "TIME_WAIT", "CLOSED",
    "UDP_NEW", "UDP_REPLIED", "ICMP_NEW", "ICMP_REPLIED", "OTHER_NEW", "OTHER_REPLIED"};

const char *nsg_ct_state_name(enum nsg_ct_state s)
{
  return (unsigned)s < NSG_CT_STATES ? state_names[s] : "?";
}

const char *nsg_ct_end_name(enum nsg_ct_end e)
{
  static const char *const n[] = {"idle", "fin", "rst", "flush", "reopen", "shutdown"};
  return (unsigned)e < 6 ? n[e] : "?";
}

void nsg_ct_opts_default(struct nsg_ct_opts *o)
{
  memset(o, 0, sizeof *o);
  o->max_flows = 1u << 20;
  o->per_nic_limit = 500000;
  o->to.tcp_half_open = 30 * NSG_SEC;
  o->to.established = 240 * NSG_SEC;
  o->to.tcp_closing = 30 * NSG_SEC;
  o->to.tcp_time_wait = 10 * NSG_SEC;
  o->to.tcp_closed = 10 * NSG_SEC;
  o->to.udp_new = 30 * NSG_SEC;
  o->to.icmp = 30 * NSG_SEC;
  o->aging_granularity = NSG_SEC;
}

static uint64_t mix(uint64_t x)
{
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdull;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ull;
  x ^= x >> 33;
  return x;
}

static uint64_t key_hash(const struct nsg_flow_key *k)
{
  uint64_t h = mix(k->local[0] ^ 0x9e3779b97f4a7c15ull);
  h = mix(h ^ k->local[1]);
  h = mix(h ^ k->remote[0]);
  h = mix(h ^ k->remote[1]);
  return mix(h ^ ((uint64_t)k->lport | (uint64_t)k->rport << 16 | (uint64_t)k->proto << 32 |
                  (uint64_t)k->fam << 40 | (uint64_t)k->nic << 48));
}

static bool key_eq(const struct nsg_flow_key *a, const struct nsg_flow_key *b)
{
  return a->local[0] == b->local[0] && a->remote[0] == b->remote[0] && a->local[1] == b->local[1] &&
         a->remote[1] == b->remote[1] && a->lport == b->lport && a->rport == b->rport &&
         a->proto == b->proto && a->fam == b->fam && a->nic == b->nic;
}

struct nsg_ct *nsg_ct_new(const struct nsg_ct_opts *o)
{
  struct nsg_ct *ct = calloc(1, sizeof *ct);
  if (!ct) {
    errno = ENOMEM;
    return NULL;
  }
  if (o)
    ct->o = *o;
  else
    nsg_ct_opts_default(&ct->o);
  if (ct->o.max_flows == 0 || ct->o.max_flows >= NIL) {
    free(ct);
    errno = EINVAL;
    return NULL;
  }
  ct->free_head = NIL;
  ct->nbuckets = 1024;
  ct->bucket = big_alloc(ct->nbuckets * sizeof *ct->bucket);
  if (!ct->bucket) {
    free(ct);
    errno = ENOMEM;
    return NULL;
  }
  memset(ct->bucket, 0xff, ct->nbuckets * sizeof *ct->bucket);
  /* the whole slot array at once: virtual memory, committed page by page as slots are used, so
   * ids never move and nothing is ever copied */
  ct->f = big_alloc(ct->o.max_flows * sizeof *ct->f);
  if (!ct->f) {
    free(ct->bucket);
    free(ct);
    errno = ENOMEM;
    return NULL;
  }
  ct->cap = ct->o.max_flows;
  return ct;
}

void nsg_ct_free(struct nsg_ct *ct)
{
  if (!ct)
    return;
  free(ct->f);
  free(ct->bucket);
  free(ct->nic_count);
  free(ct);
}

void nsg_ct_set_end_cb(struct nsg_ct *ct, nsg_ct_end_fn fn, void *ctx)
{
  ct->end_fn = fn;
  ct->end_ctx = ctx;
}

static struct flow *get(const struct nsg_ct *ct, long id)
{
  if (id < 0 || (size_t)id >= ct->nslots || !ct->f[id].used)
    return NULL;
  return &ct->f[id];
}

long nsg_ct_lookup(struct nsg_ct *ct, const struct nsg_flow_key *k)
{
  ct->st.lookups++;
  uint32_t i = ct->bucket[key_hash(k) & (ct->nbuckets - 1)];
  while (i != NIL) {
    if (key_eq(&ct->f[i].i.key, k)) {
      ct->st.hits++;
      return i;
    }
    i = ct->f[i].hnext;
  }
  return -ENOENT;
}

uint64_t nsg_ct_timeout(const struct nsg_ct *ct, enum nsg_ct_state s, uint64_t est)
{
  const struct nsg_ct_timeouts *t = &ct->o.to;
  if (!est)
    est = t->established;
  switch (s) {
  case NSG_CT_TCP_SYN_SENT:
  case NSG_CT_TCP_SYN_RECV:
    return t->tcp_half_open;
  case NSG_CT_TCP_FIN_WAIT:
  case NSG_CT_TCP_CLOSING:
    return t->tcp_closing;
  case NSG_CT_TCP_TIME_WAIT:
    return t->tcp_time_wait;
  case NSG_CT_TCP_CLOSED:
    return t->tcp_closed;
  case NSG_CT_UDP_NEW:
  case NSG_CT_OTHER_NEW:
    return t->udp_new;
  case NSG_CT_ICMP_NEW:
  case NSG_CT_ICMP_REPLIED:
    return t->icmp;
  case NSG_CT_TCP_ESTABLISHED:
  case NSG_CT_UDP_REPLIED:
  case NSG_CT_OTHER_REPLIED:
  default:
    return est;
  }
}

/* ---- LRU lists per timeout value ---------------------------------------------------------- */
static void lru_unlink(struct nsg_ct *ct, uint32_t i)
{
  struct flow *f = &ct->f[i];
  if (f->tclass == 0xff)
    return;
  struct tclass *c = &ct->tc[f->tclass];
  if (f->prev != NIL)
    ct->f[f->prev].next = f->next;
  else
    c->head = f->next;
  if (f->next != NIL)
    ct->f[f->next].prev = f->prev;
  else
    c->tail = f->prev;
  c->n--;
  f->tclass = 0xff;
  f->prev = f->next = NIL;
}

static int tclass_of(struct nsg_ct *ct, uint64_t timeout)
{
  for (unsigned k = 0; k < ct->ntc; k++)
    if (ct->tc[k].timeout == timeout)
      return (int)k;
  for (unsigned k = 0; k < ct->ntc; k++)
    if (ct->tc[k].n == 0) { /* reuse an empty class */
      ct->tc[k].timeout = timeout;
      return (int)k;
    }
  if (ct->ntc == MAX_TCLASS)
    return -1;
  ct->tc[ct->ntc] = (struct tclass){timeout, NIL, NIL, 0};
  return (int)ct->ntc++;
}

/* Puts flow i at the tail of the list of its current timeout (software flows only). */
static void lru_touch(struct nsg_ct *ct, uint32_t i)
{
  struct flow *f = &ct->f[i];
  if (f->i.where == NSG_FLOW_HW) {
    lru_unlink(ct, i);
    return;
  }
  uint64_t to = nsg_ct_timeout(ct, f->i.state, f->i.timeout_est);
  int k = f->tclass != 0xff && ct->tc[f->tclass].timeout == to ? f->tclass : tclass_of(ct, to);
  if (k < 0) /* more distinct timeouts than lists: keep the flow where it is */
    k = f->tclass != 0xff ? f->tclass : 0;
  if (f->tclass == k && (ct->tc[k].tail == i || f->i.last - f->queued < ct->o.aging_granularity))
    return; /* within the granularity: stays (expiry is at most G late, docs/slowpath.md) */
  lru_unlink(ct, i);
  f->queued = f->i.last;
  struct tclass *c = &ct->tc[k];
  f->tclass = (uint8_t)k;
  f->prev = c->tail;
  f->next = NIL;
  if (c->tail != NIL)
    ct->f[c->tail].next = i;
  else
    c->head = i;
  c->tail = i;
  c->n++;
}

/* ---- table ------------------------------------------------------------------------------- */
static int grow_buckets(struct nsg_ct *ct)
{
  size_t nb = ct->nbuckets * 2;
  uint32_t *b = big_alloc(nb * sizeof *b);
  if (!b)
    return -ENOMEM;
  memset(b, 0xff, nb * sizeof *b);
  for (size_t i = 0; i < ct->nslots; i++) {
    if (!ct->f[i].used)
      continue;
    size_t h = key_hash(&ct->f[i].i.key) & (nb - 1);
    ct->f[i].hnext = b[h];
    b[h] = (uint32_t)i;
  }
  free(ct->bucket);
  ct->bucket = b;
  ct->nbuckets = nb;
  return 0;
}

static uint32_t *nic_count(struct nsg_ct *ct, uint16_t nic, bool outbound)
{
  if (nic >= ct->nnic) {
    size_t n = (size_t)nic + 16;
    uint32_t (*c)[2] = realloc(ct->nic_count, n * sizeof *c);
    if (!c)
      return NULL;
    memset(c + ct->nnic, 0, (n - ct->nnic) * sizeof *c);
    ct->nic_count = c;
    ct->nnic = n;
  }
  return &ct->nic_count[nic][outbound ? 1 : 0];
}

uint32_t nsg_ct_nic_count(const struct nsg_ct *ct, uint16_t nic, bool outbound)
{
  return nic < ct->nnic ? ct->nic_count[nic][outbound ? 1 : 0] : 0;
}

static long alloc_slot(struct nsg_ct *ct)
{
  if (ct->free_head != NIL) {
    uint32_t i = ct->free_head;
    ct->free_head = ct->f[i].hnext;
    return i;
  }
  if (ct->nslots == ct->cap)
    return -ENOSPC;
  return (long)ct->nslots++;
}

static enum nsg_ct_state initial_state(uint8_t proto)
{
  switch (proto) {
  case 6:
    return NSG_CT_TCP_SYN_SENT;
  case 17:
    return NSG_CT_UDP_NEW;
  case 1:
  case 58:
    return NSG_CT_ICMP_NEW;
  default:
    return NSG_CT_OTHER_NEW;
  }
}

long nsg_ct_create(struct nsg_ct *ct, const struct nsg_flow_key *k, bool init_outbound, uint32_t tag,
                   uint64_t timeout_est, enum nsg_flow_where where, uint64_t now)
{
  if (nsg_ct_lookup(ct, k) >= 0)
    return -EEXIST;
  uint32_t *cnt = nic_count(ct, k->nic, init_outbound);
  if (!cnt)
    return -ENOMEM;
  if (*cnt >= ct->o.per_nic_limit) { /* S5: new connections beyond the limit are dropped */
    ct->st.limit_drops++;
    return -EDQUOT;
  }
  if (ct->st.flows >= ct->nbuckets && ct->nbuckets < (size_t)1 << 31 && grow_buckets(ct) < 0)
    return -ENOMEM;
  long id = alloc_slot(ct);
  if (id < 0) {
    if (id == -ENOSPC)
      ct->st.table_full++;
    return id;
  }
  struct flow *f = &ct->f[id];
  memset(f, 0, sizeof *f);
  f->used = true;
  f->tclass = 0xff;
  f->prev = f->next = NIL;
  f->i.key = *k;
  f->i.state = initial_state(k->proto);
  f->i.init_outbound = init_outbound;
  f->i.where = where;
  f->i.tag = tag;
  f->i.created = f->i.last = f->i.logged_at = now;
  f->i.timeout_est = timeout_est;
  size_t h = key_hash(k) & (ct->nbuckets - 1);
  f->hnext = ct->bucket[h];
  ct->bucket[h] = (uint32_t)id;
  (*cnt)++;
  ct->st.flows++;
  ct->st.created++;
  lru_touch(ct, (uint32_t)id);
  return id;
}

static void remove_flow(struct nsg_ct *ct, uint32_t id, enum nsg_ct_end why)
{
  struct flow *f = &ct->f[id];
  if (ct->end_fn)
    ct->end_fn(ct->end_ctx, &f->i, why);
  lru_unlink(ct, id);
  uint32_t *p = &ct->bucket[key_hash(&f->i.key) & (ct->nbuckets - 1)];
  while (*p != id)
    p = &ct->f[*p].hnext;
  *p = f->hnext;
  ct->nic_count[f->i.key.nic][f->i.init_outbound ? 1 : 0]--;
  f->used = false;
  f->hnext = ct->free_head;
  ct->free_head = id;
  ct->st.flows--;
  ct->st.ended++;
  ct->st.ended_by[why]++;
}

int nsg_ct_end(struct nsg_ct *ct, long id, enum nsg_ct_end why)
{
  if (!get(ct, id) || (unsigned)why > NSG_END_SHUTDOWN)
    return -ENOENT;
  remove_flow(ct, (uint32_t)id, why);
  return 0;
}

/* TCP state machine. Permissive like Azure's: every packet of a tracked flow passes; the state
 * only selects the idle timeout (half-open, established, closing, closed). */
enum nsg_ct_state nsg_ct_tcp_next(enum nsg_ct_state s, unsigned *fin_bits, bool from_initiator, uint8_t flags)
{
  if (flags & NSG_TCP_RST)
    return NSG_CT_TCP_CLOSED;
  bool syn = flags & NSG_TCP_SYN, ack = flags & NSG_TCP_ACK, fin = flags & NSG_TCP_FIN;
  switch (s) {
  case NSG_CT_TCP_SYN_SENT:
    if (!from_initiator && syn) /* SYN-ACK, or simultaneous open */
      return NSG_CT_TCP_SYN_RECV;
    return s;
  case NSG_CT_TCP_SYN_RECV:
    if (from_initiator && ack && !syn)
      s = NSG_CT_TCP_ESTABLISHED;
    else
      return s;
    break;
  case NSG_CT_TCP_TIME_WAIT:
  case NSG_CT_TCP_CLOSED:
    return s; /* a new SYN re-opens: the caller ends this flow and creates a new one */
  default:
    break;
  }
  if (fin)
    *fin_bits |= from_initiator ? 1u : 2u;
  switch (s) {
  case NSG_CT_TCP_ESTABLISHED:
    return *fin_bits ? (*fin_bits == 3 ? NSG_CT_TCP_CLOSING : NSG_CT_TCP_FIN_WAIT) : s;
  case NSG_CT_TCP_FIN_WAIT:
    return *fin_bits == 3 ? NSG_CT_TCP_CLOSING : s;
  case NSG_CT_TCP_CLOSING:
    return ack && !fin ? NSG_CT_TCP_TIME_WAIT : s; /* the last ACK */
  default:
    return s;
  }
}

int nsg_ct_packet(struct nsg_ct *ct, long id, bool from_initiator, uint8_t tcp_flags, uint32_t bytes,
                  uint64_t now)
{
  struct flow *f = get(ct, id);
  if (!f)
    return -ENOENT;
  struct nsg_flow_info *i = &f->i;
  int d = from_initiator ? 0 : 1;
  bool first = i->pkts[0] == 0 && i->pkts[1] == 0;
  i->pkts[d]++;
  i->bytes[d] += bytes;
  if (now > i->last)
    i->last = now;
  switch (i->state) {
  case NSG_CT_UDP_NEW:
  case NSG_CT_ICMP_NEW:
  case NSG_CT_OTHER_NEW:
    if (!from_initiator)
      i->state++; /* *_REPLIED follows *_NEW */
    break;
  case NSG_CT_UDP_REPLIED:
  case NSG_CT_ICMP_REPLIED:
  case NSG_CT_OTHER_REPLIED:
    break;
  default: {
    unsigned fb = f->fin_bits;
    if (first && i->state == NSG_CT_TCP_SYN_SENT && !(tcp_flags & NSG_TCP_SYN) && !(tcp_flags & NSG_TCP_RST))
      i->state = NSG_CT_TCP_ESTABLISHED; /* loose pick-up of a connection already open */
    i->state = nsg_ct_tcp_next(i->state, &fb, from_initiator, tcp_flags);
    f->fin_bits = (uint8_t)fb;
    break;
  }
  }
  lru_touch(ct, (uint32_t)id);
  return (int)i->state;
}

static enum nsg_ct_end end_reason(enum nsg_ct_state s)
{
  return s == NSG_CT_TCP_TIME_WAIT ? NSG_END_FIN : s == NSG_CT_TCP_CLOSED ? NSG_END_RST : NSG_END_IDLE;
}

size_t nsg_ct_expire(struct nsg_ct *ct, uint64_t now, size_t budget)
{
  size_t n = 0;
  for (unsigned k = 0; k < ct->ntc; k++) {
    struct tclass *c = &ct->tc[k];
    while (c->head != NIL && (!budget || n < budget)) {
      struct flow *f = &ct->f[c->head];
      if (f->i.last + c->timeout > now)
        break;
      remove_flow(ct, c->head, end_reason(f->i.state));
      n++;
    }
  }
  return n;
}

/* A hardware flow's TCP state from the flag bits the device saw (bit 0 SYN, 1 FIN, 2 RST per
 * direction) and the flow's packet counts, as close to the software tracker's as they allow: the
 * responder's SYN with a single initiator packet is SYN_RECV, FIN from both sides is taken as a
 * completed close (TIME_WAIT: the last ACK is not visible), a flow whose initiator sent no SYN was
 * picked up established. */
static enum nsg_ct_state state_from_hw(uint8_t proto, bool init_out, unsigned tcp_out, unsigned tcp_in,
                                       const uint64_t pkts[2])
{
  uint64_t from_init = pkts[0], from_resp = pkts[1]; /* initiator -> responder first */
  unsigned ti = init_out ? tcp_out : tcp_in, tr = init_out ? tcp_in : tcp_out;
  if (proto == 6) {
    unsigned fl = tcp_out | tcp_in;
    if (fl & 4)
      return NSG_CT_TCP_CLOSED;
    if ((tcp_out & 2) && (tcp_in & 2))
      return NSG_CT_TCP_TIME_WAIT;
    if (fl & 2)
      return NSG_CT_TCP_FIN_WAIT;
    if (!(ti & 1) && from_init + from_resp)
      return NSG_CT_TCP_ESTABLISHED; /* loose pick-up */
    if (!from_resp)
      return NSG_CT_TCP_SYN_SENT;
    if ((tr & 1) && from_init <= 1)
      return NSG_CT_TCP_SYN_RECV;
    return NSG_CT_TCP_ESTABLISHED;
  }
  enum nsg_ct_state s = initial_state(proto);
  return from_resp ? s + 1 : s;
}

/* Adds what the device counted since the last sync (32-bit wrapping counters, out/in). */
static void hw_add(struct nsg_flow_info *i, const uint64_t pkts_out_in[2], const uint64_t bytes_out_in[2])
{
  int o = i->init_outbound ? 0 : 1; /* pkts[0] is initiator->responder */
  for (int d = 0; d < 2; d++) {
    int k = d == 0 ? o : 1 - o;
    if (pkts_out_in) {
      i->pkts[k] += (uint32_t)((uint32_t)pkts_out_in[d] - i->hw_pkts[d]);
      i->hw_pkts[d] = (uint32_t)pkts_out_in[d];
    }
    if (bytes_out_in) {
      i->bytes[k] += (uint32_t)((uint32_t)bytes_out_in[d] - i->hw_bytes[d]);
      i->hw_bytes[d] = (uint32_t)bytes_out_in[d];
    }
  }
}

int nsg_ct_hw_idle(struct nsg_ct *ct, long id, uint64_t idle_ns, unsigned tcp_out, unsigned tcp_in,
                   const uint64_t pkts_out_in[2], const uint64_t bytes_out_in[2], uint64_t now)
{
  struct flow *f = get(ct, id);
  if (!f)
    return -ENOENT;
  struct nsg_flow_info *i = &f->i;
  hw_add(i, pkts_out_in, bytes_out_in);
  i->state = state_from_hw(i->key.proto, i->init_outbound, tcp_out, tcp_in, i->pkts);
  uint64_t seen = now > idle_ns ? now - idle_ns : 0;
  if (seen > i->last)
    i->last = seen;
  if (idle_ns >= nsg_ct_timeout(ct, i->state, i->timeout_est)) {
    remove_flow(ct, (uint32_t)id, end_reason(i->state));
    return 1;
  }
  return 0;
}

int nsg_ct_hw_sync(struct nsg_ct *ct, long id, uint32_t hw_index, const unsigned tcp_out_in[2],
                   const uint64_t pkts_out_in[2], const uint64_t bytes_out_in[2])
{
  struct flow *f = get(ct, id);
  if (!f)
    return -ENOENT;
  struct nsg_flow_info *i = &f->i;
  i->where = NSG_FLOW_HW;
  lru_unlink(ct, (uint32_t)id); /* hardware flows age by the device's idle reports */
  if (hw_index != UINT32_MAX)
    i->hw_index = hw_index;
  hw_add(i, pkts_out_in, bytes_out_in);
  if (tcp_out_in)
    i->state = state_from_hw(i->key.proto, i->init_outbound, tcp_out_in[0], tcp_out_in[1], i->pkts);
  return 0;
}

int nsg_ct_hw_counted(struct nsg_ct *ct, long id, const uint32_t pkts_out_in[2], const uint32_t bytes_out_in[2])
{
  struct flow *f = get(ct, id);
  if (!f)
    return -ENOENT;
  memcpy(f->i.hw_pkts, pkts_out_in, sizeof f->i.hw_pkts);
  memcpy(f->i.hw_bytes, bytes_out_in, sizeof f->i.hw_bytes);
  return 0;
}

int nsg_ct_set_where(struct nsg_ct *ct, long id, enum nsg_flow_where where, uint32_t hw_index, uint64_t now)
{
  struct flow *f = get(ct, id);
  if (!f)
    return -ENOENT;
  f->i.where = where;
  f->i.hw_index = hw_index;
  if (now > f->i.last)
    f->i.last = now;
  lru_touch(ct, (uint32_t)id);
  return 0;
}

int nsg_ct_set_tag(struct nsg_ct *ct, long id, uint32_t tag)
{
  struct flow *f = get(ct, id);
  if (!f)
    return -ENOENT;
  f->i.tag = tag;
  return 0;
}

int nsg_ct_set_nic(struct nsg_ct *ct, long id, uint16_t nic)
{
  struct flow *f = get(ct, id);
  if (!f)
    return -ENOENT;
  if (f->i.key.nic == nic)
    return 0;
  struct nsg_flow_key k = f->i.key;
  k.nic = nic;
  if (nsg_ct_lookup(ct, &k) >= 0)
    return -EEXIST;
  uint32_t *cnt = nic_count(ct, nic, f->i.init_outbound);
  if (!cnt)
    return -ENOMEM;
  uint32_t *p = &ct->bucket[key_hash(&f->i.key) & (ct->nbuckets - 1)];
  while (*p != (uint32_t)id)
    p = &ct->f[*p].hnext;
  *p = f->hnext;
  ct->nic_count[f->i.key.nic][f->i.init_outbound ? 1 : 0]--;
  (*cnt)++;
  f->i.key.nic = nic;
  size_t h = key_hash(&k) & (ct->nbuckets - 1);
  f->hnext = ct->bucket[h];
  ct->bucket[h] = (uint32_t)id;
  return 0;
}

int nsg_ct_get(const struct nsg_ct *ct, long id, struct nsg_flow_info *out)
{
  const struct flow *f = get(ct, id);
  if (!f)
    return -ENOENT;
  *out = f->i;
  return 0;
}

int nsg_ct_mark_logged(struct nsg_ct *ct, long id, uint64_t now)
{
  struct flow *f = get(ct, id);
  if (!f)
    return -ENOENT;
  memcpy(f->i.logged_pkts, f->i.pkts, sizeof f->i.pkts);
  memcpy(f->i.logged_bytes, f->i.bytes, sizeof f->i.bytes);
  f->i.logged_at = now;
  return 0;
}

void nsg_ct_foreach(const struct nsg_ct *ct, int (*fn)(void *ctx, long id, const struct nsg_flow_info *i),
                    void *ctx)
{
  for (size_t i = 0; i < ct->nslots; i++)
    if (ct->f[i].used && fn(ctx, (long)i, &ct->f[i].i))
      return;
}

void nsg_ct_flush(struct nsg_ct *ct, enum nsg_ct_end why)
{
  for (size_t i = 0; i < ct->nslots; i++)
    if (ct->f[i].used)
      remove_flow(ct, (uint32_t)i, why);
}

void nsg_ct_get_stats(const struct nsg_ct *ct, struct nsg_ct_stats *s)
{
  *s = ct->st;
}

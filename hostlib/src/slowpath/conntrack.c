/* SPDX-License-Identifier: Apache-2.0 */
/* Software connection tracking (S5): the flows the hardware could not hold, and the host's view
 * of the ones it does.
 *
 * Design. Flows live in one array of max_flows slots (reserved at once, committed by the kernel
 * as it is used; ids are stable indices). The index is an open-addressing table of 64-byte
 * buckets (one cache line: 8 x {16-bit signature, 32-bit flow id} and an overflow count), sized
 * at creation for max_flows at a load of at most 3/4 (never rehashed): a lookup reads its home
 * bucket, compares signatures, and reads the key of the one flow whose signature matches in the
 * key store, a dense copy of every flow's key (two cache lines, like rte_hash's bucket + key
 * store; the key store is 40 MiB at 1M flows where the flows' first lines span 192 MiB). A full
 * bucket sends inserts to the next one (linear probing) and counts them in its overflow count,
 * so a lookup stops at the first bucket with a zero count and a delete needs no tombstones. The key hash is keyed by a per-table secret seed
 * (getrandom) so that nobody can aim flows at one bucket (recomputed from the key for deletes:
 * three multiplies, cheaper than a fourth cache line per flow). docs/slowpath.md has the figures
 * against rte_hash.
 * The key is normalized on the NIC's side (local = the NIC's address), so both directions of a
 * connection hash to the same entry — the same convention as the device's FLOW layout.
 * Aging: every timeout value in use has its own LRU list; a flow touched by a packet moves to the
 * tail of its list, so each list stays sorted by last-seen time and expiry only ever looks at
 * list heads: the sweep costs O(flows ended), not O(flows). A state change that changes the
 * timeout moves the flow to the list of the new value. Hardware flows are on no list: the
 * device's idle reports age them (nsg_ct_hw_idle).
 * S5 limit: a count per (NIC, initiating direction); a create beyond the limit fails with
 * -EDQUOT and is counted, existing flows are untouched. */
#define _DEFAULT_SOURCE 1 /* madvise(MADV_HUGEPAGE), MAP_ANONYMOUS */
#include <errno.h>
#include <stddef.h>
#include <sys/random.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <time.h>

#include "nsgnic/slowpath.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

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

/* 192 bytes (three cache lines), aligned: the 16-byte header and the key share the first line,
 * so a lookup reads one line of the flow. */
struct flow {
  _Alignas(64) uint32_t prev; /* LRU list of its timeout class */
  uint32_t next;        /* the same; the free list */
  uint32_t queued;      /* time it was (re)appended to its list, >> qshift (see lru_touch) */
  uint8_t tclass;       /* list index, 0xff: on no list (hardware, free) */
  uint8_t fin_bits;
  bool used;
  struct nsg_flow_info i;
};
_Static_assert(sizeof(struct flow) == 192, "three cache lines per flow");
_Static_assert(offsetof(struct flow, i.key) + sizeof(struct nsg_flow_key) <= 64, "key in the first line");

#define BSLOTS 8
/* One cache line of the index. sig 0: free slot. ovf: flows whose home bucket is before this
 * one that are stored after it (they probed past it). */
struct bucket {
  _Alignas(64) uint16_t sig[BSLOTS];
  uint32_t id[BSLOTS];
  uint32_t ovf;
};

struct tclass {
  uint64_t timeout;
  uint32_t head, tail, n;
};

struct nsg_ct {
  struct nsg_ct_opts o;
  struct flow *f;
  struct nsg_flow_key *key; /* key store: a dense copy of every flow's key, what lookups compare */
  size_t nslots, cap;   /* slots initialized / allocated */
  uint32_t *free_slot;   /* stack of free slots below nslots (rte_hash keeps a ring alike) */
  size_t nfree;
  struct bucket *bucket;
  size_t nbuckets;      /* power of two */
  size_t bucket_bytes;  /* mapping size */
  uint64_t seed[6];     /* hash key */
  unsigned qshift;      /* flow.queued = time >> qshift */
  uint32_t qmax;        /* a flow moves when (last >> qshift) - queued >= qmax (0: always) */
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

__extension__ typedef unsigned __int128 u128;

static inline uint64_t mulfold(uint64_t a, uint64_t b)
{
  u128 p = (u128)a * b;
  return (uint64_t)p ^ (uint64_t)(p >> 64);
}

/* Keyed multiply-fold hash of the 40-byte key (three 64x64->128 multiplies). */
static inline uint64_t key_hash(const struct nsg_ct *ct, const struct nsg_flow_key *k)
{
  const uint64_t *s = ct->seed;
  uint64_t w = (uint64_t)k->lport | (uint64_t)k->rport << 16 | (uint64_t)k->proto << 32 | (uint64_t)k->fam << 40 |
               (uint64_t)k->nic << 48;
  uint64_t x = mulfold(k->local[0] ^ s[0], k->remote[0] ^ s[1]);
  uint64_t y = mulfold(k->local[1] ^ s[2], k->remote[1] ^ s[3]);
  return mulfold(x ^ w ^ s[4], y ^ s[5]);
}

static inline uint16_t sig_of(uint64_t h)
{
  uint16_t g = (uint16_t)(h >> 48);
  return g ? g : 1;
}

_Static_assert(sizeof(struct nsg_flow_key) == 40, "five words, no padding");
static inline uint64_t word(const struct nsg_flow_key *k, size_t i)
{
  uint64_t w;
  memcpy(&w, (const char *)k + 8 * i, sizeof w);
  return w;
}

/* Five 64-bit words, one branch. */
static inline bool key_eq(const struct nsg_flow_key *a, const struct nsg_flow_key *b)
{
  return ((word(a, 0) ^ word(b, 0)) | (word(a, 1) ^ word(b, 1)) | (word(a, 2) ^ word(b, 2)) |
          (word(a, 3) ^ word(b, 3)) | (word(a, 4) ^ word(b, 4))) == 0;
}

/* The index: zeroed anonymous memory (free slots are sig 0), committed as buckets are touched. */
static struct bucket *index_alloc(size_t bytes)
{
  void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED)
    return NULL;
  if (bytes >= HUGE_ALIGN)
    madvise(p, bytes, MADV_HUGEPAGE); /* advice only */
  return p;
}

static void seed_init(uint64_t seed[6])
{
  uint64_t x;
  if (getrandom(seed, 6 * sizeof *seed, GRND_NONBLOCK) == (ssize_t)(6 * sizeof *seed))
    return;
  /* no entropy yet (early boot): the address and the clock, still per table and per run */
  x = (uint64_t)(uintptr_t)seed ^ (uint64_t)time(NULL) * 0x9e3779b97f4a7c15ull;
  for (int i = 0; i < 6; i++) {
    x += 0x9e3779b97f4a7c15ull;
    seed[i] = mulfold(x, 0xff51afd7ed558ccdull) | 1;
  }
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
  if (ct->o.max_flows == 0 || ct->o.max_flows >= NIL / 2) {
    free(ct);
    errno = EINVAL;
    return NULL;
  }
  seed_init(ct->seed);
  /* queued in units of 2^qshift ns, at most G/256: G >> qshift is 256..511, and qmax one less,
   * so a flow that stays (not moved) has last < queued + G exactly as with full precision */
  uint64_t g = ct->o.aging_granularity;
  while (g >> ct->qshift >= 512)
    ct->qshift++;
  ct->qmax = g >> ct->qshift ? (uint32_t)(g >> ct->qshift) - 1 : 0;
  /* load at most 3/4 with max_flows: nbuckets * 8 * 3/4 >= max_flows */
  ct->nbuckets = 4;
  while (ct->nbuckets * BSLOTS * 3 < ct->o.max_flows * 4)
    ct->nbuckets *= 2;
  ct->bucket_bytes = ct->nbuckets * sizeof *ct->bucket;
  ct->bucket = index_alloc(ct->bucket_bytes);
  if (!ct->bucket) {
    free(ct);
    errno = ENOMEM;
    return NULL;
  }
  /* the whole slot array at once: virtual memory, committed page by page as slots are used, so
   * ids never move and nothing is ever copied */
  ct->f = big_alloc(ct->o.max_flows * sizeof *ct->f);
  if (!ct->f) {
    munmap(ct->bucket, ct->bucket_bytes);
    free(ct);
    errno = ENOMEM;
    return NULL;
  }
  ct->free_slot = big_alloc(ct->o.max_flows * sizeof *ct->free_slot);
  ct->key = big_alloc(ct->o.max_flows * sizeof *ct->key);
  if (!ct->free_slot || !ct->key) {
    free(ct->free_slot);
    free(ct->key);
    free(ct->f);
    munmap(ct->bucket, ct->bucket_bytes);
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
  free(ct->free_slot);
  free(ct->key);
  munmap(ct->bucket, ct->bucket_bytes);
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

/* ---- index ------------------------------------------------------------------------------- */
/* One bit per slot (bit j: slot j) whose signature is g: compares without a branch. */
static inline unsigned slots_eq(const struct bucket *bk, uint16_t g)
{
#ifdef __SSE2__
  __m128i eq = _mm_cmpeq_epi16(_mm_load_si128((const __m128i *)bk->sig), _mm_set1_epi16((short)g));
  return (unsigned)_mm_movemask_epi8(_mm_packs_epi16(eq, _mm_setzero_si128()));
#else
  unsigned r = 0;
  for (int j = 0; j < BSLOTS; j++)
    r |= (unsigned)(bk->sig[j] == g) << j;
  return r;
#endif
}

/* The signature mask, then the key of each matching slot (almost always one): on a hit both
 * branches go the predicted way, so the CPU runs on into the next lookups' reads. */
static inline long index_find(const struct nsg_ct *ct, const struct nsg_flow_key *k, uint64_t h)
{
  size_t mask = ct->nbuckets - 1, b = h & mask;
  uint16_t g = sig_of(h);
  for (size_t probes = 0; probes <= mask; probes++) { /* every bucket may count overflows */
    const struct bucket *bk = &ct->bucket[b];
    for (unsigned hit = slots_eq(bk, g); hit; hit &= hit - 1) {
      uint32_t id = bk->id[__builtin_ctz(hit)];
      if (key_eq(&ct->key[id], k))
        return id;
    }
    if (!bk->ovf)
      break;
    b = (b + 1) & mask;
  }
  return -ENOENT;
}

/* Puts flow id (hash h, not in the index) into the first bucket with a free slot from its home
 * on; the load bound guarantees one. */
static void index_insert(struct nsg_ct *ct, uint32_t id, uint64_t h)
{
  size_t mask = ct->nbuckets - 1, b = h & mask;
  for (;;) {
    struct bucket *bk = &ct->bucket[b];
    unsigned m = slots_eq(bk, 0);
    if (m) { /* the lowest free slot (exact: false positives are only above a true one) */
      int j = __builtin_ctz(m);
      bk->sig[j] = sig_of(h);
      bk->id[j] = id;
      return;
    }
    bk->ovf++;
    b = (b + 1) & mask;
  }
}

static void index_remove(struct nsg_ct *ct, uint32_t id, uint64_t h)
{
  size_t mask = ct->nbuckets - 1, b = h & mask;
  uint16_t g = sig_of(h);
  for (;;) {
    struct bucket *bk = &ct->bucket[b];
    for (int j = 0; j < BSLOTS; j++)
      if (bk->sig[j] == g && bk->id[j] == id) {
        bk->sig[j] = 0;
        /* the buckets it probed past no longer carry it */
        for (size_t c = h & mask; c != b; c = (c + 1) & mask)
          ct->bucket[c].ovf--;
        return;
      }
    b = (b + 1) & mask;
  }
}

long nsg_ct_lookup(struct nsg_ct *ct, const struct nsg_flow_key *k)
{
  ct->st.lookups++;
  long id = index_find(ct, k, key_hash(ct, k));
  if (id >= 0)
    ct->st.hits++;
  return id;
}

#define BULK_STRIDE 64
void nsg_ct_lookup_bulk(struct nsg_ct *ct, const struct nsg_flow_key *const *keys, size_t n, long *ids)
{
  uint64_t h[BULK_STRIDE];
  size_t mask = ct->nbuckets - 1;
  for (size_t base = 0; base < n; base += BULK_STRIDE) {
    size_t m = n - base < BULK_STRIDE ? n - base : BULK_STRIDE;
    /* 0: the caller's keys (a batch of packets' headers: all their reads in flight at once) */
    for (size_t i = 0; i < m; i++)
      __builtin_prefetch(keys[base + i]);
    /* 1: hashes, prefetch the home buckets */
    for (size_t i = 0; i < m; i++) {
      h[i] = key_hash(ct, keys[base + i]);
      __builtin_prefetch(&ct->bucket[h[i] & mask]);
    }
    /* 2: prefetch the flow of the first signature match (almost always the only one) */
    for (size_t i = 0; i < m; i++) {
      const struct bucket *bk = &ct->bucket[h[i] & mask];
      uint16_t g = sig_of(h[i]);
      unsigned hit = slots_eq(bk, g);
      if (hit) {
        const char *kk = (const char *)&ct->key[bk->id[__builtin_ctz(hit)]];
        __builtin_prefetch(kk);
        __builtin_prefetch(kk + sizeof(struct nsg_flow_key) - 1);
      }
    }
    /* 3: the compares, from the home bucket's mask (both reads done by now); a key not in its
     * home bucket that probed past it goes the long way */
    for (size_t i = 0; i < m; i++) {
      const struct bucket *bk = &ct->bucket[h[i] & mask];
      const struct nsg_flow_key *k = keys[base + i];
      long id = -ENOENT;
      for (unsigned hit = slots_eq(bk, sig_of(h[i])); hit; hit &= hit - 1) {
        uint32_t f = bk->id[__builtin_ctz(hit)];
        if (key_eq(&ct->key[f], k)) {
          id = f;
          break;
        }
      }
      if (id < 0 && bk->ovf)
        id = index_find(ct, k, h[i]);
      ids[base + i] = id;
      ct->st.hits += id >= 0;
    }
  }
  ct->st.lookups += n;
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
  uint32_t q = (uint32_t)(f->i.last >> ct->qshift);
  /* within the granularity: stays (expiry is at most G late, docs/slowpath.md). (last >> s) -
   * queued < qmax means last < ((queued + qmax) << s) <= queued time + G; the 32-bit difference
   * wraps after 2^32 units (>= 2^23 G): a flow that long on one list has expired long before */
  if (f->tclass == k && (ct->tc[k].tail == i || q - f->queued < ct->qmax))
    return;
  lru_unlink(ct, i);
  f->queued = q;
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

static inline void prefetch_flow(const struct nsg_ct *ct, size_t i)
{
  const char *p = (const char *)&ct->f[i];
  __builtin_prefetch(p, 1);
  __builtin_prefetch(p + 64, 1);
  __builtin_prefetch(p + 128, 1);
}

/* A free slot. Every line of a new flow is written: the slot SLOT_AHEAD creates ahead is
 * prefetched, so that its stores do not wait for memory. */
#define SLOT_AHEAD 4
static long alloc_slot(struct nsg_ct *ct)
{
  if (ct->nfree) {
    size_t t = --ct->nfree;
    if (t >= SLOT_AHEAD)
      prefetch_flow(ct, ct->free_slot[t - SLOT_AHEAD]);
    else if (ct->nslots + SLOT_AHEAD - t - 1 < ct->cap)
      prefetch_flow(ct, ct->nslots + SLOT_AHEAD - t - 1);
    return ct->free_slot[t];
  }
  if (ct->nslots == ct->cap)
    return -ENOSPC;
  if (ct->nslots + SLOT_AHEAD < ct->cap)
    prefetch_flow(ct, ct->nslots + SLOT_AHEAD);
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

/* The order is chosen for the memory system: the home bucket is prefetched first and the new
 * flow's slot is written while it is on its way (those stores then retire before the bucket
 * arrives and do not fill the store buffer behind it, so the next create can start its own
 * bucket read early); a key found after all (rare) undoes the slot exactly. */
long nsg_ct_create(struct nsg_ct *ct, const struct nsg_flow_key *k, bool init_outbound, uint32_t tag,
                   uint64_t timeout_est, enum nsg_flow_where where, uint64_t now)
{
  uint64_t h = key_hash(ct, k);
  __builtin_prefetch(&ct->bucket[h & (ct->nbuckets - 1)]);
  ct->st.lookups++;
  uint32_t *cnt = nic_count(ct, k->nic, init_outbound);
  size_t nfree = ct->nfree;
  long id = cnt && *cnt < ct->o.per_nic_limit ? alloc_slot(ct) : -1;
  if (id < 0) { /* the slow cases, in the order of their precedence */
    if (index_find(ct, k, h) >= 0) {
      ct->st.hits++;
      return -EEXIST;
    }
    if (!cnt)
      return -ENOMEM;
    if (*cnt >= ct->o.per_nic_limit) { /* S5: new connections beyond the limit are dropped */
      ct->st.limit_drops++;
      return -EDQUOT;
    }
    ct->st.table_full++;
    return -ENOSPC;
  }
  struct flow *f = &ct->f[id];
  memset(f, 0, sizeof *f);
  f->used = true;
  f->tclass = 0xff;
  f->prev = f->next = NIL;
  f->i.key = *k;
  ct->key[id] = *k;
  f->i.state = initial_state(k->proto);
  f->i.init_outbound = init_outbound;
  f->i.where = where;
  f->i.tag = tag;
  f->i.created = f->i.last = f->i.logged_at = now;
  f->i.timeout_est = timeout_est;
  if (index_find(ct, k, h) >= 0) { /* exists: the slot goes back where it came from */
    f->used = false;
    if (ct->nfree < nfree)
      ct->free_slot[ct->nfree++] = (uint32_t)id;
    else
      ct->nslots--;
    ct->st.hits++;
    return -EEXIST;
  }
  index_insert(ct, (uint32_t)id, h);
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
  index_remove(ct, id, key_hash(ct, &f->i.key));
  ct->nic_count[f->i.key.nic][f->i.init_outbound ? 1 : 0]--;
  f->used = false;
  ct->free_slot[ct->nfree++] = id;
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

#define AGE_AHEAD 8
size_t nsg_ct_expire(struct nsg_ct *ct, uint64_t now, size_t budget)
{
  size_t n = 0, mask = ct->nbuckets - 1;
  for (unsigned k = 0; k < ct->ntc; k++) {
    struct tclass *c = &ct->tc[k];
    /* `a` walks AGE_AHEAD flows ahead of the head, prefetching the index bucket each delete
     * will touch (the flows themselves are read in list order) */
    uint32_t a = c->head;
    for (int d = 0; d < AGE_AHEAD && a != NIL; d++) {
      __builtin_prefetch(&ct->bucket[key_hash(ct, &ct->f[a].i.key) & mask], 1);
      a = ct->f[a].next;
    }
    while (c->head != NIL && (!budget || n < budget)) {
      struct flow *f = &ct->f[c->head];
      if (f->i.last + c->timeout > now)
        break;
      if (a != NIL) {
        __builtin_prefetch(&ct->bucket[key_hash(ct, &ct->f[a].i.key) & mask], 1);
        a = ct->f[a].next;
      }
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
  index_remove(ct, (uint32_t)id, key_hash(ct, &f->i.key));
  ct->nic_count[f->i.key.nic][f->i.init_outbound ? 1 : 0]--;
  (*cnt)++;
  f->i.key.nic = nic;
  ct->key[id].nic = nic;
  index_insert(ct, (uint32_t)id, key_hash(ct, &k));
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

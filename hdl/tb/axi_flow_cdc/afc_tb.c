/* SPDX-License-Identifier: Apache-2.0 */
/* The checking side of the axi_flow_cdc testbench (see afc_tb.h). */
#include "afc_tb.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* a request taken on the slave port, waiting for its answer */
struct req {
  unsigned idx;
  int oob;      /* beyond the memory: SLVERR expected */
  int lenient;  /* in flight across a master-side reset: OKAY and correct, or SLVERR and zero */
  uint64_t strb;
  uint32_t data[AFC_WORDS]; /* read: expected; write: written */
};

struct queue {
  struct req *r;
  size_t head, n, cap;
};

struct flags {
  uint8_t *f;
  size_t head, n, cap;
};

struct afc_tb {
  struct afc_cfg c;
  unsigned ratio;           /* master beats per entry */
  uint64_t rs;
  struct axi_dram *dram;
  uint8_t *mem;             /* expected content of entries 0 .. entries - 1 */
  uint8_t *known;           /* per entry: its content is known (not lost in a reset) */
  unsigned *rd_busy, *wr_busy; /* per index: reads / writes offered and not answered */
  struct queue rq, wq;
  /* the slave port's master */
  struct afc_s_master d;
  int rd_on, wr_on, drain;
  unsigned ar_idx, w_idx;
  int prev_r_wait, prev_b_wait, s_exempt;
  struct afc_s_sample prev_s;
  /* the master port */
  struct axi_dram_out o;    /* presented this master clock (after injection) */
  int fake_r, fake_b, inj_r, inj_b;
  uint64_t r_seq, b_seq;    /* R beats / B responses taken (the injection's draw) */
  unsigned rd_fly, wr_fly;  /* master port: AR / AW taken and not answered */
  unsigned r_beat, w_beat;
  int r_burst_bad, r_taint, b_taint;
  struct flags r_flags, b_flags; /* per answer on the master port: must be SLVERR */
  int prev_ar_wait, prev_aw_wait, prev_w_wait;
  struct afc_m_sample prev_m;
  int resets;               /* a reset happened: answers no longer pair with the flags */
  long errors;
  struct afc_counts st;
};

static uint64_t rnd(struct afc_tb *t)
{
  t->rs ^= t->rs << 13;
  t->rs ^= t->rs >> 7;
  t->rs ^= t->rs << 17;
  return t->rs;
}

static unsigned pct(struct afc_tb *t)
{
  return (unsigned)(rnd(t) % 100u);
}

/* a fixed draw per sequence number (stable while the beat waits) */
static uint64_t mix(uint64_t x)
{
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

void afc_fail(struct afc_tb *t, const char *fmt, ...)
{
  if (t->errors++ < 20) {
    va_list ap;
    va_start(ap, fmt);
    printf("FAIL (s clock %llu, m clock %llu): ", (unsigned long long)t->st.s_clocks,
           (unsigned long long)t->st.m_clocks);
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
  }
}

static void oom(void)
{
  fprintf(stderr, "afc_tb: out of memory\n");
  abort();
}

static struct req *q_at(struct queue *q, size_t i)
{
  return &q->r[(q->head + i) % q->cap];
}

static void q_push(struct queue *q, const struct req *r)
{
  if (q->n == q->cap) {
    size_t cap = q->cap ? 2 * q->cap : 64;
    struct req *n = malloc(cap * sizeof *n);
    if (!n)
      oom();
    for (size_t i = 0; i < q->n; i++)
      n[i] = *q_at(q, i);
    free(q->r);
    q->r = n;
    q->head = 0;
    q->cap = cap;
  }
  q->r[(q->head + q->n) % q->cap] = *r;
  q->n++;
}

static void q_pop(struct queue *q)
{
  q->head = (q->head + 1) % q->cap;
  q->n--;
}

static void f_push(struct flags *f, int v)
{
  if (f->n == f->cap) {
    size_t cap = f->cap ? 2 * f->cap : 64;
    uint8_t *n = malloc(cap);
    if (!n)
      oom();
    for (size_t i = 0; i < f->n; i++)
      n[i] = f->f[(f->head + i) % f->cap];
    free(f->f);
    f->f = n;
    f->head = 0;
    f->cap = cap;
  }
  f->f[(f->head + f->n) % f->cap] = (uint8_t)v;
  f->n++;
}

static int f_pop(struct flags *f, int *v)
{
  if (!f->n)
    return 0;
  *v = f->f[f->head];
  f->head = (f->head + 1) % f->cap;
  f->n--;
  return 1;
}

struct afc_tb *afc_tb_new(const struct afc_cfg *c)
{
  if (c->beat_bytes < 8 || c->beat_bytes > 64 || (c->beat_bytes & (c->beat_bytes - 1)) ||
      c->entries == 0 || c->base % 64) {
    fprintf(stderr, "afc_tb: bad configuration\n");
    return NULL;
  }
  struct afc_tb *t = calloc(1, sizeof *t);
  if (!t)
    oom();
  t->c = *c;
  t->ratio = 64u / c->beat_bytes;
  t->rs = c->seed * 0xD1B54A32D192ED03ull + 0x8BB84B93962EACC9ull;
  if (!t->rs)
    t->rs = 1;
  struct axi_dram_cfg dc = c->dram;
  dc.beat_bytes = c->beat_bytes;
  dc.size_bytes = c->base + (uint64_t)c->entries * 64u;
  t->c.dram = dc;
  t->dram = axi_dram_new(&dc);
  t->mem = calloc(c->entries, 64);
  t->known = malloc(c->entries);
  t->rd_busy = calloc(c->entries + c->oob, sizeof *t->rd_busy);
  t->wr_busy = calloc(c->entries + c->oob, sizeof *t->wr_busy);
  if (!t->dram || !t->mem || !t->known || !t->rd_busy || !t->wr_busy)
    oom();
  memset(t->known, 1, c->entries); /* both start all zero */
  t->rd_on = t->wr_on = 1;
  return t;
}

void afc_tb_free(struct afc_tb *t)
{
  if (!t)
    return;
  axi_dram_free(t->dram);
  free(t->mem);
  free(t->known);
  free(t->rd_busy);
  free(t->wr_busy);
  free(t->rq.r);
  free(t->wq.r);
  free(t->r_flags.f);
  free(t->b_flags.f);
  free(t);
}

void afc_set_traffic(struct afc_tb *t, int reads, int writes, int drain)
{
  t->rd_on = reads;
  t->wr_on = writes;
  t->drain = drain;
}

unsigned afc_outstanding(const struct afc_tb *t)
{
  return (unsigned)(t->rq.n + t->wq.n);
}

long afc_errors(const struct afc_tb *t)
{
  return t->errors;
}

const struct afc_counts *afc_stats(const struct afc_tb *t)
{
  return &t->st;
}

const struct axi_dram *afc_dram(const struct afc_tb *t)
{
  return t->dram;
}

/* ---- the slave port ------------------------------------------------------------------------- */

static unsigned pick(struct afc_tb *t)
{
  if (t->c.oob && rnd(t) % 64u == 0)
    return t->c.entries + (unsigned)(rnd(t) % t->c.oob);
  return (unsigned)(rnd(t) % t->c.entries);
}

/* the entry's byte address on the slave port (the low six bits sometimes set: ignored) */
static uint64_t s_addr(struct afc_tb *t, unsigned idx)
{
  return (uint64_t)idx * 64u + (rnd(t) % 8u == 0 ? rnd(t) % 64u : 0);
}

void afc_s_drive(struct afc_tb *t, struct afc_s_master *d)
{
  /* with both kinds on, rd_pct of the offers are reads; with one kind, every offer is one */
  unsigned rq_pct = t->wr_on ? t->c.req_pct * t->c.rd_pct / 100u : t->c.req_pct;
  unsigned wq_pct = t->rd_on ? t->c.req_pct * (100u - t->c.rd_pct) / 100u : t->c.req_pct;
  if (t->c.quiet && t->st.s_clocks % 4096u >= 4096u - t->c.quiet)
    rq_pct = wq_pct = 0; /* a quiet stretch: everything drains (idle points for the faults) */
  if (!t->d.arvalid && t->rd_on && pct(t) < rq_pct) {
    for (int k = 0; k < 8; k++) {
      unsigned idx = pick(t);
      int oob = idx >= t->c.entries;
      if (t->wr_busy[idx] || (!oob && !t->known[idx]))
        continue;
      t->d.arvalid = 1;
      t->d.araddr = s_addr(t, idx);
      t->ar_idx = idx;
      t->rd_busy[idx]++; /* from the offer on: no write of the entry meanwhile */
      break;
    }
  }
  if (!t->d.awvalid && t->wr_on && pct(t) < wq_pct) {
    for (int k = 0; k < 8; k++) {
      unsigned idx = pick(t);
      int oob = idx >= t->c.entries;
      int part = pct(t) < t->c.part_pct;
      if (t->wr_busy[idx] || t->rd_busy[idx] || (part && !oob && !t->known[idx]))
        continue;
      t->d.awvalid = t->d.wvalid = 1;
      t->d.awaddr = s_addr(t, idx);
      t->w_idx = idx;
      t->wr_busy[idx]++;
      for (int i = 0; i < AFC_WORDS; i++)
        t->d.wdata[i] = (uint32_t)rnd(t);
      t->d.wstrb = part ? rnd(t) : ~0ull;
      break;
    }
  }
  t->d.rready = t->drain || pct(t) < t->c.rready_pct;
  t->d.bready = t->drain || pct(t) < t->c.bready_pct;
  *d = t->d;
}

static int is_zero(const uint32_t *w)
{
  for (int i = 0; i < AFC_WORDS; i++)
    if (w[i])
      return 0;
  return 1;
}

static void r_answer(struct afc_tb *t, const struct afc_s_sample *s)
{
  if (!t->rq.n) {
    afc_fail(t, "R without a read in flight (duplicate or stale answer)");
    return;
  }
  struct req *e = q_at(&t->rq, 0);
  int flag = 0;
  if (!t->resets && !f_pop(&t->r_flags, &flag))
    afc_fail(t, "R on the slave port before its burst completed on the master port");
  int want_err = e->oob || flag;
  int ok_data = memcmp(s->rdata, e->data, sizeof e->data) == 0;
  if (s->rlast != 1 || s->rid != 0)
    afc_fail(t, "R: rlast %d rid %u (want 1, 0)", s->rlast, s->rid);
  if (s->rresp != 0 && s->rresp != 2)
    afc_fail(t, "R: rresp %u (only OKAY / SLVERR)", s->rresp);
  if (s->rresp == 2 && !is_zero(s->rdata))
    afc_fail(t, "R: SLVERR with nonzero data (entry %u)", e->idx);
  if (e->lenient) {
    t->st.lenient++;
    if (s->rresp == 0 && (e->oob || !ok_data))
      afc_fail(t, "R of entry %u (across a reset): OKAY with wrong data", e->idx);
  } else if (want_err) {
    if (s->rresp != 2)
      afc_fail(t, "R of entry %u: rresp %u, want SLVERR (%s)", e->idx, s->rresp,
               e->oob ? "beyond the memory" : "bad beat injected");
  } else if (s->rresp != 0 || !ok_data) {
    afc_fail(t, "R of entry %u: rresp %u, data %s (want OKAY, the entry as last written)",
             e->idx, s->rresp, ok_data ? "right" : "WRONG");
  }
  t->st.rd_err += s->rresp != 0;
  t->rd_busy[e->idx]--;
  q_pop(&t->rq);
}

static void b_answer(struct afc_tb *t, const struct afc_s_sample *s)
{
  if (!t->wq.n) {
    afc_fail(t, "B without a write in flight (duplicate or stale answer)");
    return;
  }
  struct req *e = q_at(&t->wq, 0);
  int flag = 0;
  if (!t->resets && !f_pop(&t->b_flags, &flag))
    afc_fail(t, "B on the slave port before the master port's");
  if (s->bid != 0 || (s->bresp != 0 && s->bresp != 2))
    afc_fail(t, "B: bid %u bresp %u", s->bid, s->bresp);
  int applied = 0;
  if (e->lenient) {
    t->st.lenient++;
    if (s->bresp == 0 && e->oob)
      afc_fail(t, "B of entry %u (beyond the memory, across a reset): OKAY", e->idx);
    applied = s->bresp == 0; /* answered before the reset: written; SLVERR: unknown */
  } else {
    int want_err = e->oob || flag;
    if ((s->bresp == 2) != want_err)
      afc_fail(t, "B of entry %u: bresp %u, want %s", e->idx, s->bresp, want_err ? "SLVERR" : "OKAY");
    applied = !e->oob; /* an injected error hides a write the memory did */
  }
  if (!e->oob) {
    if (applied) {
      uint8_t *m = t->mem + (size_t)e->idx * 64u;
      const uint8_t *b = (const uint8_t *)e->data;
      for (int i = 0; i < 64; i++)
        if (e->strb >> i & 1u)
          m[i] = b[i];
      if (e->strb == ~0ull)
        t->known[e->idx] = 1;
    } else {
      t->known[e->idx] = 0;
    }
  }
  t->st.wr_err += s->bresp != 0;
  t->wr_busy[e->idx]--;
  q_pop(&t->wq);
}

void afc_s_edge(struct afc_tb *t, const struct afc_s_sample *s)
{
  const struct afc_s_master *d = &t->d;
  t->st.s_clocks++;
  if (t->s_exempt) {
    t->s_exempt--;
  } else {
    if (t->prev_r_wait && (!s->rvalid || s->rresp != t->prev_s.rresp ||
                           memcmp(s->rdata, t->prev_s.rdata, sizeof s->rdata)))
      afc_fail(t, "slave R changed or dropped before rready");
    if (t->prev_b_wait && (!s->bvalid || s->bresp != t->prev_s.bresp))
      afc_fail(t, "slave B changed or dropped before bready");
  }
  if (d->arvalid && s->arready) {
    struct req e = {0};
    e.idx = t->ar_idx;
    e.oob = e.idx >= t->c.entries;
    if (!e.oob)
      memcpy(e.data, t->mem + (size_t)e.idx * 64u, 64);
    q_push(&t->rq, &e);
    t->st.reads++;
    t->st.rd_oob += (uint64_t)e.oob;
    t->d.arvalid = 0;
  }
  if (d->awvalid && d->wvalid && s->awready != s->wready)
    afc_fail(t, "AW and W not taken together (awready %d wready %d)", s->awready, s->wready);
  if (d->awvalid && d->wvalid && s->awready && s->wready) {
    struct req e = {0};
    e.idx = t->w_idx;
    e.oob = e.idx >= t->c.entries;
    e.strb = d->wstrb;
    memcpy(e.data, d->wdata, sizeof e.data);
    q_push(&t->wq, &e);
    t->st.writes++;
    t->st.wr_oob += (uint64_t)e.oob;
    t->d.awvalid = t->d.wvalid = 0;
  }
  if (s->rvalid && d->rready)
    r_answer(t, s);
  if (s->bvalid && d->bready)
    b_answer(t, s);
  t->prev_r_wait = s->rvalid && !d->rready;
  t->prev_b_wait = s->bvalid && !d->bready;
  t->prev_s = *s;
}

void afc_s_reset(struct afc_tb *t)
{
  /* the tier restarts empty: what it had in flight is forgotten; a write in flight may land or
   * not, so its entry is unknown until written again */
  for (size_t i = 0; i < t->wq.n; i++) {
    struct req *e = q_at(&t->wq, i);
    if (!e->oob)
      t->known[e->idx] = 0;
    t->wr_busy[e->idx]--;
  }
  for (size_t i = 0; i < t->rq.n; i++)
    t->rd_busy[q_at(&t->rq, i)->idx]--;
  t->rq.n = t->wq.n = 0;
  if (t->d.arvalid)
    t->rd_busy[t->ar_idx]--;
  if (t->d.awvalid)
    t->wr_busy[t->w_idx]--;
  memset(&t->d, 0, sizeof t->d);
  t->prev_r_wait = t->prev_b_wait = 0;
  t->resets = 1;
}

/* ---- the master port ------------------------------------------------------------------------ */

void afc_m_drive(struct afc_tb *t, const struct afc_m_sample *now, struct axi_dram_out *o)
{
  axi_dram_eval(t->dram, &t->o);
  t->fake_r = t->fake_b = t->inj_r = t->inj_b = 0;
  struct axi_dram_out *p = &t->o;
  if (p->rvalid) {
    uint64_t h = mix(t->c.seed * 31u + t->r_seq * 2u);
    if (h % 1000u < t->c.inj_permille) {
      t->inj_r = 1;
      switch ((h >> 32) % 4u) {
      case 0: p->rresp = 2; break;                     /* SLVERR */
      case 1: p->rresp = 3; break;                     /* DECERR */
      case 2: p->rid = 1; break;                       /* not our ID */
      default: p->rlast = !p->rlast; break;            /* RLAST misplaced */
      }
    }
  } else if (t->rd_fly == 0 && !now->arvalid && rnd(t) % 1000u < t->c.fake_permille) {
    t->fake_r = 1; /* an R beat with nothing in flight */
    p->rvalid = 1;
    p->rlast = 1;
    p->rresp = 0;
    p->rid = 0;
    for (unsigned i = 0; i < t->c.beat_bytes; i++)
      p->rdata[i] = (uint8_t)rnd(t);
  }
  if (p->bvalid) {
    uint64_t h = mix(t->c.seed * 31u + t->b_seq * 2u + 1u);
    if (h % 1000u < t->c.inj_permille) {
      t->inj_b = 1;
      switch ((h >> 32) % 4u) {
      case 0: p->bresp = 2; break;
      case 1: p->bresp = 3; break;
      case 2: p->bresp = 1; break;                     /* EXOKAY: no exclusive access asked */
      default: p->bid = 1; break;
      }
    }
  } else if (t->wr_fly == 0 && !now->awvalid && !now->wvalid &&
             rnd(t) % 1000u < t->c.fake_permille) {
    t->fake_b = 1;
    p->bvalid = 1;
    p->bresp = 0;
    p->bid = 0;
  }
  *o = t->o;
}

static void m_form(struct afc_tb *t, const char *ch, uint64_t addr, unsigned len, unsigned size,
                   unsigned burst, unsigned id)
{
  unsigned want_size = (unsigned)__builtin_ctz(t->c.beat_bytes);
  uint64_t end = t->c.base + (uint64_t)(t->c.entries + t->c.oob) * 64u;
  if (len != t->ratio - 1 || size != want_size || burst != 1 || id != 0)
    afc_fail(t, "%s: len %u size %u burst %u id %u (want %u %u 1 0)", ch, len, size, burst, id,
             t->ratio - 1, want_size);
  if (addr < t->c.base || addr >= end || (addr - t->c.base) % 64u)
    afc_fail(t, "%s: address 0x%llx not base + 64 x an index in use", ch, (unsigned long long)addr);
}

void afc_m_edge(struct afc_tb *t, const struct afc_m_sample *s)
{
  const struct afc_m_sample *p = &t->prev_m;
  const struct axi_dram_out *o = &t->o;
  t->st.m_clocks++;
  /* valid held and payload stable until ready (also across a reset of the slave side) */
  if (t->prev_ar_wait && (!s->arvalid || s->araddr != p->araddr || s->arlen != p->arlen))
    afc_fail(t, "master AR changed or dropped before arready");
  if (t->prev_aw_wait && (!s->awvalid || s->awaddr != p->awaddr || s->awlen != p->awlen))
    afc_fail(t, "master AW changed or dropped before awready");
  if (t->prev_w_wait && (!s->wvalid || s->wlast != p->wlast || s->wstrb != p->wstrb ||
                         memcmp(s->wdata, p->wdata, t->c.beat_bytes)))
    afc_fail(t, "master W changed or dropped before wready");
  if (s->arvalid && o->arready) {
    m_form(t, "AR", s->araddr, s->arlen, s->arsize, s->arburst, s->arid);
    if (++t->rd_fly > t->c.max_out)
      afc_fail(t, "%u reads in flight on the master port (MaxOut %u)", t->rd_fly, t->c.max_out);
    if (t->rd_fly > t->st.max_rd_fly)
      t->st.max_rd_fly = t->rd_fly;
  }
  if (s->awvalid && o->awready) {
    m_form(t, "AW", s->awaddr, s->awlen, s->awsize, s->awburst, s->awid);
    if (++t->wr_fly > t->c.max_out)
      afc_fail(t, "%u writes in flight on the master port (MaxOut %u)", t->wr_fly, t->c.max_out);
    if (t->wr_fly > t->st.max_wr_fly)
      t->st.max_wr_fly = t->wr_fly;
  }
  if (s->wvalid && o->wready) {
    t->w_beat++;
    if (s->wlast != (t->w_beat == t->ratio))
      afc_fail(t, "W: wlast %d on beat %u of %u", s->wlast, t->w_beat, t->ratio);
    if (t->w_beat == t->ratio)
      t->w_beat = 0;
  }
  if (o->rvalid && s->rready) {
    if (t->fake_r) {
      t->r_taint = 1;
      t->st.fakes++;
    } else {
      t->r_seq++;
      t->r_burst_bad |= t->inj_r;
      t->st.injected += (uint64_t)t->inj_r;
      if (++t->r_beat == t->ratio) {
        if (!t->resets)
          f_push(&t->r_flags, t->r_burst_bad || t->r_taint);
        t->r_beat = 0;
        t->r_burst_bad = t->r_taint = 0;
        if (t->rd_fly == 0)
          afc_fail(t, "the memory answered a read nobody issued");
        else
          t->rd_fly--;
      }
    }
  } else if (t->fake_r) {
    afc_fail(t, "an R with nothing in flight not taken at once (rready low)");
  }
  if (o->bvalid && s->bready) {
    if (t->fake_b) {
      t->b_taint = 1;
      t->st.fakes++;
    } else {
      t->b_seq++;
      t->st.injected += (uint64_t)t->inj_b;
      if (!t->resets)
        f_push(&t->b_flags, t->inj_b || t->b_taint);
      t->b_taint = 0;
      if (t->wr_fly == 0)
        afc_fail(t, "the memory answered a write nobody issued");
      else
        t->wr_fly--;
    }
  } else if (t->fake_b) {
    afc_fail(t, "a B with nothing in flight not taken at once (bready low)");
  }
  struct axi_dram_in in;
  memset(&in, 0, sizeof in);
  in.arvalid = s->arvalid;
  in.araddr = s->araddr;
  in.arlen = s->arlen;
  in.arid = s->arid;
  in.rready = s->rready;
  in.awvalid = s->awvalid;
  in.awaddr = s->awaddr;
  in.awlen = s->awlen;
  in.awid = s->awid;
  in.wvalid = s->wvalid;
  in.wlast = s->wlast;
  in.wdata = (const uint8_t *)s->wdata;
  in.wstrb = s->wstrb;
  in.bready = s->bready;
  axi_dram_step(t->dram, &in);
  t->prev_ar_wait = s->arvalid && !o->arready;
  t->prev_aw_wait = s->awvalid && !o->awready;
  t->prev_w_wait = s->wvalid && !o->wready;
  t->prev_m = *s;
}

void afc_m_reset(struct afc_tb *t)
{
  /* the memory controller restarts: a new model with the old one's memory (what it had accepted
   * and not done is lost); every request in flight on the slave port may now be answered
   * SLVERR, and an entry with a write in flight is unknown until written again */
  struct axi_dram *n = axi_dram_new(&t->c.dram);
  if (!n)
    oom();
  uint8_t buf[4096];
  for (uint64_t a = 0; a < t->c.dram.size_bytes; a += sizeof buf) {
    unsigned k = (unsigned)(t->c.dram.size_bytes - a < sizeof buf ? t->c.dram.size_bytes - a : sizeof buf);
    axi_dram_peek(t->dram, a, buf, k);
    axi_dram_poke(n, a, buf, k);
  }
  axi_dram_free(t->dram);
  t->dram = n;
  for (size_t i = 0; i < t->rq.n; i++)
    q_at(&t->rq, i)->lenient = 1;
  for (size_t i = 0; i < t->wq.n; i++) {
    struct req *e = q_at(&t->wq, i);
    e->lenient = 1;
    if (!e->oob)
      t->known[e->idx] = 0;
  }
  t->rd_fly = t->wr_fly = 0;
  t->r_beat = t->w_beat = 0;
  t->r_burst_bad = t->r_taint = t->b_taint = 0;
  t->prev_ar_wait = t->prev_aw_wait = t->prev_w_wait = 0;
  t->s_exempt = 3;
  t->resets = 1;
}

void afc_final_check(struct afc_tb *t)
{
  if (t->rq.n || t->wq.n)
    afc_fail(t, "%zu reads and %zu writes never answered (lost)", t->rq.n, t->wq.n);
  if (!t->resets && (t->r_flags.n || t->b_flags.n))
    afc_fail(t, "%zu R and %zu B answers of the master port never reached the slave port",
             t->r_flags.n, t->b_flags.n);
  if (!axi_dram_idle(t->dram) || t->rd_fly || t->wr_fly)
    afc_fail(t, "the memory still has requests in flight after the drain");
  unsigned checked = 0;
  for (unsigned i = 0; i < t->c.entries; i++) {
    if (!t->known[i])
      continue;
    uint8_t b[64];
    axi_dram_peek(t->dram, t->c.base + (uint64_t)i * 64u, b, 64);
    if (memcmp(b, t->mem + (size_t)i * 64u, 64))
      afc_fail(t, "memory entry %u differs from the last write", i);
    checked++;
  }
  if (checked < t->c.entries / 2)
    afc_fail(t, "only %u of %u entries known at the end", checked, t->c.entries);
}

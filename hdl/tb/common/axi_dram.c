/* SPDX-License-Identifier: Apache-2.0 */
/* DRAM model, AXI4 slave (see axi_dram.h). */
#include "axi_dram.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A request from acceptance to its last beat (read) or its response (write). */
struct req {
  uint64_t addr;
  unsigned beats, id;
  int err;
  uint64_t due;       /* command started: first beat / response from this clock */
  unsigned done;      /* read: beats sent; write: beats received */
  uint8_t *data;      /* beats x beat_bytes (read: taken at the command; write: received) */
  uint64_t *strb;     /* write: per beat */
};

struct fifo {
  struct req *r;
  unsigned head, n, cap;
};

struct axi_dram {
  struct axi_dram_cfg c;
  uint8_t *mem;
  uint64_t rs, now;
  long budget;               /* data bytes that may move now */
  uint64_t *bank_free;       /* clock each bank is free again */
  struct fifo rd;            /* accepted reads, in order: [0, rd_started) started */
  unsigned rd_started;
  struct fifo wr;            /* accepted writes: [0, wr_started) started; [.., wr_filled) have all data */
  unsigned wr_started, wr_filled;
  int last_cmd_write;
  struct { uint8_t data[AXI_DRAM_MAX_BEAT]; uint64_t strb; int last; } early[8]; /* W before its AW */
  unsigned early_n;
  struct axi_dram_out o;     /* this clock's outputs (axi_dram_eval) */
  struct axi_dram_stats st;
};

static uint64_t rnd(struct axi_dram *d)
{
  d->rs ^= d->rs << 13;
  d->rs ^= d->rs >> 7;
  d->rs ^= d->rs << 17;
  return d->rs;
}

static unsigned lat(struct axi_dram *d, unsigned lo, unsigned hi)
{
  return lo + (unsigned)(rnd(d) % (uint64_t)(hi - lo + 1u));
}

static struct req *at(struct fifo *f, unsigned i)
{
  return &f->r[(f->head + i) % f->cap];
}

static int push(struct fifo *f, struct req *r)
{
  if (f->n == f->cap)
    return -1;
  f->r[(f->head + f->n) % f->cap] = *r;
  f->n++;
  return 0;
}

static void pop(struct fifo *f)
{
  struct req *r = at(f, 0);
  free(r->data);
  free(r->strb);
  f->head = (f->head + 1) % f->cap;
  f->n--;
}

static struct axi_dram *bad(const char *field, const char *why)
{
  fprintf(stderr, "axi_dram: %s %s\n", field, why);
  return NULL;
}

struct axi_dram *axi_dram_new(const struct axi_dram_cfg *c)
{
  if (c->beat_bytes == 0 || c->beat_bytes > AXI_DRAM_MAX_BEAT || (c->beat_bytes & (c->beat_bytes - 1)))
    return bad("beat_bytes", "must be a power of two, 1..64");
  if (c->size_bytes == 0 || c->size_bytes % c->beat_bytes)
    return bad("size_bytes", "must be a positive multiple of beat_bytes");
  if (c->rd_lat_min < 1 || c->rd_lat_max < c->rd_lat_min)
    return bad("rd_lat_min/max", "must satisfy 1 <= min <= max");
  if (c->wr_lat_min < 1 || c->wr_lat_max < c->wr_lat_min)
    return bad("wr_lat_min/max", "must satisfy 1 <= min <= max");
  if (c->max_rd < 1 || c->max_wr < 1)
    return bad("max_rd/max_wr", "must be >= 1");
  if (c->bytes_per_clock < 1)
    return bad("bytes_per_clock", "must be >= 1");
  if (c->ready_pct < 1 || c->ready_pct > 100)
    return bad("ready_pct", "must be 1..100");
  if (c->refresh_period && c->refresh_clocks >= c->refresh_period)
    return bad("refresh_clocks", "must be below refresh_period");
  struct axi_dram *d = calloc(1, sizeof *d);
  if (!d)
    return NULL;
  d->c = *c;
  d->mem = calloc(1, (size_t)c->size_bytes);
  d->bank_free = calloc(c->banks ? c->banks : 1, sizeof *d->bank_free);
  d->rd.cap = c->max_rd;
  d->wr.cap = c->max_wr;
  d->rd.r = calloc(c->max_rd, sizeof(struct req));
  d->wr.r = calloc(c->max_wr, sizeof(struct req));
  if (!d->mem || !d->bank_free || !d->rd.r || !d->wr.r) {
    axi_dram_free(d);
    return NULL;
  }
  d->rs = c->seed * 0x9E3779B97F4A7C15ull + 0x2545F4914F6CDD1Dull;
  if (!d->rs)
    d->rs = 1;
  d->budget = 2 * (long)c->beat_bytes;
  return d;
}

void axi_dram_free(struct axi_dram *d)
{
  if (!d)
    return;
  while (d->rd.r && d->rd.n)
    pop(&d->rd);
  while (d->wr.r && d->wr.n)
    pop(&d->wr);
  free(d->rd.r);
  free(d->wr.r);
  free(d->bank_free);
  free(d->mem);
  free(d);
}

static int in_range(const struct axi_dram *d, uint64_t addr, unsigned beats)
{
  return addr < d->c.size_bytes && (uint64_t)beats * d->c.beat_bytes <= d->c.size_bytes - addr;
}

void axi_dram_eval(struct axi_dram *d, struct axi_dram_out *o)
{
  memset(o, 0, sizeof *o);
  int rdy = d->c.ready_pct >= 100 || rnd(d) % 100u < d->c.ready_pct;
  o->arready = d->rd.n < d->c.max_rd && rdy;
  o->awready = d->wr.n < d->c.max_wr && rdy;
  /* W beats fill the oldest write still missing data; up to 8 beats may come before their AW */
  o->wready = (d->wr_filled < d->wr.n || d->early_n < 8) && rdy && d->budget >= (long)d->c.beat_bytes;
  if (d->rd_started > 0) {
    struct req *r = at(&d->rd, 0);
    if (r->due <= d->now && d->budget >= (long)d->c.beat_bytes) {
      o->rvalid = 1;
      o->rid = r->id;
      o->rresp = r->err ? 2u : 0u;
      o->rlast = r->done + 1 == r->beats;
      memcpy(o->rdata, r->data + (size_t)r->done * d->c.beat_bytes, d->c.beat_bytes);
    }
  }
  if (d->wr_started > 0) {
    struct req *w = at(&d->wr, 0);
    if (w->due <= d->now) {
      o->bvalid = 1;
      o->bid = w->id;
      o->bresp = w->err ? 2u : 0u;
    }
  }
  d->o = *o;
}

/* Start one read command and one write command (separate AXI channels, e.g. two pseudo
 * channels' schedulers) if they wait and timing allows. */
static void command1(struct axi_dram *d, int write)
{
  if (write ? d->wr_started >= d->wr_filled : d->rd_started >= d->rd.n)
    return;
  if (d->c.refresh_period && d->now % d->c.refresh_period < d->c.refresh_clocks) {
    d->st.refresh_stalls++;
    return;
  }
  struct req *r = write ? at(&d->wr, d->wr_started) : at(&d->rd, d->rd_started);
  if (d->c.banks) {
    unsigned bank = (unsigned)((r->addr / d->c.beat_bytes) % d->c.banks);
    if (d->bank_free[bank] > d->now) {
      d->st.bank_stalls++;
      return;
    }
    d->bank_free[bank] = d->now + d->c.bank_busy;
  }
  size_t n = (size_t)r->beats * d->c.beat_bytes;
  if (write) {
    if (!r->err)
      for (size_t i = 0; i < n; i++)
        if (r->strb[i / d->c.beat_bytes] >> (i % d->c.beat_bytes) & 1u)
          d->mem[r->addr + i] = r->data[i];
    r->due = d->now + lat(d, d->c.wr_lat_min, d->c.wr_lat_max);
    d->wr_started++;
  } else {
    if (!r->err)
      memcpy(r->data, d->mem + r->addr, n);
    r->due = d->now + lat(d, d->c.rd_lat_min, d->c.rd_lat_max);
    /* in order: never before the previous read's data */
    if (d->rd_started > 0 && r->due < at(&d->rd, d->rd_started - 1)->due)
      r->due = at(&d->rd, d->rd_started - 1)->due;
    d->rd_started++;
  }
}

/* The order of the two commands of a clock alternates (a bank conflict between them favours
 * each kind in turn). */
static void command(struct axi_dram *d)
{
  command1(d, d->last_cmd_write ? 0 : 1);
  command1(d, d->last_cmd_write ? 1 : 0);
  d->last_cmd_write = !d->last_cmd_write;
}

void axi_dram_step(struct axi_dram *d, const struct axi_dram_in *in)
{
  const struct axi_dram_out *o = &d->o;
  /* R */
  if (o->rvalid && in->rready) {
    struct req *r = at(&d->rd, 0);
    r->done++;
    d->budget -= (long)d->c.beat_bytes;
    d->st.rd_beats++;
    if (r->done == r->beats) {
      pop(&d->rd);
      d->rd_started--;
    }
  }
  /* B */
  if (o->bvalid && in->bready) {
    pop(&d->wr);
    d->wr_started--;
    d->wr_filled--;
  }
  /* W */
  if (o->wready && in->wvalid) {
    d->budget -= (long)d->c.beat_bytes;
    d->st.wr_beats++;
    unsigned k = d->early_n++;
    memcpy(d->early[k].data, in->wdata, d->c.beat_bytes);
    d->early[k].strb = in->wstrb;
    d->early[k].last = in->wlast;
  }
  /* AR, AW */
  if (o->arready && in->arvalid) {
    struct req r = {0};
    r.addr = in->araddr;
    r.beats = in->arlen + 1u;
    r.id = in->arid;
    r.err = !in_range(d, r.addr, r.beats);
    d->st.errors += (uint64_t)r.err;
    r.data = calloc(r.beats, d->c.beat_bytes);
    if (!r.data || push(&d->rd, &r)) {
      fprintf(stderr, "axi_dram: out of memory\n");
      abort();
    }
    d->st.reads++;
  }
  if (o->awready && in->awvalid) {
    struct req w = {0};
    w.addr = in->awaddr;
    w.beats = in->awlen + 1u;
    w.id = in->awid;
    w.err = !in_range(d, w.addr, w.beats);
    d->st.errors += (uint64_t)w.err;
    w.data = calloc(w.beats, d->c.beat_bytes);
    w.strb = calloc(w.beats, sizeof *w.strb);
    if (!w.data || !w.strb || push(&d->wr, &w)) {
      fprintf(stderr, "axi_dram: out of memory\n");
      abort();
    }
    d->st.writes++;
  }
  /* W beats (this clock's included) go to the oldest write missing data, AW of this clock too */
  while (d->early_n && d->wr_filled < d->wr.n) {
    struct req *w = at(&d->wr, d->wr_filled);
    memcpy(w->data + (size_t)w->done * d->c.beat_bytes, d->early[0].data, d->c.beat_bytes);
    w->strb[w->done] = d->early[0].strb;
    w->done++;
    int last = d->early[0].last;
    memmove(d->early, d->early + 1, (d->early_n - 1) * sizeof d->early[0]);
    d->early_n--;
    if (w->done == w->beats || last) {
      if (w->done != w->beats || !last) {
        w->err = 1; /* WLAST in the wrong place: SLVERR, no change */
        d->st.errors++;
      }
      w->beats = w->done;
      d->wr_filled++;
    }
  }
  command(d);
  if (d->rd.n > d->st.max_rd_inflight)
    d->st.max_rd_inflight = d->rd.n;
  if (d->wr.n > d->st.max_wr_inflight)
    d->st.max_wr_inflight = d->wr.n;
  d->budget += (long)d->c.bytes_per_clock;
  if (d->budget > 2 * (long)d->c.beat_bytes)
    d->budget = 2 * (long)d->c.beat_bytes;
  d->now++;
  d->st.clocks++;
}

void axi_dram_peek(const struct axi_dram *d, uint64_t addr, void *buf, unsigned n)
{
  uint8_t *b = buf;
  for (unsigned i = 0; i < n; i++)
    b[i] = addr + i < d->c.size_bytes ? d->mem[addr + i] : 0;
}

void axi_dram_poke(struct axi_dram *d, uint64_t addr, const void *buf, unsigned n)
{
  const uint8_t *b = buf;
  for (unsigned i = 0; i < n; i++)
    if (addr + i < d->c.size_bytes)
      d->mem[addr + i] = b[i];
}

const struct axi_dram_stats *axi_dram_stats(const struct axi_dram *d)
{
  return &d->st;
}

int axi_dram_idle(const struct axi_dram *d)
{
  return d->rd.n == 0 && d->wr.n == 0 && d->early_n == 0;
}

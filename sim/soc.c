/* SPDX-License-Identifier: Apache-2.0 */
/* The whole-NIC simulation (nsgnic_soc.h): the BAR0 master, the packet streamer, the output
 * collector and the verdict monitor around the Verilated nsgnic_top (soc_hw.h), one clock cycle
 * at a time; firmware loading through the host window like on a board. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nsgnic/abi.h"
#include "nsgnic_soc.h"
#include "nsgnic/elf_image.h"
#include "soc_hw.h"

#define MAX_FRAMES 4096u          /* frames queued or in flight (power of two) */
#define BOOT_CYCLES 2000000u      /* nsgnic_soc_create with firmware: FW_MAGIC within this */

struct rec {
  uint8_t *frame;     /* the frame sent (freed when its result is read) */
  size_t len;
  uint16_t port;
  bool verdict;       /* the monitor reported it */
  bool complete;
  struct nsgnic_soc_result r;
  uint8_t *out;       /* allowed: the frame as it left */
  size_t out_len;
};

/* One BAR0 access on the AXI4-Lite port: AW and W (or AR) raised together and each dropped when
 * taken, then the response (B or R) taken at once (bready/rready high while waiting). */
enum bar_state { BAR_IDLE, BAR_REQ, BAR_WAIT, BAR_DONE };

/* A punted frame on its way to a park slot, then parked (see the park monitor). */
struct punt {
  uint64_t id, cycle_in;
  uint16_t port;
};

/* A released frame's result waiting for nsgnic_soc_recv. */
struct released {
  struct nsgnic_soc_result r;
  uint8_t *data;
};

#define PARK_SLOTS 32u            /* the hardware's limit (m_axis_tid: 32 + slot) */

struct nsgnic_soc {
  struct soc_hw *hw;
  struct nsgnic_soc_params params;
  struct soc_pins_in in;
  struct soc_pins_out out;
  uint64_t cycles, instret, bar_timeout;
  uint32_t tohost;
  bool irq;
  /* frames: ids [head, next) live in ring[id % MAX_FRAMES] */
  struct rec ring[MAX_FRAMES];
  uint64_t head, next, sending, verdicts;
  size_t send_off;          /* bytes of ring[sending] already streamed */
  uint64_t allowed[MAX_FRAMES]; /* ids waiting for their output frame, FIFO */
  size_t allowed_head, allowed_n;
  uint8_t *rx;              /* output frame being received */
  size_t rx_len, rx_cap;
  uint64_t stray;           /* monitor pulses or output frames with no frame to match */
  /* parked exceptions: punted frames in verdict order until the park monitor places them,
     the frame in each slot, released results not yet read */
  struct punt punts[MAX_FRAMES];
  size_t punts_head, punts_n;
  struct punt slot[PARK_SLOTS];
  bool slot_valid[PARK_SLOTS];
  struct released rel[MAX_FRAMES];
  size_t rel_head, rel_n;
  /* BAR access in progress */
  enum bar_state bar;
  bool bar_we, bar_aw, bar_w; /* the access is a write; AW / W still to be taken */
  uint32_t bar_rdata;
  uint8_t bar_resp;           /* AXI response of the last access (0 OKAY) */
  uint8_t *result_buf;      /* data returned by the last recv */
  unsigned hold_after;      /* fault: CMD_DOORBELL writes left before the CPU is held (0: off) */
};

static void seterr(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void seterr(char *err, size_t errlen, const char *fmt, ...)
{
  if (!err || !errlen)
    return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, errlen, fmt, ap);
  va_end(ap);
}

static void fill_params(const struct soc_hw_sizes *d, struct nsgnic_soc_params *p)
{
  memset(p, 0, sizeof *p);
  p->device = d->name;
  p->rule_entries = d->rule_entries;
  p->label_entries = d->label_entries;
  p->label_lpm = d->label_lpm;
  p->label_ctx = d->label_ctx;
  p->platform_entries = d->platform_entries;
  p->vports = d->vports;
  p->flow_buckets = d->flow_buckets;
  p->flow_ways = d->flow_ways;
  p->flow_stash = d->flow_stash;
  p->beat_bytes = d->data_w / 8;
  p->max_frame_bytes = d->max_beats * (d->data_w / 8);
  p->iram_bytes = d->iram_bytes;
  p->dram_bytes = d->dram_bytes;
  p->window_bytes = NSGNIC_HOSTWIN_BYTES;
  p->tick_cycles = d->tick_cycles;
}

/* The device a create with opts.device NULL makes: NSGNIC_SIM_DEVICE, else the default. */
static const char *default_device(void)
{
  const char *e = getenv("NSGNIC_SIM_DEVICE");
  return e && *e ? e : NULL;
}

int nsgnic_soc_device_params(const char *device, struct nsgnic_soc_params *p)
{
  const struct soc_hw_sizes *d = soc_hw_device(device ? device : default_device());
  if (!d)
    d = soc_hw_device(NULL);
  fill_params(d, p);
  return soc_hw_device(device ? device : default_device()) ? 0 : -ENODEV;
}

void nsgnic_soc_params(struct nsgnic_soc_params *p) { (void)nsgnic_soc_device_params(NULL, p); }

void nsgnic_soc_get_params(const struct nsgnic_soc *s, struct nsgnic_soc_params *p) { *p = s->params; }

const char *nsgnic_soc_device_names(void) { return soc_hw_device_names(); }

/* ---- one clock cycle ---------------------------------------------------------------------- */
static void complete(struct nsgnic_soc *s, struct rec *r)
{
  r->complete = true;
  r->r.cycle_out = s->cycles;
}

static void cycle(struct nsgnic_soc *s)
{
  struct soc_pins_in *in = &s->in;
  const struct soc_pins_out *out = &s->out;
  /* packet streamer */
  struct rec *f = s->sending < s->next ? &s->ring[s->sending % MAX_FRAMES] : NULL;
  size_t beat = SOC_HW_BEAT_BYTES, n = 0;
  in->tvalid = f != NULL;
  if (f) {
    n = f->len - s->send_off < beat ? f->len - s->send_off : beat;
    memset(in->tdata, 0, sizeof in->tdata);
    memcpy(in->tdata, f->frame + s->send_off, n);
    in->tkeep = n == 64 ? UINT64_MAX : ((uint64_t)1 << n) - 1;
    in->tlast = s->send_off + n >= f->len;
    in->tuser = f->port;
  }
  in->m_tready = true;
  in->awvalid = s->bar == BAR_REQ && s->bar_we && s->bar_aw;
  in->wvalid = s->bar == BAR_REQ && s->bar_we && s->bar_w;
  in->arvalid = s->bar == BAR_REQ && !s->bar_we;
  in->bready = s->bar == BAR_WAIT && s->bar_we;
  in->rready = s->bar == BAR_WAIT && !s->bar_we;

  soc_hw_eval(s->hw, in, &s->out);

  if (f && out->s_tready) {
    s->send_off += n;
    if (in->tlast) {
      f->r.cycle_in = s->cycles;
      s->sending++;
      s->send_off = 0;
    }
  }
  if (s->bar == BAR_REQ) {
    if (s->bar_we) {
      s->bar_aw = s->bar_aw && !out->awready;
      s->bar_w = s->bar_w && !out->wready;
      if (!s->bar_aw && !s->bar_w)
        s->bar = BAR_WAIT;
    } else if (out->arready) {
      s->bar = BAR_WAIT;
    }
  } else if (s->bar == BAR_WAIT && s->bar_we && out->bvalid) {
    s->bar_resp = out->bresp;
    s->bar = BAR_DONE;
  } else if (s->bar == BAR_WAIT && !s->bar_we && out->rvalid) {
    s->bar_rdata = out->rdata;
    s->bar_resp = out->rresp;
    s->bar = BAR_DONE;
  }
  if (out->mon_valid) {
    if (s->verdicts >= s->sending) {
      s->stray++;
    } else {
      struct rec *r = &s->ring[s->verdicts++ % MAX_FRAMES];
      r->verdict = true;
      r->r.action = out->mon_action;
      r->r.reason = out->mon_reason;
      r->r.rule_id = out->mon_rule_id;
      r->r.flow_hit = out->mon_flow_hit;
      r->r.learned = out->mon_learned;
      if (out->mon_action == NSGNIC_ACTION_ALLOW) {
        s->allowed[(s->allowed_head + s->allowed_n++) % MAX_FRAMES] = r->r.id;
      } else {
        if (out->mon_action == NSGNIC_ACTION_PUNT && s->punts_n < MAX_FRAMES)
          s->punts[(s->punts_head + s->punts_n++) % MAX_FRAMES] =
              (struct punt){.id = r->r.id, .cycle_in = r->r.cycle_in, .port = r->port};
        complete(s, r);
      }
    }
  }
  if (out->mon_park_valid) {
    if (!s->punts_n) {
      s->stray++;
    } else {
      struct punt p = s->punts[s->punts_head];
      s->punts_head = (s->punts_head + 1) % MAX_FRAMES;
      s->punts_n--;
      if (out->mon_park_ok && out->mon_park_slot < PARK_SLOTS) {
        s->slot[out->mon_park_slot] = p;
        s->slot_valid[out->mon_park_slot] = true;
      }
    }
  }
  if (out->m_tvalid) {
    size_t k = 0;
    while (k < 64 && (out->m_tkeep >> k) & 1)
      k++;
    if (s->rx_len + k > s->rx_cap) {
      size_t cap = s->rx_cap ? 2 * s->rx_cap : 2048;
      while (cap < s->rx_len + k)
        cap *= 2;
      uint8_t *p = realloc(s->rx, cap);
      if (p) {
        s->rx = p;
        s->rx_cap = cap;
      }
    }
    if (s->rx_len + k <= s->rx_cap) {
      memcpy(s->rx + s->rx_len, out->m_tdata, k);
      s->rx_len += k;
    }
    if (out->m_tlast && (out->m_tid & PARK_SLOTS)) {
      unsigned sl = out->m_tid & (PARK_SLOTS - 1);
      if (!s->slot_valid[sl] || s->rel_n >= MAX_FRAMES) {
        s->stray++;
      } else {
        struct released *x = &s->rel[(s->rel_head + s->rel_n++) % MAX_FRAMES];
        memset(x, 0, sizeof *x);
        x->r.id = s->slot[sl].id;
        x->r.released = true;
        x->r.in_port = s->slot[sl].port;
        x->r.out_port = out->m_tuser;
        x->r.action = NSGNIC_ACTION_ALLOW;
        x->r.reason = NSGNIC_REASON_NONE;
        x->r.rule_id = NSGNIC_NO_RULE_ID;
        x->r.cycle_in = s->slot[sl].cycle_in;
        x->r.cycle_out = s->cycles;
        x->data = malloc(s->rx_len ? s->rx_len : 1);
        if (x->data) {
          memcpy(x->data, s->rx, s->rx_len);
          x->r.len = s->rx_len;
        }
        s->slot_valid[sl] = false;
      }
      s->rx_len = 0;
    } else if (out->m_tlast) {
      if (!s->allowed_n) {
        s->stray++;
      } else {
        uint64_t id = s->allowed[s->allowed_head];
        s->allowed_head = (s->allowed_head + 1) % MAX_FRAMES;
        s->allowed_n--;
        struct rec *r = &s->ring[id % MAX_FRAMES];
        r->out = malloc(s->rx_len ? s->rx_len : 1);
        if (r->out) {
          memcpy(r->out, s->rx, s->rx_len);
          r->out_len = s->rx_len;
        }
        r->r.out_port = out->m_tuser;
        complete(s, r);
      }
      s->rx_len = 0;
    }
  }
  if (out->retire)
    s->instret++;
  s->tohost = out->tohost;
  s->irq = out->irq;
  soc_hw_edge(s->hw);
  s->cycles++;
}

void nsgnic_soc_step(struct nsgnic_soc *s, uint64_t n)
{
  for (uint64_t i = 0; i < n; i++)
    cycle(s);
}

uint64_t nsgnic_soc_cycles(const struct nsgnic_soc *s) { return s->cycles; }
uint64_t nsgnic_soc_instret(const struct nsgnic_soc *s) { return s->instret; }
uint32_t nsgnic_soc_tohost(const struct nsgnic_soc *s) { return s->tohost; }
bool nsgnic_soc_irq(const struct nsgnic_soc *s) { return s->irq; }

/* ---- BAR ---------------------------------------------------------------------------------- */
static int bar_access(struct nsgnic_soc *s, bool we, uint32_t off, uint32_t wdata, uint32_t *rdata)
{
  if (off & 3)
    return -EINVAL;
  s->bar_we = we;
  s->bar_aw = s->bar_w = we;
  s->in.awaddr = off;
  s->in.araddr = off;
  s->in.wdata = wdata;
  s->in.wstrb = 0xf;
  s->bar = BAR_REQ;
  for (uint64_t t = 0; s->bar != BAR_DONE; t++) {
    if (t >= s->bar_timeout) {
      s->bar = BAR_IDLE;
      return -ETIMEDOUT;
    }
    cycle(s);
  }
  s->bar = BAR_IDLE;
  if (s->bar_resp != 0)
    return -EIO; /* SLVERR/DECERR: nothing at that offset */
  if (rdata)
    *rdata = s->bar_rdata;
  if (we && off == NSGNIC_HOSTREG_CMD_DOORBELL && s->hold_after && --s->hold_after == 0) {
    /* fault injection: the firmware stops right after this doorbell (its CPU held in reset,
       as a board-level reset or a halted core would; the datapath runs on) */
    uint32_t ctrl;
    if (bar_access(s, false, NSGNIC_HOSTREG_CTRL, 0, &ctrl) == 0)
      (void)bar_access(s, true, NSGNIC_HOSTREG_CTRL, ctrl & ~(1u << NSGNIC_CTRL_CPU_RUN_LSB), NULL);
  }
  return 0;
}

void nsgnic_soc_fault_hold_cpu(struct nsgnic_soc *s, unsigned doorbells)
{
  s->hold_after = doorbells;
}

int nsgnic_soc_bar_read32(struct nsgnic_soc *s, uint32_t off, uint32_t *v)
{
  return bar_access(s, false, off, 0, v);
}

int nsgnic_soc_bar_write32(struct nsgnic_soc *s, uint32_t off, uint32_t v)
{
  return bar_access(s, true, off, v, NULL);
}

/* ---- lifecycle ---------------------------------------------------------------------------- */
static void discard_frames(struct nsgnic_soc *s)
{
  for (uint64_t id = s->head; id < s->next; id++) {
    struct rec *r = &s->ring[id % MAX_FRAMES];
    free(r->frame);
    free(r->out);
    memset(r, 0, sizeof *r);
  }
  s->head = s->next = s->sending = s->verdicts = 0;
  s->send_off = 0;
  s->allowed_head = s->allowed_n = 0;
  s->rx_len = 0;
  for (size_t i = 0; i < s->rel_n; i++)
    free(s->rel[(s->rel_head + i) % MAX_FRAMES].data);
  s->rel_head = s->rel_n = 0;
  s->punts_head = s->punts_n = 0;
  memset(s->slot_valid, 0, sizeof s->slot_valid);
}

void nsgnic_soc_reset(struct nsgnic_soc *s)
{
  discard_frames(s);
  s->in.rst_n = false;
  nsgnic_soc_step(s, 2);
  s->in.rst_n = true;
  nsgnic_soc_step(s, 4);
}

struct nsgnic_soc *nsgnic_soc_create(const struct nsgnic_soc_opts *o, char *err, size_t errlen)
{
  struct nsgnic_soc *s = calloc(1, sizeof *s);
  if (!s) {
    seterr(err, errlen, "out of memory");
    errno = ENOMEM;
    return NULL;
  }
  s->bar_timeout = o && o->bar_timeout ? o->bar_timeout : 10000;
  const char *device = o && o->device ? o->device : default_device();
  const struct soc_hw_sizes *d = soc_hw_device(device);
  if (!d) {
    seterr(err, errlen, "no simulated device '%s'%s (there are: %s)", device,
           o && o->device ? "" : " (NSGNIC_SIM_DEVICE)", soc_hw_device_names());
    free(s);
    errno = ENODEV;
    return NULL;
  }
  fill_params(d, &s->params);
  s->hw = soc_hw_new(d->name, o ? o->trace : NULL, o ? o->trace_scope : NULL);
  if (!s->hw) {
    int e = errno;
    seterr(err, errlen,
           e == EIO      ? "cannot open the trace file %s"
           : e == EINVAL ? "trace scope '%s' is not all, datapath, cpu, window or a hierarchy (u_dp.u_parser)"
                         : "out of memory",
           e == EINVAL ? o->trace_scope : o && o->trace ? o->trace : "");
    free(s);
    errno = e;
    return NULL;
  }
  if (o && (o->trace_from || o->trace_to))
    soc_hw_trace_window(s->hw, o->trace_from, o->trace_to);
  nsgnic_soc_reset(s);
  if (o && o->firmware) {
    int rc = nsgnic_soc_bar_write32(s, NSGNIC_HOSTREG_CTRL, 0);
    if (!rc)
      rc = nsgnic_soc_load_elf(s, o->firmware, err, errlen);
    if (!rc) {
      rc = nsgnic_soc_start(s, BOOT_CYCLES);
      if (rc)
        seterr(err, errlen, "firmware %s: FW_MAGIC not written within %u cycles (tohost 0x%x)",
               o->firmware, BOOT_CYCLES, s->tohost);
    }
    if (rc) {
      nsgnic_soc_destroy(s);
      errno = -rc;
      return NULL;
    }
  }
  return s;
}

void nsgnic_soc_trace_window(struct nsgnic_soc *s, uint64_t from, uint64_t to)
{
  soc_hw_trace_window(s->hw, from, to);
}

void nsgnic_soc_destroy(struct nsgnic_soc *s)
{
  if (!s)
    return;
  discard_frames(s);
  soc_hw_free(s->hw);
  free(s->rx);
  free(s->result_buf);
  free(s);
}

int nsgnic_soc_start(struct nsgnic_soc *s, uint64_t max_cycles)
{
  static const uint32_t zero[] = {NSGNIC_HOSTREG_CMD_HEAD, NSGNIC_HOSTREG_CPL_TAIL,
                                  NSGNIC_HOSTREG_EVT_TAIL, NSGNIC_HOSTREG_FW_MAGIC,
                                  NSGNIC_HOSTREG_FW_STATE};
  uint32_t ctrl;
  int rc = nsgnic_soc_bar_read32(s, NSGNIC_HOSTREG_CTRL, &ctrl);
  if (rc)
    return rc;
  uint32_t run = (uint32_t)1 << NSGNIC_CTRL_CPU_RUN_LSB;
  ctrl &= ~run;
  if ((rc = nsgnic_soc_bar_write32(s, NSGNIC_HOSTREG_CTRL, ctrl)) ||
      (rc = nsgnic_soc_bar_write32(s, NSGNIC_HOSTREG_CTRL, ctrl | (1u << NSGNIC_CTRL_SOFT_RESET_LSB))))
    return rc;
  for (size_t i = 0; i < sizeof zero / sizeof zero[0]; i++)
    if ((rc = nsgnic_soc_bar_write32(s, zero[i], 0)))
      return rc;
  if ((rc = nsgnic_soc_bar_write32(s, NSGNIC_HOSTREG_CTRL, ctrl | run)))
    return rc;
  for (uint64_t t = 0; t < max_cycles; t += 1000) {
    uint32_t m;
    nsgnic_soc_step(s, 1000);
    if ((rc = nsgnic_soc_bar_read32(s, NSGNIC_HOSTREG_FW_MAGIC, &m)))
      return rc;
    if (m == NSGNIC_HOST_MAGIC)
      return 0;
  }
  return -ETIMEDOUT;
}

/* ---- firmware load ------------------------------------------------------------------------ */
static uint32_t le32(const uint8_t *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }

static int load_segment(struct nsgnic_soc *s, const uint8_t *data, uint32_t filesz, uint32_t memsz,
                        uint32_t paddr, bool verify)
{
  int rc = nsgnic_soc_bar_write32(s, NSGNIC_HOSTREG_FW_LOAD_ADDR, paddr);
  for (uint32_t off = 0; !rc && off < memsz; off += 4) {
    uint8_t w[4] = {0};
    for (uint32_t b = 0; b < 4; b++)
      if (off + b < filesz)
        w[b] = data[off + b];
    if (!verify) {
      rc = nsgnic_soc_bar_write32(s, NSGNIC_HOSTREG_FW_LOAD_DATA, le32(w));
    } else {
      uint32_t v;
      rc = nsgnic_soc_bar_read32(s, NSGNIC_HOSTREG_FW_LOAD_DATA, &v);
      if (!rc && v != le32(w))
        return -EFAULT;
    }
  }
  return rc;
}

int nsgnic_soc_load_elf(struct nsgnic_soc *s, const char *path, char *err, size_t errlen)
{
  uint32_t ctrl;
  int rc = nsgnic_soc_bar_read32(s, NSGNIC_HOSTREG_CTRL, &ctrl);
  if (rc)
    return rc;
  if (ctrl & (1u << NSGNIC_CTRL_CPU_RUN_LSB)) {
    seterr(err, errlen, "%s: the CPU runs; hold it (CTRL.CPU_RUN = 0) before loading", path);
    return -EBUSY;
  }
  uint8_t *buf = NULL;
  size_t len = 0;
  char why[160];
  rc = nsgnic_elf_read_file(path, 64u << 20, &buf, &len);
  if (rc) {
    seterr(err, errlen, "%s: %s", path, rc == -EFBIG ? "too big" : strerror(-rc));
    return rc == -ENOENT ? rc : rc == -EFBIG || rc == -ENOMEM ? -EIO : rc;
  }
  rc = nsgnic_elf_check(buf, len, NULL, why, sizeof why);
  if (rc) {
    seterr(err, errlen, "%s: not an ELF32 little-endian RISC-V executable (%s)", path, why);
    goto out;
  }
  for (int pass = 0; pass < 2; pass++) {
    struct nsgnic_elf_seg seg;
    unsigned i = 0;
    while ((rc = nsgnic_elf_next_load(buf, len, &i, &seg, why, sizeof why)) == 1) {
      rc = load_segment(s, seg.data, seg.filesz, seg.memsz, seg.paddr, pass == 1);
      if (rc == -EFAULT)
        seterr(err, errlen, "%s: segment %u (0x%08x, %u bytes) is outside the CPU's RAMs", path,
               seg.index, seg.paddr, seg.memsz);
      else if (rc)
        seterr(err, errlen, "%s: host window access failed (%s)", path, strerror(-rc));
      if (rc)
        goto out;
    }
    if (rc < 0) {
      seterr(err, errlen, "%s: %s", path, why);
      goto out;
    }
  }
  rc = 0;
out:
  free(buf);
  return rc;
}

/* ---- packets ------------------------------------------------------------------------------ */
uint16_t nsgnic_soc_port(bool vf, unsigned id)
{
  uint32_t w = 0;
  NSGNIC_PUT(&w, PORT_ID, id);
  NSGNIC_PUT(&w, PORT_KIND, vf ? NSGNIC_PORT_KIND_VF : NSGNIC_PORT_KIND_WIRE);
  return (uint16_t)w;
}

int nsgnic_soc_send(struct nsgnic_soc *s, uint16_t port, const uint8_t *frame, size_t len, uint64_t *id)
{
  if (!frame || len == 0 || len > 65535)
    return -EINVAL;
  if (s->next - s->head >= MAX_FRAMES)
    return -ENOSPC;
  struct rec *r = &s->ring[s->next % MAX_FRAMES];
  memset(r, 0, sizeof *r);
  r->frame = malloc(len);
  if (!r->frame)
    return -ENOMEM;
  memcpy(r->frame, frame, len);
  r->len = len;
  r->port = port;
  r->r.id = s->next;
  r->r.in_port = port;
  if (id)
    *id = s->next;
  s->next++;
  return 0;
}

size_t nsgnic_soc_in_flight(const struct nsgnic_soc *s)
{
  size_t n = 0;
  for (uint64_t id = s->head; id < s->next; id++)
    n += !s->ring[id % MAX_FRAMES].complete;
  return n;
}

int nsgnic_soc_recv(struct nsgnic_soc *s, struct nsgnic_soc_result *out)
{
  if (s->head == s->next || !s->ring[s->head % MAX_FRAMES].complete) {
    if (!s->rel_n)
      return 0;
    struct released *x = &s->rel[s->rel_head];
    s->rel_head = (s->rel_head + 1) % MAX_FRAMES;
    s->rel_n--;
    free(s->result_buf);
    s->result_buf = x->data;
    *out = x->r;
    out->data = x->data;
    out->len = x->data ? x->r.len : 0;
    return 1;
  }
  struct rec *r = &s->ring[s->head++ % MAX_FRAMES];
  free(s->result_buf);
  s->result_buf = r->out;
  *out = r->r;
  out->data = r->out;
  out->len = r->out ? r->out_len : 0;
  free(r->frame);
  memset(r, 0, sizeof *r);
  return 1;
}

int nsgnic_soc_drain(struct nsgnic_soc *s, uint64_t max_cycles)
{
  for (uint64_t t = 0; t < max_cycles; t++) {
    if (s->head == s->next || s->ring[(s->next - 1) % MAX_FRAMES].complete) {
      bool all = true;
      for (uint64_t id = s->head; id < s->next && all; id++)
        all = s->ring[id % MAX_FRAMES].complete;
      if (all)
        return 0;
    }
    cycle(s);
  }
  return -ETIMEDOUT;
}

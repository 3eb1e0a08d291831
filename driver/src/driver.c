/* SPDX-License-Identifier: Apache-2.0 */
/* The backend-independent part of the driver: opening by spec, the identity and version checks,
 * reset, boot, the mailbox client (one command in flight, tagged, every wait bounded) and the
 * event ring. Protocol: include/nsgnic/abi/host.def.h and docs/driver.md. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "driver_priv.h"

enum { DEFAULT_TIMEOUT_MS = 1000, SPINS_BEFORE_SLEEP = 64, SLEEP_NS = 20000 };

/* ---- small helpers ------------------------------------------------------------------------ */

void nsgnic_log(const struct nsgnic_dev_opts *o, enum nsgnic_log_level lvl, const char *fmt, ...)
{
  if (!o || !o->log)
    return;
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  o->log(o->log_ctx, lvl, buf);
}

uint64_t nsgnic_now_ms(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

void nsgnic_dev_opts_default(struct nsgnic_dev_opts *o)
{
  memset(o, 0, sizeof *o);
  o->timeout_ms = DEFAULT_TIMEOUT_MS;
  o->sysfs_root = "/sys";
  o->dev_root = "/dev";
}

const char *nsgnic_status_name(uint32_t s)
{
  switch (s) {
#define ONE_(name) case NSGNIC_STATUS_##name: return #name;
    ONE_(OK) ONE_(BAD_VERSION) ONE_(BAD_OPCODE) ONE_(BAD_LENGTH) ONE_(BAD_FLAGS) ONE_(BAD_TABLE)
    ONE_(BAD_INDEX) ONE_(BAD_FIELD) ONE_(LIVE_ENTRY) ONE_(STALE_VERSION) ONE_(NOT_FOUND)
    ONE_(EXISTS) ONE_(TABLE_FULL) ONE_(HW_ERROR) ONE_(NOT_READY)
#undef ONE_
  default: return "?";
  }
}

static uint32_t rd(struct nsgnic_dev *d, uint32_t off) { return d->ops->rd32(d->be, off); }
static void wr(struct nsgnic_dev *d, uint32_t off, uint32_t v) { d->ops->wr32(d->be, off, v); }

uint32_t nsgnic_dev_rd32(struct nsgnic_dev *d, uint32_t off)
{
  if ((off & 3u) || off >= d->window_bytes)
    return UINT32_MAX;
  return rd(d, off);
}

void nsgnic_dev_wr32(struct nsgnic_dev *d, uint32_t off, uint32_t v)
{
  if ((off & 3u) || off >= d->window_bytes)
    return;
  wr(d, off, v);
}

/* One step of a bounded wait: lets a modelled device run, backs off on a real one. Returns
 * -ETIMEDOUT once `deadline` (ms) has passed. */
static int wait_step(struct nsgnic_dev *d, uint64_t deadline, unsigned *spins)
{
  d->ops->poll(d->be);
  if (nsgnic_now_ms() > deadline)
    return -ETIMEDOUT;
  if (++*spins > SPINS_BEFORE_SLEEP) {
    struct timespec ts = {0, SLEEP_NS};
    nanosleep(&ts, NULL);
  }
  return 0;
}

static void version_str(uint32_t v, char *buf, size_t n)
{
  snprintf(buf, n, "%u.%u", v >> 16, v & 0xffffu);
}

/* ---- open / close --------------------------------------------------------------------------- */

/* Picks the backend for `spec` and the argument it gets. */
static const struct nsgnic_backend_ops *pick(const char *spec, const char **arg)
{
  static const struct { const char *name; const struct nsgnic_backend_ops *ops; } named[] = {
    {"pci", &nsgnic_backend_pci}, {"vfio", &nsgnic_backend_vfio}, {"fake", &nsgnic_backend_fake},
    {"sim", &nsgnic_backend_sim}};
  for (size_t i = 0; i < sizeof named / sizeof named[0]; i++) {
    size_t n = strlen(named[i].name);
    if (strncmp(spec, named[i].name, n) == 0 && (spec[n] == 0 || spec[n] == ':' || spec[n] == ',')) {
      *arg = spec[n] ? spec + n + 1 : NULL;
      return named[i].ops;
    }
  }
  unsigned a, b, c, e;
  if (nsgnic_parse_bdf(spec, &a, &b, &c, &e) == 0) {
    *arg = spec;
    return &nsgnic_backend_pci;
  }
  return NULL;
}

/* Magic, hardware ABI major and window size: the first thing read from any device. */
static int check_identity(struct nsgnic_dev *d)
{
  uint32_t magic = rd(d, NSGNIC_HOSTREG_MAGIC);
  if (magic != NSGNIC_HOST_MAGIC) {
    DLOG(d, ERR, "%s: magic register reads 0x%08x, not nsgnic's 0x%08x: not an nsgnic board, "
         "or its bitstream is not loaded", d->where, magic, (unsigned)NSGNIC_HOST_MAGIC);
    return -ENODEV;
  }
  uint32_t v = rd(d, NSGNIC_HOSTREG_HW_VERSION);
  if (v >> 16 != NSGNIC_ABI_VERSION_MAJOR) {
    char have[24];
    version_str(v, have, sizeof have);
    DLOG(d, ERR, "%s: hardware ABI version %s is not supported by this driver (ABI %u.x): %s",
         d->where, have, (unsigned)NSGNIC_ABI_VERSION_MAJOR,
         v >> 16 > NSGNIC_ABI_VERSION_MAJOR ? "update the nsgnic host software"
                                            : "load a current bitstream");
    return -EPROTONOSUPPORT;
  }
  if ((v & 0xffffu) > NSGNIC_ABI_VERSION_MINOR)
    DLOG(d, INFO, "%s: hardware ABI %u.%u is newer than the driver's %u.%u (compatible)", d->where,
         v >> 16, v & 0xffffu, (unsigned)NSGNIC_ABI_VERSION_MAJOR, (unsigned)NSGNIC_ABI_VERSION_MINOR);
  uint32_t wb = rd(d, NSGNIC_HOSTREG_WINDOW_BYTES);
  if (wb < NSGNIC_HOSTWIN_BYTES) {
    DLOG(d, ERR, "%s: host window is %u bytes, the ABI needs %u: bitstream and driver disagree",
         d->where, wb, (unsigned)NSGNIC_HOSTWIN_BYTES);
    return -EPROTO;
  }
  return 0;
}

struct nsgnic_dev *nsgnic_dev_open(const char *spec, const struct nsgnic_dev_opts *o)
{
  struct nsgnic_dev *d = calloc(1, sizeof *d);
  int err;
  if (!d) {
    errno = ENOMEM;
    return NULL;
  }
  if (o)
    d->o = *o;
  else
    nsgnic_dev_opts_default(&d->o);
  if (!d->o.timeout_ms)
    d->o.timeout_ms = DEFAULT_TIMEOUT_MS;
  if (!d->o.sysfs_root)
    d->o.sysfs_root = "/sys";
  if (!d->o.dev_root)
    d->o.dev_root = "/dev";
  const char *arg = NULL;
  d->ops = spec ? pick(spec, &arg) : NULL;
  if (!d->ops) {
    DLOG(d, ERR, "unknown device '%s': give a PCI address (0000:03:00.0), pci, fake or sim",
         spec ? spec : "(null)");
    err = -EINVAL;
    goto fail;
  }
  snprintf(d->where, sizeof d->where, "%s", d->ops->name);
  d->window_bytes = NSGNIC_HOSTWIN_BYTES;
  err = d->ops->open(d, arg);
  if (err < 0)
    goto fail;
  err = check_identity(d);
  if (err < 0)
    goto fail_close;
  return d;

fail_close:
  d->ops->close(d->be);
fail:
  free(d);
  errno = -err;
  return NULL;
}

int nsgnic_dev_dma_map(struct nsgnic_dev *d, void *vaddr, size_t len, uint64_t *iova)
{
  if (!d->ops->dma_map)
    return -ENOTSUP;
  return d->ops->dma_map(d->be, vaddr, len, iova);
}

int nsgnic_dev_dma_unmap(struct nsgnic_dev *d, uint64_t iova, size_t len)
{
  if (!d->ops->dma_unmap)
    return -ENOTSUP;
  return d->ops->dma_unmap(d->be, iova, len);
}

void nsgnic_dev_close(struct nsgnic_dev *d)
{
  if (!d)
    return;
  d->ops->close(d->be);
  free(d);
}

int nsgnic_dev_identify(struct nsgnic_dev *d, struct nsgnic_dev_id *id)
{
  memset(id, 0, sizeof *id);
  id->backend = d->ops->name;
  snprintf(id->where, sizeof id->where, "%s", d->where);
  id->hw_version = rd(d, NSGNIC_HOSTREG_HW_VERSION);
  id->hw_build = rd(d, NSGNIC_HOSTREG_HW_BUILD);
  id->hw_caps = rd(d, NSGNIC_HOSTREG_HW_CAPS);
  id->window_bytes = rd(d, NSGNIC_HOSTREG_WINDOW_BYTES);
  id->fw_valid = rd(d, NSGNIC_HOSTREG_FW_MAGIC) == NSGNIC_HOST_MAGIC;
  if (id->fw_valid) {
    id->fw_version = rd(d, NSGNIC_HOSTREG_FW_VERSION);
    id->fw_build = rd(d, NSGNIC_HOSTREG_FW_BUILD);
    id->fw_caps = rd(d, NSGNIC_HOSTREG_FW_CAPS);
    id->fw_state = rd(d, NSGNIC_HOSTREG_FW_STATE);
    id->selftest = rd(d, NSGNIC_HOSTREG_SELFTEST);
    id->heartbeat = rd(d, NSGNIC_HOSTREG_HEARTBEAT);
  }
  return 0;
}

/* ---- reset and boot ----------------------------------------------------------------------- */

static uint32_t ctrl_word(uint32_t run, uint32_t soft_reset)
{
  uint32_t c = 0;
  NSGNIC_PUT(&c, CTRL_CPU_RUN, run);
  NSGNIC_PUT(&c, CTRL_SOFT_RESET, soft_reset);
  return c;
}

/* With the CPU held: the mailbox words as a fresh boot expects them. A FW_MAGIC left from the
 * previous run must not be taken for the next boot; the next run's events (and EXC_RELEASE
 * tokens) continue after the last run's. */
static void mailbox_rearm(struct nsgnic_dev *d)
{
  wr(d, NSGNIC_HOSTREG_FW_MAGIC, 0);
  wr(d, NSGNIC_HOSTREG_FW_STATE, NSGNIC_FW_STATE_BOOT);
  wr(d, NSGNIC_HOSTREG_CMD_HEAD, 0);
  wr(d, NSGNIC_HOSTREG_CPL_TAIL, 0);
  d->evt_tail = rd(d, NSGNIC_HOSTREG_EVT_HEAD);
  wr(d, NSGNIC_HOSTREG_EVT_TAIL, d->evt_tail);
  d->cmd_head = d->cpl_tail = 0;
  d->started = false;
}

int nsgnic_dev_reset(struct nsgnic_dev *d)
{
  wr(d, NSGNIC_HOSTREG_CTRL, ctrl_word(0, 0));
  wr(d, NSGNIC_HOSTREG_CTRL, ctrl_word(0, 1));
  /* the firmware words are written by the firmware only, but its CPU is held now */
  mailbox_rearm(d);
  DLOG(d, DEBUG, "%s: reset (CPU held, tables cleared)", d->where);
  return 0;
}

/* Ring geometry the firmware reports must be a power-of-two ring inside the window. */
static int check_ring(struct nsgnic_dev *d, const char *name, uint32_t base_reg, uint32_t slots_reg,
                      uint32_t *base, uint32_t *slots)
{
  *base = rd(d, base_reg);
  *slots = rd(d, slots_reg);
  if (*slots == 0 || (*slots & (*slots - 1u)) || *base % NSGNIC_SLOT_BYTES ||
      *base < 0x200u || *base > d->window_bytes ||
      *slots > (d->window_bytes - *base) / NSGNIC_SLOT_BYTES) {
    DLOG(d, ERR, "%s: firmware reports a %s ring of %u slots at 0x%x that does not fit the window",
         d->where, name, *slots, *base);
    return -EPROTO;
  }
  return 0;
}

/* Firmware words: version, ring geometry, state. */
static int check_firmware(struct nsgnic_dev *d)
{
  uint32_t v = rd(d, NSGNIC_HOSTREG_FW_VERSION);
  if (v >> 16 != NSGNIC_ABI_VERSION_MAJOR) {
    char have[24];
    version_str(v, have, sizeof have);
    DLOG(d, ERR, "%s: firmware ABI version %s is not supported by this driver (ABI %u.x): "
         "load firmware built from the same tree as the driver", d->where, have,
         (unsigned)NSGNIC_ABI_VERSION_MAJOR);
    return -EPROTONOSUPPORT;
  }
  int err;
  if ((err = check_ring(d, "command", NSGNIC_HOSTREG_CMD_BASE, NSGNIC_HOSTREG_CMD_SLOTS,
                        &d->cmd_base, &d->cmd_slots)) < 0 ||
      (err = check_ring(d, "completion", NSGNIC_HOSTREG_CPL_BASE, NSGNIC_HOSTREG_CPL_SLOTS,
                        &d->cpl_base, &d->cpl_slots)) < 0 ||
      (err = check_ring(d, "event", NSGNIC_HOSTREG_EVT_BASE, NSGNIC_HOSTREG_EVT_SLOTS,
                        &d->evt_base, &d->evt_slots)) < 0)
    return err;
  uint32_t st = rd(d, NSGNIC_HOSTREG_FW_STATE);
  if (st == NSGNIC_FW_STATE_FAILED) {
    static const char *const steps[] = {"RAM", "WINDOW", "TCAM", "SIZES"};
    uint32_t bits = rd(d, NSGNIC_HOSTREG_SELFTEST);
    char list[96] = "";
    for (unsigned i = 0; i < 32; i++)
      if (bits & (1u << i)) {
        size_t n = strlen(list);
        if (i < sizeof steps / sizeof steps[0])
          snprintf(list + n, sizeof list - n, "%s%s", n ? "," : "", steps[i]);
        else
          snprintf(list + n, sizeof list - n, "%sbit%u", n ? "," : "", i);
      }
    DLOG(d, ERR, "%s: firmware self-test failed (steps %s): the board needs service; only "
         "status commands are served", d->where, list);
    return -EIO;
  }
  if (st != NSGNIC_FW_STATE_READY) {
    DLOG(d, ERR, "%s: firmware published its words in state %u (expected READY)", d->where, st);
    return -EPROTO;
  }
  return 0;
}

int nsgnic_dev_restart_firmware(struct nsgnic_dev *d, const char *elf_path)
{
  /* CPU held; the datapath keeps its tables, bank, bindings, flows and CTRL bits */
  uint32_t c = rd(d, NSGNIC_HOSTREG_CTRL);
  NSGNIC_PUT(&c, CTRL_CPU_RUN, 0);
  NSGNIC_PUT(&c, CTRL_SOFT_RESET, 0);
  wr(d, NSGNIC_HOSTREG_CTRL, c);
  mailbox_rearm(d);
  DLOG(d, INFO, "%s: firmware restart (CPU held, datapath running)", d->where);
  int err = nsgnic_dev_load_firmware(d, elf_path);
  if (err < 0)
    return err;
  return nsgnic_dev_start(d);
}

int nsgnic_dev_start(struct nsgnic_dev *d)
{
  d->started = false;
  /* CPU_RUN; the other CTRL bits (learning, time source) stay as the host set them */
  uint32_t c = rd(d, NSGNIC_HOSTREG_CTRL);
  NSGNIC_PUT(&c, CTRL_CPU_RUN, 1);
  NSGNIC_PUT(&c, CTRL_SOFT_RESET, 0);
  wr(d, NSGNIC_HOSTREG_CTRL, c);
  uint64_t deadline = nsgnic_now_ms() + d->o.timeout_ms;
  unsigned spins = 0;
  while (rd(d, NSGNIC_HOSTREG_FW_MAGIC) != NSGNIC_HOST_MAGIC) {
    if (wait_step(d, deadline, &spins) < 0) {
      DLOG(d, ERR, "%s: firmware did not come up within %u ms (FW_MAGIC 0x%08x, FW_STATE %u): "
           "check the firmware image", d->where, d->o.timeout_ms, rd(d, NSGNIC_HOSTREG_FW_MAGIC),
           rd(d, NSGNIC_HOSTREG_FW_STATE));
      return -ETIMEDOUT;
    }
  }
  int err = check_firmware(d);
  if (err < 0)
    return err;
  d->cmd_head = d->cpl_tail = 0;
  d->evt_tail = rd(d, NSGNIC_HOSTREG_EVT_TAIL);  /* the firmware's first event index */
  d->tag = 0;
  d->started = true;
  DLOG(d, INFO, "%s: firmware up (build 0x%08x)", d->where, rd(d, NSGNIC_HOSTREG_FW_BUILD));
  return 0;
}

int nsgnic_dev_attach(struct nsgnic_dev *d)
{
  d->started = false;
  if (rd(d, NSGNIC_HOSTREG_FW_MAGIC) != NSGNIC_HOST_MAGIC) {
    DLOG(d, ERR, "%s: no firmware running (FW_MAGIC not set): load it first (nsgnic load "
         "--firmware FILE)", d->where);
    return -ENODEV;
  }
  int err = check_firmware(d);
  if (err < 0)
    return err;
  /* Take over the host indices; wait until every command an earlier user posted is taken,
   * then drop the completions nobody will read. */
  d->cmd_head = rd(d, NSGNIC_HOSTREG_CMD_HEAD);
  d->evt_tail = rd(d, NSGNIC_HOSTREG_EVT_TAIL);
  uint64_t deadline = nsgnic_now_ms() + d->o.timeout_ms;
  unsigned spins = 0;
  for (;;) {
    uint32_t pending = d->cmd_head - rd(d, NSGNIC_HOSTREG_CMD_TAIL);
    if (pending > d->cmd_slots) {
      DLOG(d, ERR, "%s: command ring indices are inconsistent: reset the device", d->where);
      return -EPROTO;
    }
    if (pending == 0)
      break;
    if (wait_step(d, deadline, &spins) < 0) {
      DLOG(d, ERR, "%s: firmware does not take the %u pending commands: reset the device",
           d->where, pending);
      return -ETIMEDOUT;
    }
  }
  d->cpl_tail = rd(d, NSGNIC_HOSTREG_CPL_HEAD);
  wr(d, NSGNIC_HOSTREG_CPL_TAIL, d->cpl_tail);
  d->tag = d->cmd_head;
  d->started = true;
  return 0;
}

/* ---- mailbox ------------------------------------------------------------------------------ */

static int cmd_timeout(struct nsgnic_dev *d, uint32_t op, const char *what, uint32_t hb0)
{
  uint32_t hb1 = rd(d, NSGNIC_HOSTREG_HEARTBEAT);
  DLOG(d, ERR, "%s: command %u: %s within %u ms; the firmware heartbeat %s: %s", d->where, op,
       what, d->o.timeout_ms, hb1 != hb0 ? "still moves" : "has stopped",
       hb1 != hb0 ? "the firmware is alive but not serving the mailbox (retry, or reset)"
                  : "the firmware is hung or not running (reset the device and load it again)");
  return -ETIMEDOUT;
}

int nsgnic_dev_cmd(struct nsgnic_dev *d, uint32_t op, const uint32_t *req, unsigned req_len,
                   uint32_t *resp, unsigned resp_max, unsigned *resp_len, uint32_t *status)
{
  if (resp_len)
    *resp_len = 0;
  if (status)
    *status = UINT32_MAX;
  if (!d->started) {
    DLOG(d, ERR, "%s: mailbox not ready: start or attach the firmware first", d->where);
    return -EINVAL;
  }
  if (req_len > NSGNIC_MSG_PAYLOAD_WORDS || op > 0xffu || (req_len && !req))
    return -EINVAL;
  uint64_t deadline = nsgnic_now_ms() + d->o.timeout_ms;
  unsigned spins = 0;
  uint32_t hb0 = rd(d, NSGNIC_HOSTREG_HEARTBEAT);

  /* 1. a free command slot */
  for (;;) {
    uint32_t used = d->cmd_head - rd(d, NSGNIC_HOSTREG_CMD_TAIL);
    if (used > d->cmd_slots) {
      DLOG(d, ERR, "%s: firmware CMD_TAIL is outside the command ring: reset the device", d->where);
      return -EPROTO;
    }
    if (used < d->cmd_slots)
      break;
    if (wait_step(d, deadline, &spins) < 0)
      return cmd_timeout(d, op, "no free command slot", hb0);
  }

  /* 2. post */
  uint32_t tag = d->tag++;
  uint32_t base = d->cmd_base + (d->cmd_head & (d->cmd_slots - 1u)) * NSGNIC_SLOT_BYTES;
  uint32_t hdr = 0;
  NSGNIC_PUT(&hdr, CMD_HDR_OPCODE, op);
  NSGNIC_PUT(&hdr, CMD_HDR_VERSION, NSGNIC_MBOX_VERSION);
  NSGNIC_PUT(&hdr, CMD_HDR_LEN, req_len);
  wr(d, base, hdr);
  wr(d, base + 4, tag);
  for (unsigned i = 0; i < NSGNIC_MSG_PAYLOAD_WORDS; i++)
    wr(d, base + 8 + 4 * i, i < req_len ? req[i] : 0);
  __atomic_thread_fence(__ATOMIC_SEQ_CST);  /* slot before the index that publishes it */
  d->cmd_head++;
  wr(d, NSGNIC_HOSTREG_CMD_HEAD, d->cmd_head);
  wr(d, NSGNIC_HOSTREG_CMD_DOORBELL, 1);

  /* 3. its completion (earlier ones, of commands that timed out, are dropped by tag) */
  for (;;) {
    uint32_t head = rd(d, NSGNIC_HOSTREG_CPL_HEAD);
    uint32_t avail = head - d->cpl_tail;
    if (avail > d->cpl_slots) {
      DLOG(d, ERR, "%s: firmware CPL_HEAD 0x%x is outside the completion ring (tail 0x%x): "
           "reset the device", d->where, head, d->cpl_tail);
      return -EPROTO;
    }
    if (avail == 0) {
      if (wait_step(d, deadline, &spins) < 0)
        return cmd_timeout(d, op, "no completion", hb0);
      continue;
    }
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    uint32_t cb = d->cpl_base + (d->cpl_tail & (d->cpl_slots - 1u)) * NSGNIC_SLOT_BYTES;
    uint32_t ch = rd(d, cb), ctag = rd(d, cb + 4);
    uint32_t cop = (uint32_t)NSGNIC_GET(&ch, CPL_HDR_OPCODE);
    uint32_t cver = (uint32_t)NSGNIC_GET(&ch, CPL_HDR_VERSION);
    uint32_t clen = (uint32_t)NSGNIC_GET(&ch, CPL_HDR_LEN);
    uint32_t cst = (uint32_t)NSGNIC_GET(&ch, CPL_HDR_STATUS);
    uint32_t words[NSGNIC_MSG_PAYLOAD_WORDS];
    unsigned n = clen <= NSGNIC_MSG_PAYLOAD_WORDS ? clen : 0;
    for (unsigned i = 0; i < n; i++)
      words[i] = rd(d, cb + 8 + 4 * i);
    d->cpl_tail++;
    wr(d, NSGNIC_HOSTREG_CPL_TAIL, d->cpl_tail);
    if (ctag != tag && (int32_t)(ctag - tag) < 0) {
      DLOG(d, WARN, "%s: dropped the late completion of an earlier command (tag %u, opcode %u)",
           d->where, ctag, cop);
      continue;
    }
    if (status)
      *status = cst;
    const char *bad = ctag != tag ? "a tag that was never sent"
                      : cver != NSGNIC_MBOX_VERSION ? "another mailbox version"
                      : cop != op ? "another opcode"
                      : clen > NSGNIC_MSG_PAYLOAD_WORDS ? "a length beyond the slot"
                      : cst != NSGNIC_STATUS_OK && clen != 0 ? "an error status with a payload"
                      : NULL;
    if (bad) {
      DLOG(d, ERR, "%s: command %u: malformed completion (header 0x%08x, tag %u): %s; "
           "driver and firmware disagree on the protocol", d->where, op, ch, ctag, bad);
      return -EPROTO;
    }
    unsigned copy = clen <= resp_max ? clen : resp_max;
    if (copy && resp)
      memcpy(resp, words, copy * sizeof *resp);
    if (resp_len)
      *resp_len = copy;
    if (cst != NSGNIC_STATUS_OK) {
      DLOG(d, WARN, "%s: command %u failed with status %s (%u)", d->where, op,
           nsgnic_status_name(cst), cst);
      return -EREMOTEIO;
    }
    if (clen > resp_max || (clen && !resp))
      return -EMSGSIZE;
    return 0;
  }
}

int nsgnic_dev_event_slot(struct nsgnic_dev *d, uint32_t *slot)
{
  if (!d->started)
    return -EINVAL;
  d->ops->poll(d->be);
  uint32_t head = rd(d, NSGNIC_HOSTREG_EVT_HEAD);
  uint32_t avail = head - d->evt_tail;
  if (avail > d->evt_slots) {
    DLOG(d, ERR, "%s: firmware EVT_HEAD is outside the event ring: reset the device", d->where);
    return -EPROTO;
  }
  if (avail == 0)
    return 0;
  __atomic_thread_fence(__ATOMIC_SEQ_CST);
  uint32_t b = d->evt_base + (d->evt_tail & (d->evt_slots - 1u)) * NSGNIC_SLOT_BYTES;
  for (unsigned i = 0; i < NSGNIC_SLOT_WORDS; i++)
    slot[i] = rd(d, b + 4 * i);
  d->evt_tail++;
  wr(d, NSGNIC_HOSTREG_EVT_TAIL, d->evt_tail);
  uint32_t h = slot[0];
  if (NSGNIC_GET(&h, EVT_HDR_VERSION) != NSGNIC_MBOX_VERSION ||
      NSGNIC_GET(&h, EVT_HDR_LEN) > NSGNIC_MSG_PAYLOAD_WORDS) {
    DLOG(d, ERR, "%s: malformed event (header 0x%08x)", d->where, h);
    return -EPROTO;
  }
  return 1;
}

int nsgnic_dev_event(struct nsgnic_dev *d, uint32_t *code, uint32_t *p, unsigned *len)
{
  uint32_t slot[NSGNIC_SLOT_WORDS];
  int rc = nsgnic_dev_event_slot(d, slot);
  if (rc <= 0)
    return rc;
  uint32_t n = (uint32_t)NSGNIC_GET(&slot[0], EVT_HDR_LEN);
  *code = (uint32_t)NSGNIC_GET(&slot[0], EVT_HDR_CODE);
  memcpy(p, &slot[NSGNIC_MSG_HDR_WORDS], n * sizeof *p);
  *len = n;
  return 1;
}

/* SPDX-License-Identifier: Apache-2.0 */
/* Backend "sim": the Verilated SoC (hdl/rtl/nsgnic_top.sv: rv32 CPU + datapath + host window)
 * in-process, through the whole-NIC simulation API sim/nsgnic_soc.h.
 *
 *   open   nsgnic_soc_create(): the model comes up like a board whose flash holds firmware —
 *          the product image (nsgnic-fw.elf of this build, or fw=PATH) is loaded through the
 *          window's FW_LOAD_* registers and started, so nsgnic_dev_attach() works at once;
 *          nsgnic_dev_reset/load_firmware/start reboot it the board way
 *   rd32   nsgnic_soc_bar_read32, wr32 nsgnic_soc_bar_write32 (each a few clock cycles)
 *   poll   nsgnic_soc_step(POLL_CYCLES): the model only runs when the host lets it, so every
 *          driver wait loop gives the firmware time
 *   close  nsgnic_soc_destroy
 *
 * Options (comma-separated after "sim,"): fw=PATH (firmware image), fw=none (CPU held: boot it
 * with nsgnic_dev_reset + load_firmware + start), trace=FILE (FST waveform), tscope=S (only the
 * datapath, cpu, window or a hierarchy such as u_dp.u_parser), tfrom=C / tto=C (cycles [C, C')).
 * The driver's waits are bounded in wall-clock time (opts.timeout_ms); the model runs some
 * 10^5..10^6 cycles per second, so callers that boot or load tables give it several seconds.
 *
 * The default firmware is this build's nsgnic-fw.elf; where that build tree is gone (an installed
 * library or program), the installed image share/nsgnic/nsgnic-fw.elf beside the library's or the
 * program's prefix (found from its own path: the install is relocatable).
 *
 * Without the HDL build (NSGNIC_HDL=OFF, e.g. the sanitizer build) there is no model: open fails
 * with -ENOTSUP and says so. */
#define _GNU_SOURCE 1 /* dladdr */
#include <dlfcn.h>
#include <errno.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driver_priv.h"

#ifdef NSGNIC_HAVE_SOC_SIM
#include "nsgnic_soc.h"

enum { POLL_CYCLES = 200 };

struct sim_be {
  struct nsgnic_soc *soc;
  char fw[1024], trace[1024], tscope[256];
  uint64_t tfrom, tto;
  bool no_fw;
};

/* The firmware image when none is named (see above). */
static void default_fw(char *buf, size_t len)
{
  snprintf(buf, len, "%s", NSGNIC_SOC_DEFAULT_FW);
  if (access(buf, R_OK) == 0)
    return;
  Dl_info info;
  if (!dladdr((void *)default_fw, &info) || !info.dli_fname)
    return;
  char dir[1024];
  snprintf(dir, sizeof dir, "%s", info.dli_fname);
  char *slash = strrchr(dir, '/');
  if (!slash)
    return;
  *slash = 0;
  /* <prefix>/lib, <prefix>/lib/<multiarch> or <prefix>/bin */
  static const char *const up[] = {"/../share/nsgnic/nsgnic-fw.elf", "/../../share/nsgnic/nsgnic-fw.elf"};
  for (size_t i = 0; i < sizeof up / sizeof *up; i++) {
    char p[1100];
    snprintf(p, sizeof p, "%s%s", dir, up[i]);
    if (access(p, R_OK) == 0) {
      snprintf(buf, len, "%s", p);
      return;
    }
  }
}

static int parse_opts(struct nsgnic_dev *d, struct sim_be *b, const char *arg)
{
  default_fw(b->fw, sizeof b->fw);
  while (arg && *arg) {
    const char *end = strchr(arg, ',');
    size_t n = end ? (size_t)(end - arg) : strlen(arg);
    if (n > 3 && strncmp(arg, "fw=", 3) == 0 && n - 3 < sizeof b->fw) {
      memcpy(b->fw, arg + 3, n - 3);
      b->fw[n - 3] = 0;
      b->no_fw = strcmp(b->fw, "none") == 0;
    } else if (n > 6 && strncmp(arg, "trace=", 6) == 0 && n - 6 < sizeof b->trace) {
      memcpy(b->trace, arg + 6, n - 6);
      b->trace[n - 6] = 0;
    } else if (n > 7 && strncmp(arg, "tscope=", 7) == 0 && n - 7 < sizeof b->tscope) {
      memcpy(b->tscope, arg + 7, n - 7);
      b->tscope[n - 7] = 0;
    } else if ((n > 6 && strncmp(arg, "tfrom=", 6) == 0) || (n > 4 && strncmp(arg, "tto=", 4) == 0)) {
      bool from = arg[1] == 'f';
      char *stop;
      const char *num = arg + (from ? 6 : 4);
      errno = 0;
      unsigned long long v = strtoull(num, &stop, 10);
      if (*num < '0' || *num > '9' || errno || stop != arg + n) { /* digits only: no space, sign, overflow */
        DLOG(d, ERR, "sim: '%.*s' is not a cycle number", (int)n, arg);
        return -EINVAL;
      }
      *(from ? &b->tfrom : &b->tto) = v;
    } else {
      DLOG(d, ERR, "sim: unknown option '%.*s' (options: fw=PATH|none, trace=FILE.fst, tscope=S, tfrom=CYCLE, "
                   "tto=CYCLE)", (int)n, arg);
      return -EINVAL;
    }
    arg = end ? end + 1 : NULL;
  }
  return 0;
}

static int sim_open(struct nsgnic_dev *d, const char *arg)
{
  struct sim_be *b = calloc(1, sizeof *b);
  if (!b)
    return -ENOMEM;
  int rc = parse_opts(d, b, arg);
  if (rc) {
    free(b);
    return rc;
  }
  if (!b->no_fw && !b->fw[0]) {
    DLOG(d, ERR, "sim: this build has no firmware image (riscv64-unknown-elf-gcc missing?): give "
         "sim,fw=PATH or sim,fw=none");
    free(b);
    return -ENOENT;
  }
  struct nsgnic_soc_opts so = {.firmware = b->no_fw ? NULL : b->fw, .trace = b->trace[0] ? b->trace : NULL,
                               .trace_scope = b->tscope[0] ? b->tscope : NULL, .trace_from = b->tfrom,
                               .trace_to = b->tto};
  char err[512] = "";
  b->soc = nsgnic_soc_create(&so, err, sizeof err);
  if (!b->soc) {
    rc = -errno;
    DLOG(d, ERR, "sim: cannot start the simulated SoC: %s", err);
    free(b);
    return rc ? rc : -EIO;
  }
  d->be = b;
  snprintf(d->where, sizeof d->where, "sim");
  return 0;
}

static void sim_close(void *be)
{
  struct sim_be *b = be;
  if (!b)
    return;
  nsgnic_soc_destroy(b->soc);
  free(b);
}

static uint32_t sim_rd32(void *be, uint32_t off)
{
  struct sim_be *b = be;
  uint32_t v;
  return nsgnic_soc_bar_read32(b->soc, off, &v) ? UINT32_MAX : v;
}

static void sim_wr32(void *be, uint32_t off, uint32_t v)
{
  struct sim_be *b = be;
  (void)nsgnic_soc_bar_write32(b->soc, off, v);
}

static void sim_poll(void *be)
{
  struct sim_be *b = be;
  nsgnic_soc_step(b->soc, POLL_CYCLES);
}

struct nsgnic_soc *nsgnic_dev_sim_soc(struct nsgnic_dev *d)
{
  return d && d->ops == &nsgnic_backend_sim ? ((struct sim_be *)d->be)->soc : NULL;
}

#else /* no model in this build */

static int sim_open(struct nsgnic_dev *d, const char *arg)
{
  (void)arg;
  DLOG(d, ERR, "sim: this build has no Verilated SoC model (configured with NSGNIC_HDL=OFF): "
       "rebuild with -DNSGNIC_HDL=ON, or use --device fake, which runs the same firmware logic in-process");
  return -ENOTSUP;
}

static void sim_close(void *be) { (void)be; }
static uint32_t sim_rd32(void *be, uint32_t off) { (void)be, (void)off; return UINT32_MAX; }
static void sim_wr32(void *be, uint32_t off, uint32_t v) { (void)be, (void)off, (void)v; }
static void sim_poll(void *be) { (void)be; }

struct nsgnic_soc *nsgnic_dev_sim_soc(struct nsgnic_dev *d)
{
  (void)d;
  return NULL;
}

#endif

const struct nsgnic_backend_ops nsgnic_backend_sim = {
  .name = "sim", .open = sim_open, .close = sim_close, .rd32 = sim_rd32, .wr32 = sim_wr32,
  .poll = sim_poll,
};

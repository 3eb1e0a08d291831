/* SPDX-License-Identifier: Apache-2.0 */
/* nsgnic devices / nsgnic load: the boards libpci finds, and compiled tables onto a device
 * (a board by PCI address, the in-process fake device, or the simulator). */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "progress.h"
#include "nsgnic/abi.h"
#include "nsgnic/compile.h"
#include "nsgnic/device.h"
#include "nsgnic/driver.h"

struct logctx {
  bool verbose;
};

static void log_stderr(void *ctx, enum nsgnic_log_level lvl, const char *msg)
{
  const struct logctx *l = ctx;
  if (lvl <= NSGNIC_LOG_WARN || l->verbose)
    fprintf(stderr, "nsgnic: %s%s\n", lvl == NSGNIC_LOG_WARN ? "warning: " : "", msg);
}

static int opt_timeout(void *dst, const char *val, char *err, size_t errlen)
{
  unsigned long long ms;
  if (opts_parse_ull(val, 1, 600000, &ms) < 0) {
    snprintf(err, errlen, "milliseconds 1..600000, not '%s'", val);
    return -1;
  }
  *(unsigned *)dst = (unsigned)ms;
  return 0;
}

/* The device options of both commands: one table line each. */
#define DEV_OPTS(o, l)                                                                                     \
  {"dump", 0, OPT_STR, "FILE", "read an `lspci -x` dump instead of the bus (lspci -F format)", &(o)->pci_dump, \
   NULL, 0, 0, 0, NULL},                                                                                   \
  {"sysfs-root", 0, OPT_STR, "DIR", "find the BARs under DIR instead of /sys", &(o)->sysfs_root, NULL, 0, 0,  \
   0, NULL},                                                                                               \
  {"timeout", 0, OPT_FN, "MS", "bound of every device wait (default 1000)", &(o)->timeout_ms, opt_timeout,   \
   0, 0, 0, NULL},                                                                                         \
  {"verbose", 'v', OPT_FLAG, NULL, "driver progress messages", &(l)->verbose, NULL, 0, 0, 0, NULL}

/* ---- devices ---------------------------------------------------------------------------- */

static const struct cmd_doc doc_devices = {
    "nsgnic", "devices", "[--probe] [--dump FILE] [--sysfs-root DIR] [--json]",
    "list the PCI functions with nsgnic's id that libpci finds",
    "With --json: one JSON array of {\"bdf\",\"vendor\",\"device\"[,\"probe\"]}.\n",
    "0 (also when none is found); 1 the bus could not be read; 64 usage error",
};

enum { MAX_BOARDS = 64 };

/* Keeps the last error message of a probe (instead of printing it). */
static void log_last(void *ctx, enum nsgnic_log_level lvl, const char *msg)
{
  if (lvl == NSGNIC_LOG_ERR)
    snprintf(ctx, 200, "%s", msg);
}

/* One line on what the board at `bdf` says about itself. */
static void probe(const struct nsgnic_dev_opts *base, const char *bdf, char *out, size_t len)
{
  struct nsgnic_dev_opts o = *base;
  char msg[200] = "";
  o.log = log_last;
  o.log_ctx = msg;
  struct nsgnic_dev *d = nsgnic_dev_open(bdf, &o);
  if (!d) {
    snprintf(out, len, "not probed: %s", msg[0] ? msg : strerror(errno));
  } else {
    struct nsgnic_dev_id id;
    nsgnic_dev_identify(d, &id);
    static const char *const states[] = {"booting", "ready", "self-test failed"};
    if (id.fw_valid)
      snprintf(out, len, "hw ABI %u.%u build %08x, firmware ABI %u.%u build %08x %s", id.hw_version >> 16,
               id.hw_version & 0xffffu, id.hw_build, id.fw_version >> 16, id.fw_version & 0xffffu,
               id.fw_build, id.fw_state < 3 ? states[id.fw_state] : "in an unknown state");
    else
      snprintf(out, len, "hw ABI %u.%u build %08x, no firmware running", id.hw_version >> 16,
               id.hw_version & 0xffffu, id.hw_build);
    nsgnic_dev_close(d);
  }
}

int cmd_devices(int argc, char **argv)
{
  struct nsgnic_dev_opts o;
  struct logctx l = {0};
  nsgnic_dev_opts_default(&o);
  o.log = log_stderr;
  o.log_ctx = &l;
  bool json = false, probe_ = false;
  const struct opt opts[] = {
      {"probe", 0, OPT_FLAG, NULL,
       "also map each board's BAR0 and read what it says about itself (hardware\nABI and build, firmware state); "
       "needs access to the BAR (root)", &probe_, NULL, 0, 0, 0, NULL},
      DEV_OPTS(&o, &l),
      {"json", 0, OPT_FLAG, NULL, "machine-readable output (JSON)", &json, NULL, 0, 0, 0, NULL},
      OPT_HELP_ENTRY,
      OPT_END,
  };
  int pr = parse_opts(&doc_devices, opts, argc, argv, 1, NULL);
  if (pr)
    return pr == 1 ? 0 : EXIT_USAGE;
  struct nsgnic_pci_dev list[MAX_BOARDS];
  int n = nsgnic_pci_list(&o, NULL, list, MAX_BOARDS);
  if (n < 0)
    return EXIT_QUERY;
  int shown = n < MAX_BOARDS ? n : MAX_BOARDS;
  if (n == 0 && !json)
    fprintf(stderr, "nsgnic: no nsgnic board found (PCI id %04x:%04x)\n",
            (unsigned)NSGNIC_PCI_VENDOR_ID, (unsigned)NSGNIC_PCI_DEVICE_ID);
  json_t *arr = json ? json_array() : NULL;
  for (int i = 0; i < shown; i++) {
    char what[256] = "nsgnic board";
    if (probe_)
      probe(&o, list[i].bdf, what, sizeof what);
    if (json) {
      char ven[8], dev[8];
      snprintf(ven, sizeof ven, "%04x", list[i].vendor_id);
      snprintf(dev, sizeof dev, "%04x", list[i].device_id);
      json_t *e = json_pack("{s:o,s:s,s:s}", "bdf", jstr(list[i].bdf), "vendor", ven, "device", dev);
      if (probe_)
        json_object_set_new(e, "probe", jstr(what));
      json_array_append_new(arr, e);
    } else {
      printf("%s  %04x:%04x  %s\n", list[i].bdf, list[i].vendor_id, list[i].device_id, what);
    }
  }
  if (json) {
    json_print(arr, true);
    return 0;
  }
  if (n > shown)
    printf("... and %d more\n", n - shown);
  return 0;
}

/* ---- load ------------------------------------------------------------------------------- */

static const struct cmd_doc doc_load = {
    "nsgnic", "load",
    "--device BDF|pci|fake|sim (--image FILE [--config F...] | --config F...) [--update-from OLD_IMAGE]\n"
    "  [--prove] [--firmware ELF] [--timeout MS] [--json]\n",
    "load compiled tables into a device, atomically (docs/driver.md)",
    "--device: a PCI address (0000:03:00.0), pci (the only board), fake (the in-process fake\n"
    "device with the real firmware logic; it lives as long as this command), sim (the Verilated\n"
    "SoC running the product firmware; sim,fw=ELF,trace=FILE.fst; also lives as long as this\n"
    "command; give it --timeout 30000). --image is untrusted input: every field is checked before\n"
    "anything is written; with --config too, also that every NIC of the image is bound as the\n"
    "configuration says.\n"
    "--prove: before writing anything, prove the tables equivalent to the --config files over\n"
    "every packet (docs/prove.md; with --image, give --config too); with --update-from, every\n"
    "state the update passes through: as OLD before the bank switch, as the new configuration\n"
    "from it on. Tables that are not equivalent are not loaded.\n",
    "0 loaded; 1 the device failed or refused, or --prove found a difference (the message says\n"
    "why); 2 invalid configuration; 3 the proof could not be completed; 64 usage error",
};

static int boot(struct nsgnic_dev *d, const char *device, const char *firmware)
{
  if (firmware) {
    if (nsgnic_dev_reset(d) < 0 || nsgnic_dev_load_firmware(d, firmware) < 0)
      return -1;
    return nsgnic_dev_start(d) < 0 ? -1 : 0;
  }
  if (strncmp(device, "fake", 4) == 0)
    return nsgnic_dev_reset(d) < 0 || nsgnic_dev_start(d) < 0 ? -1 : 0;
  return nsgnic_dev_attach(d) < 0 ? -1 : 0;
}

static void print_stats(const char *what, const char *where, const struct nsg_device_load_stats *s,
                        bool json)
{
  progress_end(); /* the line goes before the result */
  if (json)
    json_print(json_pack("{s:s,s:o,s:I,s:I,s:I,s:I,s:I}", "action", what, "device", jstr(where), "tcamWrites",
                         (json_int_t)s->tcam_writes, "liveWrites", (json_int_t)s->live_writes, "bindingWrites",
                         (json_int_t)s->bind_writes, "tableVersion", (json_int_t)s->table_version, "activeBank",
                         (json_int_t)s->active_bank),
               true);
  else
    printf("%s %s: %zu TCAM writes (%zu re-banking live entries), %zu binding writes; "
           "table version %u, active bank %u\n",
           what, where, s->tcam_writes, s->live_writes, s->bind_writes, s->table_version,
           s->active_bank);
}

int cmd_load(int argc, char **argv)
{
  struct common c = {0};
  nsg_options_default(&c.opts);
  struct nsgnic_dev_opts o;
  struct logctx l = {0};
  nsgnic_dev_opts_default(&o);
  o.log = log_stderr;
  o.log_ctx = &l;
  const char *device = NULL, *image = NULL, *old_image = NULL, *firmware = NULL;
  bool prove = false;
  const struct opt opts[] = {
      {"device", 0, OPT_STR, "D", "BDF, pci, fake or sim (sim,fw=ELF,trace=FILE.fst)", &device, NULL, 0, 0,
       OPTF_REQUIRED, NULL},
      {"image", 0, OPT_STR, "FILE", "an image from 'nsgnic compile -o' (with --config: checked against it)", &image, NULL, 0, 0, 0, NULL},
      COMMON_OPTS(&c, 0),
      {"update-from", 0, OPT_STR, "OLD",
       "incremental update: OLD is the image the device holds now; only\nthe difference is written (on fake, OLD "
       "is loaded first)", &old_image, NULL, 0, 0, 0, NULL},
      {"firmware", 0, OPT_STR, "ELF",
       "reset the board, load this firmware and boot it; without it the\nfirmware already running is used (fake: "
       "always booted fresh)", &firmware, NULL, 0, 0, 0, NULL},
      {"prove", 0, OPT_FLAG, NULL,
       "prove the tables (and every update state) equivalent to --config\nfirst; refuse them otherwise (docs/prove.md)",
       &prove, NULL, 0, 0, 0, NULL},
      DEV_OPTS(&o, &l),
      OPT_HELP_ENTRY,
      OPT_END,
  };
  int pr = parse_common(&doc_load, opts, argc, argv, &c);
  if (pr)
    return pr == 1 ? 0 : EXIT_USAGE;
  if (prove && c.configs.n == 0)
    return usage_error(&doc_load, "--prove needs the configuration: --config FILE... (and optionally --image)");
  if (!image && c.configs.n == 0)
    return usage_error(&doc_load, "give --image FILE or --config FILE... (or both: the image checked against the "
                       "configuration)");

  char err[1024] = "";
  int rc = EXIT_QUERY;
  struct nsg_config *cfg = NULL;
  struct nsg_tables *t = NULL, *old = NULL;
  progress_start("load");
  progress_phase("opening and booting the device");
  struct nsgnic_dev *d = nsgnic_dev_open(device, &o);
  if (!d) {
    progress_end();
    return EXIT_QUERY;
  }
  if (boot(d, device, firmware) < 0)
    goto out;
  progress_phase("compiling and loading the tables");
  if (old_image && !(old = nsg_tables_load(old_image, err, sizeof err)))
    goto fail;
  if (image) {
    if (!(t = nsg_tables_load(image, err, sizeof err)))
      goto fail;
    if (c.configs.n == 0) {
      fprintf(stderr, "nsgnic load: warning: %s was checked by itself only; give the --config it was "
              "compiled from to check every NIC's binding too\n", image);
    } else {
      struct nsg_tables *want;
      if (!(cfg = load(&c))) {
        rc = EXIT_CONFIG;
        goto out;
      }
      if (!(want = nsg_compile(cfg, NULL, err, sizeof err))) {
        rc = EXIT_CONFIG;
        goto fail;
      }
      int crc = nsg_tables_check_bindings(t, want, err, sizeof err);
      nsg_tables_free(want);
      if (crc < 0) {
        fprintf(stderr, "nsgnic load: %s: %s; nothing was written\n", image, err);
        goto out;
      }
    }
  } else {
    if (!(cfg = load(&c))) {
      rc = EXIT_CONFIG;
      goto out;
    }
    struct nsg_compile_opts co;
    uint32_t ranges[2 * NSGNIC_PORT_CLASSES];
    if (nsg_device_compile_opts(d, &co, err, sizeof err) < 0)
      goto fail;
    if (old) {
      nsg_tables_port_ranges(old, ranges);
      co.port_ranges = ranges;
    }
    if (!(t = nsg_compile(cfg, &co, err, sizeof err))) {
      rc = EXIT_CONFIG;
      goto fail;
    }
  }
  if (prove) {
    progress_end();
    if ((rc = prove_before_load(cfg, t, old, 64, c.json)) != 0)
      goto out; /* printed; nothing was written */
    rc = EXIT_QUERY;
  }
  struct nsg_device_load_stats st;
  char where[64];
  struct nsgnic_dev_id id;
  nsgnic_dev_identify(d, &id);
  snprintf(where, sizeof where, "%s", id.where);
  if (old) {
    struct nsg_device_caps caps;
    if (nsg_device_caps(d, &caps, err, sizeof err) < 0)
      goto fail;
    if (caps.table_version == 0) {  /* fresh device (always so for fake): load OLD first */
      if (nsg_device_load(d, old, &st, err, sizeof err) < 0)
        goto fail;
      print_stats("loaded", where, &st, c.json);
    }
    if (nsg_device_update(d, old, t, &st, err, sizeof err) < 0)
      goto fail;
    print_stats("updated", where, &st, c.json);
  } else {
    if (nsg_device_load(d, t, &st, err, sizeof err) < 0)
      goto fail;
    print_stats("loaded", where, &st, c.json);
  }
  rc = 0;
  goto out;
fail:
  progress_end();
  fprintf(stderr, "nsgnic load: %s\n", err[0] ? err : "failed");
out:
  progress_end();
  nsg_tables_free(t);
  nsg_tables_free(old);
  nsg_config_free(cfg);
  nsgnic_dev_close(d);
  return rc;
}

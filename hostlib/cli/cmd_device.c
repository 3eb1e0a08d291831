/* SPDX-License-Identifier: Apache-2.0 */
/* nsgnic devices / nsgnic load: the boards libpci finds, and compiled tables onto a device
 * (a board by PCI address, the in-process fake device, or the simulator). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
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

/* Device options shared by both commands; returns 1 consumed, 0 not ours, -1 error. */
static int parse_dev_opt(struct nsgnic_dev_opts *o, struct logctx *l, int argc, char **argv, int *i)
{
  const char *a = argv[*i];
  const char *v = *i + 1 < argc ? argv[*i + 1] : NULL;
  if (strcmp(a, "--verbose") == 0 || strcmp(a, "-v") == 0) {
    l->verbose = true;
    return 1;
  }
  if (strcmp(a, "--dump") && strcmp(a, "--sysfs-root") && strcmp(a, "--timeout"))
    return 0;
  if (!v) {
    fprintf(stderr, "nsgnic: option %s needs a value\n", a);
    return -1;
  }
  (*i)++;
  if (strcmp(a, "--dump") == 0) {
    o->pci_dump = v;
  } else if (strcmp(a, "--sysfs-root") == 0) {
    o->sysfs_root = v;
  } else {
    char *end;
    unsigned long ms = strtoul(v, &end, 10);
    if (*end || ms == 0 || ms > 600000) {
      fprintf(stderr, "nsgnic: --timeout takes milliseconds (1..600000), not '%s'\n", v);
      return -1;
    }
    o->timeout_ms = (unsigned)ms;
  }
  return 1;
}

/* ---- devices ---------------------------------------------------------------------------- */

void usage_devices(FILE *f)
{
  fprintf(f,
          "usage: nsgnic devices [--probe] [--dump FILE] [--sysfs-root DIR] [--json]\n"
          "Lists the PCI functions with nsgnic's id (%04x:%04x, provisional) that libpci finds.\n"
          "  --probe       also map each board's BAR0 and read what it says about itself (hardware\n"
          "                ABI and build, firmware state); needs access to the BAR (root)\n"
          "  --dump FILE   read an `lspci -x` dump instead of the bus (lspci -F format)\n"
          "  --json        one JSON array of {\"bdf\",\"vendor\",\"device\"[,\"probe\"]}\n"
          "Exit codes: 0 (also when none is found), 1 the bus could not be read.\n",
          (unsigned)NSGNIC_PCI_VENDOR_ID, (unsigned)NSGNIC_PCI_DEVICE_ID);
}

enum { MAX_BOARDS = 64 };

/* Keeps the last error message of a probe (instead of printing it). */
static void log_last(void *ctx, enum nsgnic_log_level lvl, const char *msg)
{
  if (lvl == NSGNIC_LOG_ERR)
    snprintf(ctx, 200, "%s", msg);
}

/* One line on what the board at `bdf` says about itself (no quotes or backslashes: it also
 * goes into JSON). */
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
  for (char *p = out; *p; p++)
    if (*p == '"' || *p == '\\')
      *p = '\'';
}

int cmd_devices(int argc, char **argv)
{
  struct nsgnic_dev_opts o;
  struct logctx l = {0};
  nsgnic_dev_opts_default(&o);
  o.log = log_stderr;
  o.log_ctx = &l;
  bool json = false, probe_ = false;
  for (int i = 0; i < argc; i++) {
    int r = parse_dev_opt(&o, &l, argc, argv, &i);
    if (r < 0)
      return EXIT_USAGE;
    if (r)
      continue;
    if (strcmp(argv[i], "--json") == 0) {
      json = true;
    } else if (strcmp(argv[i], "--probe") == 0) {
      probe_ = true;
    } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
      usage_devices(stdout);
      return 0;
    } else {
      fprintf(stderr, "nsgnic devices: unknown option '%s'; try 'nsgnic help devices'\n", argv[i]);
      return EXIT_USAGE;
    }
  }
  struct nsgnic_pci_dev list[MAX_BOARDS];
  int n = nsgnic_pci_list(&o, NULL, list, MAX_BOARDS);
  if (n < 0)
    return EXIT_QUERY;
  int shown = n < MAX_BOARDS ? n : MAX_BOARDS;
  if (n == 0 && !json)
    fprintf(stderr, "nsgnic: no nsgnic board found (PCI id %04x:%04x)\n",
            (unsigned)NSGNIC_PCI_VENDOR_ID, (unsigned)NSGNIC_PCI_DEVICE_ID);
  if (json)
    printf("[");
  for (int i = 0; i < shown; i++) {
    char what[256] = "nsgnic board";
    if (probe_)
      probe(&o, list[i].bdf, what, sizeof what);
    if (json)
      printf("%s{\"bdf\":\"%s\",\"vendor\":\"%04x\",\"device\":\"%04x\"%s%s%s}", i ? "," : "",
             list[i].bdf, list[i].vendor_id, list[i].device_id, probe_ ? ",\"probe\":\"" : "",
             probe_ ? what : "", probe_ ? "\"" : "");
    else
      printf("%s  %04x:%04x  %s\n", list[i].bdf, list[i].vendor_id, list[i].device_id, what);
  }
  if (json) {
    printf("]\n");
    return 0;
  }
  if (n > shown)
    printf("... and %d more\n", n - shown);
  return 0;
}

/* ---- load ------------------------------------------------------------------------------- */

void usage_load(FILE *f)
{
  fprintf(f,
          "usage: nsgnic load --device BDF|pci|fake|sim (--image FILE [--config F...] | --config F...)\n"
          "                   [--update-from OLD_IMAGE] [--firmware ELF] [--timeout MS] [--json]\n"
          "Loads compiled tables into a device, atomically (docs/driver.md).\n"
          "  --device D          a PCI address (0000:03:00.0), pci (the only board), fake (the\n"
          "                      in-process fake device with the real firmware logic; it lives as\n"
          "                      long as this command), sim (the Verilated SoC running the\n"
          "                      product firmware; sim,fw=ELF,trace=FILE.fst; also lives as long\n"
          "                      as this command; give it --timeout 30000)\n"
          "  --image FILE        an image from 'nsgnic compile -o' (untrusted input: every field is\n"
          "                      checked before anything is written); with --config, also that\n"
          "                      every NIC of the image is bound as the configuration says\n"
          "  --config F...       compile here, for this device's table sizes\n"
          "  --update-from OLD   incremental update: OLD is the image the device holds now; only\n"
          "                      the difference is written (on fake, OLD is loaded first)\n"
          "  --firmware ELF      reset the board, load this firmware and boot it; without it the\n"
          "                      firmware already running is used (fake: always booted fresh)\n"
          "  --timeout MS        bound of every device wait (default 1000)\n"
          "  --dump FILE, --sysfs-root DIR   enumerate from an lspci -x dump, find BARs under DIR\n"
          "  -v, --verbose       driver progress messages\n"
          "Exit codes: 0 loaded; 1 the device failed or refused (message says why); 2 invalid\n"
          "configuration; 64 usage error.\n");
  usage_common(f);
}

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
  if (json)
    printf("{\"action\":\"%s\",\"device\":\"%s\",\"tcamWrites\":%zu,\"liveWrites\":%zu,"
           "\"bindingWrites\":%zu,\"tableVersion\":%u,\"activeBank\":%u}\n",
           what, where, s->tcam_writes, s->live_writes, s->bind_writes, s->table_version,
           s->active_bank);
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
  for (int i = 0; i < argc; i++) {
    int r = parse_common(&c, argc, argv, &i);
    if (r == 0)
      r = parse_dev_opt(&o, &l, argc, argv, &i);
    if (r < 0)
      return EXIT_USAGE;
    if (r)
      continue;
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
    const char **slot = strcmp(a, "--device") == 0        ? &device
                        : strcmp(a, "--image") == 0       ? &image
                        : strcmp(a, "--update-from") == 0 ? &old_image
                        : strcmp(a, "--firmware") == 0    ? &firmware
                                                          : NULL;
    if (slot) {
      if (!v) {
        fprintf(stderr, "nsgnic load: option %s needs a value\n", a);
        return EXIT_USAGE;
      }
      *slot = v;
      i++;
    } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      usage_load(stdout);
      return 0;
    } else {
      fprintf(stderr, "nsgnic load: unknown option '%s'; try 'nsgnic help load'\n", a);
      return EXIT_USAGE;
    }
  }
  if (!device || (!image && c.nconfigs == 0)) {
    fprintf(stderr, "nsgnic load: give --device and --image FILE or --config FILE... (or both: the image "
            "checked against the configuration); try 'nsgnic help load'\n");
    return EXIT_USAGE;
  }

  char err[1024] = "";
  int rc = EXIT_QUERY;
  struct nsg_config *cfg = NULL;
  struct nsg_tables *t = NULL, *old = NULL;
  struct nsgnic_dev *d = nsgnic_dev_open(device, &o);
  if (!d)
    return EXIT_QUERY;
  if (boot(d, device, firmware) < 0)
    goto out;
  if (old_image && !(old = nsg_tables_load(old_image, err, sizeof err)))
    goto fail;
  if (image) {
    if (!(t = nsg_tables_load(image, err, sizeof err)))
      goto fail;
    if (c.nconfigs == 0) {
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
  fprintf(stderr, "nsgnic load: %s\n", err[0] ? err : "failed");
out:
  nsg_tables_free(t);
  nsg_tables_free(old);
  nsg_config_free(cfg);
  nsgnic_dev_close(d);
  return rc;
}

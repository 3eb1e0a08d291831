/* SPDX-License-Identifier: Apache-2.0 */
/* Backend "pci": a real board. Enumeration with libpci (the system's access method, or the
 * `dump` method reading an `lspci -x` file: tests without hardware); BAR0 mapped from sysfs
 * <sysfs_root>/bus/pci/devices/<BDF>/resource<PCI_BAR_HOST> (any regular file of the right
 * size works, which is how the tests map a "BAR").
 *
 * libpci reports errors through pacc->error(), which must not return and has no context
 * argument. We longjmp out of it to a jmp_buf kept in a thread-local pointer that is set only
 * for the duration of one nsgnic_pci_list() call — the one piece of non-handle state in the
 * driver, forced by libpci's interface. */
#include <errno.h>
#include <fcntl.h>
#include <pci/pci.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "driver_priv.h"

_Static_assert(NSGNIC_PCI_BAR_HOST_BYTES >= NSGNIC_HOSTWIN_BYTES, "BAR0 holds the host window");

int nsgnic_parse_bdf(const char *s, unsigned *dom, unsigned *bus, unsigned *dev, unsigned *fn)
{
  unsigned a, b, c, e;
  int n = 0;
  if (!s)
    return -EINVAL;
  if (sscanf(s, "%x:%x:%x.%x%n", &a, &b, &c, &e, &n) == 4 && s[n] == 0) {
    *dom = a, *bus = b, *dev = c, *fn = e;
  } else if (n = 0, sscanf(s, "%x:%x.%x%n", &b, &c, &e, &n) == 3 && s[n] == 0) {
    *dom = 0, *bus = b, *dev = c, *fn = e;
  } else {
    return -EINVAL;
  }
  /* sscanf %x accepts signs and spaces: require plain hex digits, ':' and '.' only */
  for (const char *p = s; *p; p++)
    if (!strchr("0123456789abcdefABCDEF:.", *p))
      return -EINVAL;
  if (*dom > 0xffffu || *bus > 0xffu || *dev > 0x1fu || *fn > 7u)
    return -EINVAL;
  return 0;
}

/* ---- enumeration ---------------------------------------------------------------------------- */

struct pci_jmp {
  jmp_buf jb;
  const struct nsgnic_dev_opts *o;
  char msg[256];
};
static _Thread_local struct pci_jmp *cur_jmp;

static void __attribute__((noreturn, format(printf, 1, 2))) pci_err(char *msg, ...)
{
  va_list ap;
  va_start(ap, msg);
  vsnprintf(cur_jmp->msg, sizeof cur_jmp->msg, msg, ap);
  va_end(ap);
  longjmp(cur_jmp->jb, 1);
}

static void __attribute__((format(printf, 1, 2))) pci_warn(char *msg, ...)
{
  char buf[256];
  va_list ap;
  va_start(ap, msg);
  vsnprintf(buf, sizeof buf, msg, ap);
  va_end(ap);
  if (cur_jmp)
    nsgnic_log(cur_jmp->o, NSGNIC_LOG_WARN, "libpci: %s", buf);
}

static void __attribute__((format(printf, 1, 2))) pci_quiet(char *msg, ...) { (void)msg; }

/* The libpci part of nsgnic_pci_list, with the setjmp of libpci's error callback. */
static int scan(struct pci_jmp *j, const char *bdf, unsigned fd, unsigned fb, unsigned fdev,
                unsigned ff, struct nsgnic_pci_dev *out, size_t max)
{
  struct pci_access *volatile a = pci_alloc();
  if (!a)
    return -ENOMEM;
  a->error = pci_err;
  a->warning = pci_warn;
  a->debug = pci_quiet;
  if (j->o->pci_dump) {
    a->method = PCI_ACCESS_DUMP;
    pci_set_param(a, "dump.name", (char *)j->o->pci_dump);
  }
  struct pci_jmp *volatile saved = cur_jmp;
  cur_jmp = j;
  volatile int found = 0;
  if (setjmp(j->jb)) {
    nsgnic_log(j->o, NSGNIC_LOG_ERR, "PCI enumeration failed: %s%s", j->msg,
               j->o->pci_dump ? "" : " (is /sys/bus/pci available? as a test, give a dump file)");
    pci_cleanup(a);
    cur_jmp = saved;
    return -EIO;
  }
  pci_init(a);
  pci_scan_bus(a);
  for (struct pci_dev *p = a->devices; p; p = p->next) {
    pci_fill_info(p, PCI_FILL_IDENT | PCI_FILL_CLASS);
    int known = p->vendor_id == NSGNIC_PCI_VENDOR_ID && p->device_id == NSGNIC_PCI_DEVICE_ID;
    if (bdf ? ((unsigned)p->domain != fd || p->bus != fb || p->dev != fdev || p->func != ff) : !known)
      continue;
    /* keep out[] sorted by address (libpci lists in no useful order) */
    uint64_t key = (uint64_t)(unsigned)p->domain << 16 | (unsigned)p->bus << 8 | p->dev << 3 | p->func;
    size_t have = (size_t)found < max ? (size_t)found : max, pos = have;
    while (pos > 0 && ((uint64_t)out[pos - 1].domain << 16 | (unsigned)out[pos - 1].bus << 8 |
                       (unsigned)out[pos - 1].dev << 3 | out[pos - 1].func) > key)
      pos--;
    if (pos < max) {
      memmove(&out[pos + 1], &out[pos], (have - pos - (have == max ? 1 : 0)) * sizeof *out);
      struct nsgnic_pci_dev *e = &out[pos];
      memset(e, 0, sizeof *e);
      e->domain = (uint16_t)p->domain;
      e->bus = p->bus;
      e->dev = p->dev;
      e->func = p->func;
      snprintf(e->bdf, sizeof e->bdf, "%04x:%02x:%02x.%x", (unsigned)e->domain, e->bus, e->dev, e->func);
      e->vendor_id = p->vendor_id;
      e->device_id = p->device_id;
      e->device_class = p->device_class;
      e->known_id = known;
    }
    found++;
  }
  pci_cleanup(a);
  cur_jmp = saved;
  return found;
}

int nsgnic_pci_list(const struct nsgnic_dev_opts *o, const char *bdf, struct nsgnic_pci_dev *out,
                    size_t max)
{
  struct nsgnic_dev_opts def;
  nsgnic_dev_opts_default(&def);
  struct pci_jmp j = {.o = o ? o : &def};
  unsigned fd = 0, fb = 0, fdev = 0, ff = 0;
  if (bdf && nsgnic_parse_bdf(bdf, &fd, &fb, &fdev, &ff) < 0) {
    nsgnic_log(j.o, NSGNIC_LOG_ERR, "'%s' is not a PCI address: write [domain:]bus:device.function "
               "in hex, e.g. 0000:03:00.0", bdf);
    return -EINVAL;
  }
  if (j.o->pci_dump && access(j.o->pci_dump, R_OK) != 0) {
    int e = errno;
    nsgnic_log(j.o, NSGNIC_LOG_ERR, "cannot read the PCI dump %s: %s", j.o->pci_dump, strerror(e));
    return -e;
  }
  return scan(&j, bdf, fd, fb, fdev, ff, out, max);
}

/* ---- the device ----------------------------------------------------------------------------- */

struct pci_be {
  volatile uint32_t *bar;
  size_t map_len;
  int fd;
};

static void pci_close(void *be)
{
  struct pci_be *p = be;
  if (!p)
    return;
  if (p->bar)
    munmap((void *)p->bar, p->map_len);
  if (p->fd >= 0)
    close(p->fd);
  free(p);
}

static int pci_open(struct nsgnic_dev *d, const char *arg)
{
  struct nsgnic_pci_dev list[8];
  int n = nsgnic_pci_list(&d->o, arg, list, 8);
  if (n < 0)
    return n;
  if (n == 0) {
    if (arg)
      DLOG(d, ERR, "no PCI function %s%s%s", arg, d->o.pci_dump ? " in " : "",
           d->o.pci_dump ? d->o.pci_dump : "");
    else
      DLOG(d, ERR, "no nsgnic board found (PCI id %04x:%04x): is it installed and its bitstream "
           "loaded? `lspci -d %04x:` lists it", (unsigned)NSGNIC_PCI_VENDOR_ID,
           (unsigned)NSGNIC_PCI_DEVICE_ID, (unsigned)NSGNIC_PCI_VENDOR_ID);
    return -ENODEV;
  }
  if (n > 1) {
    char all[8 * 18 + 1] = "";
    for (int i = 0; i < n && i < 8; i++) {
      size_t l = strlen(all);
      snprintf(all + l, sizeof all - l, "%s%.15s", i ? ", " : "", list[i].bdf);
    }
    DLOG(d, ERR, "%d nsgnic boards found (%s): choose one with --device BDF", n, all);
    return -EEXIST;
  }
  if (!list[0].known_id)
    DLOG(d, WARN, "%s has PCI id %04x:%04x, not nsgnic's %04x:%04x; trying it because it was named",
         list[0].bdf, list[0].vendor_id, list[0].device_id, (unsigned)NSGNIC_PCI_VENDOR_ID,
         (unsigned)NSGNIC_PCI_DEVICE_ID);
  snprintf(d->where, sizeof d->where, "%s", list[0].bdf);

  char path[512];
  snprintf(path, sizeof path, "%s/bus/pci/devices/%s/resource%d", d->o.sysfs_root, list[0].bdf,
           (int)NSGNIC_PCI_BAR_HOST);
  struct pci_be *p = calloc(1, sizeof *p);
  if (!p)
    return -ENOMEM;
  p->fd = open(path, O_RDWR | O_SYNC | O_CLOEXEC);
  int err;
  if (p->fd < 0) {
    err = -errno;
    DLOG(d, ERR, "%s: cannot open BAR%d (%s): %s%s", d->where, (int)NSGNIC_PCI_BAR_HOST, path,
         strerror(-err), err == -EACCES ? ": run as root or grant access to that file" : "");
    goto fail;
  }
  struct stat st;
  if (fstat(p->fd, &st) < 0 || !S_ISREG(st.st_mode)) {
    DLOG(d, ERR, "%s: %s is not a BAR resource file", d->where, path);
    err = -ENODEV;
    goto fail;
  }
  if ((uint64_t)st.st_size < NSGNIC_PCI_BAR_HOST_BYTES) {
    DLOG(d, ERR, "%s: BAR%d is %lld bytes; nsgnic needs at least %u: wrong board or bitstream",
         d->where, (int)NSGNIC_PCI_BAR_HOST, (long long)st.st_size,
         (unsigned)NSGNIC_PCI_BAR_HOST_BYTES);
    err = -ENXIO;
    goto fail;
  }
  p->map_len = NSGNIC_HOSTWIN_BYTES;
  void *m = mmap(NULL, p->map_len, PROT_READ | PROT_WRITE, MAP_SHARED, p->fd, 0);
  if (m == MAP_FAILED) {
    err = -errno;
    DLOG(d, ERR, "%s: cannot map BAR%d (%s): %s", d->where, (int)NSGNIC_PCI_BAR_HOST, path,
         strerror(-err));
    goto fail;
  }
  p->bar = m;
  d->be = p;
  d->window_bytes = NSGNIC_HOSTWIN_BYTES;
  DLOG(d, DEBUG, "%s: BAR%d mapped from %s", d->where, (int)NSGNIC_PCI_BAR_HOST, path);
  return 0;
fail:
  pci_close(p);
  return err;
}

static uint32_t pci_rd32(void *be, uint32_t off)
{
  return ((struct pci_be *)be)->bar[off >> 2];
}

static void pci_wr32(void *be, uint32_t off, uint32_t v)
{
  ((struct pci_be *)be)->bar[off >> 2] = v;
}

static void pci_poll(void *be) { (void)be; }

const struct nsgnic_backend_ops nsgnic_backend_pci = {
  .name = "pci", .open = pci_open, .close = pci_close, .rd32 = pci_rd32, .wr32 = pci_wr32,
  .poll = pci_poll,
};

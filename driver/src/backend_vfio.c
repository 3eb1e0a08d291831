/* SPDX-License-Identifier: Apache-2.0 */
/* Backend "vfio": a real board through the kernel's VFIO interface (vfio-pci), the IOMMU-safe
 * way to give a userspace driver a PCI function.
 *
 *   vfio:BDF[,bar=N][,offset=BYTES]
 *     The host window is BAR PCI_BAR_HOST at offset 0 on nsgnic's own board top; inside a shell
 *     it is where the shell decodes the user block (OpenNIC: bar=2,offset=0x100000, the 250 MHz
 *     box; docs/board.md). offset must be page-aligned.
 *     1. <sysfs_root>/bus/pci/devices/BDF/iommu_group -> .../iommu_groups/N (no link: the machine
 *        has no IOMMU, or it is off: refused, naming the kernel options and the sysfs backend);
 *        <...>/BDF/driver must be vfio-pci (else: the commands that bind it);
 *     2. container <dev_root>/vfio/vfio: VFIO_GET_API_VERSION == VFIO_API_VERSION and the type-1
 *        IOMMU extension (v2 preferred);
 *     3. group <dev_root>/vfio/N: VFIO_GROUP_GET_STATUS must say VIABLE (every function of the
 *        group bound to vfio-pci or to no driver), VFIO_GROUP_SET_CONTAINER, VFIO_SET_IOMMU;
 *     4. device fd VFIO_GROUP_GET_DEVICE_FD(BDF); VFIO_DEVICE_GET_INFO must say PCI;
 *        VFIO_DEVICE_GET_REGION_INFO(BAR PCI_BAR_HOST) must be mmap-able and at least
 *        PCI_BAR_HOST_BYTES; the host window is mmap-ed from the device fd at the region's offset;
 *     5. VFIO_DEVICE_RESET when the device supports it (a function-level reset before we touch it).
 *   DMA: nsgnic_dev_dma_map() maps a page-aligned host buffer into the container's IOMMU domain
 *   (VFIO_IOMMU_MAP_DMA, read+write) at an IOVA from a bump allocator that starts at 4 GiB and
 *   never reuses an address while the device is open; nsgnic_dev_dma_unmap() removes it. The
 *   device can reach exactly those buffers: IOMMU-safe. (ABI 1.x keeps every ring in BAR0, so
 *   nothing in the driver needs DMA yet; the calls exist for host-memory rings and packet
 *   buffers, and are what a shell's DMA engine (QDMA, Corundum's) is given.)
 *
 * Every system call goes through `struct nsgnic_vfio_sys` (opts.vfio_sys; NULL = the real ones),
 * the seam the tests use on machines without an IOMMU, next to the sysfs_root/dev_root seams. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/vfio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "driver_priv.h"

static int sys_open(const char *path, int flags) { return open(path, flags); }
static int sys_ioctl(int fd, unsigned long req, void *arg) { return ioctl(fd, req, arg); }
static void *sys_mmap(size_t len, int prot, int fd, uint64_t off)
{
  return mmap(NULL, len, prot, MAP_SHARED, fd, (off_t)off);
}
static int sys_munmap(void *addr, size_t len) { return munmap(addr, len); }
static int sys_close(int fd) { return close(fd); }
static ssize_t sys_readlink(const char *path, char *buf, size_t len)
{
  return readlink(path, buf, len);
}

static const struct nsgnic_vfio_sys real_sys = {
  .open = sys_open, .ioctl = sys_ioctl, .mmap = sys_mmap, .munmap = sys_munmap,
  .close = sys_close, .readlink = sys_readlink,
};

#define IOVA_BASE (1ull << 32) /* first IOVA handed out (clear of low-memory quirks) */

struct vfio_be {
  const struct nsgnic_vfio_sys *sys;
  int container, group, device;
  volatile uint32_t *bar;
  size_t map_len;
  uint64_t next_iova;
  unsigned group_no;
  unsigned bar_index;   /* BAR index of the host window */
  uint64_t offset;      /* its byte offset in that BAR */
};

static void vfio_close(void *be)
{
  struct vfio_be *v = be;
  if (!v)
    return;
  if (v->bar)
    v->sys->munmap((void *)v->bar, v->map_len);
  if (v->device >= 0)
    v->sys->close(v->device);
  if (v->group >= 0)
    v->sys->close(v->group);
  if (v->container >= 0)
    v->sys->close(v->container);
  free(v);
}

/* The last path component of the link `path` points to, in buf; -errno. */
static int link_name(const struct nsgnic_vfio_sys *sys, const char *path, char *buf, size_t len)
{
  char target[PATH_MAX];
  ssize_t n = sys->readlink(path, target, sizeof target - 1);
  if (n < 0)
    return -errno;
  target[n] = 0;
  const char *slash = strrchr(target, '/');
  const char *base = slash ? slash + 1 : target;
  if (strlen(base) >= len)
    return -ENAMETOOLONG;
  memcpy(buf, base, strlen(base) + 1);
  return 0;
}

/* Steps 1-3: the IOMMU group of `bdf` opened, viable and in a fresh container. */
static int open_group(struct nsgnic_dev *d, struct vfio_be *v, const char *bdf)
{
  const struct nsgnic_vfio_sys *sys = v->sys;
  char path[PATH_MAX], name[256];
  snprintf(path, sizeof path, "%s/bus/pci/devices/%s/iommu_group", d->o.sysfs_root, bdf);
  int rc = link_name(sys, path, name, sizeof name);
  if (rc < 0) {
    DLOG(d, ERR, "%s has no IOMMU group (%s: %s): this machine has no IOMMU or it is off; "
         "enable it (kernel options intel_iommu=on or amd_iommu=on, and VT-d/AMD-Vi in the "
         "firmware) or use the sysfs backend (--device %s)", bdf, path, strerror(-rc), bdf);
    return -ENODEV;
  }
  char *end;
  unsigned long g = strtoul(name, &end, 10);
  if (end == name || *end || g > 0xffffffu) {
    DLOG(d, ERR, "%s: unexpected IOMMU group link %s -> %s", bdf, path, name);
    return -ENODEV;
  }
  v->group_no = (unsigned)g;
  snprintf(path, sizeof path, "%s/bus/pci/devices/%s/driver", d->o.sysfs_root, bdf);
  rc = link_name(sys, path, name, sizeof name);
  if (rc < 0 || strcmp(name, "vfio-pci") != 0) {
    DLOG(d, ERR, "%s is %s%s, not to vfio-pci: as root, `echo %s > /sys/bus/pci/devices/%s/driver/"
         "unbind` (if bound), `echo vfio-pci > /sys/bus/pci/devices/%s/driver_override`, "
         "`echo %s > /sys/bus/pci/drivers_probe` (modprobe vfio-pci first)", bdf,
         rc < 0 ? "bound to no driver" : "bound to ", rc < 0 ? "" : name, bdf, bdf, bdf, bdf);
    return -EBUSY;
  }

  snprintf(path, sizeof path, "%s/vfio/vfio", d->o.dev_root);
  v->container = sys->open(path, O_RDWR | O_CLOEXEC);
  if (v->container < 0) {
    rc = -errno;
    DLOG(d, ERR, "cannot open the VFIO container %s: %s%s", path, strerror(-rc),
         rc == -EACCES ? ": run as root or grant access to /dev/vfio" : " (modprobe vfio-pci)");
    return rc;
  }
  int api = sys->ioctl(v->container, VFIO_GET_API_VERSION, NULL);
  if (api != VFIO_API_VERSION) {
    DLOG(d, ERR, "%s: VFIO API version %d, this driver speaks %d", path, api, VFIO_API_VERSION);
    return -EPROTONOSUPPORT;
  }
  unsigned long type = VFIO_TYPE1v2_IOMMU;
  if (sys->ioctl(v->container, VFIO_CHECK_EXTENSION, (void *)type) <= 0) {
    type = VFIO_TYPE1_IOMMU;
    if (sys->ioctl(v->container, VFIO_CHECK_EXTENSION, (void *)type) <= 0) {
      DLOG(d, ERR, "%s: the kernel's VFIO has no type-1 IOMMU support", path);
      return -ENOTSUP;
    }
  }

  snprintf(path, sizeof path, "%s/vfio/%u", d->o.dev_root, v->group_no);
  v->group = sys->open(path, O_RDWR | O_CLOEXEC);
  if (v->group < 0) {
    rc = -errno;
    DLOG(d, ERR, "cannot open the IOMMU group %s of %s: %s%s", path, bdf, strerror(-rc),
         rc == -EBUSY ? " (another process has it open)" : "");
    return rc;
  }
  struct vfio_group_status st = {.argsz = sizeof st};
  if (sys->ioctl(v->group, VFIO_GROUP_GET_STATUS, &st) < 0) {
    rc = -errno;
    DLOG(d, ERR, "%s: VFIO_GROUP_GET_STATUS: %s", path, strerror(-rc));
    return rc;
  }
  if (!(st.flags & VFIO_GROUP_FLAGS_VIABLE)) {
    DLOG(d, ERR, "IOMMU group %u of %s is not viable: every device in "
         "/sys/kernel/iommu_groups/%u/devices must be bound to vfio-pci (or to no driver)",
         v->group_no, bdf, v->group_no);
    return -EPERM;
  }
  if (sys->ioctl(v->group, VFIO_GROUP_SET_CONTAINER, &v->container) < 0 ||
      sys->ioctl(v->container, VFIO_SET_IOMMU, (void *)type) < 0) {
    rc = -errno;
    DLOG(d, ERR, "%s: cannot attach IOMMU group %u to a container: %s", bdf, v->group_no,
         strerror(-rc));
    return rc;
  }
  return 0;
}

/* Step 4-5: the device fd, its BAR mapped. */
static int open_device(struct nsgnic_dev *d, struct vfio_be *v, const char *bdf)
{
  const struct nsgnic_vfio_sys *sys = v->sys;
  int rc;
  v->device = sys->ioctl(v->group, VFIO_GROUP_GET_DEVICE_FD, (void *)bdf);
  if (v->device < 0) {
    rc = -errno;
    DLOG(d, ERR, "%s: VFIO_GROUP_GET_DEVICE_FD: %s", bdf, strerror(-rc));
    return rc;
  }
  struct vfio_device_info info = {.argsz = sizeof info};
  if (sys->ioctl(v->device, VFIO_DEVICE_GET_INFO, &info) < 0) {
    rc = -errno;
    DLOG(d, ERR, "%s: VFIO_DEVICE_GET_INFO: %s", bdf, strerror(-rc));
    return rc;
  }
  if (!(info.flags & VFIO_DEVICE_FLAGS_PCI) || info.num_regions <= v->bar_index) {
    DLOG(d, ERR, "%s: not a PCI device with BAR%u according to VFIO", bdf, v->bar_index);
    return -ENODEV;
  }
  struct vfio_region_info reg = {.argsz = sizeof reg,
                                 .index = VFIO_PCI_BAR0_REGION_INDEX + v->bar_index};
  if (sys->ioctl(v->device, VFIO_DEVICE_GET_REGION_INFO, &reg) < 0) {
    rc = -errno;
    DLOG(d, ERR, "%s: VFIO_DEVICE_GET_REGION_INFO(BAR%u): %s", bdf, v->bar_index, strerror(-rc));
    return rc;
  }
  if (reg.size < v->offset || reg.size - v->offset < NSGNIC_PCI_BAR_HOST_BYTES) {
    DLOG(d, ERR, "%s: BAR%u is %llu bytes; nsgnic needs at least %u from offset 0x%llx: wrong "
         "board, bitstream or offset", bdf, v->bar_index, (unsigned long long)reg.size,
         (unsigned)NSGNIC_PCI_BAR_HOST_BYTES, (unsigned long long)v->offset);
    return -ENXIO;
  }
  if (!(reg.flags & VFIO_REGION_INFO_FLAG_MMAP) || !(reg.flags & VFIO_REGION_INFO_FLAG_READ) ||
      !(reg.flags & VFIO_REGION_INFO_FLAG_WRITE)) {
    DLOG(d, ERR, "%s: VFIO does not let BAR%u be mapped read/write", bdf, v->bar_index);
    return -ENOTSUP;
  }
  if (info.flags & VFIO_DEVICE_FLAGS_RESET)
    (void)sys->ioctl(v->device, VFIO_DEVICE_RESET, NULL); /* best effort: FLR before first use */
  v->map_len = NSGNIC_HOSTWIN_BYTES;
  void *m = sys->mmap(v->map_len, PROT_READ | PROT_WRITE, v->device, reg.offset + v->offset);
  if (m == MAP_FAILED || !m) {
    rc = -errno;
    DLOG(d, ERR, "%s: cannot map BAR%u through VFIO: %s", bdf, v->bar_index, strerror(-rc));
    return rc ? rc : -EIO;
  }
  v->bar = m;
  return 0;
}

/* "BDF[,bar=N][,offset=BYTES]" into bdf, *bar, *offset; -EINVAL with a message. */
static int parse_arg(struct nsgnic_dev *d, const char *arg, char *bdf, size_t len, unsigned *bar,
                     uint64_t *offset)
{
  const char *usage = "usage: --device vfio:BDF[,bar=N][,offset=BYTES] (e.g. vfio:0000:03:00.0)";
  unsigned dom, bus, dev, fn;
  size_t n = arg ? strcspn(arg, ",") : 0;
  if (!arg || n == 0 || n >= len) {
    DLOG(d, ERR, "vfio needs a PCI address: %s", usage);
    return -EINVAL;
  }
  memcpy(bdf, arg, n);
  bdf[n] = 0;
  if (nsgnic_parse_bdf(bdf, &dom, &bus, &dev, &fn) < 0) {
    DLOG(d, ERR, "vfio needs a PCI address, not '%s': %s", bdf, usage);
    return -EINVAL;
  }
  snprintf(bdf, len, "%04x:%02x:%02x.%x", dom, bus, dev, fn);
  *bar = NSGNIC_PCI_BAR_HOST;
  *offset = 0;
  long page = sysconf(_SC_PAGESIZE);
  for (const char *p = arg + n; *p == ',';) {
    p++;
    size_t k = strcspn(p, ",");
    char opt[64];
    if (k >= sizeof opt)
      k = sizeof opt - 1;
    memcpy(opt, p, k);
    opt[k] = 0;
    p += strcspn(p, ",");
    char *end;
    errno = 0;
    if (!strncmp(opt, "bar=", 4)) {
      unsigned long b = strtoul(opt + 4, &end, 0);
      if (end == opt + 4 || *end || b > 5 || opt[4] == '-') {
        DLOG(d, ERR, "vfio: bar must be 0..5, not '%s'", opt + 4);
        return -EINVAL;
      }
      *bar = (unsigned)b;
    } else if (!strncmp(opt, "offset=", 7)) {
      unsigned long long o = strtoull(opt + 7, &end, 0);
      if (end == opt + 7 || *end || errno || opt[7] == '-' ||
          (page > 0 && o % (unsigned long long)page)) {
        DLOG(d, ERR, "vfio: offset must be a page-aligned byte count, not '%s'", opt + 7);
        return -EINVAL;
      }
      *offset = o;
    } else {
      DLOG(d, ERR, "vfio: unknown option '%s': %s", opt, usage);
      return -EINVAL;
    }
  }
  return 0;
}

static int vfio_open(struct nsgnic_dev *d, const char *arg)
{
  char bdf[32];
  unsigned bar;
  uint64_t offset;
  int prc = parse_arg(d, arg, bdf, sizeof bdf, &bar, &offset);
  if (prc)
    return prc;
  struct vfio_be *v = calloc(1, sizeof *v);
  if (!v)
    return -ENOMEM;
  v->bar_index = bar;
  v->offset = offset;
  v->sys = d->o.vfio_sys ? d->o.vfio_sys : &real_sys;
  v->container = v->group = v->device = -1;
  v->next_iova = IOVA_BASE;
  snprintf(d->where, sizeof d->where, "%s", bdf);
  int rc = open_group(d, v, d->where);
  if (!rc)
    rc = open_device(d, v, d->where);
  if (rc) {
    vfio_close(v);
    return rc;
  }
  d->be = v;
  d->window_bytes = NSGNIC_HOSTWIN_BYTES;
  DLOG(d, DEBUG, "%s: BAR%u+0x%llx mapped through VFIO (IOMMU group %u)", d->where, v->bar_index,
       (unsigned long long)v->offset, v->group_no);
  return 0;
}

static uint32_t vfio_rd32(void *be, uint32_t off) { return ((struct vfio_be *)be)->bar[off >> 2]; }

static void vfio_wr32(void *be, uint32_t off, uint32_t v)
{
  ((struct vfio_be *)be)->bar[off >> 2] = v;
}

static void vfio_poll(void *be) { (void)be; }

static int vfio_dma_map(void *be, void *vaddr, size_t len, uint64_t *iova)
{
  struct vfio_be *v = be;
  long page = sysconf(_SC_PAGESIZE);
  if (page <= 0)
    page = 4096;
  if (!vaddr || !len || ((uintptr_t)vaddr | len) & (uintptr_t)(page - 1))
    return -EINVAL;
  if (v->next_iova + len < v->next_iova)
    return -ENOSPC;
  struct vfio_iommu_type1_dma_map m = {
    .argsz = sizeof m,
    .flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
    .vaddr = (uintptr_t)vaddr,
    .iova = v->next_iova,
    .size = len,
  };
  if (v->sys->ioctl(v->container, VFIO_IOMMU_MAP_DMA, &m) < 0)
    return -errno;
  *iova = m.iova;
  v->next_iova += len;
  return 0;
}

static int vfio_dma_unmap(void *be, uint64_t iova, size_t len)
{
  struct vfio_be *v = be;
  struct vfio_iommu_type1_dma_unmap u = {.argsz = sizeof u, .iova = iova, .size = len};
  if (v->sys->ioctl(v->container, VFIO_IOMMU_UNMAP_DMA, &u) < 0)
    return -errno;
  return u.size == len ? 0 : -ENOENT;
}

const struct nsgnic_backend_ops nsgnic_backend_vfio = {
  .name = "vfio", .open = vfio_open, .close = vfio_close, .rd32 = vfio_rd32, .wr32 = vfio_wr32,
  .poll = vfio_poll, .dma_map = vfio_dma_map, .dma_unmap = vfio_dma_unmap,
};

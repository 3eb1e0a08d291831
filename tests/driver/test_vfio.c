/* SPDX-License-Identifier: Apache-2.0 */
/* The vfio backend without an IOMMU: a fake sysfs tree (sysfs_root: the iommu_group and driver
 * links of the function), fake device nodes (dev_root: vfio/vfio and vfio/<group> as regular
 * files) and a fake VFIO kernel behind opts.vfio_sys that answers the ioctls, maps BAR0 from a
 * regular file and records DMA mappings. Checked: the whole open sequence (API version, type-1
 * extension, viable group, container, device fd, region info, mmap at the region's offset),
 * each refusal with its message (no IOMMU group, wrong driver, old API, group not viable, BAR
 * too small or not mappable), identity read through the mapping, and DMA map/unmap. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <linux/vfio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nsgnic/abi.h"
#include "test_util.h"

#define BDF "0000:03:00.0"
#define GROUP 7u
#define REGION_OFF 0x0ull

/* ---- the fake kernel ------------------------------------------------------------------------ */

struct fake {
  char root[256];        /* temp dir: sys/..., dev/vfio/..., bar */
  char bar[300];
  int container_fd, group_fd, device_fd;
  /* knobs */
  int api;               /* VFIO_GET_API_VERSION answer */
  int type1v2, type1;    /* extensions */
  int viable;
  uint64_t bar_size;
  unsigned bar_index;    /* the BAR the fake serves */
  uint32_t region_flags;
  /* observations */
  int set_container, set_iommu, reset;
  unsigned long iommu_type;
  uint64_t mmap_off;
  int maps;
  uint64_t map_iova[8], map_size[8], map_vaddr[8];
  int unmaps;
};
static struct fake *F; /* the fake kernel of the running test (the seam has no context) */

static int f_open(const char *path, int flags)
{
  int fd = open(path, flags);
  if (fd < 0)
    return fd;
  char p[512];
  snprintf(p, sizeof p, "%s/dev/vfio/vfio", F->root);
  if (strcmp(path, p) == 0)
    F->container_fd = fd;
  else
    F->group_fd = fd;
  return fd;
}

static int f_ioctl(int fd, unsigned long req, void *arg)
{
  if (fd == F->container_fd) {
    switch (req) {
    case VFIO_GET_API_VERSION: return F->api;
    case VFIO_CHECK_EXTENSION:
      return (unsigned long)arg == VFIO_TYPE1v2_IOMMU ? F->type1v2
             : (unsigned long)arg == VFIO_TYPE1_IOMMU ? F->type1 : 0;
    case VFIO_SET_IOMMU:
      F->set_iommu++;
      F->iommu_type = (unsigned long)arg;
      return 0;
    case VFIO_IOMMU_MAP_DMA: {
      struct vfio_iommu_type1_dma_map *m = arg;
      if (m->argsz != sizeof *m || F->maps >= 8 || !(m->flags & VFIO_DMA_MAP_FLAG_READ)) {
        errno = EINVAL;
        return -1;
      }
      F->map_iova[F->maps] = m->iova;
      F->map_size[F->maps] = m->size;
      F->map_vaddr[F->maps++] = m->vaddr;
      return 0;
    }
    case VFIO_IOMMU_UNMAP_DMA: {
      struct vfio_iommu_type1_dma_unmap *u = arg;
      for (int i = 0; i < F->maps; i++)
        if (F->map_iova[i] == u->iova && F->map_size[i] == u->size) {
          F->map_size[i] = 0;
          F->unmaps++;
          return 0;
        }
      u->size = 0;
      return 0;
    }
    }
  } else if (fd == F->group_fd) {
    switch (req) {
    case VFIO_GROUP_GET_STATUS: {
      struct vfio_group_status *st = arg;
      st->flags = F->viable ? VFIO_GROUP_FLAGS_VIABLE : 0;
      return 0;
    }
    case VFIO_GROUP_SET_CONTAINER:
      if (*(int *)arg != F->container_fd) {
        errno = EINVAL;
        return -1;
      }
      F->set_container++;
      return 0;
    case VFIO_GROUP_GET_DEVICE_FD:
      if (strcmp(arg, BDF) != 0 || !F->set_iommu) {
        errno = ENODEV;
        return -1;
      }
      F->device_fd = open(F->bar, O_RDWR);
      return F->device_fd;
    }
  } else if (fd == F->device_fd) {
    switch (req) {
    case VFIO_DEVICE_GET_INFO: {
      struct vfio_device_info *i = arg;
      i->flags = VFIO_DEVICE_FLAGS_PCI | VFIO_DEVICE_FLAGS_RESET;
      i->num_regions = VFIO_PCI_NUM_REGIONS;
      i->num_irqs = VFIO_PCI_NUM_IRQS;
      return 0;
    }
    case VFIO_DEVICE_GET_REGION_INFO: {
      struct vfio_region_info *r = arg;
      if (r->index != VFIO_PCI_BAR0_REGION_INDEX + F->bar_index) {
        errno = EINVAL;
        return -1;
      }
      r->size = F->bar_size;
      r->offset = REGION_OFF;
      r->flags = F->region_flags;
      return 0;
    }
    case VFIO_DEVICE_RESET:
      F->reset++;
      return 0;
    }
  }
  errno = ENOTTY;
  return -1;
}

static void *f_mmap(size_t len, int prot, int fd, uint64_t off)
{
  F->mmap_off = off;
  return mmap(NULL, len, prot, MAP_SHARED, fd, (off_t)off);
}
static int f_munmap(void *a, size_t len) { return munmap(a, len); }
static int f_close(int fd) { return close(fd); }
static ssize_t f_readlink(const char *p, char *buf, size_t len) { return readlink(p, buf, len); }

static const struct nsgnic_vfio_sys fake_sys = {
  .open = f_open, .ioctl = f_ioctl, .mmap = f_mmap, .munmap = f_munmap, .close = f_close,
  .readlink = f_readlink,
};

static void mkdirs(const char *root, const char *rel)
{
  char p[512];
  snprintf(p, sizeof p, "%s/%s", root, rel);
  for (char *s = p + strlen(root) + 1; *s; s++)
    if (*s == '/') {
      *s = 0;
      mkdir(p, 0755);
      *s = '/';
    }
  mkdir(p, 0755);
}

static void put_word(struct fake *f, uint32_t off, uint32_t v)
{
  int fd = open(f->bar, O_RDWR);
  assert_true(fd >= 0);
  assert_int_equal(pwrite(fd, &v, 4, off), 4);
  close(fd);
}

/* A board bound to vfio-pci in IOMMU group 7, with a good identity in its BAR. */
static void fake_init(struct fake *f)
{
  memset(f, 0, sizeof *f);
  snprintf(f->root, sizeof f->root, "/tmp/nsgnic-vfio-XXXXXX");
  assert_non_null(mkdtemp(f->root));
  mkdirs(f->root, "sys/bus/pci/devices/" BDF);
  mkdirs(f->root, "sys/kernel/iommu_groups/7");
  mkdirs(f->root, "sys/bus/pci/drivers/vfio-pci");
  mkdirs(f->root, "dev/vfio");
  char p[512], t[512];
  snprintf(p, sizeof p, "%s/sys/bus/pci/devices/" BDF "/iommu_group", f->root);
  snprintf(t, sizeof t, "../../../../kernel/iommu_groups/%u", GROUP);
  assert_int_equal(symlink(t, p), 0);
  snprintf(p, sizeof p, "%s/sys/bus/pci/devices/" BDF "/driver", f->root);
  assert_int_equal(symlink("../../../../bus/pci/drivers/vfio-pci", p), 0);
  snprintf(p, sizeof p, "%s/dev/vfio/vfio", f->root);
  close(open(p, O_CREAT | O_RDWR, 0644));
  snprintf(p, sizeof p, "%s/dev/vfio/%u", f->root, GROUP);
  close(open(p, O_CREAT | O_RDWR, 0644));
  snprintf(f->bar, sizeof f->bar, "%s/bar0", f->root);
  int fd = open(f->bar, O_CREAT | O_RDWR, 0644);
  assert_true(fd >= 0);
  assert_int_equal(ftruncate(fd, NSGNIC_PCI_BAR_HOST_BYTES), 0);
  close(fd);
  put_word(f, NSGNIC_HOSTREG_MAGIC, NSGNIC_HOST_MAGIC);
  put_word(f, NSGNIC_HOSTREG_HW_VERSION,
           ((uint32_t)NSGNIC_ABI_VERSION_MAJOR << 16) | NSGNIC_ABI_VERSION_MINOR);
  put_word(f, NSGNIC_HOSTREG_WINDOW_BYTES, NSGNIC_HOSTWIN_BYTES);
  f->api = VFIO_API_VERSION;
  f->type1v2 = f->type1 = 1;
  f->viable = 1;
  f->bar_size = NSGNIC_PCI_BAR_HOST_BYTES;
  f->bar_index = NSGNIC_PCI_BAR_HOST;
  f->region_flags = VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE |
                    VFIO_REGION_INFO_FLAG_MMAP;
  f->container_fd = f->group_fd = f->device_fd = -100;
  F = f;
}

static void fake_free(struct fake *f)
{
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->root);
  assert_int_equal(system(cmd), 0);
  F = NULL;
}

static void opts_fake(struct nsgnic_dev_opts *o, struct logbuf *lb, struct fake *f)
{
  static char sys[300], dev[300];
  opts_with_log(o, lb);
  snprintf(sys, sizeof sys, "%s/sys", f->root);
  snprintf(dev, sizeof dev, "%s/dev", f->root);
  o->sysfs_root = sys;
  o->dev_root = dev;
  o->vfio_sys = &fake_sys;
  o->timeout_ms = 50;
}

/* ---- tests ---------------------------------------------------------------------------------- */

static void open_and_identify(void **state)
{
  (void)state;
  struct fake f;
  fake_init(&f);
  struct nsgnic_dev_opts o;
  struct logbuf lb;
  opts_fake(&o, &lb, &f);
  struct nsgnic_dev *d = nsgnic_dev_open("vfio:" BDF, &o);
  assert_non_null(d);
  assert_int_equal(f.set_container, 1);
  assert_int_equal(f.set_iommu, 1);
  assert_int_equal(f.iommu_type, VFIO_TYPE1v2_IOMMU);
  assert_int_equal(f.reset, 1);
  assert_int_equal(f.mmap_off, REGION_OFF);
  struct nsgnic_dev_id id;
  assert_int_equal(nsgnic_dev_identify(d, &id), 0);
  assert_string_equal(id.backend, "vfio");
  assert_string_equal(id.where, BDF);
  assert_int_equal(id.window_bytes, NSGNIC_HOSTWIN_BYTES);
  /* writes go through the mapping to the "device" */
  assert_int_equal(nsgnic_dev_reset(d), 0);
  int fd = open(f.bar, O_RDONLY);
  uint32_t ctrl = 1;
  assert_int_equal(pread(fd, &ctrl, 4, NSGNIC_HOSTREG_CTRL), 4);
  close(fd);
  assert_int_equal(ctrl & (1u << NSGNIC_CTRL_CPU_RUN_LSB), 0);

  /* DMA: page-aligned buffers get distinct IOVAs in the container; unmap finds them */
  long pg = sysconf(_SC_PAGESIZE);
  void *buf = aligned_alloc((size_t)pg, 4 * (size_t)pg);
  assert_non_null(buf);
  uint64_t a, b;
  assert_int_equal(nsgnic_dev_dma_map(d, buf, 2 * (size_t)pg, &a), 0);
  assert_int_equal(nsgnic_dev_dma_map(d, (char *)buf + 2 * pg, 2 * (size_t)pg, &b), 0);
  assert_int_equal(f.maps, 2);
  assert_true(a >= (1ull << 32));
  assert_int_equal(b, a + 2 * (uint64_t)pg);
  assert_int_equal(f.map_vaddr[0], (uintptr_t)buf);
  assert_int_equal(nsgnic_dev_dma_map(d, (char *)buf + 1, (size_t)pg, &a), -EINVAL);
  assert_int_equal(nsgnic_dev_dma_map(d, buf, 100, &a), -EINVAL);
  assert_int_equal(nsgnic_dev_dma_unmap(d, b, 2 * (size_t)pg), 0);
  assert_int_equal(nsgnic_dev_dma_unmap(d, b, 2 * (size_t)pg), -ENOENT);
  assert_int_equal(f.unmaps, 1);
  free(buf);
  nsgnic_dev_close(d);
  fake_free(&f);
}

static void type1_fallback(void **state)
{
  (void)state;
  struct fake f;
  fake_init(&f);
  f.type1v2 = 0;
  struct nsgnic_dev_opts o;
  struct logbuf lb;
  opts_fake(&o, &lb, &f);
  struct nsgnic_dev *d = nsgnic_dev_open("vfio:03:00.0", &o);
  assert_non_null(d);
  assert_int_equal(f.iommu_type, VFIO_TYPE1_IOMMU);
  nsgnic_dev_close(d);
  fake_free(&f);
}

/* The window inside a shell's BAR: OpenNIC's 250 MHz box at BAR2 + 1 MiB (docs/board.md). */
static void shell_window(void **state)
{
  (void)state;
  struct fake f;
  fake_init(&f);
  const uint64_t off = 0x100000;
  int fd = open(f.bar, O_RDWR);
  assert_int_equal(ftruncate(fd, (off_t)(off + NSGNIC_PCI_BAR_HOST_BYTES)), 0);
  close(fd);
  put_word(&f, (uint32_t)off + NSGNIC_HOSTREG_MAGIC, NSGNIC_HOST_MAGIC);
  put_word(&f, (uint32_t)off + NSGNIC_HOSTREG_HW_VERSION,
           ((uint32_t)NSGNIC_ABI_VERSION_MAJOR << 16) | NSGNIC_ABI_VERSION_MINOR);
  put_word(&f, (uint32_t)off + NSGNIC_HOSTREG_WINDOW_BYTES, NSGNIC_HOSTWIN_BYTES);
  put_word(&f, NSGNIC_HOSTREG_MAGIC, 0); /* BAR offset 0 is the shell's, not ours */
  f.bar_index = 2;
  f.bar_size = 4u << 20;
  struct nsgnic_dev_opts o;
  struct logbuf lb;
  opts_fake(&o, &lb, &f);
  /* the default (BAR0) is not there in this fake */
  assert_null(nsgnic_dev_open("vfio:" BDF, &o));
  struct nsgnic_dev *d = nsgnic_dev_open("vfio:" BDF ",bar=2,offset=0x100000", &o);
  assert_non_null(d);
  assert_int_equal(f.mmap_off, REGION_OFF + off);
  nsgnic_dev_close(d);
  /* option errors */
  const char *bad[] = {"vfio:" BDF ",bar=6", "vfio:" BDF ",bar=-1", "vfio:" BDF ",offset=123",
                       "vfio:" BDF ",offset=x", "vfio:" BDF ",color=blue", "vfio:,bar=2"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    errno = 0;
    assert_null(nsgnic_dev_open(bad[i], &o));
    assert_int_equal(errno, EINVAL);
  }
  /* an offset beyond the BAR */
  errno = 0;
  assert_null(nsgnic_dev_open("vfio:" BDF ",bar=2,offset=0x400000", &o));
  assert_int_equal(errno, ENXIO);
  fake_free(&f);
}

/* Each refusal: errno and the message that says what to do. */
static void refusals(void **state)
{
  (void)state;
  struct {
    const char *what;
    int errno_want;
    const char *msg;
  } cases[] = {
    {"no-group", ENODEV, "has no IOMMU group"},
    {"no-driver", EBUSY, "bound to no driver, not to vfio-pci"},
    {"wrong-driver", EBUSY, "bound to xdma, not to vfio-pci"},
    {"no-container", ENOENT, "cannot open the VFIO container"},
    {"old-api", EPROTONOSUPPORT, "VFIO API version"},
    {"no-type1", ENOTSUP, "no type-1 IOMMU support"},
    {"not-viable", EPERM, "is not viable"},
    {"small-bar", ENXIO, "nsgnic needs at least"},
    {"no-mmap", ENOTSUP, "does not let BAR0 be mapped"},
    {"bad-bdf", EINVAL, "vfio needs a PCI address"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    struct fake f;
    fake_init(&f);
    char p[512];
    const char *w = cases[i].what;
    const char *spec = "vfio:" BDF;
    if (!strcmp(w, "no-group")) {
      snprintf(p, sizeof p, "%s/sys/bus/pci/devices/" BDF "/iommu_group", f.root);
      unlink(p);
    } else if (!strcmp(w, "no-driver") || !strcmp(w, "wrong-driver")) {
      snprintf(p, sizeof p, "%s/sys/bus/pci/devices/" BDF "/driver", f.root);
      unlink(p);
      if (!strcmp(w, "wrong-driver"))
        assert_int_equal(symlink("../../../../bus/pci/drivers/xdma", p), 0);
    } else if (!strcmp(w, "no-container")) {
      snprintf(p, sizeof p, "%s/dev/vfio/vfio", f.root);
      unlink(p);
    } else if (!strcmp(w, "old-api")) {
      f.api = VFIO_API_VERSION - 1;
    } else if (!strcmp(w, "no-type1")) {
      f.type1 = f.type1v2 = 0;
    } else if (!strcmp(w, "not-viable")) {
      f.viable = 0;
    } else if (!strcmp(w, "small-bar")) {
      f.bar_size = NSGNIC_PCI_BAR_HOST_BYTES / 2;
    } else if (!strcmp(w, "no-mmap")) {
      f.region_flags &= ~(uint32_t)VFIO_REGION_INFO_FLAG_MMAP;
    } else if (!strcmp(w, "bad-bdf")) {
      spec = "vfio:nonsense";
    }
    struct nsgnic_dev_opts o;
    struct logbuf lb;
    opts_fake(&o, &lb, &f);
    errno = 0;
    struct nsgnic_dev *d = nsgnic_dev_open(spec, &o);
    if (d || errno != cases[i].errno_want || !strstr(lb.last_err, cases[i].msg))
      fail_msg("%s: dev %p errno %d (want %d), message '%s' (want '%s')", w, (void *)d, errno,
               cases[i].errno_want, lb.last_err, cases[i].msg);
    fake_free(&f);
  }
}

/* Other backends have no DMA mappings. */
static void dma_elsewhere(void **state)
{
  (void)state;
  struct nsgnic_dev_opts o;
  struct logbuf lb;
  opts_with_log(&o, &lb);
  struct nsgnic_dev *d = nsgnic_dev_open("fake", &o);
  assert_non_null(d);
  uint64_t iova;
  char buf[64];
  assert_int_equal(nsgnic_dev_dma_map(d, buf, sizeof buf, &iova), -ENOTSUP);
  assert_int_equal(nsgnic_dev_dma_unmap(d, 0, 64), -ENOTSUP);
  nsgnic_dev_close(d);
}

/* The real system calls on this machine: either it has no VFIO for this (absent) function,
 * refused with a message, never a crash. */
static void real_system_refuses(void **state)
{
  (void)state;
  struct nsgnic_dev_opts o;
  struct logbuf lb;
  opts_with_log(&o, &lb);
  errno = 0;
  struct nsgnic_dev *d = nsgnic_dev_open("vfio:ffff:ff:1f.7", &o);
  assert_null(d);
  assert_int_equal(errno, ENODEV);
  assert_non_null(strstr(lb.last_err, "has no IOMMU group"));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(open_and_identify),
    cmocka_unit_test(type1_fallback),
    cmocka_unit_test(shell_window),
    cmocka_unit_test(refusals),
    cmocka_unit_test(dma_elsewhere),
    cmocka_unit_test(real_system_refuses),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

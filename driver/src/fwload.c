/* SPDX-License-Identifier: Apache-2.0 */
/* Firmware load: the PT_LOAD segments of an ELF32 little-endian RISC-V executable (parsed by the
 * project's one ELF reader, include/nsgnic/elf_image.h) go into the CPU's RAMs through the
 * FW_LOAD_ADDR / FW_LOAD_DATA registers (auto-incrementing), then are read back the same way. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driver_priv.h"
#include "nsgnic/elf_image.h"

enum { MAX_FW_BYTES = 16 << 20 };

static int segment(struct nsgnic_dev *d, const uint8_t *img, uint32_t addr, uint32_t filesz,
                   uint32_t memsz, int verify)
{
  d->ops->wr32(d->be, NSGNIC_HOSTREG_FW_LOAD_ADDR, addr);
  for (uint32_t off = 0; off < memsz; off += 4) {
    uint32_t w = 0;
    for (uint32_t k = 0; k < 4; k++)
      if (off + k < filesz)
        w |= (uint32_t)img[off + k] << (8 * k);
    if (!verify) {
      d->ops->wr32(d->be, NSGNIC_HOSTREG_FW_LOAD_DATA, w);
    } else {
      uint32_t r = d->ops->rd32(d->be, NSGNIC_HOSTREG_FW_LOAD_DATA);
      if (r != w) {
        DLOG(d, ERR, "%s: firmware read-back differs at 0x%08x (wrote 0x%08x, read 0x%08x): "
             "a segment outside the CPU RAMs, or the image is for another memory map",
             d->where, addr + off, w, r);
        return -EFAULT;
      }
    }
  }
  return 0;
}

int nsgnic_dev_load_firmware_mem(struct nsgnic_dev *d, const void *elf, size_t len)
{
  const uint8_t *b = elf;
  char why[160];
  uint32_t ctrl = d->ops->rd32(d->be, NSGNIC_HOSTREG_CTRL);
  if (NSGNIC_GET(&ctrl, CTRL_CPU_RUN)) {
    DLOG(d, ERR, "%s: the CPU is running: reset the device before loading firmware", d->where);
    return -EBUSY;
  }
  uint32_t entry;
  if (nsgnic_elf_check(b, len, &entry, why, sizeof why) < 0) {
    DLOG(d, ERR, "%s: the firmware is not an ELF32 little-endian RISC-V executable: %s", d->where,
         why);
    return -ENOEXEC;
  }
  uint32_t boot = ((uint32_t)NSGNIC_SOC_REGION_RAM << NSGNIC_SOC_REGION_SHIFT) + NSGNIC_SOC_BOOT_OFFSET;
  if (entry != boot)
    DLOG(d, WARN, "%s: firmware entry 0x%08x is not the boot address 0x%08x", d->where, entry, boot);
  unsigned loaded = 0;
  for (int verify = 0; verify < 2; verify++) {
    struct nsgnic_elf_seg seg;
    unsigned i = 0;
    int rc;
    while ((rc = nsgnic_elf_next_load(b, len, &i, &seg, why, sizeof why)) == 1) {
      if (seg.memsz > MAX_FW_BYTES) {
        DLOG(d, ERR, "%s: firmware segment %u is %u bytes: no CPU RAM is that big", d->where,
             seg.index, seg.memsz);
        return -ENOEXEC;
      }
      int err = segment(d, seg.data, seg.paddr, seg.filesz, seg.memsz, verify);
      if (err < 0)
        return err;
      loaded += verify ? 0 : seg.memsz;
    }
    if (rc < 0) {
      DLOG(d, ERR, "%s: firmware %s", d->where, why);
      return -ENOEXEC;
    }
  }
  if (!loaded) {
    DLOG(d, ERR, "%s: the firmware has no loadable segment", d->where);
    return -ENOEXEC;
  }
  DLOG(d, INFO, "%s: firmware loaded and verified (%u bytes)", d->where, loaded);
  return 0;
}

int nsgnic_dev_load_firmware(struct nsgnic_dev *d, const char *path)
{
  uint8_t *buf = NULL;
  size_t len = 0;
  int err = nsgnic_elf_read_file(path, MAX_FW_BYTES, &buf, &len);
  if (err < 0) {
    DLOG(d, ERR, "cannot read firmware %s: %s", path,
         err == -EFBIG ? "too big (or out of memory)" : strerror(-err));
    return err;
  }
  err = nsgnic_dev_load_firmware_mem(d, buf, len);
  free(buf);
  return err;
}

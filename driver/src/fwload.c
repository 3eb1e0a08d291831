/* SPDX-License-Identifier: Apache-2.0 */
/* Firmware load: the PT_LOAD segments of an ELF32 little-endian RISC-V executable go into the
 * CPU's RAMs through the FW_LOAD_ADDR / FW_LOAD_DATA registers (auto-incrementing), then are
 * read back the same way. The ELF is parsed by hand (a few fixed offsets) so the driver needs
 * no libelf; every offset is checked against the buffer before use. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driver_priv.h"

enum {
  EHDR_BYTES = 52, PHDR_BYTES = 32, EM_RISCV = 243, ET_EXEC = 2, PT_LOAD = 1,
  MAX_FW_BYTES = 16 << 20,
};

static uint32_t le32(const uint8_t *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }
static uint32_t le16(const uint8_t *p) { return p[0] | (uint32_t)p[1] << 8; }

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
  uint32_t ctrl = d->ops->rd32(d->be, NSGNIC_HOSTREG_CTRL);
  if (NSGNIC_GET(&ctrl, CTRL_CPU_RUN)) {
    DLOG(d, ERR, "%s: the CPU is running: reset the device before loading firmware", d->where);
    return -EBUSY;
  }
  if (len < EHDR_BYTES || memcmp(b, "\177ELF", 4) != 0 || b[4] != 1 || b[5] != 1 ||
      le16(b + 16) != ET_EXEC || le16(b + 18) != EM_RISCV) {
    DLOG(d, ERR, "%s: the firmware is not an ELF32 little-endian RISC-V executable", d->where);
    return -ENOEXEC;
  }
  uint32_t phoff = le32(b + 28), phentsize = le16(b + 42), phnum = le16(b + 44);
  if (phentsize < PHDR_BYTES || phoff > len || phnum > (len - phoff) / phentsize) {
    DLOG(d, ERR, "%s: the firmware's program headers lie outside the file", d->where);
    return -ENOEXEC;
  }
  uint32_t entry = le32(b + 24);
  uint32_t boot = ((uint32_t)NSGNIC_SOC_REGION_RAM << NSGNIC_SOC_REGION_SHIFT) + NSGNIC_SOC_BOOT_OFFSET;
  if (entry != boot)
    DLOG(d, WARN, "%s: firmware entry 0x%08x is not the boot address 0x%08x", d->where, entry, boot);
  unsigned loaded = 0;
  for (int verify = 0; verify < 2; verify++) {
    for (uint32_t i = 0; i < phnum; i++) {
      const uint8_t *ph = b + phoff + i * phentsize;
      uint32_t type = le32(ph), off = le32(ph + 4), paddr = le32(ph + 12);
      uint32_t filesz = le32(ph + 16), memsz = le32(ph + 20);
      if (type != PT_LOAD || memsz == 0)
        continue;
      if (off > len || filesz > len - off || filesz > memsz || (paddr & 3u) ||
          memsz > MAX_FW_BYTES) {
        DLOG(d, ERR, "%s: firmware segment %u is malformed (offset 0x%x, size 0x%x/0x%x, "
             "address 0x%08x)", d->where, i, off, filesz, memsz, paddr);
        return -ENOEXEC;
      }
      int err = segment(d, b + off, paddr, filesz, memsz, verify);
      if (err < 0)
        return err;
      loaded += verify ? 0 : memsz;
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
  FILE *f = fopen(path, "rb");
  if (!f) {
    int e = errno;
    DLOG(d, ERR, "cannot open firmware %s: %s", path, strerror(e));
    return -e;
  }
  uint8_t *buf = NULL;
  size_t len = 0, cap = 0;
  int err = 0;
  for (;;) {
    if (len == cap) {
      cap = cap ? cap * 2 : 65536;
      uint8_t *nb = cap <= MAX_FW_BYTES ? realloc(buf, cap) : NULL;
      if (!nb) {
        DLOG(d, ERR, "firmware %s is too big (or out of memory)", path);
        err = -EFBIG;
        goto out;
      }
      buf = nb;
    }
    size_t n = fread(buf + len, 1, cap - len, f);
    len += n;
    if (n == 0)
      break;
  }
  if (ferror(f)) {
    DLOG(d, ERR, "cannot read firmware %s", path);
    err = -EIO;
    goto out;
  }
  err = nsgnic_dev_load_firmware_mem(d, buf, len);
out:
  free(buf);
  fclose(f);
  return err;
}

/* SPDX-License-Identifier: Apache-2.0 */
/* ELF32 loader for nsgnic-sim: reads the whole file, checks the header, writes the PT_LOAD
 * segments through the host memory port and finds `tohost` in .symtab. Only the fields we use
 * are decoded, by hand (little-endian), so it builds without <elf.h>. */
#include "elf_load.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
  EHDR_SIZE = 52, PHDR_SIZE = 32, SHDR_SIZE = 40, SYM_SIZE = 16,
  EM_RISCV = 243, ET_EXEC = 2, PT_LOAD = 1, SHT_SYMTAB = 2,
};

static uint32_t rd32(const uint8_t *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }
static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }

/* 1 when [off, off+len) lies within a buffer of size n. */
static int in_file(size_t n, uint64_t off, uint64_t len) { return off <= n && len <= n - off; }

static int read_file(const char *path, uint8_t **data, size_t *size)
{
  FILE *f = fopen(path, "rb");
  if (!f)
    return -errno;
  uint8_t *buf = NULL;
  size_t n = 0, cap = 0;
  int rc = 0;
  for (;;) {
    if (n == cap) {
      cap = cap ? cap * 2 : 65536;
      uint8_t *nb = realloc(buf, cap);
      if (!nb) {
        rc = -ENOMEM;
        goto out;
      }
      buf = nb;
    }
    size_t got = fread(buf + n, 1, cap - n, f);
    n += got;
    if (got == 0) {
      if (ferror(f))
        rc = -EIO;
      break;
    }
  }
out:
  fclose(f);
  if (rc) {
    free(buf);
    return rc;
  }
  *data = buf;
  *size = n;
  return 0;
}

static void find_tohost(const uint8_t *d, size_t n, struct elf_info *info)
{
  uint32_t shoff = rd32(d + 32);
  uint16_t shentsize = rd16(d + 46), shnum = rd16(d + 48);
  if (shoff == 0 || shentsize != SHDR_SIZE || !in_file(n, shoff, (uint64_t)shnum * SHDR_SIZE))
    return;
  for (unsigned i = 0; i < shnum; i++) {
    const uint8_t *sh = d + shoff + i * SHDR_SIZE;
    if (rd32(sh + 4) != SHT_SYMTAB)
      continue;
    uint32_t symoff = rd32(sh + 16), symsize = rd32(sh + 20), link = rd32(sh + 24);
    if (link >= shnum || !in_file(n, symoff, symsize))
      continue;
    const uint8_t *strsh = d + shoff + link * SHDR_SIZE;
    uint32_t stroff = rd32(strsh + 16), strsize = rd32(strsh + 20);
    if (!in_file(n, stroff, strsize))
      continue;
    for (uint32_t s = 0; s + SYM_SIZE <= symsize; s += SYM_SIZE) {
      const uint8_t *sym = d + symoff + s;
      uint32_t name = rd32(sym);
      if (name < strsize && strnlen((const char *)d + stroff + name, strsize - name) < strsize - name &&
          strcmp((const char *)d + stroff + name, "tohost") == 0) {
        info->tohost = rd32(sym + 4);
        info->has_tohost = 1;
        return;
      }
    }
  }
}

int elf_load(struct nsgnic_sim *sim, const char *path, struct elf_info *info, char *err,
             size_t errlen)
{
  uint8_t *d = NULL;
  size_t n = 0;
  memset(info, 0, sizeof(*info));
  int rc = read_file(path, &d, &n);
  if (rc) {
    snprintf(err, errlen, "%s: cannot read: %s", path, strerror(-rc));
    return rc;
  }
  rc = -ENOEXEC;
  if (n < EHDR_SIZE || memcmp(d, "\177ELF", 4) != 0) {
    snprintf(err, errlen, "%s: not an ELF file", path);
    goto out;
  }
  if (d[4] != 1 || d[5] != 1) {
    snprintf(err, errlen, "%s: not a 32-bit little-endian ELF (build with -march=rv32im -mabi=ilp32)", path);
    goto out;
  }
  if (rd16(d + 18) != EM_RISCV || rd16(d + 16) != ET_EXEC) {
    snprintf(err, errlen, "%s: not a RISC-V executable (e_machine %u, e_type %u)", path,
             rd16(d + 18), rd16(d + 16));
    goto out;
  }
  info->entry = rd32(d + 24);
  uint32_t phoff = rd32(d + 28);
  uint16_t phentsize = rd16(d + 42), phnum = rd16(d + 44);
  if (phentsize != PHDR_SIZE || !in_file(n, phoff, (uint64_t)phnum * PHDR_SIZE)) {
    snprintf(err, errlen, "%s: bad program header table", path);
    goto out;
  }
  for (unsigned i = 0; i < phnum; i++) {
    const uint8_t *ph = d + phoff + i * PHDR_SIZE;
    if (rd32(ph) != PT_LOAD)
      continue;
    uint32_t off = rd32(ph + 4), paddr = rd32(ph + 12), filesz = rd32(ph + 16), memsz = rd32(ph + 20);
    if (memsz == 0)
      continue;
    if (filesz > memsz || !in_file(n, off, filesz)) {
      snprintf(err, errlen, "%s: segment %u lies outside the file", path, i);
      goto out;
    }
    int wrc = nsgnic_sim_mem_write(sim, paddr, d + off, filesz);
    uint8_t zero[256] = {0};
    for (uint32_t z = filesz; wrc == 0 && z < memsz;) {
      uint32_t chunk = memsz - z < sizeof(zero) ? memsz - z : (uint32_t)sizeof(zero);
      wrc = nsgnic_sim_mem_write(sim, paddr + z, zero, chunk);
      z += chunk;
    }
    if (wrc) {
      snprintf(err, errlen, "%s: segment %u (0x%08x..0x%08x) is not inside the RAMs", path, i,
               paddr, paddr + memsz - 1);
      rc = wrc;
      goto out;
    }
    info->load_bytes += memsz;
  }
  find_tohost(d, n, info);
  rc = 0;
out:
  free(d);
  return rc;
}

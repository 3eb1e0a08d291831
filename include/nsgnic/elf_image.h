/* SPDX-License-Identifier: Apache-2.0 */
/* The one ELF reader of the project: firmware and test images for the rv32 soft-core (ELF32,
 * little-endian, RISC-V, ET_EXEC) as <elf.h> describes them. Used by the driver's firmware load
 * (driver/src/fwload.c), the co-simulated NIC's (sim/soc.c) and nsgnic-sim --run-elf
 * (sim/elf_load.c); each writes the segments its own way (FW_LOAD registers, the model's memory
 * port). Header-only so that every one of those link units has it without a shared library.
 *
 * Lifecycle: nsgnic_elf_read_file (or any buffer) -> nsgnic_elf_check -> nsgnic_elf_next_load
 * until it returns 0 -> optionally nsgnic_elf_symbol. Every offset and size is checked against the
 * buffer before use; nothing is written. Errors: negative errno, with a reason in `why`. */
#ifndef NSGNIC_ELF_IMAGE_H
#define NSGNIC_ELF_IMAGE_H

#include <elf.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
               "nsgnic_elf reads ELF32 little-endian images with the host's own layout");

/* One PT_LOAD segment with contents (p_memsz > 0). */
struct nsgnic_elf_seg {
  unsigned index;        /* program header index (for messages) */
  uint32_t paddr;        /* p_paddr: where it goes */
  uint32_t filesz;       /* bytes from the file (data[0..filesz)) */
  uint32_t memsz;        /* bytes in memory: the rest is zero fill */
  const uint8_t *data;
};

static inline void nsgnic_elf_why(char *why, size_t whylen, const char *msg)
{
  if (why && whylen)
    snprintf(why, whylen, "%s", msg);
}

/* 1 when [off, off + n) lies inside a buffer of `len` bytes. */
static inline int nsgnic_elf_inside(size_t len, uint64_t off, uint64_t n)
{
  return off <= len && n <= len - off;
}

/* Reads a whole file of at most `max` bytes. 0, or -errno (-EFBIG beyond max, -ENOMEM). The
 * caller frees *buf. */
static inline int nsgnic_elf_read_file(const char *path, size_t max, uint8_t **buf, size_t *len)
{
  FILE *f = fopen(path, "rb");
  if (!f)
    return -errno;
  uint8_t *b = NULL;
  size_t n = 0, cap = 0;
  int rc = 0;
  for (;;) {
    if (n == cap) {
      cap = cap ? cap * 2 : 65536;
      uint8_t *nb = cap <= 2 * max ? (uint8_t *)realloc(b, cap) : NULL;
      if (!nb) {
        rc = cap <= 2 * max ? -ENOMEM : -EFBIG;
        break;
      }
      b = nb;
    }
    size_t got = fread(b + n, 1, cap - n, f);
    n += got;
    if (got == 0) {
      if (ferror(f))
        rc = -EIO;
      break;
    }
    if (n > max) {
      rc = -EFBIG;
      break;
    }
  }
  fclose(f);
  if (rc) {
    free(b);
    return rc;
  }
  *buf = b;
  *len = n;
  return 0;
}

/* The image is an ELF32 little-endian RISC-V executable whose program header table lies in the
 * buffer. 0 (and *entry = e_entry when entry is not NULL) or -ENOEXEC with the reason. */
static inline int nsgnic_elf_check(const uint8_t *img, size_t len, uint32_t *entry, char *why,
                                   size_t whylen)
{
  Elf32_Ehdr eh;
  if (len < sizeof eh || memcmp(img, ELFMAG, SELFMAG) != 0) {
    nsgnic_elf_why(why, whylen, "not an ELF file");
    return -ENOEXEC;
  }
  memcpy(&eh, img, sizeof eh);
  if (eh.e_ident[EI_CLASS] != ELFCLASS32 || eh.e_ident[EI_DATA] != ELFDATA2LSB) {
    nsgnic_elf_why(why, whylen, "not a 32-bit little-endian ELF (build with -march=rv32im -mabi=ilp32)");
    return -ENOEXEC;
  }
  if (eh.e_machine != EM_RISCV || eh.e_type != ET_EXEC) {
    nsgnic_elf_why(why, whylen, "not a RISC-V executable (e_machine, e_type)");
    return -ENOEXEC;
  }
  if (eh.e_phentsize < sizeof(Elf32_Phdr) ||
      !nsgnic_elf_inside(len, eh.e_phoff, (uint64_t)eh.e_phnum * eh.e_phentsize)) {
    nsgnic_elf_why(why, whylen, "program headers outside the file");
    return -ENOEXEC;
  }
  if (entry)
    *entry = eh.e_entry;
  return 0;
}

/* The next PT_LOAD segment with p_memsz > 0 from program header *i on (start with *i = 0; it is
 * advanced past the one returned). 1 with *seg, 0 at the end, -ENOEXEC when a segment lies
 * outside the file, has p_filesz > p_memsz, or an address that is not word-aligned. Call after
 * nsgnic_elf_check succeeded. */
static inline int nsgnic_elf_next_load(const uint8_t *img, size_t len, unsigned *i,
                                       struct nsgnic_elf_seg *seg, char *why, size_t whylen)
{
  Elf32_Ehdr eh;
  memcpy(&eh, img, sizeof eh);
  for (; *i < eh.e_phnum; (*i)++) {
    Elf32_Phdr ph;
    memcpy(&ph, img + eh.e_phoff + (size_t)*i * eh.e_phentsize, sizeof ph);
    if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
      continue;
    if (!nsgnic_elf_inside(len, ph.p_offset, ph.p_filesz) || ph.p_filesz > ph.p_memsz ||
        (ph.p_paddr & 3u)) {
      if (why && whylen)
        snprintf(why, whylen, "segment %u is malformed (offset 0x%x, size 0x%x/0x%x, address 0x%08x)",
                 *i, (unsigned)ph.p_offset, (unsigned)ph.p_filesz, (unsigned)ph.p_memsz,
                 (unsigned)ph.p_paddr);
      return -ENOEXEC;
    }
    seg->index = *i;
    seg->paddr = ph.p_paddr;
    seg->filesz = ph.p_filesz;
    seg->memsz = ph.p_memsz;
    seg->data = img + ph.p_offset;
    (*i)++;
    return 1;
  }
  return 0;
}

/* The value of the symbol `name` from the image's symbol table (SHT_SYMTAB). 0, or -ENOENT when
 * there is no such symbol (or no symbol table); malformed tables count as absent. */
static inline int nsgnic_elf_symbol(const uint8_t *img, size_t len, const char *name, uint32_t *value)
{
  Elf32_Ehdr eh;
  memcpy(&eh, img, sizeof eh);
  if (eh.e_shoff == 0 || eh.e_shentsize != sizeof(Elf32_Shdr) ||
      !nsgnic_elf_inside(len, eh.e_shoff, (uint64_t)eh.e_shnum * sizeof(Elf32_Shdr)))
    return -ENOENT;
  for (unsigned s = 0; s < eh.e_shnum; s++) {
    Elf32_Shdr sh, str;
    memcpy(&sh, img + eh.e_shoff + (size_t)s * sizeof sh, sizeof sh);
    if (sh.sh_type != SHT_SYMTAB || sh.sh_link >= eh.e_shnum ||
        !nsgnic_elf_inside(len, sh.sh_offset, sh.sh_size))
      continue;
    memcpy(&str, img + eh.e_shoff + (size_t)sh.sh_link * sizeof str, sizeof str);
    if (!nsgnic_elf_inside(len, str.sh_offset, str.sh_size))
      continue;
    const char *strtab = (const char *)img + str.sh_offset;
    for (uint64_t o = 0; o + sizeof(Elf32_Sym) <= sh.sh_size; o += sizeof(Elf32_Sym)) {
      Elf32_Sym sym;
      memcpy(&sym, img + sh.sh_offset + o, sizeof sym);
      if (sym.st_name < str.sh_size &&
          memchr(strtab + sym.st_name, 0, str.sh_size - sym.st_name) != NULL &&
          strcmp(strtab + sym.st_name, name) == 0) {
        *value = sym.st_value;
        return 0;
      }
    }
  }
  return -ENOENT;
}

#endif

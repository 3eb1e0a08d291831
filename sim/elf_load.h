/* SPDX-License-Identifier: Apache-2.0 */
/* Loads an ELF32 little-endian RISC-V executable into the simulated device's memory. */
#ifndef NSGNIC_SIM_ELF_LOAD_H
#define NSGNIC_SIM_ELF_LOAD_H

#include <stdint.h>

#include "nsgnic_sim.h"

struct elf_info {
  uint32_t entry;       /* e_entry */
  uint32_t tohost;      /* address of the `tohost` symbol, valid when has_tohost */
  int has_tohost;
  uint32_t load_bytes;  /* bytes written (file contents plus zero fill) */
};

/* Writes every PT_LOAD segment (at its physical address, zero-filling p_memsz beyond p_filesz)
 * and looks up `tohost` in the symbol table. On error returns a negative errno and writes a
 * message naming the file and the problem into err (errlen bytes): -ENOENT/-EIO reading,
 * -ENOEXEC not an ELF32 RISC-V executable, -EFAULT a segment outside the RAMs. */
int elf_load(struct nsgnic_sim *sim, const char *path, struct elf_info *info, char *err,
             size_t errlen);

#endif

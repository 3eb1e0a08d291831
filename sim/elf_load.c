/* SPDX-License-Identifier: Apache-2.0 */
/* ELF32 loader for nsgnic-sim: the image read and parsed by the project's one ELF reader
 * (include/nsgnic/elf_image.h), the PT_LOAD segments written through the host memory port, and
 * `tohost` found in the symbol table. */
#include "elf_load.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nsgnic/elf_image.h"

enum { MAX_ELF_BYTES = 64 << 20 };

int elf_load(struct nsgnic_sim *sim, const char *path, struct elf_info *info, char *err,
             size_t errlen)
{
  uint8_t *d = NULL;
  size_t n = 0;
  char why[160];
  memset(info, 0, sizeof(*info));
  int rc = nsgnic_elf_read_file(path, MAX_ELF_BYTES, &d, &n);
  if (rc) {
    snprintf(err, errlen, "%s: cannot read: %s", path, strerror(-rc));
    return rc;
  }
  rc = nsgnic_elf_check(d, n, &info->entry, why, sizeof why);
  if (rc) {
    snprintf(err, errlen, "%s: %s", path, why);
    goto out;
  }
  struct nsgnic_elf_seg seg;
  unsigned i = 0;
  while ((rc = nsgnic_elf_next_load(d, n, &i, &seg, why, sizeof why)) == 1) {
    int wrc = nsgnic_sim_mem_write(sim, seg.paddr, seg.data, seg.filesz);
    uint8_t zero[256] = {0};
    for (uint32_t z = seg.filesz; wrc == 0 && z < seg.memsz;) {
      uint32_t chunk = seg.memsz - z < sizeof(zero) ? seg.memsz - z : (uint32_t)sizeof(zero);
      wrc = nsgnic_sim_mem_write(sim, seg.paddr + z, zero, chunk);
      z += chunk;
    }
    if (wrc) {
      snprintf(err, errlen, "%s: segment %u (0x%08x..0x%08x) is not inside the RAMs", path,
               seg.index, seg.paddr, seg.paddr + seg.memsz - 1);
      rc = wrc;
      goto out;
    }
    info->load_bytes += seg.memsz;
  }
  if (rc) {
    snprintf(err, errlen, "%s: %s", path, why);
    goto out;
  }
  info->has_tohost = nsgnic_elf_symbol(d, n, "tohost", &info->tohost) == 0;
out:
  free(d);
  return rc;
}

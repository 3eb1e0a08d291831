/* SPDX-License-Identifier: Apache-2.0 */
/* The firmware's mailbox: the host build of the firmware logic on the RAM HAL (the fixture of
 * tests/firmware) fed command slots made from the input. Input: a sequence of commands, each a
 * 4-byte header word (opcode, version, length, flags: any value), a byte n (payload words,
 * n % 31) and up to n little-endian payload words (missing words are zero). Oracles: every
 * command completes (no hang), no guard entry after any table is written (no write out of
 * bounds), and no crash or undefined behaviour in the firmware (ASan/UBSan on the host build). */
#include <string.h>

#include "fixture.h"
#include "fuzz.h"

enum { MAX_CMDS = 64, MAX_WORDS = NSGNIC_MSG_PAYLOAD_WORDS };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (size > 1 << 16)
    return 0;
  struct fx *f = fx_new();
  size_t at = 0;
  for (int c = 0; c < MAX_CMDS && at + 5 <= size; c++) {
    uint32_t hdr = (uint32_t)data[at] | (uint32_t)data[at + 1] << 8 | (uint32_t)data[at + 2] << 16 |
                   (uint32_t)data[at + 3] << 24;
    uint32_t n = data[at + 4] % (MAX_WORDS + 1);
    at += 5;
    uint32_t p[MAX_WORDS] = {0};
    for (uint32_t i = 0; i < n && at < size; i++)
      for (int k = 0; k < 4 && at < size; k++)
        p[i] |= (uint32_t)data[at++] << (8 * k);
    uint32_t cpl[NSGNIC_SLOT_WORDS];
    uint32_t st = fw_host_raw(&f->host, hdr, p, n, cpl);
    FUZZ_CHECK(st != FW_HOST_TIMEOUT);
    FUZZ_CHECK(fx_guards_ok(f));
  }
  fx_free(f);
  return 0;
}

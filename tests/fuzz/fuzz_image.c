/* SPDX-License-Identifier: Apache-2.0 */
/* The table image loader (nsg_tables_load_image), an image being untrusted input. Each input is
 * loaded as it is, then with its header's length and CRC-32 recomputed (so that mutations reach
 * the checks behind the checksum, as a hostile image with a recomputed CRC would). Oracles: no
 * crash, leak or undefined behaviour; an image that loads serializes back (nsg_tables_image) to an
 * image that loads again, byte for byte the same, and is bound as itself
 * (nsg_tables_check_bindings). */
#include <string.h>

#include "fuzz.h"
#include "nsgnic/compile.h"

enum { HDR = 64, OFF_LEN = 12, OFF_CRC = 16 };

static uint32_t crc32(const uint8_t *p, size_t n)
{
  uint32_t c = 0xffffffffu;
  for (size_t i = 0; i < n; i++) {
    c ^= p[i];
    for (int k = 0; k < 8; k++)
      c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1u)));
  }
  return ~c;
}

static void put32(uint8_t *p, uint32_t v)
{
  for (int k = 0; k < 4; k++)
    p[k] = (uint8_t)(v >> (8 * k));
}

static void one(const uint8_t *buf, size_t len)
{
  char err[512];
  struct nsg_tables *t = nsg_tables_load_image(buf, len, err, sizeof err);
  if (!t)
    return;
  uint8_t *img = NULL;
  size_t n = 0;
  FUZZ_CHECK(nsg_tables_image(t, &img, &n) == 0);
  struct nsg_tables *u = nsg_tables_load_image(img, n, err, sizeof err);
  if (!u)
    fprintf(stderr, "a loaded image does not load again after serialization: %s\n", err);
  FUZZ_CHECK(u != NULL);
  uint8_t *img2 = NULL;
  size_t n2 = 0;
  FUZZ_CHECK(nsg_tables_image(u, &img2, &n2) == 0);
  FUZZ_CHECK(n2 == n && memcmp(img, img2, n) == 0);
  FUZZ_CHECK(nsg_tables_check_bindings(t, u, err, sizeof err) == 0);
  free(img2);
  free(img);
  nsg_tables_free(u);
  nsg_tables_free(t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (size > 1 << 20)
    return 0;
  uint8_t *b = malloc(size ? size : 1); /* exact size: ASan sees a read past the end */
  if (!b)
    return 0;
  memcpy(b, data, size);
  one(b, size);
  if (size >= HDR) {
    put32(b + OFF_LEN, (uint32_t)size);
    put32(b + OFF_CRC, crc32(b + HDR, size - HDR));
    one(b, size);
  }
  free(b);
  return 0;
}

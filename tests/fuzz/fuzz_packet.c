/* SPDX-License-Identifier: Apache-2.0 */
/* The slow path's packet parser (nsg_pkt_parse, nsg_pkt_parse_head: Ethernet, VLAN, IPv4/IPv6
 * with extension headers, fragments, TCP/UDP/ICMP and the packet an ICMP error carries) on
 * arbitrary frames, whole and as an exception's head (the first 64..256 bytes of the frame).
 * Oracles: no crash or out-of-bounds read (ASan); a frame the parser accepts has its length
 * recorded and a known protocol layout; the head parse never accepts what the whole-frame parse
 * rejects for a reason inside the head. Input: byte 0 selects the head length, the rest is the frame. */
#include <string.h>

#include "fuzz.h"
#include "nsgnic/slowpath.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (size < 1 || size > 9000)
    return 0;
  size_t head = 64 + (size_t)data[0];
  const uint8_t *frame = data + 1;
  size_t len = size - 1;
  /* an exact-size copy, so that ASan sees any read past the frame */
  uint8_t *f = malloc(len ? len : 1);
  if (!f)
    return 0;
  memcpy(f, frame, len);
  struct nsg_pkt p;
  memset(&p, 0xa5, sizeof p);
  enum nsg_pkt_err e = nsg_pkt_parse(f, len, &p);
  if (e == NSG_PKT_OK) {
    FUZZ_CHECK(p.len == len);
    FUZZ_CHECK(p.fam == 4 || p.fam == 6);
  }
  size_t cap = head < len ? head : len;
  uint8_t *h = malloc(cap ? cap : 1);
  if (h) {
    memcpy(h, frame, cap);
    struct nsg_pkt q;
    memset(&q, 0x5a, sizeof q);
    enum nsg_pkt_err eh = nsg_pkt_parse_head(h, cap, len, &q);
    if (cap == len)
      FUZZ_CHECK(eh == e); /* the whole frame as its own head: the same answer */
    free(h);
  }
  free(f);
  return 0;
}

/* SPDX-License-Identifier: Apache-2.0 */
/* C twin of the hardware parser and a packet builder (see ref_parse.h). */
#include "ref_parse.h"

#include <string.h>

#include "nsgnic/abi.h"

static unsigned be16(const uint8_t *p) { return (unsigned)p[0] << 8 | p[1]; }

static int is_ext6(unsigned nh)
{
  return nh == 0 || nh == 43 || nh == 44 || nh == 60 || nh == 51 || nh == 135 || nh == 139 ||
         nh == 140 || nh == 253 || nh == 254;
}

static void addr_be(const uint8_t *p, unsigned bytes, uint32_t *w)
{
  memset(w, 0, 16);
  for (unsigned i = 0; i < bytes; i++) {
    unsigned bit = (bytes - 1 - i) * 8;
    w[bit / 32] |= (uint32_t)p[i] << (bit % 32);
  }
}

void ref_parse(const uint8_t *f, size_t len, size_t window, struct parse_result *r)
{
  memset(r, 0, sizeof *r);
  size_t l2 = 14;
  if (len < 14) {
    r->reason = NSGNIC_REASON_RUNT;
    return;
  }
  unsigned et = be16(f + 12);
  if (et == 0x8100) {
    if (len < 18) {
      r->reason = NSGNIC_REASON_RUNT;
      return;
    }
    et = be16(f + 16);
    if (et == 0x8100 || et == 0x88a8) {
      r->reason = NSGNIC_REASON_VLAN_UNSUPPORTED;
      return;
    }
    l2 = 18;
  } else if (et == 0x88a8) {
    r->reason = NSGNIC_REASON_VLAN_UNSUPPORTED;
    return;
  }
  const uint8_t *ip = f + l2;
  size_t l4off, l4avail;
  if (et == 0x0800) {
    r->family = NSGNIC_FAMILY_IPV4;
    if (len < l2 + 20) {
      r->reason = NSGNIC_REASON_L3_TRUNCATED;
      return;
    }
    unsigned ihl = ip[0] & 15u, tot = be16(ip + 2);
    if (ip[0] >> 4 != 4) {
      r->reason = NSGNIC_REASON_IP_BAD_VERSION;
      return;
    }
    if (ihl < 5) {
      r->reason = NSGNIC_REASON_IPV4_BAD_IHL;
      return;
    }
    if (tot < ihl * 4 || l2 + tot > len) {
      r->reason = NSGNIC_REASON_IP_BAD_LENGTH;
      return;
    }
    if ((ip[6] & 0x20) || (be16(ip + 6) & 0x1fff)) {
      r->reason = NSGNIC_REASON_IPV4_FRAGMENT;
      return;
    }
    r->proto = ip[9];
    addr_be(ip + 12, 4, r->src);
    addr_be(ip + 16, 4, r->dst);
    l4off = l2 + ihl * 4;
    l4avail = tot - ihl * 4;
  } else if (et == 0x86dd) {
    r->family = NSGNIC_FAMILY_IPV6;
    if (len < l2 + 40) {
      r->reason = NSGNIC_REASON_L3_TRUNCATED;
      return;
    }
    if (ip[0] >> 4 != 6) {
      r->reason = NSGNIC_REASON_IP_BAD_VERSION;
      return;
    }
    unsigned plen = be16(ip + 4);
    if (l2 + 40 + plen > len) {
      r->reason = NSGNIC_REASON_IP_BAD_LENGTH;
      return;
    }
    if (is_ext6(ip[6])) {
      r->reason = NSGNIC_REASON_IPV6_EXT_HDR;
      return;
    }
    r->proto = ip[6];
    addr_be(ip + 8, 16, r->src);
    addr_be(ip + 24, 16, r->dst);
    l4off = l2 + 40;
    l4avail = plen;
  } else {
    r->reason = NSGNIC_REASON_NON_IP;
    return;
  }
  unsigned need = 0, win = 0;
  int v6 = r->family == NSGNIC_FAMILY_IPV6;
  if (r->proto == 6) {
    need = 20;
    win = 14;
  } else if (r->proto == 17) {
    need = 8;
    win = 4;
  } else if ((r->proto == 1 && !v6) || (r->proto == 58 && v6)) {
    need = 8;
  }
  if (l4avail < need) {
    r->reason = NSGNIC_REASON_L4_TRUNCATED;
    return;
  }
  if (l4off + win > window) {
    r->reason = NSGNIC_REASON_HDR_BEYOND_WINDOW;
    return;
  }
  const uint8_t *l4 = f + l4off;
  if (r->proto == 6 && (l4[12] >> 4) < 5) {
    r->reason = NSGNIC_REASON_TCP_BAD_OFFSET;
    return;
  }
  if (r->proto == 6 || r->proto == 17) {
    r->l4 = 1;
    r->sport = be16(l4);
    r->dport = be16(l4 + 2);
  }
  if (r->proto == 6)
    r->tcp_flags = ((l4[13] >> 1) & 1u) | ((l4[13] & 1u) << 1) | (((l4[13] >> 2) & 1u) << 2);
  r->reason = NSGNIC_REASON_NONE;
}

static void put16(uint8_t *p, unsigned v)
{
  p[0] = (uint8_t)(v >> 8);
  p[1] = (uint8_t)v;
}

static void put_addr(uint8_t *p, const uint32_t *w, unsigned bytes)
{
  for (unsigned i = 0; i < bytes; i++) {
    unsigned bit = (bytes - 1 - i) * 8;
    p[i] = (uint8_t)(w[bit / 32] >> (bit % 32));
  }
}

size_t pkt_build(const struct pkt_spec *s, uint8_t *buf, size_t cap)
{
  size_t l2 = s->vlan ? 18 : 14;
  size_t l3 = s->family == NSGNIC_FAMILY_IPV6 ? 40 : 20 + s->ip_opts;
  size_t l4 = s->proto == 6 ? 20 : (s->proto == 17 || s->proto == 1 || s->proto == 58) ? 8 : 0;
  size_t len = l2 + l3 + l4 + s->payload;
  if (len < 60)
    len = 60; /* Ethernet minimum (padding after the IP datagram) */
  if (len > cap)
    return 0;
  memset(buf, 0, len);
  for (int i = 0; i < 12; i++)
    buf[i] = (uint8_t)(0x02 + i);
  if (s->vlan) {
    put16(buf + 12, 0x8100);
    put16(buf + 14, 0x0123);
  }
  uint8_t *ip = buf + l2;
  put16(buf + l2 - 2, s->family == NSGNIC_FAMILY_IPV6 ? 0x86dd : 0x0800);
  if (s->family == NSGNIC_FAMILY_IPV6) {
    ip[0] = 0x60;
    put16(ip + 4, (unsigned)(l4 + s->payload));
    ip[6] = (uint8_t)s->proto;
    ip[7] = 64;
    put_addr(ip + 8, s->src, 16);
    put_addr(ip + 24, s->dst, 16);
  } else {
    ip[0] = (uint8_t)(0x40 | (l3 / 4));
    put16(ip + 2, (unsigned)(l3 + l4 + s->payload));
    ip[8] = 64;
    ip[9] = (uint8_t)s->proto;
    put_addr(ip + 12, s->src, 4);
    put_addr(ip + 16, s->dst, 4);
  }
  uint8_t *p4 = ip + l3;
  if (s->proto == 6 || s->proto == 17) {
    put16(p4, s->sport);
    put16(p4 + 2, s->dport);
  }
  if (s->proto == 6) {
    p4[12] = 0x50;
    p4[13] = (uint8_t)(((s->tcp_flags & 1u) << 1) | ((s->tcp_flags >> 1) & 1u) |
                       (((s->tcp_flags >> 2) & 1u) << 2) | 0x10);
  }
  if (s->proto == 17)
    put16(p4 + 4, (unsigned)(8 + s->payload));
  for (size_t i = l2 + l3 + l4; i < len; i++)
    buf[i] = (uint8_t)(i * 7);
  return len;
}

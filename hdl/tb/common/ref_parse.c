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

/* ICMP errors: the embedded packet (parser.sv, "ICMP errors"). */
static void parse_icmp_error(const uint8_t *f, size_t l4off, size_t l4avail, size_t window,
                             struct parse_result *r)
{
  int v6 = r->family == NSGNIC_FAMILY_IPV6;
  if (l4off + 8 > window)
    return;
  unsigned type = f[l4off];
  if (v6)
    r->icmp_err = r->proto == 58 && type >= 1 && type <= 4;
  else
    r->icmp_err = r->proto == 1 && (type == 3 || type == 4 || type == 5 || type == 11 || type == 12);
  if (!r->icmp_err)
    return;
  size_t ioff = l4off + 8, il4off;
  /* the shortest sane span (ICMP header, fixed inner header, 8 bytes) first, so that every byte
   * read below lies inside the IP payload and the window (as the hardware's final span checks) */
  size_t minspan = 8u + (v6 ? 40u : 20u) + 8u;
  if (l4avail < minspan || l4off + minspan > window)
    return;
  const uint8_t *ip = f + ioff;
  if (v6) {
    if (ip[0] >> 4 != 6 || is_ext6(ip[6]))
      return;
    r->iproto = ip[6];
    il4off = ioff + 40;
  } else {
    unsigned ihl = ip[0] & 15u;
    if (ip[0] >> 4 != 4 || ihl < 5 || (be16(ip + 6) & 0x1fff))
      return;
    r->iproto = ip[9];
    il4off = ioff + ihl * 4;
  }
  if (l4avail < il4off + 8 - l4off || il4off + 8 > window)
    return;
  addr_be(ip + (v6 ? 8 : 12), v6 ? 16 : 4, r->isrc);
  addr_be(ip + (v6 ? 24 : 16), v6 ? 16 : 4, r->idst);
  if (r->iproto == 6 || r->iproto == 17) {
    r->isport = be16(f + il4off);
    r->idport = be16(f + il4off + 2);
  }
  r->inner_ok = 1;
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
  parse_icmp_error(f, l4off, l4avail, window, r);
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
  if (s->proto == 1 || s->proto == 58) {
    p4[0] = (uint8_t)s->icmp_type;
    p4[1] = (uint8_t)s->icmp_code;
  }
  for (size_t i = l2 + l3 + l4; i < len; i++)
    buf[i] = (uint8_t)(i * 7);
  if (s->payload_bytes)
    memcpy(buf + l2 + l3 + l4, s->payload_bytes, s->payload);
  return len;
}

size_t pkt_build_icmp_error(const struct pkt_spec *outer, const struct pkt_spec *inner,
                            unsigned inner_bytes, uint8_t *buf, size_t cap)
{
  uint8_t in[2048];
  size_t n = pkt_build(inner, in, sizeof in);
  if (!n)
    return 0;
  size_t il2 = inner->vlan ? 18 : 14;
  size_t ilen = inner->family == NSGNIC_FAMILY_IPV6 ? 40u + be16(in + il2 + 4) : be16(in + il2 + 2);
  if (ilen > inner_bytes)
    ilen = inner_bytes;
  struct pkt_spec o = *outer;
  o.proto = o.family == NSGNIC_FAMILY_IPV6 ? 58 : 1;
  o.payload = (unsigned)ilen;
  o.payload_bytes = in + il2;
  return pkt_build(&o, buf, cap);
}

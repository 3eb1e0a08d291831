/* SPDX-License-Identifier: Apache-2.0 */
/* Packet parser of the slow path: Ethernet (one 802.1Q tag), IPv4 (options, fragments), IPv6
 * (extension headers incl. the fragment header), TCP, UDP, ICMP, ICMPv6 (errors: the embedded
 * header's tuple). Every length is checked before it is read; whatever cannot be read safely is a
 * drop reason (fail closed). A non-first fragment has no L4 header: frag = LATER, ports 0. */
#include <string.h>

#include "nsgnic/slowpath.h"

const char *nsg_pkt_err_name(enum nsg_pkt_err e)
{
  static const char *const n[NSG_PKT_ERRS] = {"ok",          "runt",           "non_ip",     "vlan_unsupported",
                                              "l3_truncated", "bad_ip_header", "l4_truncated", "bad_ipv6_ext"};
  return (unsigned)e < NSG_PKT_ERRS ? n[e] : "?";
}

static uint16_t be16(const uint8_t *p)
{
  return (uint16_t)(p[0] << 8 | p[1]);
}

static uint64_t be64(const uint8_t *p)
{
  uint64_t v = 0;
  for (int i = 0; i < 8; i++)
    v = v << 8 | p[i];
  return v;
}

static void addr6(const uint8_t *p, uint64_t a[2])
{
  a[1] = be64(p);
  a[0] = be64(p + 8);
}

static void addr4(const uint8_t *p, uint64_t a[2])
{
  a[0] = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
  a[1] = 0;
}

static bool is_ext(uint8_t nh)
{
  return nh == 0 || nh == 43 || nh == 44 || nh == 60 || nh == 51 || nh == 135 || nh == 139 || nh == 140;
}

/* Walks an IPv6 header chain from `p` (the fixed header) within n bytes: sets *proto, *off (of the
 * upper-layer header) and fragment info. Returns 0 or the error. */
static enum nsg_pkt_err ipv6_chain(const uint8_t *p, size_t n, uint8_t *proto, size_t *off, uint8_t *frag,
                                   uint32_t *frag_id)
{
  uint8_t nh = p[6];
  size_t o = 40;
  *frag = NSG_FRAG_NONE;
  for (int hops = 0; is_ext(nh); hops++) {
    if (hops > 8 || o + 8 > n)
      return NSG_PKT_BAD_EXT;
    if (nh == 44) {
      uint16_t fo = be16(p + o + 2);
      *frag_id = (uint32_t)p[o + 4] << 24 | (uint32_t)p[o + 5] << 16 | (uint32_t)p[o + 6] << 8 | p[o + 7];
      nh = p[o];
      o += 8;
      if (fo & 0xfff8) {
        *frag = NSG_FRAG_LATER;
        break;
      }
      if (fo & 1)
        *frag = NSG_FRAG_FIRST;
      continue;
    }
    size_t len = nh == 51 ? ((size_t)p[o + 1] + 2) * 4 : ((size_t)p[o + 1] + 1) * 8;
    nh = p[o];
    o += len;
  }
  if (o > n)
    return NSG_PKT_BAD_EXT;
  *proto = nh;
  *off = o;
  return NSG_PKT_OK;
}

/* The embedded packet of an ICMP error (as much as 8 bytes of L4 that the RFCs guarantee). */
static void inner_tuple(struct nsg_pkt *p, const uint8_t *q, size_t n)
{
  if (p->fam == 4) {
    if (n < 20 || (q[0] >> 4) != 4 || (size_t)(q[0] & 15) * 4 < 20 || (size_t)(q[0] & 15) * 4 + 4 > n)
      return;
    size_t ihl = (size_t)(q[0] & 15) * 4;
    p->inner.proto = q[9];
    addr4(q + 12, p->inner.src);
    addr4(q + 16, p->inner.dst);
    if (p->inner.proto == 6 || p->inner.proto == 17) {
      p->inner.sport = be16(q + ihl);
      p->inner.dport = be16(q + ihl + 2);
    } else if (p->inner.proto == 1 && (q[ihl] == 8 || q[ihl] == 0) && ihl + 6 <= n) {
      p->inner.sport = p->inner.dport = be16(q + ihl + 4);
    }
    p->icmp_error = true;
  } else {
    if (n < 40 || (q[0] >> 4) != 6)
      return;
    uint8_t proto, frag;
    size_t off;
    uint32_t fid;
    if (ipv6_chain(q, n, &proto, &off, &frag, &fid) != NSG_PKT_OK || off + 4 > n)
      return;
    p->inner.proto = proto;
    addr6(q + 8, p->inner.src);
    addr6(q + 24, p->inner.dst);
    if (proto == 6 || proto == 17) {
      p->inner.sport = be16(q + off);
      p->inner.dport = be16(q + off + 2);
    } else if (proto == 58 && (q[off] == 128 || q[off] == 129) && off + 6 <= n) {
      p->inner.sport = p->inner.dport = be16(q + off + 4);
    }
    p->icmp_error = true;
  }
}

enum nsg_pkt_err nsg_pkt_parse(const uint8_t *f, size_t len, struct nsg_pkt *p)
{
  return nsg_pkt_parse_head(f, len, len, p);
}

enum nsg_pkt_err nsg_pkt_parse_head(const uint8_t *f, size_t len, size_t wirelen, struct nsg_pkt *p)
{
  memset(p, 0, sizeof *p);
  p->len = (uint32_t)wirelen;
  if (wirelen < len)
    return NSG_PKT_BAD_IP;
  if (len < 14)
    return NSG_PKT_RUNT;
  memcpy(p->dst_mac, f, 6);
  memcpy(p->src_mac, f + 6, 6);
  uint16_t et = be16(f + 12);
  size_t o = 14;
  if (et == 0x8100) {
    if (len < 18)
      return NSG_PKT_RUNT;
    et = be16(f + 16);
    o = 18;
  }
  if (et == 0x8100 || et == 0x88a8)
    return NSG_PKT_VLAN;
  const uint8_t *ip = f + o;
  size_t n = len - o, wn = wirelen - o, l4off;
  if (et == 0x0800) {
    if (n < 20)
      return NSG_PKT_L3_TRUNCATED;
    size_t ihl = (size_t)(ip[0] & 15) * 4;
    size_t tot = be16(ip + 2);
    if ((ip[0] >> 4) != 4 || ihl < 20 || tot < ihl || tot > wn)
      return NSG_PKT_BAD_IP;
    if (ihl > n)
      return NSG_PKT_L3_TRUNCATED;
    if (tot < n)
      n = tot; /* ignore Ethernet padding */
    p->fam = 4;
    p->proto = ip[9];
    addr4(ip + 12, p->src);
    addr4(ip + 16, p->dst);
    uint16_t fo = be16(ip + 6);
    p->frag_id = be16(ip + 4);
    if (fo & 0x1fff)
      p->frag = NSG_FRAG_LATER;
    else if (fo & 0x2000)
      p->frag = NSG_FRAG_FIRST;
    l4off = ihl;
  } else if (et == 0x86dd) {
    if (n < 40)
      return NSG_PKT_L3_TRUNCATED;
    if ((ip[0] >> 4) != 6)
      return NSG_PKT_BAD_IP;
    size_t tot = 40 + (size_t)be16(ip + 4);
    if (tot > wn)
      return NSG_PKT_BAD_IP;
    if (tot < n)
      n = tot;
    p->fam = 6;
    addr6(ip + 8, p->src);
    addr6(ip + 24, p->dst);
    enum nsg_pkt_err e = ipv6_chain(ip, n, &p->proto, &l4off, &p->frag, &p->frag_id);
    if (e)
      return e;
  } else {
    return NSG_PKT_NON_IP;
  }
  if (p->frag == NSG_FRAG_LATER)
    return NSG_PKT_OK;
  const uint8_t *l4 = ip + l4off;
  size_t l4n = n - l4off;
  switch (p->proto) {
  case 6:
    if (l4n < 20 || (l4[12] >> 4) < 5)
      return NSG_PKT_L4_TRUNCATED;
    p->l4 = true;
    p->sport = be16(l4);
    p->dport = be16(l4 + 2);
    p->tcp_flags = l4[13];
    break;
  case 17:
    if (l4n < 8)
      return NSG_PKT_L4_TRUNCATED;
    p->l4 = true;
    p->sport = be16(l4);
    p->dport = be16(l4 + 2);
    break;
  case 1:
  case 58: {
    if ((p->proto == 1) != (p->fam == 4))
      break; /* ICMP in IPv6 / ICMPv6 in IPv4: just a protocol number */
    if (l4n < 8)
      return NSG_PKT_L4_TRUNCATED;
    p->icmp_type = l4[0];
    p->icmp_code = l4[1];
    bool echo = p->proto == 1 ? (l4[0] == 8 || l4[0] == 0) : (l4[0] == 128 || l4[0] == 129);
    bool err = p->proto == 1 ? (l4[0] == 3 || l4[0] == 4 || l4[0] == 5 || l4[0] == 11 || l4[0] == 12)
                             : (l4[0] >= 1 && l4[0] <= 4);
    if (echo)
      p->sport = p->dport = be16(l4 + 4);
    else if (err)
      inner_tuple(p, l4 + 8, l4n - 8);
    break;
  }
  default:
    break;
  }
  return NSG_PKT_OK;
}

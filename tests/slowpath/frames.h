/* SPDX-License-Identifier: Apache-2.0 */
/* Test frames: Ethernet + IPv4/IPv6 + TCP/UDP/ICMP built from strings, for the slow-path tests. */
#ifndef NSGNIC_TEST_FRAMES_H
#define NSGNIC_TEST_FRAMES_H

#include <arpa/inet.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

enum { T_FIN = 1, T_SYN = 2, T_RST = 4, T_ACK = 16 };

struct frame {
  uint8_t b[256];
  size_t n;
};

static inline void fr_put16(uint8_t *p, unsigned v)
{
  p[0] = (uint8_t)(v >> 8), p[1] = (uint8_t)v;
}

/* L4 header (TCP: 20 bytes, UDP: 8, ICMP: 8 + inner) at l4. Returns its length. */
static inline size_t fr_l4(uint8_t *l4, int proto, unsigned sp, unsigned dp, unsigned flags)
{
  if (proto == 6) {
    fr_put16(l4, sp), fr_put16(l4 + 2, dp);
    l4[12] = 0x50;
    l4[13] = (uint8_t)flags;
    return 20;
  }
  if (proto == 17) {
    fr_put16(l4, sp), fr_put16(l4 + 2, dp);
    fr_put16(l4 + 4, 8);
    return 8;
  }
  /* ICMP/ICMPv6: sp = type, dp = identifier */
  l4[0] = (uint8_t)sp;
  fr_put16(l4 + 4, dp);
  return 8;
}

/* IPv4 or IPv6 (by the address syntax) packet in an Ethernet frame. frag: IPv4 flags/offset
 * word (0x2000 MF, offset in 8-byte units). extra: bytes appended after the L4 header. */
static inline struct frame fr_make(const char *src, const char *dst, int proto, unsigned sp, unsigned dp,
                                   unsigned flags, unsigned frag, unsigned id, const uint8_t *extra, size_t nextra)
{
  struct frame f;
  memset(&f, 0, sizeof f);
  bool v6 = strchr(src, ':') != NULL;
  fr_put16(f.b + 12, v6 ? 0x86dd : 0x0800);
  f.b[0] = 0x02, f.b[6] = 0x02, f.b[11] = 1;
  uint8_t *ip = f.b + 14;
  size_t hl = v6 ? 40 : 20;
  uint8_t *l4 = ip + hl;
  size_t l4n = (frag & 0x1fff) ? 8 : fr_l4(l4, proto, sp, dp, flags);
  if (extra) {
    memcpy(l4 + l4n, extra, nextra);
    l4n += nextra;
  }
  if (v6) {
    ip[0] = 0x60;
    fr_put16(ip + 4, (unsigned)l4n);
    ip[6] = (uint8_t)proto;
    ip[7] = 64;
    inet_pton(AF_INET6, src, ip + 8);
    inet_pton(AF_INET6, dst, ip + 24);
  } else {
    ip[0] = 0x45;
    fr_put16(ip + 2, (unsigned)(20 + l4n));
    fr_put16(ip + 4, id);
    fr_put16(ip + 6, frag);
    ip[8] = 64;
    ip[9] = (uint8_t)proto;
    inet_pton(AF_INET, src, ip + 12);
    inet_pton(AF_INET, dst, ip + 16);
  }
  f.n = 14 + hl + l4n;
  return f;
}

static inline struct frame fr(const char *src, unsigned sp, const char *dst, unsigned dp, int proto, unsigned flags)
{
  return fr_make(src, dst, proto, sp, dp, flags, 0, 1, NULL, 0);
}

/* ICMPv4 error (type 3) from `router` to `to`, quoting an IPv4 UDP/TCP header src:sp -> dst:dp. */
static inline struct frame fr_icmp_err(const char *router, const char *to, const char *src, unsigned sp,
                                       const char *dst, unsigned dp, int proto)
{
  uint8_t in[28] = {0x45};
  fr_put16(in + 2, 28);
  in[8] = 64;
  in[9] = (uint8_t)proto;
  inet_pton(AF_INET, src, in + 12);
  inet_pton(AF_INET, dst, in + 16);
  fr_put16(in + 20, sp);
  fr_put16(in + 22, dp);
  return fr_make(router, to, 1, 3, 0, 0, 0, 7, in, sizeof in);
}

#endif

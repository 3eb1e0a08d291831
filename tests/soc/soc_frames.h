/* SPDX-License-Identifier: Apache-2.0 */
/* Test frames for the co-simulated NIC's tests. */
#ifndef SOC_FRAMES_H
#define SOC_FRAMES_H
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Ethernet II + IPv4 + TCP (20-byte headers, no options) from src:sp to dst:dp with TCP flags,
 * followed by `payload` bytes of a position-dependent pattern; zero-padded to the 60-byte
 * Ethernet minimum. f holds at least max(60, 54 + payload) bytes. Returns the frame length. */
static inline size_t soc_tcp_frame(uint8_t *f, size_t payload, const uint8_t src[4], uint16_t sp,
                                   const uint8_t dst[4], uint16_t dp, uint8_t flags)
{
  size_t ip_len = 40 + payload, len = 14 + ip_len < 60 ? 60 : 14 + ip_len;
  memset(f, 0, len);
  f[12] = 0x08;
  uint8_t *ip = f + 14, *t = ip + 20;
  ip[0] = 0x45;
  ip[2] = (uint8_t)(ip_len >> 8);
  ip[3] = (uint8_t)ip_len;
  ip[8] = 64;
  ip[9] = 6;
  memcpy(ip + 12, src, 4);
  memcpy(ip + 16, dst, 4);
  t[0] = (uint8_t)(sp >> 8), t[1] = (uint8_t)sp, t[2] = (uint8_t)(dp >> 8), t[3] = (uint8_t)dp;
  t[12] = 5 << 4;
  t[13] = flags;
  for (size_t i = 54; i < 14 + ip_len; i++)
    f[i] = (uint8_t)(i * 7 + 3);
  return len;
}

#endif

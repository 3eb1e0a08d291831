/* SPDX-License-Identifier: Apache-2.0 */
/* C twin of hdl/rtl/parser.sv (same checks, same order) and a packet builder for testbenches. */
#ifndef NSGNIC_TB_REF_PARSE_H
#define NSGNIC_TB_REF_PARSE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct parse_result {
  unsigned reason;      /* NSGNIC_REASON_* */
  unsigned family;      /* NSGNIC_FAMILY_* */
  unsigned proto, l4;
  uint32_t src[4], dst[4]; /* 128-bit little-endian words; IPv4 in src[0] */
  unsigned sport, dport;
  unsigned tcp_flags;   /* bit 0 SYN, 1 FIN, 2 RST */
  /* ICMP / ICMPv6 error (S5 RELATED): the embedded packet's tuple, meaningful when inner_ok */
  int icmp_err, inner_ok;
  unsigned iproto;
  uint32_t isrc[4], idst[4];
  unsigned isport, idport; /* 0 unless iproto is TCP or UDP */
};

/* Parses `len` bytes of `frame`; only the first `window` bytes are looked at (the hardware's
 * header window). Fields are meaningful only when reason is NSGNIC_REASON_NONE. */
void ref_parse(const uint8_t *frame, size_t len, size_t window, struct parse_result *r);

struct pkt_spec {
  int vlan;             /* add one 802.1Q tag */
  unsigned family, proto;
  uint32_t src[4], dst[4];
  unsigned sport, dport, tcp_flags;
  unsigned payload;     /* bytes after the L4 header */
  unsigned ip_opts;     /* IPv4 option bytes (multiple of 4, <= 40) */
  unsigned icmp_type, icmp_code; /* ICMP / ICMPv6 header (proto 1 / 58) */
  const uint8_t *payload_bytes;  /* the payload's bytes (NULL: a filler pattern) */
};

/* Writes a well-formed frame for `s` into buf (capacity cap); returns its length (0 if it does
 * not fit). */
size_t pkt_build(const struct pkt_spec *s, uint8_t *buf, size_t cap);

/* Writes an ICMP error (ICMPv4 if outer->family is IPv4, else ICMPv6; outer->proto is set
 * accordingly) of type/code `outer->icmp_type`/`icmp_code` that embeds the first `inner_bytes`
 * bytes of the IP datagram `inner` describes (the whole datagram when it is shorter). Returns the
 * frame length (0 if it does not fit). */
size_t pkt_build_icmp_error(const struct pkt_spec *outer, const struct pkt_spec *inner,
                            unsigned inner_bytes, uint8_t *buf, size_t cap);

#ifdef __cplusplus
}
#endif
#endif

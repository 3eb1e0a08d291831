// SPDX-License-Identifier: Apache-2.0
// parser testbench and fuzzer: well-formed frames (pkt_build), mutated ones (header bytes
// flipped, lengths changed, truncated) and random bytes, each compared with the C twin
// ref_parse(): same reason; same key fields when the frame is accepted. Bytes beyond the frame
// inside the header window are random garbage (the hardware window holds whatever came before).
// ICMP / ICMPv6 errors (S5 RELATED) embed a random packet, whole, truncated, of the other family,
// or with mutated inner bytes: the same icmp_err / inner_ok flags and, when inner_ok, the same
// inner tuple. The parser is pipelined (Latency clocks, one frame per clock): every clock takes
// a new frame, tagged through side_i (SideW = 32: bit 31 valid, the frame number), and the
// result that comes out with its tag is checked against that frame's reference; the latency must
// be the same for every frame (printed).
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "Vparser.h"
#include "nsgnic/abi.h"
#include "ref_parse.h"
#include "verilated.h"
#include "vl_bits.h"

static uint64_t rs = 0x243f6a8885a308d3ull;
static uint32_t rnd(void)
{
  rs ^= rs << 13;
  rs ^= rs >> 7;
  rs ^= rs << 17;
  return (uint32_t)(rs >> 11);
}

static void rand_spec(pkt_spec *s)
{
  static const unsigned protos[] = {6, 17, 1, 58, 50, 47, 6, 17};
  memset(s, 0, sizeof *s);
  s->vlan = rnd() % 4 == 0;
  s->family = rnd() % 3 == 0 ? NSGNIC_FAMILY_IPV6 : NSGNIC_FAMILY_IPV4;
  s->proto = protos[rnd() % 8];
  for (int i = 0; i < 4; i++) {
    s->src[i] = rnd();
    s->dst[i] = rnd();
  }
  if (s->family == NSGNIC_FAMILY_IPV4) {
    for (int i = 1; i < 4; i++) s->src[i] = s->dst[i] = 0;
    s->ip_opts = rnd() % 3 == 0 ? 4 * (rnd() % 11) : 0;
  }
  s->sport = rnd() & 0xffff;
  s->dport = rnd() & 0xffff;
  s->tcp_flags = rnd() & 7;
  s->payload = rnd() % 4 == 0 ? rnd() % 300 : rnd() % 24;
}

// An ICMP error about a random packet: mostly well formed, sometimes truncated inside the inner
// header, of the other family or with options, or with mutated inner bytes.
static size_t icmp_error_frame(uint8_t *buf, size_t cap)
{
  static const unsigned t4[] = {3, 4, 5, 11, 12, 0, 8, 3};
  static const unsigned t6[] = {1, 2, 3, 4, 128, 129, 2, 1};
  pkt_spec o, in;
  rand_spec(&o);
  rand_spec(&in);
  o.payload = 0;
  if (rnd() % 8) {
    in.family = o.family;
    if (in.family == NSGNIC_FAMILY_IPV4) {
      for (int i = 1; i < 4; i++) in.src[i] = in.dst[i] = 0;
    } else {
      in.ip_opts = 0;
    }
  }
  if (rnd() % 2) o.ip_opts = 0;
  o.icmp_type = o.family == NSGNIC_FAMILY_IPV6 ? t6[rnd() % 8] : t4[rnd() % 8];
  o.icmp_code = rnd() % 5;
  unsigned ihdr = in.family == NSGNIC_FAMILY_IPV6 ? 40 : 20 + in.ip_opts;
  unsigned k = rnd() % 4, ibytes = k == 0 ? rnd() % (ihdr + 9) : ihdr + 8 + (k == 1 ? rnd() % 64 : 0);
  size_t len = pkt_build_icmp_error(&o, &in, ibytes, buf, cap);
  if (rnd() % 4 == 0) {  // inner header fragment offset / version / IHL / next header bytes
    size_t at = (o.vlan ? 18 : 14) + (o.family == NSGNIC_FAMILY_IPV6 ? 40 : 20 + o.ip_opts) + 8;
    unsigned sel = rnd() % 4;
    size_t b = at + (sel == 0 ? 0 : sel == 1 ? 6 : sel == 2 ? 7 : rnd() % 48);
    if (b < len) buf[b] ^= (uint8_t)(1u << (rnd() % 8));
  }
  return len;
}

struct Sent {
  parse_result r;
  size_t len;
};

int main(int argc, char **argv)
{
  Verilated::commandArgs(argc, argv);
  long n = argc > 1 ? atol(argv[1]) : 100000;
  rs ^= argc > 2 ? strtoull(argv[2], nullptr, 0) : 0;
  Vparser *m = new Vparser;
  static uint8_t buf[2048];
  enum { Ring = 64 };
  static Sent sent[Ring];
  long errors = 0, accepted = 0, hist[NSGNIC_REASON_CODES] = {0}, icmp_errs = 0, inner_oks = 0;
  long checked = 0, latency = -1;
  m->clk_i = 0;
  m->rst_ni = 0;
  m->side_i = 0;
  m->eval();
  m->rst_ni = 1;
  m->eval();
  // the result leaving the pipeline after this clock's edge (tag = frame number)
  auto check = [&](long clk) {
    uint32_t tag = m->side_o;
    if (!(tag & 0x80000000u)) return;
    long idx = (long)(tag & 0x7fffffffu);
    long lat = clk - idx + 1;
    if (latency < 0) latency = lat;
    if (lat != latency || lat > Ring) {
      if (errors++ < 10) printf("frame %ld: latency %ld clocks, earlier %ld\n", idx, lat, latency);
      return;
    }
    checked++;
    const parse_result &r = sent[idx % Ring].r;
    size_t len = sent[idx % Ring].len;
    hist[r.reason]++;
    int bad = m->reason_o != r.reason;
    if (!bad && r.reason == NSGNIC_REASON_NONE) {
      accepted++;
      uint32_t s[4], d[4];
      tb::get_words(m->src_addr_o, 0, 128, s);
      tb::get_words(m->dst_addr_o, 0, 128, d);
      bad |= m->family_o != r.family || m->proto_o != r.proto || m->l4_o != r.l4 ||
             memcmp(s, r.src, 16) || memcmp(d, r.dst, 16) || m->src_port_o != r.sport ||
             m->dst_port_o != r.dport || m->tcp_flags_o != r.tcp_flags;
      bad |= m->icmp_err_o != r.icmp_err || m->inner_ok_o != r.inner_ok;
      icmp_errs += r.icmp_err;
      inner_oks += r.inner_ok;
      if (!bad && r.inner_ok) {
        tb::get_words(m->inner_src_addr_o, 0, 128, s);
        tb::get_words(m->inner_dst_addr_o, 0, 128, d);
        bad |= m->inner_proto_o != r.iproto || memcmp(s, r.isrc, 16) || memcmp(d, r.idst, 16) ||
               m->inner_src_port_o != r.isport || m->inner_dst_port_o != r.idport;
      }
    }
    if (bad && errors++ < 10)
      printf("frame %ld (len %zu): hw reason %u icmp_err %u inner_ok %u, ref reason %u %d %d\n", idx,
             len, m->reason_o, m->icmp_err_o, m->inner_ok_o, r.reason, r.icmp_err, r.inner_ok);
  };
  for (long i = 0; i < n + Ring; i++) {
    if (i < n) {
      for (size_t k = 0; k < sizeof buf; k++) buf[k] = (uint8_t)rnd();
      size_t len;
      unsigned kind = rnd() % 10;
      if (kind >= 8) {
        len = icmp_error_frame(buf, sizeof buf);
        if (kind == 9 && rnd() % 2) len = rnd() % (len + 1);  // truncated frame
      } else if (kind < 7) {
        pkt_spec s;
        rand_spec(&s);
        len = pkt_build(&s, buf, sizeof buf);
        if (kind >= 3) {  // mutate
          unsigned muts = 1 + rnd() % 3;
          for (unsigned u = 0; u < muts; u++) {
            switch (rnd() % 4) {
              case 0: buf[rnd() % 80] ^= (uint8_t)(1u << (rnd() % 8)); break;
              case 1: buf[rnd() % 80] = (uint8_t)rnd(); break;
              case 2: len = rnd() % (len + 1); break;                    // truncate
              default: buf[12 + rnd() % 50] = (uint8_t)(rnd() % 3 == 0 ? 0 : rnd()); break;
            }
          }
        }
      } else {  // random bytes, sometimes with an IP EtherType
        len = rnd() % 200;
        if (rnd() % 2) { buf[12] = rnd() % 2 ? 0x08 : 0x86; buf[13] = buf[12] == 0x08 ? 0x00 : 0xdd; }
        else if (rnd() % 2) { buf[12] = 0x81; buf[13] = 0x00; buf[16] = 0x88; buf[17] = 0xa8; }
      }
      uint32_t words[TB_HDRBYTES / 4];
      memcpy(words, buf, TB_HDRBYTES);
      tb::put(m->hdr_i, words, 0, TB_HDRBYTES * 8);
      m->len_i = (uint16_t)len;
      m->side_i = 0x80000000u | (uint32_t)i;
      ref_parse(buf, len, TB_HDRBYTES, &sent[i % Ring].r);
      sent[i % Ring].len = len;
    } else {
      m->side_i = 0;  // flush: empty slots
    }
    m->clk_i = 1;
    m->eval();
    check(i);
    m->clk_i = 0;
    m->eval();
  }
  printf("parser window=%d: %ld frames, latency %ld clocks, %ld accepted (%ld ICMP errors, %ld "
         "with a usable inner tuple), %ld errors; reasons:", TB_HDRBYTES, checked, latency, accepted,
         icmp_errs, inner_oks, errors);
  int kinds = 0;
  for (int k = 0; k < NSGNIC_REASON_CODES; k++)
    if (hist[k]) { printf(" %d:%ld", k, hist[k]); kinds++; }
  printf("\n");
  m->final();
  delete m;
  if (checked != n) { printf("FAIL: %ld of %ld frames came out\n", checked, n); return 1; }
  if (kinds < 12) { printf("FAIL: stimulus reached only %d reasons\n", kinds); return 1; }
  // the inner checks must be exercised both ways (a 64-byte window never holds an inner tuple)
  if (icmp_errs - inner_oks < n / 100 || (TB_HDRBYTES >= 128 && inner_oks < n / 100)) {
    printf("FAIL: stimulus reached too few ICMP errors\n");
    return 1;
  }
  return errors ? 1 : 0;
}

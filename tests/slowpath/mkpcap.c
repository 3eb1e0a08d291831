/* SPDX-License-Identifier: Apache-2.0 */
/* nsgnic-mkpcap OUT.pcap: example traffic for examples/three-tier (replay with `nsgnic run`):
 *  1. Internet client -> web:443 (allowed: Allow-Web-Internet), handshake, data, FIN both ways
 *  2. Internet client -> web:22 (denied: DenyAllInBound), SYN and its retransmission
 *  3. web -> app:8080 (NIC to NIC: outbound at web, inbound at app), reply, RST
 *  4. app -> Internet 93.184.216.34:443 (AllowInternetOutBound): the replies pass although the
 *     inbound rules deny Internet -> web on those ports (S5)
 *  5. IPv6 client -> web [fd10:10:0:1::4]:443
 *  6. web -> 168.63.129.16:53 UDP DNS (platform, S10) and reply
 *  7. ICMP echo app -> 8.8.8.8 and reply; a UDP packet app -> 93.184.216.35:33434 answered by an
 *     ICMP port-unreachable that refers to it (related)
 *  8. app -> db:11000 (denied at the db NIC's NSG), app -> db:1433 (allowed) and its reply
 *  9. a fragmented UDP datagram app -> Internet (first fragment decides the later one), and an
 *     orphan later fragment
 * 10. one packet 10 minutes later: the idle flows age out before it.
 *
 * nsgnic-mkpcap --scenario NAME OUT.pcap writes one of the stateful test scenarios instead:
 *  midconn  Internet client 203.0.114.7:50200 -> web:443: handshake and a request (4 packets),
 *           then 4 more packets of the same connection (request, response, request, response);
 *           replayed with `--update-at 4` and a configuration without Allow-Web-Internet (S5: the
 *           connection survives; with flushConnection it does not)
 *  aging    app -> Internet:443 handshake (3 packets) and web -> app:8080 handshake and RST
 *           (4 packets); 20 s later one more packet of the first (the RST flow has aged out: 10 s);
 *           11 minutes later a packet of the server on the same connection (the established
 *           flow has aged out: the example VNet's flowTimeoutInMinutes is 10, so the inbound rules
 *           deny it).
 *  minutes  eight minutes of traffic for the flow logs (S5: B, C every 5 minutes, E; one record
 *           per minute): a long HTTPS connection Internet -> web:443 with a request every 20 s,
 *           closed after 7 minutes; app -> Internet:443 every 45 s for 6 minutes, ended by RST;
 *           one short web -> app:8080 connection per minute (FIN close); UDP app -> Internet:5000
 *           every 20 s for 3 minutes, then idle (aged out); a half-open inbound connection
 *           (SYN, SYN-ACK, no ACK); denied attempts Internet -> web:22 and app -> db:11000. Gaps
 *           are whole seconds plus the 1 ms between packets, so no packet comes within a second
 *           of a flow's timeout (hardware ages in whole seconds).
 *  concurrent  --flows N (default 100,000) TCP connections open at once, all allowed: even ones
 *           Internet client 61.(i)->web:443 (Allow-Web-Internet), odd ones app:(port)->Internet
 *           62.(i):443 (AllowVnetOutBound); first every SYN, then every SYN-ACK, then every ACK
 *           (3N frames, 10 us apart: the whole capture lasts 3N x 10 us, far below the 30 s
 *           half-open timeout), plus one denied SYN Internet -> web:22 per 64 connections (D
 *           entries). Deterministic: addresses and ports are functions of i.
 *  soak     the concurrent scenario (--flows N), then 11 minutes later one denied SYN Internet ->
 *           web:22: every connection has been idle past its timeout (established: the example
 *           VNet's 10 minutes) and ages out before it (S5), nothing is left (soc_soak_*).
 *  jumbo    jumbo frames and IPv6 extension headers (issue 12): Internet client -> web:443 with
 *           9,014-byte frames both ways (and one of 9,216, the largest the device takes, and one
 *           of 9,300 that it drops as oversize); app -> Internet:443 with a jumbo request; IPv6
 *           client -> web:443 whose packets carry hop-by-hop, destination-options, routing and
 *           fragment headers (an atomic fragment, a first fragment and its later fragment), some
 *           of them jumbo; IPv6 -> web:22 with a hop-by-hop header (denied: DenyAllInBound); and
 *           an IPv6 UDP datagram to web:53 behind a destination-options header (denied). */
#define _DEFAULT_SOURCE 1
#include "opts.h"
#include <pcap/pcap.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static pcap_dumper_t *out;
static uint64_t t_us = 1700000000ull * 1000000;

static void put16(uint8_t *p, unsigned v)
{
  p[0] = (uint8_t)(v >> 8), p[1] = (uint8_t)v;
}

static uint64_t step_us = 1000; /* between two frames */

static void emit(const uint8_t *f, size_t n)
{
  struct pcap_pkthdr h = {.caplen = (bpf_u_int32)n, .len = (bpf_u_int32)n};
  t_us += step_us;
  h.ts.tv_sec = (time_t)(t_us / 1000000);
  h.ts.tv_usec = (suseconds_t)(t_us % 1000000);
  pcap_dump((u_char *)out, &h, f);
}

/* A NIC's MAC (00:0D:3A + the low three bytes of its address, like Azure's 00-0D-3A prefix) for
 * addresses of the example VNet (10.10/16, fd10:10::/48); the gateway's for the rest. */
static void mac_for(const uint8_t *a, size_t n, uint8_t *mac)
{
  static const uint8_t gw[6] = {0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc};
  bool nic = n == 4 ? (a[0] == 10 && a[1] == 10) : (a[0] == 0xfd && a[1] == 0x10 && a[3] == 0x10);
  if (!nic) {
    memcpy(mac, gw, 6);
    return;
  }
  mac[0] = 0x00, mac[1] = 0x0d, mac[2] = 0x3a;
  memcpy(mac + 3, a + n - 3, 3);
}

static void v4(const char *s, uint8_t *o)
{
  unsigned a, b, c, d;
  sscanf(s, "%u.%u.%u.%u", &a, &b, &c, &d);
  o[0] = (uint8_t)a, o[1] = (uint8_t)b, o[2] = (uint8_t)c, o[3] = (uint8_t)d;
}

/* IPv4 packet: proto, L4 header+payload bytes given, fragment offset/flags */
static void ip4(const char *src, const char *dst, uint8_t proto, const uint8_t *l4, size_t l4n, unsigned frag,
                unsigned id)
{
  uint8_t f[1600] = {0};
  put16(f + 12, 0x0800);
  uint8_t *ip = f + 14;
  ip[0] = 0x45;
  put16(ip + 2, (unsigned)(20 + l4n));
  put16(ip + 4, id);
  put16(ip + 6, frag);
  ip[8] = 64;
  ip[9] = proto;
  v4(src, ip + 12);
  v4(dst, ip + 16);
  mac_for(ip + 16, 4, f);
  mac_for(ip + 12, 4, f + 6);
  memcpy(ip + 20, l4, l4n);
  emit(f, 14 + 20 + l4n);
}

static void tcp4(const char *src, unsigned sp, const char *dst, unsigned dp, uint8_t flags, size_t payload)
{
  uint8_t l4[1500] = {0};
  put16(l4, sp);
  put16(l4 + 2, dp);
  l4[12] = 0x50;
  l4[13] = flags;
  ip4(src, dst, 6, l4, 20 + payload, 0, 1);
}

static void udp4(const char *src, unsigned sp, const char *dst, unsigned dp, size_t payload)
{
  uint8_t l4[1500] = {0};
  put16(l4, sp);
  put16(l4 + 2, dp);
  put16(l4 + 4, (unsigned)(8 + payload));
  ip4(src, dst, 17, l4, 8 + payload, 0, 2);
}

static void icmp4(const char *src, const char *dst, uint8_t type, unsigned id)
{
  uint8_t l4[64] = {0};
  l4[0] = type;
  put16(l4 + 4, id);
  ip4(src, dst, 1, l4, 64, 0, 3);
}

static void tcp6(const uint8_t s[16], unsigned sp, const uint8_t d[16], unsigned dp, uint8_t flags)
{
  uint8_t f[200] = {0};
  put16(f + 12, 0x86dd);
  uint8_t *ip = f + 14;
  ip[0] = 0x60;
  put16(ip + 4, 20);
  ip[6] = 6;
  ip[7] = 64;
  memcpy(ip + 8, s, 16);
  memcpy(ip + 24, d, 16);
  mac_for(d, 16, f);
  mac_for(s, 16, f + 6);
  put16(ip + 40, sp);
  put16(ip + 42, dp);
  ip[52] = 0x50;
  ip[53] = flags;
  emit(f, 14 + 40 + 20);
}

enum { FIN = 1, SYN = 2, RST = 4, PSH = 8, ACK = 16 };

/* IPv6 with extension headers: exts[] are the types in order (0 hop-by-hop, 43 routing, 60
 * destination options: 8 bytes each with padding; 44 fragment: frag = offset in 8-byte units << 3
 * | M, id 0x6a6a), then proto with l4 (l4n bytes). */
static void ip6x(const uint8_t s[16], const uint8_t d[16], const uint8_t *exts, size_t nexts, unsigned frag,
                 uint8_t proto, const uint8_t *l4, size_t l4n)
{
  static uint8_t f[9400];
  memset(f, 0, sizeof f);
  put16(f + 12, 0x86dd);
  uint8_t *ip = f + 14;
  ip[0] = 0x60;
  ip[6] = nexts ? exts[0] : proto;
  ip[7] = 64;
  memcpy(ip + 8, s, 16);
  memcpy(ip + 24, d, 16);
  mac_for(d, 16, f);
  mac_for(s, 16, f + 6);
  uint8_t *h = ip + 40;
  for (size_t i = 0; i < nexts; i++, h += 8) {
    h[0] = i + 1 < nexts ? exts[i + 1] : proto;
    if (exts[i] == 44) {
      put16(h + 2, frag);
      h[4] = h[5] = h[6] = h[7] = 0x6a;
    } else if (exts[i] == 43) {
      h[2] = 253; /* routing type 253 (RFC 4727, experimental), segments left 0: nothing to do */
    } else {
      h[2] = 1; /* PadN over the 6 option bytes */
      h[3] = 4;
    }
  }
  memcpy(h, l4, l4n);
  size_t plen = (size_t)(h - ip - 40) + l4n;
  put16(ip + 4, (unsigned)plen);
  emit(f, 14 + 40 + plen);
}

static void tcp6x(const uint8_t s[16], unsigned sp, const uint8_t d[16], unsigned dp, uint8_t flags,
                  const uint8_t *exts, size_t nexts, size_t payload)
{
  static uint8_t l4[9300];
  memset(l4, 0x5a, sizeof l4);
  memset(l4, 0, 20);
  put16(l4, sp);
  put16(l4 + 2, dp);
  l4[12] = 0x50;
  l4[13] = flags;
  ip6x(s, d, exts, nexts, 0, 6, l4, 20 + payload);
}

/* A TCP segment as an IPv4 frame of exactly len bytes (Ethernet included). */
static void tcp4len(const char *src, unsigned sp, const char *dst, unsigned dp, uint8_t flags, size_t len)
{
  static uint8_t f[9400];
  memset(f, 0x33, sizeof f);
  memset(f, 0, 14 + 20 + 20);
  put16(f + 12, 0x0800);
  uint8_t *ip = f + 14;
  ip[0] = 0x45;
  put16(ip + 2, (unsigned)(len - 14));
  put16(ip + 4, 7);
  ip[8] = 64;
  ip[9] = 6;
  v4(src, ip + 12);
  v4(dst, ip + 16);
  mac_for(ip + 16, 4, f);
  mac_for(ip + 12, 4, f + 6);
  put16(ip + 20, sp);
  put16(ip + 22, dp);
  ip[32] = 0x50;
  ip[33] = flags;
  emit(f, len);
}

static const char *web = "10.10.1.4", *app = "10.10.2.4", *db = "10.10.3.4", *cli = "203.0.114.7";

static void midconn(void)
{
  tcp4(cli, 50200, web, 443, SYN, 0);
  tcp4(web, 443, cli, 50200, SYN | ACK, 0);
  tcp4(cli, 50200, web, 443, ACK, 0);
  tcp4(cli, 50200, web, 443, PSH | ACK, 200);
  /* --update-at 4 */
  tcp4(web, 443, cli, 50200, PSH | ACK, 900);
  tcp4(cli, 50200, web, 443, PSH | ACK, 200);
  tcp4(web, 443, cli, 50200, PSH | ACK, 900);
  tcp4(cli, 50200, web, 443, ACK, 0);
}

static void aging(void)
{
  const char *srv = "93.184.216.34";
  tcp4(app, 51000, srv, 443, SYN, 0);
  tcp4(srv, 443, app, 51000, SYN | ACK, 0);
  tcp4(app, 51000, srv, 443, ACK, 0);
  tcp4(web, 40000, app, 8080, SYN, 0);
  tcp4(app, 8080, web, 40000, SYN | ACK, 0);
  tcp4(web, 40000, app, 8080, ACK, 0);
  tcp4(app, 8080, web, 40000, RST, 0);
  t_us += 20ull * 1000000;
  tcp4(app, 51000, srv, 443, PSH | ACK, 100);
  t_us += 660ull * 1000000;
  tcp4(srv, 443, app, 51000, PSH | ACK, 1000);
}

static void at(uint64_t base_us, unsigned sec)
{
  uint64_t t = base_us + (uint64_t)sec * 1000000;
  if (t > t_us)
    t_us = t;
}

static void minutes(void)
{
  const char *srv = "93.184.216.34";
  uint64_t base = t_us;
  /* every second of the 8 minutes, in order: the events due then */
  for (unsigned s = 0; s <= 480; s++) {
    at(base, s);
    if (s == 0) { /* the long HTTPS connection */
      tcp4(cli, 50300, web, 443, SYN, 0);
      tcp4(web, 443, cli, 50300, SYN | ACK, 0);
      tcp4(cli, 50300, web, 443, ACK, 0);
      tcp4(app, 51100, srv, 443, SYN, 0); /* app -> Internet */
      tcp4(srv, 443, app, 51100, SYN | ACK, 0);
      tcp4(app, 51100, srv, 443, ACK, 0);
    }
    if (s > 0 && s < 420 && s % 20 == 0) {
      tcp4(cli, 50300, web, 443, PSH | ACK, 200 + s % 7);
      tcp4(web, 443, cli, 50300, PSH | ACK, 1200 + s % 11);
    }
    if (s == 420) {
      tcp4(cli, 50300, web, 443, FIN | ACK, 0);
      tcp4(web, 443, cli, 50300, FIN | ACK, 0);
      tcp4(cli, 50300, web, 443, ACK, 0);
    }
    if (s > 0 && s < 360 && s % 45 == 0) {
      tcp4(app, 51100, srv, 443, PSH | ACK, 300);
      tcp4(srv, 443, app, 51100, PSH | ACK, 1400);
      tcp4(srv, 443, app, 51100, PSH | ACK, 700);
    }
    if (s == 360)
      tcp4(app, 51100, srv, 443, RST | ACK, 0);
    if (s % 60 == 5) { /* one short connection per minute */
      unsigned sp = 41000 + s / 60;
      tcp4(web, sp, app, 8080, SYN, 0);
      tcp4(app, 8080, web, sp, SYN | ACK, 0);
      tcp4(web, sp, app, 8080, ACK, 0);
      tcp4(web, sp, app, 8080, PSH | ACK, 150);
      tcp4(app, 8080, web, sp, PSH | ACK, 400);
      tcp4(web, sp, app, 8080, FIN | ACK, 0);
      tcp4(app, 8080, web, sp, FIN | ACK, 0);
      tcp4(web, sp, app, 8080, ACK, 0);
    }
    if (s >= 10 && s <= 190 && s % 20 == 10)
      udp4(app, 40500, srv, 5000, 64);
    if (s == 100) { /* half-open */
      tcp4(cli, 50400, web, 443, SYN, 0);
      tcp4(web, 443, cli, 50400, SYN | ACK, 0);
    }
    if (s % 90 == 30)
      tcp4(cli, 50500 + s / 90, web, 22, SYN, 0);
    if (s == 200 || s == 400)
      tcp4(app, 40600 + s / 200, db, 11000, SYN, 0);
  }
}

/* Connection i of the concurrent scenario: its two ends (dotted quads) and ports. */
static void conc_ends(unsigned i, char *a, unsigned *ap, char *b, unsigned *bp)
{
  unsigned j = i / 2;
  if (i % 2 == 0) { /* Internet client -> web:443 */
    snprintf(a, 16, "61.%u.%u.%u", (j >> 14) & 0xff, (j >> 6) & 0xff, 1 + (j & 0x3f) * 3);
    *ap = 1024 + (j * 7919u) % 60000;
    strcpy(b, web);
    *bp = 443;
  } else { /* app -> Internet:443 */
    strcpy(a, app);
    *ap = 1024 + j % 64000;
    snprintf(b, 16, "62.%u.%u.%u", (j >> 14) & 0xff, (j >> 6) & 0xff, 1 + (j & 0x3f) * 3);
    *bp = 443;
  }
}

static void concurrent(unsigned n)
{
  char a[16], b[16];
  unsigned ap, bp;
  step_us = 10;
  for (unsigned i = 0; i < n; i++) {
    conc_ends(i, a, &ap, b, &bp);
    tcp4(a, ap, b, bp, SYN, 0);
    if (i % 64 == 63)
      tcp4("61.255.0.1", 30000 + i / 64 % 30000, web, 22, SYN, 0); /* DenyAllInBound */
  }
  for (unsigned i = 0; i < n; i++) {
    conc_ends(i, a, &ap, b, &bp);
    tcp4(b, bp, a, ap, SYN | ACK, 0);
  }
  for (unsigned i = 0; i < n; i++) {
    conc_ends(i, a, &ap, b, &bp);
    tcp4(a, ap, b, bp, ACK, 0);
  }
}

/* concurrent(n), then every flow idle past its timeout before one last (denied) frame */
static void soak(unsigned n)
{
  concurrent(n);
  t_us += 660ull * 1000000;
  tcp4("61.255.0.2", 40000, web, 22, SYN, 0); /* DenyAllInBound */
}

static void jumbo(void)
{
  const char *srv = "93.184.216.34";
  tcp4(cli, 50400, web, 443, SYN, 0);
  tcp4(web, 443, cli, 50400, SYN | ACK, 0);
  tcp4(cli, 50400, web, 443, ACK, 0);
  tcp4len(cli, 50400, web, 443, PSH | ACK, 9014);
  tcp4len(web, 443, cli, 50400, PSH | ACK, 9014);
  tcp4len(web, 443, cli, 50400, PSH | ACK, 9216);
  tcp4len(web, 443, cli, 50400, PSH | ACK, 9300); /* over the device's 9,216: oversize there */
  tcp4len(cli, 50400, web, 443, ACK, 1514);
  tcp4(app, 51400, srv, 443, SYN, 0);
  tcp4(srv, 443, app, 51400, SYN | ACK, 0);
  tcp4len(app, 51400, srv, 443, PSH | ACK, 9014);
  tcp4len(srv, 443, app, 51400, PSH | ACK, 9014);
  uint8_t c6[16] = {0x26, 0x03, 0x10, 0x00, [15] = 0x77}, w6[16] = {0xfd, 0x10, 0x00, 0x10, 0, 0, 0, 1, [15] = 4};
  static const uint8_t hbh[] = {0}, dst[] = {60}, rt[] = {43}, chain[] = {0, 43, 60}, fr[] = {44}, hfr[] = {0, 44};
  tcp6x(c6, 50500, w6, 443, SYN, hbh, 1, 0);
  tcp6x(w6, 443, c6, 50500, SYN | ACK, NULL, 0, 0);
  tcp6x(c6, 50500, w6, 443, ACK, dst, 1, 0);
  tcp6x(c6, 50500, w6, 443, PSH | ACK, chain, 3, 9014 - 14 - 40 - 24 - 20); /* a 9,014-byte frame */
  tcp6x(w6, 443, c6, 50500, PSH | ACK, NULL, 0, 9014 - 14 - 40 - 20);
  tcp6x(w6, 443, c6, 50500, PSH | ACK, rt, 1, 1200);
  tcp6x(c6, 50500, w6, 443, ACK, fr, 1, 0); /* an atomic fragment (offset 0, M 0) */
  {
    uint8_t l4[2000];
    memset(l4, 0x42, sizeof l4);
    memset(l4, 0, 20);
    put16(l4, 50500);
    put16(l4 + 2, 443);
    l4[12] = 0x50;
    l4[13] = PSH | ACK;
    ip6x(c6, w6, hfr, 2, 0x0001, 6, l4, 1600);                /* first fragment: M */
    ip6x(c6, w6, fr, 1, (1600 / 8) << 3, 6, l4 + 1600, 400); /* the later one, offset 1600 */
  }
  tcp6x(c6, 50501, w6, 22, SYN, hbh, 1, 0); /* DenyAllInBound */
  {
    uint8_t u[8 + 40] = {0};
    put16(u, 53000);
    put16(u + 2, 53);
    put16(u + 4, sizeof u);
    ip6x(c6, w6, dst, 1, 0, 17, u, sizeof u); /* DenyAllInBound */
  }
}

static const struct cmd_doc doc = {
    "nsgnic-mkpcap", NULL, "[--scenario example|midconn|aging|minutes|concurrent|soak|jumbo] [--flows N] OUT.pcap",
    "write example traffic for examples/three-tier as an Ethernet pcap",
    "Scenarios: example (default: the demo's mixed traffic), midconn (a connection across a rule\n"
    "change, for --update-at), aging (flows idle past their timeouts, in pcap time), minutes (eight\n"
    "minutes of traffic for the flow logs), concurrent (--flows N TCP connections open at once,\n"
    "default 100000), soak (concurrent, then 11 minutes later one frame: every flow ages out),\n"
    "jumbo (jumbo frames and IPv6 extension headers).\n",
    "0 written; 1 OUT could not be written; 64 usage error",
};

int main(int argc, char **argv)
{
  const char *scenario = "example";
  unsigned long long nflows = 100000;
  const struct opt opts[] = {
      {"scenario", 's', OPT_STR, "S", "example (default), midconn, aging, minutes, concurrent, soak or jumbo", &scenario,
       NULL, 0, 0, 0, NULL},
      {"flows", 0, OPT_ULL, "N", "concurrent, soak: connections (default 100000)", &nflows, NULL, 1, 1000000, 0, NULL},
      OPT_HELP_ENTRY,
      OPT_END,
  };
  int rest;
  int pr = parse_opts(&doc, opts, argc, argv, 1, &rest);
  if (pr)
    return pr == 1 ? 0 : OPTS_EXIT_USAGE;
  if (argc - rest != 1)
    return usage_error(&doc, argc == rest ? "OUT.pcap is required" : "one OUT.pcap only");
  if (strcmp(scenario, "example") && strcmp(scenario, "midconn") && strcmp(scenario, "aging") &&
      strcmp(scenario, "minutes") && strcmp(scenario, "concurrent") && strcmp(scenario, "soak") &&
      strcmp(scenario, "jumbo"))
    return usage_error(&doc, "unknown scenario '%s' (example, midconn, aging, minutes, concurrent, soak, jumbo)",
                       scenario);
  if (strcmp(scenario, "example") == 0)
    scenario = NULL;
  pcap_t *p = pcap_open_dead(DLT_EN10MB, 65535);
  out = pcap_dump_open(p, argv[rest]);
  if (!out) {
    fprintf(stderr, "nsgnic-mkpcap: %s\n", pcap_geterr(p));
    return 1;
  }
  if (scenario) {
    if (strcmp(scenario, "midconn") == 0)
      midconn();
    else if (strcmp(scenario, "minutes") == 0)
      minutes();
    else if (strcmp(scenario, "concurrent") == 0)
      concurrent((unsigned)nflows);
    else if (strcmp(scenario, "soak") == 0)
      soak((unsigned)nflows);
    else if (strcmp(scenario, "jumbo") == 0)
      jumbo();
    else
      aging();
    pcap_dump_close(out);
    pcap_close(p);
    return 0;
  }
  /* 1 */
  tcp4(cli, 50123, web, 443, SYN, 0);
  tcp4(web, 443, cli, 50123, SYN | ACK, 0);
  tcp4(cli, 50123, web, 443, ACK, 0);
  tcp4(cli, 50123, web, 443, PSH | ACK, 300);
  tcp4(web, 443, cli, 50123, PSH | ACK, 1200);
  tcp4(cli, 50123, web, 443, FIN | ACK, 0);
  tcp4(web, 443, cli, 50123, FIN | ACK, 0);
  tcp4(cli, 50123, web, 443, ACK, 0);
  /* 2 */
  tcp4(cli, 50124, web, 22, SYN, 0);
  tcp4(cli, 50124, web, 22, SYN, 0);
  /* 3 */
  tcp4(web, 40000, app, 8080, SYN, 0);
  tcp4(app, 8080, web, 40000, SYN | ACK, 0);
  tcp4(web, 40000, app, 8080, ACK, 0);
  tcp4(web, 40000, app, 8080, PSH | ACK, 100);
  tcp4(app, 8080, web, 40000, RST, 0);
  /* 4 */
  tcp4(app, 51000, "93.184.216.34", 443, SYN, 0);
  tcp4("93.184.216.34", 443, app, 51000, SYN | ACK, 0);
  tcp4(app, 51000, "93.184.216.34", 443, ACK, 0);
  tcp4("93.184.216.34", 443, app, 51000, PSH | ACK, 1400);
  tcp4("93.184.216.34", 443, app, 51000, PSH | ACK, 1400);
  /* 5 */
  uint8_t c6[16] = {0x26, 0x03, 0x10, 0x00, [15] = 0x99}, w6[16] = {0xfd, 0x10, 0x00, 0x10, 0, 0, 0, 1, [15] = 4};
  tcp6(c6, 50000, w6, 443, SYN);
  tcp6(w6, 443, c6, 50000, SYN | ACK);
  tcp6(c6, 50000, w6, 443, ACK);
  /* 6 */
  udp4(web, 53000, "168.63.129.16", 53, 40);
  udp4("168.63.129.16", 53, web, 53000, 120);
  /* 7 */
  icmp4(app, "8.8.8.8", 8, 77);
  icmp4("8.8.8.8", app, 0, 77);
  udp4(app, 40001, "93.184.216.35", 33434, 32);
  {
    uint8_t l4[8 + 28] = {3, 3};
    uint8_t *in = l4 + 8; /* the embedded IPv4 + UDP header of the packet above */
    in[0] = 0x45;
    put16(in + 2, 60);
    in[8] = 1;
    in[9] = 17;
    v4(app, in + 12);
    v4("93.184.216.35", in + 16);
    put16(in + 20, 40001);
    put16(in + 22, 33434);
    ip4("192.0.2.1", app, 1, l4, sizeof l4, 0, 4);
  }
  /* 8 */
  tcp4(app, 40100, db, 11000, SYN, 0);
  tcp4(app, 40101, db, 1433, SYN, 0); /* allowed: Allow-App-To-Sql + Allow-Sql-From-App-Subnet */
  tcp4(db, 1433, app, 40101, SYN | ACK, 0);
  /* 9 */
  {
    uint8_t l4[1008] = {0};
    put16(l4, 40002);
    put16(l4 + 2, 5000);
    put16(l4 + 4, 2000);
    ip4(app, "93.184.216.34", 17, l4, 1008, 0x2000, 99); /* MF, offset 0 */
    ip4(app, "93.184.216.34", 17, l4, 992, 126, 99);     /* offset 1008 */
    ip4(app, "93.184.216.34", 17, l4, 500, 126, 100);    /* orphan */
  }
  /* 10 */
  t_us += 600ull * 1000000;
  tcp4(app, 51000, "93.184.216.34", 443, ACK, 0); /* aged out: a new (picked up) flow */
  pcap_dump_close(out);
  pcap_close(p);
  return 0;
}

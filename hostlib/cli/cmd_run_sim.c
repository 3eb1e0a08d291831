/* SPDX-License-Identifier: Apache-2.0 */
/* nsgnic run --sim: replays a pcap through the co-simulated NIC — the Verilated SoC running the
 * firmware, the configuration compiled and loaded through its mailbox (nsgnic/simnic.h) — with
 * the host's slow path behind it for every frame the datapath punts (the exception path). Each
 * frame enters on the port its addresses give (source on a local NIC: that NIC's VF; else
 * destination on a local NIC: the wire of its VNet). Hardware flow learning is on, so replies
 * of allowed flows hit the flow cache (S5). The device runs as fast as it can: pcap timestamps
 * drive the slow path's clock only (no aging of hardware flows during a replay). */
#define _DEFAULT_SOURCE 1 /* libpcap needs the BSD u_int types */
#include <errno.h>
#include <inttypes.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "nsgnic/abi.h"
#include "nsgnic/simnic.h"
#include "nsgnic/slowpath.h"

/* One summary row: (NIC, rule) with its counts. */
struct row {
  char nic[64], rule[300];
  uint64_t allowed, denied, punted, host_allowed;
};

struct summary {
  struct row *rows;
  size_t n, cap;
  uint64_t frames, allowed, denied, punted, host_allowed, host_denied, dropped, no_nic, truncated;
  uint64_t learned, flow_hits;
};

static struct row *row_of(struct summary *s, const char *nic, const char *rule)
{
  for (size_t i = 0; i < s->n; i++)
    if (!strcmp(s->rows[i].nic, nic) && !strcmp(s->rows[i].rule, rule))
      return &s->rows[i];
  if (s->n == s->cap) {
    size_t cap = s->cap ? 2 * s->cap : 32;
    struct row *r = realloc(s->rows, cap * sizeof *r);
    if (!r)
      return NULL;
    s->rows = r;
    s->cap = cap;
  }
  struct row *r = &s->rows[s->n++];
  memset(r, 0, sizeof *r);
  snprintf(r->nic, sizeof r->nic, "%s", nic);
  snprintf(r->rule, sizeof r->rule, "%s", rule);
  return r;
}

static void json_str(const char *s)
{
  putchar('"');
  for (; *s; s++) {
    if (*s == '"' || *s == '\\')
      putchar('\\');
    putchar(*s);
  }
  putchar('"');
}

static void print_summary(const struct summary *s, const struct nsg_simnic_stats *st, double secs, bool json)
{
  if (json) {
    printf("{\"engine\":\"sim\",\"frames\":%" PRIu64 ",\"allowed\":%" PRIu64 ",\"denied\":%" PRIu64
           ",\"punted\":%" PRIu64 ",\"hostAllowed\":%" PRIu64 ",\"hostDenied\":%" PRIu64 ",\"dropped\":%" PRIu64
           ",\"noNic\":%" PRIu64 ",\"truncated\":%" PRIu64 ",\"flowsLearned\":%" PRIu64 ",\"flowHits\":%" PRIu64
           ",\"loadCycles\":%" PRIu64 ",\"tcamWrites\":%zu,\"seconds\":%.3f,\"rules\":[",
           s->frames, s->allowed, s->denied, s->punted, s->host_allowed, s->host_denied, s->dropped, s->no_nic,
           s->truncated, s->learned, s->flow_hits, st->load_cycles, st->tcam_writes, secs);
    for (size_t i = 0; i < s->n; i++) {
      const struct row *r = &s->rows[i];
      printf("%s{\"nic\":", i ? "," : "");
      json_str(r->nic);
      printf(",\"rule\":");
      json_str(r->rule);
      printf(",\"allowed\":%" PRIu64 ",\"denied\":%" PRIu64 ",\"punted\":%" PRIu64 ",\"hostAllowed\":%" PRIu64 "}",
             r->allowed, r->denied, r->punted, r->host_allowed);
    }
    printf("]}\n");
    return;
  }
  printf("simulated NIC: %" PRIu64 " frames in %.2f s: %" PRIu64 " allowed by the datapath, %" PRIu64
         " denied, %" PRIu64 " punted to the host (%" PRIu64 " allowed there, %" PRIu64 " denied), %" PRIu64
         " dropped (malformed/oversize), %" PRIu64 " not for a local NIC, %" PRIu64 " truncated in the capture\n",
         s->frames, secs, s->allowed, s->denied, s->punted, s->host_allowed, s->host_denied, s->dropped, s->no_nic,
         s->truncated);
  printf("flows learned by the hardware: %" PRIu64 ", flow-cache hits: %" PRIu64 "; tables: %zu TCAM writes in %"
         PRIu64 " device cycles\n", s->learned, s->flow_hits, st->tcam_writes, st->load_cycles);
  printf("%-14s %-50s %8s %8s %8s %8s\n", "NIC", "RULE", "ALLOWED", "DENIED", "PUNTED", "HOST-OK");
  for (size_t i = 0; i < s->n; i++) {
    const struct row *r = &s->rows[i];
    printf("%-14s %-50s %8" PRIu64 " %8" PRIu64 " %8" PRIu64 " %8" PRIu64 "\n", r->nic, r->rule, r->allowed,
           r->denied, r->punted, r->host_allowed);
  }
}

int cmd_run_sim(int argc, char **argv)
{
  struct common c = {0};
  nsg_options_default(&c.opts);
  const char *pcap = NULL, *out_pcap = NULL, *firmware = NULL, *trace = NULL;
  for (int i = 0; i < argc; i++) {
    int r = parse_common(&c, argc, argv, &i);
    if (r < 0)
      return EXIT_USAGE;
    if (r)
      continue;
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (!strcmp(a, "--sim"))
      continue;
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
      usage_run(stdout);
      return 0;
    }
    const char **dst = !strcmp(a, "--pcap") ? &pcap : !strcmp(a, "--out-pcap") ? &out_pcap
                     : !strcmp(a, "--firmware") ? &firmware : !strcmp(a, "--trace") ? &trace : NULL;
    if (!dst) {
      fprintf(stderr, "nsgnic run --sim: unknown option '%s' (--sim takes --pcap, --out-pcap, --firmware, "
                      "--trace, --json); try 'nsgnic help run'\n", a);
      return EXIT_USAGE;
    }
    if (!v) {
      fprintf(stderr, "nsgnic run: option %s needs a value\n", a);
      return EXIT_USAGE;
    }
    *dst = v;
    i++;
  }
  if (!pcap) {
    fprintf(stderr, "nsgnic run: --pcap IN is required; try 'nsgnic help run'\n");
    return EXIT_USAGE;
  }
  struct nsg_config *cfg = load(&c);
  if (!cfg)
    return EXIT_CONFIG;
  int rc = EXIT_QUERY;
  char eb[PCAP_ERRBUF_SIZE], err[512] = "";
  pcap_t *in = NULL;
  pcap_dumper_t *out = NULL;
  struct nsg_simnic *n = NULL;
  struct nsg_slowpath *sp = NULL;
  struct summary s = {0};
  if (!(in = pcap_open_offline(pcap, eb))) {
    fprintf(stderr, "nsgnic: cannot read %s: %s\n", pcap, eb);
    goto out;
  }
  if (pcap_datalink(in) != DLT_EN10MB) {
    fprintf(stderr, "nsgnic: %s is not an Ethernet capture (link type %d)\n", pcap, pcap_datalink(in));
    goto out;
  }
  if (out_pcap && !(out = pcap_dump_open(in, out_pcap))) {
    fprintf(stderr, "nsgnic: cannot write %s: %s\n", out_pcap, pcap_geterr(in));
    goto out;
  }
  struct nsg_simnic_opts so;
  nsg_simnic_opts_default(&so);
  so.firmware = firmware ? firmware : getenv("NSGNIC_FIRMWARE");
  so.trace = trace;
  so.learn = true;
  if (!(n = nsg_simnic_new(cfg, &so, err, sizeof err))) {
    fprintf(stderr, "nsgnic run --sim: %s\n", err);
    goto out;
  }
  struct nsg_slowpath_opts spo;
  nsg_slowpath_opts_default(&spo);
  if (!(sp = nsg_slowpath_new(cfg, &spo))) {
    fprintf(stderr, "nsgnic run --sim: cannot start the host slow path: %s\n", strerror(errno));
    goto out;
  }
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  struct pcap_pkthdr *h;
  const u_char *data;
  uint64_t now = 0;
  rc = 0;
  while (pcap_next_ex(in, &h, &data) == 1) {
    uint64_t t = (uint64_t)h->ts.tv_sec * NSG_SEC + (uint64_t)h->ts.tv_usec * 1000;
    if (t > now)
      now = t;
    s.frames++;
    if (h->caplen < h->len || h->caplen == 0) {
      s.truncated++;
      continue;
    }
    struct nsg_simnic_frame f;
    int r = nsg_simnic_frame(n, data, h->caplen, &f, err, sizeof err);
    if (r) {
      fprintf(stderr, "nsgnic run --sim: frame %" PRIu64 ": %s\n", s.frames, err);
      rc = EXIT_QUERY;
      break;
    }
    s.learned += f.learned;
    s.flow_hits += f.flow_hit;
    struct row *row = f.nic ? row_of(&s, f.nic, f.rule[0] ? f.rule : "-") : NULL;
    bool pass = false;
    switch (f.fate) {
    case NSG_SIMNIC_ALLOWED:
      s.allowed++;
      if (row)
        row->allowed++;
      pass = true;
      break;
    case NSG_SIMNIC_DENIED:
      s.denied++;
      if (row)
        row->denied++;
      break;
    case NSG_SIMNIC_PUNTED: {
      s.punted++;
      if (row)
        row->punted++;
      struct nsg_sp_result spr;
      nsg_slowpath_frame(sp, data, h->caplen, now, &spr);
      pass = spr.forward;
      if (pass) {
        s.host_allowed++;
        if (row)
          row->host_allowed++;
      } else {
        s.host_denied++;
      }
      break;
    }
    case NSG_SIMNIC_DROPPED: s.dropped++; break;
    case NSG_SIMNIC_NO_NIC: s.no_nic++; break;
    }
    if (pass && out)
      pcap_dump((u_char *)out, h, data);
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  nsg_slowpath_finish(sp, now);
  struct nsg_simnic_stats st;
  nsg_simnic_get_stats(n, &st);
  print_summary(&s, &st, (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9, c.json);
out:
  if (out)
    pcap_dump_close(out);
  if (in)
    pcap_close(in);
  nsg_slowpath_free(sp);
  nsg_simnic_free(n);
  free(s.rows);
  nsg_config_free(cfg);
  return rc;
}

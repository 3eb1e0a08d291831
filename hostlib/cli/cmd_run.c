/* SPDX-License-Identifier: Apache-2.0 */
/* nsgnic run: replays a pcap through the software slow path (classifier + connection tracking +
 * flow logs) and prints what happened; `nsgnic flows` lists the flows such a replay leaves. */
#define _DEFAULT_SOURCE 1 /* libpcap needs the BSD u_int types */
#include <errno.h>
#include <inttypes.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "nsgnic/slowpath.h"

void usage_run(FILE *f)
{
  fprintf(f, "usage: nsgnic run --config F... --pcap IN [--out-pcap OUT] [--flow-log FILE]\n"
             "                  [--flow-log-format nsg-v2|vnet] [--flow-limit N] [--json]\n"
             "       nsgnic run --sim --config F... --pcap IN [--out-pcap OUT] [--firmware ELF]\n"
             "                  [--trace FILE.fst] [--json]\n"
             "  --sim                   through the co-simulated NIC (Verilated SoC + firmware; the host\n"
             "                          slow path decides what it punts): cmd_run_sim.c\n"
             "  --pcap IN               Ethernet pcap to replay (packet timestamps are the flow time)\n"
             "  --out-pcap OUT          write the packets that pass\n"
             "  --flow-log FILE         write flow logs (Azure NSG flow log v2 JSON, or VNet flow logs)\n"
             "  --flow-log-format F     nsg-v2 (default) or vnet\n"
             "  --flow-limit N          flows per NIC per direction (S5, default 500000)\n");
  usage_common(f);
}

void usage_flows(FILE *f)
{
  fprintf(f, "usage: nsgnic flows --config F... --pcap IN [--json]\n"
             "  replays IN through the slow path and lists the flows it tracks at the end: NIC, key,\n"
             "  state, age, idle time, counters, where the flow lives (hw/sw), deciding rule\n");
  usage_common(f);
}

struct run_opts {
  struct common c;
  const char *pcap, *out_pcap, *flow_log;
  enum nsg_flowlog_format fmt;
  long limit;
};

static int parse(struct run_opts *o, const char *cmd, int argc, char **argv, void (*use)(FILE *))
{
  nsg_options_default(&o->c.opts);
  o->fmt = NSG_FLOWLOG_NSG_V2;
  o->limit = -1;
  for (int i = 0; i < argc; i++) {
    int r = parse_common(&o->c, argc, argv, &i);
    if (r < 0)
      return EXIT_USAGE;
    if (r)
      continue;
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      use(stdout);
      return -1;
    }
    bool takes = strcmp(a, "--pcap") == 0 || strcmp(a, "--out-pcap") == 0 || strcmp(a, "--flow-log") == 0 ||
                 strcmp(a, "--flow-log-format") == 0 || strcmp(a, "--flow-limit") == 0;
    if (!takes) {
      fprintf(stderr, "nsgnic %s: unknown option '%s'; try 'nsgnic help %s'\n", cmd, a, cmd);
      return EXIT_USAGE;
    }
    if (!v) {
      fprintf(stderr, "nsgnic %s: option %s needs a value\n", cmd, a);
      return EXIT_USAGE;
    }
    i++;
    if (strcmp(a, "--pcap") == 0)
      o->pcap = v;
    else if (strcmp(a, "--out-pcap") == 0)
      o->out_pcap = v;
    else if (strcmp(a, "--flow-log") == 0)
      o->flow_log = v;
    else if (strcmp(a, "--flow-log-format") == 0) {
      if (nsg_flowlog_format_parse(v, &o->fmt) < 0) {
        fprintf(stderr, "nsgnic %s: --flow-log-format is nsg-v2 or vnet, not '%s'\n", cmd, v);
        return EXIT_USAGE;
      }
    } else {
      char *end;
      o->limit = strtol(v, &end, 10);
      if (*end || o->limit < 1) {
        fprintf(stderr, "nsgnic %s: --flow-limit needs a positive number\n", cmd);
        return EXIT_USAGE;
      }
    }
  }
  if (!o->pcap) {
    fprintf(stderr, "nsgnic %s: --pcap IN is required; try 'nsgnic help %s'\n", cmd, cmd);
    return EXIT_USAGE;
  }
  return 0;
}

/* Replays the pcap; returns the slow path (NULL on error, exit code in *rc). */
static struct nsg_slowpath *replay(struct run_opts *o, struct nsg_config *cfg, FILE *flog, uint64_t *end, int *rc)
{
  char eb[PCAP_ERRBUF_SIZE];
  pcap_t *in = pcap_open_offline(o->pcap, eb);
  if (!in) {
    fprintf(stderr, "nsgnic: cannot read %s: %s\n", o->pcap, eb);
    *rc = EXIT_QUERY;
    return NULL;
  }
  if (pcap_datalink(in) != DLT_EN10MB) {
    fprintf(stderr, "nsgnic: %s is not an Ethernet capture (link type %d)\n", o->pcap, pcap_datalink(in));
    pcap_close(in);
    *rc = EXIT_QUERY;
    return NULL;
  }
  pcap_dumper_t *out = NULL;
  if (o->out_pcap && !(out = pcap_dump_open(in, o->out_pcap))) {
    fprintf(stderr, "nsgnic: cannot write %s: %s\n", o->out_pcap, pcap_geterr(in));
    pcap_close(in);
    *rc = EXIT_QUERY;
    return NULL;
  }
  struct nsg_slowpath_opts so;
  nsg_slowpath_opts_default(&so);
  so.flow_log = flog;
  so.flow_log_format = o->fmt;
  if (o->limit > 0)
    so.ct.per_nic_limit = (uint32_t)o->limit;
  struct nsg_slowpath *sp = nsg_slowpath_new(cfg, &so);
  if (!sp) {
    fprintf(stderr, "nsgnic: cannot start the slow path: %s\n", strerror(errno));
    if (out)
      pcap_dump_close(out);
    pcap_close(in);
    *rc = EXIT_QUERY;
    return NULL;
  }
  struct pcap_pkthdr *h;
  const u_char *data;
  uint64_t now = 0;
  while (pcap_next_ex(in, &h, &data) == 1) {
    uint64_t t = (uint64_t)h->ts.tv_sec * NSG_SEC + (uint64_t)h->ts.tv_usec * 1000;
    if (t > now)
      now = t;
    struct nsg_sp_result r;
    nsg_slowpath_frame(sp, data, h->caplen, now, &r);
    if (r.forward && out)
      pcap_dump((u_char *)out, h, data);
  }
  nsg_slowpath_finish(sp, now);
  *end = now;
  if (out)
    pcap_dump_close(out);
  pcap_close(in);
  *rc = 0;
  return sp;
}

int cmd_run(int argc, char **argv)
{
  for (int i = 0; i < argc; i++)
    if (strcmp(argv[i], "--sim") == 0)
      return cmd_run_sim(argc, argv);
  struct run_opts o = {0};
  int rc = parse(&o, "run", argc, argv, usage_run);
  if (rc)
    return rc < 0 ? 0 : rc;
  struct nsg_config *cfg = load(&o.c);
  if (!cfg)
    return EXIT_CONFIG;
  FILE *flog = NULL;
  if (o.flow_log && !(flog = fopen(o.flow_log, "w"))) {
    fprintf(stderr, "nsgnic run: cannot write %s: %s\n", o.flow_log, strerror(errno));
    nsg_config_free(cfg);
    return EXIT_QUERY;
  }
  uint64_t end;
  struct nsg_slowpath *sp = replay(&o, cfg, flog, &end, &rc);
  if (sp) {
    nsg_slowpath_summary(sp, stdout, o.c.json);
    nsg_slowpath_free(sp); /* completes the flow log */
  }
  if (flog)
    fclose(flog);
  nsg_config_free(cfg);
  return rc;
}

struct list_ctx {
  struct nsg_slowpath *sp;
  uint64_t now;
  bool json, first;
};

static int print_flow(void *ctx, long id, const struct nsg_flow_info *i)
{
  struct list_ctx *l = ctx;
  char a[64], b[64], rule[300];
  nsg_addr_format(i->key.fam, i->key.local, a, sizeof a);
  nsg_addr_format(i->key.fam, i->key.remote, b, sizeof b);
  nsg_slowpath_tag_name(l->sp, i->tag, rule, sizeof rule);
  double age = (double)(l->now - i->created) / 1e9, idle = (double)(l->now - i->last) / 1e9;
  const char *nic = nsg_slowpath_nic_name(l->sp, i->key.nic);
  if (l->json) {
    printf("%s{\"id\":%ld,\"nic\":\"%s\",\"proto\":%u,\"local\":\"%s\",\"localPort\":%u,\"remote\":\"%s\","
           "\"remotePort\":%u,\"initiator\":\"%s\",\"state\":\"%s\",\"ageSeconds\":%.3f,\"idleSeconds\":%.3f,"
           "\"where\":\"%s\",\"rule\":\"%s\",\"packets\":[%" PRIu64 ",%" PRIu64 "],\"bytes\":[%" PRIu64 ",%" PRIu64 "]}",
           l->first ? "" : ",\n", id, nic, i->key.proto, a, i->key.lport, b, i->key.rport,
           i->init_outbound ? "local" : "remote", nsg_ct_state_name(i->state), age, idle,
           i->where == NSG_FLOW_HW ? "hw" : "sw", rule, i->pkts[0], i->pkts[1], i->bytes[0], i->bytes[1]);
  } else {
    char lk[90], rk[90];
    snprintf(lk, sizeof lk, "%s%s%s:%u", i->key.fam == 6 ? "[" : "", a, i->key.fam == 6 ? "]" : "", i->key.lport);
    snprintf(rk, sizeof rk, "%s%s%s:%u", i->key.fam == 6 ? "[" : "", b, i->key.fam == 6 ? "]" : "", i->key.rport);
    printf("%-12s %-3u %-26s %s %-26s %-12s %8.1f %8.1f %-2s %6" PRIu64 "/%-6" PRIu64 " %8" PRIu64 "/%-8" PRIu64 " %s\n",
           nic, i->key.proto, lk, i->init_outbound ? "->" : "<-", rk, nsg_ct_state_name(i->state), age, idle,
           i->where == NSG_FLOW_HW ? "hw" : "sw", i->pkts[0], i->pkts[1], i->bytes[0], i->bytes[1], rule);
  }
  l->first = false;
  return 0;
}

int cmd_flows(int argc, char **argv)
{
  struct run_opts o = {0};
  int rc = parse(&o, "flows", argc, argv, usage_flows);
  if (rc)
    return rc < 0 ? 0 : rc;
  struct nsg_config *cfg = load(&o.c);
  if (!cfg)
    return EXIT_CONFIG;
  uint64_t end;
  struct nsg_slowpath *sp = replay(&o, cfg, NULL, &end, &rc);
  if (sp) {
    struct list_ctx l = {sp, end, o.c.json, true};
    if (o.c.json)
      printf("[");
    else
      printf("%-12s %-3s %-26s %2s %-26s %-12s %8s %8s %-2s %13s %17s %s\n", "NIC", "P", "LOCAL", "", "REMOTE", "STATE",
             "AGE(s)", "IDLE(s)", "AT", "PKTS(i/r)", "BYTES(i/r)", "RULE");
    nsg_ct_foreach(nsg_slowpath_ct(sp), print_flow, &l);
    if (o.c.json)
      printf("]\n");
    nsg_slowpath_free(sp);
  }
  nsg_config_free(cfg);
  return rc;
}

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
             "                  [--flow-log-format nsg-v2|vnet] [--flow-log-always-end] [--flow-limit N]\n"
             "                  [--update-at N --update-config F...] [--flows] [--json]\n"
             "       nsgnic run --sim --config F... --pcap IN [--out-pcap OUT] [--flow-log FILE]\n"
             "                  [--flow-log-format nsg-v2|vnet] [--flow-log-always-end]\n"
             "                  [--update-at N --update-config F...]\n"
             "                  [--flows] [--firmware ELF] [--trace FILE.fst] [--json]\n"
             "  --sim                   through the co-simulated NIC (Verilated SoC + firmware): the host\n"
             "                          decides what the datapath punts from the device's exception events,\n"
             "                          releases parked packets, installs flows, ages hardware flows in pcap\n"
             "                          time when the device has host-driven time (cmd_run_sim.c)\n"
             "  --pcap IN               Ethernet pcap to replay (packet timestamps are the flow time)\n"
             "  --out-pcap OUT          write the packets that pass (with --sim: released by the host too)\n"
             "  --flow-log FILE         write flow logs (Azure NSG flow log v2 JSON, or VNet flow logs)\n"
             "  --flow-log-format F     nsg-v2 (default) or vnet\n"
             "  --flow-log-always-end   log counts and E tuples for every flow; by default, as Azure\n"
             "                          (S5), flows allowed by a non-default inbound TCP rule of a NIC\n"
             "                          whose VNet has no flowTimeoutInMinutes are non-terminating:\n"
             "                          their B tuple only\n"
             "  --flow-limit N          flows per NIC per direction (S5, default 500000)\n"
             "  --update-at N           after the first N packets apply a new configuration (a rule\n"
             "  --update-config F       change mid-replay, S5): the --update-config files replace the\n"
             "                          --config files (service tags and options stay). Existing flows\n"
             "                          keep passing; those of NICs whose subnet or NIC NSG has\n"
             "                          flushConnection end when the new rules deny them\n"
             "  --flows                 list the flows tracked at the end (as 'nsgnic flows'; with --sim\n"
             "                          the device's hardware flows too)\n");
  usage_common(f);
}

void usage_flows(FILE *f)
{
  fprintf(f, "usage: nsgnic flows --config F... --pcap IN [--update-at N --update-config F...] [--json]\n"
             "  replays IN through the slow path and lists the flows it tracks at the end: NIC, key,\n"
             "  state, age, idle time, counters, where the flow lives (hw/sw), deciding rule. The\n"
             "  device's flows: 'nsgnic run --sim ... --flows' (a simulated device lives in one process)\n");
  usage_common(f);
}

struct run_opts {
  struct common c;
  const char *pcap, *out_pcap, *flow_log;
  enum nsg_flowlog_format fmt;
  long limit;
  struct update_opts up;
  bool flows, always_end;
};

int parse_update(struct update_opts *u, const char *cmd, int argc, char **argv, int *i)
{
  const char *a = argv[*i], *v = *i + 1 < argc ? argv[*i + 1] : NULL;
  bool at = strcmp(a, "--update-at") == 0, file = strcmp(a, "--update-config") == 0;
  if (!at && !file)
    return 0;
  if (!v) {
    fprintf(stderr, "nsgnic %s: option %s needs a value\n", cmd, a);
    return -1;
  }
  (*i)++;
  if (file) {
    if (u->nconfigs == MAX_FILES) {
      fprintf(stderr, "nsgnic %s: more than %d --update-config files\n", cmd, MAX_FILES);
      return -1;
    }
    u->configs[u->nconfigs++] = v;
    return 1;
  }
  char *end;
  errno = 0;
  unsigned long long n = strtoull(v, &end, 10);
  if (*v == '-' || !*v || *end || errno) {
    fprintf(stderr, "nsgnic %s: --update-at needs a packet count (0 or more), not '%s'\n", cmd, v);
    return -1;
  }
  u->at = n;
  u->set = true;
  return 1;
}

int check_update(const struct update_opts *u, const char *cmd)
{
  if (u->set != (u->nconfigs > 0)) {
    fprintf(stderr, "nsgnic %s: --update-at N and --update-config FILE go together; try 'nsgnic help run'\n", cmd);
    return -1;
  }
  return 0;
}

struct nsg_config *load_update(const struct common *c, const struct update_opts *u)
{
  struct common b = *c;
  b.nconfigs = u->nconfigs;
  for (int i = 0; i < u->nconfigs; i++)
    b.configs[i] = u->configs[i];
  return load(&b);
}

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
    if ((r = parse_update(&o->up, cmd, argc, argv, &i)) != 0) {
      if (r < 0)
        return EXIT_USAGE;
      continue;
    }
    if (strcmp(a, "--flows") == 0 && strcmp(cmd, "run") == 0) {
      o->flows = true;
      continue;
    }
    if (strcmp(a, "--flow-log-always-end") == 0 && strcmp(cmd, "run") == 0) {
      o->always_end = true;
      continue;
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
  if (check_update(&o->up, cmd) < 0)
    return EXIT_USAGE;
  return 0;
}

/* Replays the pcap; returns the slow path (NULL on error, exit code in *rc). */
static struct nsg_slowpath *replay(struct run_opts *o, struct nsg_config *cfg, struct nsg_config *next, FILE *flog,
                                   uint64_t *end, int *rc)
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
  so.flow_log_always_end = o->always_end;
  if (o->limit > 0)
    so.ct.per_nic_limit = (uint32_t)o->limit;
  *rc = 0;
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
  uint64_t now = 0, seen = 0;
  for (;;) {
    if (next && seen == o->up.at) {
      long ended = nsg_slowpath_reload(sp, next, now);
      if (ended < 0) {
        fprintf(stderr, "nsgnic: the configuration update after packet %llu failed: %s\n",
                (unsigned long long)seen, strerror((int)-ended));
        *rc = EXIT_QUERY;
        break;
      }
      fprintf(stderr, "nsgnic: configuration updated after packet %llu: %ld flow(s) ended (flushConnection)\n",
              (unsigned long long)seen, ended);
      next = NULL;
    }
    if (pcap_next_ex(in, &h, &data) != 1)
      break;
    seen++;
    uint64_t t = (uint64_t)h->ts.tv_sec * NSG_SEC + (uint64_t)h->ts.tv_usec * 1000;
    if (t > now)
      now = t;
    struct nsg_sp_result r;
    nsg_slowpath_frame(sp, data, h->caplen, now, &r);
    if (r.forward && out)
      pcap_dump((u_char *)out, h, data);
  }
  if (next)
    fprintf(stderr, "nsgnic: --update-at %llu: the capture has only %llu packets; no update applied\n",
            (unsigned long long)o->up.at, (unsigned long long)seen);
  nsg_slowpath_finish(sp, now);
  *end = now;
  if (out)
    pcap_dump_close(out);
  pcap_close(in);
  if (*rc == EXIT_QUERY) {
    nsg_slowpath_free(sp);
    return NULL;
  }
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
  struct nsg_config *next = NULL;
  if (o.up.set && !(next = load_update(&o.c, &o.up))) {
    if (flog)
      fclose(flog);
    nsg_config_free(cfg);
    return EXIT_CONFIG;
  }
  uint64_t end;
  struct nsg_slowpath *sp = replay(&o, cfg, next, flog, &end, &rc);
  if (sp) {
    nsg_slowpath_summary(sp, stdout, o.c.json); /* with --flows --json: two JSON lines */
    if (o.flows)
      print_flows(sp, end, o.c.json);
    nsg_slowpath_free(sp); /* completes the flow log */
  }
  if (flog)
    fclose(flog);
  nsg_config_free(next);
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

void print_flows(struct nsg_slowpath *sp, uint64_t now, bool json)
{
  struct list_ctx l = {sp, now, json, true};
  if (json)
    printf("[");
  else
    printf("%-12s %-3s %-26s %2s %-26s %-12s %8s %8s %-2s %13s %17s %s\n", "NIC", "P", "LOCAL", "", "REMOTE", "STATE",
           "AGE(s)", "IDLE(s)", "AT", "PKTS(i/r)", "BYTES(i/r)", "RULE");
  nsg_ct_foreach(nsg_slowpath_ct(sp), print_flow, &l);
  if (json)
    printf("]\n");
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
  struct nsg_config *next = NULL;
  if (o.up.set && !(next = load_update(&o.c, &o.up))) {
    nsg_config_free(cfg);
    return EXIT_CONFIG;
  }
  uint64_t end;
  struct nsg_slowpath *sp = replay(&o, cfg, next, NULL, &end, &rc);
  if (sp) {
    print_flows(sp, end, o.c.json);
    nsg_slowpath_free(sp);
  }
  nsg_config_free(next);
  nsg_config_free(cfg);
  return rc;
}

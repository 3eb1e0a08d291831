/* SPDX-License-Identifier: Apache-2.0 */
/* nsgnic run: replays a pcap through the software slow path (classifier + connection tracking +
 * flow logs) and prints what happened; `nsgnic flows` lists the flows such a replay leaves. */
#define _GNU_SOURCE 1 /* open_memstream */
#define _DEFAULT_SOURCE 1 /* libpcap needs the BSD u_int types */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/stat.h>

#include "cli.h"
#include "progress.h"
#include "report.h"
#include <time.h>
#include "nsgnic/slowpath.h"

const struct cmd_doc doc_run = {
    "nsgnic", "run",
    "--config F... --pcap IN [--out-pcap OUT] [--flow-log FILE] [--flow-log-format nsg-v2|vnet]\n"
    "  [--flow-log-always-end] [--flow-limit N] [--update-at N --update-config F...] [--flows] [--json]\n"
    "--sim --config F... --pcap IN [--out-pcap OUT] [--flow-log FILE] [--flow-log-format F]\n"
    "  [--flow-log-always-end] [--flow-limit N] [--update-at N --update-config F...] [--flows]\n"
    "  [--firmware ELF]\n"
    "  [--trace FILE.fst] [--json]\n",
    "replay a pcap through the host's software packet path, or with --sim through the co-simulated NIC; "
    "per-NIC, per-rule summary and flow logs",
    "--sim: the Verilated SoC running the firmware; the host decides what the datapath punts from\n"
    "the device's exception events, releases parked packets, installs flows and ages hardware\n"
    "flows in pcap time (docs/slowpath.md, docs/soc.md).\n"
    "--update-at N --update-config F...: after the first N packets the configuration made of the\n"
    "--update-config files (they replace the --config files; service tags and options stay) takes\n"
    "over (S5). Existing flows keep passing; those of NICs whose subnet or NIC NSG has\n"
    "flushConnection end when the new rules deny them.\n"
    "Flow logs are written as Azure writes them (S5): one record per minute and per NSG and NIC MAC\n"
    "(the NIC's macAddress), every packet counted; the same log with and without --sim. As in Azure,\n"
    "when the NIC's VNet has no flowTimeoutInMinutes, flows allowed by a non-default inbound TCP\n"
    "rule are non-terminating: their B tuple only (no counts, no E); --flow-log-always-end logs\n"
    "them like every other flow.\n"
    "Rules are named NSG/securityRules/NAME (NSG/defaultSecurityRules/NAME for the defaults).\n",
    "0 replayed; 1 the capture or an output could not be read or written, or the device failed;\n"
    "2 invalid configuration; 64 usage error",
};

static const struct cmd_doc doc_flows = {
    "nsgnic", "flows", "--config F... --pcap IN [--update-at N --update-config F...] [--json]",
    "list the flows a pcap replay through the host's packet path leaves tracked",
    "NIC, key, state, age, idle time, counters, where the flow lives (hw/sw), deciding rule.\n"
    "The device's flows: 'nsgnic run --sim ... --flows' (a simulated device lives in one process).\n",
    "0 listed; 1 the capture could not be read; 2 invalid configuration; 64 usage error",
};

static int opt_flowlog_format(void *dst, const char *val, char *err, size_t errlen)
{
  if (nsg_flowlog_format_parse(val, dst) < 0) {
    snprintf(err, errlen, "nsg-v2 or vnet, not '%s'", val);
    return -1;
  }
  return 0;
}

/* "A:B" or "A" (to the end), A <= B, A >= 0; the string is kept (parse_window reads it). */
int parse_window(const char *v, unsigned long long *a, unsigned long long *b)
{
  const char *colon = strchr(v, ':');
  *b = 0;
  if (opts_parse_ulln(v, colon ? (size_t)(colon - v) : strlen(v), 0, ULLONG_MAX, a) < 0)
    return -1;
  return colon && opts_parse_ull(colon + 1, *a, ULLONG_MAX, b) < 0 ? -1 : 0;
}

static int opt_window(void *dst, const char *val, char *err, size_t errlen)
{
  unsigned long long a, b;
  if (parse_window(val, &a, &b) < 0) {
    snprintf(err, errlen, "'%s' is not A:B or A (decimal numbers, A <= B)", val);
    return -1;
  }
  *(const char **)dst = val;
  return 0;
}

struct nsg_config *load_update(const struct common *c, const struct update_opts *u)
{
  struct common b = *c;
  b.configs = u->configs;
  return load(&b);
}

/* The options of run (sim: with --sim) and flows (run == false); 0, 1 (help) or EXIT_USAGE. */
static int parse(struct run_opts *o, bool run, int argc, char **argv)
{
  nsg_options_default(&o->c.opts);
  o->fmt = NSG_FLOWLOG_NSG_V2;
  const struct cmd_doc *d = run ? &doc_run : &doc_flows;
  bool limit_set = false;
  const struct opt opts[] = {
      COMMON_OPTS(&o->c, OPTF_REQUIRED),
      {"pcap", 0, OPT_STR, "IN", "Ethernet pcap to replay (packet timestamps are the flow time)", &o->pcap, NULL, 0,
       0, OPTF_REQUIRED, NULL},
      {"update-at", 0, OPT_ULL, "N", "apply the --update-config configuration after the first N packets", &o->up.at,
       NULL, 0, UINT64_MAX, 0, &o->up.set},
      {"update-config", 0, OPT_LIST, "FILE", "the configuration after the update (repeatable)", &o->up.configs,
       NULL, 0, 0, 0, NULL},
      OPT_HELP_ENTRY,
      /* run only: */
      {"sim", 0, OPT_FLAG, NULL, "replay through the co-simulated NIC (Verilated SoC + firmware)", &o->sim, NULL, 0,
       0, 0, NULL},
      {"out-pcap", 0, OPT_STR, "OUT", "write the packets that pass (with --sim: as they leave the device)",
       &o->out_pcap, NULL, 0, 0, 0, NULL},
      {"flow-log", 0, OPT_STR, "FILE", "write flow logs (Azure NSG flow log v2 JSON, or VNet flow logs)",
       &o->flow_log, NULL, 0, 0, 0, NULL},
      {"flow-log-format", 0, OPT_FN, "F", "nsg-v2 (default) or vnet", &o->fmt, opt_flowlog_format, 0, 0, 0, NULL},
      {"flow-log-always-end", 0, OPT_FLAG, NULL,
       "log counts and E tuples for every flow, also the ones Azure logs as\nnon-terminating (S5: a VNet "
       "without flowTimeoutInMinutes, a non-default\ninbound TCP rule)", &o->always_end, NULL, 0, 0, 0, NULL},
      {"flow-limit", 0, OPT_ULL, "N", "flows per NIC per direction (S5, default 500000; with --sim also\nthe device's DRAM flow tier: CMD_FLOW_LIMIT)", &o->limit,
       NULL, 1, UINT32_MAX, 0, &limit_set},
      {"flows", 0, OPT_FLAG, NULL, "list the flows tracked at the end (as 'nsgnic flows'; with --sim\nthe device's "
       "hardware flows too)", &o->flows, NULL, 0, 0, 0, NULL},
      {"report", 0, OPT_STR, "DIR",
       "write DIR/index.html: plots of the run (verdicts per NIC, rule hits,\nflows, flow-cache occupancy, "
       "exceptions, verdict latency; gnuplot)", &o->report, NULL, 0, 0, 0, NULL},
      {"firmware", 0, OPT_STR, "ELF", "--sim: the firmware image (default: this build's, or NSGNIC_FIRMWARE)",
       &o->firmware, NULL, 0, 0, 0, NULL},
      {"trace", 0, OPT_STR, "FILE.fst",
       "--sim: write a waveform trace of the SoC, and FILE.gtkw, a GTKWave\nsave file grouping the useful signals",
       &o->trace, NULL, 0, 0, 0, NULL},
      {"trace-scope", 0, OPT_STR, "S",
       "--trace: all (default), datapath, cpu, window, or a hierarchy below\nthe top (u_dp.u_parser)",
       &o->trace_scope, NULL, 0, 0, 0, NULL},
      {"trace-cycles", 0, OPT_FN, "A:B", "--trace: only device cycles A..B-1 (A: from A on)", &o->trace_cycles,
       opt_window, 0, 0, 0, NULL},
      {"trace-frames", 0, OPT_FN, "A:B", "--trace: only while frames A..B of the capture (1 = the first) go\n"
       "through (A: from frame A on)", &o->trace_frames, opt_window, 0, 0, 0, NULL},
      OPT_END,
  };
  /* flows: the table without the run-only options (the first 4 + common) */
  struct opt fl[sizeof opts / sizeof *opts];
  size_t nf = 0;
  for (size_t i = 0; opts[i].name; i++) {
    fl[nf++] = opts[i];
    if (opts[i].kind == OPT_HELP)
      break;
  }
  fl[nf] = (struct opt)OPT_END;
  int pr = parse_common(d, run ? opts : fl, argc, argv, &o->c);
  if (pr)
    return pr;
  if (o->up.set != (o->up.configs.n > 0))
    return usage_error(d, "--update-at N and --update-config FILE go together");
  if (!o->sim && (o->firmware || o->trace))
    return usage_error(d, "--firmware and --trace are for --sim");
  if (!o->trace && (o->trace_scope || o->trace_cycles || o->trace_frames))
    return usage_error(d, "--trace-scope, --trace-cycles and --trace-frames go with --trace FILE.fst");
  if (o->trace_cycles && o->trace_frames)
    return usage_error(d, "one window: --trace-cycles or --trace-frames");
  for (const char *c = o->trace_scope; c && *c; c++)
    if (!(isalnum((unsigned char)*c) || *c == '_' || *c == '.'))
      return usage_error(d, "--trace-scope '%s' is not all, datapath, cpu, window or a hierarchy below the top "
                            "(u_dp.u_parser)", o->trace_scope);
  struct strlist in = {0};
  common_inputs(&o->c, &in);
  for (int i = 0; i < o->up.configs.n; i++)
    strlist_add(&in, o->up.configs.v[i]);
  strlist_add(&in, o->pcap);
  strlist_add(&in, o->firmware);
  if (refuse_input_as_output(d, "--report", o->report, &in))
    return EXIT_USAGE;
  if (refuse_input_as_output(d, "--out-pcap", o->out_pcap, &in) ||
      refuse_input_as_output(d, "--flow-log", o->flow_log, &in) ||
      refuse_input_as_output(d, "--trace", o->trace, &in))
    return EXIT_USAGE;
  if (o->out_pcap && o->flow_log && strcmp(o->out_pcap, o->flow_log) == 0)
    return usage_error(d, "--out-pcap and --flow-log name the same file %s", o->out_pcap);
  return 0;
}

/* The capture's size in bytes (the progress line's share read), or -1. */
double pcap_size(const char *path)
{
  struct stat st;
  return stat(path, &st) == 0 && S_ISREG(st.st_mode) ? (double)st.st_size : -1;
}

/* Replays the pcap; returns the slow path (NULL on error, exit code in *rc). */
static struct nsg_slowpath *replay(const struct run_opts *o, struct nsg_config *cfg, struct nsg_config *next, FILE *flog,
                                   uint64_t *end, int *rc, struct report *rep, bool *input_failed)
{
  struct pcapin pin;
  if (pcapin_open(&pin, o->pcap, "nsgnic") < 0) {
    *input_failed = true;
    *rc = EXIT_QUERY;
    return NULL;
  }
  pcap_t *in = pin.p;
  pcap_dumper_t *out = NULL;
  if (o->out_pcap && !(out = pcap_dump_open(in, o->out_pcap))) {
    fprintf(stderr, "nsgnic: cannot write %s: %s\n", o->out_pcap, pcap_geterr(in));
    pcapin_close(&pin);
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
    pcapin_close(&pin);
    *rc = EXIT_QUERY;
    return NULL;
  }
  struct pcap_pkthdr *h;
  const u_char *data;
  uint64_t now = 0, seen = 0;
  double size = pcap_size(o->pcap);
  progress_start(o->flow_log ? "run (flow log)" : "run");
  for (;;) {
    if (stop_requested()) {
      *rc = EXIT_INTERRUPTED;
      break;
    }
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
    int nr = pcapin_next(&pin, &h, &data);
    if (nr < 0 && !stop_requested()) { /* a signal may cut a read short: interrupted, below */
      *input_failed = true;
      *rc = EXIT_QUERY;
    }
    if (nr != 1)
      break;
    seen++;
    uint64_t t = (uint64_t)h->ts.tv_sec * NSG_SEC + (uint64_t)h->ts.tv_usec * 1000;
    if (t > now)
      now = t;
    struct nsg_sp_result r;
    struct timespec ta, tb;
    if (rep)
      clock_gettime(CLOCK_MONOTONIC, &ta);
    nsg_slowpath_frame(sp, data, h->caplen, now, &r);
    if (rep) {
      clock_gettime(CLOCK_MONOTONIC, &tb);
      char rule[300] = "";
      struct nsg_flow_info fi;
      if (r.flow >= 0 && nsg_ct_get(nsg_slowpath_ct(sp), r.flow, &fi) == 0)
        nsg_slowpath_tag_name(sp, fi.tag, rule, sizeof rule);
      else
        snprintf(rule, sizeof rule, "(%s)", nsg_sp_why_name(r.why));
      bool by_rules = r.why != NSG_SP_FLOW && r.why != NSG_SP_FRAGMENT && r.why != NSG_SP_MALFORMED &&
                      r.why != NSG_SP_NO_NIC;
      report_frame(rep, t, r.nic >= 0 ? nsg_slowpath_nic_name(sp, r.nic) : "no NIC", rule,
                   r.nic < 0 ? REPORT_OTHER : r.forward ? REPORT_ALLOWED : REPORT_DENIED, by_rules,
                   (double)(tb.tv_sec - ta.tv_sec) * 1e9 + (double)(tb.tv_nsec - ta.tv_nsec));
      struct nsg_ct_stats cs;
      nsg_ct_get_stats(nsg_slowpath_ct(sp), &cs);
      report_flows(rep, t, cs.flows, cs.created, cs.ended, cs.flows, so.ct.max_flows);
    }
    if (r.forward && out)
      pcap_dump((u_char *)out, h, data);
    if ((seen & 255) == 0) {
      struct nsg_ct_stats cs;
      nsg_ct_get_stats(nsg_slowpath_ct(sp), &cs);
      progress_set(seen, cs.flows, pcapin_share(&pin, size));
    }
  }
  progress_end();
  if (stop_requested() && *rc != EXIT_QUERY) /* also when the signal cut a read short */
    *rc = EXIT_INTERRUPTED;
  if (*rc == EXIT_INTERRUPTED)
    fprintf(stderr, "nsgnic: interrupted after %llu packets; the summary and the outputs cover them\n",
            (unsigned long long)seen);
  if (next && !*input_failed)
    fprintf(stderr, "nsgnic: --update-at %llu: the capture has only %llu packets; no update applied\n",
            (unsigned long long)o->up.at, (unsigned long long)seen);
  nsg_slowpath_finish(sp, now);
  *end = now;
  if (out)
    pcap_dump_close(out);
  pcapin_close(&pin);
  if (*input_failed)
    output_incomplete("nsgnic run", "--out-pcap", o->out_pcap);
  if (*rc == EXIT_QUERY) {
    nsg_slowpath_free(sp);
    return NULL;
  }
  if (*rc != EXIT_INTERRUPTED)
    *rc = 0;
  return sp;
}

int cmd_run(int argc, char **argv)
{
  struct run_opts o = {0};
  int rc = parse(&o, true, argc, argv);
  if (rc)
    return rc == 1 ? 0 : rc;
  stop_on_signals();
  if (o.sim)
    return run_sim(&o);
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
  char rerr[600];
  struct report *rep = NULL;
  static const struct report_labels labels = {
      "nsgnic run: the software packet path",
      "the flow's rule; (why) for frames not on a flow",
      "Flow table occupancy (software flows tracked by the host)",
      "Frames decided by the rules, not by a flow (what a NIC would punt), per second",
      "Host time per frame (classifier + connection tracking), software path",
      "ns per frame (wall-clock)"};
  if (o.report && !(rep = report_new(o.report, &labels, rerr, sizeof rerr))) {
    fprintf(stderr, "nsgnic run: %s\n", rerr);
    if (flog)
      fclose(flog);
    nsg_config_free(next);
    nsg_config_free(cfg);
    return EXIT_QUERY;
  }
  bool input_failed = false;
  struct nsg_slowpath *sp = replay(&o, cfg, next, flog, &end, &rc, rep, &input_failed);
  if (sp) {
    nsg_slowpath_summary(sp, stdout, o.c.json); /* with --flows --json: two JSON lines */
    if (o.flows)
      print_flows(sp, end, o.c.json);
    if (rep) {
      char *text = NULL, path[1200];
      size_t tlen = 0;
      FILE *m = open_memstream(&text, &tlen);
      if (m) {
        nsg_slowpath_summary(sp, m, false);
        fclose(m);
      }
      if (report_finish(rep, text, path, sizeof path, rerr, sizeof rerr) < 0) {
        fprintf(stderr, "nsgnic run: no report: %s\n", rerr);
        if (!rc)
          rc = EXIT_QUERY;
      } else {
        fprintf(stderr, "nsgnic run: report %s\n", path);
      }
      free(text);
    }
    nsg_slowpath_free(sp); /* completes the flow log */
  }
  report_free(rep);
  if (flog)
    fclose(flog);
  if (input_failed)
    output_incomplete("nsgnic run", "the flow log", o.flow_log);
  nsg_config_free(next);
  nsg_config_free(cfg);
  return rc;
}

struct list_ctx {
  struct nsg_slowpath *sp;
  uint64_t now;
  json_t *arr; /* --json: the flows */
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
  if (l->arr) {
    json_t *f = json_pack("{s:I,s:o,s:i,s:s,s:i,s:s,s:i,s:s,s:s,s:f,s:f,s:s,s:o,s:[I,I],s:[I,I]}", "id",
                          (json_int_t)id, "nic", jstr(nic), "proto", (int)i->key.proto, "local", a, "localPort",
                          (int)i->key.lport, "remote", b, "remotePort", (int)i->key.rport, "initiator",
                          i->init_outbound ? "local" : "remote", "state", nsg_ct_state_name(i->state), "ageSeconds",
                          age, "idleSeconds", idle, "where", i->where == NSG_FLOW_HW ? "hw" : "sw", "rule", jstr(rule),
                          "packets", (json_int_t)i->pkts[0], (json_int_t)i->pkts[1], "bytes",
                          (json_int_t)i->bytes[0], (json_int_t)i->bytes[1]);
    json_array_append_new(l->arr, f);
  } else {
    char lk[90], rk[90];
    snprintf(lk, sizeof lk, "%s%s%s:%u", i->key.fam == 6 ? "[" : "", a, i->key.fam == 6 ? "]" : "", i->key.lport);
    snprintf(rk, sizeof rk, "%s%s%s:%u", i->key.fam == 6 ? "[" : "", b, i->key.fam == 6 ? "]" : "", i->key.rport);
    printf("%-12s %-3u %-26s %s %-26s %-12s %8.1f %8.1f %-2s %6" PRIu64 "/%-6" PRIu64 " %8" PRIu64 "/%-8" PRIu64 " %s\n",
           nic, i->key.proto, lk, i->init_outbound ? "->" : "<-", rk, nsg_ct_state_name(i->state), age, idle,
           i->where == NSG_FLOW_HW ? "hw" : "sw", i->pkts[0], i->pkts[1], i->bytes[0], i->bytes[1], rule);
  }
  return 0;
}

void print_flows(struct nsg_slowpath *sp, uint64_t now, bool json)
{
  struct list_ctx l = {sp, now, json ? json_array() : NULL};
  if (!json)
    printf("%-12s %-3s %-26s %2s %-26s %-12s %8s %8s %-2s %13s %17s %s\n", "NIC", "P", "LOCAL", "", "REMOTE", "STATE",
           "AGE(s)", "IDLE(s)", "AT", "PKTS(i/r)", "BYTES(i/r)", "RULE");
  nsg_ct_foreach(nsg_slowpath_ct(sp), print_flow, &l);
  if (json)
    json_print(l.arr, true);
}

int cmd_flows(int argc, char **argv)
{
  struct run_opts o = {0};
  int rc = parse(&o, false, argc, argv);
  if (rc)
    return rc == 1 ? 0 : rc;
  stop_on_signals();
  struct nsg_config *cfg = load(&o.c);
  if (!cfg)
    return EXIT_CONFIG;
  struct nsg_config *next = NULL;
  if (o.up.set && !(next = load_update(&o.c, &o.up))) {
    nsg_config_free(cfg);
    return EXIT_CONFIG;
  }
  uint64_t end;
  bool input_failed = false;
  struct nsg_slowpath *sp = replay(&o, cfg, next, NULL, &end, &rc, NULL, &input_failed);
  if (sp) {
    print_flows(sp, end, o.c.json);
    nsg_slowpath_free(sp);
  }
  nsg_config_free(next);
  nsg_config_free(cfg);
  return rc;
}

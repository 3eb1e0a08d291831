/* SPDX-License-Identifier: Apache-2.0 */
/* Internal interface between the nsgnic CLI's command files. */
#ifndef NSGNIC_CLI_H
#define NSGNIC_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "nsgnic/nsgnic.h"
#include "opts.h"
#include "nsgnic/slowpath.h"
#include <jansson.h>
#include <stdint.h>

enum { EXIT_QUERY = 1, EXIT_CONFIG = 2, EXIT_USAGE = 64 };


/* Options every command that reads a configuration accepts. */
struct common {
  struct strlist configs, tags;
  struct nsg_options opts;
  bool json;
};

/* Value parsers of the common options (OPT_FN). */
int opt_subscription(void *dst, const char *val, char *err, size_t errlen);
int opt_limit(void *dst, const char *val, char *err, size_t errlen);

/* The options of every command that reads a configuration: one table line each. REQ is
 * OPTF_REQUIRED when the command cannot work without --config (0 when another option can
 * stand in for it). */
#define COMMON_OPTS(c, REQ)                                                                                  \
  {"config", 'c', OPT_LIST, "FILE", "Azure JSON (az ... list/show, ARM or REST); repeatable", &(c)->configs,  \
   NULL, 0, 0, REQ, NULL},                                                                                   \
  {"service-tags", 0, OPT_LIST, "FILE", "Azure Service Tags JSON; repeatable", &(c)->tags, NULL, 0, 0, 0, NULL}, \
  {"strict", 0, OPT_FLAG, NULL, "enforce the seed's rules (no Icmp/Esp/Ah, one ASG per field)",              \
   &(c)->opts.strict, NULL, 0, 0, 0, NULL},                                                                  \
  {"subscription-type", 0, OPT_FN, "T",                                                                      \
   "EnterpriseAgreement (default), MicrosoftCustomerAgreement, EnterpriseDevTest,\nPayAsYouGo, CSP, MSDN, "   \
   "VisualStudio, AzurePass, AzureInOpen, Education, FreeTrial,\nBizSpark, Other (S13)",                     \
   &(c)->opts.subscription, opt_subscription, 0, 0, 0, NULL},                                                \
  {"devtest-port25-exemption", 0, OPT_FLAG, NULL,                                                            \
   "EnterpriseDevTest: the port-25 exemption was granted (S13)",                                             \
   &(c)->opts.devtest_port25_exemption, NULL, 0, 0, 0, NULL},                                                \
  {"created-before-2017-11-15", 0, OPT_FLAG, NULL,                                                           \
   "the subscription predates 15 Nov 2017: port 25 is not blocked (S13)",                                    \
   &(c)->opts.created_before_2017_11_15, NULL, 0, 0, 0, NULL},                                               \
  {"no-platform-exemption", 0, OPT_CLEAR, NULL, "do not exempt 168.63.129.16 / 169.254.169.254 (S10)",       \
   &(c)->opts.platform_exemption, NULL, 0, 0, 0, NULL},                                       \
  {"forced-tunneling", 0, OPT_FLAG, NULL, "0.0.0.0/0 default route: no KMS platform rule (S11)",             \
   &(c)->opts.forced_tunneling, NULL, 0, 0, 0, NULL},                                                        \
  {"limit", 0, OPT_FN, "NAME=N",                                                                             \
   "rules-per-nsg, prefixes-per-nsg-side, asgs-per-rule, asgs-per-nsg,\nasgs-per-ipconfig (S14); repeatable", \
   &(c)->opts.limits, opt_limit, 0, 0, 0, NULL},                                                             \
  {"json", 0, OPT_FLAG, NULL, "machine-readable output (JSON)", &(c)->json, NULL, 0, 0, 0, NULL}

/* parse_opts (no operands) for a command whose table has COMMON_OPTS(c), then the checks
 * across common options (--devtest-port25-exemption needs --subscription-type
 * EnterpriseDevTest). Returns as parse_opts: 0, 1 (help) or OPTS_EXIT_USAGE. */
int parse_common(const struct cmd_doc *d, const struct opt *opts, int argc, char **argv, const struct common *c);

/* The command's documentation (help text, man page) and its table; the commands of nsgnic. */
struct command {
  const char *name;
  int (*run)(int argc, char **argv); /* argv[0] is the command's name */
  const char *summary;
};
extern const struct command commands[];
/* Prints the list of commands and the common options (nsgnic help). */
void usage(FILE *f);
/* The input files of the common options (for refuse_input_as_output). */
void common_inputs(const struct common *c, struct strlist *in);
/* Prints the NICs of the configuration on stderr (after "no network interface named X"). */
void hint_nics(const struct nsg_config *cfg);
/* Loads and validates every file; prints errors; NULL when the configuration is invalid. */
struct nsg_config *load(struct common *c);
/* A JSON string of s (null for NULL; bytes that are not UTF-8 become '?'). */
json_t *jstr(const char *s);
/* Prints a JSON value on stdout (one line when compact, else indented) and releases it. */
void json_print(json_t *j, bool compact);
/* Prints a verdict as text, or as the JSON line of `az network watcher test-ip-flow`. */
void print_verdict(const struct nsg_verdict *v, bool json);

/* The evaluators behind `verify --engine`, NULL-terminated. An engine either answers from the
 * configuration (verify) or from a form it prepares once per run (prepare -> verify_prepared* ->
 * release; prepare returns NULL with the message in err). */
struct engine {
  const char *name;
  int (*verify)(const struct nsg_config *, const struct nsg_query *, struct nsg_verdict *, char *, size_t);
  void *(*prepare)(const struct nsg_config *, char *err, size_t errlen);
  int (*verify_prepared)(const void *state, const struct nsg_query *, struct nsg_verdict *, char *, size_t);
  void (*release)(void *state);
};
extern const struct engine engines[];
const struct engine *find_engine(const char *name);
/* Runs one query on an engine (state: what eng->prepare returned, or NULL). */
int engine_verify(const struct engine *eng, const void *state, const struct nsg_config *cfg,
                  const struct nsg_query *q, struct nsg_verdict *v, char *err, size_t errlen);

/* nsgnic compile (cmd_compile.c) */
int cmd_compile(int argc, char **argv);

/* nsgnic prove / query / diff (cmd_prove.c) */
int cmd_prove(int argc, char **argv);
int cmd_query(int argc, char **argv);
int cmd_diff(int argc, char **argv);
/* load --prove: 0 proven (t equivalent to cfg; with `old`, every update state: as old before
 * the bank switch, as cfg from it on, every state when there are at most max_states, else the
 * phase boundaries), 1 not equivalent (printed), 3 the proof failed (printed). */
struct nsg_tables;
int prove_before_load(const struct nsg_config *cfg, const struct nsg_tables *t, const struct nsg_tables *old,
                      size_t max_states, bool json);

/* nsgnic devices, nsgnic load (cmd_device.c) */
int cmd_devices(int argc, char **argv);
int cmd_load(int argc, char **argv);

/* nsgnic run / nsgnic flows (cmd_run.c) */
int cmd_run(int argc, char **argv);
int cmd_flows(int argc, char **argv);
/* --update-at N --update-config F... : a rule change mid-replay */
struct update_opts {
  struct strlist configs;
  unsigned long long at; /* applied after this many packets */
  bool set;
};
/* Everything `nsgnic run` (and `run --sim`) was told. */
struct run_opts {
  struct common c;
  const char *pcap, *out_pcap, *flow_log, *firmware, *trace, *trace_scope, *trace_cycles, *trace_frames;
  const char *report; /* --report DIR */
  enum nsg_flowlog_format fmt;
  unsigned long long limit; /* 0: the default */
  struct update_opts up;
  bool flows, sim, always_end; /* always_end: --flow-log-always-end */
};
extern const struct cmd_doc doc_run;
/* A GTKWave save file for a trace (gtkw.c): 0, or -1 with the reason in err. */
int write_gtkw(const char *fst, const char *gtkw, char *err, size_t errlen);
/* A trace window "A:B" or "A" (*b = 0: no end): 0 or -1. */
int parse_window(const char *v, unsigned long long *a, unsigned long long *b);
/* The size of a capture file in bytes (-1: unknown), for the progress line's ETA. */
double pcap_size(const char *path);
/* A capture being read (pcapin.c): libpcap's reader, plus where each record starts. */
struct pcap;
struct pcap_pkthdr;
struct pcapin {
  struct pcap *p; /* pcap_t */
  const char *path, *who; /* who: the message prefix ("nsgnic run") */
  uint64_t records;       /* records read and accepted */
  long offset;            /* byte offset of the next record (-1: unknown, e.g. a pipe) */
  bool classic, failed;   /* failed: a read error was reported (the replay must not look complete) */
};
/* Opens an Ethernet capture: 0, or -1 with the message printed. */
int pcapin_open(struct pcapin *in, const char *path, const char *who);
/* The next record: 1, 0 at the end of the file, -1 on a read error (a truncated record, a caplen
 * beyond the file, the frame or the snapshot length, trailing garbage), with the message printed
 * naming the file, the record number, its byte offset and how many records were processed. */
int pcapin_next(struct pcapin *in, struct pcap_pkthdr **h, const unsigned char **data);
/* The share of the file read (progress line), or -1; size: pcap_size(). */
double pcapin_share(const struct pcapin *in, double size);
void pcapin_close(struct pcapin *in);
/* After a failed read: an output file (--out-pcap, --flow-log) must not look complete. A regular
 * file is renamed to PATH.partial (message printed); anything else is reported as incomplete. */
void output_incomplete(const char *who, const char *what, const char *path);
/* nsgnic run --sim (cmd_run_sim.c): the replay through the co-simulated NIC */
int run_sim(const struct run_opts *o);
/* The new configuration: the --update-config files instead of c's --config files, the rest of c. */
struct nsg_config *load_update(const struct common *c, const struct update_opts *u);
/* The flows a slow path tracks (hw and sw), as a table or a JSON array, ages relative to now. */
struct nsg_slowpath;
void print_flows(struct nsg_slowpath *sp, uint64_t now, bool json);

#endif

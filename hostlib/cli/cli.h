/* SPDX-License-Identifier: Apache-2.0 */
/* Internal interface between the nsgnic CLI's command files. */
#ifndef NSGNIC_CLI_H
#define NSGNIC_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "nsgnic/nsgnic.h"

enum { EXIT_QUERY = 1, EXIT_CONFIG = 2, EXIT_USAGE = 64 };

#define MAX_FILES 256

/* Options every command that reads a configuration accepts. */
struct common {
  const char *configs[MAX_FILES];
  int nconfigs;
  const char *tags[MAX_FILES];
  int ntags;
  struct nsg_options opts;
  bool json;
};

void usage_common(FILE *f);
void usage(FILE *f);
/* Parses a common option at argv[*i]; returns 1 if consumed (advancing *i past its value),
 * 0 if it is not a common option, -1 on error (message printed). */
int parse_common(struct common *c, int argc, char **argv, int *i);
/* Loads and validates every file; prints errors; NULL when the configuration is invalid. */
struct nsg_config *load(struct common *c);
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
void usage_compile(FILE *f);

/* nsgnic prove / query / diff (cmd_prove.c) */
int cmd_prove(int argc, char **argv);
void usage_prove(FILE *f);
int cmd_query(int argc, char **argv);
void usage_query(FILE *f);
int cmd_diff(int argc, char **argv);
void usage_diff(FILE *f);
/* load --prove: 0 proven (t equivalent to cfg; with `old`, every update state: as old before
 * the bank switch, as cfg from it on, every state when there are at most max_states, else the
 * phase boundaries), 1 not equivalent (printed), 3 the proof failed (printed). */
struct nsg_tables;
int prove_before_load(const struct nsg_config *cfg, const struct nsg_tables *t, const struct nsg_tables *old,
                      size_t max_states, bool json);

/* nsgnic devices, nsgnic load (cmd_device.c) */
int cmd_devices(int argc, char **argv);
void usage_devices(FILE *f);
int cmd_load(int argc, char **argv);
void usage_load(FILE *f);

/* nsgnic run / nsgnic flows (cmd_run.c) */
int cmd_run(int argc, char **argv);
void usage_run(FILE *f);
int cmd_flows(int argc, char **argv);
void usage_flows(FILE *f);
/* nsgnic run --sim (cmd_run_sim.c): the replay through the co-simulated NIC */
int cmd_run_sim(int argc, char **argv);
/* --update-at N --update-config F... (cmd_run.c): a rule change mid-replay */
struct update_opts {
  const char *configs[MAX_FILES];
  int nconfigs;
  unsigned long long at; /* applied after this many packets */
  bool set;
};
/* 1 consumed argv[*i] (and its value), 0 not an update option, -1 error (printed) */
int parse_update(struct update_opts *u, const char *cmd, int argc, char **argv, int *i);
int check_update(const struct update_opts *u, const char *cmd); /* both or neither: -1 printed */
/* The new configuration: the --update-config files instead of c's --config files, the rest of c. */
struct nsg_config *load_update(const struct common *c, const struct update_opts *u);
/* The flows a slow path tracks (hw and sw), as a table or a JSON array, ages relative to now. */
struct nsg_slowpath;
void print_flows(struct nsg_slowpath *sp, uint64_t now, bool json);

#endif

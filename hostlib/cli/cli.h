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

/* The evaluators behind `verify --engine`, NULL-terminated. */
struct engine {
  const char *name;
  int (*verify)(const struct nsg_config *, const struct nsg_query *, struct nsg_verdict *, char *, size_t);
};
extern const struct engine engines[];
const struct engine *find_engine(const char *name);

#endif

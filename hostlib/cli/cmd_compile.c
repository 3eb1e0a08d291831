/* SPDX-License-Identifier: Apache-2.0 */
/* nsgnic compile: configuration -> device lookup tables (image file, statistics).
 * Exit codes: 0 success; 2 invalid configuration, or it does not fit the tables; 1 the image
 * could not be written; 64 usage error. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "nsgnic/abi.h"
#include "nsgnic/compile.h"

void usage_compile(FILE *f)
{
  fprintf(f,
          "usage: nsgnic compile --config F... [--service-tags F]... [-o IMAGE] [--stats] [--json]\n"
          "                      [--no-table-limits] [--no-port-classes] [--baseline]\n"
          "                      [--update-from IMAGE]\n"
          "  -o IMAGE            write the binary table image the driver loads (docs/compiler.md)\n"
          "  --stats             print rules, label and TCAM entries, expansion per NSG, worst rules,\n"
          "                      label decisions and compile time (with --json: as JSON)\n"
          "  --no-table-limits   do not enforce the ABI's table sizes (measurements only)\n"
          "  --update-from IMAGE plan the incremental update from the device state IMAGE to this\n"
          "                      configuration (same port classes): print the table writes (bank\n"
          "                      protocol, docs/compiler.md); -o then writes the resulting state\n"
          "  --no-port-classes   do not use the port-range comparators (a device without them)\n"
          "  --baseline          plain range-to-prefix expansion, prefix lists in the key (comparison)\n"
          "A configuration that does not fit the tables is an error naming the overflow and the NSGs\n"
          "that take the space.\n");
  usage_common(f);
}

int cmd_compile(int argc, char **argv)
{
  struct common c = {0};
  nsg_options_default(&c.opts);
  struct nsg_compile_opts co;
  nsg_compile_opts_default(&co);
  const char *out = NULL, *from = NULL;
  bool stats = false;
  for (int i = 0; i < argc; i++) {
    int r = parse_common(&c, argc, argv, &i);
    if (r < 0)
      return EXIT_USAGE;
    if (r)
      continue;
    if ((strcmp(argv[i], "-o") == 0 || strcmp(argv[i], "--output") == 0) && i + 1 < argc) {
      out = argv[++i];
    } else if (strcmp(argv[i], "--update-from") == 0 && i + 1 < argc) {
      from = argv[++i];
    } else if (strcmp(argv[i], "--stats") == 0) {
      stats = true;
    } else if (strcmp(argv[i], "--no-table-limits") == 0) {
      co.rule_entries = co.label_entries = co.platform_entries = 0;
    } else if (strcmp(argv[i], "--no-port-classes") == 0) {
      co.no_port_classes = true;
    } else if (strcmp(argv[i], "--baseline") == 0) {
      co.plain_ports = co.no_prefix_labels = true;
    } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
      usage_compile(stdout);
      return 0;
    } else {
      fprintf(stderr, "nsgnic compile: unknown option '%s'; try 'nsgnic help compile'\n", argv[i]);
      return EXIT_USAGE;
    }
  }
  if (c.nconfigs == 0) {
    fprintf(stderr, "nsgnic compile: --config FILE is required\n");
    return EXIT_USAGE;
  }
  struct nsg_config *cfg = load(&c);
  if (!cfg)
    return EXIT_CONFIG;
  char err[1024];
  struct nsg_tables *old = NULL, *t = NULL;
  int rc = 0;
  if (from) {
    if (!(old = nsg_tables_load(from, err, sizeof err))) {
      fprintf(stderr, "nsgnic compile: %s\n", err);
      rc = EXIT_QUERY;
      goto out;
    }
    co.reuse = old; /* its port ranges and label bits */
  }
  t = nsg_compile(cfg, &co, err, sizeof err);
  if (!t) {
    fprintf(stderr, "nsgnic compile: %s\n", err);
    rc = EXIT_CONFIG;
    goto out;
  }
  if (old) {
    struct nsg_update *u = nsg_update_plan(old, t, err, sizeof err);
    if (!u) {
      fprintf(stderr, "nsgnic compile: %s\n", err);
      rc = EXIT_CONFIG;
      goto out;
    }
    size_t per[5] = {0};
    for (size_t i = 0; i < nsg_update_count(u); i++)
      per[nsg_update_write(u, i)->table]++;
    if (c.json)
      printf("{\"writes\":%zu,\"moves\":%zu,\"switchAt\":%zu,\"ruleWrites\":%zu,\"labelWrites\":%zu,"
             "\"platformWrites\":%zu,\"bindingWrites\":%zu}\n",
             nsg_update_count(u), nsg_update_moves(u), nsg_update_switch_index(u), per[NSG_WRITE_RULE],
             per[NSG_WRITE_LABEL], per[NSG_WRITE_PLATFORM], per[NSG_WRITE_BINDING]);
    else
      printf("update: %zu writes (rule TCAM %zu, label TCAM %zu, platform %zu, bindings %zu, bank switch 1), of "
             "which %zu move entries; the bank switch is write %zu\n",
             nsg_update_count(u), per[NSG_WRITE_RULE], per[NSG_WRITE_LABEL], per[NSG_WRITE_PLATFORM],
             per[NSG_WRITE_BINDING], nsg_update_moves(u), nsg_update_switch_index(u) + 1);
    if (out) { /* the device state after the update */
      if (nsg_update_install_names(u, old) < 0 ||
          nsg_tables_apply(old, nsg_update_write(u, 0), nsg_update_count(u)) < 0 ||
          nsg_tables_save(old, out, err, sizeof err) < 0) {
        fprintf(stderr, "nsgnic compile: cannot write the updated image %s\n", out);
        rc = EXIT_QUERY;
      }
    }
    nsg_update_free(u);
    goto out;
  }
  if (out && nsg_tables_save(t, out, err, sizeof err) < 0) {
    fprintf(stderr, "nsgnic compile: %s\n", err);
    rc = EXIT_QUERY;
    goto out;
  }
  if (stats || !out) {
    char *s = c.json ? nsg_tables_stats_json(t) : nsg_tables_stats_text(t);
    if (s) {
      printf("%s%s", s, c.json ? "\n" : "");
      free(s);
    }
  }
out:
  nsg_tables_free(old);
  nsg_tables_free(t);
  nsg_config_free(cfg);
  return rc;
}

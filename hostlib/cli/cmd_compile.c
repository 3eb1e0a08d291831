/* SPDX-License-Identifier: Apache-2.0 */
/* nsgnic compile: configuration -> device lookup tables (image file, statistics).
 * Exit codes: 0 success; 2 invalid configuration, or it does not fit the tables; 1 the image
 * could not be written; 64 usage error. */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "progress.h"
#include "nsgnic/abi.h"
#include "nsgnic/compile.h"

static const struct cmd_doc doc = {
    "nsgnic", "compile",
    "--config F... [--service-tags F]... [-o IMAGE] [--stats] [--json] [--no-table-limits] [--label-lpm] [--label-ctx]\n"
    "--config F... --update-from IMAGE [-o IMAGE] [--json]\n",
    "compile a configuration to the device's lookup tables (label and rule TCAMs): write the image, print "
    "statistics",
    "Without -o, or with --stats or --json, the statistics are printed (--json: as one JSON object).\n"
    "A configuration that does not fit the tables is an error naming the overflow and the NSGs\n"
    "that take the space. docs/compiler.md describes the image and the update protocol.\n",
    "0 compiled; 1 the image could not be read or written; 2 invalid configuration, or it does not\n"
    "fit the tables; 64 usage error",
};

static int set_no_limits(void *dst, const char *val, char *err, size_t errlen)
{
  (void)val, (void)err, (void)errlen;
  struct nsg_compile_opts *co = dst;
  co->rule_entries = co->label_entries = co->platform_entries = 0;
  return 0;
}

static int set_baseline(void *dst, const char *val, char *err, size_t errlen)
{
  (void)val, (void)err, (void)errlen;
  struct nsg_compile_opts *co = dst;
  co->plain_ports = co->no_prefix_labels = true;
  return 0;
}

int cmd_compile(int argc, char **argv)
{
  struct common c = {0};
  nsg_options_default(&c.opts);
  struct nsg_compile_opts co;
  nsg_compile_opts_default(&co);
  const char *out = NULL, *from = NULL;
  bool stats = false, no_limits = false, baseline = false;
  const struct opt opts[] = {
      COMMON_OPTS(&c, OPTF_REQUIRED),
      {"output", 'o', OPT_STR, "IMAGE", "write the binary table image the driver loads", &out, NULL, 0, 0, 0, NULL},
      {"stats", 0, OPT_FLAG, NULL,
       "print rules, label and TCAM entries, expansion per NSG, worst rules,\nlabel decisions and compile time",
       &stats, NULL, 0, 0, 0, NULL},
      {"update-from", 0, OPT_STR, "IMAGE",
       "plan the incremental update from the device state IMAGE to this\nconfiguration (same port classes): print "
       "the table writes (bank\nprotocol); -o then writes the resulting state",
       &from, NULL, 0, 0, 0, NULL},
      {"no-table-limits", 0, OPT_FLAG, NULL, "do not enforce the ABI's table sizes (measurements only)", &no_limits,
       NULL, 0, 0, 0, NULL},
      {"label-lpm", 0, OPT_FLAG, NULL,
       "check the label table against the block-RAM label stage (lpm.sv trees)\ninstead of the label TCAM",
       &co.label_lpm, NULL, 0, 0, 0, NULL},
      {"label-ctx", 0, OPT_FLAG, NULL,
       "per-vport label contexts (a device with CAP_LABEL_CTX; implies --label-lpm):\nlabel bits per NSG",
       &co.label_ctx, NULL, 0, 0, 0, NULL},
      {"no-port-classes", 0, OPT_FLAG, NULL, "do not use the port-range comparators (a device without them)",
       &co.no_port_classes, NULL, 0, 0, 0, NULL},
      {"baseline", 0, OPT_FLAG, NULL, "plain range-to-prefix expansion, prefix lists in the key (comparison)",
       &baseline, NULL, 0, 0, 0, NULL},
      OPT_HELP_ENTRY,
      OPT_END,
  };
  int pr = parse_common(&doc, opts, argc, argv, &c);
  if (pr)
    return pr == 1 ? 0 : EXIT_USAGE;
  if (no_limits)
    set_no_limits(&co, NULL, NULL, 0);
  if (baseline)
    set_baseline(&co, NULL, NULL, 0);
  struct strlist in = {0};
  common_inputs(&c, &in);
  strlist_add(&in, from);
  if (refuse_input_as_output(&doc, "-o", out, &in))
    return EXIT_USAGE;
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
  progress_start("compile");
  progress_phase("compiling");
  t = nsg_compile(cfg, &co, err, sizeof err);
  progress_end();
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
    if (c.json) {
      json_t *j = json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "writes", (json_int_t)nsg_update_count(u), "moves",
                            (json_int_t)nsg_update_moves(u), "switchAt", (json_int_t)nsg_update_switch_index(u),
                            "ruleWrites", (json_int_t)per[NSG_WRITE_RULE], "labelWrites",
                            (json_int_t)per[NSG_WRITE_LABEL], "platformWrites", (json_int_t)per[NSG_WRITE_PLATFORM],
                            "bindingWrites", (json_int_t)per[NSG_WRITE_BINDING]);
      json_print(j, true);
    }
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
  if (stats || !out || c.json) {
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

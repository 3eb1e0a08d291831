/* SPDX-License-Identifier: Apache-2.0 */
/* The compile report (`nsgnic compile --stats [--json]`): table use, per-NSG expansion against
 * the plain range-to-prefix baseline, the largest rules, label decisions, compile time. */
#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "label_lpm.h"
#include "model.h"
#include "tables.h"

struct sbuf {
  char *s;
  size_t n, cap;
  bool oom;
};

static void sb_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(struct sbuf *b, const char *fmt, ...)
{
  va_list ap;
  for (;;) {
    va_start(ap, fmt);
    int k = vsnprintf(b->s ? b->s + b->n : NULL, b->s ? b->cap - b->n : 0, fmt, ap);
    va_end(ap);
    if (k < 0) {
      b->oom = true;
      return;
    }
    if (b->s && b->n + (size_t)k < b->cap) {
      b->n += (size_t)k;
      return;
    }
    size_t cap = (b->cap ? b->cap * 2 : 1024) + (size_t)k;
    char *ns = realloc(b->s, cap);
    if (!ns) {
      b->oom = true;
      return;
    }
    b->s = ns;
    b->cap = cap;
  }
}

char *nsg_tables_stats_text(const struct nsg_tables *t)
{
  struct sbuf b = {0};
  struct nsg_tables_counts c;
  nsg_tables_counts(t, &c);
  sb_printf(&b, "rules:              %zu (in %zu compiled NSGs, defaults included)\n", c.rules, c.nsgs);
  sb_printf(&b, "rule TCAM entries:  %zu of %d (%.2f per rule; plain range-to-prefix expansion: %zu, %.2f per rule)\n",
            c.rule_entries, NSGNIC_RULE_ENTRIES, c.rules ? (double)c.rule_entries / (double)c.rules : 0.0,
            c.plain_entries, c.rules ? (double)c.plain_entries / (double)c.rules : 0.0);
  if (t->label_ctx)
    sb_printf(&b, "label contexts:     %zu (scope, subnet NSG, NIC NSG) with %zu rows; local-address table: %zu of %d; "
              "label bits used: %zu of %d (the most one NSG needs)\n", t->nctxs, t->nlrows, c.label_entries,
              NSGNIC_LABEL_ENTRIES, c.label_bits, NSGNIC_LABEL_BITS);
  else
    sb_printf(&b, "label TCAM entries: %zu of %d; label bits used: %zu of %d\n", c.label_entries,
              NSGNIC_LABEL_ENTRIES, c.label_bits, NSGNIC_LABEL_BITS);
  {
    /* the block-RAM label stage (lpm.sv) the label TCAM is to be replaced by */
    struct nsg_label_lpm l;
    char err[256];
    struct lpm_geom g4 = LPM_GEOM_V4, g6 = LPM_GEOM_V6;
    if (nsg_label_lpm_build(t, &l, err, sizeof err) == 0) {
      sb_printf(&b, "label LPM (block RAM): %zu IPv4 prefixes of %lu, %zu IPv6 of %lu, %zu result rows\n",
                l.prefixes[0], (lpm_interval_capacity(&g4) - 1) / 2, l.prefixes[1],
                (lpm_interval_capacity(&g6) - 1) / 2, l.nrows);
      nsg_label_lpm_free(&l);
    } else
      sb_printf(&b, "label LPM (block RAM): %s\n", err);
  }
  sb_printf(&b, "platform entries:   %zu of %d; vports: %zu of %d\n", c.platform_entries, NSGNIC_PLATFORM_ENTRIES,
            c.vports, NSGNIC_VPORTS);
  sb_printf(&b, "compile time:       %.3f ms\n", c.compile_ms);
  for (size_t i = 0; i < t->nstats; i++) {
    const struct nsg_tnsg_stats *s = &t->stats[i];
    sb_printf(&b, "NSG %u '%s': %zu rules -> %zu TCAM entries (expansion %.2fx; plain %.2fx), %zu shadowed entries removed\n",
              s->id, s->name, s->rules, s->entries, s->rules ? (double)s->entries / (double)s->rules : 0.0,
              s->rules ? (double)s->plain_entries / (double)s->rules : 0.0, s->shadowed);
    for (int w = 0; w < 3; w++)
      if (s->worst[w].entries > 1 && s->worst[w].rule_id < t->nrnames)
        sb_printf(&b, "    worst: %s: %zu entries\n", t->rnames[s->worst[w].rule_id].rule, s->worst[w].entries);
  }
  for (size_t i = 0; i < t->nnotes; i++)
    sb_printf(&b, "note: %s\n", t->notes[i]);
  if (b.oom) {
    free(b.s);
    errno = ENOMEM;
    return NULL;
  }
  return b.s;
}

char *nsg_tables_stats_json(const struct nsg_tables *t)
{
  struct nsg_tables_counts c;
  nsg_tables_counts(t, &c);
  json_t *o = json_object(), *nsgs = json_array(), *notes = json_array();
  if (!o || !nsgs || !notes)
    goto oom;
  json_object_set_new(o, "rules", json_integer((json_int_t)c.rules));
  json_object_set_new(o, "ruleEntries", json_integer((json_int_t)c.rule_entries));
  json_object_set_new(o, "ruleEntriesCapacity", json_integer(NSGNIC_RULE_ENTRIES));
  json_object_set_new(o, "plainEntries", json_integer((json_int_t)c.plain_entries));
  json_object_set_new(o, "labelEntries", json_integer((json_int_t)c.label_entries));
  json_object_set_new(o, "labelEntriesCapacity", json_integer(NSGNIC_LABEL_ENTRIES));
  json_object_set_new(o, "labelBits", json_integer((json_int_t)c.label_bits));
  json_object_set_new(o, "labelContexts", json_integer((json_int_t)t->nctxs)); /* 0: global label bits */
  json_object_set_new(o, "labelContextRows", json_integer((json_int_t)t->nlrows));
  {
    struct nsg_label_lpm l;
    char err[256];
    struct lpm_geom g4 = LPM_GEOM_V4, g6 = LPM_GEOM_V6;
    if (nsg_label_lpm_build(t, &l, err, sizeof err) == 0) {
      json_object_set_new(o, "labelLpmPrefixesV4", json_integer((json_int_t)l.prefixes[0]));
      json_object_set_new(o, "labelLpmPrefixesV6", json_integer((json_int_t)l.prefixes[1]));
      json_object_set_new(o, "labelLpmResultRows", json_integer((json_int_t)l.nrows));
      nsg_label_lpm_free(&l);
    } else
      json_object_set_new(o, "labelLpmError", json_string(err));
    json_object_set_new(o, "labelLpmCapacityV4", json_integer((json_int_t)(lpm_interval_capacity(&g4) - 1) / 2));
    json_object_set_new(o, "labelLpmCapacityV6", json_integer((json_int_t)(lpm_interval_capacity(&g6) - 1) / 2));
  }
  json_object_set_new(o, "platformEntries", json_integer((json_int_t)c.platform_entries));
  json_object_set_new(o, "vports", json_integer((json_int_t)c.vports));
  json_object_set_new(o, "compileMs", json_real(c.compile_ms));
  for (size_t i = 0; i < t->nstats; i++) {
    const struct nsg_tnsg_stats *s = &t->stats[i];
    json_t *w = json_array();
    for (int k = 0; k < 3; k++)
      if (s->worst[k].entries > 1 && s->worst[k].rule_id < t->nrnames)
        json_array_append_new(w, json_pack("{s:s,s:I}", "rule", t->rnames[s->worst[k].rule_id].rule, "entries",
                                           (json_int_t)s->worst[k].entries));
    json_array_append_new(nsgs, json_pack("{s:s,s:I,s:I,s:I,s:I,s:I,s:f,s:o}", "name", s->name, "id", (json_int_t)s->id,
                                          "rules", (json_int_t)s->rules, "entries", (json_int_t)s->entries,
                                          "plainEntries", (json_int_t)s->plain_entries, "shadowed",
                                          (json_int_t)s->shadowed, "expansion",
                                          s->rules ? (double)s->entries / (double)s->rules : 0.0, "worstRules", w));
  }
  json_object_set_new(o, "nsgs", nsgs);
  for (size_t i = 0; i < t->nnotes; i++)
    json_array_append_new(notes, json_string(t->notes[i]));
  json_object_set_new(o, "notes", notes);
  char *s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
  json_decref(o);
  if (!s)
    errno = ENOMEM;
  return s;
oom:
  json_decref(o);
  json_decref(nsgs);
  json_decref(notes);
  errno = ENOMEM;
  return NULL;
}

/* SPDX-License-Identifier: Apache-2.0 */
/* Flow-log writer: NSG flow logs version 2 and VNet flow logs (docs/slowpath.md "Flow logs").
 *
 * Tuples are buffered (bounded: a full buffer is flushed) and written as records, one per NSG
 * (NSG v2: records[].properties.flows[{rule, flows[{mac, flowTuples}]}]) or one per NIC (VNet:
 * records[].flowRecords.flows[{aclID, flowGroups[{rule, flowTuples}]}]) per record interval of
 * flow time, like Azure's one-minute blobs. The file is one JSON document {"records":[...]},
 * completed by nsg_flowlog_close(). Records are built with jansson (escaping, number format). */
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "flowlog.h"
#include "model.h"

#define BUF_MAX 8192

struct ent {
  int nsg, rule, nic;
  uint8_t mac[6];
  char tuple[320]; /* fits every field at its widest (IPv6 addresses, 20-digit counters) */
};

struct nsg_flowlog {
  FILE *out;
  enum nsg_flowlog_format fmt;
  const struct nsg_config *cfg;
  uint64_t record_interval, window_start;
  struct ent *buf;
  size_t n;
  unsigned long records;
};

int nsg_flowlog_format_parse(const char *s, enum nsg_flowlog_format *out)
{
  if (strcmp(s, "nsg-v2") == 0 || strcmp(s, "nsg") == 0)
    *out = NSG_FLOWLOG_NSG_V2;
  else if (strcmp(s, "vnet") == 0)
    *out = NSG_FLOWLOG_VNET;
  else
    return -EINVAL;
  return 0;
}

struct nsg_flowlog *nsg_flowlog_new(FILE *out, enum nsg_flowlog_format fmt, const struct nsg_config *cfg,
                                    uint64_t record_interval)
{
  struct nsg_flowlog *fl = calloc(1, sizeof *fl);
  if (fl)
    fl->buf = malloc(BUF_MAX * sizeof *fl->buf);
  if (!fl || !fl->buf) {
    free(fl);
    errno = ENOMEM;
    return NULL;
  }
  fl->out = out;
  fl->fmt = fmt;
  fl->cfg = cfg;
  fl->record_interval = record_interval ? record_interval : 60 * NSG_SEC;
  fl->window_start = UINT64_MAX;
  fputs("{\"records\":[", out);
  return fl;
}

static void iso_time(uint64_t ns, char *b, size_t n)
{
  time_t s = (time_t)(ns / NSG_SEC);
  struct tm tm;
  gmtime_r(&s, &tm);
  char d[32];
  strftime(d, sizeof d, "%Y-%m-%dT%H:%M:%S", &tm);
  snprintf(b, n, "%s.%07" PRIu64 "Z", d, (ns % NSG_SEC) / 100);
}

static void mac_str(const uint8_t m[6], char *b, size_t n)
{
  snprintf(b, n, "%02X%02X%02X%02X%02X%02X", m[0], m[1], m[2], m[3], m[4], m[5]);
}

static void upper(char *s)
{
  for (; *s; s++)
    if (*s >= 'a' && *s <= 'z')
      *s = (char)(*s - 'a' + 'A');
}

static void nsg_resource_id(const struct nsg_nsg *g, char *b, size_t n)
{
  if (g->id)
    snprintf(b, n, "%s", g->id);
  else
    snprintf(b, n, "/SUBSCRIPTIONS/00000000-0000-0000-0000-000000000000/RESOURCEGROUPS/NSGNIC/PROVIDERS/"
                   "MICROSOFT.NETWORK/NETWORKSECURITYGROUPS/%s", g->name);
  upper(b);
}

static void rule_label(const struct nsg_nsg *g, int rule, char *b, size_t n)
{
  const struct nsg_rule *r = &g->rules[rule];
  snprintf(b, n, "%s_%s", r->is_default ? "DefaultRule" : "UserRule", r->name);
}

static void emit(struct nsg_flowlog *fl, json_t *rec)
{
  if (fl->records++)
    fputc(',', fl->out);
  json_dumpf(rec, fl->out, JSON_COMPACT | JSON_PRESERVE_ORDER);
  json_decref(rec);
}

/* json array of tuples of entries [i] matching a predicate on (nsg, rule, nic/mac). */
static void flush_nsg_v2(struct nsg_flowlog *fl, const char *when)
{
  bool *done = calloc(fl->n ? fl->n : 1, sizeof *done);
  for (size_t i = 0; i < fl->n; i++) {
    if (done[i])
      continue;
    int nsg = fl->buf[i].nsg;
    const struct nsg_nsg *g = &fl->cfg->nsgs[nsg];
    char rid[512];
    nsg_resource_id(g, rid, sizeof rid);
    json_t *rules = json_array();
    for (size_t j = i; j < fl->n; j++) {
      if (done[j] || fl->buf[j].nsg != nsg)
        continue;
      int rule = fl->buf[j].rule;
      json_t *macs = json_array();
      for (size_t k = j; k < fl->n; k++) {
        if (done[k] || fl->buf[k].nsg != nsg || fl->buf[k].rule != rule)
          continue;
        json_t *tuples = json_array();
        for (size_t m = k; m < fl->n; m++)
          if (!done[m] && fl->buf[m].nsg == nsg && fl->buf[m].rule == rule &&
              memcmp(fl->buf[m].mac, fl->buf[k].mac, 6) == 0) {
            json_array_append_new(tuples, json_string(fl->buf[m].tuple));
            if (m != k)
              done[m] = true;
          }
        char mac[16];
        mac_str(fl->buf[k].mac, mac, sizeof mac);
        done[k] = true;
        json_array_append_new(macs, json_pack("{s:s,s:o}", "mac", mac, "flowTuples", tuples));
      }
      char rl[256];
      rule_label(g, rule, rl, sizeof rl);
      json_array_append_new(rules, json_pack("{s:s,s:o}", "rule", rl, "flows", macs));
    }
    emit(fl, json_pack("{s:s,s:s,s:s,s:s,s:s,s:{s:i,s:o}}", "time", when, "systemId",
                       "00000000-0000-0000-0000-000000000000", "category", "NetworkSecurityGroupFlowEvent",
                       "resourceId", rid, "operationName", "NetworkSecurityGroupFlowEvents", "properties", "Version", 2,
                       "flows", rules));
  }
  free(done);
}

static void flush_vnet(struct nsg_flowlog *fl, const char *when)
{
  bool *done = calloc(fl->n ? fl->n : 1, sizeof *done);
  for (size_t i = 0; i < fl->n; i++) {
    if (done[i])
      continue;
    int nic = fl->buf[i].nic;
    const struct nsg_nic *ni = &fl->cfg->nics[nic];
    json_t *acls = json_array();
    for (size_t j = i; j < fl->n; j++) {
      if (done[j] || fl->buf[j].nic != nic)
        continue;
      int nsg = fl->buf[j].nsg;
      json_t *groups = json_array();
      for (size_t k = j; k < fl->n; k++) {
        if (done[k] || fl->buf[k].nic != nic || fl->buf[k].nsg != nsg)
          continue;
        json_t *tuples = json_array();
        int rule = fl->buf[k].rule;
        for (size_t m = k; m < fl->n; m++)
          if (!done[m] && fl->buf[m].nic == nic && fl->buf[m].nsg == nsg && fl->buf[m].rule == rule) {
            json_array_append_new(tuples, json_string(fl->buf[m].tuple));
            done[m] = true;
          }
        char rl[256];
        rule_label(&fl->cfg->nsgs[nsg], rule, rl, sizeof rl);
        json_array_append_new(groups, json_pack("{s:s,s:o}", "rule", rl, "flowTuples", tuples));
      }
      char rid[512];
      nsg_resource_id(&fl->cfg->nsgs[nsg], rid, sizeof rid);
      json_array_append_new(acls, json_pack("{s:s,s:o}", "aclID", rid, "flowGroups", groups));
    }
    char mac[16], target[512];
    mac_str(fl->buf[i].mac, mac, sizeof mac);
    if (ni->id)
      snprintf(target, sizeof target, "%s", ni->id);
    else
      snprintf(target, sizeof target, "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/nsgnic/"
                                      "providers/Microsoft.Network/networkInterfaces/%s", ni->name);
    emit(fl, json_pack("{s:s,s:i,s:s,s:s,s:s,s:s,s:s,s:s,s:{s:o}}", "time", when, "flowLogVersion", 4, "flowLogGUID",
                       "00000000-0000-0000-0000-000000000000", "macAddress", mac, "category", "FlowLogFlowEvent",
                       "flowLogResourceID", "/SUBSCRIPTIONS/00000000-0000-0000-0000-000000000000/RESOURCEGROUPS/NSGNIC/"
                                            "PROVIDERS/MICROSOFT.NETWORK/NETWORKWATCHERS/NSGNIC/FLOWLOGS/NSGNIC",
                       "targetResourceID", target, "operationName", "FlowLogFlowEvent", "flowRecords", "flows", acls));
  }
  free(done);
}

void nsg_flowlog_flush(struct nsg_flowlog *fl, uint64_t now)
{
  if (!fl || !fl->n)
    return;
  char when[48];
  iso_time(now, when, sizeof when);
  if (fl->fmt == NSG_FLOWLOG_NSG_V2)
    flush_nsg_v2(fl, when);
  else
    flush_vnet(fl, when);
  fl->n = 0;
  fflush(fl->out);
}

void nsg_flowlog_tick(struct nsg_flowlog *fl, uint64_t now)
{
  if (fl && fl->n && now >= fl->window_start + fl->record_interval) {
    nsg_flowlog_flush(fl, now);
    fl->window_start = UINT64_MAX;
  }
}

void nsg_flowlog_tuple(struct nsg_flowlog *fl, uint64_t now, int nsg, int rule, int nic, const uint8_t mac[6],
                       const struct nsg_fl_tuple *t)
{
  if (!fl || nsg < 0 || rule < 0)
    return; /* platform decisions and NICs without NSG: no NSG to log them */
  bool v2 = fl->fmt == NSG_FLOWLOG_NSG_V2;
  if (v2 && t->proto != 6 && t->proto != 17)
    return; /* NSG v2 tuples know only T and U */
  if (fl->n == BUF_MAX)
    nsg_flowlog_flush(fl, now);
  if (fl->window_start == UINT64_MAX)
    fl->window_start = now;
  struct ent *e = &fl->buf[fl->n++];
  e->nsg = nsg, e->rule = rule, e->nic = nic;
  memcpy(e->mac, mac, 6);
  char s[64], d[64], cnt[96] = "";
  nsg_addr_format(t->fam, t->src, s, sizeof s);
  nsg_addr_format(t->fam, t->dst, d, sizeof d);
  bool empty = t->state == 'B' || t->state == 'D';
  if (v2) {
    if (!empty)
      snprintf(cnt, sizeof cnt, "%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64, t->cnt[0], t->cnt[1], t->cnt[2],
               t->cnt[3]);
    else
      snprintf(cnt, sizeof cnt, ",,,");
    snprintf(e->tuple, sizeof e->tuple, "%" PRIu64 ",%s,%s,%u,%u,%c,%c,%c,%c,%s", now / NSG_SEC, s, d, t->sport,
             t->dport, t->proto == 6 ? 'T' : 'U', t->outbound ? 'O' : 'I', t->allow ? 'A' : 'D',
             t->state == 'D' ? 'B' : t->state, cnt);
  } else {
    snprintf(cnt, sizeof cnt, "%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64, empty ? 0 : t->cnt[0],
             empty ? 0 : t->cnt[1], empty ? 0 : t->cnt[2], empty ? 0 : t->cnt[3]);
    snprintf(e->tuple, sizeof e->tuple, "%" PRIu64 ",%s,%s,%u,%u,%u,%c,%c,NX,%s", now / 1000000, s, d, t->sport,
             t->dport, t->proto, t->outbound ? 'O' : 'I', t->state, cnt);
  }
}

void nsg_flowlog_set_config(struct nsg_flowlog *fl, const struct nsg_config *cfg)
{
  if (fl)
    fl->cfg = cfg;
}

void nsg_flowlog_close(struct nsg_flowlog *fl, uint64_t now)
{
  if (!fl)
    return;
  nsg_flowlog_flush(fl, now);
  fputs("]}\n", fl->out);
  fflush(fl->out);
  free(fl->buf);
  free(fl);
}

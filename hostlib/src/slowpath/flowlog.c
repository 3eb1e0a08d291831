/* SPDX-License-Identifier: Apache-2.0 */
/* Flow-log writer: NSG flow logs version 2 and VNet flow logs (docs/slowpath.md "Flow logs").
 *
 * Like Azure's blobs, one record per minute of flow time (the record interval) and per NSG and
 * NIC MAC (NSG v2: records[] with macAddress, properties.flows[{rule, flows[{mac, flowTuples}]}]),
 * or per NIC (VNet: records[].flowRecords.flows[{aclID, flowGroups[{rule, flowTuples}]}]). A
 * tuple goes into the record of the minute its own time falls in, whenever it is reported (an E
 * tuple is stamped with the time its flow aged out, which the caller may learn a little later).
 * A minute is written once the caller's clock is SLACK past its end; tuples arriving for a minute
 * already written go into the next record (their time stays theirs).
 * Output is canonical, so two engines that log the same tuples write the same bytes whatever
 * order they found them in: records by minute, then resource id and MAC; rules by name; tuples
 * by time, then flow (text), then as reported.
 * Entries name their NSG, rule and NIC by strings (interned), so a configuration reload needs no
 * flush. Memory is bounded: at MAX_ENTS buffered tuples the oldest minutes are written early.
 * The file is one JSON document {"records":[...]}, completed by nsg_flowlog_close(); records are
 * built with jansson (escaping, number format). */
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "flowlog.h"
#include "model.h"

#define MAX_ENTS ((size_t)1 << 16)
#define SLACK_SEC 2 /* tuples are at most this late: the trackers end flows <= 1 s late */

struct ent {
  uint64_t sec;    /* the tuple's time, in seconds */
  uint64_t bucket; /* the minute (record interval) it is written in */
  uint32_t rec;    /* string: NSG resource id (nsg-v2) or NIC resource id (vnet) */
  uint32_t mid;    /* string: rule label (nsg-v2) or the NSG's resource id (vnet aclID) */
  uint32_t low;    /* string: rule label (vnet); unused (nsg-v2) */
  uint8_t mac[6];
  uint64_t ms;     /* its time as written: milliseconds (VNet), whole seconds x 1000 (NSG v2) */
  uint8_t key0, key1; /* the flow in the tuple's text: addresses, ports, protocol, direction */
  uint64_t seq;    /* order reported */
  char tuple[232]; /* fits every field at its widest (IPv6 addresses, 20-digit counters) */
};

struct strtab {
  char **s;
  size_t n, cap;
  uint32_t *slot; /* open addressing, index + 1 (0: empty) */
  size_t nslots;  /* power of two */
};

struct nsg_flowlog {
  FILE *out;
  enum nsg_flowlog_format fmt;
  const struct nsg_config *cfg;
  uint64_t bucket_sec;
  uint64_t written;  /* buckets < written are out */
  bool any_written;
  struct ent *buf;
  size_t n, cap;
  struct strtab st;
  unsigned long records;
  uint64_t seq;
  bool oom;
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

/* ---- interned strings ------------------------------------------------------------------------ */
static uint64_t str_hash(const char *s)
{
  uint64_t h = 1469598103934665603ull;
  for (; *s; s++)
    h = (h ^ (uint8_t)*s) * 1099511628211ull;
  return h;
}

/* The id of s (added when new); UINT32_MAX when out of memory. */
static uint32_t intern(struct strtab *t, const char *s)
{
  if (2 * (t->n + 1) > t->nslots) {
    size_t ns = t->nslots ? 2 * t->nslots : 256;
    uint32_t *sl = calloc(ns, sizeof *sl);
    if (!sl)
      return UINT32_MAX;
    for (size_t i = 0; i < t->n; i++) {
      size_t h = str_hash(t->s[i]) & (ns - 1);
      while (sl[h])
        h = (h + 1) & (ns - 1);
      sl[h] = (uint32_t)i + 1;
    }
    free(t->slot);
    t->slot = sl;
    t->nslots = ns;
  }
  size_t h = str_hash(s) & (t->nslots - 1);
  for (; t->slot[h]; h = (h + 1) & (t->nslots - 1))
    if (strcmp(t->s[t->slot[h] - 1], s) == 0)
      return t->slot[h] - 1;
  if (t->n == t->cap) {
    size_t cap = t->cap ? 2 * t->cap : 64;
    char **a = realloc(t->s, cap * sizeof *a);
    if (!a)
      return UINT32_MAX;
    t->s = a;
    t->cap = cap;
  }
  char *c = strdup(s);
  if (!c)
    return UINT32_MAX;
  t->s[t->n] = c;
  t->slot[h] = (uint32_t)++t->n;
  return (uint32_t)(t->n - 1);
}

static void strtab_free(struct strtab *t)
{
  for (size_t i = 0; i < t->n; i++)
    free(t->s[i]);
  free(t->s);
  free(t->slot);
}

/* ---- names ----------------------------------------------------------------------------------- */
static void iso_time(uint64_t sec, char *b, size_t n)
{
  time_t s = (time_t)sec;
  struct tm tm;
  gmtime_r(&s, &tm);
  char d[32];
  strftime(d, sizeof d, "%Y-%m-%dT%H:%M:%S", &tm);
  snprintf(b, n, "%s.0000000Z", d);
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

static void nic_resource_id(const struct nsg_nic *ni, char *b, size_t n)
{
  if (ni->id)
    snprintf(b, n, "%s", ni->id);
  else
    snprintf(b, n, "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/nsgnic/"
                   "providers/Microsoft.Network/networkInterfaces/%s", ni->name);
}

/* Azure's API spelling of the default rules (S6 revised), whatever case the model has. */
static const char *default_rule_name(const char *name)
{
  static const char *const az[] = {"AllowVnetInBound",  "AllowAzureLoadBalancerInBound", "DenyAllInBound",
                                   "AllowVnetOutBound", "AllowInternetOutBound",         "DenyAllOutBound"};
  for (size_t i = 0; i < sizeof az / sizeof *az; i++)
    if (nsg_strcaseeq(az[i], name))
      return az[i];
  return name;
}

static void rule_label(const struct nsg_nsg *g, int rule, char *b, size_t n)
{
  const struct nsg_rule *r = &g->rules[rule];
  if (r->is_default)
    snprintf(b, n, "DefaultRule_%s", default_rule_name(r->name));
  else
    snprintf(b, n, "UserRule_%s", r->name);
}

/* ---- writing --------------------------------------------------------------------------------- */
struct nsg_flowlog *nsg_flowlog_new(FILE *out, enum nsg_flowlog_format fmt, const struct nsg_config *cfg,
                                    uint64_t record_interval)
{
  struct nsg_flowlog *fl = calloc(1, sizeof *fl);
  if (!fl) {
    errno = ENOMEM;
    return NULL;
  }
  fl->out = out;
  fl->fmt = fmt;
  fl->cfg = cfg;
  fl->bucket_sec = record_interval >= NSG_SEC ? record_interval / NSG_SEC : 60;
  fputs("{\"records\":[", out);
  return fl;
}

static const struct nsg_flowlog *sort_fl; /* qsort has no context argument */

static int cmp_str(uint32_t a, uint32_t b)
{
  return a == b ? 0 : strcmp(sort_fl->st.s[a], sort_fl->st.s[b]);
}

static int cmp_ent(const void *pa, const void *pb)
{
  const struct ent *a = pa, *b = pb;
  int c;
  if (a->bucket != b->bucket)
    return a->bucket < b->bucket ? -1 : 1;
  if ((c = cmp_str(a->rec, b->rec)) || (c = memcmp(a->mac, b->mac, 6)) || (c = cmp_str(a->mid, b->mid)) ||
      (c = cmp_str(a->low, b->low)))
    return c;
  if (a->ms != b->ms)
    return a->ms < b->ms ? -1 : 1;
  /* one instant: flows by their text, one flow's tuples as reported (an aged-out flow's E before
   * the B of the next flow with that tuple) */
  size_t la = (size_t)(a->key1 - a->key0), lb = (size_t)(b->key1 - b->key0);
  if ((c = memcmp(a->tuple + a->key0, b->tuple + b->key0, la < lb ? la : lb)) || (c = (int)la - (int)lb))
    return c;
  return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static void emit(struct nsg_flowlog *fl, json_t *rec)
{
  if (fl->records++)
    fputc(',', fl->out);
  json_dumpf(rec, fl->out, JSON_COMPACT | JSON_PRESERVE_ORDER);
  json_decref(rec);
}

/* One record from the sorted entries [i, j) of one (bucket, rec, mac). */
static void write_record(struct nsg_flowlog *fl, size_t i, size_t j)
{
  const struct ent *e0 = &fl->buf[i];
  char when[48], mac[16];
  iso_time((e0->bucket + 1) * fl->bucket_sec, when, sizeof when);
  mac_str(e0->mac, mac, sizeof mac);
  bool v2 = fl->fmt == NSG_FLOWLOG_NSG_V2;
  json_t *outer = json_array();
  for (size_t k = i; k < j;) {
    size_t m = k;
    json_t *inner = json_array();
    while (m < j && fl->buf[m].mid == fl->buf[k].mid) {
      size_t q = m;
      json_t *tuples = json_array();
      while (q < j && fl->buf[q].mid == fl->buf[k].mid && fl->buf[q].low == fl->buf[m].low)
        json_array_append_new(tuples, json_string(fl->buf[q++].tuple));
      if (v2)
        json_array_append_new(inner, json_pack("{s:s,s:o}", "mac", mac, "flowTuples", tuples));
      else
        json_array_append_new(inner, json_pack("{s:s,s:o}", "rule", fl->st.s[fl->buf[m].low], "flowTuples", tuples));
      m = q;
    }
    const char *mid = fl->st.s[fl->buf[k].mid];
    if (v2)
      json_array_append_new(outer, json_pack("{s:s,s:o}", "rule", mid, "flows", inner));
    else
      json_array_append_new(outer, json_pack("{s:s,s:o}", "aclID", mid, "flowGroups", inner));
    k = m;
  }
  const char *rec = fl->st.s[e0->rec];
  if (v2)
    emit(fl, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:{s:i,s:o}}", "time", when, "systemId",
                       "00000000-0000-0000-0000-000000000000", "macAddress", mac, "category",
                       "NetworkSecurityGroupFlowEvent", "resourceId", rec, "operationName",
                       "NetworkSecurityGroupFlowEvents", "properties", "Version", 2, "flows", outer));
  else
    emit(fl, json_pack("{s:s,s:i,s:s,s:s,s:s,s:s,s:s,s:s,s:{s:o}}", "time", when, "flowLogVersion", 4, "flowLogGUID",
                       "00000000-0000-0000-0000-000000000000", "macAddress", mac, "category", "FlowLogFlowEvent",
                       "flowLogResourceID", "/SUBSCRIPTIONS/00000000-0000-0000-0000-000000000000/RESOURCEGROUPS/NSGNIC/"
                                            "PROVIDERS/MICROSOFT.NETWORK/NETWORKWATCHERS/NSGNIC/FLOWLOGS/NSGNIC",
                       "targetResourceID", rec, "operationName", "FlowLogFlowEvent", "flowRecords", "flows", outer));
}

/* Writes every buffered bucket <= last. */
static void write_upto(struct nsg_flowlog *fl, uint64_t last)
{
  if (!fl->n)
    return;
  sort_fl = fl;
  qsort(fl->buf, fl->n, sizeof *fl->buf, cmp_ent);
  size_t i = 0;
  while (i < fl->n && fl->buf[i].bucket <= last) {
    size_t j = i + 1;
    while (j < fl->n && fl->buf[j].bucket == fl->buf[i].bucket && fl->buf[j].rec == fl->buf[i].rec &&
           memcmp(fl->buf[j].mac, fl->buf[i].mac, 6) == 0)
      j++;
    write_record(fl, i, j);
    if (!fl->any_written || fl->buf[i].bucket + 1 > fl->written)
      fl->written = fl->buf[i].bucket + 1;
    fl->any_written = true;
    i = j;
  }
  memmove(fl->buf, fl->buf + i, (fl->n - i) * sizeof *fl->buf);
  fl->n -= i;
  fflush(fl->out);
}

void nsg_flowlog_flush(struct nsg_flowlog *fl, uint64_t now)
{
  (void)now;
  if (fl)
    write_upto(fl, UINT64_MAX);
}

void nsg_flowlog_tick(struct nsg_flowlog *fl, uint64_t now)
{
  uint64_t s = now / NSG_SEC;
  if (!fl || !fl->n || s < SLACK_SEC + fl->bucket_sec)
    return;
  uint64_t complete = (s - SLACK_SEC) / fl->bucket_sec; /* buckets < complete have ended */
  uint64_t oldest = UINT64_MAX;
  for (size_t i = 0; i < fl->n; i++)
    oldest = fl->buf[i].bucket < oldest ? fl->buf[i].bucket : oldest;
  if (oldest < complete)
    write_upto(fl, complete - 1);
}

void nsg_flowlog_tuple(struct nsg_flowlog *fl, uint64_t now, int nsg, int rule, int nic,
                       const struct nsg_fl_tuple *t)
{
  if (!fl || nsg < 0 || rule < 0 || (size_t)nsg >= fl->cfg->nnsgs || nic < 0 || (size_t)nic >= fl->cfg->nnics)
    return; /* platform decisions and NICs without NSG: no NSG to log them */
  bool v2 = fl->fmt == NSG_FLOWLOG_NSG_V2;
  if (v2 && t->proto != 6 && t->proto != 17)
    return; /* NSG v2 tuples know only T and U */
  if (fl->n == fl->cap) {
    if (fl->cap == MAX_ENTS) { /* bounded: the oldest minute goes out early */
      uint64_t oldest = UINT64_MAX;
      for (size_t i = 0; i < fl->n; i++)
        oldest = fl->buf[i].bucket < oldest ? fl->buf[i].bucket : oldest;
      write_upto(fl, oldest);
    } else {
      size_t cap = fl->cap ? 2 * fl->cap : 256;
      struct ent *b = realloc(fl->buf, cap * sizeof *b);
      if (!b) {
        fl->oom = true;
        return;
      }
      fl->buf = b;
      fl->cap = cap;
    }
  }
  const struct nsg_nsg *g = &fl->cfg->nsgs[nsg];
  const struct nsg_nic *ni = &fl->cfg->nics[nic];
  char rid[512], nid[512], rl[256];
  nsg_resource_id(g, rid, sizeof rid);
  rule_label(g, rule, rl, sizeof rl);
  struct ent *e = &fl->buf[fl->n];
  memset(e, 0, sizeof *e);
  e->sec = now / NSG_SEC;
  e->bucket = e->sec / fl->bucket_sec;
  if (fl->any_written && e->bucket < fl->written)
    e->bucket = fl->written; /* its minute is out: the next record takes it */
  if (v2) {
    e->rec = intern(&fl->st, rid);
    e->mid = intern(&fl->st, rl);
    e->low = e->mid;
  } else {
    nic_resource_id(ni, nid, sizeof nid);
    e->rec = intern(&fl->st, nid);
    e->mid = intern(&fl->st, rid);
    e->low = intern(&fl->st, rl);
  }
  if (e->rec == UINT32_MAX || e->mid == UINT32_MAX || e->low == UINT32_MAX) {
    fl->oom = true;
    return;
  }
  memcpy(e->mac, ni->mac, 6); /* the NIC's configured MAC (all zero: none configured) */
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
    int k = snprintf(e->tuple, sizeof e->tuple, "%" PRIu64 ",%s,%s,%u,%u,%c,%c,", now / NSG_SEC, s, d, t->sport,
                     t->dport, t->proto == 6 ? 'T' : 'U', t->outbound ? 'O' : 'I');
    e->ms = e->sec * 1000;
    e->key1 = (uint8_t)k;
    snprintf(e->tuple + k, sizeof e->tuple - (size_t)k, "%c,%c,%s", t->allow ? 'A' : 'D',
             t->state == 'D' ? 'B' : t->state, cnt);
  } else {
    snprintf(cnt, sizeof cnt, "%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64, empty ? 0 : t->cnt[0],
             empty ? 0 : t->cnt[1], empty ? 0 : t->cnt[2], empty ? 0 : t->cnt[3]);
    bool ports = t->proto == 6 || t->proto == 17; /* ICMP & co.: 0 (an echo's identifier is no port) */
    int k = snprintf(e->tuple, sizeof e->tuple, "%" PRIu64 ",%s,%s,%u,%u,%u,%c,", now / 1000000, s, d,
                     ports ? t->sport : 0, ports ? t->dport : 0, t->proto, t->outbound ? 'O' : 'I');
    e->ms = now / 1000000;
    e->key1 = (uint8_t)k;
    snprintf(e->tuple + k, sizeof e->tuple - (size_t)k, "%c,NX,%s", t->state, cnt);
  }
  e->key0 = (uint8_t)(strchr(e->tuple, ',') + 1 - e->tuple);
  e->seq = fl->seq++;
  fl->n++;
}

void nsg_flowlog_set_config(struct nsg_flowlog *fl, const struct nsg_config *cfg)
{
  if (fl)
    fl->cfg = cfg;
}

int nsg_flowlog_close(struct nsg_flowlog *fl, uint64_t now)
{
  if (!fl)
    return 0;
  nsg_flowlog_flush(fl, now);
  fputs("]}\n", fl->out);
  fflush(fl->out);
  int rc = fl->oom ? -ENOMEM : 0;
  free(fl->buf);
  strtab_free(&fl->st);
  free(fl);
  return rc;
}

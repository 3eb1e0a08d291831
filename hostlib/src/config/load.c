/* SPDX-License-Identifier: Apache-2.0 */
/* Phase 1 of loading: Azure JSON (az CLI flattened form or ARM form with nested `properties`)
 * into the model, references kept as id strings. Parsing uses jansson. */
#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

/* ---- small helpers ------------------------------------------------------------------------ */

int nsg_strcaseeq(const char *a, const char *b)
{
  if (!a || !b)
    return 0;
  for (; *a && *b; a++, b++)
    if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
      return 0;
  return *a == *b;
}

char *nsg_strdup(const char *s)
{
  if (!s)
    return NULL;
  size_t n = strlen(s) + 1;
  char *d = malloc(n);
  if (d)
    memcpy(d, s, n);
  return d;
}

static void *xgrow(void *arr, size_t *cap, size_t need, size_t elem)
{
  if (need <= *cap)
    return arr;
  size_t nc = *cap ? *cap * 2 : 8;
  while (nc < need)
    nc *= 2;
  void *p = realloc(arr, nc * elem);
  if (!p) {
    fprintf(stderr, "nsgnic: out of memory\n");
    abort();
  }
  memset((char *)p + *cap * elem, 0, (nc - *cap) * elem);
  *cap = nc;
  return p;
}
#define GROW(arr, cap, need) ((arr) = xgrow((arr), &(cap), (need), sizeof *(arr)))

static void *xcalloc(size_t n, size_t sz)
{
  void *p = calloc(n ? n : 1, sz);
  if (!p) {
    fprintf(stderr, "nsgnic: out of memory\n");
    abort();
  }
  return p;
}

void nsg_diag(struct nsg_config *cfg, enum nsg_log_level lvl, const char *file, const char *res,
              const char *rule, const char *field, const char *fmt, ...)
{
  char msg[1024];
  size_t n = 0;
  const char *sev = lvl == NSG_LOG_ERROR ? "error" : lvl == NSG_LOG_WARNING ? "warning" : "info";
#define APPEND(...)                                                                          \
  do {                                                                                       \
    if (n < sizeof msg) {                                                                    \
      int k_ = snprintf(msg + n, sizeof msg - n, __VA_ARGS__);                               \
      if (k_ > 0)                                                                            \
        n += (size_t)k_;                                                                     \
    }                                                                                        \
  } while (0)
  if (file)
    APPEND("%s: ", file);
  APPEND("%s: ", sev);
  if (res)
    APPEND("%s: ", res);
  if (rule)
    APPEND("%s: ", rule);
  if (field)
    APPEND("field '%s': ", field);
  if (n < sizeof msg) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg + n, sizeof msg - n, fmt, ap);
    va_end(ap);
  }
#undef APPEND
  if (lvl == NSG_LOG_ERROR)
    cfg->errors++;
  else if (lvl == NSG_LOG_WARNING)
    cfg->warnings++;
  if (cfg->opts.log)
    cfg->opts.log(cfg->opts.log_ctx, lvl, msg);
  else
    fprintf(stderr, "%s\n", msg);
}

/* A property of an Azure resource object: ARM nests them under `properties`, the az CLI
 * flattens them to the top level. Either is accepted. */
static json_t *prop(json_t *obj, const char *key)
{
  json_t *p = json_object_get(obj, "properties");
  json_t *v = json_is_object(p) ? json_object_get(p, key) : NULL;
  return v ? v : json_object_get(obj, key);
}

static const char *str_or_null(json_t *v) { return json_is_string(v) ? json_string_value(v) : NULL; }

/* Context for messages about one resource. */
struct where {
  struct nsg_config *cfg;
  const char *file;
  char res[256];
  char rule[200];
};

#define ERR(w, field, ...) \
  nsg_diag((w)->cfg, NSG_LOG_ERROR, (w)->file, (w)->res, (w)->rule[0] ? (w)->rule : NULL, field, __VA_ARGS__)
#define WARN(w, field, ...) \
  nsg_diag((w)->cfg, NSG_LOG_WARNING, (w)->file, (w)->res, (w)->rule[0] ? (w)->rule : NULL, field, __VA_ARGS__)

/* id of {"id": "..."} */
static const char *ref_id(json_t *v) { return json_is_object(v) ? str_or_null(json_object_get(v, "id")) : NULL; }

/* Splits a comma-separated singular field ("443,65200-65535") into trimmed tokens. */
static size_t split_commas(const char *s, char ***out)
{
  size_t n = 1;
  for (const char *p = s; *p; p++)
    n += *p == ',';
  char **v = xcalloc(n, sizeof *v);
  size_t k = 0;
  const char *start = s;
  for (const char *p = s;; p++) {
    if (*p == ',' || *p == '\0') {
      const char *a = start, *b = p;
      while (a < b && isspace((unsigned char)*a))
        a++;
      while (b > a && isspace((unsigned char)b[-1]))
        b--;
      char *t = xcalloc((size_t)(b - a) + 1, 1);
      memcpy(t, a, (size_t)(b - a));
      v[k++] = t;
      if (*p == '\0')
        break;
      start = p + 1;
    }
  }
  *out = v;
  return k;
}

static void free_strv(char **v, size_t n)
{
  for (size_t i = 0; i < n; i++)
    free(v[i]);
  free(v);
}

/* Collects the strings of a singular field and its plural twin: the plural wins when it is a
 * non-empty array (S3). Returns the count; *field_used names the field read. */
static size_t collect_list(struct where *w, json_t *rule, const char *singular, const char *plural,
                           char ***out, const char **field_used)
{
  json_t *pl = prop(rule, plural);
  json_t *sg = prop(rule, singular);
  *out = NULL;
  if (json_is_array(pl) && json_array_size(pl) > 0) {
    *field_used = plural;
    size_t n = json_array_size(pl), k = 0;
    char **v = xcalloc(n, sizeof *v);
    for (size_t i = 0; i < n; i++) {
      const char *s = str_or_null(json_array_get(pl, i));
      if (!s) {
        ERR(w, plural, "element %zu is not a string; expected an address prefix, tag or port range", i);
        continue;
      }
      char **parts;
      size_t np = split_commas(s, &parts);
      char **nv = realloc(v, (k + np + n) * sizeof *v);
      if (!nv) {
        fprintf(stderr, "nsgnic: out of memory\n");
        abort();
      }
      v = nv;
      for (size_t j = 0; j < np; j++)
        v[k++] = parts[j];
      free(parts);
    }
    *out = v;
    return k;
  }
  if (pl && !json_is_array(pl) && !json_is_null(pl))
    ERR(w, plural, "expected an array of strings");
  *field_used = singular;
  if (sg && !json_is_null(sg) && !json_is_string(sg)) {
    ERR(w, singular, "expected a string");
    return 0;
  }
  const char *s = str_or_null(sg);
  if (!s || !*s)
    return 0;
  return split_commas(s, out);
}

static bool looks_like_address(const char *s)
{
  return strchr(s, ':') || strchr(s, '/') || isdigit((unsigned char)s[0]);
}

static void parse_items(struct where *w, json_t *rule, const char *singular, const char *plural,
                        const char *asgfield, struct nsg_item **items, size_t *nitems, int *ntags,
                        int *nasgs, size_t *nwritten, bool *plural_used)
{
  char **v;
  const char *field;
  size_t n = collect_list(w, rule, singular, plural, &v, &field);
  json_t *asg = prop(rule, asgfield);
  size_t na = json_is_array(asg) ? json_array_size(asg) : 0;
  *nwritten = n + na;
  *plural_used = field == plural;
  if (asg && !json_is_array(asg) && !json_is_null(asg))
    ERR(w, asgfield, "expected an array of {\"id\": ...} objects");
  struct nsg_item *it = xcalloc(n + na, sizeof *it);
  size_t k = 0;
  *ntags = *nasgs = 0;
  for (size_t i = 0; i < n; i++) {
    const char *s = v[i];
    struct nsg_item *x = &it[k];
    if (!*s) {
      ERR(w, field, "empty element; expected an IP address, CIDR prefix, service tag or '*'");
      continue;
    }
    x->text = nsg_strdup(s);
    if (strcmp(s, "*") == 0) {
      x->kind = NSG_ITEM_ANY;
    } else if (looks_like_address(s)) {
      bool hostbits = false;
      if (nsg_prefix_parse(s, &x->pfx, &hostbits) < 0) {
        ERR(w, field, "'%s' is not a valid IPv4 or IPv6 address or CIDR prefix", s);
        free(x->text);
        continue;
      }
      if (hostbits) {
        char c[80];
        nsg_prefix_format(&x->pfx, c, sizeof c);
        WARN(w, field, "'%s' has host bits set; using %s", s, c);
      }
      x->kind = NSG_ITEM_PREFIX;
      x->both_families = x->pfx.fam == NSG_AF4 && x->pfx.len == 0;
    } else {
      x->kind = NSG_ITEM_TAG;
      x->tag = -1; /* resolved by finalize */
      (*ntags)++;
    }
    k++;
  }
  free_strv(v, n);
  for (size_t i = 0; i < na; i++) {
    const char *id = ref_id(json_array_get(asg, i));
    if (!id) {
      ERR(w, asgfield, "element %zu has no \"id\"; expected {\"id\": \"/subscriptions/.../applicationSecurityGroups/NAME\"}", i);
      continue;
    }
    it[k].kind = NSG_ITEM_ASG;
    it[k].asg = -1;
    it[k].text = nsg_strdup(id);
    k++;
    (*nasgs)++;
  }
  *items = it;
  *nitems = k;
}

/* Parses "80", "10000-10005" or "*" into a range; returns false on a malformed one. */
static bool parse_port_range(const char *s, struct nsg_portrange *r)
{
  if (strcmp(s, "*") == 0) {
    r->lo = 0;
    r->hi = 65535;
    return true;
  }
  unsigned long a, b;
  char *end;
  if (!isdigit((unsigned char)*s))
    return false;
  a = strtoul(s, &end, 10);
  if (*end == '-') {
    const char *t = end + 1;
    if (!isdigit((unsigned char)*t))
      return false;
    b = strtoul(t, &end, 10);
  } else {
    b = a;
  }
  if (*end != '\0' || a > 65535 || b > 65535 || a > b)
    return false;
  r->lo = (uint16_t)a;
  r->hi = (uint16_t)b;
  return true;
}

static bool ports_cover_all(const struct nsg_portrange *r, size_t n)
{
  /* union of the ranges covers 0..65535 */
  uint32_t next = 0;
  bool progress = true;
  while (progress && next <= 65535) {
    progress = false;
    for (size_t i = 0; i < n; i++)
      if (r[i].lo <= next && r[i].hi >= next) {
        next = (uint32_t)r[i].hi + 1;
        progress = true;
      }
  }
  return next > 65535;
}

static void parse_ports(struct where *w, json_t *rule, const char *singular, const char *plural,
                        struct nsg_portrange **out, size_t *nout, bool *full)
{
  char **v;
  const char *field;
  size_t n = collect_list(w, rule, singular, plural, &v, &field);
  struct nsg_portrange *r = xcalloc(n ? n : 1, sizeof *r);
  size_t k = 0;
  if (n == 0) {
    ERR(w, singular, "missing; expected a port (80), a range (10000-10005), a list or '*'");
  }
  for (size_t i = 0; i < n; i++) {
    if (!parse_port_range(v[i], &r[k])) {
      ERR(w, field, "'%s' is not a valid port or port range; expected N or LO-HI with 0 <= LO <= HI <= 65535, or '*'", v[i]);
      continue;
    }
    k++;
  }
  free_strv(v, n);
  *out = r;
  *nout = k;
  *full = ports_cover_all(r, k);
}

static bool parse_enum(const char *s, const char *const *names, int nnames, int *out)
{
  for (int i = 0; i < nnames && s; i++)
    if (nsg_strcaseeq(s, names[i])) {
      *out = i;
      return true;
    }
  return false;
}

static void parse_rule(struct where *w, json_t *jr, struct nsg_rule *r, bool is_default)
{
  const char *name = str_or_null(json_object_get(jr, "name"));
  if (!name)
    name = str_or_null(prop(jr, "name"));
  r->is_default = is_default;
  if (!name || !*name) {
    snprintf(w->rule, sizeof w->rule, "%s[unnamed]", is_default ? "defaultSecurityRules" : "securityRules");
    ERR(w, "name", "missing; every security rule needs a name");
    r->name = nsg_strdup("");
  } else {
    snprintf(w->rule, sizeof w->rule, "%s/%s", is_default ? "defaultSecurityRules" : "securityRules", name);
    r->name = nsg_strdup(name);
  }
  if (is_default)
    return; /* default rules are fixed (S6): only their names are taken from the input */
  if (strlen(r->name) > 80)
    ERR(w, "name", "is %zu characters long; at most 80 are allowed (S3)", strlen(r->name));
  const char *desc = str_or_null(prop(jr, "description"));
  if (desc) {
    r->description = nsg_strdup(desc);
    if (strlen(desc) > 140)
      ERR(w, "description", "is %zu characters long; at most 140 are allowed (S3)", strlen(desc));
  }
  json_t *pr = prop(jr, "priority");
  if (!json_is_integer(pr)) {
    ERR(w, "priority", "%s; expected an integer from 100 to 4096", pr ? "is not an integer" : "missing");
    r->priority = -1;
  } else {
    json_int_t p = json_integer_value(pr);
    if (p < 100 || p > 4096)
      ERR(w, "priority", "%lld is out of range; expected an integer from 100 to 4096", (long long)p);
    r->priority = p < 0 ? -1 : p > 100000 ? 100000 : (int)p;
  }
  static const char *const dirs[] = {"Inbound", "Outbound"};
  static const char *const accs[] = {"Allow", "Deny"};
  int d = 0, a = 0;
  const char *ds = str_or_null(prop(jr, "direction"));
  if (!parse_enum(ds, dirs, 2, &d))
    ERR(w, "direction", "%s%s%s; expected Inbound or Outbound", ds ? "'" : "missing", ds ? ds : "", ds ? "' is not valid" : "");
  r->dir = (enum nsg_direction)d;
  const char *as = str_or_null(prop(jr, "access"));
  if (!parse_enum(as, accs, 2, &a))
    ERR(w, "access", "%s%s%s; expected Allow or Deny", as ? "'" : "missing", as ? as : "", as ? "' is not valid" : "");
  r->access = (enum nsg_access)a;
  const char *ps = str_or_null(prop(jr, "protocol"));
  r->proto_text = nsg_strdup(ps ? ps : "");
  if (!ps) {
    ERR(w, "protocol", "missing; expected Tcp, Udp, Icmp, Esp, Ah or '*'");
  } else if (strcmp(ps, "*") == 0 || nsg_strcaseeq(ps, "Any")) {
    r->proto = NSG_PROTO_ANY;
  } else if (nsg_strcaseeq(ps, "Tcp")) {
    r->proto = 6;
  } else if (nsg_strcaseeq(ps, "Udp")) {
    r->proto = 17;
  } else if (nsg_strcaseeq(ps, "Icmp") || nsg_strcaseeq(ps, "Esp") || nsg_strcaseeq(ps, "Ah")) {
    r->proto = nsg_strcaseeq(ps, "Icmp") ? 1 : nsg_strcaseeq(ps, "Esp") ? 50 : 51;
    if (w->cfg->opts.strict)
      ERR(w, "protocol", "'%s' is not allowed in strict mode; the seed allows only Tcp, Udp or '*' (S3)", ps);
  } else {
    ERR(w, "protocol", "'%s' is not a known protocol; expected Tcp, Udp, Icmp, Esp, Ah or '*'", ps);
  }
  size_t src_written, dst_written;
  parse_items(w, jr, "sourceAddressPrefix", "sourceAddressPrefixes", "sourceApplicationSecurityGroups",
              &r->src, &r->nsrc, &r->src_tags, &r->src_asgs, &src_written, &r->src_plural);
  parse_items(w, jr, "destinationAddressPrefix", "destinationAddressPrefixes",
              "destinationApplicationSecurityGroups", &r->dst, &r->ndst, &r->dst_tags, &r->dst_asgs, &dst_written,
              &r->dst_plural);
  /* an element that failed to parse was reported already: "no source" only when none was written */
  if (src_written == 0)
    ERR(w, "sourceAddressPrefix", "no source: expected sourceAddressPrefix(es) or sourceApplicationSecurityGroups");
  if (dst_written == 0)
    ERR(w, "destinationAddressPrefix", "no destination: expected destinationAddressPrefix(es) or destinationApplicationSecurityGroups");
  parse_ports(w, jr, "sourcePortRange", "sourcePortRanges", &r->sports, &r->nsports, &r->sports_full);
  parse_ports(w, jr, "destinationPortRange", "destinationPortRanges", &r->dports, &r->ndports, &r->dports_full);
}

static const char *last_segment(const char *id)
{
  const char *s = strrchr(id, '/');
  return s ? s + 1 : id;
}

/* The identity every resource starts with: its id, its name (`name`, else the id's last
 * segment) and the "KIND/NAME" prefix of its messages. A missing name is an error naming `what`
 * (NULL: tolerated). Returns the name, or "" when there is none. */
static const char *res_begin(struct where *w, json_t *obj, const char *kind, const char *what, const char **id)
{
  *id = str_or_null(json_object_get(obj, "id"));
  const char *name = str_or_null(json_object_get(obj, "name"));
  if (!name && *id)
    name = last_segment(*id);
  snprintf(w->res, sizeof w->res, "%s/%s", kind, name ? name : "[unnamed]");
  if (!name && what)
    ERR(w, "name", "missing; expected the %s's name", what);
  return name ? name : "";
}

static void load_nsg(struct nsg_config *cfg, const char *file, json_t *obj, bool classic)
{
  GROW(cfg->nsgs, cfg->cap_nsgs, cfg->nnsgs + 1);
  struct nsg_nsg *n = &cfg->nsgs[cfg->nnsgs++];
  struct where w = {.cfg = cfg, .file = file};
  const char *id, *name = res_begin(&w, obj, "networkSecurityGroups", "NSG", &id);
  n->id = nsg_strdup(id);
  n->name = nsg_strdup(name);
  n->file = nsg_strdup(file);
  n->classic = classic;
  json_t *fc = prop(obj, "flushConnection");
  if (fc && !json_is_boolean(fc))
    ERR(&w, "flushConnection", "expected true or false");
  n->flush_connection = json_is_true(fc);
  json_t *rules = prop(obj, "securityRules");
  if (rules && !json_is_array(rules) && !json_is_null(rules))
    ERR(&w, "securityRules", "expected an array of security rules");
  size_t nr = json_is_array(rules) ? json_array_size(rules) : 0;
  n->rules = xcalloc(nr + 6, sizeof *n->rules);
  for (size_t i = 0; i < nr; i++) {
    json_t *jr = json_array_get(rules, i);
    if (!json_is_object(jr)) {
      w.rule[0] = 0;
      ERR(&w, "securityRules", "element %zu is not an object", i);
      continue;
    }
    parse_rule(&w, jr, &n->rules[n->nrules++], false);
    w.rule[0] = 0;
  }
  n->ncustom = n->nrules;
  json_t *defs = prop(obj, "defaultSecurityRules");
  static const char *const seed[6] = {"AllowVNetInBound", "AllowAzureLoadBalancerInBound", "DenyAllInbound",
                                      "AllowVnetOutBound", "AllowInternetOutBound", "DenyAllOutBound"};
  for (size_t i = 0; json_is_array(defs) && i < json_array_size(defs); i++) {
    const char *dn = str_or_null(json_object_get(json_array_get(defs, i), "name"));
    for (int k = 0; dn && k < 6; k++)
      if (nsg_strcaseeq(dn, seed[k]) && !n->default_names[k])
        n->default_names[k] = nsg_strdup(dn);
  }
}

static void load_prefix_list(struct where *w, json_t *arr, const char *field, struct nsg_prefix **out, size_t *nout)
{
  size_t n = json_is_array(arr) ? json_array_size(arr) : 0;
  if (arr && !json_is_array(arr) && !json_is_null(arr)) {
    ERR(w, field, "expected an array of CIDR prefixes");
  }
  *out = xcalloc(n, sizeof **out);
  *nout = 0;
  for (size_t i = 0; i < n; i++) {
    const char *s = str_or_null(json_array_get(arr, i));
    bool hb = false;
    if (!s || nsg_prefix_parse(s, &(*out)[*nout], &hb) < 0) {
      ERR(w, field, "'%s' is not a valid CIDR prefix", s ? s : "(not a string)");
      continue;
    }
    if (hb)
      ERR(w, field, "'%s' has host bits set; expected a network prefix", s);
    (*nout)++;
  }
}

static void load_vnet(struct nsg_config *cfg, const char *file, json_t *obj)
{
  GROW(cfg->vnets, cfg->cap_vnets, cfg->nvnets + 1);
  int vi = (int)cfg->nvnets++;
  struct nsg_vnet *v = &cfg->vnets[vi];
  struct where w = {.cfg = cfg, .file = file};
  const char *id, *name = res_begin(&w, obj, "virtualNetworks", "virtual network", &id);
  v->id = nsg_strdup(id);
  v->name = nsg_strdup(name);
  v->file = nsg_strdup(file);
  json_t *as = prop(obj, "addressSpace");
  load_prefix_list(&w, json_object_get(as, "addressPrefixes"), "addressSpace.addressPrefixes", &v->space, &v->nspace);
  if (v->nspace == 0)
    ERR(&w, "addressSpace.addressPrefixes", "missing or empty; a virtual network needs at least one address prefix");
  json_t *ft = prop(obj, "flowTimeoutInMinutes");
  if (ft && !json_is_null(ft)) {
    if (!json_is_integer(ft) || json_integer_value(ft) < 4 || json_integer_value(ft) > 30)
      ERR(&w, "flowTimeoutInMinutes", "expected an integer from 4 to 30 (S5)");
    else
      v->flow_timeout_min = (int)json_integer_value(ft);
  }
  json_t *subs = prop(obj, "subnets");
  for (size_t i = 0; json_is_array(subs) && i < json_array_size(subs); i++) {
    json_t *js = json_array_get(subs, i);
    GROW(cfg->subnets, cfg->cap_subnets, cfg->nsubnets + 1);
    struct nsg_subnet *s = &cfg->subnets[cfg->nsubnets++];
    s->vnet = vi;
    s->nsg = -1;
    const char *sid = str_or_null(json_object_get(js, "id"));
    const char *sn = str_or_null(json_object_get(js, "name"));
    if (!sn && sid)
      sn = last_segment(sid);
    struct where ws = w;
    snprintf(ws.res, sizeof ws.res, "virtualNetworks/%s/subnets/%s", v->name, sn ? sn : "[unnamed]");
    if (!sn)
      ERR(&ws, "name", "missing; expected the subnet's name");
    s->name = nsg_strdup(sn ? sn : "");
    if (sid) {
      s->id = nsg_strdup(sid);
    } else {
      char buf[600];
      snprintf(buf, sizeof buf, "%s/subnets/%s", v->id ? v->id : v->name, s->name);
      s->id = nsg_strdup(buf);
    }
    json_t *pl = prop(js, "addressPrefixes");
    if (json_is_array(pl) && json_array_size(pl) > 0) {
      load_prefix_list(&ws, pl, "addressPrefixes", &s->prefixes, &s->nprefixes);
    } else {
      json_t *one = json_array();
      json_t *ap = prop(js, "addressPrefix");
      if (ap)
        json_array_append(one, ap);
      load_prefix_list(&ws, one, "addressPrefix", &s->prefixes, &s->nprefixes);
      json_decref(one);
    }
    if (s->nprefixes == 0)
      ERR(&ws, "addressPrefix", "missing; a subnet needs an address prefix");
    s->nsg_ref = nsg_strdup(ref_id(prop(js, "networkSecurityGroup")));
    s->rt = -1;
    s->scope = -1;
    json_t *rt = prop(js, "routeTable");
    if (rt && !json_is_null(rt) && !ref_id(rt))
      ERR(&ws, "routeTable", "expected {\"id\": \".../routeTables/NAME\"}");
    s->rt_ref = nsg_strdup(ref_id(rt));
  }
  json_t *peers = prop(obj, "virtualNetworkPeerings");
  size_t np = json_is_array(peers) ? json_array_size(peers) : 0;
  v->peerings = xcalloc(np, sizeof *v->peerings);
  for (size_t i = 0; i < np; i++) {
    json_t *jp = json_array_get(peers, i);
    struct nsg_peering *p = &v->peerings[v->npeerings++];
    const char *pn = str_or_null(json_object_get(jp, "name"));
    struct where wp = w;
    snprintf(wp.res, sizeof wp.res, "virtualNetworks/%s/virtualNetworkPeerings/%s", v->name, pn ? pn : "[unnamed]");
    p->name = nsg_strdup(pn ? pn : "");
    p->remote_vnet = -1;
    p->remote_vnet_ref = nsg_strdup(ref_id(prop(jp, "remoteVirtualNetwork")));
    json_t *ras = prop(jp, "remoteAddressSpace");
    load_prefix_list(&wp, json_object_get(ras, "addressPrefixes"), "remoteAddressSpace.addressPrefixes",
                     &p->prefixes, &p->nprefixes);
    const char *st = str_or_null(prop(jp, "peeringState"));
    p->connected = !st || nsg_strcaseeq(st, "Connected");
    if (!p->remote_vnet_ref && p->nprefixes == 0)
      ERR(&wp, "remoteVirtualNetwork", "missing, and no remoteAddressSpace: the peered address space is unknown");
  }
}

/* A MAC address as Azure writes it ("00-0D-3A-F8-78-56"), also with colons or as 12 hex digits
 * ("000D3AF87856", the flow logs' form). 0, or -1 when it is none of these. */
static int parse_mac(const char *s, uint8_t mac[6])
{
  size_t n = strlen(s);
  bool sep = n == 17;
  if (n != 12 && !sep)
    return -1;
  for (int i = 0; i < 6; i++) {
    const char *p = s + (sep ? 3 * i : 2 * i);
    if (sep && i < 5 && p[2] != '-' && p[2] != ':')
      return -1;
    if (sep && i && p[-1] != s[2])
      return -1; /* one separator throughout */
    unsigned v = 0;
    for (int k = 0; k < 2; k++) {
      char c = p[k];
      unsigned d = c >= '0' && c <= '9' ? (unsigned)(c - '0')
                   : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
                   : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10)
                                          : 16u;
      if (d > 15)
        return -1;
      v = v << 4 | d;
    }
    mac[i] = (uint8_t)v;
  }
  return 0;
}

static void load_nic(struct nsg_config *cfg, const char *file, json_t *obj)
{
  GROW(cfg->nics, cfg->cap_nics, cfg->nnics + 1);
  struct nsg_nic *n = &cfg->nics[cfg->nnics++];
  struct where w = {.cfg = cfg, .file = file};
  const char *id, *name = res_begin(&w, obj, "networkInterfaces", "network interface", &id);
  n->id = nsg_strdup(id);
  n->name = nsg_strdup(name);
  n->file = nsg_strdup(file);
  n->nsg = -1;
  n->vnet = -1;
  n->nsg_ref = nsg_strdup(ref_id(prop(obj, "networkSecurityGroup")));
  json_t *jm = prop(obj, "macAddress");
  if (jm && !json_is_null(jm)) { /* Azure leaves it empty or null until the NIC is attached to a VM */
    const char *m = str_or_null(jm);
    if (!m)
      ERR(&w, "macAddress", "expected a string such as \"00-0D-3A-F8-78-56\"");
    else if (*m && parse_mac(m, n->mac) < 0)
      ERR(&w, "macAddress", "'%s' is not a MAC address; expected six hex bytes such as \"00-0D-3A-F8-78-56\"", m);
    else
      n->has_mac = *m != 0;
  }
  json_t *ipcs = prop(obj, "ipConfigurations");
  size_t ni = json_is_array(ipcs) ? json_array_size(ipcs) : 0;
  if (ni == 0)
    ERR(&w, "ipConfigurations", "missing or empty; a network interface needs at least one IP configuration");
  n->ipcs = xcalloc(ni, sizeof *n->ipcs);
  for (size_t i = 0; i < ni; i++) {
    json_t *jc = json_array_get(ipcs, i);
    struct nsg_ipconfig *c = &n->ipcs[n->nipcs++];
    const char *cn = str_or_null(json_object_get(jc, "name"));
    struct where wc = w;
    snprintf(wc.res, sizeof wc.res, "networkInterfaces/%s/ipConfigurations/%s", n->name, cn ? cn : "[unnamed]");
    c->name = nsg_strdup(cn ? cn : "");
    c->subnet = -1;
    const char *ip = str_or_null(prop(jc, "privateIPAddress"));
    if (!ip)
      ERR(&wc, "privateIPAddress", "missing; expected the configuration's private IP address");
    else if (nsg_ip_parse(ip, &c->ip) < 0)
      ERR(&wc, "privateIPAddress", "'%s' is not a valid IPv4 or IPv6 address", ip);
    else
      c->has_ip = true;
    c->subnet_ref = nsg_strdup(ref_id(prop(jc, "subnet")));
    if (!c->subnet_ref)
      ERR(&wc, "subnet", "missing; expected {\"id\": \".../virtualNetworks/VNET/subnets/SUBNET\"}");
    json_t *asgs = prop(jc, "applicationSecurityGroups");
    size_t na = json_is_array(asgs) ? json_array_size(asgs) : 0;
    c->asg_refs = xcalloc(na, sizeof *c->asg_refs);
    c->asgs = xcalloc(na, sizeof *c->asgs);
    for (size_t k = 0; k < na; k++) {
      const char *aid = ref_id(json_array_get(asgs, k));
      if (!aid) {
        ERR(&wc, "applicationSecurityGroups", "element %zu has no \"id\"", k);
        continue;
      }
      c->asg_refs[c->nasgs] = nsg_strdup(aid);
      c->asgs[c->nasgs++] = -1;
    }
  }
}

static void load_asg(struct nsg_config *cfg, const char *file, json_t *obj)
{
  GROW(cfg->asgs, cfg->cap_asgs, cfg->nasgs + 1);
  struct nsg_asg *a = &cfg->asgs[cfg->nasgs++];
  const char *id = str_or_null(json_object_get(obj, "id"));
  const char *name = str_or_null(json_object_get(obj, "name"));
  if (!name && id)
    name = last_segment(id);
  if (!name) {
    struct where w = {.cfg = cfg, .file = file};
    snprintf(w.res, sizeof w.res, "applicationSecurityGroups/[unnamed]");
    ERR(&w, "name", "missing; expected the application security group's name");
  }
  a->id = nsg_strdup(id);
  a->name = nsg_strdup(name ? name : "");
  a->file = nsg_strdup(file);
  a->vnet = -1;
  a->first_nic = -1;
}

static void load_lng(struct nsg_config *cfg, const char *file, json_t *obj)
{
  GROW(cfg->lngs, cfg->cap_lngs, cfg->nlngs + 1);
  struct nsg_lng *l = &cfg->lngs[cfg->nlngs++];
  struct where w = {.cfg = cfg, .file = file};
  const char *id, *name = res_begin(&w, obj, "localNetworkGateways", "local network gateway", &id);
  l->id = nsg_strdup(id);
  l->name = nsg_strdup(name);
  l->file = nsg_strdup(file);
  json_t *as = prop(obj, "localNetworkAddressSpace");
  load_prefix_list(&w, json_object_get(as, "addressPrefixes"), "localNetworkAddressSpace.addressPrefixes",
                   &l->prefixes, &l->nprefixes);
}

static void load_vgw(struct nsg_config *cfg, const char *file, json_t *obj)
{
  GROW(cfg->vgws, cfg->cap_vgws, cfg->nvgws + 1);
  struct nsg_vgw *g = &cfg->vgws[cfg->nvgws++];
  struct where w = {.cfg = cfg, .file = file};
  const char *id, *name = res_begin(&w, obj, "virtualNetworkGateways", NULL, &id);
  g->id = nsg_strdup(id);
  g->name = nsg_strdup(name);
  g->file = nsg_strdup(file);
  g->vnet = -1;
  json_t *ipc = json_array_get(prop(obj, "ipConfigurations"), 0);
  g->subnet_ref = nsg_strdup(ref_id(prop(ipc, "subnet")));
  if (!g->subnet_ref)
    ERR(&w, "ipConfigurations", "missing a subnet; expected ipConfigurations[0].subnet.id (the VNet's GatewaySubnet)");
}

static void load_conn(struct nsg_config *cfg, const char *file, json_t *obj)
{
  GROW(cfg->conns, cfg->cap_conns, cfg->nconns + 1);
  struct nsg_conn *c = &cfg->conns[cfg->nconns++];
  struct where w = {.cfg = cfg, .file = file};
  const char *id, *name = res_begin(&w, obj, "connections", NULL, &id);
  c->id = nsg_strdup(id);
  c->name = nsg_strdup(name);
  c->file = nsg_strdup(file);
  c->gw1_ref = nsg_strdup(ref_id(prop(obj, "virtualNetworkGateway1")));
  c->gw2_ref = nsg_strdup(ref_id(prop(obj, "virtualNetworkGateway2")));
  c->lng_ref = nsg_strdup(ref_id(prop(obj, "localNetworkGateway2")));
  if (!c->gw1_ref)
    ERR(&w, "virtualNetworkGateway1", "missing; expected {\"id\": \".../virtualNetworkGateways/NAME\"}");
  if (!c->gw2_ref && !c->lng_ref)
    ERR(&w, "localNetworkGateway2", "missing, and no virtualNetworkGateway2: the connection has no remote side");
}

/* Microsoft.Network/routeTables (S7 revised): routes[] with addressPrefix (a CIDR prefix or a
 * service tag, resolved by finalize), nextHopType and nextHopIpAddress. */
static void load_rtable(struct nsg_config *cfg, const char *file, json_t *obj)
{
  GROW(cfg->rtables, cfg->cap_rtables, cfg->nrtables + 1);
  struct nsg_rtable *t = &cfg->rtables[cfg->nrtables++];
  struct where w = {.cfg = cfg, .file = file};
  const char *id, *name = res_begin(&w, obj, "routeTables", "route table", &id);
  t->id = nsg_strdup(id);
  t->name = nsg_strdup(name);
  t->file = nsg_strdup(file);
  json_t *routes = prop(obj, "routes");
  if (routes && !json_is_array(routes) && !json_is_null(routes))
    ERR(&w, "routes", "expected an array of routes");
  size_t nr = json_is_array(routes) ? json_array_size(routes) : 0;
  t->routes = xcalloc(nr, sizeof *t->routes);
  static const char *const hops[] = {"VirtualNetworkGateway", "VnetLocal", "Internet", "VirtualAppliance", "None"};
  for (size_t i = 0; i < nr; i++) {
    json_t *jr = json_array_get(routes, i);
    const char *rn = json_is_object(jr) ? str_or_null(json_object_get(jr, "name")) : NULL;
    if (!rn && json_is_object(jr) && str_or_null(json_object_get(jr, "id")))
      rn = last_segment(str_or_null(json_object_get(jr, "id")));
    snprintf(w.rule, sizeof w.rule, "routes/%s", rn ? rn : "[unnamed]");
    if (!json_is_object(jr)) {
      snprintf(w.rule, sizeof w.rule, "routes[%zu]", i);
      ERR(&w, "routes", "element %zu is not an object", i);
      continue;
    }
    struct nsg_route *r = &t->routes[t->nroutes++];
    r->name = nsg_strdup(rn ? rn : "");
    r->tag = -1;
    if (!rn)
      ERR(&w, "name", "missing; every route needs a name");
    json_t *ap = prop(jr, "addressPrefix");
    const char *aps = str_or_null(ap);
    if (!aps || !*aps) {
      ERR(&w, "addressPrefix", "%s; expected a CIDR prefix (0.0.0.0/0, 10.1.0.0/16) or a service tag",
          ap ? "is not a non-empty string" : "missing");
    } else {
      r->prefix_text = nsg_strdup(aps);
      if (looks_like_address(aps)) {
        bool hb = false;
        if (nsg_prefix_parse(aps, &r->pfx, &hb) < 0 || !strchr(aps, '/'))
          ERR(&w, "addressPrefix", "'%s' is not a valid CIDR prefix (ADDRESS/LENGTH) or service tag", aps);
        else if (hb)
          ERR(&w, "addressPrefix", "'%s' has host bits set; expected a network prefix", aps);
      } else {
        r->is_tag = true; /* resolved by finalize */
      }
    }
    const char *hs = str_or_null(prop(jr, "nextHopType"));
    int h = 0;
    if (!parse_enum(hs, hops, 5, &h))
      ERR(&w, "nextHopType", "%s%s%s; expected VirtualNetworkGateway, VnetLocal, Internet, VirtualAppliance or None",
          hs ? "'" : "missing", hs ? hs : "", hs ? "' is not valid" : "");
    r->hop = (enum nsg_next_hop)h;
    json_t *hip = prop(jr, "nextHopIpAddress");
    const char *hips = str_or_null(hip);
    if (hip && !json_is_null(hip) && !hips)
      ERR(&w, "nextHopIpAddress", "expected a string (an IP address)");
    if (hips && *hips && nsg_ip_parse(hips, &r->hop_ip) < 0)
      ERR(&w, "nextHopIpAddress", "'%s' is not a valid IP address", hips);
    else if (r->hop == NSG_HOP_VIRTUAL_APPLIANCE && hs && (!hips || !*hips))
      ERR(&w, "nextHopIpAddress", "missing; a route to a VirtualAppliance needs the appliance's IP address");
    else if (r->hop != NSG_HOP_VIRTUAL_APPLIANCE && hips && *hips)
      ERR(&w, "nextHopIpAddress", "'%s' is set but nextHopType is %s; only VirtualAppliance routes have one", hips,
          hops[r->hop]);
  }
  w.rule[0] = 0;
}

static void load_resource(struct nsg_config *cfg, const char *file, json_t *obj, size_t index)
{
  if (!json_is_object(obj)) {
    nsg_diag(cfg, NSG_LOG_ERROR, file, NULL, NULL, NULL, "element %zu is not a JSON object; expected an Azure resource", index);
    return;
  }
  const char *type = str_or_null(json_object_get(obj, "type"));
  if (!type) { /* infer from the content (e.g. exported templates without `type`) */
    if (prop(obj, "securityRules") || prop(obj, "defaultSecurityRules"))
      type = "Microsoft.Network/networkSecurityGroups";
    else if (prop(obj, "addressSpace"))
      type = "Microsoft.Network/virtualNetworks";
    else if (prop(obj, "ipConfigurations"))
      type = "Microsoft.Network/networkInterfaces";
    else if (prop(obj, "routes"))
      type = "Microsoft.Network/routeTables";
  }
  if (!type) {
    const char *name = str_or_null(json_object_get(obj, "name"));
    nsg_diag(cfg, NSG_LOG_ERROR, file, name, NULL, "type",
             "missing, and the resource is not recognisable; expected Microsoft.Network/networkSecurityGroups, virtualNetworks, networkInterfaces, applicationSecurityGroups or routeTables");
    return;
  }
  if (nsg_strcaseeq(type, "Microsoft.Network/networkSecurityGroups"))
    load_nsg(cfg, file, obj, false);
  else if (nsg_strcaseeq(type, "Microsoft.ClassicNetwork/networkSecurityGroups"))
    load_nsg(cfg, file, obj, true);
  else if (nsg_strcaseeq(type, "Microsoft.Network/virtualNetworks"))
    load_vnet(cfg, file, obj);
  else if (nsg_strcaseeq(type, "Microsoft.Network/networkInterfaces"))
    load_nic(cfg, file, obj);
  else if (nsg_strcaseeq(type, "Microsoft.Network/applicationSecurityGroups"))
    load_asg(cfg, file, obj);
  else if (nsg_strcaseeq(type, "Microsoft.Network/localNetworkGateways"))
    load_lng(cfg, file, obj);
  else if (nsg_strcaseeq(type, "Microsoft.Network/virtualNetworkGateways"))
    load_vgw(cfg, file, obj);
  else if (nsg_strcaseeq(type, "Microsoft.Network/connections"))
    load_conn(cfg, file, obj);
  else if (nsg_strcaseeq(type, "Microsoft.Network/routeTables"))
    load_rtable(cfg, file, obj);
  else
    nsg_diag(cfg, NSG_LOG_WARNING, file, str_or_null(json_object_get(obj, "name")), NULL, "type",
             "resource type '%s' is not used by nsgnic; ignored", type);
}

static int load_json(struct nsg_config *cfg, const char *name, json_t *root)
{
  unsigned before = cfg->errors;
  json_t *val = json_is_object(root) ? json_object_get(root, "value") : NULL;
  if (json_is_array(val))
    root = val;
  if (json_is_array(root)) {
    for (size_t i = 0; i < json_array_size(root); i++)
      load_resource(cfg, name, json_array_get(root, i), i);
  } else {
    load_resource(cfg, name, root, 0);
  }
  return cfg->errors > before ? -EINVAL : 0;
}

static int check_loadable(struct nsg_config *cfg)
{
  if (cfg->finalized) {
    nsg_diag(cfg, NSG_LOG_ERROR, NULL, NULL, NULL, NULL, "configuration already finalized; create a new one to load more");
    return -EBUSY;
  }
  return 0;
}

int nsg_config_load_string(struct nsg_config *cfg, const char *name, const char *json)
{
  if (check_loadable(cfg) < 0)
    return -EBUSY;
  json_error_t e;
  json_t *root = json_loads(json, JSON_REJECT_DUPLICATES, &e);
  if (!root) {
    nsg_diag(cfg, NSG_LOG_ERROR, name, NULL, NULL, NULL, "malformed JSON at line %d, column %d: %s", e.line, e.column, e.text);
    return -EINVAL;
  }
  int rc = load_json(cfg, name, root);
  json_decref(root);
  return rc;
}

int nsg_config_load_file(struct nsg_config *cfg, const char *path)
{
  if (check_loadable(cfg) < 0)
    return -EBUSY;
  json_error_t e;
  FILE *f = fopen(path, "rb");
  if (!f) {
    nsg_diag(cfg, NSG_LOG_ERROR, path, NULL, NULL, NULL, "cannot open: %s", strerror(errno));
    return -EIO;
  }
  json_t *root = json_loadf(f, JSON_REJECT_DUPLICATES, &e);
  fclose(f);
  if (!root) {
    nsg_diag(cfg, NSG_LOG_ERROR, path, NULL, NULL, NULL, "malformed JSON at line %d, column %d: %s", e.line, e.column, e.text);
    return -EINVAL;
  }
  int rc = load_json(cfg, path, root);
  json_decref(root);
  return rc;
}

int nsg_config_load_service_tags(struct nsg_config *cfg, const char *path)
{
  if (check_loadable(cfg) < 0)
    return -EBUSY;
  json_error_t e;
  json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &e);
  if (!root) {
    nsg_diag(cfg, NSG_LOG_ERROR, path, NULL, NULL, NULL, "%s at line %d, column %d: %s",
             e.line > 0 ? "malformed JSON" : "cannot read", e.line, e.column, e.text);
    return -EINVAL;
  }
  unsigned before = cfg->errors;
  json_t *vals = json_object_get(root, "values");
  if (!json_is_array(vals)) {
    nsg_diag(cfg, NSG_LOG_ERROR, path, NULL, NULL, "values", "missing; expected Azure's Service Tags JSON ({\"values\": [{\"name\", \"properties\": {\"addressPrefixes\"}}]})");
    json_decref(root);
    return -EINVAL;
  }
  for (size_t i = 0; i < json_array_size(vals); i++) {
    json_t *jv = json_array_get(vals, i);
    const char *name = str_or_null(json_object_get(jv, "name"));
    struct where w = {.cfg = cfg, .file = path};
    snprintf(w.res, sizeof w.res, "values[%zu]%s%s", i, name ? "/" : "", name ? name : "");
    if (!name || !*name) {
      ERR(&w, "name", "missing; expected the service tag's name");
      continue;
    }
    for (size_t t = 0; t < cfg->ntags; t++)
      if (nsg_strcaseeq(cfg->tags[t].name, name)) {
        ERR(&w, "name", "service tag '%s' is defined twice", name);
        name = NULL;
        break;
      }
    if (!name)
      continue;
    GROW(cfg->tags, cfg->cap_tags, cfg->ntags + 1);
    struct nsg_tag *t = &cfg->tags[cfg->ntags++];
    t->name = nsg_strdup(name);
    nsg_rset_init(&t->set[0], NSG_AF4);
    nsg_rset_init(&t->set[1], NSG_AF6);
    json_t *pfx = json_object_get(json_object_get(jv, "properties"), "addressPrefixes");
    load_prefix_list(&w, pfx, "properties.addressPrefixes", &t->prefixes, &t->nprefixes);
    for (size_t k = 0; k < t->nprefixes; k++)
      if (nsg_rset_add_prefix(&t->set[nsg_fam_index(t->prefixes[k].fam)], &t->prefixes[k]) < 0)
        abort();
  }
  json_decref(root);
  return cfg->errors > before ? -EINVAL : 0;
}

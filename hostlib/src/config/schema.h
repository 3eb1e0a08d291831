/* SPDX-License-Identifier: Apache-2.0 */
/* The JSON schema of every Azure resource type the loader reads, and Azure's naming rules.
 *
 * ARM treats property names case-insensitively, so does the loader: nsg_jget() finds a key
 * exactly, else in any case. nsg_schema_check() then holds a resource object (and its nested
 * `properties` object, and the az CLI's flattened form where the properties sit at the top
 * level) against the list of keys Azure defines for the type:
 *   - a known key whose value has the wrong JSON type (an array where an object belongs, ...)
 *     is an error: the loader would otherwise read nothing from it;
 *   - the same key given twice in different cases is an error (which one counts is undefined);
 *   - an unknown key is a warning naming it, or an error when it is a near miss of a key the
 *     loader reads (`securityRule`, `securityrule`, `sourceAdressPrefix`): the rules it holds
 *     would otherwise silently vanish.
 * Names follow Azure's rules (letters, digits, `_ . -`, a first character that is a letter or
 * digit, a per-type length counted in characters, not bytes); a name that breaks them is an
 * error, and names are printed through nsg_name_printable() so that a control character in one
 * never reaches a terminal. */
#ifndef NSGNIC_SCHEMA_H
#define NSGNIC_SCHEMA_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "model.h"

enum nsg_jtype {
  NSG_JANY,  /* Azure defines it; the loader does not read it */
  NSG_JSTR,
  NSG_JINT,
  NSG_JBOOL,
  NSG_JARR,
  NSG_JOBJ,
  NSG_JREF,  /* a reference: {"id": "/subscriptions/..."} */
};

struct nsg_jfield {
  const char *key;
  enum nsg_jtype type;
};

/* One resource type: what messages call it and the keys of its properties. */
struct nsg_jschema {
  const char *what;
  const struct nsg_jfield *props;
  size_t nprops;
  bool arm; /* an ARM resource: the common top-level keys (id, name, type, location, ...) apply */
};

extern const struct nsg_jschema nsg_schema_nsg, nsg_schema_rule, nsg_schema_vnet, nsg_schema_subnet,
    nsg_schema_address_space, nsg_schema_peering, nsg_schema_nic, nsg_schema_ipconfig, nsg_schema_asg,
    nsg_schema_lng, nsg_schema_vgw, nsg_schema_conn, nsg_schema_tags_file, nsg_schema_tag,
    nsg_schema_tag_props, nsg_schema_rtable;

/* obj[key], exactly or else case-insensitively; NULL when obj is not an object or lacks it. */
json_t *nsg_jget(json_t *obj, const char *key);

/* Checks `obj` (and its `properties`, for ARM resources) against `s`; reports through nsg_diag
 * with file, res and rule (may be NULL). Returns the number of errors it reported. */
unsigned nsg_schema_check(struct nsg_config *cfg, const char *file, const char *res, const char *rule,
                          json_t *obj, const struct nsg_jschema *s);

/* Azure's naming rule for a resource kind: lengths in characters. */
struct nsg_name_rule {
  const char *what;
  unsigned min, max;
};
extern const struct nsg_name_rule nsg_name_nsg, nsg_name_rule_, nsg_name_vnet, nsg_name_subnet, nsg_name_nic,
    nsg_name_asg, nsg_name_ipconfig, nsg_name_peering, nsg_name_gateway, nsg_name_tag;

/* NULL when `name` follows the rule, else why not (written to buf, which is returned). */
const char *nsg_name_problem(const char *name, const struct nsg_name_rule *r, char *buf, size_t n);

/* Characters of a UTF-8 string (code points). */
size_t nsg_utf8_len(const char *s);

/* `s` with every control character (C0, DEL, C1) written as \xNN and a backslash doubled, into buf (truncated). */
const char *nsg_name_printable(const char *s, char *buf, size_t n);

#endif

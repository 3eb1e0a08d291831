/* SPDX-License-Identifier: Apache-2.0 */
/* Test fixture: a small topology (two peered VNets, subnets web/app, NICs nic-web and nic-app,
 * ASGs asg-web/asg-app) into which tests drop NSGs written with the RULE/NSG macros, plus
 * capture of the library's messages. */
#ifndef NSGNIC_TEST_FIXTURE_H
#define NSGNIC_TEST_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nsgnic/nsgnic.h"

#define RULE(name, prio, dir, acc, proto, src, sp, dst, dp)                                       \
  "{\"name\":\"" name "\",\"properties\":{\"priority\":" #prio ",\"direction\":\"" dir            \
  "\",\"access\":\"" acc "\",\"protocol\":\"" proto "\",\"sourceAddressPrefix\":\"" src          \
  "\",\"sourcePortRange\":\"" sp "\",\"destinationAddressPrefix\":\"" dst                         \
  "\",\"destinationPortRange\":\"" dp "\"}}"
#define NSG(name, rules)                                                                          \
  "{\"type\":\"Microsoft.Network/networkSecurityGroups\",\"name\":\"" name                        \
  "\",\"properties\":{\"securityRules\":[" rules "]}}"

/* Options used by fx_config (reset by fx_reset_options). */
extern struct nsg_options fx_opts;
void fx_reset_options(void);

/* Extra properties of the subnets web [0] and app [1] in fx_config's topology (each starting with
 * a comma, e.g. ",\"routeTable\":{...}"); NULL: none. */
extern const char *fx_subnet_extra[2];
/* Builds the topology with the subnet "web" bound to NSG `web_nsg` and nic-web bound to
 * `nic_nsg` (either NULL for none), plus `extra` (comma-separated resources, may be "").
 * Returns the finalized configuration; *errors gets the error count (NULL: must be 0). */
struct nsg_config *fx_config(const char *web_nsg, const char *nic_nsg, const char *extra, unsigned *errors);
/* A new, empty configuration with fx_opts whose messages the fixture captures. */
struct nsg_config *fx_new(void);
/* Loads exactly `json` (no topology). */
struct nsg_config *fx_config_raw(const char *json, unsigned *errors);

/* All messages logged since the last fx_config*, one per line. */
const char *fx_messages(void);
/* True when a logged message equals `msg` exactly. */
bool fx_has_message(const char *msg);

/* Verifies; dir "in"/"out", proto name; asserts success; returns the verdict. */
struct nsg_verdict fx_verify(const struct nsg_config *cfg, const char *nic, const char *dir, const char *proto,
                             const char *local, unsigned lport, const char *remote, unsigned rport);
/* "Allow securityRules/X nsg" / "Deny platform" / "Allow none" */
const char *fx_verdict_str(const struct nsg_verdict *v);
/* Verify and compare fx_verdict_str with `expect`. */
void fx_expect(const struct nsg_config *cfg, const char *nic, const char *dir, const char *proto, const char *local,
               unsigned lport, const char *remote, unsigned rport, const char *expect);

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/* nsgnic host library: load Azure network configurations (NSGs, VNets, NICs, ASGs in the JSON
 * that `az network ... list/show` and the ARM REST API print, plus Azure's Service Tags file),
 * validate them, and evaluate them exactly as Azure does (IP flow verify, effective rules).
 *
 * Lifecycle: nsg_config_new() -> nsg_config_load_file()* / nsg_config_load_service_tags()* ->
 * nsg_config_finalize() (links ids, validates everything; a configuration with any error is
 * rejected whole) -> queries (nsg_verify, nsg_effective_json, ...) -> nsg_config_free().
 * Errors are negative errno values; messages go to the caller's log callback, each naming the
 * file, resource, rule and field at fault. A config is not thread-safe while loading; once
 * finalized, queries only read it and may run concurrently. */
#ifndef NSGNIC_NSGNIC_H
#define NSGNIC_NSGNIC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct nsg_config;

enum nsg_log_level { NSG_LOG_ERROR, NSG_LOG_WARNING, NSG_LOG_INFO };
typedef void (*nsg_log_fn)(void *ctx, enum nsg_log_level level, const char *msg);

/* Subscription types of S13 (outbound TCP 25 to the Internet), revised 2026-12. */
enum nsg_subscription {
  NSG_SUB_ENTERPRISE_AGREEMENT, /* allowed (default) */
  NSG_SUB_MCA_ENTERPRISE,       /* Microsoft Customer Agreement for enterprise: allowed */
  NSG_SUB_ENTERPRISE_DEVTEST,   /* Enterprise Dev/Test: blocked unless devtest_port25_exemption */
  NSG_SUB_PAYG,                 /* pay-as-you-go: blocked (no exemption is granted any more) */
  NSG_SUB_CSP,                  /* blocked, as every type below */
  NSG_SUB_MSDN,                 /* MSDN / Visual Studio */
  NSG_SUB_AZURE_PASS,
  NSG_SUB_AZURE_IN_OPEN,
  NSG_SUB_EDUCATION,
  NSG_SUB_FREE_TRIAL,
  NSG_SUB_OTHER,                /* any other type (BizSpark, sponsorship, ...) */
};

/* Limits of S14 (defaults: Azure's published ones). */
struct nsg_limits {
  unsigned rules_per_nsg;           /* 1000 */
  unsigned prefixes_per_nsg_side;   /* 4000 source and 4000 destination addresses/ranges */
  unsigned asgs_per_rule;           /* 10 */
  unsigned asgs_per_nsg;            /* 100 */
  unsigned asgs_per_ipconfig;       /* 20 */
};

struct nsg_options {
  bool strict;                      /* seed rules: no Icmp/Esp/Ah, one ASG per field */
  enum nsg_subscription subscription;
  bool devtest_port25_exemption;    /* S13: Enterprise Dev/Test with the exemption granted */
  bool created_before_2017_11_15;   /* S13: such subscriptions may still send on port 25 */
  bool platform_exemption;          /* S10 (default true) */
  bool forced_tunneling;            /* S11: disables the KMS platform rule */
  struct nsg_limits limits;
  nsg_log_fn log;                   /* NULL: messages go to stderr */
  void *log_ctx;
};

/* Fills *o with the defaults. */
void nsg_options_default(struct nsg_options *o);
/* Parses a subscription type name ("EnterpriseAgreement", "PayAsYouGo", "CSP", ...,
 * case-insensitive); returns 0 or -EINVAL. */
int nsg_subscription_parse(const char *name, enum nsg_subscription *out);
/* The accepted names, comma-separated (for usage errors). */
const char *nsg_subscription_names(void);
/* S13: does this option set block outbound TCP 25 to the Internet? */
bool nsg_subscription_blocks_port25(const struct nsg_options *o);

/* Returns NULL and sets errno on failure. */
struct nsg_config *nsg_config_new(const struct nsg_options *opts);
/* free(NULL) is a no-op. */
void nsg_config_free(struct nsg_config *cfg);

/* Reads one JSON file: a resource, an array of resources, or an object with a `value` array.
 * Errors are recorded (and logged) and also returned as -EINVAL (-EIO for an unreadable file).
 * Resources are linked by nsg_config_finalize(). */
int nsg_config_load_file(struct nsg_config *cfg, const char *path);
/* Same, from a string; `name` stands for the file name in messages. */
int nsg_config_load_string(struct nsg_config *cfg, const char *name, const char *json);
/* Reads Azure's Service Tags JSON (values[].name, values[].properties.addressPrefixes). */
int nsg_config_load_service_tags(struct nsg_config *cfg, const char *path);
/* Links and validates the whole configuration. Returns 0, or -EINVAL when any error was found
 * (then nsg_config_error_count() > 0 and no query may be made). */
int nsg_config_finalize(struct nsg_config *cfg);
unsigned nsg_config_error_count(const struct nsg_config *cfg);
unsigned nsg_config_warning_count(const struct nsg_config *cfg);

/* ---- IP flow verify (S9) ---------------------------------------------------------------- */
enum nsg_direction { NSG_INBOUND = 0, NSG_OUTBOUND = 1 };

struct nsg_query {
  const char *nic;       /* NIC name or id */
  enum nsg_direction dir;
  int proto;             /* IP protocol number (6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6, 50 ESP, 51 AH) */
  const char *local;     /* local (NIC) address */
  const char *remote;    /* remote address */
  uint16_t local_port, remote_port; /* ignored unless TCP or UDP */
};

enum nsg_decision_kind {
  NSG_DECIDED_BY_RULE,      /* rule_name / nsg_name set */
  NSG_DECIDED_BY_PLATFORM,  /* S10 exemption, S11 KMS, S13 port-25 block */
  NSG_DECIDED_NO_NSG,       /* no NSG at either level: allowed */
};

struct nsg_verdict {
  bool allow;
  enum nsg_decision_kind kind;
  char rule_name[160];   /* "securityRules/NAME" or "defaultSecurityRules/NAME" */
  char nsg_name[128];
  char reason[128];      /* for platform decisions: which one */
};

/* Returns 0 with *v filled, or -ENOENT (unknown NIC: message in err), -EINVAL (bad address,
 * address not on the NIC, ...: message in err). */
int nsg_verify(const struct nsg_config *cfg, const struct nsg_query *q, struct nsg_verdict *v,
               char *err, size_t errlen);

/* Parses "tcp", "udp", "icmp" (IPv4 ICMP; ICMPv6 when v6 is true), "icmpv6", "esp", "ah",
 * "*"/"any" (-1) or a number 0..255. Returns 0 or -EINVAL. */
int nsg_protocol_parse(const char *s, bool v6, int *out);

/* Effective security rules of a NIC (S9) in the shape of `az network nic list-effective-nsg`,
 * as a malloc'd JSON string (pretty when `pretty`). NULL with errno set (ENOENT: no such NIC). */
char *nsg_effective_json(const struct nsg_config *cfg, const char *nic, bool pretty);
/* The same as human-readable text, in evaluation order per direction. */
char *nsg_effective_text(const struct nsg_config *cfg, const char *nic);
/* One-screen summary of the configuration (for `nsgnic check`). */
char *nsg_config_summary(const struct nsg_config *cfg);
/* The same summary as a JSON object (malloc'd string): {"valid", "errors", "warnings",
 * "nsgs": [{"name", "inboundRules", "outboundRules", "subnets", "nics", "flushConnection"}],
 * "nics": [{"name", "addresses", "subnet", "vnet", "subnetNsg", "nicNsg"}]}. */
char *nsg_config_summary_json(const struct nsg_config *cfg);

#ifdef __cplusplus
}
#endif
#endif

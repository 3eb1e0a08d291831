/* SPDX-License-Identifier: Apache-2.0 */
/* An example of libnsgnic's API (pkg-config nsgnic): load an Azure configuration, ask whether a
 * packet is allowed and by which rule (IP flow verify, S9), as `nsgnic verify` does.
 *   verify_query CONFIG.json... -- NIC inbound|outbound tcp|udp LOCAL_IP LOCAL_PORT REMOTE_IP REMOTE_PORT
 * Exit: 0 answered (the verdict printed), 1 the query failed, 2 the configuration is invalid. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nsgnic/nsgnic.h>

int main(int argc, char **argv)
{
  int sep = 1;
  while (sep < argc && strcmp(argv[sep], "--") != 0)
    sep++;
  if (sep == 1 || argc - sep != 8) {
    fprintf(stderr, "usage: %s CONFIG.json... -- NIC inbound|outbound tcp|udp LOCAL_IP LOCAL_PORT REMOTE_IP "
                    "REMOTE_PORT\n", argv[0]);
    return 64;
  }
  struct nsg_options opts;
  nsg_options_default(&opts);
  struct nsg_config *cfg = nsg_config_new(&opts);
  if (!cfg)
    return 2;
  for (int i = 1; i < sep; i++)
    if (strstr(argv[i], "servicetags"))
      nsg_config_load_service_tags(cfg, argv[i]);
    else
      nsg_config_load_file(cfg, argv[i]);
  if (nsg_config_finalize(cfg) < 0) { /* every error was logged to stderr, naming file and field */
    fprintf(stderr, "invalid configuration: %u error(s)\n", nsg_config_error_count(cfg));
    nsg_config_free(cfg);
    return 2;
  }
  char **a = argv + sep + 1;
  struct nsg_query q = {0};
  q.nic = a[0];
  q.dir = strcmp(a[1], "inbound") == 0 ? NSG_INBOUND : NSG_OUTBOUND;
  if (nsg_protocol_parse(a[2], false, &q.proto) < 0) {
    fprintf(stderr, "unknown protocol %s\n", a[2]);
    nsg_config_free(cfg);
    return 64;
  }
  q.local = a[3];
  q.local_port = (uint16_t)atoi(a[4]);
  q.remote = a[5];
  q.remote_port = (uint16_t)atoi(a[6]);
  struct nsg_verdict v;
  char err[256];
  int rc = 0;
  if (nsg_verify(cfg, &q, &v, err, sizeof err) < 0) {
    fprintf(stderr, "query failed: %s\n", err);
    rc = 1;
  } else if (v.kind == NSG_DECIDED_BY_RULE) {
    printf("%s by %s/%s\n", v.allow ? "Allow" : "Deny", v.nsg_name, v.rule_name);
  } else {
    printf("%s (%s)\n", v.allow ? "Allow" : "Deny", v.kind == NSG_DECIDED_BY_PLATFORM ? v.reason : "no NSG");
  }
  nsg_config_free(cfg);
  return rc;
}

/* SPDX-License-Identifier: Apache-2.0 */
/* The example configuration directory (examples/three-tier) for the co-simulated NIC's tests
 * and benchmark. */
#ifndef SOC_EXAMPLE_H
#define SOC_EXAMPLE_H
#include <stdio.h>

#include "nsgnic/nsgnic.h"

/* vnets, asgs, nsgs, nics and service tags of `dir`, finalized; NULL when any fails to load. */
static inline struct nsg_config *soc_example_config(const char *dir)
{
  static const char *const files[] = {"vnets.json", "asgs.json", "nsgs.json", "nics.json"};
  struct nsg_options o;
  nsg_options_default(&o);
  struct nsg_config *cfg = nsg_config_new(&o);
  if (!cfg)
    return NULL;
  char p[1024];
  for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
    snprintf(p, sizeof p, "%s/%s", dir, files[i]);
    if (nsg_config_load_file(cfg, p))
      goto fail;
  }
  snprintf(p, sizeof p, "%s/servicetags.json", dir);
  if (nsg_config_load_service_tags(cfg, p) || nsg_config_finalize(cfg))
    goto fail;
  return cfg;
fail:
  nsg_config_free(cfg);
  return NULL;
}

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/* The configuration loader (NSGs, NICs, VNets/subnets, ASGs, service tags in ARM/REST/az JSON):
 * nsg_config_load_string + nsg_config_finalize on arbitrary bytes. Oracles: no crash, leak or
 * undefined behaviour; a configuration that loads without error answers a query on each of its
 * NICs (every verdict 0 or a clear error, never a crash). Input: the JSON text (NUL-free prefix). */
#include <string.h>

#include "fuzz.h"
#include "nsgnic/nsgnic.h"

static void quiet(void *ctx, enum nsg_log_level level, const char *msg)
{
  (void)ctx;
  (void)level;
  (void)msg;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (size > 1 << 16)
    return 0;
  char *s = malloc(size + 1);
  if (!s)
    return 0;
  memcpy(s, data, size);
  s[size] = 0;
  struct nsg_options o;
  nsg_options_default(&o);
  o.log = quiet; /* the loader reports every error */
  struct nsg_config *cfg = nsg_config_new(&o);
  if (cfg) {
    int lrc = nsg_config_load_string(cfg, "fuzz.json", s);
    int frc = nsg_config_finalize(cfg);
    if (lrc == 0 && frc == 0) {
      FUZZ_CHECK(nsg_config_error_count(cfg) == 0);
      static const char *const nics[] = {"nic-web-vm1", "nic-app-vm1", "nic-db-vm1", "x"};
      for (size_t i = 0; i < sizeof nics / sizeof *nics; i++)
        for (int d = 0; d < 2; d++) {
          struct nsg_query q = {nics[i], d ? NSG_OUTBOUND : NSG_INBOUND, 6, "10.10.1.4", "203.0.114.7", 443, 50000};
          struct nsg_verdict v;
          char err[256];
          (void)nsg_verify(cfg, &q, &v, err, sizeof err);
        }
    }
    nsg_config_free(cfg);
  }
  free(s);
  return 0;
}

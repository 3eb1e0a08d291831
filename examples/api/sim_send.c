/* SPDX-License-Identifier: Apache-2.0 */
/* An example of libnsgnic's API (pkg-config nsgnic): compile a configuration and load it into the
 * co-simulated NIC (the Verilated SoC running the firmware: nsgnic/simnic.h), then send packets
 * through its datapath and print each verdict with the deciding rule.
 *   sim_send CONFIG.json... -- SRC_IP DST_IP DST_PORT [SRC_IP DST_IP DST_PORT]...
 * sends one TCP SYN (IPv4) per triple. Exit: 0 sent, 1 the device failed, 2 invalid
 * configuration, 77 this library was built without the simulated NIC (no HDL model). */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nsgnic/simnic.h>

static uint16_t csum(const uint8_t *p, size_t n)
{
  uint32_t s = 0;
  for (size_t i = 0; i + 1 < n; i += 2)
    s += (uint32_t)(p[i] << 8 | p[i + 1]);
  while (s >> 16)
    s = (s & 0xffff) + (s >> 16);
  return (uint16_t)~s;
}

/* Ethernet + IPv4 + TCP SYN from src:40000 to dst:port. */
static size_t syn(uint8_t *f, const char *src, const char *dst, uint16_t port)
{
  memset(f, 0, 54);
  memcpy(f, "\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x08\x00", 14);
  uint8_t *ip = f + 14, *tcp = f + 34;
  ip[0] = 0x45;
  ip[3] = 40;
  ip[8] = 64;
  ip[9] = 6;
  inet_pton(AF_INET, src, ip + 12);
  inet_pton(AF_INET, dst, ip + 16);
  uint16_t c = csum(ip, 20);
  ip[10] = (uint8_t)(c >> 8);
  ip[11] = (uint8_t)c;
  tcp[0] = 40000 >> 8;
  tcp[1] = 40000 & 0xff;
  tcp[2] = (uint8_t)(port >> 8);
  tcp[3] = (uint8_t)port;
  tcp[12] = 5 << 4;
  tcp[13] = 0x02; /* SYN */
  tcp[14] = 0xff;
  tcp[15] = 0xff;
  return 54;
}

int main(int argc, char **argv)
{
  int sep = 1;
  while (sep < argc && strcmp(argv[sep], "--") != 0)
    sep++;
  if (sep == 1 || argc - sep < 4 || (argc - sep - 1) % 3) {
    fprintf(stderr, "usage: %s CONFIG.json... -- SRC_IP DST_IP DST_PORT...\n", argv[0]);
    return 64;
  }
  struct nsg_options opts;
  nsg_options_default(&opts);
  struct nsg_config *cfg = nsg_config_new(&opts);
  for (int i = 1; i < sep; i++)
    if (strstr(argv[i], "servicetags"))
      nsg_config_load_service_tags(cfg, argv[i]);
    else
      nsg_config_load_file(cfg, argv[i]);
  if (nsg_config_finalize(cfg) < 0) {
    nsg_config_free(cfg);
    return 2;
  }
  struct nsg_simnic_opts so;
  nsg_simnic_opts_default(&so); /* the installed firmware image, NSGNIC_FIRMWARE to override */
  const char *fw = getenv("NSGNIC_FIRMWARE");
  so.firmware = fw && *fw ? fw : NULL;
  char err[512];
  struct nsg_simnic *n = nsg_simnic_new(cfg, &so, err, sizeof err);
  if (!n) {
    int e = errno;
    fprintf(stderr, "simulated NIC: %s\n", err);
    nsg_config_free(cfg);
    return e == ENOTSUP ? 77 : 1;
  }
  struct nsg_simnic_stats st;
  nsg_simnic_get_stats(n, &st);
  printf("loaded: %zu TCAM writes in %llu device cycles\n", st.tcam_writes, (unsigned long long)st.load_cycles);
  int rc = 0;
  for (int i = sep + 1; i + 2 < argc; i += 3) {
    uint8_t f[64];
    size_t len = syn(f, argv[i], argv[i + 1], (uint16_t)atoi(argv[i + 2]));
    struct nsg_simnic_frame r;
    if (nsg_simnic_frame(n, f, len, &r, err, sizeof err) < 0) {
      fprintf(stderr, "frame: %s\n", err);
      rc = 1;
      break;
    }
    static const char *const fate[] = {"allowed", "denied", "punted", "dropped", "not for a local NIC"};
    printf("%s -> %s:%s: %s (NIC %s, rule %s)\n", argv[i], argv[i + 1], argv[i + 2], fate[r.fate],
           r.nic ? r.nic : "-", r.rule[0] ? r.rule : "-");
  }
  nsg_simnic_free(n);
  nsg_config_free(cfg);
  return rc;
}

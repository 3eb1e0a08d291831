/* SPDX-License-Identifier: Apache-2.0 */
/* The realistic simulated device (docs/soc.md "Simulated devices"), the one the programs run:
 * its sizes (>= 4,096 rule entries, >= 256 vports, >= 16,384 flows on chip, 9,216-byte frames), the
 * device names (an unknown one fails naming the known ones), and a jumbo frame through the
 * example deployment: a 9,014-byte TCP segment to the web tier is forwarded whole (the small
 * device, 1,536-byte frames, drops it), a frame over 9,216 bytes is dropped as oversize.
 * Issue 13: the device has the DRAM flow tier at Azure scale (>= 1,048,576 slots, S5 limit,
 * hardware aging) with the on-chip cache in front of it (FlowFront); the jumbo frame's flow is
 * learned (in the cache: it has room) and the next frame hits it. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "nsgnic/abi.h"
#include "nsgnic/device.h"
#include "nsgnic/nsgnic.h"
#include "nsgnic/simnic.h"
#include "nsgnic_soc.h"
#include "soc_example.h"

static const char *example_dir;

static void sizes(void **state)
{
  (void)state;
  struct nsgnic_soc_params p;
  assert_int_equal(nsgnic_soc_device_params("realistic", &p), 0);
  assert_string_equal(p.device, "realistic");
  /* the label stage: the block-RAM trees at the ABI's geometry (>= 65,536 IPv4 and >= 16,384
   * IPv6 prefixes; the label TCAM is gone, or with per-vport label contexts it is the
   * local-address table: >= 256 vports x a few addresses) */
  assert_true(p.rule_entries >= 4096 && p.label_lpm && p.vports >= 256);
  assert_true(p.label_ctx ? p.label_entries >= 2048 : p.label_entries == 0);
  assert_true(NSGNIC_FLOW_TABLES * p.flow_buckets * p.flow_ways >= 16384);
  assert_int_equal(p.max_frame_bytes, 9216);
  /* the default device (NSGNIC_SIM_DEVICE unset for this test) is the realistic one */
  assert_null(getenv("NSGNIC_SIM_DEVICE"));
  nsgnic_soc_params(&p);
  assert_string_equal(p.device, "realistic");
  assert_int_equal(nsgnic_soc_device_params("small", &p), 0);
  assert_true(p.rule_entries < 4096);
  assert_int_equal(nsgnic_soc_device_params("huge", &p), -ENODEV);
  char err[256] = "";
  struct nsgnic_soc_opts o = {.device = "huge"};
  assert_null(nsgnic_soc_create(&o, err, sizeof err));
  assert_int_equal(errno, ENODEV);
  assert_non_null(strstr(err, "'huge'"));
  assert_non_null(strstr(err, "realistic, small"));
}

/* Internet client 203.0.114.7 -> nic-web-vm1 10.10.1.4:443, TCP SYN, len bytes (payload zeros). */
static void web_frame(uint8_t *f, size_t len)
{
  static const uint8_t hdr[] = {0x00, 0x0d, 0x3a, 0x0a, 0x01, 0x04, 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0x08, 0x00,
                                0x45, 0, 0, 40, 0, 0, 0, 0, 64, 6, 0, 0, 203, 0, 114, 7, 10, 10, 1, 4};
  memset(f, 0, len);
  memcpy(f, hdr, sizeof hdr);
  f[16] = (uint8_t)((len - 14) >> 8), f[17] = (uint8_t)(len - 14);
  uint8_t *l4 = f + 34;
  l4[0] = 40000 >> 8, l4[1] = 40000 & 0xff;
  l4[2] = 443 >> 8, l4[3] = 443 & 0xff;
  l4[12] = 5 << 4;
  l4[13] = 0x02;
  for (size_t i = 54; i < len; i++)
    f[i] = (uint8_t)i;
}

static void jumbo(void **state)
{
  (void)state;
  struct nsg_config *cfg = soc_example_config(example_dir);
  assert_non_null(cfg);
  struct nsg_simnic_opts o;
  nsg_simnic_opts_default(&o);
  o.learn = true;
  char err[512] = "";
  struct nsg_simnic *n = nsg_simnic_new(cfg, &o, err, sizeof err);
  if (!n)
    fail_msg("realistic device: %s", err);
  struct nsg_device_caps c;
  assert_int_equal(nsg_device_caps(nsg_simnic_dev(n), &c, err, sizeof err), 0);
  assert_true(c.dram_flow_entries >= 1048576u);
  assert_true(c.caps & (1u << NSGNIC_CAP_FLOW_LIMIT));
  assert_true(c.caps & (1u << NSGNIC_CAP_AGING_DRAM));
  static uint8_t f[9400];
  struct nsg_simnic_frame r;
  web_frame(f, 9014);
  assert_int_equal(nsg_simnic_frame(n, f, 9014, &r, err, sizeof err), 0);
  assert_int_equal(r.fate, NSG_SIMNIC_ALLOWED);
  assert_int_equal(r.out_len, 9014);
  assert_memory_equal(r.out + 54, f + 54, 9014 - 54);
  assert_true(r.learned); /* in the cache, in front of the tier (the cache has room) */
  web_frame(f, 9216); /* the largest frame, the same flow: found on chip */
  assert_int_equal(nsg_simnic_frame(n, f, 9216, &r, err, sizeof err), 0);
  assert_int_equal(r.fate, NSG_SIMNIC_ALLOWED);
  assert_int_equal(r.out_len, 9216);
  assert_true(r.flow_hit);
  web_frame(f, 9217);
  assert_int_equal(nsg_simnic_frame(n, f, 9217, &r, err, sizeof err), 0);
  assert_int_not_equal(r.fate, NSG_SIMNIC_ALLOWED);
  assert_int_equal(r.legs[0].reason, NSGNIC_REASON_OVERSIZE);
  nsg_simnic_free(n);
  nsg_config_free(cfg);
}

int main(int argc, char **argv)
{
  if (argc != 2) {
    fprintf(stderr, "usage: test_soc_real EXAMPLE_DIR\n");
    return 2;
  }
  example_dir = argv[1];
  const struct CMUnitTest tests[] = {cmocka_unit_test(sizes), cmocka_unit_test(jumbo)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}

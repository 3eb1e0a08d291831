/* SPDX-License-Identifier: Apache-2.0 */
/* Table images as untrusted input (issue 15, class "image_untrusted"): an image whose CRC was
 * recomputed after an edit - a binding's NSG-valid bit cleared, an NSG id or context pointing
 * elsewhere, a result naming a rule or vport that does not exist - is refused with a message, or,
 * where the image alone cannot tell (the NSG detached together with its id),
 * nsg_tables_check_bindings() against the configuration refuses it. Every truncation and a sweep
 * of word edits (CRC and length fixed up) is rejected or loads cleanly: no crash, no leak (the
 * ASan build runs this too). On the three-tier example (examples/three-tier). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "nsgnic/compile.h"
#include "nsgnic/nsgnic.h"
#include "tables.h"

#define EX NSGNIC_SOURCE_DIR "/examples/three-tier/"

static struct nsg_config *example(void)
{
  struct nsg_options o;
  nsg_options_default(&o);
  struct nsg_config *cfg = nsg_config_new(&o);
  assert_non_null(cfg);
  static const char *const files[] = {EX "vnets.json", EX "asgs.json", EX "nsgs.json", EX "nics.json"};
  for (size_t i = 0; i < 4; i++)
    assert_int_equal(nsg_config_load_file(cfg, files[i]), 0);
  assert_int_equal(nsg_config_load_service_tags(cfg, EX "servicetags.json"), 0);
  assert_int_equal(nsg_config_finalize(cfg), 0);
  return cfg;
}

/* CRC-32 of the whole image with the CRC word (bytes 16..19) read as zero */
static uint32_t crc32_le(const uint8_t *p, size_t n)
{
  uint32_t c = 0xffffffffu;
  for (size_t i = 0; i < n; i++) {
    c ^= i >= 16 && i < 20 ? 0u : p[i];
    for (int k = 0; k < 8; k++)
      c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1u)));
  }
  return ~c;
}

static uint32_t rd32(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24; }
static void wr32(uint8_t *p, uint32_t v)
{
  for (int i = 0; i < 4; i++)
    p[i] = (uint8_t)(v >> (8 * i));
}

/* Rewrites the length and CRC words as a forger would. */
static void reseal(uint8_t *img, size_t len)
{
  wr32(img + 12, (uint32_t)len);
  wr32(img + 16, crc32_le(img, len));
}

struct fixture {
  struct nsg_config *cfg;
  struct nsg_tables *t;
  uint8_t *img;
  size_t len;
  size_t bind_off; /* byte offset of the binding table */
};

static int setup(void **state)
{
  struct fixture *f = calloc(1, sizeof *f);
  f->cfg = example();
  char err[512];
  f->t = nsg_compile(f->cfg, NULL, err, sizeof err);
  assert_non_null(f->t);
  assert_int_equal(nsg_tables_image(f->t, &f->img, &f->len), 0);
  f->bind_off = 4u * NSGNIC_IMAGE_HEADER_WORDS +
                4u * (f->t->rule.n * (2u * NSGNIC_RULE_KEY_WORDS + 2u) +
                      f->t->label.n * (2u * NSGNIC_LABEL_KEY_WORDS + NSGNIC_LABEL_RESULT_WORDS + 1u) +
                      f->t->plat.n * (2u * NSGNIC_PLATFORM_KEY_WORDS + 2u) + 2u * NSGNIC_PORT_CLASSES);
  *state = f;
  return 0;
}

static int teardown(void **state)
{
  struct fixture *f = *state;
  free(f->img);
  nsg_tables_free(f->t);
  nsg_config_free(f->cfg);
  free(f);
  return 0;
}

/* The first vport with a NIC-level NSG. */
static size_t nic_with_nsg(const struct fixture *f)
{
  for (size_t v = 0; v < f->t->nvports; v++)
    if (NSGNIC_GET(f->t->bind[v], BINDING_NIC_NSG_VALID))
      return v;
  fail_msg("the example has no NIC with a NIC-level NSG");
  return 0;
}

/* Loads a modified copy: word `w` of binding `v` XOR `x`, resealed. Returns the tables or NULL. */
static struct nsg_tables *load_edited(struct fixture *f, size_t off, uint32_t x, char *err, size_t errlen)
{
  uint8_t *c = malloc(f->len);
  memcpy(c, f->img, f->len);
  wr32(c + off, rd32(c + off) ^ x);
  reseal(c, f->len);
  struct nsg_tables *u = nsg_tables_load_image(c, f->len, err, errlen);
  free(c);
  return u;
}

static void image_untrusted_binding_nsg_valid_cleared(void **state)
{
  struct fixture *f = *state;
  size_t v = nic_with_nsg(f);
  char err[512] = "";
  /* the NIC-level valid bit (bit 21 of word 0) cleared, the id left: refused by the image check */
  struct nsg_tables *u = load_edited(f, f->bind_off + 16u * v, 1u << NSGNIC_BINDING_NIC_NSG_VALID_LSB, err, sizeof err);
  if (u)
    fail_msg("an image with vport %zu's NIC NSG detached loaded", v);
  print_message("refused: %s\n", err);
  assert_non_null(strstr(err, "valid bit clear"));
  /* the binding pointing at an NSG id without rules */
  uint32_t w0 = f->t->bind[v][0];
  uint32_t newid = 1000;
  uint32_t x = (w0 ^ (newid << NSGNIC_BINDING_NIC_NSG_LSB)) & (((1u << NSGNIC_BINDING_NIC_NSG_W) - 1u) << NSGNIC_BINDING_NIC_NSG_LSB);
  u = load_edited(f, f->bind_off + 16u * v, x, err, sizeof err);
  assert_null(u);
  print_message("refused: %s\n", err);
  assert_non_null(strstr(err, "has no rules"));
}

static void image_untrusted_binding_against_config(void **state)
{
  struct fixture *f = *state;
  size_t v = nic_with_nsg(f);
  char err[512] = "";
  /* valid bit and id both cleared: consistent by itself, so the configuration must catch it */
  uint32_t w0 = f->t->bind[v][0];
  uint32_t x = w0 & ((((1u << NSGNIC_BINDING_NIC_NSG_W) - 1u) << NSGNIC_BINDING_NIC_NSG_LSB) |
                     (1u << NSGNIC_BINDING_NIC_NSG_VALID_LSB));
  struct nsg_tables *u = load_edited(f, f->bind_off + 16u * v, x, err, sizeof err);
  assert_non_null(u);
  assert_int_equal(nsg_tables_check_bindings(u, f->t, err, sizeof err), -EINVAL);
  print_message("refused: %s\n", err);
  assert_non_null(strstr(err, "NIC NSG is none in the image"));
  nsg_tables_free(u);
  /* the untouched image passes */
  u = nsg_tables_load_image(f->img, f->len, err, sizeof err);
  assert_non_null(u);
  assert_int_equal(nsg_tables_check_bindings(u, f->t, err, sizeof err), 0);
  nsg_tables_free(u);
}

static void image_untrusted_results(void **state)
{
  struct fixture *f = *state;
  char err[512] = "";
  size_t hdr = 4u * NSGNIC_IMAGE_HEADER_WORDS, rule_words = 2u * NSGNIC_RULE_KEY_WORDS + 2u;
  /* rule slot 0's result names rule 0xffff */
  size_t res0 = hdr + 4u * (2u * NSGNIC_RULE_KEY_WORDS);
  struct nsg_tables *u = load_edited(f, res0, 0xfff0u, err, sizeof err);
  assert_null(u);
  print_message("refused: %s\n", err);
  /* its action field set to NONE */
  u = load_edited(f, res0, (uint32_t)NSGNIC_GET(f->t->rule.e[0].res, RESULT_ACTION) << NSGNIC_RESULT_ACTION_LSB, err,
                  sizeof err);
  assert_null(u);
  print_message("refused: %s\n", err);
  size_t lab0 = hdr + 4u * rule_words * f->t->rule.n;
  /* label slot 0: result names vport 200 */
  size_t lres = lab0 + 4u * (2u * NSGNIC_LABEL_KEY_WORDS) + 8u;
  u = load_edited(f, lres, (200u << (NSGNIC_LABEL_RESULT_VPORT_LSB - 64)) | (1u << (NSGNIC_LABEL_RESULT_VPORT_VALID_LSB - 64)),
                  err, sizeof err);
  assert_null(u);
  print_message("refused: %s\n", err);
  /* a NIC name with an escape sequence (ESC in its first byte) */
  size_t meta = f->bind_off + 16u * f->t->nvports;
  u = load_edited(f, meta + 4u, 0x1bu ^ (uint32_t)(uint8_t)f->t->vports[0].nic_name[0], err, sizeof err);
  assert_null(u);
  print_message("refused: %s\n", err);
}

/* Every truncation (length and CRC resealed) and an edit of every word: rejected with a
 * "table image:" message, or loaded; nothing crashes or leaks. */
static void image_untrusted_sweep(void **state)
{
  struct fixture *f = *state;
  char err[512];
  uint8_t *c = malloc(f->len);
  size_t hdr = 4u * NSGNIC_IMAGE_HEADER_WORDS;
  unsigned refused = 0, loaded = 0;
  for (size_t n = hdr; n < f->len; n += 4) {
    memcpy(c, f->img, n);
    reseal(c, n);
    struct nsg_tables *u = nsg_tables_load_image(c, n, err, sizeof err);
    assert_null(u);
    assert_non_null(strstr(err, "table image:"));
  }
  static const uint32_t flips[] = {1u, 0x80000000u, 0x00010000u, 0xffffffffu, 0x00000400u};
  for (size_t off = hdr; off + 4 <= f->len; off += 4)
    for (size_t k = 0; k < sizeof flips / sizeof flips[0]; k++) {
      memcpy(c, f->img, f->len);
      wr32(c + off, rd32(c + off) ^ flips[k]);
      reseal(c, f->len);
      err[0] = '\0';
      struct nsg_tables *u = nsg_tables_load_image(c, f->len, err, sizeof err);
      if (u) {
        loaded++;
        nsg_tables_free(u);
      } else {
        refused++;
        assert_non_null(strstr(err, "table image:"));
      }
    }
  print_message("word edits: %u refused, %u loaded (rule contents the image cannot judge)\n", refused, loaded);
  free(c);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(image_untrusted_binding_nsg_valid_cleared, setup, teardown),
      cmocka_unit_test_setup_teardown(image_untrusted_binding_against_config, setup, teardown),
      cmocka_unit_test_setup_teardown(image_untrusted_results, setup, teardown),
      cmocka_unit_test_setup_teardown(image_untrusted_sweep, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

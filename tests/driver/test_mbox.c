/* SPDX-License-Identifier: Apache-2.0 */
/* The mailbox client, boot and firmware load against the fake device: BAR0 as memory with the
 * real firmware logic (firmware/src on its RAM HAL) serving the rings in-process. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>

#include "nsgnic/abi.h"
#include "test_util.h"

static struct nsgnic_dev *boot(const char *spec, struct nsgnic_dev_opts *o, struct logbuf *lb)
{
  opts_with_log(o, lb);
  o->timeout_ms = 100;
  struct nsgnic_dev *d = nsgnic_dev_open(spec, o);
  assert_non_null(d);
  assert_int_equal(nsgnic_dev_reset(d), 0);
  assert_int_equal(nsgnic_dev_start(d), 0);
  return d;
}

static void round_trip(void **state)
{
  (void)state;
  struct nsgnic_dev_opts o;
  struct logbuf lb;
  struct nsgnic_dev *d = boot("fake", &o, &lb);
  struct nsgnic_dev_id id;
  assert_int_equal(nsgnic_dev_identify(d, &id), 0);
  assert_string_equal(id.backend, "fake");
  assert_true(id.fw_valid);
  assert_int_equal(id.fw_state, NSGNIC_FW_STATE_READY);
  assert_int_equal(id.fw_version >> 16, NSGNIC_ABI_VERSION_MAJOR);

  /* many echoes: the rings wrap several times */
  for (uint32_t n = 0; n < 5 * NSGNIC_CMD_RING_SLOTS; n++) {
    uint32_t req[NSGNIC_MSG_PAYLOAD_WORDS], resp[NSGNIC_MSG_PAYLOAD_WORDS];
    unsigned len = n % (NSGNIC_MSG_PAYLOAD_WORDS + 1), rlen = 99;
    for (unsigned i = 0; i < len; i++)
      req[i] = n * 1000 + i;
    uint32_t st = 99;
    assert_int_equal(nsgnic_dev_cmd(d, NSGNIC_CMD_ECHO, req, len, resp, NSGNIC_MSG_PAYLOAD_WORDS,
                                    &rlen, &st), 0);
    assert_int_equal(st, NSGNIC_STATUS_OK);
    assert_int_equal(rlen, len);
    assert_memory_equal(req, resp, len * sizeof *req);
  }

  /* capabilities */
  uint32_t caps[NSGNIC_MSG_PAYLOAD_WORDS];
  unsigned clen;
  assert_int_equal(nsgnic_dev_cmd(d, NSGNIC_CMD_GET_CAPS, NULL, 0, caps, NSGNIC_MSG_PAYLOAD_WORDS,
                                  &clen, NULL), 0);
  assert_int_equal(NSGNIC_GET(caps, P_CAPS_ABI_VERSION) >> 16, NSGNIC_ABI_VERSION_MAJOR);
  assert_int_equal(NSGNIC_GET(caps, P_CAPS_MBOX_VERSION), NSGNIC_MBOX_VERSION);
  assert_true(NSGNIC_GET(caps, P_CAPS_RULE_ENTRIES) > 0);

  /* an error status comes back as -EREMOTEIO with the status */
  uint32_t st;
  assert_int_equal(nsgnic_dev_cmd(d, 0x55, NULL, 0, NULL, 0, NULL, &st), -EREMOTEIO);
  assert_int_equal(st, NSGNIC_STATUS_BAD_OPCODE);
  assert_non_null(strstr(lb.all, "status BAD_OPCODE"));
  assert_int_equal(nsgnic_dev_cmd(d, NSGNIC_CMD_GET_CAPS, caps, 1, NULL, 0, NULL, &st), -EREMOTEIO);
  assert_int_equal(st, NSGNIC_STATUS_BAD_LENGTH);
  assert_int_equal(nsgnic_dev_rd32(d, NSGNIC_HOSTREG_LAST_ERROR) & 0xff, NSGNIC_STATUS_BAD_LENGTH);

  /* a payload longer than the caller's buffer */
  uint32_t small[2];
  unsigned slen;
  assert_int_equal(nsgnic_dev_cmd(d, NSGNIC_CMD_ECHO, caps, 5, small, 2, &slen, &st), -EMSGSIZE);
  assert_int_equal(slen, 2);
  /* bad arguments */
  assert_int_equal(nsgnic_dev_cmd(d, NSGNIC_CMD_ECHO, caps, NSGNIC_MSG_PAYLOAD_WORDS + 1, NULL, 0,
                                  NULL, &st), -EINVAL);
  assert_int_equal(nsgnic_dev_cmd(d, 0x100, NULL, 0, NULL, 0, NULL, &st), -EINVAL);

  /* firmware counters saw the commands */
  uint32_t req[2] = {0, 0}, cnt[NSGNIC_MSG_PAYLOAD_WORDS];
  NSGNIC_PUT(req, P_CNT_BLOCK, NSGNIC_CNT_BLOCK_FW);
  NSGNIC_PUT(req, P_CNT_COUNT, 2);
  req[1] = NSGNIC_FWCNT_CMD_OK;
  assert_int_equal(nsgnic_dev_cmd(d, NSGNIC_CMD_COUNTERS_READ, req, 2, cnt, NSGNIC_MSG_PAYLOAD_WORDS,
                                  &clen, NULL), 0);
  assert_int_equal(clen, 6);
  assert_int_equal(cnt[2], 5 * NSGNIC_CMD_RING_SLOTS + 2);  /* echoes, GET_CAPS, the long echo */
  assert_int_equal(cnt[4], 2);                              /* BAD_OPCODE, BAD_LENGTH */

  /* no events after boot */
  uint32_t code, p[NSGNIC_MSG_PAYLOAD_WORDS];
  unsigned plen;
  assert_int_equal(nsgnic_dev_event(d, &code, p, &plen), 0);

  /* attach from a second handle would see the same state: here, re-attach this one */
  assert_int_equal(nsgnic_dev_attach(d), 0);
  assert_int_equal(nsgnic_dev_cmd(d, NSGNIC_CMD_ECHO, NULL, 0, NULL, 0, NULL, &st), 0);
  nsgnic_dev_close(d);
}

static void never_completes(void **state)
{
  (void)state;
  struct nsgnic_dev_opts o;
  struct logbuf lb;
  struct nsgnic_dev *d = boot("fake,mute", &o, &lb);
  uint64_t t0 = test_now_ms();
  uint32_t st;
  assert_int_equal(nsgnic_dev_cmd(d, NSGNIC_CMD_ECHO, NULL, 0, NULL, 0, NULL, &st), -ETIMEDOUT);
  uint64_t dt = test_now_ms() - t0;
  assert_true(dt >= 100 && dt < 3000);
  assert_non_null(strstr(lb.last_err, "no completion within 100 ms"));
  nsgnic_dev_close(d);
}

static void malformed_completion(void **state)
{
  (void)state;
  struct nsgnic_dev_opts o;
  struct logbuf lb;
  struct nsgnic_dev *d = boot("fake,badcpl", &o, &lb);
  uint32_t st;
  assert_int_equal(nsgnic_dev_cmd(d, NSGNIC_CMD_ECHO, NULL, 0, NULL, 0, NULL, &st), -EPROTO);
  assert_non_null(strstr(lb.last_err, "malformed completion"));
  assert_non_null(strstr(lb.last_err, "another mailbox version"));
  nsgnic_dev_close(d);
}

static void refused_at_open_or_boot(void **state)
{
  (void)state;
  struct nsgnic_dev_opts o;
  struct logbuf lb;
  opts_with_log(&o, &lb);
  o.timeout_ms = 100;
  assert_null(nsgnic_dev_open("fake,magic=0x12345678", &o));
  assert_int_equal(errno, ENODEV);
  assert_null(nsgnic_dev_open("fake,hw_version=0x20000", &o));
  assert_int_equal(errno, EPROTONOSUPPORT);
  assert_non_null(strstr(lb.last_err, "hardware ABI version 2.0 is not supported"));
  assert_null(nsgnic_dev_open("fake,frobnicate", &o));
  assert_int_equal(errno, EINVAL);

  struct nsgnic_dev *d = nsgnic_dev_open("fake,fw_version=0x20001", &o);
  assert_non_null(d);
  nsgnic_dev_reset(d);
  assert_int_equal(nsgnic_dev_start(d), -EPROTONOSUPPORT);
  assert_non_null(strstr(lb.last_err, "firmware ABI version 2.1"));
  nsgnic_dev_close(d);

  d = nsgnic_dev_open("fake,selftest_fail", &o);
  assert_non_null(d);
  nsgnic_dev_reset(d);
  assert_int_equal(nsgnic_dev_start(d), -EIO);
  assert_non_null(strstr(lb.last_err, "self-test failed"));
  nsgnic_dev_close(d);

  /* the sim backend (tests/soc runs it): a missing firmware image fails and says so; a build
   * without the HDL model says that instead */
  assert_null(nsgnic_dev_open("sim,fw=/nonexistent/nsgnic-fw.elf", &o));
  assert_true(errno == ENOENT || errno == ENOTSUP);
  assert_true(strstr(lb.last_err, "nonexistent") || strstr(lb.last_err, "no Verilated SoC model"));
}

/* A minimal ELF32 RISC-V executable with one PT_LOAD segment of `n` bytes at `addr`. */
static size_t make_elf(uint8_t *b, uint32_t addr, const uint8_t *data, uint32_t n, uint32_t memsz)
{
  memset(b, 0, 52 + 32 + n);
  memcpy(b, "\177ELF", 4);
  b[4] = 1, b[5] = 1, b[6] = 1;
#define W16(o, v) (b[o] = (uint8_t)(v), b[(o) + 1] = (uint8_t)((v) >> 8))
#define W32(o, v) (W16(o, (v) & 0xffff), W16((o) + 2, (v) >> 16))
  W16(16, 2), W16(18, 243), W32(20, 1u), W32(24, addr), W32(28, 52u), W16(40, 52), W16(42, 32),
      W16(44, 1);
  W32(52, 1u), W32(56, 84u), W32(60, addr), W32(64, addr), W32(68, n), W32(72, memsz), W32(76, 5u);
  memcpy(b + 84, data, n);
  return 84 + n;
}

static void firmware_load(void **state)
{
  (void)state;
  struct nsgnic_dev_opts o;
  struct logbuf lb;
  opts_with_log(&o, &lb);
  struct nsgnic_dev *d = nsgnic_dev_open("fake", &o);
  assert_non_null(d);
  nsgnic_dev_reset(d);
  uint8_t code[10] = {0x13, 0, 0, 0, 0x6f, 0, 0, 0, 0xaa, 0xbb}, elf[256];
  uint32_t ram = (uint32_t)NSGNIC_SOC_REGION_RAM << NSGNIC_SOC_REGION_SHIFT;
  size_t n = make_elf(elf, ram, code, sizeof code, 64);
  assert_int_equal(nsgnic_dev_load_firmware_mem(d, elf, n), 0);
  /* read it back through the load port */
  nsgnic_dev_wr32(d, NSGNIC_HOSTREG_FW_LOAD_ADDR, ram + 8);
  assert_int_equal(nsgnic_dev_rd32(d, NSGNIC_HOSTREG_FW_LOAD_DATA), 0xbbaa);
  assert_int_equal(nsgnic_dev_rd32(d, NSGNIC_HOSTREG_FW_LOAD_DATA), 0);
  /* a segment outside the RAMs fails the read-back */
  n = make_elf(elf, 0x20000000u, code, sizeof code, 16);
  assert_int_equal(nsgnic_dev_load_firmware_mem(d, elf, n), -EFAULT);
  assert_non_null(strstr(lb.last_err, "read-back differs"));
  /* not an ELF; truncated program headers */
  assert_int_equal(nsgnic_dev_load_firmware_mem(d, code, sizeof code), -ENOEXEC);
  n = make_elf(elf, ram, code, sizeof code, 16);
  assert_int_equal(nsgnic_dev_load_firmware_mem(d, elf, 60), -ENOEXEC);
  assert_int_equal(nsgnic_dev_load_firmware(d, "/nonexistent/nsgnic-fw.elf"), -ENOENT);
  /* refused while the CPU runs */
  assert_int_equal(nsgnic_dev_start(d), 0);
  n = make_elf(elf, ram, code, sizeof code, 16);
  assert_int_equal(nsgnic_dev_load_firmware_mem(d, elf, n), -EBUSY);
  nsgnic_dev_close(d);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(round_trip),
    cmocka_unit_test(never_completes),
    cmocka_unit_test(malformed_completion),
    cmocka_unit_test(refused_at_open_or_boot),
    cmocka_unit_test(firmware_load),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

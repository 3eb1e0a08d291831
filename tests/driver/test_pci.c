/* SPDX-License-Identifier: Apache-2.0 */
/* The pci backend without hardware: enumeration from lspci -x dump files (libpci's dump
 * method), BAR0 mapped from a regular file under a fake sysfs root, the identity and version
 * checks, and timeouts when nothing on the "board" answers. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nsgnic/abi.h"
#include "test_util.h"

#define DUMP(name) NSGNIC_TEST_DATA "/" name

/* ---- enumeration ------------------------------------------------------------------------- */

static void list_by_id(void **state)
{
  (void)state;
  struct nsgnic_dev_opts o;
  struct logbuf lb;
  opts_with_log(&o, &lb);
  struct nsgnic_pci_dev d[4];
  o.pci_dump = DUMP("two-boards.lspci");
  assert_int_equal(nsgnic_pci_list(&o, NULL, d, 4), 2);
  assert_string_equal(d[0].bdf, "0000:03:00.0");
  assert_string_equal(d[1].bdf, "0001:81:00.0");
  assert_int_equal(d[1].domain, 1);
  assert_int_equal(d[1].bus, 0x81);
  for (int i = 0; i < 2; i++) {
    assert_int_equal(d[i].vendor_id, NSGNIC_PCI_VENDOR_ID);
    assert_int_equal(d[i].device_id, NSGNIC_PCI_DEVICE_ID);
    assert_int_equal(d[i].device_class, NSGNIC_PCI_CLASS);
    assert_true(d[i].known_id);
  }
  /* more matches than room: the count is still right, only `max` are filled */
  assert_int_equal(nsgnic_pci_list(&o, NULL, d, 1), 2);
  o.pci_dump = DUMP("one-board.lspci");
  assert_int_equal(nsgnic_pci_list(&o, NULL, d, 4), 1);
  assert_string_equal(d[0].bdf, "0000:03:00.0");
  o.pci_dump = DUMP("no-board.lspci");
  assert_int_equal(nsgnic_pci_list(&o, NULL, d, 4), 0);
}

static void list_by_bdf(void **state)
{
  (void)state;
  struct nsgnic_dev_opts o;
  struct logbuf lb;
  opts_with_log(&o, &lb);
  o.pci_dump = DUMP("two-boards.lspci");
  struct nsgnic_pci_dev d[4];
  /* a named function is listed whatever its id */
  assert_int_equal(nsgnic_pci_list(&o, "0000:00:03.0", d, 4), 1);
  assert_int_equal(d[0].vendor_id, 0x1af4);
  assert_false(d[0].known_id);
  /* short form = domain 0 */
  assert_int_equal(nsgnic_pci_list(&o, "03:00.0", d, 4), 1);
  assert_true(d[0].known_id);
  assert_int_equal(nsgnic_pci_list(&o, "1:81:00.0", d, 4), 1);
  assert_string_equal(d[0].bdf, "0001:81:00.0");
  /* absent, malformed */
  assert_int_equal(nsgnic_pci_list(&o, "0000:04:00.0", d, 4), 0);
  assert_int_equal(nsgnic_pci_list(&o, "03:00", d, 4), -EINVAL);
  assert_non_null(strstr(lb.last_err, "not a PCI address"));
  assert_int_equal(nsgnic_pci_list(&o, "03:00.8", d, 4), -EINVAL);
  assert_int_equal(nsgnic_pci_list(&o, "03:00.0 ", d, 4), -EINVAL);
  assert_int_equal(nsgnic_pci_list(&o, "-3:00.0", d, 4), -EINVAL);
  /* missing dump file */
  o.pci_dump = DUMP("does-not-exist.lspci");
  assert_int_equal(nsgnic_pci_list(&o, NULL, d, 4), -ENOENT);
  assert_non_null(strstr(lb.last_err, "does-not-exist.lspci"));
}

/* ---- a "board": sysfs root with a regular file as BAR0 ------------------------------------ */

struct board {
  char root[32];
  char dir[512];
  char bar[600];
};

static void board_make(struct board *b, const char *bdf, size_t bytes)
{
  snprintf(b->root, sizeof b->root, "/tmp/nsgnic-drv-XXXXXX");
  assert_non_null(mkdtemp(b->root));
  char p[512];
  snprintf(p, sizeof p, "%s/bus", b->root);
  assert_int_equal(mkdir(p, 0700), 0);
  snprintf(p, sizeof p, "%s/bus/pci", b->root);
  assert_int_equal(mkdir(p, 0700), 0);
  snprintf(p, sizeof p, "%s/bus/pci/devices", b->root);
  assert_int_equal(mkdir(p, 0700), 0);
  snprintf(b->dir, sizeof b->dir, "%s/bus/pci/devices/%.16s", b->root, bdf);
  assert_int_equal(mkdir(b->dir, 0700), 0);
  snprintf(b->bar, sizeof b->bar, "%s/resource0", b->dir);
  int fd = open(b->bar, O_RDWR | O_CREAT | O_TRUNC, 0600);
  assert_true(fd >= 0);
  assert_int_equal(ftruncate(fd, (off_t)bytes), 0);
  close(fd);
}

static void board_put(struct board *b, uint32_t off, uint32_t v)
{
  int fd = open(b->bar, O_RDWR);
  assert_true(fd >= 0);
  assert_int_equal(pwrite(fd, &v, 4, off), 4);
  close(fd);
}

static uint32_t board_get(struct board *b, uint32_t off)
{
  uint32_t v = 0;
  int fd = open(b->bar, O_RDONLY);
  assert_true(fd >= 0);
  assert_int_equal(pread(fd, &v, 4, off), 4);
  close(fd);
  return v;
}

static void board_free(struct board *b)
{
  char p[512];
  unlink(b->bar);
  rmdir(b->dir);
  snprintf(p, sizeof p, "%s/bus/pci/devices", b->root);
  rmdir(p);
  snprintf(p, sizeof p, "%s/bus/pci", b->root);
  rmdir(p);
  snprintf(p, sizeof p, "%s/bus", b->root);
  rmdir(p);
  rmdir(b->root);
}

/* Hardware identity words of a good board. */
static void board_identity(struct board *b, uint32_t magic, uint32_t version)
{
  board_put(b, NSGNIC_HOSTREG_MAGIC, magic);
  board_put(b, NSGNIC_HOSTREG_HW_VERSION, version);
  board_put(b, NSGNIC_HOSTREG_HW_BUILD, 0xdeadbeef);
  board_put(b, NSGNIC_HOSTREG_WINDOW_BYTES, NSGNIC_HOSTWIN_BYTES);
}

static uint32_t abi_version(void)
{
  return ((uint32_t)NSGNIC_ABI_VERSION_MAJOR << 16) | NSGNIC_ABI_VERSION_MINOR;
}

static void opts_board(struct nsgnic_dev_opts *o, struct logbuf *lb, struct board *b, const char *dump)
{
  opts_with_log(o, lb);
  o->pci_dump = dump;
  o->sysfs_root = b->root;
  o->timeout_ms = 50;
}

static void bar_map_from_file(void **state)
{
  (void)state;
  struct board b;
  board_make(&b, "0000:03:00.0", NSGNIC_PCI_BAR_HOST_BYTES);
  board_identity(&b, NSGNIC_HOST_MAGIC, abi_version());
  struct nsgnic_dev_opts o;
  struct logbuf lb;
  opts_board(&o, &lb, &b, DUMP("one-board.lspci"));
  /* by id (the only board), by BDF, by "pci:BDF" */
  const char *specs[] = {"pci", "0000:03:00.0", "03:00.0", "pci:03:00.0"};
  for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++) {
    struct nsgnic_dev *d = nsgnic_dev_open(specs[i], &o);
    assert_non_null(d);
    struct nsgnic_dev_id id;
    assert_int_equal(nsgnic_dev_identify(d, &id), 0);
    assert_string_equal(id.backend, "pci");
    assert_string_equal(id.where, "0000:03:00.0");
    assert_int_equal(id.hw_version, abi_version());
    assert_int_equal(id.hw_build, 0xdeadbeef);
    assert_false(id.fw_valid);
    /* writes go to the file */
    nsgnic_dev_wr32(d, NSGNIC_HOSTREG_SCRATCH, 0x5a5a0000u + (uint32_t)i);
    assert_int_equal(nsgnic_dev_rd32(d, NSGNIC_HOSTREG_SCRATCH), 0x5a5a0000u + (uint32_t)i);
    nsgnic_dev_close(d);
    assert_int_equal(board_get(&b, NSGNIC_HOSTREG_SCRATCH), 0x5a5a0000u + (uint32_t)i);
  }
  /* out-of-window raw access is refused */
  struct nsgnic_dev *d = nsgnic_dev_open("pci", &o);
  assert_non_null(d);
  assert_int_equal(nsgnic_dev_rd32(d, NSGNIC_HOSTWIN_BYTES), UINT32_MAX);
  assert_int_equal(nsgnic_dev_rd32(d, 2), UINT32_MAX);
  nsgnic_dev_close(d);
  nsgnic_dev_close(NULL);
  board_free(&b);
}

static void open_errors(void **state)
{
  (void)state;
  struct board b;
  board_make(&b, "0000:03:00.0", NSGNIC_PCI_BAR_HOST_BYTES / 2);
  board_identity(&b, NSGNIC_HOST_MAGIC, abi_version());
  struct nsgnic_dev_opts o;
  struct logbuf lb;
  opts_board(&o, &lb, &b, DUMP("one-board.lspci"));
  /* BAR too small */
  assert_null(nsgnic_dev_open("pci", &o));
  assert_int_equal(errno, ENXIO);
  assert_non_null(strstr(lb.last_err, "BAR0"));
  /* two boards: ambiguous */
  o.pci_dump = DUMP("two-boards.lspci");
  assert_null(nsgnic_dev_open("pci", &o));
  assert_int_equal(errno, EEXIST);
  assert_non_null(strstr(lb.last_err, "0001:81:00.0"));
  /* none */
  o.pci_dump = DUMP("no-board.lspci");
  assert_null(nsgnic_dev_open("pci", &o));
  assert_int_equal(errno, ENODEV);
  assert_non_null(strstr(lb.last_err, "no nsgnic board found"));
  /* a BDF that is not there; one without a BAR file */
  o.pci_dump = DUMP("two-boards.lspci");
  assert_null(nsgnic_dev_open("0000:05:00.0", &o));
  assert_int_equal(errno, ENODEV);
  assert_null(nsgnic_dev_open("0001:81:00.0", &o));
  assert_int_equal(errno, ENOENT);
  assert_non_null(strstr(lb.last_err, "resource0"));
  /* unknown spec */
  assert_null(nsgnic_dev_open("board7", &o));
  assert_int_equal(errno, EINVAL);
  assert_non_null(strstr(lb.last_err, "unknown device"));
  assert_null(nsgnic_dev_open(NULL, &o));
  assert_int_equal(errno, EINVAL);
  board_free(&b);
}

static void identity_refused(void **state)
{
  (void)state;
  struct board b;
  board_make(&b, "0000:03:00.0", NSGNIC_PCI_BAR_HOST_BYTES);
  struct nsgnic_dev_opts o;
  struct logbuf lb;
  opts_board(&o, &lb, &b, DUMP("one-board.lspci"));

  /* wrong magic (e.g. an all-ones read of a dead board, or another device) */
  board_identity(&b, 0xffffffffu, abi_version());
  assert_null(nsgnic_dev_open("pci", &o));
  assert_int_equal(errno, ENODEV);
  assert_non_null(strstr(lb.last_err, "magic register reads 0xffffffff"));

  /* unknown ABI major: newer and older */
  board_identity(&b, NSGNIC_HOST_MAGIC, (uint32_t)(NSGNIC_ABI_VERSION_MAJOR + 1) << 16);
  assert_null(nsgnic_dev_open("pci", &o));
  assert_int_equal(errno, EPROTONOSUPPORT);
  assert_non_null(strstr(lb.last_err, "is not supported by this driver"));
  assert_non_null(strstr(lb.last_err, "update the nsgnic host software"));
  board_identity(&b, NSGNIC_HOST_MAGIC, (uint32_t)(NSGNIC_ABI_VERSION_MAJOR - 1) << 16 | 7u);
  assert_null(nsgnic_dev_open("pci", &o));
  assert_int_equal(errno, EPROTONOSUPPORT);
  assert_non_null(strstr(lb.last_err, "load a current bitstream"));

  /* a newer minor is compatible */
  board_identity(&b, NSGNIC_HOST_MAGIC, abi_version() + 5);
  struct nsgnic_dev *d = nsgnic_dev_open("pci", &o);
  assert_non_null(d);
  nsgnic_dev_close(d);

  /* a window smaller than the ABI's */
  board_identity(&b, NSGNIC_HOST_MAGIC, abi_version());
  board_put(&b, NSGNIC_HOSTREG_WINDOW_BYTES, 0x1000);
  assert_null(nsgnic_dev_open("pci", &o));
  assert_int_equal(errno, EPROTO);
  board_free(&b);
}

/* Firmware words of a booted firmware, written into the file. */
static void board_firmware(struct board *b, uint32_t fw_version, uint32_t state_)
{
  board_put(b, NSGNIC_HOSTREG_FW_VERSION, fw_version);
  board_put(b, NSGNIC_HOSTREG_FW_STATE, state_);
  board_put(b, NSGNIC_HOSTREG_CMD_BASE, NSGNIC_CMD_RING_OFFSET);
  board_put(b, NSGNIC_HOSTREG_CMD_SLOTS, NSGNIC_CMD_RING_SLOTS);
  board_put(b, NSGNIC_HOSTREG_CPL_BASE, NSGNIC_CPL_RING_OFFSET);
  board_put(b, NSGNIC_HOSTREG_CPL_SLOTS, NSGNIC_CPL_RING_SLOTS);
  board_put(b, NSGNIC_HOSTREG_EVT_BASE, NSGNIC_EVT_RING_OFFSET);
  board_put(b, NSGNIC_HOSTREG_EVT_SLOTS, NSGNIC_EVT_RING_SLOTS);
  board_put(b, NSGNIC_HOSTREG_FW_MAGIC, NSGNIC_HOST_MAGIC);
}

/* Nothing runs behind a file: every wait must end at the timeout, with a message. */
static void timeouts(void **state)
{
  (void)state;
  struct board b;
  board_make(&b, "0000:03:00.0", NSGNIC_PCI_BAR_HOST_BYTES);
  board_identity(&b, NSGNIC_HOST_MAGIC, abi_version());
  struct nsgnic_dev_opts o;
  struct logbuf lb;
  opts_board(&o, &lb, &b, DUMP("one-board.lspci"));
  struct nsgnic_dev *d = nsgnic_dev_open("pci", &o);
  assert_non_null(d);
  uint32_t st;
  /* no firmware: mailbox refused, attach refused */
  assert_int_equal(nsgnic_dev_cmd(d, NSGNIC_CMD_ECHO, NULL, 0, NULL, 0, NULL, &st), -EINVAL);
  assert_int_equal(nsgnic_dev_attach(d), -ENODEV);
  /* boot: the firmware never publishes FW_MAGIC */
  assert_int_equal(nsgnic_dev_reset(d), 0);
  uint32_t ctrl = board_get(&b, NSGNIC_HOSTREG_CTRL);
  assert_int_equal(NSGNIC_GET(&ctrl, CTRL_CPU_RUN), 0);
  uint64_t t0 = test_now_ms();
  assert_int_equal(nsgnic_dev_start(d), -ETIMEDOUT);
  uint64_t dt = test_now_ms() - t0;
  assert_true(dt >= 50 && dt < 2000);
  assert_non_null(strstr(lb.last_err, "did not come up within 50 ms"));
  ctrl = board_get(&b, NSGNIC_HOSTREG_CTRL);
  assert_int_equal(NSGNIC_GET(&ctrl, CTRL_CPU_RUN), 1);

  /* firmware words present but nobody serves the mailbox */
  board_firmware(&b, abi_version(), NSGNIC_FW_STATE_READY);
  assert_int_equal(nsgnic_dev_attach(d), 0);
  uint32_t p[3] = {1, 2, 3};
  t0 = test_now_ms();
  assert_int_equal(nsgnic_dev_cmd(d, NSGNIC_CMD_ECHO, p, 3, NULL, 0, NULL, &st), -ETIMEDOUT);
  dt = test_now_ms() - t0;
  assert_true(dt >= 50 && dt < 2000);
  assert_non_null(strstr(lb.last_err, "no completion within 50 ms"));
  assert_non_null(strstr(lb.last_err, "heartbeat has stopped"));
  /* the command was posted as the ABI says */
  assert_int_equal(board_get(&b, NSGNIC_HOSTREG_CMD_HEAD), 1);
  uint32_t hdr = board_get(&b, NSGNIC_CMD_RING_OFFSET);
  assert_int_equal(NSGNIC_GET(&hdr, CMD_HDR_OPCODE), NSGNIC_CMD_ECHO);
  assert_int_equal(NSGNIC_GET(&hdr, CMD_HDR_VERSION), NSGNIC_MBOX_VERSION);
  assert_int_equal(NSGNIC_GET(&hdr, CMD_HDR_LEN), 3);
  assert_int_equal(board_get(&b, NSGNIC_CMD_RING_OFFSET + 8 + 8), 3);

  /* the late completion of the timed-out command (tag 0) arrives together with the next
   * command's (tag 1): the first is dropped, the second returned. We play the firmware. */
  uint32_t h0 = 0, h1 = 0;
  NSGNIC_PUT(&h0, CPL_HDR_OPCODE, NSGNIC_CMD_ECHO);
  NSGNIC_PUT(&h0, CPL_HDR_VERSION, NSGNIC_MBOX_VERSION);
  NSGNIC_PUT(&h0, CPL_HDR_LEN, 3);
  h1 = h0;
  NSGNIC_PUT(&h1, CPL_HDR_LEN, 1);
  board_put(&b, NSGNIC_CPL_RING_OFFSET, h0);
  board_put(&b, NSGNIC_CPL_RING_OFFSET + 4, 0);
  board_put(&b, NSGNIC_CPL_RING_OFFSET + NSGNIC_SLOT_BYTES, h1);
  board_put(&b, NSGNIC_CPL_RING_OFFSET + NSGNIC_SLOT_BYTES + 4, 1);
  board_put(&b, NSGNIC_CPL_RING_OFFSET + NSGNIC_SLOT_BYTES + 8, 0x77);
  board_put(&b, NSGNIC_HOSTREG_CMD_TAIL, 1);
  board_put(&b, NSGNIC_HOSTREG_CPL_HEAD, 2);
  uint32_t r[4] = {0};
  unsigned rlen = 0;
  assert_int_equal(nsgnic_dev_cmd(d, NSGNIC_CMD_ECHO, p, 1, r, 4, &rlen, &st), 0);
  assert_int_equal(rlen, 1);
  assert_int_equal(r[0], 0x77);
  assert_non_null(strstr(lb.all, "dropped the late completion of an earlier command (tag 0"));
  assert_int_equal(board_get(&b, NSGNIC_HOSTREG_CPL_TAIL), 2);
  /* a completion with a tag never sent is a protocol error */
  h1 = h0;
  NSGNIC_PUT(&h1, CPL_HDR_LEN, 0);
  board_put(&b, NSGNIC_CPL_RING_OFFSET + 2 * NSGNIC_SLOT_BYTES, h1);
  board_put(&b, NSGNIC_CPL_RING_OFFSET + 2 * NSGNIC_SLOT_BYTES + 4, 99);
  board_put(&b, NSGNIC_HOSTREG_CMD_TAIL, 2);
  board_put(&b, NSGNIC_HOSTREG_CPL_HEAD, 3);
  assert_int_equal(nsgnic_dev_cmd(d, NSGNIC_CMD_ECHO, NULL, 0, NULL, 0, NULL, &st), -EPROTO);
  assert_non_null(strstr(lb.last_err, "a tag that was never sent"));

  /* command ring full (the firmware takes nothing more): also a timeout */
  for (unsigned i = 1; i < NSGNIC_CMD_RING_SLOTS; i++)
    nsgnic_dev_cmd(d, NSGNIC_CMD_ECHO, NULL, 0, NULL, 0, NULL, &st);
  assert_int_equal(board_get(&b, NSGNIC_HOSTREG_CMD_HEAD), 2 + NSGNIC_CMD_RING_SLOTS);
  assert_int_equal(nsgnic_dev_cmd(d, NSGNIC_CMD_ECHO, NULL, 0, NULL, 0, NULL, &st), -ETIMEDOUT);
  assert_non_null(strstr(lb.last_err, "no free command slot"));
  assert_int_equal(board_get(&b, NSGNIC_HOSTREG_CMD_HEAD), 2 + NSGNIC_CMD_RING_SLOTS);

  /* a completion index beyond the ring is a protocol error, not a hang */
  board_put(&b, NSGNIC_HOSTREG_CMD_TAIL, 2 + NSGNIC_CMD_RING_SLOTS);
  board_put(&b, NSGNIC_HOSTREG_CPL_HEAD, 1000);
  assert_int_equal(nsgnic_dev_cmd(d, NSGNIC_CMD_ECHO, NULL, 0, NULL, 0, NULL, &st), -EPROTO);
  nsgnic_dev_close(d);

  /* firmware of another ABI major, and a failed self-test */
  d = nsgnic_dev_open("pci", &o);
  assert_non_null(d);
  board_firmware(&b, (uint32_t)(NSGNIC_ABI_VERSION_MAJOR + 1) << 16, NSGNIC_FW_STATE_READY);
  assert_int_equal(nsgnic_dev_attach(d), -EPROTONOSUPPORT);
  assert_non_null(strstr(lb.last_err, "firmware ABI version"));
  board_firmware(&b, abi_version(), NSGNIC_FW_STATE_FAILED);
  board_put(&b, NSGNIC_HOSTREG_SELFTEST, 1u << NSGNIC_SELFTEST_TCAM);
  assert_int_equal(nsgnic_dev_attach(d), -EIO);
  assert_non_null(strstr(lb.last_err, "self-test failed (steps TCAM)"));
  /* ring geometry that does not fit */
  board_firmware(&b, abi_version(), NSGNIC_FW_STATE_READY);
  board_put(&b, NSGNIC_HOSTREG_EVT_SLOTS, 3);
  assert_int_equal(nsgnic_dev_attach(d), -EPROTO);
  nsgnic_dev_close(d);
  board_free(&b);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(list_by_id),
    cmocka_unit_test(list_by_bdf),
    cmocka_unit_test(bar_map_from_file),
    cmocka_unit_test(open_errors),
    cmocka_unit_test(identity_refused),
    cmocka_unit_test(timeouts),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

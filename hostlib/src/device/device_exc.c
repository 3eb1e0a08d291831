/* SPDX-License-Identifier: Apache-2.0 */
/* The slow path's device interface (struct nsg_dev_ops of <nsgnic/slowpath.h>) over a driver
 * handle, so the exception loop runs against a board, the fake device or (later) the
 * simulator exactly as against its test fake. `dev` is the struct nsgnic_dev *. */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "nsgnic/abi.h"
#include "nsgnic/device.h"
#include "nsgnic/slowpath.h"

enum { FLOW_WORDS = NSGNIC_FLOW_BITS / 32 };
_Static_assert(FLOW_WORDS == 16, "nsg_dev_ops passes 16-word flow entries");
_Static_assert(NSGNIC_SLOT_WORDS == 32, "nsg_dev_ops passes 32-word slots");

static int exc_read_event(void *dev, uint32_t slot[32])
{
  return nsgnic_dev_event_slot(dev, slot);
}

static long exc_install_flow(void *dev, const uint32_t entry[16])
{
  uint32_t p[1 + FLOW_WORDS], idx = 0, st = 0;
  unsigned n = 0;
  p[0] = 0;
  memcpy(&p[1], entry, sizeof(uint32_t) * FLOW_WORDS);
  int rc = nsgnic_dev_cmd(dev, NSGNIC_CMD_FLOW_INSERT, p, 1 + FLOW_WORDS, &idx, 1, &n, &st);
  if (rc == -EREMOTEIO)
    return st == NSGNIC_STATUS_TABLE_FULL ? -ENOSPC
           : st == NSGNIC_STATUS_EXISTS   ? -EEXIST
           : st == NSGNIC_STATUS_BAD_FIELD ? -EINVAL
                                          : -EIO;
  if (rc < 0)
    return rc;
  return n == 1 ? (long)idx : -EPROTO;
}

static int exc_delete_flow(void *dev, uint32_t index, const uint32_t entry[16])
{
  return nsg_device_flow_delete(dev, index, entry, NULL, 0);
}

/* The ABI has no host-to-device path for a packet the device did not park (no TX queue): a
 * parked one is released by CMD_EXC_RELEASE instead (exc_release). */
static int exc_reinject(void *dev, uint16_t port, const uint8_t *pkt, size_t len)
{
  (void)dev, (void)port, (void)pkt, (void)len;
  return -EOPNOTSUPP;
}

static int exc_release(void *dev, uint32_t token, uint16_t out_port, bool forward)
{
  return nsg_device_exc_release(dev, token, out_port, forward, NULL, 0);
}

static int exc_read_flow(void *dev, uint32_t index, uint32_t entry[16])
{
  int rc = nsg_device_flow_read(dev, index, entry, NULL, 0);
  return rc == 0 ? 1 : rc == -ENOENT ? 0 : rc;
}

/* The flow cache's slots, then the DRAM tier's (the firmware's numbering). */
static uint32_t exc_flow_slots(void *dev)
{
  struct nsg_device_caps c;
  if (nsg_device_caps(dev, &c, NULL, 0) != 0)
    return 0;
  return c.flow_entries + ((c.caps & (1u << NSGNIC_CAP_FLOW_LIMIT)) ? c.dram_flow_entries : 0);
}

/* The sizes a walk over the flow slots needs (the cache's, the tier's): read when a walk starts
 * (from 0) and kept, per thread and device, for the rest of it, instead of a GET_CAPS command
 * before every flow (nsg_exc_rebuild asks once per flow held). */
static _Thread_local struct {
  void *dev;
  bool ok;
  struct nsg_device_caps c;
} walk_caps;

/* The next flow at a slot >= from: the cache, then the DRAM tier (nsg_device_next_flow). */
static int exc_next_flow(void *dev, uint32_t from, uint32_t *index, uint32_t entry[16])
{
  if (from == 0 || !walk_caps.ok || walk_caps.dev != dev) {
    walk_caps.ok = false;
    int rc = nsg_device_caps(dev, &walk_caps.c, NULL, 0);
    if (rc < 0)
      return rc;
    walk_caps.dev = dev;
    walk_caps.ok = true;
  }
  uint32_t i = from;
  int rc = nsg_device_next_flow(dev, &walk_caps.c, &i, entry, NULL, 0);
  if (rc == 1)
    *index = i;
  return rc;
}

static uint64_t exc_events_lost(void *dev)
{
  return nsgnic_dev_rd32(dev, NSGNIC_HOSTREG_EVT_LOST);
}

const struct nsg_dev_ops nsg_device_exc_ops = {
  .read_event = exc_read_event,
  .read_exception = NULL,  /* exceptions share the event ring (EVT_EXCEPTION) */
  .install_flow = exc_install_flow,
  .delete_flow = exc_delete_flow,
  .reinject = exc_reinject,
  .read_flow = exc_read_flow,
  .flow_slots = exc_flow_slots,
  .events_lost = exc_events_lost,
  .release = exc_release,
  .next_flow = exc_next_flow,
};

/* SPDX-License-Identifier: Apache-2.0 */
/* nsgnic device layer: compiled tables (<nsgnic/compile.h>) onto a device through the
 * driver's mailbox (<nsgnic/driver.h>), and the device's state back: capabilities, counters,
 * flows.
 *
 * Atomicity (docs/driver.md "Loading tables"). Every TCAM key has a BANK bit and the datapath
 * looks up with the active bank; the firmware flips it with CMD_COMMIT in one register write.
 * The vport binding table (NIC and subnet NSG attachments, ASG membership) is banked too
 * (CAP_BANKED_BINDING, required): CMD_BIND_WRITE writes the inactive bank's entry, CMD_COMMIT
 * activates it with the rules and copies it to the other bank.
 *  - Initial load (device after reset: table version 0, tables empty): every image entry is
 *    written caring about the INACTIVE bank (invisible), and every vport binding into the
 *    inactive bank, then CMD_COMMIT makes them all visible at once, then each entry is
 *    rewritten as shared by both banks (the steady state the update planner expects; the
 *    write does not change what the active bank matches, so it is sent with TCAM_FLAG_LIVE).
 *  - Update: nsg_update_plan() orders the writes (inactive bank: entries and bindings; switch;
 *    clean-up);
 *    this layer first checks that the device holds `old` (read back), then sends the writes,
 *    the switch as CMD_COMMIT on the table version it read first (a concurrent writer makes it
 *    fail with STALE_VERSION). A write is sent with TCAM_FLAG_LIVE only when the slot it
 *    replaces or the entry it writes is live in the active bank, and only after checking that
 *    it changes no lookup result (re-banking, or a copy of an adjacent slot: the planner's
 *    moves); the firmware refuses any other live write.
 * A failure before the commit leaves the rule set traffic sees unchanged (only invisible
 * entries were written); after it, the new rule set is active and only clean-up is missing.
 * Either way the error says which step failed, and a reset + initial load recovers.
 *
 * Conventions: 0 or a negative errno; messages into the caller's err buffer; the device handle
 * is the caller's (open, start and close it with the driver). Not thread-safe per device. */
#ifndef NSGNIC_DEVICE_H
#define NSGNIC_DEVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nsgnic/abi.h"
#include "nsgnic/compile.h"
#include "nsgnic/driver.h"

#ifdef __cplusplus
extern "C" {
#endif

/* GET_CAPS as a struct (P_CAPS fields). */
struct nsg_device_caps {
  uint32_t abi_version, mbox_version, fw_build, caps;
  uint32_t rule_entries, label_entries, platform_entries, vports, flow_entries;
  uint32_t fw_counters, dp_counters, table_version, active_bank;
  uint32_t port_classes;  /* port-range comparators per field (0: none) */
  /* the label stage's block-RAM trees (CAP_LABEL_LPM; lpm_levels 0: the label TCAM serves):
   * fanout, context bits, and per family (0 IPv4, 1 IPv6) leaf nodes and result rows */
  uint32_t lpm_levels, lpm_fanout, lpm_ctx_bits, lpm_leaves[2], lpm_results[2];
  uint32_t dram_flow_entries;  /* slots of the DRAM flow tier (0: none) */
};
int nsg_device_caps(struct nsgnic_dev *d, struct nsg_device_caps *c, char *err, size_t errlen);

/* Compile options that fit this device: its table sizes, and port-range comparators where it has
 * them (CAP_PORT_RANGES with PORT_CLASSES per field; nsg_device_load sets them). */
int nsg_device_compile_opts(struct nsgnic_dev *d, struct nsg_compile_opts *o, char *err,
                            size_t errlen);

/* What a load or update sent. */
struct nsg_device_load_stats {
  size_t tcam_writes, bind_writes, live_writes;
  size_t lpm_writes;  /* label-stage tree nodes and result rows written (CMD_LPM_WRITE words) */
  uint32_t table_version, active_bank;  /* after the commit */
};

/* Initial load of `t` into a device whose firmware was just started (table version 0). First,
 * on a device with CAP_FLOW_HASH_KEY, a flow-hash key from the OS's random source (getrandom):
 * an attacker cannot aim flows at one bucket of a key it does not know.
 * -EBUSY the device already holds tables (use nsg_device_update, or reset), -ENOSPC a table
 * does not fit the device, -ENOTSUP the image uses port-range comparators or the firmware
 * lacks CAP_BANKED_BINDING, -EINVAL an image entry cares about BANK; driver errors
 * (-ETIMEDOUT, -EREMOTEIO, ...) pass through. */
int nsg_device_load(struct nsgnic_dev *d, const struct nsg_tables *t,
                    struct nsg_device_load_stats *st, char *err, size_t errlen);

/* Sets the flow hash's secret key (FLOW_HKEY_WORDS words; CMD_FLOW_HASH_KEY): the device
 * deletes every flow of its cache first. nsg_device_load sets a key from getrandom() on a device
 * with CAP_FLOW_HASH_KEY; tests that need a reproducible placement set a fixed one afterwards.
 * -ENOTSUP without CAP_FLOW_HASH_KEY; driver errors pass through. */
int nsg_device_flow_hash_key(struct nsgnic_dev *d, const uint32_t *hkey, char *err, size_t errlen);

/* Sets the S5 flow limit of the device's DRAM flow tier (CMD_FLOW_LIMIT): flows each NIC may
 * hold per initiator direction; a new flow of a NIC at it is punted and counted, learned flows
 * stay. The device starts at FLOW_LIMIT_DEFAULT (S5: 500,000); 0 refuses every new flow.
 * *now (may be NULL) gets the value the device holds. -ENOTSUP without CAP_FLOW_LIMIT (no DRAM
 * tier); driver errors pass through. */
int nsg_device_flow_limit(struct nsgnic_dev *d, uint32_t limit, uint32_t *now, char *err,
                          size_t errlen);

/* Incremental update from `old` (what the device holds, as loaded) to `new_` (compiled with
 * old's port ranges). First reads every slot and old's bindings (both banks) back: -ESTALE when
 * the device does not hold `old`. Every write that touches live entries is checked to change no lookup
 * result before it is sent with TCAM_FLAG_LIVE (-EPROTO otherwise: a planner bug). Errors of
 * nsg_update_plan (-ENOSPC, -EINVAL) and of the device pass through. */
int nsg_device_update(struct nsgnic_dev *d, const struct nsg_tables *old,
                      const struct nsg_tables *new_, struct nsg_device_load_stats *st, char *err,
                      size_t errlen);

/* Reads `count` counters of block CNT_BLOCK_* from id `first` into out (any count: split into
 * COUNTERS_PER_READ-sized commands). */
int nsg_device_counters(struct nsgnic_dev *d, unsigned block, uint32_t first, uint32_t count,
                        uint64_t *out, char *err, size_t errlen);

/* Flow cache slot `index`: FLOW layout (FLOW_BITS/32 words). -ENOENT when the slot is empty. */
int nsg_device_flow_read(struct nsgnic_dev *d, uint32_t index, uint32_t *entry, char *err,
                         size_t errlen);
/* Flow slots are numbered as the firmware does: the flow cache's [0, flow_entries), then the DRAM
 * tier's (CAP_FLOW_LIMIT) at flow_entries + its slot; read and delete take either. */
/* The first flow at a slot >= *index in that numbering: 1 with *index and entry, 0 when none is
 * left. The cache with CMD_FLOW_NEXT (one command per flow or per FLOW_SCAN_SLOTS empty slots;
 * FLOW_READ slot by slot on firmware before ABI 1.7), then the tier bucket by bucket
 * (CMD_DRAM_FLOW_NEXT). caps: the device's (NULL: read here; a caller walking the whole table
 * reads them once). */
int nsg_device_next_flow(struct nsgnic_dev *d, const struct nsg_device_caps *caps, uint32_t *index,
                         uint32_t *entry, char *err, size_t errlen);
/* The first flow of the DRAM tier at a slot >= *slot (tier numbering, 0-based): 1 with *slot
 * and entry, 0 when none is left. Walks the tier bucket by bucket (CMD_DRAM_FLOW_NEXT);
 * -ENOTSUP without a tier. */
int nsg_device_dram_flow_next(struct nsgnic_dev *d, uint32_t *slot, uint32_t *entry, char *err,
                              size_t errlen);
/* Deletes slot `index` if it still holds the key of `entry` (as read): -ENOENT otherwise. */
int nsg_device_flow_delete(struct nsgnic_dev *d, uint32_t index, const uint32_t *entry,
                           char *err, size_t errlen);

/* A packet the device parked (CAP_EXC_PARK: EVT_EXCEPTION with P_EXC.PARKED) leaves its park:
 * forward = true re-injects it on out_port (PORT layout), false drops it (CMD_EXC_RELEASE, token
 * = the event's sequence word). -ENOENT no parked packet has that token (released, expired after
 * EXC_PARK_TIMEOUT, never parked), -ENOTSUP the device does not park. */
int nsg_device_exc_release(struct nsgnic_dev *d, uint32_t token, uint16_t out_port, bool forward,
                           char *err, size_t errlen);

/* The firmware's aging scan (EVT_IDLE_FLOW for flows idle >= threshold NOW ticks, 1..32767;
 * interval ticks between pass starts, 0 back to back; batch slots per main-loop turn, 1..65536;
 * -EINVAL outside those ranges) and its stop. */
int nsg_device_aging_start(struct nsgnic_dev *d, uint32_t threshold, uint32_t interval, uint32_t batch,
                           char *err, size_t errlen);
int nsg_device_aging_stop(struct nsgnic_dev *d, char *err, size_t errlen);

/* The hardware aging engine (CAP_HW_AGING, else -ENOTSUP): idle timeouts in NOW ticks per
 * AGE_CLASS (timeouts[c], 1..65535, -EINVAL otherwise; S5 per-state timeouts: the classes are the
 * host conntrack's states as the entry shows them, include/nsgnic/flow_age.h), the scan pace
 * (0..255: a scan at most every pace + 1 clocks); the device deletes expired flows itself and
 * reports each one (EVT_FLOW_EXPIRED, handled by nsg_exc_poll). enable false stops it. *passes
 * (NULL: not wanted): the engine's pass count at the command; an EVT_SCAN_DONE whose pass is at
 * least 2 more (nsg_exc_stats.scan_pass) comes after every report of a whole pass begun after
 * the command. */
int nsg_device_aging_hw(struct nsgnic_dev *d, bool enable, unsigned pace,
                        const uint32_t timeouts[NSGNIC_AGE_CLASSES], uint32_t *passes, char *err,
                        size_t errlen);
/* Per-vport established timeouts (AGE_CLASS TCP_EST and REPLIED; S5: the VNet's
 * flowTimeoutInMinutes), est[v] in NOW ticks for vports 0..nvports-1 (0: the class's own), in
 * CMD_AGING_EST batches. */
int nsg_device_aging_est(struct nsgnic_dev *d, const uint16_t *est, unsigned nvports, char *err,
                         size_t errlen);

/* Host-driven time (CAP_EXT_TIME in HW_CAPS, else -ENOTSUP): with external set the datapath's
 * NOW (the FLOW.TIMESTAMP unit) advances only by nsg_device_time_advance (TIME_TICK writes of at
 * most 65535 ticks each); cleared, it runs from the clock again. */
int nsg_device_time_external(struct nsgnic_dev *d, bool external, char *err, size_t errlen);
int nsg_device_time_advance(struct nsgnic_dev *d, uint64_t ticks);

/* The exception loop's device interface (struct nsg_dev_ops of <nsgnic/slowpath.h>) over a
 * started driver handle: nsg_exc_new(sp, &nsg_device_exc_ops, dev, ...) with dev the
 * struct nsgnic_dev *. Events come from the event ring (exceptions included); flows are
 * inserted, read and deleted by mailbox command; parked exceptions released by CMD_EXC_RELEASE.
 * reinject returns -EOPNOTSUPP: the ABI has no host-to-device path for a packet the device did
 * not park. */
struct nsg_dev_ops;
extern const struct nsg_dev_ops nsg_device_exc_ops;

#ifdef __cplusplus
}
#endif
#endif

/* SPDX-License-Identifier: Apache-2.0 */
/* A minimal host side of the mailbox, in the same address space as the firmware (the window is
 * plain memory): used by the unit tests and by the on-target self-test image, which runs
 * fw_script_run on the real soft-core. */
#ifndef NSGNIC_FW_SCRIPT_H
#define NSGNIC_FW_SCRIPT_H

#include "fw.h"
#include "hal_ram.h"

struct fw_host {
  struct fw *fw;
  uint32_t cmd_head, cpl_tail, evt_tail, tag;
};

enum { FW_HOST_TIMEOUT = 0x100 };  /* fw_host_cmd result when no completion came */

void fw_host_init(struct fw_host *h, struct fw *fw);

/* Posts one raw command slot (header word `hdr`, payload p[0..len)), runs the firmware until
 * its completion arrives and copies the completion slot to `cpl` (SLOT_WORDS words). Returns
 * the completion STATUS, or FW_HOST_TIMEOUT (also when the tag does not match). */
uint32_t fw_host_raw(struct fw_host *h, uint32_t hdr, const uint32_t *p, uint32_t len,
                     uint32_t *cpl);

/* The same with a well-formed header for `op`; *out_len (if not NULL) gets the payload length
 * and out (if not NULL) the payload. */
uint32_t fw_host_cmd(struct fw_host *h, uint32_t op, const uint32_t *p, uint32_t len,
                     uint32_t *out, uint32_t *out_len);

/* Header word of a command. */
uint32_t fw_host_hdr(uint32_t op, uint32_t version, uint32_t len, uint32_t flags);

/* Takes the next event: returns 1 and fills code/payload/len, or 0 when the ring is empty. */
int fw_host_evt(struct fw_host *h, uint32_t *code, uint32_t *p, uint32_t *len);

/* The end-to-end mailbox script (boot words, every command once, errors, commit, aging report,
 * exception forwarding). Returns 0, or the number of the first step that failed. */
uint32_t fw_script_run(struct fw *fw, struct fw_ram *ram);

/* A small fuzz run for the soft-core: `iters` random, often malformed commands (seeded). Every
 * one must complete with its tag and a known status; at the end the mailbox still echoes.
 * Returns 0, or 40 + the check that failed. (The full fuzz test with table invariants is
 * tests/firmware/test_fuzz.c on the host.) */
uint32_t fw_script_fuzz(struct fw *fw, uint32_t iters, uint32_t seed);

#endif /* NSGNIC_FW_SCRIPT_H */

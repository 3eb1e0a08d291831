/* SPDX-License-Identifier: Apache-2.0 */
/* Backend "sim": the Verilated device in-process, through sim/nsgnic_sim.h.
 *
 * NOT AVAILABLE YET. Today's simulator C API models the CPU subsystem only: it can write the
 * CPU's RAMs and step the clock, but it has no host window (BAR0) to read and write. Opening
 * this backend therefore fails with -ENOTSUP and says so; it never pretends to work.
 *
 * The plan, once the SoC exposes its host window (the CPU engineer's API):
 *   open   nsgnic_sim_create(NULL) + nsgnic_sim_reset()  (arg: "trace=FILE" for an FST)
 *   rd32   nsgnic_sim_bar_read(sim, off, &v, 4)           (hypothetical name)
 *   wr32   nsgnic_sim_bar_write(sim, off, &v, 4)          (hypothetical name)
 *   poll   nsgnic_sim_step(sim, N) — the model only advances when the host lets it, so every
 *          driver wait loop (which calls poll) gives the firmware time to run
 *   close  nsgnic_sim_destroy(sim)
 * Firmware load goes through the window's FW_LOAD_* registers like on a board, so nothing
 * above this file changes. */
#include <errno.h>

#include "driver_priv.h"

static int sim_open(struct nsgnic_dev *d, const char *arg)
{
  (void)arg;
  DLOG(d, ERR, "sim: the simulator does not expose the device's host window (BAR0) yet "
       "(sim/nsgnic_sim.h models the CPU subsystem only): use --device fake, which runs the "
       "same firmware logic in-process");
  return -ENOTSUP;
}

static void sim_close(void *be) { (void)be; }
static uint32_t sim_rd32(void *be, uint32_t off) { (void)be, (void)off; return UINT32_MAX; }
static void sim_wr32(void *be, uint32_t off, uint32_t v) { (void)be, (void)off, (void)v; }
static void sim_poll(void *be) { (void)be; }

const struct nsgnic_backend_ops nsgnic_backend_sim = {
  .name = "sim", .open = sim_open, .close = sim_close, .rd32 = sim_rd32, .wr32 = sim_wr32,
  .poll = sim_poll,
};

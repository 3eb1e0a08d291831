/* SPDX-License-Identifier: Apache-2.0 */
/* nsgnic_sim: C API of the Verilated device model (today the CPU subsystem rv32_sys; later the
 * whole SoC with the datapath and the host window behind the same calls).
 *
 * Lifecycle: create -> reset -> mem_write (firmware) -> cpu_start -> step/run ... -> destroy.
 * Time only advances inside nsgnic_sim_step/run/mem_* (one call = whole clock cycles). A handle
 * is not thread-safe; separate handles are independent except for Verilator's process-global
 * state, so use one handle per process. Errors are negative errno values. */
#ifndef NSGNIC_SIM_H
#define NSGNIC_SIM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct nsgnic_sim;

/* Builds the model and, when trace_path is not NULL, opens an FST waveform there (every signal,
 * every cycle; slow). Returns NULL with errno set on failure. The model comes up in reset. */
struct nsgnic_sim *nsgnic_sim_create(const char *trace_path);

/* Flushes the trace and frees everything. NULL is a no-op. */
void nsgnic_sim_destroy(struct nsgnic_sim *sim);

/* Resets the whole device (RAM contents persist) and leaves the CPU held in reset. */
void nsgnic_sim_reset(struct nsgnic_sim *sim);

/* Writes/reads len bytes at the CPU address addr through the host memory port (1 cycle per
 * word; any alignment). -EFAULT when a byte is outside the RAMs (nothing after it is written). */
int nsgnic_sim_mem_write(struct nsgnic_sim *sim, uint32_t addr, const void *buf, size_t len);
int nsgnic_sim_mem_read(struct nsgnic_sim *sim, uint32_t addr, void *buf, size_t len);

/* Where stores also land in tohost (e.g. the ELF's `tohost` symbol). */
void nsgnic_sim_set_tohost_addr(struct nsgnic_sim *sim, uint32_t addr);

/* Releases the CPU from reset at boot_addr (clears tohost and the cycle/instret counts). */
void nsgnic_sim_cpu_start(struct nsgnic_sim *sim, uint32_t boot_addr);

/* Advances n clock cycles. */
void nsgnic_sim_step(struct nsgnic_sim *sim, uint64_t n);

/* Advances until tohost is non-zero (returns 1, *tohost set) or max_cycles have passed since the
 * call (returns 0). */
int nsgnic_sim_run(struct nsgnic_sim *sim, uint64_t max_cycles, uint32_t *tohost);

/* Calls fn(ctx, pc) for every retired instruction (NULL fn: off). For debugging: slow. */
void nsgnic_sim_set_retire_hook(struct nsgnic_sim *sim, void (*fn)(void *ctx, uint32_t pc),
                                void *ctx);

/* The CPU is inside a trap handler (a trap was taken and no MRET has returned since the last one,
 * or since cpu_start): returns 1 with that trap's mcause and mepc, else 0. */
int nsgnic_sim_open_trap(const struct nsgnic_sim *sim, uint32_t *mcause, uint32_t *mepc);

/* Current tohost value; clock cycles and retired instructions since cpu_start. */
uint32_t nsgnic_sim_tohost(const struct nsgnic_sim *sim);
uint64_t nsgnic_sim_cycles(const struct nsgnic_sim *sim);
uint64_t nsgnic_sim_instret(const struct nsgnic_sim *sim);

#ifdef __cplusplus
}
#endif

#endif /* NSGNIC_SIM_H */

/* SPDX-License-Identifier: Apache-2.0 */
/* nsgnic whole-NIC simulation: the Verilated SoC (hdl/rtl/nsgnic_top.sv = rv32 CPU running the
 * firmware + datapath + BAR0 host window) behind a C API.
 *
 * Lifecycle: nsgnic_soc_create() -> [load + start firmware] -> bar_read32/bar_write32, send,
 * step/run, recv ... -> nsgnic_soc_destroy() (NULL: no-op).
 *
 * Time only advances inside calls (step, run, a BAR access, drain): the model is a pure function
 * of the call sequence, so the same calls give the same cycle counts and results. Every call
 * that waits is bounded by a cycle limit and returns -ETIMEDOUT instead of hanging.
 *
 * Packets: nsgnic_soc_send() queues an Ethernet frame for a PORT (NSGNIC_PORT_KIND_WIRE with the
 * VNet context as id, or NSGNIC_PORT_KIND_VF with the vport: nsgnic_soc_port()); the streamer
 * feeds queued frames to the datapath back to back while the clock runs. Each frame yields
 * exactly one result (nsgnic_soc_recv), in send order: the datapath's verdict (action, reason,
 * deciding rule id, flow hit, learned) and, when allowed, the frame as it left the datapath
 * with its destination PORT. Punted frames continue to the firmware's event ring
 * (EVT_EXCEPTION), which the host reads through the BAR like on a board; the frame itself stays
 * parked in the device (CAP_EXC_PARK). When the host releases it with ACTION_ALLOW
 * (CMD_EXC_RELEASE), the frame leaves the datapath again and yields one EXTRA result:
 * released = true, id = the id of the punted frame it came from, in_port = that frame's port,
 * action ALLOW, reason NONE, rule_id NO_RULE_ID, out_port = the release's OUT_PORT, data/len =
 * the whole frame as it left. A released frame's result is not counted by in_flight/drain (its
 * timing is the host's); nsgnic_soc_recv returns the sent frames' results first (send order),
 * then released ones (in the order they left).
 *
 * Errors: negative errno; constructors return NULL, set errno and write a message into err.
 * Not thread-safe; several devices may exist in one process (each has its own Verilator
 * context). */
#ifndef NSGNIC_SOC_H
#define NSGNIC_SOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Simulated devices (docs/soc.md "Simulated devices"): "realistic", the sizes of a board, which
 * the programs run, and "small", the tests' (quick to build and run); each is a Verilation of
 * nsgnic_top with its parameters fixed when it is built (hdl/soc.cmake). A device with
 * nsgnic_soc_opts.device NULL is the one the environment variable NSGNIC_SIM_DEVICE names, else
 * the realistic one. */
struct nsgnic_soc_params {
  const char *device;                /* its name */
  unsigned rule_entries, label_entries, platform_entries, vports;
  unsigned label_lpm;                /* 1: label stage = block-RAM trees (ABI LPM_* geometry),
                                      * label_entries 0 */
  unsigned label_ctx;                /* 1: with per-vport label contexts (CAP_LABEL_CTX);
                                      * label_entries = the local-address table */
  unsigned flow_buckets, flow_ways;  /* flow cache: FLOW_TABLES tables x buckets x ways ... */
  unsigned flow_stash;               /* ... + stash slots */
  unsigned max_frame_bytes;          /* longer frames are dropped (REASON_OVERSIZE) */
  unsigned beat_bytes;               /* stream width */
  unsigned iram_bytes, dram_bytes, window_bytes;
  unsigned tick_cycles;              /* clock cycles per datapath NOW tick (FLOW.TIMESTAMP unit) */
};
/* The sizes of `device` (NULL: the default device, see above): 0, or -ENODEV when there is no
 * such device (*p: the realistic device's). */
int nsgnic_soc_device_params(const char *device, struct nsgnic_soc_params *p);
/* The default device's sizes (nsgnic_soc_device_params(NULL, p)). */
void nsgnic_soc_params(struct nsgnic_soc_params *p);
/* The names of the devices this library can build ("realistic, small"). */
const char *nsgnic_soc_device_names(void);

struct nsgnic_soc_opts {
  const char *device;     /* "realistic", "small" or NULL (the default device, see above) */
  const char *firmware;   /* ELF to load through FW_LOAD_* and start (CTRL.CPU_RUN); NULL: the
                             CPU stays held (a driver boots it through the BAR) */
  const char *trace;      /* FST waveform file, or NULL */
  const char *trace_scope; /* NULL/"all", "datapath", "cpu", "window" or a hierarchy (u_dp.u_parser) */
  uint64_t trace_from, trace_to; /* traced cycles [from, to); to == 0: no end */
  uint64_t bar_timeout;   /* cycles one BAR access may take: default 10,000 */
};

struct nsgnic_soc;
/* NULL + errno: ENODEV (no such device), ENOMEM, EIO (trace file), ENOENT/ENOEXEC/EFAULT (firmware file, see
 * nsgnic_soc_load_elf), ETIMEDOUT (firmware never wrote FW_MAGIC within 2,000,000 cycles). o may
 * be NULL (defaults). */
struct nsgnic_soc *nsgnic_soc_create(const struct nsgnic_soc_opts *o, char *err, size_t errlen);
void nsgnic_soc_destroy(struct nsgnic_soc *s);
/* The sizes of device s. */
void nsgnic_soc_get_params(const struct nsgnic_soc *s, struct nsgnic_soc_params *p);

/* Whole-device reset (registers, queues, CPU held, datapath tables invalid; RAM contents kept),
 * then 4 cycles. Queued packets and unread results are discarded. */
void nsgnic_soc_reset(struct nsgnic_soc *s);

/* The trace holds the cycles in [from, to) (to == 0: no end) from now on; UINT64_MAX, 0: off. */
void nsgnic_soc_trace_window(struct nsgnic_soc *s, uint64_t from, uint64_t to);

/* Advances n clock cycles (packets keep streaming). */
void nsgnic_soc_step(struct nsgnic_soc *s, uint64_t n);
/* Cycles since create. */
uint64_t nsgnic_soc_cycles(const struct nsgnic_soc *s);
/* Instructions the CPU retired since create. */
uint64_t nsgnic_soc_instret(const struct nsgnic_soc *s);
/* The SoC tohost register (firmware pass/fail signature; 0 after CPU reset). */
uint32_t nsgnic_soc_tohost(const struct nsgnic_soc *s);
/* The host interrupt line (IRQ_STATUS != 0). */
bool nsgnic_soc_irq(const struct nsgnic_soc *s);

/* One 32-bit BAR0 access at byte offset off (4-aligned) through the SoC's AXI4-Lite port. 0,
 * -EINVAL (alignment), -EIO (DECERR: off is beyond the host window), -ETIMEDOUT. */
int nsgnic_soc_bar_read32(struct nsgnic_soc *s, uint32_t off, uint32_t *v);
int nsgnic_soc_bar_write32(struct nsgnic_soc *s, uint32_t off, uint32_t v);

/* Fault injection (tests of docs/firmware.md "Faults"): the firmware stops answering right after
 * the host's `doorbells`-th CMD_DOORBELL write from now on: the SoC clears CTRL.CPU_RUN (the CPU
 * held in reset: no completion, no heartbeat, no event) while the datapath keeps forwarding with
 * the tables it holds. 0 cancels a pending fault. A driver restart (nsgnic_soc_start, or the
 * driver's reset/restart) brings the firmware back. */
void nsgnic_soc_fault_hold_cpu(struct nsgnic_soc *s, unsigned doorbells);

/* Loads an ELF32 RISC-V executable's PT_LOAD segments through FW_LOAD_ADDR/FW_LOAD_DATA (the
 * CPU must be held) and reads them back. 0, -ENOENT/-EIO (file), -ENOEXEC (not an ELF32 RISC-V
 * executable), -EFAULT (a segment outside the RAMs), -EBUSY (CPU running); message in err. */
int nsgnic_soc_load_elf(struct nsgnic_soc *s, const char *path, char *err, size_t errlen);
/* The board bring-up of docs/firmware.md: CPU held, datapath soft reset, host ring indices and
 * FW_MAGIC zeroed, CPU_RUN, wait (at most max_cycles) for FW_MAGIC. 0 or -ETIMEDOUT. */
int nsgnic_soc_start(struct nsgnic_soc *s, uint64_t max_cycles);

/* PORT word of a wire context or a vport (PORT layout of the ABI). */
uint16_t nsgnic_soc_port(bool vf, unsigned id);

/* Queues a frame on `port`; *id (may be NULL) gets its sequence number (from 0, send order).
 * 0, -EINVAL (empty frame, or longer than 65535 bytes), -ENOSPC (more than 4096 frames queued
 * or in flight). Frames longer than max_frame_bytes are sent and dropped by the datapath. */
int nsgnic_soc_send(struct nsgnic_soc *s, uint16_t port, const uint8_t *frame, size_t len,
                    uint64_t *id);

/* The result of one frame. data/len: the frame as it left the datapath (allowed only; NULL/0
 * otherwise), valid until the next nsgnic_soc_recv or destroy. */
struct nsgnic_soc_result {
  uint64_t id;                   /* released: the punted frame's id */
  bool released;                 /* a parked punted frame the host released (see above) */
  uint16_t in_port, out_port;    /* out_port: allowed only */
  unsigned action;               /* ACTION_ALLOW / DENY / PUNT */
  unsigned reason;               /* REASON_* (NONE when allowed) */
  unsigned rule_id;              /* RESULT.RULE_ID (NO_RULE_ID when none) */
  bool flow_hit, learned;
  uint64_t cycle_in, cycle_out;  /* cycle the last beat was taken / the result completed
                                    (released: the punted frame's cycle_in / the frame left) */
  const uint8_t *data;
  size_t len;
};
/* 1 and *r filled when a result is ready (a sent frame's, else a released frame's), 0 when
 * none is. */
int nsgnic_soc_recv(struct nsgnic_soc *s, struct nsgnic_soc_result *r);
/* Frames sent whose result is not complete yet. */
size_t nsgnic_soc_in_flight(const struct nsgnic_soc *s);
/* Runs until every sent frame has a result (at most max_cycles). 0 or -ETIMEDOUT. */
int nsgnic_soc_drain(struct nsgnic_soc *s, uint64_t max_cycles);

#ifdef __cplusplus
}
#endif
#endif

/* SPDX-License-Identifier: Apache-2.0 */
/* Private interface between the whole-NIC simulation (soc.c) and its C++ shim (soc_model.cpp):
 * the pins of nsgnic_top, one clock cycle at a time. soc_hw_eval drives the inputs with the
 * clock low and samples the outputs (so a ready/valid handshake seen in `out` happens at the next
 * edge); soc_hw_edge applies the rising edge. */
#ifndef NSGNIC_SOC_HW_H
#define NSGNIC_SOC_HW_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SOC_HW_BEAT_BYTES 64 /* DataW / 8 of every simulated device (hdl/soc.cmake) */

/* A device the shim can build: its name and the nsgnic_top parameters it was Verilated with. */
struct soc_hw_sizes {
  const char *name;
  unsigned rule_entries, label_entries, platform_entries, vports, flow_buckets, flow_ways,
      flow_stash, max_beats, data_w, iram_bytes, dram_bytes, tick_cycles;
  unsigned label_lpm;  /* 1: the label stage is the block-RAM trees (label_entries 0) */
  unsigned label_ctx;  /* 1: with per-vport label contexts (label_entries: the local-address table) */
};
/* The device called name (NULL: the shim's default device), or NULL when there is none. */
const struct soc_hw_sizes *soc_hw_device(const char *name);
/* The names soc_hw_device knows, for messages ("realistic, small"). */
const char *soc_hw_device_names(void);

struct soc_pins_in {
  bool rst_n;
  /* BAR0: the AXI4-Lite slave port s_axil_* (prot is driven 0) */
  bool awvalid, wvalid, bready, arvalid, rready;
  uint32_t awaddr, wdata, araddr;
  uint8_t wstrb;
  uint8_t tdata[SOC_HW_BEAT_BYTES];
  uint64_t tkeep;
  bool tlast, tvalid;
  uint16_t tuser;
  bool m_tready;
};

struct soc_pins_out {
  bool awready, wready, bvalid, arready, rvalid;
  uint8_t bresp, rresp;
  uint32_t rdata;
  bool irq;
  bool s_tready;
  uint8_t m_tdata[SOC_HW_BEAT_BYTES];
  uint64_t m_tkeep;
  bool m_tlast, m_tvalid;
  uint16_t m_tuser;
  uint8_t m_tid;            /* 0: pipeline frame; 32 + slot: released parked frame */
  bool mon_park_valid, mon_park_ok;  /* a punted frame left the output engine: parked or not */
  uint8_t mon_park_slot;
  bool mon_valid;
  uint8_t mon_action, mon_reason;
  uint16_t mon_rule_id;
  bool mon_flow_hit, mon_learned;
  uint32_t tohost;
  bool retire;
};

struct soc_hw;
/* NULL + errno (ENOMEM; EIO: the trace file could not be opened; EINVAL: bad scope; ENODEV: no
 * such device). device: a soc_hw_device name or NULL (the default); trace_path: FST or NULL;
 * trace_scope: NULL or "" (everything), "datapath", "cpu", "window" or a hierarchy below the top
 * (u_dp.u_parser). */
struct soc_hw *soc_hw_new(const char *device, const char *trace_path, const char *trace_scope);
/* The trace holds the cycles in [from, to) (to == 0: no end); default everything. */
void soc_hw_trace_window(struct soc_hw *h, uint64_t from, uint64_t to);
void soc_hw_free(struct soc_hw *h);
void soc_hw_eval(struct soc_hw *h, const struct soc_pins_in *in, struct soc_pins_out *out);
void soc_hw_edge(struct soc_hw *h);

#ifdef __cplusplus
}
#endif
#endif

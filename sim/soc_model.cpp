// SPDX-License-Identifier: Apache-2.0
// The thin C++ side of the whole-NIC simulation: owns a Verilated nsgnic_top (its own
// VerilatedContext, so several devices may live in one process), copies the pins in and out and
// clocks it. Every protocol (BAR accesses, packet streams, verdict matching) is C, in soc.c.
// Three devices, three Verilations of the same RTL (hdl/soc.cmake): "realistic" (Vnsgnic_top_real,
// the product's), "small" (Vnsgnic_top, the tests') and "small-dram" (Vnsgnic_top_sdram: the
// small one with the DRAM flow tier); their sizes come from the NSGNIC_SOC_REAL_<PARAM> /
// NSGNIC_SOC_SMALL_<PARAM> / NSGNIC_SOC_SDRAM_<PARAM> definitions of sim/soc.cmake.
#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>

#include "Vnsgnic_top.h"
#include "Vnsgnic_top_real.h"
#include "Vnsgnic_top_sdram.h"
#include "verilated.h"
#include "verilated_fst_c.h"

// axi_dram.h names a function like its stats struct (C), which -Wshadow flags in C++
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wshadow"
#include "axi_dram.h"
#include "axi_dram_vl.h"
#pragma GCC diagnostic pop
#include "soc_hw.h"
#include "soc_hw_life.hpp"

// The DRAM flow tier of a model (datapath.sv FlowDram, hdl/soc.cmake): with it on, the shim
// serves the model's m_axi_flow_* port from the DRAM model (hdl/tb/common/axi_dram.c: one 64-byte
// beat per slot, read and write latency 100..400 clocks, seeded by NSGNIC_SIM_DRAM_SEED, default
// 1); without it the port stays idle and unbound. Defaults: nsgnic_top's parameters.
#ifndef NSGNIC_SOC_REAL_FLOWDRAM
#define NSGNIC_SOC_REAL_FLOWDRAM 0
#endif
#ifndef NSGNIC_SOC_REAL_DRAMBUCKETS
#define NSGNIC_SOC_REAL_DRAMBUCKETS 16
#endif
#ifndef NSGNIC_SOC_REAL_DRAMWAYS
#define NSGNIC_SOC_REAL_DRAMWAYS 32
#endif
#ifndef NSGNIC_SOC_SMALL_FLOWDRAM
#define NSGNIC_SOC_SMALL_FLOWDRAM 0
#endif
#ifndef NSGNIC_SOC_SMALL_DRAMBUCKETS
#define NSGNIC_SOC_SMALL_DRAMBUCKETS 16
#endif
#ifndef NSGNIC_SOC_SMALL_DRAMWAYS
#define NSGNIC_SOC_SMALL_DRAMWAYS 32
#endif
#ifndef NSGNIC_SOC_SDRAM_FLOWDRAM
#define NSGNIC_SOC_SDRAM_FLOWDRAM 0
#endif
#ifndef NSGNIC_SOC_SDRAM_DRAMBUCKETS
#define NSGNIC_SOC_SDRAM_DRAMBUCKETS 16
#endif
#ifndef NSGNIC_SOC_SDRAM_DRAMWAYS
#define NSGNIC_SOC_SDRAM_DRAMWAYS 32
#endif
#ifndef NSGNIC_SOC_SDRAM_LABELLPM
#define NSGNIC_SOC_SDRAM_LABELLPM 0
#endif

// The trace's root: the top module's scope as Verilator names it (checked by cli_run_sim_trace).
#define SOC_HW_TRACE_ROOT "nsgnic_top.nsgnic_top"

// One device: the model-independent part; soc_hw_of<Top> adds the model.
struct soc_hw {
  VerilatedContext ctx;
  VerilatedFstC *trace = nullptr;
  uint64_t time = 0;  // half cycles (trace time stamps)
  uint64_t from = 0, to = 0;  // traced cycles [from, to), to == 0: no end
  bool traced(uint64_t t) const { return trace && t / 2 >= from && (to == 0 || t / 2 < to); }
  virtual ~soc_hw() = default;
  virtual void free_all() = 0;
  virtual void eval(const soc_pins_in *in, soc_pins_out *out) = 0;
  virtual void clock(bool level) = 0;
};

namespace {

template <class Top> void drive(Top *t, const soc_pins_in *in)
{
  t->rst_ni = in->rst_n;
  t->s_axil_awaddr = in->awaddr;
  t->s_axil_awprot = 0;
  t->s_axil_awvalid = in->awvalid;
  t->s_axil_wdata = in->wdata;
  t->s_axil_wstrb = in->wstrb;
  t->s_axil_wvalid = in->wvalid;
  t->s_axil_bready = in->bready;
  t->s_axil_araddr = in->araddr;
  t->s_axil_arprot = 0;
  t->s_axil_arvalid = in->arvalid;
  t->s_axil_rready = in->rready;
  soc_hw_beat_in(t->s_axis_tdata, in->tdata);
  t->s_axis_tkeep = in->tkeep;
  t->s_axis_tlast = in->tlast;
  t->s_axis_tuser = in->tuser;
  t->s_axis_tvalid = in->tvalid;
  t->m_axis_tready = in->m_tready;
}

template <class Top> void sample(const Top *t, soc_pins_out *out)
{
  out->awready = t->s_axil_awready;
  out->wready = t->s_axil_wready;
  out->bvalid = t->s_axil_bvalid;
  out->bresp = t->s_axil_bresp;
  out->arready = t->s_axil_arready;
  out->rvalid = t->s_axil_rvalid;
  out->rresp = t->s_axil_rresp;
  out->rdata = t->s_axil_rdata;
  out->irq = t->irq_o;
  out->s_tready = t->s_axis_tready;
  soc_hw_beat_out(out->m_tdata, t->m_axis_tdata);
  out->m_tkeep = t->m_axis_tkeep;
  out->m_tlast = t->m_axis_tlast;
  out->m_tuser = t->m_axis_tuser;
  out->m_tid = t->m_axis_tid;
  out->m_tvalid = t->m_axis_tvalid;
  soc_hw_sample_mon(t, out);
}

// The flow tier's slots of a model (0: no tier).
template <class Top> struct flow_tier_slots;
template <> struct flow_tier_slots<Vnsgnic_top_real> {
  static constexpr uint64_t n = NSGNIC_SOC_REAL_FLOWDRAM ? 4ull * NSGNIC_SOC_REAL_DRAMBUCKETS * NSGNIC_SOC_REAL_DRAMWAYS : 0;
};
template <> struct flow_tier_slots<Vnsgnic_top> {
  static constexpr uint64_t n = NSGNIC_SOC_SMALL_FLOWDRAM ? 4ull * NSGNIC_SOC_SMALL_DRAMBUCKETS * NSGNIC_SOC_SMALL_DRAMWAYS : 0;
};
template <> struct flow_tier_slots<Vnsgnic_top_sdram> {
  static constexpr uint64_t n = NSGNIC_SOC_SDRAM_FLOWDRAM ? 4ull * NSGNIC_SOC_SDRAM_DRAMBUCKETS * NSGNIC_SOC_SDRAM_DRAMWAYS : 0;
};

axi_dram *flow_dram_new(uint64_t slots)
{
  axi_dram_cfg c;
  std::memset(&c, 0, sizeof c);
  c.size_bytes = 64 * slots;
  c.beat_bytes = 64;
  c.rd_lat_min = c.wr_lat_min = 100;
  c.rd_lat_max = c.wr_lat_max = 400;
  c.max_rd = c.max_wr = 1024;
  c.bytes_per_clock = 256;
  c.ready_pct = 100;
  const char *s = std::getenv("NSGNIC_SIM_DRAM_SEED");
  c.seed = s && *s ? std::strtoull(s, nullptr, 0) : 1;
  return axi_dram_new(&c);
}

template <class Top> struct soc_hw_of final : soc_hw {
  Top *top = nullptr;
  axi_dram *dram = nullptr;  // the flow tier's DRAM (a model with FlowDram), else none
  void free_all() override
  {
    if (dram)
      axi_dram_free(dram);
    dram = nullptr;
    soc_hw_life_free(this);
  }
  void eval(const soc_pins_in *in, soc_pins_out *out) override
  {
    drive(top, in);
    if (dram)
      TB_AXI_DRAM_DRIVE(top, m_axi_flow_, dram);
    top->clk_i = 0;
    top->eval();
    if (dram) {  // this clock's requests and handshakes into the DRAM model
      bool ok;
      TB_AXI_DRAM_STEP(top, m_axi_flow_, dram, ok);
      (void)ok;  // the tier issues single full beats only (tb_datapath_dram checks it)
    }
    sample(top, out);
  }
  void clock(bool level) override
  {
    top->clk_i = level;
    if (level)
      top->eval();
  }
};

template <class Top> soc_hw *make(const char *trace_path, const std::string &hier)
{
  soc_hw_of<Top> *h = soc_hw_life_new<soc_hw_of<Top>, Top>("nsgnic_top", trace_path, hier);
  if (!h)
    return nullptr;
  if (flow_tier_slots<Top>::n && !(h->dram = flow_dram_new(flow_tier_slots<Top>::n))) {
    h->free_all();
    errno = ENOMEM;
    return nullptr;
  }
  h->top->clk_i = 0;
  h->top->rst_ni = 0;
  h->top->eval();
  return h;
}

const soc_hw_sizes devices[] = {SOC_HW_SIZES(REAL, "realistic"), SOC_HW_SIZES(SMALL, "small"),
                                SOC_HW_SIZES(SDRAM, "small-dram")};
static_assert(NSGNIC_SOC_REAL_DATAW == 8 * SOC_HW_BEAT_BYTES && NSGNIC_SOC_SMALL_DATAW == 8 * SOC_HW_BEAT_BYTES &&
                  NSGNIC_SOC_SDRAM_DATAW == 8 * SOC_HW_BEAT_BYTES,
              "soc_hw.h beat size differs from a model's DataW");

}  // namespace

extern "C" {

const soc_hw_sizes *soc_hw_device(const char *name)
{
  if (!name)
    return &devices[0];
  for (const soc_hw_sizes &d : devices)
    if (!std::strcmp(d.name, name))
      return &d;
  return nullptr;
}

const char *soc_hw_device_names(void) { return "realistic, small, small-dram"; }

soc_hw *soc_hw_new(const char *device, const char *trace_path, const char *trace_scope)
{
  const soc_hw_sizes *d = soc_hw_device(device);
  if (!d) {
    errno = ENODEV;
    return nullptr;
  }
  // the trace's root scope is the model's name; instances of nsgnic_top.sv below it
  std::string hier;
  if (trace_scope && *trace_scope && std::strcmp(trace_scope, "all") != 0) {
    const char *s = trace_scope;
    if (!std::strcmp(s, "datapath"))
      s = "u_dp";
    else if (!std::strcmp(s, "cpu"))
      s = "u_sys";
    else if (!std::strcmp(s, "window"))
      s = "u_win";
    for (const char *c = s; *c; c++)
      if (!(std::isalnum((unsigned char)*c) || *c == '_' || *c == '.')) {
        errno = EINVAL;
        return nullptr;
      }
    hier = std::string(SOC_HW_TRACE_ROOT) + "." + s;
  }
  if (d == &devices[0])
    return make<Vnsgnic_top_real>(trace_path, hier);
  return d == &devices[1] ? make<Vnsgnic_top>(trace_path, hier) : make<Vnsgnic_top_sdram>(trace_path, hier);
}

void soc_hw_free(soc_hw *h)
{
  if (h)
    h->free_all();
}

void soc_hw_eval(soc_hw *h, const soc_pins_in *in, soc_pins_out *out) { h->eval(in, out); }

void soc_hw_trace_window(soc_hw *h, uint64_t from, uint64_t to)
{
  h->from = from;
  h->to = to;
}

void soc_hw_edge(soc_hw *h)
{
  if (h->traced(h->time))
    h->trace->dump(h->time);
  h->time++;
  h->clock(true);
  if (h->traced(h->time))
    h->trace->dump(h->time);
  h->time++;
  h->clock(false);  // the falling edge is evaluated with the next cycle's inputs (soc_hw_eval)
}

}  // extern "C"

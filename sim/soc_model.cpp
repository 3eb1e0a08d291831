// SPDX-License-Identifier: Apache-2.0
// The thin C++ side of the whole-NIC simulation: owns the Verilated nsgnic_top (its own
// VerilatedContext, so several devices may live in one process), copies the pins in and out and
// clocks it. Every protocol (BAR accesses, packet streams, verdict matching) is C, in soc.c.
#include <cctype>
#include <cerrno>
#include <cstring>
#include <new>
#include <string>

#include "Vnsgnic_top.h"
#include "verilated.h"
#include "verilated_fst_c.h"

#include "soc_hw.h"
#include "soc_hw_life.hpp"

// The trace's root: the top module's scope as Verilator names it (checked by cli_run_sim_trace).
#define SOC_HW_TRACE_ROOT "nsgnic_top.nsgnic_top"

struct soc_hw {
  VerilatedContext ctx;
  Vnsgnic_top *top = nullptr;
  VerilatedFstC *trace = nullptr;
  uint64_t time = 0;  // half cycles (trace time stamps)
  uint64_t from = 0, to = 0;  // traced cycles [from, to), to == 0: no end
  bool traced(uint64_t t) const { return trace && t / 2 >= from && (to == 0 || t / 2 < to); }
};

namespace {

void drive(Vnsgnic_top *t, const soc_pins_in *in)
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

void sample(const Vnsgnic_top *t, soc_pins_out *out)
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

}  // namespace

extern "C" {

soc_hw *soc_hw_new(const char *trace_path, const char *trace_scope)
{
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
  soc_hw *h = soc_hw_life_new<soc_hw, Vnsgnic_top>("nsgnic_top", trace_path, hier);
  if (!h)
    return nullptr;
  h->top->clk_i = 0;
  h->top->rst_ni = 0;
  h->top->eval();
  return h;
}

void soc_hw_free(soc_hw *h) { soc_hw_life_free(h); }

void soc_hw_eval(soc_hw *h, const soc_pins_in *in, soc_pins_out *out)
{
  drive(h->top, in);
  h->top->clk_i = 0;
  h->top->eval();
  sample(h->top, out);
}

void soc_hw_trace_window(soc_hw *h, uint64_t from, uint64_t to)
{
  h->from = from;
  h->to = to;
}

void soc_hw_edge(soc_hw *h) { soc_hw_single_clock_edge(h, h->top->clk_i); }

}  // extern "C"

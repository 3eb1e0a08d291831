// SPDX-License-Identifier: Apache-2.0
// The same pins as soc_model.cpp (soc_hw.h), but through the OpenNIC shell plugin
// (hdl/boards/opennic/nsgnic_onic_250mhz.sv): the AXI4-Lite pins go to the plugin's register port
// (axil_aclk, half the datapath clock, as the shell's 125/250 MHz), a frame the C side sends to a
// VF port enters on the QDMA H2C stream (tuser_src = vport), a wire frame on the CMAC RX stream
// (tuser_dst = label context); the plugin's two outputs (CMAC TX, QDMA C2H) are presented as the
// one m_axis of soc.c with PORT and tid taken back from tuser_src. So the whole C harness
// (nsgnic_soc.h, the SoC tests) runs unchanged through the shell's interfaces.
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>

#include "Vnsgnic_onic_250mhz.h"
#include "verilated.h"
#include "verilated_fst_c.h"

#include "soc_hw.h"
#include "soc_hw_life.hpp"

struct soc_hw {
  VerilatedContext ctx;
  Vnsgnic_onic_250mhz *top = nullptr;
  VerilatedFstC *trace = nullptr;
  uint64_t time = 0;   // half cycles of axis_aclk
  uint64_t edges = 0;  // axis_aclk rising edges (axil_aclk rises on even ones)
  uint64_t from = 0, to = 0;  // traced cycles [from, to), to == 0: no end
  unsigned out_bytes = 0;     // bytes of the output frame so far (checks tuser_size)
  bool traced(uint64_t t) const { return trace && t / 2 >= from && (to == 0 || t / 2 < to); }
};

namespace {

void drive(Vnsgnic_onic_250mhz *t, const soc_pins_in *in)
{
  t->mod_rstn = in->rst_n;
  t->s_axil_awaddr = in->awaddr;
  t->s_axil_awvalid = in->awvalid;
  t->s_axil_wdata = in->wdata;
  t->s_axil_wvalid = in->wvalid;
  t->s_axil_bready = in->bready;
  t->s_axil_araddr = in->araddr;
  t->s_axil_arvalid = in->arvalid;
  t->s_axil_rready = in->rready;
  bool vf = (in->tuser >> 8) & 1;
  unsigned id = in->tuser & 0xff;
  soc_hw_beat_in(t->s_axis_qdma_h2c_tdata, in->tdata);
  soc_hw_beat_in(t->s_axis_adap_rx_250mhz_tdata, in->tdata);
  t->s_axis_qdma_h2c_tkeep = in->tkeep;
  t->s_axis_adap_rx_250mhz_tkeep = in->tkeep;
  t->s_axis_qdma_h2c_tlast = in->tlast;
  t->s_axis_adap_rx_250mhz_tlast = in->tlast;
  t->s_axis_qdma_h2c_tvalid = in->tvalid && vf;
  t->s_axis_adap_rx_250mhz_tvalid = in->tvalid && !vf;
  t->s_axis_qdma_h2c_tuser_src = id;
  t->s_axis_qdma_h2c_tuser_dst = 0;
  t->s_axis_qdma_h2c_tuser_size = 0;
  t->s_axis_adap_rx_250mhz_tuser_src = 0;
  t->s_axis_adap_rx_250mhz_tuser_dst = id;
  t->s_axis_adap_rx_250mhz_tuser_size = 0;
  t->m_axis_qdma_c2h_tready = in->m_tready;
  t->m_axis_adap_tx_250mhz_tready = in->m_tready;
}

// axil_edge: the coming edge also clocks axil_aclk. soc.c sees a handshake at every edge of the
// datapath clock; on the others the register port's handshake signals read 0 so that no AXI
// transfer is counted where the plugin's axil side does not clock (valid is held meanwhile).
void sample(const Vnsgnic_onic_250mhz *t, const soc_pins_in *in, bool axil_edge, soc_pins_out *out)
{
  out->awready = axil_edge && t->s_axil_awready;
  out->wready = axil_edge && t->s_axil_wready;
  out->bvalid = axil_edge && t->s_axil_bvalid;
  out->bresp = t->s_axil_bresp;
  out->arready = axil_edge && t->s_axil_arready;
  out->rvalid = axil_edge && t->s_axil_rvalid;
  out->rresp = t->s_axil_rresp;
  out->rdata = t->s_axil_rdata;
  out->irq = t->irq_o;
  bool vf = (in->tuser >> 8) & 1;
  out->s_tready = vf ? t->s_axis_qdma_h2c_tready : t->s_axis_adap_rx_250mhz_tready;
  bool wire = t->m_axis_adap_tx_250mhz_tvalid;
  if (wire)
    soc_hw_beat_out(out->m_tdata, t->m_axis_adap_tx_250mhz_tdata);
  else
    soc_hw_beat_out(out->m_tdata, t->m_axis_qdma_c2h_tdata);
  out->m_tkeep = wire ? t->m_axis_adap_tx_250mhz_tkeep : t->m_axis_qdma_c2h_tkeep;
  out->m_tlast = wire ? t->m_axis_adap_tx_250mhz_tlast : t->m_axis_qdma_c2h_tlast;
  uint16_t src = wire ? t->m_axis_adap_tx_250mhz_tuser_src : t->m_axis_qdma_c2h_tuser_src;
  out->m_tuser = src & 0x1ff;
  out->m_tid = (src >> 9) & 0x3f;
  out->m_tvalid = t->m_axis_adap_tx_250mhz_tvalid || t->m_axis_qdma_c2h_tvalid;
  soc_hw_sample_mon(t, out);
}

}  // namespace

extern "C" {

const soc_hw_sizes *soc_hw_device(const char *name) { return soc_hw_small_only(name); }

const char *soc_hw_device_names(void) { return "small"; }

soc_hw *soc_hw_new(const char *device, const char *trace_path, const char *trace_scope)
{
  soc_hw *h = soc_hw_wrapper_new<soc_hw, Vnsgnic_onic_250mhz>(device, trace_path, trace_scope,
                                                               "nsgnic_onic_250mhz");
  if (!h)
    return nullptr;
  h->top->axis_aclk = 0;
  h->top->axil_aclk = 0;
  h->top->mod_rstn = 0;
  h->top->eval();
  return h;
}

void soc_hw_free(soc_hw *h) { soc_hw_life_free(h); }

// The plugin's promise to the shell: every beat of an output frame carries the frame's size in
// bytes (tuser_size). Checked on every beat taken; a violation aborts the simulation.
static void check_size(soc_hw *h, const soc_pins_in *in, const soc_pins_out *out)
{
  if (!out->m_tvalid || !in->m_tready)
    return;
  const Vnsgnic_onic_250mhz *t = h->top;
  bool wire = t->m_axis_adap_tx_250mhz_tvalid;
  unsigned size = wire ? t->m_axis_adap_tx_250mhz_tuser_size : t->m_axis_qdma_c2h_tuser_size;
  h->out_bytes += (unsigned)__builtin_popcountll(out->m_tkeep);
  if (h->out_bytes > size || (out->m_tlast && h->out_bytes != size)) {
    std::fprintf(stderr, "nsgnic_onic_250mhz: tuser_size %u, frame has %u bytes%s\n", size,
                 h->out_bytes, out->m_tlast ? "" : " before its last beat");
    std::abort();
  }
  if (out->m_tlast)
    h->out_bytes = 0;
}

void soc_hw_eval(soc_hw *h, const soc_pins_in *in, soc_pins_out *out)
{
  drive(h->top, in);
  h->top->eval();
  sample(h->top, in, (h->edges & 1) == 0, out);
  check_size(h, in, out);
}

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
  h->top->axis_aclk = 1;
  h->top->axil_aclk = (h->edges & 1) == 0;
  h->top->eval();
  if (h->traced(h->time))
    h->trace->dump(h->time);
  h->time++;
  h->edges++;
  h->top->axis_aclk = 0;
  h->top->axil_aclk = 0;
  h->top->eval();
}

}  // extern "C"
